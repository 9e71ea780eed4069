// SPDX-License-Identifier: GPL-2.0-only
/*
 * The text form of a record, one item per line:
 *
 *   TYPE key=value key=value ...     # comment
 *   !DIRECTIVE arguments...
 *
 * TYPE is req_start, req_end, dio_start, dio_end, extent, bk_submit, bk_ret,
 * bk_done, pc_add, pc_del, open or req_done.  Keys common to every type: ts cpu pid tid
 * comm dev ino cookie src drops v; the others depend on the type (see the
 * field table below).  A key left out is zero (v: DT_EVENT_VERSION); the
 * writer leaves out zero fields, so writing and reading back gives the same
 * bytes.
 *
 * Values: decimal or 0x-hex, with an optional K/M/G (binary) suffix when
 * reading; "?" is all ones (a counter the kernel could not give); signed
 * values may be -ERRNO names (-EIO, -EIOCBQUEUED); dev is MAJOR:MINOR; flags
 * are symbols joined by '|' (DIRECT, MAPPED, META, ...) and/or numbers;
 * strings are %XX-escaped (space, '%', '#', control and non-ASCII bytes).
 * Numbers are parsed strictly: no sign where none belongs, no wrap, no
 * trailing junk, range-checked against the field's width.
 *
 * This file parses and formats single lines; the framing (!format header,
 * !end marker, checksum, cut lines) is record_text.c's.  The hot path is a
 * hash lookup per key and hand-written number parsing: no sscanf, no strtok,
 * no linear scans.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "evtext.h"
#include "ledger.h"

enum kind { K_NONE, K_U, K_X, K_S, K_DEV, K_F_IOCB, K_F_MAP, K_F_OPEN, K_STR, K_SRC };

enum key {
	KY_NONE, KY_TS, KY_CPU, KY_PID, KY_TID, KY_COMM, KY_DEV, KY_INO, KY_COOKIE, KY_SRC,
	KY_DROPS, KY_V, KY_POS, KY_LEN, KY_ISIZE, KY_RET, KY_FLAGS, KY_FD, KY_COUNT, KY_TOTAL,
	KY_DONE, KY_M_LA, KY_M_PA, KY_M_LLEN, KY_M_PLEN, KY_M_FLAGS, KY_M_DEVICEID, KY_ERR,
	KY_PAD, KY_RQ, KY_INDEX, KY_NR, KY_EROFS, KY_PATH, KY_BUFMIS, KY_MAX,
};

static const char * const key_names[KY_MAX] = {
	[KY_TS] = "ts", [KY_CPU] = "cpu", [KY_PID] = "pid", [KY_TID] = "tid",
	[KY_COMM] = "comm", [KY_DEV] = "dev", [KY_INO] = "ino", [KY_COOKIE] = "cookie",
	[KY_SRC] = "src", [KY_DROPS] = "drops", [KY_V] = "v", [KY_POS] = "pos",
	[KY_LEN] = "len", [KY_ISIZE] = "isize", [KY_RET] = "ret", [KY_FLAGS] = "flags",
	[KY_FD] = "fd", [KY_COUNT] = "count", [KY_TOTAL] = "total", [KY_DONE] = "done",
	[KY_M_LA] = "m_la", [KY_M_PA] = "m_pa", [KY_M_LLEN] = "m_llen", [KY_M_PLEN] = "m_plen",
	[KY_M_FLAGS] = "m_flags", [KY_M_DEVICEID] = "m_deviceid", [KY_ERR] = "err",
	[KY_PAD] = "pad", [KY_RQ] = "rq", [KY_INDEX] = "index", [KY_NR] = "nr",
	[KY_EROFS] = "erofs", [KY_PATH] = "path", [KY_BUFMIS] = "bufmis",
};

struct field {
	uint16_t off;
	uint8_t size;
	uint8_t kind;
};

enum cls { C_REQ, C_DIO, C_EXT, C_BK, C_PC, C_OPEN, C_MAX };

#define F(m, k)	{ offsetof(struct dt_event, m), sizeof(((struct dt_event *)0)->m), k }
#define COMMON								\
	[KY_TS] = F(ts_ns, K_U), [KY_CPU] = F(cpu, K_U), [KY_PID] = F(pid, K_U),	\
	[KY_TID] = F(tid, K_U), [KY_COMM] = F(comm, K_STR), [KY_DEV] = F(dev, K_DEV),	\
	[KY_INO] = F(ino, K_U), [KY_COOKIE] = F(cookie, K_X), [KY_SRC] = F(source, K_SRC), \
	[KY_DROPS] = F(drops, K_U), [KY_V] = F(version, K_U)

/* which field a key names, per class of event type (size 0: no such key) */
static const struct field ftab[C_MAX][KY_MAX] = {
	[C_REQ] = { COMMON, [KY_POS] = F(req.pos, K_S), [KY_LEN] = F(req.len, K_U),
		    [KY_ISIZE] = F(req.isize, K_U), [KY_RET] = F(req.ret, K_S),
		    [KY_FLAGS] = F(req.flags, K_F_IOCB), [KY_FD] = F(req.fd, K_U),
		    [KY_BUFMIS] = F(req.bufmis, K_X), [KY_PAD] = F(req.pad, K_X) },
	[C_DIO] = { COMMON, [KY_POS] = F(dio.pos, K_S), [KY_COUNT] = F(dio.count, K_U),
		    [KY_TOTAL] = F(dio.total, K_U), [KY_DONE] = F(dio.done, K_U),
		    [KY_RET] = F(dio.ret, K_S), [KY_ISIZE] = F(dio.isize, K_U) },
	[C_EXT] = { COMMON, [KY_M_LA] = F(ext.m_la, K_U), [KY_M_PA] = F(ext.m_pa, K_U),
		    [KY_M_LLEN] = F(ext.m_llen, K_U), [KY_M_PLEN] = F(ext.m_plen, K_U),
		    [KY_M_FLAGS] = F(ext.m_flags, K_F_MAP),
		    [KY_M_DEVICEID] = F(ext.m_deviceid, K_U), [KY_ERR] = F(ext.err, K_S),
		    [KY_PAD] = F(ext.pad, K_X) },
	[C_BK] = { COMMON, [KY_RQ] = F(bk.rq, K_X), [KY_POS] = F(bk.pos, K_S),
		   [KY_LEN] = F(bk.len, K_U), [KY_RET] = F(bk.ret, K_S),
		   [KY_FLAGS] = F(bk.flags, K_F_IOCB), [KY_PAD] = F(bk.pad, K_X) },
	[C_PC] = { COMMON, [KY_INDEX] = F(pc.index, K_U), [KY_NR] = F(pc.nr_pages, K_U),
		   [KY_EROFS] = F(pc.is_erofs, K_U) },
	[C_OPEN] = { COMMON, [KY_FLAGS] = F(open.flags, K_F_OPEN), [KY_RET] = F(open.ret, K_S),
		     [KY_PATH] = F(open.path, K_STR) },
};

