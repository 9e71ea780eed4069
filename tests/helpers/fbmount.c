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
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

int main(int argc, char **argv)
{
	char *src;

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
	/* an absolute source in mountinfo, so audit can find the image again */
	src = realpath(argv[1], NULL);
	if (!src) {
		fprintf(stderr, "fbmount: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (mount(src, argv[2], "erofs", MS_RDONLY, argc == 4 ? argv[3] : NULL)) {
		fprintf(stderr, "fbmount: mount %s on %s: %s (is the image on a filesystem with ->read_folio, e.g. not tmpfs?)\n",
			src, argv[2], strerror(errno));
		free(src);
		return 1;
	}
	free(src);
	return 0;
}
