#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# make bench-live (root): what tracing costs, side by side in one run, on a
# file-backed EROFS mount of this host (issue 7, item 4):
#   a  4 KiB read(2) of a warm EROFS file, traced vs untraced (bench-reader)
#   b  an untraced process's getppid(2) and 4 KiB read(2) while a tracer
#      watches another process, vs no tracer
#   c  `run -- true` wall time (median of 5)
#   d  1, 2, 4 parallel `dd bs=4k` of a warm 64 MiB file: events/s the
#      tracer took in, events lost, at the default ring
# Every tracer run is wrapped in `timeout -s KILL 120`.  A benchmark: it
# prints what it measured, ratios first; the host is shared, so run it twice
# before believing a small difference.
set -u
R=$(cd "$(dirname "$0")/../.." && pwd)
T=${DT_TOOL:-$R/build/erofs-diotrace}
B=$R/build/tests/bench
J=$R/build/tests/unit/jsonq
FB=$R/build/tests/fbmount
W=$R/build/bench/live
READS=${BENCH_READS:-20000}	# read(2)s per repetition in (a) and (b)
REPS=7
TO="timeout -s KILL 120"

if [ "$(id -u)" != 0 ]; then
	echo "bench-live: needs root (BPF, mount)" >&2
	exit 2
fi

unmount() {
	i=0
	while grep -qs " $1 " /proc/mounts; do
		"$FB" -u "$1" 2> /dev/null && return 0
		i=$((i + 1))
		[ $i -ge 50 ] && { umount -l "$1"; return; }
		sleep 0.2
	done
}
bgpid=
cleanup() {
	[ -n "$bgpid" ] && kill "$bgpid" 2> /dev/null
	unmount "$W/mnt"
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rm -rf "$W" && mkdir -p "$W/src" "$W/mnt" || exit 2
head -c 8M /dev/urandom > "$W/src/small" && head -c 64M /dev/urandom > "$W/src/big" &&
	mkfs.erofs --quiet "$W/img" "$W/src" > /dev/null && "$FB" "$W/img" "$W/mnt" || {
	echo "bench-live: cannot build and mount a file-backed EROFS image under $W" >&2
	exit 2
}
cat "$W/mnt/small" "$W/mnt/big" > /dev/null

field() { sed -n "s/.*\\<$1=\\([^ ]*\\).*/\\1/p" "$2" | head -n 1; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a != "") printf "%.2f", a / b; else print "-" }'; }
now_ns() { date +%s%N; }

# events and lost of a run report: JSON first, else the text report's Evidence line
evidence() {
	e=$("$J" "$1.json" evidence.events 2> /dev/null) ||
		e=$(sed -n 's/^Evidence: \([0-9]*\) events.*/\1/p' "$1.rep")
	l=$("$J" "$1.json" evidence.lost 2> /dev/null) ||
		l=$(sed -n 's/^Evidence: [0-9]* events, \([0-9]*\) lost.*/\1/p' "$1.rep")
	echo "${e:-?} ${l:-?}"
}

LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench-live: kernel $(uname -r), $(nproc) CPUs, load $LOAD"

# --- (a) traced vs untraced 4 KiB read(2) --------------------------------
"$B/bench-reader" read "$W/mnt/small" "$READS" $REPS > "$W/a.plain"
$TO "$T" run -o "$W/a.rep" -- "$B/bench-reader" read "$W/mnt/small" "$READS" $REPS > "$W/a.traced"
A0=$(field ns_per_op "$W/a.plain") A0m=$(field min "$W/a.plain")
A1=$(field ns_per_op "$W/a.traced") A1m=$(field min "$W/a.traced")

