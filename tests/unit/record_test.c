// SPDX-License-Identifier: GPL-2.0-only
/*
 * Records (user/engine/record.h): a record cut at any byte, or failing its
 * checksum, never replays PASS or FAIL; binary and text convert into each
 * other without loss; write errors are returned; counters saturate.
 */
#include <errno.h>
#include <glob.h>
#include <zlib.h>
#include "unit.h"
#include "record.h"

static char *slurp(const char *name, size_t *len)
{
	FILE *f = open_data(name);
	char *buf = NULL;
	size_t cap = 0;
	FILE *m = open_memstream(&buf, &cap);
	char chunk[4096];
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), f)))
		fwrite(chunk, 1, n, m);
	fclose(f);
	fclose(m);
	*len = cap;
	return buf;
}

static FILE *mem_in(const char *buf, size_t len)
{
	return len ? fmemopen((void *)buf, len, "r") : fopen("/dev/null", "r");
}

/* any record in BUF rewritten in form FMT */
static char *convert(const char *buf, size_t len, enum dt_rec_format fmt, size_t *out_len)
{
	FILE *in = mem_in(buf, len), *m;
	struct dt_rec_reader *r = dt_rec_reader_new(in);
	struct dt_rec_writer *w;
	struct dt_rec_header h;
	char *out = NULL;

	m = open_memstream(&out, out_len);
	w = dt_rec_writer_new(m, fmt, true);
	assert_int_equal(dt_rec_read_header(r, &h), 0);
	if (dt_rec_copy(r, &h, w))
		print_error("convert: %s: %s\n", dt_rec_where(r), dt_rec_error(r));
	assert_int_equal(dt_rec_writer_close(w), 0);
	dt_rec_reader_free(r);
	fclose(in);
	return out;
}

/* replay BUF: the verdict, or -1 if the reader refused the input */
static int verdict_of(const char *buf, size_t len, struct dt_engine **keep)
{
	struct dt_engine *e = dt_engine_new(NULL);
	FILE *in = mem_in(buf, len);
	unsigned int line = 0;
	int r;

	assert_non_null(in);
	r = dt_evtext_replay(in, e, &line);
	fclose(in);
	dt_engine_finish(e);
	if (!r)
		r = dt_engine_verdict(e);
	else
		r = -1;
	if (keep)
		*keep = e;
	else
		dt_engine_free(e);
	return r;
}

static bool has_reason(const struct dt_engine *e, const char *what)
{
	size_t i;

	for (i = 0; dt_engine_reason(e, i); i++)
		if (strstr(dt_engine_reason(e, i), what))
			return true;
	return false;
}

/* every proper prefix of the record is INCONCLUSIVE or refused, the whole is WANT */
static void cut_everywhere(const char *buf, size_t len, enum dt_verdict want, const char *name)
{
	size_t k, inconclusive = 0;
	int v;

	assert_int_equal(verdict_of(buf, len, NULL), want);
	for (k = 0; k < len; k++) {
		v = verdict_of(buf, k, NULL);
		if (v == DT_PASS || v == DT_FAIL)
			print_error("%s cut at byte %zu of %zu replays %s\n", name, k, len,
				    dt_verdict_name(v));
		assert_true(v != DT_PASS && v != DT_FAIL);
		inconclusive += v == DT_INCONCLUSIVE;
	}
	/* cuts are replayed as far as they go, not refused */
	assert_int_equal(inconclusive, len);
}

static void cut_each(const char *file, enum dt_verdict want)
{
	size_t len, blen, tlen;
	char *legacy = slurp(file, &len);
	char *bin = convert(legacy, len, DT_REC_BINARY, &blen);
	char *text = convert(legacy, len, DT_REC_TEXT, &tlen);

	assert_true(blen > 2048 && tlen > 1024);
	cut_everywhere(bin, blen, want, "binary");
	cut_everywhere(text, tlen, want, "text");
	free(legacy);
	free(bin);
	free(text);
}

/* PASS-only streams: a cut must not PASS */
static void truncated_pass_stream_never_passes(void **state)
{
	cut_each("multi_extent.events", DT_PASS);
	cut_each("async_ooo.events", DT_PASS);
}

