/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the engine keeps per user read request: the extents it mapped, the
 * backing reads it caused, the page-cache inserts made while it was in
 * flight, the byte ledger computed from them and the result of every check.
 * Read-only for callers (report, tests) through dt_engine_request().
 */
#ifndef __DT_LEDGER_H
#define __DT_LEDGER_H

#include <stdbool.h>
#include <stdint.h>
#include "diotrace.h"
#include "engine.h"

#define DT_UNKNOWN	UINT64_MAX	/* a counter the kernel did not let us read */
#define DT_EIOCBQUEUED	529

enum dt_check {
	DT_CHK_RETURN = 0,	/* returned == requested, clamped at EOF */
	DT_CHK_DONE,		/* kernel done == total */
	DT_CHK_LEDGER,		/* done == inline + zero-filled + backing bytes */
	DT_CHK_COVER,		/* backing reads cover the mapped extents */
	DT_CHK_OFFSET,		/* each backing read lands where its extent says */
	DT_CHK_NOCACHE,		/* no EROFS page-cache insert during a direct read */
	DT_CHK_ASYNC,		/* backing reads complete before the request returns */
	DT_CHK_DIRECT,		/* expect_dio: the read was direct */
	DT_CHK_MAX,
};

enum dt_status {
	DT_ST_NA = 0,		/* does not apply to this request */
	DT_ST_PASS,
	DT_ST_FAIL,
	DT_ST_INCONCLUSIVE,
};

/*
 * why is formatted only for requests whose text is wanted (kept details, a
 * report's close callback): read it with dt_engine_why().  gap says which
 * evidence problem made the check INCONCLUSIVE (DT_GAP_NONE otherwise).
 */
struct dt_check_result {
	enum dt_status st;
	enum dt_gap gap;
	char why[192];
};

struct dt_ext_rec {
	uint64_t m_la, m_pa, m_llen, m_plen;
	uint32_t m_flags, m_deviceid;
	int32_t err;
};

struct dt_bk_rec {
	uint64_t rq;		/* links submit, return and completion */
	uint64_t dev, ino;	/* backing file */
	int64_t pos;
	uint64_t len;
	int64_t ret;		/* vfs_iocb_iter_read() return, valid if ret_seen */
	int64_t result;		/* completion result, valid if done_seen */
	uint32_t flags;
	uint32_t done_tid;
	bool ret_seen, done_seen;
	bool late;		/* completed after the request had returned */
	bool after_dio;		/* submitted after the DIO returned: the buffered
				 * fallback of generic_file_read_iter() */
	bool bad_offset;	/* does not land where the extent says */
	int64_t expect_pos;	/* where the extent says it should land, -1 unknown */
	uint64_t logical;	/* file offset it was matched to, if expect_pos >= 0 */
};

struct dt_ledger {
	uint64_t requested;	/* req.len */
	uint64_t expected;	/* requested, clamped at EOF */
	int64_t returned;	/* req.ret: bytes or -errno */
	uint64_t total, done;	/* the kernel's io.total/io.done, or inferred */
	bool counters_read;	/* total/done were read from the kernel */
	const char *done_from;	/* "kernel", "dio_return", "return" or "inferred" */
	uint64_t inline_bytes;	/* META extents, clipped to the request */
	uint64_t zero_bytes;	/* holes */
	uint64_t mapped_bytes;	/* MAPPED extents: to be read from the backing file */
	uint64_t unmapped_bytes; /* part of the request no extent covered */
	uint64_t bk_submitted;	/* bytes asked of the backing file */
	uint64_t bk_completed;	/* bytes the backing file delivered */
	uint64_t bk_fallback;	/* read from the backing file after the DIO returned */
	uint64_t bk_past_eof;	/* of bk_submitted: asked past EOF (the last block rounded up) */
	uint64_t bk_past_eof_done; /* of bk_completed: delivered past EOF, not part of done */
	uint64_t erofs_pc_bytes; /* inserted into the EROFS inode's page cache */
	uint64_t backing_pc_bytes; /* inserted into backing files' page cache */
	unsigned int nr_extents, nr_backing;
	unsigned int bad_offsets, late_completions, pending;
};

struct dt_rq {
	uint64_t id;		/* 1, 2, ... in order of REQ_START */
	uint64_t cookie;
	uint32_t pid, tid;
	char comm[DT_COMM_LEN];
	uint16_t source;
	uint64_t dev, ino;	/* the EROFS inode */
	int64_t pos;
	uint64_t len, isize;
	uint32_t flags, fd;
	uint32_t bufmis;	/* DT_BUF_KNOWN | user buffer address mod 64 KiB */
	uint64_t ts_start, ts_end;
	bool direct;		/* IOCB_DIRECT, or the DIO path was entered */
	bool ended;		/* finished: returned, or completed if queued */
	bool dio_seen, dio_ended;
	bool queued;		/* read_iter returned -EIOCBQUEUED: it ends in ki_complete() */
	bool completed;		/* that completion (REQ_DONE) was seen */
	bool double_done;	/* completed through ki_complete() and returned a result too */
	int64_t completion;	/* the result ki_complete() was given */
	uint64_t ts_done;
	struct dt_dio dio_in, dio_out;	/* DIO_START / DIO_END payloads */

