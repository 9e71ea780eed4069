# SPDX-License-Identifier: GPL-2.0-only
# Shared helpers for shell test suites.  Source it; set SUITE first.
# Every check ends in exactly one of t_pass / t_fail / t_skip, which print a
# line and append it to $DT_RESULTS (build/results/<suite>.txt).
: "${SUITE:?set SUITE before sourcing tests/lib.sh}"
DT_ROOT=${DT_ROOT:-$(cd "$(dirname "$0")/../.." 2>/dev/null && pwd)}
DT_RESULTS=${DT_RESULTS:-$DT_ROOT/build/results/$SUITE.txt}
mkdir -p "$(dirname "$DT_RESULTS")"
: > "$DT_RESULTS"	# a suite's results are those of its latest run
t_failed=0

t_pass() { echo "PASS $SUITE: $1"; echo "PASS $SUITE: $1" >> "$DT_RESULTS"; }
t_fail() { echo "FAIL $SUITE: $1${2:+ -- $2}"; echo "FAIL $SUITE: $1${2:+ -- $2}" >> "$DT_RESULTS"; t_failed=1; }
# a skip must say why; it never counts as a pass
t_skip() { echo "SKIP $SUITE: $1 -- ${2:?t_skip needs a reason}"; echo "SKIP $SUITE: $1 -- $2" >> "$DT_RESULTS"; }
t_done() { exit $t_failed; }

# t_import FILE: turn "PASS name" / "FAIL name -- why" / "SKIP name -- why" lines a guest wrote
# into suite results; an absent or empty file is itself a failure
t_import() {
	local line n=0
	[ -s "$1" ] || { t_fail "guest checks" "no results in $1"; return; }
	while IFS= read -r line; do
		case $line in
		"PASS "*) t_pass "${line#PASS }"; n=$((n + 1)) ;;
		"FAIL "*) line=${line#FAIL }; t_fail "${line%% -- *}" "${line#* -- }"; n=$((n + 1)) ;;
		"SKIP "*) line=${line#SKIP }; t_skip "${line%% -- *}" "${line#* -- }" ;;
		esac
	done < "$1"
	[ $n -gt 0 ] || t_fail "guest checks" "no PASS/FAIL line in $1"
}

# t_vmwhy RC LOG: why a tests/vm/vm-run boot failed, on one line: its exit
# status, vm-run's own FAIL line (the first offending console line, the leak,
# the timeout) and when; the log stays for the rest (CI shows only this line)
t_vmwhy() {
	local why when
	why=$(grep -a -m 1 '^vm-run: FAIL: ' "$2" 2>/dev/null | cut -c 15-300)
	when=$(grep -a -m 1 -o 'kernel problem after .*(command: [^)]*)' "$2" 2>/dev/null)
	[ -n "$why" ] || why=$(tail -n 2 "$2" 2>/dev/null | tr '\n' ' ' | cut -c 1-300)
	echo "vm-run exit $1: $why${when:+ [$when]}; see $2"
}

# t_guest RC WHAT LOG: the verdict on one tests/vm/vm-run boot (its exit status)
t_guest() {
	case $1 in
	0) t_pass "$2; console clean" ;;
	120) t_fail "$2; console clean" "$(t_vmwhy "$1" "$3")" ;;
	*) t_fail "$2" "$(t_vmwhy "$1" "$3")" ;;
	esac
}
