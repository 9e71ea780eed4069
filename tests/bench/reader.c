// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench-reader read FILE COUNT [REPS]: read(2) FILE 4 KiB at a time, COUNT
 * reads per repetition (rewinding at EOF; a first pass warms the cache).
 * bench-reader getppid COUNT [REPS]: COUNT getppid(2) calls, the cheapest
 * syscall, to see what a tracer costs processes it does not trace.
 * Prints "ns_per_op=MEDIAN min=MIN ops=COUNT reps=REPS" (REPS default 5).
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MAX_REPS	64

static char buf[4096];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int reads(int fd, long count)
{
	ssize_t n;

	while (count-- > 0) {
		n = read(fd, buf, sizeof(buf));
		if (n == 0 && lseek(fd, 0, SEEK_SET) == 0)
			n = read(fd, buf, sizeof(buf));
		if (n <= 0) {
			fprintf(stderr, "bench-reader: read: %s\n", n ? strerror(errno) : "empty file");
			return -1;
		}
	}
	return 0;
}

static void getppids(long count)
{
	while (count-- > 0)
		syscall(SYS_getppid);
}

/* a whole number >= 1, nothing after it */
static int number(const char *s, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, 10);
	return errno || end == s || *end || *v < 1 ? -1 : 0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	double ns[MAX_REPS], t;
	long count, reps = 5, i;
	int fd = -1;
	bool rd;

	if (argc < 3 || argc > 5 || (strcmp(argv[1], "read") && strcmp(argv[1], "getppid")))
		goto usage;
	rd = !strcmp(argv[1], "read");
	if (argc != (rd ? 4 : 3) && argc != (rd ? 5 : 4))
		goto usage;
	if (number(argv[rd ? 3 : 2], &count) ||
	    (argc == (rd ? 5 : 4) && number(argv[argc - 1], &reps)) || reps > MAX_REPS)
		goto usage;
	if (rd) {
		fd = open(argv[2], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "bench-reader: %s: %s\n", argv[2], strerror(errno));
			return 2;
		}
		while (read(fd, buf, sizeof(buf)) > 0)	/* warm the page cache */
			;
		lseek(fd, 0, SEEK_SET);
	}
	for (i = 0; i < reps; i++) {
		t = now();
		if (rd && reads(fd, count))
			return 2;
		if (!rd)
			getppids(count);
		ns[i] = (now() - t) * 1e9 / count;
	}
	qsort(ns, reps, sizeof(ns[0]), cmp);
	printf("ns_per_op=%.1f min=%.1f ops=%ld reps=%ld\n", ns[reps / 2], ns[0], count, reps);
	return fflush(stdout) ? 2 : 0;
usage:
	fprintf(stderr, "usage: bench-reader read FILE COUNT [REPS] | bench-reader getppid COUNT [REPS]"
		" (REPS 1..%d)\n", MAX_REPS);
	return 2;
}
