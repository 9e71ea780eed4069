// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the audit's arithmetic on synthetic mappings, including
 * layouts mkfs.erofs 1.5 cannot produce on this host (real holes, a tail
 * straddling two backing pages).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <stdio.h>
#include <json-c/json.h>
#include <linux/fiemap.h>
#include "audit.h"

#define PG 4096

struct fixture {
	struct au_mount m;
	struct au_file f;
	uint8_t bres[64];
	uint32_t bown[64];
	uint8_t eres[64];
	struct au_ext ext[16];
};

static struct fixture *fx_new(uint64_t size)
{
	struct fixture *x = calloc(1, sizeof(*x));

	au_page = PG;
	x->m.bres = x->bres;
	x->m.bown = x->bown;
	x->m.bsize = sizeof(x->bres) * PG;
	x->m.kind = AU_KIND_FILE;
	x->m.files = &x->f;
	x->m.nfiles = 1;
	x->f.size = size;
	x->f.eres = x->eres;
	x->f.ext = x->ext;
	return x;
}

static void add_ext(struct fixture *x, uint64_t l, uint64_t p, uint64_t len, uint32_t flags)
{
	x->ext[x->f.next++] = (struct au_ext){ l, p, len, flags };
}

static void count(struct fixture *x)
{
	memset(x->bown, 0, sizeof(x->bown));
	x->f.backing_cached = x->f.double_cached = 0;
	au_count_file(&x->m, &x->f, 0);
}

static void test_plain_partial(void **state)
{
	struct fixture *x = fx_new(8 * PG);

	add_ext(x, 0, 10 * PG, 8 * PG, FIEMAP_EXTENT_LAST);
	memset(x->eres + 2, 1, 3);		/* EROFS pages 2..4 */
	memset(x->bres + 11, 1, 3);		/* backing of pages 1..3 */
	count(x);
	assert_int_equal(x->f.erofs_cached, 3 * PG);
	assert_int_equal(x->f.backing_cached, 3 * PG);
	assert_int_equal(x->f.double_cached, 2 * PG);	/* pages 2, 3 */
	free(x);
}

static void test_hole(void **state)
{
	struct fixture *x = fx_new(8 * PG);

	add_ext(x, 0, 0, 2 * PG, 0);
	add_ext(x, 6 * PG, 10 * PG, 2 * PG, FIEMAP_EXTENT_LAST);
	au_classify(&x->f, false);
	assert_true(x->f.labels & AU_L_HOLE);
	memset(x->eres, 1, 8);
	memset(x->bres, 1, sizeof(x->bres));
	count(x);
	assert_int_equal(x->f.erofs_cached, 8 * PG);
	assert_int_equal(x->f.double_cached, 4 * PG);	/* hole pages have no backing */
	assert_int_equal(x->f.backing_cached, 4 * PG);
	free(x);
}

static void test_trailing_hole(void **state)
{
	struct fixture *x = fx_new(8 * PG);

	add_ext(x, 0, 0, 2 * PG, FIEMAP_EXTENT_LAST);
	au_classify(&x->f, false);
	assert_true(x->f.labels & AU_L_HOLE);
	free(x);
}

static void test_tail_straddles(void **state)
{
	struct fixture *x = fx_new(PG + 100);
	uint32_t in = FIEMAP_EXTENT_DATA_INLINE | FIEMAP_EXTENT_NOT_ALIGNED | FIEMAP_EXTENT_LAST;

	add_ext(x, 0, 0, PG, 0);
	add_ext(x, PG, 3 * PG - 50, 100, in);	/* backing pages 2 and 3 */
	au_classify(&x->f, false);
	assert_true(x->f.labels & AU_L_TAIL);
	assert_false(x->f.labels & AU_L_HOLE);
	memset(x->eres, 1, 2);
	x->bres[0] = x->bres[2] = 1;
	count(x);
	assert_int_equal(x->f.double_cached, PG);	/* tail half missing */
	x->bres[3] = 1;
	count(x);
	assert_int_equal(x->f.double_cached, 2 * PG);
	assert_int_equal(x->f.backing_cached, 3 * PG);
	free(x);
}

static void test_dedup(void **state)
{
	struct fixture *x = fx_new(4 * PG);
	int i;

	for (i = 0; i < 4; i++)
		add_ext(x, i * PG, 5 * PG, PG, i == 3 ? FIEMAP_EXTENT_LAST : 0);
	au_classify(&x->f, false);
	assert_true(x->f.labels & AU_L_SHARED);
	memset(x->eres, 1, 4);
	x->bres[5] = 1;
	count(x);
	assert_int_equal(x->f.double_cached, 4 * PG);
	assert_int_equal(x->f.backing_cached, PG);	/* one page, counted once */
	free(x);
}

