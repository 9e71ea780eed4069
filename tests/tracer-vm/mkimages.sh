#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Host side: build the default workload's EROFS images under build/ (the
# guest copies them into its ramfs scratch; mkfs.erofs cannot write there).
#   flat.img  /big    3 MiB + 100 B: one extent plus an inline tail
#   chunk.img /multi  2 MiB in 64 KiB chunks: 32 extents
set -eu
W=${1:-build/tests/tracer-vm}
rm -rf "$W/src1" "$W/src2" "$W/flat.img" "$W/chunk.img"
mkdir -p "$W/src1" "$W/src2"
head -c $((3 * 1048576 + 100)) /dev/urandom > "$W/src1/big"
head -c $((2 * 1048576)) /dev/urandom > "$W/src2/multi"
mkfs.erofs --quiet "$W/flat.img" "$W/src1" >/dev/null
mkfs.erofs --quiet --chunksize=65536 "$W/chunk.img" "$W/src2" >/dev/null
