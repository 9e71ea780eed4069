// SPDX-License-Identifier: GPL-2.0-only
/*
 * erofs-diotrace BPF programs.  Every role (enum dt_role) has several
 * candidate programs: fentry/fexit, kprobe/kretprobe and tracepoints.  The
 * loader (user/trace_helpers.c) trial-loads them and autoloads only the
 * winners, so one object serves every kernel.  All programs emit struct
 * dt_event records (include/diotrace.h) into one ring buffer.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "diotrace.h"
#include "core_fixes.bpf.h"

char LICENSE[] SEC("license") = "GPL";

#define EIOCBQUEUED	529
#define MAX_IOVS	32
#define S_IFMT		00170000
#define S_IFREG		0100000

/* x86_64 syscall numbers */
#define NR_read		0
#define NR_open		2
#define NR_pread64	17
#define NR_readv	19
#define NR_openat	257
#define NR_preadv	295
#define NR_preadv2	327
#define NR_openat2	437

const volatile __u64 targ_dev = 0;	/* --mount: only this EROFS s_dev */
const volatile bool sys_req = false;	/* REQ role bound to syscall tracepoints */

/* failed ring reservations on all CPUs: the loss stamp of every event */
__u64 rb_drops = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, DT_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* traced process tree: tgid -> 1 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, __u8);
} pids SEC(".maps");

struct dt_file_key {
	__u64 dev;
	__u64 ino;
};

/* backing files of EROFS mounts (from user space and from the kernel) */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct dt_file_key);
	__type(value, __u8);
} backing SEC(".maps");

/* the user request a thread is in, by tid */
struct req_state {
	__u64 cookie;
	__u64 dev;
	__u64 ino;
	__s64 pos;
	__u64 len;
	__u64 isize;
	__u64 io;		/* struct erofs_fileio * of a DIO (rfc) */
	__u64 total;		/* io->total, or ~0 */
	__u64 done;		/* io->done, or ~0 */
	__u32 flags;
	__u32 fd;
	__u32 nr;		/* syscall number (syscall fallback) */
	__u8 in_req;		/* REQ_START emitted */
	__u8 in_dio;		/* DIO_START emitted */
	__u8 src;
	__u8 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct req_state);
} reqs SEC(".maps");

/* backing reads in flight: backing kiocb address -> request cookie */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, __u64);
	__type(value, __u64);
} inflight SEC(".maps");

/* kprobe/kretprobe and syscall enter/exit pairs: arguments by tid */
struct kp_args {
	__u64 a0;
	__u64 a1;
	__u64 a2;
};

/* entry arguments by (tid, role): the kprobes nest (direct_io > map_blocks) */
struct kp_key {
	__u32 tid;
	__u32 role;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct kp_key);
	__type(value, struct kp_args);
} kpargs SEC(".maps");

struct open_state {
	__s32 flags;
	__u32 nr;
	char path[DT_PATH_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct open_state);
} opens SEC(".maps");

/* ---- helpers ---------------------------------------------------------- */

static __always_inline void cnt_inc(__u32 idx);

static __always_inline void kp_save(__u32 role, struct kp_args *a)
{
	struct kp_key k = { .tid = (__u32)bpf_get_current_pid_tgid(), .role = role };

	if (bpf_map_update_elem(&kpargs, &k, a, BPF_ANY))
		cnt_inc(DT_CNT_MAP_FULL);
}

/* take the saved entry arguments (copied out, entry deleted) */
static __always_inline bool kp_take(__u32 role, struct kp_args *a)
{
	struct kp_key k = { .tid = (__u32)bpf_get_current_pid_tgid(), .role = role };
	struct kp_args *v = bpf_map_lookup_elem(&kpargs, &k);

	if (!v)
		return false;
	*a = *v;
	bpf_map_delete_elem(&kpargs, &k);
	return true;
}

