// SPDX-License-Identifier: GPL-2.0-only
/* Escaping of untrusted strings for text reports and JSON (escape.h). */
#include <stdint.h>
#include <stdio.h>
#include "escape.h"

/* length of the well-formed UTF-8 sequence at s (RFC 3629), 0 if none */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;	/* overlong, beyond Unicode, or a surrogate */
	return len;
}

static size_t bounded_len(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i])
		i++;
	return i;
}

char *dt_esc_text(char *dst, size_t dsz, const char *src, size_t n)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t len = bounded_len(src, n), i = 0, o = 0, k;

	if (!dsz)
		return dst;
	while (i < len) {
		k = utf8_len(s + i, len - i);
		if (k > 1 || (k == 1 && s[i] >= 0x20 && s[i] != 0x7f && s[i] != '\\')) {
			if (o + k >= dsz)
				break;
			while (k--)
				dst[o++] = s[i++];
			continue;
		}
		if (o + (s[i] == '\\' ? 2 : 4) >= dsz)
			break;
		if (s[i] == '\\')
			o += snprintf(dst + o, dsz - o, "\\\\");
		else
			o += snprintf(dst + o, dsz - o, "\\x%02x", s[i]);
		i++;
	}
	dst[o] = '\0';
	return dst;
}

char *dt_esc_utf8(char *dst, size_t dsz, const char *src, size_t n)
{
	static const char fffd[] = "\xef\xbf\xbd";
	const unsigned char *s = (const unsigned char *)src;
	size_t len = bounded_len(src, n), i = 0, o = 0, k;

	if (!dsz)
		return dst;
	while (i < len) {
		k = utf8_len(s + i, len - i);
		if (k) {
			if (o + k >= dsz)
				break;
			while (k--)
				dst[o++] = s[i++];
			continue;
		}
		if (o + 3 >= dsz)
			break;
		for (k = 0; k < 3; k++)
			dst[o++] = fffd[k];
		i++;
	}
	dst[o] = '\0';
	return dst;
}
