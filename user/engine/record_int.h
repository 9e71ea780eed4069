/* SPDX-License-Identifier: GPL-2.0-only */
/* The record reader's state, shared by record.c (binary) and record_text.c. */
#ifndef __DT_RECORD_INT_H
#define __DT_RECORD_INT_H

#include "record.h"

#define DT_REC_MAGIC		"\x89" "DTREC\r\n"	/* 8 bytes, never text */
#define DT_REC_BOM		0x01020304u
#define DT_REC_HDR_SIZE		32
#define DT_REC_BUF		(256 * 1024)
#define DT_REC_LINE_MAX		(64 * 1024)

/* binary record kinds: DT_RI_* plus the end marker */
#define DT_RK_END		0x7f

/* binary layout, in the byte order of the machine that wrote it (bom) */
struct rec_head {
	uint16_t kind;
	uint16_t zero;
	uint32_t len;
};

struct bin_header {
	char magic[8];
	uint32_t bom;
	uint16_t version;
	uint16_t hdr_size;
	uint16_t ev_version;
	uint16_t ev_size;
	uint32_t page_size;
	uint32_t flags;
	uint32_t nr_roles;
};

struct dt_rec_reader {
	FILE *in;
	char *buf;		/* [pos, end) not consumed yet; one spare byte */
	size_t cap, pos, end;
	uint64_t base;		/* offset in the stream of buf[0] */
	uint32_t crc;		/* of the stream up to base + crc_mark */
	size_t crc_mark;
	bool eof;
	enum dt_rec_format fmt;
	uint32_t flags;
	unsigned int lineno;
	uint64_t events;
	unsigned int ev_size;	/* binary: the header's event size */
	unsigned int roles_left; /* binary: probe-table entries still to read */
	enum { RS_READING, RS_TRUNCATED, RS_DONE } state;
	char trunc[256];	/* the TRUNCATED item's text, when state says so */
	char err[320];
	char where[48];
	struct dt_event ev;	/* text events are parsed here */
	char text[DT_REC_TEXT_MAX];
	char *line;		/* text: directive lines are parsed in a copy */
};

/* buffer: make [pos, end) hold NEED bytes, or as many as the stream has left */
int dt_rec_fill(struct dt_rec_reader *r, size_t need);
/* fold the bytes before buf[idx] into the checksum */
void dt_rec_crc_to(struct dt_rec_reader *r, size_t idx);
/* set the TRUNCATED state: "byte N: what" */
void dt_rec_cut(struct dt_rec_reader *r, uint64_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* a hard error: -EINVAL (or ERR) with r->err set */
int dt_rec_bad(struct dt_rec_reader *r, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* the data after an end marker: none is allowed */
int dt_rec_after_end(struct dt_rec_reader *r);
/* the end marker at OFF says CRC and EVENTS: compare them with what was read */
void dt_rec_check_end(struct dt_rec_reader *r, uint64_t off, uint32_t crc, uint64_t events);

/* record_text.c */
int dt_rec_text_header(struct dt_rec_reader *r, struct dt_rec_header *h);
int dt_rec_text_next(struct dt_rec_reader *r, struct dt_rec_item *it);

#endif
