/* SPDX-License-Identifier: MIT */
/*
 * json_read.c -- read a "marslog-summary/1" document back into a summary.
 *
 * A recursive-descent parser driven by the schema: it walks the document
 * once and fills the summary directly, without building a tree, so a
 * million-row summary costs little more than the summary itself.  Rows are
 * described by field tables (name, type, offset): a row is parsed into a
 * scratch item of the target type, then its key fields go to the
 * summary's find-or-add and the other fields are moved over.
 *
 * Accepted: exactly the writer's output plus unknown keys anywhere (their
 * values are checked for syntax and skipped) and keys in any order.
 * Rejected, with "line:col: reason": syntax errors, nesting deeper than
 * JSON_MAX_DEPTH, strings longer than JSON_STR_MAX, invalid escapes,
 * wrong types, integers that are
 * negative, fractional or above UINT64_MAX, unknown enum names, bad
 * times, rows without their key or repeating one, another schema, and
 * an object with the same key twice (any object, known or not: JSON
 * leaves the meaning open, and last-wins would hide a forged value).  Raw
 * control characters, invalid UTF-8, lone surrogates and \u0000 in
 * strings become U+FFFD (summary strings are valid UTF-8 C strings).
 * Columns count characters, from 1.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "parsers/errlog.h"
#include "parsers/hmap.h"
#include "parsers/record.h"
#include "reports/json.h"
#include "reports/summary_fields.h"

#define JSON_MAX_DEPTH 64
/* No string marslog writes is longer (lines are cut at --max-line, 1 MiB
 * by default, entry names at 4 KiB); a longer one would only cost memory. */
#define JSON_STR_MAX ((size_t)1 << 20)

/* The keys of one open object, for the duplicate check: NUL-ended copies
 * one after another in `pool`, their offsets in `off`, hashed. */
struct jr_keys {
	char *pool;
	size_t len, cap;
	size_t *off;
	size_t n, noff;
	struct hmap idx;
};

struct jr {
	const char *text, *p, *end;
	int depth;
	struct jr_keys keys[JSON_MAX_DEPTH + 1];	/* per open object */
	char *buf;		/* the last string read, unescaped, NUL-ended */
	size_t len, cap;
	struct summary *s;
	int64_t *as_of;		/* fleet.as_of goes here; NULL: skip it */
	char *err;
	size_t errlen;
	int failed;		/* err holds the first error */
};

/* ----------------------------------------------------------- errors */

static int jr_fail(struct jr *r, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
jr_fail(struct jr *r, const char *at, const char *fmt, ...)
{
	const char *q;
	unsigned long line = 1, col = 1;
	char msg[256];
	va_list ap;

	if (r->failed)
		return -1;
	r->failed = 1;
	for (q = r->text; q < at && q < r->end; q++) {
		if (*q == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)*q & 0xC0) != 0x80) {
			col++;
		}
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(r->err, r->errlen, "%lu:%lu: %s", line, col, msg);
	return -1;
}

static int
jr_oom(struct jr *r)
{
	return jr_fail(r, r->p, "out of memory");
}

/* ----------------------------------------------------------- tokens */

static void
jr_ws(struct jr *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' ||
	    *r->p == '\r' || *r->p == '\t'))
		r->p++;
}

/* The next non-blank character, or -1 at the end. */
static int
jr_peek(struct jr *r)
{
	jr_ws(r);
	return r->p < r->end ? (unsigned char)*r->p : -1;
}

static int
jr_expect(struct jr *r, char c, const char *what)
{
	if (jr_peek(r) != (unsigned char)c) {
		if (r->p >= r->end)
			return jr_fail(r, r->p, "unexpected end of input, "
			    "expected %s", what);
		return jr_fail(r, r->p, "expected %s", what);
	}
	r->p++;
	return 0;
}

static int
jr_literal(struct jr *r, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
		return jr_fail(r, r->p, "invalid literal");
	r->p += n;
	return 0;
}

static int
jr_append(struct jr *r, const char *p, size_t n)
{
	char *nb;
	size_t ncap;

	if (n > JSON_STR_MAX - r->len)
		return jr_fail(r, r->p, "string longer than %zu bytes",
		    JSON_STR_MAX);
	if (n + 1 > r->cap - r->len) {
		ncap = r->cap ? r->cap : 256;
		while (n + 1 > ncap - r->len)
			ncap *= 2;
		if (!(nb = realloc(r->buf, ncap)))
			return jr_oom(r);
		r->buf = nb;
		r->cap = ncap;
	}
	memcpy(r->buf + r->len, p, n);
	r->len += n;
	return 0;
}

static int
jr_append_cp(struct jr *r, unsigned long cp)
{
	char u[4];
	size_t n;

	if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return jr_append(r, u, n);
}

/* Four hex digits at p (n bytes available) into *v; -1 if not. */
static int
hex4(const char *p, size_t n, unsigned long *v)
{
	size_t i;
	int d;

	if (n < 4)
		return -1;
	*v = 0;
	for (i = 0; i < 4; i++) {
		char c = p[i];

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		*v = *v << 4 | (unsigned long)d;
	}
	return 0;
}

