/* SPDX-License-Identifier: GPL-2.0-only */
/* Shared by the engine's cmocka tests: replay a recorded stream from tests/data. */
#ifndef __DT_UNIT_H
#define __DT_UNIT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine.h"
#include "evtext.h"
#include "ledger.h"

static inline FILE *open_data(const char *name)
{
	const char *dir = getenv("DT_DATA");
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/data", name);
	f = fopen(path, "r");
	if (!f)
		print_error("cannot open %s (set DT_DATA to the tests/data directory)\n", path);
	assert_non_null(f);
	return f;
}

/* every hand-written stream tests/data/ *.events (there are at least 10): globfree() it */
static inline void data_streams(glob_t *g)
{
	const char *dir = getenv("DT_DATA");
	char pat[1024];

	snprintf(pat, sizeof(pat), "%s/*.events", dir ? dir : "tests/data");
	assert_int_equal(glob(pat, 0, NULL, g), 0);
	assert_true(g->gl_pathc >= 10);
}

/* a finished engine fed with tests/data/NAME; every request kept with details */
static inline struct dt_engine *replay(const char *name, const struct dt_engine_opts *o)
{
	struct dt_engine_opts ko = o ? *o : (struct dt_engine_opts){ 0 };
	struct dt_engine *e;

	ko.keep_pass = true;
	e = dt_engine_new(&ko);
	FILE *f = open_data(name);
	unsigned int line = 0;
	int r;

	assert_non_null(e);
	r = dt_evtext_replay(f, e, &line);
	if (r)
		print_error("%s:%u: %s\n", name, line, dt_evtext_error());
	assert_int_equal(r, 0);
	fclose(f);
	dt_engine_finish(e);
	return e;
}

/* the same, with probe role ROLE reported unbound (WHY) before the first event */
static inline struct dt_engine *replay_unbound(const char *name, enum dt_role role, const char *why)
{
	struct dt_engine_opts o = { .keep_pass = true };
	struct dt_engine *e = dt_engine_new(&o);
	FILE *f = open_data(name);
	unsigned int line = 0;

	assert_non_null(e);
	dt_engine_note_unbound(e, role, why);
	assert_int_equal(dt_evtext_replay(f, e, &line), 0);
	fclose(f);
	dt_engine_finish(e);
	return e;
}

static inline const struct dt_rq *rq_at(const struct dt_engine *e, size_t i)
{
	const struct dt_rq *rq = dt_engine_request(e, i);

	assert_non_null(rq);
	return rq;
}

#define assert_check(rq, c, status) do {					\
	if ((rq)->chk[c].st != (status))					\
		print_error("check %s: %s (%s), wanted %s\n", dt_check_name(c),	\
			    dt_status_name((rq)->chk[c].st), (rq)->chk[c].why,	\
			    dt_status_name(status));				\
	assert_int_equal((rq)->chk[c].st, (status));				\
} while (0)

#define assert_verdict(e, v) do {						\
	if (dt_engine_verdict(e) != (v))					\
		dt_report_text((e), stderr, true);				\
	assert_string_equal(dt_verdict_name(dt_engine_verdict(e)), dt_verdict_name(v)); \
} while (0)

#endif
