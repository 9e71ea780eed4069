#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs INSIDE the guest (via tests/vm/vm-run), called by tests/vm/test-vm.sh.
#
#   tests/vm/guest-checks.sh unpatched|rfc IMAGE SRCDIR
#
# IMAGE is an uncompressed EROFS image of SRCDIR, whose file `data` is
# 3 MiB + 100 bytes and `data2` any regular file.  The image is copied to
# ramfs ($SCRATCH) and mounted file-backed.  Each check appends
# "PASS name" or "FAIL name -- reason" to $OUT/checks.txt.
set -u
role=$1 img=$2 src=$3
bin=$PWD/build/tests
res=$OUT/checks.txt
pass() { echo "PASS $1" >> "$res"; echo "PASS $1"; }
fail() {	# one line per check: newlines in the reason become spaces
	local why
	why=$(printf '%s' "$2" | tr '\n' ' ')
	echo "FAIL $1 -- $why" >> "$res"
	echo "FAIL $1 -- $why"
}

[ "${DT_GUEST:-}" = 1 ] || { echo "guest-checks.sh: run me in the guest (tests/vm/vm-run)" >&2; exit 2; }
mnt=$SCRATCH/mnt
mkdir -p "$mnt"
cp "$img" "$SCRATCH/img.erofs" || { fail "$role: file-backed mount" "cannot copy $img to $SCRATCH"; exit 1; }
if ! "$bin/fbmount" "$SCRATCH/img.erofs" "$mnt"; then
	fail "$role: file-backed mount" "fbmount failed"
	exit 1
fi
pass "$role: file-backed mount of the image from ramfs"

vmstat() { awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat; }

check_open() {
	local out rc
	out=$("$bin/vm/odirect" "$mnt/data" 0 4096 "$src/data" 2>&1); rc=$?
	echo "$out"
	case $role:$rc in
	unpatched:2) pass "unpatched: open(O_DIRECT) fails with EINVAL" ;;
	unpatched:*) fail "unpatched: open(O_DIRECT) fails with EINVAL" "odirect exit $rc: $out" ;;
	rfc:0) pass "rfc: open(O_DIRECT) ok, aligned 4 KiB pread at 0 returns the right bytes" ;;
	rfc:*) fail "rfc: open(O_DIRECT) ok, aligned 4 KiB pread at 0 returns the right bytes" "odirect exit $rc: $out" ;;
	esac
	[ "$role" = rfc ] || return
	out=$("$bin/vm/odirect" "$mnt/data" 1048576 4096 "$src/data" 2>&1); rc=$?
	echo "$out"
	if [ $rc = 0 ]; then
		pass "rfc: aligned 4 KiB pread at 1 MiB returns the right bytes"
	else
		fail "rfc: aligned 4 KiB pread at 1 MiB returns the right bytes" "odirect exit $rc: $out"
	fi
}

check_pins() {
	local a0 r0 a1 r1 out rc
	# fold the per-CPU vmstat deltas first, or the counters lag the truth
	echo 1 > /proc/sys/vm/stat_refresh
	a0=$(vmstat nr_foll_pin_acquired) r0=$(vmstat nr_foll_pin_released)
	out=$("$bin/vm/odirect" "$mnt/data" 0 65536 "$src/data" 2>&1); rc=$?
	echo 1 > /proc/sys/vm/stat_refresh
	a1=$(vmstat nr_foll_pin_acquired) r1=$(vmstat nr_foll_pin_released)
	echo "$out"
	echo "vmstat: nr_foll_pin_acquired $a0 -> $a1, nr_foll_pin_released $r0 -> $r1"
	local name="rfc: 64 KiB O_DIRECT read pins 16 pages and never releases them (defect 1)"
	if [ -z "$a0" ] || [ -z "$r0" ]; then
		fail "$name" "no nr_foll_pin_* in /proc/vmstat"
	elif [ $rc != 0 ]; then
		fail "$name" "the read itself failed: $out"
	elif [ $(( (a1 - a0) - (r1 - r0) )) -ge 16 ]; then	# pins that stay pinned
		pass "$name"
	else
		fail "$name" "acquired +$((a1 - a0)), released +$((r1 - r0))"
	fi
}

check_fentry() {	# check_fentry FUNCTION CMD...
	local fn=$1 out rc
	shift
	out=$("$bin/vm/fentry_probe" "$fn" "$@" 2>&1); rc=$?
	echo "$out"
	if [ $rc = 0 ]; then
		pass "$role: fentry on $fn loads, attaches and fires during a read"
	else
		fail "$role: fentry on $fn loads, attaches and fires during a read" "exit $rc: $out"
	fi
}

check_visible() {
	local f missing=
	for f in erofs_fileio_direct_io erofs_fileio_scan_iter erofs_fileio_end_io; do
		grep -qx "$f" /sys/kernel/tracing/available_filter_functions || missing+=" $f"
	done
	if [ -z "$missing" ]; then
		pass "rfc: the RFC's functions are in available_filter_functions"
	else
		fail "rfc: the RFC's functions are in available_filter_functions" "missing:$missing"
	fi
}

check_open
check_fentry erofs_fileio_readahead dd if="$mnt/data2" of=/dev/null bs=64k status=none
if [ "$role" = rfc ]; then
	check_pins
	check_visible
	check_fentry erofs_fileio_direct_io "$bin/vm/odirect" "$mnt/data" 8192 4096 "$src/data"
	check_fentry erofs_fileio_scan_iter "$bin/vm/odirect" "$mnt/data" 12288 4096 "$src/data"
fi
"$bin/fbmount" -u "$mnt"
exit 0
