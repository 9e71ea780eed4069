// SPDX-License-Identifier: GPL-2.0-only
/*
 * The JSON report, written by one yajl generator as a stream: the head, one
 * object per read as it closes, then verdict, summary, roles, evidence,
 * findings and files.  The same content as the text report, sizes in bytes,
 * stable keys.  "version" is the report schema version; bump it when a key
 * changes meaning or goes away.
 *
 * yajl validates UTF-8 and fails on a bad string; strings from the kernel
 * (comm, paths, reasons that quote them) go through dt_esc_utf8 first, so a
 * bad byte becomes U+FFFD.  u64 counters above INT64_MAX (yajl_gen_integer
 * takes a long long) are written as their decimal digits (yajl_gen_number).
 * The first error (a yajl status or a failed write) sticks and is returned
 * as -errno by every later call.  A newline before each read and each
 * top-level member keeps the report greppable; it is whitespace to JSON.
 *
 * yajl's own buffer collects a read and goes to the FILE in one fwrite
 * (yajl_gen_get_buf, yajl_gen_clear: yajl's streaming use): a print callback
 * costs a stdio call per token, twice the time per read.  A read with
 * thousands of extents is flushed every DT_JSON_FLUSH bytes, so yajl's
 * buffer never holds more than that and one element.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>
#include "commands.h"
#include "escape.h"
#include "ledger.h"
#include "report.h"

#define DT_JSON_VERSION	1
#define DT_JSON_FLUSH	(64 << 10)

struct dt_json {
	yajl_gen g;
	FILE *f;
	int err;	/* the first error, -errno */
};

static int gen_errno(yajl_gen_status s)
{
	switch (s) {
	case yajl_gen_status_ok:
		return 0;
	case yajl_gen_invalid_string:	/* not UTF-8: dt_esc_utf8 was skipped */
		return -EILSEQ;
	case yajl_max_depth_exceeded:
		return -E2BIG;
	default:			/* out of sequence: a bug in this file */
		return -EINVAL;
	}
}

static void st(struct dt_json *j, yajl_gen_status s)
{
	if (s != yajl_gen_status_ok && !j->err)
		j->err = gen_errno(s);
}

/*
 * Every generator call goes through GEN: its status is checked, and after
 * the first error yajl is not called again (its state need not be sound:
 * 2.1.0 underflows its depth on a close with nothing open).
 */
#define GEN(j, call)	do { if (!(j)->err) st((j), (call)); } while (0)

struct dt_json *dt_json_new(FILE *f)
{
	struct dt_json *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->f = f;
	j->g = yajl_gen_alloc(NULL);
	if (!j->g || !yajl_gen_config(j->g, yajl_gen_beautify, 0) ||
	    !yajl_gen_config(j->g, yajl_gen_validate_utf8, 1)) {
		dt_json_free(j);
		errno = ENOMEM;
		return NULL;
	}
	return j;
}

void dt_json_free(struct dt_json *j)
{
	if (!j)
		return;
	if (j->g)
		yajl_gen_free(j->g);
	free(j);
}

/* ---- members: key is NULL inside an array ---- */

static void key(struct dt_json *j, const char *k)
{
	if (k)
		GEN(j, yajl_gen_string(j->g, (const unsigned char *)k, strlen(k)));
}

static void j_map(struct dt_json *j, const char *k)
{
	key(j, k);
	GEN(j, yajl_gen_map_open(j->g));
}

static void j_end_map(struct dt_json *j)
{
	GEN(j, yajl_gen_map_close(j->g));
}

static void j_arr(struct dt_json *j, const char *k)
{
	key(j, k);
	GEN(j, yajl_gen_array_open(j->g));
}

static void j_end_arr(struct dt_json *j)
{
	GEN(j, yajl_gen_array_close(j->g));
}

static void j_null(struct dt_json *j, const char *k)
{
	key(j, k);
	GEN(j, yajl_gen_null(j->g));
}

static void j_bool(struct dt_json *j, const char *k, bool v)
{
	key(j, k);
	GEN(j, yajl_gen_bool(j->g, v));
}

static void j_i64(struct dt_json *j, const char *k, int64_t v)
{
	key(j, k);
	GEN(j, yajl_gen_integer(j->g, v));
}

