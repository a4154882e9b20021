/* SPDX-License-Identifier: MIT */
/*
 * errlog.c -- MARS/DPM trace lines into records.
 *
 * One hand-written pass over the header fields, no strtol/sscanf and no
 * work on the message: the message is whatever follows the LEVEL word.
 * The separator after the first token decides the form of the whole line:
 * a TAB means the canonical TAB form, where every TAB separates a field
 * and empty fields count; a space means one of the copied forms, where any
 * run of spaces and TABs is one separator.  A line that fails is tried
 * once more after a findstr-style "name.errlog:" prefix.
 *
 * Fields, in order (brackets = optional):
 *   [PID [TID]] DATE TIME [AM|PM] [NN] file(line) {[obj] | GUID | empty}* [LEVEL] message
 * A field after file(line) that is none of these ends the header: the
 * record then has no level and the message starts at that field.
 *
 * Nearly every line is in the canonical TAB form with fixed-width date,
 * time and component, so parse_canonical() checks that shape first with
 * a handful of byte compares and no bounds check per byte, and the general
 * parser only sees what it rejects.  The GUID and object pointer are
 * checked 16 bytes at a time with SSE2 where available; a GUID equal to
 * the previous record's (the lines of one job) is only compared, and
 * "TAB NORMAL TAB" after it ends the header in one 8-byte compare.  With
 * SSE2 (so little-endian) PID and TID, and the date and time pairs, come
 * from a few 64-bit words instead of a byte at a time.
 */
#include "parsers/errlog.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#define ERRLOG_SSE2 1
#else
#define ERRLOG_SSE2 0
#endif

#define MS_PER_DAY 86400000LL

/* Fixed copy sizes for a record's fields kept for its continuations:
 * constants, so each copy is a few moves instead of a memcpy call. */
#define KEEP_SOURCE 32
#define KEEP_OBJECT 16
#define KEEP_TASK 40

/* A line being parsed: the record it fills, and the date and time that
 * become rec->time once the year is known. */
struct header {
	struct errlog_record *r;
	unsigned month, day;
	int64_t tod;		/* ms since midnight */
	const char *prev_task;	/* the last record's 36-byte task GUID, or NULL */
	int same_task;		/* r->task is those 36 bytes again */
	unsigned form;		/* ERRLOG_FORM_* bits of the line */
};

struct errlog_parser {
	int64_t reference;	/* ms; used when year == 0 */
	int ref_year;
	int year;		/* --year mode: year of the current record */
	unsigned last_month;	/* --year mode: 0 before the first record */
	unsigned cache_key;	/* (month, day[, year]) of cache_days, 0 none */
	int64_t cache_days[3];	/* ref mode: ref_year + 1, ref_year, ref_year - 1 */
	int have_record;
	struct errlog_record prev;	/* spans point into the buffers below */
	char source[256];
	char object[24];
	char task[KEEP_TASK];
	uint64_t unparsed;
	int flattened;		/* the last record had more in its line */
};

/* Hex digit value + 1 for 0-9 A-F a-f, 0 for any other byte. */
static const unsigned char hex_digit[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6,
	['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
};

#define IS_HEX(c) (hex_digit[(unsigned char)(c)] != 0)

#if !ERRLOG_SSE2
/* 1 if s[0..n) are all hex digits; no branch per byte, so fixed-width
 * runs (GUID groups, object pointers) cost a few cycles. */
static int
hex_run(const char *s, int n)
{
	int ok = 1, i;

	for (i = 0; i < n; i++)
		ok &= hex_digit[(unsigned char)s[i]] != 0;
	return ok;
}
#endif

static int
is_digit(char c)
{
	return (unsigned)(c - '0') < 10u;
}

#if ERRLOG_SSE2
static __m128i
load16(const char *s)
{
	return _mm_loadu_si128((const __m128i *)(const void *)s);
}

/* Bit i set if byte i of v is a hex digit. */
static unsigned
hex_mask16(__m128i v)
{
	__m128i lc = _mm_or_si128(v, _mm_set1_epi8(0x20));
	__m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
	    _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
	__m128i letter = _mm_and_si128(
	    _mm_cmpgt_epi8(lc, _mm_set1_epi8('a' - 1)),
	    _mm_cmplt_epi8(lc, _mm_set1_epi8('f' + 1)));

	return (unsigned)_mm_movemask_epi8(_mm_or_si128(digit, letter));
}

/* Bit i set if byte i of v is a decimal digit. */
static unsigned
digit_mask16(__m128i v)
{
	__m128i d = _mm_sub_epi8(v, _mm_set1_epi8('0'));

	return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(d,
	    _mm_set1_epi8(9)), d));
}

/* Bit i set if byte i of v is c. */
static unsigned
byte_mask16(__m128i v, char c)
{
	return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v,
	    _mm_set1_epi8(c)));
}
#endif

/* 16 hex digits at s (16 bytes available). */
static int
is_hex16(const char *s)
{
#if ERRLOG_SSE2
	return hex_mask16(load16(s)) == 0xFFFF;
#else
	return hex_run(s, 16);
#endif
}

/* 1 if s ends a field: end of line, a TAB, or (space form) a space. */
static int
at_sep(const char *s, const char *e, int tab)
{
	return s >= e || *s == '\t' || (!tab && *s == ' ');
}

/* Start of the field after the one ending at t, or NULL at end of line. */
static const char *
next_field(const char *t, const char *e, int tab)
{
	if (t >= e)
		return NULL;
	if (tab)
		return t + 1;
	while (t < e && (*t == ' ' || *t == '\t'))
		t++;
	return t;
}

/* 1..8 hex digits; returns the end or NULL. */
static const char *
parse_hex32(const char *s, const char *e, uint32_t *v)
{
	const char *q = s;
	uint32_t x = 0;
	unsigned c;

	for (; q < e && q - s < 9 && (c = hex_digit[(unsigned char)*q]) != 0;
	    q++)
		x = x << 4 | (c - 1);
	if (q == s || q - s > 8)
		return NULL;
	*v = x;
	return q;
}

/* "Jan".."Dec" (any case) -> 1..12, else 0. */
static unsigned
month_from_name(const char *s)
{
	static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	char a = (char)(s[0] | 0x20), b = (char)(s[1] | 0x20),
	    c = (char)(s[2] | 0x20);
	unsigned i;

	for (i = 0; i < 12; i++)
		if (names[3 * i] == a && names[3 * i + 1] == b &&
		    names[3 * i + 2] == c)
			return i + 1;
	return 0;
}

