# SPDX-License-Identifier: GPL-2.0-only
# Sourced by tests/tracer-host/run.sh (same suite, same helpers): the CLI's
# promises -- every output write checked, one file per output, strict
# numbers, CMD's whole process tree ended on SIGTERM and on exit.

# one_line_err NAME RC WANT_RC PATTERN FILE: exit status and a single
# stderr line matching PATTERN
one_line_err() {
	if [ "$2" -eq "$3" ] && [ "$(wc -l < "$5")" -eq 1 ] && grep -q -- "$4" "$5"; then
		t_pass "$1"
	else
		t_fail "$1" "rc=$2 (want $3): $(head -c 300 "$5")"
	fi
}

# --- a failed write of any output is exit 2 with the output named ----------
check_write_errors() {
	$TO "$T" run -o "$W/we.rep" --record /dev/full -- true 2> "$W/we.err"
	one_line_err "run --record /dev/full: exit 2, named" $? 2 "^erofs-diotrace: --record /dev/full: write failed" "$W/we.err"
	$TO "$T" run -o /dev/full -- true 2> "$W/we.err"
	one_line_err "run -o /dev/full: exit 2, named" $? 2 "^erofs-diotrace: -o /dev/full: write failed" "$W/we.err"
	$TO "$T" run -o "$W/we.rep" --json /dev/full -- true 2> "$W/we.err"
	one_line_err "run --json /dev/full: exit 2, named" $? 2 "^erofs-diotrace: --json /dev/full: cannot write" "$W/we.err"
	# --assert does not hide it behind the verdict; CMD's status does not either
	$TO "$T" run --assert -o /dev/full -- true 2> "$W/we.err"
	one_line_err "run --assert -o /dev/full: exit 2" $? 2 "-o /dev/full: write failed" "$W/we.err"
	"$T" replay "$R/tests/data/clean_dio.txtrec" > /dev/full 2> "$W/we.err"
	one_line_err "replay to a full stdout: exit 2, named" $? 2 "cannot write the text report: No space left" "$W/we.err"
	"$T" replay -q --json /dev/full "$R/tests/data/clean_dio.events" 2> "$W/we.err"
	one_line_err "replay --json /dev/full: exit 2, named" $? 2 "cannot write JSON to '/dev/full'" "$W/we.err"
}

# --- two outputs, one file: refused before anything runs ---------------------
same_file() {
	name=$1; shift
	rm -f "$W/ran"
	$TO "$T" run "$@" -- touch "$W/ran" 2> "$W/same.err"
	rc=$?
	if [ $rc -eq 2 ] && [ ! -e "$W/ran" ] && [ "$(wc -l < "$W/same.err")" -eq 1 ] &&
	   grep -q "are the same file" "$W/same.err"; then
		t_pass "$name: refused at option time (exit 2, one line, CMD not run)"
	else
		t_fail "$name: refused at option time" "rc=$rc ran=$([ -e "$W/ran" ] && echo yes): $(cat "$W/same.err")"
	fi
}

check_same_file() {
	rm -f "$W/one" "$W/one.link"
	same_file "--record X --json X" --record "$W/one" --json "$W/one"
	same_file "-o X --json ./X" -o "$W/one" --json "$W/./one"
	touch "$W/one" && ln -f "$W/one" "$W/one.link"
	same_file "-o X --record hardlink-of-X" -o "$W/one" --record "$W/one.link"
	ln -sfn "$W" "$W/dirlink"
	same_file "--json X --record symlinked-dir/X" --json "$W/one" --record "$W/dirlink/one"
	"$T" replay --json - "$R/tests/data/clean_dio.events" > /dev/null 2> "$W/same.err"
	one_line_err "replay: --json - with the text report on stdout refused" $? 2 "give another file, or -q" "$W/same.err"
	"$T" replay --json "$W/one" "$R/tests/data/clean_dio.events" > "$W/one.link" 2> "$W/same.err"
	one_line_err "replay: --json X while stdout goes to X (hard link) refused" $? 2 "give another file, or -q" "$W/same.err"
	# distinct files and devices are fine
	$TO "$T" run -o /dev/null --json /dev/null --record "$W/two.rec" -- true 2> "$W/same.err"
	rc=$?
	[ $rc -eq 0 ] && t_pass "-o /dev/null --json /dev/null: a device may take two outputs" ||
		t_fail "-o /dev/null --json /dev/null: a device may take two outputs" "rc=$rc: $(cat "$W/same.err")"
}

# --- numbers: the whole string, in range, never wrapped ----------------------
check_numbers() {
	"$T" run -p 12345xyz 2> "$W/num.err"
	one_line_err "-p 12345xyz: not a number, exit 2" $? 2 "^erofs-diotrace: -p '12345xyz': not a number" "$W/num.err"
	"$T" run -p 99999999999 2> "$W/num.err"
	one_line_err "-p 99999999999: out of range, exit 2" $? 2 "out of range" "$W/num.err"
	"$T" run --ringbuf-size 17592186044417M -- true 2> "$W/num.err"
	one_line_err "--ringbuf-size 17592186044417M: out of range (not 1 MiB), exit 2" $? 2 \
		"^erofs-diotrace: --ringbuf-size '17592186044417M': out of range" "$W/num.err"
	"$T" run --ringbuf-size 4P -- true 2> "$W/num.err"
	one_line_err "--ringbuf-size 4P: unknown unit, exit 2" $? 2 "unknown unit" "$W/num.err"
	"$T" run --ringbuf-size 0 -- true 2> "$W/num.err"
	one_line_err "--ringbuf-size 0: out of range, exit 2" $? 2 "out of range" "$W/num.err"
	"$T" replay --max-inflight 10x "$R/tests/data/clean_dio.events" 2> "$W/num.err"
	one_line_err "replay --max-inflight 10x: not a number, exit 2" $? 2 "got '10x' (not a number)" "$W/num.err"
}

