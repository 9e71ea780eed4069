// SPDX-License-Identifier: GPL-2.0-only
/*
 * The byte ledger of one request and its checks.
 *
 * Extents are clipped to the request ([pos, pos + total)) and swept in file
 * order: META bytes are copied inline, MAPPED bytes must come from the
 * backing file, the rest is zero-filled.  Backing reads are then walked in
 * submit order against the MAPPED pieces: each must start at
 * m_pa + (logical offset - m_la) of the piece it reads.
 *
 * Every check knows which probe roles it needs and whether it depends on
 * seeing every event.  A missing or silent role, lost events or a request
 * that never returned turn its PASS (and any FAIL that rests on something
 * *not* seen) into INCONCLUSIVE; a FAIL that rests on something seen stays a
 * FAIL, unless what was seen is linked to the request by its thread only and
 * events were lost while it was in flight (then the link is a guess).
 *
 * The reasons are formatted only when asked (fmt): a PASS request nobody
 * prints costs no snprintf.  The engine is single-threaded.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "engine_int.h"

#define R(x)	(1u << (x))

struct piece {
	uint64_t lo, hi;	/* logical range */
	uint64_t pa;		/* physical position of lo */
	uint64_t m_la, m_pa;	/* the extent it came from */
};

struct sweep {
	uint64_t inl, zero, mapped, covered;
	struct piece *pc;
	size_t np;
};

static bool fmt_why;		/* format the reasons in this evaluation */
static bool assume_loss;	/* evaluate as if events had been lost (unstamped) */
static unsigned int bad_roles;	/* unbound or silent roles, this evaluation */

/* the status, and the reason only if it is to be formatted (no varargs call otherwise) */
#define set(c, status, ...)	((c)->st = (status), \
				 fmt_why ? set_why((c), __VA_ARGS__) : (void)0)

static void set_why(struct dt_check_result *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
}

