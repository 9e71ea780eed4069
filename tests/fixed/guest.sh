#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs inside the `fixed` guest (tests/vm/vm-run --flavour fixed).
#   tests/fixed/guest.sh WORKDIR
# WORKDIR (host, read-only here) holds data (the reference file, with a hole)
# and fio.dat (fio's own verification headers), the images LAYOUT.erofs built
# from both (plain, inline, chunked, sparse) and short.erofs (data alone).
# Writes one "PASS name" / "FAIL name -- why" line per check to $OUT/checks.txt.
set -u
work=$1
bin=build/tests/fixed/diocheck
tool=build/erofs-diotrace
checks=$OUT/checks.txt
layouts="plain inline chunked sparse"
# DT_FIXED_CELLS: run only these cells (tags as in the check names: inline,
# ext4-sparse-directio, short, ext4-short-directio, ramfs-directio, ...;
# plain always runs, the nowait and tracer checks read it); unset: every cell.
# DT_FIXED_FIO: the fio ENGINE:QD runs of each cell.  DEBUG=1 sets both.
cell() { [ "$1" = plain ] || [ -z "${DT_FIXED_CELLS:-}" ] || [[ " $DT_FIXED_CELLS " == *" $1 "* ]]; }
: > "$checks"

fail() { echo "FAIL $1 -- $2" >> "$checks"; }
pass() { echo "PASS $1" >> "$checks"; }

# diocheck_on TAG FILE REF [ARGS]: run diocheck, prefix its lines with TAG
diocheck_on() {
	local tag=$1 f=$2 ref=$3
	shift 3
	"$bin" "$@" "$f" "$ref" > "$OUT/diocheck-$tag.txt" 2>&1
	grep -E '^(PASS|FAIL) ' "$OUT/diocheck-$tag.txt" | sed -E "s,^(PASS|FAIL) ,\1 fixed/$tag: ," >> "$checks"
	grep -qE '^(PASS|FAIL) ' "$OUT/diocheck-$tag.txt" ||
		fail "fixed/$tag: diocheck" "no result lines: $(tail -n 3 "$OUT/diocheck-$tag.txt" | tr '\n' ' ')"
}

