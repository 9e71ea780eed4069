// SPDX-License-Identifier: GPL-2.0-only
/*
 * mxread: one direct-read scenario of the matrix on an EROFS file, every
 * byte compared with a reference copy of the same data.
 *
 *   mxread [--pos P] [--len L] [--buf-off B] [--scatter] [--threads N]
 *          [--mixed] [--may-refuse] [--open-only] EROFS_FILE REFERENCE
 *
 * P may be a number (K/M suffix) or last, last-N, last+N: the start of the
 * file's last (partial) 4 KiB block, minus or plus N.
 *   --scatter     preadv of L bytes into every other page of a region
 *   --threads N   N threads read L-byte blocks of the file at once, each its
 *                 own positions, 8 reads each
 *   --mixed       a buffered reader and a direct reader of the whole file at
 *                 once (L-byte reads), 2 passes each
 *   --may-refuse  EINVAL from the read is a correct answer (misaligned
 *                 position, length or buffer)
 *   --open-only   only open the file with O_DIRECT
 *
 * Prints key=value lines: open=ok|ENAME, data=PASS|FAIL|REFUSED, detail=...
 * Exit status: 0 the data check passed (or was not asked for), 1 it failed,
 * 2 usage or setup error, 3 open(O_DIRECT) was refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#define PG 4096L

static const char *path, *ref_path;
static off_t fsize;
static int rfd;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char detail[256];
static int failed, refused;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* the first failure is the one reported */
static void fail(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&lock);
	if (!failed) {
		va_start(ap, fmt);
		vsnprintf(detail, sizeof(detail), fmt, ap);
		va_end(ap);
		failed = 1;
	}
	pthread_mutex_unlock(&lock);
}

static long long parse_size(const char *s, int *ok)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 0);
	if (errno || end == s)
		*ok = 0;
	if (*end == 'k' || *end == 'K')
		v <<= 10, end++;
	else if (*end == 'm' || *end == 'M')
		v <<= 20, end++;
	if (*end)
		*ok = 0;
	return v;
}

/* "last", "last-N", "last+N" or a size */
static long long parse_pos(const char *s, int *ok)
{
	long long last = fsize & ~(PG - 1);

	if (strncmp(s, "last", 4))
		return parse_size(s, ok);
	if (!s[4])
		return last;
	if (s[4] == '-')
		return last - parse_size(s + 5, ok);
	if (s[4] == '+')
		return last + parse_size(s + 5, ok);
	*ok = 0;
	return 0;
}

static char *xalloc(size_t len)
{
	void *p;

	if (posix_memalign(&p, PG, len + PG)) {
		perror("mxread: posix_memalign");
		exit(2);
	}
	memset(p, 0xa5, len + PG);
	return p;
}

static size_t want_len(off_t pos, size_t len)
{
	if (pos >= fsize)
		return 0;
	return (size_t)(fsize - pos) < len ? (size_t)(fsize - pos) : len;
}

/* compare got bytes at pos with the reference; 0 if equal */
static int compare(const char *buf, off_t pos, size_t len)
{
	char *ref = xalloc(len);
	ssize_t r = pread(rfd, ref, len, pos);
	size_t i;
	int bad = 0;

	if (r != (ssize_t)len) {
		fail("reference pread at %lld: %zd of %zu bytes", (long long)pos, r, len);
		bad = 1;
	}
	for (i = 0; !bad && i < len; i++)
		if (buf[i] != ref[i]) {
			fail("wrong byte at file offset %lld (read of %zu at %lld)",
			     (long long)(pos + (off_t)i), len, (long long)pos);
			bad = 1;
		}
	free(ref);
	return bad;
}

/* judge one read's return value r of len at pos into buf */
static void judge(ssize_t r, int err, const char *buf, off_t pos, size_t len, int may_refuse)
{
	size_t want = want_len(pos, len);

	if (r < 0 && err == EINVAL && may_refuse) {
		pthread_mutex_lock(&lock);
		refused = 1;
		pthread_mutex_unlock(&lock);
	} else if (r < 0) {
		fail("read of %zu at %lld: %s", len, (long long)pos,
		     strerrorname_np(err) ? strerrorname_np(err) : strerror(err));
	} else if ((size_t)r != want) {
		fail("read of %zu at %lld returned %zd bytes, want %zu", len, (long long)pos, r, want);
	} else {
		compare(buf, pos, want);
	}
}

static int open_direct(void)
{
	int fd = open(path, O_RDONLY | O_DIRECT);

	if (fd < 0) {
		int err = errno;

		printf("open=%s\n", strerrorname_np(err) ? strerrorname_np(err) : "error");
		printf("detail=open(O_DIRECT) %s: %s\n", path, strerror(err));
		exit(3);
	}
	return fd;
}

static void one_read(int fd, off_t pos, size_t len, long buf_off, int may_refuse)
{
	char *buf = xalloc(len);
	ssize_t r = pread(fd, buf + buf_off, len, pos);

	judge(r, errno, buf + buf_off, pos, len, may_refuse);
	free(buf);
}