/*
 * A stream with a FAIL request: a cut must not FAIL either (the engine's
 * dt_engine_note_truncated() forces INCONCLUSIVE over a FAIL).
 */
static void truncated_fail_stream_never_fails(void **state)
{
	cut_each("wrong_offset.events", DT_FAIL);
}

/* a cut number must not read as a smaller one: "ret=4096" cut to "ret=40" */
static void cut_number_is_not_a_number(void **state)
{
	size_t len, tlen;
	char *legacy = slurp("rfc_eio.events", &len);
	char *text = convert(legacy, len, DT_REC_TEXT, &tlen);
	char *p = strstr(text, "req_end");
	struct dt_engine *e;

	assert_non_null(p);
	p = strstr(p, " ret=");
	assert_non_null(p);
	assert_int_equal(verdict_of(text, p + 7 - text, &e), DT_INCONCLUSIVE);
	assert_true(has_reason(e, "cut short (no newline)"));
	dt_engine_free(e);
	/* a legacy stream is not crash-checked, but a last line without newline is a cut */
	assert_int_equal(verdict_of(legacy, len - 1, &e), DT_INCONCLUSIVE);
	assert_true(has_reason(e, "record truncated at byte"));
	dt_engine_free(e);
	assert_int_equal(verdict_of(legacy, len, NULL), DT_FAIL);
	free(legacy);
	free(text);
}

/* binary record heads: u16 kind, u16 0, u32 length */
static uint32_t rec_len(const char *p)
{
	uint32_t len;

	memcpy(&len, p + 4, 4);
	return len;
}

static void flipped_byte_fails_checksum(void **state)
{
	size_t len, blen, tlen, i, events = 0;
	char *legacy = slurp("clean_dio.events", &len);
	char *bin = convert(legacy, len, DT_REC_BINARY, &blen);
	char *text = convert(legacy, len, DT_REC_TEXT, &tlen);
	struct dt_engine *e;
	char *p;

	assert_int_equal(verdict_of(bin, blen, NULL), DT_PASS);
	/* a comm byte of every event in turn: still a valid event, not the recorded one */
	for (i = 32; i + 8 < blen; i += 8 + ((rec_len(bin + i) + 7) & ~7u)) {
		if (bin[i] != DT_RI_EVENT)
			continue;
		events++;
		bin[i + 8 + offsetof(struct dt_event, comm)] ^= 0x01;
		assert_int_equal(verdict_of(bin, blen, &e), DT_INCONCLUSIVE);
		assert_true(has_reason(e, "checksum mismatch"));
		dt_engine_free(e);
		bin[i + 8 + offsetof(struct dt_event, comm)] ^= 0x01;
	}
	assert_int_equal(events, 13);
	/* a digit in the text form */
	p = strstr(text, "ret=65536");
	assert_non_null(p);
	p[8] = '7';
	assert_int_equal(verdict_of(text, tlen, &e), DT_INCONCLUSIVE);
	assert_true(has_reason(e, "checksum mismatch"));
	dt_engine_free(e);
	p[8] = '6';
	/* the event count of the end marker */
	p = strstr(text, "!end events=13 ");
	assert_non_null(p);
	p[13] = '4';
	assert_int_equal(verdict_of(text, tlen, &e), DT_INCONCLUSIVE);
	assert_true(has_reason(e, "the end marker says 14 events, the record holds 13"));
	dt_engine_free(e);
	p[13] = '3';
	assert_int_equal(verdict_of(text, tlen, NULL), DT_PASS);
	free(legacy);
	free(bin);
	free(text);
}

