/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dt-matrix: the reports of `make matrix` (scenarios x flavours).  The
 * guest leaves raw results per cell (tests/matrix/guest.sh); this program
 * judges each cell, compares it with the flavour's expectations and writes
 * the terminal table, JSON, JUnit XML and TAP 13.
 */
#ifndef DT_MATRIX_H
#define DT_MATRIX_H

#include <stddef.h>
#include <stdio.h>

#define MX_MAX_SCN	128
#define MX_MAX_COL	8
#define MX_MAX_FAILS	8
#define MX_TXT		320

enum mx_st {
	MX_PASS,
	MX_FAIL,
	MX_OOPS,
	MX_EINVAL,
	MX_NA,
	MX_INCONCLUSIVE,
	MX_ERROR,
	MX_ST_MAX
};

/* a cell against its expectation */
enum mx_outcome {
	MX_EXPECTED,		/* observed == expected */
	MX_REGRESSION,		/* expected PASS (or EINVAL), got worse */
	MX_UNEXPECTED_PASS,	/* expected FAIL/OOPS, got PASS */
	MX_UNEXPECTED,		/* any other difference (FAIL vs OOPS, ...) */
	MX_UNJUDGED,		/* INCONCLUSIVE or ERROR: could not judge */
	MX_SKIPPED,		/* n.a. on this guest */
};

struct mx_scn {
	char id[64];
	char setup[64];
	char kind[16];
	char args[128];
	enum mx_st ideal;
	int cache_check;
	char desc[200];
};

struct mx_cell {
	enum mx_st st;
	enum mx_st exp;
	enum mx_st exp_alt;		/* a second accepted status, if has_alt */
	int has_alt;			/* "FAIL|OOPS": timing decides which a defect shows */
	char exp_word[32];		/* "FAIL", "FAIL|OOPS", ... */
	enum mx_outcome outcome;
	char open[32];			/* "ok", "EINVAL", ... or "" */
	char data[16];			/* PASS, FAIL, REFUSED or "" */
	char data_detail[MX_TXT];
	char tracer[16];		/* PASS, FAIL, INCONCLUSIVE, n.a. */
	long long pin_acq, pin_rel;
	int has_pins;
	long long erofs_delta, image_delta;
	int has_cache;
	char *console;			/* console findings, '\n'-separated */
	char *fails[MX_MAX_FAILS];	/* failing checks, in order */
	size_t nfails, more_fails;
};

struct mx_col {
	const char *name;
	const char *dir;
	char expect_path[4096];		/* "" when judged against IDEAL */
	struct mx_cell cells[MX_MAX_SCN];
};

struct mx {
	struct mx_scn scn[MX_MAX_SCN];
	size_t nscn;
	struct mx_col col[MX_MAX_COL];
	size_t ncol;
	size_t count[MX_SKIPPED + 1];	/* cells per outcome */
};

/* an output file, written to PATH.tmp and renamed when whole */
struct mx_out {
	FILE *f;
	const char *path;
	char tmp[4200];
};

const char *mx_st_name(enum mx_st st);
int mx_st_parse(const char *s, enum mx_st *st);
const char *mx_outcome_name(enum mx_outcome o);
/* the table's word for a cell: XFAIL for an expected FAIL */
const char *mx_cell_word(const struct mx_cell *c);

int mx_load_scenarios(struct mx *m, const char *path);
int mx_load_expect(struct mx *m, struct mx_col *col, const char *path);
int mx_load_cell(const struct mx_scn *s, const char *dir, struct mx_cell *c);
void mx_cell_fail(struct mx_cell *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void mx_judge(struct mx *m);
void mx_free(struct mx *m);

int mx_out_open(struct mx_out *o, const char *path);
int mx_out_close(struct mx_out *o);
void mx_out_abort(struct mx_out *o);

int mx_write_table(const struct mx *m, FILE *f, int colour);
int mx_write_json(const struct mx *m, const char *path);
int mx_write_junit(const struct mx *m, const char *path);
int mx_write_tap(const struct mx *m, const char *path);

#endif
