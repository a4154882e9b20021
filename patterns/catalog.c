/* SPDX-License-Identifier: MIT */
/*
 * catalog.c -- load the error catalog (TSV) and look entries up by id and
 * by code.
 *
 * One parser serves the built-in text (embedded patterns/catalog.tsv) and
 * `--catalog FILE`.  A load is all or nothing: the text is parsed and
 * checked into a private list first, and only when every line is good are
 * the entries merged (replacing same-id entries in place, appending new
 * ones) and the two hash tables rebuilt.  Nothing here prints or exits.
 *
 * Memory: every entry owns one block holding all its strings (the line
 * copied, TABs turned into NULs); `id` is the first field, so it points at
 * the start of that block, and `codes` is a separate array of pointers into
 * it.  Replaced entries are kept on a side list until catalog_free() so
 * that pointers handed out earlier stay valid.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "parsers/embed.h"
#include "parsers/hmap.h"
#include "patterns/catalog.h"

#define CAT_NCOLS 14
#define CAT_NCOLS_V1 13	/* the format before the product column */

/* Column order of the header row; fields are read by these positions. */
enum { COL_ID, COL_LEVEL, COL_CATEGORY, COL_PRODUCT, COL_CODES, COL_LITERAL,
	COL_REGEX, COL_DOC_URL, COL_TITLE_EN, COL_CAUSE_EN, COL_FIX_EN,
	COL_TITLE_ZH, COL_CAUSE_ZH, COL_FIX_ZH };

static const char *const col_names[CAT_NCOLS] = {
	"id", "level", "category", "product", "codes", "literal", "regex",
	"doc_url", "title_en", "cause_en", "fix_en", "title_zh", "cause_zh",
	"fix_zh"
};

static const char *const categories[] = {
	"registration", "network", "credentials", "encryption", "cache",
	"schedule", "file-access", "restore", "service", "vss",
	"system-state", "offline-backup", "agent", "storage", "job",
	"informational"
};

/*
 * One slot of an open-addressing hash table keyed by a string.  The code
 * table keeps one entry per product (e[0] MARS, e[1] DPM): a code may mean
 * different things to the two; the id table uses e[0] only.
 */
struct cat_slot {
	const char *key;		/* NULL: empty slot */
	size_t klen;
	uint32_t hash;
	const struct catalog_entry *e[2];
};

#define ID_SLOT CAT_PRODUCT_MARS	/* where the id table keeps its entry */

struct cat_table {
	struct cat_slot *slots;
	size_t mask;			/* size - 1, size a power of two */
	size_t n;			/* keys held, at most half the size */
};

struct catalog {
	struct catalog_entry **v;	/* entries in file order */
	size_t n, cap;
	struct catalog_entry **old;	/* replaced entries, freed at the end */
	size_t nold, capold;
	char **names;			/* copies of the loaded file names */
	size_t nnames;
	struct cat_table ids;
	struct cat_table codes;
};

/* The entries of one load before they are merged. */
struct cat_batch {
	struct catalog_entry **v;
	size_t n, cap;
};

/* The project's keyed hash (parsers/hmap.h), folded to the 32 bits a
 * slot keeps. */
static uint32_t cat_hash(const char *s, size_t len)
{
	uint64_t h = hmap_hash(HMAP_HASH_INIT, s, len);

	return (uint32_t)(h ^ (h >> 32));
}

static void cat_table_release(struct cat_table *t)
{
	free(t->slots);
	t->slots = NULL;
	t->mask = 0;
	t->n = 0;
}

/* An empty table with room for `n` keys at a load factor of 1/2 or less;
 * it grows as keys are put, so `n` is only a hint. */
static int cat_table_init(struct cat_table *t, size_t n)
{
	size_t size = 16;

	while (size < 2 * n) {
		if (size > SIZE_MAX / 4 / sizeof *t->slots)
			return -1;
		size *= 2;
	}
	t->slots = calloc(size, sizeof *t->slots);
	if (t->slots == NULL)
		return -1;
	t->mask = size - 1;
	t->n = 0;
	return 0;
}

/* The slot holding `key`, or the free slot where it would go.  Probing
 * stops after every slot was seen (NULL then), so even a full table
 * cannot loop forever. */
