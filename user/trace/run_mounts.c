// SPDX-License-Identifier: GPL-2.0-only
/* EROFS mounts seen from user space; see run_mounts.h. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include "diotrace.h"
#include "mountinfo.h"
#include "run_mounts.h"

uint64_t dt_kdev(dev_t d)
{
	return ((uint64_t)major(d) << 20) | minor(d);
}

int dt_mount_dev(const char *dir, uint64_t *dev)
{
	struct statfs sfs;
	struct stat st;

	if (stat(dir, &st) || statfs(dir, &sfs))
		return -errno;
	if ((uint32_t)sfs.f_type != DT_EROFS_MAGIC)
		return -EMEDIUMTYPE;
	*dev = dt_kdev(st.st_dev);
	return 0;
}

struct scan {
	uint64_t only_dev;
	dt_backing_fn fn;
	void *ctx;
};

/* an EROFS mount whose source is a regular file: file-backed */
static int scan_one(const struct dt_mountinfo *mi, void *arg)
{
	const struct scan *sc = arg;
	uint64_t dev = ((uint64_t)mi->major << 20) | mi->minor;
	struct stat st;

	if (strcmp(mi->fstype, "erofs") || (sc->only_dev && dev != sc->only_dev))
		return 0;
	if (stat(mi->source, &st) || !S_ISREG(st.st_mode))
		return 0;		/* block-device or fscache mount */
	sc->fn(sc->ctx, dt_kdev(st.st_dev), st.st_ino, mi->source, mi->mnt);
	return 0;
}

int dt_backing_scan(uint64_t only_dev, dt_backing_fn fn, void *ctx)
{
	struct scan sc = { only_dev, fn, ctx };

	return dt_mountinfo_each(scan_one, &sc);
}
