// SPDX-License-Identifier: GPL-2.0-only
/*
 * audit: count cached, backing-cached and double-cached bytes.
 *
 * Unit of account is the page.  An EROFS page is double-cached when it is
 * resident and every backing page holding its data is resident too; it then
 * counts a full page, as fincore counts pages.  A file's backing-cached bytes
 * are its distinct resident backing pages (deduplicated chunks count once).
 * Backing pages no audited file maps are "unattributed": metadata (inodes,
 * directories, chunk indexes) and compressed clusters.
 */
#include <stdlib.h>
#include <string.h>
#include "audit.h"

enum { P_UNMAPPED = 0, P_ALL_RESIDENT = 1, P_SOME_MISSING = 2 };

struct counter {
	struct au_mount *m;
	struct au_file *f;
	uint8_t *state;		/* per EROFS page */
	uint32_t stamp;
	uint64_t nbpages;
};

static void backing_page(struct counter *c, uint64_t p, uint64_t b)
{
	bool res = b < c->nbpages && c->m->bres[b];

	if (b < c->nbpages && c->m->bown[b] != c->stamp) {
		c->m->bown[b] = c->stamp;
		if (res)
			c->f->backing_cached += au_page;
	}
	if (!res)
		c->state[p] = P_SOME_MISSING;
	else if (c->state[p] == P_UNMAPPED)
		c->state[p] = P_ALL_RESIDENT;
}

/* file bytes [lo, hi) of extent e, all within EROFS page p */
static void segment(struct counter *c, const struct au_ext *e, uint64_t p,
		    uint64_t lo, uint64_t hi)
{
	uint64_t plo = e->physical + (lo - e->logical);
	uint64_t phi = plo + (hi - lo);
	uint64_t b;

	for (b = plo / au_page; b <= (phi - 1) / au_page; b++)
		backing_page(c, p, b);
}

static void extent(struct counter *c, const struct au_ext *e, uint64_t limit)
{
	uint64_t lo = e->logical, hi = e->logical + e->len, p, s, t;

	if (hi > limit)
		hi = limit;
	for (p = lo / au_page; lo < hi && p <= (hi - 1) / au_page; p++) {
		s = p * au_page > lo ? p * au_page : lo;
		t = (p + 1) * au_page < hi ? (p + 1) * au_page : hi;
		segment(c, e, p, s, t);
	}
}

static uint64_t count_pages(const uint8_t *v, uint64_t n)
{
	uint64_t i, k = 0;

	for (i = 0; i < n; i++)
		k += v[i] != 0;
	return k;
}

void au_count_file(struct au_mount *m, struct au_file *f, uint32_t idx)
{
	uint64_t np = (f->size + au_page - 1) / au_page, p;
	struct counter c = { m, f, NULL, idx + 1, 0 };
	size_t i;

	f->erofs_cached = count_pages(f->eres, np) * au_page;
	f->backing_cached = f->double_cached = AU_UNKNOWN;
	if (f->labels & AU_L_NORES)
		f->erofs_cached = AU_UNKNOWN;
	/* neither side of a compressed file is a copy of the other; a block
	 * device is read without the page cache of any file */
	else if ((f->labels & AU_L_COMPRESSED) || m->kind == AU_KIND_BDEV)
		f->double_cached = 0;
	if (!m->bres || (f->labels & (AU_L_COMPRESSED | AU_L_NOMAP | AU_L_NORES)))
		return;
	c.state = calloc(np + 1, 1);
	if (!c.state)
		return;
	c.nbpages = (m->bsize + au_page - 1) / au_page;
	f->backing_cached = f->double_cached = 0;
	for (i = 0; i < f->next; i++)
		extent(&c, &f->ext[i], np * au_page);
	for (p = 0; p < np; p++)
		if (f->eres[p] && c.state[p] == P_ALL_RESIDENT)
			f->double_cached += au_page;
	free(c.state);
}

static uint64_t add(uint64_t a, uint64_t b)
{
	return a == AU_UNKNOWN || b == AU_UNKNOWN ? AU_UNKNOWN : a + b;
}

void au_count_totals(struct au_mount *m)
{
	uint64_t nb = (m->bsize + au_page - 1) / au_page, b;
	size_t i;

	/* a total with an unknown part is unknown: partial sums are not merged */
	for (i = 0; i < m->nfiles; i++) {
		m->erofs_cached = add(m->erofs_cached, m->files[i].erofs_cached);
		m->double_cached = add(m->double_cached, m->files[i].double_cached);
	}
	if (!m->bres) {
		m->backing_cached = m->backing_total = m->unattributed = AU_UNKNOWN;
		return;
	}
	for (b = 0; b < nb; b++) {
		if (!m->bres[b])
			continue;
		m->backing_total += au_page;
		if (m->bown[b])
			m->backing_cached += au_page;
	}
	m->unattributed = m->backing_total - m->backing_cached;
}