# processes whose command line holds $1 (zombies have none; the [d] keeps
# grep from finding its own)
marked() {
	grep -ls -- "[d]${1#d}" /proc/[0-9]*/cmdline 2>/dev/null | wc -l
}

# wait_marked MARK N: up to 20 s for N processes with MARK
wait_marked() {
	i=0
	while [ "$(marked "$1")" -lt "$2" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
	[ "$(marked "$1")" -ge "$2" ]
}

# wait_unmarked MARK: up to 5 s for no process with MARK
wait_unmarked() {
	i=0
	while [ "$(marked "$1")" -gt 0 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	[ "$(marked "$1")" -eq 0 ]
}

# the transient cgroup a tracer with pid $1 made (none once it has exited)
cgroup_of() {
	find /sys/fs/cgroup -maxdepth 8 -type d -name "erofs-diotrace.$1" 2>/dev/null
}

# --- SIGTERM ends CMD's whole tree; so does CMD's own exit -------------------
check_tree() {
	# the mark is only in the sleeps' command lines, never in the tracer's
	mark=dt-grandchild-$$
	ln -sf "$(command -v sleep)" "$W/$mark"
	printf '"%s" 300 & "%s" 301 & wait\n' "$W/$mark" "$W/$mark" > "$W/tree.sh"
	printf 'setsid "%s" 302 & wait\n' "$W/$mark" > "$W/setsid.sh"
	printf '"%s" 303 & exit 0\n' "$W/$mark" > "$W/leave.sh"
	"$T" run --probes -o "$W/tree.rep" -- sh "$W/tree.sh" 2> "$W/tree.err" &
	tp=$!
	if ! wait_marked "$mark" 2; then
		kill -KILL $tp 2>/dev/null
		t_fail "SIGTERM: no grandchild of CMD left" "the two sleeps never started"
		return
	fi
	kill -TERM $tp
	i=0
	while kill -0 $tp 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	kill -KILL $tp 2>/dev/null
	wait $tp
	if wait_unmarked "$mark" && grep -q "interrupted by SIGTERM" "$W/tree.rep" && [ -z "$(cgroup_of $tp)" ]; then
		t_pass "SIGTERM: CMD's grandchildren (2 sleeps) end with it, partial report"
	else
		t_fail "SIGTERM: no grandchild of CMD left" "$(marked "$mark") left: $(grep -ls -- "[d]${mark#d}" /proc/[0-9]*/cmdline | tr '\n' ' ')"
		pkill -KILL -f -- "$mark"
	fi
	# a child that leaves the process group is ended only through the cgroup
	if grep -q "ended through cgroup" "$W/tree.err"; then
		"$T" run -o /dev/null -- sh "$W/setsid.sh" &
		tp=$!
		wait_marked "$mark" 1
		kill -TERM $tp
		wait $tp
		if wait_unmarked "$mark"; then
			t_pass "SIGTERM: a setsid grandchild ends too (cgroup.kill)"
		else
			t_fail "SIGTERM: a setsid grandchild ends too (cgroup.kill)" "$(marked "$mark") left"
			pkill -KILL -f -- "$mark"
		fi
	else
		t_skip "SIGTERM: a setsid grandchild ends too" "no writable cgroup v2 here: process group only ($(head -1 "$W/tree.err"))"
	fi
	# CMD exits and leaves a child behind: the tracer ends it before exiting
	$TO "$T" run -o /dev/null -- sh "$W/leave.sh" 2> "$W/leave.err"
	rc=$?
	if [ $rc -eq 0 ] && wait_unmarked "$mark" && grep -q "so they are killed" "$W/leave.err"; then
		t_pass "CMD exits leaving a child running: the tracer ends it, says so, exit status CMD's"
	else
		t_fail "CMD exits leaving a child running: the tracer ends it" "rc=$rc, $(marked "$mark") left"
		pkill -KILL -f -- "$mark"
	fi
	# an error after CMD was forked (no probe at all can bind): nothing is left
	$TO "$T" run --avoid fentry,kprobe,tracepoint,tp_btf,raw_tp -o /dev/null -- sh "$W/leave.sh" 2> "$W/tree.err" &
	tp=$!
	wait $tp
	rc=$?
	if [ $rc -eq 2 ] && wait_unmarked "$mark" && [ -z "$(cgroup_of $tp)" ]; then
		t_pass "setup fails after the fork: exit 2, CMD never runs, no cgroup left"
	else
		t_fail "setup fails after the fork: exit 2, CMD never runs, no cgroup left" "rc=$rc: $(cat "$W/tree.err")"
	fi
	rm -f "$W/$mark" "$W/tree.sh" "$W/setsid.sh" "$W/leave.sh"
}

# --- CMD in its own process group still owns the terminal: it can read it --
check_tty() {
	if ! command -v script >/dev/null; then
		t_skip "CMD reads the terminal" "script (util-linux) not installed"
		return
	fi
	(sleep 2; echo hello) | timeout -s KILL 60 script -qec \
		"'$T' run -o /dev/null -- sh -c 'read x; echo got \$x'" /dev/null > "$W/tty.out" 2>&1
	rc=$?
	if [ $rc -eq 0 ] && grep -q "got hello" "$W/tty.out"; then
		t_pass "CMD reads the terminal (its group gets the foreground, no SIGTTIN stop)"
	else
		t_fail "CMD reads the terminal" "rc=$rc: $(head -c 200 "$W/tty.out")"
	fi
}
