// SPDX-License-Identifier: GPL-2.0-only
/*
 * The correlation engine on the recorded streams in tests/data: every
 * test asserts the verdict and the ledger numbers.
 */
#include <errno.h>
#include "unit.h"

#define K	1024ull
#define M	(1024ull * 1024)

static void clean_dio(void **state)
{
	struct dt_engine *e = replay("clean_dio.events", NULL);
	const struct dt_rq *rq;
	int k;

	assert_verdict(e, DT_PASS);
	assert_int_equal(dt_engine_nr_requests(e), 1);
	rq = rq_at(e, 0);
	assert_true(rq->direct);
	assert_int_equal(rq->l.requested, 64 * K);
	assert_int_equal(rq->l.expected, 64 * K);
	assert_int_equal(rq->l.returned, 64 * K);
	assert_int_equal(rq->l.total, 64 * K);
	assert_int_equal(rq->l.done, 64 * K);
	assert_false(rq->l.counters_read);
	assert_int_equal(rq->l.inline_bytes, 0);
	assert_int_equal(rq->l.zero_bytes, 0);
	assert_int_equal(rq->l.mapped_bytes, 64 * K);
	assert_int_equal(rq->l.bk_submitted, 64 * K);
	assert_int_equal(rq->l.bk_completed, 64 * K);
	assert_int_equal(rq->l.erofs_pc_bytes, 0);
	assert_int_equal(rq->l.backing_pc_bytes, 64 * K);
	assert_int_equal(rq->l.nr_backing, 1);
	assert_int_equal(rq->bk[0].expect_pos, 2 * M);
	for (k = 0; k < DT_CHK_DIRECT; k++)
		assert_check(rq, k, DT_ST_PASS);
	assert_check(rq, DT_CHK_DIRECT, DT_ST_NA);
	dt_engine_free(e);
}

static void multi_extent_inline_hole(void **state)
{
	struct dt_engine *e = replay("multi_extent.events", NULL);
	const struct dt_rq *a, *b;

	assert_verdict(e, DT_PASS);
	assert_int_equal(dt_engine_nr_requests(e), 2);
	a = rq_at(e, 0);	/* chunk-based: mapped, hole, mapped */
	assert_true(a->l.counters_read);
	assert_int_equal(a->l.total, 192 * K);
	assert_int_equal(a->l.done, 192 * K);
	assert_int_equal(a->l.inline_bytes, 0);
	assert_int_equal(a->l.zero_bytes, 64 * K);
	assert_int_equal(a->l.mapped_bytes, 128 * K);
	assert_int_equal(a->l.bk_completed, 128 * K);
	assert_int_equal(a->l.unmapped_bytes, 0);
	assert_int_equal(a->l.nr_extents, 3);
	assert_int_equal(a->l.nr_backing, 2);
	assert_int_equal(a->bk[1].expect_pos, 0x340000);
	assert_check(a, DT_CHK_LEDGER, DT_ST_PASS);
	assert_check(a, DT_CHK_OFFSET, DT_ST_PASS);

	b = rq_at(e, 1);	/* flat inline: mapped + META tail, clamped at EOF */
	assert_int_equal(b->l.requested, 12 * K);
	assert_int_equal(b->l.expected, 8292);
	assert_int_equal(b->l.returned, 8292);
	assert_int_equal(b->l.done, 8292);
	assert_int_equal(b->l.inline_bytes, 100);
	assert_int_equal(b->l.zero_bytes, 0);
	assert_int_equal(b->l.mapped_bytes, 8 * K);
	assert_int_equal(b->l.bk_completed, 8 * K);
	assert_check(b, DT_CHK_RETURN, DT_ST_PASS);
	assert_check(b, DT_CHK_LEDGER, DT_ST_PASS);
	assert_check(b, DT_CHK_COVER, DT_ST_PASS);
	dt_engine_free(e);
}

