// SPDX-License-Identifier: GPL-2.0-only
/* Output files; see outfile.h. */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "outfile.h"

static int out_stat(const char *p, struct stat *st)
{
	return strcmp(p, "-") ? stat(p, st) : fstat(STDOUT_FILENO, st);
}

/* directory resolved, last component kept: the file a path will create */
static bool canon(const char *p, char *buf, size_t n)
{
	char d[PATH_MAX], b[PATH_MAX], real[PATH_MAX];

	if (!strcmp(p, "-") || strlen(p) >= sizeof(d))
		return false;
	strcpy(d, p);
	strcpy(b, p);
	if (!realpath(dirname(d), real))
		return false;
	return snprintf(buf, n, "%s/%s", real, basename(b)) < (int)n;
}

bool dt_out_same(const char *a, const char *b)
{
	char ca[PATH_MAX + 1], cb[PATH_MAX + 1];
	struct stat sa, sb;
	bool ea = !out_stat(a, &sa), eb = !out_stat(b, &sb);

	if (ea && eb)
		return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino && !S_ISCHR(sa.st_mode);
	if (ea || eb)
		return false;
	return canon(a, ca, sizeof(ca)) && canon(b, cb, sizeof(cb)) && !strcmp(ca, cb);
}

int dt_out_close(FILE *f)
{
	int err = 0;

	if (fflush(f))
		err = -errno;
	if (!err && ferror(f))
		err = -EIO;
	if (f != stdout && f != stderr && fclose(f) && !err)
		err = -errno;
	return err;
}

const char *dt_out_why(int err)
{
	return err == -EIO ? "write error" : strerror(-err);
}
