// SPDX-License-Identifier: GPL-2.0-only
/*
 * The correlation engine: events in, one record per user read request out.
 *
 * Events from several CPUs may arrive slightly out of order, so they are
 * held and sorted on ts within opts.reorder_ns (a FIFO for the usual
 * in-order arrival, a heap for the stragglers).  A request opens at
 * REQ_START and is found again by its kiocb cookie, or, for events without
 * one, by the task that is inside it (a task is in one read at a time; such
 * a link is "weak" and never alone carries a FAIL when events were lost).
 * Backing-read completions come from any context and are linked by the
 * erofs_fileio_rq address (bk.rq).  A read that returns -EIOCBQUEUED (aio,
 * io_uring) leaves its thread and ends when its kiocb's ki_complete() is
 * seen (REQ_DONE, by cookie), which may even come before the return.  A
 * request closes when it has ended and none of its backing reads is still
 * pending; verdict.c then checks it,
 * folds it into the statistics and recycles it.  Every lookup is a hash
 * table: the cost per event does not grow with the trace or the file count.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "engine_int.h"

#define DEF_MAX_INFLIGHT	1024
#define DEF_REORDER_NS		10000000ull
#define DEF_REORDER_MAX		65536
#define DEF_MAX_DETAILS		1000

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 8;
	void *q;

	if (need <= *cap)
		return p;
	while (n < need)
		n *= 2;
	q = realloc(p, n * size);
	if (!q)
		return NULL;
	*cap = n;
	return q;
}

struct dt_engine *dt_engine_new(const struct dt_engine_opts *opts)
{
	struct dt_engine *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	if (opts)
		e->opts = *opts;
	if (!e->opts.max_inflight)
		e->opts.max_inflight = DEF_MAX_INFLIGHT;
	if (!e->opts.page_size)
		e->opts.page_size = 4096;
	if (!e->opts.reorder_ns)
		e->opts.reorder_ns = DEF_REORDER_NS;
	if (!e->opts.reorder_max)
		e->opts.reorder_max = DEF_REORDER_MAX;
	if (!e->opts.max_details)
		e->opts.max_details = DEF_MAX_DETAILS;
	return e;
}

static void rq_free(struct dt_rq *rq)
{
	free(rq->ext);
	free(rq->bk);
	free(rq);
}

void dt_engine_free(struct dt_engine *e)
{
	struct dt_rq *rq, *n;
	size_t i;

	if (!e)
		return;
	for (rq = e->lru_head; rq; rq = n) {
		n = rq->lru_next;
		rq_free(rq);
	}
	for (rq = e->free_rq; rq; rq = n) {
		n = rq->lru_next;
		rq_free(rq);
	}
	for (i = 0; i < e->nr_kept; i++)
		rq_free(e->kept[i]);
	for (i = 0; i < e->nr_notes; i++)
		free(e->notes[i].why);
	for (i = 0; i < e->nr_reasons; i++)
		free(e->reasons[i]);
	dt_hash_free(&e->by_cookie);
	dt_hash_free(&e->by_tid);
	dt_hash_free(&e->by_bk);
	dt_hash_free(&e->by_file);
	free(e->kept);
	free(e->fifo);
	free(e->heap);
	free(e->files);
	free(e->opens);
	free(e);
}

bool dt_role_bound(const struct dt_engine *e, enum dt_role r)
{
	return r < DT_ROLE_MAX && !e->roles[r].unbound;
}

struct dt_file *dt_file_get(struct dt_engine *e, uint64_t dev, uint64_t ino, bool erofs)
{
	struct dt_hent *h = dt_hash_get(&e->by_file, dev, ino);
	struct dt_file *f;

	if (h)
		return &e->files[h->aux];
	if (e->nr_files >= UINT32_MAX)
		return NULL;
	f = grow(e->files, &e->cap_files, e->nr_files + 1, sizeof(*f));
	if (!f)
		return NULL;
	e->files = f;
	if (dt_hash_put(&e->by_file, dev, ino, e, e->nr_files))
		return NULL;
	f = &e->files[e->nr_files++];
	memset(f, 0, sizeof(*f));
	f->dev = dev;
	f->ino = ino;
	f->erofs = erofs;
	return f;
}

static const unsigned char role_of[DT_EV_MAX] = {
	[DT_EV_REQ_START]	= DT_ROLE_REQ,
	[DT_EV_REQ_END]		= DT_ROLE_REQ,
	[DT_EV_DIO_START]	= DT_ROLE_DIO,
	[DT_EV_DIO_END]		= DT_ROLE_DIO,
	[DT_EV_EXTENT]		= DT_ROLE_EXTENT,
	[DT_EV_BACKING_SUBMIT]	= DT_ROLE_BACKING_SUBMIT,
	[DT_EV_BACKING_RET]	= DT_ROLE_BACKING_SUBMIT,
	[DT_EV_BACKING_DONE]	= DT_ROLE_BACKING_DONE,
	[DT_EV_PC_ADD]		= DT_ROLE_PC_ADD,
	[DT_EV_PC_DEL]		= DT_ROLE_PC_DEL,
	[DT_EV_OPEN]		= DT_ROLE_OPEN,
	[DT_EV_REQ_DONE]	= DT_ROLE_REQ_DONE,
};

/* ---- the in-flight table ---- */

