#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# `erofs-diotrace replay` on the recorded streams in tests/data: --assert exit
# codes, the text report, the JSON report, and one-line errors on bad input.
SUITE=replay
. "$(dirname "$0")/../lib.sh"
: > "$DT_RESULTS"
T="$DT_ROOT/build/erofs-diotrace"
Q="$DT_ROOT/build/tests/unit/jsonq"
D="$DT_ROOT/tests/data"
W=$(mktemp -d /tmp/dt-replay.XXXXXX)
trap 'rm -rf "$W"' EXIT INT TERM

# FILE [OPTIONS] -> expected --assert status
while read -r want file opts; do
	# shellcheck disable=SC2086
	"$T" replay --assert -q $opts "$D/$file" 2> "$W/err"
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		t_pass "assert $file${opts:+ $opts} -> $want"
	else
		t_fail "assert $file${opts:+ $opts} -> $want" "got $rc: $(head -c 300 "$W/err")"
	fi
done <<'LIST'
0 clean_dio.events
0 multi_extent.events
1 rfc_eio.events
1 wrong_offset.events
0 async_ooo.events
1 async_late.events
0 buffered_double_cache.events
1 buffered_double_cache.events --expect-dio
2 lost.events
2 host_cat.events
0 overflow.events
2 overflow.events --max-inflight 2
2 open_einval.events
1 open_einval.events --expect-dio
2 dio_einval.events
1 kernel_counters.events
1 dio_fallback.events
0 readahead_gap.events
2 lost_extent.events
2 iov_unknown.events
0 user_async.events
1 user_async_late.events
1 user_async_twice.events
2 user_async_gaps.events
0 nowait_declined.events
0 eof_roundup.events
1 eof_overread.events
1 done_over_total.events
0 clean_dio.rec
0 clean_dio.txtrec
1 rfc_eio.txtrec
0 guest_fixed_uring.txtrec
LIST

# without --assert: 0 once a report is written, whatever the verdict
if "$T" replay -q "$D/rfc_eio.events"; then
	t_pass "exit 0 without --assert"
else
	t_fail "exit 0 without --assert" "got $?"
fi

# text report: the findings a reader looks for
check_text() {	# NAME FILE OPTIONS PATTERN
	name=$1 file=$2 opts=$3 pat=$4
	# shellcheck disable=SC2086
	"$T" replay $opts "$D/$file" > "$W/out" 2>&1
	if grep -q -- "$pat" "$W/out"; then
		t_pass "$name"
	else
		t_fail "$name" "no '$pat' in the report of $file"
	fi
}
check_text "text: wrong offset named" wrong_offset.events -v "WRONG OFFSET: extent says 4198400"
check_text "text: done < total" rfc_eio.events "" "done 1048576 < total 2097152"
check_text "text: double caching" buffered_double_cache.events "" \
	"128 KiB newly inserted into the EROFS page cache and 128 KiB into the backing file's"
check_text "text: done > total named as such" done_over_total.events "" "done 131072 > total 65536"
check_text "text: no direct I/O" open_einval.events "" \
	"this kernel has no direct I/O for file-backed EROFS (open O_DIRECT -> EINVAL)"
check_text "text: unbound role" host_cat.events "" "backing_submit  UNBOUND   fentry vfs_iocb_iter_read: EPERM"
check_text "text: lost events" lost.events "" "3 events lost"
check_text "text: late completion" async_late.events "-v" "AFTER the read returned"
check_text "text: verdict line" clean_dio.events "" "^Verdict: PASS"
check_text "text: verbose streams PASS reads" overflow.events "-v" "#3 fio\[880/883\]"
check_text "text: pushed-out read named" overflow.events "--max-inflight 2" \
	"dropped before its end: the in-flight table was full"

