#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# test-tracer-host: `erofs-diotrace run` on the running kernel.  What to
# expect of each role comes from the probe table `run --probes` prints (what the
# tool says it bound), so the suite holds where fentry works and where only
# tracepoints load alike.  Images live under build/ (ext4; tmpfs cannot
# back them).
SUITE=tracer-host
. "$(dirname "$0")/../lib.sh"

R=$DT_ROOT
T=${DT_TOOL:-$R/build/erofs-diotrace}
J=$R/build/tests/dt-jget
ODOPEN=$R/build/tests/dt-odopen
FORKREAD=$R/build/tests/dt-forkread
FB=$R/build/tests/fbmount
W=${DT_HOST_W:-$R/build/tests/tracer-host}
TO="timeout -s KILL 120"
PAGE=$(getconf PAGESIZE)

cleanup() {
	for m in "$W/mnt" "$W/mnt2"; do
		grep -qs " $m " /proc/mounts && "$FB" -u "$m"
	done
	[ -n "${bgpid:-}" ] && kill "$bgpid" 2>/dev/null
	return 0
}
trap cleanup EXIT INT TERM

drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches; }

# wait_for FILE REGEX: up to 60 s for FILE to exist (and hold a line matching REGEX)
wait_for() {
	i=0
	while [ $i -lt 600 ]; do
		if [ -e "$1" ] && { [ -z "$2" ] || grep -q "$2" "$1"; }; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

setup() {
	cleanup
	rm -rf "$W" && mkdir -p "$W/src" "$W/src2" "$W/mnt" "$W/mnt2" || return 1
	head -c 3000000 /dev/urandom > "$W/src/big" &&
	echo small > "$W/src/small" &&
	mkdir -p "$W/src/$LONGDIR" && echo long > "$W/src/$LONGDIR/f" &&
	mkdir -p "$W/src/$DEEPDIR" && echo deep > "$W/src/$DEEPDIR/f" &&
	head -c 200000 /dev/urandom > "$W/src2/other" &&
	mkfs.erofs --quiet "$W/a.img" "$W/src" >/dev/null 2>&1 &&
	mkfs.erofs --quiet "$W/b.img" "$W/src2" >/dev/null 2>&1 &&
	"$FB" "$W/a.img" "$W/mnt" && "$FB" "$W/b.img" "$W/mnt2"
}

# a path of more than 200 characters under the mount; a directory 70 deep
LONGDIR=$(printf 'a%.0s' $(seq 1 60))/$(printf 'b%.0s' $(seq 1 60))/$(printf 'c%.0s' $(seq 1 60))
DEEPDIR=$(printf 'd/%.0s' $(seq 1 70))
DEEPDIR=${DEEPDIR%/}

if [ "$(id -u)" != 0 ]; then
	t_skip "all" "needs root to load BPF programs and mount EROFS"
	t_done
fi
if ! setup; then
	t_fail "setup" "could not build and mount file-backed EROFS images under $W"
	t_done
fi
BIG_INO=$(stat -c %i "$W/mnt/big")
IMG_INO=$(stat -c %i "$W/a.img")

# --- probe calibration: every role is bound or unbound by name ------------
# probe ROLE [FILE]: what `run --probes` said bound ROLE ("tp_btf mm_...", "unbound (...)")
probe() { sed -n "s/^  $1: //p" "${2:-$W/roles.err}"; }
# jrole FILE NAME FIELD: FIELD of the role NAME in a JSON report's roles array
jrole() {
	_n=$("$J" "$1" roles.#) _i=0
	while [ "$_i" -lt "${_n:-0}" ]; do
		if [ "$("$J" "$1" roles.$_i.name)" = "$2" ]; then
			"$J" "$1" roles.$_i.$3 2> /dev/null	# absent: null
			return
		fi
		_i=$((_i + 1))
	done
}

check_roles() {
	$TO "$T" run --probes --json "$W/roles.json" -o "$W/roles.rep" -- true 2> "$W/roles.err"
	missing=
	for r in REQ DIO EXTENT BACKING_SUBMIT BACKING_DONE PC_ADD PC_DEL OPEN FORK EXIT; do
		grep -Eq "^  $r: ((fentry|fexit|kprobe|tracepoint|tp_btf|raw_tp) [a-z_/0-9{},]+|unbound \(.+: .+\))\$" \
			"$W/roles.err" || missing="$missing $r"
	done
	if [ -n "$missing" ]; then
		t_fail "--probes names the program or the reasons for every role" "no line for:$missing"
		return
	fi
	t_pass "--probes names the program or the reasons for every role"
	# the report agrees with --probes, role by role, whatever this kernel binds
	bad=
	for r in req dio extent backing_submit backing_done pc_add pc_del open; do
		U=$(echo $r | tr a-z A-Z) b=$(jrole "$W/roles.json" $r bound)
		case $(probe $U) in
		unbound*) [ "$b" = false ] && grep -Eq "^  $r +UNBOUND +.+: " "$W/roles.rep" || bad="$bad $r" ;;
		*) [ "$b" = true ] || bad="$bad $r" ;;
		esac
	done
	if [ -z "$bad" ]; then
		t_pass "report and JSON agree with --probes on every role (UNBOUND with its reason)"
	else
		t_fail "report and JSON agree with --probes on every role" "differ:$bad"
	fi
	# the roles every kernel with EROFS can bind
	if probe REQ | grep -qv '^unbound' && probe OPEN | grep -qv '^unbound' &&
	   probe FORK | grep -qv '^unbound' && probe EXIT | grep -qv '^unbound'; then
		t_pass "REQ, OPEN, FORK and EXIT bound: $(probe REQ | cut -d' ' -f1) REQ"
	else
		t_fail "REQ, OPEN, FORK and EXIT bound" "$(grep -E '^  (REQ|OPEN|FORK|EXIT):' "$W/roles.err" | tr '\n' ' ')"
	fi
}

