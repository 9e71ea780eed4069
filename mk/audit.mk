# SPDX-License-Identifier: GPL-2.0-only
# erofs-diotrace audit: page-cache footprint of file-backed EROFS mounts
AUDIT_SRCS := user/audit_mounts.c user/audit_backing.c user/audit_map.c \
	      user/audit_resid.c user/audit_scan.c user/audit_count.c \
	      user/audit_out.c user/audit_util.c
TOOL_SRCS += user/audit.c $(AUDIT_SRCS)

AUDIT_JSONCHECK := $(O)/tests/audit-jsoncheck
AUDIT_UNIT := $(O)/tests/audit-count-test

$(AUDIT_JSONCHECK): tests/audit/jsoncheck.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< -ljson-c

$(AUDIT_UNIT): tests/audit/count_test.c $(AUDIT_SRCS) user/audit.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(AUDIT_SRCS) -lcmocka -ljson-c -lm

# unit tests first (no root needed), then the host suite (root, mounts)
test-audit: all helpers $(AUDIT_JSONCHECK) $(AUDIT_UNIT)
	@rc=0; bash tests/audit/unit.sh || rc=1; bash tests/audit/run.sh || rc=1; exit $$rc

TEST_SUITES += test-audit
.PHONY: test-audit