static void rfc_eio_bio_full(void **state)
{
	struct dt_engine *e = replay("rfc_eio.events", NULL);
	const struct dt_rq *rq;

	assert_verdict(e, DT_FAIL);
	rq = rq_at(e, 0);
	assert_int_equal(rq->l.returned, -EIO);
	assert_int_equal(rq->l.total, 2 * M);
	assert_int_equal(rq->l.done, 1 * M);
	assert_int_equal(rq->l.mapped_bytes, 2 * M);
	assert_int_equal(rq->l.bk_submitted, 1 * M);
	assert_int_equal(rq->l.bk_completed, 1 * M);
	assert_int_equal(rq->l.erofs_pc_bytes, 0);
	assert_check(rq, DT_CHK_RETURN, DT_ST_FAIL);
	assert_check(rq, DT_CHK_DONE, DT_ST_FAIL);
	assert_non_null(strstr(rq->chk[DT_CHK_DONE].why, "1048576 < total 2097152"));
	assert_check(rq, DT_CHK_COVER, DT_ST_FAIL);
	assert_check(rq, DT_CHK_LEDGER, DT_ST_NA);
	assert_check(rq, DT_CHK_OFFSET, DT_ST_PASS);
	assert_check(rq, DT_CHK_NOCACHE, DT_ST_PASS);
	assert_int_equal(dt_engine_stats(e)->fail, 1);
	dt_engine_free(e);
}

static void wrong_offset_in_chunk(void **state)
{
	struct dt_engine *e = replay("wrong_offset.events", NULL);
	const struct dt_rq *ok, *bad;

	assert_verdict(e, DT_FAIL);
	ok = rq_at(e, 0);
	assert_int_equal(ok->verdict, DT_PASS);
	assert_int_equal(ok->l.bad_offsets, 0);
	bad = rq_at(e, 1);
	assert_int_equal(bad->verdict, DT_FAIL);
	assert_int_equal(bad->l.returned, 4 * K);	/* "success" */
	assert_int_equal(bad->l.bk_completed, 4 * K);
	assert_int_equal(bad->l.bad_offsets, 1);
	assert_int_equal(bad->bk[0].pos, 0x400000);
	assert_int_equal(bad->bk[0].expect_pos, 0x401000);
	assert_check(bad, DT_CHK_OFFSET, DT_ST_FAIL);
	assert_check(bad, DT_CHK_RETURN, DT_ST_PASS);
	assert_check(bad, DT_CHK_LEDGER, DT_ST_PASS);
	dt_engine_free(e);
}

static void async_out_of_order(void **state)
{
	struct dt_engine *e = replay("async_ooo.events", NULL);
	const struct dt_rq *rq;

	assert_verdict(e, DT_PASS);
	assert_true(dt_engine_stats(e)->reordered >= 1);
	rq = rq_at(e, 0);
	assert_int_equal(rq->l.nr_backing, 2);
	assert_int_equal(rq->l.bk_completed, 128 * K);
	assert_int_equal(rq->l.done, 128 * K);
	assert_int_equal(rq->l.pending, 0);
	assert_int_equal(rq->l.late_completions, 0);
	assert_int_equal(rq->bk[0].ret, -529);
	assert_int_equal(rq->bk[0].done_tid, 61);
	assert_int_equal(rq->bk[1].done_tid, 0);
	assert_int_equal(rq->l.backing_pc_bytes, 0);
	assert_check(rq, DT_CHK_ASYNC, DT_ST_PASS);
	assert_check(rq, DT_CHK_LEDGER, DT_ST_PASS);
	dt_engine_free(e);
}

static void async_completion_after_return(void **state)
{
	struct dt_engine *e = replay("async_late.events", NULL);
	const struct dt_rq *rq;

	assert_verdict(e, DT_FAIL);
	rq = rq_at(e, 0);
	assert_int_equal(rq->l.late_completions, 1);
	assert_int_equal(rq->l.done, 0);		/* nothing had arrived at the return */
	assert_int_equal(rq->l.bk_completed, 64 * K);	/* ... it came later */
	assert_int_equal(rq->l.returned, -EIO);
	assert_check(rq, DT_CHK_ASYNC, DT_ST_FAIL);
	assert_check(rq, DT_CHK_DONE, DT_ST_FAIL);
	dt_engine_free(e);
}

/* `directio` at EOF: the last block rounded up is no excess; more than that is */
static void eof_block_roundup(void **state)
{
	struct dt_engine *e = replay("eof_roundup.events", NULL);
	const struct dt_rq *rq = rq_at(e, 0);

	assert_verdict(e, DT_PASS);
	assert_int_equal(rq->l.bk_past_eof, 4096 - 100);
	assert_int_equal(rq->l.bk_past_eof_done, 4096 - 100);
	assert_check(rq, DT_CHK_COVER, DT_ST_PASS);
	assert_check(rq, DT_CHK_LEDGER, DT_ST_PASS);
	dt_engine_free(e);

	e = replay("eof_overread.events", NULL);
	rq = rq_at(e, 0);
	assert_verdict(e, DT_FAIL);
	assert_check(rq, DT_CHK_COVER, DT_ST_FAIL);
	assert_non_null(strstr(rq->chk[DT_CHK_COVER].why, "exceed"));
	dt_engine_free(e);
}

