// SPDX-License-Identifier: GPL-2.0-only
/* The traced command's lifecycle; see tracee.h. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/pidfd.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include "tracee.h"
#include "tracee_cg.h"

void dt_tracee_init(struct dt_tracee *t)
{
	memset(t, 0, sizeof(*t));
	t->pidfd = t->sigfd = t->go_fd = t->cg_fd = -1;
}

static void stop_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
}

int dt_tracee_signals(struct dt_tracee *t)
{
	struct sigaction ign = { .sa_handler = SIG_IGN };
	sigset_t set;

	stop_set(&set);
	if (sigprocmask(SIG_BLOCK, &set, &t->oldmask))
		return -errno;
	/* a report to a closed pipe is a write error (exit 2), not a silent death */
	sigaction(SIGPIPE, &ign, &t->oldpipe);
	/* from the background of a terminal (CMD has it) the tracer still writes */
	sigaction(SIGTTOU, &ign, &t->oldttou);
	t->signals_set = true;
	t->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	return t->sigfd < 0 ? -errno : 0;
}

/* in the child: own process group, the caller's signals back, wait for "go" */
static void child_exec(struct dt_tracee *t, int hold, char **cmd)
{
	char c;

	setpgid(0, 0);
	if (t->signals_set) {
		sigaction(SIGPIPE, &t->oldpipe, NULL);
		sigaction(SIGTTOU, &t->oldttou, NULL);
		sigprocmask(SIG_SETMASK, &t->oldmask, NULL);
	}
	if (read(hold, &c, 1) != 1)
		_exit(127);	/* the tracer gave up */
	execvp(cmd[0], cmd);
	fprintf(stderr, "erofs-diotrace: cannot run '%s': %s\n", cmd[0], strerror(errno));
	_exit(127);
}

/* best effort: without a cgroup the process group is all there is */
static void enter_cgroup(struct dt_tracee *t)
{
	int fd = dt_cg_create(t->cg_path, sizeof(t->cg_path));

	if (fd < 0)
		return;
	if (dt_cg_enter(fd, t->child)) {
		dt_cg_remove(fd, t->cg_path);
		return;
	}
	t->cg_fd = fd;
}

/* our terminal's foreground goes to CMD's group, if it was ours */
static void give_tty(struct dt_tracee *t)
{
	if (!t->signals_set || !isatty(STDIN_FILENO) || tcgetpgrp(STDIN_FILENO) != getpgrp())
		return;
	t->tty = !tcsetpgrp(STDIN_FILENO, t->child);
}

static void take_tty(struct dt_tracee *t)
{
	if (t->tty)
		tcsetpgrp(STDIN_FILENO, getpgrp());
	t->tty = false;
}

int dt_tracee_spawn(struct dt_tracee *t, char **cmd)
{
	int p[2], err;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(p[0]);
		close(p[1]);
		return err;
	}
	if (pid == 0) {
		close(p[1]);
		child_exec(t, p[0], cmd);
	}
	close(p[0]);
	t->go_fd = p[1];
	t->child = pid;
	setpgid(pid, pid);	/* also here: no window where a signal misses it */
	give_tty(t);
	t->pidfd = pidfd_open(pid, 0);
	if (t->pidfd < 0)
		return -errno;
	enter_cgroup(t);
	return 0;
}

int dt_tracee_follow(struct dt_tracee *t, pid_t pid)
{
	t->pid = pid;
	t->pidfd = pidfd_open(pid, 0);
	return t->pidfd < 0 ? -errno : 0;
}

int dt_tracee_release(struct dt_tracee *t)
{
	int fd = t->go_fd, err = 0;

	if (fd < 0)
		return 0;
	t->go_fd = -1;
	if (write(fd, "g", 1) != 1)
		err = -errno;
	close(fd);
	return err;
}

const char *dt_tracee_cgroup(const struct dt_tracee *t)
{
	return t->cg_fd >= 0 ? t->cg_path : NULL;
}

int dt_tracee_signalled(struct dt_tracee *t)
{
	struct signalfd_siginfo si;

	while (t->sigfd >= 0 && read(t->sigfd, &si, sizeof(si)) == sizeof(si))
		if (!t->stop_sig)
			t->stop_sig = si.ssi_signo;
	return t->stop_sig;
}

/* the target exited: reap CMD (a -p PID is not ours to reap) */
static void reap(struct dt_tracee *t, int flags)
{
	if (t->done)
		return;
	if (t->child > 0) {
		if (waitpid(t->child, &t->status, flags) != t->child)
			return;
	}
	t->done = true;
	if (t->pidfd >= 0)
		close(t->pidfd);
	t->pidfd = -1;
}

int dt_tracee_wait(struct dt_tracee *t, int ev_fd, int timeout_ms)
{
	struct pollfd p[3] = {
		{ .fd = ev_fd, .events = POLLIN },
		{ .fd = t->pidfd, .events = POLLIN },
		{ .fd = t->sigfd, .events = POLLIN },
	};
	int n, w = 0, had = t->stop_sig;

	n = poll(p, 3, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	if (p[2].revents && dt_tracee_signalled(t) && !had)
		w |= DT_WAKE_SIGNAL;
	if (p[1].revents) {
		reap(t, WNOHANG);
		if (t->done)
			w |= DT_WAKE_GONE;
	}
	if (p[0].revents)
		w |= DT_WAKE_EVENTS;
	return w;
}

void dt_tracee_signal(struct dt_tracee *t, int sig)
{
	if (t->child <= 0)
		return;
	/*
	 * Once CMD is reaped its pid may be reused: then only the cgroup
	 * still names what is left of its tree.
	 */
	if (t->cg_fd >= 0)
		dt_cg_signal(t->cg_fd, sig);
	else
		kill(-t->child, sig);
	if (!t->done)
		kill(t->child, sig);	/* in case it left its group */
}

int dt_tracee_left(const struct dt_tracee *t)
{
	if (t->child <= 0)
		return 0;
	if (t->cg_fd >= 0)
		return dt_cg_count(t->cg_fd);
	return !t->done || !kill(-t->child, 0);
}

void dt_tracee_kill(struct dt_tracee *t)
{
	if (t->child <= 0)
		return;
	if (t->cg_fd < 0 || dt_cg_kill(t->cg_fd))
		kill(-t->child, SIGKILL);
	if (!t->done)
		kill(t->child, SIGKILL);
	reap(t, 0);
	if (t->cg_fd >= 0)
		dt_cg_wait_empty(t->cg_fd);
}

void dt_tracee_free(struct dt_tracee *t)
{
	if (t->go_fd >= 0)
		close(t->go_fd);	/* a held CMD exits 127 */
	t->go_fd = -1;
	dt_tracee_kill(t);
	take_tty(t);
	if (t->cg_fd >= 0)
		dt_cg_remove(t->cg_fd, t->cg_path);
	t->cg_fd = -1;
	if (t->pidfd >= 0)
		close(t->pidfd);
	t->pidfd = -1;
	if (t->sigfd >= 0)
		close(t->sigfd);
	t->sigfd = -1;
	/* the stop signals stay blocked: a late one must not kill the tracer before its exit status */
}

int dt_tracee_exit_code(const struct dt_tracee *t)
{
	if (t->child <= 0 || !t->done)
		return -1;
	return WIFEXITED(t->status) ? WEXITSTATUS(t->status) : 128 + WTERMSIG(t->status);
}
