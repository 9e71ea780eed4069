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
};

struct dt_engine *dt_engine_new(const struct dt_engine_opts *opts);
void dt_engine_free(struct dt_engine *e);

/* feed one event; events may arrive out of order across CPUs */
int dt_engine_feed(struct dt_engine *e, const struct dt_event *ev);

/* evidence problems: each one makes affected checks INCONCLUSIVE, with the reason */
void dt_engine_note_lost(struct dt_engine *e, uint64_t lost);
void dt_engine_note_unbound(struct dt_engine *e, enum dt_role role, const char *why);
void dt_engine_note_inconclusive(struct dt_engine *e, const char *why);

/* no more events: close what is still open, compute verdicts */
void dt_engine_finish(struct dt_engine *e);

enum dt_verdict dt_engine_verdict(const struct dt_engine *e);

/* reports (user/report.c) */
void dt_report_text(const struct dt_engine *e, FILE *out, bool verbose);
int dt_report_json(const struct dt_engine *e, const char *path);

const char *dt_verdict_name(enum dt_verdict v);
const char *dt_role_name(enum dt_role r);

#endif /* __DT_ENGINE_H */
