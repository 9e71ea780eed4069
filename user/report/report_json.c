// SPDX-License-Identifier: GPL-2.0-only
/*
 * The JSON report (json-c): the same content as the text report, sizes in
 * bytes, stable keys.  "version" is the report schema version; bump it when
 * a key changes meaning or goes away.
 */
#include <errno.h>
#include <json-c/json.h>
#include <string.h>
#include "commands.h"
#include "engine_int.h"

#define DT_JSON_VERSION	1

typedef struct json_object jo;

static jo *u64(uint64_t v)
{
	return v == DT_UNKNOWN ? NULL : json_object_new_uint64(v);
}

static jo *str(const char *s, size_t max)
{
	return json_object_new_string_len(s, strnlen(s, max));
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
	return s ? json_object_new_string(s) : json_object_new_int64(-ret);
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

static jo *request(const struct dt_rq *rq)
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
		ADD(c, "why", json_object_new_string(rq->chk[i].why));
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
		o = json_object_new_object();
		ADD(o, "name", json_object_new_string(dt_role_name(r)));
		ADD(o, "bound", json_object_new_boolean(dt_role_bound(e, r)));
		ADD(o, "why", dt_role_bound(e, r) ? NULL : json_object_new_string(e->roles[r].why));
		ADD(o, "program", *e->roles[r].how ? json_object_new_string(e->roles[r].how) : NULL);
		ADD(o, "events", u64(e->st.role_events[r]));
		json_object_array_add(a, o);
	}
	return a;
}

static jo *evidence(const struct dt_engine *e)
{
	const struct dt_stats *st = &e->st;
	jo *o = json_object_new_object(), *orph = json_object_new_object(), *n;
	size_t i;
	int t;

	ADD(o, "events", u64(st->events));
	ADD(o, "lost", u64(st->lost));
	ADD(o, "untracked_reads", u64(st->untracked));
	ADD(o, "max_inflight", u64(e->opts.max_inflight));
	ADD(o, "out_of_order", u64(st->reordered));
	ADD(o, "malformed", u64(st->bad_events));
	for (t = 1; t < DT_EV_MAX; t++)
		if (st->orphans[t])
			ADD(orph, dt_event_name(t), u64(st->orphans[t]));
	ADD(o, "outside_reads", orph);
	n = json_object_new_array();
	for (i = 0; i < e->nr_notes; i++)
		json_object_array_add(n, json_object_new_string(e->notes[i]));
	ADD(o, "notes", n);
	return o;
}

static jo *findings(const struct dt_engine *e)
{
	jo *a = json_object_new_array(), *o;
	size_t i;

	for (i = 0; i < e->nr_opens; i++) {
		const struct dt_open_rec *op = &e->opens[i];

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
	const struct dt_stats *st = &e->st;
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
	ADD(d, "measured", json_object_new_boolean(dt_role_bound(e, DT_ROLE_PC_ADD)));
	ADD(o, "double_caching", d);
	return o;
}

static jo *report(const struct dt_engine *e)
{
	jo *o = json_object_new_object(), *a;
	size_t i;

	ADD(o, "version", json_object_new_int(DT_JSON_VERSION));
	ADD(o, "tool", json_object_new_string("erofs-diotrace " DT_VERSION));
	ADD(o, "event_version", json_object_new_int(DT_EVENT_VERSION));
	ADD(o, "verdict", json_object_new_string(dt_verdict_name(dt_engine_verdict(e))));
	a = json_object_new_array();
	for (i = 0; i < e->nr_reasons; i++)
		json_object_array_add(a, json_object_new_string(e->reasons[i]));
	ADD(o, "reasons", a);
	ADD(o, "expect_dio", json_object_new_boolean(e->opts.expect_dio));
	ADD(o, "summary", summary(e));
	ADD(o, "roles", roles(e));
	ADD(o, "evidence", evidence(e));
	ADD(o, "findings", findings(e));
	a = json_object_new_array();
	for (i = 0; i < e->nr_files; i++)
		json_object_array_add(a, file(&e->files[i]));
	ADD(o, "files", a);
	a = json_object_new_array();
	for (i = 0; i < e->nr_closed; i++)
		json_object_array_add(a, request(e->closed[i]));
	ADD(o, "reads", a);
	return o;
}

/* path "-" writes to stdout; 0 or -errno */
int dt_report_json(const struct dt_engine *e, const char *path)
{
	jo *o = report(e);
	const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						      JSON_C_TO_STRING_NOSLASHESCAPE);
	FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;
	int err = 0;

	if (!f) {
		err = -errno;
	} else {
		if (fprintf(f, "%s\n", s) < 0)
			err = -EIO;
		if (f != stdout && fclose(f))
			err = err ? err : -errno;
		else if (f == stdout)
			fflush(stdout);
	}
	json_object_put(o);
	return err;
}