	struct dt_ext_rec *ext;
	unsigned int nr_ext, cap_ext;
	struct dt_bk_rec *bk;
	unsigned int nr_bk, cap_bk;

	struct dt_ledger l;
	struct dt_check_result chk[DT_CHK_MAX];
	enum dt_verdict verdict;

	/* evidence: loss stamps and how the events were linked */
	uint64_t drops0;	/* the REQ_START's loss stamp */
	uint64_t drops_max;	/* the highest stamp of its events */
	bool touched;		/* an event carried another stamp than drops0 */
	bool start_cookie;	/* REQ_START carried the cookie */
	bool end_by_cookie;	/* REQ_END was found by its cookie */
	bool weak_end;		/* REQ_END was linked by tid only */
	bool weak_any;		/* some event was linked by tid only */
	enum dt_gap closed_by;	/* closed before its end: evicted, lost, ... */
	bool why_ready;		/* chk[].why formatted */

	/* engine bookkeeping */
	struct dt_rq *lru_prev, *lru_next;	/* in-flight, oldest first */
	struct dt_rq *tid_prev;			/* older in-flight request of this tid */
	uint32_t file;				/* index of its dt_file */
	bool in_flight;
};

/* one EROFS file or backing file the trace touched */
struct dt_file {
	uint64_t dev, ino;
	bool erofs;
	uint64_t requests, direct, buffered, failed, inconclusive, untracked;
	uint64_t bytes_requested, bytes_returned;
	uint64_t pc_in_reads;	/* page-cache bytes inserted during tracked reads */
	uint64_t pc_outside;	/* ... and outside any tracked read */
	uint64_t pc_deleted;
	uint64_t bk_reads, bk_bytes;	/* backing files: reads submitted on it */
	uint64_t failed_weak;	/* of failed: not kept, FAIL only if no event was lost */
	uint64_t map_added, map_deleted; /* last cumulative dt_engine_note_pc_outside() */
};

/* an O_DIRECT open of an EROFS file that the kernel refused */
struct dt_open_rec {
	uint64_t dev, ino;
	uint32_t pid, tid;
	int32_t ret, flags;
	char comm[DT_COMM_LEN];
	char path[DT_PATH_MAX];
};

struct dt_stats {
	uint64_t events;		/* fed */
	uint64_t skipped;		/* received but not fed (dt_engine_note_skipped) */
	uint64_t lost;			/* dt_engine_note_lost(), or the drop counter */
	uint64_t untracked;		/* requests closed early: in-flight table full */
	uint64_t superseded;		/* closed when their tid started another read
					 * after a loss: their end was lost */
	uint64_t touched;		/* requests with events dropped while in flight */
	uint64_t fail_weak;		/* FAILs that rest on tid-linked evidence */
	uint64_t details_dropped;	/* FAIL/INCONCLUSIVE beyond opts.max_details */
	uint64_t queued_returns;	/* backing reads returning -EIOCBQUEUED */
	uint64_t queued_reqs;		/* user reads returning -EIOCBQUEUED */
	uint64_t completions;		/* ... whose ki_complete() was seen */
	uint64_t declined;		/* IOCB_NOWAIT reads declined with -EAGAIN */
	uint64_t orphans[DT_EV_MAX];	/* events no tracked request claimed */
	uint64_t reordered;		/* events that arrived before an older one */
	uint64_t bad_events;		/* unknown type or version */
	uint64_t role_events[DT_ROLE_MAX];
	uint64_t requests, direct, buffered;
	uint64_t pass, fail, inconclusive;
	uint64_t refused_opens;		/* O_DIRECT -> EINVAL on EROFS */
	uint64_t erofs_opens;
	/* buffered reads: the double-caching measurement */
	uint64_t buf_bytes_returned, buf_erofs_pc, buf_backing_pc;
};

const char *dt_check_name(enum dt_check c);	/* stable JSON key */
const char *dt_check_title(enum dt_check c);	/* human wording */
const char *dt_status_name(enum dt_status s);
const char *dt_event_name(enum dt_event_type t);
const char *dt_source_name(enum dt_source s);
const char *dt_errno_name(int64_t err);		/* "EIO", or NULL */
int dt_role_parse(const char *name);		/* -1 if unknown */

#endif /* __DT_LEDGER_H */
