// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench-runlim [-t SECONDS] [-m MIB] -o FILE -- CMD [ARGS...]: run CMD with
 * a wall-clock limit (SIGKILL to its process group when it runs out) and an
 * address-space limit (RLIMIT_AS; allocation fails past it), then write one
 * line to FILE:
 *   status=exit:N|signal:N|timeout wall=S user=S sys=S maxrss_kb=R
 * CMD's stdin, stdout and stderr are this program's.  Exit 0 once FILE is
 * written, 2 on a usage or system error.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pid_t cmd_pid;

/* an interrupted benchmark takes its command with it */
static void on_signal(int sig)
{
	if (cmd_pid > 0)
		kill(-cmd_pid, SIGKILL);
	_exit(128 + sig);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void child(char **argv, unsigned long mib)
{
	struct rlimit rl = { mib << 20, mib << 20 };

	setpgid(0, 0);
	if (mib && setrlimit(RLIMIT_AS, &rl))
		fprintf(stderr, "bench-runlim: RLIMIT_AS %lu MiB: %s\n", mib, strerror(errno));
	else
		execvp(argv[0], argv);
	fprintf(stderr, "bench-runlim: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* wait for pid up to secs (0: no limit); 1 if it had to be killed */
static int wait_limited(pid_t pid, double secs)
{
	int fd = syscall(SYS_pidfd_open, pid, 0);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	double end = now() + secs;
	int r;

	for (;;) {
		double left = end - now();

		if (fd < 0)	/* no pidfd: a plain wait, the limit cannot hold */
			return 0;
		if (secs > 0 && left <= 0)
			break;
		r = poll(&p, 1, secs > 0 ? (int)(left * 1000) + 1 : -1);
		if (r > 0)
			return close(fd), 0;
		if (r < 0 && errno != EINTR)
			return close(fd), 0;
	}
	close(fd);
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	return 1;
}

int main(int argc, char **argv)
{
	unsigned long mib = 0;
	double secs = 0, t0;
	const char *outf = NULL;
	struct rusage ru;
	int c, st, killed;
	char status[32];
	pid_t pid;
	FILE *out;

	while ((c = getopt(argc, argv, "+t:m:o:")) != -1) {
		char *end = NULL;

		errno = 0;
		if (c == 't')
			secs = strtod(optarg, &end);
		else if (c == 'm')
			mib = strtoul(optarg, &end, 10);
		else if (c == 'o')
			outf = optarg;
		else
			break;
		if (end && (errno || end == optarg || *end || *optarg == '-')) {
			fprintf(stderr, "bench-runlim: -%c wants a number >= 0, got '%s'\n", c, optarg);
			return 2;
		}
	}
	if (c != -1 || !outf || optind >= argc || !(secs >= 0) || secs > 1e6 || mib > (1ul << 40)) {
		fprintf(stderr, "usage: bench-runlim [-t SECONDS] [-m MIB] -o FILE -- CMD [ARGS...]\n");
		return 2;
	}
	t0 = now();
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "bench-runlim: fork: %s\n", strerror(errno));
		return 2;
	}
	if (!pid)
		child(argv + optind, mib);
	cmd_pid = pid;
	setpgid(pid, pid);	/* before any kill(-pid): no race with the child's own call */
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	killed = wait_limited(pid, secs);
	if (wait4(pid, &st, 0, &ru) < 0) {
		fprintf(stderr, "bench-runlim: wait: %s\n", strerror(errno));
		return 2;
	}
	if (killed)
		snprintf(status, sizeof(status), "timeout");
	else if (WIFSIGNALED(st))
		snprintf(status, sizeof(status), "signal:%d", WTERMSIG(st));
	else
		snprintf(status, sizeof(status), "exit:%d", WEXITSTATUS(st));
	out = fopen(outf, "w");
	if (!out || fprintf(out, "status=%s wall=%.6f user=%.6f sys=%.6f maxrss_kb=%ld\n", status,
			    now() - t0, ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
			    ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6, ru.ru_maxrss) < 0 ||
	    fclose(out)) {
		fprintf(stderr, "bench-runlim: cannot write %s: %s\n", outf, strerror(errno));
		return 2;
	}
	return 0;
}
