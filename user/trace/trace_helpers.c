// SPDX-License-Identifier: GPL-2.0-only
/*
 * Probe calibration and load.  The kernel BTF is only scanned for the ids
 * calibration needs (libbpf parses it once, to load the object); each attach
 * point a candidate needs is tried with a two-instruction program of the
 * same type (as libbpf-tools' fentry_can_attach() does), so no trial parses
 * BTF again.  The real object is then loaded with the winners only; if the
 * verifier refuses one of them, its group falls back to the next candidate
 * and the object is loaded again.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/btf.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "btf_scan.h"
#include "diotrace.h"
#include "errname.h"
#include "trace_helpers.h"
#include "diotrace.skel.h"

#define DT_G(id, n, r)		[DT_G_##id] = { .name = n, .role = r },
const struct dt_probe_group dt_probe_groups[DT_G_MAX] = { DT_PROBE_GROUPS(DT_G) };

#define DT_P(p)		{ offsetof(struct diotrace_bpf, progs.p), #p, false },
#define DT_PO(p)	{ offsetof(struct diotrace_bpf, progs.p), #p, true },
#define DT_C(id, k, t, list)	{ .group = DT_G_##id, .kind = k, .target = t, .progs = { list } },
const struct dt_probe_cand dt_probe_cands[] = { DT_PROBE_CANDS(DT_C, DT_P, DT_PO) };
const unsigned int dt_probe_ncands = sizeof(dt_probe_cands) / sizeof(dt_probe_cands[0]);

const char *dt_errname(int err)
{
	return dt_err_str(err);		/* the one table, user/common/errname.c */
}

bool dt_probe_kind_known(const char *kind)
{
	static const char *kinds[] = { "fentry", "fexit", "kprobe", "tracepoint", "tp_btf", "raw_tp" };
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
	bool ftrace = !strcmp(kind, "fentry") || !strcmp(kind, "fexit");

	if (!avoid)
		return false;
	snprintf(list, sizeof(list), "%s", avoid);
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (!strcmp(tok, kind) || (ftrace && (!strcmp(tok, "fentry") || !strcmp(tok, "fexit"))))
			return true;
	return false;
}

/* ---- trying one attach point -------------------------------------------- */

/* the outcome of trying one section ("fentry/f", "tracepoint/c/n", ...) */
struct trial {
	char sec[96];
	int err;		/* 0, or -errno */
	const char *why;	/* set when err: "not in kernel BTF", "attach", ... */
	bool absent;		/* tracepoint missing (for optional programs) */
};

struct calib {
	struct dt_btf vmlinux;
	const char *avoid;
	struct trial trials[64];
	unsigned int ntrials;
};

static const struct bpf_insn ret0[] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
	{ .code = BPF_JMP | BPF_EXIT },
};

/* --debug: libbpf's messages at every level and the verifier's logs */
static bool debug;

/* one message, each of its lines prefixed so it stands apart from the report */
static void debug_print(const char *fmt, va_list ap)
{
	char *msg = NULL, *line, *save = NULL;

	if (vasprintf(&msg, fmt, ap) < 0)
		return;
	for (line = strtok_r(msg, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		fprintf(stderr, "erofs-diotrace debug: %s\n", line);
	free(msg);
}

static void debugf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void debugf(const char *fmt, ...)
{
	va_list ap;

	if (!debug)
		return;
	va_start(ap, fmt);
	debug_print(fmt, ap);
	va_end(ap);
}

static int libbpf_debug_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	debug_print(fmt, ap);
	return 0;
}

void dt_probe_debug(bool on)
{
	debug = on;
	if (on)
		libbpf_set_print(libbpf_debug_print);
}

static int prog_load(enum bpf_prog_type type, enum bpf_attach_type at, __u32 btf_id)
{
	static char log[4096];
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = at, .attach_btf_id = btf_id);
	int fd;

	if (debug) {
		o.log_buf = log, o.log_size = sizeof(log), o.log_level = 1;
		log[0] = '\0';
	}
	fd = bpf_prog_load(type, "dt_trial", "GPL", ret0, 2, &o);
	if (fd < 0)
		fd = -errno;
	debugf("trial program (type %d, attach %d, btf id %u): %s%s%s", (int)type, (int)at,
	       btf_id, fd < 0 ? dt_errname(fd) : "loaded", debug && log[0] ? "; verifier log:\n" : "",
	       debug ? log : "");
	return fd;
}