/* a u64 as a number, all 64 bits of it */
static void j_num(struct dt_json *j, const char *k, uint64_t v)
{
	char b[24];
	int n;

	if (v <= INT64_MAX) {
		j_i64(j, k, (int64_t)v);
		return;
	}
	key(j, k);
	n = snprintf(b, sizeof(b), "%" PRIu64, v);
	GEN(j, yajl_gen_number(j->g, b, n));
}

/* a u64 that may be DT_UNKNOWN: null */
static void j_u64(struct dt_json *j, const char *k, uint64_t v)
{
	if (v == DT_UNKNOWN)
		j_null(j, k);
	else
		j_num(j, k, v);
}

/* a string of this program's own (names, constants) */
static void j_str(struct dt_json *j, const char *k, const char *s)
{
	key(j, k);
	GEN(j, yajl_gen_string(j->g, (const unsigned char *)s, strlen(s)));
}

/* an untrusted string of at most max bytes (stops at NUL) */
static void j_utf8(struct dt_json *j, const char *k, const char *s, size_t max)
{
	char stack[256 * 3 + 1], *buf = stack;
	size_t n = strnlen(s, max), i;

	for (i = 0; i < n && !(s[i] & 0x80); i++)
		;
	if (i < n) {	/* not plain ASCII: make it valid UTF-8 */
		if (n > 256 && !(buf = malloc(n * 3 + 1))) {
			j->err = j->err ? j->err : -ENOMEM;
			return;
		}
		s = dt_esc_utf8(buf, n * 3 + 1, s, n);
		n = strlen(s);
	}
	key(j, k);
	GEN(j, yajl_gen_string(j->g, (const unsigned char *)s, n));
	if (buf != stack)
		free(buf);
}

/* as j_utf8, any length; NULL is null */
static void j_text(struct dt_json *j, const char *k, const char *s)
{
	if (s)
		j_utf8(j, k, s, SIZE_MAX);
	else
		j_null(j, k);
}

static void j_dev(struct dt_json *j, const char *k, uint64_t d)
{
	char b[24];

	snprintf(b, sizeof(b), "%u:%u", dt_dev_major(d), dt_dev_minor(d));
	j_str(j, k, b);
}

/* what the generator holds goes to the report's FILE */
static void flush(struct dt_json *j)
{
	const unsigned char *b;
	size_t n;

	GEN(j, yajl_gen_get_buf(j->g, &b, &n));
	if (!j->err && n && fwrite(b, 1, n, j->f) != n)	/* b is NULL before any output */
		j->err = errno ? -errno : -EIO;
	yajl_gen_clear(j->g);
}

/* within a read: flush only when yajl's buffer has grown past DT_JSON_FLUSH */
static void flush_big(struct dt_json *j)
{
	const unsigned char *b;
	size_t n;

	if (!j->err && yajl_gen_get_buf(j->g, &b, &n) == yajl_gen_status_ok &&
	    n >= DT_JSON_FLUSH)
		flush(j);
}

/* whitespace between members */
static void nl(struct dt_json *j)
{
	flush(j);
	if (!j->err && fputc('\n', j->f) == EOF)
		j->err = errno ? -errno : -EIO;
}

/* ---- one read ---- */

static void w_ledger(struct dt_json *j, const struct dt_ledger *l)
{
	j_map(j, "ledger");
	j_u64(j, "requested", l->requested);
	j_u64(j, "expected", l->expected);
	j_i64(j, "returned", l->returned);
	j_u64(j, "total", l->total);
	j_u64(j, "done", l->done);
	j_bool(j, "counters_read", l->counters_read);
	if (l->done_from)
		j_str(j, "done_from", l->done_from);
	else
		j_null(j, "done_from");
	j_u64(j, "inline", l->inline_bytes);
	j_u64(j, "zero", l->zero_bytes);
	j_u64(j, "mapped", l->mapped_bytes);
	j_u64(j, "unmapped", l->unmapped_bytes);
	j_u64(j, "backing_submitted", l->bk_submitted);
	j_u64(j, "backing_completed", l->bk_completed);
	j_u64(j, "backing_after_dio", l->bk_fallback);
	j_u64(j, "erofs_pc_bytes", l->erofs_pc_bytes);
	j_u64(j, "backing_pc_bytes", l->backing_pc_bytes);
	j_num(j, "extents", l->nr_extents);
	j_num(j, "backing_reads", l->nr_backing);
	j_num(j, "bad_offsets", l->bad_offsets);
	j_num(j, "late_completions", l->late_completions);
	j_num(j, "pending", l->pending);
	j_end_map(j);
}

