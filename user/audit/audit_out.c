// SPDX-License-Identifier: GPL-2.0-only
/* audit: the table (fincore's manner), JSON and --watch timeline output. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>
#include "audit.h"
#include "escape.h"
#include "num.h"

/* "0B", "4K", "1.5M", "12.3G" like fincore, plain bytes with -b, "-" if unknown */
char *au_human(uint64_t bytes, bool raw, char *buf, size_t len)
{
	if (bytes == AU_UNKNOWN) {
		snprintf(buf, len, "-");
		return buf;
	}
	return dt_size_str(bytes, raw, buf, len);
}

/* file names and mount points reach the terminal with control bytes escaped */
static const char *txt(const char *s, char *buf, size_t len)
{
	return dt_esc_text(buf, len, s, len);
}

static const char *layout_name(const struct au_file *f)
{
	static const char *names[] = {
		[AU_LAYOUT_PLAIN] = "plain",
		[AU_LAYOUT_COMPRESSED_FULL] = "compressed",
		[AU_LAYOUT_INLINE] = "inline",
		[AU_LAYOUT_COMPRESSED_COMPACT] = "compressed",
		[AU_LAYOUT_CHUNKED] = "chunked",
	};

	if (f->layout <= AU_LAYOUT_CHUNKED)
		return names[f->layout];
	return f->labels & AU_L_COMPRESSED ? "compressed" : "unknown";
}

static const char *label_names[] = { "tail", "hole", "shared", "compressed", "nomap", "noresidency" };

static char *layout_str(const struct au_file *f, char *buf, size_t len)
{
	size_t i;

	snprintf(buf, len, "%s", layout_name(f));
	for (i = 0; i < sizeof(label_names) / sizeof(label_names[0]); i++) {
		if (!(f->labels & (1u << i)) || strstr(buf, label_names[i]) ||
		    (i == 0 && f->layout == AU_LAYOUT_INLINE))
			continue;
		strncat(buf, "+", len - strlen(buf) - 1);
		strncat(buf, label_names[i], len - strlen(buf) - 1);
	}
	return buf;
}

static uint64_t key(const struct au_file *f, enum au_sort k)
{
	uint64_t v = k == AU_S_EROFS ? f->erofs_cached : k == AU_S_BACKING ? f->backing_cached :
		     k == AU_S_DOUBLE ? f->double_cached : f->size;

	return v == AU_UNKNOWN ? 0 : v;
}

static enum au_sort sort_key;

static int cmp_files(const void *a, const void *b)
{
	const struct au_file *x = a, *y = b;
	uint64_t kx, ky;

	if (sort_key != AU_S_NAME) {
		kx = key(x, sort_key);
		ky = key(y, sort_key);
		if (kx != ky)
			return kx > ky ? -1 : 1;
	}
	return strcmp(x->path, y->path);
}

void au_sort_files(struct au_mount *m, enum au_sort k)
{
	sort_key = k;
	if (m->nfiles > 1)
		qsort(m->files, m->nfiles, sizeof(*m->files), cmp_files);
}

static size_t shown(const struct au_mount *m, const struct au_opts *o)
{
	return o->top >= 0 && (size_t)o->top < m->nfiles ? (size_t)o->top : m->nfiles;
}

static void row(const struct au_opts *o, uint64_t e, uint64_t b, uint64_t d, uint64_t s,
		const char *layout, const char *name)
{
	char h[4][32], esc[4 * PATH_MAX + 1];

	fprintf(o->out, "%8s %8s %8s %8s %-16s %s\n", au_human(e, o->bytes, h[0], 32),
	       au_human(b, o->bytes, h[1], 32), au_human(d, o->bytes, h[2], 32),
	       au_human(s, o->bytes, h[3], 32), layout, txt(name, esc, sizeof(esc)));
}

void au_print_table(struct au_mount *m, const struct au_opts *o)
{
	char lay[64], name[64], esc[2][4 * PATH_MAX + 1];
	uint64_t size = 0;
	size_t i;

	for (i = 0; i < m->nfiles; i++)
		size += m->files[i].size;
	if (!o->noheadings) {
		fprintf(o->out, "MOUNT %s  BACKING %s (%s, residency by %s)\n",
			txt(m->mnt, esc[0], sizeof(esc[0])), txt(m->source, esc[1], sizeof(esc[1])),
		       m->kind == AU_KIND_FILE ? "file-backed" : "block device",
		       m->method ? m->method : "-");
		fprintf(o->out, "%8s %8s %8s %8s %-16s %s\n", "EROFS", "BACKING", "DOUBLE", "SIZE", "LAYOUT", "FILE");
	}
	for (i = 0; i < shown(m, o); i++) {
		struct au_file *f = &m->files[i];

		row(o, f->erofs_cached, f->backing_cached, f->double_cached, f->size,
		    layout_str(f, lay, sizeof(lay)), f->path);
	}
	snprintf(name, sizeof(name), "TOTAL (%zu files)", m->nfiles);
	row(o, m->erofs_cached, m->backing_cached, m->double_cached, size, "", name);
	row(o, AU_UNKNOWN, m->unattributed, AU_UNKNOWN, AU_UNKNOWN, "",
	    m->whole ? "UNATTRIBUTED (metadata, compressed clusters)" : "UNATTRIBUTED (metadata and files not audited)");
}

static json_object *num(uint64_t v)
{
	return v == AU_UNKNOWN ? NULL : json_object_new_int64((int64_t)v);
}

