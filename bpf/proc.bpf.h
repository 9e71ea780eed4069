/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The traced process tree: children join at fork, every process leaves the
 * table when its last thread exits (so the table holds live processes only),
 * and a child that finds the table full is counted in DT_CNT_PIDS_FULL.
 */
#ifndef __DT_PROC_BPF_H
#define __DT_PROC_BPF_H

static __always_inline int on_fork(struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = BPF_CORE_READ(parent, tgid);
	__u32 ctgid = BPF_CORE_READ(child, tgid);
	__u8 one = 1;

	if (!bpf_map_lookup_elem(&pids, &ptgid) || ptgid == ctgid)
		return 0;
	if (bpf_map_update_elem(&pids, &ctgid, &one, BPF_ANY))
		cnt_inc(DT_CNT_PIDS_FULL);
	return 0;
}

/* a thread exits: drop its per-thread state; the last one drops the process */
static __always_inline int on_exit(struct task_struct *task)
{
	__u32 tgid = BPF_CORE_READ(task, tgid);
	__u32 tid = BPF_CORE_READ(task, pid);

	if (!bpf_map_lookup_elem(&pids, &tgid))
		return 0;
	bpf_map_delete_elem(&reqs, &tid);
	bpf_map_delete_elem(&opens, &tid);
	if (BPF_CORE_READ(task, signal, live.counter) == 0)
		bpf_map_delete_elem(&pids, &tgid);
	return 0;
}

DT_TP_TWINS(sched_process_fork, fork, on_fork(parent, child),
	    struct task_struct *parent, struct task_struct *child)
DT_TP_TWINS(sched_process_exit, exit, on_exit(task), struct task_struct *task)

#endif
