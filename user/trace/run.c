// SPDX-License-Identifier: GPL-2.0-only
/*
 * erofs-diotrace run: load the calibrated probes, start CMD held until every
 * probe is attached, feed the events to the correlation engine until CMD
 * exits, then report.  Probes are detached on every way out.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "commands.h"
#include "engine.h"
#include "evtext.h"
#include "open_resolve.h"
#include "run_mounts.h"
#include "trace_helpers.h"
#include "diotrace.skel.h"

#define DT_RB_DEFAULT	(4UL << 20)

struct run_opts {
	bool probes;		/* -v: which program bound each role */
	bool verbose;		/* --verbose: per-request report lines */
	bool assert_;
	bool expect_dio;	/* a buffered EROFS read or a refused O_DIRECT open is a FAIL */
	const char *json, *record, *mount, *out;
	const char *avoid;	/* --avoid KIND,...: probe kinds not to use */
	pid_t pid;
	unsigned long rb_size;
	char **cmd;
};

struct run_ctx {
	struct run_opts o;
	struct diotrace_bpf *skel;
	struct dt_probe_links *links;
	struct dt_probe_bind binds[DT_G_MAX];
	struct dt_engine *e;
	struct ring_buffer *rb;
	FILE *rec;
	uint64_t mount_dev;
	pid_t child;
	int go_fd;
	int status;
	bool child_done;
	unsigned long events, bad_events;
	unsigned long unresolved_opens;	/* refused O_DIRECT opens BPF's record could not place */
	/* evidence gaps found while tracing, given to the engine at the end */
	char notes[8][DT_PROBE_WHY_LEN + 96];
	unsigned int nr_notes;
};

static void add_note(struct run_ctx *ctx, const char *why)
{
	if (ctx->nr_notes < sizeof(ctx->notes) / sizeof(ctx->notes[0]))
		snprintf(ctx->notes[ctx->nr_notes++], sizeof(ctx->notes[0]), "%s", why);
}

static volatile sig_atomic_t stop_sig;

static void on_signal(int sig)
{
	stop_sig = sig;
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: erofs-diotrace run [OPTIONS] -- CMD [ARGS...]\n"
"       erofs-diotrace run [OPTIONS] -p PID\n"
"Trace CMD (and its children) or PID; check every read it makes on a\n"
"file-backed EROFS file.  The report goes to stderr (or -o FILE).\n\n"
"  -v                 print which program bound each probe role\n"
"  --verbose          one report line per request\n"
"  --json FILE        JSON report\n"
"  --record FILE      write the event stream (for 'erofs-diotrace replay')\n"
"  --assert           exit with the verdict: 0 PASS, 1 FAIL, 2 INCONCLUSIVE\n"
"  --expect-dio       a buffered EROFS read, or an O_DIRECT open refused with\n"
"                     EINVAL, is a FAIL (default: reported only)\n"
"  -p PID             trace this process tree too\n"
"  --mount DIR        only the EROFS mount DIR is on\n"
"  --ringbuf-size N   ring buffer bytes (K/M suffix; power of two), default 4M\n"
"  --avoid KINDS      never use these probe kinds (fentry,kprobe,tp_btf,raw_tp)\n"
"  -o FILE            text report to FILE\n"
"Without --assert the exit status is CMD's.\n");
}

static int parse_size(const char *s, unsigned long *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0), p = 4096;

	if (*end == 'K' || *end == 'k')
		v <<= 10, end++;
	else if (*end == 'M' || *end == 'm')
		v <<= 20, end++;
	if (*end || !v || v > (1UL << 30))
		return -EINVAL;
	while (p < v)
		p <<= 1;
	*out = p;
	return 0;
}

static int check_kinds(const char *list)
{
	char buf[128], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (!dt_probe_kind_known(tok)) {
			fprintf(stderr, "erofs-diotrace: --avoid %s: unknown kind '%s' (fentry, fexit, kprobe, tp_btf, raw_tp)\n",
				list, tok);
			return -1;
		}
	return 0;
}

enum { OPT_VERBOSE = 256, OPT_JSON, OPT_RECORD, OPT_ASSERT, OPT_MOUNT, OPT_RB, OPT_HELP, OPT_DIO, OPT_AVOID };

