# SPDX-License-Identifier: GPL-2.0-only
# Tracer: CO-RE BPF object + skeleton, the loader (run), its test suites and
# `make demo`.
#
# vmlinux.h: the committed vmlinux/vmlinux.h (generated from the project's
# own 6.12 build) when present, else one dumped from this host's BTF into
# $(O)/bpf/ (never committed).  CO-RE relocates against the running kernel
# either way.

# bpf_tracing.h decodes pt_regs per architecture: the build machine's
# (override with make BPF_ARCH=arm64 when cross-building)
BPF_ARCH	?= $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/i.86/x86/' \
		     -e 's/aarch64.*/arm64/' -e 's/arm.*/arm/' -e 's/riscv64/riscv/' \
		     -e 's/ppc64.*/powerpc/' -e 's/s390x/s390/' -e 's/loongarch64/loongarch/')
BPF_CFLAGS	:= -g -O2 -target bpf -D__TARGET_ARCH_$(BPF_ARCH) -Wall -Wno-unused-parameter \
		   -Wno-unused-function
VMLINUX_H	:= $(firstword $(wildcard vmlinux/vmlinux.h) $(O)/bpf/vmlinux.h)

$(O)/bpf/vmlinux.h:
	@mkdir -p $(dir $@)
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@.tmp
	mv $@.tmp $@

$(O)/bpf/diotrace.bpf.o: bpf/diotrace.bpf.c $(wildcard bpf/*.bpf.h) include/diotrace.h \
			 include/dt_probes.h $(VMLINUX_H)
	@mkdir -p $(dir $@)
	$(CLANG) $(BPF_CFLAGS) -I$(dir $(VMLINUX_H)) -Iinclude -Ibpf -c $< -o $@

$(O)/diotrace.skel.h: $(O)/bpf/diotrace.bpf.o
	$(BPFTOOL) gen skeleton $< name diotrace_bpf > $@.tmp
	mv $@.tmp $@

TOOL_GEN	+= $(O)/diotrace.skel.h
TOOL_SRCS	+= $(addprefix user/trace/,run.c run_mounts.c trace_helpers.c probe_attach.c btf_scan.c open_resolve.c)
# option parsing and the tracee's lifecycle (spawn, process group/cgroup, signals, waiting)
TOOL_SRCS	+= user/trace/cli.c user/trace/tracee.c user/trace/tracee_cg.c user/trace/run_plot.c

$(O)/user/trace/run.o $(O)/user/trace/trace_helpers.o $(O)/user/trace/probe_attach.o: $(O)/diotrace.skel.h user/trace/trace_helpers.h \
							include/dt_probes.h

# workload for the VM suite and the demo: O_DIRECT preads/preadv patterns
$(O)/tests/dioread: tests/tracer-vm/dioread.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -static -o $@ $<

# JSON report queries for the shell suites
$(O)/tests/dt-jget: tests/tracer-host/jget.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< -ljson-c

# refused O_DIRECT opens: long paths, dirfd- and cwd-relative
$(O)/tests/dt-odopen: tests/tracer-host/odopen.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $<

# many short-lived readers: the process table must prune at exit
$(O)/tests/dt-forkread: tests/tracer-host/forkread.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $<

TEST_SUITES	+= test-tracer-host test-tracer-vm

test-tracer-host: all helpers $(O)/tests/dt-jget $(O)/tests/dt-odopen $(O)/tests/dt-forkread
	sh tests/tracer-host/run.sh

test-tracer-vm: all helpers $(O)/tests/dioread $(O)/tests/dt-jget
	sh tests/tracer-vm/run.sh

# Boot the rfc kernel (FLAVOUR=fixed|unpatched for the others; tests/vm/vm-run
# builds it if needed) and trace the default workload
# (tests/tracer-vm/workload.sh); the report is printed and kept in
# $(O)/tests/tracer-vm/demo/.
DEMO_OUT	:= $(O)/tests/tracer-vm/demo
demo: all helpers $(O)/tests/dioread
	sh tests/tracer-vm/mkimages.sh $(O)/tests/tracer-vm
	rm -rf $(DEMO_OUT) && mkdir -p $(DEMO_OUT)
	tests/vm/vm-run --flavour $(or $(FLAVOUR),rfc) --out $(DEMO_OUT) -- \
		'sh tests/tracer-vm/workload.sh demo'

.PHONY: test-tracer-host test-tracer-vm demo
