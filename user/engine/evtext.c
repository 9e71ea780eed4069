// SPDX-License-Identifier: GPL-2.0-only
/*
 * Recorded event streams, one event per line:
 *
 *   TYPE key=value key=value ...     # comment
 *
 * TYPE is req_start, req_end, dio_start, dio_end, extent, bk_submit, bk_ret,
 * bk_done, pc_add, pc_del or open.  Keys common to every type: ts cpu pid tid
 * comm dev ino cookie src v; the others depend on the type (see the tables
 * below).  A key left out is zero (v: DT_EVENT_VERSION); the writer leaves
 * out zero fields, so writing and reading back gives the same bytes.
 *
 * Values: decimal or 0x-hex, with an optional K/M/G (binary) suffix when
 * reading; "?" is all ones (a counter the kernel could not give); signed
 * values may be -ERRNO names (-EIO, -EIOCBQUEUED); dev is MAJOR:MINOR; flags
 * are symbols joined by '|' (DIRECT, MAPPED, META, ...) and/or numbers;
 * strings are %XX-escaped (space, '%', '#', control and non-ASCII bytes).
 *
 * Directives: "!lost N", "!unbound ROLE why...", "!bound ROLE program...",
 * "!inconclusive why...".
 */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "evtext.h"
#include "ledger.h"

enum kind { K_U, K_X, K_S, K_DEV, K_F_IOCB, K_F_MAP, K_F_OPEN, K_STR, K_SRC };

struct field {
	const char *key;
	size_t off, size;
	enum kind kind;
};

#define F(k, m, kind)	{ k, offsetof(struct dt_event, m), sizeof(((struct dt_event *)0)->m), kind }

static const struct field common[] = {
	F("ts", ts_ns, K_U), F("cpu", cpu, K_U), F("pid", pid, K_U), F("tid", tid, K_U),
	F("comm", comm, K_STR), F("dev", dev, K_DEV), F("ino", ino, K_U),
	F("cookie", cookie, K_X), F("src", source, K_SRC), F("drops", drops, K_U),
	F("v", version, K_U),
	{ NULL, 0, 0, 0 },
};

static const struct field f_req[] = {
	F("pos", req.pos, K_S), F("len", req.len, K_U), F("isize", req.isize, K_U),
	F("ret", req.ret, K_S), F("flags", req.flags, K_F_IOCB), F("fd", req.fd, K_U),
	{ NULL, 0, 0, 0 },
};

static const struct field f_dio[] = {
	F("pos", dio.pos, K_S), F("count", dio.count, K_U), F("total", dio.total, K_U),
	F("done", dio.done, K_U), F("ret", dio.ret, K_S), F("isize", dio.isize, K_U),
	{ NULL, 0, 0, 0 },
};

static const struct field f_ext[] = {
	F("m_la", ext.m_la, K_U), F("m_pa", ext.m_pa, K_U), F("m_llen", ext.m_llen, K_U),
	F("m_plen", ext.m_plen, K_U), F("m_flags", ext.m_flags, K_F_MAP),
	F("m_deviceid", ext.m_deviceid, K_U), F("err", ext.err, K_S), F("pad", ext.pad, K_X),
	{ NULL, 0, 0, 0 },
};

static const struct field f_bk[] = {
	F("rq", bk.rq, K_X), F("pos", bk.pos, K_S), F("len", bk.len, K_U),
	F("ret", bk.ret, K_S), F("flags", bk.flags, K_F_IOCB), F("pad", bk.pad, K_X),
	{ NULL, 0, 0, 0 },
};

static const struct field f_pc[] = {
	F("index", pc.index, K_U), F("nr", pc.nr_pages, K_U), F("erofs", pc.is_erofs, K_U),
	{ NULL, 0, 0, 0 },
};

static const struct field f_open[] = {
	F("flags", open.flags, K_F_OPEN), F("ret", open.ret, K_S), F("path", open.path, K_STR),
	{ NULL, 0, 0, 0 },
};

