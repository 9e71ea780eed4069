/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Recorded traces: one reader and one writer for both forms of a record,
 * the compact binary form (`run --record`) and the text form (`run
 * --record-text`, `replay --text`, the streams in tests/data).  The layout
 * of both is in tests/data/README.md.
 *
 * A record is a header (format version, page size, probe table), a
 * sequence of items (events and notes) and an end marker carrying the
 * event count and a CRC32 of every byte before it.  A record that lacks its
 * end marker, is cut mid-item or fails its checksum still replays the items
 * that could be read, followed by a DT_RI_TRUNCATED item saying where: the
 * engine turns that into INCONCLUSIVE, never PASS or FAIL.
 */
#ifndef __DT_RECORD_H
#define __DT_RECORD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "diotrace.h"

#define DT_REC_VERSION		1	/* binary and text record format */
#define DT_REC_F_STAMPED	0x1	/* events carry a valid loss stamp (drops) */
#define DT_REC_TEXT_MAX		1024	/* longest note or role text kept */

enum dt_rec_format {
	DT_REC_BINARY = 1,
	DT_REC_TEXT,		/* text with a !format line and an !end line */
	DT_REC_LEGACY,		/* hand-written text without them: not crash-checked */
};

/* the probe table: for each role, which program bound it or why none did */
struct dt_rec_role {
	uint8_t state;		/* 0: not stated, 1: bound, 2: unbound */
	char text[DT_REC_TEXT_MAX];
};
#define DT_REC_ROLE_BOUND	1
#define DT_REC_ROLE_UNBOUND	2

struct dt_rec_header {
	enum dt_rec_format format;
	uint32_t page_size;	/* 0: not known */
	uint32_t flags;		/* DT_REC_F_* */
	struct dt_rec_role roles[DT_ROLE_MAX];
};

enum dt_rec_kind {
	DT_RI_EVENT = 1,
	DT_RI_ROLE,		/* a probe-table entry given after the header */
	DT_RI_COUNTERS,		/* BPF counters, cumulative snapshot */
	DT_RI_LOST,		/* events lost (adds up, saturating) */
	DT_RI_INCONCLUSIVE,
	DT_RI_PC_OUTSIDE,	/* page-cache changes folded per file by BPF */
	DT_RI_TRUNCATED,	/* the record is incomplete at text */
	DT_RI_MAX,
};

struct dt_rec_item {
	enum dt_rec_kind kind;
	const struct dt_event *ev;	/* EVENT: valid until the next read */
	const char *text;		/* ROLE, INCONCLUSIVE, TRUNCATED: likewise */
	union {
		struct { uint32_t role; bool bound; } role;
		uint64_t lost;
		uint64_t cnt[DT_CNT_MAX];
		struct { uint64_t dev, ino, added, deleted; bool erofs; } pc;
	};
};

/* ---- reading: any form, detected from the first bytes ---- */

struct dt_rec_reader;
struct dt_engine;

/* NULL only when out of memory; the reader never closes IN */
struct dt_rec_reader *dt_rec_reader_new(FILE *in);
void dt_rec_reader_free(struct dt_rec_reader *r);
/* detect the form and read the header: 0, or -errno with dt_rec_error() */
int dt_rec_read_header(struct dt_rec_reader *r, struct dt_rec_header *h);
/* 1: *it is the next item; 0: end of the record; -errno: bad input */
int dt_rec_next(struct dt_rec_reader *r, struct dt_rec_item *it);
/* what was wrong, and where: "line 5" (text) or "byte 1234" (binary) */
const char *dt_rec_error(const struct dt_rec_reader *r);
const char *dt_rec_where(const struct dt_rec_reader *r);
unsigned int dt_rec_lineno(const struct dt_rec_reader *r);	/* text only */
uint64_t dt_rec_nr_events(const struct dt_rec_reader *r);
bool dt_rec_truncated(const struct dt_rec_reader *r);

/*
 * Feed the header's probe table and every item to the engine (after
 * dt_rec_read_header); lost counts add up saturating.  0 or -errno.
 */
int dt_rec_replay_header(const struct dt_rec_header *h, struct dt_engine *e);
int dt_rec_replay(struct dt_rec_reader *r, struct dt_engine *e);

/* ---- writing: streams, bounded memory; every error is kept ---- */

struct dt_rec_writer;

/* write to OUT (closed by dt_rec_writer_close if own); NULL: out of memory */
struct dt_rec_writer *dt_rec_writer_new(FILE *out, enum dt_rec_format fmt, bool own);
/* open PATH for writing; NULL with errno set */
struct dt_rec_writer *dt_rec_writer_create(const char *path, enum dt_rec_format fmt);
/* each returns 0 or the first -errno this writer met (it stays failed) */
int dt_rec_write_header(struct dt_rec_writer *w, const struct dt_rec_header *h);
int dt_rec_write_event(struct dt_rec_writer *w, const struct dt_event *ev);
int dt_rec_write_item(struct dt_rec_writer *w, const struct dt_rec_item *it);
int dt_rec_write_role(struct dt_rec_writer *w, enum dt_role role, bool bound, const char *text);
int dt_rec_write_lost(struct dt_rec_writer *w, uint64_t lost);
int dt_rec_write_inconclusive(struct dt_rec_writer *w, const char *why);
int dt_rec_write_counters(struct dt_rec_writer *w, const uint64_t cnt[DT_CNT_MAX]);
int dt_rec_write_pc_outside(struct dt_rec_writer *w, uint64_t dev, uint64_t ino, bool erofs,
			    uint64_t added, uint64_t deleted);
/* the end marker, then flush: the record is complete */
int dt_rec_write_end(struct dt_rec_writer *w);
/* close (fclose if own) and free; 0 or the first -errno, close errors included */
int dt_rec_writer_close(struct dt_rec_writer *w);
uint64_t dt_rec_writer_events(const struct dt_rec_writer *w);

/* copy a record read by R into W (header, items, end marker): export/convert */
int dt_rec_copy(struct dt_rec_reader *r, const struct dt_rec_header *h, struct dt_rec_writer *w);

const char *dt_rec_format_name(enum dt_rec_format f);
const char *dt_counter_name(enum dt_counter c);

#endif
