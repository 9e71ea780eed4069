// SPDX-License-Identifier: GPL-2.0-only
/*
 * dt-matrix: reading the scenario list, a flavour's expectations and the
 * raw results the guest left for one cell.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yajl/yajl_tree.h>

#include "mx.h"

static const char *const st_names[MX_ST_MAX] = {
	[MX_PASS] = "PASS", [MX_FAIL] = "FAIL", [MX_OOPS] = "OOPS",
	[MX_EINVAL] = "EINVAL", [MX_NA] = "n.a.", [MX_INCONCLUSIVE] = "INCONCLUSIVE",
	[MX_ERROR] = "ERROR",
};

const char *mx_st_name(enum mx_st st)
{
	return st < MX_ST_MAX ? st_names[st] : "?";
}

int mx_st_parse(const char *s, enum mx_st *st)
{
	int i;

	for (i = 0; i <= MX_NA; i++)
		if (!strcmp(s, st_names[i])) {
			*st = i;
			return 0;
		}
	return -1;
}

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = 0;
}

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

/* ID|SETUP|KIND|ARGS|IDEAL|CHECKS|DESCRIPTION */
int mx_load_scenarios(struct mx *m, const char *path)
{
	char line[1024], *f[7], *p;
	FILE *in = fopen(path, "r");
	int n, lineno = 0;

	if (!in) {
		fprintf(stderr, "dt-matrix: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), in)) {
		lineno++;
		chomp(line);
		if (!line[0] || line[0] == '#')
			continue;
		for (n = 0, p = line; n < 7 && p; n++) {
			f[n] = p;
			p = n < 6 ? strchr(p, '|') : NULL;
			if (p)
				*p++ = 0;
		}
		if (n != 7 || m->nscn == MX_MAX_SCN) {
			fprintf(stderr, "dt-matrix: %s:%d: want ID|SETUP|KIND|ARGS|IDEAL|CHECKS|DESCRIPTION (at most %d)\n",
				path, lineno, MX_MAX_SCN);
			fclose(in);
			return -1;
		}
		struct mx_scn *s = &m->scn[m->nscn];

		copy(s->id, sizeof(s->id), f[0]);
		copy(s->setup, sizeof(s->setup), f[1]);
		copy(s->kind, sizeof(s->kind), f[2]);
		copy(s->args, sizeof(s->args), f[3]);
		copy(s->desc, sizeof(s->desc), f[6]);
		s->cache_check = !strcmp(f[5], "cache");
		if (mx_st_parse(f[4], &s->ideal) || (s->ideal != MX_PASS && s->ideal != MX_EINVAL)) {
			fprintf(stderr, "dt-matrix: %s:%d: IDEAL '%s' must be PASS or EINVAL\n",
				path, lineno, f[4]);
			fclose(in);
			return -1;
		}
		m->nscn++;
	}
	fclose(in);
	if (!m->nscn) {
		fprintf(stderr, "dt-matrix: %s: no scenarios\n", path);
		return -1;
	}
	return 0;
}

static int scn_index(const struct mx *m, const char *id)
{
	size_t i;

	for (i = 0; i < m->nscn; i++)
		if (!strcmp(m->scn[i].id, id))
			return (int)i;
	return -1;
}

/* STATUS or A|B (either is as expected) */
static int parse_expect(char *st, struct mx_cell *c)
{
	char *bar = strchr(st, '|');

	c->has_alt = 0;
	snprintf(c->exp_word, sizeof(c->exp_word), "%s", st);
	if (bar) {
		*bar = '\0';
		if (mx_st_parse(bar + 1, &c->exp_alt))
			return -1;
		c->has_alt = 1;
	}
	return mx_st_parse(st, &c->exp);
}

/*
 * "ID STATUS [# why]" lines; every scenario must have exactly one, so an
 * expectations file never silently lags behind the scenario list.
 */
int mx_load_expect(struct mx *m, struct mx_col *col, const char *path)
{
	char line[1024], id[128], st[32];
	unsigned char seen[MX_MAX_SCN] = { 0 };
	FILE *in = fopen(path, "r");
	int lineno = 0, i;
	size_t k;

	if (!in) {
		fprintf(stderr, "dt-matrix: expectations %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), in)) {
		lineno++;
		chomp(line);
		if (!line[0] || line[0] == '#')
			continue;
		if (sscanf(line, "%127s %31s", id, st) != 2 || (i = scn_index(m, id)) < 0 ||
		    parse_expect(st, &col->cells[i]) || seen[i]) {
			fprintf(stderr, "dt-matrix: %s:%d: want 'SCENARIO STATUS' with a scenario of "
				"tests/matrix/scenarios listed once and STATUS PASS, FAIL, OOPS, EINVAL, "
				"n.a. or two of them as A|B: '%s'\n", path, lineno, line);
			fclose(in);
			return -1;
		}
		seen[i] = 1;
	}
	fclose(in);
	for (k = 0; k < m->nscn; k++)
		if (!seen[k]) {
			fprintf(stderr, "dt-matrix: %s: no expectation for scenario %s; add a line '%s STATUS'\n",
				path, m->scn[k].id, m->scn[k].id);
			return -1;
		}
	snprintf(col->expect_path, sizeof(col->expect_path), "%s", path);
	return 0;
}

void mx_cell_fail(struct mx_cell *c, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (c->nfails == MX_MAX_FAILS) {
		c->more_fails++;
		return;
	}
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (s)
		c->fails[c->nfails++] = s;
}

/* the whole of a small file, NUL-terminated; NULL if absent */
static char *slurp(const char *dir, const char *name)
{
	char path[4200];
	FILE *in;
	char *buf = NULL;
	size_t len = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	in = fopen(path, "r");
	if (!in)
		return NULL;
	FILE *mem = open_memstream(&buf, &len);
	char chunk[4096];
	size_t n;

	while (mem && (n = fread(chunk, 1, sizeof(chunk), in)) > 0)
		fwrite(chunk, 1, n, mem);
	fclose(in);
	if (!mem || fclose(mem))
		return NULL;
	return buf;
}

static int exists(const char *dir, const char *name)
{
	char path[4200];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return !stat(path, &st);
}

/* value of "key=..." in a key=value text, into dst */
static void kv(const char *text, const char *key, char *dst, size_t size)
{
	size_t n = strlen(key);
	const char *p = text;

	dst[0] = 0;
	while (p && *p) {
		if (!strncmp(p, key, n) && p[n] == '=') {
			const char *v = p + n + 1, *e = strchr(v, '\n');
			int len = e ? (int)(e - v) : (int)strlen(v);

			snprintf(dst, size, "%.*s", len, v);
			return;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
}

/* a console line without its "[   93.423579] " time stamp */
static const char *no_stamp(const char *s)
{
	const char *e;

	if (s[0] != '[' || !(e = strchr(s, ']')) || strspn(s + 1, " 0123456789.") != (size_t)(e - s - 1))
		return s;
	return e[1] == ' ' ? e + 2 : e + 1;
}

static char *first_line(char *s)
{
	char *e;

	if (!s)
		return NULL;
	chomp(s);
	e = strchr(s, '\n');
	if (e)
		*e = 0;
	return s;
}

/* the tracer's verdict and, unless PASS, its reasons */
static void load_trace(const char *dir, struct mx_cell *c)
{
	static const char *verdict[] = { "verdict", NULL }, *reasons[] = { "reasons", NULL };
	char err[256];
	char *text = slurp(dir, "trace.json");
	yajl_val doc, v, r;
	size_t i;

	if (!text) {
		copy(c->tracer, sizeof(c->tracer), "INCONCLUSIVE");
		mx_cell_fail(c, "tracer: no trace.json (the tracer did not run or write it)");
		return;
	}
	doc = yajl_tree_parse(text, err, sizeof(err));
	free(text);
	v = doc ? yajl_tree_get(doc, verdict, yajl_t_string) : NULL;
	if (!v) {
		/* a report cut short (the guest died, a write failed) */
		copy(c->tracer, sizeof(c->tracer), "INCONCLUSIVE");
		mx_cell_fail(c, "tracer: trace.json unreadable (%s)", doc ? "no verdict" : err);
		yajl_tree_free(doc);
		return;
	}
	copy(c->tracer, sizeof(c->tracer), YAJL_GET_STRING(v));
	r = yajl_tree_get(doc, reasons, yajl_t_array);
	if (strcmp(c->tracer, "PASS") && r)
		for (i = 0; i < YAJL_GET_ARRAY(r)->len; i++) {
			yajl_val s = YAJL_GET_ARRAY(r)->values[i];

			if (YAJL_IS_STRING(s))
				mx_cell_fail(c, "tracer %s: %s", c->tracer, YAJL_GET_STRING(s));
		}
	if (strcmp(c->tracer, "PASS") && (!r || !YAJL_GET_ARRAY(r)->len))
		mx_cell_fail(c, "tracer %s", c->tracer);
	yajl_tree_free(doc);
}

/* mounts[0].total.KEY of an audit --json file; -1 if unknown */
static long long audit_total(const char *dir, const char *name, const char *key)
{
	const char *mounts[] = { "mounts", NULL }, *path[] = { "total", key, NULL };
	char *text = slurp(dir, name);
	yajl_val doc = text ? yajl_tree_parse(text, NULL, 0) : NULL, a, v;
	long long r = -1;

	free(text);
	a = doc ? yajl_tree_get(doc, mounts, yajl_t_array) : NULL;
	if (a && YAJL_GET_ARRAY(a)->len) {
		v = yajl_tree_get(YAJL_GET_ARRAY(a)->values[0], path, yajl_t_number);
		if (v && YAJL_IS_INTEGER(v))
			r = YAJL_GET_INTEGER(v);
	}
	yajl_tree_free(doc);
	return r;
}

static void load_cache(const char *dir, const struct mx_scn *s, struct mx_cell *c)
{
	long long e0 = audit_total(dir, "audit0.json", "erofs_cached");
	long long e1 = audit_total(dir, "audit1.json", "erofs_cached");
	long long i0 = audit_total(dir, "audit0.json", "backing_total_cached");
	long long i1 = audit_total(dir, "audit1.json", "backing_total_cached");

	if (e0 < 0 || e1 < 0 || i0 < 0 || i1 < 0) {
		if (s->cache_check)
			mx_cell_fail(c, "page cache: the audit gave no numbers (see audit*.err)");
		return;
	}
	c->has_cache = 1;
	c->erofs_delta = e1 - e0;
	c->image_delta = i1 - i0;
	if (s->cache_check && c->erofs_delta > 0)
		mx_cell_fail(c, "page cache: EROFS +%lld B during direct reads (double caching)",
			     c->erofs_delta);
}

static void load_console(const char *dir, struct mx_cell *c)
{
	char *text = slurp(dir, "console.txt"), *line, *save = NULL;

	if (!text)
		return;
	chomp(text);
	if (!text[0]) {
		free(text);
		return;
	}
	c->console = strdup(text);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		mx_cell_fail(c, "console: %s", no_stamp(line));
	free(text);
}

/* the cell's terminal state, when the guest did not finish it */
static int load_stopped(const char *dir, struct mx_cell *c)
{
	static const struct { const char *file; enum mx_st st; const char *what; } stops[] = {
		{ "oops", MX_OOPS, "guest died in this cell" },
		{ "timeout", MX_ERROR, "timeout" },
		{ "error", MX_ERROR, "guest error" },
		{ "na.txt", MX_NA, "n.a." },
		{ "setup.txt", MX_ERROR, "setup" },
	};
	size_t i;
	char *t;

	for (i = 0; i < sizeof(stops) / sizeof(stops[0]); i++) {
		t = first_line(slurp(dir, stops[i].file));
		if (!t)
			continue;
		c->st = stops[i].st;
		if (c->st == MX_OOPS) {
			c->console = strdup(no_stamp(t));
			mx_cell_fail(c, "console: %s (%s)", no_stamp(t), stops[i].what);
		} else {
			mx_cell_fail(c, "%s: %s", stops[i].what, t);
		}
		free(t);
		return 1;
	}
	if (!exists(dir, "done")) {
		c->st = MX_ERROR;
		mx_cell_fail(c, "no result: the cell did not run");
		return 1;
	}
	return 0;
}

static void load_pins(const char *dir, struct mx_cell *c)
{
	char *t = slurp(dir, "pins");

	if (t && sscanf(t, "%lld %lld", &c->pin_acq, &c->pin_rel) == 2) {
		c->has_pins = 1;
		if (c->pin_acq != c->pin_rel)
			mx_cell_fail(c, "pins: %lld user pages pinned, %lld released",
				     c->pin_acq, c->pin_rel);
	}
	free(t);
}

/* judge one cell from the files the guest left in dir (cells/ID) */
int mx_load_cell(const struct mx_scn *s, const char *dir, struct mx_cell *c)
{
	char *data;

	copy(c->tracer, sizeof(c->tracer), "n.a.");
	if (load_stopped(dir, c))
		return 0;
	data = slurp(dir, "data.txt");
	if (data) {
		kv(data, "open", c->open, sizeof(c->open));
		kv(data, "data", c->data, sizeof(c->data));
		kv(data, "detail", c->data_detail, sizeof(c->data_detail));
	}
	free(data);
	if (!strcmp(c->open, "EINVAL")) {
		c->st = MX_EINVAL;
		return 0;
	}
	if (strcmp(c->open, "ok")) {
		c->st = MX_ERROR;
		mx_cell_fail(c, "open(O_DIRECT): %s", c->open[0] ? c->data_detail : "no result");
		return 0;
	}
	load_console(dir, c);
	if (!strcmp(c->data, "FAIL"))
		mx_cell_fail(c, "data: %s", c->data_detail);
	load_trace(dir, c);
	load_pins(dir, c);
	load_cache(dir, s, c);
	/* FAIL only on evidence; anything merely missing is INCONCLUSIVE */
	if (c->console)
		c->st = MX_OOPS;
	else if (!strcmp(c->data, "FAIL") || !strcmp(c->tracer, "FAIL") ||
		 (c->has_pins && c->pin_acq != c->pin_rel) ||
		 (s->cache_check && c->has_cache && c->erofs_delta > 0))
		c->st = MX_FAIL;
	else if (!strcmp(c->tracer, "INCONCLUSIVE") || (s->cache_check && !c->has_cache))
		c->st = MX_INCONCLUSIVE;
	else
		c->st = MX_PASS;
	if (c->st == MX_PASS && strcmp(s->kind, "open") && strcmp(c->data, "PASS") &&
	    strcmp(c->data, "REFUSED")) {
		c->st = MX_ERROR;
		mx_cell_fail(c, "data: the check gave no result");
	}
	return 0;
}

void mx_free(struct mx *m)
{
	size_t i, j, k;

	for (i = 0; i < m->ncol; i++)
		for (j = 0; j < m->nscn; j++) {
			struct mx_cell *c = &m->col[i].cells[j];

			free(c->console);
			for (k = 0; k < c->nfails; k++)
				free(c->fails[k]);
		}
}
