// SPDX-License-Identifier: GPL-2.0-only
/* `erofs-diotrace run` option parsing; see cli.h. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include "cli.h"
#include "num.h"
#include "outfile.h"
#include "trace_helpers.h"

static void usage(FILE *f)
{
	fprintf(f,
"Usage: erofs-diotrace run [OPTIONS] -- CMD [ARGS...]\n"
"       erofs-diotrace run [OPTIONS] -p PID\n"
"Trace CMD (and its children) or PID; check every read it makes on a\n"
"file-backed EROFS file.  The report goes to stderr (or -o FILE).\n\n"
"  -v, --verbose      one report line per read (as replay -v)\n"
"  --probes           print which program bound each probe role, the backing\n"
"                     files found and the BPF counters (stderr)\n"
"  --debug            libbpf's messages and the verifier's log of every probe\n"
"                     candidate tried, on stderr, prefixed 'erofs-diotrace debug:'\n"
"  --plot FILE.svg    sample every second the page cache of the traced mounts\n"
"                     (EROFS, image, double-cached) and the bytes read direct\n"
"                     and buffered; draw them when the trace ends (needs gnuplot)\n"
"  --json FILE        JSON report\n"
"  --record FILE      write the binary record (for 'erofs-diotrace replay')\n"
"  --record-text FILE the record in text form instead\n"
"  --assert           exit with the verdict: 0 PASS, 1 FAIL, 2 INCONCLUSIVE\n"
"  --expect-dio       a buffered EROFS read, or an O_DIRECT open refused with\n"
"                     EINVAL, is a FAIL (default: reported only)\n"
"  -p PID             trace this process tree too\n"
"  --mount DIR        only the EROFS mount DIR is on\n"
"  --ringbuf-size N   ring buffer bytes, 4K..1G (K/M/G suffix; rounded up to a\n"
"                     power of two), default 4M\n"
"  --avoid KINDS      never use these probe kinds (fentry,kprobe,tracepoint,tp_btf,raw_tp)\n"
"  --max-details N    reads that did not PASS kept with details (default 1000)\n"
"  -o FILE            text report to FILE\n"
"Without --assert the exit status is CMD's; a failed write of any output is\n"
"exit 2.  CMD runs in its own process group (and cgroup, where possible):\n"
"SIGINT/SIGTERM/SIGHUP are passed to its whole tree, and whatever it leaves\n"
"running when the trace ends is killed.\n"
"\n"
"EXAMPLES:\n"
"    erofs-diotrace run -- fio --name=r --filename=/mnt/app/data --direct=1 \\\n"
"        --rw=read --bs=1M --size=64M      # trace one fio job\n"
"    erofs-diotrace run --assert --expect-dio -- ./app   # CI gate: FAIL on a\n"
"                                         # buffered read or a refused O_DIRECT\n"
"    erofs-diotrace run --mount /mnt/app --json r.json -p 1234   # a running tree\n"
"    erofs-diotrace run --record t.rec -- ./app   # keep the events for replay\n"
"    erofs-diotrace run --probes --avoid fentry -- ./app   # which probe bound\n"
"                                         # each role\n"
"    erofs-diotrace run --debug -- true   # why a probe candidate was refused\n"
"    erofs-diotrace run --plot trace.svg --mount /mnt/app -- ./app   # drawn\n");
}

/* ring buffer bytes: 4K..1G, rounded up to a power of two */
static int parse_rb_size(const char *s, unsigned long *out)
{
	uint64_t v, p = 4096;
	int err = dt_parse_size(s, 1, 1UL << 30, &v);

	if (err) {
		fprintf(stderr, "erofs-diotrace: --ringbuf-size '%s': %s; give bytes 4K..1G, e.g. 4M\n",
			s, dt_num_why(err));
		return -1;
	}
	while (p < v)
		p <<= 1;
	*out = p;
	return 0;
}

static int parse_pid(const char *s, pid_t *out)
{
	long long v;
	int err = dt_parse_ll(s, 1, INT_MAX, &v);

	if (err) {
		fprintf(stderr, "erofs-diotrace: -p '%s': %s; give the id of a running process\n",
			s, dt_num_why(err));
		return -1;
	}
	if (kill((pid_t)v, 0) && errno == ESRCH) {
		fprintf(stderr, "erofs-diotrace: -p %s: no such process\n", s);
		return -1;
	}
	*out = (pid_t)v;
	return 0;
}

