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

/* undo mountinfo's octal escapes (\040 for a space) in place */
static void unescape(char *s)
{
	char *d = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] && s[3]) {
			*d++ = (char)(((s[1] - '0') << 6) | ((s[2] - '0') << 3) | (s[3] - '0'));
			s += 3;
		} else {
			*d++ = *s;
		}
	}
	*d = '\0';
}

/* one mountinfo line: "id parent maj:min root mnt opts [tags] - fstype source sopts" */
static void scan_line(char *line, uint64_t only_dev, dt_backing_fn fn, void *ctx)
{
	char *sep = strstr(line, " - ");
	char mnt[PATH_MAX], fstype[64], src[PATH_MAX];
	unsigned int maj, min;
	struct stat st;
	uint64_t dev;

	if (!sep || sscanf(line, "%*u %*u %u:%u %*s %4095s", &maj, &min, mnt) != 3)
		return;
	if (sscanf(sep + 3, "%63s %4095s", fstype, src) != 2 || strcmp(fstype, "erofs"))
		return;
	dev = ((uint64_t)maj << 20) | min;
	if (only_dev && dev != only_dev)
		return;
	unescape(src);
	unescape(mnt);
	if (stat(src, &st) || !S_ISREG(st.st_mode))
		return;			/* block-device or fscache mount */
	fn(ctx, dt_kdev(st.st_dev), st.st_ino, src, mnt);
}

int dt_backing_scan(uint64_t only_dev, dt_backing_fn fn, void *ctx)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	char *line = NULL;
	size_t cap = 0;

	if (!f)
		return -errno;
	while (getline(&line, &cap, f) > 0)
		scan_line(line, only_dev, fn, ctx);
	free(line);
	fclose(f);
	return 0;
}

static bool stat_erofs(const char *p, uint64_t only_dev, uint64_t *dev, uint64_t *ino)
{
	struct statfs sfs;
	struct stat st;

	if (stat(p, &st) || statfs(p, &sfs) || (uint32_t)sfs.f_type != DT_EROFS_MAGIC)
		return false;
	if (only_dev && dt_kdev(st.st_dev) != only_dev)
		return false;
	*dev = dt_kdev(st.st_dev);
	*ino = st.st_ino;
	return true;
}

bool dt_path_erofs(pid_t pid, const char *path, uint64_t only_dev,
		   uint64_t *dev, uint64_t *ino)
{
	char p[PATH_MAX + 64];

	if (!path[0])
		return false;
	if (path[0] != '/') {
		snprintf(p, sizeof(p), "/proc/%d/cwd/%s", (int)pid, path);
		if (stat_erofs(p, only_dev, dev, ino))
			return true;
	}
	return stat_erofs(path, only_dev, dev, ino);
}
