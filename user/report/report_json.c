// SPDX-License-Identifier: GPL-2.0-only
/*
 * The JSON report (json-c per object): the same content as the text report,
 * sizes in bytes, stable keys.  "version" is the report schema version; bump
 * it when a key changes meaning or goes away.  Written as a stream: the head,
 * one object per read as it closes, then verdict, summary, roles, evidence,
 * findings and files.  Strings from the kernel (comm, paths) are made valid
 * UTF-8 first.
 */
#include <errno.h>
#include <json-c/json.h>
#include <string.h>
#include "commands.h"
#include "escape.h"
#include "jsonw.h"
#include "ledger.h"
#include "report.h"

#define DT_JSON_VERSION	1

typedef struct json_object jo;

static jo *u64(uint64_t v)
{
	return v == DT_UNKNOWN ? NULL : json_object_new_uint64(v);
}

static jo *str(const char *s, size_t max)
{
	char buf[DT_PATH_MAX * 3 + 1];

	return json_object_new_string(dt_esc_utf8(buf, sizeof(buf), s, max));
}

static jo *dev(uint64_t d)
{
	char b[24];

	snprintf(b, sizeof(b), "%u:%u", dt_dev_major(d), dt_dev_minor(d));
	return json_object_new_string(b);
}

#define ADD(o, k, v)	json_object_object_add((o), (k), (v))

/* ---- one read, with the streaming writer (jsonw.h) ---- */

static void w_u64(struct dt_jw *w, const char *k, uint64_t v)
{
	if (v == DT_UNKNOWN)
		dt_jw_null(w, k);
	else
		dt_jw_u64(w, k, v);
}

static void w_dev(struct dt_jw *w, const char *k, uint64_t d)
{
	char b[24];

	snprintf(b, sizeof(b), "%u:%u", dt_dev_major(d), dt_dev_minor(d));
	dt_jw_str(w, k, b);
}

static void w_utf8(struct dt_jw *w, const char *k, const char *s, size_t max)
{
	char buf[DT_PATH_MAX * 3 + 1];
	size_t i;

	for (i = 0; i < max && s[i] && !(s[i] & 0x80); i++)
		;
	if (i < max && s[i])	/* not plain ASCII: make it valid UTF-8 */
		s = dt_esc_utf8(buf, sizeof(buf), s, max);
	else if (i == max)	/* not NUL-terminated within max */
		s = dt_esc_utf8(buf, sizeof(buf), s, max);
	dt_jw_str(w, k, s);
}

static void w_ledger(struct dt_jw *w, const struct dt_ledger *l)
{
	dt_jw_open(w, "ledger", '{');
	w_u64(w, "requested", l->requested);
	w_u64(w, "expected", l->expected);
	dt_jw_i64(w, "returned", l->returned);
	w_u64(w, "total", l->total);
	w_u64(w, "done", l->done);
	dt_jw_bool(w, "counters_read", l->counters_read);
	if (l->done_from)
		dt_jw_str(w, "done_from", l->done_from);
	else
		dt_jw_null(w, "done_from");
	w_u64(w, "inline", l->inline_bytes);
	w_u64(w, "zero", l->zero_bytes);
	w_u64(w, "mapped", l->mapped_bytes);
	w_u64(w, "unmapped", l->unmapped_bytes);
	w_u64(w, "backing_submitted", l->bk_submitted);
	w_u64(w, "backing_completed", l->bk_completed);
	w_u64(w, "backing_after_dio", l->bk_fallback);
	w_u64(w, "erofs_pc_bytes", l->erofs_pc_bytes);
	w_u64(w, "backing_pc_bytes", l->backing_pc_bytes);
	dt_jw_u64(w, "extents", l->nr_extents);
	dt_jw_u64(w, "backing_reads", l->nr_backing);
	dt_jw_u64(w, "bad_offsets", l->bad_offsets);
	dt_jw_u64(w, "late_completions", l->late_completions);
	dt_jw_u64(w, "pending", l->pending);
	dt_jw_close(w, '}');
}

static void w_extent(struct dt_jw *w, const struct dt_ext_rec *x)
{
	dt_jw_open(w, NULL, '{');
	w_u64(w, "m_la", x->m_la);
	w_u64(w, "m_pa", x->m_pa);
	w_u64(w, "m_llen", x->m_llen);
	w_u64(w, "m_plen", x->m_plen);
	dt_jw_u64(w, "m_flags", x->m_flags);
	dt_jw_str(w, "kind", x->m_flags & DT_MAP_META ? "inline" :
		  x->m_flags & DT_MAP_MAPPED ? "mapped" : "hole");
	dt_jw_u64(w, "m_deviceid", x->m_deviceid);
	dt_jw_i64(w, "err", x->err);
	dt_jw_close(w, '}');
}

