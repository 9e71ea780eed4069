/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Synthetic event streams for the engine benchmark: N user reads over F
 * EROFS files of one file-backed image, from four threads whose events
 * interleave, as an rfc kernel with every probe bound would emit them.
 *
 * The mix (per 1000 reads): 550 buffered page-cache hits (req_start and
 * req_end only), 200 buffered misses (readahead: extent, EROFS and backing
 * page-cache inserts, one backing read), 200 direct reads with a buffered
 * backing read, 50 direct reads with an asynchronous (directio) backing
 * read completed by a kworker.  Every fail_every-th read is instead one of
 * three RFC defects (wrong backing offset, done < total with EIO, a backing
 * completion after the read returned), each a FAIL for the engine.
 *
 * Deterministic for a given (nreq, nfiles, fail_every, seed); streamed in
 * constant memory.
 */
#ifndef __DT_BENCH_GEN_H
#define __DT_BENCH_GEN_H

#include <stdint.h>
#include "diotrace.h"

#define BGEN_THREADS	4
#define BGEN_MAX_EV	12	/* most events one read produces */

struct bgen_list {
	struct dt_event ev[BGEN_MAX_EV];
	unsigned int n, next;
};

struct bgen {
	uint64_t nreq, nfiles, fail_every;
	uint64_t rng, ts, serial;
	uint64_t reqs, events, fails;	/* generated so far */
	struct bgen_list list[BGEN_THREADS];
	unsigned int live;		/* lists with events left */
};

void bgen_init(struct bgen *g, uint64_t nreq, uint64_t nfiles, uint64_t fail_every,
	       uint64_t seed);
/* the next event in stream order: 1, or 0 once every read is out */
int bgen_next(struct bgen *g, struct dt_event *ev);

/* the image's device numbers, kernel dev_t (major << 20 | minor) */
#define BGEN_EROFS_DEV	35ull			/* 0:35 */
#define BGEN_IMG_DEV	((254ull << 20) | 1)	/* 254:1 */
#define BGEN_IMG_INO	12ull

#endif
