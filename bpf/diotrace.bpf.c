// SPDX-License-Identifier: GPL-2.0-only
/*
 * erofs-diotrace BPF programs: one object (one skeleton), one header per
 * role.  Every role has candidate programs (include/dt_probes.h, best
 * first); the loader (user/trace/trace_helpers.c) picks one per role and
 * autoloads only those, so one object serves every kernel.  All programs
 * emit struct dt_event records (include/diotrace.h) into one ring buffer.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "diotrace.h"
#include "dt_probes.h"
#include "core_fixes.bpf.h"
#include "common.bpf.h"
#include "kprobe.bpf.h"
#include "async.bpf.h"
#include "req.bpf.h"
#include "open.bpf.h"
#include "sys_raw.bpf.h"
#include "dio.bpf.h"
#include "extent.bpf.h"
#include "backing.bpf.h"
#include "pagecache.bpf.h"
#include "proc.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/*
 * Every program the probe table names must exist: this never runs (it is
 * not a program and is optimised away) but does not compile otherwise.
 */
#define TC(id, kind, target, progs)	progs
#define TP(prog)			(void)prog;
static __attribute__((unused)) void dt_probe_table_check(void)
{
	DT_PROBE_CANDS(TC, TP, TP)
}
