// SPDX-License-Identifier: GPL-2.0-only
/*
 * dioread: read patterns for the tracer's VM suite and `make demo`.
 *
 *   dioread [-c SRC] [-s MS] FILE OP...
 *
 *   p:OFF:LEN   O_DIRECT pread of LEN bytes at OFF into one aligned buffer
 *   v:OFF:LEN   O_DIRECT preadv of LEN bytes at OFF into every other page of
 *               a 2*LEN region: no two pages are adjacent, so each one needs
 *               its own bio vector
 *   b:OFF:LEN   buffered pread

 * -s MS: after each read, spin MS milliseconds in user space before making
 * any other system call, so that a late completion of the RFC's unawaited
 * async backing read lands in a dead kernel stack frame, not a live one.
 * OFF and LEN take K/M suffixes.  With -c, the bytes read are compared with
 * SRC (the file the image was built from).  One line per operation; exit 0
 * if every operation returned LEN bytes (and matched), else 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <time.h>

#define PAGE	4096UL

static unsigned long parse_num(const char *s, char **end)
{
	unsigned long v = strtoul(s, end, 0);

	if (**end == 'K' || **end == 'k')
		v <<= 10, (*end)++;
	else if (**end == 'M' || **end == 'm')
		v <<= 20, (*end)++;
	return v;
}

static int parse_op(const char *op, char *kind, unsigned long *off, unsigned long *len)
{
	char *end;

	if (strlen(op) < 5 || op[1] != ':' || !strchr("pvb", op[0]))
		return -1;
	*kind = op[0];
	*off = parse_num(op + 2, &end);
	if (*end != ':')
		return -1;
	*len = parse_num(end + 1, &end);
	return *end || !*len ? -1 : 0;
}

static void *region(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* every other page of a 2*len region */
static ssize_t sparse_preadv(int fd, char *buf, unsigned long off, unsigned long len)
{
	unsigned long n = len / PAGE, i;
	struct iovec *iov = calloc(n, sizeof(*iov));
	ssize_t r;

	if (!iov)
		return -1;
	for (i = 0; i < n; i++) {
		iov[i].iov_base = buf + 2 * i * PAGE;
		iov[i].iov_len = PAGE;
	}
	r = preadv(fd, iov, n, off);
	free(iov);
	return r;
}

/* compare what was read with SRC; sparse: data sits in every other page */
static int compare(int src, const char *buf, unsigned long off, size_t got, int sparse)
{
	char *want = malloc(got ? got : 1);
	size_t i;
	int bad = 0;

	if (!want || pread(src, want, got, off) != (ssize_t)got) {
		free(want);
		return -1;
	}
	if (!sparse)
		bad = memcmp(want, buf, got) != 0;
	for (i = 0; sparse && i < got; i += PAGE) {
		size_t n = got - i < PAGE ? got - i : PAGE;

		bad |= memcmp(want + i, buf + 2 * i, n) != 0;
	}
	free(want);
	return bad;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);	/* vDSO: no system call */
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static unsigned long settle_ms;

static void settle(void)
{
	double until = now_ms() + settle_ms;

	while (settle_ms && now_ms() < until)
		;
}

static int run_op(int dfd, int bfd, int src, const char *op)
{
	unsigned long off, len;
	char kind, *buf;
	ssize_t r;
	int cmp = 0, err;

	if (parse_op(op, &kind, &off, &len)) {
		fprintf(stderr, "dioread: bad operation '%s' (want p|v|b:OFF:LEN)\n", op);
		return -1;
	}
	buf = region(kind == 'v' ? 2 * len : len);
	if (!buf)
		return -1;
	if (kind == 'v')
		r = sparse_preadv(dfd, buf, off, len);
	else
		r = pread(kind == 'b' ? bfd : dfd, buf, len, off);
	err = errno;
	settle();
	if (r > 0 && src >= 0)
		cmp = compare(src, buf, off, r, kind == 'v');
	printf("%c off=%lu len=%lu ret=%zd%s%s%s\n", kind, off, len, r,
	       r < 0 ? " errno=" : "", r < 0 ? strerror(err) : "",
	       cmp > 0 ? " DATA-MISMATCH" : (src >= 0 && r > 0 ? " data-ok" : ""));
	munmap(buf, kind == 'v' ? 2 * len : len);
	return r == (ssize_t)len && cmp == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	int dfd, bfd, src = -1, i = 1, rc = 0;

	if (argc > 3 && !strcmp(argv[1], "-c")) {
		src = open(argv[2], O_RDONLY);
		if (src < 0) {
			fprintf(stderr, "dioread: %s: %s\n", argv[2], strerror(errno));
			return 2;
		}
		i = 3;
	}
	if (argc - i > 3 && !strcmp(argv[i], "-s")) {
		settle_ms = strtoul(argv[i + 1], NULL, 10);
		i += 2;
	}
	if (argc - i < 2) {
		fprintf(stderr, "usage: dioread [-c SRC] [-s MS] FILE p|v|b:OFF:LEN...\n");
		return 2;
	}
	dfd = open(argv[i], O_RDONLY | O_DIRECT);
	bfd = open(argv[i], O_RDONLY);
	if (dfd < 0 || bfd < 0) {
		fprintf(stderr, "dioread: open %s%s: %s\n", argv[i], dfd < 0 ? " O_DIRECT" : "",
			strerror(errno));
		return 2;
	}
	for (i++; i < argc; i++) {
		int r = run_op(dfd, bfd, src, argv[i]);

		if (r < 0)
			return 2;
		rc |= r;
	}
	fflush(stdout);
	return rc;
}
