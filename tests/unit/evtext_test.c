// SPDX-License-Identifier: GPL-2.0-only
/*
 * Recorded streams: write and read back give the same bytes; a bad line is
 * an error naming the line and the problem; directives reach the engine.
 */
#include <errno.h>
#include <glob.h>
#include <unistd.h>
#include "unit.h"

static struct dt_event base(unsigned int type)
{
	struct dt_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.version = DT_EVENT_VERSION;
	ev.type = type;
	ev.source = DT_SRC_FENTRY;
	ev.cpu = 1;
	ev.pid = 4242;
	ev.tid = 4243;
	ev.ts_ns = 123456789012345ull;
	ev.dev = (254ull << 20) | 17;
	ev.ino = 40;
	ev.cookie = 0xffffc90000a3fd48ull;
	strcpy(ev.comm, "Web Content%#");
	return ev;
}

static size_t sample(struct dt_event *v)
{
	size_t n = 0;

	v[n] = base(DT_EV_REQ_START);
	v[n].req = (struct dt_req){ .pos = -1, .len = 1ull << 40, .isize = UINT64_MAX,
				    .flags = DT_IOCB_DIRECT | 0x3, .fd = ~0u };
	n++;
	v[n] = base(DT_EV_REQ_END);
	v[n].req = (struct dt_req){ .pos = 4096, .len = 4096, .ret = -EIO, .fd = 3 };
	n++;
	v[n] = base(DT_EV_DIO_END);
	v[n].dio = (struct dt_dio){ .pos = 8, .count = 9, .total = UINT64_MAX, .done = 0,
				    .ret = INT64_MIN, .isize = 3145828 };
	n++;
	v[n] = base(DT_EV_EXTENT);
	v[n].ext = (struct dt_extent){ .m_la = 1, .m_pa = 2, .m_llen = 3, .m_plen = 4,
				       .m_flags = DT_MAP_MAPPED | DT_MAP_META | 0x80,
				       .m_deviceid = 2, .err = -117 };
	n++;
	v[n] = base(DT_EV_BACKING_RET);
	v[n].source = DT_SRC_KPROBE;
	v[n].bk = (struct dt_backing){ .rq = UINT64_MAX - 1, .pos = INT64_MAX, .len = 5,
				       .ret = -529, .flags = DT_IOCB_DIRECT };
	n++;
	v[n] = base(DT_EV_PC_ADD);
	v[n].source = DT_SRC_TRACEPOINT;
	v[n].pc = (struct dt_pc){ .index = 77, .nr_pages = 512, .is_erofs = 1 };
	n++;
	v[n] = base(DT_EV_OPEN);
	v[n].source = DT_SRC_SYSCALL;
	memset(v[n].comm, 0, sizeof(v[n].comm));
	memset(v[n].comm, 'x', DT_COMM_LEN);	/* full, no NUL */
	v[n].open.flags = DT_O_DIRECT | 2;
	v[n].open.ret = -22;
	strcpy(v[n].open.path, "/mnt/erofs/a dir/\xc3\xa9t\xc3\xa9\t100%");
	n++;
	v[n] = base(DT_EV_BACKING_DONE);
	v[n].cpu = 0;
	v[n].pid = v[n].tid = 0;
	v[n].cookie = 0;
	v[n].dev = 0;
	memset(v[n].comm, 0, sizeof(v[n].comm));
	n++;
	return n;
}

static void round_trip_every_type(void **state)
{
	struct dt_event in[16], out;
	size_t n = sample(in), i;
	unsigned int line = 0;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	for (i = 0; i < n; i++)
		assert_int_equal(dt_evtext_write(f, &in[i]), 0);
	fclose(f);
	f = fmemopen(buf, len, "r");
	for (i = 0; i < n; i++) {
		assert_int_equal(dt_evtext_read(f, &out, &line), 1);
		if (memcmp(&in[i], &out, sizeof(out)))
			print_error("line %u differs after the round trip:\n%s", line, buf);
		assert_memory_equal(&in[i], &out, sizeof(out));
	}
	assert_int_equal(dt_evtext_read(f, &out, &line), 0);
	assert_int_equal(line, n);
	fclose(f);
	free(buf);
}

/* every recorded stream in tests/data survives write + read unchanged */
static void round_trip_data_files(void **state)
{
	glob_t g;
	size_t i;

	data_streams(&g);
	for (i = 0; i < g.gl_pathc; i++) {
		FILE *in = fopen(g.gl_pathv[i], "r"), *mem, *back;
		struct dt_event a, b;
		unsigned int l1 = 0, l2 = 0, n = 0;
		char *buf = NULL;
		size_t len = 0;
		int r;

		assert_non_null(in);
		mem = open_memstream(&buf, &len);
		while ((r = dt_evtext_read(in, &a, &l1)) == 1) {
			assert_int_equal(dt_evtext_write(mem, &a), 0);
			n++;
		}
		if (r)
			print_error("%s:%u: %s\n", g.gl_pathv[i], l1, dt_evtext_error());
		assert_int_equal(r, 0);
		assert_true(n > 0);
		fclose(mem);
		rewind(in);
		l1 = 0;
		back = fmemopen(buf, len, "r");
		while (dt_evtext_read(in, &a, &l1) == 1) {
			assert_int_equal(dt_evtext_read(back, &b, &l2), 1);
			assert_memory_equal(&a, &b, sizeof(a));
		}
		assert_int_equal(dt_evtext_read(back, &b, &l2), 0);
		fclose(back);
		fclose(in);
		free(buf);
	}
	globfree(&g);
}

