#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Acceptance tests for the guest kernels and tests/vm/vm-run (suite test-vm).
# Needs: make vm-helpers (odirect, fentry_probe, fbmount), mkfs.erofs, qemu.
# Builds the unpatched and rfc kernels and rfc's debug variant if they are not
# cached (~5 min each; the debug one needs unpatched-debug, ~15 min cold).
SUITE=test-vm
. "$(dirname "$0")/../lib.sh"
cd "$DT_ROOT" || exit 1
unset DT_DEBUG	# plain kernels unless a check says --debug

vmrun=tests/vm/vm-run
work=$DT_ROOT/build/vm-test
log=$DT_ROOT/build/results/test-vm.log
: > "$log"

for t in mkfs.erofs qemu-system-x86_64; do
	command -v $t >/dev/null || { t_skip "all" "$t not installed (apt-get install erofs-utils qemu-system-x86)"; t_done; }
done
for b in build/tests/fbmount build/tests/vm/odirect build/tests/vm/fentry_probe build/tests/vm/pollhold; do
	[ -x "$b" ] || { t_fail "helpers" "$b missing: run make vm-helpers"; t_done; }
done

# --- test image: a 3 MiB + 100 B file (last block partial) and a small one ---
rm -rf "$work"
mkdir -p "$work/src"
head -c $((3 * 1024 * 1024 + 100)) /dev/urandom > "$work/src/data"
head -c 200000 /dev/urandom > "$work/src/data2"
if ! mkfs.erofs --quiet "$work/plain.erofs" "$work/src" >> "$log" 2>&1; then
	t_fail "image" "mkfs.erofs failed, see $log"
	t_done
fi

# vmrun_capture NAME ARGS...: run vm-run, keep its output in $work/NAME.txt
vmrun_capture() {
	local name=$1
	shift
	echo "=== $name: $vmrun $*" >> "$log"
	"$vmrun" "$@" > "$work/$name.txt" 2>&1
	local rc=$?
	cat "$work/$name.txt" >> "$log"
	echo "=== $name: exit $rc" >> "$log"
	return $rc
}

# results the guest wrote to $OUT/checks.txt become suite lines
import_checks() {	# import_checks NAME OUTDIR RC
	if [ "$3" != 0 ]; then
		t_fail "$1: guest run" "vm-run exit $3: $(tail -n 5 "$work/$1.txt" | tr '\n' ' ')"
	fi
	t_import "$2/checks.txt"
}

for fl in unpatched rfc; do
	o=$work/out-$fl
	vmrun_capture "checks-$fl" --flavour $fl --timeout 300 --out "$o" -- \
		tests/vm/guest-checks.sh $fl "$work/plain.erofs" "$work/src"
	import_checks "checks-$fl" "$o" $?
done

# defect 6: a 4 KiB O_DIRECT read of the last, partial block oopses in
# iov_iter_revert; vm-run must fail (120) and show the oops
vmrun_capture oops --flavour rfc --timeout 300 -- \
	"m=\$SCRATCH/m; mkdir \$m; cp $work/plain.erofs \$SCRATCH/i && build/tests/fbmount \$SCRATCH/i \$m &&
	 build/tests/vm/odirect \$m/data $((3 * 1024 * 1024)) 4096; echo odirect-returned"
rc=$?
name="rfc: O_DIRECT read of the last partial block oopses in iov_iter_revert and vm-run fails with it"
if [ $rc = 120 ] && grep -q 'iov_iter_revert' "$work/oops.txt" &&
   ! grep -q odirect-returned "$work/oops.txt"; then
	t_pass "$name"
else
	t_fail "$name" "vm-run exit $rc, see $work/oops.txt"
fi

# a crashed guest kernel fails the run and shows why
vmrun_capture sysrq --flavour unpatched --timeout 120 -- 'echo c > /proc/sysrq-trigger; echo survived'
rc=$?
name="vm-run: 'echo c > /proc/sysrq-trigger' fails the run with the oops shown"
if [ $rc = 120 ] && grep -q 'sysrq triggered crash' "$work/sysrq.txt" &&
   ! grep -q survived "$work/sysrq.txt"; then
	t_pass "$name"
else
	t_fail "$name" "vm-run exit $rc, see $work/sysrq.txt"
fi

