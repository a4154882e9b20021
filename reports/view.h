/* SPDX-License-Identifier: MIT */
/*
 * view.h -- the one report view: what a report shows, decided once,
 * before any writer runs.
 *
 * view_new() reads the finished summary (and the fleet figures, the
 * baseline diff and the catalog of the options) and lays the report out
 * as an ordered list of typed sections: key/value blocks, tables of typed
 * cells, job strips, heat maps and chart series.  It decides the order,
 * which rows are shown and how many are left out ("and N more"), every
 * count, every grouping (failed files by code) and every binning (the
 * timeline).  The terminal, HTML and XLSX writers only lay the sections
 * out for their medium; none of them counts, groups, bins or sorts.
 *
 * Language: cells hold message ids (messages.def) and catalog references
 * (entry id + field), not text.  view_cell_text() looks them up in the
 * view's language when a writer renders, so a merge of English parts
 * rendered with --lang zh-CN is Chinese throughout; a finding whose id is
 * not in the catalog keeps the text its summary carries.
 *
 * Media: a view is built for one medium (enum view_medium), which sets
 * the row limits (the terminal shows the first screen's worth, HTML pages
 * long tables in the page up to VIEW_HTML_ROWS, XLSX lists every row) and
 * which sections exist (the terminal has no per-machine details, XLSX no
 * details either: it has the full tables).
 *
 * Adding a section (evidence, history, ...):
 *   1. add its id to enum view_sec and a title to messages.def;
 *   2. in view.c write `static int sec_NAME(struct view_build *b)` that
 *      calls view_sec_add() with its columns (struct view_col), then
 *      view_row() and view_set_*() per row, view_more() for the rows it
 *      leaves out; return -1 only on OOM;
 *   3. call it from view_new() where it belongs in the order.
 * Every writer then shows it: a VIEW_TABLE needs no writer change.
 *
 * Ownership: a view borrows the summary, the diff and the catalog (they
 * must outlive it, unchanged) and owns its sections, columns and cells.
 * Cell strings point into the borrowed data.
 */
#ifndef MARSLOG_VIEW_H
#define MARSLOG_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "patterns/catalog.h"
#include "reports/diagnose.h"
#include "reports/i18n.h"
#include "reports/report.h"
#include "reports/summary.h"

enum view_medium { VIEW_TERM = 0, VIEW_HTML, VIEW_XLSX };

/* Rows per table and medium. */
#define VIEW_TERM_ROWS	10	/* per table on the terminal */
#define VIEW_TERM_MACHINES 20	/* verdict rows on the terminal */
#define VIEW_HTML_ROWS	500	/* per table in the HTML page */
#define VIEW_HTML_DETAILS 50	/* machines with a detail block */
#define VIEW_HTML_OPEN	3	/* detail blocks open: the first needing action */
#define VIEW_HEAT_COLS	60	/* machines as heat map columns (HTML) */
#define VIEW_STRIP_JOBS	30	/* jobs in a machine's strip */

/* How a cell or row reads: writers map tones to colours. */
enum view_tone {
	VIEW_TONE_NONE = 0,
	VIEW_TONE_BAD,		/* error, failed, failing, stale */
	VIEW_TONE_WARN,		/* warning, completed with warnings, attention */
	VIEW_TONE_GOOD,		/* succeeded, healthy */
	VIEW_TONE_INFO,		/* info */
	VIEW_TONE_MUTED		/* unknown, skipped: neutral */
};

enum view_type {
	VIEW_T_EMPTY = 0,
	VIEW_T_LABEL,		/* msg: a label in the view's language */
	VIEW_T_TEXT,		/* text: from a log or the user; hostile */
	VIEW_T_NAME,		/* text: a machine name or path; never cut
				 * to the same string as another name */
	VIEW_T_CODE,		/* text: a code or id, always shown whole */
	VIEW_T_CATALOG,		/* ref + field, else text: catalog text */
	VIEW_T_COUNT,		/* num: a count */
	VIEW_T_TIME,		/* num: ms UTC, ML_TIME_NONE unknown */
	VIEW_T_DURATION,	/* num: ms, <0 unknown */
	VIEW_T_AGE,		/* num: ms since, <0 never */
	VIEW_T_URL		/* text: a documentation link */
};

enum view_field { VIEW_F_TITLE = 0, VIEW_F_CAUSE, VIEW_F_FIX };

struct view_cell {
	enum view_type type;
	enum view_tone tone;
	enum msg_id msg;
	enum view_field field;
	const char *text;	/* or the fallback of a catalog cell */
	const char *ref;	/* catalog entry id */
	int64_t num;
	uint64_t count;
};

enum view_col_flags {
	VIEW_COL_NUM = 1,	/* right-aligned */
	VIEW_COL_LONG = 2,	/* long text: wraps where the medium can */
	VIEW_COL_WIDE = 4,	/* optional: narrow terminals leave it out */
	VIEW_COL_SUB = 8,	/* terminal: on its own line under the row */
	VIEW_COL_KEY = 16,	/* the row's name (first, never dropped) */
	VIEW_COL_FLEET = 32	/* a machine column: writers may leave it
				 * out when the report has one machine */
};

struct view_col {
	enum msg_id label;
	const char *text;	/* instead of label (heat map machines) */
	unsigned flags;
};

