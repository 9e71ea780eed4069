// SPDX-License-Identifier: GPL-2.0-only
/*
 * --plot FILE.svg: byte counts over time, drawn by gnuplot's svg terminal
 * (no mouse script: the file stands alone) when the watch or trace ends.
 * audit --watch draws the EROFS cache, image cache and double-cached bytes
 * of every mount; run (user/trace/run_plot.c) adds the bytes read.
 * Samples go to a temporary data file as they come, so memory stays flat
 * however long it runs; the SVG replaces FILE at once (au_atomic).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdarg.h>
#include "audit.h"
#include "audit_plot.h"
#include "escape.h"

static const char *plot_cmd = "audit";

void au_plot_cmd(const char *cmd)
{
	plot_cmd = cmd;
}

static void perr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void perr(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "erofs-diotrace %s: ", plot_cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static bool have_gnuplot(void)
{
	char *path = getenv("PATH"), *dup, *dir, *save = NULL, *f;
	bool ok = false;

	dup = strdup(path ? path : "/usr/bin:/bin");
	for (dir = strtok_r(dup, ":", &save); dir && !ok; dir = strtok_r(NULL, ":", &save)) {
		if (asprintf(&f, "%s/gnuplot", dir) < 0)
			break;
		ok = !access(f, X_OK);
		free(f);
	}
	free(dup);
	return ok;
}

int au_plot_open(struct au_plot *p, const char *path)
{
	const char *td = getenv("TMPDIR");
	struct au_atomic probe;
	int fd, err;

	memset(p, 0, sizeof(*p));
	p->path = path;
	if (!have_gnuplot()) {
		perr("--plot needs gnuplot, which is not in PATH; install it (Debian: apt-get install gnuplot-nox)");
		return -1;
	}
	err = au_atomic_open(&probe, path);	/* fail now, not after an hour */
	if (err) {
		perr("--plot %s: cannot create a file in its directory: %s", path, strerror(-err));
		return -1;
	}
	au_atomic_abort(&probe);
	if (asprintf(&p->data, "%s/erofs-diotrace-plot.XXXXXX", td && *td ? td : "/tmp") < 0)
		return p->data = NULL, -1;
	fd = mkstemp(p->data);
	if (fd < 0 || !(p->fp = fdopen(fd, "w+"))) {
		perr("--plot: cannot create a temporary data file %s: %s", p->data, strerror(errno));
		free(p->data);
		p->data = NULL;
		return -1;
	}
	return 0;
}

static void val(FILE *fp, uint64_t v, uint64_t *max)
{
	if (v == AU_UNKNOWN) {
		fputs(" NaN", fp);
		return;
	}
	fprintf(fp, " %llu", (unsigned long long)v);
	if (v > *max)
		*max = v;
}

/* one sample: elapsed, then n values (AU_UNKNOWN: not measured); 0 or -1 */
int au_plot_row(struct au_plot *p, double t, const uint64_t *v, size_t n)
{
	size_t i;

	fprintf(p->fp, "%.3f", t);
	for (i = 0; i < n; i++)
		val(p->fp, v[i], &p->vmax);
	fputc('\n', p->fp);
	p->tmax = t;
	p->samples++;
	if (fflush(p->fp) || ferror(p->fp)) {
		perr("--plot: writing samples to %s failed: %s", p->data, strerror(errno));
		return -1;
	}
	return 0;
}

/* audit: EROFS, image, double of each mount */
int au_plot_add(struct au_plot *p, const struct au_mount *ms, size_t n, double t)
{
	uint64_t *v;
	size_t i;
	int ret;

	if (!p->nmounts)
		p->nmounts = n;
	v = calloc(3 * p->nmounts + 1, sizeof(*v));
	if (!v) {
		perr("--plot: out of memory");
		return -1;
	}
	for (i = 0; i < p->nmounts; i++) {
		v[3 * i] = ms[i].erofs_cached;
		v[3 * i + 1] = ms[i].backing_total;
		v[3 * i + 2] = ms[i].double_cached;
	}
	ret = au_plot_row(p, t, v, 3 * p->nmounts);
	free(v);
	return ret;
}

/* a gnuplot single-quoted string: '' stands for ' */
static void gq(FILE *fp, const char *s)
{
	fputc('\'', fp);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', fp);
		fputc(*s, fp);
	}
	fputc('\'', fp);
}

