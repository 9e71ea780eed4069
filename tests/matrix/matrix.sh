#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `make matrix`: every scenario of tests/matrix/scenarios on every flavour,
# judged against tests/matrix/expect/FLAVOUR, with CI reports.
#
#   tests/matrix/matrix.sh [--patches DIR|MBOX] [--flavours "unpatched rfc fixed"]
#                          [--out DIR] [--only "ID ..."]
#
# --patches: a directory of `git format-patch` files or an mbox (split with
#   git mailsplit) becomes flavour series-<content hash>, built by
#   kernel/build.sh --patches from the cached base tree; it is judged against
#   the scenarios' IDEAL column (a new series has no expectations file).
# --only: run just these scenarios (the suite uses it for its test series).
# Reports go to OUT (default build/matrix): matrix.txt, matrix.json,
# matrix-junit.xml, matrix.tap; each flavour's raw cells to OUT/FLAVOUR/.
# Exit: 0 every cell as expected, 1 a regression or unexpected result (named
# in the table), 2 could not judge (a series that does not apply or build,
# a cell with no verdict, a failed write).
set -u -o pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
flavours="unpatched rfc fixed"
patches=
out=$root/build/matrix
only=
while [ $# -gt 0 ]; do
	case $1 in
	--patches) patches=${2:?--patches needs a directory or an mbox}; shift ;;
	--flavours) flavours=${2?}; shift ;;
	--out) out=${2:?}; shift ;;
	--only) only=${2:?}; shift ;;
	-h|--help) awk 'NR > 2 && /^#/ { sub(/^# ?/, ""); print; next } NR > 2 { exit }' "$0"; exit 0 ;;
	*) echo "matrix: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done
die() { echo "matrix: $*" >&2; exit 2; }
for t in build/dt-matrix build/tests/matrix/mxread build/erofs-diotrace build/tests/fbmount; do
	[ -x "$root/$t" ] || die "$t is not built; run: make matrix-tools"
done
mkdir -p "$out" || die "cannot create $out"
out=$(cd "$out" && pwd)
t_start=$(date +%s)

# --- a series to judge ----------------------------------------------------------
series=
if [ -n "$patches" ]; then
	sin=$out/series-in
	rm -rf "$sin"
	mkdir -p "$sin"
	if [ -d "$patches" ]; then
		ls "$patches"/*.patch >/dev/null 2>&1 ||
			die "PATCHES=$patches: no *.patch files (give a directory of git format-patch files or an mbox)"
		cp "$patches"/*.patch "$sin/" || die "cannot copy $patches/*.patch"
	elif [ -f "$patches" ]; then
		n=$(git mailsplit -o"$sin" "$patches" 2>"$sin.err") ||
			die "PATCHES=$patches: git mailsplit could not split it: $(head -n 1 "$sin.err")"
		[ "${n:-0}" -gt 0 ] || die "PATCHES=$patches: no mail in this mbox"
		for f in "$sin"/[0-9]*; do mv "$f" "$f.patch"; done
	else
		die "PATCHES=$patches: no such directory or file"
	fi
	series=series-$(cat "$sin"/*.patch | sha256sum | cut -c1-12)
	echo "matrix: $(ls "$sin" | wc -l) patch(es) from $patches -> flavour $series"
	tb=$(date +%s)
	(cd "$root" && kernel/build.sh --patches "$sin" "$series") > "$out/series-build.out" 2> "$out/series-build.err"
	rc=$?
	build_s=$(( $(date +%s) - tb ))
	if [ $rc != 0 ]; then
		reason=$(grep '^kernel/build.sh: ' "$out/series-build.err" | tail -n 1 | sed 's/^kernel\/build.sh: //')
		case $rc in
		3|4) echo "matrix: could not judge $patches: $reason" >&2 ;;
		*) echo "matrix: could not judge $patches: the kernel build failed (exit $rc): ${reason:-see $out/series-build.err}" >&2 ;;
		esac
		exit 2
	fi
	echo "matrix: $series built in ${build_s}s ($(grep -o 'build_seconds=.*' "$out/series-build.err" | tail -n 1))"
	flavours="$flavours $series"
fi
[ -n "${flavours// /}" ] || die "no flavour to run (FLAVOURS is empty and no PATCHES)"

# --- the scenarios to run ---------------------------------------------------------
scn=$here/scenarios
expdir=$here/expect
ids=()
if [ -n "$only" ]; then
	for id in $only; do
		grep -q "^$id|" "$scn" || die "--only: no scenario '$id' in tests/matrix/scenarios"
		ids+=("$id")
	done
	# the reports then cover just these rows
	scn=$out/scenarios.only
	expdir=$out/expect.only
	rm -rf "$expdir"
	mkdir -p "$expdir"
	grep -E "^($(echo "$only" | tr ' ' '|'))\|" "$here/scenarios" > "$scn"
	for f in "$here"/expect/*; do
		[ -f "$f" ] || continue
		grep -E "^($(echo "$only" | tr ' ' '|'))[[:space:]]" "$f" > "$expdir/$(basename "$f")"
	done
fi

"$here/mkimages.sh" "$out/work" > "$out/mkimages.log" 2>&1 ||
	die "could not build the test images: $(tail -n 2 "$out/mkimages.log" | tr '\n' ' ')"

cols=()
timing=
for f in $flavours; do
	echo "matrix: running $([ ${#ids[@]} -gt 0 ] && echo ${#ids[@]} || echo all) scenarios on $f"
	"$here/run-flavour.sh" "$f" "$out/work" "$out/$f" ${ids[@]+"${ids[@]}"} ||
		echo "matrix: $f: the guest could not run every cell (see $out/$f/boots.log)" >&2
	timing="$timing $f: $(cat "$out/$f/timing" 2>/dev/null);"
	cols+=("$f=$out/$f")
done

"$root/build/dt-matrix" --scenarios "$scn" --expect-dir "$expdir" --text "$out/matrix.txt" \
	--json "$out/matrix.json" --junit "$out/matrix-junit.xml" --tap "$out/matrix.tap" "${cols[@]}"
rc=$?
echo
echo "matrix: table  $out/matrix.txt"
echo "matrix: JSON   $out/matrix.json"
echo "matrix: JUnit  $out/matrix-junit.xml"
echo "matrix: TAP    $out/matrix.tap"
echo "matrix: cells  $out/FLAVOUR/cells/SCENARIO/"
echo "matrix: time   $(( $(date +%s) - t_start ))s in all;${timing}${series:+ $series build ${build_s}s}"
echo "matrix: exit $rc ($(case $rc in 0) echo 'every cell as expected' ;; 1) echo 'unexpected results, named above' ;; *) echo 'could not judge' ;; esac))"
exit $rc