static void kernel_counters_read(void **state)
{
	struct dt_engine *e = replay("kernel_counters.events", NULL);
	const struct dt_rq *full, *late;

	assert_verdict(e, DT_FAIL);
	full = rq_at(e, 0);	/* the bio filled: the kernel says so itself */
	assert_true(full->l.counters_read);
	assert_int_equal(full->l.total, 2 * M);
	assert_int_equal(full->l.done, 1 * M);
	assert_int_equal(full->l.bk_completed, 1 * M);
	assert_check(full, DT_CHK_DONE, DT_ST_FAIL);
	assert_non_null(strstr(full->chk[DT_CHK_DONE].why, "kernel counters"));
	assert_check(full, DT_CHK_LEDGER, DT_ST_PASS);
	late = rq_at(e, 1);	/* done 0, yet 64 KiB arrived later */
	assert_int_equal(late->l.done, 0);
	assert_int_equal(late->l.bk_completed, 64 * K);
	assert_check(late, DT_CHK_LEDGER, DT_ST_FAIL);
	assert_check(late, DT_CHK_ASYNC, DT_ST_FAIL);
	dt_engine_free(e);
}

static void dio_fallback_fills_erofs_cache(void **state)
{
	struct dt_engine *e = replay("dio_fallback.events", NULL);
	const struct dt_rq *rq;

	assert_verdict(e, DT_FAIL);
	rq = rq_at(e, 0);
	assert_int_equal(rq->l.returned, 2 * M);
	assert_int_equal(rq->l.done, 1 * M);		/* what the DIO returned */
	assert_int_equal(rq->l.bk_submitted, 1 * M);	/* DIO phase */
	assert_int_equal(rq->l.bk_fallback, 1 * M);	/* page-cache phase */
	assert_int_equal(rq->l.erofs_pc_bytes, 1 * M);
	assert_int_equal(rq->l.backing_pc_bytes, 2 * M);
	assert_int_equal(rq->l.late_completions, 0);
	assert_check(rq, DT_CHK_RETURN, DT_ST_PASS);
	assert_check(rq, DT_CHK_NOCACHE, DT_ST_FAIL);
	assert_check(rq, DT_CHK_DONE, DT_ST_FAIL);
	assert_check(rq, DT_CHK_LEDGER, DT_ST_PASS);
	assert_check(rq, DT_CHK_ASYNC, DT_ST_PASS);
	assert_check(rq, DT_CHK_OFFSET, DT_ST_PASS);
	dt_engine_free(e);
}

static void buffered_double_caching(void **state)
{
	struct dt_engine *e = replay("buffered_double_cache.events", NULL);
	const struct dt_stats *st = dt_engine_stats(e);
	const struct dt_rq *rq;
	size_t i, files = 0;

	assert_verdict(e, DT_PASS);	/* a measurement, not a failure */
	rq = rq_at(e, 0);
	assert_false(rq->direct);
	assert_int_equal(rq->l.returned, 128 * K);
	assert_int_equal(rq->l.erofs_pc_bytes, 128 * K);
	assert_int_equal(rq->l.backing_pc_bytes, 128 * K);
	assert_check(rq, DT_CHK_OFFSET, DT_ST_PASS);
	assert_check(rq, DT_CHK_NOCACHE, DT_ST_NA);
	assert_int_equal(st->buffered, 1);
	assert_int_equal(st->buf_bytes_returned, 128 * K);
	assert_int_equal(st->buf_erofs_pc, 128 * K);
	assert_int_equal(st->buf_backing_pc, 128 * K);
	for (i = 0; i < dt_engine_nr_files(e); i++) {
		const struct dt_file *f = dt_engine_file(e, i);

		assert_int_equal(f->pc_in_reads, 128 * K);
		files++;
	}
	assert_int_equal(files, 2);
	dt_engine_free(e);
}

static void readahead_around_cached_pages(void **state)
{
	struct dt_engine *e = replay("readahead_gap.events", NULL);
	const struct dt_rq *rq;

	assert_verdict(e, DT_PASS);
	rq = rq_at(e, 0);
	assert_int_equal(rq->l.nr_backing, 2);
	assert_int_equal(rq->l.bk_submitted, 96 * K);
	assert_int_equal(rq->l.erofs_pc_bytes, 96 * K);
	assert_int_equal(rq->l.backing_pc_bytes, 96 * K);
	assert_int_equal(rq->l.bad_offsets, 0);
	assert_int_equal(rq->bk[1].logical, 64 * K);
	assert_check(rq, DT_CHK_OFFSET, DT_ST_PASS);
	dt_engine_free(e);
}

