/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * OPEN: open(2), openat(2), openat2(2) of traced processes.  An open that
 * returns a descriptor to an EROFS file is one event with dev/ino.  An
 * O_DIRECT open refused with EINVAL is one struct dt_open_ext record: the
 * path as passed and the names of the directory it starts from, read here
 * while the process still exists, so user space resolves it without /proc.
 * Every other open is of no interest and emits nothing.
 */
#ifndef __DT_OPEN_BPF_H
#define __DT_OPEN_BPF_H

#define DT_BASE_DEPTH	64
#define DT_NAME_LEN	256
#define DT_BASE_HALF	(DT_OPEN_BASE_LEN / 2)

struct open_state {
	__u64 path;		/* user pointer */
	__u32 flags;		/* as passed (this architecture's values) */
	__s32 dfd;		/* AT_FDCWD for open(2) */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct open_state);
} opens SEC(".maps");

static __always_inline void sys_open_begin(__s32 dfd, __u64 path, __u32 flags)
{
	struct open_state os = { .path = path, .flags = flags, .dfd = dfd };
	__u32 tid = cur_tid();

	if (bpf_map_update_elem(&opens, &tid, &os, BPF_ANY))
		cnt_inc(DT_CNT_MAP_FULL);
}

/* the open flags as events carry them: O_DIRECT as DT_O_DIRECT */
static __always_inline __s32 ev_open_flags(__u32 fl)
{
	bool direct = fl & o_direct;

	if (o_direct == DT_O_DIRECT)
		return fl;
	fl &= ~(o_direct | DT_O_DIRECT);
	return fl | (direct ? DT_O_DIRECT : 0);
}

static __always_inline void open_fill(struct dt_event *ev, struct open_state *os, long ret)
{
	ev->open.flags = ev_open_flags(os->flags);
	ev->open.ret = ret;
	bpf_probe_read_user_str(ev->open.path, sizeof(ev->open.path), (void *)os->path);
}

/* the refused open's record is built here, then copied into the ring */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dt_open_ext);
} open_scratch SEC(".maps");

struct walk {
	struct dentry *d;
	struct mount *m;
	__u32 off;		/* bytes used in base[] */
	bool done;		/* reached the root of the mount namespace */
};

/* one step up from w->d: a name, or a hop from a mount's root to its mountpoint */
static long walk_step(__u32 i, void *vw)
{
	struct walk *w = vw;
	struct dentry *d = w->d, *up;
	struct mount *m = w->m, *pm;
	struct dt_open_ext *x;
	__u32 zero = 0;
	long n;

	if (d == BPF_CORE_READ(m, mnt.mnt_root)) {
		pm = BPF_CORE_READ(m, mnt_parent);
		if (!pm || pm == m) {
			w->done = true;
			return 1;
		}
		w->d = BPF_CORE_READ(m, mnt_mountpoint);
		w->m = pm;
		return 0;
	}
	up = BPF_CORE_READ(d, d_parent);
	if (!up || up == d) {
		w->done = true;
		return 1;
	}
	x = bpf_map_lookup_elem(&open_scratch, &zero);
	if (!x || w->off >= DT_BASE_HALF)
		return 1;
	n = bpf_probe_read_kernel_str(&x->base[w->off & (DT_BASE_HALF - 1)], DT_NAME_LEN,
				      BPF_CORE_READ(d, d_name.name));
	if (n <= 0)
		return 1;
	w->off += n;
	x->ncomp++;
	w->d = up;
	return 0;
}

/* names from DENTRY (on MNT) up to the root of the mount namespace, leaf first */
static __always_inline void base_walk(struct dt_open_ext *x, struct dentry *d,
				      struct vfsmount *vm)
{
	struct walk w = {
		.d = d,
		.m = (void *)vm - bpf_core_field_offset(struct mount, mnt),
	};

	bpf_loop(DT_BASE_DEPTH, walk_step, &w, 0);
	if (!w.done)
		x->flags |= DT_OPEN_BASE_CUT;
}

