/* SPDX-License-Identifier: MIT */
/*
 * classify.c -- find the catalog entry a log message is about.
 *
 * The hot path is one left-to-right scan of the message that tests each
 * pair of adjacent bytes against a 64 KiB table, one byte per pair: two
 * loads per pair and no shifts (a bitmap needs four more instructions per
 * pair and was a third slower).  Text touches only the printable rows,
 * about 12 KiB, which stay in L1.  A pair is set when it can start
 * something worth a closer look:
 *
 *   "0x" "0X"   HRESULT "0x" + 8 hex digits; MARS ID "[0x" + 5 hex + "]"
 *               or "(0x" + 5 hex + ")"
 *   "ID"        "ID" [spaces] ":" or "：" (U+FF1A) [spaces] + 3-7 digits,
 *               or "(ID" [spaces] digits [spaces] ")"
 *   "Er" "ER"   "Error" [code] [:] + a decimal ID
 *   "e:" "E:"   the end of "error code:" (checked backwards,
 *               case-insensitively) + 8 hex digits
 *   names       the first two characters of every symbolic name in the
 *               catalog; at a word start the first three are checked
 *               against a bitmap of the names' prefixes, and only then is
 *               the identifier looked up in the hash, so look-ups are rare
 *   literals    one pair of each text rule's literal, the rarest by a
 *               static estimate of byte frequency in log messages.  There
 *               the literal is compared in place; a rule whose literal is
 *               present is remembered and its regex runs only if no code
 *               matched.  One scan serves all rules, so the cost does not
 *               grow as message length times rules, as a memmem per rule
 *               would.
 *
 * Testing pairs instead of single bytes is what keeps the scan fast: the
 * bytes that start these things ('0', ':', 'C', 'S', 'c', ...) are common
 * on their own, the pairs are not, so a NORMAL message rarely leaves the
 * inner loop.  Nothing is allocated per call; a classifier owns its PCRE2
 * match data, so it is one per thread.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "patterns/classify.h"

/* 3-character name prefixes: [A-Z] x [A-Za-z0-9_] x [A-Za-z0-9_]. */
#define ID_CHARS 63
#define PREFIX_BITS (26 * ID_CHARS * ID_CHARS)

#define PAIR(a, b) ((unsigned)(a) | (unsigned)(b) << 8)

struct rule {
	const struct catalog_entry *e;
	pcre2_code *re;
	size_t litlen;
};

/* A literal to compare where its chosen pair is seen: the pair's first
 * byte is the bucket, `second` its second byte (-1: any, for a literal
 * of one byte), and the literal starts `off` bytes before the pair. */
struct lit_ref {
	unsigned rule;
	unsigned off;
	int second;
};

