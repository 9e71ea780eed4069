#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Suite test-fixed: the corrected series (kernel/patches/fixed) in its guest.
# Every pattern the RFC gets wrong must return the reference bytes, pinned
# pages must be released, and the tracer must give PASS.
SUITE=fixed
# DEBUG=1: the --debug kernel (KASAN, lockdep, kmemleak; vm-run follows
# DT_DEBUG), results as suite fixed-debug.  It runs ~4x slower under TCG, so
# only the cells taking distinct paths through the series (README, "debug"):
# ramfs plain and inline (sync backing, inline tail, tracer), ext4 sparse and
# short with directio (async backing completions over many extents and holes,
# short reads), fio at QD 16 only
cells=
if [ "${DEBUG:-0}" = 1 ]; then
	SUITE=fixed-debug && export DT_DEBUG=1
	cells="DT_FIXED_CELLS='inline ext4-sparse-directio ext4-short-directio' DT_FIXED_FIO='libaio:16 io_uring:16'"
fi
. "$(dirname "$0")/../lib.sh"
cd "$DT_ROOT" || exit 1

work=$DT_ROOT/build/$SUITE-test
log=$DT_ROOT/build/results/$SUITE.log
rm -rf "$work"
mkdir -p "$work/src" "$work/short"
# data: 1 MiB random, a 1 MiB hole, 1 MiB + 100 B random: several extents or
# chunks, a hole (null chunks in chunk-based images) and a partial last block.
# fio.dat: 6 MiB written by fio with a crc32c header in every 4 KiB block, so
# that fio verifies what it reads without knowing anything of EROFS.
{ head -c 1M /dev/urandom > "$work/data" &&
  truncate -s 2M "$work/data" &&
  head -c $((1024 * 1024 + 100)) /dev/urandom >> "$work/data" &&
  cp --sparse=always "$work/data" "$work/src/data" && cp "$work/data" "$work/short/data" &&
  fio --name=w --filename="$work/src/fio.dat" --rw=write --bs=4k --size=6M \
	--verify=crc32c --do_verify=0 --verify_state_save=0 --output=/dev/null; } > "$log" 2>&1 ||
	{ t_fail "test data" "could not write it, see $log"; t_done; }
# plain: no tail packing; inline: the last partial block inline in the inode;
# chunked: 64 KiB chunks; sparse: 4 KiB chunks, the hole as null chunks
if ! mkfs.erofs --quiet -Enoinline_data "$work/plain.erofs" "$work/src" >> "$log" 2>&1 ||
   ! mkfs.erofs --quiet "$work/inline.erofs" "$work/src" >> "$log" 2>&1 ||
   ! mkfs.erofs --quiet --chunksize=65536 "$work/chunked.erofs" "$work/src" >> "$log" 2>&1 ||
   ! mkfs.erofs --quiet --chunksize=4096 "$work/sparse.erofs" "$work/src" >> "$log" 2>&1 ||
   ! mkfs.erofs --quiet -Enoinline_data "$work/short.erofs" "$work/short" >> "$log" 2>&1; then
	t_fail "images" "mkfs.erofs failed, see $log"
	t_done
fi

o=$work/out
tests/vm/vm-run --flavour fixed --timeout 1500 --out "$o" -- ${cells:+"$cells"} tests/fixed/guest.sh "$work" >> "$log" 2>&1
rc=$?
[ $rc = 0 ] || t_fail "guest run" "$(t_vmwhy $rc "$log")"
t_import "$o/checks.txt"

[ "$SUITE" = fixed-debug ] && t_done	# the unpatched oops below needs no debug kernel
# what patch 0001 fixes: on the unpatched source, statx(STATX_DIOALIGN) of a
# file-backed file asks bdev_logical_block_size() of a NULL s_bdev
name="unpatched: statx(STATX_DIOALIGN) on file-backed EROFS oopses in erofs_getattr (fixed by 0001)"
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
