// SPDX-License-Identifier: GPL-2.0-only
/* A linear scan of raw BTF for a type by name; see btf_scan.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/btf.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "btf_scan.h"

static int read_all(const char *path, unsigned char **data, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = 0;
	size_t cap = 1 << 20, n = 0;
	unsigned char *p = NULL, *q;
	ssize_t r;

	if (fd < 0)
		return -errno;
	for (;;) {
		if (!p || n == cap) {
			cap = p ? cap * 2 : cap;
			q = realloc(p, cap);
			if (!q) {
				err = -ENOMEM;
				break;
			}
			p = q;
		}
		r = read(fd, p + n, cap - n);
		if (r < 0) {
			err = -errno;
			break;
		}
		if (!r)
			break;
		n += r;
	}
	close(fd);
	if (err) {
		free(p);
		return err;
	}
	*data = p;
	*len = n;
	return 0;
}

/* the kernel maps its BTF read-only (6.16+): no copy, no 4 KiB reads */
static int map_all(const char *path, unsigned char **data, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	void *p;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || st.st_size <= 0) {
		close(fd);
		return -EINVAL;
	}
	p = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -errno;
	*data = p;
	*len = st.st_size;
	return 0;
}

int dt_btf_open(struct dt_btf *b, const char *path)
{
	const struct btf_header *h;
	int err;

	memset(b, 0, sizeof(*b));
	path = path ? path : "/sys/kernel/btf/vmlinux";
	b->mapped = !map_all(path, &b->data, &b->len);
	if (!b->mapped && (err = read_all(path, &b->data, &b->len)))
		return err;
	h = (const void *)b->data;
	if (b->len < sizeof(*h) || h->magic != BTF_MAGIC || h->hdr_len > b->len ||
	    (uint64_t)h->hdr_len + h->type_off + h->type_len > b->len ||
	    (uint64_t)h->hdr_len + h->str_off + h->str_len > b->len) {
		dt_btf_close(b);
		return -EINVAL;
	}
	b->types = b->data + h->hdr_len + h->type_off;
	b->types_len = h->type_len;
	b->strs = b->data + h->hdr_len + h->str_off;
	b->strs_len = h->str_len;
	return 0;
}

void dt_btf_close(struct dt_btf *b)
{
	if (b->mapped)
		munmap(b->data, b->len);
	else
		free(b->data);
	memset(b, 0, sizeof(*b));
}

/* bytes that follow struct btf_type for this kind, or -1 if unknown */
static long extra(unsigned int kind, unsigned int vlen)
{
	switch (kind) {
	case BTF_KIND_INT: case BTF_KIND_VAR: case BTF_KIND_DECL_TAG:
		return 4;
	case BTF_KIND_ARRAY:
		return 12;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION: case BTF_KIND_DATASEC:
	case BTF_KIND_ENUM64:
		return 12L * vlen;
	case BTF_KIND_ENUM: case BTF_KIND_FUNC_PROTO:
		return 8L * vlen;
	case BTF_KIND_PTR: case BTF_KIND_FWD: case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE: case BTF_KIND_CONST: case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC: case BTF_KIND_FLOAT: case BTF_KIND_TYPE_TAG:
		return 0;
	}
	return -1;
}

int dt_btf_find(const struct dt_btf *b, const char *name, unsigned int kind)
{
	size_t off = 0, nl = strlen(name);
	const struct btf_type *t;
	int id = 1;
	long x;

	while (off + sizeof(*t) <= b->types_len) {
		t = (const void *)(b->types + off);
		x = extra(BTF_INFO_KIND(t->info), BTF_INFO_VLEN(t->info));
		if (x < 0)
			return -EINVAL;
		if (BTF_INFO_KIND(t->info) == kind && t->name_off + nl < b->strs_len &&
		    !memcmp(b->strs + t->name_off, name, nl + 1))
			return id;
		off += sizeof(*t) + x;
		id++;
	}
	return -ENOENT;
}