static const struct field *type_fields(unsigned int type)
{
	switch (type) {
	case DT_EV_REQ_START: case DT_EV_REQ_END:	return f_req;
	case DT_EV_DIO_START: case DT_EV_DIO_END:	return f_dio;
	case DT_EV_EXTENT:				return f_ext;
	case DT_EV_BACKING_SUBMIT: case DT_EV_BACKING_RET:
	case DT_EV_BACKING_DONE:			return f_bk;
	case DT_EV_PC_ADD: case DT_EV_PC_DEL:		return f_pc;
	case DT_EV_OPEN:				return f_open;
	}
	return NULL;
}

struct flagname {
	const char *name;
	uint64_t bit;
};

static const struct flagname fl_iocb[] = { { "DIRECT", DT_IOCB_DIRECT }, { NULL, 0 } };
static const struct flagname fl_open[] = { { "DIRECT", DT_O_DIRECT }, { NULL, 0 } };
static const struct flagname fl_map[] = {
	{ "MAPPED", DT_MAP_MAPPED }, { "META", DT_MAP_META }, { "ENCODED", DT_MAP_ENCODED },
	{ "FULL_MAPPED", DT_MAP_FULL_MAPPED }, { "FRAGMENT", DT_MAP_FRAGMENT },
	{ "PARTIAL_REF", DT_MAP_PARTIAL_REF }, { NULL, 0 },
};

static const struct flagname *flag_table(enum kind k)
{
	return k == K_F_MAP ? fl_map : k == K_F_OPEN ? fl_open : fl_iocb;
}

static __thread char errbuf[256];

const char *dt_evtext_error(void)
{
	return errbuf;
}

static int bad(const char *fmt, const char *arg)
{
	snprintf(errbuf, sizeof(errbuf), fmt, arg);
	return -EINVAL;
}

/* ---- raw field access ---- */

static uint64_t get_raw(const struct dt_event *ev, const struct field *f)
{
	const char *p = (const char *)ev + f->off;

	switch (f->size) {
	case 2: return *(const uint16_t *)p;
	case 4: return *(const uint32_t *)p;
	default: return *(const uint64_t *)p;
	}
}

static int64_t get_signed(const struct dt_event *ev, const struct field *f)
{
	const char *p = (const char *)ev + f->off;

	return f->size == 4 ? *(const int32_t *)p : *(const int64_t *)p;
}

static void put_raw(struct dt_event *ev, const struct field *f, uint64_t v)
{
	char *p = (char *)ev + f->off;

	switch (f->size) {
	case 2: *(uint16_t *)p = v; break;
	case 4: *(uint32_t *)p = v; break;
	default: *(uint64_t *)p = v; break;
	}
}

/* ---- writing ---- */

static void put_str(FILE *out, const char *s, size_t max)
{
	size_t i;

	for (i = 0; i < max && s[i]; i++) {
		unsigned char c = s[i];

		if (c <= ' ' || c >= 0x7f || c == '%' || c == '#')
			fprintf(out, "%%%02X", c);
		else
			fputc(c, out);
	}
}

static void put_flags(FILE *out, uint64_t v, enum kind k)
{
	const struct flagname *t = flag_table(k);
	const char *sep = "";

	for (; t->name; t++) {
		if ((v & t->bit) == t->bit) {
			fprintf(out, "%s%s", sep, t->name);
			v &= ~t->bit;
			sep = "|";
		}
	}
	if (v)
		fprintf(out, "%s0x%llx", sep, (unsigned long long)v);
}