/* \uXXXX at r->p (after the backslash and 'u'), with a following low
 * surrogate escape joined to a high one. */
static int
jr_unicode_escape(struct jr *r, const char *bs)
{
	unsigned long cp, lo;

	if (hex4(r->p, (size_t)(r->end - r->p), &cp) < 0)
		return jr_fail(r, bs, "invalid \\u escape");
	r->p += 4;
	if (cp >= 0xD800 && cp <= 0xDBFF && r->end - r->p >= 6 &&
	    r->p[0] == '\\' && r->p[1] == 'u' &&
	    hex4(r->p + 2, 4, &lo) == 0 && lo >= 0xDC00 && lo <= 0xDFFF) {
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
		r->p += 6;
	}
	return jr_append_cp(r, cp);
}

/* A string at r->p into r->buf (unescaped, NUL-terminated). */
static int
jr_string(struct jr *r)
{
	const char *open = r->p, *run;
	size_t n;

	if (jr_expect(r, '"', "a string") < 0)
		return -1;
	r->len = 0;
	for (;;) {
		unsigned char c;

		run = r->p;
		while (r->p < r->end && (unsigned char)*r->p >= 0x20 &&
		    (unsigned char)*r->p < 0x80 && *r->p != '"' &&
		    *r->p != '\\')
			r->p++;
		if (jr_append(r, run, (size_t)(r->p - run)) < 0)
			return -1;
		if (r->p >= r->end)
			return jr_fail(r, open, "unterminated string");
		c = (unsigned char)*r->p;
		if (c == '"') {
			r->p++;
			break;
		}
		if (c == '\\') {
			const char *bs = r->p++;
			char e = r->p < r->end ? *r->p++ : '\0';
			static const char from[] = "\"\\/bfnrt";
			static const char to[] = "\"\\/\b\f\n\r\t";
			const char *hit = e ? strchr(from, e) : NULL;

			if (e == 'u') {
				if (jr_unicode_escape(r, bs) < 0)
					return -1;
			} else if (hit) {
				if (jr_append(r, &to[hit - from], 1) < 0)
					return -1;
			} else {
				return jr_fail(r, bs, "invalid escape in string");
			}
		} else if (c < 0x80 ||
		    !(n = json_utf8_len((const unsigned char *)r->p,
		    (size_t)(r->end - r->p)))) {
			/* raw control character or invalid UTF-8 */
			if (jr_append(r, "\xEF\xBF\xBD", 3) < 0)
				return -1;
			r->p++;
		} else {
			if (jr_append(r, r->p, n) < 0)
				return -1;
			r->p += n;
		}
	}
	r->buf[r->len] = '\0';
	return 0;
}

