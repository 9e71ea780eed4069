/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small JSON writer into a growing buffer, for the objects written once
 * per read (json-c builds a hash table per object: too slow to keep up with
 * a trace).  Strings are escaped; give it valid UTF-8 (dt_esc_utf8).  Keys
 * are written as they are: plain ASCII constants.
 */
#ifndef __DT_JSONW_H
#define __DT_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DT_JW_DEPTH	8

struct dt_jw {
	char *buf;
	size_t len, cap;
	bool oom;
	unsigned int depth;
	bool first[DT_JW_DEPTH];	/* no member written yet at this depth */
};

void dt_jw_reset(struct dt_jw *w);
void dt_jw_free(struct dt_jw *w);
void dt_jw_open(struct dt_jw *w, const char *key, char c);	/* '{' or '[' */
void dt_jw_close(struct dt_jw *w, char c);			/* '}' or ']' */
/* key is NULL inside an array */
void dt_jw_u64(struct dt_jw *w, const char *key, uint64_t v);
void dt_jw_i64(struct dt_jw *w, const char *key, int64_t v);
void dt_jw_bool(struct dt_jw *w, const char *key, bool v);
void dt_jw_null(struct dt_jw *w, const char *key);
void dt_jw_str(struct dt_jw *w, const char *key, const char *s);

#endif