/* every stream in tests/data: legacy -> binary -> text -> binary, same bytes, same verdict */
static void binary_text_round_trip(void **state)
{
	glob_t g;
	size_t i;

	data_streams(&g);
	for (i = 0; i < g.gl_pathc; i++) {
		const char *name = strrchr(g.gl_pathv[i], '/') + 1;
		size_t len, b1, t1, b2, t2;
		char *legacy = slurp(name, &len);
		char *bin = convert(legacy, len, DT_REC_BINARY, &b1);
		char *text = convert(bin, b1, DT_REC_TEXT, &t1);
		char *bin2 = convert(text, t1, DT_REC_BINARY, &b2);
		char *text2 = convert(bin2, b2, DT_REC_TEXT, &t2);
		int v = verdict_of(legacy, len, NULL);

		assert_true(v >= 0);
		assert_int_equal(b1, b2);
		assert_memory_equal(bin, bin2, b1);
		assert_int_equal(t1, t2);
		assert_memory_equal(text, text2, t1);
		if (verdict_of(bin, b1, NULL) != v || verdict_of(text, t1, NULL) != v)
			print_error("%s: verdict changes in conversion\n", name);
		assert_int_equal(verdict_of(bin, b1, NULL), v);
		assert_int_equal(verdict_of(text, t1, NULL), v);
		free(legacy);
		free(bin);
		free(text);
		free(bin2);
		free(text2);
	}
	globfree(&g);
}

/* the header, every note kind and the probe table survive both forms */
static void every_item_round_trips(void **state)
{
	static const uint64_t cnt[DT_CNT_MAX] = { 10, 2, 7, 1, 0, UINT64_MAX };
	enum dt_rec_format fmts[] = { DT_REC_BINARY, DT_REC_TEXT };
	struct dt_rec_header h = { .page_size = 16384, .flags = DT_REC_F_STAMPED }, h2;
	struct dt_event ev = { .version = DT_EVENT_VERSION, .type = DT_EV_PC_ADD, .ts_ns = 5,
			       .drops = 3, .pc = { .index = 9, .nr_pages = 4 } };
	struct dt_rec_item it;
	unsigned int f;

	h.roles[DT_ROLE_REQ].state = DT_REC_ROLE_BOUND;
	strcpy(h.roles[DT_ROLE_REQ].text, "fentry erofs_file_read_iter");
	h.roles[DT_ROLE_DIO].state = DT_REC_ROLE_UNBOUND;
	strcpy(h.roles[DT_ROLE_DIO].text, "fentry: EPERM; kprobe: none");
	for (f = 0; f < 2; f++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len), *in;
		struct dt_rec_writer *w = dt_rec_writer_new(m, fmts[f], true);
		struct dt_rec_reader *r;

		assert_int_equal(dt_rec_write_header(w, &h), 0);
		assert_int_equal(dt_rec_write_event(w, &ev), 0);
		assert_int_equal(dt_rec_write_counters(w, cnt), 0);
		assert_int_equal(dt_rec_write_lost(w, 42), 0);
		assert_int_equal(dt_rec_write_inconclusive(w, "two\nlines"), 0);
		assert_int_equal(dt_rec_write_pc_outside(w, (254ull << 20) | 3, 12, true, 4096, 8192), 0);
		assert_int_equal(dt_rec_write_role(w, DT_ROLE_OPEN, false, "no syscall tracepoint"), 0);
		assert_int_equal(dt_rec_writer_events(w), 1);
		assert_int_equal(dt_rec_write_end(w), 0);
		assert_int_equal(dt_rec_write_lost(w, 1), -EINVAL);	/* after the end */
		assert_int_equal(dt_rec_writer_close(w), -EINVAL);

		in = fmemopen(buf, len, "r");
		r = dt_rec_reader_new(in);
		assert_int_equal(dt_rec_read_header(r, &h2), 0);
		assert_int_equal(h2.format, fmts[f]);
		assert_int_equal(h2.page_size, 16384);
		assert_int_equal(h2.flags, DT_REC_F_STAMPED);
		assert_memory_equal(h.roles, h2.roles, sizeof(h.roles));
		assert_int_equal(dt_rec_next(r, &it), 1);
		assert_int_equal(it.kind, DT_RI_EVENT);
		assert_memory_equal(it.ev, &ev, sizeof(ev));
		assert_int_equal(dt_rec_next(r, &it), 1);
		assert_int_equal(it.kind, DT_RI_COUNTERS);
		assert_memory_equal(it.cnt, cnt, sizeof(cnt));
		assert_int_equal(dt_rec_next(r, &it), 1);
		assert_int_equal(it.lost, 42);
		assert_int_equal(dt_rec_next(r, &it), 1);
		assert_string_equal(it.text, "two lines");
		assert_int_equal(dt_rec_next(r, &it), 1);
		assert_int_equal(it.kind, DT_RI_PC_OUTSIDE);
		assert_true(it.pc.dev == ((254ull << 20) | 3) && it.pc.ino == 12 && it.pc.erofs &&
			    it.pc.added == 4096 && it.pc.deleted == 8192);
		assert_int_equal(dt_rec_next(r, &it), 1);
		assert_int_equal(it.kind, DT_RI_ROLE);
		assert_int_equal(it.role.role, DT_ROLE_OPEN);
		assert_false(it.role.bound);
		assert_string_equal(it.text, "no syscall tracepoint");
		assert_int_equal(dt_rec_next(r, &it), 0);
		assert_false(dt_rec_truncated(r));
		assert_int_equal(dt_rec_nr_events(r), 1);
		dt_rec_reader_free(r);
		fclose(in);
		free(buf);
	}
}