static struct cat_slot *cat_table_slot(const struct cat_table *t,
    const char *key, size_t len, uint32_t h)
{
	size_t i, step;

	for (i = h & t->mask, step = 0; step <= t->mask;
	    i = (i + ++step) & t->mask) {
		struct cat_slot *s = &t->slots[i];

		if (s->key == NULL || (s->hash == h && s->klen == len &&
		    memcmp(s->key, key, len) == 0))
			return s;
	}
	return NULL;
}

static const struct cat_slot *cat_table_get(const struct cat_table *t,
    const char *key, size_t len)
{
	const struct cat_slot *s;

	if (t->slots == NULL)
		return NULL;
	s = cat_table_slot(t, key, len, cat_hash(key, len));
	return s != NULL && s->key != NULL ? s : NULL;
}

/* Insert or overwrite the entry of every product in `products`, doubling
 * the table before it is half full.  -1 on OOM (the table is unchanged
 * then). */
static int cat_table_put(struct cat_table *t, const char *key,
    const struct catalog_entry *e, unsigned products)
{
	size_t len = strlen(key), i;
	uint32_t h = cat_hash(key, len);
	struct cat_slot *s;

	if (t->slots == NULL || 2 * (t->n + 1) > t->mask + 1) {
		struct cat_table g;

		if (cat_table_init(&g, t->n + 1) != 0)
			return -1;
		for (i = 0; t->slots != NULL && i <= t->mask; i++)
			if (t->slots[i].key != NULL)
				*cat_table_slot(&g, t->slots[i].key,
				    t->slots[i].klen, t->slots[i].hash) =
				    t->slots[i];
		g.n = t->n;
		free(t->slots);
		*t = g;
	}
	s = cat_table_slot(t, key, len, h);
	if (s->key == NULL)
		t->n++;
	s->key = key;
	s->klen = len;
	s->hash = h;
	if (products & CAT_PRODUCT_MARS)
		s->e[0] = e;
	if (products & CAT_PRODUCT_DPM)
		s->e[1] = e;
	return 0;
}

/* The entry of one product in a slot (products: one bit). */
static const struct catalog_entry *slot_entry(const struct cat_slot *s,
    unsigned product)
{
	return s->e[product == CAT_PRODUCT_DPM];
}

static void cat_entry_free(struct catalog_entry *e)
{
	if (e == NULL)
		return;
	free(e->codes);
	free(e->id);		/* the block holding every string */
	free(e);
}

static void cat_batch_release(struct cat_batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		cat_entry_free(b->v[i]);
	free(b->v);
	b->v = NULL;
	b->n = b->cap = 0;
}

static int grow(void *vp, size_t *cap, size_t need, size_t elem)
{
	void **p = vp;
	size_t ncap = *cap ? *cap : 16;
	void *np;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	np = realloc(*p, ncap * elem);
	if (np == NULL)
		return -1;
	*p = np;
	*cap = ncap;
	return 0;
}

struct catalog *catalog_new(void)
{
	return calloc(1, sizeof(struct catalog));
}

void catalog_free(struct catalog *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++)
		cat_entry_free(c->v[i]);
	for (i = 0; i < c->nold; i++)
		cat_entry_free(c->old[i]);
	for (i = 0; i < c->nnames; i++)
		free(c->names[i]);
	free(c->v);
	free(c->old);
	free(c->names);
	cat_table_release(&c->ids);
	cat_table_release(&c->codes);
	free(c);
}

struct catalog *catalog_new_builtin(char *err, size_t errlen)
{
	struct catalog *c = catalog_new();

	if (c == NULL) {
		snprintf(err, errlen, "built-in catalog: out of memory");
		return NULL;
	}
	if (catalog_load_text(c, "catalog.tsv (built-in)",
	    (const char *)catalog_tsv_data, catalog_tsv_size, err,
	    errlen) != 0) {
		catalog_free(c);
		return NULL;
	}
	return c;
}

/* ------------------------------------------------------------ checks */

/* Length of the valid UTF-8 prefix of s[0..len) (overlongs, surrogates
 * and code points above U+10FFFF are invalid). */