static int parse_args(int argc, char **argv, struct run_opts *o)
{
	static const struct option lo[] = {
		{ "verbose", no_argument, NULL, OPT_VERBOSE },
		{ "json", required_argument, NULL, OPT_JSON },
		{ "record", required_argument, NULL, OPT_RECORD },
		{ "assert", no_argument, NULL, OPT_ASSERT },
		{ "expect-dio", no_argument, NULL, OPT_DIO },
		{ "avoid", required_argument, NULL, OPT_AVOID },
		{ "mount", required_argument, NULL, OPT_MOUNT },
		{ "ringbuf-size", required_argument, NULL, OPT_RB },
		{ "help", no_argument, NULL, OPT_HELP },
		{}
	};
	int c;

	o->rb_size = DT_RB_DEFAULT;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+vp:o:h", lo, NULL)) != -1) {
		switch (c) {
		case 'v': o->probes = true; break;
		case OPT_VERBOSE: o->verbose = true; break;
		case OPT_JSON: o->json = optarg; break;
		case OPT_RECORD: o->record = optarg; break;
		case OPT_ASSERT: o->assert_ = true; break;
		case OPT_DIO: o->expect_dio = true; break;
		case OPT_AVOID:
			if (check_kinds(optarg))
				return -1;
			o->avoid = optarg;
			break;
		case OPT_MOUNT: o->mount = optarg; break;
		case 'o': o->out = optarg; break;
		case 'p':
			o->pid = atoi(optarg);
			if (o->pid <= 0 || kill(o->pid, 0)) {
				fprintf(stderr, "erofs-diotrace: -p %s: no such process\n", optarg);
				return -1;
			}
			break;
		case OPT_RB:
			if (parse_size(optarg, &o->rb_size)) {
				fprintf(stderr, "erofs-diotrace: --ringbuf-size %s: give bytes, e.g. 4M (4K..1G)\n", optarg);
				return -1;
			}
			break;
		case 'h':
		case OPT_HELP: usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	o->cmd = argv + optind;
	if (!o->cmd[0] && !o->pid) {
		fprintf(stderr, "erofs-diotrace: run needs a command after '--' or -p PID; see 'erofs-diotrace run --help'\n");
		return -1;
	}
	if (!o->cmd[0])
		o->cmd = NULL;
	return 0;
}

/* no BTF or no privilege: one line, exit 2 (inconclusive) */
static int env_check(void)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		fprintf(stderr, "erofs-diotrace: no kernel BTF (/sys/kernel/btf/vmlinux): the CO-RE probes cannot run on this kernel (needs CONFIG_DEBUG_INFO_BTF); INCONCLUSIVE\n");
		return -1;
	}
	if (geteuid() != 0) {
		fprintf(stderr, "erofs-diotrace: run needs root (CAP_BPF, CAP_PERFMON) to load BPF programs; rerun with sudo; INCONCLUSIVE\n");
		return -1;
	}
	return 0;
}

/* fork CMD, held on a pipe until every probe is attached */
static pid_t spawn_held(char **cmd, int *go_fd)
{
	int p[2];
	pid_t pid;
	char c;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			_exit(127);	/* the tracer gave up */
		execvp(cmd[0], cmd);
		fprintf(stderr, "erofs-diotrace: cannot run '%s': %s\n", cmd[0], strerror(errno));
		_exit(127);
	}
	close(p[0]);
	*go_fd = p[1];
	return pid;
}

static void add_backing(void *vctx, uint64_t dev, uint64_t ino, const char *img, const char *mnt)
{
	struct run_ctx *ctx = vctx;
	struct { uint64_t dev, ino; } k = { dev, ino };	/* struct dt_file_key (bpf/common.bpf.h) */
	uint8_t one = 1;

	if (bpf_map__update_elem(ctx->skel->maps.backing, &k, sizeof(k), &one, 1, BPF_ANY))
		fprintf(stderr, "erofs-diotrace: backing table full: %s (ino %llu) is learnt only when a traced read reaches it\n",
			img, (unsigned long long)ino);
	if (ctx->o.probes)
		fprintf(stderr, "erofs-diotrace: %s is backed by %s (dev %u:%u ino %llu)\n",
			mnt, img, dt_dev_major(dev), dt_dev_minor(dev), (unsigned long long)ino);
}

