/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Numbers on the command line, parsed strictly: the whole string, decimal,
 * range-checked, never wrapped or rounded to something else.  Each parser
 * returns 0, or a negative code dt_num_why() turns into words:
 *   -EINVAL  not a number (empty, junk, a sign where none is allowed, nan)
 *   -ERANGE  outside [min, max], or too large for the type
 *   -EDOM    a size with an unknown unit
 *   -EILSEQ  a size that is not a whole number of bytes ("1.1K")
 */
#ifndef __DT_NUM_H
#define __DT_NUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* a decimal integer in [min, max]; a leading '-' only when min < 0 */
int dt_parse_ll(const char *s, long long min, long long max, long long *out);

/*
 * Bytes in [min, max]: digits with an optional fraction and a binary unit
 * K, M, G or T (any case, optionally followed by "iB" or "B"): "4096",
 * "4K", "1.5M", "2GiB".
 */
int dt_parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/* a finite decimal number in [min, max] ("0.5", "2", "1e3"; never inf/nan) */
int dt_parse_double(const char *s, double min, double max, double *out);

/* the reason for one of the codes above, e.g. "out of range" */
const char *dt_num_why(int err);

/* "0B", "4K", "1.5M", "12.3G" (binary units), or plain bytes when raw */
char *dt_size_str(uint64_t bytes, bool raw, char *buf, size_t len);

#endif
