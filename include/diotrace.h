/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * erofs-diotrace: the event model shared by the BPF programs (bpf/) and user
 * space (user/).  Every event is one fixed-size record; all fields have fixed
 * widths so that a recorded stream means the same on every build.
 *
 * Device numbers are the kernel's internal dev_t (major << 20 | minor), as
 * found in super_block->s_dev; user space converts with dt_dev_major/minor().
 */
#ifndef __DIOTRACE_H
#define __DIOTRACE_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define DT_EVENT_VERSION	2	/* 2: drops stamp in the header */
#define DT_PATH_MAX		96
#define DT_COMM_LEN		16

/* kernel flag values the event stream carries verbatim (stable since 5.x) */
#define DT_IOCB_DIRECT		(1u << 17)	/* IOCB_DIRECT, include/linux/fs.h */
#define DT_IOCB_NOWAIT		(1u << 3)	/* IOCB_NOWAIT = RWF_NOWAIT (uapi) */
/*
 * O_DIRECT as events carry it (dt_open.flags): the asm-generic value.  BPF
 * translates the running architecture's O_DIRECT (given by the loader) to
 * this bit, so a recorded stream means the same on every architecture.
 */
#define DT_O_DIRECT		040000

/* erofs_map_blocks() m_flags, fs/erofs/internal.h */
#define DT_MAP_MAPPED		0x0001
#define DT_MAP_META		0x0002
#define DT_MAP_ENCODED		0x0004
#define DT_MAP_FULL_MAPPED	0x0008
#define DT_MAP_FRAGMENT		0x0010
#define DT_MAP_PARTIAL_REF	0x0020

#define DT_EROFS_MAGIC		0xE0F5E1E2u

enum dt_event_type {
	DT_EV_REQ_START = 1,	/* user read request enters EROFS (read_iter or syscall) */
	DT_EV_REQ_END,		/* ... and returns (req.ret) */
	DT_EV_DIO_START,	/* erofs_fileio_direct_io() entry */
	DT_EV_DIO_END,		/* erofs_fileio_direct_io() return */
	DT_EV_EXTENT,		/* erofs_map_blocks() result */
	DT_EV_BACKING_SUBMIT,	/* vfs_iocb_iter_read() into the backing file, entry */
	DT_EV_BACKING_RET,	/* vfs_iocb_iter_read() return: bytes, error or -EIOCBQUEUED */
	DT_EV_BACKING_DONE,	/* erofs_fileio_ki_complete(): completion of a backing read */
	DT_EV_PC_ADD,		/* mm_filemap_add_to_page_cache */
	DT_EV_PC_DEL,		/* mm_filemap_delete_from_page_cache */
	DT_EV_OPEN,		/* open(2) of a path, result; user space decides if it is EROFS */
	DT_EV_REQ_DONE,		/* the user kiocb's ->ki_complete() (aio, io_uring): the
				 * completion of a read that returned -EIOCBQUEUED */
	DT_EV_MAX,
};

/* which kind of program produced an event (for -v and for the report) */
enum dt_source {
	DT_SRC_NONE = 0,
	DT_SRC_FENTRY,
	DT_SRC_KPROBE,
	DT_SRC_TRACEPOINT,
	DT_SRC_SYSCALL,		/* syscall tracepoint fallback */
	DT_SRC_REPLAY,		/* synthesised by a test or recorded stream */
};

struct dt_req {			/* DT_EV_REQ_START / DT_EV_REQ_END / DT_EV_REQ_DONE */
	__s64 pos;		/* ki_pos at entry */
	__u64 len;		/* iov_iter count at entry */
	__u64 isize;		/* i_size of the EROFS inode */
	__s64 ret;		/* END: bytes returned, -errno or -EIOCBQUEUED;
				 * DONE: the result given to ki_complete() */
	__u32 flags;		/* kiocb ki_flags (DT_IOCB_DIRECT) */
	__u32 fd;		/* syscall fallback only, else ~0 */
	__u32 bufmis;		/* START: DT_BUF_KNOWN | the user buffer's address mod 64 KiB
				 * (one segment only); 0: not traced */
	__u32 pad;
};

#define DT_BUF_KNOWN		(1u << 31)

struct dt_dio {			/* DT_EV_DIO_START / DT_EV_DIO_END */
	__s64 pos;
	__u64 count;		/* iov_iter count at entry (before EOF clamp) */
	__u64 total;		/* kernel's io.total where readable, else ~0 */
	__u64 done;		/* kernel's io.done where readable, else ~0 */
	__s64 ret;		/* END: return value */
	__u64 isize;
};

struct dt_extent {		/* DT_EV_EXTENT */
	__u64 m_la;
	__u64 m_pa;
	__u64 m_llen;
	__u64 m_plen;
	__u32 m_flags;		/* DT_MAP_* */
	__u32 m_deviceid;
	__s32 err;		/* erofs_map_blocks() return */
	__u32 pad;
};