static int track_pid(struct run_ctx *ctx, pid_t pid)
{
	uint32_t k = pid;
	uint8_t one = 1;
	int err;

	err = bpf_map__update_elem(ctx->skel->maps.pids, &k, sizeof(k), &one, 1, BPF_ANY);
	if (err)
		fprintf(stderr, "erofs-diotrace: cannot trace pid %d: process table: %s; INCONCLUSIVE\n",
			(int)pid, dt_errname(err));
	return err;
}

/*
 * -p PID: the process and the descendants it already has (later forks are
 * followed in BPF).  The parent goes into the map before its children are
 * read, so a fork racing with the walk is caught by the fork tracker.
 */
static int track_tree(struct run_ctx *ctx, pid_t pid, unsigned int *budget)
{
	char path[320], buf[4096];
	struct dirent *d;
	DIR *dir;
	int err;

	if (!*budget)
		return 0;
	(*budget)--;
	err = track_pid(ctx, pid);
	if (err)
		return err;
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	dir = opendir(path);
	if (!dir)
		return 0;	/* exited meanwhile */
	while (!err && (d = readdir(dir))) {
		char *tok, *save = NULL;
		FILE *f;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/children", (int)pid, d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(buf, sizeof(buf), f))
			for (tok = strtok_r(buf, " \n", &save); tok && !err;
			     tok = strtok_r(NULL, " \n", &save))
				err = track_tree(ctx, (pid_t)atoi(tok), budget);
		fclose(f);
	}
	closedir(dir);
	return err;
}

/*
 * OPEN: BPF sends opens that returned an EROFS file (dev/ino set) and
 * O_DIRECT opens refused with EINVAL, the latter as a struct dt_open_ext
 * that says which file without asking the (maybe gone) process.
 */
static bool open_on_erofs(struct run_ctx *ctx, struct dt_event *ev, const void *data, size_t sz)
{
	ev->open.path[DT_PATH_MAX - 1] = '\0';
	if (sz < sizeof(struct dt_open_ext))
		return ev->dev != 0;
	switch (dt_open_resolve(data, ctx->mount_dev, ev)) {
	case DT_OPEN_ON_EROFS:
		return true;
	case DT_OPEN_UNRESOLVED:
		ctx->unresolved_opens++;
		return false;
	default:
		return false;
	}
}

static int on_event(void *vctx, void *data, size_t sz)
{
	struct run_ctx *ctx = vctx;
	struct dt_event ev;

	if (sz < sizeof(ev)) {
		ctx->bad_events++;
		return 0;
	}
	memcpy(&ev, data, sizeof(ev));
	if (ev.version != DT_EVENT_VERSION) {
		ctx->bad_events++;
		return 0;
	}
	if (ev.type == DT_EV_OPEN && !open_on_erofs(ctx, &ev, data, sz))
		return 0;
	ctx->events++;
	if (ctx->rec)
		dt_evtext_write(ctx->rec, &ev);
	dt_engine_feed(ctx->e, &ev);
	return 0;
}

#ifndef SYS_open
#define SYS_open	-1	/* arm64, riscv: openat only */
#endif

static bool raw_syscalls(const struct dt_probe_bind *binds, enum dt_probe_group_id g)
{
	return dt_probe_bound_kind(binds, g, "tp_btf") || dt_probe_bound_kind(binds, g, "raw_tp");
}

/* the object's settings, from the options and the bindings (before load) */
static int setup_skel(struct diotrace_bpf *skel, const struct dt_probe_bind *binds, void *vctx)
{
	struct run_ctx *ctx = vctx;
	struct diotrace_bpf__rodata *ro = skel->rodata;

	ro->targ_dev = ctx->mount_dev;
	ro->sys_req = raw_syscalls(binds, DT_G_REQ);
	ro->sys_open = raw_syscalls(binds, DT_G_OPEN);
	ro->bk_done_bound = binds[DT_G_BACKING_DONE].winner >= 0;
	ro->o_direct = O_DIRECT;
	ro->nr_read = SYS_read;
	ro->nr_pread64 = SYS_pread64;
	ro->nr_readv = SYS_readv;
	ro->nr_preadv = SYS_preadv;
	ro->nr_preadv2 = SYS_preadv2;
	ro->nr_open = SYS_open;
	ro->nr_openat = SYS_openat;
	ro->nr_openat2 = SYS_openat2;
	return bpf_map__set_max_entries(skel->maps.rb, ctx->o.rb_size);
}

