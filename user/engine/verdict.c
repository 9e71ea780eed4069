// SPDX-License-Identifier: GPL-2.0-only
/*
 * A request closes: check it, fold it into the per-file and per-run
 * statistics, hand it to the report (opts.on_close), keep its details if it
 * did not PASS (up to opts.max_details) or recycle it.  At the end: the
 * overall verdict.  FAIL only if a request failed on evidence that provably
 * belongs to it, and the record is whole; else INCONCLUSIVE if anything
 * could not be established (loss, unbound or silent roles, nothing
 * observed, ...), else PASS.  Reasons are typed (enum dt_gap) where they
 * decide anything; the strings are for people.
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

bool dt_loss_unstamped(const struct dt_engine *e)
{
	return !e->opts.loss_stamped && e->st.lost;
}

bool dt_role_silent(const struct dt_engine *e, enum dt_role r)
{
	const struct dt_stats *st = &e->st;

	if (!dt_role_bound(e, r) || st->role_events[r])
		return false;
	switch (r) {
	case DT_ROLE_DIO:	/* direct reads returned data on a kernel with the DIO path */
		return e->direct_ok && !st->refused_opens;
	case DT_ROLE_BACKING_DONE:
		return st->queued_returns;
	case DT_ROLE_REQ_DONE:	/* reads were queued, none completed */
		return st->queued_reqs;
	case DT_ROLE_EXTENT:
		return st->role_events[DT_ROLE_BACKING_SUBMIT];
	default:
		return false;
	}
}

const char *dt_role_silent_why(const struct dt_engine *e, enum dt_role r, char *buf, size_t n)
{
	const struct dt_stats *st = &e->st;

	if (r == DT_ROLE_DIO)
		snprintf(buf, n, "0 dio events, yet %llu O_DIRECT reads returned data",
			 (unsigned long long)e->direct_ok);
	else if (r == DT_ROLE_BACKING_DONE)
		snprintf(buf, n, "0 completions, yet %llu backing reads returned -EIOCBQUEUED",
			 (unsigned long long)st->queued_returns);
	else if (r == DT_ROLE_REQ_DONE)
		snprintf(buf, n, "0 completions, yet %llu reads returned -EIOCBQUEUED",
			 (unsigned long long)st->queued_reqs);
	else
		snprintf(buf, n, "0 extent events, yet %llu backing-read events",
			 (unsigned long long)st->role_events[DT_ROLE_BACKING_SUBMIT]);
	return buf;
}

static void count_verdict(struct dt_engine *e, struct dt_file *f, enum dt_verdict v, int d)
{
	struct dt_stats *st = &e->st;
	uint64_t *s = v == DT_PASS ? &st->pass : v == DT_FAIL ? &st->fail : &st->inconclusive;

	if (d > 0)
		inc_sat(s);
	else if (*s)
		(*s)--;
	if (v == DT_PASS)
		return;
	s = v == DT_FAIL ? &f->failed : &f->inconclusive;
	if (d > 0)
		inc_sat(s);
	else if (*s)
		(*s)--;
}

static void account(struct dt_engine *e, const struct dt_rq *rq)
{
	struct dt_file *f = &e->files[rq->file];
	struct dt_stats *st = &e->st;

	inc_sat(&st->requests);
	if (rq->direct) {
		inc_sat(&st->direct);
	} else {
		inc_sat(&st->buffered);
		if (rq->l.returned > 0)
			st->buf_bytes_returned = add_sat(st->buf_bytes_returned, rq->l.returned);
		st->buf_erofs_pc = add_sat(st->buf_erofs_pc, rq->l.erofs_pc_bytes);
		st->buf_backing_pc = add_sat(st->buf_backing_pc, rq->l.backing_pc_bytes);
	}
	if (rq->touched)
		inc_sat(&st->touched);
	count_verdict(e, f, rq->verdict, 1);
	inc_sat(&f->requests);
	inc_sat(rq->direct ? &f->direct : &f->buffered);
	if (rq->len != DT_UNKNOWN)
		f->bytes_requested = add_sat(f->bytes_requested, rq->len);
	if (rq->ended && rq->l.returned > 0)
		f->bytes_returned = add_sat(f->bytes_returned, rq->l.returned);
}

static bool keep(struct dt_engine *e, struct dt_rq *rq)
{
	struct dt_rq **k;

	if (rq->verdict == DT_PASS && !e->opts.keep_pass)
		return false;
	if (e->nr_kept >= e->opts.max_details) {
		inc_sat(&e->st.details_dropped);
		return false;
	}
	if (e->nr_kept == e->cap_kept) {
		size_t cap = e->cap_kept ? e->cap_kept * 2 : 16;

		k = realloc(e->kept, cap * sizeof(*k));
		if (!k) {
			inc_sat(&e->st.details_dropped);
			return false;
		}
		e->kept = k;
		e->cap_kept = cap;
	}
	if (!rq->why_ready)
		dt_rq_evaluate(e, rq, true);
	e->kept[e->nr_kept++] = rq;
	return true;
}

void dt_rq_closed(struct dt_engine *e, struct dt_rq *rq)
{
	bool weak;

	dt_rq_evaluate(e, rq, false);
	account(e, rq);
	weak = dt_rq_fail_needs_no_loss(e, rq);
	if (e->opts.on_close)
		e->opts.on_close(e->opts.close_arg, e, rq);
	if (keep(e, rq))
		return;
	if (weak) {
		inc_sat(&e->fail_weak_unkept);
		inc_sat(&e->files[rq->file].failed_weak);
	}
	dt_rq_recycle(e, rq);
}