struct classifier {
	const struct catalog *cat;
	unsigned char pairs[65536];	/* trigger pairs by PAIR(): 1 if set */
	unsigned char idx[256];		/* ident char -> 1..63, else 0 */
	unsigned char prefix[(PREFIX_BITS + 7) / 8];
	struct rule *rules;		/* text rules in catalog order */
	size_t nrules;
	unsigned lit_start[257];	/* refs of byte b: [start[b], start[b+1]) */
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
 * Rough frequency of a byte in English log messages (higher = more
 * common), to pick the rarest pair of each literal.  Only the order
 * matters; the numbers are an estimate, not a measurement.
 */
static int byte_frequency(unsigned char b)
{
	static const char lower[] = "etaoinsrhldcumfpgwybvkxjqz";
	static const char upper[] = "SCDFBPTIERNAMLWUOGHVKYJXQZ";
	static const char punct[] = ".:\\-,()[]_/='{}\"";
	const char *p;

	if (b == ' ')
		return 300;
	if (b == '\0')
		return 0;
	if ((p = strchr(lower, b)) != NULL)
		return 250 - 4 * (int)(p - lower);
	if (is_digit(b))
		return 130;
	if ((p = strchr(punct, b)) != NULL)
		return 120 - 4 * (int)(p - punct);
	if ((p = strchr(upper, b)) != NULL)
		return 100 - (int)(p - upper);
	if (b >= 0x80)
		return 40;	/* UTF-8 text: Chinese messages, paths */
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

static void pair_set(struct classifier *c, unsigned a, unsigned b)
{
	c->pairs[PAIR(a, b)] = 1;
}

static size_t prefix_key(const struct classifier *c, const unsigned char *s)
{
	return ((size_t)(s[0] - 'A') * ID_CHARS + (c->idx[s[1]] - 1u)) *
	    ID_CHARS + (c->idx[s[2]] - 1u);
}

/* s[0] must be A-Z. */
static int prefix_has(const struct classifier *c, const unsigned char *s)
{
	size_t k;

	if (c->idx[s[1]] == 0 || c->idx[s[2]] == 0)
		return 0;
	k = prefix_key(c, s);
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
		const unsigned char *lit = (const unsigned char *)e->literal;
		struct rule *r = &c->rules[c->nrules];
		PCRE2_SIZE off;
		int ec, cost, best_cost = 1 << 30;
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
		/* The rarest pair; offsets stay below 256 to fit `pick`. */
		for (j = 0; j + 1 < r->litlen && j < 255; j++) {
			cost = byte_frequency(lit[j]) +
			    byte_frequency(lit[j + 1]);
			if (cost < best_cost) {
				best_cost = cost;
				best = j;
			}
		}
		pick[c->nrules] = (unsigned char)best;
		count[lit[best]]++;
		c->nrules++;
	}
	/* Bucket the literals by the first byte of their pair. */
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
		const unsigned char *lit =
		    (const unsigned char *)c->rules[i].e->literal;
		unsigned char b = lit[pick[i]];
		struct lit_ref *l = &c->lits[count[b]++];
		unsigned x;

		l->rule = (unsigned)i;
		l->off = pick[i];
		if (c->rules[i].litlen > 1) {
			l->second = lit[pick[i] + 1];
			pair_set(c, b, lit[pick[i] + 1]);
		} else {
			l->second = -1;
			for (x = 0; x < 256; x++)
				pair_set(c, b, x);
		}
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
	pair_set(c, '0', 'x');
	pair_set(c, '0', 'X');
	pair_set(c, 'I', 'D');
	pair_set(c, 'E', 'r');
	pair_set(c, 'E', 'R');
	pair_set(c, 'e', ':');
	pair_set(c, 'E', ':');
	/* Names: the loader guarantees [A-Z][A-Za-z0-9_]{2,62}. */
	for (i = 0; i < catalog_count(cat); i++) {
		const struct catalog_entry *e = catalog_at(cat, i);

		for (j = 0; j < e->ncodes; j++) {
			const unsigned char *s =
			    (const unsigned char *)e->codes[j];
			size_t k;

			if (s[0] < 'A' || s[0] > 'Z' || c->idx[s[1]] == 0 ||
			    c->idx[s[2]] == 0)
				continue;
			pair_set(c, s[0], s[1]);
			k = prefix_key(c, s);
			c->prefix[k / 8] |= (unsigned char)(1u << (k % 8));
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

/* Mark the rules whose literal is at p (where its pair starts); returns
 * the new count of marked rules. */
static size_t check_literals(struct classifier *c, const unsigned char *s,
    const unsigned char *p, const unsigned char *end, size_t nseen)
{
	unsigned k;

	for (k = c->lit_start[*p]; k < c->lit_start[*p + 1]; k++) {
		const struct lit_ref *l = &c->lits[k];
		const struct rule *r = &c->rules[l->rule];
		const unsigned char *at = p - l->off;

		if (l->second >= 0 && (end - p < 2 || p[1] != l->second))
			continue;
		if (c->seen[l->rule] || (size_t)(p - s) < l->off ||
		    (size_t)(end - at) < r->litlen ||
		    at[r->litlen - 1] !=
		    (unsigned char)r->e->literal[r->litlen - 1] ||
		    memcmp(at, r->e->literal, r->litlen) != 0)
			continue;
		c->seen[l->rule] = 1;
		c->seenlist[nseen++] = l->rule;
	}
	return nseen;
}

/*
 * The documented ways to name a MARS ID after the word "Error", as the
 * console, the job dialogs and the articles write it: "Error 34506. The
 * encryption passphrase ...", "Error 130001 Microsoft Azure Backup ...",
 * "Error Code: 100091".  A hex number after "Error" is not taken: five hex
 * digits are an ID only in brackets or parentheses.
 */
static int ident_end(const unsigned char *q, const unsigned char *end)
{
	return q >= end || !(is_alnum(*q) || *q == '_');
}

/* 1 if q..end is at a ')' or U+FF09, after optional spaces. */
static int closes_paren(const unsigned char *q, const unsigned char *end)
{
	while (q < end && *q == ' ')
		q++;
	return (q < end && *q == ')') || (end - q >= 3 && q[0] == 0xEF &&
	    q[1] == 0xBC && q[2] == 0x89);
}

/* 5 to 7 decimal digits at q, not starting with 0, not followed by a
 * letter, digit or ".digit" (a version or a decimal fraction). */
static int decimal_id_at(const unsigned char *q, const unsigned char *end,
    uint32_t *v)
{
	size_t n;

	*v = 0;
	if (q >= end || *q == '0')
		return 0;
	for (n = 0; q + n < end && n < 8 && is_digit(q[n]); n++)
		*v = *v * 10 + (uint32_t)(q[n] - '0');
	q += n;
	return n >= 5 && n <= 7 && ident_end(q, end) &&
	    !(end - q >= 2 && (*q == '.' || *q == ',') && is_digit(q[1]));
}

static int error_id_at(const unsigned char *msg, const unsigned char *p,
    const unsigned char *end, uint32_t *v)
{
	const unsigned char *q = p + 5;

	/* not inside a word or a path ("D:\Error 34506\") */
	if ((p > msg && (is_alnum(p[-1]) || p[-1] == '_' || p[-1] == '\\' ||
	    p[-1] == '/')) || end - p < 7 ||
	    strncasecmp((const char *)p, "error", 5) != 0 || !ident_end(q, end))
		return 0;
	while (q < end && *q == ' ')
		q++;
	if (end - q >= 4 && strncasecmp((const char *)q, "code", 4) == 0 &&
	    ident_end(q + 4, end))
		for (q += 4; q < end && *q == ' '; q++)
			;
	if (q < end && (*q == ':' || *q == '#' || *q == '='))
		q++;
	while (q < end && *q == ' ')
		q++;
	if (q == p + 5)
		return 0;
	return decimal_id_at(q, end, v);
}

/*
 * The code starting at p (where a trigger pair is), if any: its kind,
 * normalised text in buf and value.  Only bytes in [msg, end) are read.
 */
static enum code_kind code_at(const struct classifier *c,
    const unsigned char *msg, const unsigned char *p,
    const unsigned char *end, char *buf, size_t *blen, uint32_t *val)
{
	const unsigned char *q;
	uint32_t v = 0;
	size_t n;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		if (p > msg && is_alnum(p[-1]))
			return CODE_NONE;
		for (n = 0, q = p + 2; q < end && n < 9 && hex_val(*q) >= 0;
		    q++, n++)
			v = v << 4 | (uint32_t)hex_val(*q);
		if (n == 8 && (q == end || hex_val(*q) < 0)) {
			fmt_hresult(buf, v);
			*blen = 10;
			*val = v;
			return CODE_HRESULT;
		}
		/* "[0x1FC07]" in traces, "(0x1FBD3)" at the end of
		 * documented messages. */
		if (n == 5 && p > msg && q < end && ((p[-1] == '[' &&
		    *q == ']') || (p[-1] == '(' && *q == ')'))) {
			*blen = fmt_decimal(buf, v);
			*val = v;
			return CODE_MARS_ID;
		}
		return CODE_NONE;
	}
	if (p[0] == 'I' && p[1] == 'D') {
		/* "ID" at a word start, spaces, ':' or U+FF1A, spaces; or,
		 * right after '(' / U+FF08, no colon: "(ID 33621 )". */
		int paren;

		if (p > msg && is_alnum(p[-1]))
			return CODE_NONE;
		paren = (p > msg && p[-1] == '(') || (p - msg >= 3 &&
		    p[-3] == 0xEF && p[-2] == 0xBC && p[-1] == 0x88);
		for (q = p + 2; q < end && *q == ' '; q++)
			;
		if (q < end && *q == ':')
			q++;
		else if (end - q >= 3 && q[0] == 0xEF && q[1] == 0xBC &&
		    q[2] == 0x9A)
			q += 3;
		else if (!paren || q == p + 2)
			return CODE_NONE;
		else
			paren = 2;	/* no colon: the ')' must follow */
		while (q < end && *q == ' ')
			q++;
		if (paren == 2) {
			/* 5-7 digits: "(ID 4024)" is more often a process */
			if (!decimal_id_at(q, end, &v))
				return CODE_NONE;
			for (n = 0; q + n < end && is_digit(q[n]); n++)
				;
			if (!closes_paren(q + n, end))
				return CODE_NONE;
		} else {
			for (n = 0; q + n < end && n < 8 && is_digit(q[n]); n++)
				v = v * 10 + (uint32_t)(q[n] - '0');
			if (n < 3 || n > 7 || (q + n < end && is_digit(q[n])))
				return CODE_NONE;
		}
		*blen = fmt_decimal(buf, v);
		*val = v;
		return CODE_MARS_ID;
	}
	if ((p[0] == 'E' && (p[1] == 'r' || p[1] == 'R')) &&
	    error_id_at(msg, p, end, &v)) {
		*blen = fmt_decimal(buf, v);
		*val = v;
		return CODE_MARS_ID;
	}
	if (p[1] == ':' && (p[0] | 0x20) == 'e') {
		/* p is the last letter of "error code". */
		if (p - msg < 9 ||
		    strncasecmp((const char *)p - 9, "error cod", 9) != 0)
			return CODE_NONE;
		for (q = p + 2; q < end && *q == ' '; q++)
			;
		for (n = 0; q + n < end && n < 9 && hex_val(q[n]) >= 0; n++)
			v = v << 4 | (uint32_t)hex_val(q[n]);
		if (n == 8 && (q + n >= end || !is_alnum(q[n]))) {
			fmt_hresult(buf, v);
			*blen = 10;
			*val = v;
			return CODE_HRESULT;
		}
		/* "error code: 100091", a decimal MARS ID */
		if (decimal_id_at(q, end, &v)) {
			*blen = fmt_decimal(buf, v);
			*val = v;
			return CODE_MARS_ID;
		}
		return CODE_NONE;
	}
	if (p[0] >= 'A' && p[0] <= 'Z' && end - p >= 3 &&
	    (p == msg || c->idx[p[-1]] == 0) && prefix_has(c, p)) {
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

static int pair_hit(const unsigned char *pairs, const unsigned char *p)
{
	return pairs[PAIR(p[0], p[1])];
}

int classifier_classify(struct classifier *c, const char *msg, size_t len,
    struct classification *out)
{
	const unsigned char *s = (const unsigned char *)msg;
	const unsigned char *p = s, *end = s + len;
	const unsigned char *pairs = c->pairs;
	const struct catalog_entry *hit = NULL;
	uint32_t unknown = 0;		/* first unknown failure HRESULT */
	int have_unknown = 0, ret = 0;
	size_t nseen = 0, i;

	memset(out, 0, sizeof *out);
	for (;;) {
		char buf[64];
		size_t blen = 0;
		uint32_t v = 0;
		enum code_kind kind;

		/* The hot loop: pairs p[i], p[i+1]; four per step. */
		while (end - p >= 5 && !(pair_hit(pairs, p) |
		    pair_hit(pairs, p + 1) | pair_hit(pairs, p + 2) |
		    pair_hit(pairs, p + 3)))
			p += 4;
		while (end - p >= 2 && !pair_hit(pairs, p))
			p++;
		if (end - p < 2)
			break;
		if (c->lit_start[*p] != c->lit_start[*p + 1])
			nseen = check_literals(c, s, p, end, nseen);
		kind = code_at(c, s, p, end, buf, &blen, &v);
		/* Success codes (0x0000xxxx) never count. */
		if (kind == CODE_HRESULT && v <= 0xFFFF)
			kind = CODE_NONE;
		if (kind != CODE_NONE) {
			hit = catalog_find_code_n(c->cat, buf, blen);
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
	/* The last byte has no pair: only a one-byte literal can be there. */
	if (p < end && c->lit_start[*p] != c->lit_start[*p + 1])
		nseen = check_literals(c, s, p, end, nseen);
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
