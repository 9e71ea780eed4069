#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Suite test-fixed: the corrected series (kernel/patches/fixed) in its guest.
# Every pattern the RFC gets wrong must return the reference bytes, pinned
# pages must be released, and the tracer must give PASS.
SUITE=fixed
. "$(dirname "$0")/../lib.sh"
cd "$DT_ROOT" || exit 1

work=$DT_ROOT/build/fixed-test
log=$DT_ROOT/build/results/fixed.log
rm -rf "$work"
mkdir -p "$work/src"
# 1 MiB random, 1 MiB zeros, 1 MiB + 100 B random: several extents/chunks,
# a deduplicated zero chunk, and a partial last block
{ head -c 1M /dev/urandom; head -c 1M /dev/zero; head -c $((1024 * 1024 + 100)) /dev/urandom; } > "$work/src/data"
cp "$work/src/data" "$work/data"
if ! mkfs.erofs --quiet "$work/plain.erofs" "$work/src" > "$log" 2>&1 ||
   ! mkfs.erofs --quiet --chunksize=65536 "$work/chunked.erofs" "$work/src" >> "$log" 2>&1; then
	t_fail "images" "mkfs.erofs failed, see $log"
	t_done
fi

o=$work/out
tests/vm/vm-run --flavour fixed --timeout 400 --out "$o" -- tests/fixed/guest.sh "$work" >> "$log" 2>&1
rc=$?
[ $rc = 0 ] || t_fail "guest run" "vm-run exit $rc, see $log"
t_import "$o/checks.txt"

# what patch 0002 fixes: on the unpatched source, statx(STATX_DIOALIGN) of a
# file-backed file asks bdev_logical_block_size() of a NULL s_bdev
name="unpatched: statx(STATX_DIOALIGN) on file-backed EROFS oopses in erofs_getattr (fixed by 0002)"
tests/vm/vm-run --flavour unpatched --timeout 200 -- \
	"cp $work/plain.erofs \$SCRATCH/p.erofs && mkdir \$SCRATCH/m &&
	 build/tests/fbmount \$SCRATCH/p.erofs \$SCRATCH/m &&
	 build/tests/fixed/diocheck --dioalign-only 4096 \$SCRATCH/m/data; echo statx-returned" \
	> "$work/statx-unpatched.txt" 2>&1
rc=$?
cat "$work/statx-unpatched.txt" >> "$log"
if [ $rc = 120 ] && grep -q 'erofs_getattr' "$work/statx-unpatched.txt" &&
   ! grep -q statx-returned "$work/statx-unpatched.txt"; then
	t_pass "$name"
else
	t_fail "$name" "vm-run exit $rc, see $work/statx-unpatched.txt"
fi
t_done
