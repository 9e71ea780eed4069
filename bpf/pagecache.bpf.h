/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PC_ADD / PC_DEL: page-cache inserts and deletes on EROFS files and their
 * backing files.  While the thread is in a traced request, each one is an
 * event (it belongs to that request); outside any request they are only
 * summed per file in pc_outside, which user space reads at the end.
 */
#ifndef __DT_PAGECACHE_BPF_H
#define __DT_PAGECACHE_BPF_H

struct pc_sum {
	__u64 added;		/* pages */
	__u64 deleted;		/* pages */
	__u32 erofs;		/* 1: EROFS inode, 0: backing file */
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__uint(map_flags, BPF_F_NO_PREALLOC);	/* rarely written: allocate on use */
	__type(key, struct dt_file_key);
	__type(value, struct pc_sum);
} pc_outside SEC(".maps");

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

static __always_inline void pc_fold(struct inode *inode, bool erofs, __u32 pages, bool add)
{
	struct pc_sum zero = { .erofs = erofs }, *s;
	struct dt_file_key k;

	inode_key(inode, &k);
	s = bpf_map_lookup_elem(&pc_outside, &k);
	if (!s) {
		if (bpf_map_update_elem(&pc_outside, &k, &zero, BPF_NOEXIST) &&
		    !bpf_map_lookup_elem(&pc_outside, &k)) {
			cnt_inc(DT_CNT_MAP_FULL);
			return;
		}
		s = bpf_map_lookup_elem(&pc_outside, &k);
		if (!s)
			return;
	}
	if (add)
		__sync_fetch_and_add(&s->added, pages);
	else
		__sync_fetch_and_add(&s->deleted, pages);
}

static __always_inline int pc_event(struct folio *folio, __u16 type, __u16 src)
{
	struct req_state *st;
	struct inode *inode;
	struct dt_event *ev;
	bool erofs;

	if (!traced())
		return 0;
	inode = BPF_CORE_READ(folio, mapping, host);
	erofs = erofs_wanted(inode);
	if (!erofs && !is_backing(inode))
		return 0;
	st = req_cur();
	if (!st) {
		pc_fold(inode, erofs, folio_pages(folio), type == DT_EV_PC_ADD);
		return 0;
	}
	ev = ev_new(type, src);
	if (!ev)
		return 0;
	ev->dev = BPF_CORE_READ(inode, i_sb, s_dev);
	ev->ino = BPF_CORE_READ(inode, i_ino);
	ev->cookie = st->cookie;
	ev->pc.index = BPF_CORE_READ(folio, index);
	ev->pc.nr_pages = folio_pages(folio);
	ev->pc.is_erofs = erofs;
	ev_send(ev);
	return 0;
}

DT_TP_TWINS(mm_filemap_add_to_page_cache, pc_add,
	    pc_event(folio, DT_EV_PC_ADD, DT_SRC_TRACEPOINT), struct folio *folio)
DT_TP_TWINS(mm_filemap_delete_from_page_cache, pc_del,
	    pc_event(folio, DT_EV_PC_DEL, DT_SRC_TRACEPOINT), struct folio *folio)

#endif
