// SPDX-License-Identifier: GPL-2.0-only
/*
 * The report as a stream: the engine's on_close hook writes each request as
 * it closes (verbose text, JSON), dt_report_end() the rest.  The JSON head
 * is written on the first request or at the end, whichever comes first.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "report.h"

struct dt_report {
	struct dt_report_opts o;
	FILE *json;
	struct dt_json *jw;	/* the generator writing to json */
	bool head, streamed, text_head;
	int err_text, err_json;
};

struct dt_report *dt_report_new(const struct dt_report_opts *o)
{
	struct dt_report *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->o = *o;
	if (o->json) {
		r->json = strcmp(o->json, "-") ? fopen(o->json, "w") : stdout;
		if (!r->json) {
			free(r);
			return NULL;
		}
		r->jw = dt_json_new(r->json);
		if (!r->jw) {
			dt_report_abort(r);
			errno = ENOMEM;
			return NULL;
		}
	}
	return r;
}

static void json_head(struct dt_report *r, const struct dt_engine_opts *eo)
{
	if (r->head || !r->json)
		return;
	r->head = true;
	if (!r->err_json)
		r->err_json = dt_report_json_head(r->jw, eo);
}

static void on_close(void *arg, const struct dt_engine *e, const struct dt_rq *rq)
{
	struct dt_report *r = arg;

	if (r->o.text && r->o.verbose && !r->err_text) {
		if (!r->text_head)
			fprintf(r->o.text, "erofs-diotrace report (event format v%d)\n\n"
				"Reads as they complete\n", DT_EVENT_VERSION);
		r->text_head = true;
		dt_report_text_read(e, rq, r->o.text, true);
		if (ferror(r->o.text))
			r->err_text = -EIO;
	}
	if (r->json && !r->err_json) {
		json_head(r, dt_engine_get_opts(e));
		if (!r->err_json)
			r->err_json = dt_report_json_read(r->jw, e, rq);
	}
}

void dt_report_attach(struct dt_report *r, struct dt_engine_opts *eo)
{
	if (!(r->o.text && r->o.verbose) && !r->json)
		return;		/* nothing streams: PASS reads cost no formatting */
	eo->on_close = on_close;
	eo->close_arg = r;
	r->streamed = true;
}

static int close_json(struct dt_report *r)
{
	int err = 0;

	if (r->json == stdout)
		err = fflush(stdout) ? -errno : 0;
	else if (r->json)
		err = fclose(r->json) ? -errno : 0;
	r->json = NULL;
	return err;
}

int dt_report_end(struct dt_report *r, const struct dt_engine *e, const char **what)
{
	size_t i;
	int err;

	if (r->o.text && !r->err_text) {
		if (dt_report_text_summary(e, r->o.text, r->o.verbose, r->text_head))
			r->err_text = -EIO;
		if (fflush(r->o.text))
			r->err_text = -errno;	/* ENOSPC says more than EIO */
		else if (ferror(r->o.text))
			r->err_text = -EIO;
	}
	if (r->json && !r->err_json) {
		json_head(r, dt_engine_get_opts(e));
		/* not streamed (no hook): the kept reads */
		for (i = 0; !r->streamed && !r->err_json && i < dt_engine_nr_requests(e); i++)
			r->err_json = dt_report_json_read(r->jw, e, dt_engine_request(e, i));
		if (!r->err_json)
			r->err_json = dt_report_json_tail(r->jw, e);
	}
	err = close_json(r);
	if (!r->err_json)
		r->err_json = err;
	if (r->err_text) {
		*what = "the text report";
		return r->err_text;
	}
	if (r->err_json) {
		*what = r->o.json;
		return r->err_json;
	}
	return 0;
}

void dt_report_free(struct dt_report *r)
{
	if (!r)
		return;
	close_json(r);
	dt_json_free(r->jw);
	free(r);
}

void dt_report_abort(struct dt_report *r)
{
	if (!r)
		return;
	if (r->json && r->json != stdout) {
		fclose(r->json);
		r->json = NULL;
		unlink(r->o.json);
	}
	dt_report_free(r);
}

/* after dt_engine_finish(), nothing streamed: the kept reads and the summary */
void dt_report_text(const struct dt_engine *e, FILE *out, bool verbose)
{
	dt_report_text_summary(e, out, verbose, false);
}

int dt_report_json(const struct dt_engine *e, const char *path)
{
	struct dt_report_opts o = { .json = path };
	struct dt_report *r = dt_report_new(&o);
	const char *what;
	int err;

	if (!r)
		return errno ? -errno : -ENOMEM;
	err = dt_report_end(r, e, &what);
	dt_report_free(r);
	return err;
}
