// SPDX-License-Identifier: GPL-2.0-only
/*
 * pollhold N SECONDS: block in poll(2) on N ignored entries (fd -1) for
 * SECONDS, then exit 0.
 *
 * The kernel copies the first 30 or so pollfd entries to its stack and the
 * rest into a kmalloc'd block that only a pointer on this task's kernel stack
 * refers to.  With kmemleak's task-stack scan turned off
 * (echo stack=off > /sys/kernel/debug/kmemleak) that block is an unreferenced
 * object: a real kmemleak report with no real leak (poll frees the block when
 * it returns).  test-vm uses it to prove that a debug guest run fails on a
 * kmemleak report.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	struct pollfd *fds;
	char *end1, *end2;
	long n, secs, i;

	if (argc != 3)
		goto usage;
	n = strtol(argv[1], &end1, 10);
	secs = strtol(argv[2], &end2, 10);
	if (*end1 || *end2 || n < 1 || n > 4096 || secs < 1 || secs > 86400)
		goto usage;
	fds = calloc(n, sizeof(*fds));
	if (!fds) {
		perror("pollhold: calloc");
		return 2;
	}
	for (i = 0; i < n; i++)
		fds[i].fd = -1;
	if (poll(fds, n, secs * 1000) < 0) {
		perror("pollhold: poll");
		return 2;
	}
	return 0;
usage:
	fprintf(stderr, "usage: pollhold N SECONDS (1..4096 entries, 1..86400 s)\n");
	return 2;
}