/* Syntax check of a number (RFC 8259 grammar) at r->p. */
static int
jr_number_skip(struct jr *r)
{
	const char *p = r->p, *e = r->end;

	if (p < e && *p == '-')
		p++;
	if (p < e && *p == '0') {
		p++;
	} else if (p < e && *p >= '1' && *p <= '9') {
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	} else {
		return jr_fail(r, r->p, r->p < e ? "unexpected character" :
		    "unexpected end of input");
	}
	if (p < e && *p == '.') {
		if (++p >= e || *p < '0' || *p > '9')
			return jr_fail(r, p, "invalid number");
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		if (++p < e && (*p == '+' || *p == '-'))
			p++;
		if (p >= e || *p < '0' || *p > '9')
			return jr_fail(r, p, "invalid number");
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	r->p = p;
	return 0;
}

static int
jr_enter(struct jr *r)
{
	if (++r->depth > JSON_MAX_DEPTH)
		return jr_fail(r, r->p - 1, "nesting deeper than %d",
		    JSON_MAX_DEPTH);
	return 0;
}

/* A new object at r->depth: forget the keys of the one before it there.
 * A big table is freed rather than cleared, so that many small objects
 * after one huge one do not each pay for clearing it. */
static void
jr_keys_reset(struct jr *r)
{
	struct jr_keys *k = &r->keys[r->depth];

	k->len = k->n = 0;
	if (k->idx.cap > 64)
		hmap_release(&k->idx);
	else
		hmap_clear(&k->idx);
}

static void
jr_keys_release(struct jr *r)
{
	int i;

	for (i = 0; i <= JSON_MAX_DEPTH; i++) {
		free(r->keys[i].pool);
		free(r->keys[i].off);
		hmap_release(&r->keys[i].idx);
	}
}

static int
jr_key_eq(const void *ctx, size_t idx, const void *key)
{
	const struct jr_keys *k = ctx;

	return strcmp(k->pool + k->off[idx], key) == 0;
}

/* Note key r->buf (r->len bytes) of the object at r->depth, read at `at`:
 * -1 with "duplicate key" if it was there already. */
static int
jr_key_add(struct jr *r, const char *at)
{
	struct jr_keys *k = &r->keys[r->depth];
	uint64_t h = hmap_hash(HMAP_HASH_INIT, r->buf, r->len + 1);

	if (hmap_find(&k->idx, h, jr_key_eq, k, r->buf) != HMAP_NONE)
		return jr_fail(r, at, "duplicate key \"%.64s\"", r->buf);
	if (k->len + r->len + 1 > k->cap) {
		size_t cap = k->cap ? k->cap : 256;
		char *p;

		while (cap < k->len + r->len + 1)
			cap *= 2;
		if (!(p = realloc(k->pool, cap)))
			return jr_oom(r);
		k->pool = p;
		k->cap = cap;
	}
	if (k->n == k->noff) {
		size_t n = k->noff ? 2 * k->noff : 16, *o;

		if (!(o = realloc(k->off, n * sizeof(*o))))
			return jr_oom(r);
		k->off = o;
		k->noff = n;
	}
	memcpy(k->pool + k->len, r->buf, r->len + 1);
	k->off[k->n] = k->len;
	if (hmap_insert(&k->idx, h, k->n) < 0)
		return jr_oom(r);
	k->len += r->len + 1;
	k->n++;
	return 0;
}

/*
 * Objects and arrays are walked with *_next(): it returns 1 when there is
 * another member (for objects with its key in r->buf and the ':'
 * consumed), 0 at the closing bracket, -1 on error.  `first` starts at 1.
 */
static int
jr_object_next(struct jr *r, int *first)
{
	int c = jr_peek(r);
	const char *at;

	if (c == '}') {
		r->p++;
		r->depth--;
		return 0;
	}
	if (!*first && jr_expect(r, ',', "',' or '}'") < 0)
		return -1;
	*first = 0;
	if (jr_peek(r) != '"')
		return jr_fail(r, r->p, r->p < r->end ? "expected a key" :
		    "unexpected end of input, expected a key");
	at = r->p;
	if (jr_string(r) < 0 || jr_key_add(r, at) < 0 ||
	    jr_expect(r, ':', "':'") < 0)
		return -1;
	return 1;
}

static int
jr_array_next(struct jr *r, int *first)
{
	int c = jr_peek(r);

	if (c == ']') {
		r->p++;
		r->depth--;
		return 0;
	}
	if (!*first && jr_expect(r, ',', "',' or ']'") < 0)
		return -1;
	*first = 0;
	if (jr_peek(r) < 0)
		return jr_fail(r, r->p, "unexpected end of input");
	return 1;
}

/* '{' or '[' for the value of `key` (NULL: the document). */
static int
jr_open(struct jr *r, char c, const char *key)
{
	const char *what = c == '{' ? "an object" : "an array";

	if (jr_peek(r) != (unsigned char)c) {
		if (r->p >= r->end)
			return jr_fail(r, r->p, "unexpected end of input, "
			    "expected %s", what);
		if (key)
			return jr_fail(r, r->p, "\"%s\": expected %s", key,
			    what);
		return jr_fail(r, r->p, "expected %s", what);
	}
	r->p++;
	if (jr_enter(r) < 0)
		return -1;
	if (c == '{')
		jr_keys_reset(r);
	return 0;
}

static int
jr_skip(struct jr *r)
{
	int c = jr_peek(r), first = 1, more;

	switch (c) {
	case '{':
		if (jr_open(r, '{', NULL) < 0)
			return -1;
		while ((more = jr_object_next(r, &first)) == 1)
			if (jr_skip(r) < 0)
				return -1;
		return more;
	case '[':
		if (jr_open(r, '[', NULL) < 0)
			return -1;
		while ((more = jr_array_next(r, &first)) == 1)
			if (jr_skip(r) < 0)
				return -1;
		return more;
	case '"':
		return jr_string(r);
	case 't':
		return jr_literal(r, "true");
	case 'f':
		return jr_literal(r, "false");
	case 'n':
		return jr_literal(r, "null");
	default:
		return jr_number_skip(r);
	}
}

/* ----------------------------------------------------- typed values */

/* Is the next value null?  Consumes it if so. */
static int
jr_null(struct jr *r)
{
	if (jr_peek(r) == 'n' && r->end - r->p >= 4 &&
	    memcmp(r->p, "null", 4) == 0) {
		r->p += 4;
		return 1;
	}
	return 0;
}

static int
jr_u64(struct jr *r, const char *key, uint64_t *v)
{
	const char *start;
	uint64_t x = 0;

	jr_ws(r);
	start = r->p;
	if (r->p >= r->end || *r->p < '0' || *r->p > '9')
		goto bad;
	if (*r->p == '0' && r->end - r->p > 1 && r->p[1] >= '0' &&
	    r->p[1] <= '9')
		goto bad;
	while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
		unsigned d = (unsigned)(*r->p - '0');

		if (x > (UINT64_MAX - d) / 10)
			return jr_fail(r, start, "\"%s\": integer out of range",
			    key);
		x = x * 10 + d;
		r->p++;
	}
	if (r->p < r->end && (*r->p == '.' || *r->p == 'e' || *r->p == 'E'))
		goto bad;
	*v = x;
	return 0;
bad:
	return jr_fail(r, start, "\"%s\": expected a non-negative integer",
	    key);
}