static void w_backing(struct dt_jw *w, const struct dt_bk_rec *b)
{
	char addr[24];

	snprintf(addr, sizeof(addr), "0x%llx", (unsigned long long)b->rq);
	dt_jw_open(w, NULL, '{');
	dt_jw_str(w, "rq", addr);	/* an address: exact as text */
	w_dev(w, "dev", b->dev);
	w_u64(w, "ino", b->ino);
	dt_jw_i64(w, "pos", b->pos);
	w_u64(w, "len", b->len);
	if (b->ret_seen)
		dt_jw_i64(w, "ret", b->ret);
	else
		dt_jw_null(w, "ret");
	if (b->done_seen)
		dt_jw_i64(w, "result", b->result);
	else
		dt_jw_null(w, "result");
	dt_jw_bool(w, "queued", b->ret_seen && b->ret == -DT_EIOCBQUEUED);
	if (b->done_seen)
		dt_jw_u64(w, "completed_by_tid", b->done_tid);
	else
		dt_jw_null(w, "completed_by_tid");
	dt_jw_bool(w, "late", b->late);
	dt_jw_bool(w, "directio", b->flags & DT_IOCB_DIRECT);
	if (b->expect_pos >= 0)
		dt_jw_i64(w, "expected_pos", b->expect_pos);
	else
		dt_jw_null(w, "expected_pos");
	dt_jw_bool(w, "bad_offset", b->bad_offset);
	dt_jw_bool(w, "after_dio", b->after_dio);
	dt_jw_close(w, '}');
}

static void w_error(struct dt_jw *w, int64_t ret)
{
	const char *s = ret < 0 ? dt_errno_name(ret) : NULL;

	if (ret >= 0)
		dt_jw_null(w, "error");
	else if (s)
		dt_jw_str(w, "error", s);
	else
		dt_jw_u64(w, "error", 0 - (uint64_t)ret);	/* -ret without overflow */
}

static void w_request(struct dt_jw *w, const struct dt_engine *e, const struct dt_rq *rq)
{
	unsigned int i;

	dt_jw_open(w, NULL, '{');
	w_u64(w, "id", rq->id);
	dt_jw_u64(w, "pid", rq->pid);
	dt_jw_u64(w, "tid", rq->tid);
	w_utf8(w, "comm", rq->comm, DT_COMM_LEN);
	w_dev(w, "dev", rq->dev);
	w_u64(w, "ino", rq->ino);
	dt_jw_bool(w, "direct", rq->direct);
	dt_jw_i64(w, "pos", rq->pos);
	w_u64(w, "len", rq->len);
	w_u64(w, "isize", rq->isize);
	if (rq->ended)
		dt_jw_i64(w, "returned", rq->l.returned);
	else
		dt_jw_null(w, "returned");
	w_error(w, rq->l.returned);
	w_ledger(w, &rq->l);
	dt_jw_open(w, "extents", '[');
	for (i = 0; i < rq->nr_ext; i++)
		w_extent(w, &rq->ext[i]);
	dt_jw_close(w, ']');
	dt_jw_open(w, "backing_reads", '[');
	for (i = 0; i < rq->nr_bk; i++)
		w_backing(w, &rq->bk[i]);
	dt_jw_close(w, ']');
	dt_jw_open(w, "checks", '{');
	for (i = 0; i < DT_CHK_MAX; i++) {
		if (rq->chk[i].st == DT_ST_NA)
			continue;
		dt_jw_open(w, dt_check_name(i), '{');
		dt_jw_str(w, "status", dt_status_name(rq->chk[i].st));
		w_utf8(w, "why", dt_engine_why(e, rq, i), sizeof(rq->chk[i].why));
		if (rq->chk[i].gap)
			dt_jw_str(w, "gap", dt_gap_name(rq->chk[i].gap));
		dt_jw_close(w, '}');
	}
	dt_jw_close(w, '}');
	dt_jw_str(w, "verdict", dt_verdict_name(rq->verdict));
	dt_jw_close(w, '}');
}

