// SPDX-License-Identifier: GPL-2.0-only
/*
 * dt-matrix: judge the cells of `make matrix` and write its reports.
 *
 *   dt-matrix --scenarios FILE [--expect-dir DIR] [--text FILE] [--json FILE]
 *             [--junit FILE] [--tap FILE] [--color auto|always|never]
 *             FLAVOUR=RESULTDIR...
 *
 * RESULTDIR is tests/matrix/run-flavour.sh's output (cells/ID/...).  A
 * flavour with a file DIR/FLAVOUR is compared with it; one without (a new
 * series) with the scenarios' IDEAL column.  The table goes to stdout (with
 * colour on a tty) and, without colour, to --text.
 * Exit: 0 every cell as expected (n.a. aside), 1 a regression or other
 * unexpected result, 2 a cell could not be judged, bad input, or a failed
 * write.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mx.h"

int mx_exit_code(const struct mx *m);

int mx_exit_code(const struct mx *m)
{
	if (m->count[MX_UNJUDGED])
		return 2;
	if (m->count[MX_REGRESSION] || m->count[MX_UNEXPECTED_PASS] || m->count[MX_UNEXPECTED])
		return 1;
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: dt-matrix --scenarios FILE [--expect-dir DIR] [--text FILE] [--json FILE] "
		"[--junit FILE] [--tap FILE] [--color auto|always|never] FLAVOUR=RESULTDIR...\n");
	exit(2);
}

static int load_columns(struct mx *m, const char *expect_dir)
{
	char path[4200], dir[4200];
	size_t i, k;

	for (i = 0; i < m->ncol; i++) {
		struct mx_col *col = &m->col[i];

		if (access(col->dir, R_OK | X_OK)) {
			fprintf(stderr, "dt-matrix: %s: results %s: %s\n", col->name, col->dir, strerror(errno));
			return -1;
		}
		snprintf(path, sizeof(path), "%s/%s", expect_dir, col->name);
		if (expect_dir && !access(path, F_OK) && mx_load_expect(m, col, path))
			return -1;
		for (k = 0; k < m->nscn; k++) {
			snprintf(dir, sizeof(dir), "%s/cells/%s", col->dir, m->scn[k].id);
			if (mx_load_cell(&m->scn[k], dir, &col->cells[k]))
				return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct mx m;
	const char *scn = NULL, *exp = NULL, *text = NULL, *json = NULL, *junit = NULL, *tap = NULL;
	const char *colour = "auto";
	int i, rc, bad = 0;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], **dst = NULL;
		char *eq;

		if (!strcmp(a, "--scenarios"))
			dst = &scn;
		else if (!strcmp(a, "--expect-dir"))
			dst = &exp;
		else if (!strcmp(a, "--text"))
			dst = &text;
		else if (!strcmp(a, "--json"))
			dst = &json;
		else if (!strcmp(a, "--junit"))
			dst = &junit;
		else if (!strcmp(a, "--tap"))
			dst = &tap;
		else if (!strcmp(a, "--color"))
			dst = &colour;
		if (dst) {
			if (++i == argc)
				usage();
			*dst = argv[i];
			continue;
		}
		eq = strchr(a, '=');
		if (a[0] == '-' || !eq || eq == a || !eq[1] || m.ncol == MX_MAX_COL)
			usage();
		*eq = 0;
		m.col[m.ncol].name = a;
		m.col[m.ncol++].dir = eq + 1;
	}
	if (!scn || !m.ncol || (strcmp(colour, "auto") && strcmp(colour, "always") && strcmp(colour, "never")))
		usage();
	if (mx_load_scenarios(&m, scn) || load_columns(&m, exp))
		return 2;
	mx_judge(&m);
	rc = mx_exit_code(&m);
	if (mx_write_table(&m, stdout, !strcmp(colour, "always") ||
			   (!strcmp(colour, "auto") && isatty(1) && !getenv("NO_COLOR"))) ||
	    fflush(stdout)) {
		fprintf(stderr, "dt-matrix: writing the table to stdout failed: %s\n", strerror(errno));
		bad = 1;
	}
	if (text) {
		struct mx_out o;

		if (mx_out_open(&o, text)) {
			bad = 1;
		} else if (mx_write_table(&m, o.f, 0)) {
			fprintf(stderr, "dt-matrix: writing %s failed\n", text);
			mx_out_abort(&o);
			bad = 1;
		} else if (mx_out_close(&o)) {
			bad = 1;
		}
	}
	if (json && mx_write_json(&m, json))
		bad = 1;
	if (junit && mx_write_junit(&m, junit))
		bad = 1;
	if (tap && mx_write_tap(&m, tap))
		bad = 1;
	mx_free(&m);
	return bad ? 2 : rc;
}