/* two outputs in one file would interleave into garbage: refuse */
static int check_outputs(const struct run_opts *o)
{
	const char *name[4] = { "-o", "--json", "--record", "--plot" };
	const char *path[4] = { o->out, o->json, o->record, o->plot };
	int i, j;

	for (i = 0; i < 4; i++)
		for (j = i + 1; j < 4; j++)
			if (path[i] && path[j] && dt_out_same(path[i], path[j])) {
				fprintf(stderr, "erofs-diotrace: %s %s and %s %s are the same file; "
					"give each output its own file\n", name[i], path[i], name[j], path[j]);
				return -1;
			}
	return 0;
}

static int check_kinds(const char *list)
{
	char buf[128], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (!dt_probe_kind_known(tok)) {
			fprintf(stderr, "erofs-diotrace: --avoid %s: unknown kind '%s' (fentry, fexit, kprobe, tracepoint, tp_btf, raw_tp)\n",
				list, tok);
			return -1;
		}
	return 0;
}

/* --max-details N: reads that did not PASS kept with their details */
static int parse_details(const char *s, unsigned int *out)
{
	long long n;
	int err = dt_parse_ll(s, 1, 1 << 20, &n);

	if (err) {
		fprintf(stderr, "erofs-diotrace: --max-details %s: %s; give 1..1048576\n", s,
			dt_num_why(err));
		return -1;
	}
	*out = n;
	return 0;
}

enum { OPT_VERBOSE = 256, OPT_JSON, OPT_RECORD, OPT_RECORD_TEXT, OPT_ASSERT, OPT_MOUNT, OPT_RB, OPT_HELP, OPT_DIO, OPT_AVOID, OPT_DETAILS,
       OPT_PROBES, OPT_DEBUG, OPT_PLOT };

int dt_run_parse_args(int argc, char **argv, struct run_opts *o)
{
	static const struct option lo[] = {
		{ "verbose", no_argument, NULL, OPT_VERBOSE },
		{ "probes", no_argument, NULL, OPT_PROBES },
		{ "debug", no_argument, NULL, OPT_DEBUG },
		{ "plot", required_argument, NULL, OPT_PLOT },
		{ "json", required_argument, NULL, OPT_JSON },
		{ "record", required_argument, NULL, OPT_RECORD },
		{ "record-text", required_argument, NULL, OPT_RECORD_TEXT },
		{ "assert", no_argument, NULL, OPT_ASSERT },
		{ "expect-dio", no_argument, NULL, OPT_DIO },
		{ "avoid", required_argument, NULL, OPT_AVOID },
		{ "mount", required_argument, NULL, OPT_MOUNT },
		{ "ringbuf-size", required_argument, NULL, OPT_RB },
		{ "max-details", required_argument, NULL, OPT_DETAILS },
		{ "help", no_argument, NULL, OPT_HELP },
		{}
	};
	int c;

	o->rb_size = DT_RB_DEFAULT;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+vp:o:h", lo, NULL)) != -1) {
		switch (c) {
		case 'v':
		case OPT_VERBOSE: o->verbose = true; break;
		case OPT_PROBES: o->probes = true; break;
		case OPT_DEBUG: o->debug = true; break;
		case OPT_PLOT: o->plot = optarg; break;
		case OPT_JSON: o->json = optarg; break;
		case OPT_RECORD: o->record = optarg; o->record_text = false; break;
		case OPT_RECORD_TEXT: o->record = optarg; o->record_text = true; break;
		case OPT_ASSERT: o->assert_ = true; break;
		case OPT_DIO: o->expect_dio = true; break;
		case OPT_AVOID:
			if (check_kinds(optarg))
				return -1;
			o->avoid = optarg;
			break;
		case OPT_MOUNT: o->mount = optarg; break;
		case 'o': o->out = optarg; break;
		case 'p':
			if (parse_pid(optarg, &o->pid))
				return -1;
			break;
		case OPT_RB:
			if (parse_rb_size(optarg, &o->rb_size))
				return -1;
			break;
		case OPT_DETAILS:
			if (parse_details(optarg, &o->max_details))
				return -1;
			break;
		case 'h':
		case OPT_HELP: usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	o->cmd = argv + optind;
	if (!o->cmd[0] && !o->pid) {
		fprintf(stderr, "erofs-diotrace: run needs a command after '--' or -p PID; see 'erofs-diotrace run --help'\n");
		return -1;
	}
	if (!o->cmd[0])
		o->cmd = NULL;
	return check_outputs(o);
}

