/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A transient cgroup v2 for the traced command: it holds CMD's whole tree,
 * even the processes that leave its process group (setsid), so one
 * cgroup.kill ends all of them.  Used by tracee.c; the process group is the
 * fallback where the hierarchy is missing or not writable.
 */
#ifndef __DT_TRACEE_CG_H
#define __DT_TRACEE_CG_H

#include <stddef.h>
#include <sys/types.h>

/* create erofs-diotrace.<pid> beside our own cgroup; its fd, path in buf; or -errno */
int dt_cg_create(char *buf, size_t n);
/* move pid into it; 0 or -errno */
int dt_cg_enter(int cg_fd, pid_t pid);
/* how many processes are in it */
int dt_cg_count(int cg_fd);
/* send sig to every process in it */
void dt_cg_signal(int cg_fd, int sig);
/* SIGKILL everything in it (cgroup.kill); 0 or -errno */
int dt_cg_kill(int cg_fd);
/* wait (at most 2 s) until no process is left in it; 0 or -EBUSY */
int dt_cg_wait_empty(int cg_fd);
/* close and remove it (it must be empty) */
void dt_cg_remove(int cg_fd, const char *path);

#endif
