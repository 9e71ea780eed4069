/* SPDX-License-Identifier: GPL-2.0-only */
/* DIO: erofs_fileio_direct_io() (rfc), and the RFC's io->total / io->done. */
#ifndef __DT_DIO_BPF_H
#define __DT_DIO_BPF_H

static __always_inline int dio_start(struct kiocb *iocb, struct iov_iter *iter, __u16 src)
{
	struct req_state *st;
	struct dt_event *ev;
	struct inode *inode;

	if (!traced() || !(st = req_cur()))
		return 0;
	inode = BPF_CORE_READ(iocb, ki_filp, f_inode);
	if (!erofs_wanted(inode))
		return 0;
	st->in_dio = 1;
	st->total = ~0ULL;
	st->done = ~0ULL;
	ev = ev_new(DT_EV_DIO_START, src);
	if (!ev)
		return 0;
	ev->dev = st->dev;
	ev->ino = st->ino;
	ev->cookie = st->cookie;
	ev->dio.pos = BPF_CORE_READ(iocb, ki_pos);
	ev->dio.count = BPF_CORE_READ(iter, count);
	ev->dio.isize = BPF_CORE_READ(inode, i_size);
	ev->dio.total = ~0ULL;
	ev->dio.done = ~0ULL;
	ev_send(ev);
	return 0;
}

static __always_inline int dio_end(struct kiocb *iocb, __s64 ret, __u16 src)
{
	struct req_state *st = req_cur();
	struct dt_event *ev;

	if (!st || !st->in_dio)
		return 0;
	st->in_dio = 0;
	ev = ev_new(DT_EV_DIO_END, src);
	if (!ev)
		return 0;
	ev->dev = st->dev;
	ev->ino = st->ino;
	ev->cookie = st->cookie;
	ev->dio.pos = BPF_CORE_READ(iocb, ki_pos);
	ev->dio.isize = st->isize;
	ev->dio.total = st->total;
	ev->dio.done = st->done;
	ev->dio.ret = ret;
	ev_send(ev);
	return 0;
}

/* read the RFC's io->total / io->done where this kernel has them */
static __always_inline void dio_note_io(struct erofs_fileio___rfc *io)
{
	struct req_state *st = req_cur();

	if (!st || !st->in_dio || !io)
		return;
	if (!bpf_core_field_exists(struct erofs_fileio___rfc, total) ||
	    !bpf_core_field_exists(struct erofs_fileio___rfc, done))
		return;
	st->total = BPF_CORE_READ(io, total);
	st->done = BPF_CORE_READ(io, done);
}

SEC("fentry/erofs_fileio_direct_io")
int BPF_PROG(fentry_dio, struct kiocb *iocb, struct iov_iter *iter)
{
	return dio_start(iocb, iter, DT_SRC_FENTRY);
}

SEC("fexit/erofs_fileio_direct_io")
int BPF_PROG(fexit_dio, struct kiocb *iocb, struct iov_iter *iter, long ret)
{
	return dio_end(iocb, ret, DT_SRC_FENTRY);
}

SEC("kprobe/erofs_fileio_direct_io")
int BPF_KPROBE(kp_dio, struct kiocb *iocb, struct iov_iter *iter)
{
	struct kp_args a = { .a0 = (__u64)iocb };

	if (!traced())
		return 0;
	kp_save(DT_ROLE_DIO, &a);
	return dio_start(iocb, iter, DT_SRC_KPROBE);
}

SEC("kretprobe/erofs_fileio_direct_io")
int BPF_KRETPROBE(krp_dio, long ret)
{
	struct kp_args a;

	if (traced() && kp_take(DT_ROLE_DIO, &a))
		dio_end((void *)a.a0, ret, DT_SRC_KPROBE);
	return 0;
}

/* io->total is set and the extents are scanned: the RFC's scan loop */
SEC("fexit/erofs_fileio_scan_iter")
int BPF_PROG(fexit_scan_iter, struct erofs_fileio___rfc *io)
{
	if (traced())
		dio_note_io(io);
	return 0;
}

/* the RFC's bio end_io: io->done grows by the backing read's bytes */
SEC("fexit/erofs_fileio_end_io")
int BPF_PROG(fexit_end_io, struct bio *bio)
{
	struct erofs_fileio_rq___rfc *rq;

	if (!traced() || !bpf_core_field_exists(struct erofs_fileio_rq___rfc, private))
		return 0;
	rq = (void *)bio - bpf_core_field_offset(struct erofs_fileio_rq___rfc, bio);
	dio_note_io(BPF_CORE_READ(rq, private));
	return 0;
}

#endif
