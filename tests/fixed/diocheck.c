// SPDX-License-Identifier: GPL-2.0-only
/*
 * diocheck: O_DIRECT reads of an EROFS file compared byte for byte with a
 * reference copy of the same data, in the patterns the RFC got wrong.
 *
 *   diocheck [--expect-dioalign N] EROFS_FILE REFERENCE_FILE
 *   diocheck --short EROFS_FILE REFERENCE_FILE
 *   diocheck --dioalign-only N EROFS_FILE
 *
 * --short: the image was truncated under the mount, inside the file's data.
 * A read across the cut must return partial progress (the right bytes) or an
 * error, a read beyond it an error: never zeroes, never a full count.
 *
 * Prints one "PASS name" or "FAIL name -- why" line per case; exits 1 if any
 * case failed.  Also prints the /proc/vmstat FOLL_PIN counters around the
 * reads ("pins acquired A released R") and fails when they differ.
 */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <linux/stat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define PG 4096UL

static int failed;
static const char *erofs_path, *ref_path;
static int dfd, rfd;
static off_t fsize;

static void result(int ok, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void result(int ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("%s %s", ok ? "PASS" : "FAIL", name);
	if (!ok && fmt) {
		printf(" -- ");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		failed = 1;
	}
	printf("\n");
	fflush(stdout);
}

/* fold the per-CPU vmstat deltas so /proc/vmstat is exact (root only) */
static void vmstat_refresh(void)
{
	int fd = open("/proc/sys/vm/stat_refresh", O_WRONLY);

	if (fd >= 0) {
		if (write(fd, "1", 1) < 0)
			perror("diocheck: stat_refresh");
		close(fd);
	}
}

static unsigned long long vmstat(const char *key)
{
	char line[256];
	unsigned long long v = 0;
	size_t n = strlen(key);
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ' ')
			v = strtoull(line + n + 1, NULL, 10);
	fclose(f);
	return v;
}

static void *xalloc(size_t len)
{
	void *p;

	if (posix_memalign(&p, PG, len)) {
		perror("diocheck: posix_memalign");
		exit(2);
	}
	memset(p, 0xa5, len);
	return p;
}

/* compare len bytes at pos of the reference with buf; "" if equal */
static const char *mismatch(const void *buf, off_t pos, size_t len)
{
	static char why[128];
	char *ref = xalloc(len ? len : 1);
	ssize_t r = pread(rfd, ref, len, pos);
	size_t i;

	why[0] = 0;
	if (r != (ssize_t)len)
		snprintf(why, sizeof(why), "reference pread %zd of %zu", r, len);
	for (i = 0; !why[0] && i < len; i++)
		if (((const char *)buf)[i] != ref[i])
			snprintf(why, sizeof(why), "wrong byte at file offset %lld",
				 (long long)(pos + i));
	free(ref);
	return why;
}

/* one aligned pread; expect min(len, EOF - pos) bytes, equal to the reference */
static void check_pread(off_t pos, size_t len)
{
	char name[96];
	size_t want = pos >= fsize ? 0 : (size_t)(fsize - pos) < len ? (size_t)(fsize - pos) : len;
	void *buf = xalloc(len);
	ssize_t r = pread(dfd, buf, len, pos);
	const char *why;

	snprintf(name, sizeof(name), "pread %zu at %lld", len, (long long)pos);
	if (r < 0)
		result(0, name, "%s", strerror(errno));
	else if ((size_t)r != want)
		result(0, name, "returned %zd, want %zu", r, want);
	else if (*(why = mismatch(buf, pos, want)))
		result(0, name, "%s", why);
	else
		result(1, name, NULL);
	free(buf);
}

/* len bytes into every other page of a region: one bio vector per page */
static void check_sparse_preadv(off_t pos, size_t len)
{
	size_t n = len / PG, i;
	char *region = xalloc(2 * len), *flat = xalloc(len);
	struct iovec *iov = calloc(n, sizeof(*iov));
	char name[96];
	ssize_t r;
	const char *why;

	for (i = 0; i < n; i++) {
		iov[i].iov_base = region + 2 * i * PG;
		iov[i].iov_len = PG;
	}
	snprintf(name, sizeof(name), "preadv %zu at %lld into every other page", len, (long long)pos);
	r = n > IOV_MAX ? -2 : preadv(dfd, iov, (int)n, pos);
	for (i = 0; r > 0 && i < n; i++)
		memcpy(flat + i * PG, iov[i].iov_base, PG);
	if (r == -2)
		result(0, name, "more than IOV_MAX vectors");
	else if (r < 0)
		result(0, name, "%s", strerror(errno));
	else if ((size_t)r != len)
		result(0, name, "returned %zd, want %zu", r, len);
	else if (*(why = mismatch(flat, pos, len)))
		result(0, name, "%s", why);
	else
		result(1, name, NULL);
	free(iov);
	free(region);
	free(flat);
}

static void check_misaligned(void)
{
	void *buf = xalloc(2 * PG);
	ssize_t r = pread(dfd, buf, PG, 512);

	if (r < 0 && errno == EINVAL)
		result(1, "misaligned position is refused with EINVAL", NULL);
	else
		result(0, "misaligned position is refused with EINVAL",
		       "returned %zd (%s)", r, r < 0 ? strerror(errno) : "no error");
	free(buf);
}

