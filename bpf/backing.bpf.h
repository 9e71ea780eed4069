/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * BACKING_SUBMIT / BACKING_DONE: vfs_iocb_iter_read() into the backing file
 * and erofs_fileio_ki_complete() (erofs_fileio_dio_ki_complete() too, where
 * the kernel has it).  A backing read in flight is remembered
 * by its kiocb until it completes; when that table is full the read cannot
 * be tied to its request and DT_CNT_EVICTED says so (no silent LRU).
 */
#ifndef __DT_BACKING_BPF_H
#define __DT_BACKING_BPF_H

/* backing reads in flight: backing kiocb address -> request cookie */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u64);
	__type(value, __u64);
} inflight SEC(".maps");

static __always_inline bool bk_wanted(struct inode *inode)
{
	struct req_state *st = req_cur();
	struct dt_file_key k;
	__u8 one = 1;

	if (!inode || inode_is_erofs(inode))
		return false;
	if (st) {
		inode_key(inode, &k);
		if (!bpf_map_lookup_elem(&backing, &k))
			bpf_map_update_elem(&backing, &k, &one, BPF_ANY);
		return true;
	}
	return is_backing(inode);
}

static __always_inline void bk_fill(struct dt_event *ev, struct kiocb *iocb)
{
	struct inode *inode = BPF_CORE_READ(iocb, ki_filp, f_inode);

	ev->dev = BPF_CORE_READ(inode, i_sb, s_dev);
	ev->ino = BPF_CORE_READ(inode, i_ino);
	ev->bk.rq = (__u64)iocb;
	ev->bk.pos = BPF_CORE_READ(iocb, ki_pos);
	ev->bk.flags = BPF_CORE_READ(iocb, ki_flags);
}

static __always_inline int bk_submit(struct file *file, struct kiocb *iocb,
				     struct iov_iter *iter, __u16 src)
{
	struct dt_event *ev;
	__u64 key = (__u64)iocb, cookie;

	if (!traced() || !bk_wanted(BPF_CORE_READ(file, f_inode)))
		return 0;
	cookie = req_cookie();
	if (bpf_map_update_elem(&inflight, &key, &cookie, BPF_ANY))
		cnt_inc(DT_CNT_EVICTED);
	ev = ev_new(DT_EV_BACKING_SUBMIT, src);
	if (!ev)
		return 0;
	bk_fill(ev, iocb);
	ev->cookie = cookie;
	ev->bk.len = BPF_CORE_READ(iter, count);
	ev_send(ev);
	return 0;
}

static __always_inline int bk_emit(struct kiocb *iocb, __u64 cookie, __s64 ret,
				   __u16 type, __u16 src)
{
	struct dt_event *ev = ev_new(type, src);

	if (!ev)
		return 0;
	bk_fill(ev, iocb);
	ev->cookie = cookie;
	ev->bk.ret = ret;
	ev_send(ev);
	return 0;
}

static __always_inline int bk_ret(struct kiocb *iocb, __s64 ret, __u16 src)
{
	__u64 key = (__u64)iocb, *cookie;

	cookie = bpf_map_lookup_elem(&inflight, &key);
	if (!cookie)
		return 0;
	bk_emit(iocb, *cookie, ret, DT_EV_BACKING_RET, src);
	/*
	 * Only a queued read completes later.  One that returned at once is
	 * done (EROFS may still call its ki_complete itself: the engine needs
	 * no second word), and without a completion probe nobody would look.
	 */
	if (!bk_done_bound || ret != -EIOCBQUEUED)
		bpf_map_delete_elem(&inflight, &key);
	return 0;
}

/* completions run in any context: the in-flight table is the filter */
static __always_inline int bk_done(struct kiocb *iocb, __s64 ret, __u16 src)
{
	__u64 key = (__u64)iocb, *cookie;

	cookie = bpf_map_lookup_elem(&inflight, &key);
	if (!cookie)
		return 0;
	bk_emit(iocb, *cookie, ret, DT_EV_BACKING_DONE, src);
	bpf_map_delete_elem(&inflight, &key);
	return 0;
}

SEC("fentry/vfs_iocb_iter_read")
int BPF_PROG(fentry_bk, struct file *file, struct kiocb *iocb, struct iov_iter *iter)
{
	return bk_submit(file, iocb, iter, DT_SRC_FENTRY);
}

SEC("fexit/vfs_iocb_iter_read")
int BPF_PROG(fexit_bk, struct file *file, struct kiocb *iocb, struct iov_iter *iter,
	     long ret)
{
	return traced() ? bk_ret(iocb, ret, DT_SRC_FENTRY) : 0;
}

SEC("kprobe/vfs_iocb_iter_read")
int BPF_KPROBE(kp_bk, struct file *file, struct kiocb *iocb, struct iov_iter *iter)
{
	struct kp_args a = { .a0 = (__u64)iocb };

	if (!traced())
		return 0;
	bk_submit(file, iocb, iter, DT_SRC_KPROBE);
	kp_save(DT_ROLE_BACKING_SUBMIT, &a);
	return 0;
}

SEC("kretprobe/vfs_iocb_iter_read")
int BPF_KRETPROBE(krp_bk, long ret)
{
	struct kp_args a;

	if (traced() && kp_take(DT_ROLE_BACKING_SUBMIT, &a))
		bk_ret((void *)a.a0, ret, DT_SRC_KPROBE);
	return 0;
}

/* the fentry and kprobe programs of one backing-read completion FN */
#define BK_DONE_PROGS(fn, name)						\
	SEC("fentry/" #fn)						\
	int BPF_PROG(fentry_##name, struct kiocb *iocb, long ret)	\
	{								\
		return bk_done(iocb, ret, DT_SRC_FENTRY);		\
	}								\
	SEC("kprobe/" #fn)						\
	int BPF_KPROBE(kp_##name, struct kiocb *iocb, long ret)		\
	{								\
		return bk_done(iocb, ret, DT_SRC_KPROBE);		\
	}

BK_DONE_PROGS(erofs_fileio_ki_complete, bk_done)
/* the fixed series' direct reads complete their backing kiocbs here */
BK_DONE_PROGS(erofs_fileio_dio_ki_complete, bk_dio_done)

#endif
