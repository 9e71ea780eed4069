/* SPDX-License-Identifier: GPL-2.0-only */
/* kprobe/kretprobe pairs: the entry arguments wait by (tid, role) for the return. */
#ifndef __DT_KPROBE_BPF_H
#define __DT_KPROBE_BPF_H

struct kp_args {
	__u64 a0;
	__u64 a1;
};

/* the kprobes nest (direct_io > map_blocks): one slot per role */
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

static __always_inline void kp_save(__u32 role, struct kp_args *a)
{
	struct kp_key k = { .tid = cur_tid(), .role = role };

	if (bpf_map_update_elem(&kpargs, &k, a, BPF_ANY))
		cnt_inc(DT_CNT_MAP_FULL);
}

/* take the saved entry arguments (copied out, entry deleted) */
static __always_inline bool kp_take(__u32 role, struct kp_args *a)
{
	struct kp_key k = { .tid = cur_tid(), .role = role };
	struct kp_args *v = bpf_map_lookup_elem(&kpargs, &k);

	if (!v)
		return false;
	*a = *v;
	bpf_map_delete_elem(&kpargs, &k);
	return true;
}

#endif
