// SPDX-License-Identifier: GPL-2.0-only
/*
 * The correlation engine: events in, one record per user read request out.
 *
 * Events from several CPUs may arrive slightly out of order, so they pass
 * through a small reorder heap first (sorted on ts within opts.reorder_ns).
 * A request opens at REQ_START and is found again by its kiocb cookie, or,
 * without one, by the task that is inside it (a task is in one read at a
 * time).  Backing-read completions come from any context and are linked by
 * the erofs_fileio_rq address (bk.rq).  A request closes when it has returned
 * and none of its backing reads is still pending; then ledger.c checks it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "engine_int.h"

#define DEF_MAX_INFLIGHT	1024
#define DEF_REORDER_NS		10000000ull
#define DEF_REORDER_MAX		65536

struct dt_heap_ent {
	uint64_t ts, seq;
	struct dt_event ev;
};

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
	e->inflight = calloc(e->opts.max_inflight, sizeof(*e->inflight));
	if (!e->inflight) {
		free(e);
		return NULL;
	}
	return e;
}

static void rq_free(struct dt_rq *rq)
{
	if (!rq)
		return;
	free(rq->ext);
	free(rq->bk);
	free(rq);
}

void dt_engine_free(struct dt_engine *e)
{
	size_t i;

	if (!e)
		return;
	for (i = 0; i < e->nr_inflight; i++)
		rq_free(e->inflight[i]);
	for (i = 0; i < e->nr_closed; i++)
		rq_free(e->closed[i]);
	for (i = 0; i < e->nr_notes; i++)
		free(e->notes[i]);
	for (i = 0; i < e->nr_reasons; i++)
		free(e->reasons[i]);
	free(e->inflight);
	free(e->closed);
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
	struct dt_file *f;
	size_t i;

	for (i = e->nr_files; i-- > 0;)
		if (e->files[i].dev == dev && e->files[i].ino == ino)
			return &e->files[i];
	f = grow(e->files, &e->cap_files, e->nr_files + 1, sizeof(*f));
	if (!f)
		return NULL;
	e->files = f;
	f = &e->files[e->nr_files++];
	memset(f, 0, sizeof(*f));
	f->dev = dev;
	f->ino = ino;
	f->erofs = erofs;
	return f;
}

static enum dt_role role_of(unsigned int type)
{
	switch (type) {
	case DT_EV_REQ_START:
	case DT_EV_REQ_END:		return DT_ROLE_REQ;
	case DT_EV_DIO_START:
	case DT_EV_DIO_END:		return DT_ROLE_DIO;
	case DT_EV_EXTENT:		return DT_ROLE_EXTENT;
	case DT_EV_BACKING_SUBMIT:
	case DT_EV_BACKING_RET:		return DT_ROLE_BACKING_SUBMIT;
	case DT_EV_BACKING_DONE:	return DT_ROLE_BACKING_DONE;
	case DT_EV_PC_ADD:		return DT_ROLE_PC_ADD;
	case DT_EV_PC_DEL:		return DT_ROLE_PC_DEL;
	default:			return DT_ROLE_OPEN;
	}
}

/* ---- the in-flight table ---- */

static struct dt_rq *find_open(struct dt_engine *e, const struct dt_event *ev)
{
	size_t i;

	if (ev->cookie)
		for (i = e->nr_inflight; i-- > 0;)
			if (!e->inflight[i]->ended && e->inflight[i]->cookie == ev->cookie)
				return e->inflight[i];
	for (i = e->nr_inflight; i-- > 0;)
		if (!e->inflight[i]->ended && e->inflight[i]->tid == ev->tid)
			return e->inflight[i];
	return NULL;
}

