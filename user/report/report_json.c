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

static jo *errno_or_null(int64_t ret)
{
	const char *s = ret < 0 ? dt_errno_name(ret) : NULL;

	if (ret >= 0)
		return NULL;
	/* -ret without overflow: INT64_MIN has no positive twin */
	return s ? json_object_new_string(s) : json_object_new_uint64(0 - (uint64_t)ret);
}

#define ADD(o, k, v)	json_object_object_add((o), (k), (v))

static jo *ledger(const struct dt_ledger *l)
{
	jo *o = json_object_new_object();

	ADD(o, "requested", u64(l->requested));
	ADD(o, "expected", u64(l->expected));
	ADD(o, "returned", json_object_new_int64(l->returned));
	ADD(o, "total", u64(l->total));
	ADD(o, "done", u64(l->done));
	ADD(o, "counters_read", json_object_new_boolean(l->counters_read));
	ADD(o, "done_from", l->done_from ? json_object_new_string(l->done_from) : NULL);
	ADD(o, "inline", u64(l->inline_bytes));
	ADD(o, "zero", u64(l->zero_bytes));
	ADD(o, "mapped", u64(l->mapped_bytes));
	ADD(o, "unmapped", u64(l->unmapped_bytes));
	ADD(o, "backing_submitted", u64(l->bk_submitted));
	ADD(o, "backing_completed", u64(l->bk_completed));
	ADD(o, "backing_after_dio", u64(l->bk_fallback));
	ADD(o, "erofs_pc_bytes", u64(l->erofs_pc_bytes));
	ADD(o, "backing_pc_bytes", u64(l->backing_pc_bytes));
	ADD(o, "extents", json_object_new_int(l->nr_extents));
	ADD(o, "backing_reads", json_object_new_int(l->nr_backing));
	ADD(o, "bad_offsets", json_object_new_int(l->bad_offsets));
	ADD(o, "late_completions", json_object_new_int(l->late_completions));
	ADD(o, "pending", json_object_new_int(l->pending));
	return o;
}

static jo *extent(const struct dt_ext_rec *x)
{
	jo *o = json_object_new_object();

	ADD(o, "m_la", u64(x->m_la));
	ADD(o, "m_pa", u64(x->m_pa));
	ADD(o, "m_llen", u64(x->m_llen));
	ADD(o, "m_plen", u64(x->m_plen));
	ADD(o, "m_flags", json_object_new_int64(x->m_flags));
	ADD(o, "kind", json_object_new_string(x->m_flags & DT_MAP_META ? "inline" :
			x->m_flags & DT_MAP_MAPPED ? "mapped" : "hole"));
	ADD(o, "m_deviceid", json_object_new_int64(x->m_deviceid));
	ADD(o, "err", json_object_new_int(x->err));
	return o;
}

static jo *backing(const struct dt_bk_rec *b)
{
	jo *o = json_object_new_object();
	char addr[24];

	snprintf(addr, sizeof(addr), "0x%llx", (unsigned long long)b->rq);
	ADD(o, "rq", json_object_new_string(addr));	/* an address: exact as text */
	ADD(o, "dev", dev(b->dev));
	ADD(o, "ino", u64(b->ino));
	ADD(o, "pos", json_object_new_int64(b->pos));
	ADD(o, "len", u64(b->len));
	ADD(o, "ret", b->ret_seen ? json_object_new_int64(b->ret) : NULL);
	ADD(o, "result", b->done_seen ? json_object_new_int64(b->result) : NULL);
	ADD(o, "queued", json_object_new_boolean(b->ret_seen && b->ret == -DT_EIOCBQUEUED));
	ADD(o, "completed_by_tid", b->done_seen ? json_object_new_int64(b->done_tid) : NULL);
	ADD(o, "late", json_object_new_boolean(b->late));
	ADD(o, "directio", json_object_new_boolean(b->flags & DT_IOCB_DIRECT));
	ADD(o, "expected_pos", b->expect_pos >= 0 ? json_object_new_int64(b->expect_pos) : NULL);
	ADD(o, "bad_offset", json_object_new_boolean(b->bad_offset));
	ADD(o, "after_dio", json_object_new_boolean(b->after_dio));
	return o;
}

static jo *request(const struct dt_engine *e, const struct dt_rq *rq)
{
	jo *o = json_object_new_object(), *a, *c;
	unsigned int i;

	ADD(o, "id", u64(rq->id));
	ADD(o, "pid", json_object_new_int64(rq->pid));
	ADD(o, "tid", json_object_new_int64(rq->tid));
	ADD(o, "comm", str(rq->comm, DT_COMM_LEN));
	ADD(o, "dev", dev(rq->dev));
	ADD(o, "ino", u64(rq->ino));
	ADD(o, "direct", json_object_new_boolean(rq->direct));
	ADD(o, "pos", json_object_new_int64(rq->pos));
	ADD(o, "len", u64(rq->len));
	ADD(o, "isize", u64(rq->isize));
	ADD(o, "returned", rq->ended ? json_object_new_int64(rq->l.returned) : NULL);
	ADD(o, "error", errno_or_null(rq->l.returned));
	ADD(o, "ledger", ledger(&rq->l));
	a = json_object_new_array();
	for (i = 0; i < rq->nr_ext; i++)
		json_object_array_add(a, extent(&rq->ext[i]));
	ADD(o, "extents", a);
	a = json_object_new_array();
	for (i = 0; i < rq->nr_bk; i++)
		json_object_array_add(a, backing(&rq->bk[i]));
	ADD(o, "backing_reads", a);
	a = json_object_new_object();
	for (i = 0; i < DT_CHK_MAX; i++) {
		if (rq->chk[i].st == DT_ST_NA)
			continue;
		c = json_object_new_object();
		ADD(c, "status", json_object_new_string(dt_status_name(rq->chk[i].st)));
		ADD(c, "why", json_object_new_string(dt_engine_why(e, rq, i)));
		if (rq->chk[i].gap)
			ADD(c, "gap", json_object_new_string(dt_gap_name(rq->chk[i].gap)));
		ADD(a, dt_check_name(i), c);
	}
	ADD(o, "checks", a);
	ADD(o, "verdict", json_object_new_string(dt_verdict_name(rq->verdict)));
	return o;
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

int dt_report_json_read(const struct dt_engine *e, const struct dt_rq *rq, FILE *f, bool first)
{
	return put(f, first ? "%s" : ",\n%s", request(e, rq));
}

int dt_report_json_tail(const struct dt_engine *e, FILE *f)
{
	jo *a = json_object_new_array();
	const char *s;
	size_t i, n = dt_engine_nr_files(e);

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
