#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Run the audit's cmocka unit tests (the binary given, or the build/ one) and
# record one PASS/FAIL line a test case.
SUITE=audit-unit
. "$(dirname "$0")/../lib.sh"

BIN=${1:-$DT_ROOT/build/tests/audit-count-test}
out=$(CMOCKA_MESSAGE_OUTPUT=TAP "$BIN" 2>&1)
rc=$?
plan=$(echo "$out" | sed -n 's/^1\.\.\([0-9]*\)$/\1/p')
seen=0
while read -r status rest; do
	case "$status" in
	ok) t_pass "${rest#* - }"; seen=$((seen + 1)) ;;
	not) t_fail "${rest#ok * - }" "$(echo "$out" | grep -A3 "${rest#ok * - }" | grep -v '^ok' | head -3 | tr '\n' ' ')"; seen=$((seen + 1)) ;;
	esac
done <<< "$(echo "$out" | grep -E '^(not )?ok [0-9]+ - ')"
# a crash or an early exit leaves cases unreported: that is a failure too
if [ -z "$plan" ] || [ "$seen" != "$plan" ]; then
	t_fail "cmocka run completed" "rc=$rc, $seen of ${plan:-?} cases reported"
elif [ $rc -ne 0 ] && [ $t_failed = 0 ]; then
	t_fail "cmocka run completed" "rc=$rc"
fi
t_done
