/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Last resort for REQ and OPEN: the raw sys_enter/sys_exit tracepoints, for
 * kernels without syscall trace events or tracefs.  They run on every
 * syscall of every process, so the syscall tracepoints are preferred.
 * Syscall numbers come from the loader (this architecture's), arguments
 * from the architecture's syscall calling convention (bpf_tracing.h).
 */
#ifndef __DT_SYS_RAW_BPF_H
#define __DT_SYS_RAW_BPF_H

#define RAW_ARG(n, regs)	PT_REGS_PARM##n##_CORE_SYSCALL(regs)

static __always_inline void raw_read_enter(struct pt_regs *regs, long nr)
{
	__u64 fd = RAW_ARG(1, regs);

	if (nr == nr_read)
		sys_read_begin(fd, RAW_ARG(3, regs), NULL, 0, -1);
	else if (nr == nr_pread64)
		sys_read_begin(fd, RAW_ARG(3, regs), NULL, 0, RAW_ARG(4, regs));
	else if (nr == nr_readv)
		sys_read_begin(fd, 0, (void *)RAW_ARG(2, regs), RAW_ARG(3, regs), -1);
	else if (nr == nr_preadv || nr == nr_preadv2)
		sys_read_begin(fd, 0, (void *)RAW_ARG(2, regs), RAW_ARG(3, regs),
			       RAW_ARG(4, regs));
}

static __always_inline void raw_open_enter(struct pt_regs *regs, long nr)
{
	if (nr == nr_open)
		sys_open_begin(AT_FDCWD, RAW_ARG(1, regs), RAW_ARG(2, regs));
	else if (nr == nr_openat)
		sys_open_begin(RAW_ARG(1, regs), RAW_ARG(2, regs), RAW_ARG(3, regs));
	else if (nr == nr_openat2)
		sys_open_begin(RAW_ARG(1, regs), RAW_ARG(2, regs),
			       openat2_flags(RAW_ARG(3, regs)));
}

static __always_inline int raw_sys_enter_body(struct pt_regs *regs, long nr)
{
	if (!traced())
		return 0;
	if (sys_req)
		raw_read_enter(regs, nr);
	if (sys_open)
		raw_open_enter(regs, nr);
	return 0;
}

/* the state saved at entry says which call is returning */
static __always_inline int raw_sys_exit_body(long ret)
{
	if (!traced())
		return 0;
	if (sys_open)
		sys_open_end(ret);
	if (sys_req)
		sys_read_end(ret);
	return 0;
}

DT_TP_TWINS(sys_enter, sys_enter, raw_sys_enter_body(regs, id), struct pt_regs *regs, long id)
DT_TP_TWINS(sys_exit, sys_exit, raw_sys_exit_body(ret), struct pt_regs *regs, long ret)

#endif
