/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One errno name table for the whole tool: the kernel's results in event
 * streams and reports, and the loader's own errors.  It includes the
 * kernel-internal codes that reach tracepoints (ENOTSUPP, EIOCBQUEUED) and
 * names EUCLEAN as EROFS does (EFSCORRUPTED).
 */
#ifndef __DT_ERRNAME_H
#define __DT_ERRNAME_H

/* "EIO" for EIO (or -EIO); NULL for a code the table does not name */
const char *dt_err_name(long err);

/* dt_err_name(), else strerror(): always something to print */
const char *dt_err_str(long err);

#endif
