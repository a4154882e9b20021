/* SPDX-License-Identifier: MIT */
/*
 * report_xlsx.c -- the XLSX report (libxlsxwriter): a workbook a fleet
 * owner filters and sorts in Excel.  Sheets: Changes since the baseline
 * (first, with a --baseline), Summary (the machines without a recent
 * successful backup on its first lines, key numbers, counts by level,
 * machines, a native chart of errors per day), Findings, Jobs, Failed
 * files, Unknown templates, Inputs, Machines (the fleet view per machine,
 * reports/fleet.h) and Findings by machine (the matrix); every list sheet
 * has a frozen
 * header row, an autofilter and fixed column widths, and levels and
 * outcomes are shown by cell colour.  Sheet names and labels follow
 * opt->lang.
 *
 * Every log-derived string is written with worksheet_write_string(), so it
 * is a text cell whatever it looks like ("=HYPERLINK(...)", "@SUM(1)",
 * "-1" stay text, never formulas or numbers).  Before that it is cleaned
 * (reports/text.h: control characters, escape sequences and bidi
 * overrides removed), the "_xHHHH_" escapes Excel would decode are
 * themselves escaped, and it is cut to Excel's 32,767-character cell limit
 * (counted in UTF-16 units, as Excel counts).  Hyperlinks are only made
 * from http(s) catalog URLs, at most Excel's 65,530 per sheet; beyond that
 * (or for a URL Excel would refuse) the title is written as plain text.
 *
 * Rows are always written in order, so big reports can use libxlsxwriter's
 * constant_memory mode (one row in memory per sheet, temp files beside the
 * output); it is switched on above XLSX_BIG_ROWS rows in all.  A sheet
 * holds at most LXW_ROW_MAX rows: longer lists end with a note row.
 *
 * Same summary + options = same workbook: the document's creation time is
 * fixed (the latest record time, or opt->now with opt->stamp).
 *
 * libxlsxwriter needs a file name: the workbook is written to `path` (the
 * temporary file report_write() opened as fp), or for stdout to a
 * temporary file that is then copied to fp.  workbook_close() is where the
 * file is written, so its error is this writer's error.  Every other
 * lxw_error is kept (the first one) and reported the same way.
 * libxlsxwriter prints its own line on stderr for some errors (the Debian
 * build cannot turn that off), so the writer checks the output file can
 * be opened before it starts, and keeps cells and URLs within Excel's
 * limits rather than letting libxlsxwriter refuse them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "parsers/decode.h"
#include "parsers/hmap.h"
#include "parsers/record.h"
#include "reports/baseline.h"
#include "reports/fleet.h"
#include "reports/i18n.h"
#include "reports/report.h"
#include "reports/report_history.h"
#include "reports/text.h"

#define XLSX_BIG_ROWS 100000		/* constant_memory above this */
#define XLSX_MAX_CELL 32767		/* Excel: UTF-16 units per cell */
#define XLSX_MAX_URL 2079		/* Excel: characters per hyperlink */
/* Data rows per sheet: header row + data + one note row. */
#define XLSX_MAX_DATA_ROWS ((size_t)LXW_ROW_MAX - 2)
#define XLSX_CHART_MAX_DAYS 1000	/* contiguous days up to this span */
#define XLSX_MAX_COLS 16000		/* matrix columns (Excel: 16,384) */
#define XLSX_STALE_NAMES 20		/* stale machines named on Summary */
#define XLSX_DEFAULT_CREATED 946684800	/* 2000-01-01T00:00:00Z */
#define DAY_MS INT64_C(86400000)

/* Cell colours (fill, font). */
#define C_ERR_BG 0xFDECEA
#define C_ERR_FG 0xB42318
#define C_WARN_BG 0xFFF3D6
#define C_WARN_FG 0x8A5300
#define C_OK_BG 0xE3F4EA
#define C_OK_FG 0x107C41
#define C_INFO_BG 0xE8F0FA
#define C_INFO_FG 0x35608F
#define C_UNK_BG 0xECEFF3
#define C_UNK_FG 0x5B6675
#define C_HEAD_BG 0x102A43
#define C_CHART_ERR 0xD13438
#define C_CHART_WARN 0xF2B01E

enum fmt_id {
	XF_TEXT,			/* top-aligned text */
	XF_WRAP,			/* wrapped text */
	XF_NUM,			/* integer with thousands separator */
	XF_TIME,			/* yyyy-mm-dd hh:mm:ss */
	XF_DATE,			/* yyyy-mm-dd */
	XF_DURATION,		/* [h]:mm:ss */
	XF_HEAD,			/* header row */
	XF_TITLE,		/* sheet title */
	XF_LABEL,		/* bold label */
	XF_NOTE,			/* grey italic note */
	XF_LINK,			/* hyperlink */
	XF_ERR, XF_WARN, XF_INFO,	/* level colours */
	XF_OK, XF_UNK,		/* outcome colours (XF_ERR, XF_WARN shared) */
	XF_HOURS,		/* 0.0 */
	XF_HEAD_WRAP,		/* header row, wrapped (matrix) */
	XF__COUNT
};

struct xlsx {
	lxw_workbook *wb;
	const struct summary *s;
	const struct report_options *o;
	enum cat_lang lang;
	lxw_error err;			/* first error, LXW_NO_ERROR if none */
	const char *what;		/* what was being done at err */
	int oom;
	const struct fleet *fleet;	/* stale list, matrix (fleet.h) */
	lxw_format *f[XF__COUNT];
	struct text_buf clean;		/* cleaned text */
	struct text_buf cell;		/* cell-safe text */
	size_t nurls;			/* hyperlinks on the current sheet */
	struct hmap fix;		/* (machine, code) -> finding index */
};

/* Column layout of a list sheet. */
struct col {
	enum msg_id label;
	double width;
};

static const char *
lbl(const struct xlsx *x, enum msg_id id)
{
	return tr(x->lang, id);
}

/* Keep the first error; later calls are checked but change nothing. */
static void
check(struct xlsx *x, lxw_error e, const char *what)
{
	if (e != LXW_NO_ERROR && x->err == LXW_NO_ERROR) {
		x->err = e;
		x->what = what;
	}
}

static int
failed(const struct xlsx *x)
{
	return x->err != LXW_NO_ERROR || x->oom;
}

static int
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

/* Is p (NUL-terminated) at an "_xHHHH_" that Excel would decode?  The
 * checks stop at the first byte that does not fit, so never pass the
 * NUL. */
static int
escape_at(const char *p)
{
	return p[0] == '_' && (p[1] == 'x' || p[1] == 'X') && is_hex(p[2]) &&
	    is_hex(p[3]) && is_hex(p[4]) && is_hex(p[5]) && p[6] == '_';
}

/* Does the NUL-terminated text of `len` bytes hold such an escape? */
static int
has_escape(const char *p, size_t len)
{
	const char *end = p + len;

	for (; (p = memchr(p, '_', (size_t)(end - p))) != NULL; p++)
		if (escape_at(p))
			return 1;
	return 0;
}

/*
 * Make `str` safe for a cell: cleaned, "_xHHHH_" escaped as "_x005F_xHHHH_"
 * (Excel would otherwise show the character HHHH), cut to XLSX_MAX_CELL
 * UTF-16 units with a trailing "…".  Returns a string valid until the next
 * call, or NULL for NULL (and on OOM, with x->oom set).
 */