static __always_inline void cnt_inc(__u32 idx)
{
	__u64 *c = bpf_map_lookup_elem(&counters, &idx);

	if (c)
		(*c)++;
}

static __always_inline __u32 cur_tid(void)
{
	return (__u32)bpf_get_current_pid_tgid();
}

static __always_inline bool traced(void)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	return bpf_map_lookup_elem(&pids, &tgid) != NULL;
}

static __always_inline struct dt_event *ev_new(__u16 type, __u16 src)
{
	struct dt_event *ev;
	__u64 id = bpf_get_current_pid_tgid();

	ev = bpf_ringbuf_reserve(&rb, sizeof(*ev), 0);
	if (!ev) {
		__sync_fetch_and_add(&rb_drops, 1);
		cnt_inc(DT_CNT_RB_DROPPED);
		return NULL;
	}
	__builtin_memset(ev, 0, sizeof(*ev));
	ev->version = DT_EVENT_VERSION;
	ev->type = type;
	ev->source = src;
	ev->cpu = bpf_get_smp_processor_id();
	ev->pid = id >> 32;
	ev->tid = (__u32)id;
	ev->ts_ns = bpf_ktime_get_ns();
	ev->drops = *(volatile __u64 *)&rb_drops;
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	return ev;
}

static __always_inline void ev_send(struct dt_event *ev)
{
	bpf_ringbuf_submit(ev, 0);
	cnt_inc(DT_CNT_EMITTED);
}

static __always_inline bool inode_is_erofs(struct inode *inode)
{
	if (!inode)
		return false;
	return BPF_CORE_READ(inode, i_sb, s_magic) == DT_EROFS_MAGIC;
}

/* an EROFS inode on the mount we trace */
static __always_inline bool erofs_wanted(struct inode *inode)
{
	if (!inode_is_erofs(inode))
		return false;
	return !targ_dev || BPF_CORE_READ(inode, i_sb, s_dev) == targ_dev;
}

static __always_inline void inode_key(struct inode *inode, struct dt_file_key *k)
{
	k->dev = BPF_CORE_READ(inode, i_sb, s_dev);
	k->ino = BPF_CORE_READ(inode, i_ino);
}

static __always_inline bool is_backing(struct inode *inode)
{
	struct dt_file_key k;

	if (!inode)
		return false;
	inode_key(inode, &k);
	return bpf_map_lookup_elem(&backing, &k) != NULL;
}

/* remember EROFS_SB(sb)->dif0.file of a file-backed mount */
static __always_inline void learn_backing(struct super_block *sb)
{
	struct erofs_sb_info___dt *sbi;
	struct dt_file_key k;
	struct inode *inode;
	struct file *file;
	__u8 one = 1;

	if (!bpf_core_field_exists(struct erofs_sb_info___dt, dif0))
		return;
	sbi = BPF_CORE_READ(sb, s_fs_info);
	if (!sbi)
		return;
	file = BPF_CORE_READ(sbi, dif0.file);
	if (!file)
		return;
	inode = BPF_CORE_READ(file, f_inode);
	if (!inode)
		return;
	inode_key(inode, &k);
	bpf_map_update_elem(&backing, &k, &one, BPF_ANY);
}

static __always_inline struct req_state *req_cur(void)
{
	__u32 tid = cur_tid();

	return bpf_map_lookup_elem(&reqs, &tid);
}

static __always_inline __u64 req_cookie(void)
{
	struct req_state *st = req_cur();

	return st ? st->cookie : 0;
}

/* ---- REQ: user read requests ------------------------------------------ */

static __always_inline void req_emit(struct req_state *st, __u16 type, __s64 ret)
{
	struct dt_event *ev = ev_new(type, st->src);

	if (!ev)
		return;
	ev->dev = st->dev;
	ev->ino = st->ino;
	ev->cookie = st->cookie;
	ev->req.pos = st->pos;
	ev->req.len = st->len;
	ev->req.isize = st->isize;
	ev->req.ret = ret;
	ev->req.flags = st->flags;
	ev->req.fd = st->fd;
	ev_send(ev);
}

