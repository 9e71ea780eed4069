// SPDX-License-Identifier: GPL-2.0-only
/*
 * audit: find EROFS mounts in /proc/self/mountinfo and resolve the user's
 * arguments (mount points, directories, files) to them.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "audit.h"
#include "mountinfo.h"

static uint64_t opt_u64(const char *opts, const char *key)
{
	const char *p = opts;
	size_t kl = strlen(key);

	while (p && *p) {
		if (!strncmp(p, key, kl))
			return strtoull(p + kl, NULL, 0);
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return 0;
}

static struct au_mount *add_mount(struct au_mount **v, size_t *n, const struct dt_mountinfo *mi)
{
	struct au_mount *m, *nv;

	nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (!nv)
		return NULL;
	*v = nv;
	m = &nv[(*n)++];
	memset(m, 0, sizeof(*m));
	m->mnt = strdup(mi->mnt);
	m->source = strdup(mi->source);
	m->dev = makedev(mi->major, mi->minor);
	/* a file-backed (or fscache) super block has an anonymous dev */
	m->kind = mi->major ? AU_KIND_BDEV : AU_KIND_FILE;
	m->fsoff = opt_u64(mi->super_opts, "fsoffset=");
	m->bfd = -1;
	m->dfd = -1;
	m->fscache = !mi->major && strstr(mi->super_opts, "fsid=");
	return m;
}

struct erofs_only {
	int (*fn)(const struct dt_mountinfo *mi, void *arg);
	void *arg;
};

static int if_erofs(const struct dt_mountinfo *mi, void *arg)
{
	struct erofs_only *e = arg;

	return strcmp(mi->fstype, "erofs") ? 0 : e->fn(mi, e->arg);
}

/* call fn for every EROFS line of mountinfo; stops when fn returns non-zero */
static int each_erofs(int (*fn)(const struct dt_mountinfo *mi, void *arg), void *arg)
{
	struct erofs_only e = { fn, arg };
	int ret = dt_mountinfo_each(if_erofs, &e);

	if (ret < 0 && ret != -1)
		au_err("cannot read /proc/self/mountinfo: %s", strerror(-ret));
	return ret < 0 ? -1 : 0;
}

struct all_ctx {
	struct au_mount **v;
	size_t *n;
};

static int add_all(const struct dt_mountinfo *mi, void *arg)
{
	struct all_ctx *c = arg;
	struct au_mount *m;
	size_t i;

	if (mi->major) {
		au_err("skipping %s: block-device-backed EROFS (%s), its data is cached once",
		       mi->mnt, mi->source);
		return 0;
	}
	for (i = 0; i < *c->n; i++)	/* bind mounts of the same super block */
		if ((*c->v)[i].dev == makedev(mi->major, mi->minor))
			return 0;
	m = add_mount(c->v, c->n, mi);
	if (!m)
		return -1;
	m->whole = true;
	return 0;
}

int au_mounts_all(struct au_mount **out, size_t *n)
{
	struct all_ctx c = { out, n };

	*out = NULL;
	*n = 0;
	return each_erofs(add_all, &c);
}

struct find_ctx {
	dev_t dev;
	struct dt_mountinfo found;
	char *buf;
};

static int find_dev(const struct dt_mountinfo *mi, void *arg)
{
	struct find_ctx *c = arg;

	if (makedev(mi->major, mi->minor) != c->dev || strcmp(mi->root, "/"))
		return 0;
	c->found = *mi;
	c->found.mnt = c->buf = strdup(mi->mnt);
	c->found.source = strdup(mi->source);
	c->found.super_opts = strdup(mi->super_opts);
	return 1;
}

/* path relative to the mount point, "" for the mount root itself */
static const char *rel_path(const char *real, const char *mnt)
{
	size_t l = strlen(mnt);

	if (!strcmp(mnt, "/"))
		return real + 1;
	if (strncmp(real, mnt, l) || (real[l] && real[l] != '/'))
		return NULL;
	return real[l] ? real + l + 1 : "";
}

static int add_only(struct au_mount *m, const char *rel)
{
	char **nv;

	if (!*rel) {
		m->whole = true;
		return 0;
	}
	nv = realloc(m->only, (m->nonly + 1) * sizeof(*nv));
	if (!nv)
		return -1;
	m->only = nv;
	m->only[m->nonly++] = strdup(rel);
	return 0;
}

static struct au_mount *mount_of(const char *arg, struct au_mount **v, size_t *n,
				 char *real)
{
	struct find_ctx c = { 0 };
	struct au_mount *m = NULL;
	struct stat st;
	size_t i;

	if (stat(arg, &st) || !realpath(arg, real)) {
		au_err("%s: %s", arg, strerror(errno));
		return NULL;
	}
	for (i = 0; i < *n; i++)
		if ((*v)[i].dev == st.st_dev)
			return &(*v)[i];
	c.dev = st.st_dev;
	if (each_erofs(find_dev, &c) < 0)
		return NULL;
	if (!c.buf) {
		au_err("%s is not on an EROFS mount; give a mount point, directory or file of a file-backed EROFS mount",
		       arg);
		return NULL;
	}
	m = add_mount(v, n, &c.found);
	free(c.buf);
	free(c.found.source);
	free(c.found.super_opts);
	return m;
}

int au_mounts_for_args(char **args, int nargs, struct au_mount **out, size_t *n)
{
	char real[PATH_MAX];
	struct au_mount *m;
	const char *rel;
	int i;

	*out = NULL;
	*n = 0;
	for (i = 0; i < nargs; i++) {
		m = mount_of(args[i], out, n, real);
		if (!m)
			return -1;
		rel = rel_path(real, m->mnt);
		if (!rel) {
			au_err("%s resolves to %s, outside its mount %s (bind mount of a subtree?); give the mount point",
			       args[i], real, m->mnt);
			return -1;
		}
		if (add_only(m, rel))
			return -1;
	}
	return 0;
}

void au_mount_reset(struct au_mount *m)
{
	size_t i;

	for (i = 0; i < m->nfiles; i++) {
		free(m->files[i].path);
		free(m->files[i].ext);
		free(m->files[i].eres);
		free(m->files[i].note);
	}
	free(m->files);
	free(m->bres);
	free(m->bown);
	m->files = NULL;
	m->bres = NULL;
	m->bown = NULL;
	m->nfiles = m->cap = 0;
	free(m->untrusted);
	m->untrusted = NULL;
	m->erofs_cached = m->backing_cached = m->double_cached = 0;
	m->backing_total = m->unattributed = 0;
}

void au_mounts_free(struct au_mount *v, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		au_mount_reset(&v[i]);
		for (j = 0; j < v[i].nonly; j++)
			free(v[i].only[j]);
		free(v[i].only);
		free(v[i].mnt);
		free(v[i].source);
		free(v[i].sysfs);
		if (v[i].bfd >= 0)
			close(v[i].bfd);
		au_peek_reset(&v[i]);
	}
	free(v);
}