static const struct {
	const char *line;
	const char *err;
} bad_lines[] = {
	{ "reqstart ts=1", "unknown event type 'reqstart'" },
	{ "req_start ts=abc", "bad value in 'ts=abc'" },
	{ "req_start ts=-1", "bad value" },
	{ "req_start ts=99999999999999999999", "bad value" },
	{ "req_start tx=1", "unknown key 'tx'" },
	{ "req_start m_la=1", "unknown key 'm_la'" },
	{ "req_start ts", "not key=value" },
	{ "req_start =5", "not key=value" },
	{ "extent m_flags=MAPPED|BOGUS", "bad value" },
	{ "pc_add nr=4294967296", "bad value" },
	{ "pc_add cpu=65536", "bad value" },
	{ "extent err=-2147483649", "bad value" },
	{ "req_end ret=-ENOSUCH", "bad value" },
	{ "req_start dev=4096:1", "bad value" },
	{ "req_start comm=abcdefghijklmnopq", "bad value" },
	{ "req_start comm=a%zz", "bad value" },
	{ "req_start v=3", "not supported" },
	{ "!lost", "needs a count" },
	{ "!lost many", "needs a count" },
	{ "!unbound nosuchrole because", "need a role name" },
	{ "!bound", "need a role name" },
	{ "!frobnicate", "unknown directive" },
	/* strict numbers: no wrap, no sign where none belongs, no trailing junk */
	{ "req_start ts=18446744073709551616", "bad value" },
	{ "req_start ts=0x10000000000000000", "bad value" },
	{ "req_start ts=0x", "bad value" },
	{ "req_start ts=", "bad value" },
	{ "req_start ts=+5", "bad value" },
	{ "req_start ts=5x", "bad value" },
	{ "req_start ts=1K2", "bad value" },
	{ "req_start ts=17179869184G", "bad value" },
	{ "req_start ts=??", "bad value" },
	{ "req_start pos=9223372036854775808", "bad value" },
	{ "req_start pos=-9223372036854775809", "bad value" },
	{ "req_start pos=--5", "bad value" },
	{ "req_start pos=-?", "bad value" },
	{ "req_start dev=1:", "bad value" },
	{ "req_start dev=:1", "bad value" },
	{ "req_start dev=1:1048576", "bad value" },
	{ "req_start comm=a%4", "bad value" },
	{ "req_start src=fentryx", "bad value" },
	{ "req_start flags=DIRECT|", "bad value" },
	{ "!lost 18446744073709551616", "needs a count" },
	{ "!lost 5 6", "needs a count" },
	{ "!lost ?", "needs a count" },
	{ "!counters reads=1 bogus=2", "unknown word 'bogus=2'" },
	{ "!counters reads=-1", "bad number" },
	{ "!pc_outside dev=1:2 ino=3 erofs=2", "erofs= is 0 or 1" },
};

/* the extreme values that are valid read back exactly */
static void numbers_at_the_limits(void **state)
{
	static const char text[] =
		"req_end ts=18446744073709551615 pos=-9223372036854775808 len=0xffffffffffffffff "
		"ret=9223372036854775807 isize=16G fd=4294967295 dev=4095:1048575 pid=0x10\n";
	struct dt_event ev;
	unsigned int line = 0;
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");

	assert_int_equal(dt_evtext_read(f, &ev, &line), 1);
	if (ev.ts_ns != UINT64_MAX)
		print_error("%s\n", dt_evtext_error());
	assert_true(ev.ts_ns == UINT64_MAX);
	assert_true(ev.req.pos == INT64_MIN);
	assert_true(ev.req.len == UINT64_MAX);
	assert_true(ev.req.ret == INT64_MAX);
	assert_true(ev.req.isize == 16ull << 30);
	assert_int_equal(ev.req.fd, UINT32_MAX);
	assert_true(ev.dev == ((4095ull << 20) | 1048575));
	assert_int_equal(ev.pid, 16);
	fclose(f);
}

