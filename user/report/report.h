/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reports that stream: per-request output (--verbose text lines, JSON
 * request objects) is written as requests close, through the engine's
 * on_close hook; the summary when the engine has finished.  Nothing holds
 * the whole document.  Reports read the engine only through engine.h.
 *
 *	r = dt_report_new(&ro);			(opens the JSON file)
 *	dt_report_attach(r, &engine_opts);	(before dt_engine_new)
 *	... feed, dt_engine_finish(e) ...
 *	err = dt_report_end(r, e, &what);	(0, or -errno and which output failed)
 *	dt_report_free(r);
 */
#ifndef __DT_REPORT_H
#define __DT_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include "engine.h"

struct dt_report;

struct dt_report_opts {
	FILE *text;		/* text report, NULL for none */
	bool verbose;		/* every read, with its ledger, as it closes */
	const char *json;	/* JSON report path ('-' = stdout), NULL for none */
};

/* NULL with errno set when the JSON file cannot be opened */
struct dt_report *dt_report_new(const struct dt_report_opts *o);
void dt_report_attach(struct dt_report *r, struct dt_engine_opts *eo);
int dt_report_end(struct dt_report *r, const struct dt_engine *e, const char **what);
void dt_report_free(struct dt_report *r);
/* the input was bad: no report; a partly written JSON file is removed */
void dt_report_abort(struct dt_report *r);

/* report_text.c / report_json.c, for the report */
void dt_report_text_read(const struct dt_engine *e, const struct dt_rq *rq, FILE *out, bool verbose);
int dt_report_text_summary(const struct dt_engine *e, FILE *out, bool verbose, bool streamed);
/*
 * The JSON document, one yajl generator writing to f: head, each read, tail.
 * Each returns 0 or the first error as -errno (a failed write, a yajl_gen
 * status); after an error nothing more is written.
 */
struct dt_json;
struct dt_json *dt_json_new(FILE *f);	/* NULL with errno set */
void dt_json_free(struct dt_json *j);
int dt_report_json_head(struct dt_json *j, const struct dt_engine_opts *o);
int dt_report_json_read(struct dt_json *j, const struct dt_engine *e, const struct dt_rq *rq);
int dt_report_json_tail(struct dt_json *j, const struct dt_engine *e);

#endif