# JSON: stable keys, bytes
check_json() {	# FILE OPTIONS PATH WANT
	file=$1 opts=$2 path=$3 want=$4
	# shellcheck disable=SC2086
	"$T" replay -q $opts --json "$W/r.json" "$D/$file" 2> "$W/err"
	got=$("$Q" "$W/r.json" "$path" 2>&1)
	if [ "$got" = "$want" ]; then
		t_pass "json $file $path = $want"
	else
		t_fail "json $file $path = $want" "got '$got'"
	fi
}
check_json clean_dio.events "" version 1
check_json clean_dio.events "" verdict PASS
check_json clean_dio.events "" reads.0.ledger.backing_completed 65536
check_json clean_dio.events "" reads.0.ledger.erofs_pc_bytes 0
check_json rfc_eio.events "" reads.0.error EIO
check_json rfc_eio.events "" reads.0.ledger.done 1048576
check_json rfc_eio.events "" reads.0.checks.done_total.status FAIL
check_json wrong_offset.events "" reads.1.backing_reads.0.expected_pos 4198400
check_json multi_extent.events "" reads.1.ledger.inline 100
check_json multi_extent.events "" reads.0.ledger.zero 65536
check_json buffered_double_cache.events "" summary.double_caching.backing_pc_bytes 131072
check_json host_cat.events "" roles.3.bound false
check_json overflow.events "--max-inflight 2" evidence.untracked_reads 1
check_json open_einval.events "" findings.0.kind no_direct_io
check_json lost.events "" evidence.lost 3
# every read is streamed into the JSON, the PASS ones too, in the order they closed
check_json overflow.events "--max-inflight 2" reads.2.verdict PASS
check_json overflow.events "--max-inflight 2" reads.0.checks.returned.gap untracked
check_json overflow.events "--max-details 1" summary.pass 3
check_json lost.events "" reads.0.checks.offset.gap lost
check_json lost.events "" evidence.loss_stamped false

# stdin
if "$T" replay --assert -q - < "$D/clean_dio.events"; then
	t_pass "stream from stdin"
else
	t_fail "stream from stdin" "exit $?"
fi

# bad input: one line naming the problem, exit 2, no report
bad_input() {	# NAME PATTERN ARGS...
	name=$1 pat=$2
	shift 2
	"$T" replay "$@" > "$W/out" 2> "$W/err"
	rc=$?
	if [ "$rc" -eq 2 ] && [ "$(wc -l < "$W/err")" -eq 1 ] && grep -q -- "$pat" "$W/err" &&
	   [ ! -s "$W/out" ]; then
		t_pass "$name"
	else
		t_fail "$name" "exit $rc, stderr: $(head -c 300 "$W/err")"
	fi
}
printf 'req_start ts=1\nreq_end ts=2 rett=5\n' > "$W/bad.events"
bad_input "bad line named" "bad.events:2: unknown key 'rett'" "$W/bad.events"
bad_input "bad line: no partial JSON left" "bad.events:2" --json "$W/partial.json" "$W/bad.events"
if [ -e "$W/partial.json" ]; then
	t_fail "bad input leaves no JSON file" "$W/partial.json exists"
else
	t_pass "bad input leaves no JSON file"
fi
bad_input "missing file" "cannot open '$W/none.events'" "$W/none.events"
bad_input "no file given" "give exactly one recorded stream FILE"
bad_input "bad option value" "max-inflight wants" --max-inflight 0 "$D/clean_dio.events"
# records: conversions are lossless; legacy streams are named as such
"$T" replay --text "$D/clean_dio.rec" > "$W/c.txt" 2> "$W/err"
if cmp -s "$W/c.txt" "$D/clean_dio.txtrec" && [ ! -s "$W/err" ]; then
	t_pass "binary record exports to the committed text record"
else
	t_fail "binary record exports to the committed text record" "$(head -c 300 "$W/err")"
fi
"$T" replay --binary -o "$W/c.rec" "$D/clean_dio.txtrec" && "$T" replay --text -o "$W/c2.txt" "$W/c.rec"
if cmp -s "$W/c.rec" "$D/clean_dio.rec" && cmp -s "$W/c2.txt" "$D/clean_dio.txtrec"; then
	t_pass "text -> binary -> text gives the same bytes"
else
	t_fail "text -> binary -> text gives the same bytes" "cmp $W/c.rec $D/clean_dio.rec"
fi
"$T" replay -q "$D/clean_dio.events" 2> "$W/err"
if [ -s "$W/err" ]; then
	t_fail "-q: no legacy note" "$(head -c 300 "$W/err")"
else
	t_pass "-q: no legacy note"
fi
"$T" replay "$D/clean_dio.events" > /dev/null 2> "$W/err"
if grep -q "legacy text stream (no !format line), not crash-checked" "$W/err"; then
	t_pass "legacy stream named as not crash-checked"
else
	t_fail "legacy stream named as not crash-checked" "stderr: $(head -c 300 "$W/err")"
fi

# a record cut short replays INCONCLUSIVE, never PASS or FAIL
cut_record() {	# NAME FILE BYTES
	name=$1 file=$2 bytes=$3
	head -c "$bytes" "$file" > "$W/cut"
	"$T" replay --assert "$W/cut" > "$W/out" 2>&1
	rc=$?
	if [ "$rc" -eq 2 ] && grep -q "record truncated at byte" "$W/out"; then
		t_pass "$name"
	else
		t_fail "$name" "exit $rc: $(grep -i -m2 'verdict\|truncated' "$W/out")"
	fi
}
cut_record "binary record cut mid-event" "$D/clean_dio.rec" 1000
cut_record "binary record without its end marker" "$D/clean_dio.rec" 2824
cut_record "text record cut after a whole line" "$D/clean_dio.txtrec" \
	"$(grep -b '^req_end' "$D/clean_dio.txtrec" | cut -d: -f1)"
