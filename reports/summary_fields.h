/* SPDX-License-Identifier: MIT */
/*
 * summary_fields.h -- the fields of the summary's rows as data, built from
 * summary_fields.def: name, JSON type, merge rule and place in the row's
 * struct.  The JSON writer and reader and the merge walk these tables, so
 * that a field is declared once.
 *
 * Ownership: the tables are static and read-only.
 */
#ifndef MARSLOG_SUMMARY_FIELDS_H
#define MARSLOG_SUMMARY_FIELDS_H

#include <stddef.h>

enum summary_row {
#define ROW(r) SROW_##r,
#define FIELD(r, m, t, mg)
#define DERIVED(r, n)
#define END_ROW
#include "reports/summary_fields.def"
	SROW__COUNT
};

/* One id per DERIVED line: SD_MACHINE_verdict, SD_JOB_reason, ... */
enum summary_derived {
	SD_NONE = 0,
#define ROW(r)
#define FIELD(r, m, t, mg)
#define DERIVED(r, n) SD_##r##_##n,
#define END_ROW
#include "reports/summary_fields.def"
	SD__COUNT
};

enum summary_ftype {
	SF_KEY, SF_NKEY, SF_STR, SF_ISTR, SF_TEXT, SF_U64, SF_TIME, SF_YEAR,
	SF_ENUM, SF_NENUM, SF_SAMPLE, SF_EVIDENCE, SF_DERIVED
};

enum summary_fmerge {
	SM_NONE, SM_KEY, SM_SUM, SM_MIN, SM_MAX, SM_STRMIN, SM_LEVELMAX,
	SM_SAMPLE, SM_EVIDENCE, SM_COPY, SM_CUSTOM, SM_DERIVED
};

/* SF_TEXT: which catalog text (the order of diagnose.h's enum diag_text). */
enum summary_text { STEXT_TITLE = 0, STEXT_CAUSE, STEXT_FIX };

struct summary_field {
	const char *name;		/* JSON key; NULL ends a table */
	enum summary_ftype type;
	const char *(*enum_name)(int);	/* SF_ENUM, SF_NENUM (NULL: none) */
	int (*enum_from)(const char *);	/* -1 if unknown */
	int arg;			/* SF_TEXT: summary_text; SF_DERIVED:
					 * summary_derived; SF_EVIDENCE: the
					 * occurrences kept (evidence.h) */
	enum summary_fmerge merge;
	size_t off;			/* in the row's struct (not DERIVED) */
};

/* The fields of one row kind, in JSON order, ended by a NULL name. */
const struct summary_field *summary_fields(enum summary_row row);

/* The JSON key of the array or object holding rows of `row`
 * ("machines", "totals", "sample", ...). */
const char *summary_row_key(enum summary_row row);

/* The field's value in `obj`. */
#define SUMMARY_FIELD_AT(obj, f, type) \
	((type *)(void *)((char *)(obj) + (f)->off))
#define SUMMARY_FIELD_CAT(obj, f, type) \
	((type const *)(const void *)((const char *)(obj) + (f)->off))

#endif
