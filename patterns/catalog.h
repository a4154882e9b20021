/* SPDX-License-Identifier: MIT */
/*
 * catalog.h -- the documented MARS errors: what each means, why it
 * happens, what to do, where the full procedure is.
 *
 * The single source of truth is patterns/catalog.tsv (format described in
 * its header).  It is compiled into the binary and read by the same loader
 * as `--catalog FILE`, which adds entries or replaces those with the same
 * id.  A malformed file is rejected whole with "file:line: reason".
 *
 * Codes in the file are normalised (see classify.h): decimal MARS IDs of
 * 3 to 7 digits without a leading zero, HRESULTs as "0x" + 8 upper-case
 * hex digits (never a success code 0x0000xxxx), and symbolic names of at
 * least 3 characters `[A-Z][A-Za-z0-9_]*`, at most 63.  A text rule's
 * regex is compiled when loaded, so a bad one is reported with its line.
 *
 * Ownership: the catalog owns its entries; pointers to entries stay valid
 * until catalog_free(), also when a later load replaces an entry (the old
 * one is kept, unlisted).  Strings passed in are copied.  A classifier
 * built on the catalog must be created after the last load.
 */
#ifndef MARSLOG_CATALOG_H
#define MARSLOG_CATALOG_H

#include <stddef.h>

enum cat_level {
	CAT_LEVEL_INFO = 1,	/* known and benign: not an error or warning */
	CAT_LEVEL_WARNING,
	CAT_LEVEL_ERROR
};

enum cat_lang { CAT_LANG_EN = 0, CAT_LANG_ZH = 1, CAT_LANG__COUNT };

struct catalog_entry {
	char *id;		/* "mars-34513", unique */
	enum cat_level level;
	char *category;		/* "registration", "network", ... */
	char **codes;		/* normalised codes, see classify.h */
	size_t ncodes;
	char *literal;		/* text rule prefilter, "" if none */
	char *regex;		/* PCRE2 text rule, "" if none */
	char *doc_url;
	char *title[CAT_LANG__COUNT];
	char *cause[CAT_LANG__COUNT];
	char *fix[CAT_LANG__COUNT];
	const char *file;	/* where the entry was defined (static or copied) */
	unsigned line;
};

struct catalog;

/* An empty catalog.  NULL on OOM. */
struct catalog *catalog_new(void);
void catalog_free(struct catalog *c);			/* accepts NULL */

/* The built-in catalog (embedded patterns/catalog.tsv).  On failure
 * (a broken build) returns NULL with a message in err. */
struct catalog *catalog_new_builtin(char *err, size_t errlen);

/*
 * Load TSV text (or a file) into `c`, adding entries and replacing any
 * with the same id.  All or nothing: on error `c` is unchanged, -1 is
 * returned and err holds "name:line: reason".
 */
int catalog_load_text(struct catalog *c, const char *name, const char *text,
    size_t len, char *err, size_t errlen);
int catalog_load_file(struct catalog *c, const char *path, char *err,
    size_t errlen);

size_t catalog_count(const struct catalog *c);
/* Entries in file order (built-in first, then loaded files). */
const struct catalog_entry *catalog_at(const struct catalog *c, size_t i);
const struct catalog_entry *catalog_find_id(const struct catalog *c,
    const char *id);
/* Entry that lists this normalised code, or NULL.  O(1). */
const struct catalog_entry *catalog_find_code(const struct catalog *c,
    const char *code);
/* The same for a code given as `len` bytes, not NUL-terminated (the
 * classifier looks up codes in place). */
const struct catalog_entry *catalog_find_code_n(const struct catalog *c,
    const char *code, size_t len);

const char *cat_level_name(enum cat_level l);		/* "error", ... */
/* "en" -> CAT_LANG_EN, "zh-CN"/"zh_CN.UTF-8"/"zh" -> CAT_LANG_ZH; -1 if
 * unknown. */
int cat_lang_from_name(const char *s);

#endif