static void stamp(struct dt_engine *e, struct dt_rq *rq, const struct dt_event *ev)
{
	if (ev->drops != rq->drops0)
		rq->touched = true;
	if (ev->drops > rq->drops_max)
		rq->drops_max = ev->drops;
}

/* the request tid is inside: the newest of its in-flight ones not yet returned */
static struct dt_rq *open_of_tid(struct dt_engine *e, uint32_t tid)
{
	struct dt_hent *h = dt_hash_get(&e->by_tid, tid, 0);
	struct dt_rq *rq;

	for (rq = h ? h->p : NULL; rq; rq = rq->tid_prev)
		if (!rq->ended && !rq->queued)
			return rq;
	return NULL;
}

static void unlink_tid(struct dt_engine *e, struct dt_rq *rq)
{
	struct dt_hent *h = dt_hash_get(&e->by_tid, rq->tid, 0);
	struct dt_rq **pp;

	if (!h)
		return;
	if (h->p == rq) {
		if (rq->tid_prev)
			h->p = rq->tid_prev;
		else
			dt_hash_del_ent(&e->by_tid, h);
		return;
	}
	for (pp = &((struct dt_rq *)h->p)->tid_prev; *pp; pp = &(*pp)->tid_prev)
		if (*pp == rq) {
			*pp = rq->tid_prev;
			return;
		}
}

static void unlink_cookie(struct dt_engine *e, struct dt_rq *rq)
{
	if (rq->cookie)
		dt_hash_del_if(&e->by_cookie, rq->cookie, 0, rq);
}

/* take rq out of every in-flight index and close it */
static void close_rq(struct dt_engine *e, struct dt_rq *rq, enum dt_gap why)
{
	unsigned int i;

	if (!rq->in_flight)
		return;
	rq->in_flight = false;
	if (!rq->closed_by)
		rq->closed_by = why;
	if (!rq->ended)		/* REQ_END unlinked it already */
		unlink_cookie(e, rq);
	unlink_tid(e, rq);
	for (i = 0; i < rq->nr_bk; i++)	/* a completion removes its own entry */
		if (!rq->bk[i].done_seen)
			dt_hash_del_if(&e->by_bk, rq->bk[i].rq, 0, rq);
	if (rq->lru_prev)
		rq->lru_prev->lru_next = rq->lru_next;
	else
		e->lru_head = rq->lru_next;
	if (rq->lru_next)
		rq->lru_next->lru_prev = rq->lru_prev;
	else
		e->lru_tail = rq->lru_prev;
	rq->lru_prev = rq->lru_next = NULL;
	e->nr_inflight--;
	dt_rq_closed(e, rq);
}

/*
 * A backing read still to be heard of.  One that completed is not, even if
 * its return was not seen: BPF forgets a backing read at its completion, so
 * a completion that beats vfs_iocb_iter_read()'s return leaves no return
 * event to wait for.
 */
static bool pending(const struct dt_bk_rec *b)
{
	return !b->done_seen && (!b->ret_seen || b->ret == -DT_EIOCBQUEUED);
}

static void maybe_close(struct dt_engine *e, struct dt_rq *rq)
{
	unsigned int i;

	if (!rq->ended)
		return;
	for (i = 0; i < rq->nr_bk; i++)
		if (pending(&rq->bk[i]))
			return;
	close_rq(e, rq, DT_GAP_NONE);
}

#define KEEP_CAP	64	/* extents / backing reads a recycled record keeps room for */