static const char *tracefs(void)
{
	if (!access("/sys/kernel/tracing/events", F_OK))
		return "/sys/kernel/tracing";
	if (!access("/sys/kernel/debug/tracing/events", F_OK))
		return "/sys/kernel/debug/tracing";
	return NULL;
}

static int read_num(const char *path, long *v)
{
	char buf[64];
	int fd = open(path, O_RDONLY | O_CLOEXEC), n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EINVAL;
	buf[n] = '\0';
	*v = strtol(buf + strcspn(buf, "0123456789"), NULL, 10);
	return 0;
}

static int perf_attach(struct perf_event_attr *a, int prog)
{
	int pfd = syscall(__NR_perf_event_open, a, -1, 0, -1, PERF_FLAG_FD_CLOEXEC), err = 0;

	if (pfd < 0)
		return -errno;
	if (ioctl(pfd, PERF_EVENT_IOC_SET_BPF, prog))
		err = -errno;
	close(pfd);
	return err;
}

/*
 * A tracepoint is tried by its id and a program load only: attaching one
 * and letting go costs an RCU grace period (tens of ms) each, and the
 * attach in dt_probe_attach() unbinds the group if it fails after all.
 */
static void try_tracepoint(struct trial *t, const char *name)
{
	const char *fs = tracefs();
	char path[256];
	long id;
	int prog;

	if (!fs) {
		t->err = -ENOENT, t->why = "tracefs not mounted";
		return;
	}
	snprintf(path, sizeof(path), "%s/events/%s/id", fs, name);
	if (read_num(path, &id)) {
		t->err = -ENOENT, t->why = "no such tracepoint", t->absent = true;
		return;
	}
	prog = prog_load(BPF_PROG_TYPE_TRACEPOINT, 0, 0);
	if (prog < 0) {
		t->err = prog;
		return;
	}
	close(prog);
}

static void try_kprobe(struct trial *t, struct calib *c, const char *fn, bool ret)
{
	struct perf_event_attr a = { .size = sizeof(a) };
	long type, bit = 0;
	int prog;

	if (read_num("/sys/bus/event_source/devices/kprobe/type", &type)) {
		t->err = -ENOENT, t->why = "no kprobes";
		return;
	}
	if (dt_btf_find(&c->vmlinux, fn, BTF_KIND_FUNC) < 0) {
		t->err = -ENOENT, t->why = "not in kernel BTF", t->absent = true;
		return;
	}
	read_num("/sys/bus/event_source/devices/kprobe/format/retprobe", &bit);
	a.type = type;
	a.config = ret ? 1ULL << bit : 0;
	a.config1 = (uintptr_t)fn;
	prog = prog_load(BPF_PROG_TYPE_KPROBE, 0, 0);
	if (prog < 0) {
		t->err = prog;
		return;
	}
	t->err = perf_attach(&a, prog);
	t->why = t->err ? "attach" : NULL;
	close(prog);
}

/* fentry, fexit, tp_btf: a BTF-typed tracing program; raw_tp: by name */
static void try_tracing(struct trial *t, struct calib *c, const char *kind, const char *target)
{
	bool tp = !strcmp(kind, "tp_btf"), raw = !strcmp(kind, "raw_tp");
	enum bpf_attach_type at = tp ? BPF_TRACE_RAW_TP :
				  !strcmp(kind, "fexit") ? BPF_TRACE_FEXIT : BPF_TRACE_FENTRY;
	char name[128];
	int id, prog, link;

	snprintf(name, sizeof(name), "%s%s", tp || raw ? "btf_trace_" : "", target);
	id = dt_btf_find(&c->vmlinux, name, tp || raw ? BTF_KIND_TYPEDEF : BTF_KIND_FUNC);
	if (id < 0) {
		t->err = -ENOENT, t->why = tp || raw ? "no such tracepoint" : "not in kernel BTF";
		t->absent = true;
		return;
	}
	if (raw)
		prog = prog_load(BPF_PROG_TYPE_RAW_TRACEPOINT, 0, 0);
	else
		prog = prog_load(BPF_PROG_TYPE_TRACING, at, id);
	if (prog < 0) {
		t->err = prog;
		return;
	}
	link = bpf_raw_tracepoint_open(raw ? target : NULL, prog);
	t->err = link < 0 ? -errno : 0;
	t->why = t->err ? "attach" : NULL;
	if (link >= 0)
		close(link);
	close(prog);
}