static jo *file(const struct dt_file *f)
{
	jo *o = json_object_new_object();

	ADD(o, "dev", dev(f->dev));
	ADD(o, "ino", u64(f->ino));
	ADD(o, "kind", json_object_new_string(f->erofs ? "erofs" : "backing"));
	ADD(o, "reads", u64(f->requests));
	ADD(o, "direct", u64(f->direct));
	ADD(o, "buffered", u64(f->buffered));
	ADD(o, "failed", u64(f->failed));
	ADD(o, "inconclusive", u64(f->inconclusive));
	ADD(o, "untracked", u64(f->untracked));
	ADD(o, "bytes_requested", u64(f->bytes_requested));
	ADD(o, "bytes_returned", u64(f->bytes_returned));
	ADD(o, "backing_reads", u64(f->bk_reads));
	ADD(o, "backing_bytes", u64(f->bk_bytes));
	ADD(o, "pc_bytes_in_reads", u64(f->pc_in_reads));
	ADD(o, "pc_bytes_outside", u64(f->pc_outside));
	ADD(o, "pc_bytes_deleted", u64(f->pc_deleted));
	return o;
}

static jo *roles(const struct dt_engine *e)
{
	jo *a = json_object_new_array(), *o;
	int r;

	for (r = 0; r < DT_ROLE_MAX; r++) {
		bool bound = dt_engine_role_bound(e, r);
		const char *how = dt_engine_role_how(e, r);

		o = json_object_new_object();
		ADD(o, "name", json_object_new_string(dt_role_name(r)));
		ADD(o, "bound", json_object_new_boolean(bound));
		ADD(o, "silent", json_object_new_boolean(dt_engine_role_silent(e, r)));
		ADD(o, "why", bound ? NULL : json_object_new_string(dt_engine_role_why(e, r)));
		ADD(o, "program", *how ? json_object_new_string(how) : NULL);
		ADD(o, "events", u64(dt_engine_stats(e)->role_events[r]));
		json_object_array_add(a, o);
	}
	return a;
}

static jo *counters(const struct dt_engine *e)
{
	static const char * const names[DT_CNT_MAX] = {
		[DT_CNT_EMITTED] = "emitted", [DT_CNT_RB_DROPPED] = "ringbuf_dropped",
		[DT_CNT_READS] = "reads_issued", [DT_CNT_MAP_FULL] = "map_full",
		[DT_CNT_EVICTED] = "evicted", [DT_CNT_PIDS_FULL] = "pids_full",
	};
	uint64_t cnt[DT_CNT_MAX];
	jo *o;
	int i;

	if (!dt_engine_counters(e, cnt))
		return NULL;
	o = json_object_new_object();
	for (i = 0; i < DT_CNT_MAX; i++)
		ADD(o, names[i], json_object_new_uint64(cnt[i]));
	return o;
}

static jo *evidence(const struct dt_engine *e)
{
	const struct dt_stats *st = dt_engine_stats(e);
	jo *o = json_object_new_object(), *orph = json_object_new_object(), *n, *x;
	enum dt_gap g;
	const char *s;
	size_t i;
	int t;

	ADD(o, "events", u64(st->events));
	ADD(o, "skipped", u64(st->skipped));
	ADD(o, "lost", u64(st->lost));
	ADD(o, "loss_stamped", json_object_new_boolean(dt_engine_get_opts(e)->loss_stamped));
	ADD(o, "reads_touched_by_loss", u64(st->touched));
	ADD(o, "reads_end_lost", u64(st->superseded));
	ADD(o, "untracked_reads", u64(st->untracked));
	ADD(o, "max_inflight", u64(dt_engine_get_opts(e)->max_inflight));
	ADD(o, "details_dropped", u64(st->details_dropped));
	ADD(o, "out_of_order", u64(st->reordered));
	ADD(o, "malformed", u64(st->bad_events));
	ADD(o, "counters", counters(e));
	for (t = 1; t < DT_EV_MAX; t++)
		if (st->orphans[t])
			ADD(orph, dt_event_name(t), u64(st->orphans[t]));
	ADD(o, "outside_reads", orph);
	n = json_object_new_array();
	for (i = 0; (s = dt_engine_note(e, i, &g)); i++) {
		x = json_object_new_object();
		ADD(x, "gap", json_object_new_string(dt_gap_name(g)));
		ADD(x, "why", json_object_new_string(s));
		json_object_array_add(n, x);
	}
	ADD(o, "notes", n);
	return o;
}

