// SPDX-License-Identifier: GPL-2.0-only
/*
 * Writing records, binary or text, as the reader expects them: every write
 * is checked and the first error sticks (the writer refuses to go on, and
 * dt_rec_writer_close() returns it).  Nothing is kept but the running
 * checksum and the event count.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "evtext.h"
#include "record_int.h"

struct dt_rec_writer {
	FILE *out;
	bool own, started, ended;
	enum dt_rec_format fmt;
	uint32_t crc;
	uint64_t events;
	int err;
	char line[DT_EVTEXT_LINE_MAX];
};

struct dt_rec_writer *dt_rec_writer_new(FILE *out, enum dt_rec_format fmt, bool own)
{
	struct dt_rec_writer *w;

	if (fmt != DT_REC_BINARY && fmt != DT_REC_TEXT) {
		errno = EINVAL;
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->out = out;
	w->own = own;
	w->fmt = fmt;
	w->crc = crc32(0, NULL, 0);
	return w;
}

struct dt_rec_writer *dt_rec_writer_create(const char *path, enum dt_rec_format fmt)
{
	struct dt_rec_writer *w;
	FILE *f = fopen(path, "w");
	int err;

	if (!f)
		return NULL;
	w = dt_rec_writer_new(f, fmt, true);
	if (!w) {
		err = errno;
		fclose(f);
		errno = err;
	}
	return w;
}

uint64_t dt_rec_writer_events(const struct dt_rec_writer *w)
{
	return w->events;
}

static int put(struct dt_rec_writer *w, const void *p, size_t n)
{
	if (w->err)
		return w->err;
	w->crc = crc32(w->crc, p, n);
	errno = 0;
	if (fwrite(p, 1, n, w->out) != n)
		w->err = errno ? -errno : -EIO;
	return w->err;
}

static int usable(struct dt_rec_writer *w)
{
	if (!w->err && (!w->started || w->ended))
		w->err = -EINVAL;	/* a bug of the caller: no header, or after the end */
	return w->err;
}

/* one binary record: head, payload A then B, zero padding to 8 bytes */
static int put_rec(struct dt_rec_writer *w, unsigned int kind, const void *a, size_t na,
		   const void *b, size_t nb)
{
	static const char zero[8];
	uint32_t len = na + nb;
	struct rec_head head = { kind, 0, len };
	char buf[8 + sizeof(struct dt_event)];

	if (kind == DT_RI_EVENT) {	/* the hot path: one write */
		memcpy(buf, &head, 8);
		memcpy(buf + 8, a, na);
		return put(w, buf, 8 + na);
	}
	if (put(w, &head, 8) || (na && put(w, a, na)) || (nb && put(w, b, nb)))
		return w->err;
	return (len & 7) ? put(w, zero, 8 - (len & 7)) : 0;
}

static size_t text_len(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	return n < DT_REC_TEXT_MAX ? n : DT_REC_TEXT_MAX - 1;
}

static int put_text_item(struct dt_rec_writer *w, const struct dt_rec_item *it)
{
	int n = dt_evtext_format_item(w->line, it);

	if (n < 0)
		return w->err = n;
	return put(w, w->line, n);
}

static int put_bin_item(struct dt_rec_writer *w, const struct dt_rec_item *it)
{
	uint32_t pair[2], cnt_n[2] = { DT_CNT_MAX, 0 };
	uint64_t pc[5];

	switch (it->kind) {
	case DT_RI_EVENT:
		return put_rec(w, it->kind, it->ev, sizeof(*it->ev), NULL, 0);
	case DT_RI_ROLE:
		pair[0] = it->role.role;
		pair[1] = it->role.bound ? DT_REC_ROLE_BOUND : DT_REC_ROLE_UNBOUND;
		return put_rec(w, it->kind, pair, 8, it->text, text_len(it->text));
	case DT_RI_COUNTERS:
		return put_rec(w, it->kind, cnt_n, 8, it->cnt, sizeof(it->cnt));
	case DT_RI_LOST:
		return put_rec(w, it->kind, &it->lost, 8, NULL, 0);
	case DT_RI_INCONCLUSIVE: case DT_RI_TRUNCATED:
		return put_rec(w, it->kind, it->text, text_len(it->text), NULL, 0);
	case DT_RI_PC_OUTSIDE:
		pc[0] = it->pc.dev;
		pc[1] = it->pc.ino;
		pc[2] = it->pc.added;
		pc[3] = it->pc.deleted;
		pc[4] = it->pc.erofs;
		return put_rec(w, it->kind, pc, sizeof(pc), NULL, 0);
	default:
		return w->err = -EINVAL;
	}
}

int dt_rec_write_item(struct dt_rec_writer *w, const struct dt_rec_item *it)
{
	if (usable(w))
		return w->err;
	if (it->kind == DT_RI_ROLE && it->role.role >= DT_ROLE_MAX)
		return w->err = -EINVAL;
	if (it->kind == DT_RI_EVENT) {
		if (it->ev->version != DT_EVENT_VERSION || !it->ev->type ||
		    it->ev->type >= DT_EV_MAX)
			return w->err = -EINVAL;
		w->events++;
	}
	return w->fmt == DT_REC_BINARY ? put_bin_item(w, it) : put_text_item(w, it);
}

