/* SPDX-License-Identifier: MIT */
/*
 * summary_fields.c -- the tables of summary_fields.h, generated from
 * summary_fields.def.
 */
#include <stddef.h>

#include "reports/summary.h"
#include "reports/summary_fields.h"

/* Enum names as int -> string, the form the tables hold. */
#define ENUM_NAME(e) \
	static const char *e##_name_i(int v) { return e##_name((enum e)v); }
ENUM_NAME(input_kind)
ENUM_NAME(input_status)
ENUM_NAME(job_kind)
ENUM_NAME(job_outcome)
ENUM_NAME(text_encoding)
ENUM_NAME(cat_level)
ENUM_NAME(year_source)
#undef ENUM_NAME

#define ROWTYPE_SAMPLE struct summary_sample
#define ROWTYPE_TOTALS struct summary_totals
#define ROWTYPE_MACHINE struct summary_machine
#define ROWTYPE_INPUT struct summary_input
#define ROWTYPE_FINDING struct summary_finding
#define ROWTYPE_JOB struct summary_job
#define ROWTYPE_FAILED_FILE struct summary_failed_file
#define ROWTYPE_TEMPLATE struct summary_template
#define ROWTYPE_BUCKET struct summary_bucket

#define T_KEY SF_KEY, NULL, NULL, 0
#define T_NKEY SF_NKEY, NULL, NULL, 0
#define T_STR SF_STR, NULL, NULL, 0
#define T_ISTR SF_ISTR, NULL, NULL, 0
#define T_TEXT(x) SF_TEXT, NULL, NULL, STEXT_##x
#define T_U64 SF_U64, NULL, NULL, 0
#define T_TIME SF_TIME, NULL, NULL, 0
#define T_YEAR SF_YEAR, NULL, NULL, 0
#define T_ENUM(e) SF_ENUM, e##_name_i, e##_from_name, 0
#define T_NENUM(e) SF_NENUM, e##_name_i, e##_from_name, 0
#define T_SAMPLE SF_SAMPLE, NULL, NULL, 0
#define T_EVIDENCE(x) SF_EVIDENCE, NULL, NULL, EVIDENCE_##x##_MAX
#define M_NONE SM_NONE
#define M_KEY SM_KEY
#define M_SUM SM_SUM
#define M_MIN SM_MIN
#define M_MAX SM_MAX
#define M_STRMIN SM_STRMIN
#define M_LEVELMAX SM_LEVELMAX
#define M_SAMPLE SM_SAMPLE
#define M_EVIDENCE SM_EVIDENCE
#define M_COPY SM_COPY
#define M_CUSTOM SM_CUSTOM
#define M_DERIVED SM_DERIVED

#define ROW(r) static const struct summary_field fields_##r[] = {
#define FIELD(r, m, t, mg) { #m, t, mg, offsetof(ROWTYPE_##r, m) },
#define DERIVED(r, n) { #n, SF_DERIVED, NULL, NULL, SD_##r##_##n, SM_DERIVED, 0 },
#define END_ROW { NULL, SF_U64, NULL, NULL, 0, SM_NONE, 0 } };
#include "reports/summary_fields.def"

static const struct summary_field *const tables[SROW__COUNT] = {
#define ROW(r) [SROW_##r] = fields_##r,
#define FIELD(r, m, t, mg)
#define DERIVED(r, n)
#define END_ROW
#include "reports/summary_fields.def"
};

static const char *const keys[SROW__COUNT] = {
	[SROW_SAMPLE] = "sample", [SROW_TOTALS] = "totals",
	[SROW_MACHINE] = "machines", [SROW_INPUT] = "inputs",
	[SROW_FINDING] = "findings", [SROW_JOB] = "jobs",
	[SROW_FAILED_FILE] = "failed_files", [SROW_TEMPLATE] = "templates",
	[SROW_BUCKET] = "timeline",
};

const struct summary_field *
summary_fields(enum summary_row row)
{
	return (unsigned)row < SROW__COUNT ? tables[row] : NULL;
}

const char *
summary_row_key(enum summary_row row)
{
	return (unsigned)row < SROW__COUNT ? keys[row] : NULL;
}