static void put_field(FILE *out, const struct dt_event *ev, const struct field *f)
{
	const char *p = (const char *)ev + f->off;
	uint64_t v, ones;
	const char *s;

	if (f->kind == K_STR) {
		if (!*p)
			return;
		fprintf(out, " %s=", f->key);
		return put_str(out, p, f->size);
	}
	v = get_raw(ev, f);
	ones = f->size == 8 ? UINT64_MAX : (1ull << (8 * f->size)) - 1;
	if (!v)
		return;
	fprintf(out, " %s=", f->key);
	switch (f->kind) {
	case K_S:
		s = dt_errno_name(get_signed(ev, f));
		if (s)
			fprintf(out, "-%s", s);
		else
			fprintf(out, "%lld", (long long)get_signed(ev, f));
		break;
	case K_DEV:
		fprintf(out, "%u:%u", dt_dev_major(v), dt_dev_minor(v));
		break;
	case K_X:
		fprintf(out, "0x%llx", (unsigned long long)v);
		break;
	case K_SRC:
		s = dt_source_name(v);
		if (s)
			fputs(s, out);
		else
			fprintf(out, "%llu", (unsigned long long)v);
		break;
	case K_F_IOCB: case K_F_MAP: case K_F_OPEN:
		put_flags(out, v, f->kind);
		break;
	default:
		if (v == ones)
			fputc('?', out);
		else
			fprintf(out, "%llu", (unsigned long long)v);
	}
}

int dt_evtext_write(FILE *out, const struct dt_event *ev)
{
	const struct field *tf = type_fields(ev->type), *f;
	const char *name = dt_event_name(ev->type);

	if (!tf || !name || ev->version != DT_EVENT_VERSION)
		return -EINVAL;
	fputs(name, out);
	fprintf(out, " ts=%llu", (unsigned long long)ev->ts_ns);
	for (f = common + 1; strcmp(f->key, "v"); f++)
		put_field(out, ev, f);
	for (f = tf; f->key; f++)
		put_field(out, ev, f);
	fputc('\n', out);
	return ferror(out) ? -EIO : 0;
}

static void put_why(FILE *out, const char *why)
{
	for (; why && *why; why++)
		fputc(*why == '\n' || *why == '\r' ? ' ' : *why, out);
	fputc('\n', out);
}

int dt_evtext_write_lost(FILE *out, uint64_t lost)
{
	fprintf(out, "!lost %llu\n", (unsigned long long)lost);
	return ferror(out) ? -EIO : 0;
}

int dt_evtext_write_unbound(FILE *out, enum dt_role role, const char *why)
{
	fprintf(out, "!unbound %s ", dt_role_name(role));
	put_why(out, why && *why ? why : "no program could be attached");
	return ferror(out) ? -EIO : 0;
}

int dt_evtext_write_bound(FILE *out, enum dt_role role, const char *how)
{
	fprintf(out, "!bound %s ", dt_role_name(role));
	put_why(out, how && *how ? how : "?");
	return ferror(out) ? -EIO : 0;
}

int dt_evtext_write_inconclusive(FILE *out, const char *why)
{
	fputs("!inconclusive ", out);
	put_why(out, why && *why ? why : "unspecified");
	return ferror(out) ? -EIO : 0;
}

/* ---- reading ---- */

static int parse_u64(const char *s, uint64_t *v)
{
	unsigned long long n;
	char *end;

	if (!strcmp(s, "?")) {
		*v = UINT64_MAX;
		return 0;
	}
	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	n = strtoull(s, &end, s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? 16 : 10);
	if (errno || end == s)
		return -EINVAL;
	if (*end == 'K' || *end == 'M' || *end == 'G') {
		int sh = *end == 'K' ? 10 : *end == 'M' ? 20 : 30;

		if (n > (UINT64_MAX >> sh))
			return -EINVAL;
		n <<= sh;
		end++;
	}
	if (*end)
		return -EINVAL;
	*v = n;
	return 0;
}

static int parse_errno(const char *s, int64_t *v)
{
	int e;

	for (e = 1; e < 600; e++) {
		const char *n = dt_errno_name(-e);

		if (n && !strcmp(n, s)) {
			*v = -e;
			return 0;
		}
	}
	return -EINVAL;
}

static int parse_signed(const char *s, int64_t *v)
{
	uint64_t u;

	if (*s == '-') {
		if (isalpha((unsigned char)s[1]))
			return parse_errno(s + 1, v);
		if (parse_u64(s + 1, &u) || u > (uint64_t)INT64_MAX + 1)
			return -EINVAL;
		*v = -(int64_t)(u - 1) - 1;
		return 0;
	}
	if (parse_u64(s, &u) || u > INT64_MAX)
		return -EINVAL;
	*v = u;
	return 0;
}

