// SPDX-License-Identifier: GPL-2.0-only
/*
 * Probe calibration, in the manner of libbpf-tools' fentry_can_attach() and
 * retsnoop's feature probing: every candidate of every role is loaded and
 * attached once in a throwaway copy of the object; the first one that works
 * wins.  Losers are never autoloaded in the real object, so a program the
 * kernel refuses cannot take the others down.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "diotrace.h"
#include "errname.h"
#include "trace_helpers.h"

#define C(k, t, p0, p1)	{ .kind = k, .target = t, .progs = { p0, p1 } }

static const struct dt_probe_cand req_cands[] = {
	C("fentry", "erofs_file_read_iter", "fentry_req", "fexit_req"),
	C("kprobe", "erofs_file_read_iter", "kp_req", "krp_req"),
	C("tp_btf", "sys_enter/sys_exit", "tp_sys_enter", "tp_sys_exit"),
	C("raw_tp", "sys_enter/sys_exit", "raw_sys_enter", "raw_sys_exit"),
};
static const struct dt_probe_cand dio_cands[] = {
	C("fentry", "erofs_fileio_direct_io", "fentry_dio", "fexit_dio"),
	C("kprobe", "erofs_fileio_direct_io", "kp_dio", "krp_dio"),
};
static const struct dt_probe_cand dio_total_cands[] = {
	C("fexit", "erofs_fileio_scan_iter", "fexit_scan_iter", NULL),
};
static const struct dt_probe_cand dio_done_cands[] = {
	C("fexit", "erofs_fileio_end_io", "fexit_end_io", NULL),
};
static const struct dt_probe_cand extent_cands[] = {
	C("fexit", "erofs_map_blocks", "fexit_map_blocks", NULL),
	C("kprobe", "erofs_map_blocks", "kp_map_blocks", "krp_map_blocks"),
	C("tp_btf", "erofs_map_blocks_exit", "tp_map_blocks", NULL),
	C("raw_tp", "erofs_map_blocks_exit", "raw_map_blocks", NULL),
};
static const struct dt_probe_cand bk_cands[] = {
	C("fentry", "vfs_iocb_iter_read", "fentry_bk", "fexit_bk"),
	C("kprobe", "vfs_iocb_iter_read", "kp_bk", "krp_bk"),
};
static const struct dt_probe_cand bk_done_cands[] = {
	C("fentry", "erofs_fileio_ki_complete", "fentry_bk_done", NULL),
	C("kprobe", "erofs_fileio_ki_complete", "kp_bk_done", NULL),
};
static const struct dt_probe_cand pc_add_cands[] = {
	C("tp_btf", "mm_filemap_add_to_page_cache", "tp_pc_add", NULL),
	C("raw_tp", "mm_filemap_add_to_page_cache", "raw_pc_add", NULL),
};
static const struct dt_probe_cand pc_del_cands[] = {
	C("tp_btf", "mm_filemap_delete_from_page_cache", "tp_pc_del", NULL),
	C("raw_tp", "mm_filemap_delete_from_page_cache", "raw_pc_del", NULL),
};
static const struct dt_probe_cand open_cands[] = {
	C("tp_btf", "sys_enter/sys_exit", "tp_sys_enter", "tp_sys_exit"),
	C("raw_tp", "sys_enter/sys_exit", "raw_sys_enter", "raw_sys_exit"),
};
static const struct dt_probe_cand fork_cands[] = {
	C("tp_btf", "sched_process_fork", "tp_fork", NULL),
	C("raw_tp", "sched_process_fork", "raw_fork", NULL),
};

#define G(n, r, c)	{ .name = n, .role = r, .cands = c, .ncands = sizeof(c) / sizeof(c[0]) }

const struct dt_probe_group dt_probe_groups[] = {
	G("REQ", DT_ROLE_REQ, req_cands),
	G("DIO", DT_ROLE_DIO, dio_cands),
	G("DIO io.total", -1, dio_total_cands),
	G("DIO io.done", -1, dio_done_cands),
	G("EXTENT", DT_ROLE_EXTENT, extent_cands),
	G("BACKING_SUBMIT", DT_ROLE_BACKING_SUBMIT, bk_cands),
	G("BACKING_DONE", DT_ROLE_BACKING_DONE, bk_done_cands),
	G("PC_ADD", DT_ROLE_PC_ADD, pc_add_cands),
	G("PC_DEL", DT_ROLE_PC_DEL, pc_del_cands),
	G("OPEN", DT_ROLE_OPEN, open_cands),
	G("FORK", -1, fork_cands),
};
const unsigned int dt_probe_ngroups = sizeof(dt_probe_groups) / sizeof(dt_probe_groups[0]);

const char *dt_errname(int err)
{
	return dt_err_str(err);		/* the one table, user/common/errname.c */
}

static int silent_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static bool cand_has(const struct dt_probe_cand *c, const char *prog)
{
	int i;

	for (i = 0; i < DT_PROBE_MAX_PROGS; i++)
		if (c->progs[i] && !strcmp(c->progs[i], prog))
			return true;
	return false;
}

