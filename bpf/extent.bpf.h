/* SPDX-License-Identifier: GPL-2.0-only */
/* EXTENT: the result of erofs_map_blocks(). */
#ifndef __DT_EXTENT_BPF_H
#define __DT_EXTENT_BPF_H

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

	if (traced() && kp_take(DT_ROLE_EXTENT, &a))
		extent_emit((void *)a.a0, (void *)a.a1, ret, DT_SRC_KPROBE);
	return 0;
}

DT_TP_TWINS(erofs_map_blocks_exit, map_blocks,
	    extent_emit(inode, map, ret, DT_SRC_TRACEPOINT),
	    struct inode *inode, struct erofs_map_blocks___dt *map, unsigned int flags, int ret)

#endif
