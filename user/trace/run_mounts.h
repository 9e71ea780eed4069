/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * EROFS mounts as the loader sees them: the --mount filter, the backing
 * files of file-backed mounts (from /proc/self/mountinfo).  Whether a
 * refused open lies on EROFS is decided from BPF's record (open_resolve.c).
 */
#ifndef __DT_RUN_MOUNTS_H
#define __DT_RUN_MOUNTS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* the kernel's dev_t (major << 20 | minor) of a user-space st_dev */
uint64_t dt_kdev(dev_t d);

/* kernel dev of the EROFS filesystem DIR is on; -ENOENT.., -EMEDIUMTYPE if not EROFS */
int dt_mount_dev(const char *dir, uint64_t *dev);

typedef void (*dt_backing_fn)(void *ctx, uint64_t dev, uint64_t ino,
			      const char *image, const char *mnt);

/* call fn for the backing file of every file-backed EROFS mount (only_dev: 0 = all) */
int dt_backing_scan(uint64_t only_dev, dt_backing_fn fn, void *ctx);

#endif