static const char *
cell_text(struct xlsx *x, const char *str)
{
	const char *p, *end;
	size_t units = 0, keep = 0, n;

	if (str == NULL)
		return NULL;
	x->clean.len = 0;
	text_buf_add(&x->clean, "", 0);
	text_buf_add_clean(&x->clean, str, strlen(str));
	if (x->clean.oom) {
		x->oom = 1;
		return NULL;
	}
	/* The usual case: short (a UTF-16 unit takes at least one byte)
	 * and nothing to escape. */
	if (x->clean.len <= XLSX_MAX_CELL &&
	    !has_escape(x->clean.p, x->clean.len))
		return x->clean.p;
	x->cell.len = 0;
	text_buf_add(&x->cell, "", 0);
	end = x->clean.p + x->clean.len;
	for (p = x->clean.p; p < end; p += n) {
		n = 1;
		if ((unsigned char)*p >= 0x80)
			while ((p[n] & 0xC0) == 0x80)
				n++;
		if (escape_at(p)) {
			text_buf_add(&x->cell, "_x005F", 6);
			units += 6;
		}
		units += n == 4 ? 2 : 1;
		if (units > XLSX_MAX_CELL)
			break;
		text_buf_add(&x->cell, p, n);
		/* Room for the ellipsis if the text turns out too long. */
		if (units <= XLSX_MAX_CELL - 1)
			keep = x->cell.len;
	}
	if (units > XLSX_MAX_CELL) {
		x->cell.len = keep;
		text_buf_add(&x->cell, TEXT_ELLIPSIS, strlen(TEXT_ELLIPSIS));
	}
	if (x->cell.oom) {
		x->oom = 1;
		return NULL;
	}
	return x->cell.p;
}

/* A text cell; NULL writes nothing (or an empty cell in format f). */
static void
put_str(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
    const char *str, enum fmt_id f)
{
	const char *t = cell_text(x, str);

	if (t != NULL)
		check(x, worksheet_write_string(ws, r, c, t, x->f[f]),
		    "write cell");
	else if (f != XF_TEXT && f != XF_WRAP)
		check(x, worksheet_write_blank(ws, r, c, x->f[f]),
		    "write cell");
}

static void
put_num(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
    double v, enum fmt_id f)
{
	check(x, worksheet_write_number(ws, r, c, v, x->f[f]), "write cell");
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* A UTC time as an Excel date (format f); unknown writes nothing, and a
 * time Excel cannot show (before 1900) is written as ISO text. */
static void
put_time(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
    int64_t ms, enum fmt_id f)
{
	lxw_datetime dt;
	struct tm tm;
	time_t t;
	char buf[40];

	if (ms == ML_TIME_NONE)
		return;
	t = (time_t)floor_div(ms, 1000);
	if (gmtime_r(&t, &tm) == NULL)
		return;
	if (tm.tm_year < 0 || tm.tm_year > 9999 - 1900) {
		put_str(x, ws, r, c, ml_time_format(ms, buf, sizeof(buf)),
		    XF_TEXT);
		return;
	}
	dt.year = tm.tm_year + 1900;
	dt.month = tm.tm_mon + 1;
	dt.day = tm.tm_mday;
	dt.hour = tm.tm_hour;
	dt.min = tm.tm_min;
	dt.sec = tm.tm_sec;
	check(x, worksheet_write_datetime(ws, r, c, &dt, x->f[f]),
	    "write date");
}

static int
is_web_url(const char *u)
{
	return u != NULL && (strncmp(u, "https://", 8) == 0 ||
	    strncmp(u, "http://", 7) == 0);
}

/* A hyperlink showing `text`, or `text` alone when the URL is not http(s),
 * too long for Excel, or the sheet has used Excel's URL quota. */
static void
put_link(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
    const char *url, const char *text)
{
	const char *t;
	lxw_error e;

	if (text == NULL)
		text = url;
	if (!is_web_url(url) || strlen(url) > XLSX_MAX_URL ||
	    x->nurls >= LXW_MAX_NUMBER_URLS) {
		put_str(x, ws, r, c, text, XF_TEXT);
		return;
	}
	if ((t = cell_text(x, text)) == NULL)
		return;
	e = worksheet_write_url_opt(ws, r, c, url, x->f[XF_LINK], t, NULL);
	if (e == LXW_ERROR_WORKSHEET_MAX_URL_LENGTH_EXCEEDED ||
	    e == LXW_ERROR_WORKSHEET_MAX_NUMBER_URLS_EXCEEDED) {
		/* The escaped URL came out longer than Excel allows. */
		put_str(x, ws, r, c, text, XF_TEXT);
		return;
	}
	check(x, e, "write hyperlink");
	x->nurls++;
}

static enum fmt_id
level_fmt(enum cat_level l)
{
	switch (l) {
	case CAT_LEVEL_ERROR: return XF_ERR;
	case CAT_LEVEL_WARNING: return XF_WARN;
	case CAT_LEVEL_INFO: break;
	}
	return XF_INFO;
}

static enum fmt_id
outcome_fmt(enum job_outcome o)
{
	switch (o) {
	case JOB_SUCCEEDED: return XF_OK;
	case JOB_WARNINGS: return XF_WARN;
	case JOB_FAILED: return XF_ERR;
	case JOB_UNKNOWN: break;
	}
	return XF_UNK;
}

static enum fmt_id
status_fmt(enum input_status st)
{
	switch (st) {
	case INPUT_PARTIAL: return XF_WARN;
	case INPUT_SKIPPED: return XF_ERR;
	case INPUT_OK: break;
	}
	return XF_OK;
}

static lxw_format *
new_format(struct xlsx *x)
{
	lxw_format *f = workbook_add_format(x->wb);

	if (f == NULL)
		x->oom = 1;
	else
		format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	return f;
}

static void
fill(lxw_format *f, lxw_color_t bg, lxw_color_t fg)
{
	format_set_bg_color(f, bg);
	format_set_font_color(f, fg);
	format_set_bold(f);
}

/* Create every format once, before any sheet is written. */
static int
formats_new(struct xlsx *x)
{
	int i;

	for (i = 0; i < XF__COUNT; i++)
		if ((x->f[i] = new_format(x)) == NULL)
			return -1;
	format_set_text_wrap(x->f[XF_WRAP]);
	format_set_num_format(x->f[XF_NUM], "#,##0");
	format_set_num_format(x->f[XF_TIME], "yyyy-mm-dd hh:mm:ss");
	format_set_align(x->f[XF_TIME], LXW_ALIGN_LEFT);
	format_set_num_format(x->f[XF_DATE], "yyyy-mm-dd");
	format_set_align(x->f[XF_DATE], LXW_ALIGN_LEFT);
	format_set_num_format(x->f[XF_DURATION], "[h]:mm:ss");
	format_set_bold(x->f[XF_HEAD]);
	format_set_font_color(x->f[XF_HEAD], LXW_COLOR_WHITE);
	format_set_bg_color(x->f[XF_HEAD], C_HEAD_BG);
	format_set_bold(x->f[XF_TITLE]);
	format_set_font_size(x->f[XF_TITLE], 16);
	format_set_font_color(x->f[XF_TITLE], C_HEAD_BG);
	format_set_bold(x->f[XF_LABEL]);
	format_set_italic(x->f[XF_NOTE]);
	format_set_font_color(x->f[XF_NOTE], C_UNK_FG);
	format_set_underline(x->f[XF_LINK], LXW_UNDERLINE_SINGLE);
	format_set_font_color(x->f[XF_LINK], LXW_COLOR_BLUE);
	fill(x->f[XF_ERR], C_ERR_BG, C_ERR_FG);
	fill(x->f[XF_WARN], C_WARN_BG, C_WARN_FG);
	fill(x->f[XF_INFO], C_INFO_BG, C_INFO_FG);
	fill(x->f[XF_OK], C_OK_BG, C_OK_FG);
	fill(x->f[XF_UNK], C_UNK_BG, C_UNK_FG);
	format_set_num_format(x->f[XF_HOURS], "0.0");
	format_set_bold(x->f[XF_HEAD_WRAP]);
	format_set_font_color(x->f[XF_HEAD_WRAP], LXW_COLOR_WHITE);
	format_set_bg_color(x->f[XF_HEAD_WRAP], C_HEAD_BG);
	format_set_text_wrap(x->f[XF_HEAD_WRAP]);
	return 0;
}

static lxw_worksheet *
add_sheet_named(struct xlsx *x, const char *name)
{
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);

	if (ws == NULL)
		check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "add worksheet");
	x->nurls = 0;
	return ws;
}

