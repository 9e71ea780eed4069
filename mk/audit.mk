# SPDX-License-Identifier: GPL-2.0-only
# erofs-diotrace audit: page-cache footprint of file-backed EROFS mounts
AUDIT_SRCS := $(addprefix user/audit/,audit_mounts.c audit_backing.c audit_peek.c audit_map.c \
	      audit_resid.c audit_scan.c audit_count.c audit_out.c audit_util.c \
	      audit_prom.c audit_atomic.c audit_plot.c)
TOOL_SRCS += user/audit/audit.c $(AUDIT_SRCS)
# what the audit takes from user/common/ (the tool links all of it anyway)
AUDIT_COMMON := $(addprefix user/common/,num.c mountinfo.c escape.c)

AUDIT_JSONCHECK := $(O)/tests/audit-jsoncheck
AUDIT_UNIT := $(O)/tests/audit-count-test

$(AUDIT_JSONCHECK): tests/audit/jsoncheck.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< -ljson-c

$(AUDIT_UNIT): tests/audit/count_test.c $(AUDIT_SRCS) $(AUDIT_COMMON) user/audit/audit.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(AUDIT_SRCS) $(AUDIT_COMMON) -lcmocka -ljson-c -lm

# unit tests first (no root needed), then the host suite (root, mounts)
test-audit: all helpers $(AUDIT_JSONCHECK) $(AUDIT_UNIT)
	@rc=0; bash tests/audit/unit.sh || rc=1; bash tests/audit/run.sh || rc=1; \
		bash tests/audit/export.sh || rc=1; exit $$rc

TEST_SUITES += test-audit
.PHONY: test-audit

# make bench-audit [BENCH_AUDIT_FILES=10000]: audit vs fincore, warm and cold
BENCH_AUDIT_FILES ?= 10000
bench-audit: all helpers
	bash tests/audit/bench.sh $(BENCH_AUDIT_FILES)

.PHONY: bench-audit
