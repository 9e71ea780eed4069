// SPDX-License-Identifier: GPL-2.0-only
/*
 * End of the stream: close what is still open, check every request, sum up
 * per file, and decide the overall verdict.  FAIL if any check failed, else
 * INCONCLUSIVE if anything could not be established (or nothing was
 * observed), else PASS.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "engine_int.h"

static void reason(struct dt_engine *e, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (e->nr_reasons >= DT_MAX_REASONS)
		return;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) >= 0)
		e->reasons[e->nr_reasons++] = s;
	va_end(ap);
}

static int cmp_id(const void *a, const void *b)
{
	const struct dt_rq *x = *(const struct dt_rq * const *)a;
	const struct dt_rq *y = *(const struct dt_rq * const *)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static void account(struct dt_engine *e, const struct dt_rq *rq)
{
	struct dt_file *f = dt_file_get(e, rq->dev, rq->ino, true);
	struct dt_stats *st = &e->st;

	st->requests++;
	if (rq->direct) {
		st->direct++;
	} else {
		st->buffered++;
		if (rq->l.returned > 0)
			st->buf_bytes_returned += rq->l.returned;
		st->buf_erofs_pc += rq->l.erofs_pc_bytes;
		st->buf_backing_pc += rq->l.backing_pc_bytes;
	}
	st->pass += rq->verdict == DT_PASS;
	st->fail += rq->verdict == DT_FAIL;
	st->inconclusive += rq->verdict == DT_INCONCLUSIVE;
	if (!f)
		return;
	f->requests++;
	f->direct += rq->direct;
	f->buffered += !rq->direct;
	f->failed += rq->verdict == DT_FAIL;
	f->inconclusive += rq->verdict == DT_INCONCLUSIVE;
	f->bytes_requested += rq->len;
	if (rq->l.returned > 0)
		f->bytes_returned += rq->l.returned;
}

/* the first few distinct reasons behind FAIL or INCONCLUSIVE checks */
static void check_reasons(struct dt_engine *e, enum dt_status want)
{
	const char *seen[4];
	size_t i, n = 0, k;
	int c;

	for (i = 0; i < e->nr_closed && n < 4; i++) {
		const struct dt_rq *rq = e->closed[i];

		for (c = 0; c < DT_CHK_MAX && n < 4; c++) {
			if (rq->chk[c].st != want)
				continue;
			if (e->st.lost && strstr(rq->chk[c].why, " events lost (seen: "))
				continue;	/* said once, below */
			for (k = 0; k < n && strcmp(seen[k], rq->chk[c].why); k++)
				;
			if (k < n)
				continue;
			seen[n++] = rq->chk[c].why;
			reason(e, "read #%llu: %s: %s", (unsigned long long)rq->id,
			       dt_check_title(c), rq->chk[c].why);
		}
	}
}

static void decide(struct dt_engine *e)
{
	const struct dt_stats *st = &e->st;
	size_t i;

	if (st->fail)
		reason(e, "%llu of %llu reads failed a check",
		       (unsigned long long)st->fail, (unsigned long long)st->requests);
	check_reasons(e, DT_ST_FAIL);
	if (e->opts.expect_dio && st->refused_opens)
		reason(e, "direct I/O expected, but %llu O_DIRECT opens were refused with EINVAL",
		       (unsigned long long)st->refused_opens);
	if (st->inconclusive)
		reason(e, "%llu of %llu reads could not be fully checked",
		       (unsigned long long)st->inconclusive, (unsigned long long)st->requests);
	if (st->inconclusive && !st->fail)
		check_reasons(e, DT_ST_INCONCLUSIVE);
	if (st->lost)
		reason(e, "%llu events lost", (unsigned long long)st->lost);
	if (st->untracked)
		reason(e, "%llu reads not tracked: in-flight table full (max %u)",
		       (unsigned long long)st->untracked, e->opts.max_inflight);
	if (st->bad_events)
		reason(e, "%llu malformed events", (unsigned long long)st->bad_events);
	for (i = 0; i < e->nr_notes; i++)
		reason(e, "%s", e->notes[i]);
	if (!st->requests)
		reason(e, "no read of a file-backed EROFS file was observed%s",
		       dt_role_bound(e, DT_ROLE_REQ) ? "" : " (the req probe is unbound)");

	if (st->fail || (e->opts.expect_dio && st->refused_opens))
		e->verdict = DT_FAIL;
	else if (e->nr_reasons)
		e->verdict = DT_INCONCLUSIVE;
	else
		e->verdict = DT_PASS;
}

void dt_engine_finish(struct dt_engine *e)
{
	size_t i;

	if (e->finished)
		return;
	if (dt_engine_feed_drain(e))
		dt_engine_note_inconclusive(e, "out of memory while sorting events");
	/* what is still in flight is closed as it is: unfinished, or pending */
	if (e->nr_inflight) {
		size_t n = e->nr_closed + e->nr_inflight;
		struct dt_rq **c = realloc(e->closed, n * sizeof(*c));

		if (c) {
			memcpy(&c[e->nr_closed], e->inflight, e->nr_inflight * sizeof(*c));
			e->closed = c;
			e->nr_closed = e->cap_closed = n;
			e->nr_inflight = 0;
		} else {
			dt_engine_note_inconclusive(e, "out of memory closing unfinished reads");
		}
	}
	if (e->nr_closed)
		qsort(e->closed, e->nr_closed, sizeof(*e->closed), cmp_id);
	for (i = 0; i < e->nr_closed; i++) {
		dt_rq_evaluate(e, e->closed[i]);
		account(e, e->closed[i]);
	}
	decide(e);
	e->finished = true;
}
