/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * REQ: user read requests on EROFS files, from erofs_file_read_iter()
 * (fentry/kprobe) or, where that cannot be hooked, from the read syscalls'
 * own tracepoints.  Every request of a traced process counts in
 * DT_CNT_READS before its event is reserved, so a lost event still shows.
 */
#ifndef __DT_REQ_BPF_H
#define __DT_REQ_BPF_H

/* the user request a thread is in, by tid */
struct req_state {
	__u64 cookie;
	__u64 dev;
	__u64 ino;
	__s64 pos;
	__u64 len;
	__u64 isize;
	__u64 total;		/* io->total, or ~0 */
	__u64 done;		/* io->done, or ~0 */
	__u32 flags;
	__u32 fd;
	__u32 bufmis;
	__u8 in_req;		/* REQ_START emitted */
	__u8 in_dio;		/* DIO_START emitted */
	__u8 src;
	__u8 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct req_state);
} reqs SEC(".maps");

static __always_inline struct req_state *req_cur(void)
{
	__u32 tid = cur_tid();

	return bpf_map_lookup_elem(&reqs, &tid);
}

static __always_inline __u64 req_cookie(void)
{
	struct req_state *st = req_cur();

	return st ? st->cookie : 0;
}

/* remember EROFS_SB(sb)->dif0.file of a file-backed mount */
static __always_inline void learn_backing(struct super_block *sb)
{
	struct erofs_sb_info___dt *sbi;
	struct dt_file_key k;
	struct inode *inode;
	struct file *file;
	__u8 one = 1;

	if (!bpf_core_field_exists(struct erofs_sb_info___dt, dif0))
		return;
	sbi = BPF_CORE_READ(sb, s_fs_info);
	if (!sbi)
		return;
	file = BPF_CORE_READ(sbi, dif0.file);
	if (!file)
		return;
	inode = BPF_CORE_READ(file, f_inode);
	if (!inode)
		return;
	inode_key(inode, &k);
	if (!bpf_map_lookup_elem(&backing, &k))
		bpf_map_update_elem(&backing, &k, &one, BPF_ANY);
}

static __always_inline void req_emit(struct req_state *st, __u16 type, __s64 ret)
{
	struct dt_event *ev = ev_new(type, st->src);

	if (!ev)
		return;
	ev->dev = st->dev;
	ev->ino = st->ino;
	ev->cookie = st->cookie;
	ev->req.pos = st->pos;
	ev->req.len = st->len;
	ev->req.isize = st->isize;
	ev->req.ret = ret;
	ev->req.flags = st->flags;
	ev->req.fd = st->fd;
	ev->req.bufmis = st->bufmis;
	ev_send(ev);
}

static __always_inline void req_begin(struct req_state *st, struct inode *inode)
{
	__u32 tid = cur_tid();

	cnt_inc(DT_CNT_READS);
	st->dev = BPF_CORE_READ(inode, i_sb, s_dev);
	st->ino = BPF_CORE_READ(inode, i_ino);
	st->isize = BPF_CORE_READ(inode, i_size);
	st->total = ~0ULL;
	st->done = ~0ULL;
	st->in_req = 1;
	learn_backing(BPF_CORE_READ(inode, i_sb));
	if (bpf_map_update_elem(&reqs, &tid, st, BPF_ANY))
		cnt_inc(DT_CNT_MAP_FULL);
	req_emit(st, DT_EV_REQ_START, 0);
}

/*
 * Where the user buffer starts, mod 64 KiB, so that an O_DIRECT refusal can
 * be told apart: only a single-segment buffer (ubuf, or one iovec) is read.
 */
static __always_inline __u32 buf_misalign(struct iov_iter *to)
{
	__u8 type = BPF_CORE_READ(to, iter_type);
	__u64 addr, off = BPF_CORE_READ(to, iov_offset);
	const struct iovec *iov;

	if (!bpf_core_field_exists(to->ubuf) ||
	    !bpf_core_enum_value_exists(enum iter_type, ITER_UBUF))
		return 0;
	if (type == bpf_core_enum_value(enum iter_type, ITER_UBUF)) {
		addr = (__u64)BPF_CORE_READ(to, ubuf);
	} else if (type == bpf_core_enum_value(enum iter_type, ITER_IOVEC) &&
		   BPF_CORE_READ(to, nr_segs) == 1) {
		iov = BPF_CORE_READ(to, __iov);
		addr = (__u64)BPF_CORE_READ(iov, iov_base);
	} else {
		return 0;
	}
	return DT_BUF_KNOWN | (__u32)((addr + off) & 0xffff);
}

static __always_inline int req_start(struct kiocb *iocb, struct iov_iter *to, __u16 src)
{
	struct req_state st = {};
	struct inode *inode;

	if (!traced())
		return 0;
	inode = BPF_CORE_READ(iocb, ki_filp, f_inode);
	if (!erofs_wanted(inode))
		return 0;
	st.cookie = (__u64)iocb;
	st.pos = BPF_CORE_READ(iocb, ki_pos);
	st.len = BPF_CORE_READ(to, count);
	st.flags = BPF_CORE_READ(iocb, ki_flags);
	st.fd = ~0U;
	st.src = src;
	st.bufmis = buf_misalign(to);
	uq_start(iocb, BPF_CORE_READ(inode, i_sb, s_dev), BPF_CORE_READ(inode, i_ino),
		 st.pos, st.len, st.flags);
	req_begin(&st, inode);
	return 0;
}