static void buffered_fails_when_dio_expected(void **state)
{
	struct dt_engine_opts o = { .expect_dio = true };
	struct dt_engine *e = replay("buffered_double_cache.events", &o);
	const struct dt_rq *rq = rq_at(e, 0);

	assert_verdict(e, DT_FAIL);
	assert_check(rq, DT_CHK_DIRECT, DT_ST_FAIL);
	assert_int_equal(rq->l.erofs_pc_bytes, 128 * K);
	dt_engine_free(e);
}

static void lost_events_inconclusive(void **state)
{
	struct dt_engine *e = replay("lost.events", NULL);
	const struct dt_rq *rq;

	assert_verdict(e, DT_INCONCLUSIVE);
	assert_int_equal(dt_engine_stats(e)->lost, 3);
	rq = rq_at(e, 0);
	/* the ledger is still computed and shown */
	assert_int_equal(rq->l.done, 64 * K);
	assert_int_equal(rq->l.bk_completed, 64 * K);
	assert_int_equal(rq->l.erofs_pc_bytes, 0);
	assert_check(rq, DT_CHK_RETURN, DT_ST_PASS);	/* both ends were seen */
	assert_check(rq, DT_CHK_NOCACHE, DT_ST_INCONCLUSIVE);
	assert_check(rq, DT_CHK_LEDGER, DT_ST_INCONCLUSIVE);
	assert_check(rq, DT_CHK_OFFSET, DT_ST_INCONCLUSIVE);
	assert_int_equal(rq->verdict, DT_INCONCLUSIVE);
	dt_engine_free(e);
}

static void unbound_role_inconclusive(void **state)
{
	struct dt_engine *e = replay("host_cat.events", NULL);
	const struct dt_rq *rq;

	assert_verdict(e, DT_INCONCLUSIVE);
	assert_int_equal(dt_engine_nr_requests(e), 2);
	rq = rq_at(e, 0);
	assert_int_equal(rq->source, DT_SRC_SYSCALL);
	assert_int_equal(rq->l.returned, 128 * K);
	assert_int_equal(rq->l.erofs_pc_bytes, 128 * K);
	assert_int_equal(rq->l.backing_pc_bytes, 128 * K);
	assert_check(rq, DT_CHK_RETURN, DT_ST_PASS);
	assert_check(rq, DT_CHK_OFFSET, DT_ST_INCONCLUSIVE);
	assert_non_null(strstr(rq->chk[DT_CHK_OFFSET].why, "backing_submit"));
	assert_int_equal(dt_engine_stats(e)->buf_erofs_pc, 256 * K);
	assert_int_equal(dt_engine_stats(e)->buf_backing_pc, 256 * K);
	dt_engine_free(e);
}

/* the same clean read, but the DIO probe could not be bound */
static void dio_unbound_done_inconclusive(void **state)
{
	struct dt_engine *e = replay_unbound("clean_dio.events", DT_ROLE_DIO, "kprobe: no kprobes");
	const struct dt_rq *rq;

	assert_verdict(e, DT_INCONCLUSIVE);
	rq = rq_at(e, 0);
	assert_int_equal(rq->l.done, 64 * K);
	assert_check(rq, DT_CHK_DONE, DT_ST_INCONCLUSIVE);
	assert_non_null(strstr(rq->chk[DT_CHK_DONE].why, "dio probe, unbound: kprobe: no kprobes"));
	assert_check(rq, DT_CHK_RETURN, DT_ST_PASS);
	assert_check(rq, DT_CHK_LEDGER, DT_ST_PASS);
	dt_engine_free(e);
}

