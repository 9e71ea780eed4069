#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# test-tracer-guest: the host tracer suite (tests/tracer-host) run inside
# the `fixed` guest, where fentry/fexit and the direct-I/O path exist.  The
# suite derives what to expect from the probe table `run --probes` prints, so it
# must pass on such a kernel as it does on a tracepoint-only host.
SUITE=tracer-guest
# DEBUG=1: the --debug kernel (KASAN, lockdep, kmemleak; vm-run follows
# DT_DEBUG), results as suite tracer-guest-debug
[ "${DEBUG:-0}" = 1 ] && SUITE=tracer-guest-debug && export DT_DEBUG=1
. "$(dirname "$0")/../lib.sh"

R=$DT_ROOT
VO=$R/build/tests/$SUITE/out
FLAVOUR=${DT_GUEST_FLAVOUR:-fixed}

if [ ! -x "$R/tests/vm/vm-run" ] || ! command -v qemu-system-x86_64 >/dev/null; then
	t_skip "all" "tests/vm/vm-run or qemu-system-x86_64 is not available here"
	t_done
fi
rm -rf "$VO" && mkdir -p "$VO"
cd "$R" || exit 1
timeout -s KILL 2100 tests/vm/vm-run --flavour "$FLAVOUR" --mem 2G --timeout 1800 --out "$VO" -- \
	'sh tests/tracer-guest/guest.sh' > "$R/build/tests/$SUITE/vm.log" 2>&1
rc=$?
case $rc in
0) t_pass "$FLAVOUR guest ran the host suite; console clean" ;;
120) t_fail "$FLAVOUR guest ran the host suite; console clean" \
	"$(t_vmwhy $rc "build/tests/$SUITE/vm.log")" ;;
124) t_fail "$FLAVOUR guest ran the host suite" "$(t_vmwhy $rc "build/tests/$SUITE/vm.log")" ;;
*) t_fail "$FLAVOUR guest ran the host suite" \
	"exit $rc; see $VO/host-suite.log and build/tests/$SUITE/vm.log" ;;
esac
t_import "$VO/host-suite.txt"
t_done