/* A string value (or null if allowed) left in r->buf; returns 1 for a
 * string, 0 for null. */
static int
jr_str_value(struct jr *r, const char *key, int nullable)
{
	if (nullable && jr_null(r))
		return 0;
	if (jr_peek(r) != '"')
		return jr_fail(r, r->p, "\"%s\": expected a string%s", key,
		    nullable ? " or null" : "");
	if (jr_string(r) < 0)
		return -1;
	return 1;
}

/* An owned copy of a string-or-null value into *dst (replacing it). */
static int
jr_str_dup(struct jr *r, const char *key, char **dst)
{
	int st = jr_str_value(r, key, 1);

	if (st < 0)
		return -1;
	if (summary_set_str(dst, st ? r->buf : NULL) < 0)
		return jr_oom(r);
	return 0;
}

static int
jr_time(struct jr *r, const char *key, int64_t *t)
{
	const char *start;
	int st;

	jr_ws(r);
	start = r->p;
	if ((st = jr_str_value(r, key, 1)) < 0)
		return -1;
	if (st == 0) {
		*t = ML_TIME_NONE;
		return 0;
	}
	if (ml_time_parse(r->buf, t) < 0 || *t == ML_TIME_NONE)
		return jr_fail(r, start, "\"%s\": invalid time", key);
	return 0;
}

/* A year as marslog writes it: 1970-9999 (record.h), or null (0). */
static int
jr_year(struct jr *r, const char *key, int *year)
{
	const char *start;
	uint64_t v;

	*year = 0;
	jr_ws(r);
	start = r->p;
	if (jr_null(r))
		return 0;
	if (jr_u64(r, key, &v) < 0)
		return -1;
	if (v < 1970 || v > 9999)
		return jr_fail(r, start, "\"%s\": not a year from 1970 to 9999",
		    key);
	*year = (int)v;
	return 0;
}

static int
jr_enum(struct jr *r, const char *key, int (*from_name)(const char *),
    int *v)
{
	const char *start;

	jr_ws(r);
	start = r->p;
	if (jr_str_value(r, key, 0) < 0)
		return -1;
	if ((*v = from_name(r->buf)) < 0)
		return jr_fail(r, start, "\"%s\": unknown value", key);
	return 0;
}

/* ------------------------------------------------------ field tables */

/* The reader's view of summary_fields.h: the tables of every row kind
 * come from summary_fields.def; only the derived "fleet" object has a
 * table of its own. */
#define field summary_field
#define F_STR SF_STR
#define F_KEY SF_KEY
#define F_NKEY SF_NKEY
#define F_ISTR SF_ISTR
#define F_TEXT SF_TEXT
#define F_U64 SF_U64
#define F_TIME SF_TIME
#define F_ENUM SF_ENUM
#define F_NENUM SF_NENUM
#define F_YEAR SF_YEAR
#define F_SAMPLE SF_SAMPLE
#define F_EVIDENCE SF_EVIDENCE
#define F_DERIVED SF_DERIVED

/* F_ENUM fields are written as int. */
_Static_assert(sizeof(enum input_kind) == sizeof(int) &&
    sizeof(enum input_status) == sizeof(int) &&
    sizeof(enum job_kind) == sizeof(int) &&
    sizeof(enum job_outcome) == sizeof(int) &&
    sizeof(enum text_encoding) == sizeof(int) &&
    sizeof(enum cat_level) == sizeof(int) &&
    sizeof(enum year_source) == sizeof(int), "enums are int-sized");

/* The one field of the derived "fleet" object that is read: when the
 * document's "hours since" were measured (for a --baseline). */
struct jr_fleet {
	int64_t as_of;
};

static const struct field fleet_fields[] = {
	{ "as_of", F_TIME, NULL, NULL, 0, SM_NONE, offsetof(struct jr_fleet,
	    as_of) },
	{ NULL, F_U64, NULL, NULL, 0, SM_NONE, 0 }
};

#define AT(obj, off, type) ((type *)(void *)((char *)(obj) + (off)))

/* Defaults of a scratch row: zero, times NONE, no sample. */
static void
fields_init(const struct field *fl, void *obj, size_t size)
{
	memset(obj, 0, size);
	for (; fl->name; fl++) {
		if (fl->type == F_TIME)
			*AT(obj, fl->off, int64_t) = ML_TIME_NONE;
		else if (fl->type == F_SAMPLE)
			AT(obj, fl->off, struct summary_sample)->time =
			    ML_TIME_NONE;
	}
}

static void
sample_clear(struct summary_sample *sm)
{
	free(sm->message);	/* the path is interned */
	memset(sm, 0, sizeof(*sm));
	sm->time = ML_TIME_NONE;
}

