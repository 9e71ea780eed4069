// SPDX-License-Identifier: GPL-2.0-only
/*
 * audit: walk a mount (or the paths given), map and measure every regular
 * file, then measure the backing file once and do the counting.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>
#include <linux/fiemap.h>
#include "audit.h"

/* nftw has no user pointer */
static struct {
	struct au_mount *m;
	enum au_method how;
	int err;
} walk;

static struct au_file *new_file(struct au_mount *m)
{
	struct au_file *nv;

	if (m->nfiles == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		nv = realloc(m->files, m->cap * sizeof(*nv));
		if (!nv)
			return NULL;
		m->files = nv;
	}
	nv = &m->files[m->nfiles++];
	memset(nv, 0, sizeof(*nv));
	return nv;
}

static const char *rel(const struct au_mount *m, const char *path)
{
	size_t l = strlen(m->mnt);

	if (!strcmp(m->mnt, "/"))
		return path + 1;
	return path[l] == '/' ? path + l + 1 : path + l;
}

static void open_failed(struct au_mount *m, const char *path, int err)
{
	if (err == ENOENT || err == ESTALE || err == ENOTDIR)
		au_set_note(&m->untrusted, "%s vanished mid-scan (unmounted or replaced?): rerun", path);
	else if (err == EACCES || err == EPERM)
		au_set_note(&m->untrusted, "%s: permission denied; run as root to audit every file", path);
	else
		au_set_note(&m->untrusted, "%s: %s", path, strerror(err));
}

static bool is_compressed(const struct statx *sx, enum au_layout layout)
{
	if (layout == AU_LAYOUT_COMPRESSED_FULL || layout == AU_LAYOUT_COMPRESSED_COMPACT)
		return true;
	return (sx->stx_attributes_mask & STATX_ATTR_COMPRESSED) &&
	       (sx->stx_attributes & STATX_ATTR_COMPRESSED);
}

static void map_file(struct au_mount *m, struct au_file *f, int fd, bool compressed)
{
	int ret;

	if (!compressed && m->kind == AU_KIND_FILE) {
		ret = au_fiemap(fd, &f->ext, &f->next);
		if (ret) {
			f->labels |= AU_L_NOMAP;
			au_set_note(&f->note, "FIEMAP failed: %s", strerror(-ret));
		}
	}
	au_classify(f, compressed);
	if (m->extra_devs && !compressed) {
		f->labels |= AU_L_NOMAP;
		au_set_note(&f->note, "image has %u extra devices: physical offsets may not be in %s",
			    m->extra_devs, m->source);
	}
	if ((f->labels & AU_L_NOMAP) && m->kind == AU_KIND_FILE)
		au_set_note(&m->untrusted, "%s/%s: %s", m->mnt, f->path, f->note);
}

static int measure_file(struct au_mount *m, const struct statx *sx, const char *path, int fd)
{
	struct au_file *f;
	bool compressed;
	int ret;

	f = new_file(m);
	if (!f)
		return -ENOMEM;
	f->path = strdup(rel(m, path));
	f->size = sx->stx_size;
	f->layout = au_layout_of(m, sx->stx_ino, sx->stx_mode, sx->stx_size);
	compressed = is_compressed(sx, f->layout);
	map_file(m, f, fd, compressed);
	f->eres = calloc(f->size / au_page + 1, 1);
	if (!f->eres)
		return -ENOMEM;
	ret = au_resident(fd, f->size, walk.how, f->eres, &m->method, &m->untrusted);
	if (ret) {
		f->labels |= AU_L_NORES;
		au_set_note(&m->untrusted, "page-cache residency of %s: %s", path, strerror(-ret));
	}
	return 0;
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	struct au_mount *m = walk.m;
	struct statx sx;
	int fd, ret = 0;

	if (type == FTW_NS || type == FTW_DNR) {
		open_failed(m, path, type == FTW_NS ? ENOENT : EACCES);
		return 0;
	}
	if (type != FTW_F || !S_ISREG(st->st_mode))
		return 0;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		open_failed(m, path, errno);
		return 0;
	}
	if (statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx))
		open_failed(m, path, errno);
	else if (makedev(sx.stx_dev_major, sx.stx_dev_minor) == m->dev && S_ISREG(sx.stx_mode))
		ret = measure_file(m, &sx, path, fd);
	close(fd);
	walk.err = ret;
	return ret ? 1 : 0;
}

