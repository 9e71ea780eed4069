// SPDX-License-Identifier: GPL-2.0-only
/* Read-only views of the engine for reports and tests (engine.h). */
#include <string.h>
#include "engine_int.h"

size_t dt_engine_nr_requests(const struct dt_engine *e)
{
	return e->nr_kept;
}

const struct dt_rq *dt_engine_request(const struct dt_engine *e, size_t i)
{
	return i < e->nr_kept ? e->kept[i] : NULL;
}

size_t dt_engine_nr_files(const struct dt_engine *e)
{
	return e->nr_files;
}

const struct dt_file *dt_engine_file(const struct dt_engine *e, size_t i)
{
	return i < e->nr_files ? &e->files[i] : NULL;
}

const struct dt_stats *dt_engine_stats(const struct dt_engine *e)
{
	return &e->st;
}

const struct dt_engine_opts *dt_engine_get_opts(const struct dt_engine *e)
{
	return &e->opts;
}

const char *dt_engine_reason(const struct dt_engine *e, size_t i)
{
	return i < e->nr_reasons ? e->reasons[i] : NULL;
}

enum dt_verdict dt_engine_verdict(const struct dt_engine *e)
{
	return e->finished ? e->verdict : DT_INCONCLUSIVE;
}

/* formats on first use: for a request in on_close, or kept (already formatted) */
const char *dt_engine_why(const struct dt_engine *e, const struct dt_rq *rq, int k)
{
	if (k < 0 || k >= DT_CHK_MAX)
		return "";
	if (!rq->why_ready)
		dt_rq_evaluate(e, (struct dt_rq *)rq, true);
	return rq->chk[k].why;
}

bool dt_engine_role_bound(const struct dt_engine *e, enum dt_role r)
{
	return dt_role_bound(e, r);
}

bool dt_engine_role_silent(const struct dt_engine *e, enum dt_role r)
{
	return dt_role_silent(e, r);
}

const char *dt_engine_role_why(const struct dt_engine *e, enum dt_role r)
{
	return r < DT_ROLE_MAX ? e->roles[r].why : "";
}

const char *dt_engine_role_how(const struct dt_engine *e, enum dt_role r)
{
	return r < DT_ROLE_MAX ? e->roles[r].how : "";
}

size_t dt_engine_nr_opens(const struct dt_engine *e)
{
	return e->nr_opens;
}

const struct dt_open_rec *dt_engine_open(const struct dt_engine *e, size_t i)
{
	return i < e->nr_opens ? &e->opens[i] : NULL;
}

size_t dt_engine_nr_notes(const struct dt_engine *e)
{
	return e->nr_notes;
}

const char *dt_engine_note(const struct dt_engine *e, size_t i, enum dt_gap *gap)
{
	if (i >= e->nr_notes)
		return NULL;
	if (gap)
		*gap = e->notes[i].gap;
	return e->notes[i].why;
}

bool dt_engine_counters(const struct dt_engine *e, uint64_t cnt[DT_CNT_MAX])
{
	memcpy(cnt, e->cnt, sizeof(e->cnt));
	return e->have_cnt;
}