# the console scan: a kernel WARNING or hung-task report fails a run whose
# command succeeded (lines injected through /dev/kmsg at KERN_WARNING/ERR)
for msg in 'WARNING: CPU: 0 PID: 1 at fs/erofs/fileio.c:1 injected+0x0/0x0' \
	   'INFO: task injected:1 blocked for more than 120 seconds.'; do
	vmrun_capture scan --flavour unpatched --timeout 120 -- "echo '<4>$msg' > /dev/kmsg; echo cmd-ok"
	rc=$?
	name="vm-run: console line '${msg%% *} ...' fails a run whose command exited 0"
	if [ $rc = 120 ] && grep -q 'cmd-ok' "$work/scan.txt" && grep -qF "${msg%%:*}" "$work/scan.txt"; then
		t_pass "$name"
	else
		t_fail "$name" "vm-run exit $rc, see $work/scan.txt"
	fi
done

# the command's status comes back, and so do its output and $OUT
vmrun_capture exit3 --flavour unpatched --timeout 120 --out "$work/out-exit3" -- \
	'echo to-stdout; echo to-stderr >&2; echo kept > $OUT/file; exit 3'
rc=$?
name="vm-run: a command that exits 3 makes the run exit 3, output and \$OUT come back"
if [ $rc = 3 ] && grep -q to-stdout "$work/exit3.txt" && grep -q to-stderr "$work/exit3.txt" &&
   [ "$(cat "$work/out-exit3/file" 2>/dev/null)" = kept ]; then
	t_pass "$name"
else
	t_fail "$name" "vm-run exit $rc, see $work/exit3.txt"
fi

# a guest that does not finish is killed at --timeout
vmrun_capture timeout --flavour unpatched --timeout 25 -- 'sleep 600'
rc=$?
name="vm-run: a guest that does not finish within --timeout fails with 124"
if [ $rc = 124 ] && grep -q 'did not finish' "$work/timeout.txt"; then
	t_pass "$name"
else
	t_fail "$name" "vm-run exit $rc, see $work/timeout.txt"
fi

