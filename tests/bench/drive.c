// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench-drive [-f FAIL_EVERY] [-s SEED] NREQ NFILES: the stream of gen.h
 * fed straight to dt_engine_feed() (no text, no parser), through the public
 * engine API only, so that engine cost is measured apart from the parser's.
 * Events are generated in batches and only the engine calls are timed.
 * One line on stdout:
 *   events=E requests=N fails=K engine_cpu=S engine_wall=S finish_cpu=S
 *   maxrss_kb=R verdict=V
 * Out of memory: "bench-drive: out of memory after E events", exit 3.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include "engine.h"
#include "gen.h"
#include "opts.h"

#define BATCH	4096

static double now(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct dt_event batch[BATCH];

/* feed everything; 0, or the first error of dt_engine_feed() */
static int feed_all(struct dt_engine *e, struct bgen *g, double *cpu, double *wall)
{
	double c0, w0;
	int i, n, err;

	for (;;) {
		for (n = 0; n < BATCH && bgen_next(g, &batch[n]); n++)
			;
		if (!n)
			return 0;
		c0 = now(CLOCK_PROCESS_CPUTIME_ID);
		w0 = now(CLOCK_MONOTONIC);
		for (i = 0; i < n; i++) {
			err = dt_engine_feed(e, &batch[i]);
			if (err) {
				g->events -= n - i - 1;	/* fed so far */
				return err;
			}
		}
		*cpu += now(CLOCK_PROCESS_CPUTIME_ID) - c0;
		*wall += now(CLOCK_MONOTONIC) - w0;
	}
}

int main(int argc, char **argv)
{
	double cpu = 0, wall = 0, fin;
	struct bench_opts o;
	struct dt_engine *e;
	struct rusage ru;
	struct bgen g;
	int err;

	if (bench_opts_parse(&o, argc, argv, "bench-drive"))
		return 2;
	bgen_init(&g, o.nreq, o.nfiles, o.fail_every, o.seed);
	e = dt_engine_new(NULL);
	if (!e) {
		fprintf(stderr, "bench-drive: out of memory after 0 events\n");
		return 3;
	}
	err = feed_all(e, &g, &cpu, &wall);
	if (err) {
		fprintf(stderr, "bench-drive: %s after %llu events\n",
			err == -ENOMEM ? "out of memory" : strerror(-err),
			(unsigned long long)g.events);
		return err == -ENOMEM ? 3 : 2;
	}
	fin = now(CLOCK_PROCESS_CPUTIME_ID);
	dt_engine_finish(e);
	fin = now(CLOCK_PROCESS_CPUTIME_ID) - fin;
	getrusage(RUSAGE_SELF, &ru);
	if (printf("events=%llu requests=%llu fails=%llu engine_cpu=%.6f engine_wall=%.6f "
		   "finish_cpu=%.6f maxrss_kb=%ld verdict=%s\n",
		   (unsigned long long)g.events, (unsigned long long)g.reqs,
		   (unsigned long long)g.fails, cpu, wall, fin, ru.ru_maxrss,
		   dt_verdict_name(dt_engine_verdict(e))) < 0 || fflush(stdout)) {
		fprintf(stderr, "bench-drive: cannot write the result: %s\n", strerror(errno));
		return 2;
	}
	dt_engine_free(e);
	return 0;
}