/* Free the owned strings of a scratch row. */
static void
fields_release(const struct field *fl, void *obj)
{
	for (; fl->name; fl++) {
		if (fl->type == F_STR || fl->type == F_KEY ||
		    fl->type == F_NKEY || fl->type == F_TEXT) {
			free(*AT(obj, fl->off, char *));
			*AT(obj, fl->off, char *) = NULL;
		} else if (fl->type == F_SAMPLE) {
			sample_clear(AT(obj, fl->off, struct summary_sample));
		} else if (fl->type == F_EVIDENCE) {
			evidence_set_release(AT(obj, fl->off,
			    struct evidence_set));
		}
	}
}

static int jr_fields(struct jr *r, const struct field *fl, void *obj,
    const char *key, uint32_t *seen);

static int
jr_bool(struct jr *r, const char *key, int *v)
{
	int c = jr_peek(r);

	if (c == 't' || c == 'f') {
		*v = c == 't';
		return jr_literal(r, c == 't' ? "true" : "false");
	}
	return jr_fail(r, r->p, "\"%s\": expected true or false", key);
}

/* One line of an occurrence: {"line", "time", "level", "match",
 * "continuation", "message"}; the message is cut as when gathered. */
static int
jr_evidence_line(struct jr *r, struct evidence_line *l)
{
	int first = 1, more, st = 0;
	char *msg = NULL;

	memset(l, 0, sizeof *l);
	l->time = ML_TIME_NONE;
	if (jr_open(r, '{', "lines") < 0)
		return -1;
	while (st == 0 && (more = jr_object_next(r, &first)) == 1) {
		if (strcmp(r->buf, "line") == 0)
			st = jr_u64(r, "line", &l->line);
		else if (strcmp(r->buf, "time") == 0)
			st = jr_time(r, "time", &l->time);
		else if (strcmp(r->buf, "match") == 0)
			st = jr_bool(r, "match", &l->match);
		else if (strcmp(r->buf, "continuation") == 0)
			st = jr_bool(r, "continuation", &l->continuation);
		else if (strcmp(r->buf, "message") == 0)
			st = jr_str_dup(r, "message", &msg);
		else if (strcmp(r->buf, "level") == 0) {
			if ((st = jr_str_value(r, "level", 1)) > 0) {
				l->level = errlog_level_from_word(r->buf,
				    strlen(r->buf));
				st = 0;
			}
		} else
			st = jr_skip(r);
	}
	if (st == 0 && more == 0) {
		int match = l->match;

		if (evidence_line_set(l, l->line, l->time, l->level,
		    l->continuation, msg ? msg : "", msg ? strlen(msg) : 0) != 0)
			st = jr_oom(r);
		l->match = match;
	}
	free(msg);
	return st < 0 || more < 0 ? -1 : 0;
}

/* One occurrence: {"path", "line", "time", "lines": [...]}. */
static int
jr_occurrence(struct jr *r, struct evidence_occurrence *o)
{
	struct evidence_line *l;
	int first = 1, more, st = 0, lfirst, lmore;

	o->time = ML_TIME_NONE;
	if (jr_open(r, '{', "evidence") < 0)
		return -1;
	while (st == 0 && (more = jr_object_next(r, &first)) == 1) {
		if (strcmp(r->buf, "path") == 0) {
			char *plain = NULL;

			st = jr_str_dup(r, "path", &plain);
			if (st >= 0 && plain != NULL) {
				evidence_path_unref(o->path);
				o->path = evidence_path_new(plain);
				if (o->path == NULL)
					st = jr_oom(r);
			}
			free(plain);
		}
		else if (strcmp(r->buf, "line") == 0)
			st = jr_u64(r, "line", &o->line);
		else if (strcmp(r->buf, "time") == 0)
			st = jr_time(r, "time", &o->time);
		else if (strcmp(r->buf, "lines") == 0) {
			if (jr_open(r, '[', "lines") < 0)
				return -1;
			lfirst = 1;
			while ((lmore = jr_array_next(r, &lfirst)) == 1) {
				if (o->nlines == EVIDENCE_LINES_MAX)
					return jr_fail(r, r->p, "\"lines\": more than %d",
					    EVIDENCE_LINES_MAX);
				l = realloc(o->lines, (o->nlines + 1) *
				    sizeof *l);
				if (l == NULL)
					return jr_oom(r);
				o->lines = l;
				if (jr_evidence_line(r, &l[o->nlines]) < 0)
					return -1;
				o->nlines++;
			}
			st = lmore;
		} else
			st = jr_skip(r);
	}
	if (st < 0 || more < 0)
		return -1;
	if (o->path == NULL)
		return jr_fail(r, r->p, "evidence item without \"path\"");
	return 0;
}

/* "evidence": an array of occurrences, kept as gathered (the latest
 * `max`). */
static int
jr_evidence(struct jr *r, struct evidence_set *set, size_t max)
{
	struct evidence_occurrence o;
	int first = 1, more;

	evidence_set_release(set);
	if (jr_null(r))
		return 0;
	if (jr_open(r, '[', "evidence") < 0)
		return -1;
	while ((more = jr_array_next(r, &first)) == 1) {
		memset(&o, 0, sizeof o);
		if (jr_occurrence(r, &o) < 0) {
			evidence_occurrence_release(&o);
			return -1;
		}
		if (evidence_set_offer(set, max, &o) != 0)
			return jr_oom(r);
	}
	return more;
}


