// SPDX-License-Identifier: GPL-2.0-only
/*
 * The text report: reads (with --verbose every one as it closes, else the
 * kept ones that did not PASS), probe roles, files, the double-caching
 * measurement, findings, evidence and the verdict.  Sizes are human-readable
 * here; the JSON report (report_json.c) carries bytes.  comm and paths are
 * escaped: no control byte reaches the terminal.
 */
#include <string.h>
#include "escape.h"
#include "ledger.h"
#include "report.h"

#define MAX_LIST	16	/* extents / backing reads printed per read */
#define MAX_FILES	64	/* files listed without --verbose */

static const char *hsize(char *buf, size_t n, uint64_t v)
{
	static const char *unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double d = v;
	int u = 0;

	if (v == DT_UNKNOWN)
		return "?";
	while (d >= 1024 && u < 4) {
		d /= 1024;
		u++;
	}
	if (!u || d == (uint64_t)d)
		snprintf(buf, n, "%llu %s", (unsigned long long)d, unit[u]);
	else
		snprintf(buf, n, "%.1f %s", d, unit[u]);
	return buf;
}

#define H(v)	hsize((char[24]){ 0 }, 24, (v))

static const char *ret_str(char *buf, size_t n, int64_t ret)
{
	const char *s = ret < 0 ? dt_errno_name(ret) : NULL;

	if (s)
		snprintf(buf, n, "-%s", s);
	else if (ret < 0)
		snprintf(buf, n, "%lld", (long long)ret);
	else
		hsize(buf, n, ret);
	return buf;
}

#define RET(v)	ret_str((char[24]){ 0 }, 24, (v))

static void print_roles(const struct dt_engine *e, FILE *out)
{
	int r;

	fprintf(out, "Probe roles\n");
	for (r = 0; r < DT_ROLE_MAX; r++) {
		const char *how = dt_engine_role_how(e, r);

		if (dt_engine_role_bound(e, r))
			fprintf(out, "  %-15s %-9s %llu events%s%s\n", dt_role_name(r),
				dt_engine_role_silent(e, r) ? "SILENT" : "bound",
				(unsigned long long)dt_engine_stats(e)->role_events[r],
				*how ? ", by " : "", how);
		else
			fprintf(out, "  %-15s UNBOUND   %s\n", dt_role_name(r), dt_engine_role_why(e, r));
	}
}

static void print_extents(const struct dt_rq *rq, FILE *out)
{
	unsigned int i, shown = 0;

	for (i = 0; i < rq->nr_ext; i++) {
		const struct dt_ext_rec *x = &rq->ext[i];

		if (i && !memcmp(x, &rq->ext[i - 1], sizeof(*x)))
			continue;
		if (shown++ == MAX_LIST) {
			fprintf(out, "     extent  ... %u more\n", rq->nr_ext - i);
			return;
		}
		if (x->err) {
			fprintf(out, "     extent  m_la %llu: error %s\n",
				(unsigned long long)x->m_la, RET(x->err));
			continue;
		}
		fprintf(out, "     extent  [%llu, +%s) %s", (unsigned long long)x->m_la, H(x->m_llen),
			x->m_flags & DT_MAP_META ? "META (inline)" :
			x->m_flags & DT_MAP_MAPPED ? "MAPPED" : "hole");
		if (x->m_flags & DT_MAP_MAPPED)
			fprintf(out, " m_pa %llu", (unsigned long long)x->m_pa);
		if (x->m_deviceid)
			fprintf(out, " device %u", x->m_deviceid);
		fputc('\n', out);
	}
}

