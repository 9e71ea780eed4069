// SPDX-License-Identifier: GPL-2.0-only
/*
 * The engine under loss: drops stamps, tid-only links, reads whose end was
 * lost, truncated records, silent roles, BPF counters, and the bounded
 * memory rules (close callback, details cap).  Events are built here, not
 * read from tests/data, so each test shows exactly the pairing it is about.
 */
#include <errno.h>
#include "unit.h"

#define TID	5

static struct dt_event ev_req(unsigned int type, uint64_t ts, uint64_t drops, uint64_t cookie,
			      uint64_t len, int64_t ret)
{
	struct dt_event ev = {
		.version = DT_EVENT_VERSION, .type = type, .source = DT_SRC_SYSCALL,
		.pid = TID, .tid = TID, .ts_ns = ts, .dev = 35, .ino = 40, .cookie = cookie,
		.drops = drops, .comm = "cat",
		.req = { .pos = 0, .len = len, .isize = 1 << 20, .ret = ret, .fd = 3 },
	};

	return ev;
}

static void feed(struct dt_engine *e, struct dt_event ev)
{
	assert_int_equal(dt_engine_feed(e, &ev), 0);
}

static struct dt_engine *engine(bool stamped, unsigned int max_details)
{
	struct dt_engine_opts o = { .loss_stamped = stamped, .max_details = max_details };
	struct dt_engine *e = dt_engine_new(&o);

	assert_non_null(e);
	return e;
}

/*
 * The false FAIL seen with `find | cat` on a full ring: cat's read A (12
 * bytes) starts, A's end and the start of read B (11 bytes) are dropped,
 * B's end arrives on the same tid.  Paired by tid it says "returned 11,
 * expected 12".  With stamps the END carries a higher drop count.
 */
static void tid_pairing_after_drops_stamped(void **state)
{
	struct dt_engine *e = engine(true, 0);
	const struct dt_rq *rq;

	feed(e, ev_req(DT_EV_REQ_START, 10, 0, 0, 12, 0));
	feed(e, ev_req(DT_EV_REQ_END, 40, 2, 0, 11, 11));
	dt_engine_note_lost(e, 2);
	dt_engine_finish(e);
	assert_verdict(e, DT_INCONCLUSIVE);
	rq = rq_at(e, 0);
	assert_check(rq, DT_CHK_RETURN, DT_ST_INCONCLUSIVE);
	assert_int_equal(rq->chk[DT_CHK_RETURN].gap, DT_GAP_LOST);
	assert_non_null(strstr(rq->chk[DT_CHK_RETURN].why, "2 events dropped while this read was in flight"));
	assert_int_equal(dt_engine_stats(e)->fail, 0);
	assert_int_equal(dt_engine_stats(e)->touched, 1);
	dt_engine_free(e);

	/* the same pair with no drop between: a real short read, FAIL */
	e = engine(true, 0);
	feed(e, ev_req(DT_EV_REQ_START, 10, 7, 0, 12, 0));
	feed(e, ev_req(DT_EV_REQ_END, 40, 7, 0, 11, 11));
	dt_engine_finish(e);
	assert_verdict(e, DT_FAIL);
	assert_check(rq_at(e, 0), DT_CHK_RETURN, DT_ST_FAIL);
	dt_engine_free(e);
}

