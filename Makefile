# SPDX-License-Identifier: GPL-2.0-only
#
# erofs-diotrace top-level build.  Each area of the project owns one fragment
# under mk/ that appends to the variables below; this file only wires them.
#
#   make            build build/erofs-diotrace
#   make test       every test suite (unit, host, VM; the guest suites also on
#                   the debug kernels), with one summary line
#   make test-fixed DEBUG=1   one guest suite on the debug kernel (= test-fixed-debug)
#   make sanitize   the unit tests under ASan + UBSan (in build-san/)
#   make demo       build + boot the patched (rfc) kernel, trace the default workload
#   make vm-run FLAVOUR=unpatched|rfc [DEBUG=1] CMD='...'

CC	?= gcc
CLANG	?= clang
BPFTOOL	?= bpftool
O	:= build

CFLAGS	?= -O2 -g
override CFLAGS	+= -Wall -Wextra -Wno-unused-parameter -std=gnu11 -D_GNU_SOURCE \
	   -Iinclude -Iuser -Iuser/common -Iuser/engine -Iuser/report -Iuser/trace -Iuser/audit -I$(O)
LDLIBS	+= -lbpf -lelf -lz -lyajl -ljson-c -lm

# engine: plain C, no libbpf (linked into the tool and into unit tests)
ENGINE_SRCS	:=
# everything else that goes into the tool
TOOL_SRCS	:= user/main.c
# generated headers the tool needs before compiling (BPF skeletons)
TOOL_GEN	:=
# test suites, in the order `make test` runs them (phony targets)
TEST_SUITES	:=

all: $(O)/erofs-diotrace

include $(sort $(wildcard mk/*.mk))

# The guest suites that exercise the patches once more on the --debug kernels
# (KASAN, lockdep, DEBUG_VM, kmemleak scan after each boot): `make
# test-fixed-debug` is `make test-fixed DEBUG=1`, results as suite fixed-debug.
# Last in `make test`, after test-vm has checked the debug machinery itself.
DEBUG_SUITES	:= test-fixed test-tracer-vm test-tracer-async
TEST_SUITES	+= $(DEBUG_SUITES:%=%-debug)
$(DEBUG_SUITES:%=%-debug):
	@$(MAKE) --no-print-directory $(@:%-debug=%) DEBUG=1
.PHONY: $(DEBUG_SUITES:%=%-debug)

# user/common/'s tests run with the engine's (UNIT_TESTS is set in engine.mk)
UNIT_TESTS	+= $(COMMON_UNIT_TESTS)
test-unit unit-tests: $(COMMON_UNIT_TESTS)

ENGINE_OBJS	:= $(ENGINE_SRCS:%.c=$(O)/%.o)
TOOL_OBJS	:= $(TOOL_SRCS:%.c=$(O)/%.o)

$(O)/%.o: %.c $(wildcard include/*.h user/*.h user/*/*.h) | $(TOOL_GEN)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(O)/erofs-diotrace: $(TOOL_OBJS) $(ENGINE_OBJS)
	$(CC) $(CFLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS)

# Each suite records PASS/FAIL/SKIP lines in $(O)/results/; the summary is the
# single line CI reads ("N passed, N failed, N skipped") and the exit status.
# Before it, the time figures: per suite, and the guest kernels built during
# the run (tests/figures.sh).
test: all
	@rm -rf $(O)/results; mkdir -p $(O)/results; date +%s > $(O)/results/.t0
	@rc=0; for s in $(TEST_SUITES); do \
		echo "=== suite $$s"; t=$$(date +%s); \
		$(MAKE) --no-print-directory $$s DEBUG=0 || { rc=1; echo "FAIL suite $$s" >> $(O)/results/suites.txt; }; \
		echo "$$s $$(($$(date +%s) - t))" >> $(O)/results/times; \
	done; sh tests/figures.sh $(O)/results; sh tests/summary.sh $(O)/results || rc=1; exit $$rc

# The unit tests (engine, common, the audit's arithmetic) once more under
# AddressSanitizer and UBSan, built apart in $(SAN_O); any report fails.
SAN_O		:= build-san
SAN_CFLAGS	:= -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SAN_ENV		:= ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
		   UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

sanitize:
	$(MAKE) --no-print-directory O=$(SAN_O) CFLAGS='$(SAN_CFLAGS)' sanitize-run

sanitize-run: $(UNIT_TESTS) $(AUDIT_UNIT)
	@mkdir -p $(O)/results
	@rc=0; \
	$(SAN_ENV) DT_RESULTS=$(O)/results/unit.txt sh tests/unit/run.sh $(UNIT_TESTS) || rc=1; \
	$(SAN_ENV) DT_RESULTS=$(O)/results/audit-unit.txt bash tests/audit/unit.sh $(AUDIT_UNIT) || rc=1; \
	exit $$rc

clean:
	rm -rf $(O) $(SAN_O)

.PHONY: all test clean sanitize sanitize-run