/* the order the writer gives the keys in (after ts, which is always written) */
#define W_COMMON KY_CPU, KY_PID, KY_TID, KY_COMM, KY_DEV, KY_INO, KY_COOKIE, KY_SRC, KY_DROPS
static const uint8_t worder[C_MAX][20] = {
	[C_REQ] = { W_COMMON, KY_POS, KY_LEN, KY_ISIZE, KY_RET, KY_FLAGS, KY_FD, KY_BUFMIS, KY_PAD },
	[C_DIO] = { W_COMMON, KY_POS, KY_COUNT, KY_TOTAL, KY_DONE, KY_RET, KY_ISIZE },
	[C_EXT] = { W_COMMON, KY_M_LA, KY_M_PA, KY_M_LLEN, KY_M_PLEN, KY_M_FLAGS,
		    KY_M_DEVICEID, KY_ERR, KY_PAD },
	[C_BK] = { W_COMMON, KY_RQ, KY_POS, KY_LEN, KY_RET, KY_FLAGS, KY_PAD },
	[C_PC] = { W_COMMON, KY_INDEX, KY_NR, KY_EROFS },
	[C_OPEN] = { W_COMMON, KY_FLAGS, KY_RET, KY_PATH },
};

static const signed char type_cls[DT_EV_MAX] = {
	[0] = -1,
	[DT_EV_REQ_START] = C_REQ, [DT_EV_REQ_END] = C_REQ,
	[DT_EV_DIO_START] = C_DIO, [DT_EV_DIO_END] = C_DIO,
	[DT_EV_EXTENT] = C_EXT,
	[DT_EV_BACKING_SUBMIT] = C_BK, [DT_EV_BACKING_RET] = C_BK, [DT_EV_BACKING_DONE] = C_BK,
	[DT_EV_PC_ADD] = C_PC, [DT_EV_PC_DEL] = C_PC,
	[DT_EV_OPEN] = C_OPEN,
	[DT_EV_REQ_DONE] = C_REQ,
};

struct flagname {
	const char *name;
	uint8_t len;
	uint32_t bit;
};

static const struct flagname fl_iocb[] = {
	{ "DIRECT", 6, DT_IOCB_DIRECT }, { "NOWAIT", 6, DT_IOCB_NOWAIT }, { NULL, 0, 0 },
};
static const struct flagname fl_open[] = { { "DIRECT", 6, DT_O_DIRECT }, { NULL, 0, 0 } };
static const struct flagname fl_map[] = {
	{ "MAPPED", 6, DT_MAP_MAPPED }, { "META", 4, DT_MAP_META }, { "ENCODED", 7, DT_MAP_ENCODED },
	{ "FULL_MAPPED", 11, DT_MAP_FULL_MAPPED }, { "FRAGMENT", 8, DT_MAP_FRAGMENT },
	{ "PARTIAL_REF", 11, DT_MAP_PARTIAL_REF }, { NULL, 0, 0 },
};

static const struct flagname *flag_table(enum kind k)
{
	return k == K_F_MAP ? fl_map : k == K_F_OPEN ? fl_open : fl_iocb;
}

static const char * const counter_names[DT_CNT_MAX] = {
	[DT_CNT_EMITTED] = "emitted", [DT_CNT_RB_DROPPED] = "rb_dropped",
	[DT_CNT_READS] = "reads", [DT_CNT_MAP_FULL] = "map_full",
	[DT_CNT_EVICTED] = "evicted", [DT_CNT_PIDS_FULL] = "pids_full",
};

