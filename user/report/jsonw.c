// SPDX-License-Identifier: GPL-2.0-only
/* The JSON writer of jsonw.h: appends to w->buf; w->oom if it ran out of memory. */
#include <stdlib.h>
#include <string.h>
#include "jsonw.h"

static __attribute__((noinline)) bool grow(struct dt_jw *w, size_t n)
{
	size_t cap = w->cap ? w->cap : 1024;
	char *b;

	while (cap < w->len + n + 1)
		cap *= 2;
	b = realloc(w->buf, cap);
	if (!b) {
		w->oom = true;
		return false;
	}
	w->buf = b;
	w->cap = cap;
	return true;
}

static inline void put(struct dt_jw *w, const char *s, size_t n)
{
	if (w->len + n + 1 > w->cap && !grow(w, n))
		return;
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

static inline void putc_(struct dt_jw *w, char c)
{
	put(w, &c, 1);
}

static void quoted(struct dt_jw *w, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s;

	putc_(w, '"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		put(w, run, s - run);
		if (c == '"' || c == '\\') {
			char esc[2] = { '\\', c };

			put(w, esc, 2);
		} else {
			char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

			put(w, esc, 6);
		}
		run = s + 1;
	}
	put(w, run, s - run);
	putc_(w, '"');
}

/* the comma and the key of the next member */
static void member(struct dt_jw *w, const char *key)
{
	if (w->depth && !w->first[w->depth - 1])
		putc_(w, ',');
	if (w->depth)
		w->first[w->depth - 1] = false;
	if (key) {	/* keys are the report's own: plain ASCII */
		putc_(w, '"');
		put(w, key, strlen(key));
		put(w, "\":", 2);
	}
}

void dt_jw_reset(struct dt_jw *w)
{
	w->len = 0;
	w->depth = 0;
	w->oom = false;
	if (w->buf)
		w->buf[0] = '\0';
}

void dt_jw_free(struct dt_jw *w)
{
	free(w->buf);
	memset(w, 0, sizeof(*w));
}

void dt_jw_open(struct dt_jw *w, const char *key, char c)
{
	member(w, key);
	putc_(w, c);
	if (w->depth < DT_JW_DEPTH)
		w->first[w->depth] = true;
	w->depth++;
}

void dt_jw_close(struct dt_jw *w, char c)
{
	if (w->depth)
		w->depth--;
	putc_(w, c);
}

static void digits(struct dt_jw *w, uint64_t v)
{
	char b[24], *p = b + sizeof(b);

	do {
		*--p = '0' + v % 10;
		v /= 10;
	} while (v);
	put(w, p, b + sizeof(b) - p);
}

void dt_jw_u64(struct dt_jw *w, const char *key, uint64_t v)
{
	member(w, key);
	digits(w, v);
}

void dt_jw_i64(struct dt_jw *w, const char *key, int64_t v)
{
	member(w, key);
	if (v < 0)
		putc_(w, '-');
	digits(w, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);	/* no negation of INT64_MIN */
}

void dt_jw_bool(struct dt_jw *w, const char *key, bool v)
{
	member(w, key);
	put(w, v ? "true" : "false", v ? 4 : 5);
}

void dt_jw_null(struct dt_jw *w, const char *key)
{
	member(w, key);
	put(w, "null", 4);
}

void dt_jw_str(struct dt_jw *w, const char *key, const char *s)
{
	member(w, key);
	quoted(w, s);
}
