# SPDX-License-Identifier: GPL-2.0-only
# user/common/: what every stage shares (numbers in and out, errno names,
# mountinfo, output files).  escape.c and errname.c are linked with the engine
# (engine.mk).
COMMON_SRCS := $(addprefix user/common/,mountinfo.c num.c outfile.c)
TOOL_SRCS += $(COMMON_SRCS)

# their cmocka tests join test-unit (wired in the top Makefile, after engine.mk)
COMMON_UNIT_TESTS := $(O)/tests/unit/common_test

$(O)/tests/unit/common_test: tests/unit/common_test.c $(COMMON_SRCS) $(wildcard user/common/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(COMMON_SRCS) user/common/errname.c -lcmocka -lm
