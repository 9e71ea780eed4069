// SPDX-License-Identifier: GPL-2.0-only
/*
 * audit-jsoncheck: parse `erofs-diotrace audit --json` output with json-c,
 * check it against the schema and its own arithmetic, and print the numbers
 * as lines the test suite compares:
 *
 *   M <mount> <kind> <trusted> <sysfs|->
 *   F <mount> <path> <layout> <labels|-> <erofs> <backing|-> <double|->
 *   T <mount> <erofs> <backing|-> <double|-> <backing_total|-> <unattributed|->
 *   R <trusted> <double|->		(whole report)
 *
 * With --lines, every input line is one report (--watch --json); files are
 * then absent.  Exit 1 with a message on the first violation.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

static int page_size;
static bool cur_trusted;	/* unknown (null) numbers only in untrusted mounts */
static const char *where = "report";

static void die(const char *what)
{
	fprintf(stderr, "audit-jsoncheck: %s: %s\n", where, what);
	exit(1);
}

static json_object *get(json_object *o, const char *key, json_type t, bool nullable)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		die(key);
	if (!v && nullable)
		return NULL;
	if (!v || !json_object_is_type(v, t)) {
		fprintf(stderr, "audit-jsoncheck: %s: key '%s' has the wrong type\n", where, key);
		exit(1);
	}
	return v;
}

/* a byte count: non-negative integer, or null when allowed */
static int64_t bytes(json_object *o, const char *key, bool nullable)
{
	json_object *v = get(o, key, json_type_int, nullable);
	int64_t n;

	if (!v)
		return -1;
	n = json_object_get_int64(v);
	if (n < 0)
		die("negative byte count");
	return n;
}

static void pr(int64_t v)
{
	if (v < 0)
		printf(" -");
	else
		printf(" %" PRId64, v);
}

static bool page_multiple(int64_t v)
{
	return v < 0 || v % page_size == 0;
}

static void labels(json_object *f)
{
	json_object *a = get(f, "labels", json_type_array, false);
	size_t i, n = json_object_array_length(a);

	if (!n)
		printf(" -");
	for (i = 0; i < n; i++) {
		json_object *l = json_object_array_get_idx(a, i);

		if (!json_object_is_type(l, json_type_string))
			die("label is not a string");
		printf("%s%s", i ? "," : " ", json_object_get_string(l));
	}
}

static int64_t file(json_object *f, const char *mnt)
{
	static const char *layouts[] = { "plain", "inline", "chunked", "compressed", "unknown" };
	const char *lay = json_object_get_string(get(f, "layout", json_type_string, false));
	int64_t e, b, d, size;
	size_t i;

	where = json_object_get_string(get(f, "path", json_type_string, false));
	for (i = 0; i < 5 && strcmp(lay, layouts[i]); i++)
		;
	if (i == 5)
		die("unknown layout");
	size = bytes(f, "size", false);
	e = bytes(f, "erofs_cached", true);
	b = bytes(f, "backing_cached", true);
	d = bytes(f, "double_cached", true);
	if (cur_trusted && (e < 0 || d < 0))
		die("trusted mount with an unknown erofs_cached or double_cached");
	get(f, "extents", json_type_int, false);
	if (!page_multiple(e) || !page_multiple(b) || !page_multiple(d))
		die("a byte count is not a whole number of pages");
	if ((e >= 0 && d > e) || e > (size + page_size - 1) / page_size * page_size)
		die("double > erofs, or erofs > page-rounded size");
	if (!strcmp(lay, "compressed") && d != 0)
		die("compressed file counted as double-cached");
	printf("F %s %s %s", mnt, where, lay);
	labels(f);
	pr(e), pr(b), pr(d);
	printf("\n");
	return e < 0 ? 0 : e;
}

static void totals(json_object *m, const char *mnt, int64_t files_erofs, bool all_files)
{
	json_object *t = get(m, "total", json_type_object, false);
	int64_t e = bytes(t, "erofs_cached", true), b = bytes(t, "backing_cached", true);
	int64_t d = bytes(t, "double_cached", true), bt = bytes(t, "backing_total_cached", true);
	int64_t u = bytes(t, "unattributed_cached", true);

	where = mnt;
	if (cur_trusted && (e < 0 || d < 0))
		die("trusted mount with unknown totals");
	if (all_files && e >= 0 && files_erofs != e)
		die("total erofs_cached is not the sum of the files");
	if (bt >= 0 && (b < 0 || u < 0 || b + u != bt))
		die("backing_cached + unattributed_cached != backing_total_cached");
	if (e >= 0 && d > e)
		die("total double > total erofs");
	printf("T %s", mnt);
	pr(e), pr(b), pr(d), pr(bt), pr(u);
	printf("\n");
}

