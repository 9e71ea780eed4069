/* SPDX-License-Identifier: GPL-2.0-only */
/* the command line bench-gen and bench-drive share */
#ifndef __DT_BENCH_OPTS_H
#define __DT_BENCH_OPTS_H

#include <stdint.h>

struct bench_opts {
	uint64_t nreq, nfiles, fail_every, seed;
};

/*
 * PROG [-f FAIL_EVERY] [-s SEED] NREQ NFILES; FAIL_EVERY 0 = no defects
 * (default 1000).  0 or a one-line error on stderr.
 */
int bench_opts_parse(struct bench_opts *o, int argc, char **argv, const char *prog);

#endif
