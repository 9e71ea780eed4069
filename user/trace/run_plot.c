// SPDX-License-Identifier: GPL-2.0-only
/*
 * run --plot: samples for the picture, drawn by audit's gnuplot path.
 * Page-cache bytes come from audit's resident measurement (au_scan) of the
 * traced mounts, so the picture shows the same numbers `audit` would; the
 * bytes read are what the traced reads returned, as their REQ_END events
 * arrive, split by IOCB_DIRECT (O_DIRECT) in the event; a read whose end
 * was lost is not counted (the report says the trace lost events).  One sample costs one audit scan of the
 * mounts; samples go to a data file, so memory does not grow with time.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "run_plot.h"

enum { S_EROFS, S_IMAGE, S_DOUBLE, S_DIRECT, S_BUFFERED, S_MAX };

static long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

int dt_run_plot_open(struct dt_run_plot *rp, const char *path, const char *mount)
{
	char *arg[1] = { (char *)mount };
	int err;

	memset(rp, 0, sizeof(*rp));
	au_plot_cmd("run");
	au_page = sysconf(_SC_PAGESIZE);
	if (au_plot_open(&rp->p, path))
		return -1;
	err = mount ? au_mounts_for_args(arg, 1, &rp->ms, &rp->n) : au_mounts_all(&rp->ms, &rp->n);
	if (err)
		return -1;	/* said by audit_mounts.c */
	if (!rp->n) {
		fprintf(stderr, "erofs-diotrace: --plot %s: no file-backed EROFS mount to sample; "
			"mount one first or give --mount DIR\n", path);
		return -1;
	}
	rp->t0 = rp->next = mono_ms();
	return 0;
}

void dt_run_plot_read(struct dt_run_plot *rp, const struct dt_event *ev)
{
	if (ev->type != DT_EV_REQ_END || ev->req.ret <= 0)
		return;
	if (ev->req.flags & DT_IOCB_DIRECT)
		rp->direct += ev->req.ret;
	else
		rp->buffered += ev->req.ret;
}

int dt_run_plot_wait(const struct dt_run_plot *rp)
{
	long left = rp->next - mono_ms();

	return left > 0 ? (int)left : 0;
}

/* the sum over the mounts; AU_UNKNOWN if any mount could not say */
static uint64_t sum(const struct dt_run_plot *rp, size_t off)
{
	uint64_t v, total = 0;
	size_t i;

	for (i = 0; i < rp->n; i++) {
		memcpy(&v, (const char *)&rp->ms[i] + off, sizeof(v));
		if (v == AU_UNKNOWN)
			return AU_UNKNOWN;
		total += v;
	}
	return total;
}

static void sample(struct dt_run_plot *rp)
{
	uint64_t v[S_MAX];
	size_t i;

	for (i = 0; i < rp->n; i++)
		if (au_scan(&rp->ms[i], AU_M_AUTO)) {
			fprintf(stderr, "erofs-diotrace: --plot: out of memory while scanning %s\n",
				rp->ms[i].mnt);
			rp->err = -ENOMEM;
			return;
		}
	v[S_EROFS] = sum(rp, offsetof(struct au_mount, erofs_cached));
	v[S_IMAGE] = sum(rp, offsetof(struct au_mount, backing_total));
	v[S_DOUBLE] = sum(rp, offsetof(struct au_mount, double_cached));
	v[S_DIRECT] = rp->direct;
	v[S_BUFFERED] = rp->buffered;
	if (au_plot_row(&rp->p, (mono_ms() - rp->t0) / 1000.0, v, S_MAX))
		rp->err = -EIO;
}

void dt_run_plot_tick(struct dt_run_plot *rp, bool force)
{
	long now = mono_ms();

	if (rp->err || (!force && now < rp->next))
		return;
	sample(rp);
	while (rp->next <= now)
		rp->next += DT_PLOT_PERIOD_MS;
}

int dt_run_plot_finish(struct dt_run_plot *rp)
{
	static const char *const title[2] = {
		"erofs-diotrace run: page cache of the traced mounts and bytes read", "bytes"
	};
	static const struct au_series s[S_MAX] = {
		[S_EROFS] = { "EROFS cache", "#1f77b4", 5, 1 },
		[S_IMAGE] = { "image cache", "#ff7f0e", 2, 1 },
		[S_DOUBLE] = { "double-cached", "#d62728", 2, 1 },
		[S_DIRECT] = { "read direct (total)", "#2ca02c", 2, 2 },
		[S_BUFFERED] = { "read buffered (total)", "#9467bd", 2, 2 },
	};

	dt_run_plot_tick(rp, true);
	if (rp->err) {
		fprintf(stderr, "erofs-diotrace: --plot %s: the samples are incomplete; "
			"nothing drawn\n", rp->p.path);
		return -1;
	}
	return au_plot_draw(&rp->p, title, s, S_MAX);
}

void dt_run_plot_free(struct dt_run_plot *rp)
{
	au_plot_close(&rp->p);
	au_mounts_free(rp->ms, rp->n);
	rp->ms = NULL;
	rp->n = 0;
}
