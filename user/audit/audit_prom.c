// SPDX-License-Identifier: GPL-2.0-only
/*
 * audit: the Prometheus text exposition format, as node_exporter's textfile
 * collector serves it.  All names share one prefix; every metric is a gauge
 * (a scan measures a state, it counts nothing up); a number the audit could
 * not measure is left out rather than written as 0, and the mount's
 * erofs_diotrace_trusted says why numbers are missing.  Per-file series are
 * written only for the --top N files with the most double-cached bytes, so
 * the label cardinality is bounded whatever the mount holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit.h"
#include "escape.h"

#define P "erofs_diotrace_"

/* label value: valid UTF-8, then \ " and newline escaped */
static void label(FILE *fp, const char *s)
{
	size_t n = 3 * strlen(s) + 1;
	char *u = malloc(n);
	const char *c;

	if (!u) {
		fputs("?", fp);
		return;
	}
	for (c = dt_esc_utf8(u, n, s, n); *c; c++) {
		if (*c == '\\' || *c == '"')
			fputc('\\', fp);
		if (*c == '\n')
			fputs("\\n", fp);
		else
			fputc(*c, fp);
	}
	free(u);
}

static void head(FILE *fp, const char *name, const char *help)
{
	fprintf(fp, "# HELP " P "%s %s\n# TYPE " P "%s gauge\n", name, help, name);
}

static void sample(FILE *fp, const char *name, const struct au_mount *m, uint64_t v)
{
	if (v == AU_UNKNOWN)
		return;
	fprintf(fp, P "%s{mount=\"", name);
	label(fp, m->mnt);
	fprintf(fp, "\"} %llu\n", (unsigned long long)v);
}

struct mount_metric {
	const char *name, *help;
	size_t off;	/* of a uint64_t in struct au_mount */
};

static const struct mount_metric per_mount[] = {
	{ "erofs_cached_bytes", "Bytes of the mount's files cached in their EROFS inodes.",
	  offsetof(struct au_mount, erofs_cached) },
	{ "image_cached_bytes", "Bytes of the backing image file in the page cache.",
	  offsetof(struct au_mount, backing_total) },
	{ "image_file_data_cached_bytes", "Image cache holding data of the audited files.",
	  offsetof(struct au_mount, backing_cached) },
	{ "double_cached_bytes", "EROFS-cached bytes whose data is cached in the image too.",
	  offsetof(struct au_mount, double_cached) },
	{ "unattributed_cached_bytes", "Image cache no audited file maps (metadata, compressed clusters).",
	  offsetof(struct au_mount, unattributed) },
	{ "image_direct_reads", "O_DIRECT reads of the image the latest scan made (0 on a warm mount).",
	  offsetof(struct au_mount, peek_dev) },
};

static const char *const layouts[] = { "plain", "inline", "chunked", "compressed", "unknown" };

static const char *layout_of(const struct au_file *f)
{
	switch (f->layout) {
	case AU_LAYOUT_PLAIN: return layouts[0];
	case AU_LAYOUT_INLINE: return layouts[1];
	case AU_LAYOUT_CHUNKED: return layouts[2];
	case AU_LAYOUT_COMPRESSED_FULL:
	case AU_LAYOUT_COMPRESSED_COMPACT: return layouts[3];
	default: return f->labels & AU_L_COMPRESSED ? layouts[3] : layouts[4];
	}
}

static void mount_info(FILE *fp, const struct au_mount *ms, size_t n)
{
	size_t i;

	head(fp, "mount_info", "A file-backed EROFS mount the audit measured (value 1).");
	for (i = 0; i < n; i++) {
		fputs(P "mount_info{mount=\"", fp);
		label(fp, ms[i].mnt);
		fputs("\",source=\"", fp);
		label(fp, ms[i].source);
		fprintf(fp, "\",kind=\"%s\"} 1\n", ms[i].kind == AU_KIND_FILE ? "file" : "bdev");
	}
	head(fp, "trusted", "1 when every number of the mount could be measured, else 0 (see the audit's stderr).");
	for (i = 0; i < n; i++)
		sample(fp, "trusted", &ms[i], !ms[i].untrusted);
	head(fp, "files", "Regular files the audit measured on the mount.");
	for (i = 0; i < n; i++)
		sample(fp, "files", &ms[i], ms[i].nfiles);
}

