// SPDX-License-Identifier: GPL-2.0-only
/*
 * audit: map an EROFS file to byte ranges of its backing file with FIEMAP,
 * read its on-disk data layout, and label what the mapping shows.
 *
 * What EROFS's FIEMAP reports on a file-backed mount (6.18, checked with
 * erofs-utils 1.5 images): fe_physical is a byte offset in the image file;
 * a tail packed inline has DATA_INLINE|NOT_ALIGNED and the byte address of
 * the tail inside its metadata block; chunk-based files give one extent a
 * chunk, and deduplicated chunks share physical ranges; holes are gaps.
 * Compressed files give the start of each compressed cluster with the
 * *decompressed* length and no ENCODED flag, so their backing ranges are
 * not knowable from FIEMAP.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include "audit.h"

#define BATCH 128

static int push(struct au_ext **v, size_t *n, size_t *cap, const struct fiemap_extent *fe)
{
	struct au_ext *nv;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 4;
		nv = realloc(*v, *cap * sizeof(**v));
		if (!nv)
			return -ENOMEM;
		*v = nv;
	}
	(*v)[*n] = (struct au_ext){ fe->fe_logical, fe->fe_physical, fe->fe_length, fe->fe_flags };
	(*n)++;
	return 0;
}

/* every extent of fd, in logical order; 0 or -errno */
int au_fiemap(int fd, struct au_ext **out, size_t *n)
{
	/* one request buffer for the whole audit: a file costs no allocation
	 * but its own extents */
	static struct fiemap *fm;
	struct fiemap_extent *fe;
	size_t cap = 0;
	uint64_t start = 0;
	unsigned int i;
	int ret = 0;

	*out = NULL;
	*n = 0;
	if (!fm)
		fm = malloc(sizeof(*fm) + BATCH * sizeof(*fe));
	if (!fm)
		return -ENOMEM;
	for (;;) {
		memset(fm, 0, sizeof(*fm));
		fm->fm_start = start;
		fm->fm_length = FIEMAP_MAX_OFFSET - start;
		fm->fm_extent_count = BATCH;
		if (ioctl(fd, FS_IOC_FIEMAP, fm)) {
			ret = -errno;
			break;
		}
		if (!fm->fm_mapped_extents)
			break;
		for (i = 0; i < fm->fm_mapped_extents && !ret; i++)
			ret = push(out, n, &cap, &fm->fm_extents[i]);
		fe = &fm->fm_extents[fm->fm_mapped_extents - 1];
		if (ret || (fe->fe_flags & FIEMAP_EXTENT_LAST) ||
		    fe->fe_logical + fe->fe_length <= start)
			break;
		start = fe->fe_logical + fe->fe_length;
	}
	return ret;
}

static uint64_t le(const uint8_t *p, int bytes)
{
	uint64_t v = 0;

	while (bytes--)
		v = v << 8 | p[bytes];
	return v;
}

/*
 * The on-disk inode at nid (st_ino is the nid on 64-bit); believed only when
 * its mode and size match what stat said.
 */
enum au_layout au_layout_of(struct au_mount *m, uint64_t nid, mode_t mode, uint64_t size)
{
	uint8_t ino[16];
	unsigned int fmt;
	uint64_t isize;

	if (m->bfd < 0 || au_peek(m, m->meta_off + nid * 32, ino, sizeof(ino)))
		return AU_LAYOUT_UNKNOWN;
	fmt = le(ino, 2);
	isize = (fmt & 1) ? le(ino + 8, 8) : le(ino + 8, 4);
	if (le(ino + 4, 2) != (mode & 0xffff) || isize != size || ((fmt >> 1) & 7) > AU_LAYOUT_CHUNKED)
		return AU_LAYOUT_UNKNOWN;
	return (fmt >> 1) & 7;
}

static int by_physical(const void *a, const void *b)
{
	const struct au_ext *x = a, *y = b;

	return x->physical < y->physical ? -1 : x->physical > y->physical;
}

/* do two extents touch the same backing page? */
static bool shares_pages(const struct au_ext *ext, size_t n)
{
	struct au_ext *s;
	uint64_t end = 0;
	bool shared = false;
	size_t i;

	s = malloc(n * sizeof(*s));
	if (!s)
		return false;
	memcpy(s, ext, n * sizeof(*s));
	qsort(s, n, sizeof(*s), by_physical);
	for (i = 0; i < n && !shared; i++) {
		if (i && s[i].physical / au_page < end)
			shared = true;
		end = (s[i].physical + s[i].len + au_page - 1) / au_page;
	}
	free(s);
	return shared;
}

#define AU_BAD_FLAGS (FIEMAP_EXTENT_UNKNOWN | FIEMAP_EXTENT_DELALLOC | \
		      FIEMAP_EXTENT_ENCODED | FIEMAP_EXTENT_DATA_ENCRYPTED)

void au_classify(struct au_file *f, bool compressed)
{
	uint64_t covered = 0;
	size_t i;

	if (compressed) {
		f->labels |= AU_L_COMPRESSED;
		au_set_note(&f->note, "compressed: FIEMAP gives cluster starts with decompressed lengths, backing ranges unknown; never counted as double");
		return;
	}
	for (i = 0; i < f->next; i++) {
		const struct au_ext *e = &f->ext[i];

		if (e->flags & AU_BAD_FLAGS) {
			f->labels |= AU_L_NOMAP;
			au_set_note(&f->note, "FIEMAP extent at %llu has flags 0x%x: no usable physical offset",
				    (unsigned long long)e->logical, e->flags);
		}
		if (e->flags & FIEMAP_EXTENT_DATA_INLINE)
			f->labels |= AU_L_TAIL;
		if (e->flags & FIEMAP_EXTENT_SHARED)
			f->labels |= AU_L_SHARED;
		if (e->logical > covered)
			f->labels |= AU_L_HOLE;
		if (e->logical + e->len > covered)
			covered = e->logical + e->len;
	}
	if (covered < f->size)
		f->labels |= AU_L_HOLE;
	if (f->next > 1 && shares_pages(f->ext, f->next))
		f->labels |= AU_L_SHARED;
}
