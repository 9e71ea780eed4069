/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Recorded event streams: one struct dt_event per line of text, key=value
 * fields, '#' comments.  `erofs-diotrace run --record FILE` writes them,
 * `erofs-diotrace replay FILE` and the unit tests read them.
 */
#ifndef __DT_EVTEXT_H
#define __DT_EVTEXT_H

#include <stdio.h>
#include "diotrace.h"

/* write one event as a line; returns 0 or -errno */
int dt_evtext_write(FILE *out, const struct dt_event *ev);

/*
 * read the next event; returns 1 on an event, 0 at EOF, -EINVAL on a bad
 * line (with *lineno set so the caller can name it).  Directive lines
 * "!lost N", "!unbound ROLE why" and "!inconclusive why" are applied to the
 * engine by dt_evtext_replay(), and skipped by dt_evtext_read().
 */
int dt_evtext_read(FILE *in, struct dt_event *ev, unsigned int *lineno);

/* added by the engine: directive writers for `run --record` (0 or -errno) */
#include <stdint.h>
int dt_evtext_write_lost(FILE *out, uint64_t lost);
int dt_evtext_write_unbound(FILE *out, enum dt_role role, const char *why);
int dt_evtext_write_inconclusive(FILE *out, const char *why);
int dt_evtext_write_bound(FILE *out, enum dt_role role, const char *how);
/* what was wrong with the line a read or replay rejected */
const char *dt_evtext_error(void);

struct dt_engine;
/* feed a whole stream (events and directives) to an engine; 0 or -errno */
int dt_evtext_replay(FILE *in, struct dt_engine *e, unsigned int *lineno);

#endif