static void print_backing(const struct dt_rq *rq, FILE *out)
{
	unsigned int i;

	for (i = 0; i < rq->nr_bk && i < MAX_LIST; i++) {
		const struct dt_bk_rec *b = &rq->bk[i];

		fprintf(out, "     backing %u:%u ino %llu pos %lld len %s -> ", dt_dev_major(b->dev),
			dt_dev_minor(b->dev), (unsigned long long)b->ino, (long long)b->pos, H(b->len));
		if (b->done_seen)
			fprintf(out, "%s", RET(b->result));
		else if (b->ret_seen && b->ret != -DT_EIOCBQUEUED)
			fprintf(out, "%s", RET(b->ret));
		else
			fprintf(out, "never completed");
		if (b->ret_seen && b->ret == -DT_EIOCBQUEUED)
			fprintf(out, " (queued, completed by tid %u%s)", b->done_tid,
				b->late ? " AFTER the read returned" : "");
		if (b->flags & DT_IOCB_DIRECT)
			fprintf(out, " [directio]");
		if (b->after_dio && rq->direct)
			fprintf(out, " [after the DIO: buffered fallback]");
		if (b->bad_offset)
			fprintf(out, "  WRONG OFFSET: extent says %lld", (long long)b->expect_pos);
		fputc('\n', out);
	}
	if (rq->nr_bk > MAX_LIST)
		fprintf(out, "     backing ... %u more\n", rq->nr_bk - MAX_LIST);
}

void dt_report_text_read(const struct dt_engine *e, const struct dt_rq *rq, FILE *out, bool verbose)
{
	const struct dt_ledger *l = &rq->l;
	char comm[DT_COMM_LEN * 4 + 1];
	int k;

	fprintf(out, "  #%llu %s[%u/%u] %u:%u ino %llu %s pos %lld len %s -> %s%s  %s\n",
		(unsigned long long)rq->id, dt_esc_text(comm, sizeof(comm), rq->comm, DT_COMM_LEN),
		rq->pid, rq->tid,
		dt_dev_major(rq->dev), dt_dev_minor(rq->dev), (unsigned long long)rq->ino,
		rq->direct ? "direct" : "buffered", (long long)rq->pos, H(rq->len),
		rq->ended ? RET(l->returned) : rq->queued ? "-EIOCBQUEUED" : "(no return)",
		!rq->queued ? "" : rq->ended ? " (queued, ki_complete)" : " (queued, never completed)",
		dt_verdict_name(rq->verdict));
	if (verbose && rq->direct)
		fprintf(out, "     ledger  expected %s, total %s, done %s (%s); inline %s + zero %s + "
			"backing %s; mapped %s, backing submitted %s\n", H(l->expected), H(l->total),
			H(l->done), l->done_from ? l->done_from : "?", H(l->inline_bytes), H(l->zero_bytes),
			H(l->bk_completed), H(l->mapped_bytes), H(l->bk_submitted));
	if (verbose && rq->dio_seen)
		fprintf(out, "     dio     entered with %s at %lld, returned %s; kernel total %s, done %s\n",
			H(rq->dio_in.count), (long long)rq->dio_in.pos,
			rq->dio_ended ? RET(rq->dio_out.ret) : "(no return)",
			rq->dio_ended ? H(rq->dio_out.total) : "?",
			rq->dio_ended ? H(rq->dio_out.done) : "?");
	else if (verbose && rq->direct)
		fprintf(out, "     dio     %s\n", dt_engine_role_bound(e, DT_ROLE_DIO) ?
			"the DIO path was not entered" : "not traced (dio probe unbound)");
	if (verbose && rq->direct && l->bk_fallback)
		fprintf(out, "     after   the DIO returned, %s more read from the backing file "
			"(buffered fallback)\n", H(l->bk_fallback));
	if (verbose && !rq->direct)
		fprintf(out, "     ledger  expected %s; in the request: inline %s, zero %s, mapped %s; "
			"backing reads %s submitted, %s completed\n", H(l->expected),
			H(l->inline_bytes), H(l->zero_bytes), H(l->mapped_bytes),
			H(l->bk_submitted), H(l->bk_completed));
	if (verbose) {
		print_extents(rq, out);
		print_backing(rq, out);
		fprintf(out, "     cache   EROFS +%s, backing +%s\n", H(l->erofs_pc_bytes),
			H(l->backing_pc_bytes));
	}
	for (k = 0; k < DT_CHK_MAX; k++) {
		const struct dt_check_result *c = &rq->chk[k];

		if (c->st == DT_ST_NA || (!verbose && c->st == DT_ST_PASS))
			continue;
		fprintf(out, "     %-12s %s: %s\n", dt_status_name(c->st), dt_check_title(k),
			dt_engine_why(e, rq, k));
	}
}

