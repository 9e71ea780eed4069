/* SPDX-License-Identifier: GPL-2.0-only */
/* The engine's private state, shared by engine.c, ledger.c and verdict.c. */
#ifndef __DT_ENGINE_INT_H
#define __DT_ENGINE_INT_H

#include "engine.h"
#include "hash.h"
#include "ledger.h"

#define DT_MAX_REASONS	32
#define DT_MAX_OPENS	64	/* refused opens kept for the report */

struct dt_role_state {
	bool unbound;
	char why[128];
	char how[96];	/* dt_engine_note_bound() */
};

struct dt_heap_ent {
	uint64_t seq;		/* arrival order: ties on ts keep it */
	struct dt_event ev;
};

struct dt_note {
	enum dt_gap gap;
	char *why;
};

struct dt_engine {
	struct dt_engine_opts opts;

	/*
	 * reorder: events in ts order go to a FIFO ring; only those that arrive
	 * behind the newest held one go through the min-heap on (ts, seq)
	 */
	struct dt_heap_ent *fifo;
	size_t fifo_cap, fifo_head, fifo_n;
	struct dt_heap_ent *heap;
	size_t nr_heap, cap_heap;
	uint64_t seq, max_ts;

	/* requests in flight: LRU list (oldest first) and three indexes */
	struct dt_rq *lru_head, *lru_tail;
	size_t nr_inflight;
	struct dt_hash by_cookie;	/* open (not returned) requests */
	struct dt_hash by_tid;		/* newest in-flight request of a tid */
	struct dt_hash by_bk;		/* backing read rq address -> request, bk index */
	struct dt_rq *free_rq;		/* recycled records (lru_next chains them) */
	uint64_t next_id;

	/* closed requests kept with details */
	struct dt_rq **kept;
	size_t nr_kept, cap_kept;

	struct dt_hash by_file;		/* (dev, ino) -> index + 1 in files */
	struct dt_file *files;
	size_t nr_files, cap_files;

	struct dt_open_rec *opens;
	size_t nr_opens, cap_opens;

	struct dt_role_state roles[DT_ROLE_MAX];
	struct dt_note notes[DT_MAX_REASONS];
	size_t nr_notes;
	char *reasons[DT_MAX_REASONS];	/* why the verdict is not PASS */
	size_t nr_reasons;

	uint64_t cnt[DT_CNT_MAX];	/* last dt_engine_note_counters() */
	bool have_cnt;
	uint64_t lost_noted;		/* sum of dt_engine_note_lost() */
	uint64_t direct_ok;		/* O_DIRECT reads that returned data */
	uint64_t fail_weak_unkept;	/* FAILs not kept that would not survive a loss */
	bool truncated;
	struct dt_stats st;
	bool finished;
	enum dt_verdict verdict;
};

static inline uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

static inline void inc_sat(uint64_t *c)
{
	if (*c != UINT64_MAX)
		(*c)++;
}

/* ledger.c: checks; why strings formatted only if fmt */
void dt_rq_evaluate(const struct dt_engine *e, struct dt_rq *rq, bool fmt);
/* a FAIL that would not survive lost events (unstamped, no loss known yet) */
bool dt_rq_fail_needs_no_loss(const struct dt_engine *e, struct dt_rq *rq);
/* engine.c */
struct dt_file *dt_file_get(struct dt_engine *e, uint64_t dev, uint64_t ino, bool erofs);
bool dt_role_bound(const struct dt_engine *e, enum dt_role r);
/* a role bound but silent while the roles that drive it fired (why in roles[r].silent) */
bool dt_role_silent(const struct dt_engine *e, enum dt_role r);
const char *dt_role_silent_why(const struct dt_engine *e, enum dt_role r, char *buf, size_t n);
bool dt_loss_unstamped(const struct dt_engine *e);	/* loss and no stamps to place it */
int dt_engine_feed_drain(struct dt_engine *e);	/* process every held event */
void dt_engine_close_all(struct dt_engine *e);	/* close every request in flight */
/* verdict.c: a request closed: evaluate, account, hand to on_close, keep or recycle */
void dt_rq_closed(struct dt_engine *e, struct dt_rq *rq);
void dt_rq_recycle(struct dt_engine *e, struct dt_rq *rq);

#endif