/* Reads 1..max digits; returns the pointer after them or NULL. */
static const char *
read_num(const char *s, const char *e, int max, unsigned *v)
{
	const char *q = s;

	*v = 0;
	while (q < e && q - s < max && is_digit(*q))
		*v = *v * 10 + (unsigned)(*q++ - '0');
	return q == s ? NULL : q;
}

/* "MM/DD" (one or two digits each) or "D-Mon"; returns the end or NULL. */
static const char *
parse_date(const char *s, const char *e, struct header *h)
{
	unsigned a, b;

	if (!(s = read_num(s, e, 2, &a)) || s >= e)
		return NULL;
	if (*s == '/') {
		if (!(s = read_num(s + 1, e, 2, &b)) || a < 1 || a > 12 ||
		    b < 1 || b > 31)
			return NULL;
		h->month = a;
		h->day = b;
		return s;
	}
	if (*s == '-' && e - s >= 4 && a >= 1 && a <= 31 &&
	    (b = month_from_name(s + 1)) != 0) {
		h->month = b;
		h->day = a;
		return s + 4;
	}
	return NULL;
}

/*
 * "H:MM:SS", "HH:MM:SS.mmm" (any number of fraction digits), optionally
 * followed by spaces and AM/PM.  Returns the end of the time or NULL.
 */
static const char *
parse_time(const char *s, const char *e, struct header *h)
{
	unsigned hh, mm, ss, ms = 0, scale = 100;
	const char *q;
	char c;

	if (!(s = read_num(s, e, 2, &hh)) || s >= e || *s++ != ':' ||
	    !(s = read_num(s, e, 2, &mm)) || s >= e || *s++ != ':' ||
	    !(s = read_num(s, e, 2, &ss)))
		return NULL;
	if (s < e && (*s == '.' || *s == ',')) {
		if (++s >= e || !is_digit(*s))
			return NULL;
		for (; s < e && is_digit(*s); s++, scale /= 10)
			ms += (unsigned)(*s - '0') * scale;
	}
	q = s;
	while (q < e && *q == ' ')
		q++;
	if (e - q >= 2 && (q[1] | 0x20) == 'm' &&
	    ((c = (char)(q[0] | 0x20)) == 'a' || c == 'p') &&
	    (e - q == 2 || q[2] == ' ' || q[2] == '\t')) {
		if (hh < 1 || hh > 12)
			return NULL;
		hh = hh % 12 + (c == 'p' ? 12 : 0);
		s = q + 2;
	}
	if (hh > 23 || mm > 59 || ss > 60)
		return NULL;
	h->tod = ((int64_t)hh * 3600 + mm * 60 + ss) * 1000 + ms;
	return s;
}

/* "name.ext(123)"; returns the end or NULL. */
static const char *
parse_source(const char *s, const char *e, int tab, struct header *h)
{
	const char *q = s, *r;
	unsigned v;

	while (q < e && *q != '(' && *q != '\t' && (tab || *q != ' '))
		q++;
	if (q == s || q >= e || *q != '(' || !(r = read_num(q + 1, e, 9, &v)) ||
	    r >= e || *r != ')')
		return NULL;
	h->r->source.p = s;
	h->r->source.n = (size_t)(q - s);
	h->r->source_line = v;
	return r + 1;
}

/* 8-4-4-4-12 hex digits at s (36 bytes available). */
static int
is_guid(const char *s)
{
#if ERRLOG_SSE2
	/* bytes 0-15 (dashes at 8, 13), 16-31 (dashes at 18, 23) and
	 * 20-35, of which only 32-35 are new */
	__m128i a = load16(s), b = load16(s + 16);
	unsigned da = 1u << 8 | 1u << 13, db = 1u << 2 | 1u << 7;

	return (hex_mask16(a) | da) == 0xFFFF && byte_mask16(a, '-') == da &&
	    (hex_mask16(b) | db) == 0xFFFF && byte_mask16(b, '-') == db &&
	    hex_mask16(load16(s + 20)) >> 12 == 0xF;
#else
	return s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-' &&
	    (hex_run(s, 8) & hex_run(s + 9, 4) & hex_run(s + 14, 4) &
	    hex_run(s + 19, 4) & hex_run(s + 24, 12));
#endif
}

/*
 * 1 if the 36 bytes at s are those at prev (NULL: no previous GUID).  The
 * lines of one job repeat its GUID, and three compares are cheaper than
 * is_guid()'s shape check, which the previous record already passed.
 */
static int
same_guid(const char *s, const char *prev)
{
#if ERRLOG_SSE2
	uint32_t a, b;

	if (prev == NULL)
		return 0;
	memcpy(&a, s + 32, 4);
	memcpy(&b, prev + 32, 4);
	return _mm_movemask_epi8(_mm_and_si128(
	    _mm_cmpeq_epi8(load16(s), load16(prev)),
	    _mm_cmpeq_epi8(load16(s + 16), load16(prev + 16)))) == 0xFFFF &&
	    a == b;
#else
	return prev != NULL && memcmp(s, prev, 36) == 0;
#endif
}

/* The first '(' or TAB in s[0..e), or e. */
static const char *
find_paren_or_tab(const char *s, const char *e)
{
#if ERRLOG_SSE2
	unsigned m;

	for (; e - s >= 16; s += 16) {
		__m128i v = load16(s);

		m = byte_mask16(v, '(') | byte_mask16(v, '\t');
		if (m != 0)
			return s + __builtin_ctz(m);
	}
#endif
	while (s < e && *s != '(' && *s != '\t')
		s++;
	return s;
}