static __always_inline int req_end(__s64 ret)
{
	__u32 tid = cur_tid();
	struct req_state *st = bpf_map_lookup_elem(&reqs, &tid);

	if (!st || !st->in_req)
		return 0;
	if (st->src != DT_SRC_SYSCALL)
		uq_end(st->cookie, ret);
	req_emit(st, DT_EV_REQ_END, ret);
	bpf_map_delete_elem(&reqs, &tid);
	return 0;
}

SEC("fentry/erofs_file_read_iter")
int BPF_PROG(fentry_req, struct kiocb *iocb, struct iov_iter *to)
{
	return req_start(iocb, to, DT_SRC_FENTRY);
}

SEC("fexit/erofs_file_read_iter")
int BPF_PROG(fexit_req, struct kiocb *iocb, struct iov_iter *to, long ret)
{
	return req_end(ret);
}

SEC("kprobe/erofs_file_read_iter")
int BPF_KPROBE(kp_req, struct kiocb *iocb, struct iov_iter *to)
{
	return req_start(iocb, to, DT_SRC_KPROBE);
}

SEC("kretprobe/erofs_file_read_iter")
int BPF_KRETPROBE(krp_req, long ret)
{
	return req_end(ret);
}

/* ---- the read syscalls ------------------------------------------------ */

static __always_inline __u64 iov_total(const struct iovec *iov, __u64 cnt)
{
	__u64 sum = 0;
	struct iovec v;
	int i;

	/* more vectors than we read, or an unreadable one: length unknown */
	if (cnt > MAX_IOVS)
		return ~0ULL;
	for (i = 0; i < MAX_IOVS; i++) {
		if (i >= cnt)
			break;
		if (bpf_probe_read_user(&v, sizeof(v), &iov[i]))
			return ~0ULL;
		sum += v.iov_len;
	}
	return sum;
}

/* a read syscall on FD: LEN bytes (or an iovec array of VLEN), at POS or -1 */
static __always_inline void sys_read_begin(__u64 fd, __u64 len, const struct iovec *iov,
					   __u64 vlen, __s64 pos)
{
	struct req_state st = {};
	struct file *file = fd_file(fd);
	struct inode *inode;

	if (!file)
		return;
	inode = BPF_CORE_READ(file, f_inode);
	if (!erofs_wanted(inode))
		return;
	/* only regular files: read(2) on a directory is no data read */
	if ((BPF_CORE_READ(inode, i_mode) & S_IFMT) != S_IFREG)
		return;
	st.len = iov ? iov_total(iov, vlen) : len;
	st.pos = pos == -1 ? BPF_CORE_READ(file, f_pos) : pos;
	if (BPF_CORE_READ(file, f_flags) & o_direct)
		st.flags = DT_IOCB_DIRECT;
	st.fd = fd;
	st.src = DT_SRC_SYSCALL;
	st.cookie = (1ULL << 63) | ((__u64)(cur_tid() & 0x7fffff) << 40) |
		    (bpf_ktime_get_ns() & ((1ULL << 40) - 1));
	req_begin(&st, inode);
}

static __always_inline int sys_read_end(long ret)
{
	struct req_state *st = req_cur();

	if (st && st->src == DT_SRC_SYSCALL)
		req_end(ret);
	return 0;
}

#define SC_ARG(n)	(ctx->args[n])

SEC("tracepoint/syscalls/sys_enter_read")
int sc_enter_read(struct trace_event_raw_sys_enter *ctx)
{
	if (traced())
		sys_read_begin(SC_ARG(0), SC_ARG(2), NULL, 0, -1);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_pread64")
int sc_enter_pread64(struct trace_event_raw_sys_enter *ctx)
{
	if (traced())
		sys_read_begin(SC_ARG(0), SC_ARG(2), NULL, 0, SC_ARG(3));
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_readv")
int sc_enter_readv(struct trace_event_raw_sys_enter *ctx)
{
	if (traced())
		sys_read_begin(SC_ARG(0), 0, (void *)SC_ARG(1), SC_ARG(2), -1);
	return 0;
}

/* preadv and preadv2: pos_l is the whole offset on 64-bit; -1 = file position */
SEC("tracepoint/syscalls/sys_enter_preadv")
int sc_enter_preadv(struct trace_event_raw_sys_enter *ctx)
{
	if (traced())
		sys_read_begin(SC_ARG(0), 0, (void *)SC_ARG(1), SC_ARG(2), SC_ARG(3));
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_preadv2")
int sc_enter_preadv2(struct trace_event_raw_sys_enter *ctx)
{
	if (traced())
		sys_read_begin(SC_ARG(0), 0, (void *)SC_ARG(1), SC_ARG(2), SC_ARG(3));
	return 0;
}

#define DT_SC_READ_EXIT(name)						\
	SEC("tracepoint/syscalls/sys_exit_" #name)			\
	int sc_exit_##name(struct trace_event_raw_sys_exit *ctx)	\
	{								\
		return traced() ? sys_read_end(ctx->ret) : 0;		\
	}

DT_SC_READ_EXIT(read)
DT_SC_READ_EXIT(pread64)
DT_SC_READ_EXIT(readv)
DT_SC_READ_EXIT(preadv)
DT_SC_READ_EXIT(preadv2)

#endif /* __DT_REQ_BPF_H */