int dt_rec_write_event(struct dt_rec_writer *w, const struct dt_event *ev)
{
	int n;

	if (w->fmt == DT_REC_TEXT || usable(w)) {
		struct dt_rec_item it = { .kind = DT_RI_EVENT, .ev = ev };

		return dt_rec_write_item(w, &it);
	}
	if (ev->version != DT_EVENT_VERSION || !ev->type || ev->type >= DT_EV_MAX)
		return w->err = -EINVAL;
	n = put_rec(w, DT_RI_EVENT, ev, sizeof(*ev), NULL, 0);
	w->events += !n;
	return n;
}

int dt_rec_write_role(struct dt_rec_writer *w, enum dt_role role, bool bound, const char *text)
{
	struct dt_rec_item it = { .kind = DT_RI_ROLE, .text = text, .role = { role, bound } };

	return dt_rec_write_item(w, &it);
}

int dt_rec_write_lost(struct dt_rec_writer *w, uint64_t lost)
{
	struct dt_rec_item it = { .kind = DT_RI_LOST, .lost = lost };

	return dt_rec_write_item(w, &it);
}

int dt_rec_write_inconclusive(struct dt_rec_writer *w, const char *why)
{
	struct dt_rec_item it = { .kind = DT_RI_INCONCLUSIVE, .text = why };

	return dt_rec_write_item(w, &it);
}

int dt_rec_write_counters(struct dt_rec_writer *w, const uint64_t cnt[DT_CNT_MAX])
{
	struct dt_rec_item it = { .kind = DT_RI_COUNTERS };

	memcpy(it.cnt, cnt, sizeof(it.cnt));
	return dt_rec_write_item(w, &it);
}

int dt_rec_write_pc_outside(struct dt_rec_writer *w, uint64_t dev, uint64_t ino, bool erofs,
			    uint64_t added, uint64_t deleted)
{
	struct dt_rec_item it = { .kind = DT_RI_PC_OUTSIDE };

	it.pc.dev = dev;
	it.pc.ino = ino;
	it.pc.erofs = erofs;
	it.pc.added = added;
	it.pc.deleted = deleted;
	return dt_rec_write_item(w, &it);
}

static unsigned int nr_roles(const struct dt_rec_header *h)
{
	unsigned int i, n = 0;

	for (i = 0; i < DT_ROLE_MAX; i++)
		n += h->roles[i].state == DT_REC_ROLE_BOUND || h->roles[i].state == DT_REC_ROLE_UNBOUND;
	return n;
}

static int put_header(struct dt_rec_writer *w, const struct dt_rec_header *h)
{
	struct bin_header b = {
		.bom = DT_REC_BOM, .version = DT_REC_VERSION, .hdr_size = DT_REC_HDR_SIZE,
		.ev_version = DT_EVENT_VERSION, .ev_size = sizeof(struct dt_event),
		.page_size = h->page_size, .flags = h->flags, .nr_roles = nr_roles(h),
	};
	int n;

	if (w->fmt == DT_REC_TEXT) {
		n = snprintf(w->line, sizeof(w->line), "!format erofs-diotrace %u event=%u page=%u "
			     "stamped=%u\n", DT_REC_VERSION, DT_EVENT_VERSION, h->page_size,
			     !!(h->flags & DT_REC_F_STAMPED));
		return put(w, w->line, n);
	}
	memcpy(b.magic, DT_REC_MAGIC, 8);
	return put(w, &b, sizeof(b));
}

int dt_rec_write_header(struct dt_rec_writer *w, const struct dt_rec_header *h)
{
	unsigned int i;

	if (!w->err && w->started)
		w->err = -EINVAL;
	if (w->err || put_header(w, h))
		return w->err;
	w->started = true;
	for (i = 0; i < DT_ROLE_MAX && !w->err; i++)
		if (h->roles[i].state == DT_REC_ROLE_BOUND || h->roles[i].state == DT_REC_ROLE_UNBOUND)
			dt_rec_write_role(w, i, h->roles[i].state == DT_REC_ROLE_BOUND,
					  h->roles[i].text);
	return w->err;
}

int dt_rec_write_end(struct dt_rec_writer *w)
{
	uint32_t crc = w->crc, tail[4];
	int n;

	if (usable(w))
		return w->err;
	if (w->fmt == DT_REC_TEXT) {
		n = snprintf(w->line, sizeof(w->line), "!end events=%llu crc=%08x\n",
			     (unsigned long long)w->events, crc);
		put(w, w->line, n);
	} else {
		memcpy(tail, &w->events, 8);
		tail[2] = crc;
		tail[3] = 0;
		put_rec(w, DT_RK_END, tail, 16, NULL, 0);
	}
	w->ended = true;
	if (!w->err && fflush(w->out))
		w->err = errno ? -errno : -EIO;
	return w->err;
}

int dt_rec_writer_close(struct dt_rec_writer *w)
{
	int err;

	if (!w)
		return 0;
	err = w->err;
	if (w->own) {
		errno = 0;
		if (fclose(w->out) && !err)
			err = errno ? -errno : -EIO;
	} else if (!err && fflush(w->out)) {
		err = errno ? -errno : -EIO;
	}
	free(w);
	return err;
}
