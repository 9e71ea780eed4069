#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `make bench-rand`: boot one guest per flavour (one at a time), each runs
# tests/bench/rand-guest.sh over WORKDIR/bench.erofs, then one table of all
# of them (tests/bench/rand-table.sh), also saved as WORKDIR/rand.txt and
# WORKDIR/rand.json.  A benchmark: a goal not met is not a failure, nor is a
# guest kernel oops (vm-run exit 120: the table marks the cell it died in);
# a guest that timed out or failed otherwise is (exit 1, after the table).
#   tests/bench/rand.sh WORKDIR SIZE_MIB RUNTIME_S FLAVOUR...
set -u
me=bench-rand
die() { echo "$me: $*" >&2; exit 2; }
[ $# -ge 4 ] || die "usage: tests/bench/rand.sh WORKDIR SIZE_MIB RUNTIME_S FLAVOUR..."
work=$1 size=$2 runtime=$3
shift 3
case $runtime in ''|*[!0-9]*|0*) die "BENCH_RUNTIME must be whole seconds >= 1, got '$runtime'" ;; esac
[ -f "$work/bench.erofs" ] || die "no $work/bench.erofs (make bench-rand builds it)"

# 7 EROFS rows x 2 mounts x 2 backings + 5 references; a generous bound
cells=33
limit=$((cells * (runtime + 40) + 400))
args=()
fail=0
for fl in "$@"; do
	out=$work/rand-$fl
	rm -rf "$out" && mkdir -p "$out" || die "cannot make $out"
	echo "$me: $fl guest: $cells cells of ${runtime}s (at most ${limit}s)" >&2
	# vm-run bounds the guest by --timeout; this outer bound also covers
	# the wait for the machine's one-VM lock (other users' guests)
	timeout -s KILL $((limit + 3600)) tests/vm/vm-run --flavour "$fl" --mem 2G --timeout "$limit" \
		--out "$out" -- "tests/bench/rand-guest.sh $work $size $runtime"
	rc=$?
	echo "$rc" > "$out/vm-status" || die "cannot write $out/vm-status"
	# a kernel that oopses under the load is a result (the table says where);
	# a guest that timed out or a script or vm-run that failed is not
	case $rc in
	0) ;;
	120) echo "$me: $fl guest: the kernel reported a problem (vm-run exit 120); its table cells say where" >&2 ;;
	*) echo "$me: $fl guest: vm-run exit $rc" >&2; fail=1 ;;
	esac
	args+=("$fl=$out")
done
tests/bench/rand-table.sh -o "$work/rand.json" "${args[@]}" > "$work/rand.txt" ||
	die "the table could not be made (see above)"
cat "$work/rand.txt" || die "cannot print $work/rand.txt"
echo "$me: table in $work/rand.txt, every cell in $work/rand.json" >&2
exit "$fail"