static __always_inline void req_begin(struct req_state *st, struct inode *inode)
{
	__u32 tid = cur_tid();

	st->dev = BPF_CORE_READ(inode, i_sb, s_dev);
	st->ino = BPF_CORE_READ(inode, i_ino);
	st->isize = BPF_CORE_READ(inode, i_size);
	st->total = ~0ULL;
	st->done = ~0ULL;
	st->in_req = 1;
	learn_backing(BPF_CORE_READ(inode, i_sb));
	if (bpf_map_update_elem(&reqs, &tid, st, BPF_ANY))
		cnt_inc(DT_CNT_MAP_FULL);
	req_emit(st, DT_EV_REQ_START, 0);
}

static __always_inline int req_start(struct kiocb *iocb, struct iov_iter *to, __u16 src)
{
	struct req_state st = {};
	struct inode *inode;

	if (!traced())
		return 0;
	inode = BPF_CORE_READ(iocb, ki_filp, f_inode);
	if (!erofs_wanted(inode))
		return 0;
	st.cookie = (__u64)iocb;
	st.pos = BPF_CORE_READ(iocb, ki_pos);
	st.len = BPF_CORE_READ(to, count);
	st.flags = BPF_CORE_READ(iocb, ki_flags);
	st.fd = ~0U;
	st.src = src;
	req_begin(&st, inode);
	return 0;
}

static __always_inline int req_end(__s64 ret)
{
	__u32 tid = cur_tid();
	struct req_state *st = bpf_map_lookup_elem(&reqs, &tid);

	if (!st || !st->in_req)
		return 0;
	req_emit(st, DT_EV_REQ_END, ret);
	bpf_map_delete_elem(&reqs, &tid);
	return 0;
}

SEC("fentry/erofs_file_read_iter")
int BPF_PROG(fentry_req, struct kiocb *iocb, struct iov_iter *to)
{
	return req_start(iocb, to, DT_SRC_FENTRY);
}

SEC("fexit/erofs_file_read_iter")
int BPF_PROG(fexit_req, struct kiocb *iocb, struct iov_iter *to, long ret)
{
	return req_end(ret);
}

SEC("kprobe/erofs_file_read_iter")
int BPF_KPROBE(kp_req, struct kiocb *iocb, struct iov_iter *to)
{
	return req_start(iocb, to, DT_SRC_KPROBE);
}

SEC("kretprobe/erofs_file_read_iter")
int BPF_KRETPROBE(krp_req, long ret)
{
	return req_end(ret);
}

/* ---- syscall tracepoints: REQ fallback and OPEN ------------------------ */

static __always_inline struct file *fd_file(__u64 fd)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **arr;
	struct file *f = NULL;

	if (!fdt || fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	arr = BPF_CORE_READ(fdt, fd);
	bpf_probe_read_kernel(&f, sizeof(f), &arr[fd]);
	return f;
}

static __always_inline __u64 iov_total(const struct iovec *iov, __u64 cnt)
{
	__u64 sum = 0;
	struct iovec v;
	int i;

	/* more vectors than we read, or an unreadable one: length unknown */
	if (cnt > MAX_IOVS)
		return ~0ULL;
	for (i = 0; i < MAX_IOVS; i++) {
		if (i >= cnt)
			break;
		if (bpf_probe_read_user(&v, sizeof(v), &iov[i]))
			return ~0ULL;
		sum += v.iov_len;
	}
	return sum;
}