static void write_errors_are_returned(void **state)
{
	struct dt_event ev = { .version = DT_EVENT_VERSION, .type = DT_EV_REQ_START };
	struct dt_rec_header h = { 0 };
	enum dt_rec_format fmts[] = { DT_REC_BINARY, DT_REC_TEXT };
	struct dt_rec_writer *w;
	unsigned int f, i;
	FILE *full;

	for (f = 0; f < 2; f++) {
		/* buffered: the error shows at the latest when the end marker is flushed */
		w = dt_rec_writer_create("/dev/full", fmts[f]);
		assert_non_null(w);
		assert_int_equal(dt_rec_write_header(w, &h), 0);
		for (i = 0; i < 3; i++)
			dt_rec_write_event(w, &ev);
		assert_int_equal(dt_rec_write_end(w), -ENOSPC);
		assert_int_equal(dt_rec_writer_close(w), -ENOSPC);

		/* unbuffered: the first write fails, and every one after it */
		full = fopen("/dev/full", "w");
		setvbuf(full, NULL, _IONBF, 0);
		w = dt_rec_writer_new(full, fmts[f], true);
		assert_int_equal(dt_rec_write_header(w, &h), -ENOSPC);
		assert_int_equal(dt_rec_write_event(w, &ev), -ENOSPC);
		assert_int_equal(dt_rec_write_end(w), -ENOSPC);
		assert_int_equal(dt_rec_writer_close(w), -ENOSPC);
	}
	assert_null(dt_rec_writer_create("/nonexistent-dir/x.rec", DT_REC_BINARY));
	assert_int_equal(errno, ENOENT);
	/* the old line writers report errors too */
	full = fopen("/dev/full", "w");
	setvbuf(full, NULL, _IONBF, 0);
	assert_int_equal(dt_evtext_write(full, &ev), -ENOSPC);
	assert_int_equal(dt_evtext_write_lost(full, 1), -ENOSPC);
	fclose(full);
}

/* two "!lost 2^63" must not add up to 0 */
static void lost_saturates(void **state)
{
	size_t len;
	char *legacy = slurp("clean_dio.events", &len);
	static const char tail[] = "!lost 9223372036854775808\n!lost 9223372036854775808\n";
	char *buf = malloc(len + sizeof(tail));
	struct dt_engine *e;

	memcpy(buf, legacy, len);
	memcpy(buf + len, tail, sizeof(tail));
	assert_int_equal(verdict_of(buf, len, NULL), DT_PASS);
	assert_int_equal(verdict_of(buf, len + sizeof(tail) - 1, &e), DT_INCONCLUSIVE);
	assert_true(dt_engine_stats(e)->lost == UINT64_MAX);
	assert_true(has_reason(e, "saturated"));
	dt_engine_free(e);
	free(buf);
	free(legacy);
}

