// SPDX-License-Identifier: GPL-2.0-only
/* user/common/: strict numbers, sizes, errno names, mountinfo, output files */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "errname.h"
#include "mountinfo.h"
#include "num.h"
#include "outfile.h"

static void size_ok(const char *s, uint64_t want)
{
	uint64_t v = 0;
	int err = dt_parse_size(s, 0, UINT64_MAX, &v);

	if (err)
		print_error("'%s': %s\n", s, dt_num_why(err));
	assert_int_equal(err, 0);
	assert_true(v == want);
}

static void size_bad(const char *s, int want)
{
	uint64_t v = 12345;

	assert_int_equal(dt_parse_size(s, 0, UINT64_MAX, &v), want);
	assert_true(v == 12345);	/* untouched on error */
}

static void sizes(void **state)
{
	size_ok("0", 0);
	size_ok("4096", 4096);
	size_ok("4K", 4096);
	size_ok("4k", 4096);
	size_ok("20KiB", 20480);
	size_ok("1.5M", 1572864);
	size_ok("2G", 2ULL << 30);
	size_ok("3T", 3ULL << 40);
	size_ok("7b", 7);
	size_ok("18446744073709551615", UINT64_MAX);
	size_ok("16777215.5T", (16777215ULL << 40) + (1ULL << 39));
	/* wraps no more: 2^44 + 1 MiB-units is past 2^64 */
	size_bad("17592186044417M", -ERANGE);
	size_bad("18446744073709551616", -ERANGE);
	size_bad("16777216T", -ERANGE);
	size_bad("99999999999999999999999999", -ERANGE);
	size_bad("16P", -EDOM);
	size_bad("12Q", -EDOM);
	size_bad("1e20", -EDOM);
	size_bad("4iB", -EDOM);
	size_bad("1.1K", -EILSEQ);
	size_bad("0.5", -EILSEQ);
	size_bad("", -EINVAL);
	size_bad("-1", -EINVAL);
	size_bad("+1", -EINVAL);
	size_bad(" 1", -EINVAL);
	size_bad("1 ", -EINVAL);
	size_bad("1.", -EINVAL);
	size_bad(".5K", -EINVAL);
	size_bad("inf", -EINVAL);
	size_bad("nan", -EINVAL);
	size_bad("0x10", -EDOM);
}

static void size_range(void **state)
{
	uint64_t v;

	assert_int_equal(dt_parse_size("1G", 1, 1ULL << 30, &v), 0);
	assert_int_equal(dt_parse_size("1025M", 1, 1ULL << 30, &v), -ERANGE);
	assert_int_equal(dt_parse_size("0", 1, 1ULL << 30, &v), -ERANGE);
}

static void integers(void **state)
{
	long long v = 7;

	assert_int_equal(dt_parse_ll("12345", 1, INT32_MAX, &v), 0);
	assert_int_equal(v, 12345);
	assert_int_equal(dt_parse_ll("-5", -10, 10, &v), 0);
	assert_int_equal(v, -5);
	v = 7;
	assert_int_equal(dt_parse_ll("12345xyz", 1, INT32_MAX, &v), -EINVAL);
	assert_int_equal(dt_parse_ll("", 1, 10, &v), -EINVAL);
	assert_int_equal(dt_parse_ll("-1", 0, 10, &v), -EINVAL);
	assert_int_equal(dt_parse_ll("+1", 0, 10, &v), -EINVAL);
	assert_int_equal(dt_parse_ll(" 1", 0, 10, &v), -EINVAL);
	assert_int_equal(dt_parse_ll("0x10", 0, 100, &v), -EINVAL);
	assert_int_equal(dt_parse_ll("11", 0, 10, &v), -ERANGE);
	assert_int_equal(dt_parse_ll("99999999999999999999", 0, INT64_MAX, &v), -ERANGE);
	assert_int_equal(dt_parse_ll("2147483648", 1, INT32_MAX, &v), -ERANGE);
	assert_int_equal(v, 7);
}

static void doubles(void **state)
{
	double v = 7;

	assert_int_equal(dt_parse_double("0.5", 0, 10, &v), 0);
	assert_true(v == 0.5);
	assert_int_equal(dt_parse_double("1e3", 0, 1e4, &v), 0);
	assert_true(v == 1000);
	assert_int_equal(dt_parse_double(".25", 0, 1, &v), 0);
	v = 7;
	assert_int_equal(dt_parse_double("1e20", 0, 1e9, &v), -ERANGE);
	assert_int_equal(dt_parse_double("1e999", 0, 1e300, &v), -ERANGE);
	assert_int_equal(dt_parse_double("inf", 0, 1e9, &v), -EINVAL);
	assert_int_equal(dt_parse_double("nan", 0, 1e9, &v), -EINVAL);
	assert_int_equal(dt_parse_double("0x1p3", 0, 1e9, &v), -EINVAL);
	assert_int_equal(dt_parse_double("1s", 0, 1e9, &v), -EINVAL);
	assert_int_equal(dt_parse_double("", 0, 1e9, &v), -EINVAL);
	assert_int_equal(dt_parse_double("-1", 0, 1e9, &v), -EINVAL);
	assert_int_equal(dt_parse_double("0", 0.001, 1e9, &v), -ERANGE);
	assert_true(v == 7);
}

static void why(void **state)
{
	assert_string_equal(dt_num_why(-ERANGE), "out of range");
	assert_string_equal(dt_num_why(-EINVAL), "not a number");
	assert_non_null(strstr(dt_num_why(-EDOM), "K, M, G or T"));
}

