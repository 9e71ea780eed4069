#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# test-load: `erofs-diotrace run --assert` under loads real users have, on
# this host's file-backed EROFS.  Whatever the ring loses, the verdict may be
# PASS or INCONCLUSIVE naming the loss, never FAIL:
#   find|cat   LOAD_FILES (40,000) small files (1-64 bytes), one image
#   dd x4      four parallel `dd bs=4k` readers of one warm 64 MiB file
# each at the default ring, and at --ringbuf-size 4K (the smallest), where
# the loss is certain and the verdict must be INCONCLUSIVE saying so.
# The images are built once per run under build/tests/load (not tmpfs: it
# cannot back a file-backed mount).
SUITE=load
. "$(dirname "$0")/../lib.sh"

R=$DT_ROOT
T=${DT_TOOL:-$R/build/erofs-diotrace}
J=$R/build/tests/unit/jsonq
FB=$R/build/tests/fbmount
W=$R/build/tests/load
NFILES=${LOAD_FILES:-40000}
TO="timeout -s KILL 600"

# unmount, waiting out anything else on the host that has a file open there
# (e.g. an `audit` scanning every EROFS mount); lazily as the last resort
unmount() {
	i=0
	while grep -qs " $1 " /proc/mounts; do
		"$FB" -u "$1" 2> /dev/null && return 0
		i=$((i + 1))
		if [ $i -ge 50 ]; then
			umount -l "$1"
			return
		fi
		sleep 0.2
	done
}

cleanup() {
	unmount "$W/small"
	unmount "$W/large"
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# a fresh mount: the EROFS page cache starts cold; the image's own cache too
mount_cold() {
	unmount "$2"
	sync "$1" && dd if="$1" iflag=nocache count=0 status=none &&
		"$FB" "$1" "$2"
}

# small files of 1..64 bytes, 1000 per directory
make_small() {
	rm -rf "$W/small.src" && mkdir -p "$W/small.src" &&
	(cd "$W/small.src" && awk -v n="$NFILES" 'BEGIN {
		for (i = 0; i < n; i++) {
			if (i % 1000 == 0) { d = sprintf("d%03d", i / 1000); system("mkdir " d) }
			f = sprintf("%s/f%04d", d, i % 1000)
			printf "%s", substr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", 1, 1 + i * 7 % 64) > f
			close(f)
		}
	}') &&
	rm -f "$W/small.img" && mkfs.erofs --quiet "$W/small.img" "$W/small.src" > /dev/null
}

make_large() {
	rm -rf "$W/large.src" && mkdir -p "$W/large.src" &&
	head -c 64M /dev/urandom > "$W/large.src/big" &&
	rm -f "$W/large.img" && mkfs.erofs --quiet "$W/large.img" "$W/large.src" > /dev/null
}

# the loss is named: by the JSON (evidence.lost) or in the report's words
# (today "N events lost"; with BPF read counters "seen N of M reads")
loss_named() {
	lost=$("$J" "$1.json" evidence.lost 2> /dev/null)
	[ "${lost:-0}" -gt 0 ] 2> /dev/null && return 0
	grep -Eq '[0-9]+ events lost|seen [0-9]+ of [0-9]+ reads' "$1.rep"
}

# why the verdict is what it is: the report's reasons and FAILing checks
show_report() {
	echo "--- $1.rep: verdict, then the first FAILing reads and checks"
	sed -n '/^Verdict/,$p' "$1.rep" | head -n 8
	grep -E '^Reads:|FAIL$|^ +FAIL ' "$1.rep" | head -n 12
	echo "---"
}

# trace NAME RING CMD: run --assert on CMD; sets rc; report in $W/NAME.{rep,json}
trace() {
	n=$1 ring=$2
	shift 2
	rm -f "$W/$n.rep" "$W/$n.json" "$W/$n.done"
	$TO "$T" run --assert ${ring:+--ringbuf-size "$ring"} --json "$W/$n.json" \
		-o "$W/$n.rep" -- "$@" 2> "$W/$n.err"
	rc=$?
}

# check_default NAME WHAT: PASS, or INCONCLUSIVE that names the loss
check_default() {
	if [ ! -e "$W/$1.done" ]; then
		t_fail "$2: the workload ran to the end" "tracer exit $rc; $(tail -n 3 "$W/$1.err" | tr '\n' ' ')"
		return
	fi
	case $rc in
	0)
		t_pass "$2: PASS" ;;
	2)
		if loss_named "$W/$1"; then
			t_pass "$2: INCONCLUSIVE naming the loss ($(grep -Eo '[0-9]+ events lost|seen [0-9]+ of [0-9]+ reads' "$W/$1.rep" | head -n 1))"
		else
			show_report "$W/$1"
			t_fail "$2: PASS or INCONCLUSIVE naming the loss" "INCONCLUSIVE without a loss in the report"
		fi ;;
	1)
		show_report "$W/$1"
		t_fail "$2: PASS or INCONCLUSIVE naming the loss, never FAIL" \
			"FAIL: $("$J" "$W/$1.json" summary.fail) reads FAIL, $("$J" "$W/$1.json" evidence.lost) events lost"
		;;
	*)
		t_fail "$2: PASS or INCONCLUSIVE naming the loss" "tracer exit $rc (137: killed at 600 s)" ;;
	esac
}