# --- a misspelt program in the probe table does not build ------------------
check_table_typo() {
	vh=$(ls "$R/vmlinux/vmlinux.h" "$R/build/bpf/vmlinux.h" 2>/dev/null | head -1)
	if ! command -v cc > /dev/null || ! command -v clang > /dev/null || [ -z "$vh" ]; then
		t_skip "a misspelt program in the probe table is a build error" "needs cc, clang, vmlinux.h"
		return
	fi
	u="cc -fsyntax-only -D_GNU_SOURCE -I$R/include -I$R/user/common -I$R/user/trace -I$R/build $R/user/trace/trace_helpers.c"
	arch=$(uname -m | sed -e s/x86_64/x86/ -e s/aarch64/arm64/ -e s/riscv64/riscv/)
	b="clang -fsyntax-only -target bpf -D__TARGET_ARCH_$arch -I$(dirname "$vh") -I$R/include -I$R/bpf $R/bpf/diotrace.bpf.c"
	if $u 2> "$W/typo.err" && $b 2>> "$W/typo.err" &&
	   ! $u -DDT_PROBES_TYPO_TEST 2> "$W/typo-u.err" && grep -q fentry_reqq "$W/typo-u.err" &&
	   ! $b -DDT_PROBES_TYPO_TEST 2> "$W/typo-b.err" && grep -q fentry_reqq "$W/typo-b.err"; then
		t_pass "a misspelt program in the probe table is a build error (loader and BPF)"
	else
		t_fail "a misspelt program in the probe table is a build error" "see $W/typo*.err"
	fi
}