enum ml_level
errlog_level_from_word(const char *s, size_t n)
{
#define LEVEL_IS(w) (n == sizeof(w) - 1 && memcmp(s, w, n) == 0)
	switch (n > 0 ? s[0] : 0) {
	case 'N':
		return LEVEL_IS("NORMAL") ? ML_LEVEL_NORMAL : ML_LEVEL_NONE;
	case 'W':
		return LEVEL_IS("WARNING") ? ML_LEVEL_WARNING : ML_LEVEL_NONE;
	case 'F':
		return LEVEL_IS("FATAL") ? ML_LEVEL_FATAL : ML_LEVEL_NONE;
	case 'C':
		return LEVEL_IS("CRITICAL") ? ML_LEVEL_CRITICAL : ML_LEVEL_NONE;
	case 'E':
		return LEVEL_IS("ERROR") ? ML_LEVEL_ERROR : ML_LEVEL_NONE;
	case 'I':
		return LEVEL_IS("INFO") || LEVEL_IS("INFORMATION") ?
		    ML_LEVEL_INFO : ML_LEVEL_NONE;
	case 'V':
		return LEVEL_IS("VERBOSE") ? ML_LEVEL_VERBOSE : ML_LEVEL_NONE;
	case 'A':
		return LEVEL_IS("ACTIVITY") ? ML_LEVEL_VERBOSE : ML_LEVEL_NONE;
	case 'P':
		return LEVEL_IS("PERF") ? ML_LEVEL_VERBOSE : ML_LEVEL_NONE;
	default:
		return ML_LEVEL_NONE;
	}
#undef LEVEL_IS
}

/*
 * The fields after file(line), which ends at t: object pointer, task GUID
 * and empty fields in any order, then LEVEL, then the message.  Each
 * field is recognised by its first bytes and fixed shape, so no field is
 * scanned twice and a long message is never scanned at all.
 */
static void
parse_rest(const char *t, const char *e, int tab, struct header *h)
{
	const char *s, *f;
	int k = 0, have_object = 0, have_task = 0;
	size_t n;

	h->r->object.p = h->r->task.p = e;
	h->r->object.n = h->r->task.n = 0;
	h->r->level = ML_LEVEL_NONE;
	h->same_task = 0;
	if (tab && e - t >= 64 && t[1] == '[' && t[18] == ']' &&
	    t[19] == '\t' && t[56] == '\t' && is_hex16(t + 2) &&
	    ((h->same_task = same_guid(t + 20, h->prev_task)) ||
	    is_guid(t + 20))) {
		/* the usual "[objptr] GUID", checked at fixed offsets and
		 * taken just as the first two rounds of the loop would */
		h->r->object.p = t + 2;
		h->r->object.n = 16;
		h->r->task.p = t + 20;
		h->r->task.n = 36;
		s = t + 57;
		if (e - s >= 8 && memcmp(s, "\tNORMAL\t", 8) == 0) {
			/* and the empty field and NORMAL, as the loop's
			 * next two rounds would take them */
			h->r->level = ML_LEVEL_NORMAL;
			h->r->message.p = s + 8;
			h->r->message.n = (size_t)(e - s) - 8;
			return;
		}
		have_object = have_task = 1;
		k = 2;
	} else {
		s = next_field(t, e, tab);
	}
	/* object, GUID, up to two empty fields and LEVEL: 6 is plenty */
	for (; s && s < e && k < 6; k++) {
		if (*s == '\t') {		/* empty field (TAB form) */
			s++;
			continue;
		}
		if (*s == '[' && !have_object) {
			if (e - s >= 18 && s[17] == ']' && is_hex16(s + 1))
				f = s + 17;	/* the usual 16 digits */
			else
				for (f = s + 1; f < e && f - s <= 16 &&
				    IS_HEX(*f); f++)
					;
			if (f >= e || *f != ']' || !at_sep(f + 1, e, tab))
				break;
			h->r->object.p = s + 1;
			h->r->object.n = (size_t)(f - s) - 1;
			have_object = 1;
			f++;
		} else if (!have_task && e - s >= 36 && is_guid(s) &&
		    at_sep(s + 36, e, tab)) {
			h->r->task.p = s;
			h->r->task.n = 36;
			have_task = 1;
			f = s + 36;
		} else if (!have_task && *s == '{' && e - s >= 38 &&
		    is_guid(s + 1) && s[37] == '}' && at_sep(s + 38, e, tab)) {
			h->r->task.p = s + 1;
			h->r->task.n = 36;
			have_task = 1;
			f = s + 38;
		} else if (tab && e - s >= 7 && memcmp(s, "NORMAL\t", 7) == 0) {
			/* most lines; the same result as the loop below */
			h->r->level = ML_LEVEL_NORMAL;
			s += 7;
			break;
		} else {
			/* a level word is at most 11 bytes */
			for (f = s; f < e && f - s < 12 && !at_sep(f, e, tab); f++)
				;
			n = (size_t)(f - s);
			if (!at_sep(f, e, tab) ||
			    (h->r->level = errlog_level_from_word(s, n)) ==
			    ML_LEVEL_NONE)
				break;
			s = next_field(f, e, tab);
			break;
		}
		s = next_field(f, e, tab);
	}
	if (!s)
		s = e;
	h->r->message.p = s;
	h->r->message.n = (size_t)(e - s);
}

#if ERRLOG_SSE2
/* The 8 bytes at s as a little-endian word. */
static uint64_t
load8(const char *s)
{
	uint64_t x;

	memcpy(&x, s, 8);
	return x;
}

/* The value of the n (1..8) hex digits at s (8 bytes available), without
 * a branch per digit: each byte becomes its nibble, the bytes after the
 * digits are shifted out, and the nibbles are packed pairwise. */
static uint32_t
hex_value(const char *s, unsigned n)
{
	uint64_t x = load8(s);

	/* '0'-'9' have bit 6 clear, 'A'-'F' and 'a'-'f' set: +9 */
	x = (x & 0x0F0F0F0F0F0F0F0FULL) + ((x >> 6) & 0x0101010101010101ULL) * 9;
	x = __builtin_bswap64(x << (8 * (8 - n)));
	x = (x | x >> 4) & 0x00FF00FF00FF00FFULL;
	x = (x | x >> 8) & 0x0000FFFF0000FFFFULL;
	return (uint32_t)(x | x >> 16);
}

/* The value of the n (1..8) decimal digits at s (8 bytes available), by
 * the usual SWAR steps: pairs, then quads, then the two halves. */
static uint32_t
dec_value(const char *s, unsigned n)
{
	uint64_t x = (load8(s) - 0x3030303030303030ULL) << (8 * (8 - n));

	x = x * 10 + (x >> 8);
	x = ((x & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32)) +
	    ((x >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32))) >>
	    32;
	return (uint32_t)x;
}
#endif

