#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Run cmocka test binaries with TAP output; one PASS/FAIL line per test case
# into build/results/unit.txt.  A binary that dies before reporting every
# case it announced is a FAIL of its own.
SUITE=unit
. "$(dirname "$0")/../lib.sh"
: > "$DT_RESULTS"
export DT_DATA="$DT_ROOT/tests/data"
[ $# -gt 0 ] || { t_fail "no test binaries given" "make test-unit builds them"; t_done; }
for bin in "$@"; do
	name=$(basename "$bin")
	out=$(CMOCKA_MESSAGE_OUTPUT=TAP "$bin" 2>&1)
	rc=$?
	plan=$(printf '%s\n' "$out" | sed -n 's/^1\.\.\([0-9]*\)$/\1/p' | head -n1)
	seen=0
	if [ "$rc" -ne 0 ] || printf '%s\n' "$out" | grep -q '^not ok'; then
		printf '%s\n' "$out" | grep -v '^ok ' | sed 's/^/    /'
	fi
	for line in $(printf '%s\n' "$out" | sed -n 's/^\(not ok\|ok\) [0-9]* - \(.*\)$/\1:\2/p' | tr ' ' '_'); do
		seen=$((seen + 1))
		case "$line" in
		ok:*)	t_pass "$name: ${line#ok:}" ;;
		*)	t_fail "$name: ${line#not_ok:}" "see the messages above" ;;
		esac
	done
	if [ -z "$plan" ] || [ "$seen" -ne "$plan" ]; then
		t_fail "$name: ran ${seen} of ${plan:-?} cases" "exit status $rc; run $bin"
	elif [ "$rc" -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^not ok'; then
		t_fail "$name: exit status $rc with every case passing" "run $bin"
	fi
done
t_done
