// SPDX-License-Identifier: GPL-2.0-only
/*
 * Asynchronous user reads (aio, io_uring): a read that returns -EIOCBQUEUED
 * ends in its kiocb's ki_complete() (REQ_DONE), linked by cookie.
 */
#include <errno.h>
#include "unit.h"

#define K	1024ULL

static void queued_reads_pass(void **state)
{
	struct dt_engine *e = replay("user_async.events", NULL);
	const struct dt_stats *st = dt_engine_stats(e);
	const struct dt_rq *rq;
	size_t i;

	assert_verdict(e, DT_PASS);
	assert_int_equal(st->queued_reqs, 2);
	assert_int_equal(st->completions, 2);
	assert_int_equal(st->orphans[DT_EV_REQ_DONE], 0);
	assert_int_equal(st->orphans[DT_EV_BACKING_RET], 0);
	for (i = 0; i < 2; i++) {
		rq = rq_at(e, i);
		assert_true(rq->queued && rq->completed);
		assert_int_equal(rq->l.returned, 4 * K);
		assert_int_equal(rq->l.done, 4 * K);
		assert_int_equal(rq->l.late_completions, 0);
		assert_check(rq, DT_CHK_ASYNC, DT_ST_PASS);
		assert_check(rq, DT_CHK_DONE, DT_ST_PASS);
	}
	/* read 2 completed before its read_iter returned */
	rq = rq_at(e, 0)->pos == 8 * K ? rq_at(e, 0) : rq_at(e, 1);
	assert_int_equal(rq->pos, 8 * K);
	assert_true(rq->ts_done < rq->ts_end);
	dt_engine_free(e);
}

/* a backing read landing after the user's ki_complete() */
static void completion_before_backing_fails(void **state)
{
	struct dt_engine *e = replay("user_async_late.events", NULL);
	const struct dt_rq *rq = rq_at(e, 0);

	assert_verdict(e, DT_FAIL);
	assert_true(rq->queued);
	assert_int_equal(rq->l.late_completions, 1);
	assert_check(rq, DT_CHK_ASYNC, DT_ST_FAIL);
	assert_non_null(strstr(rq->chk[DT_CHK_ASYNC].why, "after the read completed"));
	dt_engine_free(e);
}

static void completed_twice_fails(void **state)
{
	struct dt_engine *e = replay("user_async_twice.events", NULL);
	const struct dt_rq *rq = rq_at(e, 0);

	assert_verdict(e, DT_FAIL);
	assert_true(rq->double_done);
	assert_check(rq, DT_CHK_RETURN, DT_ST_FAIL);
	assert_non_null(strstr(rq->chk[DT_CHK_RETURN].why, "completed twice"));
	dt_engine_free(e);
}

/* completions not seen: never PASS, never FAIL */
static void unseen_completions_inconclusive(void **state)
{
	struct dt_engine *e = replay("user_async_gaps.events", NULL);
	const struct dt_stats *st = dt_engine_stats(e);
	unsigned int i, incon = 0, pass = 0;

	assert_verdict(e, DT_INCONCLUSIVE);
	assert_int_equal(st->fail, 0);
	for (i = 0; i < dt_engine_nr_requests(e); i++) {
		const struct dt_rq *rq = rq_at(e, i);

		if (rq->verdict == DT_PASS) {
			pass++;
			assert_int_equal(rq->pos, 8 * K);
			continue;
		}
		incon++;
		assert_int_equal(rq->verdict, DT_INCONCLUSIVE);
		assert_false(rq->completed);
		assert_check(rq, DT_CHK_RETURN, DT_ST_INCONCLUSIVE);
		if (rq->pos == 0)	/* its kiocb came back with read 3 */
			assert_non_null(strstr(rq->chk[DT_CHK_RETURN].why, "kiocb was reused"));
		else
			assert_non_null(strstr(rq->chk[DT_CHK_RETURN].why, "was not seen"));
	}
	assert_int_equal(incon, 2);
	assert_int_equal(pass, 1);
	dt_engine_free(e);
}

/* the completion probe could not be bound: a queued read cannot be judged */
static void req_done_unbound_inconclusive(void **state)
{
	struct dt_engine *e = replay_unbound("user_async.events", DT_ROLE_REQ_DONE,
					     "fentry: EPERM; kprobe: no kprobes");
	const struct dt_rq *rq;

	assert_verdict(e, DT_INCONCLUSIVE);
	rq = rq_at(e, 0);
	assert_check(rq, DT_CHK_RETURN, DT_ST_INCONCLUSIVE);
	assert_int_equal(rq->chk[DT_CHK_RETURN].gap, DT_GAP_UNBOUND);
	assert_non_null(strstr(rq->chk[DT_CHK_RETURN].why, "req_done probe, unbound"));
	dt_engine_free(e);
}

/* IOCB_NOWAIT: declined with -EAGAIN (at once or queued) and reissued; a short read */
static void nowait_declined_pass(void **state)
{
	struct dt_engine *e = replay("nowait_declined.events", NULL);
	const struct dt_rq *first = rq_at(e, 0), *retry = rq_at(e, 1), *rq;

	assert_verdict(e, DT_PASS);
	assert_int_equal(dt_engine_stats(e)->declined, 2);
	assert_int_equal(first->l.returned, -EAGAIN);
	assert_check(first, DT_CHK_RETURN, DT_ST_PASS);
	assert_check(first, DT_CHK_DONE, DT_ST_NA);
	assert_check(retry, DT_CHK_RETURN, DT_ST_PASS);
	assert_check(retry, DT_CHK_COVER, DT_ST_PASS);
	rq = rq_at(e, 2);	/* queued, completed with -EAGAIN */
	assert_true(rq->queued && rq->completed);
	assert_int_equal(rq->l.returned, -EAGAIN);
	assert_check(rq, DT_CHK_RETURN, DT_ST_PASS);
	rq = rq_at(e, 4);	/* short: its second backing read would block */
	assert_int_equal(rq->l.returned, 4 * K);
	assert_check(rq, DT_CHK_RETURN, DT_ST_PASS);
	assert_check(rq, DT_CHK_DONE, DT_ST_PASS);
	assert_check(rq, DT_CHK_LEDGER, DT_ST_PASS);
	assert_check(rq, DT_CHK_COVER, DT_ST_PASS);
	dt_engine_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(queued_reads_pass),
		cmocka_unit_test(completion_before_backing_fails),
		cmocka_unit_test(completed_twice_fails),
		cmocka_unit_test(unseen_completions_inconclusive),
		cmocka_unit_test(req_done_unbound_inconclusive),
		cmocka_unit_test(nowait_declined_pass),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