static void bad_line_is_named(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++) {
		char text[512];
		struct dt_event ev;
		unsigned int line = 0;
		struct dt_engine *e = dt_engine_new(NULL);
		FILE *f;

		/* two good lines, a comment and a blank line first: the bad one is line 5 */
		snprintf(text, sizeof(text), "req_start ts=1 tid=2\n# c\n\n  pc_add ts=2 nr=1 # x\n%s\n"
			 "req_end ts=3\n", bad_lines[i].line);
		f = fmemopen(text, strlen(text), "r");
		assert_int_equal(dt_evtext_replay(f, e, &line), -EINVAL);
		if (!strstr(dt_evtext_error(), bad_lines[i].err))
			print_error("'%s': got '%s', wanted '%s'\n", bad_lines[i].line,
				    dt_evtext_error(), bad_lines[i].err);
		assert_non_null(strstr(dt_evtext_error(), bad_lines[i].err));
		assert_int_equal(line, 5);
		fclose(f);

		if (bad_lines[i].line[0] != '!') {	/* read fails on it too */
			f = fmemopen(text, strlen(text), "r");
			line = 0;
			assert_int_equal(dt_evtext_read(f, &ev, &line), 1);
			assert_int_equal(dt_evtext_read(f, &ev, &line), 1);
			assert_int_equal(dt_evtext_read(f, &ev, &line), -EINVAL);
			assert_int_equal(line, 5);
			fclose(f);
		}
		dt_engine_free(e);
	}
}

static void directives_reach_engine(void **state)
{
	static const char text[] =
		"!lost 2\n!lost 0x10\n"
		"!unbound dio fentry: EPERM; no kprobes # not a comment here\n"
		"!unbound pc_del\n"
		"!bound req fentry erofs_file_read_iter\n"
		"!inconclusive no BTF for the backing filesystem\n";
	struct dt_engine *e = dt_engine_new(NULL);
	char *buf = NULL;
	size_t len = 0, i;
	unsigned int line = 0;
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");
	bool found = false;
	struct dt_event ev;

	assert_int_equal(dt_evtext_replay(f, e, &line), 0);
	fclose(f);
	dt_engine_finish(e);
	assert_int_equal(dt_engine_stats(e)->lost, 18);
	for (i = 0; dt_engine_reason(e, i); i++)
		found |= !!strstr(dt_engine_reason(e, i), "no BTF for the backing filesystem");
	assert_true(found);
	assert_verdict(e, DT_INCONCLUSIVE);
	f = open_memstream(&buf, &len);
	dt_report_text(e, f, false);
	fclose(f);
	assert_non_null(strstr(buf, "UNBOUND   fentry: EPERM; no kprobes # not a comment here"));
	assert_non_null(strstr(buf, "pc_del          UNBOUND   no program could be attached"));
	assert_non_null(strstr(buf, "req             bound     0 events, by fentry erofs_file_read_iter"));
	free(buf);
	dt_engine_free(e);

	/* dt_evtext_read skips directives; the writers produce what replay reads */
	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_int_equal(dt_evtext_write_lost(f, 7), 0);
	assert_int_equal(dt_evtext_write_unbound(f, DT_ROLE_BACKING_DONE, "no\nkprobes"), 0);
	assert_int_equal(dt_evtext_write_inconclusive(f, "why"), 0);
	assert_int_equal(dt_evtext_write_bound(f, DT_ROLE_DIO, "fentry erofs_fileio_direct_io"), 0);
	fclose(f);
	assert_string_equal(buf, "!lost 7\n!unbound backing_done no kprobes\n!inconclusive why\n"
			    "!bound dio fentry erofs_fileio_direct_io\n");
	f = fmemopen(buf, len, "r");
	line = 0;
	assert_int_equal(dt_evtext_read(f, &ev, &line), 0);
	assert_int_equal(line, 4);
	fclose(f);
	free(buf);
}

static void writer_refuses_bad_events(void **state)
{
	struct dt_event ev = base(DT_EV_MAX);
	FILE *f = fopen("/dev/null", "w");

	assert_int_equal(dt_evtext_write(f, &ev), -EINVAL);
	ev = base(DT_EV_PC_DEL);
	ev.version = DT_EVENT_VERSION + 1;
	assert_int_equal(dt_evtext_write(f, &ev), -EINVAL);
	ev.version = DT_EVENT_VERSION;
	assert_int_equal(dt_evtext_write(f, &ev), 0);
	fclose(f);
}

static void json_report_has_stable_keys(void **state)
{
	struct dt_engine *e = replay("rfc_eio.events", NULL);
	char path[] = "/tmp/dt-json-XXXXXX";
	int fd = mkstemp(path);
	char buf[65536];
	FILE *f;
	size_t n;

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(dt_report_json(e, path), 0);
	f = fopen(path, "r");
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	unlink(path);
	assert_non_null(strstr(buf, "\"version\":1"));
	assert_non_null(strstr(buf, "\"verdict\":\"FAIL\""));
	assert_non_null(strstr(buf, "\"done_total\":{"));
	assert_non_null(strstr(buf, "\"backing_submitted\":1048576"));
	assert_non_null(strstr(buf, "\"error\":\"EIO\""));
	dt_engine_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip_every_type),
		cmocka_unit_test(round_trip_data_files),
		cmocka_unit_test(bad_line_is_named),
		cmocka_unit_test(numbers_at_the_limits),
		cmocka_unit_test(directives_reach_engine),
		cmocka_unit_test(writer_refuses_bad_events),
		cmocka_unit_test(json_report_has_stable_keys),
	};

	return cmocka_run_group_tests_name("evtext", tests, NULL, NULL);
}