static __always_inline void sys_read_enter(struct pt_regs *regs, long nr, __u16 src)
{
	struct req_state st = {};
	__u64 fd = BPF_CORE_READ(regs, di);
	struct file *file = fd_file(fd);
	struct inode *inode;
	__s64 pos = -1;

	if (!file)
		return;
	inode = BPF_CORE_READ(file, f_inode);
	if (!erofs_wanted(inode))
		return;
	/* only regular files: read(2) on a directory is no data read */
	if ((BPF_CORE_READ(inode, i_mode) & S_IFMT) != S_IFREG)
		return;
	if (nr == NR_read || nr == NR_pread64)
		st.len = BPF_CORE_READ(regs, dx);
	else
		st.len = iov_total((void *)BPF_CORE_READ(regs, si), BPF_CORE_READ(regs, dx));
	if (nr == NR_pread64 || nr == NR_preadv || nr == NR_preadv2)
		pos = BPF_CORE_READ(regs, r10);
	if (pos == -1)
		pos = BPF_CORE_READ(file, f_pos);
	st.pos = pos;
	if (BPF_CORE_READ(file, f_flags) & DT_O_DIRECT)
		st.flags = DT_IOCB_DIRECT;
	st.fd = fd;
	st.nr = nr;
	st.src = src;
	st.cookie = (1ULL << 63) | ((__u64)(cur_tid() & 0x7fffff) << 40) |
		    (bpf_ktime_get_ns() & ((1ULL << 40) - 1));
	req_begin(&st, inode);
}

static __always_inline void sys_open_enter(struct pt_regs *regs, long nr)
{
	struct open_state os = {};
	__u32 tid = cur_tid();
	const char *path;

	if (nr == NR_open) {
		path = (void *)BPF_CORE_READ(regs, di);
		os.flags = BPF_CORE_READ(regs, si);
	} else if (nr == NR_openat) {
		path = (void *)BPF_CORE_READ(regs, si);
		os.flags = BPF_CORE_READ(regs, dx);
	} else {
		__u64 fl = 0;

		path = (void *)BPF_CORE_READ(regs, si);
		bpf_probe_read_user(&fl, sizeof(fl), (void *)BPF_CORE_READ(regs, dx));
		os.flags = fl;
	}
	os.nr = nr;
	bpf_probe_read_user_str(os.path, sizeof(os.path), path);
	if (bpf_map_update_elem(&opens, &tid, &os, BPF_ANY))
		cnt_inc(DT_CNT_MAP_FULL);
}

static __always_inline int sys_enter(struct pt_regs *regs, long nr, __u16 src)
{
	if (!traced())
		return 0;
	switch (nr) {
	case NR_read:
	case NR_pread64:
	case NR_readv:
	case NR_preadv:
	case NR_preadv2:
		if (sys_req)
			sys_read_enter(regs, nr, src);
		break;
	case NR_open:
	case NR_openat:
	case NR_openat2:
		sys_open_enter(regs, nr);
		break;
	}
	return 0;
}

static __always_inline void sys_open_exit(long ret, __u16 src)
{
	__u32 tid = cur_tid();
	struct open_state *os = bpf_map_lookup_elem(&opens, &tid);
	struct dt_event *ev;
	struct inode *inode;

	if (!os)
		return;
	ev = ev_new(DT_EV_OPEN, src);
	if (ev) {
		ev->open.flags = os->flags;
		ev->open.ret = ret;
		__builtin_memcpy(ev->open.path, os->path, sizeof(ev->open.path));
		if (ret >= 0) {
			inode = BPF_CORE_READ(fd_file(ret), f_inode);
			if (erofs_wanted(inode)) {
				ev->dev = BPF_CORE_READ(inode, i_sb, s_dev);
				ev->ino = BPF_CORE_READ(inode, i_ino);
			}
		}
		ev_send(ev);
	}
	bpf_map_delete_elem(&opens, &tid);
}

