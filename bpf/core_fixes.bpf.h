/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Local, flavoured views of kernel structures that are private to fs/erofs
 * or changed between kernels.  preserve_access_index makes every access a
 * CO-RE relocation against the running kernel's BTF; the ___flavour suffix
 * is dropped by libbpf when matching.  Fields that only some kernels have
 * (the RFC's io->total, io->done, rq->private) are read only after
 * bpf_core_field_exists() says so, so one object runs on the unpatched
 * 6.12, the rfc flavour and later kernels.
 */
#ifndef __DT_CORE_FIXES_BPF_H
#define __DT_CORE_FIXES_BPF_H

/* fs/erofs/internal.h, 6.12 .. 6.18: dif0 is the primary device */
struct erofs_device_info___dt {
	struct file *file;		/* backing file of a file-backed mount */
} __attribute__((preserve_access_index));

struct erofs_sb_info___dt {
	struct erofs_device_info___dt dif0;
} __attribute__((preserve_access_index));

/* fs/erofs/internal.h: the result of erofs_map_blocks() */
struct erofs_map_blocks___dt {
	__u64 m_pa;
	__u64 m_la;
	__u64 m_plen;
	__u64 m_llen;
	unsigned short m_deviceid;
	unsigned int m_flags;
} __attribute__((preserve_access_index));

/* fs/erofs/fileio.c with the direct-I/O RFC applied */
struct erofs_fileio___rfc {
	__u64 total;			/* size_t: bytes the request must read */
	__u64 done;			/* size_t: bytes read so far */
} __attribute__((preserve_access_index));

struct erofs_fileio_rq___rfc {
	struct bio bio;
	struct kiocb iocb;
	void *private;			/* the struct erofs_fileio of a DIO */
	long ret;			/* ssize_t: result of the backing read */
} __attribute__((preserve_access_index));

/* include/linux/mm_types.h: order of a large folio (6.12 .. 6.18) */
struct folio___dt {
	unsigned long _flags_1;
} __attribute__((preserve_access_index));

#endif /* __DT_CORE_FIXES_BPF_H */
