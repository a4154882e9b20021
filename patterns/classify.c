/* SPDX-License-Identifier: MIT */
/*
 * classify.c -- find the catalog entry a log message is about.
 *
 * The hot path is one left-to-right scan of the message over a 256-entry
 * trigger table.  A byte is a trigger when it can start (or, for the
 * colon forms, end) something worth a closer look:
 *
 *   '0'        "0x" + 8 hex digits (HRESULT), "[0x" + 5 hex + "]" (MARS ID)
 *   ':'        "ID:" + digits, "error code:" + 8 hex digits (looked at
 *              backwards from the colon, so the common letters 'I' and
 *              'e' need not be triggers)
 *   0xEF       the full-width colon U+FF1A (EF BC 9A) of "ID："
 *   A-Z        only the first letters of symbolic names in the catalog;
 *              at a word start the first three characters are checked
 *              against a bitmap of the names' prefixes before any hash
 *              look-up, so look-ups stay rare
 *   literals   one byte of each text rule's literal, the rarest one by a
 *              static estimate of byte frequency in log messages (and
 *              free if it already is a trigger).  At that byte the
 *              literal is compared in place; a rule whose literal is
 *              present is remembered, and its regex runs only if no code
 *              matched.  So the cost of text rules does not grow with the
 *              message length times the number of rules, as a memmem per
 *              rule would.
 *
 * Most NORMAL progress messages contain no '0', ':' or rare byte at all,
 * or only ones rejected by one or two comparisons.  Nothing is allocated
 * per call; a classifier owns its PCRE2 match data, so it is one per
 * thread.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "patterns/classify.h"

enum {
	T_ZERO = 1,		/* '0' */
	T_COLON = 2,		/* ':' */
	T_FWCOLON = 4,		/* 0xEF, first byte of U+FF1A */
	T_NAME = 8,		/* first letter of a catalog name */
	T_LIT = 16		/* chosen byte of a text rule literal */
};

/* 3-character name prefixes: [A-Z] x [A-Za-z0-9_] x [A-Za-z0-9_]. */
#define ID_CHARS 63
#define PREFIX_BITS (26 * ID_CHARS * ID_CHARS)

struct rule {
	const struct catalog_entry *e;
	pcre2_code *re;
	size_t litlen;
};

/* A literal to compare when its chosen byte is seen: it starts `off`
 * bytes before that byte. */
struct lit_ref {
	unsigned rule;
	unsigned off;
};

struct classifier {
	const struct catalog *cat;
	unsigned char trig[256];
	unsigned char idx[256];		/* ident char -> 1..63, else 0 */
	unsigned char prefix[(PREFIX_BITS + 7) / 8];
	struct rule *rules;		/* text rules in catalog order */
	size_t nrules;
	unsigned lit_start[257];	/* lits of byte b: [start[b], start[b+1]) */
	struct lit_ref *lits;
	unsigned char *seen;		/* per rule: literal present */
	unsigned *seenlist;		/* rules with seen set, this call */
	pcre2_match_data *md;
};

static int is_digit(unsigned char ch)
{
	return ch >= '0' && ch <= '9';
}

static int hex_val(unsigned char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static int is_alnum(unsigned char ch)
{
	return is_digit(ch) || (ch >= 'a' && ch <= 'z') ||
	    (ch >= 'A' && ch <= 'Z');
}

/*
 * Rough cost of a byte as a trigger: how often it shows up in English
 * log messages (higher = more common).  Only the order matters.
 */
static int byte_frequency(unsigned char b)
{
	static const char common[] = "etaoinsrhldcumfpgwybvkxjqz";
	static const char upper[] = "SCDFBPTIERNAMLWUOGHVKYJXQZ";
	const char *p;

	if (b == ' ')
		return 300;
	if (b >= 'a' && b <= 'z') {
		p = strchr(common, b);
		return 250 - 4 * (int)(p - common);
	}
	if (is_digit(b))
		return 120;
	if (b >= 'A' && b <= 'Z') {
		p = strchr(upper, b);
		return 100 - (int)(p - upper);
	}
	if (b != '\0' && strchr(".,-_/\\()[]='\"", b) != NULL)
		return 90;
	if (b >= 0x80)
		return 60;	/* UTF-8 text: Chinese messages, paths */
	return 20;
}

static void fmt_hresult(char *out, uint32_t v)
{
	static const char hex[] = "0123456789ABCDEF";
	int i;

	out[0] = '0';
	out[1] = 'x';
	for (i = 0; i < 8; i++)
		out[2 + i] = hex[(v >> (28 - 4 * i)) & 0xF];
	out[10] = '\0';
}

static size_t fmt_decimal(char *out, uint32_t v)
{
	char tmp[16];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
	return n;
}

void classifier_free(struct classifier *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nrules; i++)
		pcre2_code_free(c->rules[i].re);
	free(c->rules);
	free(c->lits);
	free(c->seen);
	free(c->seenlist);
	pcre2_match_data_free(c->md);
	free(c);
}

