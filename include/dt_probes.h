/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The probe table: every probe group (a role of enum dt_role, or a helper
 * probe) and its candidate programs, best first.  One X-macro list, expanded
 * by the BPF object (bpf/diotrace.bpf.c refers to every program named here,
 * so a name without a program fails to compile) and by the loader
 * (user/trace/trace_helpers.c takes each program from the skeleton by
 * name, so a misspelt name fails to compile there too).
 *
 *   G(id, "name", role)          a group; role -1 = helper probe
 *   C(id, "kind", "target", progs)  a candidate of group id
 *   P(prog)                      a program the candidate needs
 *   PO(prog)                     ... unless its tracepoint or function does
 *                                not exist here (open(2) on arm64; the fixed
 *                                series' erofs_fileio_dio_ki_complete; a
 *                                kernel without aio or io_uring)
 *
 * Kinds: fentry (fentry/fexit pair), fexit, kprobe, tracepoint (syscall
 * tracepoints), tp_btf, raw_tp.
 */
#ifndef __DT_PROBES_H
#define __DT_PROBES_H

#define DT_PROBE_GROUPS(G)						\
	G(REQ, "REQ", DT_ROLE_REQ)					\
	G(DIO, "DIO", DT_ROLE_DIO)					\
	G(DIO_TOTAL, "DIO io.total", -1)				\
	G(DIO_DONE, "DIO io.done", -1)					\
	G(EXTENT, "EXTENT", DT_ROLE_EXTENT)				\
	G(BACKING_SUBMIT, "BACKING_SUBMIT", DT_ROLE_BACKING_SUBMIT)	\
	G(BACKING_DONE, "BACKING_DONE", DT_ROLE_BACKING_DONE)		\
	G(PC_ADD, "PC_ADD", DT_ROLE_PC_ADD)				\
	G(PC_DEL, "PC_DEL", DT_ROLE_PC_DEL)				\
	G(OPEN, "OPEN", DT_ROLE_OPEN)					\
	G(REQ_DONE, "REQ_DONE", DT_ROLE_REQ_DONE)			\
	G(FORK, "FORK", -1)						\
	G(EXIT, "EXIT", -1)

#define DT_SYSCALL_READS "syscalls/sys_{enter,exit}_{read,pread64,readv,preadv,preadv2}"
#define DT_SYSCALL_OPENS "syscalls/sys_{enter,exit}_{open,openat,openat2}"

#define DT_PROBE_CANDS(C, P, PO)					\
	C(REQ, "fentry", "erofs_file_read_iter", P(fentry_req) P(fexit_req)) \
	C(REQ, "kprobe", "erofs_file_read_iter", P(kp_req) P(krp_req))	\
	C(REQ, "tracepoint", DT_SYSCALL_READS,				\
	  P(sc_enter_read) P(sc_exit_read) P(sc_enter_pread64) P(sc_exit_pread64) \
	  P(sc_enter_readv) P(sc_exit_readv) P(sc_enter_preadv) P(sc_exit_preadv) \
	  P(sc_enter_preadv2) P(sc_exit_preadv2))			\
	C(REQ, "tp_btf", "sys_enter/sys_exit", P(tp_sys_enter) P(tp_sys_exit)) \
	C(REQ, "raw_tp", "sys_enter/sys_exit", P(raw_sys_enter) P(raw_sys_exit)) \
	C(DIO, "fentry", "erofs_fileio_direct_io", P(fentry_dio) P(fexit_dio)) \
	C(DIO, "kprobe", "erofs_fileio_direct_io", P(kp_dio) P(krp_dio)) \
	C(DIO_TOTAL, "fexit", "erofs_fileio_scan_iter", P(fexit_scan_iter)) \
	C(DIO_DONE, "fexit", "erofs_fileio_end_io", P(fexit_end_io))	\
	C(EXTENT, "fexit", "erofs_map_blocks", P(fexit_map_blocks))	\
	C(EXTENT, "kprobe", "erofs_map_blocks", P(kp_map_blocks) P(krp_map_blocks)) \
	C(EXTENT, "tp_btf", "erofs_map_blocks_exit", P(tp_map_blocks))	\
	C(EXTENT, "raw_tp", "erofs_map_blocks_exit", P(raw_map_blocks))	\
	C(BACKING_SUBMIT, "fentry", "vfs_iocb_iter_read", P(fentry_bk) P(fexit_bk)) \
	C(BACKING_SUBMIT, "kprobe", "vfs_iocb_iter_read", P(kp_bk) P(krp_bk)) \
	C(BACKING_DONE, "fentry", "erofs_fileio_ki_complete",		\
	  P(fentry_bk_done) PO(fentry_bk_dio_done))			\
	C(BACKING_DONE, "kprobe", "erofs_fileio_ki_complete",		\
	  P(kp_bk_done) PO(kp_bk_dio_done))				\
	C(PC_ADD, "tp_btf", "mm_filemap_add_to_page_cache", P(tp_pc_add)) \
	C(PC_ADD, "raw_tp", "mm_filemap_add_to_page_cache", P(raw_pc_add)) \
	C(PC_DEL, "tp_btf", "mm_filemap_delete_from_page_cache", P(tp_pc_del)) \
	C(PC_DEL, "raw_tp", "mm_filemap_delete_from_page_cache", P(raw_pc_del)) \
	C(OPEN, "tracepoint", DT_SYSCALL_OPENS,				\
	  PO(sc_enter_open) PO(sc_exit_open) P(sc_enter_openat) P(sc_exit_openat) \
	  P(sc_enter_openat2) P(sc_exit_openat2))			\
	C(OPEN, "tp_btf", "sys_enter/sys_exit", P(tp_sys_enter) P(tp_sys_exit)) \
	C(OPEN, "raw_tp", "sys_enter/sys_exit", P(raw_sys_enter) P(raw_sys_exit)) \
	C(REQ_DONE, "fentry", "aio_complete_rw,io_complete_rw",		\
	  PO(fentry_aio_done) PO(fentry_uring_done) PO(fentry_uring_poll_done)) \
	C(REQ_DONE, "kprobe", "aio_complete_rw,io_complete_rw",		\
	  PO(kp_aio_done) PO(kp_uring_done) PO(kp_uring_poll_done))	\
	C(FORK, "tp_btf", "sched_process_fork", P(tp_fork))		\
	C(FORK, "raw_tp", "sched_process_fork", P(raw_fork))		\
	C(EXIT, "tp_btf", "sched_process_exit", P(tp_exit))		\
	C(EXIT, "raw_tp", "sched_process_exit", P(raw_exit))		\
	DT_PROBES_TYPO(C, P)

/* the build test (test-tracer-host) adds a misspelt program: it must not compile */
#ifdef DT_PROBES_TYPO_TEST
#define DT_PROBES_TYPO(C, P)	C(REQ, "fentry", "erofs_file_read_iter", P(fentry_reqq))
#else
#define DT_PROBES_TYPO(C, P)
#endif

#define DT_G_ENUM(id, name, role)	DT_G_##id,
enum dt_probe_group_id { DT_PROBE_GROUPS(DT_G_ENUM) DT_G_MAX };
#undef DT_G_ENUM

#endif /* __DT_PROBES_H */
