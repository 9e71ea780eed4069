/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Output files: two outputs must not be one file, and every output is
 * flushed and closed with its error checked (a full disk or /dev/full is a
 * failed run, exit 2, not a silent truncated report).
 */
#ifndef __DT_OUTFILE_H
#define __DT_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

/*
 * Would outputs a and b ("-" = stdout) write to the same file, by path
 * (also via symlinks or ".") or by inode (hard links)?  Character devices
 * (/dev/null) may take any number of outputs.
 */
bool dt_out_same(const char *a, const char *b);

/*
 * Flush f and close it (stdout and stderr are flushed only); 0 or -errno.
 * -EIO also stands for an earlier failed write whose errno is gone: say
 * "write error" for it (dt_out_why).
 */
int dt_out_close(FILE *f);

/* words for a dt_out_close() error */
const char *dt_out_why(int err);

#endif
