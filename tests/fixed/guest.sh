#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs inside the `fixed` guest (tests/vm/vm-run --flavour fixed).
#   tests/fixed/guest.sh WORKDIR
# WORKDIR (host, read-only here) holds data (the reference file) and the
# images plain.erofs and chunked.erofs built from it.  Writes one
# "PASS name" / "FAIL name -- why" line per check to $OUT/checks.txt.
set -u
work=$1
bin=build/tests/fixed/diocheck
tool=build/erofs-diotrace
checks=$OUT/checks.txt
: > "$checks"

fail() { echo "FAIL $1 -- $2" >> "$checks"; }
pass() { echo "PASS $1" >> "$checks"; }

# diocheck_on TAG MOUNTDIR [ARGS]: run diocheck, prefix its lines with TAG
diocheck_on() {
	local tag=$1 m=$2
	shift 2
	"$bin" "$@" "$m/data" "$work/data" > "$OUT/diocheck-$tag.txt" 2>&1
	grep -E '^(PASS|FAIL) ' "$OUT/diocheck-$tag.txt" | sed -E "s,^(PASS|FAIL) ,\1 fixed/$tag: ," >> "$checks"
	grep -qE '^(PASS|FAIL) ' "$OUT/diocheck-$tag.txt" ||
		fail "fixed/$tag: diocheck" "no result lines: $(tail -n 3 "$OUT/diocheck-$tag.txt" | tr '\n' ' ')"
}

# mount_image IMAGE DIR [OPTIONS]
mount_image() {
	mkdir -p "$2" && build/tests/fbmount "$1" "$2" ${3:+"$3"}
}

for layout in plain chunked; do
	cp "$work/$layout.erofs" "$SCRATCH/$layout.erofs"
	if ! mount_image "$SCRATCH/$layout.erofs" "$SCRATCH/m-$layout"; then
		fail "fixed/$layout: mount" "fbmount failed"
		continue
	fi
	diocheck_on "$layout" "$SCRATCH/m-$layout" --expect-dioalign 4096
done

# the tracer's verdict on the corrected kernel: every check PASS
if "$tool" run --assert --json "$OUT/trace-plain.json" -- \
	"$bin" "$SCRATCH/m-plain/data" "$work/data" > "$OUT/trace-plain.txt" 2>&1; then
	pass "fixed/plain: erofs-diotrace run --assert gives PASS"
else
	fail "fixed/plain: erofs-diotrace run --assert gives PASS" \
		"exit $?: $(grep -E '^Verdict|^  - ' "$OUT/trace-plain.txt" | head -n 4 | tr '\n' ' ')"
fi

# `directio`: the image on ext4 over loop, so the backing reads themselves
# are direct (iomap) and pin/release the user's pages
ext=$SCRATCH/ext4.img
if truncate -s 64M "$ext" && mkfs.ext4 -q -F "$ext" && mkdir -p "$SCRATCH/ext4" &&
   mount -o loop "$ext" "$SCRATCH/ext4"; then
	cp "$work/plain.erofs" "$SCRATCH/ext4/plain.erofs"
	if mount_image "$SCRATCH/ext4/plain.erofs" "$SCRATCH/m-direct" directio; then
		diocheck_on directio "$SCRATCH/m-direct"
		pins=$(sed -n 's/^# pins acquired \([0-9]*\) released.*/\1/p' "$OUT/diocheck-directio.txt")
		if [ "${pins:-0}" -gt 0 ]; then
			pass "fixed/directio: backing reads are direct (user pages pinned: $pins)"
		else
			fail "fixed/directio: backing reads are direct" "no user page was pinned: backing reads were buffered"
		fi
		build/tests/fbmount -u "$SCRATCH/m-direct"
	else
		fail "fixed/directio: mount" "fbmount directio failed"
	fi
	umount "$SCRATCH/ext4"
else
	fail "fixed/directio: ext4 scratch" "could not make or mount an ext4 loop image"
fi
for layout in plain chunked; do
	build/tests/fbmount -u "$SCRATCH/m-$layout" 2>/dev/null
done
exit 0