static lxw_worksheet *
add_sheet(struct xlsx *x, enum msg_id name)
{
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, lbl(x, name));

	if (ws == NULL)
		check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "add worksheet");
	x->nurls = 0;
	return ws;
}

/* Header row, widths, frozen header and autofilter for `nrows` data
 * rows. */
static void
list_head(struct xlsx *x, lxw_worksheet *ws, const struct col *cols,
    size_t ncols, size_t nrows)
{
	size_t i;

	for (i = 0; i < ncols; i++) {
		check(x, worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i,
		    cols[i].width, NULL), "set column");
		put_str(x, ws, 0, (lxw_col_t)i, lbl(x, cols[i].label), XF_HEAD);
	}
	worksheet_freeze_panes(ws, 1, 0);
	check(x, worksheet_autofilter(ws, 0, 0,
	    (lxw_row_t)(nrows > 0 ? nrows : 1), (lxw_col_t)(ncols - 1)),
	    "set autofilter");
}

/* Rows to write of n, and the note row for the rest. */
static size_t
rows_cap(size_t n)
{
	return n < XLSX_MAX_DATA_ROWS ? n : XLSX_MAX_DATA_ROWS;
}

static void
cut_note(struct xlsx *x, lxw_worksheet *ws, size_t shown, size_t total)
{
	char buf[160];

	if (shown >= total)
		return;
	snprintf(buf, sizeof(buf), "%s: %zu / %zu. %s", lbl(x, MSG_ROWS_SHOWN),
	    shown, total, lbl(x, MSG_ROWS_ELSEWHERE));
	put_str(x, ws, (lxw_row_t)(shown + 1), 0, buf, XF_NOTE);
}

/* ---------------------------------------------------------- summary */

/* Errors and warnings per UTC day over all machines. */
struct day {
	int64_t day;			/* days since the epoch */
	uint64_t errors, warnings;
};

static int
day_cmp(const void *pa, const void *pb)
{
	const struct day *a = pa, *b = pb;

	return (a->day > b->day) - (a->day < b->day);
}

/* Sorted days with data, merged.  *n = 0 and NULL when there are none. */
static struct day *
days_build(const struct summary *s, size_t *n, int *oom)
{
	struct day *d;
	size_t i, k = 0;

	*n = 0;
	*oom = 0;
	if (s->ntimeline == 0)
		return NULL;
	if ((d = calloc(s->ntimeline, sizeof(*d))) == NULL) {
		*oom = 1;
		return NULL;
	}
	for (i = 0; i < s->ntimeline; i++) {
		const struct summary_bucket *b = &s->timeline[i];

		if (b->errors + b->warnings == 0)
			continue;
		d[k].day = floor_div(b->hour, DAY_MS);
		d[k].errors = b->errors;
		d[k].warnings = b->warnings;
		k++;
	}
	qsort(d, k, sizeof(*d), day_cmp);
	for (i = 0, *n = 0; i < k; i++) {
		if (*n > 0 && d[*n - 1].day == d[i].day) {
			d[*n - 1].errors += d[i].errors;
			d[*n - 1].warnings += d[i].warnings;
		} else {
			d[(*n)++] = d[i];
		}
	}
	return d;
}

static void
kv_count(struct xlsx *x, lxw_worksheet *ws, lxw_row_t *r, enum msg_id label,
    uint64_t v)
{
	put_str(x, ws, *r, 0, lbl(x, label), XF_LABEL);
	put_num(x, ws, *r, 1, (double)v, XF_NUM);
	(*r)++;
}

/* The chart of errors per day, from the table at rows first..last. */
static void
add_chart(struct xlsx *x, lxw_worksheet *ws, lxw_row_t first,
    lxw_row_t last)
{
	lxw_chart *ch = workbook_add_chart(x->wb, LXW_CHART_COLUMN_STACKED);
	lxw_chart_series *se, *sw;
	lxw_chart_fill fe = { .color = C_CHART_ERR };
	lxw_chart_fill fw = { .color = C_CHART_WARN };
	lxw_chart_options opt = { .x_offset = 0, .y_offset = 0,
	    .x_scale = 1.45, .y_scale = 1.1 };
	const char *sheet = lbl(x, MSG_SUMMARY);

	if (ch == NULL) {
		check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "add chart");
		return;
	}
	se = chart_add_series(ch, NULL, NULL);
	sw = chart_add_series(ch, NULL, NULL);
	if (se == NULL || sw == NULL) {
		check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "add chart series");
		return;
	}
	chart_series_set_categories(se, sheet, first, 0, last, 0);
	chart_series_set_values(se, sheet, first, 1, last, 1);
	chart_series_set_name(se, lbl(x, MSG_ERRORS));
	chart_series_set_fill(se, &fe);
	chart_series_set_categories(sw, sheet, first, 0, last, 0);
	chart_series_set_values(sw, sheet, first, 2, last, 2);
	chart_series_set_name(sw, lbl(x, MSG_WARNINGS));
	chart_series_set_fill(sw, &fw);
	chart_title_set_name(ch, lbl(x, MSG_ERRORS_PER_DAY));
	chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
	chart_axis_set_num_format(ch->x_axis, "mm-dd");
	chart_axis_major_gridlines_set_visible(ch->x_axis, 0);
	check(x, worksheet_insert_chart_opt(ws, 3, 4, ch, &opt),
	    "insert chart");
}

/* Hours since a last success (fleet.h) as a number with one decimal,
 * truncated like the other reports, red when stale; "never" for -1. */
static void
put_since(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
    int64_t since, int stale)
{
	if (since < 0)
		put_str(x, ws, r, c, tr(x->lang, MSG_NEVER),
		    stale ? XF_ERR : XF_TEXT);
	else
		put_num(x, ws, r, c, (double)(since / 360000) / 10.0,
		    stale ? XF_ERR : XF_HOURS);
}

static void
put_hours(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
    const struct fleet_row *row)
{
	put_since(x, ws, r, c, row->since, row->stale);
}

/* The top error or warning finding: "code title". */
static void
put_top(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
    const struct summary_finding *f)
{
	struct text_buf b = TEXT_BUF_INIT;

	if (f == NULL || f->level == CAT_LEVEL_INFO)
		return;
	text_buf_addf(&b, "%s %s", f->code != NULL ? f->code : f->id,
	    f->title != NULL ? f->title : "");
	if (b.oom)
		x->oom = 1;
	else
		put_str(x, ws, r, c, b.p, level_fmt(f->level));
	text_buf_release(&b);
}

/* Summary row r: "No successful backup in the last 26 hours: 3 — a, b,
 * c" in red, or ": none" in green. */
static void
stale_line(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r)
{
	const struct fleet *f = x->fleet;
	struct text_buf b = TEXT_BUF_INIT;
	char hrs[32], head[256];
	size_t i;

	snprintf(hrs, sizeof(hrs), "%g", f->stale_after_hours);
	text_buf_adds(&b, fleet_stale_heading(x->lang, hrs, head,
	    sizeof(head)));
	if (f->nstale == 0) {
		text_buf_addf(&b, ": %s", lbl(x, MSG_NONE));
	} else {
		text_buf_addf(&b, ": %zu \xe2\x80\x94 ", f->nstale);
		for (i = 0; i < f->nstale && i < XLSX_STALE_NAMES; i++)
			text_buf_addf(&b, "%s%s", i ? ", " : "",
			    f->rows[f->stale[i]].m->name);
		if (f->nstale > XLSX_STALE_NAMES)
			text_buf_adds(&b, ", " TEXT_ELLIPSIS);
	}
	if (b.oom)
		x->oom = 1;
	else
		put_str(x, ws, r, 0, b.p, f->nstale > 0 ? XF_ERR : XF_OK);
	text_buf_release(&b);
}

