/* SPDX-License-Identifier: MIT */
/*
 * failed.c -- LastBackupFailedFiles*.txt lines into items.
 *
 * The list format is undocumented, so the rule is shape-based: find the
 * HRESULT ("0x" + 8 hex digits, or a bare 8-hex-digit word starting with
 * 8..F, since failure codes have the top bit set) and the path (X:\,
 * \\?\ or \\server\share).  A path may contain spaces, so it ends only at
 * a TAB, at the code, or at the end of the line; a label glued to the code
 * ("path, Error: 0x80070005") and brackets around it are trimmed off.
 */
#include "parsers/failed.h"

#include <string.h>
#include <strings.h>

static const char boilerplate[] =
    "Consider adding these to exclusion list of backup policy.";

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
is_alnum(unsigned char c)
{
	return hexv(c) >= 0 || ((unsigned)((c | 0x20) - 'a') < 26u) ||
	    c == '_';
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
	    c == '\v';
}

/* Bytes that glue a hex run into a longer word or a path component, so
 * that "C:\\x\\0x80070005.log" or "\\DEADBEEF\\" is not a code. */
static int
in_word(char c)
{
	return is_alnum((unsigned char)c) || c == '\\' || c == '/' || c == '.';
}

/* Separators a label or bracket around a path, code or text may carry. */
static int
is_punct(char c)
{
	return is_space(c) || c == ',' || c == ';' || c == ':' || c == '(' ||
	    c == ')' || c == '[' || c == ']' || c == '-' || c == '|' ||
	    c == '=';
}

static uint32_t
hex8(const char *s)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 4 | (uint32_t)hexv((unsigned char)s[i]);
	return v;
}

static int
all_hex(const char *s, size_t n)
{
	for (; n > 0; n--, s++)
		if (hexv((unsigned char)*s) < 0)
			return 0;
	return 1;
}

/*
 * Finds the HRESULT in s[0..n): sets *at and *len (10 for 0x form, 8 for
 * a bare word).  A "0x" code anywhere wins over a bare word.
 */
static int
find_code(const char *s, size_t n, size_t *at, size_t *len, uint32_t *v)
{
	size_t i;

	for (i = 0; i + 10 <= n; i++) {
		if (s[i] == '0' && (s[i + 1] | 0x20) == 'x' &&
		    (i == 0 || !in_word(s[i - 1])) && all_hex(s + i + 2, 8) &&
		    (i + 10 == n || !in_word(s[i + 10]))) {
			*at = i;
			*len = 10;
			*v = hex8(s + i + 2);
			return 1;
		}
	}
	/* then a bare word */
	for (i = 0; i + 8 <= n; i++) {
		if (hexv((unsigned char)s[i]) < 8 ||
		    (i > 0 && in_word(s[i - 1])) || !all_hex(s + i, 8) ||
		    (i + 8 < n && in_word(s[i + 8])))
			continue;
		*at = i;
		*len = 8;
		*v = hex8(s + i);
		return 1;
	}
	return 0;
}

/* Offset of the first path (X:\ or X:/, \\?\, \\server) or n. */
static size_t
find_path(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 2 < n; i++) {
		if (s[i] == '\\' && s[i + 1] == '\\')
			return i;
		if (s[i + 1] == ':' && (s[i + 2] == '\\' || s[i + 2] == '/') &&
		    (unsigned)((s[i] | 0x20) - 'a') < 26u &&
		    (i == 0 || !is_alnum((unsigned char)s[i - 1])))
			return i;
	}
	return n;
}

/* What may sit between a path and a code after it: blanks, separators
 * and opening brackets.  Closers are not here: a path may end in ')'. */
static int
is_opener(char c)
{
	return is_space(c) || c == ',' || c == ';' || c == ':' || c == '(' ||
	    c == '[' || c == '-' || c == '|' || c == '=';
}

/* Trims is_punct() bytes from both ends of s[a..b). */
static struct ml_span
trim_span(const char *s, size_t a, size_t b)
{
	struct ml_span r;

	while (a < b && is_punct(s[a]))
		a++;
	while (b > a && is_punct(s[b - 1]))
		b--;
	r.p = s + a;
	r.n = b - a;
	return r;
}

