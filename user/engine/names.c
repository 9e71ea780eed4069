// SPDX-License-Identifier: GPL-2.0-only
/* Names of verdicts, roles, checks, events and errors: one table each. */
#include <errno.h>
#include <string.h>
#include "errname.h"
#include "ledger.h"

#define N(a)	(sizeof(a) / sizeof((a)[0]))

static const char * const verdicts[] = { "PASS", "FAIL", "INCONCLUSIVE" };

static const char * const roles[DT_ROLE_MAX] = {
	[DT_ROLE_REQ]		 = "req",
	[DT_ROLE_DIO]		 = "dio",
	[DT_ROLE_EXTENT]	 = "extent",
	[DT_ROLE_BACKING_SUBMIT] = "backing_submit",
	[DT_ROLE_BACKING_DONE]	 = "backing_done",
	[DT_ROLE_PC_ADD]	 = "pc_add",
	[DT_ROLE_PC_DEL]	 = "pc_del",
	[DT_ROLE_OPEN]		 = "open",
	[DT_ROLE_REQ_DONE]	 = "req_done",
};

static const char * const checks[DT_CHK_MAX][2] = {
	[DT_CHK_RETURN]	 = { "returned",	"returned == requested (clamped at EOF)" },
	[DT_CHK_DONE]	 = { "done_total",	"kernel done == total" },
	[DT_CHK_LEDGER]	 = { "ledger",		"done == inline + zero-filled + backing" },
	[DT_CHK_COVER]	 = { "coverage",	"backing reads cover the mapped extents" },
	[DT_CHK_OFFSET]	 = { "offset",		"backing reads land where the extent says" },
	[DT_CHK_NOCACHE] = { "no_erofs_cache",	"no EROFS page-cache insert" },
	[DT_CHK_ASYNC]	 = { "async_wait",	"backing reads complete before the return" },
	[DT_CHK_DIRECT]	 = { "direct",		"the read was direct (--expect-dio)" },
};

static const char * const gaps[DT_GAP_MAX] = {
	[DT_GAP_NONE]		= "none",
	[DT_GAP_LOST]		= "lost",
	[DT_GAP_UNBOUND]	= "unbound",
	[DT_GAP_SILENT]		= "silent",
	[DT_GAP_TRUNCATED]	= "truncated",
	[DT_GAP_SIGNAL]		= "signal",
	[DT_GAP_MAP_FULL]	= "map_full",
	[DT_GAP_EVICTED]	= "evicted",
	[DT_GAP_UNTRACKED]	= "untracked",
	[DT_GAP_PIDS_FULL]	= "pids_full",
	[DT_GAP_UNFINISHED]	= "unfinished",
	[DT_GAP_OTHER]		= "other",
};

static const char * const statuses[] = { "n/a", "PASS", "FAIL", "INCONCLUSIVE" };

static const char * const events[DT_EV_MAX] = {
	[DT_EV_REQ_START]	= "req_start",
	[DT_EV_REQ_END]		= "req_end",
	[DT_EV_DIO_START]	= "dio_start",
	[DT_EV_DIO_END]		= "dio_end",
	[DT_EV_EXTENT]		= "extent",
	[DT_EV_BACKING_SUBMIT]	= "bk_submit",
	[DT_EV_BACKING_RET]	= "bk_ret",
	[DT_EV_BACKING_DONE]	= "bk_done",
	[DT_EV_PC_ADD]		= "pc_add",
	[DT_EV_PC_DEL]		= "pc_del",
	[DT_EV_OPEN]		= "open",
	[DT_EV_REQ_DONE]	= "req_done",
};

static const char * const sources[] = {
	[DT_SRC_NONE]	    = "none",
	[DT_SRC_FENTRY]	    = "fentry",
	[DT_SRC_KPROBE]	    = "kprobe",
	[DT_SRC_TRACEPOINT] = "tp",
	[DT_SRC_SYSCALL]    = "syscall",
	[DT_SRC_REPLAY]	    = "replay",
};

const char *dt_verdict_name(enum dt_verdict v)
{
	return (unsigned int)v < N(verdicts) ? verdicts[v] : "?";
}

const char *dt_role_name(enum dt_role r)
{
	return (unsigned int)r < DT_ROLE_MAX ? roles[r] : "?";
}

int dt_role_parse(const char *name)
{
	int r;

	for (r = 0; r < DT_ROLE_MAX; r++)
		if (!strcmp(name, roles[r]))
			return r;
	return -1;
}

const char *dt_gap_name(enum dt_gap g)
{
	return (unsigned int)g < DT_GAP_MAX ? gaps[g] : "?";
}

const char *dt_check_name(enum dt_check c)
{
	return (unsigned int)c < DT_CHK_MAX ? checks[c][0] : "?";
}

const char *dt_check_title(enum dt_check c)
{
	return (unsigned int)c < DT_CHK_MAX ? checks[c][1] : "?";
}

const char *dt_status_name(enum dt_status s)
{
	return (unsigned int)s < N(statuses) ? statuses[s] : "?";
}

const char *dt_event_name(enum dt_event_type t)
{
	return (unsigned int)t < DT_EV_MAX && events[t] ? events[t] : NULL;
}

const char *dt_source_name(enum dt_source s)
{
	return (unsigned int)s < N(sources) ? sources[s] : NULL;
}

/* the one errno table (common/errname.c); only kernel-range negative codes */
const char *dt_errno_name(int64_t err)
{
	return err < 0 && err >= -4095 ? dt_err_name((long)err) : NULL;
}
