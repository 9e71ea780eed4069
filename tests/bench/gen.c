// SPDX-License-Identifier: GPL-2.0-only
/*
 * The synthetic stream (see gen.h): reads are built four at a time, one per
 * thread, each into its own list of events in program order; the lists are
 * then drained in a random interleaving with a rising timestamp, so events
 * of concurrent reads mix as they do on a real machine.
 */
#include <stdbool.h>
#include <string.h>
#include "gen.h"

#define KIB		1024ull
#define EIO_		5
#define EIOCBQUEUED_	529
#define COOKIE_BASE	0xffffc90000000000ull
#define RQ_BASE		0xffff888000000000ull

enum kind { K_HIT, K_MISS, K_DIRECT, K_ASYNC, K_BAD_OFFSET, K_SHORT_EIO, K_LATE };

struct rd {			/* one read being built */
	unsigned int t;		/* thread */
	uint64_t ino, isize, base, pos, len, cookie, rq;
};

static uint64_t rnd(struct bgen *g)
{
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return g->rng * 0x2545f4914f6cdd1dull;
}

void bgen_init(struct bgen *g, uint64_t nreq, uint64_t nfiles, uint64_t fail_every,
	       uint64_t seed)
{
	memset(g, 0, sizeof(*g));
	g->nreq = nreq;
	g->nfiles = nfiles ? nfiles : 1;
	g->fail_every = fail_every;
	g->rng = seed ? seed : 0x9e3779b97f4a7c15ull;
	g->ts = 1000000;
}

static struct dt_event *add(struct bgen_list *l, const struct rd *r, unsigned int type,
			    unsigned int src, bool backing)
{
	struct dt_event *ev = &l->ev[l->n++];

	memset(ev, 0, sizeof(*ev));
	ev->version = DT_EVENT_VERSION;
	ev->type = type;
	ev->source = src;
	ev->cpu = r->t;
	ev->pid = ev->tid = 1000 + r->t;
	memcpy(ev->comm, "fio", 4);
	ev->dev = backing ? BGEN_IMG_DEV : BGEN_EROFS_DEV;
	ev->ino = backing ? BGEN_IMG_INO : r->ino;
	if (!backing && type != DT_EV_EXTENT && type != DT_EV_PC_ADD)
		ev->cookie = r->cookie;
	return ev;
}

static void req(struct bgen_list *l, const struct rd *r, bool direct, int64_t ret)
{
	struct dt_event *ev = add(l, r, ret == INT64_MIN ? DT_EV_REQ_START : DT_EV_REQ_END,
				  DT_SRC_FENTRY, false);

	ev->req.pos = r->pos;
	ev->req.len = r->len;
	ev->req.isize = r->isize;
	ev->req.flags = direct ? DT_IOCB_DIRECT : 0;
	ev->req.fd = ~0u;
	if (ret != INT64_MIN)
		ev->req.ret = ret;
}

static void dio(struct bgen_list *l, const struct rd *r, int64_t ret)
{
	struct dt_event *ev = add(l, r, ret == INT64_MIN ? DT_EV_DIO_START : DT_EV_DIO_END,
				  DT_SRC_FENTRY, false);

	ev->dio.pos = r->pos;
	ev->dio.count = r->len;
	ev->dio.total = ev->dio.done = UINT64_MAX;	/* not readable: "?" */
	ev->dio.isize = r->isize;
	if (ret != INT64_MIN)
		ev->dio.ret = ret;
}

static void extent(struct bgen_list *l, const struct rd *r)
{
	struct dt_event *ev = add(l, r, DT_EV_EXTENT, DT_SRC_TRACEPOINT, false);

	ev->ext.m_la = 0;
	ev->ext.m_pa = r->base;
	ev->ext.m_llen = ev->ext.m_plen = r->isize;
	ev->ext.m_flags = DT_MAP_MAPPED;
}

static void pc_add(struct bgen_list *l, const struct rd *r, bool backing, uint64_t off,
		   uint64_t len)
{
	struct dt_event *ev = add(l, r, DT_EV_PC_ADD, DT_SRC_TRACEPOINT, backing);

	ev->pc.index = off / (4 * KIB);
	ev->pc.nr_pages = len / (4 * KIB);
	ev->pc.is_erofs = !backing;
}

static struct dt_event *bk(struct bgen_list *l, const struct rd *r, unsigned int type,
			   int64_t pos, uint64_t len, int64_t ret, bool directio)
{
	struct dt_event *ev = add(l, r, type, DT_SRC_FENTRY, true);

	ev->bk.rq = r->rq;
	ev->bk.pos = pos;
	ev->bk.len = len;
	ev->bk.ret = ret;
	ev->bk.flags = directio ? DT_IOCB_DIRECT : 0;
	return ev;
}

