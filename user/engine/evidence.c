// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the caller tells the engine besides events: lost counts, probe
 * roles, BPF counter snapshots, record truncation and other gaps.  Every
 * count saturates; a snapshot never takes a cumulative counter back.
 */
#include <stdlib.h>
#include <string.h>
#include "engine_int.h"

static void update_lost(struct dt_engine *e)
{
	uint64_t l = e->lost_noted;

	if (e->have_cnt && e->cnt[DT_CNT_RB_DROPPED] > l)
		l = e->cnt[DT_CNT_RB_DROPPED];
	e->st.lost = l;
}

void dt_engine_note_lost(struct dt_engine *e, uint64_t lost)
{
	e->lost_noted = add_sat(e->lost_noted, lost);
	update_lost(e);
}

void dt_engine_note_skipped(struct dt_engine *e, uint64_t n)
{
	e->st.skipped = add_sat(e->st.skipped, n);
}

void dt_engine_note_stamped(struct dt_engine *e, bool stamped)
{
	e->opts.loss_stamped = stamped;
}

void dt_engine_note_unbound(struct dt_engine *e, enum dt_role role, const char *why)
{
	if (role >= DT_ROLE_MAX)
		return;
	e->roles[role].unbound = true;
	snprintf(e->roles[role].why, sizeof(e->roles[role].why), "%s",
		 why && *why ? why : "no program could be attached");
}

void dt_engine_note_bound(struct dt_engine *e, enum dt_role role, const char *how)
{
	if (role >= DT_ROLE_MAX || !how)
		return;
	snprintf(e->roles[role].how, sizeof(e->roles[role].how), "%s", how);
}

void dt_engine_note_counters(struct dt_engine *e, const uint64_t cnt[DT_CNT_MAX])
{
	unsigned int i;

	for (i = 0; i < DT_CNT_MAX; i++)
		if (cnt[i] > e->cnt[i])
			e->cnt[i] = cnt[i];
	e->have_cnt = true;
	update_lost(e);
}

void dt_engine_note_pc_outside(struct dt_engine *e, uint64_t dev, uint64_t ino, bool erofs,
			       uint64_t added, uint64_t deleted)
{
	struct dt_file *f = dt_file_get(e, dev, ino, erofs);

	if (!f)
		return;
	/* cumulative: add what is new since the last snapshot */
	if (added > f->map_added) {
		f->pc_outside = add_sat(f->pc_outside, added - f->map_added);
		f->map_added = added;
	}
	if (deleted > f->map_deleted) {
		f->pc_deleted = add_sat(f->pc_deleted, deleted - f->map_deleted);
		f->map_deleted = deleted;
	}
}

void dt_engine_note_gap(struct dt_engine *e, enum dt_gap gap, const char *why)
{
	char *s;

	if (gap == DT_GAP_TRUNCATED)
		e->truncated = true;
	if (e->nr_notes >= DT_MAX_REASONS)
		return;
	s = strdup(why && *why ? why : "unspecified");
	if (!s)
		return;
	e->notes[e->nr_notes].gap = gap ? gap : DT_GAP_OTHER;
	e->notes[e->nr_notes++].why = s;
}

void dt_engine_note_inconclusive(struct dt_engine *e, const char *why)
{
	dt_engine_note_gap(e, DT_GAP_OTHER, why);
}

void dt_engine_note_truncated(struct dt_engine *e, const char *where)
{
	char why[160];

	snprintf(why, sizeof(why), "record truncated at %s", where ? where : "an unknown offset");
	dt_engine_note_gap(e, DT_GAP_TRUNCATED, why);
}
