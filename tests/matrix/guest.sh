#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The matrix's guest part (run by tests/matrix/run-flavour.sh through
# tests/vm/vm-run): runs the cells listed in TODO, in that order.
#
#   tests/matrix/guest.sh WORKDIR TODO
#
# WORKDIR is tests/matrix/mkimages.sh's output; TODO holds one scenario ID a
# line (see tests/matrix/scenarios).  For every cell it writes, under
# $OUT/cells/ID/: start (before anything runs), data.txt (mxread's or fio's
# result lines) and data.rc, trace.json / trace.txt / trace.rc (erofs-diotrace
# run --json --assert), audit0.json / audit1.json (erofs-diotrace audit of the
# mount before and after), pins (nr_foll_pin_acquired and _released deltas),
# console.txt (oops, BUG, WARNING, KASAN or hung-task lines in dmesg), setup.txt
# when the cell's mount could not be made, and done last.  A cell with start
# but no done when the guest died is the one that killed it.
set -u
work=$1
todo=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tool=$root/build/erofs-diotrace
mx=$root/build/tests/matrix/mxread
fbmount=$root/build/tests/fbmount
pat='BUG:|Oops|WARNING:|KASAN:|kernel BUG|hung task|blocked for more than|Kernel panic|general protection'
mkdir -p "$OUT/cells"

# backing DIR for BACKING (ramfs or ext4); ext4 is made once a boot
backing_dir() {
	if [ "$1" = ramfs ]; then
		echo "$SCRATCH/ramfs"
		mkdir -p "$SCRATCH/ramfs"
		return 0
	fi
	# (called in a command substitution: the mount itself is the state)
	if ! mountpoint -q "$SCRATCH/ext4"; then
		truncate -s 200M "$SCRATCH/ext4.img" && mkfs.ext4 -q -F "$SCRATCH/ext4.img" &&
			mkdir -p "$SCRATCH/ext4" && mount -o loop "$SCRATCH/ext4.img" "$SCRATCH/ext4" ||
			return 1
	fi
	echo "$SCRATCH/ext4"
}

# mount_setup SETUP: mount it once a boot; prints the mount point
mount_setup() {
	local backing image opt dir m opts msg
	IFS=: read -r backing image opt <<< "$1"
	m=$SCRATCH/m-$backing-$image${opt:+-$opt}
	if mountpoint -q "$m"; then
		echo "$m"
		return 0
	fi
	dir=$(backing_dir "$backing") || { echo "cannot make the $backing backing filesystem"; return 1; }
	[ -f "$dir/$image.erofs" ] || cp "$work/$image.erofs" "$dir/" || { echo "cannot copy $image.erofs"; return 1; }
	opts=$opt
	if [ "$image" = multi ]; then
		[ -f "$dir/multi.blob" ] || cp "$work/multi.blob" "$dir/" || { echo "cannot copy multi.blob"; return 1; }
		opts="device=$dir/multi.blob${opt:+,$opt}"
	fi
	mkdir -p "$m"
	if ! msg=$("$fbmount" "$dir/$image.erofs" "$m" ${opts:+"$opts"} 2>&1); then
		# a guest kernel without CONFIG_EROFS_FS_ZIP cannot mount lz4 at all
		if [ "$image" = lz4 ] && [[ $msg == *"Operation not supported"* ]]; then
			echo "the guest kernel cannot mount lz4 images (CONFIG_EROFS_FS_ZIP is not set)"
			return 3
		fi
		echo "fbmount $image.erofs on $backing${opts:+ -o $opts} failed: $msg"
		return 1
	fi
	echo "$m"
}

vmstat_pins() {
	echo 1 > /proc/sys/vm/stat_refresh 2>/dev/null
	awk '$1 == "nr_foll_pin_acquired" { a = $2 } $1 == "nr_foll_pin_released" { r = $2 }
	     END { print a + 0, r + 0 }' /proc/vmstat
}

