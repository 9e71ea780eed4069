/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * --plot: byte counts sampled over time, drawn into one self-contained SVG by
 * gnuplot (audit_plot.c).  Shared by audit --watch and run.
 *
 *   au_plot_cmd("run");			name in messages (default "audit")
 *   au_plot_open(&p, "x.svg");		checks gnuplot and the directory now
 *   au_plot_row(&p, t, v, n);		one sample: n values at t seconds
 *   au_plot_draw(&p, title, s, n);	n series, series i = v[i]; atomic
 *   au_plot_close(&p);
 *
 * Every function that can fail returns 0 or -1 with a one-line message on
 * stderr; a failed draw leaves FILE as it was.
 */
#ifndef __AU_PLOT_H
#define __AU_PLOT_H

#include "audit.h"

struct au_series {
	char *title;		/* key text, plain (no gnuplot markup) */
	const char *color;	/* "#rrggbb" */
	int width;		/* line width */
	int dash;		/* gnuplot dash type, 1 = solid */
};

void au_plot_cmd(const char *cmd);
int au_plot_row(struct au_plot *p, double t, const uint64_t *v, size_t n);
/* title[0]: the picture's, title[1]: the y axis' ("cached"); units are added */
int au_plot_draw(struct au_plot *p, const char *const title[2], const struct au_series *s,
		 size_t n);

#endif
