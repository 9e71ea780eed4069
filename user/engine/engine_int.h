/* SPDX-License-Identifier: GPL-2.0-only */
/* The engine's private state, shared by engine.c, ledger.c and report.c. */
#ifndef __DT_ENGINE_INT_H
#define __DT_ENGINE_INT_H

#include "engine.h"
#include "ledger.h"

#define DT_MAX_REASONS	32

struct dt_role_state {
	bool unbound;
	char why[128];
	char how[96];	/* dt_engine_note_bound() */
};

struct dt_engine {
	struct dt_engine_opts opts;

	/* reorder buffer: a min-heap on (ts, seq) */
	struct dt_heap_ent *heap;
	size_t nr_heap, cap_heap;
	uint64_t seq, max_ts;

	/* requests in flight (bounded by opts.max_inflight) */
	struct dt_rq **inflight;
	size_t nr_inflight;
	/* closed requests, in order of closing */
	struct dt_rq **closed;
	size_t nr_closed, cap_closed;
	uint64_t next_id;

	struct dt_file *files;
	size_t nr_files, cap_files;

	struct dt_open_rec *opens;
	size_t nr_opens, cap_opens;

	struct dt_role_state roles[DT_ROLE_MAX];
	char *notes[DT_MAX_REASONS];	/* dt_engine_note_inconclusive() */
	size_t nr_notes;
	char *reasons[DT_MAX_REASONS];	/* why the verdict is not PASS */
	size_t nr_reasons;

	uint64_t cnt[DT_CNT_MAX];	/* last dt_engine_note_counters() */
	bool have_cnt;
	struct dt_stats st;
	bool finished;
	enum dt_verdict verdict;
};

/* ledger.c */
void dt_rq_evaluate(const struct dt_engine *e, struct dt_rq *rq);
/* engine.c */
struct dt_file *dt_file_get(struct dt_engine *e, uint64_t dev, uint64_t ino, bool erofs);
bool dt_role_bound(const struct dt_engine *e, enum dt_role r);
int dt_engine_feed_drain(struct dt_engine *e);	/* process every held event */

#endif
