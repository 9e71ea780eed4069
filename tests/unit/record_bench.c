// SPDX-License-Identifier: GPL-2.0-only
/*
 * Benchmark of the record reader alone (no engine): events/s for the binary
 * and the text form of a synthetic record of N events, cycled from the
 * streams in tests/data with rising timestamps.  Wall clock and CPU time
 * (the CPU figure is what one dedicated core gives on a shared machine).
 *
 *   record_bench [N] [DIR]      (default 2000000 events, DIR /tmp)
 *
 * For instructions per event: valgrind --tool=callgrind record_bench 100000
 */
#include <errno.h>
#include <glob.h>
#include <time.h>
#include <unistd.h>
#include "unit.h"
#include "record.h"

#define POOL	4096

static double clock_s(clockid_t c)
{
	struct timespec t;

	clock_gettime(c, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static size_t load_pool(struct dt_event *pool)
{
	const char *dir = getenv("DT_DATA");
	char pat[1024];
	size_t i, n = 0;
	glob_t g;

	snprintf(pat, sizeof(pat), "%s/*.events", dir ? dir : "tests/data");
	if (glob(pat, 0, NULL, &g))
		return 0;
	for (i = 0; i < g.gl_pathc && n < POOL; i++) {
		FILE *f = fopen(g.gl_pathv[i], "r");
		unsigned int line = 0;

		while (f && n < POOL && dt_evtext_read(f, &pool[n], &line) == 1)
			n++;
		if (f)
			fclose(f);
	}
	globfree(&g);
	return n;
}

static int generate(const char *bin, const char *text, long n)
{
	static struct dt_event pool[POOL];
	struct dt_rec_header h = { .page_size = 4096, .flags = DT_REC_F_STAMPED };
	struct dt_rec_writer *wb, *wt;
	size_t np = load_pool(pool);
	struct dt_event ev;
	long i;
	int eb, et;

	if (!np)
		return -ENOENT;
	wb = dt_rec_writer_create(bin, DT_REC_BINARY);
	wt = dt_rec_writer_create(text, DT_REC_TEXT);
	if (!wb || !wt)
		return -errno;
	dt_rec_write_header(wb, &h);
	dt_rec_write_header(wt, &h);
	for (i = 0; i < n; i++) {
		ev = pool[i % np];
		ev.ts_ns = 1700000000000000000ull + i * 1000;
		ev.drops = i / 100000;
		if (ev.cookie)
			ev.cookie += (uint64_t)(i / np) << 12;
		dt_rec_write_event(wb, &ev);
		dt_rec_write_event(wt, &ev);
	}
	dt_rec_write_end(wb);
	dt_rec_write_end(wt);
	eb = dt_rec_writer_close(wb);
	et = dt_rec_writer_close(wt);
	return eb ? eb : et;
}

static int measure(const char *path)
{
	double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID), w, c;
	FILE *f = fopen(path, "r");
	struct dt_rec_reader *r = f ? dt_rec_reader_new(f) : NULL;
	struct dt_rec_header h;
	struct dt_rec_item it;
	long events = 0;
	int k, bad;

	if (!r || dt_rec_read_header(r, &h))
		return -1;
	while ((k = dt_rec_next(r, &it)) > 0)
		events += it.kind == DT_RI_EVENT;
	w = clock_s(CLOCK_MONOTONIC) - w0;
	c = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
	bad = k || dt_rec_truncated(r);
	printf("%-13s %ld events: %.2f M events/s wall, %.2f M events/s CPU%s\n",
	       dt_rec_format_name(h.format), events, events / w / 1e6, events / c / 1e6,
	       bad ? " (READ ERROR)" : "");
	dt_rec_reader_free(r);
	fclose(f);
	return bad ? -1 : 0;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 2000000;
	const char *dir = argc > 2 ? argv[2] : "/tmp";
	char bin[1024], text[1024];
	int err;

	snprintf(bin, sizeof(bin), "%s/dt-bench-%d.rec", dir, (int)getpid());
	snprintf(text, sizeof(text), "%s/dt-bench-%d.txtrec", dir, (int)getpid());
	err = generate(bin, text, n);
	if (!err)
		err = measure(bin) | measure(text);
	else
		fprintf(stderr, "record_bench: cannot write the records: %s\n", strerror(-err));
	unlink(bin);
	unlink(text);
	return err ? 1 : 0;
}
