# SPDX-License-Identifier: GPL-2.0-only
# erofs-diotrace audit: page-cache footprint of file-backed EROFS mounts
TOOL_SRCS += user/audit.c user/audit_mounts.c user/audit_backing.c \
	     user/audit_map.c user/audit_resid.c user/audit_scan.c \
	     user/audit_count.c user/audit_out.c user/audit_util.c

AUDIT_JSONCHECK := $(O)/tests/audit-jsoncheck

$(AUDIT_JSONCHECK): tests/audit/jsoncheck.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< -ljson-c

test-audit: all helpers $(AUDIT_JSONCHECK)
	@bash tests/audit/run.sh

TEST_SUITES += test-audit
.PHONY: test-audit