static void w_extent(struct dt_json *j, const struct dt_ext_rec *x)
{
	j_map(j, NULL);
	j_u64(j, "m_la", x->m_la);
	j_u64(j, "m_pa", x->m_pa);
	j_u64(j, "m_llen", x->m_llen);
	j_u64(j, "m_plen", x->m_plen);
	j_num(j, "m_flags", x->m_flags);
	j_str(j, "kind", x->m_flags & DT_MAP_META ? "inline" :
	      x->m_flags & DT_MAP_MAPPED ? "mapped" : "hole");
	j_num(j, "m_deviceid", x->m_deviceid);
	j_i64(j, "err", x->err);
	j_end_map(j);
}

static void w_backing(struct dt_json *j, const struct dt_bk_rec *b)
{
	char addr[24];

	snprintf(addr, sizeof(addr), "0x%llx", (unsigned long long)b->rq);
	j_map(j, NULL);
	j_str(j, "rq", addr);	/* an address: exact as text */
	j_dev(j, "dev", b->dev);
	j_u64(j, "ino", b->ino);
	j_i64(j, "pos", b->pos);
	j_u64(j, "len", b->len);
	if (b->ret_seen)
		j_i64(j, "ret", b->ret);
	else
		j_null(j, "ret");
	if (b->done_seen)
		j_i64(j, "result", b->result);
	else
		j_null(j, "result");
	j_bool(j, "queued", b->ret_seen && b->ret == -DT_EIOCBQUEUED);
	if (b->done_seen)
		j_num(j, "completed_by_tid", b->done_tid);
	else
		j_null(j, "completed_by_tid");
	j_bool(j, "late", b->late);
	j_bool(j, "directio", b->flags & DT_IOCB_DIRECT);
	if (b->expect_pos >= 0)
		j_i64(j, "expected_pos", b->expect_pos);
	else
		j_null(j, "expected_pos");
	j_bool(j, "bad_offset", b->bad_offset);
	j_bool(j, "after_dio", b->after_dio);
	j_end_map(j);
}

static void w_error(struct dt_json *j, int64_t ret)
{
	const char *s = ret < 0 ? dt_errno_name(ret) : NULL;

	if (ret >= 0)
		j_null(j, "error");
	else if (s)
		j_str(j, "error", s);
	else
		j_num(j, "error", 0 - (uint64_t)ret);	/* -ret without overflow */
}

static void w_checks(struct dt_json *j, const struct dt_engine *e, const struct dt_rq *rq)
{
	unsigned int i;

	j_map(j, "checks");
	for (i = 0; i < DT_CHK_MAX; i++) {
		if (rq->chk[i].st == DT_ST_NA)
			continue;
		j_map(j, dt_check_name(i));
		j_str(j, "status", dt_status_name(rq->chk[i].st));
		j_utf8(j, "why", dt_engine_why(e, rq, i), sizeof(rq->chk[i].why));
		if (rq->chk[i].gap)
			j_str(j, "gap", dt_gap_name(rq->chk[i].gap));
		j_end_map(j);
	}
	j_end_map(j);
}

static void w_request(struct dt_json *j, const struct dt_engine *e, const struct dt_rq *rq)
{
	unsigned int i;

	j_map(j, NULL);
	j_u64(j, "id", rq->id);
	j_num(j, "pid", rq->pid);
	j_num(j, "tid", rq->tid);
	j_utf8(j, "comm", rq->comm, DT_COMM_LEN);
	j_dev(j, "dev", rq->dev);
	j_u64(j, "ino", rq->ino);
	j_bool(j, "direct", rq->direct);
	j_i64(j, "pos", rq->pos);
	j_u64(j, "len", rq->len);
	j_u64(j, "isize", rq->isize);
	if (rq->ended)
		j_i64(j, "returned", rq->l.returned);
	else
		j_null(j, "returned");
	j_bool(j, "queued", rq->queued);
	w_error(j, rq->l.returned);
	w_ledger(j, &rq->l);
	j_arr(j, "extents");
	for (i = 0; i < rq->nr_ext; i++) {
		w_extent(j, &rq->ext[i]);
		flush_big(j);
	}
	j_end_arr(j);
	j_arr(j, "backing_reads");
	for (i = 0; i < rq->nr_bk; i++) {
		w_backing(j, &rq->bk[i]);
		flush_big(j);
	}
	j_end_arr(j);
	w_checks(j, e, rq);
	j_str(j, "verdict", dt_verdict_name(rq->verdict));
	j_end_map(j);
}

