// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "opts.h"

static int num(const char *prog, const char *what, const char *s, uint64_t min, uint64_t *v)
{
	unsigned long long n;
	char *end;

	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || n < min) {
		fprintf(stderr, "%s: %s wants a whole number >= %llu, got '%s'\n", prog, what,
			(unsigned long long)min, s);
		return -1;
	}
	*v = n;
	return 0;
}

int bench_opts_parse(struct bench_opts *o, int argc, char **argv, const char *prog)
{
	int c;

	o->fail_every = 1000;
	o->seed = 1;
	while ((c = getopt(argc, argv, "f:s:")) != -1) {
		if (c == 'f' && !num(prog, "-f FAIL_EVERY", optarg, 0, &o->fail_every))
			continue;
		if (c == 's' && !num(prog, "-s SEED", optarg, 1, &o->seed))
			continue;
		if (c != 'f' && c != 's')
			fprintf(stderr, "usage: %s [-f FAIL_EVERY] [-s SEED] NREQ NFILES\n", prog);
		return -1;
	}
	if (argc - optind != 2) {
		fprintf(stderr, "usage: %s [-f FAIL_EVERY] [-s SEED] NREQ NFILES\n", prog);
		return -1;
	}
	if (num(prog, "NREQ", argv[optind], 1, &o->nreq) ||
	    num(prog, "NFILES", argv[optind + 1], 1, &o->nfiles))
		return -1;
	return 0;
}
