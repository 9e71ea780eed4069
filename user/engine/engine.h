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
struct dt_rq;

/* why a check or the run could not be established (typed: never parsed back) */
enum dt_gap {
	DT_GAP_NONE = 0,
	DT_GAP_LOST,		/* events dropped (ring full, emitted != delivered) */
	DT_GAP_UNBOUND,		/* a role the check needs has no program */
	DT_GAP_SILENT,		/* a role is bound but produced no event while its peers fired */
	DT_GAP_TRUNCATED,	/* the recorded stream was cut short */
	DT_GAP_SIGNAL,		/* tracing interrupted */
	DT_GAP_MAP_FULL,	/* a BPF map update failed */
	DT_GAP_EVICTED,		/* a BPF in-flight entry was evicted */
	DT_GAP_UNTRACKED,	/* the engine's in-flight table was full */
	DT_GAP_PIDS_FULL,	/* a traced process could not be followed */
	DT_GAP_UNFINISHED,	/* the read had not returned when tracing ended */
	DT_GAP_OTHER,
	DT_GAP_MAX,
};

struct dt_engine_opts {
	unsigned int max_inflight;	/* bound of the in-flight request table; 0 = default */
	unsigned int page_size;		/* 0 = 4096 */
	bool expect_dio;		/* a buffered EROFS read, or an O_DIRECT open
					 * refused with EINVAL, is a FAIL (CLI --expect-dio) */
	uint64_t reorder_ns;		/* events are sorted by ts within this window;
					 * 0 = 10 ms */
	unsigned int reorder_max;	/* most events held for sorting; 0 = 65536 */
	bool loss_stamped;		/* events carry valid drops stamps (run; v2 records) */
	unsigned int max_details;	/* FAIL/INCONCLUSIVE requests kept with details
					 * (the rest are counted); 0 = 1000 */
	bool keep_pass;			/* keep PASS requests' details too (tests) */
	/*
	 * Called once per request when it closes, evaluated, before the engine
	 * recycles it (PASS) or keeps it (details): reports stream from here.
	 * dt_engine_why() formats the checks' reasons on demand.
	 */
	void (*on_close)(void *arg, const struct dt_engine *e, const struct dt_rq *rq);
	void *close_arg;
};

struct dt_engine *dt_engine_new(const struct dt_engine_opts *opts);
void dt_engine_free(struct dt_engine *e);

/* feed one event; events may arrive out of order across CPUs */
int dt_engine_feed(struct dt_engine *e, const struct dt_event *ev);

/* evidence problems: each one makes affected checks INCONCLUSIVE, with the reason */
void dt_engine_note_lost(struct dt_engine *e, uint64_t lost);
void dt_engine_note_unbound(struct dt_engine *e, enum dt_role role, const char *why);
void dt_engine_note_inconclusive(struct dt_engine *e, const char *why);
/* the same with its kind (signal, map full, ...) */
void dt_engine_note_gap(struct dt_engine *e, enum dt_gap gap, const char *why);
/* events received and deliberately not fed (e.g. opens not on EROFS): emitted vs delivered */
void dt_engine_note_skipped(struct dt_engine *e, uint64_t n);
/* the events carry drops stamps (v2 record); same as opts.loss_stamped */
void dt_engine_note_stamped(struct dt_engine *e, bool stamped);
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

/*
 * Reports after dt_engine_finish(), of the kept requests only; to stream
 * every request as it closes see user/report/report.h.
 */
void dt_report_text(const struct dt_engine *e, FILE *out, bool verbose);
int dt_report_json(const struct dt_engine *e, const char *path);

/*
 * Read-only views for reports and tests (the record types are in
 * ledger.h).  Requests: the kept details (FAIL and INCONCLUSIVE, up to
 * opts.max_details; PASS too with opts.keep_pass), in order of REQ_START,
 * valid after dt_engine_finish().
 */
struct dt_file;
struct dt_stats;
struct dt_open_rec;
size_t dt_engine_nr_requests(const struct dt_engine *e);
const struct dt_rq *dt_engine_request(const struct dt_engine *e, size_t i);
size_t dt_engine_nr_files(const struct dt_engine *e);
const struct dt_file *dt_engine_file(const struct dt_engine *e, size_t i);
const struct dt_stats *dt_engine_stats(const struct dt_engine *e);
const struct dt_engine_opts *dt_engine_get_opts(const struct dt_engine *e);
/* why the overall verdict is not PASS (NULL past the last) */
const char *dt_engine_reason(const struct dt_engine *e, size_t i);
/* the reason of check k (an enum dt_check) of a kept request or one in on_close */
const char *dt_engine_why(const struct dt_engine *e, const struct dt_rq *rq, int k);
/* roles: bound, silent (bound but no event while its peers fired), why, which program */
bool dt_engine_role_bound(const struct dt_engine *e, enum dt_role r);
bool dt_engine_role_silent(const struct dt_engine *e, enum dt_role r);
const char *dt_engine_role_why(const struct dt_engine *e, enum dt_role r);
const char *dt_engine_role_how(const struct dt_engine *e, enum dt_role r);
/* O_DIRECT opens of EROFS files refused with EINVAL (the first few kept) */
size_t dt_engine_nr_opens(const struct dt_engine *e);
const struct dt_open_rec *dt_engine_open(const struct dt_engine *e, size_t i);
/* evidence notes given by the caller (signal, map full, truncation, ...) */
size_t dt_engine_nr_notes(const struct dt_engine *e);
const char *dt_engine_note(const struct dt_engine *e, size_t i, enum dt_gap *gap);
/* the last counter snapshot; false if none was given */
bool dt_engine_counters(const struct dt_engine *e, uint64_t cnt[DT_CNT_MAX]);

const char *dt_verdict_name(enum dt_verdict v);
const char *dt_role_name(enum dt_role r);
const char *dt_gap_name(enum dt_gap g);

#endif /* __DT_ENGINE_H */