static int
jr_field(struct jr *r, const struct field *f, void *obj)
{
	struct summary_sample *sm;
	int v, oom, st;

	switch (f->type) {
	case F_KEY:
	case F_NKEY:
	case F_STR:
	case F_TEXT:
		return jr_str_dup(r, f->name, AT(obj, f->off, char *));
	case F_ISTR:
		if ((st = jr_str_value(r, f->name, 1)) < 0)
			return -1;
		*AT(obj, f->off, char *) = summary_intern(r->s,
		    st ? r->buf : NULL, &oom);
		return oom ? jr_oom(r) : 0;
	case F_U64:
		return jr_u64(r, f->name, AT(obj, f->off, uint64_t));
	case F_TIME:
		return jr_time(r, f->name, AT(obj, f->off, int64_t));
	case F_NENUM:
	case F_ENUM:
		v = 0;
		if ((f->type == F_ENUM || !jr_null(r)) &&
		    jr_enum(r, f->name, f->enum_from, &v) < 0)
			return -1;
		memcpy(AT(obj, f->off, char), &v, sizeof(v));
		return 0;
	case F_YEAR:
		return jr_year(r, f->name, AT(obj, f->off, int));
	case F_SAMPLE:
		sm = AT(obj, f->off, struct summary_sample);
		sample_clear(sm);
		if (jr_null(r))
			return 0;
		return jr_fields(r, summary_fields(SROW_SAMPLE), sm, f->name,
		    NULL);
	case F_EVIDENCE:
		return jr_evidence(r, AT(obj, f->off, struct evidence_set),
		    (size_t)f->arg);
	case F_DERIVED:		/* skipped by jr_fields */
		break;
	}
	return 0;
}

/* An object whose known members fill `obj` by the table `fl` (at most
 * 32 fields); *seen (may be NULL) gets a bit per field present. */
static int
jr_fields(struct jr *r, const struct field *fl, void *obj, const char *key,
    uint32_t *seen)
{
	const struct field *f;
	int first = 1, more;

	if (jr_open(r, '{', key) < 0)
		return -1;
	while ((more = jr_object_next(r, &first)) == 1) {
		for (f = fl; f->name && strcmp(f->name, r->buf) != 0; f++)
			;
		/* unknown and derived fields are skipped: merge and the
		 * writer recompute the derived ones */
		if (!f->name || f->type == F_DERIVED) {
			if (jr_skip(r) < 0)
				return -1;
			continue;
		}
		if (jr_field(r, f, obj) < 0)
			return -1;
		if (seen)
			*seen |= UINT32_C(1) << (f - fl);
	}
	return more;
}

/* Move a row's non-key fields that were present from the scratch row into
 * the summary's item (absent ones keep the item's defaults); the scratch
 * row keeps its keys and the absent fields. */
static void
fields_move(const struct field *fl, void *item, void *tmp, uint32_t seen)
{
	const struct field *f;

	static const size_t size[] = {
		[F_STR] = sizeof(char *), [F_KEY] = 0, [F_NKEY] = 0,
		[F_ISTR] = sizeof(char *), [F_TEXT] = sizeof(char *),
		[F_DERIVED] = 0,
		[F_U64] = sizeof(uint64_t), [F_TIME] = sizeof(int64_t),
		[F_ENUM] = sizeof(int), [F_NENUM] = sizeof(int),
		[F_YEAR] = sizeof(int),
		[F_SAMPLE] = sizeof(struct summary_sample),
		[F_EVIDENCE] = sizeof(struct evidence_set),
	};

	for (f = fl; f->name; f++) {
		if (f->type == F_KEY || f->type == F_NKEY ||
		    f->type == F_DERIVED || !(seen & UINT32_C(1) << (f - fl)))
			continue;
		memcpy((char *)item + f->off, (char *)tmp + f->off,
		    size[f->type]);
		memset((char *)tmp + f->off, 0, size[f->type]);
	}
}

/* ------------------------------------------------------------- rows */

/*
 * One kind of row: its table and how to find or add its item from the
 * scratch row's keys.  `add` returns the item (NULL on OOM) and sets
 * *created; an item that was not created is a repeated key.
 */
struct row_kind {
	enum summary_row row;	/* its fields: summary_fields(row) */
	size_t size;
	void *(*add)(struct summary *s, void *tmp, int *created);
};

static void *
add_machine(struct summary *s, void *tmp, int *created)
{
	struct summary_machine *t = tmp;

	return summary_machine_get(s, t->name, created);
}

static void *
add_input(struct summary *s, void *tmp, int *created)
{
	struct summary_input *t = tmp;

	*created = 1;
	return summary_input_add(s, t->machine, t->path);
}