static __always_inline int sys_exit(struct pt_regs *regs, long ret, __u16 src)
{
	struct req_state *st;

	if (!traced())
		return 0;
	switch (BPF_CORE_READ(regs, orig_ax)) {
	case NR_open:
	case NR_openat:
	case NR_openat2:
		sys_open_exit(ret, src);
		break;
	default:
		st = req_cur();
		if (st && st->src == DT_SRC_SYSCALL && st->nr == BPF_CORE_READ(regs, orig_ax))
			req_end(ret);
	}
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(tp_sys_enter, struct pt_regs *regs, long id)
{
	return sys_enter(regs, id, DT_SRC_SYSCALL);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(tp_sys_exit, struct pt_regs *regs, long ret)
{
	return sys_exit(regs, ret, DT_SRC_SYSCALL);
}

SEC("raw_tp/sys_enter")
int BPF_PROG(raw_sys_enter, struct pt_regs *regs, long id)
{
	return sys_enter(regs, id, DT_SRC_SYSCALL);
}

SEC("raw_tp/sys_exit")
int BPF_PROG(raw_sys_exit, struct pt_regs *regs, long ret)
{
	return sys_exit(regs, ret, DT_SRC_SYSCALL);
}

/* ---- DIO: erofs_fileio_direct_io (rfc) -------------------------------- */

static __always_inline int dio_start(struct kiocb *iocb, struct iov_iter *iter, __u16 src)
{
	struct req_state *st = req_cur();
	struct dt_event *ev;
	struct inode *inode;

	if (!st || !traced())
		return 0;
	inode = BPF_CORE_READ(iocb, ki_filp, f_inode);
	if (!erofs_wanted(inode))
		return 0;
	st->in_dio = 1;
	st->io = 0;
	st->total = ~0ULL;
	st->done = ~0ULL;
	ev = ev_new(DT_EV_DIO_START, src);
	if (!ev)
		return 0;
	ev->dev = st->dev;
	ev->ino = st->ino;
	ev->cookie = st->cookie;
	ev->dio.pos = BPF_CORE_READ(iocb, ki_pos);
	ev->dio.count = BPF_CORE_READ(iter, count);
	ev->dio.isize = BPF_CORE_READ(inode, i_size);
	ev->dio.total = ~0ULL;
	ev->dio.done = ~0ULL;
	ev_send(ev);
	return 0;
}

static __always_inline int dio_end(struct kiocb *iocb, __s64 ret, __u16 src)
{
	struct req_state *st = req_cur();
	struct dt_event *ev;

	if (!st || !st->in_dio)
		return 0;
	st->in_dio = 0;
	ev = ev_new(DT_EV_DIO_END, src);
	if (!ev)
		return 0;
	ev->dev = st->dev;
	ev->ino = st->ino;
	ev->cookie = st->cookie;
	ev->dio.pos = BPF_CORE_READ(iocb, ki_pos);
	ev->dio.isize = st->isize;
	ev->dio.total = st->total;
	ev->dio.done = st->done;
	ev->dio.ret = ret;
	ev_send(ev);
	return 0;
}

/* read the RFC's io->total / io->done where this kernel has them */
static __always_inline void dio_note_io(struct erofs_fileio___rfc *io)
{
	struct req_state *st = req_cur();

	if (!st || !st->in_dio || !io)
		return;
	if (!bpf_core_field_exists(struct erofs_fileio___rfc, total) ||
	    !bpf_core_field_exists(struct erofs_fileio___rfc, done))
		return;
	st->io = (__u64)io;
	st->total = BPF_CORE_READ(io, total);
	st->done = BPF_CORE_READ(io, done);
}

SEC("fentry/erofs_fileio_direct_io")
int BPF_PROG(fentry_dio, struct kiocb *iocb, struct iov_iter *iter)
{
	return dio_start(iocb, iter, DT_SRC_FENTRY);
}

SEC("fexit/erofs_fileio_direct_io")
int BPF_PROG(fexit_dio, struct kiocb *iocb, struct iov_iter *iter, long ret)
{
	return dio_end(iocb, ret, DT_SRC_FENTRY);
}

SEC("kprobe/erofs_fileio_direct_io")
int BPF_KPROBE(kp_dio, struct kiocb *iocb, struct iov_iter *iter)
{
	struct kp_args a = { .a0 = (__u64)iocb };

	if (traced())
		kp_save(DT_ROLE_DIO, &a);
	return dio_start(iocb, iter, DT_SRC_KPROBE);
}

SEC("kretprobe/erofs_fileio_direct_io")
int BPF_KRETPROBE(krp_dio, long ret)
{
	struct kp_args a;

	if (kp_take(DT_ROLE_DIO, &a))
		dio_end((void *)a.a0, ret, DT_SRC_KPROBE);
	return 0;
}

/* io->total is set and the extents are scanned: the RFC's scan loop */
SEC("fexit/erofs_fileio_scan_iter")
int BPF_PROG(fexit_scan_iter, struct erofs_fileio___rfc *io)
{
	dio_note_io(io);
	return 0;
}

/* the RFC's bio end_io: io->done grows by the backing read's bytes */
SEC("fexit/erofs_fileio_end_io")
int BPF_PROG(fexit_end_io, struct bio *bio)
{
	struct erofs_fileio_rq___rfc *rq;

	if (!bpf_core_field_exists(struct erofs_fileio_rq___rfc, private))
		return 0;
	rq = (void *)bio - bpf_core_field_offset(struct erofs_fileio_rq___rfc, bio);
	dio_note_io(BPF_CORE_READ(rq, private));
	return 0;
}

/* ---- EXTENT: erofs_map_blocks ----------------------------------------- */

static __always_inline int extent_emit(struct inode *inode,
				       struct erofs_map_blocks___dt *map,
				       int err, __u16 src)
{
	struct dt_event *ev;

	if (!traced() || !erofs_wanted(inode))
		return 0;
	ev = ev_new(DT_EV_EXTENT, src);
	if (!ev)
		return 0;
	ev->dev = BPF_CORE_READ(inode, i_sb, s_dev);
	ev->ino = BPF_CORE_READ(inode, i_ino);
	ev->cookie = req_cookie();
	ev->ext.m_la = BPF_CORE_READ(map, m_la);
	ev->ext.m_pa = BPF_CORE_READ(map, m_pa);
	ev->ext.m_llen = BPF_CORE_READ(map, m_llen);
	ev->ext.m_plen = BPF_CORE_READ(map, m_plen);
	ev->ext.m_flags = BPF_CORE_READ(map, m_flags);
	ev->ext.m_deviceid = BPF_CORE_READ(map, m_deviceid);
	ev->ext.err = err;
	ev_send(ev);
	return 0;
}

SEC("fexit/erofs_map_blocks")
int BPF_PROG(fexit_map_blocks, struct inode *inode,
	     struct erofs_map_blocks___dt *map, int ret)
{
	return extent_emit(inode, map, ret, DT_SRC_FENTRY);
}

SEC("kprobe/erofs_map_blocks")
int BPF_KPROBE(kp_map_blocks, struct inode *inode, struct erofs_map_blocks___dt *map)
{
	struct kp_args a = { .a0 = (__u64)inode, .a1 = (__u64)map };

	if (traced())
		kp_save(DT_ROLE_EXTENT, &a);
	return 0;
}

SEC("kretprobe/erofs_map_blocks")
int BPF_KRETPROBE(krp_map_blocks, int ret)
{
	struct kp_args a;

	if (kp_take(DT_ROLE_EXTENT, &a))
		extent_emit((void *)a.a0, (void *)a.a1, ret, DT_SRC_KPROBE);
	return 0;
}

SEC("tp_btf/erofs_map_blocks_exit")
int BPF_PROG(tp_map_blocks, struct inode *inode, struct erofs_map_blocks___dt *map,
	     unsigned int flags, int ret)
{
	return extent_emit(inode, map, ret, DT_SRC_TRACEPOINT);
}

SEC("raw_tp/erofs_map_blocks_exit")
int BPF_PROG(raw_map_blocks, struct inode *inode, struct erofs_map_blocks___dt *map,
	     unsigned int flags, int ret)
{
	return extent_emit(inode, map, ret, DT_SRC_TRACEPOINT);
}

/* ---- BACKING: vfs_iocb_iter_read and its completion -------------------- */

static __always_inline bool bk_wanted(struct inode *inode)
{
	struct req_state *st = req_cur();
	struct dt_file_key k;
	__u8 one = 1;

	if (!inode || inode_is_erofs(inode))
		return false;
	if (st) {
		inode_key(inode, &k);
		bpf_map_update_elem(&backing, &k, &one, BPF_ANY);
		return true;
	}
	return is_backing(inode);
}

static __always_inline void bk_fill(struct dt_event *ev, struct kiocb *iocb)
{
	struct inode *inode = BPF_CORE_READ(iocb, ki_filp, f_inode);

	ev->dev = BPF_CORE_READ(inode, i_sb, s_dev);
	ev->ino = BPF_CORE_READ(inode, i_ino);
	ev->bk.rq = (__u64)iocb;
	ev->bk.pos = BPF_CORE_READ(iocb, ki_pos);
	ev->bk.flags = BPF_CORE_READ(iocb, ki_flags);
}

static __always_inline int bk_submit(struct file *file, struct kiocb *iocb,
				     struct iov_iter *iter, __u16 src)
{
	struct dt_event *ev;
	__u64 key = (__u64)iocb, cookie;

	if (!traced() || !bk_wanted(BPF_CORE_READ(file, f_inode)))
		return 0;
	cookie = req_cookie();
	bpf_map_update_elem(&inflight, &key, &cookie, BPF_ANY);
	ev = ev_new(DT_EV_BACKING_SUBMIT, src);
	if (!ev)
		return 0;
	bk_fill(ev, iocb);
	ev->cookie = cookie;
	ev->bk.len = BPF_CORE_READ(iter, count);
	ev_send(ev);
	return 0;
}

static __always_inline int bk_ret(struct kiocb *iocb, __s64 ret, __u16 src)
{
	__u64 key = (__u64)iocb, *cookie;
	struct dt_event *ev;

	cookie = bpf_map_lookup_elem(&inflight, &key);
	if (!cookie)
		return 0;
	ev = ev_new(DT_EV_BACKING_RET, src);
	if (!ev)
		return 0;
	bk_fill(ev, iocb);
	ev->cookie = *cookie;
	ev->bk.ret = ret;
	ev_send(ev);
	return 0;
}

static __always_inline int bk_done(struct kiocb *iocb, __s64 ret, __u16 src)
{
	__u64 key = (__u64)iocb, *cookie;
	struct dt_event *ev;

	cookie = bpf_map_lookup_elem(&inflight, &key);
	if (!cookie)
		return 0;
	ev = ev_new(DT_EV_BACKING_DONE, src);
	if (ev) {
		bk_fill(ev, iocb);
		ev->cookie = *cookie;
		ev->bk.ret = ret;
		ev_send(ev);
	}
	bpf_map_delete_elem(&inflight, &key);
	return 0;
}

SEC("fentry/vfs_iocb_iter_read")
int BPF_PROG(fentry_bk, struct file *file, struct kiocb *iocb, struct iov_iter *iter)
{
	return bk_submit(file, iocb, iter, DT_SRC_FENTRY);
}

SEC("fexit/vfs_iocb_iter_read")
int BPF_PROG(fexit_bk, struct file *file, struct kiocb *iocb, struct iov_iter *iter,
	     long ret)
{
	return bk_ret(iocb, ret, DT_SRC_FENTRY);
}

SEC("kprobe/vfs_iocb_iter_read")
int BPF_KPROBE(kp_bk, struct file *file, struct kiocb *iocb, struct iov_iter *iter)
{
	struct kp_args a = { .a0 = (__u64)iocb };

	bk_submit(file, iocb, iter, DT_SRC_KPROBE);
	if (traced())
		kp_save(DT_ROLE_BACKING_SUBMIT, &a);
	return 0;
}

SEC("kretprobe/vfs_iocb_iter_read")
int BPF_KRETPROBE(krp_bk, long ret)
{
	struct kp_args a;

	if (kp_take(DT_ROLE_BACKING_SUBMIT, &a))
		bk_ret((void *)a.a0, ret, DT_SRC_KPROBE);
	return 0;
}

SEC("fentry/erofs_fileio_ki_complete")
int BPF_PROG(fentry_bk_done, struct kiocb *iocb, long ret)
{
	return bk_done(iocb, ret, DT_SRC_FENTRY);
}

SEC("kprobe/erofs_fileio_ki_complete")
int BPF_KPROBE(kp_bk_done, struct kiocb *iocb, long ret)
{
	return bk_done(iocb, ret, DT_SRC_KPROBE);
}

/* ---- PC: page-cache inserts and deletes -------------------------------- */

static __always_inline __u32 folio_pages(struct folio *folio)
{
	struct folio___dt *f = (void *)folio;
	unsigned long flags = 0;
	int head = bpf_core_enum_value(enum pageflags, PG_head);

	if (!bpf_core_field_exists(struct folio___dt, _flags_1))
		return 1;
	bpf_probe_read_kernel(&flags, sizeof(flags), folio);
	if (!(flags & (1UL << (head & 63))))
		return 1;
	return 1U << (BPF_CORE_READ(f, _flags_1) & 0xff);
}

static __always_inline int pc_event(struct folio *folio, __u16 type, __u16 src)
{
	struct inode *inode;
	struct dt_event *ev;
	bool erofs;

	if (!traced())
		return 0;
	inode = BPF_CORE_READ(folio, mapping, host);
	erofs = erofs_wanted(inode);
	if (!erofs && !is_backing(inode))
		return 0;
	ev = ev_new(type, src);
	if (!ev)
		return 0;
	ev->dev = BPF_CORE_READ(inode, i_sb, s_dev);
	ev->ino = BPF_CORE_READ(inode, i_ino);
	ev->cookie = req_cookie();
	ev->pc.index = BPF_CORE_READ(folio, index);
	ev->pc.nr_pages = folio_pages(folio);
	ev->pc.is_erofs = erofs;
	ev_send(ev);
	return 0;
}

SEC("tp_btf/mm_filemap_add_to_page_cache")
int BPF_PROG(tp_pc_add, struct folio *folio)
{
	return pc_event(folio, DT_EV_PC_ADD, DT_SRC_TRACEPOINT);
}

SEC("raw_tp/mm_filemap_add_to_page_cache")
int BPF_PROG(raw_pc_add, struct folio *folio)
{
	return pc_event(folio, DT_EV_PC_ADD, DT_SRC_TRACEPOINT);
}

SEC("tp_btf/mm_filemap_delete_from_page_cache")
int BPF_PROG(tp_pc_del, struct folio *folio)
{
	return pc_event(folio, DT_EV_PC_DEL, DT_SRC_TRACEPOINT);
}

SEC("raw_tp/mm_filemap_delete_from_page_cache")
int BPF_PROG(raw_pc_del, struct folio *folio)
{
	return pc_event(folio, DT_EV_PC_DEL, DT_SRC_TRACEPOINT);
}

/* ---- process tree: follow forks --------------------------------------- */

static __always_inline int on_fork(struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = BPF_CORE_READ(parent, tgid);
	__u32 ctgid = BPF_CORE_READ(child, tgid);
	__u8 one = 1;

	if (bpf_map_lookup_elem(&pids, &ptgid) &&
	    bpf_map_update_elem(&pids, &ctgid, &one, BPF_ANY))
		cnt_inc(DT_CNT_MAP_FULL);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(tp_fork, struct task_struct *parent, struct task_struct *child)
{
	return on_fork(parent, child);
}

SEC("raw_tp/sched_process_fork")
int BPF_PROG(raw_fork, struct task_struct *parent, struct task_struct *child)
{
	return on_fork(parent, child);
}
