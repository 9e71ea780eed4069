// SPDX-License-Identifier: GPL-2.0-only
/*
 * dt-matrix: the terminal table.  Rows are scenarios, columns flavours; a
 * cell is PASS, XFAIL (an expected FAIL), FAIL, OOPS, EINVAL, n.a., INCONC
 * or ERROR, with '!' when it differs from the expectation and '?' when it
 * could not be judged.  Below it, every cell that did not match with its
 * failing checks, then one summary line.
 */
#include <string.h>

#include "mx.h"

#define C_RED	"\033[31m"
#define C_GREEN	"\033[32m"
#define C_YEL	"\033[33m"
#define C_CYAN	"\033[36m"
#define C_DIM	"\033[2m"
#define C_OFF	"\033[0m"

static const char *colour_of(const struct mx_cell *c)
{
	switch (c->outcome) {
	case MX_EXPECTED:
		return c->st == MX_PASS ? C_GREEN : c->st == MX_EINVAL ? C_CYAN : C_YEL;
	case MX_SKIPPED:
		return C_DIM;
	case MX_UNJUDGED:
		return C_YEL;
	default:
		return C_RED;
	}
}

static const char *mark(const struct mx_cell *c)
{
	switch (c->outcome) {
	case MX_EXPECTED:
	case MX_SKIPPED:
		return "";
	case MX_UNJUDGED:
		return "?";
	default:
		return "!";
	}
}

static int width_of(const struct mx *m)
{
	size_t i;
	int w = 8;

	for (i = 0; i < m->nscn; i++)
		if ((int)strlen(m->scn[i].id) > w)
			w = (int)strlen(m->scn[i].id);
	return w;
}

static void row(const struct mx *m, FILE *f, size_t j, int w, int colour)
{
	char word[32];
	size_t i;

	fprintf(f, "%-*s", w + 2, m->scn[j].id);
	for (i = 0; i < m->ncol; i++) {
		const struct mx_cell *c = &m->col[i].cells[j];
		int cw = (int)strlen(m->col[i].name) > 8 ? (int)strlen(m->col[i].name) : 8;

		snprintf(word, sizeof(word), "%s%s", mx_cell_word(c), mark(c));
		if (colour)
			fprintf(f, "%s%-*s%s  ", colour_of(c), cw, word, C_OFF);
		else
			fprintf(f, "%-*s  ", cw, word);
	}
	fprintf(f, "%s\n", m->scn[j].desc);
}

static void details(const struct mx *m, FILE *f)
{
	size_t i, j, k;

	for (i = 0; i < m->ncol; i++)
		for (j = 0; j < m->nscn; j++) {
			const struct mx_cell *c = &m->col[i].cells[j];

			if (c->outcome == MX_EXPECTED || c->outcome == MX_SKIPPED)
				continue;
			fprintf(f, "%s %s/%s: %s, expected %s\n", mx_outcome_name(c->outcome),
				m->col[i].name, m->scn[j].id, mx_st_name(c->st), c->exp_word);
			for (k = 0; k < c->nfails; k++)
				fprintf(f, "    %s\n", c->fails[k]);
			if (c->more_fails)
				fprintf(f, "    (%zu more)\n", c->more_fails);
		}
}

int mx_write_table(const struct mx *m, FILE *f, int colour)
{
	int w = width_of(m);
	size_t i, j;

	fprintf(f, "%-*s", w + 2, "scenario");
	for (i = 0; i < m->ncol; i++)
		fprintf(f, "%-*s  ", (int)strlen(m->col[i].name) > 8 ? (int)strlen(m->col[i].name) : 8,
			m->col[i].name);
	fprintf(f, "what\n");
	for (j = 0; j < m->nscn; j++)
		row(m, f, j, w, colour);
	fprintf(f, "\n");
	for (i = 0; i < m->ncol; i++)
		fprintf(f, "%s: expectations %s\n", m->col[i].name,
			m->col[i].expect_path[0] ? m->col[i].expect_path :
			"none (judged against the scenarios' IDEAL column)");
	details(m, f);
	fprintf(f, "%zu cells: %zu as expected, %zu regressions, %zu unexpected passes, "
		"%zu other unexpected, %zu could not be judged, %zu n.a.\n",
		m->nscn * m->ncol, m->count[MX_EXPECTED], m->count[MX_REGRESSION],
		m->count[MX_UNEXPECTED_PASS], m->count[MX_UNEXPECTED], m->count[MX_UNJUDGED],
		m->count[MX_SKIPPED]);
	return ferror(f) ? -1 : 0;
}
