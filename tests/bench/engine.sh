#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# make bench-engine: the engine at scale, from synthetic streams (gen.h).
# For every F in BENCH_F (files) and N in BENCH_N (reads):
#   replay  bench-gen N F | erofs-diotrace replay --assert -q -   (text parser + engine)
#   drive   bench-drive N F                                        (engine alone, no parser)
#   cg      callgrind of the replay, for N in BENCH_CG_N: Ir/event, total and engine
#           (dt_engine_feed + dt_engine_finish inclusive)
# Each run has a wall-clock limit (BENCH_TIMEOUT s) and an address-space budget
# (BENCH_MEM_MIB); a run past either is reported as such, and the larger sizes
# of that F are skipped.  The stream is never stored: it is generated into a
# pipe.  A benchmark, not a test: it prints what it measured.
set -u
R=$(cd "$(dirname "$0")/../.." && pwd)
T=${DT_TOOL:-$R/build/erofs-diotrace}
B=$R/build/tests/bench
W=$R/build/bench/engine
N_LIST=${BENCH_N:-10000 100000 1000000 10000000}
F_LIST=${BENCH_F:-64 250000}
TMO=${BENCH_TIMEOUT:-300}
MEM=${BENCH_MEM_MIB:-4096}
CG_N=${BENCH_CG_N:-10000 100000}	# "none": no callgrind
CG_TMO=${BENCH_CG_TIMEOUT:-300}
RES=$W/results.txt

mkdir -p "$W" && : > "$RES" || exit 2
for x in "$T" "$B/bench-gen" "$B/bench-drive" "$B/bench-runlim"; do
	[ -x "$x" ] || { echo "bench-engine: $x is missing; run 'make bench-engine'" >&2; exit 2; }
done

# field NAME FILE: the value of NAME=... in a key=value line, "-" if none
field() {
	v=$(sed -n "s/.*\\<$1=\\([^ ]*\\).*/\\1/p" "$2" 2> /dev/null | head -n 1)
	echo "${v:--}"
}
# sum A B of two CPU times ("-" if either is missing)
sum() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-") print "-"; else print a + b }'; }

# status of a run: ok, timeout, "out of memory budget", or what went wrong
# classify RUNLIM_RESULT STDERR WANT_EXIT
classify() {
	st=$(field status "$1")
	rss=$(field maxrss_kb "$1")
	case $st in
	"exit:$3") echo ok; return ;;
	timeout) echo "timeout"; return ;;
	esac
	if grep -qi "out of memory\|cannot allocate" "$2" ||
	   { [ "$rss" != - ] && [ "$rss" -gt $((MEM * 1024 * 9 / 10)) ]; }; then
		# how far it got: "after E events" (bench-drive), "-:LINE: out of memory" (replay)
		at=$(sed -n 's/.*after \([0-9]*\) events.*/after_\1_events/p;
			s/.*:\([0-9]*\): out of memory.*/at_stream_line_\1/p' "$2" | head -n 1)
		echo "out-of-memory${at:+:$at}"
	else
		echo "failed($st:$(head -n 1 "$2" | tr ' ' '_' | cut -c1-40))"
	fi
}

# run_replay N F: one line "replay STATUS EVENTS WALL CPU RSS_KB"
run_replay() {
	"$B/bench-gen" "$1" "$2" 2> "$W/gen.err" |
		"$B/bench-runlim" -t "$TMO" -m "$MEM" -o "$W/replay.res" -- \
		"$T" replay --assert -q - > /dev/null 2> "$W/replay.err"
	ev=$(field events "$W/gen.err")
	want=1	# the stream holds FAILs (one read in 1000): --assert exits 1
	[ "$(field fails "$W/gen.err")" = 0 ] && want=0
	[ "$ev" = - ] || grep -q "^bench-gen: requests=$1 " "$W/gen.err" || ev=-	# cut short
	s=$(classify "$W/replay.res" "$W/replay.err" $want)
	echo "replay $s $ev $(field wall "$W/replay.res")" \
		"$(sum "$(field user "$W/replay.res")" "$(field sys "$W/replay.res")")" \
		"$(field maxrss_kb "$W/replay.res")"
}

