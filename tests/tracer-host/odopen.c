// SPDX-License-Identifier: GPL-2.0-only
/*
 * dt-odopen: open PATH with O_DIRECT, as a test workload for refused opens.
 *   dt-odopen PATH            open(2)
 *   dt-odopen -d DIR PATH     openat(2) on an O_PATH descriptor of DIR
 *   dt-odopen -c DIR PATH     chdir(DIR), then open(2) PATH relative to it
 * Prints "open: <errno name or fd>"; exit 0 when the open was refused with
 * EINVAL, 1 otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int dfd = AT_FDCWD, fd;

	if (argc == 4 && !strcmp(argv[1], "-d")) {
		dfd = open(argv[2], O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0) {
			perror(argv[2]);
			return 2;
		}
		argv += 2;
	} else if (argc == 4 && !strcmp(argv[1], "-c")) {
		if (chdir(argv[2])) {
			perror(argv[2]);
			return 2;
		}
		argv += 2;
	} else if (argc != 2) {
		fprintf(stderr, "usage: dt-odopen [-d DIR | -c DIR] PATH\n");
		return 2;
	}
	fd = openat(dfd, argv[1], O_RDONLY | O_DIRECT | O_CLOEXEC);
	if (fd >= 0) {
		printf("open: fd %d\n", fd);
		return 1;
	}
	printf("open: %s\n", strerrorname_np(errno) ? strerrorname_np(errno) : "?");
	return errno == EINVAL ? 0 : 1;
}
