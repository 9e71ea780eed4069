// SPDX-License-Identifier: GPL-2.0-only
/*
 * Attach the calibrated winners.  A program is attached once however many
 * groups use it (REQ and OPEN may share the raw syscall pair).  A group is
 * bound only when all its programs are attached; the links of programs no
 * bound group needs are destroyed, so a half-attached pair never stays.
 */
#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "diotrace.h"
#include "trace_helpers.h"
#include "diotrace.skel.h"

#define DT_MAX_LINKS	64

struct dt_probe_links {
	unsigned int n;
	struct {
		struct bpf_program *prog;
		struct bpf_link *link;
		bool kprobe;
		int err;
		pthread_t tid;		/* dt_probe_detach(): destroys the link */
		bool tid_ok;
	} l[DT_MAX_LINKS];
};

static struct bpf_program *cand_prog(struct diotrace_bpf *skel, const struct dt_probe_prog *p)
{
	return *(struct bpf_program **)((char *)skel + p->off);
}

static int link_index(struct dt_probe_links *links, struct bpf_program *p)
{
	unsigned int i;

	for (i = 0; i < links->n; i++)
		if (links->l[i].prog == p)
			return i;
	if (links->n >= DT_MAX_LINKS)
		return -1;
	i = links->n++;
	links->l[i].prog = p;
	links->l[i].link = bpf_program__attach(p);
	links->l[i].err = links->l[i].link ? 0 : (errno ? -errno : -ENOENT);
	links->l[i].kprobe = !strncmp(bpf_program__section_name(p), "kprobe/", 7) ||
			     !strncmp(bpf_program__section_name(p), "kretprobe/", 10);
	return i;
}

/* attach every program of group G's winner; 0 or the first error */
static int attach_group(struct dt_probe_links *links, struct diotrace_bpf *skel,
			const struct dt_probe_bind *b)
{
	const struct dt_probe_cand *cd = &dt_probe_cands[b->winner];
	unsigned int j;
	int i, err = 0;

	for (j = 0; j < DT_PROBE_MAX_PROGS && cd->progs[j].name; j++) {
		if (b->absent & (1U << j))
			continue;
		i = link_index(links, cand_prog(skel, &cd->progs[j]));
		if (i < 0)
			return -E2BIG;
		if (links->l[i].err && !err)
			err = links->l[i].err;
	}
	return err;
}

struct dt_probe_links *dt_probe_attach(struct diotrace_bpf *skel, struct dt_probe_bind *binds)
{
	struct dt_probe_links *links = calloc(1, sizeof(*links));
	unsigned int g, i;
	size_t n;
	int err;

	if (!links)
		return NULL;
	for (g = 0; g < DT_G_MAX; g++) {
		if (binds[g].winner < 0)
			continue;
		err = attach_group(links, skel, &binds[g]);
		if (!err)
			continue;
		n = strlen(binds[g].why);
		snprintf(binds[g].why + n, sizeof(binds[g].why) - n, "%s%s: attach %s",
			 n ? "; " : "", dt_probe_cands[binds[g].winner].kind, dt_errname(err));
		binds[g].winner = -1;
	}
	/* a program of an unbound group stays only if a bound group needs it */
	for (i = 0; i < links->n; i++)
		if (links->l[i].link && !dt_probe_prog_wanted(links->l[i].prog, skel, binds)) {
			bpf_link__destroy(links->l[i].link);
			links->l[i].link = NULL;
		}
	return links;
}

/*
 * Each perf-event link (syscall tracepoints, kprobes) waits for an RCU
 * grace period when it goes: tens of ms each, one after the other.  The
 * links are destroyed from one thread each, so those waits overlap; every
 * link is gone before dt_probe_detach() returns.
 */
static void *destroy_one(void *link)
{
	bpf_link__destroy(link);
	return NULL;
}

void dt_probe_detach(struct dt_probe_links *links)
{
	unsigned int i;

	if (!links)
		return;
	for (i = 0; i < links->n; i++) {
		links->l[i].tid_ok = links->l[i].link &&
			!pthread_create(&links->l[i].tid, NULL, destroy_one, links->l[i].link);
		if (!links->l[i].tid_ok)
			bpf_link__destroy(links->l[i].link);	/* no thread: inline */
	}
	for (i = 0; i < links->n; i++)
		if (links->l[i].tid_ok)
			pthread_join(links->l[i].tid, NULL);
	free(links);
}

/*
 * struct bpf_link_info up to perf_event.kprobe.missed (Linux 6.7 uapi);
 * older kernels leave it zero.  Spelled out here because the installed
 * headers may predate it.
 */
struct dt_link_info_kprobe {
	__u32 type, id, prog_id, pad;
	__u32 pe_type, pad2;
	__u64 func_name;
	__u32 name_len, offset;
	__u64 addr, missed, cookie;
};

#define DT_LINK_TYPE_PERF_EVENT	7
#define DT_PERF_EVENT_KPROBE	1
#define DT_PERF_EVENT_KRETPROBE	2

uint64_t dt_probe_kprobe_missed(const struct dt_probe_links *links)
{
	struct dt_link_info_kprobe info;
	uint64_t sum = 0;
	unsigned int i;
	__u32 len;

	for (i = 0; links && i < links->n; i++) {
		if (!links->l[i].link || !links->l[i].kprobe)
			continue;
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (bpf_obj_get_info_by_fd(bpf_link__fd(links->l[i].link), &info, &len))
			continue;
		if (info.type == DT_LINK_TYPE_PERF_EVENT &&
		    (info.pe_type == DT_PERF_EVENT_KPROBE || info.pe_type == DT_PERF_EVENT_KRETPROBE))
			sum += info.missed;
	}
	return sum;
}

void dt_probe_describe(enum dt_probe_group_id g, const struct dt_probe_bind *b,
		       char *buf, size_t len)
{
	const struct dt_probe_cand *c;

	if (b->winner < 0) {
		snprintf(buf, len, "unbound (%s)", b->why[0] ? b->why : "no candidate");
		return;
	}
	c = &dt_probe_cands[b->winner];
	snprintf(buf, len, "%s %s", c->kind, c->target);
}

bool dt_probe_bound_kind(const struct dt_probe_bind *binds, enum dt_probe_group_id g,
			 const char *kind)
{
	return binds[g].winner >= 0 && !strcmp(dt_probe_cands[binds[g].winner].kind, kind);
}
