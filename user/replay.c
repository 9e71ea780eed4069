// SPDX-License-Identifier: GPL-2.0-only
/*
 * erofs-diotrace replay [OPTIONS] FILE: feed a recorded event stream (from
 * `run --record`, or written by hand) to the engine and report.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "engine.h"
#include "evtext.h"
#include "report.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: erofs-diotrace replay [OPTIONS] FILE   (FILE '-' = stdin)\n"
		"  -j, --json FILE        also write the JSON report to FILE ('-' = stdout)\n"
		"  -v, --verbose          every read with its ledger, extents and backing reads\n"
		"  -a, --assert           exit 0 PASS, 1 FAIL, 2 INCONCLUSIVE\n"
		"  -d, --expect-dio       a buffered EROFS read, or an O_DIRECT open refused\n"
		"                         with EINVAL, is a FAIL (default: reported only)\n"
		"  -m, --max-inflight N   bound of the in-flight read table (default 1024)\n"
		"      --max-details N    reads that did not PASS kept with details (default 1000)\n"
		"  -q, --quiet            no text report\n"
		"Without --assert the exit status is 0 once a report is written.\n"
		"Bad usage or an unreadable stream: a one-line error and exit 2.\n");
}

struct replay_args {
	const char *json, *file;
	bool verbose, assert, quiet;
	struct dt_engine_opts opts;
};

static int parse_args(int argc, char **argv, struct replay_args *a)
{
	static const struct option lo[] = {
		{ "json", required_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "assert", no_argument, NULL, 'a' },
		{ "expect-dio", no_argument, NULL, 'd' },
		{ "max-inflight", required_argument, NULL, 'm' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "max-details", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	long n;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "j:vadm:qhD:", lo, NULL)) != -1) {
		switch (c) {
		case 'j': a->json = optarg; break;
		case 'v': a->verbose = true; break;
		case 'a': a->assert = true; break;
		case 'd': a->opts.expect_dio = true; break;
		case 'q': a->quiet = true; break;
		case 'h': usage(stdout); return 1;
		case 'm':
			n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 1 << 20) {
				fprintf(stderr, "erofs-diotrace replay: --max-inflight wants 1..1048576, "
					"got '%s'\n", optarg);
				return -1;
			}
			a->opts.max_inflight = n;
			break;
		case 'D':
			n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 1 << 20) {
				fprintf(stderr, "erofs-diotrace replay: --max-details wants 1..1048576, "
					"got '%s'\n", optarg);
				return -1;
			}
			a->opts.max_details = n;
			break;
		default:
			fprintf(stderr, "erofs-diotrace replay: see 'erofs-diotrace replay --help'\n");
			return -1;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "erofs-diotrace replay: give exactly one recorded stream FILE "
			"(see --help)\n");
		return -1;
	}
	a->file = argv[optind];
	return 0;
}

static int load(const struct replay_args *a, struct dt_engine *e)
{
	FILE *in = strcmp(a->file, "-") ? fopen(a->file, "r") : stdin;
	unsigned int line = 0;
	int err;

	if (!in) {
		fprintf(stderr, "erofs-diotrace replay: cannot open '%s': %s\n", a->file,
			strerror(errno));
		return -1;
	}
	err = dt_evtext_replay(in, e, &line);
	if (in != stdin)
		fclose(in);
	if (err) {
		fprintf(stderr, "erofs-diotrace replay: %s:%u: %s; fix or remove that line\n",
			a->file, line, err == -ENOMEM ? "out of memory" : dt_evtext_error());
		return -1;
	}
	return 0;
}

int cmd_replay(int argc, char **argv)
{
	struct replay_args a = { 0 };
	struct dt_report_opts ro;
	struct dt_report *rep;
	struct dt_engine *e;
	enum dt_verdict v;
	const char *what;
	int r;

	r = parse_args(argc, argv, &a);
	if (r)
		return r > 0 ? 0 : 2;
	ro = (struct dt_report_opts){ .text = a.quiet ? NULL : stdout, .verbose = a.verbose,
				      .json = a.json };
	rep = dt_report_new(&ro);
	if (!rep) {
		fprintf(stderr, "erofs-diotrace replay: cannot write JSON to '%s': %s\n",
			a.json ? a.json : "-", strerror(errno));
		return 2;
	}
	dt_report_attach(rep, &a.opts);
	e = dt_engine_new(&a.opts);
	if (!e) {
		fprintf(stderr, "erofs-diotrace replay: out of memory\n");
		dt_report_free(rep);
		return 2;
	}
	if (load(&a, e)) {
		dt_engine_free(e);
		dt_report_abort(rep);
		return 2;
	}
	dt_engine_finish(e);
	r = dt_report_end(rep, e, &what);
	dt_report_free(rep);
	if (r) {
		fprintf(stderr, "erofs-diotrace replay: cannot write %s: %s\n", what, strerror(-r));
		dt_engine_free(e);
		return 2;
	}
	v = dt_engine_verdict(e);
	dt_engine_free(e);
	return a.assert ? (int)v : 0;
}