static size_t utf8_valid_prefix(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char b = s[i];
		size_t n, k;
		uint32_t cp;

		if (b < 0x80) {
			i++;
			continue;
		}
		if (b >= 0xC2 && b <= 0xDF) {
			n = 1;
			cp = b & 0x1F;
		} else if (b >= 0xE0 && b <= 0xEF) {
			n = 2;
			cp = b & 0x0F;
		} else if (b >= 0xF0 && b <= 0xF4) {
			n = 3;
			cp = b & 0x07;
		} else {
			return i;
		}
		if (len - i <= n)
			return i;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
		    (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
			return i;
		i += n + 1;
	}
	return i;
}

static int is_id(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
		return 0;
	for (s++; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '.' || *s == '-'))
			return 0;
	return 1;
}

static int is_upper_hex(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'F');
}

static int is_ident(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9') || ch == '_';
}

/* NULL if `s` is a normalised code (catalog.h), else why it is not. */
static const char *code_problem(const char *s)
{
	size_t n = strlen(s), i;

	if (s[0] >= '0' && s[0] <= '9' && !(s[0] == '0' && s[1] == 'x')) {
		for (i = 0; i < n; i++)
			if (s[i] < '0' || s[i] > '9')
				return "not a decimal MARS ID";
		if (n < 3 || n > 7 || s[0] == '0')
			return "MARS IDs have 3 to 7 digits, no leading zero";
		return NULL;
	}
	if (s[0] == '0' && s[1] == 'x') {
		if (n != 10)
			return "HRESULTs are 0x + 8 upper-case hex digits";
		for (i = 2; i < n; i++)
			if (!is_upper_hex(s[i]))
				return "HRESULTs are 0x + 8 upper-case hex digits";
		if (memcmp(s + 2, "0000", 4) == 0)
			return "a success code is never a finding";
		return NULL;
	}
	if (!(s[0] >= 'A' && s[0] <= 'Z'))
		return "names start with an upper-case letter";
	if (n < 3 || n > 63)
		return "names have 3 to 63 characters";
	for (i = 0; i < n; i++)
		if (!is_ident(s[i]))
			return "names are made of A-Z a-z 0-9 _";
	return NULL;
}

/* ------------------------------------------------------------ parsing */

struct cat_parse {
	const char *name;
	unsigned line;
	char *err;
	size_t errlen;
	size_t ncols;		/* of the header: CAT_NCOLS or CAT_NCOLS_V1 */
};

