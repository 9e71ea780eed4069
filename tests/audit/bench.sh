#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make bench-audit [BENCH_AUDIT_FILES=10000]: the audit's wall time against
# fincore(1) on the same files of one file-backed EROFS mount, warm (every
# file read, then measured) and cold (drop_caches before each run), at N/4
# and N files to show the cost grows linearly.  Median of 5 runs each; both
# write their per-file table to /dev/null.  fincore gets its file list
# ready-made (the find is not timed), the audit walks the mount itself.
# A benchmark, not a test: it prints figures from one run.  Needs root.
set -u
DT=${DT_BIN:-build/erofs-diotrace}
FBM=build/tests/fbmount
N=${1:-10000}
W=build/bench-audit
REPS=5

[ "$(id -u)" = 0 ] || { echo "bench-audit: needs root (mount, drop_caches)" >&2; exit 1; }
cleanup() {
	local d
	for d in "$W"/m*; do mountpoint -q "$d" 2>/dev/null && "$FBM" -u "$d"; done
}
trap cleanup EXIT

# mkimg COUNT: COUNT files of 1..12 KiB in 100 directories
mkimg() {
	local n=$1 d=$W/src$1 i
	rm -rf "$d"; mkdir -p "$d"
	python3 - "$d" "$n" <<'PY'
import os, random, sys
d, n = sys.argv[1], int(sys.argv[2])
random.seed(n)
for i in range(n):
    sub = os.path.join(d, "d%02d" % (i % 100))
    os.makedirs(sub, exist_ok=True)
    with open(os.path.join(sub, "f%05d" % i), "wb") as f:
        f.write(os.urandom(random.randint(1024, 12288)))
PY
	mkfs.erofs --quiet "$W/img$n" "$d" && mkdir -p "$W/m$n" && "$FBM" "$W/img$n" "$W/m$n" &&
		find "$W/m$n" -type f > "$W/list$n"
}

# median wall seconds of REPS runs of "$@"; cold when $COLD=1
timed() {
	local i t0 t1
	for i in $(seq $REPS); do
		if [ "$COLD" = 1 ]; then sync; echo 3 > /proc/sys/vm/drop_caches; else warm_up; fi
		t0=$(date +%s.%N); "$@" > /dev/null 2>&1; t1=$(date +%s.%N)
		echo "$t1 - $t0" | bc -l
	done | sort -n | sed -n "$(((REPS + 1) / 2))p"
}

warm_up() { xargs -a "$LIST" -d '\n' cat > /dev/null; }
do_audit() { "$DT" audit "$MNT"; }
do_fincore() { xargs -a "$LIST" -d '\n' fincore; }

mkdir -p "$W"
printf '%-6s %6s %10s %10s %7s\n' STATE FILES AUDIT_S FINCORE_S RATIO
for n in $((N / 4)) "$N"; do
	mkimg "$n" || { echo "bench-audit: cannot build or mount $n files" >&2; exit 1; }
	LIST=$W/list$n MNT=$W/m$n
	for COLD in 0 1; do
		a=$(timed do_audit)
		f=$(timed do_fincore)
		printf '%-6s %6d %10.3f %10.3f %6.2fx\n' "$([ $COLD = 1 ] && echo cold || echo warm)" \
			"$n" "$a" "$f" "$(echo "$a / $f" | bc -l)"
	done
	COLD=0; warm_up
	printf '       direct reads of the image by one warm audit of %d files: %s\n' "$n" \
		"$("$DT" audit -J "$MNT" | grep -o '"image_direct_reads":[0-9]*' | cut -d: -f2)"
	"$FBM" -u "$MNT"
done