const char *dt_counter_name(enum dt_counter c)
{
	return (unsigned int)c < DT_CNT_MAX ? counter_names[c] : NULL;
}

/* ---- symbol tables: open addressing on a hash of length and three bytes ---- */

#define SYM_SLOTS	128
#define ERRNO_TAB	1024

struct sym {
	const char *name;
	uint8_t len;
	int16_t val;
};

struct symtab {
	struct sym s[SYM_SLOTS];
};

static struct symtab sym_types, sym_errnos, sym_srcs;
static const char *errno_names[ERRNO_TAB];	/* by -errno: the writer's lookup */
static pthread_once_t sym_once = PTHREAD_ONCE_INIT;

static inline unsigned int sym_hash(const char *k, size_t n)
{
	return (n * 37u + (uint8_t)k[0] * 11u + (uint8_t)k[n - 1] * 101u +
		(uint8_t)k[n >> 1] * 7u) & (SYM_SLOTS - 1);
}

static void sym_add(struct symtab *t, const char *name, int val)
{
	size_t n = strlen(name);
	unsigned int h = sym_hash(name, n);

	while (t->s[h].name)
		h = (h + 1) & (SYM_SLOTS - 1);
	t->s[h] = (struct sym){ name, n, val };
}

/* names are short: a byte loop beats a call to memcmp */
static inline bool same(const char *a, const char *b, size_t n)
{
	while (n && *a == *b)
		a++, b++, n--;
	return !n;
}

static inline int sym_find(const struct symtab *t, const char *k, size_t n)
{
	unsigned int h;

	if (!n || n > 255)
		return -1;
	for (h = sym_hash(k, n); t->s[h].name; h = (h + 1) & (SYM_SLOTS - 1))
		if (t->s[h].len == n && same(t->s[h].name, k, n))
			return t->s[h].val;
	return -1;
}

/*
 * Keys, the hottest lookup (a dozen per event): the key's bytes packed in
 * a 64-bit word (longer keys fold their tail in), a multiplicative hash,
 * one compare of word and length per probe.
 */
struct keytab {
	uint64_t word[SYM_SLOTS];
	uint8_t len[SYM_SLOTS];
	uint8_t key[SYM_SLOTS];
};

static struct keytab keytab;

static inline uint64_t pack_tail(uint64_t v, const char *k, size_t n)
{
	size_t i;

	for (i = 8; i < n; i++)
		v = (v << 7 | v >> 57) ^ (uint8_t)k[i];
	return v;
}

/* K has N bytes; when LOAD_OK, 8 bytes may be read from K */
static inline uint64_t pack(const char *k, size_t n, bool load_ok)
{
	uint64_t v = 0;
	size_t i;

	if (load_ok) {
		memcpy(&v, k, 8);
		if (n < 8)
			v &= (1ull << (8 * n)) - 1;
		return n > 8 ? pack_tail(v, k, n) : v;
	}
	for (i = 0; i < n && i < 8; i++)
		v |= (uint64_t)(uint8_t)k[i] << (8 * i);
	return n > 8 ? pack_tail(v, k, n) : v;
}

static inline unsigned int key_hash(uint64_t v)
{
	return (v * 0x9E3779B97F4A7C15ull) >> 57;
}

static inline int key_find(const char *k, size_t n, bool load_ok)
{
	uint64_t v = pack(k, n, load_ok);
	unsigned int h;

	for (h = key_hash(v); keytab.len[h]; h = (h + 1) & (SYM_SLOTS - 1))
		if (keytab.word[h] == v && keytab.len[h] == n)
			return keytab.key[h];
	return -1;
}

static void sym_init(void)
{
	unsigned int h;
	int i;

	for (i = 1; i < KY_MAX; i++) {
		uint64_t v = pack(key_names[i], strlen(key_names[i]), false);

		for (h = key_hash(v); keytab.len[h]; h = (h + 1) & (SYM_SLOTS - 1))
			;
		keytab.word[h] = v;
		keytab.len[h] = strlen(key_names[i]);
		keytab.key[h] = i;
	}
	for (i = 1; i < DT_EV_MAX; i++)
		if (dt_event_name(i))
			sym_add(&sym_types, dt_event_name(i), i);
	for (i = 0; dt_source_name(i); i++)
		sym_add(&sym_srcs, dt_source_name(i), i);
	for (i = 1; i < ERRNO_TAB; i++) {
		errno_names[i] = dt_errno_name(-i);
		if (errno_names[i])
			sym_add(&sym_errnos, errno_names[i], i);
	}
}

static inline void syms(void)
{
	pthread_once(&sym_once, sym_init);
}

/* ---- errors ---- */

static __thread char errbuf[256];

const char *dt_evtext_error(void)
{
	return errbuf;
}

int dt_evtext_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errbuf, sizeof(errbuf), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* ---- raw field access ---- */

static inline uint64_t get_raw(const struct dt_event *ev, const struct field *f)
{
	const char *p = (const char *)ev + f->off;

	switch (f->size) {
	case 2: return *(const uint16_t *)p;
	case 4: return *(const uint32_t *)p;
	default: return *(const uint64_t *)p;
	}
}

