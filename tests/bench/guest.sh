#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Guest side of `make bench`: one fio job reads the same EROFS file buffered,
# then with O_DIRECT, on a file-backed mount whose image sits on ext4 (a real
# page-cached backing file), then with O_DIRECT again after a remount with
# `directio`.  After each run `erofs-diotrace audit` measures
# both page caches.  Prints one table and writes $OUT/bench.json.
#   tests/bench/guest.sh WORKDIR SIZE_MIB
set -u
work=$1
size=$2
tool=build/erofs-diotrace
s=$SCRATCH/bench
mkdir -p "$s/ext4" "$s/m"

cleanup() {
	build/tests/fbmount -u "$s/m" 2>/dev/null
	umount "$s/ext4" 2>/dev/null
}
trap cleanup EXIT

truncate -s $((size * 2 + 64))M "$s/ext4.img" && mkfs.ext4 -q -F "$s/ext4.img" &&
	mount -o loop "$s/ext4.img" "$s/ext4" && cp "$work/bench.erofs" "$s/ext4/" &&
	build/tests/fbmount "$s/ext4/bench.erofs" "$s/m" ||
	{ echo "bench: cannot set up the ext4-backed EROFS mount" >&2; exit 1; }

# run MODE DIRECT: drop caches, fio, then audit; prints "MODE MiB/s erofs backing double"
run() {
	local mode=$1 direct=$2 bw
	sync
	echo 3 > /proc/sys/vm/drop_caches
	fio --name="$mode" --filename="$s/m/data" --readonly --rw=read --bs=1M \
		--ioengine=psync --direct="$direct" --size="${size}M" --invalidate=0 \
		--output-format=json --output="$OUT/fio-$mode.json" 2> "$OUT/fio-$mode.err" ||
		{ echo "bench: fio $mode failed: $(head -n 2 "$OUT/fio-$mode.err")" >&2; return 1; }
	"$tool" audit -b --json "$s/m" > "$OUT/audit-$mode.json" ||
		{ echo "bench: audit after $mode failed" >&2; return 1; }
	bw=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["jobs"][0]["read"]["bw_bytes"])' "$OUT/fio-$mode.json")
	python3 - "$mode" "$bw" "$OUT/audit-$mode.json" <<'PY'
import json, sys
mode, bw, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
a = json.load(open(path))
t = a["mounts"][0]["total"]
print(json.dumps({"mode": mode, "bw_bytes": bw, "erofs_cached": t["erofs_cached"],
                  "backing_cached": t["backing_total_cached"], "double_cached": t["double_cached"]}))
PY
}

# remount with `directio`: the backing reads bypass the image's cache too
remount_directio() {
	build/tests/fbmount -u "$s/m" && build/tests/fbmount "$s/ext4/bench.erofs" "$s/m" directio
}

{ run buffered 0 && run direct 1 && remount_directio && run direct+directio 1; } \
	> "$OUT/bench.jsonl" || exit 1
python3 - "$OUT/bench.jsonl" "$size" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
mib = lambda b: b / 1048576
print(f"fio sequential read of {sys.argv[2]} MiB, 1 MiB blocks, psync, under qemu TCG")
print(f"{'mode':<16}{'MiB/s':>9}{'EROFS cache':>14}{'image cache':>14}{'double':>10}")
for r in rows:
    print(f"{r['mode']:<16}{mib(r['bw_bytes']):>9.1f}{mib(r['erofs_cached']):>12.1f}Mi"
          f"{mib(r['backing_cached']):>12.1f}Mi{mib(r['double_cached']):>8.1f}Mi")
b = rows[0]
cache = lambda r: r["erofs_cached"] + r["backing_cached"]
for d in rows[1:]:
    print(f"{d['mode']}/buffered: throughput x{d['bw_bytes'] / b['bw_bytes']:.2f}, "
          f"page cache x{cache(d) / cache(b):.2f}" if cache(b) else "buffered read cached nothing")
json.dump(rows, open(sys.argv[1].replace(".jsonl", ".json"), "w"), indent=1)
PY