static void mount(json_object *m, bool with_files)
{
	const char *mnt = json_object_get_string(get(m, "mount", json_type_string, false));
	const char *kind = json_object_get_string(get(m, "kind", json_type_string, false));
	bool trusted = json_object_get_boolean(get(m, "trusted", json_type_boolean, false));
	json_object *sysfs = get(m, "sysfs", json_type_string, true), *fa;
	json_object *reason = get(m, "untrusted_reason", json_type_string, true);
	int64_t sum = 0;
	size_t i, n = 0;

	where = mnt;
	get(m, "source", json_type_string, false);
	if (strcmp(kind, "file") && strcmp(kind, "bdev"))
		die("kind is neither file nor bdev");
	if (trusted == !!reason)
		die("trusted and untrusted_reason disagree");
	cur_trusted = trusted;
	printf("M %s %s %d %s\n", mnt, kind, trusted, sysfs ? json_object_get_string(sysfs) : "-");
	if (with_files) {
		fa = get(m, "files", json_type_array, false);
		n = json_object_array_length(fa);
		for (i = 0; i < n; i++)
			sum += file(json_object_array_get_idx(fa, i), mnt);
	}
	totals(m, mnt, sum, with_files &&
	       (int64_t)n == json_object_get_int64(get(get(m, "total", json_type_object, false),
						       "files", json_type_int, false)));
}

static void report(json_object *r, bool with_files)
{
	json_object *ms;
	size_t i;

	if (!json_object_is_type(r, json_type_object))
		die("not a JSON object");
	if (json_object_get_int(get(r, "version", json_type_int, false)) != 1)
		die("version is not 1");
	page_size = json_object_get_int(get(r, "page_size", json_type_int, false));
	if (page_size < 512 || (page_size & (page_size - 1)))
		die("page_size is not a power of two");
	get(r, "time", json_type_int, false);
	ms = get(r, "mounts", json_type_array, false);
	for (i = 0; i < json_object_array_length(ms); i++)
		mount(json_object_array_get_idx(ms, i), with_files);
	printf("R %d", json_object_get_boolean(get(r, "trusted", json_type_boolean, false)));
	pr(bytes(r, "double_cached", true));
	printf("\n");
	if (!with_files)
		get(r, "elapsed", json_type_double, false);
}

static json_object *parse(const char *buf, size_t len)
{
	struct json_tokener *tok = json_tokener_new();
	json_object *o;

	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, buf, (int)len);
	if (!o || json_tokener_get_error(tok) != json_tokener_success)
		die(json_tokener_error_desc(json_tokener_get_error(tok)));
	while (tok->char_offset < (int)len && strchr(" \t\r\n", buf[tok->char_offset]))
		tok->char_offset++;
	if (tok->char_offset != (int)len)
		die("trailing data after the JSON value");
	json_tokener_free(tok);
	return o;
}

static char *slurp(size_t *len)
{
	size_t cap = 1 << 16;
	char *buf = malloc(cap), *nb;
	size_t n;

	*len = 0;
	while (buf && (n = fread(buf + *len, 1, cap - *len, stdin)) > 0) {
		*len += n;
		if (*len == cap) {
			nb = realloc(buf, cap *= 2);
			if (!nb)
				free(buf);
			buf = nb;
		}
	}
	if (!buf)
		die("out of memory");
	return buf;
}

int main(int argc, char **argv)
{
	bool lines = argc > 1 && !strcmp(argv[1], "--lines");
	json_object *o;
	char *buf = NULL;
	size_t cap = 0, len;
	ssize_t n;
	int count = 0;

	if (!lines) {
		buf = slurp(&len);
		o = parse(buf, len);
		report(o, true);
		json_object_put(o);
		free(buf);
		return 0;
	}
	while ((n = getline(&buf, &cap, stdin)) > 0) {
		o = parse(buf, n);
		report(o, false);
		json_object_put(o);
		count++;
	}
	free(buf);
	printf("N %d\n", count);
	if (!count)
		die("no JSON lines");
	return 0;
}