static void print_reads(const struct dt_engine *e, FILE *out, bool verbose, bool streamed)
{
	const struct dt_stats *st = dt_engine_stats(e);
	size_t i, shown = 0;

	fprintf(out, "\nReads: %llu (%llu direct, %llu buffered): %llu PASS, %llu FAIL, "
		"%llu INCONCLUSIVE\n", (unsigned long long)st->requests,
		(unsigned long long)st->direct, (unsigned long long)st->buffered,
		(unsigned long long)st->pass, (unsigned long long)st->fail,
		(unsigned long long)st->inconclusive);
	if (verbose && streamed)
		return;		/* each read was printed as it closed */
	for (i = 0; i < dt_engine_nr_requests(e); i++) {
		const struct dt_rq *rq = dt_engine_request(e, i);

		if (!verbose && rq->verdict == DT_PASS)
			continue;
		if (!verbose && shown++ == 20) {
			fprintf(out, "  ... more; --verbose lists every read\n");
			break;
		}
		dt_report_text_read(e, rq, out, verbose);
	}
	if (st->details_dropped)
		fprintf(out, "  (%llu more reads that did not PASS: details beyond --max-details)\n",
			(unsigned long long)st->details_dropped);
}

static void print_files(const struct dt_engine *e, FILE *out, bool verbose)
{
	size_t i, n = dt_engine_nr_files(e);

	if (n)
		fprintf(out, "\nFiles\n");
	for (i = 0; i < n; i++) {
		const struct dt_file *f = dt_engine_file(e, i);

		if (!verbose && i == MAX_FILES) {
			fprintf(out, "  ... %zu more files; --verbose or --json lists every one\n", n - i);
			break;
		}
		fprintf(out, "  %-7s %u:%u ino %llu: ", f->erofs ? "EROFS" : "backing",
			dt_dev_major(f->dev), dt_dev_minor(f->dev), (unsigned long long)f->ino);
		if (f->erofs)
			fprintf(out, "%llu reads (%llu direct, %llu buffered), requested %s, returned %s, ",
				(unsigned long long)f->requests, (unsigned long long)f->direct,
				(unsigned long long)f->buffered, H(f->bytes_requested), H(f->bytes_returned));
		else if (dt_engine_role_bound(e, DT_ROLE_BACKING_SUBMIT))
			fprintf(out, "%llu backing reads of %s, ", (unsigned long long)f->bk_reads,
				H(f->bk_bytes));
		else
			fprintf(out, "backing reads not traced, ");
		fprintf(out, "page cache +%s during reads, +%s outside, -%s", H(f->pc_in_reads),
			H(f->pc_outside), H(f->pc_deleted));
		if (f->failed || f->inconclusive || f->untracked)
			fprintf(out, "; %llu FAIL, %llu INCONCLUSIVE, %llu untracked",
				(unsigned long long)f->failed, (unsigned long long)f->inconclusive,
				(unsigned long long)f->untracked);
		fputc('\n', out);
	}
}

static void print_double_cache(const struct dt_engine *e, FILE *out)
{
	const struct dt_stats *st = dt_engine_stats(e);

	if (!st->buffered)
		return;
	fprintf(out, "\nDouble caching (buffered reads)\n  %llu buffered reads returned %s: "
		"%s newly inserted into the EROFS page cache and %s into the backing file's (%s in all;\n"
		"  pages already resident are not counted: 'erofs-diotrace audit' measures what is resident)\n",
		(unsigned long long)st->buffered, H(st->buf_bytes_returned), H(st->buf_erofs_pc),
		H(st->buf_backing_pc), H(st->buf_erofs_pc + st->buf_backing_pc));
	if (!dt_engine_role_bound(e, DT_ROLE_PC_ADD))
		fprintf(out, "  (not measured: the pc_add probe is unbound: %s)\n",
			dt_engine_role_why(e, DT_ROLE_PC_ADD));
}