/* JSON strings are valid UTF-8 whatever bytes a file name holds */
static json_object *str(const char *s)
{
	size_t n;
	char *u;
	json_object *j;

	if (!s)
		return NULL;
	n = 3 * strlen(s) + 1;
	u = malloc(n);
	if (!u)
		return NULL;
	j = json_object_new_string(dt_esc_utf8(u, n, s, n));
	free(u);
	return j;
}

static json_object *file_json(const struct au_file *f)
{
	json_object *o = json_object_new_object(), *l = json_object_new_array();
	size_t i;

	for (i = 0; i < sizeof(label_names) / sizeof(label_names[0]); i++)
		if (f->labels & (1u << i))
			json_object_array_add(l, json_object_new_string(label_names[i]));
	json_object_object_add(o, "path", str(f->path));
	json_object_object_add(o, "size", num(f->size));
	json_object_object_add(o, "layout", str(layout_name(f)));
	json_object_object_add(o, "labels", l);
	json_object_object_add(o, "extents", json_object_new_int64((int64_t)f->next));
	json_object_object_add(o, "erofs_cached", num(f->erofs_cached));
	json_object_object_add(o, "backing_cached", num(f->backing_cached));
	json_object_object_add(o, "double_cached", num(f->double_cached));
	json_object_object_add(o, "note", str(f->note));
	return o;
}

static json_object *totals_json(const struct au_mount *m)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "files", json_object_new_int64((int64_t)m->nfiles));
	json_object_object_add(o, "erofs_cached", num(m->erofs_cached));
	json_object_object_add(o, "backing_cached", num(m->backing_cached));
	json_object_object_add(o, "double_cached", num(m->double_cached));
	json_object_object_add(o, "backing_total_cached", num(m->backing_total));
	json_object_object_add(o, "unattributed_cached", num(m->unattributed));
	return o;
}

static json_object *mount_json(const struct au_mount *m, const struct au_opts *o, bool files)
{
	json_object *j = json_object_new_object(), *a;
	size_t i;

	json_object_object_add(j, "mount", str(m->mnt));
	json_object_object_add(j, "source", str(m->source));
	json_object_object_add(j, "kind", str(m->kind == AU_KIND_FILE ? "file" : "bdev"));
	json_object_object_add(j, "sysfs", str(m->sysfs));
	json_object_object_add(j, "whole_mount", json_object_new_boolean(m->whole));
	json_object_object_add(j, "method", str(m->method));
	json_object_object_add(j, "trusted", json_object_new_boolean(!m->untrusted));
	json_object_object_add(j, "untrusted_reason", str(m->untrusted));
	json_object_object_add(j, "image_direct_reads", json_object_new_int64((int64_t)m->peek_dev));
	json_object_object_add(j, "total", totals_json(m));
	if (!files)
		return j;
	a = json_object_new_array();
	for (i = 0; i < shown(m, o); i++)
		json_object_array_add(a, file_json(&m->files[i]));
	json_object_object_add(j, "files", a);
	return j;
}

static json_object *report_json(struct au_mount *ms, size_t n, const struct au_opts *o, bool files)
{
	json_object *j = json_object_new_object(), *a = json_object_new_array();
	uint64_t dbl = 0;
	bool trusted = true;
	size_t i;

	for (i = 0; i < n; i++) {
		trusted = trusted && !ms[i].untrusted;
		if (dbl != AU_UNKNOWN)
			dbl = ms[i].double_cached == AU_UNKNOWN ? AU_UNKNOWN : dbl + ms[i].double_cached;
	}
	json_object_object_add(j, "version", json_object_new_int(1));
	json_object_object_add(j, "page_size", json_object_new_int64(au_page));
	json_object_object_add(j, "time", json_object_new_int64((int64_t)time(NULL)));
	for (i = 0; i < n; i++)
		json_object_array_add(a, mount_json(&ms[i], o, files));
	json_object_object_add(j, "mounts", a);
	json_object_object_add(j, "trusted", json_object_new_boolean(trusted));
	json_object_object_add(j, "double_cached", num(dbl));
	return j;
}

void au_print_json(struct au_mount *ms, size_t n, const struct au_opts *o)
{
	json_object *j = report_json(ms, n, o, true);

	fprintf(o->out, "%s\n", json_object_to_json_string_ext(j, JSON_C_TO_STRING_PRETTY |
							       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(j);
}

/* one line a sample: text rows, or one JSON object (no per-file detail) */
void au_print_watch(struct au_mount *ms, size_t n, const struct au_opts *o, double t, bool first)
{
	char h[4][32], esc[4 * PATH_MAX + 1];
	json_object *j;
	size_t i;

	if (o->json) {
		j = report_json(ms, n, o, false);
		json_object_object_add(j, "elapsed", json_object_new_double(t));
		fprintf(o->out, "%s\n", json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN |
								       JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(j);
		return;
	}
	if (first && !o->noheadings)
		fprintf(o->out, "%8s %8s %8s %8s %8s %s\n", "ELAPSED", "EROFS", "BACKING", "DOUBLE", "UNATTRIB", "MOUNT");
	for (i = 0; i < n; i++)
		fprintf(o->out, "%8.1f %8s %8s %8s %8s %s%s\n", t, au_human(ms[i].erofs_cached, o->bytes, h[0], 32),
		       au_human(ms[i].backing_cached, o->bytes, h[1], 32),
		       au_human(ms[i].double_cached, o->bytes, h[2], 32),
		       au_human(ms[i].unattributed, o->bytes, h[3], 32), txt(ms[i].mnt, esc, sizeof(esc)),
		       ms[i].untrusted ? " (untrusted)" : "");
}
