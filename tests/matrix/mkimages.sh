#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The matrix's test data and images, built on the host (the guest sees them
# read-only at the same path).
#
#   tests/matrix/mkimages.sh WORKDIR
#
# WORKDIR/data      4 MiB + 100 B: 2 MiB random, a 1 MiB hole, 1 MiB + 100 B
#                   random (several extents or chunks, a hole, a partial
#                   last block); the reference every read is compared with
# WORKDIR/src/      data (sparse) and fio.dat (6 MiB, a crc32c header in
#                   every 4 KiB block, written by fio for its verify)
# WORKDIR/IMAGE.erofs  plain inline chunk sparse lz4 multi (+ multi.blob)
set -eu -o pipefail
w=${1:?usage: mkimages.sh WORKDIR}
rm -rf "$w"
mkdir -p "$w/src" "$w/zsrc"
head -c 2M /dev/urandom > "$w/data"
truncate -s 3M "$w/data"
head -c $((1024 * 1024 + 100)) /dev/urandom >> "$w/data"
cp --sparse=always "$w/data" "$w/src/data"
fio --name=w --filename="$w/src/fio.dat" --rw=write --bs=4k --size=6M --verify=crc32c \
	--do_verify=0 --verify_state_save=0 --output=/dev/null
# compressible, so that mkfs.erofs really stores it lz4-compressed
seq 1 400000 > "$w/zsrc/data"
mk() { mkfs.erofs --quiet "$@"; }
mk -Enoinline_data "$w/plain.erofs" "$w/src"
mk "$w/inline.erofs" "$w/src"
mk --chunksize=65536 "$w/chunk.erofs" "$w/src"
mk --chunksize=4096 "$w/sparse.erofs" "$w/src"
mk -zlz4 "$w/lz4.erofs" "$w/zsrc"
mk --chunksize=65536 --blobdev="$w/multi.blob" "$w/multi.erofs" "$w/src"