# "ret=65536" cut to "ret=65": the cut line is not read as a smaller number
off=$(grep -b -o 'ret=65536 flags=DIRECT fd=?$' "$D/clean_dio.txtrec" | cut -d: -f1)
cut_record "text record cut mid-number" "$D/clean_dio.txtrec" $((off + 6))
sed 's/^\(open .*comm=\)dd/\1de/' "$D/clean_dio.txtrec" > "$W/flip.txtrec"
"$T" replay --assert "$W/flip.txtrec" > "$W/out" 2>&1
if [ $? -eq 2 ] && grep -q "checksum mismatch" "$W/out"; then
	t_pass "text record with a changed value: checksum mismatch"
else
	t_fail "text record with a changed value: checksum mismatch" "$(grep -m2 -i 'verdict' "$W/out")"
fi
printf '!lost 9223372036854775808\n!lost 9223372036854775808\n' | cat "$D/clean_dio.events" - > "$W/sat.events"
"$T" replay --assert -q "$W/sat.events" 2> /dev/null
rc=$?
if [ "$rc" -eq 2 ]; then
	t_pass "two !lost 2^63 saturate: INCONCLUSIVE"
else
	t_fail "two !lost 2^63 saturate: INCONCLUSIVE" "exit $rc"
fi

# exporting a cut record keeps the cut: a !truncated note, and INCONCLUSIVE again
head -c 1000 "$D/clean_dio.rec" | "$T" replay --text - > "$W/cut.txtrec" 2> "$W/err"
"$T" replay --assert "$W/cut.txtrec" > "$W/out" 2>&1
rc=$?
if [ "$rc" -eq 2 ] && grep -q '^!truncated byte 984: cut inside a record' "$W/cut.txtrec" &&
   grep -q "record truncated at byte 984" "$W/out" && grep -q "record incomplete" "$W/err"; then
	t_pass "export of a cut record carries the cut"
else
	t_fail "export of a cut record carries the cut" "exit $rc: $(grep -m1 '^!truncated' "$W/cut.txtrec")"
fi

# every write checked: a full output is exit 2 with one line saying so
write_error() {	# NAME PATTERN ARGS... (stdout goes to /dev/full)
	name=$1 pat=$2
	shift 2
	"$T" replay "$@" > /dev/full 2> "$W/err"
	rc=$?
	if [ "$rc" -eq 2 ] && [ "$(wc -l < "$W/err")" -eq 1 ] && grep -q -- "$pat" "$W/err"; then
		t_pass "$name"
	else
		t_fail "$name" "exit $rc, stderr: $(head -c 300 "$W/err")"
	fi
}
write_error "--text -o /dev/full" "cannot write the text form to /dev/full: No space left" \
	--text -o /dev/full "$D/clean_dio.rec"
write_error "--binary -o /dev/full" "cannot write the binary form to /dev/full" \
	--binary -o /dev/full "$D/clean_dio.events"
write_error "--text to a full stdout" "cannot write the text form to stdout: No space left" \
	--text "$D/clean_dio.rec"
write_error "report to a full stdout" "cannot write the text report: No space left" \
	"$D/clean_dio.rec"
bad_input "-o without --text" "-o goes with --text or --binary" -o "$W/x" "$D/clean_dio.rec"
bad_input "--text with report options" "only convert the record" --text --assert "$D/clean_dio.rec"
printf '!format erofs-diotrace 1\nreq_start ts=1\nreq_end ts=2 rett=5\n' > "$W/bad.txtrec"
bad_input "bad line of a text record named" "bad.txtrec:3: unknown key 'rett'" "$W/bad.txtrec"
head -c 40 "$D/clean_dio.rec" | sed 's/DTREC/DTREX/' > "$W/bad.rec"
bad_input "bad binary header named" "bad.rec: byte 0: not an erofs-diotrace record" "$W/bad.rec"
bad_input "bad --max-details" "max-details wants" --max-details 0 "$D/clean_dio.events"

# an output that cannot be written: one line, exit 2
if [ -w /dev/full ]; then
	"$T" replay -q --json /dev/full "$D/clean_dio.events" 2> "$W/err"
	rc=$?
	if [ "$rc" -eq 2 ] && grep -q "cannot write JSON to '/dev/full'" "$W/err"; then
		t_pass "JSON write error exits 2"
	else
		t_fail "JSON write error exits 2" "exit $rc: $(head -c 300 "$W/err")"
	fi
fi
t_done
