// SPDX-License-Identifier: GPL-2.0-only
/* audit: small helpers (notes, size arguments, one-line errors). */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "audit.h"

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

void au_err(const char *fmt, ...)
{
	va_list ap;

	fputs("erofs-diotrace audit: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* "4096", "12K", "1.5M", "2G" (binary units); 0 or -EINVAL */
int au_parse_size(const char *s, uint64_t *out)
{
	static const char units[] = "BKMGTP";
	char *end;
	double v;
	int i;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || v < 0)
		return -EINVAL;
	if (*end) {
		for (i = 0; units[i] && toupper((unsigned char)*end) != units[i]; i++)
			;
		if (!units[i])
			return -EINVAL;
		for (; i > 0; i--)
			v *= 1024;
		end++;
		if (*end == 'i' || *end == 'I')
			end++;
		if (*end == 'B' || *end == 'b')
			end++;
		if (*end)
			return -EINVAL;
	}
	*out = (uint64_t)v;
	return 0;
}