static int load_probes(struct run_ctx *ctx)
{
	int err;

	err = dt_probe_load(ctx->o.avoid, ctx->binds, setup_skel, ctx, &ctx->skel);
	if (err)
		return err;
	ctx->links = dt_probe_attach(ctx->skel, ctx->binds);
	return ctx->links ? 0 : -ENOMEM;
}

/* -v table; unbound roles go to the engine by name */
static int report_bindings(struct run_ctx *ctx)
{
	unsigned int i, bound = 0;
	char desc[DT_PROBE_WHY_LEN + 64];

	for (i = 0; i < DT_G_MAX; i++) {
		const struct dt_probe_group *g = &dt_probe_groups[i];

		dt_probe_describe(i, &ctx->binds[i], desc, sizeof(desc));
		if (ctx->o.probes)
			fprintf(stderr, "  %s: %s\n", g->name, desc);
		if (ctx->binds[i].winner >= 0) {
			bound++;
			if (g->role >= 0)
				dt_engine_note_bound(ctx->e, g->role, desc);
			continue;
		}
		if (g->role >= 0) {
			dt_engine_note_unbound(ctx->e, g->role, ctx->binds[i].why);
		} else if (i == DT_G_FORK) {
			snprintf(desc, sizeof(desc), "fork tracking unbound (%s): children of the command "
				 "are not traced", ctx->binds[i].why);
			add_note(ctx, desc);
		}
	}
	if (!bound) {
		fprintf(stderr, "erofs-diotrace: no probe could be loaded or attached (REQ: %s); INCONCLUSIVE\n",
			ctx->binds[DT_G_REQ].why);
		return -1;
	}
	return 0;
}

static bool target_alive(struct run_ctx *ctx)
{
	pid_t r;

	if (ctx->child > 0 && !ctx->child_done) {
		r = waitpid(ctx->child, &ctx->status, WNOHANG);
		if (r == ctx->child)
			ctx->child_done = true;
		return !ctx->child_done;
	}
	return ctx->o.pid > 0 && !(kill(ctx->o.pid, 0) && errno == ESRCH);
}

/* pass the signal on; a CMD that ignores it is killed after 2 s */
static void stop_child(struct run_ctx *ctx)
{
	int i;

	if (ctx->child <= 0 || ctx->child_done)
		return;
	kill(ctx->child, stop_sig);
	for (i = 0; i < 20 && target_alive(ctx); i++)
		ring_buffer__poll(ctx->rb, 100);
	if (ctx->child_done)
		return;
	kill(ctx->child, SIGKILL);
	if (waitpid(ctx->child, &ctx->status, 0) == ctx->child)
		ctx->child_done = true;
}

static void trace_loop(struct run_ctx *ctx)
{
	char why[160];
	int n = 0, i;

	while (!stop_sig && target_alive(ctx)) {
		n = ring_buffer__poll(ctx->rb, 100);
		if (n < 0 && n != -EINTR)
			break;
	}
	if (n < 0 && n != -EINTR && !stop_sig) {
		snprintf(why, sizeof(why), "ring buffer poll failed (%s): the trace was cut short",
			 strerror(-n));
		add_note(ctx, why);
	}
	if (stop_sig)
		stop_child(ctx);
	/* async backing completions may still be on their way after CMD exits */
	for (i = 0; i < 3 && n >= 0; i++)
		n = ring_buffer__poll(ctx->rb, 100);
	ring_buffer__consume(ctx->rb);
}

static uint64_t counter_sum(struct run_ctx *ctx, uint32_t idx)
{
	int ncpu = libbpf_num_possible_cpus(), i;
	uint64_t *v, sum = 0;

	if (ncpu <= 0)
		return 0;
	v = calloc(ncpu, sizeof(*v));
	if (v && !bpf_map__lookup_elem(ctx->skel->maps.counters, &idx, sizeof(idx),
				       v, ncpu * sizeof(*v), 0))
		for (i = 0; i < ncpu; i++)
			sum += v[i];
	free(v);
	return sum;
}

/* evidence problems go to the engine (and to the record) before finishing */
/* page-cache changes BPF summed per file outside any traced request */
static void note_pc_outside(struct run_ctx *ctx)
{
	struct { uint64_t dev, ino; } k, next, *prev = NULL;	/* struct dt_file_key */
	struct { uint64_t added, deleted; uint32_t erofs, pad; } v;	/* struct pc_sum */
	int fd = bpf_map__fd(ctx->skel->maps.pc_outside);
	uint64_t page = sysconf(_SC_PAGESIZE);

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		k = next;
		prev = &k;
		if (!bpf_map_lookup_elem(fd, &k, &v))
			dt_engine_note_pc_outside(ctx->e, k.dev, k.ino, v.erofs,
						  v.added * page, v.deleted * page);
	}
}