static void layout_counts(FILE *fp, const struct au_mount *ms, size_t n)
{
	size_t i, j, l, k;

	head(fp, "files_by_layout", "Files by on-disk data layout.");
	for (i = 0; i < n; i++) {
		for (l = 0; l < sizeof(layouts) / sizeof(layouts[0]); l++) {
			for (j = 0, k = 0; j < ms[i].nfiles; j++)
				k += layout_of(&ms[i].files[j]) == layouts[l];
			fprintf(fp, P "files_by_layout{mount=\"");
			label(fp, ms[i].mnt);
			fprintf(fp, "\",layout=\"%s\"} %zu\n", layouts[l], k);
		}
	}
}

static int by_double(const void *a, const void *b)
{
	const struct au_file *x = *(const struct au_file *const *)a;
	const struct au_file *y = *(const struct au_file *const *)b;
	uint64_t dx = x->double_cached == AU_UNKNOWN ? 0 : x->double_cached;
	uint64_t dy = y->double_cached == AU_UNKNOWN ? 0 : y->double_cached;

	return dx != dy ? (dx > dy ? -1 : 1) : strcmp(x->path, y->path);
}

/* the top files of one mount: those with double-cached bytes, most first */
static size_t top_files(const struct au_mount *m, long top, const struct au_file ***out)
{
	const struct au_file **v;
	size_t i, k = 0;

	*out = NULL;
	if (top <= 0 || !m->nfiles)
		return 0;
	v = malloc(m->nfiles * sizeof(*v));
	if (!v)
		return 0;
	for (i = 0; i < m->nfiles; i++)
		if (m->files[i].double_cached && m->files[i].double_cached != AU_UNKNOWN)
			v[k++] = &m->files[i];
	qsort(v, k, sizeof(*v), by_double);
	*out = v;
	return k < (size_t)top ? k : (size_t)top;
}

static void file_series(FILE *fp, const char *name, const struct au_mount *m, long top,
			bool dbl)
{
	const struct au_file **v;
	size_t i, k = top_files(m, top, &v);

	for (i = 0; i < k; i++) {
		uint64_t val = dbl ? v[i]->double_cached : v[i]->erofs_cached;

		if (val == AU_UNKNOWN)
			continue;
		fprintf(fp, P "%s{mount=\"", name);
		label(fp, m->mnt);
		fputs("\",path=\"", fp);
		label(fp, v[i]->path);
		fprintf(fp, "\"} %llu\n", (unsigned long long)val);
	}
	free(v);
}

static void per_file(FILE *fp, const struct au_mount *ms, size_t n, long top)
{
	size_t i;

	head(fp, "file_double_cached_bytes", "Double-cached bytes of the --top N files with the most.");
	for (i = 0; i < n; i++)
		file_series(fp, "file_double_cached_bytes", &ms[i], top, true);
	head(fp, "file_erofs_cached_bytes", "EROFS-cached bytes of the same --top N files.");
	for (i = 0; i < n; i++)
		file_series(fp, "file_erofs_cached_bytes", &ms[i], top, false);
}

void au_print_prom(struct au_mount *ms, size_t n, const struct au_opts *o, FILE *fp)
{
	size_t i, k;

	mount_info(fp, ms, n);
	for (k = 0; k < sizeof(per_mount) / sizeof(per_mount[0]); k++) {
		head(fp, per_mount[k].name, per_mount[k].help);
		for (i = 0; i < n; i++)
			sample(fp, per_mount[k].name, &ms[i],
			       *(const uint64_t *)((const char *)&ms[i] + per_mount[k].off));
	}
	head(fp, "scan_duration_seconds", "Wall time of the latest scan of the mount.");
	for (i = 0; i < n; i++) {
		fputs(P "scan_duration_seconds{mount=\"", fp);
		label(fp, ms[i].mnt);
		fprintf(fp, "\"} %.6f\n", ms[i].scan_seconds);
	}
	layout_counts(fp, ms, n);
	if (o->top > 0)
		per_file(fp, ms, n, o->top);
	/* OpenMetrics' end marker, a comment to the Prometheus text parser:
	 * a reader can tell the file is whole */
	fputs("# EOF\n", fp);
}