static int close_rq(struct dt_engine *e, size_t slot)
{
	struct dt_rq *rq = e->inflight[slot];
	struct dt_rq **c;

	c = grow(e->closed, &e->cap_closed, e->nr_closed + 1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	e->closed = c;
	memmove(&e->inflight[slot], &e->inflight[slot + 1],
		(e->nr_inflight - slot - 1) * sizeof(*e->inflight));
	e->nr_inflight--;
	e->closed[e->nr_closed++] = rq;
	return 0;
}

static unsigned int pending_reads(const struct dt_rq *rq)
{
	unsigned int i, n = 0;

	for (i = 0; i < rq->nr_bk; i++) {
		const struct dt_bk_rec *b = &rq->bk[i];

		if (b->done_seen)
			continue;
		if (b->ret_seen && b->ret != -DT_EIOCBQUEUED)
			continue;
		n++;
	}
	return n;
}

static int maybe_close(struct dt_engine *e, struct dt_rq *rq)
{
	size_t i;

	if (!rq->ended || pending_reads(rq))
		return 0;
	for (i = 0; i < e->nr_inflight; i++)
		if (e->inflight[i] == rq)
			return close_rq(e, i);
	return 0;
}

/* ---- one handler per event type ---- */

static int on_req_start(struct dt_engine *e, const struct dt_event *ev)
{
	struct dt_file *f = dt_file_get(e, ev->dev, ev->ino, true);
	struct dt_rq *rq;

	if (!f)
		return -ENOMEM;
	if (e->nr_inflight >= e->opts.max_inflight) {
		e->st.untracked++;
		f->untracked++;
		return 0;
	}
	rq = calloc(1, sizeof(*rq));
	if (!rq)
		return -ENOMEM;
	rq->id = ++e->next_id;
	rq->cookie = ev->cookie;
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
	rq->ts_start = ev->ts_ns;
	rq->direct = !!(ev->req.flags & DT_IOCB_DIRECT);
	e->inflight[e->nr_inflight++] = rq;
	return 0;
}

static int on_req_end(struct dt_engine *e, struct dt_rq *rq, const struct dt_event *ev)
{
	rq->ended = true;
	rq->ts_end = ev->ts_ns;
	rq->l.returned = ev->req.ret;
	if (!rq->isize || rq->isize == DT_UNKNOWN)
		rq->isize = ev->req.isize ? ev->req.isize : rq->isize;
	return maybe_close(e, rq);
}

static void on_dio(struct dt_rq *rq, const struct dt_event *ev)
{
	rq->direct = true;
	if (ev->type == DT_EV_DIO_START) {
		rq->dio_seen = true;
		rq->dio_in = ev->dio;
	} else {
		rq->dio_ended = true;
		rq->dio_out = ev->dio;
	}
	if (!rq->cookie)
		rq->cookie = ev->cookie;
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

	b = grow(rq->bk, &cap, rq->nr_bk + 1, sizeof(*b));
	if (!b || !f)
		return -ENOMEM;
	rq->bk = b;
	rq->cap_bk = cap;
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
	f->bk_reads++;
	f->bk_bytes += ev->bk.len;
	return 0;
}

static struct dt_bk_rec *find_bk(struct dt_rq *rq, uint64_t addr, bool want_ret)
{
	unsigned int i;

	for (i = rq->nr_bk; i-- > 0;) {
		struct dt_bk_rec *b = &rq->bk[i];

		if (b->rq != addr)
			continue;
		if (want_ret ? !b->ret_seen : !b->done_seen)
			return b;
	}
	return NULL;
}

static int on_bk_ret(struct dt_engine *e, struct dt_rq *rq, const struct dt_event *ev)
{
	struct dt_bk_rec *b = find_bk(rq, ev->bk.rq, true);

	if (!b) {
		e->st.orphans[ev->type]++;
		return 0;
	}
	b->ret_seen = true;
	b->ret = ev->bk.ret;
	return 0;
}

static int on_bk_done(struct dt_engine *e, const struct dt_event *ev)
{
	struct dt_bk_rec *b = NULL;
	struct dt_rq *rq = NULL;
	size_t i;

	for (i = e->nr_inflight; i-- > 0 && !b;) {
		rq = e->inflight[i];
		b = find_bk(rq, ev->bk.rq, false);
	}
	if (!b) {
		e->st.orphans[ev->type]++;
		return 0;
	}
	b->done_seen = true;
	b->result = ev->bk.ret;
	b->done_tid = ev->tid;
	if (rq->ended || (rq->dio_ended && !b->after_dio))
		b->late = true;
	return maybe_close(e, rq);
}

static void on_pc(struct dt_engine *e, struct dt_rq *rq, const struct dt_event *ev)
{
	uint64_t bytes = (uint64_t)ev->pc.nr_pages * e->opts.page_size;
	struct dt_file *f = dt_file_get(e, ev->dev, ev->ino, ev->pc.is_erofs);

	if (!f)
		return;
	if (ev->type == DT_EV_PC_DEL) {
		f->pc_deleted += bytes;
		return;
	}
	/* an EROFS insert belongs to the read only if it is the same inode */
	if (rq && ev->pc.is_erofs && (rq->dev != ev->dev || rq->ino != ev->ino))
		rq = NULL;
	if (!rq) {
		f->pc_outside += bytes;
		e->st.orphans[ev->type]++;
		return;
	}
	f->pc_in_reads += bytes;
	if (ev->pc.is_erofs)
		rq->l.erofs_pc_bytes += bytes;
	else
		rq->l.backing_pc_bytes += bytes;
}

static int on_open(struct dt_engine *e, const struct dt_event *ev)
{
	struct dt_open_rec *o;

	if (!ev->dev && !ev->ino)
		return 0;	/* not on EROFS */
	e->st.erofs_opens++;
	if (!(ev->open.flags & DT_O_DIRECT) || ev->open.ret != -EINVAL)
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
	e->st.refused_opens++;
	return 0;
}

/* belongs to a request of this task; an EXTENT of another inode does not */
static struct dt_rq *claim(struct dt_engine *e, const struct dt_event *ev)
{
	struct dt_rq *rq = find_open(e, ev);

	if (rq && ev->type == DT_EV_EXTENT && (ev->dev || ev->ino) &&
	    (ev->dev != rq->dev || ev->ino != rq->ino))
		rq = NULL;
	if (!rq && ev->type != DT_EV_PC_ADD)
		e->st.orphans[ev->type]++;
	return rq;
}

static int process(struct dt_engine *e, const struct dt_event *ev)
{
	struct dt_rq *rq;

	if (ev->type == DT_EV_REQ_START)
		return on_req_start(e, ev);
	if (ev->type == DT_EV_BACKING_DONE)
		return on_bk_done(e, ev);
	if (ev->type == DT_EV_OPEN)
		return on_open(e, ev);
	if (ev->type == DT_EV_PC_DEL) {
		on_pc(e, NULL, ev);
		return 0;
	}
	rq = claim(e, ev);
	if (ev->type == DT_EV_PC_ADD) {
		on_pc(e, rq, ev);
		return 0;
	}
	if (!rq)
		return 0;
	switch (ev->type) {
	case DT_EV_REQ_END:
		return on_req_end(e, rq, ev);
	case DT_EV_DIO_START:
	case DT_EV_DIO_END:
		on_dio(rq, ev);
		return 0;
	case DT_EV_EXTENT:
		return on_extent(rq, ev);
	case DT_EV_BACKING_SUBMIT:
		return on_bk_submit(e, rq, ev);
	case DT_EV_BACKING_RET:
		return on_bk_ret(e, rq, ev);
	}
	return 0;
}

/* ---- reorder heap ---- */

static bool heap_less(const struct dt_heap_ent *a, const struct dt_heap_ent *b)
{
	return a->ts < b->ts || (a->ts == b->ts && a->seq < b->seq);
}

static void heap_swap(struct dt_heap_ent *a, struct dt_heap_ent *b)
{
	struct dt_heap_ent t = *a;

	*a = *b;
	*b = t;
}

static int heap_push(struct dt_engine *e, const struct dt_event *ev)
{
	struct dt_heap_ent *h;
	size_t i;

	h = grow(e->heap, &e->cap_heap, e->nr_heap + 1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	e->heap = h;
	i = e->nr_heap++;
	h[i].ts = ev->ts_ns;
	h[i].seq = e->seq++;
	h[i].ev = *ev;
	while (i && heap_less(&h[i], &h[(i - 1) / 2])) {
		heap_swap(&h[i], &h[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	return 0;
}

static void heap_pop(struct dt_engine *e, struct dt_event *out)
{
	struct dt_heap_ent *h = e->heap;
	size_t i = 0, n;

	*out = h[0].ev;
	h[0] = h[--e->nr_heap];
	n = e->nr_heap;
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < n && heap_less(&h[l], &h[m]))
			m = l;
		if (r < n && heap_less(&h[r], &h[m]))
			m = r;
		if (m == i)
			break;
		heap_swap(&h[i], &h[m]);
		i = m;
	}
}

static int drain(struct dt_engine *e, bool all)
{
	struct dt_event ev;
	int err;

	while (e->nr_heap) {
		bool old = e->heap[0].ts + e->opts.reorder_ns < e->max_ts;

		if (!all && !old && e->nr_heap <= e->opts.reorder_max)
			break;
		heap_pop(e, &ev);
		err = process(e, &ev);
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
	int err;

	if (e->finished)
		return -EINVAL;
	e->st.events++;
	if (ev->version != DT_EVENT_VERSION || !ev->type || ev->type >= DT_EV_MAX) {
		e->st.bad_events++;
		return -EINVAL;
	}
	e->st.role_events[role_of(ev->type)]++;
	if (ev->ts_ns < e->max_ts)
		e->st.reordered++;
	else
		e->max_ts = ev->ts_ns;
	err = heap_push(e, ev);
	if (err)
		return err;
	return drain(e, false);
}

/* ---- evidence problems ---- */

void dt_engine_note_lost(struct dt_engine *e, uint64_t lost)
{
	e->st.lost += lost;
}

void dt_engine_note_unbound(struct dt_engine *e, enum dt_role role, const char *why)
{
	if (role >= DT_ROLE_MAX)
		return;
	e->roles[role].unbound = true;
	snprintf(e->roles[role].why, sizeof(e->roles[role].why), "%s",
		 why && *why ? why : "no program could be attached");
}

void dt_engine_note_bound(struct dt_engine *e, enum dt_role role, const char *how)
{
	if (role >= DT_ROLE_MAX || !how)
		return;
	snprintf(e->roles[role].how, sizeof(e->roles[role].how), "%s", how);
}

void dt_engine_note_counters(struct dt_engine *e, const uint64_t cnt[DT_CNT_MAX])
{
	unsigned int i;

	/* cumulative: a snapshot never takes a counter back */
	for (i = 0; i < DT_CNT_MAX; i++)
		if (cnt[i] > e->cnt[i])
			e->cnt[i] = cnt[i];
	e->have_cnt = true;
	if (e->cnt[DT_CNT_RB_DROPPED] > e->st.lost)
		e->st.lost = e->cnt[DT_CNT_RB_DROPPED];
}

void dt_engine_note_pc_outside(struct dt_engine *e, uint64_t dev, uint64_t ino, bool erofs,
			       uint64_t added, uint64_t deleted)
{
	struct dt_file *f = dt_file_get(e, dev, ino, erofs);

	if (!f)
		return;
	f->pc_outside += added;
	f->pc_deleted += deleted;
}

void dt_engine_note_truncated(struct dt_engine *e, const char *where)
{
	char why[160];

	snprintf(why, sizeof(why), "record truncated at %s", where ? where : "an unknown offset");
	dt_engine_note_inconclusive(e, why);
}

void dt_engine_note_inconclusive(struct dt_engine *e, const char *why)
{
	if (e->nr_notes >= DT_MAX_REASONS)
		return;
	e->notes[e->nr_notes] = strdup(why ? why : "unspecified");
	if (e->notes[e->nr_notes])
		e->nr_notes++;
}

/* ---- accessors ---- */

size_t dt_engine_nr_requests(const struct dt_engine *e)
{
	return e->nr_closed;
}

const struct dt_rq *dt_engine_request(const struct dt_engine *e, size_t i)
{
	return i < e->nr_closed ? e->closed[i] : NULL;
}

size_t dt_engine_nr_files(const struct dt_engine *e)
{
	return e->nr_files;
}

const struct dt_file *dt_engine_file(const struct dt_engine *e, size_t i)
{
	return i < e->nr_files ? &e->files[i] : NULL;
}

const struct dt_stats *dt_engine_stats(const struct dt_engine *e)
{
	return &e->st;
}

const char *dt_engine_reason(const struct dt_engine *e, size_t i)
{
	return i < e->nr_reasons ? e->reasons[i] : NULL;
}

enum dt_verdict dt_engine_verdict(const struct dt_engine *e)
{
	return e->finished ? e->verdict : DT_INCONCLUSIVE;
}