#if ERRLOG_SSE2
/* r->pid and r->tid from the 4 hex digits at s and at s + 5, both in one
 * word: each byte becomes its nibble as in hex_value(), then neighbouring
 * nibbles and bytes are joined (little-endian: the first digit is the
 * low byte, so it is shifted up). */
static void
pid_tid4(const char *s, struct errlog_record *r)
{
	uint32_t a, b;
	uint64_t x;

	memcpy(&a, s, 4);
	memcpy(&b, s + 5, 4);
	x = a | (uint64_t)b << 32;
	x = (x & 0x0F0F0F0F0F0F0F0FULL) + ((x >> 6) & 0x0101010101010101ULL) * 9;
	x = (x << 4 | x >> 8) & 0x00FF00FF00FF00FFULL;
	x = (x << 8 | x >> 16) & 0x0000FFFF0000FFFFULL;
	r->pid = (uint32_t)x;
	r->tid = (uint32_t)(x >> 32);
}

/* Each byte k of the 8 at s (low bits of digits) as 10 * d[k] + d[k + 1]
 * in byte k; bytes after a non-digit are garbage but never carry. */
static uint64_t
pairs8(const char *s)
{
	uint64_t x = load8(s) & 0x0F0F0F0F0F0F0F0FULL;

	return x * 10 + (x >> 8);
}
#endif

/* 1..8 hex digits and a TAB at s (16 bytes available); returns the byte
 * after the TAB or NULL. */
static const char *
hex32_tab(const char *s, uint32_t *v)
{
#if ERRLOG_SSE2
	unsigned n = (unsigned)__builtin_ctz(~hex_mask16(load16(s)));

	if (n - 1 > 7 || s[n] != '\t')
		return NULL;
	*v = hex_value(s, n);
	return s + n + 1;
#else
	uint32_t x = 0;
	unsigned c, n;

	for (n = 0; n < 9 && (c = hex_digit[(unsigned char)s[n]]) != 0; n++)
		x = x << 4 | (c - 1);
	if (n == 0 || n > 8 || s[n] != '\t')
		return NULL;
	*v = x;
	return s + n + 1;
#endif
}

/* "(digits)" then TAB at s, with at most 9 digits as read_num() takes
 * them; returns the TAB or NULL. */
static const char *
paren_num_tab(const char *s, const char *e, unsigned *v)
{
	const char *t;

#if ERRLOG_SSE2
	unsigned n;

	if (e - s >= 17) {
		n = (unsigned)__builtin_ctz(~digit_mask16(load16(s + 1)));
		if (n - 1 < 8) {
			if (s[n + 1] != ')' || s[n + 2] != '\t')
				return NULL;
			*v = dec_value(s + 1, n);
			return s + n + 2;
		}
	}
#endif
	if (!(t = read_num(s + 1, e, 9, v)) || e - t < 2 || t[0] != ')' ||
	    t[1] != '\t')
		return NULL;
	return t + 1;
}

#define DIGIT(c) ((unsigned)((c) - '0'))
#define TWO(s) (DIGIT((s)[0]) * 10 + DIGIT((s)[1]))

/* 1 if s[0..22) is "MM/DD TAB HH:MM:SS.mmm TAB NN TAB" (',' also
 * allowed before the milliseconds), each M D H S m N a digit. */
static int
fixed_fields(const char *s)
{
#if ERRLOG_SSE2
	/* s[0..16) "MM/DD\tHH:MM:SS.m" and s[6..22) "HH:MM:SS.mmm\tNN\t" */
	const unsigned seps_a = 1u << 2 | 1u << 5 | 1u << 8 | 1u << 11 |
	    1u << 14;
	const unsigned seps_b = 1u << 12 | 1u << 15;
	const unsigned digits_b = 1u << 10 | 1u << 11 | 1u << 13 | 1u << 14;
	__m128i a = load16(s), b = load16(s + 6);
	unsigned da = digit_mask16(a), db = digit_mask16(b);
	unsigned sa = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(a,
	    _mm_setr_epi8(0, 0, '/', 0, 0, '\t', 0, 0, ':', 0, 0, ':', 0, 0,
	    '.', 0)));
	unsigned sb = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(b,
	    _mm_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '\t', 0, 0,
	    '\t')));

	sa |= (unsigned)(s[14] == ',') << 14;
	return ((da & ~seps_a) | (sa & seps_a)) == 0xFFFF &&
	    ((db & digits_b) | (sb & seps_b)) == (digits_b | seps_b);
#else
	return (DIGIT(s[0]) < 10) & (DIGIT(s[1]) < 10) & (s[2] == '/') &
	    (DIGIT(s[3]) < 10) & (DIGIT(s[4]) < 10) & (s[5] == '\t') &
	    (DIGIT(s[6]) < 10) & (DIGIT(s[7]) < 10) & (s[8] == ':') &
	    (DIGIT(s[9]) < 10) & (DIGIT(s[10]) < 10) & (s[11] == ':') &
	    (DIGIT(s[12]) < 10) & (DIGIT(s[13]) < 10) &
	    ((s[14] == '.') | (s[14] == ',')) & (DIGIT(s[15]) < 10) &
	    (DIGIT(s[16]) < 10) & (DIGIT(s[17]) < 10) & (s[18] == '\t') &
	    (DIGIT(s[19]) < 10) & (DIGIT(s[20]) < 10) & (s[21] == '\t');
#endif
}

/*
 * 1 if s[0..32) is the whole fixed head with 4-digit PID and TID,
 * "PPPP TAB TTTT TAB MM/DD TAB HH:MM:SS.mmm TAB NN TAB", as almost every
 * line has; then sets r->pid and r->tid.  Two loads and masks at fixed
 * offsets, so no step waits for the length of the one before it.
 */
static int
head4(const char *s, struct errlog_record *r)
{
#if ERRLOG_SSE2
	const unsigned hex_a = 0x01EF, digits_a = 0x6C00;
	const unsigned digits_b = 0x6EDB, seps_b = 0x9124;
	__m128i a = load16(s), b = load16(s + 16);
	unsigned sa = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(a,
	    _mm_setr_epi8(0, 0, 0, 0, '\t', 0, 0, 0, 0, '\t', 0, 0, '/', 0, 0,
	    '\t')));
	unsigned sb = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(b,
	    _mm_setr_epi8(0, 0, ':', 0, 0, ':', 0, 0, '.', 0, 0, 0, '\t', 0, 0,
	    '\t')));

	sb |= (unsigned)(s[24] == ',') << 8;
	if (((hex_mask16(a) & hex_a) | (digit_mask16(a) & digits_a) |
	    (sa & ~(hex_a | digits_a))) != 0xFFFF ||
	    ((digit_mask16(b) & digits_b) | (sb & seps_b)) != 0xFFFF)
		return 0;
	pid_tid4(s, r);
	return 1;