/* Row r from column c: the reference time, then (in red) every machine
 * --since/--until left without a record. */
static void
time_notes(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c)
{
	struct text_buf b = TEXT_BUF_INIT;
	char buf[256];
	size_t i;

	text_buf_addf(&b, "%s: %s", lbl(x, MSG_REFERENCE),
	    fleet_reference_text(x->fleet, x->o, x->lang, buf, sizeof(buf)));
	if (!b.oom)
		put_str(x, ws, r, c, b.p, XF_NOTE);
	b.len = 0;
	for (i = 0; i < x->s->nmachines; i++) {
		const struct summary_machine *m = &x->s->machines[i];

		if (fleet_window_note(m, x->lang, buf, sizeof(buf)) != NULL)
			text_buf_addf(&b, "%s%s: %s", b.len ? "; " : "",
			    m->name, buf);
	}
	if (b.oom)
		x->oom = 1;
	else if (b.len > 0)
		put_str(x, ws, r, c + 2, b.p, XF_ERR);
	text_buf_release(&b);
}

static void
sheet_summary(struct xlsx *x, const char *title)
{
	static const double widths[] = { 30, 18, 18, 12, 12, 12, 12, 12, 24,
	    20, 12, 40 };
	static const enum msg_id mcols[] = { MSG_MACHINE, MSG_AGENT_VERSION,
	    MSG_RECORDS, MSG_ERRORS, MSG_WARNINGS, MSG_JOBS, MSG_FAILED_JOBS,
	    MSG_FAILED_FILES, MSG_LAST_JOB, MSG_LAST_SUCCESS };
	const struct summary *s = x->s;
	const struct summary_totals *t = &s->totals;
	lxw_worksheet *ws = add_sheet(x, MSG_SUMMARY);
	uint64_t ok = 0, warn = 0, jfail = 0, nlv[4] = { 0 }, occ[4] = { 0 };
	int64_t first = ML_TIME_NONE, last = ML_TIME_NONE, d0;
	struct day *days = NULL;
	size_t i, ndays, k;
	lxw_row_t r, chart_first;
	struct text_buf names = TEXT_BUF_INIT;
	int oom;

	if (ws == NULL)
		return;
	for (i = 0; i < sizeof(widths) / sizeof(widths[0]); i++)
		check(x, worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i,
		    widths[i], NULL), "set column");
	for (i = 0; i < s->njobs; i++) {
		ok += s->jobs[i].outcome == JOB_SUCCEEDED;
		warn += s->jobs[i].outcome == JOB_WARNINGS;
		jfail += s->jobs[i].outcome == JOB_FAILED;
	}
	for (i = 0; i < s->nfindings; i++) {
		nlv[s->findings[i].level & 3]++;
		occ[s->findings[i].level & 3] += s->findings[i].count;
	}
	for (i = 0; i < s->nmachines; i++) {
		const struct summary_machine *m = &s->machines[i];

		if (m->first_seen != ML_TIME_NONE &&
		    (first == ML_TIME_NONE || m->first_seen < first))
			first = m->first_seen;
		if (m->last_seen != ML_TIME_NONE &&
		    (last == ML_TIME_NONE || m->last_seen > last))
			last = m->last_seen;
		if (i > 0)
			text_buf_adds(&names, ", ");
		if (names.len < XLSX_MAX_CELL)
			text_buf_adds(&names, m->name);
	}

	put_str(x, ws, 0, 0, title, XF_TITLE);
	put_str(x, ws, 1, 0, s->generator != NULL ? s->generator : "marslog",
	    XF_NOTE);
	put_str(x, ws, 1, 1, lbl(x, MSG_ALL_TIMES_UTC), XF_NOTE);
	if (x->o->stamp) {
		put_str(x, ws, 1, 2, lbl(x, MSG_GENERATED), XF_NOTE);
		put_time(x, ws, 1, 3, x->o->now, XF_TIME);
	}
	time_notes(x, ws, 1, 4);
	stale_line(x, ws, 2);
	r = 3;
	put_str(x, ws, r, 0, lbl(x, MSG_MACHINES), XF_LABEL);
	put_num(x, ws, r, 1, (double)s->nmachines, XF_NUM);
	put_str(x, ws, r, 2, names.len > 0 ? names.p : NULL, XF_TEXT);
	r++;
	put_str(x, ws, r, 0, lbl(x, MSG_TIME_SPAN), XF_LABEL);
	put_time(x, ws, r, 1, first, XF_TIME);
	put_time(x, ws, r, 2, last, XF_TIME);
	r++;
	kv_count(x, ws, &r, MSG_JOBS, s->njobs);
	kv_count(x, ws, &r, MSG_JOBS_OK, ok);
	kv_count(x, ws, &r, MSG_JOBS_WITH_WARNINGS, warn);
	kv_count(x, ws, &r, MSG_FAILED_JOBS, jfail);
	kv_count(x, ws, &r, MSG_ERRORS, t->errors);
	kv_count(x, ws, &r, MSG_WARNINGS, t->warnings);
	kv_count(x, ws, &r, MSG_FINDINGS, s->nfindings);
	kv_count(x, ws, &r, MSG_FAILED_FILES, t->failed_files);
	kv_count(x, ws, &r, MSG_INPUTS, t->inputs);
	kv_count(x, ws, &r, MSG_SKIPPED_INPUTS, t->inputs_skipped);
	if (s->templates_dropped > 0)
		kv_count(x, ws, &r, MSG_TEMPLATES_DROPPED, s->templates_dropped);

	/* Counts by level. */
	r++;
	put_str(x, ws, r, 0, lbl(x, MSG_BY_LEVEL), XF_HEAD);
	put_str(x, ws, r, 1, lbl(x, MSG_FINDINGS), XF_HEAD);
	put_str(x, ws, r, 2, lbl(x, MSG_OCCURRENCES), XF_HEAD);
	r++;
	for (k = CAT_LEVEL_ERROR; k >= CAT_LEVEL_INFO; k--) {
		put_str(x, ws, r, 0, tr_level(x->lang, (enum cat_level)k),
		    level_fmt((enum cat_level)k));
		put_num(x, ws, r, 1, (double)nlv[k], XF_NUM);
		put_num(x, ws, r, 2, (double)occ[k], XF_NUM);
		r++;
	}

	/* Machines: keep clear of the chart (rows 3 to about 20). */
	r = r < 21 ? 21 : r + 1;
	for (i = 0; i < sizeof(mcols) / sizeof(mcols[0]); i++)
		put_str(x, ws, r, (lxw_col_t)i, lbl(x, mcols[i]), XF_HEAD);
	put_str(x, ws, r, (lxw_col_t)i, tr(x->lang, MSG_HOURS_SINCE),
	    XF_HEAD);
	put_str(x, ws, r, (lxw_col_t)i + 1, tr(x->lang,
	    MSG_TOP_FINDING), XF_HEAD);
	r++;
	for (i = 0; i < s->nmachines && r < LXW_ROW_MAX - 1000; i++, r++) {
		const struct summary_machine *m = &s->machines[i];

		put_str(x, ws, r, 0, m->name, XF_TEXT);
		put_str(x, ws, r, 1, m->agent_version, XF_TEXT);
		put_num(x, ws, r, 2, (double)m->records, XF_NUM);
		put_num(x, ws, r, 3, (double)m->errors, XF_NUM);
		put_num(x, ws, r, 4, (double)m->warnings, XF_NUM);
		put_num(x, ws, r, 5, (double)m->jobs, XF_NUM);
		put_num(x, ws, r, 6, (double)m->jobs_failed, XF_NUM);
		put_num(x, ws, r, 7, (double)m->failed_files, XF_NUM);
		if (m->last_job_task != NULL)
			put_str(x, ws, r, 8, tr_outcome(x->lang,
			    m->last_job_outcome),
			    outcome_fmt(m->last_job_outcome));
		put_time(x, ws, r, 9, m->last_success, XF_TIME);
		put_hours(x, ws, r, 10, &x->fleet->rows[i]);
		put_top(x, ws, r, 11, x->fleet->rows[i].top);
	}

	/* Errors per day: contiguous days (zeros included) when the span
	 * is short enough to chart, else only the days with data. */
	days = days_build(s, &ndays, &oom);
	if (oom) {
		x->oom = 1;
		goto out;
	}
	r++;
	put_str(x, ws, r, 0, lbl(x, MSG_DATE), XF_HEAD);
	put_str(x, ws, r, 1, lbl(x, MSG_ERRORS), XF_HEAD);
	put_str(x, ws, r, 2, lbl(x, MSG_WARNINGS), XF_HEAD);
	r++;
	chart_first = r;
	if (ndays == 0) {
		put_str(x, ws, r, 0, lbl(x, MSG_NONE), XF_NOTE);
		goto out;
	}
	d0 = days[0].day;
	if (days[ndays - 1].day - d0 < XLSX_CHART_MAX_DAYS) {
		int64_t d;

		for (d = d0, k = 0; d <= days[ndays - 1].day; d++, r++) {
			int have = k < ndays && days[k].day == d;

			put_time(x, ws, r, 0, d * DAY_MS, XF_DATE);
			put_num(x, ws, r, 1, have ? (double)days[k].errors : 0,
			    XF_NUM);
			put_num(x, ws, r, 2, have ? (double)days[k].warnings :
			    0, XF_NUM);
			k += have;
		}
	} else {
		for (k = 0; k < ndays && r < LXW_ROW_MAX - 1; k++, r++) {
			put_time(x, ws, r, 0, days[k].day * DAY_MS, XF_DATE);
			put_num(x, ws, r, 1, (double)days[k].errors, XF_NUM);
			put_num(x, ws, r, 2, (double)days[k].warnings, XF_NUM);
		}
	}
	add_chart(x, ws, chart_first, r - 1);