static void note_count(struct run_ctx *ctx, uint64_t n, const char *what)
{
	char why[192];

	if (!n)
		return;
	snprintf(why, sizeof(why), "%llu %s", (unsigned long long)n, what);
	add_note(ctx, why);
}

static void note_evidence(struct run_ctx *ctx)
{
	uint64_t cnt[DT_CNT_MAX], lost, missed = dt_probe_kprobe_missed(ctx->links);
	char why[128];
	unsigned int i;

	for (i = 0; i < DT_CNT_MAX; i++)
		cnt[i] = counter_sum(ctx, i);
	dt_engine_note_counters(ctx->e, cnt);
	if (ctx->o.probes)
		fprintf(stderr, "erofs-diotrace: counters: reads %llu emitted %llu dropped %llu "
			"map_full %llu evicted %llu pids_full %llu kprobe_missed %llu\n",
			(unsigned long long)cnt[DT_CNT_READS], (unsigned long long)cnt[DT_CNT_EMITTED],
			(unsigned long long)cnt[DT_CNT_RB_DROPPED], (unsigned long long)cnt[DT_CNT_MAP_FULL],
			(unsigned long long)cnt[DT_CNT_EVICTED], (unsigned long long)cnt[DT_CNT_PIDS_FULL],
			(unsigned long long)missed);
	note_pc_outside(ctx);
	lost = cnt[DT_CNT_RB_DROPPED] + ctx->bad_events + missed;
	note_count(ctx, cnt[DT_CNT_MAP_FULL], "BPF map updates failed (tables full): "
		   "some requests, opens or page-cache sums were not kept");
	note_count(ctx, cnt[DT_CNT_EVICTED], "backing reads could not be remembered in flight "
		   "(table full): their completions are not tied to a request");
	note_count(ctx, cnt[DT_CNT_PIDS_FULL], "processes could not join the traced-process "
		   "table (full): their reads were not traced");
	note_count(ctx, missed, "kprobe/kretprobe hits missed by the kernel (nmissed)");
	if (ctx->unresolved_opens) {
		fprintf(stderr, "erofs-diotrace: %lu O_DIRECT opens refused with EINVAL could not be "
			"resolved to a file (gone, or path too deep)\n", ctx->unresolved_opens);
		if (ctx->o.expect_dio)
			note_count(ctx, ctx->unresolved_opens, "O_DIRECT opens refused with EINVAL "
				   "could not be resolved to a file: EROFS refusals may be missing");
	}

	if (stop_sig) {
		snprintf(why, sizeof(why), "tracing interrupted by SIG%s: partial trace",
			 sigabbrev_np(stop_sig) ? sigabbrev_np(stop_sig) : "?");
		add_note(ctx, why);
	}
	if (lost > cnt[DT_CNT_RB_DROPPED])	/* drops came with the counters */
		dt_engine_note_lost(ctx->e, lost - cnt[DT_CNT_RB_DROPPED]);
	for (i = 0; i < ctx->nr_notes; i++)
		dt_engine_note_inconclusive(ctx->e, ctx->notes[i]);
	if (!ctx->rec)
		return;
	for (i = 0; i < ctx->nr_notes; i++)
		fprintf(ctx->rec, "!inconclusive %s\n", ctx->notes[i]);
	if (lost)
		fprintf(ctx->rec, "!lost %llu\n", (unsigned long long)lost);
	for (i = 0; i < DT_G_MAX; i++)
		if (ctx->binds[i].winner < 0 && dt_probe_groups[i].role >= 0)
			fprintf(ctx->rec, "!unbound %s %s\n",
				dt_role_name(dt_probe_groups[i].role), ctx->binds[i].why);
}