# the workload of one cell, traced; its own result goes to data.txt
workload() {
	local kind=$1 args=$2 m=$3 d=$4 eng qd
	case $kind in
	open|read)
		[ "$kind" = open ] && args=--open-only
		# shellcheck disable=SC2086
		"$tool" run --json "$d/trace.json" --assert -- \
			sh -c "$mx $args $m/data $work/data > $d/data.txt 2>&1; echo \$? > $d/data.rc" \
			> "$d/trace.txt" 2>&1
		;;
	fio)
		read -r eng qd <<< "$args"
		"$tool" run --json "$d/trace.json" --assert -- \
			sh -c "fio --name=v --filename=$m/fio.dat --readonly --rw=randread --bsrange=4k-4m \
				--ioengine=$eng --iodepth=$qd --direct=1 --size=6M --verify=crc32c \
				--verify_interval=4096 --verify_fatal=1 --verify_state_save=0 \
				--randseed=1 --output-format=terse --output=$d/fio.terse > $d/fio.err 2>&1;
			       echo \$? > $d/data.rc" > "$d/trace.txt" 2>&1
		;;
	esac
	echo $? > "$d/trace.rc"
}

# fio's result as data.txt lines (terse v3: field 6 read KiB, field 2 error)
fio_result() {
	local d=$1 rc kib err
	rc=$(cat "$d/data.rc" 2>/dev/null)
	kib=$(awk -F';' 'NR == 1 { print $6 }' "$d/fio.terse" 2>/dev/null)
	err=$(awk -F';' 'NR == 1 { print $5 }' "$d/fio.terse" 2>/dev/null)
	echo "open=ok"
	if [ "$rc" = 0 ] && [ "$kib" = 6144 ] && [ "$err" = 0 ]; then
		echo "data=PASS"
	else
		echo "data=FAIL"
		echo "detail=fio exit ${rc:-?}, read ${kib:-?} KiB of 6144, error ${err:-?}: $(grep -m 1 -iE 'verify|error|bad' "$d/fio.err" | tr -d '\n' | cut -c1-160)"
	fi
}

run_cell() {
	local id=$1 setup=$2 kind=$3 args=$4 d=$OUT/cells/$1 m p0 p1 i
	rm -rf "$d"
	mkdir -p "$d"
	: > "$d/start"
	sync
	m=$(mount_setup "$setup")
	case $? in
	0) ;;
	3) echo "$m" > "$d/na.txt"; : > "$d/done"; return ;;
	*) echo "$m" > "$d/setup.txt"; : > "$d/done"; return ;;
	esac
	# fio's file must not be opened (EINVAL) by fio when O_DIRECT is refused
	if ! "$mx" --open-only "$m/data" "$work/data" > "$d/open.txt" 2>&1; then
		if [ "$kind" != fio ]; then
			cp "$d/open.txt" "$d/data.txt"
			: > "$d/done"
			return
		fi
	fi
	if [ "$kind" = fio ] && ! "$mx" --open-only "$m/fio.dat" "$m/fio.dat" > "$d/data.txt" 2>&1; then
		: > "$d/done"
		return
	fi
	sync
	echo 3 > /proc/sys/vm/drop_caches
	"$tool" audit -b --json "$m" > "$d/audit0.json" 2> "$d/audit0.err"
	dmesg -C 2>/dev/null
	p0=$(vmstat_pins)
	workload "$kind" "$args" "$m" "$d"
	[ "$kind" = fio ] && fio_result "$d" > "$d/data.txt"
	# a direct backing read may release its pages from a workqueue: 2 s
	for i in 1 2 3 4 5 6 7 8 9 10; do
		p1=$(vmstat_pins)
		[ $(( ${p1% *} - ${p0% *} )) = $(( ${p1#* } - ${p0#* } )) ] && break
		sleep 0.2
	done
	echo "$(( ${p1% *} - ${p0% *} )) $(( ${p1#* } - ${p0#* } ))" > "$d/pins"
	"$tool" audit -b --json "$m" > "$d/audit1.json" 2> "$d/audit1.err"
	dmesg 2>/dev/null | grep -E "$pat" > "$d/console.txt"
	: > "$d/done"
	sync
}

while read -r want; do
	[ -n "$want" ] || continue
	line=$(grep -v '^#' "$here/scenarios" | awk -F'|' -v id="$want" '$1 == id' | head -n 1)
	if [ -z "$line" ]; then
		echo "matrix guest: unknown scenario '$want'" >&2
		exit 2
	fi
	IFS='|' read -r id setup kind args _ <<< "$line"
	echo "matrix guest: $id" >&2
	run_cell "$id" "$setup" "$kind" "$args"
done < "$todo"
exit 0
