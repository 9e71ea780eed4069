// SPDX-License-Identifier: GPL-2.0-only
/*
 * audit: read bytes of a mount's image (superblock, on-disk inodes) without
 * leaving them in its page cache, the double caching the audit measures.
 *
 * A page the image's cache holds already is read through it: no device
 * read, nothing changes.  Any other page is read once a scan with O_DIRECT
 * (one descriptor a mount) and kept in a small direct-mapped cache, so the
 * inodes of a directory's files, packed in a few blocks, cost a few reads
 * in all rather than one a file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "audit.h"

#define AU_BLK_N	64	/* pages kept a mount: 256 KiB with 4 KiB pages */

struct au_blk {
	uint64_t page[AU_BLK_N];	/* page index + 1, 0 = empty */
	size_t len[AU_BLK_N];		/* bytes the read returned */
	uint8_t *data;			/* AU_BLK_N pages, page-aligned */
};

static struct au_blk *blk_get(struct au_mount *m)
{
	struct au_blk *b;

	if (m->blk)
		return m->blk;
	b = calloc(1, sizeof(*b));
	if (!b || posix_memalign((void **)&b->data, au_page, AU_BLK_N * au_page)) {
		free(b);
		return NULL;
	}
	m->blk = b;
	return b;
}

static ssize_t read_direct(struct au_mount *m, uint64_t base, uint8_t *dst)
{
	if (m->dfd < 0)
		m->dfd = open(m->source, O_RDONLY | O_DIRECT | O_CLOEXEC);
	if (m->dfd < 0)
		return -1;
	m->peek_dev++;
	return pread(m->dfd, dst, au_page, base);
}

/* one page of the image into dst; bytes read, or -1 */
static ssize_t load(struct au_mount *m, uint64_t base, uint8_t *dst)
{
	ssize_t n;

	if (au_page_resident(m->bfd, base))
		return pread(m->bfd, dst, au_page, base);
	n = read_direct(m, base, dst);
	if (n >= 0)
		return n;
	/* no O_DIRECT here (e.g. tmpfs): read buffered, then drop the page */
	n = pread(m->bfd, dst, au_page, base);
	posix_fadvise(m->bfd, base, au_page, POSIX_FADV_DONTNEED);
	return n;
}

/* len bytes at off of the image into buf, all within one page; 0 or -1 */
int au_peek(struct au_mount *m, uint64_t off, void *buf, size_t len)
{
	uint64_t base = off & ~(uint64_t)(au_page - 1), pg = off / au_page;
	struct au_blk *b = blk_get(m);
	unsigned int s = pg % AU_BLK_N;
	uint8_t *slot;
	ssize_t n;

	if (!b || m->bfd < 0 || off - base + len > (uint64_t)au_page)
		return -1;
	slot = b->data + (size_t)s * au_page;
	if (b->page[s] != pg + 1) {
		n = load(m, base, slot);
		b->page[s] = n > 0 ? pg + 1 : 0;
		b->len[s] = n > 0 ? (size_t)n : 0;
	}
	if (b->page[s] != pg + 1 || b->len[s] < off - base + len)
		return -1;
	memcpy(buf, slot + (off - base), len);
	return 0;
}

/* forget what was read: the next scan sees the image as it is then */
void au_peek_reset(struct au_mount *m)
{
	if (m->dfd >= 0)
		close(m->dfd);
	m->dfd = -1;
	if (m->blk)
		free(m->blk->data);
	free(m->blk);
	m->blk = NULL;
	m->peek_dev = 0;
}