out:
	if (names.oom)
		x->oom = 1;
	text_buf_release(&names);
	free(days);
}

/* ---------------------------------------------------------- lists */

static void
sheet_findings(struct xlsx *x)
{
	static const struct col cols[] = {
		{ MSG_MACHINE, 14 }, { MSG_LEVEL, 10 }, { MSG_CODE, 16 },
		{ MSG_TITLE, 40 }, { MSG_COUNT, 10 }, { MSG_FIRST_SEEN, 19 },
		{ MSG_LAST_SEEN, 19 }, { MSG_CAUSE, 50 },
		{ MSG_REMEDIATION, 60 }, { MSG_DOC, 40 }, { MSG_SAMPLE, 80 },
	};
	const struct summary *s = x->s;
	lxw_worksheet *ws = add_sheet(x, MSG_FINDINGS);
	size_t i, n = rows_cap(s->nfindings);

	if (ws == NULL)
		return;
	list_head(x, ws, cols, sizeof(cols) / sizeof(cols[0]), n);
	for (i = 0; i < n && !failed(x); i++) {
		const struct summary_finding *f = &s->findings[i];
		lxw_row_t r = (lxw_row_t)(i + 1);

		put_str(x, ws, r, 0, f->machine, XF_TEXT);
		put_str(x, ws, r, 1, tr_level(x->lang, f->level),
		    level_fmt(f->level));
		put_str(x, ws, r, 2, f->code, XF_TEXT);
		put_str(x, ws, r, 3, f->title, XF_WRAP);
		put_num(x, ws, r, 4, (double)f->count, XF_NUM);
		put_time(x, ws, r, 5, f->first_seen, XF_TIME);
		put_time(x, ws, r, 6, f->last_seen, XF_TIME);
		put_str(x, ws, r, 7, f->cause, XF_WRAP);
		put_str(x, ws, r, 8, f->remediation, XF_WRAP);
		if (f->doc_url != NULL)
			put_link(x, ws, r, 9, f->doc_url, f->title);
		put_str(x, ws, r, 10, f->sample.message, XF_TEXT);
	}
	cut_note(x, ws, n, s->nfindings);
}

static void
sheet_jobs(struct xlsx *x)
{
	static const struct col cols[] = {
		{ MSG_MACHINE, 14 }, { MSG_TASK, 40 }, { MSG_KIND, 10 },
		{ MSG_START, 19 }, { MSG_END, 19 }, { MSG_DURATION, 10 },
		{ MSG_OUTCOME, 24 }, { MSG_HRESULT, 13 },
		{ MSG_FAILED_FILES, 12 },
	};
	const struct summary *s = x->s;
	lxw_worksheet *ws = add_sheet(x, MSG_JOBS);
	size_t i, n = rows_cap(s->njobs);

	if (ws == NULL)
		return;
	list_head(x, ws, cols, sizeof(cols) / sizeof(cols[0]), n);
	for (i = 0; i < n && !failed(x); i++) {
		const struct summary_job *j = &s->jobs[i];
		lxw_row_t r = (lxw_row_t)(i + 1);

		put_str(x, ws, r, 0, j->machine, XF_TEXT);
		put_str(x, ws, r, 1, j->task_id, XF_TEXT);
		put_str(x, ws, r, 2, lbl(x, msg_job_kind(j->kind)), XF_TEXT);
		put_time(x, ws, r, 3, j->start, XF_TIME);
		put_time(x, ws, r, 4, j->end, XF_TIME);
		if (j->start != ML_TIME_NONE && j->end != ML_TIME_NONE &&
		    j->end >= j->start)
			put_num(x, ws, r, 5, (double)((j->end - j->start) /
			    1000) / 86400.0, XF_DURATION);
		put_str(x, ws, r, 6, tr_outcome(x->lang, j->outcome),
		    outcome_fmt(j->outcome));
		put_str(x, ws, r, 7, j->hresult, XF_TEXT);
		put_num(x, ws, r, 8, (double)j->failed_files, XF_NUM);
	}
	cut_note(x, ws, n, s->njobs);
}

struct fix_key {
	const char *machine, *code;
};

static int
fix_eq(const void *ctx, size_t idx, const void *key)
{
	const struct summary_finding *f = &((const struct summary *)ctx)->
	    findings[idx];
	const struct fix_key *k = key;

	return strcmp(f->machine, k->machine) == 0 &&
	    strcmp(f->code, k->code) == 0;
}

static uint64_t
fix_hash(const char *machine, const char *code)
{
	return hmap_hash(hmap_hash(HMAP_HASH_INIT, machine,
	    strlen(machine) + 1), code, strlen(code) + 1);
}

/* Index findings by (machine, code); the first in report order wins. */
static int
fix_index(struct xlsx *x)
{
	const struct summary *s = x->s;
	size_t i;

	for (i = 0; i < s->nfindings; i++) {
		const struct summary_finding *f = &s->findings[i];
		struct fix_key k = { f->machine, f->code };
		uint64_t h;

		if (f->code == NULL || f->remediation == NULL)
			continue;
		h = fix_hash(f->machine, f->code);
		if (hmap_find(&x->fix, h, fix_eq, s, &k) == HMAP_NONE &&
		    hmap_insert(&x->fix, h, i) < 0)
			return -1;
	}
	return 0;
}

static const char *
fix_for(const struct xlsx *x, const char *machine, const char *code)
{
	struct fix_key k = { machine, code };
	size_t i;

	if (code == NULL)
		return NULL;
	i = hmap_find(&x->fix, fix_hash(machine, code), fix_eq, x->s, &k);
	return i == HMAP_NONE ? NULL : x->s->findings[i].remediation;
}