static int cmp_ext(const void *a, const void *b)
{
	const struct dt_ext_rec *x = *(const struct dt_ext_rec * const *)a;
	const struct dt_ext_rec *y = *(const struct dt_ext_rec * const *)b;

	if (x->m_la != y->m_la)
		return x->m_la < y->m_la ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* sweep the extents over [lo, hi) in file order; pieces only if s->pc */
static int sweep(const struct dt_rq *rq, uint64_t lo, uint64_t hi, struct sweep *s)
{
	const struct dt_ext_rec *small[8], **v = small;
	uint64_t cur = lo;
	unsigned int i;
	bool sorted = true;

	if (rq->nr_ext > 8 && !(v = calloc(rq->nr_ext, sizeof(*v))))
		return -ENOMEM;
	for (i = 0; i < rq->nr_ext; i++) {
		v[i] = &rq->ext[i];
		if (i && v[i]->m_la < v[i - 1]->m_la)
			sorted = false;
	}
	if (!sorted)
		qsort(v, rq->nr_ext, sizeof(*v), cmp_ext);
	for (i = 0; i < rq->nr_ext; i++) {
		const struct dt_ext_rec *x = v[i];
		uint64_t st = x->m_la > cur ? x->m_la : cur;
		uint64_t end = add_sat(x->m_la, x->m_llen);

		if (x->err || !x->m_llen)
			continue;
		if (end > hi)
			end = hi;
		if (end <= st)
			continue;
		if (x->m_flags & DT_MAP_META) {
			s->inl += end - st;
		} else if (x->m_flags & DT_MAP_MAPPED) {
			s->mapped += end - st;
			if (s->pc)
				s->pc[s->np++] = (struct piece){ st, end,
					x->m_pa + (st - x->m_la), x->m_la, x->m_pa };
		} else {
			s->zero += end - st;
		}
		s->covered += end - st;
		cur = end;
	}
	if (v != small)
		free(v);
	return 0;
}

static void advance(const struct piece *pc, size_t np, size_t *k, uint64_t *cur, uint64_t len)
{
	while (len && *k < np) {
		uint64_t take = pc[*k].hi - *cur;

		if (take > len)
			take = len;
		*cur += take;
		len -= take;
		if (*cur == pc[*k].hi && ++*k < np)
			*cur = pc[*k].lo;
	}
}

/* which piece holds physical position pos; the logical offset in *l */
static const struct piece *find_phys(const struct piece *pc, size_t np, int64_t pos, uint64_t *l)
{
	size_t i;

	for (i = 0; i < np; i++) {
		if (pos < 0 || (uint64_t)pos < pc[i].pa ||
		    (uint64_t)pos >= pc[i].pa + (pc[i].hi - pc[i].lo))
			continue;
		*l = pc[i].lo + ((uint64_t)pos - pc[i].pa);
		return &pc[i];
	}
	return NULL;
}

/* match each backing read to the logical bytes it should carry */
static void match_offsets(struct dt_rq *rq, const struct piece *pc, size_t np)
{
	uint64_t cur = np ? pc[0].lo : 0, l;
	size_t k = 0;
	unsigned int i;

	for (i = 0; i < rq->nr_bk; i++) {
		struct dt_bk_rec *b = &rq->bk[i];
		const struct piece *p;

		b->bad_offset = false;
		b->expect_pos = k < np ? (int64_t)(pc[k].pa + (cur - pc[k].lo)) : -1;
		b->logical = cur;
		if (b->expect_pos >= 0 && b->pos == b->expect_pos) {
			advance(pc, np, &k, &cur, b->len);
			continue;
		}
		p = find_phys(pc, np, b->pos, &l);
		if (p) {	/* lands right, just not in submit order */
			k = p - pc;
			cur = l;
			b->expect_pos = b->pos;
			b->logical = l;
			advance(pc, np, &k, &cur, b->len);
			continue;
		}
		b->bad_offset = np > 0;
		advance(pc, np, &k, &cur, b->len);
	}
}

static uint64_t clamp_eof(const struct dt_rq *rq)
{
	if (rq->isize == DT_UNKNOWN || rq->pos < 0)
		return rq->len;
	if ((uint64_t)rq->pos >= rq->isize)
		return 0;
	return rq->len < rq->isize - rq->pos ? rq->len : rq->isize - rq->pos;
}

static const char *unended(const struct dt_rq *rq)
{
	if (rq->queued && rq->closed_by == DT_GAP_LOST)
		return "queued (-EIOCBQUEUED); its kiocb was reused before its completion was seen";
	if (rq->queued && rq->closed_by == DT_GAP_UNTRACKED)
		return "queued (-EIOCBQUEUED); dropped before its completion: the in-flight table was full";
	if (rq->queued)
		return "queued (-EIOCBQUEUED); its completion (ki_complete) was not seen";
	if (rq->closed_by == DT_GAP_UNTRACKED)
		return "dropped before its end: the in-flight table was full (--max-inflight)";
	if (rq->closed_by == DT_GAP_LOST)
		return "its thread started another read after events were lost: this one's end was lost";
	return "the read had not returned when tracing ended";
}

static const char *errname(int64_t ret, char *buf, size_t n)
{
	const char *s = dt_errno_name(ret);

	if (s) {
		snprintf(buf, n, "-%s", s);
		return buf;
	}
	snprintf(buf, n, "%lld", (long long)ret);
	return buf;
}

/* what the DIO returned, or for a queued read what it completed with */
static int64_t dio_result(const struct dt_rq *rq)
{
	if (rq->dio_out.ret == -DT_EIOCBQUEUED && rq->queued && rq->completed)
		return rq->completion;
	return rq->dio_out.ret;
}

/*
 * An IOCB_NOWAIT read that would have blocked: declined with -EAGAIN, with
 * no backing byte delivered and nothing left in flight (the caller issues
 * it again, blocking).
 */
static bool declined(const struct dt_rq *rq)
{
	const struct dt_ledger *l = &rq->l;

	return (rq->flags & DT_IOCB_NOWAIT) && rq->ended && l->returned == -EAGAIN &&
	       !l->bk_completed && !l->pending && !l->late_completions;
}

/* a backing read that returned or completed with -EAGAIN (IOCB_NOWAIT) */
static bool bk_would_block(const struct dt_rq *rq)
{
	unsigned int i;

	for (i = 0; i < rq->nr_bk; i++) {
		const struct dt_bk_rec *b = &rq->bk[i];

		if ((b->ret_seen && b->ret == -EAGAIN) || (b->done_seen && b->result == -EAGAIN))
			return true;
	}
	return false;
}

/* IOCB_NOWAIT: progress up to a backing read that would have blocked */
static bool nowait_short(const struct dt_rq *rq)
{
	const struct dt_ledger *l = &rq->l;

	return (rq->flags & DT_IOCB_NOWAIT) && rq->ended && l->returned > 0 &&
	       (uint64_t)l->returned < l->expected && bk_would_block(rq);
}

/* ---- the checks ---- */

static void chk_return(const struct dt_engine *e, struct dt_rq *rq, bool refused)
{
	struct dt_check_result *c = &rq->chk[DT_CHK_RETURN];
	const struct dt_ledger *l = &rq->l;
	uint64_t bmask = e->opts.page_size - 1;
	char b[24];

	if (!rq->ended)
		return set(c, DT_ST_INCONCLUSIVE, "%s", unended(rq));
	if (rq->double_done)
		return set(c, DT_ST_FAIL, "completed twice: ki_complete(%s), and read_iter returned %lld",
			   errname(rq->completion, b, sizeof(b)), (long long)l->returned);
	if (declined(rq))
		return set(c, DT_ST_PASS, "declined with -EAGAIN under IOCB_NOWAIT, no byte delivered "
			   "(the caller issues it again, blocking)");
	if (nowait_short(rq))
		return set(c, DT_ST_PASS, "short read of %lld of %llu under IOCB_NOWAIT: a backing read "
			   "would have blocked (-EAGAIN); the caller reads the rest",
			   (long long)l->returned, (unsigned long long)l->expected);
	if (refused && (((uint64_t)rq->pos | rq->len) & bmask))
		return set(c, DT_ST_PASS, "misaligned O_DIRECT read refused with EINVAL");
	if (refused && (rq->bufmis & DT_BUF_KNOWN) && (rq->bufmis & bmask))
		return set(c, DT_ST_PASS, "O_DIRECT read into a buffer %u B into its page refused "
			   "with EINVAL", (unsigned int)(rq->bufmis & bmask));
	if (refused && (rq->bufmis & DT_BUF_KNOWN))
		return set(c, DT_ST_INCONCLUSIVE, "O_DIRECT read refused with EINVAL before any I/O, "
			   "though position, length and buffer are aligned");
	if (refused)
		return set(c, DT_ST_INCONCLUSIVE, "O_DIRECT read refused with EINVAL before any I/O: "
			   "position and length are aligned, the buffer was not traced (several segments)");
	if (rq->len == DT_UNKNOWN)
		return set(c, DT_ST_INCONCLUSIVE, "returned %s; the requested length was not traced "
			   "(more iovecs than the probe reads)", errname(l->returned, b, sizeof(b)));
	if (l->returned < 0)
		return set(c, DT_ST_FAIL, "returned %s, expected %llu bytes",
			   errname(l->returned, b, sizeof(b)), (unsigned long long)l->expected);
	if ((uint64_t)l->returned == l->expected)
		return set(c, DT_ST_PASS, "returned %lld of %llu requested%s",
			   (long long)l->returned, (unsigned long long)l->requested,
			   l->expected < l->requested ? " (clamped at EOF)" : "");
	if (rq->isize == DT_UNKNOWN && (uint64_t)l->returned < l->requested)
		return set(c, DT_ST_INCONCLUSIVE, "short read of %lld: i_size unknown, EOF cannot be checked",
			   (long long)l->returned);
	set(c, DT_ST_FAIL, "returned %lld, expected %llu (requested %llu at %lld, i_size %llu)",
	    (long long)l->returned, (unsigned long long)l->expected,
	    (unsigned long long)l->requested, (long long)rq->pos,
	    (unsigned long long)rq->isize);
}

static void chk_done(struct dt_rq *rq, bool *positive, bool *complete)
{
	struct dt_check_result *c = &rq->chk[DT_CHK_DONE];
	const struct dt_ledger *l = &rq->l;
	char b[24];

	*positive = true;
	*complete = false;
	if (!rq->ended)
		return set(c, DT_ST_INCONCLUSIVE, "%s", unended(rq));
	if (l->counters_read || (rq->dio_ended ? dio_result(rq) : l->returned) >= 0) {
		const char *src = l->counters_read ? "kernel counters" :
				  rq->dio_ended ? "the DIO's return value" : "the return value";

		if (l->done == l->total)
			return set(c, DT_ST_PASS, "done %llu == total %llu (%s)",
				   (unsigned long long)l->done, (unsigned long long)l->total, src);
		if (nowait_short(rq) && (int64_t)l->done == l->returned)
			return set(c, DT_ST_PASS, "done %llu of %llu (%s): stopped at a backing read "
				   "that would have blocked (IOCB_NOWAIT)", (unsigned long long)l->done,
				   (unsigned long long)l->total, src);
		if (l->done > l->total)
			return set(c, DT_ST_FAIL, "done %llu > total %llu (%s): %llu bytes more than asked",
				   (unsigned long long)l->done, (unsigned long long)l->total, src,
				   (unsigned long long)(l->done - l->total));
		return set(c, DT_ST_FAIL, "done %llu < total %llu (%s): %llu bytes not done",
			   (unsigned long long)l->done, (unsigned long long)l->total, src,
			   (unsigned long long)(l->total - l->done));
	}
	*positive = false;
	*complete = true;
	if (l->done < l->total)
		return set(c, DT_ST_FAIL, "done %llu < total %llu (inferred from extents and backing "
			   "completions; the read returned %s)", (unsigned long long)l->done,
			   (unsigned long long)l->total, errname(l->returned, b, sizeof(b)));
	set(c, DT_ST_PASS, "all %llu bytes accounted (inferred), yet the read returned %s",
	    (unsigned long long)l->total, errname(l->returned, b, sizeof(b)));
}

static void chk_ledger(struct dt_rq *rq)
{
	struct dt_check_result *c = &rq->chk[DT_CHK_LEDGER];
	const struct dt_ledger *l = &rq->l;
	uint64_t bk = l->bk_completed - l->bk_past_eof_done;
	uint64_t sum = l->inline_bytes + l->zero_bytes + bk;

	if (!rq->ended)
		return set(c, DT_ST_INCONCLUSIVE, "%s", unended(rq));
	if (!l->counters_read && (rq->dio_ended ? dio_result(rq) : l->returned) < 0)
		return set(c, DT_ST_NA, "done not readable and the read failed: done is inferred from this ledger");
	if (l->done == sum)
		return set(c, DT_ST_PASS, "done %llu = inline %llu + zero %llu + backing %llu%s",
			   (unsigned long long)l->done, (unsigned long long)l->inline_bytes,
			   (unsigned long long)l->zero_bytes, (unsigned long long)bk,
			   l->bk_past_eof_done ? " (backing bytes past EOF not counted)" : "");
	set(c, DT_ST_FAIL, "done %llu != inline %llu + zero %llu + backing %llu (= %llu)%s",
	    (unsigned long long)l->done, (unsigned long long)l->inline_bytes,
	    (unsigned long long)l->zero_bytes, (unsigned long long)bk,
	    (unsigned long long)sum, l->unmapped_bytes ? "; part of the request was never mapped" : "");
}

static void chk_cover(const struct dt_engine *e, struct dt_rq *rq)
{
	struct dt_check_result *c = &rq->chk[DT_CHK_COVER];
	const struct dt_ledger *l = &rq->l;
	uint64_t in_file = l->bk_submitted - l->bk_past_eof;

	if (l->bk_past_eof && l->bk_past_eof < e->opts.page_size && in_file == l->mapped_bytes)
		return set(c, DT_ST_PASS, "backing reads of %llu bytes cover the %llu mapped bytes "
			   "(+%llu past EOF: the last one rounded up to the block)",
			   (unsigned long long)in_file, (unsigned long long)l->mapped_bytes,
			   (unsigned long long)l->bk_past_eof);
	if (l->bk_submitted == l->mapped_bytes)
		return set(c, DT_ST_PASS, "backing reads of %llu bytes cover the %llu mapped bytes",
			   (unsigned long long)l->bk_submitted, (unsigned long long)l->mapped_bytes);
	if (l->bk_submitted < l->mapped_bytes)
		return set(c, DT_ST_FAIL, "%llu of %llu mapped bytes never read from the backing file",
			   (unsigned long long)(l->mapped_bytes - l->bk_submitted),
			   (unsigned long long)l->mapped_bytes);
	set(c, DT_ST_FAIL, "backing reads of %llu bytes exceed the %llu mapped bytes",
	    (unsigned long long)l->bk_submitted, (unsigned long long)l->mapped_bytes);
}

/*
 * *positive: a FAIL rests on what was seen (a backing read inside a seen
 * extent, at the wrong place).  A read beyond every seen extent may only mean
 * an extent event was lost, so that FAIL yields to missing evidence.
 */
static void chk_offset(struct dt_rq *rq, size_t np, bool *positive)
{
	struct dt_check_result *c = &rq->chk[DT_CHK_OFFSET];
	unsigned int i;

	*positive = true;

	if (!rq->nr_bk && !np)
		return set(c, DT_ST_NA, "no mapped extent, no backing read");
	if (!rq->nr_bk)
		return set(c, DT_ST_INCONCLUSIVE, "%zu mapped extent pieces but no backing read seen", np);
	for (i = 0; i < rq->nr_bk; i++) {
		const struct dt_bk_rec *b = &rq->bk[i];

		if (!b->bad_offset)
			continue;
		if (b->expect_pos < 0) {
			*positive = false;
			return set(c, DT_ST_FAIL, "wrong-offset backing read at %lld: beyond the mapped extents",
				   (long long)b->pos);
		}
		return set(c, DT_ST_FAIL, "wrong-offset backing read at %lld, the extent says %lld "
			   "(file offset %llu)%s", (long long)b->pos, (long long)b->expect_pos,
			   (unsigned long long)b->logical,
			   rq->l.bad_offsets > 1 ? " and more" : "");
	}
	if (!np)
		return set(c, DT_ST_INCONCLUSIVE, "%u backing reads but no mapped extent seen", rq->nr_bk);
	set(c, DT_ST_PASS, "%u backing reads at m_pa + offset within the extent", rq->nr_bk);
}

static void chk_nocache(struct dt_rq *rq)
{
	struct dt_check_result *c = &rq->chk[DT_CHK_NOCACHE];

	if (rq->l.erofs_pc_bytes)
		return set(c, DT_ST_FAIL, "%llu bytes inserted into the EROFS inode's page cache "
			   "during the direct read", (unsigned long long)rq->l.erofs_pc_bytes);
	set(c, DT_ST_PASS, "no EROFS page-cache insert");
}

static void chk_async(struct dt_rq *rq)
{
	struct dt_check_result *c = &rq->chk[DT_CHK_ASYNC];
	const struct dt_ledger *l = &rq->l;
	unsigned int i, queued = 0, n = 0;

	if (!rq->nr_bk)
		return set(c, DT_ST_NA, "no backing read");
	for (i = 0; i < rq->nr_bk; i++) {
		const struct dt_bk_rec *b = &rq->bk[i];

		if (b->after_dio)
			continue;
		n++;
		if (b->ret_seen && b->ret == -DT_EIOCBQUEUED)
			queued++;
		if (b->late)
			return set(c, DT_ST_FAIL, "backing read rq=0x%llx completed (tid %u) after the "
				   "read %s: the DIO did not wait for it", (unsigned long long)b->rq,
				   b->done_tid, rq->queued ? "completed (ki_complete)" : "returned");
	}
	if (l->pending)
		return set(c, DT_ST_INCONCLUSIVE, "%u backing reads never completed in the trace%s",
			   l->pending, rq->closed_by == DT_GAP_UNTRACKED ?
			   " (dropped: the in-flight table was full)" : "");
	if (rq->queued)
		return set(c, DT_ST_PASS, "%u backing reads completed before the read's own "
			   "ki_complete (%u asynchronously); the read was queued", n, queued);
	set(c, DT_ST_PASS, "%u backing reads completed before the read returned (%u asynchronously)",
	    n, queued);
}

static void chk_direct(const struct dt_engine *e, struct dt_rq *rq)
{
	struct dt_check_result *c = &rq->chk[DT_CHK_DIRECT];

	if (!e->opts.expect_dio)
		return set(c, DT_ST_NA, "direct I/O not demanded");
	if (rq->direct)
		return set(c, DT_ST_PASS, "direct read");
	set(c, DT_ST_FAIL, "buffered read (no O_DIRECT): %llu bytes into the EROFS page cache, "
	    "%llu into the backing file's", (unsigned long long)rq->l.erofs_pc_bytes,
	    (unsigned long long)rq->l.backing_pc_bytes);
}

/* ---- evidence: roles, lost events, unfinished requests ---- */

/* events were lost while rq was in flight, as far as can be told */
static bool lossy(const struct dt_engine *e, const struct dt_rq *rq)
{
	if (e->opts.loss_stamped)
		return rq->touched;
	return assume_loss || dt_loss_unstamped(e);
}

/* the check rests on an event linked to rq by its thread only */
static bool weak(const struct dt_rq *rq, enum dt_check k)
{
	if (k == DT_CHK_RETURN)
		return rq->weak_end;
	/* a START and an END matched by cookie bracket what the thread did */
	return rq->weak_any && !(rq->start_cookie && rq->end_by_cookie);
}

static void gap(struct dt_check_result *c, enum dt_gap g)
{
	c->st = DT_ST_INCONCLUSIVE;
	c->gap = g;
}

static void lost_why(const struct dt_engine *e, struct dt_rq *rq, struct dt_check_result *c,
		     const char *old)
{
	if (!fmt_why)
		return;
	if (e->opts.loss_stamped)
		snprintf(c->why, sizeof(c->why), "%llu events dropped while this read was in flight "
			 "(seen: %.120s)", (unsigned long long)(rq->drops_max - rq->drops0), old);
	else
		snprintf(c->why, sizeof(c->why), "%llu events lost%s (seen: %.120s)",
			 (unsigned long long)e->st.lost,
			 e->st.lost ? "" : " (assumed)", old);
}

static void evidence_slow(const struct dt_engine *e, struct dt_rq *rq, enum dt_check k,
			  unsigned int roles, bool complete, bool positive)
{
	struct dt_check_result *c = &rq->chk[k];
	bool linked = weak(rq, k);
	char old[sizeof(c->why)];
	unsigned int r;

	if (c->st == DT_ST_NA || (c->st == DT_ST_FAIL && positive && !(linked && lossy(e, rq))))
		return;
	if (fmt_why)
		memcpy(old, c->why, sizeof(old));
	for (r = 0; (roles & bad_roles) && r < DT_ROLE_MAX; r++) {
		if (!(roles & bad_roles & R(r)))
			continue;
		if (!dt_role_bound(e, r)) {
			gap(c, DT_GAP_UNBOUND);
			if (fmt_why)
				snprintf(c->why, sizeof(c->why), "needs the %s probe, unbound: %s",
					 dt_role_name(r), e->roles[r].why);
			return;
		}
		if (dt_role_silent(e, r)) {
			char why[128];

			gap(c, DT_GAP_SILENT);
			if (fmt_why)
				snprintf(c->why, sizeof(c->why), "needs the %s probe, bound but silent: %s",
					 dt_role_name(r), dt_role_silent_why(e, r, why, sizeof(why)));
			return;
		}
	}
	if (c->st == DT_ST_INCONCLUSIVE)
		return;
	if ((complete || linked) && lossy(e, rq)) {
		gap(c, DT_GAP_LOST);
		return lost_why(e, rq, c, old);
	}
	if (complete && !rq->ended) {
		gap(c, rq->closed_by ? rq->closed_by : DT_GAP_UNFINISHED);
		if (fmt_why)
			snprintf(c->why, sizeof(c->why), "%s", unended(rq));
	}
}

/* the common case inline: every role there, nothing lost, the read returned */
static inline void evidence(const struct dt_engine *e, struct dt_rq *rq, enum dt_check k,
			    unsigned int roles, bool complete, bool positive)
{
	if (rq->chk[k].st == DT_ST_NA || (!(roles & bad_roles) && rq->ended && !lossy(e, rq)))
		return;
	evidence_slow(e, rq, k, roles, complete, positive);
}

static bool needs_done_role(const struct dt_rq *rq)
{
	unsigned int i;

	for (i = 0; i < rq->nr_bk; i++)
		if (!rq->bk[i].ret_seen || rq->bk[i].ret == -DT_EIOCBQUEUED)
			return true;
	return false;
}

/*
 * Bytes of a backing read that lie past EOF: a direct read ending at EOF is
 * rounded up to the block for the backing file (as iomap does on a block
 * device); those bytes land in the user's buffer but are not returned.
 */
static uint64_t past_eof(const struct dt_rq *rq, const struct dt_bk_rec *b, int64_t bytes)
{
	uint64_t end;

	if (bytes <= 0 || b->expect_pos < 0 || b->bad_offset || rq->isize == DT_UNKNOWN)
		return 0;
	end = add_sat(b->logical, (uint64_t)bytes);
	return end > rq->isize ? end - (b->logical > rq->isize ? b->logical : rq->isize) : 0;
}

/* returns the bytes completed before the read returned */
static uint64_t fill_backing(struct dt_rq *rq)
{
	struct dt_ledger *l = &rq->l;
	uint64_t in_time = 0;
	unsigned int i;

	l->bk_past_eof = l->bk_past_eof_done = 0;
	l->bk_submitted = l->bk_completed = l->bk_fallback = 0;
	l->pending = l->late_completions = l->bad_offsets = 0;
	for (i = 0; i < rq->nr_bk; i++) {
		const struct dt_bk_rec *b = &rq->bk[i];
		bool sync = b->ret_seen && b->ret != -DT_EIOCBQUEUED;
		int64_t res = b->done_seen ? b->result : b->ret;

		if (b->after_dio && rq->direct) {
			l->bk_fallback += b->len;
			continue;
		}
		l->bk_submitted += b->len;
		l->bk_past_eof += past_eof(rq, b, (int64_t)b->len);
		if (b->done_seen || sync) {
			uint64_t over = past_eof(rq, b, res);

			if (res > 0)
				l->bk_completed += res;
			l->bk_past_eof_done += over;
			if (res > 0 && !b->late)
				in_time += res - over;
		} else {
			l->pending++;
		}
		l->late_completions += b->late;
		l->bad_offsets += b->bad_offset;
	}
	l->nr_backing = rq->nr_bk;
	return in_time;
}

static int fill_ledger(struct dt_rq *rq, struct piece *pcbuf, struct piece **pcp, size_t *npp)
{
	struct dt_ledger *l = &rq->l;
	struct sweep s = { 0 };
	uint64_t lo = rq->pos < 0 ? 0 : rq->pos, in_time;

	l->requested = rq->len;
	l->expected = clamp_eof(rq);
	l->counters_read = rq->dio_ended && rq->dio_out.total != DT_UNKNOWN &&
			   rq->dio_out.done != DT_UNKNOWN;
	l->total = l->counters_read ? rq->dio_out.total : l->expected;
	s.pc = pcbuf ? pcbuf : calloc(rq->nr_ext + 1, sizeof(*s.pc));
	if (!s.pc)
		return -ENOMEM;
	*pcp = s.pc;
	if (sweep(rq, lo, add_sat(lo, l->total), &s))
		return -ENOMEM;
	l->inline_bytes = s.inl;
	l->zero_bytes = s.zero;
	l->mapped_bytes = s.mapped;
	l->unmapped_bytes = l->total - s.covered;
	l->nr_extents = rq->nr_ext;
	if (!rq->direct) {	/* buffered: readahead reads whole extents */
		s = (struct sweep){ .pc = s.pc };
		sweep(rq, 0, UINT64_MAX, &s);
	}
	match_offsets(rq, s.pc, s.np);
	in_time = fill_backing(rq);
	if (l->counters_read) {
		l->done = rq->dio_out.done;
		l->done_from = "kernel";
	} else if (rq->dio_ended && dio_result(rq) >= 0) {
		l->done = dio_result(rq);
		l->done_from = "dio_return";
	} else if (!rq->dio_ended && rq->ended && l->returned >= 0) {
		l->done = l->returned;
		l->done_from = "return";
	} else {	/* what had arrived when the read returned */
		l->done = l->inline_bytes + l->zero_bytes + in_time;
		l->done_from = "inferred";
	}
	*pcp = s.pc;
	*npp = s.np;
	return 0;
}

static enum dt_verdict rq_verdict(const struct dt_rq *rq)
{
	enum dt_verdict v = DT_PASS;
	int k;

	for (k = 0; k < DT_CHK_MAX; k++) {
		if (rq->chk[k].st == DT_ST_FAIL)
			return DT_FAIL;
		if (rq->chk[k].st == DT_ST_INCONCLUSIVE)
			v = DT_INCONCLUSIVE;
	}
	return v;
}

/* INCONCLUSIVE checks that no evidence rule typed: why they are */
static void type_gaps(struct dt_rq *rq)
{
	int k;

	for (k = 0; k < DT_CHK_MAX; k++) {
		struct dt_check_result *c = &rq->chk[k];

		if (c->st != DT_ST_INCONCLUSIVE || c->gap)
			continue;
		if (rq->closed_by)
			c->gap = rq->closed_by;
		else if (!rq->ended || rq->l.pending)
			c->gap = DT_GAP_UNFINISHED;
		else
			c->gap = DT_GAP_OTHER;
	}
}

static void evaluate(const struct dt_engine *e, struct dt_rq *rq)
{
	unsigned int bk = R(DT_ROLE_EXTENT) | R(DT_ROLE_BACKING_SUBMIT);
	unsigned int dio = rq->dio_seen ? 0 : R(DT_ROLE_DIO);
	unsigned int req = R(DT_ROLE_REQ) | (rq->queued ? R(DT_ROLE_REQ_DONE) : 0);
	bool refused, positive, complete;
	struct piece small[8], *pc = NULL;
	size_t np = 0;
	int k;

	bad_roles = 0;
	for (k = 0; k < DT_ROLE_MAX; k++)
		if (e->roles[k].unbound || (!e->st.role_events[k] && dt_role_silent(e, k)))
			bad_roles |= R(k);

	for (k = 0; k < DT_CHK_MAX; k++) {
		rq->chk[k].st = DT_ST_NA;
		rq->chk[k].gap = DT_GAP_NONE;
		if (fmt_why)
			rq->chk[k].why[0] = '\0';
	}
	if (fill_ledger(rq, rq->nr_ext < 8 ? small : NULL, &pc, &np)) {
		if (pc != small)
			free(pc);
		set(&rq->chk[DT_CHK_RETURN], DT_ST_INCONCLUSIVE, "out of memory");
		rq->chk[DT_CHK_RETURN].gap = DT_GAP_OTHER;
		rq->verdict = DT_INCONCLUSIVE;
		return;
	}
	if (needs_done_role(rq))
		bk |= R(DT_ROLE_BACKING_DONE);
	refused = rq->direct && rq->ended && rq->l.returned == -EINVAL &&
		  !rq->dio_seen && !rq->nr_ext && !rq->nr_bk;

	chk_return(e, rq, refused);
	evidence(e, rq, DT_CHK_RETURN, req, false, true);
	chk_offset(rq, np, &positive);
	evidence(e, rq, DT_CHK_OFFSET, bk, true, positive);
	chk_direct(e, rq);
	if (rq->queued)		/* completion before ki_complete: that probe too */
		bk |= R(DT_ROLE_REQ_DONE);
	if (rq->direct && !refused && !declined(rq)) {
		chk_done(rq, &positive, &complete);
		evidence(e, rq, DT_CHK_DONE, R(DT_ROLE_DIO) | (complete ? bk : 0), complete, positive);
		/* what the DIO did is only known if its path was traced */
		chk_ledger(rq);
		evidence(e, rq, DT_CHK_LEDGER, bk | dio, true, false);
		chk_cover(e, rq);
		evidence(e, rq, DT_CHK_COVER, bk | dio, true, false);
		chk_nocache(rq);
		evidence(e, rq, DT_CHK_NOCACHE, R(DT_ROLE_PC_ADD), true, true);
		chk_async(rq);
		evidence(e, rq, DT_CHK_ASYNC, bk, true, true);
	}
	if (pc != small)
		free(pc);
	rq->verdict = rq_verdict(rq);
	if (rq->verdict != DT_PASS)
		type_gaps(rq);
}

void dt_rq_evaluate(const struct dt_engine *e, struct dt_rq *rq, bool fmt)
{
	fmt_why = fmt;
	evaluate(e, rq);
	rq->why_ready = fmt;
	fmt_why = false;
}

bool dt_rq_fail_needs_no_loss(const struct dt_engine *e, struct dt_rq *rq)
{
	struct dt_rq copy;
	bool weak_fail;

	if (rq->verdict != DT_FAIL || e->opts.loss_stamped || dt_loss_unstamped(e))
		return false;
	/*
	 * would it still FAIL had events been lost?  The copy shares ext and
	 * bk; evaluating it rewrites the same offsets into bk.
	 */
	copy = *rq;
	assume_loss = true;
	evaluate(e, &copy);
	weak_fail = copy.verdict != DT_FAIL;
	assume_loss = false;
	return weak_fail;
}
