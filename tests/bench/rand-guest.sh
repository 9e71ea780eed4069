#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Guest side of `make bench-rand`: fio 4 KiB random reads of one EROFS file,
# buffered and O_DIRECT, psync / io_uring / libaio at queue depth 1 and 16,
# on a file-backed mount with and without `directio`, over two backings:
#   ram      the image on ext4 on a loop file in RAM (no latency to overlap)
#   nullblk  the image on ext4 on a null_blk device made through configfs:
#            memory-backed, timer completions after 1 ms (a cloud volume)
# On null_blk the reference is fio reading the image file itself with
# O_DIRECT at the same engine and depth.  Caches are dropped before each
# cell; `erofs-diotrace audit` measures both page caches before and after.
# One JSON line per cell is appended to $OUT/rand.jsonl as soon as it is
# measured (a guest that dies mid-way leaves the cells it finished).
#   tests/bench/rand-guest.sh WORKDIR SIZE_MIB RUNTIME_S
set -u
me=rand-guest
work=${1:-}
size=${2:-}
runtime=${3:-}
tool=build/erofs-diotrace
fbmount=build/tests/fbmount
s=${SCRATCH:-}/rand
res=${OUT:-}/rand.jsonl
cfs=/sys/kernel/config
nb=$cfs/nullb/dtbench

die() { echo "$me: $*" >&2; exit 2; }
# it makes filesystems, loop and null_blk devices: only inside a vm-run guest
[ "${DT_GUEST:-}" = 1 ] && [ -n "${SCRATCH:-}" ] && [ -n "${OUT:-}" ] ||
	die "run this inside a guest (make bench-rand boots one), not on the host"
[ $# = 3 ] || die "usage: rand-guest.sh WORKDIR SIZE_MIB RUNTIME_S"
case $size:$runtime in
*[!0-9:]*|:*|*:|0*) die "SIZE_MIB and RUNTIME_S must be positive whole numbers, got '$size' '$runtime'" ;;
esac
for t in fio mkfs.ext4; do
	command -v "$t" > /dev/null || die "$t not found (apt-get install fio e2fsprogs)"
done
[ -x "$tool" ] && [ -x "$fbmount" ] || die "run 'make all helpers' first"
mkdir -p "$s/ram" "$s/nullblk" "$s/m" "$OUT/rand" || die "cannot create $s or $OUT/rand"
: > "$res" || die "cannot write $res"

cleanup() {
	"$fbmount" -u "$s/m" 2> /dev/null
	umount "$s/ram" "$s/nullblk" 2> /dev/null
	[ -d "$nb" ] && { echo 0 > "$nb/power"; rmdir "$nb"; } 2> /dev/null
}
trap cleanup EXIT

# emit JSON: append one line to $res, or die
emit() {
	printf '%s\n' "$1" >> "$res" || die "cannot write $res"
}

# jstr S: S made safe inside a JSON string (no quote, backslash or control)
jstr() {
	printf '%s' "${1//[\"\\[:cntrl:]]/?}"
}

# nullb_make: a 1 ms memory-backed null_blk disk, /dev/dtbench
nullb_make() {
	local mib=$1 kv
	mountpoint -q "$cfs" || mount -t configfs configfs "$cfs" ||
		die "cannot mount configfs on $cfs (CONFIG_CONFIGFS_FS)"
	[ -d "$cfs/nullb" ] || die "no $cfs/nullb: the kernel lacks CONFIG_BLK_DEV_NULL_BLK"
	mkdir "$nb" || die "cannot create $nb"
	for kv in memory_backed=1 irqmode=2 completion_nsec=1000000 blocksize=4096 \
		size="$mib" power=1; do
		echo "${kv#*=}" > "$nb/${kv%%=*}" || die "null_blk: cannot set ${kv%%=*}=${kv#*=}"
	done
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		[ -b /dev/dtbench ] && return 0
		sleep 0.2
	done
	die "null_blk: /dev/dtbench did not appear"
}

# backing_up NAME: ext4 with the image on it, mounted on $s/NAME
backing_up() {
	local name=$1 mib=$((size * 2 + 64)) dev
	if [ "$name" = ram ]; then
		truncate -s "${mib}M" "$s/ext4.img" || die "cannot create $s/ext4.img"
		dev=$s/ext4.img
	else
		nullb_make "$mib"
		dev=/dev/dtbench
	fi
	# no lazy init: its background writes would land inside the cells
	mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 "$dev" ||
		die "mkfs.ext4 on $dev failed"
	if [ "$name" = ram ]; then
		mount -o loop "$dev" "$s/$name"
	else
		mount "$dev" "$s/$name"
	fi || die "cannot mount ext4 on $dev"
	cp "$work/bench.erofs" "$s/$name/" && sync || die "cannot copy the image to $s/$name"
}