# check_tiny NAME WHAT: with a 4K ring the loss is certain: INCONCLUSIVE saying so
check_tiny() {
	if [ ! -e "$W/$1.done" ]; then
		t_fail "$2: the workload ran to the end" "tracer exit $rc; $(tail -n 3 "$W/$1.err" | tr '\n' ' ')"
		return
	fi
	if [ $rc = 2 ] && loss_named "$W/$1"; then
		t_pass "$2: INCONCLUSIVE, loss reported ($(grep -Eo '[0-9]+ events lost|seen [0-9]+ of [0-9]+ reads' "$W/$1.rep" | head -n 1))"
		return
	fi
	show_report "$W/$1"
	case $rc in
	2) t_fail "$2: INCONCLUSIVE naming the loss" "INCONCLUSIVE, but no loss in the report" ;;
	1) t_fail "$2: INCONCLUSIVE naming the loss" \
		"FAIL: $("$J" "$W/$1.json" summary.fail) reads FAIL, $("$J" "$W/$1.json" evidence.lost) events lost" ;;
	0) t_fail "$2: INCONCLUSIVE naming the loss" "PASS: a 4K ring cannot hold this load, the loss went unseen" ;;
	*) t_fail "$2: INCONCLUSIVE naming the loss" "tracer exit $rc (137: killed at 600 s)" ;;
	esac
}

# find | cat over every small file
findcat() {
	trace "$1" "$2" sh -c "find '$W/small' -type f -exec cat {} + > /dev/null && touch '$W/$1.done'"
}

# four dd bs=4k readers of the warm large file
dd4() {
	cat "$W/large/big" > /dev/null
	trace "$1" "$2" sh -c "p=; for i in 1 2 3 4; do
			dd if='$W/large/big' of=/dev/null bs=4k status=none & p=\"\$p \$!\"; done
		for q in \$p; do wait \$q || exit 1; done; touch '$W/$1.done'"
}

if [ "$(id -u)" != 0 ]; then
	t_skip "all" "needs root to load BPF programs and mount EROFS"
	t_done
fi
for x in "$T" "$J" "$FB"; do
	if [ ! -x "$x" ]; then
		t_fail "setup" "$x missing: run 'make test-load'"
		t_done
	fi
done
mkdir -p "$W/small" "$W/large" || exit 2
if ! make_small || ! make_large; then
	t_fail "setup" "could not build the EROFS images under $W"
	t_done
fi

if mount_cold "$W/small.img" "$W/small"; then
	findcat findcat ""
	check_default findcat "find|cat over $NFILES files, default ring"
	mount_cold "$W/small.img" "$W/small" && findcat findcat4k 4K
	check_tiny findcat4k "find|cat over $NFILES files, --ringbuf-size 4K"
else
	t_fail "find|cat: file-backed mount of $W/small.img" "see the message above"
fi
if mount_cold "$W/large.img" "$W/large"; then
	dd4 dd4 ""
	check_default dd4 "4 parallel dd bs=4k, default ring"
	dd4 dd4k 4K
	check_tiny dd4k "4 parallel dd bs=4k, --ringbuf-size 4K"
else
	t_fail "dd x4: file-backed mount of $W/large.img" "see the message above"
fi
t_done
