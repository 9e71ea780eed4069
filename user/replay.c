// SPDX-License-Identifier: GPL-2.0-only
/*
 * erofs-diotrace replay [OPTIONS] FILE: feed a record (binary or text, from
 * `run --record`, or a stream written by hand) to the engine and report;
 * or, with --text/--binary, convert it to the other form.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "commands.h"
#include "engine.h"
#include "num.h"
#include "outfile.h"
#include "record.h"
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
		"  -t, --text             no replay: write the record in text form\n"
		"  -b, --binary           no replay: write the record in binary form\n"
		"  -o, --output FILE      where --text/--binary write (default stdout)\n"
		"FILE is a binary record, a text record or a legacy hand-written stream;\n"
		"a record cut short or failing its checksum replays as INCONCLUSIVE.\n"
		"Without --assert the exit status is 0 once a report is written.\n"
		"Bad usage, an unreadable stream or a failed write: a one-line error and exit 2.\n"
		"\n"
		"EXAMPLES:\n"
		"    erofs-diotrace replay t.rec            # the report run would have printed\n"
		"    erofs-diotrace replay -a -q t.rec      # exit status only: 0/1/2\n"
		"    erofs-diotrace replay -v -j r.json t.rec   # every read, plus JSON\n"
		"    erofs-diotrace replay --text -o t.txt t.rec   # binary record to text\n"
		"    erofs-diotrace replay - < t.txt        # a text record from stdin\n");
}

struct replay_args {
	const char *json, *file, *output;
	bool verbose, assert, quiet;
	enum dt_rec_format export;	/* 0: replay */
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
		{ "text", no_argument, NULL, 't' },
		{ "binary", no_argument, NULL, 'b' },
		{ "output", required_argument, NULL, 'o' },
		{ "max-details", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long long n;
	int c, err;

	optind = 1;
	while ((c = getopt_long(argc, argv, "j:vadm:qtbo:hD:", lo, NULL)) != -1) {
		switch (c) {
		case 'j': a->json = optarg; break;
		case 'v': a->verbose = true; break;
		case 'a': a->assert = true; break;
		case 'd': a->opts.expect_dio = true; break;
		case 'q': a->quiet = true; break;
		case 't': a->export = DT_REC_TEXT; break;
		case 'b': a->export = DT_REC_BINARY; break;
		case 'o': a->output = optarg; break;
		case 'h': usage(stdout); return 1;
		case 'm':
			err = dt_parse_ll(optarg, 1, 1 << 20, &n);
			if (err) {
				fprintf(stderr, "erofs-diotrace replay: --max-inflight wants 1..1048576, "
					"got '%s' (%s)\n", optarg, dt_num_why(err));
				return -1;
			}
			a->opts.max_inflight = n;
			break;
		case 'D':
			err = dt_parse_ll(optarg, 1, 1 << 20, &n);
			if (err) {
				fprintf(stderr, "erofs-diotrace replay: --max-details wants 1..1048576, "
					"got '%s' (%s)\n", optarg, dt_num_why(err));
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
	if (a->json && !a->quiet && (!strcmp(a->json, "-") || dt_out_same(a->json, "-"))) {
		fprintf(stderr, "erofs-diotrace replay: --json %s is where the text report goes too "
			"(stdout); give another file, or -q\n", a->json);
		return -1;
	}
	if (a->export && (a->json || a->assert || a->verbose || a->opts.expect_dio ||
			  a->opts.max_inflight || a->opts.max_details)) {
		fprintf(stderr, "erofs-diotrace replay: --text/--binary only convert the record; "
			"replay it without them for a report\n");
		return -1;
	}
	if (a->export == DT_REC_BINARY && (!a->output || !strcmp(a->output, "-")) &&
	    isatty(STDOUT_FILENO)) {
		fprintf(stderr, "erofs-diotrace replay: --binary writes binary data; give -o FILE "
			"or redirect stdout\n");
		return -1;
	}
	if (a->output && !a->export) {
		fprintf(stderr, "erofs-diotrace replay: -o goes with --text or --binary; the "
			"report goes to stdout (--json FILE for JSON)\n");
		return -1;
	}
	return 0;
}

static FILE *open_in(const char *file)
{
	FILE *in = strcmp(file, "-") ? fopen(file, "r") : stdin;

	if (!in)
		fprintf(stderr, "erofs-diotrace replay: cannot open '%s': %s\n", file,
			strerror(errno));
	return in;
}

static void close_in(FILE *in)
{
	if (in != stdin)
		fclose(in);
}

/* "FILE:LINE: what" for text, "FILE: byte N: what" for binary */
static void bad_input(const struct replay_args *a, struct dt_rec_reader *r,
		      const struct dt_rec_header *h)
{
	const char *what = dt_rec_error(r);

	if (h->format == DT_REC_BINARY)
		fprintf(stderr, "erofs-diotrace replay: %s: %s: %s\n", a->file, dt_rec_where(r), what);
	else
		fprintf(stderr, "erofs-diotrace replay: %s:%s: %s; fix or remove that line\n",
			a->file, dt_rec_where(r), what);
}

/* --text / --binary: convert, every write checked */
static int export(const struct replay_args *a)
{
	const char *to = a->output && strcmp(a->output, "-") ? a->output : NULL;
	struct dt_rec_writer *w;
	struct dt_rec_reader *r;
	struct dt_rec_header h;
	FILE *in = open_in(a->file);
	int err, werr;

	if (!in)
		return 2;
	r = dt_rec_reader_new(in);
	w = to ? dt_rec_writer_create(to, a->export) : dt_rec_writer_new(stdout, a->export, false);
	if (!r || !w) {
		fprintf(stderr, "erofs-diotrace replay: %s: %s\n", to ? to : "stdout",
			strerror(errno ? errno : ENOMEM));
		dt_rec_reader_free(r);
		dt_rec_writer_close(w);
		close_in(in);
		return 2;
	}
	err = dt_rec_read_header(r, &h);
	if (!err)
		err = dt_rec_copy(r, &h, w);
	werr = dt_rec_writer_close(w);
	if (werr)
		fprintf(stderr, "erofs-diotrace replay: cannot write the %s form to %s: %s\n",
			a->export == DT_REC_TEXT ? "text" : "binary", to ? to : "stdout",
			strerror(-werr));
	else if (err)
		bad_input(a, r, &h);
	else if (dt_rec_truncated(r))
		fprintf(stderr, "erofs-diotrace replay: %s: record incomplete, exported with a "
			"!truncated note\n", a->file);
	dt_rec_reader_free(r);
	close_in(in);
	return err || werr ? 2 : 0;
}

static int load(const struct replay_args *a, struct dt_report *rep, struct dt_engine **ep)
{
	FILE *in = open_in(a->file);
	struct dt_engine_opts o = a->opts;
	struct dt_rec_reader *r;
	struct dt_rec_header h;
	int err;

	if (!in)
		return -1;
	r = dt_rec_reader_new(in);
	err = r ? dt_rec_read_header(r, &h) : -ENOMEM;
	if (!err) {
		if (h.page_size)
			o.page_size = h.page_size;
		o.loss_stamped = h.flags & DT_REC_F_STAMPED;
		dt_report_attach(rep, &o);
		*ep = dt_engine_new(&o);
		err = *ep ? dt_rec_replay_header(&h, *ep) : -ENOMEM;
	}
	if (!err)
		err = dt_rec_replay(r, *ep);
	if (err == -ENOMEM)
		fprintf(stderr, "erofs-diotrace replay: out of memory\n");
	else if (err)
		bad_input(a, r, &h);
	else if (h.format == DT_REC_LEGACY && !a->quiet)
		fprintf(stderr, "erofs-diotrace replay: %s: legacy text stream (no !format line), "
			"not crash-checked\n", a->file);
	dt_rec_reader_free(r);
	close_in(in);
	return err ? -1 : 0;
}

int cmd_replay(int argc, char **argv)
{
	struct replay_args a = { 0 };
	struct dt_report_opts ro;
	struct dt_report *rep;
	struct dt_engine *e = NULL;
	enum dt_verdict v;
	const char *what;
	int r;

	r = parse_args(argc, argv, &a);
	if (r)
		return r > 0 ? 0 : 2;
	if (a.export)
		return export(&a);
	ro = (struct dt_report_opts){ .text = a.quiet ? NULL : stdout, .verbose = a.verbose,
				      .json = a.json };
	rep = dt_report_new(&ro);
	if (!rep) {
		fprintf(stderr, "erofs-diotrace replay: cannot write JSON to '%s': %s\n",
			a.json ? a.json : "-", strerror(errno));
		return 2;
	}
	if (load(&a, rep, &e)) {
		dt_engine_free(e);
		dt_report_abort(rep);
		return 2;
	}
	dt_engine_finish(e);
	r = dt_report_end(rep, e, &what);
	dt_report_free(rep);
	if (r) {
		if (what == a.json)
			fprintf(stderr, "erofs-diotrace replay: cannot write JSON to '%s': %s\n",
				a.json, strerror(-r));
		else
			fprintf(stderr, "erofs-diotrace replay: cannot write the text report: %s\n",
				strerror(-r));
		dt_engine_free(e);
		return 2;
	}
	r = dt_out_close(stdout);
	if (r) {
		fprintf(stderr, "erofs-diotrace replay: write to stdout failed (%s); the report is "
			"incomplete\n", dt_out_why(r));
		dt_engine_free(e);
		return 2;
	}
	v = dt_engine_verdict(e);
	dt_engine_free(e);
	return a.assert ? (int)v : 0;
}