static __always_inline void open_refused(struct open_state *os, long ret)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct dentry *d = NULL;
	struct vfsmount *vm = NULL;
	struct dt_open_ext *x;
	__u32 zero = 0;
	struct file *f;
	long n;

	x = bpf_map_lookup_elem(&open_scratch, &zero);
	if (!x)
		return;
	__builtin_memset(&x->ev, 0, sizeof(x->ev));
	ev_init(&x->ev, DT_EV_OPEN, DT_SRC_SYSCALL);
	open_fill(&x->ev, os, ret);
	x->base_dev = 0;
	x->base_magic = 0;
	x->ncomp = 0;
	x->flags = 0;
	x->base[0] = '\0';
	n = bpf_probe_read_user_str(x->path, sizeof(x->path), (void *)os->path);
	if (n <= 0) {
		x->path[0] = '\0';
		x->flags |= DT_OPEN_PATH_CUT;
	}
	if (x->path[0] == '/') {
		x->flags |= DT_OPEN_ABS;
		d = BPF_CORE_READ(task, fs, root.dentry);
		vm = BPF_CORE_READ(task, fs, root.mnt);
	} else if (os->dfd == AT_FDCWD) {
		d = BPF_CORE_READ(task, fs, pwd.dentry);
		vm = BPF_CORE_READ(task, fs, pwd.mnt);
	} else if ((f = fd_file((__u32)os->dfd))) {
		d = BPF_CORE_READ(f, f_path.dentry);
		vm = BPF_CORE_READ(f, f_path.mnt);
	}
	if (d && vm) {
		x->base_dev = BPF_CORE_READ(d, d_sb, s_dev);
		x->base_magic = BPF_CORE_READ(d, d_sb, s_magic);
		base_walk(x, d, vm);
	} else {
		x->flags |= DT_OPEN_BAD_DIRFD;
	}
	x->ev.drops = *(volatile __u64 *)&rb_drops;
	if (bpf_ringbuf_output(&rb, x, sizeof(*x), 0))
		ev_dropped();
	else
		cnt_inc(DT_CNT_EMITTED);
}

static __always_inline void sys_open_end(long ret)
{
	__u32 tid = cur_tid();
	struct open_state *os = bpf_map_lookup_elem(&opens, &tid);
	struct dt_event *ev;
	struct inode *inode;

	if (!os)
		return;
	if (ret >= 0) {
		inode = BPF_CORE_READ(fd_file(ret), f_inode);
		if (erofs_wanted(inode) && (ev = ev_new(DT_EV_OPEN, DT_SRC_SYSCALL))) {
			ev->dev = BPF_CORE_READ(inode, i_sb, s_dev);
			ev->ino = BPF_CORE_READ(inode, i_ino);
			open_fill(ev, os, ret);
			ev_send(ev);
		}
	} else if (ret == -EINVAL && (os->flags & o_direct)) {
		open_refused(os, ret);
	}
	bpf_map_delete_elem(&opens, &tid);
}

SEC("tracepoint/syscalls/sys_enter_open")
int sc_enter_open(struct trace_event_raw_sys_enter *ctx)
{
	if (traced())
		sys_open_begin(AT_FDCWD, ctx->args[0], ctx->args[1]);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_openat")
int sc_enter_openat(struct trace_event_raw_sys_enter *ctx)
{
	if (traced())
		sys_open_begin(ctx->args[0], ctx->args[1], ctx->args[2]);
	return 0;
}

static __always_inline __u32 openat2_flags(__u64 how)
{
	__u64 fl = 0;

	bpf_probe_read_user(&fl, sizeof(fl), (void *)how);	/* open_how.flags */
	return fl;
}

SEC("tracepoint/syscalls/sys_enter_openat2")
int sc_enter_openat2(struct trace_event_raw_sys_enter *ctx)
{
	if (traced())
		sys_open_begin(ctx->args[0], ctx->args[1], openat2_flags(ctx->args[2]));
	return 0;
}

#define DT_SC_OPEN_EXIT(name)						\
	SEC("tracepoint/syscalls/sys_exit_" #name)			\
	int sc_exit_##name(struct trace_event_raw_sys_exit *ctx)	\
	{								\
		if (traced())						\
			sys_open_end(ctx->ret);				\
		return 0;						\
	}

DT_SC_OPEN_EXIT(open)
DT_SC_OPEN_EXIT(openat)
DT_SC_OPEN_EXIT(openat2)

#endif /* __DT_OPEN_BPF_H */
