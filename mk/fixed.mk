# SPDX-License-Identifier: GPL-2.0-only
# The corrected direct-I/O series (kernel/patches/fixed) and its guest suite.
$(O)/tests/fixed/diocheck: tests/fixed/diocheck.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $<

test-fixed: all helpers $(O)/tests/fixed/diocheck
	tests/fixed/run.sh

TEST_SUITES	+= test-fixed
.PHONY: test-fixed