# --- buffered cat: double caching with both inodes' byte counts ------------
check_cat() {
	drop_caches
	$TO "$T" run --json "$W/cat.json" -o "$W/cat.rep" -- cat "$W/mnt/big" > "$W/cat.out"
	rc=$?
	if [ $rc -ne 0 ] || ! cmp -s "$W/cat.out" "$W/src/big"; then
		t_fail "run -- cat: exit status and output of cat" "rc=$rc"
		return
	fi
	t_pass "run -- cat: exit status and output of cat"
	want=$(( (3000000 + PAGE - 1) / PAGE * PAGE ))
	erofs=$("$J" "$W/cat.json" summary.double_caching.erofs_pc_bytes)
	bk=$("$J" "$W/cat.json" summary.double_caching.backing_pc_bytes)
	bufs=$("$J" "$W/cat.json" summary.buffered)
	if [ "$erofs" = "$want" ] && [ "${bk:-0}" -ge $((3000000 / PAGE * PAGE)) ] && [ "${bufs:-0}" -gt 0 ]; then
		t_pass "cat: double caching measured: EROFS $erofs B, backing $bk B"
	else
		t_fail "cat: double caching measured" "erofs=$erofs (want $want) backing=$bk buffered=$bufs"
	fi
	# both inodes, by ino, in the per-file summary and in the text report
	n=$("$J" "$W/cat.json" files.#)
	i=0 seen_e=0 seen_b=0
	while [ "$i" -lt "${n:-0}" ]; do
		k=$("$J" "$W/cat.json" files.$i.kind) ino=$("$J" "$W/cat.json" files.$i.ino)
		[ "$k" = erofs ] && [ "$ino" = "$BIG_INO" ] && seen_e=1
		[ "$k" = backing ] && [ "$ino" = "$IMG_INO" ] && seen_b=1
		i=$((i + 1))
	done
	if [ $seen_e = 1 ] && [ $seen_b = 1 ] && grep -q "ino $BIG_INO" "$W/cat.rep" &&
	   grep -q "ino $IMG_INO" "$W/cat.rep" && grep -qi "double caching" "$W/cat.rep"; then
		t_pass "cat: report names the EROFS inode ($BIG_INO) and the backing image ($IMG_INO)"
	else
		t_fail "cat: report names the EROFS inode and the backing image" \
			"erofs=$seen_e backing=$seen_b in $W/cat.json / cat.rep"
	fi
}

# --- fallbacks measure the same: raw_tp for tp_btf, raw syscalls for the tracepoints
# check_fallback NAME AVOID: run cat with --avoid AVOID; every role --probes showed
# bound by an avoided kind binds to another; same reads and EROFS bytes
check_fallback() {
	drop_caches
	$TO "$T" run --probes --avoid "$2" --json "$W/$1.json" -o /dev/null -- cat "$W/mnt/big" \
		> /dev/null 2> "$W/$1.err"
	a=$("$J" "$W/cat.json" summary.reads summary.double_caching.erofs_pc_bytes)
	b=$("$J" "$W/$1.json" summary.reads summary.double_caching.erofs_pc_bytes)
	moved= bad=
	for r in REQ EXTENT PC_ADD PC_DEL OPEN FORK EXIT; do
		k=$(probe $r | cut -d' ' -f1) k2=$(probe $r "$W/$1.err" | cut -d' ' -f1)
		case ",$2," in
		*",$k,"*) moved="$moved $r:$k>$k2"
			  case ",$2,unbound," in *",$k2,"*) bad="$bad $r" ;; esac ;;
		esac
	done
	if [ -z "$moved" ]; then
		t_skip "--avoid $2: fallbacks measure the same" "no role is bound by $2 here"
	elif [ -z "$bad" ] && [ -n "$a" ] && [ "$a" = "$b" ]; then
		t_pass "--avoid $2:$moved; same reads and EROFS bytes"
	else
		t_fail "--avoid $2: fallbacks measure the same" "moved:$moved unbound:$bad; $a / $b"
	fi
}

# --- O_DIRECT attempt: refused (no EROFS direct I/O) or a direct read ------
check_odirect() {
	$TO "$T" run --assert --json "$W/dd.json" -o "$W/dd.rep" -- \
		dd if="$W/mnt/big" of=/dev/null iflag=direct bs=4096 count=1 2> "$W/dd.err"
	rc=$?
	v=$("$J" "$W/dd.json" verdict)
	if grep -q "Invalid argument" "$W/dd.err"; then
		if grep -qi "no direct I/O for file-backed EROFS.*EINVAL" "$W/dd.rep" &&
		   grep -q "ino $BIG_INO" "$W/dd.rep"; then
			t_pass "dd iflag=direct: refused with EINVAL, reported with the inode"
		else
			t_fail "dd iflag=direct: refused with EINVAL, reported with the inode" "see $W/dd.rep"
		fi
		if [ $rc -eq 2 ] && [ "$v" = INCONCLUSIVE ]; then
			t_pass "dd iflag=direct refused: --assert exit 2, verdict INCONCLUSIVE (no read observed)"
		else
			t_fail "dd iflag=direct refused: --assert exit 2, verdict INCONCLUSIVE" "rc=$rc verdict=$v"
		fi
	elif [ "$("$J" "$W/dd.json" summary.direct)" -ge 1 ] 2>/dev/null && [ "$v" != FAIL ]; then
		t_pass "dd iflag=direct: a direct read observed, verdict $v"
	else
		t_fail "dd iflag=direct: refused or observed as a direct read" "rc=$rc verdict=$v; see $W/dd.rep"
	fi
}

