#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs inside the `fixed` guest: tests/tracer-async/guest.sh WORKDIR [MOUNTS]
# WORKDIR (host, read-only here) holds fio.erofs, an image of fio.dat (6 MiB
# written by fio with a crc32c header per 4 KiB block).  Every cell traces a
# fio random O_DIRECT read of the whole file under `erofs-diotrace run
# --assert --json`, with fio verifying each block itself.  One line per cell
# in $OUT/cells.txt: "TAG RUN_EXIT FIO_BYTES FIO_ERROR".
set -u
work=$1
mounts=${2:-dio ram}	# dio: `directio` over ext4; ram: over ramfs
tool=build/erofs-diotrace
cells=$OUT/cells.txt
: > "$cells"

mount_image() { mkdir -p "$2" && build/tests/fbmount "$1" "$2" ${3:+"$3"}; }

# fio_json FILE: "io_bytes error" of its only job
fio_json() {
	python3 -c '
import json, sys
t = open(sys.argv[1]).read()
j = json.loads(t[t.index("{"):])["jobs"][0]
print(j["read"]["io_bytes"], j["error"])' "$1" 2>/dev/null || echo "? ?"
}

# cell TAG DIR ENGINE QD
cell() {
	local tag=$1 dir=$2 eng=$3 qd=$4 rc
	sync
	echo 3 > /proc/sys/vm/drop_caches
	timeout -s KILL 600 "$tool" run --assert --json "$OUT/$tag.json" -- \
		fio --name=v --filename="$dir/fio.dat" --readonly --rw=randread --bsrange=4k-1m \
		--ioengine="$eng" --iodepth="$qd" --direct=1 --size=6M --verify=crc32c \
		--verify_interval=4096 --verify_fatal=1 --verify_state_save=0 \
		--output-format=json --output="$OUT/$tag.fio" > "$OUT/$tag.txt" 2>&1
	rc=$?
	echo "$tag $rc $(fio_json "$OUT/$tag.fio")" >> "$cells"
}

# ext4 on a loop file: with `directio` the backing reads are direct and
# really asynchronous (-EIOCBQUEUED), so async user reads are queued too
ext=$SCRATCH/ext4.img
if ! { truncate -s 64M "$ext" && mkfs.ext4 -q -F "$ext" && mkdir -p "$SCRATCH/ext4" &&
       mount -o loop "$ext" "$SCRATCH/ext4" && cp "$work/fio.erofs" "$SCRATCH/ext4/" &&
       mount_image "$SCRATCH/ext4/fio.erofs" "$SCRATCH/m-dio" directio; }; then
	echo "setup 99 ? ?" >> "$cells"
	exit 0
fi
# ramfs: buffered backing reads, served at once (no read is queued)
cp "$work/fio.erofs" "$SCRATCH/ram.erofs" && mount_image "$SCRATCH/ram.erofs" "$SCRATCH/m-ram" ||
	echo "setup-ram 99 ? ?" >> "$cells"

for m in $mounts; do
	for eng in psync libaio io_uring; do
		for qd in 1 16; do
			[ $eng = psync ] && [ $qd = 16 ] && continue
			cell "$m-$eng-$qd" "$SCRATCH/m-$m" $eng $qd
		done
	done
done

# a short run recorded as text, for tests/data (guest-recorded stream)
timeout -s KILL 300 "$tool" run --record-text "$OUT/uring.txtrec" -- \
	fio --name=r --filename="$SCRATCH/m-dio/fio.dat" --readonly --rw=randread --bs=4k \
	--ioengine=io_uring --iodepth=4 --direct=1 --size=6M --number_ios=12 \
	--randseed=7 --output=/dev/null > "$OUT/uring-record.txt" 2>&1
echo "record $? ? ?" >> "$cells"
build/tests/fbmount -u "$SCRATCH/m-dio"
build/tests/fbmount -u "$SCRATCH/m-ram"
umount "$SCRATCH/ext4"
exit 0