static int finish_report(struct run_ctx *ctx)
{
	FILE *out = stderr;
	int rc = 0;

	note_evidence(ctx);
	dt_engine_finish(ctx->e);
	if (ctx->o.out && !(out = fopen(ctx->o.out, "w"))) {
		fprintf(stderr, "erofs-diotrace: -o %s: %s; report on stderr\n", ctx->o.out, strerror(errno));
		out = stderr;
	}
	dt_report_text(ctx->e, out, ctx->o.verbose);
	if (out != stderr)
		fclose(out);
	if (ctx->o.json && dt_report_json(ctx->e, ctx->o.json)) {
		fprintf(stderr, "erofs-diotrace: --json %s: cannot write the report\n", ctx->o.json);
		rc = 2;
	}
	if (ctx->o.assert_)
		return rc ? rc : (int)dt_engine_verdict(ctx->e);
	if (ctx->child > 0 && ctx->child_done)
		return WIFEXITED(ctx->status) ? WEXITSTATUS(ctx->status) :
						128 + WTERMSIG(ctx->status);
	return rc;
}

static void cleanup(struct run_ctx *ctx)
{
	ring_buffer__free(ctx->rb);
	dt_probe_detach(ctx->links);
	diotrace_bpf__destroy(ctx->skel);
	if (ctx->go_fd >= 0)
		close(ctx->go_fd);
	if (ctx->child > 0 && !ctx->child_done) {
		kill(ctx->child, SIGKILL);
		waitpid(ctx->child, NULL, 0);
	}
	if (ctx->rec)
		fclose(ctx->rec);
	dt_engine_free(ctx->e);
}

static void install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static int setup(struct run_ctx *ctx)
{
	struct dt_engine_opts eo = {
		.page_size = sysconf(_SC_PAGESIZE),
		.expect_dio = ctx->o.expect_dio,
	};
	unsigned int budget;
	int err;

	if (ctx->o.mount && (err = dt_mount_dev(ctx->o.mount, &ctx->mount_dev))) {
		fprintf(stderr, "erofs-diotrace: --mount %s: %s\n", ctx->o.mount,
			err == -EMEDIUMTYPE ? "not on an EROFS mount; give an EROFS mount point" : strerror(-err));
		return -1;
	}
	if (ctx->o.record && !(ctx->rec = fopen(ctx->o.record, "w"))) {
		fprintf(stderr, "erofs-diotrace: --record %s: %s\n", ctx->o.record, strerror(errno));
		return -1;
	}
	if (ctx->rec)
		fprintf(ctx->rec, "# erofs-diotrace run record, event format v%d\n", DT_EVENT_VERSION);
	ctx->e = dt_engine_new(&eo);
	if (!ctx->e)
		return -1;
	if (ctx->o.cmd && (ctx->child = spawn_held(ctx->o.cmd, &ctx->go_fd)) < 0) {
		fprintf(stderr, "erofs-diotrace: cannot start '%s': %s\n", ctx->o.cmd[0], strerror(errno));
		return -1;
	}
	install_signals();
	if (load_probes(ctx))
		return -1;
	if (ctx->o.probes)
		fprintf(stderr, "erofs-diotrace: probes:\n");
	if (report_bindings(ctx))
		return -1;
	dt_backing_scan(ctx->mount_dev, add_backing, ctx);
	budget = 4096;
	if ((ctx->child > 0 && track_pid(ctx, ctx->child)) ||
	    (ctx->o.pid > 0 && track_tree(ctx, ctx->o.pid, &budget)))
		return -1;
	ctx->rb = ring_buffer__new(bpf_map__fd(ctx->skel->maps.rb), on_event, ctx, NULL);
	return ctx->rb ? 0 : -1;
}

/* let CMD go: every probe is attached */
static int release(struct run_ctx *ctx)
{
	int fd = ctx->go_fd;

	if (fd < 0)
		return 0;
	ctx->go_fd = -1;
	if (write(fd, "g", 1) != 1) {
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int cmd_run(int argc, char **argv)
{
	struct run_ctx ctx = { .go_fd = -1 };
	int rc;

	if (parse_args(argc, argv, &ctx.o))
		return 2;
	if (env_check())
		return 2;
	if (setup(&ctx) || stop_sig || release(&ctx)) {
		cleanup(&ctx);
		return 2;
	}
	if (ctx.o.probes)
		fprintf(stderr, "erofs-diotrace: tracing\n");
	trace_loop(&ctx);
	rc = finish_report(&ctx);
	if (ctx.o.probes)
		fprintf(stderr, "erofs-diotrace: %lu events\n", ctx.events);
	cleanup(&ctx);
	return rc;
}
