#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Guest side of `make demo` and of test-tracer-vm; runs inside tests/vm/vm-run
# (cwd = the repo, $SCRATCH = ramfs that can back a file-backed EROFS mount,
# $OUT = shared with the host).
#
#   workload.sh demo    build two images, trace the default workload, print the report
#   workload.sh suite   the same reads, one traced run per expectation; files in $OUT
#   workload.sh unpatched   an O_DIRECT read on the unpatched flavour; files in $OUT
#   workload.sh async   O_DIRECT reads on a `directio` mount over ext4; files in $OUT
#   workload.sh fixed   the rfc suite's reads, all expected to PASS (fixed flavour)
#
# The default workload: the images of tests/tracer-vm/mkimages.sh, copied to
# $SCRATCH and mounted file-backed;
# O_DIRECT reads of 4 KiB .. 512 KiB at aligned offsets, a chunk-spanning read,
# a 2 MiB preadv into every other page (more bio vectors than the RFC's bio
# holds: EIO) and a buffered read.  Nothing reads the last partial block with
# O_DIRECT: on the rfc kernel that oopses (defect 6).
set -u
mode=${1:-demo}
R=$(pwd)
T=$R/build/erofs-diotrace
DR=$R/build/tests/dioread
FB=$R/build/tests/fbmount
S=${SCRATCH:?run me inside tests/vm/vm-run}/dt
O=${OUT:?run me inside tests/vm/vm-run}

PASS_OPS="p:0:4K p:4K:8K p:64K:64K p:256K:128K p:512K:256K p:1M:512K v:2M:512K"
CHUNK_OPS="p:0:256K p:512K:512K"
FAIL_OPS="v:0:2M"

# images come from tests/tracer-vm/mkimages.sh on the host (in $W)
W=$R/build/tests/tracer-vm
mkimages() {
	mkdir -p "$S/m1" "$S/m2" &&
	cp "$W/flat.img" "$W/chunk.img" "$S/" &&
	"$FB" "$S/flat.img" "$S/m1" && "$FB" "$S/chunk.img" "$S/m2"
}

umount_all() {
	"$FB" -u "$S/m1" 2>/dev/null
	"$FB" -u "$S/m2" 2>/dev/null
}
trap umount_all EXIT

drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches; }

# traced NAME [run options] -- CMD...: report, JSON, --probes table, rc into $O/NAME.*
traced() {
	name=$1
	shift
	drop_caches
	"$T" run --probes -v --json "$O/$name.json" -o "$O/$name.rep" "$@" \
		> "$O/$name.out" 2> "$O/$name.err"
	echo $? > "$O/$name.rc"
}

suite() {
	traced pass --assert --expect-dio -- "$DR" -c "$W/src1/big" "$S/m1/big" $PASS_OPS
	traced chunk --assert --expect-dio -- "$DR" -c "$W/src2/multi" "$S/m2/multi" $CHUNK_OPS
	traced fail --assert --expect-dio -- "$DR" -c "$W/src1/big" "$S/m1/big" $FAIL_OPS
	traced buffered -- cat "$S/m1/big"
	# inside a 64 KiB chunk: the RFC reads from the chunk's start (defect 3)
	traced offset --assert --expect-dio -- "$DR" -c "$W/src2/multi" "$S/m2/multi" p:68K:8K
	# the kprobe/kretprobe fallbacks, as on a kernel that refuses fentry
	traced kprobe --avoid fentry --assert --expect-dio -- \
		"$DR" -c "$W/src1/big" "$S/m1/big" p:0:4K p:1M:512K $FAIL_OPS
}

# `directio` mount over an image on ext4 (loop): backing reads are themselves
# direct and complete asynchronously (-EIOCBQUEUED); the RFC does not wait
# for them (defect 4)
async() {
	truncate -s 64M "$S/ext4.img" && mkfs.ext4 -q -F "$S/ext4.img" &&
	mkdir -p "$S/e" "$S/m3" && mount -o loop "$S/ext4.img" "$S/e" &&
	cp "$W/flat.img" "$S/e/" && sync &&
	"$FB" "$S/e/flat.img" "$S/m3" directio || { echo "async: setup failed" >&2; return 1; }
	# -s: no system call for 300 ms after each read, while the late
	# completion scribbles on the dead stack frame (see dioread.c)
	traced async --assert --expect-dio -- "$DR" -c "$W/src1/big" -s 300 "$S/m3/big" p:0:4K p:1M:512K
	"$FB" -u "$S/m3"
	umount "$S/e"
}

# on the fixed flavour (a corrected series): the RFC's failing read must pass
fixed() {
	traced fixed --assert --expect-dio -- \
		"$DR" -c "$W/src1/big" "$S/m1/big" $PASS_OPS $FAIL_OPS
}

# on the unpatched flavour: the same object, no DIO function, O_DIRECT refused
unpatched() {
	traced unpatched --assert --expect-dio -- "$DR" "$S/m1/big" p:0:4K
}

demo() {
	echo "== erofs-diotrace run on $(uname -r) ($DT_FLAVOUR): default workload"
	echo "== O_DIRECT: $PASS_OPS $FAIL_OPS on /big; $CHUNK_OPS on /multi; then a buffered cat"
	drop_caches
	"$T" run --probes -v --json "$O/demo.json" -o "$O/demo.rep" -- sh -c "
		'$DR' -c '$W/src1/big' '$S/m1/big' $PASS_OPS $FAIL_OPS
		'$DR' -c '$W/src2/multi' '$S/m2/multi' $CHUNK_OPS
		cat '$S/m1/big' > /dev/null"
	rc=$?
	cat "$O/demo.rep"
	echo "== report also in $O/demo.rep and demo.json (exit $rc)"
}

if ! mkimages; then
	echo "workload: cannot build or mount the EROFS images in $S" >&2
	exit 1
fi
case $mode in
demo) demo ;;
suite) suite ;;
unpatched) unpatched ;;
async) async ;;
fixed) fixed ;;
*) echo "usage: workload.sh demo|suite|unpatched|async|fixed" >&2; exit 2 ;;
esac
