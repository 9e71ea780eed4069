/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The text form of recorded streams: one item (event or directive) per
 * line, key=value fields, '#' comments.  Line parsing and formatting only;
 * the record framing (header, end marker, checksum) is in record.h.
 */
#ifndef __DT_EVTEXT_H
#define __DT_EVTEXT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "diotrace.h"
#include "record.h"

#define DT_EVTEXT_LINE_MAX	4096	/* longest line the formatters write */

/*
 * Parse one line of LEN bytes; S[LEN] must be a separator ('\n' or NUL).
 * Event lines are left as they are; directive lines get a NUL after their
 * last word (S[LEN] must be writable).  Returns 1 with *it filled (events
 * go to *ev, it->ev points there; texts point into S), 0 for a blank or
 * comment line, 2 for a framing line (!format, !end: record_text.c's), or
 * -EINVAL with dt_evtext_error().  *v1 tells an event written as v=1 (no
 * loss stamp).
 */
int dt_evtext_parse(char *s, size_t len, struct dt_rec_item *it, struct dt_event *ev, bool *v1);

/* format into BUF (DT_EVTEXT_LINE_MAX bytes): the length, '\n' included, or -EINVAL */
int dt_evtext_format_event(char *buf, const struct dt_event *ev);
int dt_evtext_format_item(char *buf, const struct dt_rec_item *it);

/* what was wrong with the line a read or replay rejected */
const char *dt_evtext_error(void);
/* set that message (printf format); returns -EINVAL */
int dt_evtext_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* write one event or directive as a line to OUT; 0 or -errno */
int dt_evtext_write(FILE *out, const struct dt_event *ev);
int dt_evtext_write_lost(FILE *out, uint64_t lost);
int dt_evtext_write_unbound(FILE *out, enum dt_role role, const char *why);
int dt_evtext_write_inconclusive(FILE *out, const char *why);
int dt_evtext_write_bound(FILE *out, enum dt_role role, const char *how);

/*
 * read the next event line; returns 1 on an event, 0 at EOF, -EINVAL on a
 * bad line (with *lineno set so the caller can name it).  Directives and
 * framing lines are skipped: no checks of the record as a whole.
 */
int dt_evtext_read(FILE *in, struct dt_event *ev, unsigned int *lineno);

struct dt_engine;
/*
 * Feed a whole record (any form: binary, text, legacy text) to an engine,
 * with the record checks of dt_rec_replay(); 0 or -errno, *lineno the line
 * of a bad text line.
 */
int dt_evtext_replay(FILE *in, struct dt_engine *e, unsigned int *lineno);

#endif
