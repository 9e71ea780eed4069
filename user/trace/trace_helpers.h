/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Probe calibration: every role has candidate programs (fentry/fexit first,
 * then kprobe/kretprobe, then tracepoints).  Each candidate is trial-loaded
 * and trial-attached in a throwaway copy of the BPF object, the winners are
 * the only programs autoloaded in the real object, and a role nobody can
 * bind is reported by name with the reasons.
 */
#ifndef __DT_TRACE_HELPERS_H
#define __DT_TRACE_HELPERS_H

#include <stdbool.h>
#include <stddef.h>

struct bpf_object;

#define DT_PROBE_MAX_PROGS	2
#define DT_PROBE_WHY_LEN	256

struct dt_probe_cand {
	const char *kind;		/* "fentry", "kprobe", "tp_btf", "raw_tp" */
	const char *target;		/* kernel function or tracepoint */
	const char *progs[DT_PROBE_MAX_PROGS];	/* program names, NULL = none */
};

struct dt_probe_group {
	const char *name;		/* "REQ", "DIO", ..., or a helper probe */
	int role;			/* enum dt_role, or -1 for a helper probe */
	const struct dt_probe_cand *cands;
	unsigned int ncands;
};

struct dt_probe_bind {
	int winner;			/* index in cands, -1 = unbound */
	char why[DT_PROBE_WHY_LEN];	/* why the candidates before it lost */
};

extern const struct dt_probe_group dt_probe_groups[];
extern const unsigned int dt_probe_ngroups;

/*
 * trial-load every candidate; fills binds[dt_probe_ngroups]; 0 or -errno.
 * avoid: comma-separated kinds never to use ("fentry" covers fexit), or NULL.
 */
int dt_probe_calibrate(const void *elf, size_t sz, const char *avoid,
		       struct dt_probe_bind *binds);

/* is KIND a known candidate kind? (to check --avoid) */
bool dt_probe_kind_known(const char *kind);

/* before loading the real object: autoload exactly the winners */
void dt_probe_select(struct bpf_object *obj, const struct dt_probe_bind *binds);

/* after loading: attach the winners; a failure unbinds its group */
struct dt_probe_links;
struct dt_probe_links *dt_probe_attach(struct bpf_object *obj, struct dt_probe_bind *binds);
void dt_probe_detach(struct dt_probe_links *links);

/* "fentry erofs_file_read_iter" or "unbound (fentry: EPERM; kprobe: no kprobes)" */
void dt_probe_describe(const struct dt_probe_group *g, const struct dt_probe_bind *b,
		       char *buf, size_t len);

/* is the winner of the REQ group a syscall tracepoint? */
bool dt_probe_req_is_syscall(const struct dt_probe_bind *binds);

const char *dt_errname(int err);

#endif