static void *
add_finding(struct summary *s, void *tmp, int *created)
{
	struct summary_finding *t = tmp;

	return summary_finding_get(s, t->machine, t->id, created);
}

static void *
add_job(struct summary *s, void *tmp, int *created)
{
	struct summary_job *t = tmp;

	return summary_job_get(s, t->machine, t->task_id, created);
}

static void *
add_failed_file(struct summary *s, void *tmp, int *created)
{
	struct summary_failed_file *t = tmp;

	return summary_failed_file_get(s, t->machine, t->path, t->code,
	    created);
}

static void *
add_template(struct summary *s, void *tmp, int *created)
{
	struct summary_template *t = tmp;

	return summary_template_get(s, t->machine, t->text, created);
}

static void *
add_bucket(struct summary *s, void *tmp, int *created)
{
	struct summary_bucket *t = tmp;

	return summary_bucket_get(s, t->machine, t->hour, created);
}

static const struct row_kind kinds[] = {
	{ SROW_MACHINE, sizeof(struct summary_machine), add_machine },
	{ SROW_INPUT, sizeof(struct summary_input), add_input },
	{ SROW_FINDING, sizeof(struct summary_finding), add_finding },
	{ SROW_JOB, sizeof(struct summary_job), add_job },
	{ SROW_FAILED_FILE, sizeof(struct summary_failed_file),
	    add_failed_file },
	{ SROW_TEMPLATE, sizeof(struct summary_template), add_template },
	{ SROW_BUCKET, sizeof(struct summary_bucket), add_bucket },
};

/* The largest row type, for the scratch row. */
union row_any {
	struct summary_machine m;
	struct summary_input i;
	struct summary_finding f;
	struct summary_job j;
	struct summary_failed_file ff;
	struct summary_template t;
	struct summary_bucket b;
};

static int
jr_row(struct jr *r, const struct row_kind *k, union row_any *tmp)
{
	const struct field *f;
	const char *start;
	uint32_t seen = 0;
	void *item;
	int created;

	jr_ws(r);
	start = r->p;
	fields_init(summary_fields(k->row), tmp, k->size);
	if (jr_fields(r, summary_fields(k->row), tmp, summary_row_key(k->row), &seen) < 0)
		return -1;
	for (f = summary_fields(k->row); f->name; f++)
		if (f->type == F_KEY && !*AT(tmp, f->off, char *))
			return jr_fail(r, start, "%s item without \"%s\"",
			    summary_row_key(k->row), f->name);
	if (!(item = k->add(r->s, tmp, &created)))
		return jr_oom(r);
	if (!created)
		return jr_fail(r, start, "repeated %s item", summary_row_key(k->row));
	fields_move(summary_fields(k->row), item, tmp, seen);
	return 0;
}

static int
jr_rows(struct jr *r, const struct row_kind *k)
{
	union row_any tmp;
	int first = 1, more, rc = 0;

	if (jr_open(r, '[', summary_row_key(k->row)) < 0)
		return -1;
	while ((more = jr_array_next(r, &first)) == 1) {
		memset(&tmp, 0, sizeof(tmp));
		rc = jr_row(r, k, &tmp);
		fields_release(summary_fields(k->row), &tmp);
		if (rc < 0)
			return -1;
	}
	return more;
}

/* --------------------------------------------------------- document */

static int
machine_name_eq(const void *ctx, size_t idx, const void *key)
{
	return strcmp(((const struct summary_machine *)ctx)[idx].name,
	    key) == 0;
}

/* Every finding belongs to a machine that has a row (a finding of no
 * machine would be counted in no machine's errors, and merge would carry
 * it on): -1 naming the first that does not, at `at` (the findings). */
static int
jr_check_finding_machines(struct jr *r, const char *at)
{
	const struct summary *s = r->s;
	struct hmap h;
	size_t i;
	int rc = 0;

	hmap_init(&h);
	if (hmap_reserve(&h, s->nmachines) < 0)
		return jr_oom(r);
	for (i = 0; i < s->nmachines; i++)
		(void)hmap_insert(&h, hmap_hash(HMAP_HASH_INIT,
		    s->machines[i].name, strlen(s->machines[i].name) + 1), i);
	for (i = 0; i < s->nfindings && rc == 0; i++) {
		const char *m = s->findings[i].machine;

		if (hmap_find(&h, hmap_hash(HMAP_HASH_INIT, m, strlen(m) + 1),
		    machine_name_eq, s->machines, m) == HMAP_NONE)
			rc = jr_fail(r, at, "finding \"%.64s\" of machine "
			    "\"%.64s\", which has no row in \"machines\"",
			    s->findings[i].id, m);
	}
	hmap_release(&h);
	return rc;
}