static void inflight_overflow(void **state)
{
	struct dt_engine_opts o = { .max_inflight = 2 };
	struct dt_engine *e = replay("overflow.events", &o);
	const struct dt_stats *st = dt_engine_stats(e);

	assert_verdict(e, DT_INCONCLUSIVE);
	assert_int_equal(st->untracked, 1);
	/* the oldest read made room: closed INCONCLUSIVE, typed, not forgotten */
	assert_int_equal(dt_engine_nr_requests(e), 3);
	assert_int_equal(st->pass, 2);
	assert_int_equal(st->inconclusive, 1);
	assert_int_equal(rq_at(e, 0)->verdict, DT_INCONCLUSIVE);
	assert_int_equal(rq_at(e, 0)->chk[DT_CHK_RETURN].gap, DT_GAP_UNTRACKED);
	assert_true(st->orphans[DT_EV_BACKING_SUBMIT] >= 1);
	dt_engine_free(e);

	e = replay("overflow.events", NULL);	/* room for all three */
	assert_verdict(e, DT_PASS);
	assert_int_equal(dt_engine_stats(e)->untracked, 0);
	assert_int_equal(dt_engine_nr_requests(e), 3);
	assert_int_equal(rq_at(e, 2)->l.bk_completed, 4 * K);
	dt_engine_free(e);
}

static void open_einval_reported(void **state)
{
	struct dt_engine_opts o = { .expect_dio = true };
	struct dt_engine *e = replay("open_einval.events", NULL);

	assert_verdict(e, DT_INCONCLUSIVE);	/* nothing was read */
	assert_int_equal(dt_engine_stats(e)->refused_opens, 1);	/* not /etc/hostname */
	assert_int_equal(dt_engine_stats(e)->erofs_opens, 1);
	assert_int_equal(dt_engine_nr_requests(e), 0);
	dt_engine_free(e);

	e = replay("open_einval.events", &o);
	assert_verdict(e, DT_FAIL);
	dt_engine_free(e);
}

static void einval_read_carried(void **state)
{
	struct dt_engine *e = replay("dio_einval.events", NULL);

	assert_verdict(e, DT_INCONCLUSIVE);
	assert_int_equal(rq_at(e, 0)->verdict, DT_PASS);	/* misaligned: refused */
	assert_int_equal(rq_at(e, 0)->l.returned, -EINVAL);
	assert_check(rq_at(e, 0), DT_CHK_DONE, DT_ST_NA);
	assert_int_equal(rq_at(e, 1)->verdict, DT_INCONCLUSIVE);
	assert_int_equal(rq_at(e, 1)->l.returned, -EINVAL);
	assert_int_equal(rq_at(e, 2)->verdict, DT_PASS);	/* the buffer: refused */
	assert_non_null(strstr(rq_at(e, 2)->chk[DT_CHK_RETURN].why, "512 B into its page"));
	dt_engine_free(e);
}

/* one task, two reads in flight (an io_uring SQPOLL thread): the cookie decides */
static void same_task_two_reads_by_cookie(void **state)
{
	struct dt_event ev = {
		.version = DT_EVENT_VERSION, .pid = 7, .tid = 7, .dev = 35, .ino = 40,
	};
	static const struct { unsigned int type; uint64_t ts, cookie, len; int64_t ret; } seq[] = {
		{ DT_EV_REQ_START, 10, 0xa000, 4096, 0 },
		{ DT_EV_REQ_START, 11, 0xb000, 8192, 0 },
		{ DT_EV_DIO_START, 12, 0xa000, 4096, 0 },
		{ DT_EV_DIO_END,   13, 0xa000, 4096, 4096 },
		{ DT_EV_REQ_END,   14, 0xa000, 4096, 4096 },
		{ DT_EV_DIO_START, 15, 0xb000, 8192, 0 },
		{ DT_EV_DIO_END,   16, 0xb000, 8192, 8192 },
		{ DT_EV_REQ_END,   17, 0xb000, 8192, 8192 },
	};
	struct dt_engine *e = dt_engine_new(NULL);
	size_t i;

	dt_engine_note_unbound(e, DT_ROLE_PC_ADD, "test");
	for (i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		ev.type = seq[i].type;
		ev.ts_ns = seq[i].ts;
		ev.cookie = seq[i].cookie;
		if (ev.type == DT_EV_REQ_START || ev.type == DT_EV_REQ_END)
			ev.req = (struct dt_req){ .len = seq[i].len, .isize = 1 << 20,
						  .flags = DT_IOCB_DIRECT, .ret = seq[i].ret };
		else
			ev.dio = (struct dt_dio){ .count = seq[i].len, .total = DT_UNKNOWN,
						  .done = DT_UNKNOWN, .ret = seq[i].ret };
		assert_int_equal(dt_engine_feed(e, &ev), 0);
	}
	dt_engine_finish(e);
	assert_int_equal(dt_engine_nr_requests(e), 2);
	assert_int_equal(rq_at(e, 0)->l.returned, 4096);
	assert_int_equal(rq_at(e, 0)->l.done, 4096);
	assert_int_equal(rq_at(e, 1)->l.returned, 8192);
	assert_int_equal(rq_at(e, 1)->l.done, 8192);
	assert_check(rq_at(e, 0), DT_CHK_DONE, DT_ST_PASS);
	assert_check(rq_at(e, 1), DT_CHK_DONE, DT_ST_PASS);
	dt_engine_free(e);
}