/* ---- the summary, after the reads ---- */

static void w_file(struct dt_json *j, const struct dt_file *f)
{
	j_map(j, NULL);
	j_dev(j, "dev", f->dev);
	j_u64(j, "ino", f->ino);
	j_str(j, "kind", f->erofs ? "erofs" : "backing");
	j_u64(j, "reads", f->requests);
	j_u64(j, "direct", f->direct);
	j_u64(j, "buffered", f->buffered);
	j_u64(j, "failed", f->failed);
	j_u64(j, "inconclusive", f->inconclusive);
	j_u64(j, "untracked", f->untracked);
	j_u64(j, "bytes_requested", f->bytes_requested);
	j_u64(j, "bytes_returned", f->bytes_returned);
	j_u64(j, "backing_reads", f->bk_reads);
	j_u64(j, "backing_bytes", f->bk_bytes);
	j_u64(j, "pc_bytes_in_reads", f->pc_in_reads);
	j_u64(j, "pc_bytes_outside", f->pc_outside);
	j_u64(j, "pc_bytes_deleted", f->pc_deleted);
	j_end_map(j);
}

static void w_roles(struct dt_json *j, const struct dt_engine *e)
{
	int r;

	j_arr(j, "roles");
	for (r = 0; r < DT_ROLE_MAX; r++) {
		bool bound = dt_engine_role_bound(e, r);
		const char *how = dt_engine_role_how(e, r);

		j_map(j, NULL);
		j_str(j, "name", dt_role_name(r));
		j_bool(j, "bound", bound);
		j_bool(j, "silent", dt_engine_role_silent(e, r));
		j_text(j, "why", bound ? NULL : dt_engine_role_why(e, r));
		j_text(j, "program", *how ? how : NULL);
		j_u64(j, "events", dt_engine_stats(e)->role_events[r]);
		j_end_map(j);
	}
	j_end_arr(j);
}

static void w_counters(struct dt_json *j, const struct dt_engine *e)
{
	static const char * const names[DT_CNT_MAX] = {
		[DT_CNT_EMITTED] = "emitted", [DT_CNT_RB_DROPPED] = "ringbuf_dropped",
		[DT_CNT_READS] = "reads_issued", [DT_CNT_MAP_FULL] = "map_full",
		[DT_CNT_EVICTED] = "evicted", [DT_CNT_PIDS_FULL] = "pids_full",
	};
	uint64_t cnt[DT_CNT_MAX];
	int i;

	if (!dt_engine_counters(e, cnt)) {
		j_null(j, "counters");
		return;
	}
	j_map(j, "counters");
	for (i = 0; i < DT_CNT_MAX; i++)
		j_num(j, names[i], cnt[i]);
	j_end_map(j);
}

static void w_notes(struct dt_json *j, const struct dt_engine *e)
{
	enum dt_gap g;
	const char *s;
	size_t i;

	j_arr(j, "notes");
	for (i = 0; (s = dt_engine_note(e, i, &g)); i++) {
		j_map(j, NULL);
		j_str(j, "gap", dt_gap_name(g));
		j_text(j, "why", s);
		j_end_map(j);
	}
	j_end_arr(j);
}

static void w_evidence(struct dt_json *j, const struct dt_engine *e)
{
	const struct dt_stats *s = dt_engine_stats(e);
	int t;

	j_map(j, "evidence");
	j_u64(j, "events", s->events);
	j_u64(j, "skipped", s->skipped);
	j_u64(j, "lost", s->lost);
	j_bool(j, "loss_stamped", dt_engine_get_opts(e)->loss_stamped);
	j_u64(j, "reads_touched_by_loss", s->touched);
	j_u64(j, "reads_end_lost", s->superseded);
	j_u64(j, "untracked_reads", s->untracked);
	j_u64(j, "max_inflight", dt_engine_get_opts(e)->max_inflight);
	j_u64(j, "details_dropped", s->details_dropped);
	j_u64(j, "out_of_order", s->reordered);
	j_u64(j, "malformed", s->bad_events);
	j_map(j, "async");
	j_u64(j, "queued", s->queued_reqs);
	j_u64(j, "completed", s->completions);
	j_u64(j, "declined_nowait", s->declined);
	j_end_map(j);
	w_counters(j, e);
	j_map(j, "outside_reads");
	for (t = 1; t < DT_EV_MAX; t++)
		if (s->orphans[t])
			j_u64(j, dt_event_name(t), s->orphans[t]);
	j_end_map(j);
	w_notes(j, e);
	j_end_map(j);
}