/* A line of only dashes, '=' and blanks (or an empty one). */
static int
is_rule(const char *s, size_t n)
{
	for (; n > 0; n--, s++)
		if (*s != '-' && *s != '=' && !is_space(*s))
			return 0;
	return 1;
}

int
failed_parse_line(const char *line, size_t len, struct failed_item *item)
{
	size_t ps, pe, cs = 0, cl = 0, ce, i, a, b;
	int has_code, has_path;

	if (is_rule(line, len))
		return 0;
	while (len > 0 && is_space(line[0])) {
		line++;
		len--;
	}
	if (len >= sizeof(boilerplate) - 1 &&
	    memcmp(line, boilerplate, sizeof(boilerplate) - 1) == 0)
		return 0;

	has_code = find_code(line, len, &cs, &cl, &item->hresult);
	item->has_hresult = has_code;
	if (!has_code)
		item->hresult = 0;
	ps = find_path(line, len);
	pe = len;
	has_path = ps < len;
	if (has_path) {
		const char *tab = memchr(line + ps, '\t', len - ps);

		if (tab)
			pe = (size_t)(tab - line);
		if (has_code && cs > ps && cs < pe)
			pe = cs;
		/* "path, Error: 0x..": a ':' that is not a drive colon starts
		 * a label; the path ends before the label word */
		for (i = ps + 2; i < pe; i++) {
			if (line[i] == ':' && i + 1 < len && line[i + 1] != '\\' &&
			    line[i + 1] != '/') {
				while (i > ps && is_alnum((unsigned char)line[i - 1]))
					i--;
				pe = i;
				break;
			}
		}
		/* a path may end in ')' or ']', so only openers are trimmed */
		while (pe > ps + 3 && is_opener(line[pe - 1]))
			pe--;
		item->path.p = line + ps;
		item->path.n = pe - ps;
	} else {
		item->path.p = line + len;
		item->path.n = 0;
	}

	/* text: after both path and code, else between them, else before */
	ce = has_code ? cs + cl : 0;
	a = has_path && pe > ce ? pe : ce;
	item->text = trim_span(line, a, len);
	if (item->text.n == 0 && has_code && has_path) {
		if (ps < cs)
			item->text = trim_span(line, pe, cs);
		else
			item->text = trim_span(line, ce, ps);
	}
	if (item->text.n == 0) {
		b = has_path ? ps : len;
		if (has_code && cs < b)
			b = cs;
		item->text = trim_span(line, 0, b);
	}
	return 1;
}

/* The part of a path after its last '/' or '\'. */
static const char *
base_name(const char *name)
{
	const char *b = name, *p;

	for (p = name; *p; p++)
		if (*p == '/' || *p == '\\')
			b = p + 1;
	return b;
}

#define FAILED_PREFIX "LastBackupFailedFiles"

int
failed_name_matches(const char *name)
{
	const char *b = base_name(name);
	size_t n = strlen(b), k = sizeof(FAILED_PREFIX) - 1;

	return n >= k + 4 && strncasecmp(b, FAILED_PREFIX, k) == 0 &&
	    strcasecmp(b + n - 4, ".txt") == 0;
}

/* Reads a decimal number of 1..max digits at *s. */
static int
read_dec(const char **s, int max)
{
	int v = 0, k = 0;

	while (k < max && (unsigned)(**s - '0') < 10u) {
		v = v * 10 + (**s - '0');
		(*s)++;
		k++;
	}
	return k == 0 ? -1 : v;
}

int64_t
failed_time_from_name(const char *name)
{
	const char *s;
	int m, d, y;

	if (!failed_name_matches(name))
		return ML_TIME_NONE;
	s = base_name(name) + sizeof(FAILED_PREFIX) - 1;
	/* hex job id, then _M_D_YYYY */
	while (hexv((unsigned char)*s) >= 0)
		s++;
	if (*s++ != '_' || (m = read_dec(&s, 2)) < 1 || m > 12 ||
	    *s++ != '_' || (d = read_dec(&s, 2)) < 1 || d > 31 ||
	    *s++ != '_' || (y = read_dec(&s, 4)) < 1970 ||
	    (unsigned)(*s - '0') < 10u)
		return ML_TIME_NONE;
	return ml_days_from_civil(y, (unsigned)m, (unsigned)d) * 86400000LL;
}
