# SPDX-License-Identifier: GPL-2.0-only
# make bench [FLAVOUR=fixed] [BENCH_MIB=64]: buffered vs O_DIRECT fio read of one
# EROFS file in the guest, with both page caches measured by `audit`.
# A benchmark, not a test: it prints ratios from one run.
BENCH_MIB	?= 64
BENCH_W		:= $(O)/bench

# the image both benches read: one file of BENCH_MIB random bytes
bench-image:
	@mkdir -p $(BENCH_W)/src
	@head -c $$(($(BENCH_MIB) * 1048576)) /dev/urandom > $(BENCH_W)/src/data
	@rm -f $(BENCH_W)/bench.erofs && mkfs.erofs --quiet $(BENCH_W)/bench.erofs $(BENCH_W)/src

bench: all helpers bench-image
	tests/vm/vm-run --flavour $(if $(filter command line,$(origin FLAVOUR)),$(FLAVOUR),fixed) \
		--mem 2G --timeout 900 --out $(BENCH_W)/out -- \
		'tests/bench/guest.sh $(BENCH_W) $(BENCH_MIB)'

# make bench-rand [BENCH_MIB=64] [BENCH_RUNTIME=5] [BENCH_FLAVOURS="rfc fixed"]:
# fio 4 KiB random reads, buffered and direct, psync / io_uring / libaio at
# QD 1 and 16, with and without `directio`, on a RAM loop and on a 1 ms
# null_blk; one guest boot per flavour, one table (tests/bench/rand.sh).
BENCH_RUNTIME	?= 5
BENCH_FLAVOURS	?= rfc fixed

bench-rand: all helpers bench-image
	tests/bench/rand.sh $(BENCH_W) $(BENCH_MIB) $(BENCH_RUNTIME) $(BENCH_FLAVOURS)

.PHONY: bench bench-image bench-rand

# make bench-engine [BENCH_N="10000 100000"] [BENCH_F="64 250000"]
#   [BENCH_TIMEOUT=300] [BENCH_MEM_MIB=4096] [BENCH_CG_N="10000 100000"]:
# `replay` of synthetic text streams (generated into a pipe) and the engine
# alone (bench-drive), events/s, instructions/event and peak RSS, one table.
# make bench-live (root): traced vs untraced read(2), the syscall cost of
# untraced processes, `run -- true`, and what the tracer consumes/loses.
BENCH_TOOLS	:= $(addprefix $(O)/tests/bench/,bench-gen bench-drive bench-runlim bench-reader)
BENCH_GEN_SRCS	:= tests/bench/gen.c tests/bench/opts.c
BENCH_HDRS	:= tests/bench/gen.h tests/bench/opts.h include/diotrace.h

$(O)/tests/bench/bench-gen: tests/bench/gen_text.c $(BENCH_GEN_SRCS) $(BENCH_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BENCH_GEN_SRCS)

# the engine objects are only known once mk/engine.mk (read after this file)
# has filled ENGINE_SRCS: expand them when the rule runs
BENCH_ENGINE_OBJS = $(ENGINE_SRCS:%.c=$(O)/%.o)
.SECONDEXPANSION:
$(O)/tests/bench/bench-drive: tests/bench/drive.c $(BENCH_GEN_SRCS) $(BENCH_HDRS) $$(BENCH_ENGINE_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BENCH_GEN_SRCS) $(BENCH_ENGINE_OBJS) $(LDFLAGS) $(LDLIBS)

$(O)/tests/bench/bench-%: tests/bench/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $<

bench-tools: $(BENCH_TOOLS)

bench-engine: all $(BENCH_TOOLS) $(O)/tests/unit/jsonq
	BENCH_N='$(BENCH_N)' BENCH_F='$(BENCH_F)' BENCH_TIMEOUT='$(BENCH_TIMEOUT)' \
	BENCH_MEM_MIB='$(BENCH_MEM_MIB)' BENCH_CG_N='$(BENCH_CG_N)' sh tests/bench/engine.sh

bench-live: all helpers $(BENCH_TOOLS) $(O)/tests/unit/jsonq
	BENCH_READS='$(BENCH_READS)' sh tests/bench/live.sh

.PHONY: bench-tools bench-engine bench-live