/* a v1 stream has no stamps: the loss is reported at its end ("!lost") */
static void tid_pairing_after_drops_unstamped(void **state)
{
	struct dt_engine *e = engine(false, 0);

	feed(e, ev_req(DT_EV_REQ_START, 10, 0, 0, 12, 0));
	feed(e, ev_req(DT_EV_REQ_END, 40, 0, 0, 11, 11));
	dt_engine_note_lost(e, 2);
	dt_engine_finish(e);
	assert_verdict(e, DT_INCONCLUSIVE);
	assert_check(rq_at(e, 0), DT_CHK_RETURN, DT_ST_INCONCLUSIVE);
	assert_int_equal(rq_at(e, 0)->chk[DT_CHK_RETURN].gap, DT_GAP_LOST);
	assert_int_equal(dt_engine_stats(e)->fail, 0);
	assert_int_equal(dt_engine_stats(e)->inconclusive, 1);
	dt_engine_free(e);

	/* details capped at 1: the second FAIL is not kept, yet regraded too */
	e = engine(false, 1);
	feed(e, ev_req(DT_EV_REQ_START, 10, 0, 0, 12, 0));
	feed(e, ev_req(DT_EV_REQ_END, 40, 0, 0, 11, 11));
	feed(e, ev_req(DT_EV_REQ_START, 50, 0, 0, 12, 0));
	feed(e, ev_req(DT_EV_REQ_END, 60, 0, 0, 11, 11));
	dt_engine_note_lost(e, 2);
	dt_engine_finish(e);
	assert_verdict(e, DT_INCONCLUSIVE);
	assert_int_equal(dt_engine_nr_requests(e), 1);
	assert_int_equal(dt_engine_stats(e)->details_dropped, 1);
	assert_int_equal(dt_engine_stats(e)->fail, 0);
	assert_int_equal(dt_engine_stats(e)->inconclusive, 2);
	assert_int_equal(dt_engine_file(e, 0)->failed, 0);
	dt_engine_free(e);

	/* no loss at all: the same short read FAILs */
	e = engine(false, 0);
	feed(e, ev_req(DT_EV_REQ_START, 10, 0, 0, 12, 0));
	feed(e, ev_req(DT_EV_REQ_END, 40, 0, 0, 11, 11));
	dt_engine_finish(e);
	assert_verdict(e, DT_FAIL);
	dt_engine_free(e);

	/* both ends matched by cookie: proven, a loss elsewhere does not hide it */
	e = engine(false, 0);
	feed(e, ev_req(DT_EV_REQ_START, 10, 0, 0xa0, 12, 0));
	feed(e, ev_req(DT_EV_REQ_END, 40, 0, 0xa0, 11, 11));
	dt_engine_note_lost(e, 2);
	dt_engine_finish(e);
	assert_verdict(e, DT_FAIL);
	assert_check(rq_at(e, 0), DT_CHK_RETURN, DT_ST_FAIL);
	dt_engine_free(e);
}

/* a read whose end was lost closes when its thread starts the next one */
static void end_lost_superseded(void **state)
{
	struct dt_engine *e = engine(true, 0);
	const struct dt_rq *rq;

	feed(e, ev_req(DT_EV_REQ_START, 10, 0, 0, 12, 0));
	feed(e, ev_req(DT_EV_REQ_START, 20, 1, 0, 12, 0));	/* A's END dropped */
	feed(e, ev_req(DT_EV_REQ_END, 30, 1, 0, 12, 12));
	dt_engine_finish(e);
	assert_verdict(e, DT_INCONCLUSIVE);
	assert_int_equal(dt_engine_stats(e)->superseded, 1);
	assert_int_equal(dt_engine_stats(e)->pass, 1);
	rq = rq_at(e, 0);
	assert_false(rq->ended);
	assert_int_equal(rq->chk[DT_CHK_RETURN].gap, DT_GAP_LOST);
	dt_engine_free(e);

	/* equal stamps: nothing was lost, two reads of one task (by cookie) stay open */
	e = engine(true, 0);
	feed(e, ev_req(DT_EV_REQ_START, 10, 3, 0xa0, 12, 0));
	feed(e, ev_req(DT_EV_REQ_START, 20, 3, 0xb0, 12, 0));
	feed(e, ev_req(DT_EV_REQ_END, 30, 3, 0xa0, 12, 12));
	feed(e, ev_req(DT_EV_REQ_END, 40, 3, 0xb0, 12, 12));
	dt_engine_finish(e);
	assert_verdict(e, DT_PASS);
	assert_int_equal(dt_engine_stats(e)->superseded, 0);
	assert_int_equal(dt_engine_stats(e)->pass, 2);
	dt_engine_free(e);

	/* unstamped: one task, no cookies, a second START means the first end was lost */
	e = engine(false, 0);
	feed(e, ev_req(DT_EV_REQ_START, 10, 0, 0, 12, 0));
	feed(e, ev_req(DT_EV_REQ_START, 20, 0, 0, 12, 0));
	feed(e, ev_req(DT_EV_REQ_END, 30, 0, 0, 12, 12));
	dt_engine_finish(e);
	assert_int_equal(dt_engine_stats(e)->superseded, 1);
	assert_verdict(e, DT_INCONCLUSIVE);
	dt_engine_free(e);
}

/* a cut record gives neither PASS nor FAIL, even with a proven FAIL in it */
static void truncated_record(void **state)
{
	struct dt_engine *e = engine(true, 0);
	size_t i;
	bool found = false;

	feed(e, ev_req(DT_EV_REQ_START, 10, 0, 0xa0, 12, 0));
	feed(e, ev_req(DT_EV_REQ_END, 40, 0, 0xa0, 11, 11));
	dt_engine_note_truncated(e, "byte 1656");
	dt_engine_finish(e);
	assert_int_equal(dt_engine_stats(e)->fail, 1);
	assert_verdict(e, DT_INCONCLUSIVE);
	for (i = 0; dt_engine_reason(e, i); i++)
		found |= !!strstr(dt_engine_reason(e, i), "record truncated at byte 1656");
	assert_true(found);
	dt_engine_free(e);
}

