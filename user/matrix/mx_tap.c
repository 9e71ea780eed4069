// SPDX-License-Identifier: GPL-2.0-only
/*
 * dt-matrix: TAP 13 the way kselftest prints it (ksft_print_header,
 * ksft_test_result_*, ksft_print_cnts): "TAP version 13", the plan, one
 * result line per cell, "# " diagnostics before a result, and the
 * "# Totals:" line.  A cell as expected is "ok", an expected FAIL or OOPS
 * "ok N ... # XFAIL checks", n.a. "ok N ... # SKIP why", anything
 * unexpected "not ok", a cell that could not be judged "not ok N ... # error".
 */
#include <stdio.h>

#include "mx.h"

static void diag(FILE *f, const struct mx_cell *c)
{
	size_t k;

	for (k = 0; k < c->nfails; k++)
		fprintf(f, "# %s\n", c->fails[k]);
}

static const char *first(const struct mx_cell *c)
{
	return c->nfails ? c->fails[0] : mx_st_name(c->st);
}

int mx_write_tap(const struct mx *m, const char *path)
{
	struct mx_out o;
	size_t i, k, n = 0, pass = 0, fail = 0, xfail = 0, xpass = 0, skip = 0, err = 0;

	if (mx_out_open(&o, path))
		return -1;
	fprintf(o.f, "TAP version 13\n1..%zu\n", m->nscn * m->ncol);
	for (i = 0; i < m->ncol; i++) {
		fprintf(o.f, "# matrix: flavour %s, expectations %s\n", m->col[i].name,
			m->col[i].expect_path[0] ? m->col[i].expect_path : "ideal");
		for (k = 0; k < m->nscn; k++) {
			const struct mx_cell *c = &m->col[i].cells[k];
			const char *name = m->scn[k].id;

			n++;
			switch (c->outcome) {
			case MX_EXPECTED:
				if (c->st == MX_FAIL || c->st == MX_OOPS) {
					fprintf(o.f, "ok %zu %s: %s # XFAIL %s %s\n", n, m->col[i].name, name,
						mx_st_name(c->st), first(c));
					xfail++;
				} else {
					fprintf(o.f, "ok %zu %s: %s\n", n, m->col[i].name, name);
					pass++;
				}
				break;
			case MX_SKIPPED:
				fprintf(o.f, "ok %zu %s: %s # SKIP %s\n", n, m->col[i].name, name, first(c));
				skip++;
				break;
			case MX_UNJUDGED:
				diag(o.f, c);
				fprintf(o.f, "not ok %zu %s: %s # error %s\n", n, m->col[i].name, name,
					mx_st_name(c->st));
				err++;
				break;
			default:
				diag(o.f, c);
				fprintf(o.f, "not ok %zu %s: %s (%s: %s, expected %s)\n", n, m->col[i].name,
					name, mx_outcome_name(c->outcome), mx_st_name(c->st),
					c->exp_word);
				if (c->outcome == MX_UNEXPECTED_PASS)
					xpass++;
				else
					fail++;
				break;
			}
		}
	}
	fprintf(o.f, "# Totals: pass:%zu fail:%zu xfail:%zu xpass:%zu skip:%zu error:%zu\n",
		pass, fail, xfail, xpass, skip, err);
	return mx_out_close(&o);
}
