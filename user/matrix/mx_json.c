// SPDX-License-Identifier: GPL-2.0-only
/*
 * dt-matrix: the JSON report (yajl_gen).  Stable keys:
 *   version, flavours[{name, results, expectations}], scenarios[{id, setup,
 *   kind, args, ideal, description}], cells[{scenario, flavour, status,
 *   expected, outcome, data{open, result, detail}, tracer{verdict},
 *   pins{acquired, released}, page_cache{erofs_delta, image_delta},
 *   console[], failing_checks[]}], summary{cells, expected, regressions,
 *   unexpected_passes, unexpected, unjudged, na}, exit
 * Unknown numbers are null, never 0.
 */
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include "mx.h"

int mx_exit_code(const struct mx *m);

struct jw {
	yajl_gen g;
	int err;
};

static void s(struct jw *j, const char *v)
{
	if (!j->err && yajl_gen_string(j->g, (const unsigned char *)v, strlen(v)) != yajl_gen_status_ok)
		j->err = 1;
}

static void kstr(struct jw *j, const char *k, const char *v)
{
	s(j, k);
	if (v)
		s(j, v);
	else if (!j->err && yajl_gen_null(j->g) != yajl_gen_status_ok)
		j->err = 1;
}

static void knum(struct jw *j, const char *k, long long v, int known)
{
	s(j, k);
	if (j->err)
		return;
	if ((known ? yajl_gen_integer(j->g, v) : yajl_gen_null(j->g)) != yajl_gen_status_ok)
		j->err = 1;
}

static void open_(struct jw *j, int map)
{
	if (!j->err && (map ? yajl_gen_map_open(j->g) : yajl_gen_array_open(j->g)) != yajl_gen_status_ok)
		j->err = 1;
}

static void close_(struct jw *j, int map)
{
	if (!j->err && (map ? yajl_gen_map_close(j->g) : yajl_gen_array_close(j->g)) != yajl_gen_status_ok)
		j->err = 1;
}

static void cell(struct jw *j, const struct mx *m, size_t i, size_t k)
{
	const struct mx_cell *c = &m->col[i].cells[k];
	char *line, *save = NULL, *copy;
	size_t n;

	open_(j, 1);
	kstr(j, "scenario", m->scn[k].id);
	kstr(j, "flavour", m->col[i].name);
	kstr(j, "status", mx_st_name(c->st));
	kstr(j, "expected", c->exp_word);
	kstr(j, "outcome", mx_outcome_name(c->outcome));
	s(j, "data");
	open_(j, 1);
	kstr(j, "open", c->open[0] ? c->open : NULL);
	kstr(j, "result", c->data[0] ? c->data : NULL);
	kstr(j, "detail", c->data_detail[0] ? c->data_detail : NULL);
	close_(j, 1);
	s(j, "tracer");
	open_(j, 1);
	kstr(j, "verdict", c->tracer);
	close_(j, 1);
	s(j, "pins");
	open_(j, 1);
	knum(j, "acquired", c->pin_acq, c->has_pins);
	knum(j, "released", c->pin_rel, c->has_pins);
	close_(j, 1);
	s(j, "page_cache");
	open_(j, 1);
	knum(j, "erofs_delta", c->erofs_delta, c->has_cache);
	knum(j, "image_delta", c->image_delta, c->has_cache);
	close_(j, 1);
	s(j, "console");
	open_(j, 0);
	copy = c->console ? strdup(c->console) : NULL;
	for (line = copy ? strtok_r(copy, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save))
		s(j, line);
	free(copy);
	close_(j, 0);
	s(j, "failing_checks");
	open_(j, 0);
	for (n = 0; n < c->nfails; n++)
		s(j, c->fails[n]);
	close_(j, 0);
	close_(j, 1);
}

static void print_cb(void *ctx, const char *str, size_t len)
{
	fwrite(str, 1, len, ctx);
}

int mx_write_json(const struct mx *m, const char *path)
{
	struct mx_out o;
	struct jw j = { 0 };
	size_t i, k;

	if (mx_out_open(&o, path))
		return -1;
	j.g = yajl_gen_alloc(NULL);
	if (!j.g || !yajl_gen_config(j.g, yajl_gen_beautify, 1) ||
	    !yajl_gen_config(j.g, yajl_gen_print_callback, print_cb, o.f)) {
		mx_out_abort(&o);
		return -1;
	}
	open_(&j, 1);
	knum(&j, "version", 1, 1);
	s(&j, "flavours");
	open_(&j, 0);
	for (i = 0; i < m->ncol; i++) {
		open_(&j, 1);
		kstr(&j, "name", m->col[i].name);
		kstr(&j, "results", m->col[i].dir);
		kstr(&j, "expectations", m->col[i].expect_path[0] ? m->col[i].expect_path : "ideal");
		close_(&j, 1);
	}
	close_(&j, 0);
	s(&j, "scenarios");
	open_(&j, 0);
	for (k = 0; k < m->nscn; k++) {
		open_(&j, 1);
		kstr(&j, "id", m->scn[k].id);
		kstr(&j, "setup", m->scn[k].setup);
		kstr(&j, "kind", m->scn[k].kind);
		kstr(&j, "args", m->scn[k].args);
		kstr(&j, "ideal", mx_st_name(m->scn[k].ideal));
		kstr(&j, "description", m->scn[k].desc);
		close_(&j, 1);
	}
	close_(&j, 0);
	s(&j, "cells");
	open_(&j, 0);
	for (k = 0; k < m->nscn; k++)
		for (i = 0; i < m->ncol; i++)
			cell(&j, m, i, k);
	close_(&j, 0);
	s(&j, "summary");
	open_(&j, 1);
	knum(&j, "cells", (long long)(m->nscn * m->ncol), 1);
	knum(&j, "expected", (long long)m->count[MX_EXPECTED], 1);
	knum(&j, "regressions", (long long)m->count[MX_REGRESSION], 1);
	knum(&j, "unexpected_passes", (long long)m->count[MX_UNEXPECTED_PASS], 1);
	knum(&j, "unexpected", (long long)m->count[MX_UNEXPECTED], 1);
	knum(&j, "unjudged", (long long)m->count[MX_UNJUDGED], 1);
	knum(&j, "na", (long long)m->count[MX_SKIPPED], 1);
	close_(&j, 1);
	knum(&j, "exit", mx_exit_code(m), 1);
	close_(&j, 1);
	yajl_gen_free(j.g);
	if (j.err) {
		fprintf(stderr, "dt-matrix: %s: JSON generation failed\n", path);
		mx_out_abort(&o);
		return -1;
	}
	if (fputc('\n', o.f) == EOF) {
		mx_out_abort(&o);
		return -1;
	}
	return mx_out_close(&o);
}