static void print_findings(const struct dt_engine *e, FILE *out)
{
	const struct dt_stats *st = dt_engine_stats(e);
	char path[DT_PATH_MAX * 4 + 1], comm[DT_COMM_LEN * 4 + 1];
	size_t i;

	if (!st->refused_opens)
		return;
	fprintf(out, "\nFindings\n  this kernel has no direct I/O for file-backed EROFS "
		"(open O_DIRECT -> EINVAL):\n");
	for (i = 0; i < dt_engine_nr_opens(e) && i < MAX_LIST; i++) {
		const struct dt_open_rec *o = dt_engine_open(e, i);

		fprintf(out, "    %s (%u:%u ino %llu) by %s[%u]\n",
			dt_esc_text(path, sizeof(path), o->path, DT_PATH_MAX),
			dt_dev_major(o->dev), dt_dev_minor(o->dev), (unsigned long long)o->ino,
			dt_esc_text(comm, sizeof(comm), o->comm, DT_COMM_LEN), o->pid);
	}
	if (st->refused_opens > i)
		fprintf(out, "    ... %llu more\n", (unsigned long long)(st->refused_opens - i));
}

static void print_evidence(const struct dt_engine *e, FILE *out)
{
	const struct dt_stats *st = dt_engine_stats(e);
	uint64_t orphans = 0, cnt[DT_CNT_MAX];
	int t;

	for (t = 0; t < DT_EV_MAX; t++)
		orphans = orphans + st->orphans[t] < orphans ? UINT64_MAX : orphans + st->orphans[t];
	fprintf(out, "\nEvidence: %llu events, %llu lost, %llu reads untracked (in-flight table), "
		"%llu out of order, %llu outside any read\n", (unsigned long long)st->events,
		(unsigned long long)st->lost, (unsigned long long)st->untracked,
		(unsigned long long)st->reordered, (unsigned long long)orphans);
	if (st->queued_reqs || st->completions || st->declined)
		fprintf(out, "  Async: %llu reads queued (-EIOCBQUEUED), %llu completions (ki_complete) "
			"seen; %llu IOCB_NOWAIT reads declined with -EAGAIN\n",
			(unsigned long long)st->queued_reqs, (unsigned long long)st->completions,
			(unsigned long long)st->declined);
	if (dt_engine_counters(e, cnt))
		fprintf(out, "  BPF counters: %llu reads issued, %llu events emitted, %llu dropped, "
			"%llu map full, %llu evicted, %llu pids not followed\n",
			(unsigned long long)cnt[DT_CNT_READS], (unsigned long long)cnt[DT_CNT_EMITTED],
			(unsigned long long)cnt[DT_CNT_RB_DROPPED], (unsigned long long)cnt[DT_CNT_MAP_FULL],
			(unsigned long long)cnt[DT_CNT_EVICTED], (unsigned long long)cnt[DT_CNT_PIDS_FULL]);
}

int dt_report_text_summary(const struct dt_engine *e, FILE *out, bool verbose, bool streamed)
{
	const char *s;
	size_t i;

	if (!(verbose && streamed))
		fprintf(out, "erofs-diotrace report (event format v%d)\n\n", DT_EVENT_VERSION);
	else
		fputc('\n', out);
	print_roles(e, out);
	print_reads(e, out, verbose, streamed);
	print_files(e, out, verbose);
	print_double_cache(e, out);
	print_findings(e, out);
	print_evidence(e, out);
	fprintf(out, "\nVerdict: %s\n", dt_verdict_name(dt_engine_verdict(e)));
	for (i = 0; (s = dt_engine_reason(e, i)); i++)
		fprintf(out, "  - %s\n", s);
	return ferror(out) ? -1 : 0;
}
