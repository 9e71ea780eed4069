// SPDX-License-Identifier: GPL-2.0-only
/* Open addressing with linear probing; the table is kept at most 1/2 full. */
#include <errno.h>
#include <stdlib.h>
#include "hash.h"

static size_t slot(uint64_t a, uint64_t b, size_t mask)
{
	uint64_t x = a * 0x9e3779b97f4a7c15ull ^ (b + 0x632be59bd9b4e019ull) * 0xbf58476d1ce4e5b9ull;

	x ^= x >> 29;
	return (size_t)x & mask;
}

void dt_hash_free(struct dt_hash *h)
{
	free(h->t);
	h->t = NULL;
	h->mask = h->n = 0;
}

struct dt_hent *dt_hash_get(const struct dt_hash *h, uint64_t a, uint64_t b)
{
	size_t i;

	if (!h->n)
		return NULL;
	for (i = slot(a, b, h->mask); h->t[i].p; i = (i + 1) & h->mask)
		if (h->t[i].a == a && h->t[i].b == b)
			return &h->t[i];
	return NULL;
}

static void insert(struct dt_hent *t, size_t mask, const struct dt_hent *e)
{
	size_t i = slot(e->a, e->b, mask);

	while (t[i].p)
		i = (i + 1) & mask;
	t[i] = *e;
}

static int grow(struct dt_hash *h)
{
	size_t cap = h->mask ? (h->mask + 1) * 2 : 16, i;
	struct dt_hent *t;

	if (cap < h->mask + 1)	/* size_t overflow */
		return -ENOMEM;
	t = calloc(cap, sizeof(*t));
	if (!t)
		return -ENOMEM;
	for (i = 0; h->mask && i <= h->mask; i++)
		if (h->t[i].p)
			insert(t, cap - 1, &h->t[i]);
	free(h->t);
	h->t = t;
	h->mask = cap - 1;
	return 0;
}

int dt_hash_put(struct dt_hash *h, uint64_t a, uint64_t b, void *p, uint32_t aux)
{
	size_t i;

	/* room first (at most half full), then one probe: replace or insert */
	if ((!h->mask || (h->n + 1) * 2 > h->mask + 1) && grow(h))
		return -ENOMEM;
	for (i = slot(a, b, h->mask); h->t[i].p; i = (i + 1) & h->mask)
		if (h->t[i].a == a && h->t[i].b == b)
			break;
	if (!h->t[i].p)
		h->n++;
	h->t[i] = (struct dt_hent){ a, b, p, aux };
	return 0;
}

void dt_hash_del_ent(struct dt_hash *h, struct dt_hent *e)
{
	size_t i, j, k;

	i = e - h->t;
	h->t[i].p = NULL;
	h->n--;
	/* backward shift: move up every entry whose probe run crossed slot i */
	for (j = (i + 1) & h->mask; h->t[j].p; j = (j + 1) & h->mask) {
		k = slot(h->t[j].a, h->t[j].b, h->mask);
		if ((j > i && (k <= i || k > j)) || (j < i && k <= i && k > j)) {
			h->t[i] = h->t[j];
			h->t[j].p = NULL;
			i = j;
		}
	}
}

bool dt_hash_del(struct dt_hash *h, uint64_t a, uint64_t b)
{
	struct dt_hent *e = dt_hash_get(h, a, b);

	if (!e)
		return false;
	dt_hash_del_ent(h, e);
	return true;
}

bool dt_hash_del_if(struct dt_hash *h, uint64_t a, uint64_t b, const void *p)
{
	struct dt_hent *e = dt_hash_get(h, a, b);

	if (!e || e->p != p)
		return false;
	dt_hash_del_ent(h, e);
	return true;
}
