/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small open-addressing hash table (linear probing, backward-shift
 * deletion, no tombstones): two 64-bit words of key, a pointer and a 32-bit
 * word of value.  The engine keys files by (dev, ino), requests by cookie and
 * by tid, and backing reads by their rq address with it.
 */
#ifndef __DT_HASH_H
#define __DT_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dt_hent {
	uint64_t a, b;		/* key */
	void *p;		/* value; NULL marks a free slot */
	uint32_t aux;
};

struct dt_hash {
	struct dt_hent *t;
	size_t mask;		/* capacity - 1 (a power of two), 0 when empty */
	size_t n;
};

void dt_hash_free(struct dt_hash *h);
/* the entry for key (a, b), or NULL */
struct dt_hent *dt_hash_get(const struct dt_hash *h, uint64_t a, uint64_t b);
/* set (or replace) the value of key (a, b); p must not be NULL; 0 or -ENOMEM */
int dt_hash_put(struct dt_hash *h, uint64_t a, uint64_t b, void *p, uint32_t aux);
/* remove key (a, b) if it is there; true if it was */
bool dt_hash_del(struct dt_hash *h, uint64_t a, uint64_t b);
/* remove key (a, b) only if its value is p; true if it was removed */
bool dt_hash_del_if(struct dt_hash *h, uint64_t a, uint64_t b, const void *p);
/* remove the entry x (from dt_hash_get) */
void dt_hash_del_ent(struct dt_hash *h, struct dt_hent *x);

#endif
