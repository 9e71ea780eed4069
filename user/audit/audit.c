// SPDX-License-Identifier: GPL-2.0-only
/*
 * erofs-diotrace audit [OPTIONS] [MOUNTPOINT|FILE...]
 *
 * Page-cache footprint of file-backed EROFS mounts: for each file, how much
 * is cached in the EROFS inode, how much of its data is cached in the
 * backing image file, and how much is cached in both at once.  No BPF.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "audit.h"
#include "commands.h"
#include "num.h"

static void usage(FILE *fp)
{
	fprintf(fp,
"Usage: erofs-diotrace audit [OPTIONS] [MOUNTPOINT|FILE...]\n"
"Page-cache footprint of file-backed EROFS mounts (default: all of them).\n"
"\n"
"  -b, --bytes               sizes in bytes, not human-readable\n"
"  -J, --json                JSON output (same as --format json)\n"
"  -f, --format F            table (default), json or openmetrics (Prometheus\n"
"                            text format for node_exporter's textfile collector;\n"
"                            -o FILE is replaced atomically, each --watch sample)\n"
"  -n, --noheadings          no header lines\n"
"  -s, --sort KEY            name (default), erofs, backing, double, size\n"
"  -t, --top N               show only the first N files (after sorting); with\n"
"                            openmetrics: per-file series of the N files with the\n"
"                            most double-cached bytes (1..1000)\n"
"  -w, --watch SECONDS       sample every SECONDS: one line (or JSON line) a mount\n"
"  -c, --count N             with --watch: stop after N samples\n"
"      --plot FILE.svg       with --watch: draw EROFS, image and double-cached\n"
"                            bytes over time when the watch ends (needs gnuplot)\n"
"      --method M            residency via auto (default), cachestat or mincore\n"
"      --assert-max-double BYTES\n"
"                            exit 1 if more than BYTES are double-cached,\n"
"                            2 if the numbers cannot be trusted\n"
"  -o, --output FILE         write the report to FILE, not stdout\n"
"  -v, --verbose             how each mount was measured, each sample: files,\n"
"                            residency method, image blocks read, scan time\n"
"                            (stderr)\n"
"  -h, --help                this text\n"
"\n"
"Columns: EROFS = cached in the EROFS file; BACKING = cached in the image file\n"
"for this file's data; DOUBLE = EROFS pages whose data is cached in the image\n"
"too; UNATTRIBUTED = image cache no audited file maps (metadata, compressed).\n"
"A failed write of the report (full disk, closed pipe) is exit 2.\n"
"\n"
"Exit status: 0 fine, 1 --assert-max-double exceeded, 2 error or untrusted numbers.\n"
"\n"
"EXAMPLES:\n"
"    erofs-diotrace audit                  # every file-backed EROFS mount\n"
"    erofs-diotrace audit -s double -t 10 /mnt/app   # 10 most double-cached files\n"
"    erofs-diotrace audit -J /mnt/app/bin  # JSON, one directory of the mount\n"
"    erofs-diotrace audit -f openmetrics -t 20 \\\n"
"        -o /var/lib/prometheus/node-exporter/erofs.prom\n"
"    erofs-diotrace audit -w 1 -c 60 --plot cache.svg /mnt/app   # a minute, drawn\n"
"    erofs-diotrace audit --assert-max-double 0 /mnt/app   # CI gate\n");
}

static int parse_enum(const char *s, const char *const *names, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

static int bad(const char *what, const char *val)
{
	au_err("invalid %s '%s'; see 'erofs-diotrace audit --help'", what, val);
	return -1;
}

/* bad number: the value, why, and what would do */
static int bad_num(const char *opt, const char *val, int err, const char *want)
{
	au_err("invalid %s '%s': %s; give %s", opt, val, dt_num_why(err), want);
	return -1;
}

/* -v: how each mount was measured, on stderr */
static bool verbose;

static int parse_one(int c, const char *arg, struct au_opts *o)
{
	static const char *const sorts[] = { "name", "erofs", "backing", "double", "size" };
	static const char *const methods[] = { "auto", "cachestat", "mincore" };
	static const char *const formats[] = { "table", "json", "openmetrics" };
	long long n;
	int k, err;

	switch (c) {
	case 'b': o->bytes = true; return 0;
	case 'J': o->format = AU_F_JSON; return 0;
	case 'f':
		k = parse_enum(arg, formats, 3);
		return k < 0 ? bad("format", arg) : (o->format = k, 0);
	case 'P': o->plot = arg; return 0;
	case 'n': o->noheadings = true; return 0;
	case 's':
		k = parse_enum(arg, sorts, 5);
		return k < 0 ? bad("sort key", arg) : (o->sort = k, 0);
	case 'm':
		k = parse_enum(arg, methods, 3);
		return k < 0 ? bad("method", arg) : (o->method = k, 0);
	case 't':
		err = dt_parse_ll(arg, 0, LONG_MAX, &n);
		return err ? bad_num("--top", arg, err, "a file count, 0 or more") : (o->top = n, 0);
	case 'c':
		err = dt_parse_ll(arg, 1, LONG_MAX, &n);
		return err ? bad_num("--count", arg, err, "a sample count, 1 or more") : (o->count = n, 0);
	case 'w':
		err = dt_parse_double(arg, 0.001, 86400 * 365, &o->watch);
		return err ? bad_num("--watch interval", arg, err, "seconds, e.g. 0.5 or 10") : 0;
	case 'A':
		o->assert_set = true;
		err = dt_parse_size(arg, 0, UINT64_MAX, &o->assert_max);
		return err ? bad_num("--assert-max-double", arg, err, "bytes, e.g. 0, 4096 or 20K") : 0;
	case 'o':
		o->out_name = arg;
		return 0;
	case 'v':
		verbose = true;
		return 0;
	}
	return -1;
}

