/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Finding a type id by name in the kernel's BTF without parsing it into
 * libbpf's model: calibration needs a handful of ids (functions and
 * tracepoint typedefs), and libbpf parses vmlinux BTF once more anyway when
 * the object loads.  A linear scan of the raw blob is a few milliseconds.
 */
#ifndef __DT_BTF_SCAN_H
#define __DT_BTF_SCAN_H

#include <stddef.h>
#include <stdint.h>

struct dt_btf {
	unsigned char *data;
	size_t len;
	int mapped;		/* data is an mmap of the file, else malloc'd */
	const unsigned char *types, *strs;
	uint32_t types_len, strs_len;
};

/* read PATH (NULL: /sys/kernel/btf/vmlinux); 0 or -errno */
int dt_btf_open(struct dt_btf *b, const char *path);
void dt_btf_close(struct dt_btf *b);

/* id of the type NAME of KIND (BTF_KIND_*), or -ENOENT / -EINVAL (malformed) */
int dt_btf_find(const struct dt_btf *b, const char *name, unsigned int kind);

#endif