void dt_rq_recycle(struct dt_engine *e, struct dt_rq *rq)
{
	if (rq->cap_ext > KEEP_CAP) {	/* one huge read does not pin its arrays */
		free(rq->ext);
		rq->ext = NULL;
		rq->cap_ext = 0;
	}
	if (rq->cap_bk > KEEP_CAP) {
		free(rq->bk);
		rq->bk = NULL;
		rq->cap_bk = 0;
	}
	rq->lru_next = e->free_rq;
	e->free_rq = rq;
}

static struct dt_rq *rq_alloc(struct dt_engine *e)
{
	struct dt_rq *rq = e->free_rq;
	struct dt_ext_rec *ext;
	struct dt_bk_rec *bk;
	unsigned int cap_ext, cap_bk;

	if (!rq)
		return calloc(1, sizeof(*rq));
	e->free_rq = rq->lru_next;
	ext = rq->ext;
	bk = rq->bk;
	cap_ext = rq->cap_ext;
	cap_bk = rq->cap_bk;
	/* the reasons (chk[].why) are written only when formatted */
	memset(rq, 0, offsetof(struct dt_rq, chk));
	memset(&rq->verdict, 0, sizeof(*rq) - offsetof(struct dt_rq, verdict));
	rq->ext = ext;
	rq->bk = bk;
	rq->cap_ext = cap_ext;
	rq->cap_bk = cap_bk;
	return rq;
}

/*
 * A new read on a tid whose older read is still in flight: the older one lost
 * its end (or its completion) if events were dropped since it started (a
 * higher stamp), or, without stamps, if the two are not told apart by their
 * cookies (one task, one syscall at a time).
 */
static void supersede(struct dt_engine *e, const struct dt_event *ev)
{
	struct dt_hent *h = dt_hash_get(&e->by_tid, ev->tid, 0);
	struct dt_rq *rq = h ? h->p : NULL, *prev;

	for (; rq; rq = prev) {
		prev = rq->tid_prev;
		if (e->opts.loss_stamped ? ev->drops == rq->drops0 :
		    rq->ended || (ev->cookie && rq->cookie && ev->cookie != rq->cookie))
			continue;
		inc_sat(&e->st.superseded);
		close_rq(e, rq, DT_GAP_LOST);
	}
}

/* the read in flight with this kiocb cookie, if any */
static struct dt_rq *rq_of_cookie(struct dt_engine *e, uint64_t cookie)
{
	struct dt_hent *h = cookie ? dt_hash_get(&e->by_cookie, cookie, 0) : NULL;

	return h ? h->p : NULL;
}

/*
 * A new read on the kiocb of a queued read whose completion was not seen:
 * the kiocb was completed and reused, so that completion was lost.
 */
static void requeued(struct dt_engine *e, const struct dt_event *ev)
{
	struct dt_rq *rq = rq_of_cookie(e, ev->cookie);

	if (!rq || !rq->queued)
		return;
	inc_sat(&e->st.superseded);
	close_rq(e, rq, DT_GAP_LOST);
}

static int on_req_start(struct dt_engine *e, const struct dt_event *ev)
{
	struct dt_file *f = dt_file_get(e, ev->dev, ev->ino, true);
	struct dt_hent *h;
	struct dt_rq *rq;

	if (!f)
		return -ENOMEM;
	supersede(e, ev);
	requeued(e, ev);
	if (e->nr_inflight >= e->opts.max_inflight) {
		/* the oldest goes: closed INCONCLUSIVE, counted */
		inc_sat(&e->st.untracked);
		inc_sat(&e->files[e->lru_head->file].untracked);
		close_rq(e, e->lru_head, DT_GAP_UNTRACKED);
		f = dt_file_get(e, ev->dev, ev->ino, true);
	}
	rq = rq_alloc(e);
	if (!rq)
		return -ENOMEM;
	rq->id = ++e->next_id;
	rq->file = (uint32_t)(f - e->files);
	rq->cookie = ev->cookie;
	rq->start_cookie = !!ev->cookie;
	rq->pid = ev->pid;
	rq->tid = ev->tid;
	memcpy(rq->comm, ev->comm, sizeof(rq->comm));
	rq->source = ev->source;
	rq->dev = ev->dev;
	rq->ino = ev->ino;
	rq->pos = ev->req.pos;
	rq->len = ev->req.len;
	rq->isize = ev->req.isize;
	rq->flags = ev->req.flags;
	rq->fd = ev->req.fd;
	rq->bufmis = ev->req.bufmis;
	rq->ts_start = ev->ts_ns;
	rq->direct = !!(ev->req.flags & DT_IOCB_DIRECT);
	rq->drops0 = rq->drops_max = ev->drops;
	if (rq->cookie && dt_hash_put(&e->by_cookie, rq->cookie, 0, rq, 0))
		goto nomem;
	h = dt_hash_get(&e->by_tid, rq->tid, 0);
	rq->tid_prev = h ? h->p : NULL;
	if (dt_hash_put(&e->by_tid, rq->tid, 0, rq, 0)) {
		unlink_cookie(e, rq);
		goto nomem;
	}
	rq->in_flight = true;
	rq->lru_prev = e->lru_tail;
	if (e->lru_tail)
		e->lru_tail->lru_next = rq;
	else
		e->lru_head = rq;
	e->lru_tail = rq;
	e->nr_inflight++;
	return 0;
nomem:
	dt_rq_recycle(e, rq);
	return -ENOMEM;
}