static jo *findings(const struct dt_engine *e)
{
	jo *a = json_object_new_array(), *o;
	size_t i;

	for (i = 0; i < dt_engine_nr_opens(e); i++) {
		const struct dt_open_rec *op = dt_engine_open(e, i);

		o = json_object_new_object();
		ADD(o, "kind", json_object_new_string("no_direct_io"));
		ADD(o, "message", json_object_new_string("this kernel has no direct I/O for "
			"file-backed EROFS (open O_DIRECT -> EINVAL)"));
		ADD(o, "path", str(op->path, DT_PATH_MAX));
		ADD(o, "dev", dev(op->dev));
		ADD(o, "ino", u64(op->ino));
		ADD(o, "pid", json_object_new_int64(op->pid));
		ADD(o, "comm", str(op->comm, DT_COMM_LEN));
		ADD(o, "ret", json_object_new_int(op->ret));
		json_object_array_add(a, o);
	}
	return a;
}

static jo *summary(const struct dt_engine *e)
{
	const struct dt_stats *st = dt_engine_stats(e);
	jo *o = json_object_new_object(), *d = json_object_new_object();

	ADD(o, "reads", u64(st->requests));
	ADD(o, "direct", u64(st->direct));
	ADD(o, "buffered", u64(st->buffered));
	ADD(o, "pass", u64(st->pass));
	ADD(o, "fail", u64(st->fail));
	ADD(o, "inconclusive", u64(st->inconclusive));
	ADD(o, "refused_direct_opens", u64(st->refused_opens));
	ADD(d, "buffered_reads", u64(st->buffered));
	ADD(d, "bytes_returned", u64(st->buf_bytes_returned));
	ADD(d, "erofs_pc_bytes", u64(st->buf_erofs_pc));
	ADD(d, "backing_pc_bytes", u64(st->buf_backing_pc));
	ADD(d, "measured", json_object_new_boolean(dt_engine_role_bound(e, DT_ROLE_PC_ADD)));
	ADD(o, "double_caching", d);
	return o;
}

#define PLAIN	(JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

/* write o (and drop it); -1 on a write error */
static int put(FILE *f, const char *fmt, jo *o)
{
	int r = fprintf(f, fmt, o ? json_object_to_json_string_ext(o, PLAIN) : "null");

	json_object_put(o);
	return r < 0 ? -1 : 0;
}

int dt_report_json_head(const struct dt_engine_opts *o, FILE *f)
{
	return fprintf(f, "{\n\"version\":%d,\n\"tool\":\"erofs-diotrace %s\",\n"
		       "\"event_version\":%d,\n\"expect_dio\":%s,\n\"reads\":[\n",
		       DT_JSON_VERSION, DT_VERSION, DT_EVENT_VERSION,
		       o->expect_dio ? "true" : "false") < 0 ? -1 : 0;
}

static struct dt_jw w;	/* reused: one buffer for every read, freed at the tail */

int dt_report_json_read(const struct dt_engine *e, const struct dt_rq *rq, FILE *f, bool first)
{
	int r;

	dt_jw_reset(&w);
	w_request(&w, e, rq);
	if (w.oom)
		return -1;
	r = fprintf(f, first ? "%s" : ",\n%s", w.buf) < 0 ? -1 : 0;
	if (w.cap > 1 << 20)	/* a huge read: do not keep its buffer */
		dt_jw_free(&w);
	return r;
}

int dt_report_json_tail(const struct dt_engine *e, FILE *f)
{
	jo *a = json_object_new_array();
	const char *s;
	size_t i, n = dt_engine_nr_files(e);

	dt_jw_free(&w);
	for (i = 0; (s = dt_engine_reason(e, i)); i++)
		json_object_array_add(a, json_object_new_string(s));
	if (fprintf(f, "\n],\n\"verdict\":\"%s\"", dt_verdict_name(dt_engine_verdict(e))) < 0 ||
	    put(f, ",\n\"reasons\":%s", a) || put(f, ",\n\"summary\":%s", summary(e)) ||
	    put(f, ",\n\"roles\":%s", roles(e)) || put(f, ",\n\"evidence\":%s", evidence(e)) ||
	    put(f, ",\n\"findings\":%s", findings(e)) || fprintf(f, ",\n\"files\":[\n") < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (put(f, i ? ",\n%s" : "%s", file(dt_engine_file(e, i))))
			return -1;
	return fprintf(f, "\n]\n}\n") < 0 ? -1 : 0;
}
