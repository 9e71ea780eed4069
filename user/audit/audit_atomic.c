// SPDX-License-Identifier: GPL-2.0-only
/*
 * audit: replace a file all at once.  The text goes to a hidden temporary
 * file in the target's directory (".NAME.XXXXXX": no ".prom" suffix, so
 * node_exporter's textfile collector never reads it), is synced, made
 * world-readable and renamed over the target: a reader sees the old file or
 * the new one, never a part.  On any error the temporary file is removed.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "audit.h"

int au_atomic_open(struct au_atomic *a, const char *path)
{
	char *d = strdup(path), *b = strdup(path);
	int fd, err = 0;

	memset(a, 0, sizeof(*a));
	a->path = path;
	if (!d || !b || asprintf(&a->tmp, "%s/.%s.XXXXXX", dirname(d), basename(b)) < 0) {
		a->tmp = NULL;
		err = -ENOMEM;
	}
	free(d);
	free(b);
	if (err)
		return err;
	fd = mkstemp(a->tmp);
	if (fd < 0 || fchmod(fd, 0644) || !(a->fp = fdopen(fd, "w"))) {
		err = -errno;
		if (fd >= 0) {
			close(fd);
			unlink(a->tmp);
		}
		free(a->tmp);
		a->tmp = NULL;
		return err;
	}
	return 0;
}

void au_atomic_abort(struct au_atomic *a)
{
	if (a->fp)
		fclose(a->fp);
	if (a->tmp)
		unlink(a->tmp);
	free(a->tmp);
	a->fp = NULL;
	a->tmp = NULL;
}

/* 0: the target is the new text; -errno: the target is as it was */
int au_atomic_commit(struct au_atomic *a)
{
	int err = 0;

	errno = 0;
	if (fflush(a->fp) || ferror(a->fp))
		err = errno ? -errno : -EIO;
	else if (fsync(fileno(a->fp)))
		err = -errno;
	if (fclose(a->fp) && !err)
		err = -errno;
	a->fp = NULL;
	if (!err && rename(a->tmp, a->path))
		err = -errno;
	if (err)
		unlink(a->tmp);
	free(a->tmp);
	a->tmp = NULL;
	return err;
}