static struct dt_event ev_dio_read(unsigned int type, uint64_t ts, int64_t ret)
{
	struct dt_event ev = ev_req(type, ts, 0, 0xc0, 4096, ret);

	ev.source = DT_SRC_FENTRY;
	ev.req.flags = DT_IOCB_DIRECT;
	return ev;
}

static struct dt_event ev_bk(unsigned int type, uint64_t ts, int64_t ret)
{
	struct dt_event ev = ev_req(type, ts, 0, 0, 0, 0);

	ev.dev = 254 << 20 | 1;
	ev.ino = 12;
	ev.bk = (struct dt_backing){ .rq = 0xff00, .pos = 8192, .len = 4096, .ret = ret };
	return ev;
}

/* dio bound, a direct read returned data, no dio event: "bound but silent" */
static void silent_roles(void **state)
{
	struct dt_engine *e = engine(true, 0);
	struct dt_event x;

	feed(e, ev_dio_read(DT_EV_REQ_START, 10, 0));
	feed(e, ev_dio_read(DT_EV_REQ_END, 20, 4096));
	dt_engine_finish(e);
	assert_true(dt_engine_role_silent(e, DT_ROLE_DIO));
	assert_false(dt_engine_role_silent(e, DT_ROLE_EXTENT));
	assert_verdict(e, DT_INCONCLUSIVE);
	assert_check(rq_at(e, 0), DT_CHK_DONE, DT_ST_INCONCLUSIVE);
	assert_int_equal(rq_at(e, 0)->chk[DT_CHK_DONE].gap, DT_GAP_SILENT);
	assert_non_null(strstr(rq_at(e, 0)->chk[DT_CHK_DONE].why, "bound but silent"));
	dt_engine_free(e);

	/* backing reads queued (-EIOCBQUEUED), completions never seen */
	e = engine(true, 0);
	feed(e, ev_dio_read(DT_EV_REQ_START, 10, 0));
	x = ev_dio_read(DT_EV_DIO_START, 11, 0);
	x.dio = (struct dt_dio){ .count = 4096, .total = DT_UNKNOWN, .done = DT_UNKNOWN };
	feed(e, x);
	x = ev_req(DT_EV_EXTENT, 12, 0, 0, 0, 0);
	x.ext = (struct dt_extent){ .m_la = 0, .m_pa = 8192, .m_llen = 4096, .m_plen = 4096,
				    .m_flags = DT_MAP_MAPPED };
	feed(e, x);
	feed(e, ev_bk(DT_EV_BACKING_SUBMIT, 13, 0));
	feed(e, ev_bk(DT_EV_BACKING_RET, 14, -DT_EIOCBQUEUED));
	x = ev_dio_read(DT_EV_DIO_END, 15, 0);
	x.dio = (struct dt_dio){ .count = 4096, .total = DT_UNKNOWN, .done = DT_UNKNOWN, .ret = 4096 };
	feed(e, x);
	feed(e, ev_dio_read(DT_EV_REQ_END, 16, 4096));
	dt_engine_finish(e);
	assert_true(dt_engine_role_silent(e, DT_ROLE_BACKING_DONE));
	assert_false(dt_engine_role_silent(e, DT_ROLE_DIO));
	assert_verdict(e, DT_INCONCLUSIVE);
	assert_int_equal(rq_at(e, 0)->chk[DT_CHK_COVER].gap, DT_GAP_SILENT);
	dt_engine_free(e);
}

