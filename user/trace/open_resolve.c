// SPDX-License-Identifier: GPL-2.0-only
/* Resolving a refused O_DIRECT open from its BPF record; see open_resolve.h. */
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include "open_resolve.h"
#include "run_mounts.h"

/* append S to BUF (used bytes *n); -1 when it does not fit */
static int put(char *buf, size_t len, size_t *n, const char *s, size_t sl)
{
	if (*n + sl + 1 > len)
		return -1;
	memcpy(buf + *n, s, sl);
	*n += sl;
	buf[*n] = '\0';
	return 0;
}

/* the I-th name of base[] (leaf first), its length in *sl; NULL if malformed */
static const char *base_name(const struct dt_open_ext *x, unsigned int i, size_t *sl)
{
	size_t off = 0;
	const char *end;

	for (;;) {
		if (off >= sizeof(x->base))
			return NULL;
		end = memchr(x->base + off, '\0', sizeof(x->base) - off);
		if (!end)
			return NULL;
		if (!i--) {
			*sl = end - (x->base + off);
			return x->base + off;
		}
		off = end - x->base + 1;
	}
}

int dt_open_ext_path(const struct dt_open_ext *x, char *buf, size_t len)
{
	size_t n = 0, sl, pl;
	const char *s;
	int i;

	if (x->flags & (DT_OPEN_BASE_CUT | DT_OPEN_PATH_CUT | DT_OPEN_BAD_DIRFD))
		return -1;
	pl = strnlen(x->path, sizeof(x->path));
	if (!pl || pl == sizeof(x->path) || !len)
		return -1;
	buf[0] = '\0';
	for (i = x->ncomp - 1; i >= 0; i--) {
		s = base_name(x, i, &sl);
		if (!s || put(buf, len, &n, "/", 1) || put(buf, len, &n, s, sl))
			return -1;
	}
	if (x->path[0] != '/' && put(buf, len, &n, "/", 1))
		return -1;
	return put(buf, len, &n, x->path, pl);
}

enum dt_open_res dt_open_resolve(const struct dt_open_ext *x, uint64_t only_dev,
				 struct dt_event *ev)
{
	char path[DT_OPEN_PATH_LONG + DT_OPEN_BASE_LEN + 2];
	struct statfs sfs;
	struct stat st;

	if (dt_open_ext_path(x, path, sizeof(path)))
		return DT_OPEN_UNRESOLVED;
	if (stat(path, &st) || statfs(path, &sfs))
		return DT_OPEN_UNRESOLVED;
	if ((uint32_t)sfs.f_type != DT_EROFS_MAGIC)
		return DT_OPEN_ELSEWHERE;
	if (only_dev && dt_kdev(st.st_dev) != only_dev)
		return DT_OPEN_ELSEWHERE;
	ev->dev = dt_kdev(st.st_dev);
	ev->ino = st.st_ino;
	return DT_OPEN_ON_EROFS;
}