#else
	(void)s;
	(void)r;
	return 0;
#endif
}

/*
 * The canonical TAB form up to file(line):
 *   PID TAB TID TAB MM/DD TAB HH:MM:SS.mmm TAB NN TAB file(line) TAB
 * with fixed-width date, time and component.  Returns the TAB after
 * file(line), or NULL when the line has any other shape.  Everything it
 * accepts, parse_header() would read the same way (a hex PID or TID is
 * never a date, and the AM/PM check cannot match a TAB), so the general
 * parser only runs on what this rejects.
 */
static const char *
parse_canonical(const char *s, const char *e, struct header *h)
{
	struct errlog_record *r = h->r;
	const char *q, *t;
	unsigned v, month, day, hh, mm, ss, ms;
#if ERRLOG_SSE2
	uint64_t x, y;
#endif

	/* 2 x 9 bytes of PID and TID, then 22 of fixed fields; the 16-byte
	 * loads of hex32_tab() stay inside these 40 */
	if (e - s < 40)
		return NULL;
	if (head4(s, r)) {
		s += 10;
	} else if (!(s = hex32_tab(s, &r->pid)) ||
	    !(s = hex32_tab(s, &r->tid)) || !fixed_fields(s)) {
		return NULL;
	}
#if ERRLOG_SSE2
	/* "MM/DD\tHH" and "MM:SS.mm": every pair from one word each */
	x = pairs8(s);
	y = pairs8(s + 9);
	month = (unsigned)x & 0xFF;
	day = (unsigned)(x >> 24) & 0xFF;
	hh = (unsigned)(x >> 48) & 0xFF;
	mm = (unsigned)y & 0xFF;
	ss = (unsigned)(y >> 24) & 0xFF;
	ms = ((unsigned)(y >> 48) & 0xFF) * 10 + DIGIT(s[17]);
#else
	month = TWO(s);
	day = TWO(s + 3);
	hh = TWO(s + 6);
	mm = TWO(s + 9);
	ss = TWO(s + 12);
	ms = DIGIT(s[15]) * 100 + DIGIT(s[16]) * 10 + DIGIT(s[17]);
#endif
	if (month - 1 > 11 || day - 1 > 30 || hh > 23 || mm > 59 || ss > 60)
		return NULL;
	h->month = month;
	h->day = day;
	h->tod = ((int64_t)hh * 3600 + mm * 60 + ss) * 1000 + ms;
	r->component = (int)TWO(s + 19);
	s += 22;
	q = find_paren_or_tab(s, e);
	if (q == s || q >= e || *q != '(' || !(t = paren_num_tab(q, e, &v)))
		return NULL;
	r->source.p = s;
	r->source.n = (size_t)(q - s);
	r->source_line = v;
	return t;
}

/* The whole header of a line s[0..e); 1 if it starts a record. */
static int
parse_header(const char *s, const char *e, struct header *h)
{
	const char *t;
	unsigned v;
	int tab;

	if ((t = parse_canonical(s, e, h)) != NULL) {
		parse_rest(t, e, 1, h);
		h->form = ERRLOG_FORM_TAB;
		return 1;
	}
	h->r->pid = h->r->tid = 0;
	/* the separator after the first field sets the form of the line */
	t = parse_date(s, e, h);
	if (t && t < e && (*t == '\t' || *t == ' ')) {
		tab = *t == '\t';
	} else {
		/* PID and TID before the date; findstr copies have one */
		if (!(t = parse_hex32(s, e, &h->r->pid)) || t >= e ||
		    (*t != '\t' && *t != ' '))
			return 0;
		tab = *t == '\t';
		s = next_field(t, e, tab);
		if (!(t = parse_date(s, e, h)) || !at_sep(t, e, tab)) {
			if (!(t = parse_hex32(s, e, &h->r->tid)) ||
			    !at_sep(t, e, tab) || !(s = next_field(t, e, tab)) ||
			    !(t = parse_date(s, e, h)) || !at_sep(t, e, tab))
				return 0;
		}
	}
	if (!(s = next_field(t, e, tab)) || !(t = parse_time(s, e, h)) ||
	    !at_sep(t, e, tab) || !(s = next_field(t, e, tab)))
		return 0;
	h->r->component = -1;
	if ((t = read_num(s, e, 9, &v)) != NULL && at_sep(t, e, tab)) {
		h->r->component = (int)v;
		if (!(s = next_field(t, e, tab)))
			return 0;
	}
	if (!(t = parse_source(s, e, tab, h)) || !at_sep(t, e, tab))
		return 0;
	parse_rest(t, e, tab, h);
	h->form = tab ? ERRLOG_FORM_TAB : ERRLOG_FORM_SPACES;
	return 1;
}

/* Offset just after a findstr "name.errlog:" / "name.Crash:" prefix, or 0. */
static size_t
prefix_len(const char *line, size_t len)
{
	const char *p = line, *e = line + len, *c;

	while ((c = memchr(p, ':', (size_t)(e - p))) != NULL) {
		if ((c - line >= 7 && strncasecmp(c - 7, ".errlog", 7) == 0) ||
		    (c - line >= 6 && strncasecmp(c - 6, ".crash", 6) == 0))
			return (size_t)(c + 1 - line);
		p = c + 1;
	}
	return 0;
}

static const char *
skip_blanks(const char *s, const char *e)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

/* The end of 1..max digits at s, or NULL. */
static const char *
skip_digits(const char *s, const char *e, int max)
{
	const char *q = s;

	while (q < e && q - s < max && is_digit(*q))
		q++;
	return q > s && (q >= e || !is_digit(*q)) ? q : NULL;
}

/*
 * A time column a log viewer puts before each line: a date with a year
 * ("2024-08-04", "08/04/2024", "2024/08/04", "2024-08-04T13:16:29.206Z"),
 * optionally followed by a time and AM/PM, or a lone time "13:16:29.206",
 * or anything in brackets with a digit and a ':' ("[2024-08-04 13:16]").
 * The record's own "MM/DD HH:MM:SS" has no year and is never taken.
 * Returns the end of the column, or NULL.
 */
