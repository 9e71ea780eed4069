# SPDX-License-Identifier: GPL-2.0-only
# test-tracer-async: the tracer on async (libaio, io_uring) direct reads in
# the `fixed` guest.
test-tracer-async: all helpers $(O)/tests/dt-jget
	tests/tracer-async/run.sh

TEST_SUITES	+= test-tracer-async
.PHONY: test-tracer-async