static int parse_fail(struct cat_parse *ps, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(ps->err, ps->errlen, "%s:%u: ", ps->name, ps->line);
	if (n >= 0 && (size_t)n < ps->errlen) {
		va_start(ap, fmt);
		vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Split `s` in place at TABs into at most `max` fields; returns the count
 * (max + 1 when there are more). */
static size_t split_tabs(char *s, char **f, size_t max)
{
	size_t n = 0;

	for (;;) {
		char *t = strchr(s, '\t');

		if (n == max)
			return max + 1;
		f[n++] = s;
		if (t == NULL)
			return n;
		*t = '\0';
		s = t + 1;
	}
}

/*
 * The header row: the 14 columns of col_names, or the 13 of the format
 * before the product column (the same without "product"), whose entries
 * apply to both products as they always did.  Sets ps->ncols.
 */
static int check_header(struct cat_parse *ps, char *line)
{
	char *f[CAT_NCOLS];
	size_t n = split_tabs(line, f, CAT_NCOLS), i, col;

	if (n != CAT_NCOLS && n != CAT_NCOLS_V1)
		return parse_fail(ps, "wrong column count in header: %s%zu, "
		    "expected %d (%d without product)", n > CAT_NCOLS ?
		    "more than " : "", n > CAT_NCOLS ? (size_t)CAT_NCOLS : n,
		    CAT_NCOLS, CAT_NCOLS_V1);
	ps->ncols = n;
	for (i = 0; i < n; i++) {
		col = n == CAT_NCOLS || i < COL_PRODUCT ? i : i + 1;
		if (strcmp(f[i], col_names[col]) != 0)
			return parse_fail(ps, "unknown header '%s' in column "
			    "%zu, expected '%s'", f[i], i + 1, col_names[col]);
	}
	return 0;
}

static int check_regex(struct cat_parse *ps, const char *re)
{
	int ec;
	PCRE2_SIZE off;
	pcre2_code *code;
	PCRE2_UCHAR msg[160];

	code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &ec, &off, NULL);
	if (code != NULL) {
		pcre2_code_free(code);
		return 0;
	}
	pcre2_get_error_message(ec, msg, sizeof msg);
	return parse_fail(ps, "bad regex: %s at offset %zu", (char *)msg,
	    (size_t)off);
}

/* Parse one entry line (a NUL-terminated copy the entry takes over). */
static int parse_entry(struct cat_parse *ps, char *buf, const char *file,
    struct catalog_entry **out)
{
	static const char *const text_cols[] = { "title_en", "cause_en",
		"fix_en", "title_zh", "cause_zh", "fix_zh" };
	struct catalog_entry *e;
	char *f[CAT_NCOLS];
	char *p;
	size_t n, i, ncodes = 0;
	int ret = -1;

	*out = NULL;
	e = calloc(1, sizeof *e);
	if (e == NULL) {
		free(buf);
		return parse_fail(ps, "out of memory");
	}
	e->id = buf;		/* owns the block from here on */
	n = split_tabs(buf, f, ps->ncols);
	if (n != ps->ncols) {
		parse_fail(ps, "wrong column count: %s%zu, expected %zu",
		    n > ps->ncols ? "more than " : "",
		    n > ps->ncols ? ps->ncols : n, ps->ncols);
		goto out;
	}
	if (ps->ncols == CAT_NCOLS_V1) {	/* no product column: both */
		memmove(f + COL_PRODUCT + 1, f + COL_PRODUCT,
		    (CAT_NCOLS_V1 - COL_PRODUCT) * sizeof *f);
		f[COL_PRODUCT] = NULL;
	}
	if (!is_id(f[COL_ID])) {
		parse_fail(ps, "bad id '%s': expected [a-z0-9][a-z0-9.-]*",
		    f[COL_ID]);
		goto out;
	}
	if (strcmp(f[COL_LEVEL], "error") == 0)
		e->level = CAT_LEVEL_ERROR;
	else if (strcmp(f[COL_LEVEL], "warning") == 0)
		e->level = CAT_LEVEL_WARNING;
	else if (strcmp(f[COL_LEVEL], "info") == 0)
		e->level = CAT_LEVEL_INFO;
	else {
		parse_fail(ps, "bad level '%s': expected error, warning or "
		    "info", f[COL_LEVEL]);
		goto out;
	}
	for (i = 0; i < sizeof categories / sizeof categories[0]; i++)
		if (strcmp(f[COL_CATEGORY], categories[i]) == 0)
			break;
	if (i == sizeof categories / sizeof categories[0]) {
		parse_fail(ps, "bad category '%s'", f[COL_CATEGORY]);
		goto out;
	}
	if (f[COL_PRODUCT] == NULL || strcmp(f[COL_PRODUCT], "both") == 0)
		e->products = CAT_PRODUCT_BOTH;
	else if (strcmp(f[COL_PRODUCT], "mars") == 0)
		e->products = CAT_PRODUCT_MARS;
	else if (strcmp(f[COL_PRODUCT], "dpm") == 0)
		e->products = CAT_PRODUCT_DPM;
	else {
		parse_fail(ps, "bad product '%s': expected mars, dpm or both",
		    f[COL_PRODUCT]);
		goto out;
	}

	/* Codes: space-separated; at most one per two bytes of the field. */
	e->codes = malloc((strlen(f[COL_CODES]) / 2 + 1) * sizeof *e->codes);
	if (e->codes == NULL) {
		parse_fail(ps, "out of memory");
		goto out;
	}
	for (p = f[COL_CODES];;) {
		const char *why;

		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		e->codes[ncodes] = p;
		p += strcspn(p, " ");
		if (*p != '\0')
			*p++ = '\0';
		why = code_problem(e->codes[ncodes]);
		if (why != NULL) {
			parse_fail(ps, "bad code '%s': %s", e->codes[ncodes],
			    why);
			goto out;
		}
		ncodes++;
	}
	e->ncodes = ncodes;

	if (f[COL_REGEX][0] != '\0' && f[COL_LITERAL][0] == '\0') {
		parse_fail(ps, "regex without literal");
		goto out;
	}
	if (f[COL_REGEX][0] == '\0' && f[COL_LITERAL][0] != '\0') {
		parse_fail(ps, "literal without regex");
		goto out;
	}
	if (ncodes == 0 && f[COL_REGEX][0] == '\0') {
		parse_fail(ps, "entry with neither codes nor regex");
		goto out;
	}
	if (strncmp(f[COL_DOC_URL], "https://", 8) != 0) {
		parse_fail(ps, "doc_url not https: '%s'", f[COL_DOC_URL]);
		goto out;
	}
	for (i = 0; i < 6; i++) {
		if (f[COL_TITLE_EN + i][0] == '\0') {
			parse_fail(ps, "empty %s", text_cols[i]);
			goto out;
		}
	}
	if (f[COL_REGEX][0] != '\0' && check_regex(ps, f[COL_REGEX]) != 0)
		goto out;

	e->category = f[COL_CATEGORY];
	e->literal = f[COL_LITERAL];
	e->regex = f[COL_REGEX];
	e->doc_url = f[COL_DOC_URL];
	e->title[CAT_LANG_EN] = f[COL_TITLE_EN];
	e->cause[CAT_LANG_EN] = f[COL_CAUSE_EN];
	e->fix[CAT_LANG_EN] = f[COL_FIX_EN];
	e->title[CAT_LANG_ZH] = f[COL_TITLE_ZH];
	e->cause[CAT_LANG_ZH] = f[COL_CAUSE_ZH];
	e->fix[CAT_LANG_ZH] = f[COL_FIX_ZH];
	e->file = file;
	e->line = ps->line;
	*out = e;
	e = NULL;
	ret = 0;
out:
	cat_entry_free(e);
	return ret;
}

/*
 * Parse the whole text into `b`, checking ids and codes for duplicates
 * within the text.  `file` is the name stored in the entries.
 */
static int parse_text(struct cat_parse *ps, const char *text, size_t len,
    const char *file, struct cat_batch *b)
{
	const char *p = text, *end = text + len;
	struct cat_table ids = { NULL, 0, 0 }, codes = { NULL, 0, 0 };
	size_t maxlines = 1, i;
	int have_header = 0, ret = -1;

	/* A UTF-8 byte order mark from an editor is not part of line 1. */
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	for (i = 0; i < len; i++)
		maxlines += text[i] == '\n';
	if (cat_table_init(&ids, maxlines) != 0 ||
	    cat_table_init(&codes, 4 * maxlines) != 0) {
		parse_fail(ps, "out of memory");
		goto out;
	}
	for (ps->line = 1; p < end; ps->line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		size_t llen = (size_t)(eol - p);
		struct catalog_entry *e;
		const struct cat_slot *dup;
		char *buf;

		if (llen > 0 && p[llen - 1] == '\r')
			llen--;
		if (utf8_valid_prefix((const unsigned char *)p, llen) != llen) {
			parse_fail(ps, "invalid UTF-8 at byte %zu",
			    utf8_valid_prefix((const unsigned char *)p,
			    llen) + 1);
			goto out;
		}
		if (memchr(p, '\0', llen) != NULL) {
			parse_fail(ps, "NUL byte in line");
			goto out;
		}
		if (llen == 0 || p[0] == '#')
			goto next;
		buf = malloc(llen + 1);
		if (buf == NULL) {
			parse_fail(ps, "out of memory");
			goto out;
		}
		memcpy(buf, p, llen);
		buf[llen] = '\0';
		if (!have_header) {
			int r = check_header(ps, buf);

			free(buf);
			if (r != 0)
				goto out;
			have_header = 1;
			goto next;
		}
		if (parse_entry(ps, buf, file, &e) != 0)
			goto out;
		if (grow(&b->v, &b->cap, b->n + 1, sizeof *b->v) != 0) {
			cat_entry_free(e);
			parse_fail(ps, "out of memory");
			goto out;
		}
		b->v[b->n++] = e;
		dup = cat_table_get(&ids, e->id, strlen(e->id));
		if (dup != NULL) {
			parse_fail(ps, "duplicate id '%s' (first on line %u)",
			    e->id, slot_entry(dup, ID_SLOT)->line);
			goto out;
		}
		if (cat_table_put(&ids, e->id, e, ID_SLOT) != 0) {
			parse_fail(ps, "out of memory");
			goto out;
		}
		for (i = 0; i < e->ncodes; i++) {
			const struct catalog_entry *other;

			dup = cat_table_get(&codes, e->codes[i],
			    strlen(e->codes[i]));
			other = dup == NULL ? NULL : (e->products &
			    CAT_PRODUCT_MARS) && dup->e[0] != NULL ? dup->e[0] :
			    (e->products & CAT_PRODUCT_DPM) ? dup->e[1] : NULL;
			if (other != NULL) {
				parse_fail(ps, "duplicate code '%s' (also in "
				    "'%s' on line %u)", e->codes[i],
				    other->id, other->line);
				goto out;
			}
			if (cat_table_put(&codes, e->codes[i], e,
			    e->products) != 0) {
				parse_fail(ps, "out of memory");
				goto out;
			}
		}
next:
		p = nl ? nl + 1 : end;
	}
	ret = 0;
out:
	cat_table_release(&ids);
	cat_table_release(&codes);
	return ret;
}

/* Build both lookup tables for the entry list v[0..n). */
static int build_tables(struct catalog_entry *const *v, size_t n,
    struct cat_table *ids, struct cat_table *codes)
{
	size_t i, j, ncodes = 0;

	for (i = 0; i < n; i++)
		ncodes += v[i]->ncodes;
	if (cat_table_init(ids, n) != 0)
		return -1;
	if (cat_table_init(codes, ncodes) != 0) {
		cat_table_release(ids);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (cat_table_put(ids, v[i]->id, v[i], ID_SLOT) != 0)
			goto fail;
		for (j = 0; j < v[i]->ncodes; j++)
			if (cat_table_put(codes, v[i]->codes[j], v[i],
			    v[i]->products) != 0)
				goto fail;
	}
	return 0;
fail:
	cat_table_release(ids);
	cat_table_release(codes);
	return -1;
}

int catalog_load_text(struct catalog *c, const char *name, const char *text,
    size_t len, char *err, size_t errlen)
{
	struct cat_parse ps = { name, 0, err, errlen, CAT_NCOLS };
	struct cat_batch b = { NULL, 0, 0 };
	struct catalog_entry **merged = NULL;
	struct cat_table ids = { NULL, 0, 0 }, codes = { NULL, 0, 0 };
	size_t *slot = NULL;		/* per new entry: index it replaces */
	size_t nmerged, nreplaced = 0, i, j;
	char *fname = NULL;
	int ret = -1;

	fname = strdup(name);
	if (fname == NULL) {
		snprintf(err, errlen, "%s: out of memory", name);
		goto out;
	}
	if (parse_text(&ps, text, len, fname, &b) != 0)
		goto out;

	/* Work out the merged list: same id replaces in place, new appends. */
	slot = malloc((b.n + 1) * sizeof *slot);
	merged = malloc((c->n + b.n + 1) * sizeof *merged);
	if (slot == NULL || merged == NULL) {
		snprintf(err, errlen, "%s: out of memory", name);
		goto out;
	}
	if (c->n > 0)
		memcpy(merged, c->v, c->n * sizeof *merged);
	nmerged = c->n;
	for (i = 0; i < b.n; i++) {
		const struct cat_slot *s = cat_table_get(&c->ids, b.v[i]->id,
		    strlen(b.v[i]->id));

		if (s != NULL) {
			for (j = 0; j < nmerged &&
			    merged[j] != slot_entry(s, ID_SLOT); j++)
				;
			slot[i] = j;
			merged[j] = b.v[i];
			nreplaced++;
		} else {
			slot[i] = nmerged;
			merged[nmerged++] = b.v[i];
		}
	}

	/* A code may belong to one entry per product only, across all
	 * loads: the later put won the slot, so the earlier entry sees it. */
	if (build_tables(merged, nmerged, &ids, &codes) != 0) {
		snprintf(err, errlen, "%s: out of memory", name);
		goto out;
	}
	for (i = 0; i < nmerged; i++) {
		for (j = 0; j < merged[i]->ncodes; j++) {
			const struct cat_slot *s = cat_table_get(&codes,
			    merged[i]->codes[j], strlen(merged[i]->codes[j]));
			const struct catalog_entry *won =
			    (merged[i]->products & CAT_PRODUCT_MARS) &&
			    s->e[0] != merged[i] ? s->e[0] :
			    (merged[i]->products & CAT_PRODUCT_DPM) &&
			    s->e[1] != merged[i] ? s->e[1] : merged[i];

			if (won != merged[i]) {
				/* Report on the line of the new entry. */
				const struct catalog_entry *nw =
				    merged[i]->file == fname ? merged[i] : won;
				const struct catalog_entry *ot =
				    nw == merged[i] ? won : merged[i];

				ps.line = nw->line;
				parse_fail(&ps, "duplicate code '%s' (also in "
				    "'%s' from %s:%u)", merged[i]->codes[j],
				    ot->id, ot->file, ot->line);
				goto out;
			}
		}
	}

	/* Commit: reserve everything first so nothing can fail halfway. */
	if (grow(&c->old, &c->capold, c->nold + nreplaced, sizeof *c->old) ||
	    grow(&c->v, &c->cap, nmerged, sizeof *c->v)) {
		snprintf(err, errlen, "%s: out of memory", name);
		goto out;
	}
	{
		char **nn = realloc(c->names, (c->nnames + 1) * sizeof *nn);

		if (nn == NULL) {
			snprintf(err, errlen, "%s: out of memory", name);
			goto out;
		}
		c->names = nn;
	}
	for (i = 0; i < b.n; i++)
		if (slot[i] < c->n)
			c->old[c->nold++] = c->v[slot[i]];
	if (nmerged > 0)
		memcpy(c->v, merged, nmerged * sizeof *merged);
	c->n = nmerged;
	c->names[c->nnames++] = fname;
	fname = NULL;
	cat_table_release(&c->ids);
	cat_table_release(&c->codes);
	c->ids = ids;
	c->codes = codes;
	ids.slots = codes.slots = NULL;
	free(b.v);		/* the entries now belong to c */
	b.v = NULL;
	b.n = 0;
	ret = 0;
out:
	cat_table_release(&ids);
	cat_table_release(&codes);
	cat_batch_release(&b);
	free(merged);
	free(slot);
	free(fname);
	return ret;
}

int catalog_load_file(struct catalog *c, const char *path, char *err,
    size_t errlen)
{
	FILE *fp;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	int ret = -1;

	fp = fopen(path, "rb");
	if (fp == NULL) {
		snprintf(err, errlen, "cannot open %s: %s", path,
		    strerror(errno));
		return -1;
	}
	for (;;) {
		if (len == cap && grow(&buf, &cap, len + 65536, 1) != 0) {
			snprintf(err, errlen, "cannot read %s: out of memory",
			    path);
			goto out;
		}
		n = fread(buf + len, 1, cap - len, fp);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(fp)) {
		snprintf(err, errlen, "cannot read %s: %s", path,
		    strerror(errno));
		goto out;
	}
	ret = catalog_load_text(c, path, buf, len, err, errlen);
out:
	free(buf);
	fclose(fp);
	return ret;
}

/* ------------------------------------------------------------ queries */

size_t catalog_count(const struct catalog *c)
{
	return c->n;
}

const struct catalog_entry *catalog_at(const struct catalog *c, size_t i)
{
	return i < c->n ? c->v[i] : NULL;
}

const struct catalog_entry *catalog_find_id(const struct catalog *c,
    const char *id)
{
	const struct cat_slot *s = cat_table_get(&c->ids, id, strlen(id));

	return s ? slot_entry(s, ID_SLOT) : NULL;
}

const struct catalog_entry *catalog_find_code(const struct catalog *c,
    const char *code)
{
	return catalog_find_code_n(c, code, strlen(code));
}

const struct catalog_entry *catalog_find_code_n(const struct catalog *c,
    const char *code, size_t len)
{
	const struct cat_slot *s = cat_table_get(&c->codes, code, len);

	return s ? (s->e[0] != NULL ? s->e[0] : s->e[1]) : NULL;
}

const struct catalog_entry *catalog_find_code_for(const struct catalog *c,
    const char *code, size_t len, unsigned product)
{
	const struct cat_slot *s;

	if (product != CAT_PRODUCT_MARS && product != CAT_PRODUCT_DPM)
		return catalog_find_code_n(c, code, len);
	s = cat_table_get(&c->codes, code, len);
	return s ? slot_entry(s, product) : NULL;
}

const struct catalog_entry *catalog_for_product(const struct catalog *c,
    const struct catalog_entry *e, const char *code, size_t len,
    unsigned product)
{
	const struct catalog_entry *alt;
	size_t i;

	if (e == NULL || product == CAT_PRODUCT_ANY || (e->products & product))
		return e;
	if (len > 0)		/* a code: its entry for this product, or none */
		return catalog_find_code_for(c, code, len, product);
	for (i = 0; i < e->ncodes; i++) {	/* a text rule */
		alt = catalog_find_code_for(c, e->codes[i],
		    strlen(e->codes[i]), product);
		if (alt != NULL)
			return alt;
	}
	return e;
}

unsigned catalog_product_of_path(const char *path)
{
	/* Trace names of DPM/MABS binaries (the DPM Temp folder) and of the
	 * MARS agent; matched at the start of the last path component. */
	static const char *const dpm[] = { "MSDPM", "DPMRA", "DPMAM",
		"DPMAC", "DPMLA", "LAAgent", "DPMUI", "DPMCLI", "DpmBackup",
		"DpmWriter", "DPMAccessManager", "DpmSetup", "DPMSetup",
		"MSDPMTrace", "DPMVSS", "DPMRATrace", "DLSMountService",
		"AlertHandler", "DpmSync", "DpmFilter", "MABSSetup" };
	static const char *const mars[] = { "CBEngine", "CBUI",
		"OBInstaller", "OBManagement", "GatewayProvider",
		"OBRecoveryServicesManagementAgent", "LastBackupFailedFiles",
		"CloudBackupProvider", "OBAgentUpgrade", "MARSInstaller" };
	const char *base = path, *p;
	size_t i;

	if (path == NULL)
		return CAT_PRODUCT_ANY;
	for (p = path; *p; p++)
		if (*p == '/' || *p == '\\' || *p == '!')
			base = p + 1;
	for (i = 0; i < sizeof dpm / sizeof dpm[0]; i++)
		if (strncasecmp(base, dpm[i], strlen(dpm[i])) == 0)
			return CAT_PRODUCT_DPM;
	for (i = 0; i < sizeof mars / sizeof mars[0]; i++)
		if (strncasecmp(base, mars[i], strlen(mars[i])) == 0)
			return CAT_PRODUCT_MARS;
	/* Another trace in the DPM Temp folder ("...\\DPM\\DPM\\Temp\\x.errlog",
	 * "MABS01/DPM/Temp/x.errlog"); the MARS agent of a MABS server
	 * writes under DPM\\MARS\\...\\Temp and is named above. */
	for (p = path; p + 8 <= base; p++)
		if ((p == path || p[-1] == '/' || p[-1] == '\\' ||
		    p[-1] == '!') && strncasecmp(p, "DPM", 3) == 0 &&
		    (p[3] == '/' || p[3] == '\\') &&
		    strncasecmp(p + 4, "Temp", 4) == 0 &&
		    (p + 8 == base - 1 || p[8] == '/' || p[8] == '\\'))
			return CAT_PRODUCT_DPM;
	return CAT_PRODUCT_ANY;
}

const char *cat_product_name(unsigned products)
{
	switch (products) {
	case CAT_PRODUCT_MARS:
		return "mars";
	case CAT_PRODUCT_DPM:
		return "dpm";
	case CAT_PRODUCT_BOTH:
		return "both";
	}
	return "any";
}

const char *cat_level_name(enum cat_level l)
{
	switch (l) {
	case CAT_LEVEL_INFO:
		return "info";
	case CAT_LEVEL_WARNING:
		return "warning";
	case CAT_LEVEL_ERROR:
		return "error";
	}
	return "unknown";
}

int cat_lang_from_name(const char *s)
{
	if (s == NULL)
		return -1;
	if (strncmp(s, "en", 2) == 0 && (s[2] == '\0' || s[2] == '_' ||
	    s[2] == '-' || s[2] == '.'))
		return CAT_LANG_EN;
	if (strncmp(s, "zh", 2) == 0 && (s[2] == '\0' || s[2] == '_' ||
	    s[2] == '-' || s[2] == '.'))
		return CAT_LANG_ZH;
	return -1;
}