static const char *
viewer_time(const char *s, const char *e)
{
	const char *q = s, *t;
	int digits = 0, run = 0, year = 0, colon = 0, dash = 0;

	if (*s == '[') {
		t = memchr(s, ']', (size_t)(e - s) < 48 ? (size_t)(e - s) : 48);
		if (t == NULL || !memchr(s, ':', (size_t)(t - s)))
			return NULL;
		for (q = s; q < t && !is_digit(*q); q++)
			;
		return q < t ? t + 1 : NULL;
	}
	for (; q < e && (is_digit(*q) || strchr("-/.:,TZ+", *q) != NULL) &&
	    *q != '\0'; q++) {
		if (is_digit(*q)) {
			run++;
			digits++;
			continue;
		}
		year |= run == 4;	/* a run of exactly four digits */
		run = 0;
		colon |= *q == ':';
		dash |= *q == '-' || *q == '/';
	}
	year = (year || run == 4) && dash;
	if (q < e && *q != ' ' && *q != '\t' && *q != '|')
		return NULL;
	if (year && digits >= 6 && !colon) {
		/* a date: its time may follow */
		t = skip_blanks(q, e);
		if ((q = viewer_time(t, e)) == NULL)
			return t;
		return q;
	}
	if (!year && colon && digits >= 6 && q - s >= 8 && s[1 + is_digit(s[1])] == ':') {
		/* a time "H:MM:SS[.fff]" and maybe AM/PM */
		t = skip_blanks(q, e);
		if (e - t >= 2 && (t[0] == 'A' || t[0] == 'P') && t[1] == 'M' &&
		    (e - t == 2 || t[2] == ' ' || t[2] == '\t'))
			q = t + 2;
		return q;
	}
	if (year && digits >= 10 && colon)	/* "2024-08-04T13:16:29Z" */
		return q;
	return NULL;
}

/*
 * One prefix that a search tool, a viewer or a person put before a
 * record, at s: returns the start of what follows it (blanks skipped) and
 * sets *form, or NULL if s starts with none of them.
 */
static const char *
strip_prefix(const char *s, const char *e, unsigned *form)
{
	const char *q;
	size_t k;

	if (s >= e)
		return NULL;
	if ((e - s >= 3 && memcmp(s, "...", 3) == 0) ||
	    (e - s >= 3 && memcmp(s, "\xE2\x80\xA6", 3) == 0)) {
		/* "... " of an excerpt (or the one-character ellipsis) */
		for (q = s; q < e && (*q == '.' || (e - q >= 3 &&
		    memcmp(q, "\xE2\x80\xA6", 3) == 0)); q += *q == '.' ? 1 : 3)
			;
		*form = ERRLOG_FORM_EXCERPT;
		return skip_blanks(q, e);
	}
	if (*s == '>') {			/* "> " of a quoted reply */
		for (q = s; q < e && (*q == '>' || *q == ' ' || *q == '\t'); q++)
			;
		*form = ERRLOG_FORM_QUOTED;
		return q;
	}
	if (e - s > 6 && memcmp(s, "Line", 4) == 0 && (s[4] == ' ' ||
	    s[4] == '\t')) {		/* Notepad++ "Line 28: " */
		q = skip_digits(skip_blanks(s + 4, e), e, 10);
		if (q != NULL && q < e && *q == ':') {
			*form = ERRLOG_FORM_NOTEPADPP;
			return skip_blanks(q + 1, e);
		}
		return NULL;
	}
	if ((k = prefix_len(s, (size_t)(e - s))) > 0) {	/* "name.errlog:" */
		*form = ERRLOG_FORM_FINDSTR;
		return s + k;
	}
	if ((q = viewer_time(s, e)) != NULL) {
		*form = ERRLOG_FORM_VIEWER_TIME;
		q = skip_blanks(q, e);
		if (q < e && *q == '|')
			q = skip_blanks(q + 1, e);
		return q;
	}
	/* up to 7 digits: a longer number is no line number */
	if ((q = skip_digits(s, e, 7)) != NULL && q < e) {
		if (*q == ':') {			/* findstr /n "28:" */
			*form = ERRLOG_FORM_FINDSTR;
			return q + 1;
		}
		if (*q == ' ' || *q == '\t' || *q == '|' || *q == '.' ||
		    *q == ')') {			/* a line-number column */
			*form = ERRLOG_FORM_LINE_NUMBERS;
			q = skip_blanks(q + (*q != ' ' && *q != '\t'), e);
			if (q < e && *q == '|')
				q = skip_blanks(q + 1, e);
			return q;
		}
	}
	return NULL;
}

#define PREFIXES_MAX 4	/* "> " + "... " + "Line 28: " + one more */

/*
 * The whole header of a line s[0..e), after any prefixes of pasted and
 * copied forms; 1 if it starts a record.  *body is where the line's text
 * starts once the prefixes that were recognised are removed (the message
 * of a continuation).
 */
static int
parse_any(const char *s, const char *e, struct header *h, const char **body)
{
	unsigned forms = 0, f = 0;
	const char *q;
	int i;

	*body = s;
	if (parse_header(s, e, h))
		return 1;
	for (i = 0; i < PREFIXES_MAX && (q = strip_prefix(s, e, &f)) != NULL;
	    i++) {
		forms |= f;
		s = q;
		if (f != ERRLOG_FORM_LINE_NUMBERS &&
		    f != ERRLOG_FORM_VIEWER_TIME)
			*body = s;	/* a viewer's columns are kept as text */
		if (parse_header(s, e, h)) {
			h->form |= forms;
			return 1;
		}
	}
	return 0;
}

/*
 * Where another record starts inside s[0..e) after its first byte, as in
 * a knowledge-base page that flattened several records into one line:
 * a space, then [PID [TID]] MM/DD HH:MM:SS ... in the space form, as
 * parse_header() reads it.  A page that flattens lines also turns their
 * TABs into spaces, so a header with TABs inside a line is not taken (it
 * is more likely the tail of a damaged line).  Each '/' with one or two
 * digits and a space before it is a candidate date; the one or two hex
 * tokens before it are tried first.  Returns the start, or NULL.
 */