static void size_str(void **state)
{
	char b[32];

	assert_string_equal(dt_size_str(0, false, b, sizeof(b)), "0B");
	assert_string_equal(dt_size_str(4096, false, b, sizeof(b)), "4K");
	assert_string_equal(dt_size_str(1572864, false, b, sizeof(b)), "1.5M");
	assert_string_equal(dt_size_str(4096, true, b, sizeof(b)), "4096");
	assert_string_equal(dt_size_str(UINT64_MAX, false, b, sizeof(b)), "16E");
}

static void errnames(void **state)
{
	assert_string_equal(dt_err_name(EIO), "EIO");
	assert_string_equal(dt_err_name(-EIO), "EIO");
	assert_string_equal(dt_err_name(-529), "EIOCBQUEUED");
	assert_string_equal(dt_err_name(524), "ENOTSUPP");
	assert_string_equal(dt_err_name(-EUCLEAN), "EFSCORRUPTED");
	assert_null(dt_err_name(0));
	assert_null(dt_err_name(4096));
	assert_null(dt_err_name(INT64_MIN));	/* no negation overflow */
	assert_string_equal(dt_err_str(-ENOSPC), "ENOSPC");
	assert_non_null(dt_err_str(INT64_MIN));
	assert_non_null(dt_err_str(-3000));
}

static void mountinfo_line(void **state)
{
	char line[] = "36 35 0:52 / /mnt/a\\040b rw,relatime shared:1 - erofs "
		      "/img/x\\134y.img ro,fsoffset=4096\n";
	struct dt_mountinfo mi;

	assert_int_equal(dt_mountinfo_parse(line, &mi), 0);
	assert_int_equal(mi.major, 0);
	assert_int_equal(mi.minor, 52);
	assert_string_equal(mi.root, "/");
	assert_string_equal(mi.mnt, "/mnt/a b");
	assert_string_equal(mi.mnt_opts, "rw,relatime");
	assert_string_equal(mi.fstype, "erofs");
	assert_string_equal(mi.source, "/img/x\\y.img");
	assert_string_equal(mi.super_opts, "ro,fsoffset=4096");
}

static void mountinfo_strict(void **state)
{
	/* "\3" + non-octal bytes stays as it is (no negative shift), "\400" too */
	char a[] = "1 2 8:1 / /m\\3\\09\\400 rw - ext4 /dev/sda1 rw";
	char b[] = "1 2 8:1 / /m rw ext4 /dev/sda1 rw";
	char c[] = "1 2 8x1 / /m rw - ext4 /dev/sda1 rw";
	char d[] = "1 2 8:1 / /m rw -  ";
	char e[] = "1 2 8:1 / /m\\1!!\\2 rw - ext4 /dev/sda1 rw";
	struct dt_mountinfo mi;

	assert_int_equal(dt_mountinfo_parse(a, &mi), 0);
	assert_string_equal(mi.mnt, "/m\\3\\09\\400");
	assert_string_equal(mi.super_opts, "rw");
	/* digits below '0' once made a negative shift (UBSan) */
	assert_int_equal(dt_mountinfo_parse(e, &mi), 0);
	assert_string_equal(mi.mnt, "/m\\1!!\\2");
	assert_int_equal(dt_mountinfo_parse(b, &mi), -EINVAL);
	assert_int_equal(dt_mountinfo_parse(c, &mi), -EINVAL);
	assert_int_equal(dt_mountinfo_parse(d, &mi), -EINVAL);
}

static int count_root(const struct dt_mountinfo *mi, void *arg)
{
	if (!strcmp(mi->mnt, "/"))
		++*(int *)arg;
	return 0;
}

static void mountinfo_self(void **state)
{
	int n = 0;

	assert_int_equal(dt_mountinfo_each(count_root, &n), 0);
	assert_true(n >= 1);
}

static void same_output(void **state)
{
	char dir[] = "/tmp/dt-common-XXXXXX", a[64], b[64], c[64];

	assert_non_null(mkdtemp(dir));
	snprintf(a, sizeof(a), "%s/x", dir);
	snprintf(b, sizeof(b), "%s/./x", dir);
	snprintf(c, sizeof(c), "%s/y", dir);
	assert_true(dt_out_same(a, b));			/* neither exists yet */
	assert_false(dt_out_same(a, c));
	fclose(fopen(a, "w"));
	assert_int_equal(link(a, c), 0);
	assert_true(dt_out_same(a, c));			/* hard link: one inode */
	assert_false(dt_out_same("/dev/null", "/dev/null"));	/* devices may be shared */
	unlink(a);
	unlink(c);
	rmdir(dir);
}

static void out_close(void **state)
{
	FILE *f = fopen("/dev/full", "w");

	if (!f)
		skip();
	fputs("x\n", f);
	assert_int_equal(dt_out_close(f), -ENOSPC);
	f = fopen("/dev/null", "w");
	fputs("x\n", f);
	assert_int_equal(dt_out_close(f), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sizes),
		cmocka_unit_test(size_range),
		cmocka_unit_test(integers),
		cmocka_unit_test(doubles),
		cmocka_unit_test(why),
		cmocka_unit_test(size_str),
		cmocka_unit_test(errnames),
		cmocka_unit_test(mountinfo_line),
		cmocka_unit_test(mountinfo_strict),
		cmocka_unit_test(mountinfo_self),
		cmocka_unit_test(same_output),
		cmocka_unit_test(out_close),
	};

	return cmocka_run_group_tests_name("common", tests, NULL, NULL);
}
