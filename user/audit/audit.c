// SPDX-License-Identifier: GPL-2.0-only
/*
 * erofs-diotrace audit [OPTIONS] [MOUNTPOINT|FILE...]
 *
 * Page-cache footprint of file-backed EROFS mounts: for each file, how much
 * is cached in the EROFS inode, how much of its data is cached in the
 * backing image file, and how much is cached in both at once.  No BPF.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "audit.h"
#include "commands.h"

static void usage(FILE *fp)
{
	fprintf(fp,
"Usage: erofs-diotrace audit [OPTIONS] [MOUNTPOINT|FILE...]\n"
"Page-cache footprint of file-backed EROFS mounts (default: all of them).\n"
"\n"
"  -b, --bytes               sizes in bytes, not human-readable\n"
"  -J, --json                JSON output\n"
"  -n, --noheadings          no header lines\n"
"  -s, --sort KEY            name (default), erofs, backing, double, size\n"
"  -t, --top N               show only the first N files (after sorting)\n"
"  -w, --watch SECONDS       sample every SECONDS: one line (or JSON line) a mount\n"
"  -c, --count N             with --watch: stop after N samples\n"
"      --method M            residency via auto (default), cachestat or mincore\n"
"      --assert-max-double BYTES\n"
"                            exit 1 if more than BYTES are double-cached,\n"
"                            2 if the numbers cannot be trusted\n"
"  -h, --help                this text\n"
"\n"
"Columns: EROFS = cached in the EROFS file; BACKING = cached in the image file\n"
"for this file's data; DOUBLE = EROFS pages whose data is cached in the image\n"
"too; UNATTRIBUTED = image cache no audited file maps (metadata, compressed).\n");
}

static int parse_enum(const char *s, const char *const *names, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

static int parse_num(const char *s, double *v)
{
	char *end;

	*v = strtod(s, &end);
	return (end == s || *end || !isfinite(*v) || *v < 0) ? -1 : 0;
}

static int bad(const char *what, const char *val)
{
	au_err("invalid %s '%s'; see 'erofs-diotrace audit --help'", what, val);
	return -1;
}

static int parse_one(int c, const char *arg, struct au_opts *o)
{
	static const char *const sorts[] = { "name", "erofs", "backing", "double", "size" };
	static const char *const methods[] = { "auto", "cachestat", "mincore" };
	double v;
	int k;

	switch (c) {
	case 'b': o->bytes = true; return 0;
	case 'J': o->json = true; return 0;
	case 'n': o->noheadings = true; return 0;
	case 's':
		k = parse_enum(arg, sorts, 5);
		return k < 0 ? bad("sort key", arg) : (o->sort = k, 0);
	case 'm':
		k = parse_enum(arg, methods, 3);
		return k < 0 ? bad("method", arg) : (o->method = k, 0);
	case 't':
		return parse_num(arg, &v) || v != floor(v) ? bad("--top", arg) : (o->top = v, 0);
	case 'c':
		return parse_num(arg, &v) || v < 1 || v != floor(v) ? bad("--count", arg) : (o->count = v, 0);
	case 'w':
		return parse_num(arg, &v) || v <= 0 ? bad("--watch interval", arg) : (o->watch = v, 0);
	case 'A':
		o->assert_set = true;
		return au_parse_size(arg, &o->assert_max) ? bad("--assert-max-double", arg) : 0;
	}
	return -1;
}

static int parse_opts(int argc, char **argv, struct au_opts *o)
{
	static const struct option lo[] = {
		{ "bytes", no_argument, NULL, 'b' },
		{ "json", no_argument, NULL, 'J' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "sort", required_argument, NULL, 's' },
		{ "top", required_argument, NULL, 't' },
		{ "watch", required_argument, NULL, 'w' },
		{ "count", required_argument, NULL, 'c' },
		{ "method", required_argument, NULL, 'm' },
		{ "assert-max-double", required_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int c;

	*o = (struct au_opts){ .top = -1 };
	while ((c = getopt_long(argc, argv, "bJns:t:w:c:h", lo, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 1;
		}
		if (c == '?' || parse_one(c, optarg, o))
			return -1;
	}
	if (o->count && !o->watch) {
		au_err("--count needs --watch SECONDS");
		return -1;
	}
	return 0;
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

static void output(struct au_mount *ms, size_t n, const struct au_opts *o, double t, bool first)
{
	size_t i;

	if (o->watch)
		return au_print_watch(ms, n, o, t, first);
	if (o->json)
		return au_print_json(ms, n, o);
	for (i = 0; i < n; i++) {
		if (i)
			putchar('\n');
		au_print_table(&ms[i], o);
	}
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
	}
	output(ms, n, o, now() - t0, first);
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
		st = s > st ? s : st;
		if (!o->watch || (o->count && k + 1 >= o->count))
			return st;
		next += o->watch;
		if (next > now()) {
			ts.tv_sec = (time_t)(next - now());
			ts.tv_nsec = (long)((next - now() - ts.tv_sec) * 1e9);
			nanosleep(&ts, NULL);
		}
	}
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
	au_page = sysconf(_SC_PAGESIZE);
	if (optind < argc)
		ret = au_mounts_for_args(argv + optind, argc - optind, &ms, &n);
	else
		ret = au_mounts_all(&ms, &n);
	if (ret) {
		au_mounts_free(ms, n);
		return 2;
	}
	if (!n) {
		au_err("no file-backed EROFS mounts found; mount one or name a path on one");
		if (o.json)
			au_print_json(NULL, 0, &o);
		return 0;
	}
	ret = run(ms, n, &o);
	au_mounts_free(ms, n);
	return ret;
}
