// SPDX-License-Identifier: GPL-2.0-only
/* Strict number parsing and size formatting; see num.h. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "num.h"

#define FRAC_DIGITS_MAX	9

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

int dt_parse_ll(const char *s, long long min, long long max, long long *out)
{
	const char *d = s[0] == '-' ? s + 1 : s;
	long long v;
	char *end;

	if (!digit(*d))
		return -EINVAL;
	if (d != s && min >= 0)
		return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

/* the unit at s: its shift, and where it ends; -EDOM when unknown */
static int unit(const char *s, const char **end)
{
	static const char units[] = "KMGT";
	const char *u = *s ? strchr(units, toupper((unsigned char)*s)) : NULL;
	int shift = 0;

	if (u) {
		shift = 10 * (int)(u - units + 1);
		s++;
		if (*s == 'i' || *s == 'I')
			s++;
	}
	if ((*s == 'b' || *s == 'B') && (u || s[1] == '\0'))
		s++;
	if (*s)
		return -EDOM;
	*end = s;
	return shift;
}

int dt_parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned __int128 v = 0, frac = 0, scale = 1;
	const char *p = s, *end;
	int shift, nf = 0;

	if (!digit(*p))
		return -EINVAL;
	for (; digit(*p); p++)
		if ((v = v * 10 + (*p - '0')) > UINT64_MAX)
			return -ERANGE;
	if (*p == '.') {
		if (!digit(*++p))
			return -EINVAL;
		for (; digit(*p); p++, nf++) {
			if (nf == FRAC_DIGITS_MAX)
				return -EILSEQ;
			frac = frac * 10 + (*p - '0');
			scale *= 10;
		}
	}
	if (*p && !isalpha((unsigned char)*p))
		return -EINVAL;
	shift = unit(p, &end);
	if (shift < 0)
		return shift;
	v <<= shift;
	frac <<= shift;
	if (frac % scale)
		return -EILSEQ;
	v += frac / scale;
	if (v > UINT64_MAX || v < min || v > max)
		return -ERANGE;
	*out = (uint64_t)v;
	return 0;
}

int dt_parse_double(const char *s, double min, double max, double *out)
{
	const char *p = s[0] == '-' ? s + 1 : s;
	char *end;
	double v;

	/* decimal only: no inf, nan, hex floats or blanks */
	if (!digit(*p) && !(*p == '.' && digit(p[1])))
		return -EINVAL;
	if ((p != s && min >= 0) || p[strspn(p, "0123456789.eE+-")])
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (*end || end == s)
		return -EINVAL;
	if (errno == ERANGE || !isfinite(v) || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

const char *dt_num_why(int err)
{
	switch (err) {
	case -ERANGE:	return "out of range";
	case -EDOM:	return "unknown unit (use K, M, G or T)";
	case -EILSEQ:	return "not a whole number of bytes";
	default:	return "not a number";
	}
}

char *dt_size_str(uint64_t bytes, bool raw, char *buf, size_t len)
{
	static const char units[] = "BKMGTPE";
	double v = bytes;
	int i = 0;

	if (raw || bytes < 1024) {
		snprintf(buf, len, raw ? "%" PRIu64 : "%" PRIu64 "B", bytes);
		return buf;
	}
	while (v >= 1024 && units[i + 1]) {
		v /= 1024;
		i++;
	}
	v = round(v * 10) / 10;
	if (v == floor(v))
		snprintf(buf, len, "%.0f%c", v, units[i]);
	else
		snprintf(buf, len, "%.1f%c", v, units[i]);
	return buf;
}