# fio_verify TAG FILE ENGINE QD: random O_DIRECT reads of 4 KiB to 4 MiB over
# all of FILE, each 4 KiB block checked by fio against its own header
fio_verify() {
	local tag=$1 f=$2 eng=$3 qd=$4 out=$OUT/fio-$1-$3-$4 name got
	name="fixed/$tag: fio $eng QD$qd O_DIRECT 4k-4m random reads pass fio's crc32c verify"
	fio --name=v --filename="$f" --readonly --rw=randread --bsrange=4k-4m \
		--ioengine="$eng" --iodepth="$qd" --direct=1 --size=6M --verify=crc32c \
		--verify_interval=4096 --verify_fatal=1 --verify_state_save=0 \
		--output-format=json --output="$out.json" > "$out.err" 2>&1
	local rc=$?
	got=$(python3 -c '
import json, sys
t = open(sys.argv[1]).read()
j = json.loads(t[t.index("{"):])["jobs"][0]
print(j["read"]["io_bytes"], j["error"])' "$out.json" 2>/dev/null)
	if [ $rc = 0 ] && [ "$got" = "6291456 0" ]; then
		pass "$name"
	else
		fail "$name" "exit $rc, read/error '$got': $(grep -m 2 -iE 'verify|err' "$out.err" "$out.json" | tr '\n' ' ')"
	fi
}

# erofs_cached MNT: bytes of EROFS page cache of the files of MNT
erofs_cached() {
	"$tool" audit -b --json "$1" 2>> "$OUT/audit.err" | python3 -c '
import json, sys
print(json.load(sys.stdin)["mounts"][0]["total"]["erofs_cached"])' 2>> "$OUT/audit.err"
}

# mount_image IMAGE DIR [OPTIONS]
mount_image() {
	mkdir -p "$2" && build/tests/fbmount "$1" "$2" ${3:+"$3"}
}

# suite TAG MNT: every direct-read check on one mounted image
suite() {
	local tag=$1 m=$2 before after eng qd
	sync
	echo 3 > /proc/sys/vm/drop_caches
	before=$(erofs_cached "$m")
	diocheck_on "$tag" "$m/data" "$work/data" --expect-dioalign 4096
	for eng in ${DT_FIXED_FIO:-psync:1 libaio:1 libaio:16 io_uring:1 io_uring:16}; do
		fio_verify "$tag" "$m/fio.dat" "${eng%:*}" "${eng#*:}"
	done
	after=$(erofs_cached "$m")
	if [ -n "$before" ] && [ "$before" = "$after" ]; then
		pass "fixed/$tag: direct reads leave the EROFS page cache as it was ($after B)"
	else
		fail "fixed/$tag: direct reads leave the EROFS page cache as it was" \
			"before '$before' B, after '$after' B (audit: $(tail -n 1 "$OUT/audit.err" 2>/dev/null))"
	fi
}

# an image truncated under its mount: direct reads return partial progress
# or an error, never zeroes, and cache nothing in EROFS
short_read() {
	local tag=$1 dir=$2 opt=${3:-} m=$SCRATCH/m-short-$1 after
	cp "$work/short.erofs" "$dir/short.erofs"
	if ! mount_image "$dir/short.erofs" "$m" "$opt"; then
		fail "fixed/$tag: mount" "fbmount $opt failed"
		return
	fi
	# the file's data starts after the metadata: cut inside its last MiB
	truncate -s $((5 * 1024 * 512)) "$dir/short.erofs"
	echo 3 > /proc/sys/vm/drop_caches
	diocheck_on "$tag" "$m/data" "$work/data" --short
	after=$(erofs_cached "$m")
	if [ "$after" = 0 ]; then
		pass "fixed/$tag: a short backing read caches nothing in EROFS"
	else
		fail "fixed/$tag: a short backing read caches nothing in EROFS" "EROFS cache '$after' B"
	fi
	build/tests/fbmount -u "$m"
}

# ramfs-backed, buffered backing reads
for layout in $layouts; do
	cell "$layout" || continue
	cp "$work/$layout.erofs" "$SCRATCH/$layout.erofs"
	if ! mount_image "$SCRATCH/$layout.erofs" "$SCRATCH/m-$layout"; then
		fail "fixed/$layout: mount" "fbmount failed"
		continue
	fi
	suite "$layout" "$SCRATCH/m-$layout"
done
# a flat file on ramfs never blocks: RWF_NOWAIT is served, not refused
if grep -qx '# nowait: data' "$OUT/diocheck-plain.txt"; then
	pass "fixed/plain: RWF_NOWAIT direct read is served without blocking"
else
	fail "fixed/plain: RWF_NOWAIT direct read is served without blocking" \
		"$(grep '^# nowait' "$OUT/diocheck-plain.txt")"
fi
cell short && short_read short "$SCRATCH"

# the tracer's verdict on the corrected kernel: every check PASS
if "$tool" run --assert --json "$OUT/trace-plain.json" -- \
	"$bin" "$SCRATCH/m-plain/data" "$work/data" > "$OUT/trace-plain.txt" 2>&1; then
	pass "fixed/plain: erofs-diotrace run --assert gives PASS"
else
	fail "fixed/plain: erofs-diotrace run --assert gives PASS" \
		"exit $?: $(grep -E '^Verdict|^  - ' "$OUT/trace-plain.txt" | head -n 4 | tr '\n' ' ')"
fi
for layout in $layouts; do
	build/tests/fbmount -u "$SCRATCH/m-$layout" 2>/dev/null
done

# `directio` on ramfs: the backing file cannot read directly, so the option
# is dropped at mount time, once, with a message (not per read, silently)
name="fixed/ramfs: directio is refused at mount time with one message"
dmesg -C 2>/dev/null
if ! cell ramfs-directio; then
	:
elif mount_image "$SCRATCH/plain.erofs" "$SCRATCH/m-rd" directio; then
	opts=$(awk -v m="$SCRATCH/m-rd" '$2 == m { print $4 }' /proc/mounts)
	msgs=$(dmesg | grep -c 'directio: backing file cannot read directly')
	if [ "$msgs" = 1 ] && [[ ",$opts," != *,directio,* ]]; then
		pass "$name"
	else
		fail "$name" "options '$opts', $msgs message(s)"
	fi
	suite ramfs-directio "$SCRATCH/m-rd"
	build/tests/fbmount -u "$SCRATCH/m-rd"
else
	fail "$name" "fbmount directio failed"
fi

# ext4-backed, with and without `directio`: with it, the backing reads
# themselves are direct (iomap) and pin/release the user's pages
ext=$SCRATCH/ext4.img
if truncate -s 160M "$ext" && mkfs.ext4 -q -F "$ext" && mkdir -p "$SCRATCH/ext4" &&
   mount -o loop "$ext" "$SCRATCH/ext4"; then
	for layout in $layouts; do
		cp "$work/$layout.erofs" "$SCRATCH/ext4/$layout.erofs"
		for opt in "" directio; do
			tag=ext4-$layout${opt:+-$opt}
			cell "$tag" || continue
			m=$SCRATCH/m-$tag
			if ! mount_image "$SCRATCH/ext4/$layout.erofs" "$m" "$opt"; then
				fail "fixed/$tag: mount" "fbmount $opt failed"
				continue
			fi
			if [ -n "$opt" ] && ! awk -v m="$m" '$2 == m { print $4 }' /proc/mounts | grep -qw directio; then
				fail "fixed/$tag: directio kept on ext4" "$(grep " $m " /proc/mounts)"
			fi
			suite "$tag" "$m"
			if [ -n "$opt" ]; then
				pins=$(sed -n 's/^# pins acquired \([0-9]*\) released.*/\1/p' "$OUT/diocheck-$tag.txt")
				if [ "${pins:-0}" -gt 0 ]; then
					pass "fixed/$tag: backing reads are direct (user pages pinned: $pins)"
				else
					fail "fixed/$tag: backing reads are direct" "no user page was pinned: backing reads were buffered"
				fi
			fi
			build/tests/fbmount -u "$m"
		done
	done
	cell ext4-short && short_read ext4-short "$SCRATCH/ext4"
	cell ext4-short-directio && short_read ext4-short-directio "$SCRATCH/ext4" directio
	umount "$SCRATCH/ext4"
else
	fail "fixed/ext4: scratch" "could not make or mount an ext4 loop image"
fi
exit 0