/* a completion in interrupt/kworker context: another task, another CPU */
static void kworker(struct dt_event *ev, unsigned int t)
{
	ev->cpu = (t + 1) % BGEN_THREADS;
	ev->pid = ev->tid = 50 + ev->cpu;
	memcpy(ev->comm, "kworker/1:1H", 13);
}

/* one backing read of the whole request, synchronous or queued */
static void backing(struct bgen_list *l, const struct rd *r, int64_t at, uint64_t len,
		    bool directio, bool late_done)
{
	struct dt_event *ev;

	if (!directio) {
		bk(l, r, DT_EV_BACKING_SUBMIT, at, len, 0, false);
		pc_add(l, r, true, at, len);
		bk(l, r, DT_EV_BACKING_RET, at, len, len, false);
		bk(l, r, DT_EV_BACKING_DONE, 0, 0, len, false);
		return;
	}
	bk(l, r, DT_EV_BACKING_SUBMIT, at, len, 0, true);
	bk(l, r, DT_EV_BACKING_RET, at, len, -EIOCBQUEUED_, true);
	if (!late_done) {
		ev = bk(l, r, DT_EV_BACKING_DONE, 0, 0, len, true);
		kworker(ev, r->t);
	}
}

static void build(struct bgen_list *l, const struct rd *r, enum kind k)
{
	int64_t at = r->base + r->pos;
	struct dt_event *ev;
	bool direct = k != K_HIT && k != K_MISS;

	l->n = l->next = 0;
	req(l, r, direct, INT64_MIN);
	if (direct)
		dio(l, r, INT64_MIN);
	if (k != K_HIT)
		extent(l, r);
	switch (k) {
	case K_HIT:
		break;
	case K_MISS:
		pc_add(l, r, false, r->pos, r->len);
		backing(l, r, at, r->len, false, false);
		break;
	case K_DIRECT:
		backing(l, r, at, r->len, false, false);
		break;
	case K_ASYNC:
		backing(l, r, at, r->len, true, false);
		break;
	case K_BAD_OFFSET:	/* defect 3: the read lands at the extent start */
		backing(l, r, r->base, r->len, false, false);
		break;
	case K_SHORT_EIO:	/* defect 2: half submitted, EIO */
		backing(l, r, at, r->len / 2, false, false);
		dio(l, r, -EIO_);
		req(l, r, true, -EIO_);
		return;
	case K_LATE:		/* defect 4: completion after the read returned */
		backing(l, r, at, r->len, true, true);
		dio(l, r, r->len);
		req(l, r, true, r->len);
		ev = bk(l, r, DT_EV_BACKING_DONE, 0, 0, r->len, true);
		kworker(ev, r->t);
		return;
	}
	if (direct)
		dio(l, r, r->len);
	req(l, r, direct, r->len);
}

static enum kind pick_kind(struct bgen *g)
{
	uint64_t x;

	if (g->fail_every && g->reqs % g->fail_every == g->fail_every - 1)
		return K_BAD_OFFSET + g->fails++ % 3;
	x = rnd(g) % 1000;
	return x < 550 ? K_HIT : x < 750 ? K_MISS : x < 950 ? K_DIRECT : K_ASYNC;
}

static void new_read(struct bgen *g, unsigned int t)
{
	uint64_t f = rnd(g) % g->nfiles, h = f * 0x9e3779b97f4a7c15ull;
	enum kind k = pick_kind(g);
	struct rd r = { .t = t };

	r.ino = 1000 + f;
	r.isize = 256 * KIB + 4 * KIB * ((h >> 32) % 1000);
	r.base = 1024 * KIB + f * 8192 * KIB;
	r.len = k == K_SHORT_EIO ? 256 * KIB : (4 * KIB) << (rnd(g) % 6);
	r.pos = 4 * KIB * (rnd(g) % ((r.isize - r.len) / (4 * KIB) + 1));
	if (k == K_BAD_OFFSET && !r.pos)
		r.pos = 4 * KIB;	/* at the extent start the bad offset is the right one */
	g->serial++;
	r.cookie = COOKIE_BASE + g->serial * 0x100;
	r.rq = RQ_BASE + g->serial * 0x1000;
	build(&g->list[t], &r, k);
	g->reqs++;
}

static void refill(struct bgen *g)
{
	unsigned int t;

	for (t = 0; t < BGEN_THREADS && g->reqs < g->nreq; t++) {
		new_read(g, t);
		g->live++;
	}
}

int bgen_next(struct bgen *g, struct dt_event *ev)
{
	struct bgen_list *l;
	unsigned int t;

	if (!g->live)
		refill(g);
	if (!g->live)
		return 0;
	t = rnd(g) % BGEN_THREADS;
	while (g->list[t].next >= g->list[t].n)
		t = (t + 1) % BGEN_THREADS;
	l = &g->list[t];
	*ev = l->ev[l->next++];
	if (l->next == l->n)
		g->live--;
	g->ts += 50 + rnd(g) % 500;
	ev->ts_ns = g->ts;
	g->events++;
	return 1;
}