# --- the config check: every fragment line must land, or no build ---------
# (after the VM runs: they unpack the source on a fresh machine)
name="kernel config: the real fragments land; a line whose dependency is off fails the build"
mkdir -p "$work/badcfg"
cp kernel/config/*.config "$work/badcfg/"
echo "CONFIG_EROFS_FS_SECURITY=y" >> "$work/badcfg/base.config"	# needs EROFS_FS_XATTR, which is off
if ! kernel/build.sh --config-only unpatched > "$work/cfg-good.txt" 2>&1; then
	t_fail "$name" "the committed fragments fail the check: $(tail -n 3 "$work/cfg-good.txt" | tr '\n' ' ')"
elif kernel/build.sh --config-only --config-dir "$work/badcfg" unpatched > "$work/cfg-bad.txt" 2>&1; then
	t_fail "$name" "a fragment line that cannot land passed the check"
elif ! grep -q 'want: CONFIG_EROFS_FS_SECURITY=y' "$work/cfg-bad.txt"; then
	t_fail "$name" "the failure does not name the line: $(tr '\n' ' ' < "$work/cfg-bad.txt")"
else
	t_pass "$name"
fi

# --- the verdict scans on recorded reports (no guest) ------------------------
rep=tests/vm/reports
for c in "kasan-uaf.log:BUG: KASAN: slab-use-after-free" \
	 "lockdep-circular.log:WARNING: possible circular locking dependency" \
	 "lockdep-nonstatic.log:INFO: trying to register non-static key" \
	 "lockdep-wait-context.log:[ BUG: Invalid wait context ]"; do
	f=${c%%:*} want=${c#*:}
	name="vm-run: a console with a $f report fails (120) naming '$want'"
	"$vmrun" --scan-console "$rep/$f" > "$work/scan-$f.txt" 2>&1
	rc=$?
	if [ $rc = 120 ] && grep 'FAIL: guest kernel reported a problem: ' "$work/scan-$f.txt" | grep -qF "$want"; then
		t_pass "$name"
	else
		t_fail "$name" "exit $rc: $(head -n 2 "$work/scan-$f.txt" | tr '\n' ' ')"
	fi
done
name="vm-run: the console of a clean debug boot (lockdep, KASAN, kmemleak banners) passes"
"$vmrun" --scan-console "$rep/clean-debug.log" > "$work/scan-clean.txt" 2>&1
rc=$?
if [ $rc = 0 ]; then
	t_pass "$name"
else
	t_fail "$name" "exit $rc: $(head -n 2 "$work/scan-clean.txt" | tr '\n' ' ')"
fi
name="vm-run: a kmemleak listing fails (120) with the leak's backtrace; an empty one passes"
"$vmrun" --scan-kmemleak "$rep/kmemleak-pollhold.txt" > "$work/scan-leak.txt" 2>&1
rc=$?
: > "$work/kmemleak-empty.txt"
"$vmrun" --scan-kmemleak "$work/kmemleak-empty.txt" > "$work/scan-noleak.txt" 2>&1
rc2=$?
if [ $rc = 120 ] && [ $rc2 = 0 ] && grep -q 'kmemleak reports 1 unreferenced object' "$work/scan-leak.txt" &&
   grep -q 'do_sys_poll' "$work/scan-leak.txt" && ! grep -q 'hex dump' "$work/scan-leak.txt"; then
	t_pass "$name"
else
	t_fail "$name" "exit $rc and $rc2, see $work/scan-leak.txt"
fi

# --- the debug variant (KASAN, lockdep, DEBUG_VM, kmemleak): always run -----
# (derived from unpatched-debug: a few minutes when that is cached, the whole
# debug kernel otherwise; make test needs it for the DEBUG=1 suites anyway).
# Build the base first, so rfc-debug here and fixed-debug later derive from
# it instead of each building cold.
kernel/build.sh --quiet --debug unpatched >> "$log" 2>&1 ||
	t_fail "debug variant: unpatched-debug kernel" "kernel/build.sh --debug unpatched failed, see $log"
# (and it is the rfc flavour: a debug build derived from unpatched-debug
# must carry the RFC's erofs_fileio_direct_io, not the base's objects)
name="debug variant: KASAN, lockdep, DEBUG_VM and kmemleak are live in the rfc build; the forced kmemleak scan finds nothing"
vmrun_capture debug --flavour rfc --debug --timeout 600 -- \
	'dmesg | grep -q "KernelAddressSanitizer initialized" && test -e /proc/lockdep &&
	 grep -qw dump_mm /proc/kallsyms && test -e /sys/kernel/debug/kmemleak && echo debug-live;
	 grep -qw erofs_fileio_direct_io /proc/kallsyms && echo rfc-patched'
rc=$?
if [ $rc = 0 ] && grep -q debug-live "$work/debug.txt" && grep -q rfc-patched "$work/debug.txt" &&
   [ -f build/vm/run-rfc-debug/kmemleak.txt ]; then
	t_pass "$name"
else
	t_fail "$name" "vm-run exit $rc, see $work/debug.txt"
fi

# a real kmemleak report: with the task-stack scan off, the pollfd block
# poll(2) keeps referenced only from its kernel stack is unreferenced
# (tests/vm/pollhold); the run must fail although the command exited 0
name="debug variant: a kmemleak report after the command fails the run (120) and shows the leak's backtrace"
vmrun_capture leak --flavour rfc --debug --timeout 600 -- \
	'echo stack=off > /sys/kernel/debug/kmemleak && { build/tests/vm/pollhold 64 600 & } && sleep 1 && echo cmd-ok'
rc=$?
if [ $rc = 120 ] && grep -q cmd-ok "$work/leak.txt" && grep -q 'FAIL: kmemleak reports' "$work/leak.txt" &&
   grep -q 'comm "pollhold"' build/vm/run-rfc-debug/kmemleak.txt &&
   grep -q 'do_sys_poll' build/vm/run-rfc-debug/kmemleak.txt; then
	t_pass "$name"
else
	t_fail "$name" "vm-run exit $rc, see $work/leak.txt"
fi

# kmemleak switched off (as it does itself on an internal error): the scan
# cannot run, and a debug run must not pass for want of a report
name="debug variant: a kmemleak that is off at the end fails the run (120)"
vmrun_capture leakoff --flavour rfc --debug --timeout 600 -- \
	'echo off > /sys/kernel/debug/kmemleak && echo cmd-ok'
rc=$?
if [ $rc = 120 ] && grep -q cmd-ok "$work/leakoff.txt" &&
   grep -q 'kmemleak scan after the command did not run' "$work/leakoff.txt"; then
	t_pass "$name"
else
	t_fail "$name" "vm-run exit $rc, see $work/leakoff.txt"
fi

t_done