/* len bytes into every other page: no two user pages contiguous */
static void scatter_read(int fd, off_t pos, size_t len)
{
	size_t n = (len + PG - 1) / PG, i;
	char *region = xalloc(2 * n * PG), *flat = xalloc(n * PG);
	struct iovec *iov = calloc(n, sizeof(*iov));
	ssize_t r;

	if (!iov || n > IOV_MAX) {
		fprintf(stderr, "mxread: --scatter of %zu pages: too many vectors\n", n);
		exit(2);
	}
	for (i = 0; i < n; i++) {
		iov[i].iov_base = region + 2 * i * PG;
		iov[i].iov_len = (i + 1) * PG <= len ? PG : len - i * PG;
	}
	r = preadv(fd, iov, (int)n, pos);
	if (r >= 0)
		for (i = 0; i < n; i++)
			memcpy(flat + i * PG, iov[i].iov_base, iov[i].iov_len);
	judge(r, errno, flat, pos, len, 0);
	free(iov);
	free(region);
	free(flat);
}

struct worker {
	pthread_t t;
	int fd, idx, direct;
	size_t len;
	int passes;
};

/* thread idx reads blocks idx, idx + N, ... of the file (8 of them) */
static void *thread_reads(void *arg)
{
	struct worker *w = arg;
	long nblk = (fsize + (off_t)w->len - 1) / (off_t)w->len;
	int k;

	for (k = 0; k < 8; k++) {
		off_t pos = ((w->idx + (long)k * 3) % nblk) * (off_t)w->len;

		one_read(w->fd, pos, w->len, 0, 0);
	}
	return NULL;
}

/* the whole file, w->passes times, direct or buffered */
static void *whole_file(void *arg)
{
	struct worker *w = arg;
	int p;
	off_t pos;

	for (p = 0; p < w->passes; p++)
		for (pos = 0; pos < fsize; pos += (off_t)w->len)
			one_read(w->fd, pos, w->len, 0, 0);
	return NULL;
}

static void run_threads(struct worker *w, int n, void *(*fn)(void *))
{
	int i;

	for (i = 0; i < n; i++)
		if (pthread_create(&w[i].t, NULL, fn, &w[i])) {
			fprintf(stderr, "mxread: pthread_create failed\n");
			exit(2);
		}
	for (i = 0; i < n; i++)
		pthread_join(w[i].t, NULL);
}

int main(int argc, char **argv)
{
	const char *pos_s = "0";
	long long len = PG, buf_off = 0, threads = 0;
	int scatter = 0, mixed = 0, may_refuse = 0, open_only = 0, ok = 1, i, fd;
	struct worker w[16];
	off_t pos;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "";

		if (!strcmp(a, "--pos"))
			pos_s = v, i++;
		else if (!strcmp(a, "--len"))
			len = parse_size(v, &ok), i++;
		else if (!strcmp(a, "--buf-off"))
			buf_off = parse_size(v, &ok), i++;
		else if (!strcmp(a, "--threads"))
			threads = parse_size(v, &ok), i++;
		else if (!strcmp(a, "--scatter"))
			scatter = 1;
		else if (!strcmp(a, "--mixed"))
			mixed = 1;
		else if (!strcmp(a, "--may-refuse"))
			may_refuse = 1;
		else if (!strcmp(a, "--open-only"))
			open_only = 1;
		else
			ok = 0;
	}
	if (!ok || argc - i != 2 || len <= 0 || buf_off < 0 || buf_off >= PG ||
	    threads < 0 || threads > 16) {
		fprintf(stderr, "usage: mxread [--pos P] [--len L] [--buf-off B<4096] [--scatter] "
			"[--threads N<=16] [--mixed] [--may-refuse] [--open-only] EROFS_FILE REFERENCE\n");
		return 2;
	}
	path = argv[i];
	ref_path = argv[i + 1];
	rfd = open(ref_path, O_RDONLY);
	if (rfd < 0) {
		fprintf(stderr, "mxread: open %s: %s\n", ref_path, strerror(errno));
		return 2;
	}
	fsize = lseek(rfd, 0, SEEK_END);
	pos = parse_pos(pos_s, &ok);
	if (!ok || pos < 0) {
		fprintf(stderr, "mxread: bad --pos '%s' (a size, last, last-N or last+N)\n", pos_s);
		return 2;
	}
	fd = open_direct();
	printf("open=ok\n");
	if (open_only)
		return 0;
	if (threads) {
		for (i = 0; i < threads; i++)
			w[i] = (struct worker){ .fd = fd, .idx = i, .len = (size_t)len };
		run_threads(w, (int)threads, thread_reads);
	} else if (mixed) {
		w[0] = (struct worker){ .fd = fd, .len = (size_t)len, .passes = 2 };
		w[1] = (struct worker){ .fd = open(path, O_RDONLY), .len = (size_t)len, .passes = 2 };
		if (w[1].fd < 0) {
			fprintf(stderr, "mxread: open %s: %s\n", path, strerror(errno));
			return 2;
		}
		run_threads(w, 2, whole_file);
	} else if (scatter) {
		scatter_read(fd, pos, (size_t)len);
	} else {
		one_read(fd, pos, (size_t)len, (long)buf_off, may_refuse);
	}
	printf("data=%s\n", failed ? "FAIL" : refused ? "REFUSED" : "PASS");
	if (failed)
		printf("detail=%s\n", detail);
	else if (refused)
		printf("detail=refused with EINVAL (allowed: misaligned)\n");
	return failed;
}
