// SPDX-License-Identifier: GPL-2.0-only
/*
 * audit --watch S --plot FILE.svg: the EROFS cache, image cache and
 * double-cached bytes of every mount over time, drawn by gnuplot's svg
 * terminal (no mouse script: the file stands alone) when the watch ends.
 * Samples go to a temporary data file as they come, so memory stays flat
 * however long the watch runs; the SVG replaces FILE at once (au_atomic).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "audit.h"
#include "escape.h"

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
		au_err("--plot needs gnuplot, which is not in PATH; install it (Debian: apt-get install gnuplot-nox)");
		return -1;
	}
	err = au_atomic_open(&probe, path);	/* fail now, not after an hour */
	if (err) {
		au_err("--plot %s: cannot create a file in its directory: %s", path, strerror(-err));
		return -1;
	}
	au_atomic_abort(&probe);
	if (asprintf(&p->data, "%s/erofs-diotrace-plot.XXXXXX", td && *td ? td : "/tmp") < 0)
		return p->data = NULL, -1;
	fd = mkstemp(p->data);
	if (fd < 0 || !(p->fp = fdopen(fd, "w+"))) {
		au_err("--plot: cannot create a temporary data file %s: %s", p->data, strerror(errno));
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

/* one sample: elapsed, then EROFS, image, double of each mount; 0 or -1 */
int au_plot_add(struct au_plot *p, const struct au_mount *ms, size_t n, double t)
{
	size_t i;

	if (!p->nmounts)
		p->nmounts = n;
	fprintf(p->fp, "%.3f", t);
	for (i = 0; i < n; i++) {
		val(p->fp, ms[i].erofs_cached, &p->vmax);
		val(p->fp, ms[i].backing_total, &p->vmax);
		val(p->fp, ms[i].double_cached, &p->vmax);
	}
	fputc('\n', p->fp);
	p->tmax = t;
	p->samples++;
	if (fflush(p->fp) || ferror(p->fp)) {
		au_err("--plot: writing samples to %s failed: %s", p->data, strerror(errno));
		return -1;
	}
	return 0;
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

static void script(FILE *g, const struct au_plot *p, const struct au_mount *ms, const char *out)
{
	static const char *const kind[] = { "EROFS cache", "image cache", "double-cached" };
	static const char *const color[] = { "#1f77b4", "#ff7f0e", "#d62728" };
	static const int width[] = { 5, 2, 2 };	/* EROFS shows under double */
	char title[4 * 4096 + 64], esc[4 * 4096 + 1];
	double ydiv, xdiv = p->tmax > 600 ? 60 : 1;
	const char *yu = unit(p->vmax, &ydiv);
	size_t i, k;

	fputs("set terminal svg size 960,540 dynamic noenhanced font 'sans,12' background rgb 'white'\n", g);
	fputs("set output ", g);
	gq(g, out);
	fprintf(g, "\nset title 'erofs-diotrace audit: page cache of file-backed EROFS mounts'\n"
		"set xlabel 'elapsed (%s)'\nset ylabel 'cached (%s)'\n"
		"set yrange [0:*]\nset xrange [0:*]\nset grid\nset key below\n"
		"set format y '%%g'\nplot ", xdiv > 1 ? "min" : "s", yu);
	for (i = 0; i < p->nmounts; i++) {
		dt_esc_text(esc, sizeof(esc), ms[i].mnt, sizeof(esc));
		for (k = 0; k < 3; k++) {
			snprintf(title, sizeof(title), "%s %s", kind[k], esc);
			fprintf(g, "%s", i + k ? ", \\\n     " : "");
			gq(g, p->data);
			fprintf(g, " using ($1/%g):(column(%zu)/%g) with linespoints lw %d pt 7 ps 0.4 dt %zu lc rgb '%s' title ",
				xdiv, 2 + 3 * i + k, ydiv, width[k], 1 + i % 5, color[k]);
			gq(g, title);
		}
	}
	fputc('\n', g);
}

/* run gnuplot on the samples; 0, or -1 with the reason said */
int au_plot_render(struct au_plot *p, const struct au_mount *ms)
{
	struct au_atomic a;
	FILE *g;
	int err, st;

	if (!p->samples) {
		au_err("--plot %s: no sample was taken; nothing drawn", p->path);
		return -1;
	}
	err = au_atomic_open(&a, p->path);
	if (err) {
		au_err("--plot %s: %s", p->path, strerror(-err));
		return -1;
	}
	g = popen("gnuplot", "w");
	if (!g) {
		au_err("--plot: cannot run gnuplot: %s", strerror(errno));
		au_atomic_abort(&a);
		return -1;
	}
	script(g, p, ms, a.tmp);
	st = pclose(g);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		au_err("--plot: gnuplot failed (status %d); %s is left as it was", st, p->path);
		au_atomic_abort(&a);
		return -1;
	}
	/* gnuplot wrote a.tmp by name: reopen-free commit is a sync + rename */
	err = au_atomic_commit(&a);
	if (err) {
		au_err("--plot %s: %s", p->path, strerror(-err));
		return -1;
	}
	return 0;
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
