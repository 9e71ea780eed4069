// SPDX-License-Identifier: GPL-2.0-only
/*
 * The framing of the text form: a "!format erofs-diotrace 1 ..." first
 * line, the probe table as !bound/!unbound lines, items one per line, and
 * "!end events=N crc=XXXXXXXX" as the last line, the CRC32 taken over every
 * byte before that line.  A stream whose first line is not !format is a
 * legacy (hand-written) stream: read the same way, without the record
 * checks, except that a last line without its newline is a cut.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "evtext.h"
#include "record_int.h"

#define FORMAT_WORD	"!format"
#define FORMAT_NAME	"erofs-diotrace"

/*
 * 1: a whole line at *s, *n bytes before its '\n'; 0: the stream ends (a
 * cut line if r->pos < r->end); <0: error.
 */
static int get_line(struct dt_rec_reader *r, char **s, size_t *n)
{
	size_t scan = 0;
	char *nl;
	int err;

	for (;;) {
		nl = memchr(r->buf + r->pos + scan, '\n', r->end - r->pos - scan);
		if (nl) {
			*s = r->buf + r->pos;
			*n = nl - *s;
			return 1;
		}
		scan = r->end - r->pos;
		if (r->eof)
			return 0;
		if (scan >= DT_REC_LINE_MAX)
			return dt_rec_bad(r, -EINVAL, "line %u is longer than %u bytes; is this a "
					  "record?", r->lineno + 1, DT_REC_LINE_MAX);
		err = dt_rec_fill(r, scan + 1);
		if (err)
			return err;
	}
}

/*
 * The line at S (N bytes) is read.  The checksum runs over whole buffers
 * (dt_rec_fill, the end marker), so lines in the buffer are never changed:
 * what needs changing is parsed in a copy.
 */
static void consume(struct dt_rec_reader *r, char *s, size_t n)
{
	r->pos = s - r->buf + n + 1;
	r->lineno++;
}

/* a copy of the line at S, NUL-terminated, or NULL when out of memory */
static char *copy_line(struct dt_rec_reader *r, const char *s, size_t n)
{
	if (!r->line && !(r->line = malloc(DT_REC_LINE_MAX + 1)))
		return NULL;
	memcpy(r->line, s, n);
	r->line[n] = '\0';
	return r->line;
}

static int word_is(const char *s, size_t n, const char *w)
{
	size_t l = strlen(w);

	return n >= l && !memcmp(s, w, l) && (n == l || s[l] == ' ' || s[l] == '\t');
}

static int parse_u32(const char *s, const char *key, uint32_t max, uint32_t *v)
{
	size_t l = strlen(key);
	char *end;
	unsigned long n;

	if (strncmp(s, key, l) || s[l] < '0' || s[l] > '9')
		return 0;
	errno = 0;
	n = strtoul(s + l, &end, 10);
	if (errno || *end || n > max)
		return -1;
	*v = n;
	return 1;
}

static int format_line(struct dt_rec_reader *r, char *s, size_t n, struct dt_rec_header *h)
{
	uint32_t version = 0, event = DT_EVENT_VERSION, stamped = 0;
	char *tok, *save = NULL;
	int i = 0, k;

	s[n] = '\0';
	for (tok = strtok_r(s, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save), i++) {
		if (i == 0)
			continue;	/* "!format" */
		if (i == 1 && strcmp(tok, FORMAT_NAME))
			return dt_rec_bad(r, -EINVAL, "'!format %.64s' is not an erofs-diotrace "
					  "record", tok);
		if (i == 1)
			continue;
		if (i == 2) {
			if (parse_u32(tok, "", 1000, &version) <= 0)
				return dt_rec_bad(r, -EINVAL, "'!format': bad version '%.64s'", tok);
			if (version != DT_REC_VERSION)
				return dt_rec_bad(r, -EINVAL, "text record format %u is not "
						  "supported (this build reads format %u)",
						  version, DT_REC_VERSION);
			continue;
		}
		k = parse_u32(tok, "event=", 2, &event);
		if (!k)
			k = parse_u32(tok, "page=", 1u << 30, &h->page_size);
		if (!k)
			k = parse_u32(tok, "stamped=", 1, &stamped);
		if (k <= 0 || !event)
			return dt_rec_bad(r, -EINVAL, "'!format': bad word '%.64s' (known: event=1|2 "
					  "page=BYTES stamped=0|1)", tok);
	}
	if (!version)
		return dt_rec_bad(r, -EINVAL, "'!format' needs '" FORMAT_NAME " VERSION'");
	if (stamped && event != DT_EVENT_VERSION)
		return dt_rec_bad(r, -EINVAL, "'!format': only event=2 carries loss stamps");
	h->flags = r->flags = stamped ? DT_REC_F_STAMPED : 0;
	return 0;
}

/*
 * The probe table: the !bound/!unbound lines before any other item go into
 * the header (legacy streams: after the opening comments), each role once.
 */
