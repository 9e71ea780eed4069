# SPDX-License-Identifier: GPL-2.0-only
# The host tracer suite again, inside the fixed guest (fentry works there).
# the host suite's own helpers (built by mk/tracer.mk's rules)
test-tracer-guest: all helpers $(O)/tests/dt-jget $(O)/tests/dt-odopen $(O)/tests/dt-forkread
	sh tests/tracer-guest/run.sh

TEST_SUITES	+= test-tracer-guest
.PHONY: test-tracer-guest