# mount_erofs NAME OPTS ("" or directio); records the options the kernel shows
mount_erofs() {
	local opts
	"$fbmount" "$s/$1/bench.erofs" "$s/m" ${2:+"$2"} || die "cannot mount the image on $1 (${2:-no options})"
	opts=$(awk -v m="$s/m" '$5 == m { print $6 "," $NF }' /proc/self/mountinfo)
	emit "{\"mount_info\": {\"backing\": \"$1\", \"asked\": \"${2:-}\", \"shown\": \"$(jstr "$opts")\"}}"
}

# audit_to FILE: both page caches of the mount
audit_to() {
	"$tool" audit -b --json "$s/m" > "$1" || die "audit of $s/m failed (see $1)"
}

# cell BACKING MOUNT KIND ROW DIRECT ENGINE QD FILE: one measured cell
cell() {
	local backing=$1 mount=$2 kind=$3 row=$4 direct=$5 engine=$6 qd=$7 file=$8
	local id=$backing-$mount-$kind-$row rc p
	p=$OUT/rand/$id
	# a start line without a result line: the guest died inside this cell
	emit "{\"start\": {\"backing\": \"$backing\", \"mount\": \"$mount\", \"kind\": \"$kind\", \"row\": \"$row\", \"direct\": $direct, \"engine\": \"$engine\", \"qd\": $qd}}"
	sync
	echo 3 > /proc/sys/vm/drop_caches || die "cannot drop caches"
	audit_to "$p.before.json"
	fio --name="$id" --filename="$file" --readonly --rw=randread --bs=4k \
		--ioengine="$engine" --iodepth="$qd" --direct="$direct" --size="${size}M" \
		--time_based --runtime="$runtime" --norandommap --randrepeat=0 \
		--invalidate=0 --output-format=json --output="$p.fio.json" 2> "$p.fio.err"
	rc=$?
	audit_to "$p.after.json"
	# the host reads the fio and audit files (python here costs seconds a cell)
	emit "{\"backing\": \"$backing\", \"mount\": \"$mount\", \"kind\": \"$kind\", \"row\": \"$row\", \"direct\": $direct, \"engine\": \"$engine\", \"qd\": $qd, \"fio_rc\": $rc, \"files\": \"rand/$id\"}"
	[ "$rc" = 0 ] || echo "$me: $id: fio exit $rc: $(head -c 200 "$p.fio.err")" >&2
	return 0
}

# the EROFS rows: ROW DIRECT ENGINE QD
rows="buf-psync1 0 psync 1
buf-uring16 0 io_uring 16
dio-psync1 1 psync 1
dio-uring1 1 io_uring 1
dio-aio1 1 libaio 1
dio-uring16 1 io_uring 16
dio-aio16 1 libaio 16"

emit "{\"meta\": {\"flavour\": \"$(jstr "${DT_FLAVOUR:-?}")\", \"kernel\": \"$(jstr "$(uname -r)")\", \"runtime\": $runtime, \"size_mib\": $size, \"fio\": \"$(jstr "$(fio --version)")\", \"cpus\": $(nproc)}}"

backing_up ram
backing_up nullblk
# every mount without `directio` first: a kernel that dies in a directio
# cell (the RFC can) has then measured all the others
for mount in plain directio; do
	for backing in ram nullblk; do
		if [ "$mount" = plain ]; then mount_erofs "$backing" ""
		else mount_erofs "$backing" directio; fi
		while read -r row direct engine qd; do
			cell "$backing" "$mount" erofs "$row" "$direct" "$engine" "$qd" "$s/m/data"
		done <<< "$rows"
		# the physical reference: the image file itself, O_DIRECT, same
		# engine and depth (once per backing; the mount does not matter)
		if [ "$backing" = nullblk ] && [ "$mount" = plain ]; then
			while read -r row direct engine qd; do
				[ "$direct" = 1 ] &&
					cell "$backing" - ref "$row" 1 "$engine" "$qd" "$s/$backing/bench.erofs"
			done <<< "$rows"
		fi
		"$fbmount" -u "$s/m" || die "cannot unmount $s/m"
	done
done
echo "$me: done: $(grep -c '"files"' "$res") cells in $res"