/* cheap checks before a trial load: is the target there at all? */
static const char *precheck(const struct btf *vmlinux, const struct dt_probe_cand *c)
{
	char name[128], *tok, *save = NULL;
	bool tp = !strcmp(c->kind, "tp_btf");

	if (!strcmp(c->kind, "kprobe")) {
		if (access("/sys/bus/event_source/devices/kprobe/type", F_OK))
			return "no kprobes";
		return NULL;
	}
	if (!vmlinux || (!tp && strcmp(c->kind, "fentry") && strcmp(c->kind, "fexit")))
		return NULL;
	snprintf(name, sizeof(name), "%s", c->target);
	for (tok = strtok_r(name, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		char t[160];

		snprintf(t, sizeof(t), "%s%s", tp ? "btf_trace_" : "", tok);
		if (btf__find_by_name_kind(vmlinux, t, tp ? BTF_KIND_TYPEDEF : BTF_KIND_FUNC) < 0)
			return tp ? "no such tracepoint" : "not in kernel BTF";
	}
	return NULL;
}

static int trial_attach(struct bpf_object *obj, const struct dt_probe_cand *c)
{
	struct bpf_link *links[DT_PROBE_MAX_PROGS] = {};
	struct bpf_program *p;
	int i, err = 0;

	for (i = 0; i < DT_PROBE_MAX_PROGS && c->progs[i] && !err; i++) {
		p = bpf_object__find_program_by_name(obj, c->progs[i]);
		links[i] = p ? bpf_program__attach(p) : NULL;
		if (!links[i])
			err = errno ? -errno : -ENOENT;
	}
	for (i = 0; i < DT_PROBE_MAX_PROGS; i++)
		bpf_link__destroy(links[i]);
	return err;
}

/* load and attach one candidate alone; 0, or -errno with *stage set */
static int trial(const void *elf, size_t sz, const struct dt_probe_cand *c, const char **stage)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "dt_trial");
	struct bpf_object *obj;
	struct bpf_program *p;
	struct bpf_map *m;
	int err;

	*stage = "open";
	obj = bpf_object__open_mem(elf, sz, &opts);
	if (!obj)
		return errno ? -errno : -EINVAL;
	bpf_object__for_each_program(p, obj)
		bpf_program__set_autoload(p, cand_has(c, bpf_program__name(p)));
	m = bpf_object__find_map_by_name(obj, "rb");
	if (m)
		bpf_map__set_max_entries(m, 4096);
	*stage = "load";
	err = bpf_object__load(obj);
	if (!err) {
		*stage = "attach";
		err = trial_attach(obj, c);
	}
	bpf_object__close(obj);
	return err;
}

static void why_add(struct dt_probe_bind *b, const char *kind, const char *fmt, ...)
{
	size_t n = strlen(b->why);
	va_list ap;

	if (n + 1 >= sizeof(b->why))
		return;
	n += snprintf(b->why + n, sizeof(b->why) - n, "%s%s: ", n ? "; " : "", kind);
	if (n >= sizeof(b->why))
		return;
	va_start(ap, fmt);
	vsnprintf(b->why + n, sizeof(b->why) - n, fmt, ap);
	va_end(ap);
}

/* results are cached per first program: REQ and OPEN share the syscall pair */
struct trial_cache {
	const char *prog;
	int err;
	const char *stage;
};

static int cached_trial(const void *elf, size_t sz, const struct dt_probe_cand *c,
			struct trial_cache *cache, unsigned int *ncache, const char **stage)
{
	unsigned int i;
	int err;

	for (i = 0; i < *ncache; i++)
		if (!strcmp(cache[i].prog, c->progs[0])) {
			*stage = cache[i].stage;
			return cache[i].err;
		}
	err = trial(elf, sz, c, stage);
	if (*ncache < 64)
		cache[(*ncache)++] = (struct trial_cache){ c->progs[0], err, *stage };
	return err;
}

bool dt_probe_kind_known(const char *kind)
{
	static const char *kinds[] = { "fentry", "fexit", "kprobe", "tp_btf", "raw_tp" };
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kind, kinds[i]))
			return true;
	return false;
}

/* is KIND in the comma-separated AVOID list? fentry and fexit go together */
static bool avoided(const char *avoid, const char *kind)
{
	char list[128], *tok, *save = NULL;

	if (!avoid)
		return false;
	snprintf(list, sizeof(list), "%s", avoid);
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, kind))
			return true;
		if ((!strcmp(tok, "fentry") || !strcmp(tok, "fexit")) &&
		    (!strcmp(kind, "fentry") || !strcmp(kind, "fexit")))
			return true;
	}
	return false;
}