static void
sheet_failed_files(struct xlsx *x)
{
	static const struct col cols[] = {
		{ MSG_MACHINE, 14 }, { MSG_PATH, 70 }, { MSG_CODE, 13 },
		{ MSG_COUNT, 10 }, { MSG_REMEDIATION, 80 },
	};
	const struct summary *s = x->s;
	lxw_worksheet *ws = add_sheet(x, MSG_FAILED_FILES);
	size_t i, n = rows_cap(s->nfailed_files);

	if (ws == NULL)
		return;
	if (fix_index(x) < 0) {
		x->oom = 1;
		return;
	}
	list_head(x, ws, cols, sizeof(cols) / sizeof(cols[0]), n);
	for (i = 0; i < n && !failed(x); i++) {
		const struct summary_failed_file *ff = &s->failed_files[i];
		lxw_row_t r = (lxw_row_t)(i + 1);

		put_str(x, ws, r, 0, ff->machine, XF_TEXT);
		put_str(x, ws, r, 1, ff->path, XF_TEXT);
		put_str(x, ws, r, 2, ff->code, XF_TEXT);
		put_num(x, ws, r, 3, (double)ff->count, XF_NUM);
		put_str(x, ws, r, 4, fix_for(x, ff->machine, ff->code),
		    XF_TEXT);
	}
	cut_note(x, ws, n, s->nfailed_files);
}

static void
sheet_templates(struct xlsx *x)
{
	static const struct col cols[] = {
		{ MSG_MACHINE, 14 }, { MSG_LEVEL, 10 }, { MSG_COUNT, 10 },
		{ MSG_FIRST_SEEN, 19 }, { MSG_LAST_SEEN, 19 },
		{ MSG_TEMPLATE, 70 }, { MSG_SAMPLE, 80 }, { MSG_PATH, 50 },
		{ MSG_LINE, 9 },
	};
	const struct summary *s = x->s;
	lxw_worksheet *ws = add_sheet(x, MSG_SHEET_TEMPLATES);
	size_t i, n = rows_cap(s->ntemplates);

	if (ws == NULL)
		return;
	list_head(x, ws, cols, sizeof(cols) / sizeof(cols[0]), n);
	for (i = 0; i < n && !failed(x); i++) {
		const struct summary_template *t = &s->templates[i];
		lxw_row_t r = (lxw_row_t)(i + 1);

		put_str(x, ws, r, 0, t->machine, XF_TEXT);
		put_str(x, ws, r, 1, tr_level(x->lang, t->level),
		    level_fmt(t->level));
		put_num(x, ws, r, 2, (double)t->count, XF_NUM);
		put_time(x, ws, r, 3, t->first_seen, XF_TIME);
		put_time(x, ws, r, 4, t->last_seen, XF_TIME);
		put_str(x, ws, r, 5, t->text, XF_TEXT);
		put_str(x, ws, r, 6, t->sample.message, XF_TEXT);
		put_str(x, ws, r, 7, t->sample.path, XF_TEXT);
		if (t->sample.path != NULL)
			put_num(x, ws, r, 8, (double)t->sample.line, XF_TEXT);
	}
	cut_note(x, ws, n, s->ntemplates);
}

/* The Evidence sheet: the lines behind failed jobs and findings, as
 * evidence_report_each() bounds them; one row per line. */
struct ev_sheet {
	struct xlsx *x;
	lxw_worksheet *ws;
	size_t row;
};

static void
ev_count(void *arg, const struct evidence_row *r)
{
	(void)r;
	((struct ev_sheet *)arg)->row++;
}

static void
ev_row(void *arg, const struct evidence_row *e)
{
	struct ev_sheet *es = arg;
	struct xlsx *x = es->x;
	const char *level = ml_level_name(e->line->level);
	lxw_row_t r = (lxw_row_t)++es->row;

	if (failed(x))
		return;
	put_str(x, es->ws, r, 0, e->machine, XF_TEXT);
	put_str(x, es->ws, r, 1, e->ref, XF_TEXT);
	put_str(x, es->ws, r, 2, e->occ->path, XF_TEXT);
	put_num(x, es->ws, r, 3, (double)e->line->line, XF_NUM);
	put_time(x, es->ws, r, 4, e->line->time, XF_TIME);
	put_str(x, es->ws, r, 5, *level ? level : NULL, XF_TEXT);
	put_str(x, es->ws, r, 6, e->line->match ? ">" : NULL, XF_TEXT);
	put_str(x, es->ws, r, 7, e->line->message, XF_TEXT);
}

static void
sheet_evidence(struct xlsx *x)
{
	static const struct col cols[] = {
		{ MSG_MACHINE, 14 }, { MSG_EVIDENCE_OF, 30 }, { MSG_PATH, 50 },
		{ MSG_LINE, 9 }, { MSG_EVIDENCE_TIME, 19 }, { MSG_LEVEL, 10 },
		{ MSG_EVIDENCE_MATCH, 7 }, { MSG_EVIDENCE_MESSAGE, 100 },
	};
	struct ev_sheet es = { x, NULL, 0 };
	lxw_worksheet *ws;

	(void)evidence_report_each(x->s, ev_count, &es);
	if (es.row == 0)
		return;
	ws = add_sheet(x, MSG_EVIDENCE);
	if (ws == NULL)
		return;
	list_head(x, ws, cols, sizeof(cols) / sizeof(cols[0]), es.row);
	es.ws = ws;
	es.row = 0;
	(void)evidence_report_each(x->s, ev_row, &es);
}

static void
sheet_inputs(struct xlsx *x)
{
	static const struct col cols[] = {
		{ MSG_MACHINE, 14 }, { MSG_PATH, 70 }, { MSG_KIND, 13 },
		{ MSG_ENCODING, 11 }, { MSG_BYTES, 14 }, { MSG_RECORDS, 12 },
		{ MSG_UNPARSED, 14 }, { MSG_STATUS, 11 },
		{ MSG_WARNING_TEXT, 60 }, { MSG_YEAR, 22 },
	};
	char year[48];
	const struct summary *s = x->s;
	lxw_worksheet *ws = add_sheet(x, MSG_INPUTS);
	size_t i, n = rows_cap(s->ninputs);

	if (ws == NULL)
		return;
	list_head(x, ws, cols, sizeof(cols) / sizeof(cols[0]), n);
	for (i = 0; i < n && !failed(x); i++) {
		const struct summary_input *in = &s->inputs[i];
		lxw_row_t r = (lxw_row_t)(i + 1);

		put_str(x, ws, r, 0, in->machine, XF_TEXT);
		put_str(x, ws, r, 1, in->path, XF_TEXT);
		put_str(x, ws, r, 2, input_kind_name(in->kind), XF_TEXT);
		put_str(x, ws, r, 3, text_encoding_name(in->encoding), XF_TEXT);
		put_num(x, ws, r, 4, (double)in->bytes, XF_NUM);
		put_num(x, ws, r, 5, (double)in->records, XF_NUM);
		put_num(x, ws, r, 6, (double)in->unparsed_lines, XF_NUM);
		put_str(x, ws, r, 7, lbl(x, msg_input_status(in->status)),
		    status_fmt(in->status));
		put_str(x, ws, r, 8, in->warning, XF_WRAP);
		put_str(x, ws, r, 9, summary_input_year_text(in, year,
		    sizeof(year)), XF_TEXT);
	}
	cut_note(x, ws, n, s->ninputs);
}

/* ---------------------------------------------------------- fleet */

/* Night over night, the first sheet when there is a baseline: one row
 * per change with its before and after values. */