static const char *
embedded_record(const char *s, const char *e)
{
	const char *q = s, *slash, *d, *c, *t, *starts[3];
	struct errlog_record rec;
	struct header h;
	int n, k;

	h.r = &rec;
	h.prev_task = NULL;
	while (q < e && (slash = memchr(q, '/', (size_t)(e - q))) != NULL) {
		q = slash + 1;
		for (d = slash; d > s && slash - d < 2 && is_digit(d[-1]); d--)
			;
		if (d == slash || d - s < 2 || d[-1] != ' ')
			continue;
		n = 0;
		starts[n++] = d;
		for (c = d; n < 3; c = t) {
			while (c > s && c[-1] == ' ')
				c--;
			for (t = c; t > s && c - t <= 8 && IS_HEX(t[-1]); t--)
				;
			if (t == c || c - t > 8 || t - s < 2 || t[-1] != ' ')
				break;
			starts[n++] = t;
		}
		for (k = n - 1; k >= 0; k--)
			if (parse_header(starts[k], e, &h) &&
			    h.form == ERRLOG_FORM_SPACES)
				return starts[k];
	}
	return NULL;
}

/* "Search "x" (3 hits in 1 file of 12 searched)" and "  C:\...\x.errlog
 * (3 hits)": the header lines of a Notepad++ Find in Files result. */
static int
is_search_header(const char *s, const char *e)
{
	const char *q = e;

	if (e - s > 8 && memcmp(s, "Search \"", 8) == 0)
		return memmem(s, (size_t)(e - s), " hits in ", 9) != NULL ||
		    memmem(s, (size_t)(e - s), " hit in ", 8) != NULL;
	if (e - s < 8 || e[-1] != ')')
		return 0;
	if (memcmp(e - 6, " hits)", 6) == 0)
		q = e - 6;
	else if (memcmp(e - 5, " hit)", 5) == 0)
		q = e - 5;
	else
		return 0;
	while (q > s && is_digit(q[-1]))
		q--;
	return q - s >= 2 && q[-1] == '(' && is_digit(*q);
}

/* Trims the line end and leading blanks; returns 0 for a blank line. */
static int
trim_line(const char **s, const char **e)
{
	while (*e > *s && ((*e)[-1] == '\r' || (*e)[-1] == '\n'))
		(*e)--;
	if (*e - *s >= 3 && memcmp(*s, "\xEF\xBB\xBF", 3) == 0)
		*s += 3;
	while (*s < *e && (**s == ' ' || **s == '\t'))
		(*s)++;
	return *s < *e;
}

/* The end of s[0..e) without trailing blanks. */
static const char *
trim_end(const char *s, const char *e)
{
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	return e;
}

int
errlog_line_is_record(const char *line, size_t len)
{
	const char *s = line, *e = line + len, *body;
	struct errlog_record rec;
	struct header h;

	h.r = &rec;
	h.prev_task = NULL;
	return trim_line(&s, &e) && parse_any(s, e, &h, &body);
}

int
errlog_line_has_record(const char *line, size_t len)
{
	const char *s = line, *e = line + len;

	return errlog_line_is_record(line, len) ||
	    (trim_line(&s, &e) && embedded_record(s, e) != NULL);
}

struct errlog_parser *
errlog_parser_new(const struct errlog_options *opt)
{
	struct errlog_parser *p = calloc(1, sizeof(*p));
	int64_t days;
	int y;
	unsigned m, d;

	if (!p)
		return NULL;
	p->year = opt ? opt->year : 0;
	p->reference = opt ? opt->reference_time : ML_TIME_NONE;
	if (p->reference == ML_TIME_NONE)
		p->reference = (int64_t)time(NULL) * 1000;
	days = p->reference / MS_PER_DAY - (p->reference % MS_PER_DAY < 0);
	ml_civil_from_days(days, &y, &m, &d);
	p->ref_year = y;
	return p;
}

void
errlog_parser_free(struct errlog_parser *p)
{
	free(p);
}

uint64_t
errlog_parser_unparsed(const struct errlog_parser *p)
{
	return p->unparsed;
}

/* The record's time: header fields plus the inferred year (any year). */
static int64_t
record_time_any(struct errlog_parser *p, const struct header *h)
{
	unsigned key = h->month << 5 | h->day;
	int64_t t;
	int i;

	if (p->year > 0) {
		/* capped: past 9999 every time is unknown anyway, and a
		 * hostile file must not overflow the year */
		if (p->last_month && h->month < p->last_month &&
		    p->year < 10000)
			p->year++;
		p->last_month = h->month;
		key |= (unsigned)p->year << 9;
		if (key != p->cache_key) {
			p->cache_key = key;
			p->cache_days[0] = ml_days_from_civil(p->year, h->month,
			    h->day);
		}
		return p->cache_days[0] * MS_PER_DAY + h->tod;
	}
	if (key != p->cache_key) {
		p->cache_key = key;
		for (i = 0; i < 3; i++)
			p->cache_days[i] = ml_days_from_civil(p->ref_year + 1 - i,
			    h->month, h->day);
	}
	/* the latest year that is at most a day after the reference */
	for (i = 0; i < 2; i++) {
		t = p->cache_days[i] * MS_PER_DAY + h->tod;
		if (t <= p->reference + MS_PER_DAY)
			return t;
	}
	return p->cache_days[2] * MS_PER_DAY + h->tod;
}

/* The record's time, ML_TIME_NONE when its year is outside 1970-9999
 * (record.h): --year 9999 rolling over, a reference in year 9999. */
static int64_t
record_time(struct errlog_parser *p, const struct header *h)
{
	int64_t t = record_time_any(p, h);

	return ml_time_valid(t) ? t : ML_TIME_NONE;
}

/*
 * Copies at most cap - 1 bytes of src into buf; returns the copy's span.
 * When the line holds `fixed` bytes from src.p on (it nearly always does:
 * more fields follow), exactly that many are copied, a constant the
 * compiler turns into a few moves.  fixed <= cap.
 */
static struct ml_span
keep(char *buf, size_t cap, size_t fixed, struct ml_span src, const char *e)
{
	struct ml_span r;

	r.n = src.n < cap ? src.n : cap - 1;
	if (r.n <= fixed && (size_t)(e - src.p) >= fixed)
		memcpy(buf, src.p, fixed);
	else
		memcpy(buf, src.p, r.n);
	r.p = buf;
	return r;
}