/* the read is over: returned, or completed through ki_complete() */
static void finish(struct dt_engine *e, struct dt_rq *rq)
{
	rq->ended = true;
	if ((rq->flags & DT_IOCB_DIRECT) && rq->l.returned > 0)
		inc_sat(&e->direct_ok);
	if ((rq->flags & DT_IOCB_NOWAIT) && rq->l.returned == -EAGAIN)
		inc_sat(&e->st.declined);
	unlink_cookie(e, rq);	/* the kiocb may be reused by the next read */
	maybe_close(e, rq);
}

static void on_req_end(struct dt_engine *e, struct dt_rq *rq, const struct dt_event *ev, bool weak)
{
	rq->ts_end = ev->ts_ns;
	rq->weak_end = weak;
	rq->end_by_cookie = !weak;
	if (!rq->isize || rq->isize == DT_UNKNOWN)
		rq->isize = ev->req.isize ? ev->req.isize : rq->isize;
	if (ev->req.ret == -DT_EIOCBQUEUED) {
		/* its thread is out of it: what follows comes by cookie */
		rq->queued = true;
		inc_sat(&e->st.queued_reqs);
		unlink_tid(e, rq);
		if (!rq->completed)
			return;
		rq->l.returned = rq->completion;
	} else {
		rq->l.returned = ev->req.ret;
		rq->double_done = rq->completed;
	}
	finish(e, rq);
}

/* the user kiocb's ki_complete(): only a read in flight with that cookie */
static void on_req_done(struct dt_engine *e, const struct dt_event *ev, bool *claimed)
{
	struct dt_rq *rq = rq_of_cookie(e, ev->cookie);

	if (!rq || rq->completed)
		return;
	*claimed = true;
	stamp(e, rq, ev);
	rq->completed = true;
	rq->completion = ev->req.ret;
	rq->ts_done = ev->ts_ns;
	inc_sat(&e->st.completions);
	if (!rq->queued)
		return;		/* before read_iter's return: on_req_end() decides */
	rq->l.returned = rq->completion;
	finish(e, rq);
}

static int on_dio(struct dt_engine *e, struct dt_rq *rq, const struct dt_event *ev)
{
	rq->direct = true;
	if (ev->type == DT_EV_DIO_START) {
		rq->dio_seen = true;
		rq->dio_in = ev->dio;
	} else {
		rq->dio_ended = true;
		rq->dio_out = ev->dio;
	}
	if (!rq->cookie && ev->cookie) {
		rq->cookie = ev->cookie;
		return dt_hash_put(&e->by_cookie, rq->cookie, 0, rq, 0);
	}
	return 0;
}

static int on_extent(struct dt_rq *rq, const struct dt_event *ev)
{
	struct dt_ext_rec *x;
	size_t cap = rq->cap_ext;

	x = grow(rq->ext, &cap, rq->nr_ext + 1, sizeof(*x));
	if (!x)
		return -ENOMEM;
	rq->ext = x;
	rq->cap_ext = cap;
	x = &rq->ext[rq->nr_ext++];
	x->m_la = ev->ext.m_la;
	x->m_pa = ev->ext.m_pa;
	x->m_llen = ev->ext.m_llen;
	x->m_plen = ev->ext.m_plen;
	x->m_flags = ev->ext.m_flags;
	x->m_deviceid = ev->ext.m_deviceid;
	x->err = ev->ext.err;
	return 0;
}