static void calibrate_group(const void *elf, size_t sz, const struct btf *vmlinux,
			    const char *avoid, const struct dt_probe_group *g,
			    struct dt_probe_bind *b, struct trial_cache *cache,
			    unsigned int *ncache)
{
	const char *skip, *stage;
	unsigned int i;
	int err;

	b->winner = -1;
	b->why[0] = '\0';
	for (i = 0; i < g->ncands; i++) {
		const struct dt_probe_cand *c = &g->cands[i];

		skip = avoided(avoid, c->kind) ? "avoided (--avoid)" : precheck(vmlinux, c);
		if (skip) {
			why_add(b, c->kind, "%s", skip);
			continue;
		}
		err = cached_trial(elf, sz, c, cache, ncache, &stage);
		if (!err) {
			b->winner = i;
			return;
		}
		if (!strcmp(stage, "load"))
			why_add(b, c->kind, "%s", dt_errname(err));
		else
			why_add(b, c->kind, "%s %s", stage, dt_errname(err));
	}
}

int dt_probe_calibrate(const void *elf, size_t sz, const char *avoid,
		       struct dt_probe_bind *binds)
{
	libbpf_print_fn_t old = libbpf_set_print(silent_print);
	struct trial_cache cache[64];
	unsigned int i, ncache = 0;
	struct btf *vmlinux;

	vmlinux = btf__load_vmlinux_btf();
	if (!vmlinux) {
		libbpf_set_print(old);
		return errno ? -errno : -ENOENT;
	}
	for (i = 0; i < dt_probe_ngroups; i++)
		calibrate_group(elf, sz, vmlinux, avoid, &dt_probe_groups[i], &binds[i],
				cache, &ncache);
	btf__free(vmlinux);
	libbpf_set_print(old);
	return 0;
}

static bool prog_wanted(const char *name, const struct dt_probe_bind *binds)
{
	unsigned int i;

	for (i = 0; i < dt_probe_ngroups; i++)
		if (binds[i].winner >= 0 &&
		    cand_has(&dt_probe_groups[i].cands[binds[i].winner], name))
			return true;
	return false;
}

void dt_probe_select(struct bpf_object *obj, const struct dt_probe_bind *binds)
{
	struct bpf_program *p;

	bpf_object__for_each_program(p, obj)
		bpf_program__set_autoload(p, prog_wanted(bpf_program__name(p), binds));
}

#define DT_MAX_LINKS	64

struct dt_probe_links {
	unsigned int n;
	struct {
		const char *prog;
		struct bpf_link *link;
		int err;
	} l[DT_MAX_LINKS];
};

/* attach a program once, however many groups use it; 0 or -errno */
static int attach_once(struct dt_probe_links *links, struct bpf_object *obj, const char *name)
{
	struct bpf_program *p;
	unsigned int i;

	for (i = 0; i < links->n; i++)
		if (!strcmp(links->l[i].prog, name))
			return links->l[i].err;
	if (links->n >= DT_MAX_LINKS)
		return -E2BIG;
	p = bpf_object__find_program_by_name(obj, name);
	i = links->n++;
	links->l[i].prog = name;
	links->l[i].link = p ? bpf_program__attach(p) : NULL;
	links->l[i].err = links->l[i].link ? 0 : (errno ? -errno : -ENOENT);
	return links->l[i].err;
}

struct dt_probe_links *dt_probe_attach(struct bpf_object *obj, struct dt_probe_bind *binds)
{
	struct dt_probe_links *links = calloc(1, sizeof(*links));
	unsigned int i, j;
	int err;

	if (!links)
		return NULL;
	for (i = 0; i < dt_probe_ngroups; i++) {
		const struct dt_probe_cand *c;

		if (binds[i].winner < 0)
			continue;
		c = &dt_probe_groups[i].cands[binds[i].winner];
		for (j = 0; j < DT_PROBE_MAX_PROGS && c->progs[j]; j++) {
			err = attach_once(links, obj, c->progs[j]);
			if (err) {
				why_add(&binds[i], c->kind, "attach %s", dt_errname(err));
				binds[i].winner = -1;
				break;
			}
		}
	}
	return links;
}

void dt_probe_detach(struct dt_probe_links *links)
{
	unsigned int i;

	if (!links)
		return;
	for (i = 0; i < links->n; i++)
		bpf_link__destroy(links->l[i].link);
	free(links);
}

void dt_probe_describe(const struct dt_probe_group *g, const struct dt_probe_bind *b,
		       char *buf, size_t len)
{
	const struct dt_probe_cand *c;

	if (b->winner < 0) {
		snprintf(buf, len, "unbound (%s)", b->why[0] ? b->why : "no candidate");
		return;
	}
	c = &g->cands[b->winner];
	snprintf(buf, len, "%s %s", c->kind, c->target);
}

bool dt_probe_req_is_syscall(const struct dt_probe_bind *binds)
{
	const struct dt_probe_cand *c;

	if (binds[0].winner < 0)
		return false;
	c = &dt_probe_groups[0].cands[binds[0].winner];
	return strstr(c->target, "sys_enter") != NULL;
}
