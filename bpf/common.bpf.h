/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What every role shares: the loader's settings, the maps, the event ring
 * and the filters.  Every program starts with traced(), the pid filter, so
 * a process that is not traced leaves after one map lookup.
 */
#ifndef __DT_COMMON_BPF_H
#define __DT_COMMON_BPF_H

#define EIOCBQUEUED	529
#define EINVAL		22
#define MAX_IOVS	32
#define S_IFMT		00170000
#define S_IFREG		0100000
#define AT_FDCWD	-100

/* set by the loader before load */
const volatile __u64 targ_dev = 0;	/* --mount: only this EROFS s_dev */
const volatile bool sys_req = false;	/* REQ bound to the raw sys_enter/sys_exit pair */
const volatile bool sys_open = false;	/* OPEN bound to the raw sys_enter/sys_exit pair */
const volatile bool bk_done_bound = false; /* BACKING_DONE ends in-flight entries */
const volatile __u32 o_direct = 040000;	/* this architecture's O_DIRECT */
/* syscall numbers of this architecture, for the raw sys_enter fallback; -1: none */
const volatile long nr_read = -1, nr_pread64 = -1, nr_readv = -1, nr_preadv = -1,
	nr_preadv2 = -1, nr_open = -1, nr_openat = -1, nr_openat2 = -1;

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

/* traced process tree: tgid -> 1; entries leave at exit */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__uint(map_flags, BPF_F_NO_PREALLOC);	/* rarely written: allocate on use */
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

static __always_inline void ev_init(struct dt_event *ev, __u16 type, __u16 src)
{
	__u64 id = bpf_get_current_pid_tgid();

	ev->version = DT_EVENT_VERSION;
	ev->type = type;
	ev->source = src;
	ev->cpu = bpf_get_smp_processor_id();
	ev->pid = id >> 32;
	ev->tid = (__u32)id;
	ev->ts_ns = bpf_ktime_get_ns();
	ev->drops = *(volatile __u64 *)&rb_drops;
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
}

static __always_inline void ev_dropped(void)
{
	__sync_fetch_and_add(&rb_drops, 1);
	cnt_inc(DT_CNT_RB_DROPPED);
}

static __always_inline struct dt_event *ev_new(__u16 type, __u16 src)
{
	struct dt_event *ev = bpf_ringbuf_reserve(&rb, sizeof(*ev), 0);

	if (!ev) {
		ev_dropped();
		return NULL;
	}
	__builtin_memset(ev, 0, sizeof(*ev));
	ev_init(ev, type, src);
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

/* the file behind a descriptor of the current task, or NULL */
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

/*
 * One body, two programs: the BTF-typed tracepoint and its raw twin (for
 * kernels or settings where tp_btf does not load).  CALL is the body.
 */
#define DT_TP_TWINS(tp, name, call, args...)				\
	SEC("tp_btf/" #tp)						\
	int BPF_PROG(tp_##name, args) { return call; }			\
	SEC("raw_tp/" #tp)						\
	int BPF_PROG(raw_##name, args) { return call; }

#endif /* __DT_COMMON_BPF_H */
