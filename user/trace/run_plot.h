/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * run --plot FILE.svg: once a second (and at the end) the page cache of the
 * traced mounts, measured as `audit` measures it, and the bytes the traced
 * reads returned, direct and buffered.
 */
#ifndef __DT_RUN_PLOT_H
#define __DT_RUN_PLOT_H

#include <stdbool.h>
#include <stdint.h>
#include "audit_plot.h"
#include "diotrace.h"

#define DT_PLOT_PERIOD_MS	1000

struct dt_run_plot {
	struct au_plot p;
	struct au_mount *ms;
	size_t n;
	uint64_t direct, buffered;	/* bytes returned by traced reads so far */
	long t0, next;			/* ms, CLOCK_MONOTONIC */
	int err;			/* a sample could not be written */
};

/* the mounts (MOUNT, or every file-backed EROFS mount) and FILE; 0 or -1 (said) */
int dt_run_plot_open(struct dt_run_plot *rp, const char *path, const char *mount);
/* count the bytes a read returned, at its REQ_END event */
void dt_run_plot_read(struct dt_run_plot *rp, const struct dt_event *ev);
/* ms until the next sample is due (0: now) */
int dt_run_plot_wait(const struct dt_run_plot *rp);
/* take a sample if it is due, or FORCE */
void dt_run_plot_tick(struct dt_run_plot *rp, bool force);
/* last sample and the SVG; 0, or -1 with the reason said (FILE untouched) */
int dt_run_plot_finish(struct dt_run_plot *rp);
void dt_run_plot_free(struct dt_run_plot *rp);

#endif
