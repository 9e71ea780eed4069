# SPDX-License-Identifier: GPL-2.0-only
# Shared helpers for shell test suites.  Source it; set SUITE first.
# Every check ends in exactly one of t_pass / t_fail / t_skip, which print a
# line and append it to $DT_RESULTS (build/results/<suite>.txt).
: "${SUITE:?set SUITE before sourcing tests/lib.sh}"
DT_ROOT=${DT_ROOT:-$(cd "$(dirname "$0")/../.." 2>/dev/null && pwd)}
DT_RESULTS=${DT_RESULTS:-$DT_ROOT/build/results/$SUITE.txt}
mkdir -p "$(dirname "$DT_RESULTS")"
t_failed=0

t_pass() { echo "PASS $SUITE: $1"; echo "PASS $SUITE: $1" >> "$DT_RESULTS"; }
t_fail() { echo "FAIL $SUITE: $1${2:+ -- $2}"; echo "FAIL $SUITE: $1${2:+ -- $2}" >> "$DT_RESULTS"; t_failed=1; }
# a skip must say why; it never counts as a pass
t_skip() { echo "SKIP $SUITE: $1 -- ${2:?t_skip needs a reason}"; echo "SKIP $SUITE: $1 -- $2" >> "$DT_RESULTS"; }
t_done() { exit $t_failed; }