static int walk_path(struct au_mount *m, const char *path)
{
	if (nftw(path, visit, 32, FTW_PHYS | FTW_MOUNT) < 0 && !walk.err)
		open_failed(m, path, errno);
	return walk.err;
}

static int walk_all(struct au_mount *m)
{
	char *p;
	size_t i;
	int ret = 0;

	if (m->whole)
		return walk_path(m, m->mnt);
	for (i = 0; i < m->nonly && !ret; i++) {
		if (asprintf(&p, "%s/%s", strcmp(m->mnt, "/") ? m->mnt : "", m->only[i]) < 0)
			return -ENOMEM;
		ret = walk_path(m, p);
		free(p);
	}
	return ret;
}

static int measure_backing(struct au_mount *m)
{
	const char *used = NULL;
	size_t n = m->bsize / au_page + 1;
	int ret;

	m->bres = calloc(n, 1);
	m->bown = calloc(n, sizeof(*m->bown));
	if (!m->bres || !m->bown)
		return -ENOMEM;
	ret = au_resident(m->bfd, m->bsize, walk.how, m->bres, &used, &m->untrusted);
	m->method = used;
	if (ret) {
		au_set_note(&m->untrusted, "page-cache residency of %s: %s", m->source, strerror(-ret));
		free(m->bres);
		free(m->bown);
		m->bres = NULL;
		m->bown = NULL;
	}
	return 0;
}

/* backing pages holding file data proper (not inline tails, not metadata) */
static uint8_t *data_pages(struct au_mount *m, size_t n)
{
	uint8_t *d = calloc(n, 1);
	uint64_t b, end;
	size_t i, j;

	for (i = 0; d && i < m->nfiles; i++) {
		for (j = 0; j < m->files[i].next; j++) {
			const struct au_ext *e = &m->files[i].ext[j];

			if (e->flags & FIEMAP_EXTENT_DATA_INLINE)
				continue;
			end = (e->physical + e->len + au_page - 1) / au_page;
			for (b = e->physical / au_page; b < end && b < n; b++)
				d[b] = 1;
		}
	}
	return d;
}

/*
 * FIEMAP of a file with an inline tail reads the tail's metadata block into
 * the image's page cache (erofs_iomap_begin maps IOMAP_INLINE data), and
 * path lookups read inodes: drop again the metadata pages that turned
 * resident during the scan.  Data pages are left alone: a workload running
 * meanwhile may have read them.
 */
static void undo_scan_reads(struct au_mount *m)
{
	const char *used;
	char *why = NULL;
	size_t i, n = m->bsize / au_page + 1;
	uint8_t *now = calloc(n, 1), *data = data_pages(m, n);

	if (now && data && !au_resident(m->bfd, m->bsize, walk.how, now, &used, &why))
		for (i = 0; i < n; i++)
			if (now[i] && !m->bres[i] && !data[i])
				posix_fadvise(m->bfd, i * au_page, au_page, POSIX_FADV_DONTNEED);
	free(why);
	free(now);
	free(data);
}

static bool still_mounted(struct au_mount *m)
{
	struct stat st;

	if (!stat(m->mnt, &st) && st.st_dev == m->dev)
		return true;
	au_set_note(&m->untrusted, "%s vanished mid-scan: no longer mounted", m->mnt);
	return false;
}

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int scan(struct au_mount *m, enum au_method how);

/* one full measurement of m, timed; 0, or -errno on allocation failure */
int au_scan(struct au_mount *m, enum au_method how)
{
	double t0 = mono();
	int ret = scan(m, how);

	m->scan_seconds = mono() - t0;
	return ret;
}

static int scan(struct au_mount *m, enum au_method how)
{
	size_t i;
	int ret;

	au_mount_reset(m);
	if (!still_mounted(m)) {
		au_count_totals(m);
		m->erofs_cached = m->double_cached = AU_UNKNOWN;
		return 0;
	}
	walk.m = m;
	walk.how = how;
	walk.err = 0;
	/* the image first: the walk below reads metadata into its cache */
	if (!au_backing_open(m))
		ret = measure_backing(m);
	else
		ret = 0;
	if (!ret)
		ret = walk_all(m);
	if (ret)
		return ret;
	if (m->bres)
		undo_scan_reads(m);
	for (i = 0; i < m->nfiles; i++)
		au_count_file(m, &m->files[i], i);
	au_count_totals(m);
	if (!still_mounted(m))	/* unmounted while we walked: numbers are partial */
		m->erofs_cached = m->double_cached = AU_UNKNOWN;
	return 0;
}
