# SPDX-License-Identifier: GPL-2.0-only
# The correlation engine (plain C, no libbpf), the report, recorded streams,
# `erofs-diotrace replay`, and their tests.
DT_ENGINE_CORE := user/common/escape.c user/common/errname.c \
		  $(addprefix user/engine/,engine.c hash.c ledger.c verdict.c evidence.c access.c names.c evtext.c) \
		  $(addprefix user/engine/,record.c record_text.c record_write.c) \
		  $(addprefix user/report/,report.c report_json.c stream.c)
ENGINE_SRCS += $(DT_ENGINE_CORE)
TOOL_SRCS += user/replay.c

# The unit tests link the engine alone, built apart from the tool's objects
# so they never wait for BPF skeletons: that the engine links without libbpf
# is part of what they prove.
UNIT_OBJS := $(DT_ENGINE_CORE:%.c=$(O)/unit/%.o)
UNIT_TESTS := $(O)/tests/unit/engine_test $(O)/tests/unit/loss_test $(O)/tests/unit/hash_test \
	      $(O)/tests/unit/report_test $(O)/tests/unit/evtext_test $(O)/tests/unit/escape_test \
	      $(O)/tests/unit/record_test $(O)/tests/unit/async_test

$(O)/unit/%.o: %.c $(wildcard include/*.h user/*.h user/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(O)/tests/unit/%: tests/unit/%.c tests/unit/unit.h $(UNIT_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(UNIT_OBJS) -lcmocka -lyajl -ljson-c -lz -lm

unit-tests: $(UNIT_TESTS)
.SECONDARY: $(UNIT_OBJS)

# one PASS/FAIL line per cmocka test case in $(O)/results/unit.txt
test-unit: $(UNIT_TESTS)
	sh tests/unit/run.sh $(UNIT_TESTS)

# the CLI on the same recorded streams: exit codes, report, JSON
test-replay: all $(O)/tests/unit/jsonq
	sh tests/replay/run.sh

$(O)/tests/unit/jsonq: tests/replay/jsonq.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< -ljson-c

# the record reader alone: events/s of the binary and the text form (a
# benchmark, not a test: nothing is asserted about speed)
bench-record: $(O)/tests/unit/record_bench
	DT_DATA=tests/data $(O)/tests/unit/record_bench

TEST_SUITES += test-unit test-replay
.PHONY: unit-tests test-unit test-replay bench-record

# synthetic feed for the engine's figures (events/s; RSS via /usr/bin/time -v,
# instructions per event via callgrind): not a test
engine-bench: $(O)/tests/unit/engine_bench
.PHONY: engine-bench