static int on_bk_submit(struct dt_engine *e, struct dt_rq *rq, const struct dt_event *ev)
{
	struct dt_file *f = dt_file_get(e, ev->dev, ev->ino, false);
	struct dt_bk_rec *b;
	size_t cap = rq->cap_bk;

	if (!f)
		return -ENOMEM;
	b = grow(rq->bk, &cap, rq->nr_bk + 1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	rq->bk = b;
	rq->cap_bk = cap;
	if (dt_hash_put(&e->by_bk, ev->bk.rq, 0, rq, rq->nr_bk))
		return -ENOMEM;
	b = &rq->bk[rq->nr_bk++];
	memset(b, 0, sizeof(*b));
	b->rq = ev->bk.rq;
	b->dev = ev->dev;
	b->ino = ev->ino;
	b->pos = ev->bk.pos;
	b->len = ev->bk.len;
	b->flags = ev->bk.flags;
	b->expect_pos = -1;
	b->after_dio = rq->dio_ended;
	inc_sat(&f->bk_reads);
	f->bk_bytes = add_sat(f->bk_bytes, ev->bk.len);
	return 0;
}

/* the backing read at address addr, if a request in flight owns it */
static struct dt_bk_rec *find_bk(struct dt_engine *e, uint64_t addr, struct dt_rq **rqp)
{
	struct dt_hent *h = dt_hash_get(&e->by_bk, addr, 0);
	struct dt_rq *rq;

	if (!h)
		return NULL;
	rq = h->p;
	if (h->aux >= rq->nr_bk || rq->bk[h->aux].rq != addr)
		return NULL;
	*rqp = rq;
	return &rq->bk[h->aux];
}

static void on_bk_ret(struct dt_engine *e, const struct dt_event *ev, bool *claimed)
{
	struct dt_rq *rq;
	struct dt_bk_rec *b = find_bk(e, ev->bk.rq, &rq);

	if (!b || b->ret_seen)
		return;
	*claimed = true;
	stamp(e, rq, ev);
	b->ret_seen = true;
	b->ret = ev->bk.ret;
	if (b->ret == -DT_EIOCBQUEUED)
		inc_sat(&e->st.queued_returns);
	maybe_close(e, rq);
}

/*
 * A completion is late if the read it belongs to was over: it had returned
 * (a synchronous read), or was completed (a queued one), or its DIO had
 * returned a result while the read was still to be filled.
 */
static bool late(const struct dt_rq *rq, const struct dt_bk_rec *b)
{
	if (rq->completed || (rq->ended && !rq->queued))
		return true;
	return rq->dio_ended && !b->after_dio && rq->dio_out.ret != -DT_EIOCBQUEUED;
}

static void on_bk_done(struct dt_engine *e, const struct dt_event *ev, bool *claimed)
{
	struct dt_rq *rq;
	struct dt_bk_rec *b = find_bk(e, ev->bk.rq, &rq);

	if (!b || b->done_seen)
		return;
	*claimed = true;
	stamp(e, rq, ev);
	b->done_seen = true;
	b->result = ev->bk.ret;
	b->done_tid = ev->tid;
	if (late(rq, b))
		b->late = true;
	dt_hash_del_if(&e->by_bk, ev->bk.rq, 0, rq);	/* the address may be reused */
	maybe_close(e, rq);
}

static int on_pc(struct dt_engine *e, struct dt_rq *rq, const struct dt_event *ev)
{
	uint64_t bytes = (uint64_t)ev->pc.nr_pages * e->opts.page_size;
	struct dt_file *f = dt_file_get(e, ev->dev, ev->ino, ev->pc.is_erofs);

	if (!f)
		return -ENOMEM;
	if (ev->type == DT_EV_PC_DEL) {
		f->pc_deleted = add_sat(f->pc_deleted, bytes);
		return 0;
	}
	/* an EROFS insert belongs to the read only if it is the same inode */
	if (rq && ev->pc.is_erofs && (rq->dev != ev->dev || rq->ino != ev->ino))
		rq = NULL;
	if (!rq) {
		f->pc_outside = add_sat(f->pc_outside, bytes);
		inc_sat(&e->st.orphans[ev->type]);
		return 0;
	}
	stamp(e, rq, ev);
	rq->weak_any = true;
	f->pc_in_reads = add_sat(f->pc_in_reads, bytes);
	if (ev->pc.is_erofs)
		rq->l.erofs_pc_bytes = add_sat(rq->l.erofs_pc_bytes, bytes);
	else
		rq->l.backing_pc_bytes = add_sat(rq->l.backing_pc_bytes, bytes);
	return 0;
}

static int on_open(struct dt_engine *e, const struct dt_event *ev)
{
	struct dt_open_rec *o;

	if (!ev->dev && !ev->ino)
		return 0;	/* not on EROFS */
	inc_sat(&e->st.erofs_opens);
	if (!(ev->open.flags & DT_O_DIRECT) || ev->open.ret != -EINVAL)
		return 0;
	inc_sat(&e->st.refused_opens);
	if (e->nr_opens >= DT_MAX_OPENS)
		return 0;
	o = grow(e->opens, &e->cap_opens, e->nr_opens + 1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	e->opens = o;
	o = &e->opens[e->nr_opens++];
	o->dev = ev->dev;
	o->ino = ev->ino;
	o->pid = ev->pid;
	o->tid = ev->tid;
	o->ret = ev->open.ret;
	o->flags = ev->open.flags;
	memcpy(o->comm, ev->comm, sizeof(o->comm));
	memcpy(o->path, ev->open.path, sizeof(o->path));
	o->path[DT_PATH_MAX - 1] = '\0';
	return 0;
}

/*
 * The request an event belongs to: by its cookie (proof), else by the task
 * inside a read (*weak).  An event with a cookie never joins a request with
 * another cookie; an EXTENT or DIO of another inode never joins at all.
 */
static struct dt_rq *claim(struct dt_engine *e, const struct dt_event *ev, bool *weak)
{
	struct dt_rq *rq = rq_of_cookie(e, ev->cookie);

	*weak = false;
	if (rq)
		return rq;
	rq = open_of_tid(e, ev->tid);
	if (!rq)
		return NULL;
	if (ev->cookie && rq->cookie && ev->cookie != rq->cookie)
		return NULL;
	if ((ev->type == DT_EV_EXTENT || ev->type == DT_EV_DIO_START || ev->type == DT_EV_DIO_END) &&
	    (ev->dev || ev->ino) && (ev->dev != rq->dev || ev->ino != rq->ino))
		return NULL;
	*weak = true;
	return rq;
}

static int process(struct dt_engine *e, const struct dt_event *ev)
{
	bool weak = false, claimed = false;
	struct dt_rq *rq;
	int err = 0;

	switch (ev->type) {
	case DT_EV_REQ_START:
		return on_req_start(e, ev);
	case DT_EV_BACKING_RET:
		on_bk_ret(e, ev, &claimed);
		break;
	case DT_EV_BACKING_DONE:
		on_bk_done(e, ev, &claimed);
		break;
	case DT_EV_REQ_DONE:
		on_req_done(e, ev, &claimed);
		break;
	case DT_EV_OPEN:
		return on_open(e, ev);
	case DT_EV_PC_DEL:
		return on_pc(e, NULL, ev);
	case DT_EV_PC_ADD:
		return on_pc(e, open_of_tid(e, ev->tid), ev);
	default:
		rq = claim(e, ev, &weak);
		if (!rq)
			break;
		claimed = true;
		stamp(e, rq, ev);
		rq->weak_any |= weak;
		if (ev->type == DT_EV_REQ_END)
			on_req_end(e, rq, ev, weak);
		else if (ev->type == DT_EV_EXTENT)
			err = on_extent(rq, ev);
		else if (ev->type == DT_EV_BACKING_SUBMIT)
			err = on_bk_submit(e, rq, ev);
		else
			err = on_dio(e, rq, ev);
	}
	if (!claimed)
		inc_sat(&e->st.orphans[ev->type]);
	return err;
}

/* ---- reorder: FIFO for events in order, heap for the rest ---- */

static bool ent_less(const struct dt_heap_ent *a, const struct dt_heap_ent *b)
{
	return a->ev.ts_ns < b->ev.ts_ns || (a->ev.ts_ns == b->ev.ts_ns && a->seq < b->seq);
}

static void heap_swap(struct dt_heap_ent *a, struct dt_heap_ent *b)
{
	struct dt_heap_ent t = *a;

	*a = *b;
	*b = t;
}

static int heap_push(struct dt_engine *e, const struct dt_event *ev, uint64_t seq)
{
	struct dt_heap_ent *h;
	size_t i;

	h = grow(e->heap, &e->cap_heap, e->nr_heap + 1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	e->heap = h;
	i = e->nr_heap++;
	h[i].seq = seq;
	h[i].ev = *ev;
	while (i && ent_less(&h[i], &h[(i - 1) / 2])) {
		heap_swap(&h[i], &h[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	return 0;
}

static void heap_pop(struct dt_engine *e)
{
	struct dt_heap_ent *h = e->heap;
	size_t i = 0, n;

	h[0] = h[--e->nr_heap];
	n = e->nr_heap;
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < n && ent_less(&h[l], &h[m]))
			m = l;
		if (r < n && ent_less(&h[r], &h[m]))
			m = r;
		if (m == i)
			break;
		heap_swap(&h[i], &h[m]);
		i = m;
	}
}

static struct dt_heap_ent *fifo_at(const struct dt_engine *e, size_t i)
{
	return &e->fifo[(e->fifo_head + i) & (e->fifo_cap - 1)];
}

/* double the ring, unrolling it (apart: the common path stays small) */
static __attribute__((noinline)) int fifo_grow(struct dt_engine *e)
{
	size_t cap = e->fifo_cap ? e->fifo_cap * 2 : 256, i;
	struct dt_heap_ent *n = malloc(cap * sizeof(*n));

	if (!n)
		return -ENOMEM;
	for (i = 0; i < e->fifo_n; i++)
		n[i] = *fifo_at(e, i);
	free(e->fifo);
	e->fifo = n;
	e->fifo_cap = cap;
	e->fifo_head = 0;
	return 0;
}

static inline int fifo_push(struct dt_engine *e, const struct dt_event *ev, uint64_t seq)
{
	struct dt_heap_ent *x;

	if (e->fifo_n == e->fifo_cap && fifo_grow(e))
		return -ENOMEM;
	x = fifo_at(e, e->fifo_n++);
	x->seq = seq;
	x->ev = *ev;
	return 0;
}

static int drain(struct dt_engine *e, bool all)
{
	/* events at or before limit are out of the reorder window */
	uint64_t limit = e->max_ts > e->opts.reorder_ns ? e->max_ts - e->opts.reorder_ns - 1 : 0;

	if (!all && e->max_ts <= e->opts.reorder_ns && e->fifo_n + e->nr_heap <= e->opts.reorder_max)
		return 0;
	while (e->fifo_n || e->nr_heap) {
		struct dt_heap_ent *f = e->fifo_n ? &e->fifo[e->fifo_head] : NULL;
		bool from_heap = !f || (e->nr_heap && ent_less(&e->heap[0], f));
		struct dt_heap_ent *x = from_heap ? &e->heap[0] : f;
		int err;

		if (!all && x->ev.ts_ns > limit && e->fifo_n + e->nr_heap <= e->opts.reorder_max)
			break;
		err = process(e, &x->ev);
		if (from_heap) {
			heap_pop(e);
		} else {
			e->fifo_head = (e->fifo_head + 1) & (e->fifo_cap - 1);
			e->fifo_n--;
		}
		if (err)
			return err;
	}
	return 0;
}

int dt_engine_feed_drain(struct dt_engine *e)
{
	return drain(e, true);
}

int dt_engine_feed(struct dt_engine *e, const struct dt_event *ev)
{
	uint64_t seq;
	int err;

	if (e->finished)
		return -EINVAL;
	inc_sat(&e->st.events);
	if (ev->version != DT_EVENT_VERSION || !ev->type || ev->type >= DT_EV_MAX) {
		inc_sat(&e->st.bad_events);
		return -EINVAL;
	}
	inc_sat(&e->st.role_events[role_of[ev->type]]);
	seq = e->seq++;
	if (ev->ts_ns < e->max_ts) {
		inc_sat(&e->st.reordered);
		err = e->fifo_n && ev->ts_ns >= fifo_at(e, e->fifo_n - 1)->ev.ts_ns ?
		      fifo_push(e, ev, seq) : heap_push(e, ev, seq);
	} else {
		e->max_ts = ev->ts_ns;
		err = fifo_push(e, ev, seq);
	}
	if (err)
		return err;
	return drain(e, false);
}

/* close what is still in flight, oldest first: unfinished, or pending */
void dt_engine_close_all(struct dt_engine *e)
{
	while (e->lru_head)
		close_rq(e, e->lru_head, e->lru_head->ended ? DT_GAP_NONE : DT_GAP_UNFINISHED);
}