static const struct {
	const char *text;
	const char *err;
} bad_records[] = {
	{ "req_start ts=1\n!format erofs-diotrace 1\n", "'!format' is only valid as the first line" },
	{ "req_start ts=1\n!end events=1 crc=00000000\n", "'!end' in a stream without a '!format'" },
	{ "!format erofs-diotrace 2\n", "text record format 2 is not supported" },
	{ "!format other 1\n", "is not an erofs-diotrace record" },
	{ "!format erofs-diotrace 1 page=4k\n", "bad word 'page=4k'" },
	{ "!format erofs-diotrace 1 stamped=1\nreq_start ts=1 v=1\n", "a v=1 event" },
	{ "!format erofs-diotrace 1\n!end events=0 crc=1234567\n", "bad end marker" },
	{ "!format erofs-diotrace 1\n!end events=0 crc=8e56e4a1\nreq_start ts=1\n",
	  "data after the end marker" },
	{ "\x89" "DTREC\r\n\x01\x02\x03\x04\x00\x01\x00\x20\x00\x02\x00\xb0"
	  "\0\0\0\0\0\0\0\0\0\0\0\0", "other byte order" },
	{ "\x89" "DTRXC\r\n\x04\x03\x02\x01\x01\x00\x20\x00\x02\x00\xb0\x00"
	  "\0\0\0\0\0\0\0\0\0\0\0\0", "bad magic" },
	{ "\x89" "DTREC\r\n\x04\x03\x02\x01\x02\x00\x20\x00\x02\x00\xb0\x00"
	  "\0\0\0\0\0\0\0\0\0\0\0\0", "record format 2 is not supported" },
	{ "\x89" "DTREC\r\n\x04\x03\x02\x01\x01\x00\x20\x00\x01\x00\xb0\x00"
	  "\0\0\0\0\0\0\0\0\0\0\0\0", "event format v1" },
};

static void bad_records_are_refused(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(bad_records) / sizeof(bad_records[0]); i++) {
		const char *t = bad_records[i].text;
		size_t len = t[0] == '\x89' ? 32 : strlen(t);
		struct dt_engine *e = dt_engine_new(NULL);
		unsigned int line = 0;
		FILE *in = fmemopen((void *)t, len, "r");
		int r = dt_evtext_replay(in, e, &line);

		if (r != -EINVAL || !strstr(dt_evtext_error(), bad_records[i].err))
			print_error("record %zu: got %d '%s', wanted '%s'\n", i, r,
				    dt_evtext_error(), bad_records[i].err);
		assert_int_equal(r, -EINVAL);
		assert_non_null(strstr(dt_evtext_error(), bad_records[i].err));
		fclose(in);
		dt_engine_free(e);
	}
}

/* a complete empty record is fine; an empty file or a bare header is a cut */
static void empty_and_header_only(void **state)
{
	static const char whole[] = "!format erofs-diotrace 1\n!end events=0 crc=%08x\n";
	char buf[128];
	struct dt_engine *e;

	assert_int_equal(verdict_of("", 0, &e), DT_INCONCLUSIVE);
	assert_true(has_reason(e, "byte 0: empty stream"));
	dt_engine_free(e);
	assert_int_equal(verdict_of(whole, 25, &e), DT_INCONCLUSIVE);
	assert_true(has_reason(e, "byte 25: no end marker after 0 events"));
	dt_engine_free(e);
	snprintf(buf, sizeof(buf), whole, (unsigned int)crc32(0, (const void *)whole, 25));
	verdict_of(buf, strlen(buf), &e);	/* no reads: the engine's call, not a cut */
	assert_false(has_reason(e, "truncated"));
	dt_engine_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(truncated_pass_stream_never_passes),
		cmocka_unit_test(truncated_fail_stream_never_fails),
		cmocka_unit_test(cut_number_is_not_a_number),
		cmocka_unit_test(flipped_byte_fails_checksum),
		cmocka_unit_test(binary_text_round_trip),
		cmocka_unit_test(every_item_round_trips),
		cmocka_unit_test(write_errors_are_returned),
		cmocka_unit_test(lost_saturates),
		cmocka_unit_test(bad_records_are_refused),
		cmocka_unit_test(empty_and_header_only),
	};

	return cmocka_run_group_tests_name("record", tests, NULL, NULL);
}
