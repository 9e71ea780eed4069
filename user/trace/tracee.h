/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The traced command's lifecycle.  CMD starts held on a pipe until every
 * probe is attached, as the leader of its own process group and, where the
 * cgroup v2 hierarchy is writable, alone in a transient cgroup
 * (erofs-diotrace.<tracer pid>, next to the tracer's own).  SIGINT, SIGTERM
 * and SIGHUP arrive on a signalfd and CMD's exit on a pidfd, so the tracer
 * sleeps in poll() together with the ring buffer, never on a timeout.
 * Whatever CMD leaves running is killed when the tracer ends, on every path
 * (cgroup.kill, or SIGKILL to the process group without a cgroup).  When the
 * tracer runs in the foreground of a terminal, CMD's group gets the
 * foreground (so an interactive CMD can read it; ^C then goes to CMD) and
 * the tracer takes it back at the end.
 */
#ifndef __DT_TRACEE_H
#define __DT_TRACEE_H

#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

struct dt_tracee {
	pid_t child;		/* CMD, leader of its process group; 0 with -p */
	pid_t pid;		/* -p PID (never signalled); 0 without */
	int pidfd;		/* CMD or PID; readable once it has exited; -1 */
	int sigfd;		/* SIGINT, SIGTERM, SIGHUP; -1 */
	int go_fd;		/* releases CMD; -1 */
	int cg_fd;		/* the transient cgroup; -1: process group only */
	char cg_path[PATH_MAX];
	sigset_t oldmask;	/* the tracer's signal mask before, for CMD */
	struct sigaction oldpipe, oldttou;
	bool signals_set;
	bool tty;		/* CMD was given the terminal's foreground */
	int status;		/* CMD's wait status, once done */
	bool done;		/* CMD reaped, or PID gone */
	int stop_sig;		/* first signal received, 0 = none */
};

enum {
	DT_WAKE_EVENTS = 1,	/* the event fd is readable */
	DT_WAKE_GONE = 2,	/* CMD (or PID) has exited */
	DT_WAKE_SIGNAL = 4,	/* a stop signal arrived (stop_sig) */
};

void dt_tracee_init(struct dt_tracee *t);
/* route the stop signals to a signalfd and ignore SIGPIPE; 0 or -errno */
int dt_tracee_signals(struct dt_tracee *t);
/* fork CMD held; 0 or -errno (exec failures show in CMD's status: 127) */
int dt_tracee_spawn(struct dt_tracee *t, char **cmd);
/* -p PID: watch it (pidfd); 0 or -errno */
int dt_tracee_follow(struct dt_tracee *t, pid_t pid);
/* let CMD run; 0 or -errno */
int dt_tracee_release(struct dt_tracee *t);
/* the transient cgroup CMD runs in, or NULL (process group only) */
const char *dt_tracee_cgroup(const struct dt_tracee *t);

/*
 * Sleep until ev_fd is readable, the target exits or a stop signal
 * arrives, at most timeout_ms (-1: no limit).  Returns DT_WAKE_* bits
 * (0: timeout) or -errno.
 */
int dt_tracee_wait(struct dt_tracee *t, int ev_fd, int timeout_ms);
/* a stop signal pending (e.g. during setup)?  Returns stop_sig. */
int dt_tracee_signalled(struct dt_tracee *t);

/* pass sig to every process of CMD's tree (never to -p PID) */
void dt_tracee_signal(struct dt_tracee *t, int sig);
/*
 * Processes of CMD's tree still running (CMD itself included until it is
 * reaped): a count with a cgroup, 1 for "some" with the process group only.
 */
int dt_tracee_left(const struct dt_tracee *t);
/* SIGKILL CMD's whole tree and reap CMD */
void dt_tracee_kill(struct dt_tracee *t);
/* kill what is left, reap, remove the cgroup (signals stay blocked) */
void dt_tracee_free(struct dt_tracee *t);

/* CMD's exit code as a shell gives it (128 + signal); -1 if none */
int dt_tracee_exit_code(const struct dt_tracee *t);

#endif
