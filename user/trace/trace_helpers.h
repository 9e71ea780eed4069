/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Probe calibration, load and attach.  The groups and their candidate
 * programs, best first, come from include/dt_probes.h.  Calibration reads
 * the kernel BTF once and tries each candidate's attach points with a
 * two-instruction program (no object, no BTF parse); the winners are the
 * only programs autoloaded in the real object.  A group is bound only when
 * every program of its candidate is attached; otherwise none of them stays.
 */
#ifndef __DT_TRACE_HELPERS_H
#define __DT_TRACE_HELPERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dt_probes.h"

struct diotrace_bpf;
struct bpf_program;

#define DT_PROBE_MAX_PROGS	12
#define DT_PROBE_WHY_LEN	256

struct dt_probe_prog {
	size_t off;			/* of the program in struct diotrace_bpf */
	const char *name;
	bool optional;			/* may be absent: no such tracepoint or function here */
};

struct dt_probe_cand {
	enum dt_probe_group_id group;
	const char *kind;		/* "fentry", "kprobe", "tracepoint", "tp_btf", "raw_tp" */
	const char *target;
	struct dt_probe_prog progs[DT_PROBE_MAX_PROGS];	/* name NULL: end */
};

struct dt_probe_group {
	const char *name;		/* "REQ", "DIO", ..., or a helper probe */
	int role;			/* enum dt_role, or -1 for a helper probe */
};

struct dt_probe_bind {
	int winner;			/* index in dt_probe_cands, -1 = unbound */
	unsigned int absent;		/* bit i: optional program i has no target here */
	char why[DT_PROBE_WHY_LEN];	/* why the candidates before it lost */
};

extern const struct dt_probe_group dt_probe_groups[DT_G_MAX];
extern const struct dt_probe_cand dt_probe_cands[];
extern const unsigned int dt_probe_ncands;

/* is KIND a known candidate kind? (to check --avoid) */
bool dt_probe_kind_known(const char *kind);

/*
 * --debug: from now on every libbpf message (all levels) and the verifier's
 * log of each program loaded, trial or real, go to stderr, each line
 * prefixed "erofs-diotrace debug: "; calibration says each candidate's fate.
 */
void dt_probe_debug(bool on);

/* set the skeleton's rodata from the bindings, before load; 0 or -errno */
typedef int (*dt_probe_setup_fn)(struct diotrace_bpf *skel, const struct dt_probe_bind *binds,
				 void *ctx);

/*
 * Calibrate (binds[DT_G_MAX]), then open and load the object with the
 * winners; a winner the verifier refuses loses to the next candidate.
 * avoid: comma-separated kinds never to use ("fentry" covers fexit), or NULL.
 * 0 or -errno (message printed).
 */
int dt_probe_load(const char *avoid, struct dt_probe_bind *binds, dt_probe_setup_fn setup,
		  void *ctx, struct diotrace_bpf **skel);

/* attach the winners; a group with a program that fails is detached and unbound */
struct dt_probe_links;
struct dt_probe_links *dt_probe_attach(struct diotrace_bpf *skel, struct dt_probe_bind *binds);
struct bpf_program;
/* is P a program of a bound candidate (one that is present in this kernel)? */
bool dt_probe_prog_wanted(const struct bpf_program *p, struct diotrace_bpf *skel,
			  const struct dt_probe_bind *binds);
void dt_probe_detach(struct dt_probe_links *links);
/* kretprobe/kprobe misses (nmissed) of the attached kprobe links, where the kernel says */
uint64_t dt_probe_kprobe_missed(const struct dt_probe_links *links);

/* "fentry erofs_file_read_iter" or "unbound (fentry: EPERM; kprobe: no kprobes)" */
void dt_probe_describe(enum dt_probe_group_id g, const struct dt_probe_bind *b,
		       char *buf, size_t len);

/* is group G bound by a candidate of KIND? */
bool dt_probe_bound_kind(const struct dt_probe_bind *binds, enum dt_probe_group_id g,
			 const char *kind);

const char *dt_errname(int err);

#endif
