#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# test-tracer-vm: `erofs-diotrace run` in a guest running the rfc flavour
# (the direct-I/O RFC ported to 6.12), through tests/vm/vm-run.  The guest
# part is tests/tracer-vm/workload.sh suite; it leaves reports, JSON, the --probes
# table and exit codes in $VO, checked here.
SUITE=tracer-vm
# DEBUG=1: every boot on the --debug kernels (KASAN, lockdep, kmemleak;
# vm-run follows DT_DEBUG), results as suite tracer-vm-debug
[ "${DEBUG:-0}" = 1 ] && SUITE=tracer-vm-debug && export DT_DEBUG=1
. "$(dirname "$0")/../lib.sh"

R=$DT_ROOT
J=$R/build/tests/dt-jget
VO=$R/build/tests/tracer-vm/out
FLAVOUR=${DT_TRACER_FLAVOUR:-rfc}

if [ ! -x "$R/tests/vm/vm-run" ] || ! command -v qemu-system-x86_64 >/dev/null; then
	t_skip "all" "tests/vm/vm-run or qemu-system-x86_64 is not available here"
	t_done
fi
if ! sh "$R/tests/tracer-vm/mkimages.sh" "$R/build/tests/tracer-vm"; then
	t_fail "setup" "mkimages.sh could not build the EROFS images"
	t_done
fi
rm -rf "$VO" && mkdir -p "$VO"

# one guest boot for the whole suite; its own $OUT so no other run empties it
cd "$R" || exit 1
timeout -s KILL 1500 tests/vm/vm-run --flavour "$FLAVOUR" --timeout 1200 --out "$VO" -- \
	'sh tests/tracer-vm/workload.sh suite' > "$R/build/tests/tracer-vm/vm.log" 2>&1
rc=$?
t_guest $rc "$FLAVOUR guest ran the workload" "$R/build/tests/tracer-vm/vm.log"
for f in pass chunk fail buffered kprobe offset; do
	if [ ! -s "$VO/$f.json" ]; then
		t_fail "guest produced the $f report" "no $VO/$f.json"
		t_done
	fi
done

j() { "$J" "$VO/$1.json" "$2"; }

# --- the --probes table: every role bound, by the rfc's own functions -------------
check_table() {
	bad=
	for want in "REQ: fentry erofs_file_read_iter" "DIO: fentry erofs_fileio_direct_io" \
		    "DIO io.total: fexit erofs_fileio_scan_iter" "DIO io.done: fexit erofs_fileio_end_io" \
		    "EXTENT: fexit erofs_map_blocks" "BACKING_SUBMIT: fentry vfs_iocb_iter_read" \
		    "BACKING_DONE: fentry erofs_fileio_ki_complete" \
		    "PC_ADD: tp_btf mm_filemap_add_to_page_cache" \
		    "PC_DEL: tp_btf mm_filemap_delete_from_page_cache"; do
		grep -qx "  $want" "$VO/pass.err" || bad="$bad [$want]"
	done
	# OPEN: the syscall tracepoints (tracefs), else the raw sys_enter pair
	grep -Eqx "  OPEN: (tracepoint syscalls/.*|tp_btf sys_enter/sys_exit)" "$VO/pass.err" ||
		bad="$bad [OPEN]"
	if [ -z "$bad" ]; then
		t_pass "rfc guest: --probes shows every role bound (fentry/fexit, tp_btf)"
	else
		t_fail "rfc guest: --probes shows every role bound" "missing:$bad"
	fi
}

