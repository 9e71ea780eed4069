// SPDX-License-Identifier: GPL-2.0-only
/*
 * audit: per-page page-cache residency of a file.
 *
 * cachestat(2) counts cached pages of a byte range, so a range that is all
 * or nothing is settled by one call; mixed ranges are split in halves until
 * they are settled or one page long.  Long runs (the usual case) cost a few
 * calls.  Without cachestat (ENOSYS) mincore(2) on a read-only mapping gives
 * the same vector, but the kernel answers "all resident" for files the
 * caller neither owns nor may write, so that case is reported as untrusted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "audit.h"

#ifndef __NR_cachestat
#define __NR_cachestat 451
#endif

struct au_cs_range {
	uint64_t off, len;
};

struct au_cs {
	uint64_t nr_cache, nr_dirty, nr_writeback, nr_evicted, nr_recently_evicted;
};

static int cachestat(int fd, uint64_t off, uint64_t len, uint64_t *cached)
{
	struct au_cs_range r = { off, len };
	struct au_cs cs;

	if (syscall(__NR_cachestat, fd, &r, &cs, 0))
		return -errno;
	*cached = cs.nr_cache;
	return 0;
}

static int split(int fd, uint64_t first, uint64_t n, uint8_t *vec)
{
	uint64_t cached = 0;
	int ret;

	ret = cachestat(fd, first * au_page, n * au_page, &cached);
	if (ret)
		return ret;
	if (!cached || cached >= n || n == 1) {
		memset(vec + first, cached ? 1 : 0, n);
		return 0;
	}
	ret = split(fd, first, n / 2, vec);
	return ret ? ret : split(fd, first + n / 2, n - n / 2, vec);
}

/* could the kernel's mincore tell us the truth about this file? */
static bool mincore_honest(int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		return false;
	return geteuid() == 0 || st.st_uid == geteuid();
}

static int by_mincore(int fd, uint64_t len, uint8_t *vec, char **why)
{
	uint64_t i, n = (len + au_page - 1) / au_page;
	void *p;
	int ret = 0;

	if (!mincore_honest(fd)) {
		au_set_note(why, "mincore reports every page resident for files the caller neither owns nor may write; run as root or the owner");
		return -EPERM;
	}
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	if (mincore(p, len, (unsigned char *)vec))
		ret = -errno;
	for (i = 0; !ret && i < n; i++)
		vec[i] &= 1;
	munmap(p, len);
	return ret;
}

/*
 * Residency of [0, len) of fd into vec (one byte a page, 1 = cached).
 * *used names the method; *why is set when the answer cannot be trusted.
 */
int au_resident(int fd, uint64_t len, enum au_method how, uint8_t *vec,
		const char **used, char **why)
{
	uint64_t n = (len + au_page - 1) / au_page;
	int ret = -ENOSYS;

	if (!n)
		return 0;
	if (how != AU_M_MINCORE) {
		*used = "cachestat";
		ret = split(fd, 0, n, vec);
		if (ret == -EPERM) {
			au_set_note(why, "cachestat refused (EPERM): the caller must own the file or be able to write it; run as root");
			return ret;
		}
		if (ret != -ENOSYS || how == AU_M_CACHESTAT)
			return ret;
	}
	*used = "mincore";
	return by_mincore(fd, len, vec, why);
}

/* is the page at off cached? (true when unsure: then nothing gets dropped) */
bool au_page_resident(int fd, uint64_t off)
{
	uint64_t cached = 1;
	uint8_t v = 1;
	void *p;

	if (cachestat(fd, off, au_page, &cached) != -ENOSYS)
		return cached != 0;
	p = mmap(NULL, au_page, PROT_READ, MAP_SHARED, fd, off);
	if (p == MAP_FAILED)
		return true;
	if (mincore(p, au_page, &v))
		v = 1;
	munmap(p, au_page);
	return v & 1;
}
