// SPDX-License-Identifier: GPL-2.0-only
/*
 * The reports on hostile strings: a comm with control and invalid UTF-8
 * bytes reaches the text report escaped and the JSON report as valid
 * UTF-8; the streamed JSON parses as one document with every read.
 */
#include <errno.h>
#include <json-c/json.h>
#include <unistd.h>
#include "unit.h"
#include "report.h"

static const char evil[DT_COMM_LEN] = "a\x1b[2J\x07\xff\xc3(\n\r\x7f";

static void feed_evil(struct dt_engine *e, unsigned int nreads, int64_t ret)
{
	unsigned int i;

	for (i = 0; i < nreads; i++) {
		struct dt_event ev = {
			.version = DT_EVENT_VERSION, .type = DT_EV_REQ_START, .pid = 9, .tid = 9,
			.ts_ns = 10 * i + 1, .dev = 35, .ino = 40, .cookie = 0x10 + i,
			.req = { .len = 100, .isize = 1 << 20 },
		};

		memcpy(ev.comm, evil, sizeof(ev.comm));
		assert_int_equal(dt_engine_feed(e, &ev), 0);
		ev.type = DT_EV_REQ_END;
		ev.ts_ns++;
		ev.req.ret = ret;
		assert_int_equal(dt_engine_feed(e, &ev), 0);
	}
}

static bool raw_control(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\n') || s[i] == 0x7f)
			return true;
	return false;
}

static void text_escapes_comm(void **state)
{
	struct dt_engine *e = dt_engine_new(NULL);
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	feed_evil(e, 1, 99);	/* a short read: FAIL, listed with its comm */
	dt_engine_finish(e);
	f = open_memstream(&buf, &len);
	dt_report_text(e, f, true);
	fclose(f);
	assert_non_null(strstr(buf, "a\\x1b[2J\\x07"));
	assert_false(raw_control(buf, len));
	free(buf);
	dt_engine_free(e);
}

static void json_streams_valid_utf8(void **state)
{
	char path[] = "/tmp/dt-report-XXXXXX";
	struct dt_report_opts ro = { .json = path };
	struct dt_engine_opts eo = { 0 };
	struct json_object *doc, *reads, *comm;
	struct dt_report *r;
	struct dt_engine *e;
	const char *what, *s;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	r = dt_report_new(&ro);
	assert_non_null(r);
	dt_report_attach(r, &eo);
	assert_non_null(eo.on_close);
	e = dt_engine_new(&eo);
	feed_evil(e, 50, 100);	/* 50 PASS reads: streamed, none kept */
	dt_engine_note_lost(e, INT64_MAX);
	dt_engine_finish(e);
	assert_int_equal(dt_engine_nr_requests(e), 0);
	assert_int_equal(dt_report_end(r, e, &what), 0);
	dt_report_free(r);
	doc = json_object_from_file(path);
	unlink(path);
	assert_non_null(doc);
	assert_true(json_object_object_get_ex(doc, "reads", &reads));
	assert_int_equal(json_object_array_length(reads), 50);
	assert_true(json_object_object_get_ex(json_object_array_get_idx(reads, 49), "comm", &comm));
	s = json_object_get_string(comm);
	assert_non_null(strstr(s, "\xef\xbf\xbd"));	/* U+FFFD for the bad bytes */
	assert_null(strchr(s, '\xff'));
	assert_true(json_object_object_get_ex(doc, "verdict", &comm));
	assert_string_equal(json_object_get_string(comm), "INCONCLUSIVE");
	json_object_put(doc);
	dt_engine_free(e);
}

/* a read returning INT64_MIN: the JSON "error" has no signed negation to overflow */
static void json_int64_min_return(void **state)
{
	char path[] = "/tmp/dt-report-XXXXXX";
	struct dt_engine_opts eo = { .keep_pass = true };
	struct dt_engine *e = dt_engine_new(&eo);
	struct json_object *doc, *x;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	feed_evil(e, 1, INT64_MIN);
	dt_engine_finish(e);
	assert_int_equal(dt_engine_verdict(e), DT_FAIL);
	assert_int_equal(dt_report_json(e, path), 0);
	doc = json_object_from_file(path);
	unlink(path);
	assert_non_null(doc);
	x = json_object_array_get_idx(json_object_object_get(doc, "reads"), 0);
	assert_non_null(x);
	assert_true(json_object_get_uint64(json_object_object_get(x, "error")) == 1ull << 63);
	json_object_put(doc);
	dt_engine_free(e);
}