/* one read of len bytes at pos of a file whose backing data was cut short */
static void check_short(off_t pos, size_t len, int must_fail)
{
	char name[128];
	size_t want = (size_t)(fsize - pos) < len ? (size_t)(fsize - pos) : len;
	void *buf = xalloc(len);
	ssize_t r = pread(dfd, buf, len, pos);
	const char *why = r > 0 ? mismatch(buf, pos, (size_t)r) : "";

	snprintf(name, sizeof(name), "truncated backing file: pread %zu at %lld gives %s",
		 len, (long long)pos, must_fail ? "an error" : "partial progress or an error");
	if (r < 0)
		result(1, name, NULL);
	else if (r == 0)
		result(0, name, "returned 0 (EOF) before the file's end");
	else if (must_fail || (size_t)r >= want)
		result(0, name, "returned %zd of %zu bytes although the backing file ends earlier",
		       r, want);
	else if (*why)
		result(0, name, "%s", why);
	else
		result(1, name, NULL);
	if (r < 0)
		printf("# pread %zu at %lld: %s\n", len, (long long)pos, strerror(errno));
	else
		printf("# pread %zu at %lld: %zd bytes\n", len, (long long)pos, r);
	free(buf);
}

/*
 * RWF_NOWAIT (what io_uring tries first): the right bytes, or EAGAIN where the
 * read would block; "# nowait: data" or "# nowait: eagain" says which.
 */
static void check_nowait(off_t pos, size_t len)
{
	const char *name = "preadv2 RWF_NOWAIT returns the right bytes or EAGAIN";
	void *buf = xalloc(len);
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	ssize_t r = preadv2(dfd, &iov, 1, pos, RWF_NOWAIT);
	const char *why = r > 0 ? mismatch(buf, pos, (size_t)r) : "";

	if (r < 0 && errno == EAGAIN)
		printf("# nowait: eagain\n");
	else if (r > 0)
		printf("# nowait: data\n");
	if (r < 0 && errno != EAGAIN)
		result(0, name, "%s", strerror(errno));
	else if (r == 0)
		result(0, name, "returned 0");
	else if (*why)
		result(0, name, "%s", why);
	else
		result(1, name, NULL);
	free(buf);
}

static void check_dioalign(unsigned int want)
{
	struct statx stx;
	const char *name = "statx STATX_DIOALIGN reports the block size";

	memset(&stx, 0, sizeof(stx));
	if (syscall(SYS_statx, AT_FDCWD, erofs_path, 0, STATX_DIOALIGN, &stx))
		result(0, name, "statx: %s", strerror(errno));
	else if (!(stx.stx_mask & STATX_DIOALIGN))
		result(0, name, "STATX_DIOALIGN not in the result mask");
	else if (stx.stx_dio_mem_align != want || stx.stx_dio_offset_align != want)
		result(0, name, "mem_align %u offset_align %u, want %u",
		       stx.stx_dio_mem_align, stx.stx_dio_offset_align, want);
	else
		result(1, name, NULL);
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 4096, 65536, 524288, 1 << 20, 2 << 20, 4 << 20 };
	unsigned long long acq0, rel0, acq, rel;
	unsigned int dioalign = 0;
	int short_mode = 0;
	off_t last;
	size_t i;

	/* --dioalign-only N FILE: just the statx check (no O_DIRECT open) */
	if (argc == 4 && !strcmp(argv[1], "--dioalign-only")) {
		erofs_path = argv[3];
		check_dioalign((unsigned int)strtoul(argv[2], NULL, 0));
		return failed;
	}
	if (argc > 1 && !strcmp(argv[1], "--short")) {
		short_mode = 1;
		argv++;
		argc--;
	} else if (argc > 2 && !strcmp(argv[1], "--expect-dioalign")) {
		dioalign = (unsigned int)strtoul(argv[2], NULL, 0);
		argv += 2;
		argc -= 2;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: diocheck [--expect-dioalign N | --short] EROFS_FILE REFERENCE_FILE\n");
		return 2;
	}
	erofs_path = argv[1];
	ref_path = argv[2];
	dfd = open(erofs_path, O_RDONLY | O_DIRECT);
	rfd = open(ref_path, O_RDONLY);
	if (dfd < 0 || rfd < 0) {
		fprintf(stderr, "diocheck: open %s: %s\n", dfd < 0 ? erofs_path : ref_path,
			strerror(errno));
		result(0, "open O_DIRECT", "%s", strerror(errno));
		return 1;
	}
	fsize = lseek(rfd, 0, SEEK_END);
	vmstat_refresh();
	acq0 = vmstat("nr_foll_pin_acquired");
	rel0 = vmstat("nr_foll_pin_released");

	last = fsize & ~(off_t)(PG - 1);
	if (short_mode) {
		/* the whole file, then its last block (beyond the cut) */
		check_short(0, (size_t)(last + PG), 0);
		check_short(last, PG, 1);
		goto pins;
	}
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		check_pread(0, sizes[i]);
		check_pread(PG, sizes[i]);		/* inside the first extent/chunk */
		check_pread((1 << 20) + 3 * PG, sizes[i]);
	}
	check_sparse_preadv(0, 65536);
	check_sparse_preadv(0, 2 << 20);
	check_sparse_preadv(PG, 2 << 20);
	check_pread(last, PG);			/* the last, partial block */
	check_pread(last - PG, 4 * PG);		/* a read crossing EOF */
	check_pread(last + PG, PG);		/* entirely past EOF */
	check_misaligned();
	check_nowait(0, 65536);
	if (dioalign)
		check_dioalign(dioalign);

	/*
	 * A direct backing read may release its pages from a workqueue after
	 * the read returned (bio_check_pages_dirty): give that up to 5 s.
	 */
pins:
	for (i = 0; i < 50; i++) {
		vmstat_refresh();
		acq = vmstat("nr_foll_pin_acquired") - acq0;
		rel = vmstat("nr_foll_pin_released") - rel0;
		if (acq == rel)
			break;
		usleep(100000);
	}
	printf("# pins acquired %llu released %llu\n", acq, rel);
	result(acq == rel, "every pinned user page is released", "acquired %llu, released %llu", acq, rel);
	return failed;
}