# --- refused O_DIRECT opens resolve without /proc: long, dirfd- and cwd-relative
# refusal NAME INO ARGS...: dt-odopen ARGS under run; the refusal names INO
refusal() {
	name=$1 ino=$2
	shift 2
	$TO "$T" run --json "$W/od.json" -o "$W/od.rep" -- "$ODOPEN" "$@" > "$W/od.out"
	n=$("$J" "$W/od.json" summary.refused_direct_opens)
	if [ "$n" = 1 ] && [ "$("$J" "$W/od.json" findings.0.ino)" = "$ino" ]; then
		t_pass "refused O_DIRECT open, $name: resolved to ino $ino after the process exited"
	else
		t_fail "refused O_DIRECT open, $name: resolved to ino $ino" \
			"refusals=$n ino=$("$J" "$W/od.json" findings.0.ino 2>&1); see $W/od.rep"
	fi
}

check_refusals() {
	long=$W/mnt/$LONGDIR/f ino=$(stat -c %i "$W/mnt/$LONGDIR/f")
	if "$ODOPEN" "$long" > /dev/null; then :; else
		t_skip "refused O_DIRECT opens" "this kernel opens EROFS files with O_DIRECT"
		return
	fi
	refusal "absolute path of ${#long} characters" $ino "$long"
	refusal "openat on an O_PATH directory" $ino -d "$W/mnt/${LONGDIR%%/*}" "${LONGDIR#*/}/f"
	refusal "relative to the cwd" $ino -c "$W/mnt/${LONGDIR%/*}" "${LONGDIR##*/}/f"
	# a base directory deeper than BPF walks: counted, and INCONCLUSIVE under --expect-dio
	$TO "$T" run --expect-dio --json "$W/deep.json" -o "$W/deep.rep" -- \
		"$ODOPEN" -c "$W/mnt/$DEEPDIR" f > /dev/null 2> "$W/deep.err"
	if grep -q "1 O_DIRECT opens refused with EINVAL could not be resolved" "$W/deep.err" &&
	   grep -q "could not be resolved to a file" "$W/deep.rep" &&
	   [ "$("$J" "$W/deep.json" verdict)" = INCONCLUSIVE ]; then
		t_pass "refusal under a 70-deep directory: counted unresolved, --expect-dio INCONCLUSIVE"
	else
		t_fail "refusal under a 70-deep directory: counted unresolved" "see $W/deep.err, $W/deep.rep"
	fi
}

# --- process table: short-lived processes are pruned at exit ----------------
check_prune() {
	# a hang guard, not a timed test: 10,000 forks take minutes under TCG
	timeout -s KILL 900 "$T" run --probes --json "$W/fork.json" -o /dev/null -- "$FORKREAD" 10000 "$W/mnt/small" \
		2> "$W/fork.err"
	rc=$?
	reads=$("$J" "$W/fork.json" summary.reads)
	c=$(sed -n 's/^erofs-diotrace: counters: //p' "$W/fork.err")
	full=$(echo "$c" | sed -n 's/.*pids_full \([0-9]*\).*/\1/p')
	# each child reads twice: the data, then end of file
	if [ $rc -eq 0 ] && [ "$reads" = 20000 ] && [ "$full" = 0 ]; then
		t_pass "10,000 short-lived processes: all traced (20000 reads), process table never full"
	else
		t_fail "10,000 short-lived processes: all traced" "rc=$rc reads=$reads counters: $c"
	fi
	n=$(echo "$c" | sed -n 's/^reads \([0-9]*\).*/\1/p')
	if [ -n "$n" ] && [ "$n" -ge "${reads:-1}" ]; then
		t_pass "BPF read counter ($n) >= reads seen ($reads)"
	else
		t_fail "BPF read counter >= reads seen" "counter=$n seen=$reads"
	fi
}

# --- lost events: an overflowing ring buffer must not give PASS -------------
check_lost() {
	drop_caches
	# the workload stops the loader ($PPID) while it reads, so nothing drains
	# the 4 KiB ring buffer: overflow is certain, not a race
	$TO "$T" run --assert --ringbuf-size 4K --json "$W/lost.json" -o "$W/lost.rep" -- \
		sh -c "kill -STOP \$PPID; cat '$W/mnt/big' > /dev/null; kill -CONT \$PPID"
	rc=$?
	lost=$("$J" "$W/lost.json" evidence.lost)
	if [ "${lost:-0}" -gt 0 ] && [ $rc -eq 2 ]; then
		t_pass "ring buffer overflow: $lost lost events counted, verdict INCONCLUSIVE"
	else
		t_fail "ring buffer overflow: lost events counted, verdict INCONCLUSIVE" "lost=$lost rc=$rc"
	fi
}

