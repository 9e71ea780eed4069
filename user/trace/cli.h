/* SPDX-License-Identifier: GPL-2.0-only */
/* `erofs-diotrace run` options: what the user asked for, checked. */
#ifndef __DT_CLI_H
#define __DT_CLI_H

#include <stdbool.h>
#include <sys/types.h>

#define DT_RB_DEFAULT	(4UL << 20)

struct run_opts {
	bool probes;		/* --probes: which program bound each role */
	bool verbose;		/* -v, --verbose: per-request report lines */
	bool debug;		/* --debug: libbpf's and the verifier's output */
	const char *plot;	/* --plot FILE.svg */
	bool assert_;
	bool expect_dio;	/* a buffered EROFS read or a refused O_DIRECT open is a FAIL */
	const char *json, *record, *mount, *out;
	bool record_text;	/* --record-text: the record in text form */
	const char *avoid;	/* --avoid KIND,...: probe kinds not to use */
	pid_t pid;
	unsigned long rb_size;
	unsigned int max_details;	/* --max-details: 0 = the engine's default */
	char **cmd;
};

/*
 * Parse run's argv into o.  0: go on; -1: bad usage (a one-line message is
 * on stderr, exit 2); --help prints the usage and exits 0.
 */
int dt_run_parse_args(int argc, char **argv, struct run_opts *o);

#endif
