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
#include <time.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "cli.h"
#include "commands.h"
#include "engine.h"
#include "open_resolve.h"
#include "outfile.h"
#include "record.h"
#include "run_mounts.h"
#include "run_plot.h"
#include "report.h"
#include "tracee.h"
#include "trace_helpers.h"
#include "diotrace.skel.h"

struct run_ctx {
	struct run_opts o;
	struct diotrace_bpf *skel;
	struct dt_probe_links *links;
	struct dt_probe_bind binds[DT_G_MAX];
	struct dt_engine *e;
	struct dt_report *rep;		/* streams reads as they close */
	FILE *out;			/* the text report (-o or stderr) */
	struct ring_buffer *rb;
	struct dt_rec_writer *rec;
	int rec_err;		/* first write error of the record: exit 2 */
	uint64_t mount_dev;
	struct dt_tracee t;
	struct dt_run_plot *plot;	/* --plot, or NULL */
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

/* the signal that ended the trace (SIGINT, SIGTERM, SIGHUP), 0 = none */
static int stop_sig;

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

/* the parent of process PID from /proc/PID/stat ("pid (comm) state ppid ..."), -1 if gone */
static pid_t parent_of(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd, ppid;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strrchr(buf, ')');	/* comm may hold spaces and parentheses */
	if (!p || sscanf(p + 1, " %*c %d", &ppid) != 1)
		return -1;
	return ppid;
}

/*
 * A kernel without CONFIG_PROC_CHILDREN has no task/N/children: find the
 * descendants by their parent pid instead, one pass over /proc per level.
 */
static int track_tree_by_ppid(struct run_ctx *ctx, pid_t root, unsigned int *budget)
{
	pid_t *want = NULL, *next;
	size_t nw = 0;
	struct dirent *d;
	int err = 0;
	DIR *dir;

	if (!*budget)
		return 0;
	(*budget)--;
	err = track_pid(ctx, root);
	want = malloc(sizeof(*want));
	if (err || !want)
		return free(want), err ? err : -ENOMEM;
	want[nw++] = root;
	while (nw && !err && *budget) {
		size_t i, nn = 0, ncap = 0;

		next = NULL;
		dir = opendir("/proc");
		if (!dir)
			break;
		while (!err && *budget && (d = readdir(dir))) {
			pid_t pid = (pid_t)strtol(d->d_name, NULL, 10), pp;

			if (pid <= 0 || (pp = parent_of(pid)) <= 0)
				continue;
			for (i = 0; i < nw && want[i] != pp; i++)
				;
			if (i == nw)
				continue;
			if (nn == ncap) {
				pid_t *g = realloc(next, (ncap = ncap ? 2 * ncap : 16) * sizeof(*g));

				if (!g) {
					err = -ENOMEM;
					break;
				}
				next = g;
			}
			next[nn++] = pid;
			(*budget)--;
			err = track_pid(ctx, pid);
		}
		closedir(dir);
		free(want);
		want = next;
		nw = nn;
	}
	free(want);
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

/* a write to the record failed: say so once; the run exits 2 */
static void record_failed(struct run_ctx *ctx, int err)
{
	if (!err || ctx->rec_err)
		return;
	ctx->rec_err = err;
	fprintf(stderr, "erofs-diotrace: --record %s: write failed: %s; the record is "
		"incomplete\n", ctx->o.record, strerror(-err));
}

/* the record's header: page size and the probe table, before any event */
static void record_begin(struct run_ctx *ctx)
{
	struct dt_rec_header h = {
		.page_size = sysconf(_SC_PAGESIZE),
		.flags = DT_REC_F_STAMPED,
	};
	unsigned int i;
	int role;

	if (!ctx->rec)
		return;
	for (i = 0; i < DT_G_MAX; i++) {
		role = dt_probe_groups[i].role;
		if (role < 0 || role >= DT_ROLE_MAX)
			continue;
		if (ctx->binds[i].winner >= 0) {
			h.roles[role].state = DT_REC_ROLE_BOUND;
			dt_probe_describe(i, &ctx->binds[i], h.roles[role].text,
					  sizeof(h.roles[role].text));
		} else {
			h.roles[role].state = DT_REC_ROLE_UNBOUND;
			snprintf(h.roles[role].text, sizeof(h.roles[role].text), "%s",
				 ctx->binds[i].why);
		}
	}
	record_failed(ctx, dt_rec_write_header(ctx->rec, &h));
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
	if (ev.type == DT_EV_OPEN && !open_on_erofs(ctx, &ev, data, sz)) {
		dt_engine_note_skipped(ctx->e, 1);	/* emitted, not lost */
		return 0;
	}
	ctx->events++;
	if (ctx->rec && !ctx->rec_err)
		record_failed(ctx, dt_rec_write_event(ctx->rec, &ev));
	dt_engine_feed(ctx->e, &ev);
	if (ctx->plot)
		dt_run_plot_read(ctx->plot, &ev);
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

/* --probes table; unbound roles go to the engine by name */
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

#define DT_STOP_GRACE_MS	2000	/* CMD's tree gets this long to obey a stop signal */
#define DT_DRAIN_QUIET_MS	10	/* after CMD: the ring is done once quiet this long */
#define DT_DRAIN_MAX_MS		500	/* ... and in any case after this */

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

/* sleep until events, CMD's exit or a signal; then consume the ring */
static int pump(struct run_ctx *ctx, int timeout_ms)
{
	int w = dt_tracee_wait(&ctx->t, ring_buffer__epoll_fd(ctx->rb), timeout_ms);
	int n;

	if (w < 0)
		return w;
	n = ring_buffer__consume(ctx->rb);
	return n < 0 ? n : w;
}

/* pass the signal to CMD's tree; what ignores it is killed after 2 s */
static void stop_tree(struct run_ctx *ctx)
{
	long end = now_ms() + DT_STOP_GRACE_MS, left;

	if (ctx->t.child <= 0)
		return;
	dt_tracee_signal(&ctx->t, stop_sig);
	while (!ctx->t.done && (left = end - now_ms()) > 0)
		if (pump(ctx, (int)left) < 0)
			break;
	if (!ctx->t.done)
		dt_tracee_kill(&ctx->t);
}

/*
 * Async backing completions may still be on their way after CMD exits:
 * read until the ring stays quiet for a moment, within a deadline.
 */
static void drain(struct run_ctx *ctx)
{
	struct pollfd p = { .fd = ring_buffer__epoll_fd(ctx->rb), .events = POLLIN };
	long end = now_ms() + DT_DRAIN_MAX_MS, left;
	int n = ring_buffer__consume(ctx->rb);

	while (n >= 0 && (left = end - now_ms()) > 0) {
		if (poll(&p, 1, left < DT_DRAIN_QUIET_MS ? (int)left : DT_DRAIN_QUIET_MS) <= 0)
			break;
		n = ring_buffer__consume(ctx->rb);
	}
}

static void trace_loop(struct run_ctx *ctx)
{
	char why[160];
	int w = 0;

	while (!(w & (DT_WAKE_GONE | DT_WAKE_SIGNAL))) {
		if (ctx->plot)
			dt_run_plot_tick(ctx->plot, false);
		w = pump(ctx, ctx->plot ? dt_run_plot_wait(ctx->plot) : -1);
		if (w < 0) {
			snprintf(why, sizeof(why), "ring buffer poll failed (%s): the trace was cut short",
				 strerror(-w));
			add_note(ctx, why);
			break;
		}
	}
	stop_sig = ctx->t.stop_sig;
	if (stop_sig)
		stop_tree(ctx);
	drain(ctx);
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
		if (bpf_map_lookup_elem(fd, &k, &v))
			continue;
		dt_engine_note_pc_outside(ctx->e, k.dev, k.ino, v.erofs,
					  v.added * page, v.deleted * page);
		if (ctx->rec)
			record_failed(ctx, dt_rec_write_pc_outside(ctx->rec, k.dev, k.ino, v.erofs,
								   v.added * page, v.deleted * page));
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

/* evidence problems go to the engine (and to the record) before finishing */
static int note_evidence(struct run_ctx *ctx)
{
	uint64_t cnt[DT_CNT_MAX], lost, missed = dt_probe_kprobe_missed(ctx->links);
	char why[128];
	unsigned int i;

	for (i = 0; i < DT_CNT_MAX; i++)
		cnt[i] = counter_sum(ctx, i);
	dt_engine_note_counters(ctx->e, cnt);
	if (ctx->rec)
		record_failed(ctx, dt_rec_write_counters(ctx->rec, cnt));
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
		return 0;
	for (i = 0; i < ctx->nr_notes; i++)
		dt_rec_write_inconclusive(ctx->rec, ctx->notes[i]);
	if (lost > cnt[DT_CNT_RB_DROPPED])	/* as given to the engine above */
		dt_rec_write_lost(ctx->rec, lost - cnt[DT_CNT_RB_DROPPED]);
	dt_rec_write_end(ctx->rec);
	record_failed(ctx, dt_rec_writer_close(ctx->rec));
	ctx->rec = NULL;
	return ctx->rec_err ? 2 : 0;
}

/* flush and close one output; a failure is named and makes the run exit 2 */
static int out_done(FILE *f, const char *opt, const char *name)
{
	int err = dt_out_close(f);

	if (err && f != stderr)
		fprintf(stderr, "erofs-diotrace: %s %s: write failed (%s); that output is incomplete\n",
			opt, name, dt_out_why(err));
	return err ? 2 : 0;
}

static int finish_report(struct run_ctx *ctx)
{
	const char *what;
	int rc = note_evidence(ctx), err;

	dt_engine_finish(ctx->e);
	err = dt_report_end(ctx->rep, ctx->e, &what);
	if (err && what == ctx->o.json) {
		fprintf(stderr, "erofs-diotrace: --json %s: cannot write the report (%s)\n",
			ctx->o.json, dt_out_why(err));
	} else if (err) {
		fprintf(stderr, "erofs-diotrace: -o %s: write failed (%s); that output is incomplete\n",
			ctx->o.out ? ctx->o.out : "(stderr)", dt_out_why(err));
	}
	if (ctx->out != stderr) {
		if (err && what != ctx->o.json)
			fclose(ctx->out);	/* already named above */
		else
			err |= out_done(ctx->out, "-o", ctx->o.out);
	}
	ctx->out = NULL;
	if (err)
		rc = 2;
	if (rc)
		return 2;
	if (ctx->o.assert_)
		return (int)dt_engine_verdict(ctx->e);
	if (dt_tracee_exit_code(&ctx->t) >= 0)
		return dt_tracee_exit_code(&ctx->t);
	return 0;
}

static void cleanup(struct run_ctx *ctx)
{
	if (ctx->plot)
		dt_run_plot_free(ctx->plot);
	free(ctx->plot);
	ring_buffer__free(ctx->rb);
	dt_probe_detach(ctx->links);
	diotrace_bpf__destroy(ctx->skel);
	dt_tracee_free(&ctx->t);
	dt_rec_writer_close(ctx->rec);	/* cut short: no end marker, replays INCONCLUSIVE */
	dt_engine_free(ctx->e);
	dt_report_free(ctx->rep);
	if (ctx->out && ctx->out != stderr)
		fclose(ctx->out);
}

/* signals to a signalfd; CMD forked held, or -p PID watched */
static int start_target(struct run_ctx *ctx)
{
	int err = dt_tracee_signals(&ctx->t);

	if (err) {
		fprintf(stderr, "erofs-diotrace: cannot set up signal handling: %s\n", strerror(-err));
		return -1;
	}
	if (ctx->o.cmd && (err = dt_tracee_spawn(&ctx->t, ctx->o.cmd))) {
		fprintf(stderr, "erofs-diotrace: cannot start '%s': %s\n", ctx->o.cmd[0], strerror(-err));
		return -1;
	}
	if (ctx->o.pid > 0 && (err = dt_tracee_follow(&ctx->t, ctx->o.pid))) {
		fprintf(stderr, "erofs-diotrace: -p %d: %s\n", (int)ctx->o.pid, strerror(-err));
		return -1;
	}
	if (ctx->o.probes && ctx->o.cmd)
		fprintf(stderr, "erofs-diotrace: CMD's process tree is ended through %s%s\n",
			dt_tracee_cgroup(&ctx->t) ? "cgroup " : "its process group",
			dt_tracee_cgroup(&ctx->t) ? dt_tracee_cgroup(&ctx->t) : "");
	else if (ctx->o.probes)
		fprintf(stderr, "erofs-diotrace: PID %d is followed, not owned: it is never signalled; "
			"tracing ends when it exits\n", (int)ctx->o.pid);
	return 0;
}

static int setup(struct run_ctx *ctx)
{
	struct dt_engine_opts eo = {
		.page_size = sysconf(_SC_PAGESIZE),
		.expect_dio = ctx->o.expect_dio,
		.loss_stamped = true,	/* every event carries the ring's drop count */
		.max_details = ctx->o.max_details,
	};
	struct dt_report_opts ro = { .verbose = ctx->o.verbose, .json = ctx->o.json };
	unsigned int budget;
	int err;

	if (ctx->o.mount && (err = dt_mount_dev(ctx->o.mount, &ctx->mount_dev))) {
		fprintf(stderr, "erofs-diotrace: --mount %s: %s\n", ctx->o.mount,
			err == -EMEDIUMTYPE ? "not on an EROFS mount; give an EROFS mount point" : strerror(-err));
		return -1;
	}
	if (ctx->o.record && !(ctx->rec = dt_rec_writer_create(ctx->o.record,
			ctx->o.record_text ? DT_REC_TEXT : DT_REC_BINARY))) {
		fprintf(stderr, "erofs-diotrace: --record %s: %s\n", ctx->o.record, strerror(errno));
		return -1;
	}
	ctx->out = ctx->o.out ? fopen(ctx->o.out, "w") : stderr;
	if (!ctx->out) {
		fprintf(stderr, "erofs-diotrace: -o %s: %s\n", ctx->o.out, strerror(errno));
		return -1;
	}
	ro.text = ctx->out;
	ctx->rep = dt_report_new(&ro);
	if (!ctx->rep) {
		fprintf(stderr, "erofs-diotrace: --json %s: %s\n", ctx->o.json, strerror(errno));
		return -1;
	}
	dt_report_attach(ctx->rep, &eo);
	if (ctx->o.plot) {
		ctx->plot = malloc(sizeof(*ctx->plot));
		if (!ctx->plot || dt_run_plot_open(ctx->plot, ctx->o.plot, ctx->o.mount)) {
			if (!ctx->plot)
				fprintf(stderr, "erofs-diotrace: --plot: out of memory\n");
			return -1;
		}
	}
	ctx->e = dt_engine_new(&eo);
	if (!ctx->e)
		return -1;
	if (start_target(ctx))
		return -1;
	if (load_probes(ctx))
		return -1;
	if (ctx->o.probes)
		fprintf(stderr, "erofs-diotrace: probes:\n");
	if (report_bindings(ctx))
		return -1;
	record_begin(ctx);
	dt_backing_scan(ctx->mount_dev, add_backing, ctx);
	budget = 4096;
	if ((ctx->t.child > 0 && track_pid(ctx, ctx->t.child)) ||
	    (ctx->o.pid > 0 && (access("/proc/thread-self/children", F_OK) ?
				track_tree_by_ppid(ctx, ctx->o.pid, &budget) :
				track_tree(ctx, ctx->o.pid, &budget))))
		return -1;
	ctx->rb = ring_buffer__new(bpf_map__fd(ctx->skel->maps.rb), on_event, ctx, NULL);
	return ctx->rb ? 0 : -1;
}

int cmd_run(int argc, char **argv)
{
	struct run_ctx ctx = { 0 };
	int rc;

	dt_tracee_init(&ctx.t);

	if (dt_run_parse_args(argc, argv, &ctx.o))
		return 2;
	if (ctx.o.debug || getenv("DIOTRACE_LIBBPF_LOG"))	/* the old name still works */
		dt_probe_debug(true);
	if (env_check())
		return 2;
	if (setup(&ctx) || dt_tracee_signalled(&ctx.t) || dt_tracee_release(&ctx.t)) {
		cleanup(&ctx);
		return 2;
	}
	if (ctx.o.probes)
		fprintf(stderr, "erofs-diotrace: tracing\n");
	trace_loop(&ctx);
	if (dt_tracee_left(&ctx.t) > 0)
		fprintf(stderr, "erofs-diotrace: processes CMD started are still running; the trace "
			"ends with CMD, so they are killed\n");
	rc = finish_report(&ctx);
	if (ctx.plot && dt_run_plot_finish(ctx.plot))
		rc = 2;
	if (ctx.o.probes)
		fprintf(stderr, "erofs-diotrace: %lu events\n", ctx.events);
	cleanup(&ctx);
	return rc;
}