static void
sheet_changes(struct xlsx *x)
{
	static const double widths[] = { 12, 20, 24, 18, 50, 12, 12 };
	const struct baseline_diff *d = x->o->diff;
	const enum msg_id heads[] = { MSG_CHANGE, MSG__COUNT, MSG_WHAT,
	    MSG__COUNT, MSG__COUNT, MSG_BEFORE, MSG_NOW };
	lxw_worksheet *ws;
	size_t i, k, n;
	lxw_row_t r;

	if (d == NULL)
		return;
	ws = add_sheet_named(x, tr(x->lang, MSG_CHANGES));
	if (ws == NULL)
		return;
	n = rows_cap(d->nitems);
	for (k = 0; k < sizeof(widths) / sizeof(widths[0]); k++) {
		const char *l = heads[k] != MSG__COUNT ?
		    tr(x->lang, heads[k]) : k == 1 ?
		    lbl(x, MSG_MACHINE) : k == 3 ? lbl(x, MSG_CODE) :
		    lbl(x, MSG_TITLE);

		check(x, worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k,
		    widths[k], NULL), "set column");
		put_str(x, ws, 0, (lxw_col_t)k, l, XF_HEAD);
	}
	worksheet_freeze_panes(ws, 1, 0);
	check(x, worksheet_autofilter(ws, 0, 0, (lxw_row_t)(n > 0 ? n : 1),
	    (lxw_col_t)(sizeof(widths) / sizeof(widths[0]) - 1)),
	    "set autofilter");
	for (i = 0, r = 1; i < n; i++, r++) {
		const struct baseline_item *it = &d->items[i];
		const struct summary_finding *f = it->finding;
		enum fmt_id cf = it->change == BASELINE_NEW ||
		    it->change == BASELINE_WORSE ? XF_ERR :
		    it->change == BASELINE_VANISHED ? XF_WARN : XF_OK;

		put_str(x, ws, r, 0, tr(x->lang,
		    (enum msg_id)(MSG_CHANGE_NEW + it->change)), cf);
		put_str(x, ws, r, 1, it->machine, XF_TEXT);
		switch (it->subject) {
		case BASELINE_MACHINE:
			break;
		case BASELINE_STALE:
			put_str(x, ws, r, 2, tr(x->lang,
			    MSG_SUBJECT_STALE), XF_TEXT);
			put_since(x, ws, r, 5, it->since_before, 0);
			put_since(x, ws, r, 6, it->since_after, 0);
			break;
		case BASELINE_LAST_JOB:
			put_str(x, ws, r, 2, tr(x->lang,
			    MSG_SUBJECT_LAST_JOB), XF_TEXT);
			put_str(x, ws, r, 5, tr_outcome(x->lang,
			    it->outcome_before), outcome_fmt(it->outcome_before));
			put_str(x, ws, r, 6, tr_outcome(x->lang,
			    it->outcome_after), outcome_fmt(it->outcome_after));
			break;
		case BASELINE_FINDING:
			put_str(x, ws, r, 2, f->id, level_fmt(it->level_after ?
			    it->level_after : it->level_before));
			put_str(x, ws, r, 3, f->code, XF_TEXT);
			put_link(x, ws, r, 4, f->doc_url, f->title);
			if (it->level_before)
				put_num(x, ws, r, 5, (double)it->count_before,
				    XF_NUM);
			if (it->level_after)
				put_num(x, ws, r, 6, (double)it->count_after,
				    XF_NUM);
			break;
		}
	}
	cut_note(x, ws, n, d->nitems);
}

/* One row per machine: staleness, last job, counts, top finding and its
 * fix, agent version. */
static void
sheet_machines(struct xlsx *x)
{
	static const double widths[] = { 20, 20, 12, 10, 40, 14, 20, 10, 12,
	    10, 10, 40, 60, 16 };
	const struct fleet *f = x->fleet;
	lxw_worksheet *ws = add_sheet_named(x, lbl(x, MSG_MACHINES));
	const char *heads[sizeof(widths) / sizeof(widths[0])];
	size_t i, n = rows_cap(f->nrows);
	lxw_row_t r;

	if (ws == NULL)
		return;
	heads[0] = lbl(x, MSG_MACHINE);
	heads[1] = lbl(x, MSG_LAST_SUCCESS);
	heads[2] = tr(x->lang, MSG_HOURS_SINCE);
	heads[3] = tr(x->lang, MSG_STALE_COL);
	heads[4] = lbl(x, MSG_LAST_JOB);
	heads[5] = lbl(x, MSG_OUTCOME);
	heads[6] = lbl(x, MSG_END);
	heads[7] = lbl(x, MSG_JOBS);
	heads[8] = lbl(x, MSG_FAILED_JOBS);
	heads[9] = lbl(x, MSG_ERRORS);
	heads[10] = lbl(x, MSG_WARNINGS);
	heads[11] = tr(x->lang, MSG_TOP_FINDING);
	heads[12] = lbl(x, MSG_REMEDIATION);
	heads[13] = lbl(x, MSG_AGENT_VERSION);
	for (i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		check(x, worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i,
		    widths[i], NULL), "set column");
		put_str(x, ws, 0, (lxw_col_t)i, heads[i], XF_HEAD);
	}
	worksheet_freeze_panes(ws, 1, 0);
	check(x, worksheet_autofilter(ws, 0, 0, (lxw_row_t)(n > 0 ? n : 1),
	    (lxw_col_t)(sizeof(widths) / sizeof(widths[0]) - 1)),
	    "set autofilter");
	for (i = 0, r = 1; i < n; i++, r++) {
		const struct fleet_row *row = &f->rows[i];
		const struct summary_machine *m = row->m;

		put_str(x, ws, r, 0, m->name, XF_TEXT);
		if (row->since < 0)
			put_str(x, ws, r, 1, tr(x->lang, MSG_NEVER),
			    XF_ERR);
		else
			put_time(x, ws, r, 1, m->last_success, XF_TIME);
		put_hours(x, ws, r, 2, row);
		put_str(x, ws, r, 3, tr(x->lang, row->stale ? MSG_YES :
		    MSG_NO), row->stale ? XF_ERR : XF_OK);
		put_str(x, ws, r, 4, m->last_job_task, XF_TEXT);
		if (m->last_job_task != NULL)
			put_str(x, ws, r, 5, tr_outcome(x->lang,
			    m->last_job_outcome), outcome_fmt(m->last_job_outcome));
		put_time(x, ws, r, 6, m->last_job_end, XF_TIME);
		put_num(x, ws, r, 7, (double)m->jobs, XF_NUM);
		put_num(x, ws, r, 8, (double)m->jobs_failed, XF_NUM);
		put_num(x, ws, r, 9, (double)m->errors, XF_NUM);
		put_num(x, ws, r, 10, (double)m->warnings, XF_NUM);
		put_top(x, ws, r, 11, row->top);
		if (row->top != NULL && row->top->level != CAT_LEVEL_INFO)
			put_str(x, ws, r, 12, row->top->remediation, XF_WRAP);
		put_str(x, ws, r, 13, m->agent_version, XF_TEXT);
	}
	cut_note(x, ws, n, f->nrows);
}

/* Machines by findings: a column per error or warning entry, worst
 * first, headed "code title" (wrapped); blank where a machine has none. */
