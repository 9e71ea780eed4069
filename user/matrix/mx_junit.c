// SPDX-License-Identifier: GPL-2.0-only
/*
 * dt-matrix: JUnit XML (libxml2's xmlwriter).  One <testsuite> per flavour,
 * one <testcase> per cell (classname matrix.FLAVOUR, name = scenario).  A
 * regression or unexpected result is a <failure> whose text is the failing
 * checks; a cell that could not be judged an <error>; n.a. <skipped>.  An
 * expected FAIL or OOPS (a known defect) passes, its checks in
 * <system-out>.  tests/matrix/junit.xsd is the schema the suite validates
 * against.
 */
#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <string.h>

#include "mx.h"

#define X(call) do { if ((call) < 0) goto fail; } while (0)

static const char *checks_text(const struct mx_cell *c, char *buf, size_t size)
{
	size_t k, n = 0;

	buf[0] = 0;
	for (k = 0; k < c->nfails && n < size; k++)
		n += (size_t)snprintf(buf + n, size - n, "%s\n", c->fails[k]);
	if (!c->nfails)
		snprintf(buf, size, "status %s\n", mx_st_name(c->st));
	return buf;
}

static int count(const struct mx *m, size_t i, enum mx_outcome a, enum mx_outcome b, enum mx_outcome c)
{
	size_t k;
	int n = 0;

	for (k = 0; k < m->nscn; k++) {
		enum mx_outcome o = m->col[i].cells[k].outcome;

		n += o == a || o == b || o == c;
	}
	return n;
}

static int testcase(xmlTextWriterPtr w, const struct mx *m, size_t i, size_t k)
{
	const struct mx_cell *c = &m->col[i].cells[k];
	char cls[128], msg[256], text[4096];
	const char *el = NULL;

	snprintf(cls, sizeof(cls), "matrix.%s", m->col[i].name);
	X(xmlTextWriterStartElement(w, BAD_CAST "testcase"));
	X(xmlTextWriterWriteAttribute(w, BAD_CAST "classname", BAD_CAST cls));
	X(xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST m->scn[k].id));
	switch (c->outcome) {
	case MX_REGRESSION:
	case MX_UNEXPECTED_PASS:
	case MX_UNEXPECTED:
		el = "failure";
		break;
	case MX_UNJUDGED:
		el = "error";
		break;
	default:
		break;
	}
	snprintf(msg, sizeof(msg), "%s: %s, expected %s", mx_outcome_name(c->outcome),
		 mx_st_name(c->st), c->exp_word);
	if (el) {
		X(xmlTextWriterStartElement(w, BAD_CAST el));
		X(xmlTextWriterWriteAttribute(w, BAD_CAST "message", BAD_CAST msg));
		X(xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST mx_outcome_name(c->outcome)));
		X(xmlTextWriterWriteString(w, BAD_CAST checks_text(c, text, sizeof(text))));
		X(xmlTextWriterEndElement(w));
	} else if (c->outcome == MX_SKIPPED) {
		X(xmlTextWriterStartElement(w, BAD_CAST "skipped"));
		X(xmlTextWriterWriteAttribute(w, BAD_CAST "message", BAD_CAST checks_text(c, text, sizeof(text))));
		X(xmlTextWriterEndElement(w));
	} else if (c->nfails) {
		snprintf(msg, sizeof(msg), "%s as expected (%s)\n", mx_cell_word(c), m->scn[k].desc);
		X(xmlTextWriterStartElement(w, BAD_CAST "system-out"));
		X(xmlTextWriterWriteString(w, BAD_CAST msg));
		X(xmlTextWriterWriteString(w, BAD_CAST checks_text(c, text, sizeof(text))));
		X(xmlTextWriterEndElement(w));
	}
	X(xmlTextWriterEndElement(w));
	return 0;
fail:
	return -1;
}

/* the document is built in memory, then written through a checked mx_out */
int mx_write_junit(const struct mx *m, const char *path)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	struct mx_out o;
	char num[32];
	size_t i, k;

	if (!w)
		goto fail;
	X(xmlTextWriterSetIndent(w, 1));
	X(xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL));
	X(xmlTextWriterStartElement(w, BAD_CAST "testsuites"));
	X(xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST "erofs-diotrace matrix"));
	for (i = 0; i < m->ncol; i++) {
		X(xmlTextWriterStartElement(w, BAD_CAST "testsuite"));
		X(xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST m->col[i].name));
		snprintf(num, sizeof(num), "%zu", m->nscn);
		X(xmlTextWriterWriteAttribute(w, BAD_CAST "tests", BAD_CAST num));
		snprintf(num, sizeof(num), "%d", count(m, i, MX_REGRESSION, MX_UNEXPECTED_PASS, MX_UNEXPECTED));
		X(xmlTextWriterWriteAttribute(w, BAD_CAST "failures", BAD_CAST num));
		snprintf(num, sizeof(num), "%d", count(m, i, MX_UNJUDGED, MX_UNJUDGED, MX_UNJUDGED));
		X(xmlTextWriterWriteAttribute(w, BAD_CAST "errors", BAD_CAST num));
		snprintf(num, sizeof(num), "%d", count(m, i, MX_SKIPPED, MX_SKIPPED, MX_SKIPPED));
		X(xmlTextWriterWriteAttribute(w, BAD_CAST "skipped", BAD_CAST num));
		for (k = 0; k < m->nscn; k++)
			if (testcase(w, m, i, k))
				goto fail;
		X(xmlTextWriterEndElement(w));
	}
	X(xmlTextWriterEndElement(w));
	X(xmlTextWriterEndDocument(w));
	xmlFreeTextWriter(w);
	w = NULL;
	if (mx_out_open(&o, path))
		goto fail;
	if (fwrite(xmlBufferContent(buf), 1, (size_t)xmlBufferLength(buf), o.f) !=
	    (size_t)xmlBufferLength(buf)) {
		mx_out_abort(&o);
		goto fail;
	}
	xmlBufferFree(buf);
	return mx_out_close(&o);
fail:
	if (w)
		xmlFreeTextWriter(w);
	if (buf)
		xmlBufferFree(buf);
	fprintf(stderr, "dt-matrix: writing %s failed\n", path);
	return -1;
}
