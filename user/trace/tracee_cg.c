// SPDX-License-Identifier: GPL-2.0-only
/* The traced command's transient cgroup; see tracee_cg.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "mountinfo.h"
#include "tracee_cg.h"

#define DT_CG_KILL_WAIT_MS	2000

struct cg2 {
	char *buf;
	size_t n;
};

static int find_cg2(const struct dt_mountinfo *mi, void *arg)
{
	struct cg2 *c = arg;

	if (strcmp(mi->fstype, "cgroup2") || strcmp(mi->root, "/"))
		return 0;
	return snprintf(c->buf, c->n, "%s", mi->mnt) < (int)c->n ? 1 : -ENAMETOOLONG;
}

/* our own cgroup v2 path ("0::/path" in /proc/self/cgroup) */
static int self_cgroup(char *buf, size_t n)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	char *line = NULL;
	size_t cap = 0;
	int ret = -ENOENT;

	if (!f)
		return -errno;
	while (ret && getline(&line, &cap, f) > 0)
		if (!strncmp(line, "0::/", 4)) {
			line[strcspn(line, "\n")] = '\0';
			ret = snprintf(buf, n, "%s", line + 3) < (int)n ? 0 : -ENAMETOOLONG;
		}
	free(line);
	fclose(f);
	return ret;
}

static int write_at(int dirfd, const char *file, const char *s)
{
	int fd = openat(dirfd, file, O_WRONLY | O_CLOEXEC), ret = 0;
	ssize_t len = strlen(s);

	if (fd < 0)
		return -errno;
	if (write(fd, s, len) != len)
		ret = errno ? -errno : -EIO;
	close(fd);
	return ret;
}

int dt_cg_create(char *buf, size_t n)
{
	char mnt[PATH_MAX], self[PATH_MAX];
	struct cg2 c = { mnt, sizeof(mnt) };
	int ret, fd;

	ret = dt_mountinfo_each(find_cg2, &c);
	if (ret <= 0)
		return ret ? ret : -ENOENT;
	ret = self_cgroup(self, sizeof(self));
	if (ret)
		return ret;
	if (snprintf(buf, n, "%s%s/erofs-diotrace.%d", mnt, strcmp(self, "/") ? self : "",
		     (int)getpid()) >= (int)n)
		return -ENAMETOOLONG;
	rmdir(buf);		/* an empty leftover of a killed tracer with our pid */
	if (mkdir(buf, 0755))
		return -errno;
	fd = open(buf, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || faccessat(fd, "cgroup.kill", W_OK, 0)) {
		ret = -errno;
		if (fd >= 0)
			close(fd);
		rmdir(buf);
		return ret;
	}
	return fd;
}

int dt_cg_enter(int cg_fd, pid_t pid)
{
	char s[32];

	snprintf(s, sizeof(s), "%d\n", (int)pid);
	return write_at(cg_fd, "cgroup.procs", s);
}

/* call kill(pid, sig) for every process in it (sig 0: just count); the count */
static int each_proc(int cg_fd, int sig)
{
	int fd = openat(cg_fd, "cgroup.procs", O_RDONLY | O_CLOEXEC);
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	int pid, n = 0;

	if (!f) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while (fscanf(f, "%d", &pid) == 1)
		if (pid > 0) {
			n++;
			if (sig)
				kill(pid, sig);
		}
	fclose(f);
	return n;
}

int dt_cg_count(int cg_fd)
{
	return each_proc(cg_fd, 0);
}

void dt_cg_signal(int cg_fd, int sig)
{
	each_proc(cg_fd, sig);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

/* "populated 0" in cgroup.events; the file signals POLLPRI on each change */
static int populated(int fd)
{
	char buf[256];
	ssize_t r = pread(fd, buf, sizeof(buf) - 1, 0);

	if (r <= 0)
		return -1;
	buf[r] = '\0';
	return !strstr(buf, "populated 0");
}

int dt_cg_kill(int cg_fd)
{
	return write_at(cg_fd, "cgroup.kill", "1");
}

int dt_cg_wait_empty(int cg_fd)
{
	long end = now_ms() + DT_CG_KILL_WAIT_MS, left;
	struct pollfd p = { .events = POLLPRI };
	int ret;

	p.fd = openat(cg_fd, "cgroup.events", O_RDONLY | O_CLOEXEC);
	if (p.fd < 0)
		return -errno;
	while ((ret = populated(p.fd)) > 0 && (left = end - now_ms()) > 0)
		poll(&p, 1, (int)left);
	close(p.fd);
	return ret ? -EBUSY : 0;
}

void dt_cg_remove(int cg_fd, const char *path)
{
	close(cg_fd);
	rmdir(path);
}