static void
sheet_matrix(struct xlsx *x)
{
	const struct fleet *f = x->fleet;
	lxw_worksheet *ws;
	size_t i, k, n = rows_cap(f->nrows), ncols = f->ncols < XLSX_MAX_COLS ?
	    f->ncols : XLSX_MAX_COLS;
	struct text_buf b = TEXT_BUF_INIT;
	lxw_row_t r;

	if (f->ncols == 0)
		return;
	ws = add_sheet_named(x, tr(x->lang, MSG_MATRIX));
	if (ws == NULL)
		return;
	check(x, worksheet_set_column(ws, 0, 0, 20, NULL), "set column");
	check(x, worksheet_set_column(ws, 1, (lxw_col_t)ncols, 14, NULL),
	    "set column");
	check(x, worksheet_set_row(ws, 0, 60, NULL), "set row");
	put_str(x, ws, 0, 0, lbl(x, MSG_MACHINE), XF_HEAD_WRAP);
	for (k = 0; k < ncols; k++) {
		const struct summary_finding *c = f->cols[k].f;

		b.len = 0;
		text_buf_addf(&b, "%s %s", c->code != NULL ? c->code : c->id,
		    c->title != NULL ? c->title : "");
		if (b.oom) {
			x->oom = 1;
			break;
		}
		put_str(x, ws, 0, (lxw_col_t)(k + 1), b.p, XF_HEAD_WRAP);
	}
	text_buf_release(&b);
	worksheet_freeze_panes(ws, 1, 1);
	check(x, worksheet_autofilter(ws, 0, 0, (lxw_row_t)(n > 0 ? n : 1),
	    (lxw_col_t)ncols), "set autofilter");
	for (i = 0, r = 1; i < n; i++, r++) {
		put_str(x, ws, r, 0, f->rows[i].m->name, XF_TEXT);
		for (k = 0; k < ncols; k++) {
			uint64_t v = fleet_cell(f, i, k);

			if (v > 0)
				put_num(x, ws, r, (lxw_col_t)(k + 1), (double)v,
				    level_fmt(f->cols[k].f->level));
		}
	}
	cut_note(x, ws, n, f->nrows);
}

/* ---------------------------------------------------------- driver */

/* Fixed creation time: opt->now with a stamp, else the latest record
 * time, so the same summary always gives the same docProps/core.xml. */
static time_t
created_time(const struct summary *s, const struct report_options *o)
{
	int64_t last = ML_TIME_NONE;
	size_t i;

	if (o->stamp && o->now > 0)
		return (time_t)(o->now / 1000);
	for (i = 0; i < s->nmachines; i++)
		if (s->machines[i].last_seen != ML_TIME_NONE &&
		    (last == ML_TIME_NONE || s->machines[i].last_seen > last))
			last = s->machines[i].last_seen;
	if (last == ML_TIME_NONE || last < 1000)
		return XLSX_DEFAULT_CREATED;
	return (time_t)(last / 1000);
}

/* Directory part of path for libxlsxwriter's temp files ("." for a bare
 * name); malloc'd, NULL on OOM. */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* Copy the file at `from` to fp.  Returns 0, or -1 with errno set. */
static int
copy_to(const char *from, FILE *fp)
{
	char buf[65536];
	FILE *in = fopen(from, "rb");
	size_t n;
	int rc = -1;

	if (in == NULL)
		return -1;
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, fp) != n)
			goto out;
	if (!ferror(in))
		rc = 0;
out:
	fclose(in);
	return rc;
}

static size_t
total_rows(const struct summary *s, const struct report_options *o)
{
	return s->nfindings + s->njobs + s->nfailed_files + s->ntemplates +
	    s->ninputs + 3 * s->nmachines + (o->diff ? o->diff->nitems : 0);
}

static int
xlsx_write(const struct summary *s, const struct report_options *o,
    FILE *fp, const char *path, char *err, size_t errlen)
{
	struct xlsx x = { .s = s, .o = o, .lang = o->lang,
	    .err = LXW_NO_ERROR, .clean = TEXT_BUF_INIT,
	    .cell = TEXT_BUF_INIT };
	struct fleet *fleet = fleet_new(s, o, FLEET_MATRIX);
	const char *title = o->title != NULL ? o->title :
	    tr(o->lang, MSG_REPORT_TITLE);
	const char *tmpdir = getenv("TMPDIR");
	char tmpname[4096] = "";
	const char *out = path;
	char *dir = NULL, *doc_title = NULL, *doc_comments = NULL;
	lxw_workbook_options wo = { 0 };
	lxw_doc_properties props = { 0 };
	FILE *probe;
	lxw_error e;
	int rc = -1, fd = -1;

	if ((unsigned)x.lang >= CAT_LANG__COUNT)
		x.lang = CAT_LANG_EN;
	hmap_init(&x.fix);
	if (fleet == NULL) {
		x.oom = 1;
		goto out;
	}
	x.fleet = fleet;
	if (path == NULL) {
		/* stdout: build the workbook in a private temporary file,
		 * then copy it. */
		const char *td = tmpdir != NULL && *tmpdir != '\0' ? tmpdir :
		    "/tmp";

		report_temp_sweep(td, "marslog-xlsx-");
		snprintf(tmpname, sizeof(tmpname), "%s/marslog-xlsx-XXXXXX", td);
		if ((fd = report_temp_open(tmpname)) < 0) {
			snprintf(err, errlen, "xlsx report: cannot create "
			    "temporary file: %s", strerror(errno));
			tmpname[0] = '\0';
			goto out;
		}
		out = tmpname;
	}
	/* libxlsxwriter prints a message of its own on stderr when it
	 * cannot create the file at workbook_close(): find that out first,
	 * so the library stays quiet in the usual failure. */
	if ((probe = fopen(out, "ab")) == NULL) {
		snprintf(err, errlen, "xlsx report: cannot open %s: %s", out,
		    strerror(errno));
		goto out;
	}
	fclose(probe);
	/* libxlsxwriter's own temporary files go beside the output, not to
	 * a /tmp that may live in memory. */
	wo.constant_memory = total_rows(s, o) > XLSX_BIG_ROWS;
	if ((dir = dir_of(out)) == NULL ||
	    (wo.tmpdir = dir, x.wb = workbook_new_opt(out, &wo)) == NULL ||
	    (doc_title = strdup(cell_text(&x, title) != NULL ?
	    cell_text(&x, title) : "")) == NULL ||
	    (doc_comments = strdup(s->generator != NULL ? s->generator :
	    "marslog")) == NULL) {
		x.oom = 1;
		goto out;
	}
	props.title = doc_title;
	props.comments = doc_comments;
	props.created = created_time(s, o);
	check(&x, workbook_set_properties(x.wb, &props), "set properties");
	if (formats_new(&x) < 0)
		goto out;

	/* the changes first, so the workbook opens on them */
	sheet_changes(&x);
	sheet_summary(&x, title);
	if (o->history != NULL && history_xlsx_write(x.wb, o->history, x.lang,
	    err, errlen) != 0)
		goto out;
	sheet_findings(&x);
	sheet_jobs(&x);
	sheet_failed_files(&x);
	sheet_templates(&x);
	sheet_evidence(&x);
	sheet_inputs(&x);
	sheet_machines(&x);
	sheet_matrix(&x);

	/* workbook_close() writes the file and is also the only way to free
	 * a workbook: on an earlier error the caller discards the file. */
	e = workbook_close(x.wb);
	x.wb = NULL;
	if (failed(&x))
		goto out;
	if (e != LXW_NO_ERROR) {
		snprintf(err, errlen, "xlsx report: cannot write workbook: %s",
		    lxw_strerror(e));
		goto out;
	}
	if (path == NULL && (copy_to(out, fp) < 0 || fflush(fp) != 0)) {
		snprintf(err, errlen, "xlsx report: cannot copy to output: %s",
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (x.wb != NULL)
		workbook_close(x.wb);
	if (x.oom)
		snprintf(err, errlen, "xlsx report: out of memory");
	else if (x.err != LXW_NO_ERROR)
		snprintf(err, errlen, "xlsx report: %s: %s", x.what,
		    lxw_strerror(x.err));
	if (tmpname[0] != '\0')
		report_temp_close(fd, tmpname, 1);
	free(dir);
	free(doc_title);
	free(doc_comments);
	text_buf_release(&x.clean);
	text_buf_release(&x.cell);
	hmap_release(&x.fix);
	fleet_free(fleet);
	return rc;
}

const struct report_writer report_writer_xlsx = {
	.name = "xlsx",
	.write = xlsx_write,
};