static int parse_flags(const char *s, enum kind k, uint64_t *v)
{
	char buf[128], *tok, *save;
	uint64_t n;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	*v = 0;
	for (tok = strtok_r(buf, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
		const struct flagname *t = flag_table(k);

		while (t->name && strcmp(t->name, tok))
			t++;
		if (t->name)
			*v |= t->bit;
		else if (!parse_u64(tok, &n))
			*v |= n;
		else
			return -EINVAL;
	}
	return 0;
}

static int parse_str(const char *s, char *dst, size_t max)
{
	size_t n = 0;

	memset(dst, 0, max);
	for (; *s; s++) {
		unsigned int c = (unsigned char)*s;

		if (c == '%') {
			if (!isxdigit((unsigned char)s[1]) || !isxdigit((unsigned char)s[2]) ||
			    sscanf(s + 1, "%2x", &c) != 1)
				return -EINVAL;
			s += 2;
		}
		if (n >= max)
			return -EINVAL;
		dst[n++] = c;
	}
	return 0;
}

static int parse_dev(const char *s, uint64_t *v)
{
	unsigned int ma, mi;
	char end;

	if (sscanf(s, "%u:%u%c", &ma, &mi, &end) == 2) {
		if (ma > 0xfff || mi > 0xfffff)
			return -EINVAL;
		*v = ((uint64_t)ma << 20) | mi;
		return 0;
	}
	return parse_u64(s, v);
}

static int fits(const struct field *f, uint64_t v, bool sig)
{
	if (f->size == 8)
		return 1;
	if (sig)
		return (int64_t)v >= INT32_MIN && (int64_t)v <= INT32_MAX;
	if (v == UINT64_MAX)
		return 1;	/* "?" */
	return v < (1ull << (8 * f->size));
}

static int parse_field(struct dt_event *ev, const struct field *f, const char *val)
{
	uint64_t v = 0;
	int64_t sv;
	int r = 0, s;

	switch (f->kind) {
	case K_STR:
		return parse_str(val, (char *)ev + f->off, f->size);
	case K_S:
		if (parse_signed(val, &sv) || !fits(f, sv, true))
			return -EINVAL;
		put_raw(ev, f, (uint64_t)sv);
		return 0;
	case K_DEV:
		r = parse_dev(val, &v);
		break;
	case K_SRC:
		for (s = 0; dt_source_name(s); s++)
			if (!strcmp(val, dt_source_name(s)))
				break;
		if (dt_source_name(s))
			v = s;
		else
			r = parse_u64(val, &v);
		break;
	case K_F_IOCB: case K_F_MAP: case K_F_OPEN:
		r = parse_flags(val, f->kind, &v);
		break;
	default:
		r = parse_u64(val, &v);
	}
	if (r || !fits(f, v, false))
		return -EINVAL;
	put_raw(ev, f, v);
	return 0;
}

static const struct field *lookup(const struct field *t, const char *key, size_t n)
{
	for (; t->key; t++)
		if (strlen(t->key) == n && !strncmp(t->key, key, n))
			return t;
	return NULL;
}

static int parse_event(char *line, struct dt_event *ev)
{
	const struct field *tf, *f;
	char *tok, *save, *eq;
	int t;

	memset(ev, 0, sizeof(*ev));
	ev->version = DT_EVENT_VERSION;
	tok = strtok_r(line, " \t", &save);
	for (t = 1; t < DT_EV_MAX; t++)
		if (!strcmp(tok, dt_event_name(t)))
			break;
	if (t == DT_EV_MAX)
		return bad("unknown event type '%.64s'", tok);
	ev->type = t;
	tf = type_fields(t);
	while ((tok = strtok_r(NULL, " \t", &save)) && *tok != '#') {
		eq = strchr(tok, '=');
		if (!eq || eq == tok)
			return bad("'%.64s' is not key=value", tok);
		f = lookup(common, tok, eq - tok);
		if (!f)
			f = lookup(tf, tok, eq - tok);
		if (!f)
			return *eq = 0, bad("unknown key '%.64s' for this event type", tok);
		if (parse_field(ev, f, eq + 1))
			return bad("bad value in '%.64s'", tok);
	}
	if (ev->version == 1)	/* v1 is v2 without the loss stamp */
		ev->version = DT_EVENT_VERSION;
	if (ev->version != DT_EVENT_VERSION)
		return bad("event version v=%s is not supported (this build reads v=1 and v=2)",
			   ev->version > 2 ? "3 or later" : "0");
	return 0;
}

struct directive {
	enum { D_LOST, D_UNBOUND, D_BOUND, D_INCONCLUSIVE } kind;
	uint64_t lost;
	int role;
	const char *why;
};

static int parse_directive(char *line, struct directive *d)
{
	char *rest = line + 1, *name, *arg;

	name = strsep(&rest, " \t");
	rest = rest ? rest + strspn(rest, " \t") : "";
	if (!strcmp(name, "lost")) {
		d->kind = D_LOST;
		if (parse_u64(rest, &d->lost) || d->lost == UINT64_MAX)
			return bad("'!lost' needs a count, got '%.64s'", rest);
		return 0;
	}
	if (!strcmp(name, "inconclusive")) {
		d->kind = D_INCONCLUSIVE;
		d->why = *rest ? rest : "unspecified";
		return 0;
	}
	if (strcmp(name, "unbound") && strcmp(name, "bound"))
		return bad("unknown directive '!%.64s' (known: lost, unbound, bound, inconclusive)",
			   name);
	d->kind = strcmp(name, "bound") ? D_UNBOUND : D_BOUND;
	arg = strsep(&rest, " \t");
	d->role = dt_role_parse(arg);
	if (d->role < 0)
		return bad("'!unbound' and '!bound' need a role name (req, dio, extent, "
			   "backing_submit, backing_done, pc_add, pc_del, open), got '%.64s'", arg);
	rest = rest ? rest + strspn(rest, " \t") : "";
	d->why = *rest ? rest : d->kind == D_BOUND ? "?" : "no program could be attached";
	return 0;
}

/* 1: event, 2: directive, 0: EOF, <0: error */
static int next(FILE *in, char **buf, size_t *cap, struct dt_event *ev,
		struct directive *d, unsigned int *lineno)
{
	ssize_t n;
	char *s;

	while ((n = getline(buf, cap, in)) >= 0) {
		(*lineno)++;
		s = *buf;
		while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
			s[--n] = '\0';
		s += strspn(s, " \t");
		if (!*s || *s == '#')
			continue;
		if (*s == '!')
			return parse_directive(s, d) ? -EINVAL : 2;
		return parse_event(s, ev) ? -EINVAL : 1;
	}
	if (ferror(in)) {
		bad("read error: %s", strerror(errno));
		return -EIO;
	}
	return 0;
}

int dt_evtext_read(FILE *in, struct dt_event *ev, unsigned int *lineno)
{
	struct directive d;
	char *buf = NULL;
	size_t cap = 0;
	int r;

	do
		r = next(in, &buf, &cap, ev, &d, lineno);
	while (r == 2);
	free(buf);
	return r;
}

int dt_evtext_replay(FILE *in, struct dt_engine *e, unsigned int *lineno)
{
	struct dt_event ev;
	struct directive d;
	char *buf = NULL;
	size_t cap = 0;
	int r;

	while ((r = next(in, &buf, &cap, &ev, &d, lineno)) > 0) {
		if (r == 2 && d.kind == D_LOST)
			dt_engine_note_lost(e, d.lost);
		else if (r == 2 && d.kind == D_UNBOUND)
			dt_engine_note_unbound(e, d.role, d.why);
		else if (r == 2 && d.kind == D_BOUND)
			dt_engine_note_bound(e, d.role, d.why);
		else if (r == 2)
			dt_engine_note_inconclusive(e, d.why);
		else if (dt_engine_feed(e, &ev) == -ENOMEM)
			r = -ENOMEM;
		if (r < 0)
			break;
	}
	free(buf);
	return r < 0 ? r : 0;
}
