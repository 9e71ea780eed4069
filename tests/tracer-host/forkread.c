// SPDX-License-Identifier: GPL-2.0-only
/*
 * dt-forkread N FILE: N short-lived processes one after the other, each
 * reading FILE to the end once (what N `cat FILE` do, without the exec).
 * Exit 0 when every child read the whole file.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

static int child(const char *path)
{
	char buf[65536];
	int fd = open(path, O_RDONLY), n;

	if (fd < 0)
		return 1;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	return n < 0;
}

int main(int argc, char **argv)
{
	long i, n = argc == 3 ? strtol(argv[1], NULL, 10) : 0;
	int st, bad = 0;
	pid_t pid;

	if (n <= 0) {
		fprintf(stderr, "usage: dt-forkread N FILE\n");
		return 2;
	}
	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid < 0)
			return 2;
		if (!pid)
			_exit(child(argv[2]));
		if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
			bad++;
	}
	return bad ? 1 : 0;
}