static void prefix_set(struct classifier *c, const unsigned char *s)
{
	size_t k = ((size_t)(s[0] - 'A') * ID_CHARS + (c->idx[s[1]] - 1u)) *
	    ID_CHARS + (c->idx[s[2]] - 1u);

	c->prefix[k / 8] |= (unsigned char)(1u << (k % 8));
}

/* s[0] is A-Z; s[1], s[2] must be identifier characters. */
static int prefix_has(const struct classifier *c, const unsigned char *s)
{
	size_t k;

	if (c->idx[s[1]] == 0 || c->idx[s[2]] == 0)
		return 0;
	k = ((size_t)(s[0] - 'A') * ID_CHARS + (c->idx[s[1]] - 1u)) *
	    ID_CHARS + (c->idx[s[2]] - 1u);
	return c->prefix[k / 8] >> (k % 8) & 1;
}

static int compile_rules(struct classifier *c, char *err, size_t errlen)
{
	size_t n = catalog_count(c->cat), i, nlits = 0;
	unsigned *count;
	unsigned char *pick;
	int ret = -1;

	count = calloc(257, sizeof *count);
	pick = malloc(n + 1);
	c->rules = calloc(n + 1, sizeof *c->rules);
	if (count == NULL || pick == NULL || c->rules == NULL) {
		snprintf(err, errlen, "classifier: out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		const struct catalog_entry *e = catalog_at(c->cat, i);
		struct rule *r = &c->rules[c->nrules];
		PCRE2_SIZE off;
		int ec;
		size_t j, best = 0;

		if (e->regex[0] == '\0')
			continue;
		r->e = e;
		r->litlen = strlen(e->literal);
		r->re = pcre2_compile((PCRE2_SPTR)e->regex,
		    PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
		    &ec, &off, NULL);
		if (r->re == NULL) {
			PCRE2_UCHAR msg[160];

			pcre2_get_error_message(ec, msg, sizeof msg);
			snprintf(err, errlen, "%s:%u: regex: %s at offset %zu",
			    e->file, e->line, (char *)msg, (size_t)off);
			goto out;
		}
		/* JIT is an optimisation; the interpreter is the fallback. */
		(void)pcre2_jit_compile(r->re, PCRE2_JIT_COMPLETE);
		/* A byte that is a trigger already costs nothing more.
		 * Offsets stay below 256 so that `pick` fits a byte. */
		for (j = 1; j < r->litlen && j < 256; j++) {
			unsigned char bj = (unsigned char)e->literal[j];
			unsigned char bb = (unsigned char)e->literal[best];
			int fj = c->trig[bj] ? 0 : byte_frequency(bj);
			int fb = c->trig[bb] ? 0 : byte_frequency(bb);

			if (fj < fb)
				best = j;
		}
		pick[c->nrules] = (unsigned char)best;
		count[(unsigned char)e->literal[best]]++;
		c->nrules++;
	}
	for (i = 0; i < c->nrules; i++)
		c->trig[(unsigned char)c->rules[i].e->literal[pick[i]]] |=
		    T_LIT;
	/* Bucket the literals by their chosen byte. */
	for (i = 0; i < 256; i++) {
		c->lit_start[i] = (unsigned)nlits;
		nlits += count[i];
		count[i] = c->lit_start[i];
	}
	c->lit_start[256] = (unsigned)nlits;
	c->lits = malloc((nlits + 1) * sizeof *c->lits);
	c->seen = calloc(c->nrules + 1, 1);
	c->seenlist = malloc((c->nrules + 1) * sizeof *c->seenlist);
	if (c->lits == NULL || c->seen == NULL || c->seenlist == NULL) {
		snprintf(err, errlen, "classifier: out of memory");
		goto out;
	}
	for (i = 0; i < c->nrules; i++) {
		unsigned char b = (unsigned char)c->rules[i].e->literal[pick[i]];

		c->lits[count[b]].rule = (unsigned)i;
		c->lits[count[b]].off = pick[i];
		count[b]++;
	}
	ret = 0;
out:
	free(count);
	free(pick);
	return ret;
}

struct classifier *classifier_new(const struct catalog *cat, char *err,
    size_t errlen)
{
	struct classifier *c;
	size_t i, j;
	int b;

	c = calloc(1, sizeof *c);
	if (c == NULL) {
		snprintf(err, errlen, "classifier: out of memory");
		return NULL;
	}
	c->cat = cat;
	for (b = 0, i = 1; b < 256; b++)
		if (is_alnum((unsigned char)b) || b == '_')
			c->idx[b] = (unsigned char)i++;
	c->trig['0'] |= T_ZERO;
	c->trig[':'] |= T_COLON;
	c->trig[0xEF] |= T_FWCOLON;
	/* Names: the loader guarantees [A-Z][A-Za-z0-9_]{2,62}. */
	for (i = 0; i < catalog_count(cat); i++) {
		const struct catalog_entry *e = catalog_at(cat, i);

		for (j = 0; j < e->ncodes; j++) {
			const unsigned char *s =
			    (const unsigned char *)e->codes[j];

			if (s[0] >= 'A' && s[0] <= 'Z' && c->idx[s[1]] &&
			    c->idx[s[2]]) {
				c->trig[s[0]] |= T_NAME;
				prefix_set(c, s);
			}
		}
	}
	c->md = pcre2_match_data_create(1, NULL);
	if (c->md == NULL) {
		snprintf(err, errlen, "classifier: out of memory");
		goto fail;
	}
	if (compile_rules(c, err, errlen) != 0)
		goto fail;
	return c;
fail:
	classifier_free(c);
	return NULL;
}

/* The literal-present rules, in catalog order, each tried once. */
static const struct catalog_entry *run_rules(struct classifier *c,
    const char *msg, size_t len, size_t nseen)
{
	const struct catalog_entry *hit = NULL;
	size_t i, j;

	for (i = 1; i < nseen; i++) {	/* insertion sort: nseen is tiny */
		unsigned v = c->seenlist[i];

		for (j = i; j > 0 && c->seenlist[j - 1] > v; j--)
			c->seenlist[j] = c->seenlist[j - 1];
		c->seenlist[j] = v;
	}
	for (i = 0; i < nseen && hit == NULL; i++) {
		const struct rule *r = &c->rules[c->seenlist[i]];

		if (pcre2_match(r->re, (PCRE2_SPTR)msg, len, 0, 0, c->md,
		    NULL) >= 0)
			hit = r->e;
	}
	return hit;
}

/*
 * The code starting at p (a trigger byte), if any: its kind, normalised
 * text in buf and value.  Every check looks at bytes inside [msg, end).
 */
static enum code_kind code_at(const struct classifier *c,
    const unsigned char *msg, const unsigned char *p,
    const unsigned char *end, unsigned t, char *buf, size_t *blen,
    uint32_t *val)
{
	const unsigned char *q, *r;
	uint32_t v = 0;
	size_t n;

	if ((t & T_ZERO) && end - p >= 7 && (p[1] == 'x' || p[1] == 'X') &&
	    (p == msg || !is_alnum(p[-1]))) {
		for (n = 0, q = p + 2; q < end && n < 9 && hex_val(*q) >= 0;
		    q++, n++)
			v = v << 4 | (uint32_t)hex_val(*q);
		if (n == 8 && (q == end || hex_val(*q) < 0)) {
			fmt_hresult(buf, v);
			*blen = 10;
			*val = v;
			return CODE_HRESULT;
		}
		if (n == 5 && p > msg && p[-1] == '[' && q < end && *q == ']') {
			*blen = fmt_decimal(buf, v);
			*val = v;
			return CODE_MARS_ID;
		}
		return CODE_NONE;
	}
	if (t & (T_COLON | T_FWCOLON)) {
		size_t clen = 1;

		if (*p == 0xEF) {
			if (end - p < 3 || p[1] != 0xBC || p[2] != 0x9A)
				return CODE_NONE;
			clen = 3;
		}
		/* "ID" + optional spaces before the colon, at a word start. */
		for (q = p; q > msg && q[-1] == ' '; q--)
			;
		if (q - msg >= 2 && q[-2] == 'I' && q[-1] == 'D' &&
		    (q - 2 == msg || !is_alnum(q[-3]))) {
			for (r = p + clen; r < end && *r == ' '; r++)
				;
			for (n = 0; r + n < end && n < 8 && is_digit(r[n]); n++)
				v = v * 10 + (uint32_t)(r[n] - '0');
			if (n >= 3 && n <= 7 && (r + n == end ||
			    !is_digit(r[n]))) {
				*blen = fmt_decimal(buf, v);
				*val = v;
				return CODE_MARS_ID;
			}
			return CODE_NONE;
		}
		if (clen == 1 && p - msg >= 10 &&
		    strncasecmp((const char *)p - 10, "error code", 10) == 0) {
			for (r = p + 1; r < end && *r == ' '; r++)
				;
			for (n = 0; r + n < end && n < 9 && hex_val(r[n]) >= 0;
			    n++)
				v = v << 4 | (uint32_t)hex_val(r[n]);
			if (n == 8 && (r + n == end || !is_alnum(r[n]))) {
				fmt_hresult(buf, v);
				*blen = 10;
				*val = v;
				return CODE_HRESULT;
			}
		}
		return CODE_NONE;
	}
	if ((t & T_NAME) && end - p >= 3 && (p == msg || !c->idx[p[-1]]) &&
	    prefix_has(c, p)) {
		for (q = p + 3; q < end && c->idx[*q]; q++)
			;
		n = (size_t)(q - p);
		if (n > 63)
			return CODE_NONE;
		memcpy(buf, p, n);
		buf[n] = '\0';
		*blen = n;
		*val = 0;
		return CODE_NAME;
	}
	return CODE_NONE;
}

int classifier_classify(struct classifier *c, const char *msg, size_t len,
    struct classification *out)
{
	const unsigned char *s = (const unsigned char *)msg;
	const unsigned char *p = s, *end = s + len;
	const unsigned char *trig = c->trig;
	const struct catalog_entry *hit = NULL;
	uint32_t unknown = 0;		/* first unknown failure HRESULT */
	int have_unknown = 0, ret = 0;
	size_t nseen = 0, i;

	memset(out, 0, sizeof *out);
	for (;;) {
		unsigned t;

		/* The hot loop: four bytes per step while none triggers. */
		while (end - p >= 4 && !(trig[p[0]] | trig[p[1]] |
		    trig[p[2]] | trig[p[3]]))
			p += 4;
		while (p < end && !trig[*p])
			p++;
		if (p == end)
			break;
		t = trig[*p];
		if (t & T_LIT) {
			unsigned k;

			for (k = c->lit_start[*p]; k < c->lit_start[*p + 1];
			    k++) {
				const struct lit_ref *l = &c->lits[k];
				const struct rule *r = &c->rules[l->rule];

				if (c->seen[l->rule] ||
				    (size_t)(p - s) < l->off ||
				    (size_t)(end - (p - l->off)) < r->litlen ||
				    memcmp(p - l->off, r->e->literal,
				    r->litlen) != 0)
					continue;
				c->seen[l->rule] = 1;
				c->seenlist[nseen++] = l->rule;
			}
		}
		if (t & ~(unsigned)T_LIT) {
			char buf[64];
			size_t blen = 0;
			uint32_t v = 0;
			enum code_kind kind = code_at(c, s, p, end, t, buf,
			    &blen, &v);

			if (kind != CODE_NONE) {
				/* Success codes (0x0000xxxx) never count. */
				if (kind == CODE_HRESULT && v <= 0xFFFF)
					kind = CODE_NONE;
				hit = kind != CODE_NONE ?
				    catalog_find_code_n(c->cat, buf, blen) :
				    NULL;
			}
			if (hit != NULL) {
				out->entry = hit;
				out->kind = kind;
				memcpy(out->code, buf, blen + 1);
				out->value = v;
				ret = 1;
				goto out;
			}
			if (kind == CODE_HRESULT && !have_unknown &&
			    (v & 0x80000000u)) {
				unknown = v;
				have_unknown = 1;
			}
		}
		p++;
	}
	if (nseen > 0) {
		hit = run_rules(c, msg, len, nseen);
		if (hit != NULL) {
			out->entry = hit;
			ret = 1;
			goto out;
		}
	}
	if (have_unknown) {
		out->kind = CODE_HRESULT;
		fmt_hresult(out->code, unknown);
		out->value = unknown;
		ret = 1;
	}
out:
	for (i = 0; i < nseen; i++)
		c->seen[c->seenlist[i]] = 0;
	return ret;
}

enum code_kind code_normalise(const char *in, char *out, size_t outlen)
{
	const char *s = in, *e;
	char buf[64];
	enum code_kind kind = CODE_NONE;
	uint32_t v = 0;
	size_t n, i;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
	    e[-1] == '\r'))
		e--;
	n = (size_t)(e - s);
	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		for (i = 2; i < n && hex_val((unsigned char)s[i]) >= 0; i++)
			v = v << 4 | (uint32_t)hex_val((unsigned char)s[i]);
		if (i == n && n == 10) {
			fmt_hresult(buf, v);
			kind = CODE_HRESULT;
		} else if (i == n && n == 7) {
			fmt_decimal(buf, v);
			kind = CODE_MARS_ID;
		}
	} else if (n == 8 && hex_val((unsigned char)s[0]) >= 0) {
		for (i = 0; i < n && hex_val((unsigned char)s[i]) >= 0; i++)
			v = v << 4 | (uint32_t)hex_val((unsigned char)s[i]);
		if (i == n) {
			fmt_hresult(buf, v);
			kind = CODE_HRESULT;
		}
	} else if (n >= 2 && n <= 11 && s[0] == '-' && is_digit(s[1])) {
		/* .NET prints HResult as a negative int: -2147024891. */
		unsigned long long m = 0;

		for (i = 1; i < n && is_digit((unsigned char)s[i]); i++)
			m = m * 10 + (unsigned)(s[i] - '0');
		if (i == n && m <= 0x80000000ull && m > 0) {
			fmt_hresult(buf, (uint32_t)(0x100000000ull - m));
			kind = CODE_HRESULT;
		}
	} else if (n >= 1 && n <= 7 && is_digit((unsigned char)s[0])) {
		for (i = 0; i < n && is_digit((unsigned char)s[i]); i++)
			v = v * 10 + (uint32_t)(s[i] - '0');
		if (i == n) {
			fmt_decimal(buf, v);
			kind = CODE_MARS_ID;
		}
	} else if (n >= 1 && n < sizeof buf && !is_digit((unsigned char)s[0])) {
		for (i = 0; i < n && (is_alnum((unsigned char)s[i]) ||
		    s[i] == '_'); i++)
			;
		if (i == n) {
			memcpy(buf, s, n);
			buf[n] = '\0';
			kind = CODE_NAME;
		}
	}
	if (kind == CODE_NONE || strlen(buf) >= outlen) {
		if (outlen > 0)
			out[0] = '\0';
		return CODE_NONE;
	}
	memcpy(out, buf, strlen(buf) + 1);
	return kind;
}
