// SPDX-License-Identifier: GPL-2.0-only
/*
 * odirect: one O_DIRECT read, checked against a buffered reference.
 *
 *   odirect FILE OFFSET LENGTH [REFERENCE]
 *
 * Opens FILE with O_DIRECT and preads LENGTH bytes at OFFSET into a
 * page-aligned buffer (a one-segment preadv, as `dd iflag=direct` would).
 * With REFERENCE (the same bytes reachable without O_DIRECT, e.g. the source
 * file the image was built from), the bytes read must equal REFERENCE's at
 * the same offset, and the count must be what REFERENCE has there.
 *
 * Exit: 0 read (and matched), 2 open(O_DIRECT) failed with EINVAL,
 *       1 anything else (message on stderr).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

static int parse_size(const char *s, size_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || *end || end == s ? -1 : 0;
}

static ssize_t ref_read(const char *path, void *buf, size_t len, off_t off)
{
	ssize_t n, got = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	while ((size_t)got < len) {
		n = pread(fd, (char *)buf + got, len - got, off + got);
		if (n <= 0)
			break;
		got += n;
	}
	close(fd);
	return got;
}

static int compare(const char *ref, const char *buf, ssize_t n,
		   size_t len, size_t off)
{
	char *want = malloc(len ? len : 1);
	ssize_t m;

	if (!want)
		return 1;
	m = ref_read(ref, want, len, off);
	if (m < 0) {
		fprintf(stderr, "odirect: cannot read reference %s: %s\n", ref, strerror(errno));
		free(want);
		return 1;
	}
	if (m != n) {
		fprintf(stderr, "odirect: count %zd, reference has %zd bytes there\n", n, m);
		free(want);
		return 1;
	}
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] != want[i]) {
			fprintf(stderr, "odirect: byte %zu differs from the reference\n", off + i);
			free(want);
			return 1;
		}
	}
	free(want);
	printf("odirect: %zd bytes at %zu match the reference\n", n, off);
	return 0;
}

int main(int argc, char **argv)
{
	size_t off, len;
	struct iovec iov;
	ssize_t n;
	void *buf;
	int fd;

	if (argc < 4 || argc > 5 || parse_size(argv[2], &off) || parse_size(argv[3], &len)) {
		fprintf(stderr, "usage: odirect FILE OFFSET LENGTH [REFERENCE]\n");
		return 1;
	}
	fd = open(argv[1], O_RDONLY | O_DIRECT);
	if (fd < 0) {
		int e = errno;

		printf("odirect: open(O_DIRECT) %s: %s\n", argv[1], strerror(e));
		return e == EINVAL ? 2 : 1;
	}
	printf("odirect: open(O_DIRECT) %s: ok\n", argv[1]);
	if (posix_memalign(&buf, 4096, len ? len : 4096)) {
		fprintf(stderr, "odirect: out of memory\n");
		return 1;
	}
	memset(buf, 0xa5, len);
	iov.iov_base = buf;
	iov.iov_len = len;
	n = preadv(fd, &iov, 1, off);
	if (n < 0) {
		printf("odirect: preadv(%zu at %zu): %s\n", len, off, strerror(errno));
		return 1;
	}
	printf("odirect: preadv(%zu at %zu) = %zd\n", len, off, n);
	close(fd);
	if (argc == 5)
		return compare(argv[4], buf, n, len, off);
	return 0;
}
