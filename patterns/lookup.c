/* SPDX-License-Identifier: MIT */
/*
 * lookup.c -- catalog entries from what a person types (see lookup.h).
 * A few hundred entries: plain loops, run once per `explain` argument.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "patterns/classify.h"
#include "patterns/lookup.h"

#define PREFIX_MIN 3
#define WORD_MIN 3

/* Add e to out[] unless it is there; returns the new count. */
static size_t
add_entry(const struct catalog_entry **out, size_t n, size_t max,
    const struct catalog_entry *e)
{
	size_t i;

	for (i = 0; i < n && i < max; i++)
		if (out[i] == e)
			return n;
	if (n < max)
		out[n] = e;
	return n + 1;
}

/* 1 if the first `len` bytes of s are q, without case. */
static int
starts_ci(const char *s, const char *q, size_t len)
{
	return strncasecmp(s, q, len) == 0;
}

/* Steps 1 and 2: an id or a code.  NULL if neither. */
static const struct catalog_entry *
exact(const struct catalog *c, const char *q)
{
	char code[64];
	size_t i, k, n = catalog_count(c);

	for (i = 0; i < n; i++)
		if (strcasecmp(catalog_at(c, i)->id, q) == 0)
			return catalog_at(c, i);
	if (code_normalise(q, code, sizeof code) == CODE_NONE)
		return NULL;
	if (catalog_find_code(c, code) != NULL)
		return catalog_find_code(c, code);
	for (i = 0; i < n; i++) {
		const struct catalog_entry *e = catalog_at(c, i);

		for (k = 0; k < e->ncodes; k++)
			if (strcasecmp(e->codes[k], code) == 0)
				return e;
	}
	return NULL;
}

/* Step 3.  *how is PREFIX or AMBIGUOUS when something matched. */
static size_t
prefix(const struct catalog *c, const char *q,
    const struct catalog_entry **out, size_t max, enum lookup_how *how)
{
	size_t i, k, n = catalog_count(c), len = strlen(q), found = 0;
	const char *shortest = NULL;
	const struct catalog_entry *owner = NULL;
	int all_extend = 1;

	if (len < PREFIX_MIN)
		return 0;
	for (i = 0; i < n; i++) {
		const struct catalog_entry *e = catalog_at(c, i);

		if (starts_ci(e->id, q, len))
			found = add_entry(out, found, max, e);
		for (k = 0; k < e->ncodes; k++) {
			if (!starts_ci(e->codes[k], q, len))
				continue;
			found = add_entry(out, found, max, e);
			if (shortest == NULL ||
			    strlen(e->codes[k]) < strlen(shortest)) {
				shortest = e->codes[k];
				owner = e;
			}
		}
	}
	if (found <= 1) {
		*how = found ? LOOKUP_PREFIX : LOOKUP_NONE;
		return found;
	}
	/* one matched name that every other match extends wins */
	for (i = 0; shortest != NULL && i < n && all_extend; i++) {
		const struct catalog_entry *e = catalog_at(c, i);

		if (e == owner)
			continue;
		if (starts_ci(e->id, q, len))
			all_extend = 0;	/* matched by its id: no name */
		for (k = 0; k < e->ncodes; k++)
			if (starts_ci(e->codes[k], q, len) &&
			    !starts_ci(e->codes[k], shortest, strlen(shortest)))
				all_extend = 0;
	}
	if (shortest != NULL && all_extend && !starts_ci(owner->id, q, len)) {
		out[0] = owner;
		*how = LOOKUP_PREFIX;
		return 1;
	}
	*how = LOOKUP_AMBIGUOUS;
	return found;
}

/* 1 if a word of s starts with w[0..n), without case. */
static int
has_word(const char *s, const char *w, size_t n)
{
	const char *p;

	for (p = s; p != NULL && *p != '\0'; p++)
		if ((p == s || !isalnum((unsigned char)p[-1])) &&
		    strncasecmp(p, w, n) == 0)
			return 1;
	return 0;
}

/* Step 4. */
static size_t
words(const struct catalog *c, const char *q, enum cat_lang lang,
    const struct catalog_entry **out, size_t max)
{
	size_t i, n = catalog_count(c), found = 0;

	for (i = 0; i < n; i++) {
		const struct catalog_entry *e = catalog_at(c, i);
		const char *w = q;
		int all = 1, any = 0;

		while (all && *w != '\0') {
			size_t len;

			while (*w == ' ' || *w == '\t')
				w++;
			len = strcspn(w, " \t");
			if (len == 0)
				break;
			if (len < WORD_MIN) {	/* "a", "of": no search */
				w += len;
				continue;
			}
			any = 1;
			all = has_word(e->title[lang], w, len) ||
			    has_word(e->title[CAT_LANG_EN], w, len) ||
			    has_word(e->literal, w, len) ||
			    has_word(e->regex, w, len) ||
			    has_word(e->id, w, len);
			w += len;
		}
		if (all && any)
			found = add_entry(out, found, max, e);
	}
	return found;
}

size_t
catalog_lookup(const struct catalog *c, const char *query,
    enum cat_lang lang, const struct catalog_entry **out, size_t max,
    enum lookup_how *how)
{
	const struct catalog_entry *e;
	size_t n;

	*how = LOOKUP_NONE;
	if ((e = exact(c, query)) != NULL) {
		if (max > 0)
			out[0] = e;
		*how = LOOKUP_EXACT;
		return 1;
	}
	/* a word that many entries use ("scratch") lists them, even when
	 * it also starts one name (ScratchLocationError) */
	n = words(c, query, lang, out, max);
	if (n < 2 && strpbrk(query, " \t") == NULL) {
		size_t np = prefix(c, query, out, max, how);

		if (np > 0)
			return np;
		n = words(c, query, lang, out, max);
	}
	*how = n > 0 ? LOOKUP_WORDS : LOOKUP_NONE;
	return n;
}