static void test_compressed(void **state)
{
	struct fixture *x = fx_new(4 * PG);

	add_ext(x, 0, 0, 4 * PG, FIEMAP_EXTENT_LAST);	/* what EROFS reports */
	au_classify(&x->f, true);
	memset(x->eres, 1, 4);
	memset(x->bres, 1, sizeof(x->bres));
	count(x);
	assert_true(x->f.labels & AU_L_COMPRESSED);
	assert_int_equal(x->f.erofs_cached, 4 * PG);
	assert_int_equal(x->f.double_cached, 0);
	assert_true(x->f.backing_cached == AU_UNKNOWN);
	free(x->f.note);
	free(x);
}

static void test_unknown_extent(void **state)
{
	struct fixture *x = fx_new(PG);

	add_ext(x, 0, 0, PG, FIEMAP_EXTENT_UNKNOWN | FIEMAP_EXTENT_LAST);
	au_classify(&x->f, false);
	assert_true(x->f.labels & AU_L_NOMAP);
	count(x);
	assert_true(x->f.double_cached == AU_UNKNOWN);
	free(x->f.note);
	free(x);
}

static void test_totals(void **state)
{
	struct fixture *x = fx_new(2 * PG);

	add_ext(x, 0, 4 * PG, 2 * PG, FIEMAP_EXTENT_LAST);
	memset(x->eres, 1, 2);
	x->bres[0] = x->bres[4] = x->bres[9] = 1;	/* 0, 9: metadata */
	count(x);
	x->m.erofs_cached = x->m.backing_cached = x->m.double_cached = 0;
	x->m.backing_total = x->m.unattributed = 0;
	au_count_totals(&x->m);
	assert_int_equal(x->m.backing_total, 3 * PG);
	assert_int_equal(x->m.backing_cached, PG);
	assert_int_equal(x->m.unattributed, 2 * PG);
	assert_int_equal(x->m.double_cached, PG);
	free(x);
}

static void test_human(void **state)
{
	char b[32];

	assert_string_equal(au_human(0, false, b, sizeof(b)), "0B");
	assert_string_equal(au_human(4096, false, b, sizeof(b)), "4K");
	assert_string_equal(au_human(1572864, false, b, sizeof(b)), "1.5M");
	assert_string_equal(au_human(300000, false, b, sizeof(b)), "293K");
	assert_string_equal(au_human(4096, true, b, sizeof(b)), "4096");
	assert_string_equal(au_human(AU_UNKNOWN, false, b, sizeof(b)), "-");
}

/* no files: nothing to sort, and no qsort(NULL, 0) (UBSan) */
static void test_sort_empty(void **state)
{
	struct au_mount m = { 0 };

	au_sort_files(&m, AU_S_DOUBLE);
	assert_null(m.files);
}

/* a name with an escape sequence and a newline prints as one harmless line */
static void test_table_escapes(void **state)
{
	struct fixture *x = fx_new(PG);
	struct au_opts o = { .top = -1, .noheadings = true };
	char *buf = NULL;
	size_t len = 0;

	x->f.path = "evil\x1b[2J\nname";
	o.out = open_memstream(&buf, &len);
	assert_non_null(o.out);
	au_print_table(&x->m, &o);
	fclose(o.out);
	assert_non_null(strstr(buf, "evil\\x1b[2J\\x0aname\n"));
	assert_null(strchr(buf, 0x1b));
	free(buf);
	free(x);
}

/* JSON stays valid UTF-8 whatever bytes a file name holds */
static void test_json_utf8(void **state)
{
	struct fixture *x = fx_new(PG);
	struct au_opts o = { .top = -1 };
	char *buf = NULL;
	size_t len = 0;
	json_object *j, *f;

	x->f.path = "bad\xff\xc0name";
	x->m.mnt = "/mnt";
	x->m.source = "/img";
	o.out = open_memstream(&buf, &len);
	assert_non_null(o.out);
	au_print_json(&x->m, 1, &o);
	fclose(o.out);
	j = json_tokener_parse(buf);
	assert_non_null(j);
	f = json_object_array_get_idx(json_object_object_get(json_object_array_get_idx(
		json_object_object_get(j, "mounts"), 0), "files"), 0);
	assert_string_equal(json_object_get_string(json_object_object_get(f, "path")),
			    "bad\xef\xbf\xbd\xef\xbf\xbdname");
	json_object_put(j);
	free(buf);
	free(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_partial),
		cmocka_unit_test(test_hole),
		cmocka_unit_test(test_trailing_hole),
		cmocka_unit_test(test_tail_straddles),
		cmocka_unit_test(test_dedup),
		cmocka_unit_test(test_compressed),
		cmocka_unit_test(test_unknown_extent),
		cmocka_unit_test(test_totals),
		cmocka_unit_test(test_human),
		cmocka_unit_test(test_sort_empty),
		cmocka_unit_test(test_table_escapes),
		cmocka_unit_test(test_json_utf8),
	};

	return cmocka_run_group_tests_name("audit", tests, NULL, NULL);
}