enum view_kind {
	VIEW_KV,	/* rows of label, value, detail: header, cards */
	VIEW_TABLE,	/* columns and rows of cells */
	VIEW_STRIP,	/* a machine's jobs: one row per job, oldest first;
			 * cells: start, outcome, reason code */
	VIEW_HEAT,	/* rows: findings (code, title); columns: machines */
	VIEW_CHART,	/* stacked bars: x and series */
	VIEW_GROUP	/* starts a machine's details: title_text; the
			 * sections up to the next depth-0 one belong to it */
};

enum view_sec {
	VS_OVERVIEW = 0, VS_VERDICTS, VS_CHANGES, VS_STALE, VS_ISSUES,
	VS_MACHINES, VS_MATRIX, VS_TIMELINE, VS_FINDINGS, VS_JOBS,
	VS_FAILED_CODES, VS_FAILED_FILES, VS_TEMPLATES, VS_INPUTS,
	VS_DETAIL, VS_DETAIL_KV, VS_DETAIL_STRIP, VS_DETAIL_FINDINGS,
	VS_WINDOW,	/* machines --since/--until left without a record;
			 * first of all, only when there are some */
	VS_HISTORY_FLEET, VS_HISTORY, VS_HISTORY_CHANGES, VS_HISTORY_DAILY,
	VS__COUNT
};

struct view_series {
	enum msg_id label;
	enum view_tone tone;
	uint64_t *v;		/* npoints values */
};

struct view_section {
	enum view_sec id;
	enum view_kind kind;
	const char *anchor;	/* stable id: "machines" (HTML ids, JSON) */
	enum msg_id title;
	const char *title_text;	/* VIEW_GROUP: the machine name */
	const char *title_arg;	/* put in the title's "%s" (stale hours) */
	int depth;		/* 1 inside a VIEW_GROUP */
	int open;		/* VIEW_GROUP: shown open */
	enum view_tone tone;	/* of the heading */
	uint64_t total;		/* what the heading counts ("Errors (16)");
				 * the same number wherever it is shown */
	int has_total;		/* 0: the heading shows no count */
	enum msg_id empty;	/* the heading when total is 0 (a statement,
				 * no ": none"); 0: title + ": none" */
	struct view_col *cols;
	size_t ncols;
	struct view_cell *cells;	/* nrows * ncols, row-major */
	enum view_tone *row_tone;	/* per row */
	size_t nrows;
	uint64_t more;		/* rows left out ("and N more") */
	enum msg_id more_note;	/* where they are (0: none) */
	/* VIEW_CHART */
	int64_t *x;		/* bin starts, ms */
	int64_t bin;		/* bin width, ms */
	size_t npoints;
	struct view_series *series;
	size_t nseries;
	size_t cap;		/* private: rows allocated */
};

struct view {
	enum view_medium medium;
	enum cat_lang lang;
	const struct summary *s;
	const struct catalog *cat;	/* NULL: texts from the summary */
	const char *title;		/* NULL: MSG_REPORT_TITLE */
	int64_t first, last;		/* time span of the records */
	int64_t as_of;			/* the reference time (fleet.h) */
	int as_of_given;		/* it is --now, not the newest record */
	int stamp;
	int64_t now;
	char hours[32];			/* stale-after hours, "26" */
	const struct diagnosis *d;	/* verdicts, reasons, texts by id */
	struct diagnosis *own;		/* d when the options had none */
	char **owned;			/* strings the view made (lists) */
	size_t nowned;
	struct view_section *secs;
	size_t nsecs;
	size_t cap;
};

/* Build the view of a finished summary for a medium.  NULL on OOM. */
struct view *view_new(const struct summary *s, const struct report_options *o,
    enum view_medium medium);
void view_free(struct view *v);			/* accepts NULL */

/* The first section with this id, or NULL. */
const struct view_section *view_find(const struct view *v, enum view_sec id);

static inline const struct view_cell *
view_cell(const struct view_section *sec, size_t row, size_t col)
{
	return &sec->cells[row * sec->ncols + col];
}

/* A label in the view's language. */
const char *view_label(const struct view *v, enum msg_id id);

/*
 * The text of a cell in the view's language, NULL for an empty one:
 * labels, catalog text (by id, else the summary's text), log text as it
 * is (the writer escapes or cleans it), and numbers formatted into buf
 * (len >= 48): counts "1234" (VIEW_FMT_GROUP: "1,234"), times
 * "2024-06-07 01:23Z" (VIEW_FMT_SECONDS: with seconds), durations "12m
 * 05s", ages "30.5 h" up to 48 hours and "3.2 d" past them, "never".
 */
#define VIEW_FMT_GROUP 1
#define VIEW_FMT_SECONDS 2
const char *view_cell_text(const struct view *v, const struct view_cell *c,
    unsigned fmt, char *buf, size_t len);

/* A section's heading, "%s" filled in, into buf.  Returns buf. */
const char *view_title(const struct view *v, const struct view_section *sec,
    char *buf, size_t len);

/* "2024-06-07 01:23Z" (or with seconds); "-" when unknown.  buf >= 32. */
char *view_time_format(int64_t ms, int seconds, char *buf, size_t len);

/* Tone words for a level / outcome (writers' colour choice). */
enum view_tone view_tone_level(enum cat_level l);
enum view_tone view_tone_outcome(enum job_outcome o);

#endif