static int header_roles(struct dt_rec_reader *r, struct dt_rec_header *h)
{
	char line[DT_REC_TEXT_MAX + 64];
	struct dt_rec_item it;
	size_t n, b;
	char *s;
	bool v1;
	int k;

	while ((k = get_line(r, &s, &n)) > 0) {
		b = strspn(s, " \t");
		if (b == n || s[b] == '#') {
			consume(r, s, n);
			continue;
		}
		if (!word_is(s + b, n - b, "!bound") && !word_is(s + b, n - b, "!unbound"))
			break;
		if (n >= sizeof(line))
			break;
		memcpy(line, s, n);	/* parsed apart: the line stays as read for the CRC */
		line[n] = '\0';
		k = dt_evtext_parse(line, n, &it, &r->ev, &v1);
		/* a bad line is named by dt_rec_text_next(), a second word on a role is an item */
		if (k != 1 || h->roles[it.role.role].state) {
			k = 0;
			break;
		}
		consume(r, s, n);
		h->roles[it.role.role].state = it.role.bound ? DT_REC_ROLE_BOUND :
							       DT_REC_ROLE_UNBOUND;
		snprintf(h->roles[it.role.role].text, DT_REC_TEXT_MAX, "%s", it.text);
	}
	return k < 0 ? k : 0;
}

int dt_rec_text_header(struct dt_rec_reader *r, struct dt_rec_header *h)
{
	size_t avail = r->end - r->pos, l = strlen(FORMAT_WORD);
	size_t n;
	char *s;
	int k;

	if (avail < l + 1 && r->eof && !memcmp(r->buf + r->pos, FORMAT_WORD " ", avail)) {
		r->fmt = DT_REC_TEXT;
		dt_rec_cut(r, r->base + r->end, "cut inside the !format line");
		return 0;
	}
	if (!word_is(r->buf + r->pos, avail, FORMAT_WORD)) {
		r->fmt = DT_REC_LEGACY;
		return header_roles(r, h);
	}
	r->fmt = DT_REC_TEXT;
	k = get_line(r, &s, &n);
	if (k < 0)
		return k;
	if (!k) {
		dt_rec_cut(r, r->base + r->end, "cut inside the !format line");
		return 0;
	}
	consume(r, s, n);
	s = copy_line(r, s, n);
	if (!s)
		return dt_rec_bad(r, -ENOMEM, "out of memory");
	k = format_line(r, s, n, h);
	return k ? k : header_roles(r, h);
}

static int hex8(const char *s, uint32_t *v)
{
	int i;

	*v = 0;
	for (i = 0; i < 8; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9')
			*v = *v << 4 | (c - '0');
		else if (c >= 'a' && c <= 'f')
			*v = *v << 4 | (c - 'a' + 10);
		else
			return -1;
	}
	return 0;
}

/* "!end events=N crc=XXXXXXXX", nothing more, nothing after */
static int text_end(struct dt_rec_reader *r, char *s, size_t n)
{
	uint64_t off = r->base + (s - r->buf), events = 0;
	size_t i = strlen("!end events="), digits = 0;
	uint32_t crc;
	int err;

	dt_rec_crc_to(r, s - r->buf);
	r->lineno++;
	if (n < i || memcmp(s, "!end events=", i))
		goto bad;
	for (; i < n && s[i] >= '0' && s[i] <= '9' && digits < 20; i++, digits++)
		if (__builtin_mul_overflow(events, 10, &events) ||
		    __builtin_add_overflow(events, s[i] - '0', &events))
			goto bad;
	if (!digits || n != i + 5 + 8 || memcmp(s + i, " crc=", 5) || hex8(s + i + 5, &crc))
		goto bad;
	r->pos = s - r->buf + n + 1;
	err = dt_rec_after_end(r);
	if (err)
		return err;
	dt_rec_check_end(r, off, crc, events);
	return 0;
bad:
	return dt_rec_bad(r, -EINVAL, "bad end marker; a record ends with "
			  "'!end events=N crc=XXXXXXXX' (8 lowercase hex digits)");
}

static int framing_misplaced(struct dt_rec_reader *r, const char *s)
{
	if (s[1] == 'f')
		return dt_rec_bad(r, -EINVAL, "'!format' is only valid as the first line");
	return dt_rec_bad(r, -EINVAL, "'!end' in a stream without a '!format' first line: a "
			  "record has both, a hand-written stream neither");
}

int dt_rec_text_next(struct dt_rec_reader *r, struct dt_rec_item *it)
{
	size_t n;
	char *s;
	bool v1;
	int k;

	for (;;) {
		k = get_line(r, &s, &n);
		if (k < 0)
			return k;
		if (!k) {
			if (r->end > r->pos)
				dt_rec_cut(r, r->base + r->pos, "line %u cut short (no newline)",
					   r->lineno + 1);
			else if (r->fmt == DT_REC_TEXT)
				dt_rec_cut(r, r->base + r->pos, "no end marker after %llu events",
					   (unsigned long long)r->events);
			else
				r->state = RS_DONE;
			return 0;
		}
		if (r->fmt == DT_REC_TEXT && s[0] == '!' && word_is(s, n, "!end"))
			return text_end(r, s, n);
		consume(r, s, n);
		if (*s == '!' || *s == ' ' || *s == '\t') {	/* may be a directive */
			s = copy_line(r, s, n);
			if (!s)
				return dt_rec_bad(r, -ENOMEM, "out of memory");
		}
		k = dt_evtext_parse(s, n, it, &r->ev, &v1);
		if (k == 1)
			break;
		if (k < 0)
			return dt_rec_bad(r, k, "%s", dt_evtext_error());
		if (k == 2)
			return framing_misplaced(r, s + strspn(s, " \t"));
	}
	if (it->kind == DT_RI_EVENT) {
		if (v1 && (r->flags & DT_REC_F_STAMPED))
			return dt_rec_bad(r, -EINVAL, "a v=1 event (no loss stamp) in a record "
					  "whose !format line says stamped=1");
		r->events++;
	}
	return 1;
}