# --- filters: process tree (forks), --mount, -p --------------------------------
check_filters() {
	drop_caches
	$TO "$T" run --mount "$W/mnt2" --json "$W/mnt.json" -o /dev/null -- \
		sh -c "cat '$W/mnt/big' '$W/mnt2/other' > /dev/null; (cat '$W/mnt2/other' > /dev/null)"
	dev2=$(stat -c '%Hd:%Ld' "$W/mnt2/other") other=$(stat -c %i "$W/mnt2/other")
	n=$("$J" "$W/mnt.json" reads.#) i=0 bad=0 comms=
	while [ "$i" -lt "${n:-0}" ]; do
		[ "$("$J" "$W/mnt.json" reads.$i.dev)" = "$dev2" ] &&
		[ "$("$J" "$W/mnt.json" reads.$i.ino)" = "$other" ] || bad=1
		comms="$comms $("$J" "$W/mnt.json" reads.$i.pid)"
		i=$((i + 1))
	done
	npids=$(echo $comms | tr ' ' '\n' | sort -u | wc -l)
	if [ "${n:-0}" -gt 0 ] && [ $bad = 0 ] && [ "$npids" -ge 2 ]; then
		t_pass "--mount keeps one mount; forked children are traced ($npids processes)"
	else
		t_fail "--mount keeps one mount; forked children are traced" "reads=$n bad=$bad pids=$npids"
	fi
	$TO "$T" run --mount /tmp -- true 2> "$W/badmnt.err"
	rc=$?
	if [ $rc -eq 2 ] && [ "$(wc -l < "$W/badmnt.err")" -eq 1 ] && grep -q "not on an EROFS mount" "$W/badmnt.err"; then
		t_pass "--mount on a non-EROFS directory: one-line error, exit 2"
	else
		t_fail "--mount on a non-EROFS directory: one-line error, exit 2" "rc=$rc: $(cat "$W/badmnt.err")"
	fi
	# the process itself reads; then a child it forked before the probes
	# were attached reads (each gives up waiting for $W/go after 60 s)
	gowait="i=0; while [ ! -e '$W/go' ] && [ \$i -lt 600 ]; do sleep 0.1; i=\$((i + 1)); done"
	trace_pid "-p PID traces a running process tree until it exits" pid \
		"$gowait; cat '$W/mnt2/other' > /dev/null; sleep 1"
	trace_pid "-p PID traces the children PID already had" pidc \
		"($gowait; cat '$W/mnt2/other' > /dev/null) & wait"
}

# trace_pid NAME TAG SCRIPT: start SCRIPT (it waits for $W/go), trace it with
# -p once attached, then expect a read by cat in the report
trace_pid() {
	drop_caches
	rm -f "$W/go"
	sh -c "$3" &
	bgpid=$!
	sleep 0.3
	$TO "$T" run --probes -p $bgpid --json "$W/$2.json" -o /dev/null 2> "$W/$2.err" &
	tp=$!
	wait_for "$W/$2.err" "^erofs-diotrace: tracing"
	touch "$W/go"
	wait $tp
	kill $bgpid 2>/dev/null
	wait $bgpid 2>/dev/null
	bgpid=
	n=$("$J" "$W/$2.json" reads.#)
	if [ "${n:-0}" -gt 0 ] && [ "$("$J" "$W/$2.json" reads.0.comm)" = cat ]; then
		t_pass "$1"
	else
		t_fail "$1" "reads=$n"
	fi
}

# --- every exit path detaches; SIGTERM prints the partial report -----------
# ids of the programs behind the loader's bpf_link fds
our_progs() {
	for f in /proc/$1/fd/*; do
		case $(readlink "$f" 2>/dev/null) in
		*bpf_link*|*bpf-link*) sed -n 's/^prog_id:[[:space:]]*//p' "/proc/$1/fdinfo/${f##*/}" ;;
		esac
	done
}

check_signal() {
	sig=$1
	rm -f "$W/sig.flag"
	"$T" run --json "$W/sig.json" -o "$W/sig.rep" -- \
		sh -c "cat '$W/mnt/big' > /dev/null; touch '$W/sig.flag'; sleep 30" &
	tp=$!
	wait_for "$W/sig.flag" ""
	ids=$(our_progs $tp)
	kill -$sig $tp
	i=0
	while kill -0 $tp 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	if kill -0 $tp 2>/dev/null; then
		kill -KILL $tp
		t_fail "SIG$sig: stops, detaches, partial report" "still running 5 s after SIG$sig"
		return
	fi
	wait $tp
	# programs are freed after an RCU grace period: give it a few seconds
	i=0
	while :; do
		left=
		for id in $ids; do bpftool prog show id "$id" >/dev/null 2>&1 && left="$left $id"; done
		[ -z "$left" ] || [ $i -ge 30 ] && break
		sleep 0.2; i=$((i + 1))
	done
	if [ -n "$ids" ] && [ -z "$left" ] && grep -q "interrupted by SIG$sig: partial trace" "$W/sig.rep" &&
	   [ "$("$J" "$W/sig.json" verdict)" != PASS ] && [ "$("$J" "$W/sig.json" reads.#)" -gt 0 ]; then
		t_pass "SIG$sig: stops CMD, detaches its $(echo $ids | wc -w) programs, partial report, not PASS"
	else
		t_fail "SIG$sig: stops CMD, detaches, partial report, not PASS" \
			"programs before: '$ids', still loaded: '$left'; see $W/sig.rep"
	fi
}

# --- record + replay give the same numbers --------------------------------
check_record() {
	drop_caches
	$TO "$T" run --record "$W/cat.rec" --json "$W/rec.json" -o /dev/null -- cat "$W/mnt/big" > /dev/null
	$TO "$T" replay --json "$W/replay.json" "$W/cat.rec" > /dev/null 2>&1
	a=$("$J" "$W/rec.json" verdict summary.reads summary.double_caching.erofs_pc_bytes 2>&1)
	b=$("$J" "$W/replay.json" verdict summary.reads summary.double_caching.erofs_pc_bytes 2>&1)
	unb=0
	for r in req dio extent backing_submit backing_done pc_add pc_del open; do
		[ "$(jrole "$W/rec.json" $r why)" = "$(jrole "$W/replay.json" $r why)" ] || unb=1
		if [ "$(jrole "$W/rec.json" $r bound)" = false ]; then
			"$T" replay --text "$W/cat.rec" | grep -q "^!unbound $r " || unb=1
		fi
	done
	if [ -n "$a" ] && [ "$a" = "$b" ] && [ $unb = 0 ]; then
		t_pass "--record stream replays to the same verdict, counts and unbound roles"
	else
		t_fail "--record stream replays to the same verdict and counts" "run: $a / replay: $b"
	fi
}

# --- bad input ---------------------------------------------------------------
check_usage() {
	"$T" run 2> "$W/usage.err"
	rc=$?
	if [ $rc -eq 2 ] && [ "$(wc -l < "$W/usage.err")" -eq 1 ]; then
		t_pass "run without a command: one-line error, exit 2"
	else
		t_fail "run without a command: one-line error, exit 2" "rc=$rc"
	fi
	if command -v setpriv >/dev/null; then
		setpriv --reuid=65534 --regid=65534 --clear-groups "$T" run -- true 2> "$W/priv.err"
		rc=$?
		if [ $rc -eq 2 ] && grep -q "needs root" "$W/priv.err" && [ "$(wc -l < "$W/priv.err")" -eq 1 ]; then
			t_pass "unprivileged: one-line error, exit 2 (inconclusive)"
		else
			t_fail "unprivileged: one-line error, exit 2" "rc=$rc: $(cat "$W/priv.err")"
		fi
	else
		t_skip "unprivileged: one-line error, exit 2" "setpriv (util-linux) not installed"
	fi
	"$T" run -o /dev/null -- /nonexistent/cmd 2> "$W/nocmd.err"
	rc=$?
	if [ $rc -eq 127 ] && grep -q "cannot run '/nonexistent/cmd'" "$W/nocmd.err"; then
		t_pass "CMD that cannot run: named, exit 127"
	else
		t_fail "CMD that cannot run: named, exit 127" "rc=$rc"
	fi
}

check_roles
check_table_typo
check_cat
check_fallback rawtp tp_btf
check_fallback rawsys tracepoint,tp_btf,fentry,kprobe
check_odirect
check_refusals
check_prune
check_lost
check_filters
check_signal TERM
check_signal INT
check_record
check_usage

# --- outputs, numbers and CMD's process tree (tests/tracer-host/cli.sh) -----
. "$(dirname "$0")/cli.sh"
check_write_errors
check_same_file
check_numbers
check_tree
check_tty

# --- --plot, --debug, -v and --probes (tests/tracer-host/plot.sh) ------------
. "$(dirname "$0")/plot.sh"
check_plot
check_debug
check_verbose
t_done