static inline void put_raw(struct dt_event *ev, const struct field *f, uint64_t v)
{
	char *p = (char *)ev + f->off;

	switch (f->size) {
	case 2: *(uint16_t *)p = v; break;
	case 4: *(uint32_t *)p = v; break;
	default: *(uint64_t *)p = v; break;
	}
}

/* ---- formatting into a buffer of DT_EVTEXT_LINE_MAX bytes ---- */

static char *put_u64(char *p, uint64_t v)
{
	char tmp[20];
	int n = 0;

	do
		tmp[n++] = '0' + v % 10;
	while ((v /= 10));
	while (n)
		*p++ = tmp[--n];
	return p;
}

static char *put_hex(char *p, uint64_t v)
{
	static const char hx[] = "0123456789abcdef";
	int sh = 60;

	*p++ = '0';
	*p++ = 'x';
	while (sh > 0 && !(v >> sh))
		sh -= 4;
	for (; sh >= 0; sh -= 4)
		*p++ = hx[(v >> sh) & 15];
	return p;
}

static char *put_s(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

static char *put_str(char *p, const char *s, size_t max)
{
	static const char hx[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < max && s[i]; i++) {
		unsigned char c = s[i];

		if (c <= ' ' || c >= 0x7f || c == '%' || c == '#') {
			*p++ = '%';
			*p++ = hx[c >> 4];
			*p++ = hx[c & 15];
		} else {
			*p++ = c;
		}
	}
	return p;
}

static char *put_flags(char *p, uint64_t v, enum kind k)
{
	const struct flagname *t = flag_table(k);
	bool sep = false;

	for (; t->name; t++) {
		if ((v & t->bit) == t->bit) {
			if (sep)
				*p++ = '|';
			p = put_s(p, t->name);
			v &= ~(uint64_t)t->bit;
			sep = true;
		}
	}
	if (v) {
		if (sep)
			*p++ = '|';
		p = put_hex(p, v);
	}
	return p;
}

static char *put_signed(char *p, int64_t v)
{
	if (v < 0 && v > -ERRNO_TAB && errno_names[-v]) {
		*p++ = '-';
		return put_s(p, errno_names[-v]);
	}
	if (v < 0) {
		*p++ = '-';
		return put_u64(p, -(uint64_t)v);
	}
	return put_u64(p, v);
}

static char *put_field(char *p, const struct dt_event *ev, unsigned int key)
{
	const struct field *f = &ftab[type_cls[ev->type]][key];
	const char *s = (const char *)ev + f->off;
	uint64_t v, ones;

	if (f->kind == K_STR) {
		if (!*s)
			return p;
		*p++ = ' ';
		p = put_s(p, key_names[key]);
		*p++ = '=';
		return put_str(p, s, f->size);
	}
	v = get_raw(ev, f);
	if (!v)
		return p;
	*p++ = ' ';
	p = put_s(p, key_names[key]);
	*p++ = '=';
	ones = f->size == 8 ? UINT64_MAX : (1ull << (8 * f->size)) - 1;
	switch (f->kind) {
	case K_S:
		return put_signed(p, f->size == 4 ? (int64_t)(int32_t)v : (int64_t)v);
	case K_DEV:
		p = put_u64(p, dt_dev_major(v));
		*p++ = ':';
		return put_u64(p, dt_dev_minor(v));
	case K_X:
		return put_hex(p, v);
	case K_SRC:
		return dt_source_name(v) ? put_s(p, dt_source_name(v)) : put_u64(p, v);
	case K_F_IOCB: case K_F_MAP: case K_F_OPEN:
		return put_flags(p, v, f->kind);
	default:
		if (v == ones) {
			*p++ = '?';
			return p;
		}
		return put_u64(p, v);
	}
}

int dt_evtext_format_event(char *buf, const struct dt_event *ev)
{
	const uint8_t *k;
	char *p = buf;

	syms();
	if (ev->type >= DT_EV_MAX || type_cls[ev->type] < 0 || ev->version != DT_EVENT_VERSION)
		return -EINVAL;
	p = put_s(p, dt_event_name(ev->type));
	p = put_s(p, " ts=");
	p = put_u64(p, ev->ts_ns);
	for (k = worder[type_cls[ev->type]]; *k; k++)
		p = put_field(p, ev, *k);
	*p++ = '\n';
	return p - buf;
}

/* a note's text on one line: no line breaks, at most DT_REC_TEXT_MAX bytes */
static char *put_text(char *p, const char *s, const char *dflt)
{
	size_t i;

	if (!s || !*s)
		s = dflt;
	for (i = 0; s[i] && i < DT_REC_TEXT_MAX - 1; i++)
		*p++ = s[i] == '\n' || s[i] == '\r' ? ' ' : s[i];
	return p;
}

int dt_evtext_format_item(char *buf, const struct dt_rec_item *it)
{
	char *p = buf;
	unsigned int i;

	syms();
	switch (it->kind) {
	case DT_RI_EVENT:
		return dt_evtext_format_event(buf, it->ev);
	case DT_RI_ROLE:
		if (it->role.role >= DT_ROLE_MAX)
			return -EINVAL;
		p = put_s(p, it->role.bound ? "!bound " : "!unbound ");
		p = put_s(p, dt_role_name(it->role.role));
		*p++ = ' ';
		p = put_text(p, it->text, it->role.bound ? "?" : "no program could be attached");
		break;
	case DT_RI_LOST:
		p = put_u64(put_s(p, "!lost "), it->lost);
		break;
	case DT_RI_INCONCLUSIVE:
		p = put_text(put_s(p, "!inconclusive "), it->text, "unspecified");
		break;
	case DT_RI_TRUNCATED:
		p = put_text(put_s(p, "!truncated "), it->text, "an unknown offset");
		break;
	case DT_RI_COUNTERS:
		p = put_s(p, "!counters");
		for (i = 0; i < DT_CNT_MAX; i++) {
			*p++ = ' ';
			p = put_s(p, counter_names[i]);
			*p++ = '=';
			p = put_u64(p, it->cnt[i]);
		}
		break;
	case DT_RI_PC_OUTSIDE:
		p = put_s(p, "!pc_outside dev=");
		p = put_u64(p, dt_dev_major(it->pc.dev));
		*p++ = ':';
		p = put_u64(p, dt_dev_minor(it->pc.dev));
		p = put_u64(put_s(p, " ino="), it->pc.ino);
		p = put_s(p, it->pc.erofs ? " erofs=1" : " erofs=0");
		p = put_u64(put_s(p, " added="), it->pc.added);
		p = put_u64(put_s(p, " deleted="), it->pc.deleted);
		break;
	default:
		return -EINVAL;
	}
	*p++ = '\n';
	return p - buf;
}

/* ---- parsing ---- */

/* separators between words: space, tab, CR/LF (line ends) and the end */
static const uint8_t is_sep[256] = { [0] = 1, [' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1 };

static inline const char *word_end(const char *p)
{
	while (!is_sep[(uint8_t)*p])
		p++;
	return p;
}

static inline const char *skip_sep(const char *p)
{
	while (*p && is_sep[(uint8_t)*p])
		p++;
	return p;
}

static inline int hexval(uint8_t c)
{
	if ((unsigned int)(c - '0') < 10u)
		return c - '0';
	c |= 0x20;
	if ((unsigned int)(c - 'a') < 6u)
		return c - 'a' + 10;
	return -1;
}

/* key characters: a key ends at its '=' */
static const uint8_t is_keych[256] = {
	['a' ... 'z'] = 1, ['0' ... '9'] = 1, ['_'] = 1,
};

/* [s, e) decimal digits, again with overflow checks */
static bool decimal_checked(const char *s, const char *e, uint64_t *out)
{
	uint64_t n = 0;

	for (; s < e; s++)
		if (__builtin_mul_overflow(n, 10, &n) || __builtin_add_overflow(n, *s - '0', &n))
			return false;
	*out = n;
	return true;
}

/*
 * The hot path: a number read from P up to the first byte that is not part
 * of it; the caller checks that a separator follows (no trailing junk).
 * Decimal (at most 20 digits, checked beyond 19), 0x-hex (at most 16
 * digits), a K/M/G suffix, or "?".  NULL: not a number or out of range.
 */
static const char *scan_u64(const char *p, uint64_t *out)
{
	const char *s;
	uint64_t n;
	unsigned int d;
	int h;

	if (*p == '?') {
		*out = UINT64_MAX;
		return p + 1;
	}
	if (p[0] == '0' && (p[1] | 0x20) == 'x' && hexval(p[2]) >= 0) {
		for (s = p += 2, n = 0; (h = hexval(*p)) >= 0; p++)
			n = n << 4 | h;
		if (p - s > 16)
			return NULL;
	} else {
		if ((d = (unsigned int)((uint8_t)*p - '0')) > 9)
			return NULL;
		for (s = p++, n = d; (d = (unsigned int)((uint8_t)*p - '0')) <= 9; p++)
			n = n * 10 + d;
		if (p - s > 19 && !decimal_checked(s, p, &n))	/* may have wrapped */
			return NULL;
	}
	if ((*p == 'K' || *p == 'M' || *p == 'G')) {
		d = *p == 'K' ? 10 : *p == 'M' ? 20 : 30;
		if (n > (UINT64_MAX >> d))
			return NULL;
		n <<= d;
		p++;
	}
	*out = n;
	return p;
}

static const char *scan_s64(const char *p, int64_t *out)
{
	const char *s;
	uint64_t u;
	int en;

	if (*p != '-') {
		p = scan_u64(p, &u);
		if (!p || u > INT64_MAX)
			return NULL;
		*out = u;
		return p;
	}
	s = ++p;
	if ((unsigned int)((*p | 0x20) - 'a') < 26u) {
		while ((unsigned int)(*p - 'A') < 26u || (unsigned int)(*p - '0') < 10u)
			p++;
		en = sym_find(&sym_errnos, s, p - s);
		if (en < 0)
			return NULL;
		*out = -en;
		return p;
	}
	if (*p == '?')
		return NULL;
	p = scan_u64(p, &u);
	if (!p || u > (uint64_t)INT64_MAX + 1)
		return NULL;
	*out = u ? -(int64_t)(u - 1) - 1 : 0;
	return p;
}

/* [p, e) as an unsigned number: decimal, 0x-hex, K/M/G suffix, or "?" */
static int num_u64(const char *p, const char *e, uint64_t *out)
{
	uint64_t n = 0;
	unsigned int d, sh;
	int h;

	if (p >= e)
		return -1;
	if (*p == '?') {
		*out = UINT64_MAX;
		return e - p == 1 ? 0 : -1;
	}
	if (e - p > 2 && p[0] == '0' && (p[1] | 0x20) == 'x') {
		const char *s = p += 2;

		for (; p < e && (h = hexval(*p)) >= 0; p++) {
			if (n >> 60)
				return -1;
			n = n << 4 | h;
		}
		if (p == s)
			return -1;
	} else {
		if ((d = (unsigned int)((uint8_t)*p - '0')) > 9)
			return -1;
		for (n = d, p++; p < e && (d = (unsigned int)((uint8_t)*p - '0')) <= 9; p++)
			if (__builtin_mul_overflow(n, 10, &n) || __builtin_add_overflow(n, d, &n))
				return -1;
	}
	if (p < e) {
		switch (*p++) {
		case 'K': sh = 10; break;
		case 'M': sh = 20; break;
		case 'G': sh = 30; break;
		default: return -1;
		}
		if (p != e || n > (UINT64_MAX >> sh))
			return -1;
		n <<= sh;
	}
	*out = n;
	return 0;
}

static int num_s64(const char *p, const char *e, int64_t *out)
{
	uint64_t u;
	int en;

	if (p < e && *p == '-') {
		p++;
		if (p < e && (unsigned int)((*p | 0x20) - 'a') < 26u) {
			en = sym_find(&sym_errnos, p, e - p);
			if (en < 0)
				return -1;
			*out = -en;
			return 0;
		}
		if (num_u64(p, e, &u) || u > (uint64_t)INT64_MAX + 1)
			return -1;
		*out = u ? -(int64_t)(u - 1) - 1 : 0;
		return 0;
	}
	if (num_u64(p, e, &u) || u > INT64_MAX)
		return -1;
	*out = u;
	return 0;
}

static int parse_flags(const char *p, const char *e, enum kind k, uint64_t *v)
{
	const struct flagname *t;
	const char *q;
	uint64_t n;

	*v = 0;
	for (;;) {
		q = memchr(p, '|', e - p);
		if (!q)
			q = e;
		for (t = flag_table(k); t->name; t++)
			if (t->len == q - p && !memcmp(t->name, p, q - p))
				break;
		if (t->name)
			*v |= t->bit;
		else if (!num_u64(p, q, &n))
			*v |= n;
		else
			return -1;
		if (q == e)
			return 0;
		p = q + 1;
	}
}

static int parse_str(const char *p, const char *e, char *dst, size_t max)
{
	size_t n = 0;
	int hi, lo;

	memset(dst, 0, max);
	for (; p < e; p++) {
		unsigned int c = (uint8_t)*p;

		if (c == '%') {
			if (e - p < 3 || (hi = hexval(p[1])) < 0 || (lo = hexval(p[2])) < 0)
				return -1;
			c = hi << 4 | lo;
			p += 2;
		}
		if (n >= max)
			return -1;
		dst[n++] = c;
	}
	return 0;
}

static int dec_u32(const char *p, const char *e, uint32_t max, uint32_t *out)
{
	uint64_t n = 0;

	if (p >= e)
		return -1;
	for (; p < e; p++) {
		if ((unsigned int)((uint8_t)*p - '0') > 9u)
			return -1;
		n = n * 10 + (*p - '0');
		if (n > max)
			return -1;
	}
	*out = n;
	return 0;
}

static int parse_dev(const char *p, const char *e, uint64_t *v)
{
	const char *c = memchr(p, ':', e - p);
	uint32_t ma, mi;

	if (!c)
		return num_u64(p, e, v);
	if (dec_u32(p, c, 0xfff, &ma) || dec_u32(c + 1, e, 0xfffff, &mi))
		return -1;
	*v = (uint64_t)ma << 20 | mi;
	return 0;
}

static inline bool fits(const struct field *f, uint64_t v, bool sig)
{
	if (f->size == 8)
		return true;
	if (sig)
		return (int64_t)v >= INT32_MIN && (int64_t)v <= INT32_MAX;
	if (v == UINT64_MAX)
		return true;	/* "?" */
	return v < (1ull << (8 * f->size));
}

static int parse_value(struct dt_event *ev, const struct field *f, const char *p, const char *e)
{
	uint64_t v = 0;
	int64_t sv;
	int r, s;

	switch (f->kind) {
	case K_STR:
		return parse_str(p, e, (char *)ev + f->off, f->size);
	case K_S:
		if (num_s64(p, e, &sv) || !fits(f, sv, true))
			return -1;
		put_raw(ev, f, (uint64_t)sv);
		return 0;
	case K_DEV:
		r = parse_dev(p, e, &v);
		break;
	case K_SRC:
		s = sym_find(&sym_srcs, p, e - p);
		if (s >= 0)
			v = s, r = 0;
		else
			r = num_u64(p, e, &v);
		break;
	case K_F_IOCB: case K_F_MAP: case K_F_OPEN:
		r = parse_flags(p, e, f->kind, &v);
		break;
	default:
		r = num_u64(p, e, &v);
	}
	if (r || !fits(f, v, false))
		return -1;
	put_raw(ev, f, v);
	return 0;
}

/* a value from P: where it ends (a separator), or NULL if it is bad */
static const char *value(struct dt_event *ev, const struct field *f, const char *p)
{
	const char *q;
	uint64_t v;
	int64_t sv;

	switch (f->kind) {
	case K_U: case K_X:
		q = scan_u64(p, &v);
		if (!q || !is_sep[(uint8_t)*q] || !fits(f, v, false))
			return NULL;
		put_raw(ev, f, v);
		return q;
	case K_S:
		q = scan_s64(p, &sv);
		if (!q || !is_sep[(uint8_t)*q] || !fits(f, sv, true))
			return NULL;
		put_raw(ev, f, (uint64_t)sv);
		return q;
	default:
		q = word_end(p);
		return parse_value(ev, f, p, q) ? NULL : q;
	}
}

static inline const char *skip_to(const char *p, const char *e)
{
	while (p < e && is_sep[(uint8_t)*p])
		p++;
	return p;
}

/* an event line [p, e); *e is a separator */
static int parse_event(const char *p, const char *e, struct dt_event *ev, bool *v1)
{
	const char *w = word_end(p), *k, *ve;
	const struct field *tab;
	int t, key;

	memset(ev, 0, sizeof(*ev));
	ev->version = DT_EVENT_VERSION;
	t = sym_find(&sym_types, p, w - p);
	if (t < 0)
		return dt_evtext_fail("unknown event type '%.*s'", (int)(w - p > 64 ? 64 : w - p), p);
	ev->type = t;
	tab = ftab[type_cls[t]];
	for (p = skip_to(w, e); p < e && *p != '#'; p = skip_to(ve, e)) {
		k = p;
		while (is_keych[(uint8_t)*p])
			p++;
		if (*p != '=' || p == k) {
			ve = word_end(k);
			return dt_evtext_fail("'%.*s' is not key=value",
					      (int)(ve - k > 64 ? 64 : ve - k), k);
		}
		key = p - k <= 10 ? key_find(k, p - k, k + 8 <= e) : -1;
		if (key < 0 || !tab[key].size) {
			ve = memchr(k, '=', e - k);
			return dt_evtext_fail("unknown key '%.*s' for this event type",
					      (int)(ve - k > 64 ? 64 : ve - k), k);
		}
		ve = value(ev, &tab[key], p + 1);
		if (!ve) {
			ve = word_end(k);
			return dt_evtext_fail("bad value in '%.*s'",
					      (int)(ve - k > 64 ? 64 : ve - k), k);
		}
	}
	if (ev->version == 1) {	/* v1 is v2 without the loss stamp */
		ev->version = DT_EVENT_VERSION;
		*v1 = true;
	}
	if (ev->version != DT_EVENT_VERSION)
		return dt_evtext_fail("event version v=%s is not supported (this build reads v=1 and v=2)",
				      ev->version > 2 ? "3 or later" : "0");
	return 1;
}

/* the rest of a directive line: its text, trailing blanks already gone */
static const char *rest_of(const char *p)
{
	return skip_sep(p);
}

static int parse_role(const char *p, struct dt_rec_item *it, bool bound)
{
	const char *w = word_end(p);
	char name[32];

	snprintf(name, sizeof(name), "%.*s", (int)(w - p), p);
	it->kind = DT_RI_ROLE;
	it->role.bound = bound;
	it->role.role = dt_role_parse(name);
	if ((int)it->role.role < 0 || w - p >= (ptrdiff_t)sizeof(name))
		return dt_evtext_fail("'!unbound' and '!bound' need a role name (req, dio, extent, "
				      "backing_submit, backing_done, pc_add, pc_del, open), got '%.64s'",
				      name);
	p = rest_of(w);
	it->text = *p ? p : bound ? "?" : "no program could be attached";
	return 1;
}

/* "key=NUMBER" words: counters and pc_outside */
static int parse_kv(const char *p, const char * const *keys, unsigned int nkeys,
		    uint64_t *vals, const char *what)
{
	const char *w, *eq;
	unsigned int i;

	for (p = skip_sep(p); *p; p = skip_sep(w)) {
		w = word_end(p);
		eq = memchr(p, '=', w - p);
		for (i = 0; eq && i < nkeys; i++)
			if (keys[i] && strlen(keys[i]) == (size_t)(eq - p) && !memcmp(keys[i], p, eq - p))
				break;
		if (!eq || i == nkeys)
			return dt_evtext_fail("'%s': unknown word '%.*s'", what,
					      (int)(w - p > 64 ? 64 : w - p), p);
		if (!strcmp(keys[i], "dev") ? parse_dev(eq + 1, w, &vals[i]) :
		    num_u64(eq + 1, w, &vals[i]) || eq[1] == '?')
			return dt_evtext_fail("'%s': bad number in '%.*s'", what,
					      (int)(w - p > 64 ? 64 : w - p), p);
	}
	return 1;
}

static int parse_directive(const char *s, struct dt_rec_item *it)
{
	static const char * const pc_keys[] = { "dev", "ino", "erofs", "added", "deleted" };
	const char *p = s + 1, *w = word_end(p);
	size_t n = w - p;
	uint64_t v[5] = { 0 };
	int r;

	memset(it, 0, sizeof(*it));
	if (n == 4 && !memcmp(p, "lost", 4)) {
		p = rest_of(w);
		it->kind = DT_RI_LOST;
		if (num_u64(p, word_end(p), &it->lost) || *p == '?' || *rest_of(word_end(p)))
			return dt_evtext_fail("'!lost' needs a count, got '%.64s'", p);
		return 1;
	}
	if ((n == 12 && !memcmp(p, "inconclusive", 12)) || (n == 9 && !memcmp(p, "truncated", 9))) {
		it->kind = n == 12 ? DT_RI_INCONCLUSIVE : DT_RI_TRUNCATED;
		p = rest_of(w);
		it->text = *p ? p : n == 12 ? "unspecified" : "an unknown offset";
		return 1;
	}
	if (n == 5 && !memcmp(p, "bound", 5))
		return parse_role(rest_of(w), it, true);
	if (n == 7 && !memcmp(p, "unbound", 7))
		return parse_role(rest_of(w), it, false);
	if (n == 8 && !memcmp(p, "counters", 8)) {
		it->kind = DT_RI_COUNTERS;
		return parse_kv(w, counter_names, DT_CNT_MAX, it->cnt, "!counters");
	}
	if (n == 10 && !memcmp(p, "pc_outside", 10)) {
		it->kind = DT_RI_PC_OUTSIDE;
		r = parse_kv(w, pc_keys, 5, v, "!pc_outside");
		if (r < 0)
			return r;
		if (v[2] > 1)
			return dt_evtext_fail("'!pc_outside': erofs= is 0 or 1");
		it->pc.dev = v[0];
		it->pc.ino = v[1];
		it->pc.erofs = v[2];
		it->pc.added = v[3];
		it->pc.deleted = v[4];
		return 1;
	}
	if ((n == 6 && !memcmp(p, "format", 6)) || (n == 3 && !memcmp(p, "end", 3)))
		return 2;
	return dt_evtext_fail("unknown directive '!%.*s' (known: lost, unbound, bound, inconclusive, "
			      "counters, pc_outside, truncated)", (int)(n > 64 ? 64 : n), p);
}

int dt_evtext_parse(char *s, size_t len, struct dt_rec_item *it, struct dt_event *ev, bool *v1)
{
	const char *e = s + len, *p;
	int r;

	syms();
	*v1 = false;
	p = skip_to(s, e);
	if (p == e || *p == '#')
		return 0;
	if (*p == '!') {	/* directives: the text is the rest of the line */
		while (len && is_sep[(uint8_t)s[len - 1]])
			len--;
		s[len] = '\0';
		return parse_directive(p, it);
	}
	r = parse_event(p, e, ev, v1);
	it->kind = DT_RI_EVENT;
	it->ev = ev;
	return r;
}

/* ---- FILE-based helpers (tests and simple callers) ---- */

static int put_line(FILE *out, const char *buf, int n)
{
	if (n < 0)
		return n;
	if (fwrite(buf, 1, n, out) != (size_t)n)
		return errno ? -errno : -EIO;
	return 0;
}

int dt_evtext_write(FILE *out, const struct dt_event *ev)
{
	char buf[DT_EVTEXT_LINE_MAX];

	return put_line(out, buf, dt_evtext_format_event(buf, ev));
}

static int write_item(FILE *out, const struct dt_rec_item *it)
{
	char buf[DT_EVTEXT_LINE_MAX];

	return put_line(out, buf, dt_evtext_format_item(buf, it));
}

int dt_evtext_write_lost(FILE *out, uint64_t lost)
{
	struct dt_rec_item it = { .kind = DT_RI_LOST, .lost = lost };

	return write_item(out, &it);
}

int dt_evtext_write_unbound(FILE *out, enum dt_role role, const char *why)
{
	struct dt_rec_item it = { .kind = DT_RI_ROLE, .text = why, .role = { role, false } };

	return write_item(out, &it);
}

int dt_evtext_write_bound(FILE *out, enum dt_role role, const char *how)
{
	struct dt_rec_item it = { .kind = DT_RI_ROLE, .text = how, .role = { role, true } };

	return write_item(out, &it);
}

int dt_evtext_write_inconclusive(FILE *out, const char *why)
{
	struct dt_rec_item it = { .kind = DT_RI_INCONCLUSIVE, .text = why };

	return write_item(out, &it);
}

int dt_evtext_read(FILE *in, struct dt_event *ev, unsigned int *lineno)
{
	struct dt_rec_item it;
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	bool v1;
	int r = 0;

	while ((n = getline(&buf, &cap, in)) >= 0) {
		(*lineno)++;
		r = dt_evtext_parse(buf, n, &it, ev, &v1);
		if (r < 0 || (r == 1 && it.kind == DT_RI_EVENT))
			break;
		r = 0;
	}
	if (n < 0 && ferror(in)) {
		dt_evtext_fail("read error: %s", strerror(errno));
		r = -EIO;
	}
	free(buf);
	return r;
}