struct dt_backing {		/* DT_EV_BACKING_* ; dev/ino of the event = backing file */
	__u64 rq;		/* erofs_fileio_rq / kiocb address: links submit, ret and done */
	__s64 pos;		/* ki_pos in the backing file */
	__u64 len;		/* iov_iter count */
	__s64 ret;		/* RET/DONE: bytes, -errno, -EIOCBQUEUED (-529) */
	__u32 flags;		/* backing kiocb ki_flags (DT_IOCB_DIRECT = directio) */
	__u32 pad;
};

struct dt_pc {			/* DT_EV_PC_ADD / DT_EV_PC_DEL */
	__u64 index;		/* folio index */
	__u32 nr_pages;		/* pages in the folio */
	__u32 is_erofs;		/* 1: the inode is on EROFS; 0: a backing file */
};

struct dt_open {		/* DT_EV_OPEN */
	__s32 flags;
	__s32 ret;		/* fd or -errno */
	char path[DT_PATH_MAX];
};

struct dt_event {
	__u16 version;		/* DT_EVENT_VERSION */
	__u16 type;		/* enum dt_event_type */
	__u16 source;		/* enum dt_source */
	__u16 cpu;
	__u32 pid;		/* tgid */
	__u32 tid;
	__u64 ts_ns;		/* bpf_ktime_get_ns() */
	__u64 dev;		/* inode's s_dev (EROFS inode, or backing file) */
	__u64 ino;
	__u64 cookie;		/* kiocb address of the user request (0 if unknown) */
	/*
	 * Loss stamp: ring-buffer reservations that had failed, on any CPU,
	 * when this event was emitted.  Two events of one request with the
	 * same stamp prove that nothing was dropped between them.
	 */
	__u64 drops;
	char comm[DT_COMM_LEN];
	union {
		struct dt_req req;
		struct dt_dio dio;
		struct dt_extent ext;
		struct dt_backing bk;
		struct dt_pc pc;
		struct dt_open open;
	};
};

/*
 * The ring record of an O_DIRECT open(2) that failed with EINVAL: the event
 * followed by what user space needs to find the file without looking at the
 * process (which may be gone): the whole path as passed and the directory it
 * is relative to, as names from the leaf up to the root of the mount
 * namespace.  User space resolves it, fills ev.dev/ev.ino and hands the
 * plain struct dt_event on (record, engine); this tail never leaves the
 * tracer.
 */
#define DT_OPEN_PATH_LONG	4096
#define DT_OPEN_BASE_LEN	4096
#define DT_OPEN_ABS		0x1	/* the path is absolute: base is the process root */
#define DT_OPEN_BASE_CUT	0x2	/* base walk stopped early (too deep or unreadable) */
#define DT_OPEN_PATH_CUT	0x4	/* path unreadable or longer than DT_OPEN_PATH_LONG */
#define DT_OPEN_BAD_DIRFD	0x8	/* dirfd is not an open directory */

struct dt_open_ext {
	struct dt_event ev;	/* DT_EV_OPEN */
	__u64 base_dev;		/* s_dev of the base directory */
	__u32 base_magic;	/* its s_magic */
	__u16 ncomp;		/* names in base[] */
	__u16 flags;		/* DT_OPEN_* */
	char path[DT_OPEN_PATH_LONG];
	char base[DT_OPEN_BASE_LEN];	/* '\0'-separated names, leaf first */
};

/* probe roles: each must be bound by some program or be reported unbound */
enum dt_role {
	DT_ROLE_REQ = 0,	/* user read requests on EROFS files */
	DT_ROLE_DIO,		/* erofs_fileio_direct_io */
	DT_ROLE_EXTENT,		/* erofs_map_blocks */
	DT_ROLE_BACKING_SUBMIT,	/* vfs_iocb_iter_read */
	DT_ROLE_BACKING_DONE,	/* erofs_fileio_ki_complete */
	DT_ROLE_PC_ADD,
	DT_ROLE_PC_DEL,
	DT_ROLE_OPEN,
	DT_ROLE_REQ_DONE,	/* aio_complete_rw, io_complete_rw: async user completions */
	DT_ROLE_MAX,
};

/* counters kept by BPF in a per-CPU array, index = enum dt_counter */
enum dt_counter {
	DT_CNT_EMITTED = 0,	/* events submitted to the ring */
	DT_CNT_RB_DROPPED,	/* bpf_ringbuf_reserve() failed */
	DT_CNT_READS,		/* read requests the traced processes issued on EROFS,
				 * counted whether or not their events reached the ring */
	DT_CNT_MAP_FULL,	/* a BPF map update failed: state for a request lost */
	DT_CNT_EVICTED,		/* an in-flight entry was evicted (LRU) before its end */
	DT_CNT_PIDS_FULL,	/* a traced process could not be added to the pid table */
	DT_CNT_MAX,
};

static inline unsigned int dt_dev_major(__u64 dev) { return (unsigned int)(dev >> 20); }
static inline unsigned int dt_dev_minor(__u64 dev) { return (unsigned int)(dev & 0xfffff); }

#endif /* __DIOTRACE_H */
