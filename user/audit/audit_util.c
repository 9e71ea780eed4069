// SPDX-License-Identifier: GPL-2.0-only
/* audit: small helpers (notes, one-line errors). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit.h"
#include "escape.h"

long au_page = 4096;

/* keep the first reason only: later ones are usually consequences */
void au_set_note(char **dst, const char *fmt, ...)
{
	va_list ap;

	if (*dst)
		return;
	va_start(ap, fmt);
	if (vasprintf(dst, fmt, ap) < 0)
		*dst = NULL;
	va_end(ap);
}

/* one line: paths from mountinfo may hold newlines and escape sequences */
void au_err(const char *fmt, ...)
{
	char *msg = NULL, *esc;
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	n = msg ? 4 * strlen(msg) + 1 : 0;
	esc = n ? malloc(n) : NULL;
	fprintf(stderr, "erofs-diotrace audit: %s\n",
		esc ? dt_esc_text(esc, n, msg, n) : msg ? msg : fmt);
	free(esc);
	free(msg);
}
