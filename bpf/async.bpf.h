/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * REQ_DONE: the completion of an asynchronous user read.  A read whose
 * kiocb has ->ki_complete (aio, io_uring) may return -EIOCBQUEUED and end
 * later in that callback, from any context (an irq, a worker).  Its kiocb
 * is remembered from the start of the read: the callback may run before
 * the read_iter call that queued it has even returned.  A read that
 * returns anything else is forgotten at its return, so the callers' own
 * ki_complete() of a finished read (aio_rw_done()) emits nothing.
 */
#ifndef __DT_ASYNC_BPF_H
#define __DT_ASYNC_BPF_H

struct uq_state {
	__u64 dev;
	__u64 ino;
	__s64 pos;
	__u64 len;
	__u32 flags;
	__u32 pad;
};

/* async user reads in flight: kiocb address -> the read */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u64);
	__type(value, struct uq_state);
} uqueued SEC(".maps");

static __always_inline void uq_start(struct kiocb *iocb, __u64 dev, __u64 ino,
				     __s64 pos, __u64 len, __u32 flags)
{
	struct uq_state u = { .dev = dev, .ino = ino, .pos = pos, .len = len, .flags = flags };
	__u64 key = (__u64)iocb;

	if (!BPF_CORE_READ(iocb, ki_complete))
		return;		/* a sync kiocb: its read_iter returns the result */
	if (bpf_map_update_elem(&uqueued, &key, &u, BPF_ANY))
		cnt_inc(DT_CNT_MAP_FULL);
}

static __always_inline void uq_end(__u64 cookie, __s64 ret)
{
	if (ret != -EIOCBQUEUED)
		bpf_map_delete_elem(&uqueued, &cookie);
}

/* completions run in any context: the table is the filter */
static __always_inline int uq_done(struct kiocb *iocb, long res, __u16 src)
{
	__u64 key = (__u64)iocb;
	struct uq_state *u = bpf_map_lookup_elem(&uqueued, &key);
	struct dt_event *ev;

	if (!u)
		return 0;
	ev = ev_new(DT_EV_REQ_DONE, src);
	if (ev) {
		ev->dev = u->dev;
		ev->ino = u->ino;
		ev->cookie = key;
		ev->req.pos = u->pos;
		ev->req.len = u->len;
		ev->req.ret = res;
		ev->req.flags = u->flags;
		ev->req.fd = ~0U;
		ev_send(ev);
	}
	bpf_map_delete_elem(&uqueued, &key);
	return 0;
}

/* the fentry and kprobe programs of one completion callback FN */
#define UQ_DONE_PROGS(fn, name)						\
	SEC("fentry/" #fn)						\
	int BPF_PROG(fentry_##name, struct kiocb *iocb, long res)	\
	{								\
		return uq_done(iocb, res, DT_SRC_FENTRY);		\
	}								\
	SEC("kprobe/" #fn)						\
	int BPF_KPROBE(kp_##name, struct kiocb *iocb, long res)		\
	{								\
		return uq_done(iocb, res, DT_SRC_KPROBE);		\
	}

UQ_DONE_PROGS(aio_complete_rw, aio_done)
UQ_DONE_PROGS(io_complete_rw, uring_done)
UQ_DONE_PROGS(io_complete_rw_iopoll, uring_poll_done)

#endif /* __DT_ASYNC_BPF_H */