int
errlog_parse_line(struct errlog_parser *p, const char *line, size_t len,
    uint64_t line_no, struct errlog_record *rec)
{
	const char *s = line, *e = line + len, *body, *next;
	struct header h;

	rec->rest = 0;
	/* A line that starts with a hex digit (a PID or a date) and has no
	 * line end has nothing for trim_line() to take (a BOM starts with
	 * 0xEF), so the usual line skips it. */
	if (len == 0 || !IS_HEX(line[0]) || e[-1] == '\r' || e[-1] == '\n') {
		if (!trim_line(&s, &e))
			return 0;
	}
	h.r = rec;
	h.prev_task = p->have_record && p->prev.task.n == 36 ? p->task : NULL;
	if (!parse_any(s, e, &h, &body)) {
		if (is_search_header(s, e)) {
			/* the next lines come from another file */
			p->have_record = 0;
			return 0;
		}
		/* text before a record that a page flattened into its line */
		if ((next = embedded_record(body, e)) != NULL) {
			rec->rest = (size_t)(line + len - next);
			e = trim_end(body, next);
		}
		if (!p->have_record) {
			p->unparsed++;
			return 0;
		}
		*rec = p->prev;
		rec->message.p = body;
		rec->message.n = (size_t)(e - body);
		rec->line = line_no;
		rec->continuation = 1;
		rec->form = 0;
		rec->rest = next != NULL ? (size_t)(line + len - next) : 0;
		return 1;
	}
	rec->time = record_time(p, &h);
	rec->line = line_no;
	rec->continuation = 0;
	rec->form = h.form;
	/* Only a copied form can hold several records in one line; the
	 * agent's own TAB lines are never searched. */
	if (h.form != ERRLOG_FORM_TAB && (next = embedded_record(
	    rec->message.p, e)) != NULL) {
		rec->rest = (size_t)(line + len - next);
		rec->message.n = (size_t)(trim_end(rec->message.p, next) -
		    rec->message.p);
		rec->form |= ERRLOG_FORM_FLATTENED;
		p->flattened = 1;
	} else if (p->flattened) {
		/* the last of a line's records */
		rec->form |= ERRLOG_FORM_FLATTENED;
		p->flattened = 0;
	}

	/*
	 * Continuations repeat these, after this line buffer is gone.  Field
	 * by field: a struct copy reads *rec with 16-byte loads right after
	 * the narrower stores that filled it, and each such load waits for
	 * the stores to drain (no store-to-load forwarding); that stall cost
	 * more than the rest of this function.
	 */
	p->prev.time = rec->time;
	p->prev.pid = rec->pid;
	p->prev.tid = rec->tid;
	p->prev.component = rec->component;
	p->prev.source_line = rec->source_line;
	p->prev.level = rec->level;
	p->prev.source = keep(p->source, sizeof(p->source), KEEP_SOURCE,
	    rec->source, e);
	p->prev.object = keep(p->object, sizeof(p->object), KEEP_OBJECT,
	    rec->object, e);
	if (!h.same_task)	/* else p->task holds these bytes already */
		p->prev.task = keep(p->task, sizeof(p->task), KEEP_TASK,
		    rec->task, e);
	p->have_record = 1;
	return 1;
}

/* Two or four digits at s as a number, or -1. */
static int
digits_at(const char *s, int n)
{
	int v = 0;

	for (; n > 0; n--, s++) {
		if (!is_digit(*s))
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

int64_t
errlog_time_from_name(const char *name)
{
	/* ".YYYY-MM-DD_HH-MM-SS.crash" at the end of the name */
	size_t n = strlen(name);
	const char *s;
	int y, mo, d, h, mi, sec;

	if (n < 26 || strcasecmp(name + n - 6, ".crash") != 0)
		return ML_TIME_NONE;
	s = name + n - 26;
	if (s[0] != '.' || s[5] != '-' || s[8] != '-' || s[11] != '_' ||
	    s[14] != '-' || s[17] != '-')
		return ML_TIME_NONE;
	y = digits_at(s + 1, 4);
	mo = digits_at(s + 6, 2);
	d = digits_at(s + 9, 2);
	h = digits_at(s + 12, 2);
	mi = digits_at(s + 15, 2);
	sec = digits_at(s + 18, 2);
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 ||
	    h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60)
		return ML_TIME_NONE;
	return ml_days_from_civil(y, (unsigned)mo, (unsigned)d) * MS_PER_DAY +
	    ((int64_t)h * 3600 + mi * 60 + sec) * 1000;
}

static const char *const form_names[ERRLOG_FORM_COUNT] = {
	"tab", "spaces", "findstr", "notepad++", "quoted", "flattened",
	"line-numbers", "viewer-time", "excerpt",
};

const char *
errlog_form_name(unsigned i)
{
	return i < ERRLOG_FORM_COUNT ? form_names[i] : NULL;
}

char *
errlog_forms_format(unsigned forms, char *buf, size_t len)
{
	size_t o = 0, n;
	unsigned i;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < ERRLOG_FORM_COUNT; i++) {
		if (!(forms & 1u << i))
			continue;
		n = strlen(form_names[i]);
		if (o + (o > 0) + n >= len)
			break;
		if (o > 0)
			buf[o++] = '+';
		memcpy(buf + o, form_names[i], n + 1);
		o += n;
	}
	return buf;
}

unsigned
errlog_forms_parse(const char *s)
{
	unsigned forms = 0, i, best;
	size_t n, best_n;
	const char *q;

	while (*s != '\0') {
		/* the longest name here that ends at a '+' or the end
		 * ("notepad++" has two of its own) */
		best = ERRLOG_FORM_COUNT;
		best_n = 0;
		for (i = 0; i < ERRLOG_FORM_COUNT; i++) {
			n = strlen(form_names[i]);
			if (n > best_n && strncmp(s, form_names[i], n) == 0 &&
			    (s[n] == '+' || s[n] == '\0')) {
				best = i;
				best_n = n;
			}
		}
		if (best < ERRLOG_FORM_COUNT) {
			forms |= 1u << best;
			s += best_n;
		} else if ((q = strchr(s, '+')) != NULL) {
			s = q;		/* an unknown name */
		} else {
			break;
		}
		if (*s == '+')
			s++;
	}
	return forms;
}
