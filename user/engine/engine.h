/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The correlation engine: plain C, no libbpf.  It consumes struct dt_event
 * records (from the ring buffer, or from a recorded stream) and rebuilds, for
 * every user read on an EROFS file, what the kernel did; then checks it.
 */
#ifndef __DT_ENGINE_H
#define __DT_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "diotrace.h"

enum dt_verdict {
	DT_PASS = 0,
	DT_FAIL = 1,
	DT_INCONCLUSIVE = 2,
};

struct dt_engine;

struct dt_engine_opts {
	unsigned int max_inflight;	/* bound of the in-flight request table; 0 = default */
	unsigned int page_size;		/* 0 = 4096 */
	bool expect_dio;		/* a buffered EROFS read, or an O_DIRECT open
					 * refused with EINVAL, is a FAIL (CLI --expect-dio) */
	uint64_t reorder_ns;		/* events are sorted by ts within this window;
					 * 0 = 10 ms */
	unsigned int reorder_max;	/* most events held for sorting; 0 = 65536 */
};

struct dt_engine *dt_engine_new(const struct dt_engine_opts *opts);
void dt_engine_free(struct dt_engine *e);

/* feed one event; events may arrive out of order across CPUs */
int dt_engine_feed(struct dt_engine *e, const struct dt_event *ev);

/* evidence problems: each one makes affected checks INCONCLUSIVE, with the reason */
void dt_engine_note_lost(struct dt_engine *e, uint64_t lost);
void dt_engine_note_unbound(struct dt_engine *e, enum dt_role role, const char *why);
void dt_engine_note_inconclusive(struct dt_engine *e, const char *why);
/* which program bound a role (shown in the report) */
void dt_engine_note_bound(struct dt_engine *e, enum dt_role role, const char *how);
/*
 * A snapshot of the BPF counters (enum dt_counter, cumulative): may come
 * many times during a trace; the last one before dt_engine_finish() is the
 * account the report gives ("seen N of M reads", drops, evictions).
 */
void dt_engine_note_counters(struct dt_engine *e, const uint64_t cnt[DT_CNT_MAX]);
/*
 * Page-cache changes on one file that BPF folded in a map because no traced
 * request was in flight (cumulative bytes, like the counters): they are
 * reported per file, never attributed to a request.
 */
void dt_engine_note_pc_outside(struct dt_engine *e, uint64_t dev, uint64_t ino, bool erofs,
			       uint64_t added, uint64_t deleted);
/* the recorded stream ended before its end marker, or failed its checksum */
void dt_engine_note_truncated(struct dt_engine *e, const char *where);

/* no more events: close what is still open, compute verdicts */
void dt_engine_finish(struct dt_engine *e);

enum dt_verdict dt_engine_verdict(const struct dt_engine *e);

/* reports (user/report.c) */
void dt_report_text(const struct dt_engine *e, FILE *out, bool verbose);
int dt_report_json(const struct dt_engine *e, const char *path);

/*
 * Read-only views for reports and tests (the record types are in
 * ledger.h).  Valid after dt_engine_finish().
 */
struct dt_rq;
struct dt_file;
struct dt_stats;
size_t dt_engine_nr_requests(const struct dt_engine *e);
const struct dt_rq *dt_engine_request(const struct dt_engine *e, size_t i);
size_t dt_engine_nr_files(const struct dt_engine *e);
const struct dt_file *dt_engine_file(const struct dt_engine *e, size_t i);
const struct dt_stats *dt_engine_stats(const struct dt_engine *e);
/* why the overall verdict is not PASS (NULL past the last) */
const char *dt_engine_reason(const struct dt_engine *e, size_t i);

const char *dt_verdict_name(enum dt_verdict v);
const char *dt_role_name(enum dt_role r);

#endif /* __DT_ENGINE_H */