static const char *unit(uint64_t max, double *div)
{
	static const char *const names[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
	int k = 0;

	*div = 1;
	while (k < 4 && max >= *div * 1024 * 2) {
		*div *= 1024;
		k++;
	}
	return names[k];
}

static void script(FILE *g, const struct au_plot *p, const char *const title[2],
		   const struct au_series *s, size_t n, const char *out)
{
	double ydiv, xdiv = p->tmax > 600 ? 60 : 1;
	const char *yu = unit(p->vmax, &ydiv);
	size_t i;

	fputs("set terminal svg size 960,540 dynamic noenhanced font 'sans,12' background rgb 'white'\n", g);
	fputs("set output ", g);
	gq(g, out);
	fputs("\nset title ", g);
	gq(g, title[0]);
	fprintf(g, "\nset xlabel 'elapsed (%s)'\nset ylabel '%s (%s)'\n"
		"set yrange [0:*]\nset xrange [0:*]\nset grid\nset key below\n"
		"set format y '%%g'\nplot ", xdiv > 1 ? "min" : "s", title[1], yu);
	for (i = 0; i < n; i++) {
		fprintf(g, "%s", i ? ", \\\n     " : "");
		gq(g, p->data);
		fprintf(g, " using ($1/%g):(column(%zu)/%g) with linespoints lw %d pt 7 ps 0.4 dt %d lc rgb '%s' title ",
			xdiv, 2 + i, ydiv, s[i].width, s[i].dash, s[i].color);
		gq(g, s[i].title);
	}
	fputc('\n', g);
}

/* run gnuplot on the samples; 0, or -1 with the reason said */
int au_plot_draw(struct au_plot *p, const char *const title[2], const struct au_series *s,
		 size_t n)
{
	struct au_atomic a;
	FILE *g;
	int err, st;

	if (!p->samples) {
		perr("--plot %s: no sample was taken; nothing drawn", p->path);
		return -1;
	}
	err = au_atomic_open(&a, p->path);
	if (err) {
		perr("--plot %s: %s", p->path, strerror(-err));
		return -1;
	}
	g = popen("gnuplot", "w");
	if (!g) {
		perr("--plot: cannot run gnuplot: %s", strerror(errno));
		au_atomic_abort(&a);
		return -1;
	}
	script(g, p, title, s, n, a.tmp);
	st = pclose(g);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		perr("--plot: gnuplot failed (status %d); %s is left as it was", st, p->path);
		au_atomic_abort(&a);
		return -1;
	}
	/* gnuplot wrote a.tmp by name: reopen-free commit is a sync + rename */
	err = au_atomic_commit(&a);
	if (err) {
		perr("--plot %s: %s", p->path, strerror(-err));
		return -1;
	}
	return 0;
}

/* audit: three series a mount, colour by kind, dash by mount */
int au_plot_render(struct au_plot *p, const struct au_mount *ms)
{
	static const char *const kind[] = { "EROFS cache", "image cache", "double-cached" };
	static const char *const color[] = { "#1f77b4", "#ff7f0e", "#d62728" };
	static const int width[] = { 5, 2, 2 };	/* EROFS shows under double */
	static const char *const title[2] = {
		"erofs-diotrace audit: page cache of file-backed EROFS mounts", "cached"
	};
	struct au_series *s = calloc(3 * p->nmounts + 1, sizeof(*s));
	char esc[4 * 4096 + 1];
	size_t i, k;
	int ret = -1;

	if (!s) {
		perr("--plot: out of memory");
		return -1;
	}
	for (i = 0; i < p->nmounts; i++) {
		dt_esc_text(esc, sizeof(esc), ms[i].mnt, sizeof(esc));
		for (k = 0; k < 3; k++) {
			struct au_series *e = &s[3 * i + k];

			if (asprintf(&e->title, "%s %s", kind[k], esc) < 0) {
				e->title = NULL;
				perr("--plot: out of memory");
				goto out;
			}
			e->color = color[k];
			e->width = width[k];
			e->dash = 1 + i % 5;
		}
	}
	ret = au_plot_draw(p, title, s, 3 * p->nmounts);
out:
	for (i = 0; i < 3 * p->nmounts; i++)
		free(s[i].title);
	free(s);
	return ret;
}

void au_plot_close(struct au_plot *p)
{
	if (p->fp)
		fclose(p->fp);
	if (p->data)
		unlink(p->data);
	free(p->data);
	memset(p, 0, sizeof(*p));
}