/*
 * The loss became known after some requests had closed (an unstamped stream
 * that reports it at the end): what rested on thread-only links or on seeing
 * every event is INCONCLUSIVE after all.
 */
static void regrade(struct dt_engine *e)
{
	size_t i;

	if (!dt_loss_unstamped(e))
		return;
	for (i = 0; i < e->nr_kept; i++) {
		struct dt_rq *rq = e->kept[i];
		enum dt_verdict old = rq->verdict;

		dt_rq_evaluate(e, rq, true);
		if (rq->verdict == old)
			continue;
		count_verdict(e, &e->files[rq->file], old, -1);
		count_verdict(e, &e->files[rq->file], rq->verdict, 1);
	}
	for (i = 0; i < e->nr_files; i++) {
		struct dt_file *f = &e->files[i];

		f->failed -= f->failed_weak < f->failed ? f->failed_weak : f->failed;
		f->inconclusive = add_sat(f->inconclusive, f->failed_weak);
		f->failed_weak = 0;
	}
	e->st.fail -= e->fail_weak_unkept < e->st.fail ? e->fail_weak_unkept : e->st.fail;
	e->st.inconclusive = add_sat(e->st.inconclusive, e->fail_weak_unkept);
	e->st.fail_weak = e->fail_weak_unkept;
}

static int cmp_id(const void *a, const void *b)
{
	const struct dt_rq *x = *(const struct dt_rq * const *)a;
	const struct dt_rq *y = *(const struct dt_rq * const *)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* the first few distinct reasons behind FAIL or INCONCLUSIVE checks */
static void check_reasons(struct dt_engine *e, enum dt_status want)
{
	const char *seen[4];
	size_t i, n = 0, k;
	int c;

	for (i = 0; i < e->nr_kept && n < 4; i++) {
		const struct dt_rq *rq = e->kept[i];

		for (c = 0; c < DT_CHK_MAX && n < 4; c++) {
			if (rq->chk[c].st != want)
				continue;
			if (rq->chk[c].gap == DT_GAP_LOST)
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

static void loss_reasons(struct dt_engine *e)
{
	const struct dt_stats *st = &e->st;
	const uint64_t *cnt = e->cnt;
	uint64_t delivered = add_sat(st->events, st->skipped);

	if (st->lost && e->have_cnt && cnt[DT_CNT_READS])
		reason(e, "%llu events lost: seen %llu of %llu reads", (unsigned long long)st->lost,
		       (unsigned long long)add_sat(st->requests, 0),
		       (unsigned long long)cnt[DT_CNT_READS]);
	else if (st->lost)
		reason(e, "%llu events lost", (unsigned long long)st->lost);
	if (st->touched)
		reason(e, "%llu reads had events dropped while in flight", (unsigned long long)st->touched);
	if (st->superseded)
		reason(e, "%llu reads lost their end: their thread started another read after a loss",
		       (unsigned long long)st->superseded);
	if (e->have_cnt && cnt[DT_CNT_EMITTED] && cnt[DT_CNT_EMITTED] != delivered)
		reason(e, "BPF emitted %llu events, %llu were delivered",
		       (unsigned long long)cnt[DT_CNT_EMITTED], (unsigned long long)delivered);
	if (e->have_cnt && cnt[DT_CNT_MAP_FULL])
		reason(e, "%llu BPF map updates failed (map full): state of some reads was lost",
		       (unsigned long long)cnt[DT_CNT_MAP_FULL]);
	if (e->have_cnt && cnt[DT_CNT_EVICTED])
		reason(e, "%llu in-flight reads were evicted from the BPF table before their end",
		       (unsigned long long)cnt[DT_CNT_EVICTED]);
	if (e->have_cnt && cnt[DT_CNT_PIDS_FULL])
		reason(e, "%llu traced processes could not be followed: the pid table was full",
		       (unsigned long long)cnt[DT_CNT_PIDS_FULL]);
}

static void decide(struct dt_engine *e)
{
	const struct dt_stats *st = &e->st;
	char why[128];
	size_t i;
	int r;

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
	loss_reasons(e);
	if (st->untracked)
		reason(e, "%llu reads not tracked to their end: in-flight table full (max %u)",
		       (unsigned long long)st->untracked, e->opts.max_inflight);
	if (st->bad_events)
		reason(e, "%llu malformed events", (unsigned long long)st->bad_events);
	for (r = 0; r < DT_ROLE_MAX; r++)
		if (dt_role_silent(e, r))
			reason(e, "the %s probe is bound but silent: %s", dt_role_name(r),
			       dt_role_silent_why(e, r, why, sizeof(why)));
	for (i = 0; i < e->nr_notes; i++)
		reason(e, "%s", e->notes[i].why);
	if (!st->requests)
		reason(e, "no read of a file-backed EROFS file was observed%s",
		       dt_role_bound(e, DT_ROLE_REQ) ? "" : " (the req probe is unbound)");

	if (e->truncated)
		e->verdict = DT_INCONCLUSIVE;	/* a cut record proves nothing either way */
	else if (st->fail || (e->opts.expect_dio && st->refused_opens))
		e->verdict = DT_FAIL;
	else if (e->nr_reasons)
		e->verdict = DT_INCONCLUSIVE;
	else
		e->verdict = DT_PASS;
}

void dt_engine_finish(struct dt_engine *e)
{
	if (e->finished)
		return;
	if (dt_engine_feed_drain(e))
		dt_engine_note_gap(e, DT_GAP_OTHER, "out of memory while sorting events");
	dt_engine_close_all(e);
	regrade(e);
	if (e->nr_kept)
		qsort(e->kept, e->nr_kept, sizeof(*e->kept), cmp_id);
	decide(e);
	e->finished = true;
}