/* counters: "seen N of M reads", emitted vs delivered, saturation */
static void counters_reconciled(void **state)
{
	struct dt_engine *e = engine(true, 0);
	uint64_t cnt[DT_CNT_MAX] = { [DT_CNT_EMITTED] = 5, [DT_CNT_RB_DROPPED] = 3,
				     [DT_CNT_READS] = 4 };
	bool seen = false, emitted = false;
	size_t i;

	feed(e, ev_req(DT_EV_REQ_START, 10, 0, 0xa0, 12, 0));
	feed(e, ev_req(DT_EV_REQ_END, 40, 0, 0xa0, 12, 12));
	dt_engine_note_counters(e, cnt);
	dt_engine_finish(e);
	assert_verdict(e, DT_INCONCLUSIVE);	/* the read seen PASSes; 3 were not seen */
	assert_int_equal(dt_engine_stats(e)->pass, 1);
	assert_int_equal(dt_engine_stats(e)->lost, 3);
	for (i = 0; dt_engine_reason(e, i); i++) {
		seen |= !!strstr(dt_engine_reason(e, i), "3 events lost: seen 1 of 4 reads");
		emitted |= !!strstr(dt_engine_reason(e, i), "BPF emitted 5 events, 2 were delivered");
	}
	assert_true(seen);
	assert_true(emitted);
	dt_engine_free(e);

	/* two huge "!lost" counts saturate, they do not wrap to 0 */
	e = engine(false, 0);
	feed(e, ev_req(DT_EV_REQ_START, 10, 0, 0xa0, 12, 0));
	feed(e, ev_req(DT_EV_REQ_END, 40, 0, 0xa0, 12, 12));
	dt_engine_note_lost(e, 1ull << 63);
	dt_engine_note_lost(e, 1ull << 63);
	dt_engine_finish(e);
	assert_true(dt_engine_stats(e)->lost == UINT64_MAX);
	assert_verdict(e, DT_INCONCLUSIVE);
	dt_engine_free(e);
}

/* page-cache changes folded by BPF arrive as cumulative snapshots */
static void pc_outside_cumulative(void **state)
{
	struct dt_engine *e = engine(true, 0);
	const struct dt_file *f;

	dt_engine_note_pc_outside(e, 35, 41, true, 8192, 0);
	dt_engine_note_pc_outside(e, 35, 41, true, 12288, 4096);
	dt_engine_note_pc_outside(e, 35, 41, true, 12288, 4096);	/* again: nothing new */
	dt_engine_finish(e);
	assert_int_equal(dt_engine_nr_files(e), 1);
	f = dt_engine_file(e, 0);
	assert_true(f->erofs);
	assert_int_equal(f->pc_outside, 12288);
	assert_int_equal(f->pc_deleted, 4096);
	assert_int_equal(f->requests, 0);
	dt_engine_free(e);
}

struct closes {
	unsigned int n, pass;
	char why[192];
};

static void on_close(void *arg, const struct dt_engine *e, const struct dt_rq *rq)
{
	struct closes *c = arg;

	c->n++;
	c->pass += rq->verdict == DT_PASS;
	snprintf(c->why, sizeof(c->why), "%s", dt_engine_why(e, rq, DT_CHK_RETURN));
}

/* every read reaches on_close once; only FAIL/INCONCLUSIVE are kept, capped */
static void close_callback_and_cap(void **state)
{
	struct closes c = { 0 };
	struct dt_engine_opts o = { .loss_stamped = true, .max_details = 2,
				    .on_close = on_close, .close_arg = &c };
	struct dt_engine *e = dt_engine_new(&o);
	uint64_t i;

	for (i = 0; i < 100; i++) {
		feed(e, ev_req(DT_EV_REQ_START, 10 * i + 1, 0, 0xa0 + i, 12, 0));
		feed(e, ev_req(DT_EV_REQ_END, 10 * i + 2, 0, 0xa0 + i, 12, i % 10 ? 12 : 11));
	}
	dt_engine_finish(e);
	assert_int_equal(c.n, 100);
	assert_int_equal(c.pass, 90);
	assert_non_null(strstr(c.why, "returned 12 of 12 requested"));	/* formatted on demand */
	assert_int_equal(dt_engine_nr_requests(e), 2);
	assert_int_equal(dt_engine_stats(e)->details_dropped, 8);
	assert_int_equal(dt_engine_stats(e)->fail, 10);
	assert_int_equal(rq_at(e, 0)->id, 1);
	assert_non_null(strstr(rq_at(e, 0)->chk[DT_CHK_RETURN].why, "returned 11, expected 12"));
	assert_verdict(e, DT_FAIL);
	dt_engine_free(e);
}