static int
jr_document(struct jr *r)
{
	const char *schema_at = NULL, *findings_at = NULL, *start;
	int first = 1, more, st;
	size_t i;

	if (jr_open(r, '{', NULL) < 0)
		return -1;
	while ((more = jr_object_next(r, &first)) == 1) {
		for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
			if (strcmp(summary_row_key(kinds[i].row), r->buf) == 0)
				break;
		if (i < sizeof(kinds) / sizeof(kinds[0])) {
			if (kinds[i].row == SROW_FINDING) {
				jr_ws(r);
				findings_at = r->p;
			}
			st = jr_rows(r, &kinds[i]);
		} else if (strcmp(r->buf, "schema") == 0) {
			jr_ws(r);
			start = r->p;
			if (jr_str_value(r, "schema", 0) < 0)
				return -1;
			if (strcmp(r->buf, SUMMARY_SCHEMA) != 0)
				return jr_fail(r, start, "unsupported schema "
				    "\"%.64s\" (expected \"%s\")", r->buf,
				    SUMMARY_SCHEMA);
			schema_at = start;
			st = 0;
		} else if (strcmp(r->buf, "generator") == 0) {
			st = jr_str_dup(r, "generator", &r->s->generator);
		} else if (strcmp(r->buf, "redaction") == 0) {
			st = jr_str_dup(r, "redaction", &r->s->redaction);
		} else if (strcmp(r->buf, "totals") == 0) {
			st = jr_fields(r, summary_fields(SROW_TOTALS), &r->s->totals,
			    "totals", NULL);
		} else if (strcmp(r->buf, "fleet") == 0 && r->as_of) {
			struct jr_fleet fl = { ML_TIME_NONE };

			st = jr_null(r) ? 0 : jr_fields(r, fleet_fields, &fl,
			    "fleet", NULL);
			*r->as_of = fl.as_of;
		} else if (strcmp(r->buf, "templates_dropped") == 0) {
			st = jr_u64(r, "templates_dropped",
			    &r->s->templates_dropped);
		} else {
			st = jr_skip(r);
		}
		if (st < 0)
			return -1;
	}
	if (more < 0)
		return -1;
	if (jr_peek(r) >= 0)
		return jr_fail(r, r->p, "unexpected data after the summary");
	if (!schema_at)
		return jr_fail(r, r->text, "not a marslog summary "
		    "(no \"schema\")");
	if (findings_at != NULL)
		return jr_check_finding_machines(r, findings_at);
	return 0;
}

static struct summary *
json_parse(const char *text, size_t len, int64_t *as_of, char *err,
    size_t errlen)
{
	struct jr r;

	memset(&r, 0, sizeof(r));
	r.as_of = as_of;
	if (as_of)
		*as_of = ML_TIME_NONE;
	r.text = r.p = text;
	r.end = text + len;
	r.err = err;
	r.errlen = errlen;
	if (!(r.s = summary_new())) {
		snprintf(err, errlen, "1:1: out of memory");
		return NULL;
	}
	if (jr_document(&r) < 0) {
		summary_free(r.s);
		r.s = NULL;
	}
	free(r.buf);
	jr_keys_release(&r);
	return r.s;
}

struct summary *
summary_from_json(const char *text, size_t len, char *err, size_t errlen)
{
	return json_parse(text, len, NULL, err, errlen);
}

/* The whole of fp into a malloc'd buffer.  A regular file's size sizes
 * the buffer (no doubling for a 100 MB summary).  -1 with errno on
 * failure. */
static int
read_all(FILE *fp, char **out, size_t *outlen)
{
	char *buf = NULL, *nb;
	size_t len = 0, cap = 0, n;
	struct stat st;

	if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size > 0 && (uint64_t)st.st_size < SIZE_MAX - 65536) {
		cap = (size_t)st.st_size + 65536;
		if (!(buf = malloc(cap))) {
			errno = ENOMEM;
			return -1;
		}
	}
	for (;;) {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 262144;
			if (!(nb = realloc(buf, cap))) {
				free(buf);
				errno = ENOMEM;
				return -1;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, fp);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(fp)) {
		free(buf);
		if (!errno)
			errno = EIO;
		return -1;
	}
	*out = buf;
	*outlen = len;
	return 0;
}

struct summary *
summary_read_json_file(const char *path, char *err, size_t errlen)
{
	return summary_read_json_file_as_of(path, NULL, err, errlen);
}

struct summary *
summary_read_json_file_as_of(const char *path, int64_t *as_of, char *err,
    size_t errlen)
{
	int is_stdin = strcmp(path, "-") == 0;
	const char *name = is_stdin ? "<stdin>" : path;
	struct summary *s = NULL;
	FILE *fp;
	char *text = NULL, msg[512];
	size_t len;

	fp = is_stdin ? stdin : fopen(path, "rb");
	if (!fp) {
		snprintf(err, errlen, "cannot open %s: %s", name,
		    strerror(errno));
		return NULL;
	}
	errno = 0;
	if (read_all(fp, &text, &len) < 0) {
		snprintf(err, errlen, "cannot read %s: %s", name,
		    strerror(errno));
		goto out;
	}
	if (!(s = json_parse(text, len, as_of, msg, sizeof(msg))))
		snprintf(err, errlen, "%s:%s", name, msg);
out:
	free(text);
	if (!is_stdin)
		fclose(fp);
	return s;
}
