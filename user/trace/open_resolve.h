/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Which file an O_DIRECT open(2) refused with EINVAL was for, from what BPF
 * read at the time (struct dt_open_ext): no /proc/PID lookup, so it works
 * for dirfd-relative opens, long paths and processes that have exited.
 */
#ifndef __DT_OPEN_RESOLVE_H
#define __DT_OPEN_RESOLVE_H

#include <stddef.h>
#include <stdint.h>
#include "diotrace.h"

enum dt_open_res {
	DT_OPEN_ON_EROFS,	/* ev->dev, ev->ino set */
	DT_OPEN_ELSEWHERE,	/* another filesystem, or not the --mount one */
	DT_OPEN_UNRESOLVED,	/* path incomplete, or the file is gone */
};

/* the absolute path X names, in BUF; 0 or -1 (incomplete) */
int dt_open_ext_path(const struct dt_open_ext *x, char *buf, size_t len);

/* resolve X; only_dev: the --mount filter (0: any EROFS) */
enum dt_open_res dt_open_resolve(const struct dt_open_ext *x, uint64_t only_dev,
				 struct dt_event *ev);

#endif