static void w_findings(struct dt_json *j, const struct dt_engine *e)
{
	size_t i;

	j_arr(j, "findings");
	for (i = 0; i < dt_engine_nr_opens(e); i++) {
		const struct dt_open_rec *op = dt_engine_open(e, i);

		j_map(j, NULL);
		j_str(j, "kind", "no_direct_io");
		j_str(j, "message", "this kernel has no direct I/O for "
		      "file-backed EROFS (open O_DIRECT -> EINVAL)");
		j_utf8(j, "path", op->path, DT_PATH_MAX);
		j_dev(j, "dev", op->dev);
		j_u64(j, "ino", op->ino);
		j_i64(j, "pid", op->pid);
		j_utf8(j, "comm", op->comm, DT_COMM_LEN);
		j_i64(j, "ret", op->ret);
		j_end_map(j);
	}
	j_end_arr(j);
}

static void w_summary(struct dt_json *j, const struct dt_engine *e)
{
	const struct dt_stats *s = dt_engine_stats(e);

	j_map(j, "summary");
	j_u64(j, "reads", s->requests);
	j_u64(j, "direct", s->direct);
	j_u64(j, "buffered", s->buffered);
	j_u64(j, "pass", s->pass);
	j_u64(j, "fail", s->fail);
	j_u64(j, "inconclusive", s->inconclusive);
	j_u64(j, "refused_direct_opens", s->refused_opens);
	j_map(j, "double_caching");
	j_u64(j, "buffered_reads", s->buffered);
	j_u64(j, "bytes_returned", s->buf_bytes_returned);
	j_u64(j, "erofs_pc_bytes", s->buf_erofs_pc);
	j_u64(j, "backing_pc_bytes", s->buf_backing_pc);
	j_bool(j, "measured", dt_engine_role_bound(e, DT_ROLE_PC_ADD));
	j_end_map(j);
	j_end_map(j);
}

static void w_reasons(struct dt_json *j, const struct dt_engine *e)
{
	const char *s;
	size_t i;

	j_arr(j, "reasons");
	for (i = 0; (s = dt_engine_reason(e, i)); i++)
		j_text(j, NULL, s);
	j_end_arr(j);
}

/* ---- the document ---- */

int dt_report_json_head(struct dt_json *j, const struct dt_engine_opts *o)
{
	j_map(j, NULL);
	nl(j);
	j_i64(j, "version", DT_JSON_VERSION);
	j_str(j, "tool", "erofs-diotrace " DT_VERSION);
	j_i64(j, "event_version", DT_EVENT_VERSION);
	j_bool(j, "expect_dio", o->expect_dio);
	nl(j);
	j_arr(j, "reads");
	return j->err;
}

int dt_report_json_read(struct dt_json *j, const struct dt_engine *e, const struct dt_rq *rq)
{
	if (j->err)
		return j->err;
	nl(j);
	w_request(j, e, rq);
	flush(j);
	return j->err;
}

int dt_report_json_tail(struct dt_json *j, const struct dt_engine *e)
{
	size_t i, n = dt_engine_nr_files(e);

	if (j->err)
		return j->err;
	nl(j);
	j_end_arr(j);
	j_str(j, "verdict", dt_verdict_name(dt_engine_verdict(e)));
	nl(j);
	w_reasons(j, e);
	nl(j);
	w_summary(j, e);
	nl(j);
	w_roles(j, e);
	nl(j);
	w_evidence(j, e);
	nl(j);
	w_findings(j, e);
	nl(j);
	j_arr(j, "files");
	for (i = 0; i < n && !j->err; i++) {
		nl(j);
		w_file(j, dt_engine_file(e, i));
	}
	nl(j);
	j_end_arr(j);
	nl(j);
	j_end_map(j);
	nl(j);
	return j->err;
}