/* combinations that cannot work, refused before any scan */
static int check_opts(struct au_opts *o)
{
	if (o->count && !o->watch) {
		au_err("--count needs --watch SECONDS");
		return -1;
	}
	if (o->plot && !o->watch) {
		au_err("--plot draws samples over time: give --watch SECONDS too");
		return -1;
	}
	if (o->format != AU_F_PROM)
		return 0;
	if (o->top == 0 || o->top > 1000) {
		au_err("--top %ld with openmetrics: give 1..1000 files for per-file series, or leave --top out for per-mount series only",
		       o->top);
		return -1;
	}
	if (o->watch && !o->out_name) {
		au_err("--format openmetrics with --watch needs -o FILE (each sample replaces FILE)");
		return -1;
	}
	return 0;
}

static int parse_opts(int argc, char **argv, struct au_opts *o)
{
	static const struct option lo[] = {
		{ "bytes", no_argument, NULL, 'b' },
		{ "json", no_argument, NULL, 'J' },
		{ "format", required_argument, NULL, 'f' },
		{ "plot", required_argument, NULL, 'P' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "sort", required_argument, NULL, 's' },
		{ "top", required_argument, NULL, 't' },
		{ "watch", required_argument, NULL, 'w' },
		{ "count", required_argument, NULL, 'c' },
		{ "method", required_argument, NULL, 'm' },
		{ "assert-max-double", required_argument, NULL, 'A' },
		{ "output", required_argument, NULL, 'o' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int c;

	*o = (struct au_opts){ .top = -1 };
	while ((c = getopt_long(argc, argv, "bJf:ns:t:w:c:o:vh", lo, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 1;
		}
		if (c == '?' || parse_one(c, optarg, o))
			return -1;
	}
	o->json = o->format == AU_F_JSON;
	return check_opts(o);
}

/* say what each mount's numbers are worth; 2 when any cannot be trusted */
static int report_trust(struct au_mount *ms, size_t n, bool first)
{
	int st = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (ms[i].kind == AU_KIND_BDEV && first)
			au_err("%s is block-device-backed EROFS (%s): its data is cached once, in the EROFS files; showing that side only (a loop device without direct I/O caches its backing file on its own)",
			       ms[i].mnt, ms[i].source);
		if (ms[i].untrusted) {
			au_err("numbers for %s cannot be trusted: %s", ms[i].mnt, ms[i].untrusted);
			st = 2;
		}
	}
	return st;
}

static int assert_double(struct au_mount *ms, size_t n, const struct au_opts *o)
{
	uint64_t total = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (ms[i].double_cached == AU_UNKNOWN) {
			au_err("double-cached bytes of %s are unknown; cannot check --assert-max-double", ms[i].mnt);
			return 2;
		}
		total += ms[i].double_cached;
	}
	if (total <= o->assert_max)
		return 0;
	au_err("%llu bytes are double-cached, more than --assert-max-double %llu",
	       (unsigned long long)total, (unsigned long long)o->assert_max);
	return 1;
}

/* openmetrics to -o FILE: the whole file replaced at once, or left as it was */
static int prom_file(struct au_mount *ms, size_t n, const struct au_opts *o)
{
	struct au_atomic a;
	int err;

	err = au_atomic_open(&a, o->out_name);
	if (!err) {
		au_print_prom(ms, n, o, a.fp);
		err = au_atomic_commit(&a);
	}
	if (err)
		au_err("writing the metrics to -o %s failed (%s); the file is left as it was",
		       o->out_name, strerror(-err));
	return err ? -2 : 0;
}

static void output(struct au_mount *ms, size_t n, const struct au_opts *o, double t, bool first)
{
	size_t i;

	if (o->format == AU_F_PROM)
		return au_print_prom(ms, n, o, o->out);
	if (o->watch)
		return au_print_watch(ms, n, o, t, first);
	if (o->json)
		return au_print_json(ms, n, o);
	for (i = 0; i < n; i++) {
		if (i)
			fputc('\n', o->out);
		au_print_table(&ms[i], o);
	}
}

/* a failed write ends the audit: exit 2, the output named (once) */
static int out_check(const struct au_opts *o, bool last)
{
	static bool failed;
	int err = 0;

	if (fflush(o->out))
		err = -errno;
	else if (ferror(o->out))
		err = -EIO;
	if (last && o->out != stdout && fclose(o->out) && !err)
		err = -errno;
	if (err && !failed)
		au_err("writing the report to %s failed (%s); it is incomplete", o->out_name,
		       err == -EIO ? "write error" : strerror(-err));
	failed = failed || err;
	return failed ? 2 : 0;
}

static const char stdout_name[] = "stdout";
static struct au_plot plot;
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

/* a watch ends on SIGINT/SIGTERM after its sample: the plot still gets drawn */
static void catch_stop(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int sample(struct au_mount *ms, size_t n, const struct au_opts *o, double t0, bool first)
{
	int st, a;
	size_t i;

	for (i = 0; i < n; i++) {
		if (au_scan(&ms[i], o->method)) {
			au_err("out of memory while scanning %s", ms[i].mnt);
			return 2;
		}
		au_sort_files(&ms[i], o->sort);
		if (verbose)
			au_err("%s: %zu files, residency by %s, %llu image blocks read with O_DIRECT, scanned in %.3f s",
			       ms[i].mnt, ms[i].nfiles, ms[i].method ? ms[i].method : "none",
			       (unsigned long long)ms[i].peek_dev, ms[i].scan_seconds);
	}
	if (o->format == AU_F_PROM && o->out_name != stdout_name) {
		if (prom_file(ms, n, o))
			return -2;
	} else {
		output(ms, n, o, now() - t0, first);
		if (out_check(o, false))
			return -2;
	}
	if (plot.fp && au_plot_add(&plot, ms, n, now() - t0))
		return -2;
	st = report_trust(ms, n, first);
	if (st || !o->assert_set)
		return st;
	a = assert_double(ms, n, o);
	return a;
}

static int run(struct au_mount *ms, size_t n, const struct au_opts *o)
{
	double t0 = now(), next = t0;
	struct timespec ts;
	int st = 0, s;
	long k;

	for (k = 0; ; k++) {
		s = sample(ms, n, o, t0, k == 0);
		if (s < 0)
			return -s;	/* the output is gone: no more samples */
		st = s > st ? s : st;
		if (!o->watch || (o->count && k + 1 >= o->count) || stop)
			return st;
		next += o->watch;
		if (next > now() && !stop) {
			ts.tv_sec = (time_t)(next - now());
			ts.tv_nsec = (long)((next - now() - ts.tv_sec) * 1e9);
			nanosleep(&ts, NULL);
		}
	}
}

static int open_out(struct au_opts *o)
{
	struct au_atomic probe;
	int err;

	if (!o->out_name) {
		o->out = stdout;
		o->out_name = stdout_name;
		return 0;
	}
	if (o->format == AU_F_PROM) {
		/* refused now, before any scan; FILE itself is not touched */
		o->out = stdout;
		err = au_atomic_open(&probe, o->out_name);
		if (err)
			au_err("-o %s: cannot create a file in its directory (%s); give a writable directory, e.g. node_exporter's --collector.textfile.directory",
			       o->out_name, strerror(-err));
		else
			au_atomic_abort(&probe);
		return err ? -1 : 0;
	}
	o->out = fopen(o->out_name, "w");
	if (!o->out) {
		au_err("-o %s: %s", o->out_name, strerror(errno));
		return -1;
	}
	return 0;
}

int cmd_audit(int argc, char **argv)
{
	struct au_mount *ms = NULL;
	struct au_opts o;
	size_t n = 0;
	int ret;

	ret = parse_opts(argc, argv, &o);
	if (ret)
		return ret > 0 ? 0 : 2;
	if (open_out(&o) || (o.plot && au_plot_open(&plot, o.plot)))
		return 2;
	if (o.watch)
		catch_stop();
	au_page = sysconf(_SC_PAGESIZE);
	if (optind < argc)
		ret = au_mounts_for_args(argv + optind, argc - optind, &ms, &n);
	else
		ret = au_mounts_all(&ms, &n);
	if (ret) {
		au_plot_close(&plot);
		au_mounts_free(ms, n);
		out_check(&o, true);
		return 2;
	}
	if (!n) {
		au_plot_close(&plot);
		au_err("no file-backed EROFS mounts found; mount one or name a path on one");
		if (o.json)
			au_print_json(NULL, 0, &o);
		/* no series: a mount that went away leaves none behind */
		if (o.format == AU_F_PROM && o.out_name != stdout_name)
			return prom_file(NULL, 0, &o) ? 2 : 0;
		if (o.format == AU_F_PROM)
			au_print_prom(NULL, 0, &o, o.out);
		return out_check(&o, true);
	}
	ret = run(ms, n, &o);
	if (plot.fp && plot.samples && au_plot_render(&plot, ms))
		ret = 2;
	au_plot_close(&plot);
	au_mounts_free(ms, n);
	return out_check(&o, true) ? 2 : ret;
}
