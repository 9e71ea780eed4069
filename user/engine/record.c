// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading records: detect the form from the first bytes, read the binary
 * form (the text form is record_text.c's), and feed the engine.
 *
 * The binary form (layout in tests/data/README.md): a 32-byte header, the
 * probe table, then records of an 8-byte head {u16 kind, u16 0, u32 len}
 * and LEN bytes padded to 8; the last record is the end marker with the
 * event count and the CRC32 of every byte before it.  Reading streams
 * through a fixed buffer: memory does not grow with the record.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "engine.h"
#include "evtext.h"
#include "record_int.h"

_Static_assert(sizeof(struct bin_header) == DT_REC_HDR_SIZE, "binary header layout");
_Static_assert(sizeof(struct dt_event) % 8 == 0, "events keep records 8-aligned");

const char *dt_rec_format_name(enum dt_rec_format f)
{
	switch (f) {
	case DT_REC_BINARY: return "binary record";
	case DT_REC_TEXT: return "text record";
	case DT_REC_LEGACY: return "legacy text stream";
	}
	return "?";
}

struct dt_rec_reader *dt_rec_reader_new(FILE *in)
{
	struct dt_rec_reader *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->buf = malloc(DT_REC_BUF + 1);
	if (!r->buf) {
		free(r);
		return NULL;
	}
	r->cap = DT_REC_BUF;
	r->in = in;
	r->crc = crc32(0, NULL, 0);
	return r;
}

void dt_rec_reader_free(struct dt_rec_reader *r)
{
	if (!r)
		return;
	free(r->buf);
	free(r->line);
	free(r);
}

const char *dt_rec_error(const struct dt_rec_reader *r)
{
	return r->err;
}

const char *dt_rec_where(const struct dt_rec_reader *r)
{
	return r->where;
}

unsigned int dt_rec_lineno(const struct dt_rec_reader *r)
{
	return r->lineno;
}

uint64_t dt_rec_nr_events(const struct dt_rec_reader *r)
{
	return r->events;
}

bool dt_rec_truncated(const struct dt_rec_reader *r)
{
	return r->trunc[0] != '\0';
}

void dt_rec_crc_to(struct dt_rec_reader *r, size_t idx)
{
	if (idx > r->crc_mark)
		r->crc = crc32(r->crc, (const Bytef *)r->buf + r->crc_mark, idx - r->crc_mark);
	r->crc_mark = idx;
}

int dt_rec_fill(struct dt_rec_reader *r, size_t need)
{
	size_t n;

	if (r->end - r->pos >= need || r->eof)
		return 0;
	if (r->pos + need > r->cap) {
		dt_rec_crc_to(r, r->pos);
		memmove(r->buf, r->buf + r->pos, r->end - r->pos);
		r->base += r->pos;
		r->end -= r->pos;
		r->crc_mark = 0;
		r->pos = 0;
	}
	while (r->end - r->pos < need && !r->eof) {
		n = fread(r->buf + r->end, 1, r->cap - r->end, r->in);
		r->end += n;
		if (n)
			continue;
		if (ferror(r->in))
			return dt_rec_bad(r, -EIO, "read error: %s", strerror(errno ? errno : EIO));
		r->eof = true;
	}
	return 0;
}

void dt_rec_cut(struct dt_rec_reader *r, uint64_t off, const char *fmt, ...)
{
	char what[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(r->trunc, sizeof(r->trunc), "byte %llu: %s", (unsigned long long)off, what);
	r->state = RS_TRUNCATED;
}

int dt_rec_bad(struct dt_rec_reader *r, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
	if (r->fmt == DT_REC_BINARY)
		snprintf(r->where, sizeof(r->where), "byte %llu",
			 (unsigned long long)(r->base + r->pos));
	else
		snprintf(r->where, sizeof(r->where), "%u", r->lineno);
	r->state = RS_DONE;
	return err;
}

int dt_rec_after_end(struct dt_rec_reader *r)
{
	int err = dt_rec_fill(r, 1);

	if (err)
		return err;
	if (r->end > r->pos)
		return dt_rec_bad(r, -EINVAL, "data after the end marker (two records "
				  "concatenated?); keep one record per file");
	r->state = RS_DONE;	/* dt_rec_cut() may still turn it into TRUNCATED */
	return 0;
}

/* ---- binary ---- */

static int bin_check_header(struct dt_rec_reader *r, const struct bin_header *b,
			    struct dt_rec_header *h)
{
	if (memcmp(b->magic, DT_REC_MAGIC, 8))
		return dt_rec_bad(r, -EINVAL, "not an erofs-diotrace record (bad magic)");
	if (b->bom != DT_REC_BOM)
		return dt_rec_bad(r, -EINVAL, "record written on a machine of the other byte order; "
				  "export it there with 'replay --text'");
	if (b->version != DT_REC_VERSION || b->hdr_size != DT_REC_HDR_SIZE)
		return dt_rec_bad(r, -EINVAL, "record format %u is not supported (this build reads "
				  "format %u); use a newer erofs-diotrace", b->version, DT_REC_VERSION);
	if (b->ev_version != DT_EVENT_VERSION || b->ev_size != sizeof(struct dt_event))
		return dt_rec_bad(r, -EINVAL, "record of event format v%u (%u bytes); this build "
				  "reads v%u (%zu bytes)", b->ev_version, b->ev_size,
				  DT_EVENT_VERSION, sizeof(struct dt_event));
	if (b->nr_roles > DT_ROLE_MAX * 4)
		return dt_rec_bad(r, -EINVAL, "probe table of %u entries is corrupt", b->nr_roles);
	r->ev_size = b->ev_size;
	r->roles_left = b->nr_roles;
	r->flags = b->flags;
	h->page_size = b->page_size;
	h->flags = b->flags;
	return 0;
}

/* the longest payload a record may have */
static uint32_t max_len(unsigned int kind, unsigned int ev_size)
{
	switch (kind) {
	case DT_RI_EVENT: return ev_size;
	case DT_RI_ROLE: return 8 + DT_REC_TEXT_MAX;
	case DT_RI_COUNTERS: return 8 + 8 * 64;
	case DT_RI_LOST: return 8;
	case DT_RI_INCONCLUSIVE: case DT_RI_TRUNCATED: return DT_REC_TEXT_MAX;
	case DT_RI_PC_OUTSIDE: return 40;
	case DT_RK_END: return 16;
	}
	return 0;
}

static bool len_ok(unsigned int kind, uint32_t len, unsigned int ev_size)
{
	switch (kind) {
	case DT_RI_EVENT: return len == ev_size;
	case DT_RI_ROLE: return len >= 8 && len <= max_len(kind, ev_size);
	case DT_RI_COUNTERS: return len >= 8 && len % 8 == 0 && len <= max_len(kind, ev_size);
	case DT_RI_INCONCLUSIVE: case DT_RI_TRUNCATED: return len <= max_len(kind, ev_size);
	default: return max_len(kind, ev_size) && len == max_len(kind, ev_size);
	}
}

static const char *copy_text(struct dt_rec_reader *r, const char *p, size_t n)
{
	size_t i;

	if (n >= sizeof(r->text))
		n = sizeof(r->text) - 1;
	for (i = 0; i < n; i++)	/* one line of text, whatever the bytes said */
		r->text[i] = p[i] == '\0' || p[i] == '\n' || p[i] == '\r' ? ' ' : p[i];
	r->text[n] = '\0';
	return r->text;
}

void dt_rec_check_end(struct dt_rec_reader *r, uint64_t off, uint32_t crc, uint64_t events)
{
	if (crc != r->crc)
		dt_rec_cut(r, off, "checksum mismatch (end marker says %08x, the record gives %08x)",
			   crc, r->crc);
	else if (events != r->events)
		dt_rec_cut(r, off, "the end marker says %llu events, the record holds %llu",
			   (unsigned long long)events, (unsigned long long)r->events);
}

static int bin_end(struct dt_rec_reader *r, const char *p, uint64_t off)
{
	uint64_t events;
	uint32_t crc;
	int err;

	memcpy(&events, p, 8);
	memcpy(&crc, p + 8, 4);
	dt_rec_crc_to(r, r->pos);
	r->pos += 8 + 16;
	err = dt_rec_after_end(r);
	if (err)
		return err;
	dt_rec_check_end(r, off, crc, events);
	return 0;
}

/* 1: item; 0: end marker or cut (r->state says which); <0: error */
static int bin_next(struct dt_rec_reader *r, struct dt_rec_item *it)
{
	const struct rec_head *hd;
	uint64_t off;
	const char *p;
	uint32_t len, padded;
	unsigned int i, n;
	int err;

	err = dt_rec_fill(r, 8);
	if (err)
		return err;
	off = r->base + r->pos;
	if (r->end - r->pos < 8) {
		if (r->end == r->pos)
			dt_rec_cut(r, off, "no end marker after %llu events",
				   (unsigned long long)r->events);
		else
			dt_rec_cut(r, off, "cut inside a record head");
		return 0;
	}
	hd = (const struct rec_head *)(r->buf + r->pos);
	len = hd->len;
	if (hd->zero || !len_ok(hd->kind, len, r->ev_size)) {
		dt_rec_cut(r, off, "corrupt record (kind %u, %u bytes)", hd->kind, len);
		return 0;
	}
	padded = (len + 7) & ~7u;
	err = dt_rec_fill(r, 8 + padded);
	if (err)
		return err;
	if (r->end - r->pos < 8 + padded) {
		dt_rec_cut(r, off, "cut inside a record of %u bytes", 8 + padded);
		return 0;
	}
	hd = (const struct rec_head *)(r->buf + r->pos);
	p = r->buf + r->pos + 8;
	if (r->roles_left && hd->kind != DT_RI_ROLE) {
		dt_rec_cut(r, off, "probe table ends early");
		return 0;
	}
	if (hd->kind == DT_RK_END)
		return bin_end(r, p, off);
	memset(it, 0, offsetof(struct dt_rec_item, cnt));
	it->kind = hd->kind;
	switch (hd->kind) {
	case DT_RI_EVENT:
		it->ev = (const struct dt_event *)p;
		if (it->ev->version != DT_EVENT_VERSION || !it->ev->type ||
		    it->ev->type >= DT_EV_MAX) {
			dt_rec_cut(r, off, "corrupt event (version %u, type %u)",
				   it->ev->version, it->ev->type);
			return 0;
		}
		r->events++;
		break;
	case DT_RI_ROLE:
		memcpy(&it->role.role, p, 4);
		memcpy(&i, p + 4, 4);
		it->role.bound = i == DT_REC_ROLE_BOUND;
		if (it->role.role >= DT_ROLE_MAX || (i != DT_REC_ROLE_BOUND && i != DT_REC_ROLE_UNBOUND)) {
			dt_rec_cut(r, off, "corrupt probe-table entry");
			return 0;
		}
		it->text = copy_text(r, p + 8, len - 8);
		if (r->roles_left)
			r->roles_left--;
		break;
	case DT_RI_COUNTERS:
		memcpy(&n, p, 4);
		if (n != (len - 8) / 8) {
			dt_rec_cut(r, off, "corrupt counters record");
			return 0;
		}
		memset(it->cnt, 0, sizeof(it->cnt));
		memcpy(it->cnt, p + 8, 8 * (n < DT_CNT_MAX ? n : DT_CNT_MAX));
		break;
	case DT_RI_LOST:
		memcpy(&it->lost, p, 8);
		break;
	case DT_RI_INCONCLUSIVE: case DT_RI_TRUNCATED:
		it->text = copy_text(r, p, len);
		break;
	case DT_RI_PC_OUTSIDE:
		memcpy(&it->pc.dev, p, 8);
		memcpy(&it->pc.ino, p + 8, 8);
		memcpy(&it->pc.added, p + 16, 8);
		memcpy(&it->pc.deleted, p + 24, 8);
		memcpy(&i, p + 32, 4);
		it->pc.erofs = i;
		break;
	}
	r->pos += 8 + padded;
	return 1;
}

static bool next_is_role(struct dt_rec_reader *r, const struct dt_rec_header *h)
{
	const struct rec_head *hd;
	uint32_t role;

	if (dt_rec_fill(r, 16) || r->end - r->pos < 16)
		return false;
	hd = (const struct rec_head *)(r->buf + r->pos);
	memcpy(&role, r->buf + r->pos + 8, 4);
	return hd->kind == DT_RI_ROLE && role < DT_ROLE_MAX && !h->roles[role].state;
}

static int bin_header(struct dt_rec_reader *r, struct dt_rec_header *h)
{
	struct bin_header b;
	struct dt_rec_item it;
	int err;

	r->fmt = DT_REC_BINARY;
	err = dt_rec_fill(r, DT_REC_HDR_SIZE);
	if (err)
		return err;
	if (r->end - r->pos < DT_REC_HDR_SIZE) {
		if (memcmp(r->buf, DT_REC_MAGIC, r->end - r->pos < 8 ? r->end - r->pos : 8))
			return dt_rec_bad(r, -EINVAL, "not an erofs-diotrace record (bad magic)");
		dt_rec_cut(r, r->end, "cut inside the header");
		return 0;
	}
	memcpy(&b, r->buf + r->pos, sizeof(b));
	err = bin_check_header(r, &b, h);
	if (err)
		return err;
	r->pos += DT_REC_HDR_SIZE;
	/* the probe table: the role records before any other, each role once */
	while ((r->roles_left || next_is_role(r, h)) && (err = bin_next(r, &it)) > 0) {
		h->roles[it.role.role].state = it.role.bound ? DT_REC_ROLE_BOUND : DT_REC_ROLE_UNBOUND;
		snprintf(h->roles[it.role.role].text, DT_REC_TEXT_MAX, "%s", it.text);
	}
	return err < 0 ? err : 0;
}

int dt_rec_read_header(struct dt_rec_reader *r, struct dt_rec_header *h)
{
	int err;

	memset(h, 0, sizeof(*h));
	err = dt_rec_fill(r, 8);
	if (err)
		return err;
	if (r->end == r->pos) {
		r->fmt = h->format = DT_REC_LEGACY;
		dt_rec_cut(r, 0, "empty stream");
		return 0;
	}
	if ((uint8_t)r->buf[r->pos] == (uint8_t)DT_REC_MAGIC[0])
		err = bin_header(r, h);
	else
		err = dt_rec_text_header(r, h);
	h->format = r->fmt;
	return err;
}

int dt_rec_next(struct dt_rec_reader *r, struct dt_rec_item *it)
{
	int n;

	if (r->state == RS_READING) {
		n = r->fmt == DT_REC_BINARY ? bin_next(r, it) : dt_rec_text_next(r, it);
		if (n)
			return n;
	}
	if (r->state != RS_TRUNCATED)
		return 0;
	r->state = RS_DONE;
	memset(it, 0, sizeof(*it));
	it->kind = DT_RI_TRUNCATED;
	it->text = r->trunc;
	return 1;
}

/* ---- into the engine ---- */

int dt_rec_replay_header(const struct dt_rec_header *h, struct dt_engine *e)
{
	unsigned int i;

	for (i = 0; i < DT_ROLE_MAX; i++)
		if (h->roles[i].state == DT_REC_ROLE_BOUND)
			dt_engine_note_bound(e, i, h->roles[i].text);
		else if (h->roles[i].state == DT_REC_ROLE_UNBOUND)
			dt_engine_note_unbound(e, i, h->roles[i].text);
	return 0;
}

/* lost counts add up, but never wrap: at 2^64-1 they stay there */
static void note_lost(struct dt_engine *e, uint64_t *sum, uint64_t n)
{
	if (n > UINT64_MAX - *sum) {
		if (*sum != UINT64_MAX)
			dt_engine_note_inconclusive(e, "the lost-event count of the record saturated "
						    "at 2^64-1: the record is corrupt or the loss "
						    "is beyond counting");
		n = UINT64_MAX - *sum;
	}
	*sum += n;
	if (n)
		dt_engine_note_lost(e, n);
}

int dt_rec_replay(struct dt_rec_reader *r, struct dt_engine *e)
{
	struct dt_rec_item it;
	uint64_t lost = 0;
	int n;

	while ((n = dt_rec_next(r, &it)) > 0) {
		switch (it.kind) {
		case DT_RI_EVENT:
			if (dt_engine_feed(e, it.ev) == -ENOMEM)
				return dt_rec_bad(r, -ENOMEM, "out of memory");
			break;
		case DT_RI_ROLE:
			if (it.role.bound)
				dt_engine_note_bound(e, it.role.role, it.text);
			else
				dt_engine_note_unbound(e, it.role.role, it.text);
			break;
		case DT_RI_COUNTERS:
			dt_engine_note_counters(e, it.cnt);
			break;
		case DT_RI_LOST:
			note_lost(e, &lost, it.lost);
			break;
		case DT_RI_INCONCLUSIVE:
			dt_engine_note_inconclusive(e, it.text);
			break;
		case DT_RI_PC_OUTSIDE:
			dt_engine_note_pc_outside(e, it.pc.dev, it.pc.ino, it.pc.erofs,
						  it.pc.added, it.pc.deleted);
			break;
		case DT_RI_TRUNCATED:
			dt_engine_note_truncated(e, it.text);
			break;
		default:
			break;
		}
	}
	return n;
}

int dt_rec_copy(struct dt_rec_reader *r, const struct dt_rec_header *h, struct dt_rec_writer *w)
{
	struct dt_rec_item it;
	int n, err;

	err = dt_rec_write_header(w, h);
	while (!err && (n = dt_rec_next(r, &it)) > 0)
		err = dt_rec_write_item(w, &it);
	if (err)
		return err;
	return n < 0 ? n : dt_rec_write_end(w);
}

int dt_evtext_replay(FILE *in, struct dt_engine *e, unsigned int *lineno)
{
	struct dt_rec_reader *r = dt_rec_reader_new(in);
	struct dt_rec_header h;
	int err;

	if (!r)
		return -ENOMEM;
	err = dt_rec_read_header(r, &h);
	if (!err)
		err = dt_rec_replay_header(&h, e);
	if (!err)
		err = dt_rec_replay(r, e);
	*lineno = dt_rec_lineno(r);
	if (err)
		dt_evtext_fail("%s", dt_rec_error(r));
	dt_rec_reader_free(r);
	return err;
}
