// SPDX-License-Identifier: GPL-2.0-only
/*
 * dt-matrix: output files.  Each is written to PATH.tmp and renamed over
 * PATH only when every write and the close succeeded, so a failed write
 * (full disk, unwritable directory) leaves no partial report behind.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mx.h"

int mx_out_open(struct mx_out *o, const char *path)
{
	o->path = path;
	snprintf(o->tmp, sizeof(o->tmp), "%s.tmp", path);
	o->f = fopen(o->tmp, "w");
	if (!o->f) {
		fprintf(stderr, "dt-matrix: cannot write %s: %s\n", o->tmp, strerror(errno));
		return -1;
	}
	return 0;
}

void mx_out_abort(struct mx_out *o)
{
	if (o->f)
		fclose(o->f);
	o->f = NULL;
	unlink(o->tmp);
}

int mx_out_close(struct mx_out *o)
{
	int bad = ferror(o->f);

	if (fflush(o->f) || fsync(fileno(o->f)))
		bad = 1;
	if (fclose(o->f))
		bad = 1;
	o->f = NULL;
	if (bad || rename(o->tmp, o->path)) {
		fprintf(stderr, "dt-matrix: writing %s failed: %s\n", o->path, strerror(errno));
		unlink(o->tmp);
		return -1;
	}
	return 0;
}