# every read of NAME: direct, PASS, full ledger, no EROFS page-cache insert
check_reads_pass() {
	name=$1 want_n=$2
	n=$(j "$name" reads.#) i=0 bad= sizes=
	while [ "$i" -lt "${n:-0}" ]; do
		p=reads.$i
		len=$(j "$name" $p.len)
		sizes="$sizes $len"
		for kv in "$p.direct=true" "$p.verdict=PASS" "$p.returned=$len" \
			  "$p.ledger.total=$len" "$p.ledger.done=$len" "$p.ledger.counters_read=true" \
			  "$p.ledger.backing_completed=$len" "$p.ledger.mapped=$len" \
			  "$p.ledger.erofs_pc_bytes=0" "$p.ledger.bad_offsets=0"; do
			[ "$(j "$name" "${kv%%=*}")" = "${kv#*=}" ] || bad="$bad ${kv%%=*}=$(j "$name" "${kv%%=*}")(want ${kv#*=})"
		done
		i=$((i + 1))
	done
	rc=$(cat "$VO/$name.rc")
	if [ "$n" = "$want_n" ] && [ -z "$bad" ] && [ "$rc" = 0 ] && [ "$(j "$name" verdict)" = PASS ]; then
		t_pass "$name: $n O_DIRECT reads ($sizes B) PASS: done == total == returned == backing bytes, 0 EROFS page-cache inserts"
	else
		t_fail "$name: O_DIRECT reads PASS with a full ledger" "reads=$n (want $want_n) rc=$rc verdict=$(j "$name" verdict)$bad"
	fi
	if [ "$(grep -c 'data-ok$' "$VO/$name.out")" = "$want_n" ]; then
		t_pass "$name: the workload's bytes match the source file"
	else
		t_fail "$name: the workload's bytes match the source file" "$(tr '\n' ' ' < "$VO/$name.out")"
	fi
}

check_extents() {
	a=$(j chunk reads.0.extents.#) b=$(j chunk reads.1.extents.#)
	if [ "${a:-0}" -ge 4 ] && [ "${b:-0}" -ge 8 ]; then
		t_pass "chunk-based file: reads span $a and $b extents, each backing read at m_pa + offset"
	else
		t_fail "chunk-based file: reads span several extents" "extents: $a, $b (want >= 4, >= 8)"
	fi
}

# --- the RFC's full bio: 2 MiB preadv into every other page -----------------
check_fail() {
	rc=$(cat "$VO/fail.rc")
	tot=$(j fail reads.0.ledger.total) done=$(j fail reads.0.ledger.done)
	ret=$(j fail reads.0.returned) cr=$(j fail reads.0.ledger.counters_read)
	if [ "$rc" = 1 ] && [ "$(j fail verdict)" = FAIL ] && [ "$tot" = 2097152 ] &&
	   [ "$cr" = true ] && [ "${done:-0}" -lt "$tot" ] && [ "$ret" = -5 ] &&
	   grep -q "EIO" "$VO/fail.rep" && grep -q "errno=Input/output error" "$VO/fail.out"; then
		t_pass "2 MiB preadv into every other page: FAIL, kernel done $done < total $tot, EIO"
	else
		t_fail "2 MiB preadv into every other page: FAIL with done < total and EIO" \
			"rc=$rc verdict=$(j fail verdict) total=$tot done=$done counters_read=$cr returned=$ret"
	fi
}

# --- inside a chunk: silent wrong data, caught by the extent offset check ---
check_offset() {
	bo=$(j offset reads.0.ledger.bad_offsets) ret=$(j offset reads.0.returned)
	if [ "$(cat "$VO/offset.rc")" = 1 ] && [ "$(j offset verdict)" = FAIL ] &&
	   [ "${bo:-0}" -ge 1 ] && [ "$ret" = 8192 ] && grep -q "DATA-MISMATCH" "$VO/offset.out"; then
		t_pass "O_DIRECT read inside a chunk: returns 8192 wrong bytes; FAIL: backing read not at m_pa + offset"
	else
		t_fail "O_DIRECT read inside a chunk: FAIL on the backing offset" \
			"rc=$(cat "$VO/offset.rc") verdict=$(j offset verdict) bad_offsets=$bo returned=$ret; $(cat "$VO/offset.out")"
	fi
}

# --- a buffered read on rfc still double-caches ----------------------------
check_buffered() {
	e=$(j buffered summary.double_caching.erofs_pc_bytes)
	size=$(stat -c %s "$R/build/tests/tracer-vm/src1/big")
	want=$(( (size + 4095) / 4096 * 4096 ))
	if [ "$e" = "$want" ] && [ "$(j buffered summary.direct)" = 0 ]; then
		t_pass "buffered cat on rfc: EROFS page cache +$e B (the whole file)"
	else
		t_fail "buffered cat on rfc: EROFS page cache holds the whole file" "erofs_pc_bytes=$e want $want"
	fi
}

# --- kprobe/kretprobe fallback (--avoid fentry) gives the same findings ------
check_kprobe() {
	bad=
	for r in "REQ: kprobe erofs_file_read_iter" "DIO: kprobe erofs_fileio_direct_io" \
		 "EXTENT: kprobe erofs_map_blocks" "BACKING_SUBMIT: kprobe vfs_iocb_iter_read" \
		 "BACKING_DONE: kprobe erofs_fileio_ki_complete"; do
		grep -qx "  $r" "$VO/kprobe.err" || bad="$bad [$r]"
	done
	v0=$(j kprobe reads.0.verdict) v1=$(j kprobe reads.1.verdict) v2=$(j kprobe reads.2.verdict)
	d2=$(j kprobe reads.2.ledger.done) t2=$(j kprobe reads.2.ledger.total)
	if [ -z "$bad" ] && [ "$(cat "$VO/kprobe.rc")" = 1 ] && [ "$v0 $v1 $v2" = "PASS PASS FAIL" ] &&
	   [ "$(j kprobe reads.1.ledger.backing_completed)" = 524288 ] &&
	   [ "$t2" = 2097152 ] && [ "${d2:-0}" -lt "$t2" ]; then
		t_pass "--avoid fentry: kprobes bind every kernel-function role; same PASS/PASS/FAIL (done $d2 < $t2)"
	else
		t_fail "--avoid fentry: kprobes bind every role with the same findings" \
			"missing:$bad verdicts: $v0 $v1 $v2, done=$d2 total=$t2"
	fi
}

# --- the same object on the unpatched flavour ---------------------------------
check_unpatched() {
	UO=$R/build/tests/tracer-vm/out-unpatched
	rm -rf "$UO" && mkdir -p "$UO"
	timeout -s KILL 1500 tests/vm/vm-run --flavour unpatched --timeout 1200 --out "$UO" -- \
		'sh tests/tracer-vm/workload.sh unpatched' > "$R/build/tests/tracer-vm/vm-unpatched.log" 2>&1
	rc=$?
	if [ $rc -ne 0 ] || [ ! -s "$UO/unpatched.json" ]; then
		t_fail "unpatched guest: O_DIRECT refused, DIO unbound by name" "$(t_vmwhy $rc build/tests/tracer-vm/vm-unpatched.log)"
		return
	fi
	if grep -qx "  REQ: fentry erofs_file_read_iter" "$UO/unpatched.err" &&
	   grep -q "^  DIO: unbound (fentry: not in kernel BTF" "$UO/unpatched.err" &&
	   grep -qi "no direct I/O for file-backed EROFS.*EINVAL" "$UO/unpatched.rep" &&
	   [ "$(cat "$UO/unpatched.rc")" = 1 ] && [ "$("$J" "$UO/unpatched.json" verdict)" = FAIL ]; then
		t_pass "unpatched guest: same object loads; DIO unbound (not in BTF); O_DIRECT EINVAL is a FAIL with --expect-dio"
	else
		t_fail "unpatched guest: O_DIRECT refused, DIO unbound by name" "see $UO/unpatched.err, .rep"
	fi
}

# --- directio over ext4: async backing completion after the read returned ---
check_async() {
	AO=$R/build/tests/tracer-vm/out-async
	rm -rf "$AO" && mkdir -p "$AO"
	timeout -s KILL 1500 tests/vm/vm-run --flavour "$FLAVOUR" --timeout 1200 --out "$AO" -- \
		'sh tests/tracer-vm/workload.sh async' > "$R/build/tests/tracer-vm/vm-async.log" 2>&1
	rc=$?
	if [ $rc -ne 0 ] || [ ! -s "$AO/async.json" ]; then
		t_fail "directio mount: late async completions reported" "$(t_vmwhy $rc build/tests/tracer-vm/vm-async.log)"
		return
	fi
	# the 512 KiB read: reads are listed as they close, which timing orders
	r=1
	[ "$("$J" "$AO/async.json" reads.0.len)" = 524288 ] && r=0
	late=$("$J" "$AO/async.json" reads.$r.ledger.late_completions)
	if [ "$(cat "$AO/async.rc")" = 1 ] && [ "$("$J" "$AO/async.json" verdict)" = FAIL ] &&
	   [ "${late:-0}" -ge 1 ] && [ "$("$J" "$AO/async.json" reads.$r.backing_reads.0.queued)" = true ] &&
	   grep -q "after the read returned" "$AO/async.rep"; then
		t_pass "directio mount: backing read queued (-EIOCBQUEUED), completed after the read returned: FAIL"
	else
		t_fail "directio mount: late async completions reported" "late=$late; see $AO/async.rep"
	fi
}

# --- the same object on the fixed flavour: every read PASSes -------------------
check_fixed() {
	FO=$R/build/tests/tracer-vm/out-fixed
	rm -rf "$FO" && mkdir -p "$FO"
	timeout -s KILL 1500 tests/vm/vm-run --flavour fixed --timeout 1200 --out "$FO" -- \
		'sh tests/tracer-vm/workload.sh fixed' > "$R/build/tests/tracer-vm/vm-fixed.log" 2>&1
	rc=$?
	if [ $rc -ne 0 ] || [ ! -s "$FO/fixed.json" ]; then
		t_fail "fixed guest: every O_DIRECT read PASSes, the 2 MiB preadv too" "$(t_vmwhy $rc build/tests/tracer-vm/vm-fixed.log)"
		return
	fi
	n=$("$J" "$FO/fixed.json" reads.#)
	if [ "$(cat "$FO/fixed.rc")" = 0 ] && [ "$n" = 8 ] && [ "$("$J" "$FO/fixed.json" summary.pass)" = 8 ] &&
	   [ "$("$J" "$FO/fixed.json" reads.7.ledger.backing_completed)" = 2097152 ] &&
	   grep -qx "  DIO: fentry erofs_fileio_direct_io" "$FO/fixed.err" &&
	   grep -q "^  DIO io.total: unbound (fexit: not in kernel BTF)" "$FO/fixed.err"; then
		t_pass "fixed guest: same object; 8 O_DIRECT reads PASS incl. the 2 MiB preadv (RFC-only hooks unbound by name)"
	else
		t_fail "fixed guest: every O_DIRECT read PASSes" "rc=$(cat "$FO/fixed.rc") reads=$n; see $FO/fixed.rep"
	fi
}

check_table
check_reads_pass pass 7
check_reads_pass chunk 2
check_extents
check_fail
check_buffered
check_offset
check_kprobe
check_async
check_unpatched
check_fixed
t_done
