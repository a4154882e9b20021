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
 */
#include "parsers/errlog.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define MS_PER_DAY 86400000LL

/* The header fields of one line, before the year is known. */
struct header {
	uint32_t pid, tid;
	unsigned month, day;
	int64_t tod;		/* ms since midnight */
	int component;
	struct ml_span source;
	unsigned source_line;
	struct ml_span object, task;
	enum ml_level level;
	struct ml_span message;
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
	char task[40];
	uint64_t unparsed;
};

static int
hexv(unsigned char c)
{
	if ((unsigned)(c - '0') < 10u)
		return c - '0';
	c |= 0x20;
	if ((unsigned)(c - 'a') < 6u)
		return c - 'a' + 10;
	return -1;
}

static int
is_digit(char c)
{
	return (unsigned)(c - '0') < 10u;
}

/* End of the field starting at s. */
static const char *
field_end(const char *s, const char *e, int tab)
{
	if (tab) {
		while (s < e && *s != '\t')
			s++;
	} else {
		while (s < e && *s != ' ' && *s != '\t')
			s++;
	}
	return s;
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

static int
parse_hex32(const char *s, const char *t, uint32_t *v)
{
	uint32_t x = 0;
	int d;

	if (t - s < 1 || t - s > 8)
		return 0;
	for (; s < t; s++) {
		if ((d = hexv((unsigned char)*s)) < 0)
			return 0;
		x = x << 4 | (uint32_t)d;
	}
	*v = x;
	return 1;
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

/* "MM/DD" (one or two digits each) or "D-Mon". */
static int
parse_date(const char *s, const char *t, struct header *h)
{
	unsigned a = 0, b = 0;
	const char *q = s;

	while (q < t && q - s < 2 && is_digit(*q))
		a = a * 10 + (unsigned)(*q++ - '0');
	if (q == s || q >= t)
		return 0;
	if (*q == '/') {
		s = ++q;
		while (q < t && q - s < 2 && is_digit(*q))
			b = b * 10 + (unsigned)(*q++ - '0');
		if (q == s || q != t || a < 1 || a > 12 || b < 1 || b > 31)
			return 0;
		h->month = a;
		h->day = b;
		return 1;
	}
	if (*q == '-' && t - q == 4 && a >= 1 && a <= 31 &&
	    (b = month_from_name(q + 1)) != 0) {
		h->month = b;
		h->day = a;
		return 1;
	}
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

/* "name.ext(123)" */
static int
parse_source(const char *s, const char *t, struct header *h)
{
	const char *q = t - 1;
	unsigned v = 0, scale = 1;

	if (t - s < 4 || *q != ')')
		return 0;
	for (q--; q > s && is_digit(*q); q--) {
		v += (unsigned)(*q - '0') * scale;
		scale *= 10;
	}
	if (*q != '(' || q == s || q == t - 2 || t - q > 11)
		return 0;
	h->source.p = s;
	h->source.n = (size_t)(q - s);
	h->source_line = v;
	return 1;
}

/* 8-4-4-4-12 hex digits, optionally in braces. */
static int
is_guid(const char *s, size_t n)
{
	size_t i;

	if (n == 38 && s[0] == '{' && s[37] == '}') {
		s++;
		n = 36;
	}
	if (n != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (hexv((unsigned char)s[i]) < 0) {
			return 0;
		}
	}
	return 1;
}

/* "[" 0..16 hex digits "]" */
static int
is_object(const char *s, size_t n)
{
	size_t i;

	if (n < 2 || n > 18 || s[0] != '[' || s[n - 1] != ']')
		return 0;
	for (i = 1; i + 1 < n; i++)
		if (hexv((unsigned char)s[i]) < 0)
			return 0;
	return 1;
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
 * and empty fields in any order, then LEVEL, then the message.
 */
static void
parse_rest(const char *t, const char *e, int tab, struct header *h)
{
	const char *s = next_field(t, e, tab), *f;
	int k, have_object = 0, have_task = 0;
	enum ml_level lv;

	h->object.p = h->task.p = e;
	h->object.n = h->task.n = 0;
	h->level = ML_LEVEL_NONE;
	/* object, GUID, up to two empty fields and LEVEL: 6 is plenty */
	for (k = 0; s && k < 6; k++) {
		f = field_end(s, e, tab);
		if (f == s) {
			s = next_field(f, e, tab);
			continue;
		}
		if (!have_object && *s == '[' && is_object(s, (size_t)(f - s))) {
			h->object.p = s + 1;
			h->object.n = (size_t)(f - s) - 2;
			have_object = 1;
		} else if (!have_task && is_guid(s, (size_t)(f - s))) {
			h->task.p = s + (*s == '{');
			h->task.n = 36;
			have_task = 1;
		} else if ((lv = errlog_level_from_word(s, (size_t)(f - s))) !=
		    ML_LEVEL_NONE) {
			h->level = lv;
			s = next_field(f, e, tab);
			break;
		} else {
			break;
		}
		s = next_field(f, e, tab);
	}
	if (!s)
		s = e;
	h->message.p = s;
	h->message.n = (size_t)(e - s);
}

/* The whole header of a line s[0..e); 1 if it starts a record. */
static int
parse_header(const char *s, const char *e, struct header *h)
{
	const char *t = field_end(s, e, 0);
	unsigned v;
	int tab;

	if (t >= e)
		return 0;
	tab = *t == '\t';
	t = field_end(s, e, tab);
	h->pid = h->tid = 0;
	if (!parse_date(s, t, h)) {
		if (!parse_hex32(s, t, &h->pid) || !(s = next_field(t, e, tab)))
			return 0;
		t = field_end(s, e, tab);
		if (!parse_date(s, t, h)) {
			/* two hex columns: PID TID; one (findstr form): PID */
			if (!parse_hex32(s, t, &h->tid) ||
			    !(s = next_field(t, e, tab)))
				return 0;
			t = field_end(s, e, tab);
			if (!parse_date(s, t, h))
				return 0;
		}
	}
	if (!(s = next_field(t, e, tab)) || !(t = parse_time(s, e, h)) ||
	    (t < e && *t != '\t' && *t != ' ') || !(s = next_field(t, e, tab)))
		return 0;
	t = field_end(s, e, tab);
	h->component = -1;
	if (read_num(s, t, 9, &v) == t) {
		h->component = (int)v;
		if (!(s = next_field(t, e, tab)))
			return 0;
		t = field_end(s, e, tab);
	}
	if (!parse_source(s, t, h))
		return 0;
	parse_rest(t, e, tab, h);
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

static int
parse_any(const char *s, const char *e, struct header *h)
{
	size_t k;

	if (parse_header(s, e, h))
		return 1;
	k = prefix_len(s, (size_t)(e - s));
	return k > 0 && parse_header(s + k, e, h);
}

int
errlog_line_is_record(const char *line, size_t len)
{
	const char *s = line, *e = line + len;
	struct header h;

	return trim_line(&s, &e) && parse_any(s, e, &h);
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

/* The record's time: header fields plus the inferred year. */
static int64_t
record_time(struct errlog_parser *p, const struct header *h)
{
	unsigned key = h->month << 5 | h->day;
	int64_t t;
	int i;

	if (p->year > 0) {
		if (p->last_month && h->month < p->last_month)
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

/* Copies at most cap - 1 bytes of src into buf; returns the copy's span. */
static struct ml_span
keep(char *buf, size_t cap, struct ml_span src)
{
	struct ml_span r;

	r.n = src.n < cap ? src.n : cap - 1;
	memcpy(buf, src.p, r.n);
	r.p = buf;
	return r;
}

int
errlog_parse_line(struct errlog_parser *p, const char *line, size_t len,
    uint64_t line_no, struct errlog_record *rec)
{
	const char *s = line, *e = line + len;
	struct header h;

	if (!trim_line(&s, &e))
		return 0;
	if (!parse_any(s, e, &h)) {
		if (!p->have_record) {
			p->unparsed++;
			return 0;
		}
		*rec = p->prev;
		rec->message.p = s;
		rec->message.n = (size_t)(e - s);
		rec->line = line_no;
		rec->continuation = 1;
		return 1;
	}
	rec->time = record_time(p, &h);
	rec->pid = h.pid;
	rec->tid = h.tid;
	rec->component = h.component;
	rec->source = h.source;
	rec->source_line = h.source_line;
	rec->object = h.object;
	rec->task = h.task;
	rec->level = h.level;
	rec->message = h.message;
	rec->line = line_no;
	rec->continuation = 0;

	/* continuations repeat these, after this line buffer is gone */
	p->prev = *rec;
	p->prev.source = keep(p->source, sizeof(p->source), h.source);
	p->prev.object = keep(p->object, sizeof(p->object), h.object);
	p->prev.task = keep(p->task, sizeof(p->task), h.task);
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
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 ||
	    h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60)
		return ML_TIME_NONE;
	return ml_days_from_civil(y, (unsigned)mo, (unsigned)d) * MS_PER_DAY +
	    ((int64_t)h * 3600 + mi * 60 + sec) * 1000;
}
