# SPDX-License-Identifier: GPL-2.0-only
# Host load tests (root): `run --assert` on a 40,000-file find|cat and four
# parallel dd readers, at the default ring and at 4K: never a FAIL, and a
# loss the ring could not avoid is named (tests/load/run.sh).
TEST_SUITES	+= test-load

test-load: all helpers $(O)/tests/unit/jsonq
	sh tests/load/run.sh

.PHONY: test-load
