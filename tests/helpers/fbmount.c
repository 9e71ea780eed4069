// SPDX-License-Identifier: GPL-2.0-only
/*
 * fbmount: mount an EROFS image file-backed (mount(2) with the image path as
 * source; util-linux mount would put a loop device in between), or unmount.
 *
 *   fbmount IMAGE DIR [OPTIONS]	mount read-only, OPTIONS e.g. "directio"
 *   fbmount -u DIR			unmount
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "-u")) {
		if (umount2(argv[2], 0)) {
			fprintf(stderr, "fbmount: umount %s: %s\n", argv[2], strerror(errno));
			return 1;
		}
		return 0;
	}
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: fbmount IMAGE DIR [OPTIONS] | fbmount -u DIR\n");
		return 2;
	}
	if (mount(argv[1], argv[2], "erofs", MS_RDONLY, argc == 4 ? argv[3] : NULL)) {
		fprintf(stderr, "fbmount: mount %s on %s: %s (is the image on a filesystem with ->read_folio, e.g. not tmpfs?)\n",
			argv[1], argv[2], strerror(errno));
		return 1;
	}
	return 0;
}