# run_drive N F: "drive STATUS EVENTS WALL CPU RSS_KB" (engine calls only)
run_drive() {
	"$B/bench-runlim" -t "$TMO" -m "$MEM" -o "$W/drive.res" -- \
		"$B/bench-drive" "$1" "$2" > "$W/drive.out" 2> "$W/drive.err"
	s=$(classify "$W/drive.res" "$W/drive.err" 0)
	if [ "$s" = ok ] && [ "$(field verdict "$W/drive.out")" != FAIL ]; then
		s="wrong-verdict($(field verdict "$W/drive.out"))"
	fi
	echo "drive $s $(field events "$W/drive.out") $(field engine_wall "$W/drive.out")" \
		"$(sum "$(field engine_cpu "$W/drive.out")" "$(field finish_cpu "$W/drive.out")")" \
		"$(field maxrss_kb "$W/drive.res")"
}

# inclusive Ir of a function in a callgrind profile
cg_fn() {
	callgrind_annotate --inclusive=yes "$1" 2> /dev/null |
		awk -v f="$2" '$0 ~ (":" f "( |$)") { gsub(",", "", $1); print $1; exit }'
}

# run_cg N F: "cg STATUS IR_TOTAL IR_ENGINE"
run_cg() {
	out=$W/cg.$1.$2.out
	rm -f "$out"
	"$B/bench-gen" "$1" "$2" 2> /dev/null |
		"$B/bench-runlim" -t "$CG_TMO" -o "$W/cg.res" -- valgrind --tool=callgrind \
		--callgrind-out-file="$out" "$T" replay -q - > /dev/null 2> "$W/cg.err"
	s=$(classify "$W/cg.res" "$W/cg.err" 0)
	if [ "$s" != ok ] || [ ! -s "$out" ]; then
		echo "cg $s - -"
		return
	fi
	tot=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$out")
	feed=$(cg_fn "$out" dt_engine_feed)
	fin=$(cg_fn "$out" dt_engine_finish)
	echo "cg ok $tot $((${feed:-0} + ${fin:-0}))"
}

in_list() { case " $2 " in *" $1 "*) return 0 ;; esac; return 1; }

echo "bench-engine: N=[$N_LIST] F=[$F_LIST] timeout ${TMO}s, memory budget ${MEM} MiB," \
	"callgrind at N=[$CG_N]; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for f in $F_LIST; do
	rstop= dstop=
	for n in $N_LIST; do
		if [ -n "$rstop" ]; then
			r="replay skipped - - - -"
		else
			printf '  F=%s N=%s replay ... ' "$f" "$n"
			r=$(run_replay "$n" "$f")
			echo "$r" | cut -d' ' -f2
		fi
		if [ -n "$dstop" ]; then
			d="drive skipped - - - -"
		else
			printf '  F=%s N=%s drive ... ' "$f" "$n"
			d=$(run_drive "$n" "$f")
			echo "$d" | cut -d' ' -f2
		fi
		c="cg - - -"
		if in_list "$n" "$CG_N" && [ "$(echo "$r" | cut -d' ' -f2)" = ok ]; then
			printf '  F=%s N=%s callgrind ... ' "$f" "$n"
			c=$(run_cg "$n" "$f")
			echo "$c" | cut -d' ' -f2
		fi
		echo "$f $n $r $d $c" >> "$RES"
		case $r in replay\ ok*) ;; *) rstop=1 ;; esac
		case $d in drive\ ok*) ;; *) dstop=1 ;; esac
	done
done

# the generator alone: the most a pipe from it can carry
"$B/bench-runlim" -o "$W/gen.res" -- sh -c "'$B/bench-gen' 1000000 64 > /dev/null 2> '$W/gen1.err'"
GEN_EV=$(field events "$W/gen1.err")
GEN_CPU=$(sum "$(field user "$W/gen.res")" "$(field sys "$W/gen.res")")

awk -v gen_ev="$GEN_EV" -v gen_cpu="$GEN_CPU" -v limits="${TMO} s, ${MEM} MiB" -f "$R/tests/bench/engine_table.awk" "$RES" |
	tee "$W/table.txt"
