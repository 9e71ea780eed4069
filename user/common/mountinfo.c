// SPDX-License-Identifier: GPL-2.0-only
/* /proc/self/mountinfo; see mountinfo.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mountinfo.h"

static int octal(char c)
{
	return c >= '0' && c <= '7' ? c - '0' : -1;
}

/* the kernel writes space, tab, newline and backslash as \ooo */
static void unescape(char *s)
{
	char *d = s;
	int a, b, c;

	for (; *s; s++, d++) {
		if (s[0] == '\\' && (a = octal(s[1])) >= 0 && a <= 3 &&
		    (b = octal(s[2])) >= 0 && (c = octal(s[3])) >= 0) {
			*d = (char)(a << 6 | b << 3 | c);
			s += 3;
		} else {
			*d = *s;
		}
	}
	*d = '\0';
}

static int parse_dev(const char *s, unsigned int *major, unsigned int *minor)
{
	char *end;
	unsigned long a, b;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	a = strtoul(s, &end, 10);
	if (*end != ':' || end[1] < '0' || end[1] > '9')
		return -EINVAL;
	b = strtoul(end + 1, &end, 10);
	if (*end || errno || a > 0xfff || b > 0xfffff)
		return -EINVAL;
	*major = a;
	*minor = b;
	return 0;
}

int dt_mountinfo_parse(char *line, struct dt_mountinfo *mi)
{
	char *f[6], *sep, *save = NULL;
	int i;

	line[strcspn(line, "\n")] = '\0';
	sep = strstr(line, " - ");
	if (!sep)
		return -EINVAL;
	*sep = '\0';
	for (i = 0; i < 6; i++)
		if (!(f[i] = strtok_r(i ? NULL : line, " ", &save)))
			return -EINVAL;
	if (parse_dev(f[2], &mi->major, &mi->minor))
		return -EINVAL;
	mi->root = f[3];
	mi->mnt = f[4];
	mi->mnt_opts = f[5];
	save = NULL;
	mi->fstype = strtok_r(sep + 3, " ", &save);
	mi->source = strtok_r(NULL, " ", &save);
	mi->super_opts = strtok_r(NULL, " ", &save);
	if (!mi->fstype || !mi->source)
		return -EINVAL;
	if (!mi->super_opts)
		mi->super_opts = "";
	unescape(mi->root);
	unescape(mi->mnt);
	unescape(mi->source);
	return 0;
}

int dt_mountinfo_each(int (*fn)(const struct dt_mountinfo *mi, void *arg), void *arg)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	struct dt_mountinfo mi;
	char *line = NULL;
	size_t cap = 0;
	int ret = 0;

	if (!f)
		return -errno;
	while (!ret && getline(&line, &cap, f) > 0)
		if (!dt_mountinfo_parse(line, &mi))
			ret = fn(&mi, arg);
	free(line);
	fclose(f);
	return ret;
}
