#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Inside the guest (tests/tracer-guest/run.sh boots it): the host tracer
# suite, unchanged, on a kernel where fentry/fexit work.  Its images go on
# ext4 over a loop file in $SCRATCH (the host checkout is read-only here);
# its result lines go to $OUT/host-suite.txt for the host to import.
R=$(cd "$(dirname "$0")/../.." && pwd)
res=$OUT/host-suite.txt
ext=$SCRATCH/host-suite.ext4

if ! { truncate -s 384M "$ext" && mkfs.ext4 -q -F "$ext" && mkdir -p "$SCRATCH/ext4" &&
       mount -o loop "$ext" "$SCRATCH/ext4"; }; then
	echo "FAIL guest scratch -- could not make or mount an ext4 loop image in \$SCRATCH" > "$res"
	exit 1
fi
DT_HOST_W=$SCRATCH/ext4/w DT_RESULTS=$res sh "$R/tests/tracer-host/run.sh" > "$OUT/host-suite.log" 2>&1
rc=$?
umount "$SCRATCH/ext4"
exit $rc