# --- (b) untraced processes while a tracer watches another ----------------
"$B/bench-reader" getppid 1000000 $REPS > "$W/b.sys0"
"$B/bench-reader" read "$W/mnt/small" "$READS" $REPS > "$W/b.rd0"
rm -f "$W/b.ready" "$W/b.stop"
$TO "$T" run -o "$W/b.rep" -- sh -c "touch '$W/b.ready'; while [ ! -e '$W/b.stop' ]; do sleep 0.2; done" &
bgpid=$!
i=0
while [ ! -e "$W/b.ready" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
"$B/bench-reader" getppid 1000000 $REPS > "$W/b.sys1"
"$B/bench-reader" read "$W/mnt/small" "$READS" $REPS > "$W/b.rd1"
touch "$W/b.stop"
wait "$bgpid"
bgpid=
S0=$(field ns_per_op "$W/b.sys0") S1=$(field ns_per_op "$W/b.sys1")
R0=$(field ns_per_op "$W/b.rd0") R1=$(field ns_per_op "$W/b.rd1")
S0m=$(field min "$W/b.sys0") S1m=$(field min "$W/b.sys1")
R0m=$(field min "$W/b.rd0") R1m=$(field min "$W/b.rd1")
[ -e "$W/b.ready" ] || S1= R1= S1m= R1m=

# --- (c) run -- true -------------------------------------------------------
: > "$W/c.ms"
for i in 1 2 3 4 5; do
	t0=$(now_ns)
	$TO "$T" run -o /dev/null -- true
	echo $(( ($(now_ns) - t0) / 1000000 )) >> "$W/c.ms"
done
C=$(sort -n "$W/c.ms" | sed -n 3p)

# --- (d) parallel dd readers: what the tracer takes in, what it loses ------
dd_k() {	# dd_k K: K readers of the big file, wall ns on stdout
	t0=$(now_ns)
	p=
	for i in $(seq "$1"); do
		dd if="$W/mnt/big" of=/dev/null bs=4k status=none & p="$p $!"
	done
	for q in $p; do wait "$q"; done
	echo $(( $(now_ns) - t0 ))
}
D=
for k in 1 2 4; do
	plain=$(dd_k $k)
	$TO "$T" run --json "$W/d$k.json" -o "$W/d$k.rep" -- \
		sh -c "t0=\$(date +%s%N); for i in \$(seq $k); do dd if='$W/mnt/big' of=/dev/null bs=4k status=none & done; wait; echo \$((\$(date +%s%N) - t0)) > '$W/d$k.ns'"
	traced=$(cat "$W/d$k.ns" 2> /dev/null)
	set -- $(evidence "$W/d$k")
	D="$D$k $plain ${traced:-?} $1 $2
"
done

# --- the table -------------------------------------------------------------
{
	echo
	echo "Live overhead (host $(uname -r); load before the run: $LOAD)"
	echo "(a, b: ns per call, median of $REPS repetitions; \"fastest\": the ratio of the fastest"
	echo " repetitions, less disturbed by other load on the host)"
	printf '%-56s %11s %11s %7s %9s  %s\n' "what" "without" "with" "ratio" "fastest" "goal"
	row() {
		printf '%-56s %8s ns %8s ns %6sx %8sx  %s\n' "$1" "$2" "${3:--}" "$(div "$3" "$2")" \
			"$(div "$5" "$4")" "$6"
	}
	row "a: 4 KiB read(2), warm EROFS file, traced by run" "$A0" "$A1" "$A0m" "$A1m" "<= 2x"
	row "b: getppid(2) of an untraced process, run on another" "$S0" "$S1" "$S0m" "$S1m" "<= 1.05x"
	row "b: 4 KiB read(2) of an untraced process, run on another" "$R0" "$R1" "$R0m" "$R1m" "<= 1.05x"
	printf '%-56s %11s %8s ms %17s %s\n' "c: run -- true (median of: $(tr '\n' ' ' < "$W/c.ms"))" "" "$C" "" "<= 150 ms"
	echo "d: parallel dd bs=4k of a warm 64 MiB file, default ring (goal: 0 lost at 4 readers)"
	printf '   %-8s %12s %12s %8s %12s %12s %10s %8s\n' readers "untraced ms" "traced ms" ratio \
		"events" "lost" "Mev/s in" "lost %"
	echo "$D" | while read -r k plain traced ev lost; do
		[ -n "$k" ] || continue
		printf '   %-8s %12s %12s %7sx %12s %12s %10s %7s%%\n' "$k" "$((plain / 1000000))" \
			"$( [ "$traced" = "?" ] && echo "?" || echo $((traced / 1000000)))" \
			"$(div "$traced" "$plain")" "$ev" "$lost" \
			"$(awk -v e="$ev" -v t="$traced" 'BEGIN { if (t > 0 && e ~ /^[0-9]+$/) printf "%.3f", e / t * 1000; else print "-" }')" \
			"$(awk -v e="$ev" -v l="$lost" 'BEGIN { if (e + l > 0 && l ~ /^[0-9]+$/) printf "%.1f", 100 * l / (e + l); else print "-" }')"
	done
	echo "(Mev/s in: events the tracer received per second of the readers' wall time; lost: the ring's drop count)"
} | tee "$W/table.txt"
