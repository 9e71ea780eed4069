/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Untrusted strings (comm, paths, kernel-supplied names) on their way to a
 * terminal, a text report or JSON.
 */
#ifndef __DT_ESCAPE_H
#define __DT_ESCAPE_H

#include <stddef.h>

/*
 * Copy src (at most n bytes, stops at NUL) into dst (size dsz, always
 * NUL-terminated) for a terminal or text report: control bytes, DEL and
 * backslash become \xNN / \\, so nothing reaches the terminal raw.  Bytes of
 * valid UTF-8 sequences are kept.  Returns dst.
 */
char *dt_esc_text(char *dst, size_t dsz, const char *src, size_t n);

/*
 * Copy src into dst as valid UTF-8 for JSON: every byte that does not start
 * or continue a well-formed UTF-8 sequence becomes U+FFFD.  (The JSON
 * generator, yajl, then escapes control characters itself.)  Returns dst.
 */
char *dt_esc_utf8(char *dst, size_t dsz, const char *src, size_t n);

#endif
