// SPDX-License-Identifier: GPL-2.0-only
/*
 * dt-matrix: each cell against its expectation (the flavour's file under
 * tests/matrix/expect/, or the scenario's IDEAL column for a series that has
 * none).
 */
#include "mx.h"

static const char *const outcome_names[] = {
	[MX_EXPECTED] = "expected", [MX_REGRESSION] = "regression",
	[MX_UNEXPECTED_PASS] = "unexpected pass", [MX_UNEXPECTED] = "unexpected result",
	[MX_UNJUDGED] = "could not judge", [MX_SKIPPED] = "n.a.",
};

const char *mx_outcome_name(enum mx_outcome o)
{
	return o <= MX_SKIPPED ? outcome_names[o] : "?";
}

const char *mx_cell_word(const struct mx_cell *c)
{
	if (c->st == MX_FAIL && c->outcome == MX_EXPECTED)
		return "XFAIL";
	if (c->st == MX_INCONCLUSIVE)
		return "INCONC";
	return mx_st_name(c->st);
}

static enum mx_outcome outcome(const struct mx_cell *c)
{
	enum mx_st got = c->st, want = c->exp;

	if (got == MX_NA)
		return MX_SKIPPED;
	if (got == MX_INCONCLUSIVE || got == MX_ERROR)
		return MX_UNJUDGED;
	if (got == want || (c->has_alt && got == c->exp_alt))
		return MX_EXPECTED;
	if (got == MX_PASS && (want == MX_FAIL || want == MX_OOPS))
		return MX_UNEXPECTED_PASS;
	if (want == MX_PASS || want == MX_EINVAL)
		return MX_REGRESSION;
	return MX_UNEXPECTED;
}

void mx_judge(struct mx *m)
{
	size_t i, j;

	for (i = 0; i < m->ncol; i++)
		for (j = 0; j < m->nscn; j++) {
			struct mx_cell *c = &m->col[i].cells[j];

			if (!m->col[i].expect_path[0]) {
				c->exp = m->scn[j].ideal;
				c->has_alt = 0;
				snprintf(c->exp_word, sizeof(c->exp_word), "%s", mx_st_name(c->exp));
			}
			c->outcome = outcome(c);
			m->count[c->outcome]++;
		}
}
