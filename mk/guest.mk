# SPDX-License-Identifier: GPL-2.0-only
# The host tracer suite again, inside the fixed guest (fentry works there).
test-tracer-guest: all helpers $(O)/tests/dt-jget
	sh tests/tracer-guest/run.sh

TEST_SUITES	+= test-tracer-guest
.PHONY: test-tracer-guest
