# SPDX-License-Identifier: GPL-2.0-only
# make bench [FLAVOUR=fixed] [BENCH_MIB=64]: buffered vs O_DIRECT fio read of one
# EROFS file in the guest, with both page caches measured by `audit`.
# A benchmark, not a test: it prints ratios from one run.
BENCH_MIB	?= 64
BENCH_W		:= $(O)/bench

bench: all helpers
	@mkdir -p $(BENCH_W)/src
	@head -c $$(($(BENCH_MIB) * 1048576)) /dev/urandom > $(BENCH_W)/src/data
	@rm -f $(BENCH_W)/bench.erofs && mkfs.erofs --quiet $(BENCH_W)/bench.erofs $(BENCH_W)/src
	tests/vm/vm-run --flavour $(if $(filter command line,$(origin FLAVOUR)),$(FLAVOUR),fixed) \
		--mem 2G --timeout 900 --out $(BENCH_W)/out -- \
		'tests/bench/guest.sh $(BENCH_W) $(BENCH_MIB)'

.PHONY: bench