/* try SEC once (cached: REQ and OPEN share the raw syscall pair) */
static const struct trial *try_section(struct calib *c, const char *sec)
{
	char kind[32], target[96];
	const char *slash = strchr(sec, '/');
	struct trial *t;
	unsigned int i;

	for (i = 0; i < c->ntrials; i++)
		if (!strcmp(c->trials[i].sec, sec))
			return &c->trials[i];
	t = &c->trials[c->ntrials < 64 ? c->ntrials++ : 63];
	memset(t, 0, sizeof(*t));
	snprintf(t->sec, sizeof(t->sec), "%s", sec);
	if (!slash || (size_t)(slash - sec) >= sizeof(kind)) {
		t->err = -EINVAL, t->why = "bad section";
		return t;
	}
	snprintf(kind, sizeof(kind), "%.*s", (int)(slash - sec), sec);
	snprintf(target, sizeof(target), "%s", slash + 1);
	if (!strcmp(kind, "tracepoint"))
		try_tracepoint(t, target);
	else if (!strcmp(kind, "kprobe") || !strcmp(kind, "kretprobe"))
		try_kprobe(t, c, target, kind[1] == 'r');
	else
		try_tracing(t, c, kind, target);
	return t;
}

/* ---- choosing a candidate per group ------------------------------------- */

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

static struct bpf_program *cand_prog(struct diotrace_bpf *skel, const struct dt_probe_prog *p)
{
	return *(struct bpf_program **)((char *)skel + p->off);
}

/* do all programs of candidate I attach here? 0 or -errno, *why and b->absent set */
static int try_cand(struct calib *c, struct diotrace_bpf *skel, unsigned int i,
		    struct dt_probe_bind *b, const char **why)
{
	const struct dt_probe_cand *cd = &dt_probe_cands[i];
	unsigned int j, present = 0;

	b->absent = 0;
	for (j = 0; j < DT_PROBE_MAX_PROGS && cd->progs[j].name; j++) {
		const char *sec = bpf_program__section_name(cand_prog(skel, &cd->progs[j]));
		const struct trial *t = try_section(c, sec);

		if (t->err && t->absent && cd->progs[j].optional) {
			b->absent |= 1U << j;
			continue;
		}
		if (t->err) {
			*why = t->why;
			return t->err;
		}
		present++;
	}
	*why = "no such tracepoint or function";
	return present ? 0 : -ENOENT;
}

/* pick the first candidate of group G after index FROM that works */
static void choose(struct calib *c, struct diotrace_bpf *skel, enum dt_probe_group_id g,
		   int from, struct dt_probe_bind *b)
{
	const char *why;
	unsigned int i;
	int err;

	b->winner = -1;
	for (i = from + 1; i < dt_probe_ncands; i++) {
		const struct dt_probe_cand *cd = &dt_probe_cands[i];

		if (cd->group != g)
			continue;
		if (avoided(c->avoid, cd->kind)) {
			why_add(b, cd->kind, "avoided (--avoid)");
			continue;
		}
		err = try_cand(c, skel, i, b, &why);
		debugf("%s: candidate %s %s: %s%s%s", dt_probe_groups[g].name, cd->kind, cd->target,
		       err ? dt_errname(err) : "usable", err && why ? ", " : "", err && why ? why : "");
		if (!err) {
			b->winner = i;
			return;
		}
		if (why && strcmp(why, "attach"))
			why_add(b, cd->kind, "%s", why);
		else
			why_add(b, cd->kind, "%s%s", why ? "attach " : "", dt_errname(err));
	}
}

bool dt_probe_prog_wanted(const struct bpf_program *p, struct diotrace_bpf *skel,
			  const struct dt_probe_bind *binds)
{
	unsigned int g, j;

	for (g = 0; g < DT_G_MAX; g++) {
		const struct dt_probe_cand *cd;

		if (binds[g].winner < 0)
			continue;
		cd = &dt_probe_cands[binds[g].winner];
		for (j = 0; j < DT_PROBE_MAX_PROGS && cd->progs[j].name; j++)
			if (!(binds[g].absent & (1U << j)) && cand_prog(skel, &cd->progs[j]) == p)
				return true;
	}
	return false;
}