/* an extent of another inode on the same task is not this read's */
static void foreign_extent_ignored(void **state)
{
	struct dt_event ev = {
		.version = DT_EVENT_VERSION, .type = DT_EV_REQ_START, .pid = 7, .tid = 7,
		.ts_ns = 10, .dev = 35, .ino = 40,
		.req = { .pos = 0, .len = 4096, .isize = 8192 },
	};
	struct dt_engine_opts o = { .keep_pass = true };
	struct dt_engine *e = dt_engine_new(&o);

	assert_int_equal(dt_engine_feed(e, &ev), 0);
	ev.type = DT_EV_EXTENT;
	ev.ts_ns = 20;
	ev.ino = 41;
	ev.ext = (struct dt_extent){ .m_la = 0, .m_llen = 4096, .m_pa = 8192,
				     .m_flags = DT_MAP_MAPPED | DT_MAP_META };
	assert_int_equal(dt_engine_feed(e, &ev), 0);
	ev.type = DT_EV_REQ_END;
	ev.ts_ns = 30;
	ev.ino = 40;
	ev.req.ret = 4096;
	assert_int_equal(dt_engine_feed(e, &ev), 0);
	dt_engine_finish(e);
	assert_verdict(e, DT_PASS);
	assert_int_equal(rq_at(e, 0)->l.nr_extents, 0);
	assert_int_equal(rq_at(e, 0)->l.inline_bytes, 0);
	assert_int_equal(dt_engine_stats(e)->orphans[DT_EV_EXTENT], 1);
	dt_engine_free(e);
}

/* the feed API alone: a read that never returns, and an empty trace */
static void unfinished_and_empty(void **state)
{
	struct dt_event ev = {
		.version = DT_EVENT_VERSION, .type = DT_EV_REQ_START, .pid = 7, .tid = 7,
		.ts_ns = 10, .dev = 35, .ino = 40,
		.req = { .pos = 0, .len = 4096, .isize = 8192, .flags = DT_IOCB_DIRECT },
	};
	struct dt_engine *e = dt_engine_new(NULL);

	assert_int_equal(dt_engine_feed(e, &ev), 0);
	ev.type = DT_EV_MAX;
	assert_int_equal(dt_engine_feed(e, &ev), -EINVAL);
	dt_engine_finish(e);
	assert_verdict(e, DT_INCONCLUSIVE);
	assert_check(rq_at(e, 0), DT_CHK_RETURN, DT_ST_INCONCLUSIVE);
	assert_int_equal(dt_engine_stats(e)->bad_events, 1);
	dt_engine_free(e);

	e = dt_engine_new(NULL);
	dt_engine_finish(e);
	assert_verdict(e, DT_INCONCLUSIVE);
	assert_non_null(strstr(dt_engine_reason(e, 0), "no read"));
	dt_engine_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(clean_dio),
		cmocka_unit_test(multi_extent_inline_hole),
		cmocka_unit_test(rfc_eio_bio_full),
		cmocka_unit_test(wrong_offset_in_chunk),
		cmocka_unit_test(async_out_of_order),
		cmocka_unit_test(async_completion_after_return),
		cmocka_unit_test(eof_block_roundup),
		cmocka_unit_test(kernel_counters_read),
		cmocka_unit_test(dio_fallback_fills_erofs_cache),
		cmocka_unit_test(buffered_double_caching),
		cmocka_unit_test(readahead_around_cached_pages),
		cmocka_unit_test(buffered_fails_when_dio_expected),
		cmocka_unit_test(lost_events_inconclusive),
		cmocka_unit_test(unbound_role_inconclusive),
		cmocka_unit_test(dio_unbound_done_inconclusive),
		cmocka_unit_test(inflight_overflow),
		cmocka_unit_test(open_einval_reported),
		cmocka_unit_test(einval_read_carried),
		cmocka_unit_test(same_task_two_reads_by_cookie),
		cmocka_unit_test(foreign_extent_ignored),
		cmocka_unit_test(unfinished_and_empty),
	};

	return cmocka_run_group_tests_name("engine", tests, NULL, NULL);
}
