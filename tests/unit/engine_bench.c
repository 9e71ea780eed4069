// SPDX-License-Identifier: GPL-2.0-only
/*
 * engine_bench REQUESTS [FILES [THREADS [dry|JSONFILE]]]: feed the engine a synthetic
 * trace of clean direct reads (8 events each: req, dio, extent, backing
 * submit/return/completion) spread over FILES files and THREADS threads,
 * and print events/s.  Peak RSS comes from /usr/bin/time -v, instructions
 * per event from valgrind --tool=callgrind ("dry" builds the events without
 * feeding them: subtract its count; JSONFILE streams the JSON report there).
 * Not a test: figures only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "engine.h"
#include "ledger.h"
#include "report.h"

static struct dt_event ev(unsigned int type, uint64_t ts, uint32_t tid, uint64_t ino)
{
	struct dt_event e = {
		.version = DT_EVENT_VERSION, .type = type, .source = DT_SRC_FENTRY,
		.pid = tid, .tid = tid, .ts_ns = ts, .dev = 35, .ino = ino, .comm = "fio",
	};

	return e;
}

static bool dry;

static void feed(struct dt_engine *e, const struct dt_event *x)
{
	if (dry) {
		__asm__ volatile("" : : "r"(x) : "memory");	/* keep the event built */
		return;
	}
	if (dt_engine_feed(e, x)) {
		fprintf(stderr, "engine_bench: feed failed\n");
		exit(2);
	}
}

int main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 100000;
	uint64_t files = argc > 2 ? strtoull(argv[2], NULL, 10) : 64;
	uint64_t threads = argc > 3 ? strtoull(argv[3], NULL, 10) : 4;
	struct dt_engine_opts o = { .loss_stamped = true };
	struct dt_report_opts ro = { .json = argc > 4 && strcmp(argv[4], "dry") ? argv[4] : NULL };
	struct dt_report *r = dt_report_new(&ro);
	struct dt_engine *e;
	const char *what;
	struct timespec t0, t1;
	uint64_t i, ts = 1000, evs = 0;
	double s;

	if (!r)
		return 2;
	dt_report_attach(r, &o);
	e = dt_engine_new(&o);
	if (!e || !files || !threads)
		return 2;
	dry = argc > 4 && !strcmp(argv[4], "dry");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		uint32_t tid = 1000 + i % threads;
		uint64_t ino = 100 + i % files, cookie = 0xffffc90000000000ull + (i % 4096) * 0x100;
		uint64_t pos = (i / files) % 256 * 4096, bkrq = 0xffff888000000000ull + (i % 8192) * 64;
		struct dt_event x = ev(DT_EV_REQ_START, ts += 500, tid, ino);

		x.cookie = cookie;
		x.req = (struct dt_req){ .pos = pos, .len = 4096, .isize = 1 << 20,
					 .flags = DT_IOCB_DIRECT, .fd = ~0u };
		feed(e, &x);
		x.type = DT_EV_DIO_START;
		x.ts_ns = ts += 500;
		x.dio = (struct dt_dio){ .pos = pos, .count = 4096, .total = DT_UNKNOWN,
					 .done = DT_UNKNOWN, .isize = 1 << 20 };
		feed(e, &x);
		x = ev(DT_EV_EXTENT, ts += 500, tid, ino);
		x.ext = (struct dt_extent){ .m_la = 0, .m_pa = ino << 20, .m_llen = 1 << 20,
					    .m_plen = 1 << 20, .m_flags = DT_MAP_MAPPED };
		feed(e, &x);
		x = ev(DT_EV_BACKING_SUBMIT, ts += 500, tid, 12);
		x.dev = 254 << 20 | 1;
		x.bk = (struct dt_backing){ .rq = bkrq, .pos = (ino << 20) + pos, .len = 4096,
					    .flags = DT_IOCB_DIRECT };
		feed(e, &x);
		x.type = DT_EV_BACKING_RET;
		x.ts_ns = ts += 500;
		x.bk.ret = -DT_EIOCBQUEUED;
		feed(e, &x);
		x.type = DT_EV_BACKING_DONE;
		x.ts_ns = ts += 500;
		x.bk.ret = 4096;
		feed(e, &x);
		x = ev(DT_EV_DIO_END, ts += 500, tid, ino);
		x.cookie = cookie;
		x.dio = (struct dt_dio){ .pos = pos, .count = 4096, .total = DT_UNKNOWN,
					 .done = DT_UNKNOWN, .ret = 4096, .isize = 1 << 20 };
		feed(e, &x);
		x = ev(DT_EV_REQ_END, ts += 500, tid, ino);
		x.cookie = cookie;
		x.req = (struct dt_req){ .pos = pos, .len = 4096, .isize = 1 << 20, .ret = 4096,
					 .flags = DT_IOCB_DIRECT, .fd = ~0u };
		feed(e, &x);
		evs += 8;
	}
	dt_engine_finish(e);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("requests %llu files %llu events %llu: %.2f s, %.2f M events/s; verdict %s, "
	       "%llu PASS, %llu kept\n", (unsigned long long)n, (unsigned long long)files,
	       (unsigned long long)evs, s, evs / s / 1e6, dt_verdict_name(dt_engine_verdict(e)),
	       (unsigned long long)dt_engine_stats(e)->pass,
	       (unsigned long long)dt_engine_nr_requests(e));
	if (dt_report_end(r, e, &what))
		fprintf(stderr, "engine_bench: cannot write %s\n", what);
	dt_report_free(r);
	dt_engine_free(e);
	return 0;
}
