#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Host side of `make bench-rand`: one table from the guests' raw results.
#   tests/bench/rand-table.sh [-o FILE.json] FLAVOUR=DIR...
# Each DIR is a guest's $OUT (rand.jsonl, rand/*.fio.json, rand/*.{before,after}.json
# and vm-status, the exit status of tests/vm/vm-run).  Prints the table and the
# issue's goals; -o also writes every cell as JSON.  Every number is computed
# from those files: a cell that failed says how, a cell that never ran says so.
set -u
me=rand-table
json=
if [ "${1:-}" = -o ]; then
	json=${2:?-o needs a file}
	shift 2
fi
[ $# -ge 1 ] || { echo "usage: $me [-o FILE.json] FLAVOUR=DIR..." >&2; exit 2; }
command -v python3 > /dev/null || { echo "$me: python3 not found (apt-get install python3)" >&2; exit 2; }
exec python3 - "$json" "$@" <<'PY'
import errno, json, os, sys

me = "rand-table"
def die(msg):
    print(f"{me}: {msg}", file=sys.stderr)
    sys.exit(2)

ROWS = [("buf-psync1", "buffered psync QD1"), ("buf-uring16", "buffered io_uring QD16"),
        ("dio-psync1", "direct psync QD1"), ("dio-uring1", "direct io_uring QD1"),
        ("dio-aio1", "direct libaio QD1"), ("dio-uring16", "direct io_uring QD16"),
        ("dio-aio16", "direct libaio QD16")]
REFS = [r for r in ROWS if r[0].startswith("dio-")]
BACKINGS = [("ram", "image on ext4 on a loop file in RAM"),
            ("nullblk", "image on ext4 on null_blk (memory-backed, timer completion 1 ms)")]
MOUNTS = ["plain", "directio"]

def load_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        return e

def summarise(d, c):
    """the measured numbers of one cell line, from its fio and audit files"""
    base = os.path.join(d, c["files"])
    out = {k: c[k] for k in ("backing", "mount", "kind", "row", "direct", "engine", "qd")}
    out.update(iops=None, error=None, erofs_delta=None, image_delta=None, image_other_delta=None)
    caches = []
    for name in ("before", "after"):
        a = load_json(f"{base}.{name}.json")
        try:
            m = a["mounts"][0]
            if not m["trusted"]:
                out["error"] = f"audit untrusted: {m['untrusted_reason']}"
            caches.append(m["total"])
        except (TypeError, KeyError, IndexError):
            out["error"] = f"no audit {name} the run ({a})"
    if len(caches) == 2:
        b, a = caches
        out["erofs_delta"] = a["erofs_cached"] - b["erofs_cached"]
        # the image pages that hold the read file's data; the rest of the
        # image's cache (metadata) is reported on its own
        out["image_delta"] = a["backing_cached"] - b["backing_cached"]
        out["image_other_delta"] = (a["backing_total_cached"] - a["backing_cached"]) - \
            (b["backing_total_cached"] - b["backing_cached"])
    f = load_json(f"{base}.fio.json")
    err = 0
    try:
        job = f["jobs"][0]
        err, r = job.get("error", 0), job["read"]
        if r["total_ios"] and r["runtime"]:
            out["iops"] = r["total_ios"] / (r["runtime"] / 1000.0)
            out["io_bytes"] = r["io_bytes"]
    except (TypeError, KeyError, IndexError):
        pass
    if c["fio_rc"] or err or out["iops"] is None:
        out["iops"] = None
        if err:
            out["error"] = errno.errorcode.get(err, f"errno {err}")
        else:
            try:
                with open(f"{base}.fio.err", errors="replace") as e:
                    lines = e.read().strip().splitlines()
            except OSError:
                lines = []
            out["error"] = lines[0][:40] if lines else f"fio exit {c['fio_rc']}, no I/O"
    return out

flavours, cells, meta, mounts, status, started = [], {}, {}, {}, {}, {}
for arg in sys.argv[2:]:
    fl, sep, d = arg.partition("=")
    if not sep or not fl or not d:
        die(f"'{arg}' is not FLAVOUR=DIR")
    flavours.append(fl)
    try:
        with open(os.path.join(d, "vm-status")) as f:
            status[fl] = f.read().strip()
    except OSError:
        status[fl] = None
    try:
        lines = open(os.path.join(d, "rand.jsonl")).read().splitlines()
    except OSError as e:
        lines = []
        meta.setdefault("missing", []).append(f"{fl}: {d}/rand.jsonl: {e.strerror}")
    for n, line in enumerate(lines, 1):
        try:
            c = json.loads(line)
        except ValueError:
            die(f"{d}/rand.jsonl line {n} is not JSON (a guest cut short?); rerun make bench-rand")
        if "meta" in c:
            meta[fl] = c["meta"]
        elif "start" in c:
            s = c["start"]
            started[(fl, s["backing"], s["mount"], s["kind"], s["row"])] = s
        elif "mount_info" in c:
            mounts[(fl, c["mount_info"]["backing"], c["mount_info"]["asked"] or "plain")] = \
                c["mount_info"]["shown"]
        else:
            cells[(fl, c["backing"], c["mount"], c["kind"], c["row"])] = summarise(d, c)

# a cell that started but has no result: the guest died inside it
for k, s in started.items():
    if k not in cells:
        why = {"120": "oops", "124": "timeout"}.get(status[k[0]], "died")
        cells[k] = dict(s, iops=None, error=f"{why}", erofs_delta=None, image_delta=None,
                        image_other_delta=None)

def vm_note(fl):
    s = status[fl]
    if s == "0":
        return None
    if s is None:
        return f"{fl}: no vm-status (was the guest booted?)"
    why = {"120": "the guest kernel reported an oops/BUG/WARNING", "124": "the guest timed out",
           "125": "vm-run failed"}.get(s, f"exit {s}")
    return f"{fl} guest: vm-run exit {s}, {why}"

def size(b):
    if b is None:
        return "-"
    if abs(b) < 1024:
        return f"{b} B"
    if abs(b) < 1048576:
        return f"{b / 1024:.0f} KiB"
    return f"{b / 1048576:.1f} MiB"

def get(fl, backing, mount, kind, row):
    return cells.get((fl, backing, mount, kind, row))

def ratio_to_ref(fl, c):
    if c is None or not c["direct"] or c["kind"] != "erofs":
        return None
    r = get(fl, c["backing"], "-", "ref", c["row"])
    if r is None or c["iops"] is None or not r["iops"]:
        return None
    return c["iops"] / r["iops"]

W = 40
def fmt_cell(fl, c, ref_col):
    if c is None:
        return f"{'not run':>9}{'':>7}{'':>10}{'':>10}"
    if c["iops"] is None:
        return f"{c['error'][:9]:>9}{'-':>7}{size(c['erofs_delta']):>10}{size(c['image_delta']):>10}"
    x = ratio_to_ref(fl, c)
    xs = f"{x:.2f}x" if x is not None else ("?" if ref_col and c["direct"] and c["kind"] == "erofs" else "")
    return f"{c['iops']:>9.0f}{xs:>7}{size(c['erofs_delta']):>10}{size(c['image_delta']):>10}"

out = []
def p(s=""):
    out.append(s)

m0 = next((meta[fl] for fl in flavours if fl in meta), {})
p(f"fio 4 KiB random reads (randread, time_based {m0.get('runtime', '?')} s a cell) of one "
  f"{m0.get('size_mib', '?')} MiB EROFS file, page caches dropped before each cell;")
p(f"{m0.get('fio', 'fio ?')}, guest kernel {m0.get('kernel', '?')} with {m0.get('cpus', '?')} vCPUs under qemu TCG")
p("IOPS; x ref = IOPS / the image file itself read O_DIRECT, same engine and depth, same device;")
p("dEROFS / dimage = growth of the EROFS page cache / of the image's cache of this file's data")
for fl in flavours:
    n = vm_note(fl)
    if n:
        p(f"NOTE: {n}; the cell it died in says so, cells it did not reach say 'not run'")
for miss in meta.get("missing", []):
    p(f"NOTE: no results from {miss}")
head = "".join(f" | {fl:^36}" for fl in flavours)
sub = "".join(f" | {'IOPS':>9}{'x ref':>7}{'dEROFS':>10}{'dimage':>10}" for fl in flavours)
for backing, title in BACKINGS:
    ref_col = backing == "nullblk"
    p()
    p(f"{title}")
    p(f"{'':<{W}}{head}")
    p(f"{'read':<31}{'mount':<9}{sub}")
    for mount in MOUNTS:
        for row, label in ROWS:
            line = f"{label:<31}{'directio' if mount == 'directio' else '-':<9}"
            for fl in flavours:
                line += " | " + fmt_cell(fl, get(fl, backing, mount, "erofs", row), ref_col)
            p(line)
    if ref_col:
        for row, label in REFS:
            line = f"{'image O_DIRECT ' + label[7:] + ' (ref)':<{W}}"
            for fl in flavours:
                line += " | " + fmt_cell(fl, get(fl, backing, "-", "ref", row), False)
            p(line)
    over = [c["io_bytes"] / (m0["size_mib"] * 1048576.0) for k, c in cells.items()
            if k[1] == backing and k[3] == "erofs" and c["iops"] and c.get("io_bytes")
            and m0.get("size_mib")]
    if over:
        p(f"(an EROFS cell here read {min(over):.1f}x to {max(over):.1f}x the file's size: past 1x, most reads of a")
        p(" mode that fills a page cache, buffered or the image without directio, hit that cache)")
    for fl in flavours:
        for mount in MOUNTS:
            shown = mounts.get((fl, backing, mount))
            if mount == "directio" and shown is not None and "directio" not in shown.split(","):
                p(f"NOTE: {fl}: the kernel dropped 'directio' on this backing (mount options: {shown})")

others = [c["image_other_delta"] for c in cells.values() if c["image_other_delta"] is not None]
if others:
    p(f"(the image's other cached pages, metadata, grew by {size(min(others))} to {size(max(others))} a cell, "
      f"reference cells included)")

# the issue's goals, from the cells above
def rate(fl, backing, mount, kind, row):
    c = get(fl, backing, mount, kind, row)
    if c is None:
        return None, "not run"
    if c["iops"] is None:
        return None, c["error"]
    return c["iops"], None

def ratio_goal(fl, a, b, want):
    x, ea = rate(fl, *a)
    y, eb = rate(fl, *b)
    if x is None or y is None or not y:
        return f"n/a ({ea or eb or 'zero IOPS'})", False
    r = x / y
    return f"{r:.2f}x", r >= want

def zero_goal(fl, pick, key):
    want = [(b, m, "erofs", r) for b, _ in BACKINGS for m in MOUNTS for r, _ in ROWS if pick(m, r)]
    got = [cells.get((fl,) + k) for k in want]
    zero = sum(1 for c in got if c is not None and c[key] == 0)
    bad = [c for c in got if c is not None and c[key] not in (0, None)]
    worst = max((c[key] for c in bad), default=0)
    unmeasured = sum(1 for c in got if c is None or c[key] is None)
    s = f"{zero}/{len(want)} at 0 B" + (f", max {size(worst)}" if bad else "") + \
        (f", {unmeasured} unmeasured" if unmeasured else "")
    return s, zero == len(want)

goals = []
for eng, qd1 in (("uring", "io_uring"), ("aio", "libaio")):
    goals.append((f"null_blk, directio: direct {qd1} QD16 >= 0.8x image O_DIRECT QD16",
                  lambda fl, e=eng: ratio_goal(fl, ("nullblk", "directio", "erofs", f"dio-{e}16"),
                                               ("nullblk", "-", "ref", f"dio-{e}16"), 0.8)))
for eng, qd1 in (("uring", "io_uring"), ("aio", "libaio")):
    goals.append((f"null_blk, directio: direct {qd1} QD16 >= 5x QD1",
                  lambda fl, e=eng: ratio_goal(fl, ("nullblk", "directio", "erofs", f"dio-{e}16"),
                                               ("nullblk", "directio", "erofs", f"dio-{e}1"), 5)))
for mount in MOUNTS:
    mt = "directio" if mount == "directio" else "no directio"
    goals.append((f"RAM loop, {mt}: direct io_uring QD16 >= 1.5x direct psync",
                  lambda fl, m=mount: ratio_goal(fl, ("ram", m, "erofs", "dio-uring16"),
                                                 ("ram", m, "erofs", "dio-psync1"), 1.5)))
    goals.append((f"RAM loop, {mt}: direct io_uring QD16 >= 0.9x buffered QD16",
                  lambda fl, m=mount: ratio_goal(fl, ("ram", m, "erofs", "dio-uring16"),
                                                 ("ram", m, "erofs", "buf-uring16"), 0.9)))
goals.append(("EROFS page cache +0 B in every direct cell",
              lambda fl: zero_goal(fl, lambda m, r: r.startswith("dio-"), "erofs_delta")))
goals.append(("image data cache +0 B in every direct directio cell",
              lambda fl: zero_goal(fl, lambda m, r: m == "directio" and r.startswith("dio-"),
                                   "image_delta")))
p()
p(f"{'goal (issue 10)':<68}" + "".join(f" | {fl:<36}" for fl in flavours))
summary = {}
for name, fn in goals:
    line = f"{name:<68}"
    for fl in flavours:
        s, ok = fn(fl)
        summary.setdefault(fl, []).append({"goal": name, "measured": s, "met": ok})
        line += f" | {s[:28]:<28}{'met' if ok else 'not met':>8}"
    p(line)

text = "\n".join(l.rstrip() for l in out) + "\n"
try:
    sys.stdout.write(text)
    sys.stdout.flush()
except OSError as e:
    die(f"cannot write the table: {e.strerror}")
if sys.argv[1]:
    doc = {"meta": {fl: meta[fl] for fl in flavours if fl in meta}, "vm_status": status, "mounts": {"/".join(k): v for k, v in mounts.items()},
           "cells": [dict(c, flavour=k[0]) for k, c in cells.items()], "goals": summary}
    try:
        with open(sys.argv[1], "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")
    except OSError as e:
        die(f"cannot write {sys.argv[1]}: {e.strerror}")
PY