/* ---- loading the real object -------------------------------------------- */

/* the program libbpf named in its last "prog 'X': ... failed" message */
static char failed_prog[64];

static int capture_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[512], *p;

	if (debug) {	/* everything libbpf says, the verifier's log included */
		va_list aq;

		va_copy(aq, ap);
		debug_print(fmt, aq);
		va_end(aq);
	}
	if (level > LIBBPF_WARN)
		return 0;
	vsnprintf(line, sizeof(line), fmt, ap);
	p = strstr(line, "prog '");
	if (p && strstr(line, "fail"))
		sscanf(p + 6, "%63[^']", failed_prog);
	return 0;
}

/* the verifier refused the program NAME: its groups fall back */
static bool fall_back(struct calib *c, struct diotrace_bpf *skel, struct dt_probe_bind *binds,
		      const char *name, int err)
{
	unsigned int g, j;
	bool moved = false;

	for (g = 0; g < DT_G_MAX; g++) {
		const struct dt_probe_cand *cd;
		int w = binds[g].winner;

		if (w < 0)
			continue;
		cd = &dt_probe_cands[w];
		for (j = 0; j < DT_PROBE_MAX_PROGS && cd->progs[j].name; j++)
			if (!strcmp(cd->progs[j].name, name))
				break;
		if (j == DT_PROBE_MAX_PROGS || !cd->progs[j].name)
			continue;
		why_add(&binds[g], cd->kind, "load %s", dt_errname(err));
		choose(c, skel, g, w, &binds[g]);
		moved = true;
	}
	return moved;
}

static int load_once(struct calib *c, struct dt_probe_bind *binds, dt_probe_setup_fn setup,
		     void *ctx, struct diotrace_bpf **out, bool first)
{
	struct diotrace_bpf *skel = diotrace_bpf__open();
	struct bpf_program *p;
	unsigned int g;
	int err;

	if (!skel)
		return errno ? -errno : -ENOMEM;
	if (first)
		for (g = 0; g < DT_G_MAX; g++) {
			binds[g].why[0] = '\0';
			choose(c, skel, g, -1, &binds[g]);
		}
	err = setup(skel, binds, ctx);
	if (err)
		goto fail;
	bpf_object__for_each_program(p, skel->obj)
		bpf_program__set_autoload(p, dt_probe_prog_wanted(p, skel, binds));
	if (debug)	/* the verifier's log of every program, loaded or refused */
		bpf_object__for_each_program(p, skel->obj)
			if (bpf_program__autoload(p))
				bpf_program__set_log_level(p, 1 | 4);
	failed_prog[0] = '\0';
	err = diotrace_bpf__load(skel);
	if (!err) {
		*out = skel;
		return 0;
	}
	if (failed_prog[0] && fall_back(c, skel, binds, failed_prog, err))
		err = -EAGAIN;
fail:
	diotrace_bpf__destroy(skel);
	return err;
}

int dt_probe_load(const char *avoid, struct dt_probe_bind *binds, dt_probe_setup_fn setup,
		  void *ctx, struct diotrace_bpf **skel)
{
	libbpf_print_fn_t old = libbpf_set_print(capture_print);
	struct calib *c = calloc(1, sizeof(*c));
	int err = -ENOMEM, i;

	*skel = NULL;
	if (!c)
		goto out;
	c->avoid = avoid;
	err = dt_btf_open(&c->vmlinux, NULL);
	if (err) {
		fprintf(stderr, "erofs-diotrace: cannot read kernel BTF: %s; INCONCLUSIVE\n",
			strerror(-err));
		goto out;
	}
	err = load_once(c, binds, setup, ctx, skel, true);
	for (i = 0; err == -EAGAIN && i < (int)dt_probe_ncands; i++)
		err = load_once(c, binds, setup, ctx, skel, false);
	if (err)
		fprintf(stderr, "erofs-diotrace: loading the calibrated probes failed%s%s: %s; INCONCLUSIVE\n",
			failed_prog[0] ? " at " : "", failed_prog, dt_errname(err));
out:
	if (c)
		dt_btf_close(&c->vmlinux);
	free(c);
	libbpf_set_print(debug ? libbpf_debug_print : old);
	return err;
}