/* the document through yajl: escapes, hostile notes made UTF-8, u64 above INT64_MAX */
static void json_writer(void **state)
{
	static const char why[] = "q\"b\\c\x01\n\x1f\xc3\xa9 \xff/";
	struct dt_engine *e = dt_engine_new(NULL);
	struct json_object *doc, *ev, *x;
	struct dt_json *j;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	dt_engine_note_inconclusive(e, why);
	dt_engine_note_skipped(e, UINT64_MAX - 1);
	dt_engine_finish(e);
	j = dt_json_new(f);
	assert_non_null(j);
	assert_int_equal(dt_report_json_head(j, dt_engine_get_opts(e)), 0);
	assert_int_equal(dt_report_json_tail(j, e), 0);
	dt_json_free(j);
	fclose(f);
	assert_non_null(strstr(buf, "\"reads\":[\n]"));
	assert_non_null(strstr(buf, "\"skipped\":18446744073709551614,"));
	doc = json_tokener_parse(buf);
	assert_non_null(doc);
	assert_true(json_object_object_get_ex(doc, "evidence", &ev));
	assert_true(json_object_object_get_ex(ev, "skipped", &x));
	assert_true(json_object_get_uint64(x) == UINT64_MAX - 1);
	x = json_object_array_get_idx(json_object_object_get(ev, "notes"), 0);
	assert_non_null(x);
	assert_string_equal(json_object_get_string(json_object_object_get(x, "why")),
			    "q\"b\\c\x01\n\x1f\xc3\xa9 \xef\xbf\xbd/");
	json_object_put(doc);
	free(buf);
	dt_engine_free(e);
}

/* one read with 2000 extents: its JSON is written in pieces and is still whole */
static void json_huge_read(void **state)
{
	struct dt_event ev = {
		.version = DT_EVENT_VERSION, .type = DT_EV_REQ_START, .pid = 9, .tid = 9,
		.ts_ns = 1, .dev = 35, .ino = 40, .cookie = 0x10, .comm = "fio",
		.req = { .len = 2000 * 4096ull, .isize = 1 << 30, .flags = DT_IOCB_DIRECT },
	};
	struct dt_engine_opts eo = { .keep_pass = true };
	struct dt_engine *e = dt_engine_new(&eo);
	struct json_object *doc, *rq, *ext;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct dt_json *j = dt_json_new(f);
	unsigned int i;

	assert_int_equal(dt_engine_feed(e, &ev), 0);
	ev.type = DT_EV_EXTENT;
	for (i = 0; i < 2000; i++) {
		ev.ts_ns++;
		ev.ext = (struct dt_extent){ .m_la = i * 4096ull, .m_llen = 4096,
					     .m_pa = i * 8192ull, .m_plen = 4096,
					     .m_flags = DT_MAP_MAPPED };
		assert_int_equal(dt_engine_feed(e, &ev), 0);
	}
	ev.type = DT_EV_REQ_END;
	ev.ts_ns++;
	ev.req.ret = ev.req.len;
	assert_int_equal(dt_engine_feed(e, &ev), 0);
	dt_engine_finish(e);
	assert_int_equal(dt_engine_nr_requests(e), 1);
	assert_int_equal(dt_report_json_head(j, dt_engine_get_opts(e)), 0);
	assert_int_equal(dt_report_json_read(j, e, dt_engine_request(e, 0)), 0);
	assert_int_equal(dt_report_json_tail(j, e), 0);
	dt_json_free(j);
	fclose(f);
	assert_true(len > 2 * (64 << 10));
	doc = json_tokener_parse(buf);
	assert_non_null(doc);
	rq = json_object_array_get_idx(json_object_object_get(doc, "reads"), 0);
	ext = json_object_object_get(rq, "extents");
	assert_int_equal(json_object_array_length(ext), 2000);
	ext = json_object_array_get_idx(ext, 1999);
	assert_true(json_object_get_uint64(json_object_object_get(ext, "m_pa")) == 1999 * 8192ull);
	json_object_put(doc);
	free(buf);
	dt_engine_free(e);
}

/* a document written out of order is an error from the generator, never a broken file */
static void json_out_of_order(void **state)
{
	struct dt_engine *e = dt_engine_new(NULL);
	struct dt_json *j;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	dt_engine_finish(e);
	j = dt_json_new(f);
	assert_non_null(j);
	assert_int_equal(dt_report_json_tail(j, e), -EINVAL);	/* no head: "]" first */
	assert_int_equal(dt_report_json_head(j, dt_engine_get_opts(e)), -EINVAL);	/* sticks */
	dt_json_free(j);
	fclose(f);
	free(buf);
	dt_engine_free(e);
}

/* an output that cannot be written is an error, never a silent success */
static void json_write_error(void **state)
{
	struct dt_report_opts ro = { .json = "/dev/full" };
	struct dt_engine_opts eo = { 0 };
	struct dt_report *r = dt_report_new(&ro);
	struct dt_engine *e;
	const char *what = NULL;

	assert_non_null(r);
	dt_report_attach(r, &eo);
	e = dt_engine_new(&eo);
	feed_evil(e, 2000, 100);
	dt_engine_finish(e);
	assert_int_equal(dt_report_end(r, e, &what), -ENOSPC);
	assert_string_equal(what, "/dev/full");
	dt_report_free(r);
	dt_engine_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_escapes_comm),
		cmocka_unit_test(json_streams_valid_utf8),
		cmocka_unit_test(json_int64_min_return),
		cmocka_unit_test(json_writer),
		cmocka_unit_test(json_out_of_order),
		cmocka_unit_test(json_huge_read),
		cmocka_unit_test(json_write_error),
	};

	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
