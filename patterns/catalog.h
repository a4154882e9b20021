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
 * A code belongs to one entry per product: one "both" entry, or a "mars"
 * and a "dpm" entry with different advice.
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

/*
 * Which product an entry documents, and which product wrote an input: the
 * MARS agent (CBEngine, CBUI, ...) or DPM/MABS (MSDPM, DPMRA, ...).  They
 * write the same errlog format and reuse codes with other meanings, so a
 * code may have one entry per product.  An input whose product is unknown
 * (CAT_PRODUCT_ANY) takes the MARS entry first, then the DPM one.
 */
enum cat_product {
	CAT_PRODUCT_ANY = 0,
	CAT_PRODUCT_MARS = 1,
	CAT_PRODUCT_DPM = 2,
	CAT_PRODUCT_BOTH = 3	/* an entry documented for both */
};

struct catalog_entry {
	char *id;		/* "mars-34513", unique */
	enum cat_level level;
	char *category;		/* "registration", "network", ... */
	unsigned products;	/* CAT_PRODUCT_MARS, _DPM or _BOTH */
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
/* Entry that lists this normalised code, or NULL.  O(1).  With an entry
 * per product, the MARS one. */
const struct catalog_entry *catalog_find_code(const struct catalog *c,
    const char *code);
/* The same for a code given as `len` bytes, not NUL-terminated (the
 * classifier looks up codes in place). */
const struct catalog_entry *catalog_find_code_n(const struct catalog *c,
    const char *code, size_t len);

/* The entry for this code that documents `product` (CAT_PRODUCT_MARS or
 * _DPM), NULL if none does; CAT_PRODUCT_ANY: as catalog_find_code_n(). */
const struct catalog_entry *catalog_find_code_for(const struct catalog *c,
    const char *code, size_t len, unsigned product);

/*
 * The entry to report for a classifier hit on `e` in an input of
 * `product`.  `code` (len bytes) is the code that matched, len 0 for a
 * text rule.  Returns e when it documents the product or the product is
 * CAT_PRODUCT_ANY; otherwise the entry the same code has for the product;
 * for a text rule, the product's entry of one of e's codes, else e itself
 * (the wording is the evidence).  NULL when a code has no entry for the
 * product: report the code decoded, with neutral advice, not e's fix.
 */
const struct catalog_entry *catalog_for_product(const struct catalog *c,
    const struct catalog_entry *e, const char *code, size_t len,
    unsigned product);

/* The product whose trace a file is, from its path: by the last component
 * ('/', '\\' and the archive separator '!' separate), "MSDPMCurr.errlog",
 * "DPMRACurr.errlog", "DPMAMService0.errlog", ... -> CAT_PRODUCT_DPM,
 * "CBEngineCurr.errlog", "LastBackupFailedFiles...txt" -> _MARS; else any
 * file in a "DPM/Temp" folder -> _DPM; else CAT_PRODUCT_ANY.
 * Case-insensitive. */
unsigned catalog_product_of_path(const char *path);

/* "mars", "dpm", "both"; "any" for CAT_PRODUCT_ANY. */
const char *cat_product_name(unsigned products);

const char *cat_level_name(enum cat_level l);		/* "error", ... */
/* "en" -> CAT_LANG_EN, "zh-CN"/"zh_CN.UTF-8"/"zh" -> CAT_LANG_ZH; -1 if
 * unknown. */
int cat_lang_from_name(const char *s);

#endif