/* the full in-flight table pushes out the oldest read, INCONCLUSIVE, counted */
static void inflight_lru(void **state)
{
	struct dt_engine_opts o = { .loss_stamped = true, .max_inflight = 4 };
	struct dt_engine *e = dt_engine_new(&o);
	uint64_t i;

	for (i = 0; i < 10; i++) {	/* ten threads, none returns until the end */
		struct dt_event x = ev_req(DT_EV_REQ_START, i + 1, 0, 0x100 + i, 12, 0);

		x.tid = 100 + i;
		feed(e, x);
	}
	for (i = 0; i < 10; i++) {
		struct dt_event x = ev_req(DT_EV_REQ_END, 100 + i, 0, 0x100 + i, 12, 12);

		x.tid = 100 + i;
		feed(e, x);
	}
	dt_engine_finish(e);
	assert_int_equal(dt_engine_stats(e)->untracked, 6);
	assert_int_equal(dt_engine_stats(e)->pass, 4);
	assert_int_equal(dt_engine_stats(e)->inconclusive, 6);
	assert_int_equal(dt_engine_stats(e)->orphans[DT_EV_REQ_END], 6);
	assert_int_equal(rq_at(e, 0)->id, 1);	/* the oldest went first */
	assert_int_equal(rq_at(e, 0)->chk[DT_CHK_RETURN].gap, DT_GAP_UNTRACKED);
	assert_verdict(e, DT_INCONCLUSIVE);
	dt_engine_free(e);
}

/*
 * A random stream (few tids, cookies, backing addresses; drops that grow;
 * a tiny in-flight table): every read is accounted exactly once, whatever
 * the pairing.  Run under ASan/UBSan it also walks every unlink path.
 */
static void random_stream_invariants(void **state)
{
	struct closes c = { 0 };
	struct dt_engine_opts o = { .loss_stamped = true, .max_inflight = 8, .max_details = 50,
				    .on_close = on_close, .close_arg = &c, .reorder_ns = 50 };
	struct dt_engine *e = dt_engine_new(&o);
	const struct dt_stats *st = dt_engine_stats(e);
	uint64_t rnd = 0x9e3779b97f4a7c15ull, drops = 0, starts = 0, i;

	for (i = 0; i < 200000; i++) {
		unsigned int type;
		struct dt_event x;

		rnd ^= rnd << 13;
		rnd ^= rnd >> 7;
		rnd ^= rnd << 17;
		type = 1 + rnd % (DT_EV_MAX - 1);
		x = ev_req(type, i * 10 + (rnd >> 60), drops, (rnd >> 8) % 3 ? 0x100 + (rnd >> 16) % 6 : 0,
			   4096, (rnd >> 20) % 5 ? 4096 : -5);
		x.tid = 1 + (rnd >> 24) % 5;
		x.ino = 40 + (rnd >> 28) % 3;
		if (type >= DT_EV_BACKING_SUBMIT && type <= DT_EV_BACKING_DONE)
			x.bk = (struct dt_backing){ .rq = 0xf000 + (rnd >> 32) % 7, .pos = 8192,
						    .len = 4096, .ret = (rnd >> 36) % 3 ?
						    4096 : -DT_EIOCBQUEUED };
		else if (type == DT_EV_EXTENT)
			x.ext = (struct dt_extent){ .m_la = 0, .m_pa = 8192, .m_llen = 1 << 20,
						    .m_flags = DT_MAP_MAPPED };
		else if (type == DT_EV_PC_ADD || type == DT_EV_PC_DEL)
			x.pc = (struct dt_pc){ .index = 1, .nr_pages = 1, .is_erofs = rnd >> 63 };
		starts += type == DT_EV_REQ_START;
		drops += (rnd >> 40) % 50 == 0;
		feed(e, x);
	}
	dt_engine_finish(e);
	assert_int_equal(st->requests, starts);
	assert_int_equal(c.n, starts);
	assert_int_equal(st->pass + st->fail + st->inconclusive, st->requests);
	assert_true(st->untracked > 0 && st->superseded > 0 && st->touched > 0);
	assert_true(dt_engine_nr_requests(e) <= 50);
	assert_int_not_equal(dt_engine_verdict(e), DT_PASS);	/* reads were touched by loss */
	if (!st->fail)
		assert_int_not_equal(dt_engine_verdict(e), DT_FAIL);
	dt_engine_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tid_pairing_after_drops_stamped),
		cmocka_unit_test(tid_pairing_after_drops_unstamped),
		cmocka_unit_test(end_lost_superseded),
		cmocka_unit_test(truncated_record),
		cmocka_unit_test(silent_roles),
		cmocka_unit_test(counters_reconciled),
		cmocka_unit_test(pc_outside_cumulative),
		cmocka_unit_test(close_callback_and_cap),
		cmocka_unit_test(inflight_lru),
		cmocka_unit_test(random_stream_invariants),
	};

	return cmocka_run_group_tests_name("loss", tests, NULL, NULL);
}
