/* SPDX-License-Identifier: MIT */
/*
 * report_html.c -- the HTML report: one self-contained file a support
 * engineer can mail to a customer.
 *
 * Self-contained means no request of any kind: the CSS and JS are the
 * embedded assets (reports/assets/, see parsers/embed.h) inlined into the
 * page, the timeline is inline SVG, there are no fonts or images, and a
 * strict Content-Security-Policy forbids loading anything should a later
 * edit forget this rule.  The only URLs are the catalog's documentation
 * links (http or https only, rel="noopener noreferrer").
 *
 * Every string that came from a log is hostile: it is cleaned (control
 * characters, escape sequences and bidi overrides removed, invalid UTF-8
 * replaced; reports/text.h) and then HTML-escaped (& < > " '), the same way
 * in text and in attributes.  The page is complete with JavaScript off; the
 * inline script only sorts and filters rows and never writes HTML.
 *
 * Output depends only on the summary and the options, so it can be
 * compared byte for byte with a golden file: no wall-clock time unless
 * opt->stamp, fixed number formats, no locale.
 *
 * Big summaries: a browser cannot show a million rows, so the long tables
 * (jobs, failed files, unknown messages, inputs) stop at HTML_MAX_ROWS
 * with a note; the XLSX and JSON reports carry every row.  Failed files
 * are also summed up by code, which is what a reader needs first.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parsers/decode.h"
#include "parsers/embed.h"
#include "parsers/hmap.h"
#include "parsers/record.h"
#include "reports/baseline.h"
#include "reports/fleet.h"
#include "reports/i18n.h"
#include "reports/report.h"
#include "reports/report_history.h"
#include "reports/text.h"

#define HTML_MAX_ROWS 5000	/* rows per long table */
#define HTML_TOP_ISSUES 5	/* findings in the "Top issues" list */
#define HTML_MAX_COLS 40	/* finding columns of the matrix */
#define HTML_MAX_DETAILS 500	/* machines with a detail block */
#define HOUR_MS INT64_C(3600000)
#define DAY_MS (24 * HOUR_MS)
/* Timeline bins: hours for spans up to 3 days, days up to TL_MAX_BINS,
 * then several days per bar so the chart never has more bars than that. */
#define TL_HOURLY_MAX 72
#define TL_MAX_BINS 400
#define TL_MAX_TICKS 8		/* axis lines, whatever the counts */

/* SVG geometry of the timeline (user units; the viewBox scales it). */
#define TL_W 1000
#define TL_H 240
#define TL_LEFT 56
#define TL_RIGHT 12
#define TL_TOP 12
#define TL_BOTTOM 30

struct html {
	FILE *fp;
	const struct summary *s;
	const struct report_options *o;
	enum cat_lang lang;
	struct text_buf tmp;	/* cleaned copy of the string being written */
	const struct fleet *fleet;	/* stale list, matrix (fleet.h) */
};

/* Failed files summed up by code (NULL code = no code). */
struct code_sum {
	const char *code;
	uint64_t files, count;
};

struct code_sums {
	struct code_sum *v;
	size_t n, cap;
	struct hmap idx;
};

static const char *
lbl(const struct html *h, enum msg_id id)
{
	return tr(h->lang, id);
}

static void
put(struct html *h, const char *lit)
{
	fputs(lit, h->fp);
}

/*
 * Write a log-derived (or any) string: cleaned, then escaped for both
 * text and attribute values.  NULL writes nothing.
 */
static void
esc(struct html *h, const char *str)
{
	const char *p, *run;

	if (str == NULL)
		return;
	h->tmp.len = 0;
	text_buf_add_clean(&h->tmp, str, strlen(str));
	if (h->tmp.len == 0)
		return;
	for (p = run = h->tmp.p; *p != '\0'; p++) {
		const char *rep;

		switch (*p) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		fwrite(run, 1, (size_t)(p - run), h->fp);
		fputs(rep, h->fp);
		run = p + 1;
	}
	fwrite(run, 1, (size_t)(p - run), h->fp);
}

/* 1234567 -> "1,234,567" into buf (at least 27 bytes). */
static char *
fmt_count(uint64_t v, char *buf)
{
	char digits[21];
	int n = snprintf(digits, sizeof(digits), "%" PRIu64, v);
	int i, o = 0;

	for (i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

static void
put_count(struct html *h, uint64_t v)
{
	char buf[32];

	put(h, fmt_count(v, buf));
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Display forms of a UTC time (strftime formats are literals so the
 * compiler checks them). */
enum tfmt {
	TIME_SEC,		/* 2024-06-07 01:23:25 */
	TIME_MIN,		/* 2024-06-07 01:23 */
	TIME_DAY,		/* 2024-06-07 */
	TIME_HOUR_TICK		/* 06-07 01:00, timeline axis */
};

/* buf gets the time in form `f`, or "" for ML_TIME_NONE or a time gmtime
 * cannot show.  Returns buf. */
static char *
fmt_time(int64_t ms, enum tfmt f, char *buf, size_t len)
{
	time_t t;
	struct tm tm;
	size_t n = 0;

	if (ms != ML_TIME_NONE) {
		t = (time_t)floor_div(ms, 1000);
		if (gmtime_r(&t, &tm) != NULL) {
			switch (f) {
			case TIME_SEC:
				n = strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
				break;
			case TIME_MIN:
				n = strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
				break;
			case TIME_DAY:
				n = strftime(buf, len, "%Y-%m-%d", &tm);
				break;
			case TIME_HOUR_TICK:
				n = strftime(buf, len, "%m-%d %H:00", &tm);
				break;
			}
		}
	}
	buf[n] = '\0';
	return buf;
}

/* "45s", "4m 10s", "1h 02m", "2d 03h"; "" when a time is unknown. */
static char *
fmt_duration(int64_t start, int64_t end, char *buf, size_t len)
{
	int64_t s;

	buf[0] = '\0';
	if (start == ML_TIME_NONE || end == ML_TIME_NONE || end < start)
		return buf;
	s = (end - start) / 1000;
	if (s < 60)
		snprintf(buf, len, "%" PRId64 "s", s);
	else if (s < 3600)
		snprintf(buf, len, "%" PRId64 "m %02" PRId64 "s", s / 60,
		    s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%" PRId64 "h %02" PRId64 "m", s / 3600,
		    s / 60 % 60);
	else
		snprintf(buf, len, "%" PRId64 "d %02" PRId64 "h", s / 86400,
		    s / 3600 % 24);
	return buf;
}

static int
is_web_url(const char *u)
{
	return u != NULL && (strncmp(u, "https://", 8) == 0 ||
	    strncmp(u, "http://", 7) == 0);
}

/* <a> to a documentation page with `text` as its label; plain text when
 * the URL is not http(s) (a catalog file could hold "javascript:"). */
static void
put_doc_link(struct html *h, const char *url, const char *text)
{
	if (!is_web_url(url)) {
		esc(h, text);
		return;
	}
	put(h, "<a class=\"doc\" href=\"");
	esc(h, url);
	put(h, "\" rel=\"noopener noreferrer\" target=\"_blank\">");
	esc(h, text);
	put(h, "</a>");
}

static const char *
level_class(enum cat_level l)
{
	switch (l) {
	case CAT_LEVEL_ERROR: return "error";
	case CAT_LEVEL_WARNING: return "warning";
	case CAT_LEVEL_INFO: break;
	}
	return "info";
}

static const char *
outcome_class(enum job_outcome o)
{
	switch (o) {
	case JOB_SUCCEEDED: return "succeeded";
	case JOB_WARNINGS: return "warnings";
	case JOB_FAILED: return "failed";
	case JOB_UNKNOWN: break;
	}
	return "unknown";
}

static const char *
status_class(enum input_status st)
{
	switch (st) {
	case INPUT_PARTIAL: return "partial";
	case INPUT_SKIPPED: return "skipped";
	case INPUT_OK: break;
	}
	return "ok";
}

/* <td> cells; sorting reads data-sort when the text does not sort. */
static void
td_text(struct html *h, const char *cls, const char *str)
{
	if (cls != NULL)
		fprintf(h->fp, "<td class=\"%s\">", cls);
	else
		put(h, "<td>");
	esc(h, str);
	put(h, "</td>");
}

static void
td_count(struct html *h, uint64_t v)
{
	put(h, "<td class=\"num\">");
	put_count(h, v);
	put(h, "</td>");
}

/* A time cell; `wrap` lets it break between date and time (never inside
 * the date) in wide tables. */
static void
td_time(struct html *h, int64_t ms, int wrap)
{
	char buf[40], *sp;

	fmt_time(ms, TIME_SEC, buf, sizeof(buf));
	sp = strchr(buf, ' ');
	if (!wrap || sp == NULL) {
		fprintf(h->fp, "<td class=\"time\">%s</td>", buf);
		return;
	}
	*sp = '\0';
	fprintf(h->fp, "<td class=\"time2\"><span>%s</span> <span>%s</span></td>",
	    buf, sp + 1);
}

static void
td_level(struct html *h, enum cat_level l)
{
	fprintf(h->fp, "<td data-sort=\"%d\"><span class=\"badge lvl-%s\">",
	    (int)l, level_class(l));
	esc(h, tr_level(h->lang, l));
	put(h, "</span></td>");
}

static void
td_outcome(struct html *h, enum job_outcome o)
{
	fprintf(h->fp, "<td data-sort=\"%d\"><span class=\"badge out-%s\">",
	    (int)o, outcome_class(o));
	esc(h, tr_outcome(h->lang, o));
	put(h, "</span></td>");
}

/* A collapsed sample line: path:line and the message. */
static void
put_sample(struct html *h, const struct summary_sample *sm)
{
	if (sm->path == NULL && sm->message == NULL)
		return;
	put(h, "<details><summary>");
	esc(h, lbl(h, MSG_SAMPLE));
	put(h, "</summary><code>");
	if (sm->path != NULL) {
		esc(h, sm->path);
		fprintf(h->fp, ":%" PRIu64 "\n", sm->line);
	}
	esc(h, sm->message);
	put(h, "</code></details>");
}

struct col {
	enum msg_id label;
	int num;		/* right-aligned numbers */
};

/* The filter box (hidden until the script shows it) and the start of a
 * table head; th() adds the columns, table_body() ends the head. */
static void
table_head(struct html *h, const char *id)
{
	fprintf(h->fp, "<div class=\"tools\" data-table=\"%s\" hidden>"
	    "<input type=\"search\" placeholder=\"", id);
	esc(h, lbl(h, MSG_FILTER));
	put(h, "\" aria-label=\"");
	esc(h, lbl(h, MSG_FILTER));
	put(h, "\"><span class=\"count\"></span></div>\n");
	fprintf(h->fp, "<div class=\"wrap\"><table class=\"data sortable\" "
	    "id=\"%s\"><thead><tr>", id);
}

static void
th(struct html *h, const char *label, int num)
{
	put(h, num ? "<th class=\"num\">" : "<th>");
	esc(h, label);
	put(h, "</th>");
}

static void
table_body(struct html *h)
{
	put(h, "</tr></thead>\n<tbody>\n");
}

static void
table_open(struct html *h, const char *id, const struct col *cols,
    size_t ncols)
{
	size_t i;

	table_head(h, id);
	for (i = 0; i < ncols; i++)
		th(h, lbl(h, cols[i].label), cols[i].num);
	table_body(h);
}

static void
table_close(struct html *h)
{
	put(h, "</tbody></table></div>\n");
}

/* Note under a table cut at HTML_MAX_ROWS. */
static void
put_cut_note(struct html *h, size_t shown, size_t total, enum msg_id extra)
{
	if (shown >= total)
		return;
	put(h, "<p class=\"note\">");
	esc(h, lbl(h, MSG_ROWS_SHOWN));
	put(h, ": ");
	put_count(h, shown);
	put(h, " / ");
	put_count(h, total);
	put(h, ". ");
	if (extra != MSG__COUNT) {
		esc(h, lbl(h, extra));
		put(h, " ");
	}
	esc(h, lbl(h, MSG_ROWS_ELSEWHERE));
	put(h, "</p>\n");
}

static void
section_open(struct html *h, const char *id, enum msg_id title, size_t n,
    int show_n)
{
	fprintf(h->fp, "<section id=\"%s\">\n<h2>", id);
	esc(h, lbl(h, title));
	if (show_n) {
		put(h, "<span class=\"n\">");
		put_count(h, n);
		put(h, "</span>");
	}
	put(h, "</h2>\n");
}

static void
put_none(struct html *h)
{
	put(h, "<p class=\"none\">");
	esc(h, lbl(h, MSG_NONE));
	put(h, "</p>\n");
}

/* First and last record time over all machines (timeline as fallback). */
static void
time_span(const struct summary *s, int64_t *first, int64_t *last)
{
	size_t i;

	*first = *last = ML_TIME_NONE;
	for (i = 0; i < s->nmachines; i++) {
		const struct summary_machine *m = &s->machines[i];

		if (m->first_seen != ML_TIME_NONE &&
		    (*first == ML_TIME_NONE || m->first_seen < *first))
			*first = m->first_seen;
		if (m->last_seen != ML_TIME_NONE &&
		    (*last == ML_TIME_NONE || m->last_seen > *last))
			*last = m->last_seen;
	}
	if (*first != ML_TIME_NONE)
		return;
	for (i = 0; i < s->ntimeline; i++) {
		int64_t t = s->timeline[i].hour;

		if (*first == ML_TIME_NONE || t < *first)
			*first = t;
		if (*last == ML_TIME_NONE || t + HOUR_MS - 1 > *last)
			*last = t + HOUR_MS - 1;
	}
}

/* An embedded asset by name, NULL if the build lacks it. */
static const struct embedded_file *
asset(const char *name)
{
	const struct embedded_file *f;

	for (f = asset_files; f->name != NULL; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

static void
put_head(struct html *h, const char *title, const struct embedded_file *css)
{
	fprintf(h->fp, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n", h->lang == CAT_LANG_ZH ? "zh-CN" :
	    "en");
	put(h, "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; style-src 'unsafe-inline'; "
	    "script-src 'unsafe-inline'; img-src data:\">\n"
	    "<meta name=\"referrer\" content=\"no-referrer\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<meta name=\"generator\" content=\"");
	esc(h, h->s->generator != NULL ? h->s->generator : "marslog");
	put(h, "\">\n<title>");
	esc(h, title);
	put(h, "</title>\n<style>\n");
	fwrite(css->data, 1, css->size, h->fp);
	put(h, "</style>\n</head>\n<body>\n");
}

/* Machines --since/--until left without a record, before anything else:
 * an empty window must not read as "no errors". */
static void
put_window_notes(struct html *h)
{
	char buf[256];
	size_t i;

	for (i = 0; i < h->s->nmachines; i++) {
		const struct summary_machine *m = &h->s->machines[i];

		if (fleet_window_note(m, h->lang, buf, sizeof(buf)) == NULL)
			continue;
		put(h, "<p class=\"window-empty\">");
		esc(h, m->name);
		put(h, ": ");
		esc(h, buf);
		put(h, "</p>\n");
	}
}

static void
put_header(struct html *h, const char *title, int64_t first, int64_t last)
{
	char a[160], b[40];

	put(h, "<header class=\"top\">\n<h1>");
	esc(h, title);
	put(h, "</h1>\n<div class=\"meta\">");
	if (h->s->nmachines == 1) {
		put(h, "<span>");
		esc(h, h->s->machines[0].name);
		put(h, "</span>");
	} else {
		put(h, "<span>");
		esc(h, lbl(h, MSG_MACHINES));
		put(h, ": ");
		put_count(h, h->s->nmachines);
		put(h, "</span>");
	}
	if (first != ML_TIME_NONE) {
		fprintf(h->fp, "<span>%s \xe2\x80\x93 %s</span>",
		    fmt_time(first, TIME_MIN, a, sizeof(a)),
		    fmt_time(last, TIME_MIN, b, sizeof(b)));
	}
	put(h, "<span>");
	esc(h, lbl(h, MSG_REFERENCE));
	put(h, ": ");
	esc(h, fleet_reference_text(h->fleet, h->o, h->lang, a, sizeof(a)));
	put(h, "</span><span>");
	esc(h, lbl(h, MSG_ALL_TIMES_UTC));
	put(h, "</span>");
	if (h->o->stamp) {
		put(h, "<span>");
		esc(h, lbl(h, MSG_GENERATED));
		fprintf(h->fp, ": %s</span>",
		    fmt_time(h->o->now, TIME_MIN, a, sizeof(a)));
	}
	put(h, "</div>\n</header>\n");
	put_window_notes(h);
}

static void
nav_item(struct html *h, const char *id, enum msg_id label, size_t n,
    int show_n)
{
	fprintf(h->fp, "<a href=\"#%s\">", id);
	esc(h, lbl(h, label));
	if (show_n) {
		put(h, "<span class=\"n\">");
		put_count(h, n);
		put(h, "</span>");
	}
	put(h, "</a>");
}

static void
fleet_nav_item(struct html *h, const char *id, enum msg_id label,
    size_t n)
{
	fprintf(h->fp, "<a href=\"#%s\">", id);
	esc(h, tr(h->lang, label));
	put(h, "<span class=\"n\">");
	put_count(h, n);
	put(h, "</span></a>");
}

static void
put_nav(struct html *h)
{
	const struct summary *s = h->s;

	put(h, "<nav class=\"toc\">");
	if (h->o->diff != NULL)
		fleet_nav_item(h, "changes", MSG_CHANGES, h->o->diff->nitems);
	fleet_nav_item(h, "stale", MSG_STALE_COL, h->fleet->nstale);
	nav_item(h, "summary", MSG_SUMMARY, 0, 0);
	nav_item(h, "machines", MSG_MACHINES, s->nmachines, 1);
	if (s->nmachines > 1 && h->fleet->ncols > 0)
		fleet_nav_item(h, "matrix", MSG_MATRIX, h->fleet->ncols);
	nav_item(h, "timeline", MSG_TIMELINE, 0, 0);
	nav_item(h, "findings", MSG_FINDINGS, s->nfindings, 1);
	nav_item(h, "jobs", MSG_JOBS, s->njobs, 1);
	nav_item(h, "failed-files", MSG_FAILED_FILES, s->nfailed_files, 1);
	nav_item(h, "templates", MSG_UNKNOWN_TEMPLATES, s->ntemplates, 1);
	nav_item(h, "inputs", MSG_INPUTS, s->ninputs, 1);
	put(h, "</nav>\n<main>\n");
}

static void
card_open(struct html *h, const char *cls, enum msg_id label)
{
	fprintf(h->fp, "<div class=\"card%s%s\"><div class=\"l\">",
	    cls != NULL ? " " : "", cls != NULL ? cls : "");
	esc(h, lbl(h, label));
	put(h, "</div>");
}

static void
card_count(struct html *h, const char *cls, enum msg_id label, uint64_t v)
{
	card_open(h, cls, label);
	put(h, "<div class=\"v\">");
	put_count(h, v);
	put(h, "</div>");
}

/* " · 3 word" parts of a card's subtitle; the first has no separator. */
static void
sub_part(struct html *h, int *first, uint64_t n, const char *word)
{
	if (!*first)
		put(h, " \xc2\xb7 ");
	*first = 0;
	put_count(h, n);
	put(h, " ");
	esc(h, word);
}

static void
put_cards(struct html *h, int64_t first, int64_t last)
{
	const struct summary *s = h->s;
	const struct summary_totals *t = &s->totals;
	uint64_t ok = 0, warn = 0, failed = 0, lv[4] = { 0, 0, 0, 0 };
	char a[40], b[40];
	size_t i;
	int f;

	for (i = 0; i < s->njobs; i++) {
		if (s->jobs[i].outcome == JOB_SUCCEEDED)
			ok++;
		else if (s->jobs[i].outcome == JOB_WARNINGS)
			warn++;
		else if (s->jobs[i].outcome == JOB_FAILED)
			failed++;
	}
	for (i = 0; i < s->nfindings; i++)
		lv[s->findings[i].level & 3]++;

	section_open(h, "summary", MSG_SUMMARY, 0, 0);
	put(h, "<div class=\"cards\">\n");

	card_count(h, NULL, MSG_MACHINES, s->nmachines);
	put(h, "<div class=\"s\">");
	for (i = 0; i < s->nmachines && i < 3; i++) {
		if (i > 0)
			put(h, ", ");
		esc(h, s->machines[i].name);
	}
	if (s->nmachines > 3)
		put(h, ", \xe2\x80\xa6");
	put(h, "</div></div>\n");

	card_open(h, NULL, MSG_TIME_SPAN);
	put(h, "<div class=\"v small\">");
	if (first != ML_TIME_NONE)
		fprintf(h->fp, "%s<br>%s", fmt_time(first, TIME_MIN, a,
		    sizeof(a)), fmt_time(last, TIME_MIN, b, sizeof(b)));
	else
		esc(h, lbl(h, MSG_NONE));
	put(h, "</div><div class=\"s\">");
	esc(h, fmt_duration(first, last, a, sizeof(a)));
	put(h, "</div></div>\n");

	card_count(h, failed > 0 ? "err" : s->njobs > 0 ? "ok" : NULL,
	    MSG_JOBS, s->njobs);
	put(h, "<div class=\"s\">");
	f = 1;
	sub_part(h, &f, ok, lbl(h, MSG_JOBS_OK));
	if (warn > 0)
		sub_part(h, &f, warn, lbl(h, MSG_JOBS_WITH_WARNINGS));
	sub_part(h, &f, failed, lbl(h, MSG_JOBS_FAILED));
	put(h, "</div></div>\n");

	card_count(h, t->errors > 0 ? "err" : NULL, MSG_ERRORS, t->errors);
	put(h, "</div>\n");
	card_count(h, t->warnings > 0 ? "warn" : NULL, MSG_WARNINGS,
	    t->warnings);
	put(h, "</div>\n");

	card_count(h, lv[CAT_LEVEL_ERROR] > 0 ? "err" : NULL, MSG_FINDINGS,
	    s->nfindings);
	put(h, "<div class=\"s\">");
	f = 1;
	sub_part(h, &f, lv[CAT_LEVEL_ERROR],
	    tr_level(h->lang, CAT_LEVEL_ERROR));
	sub_part(h, &f, lv[CAT_LEVEL_WARNING],
	    tr_level(h->lang, CAT_LEVEL_WARNING));
	sub_part(h, &f, lv[CAT_LEVEL_INFO], tr_level(h->lang, CAT_LEVEL_INFO));
	put(h, "</div></div>\n");

	card_count(h, t->failed_files > 0 ? "warn" : NULL, MSG_FAILED_FILES,
	    t->failed_files);
	put(h, "</div>\n");

	card_count(h, t->inputs_skipped > 0 ? "warn" : NULL, MSG_INPUTS,
	    t->inputs);
	put(h, "<div class=\"s\">");
	f = 1;
	sub_part(h, &f, t->inputs_skipped, lbl(h, MSG_INPUT_SKIPPED));
	put(h, "</div></div>\n");

	put(h, "</div>\n</section>\n");
}

/* The first few error and warning findings, with what to do. */
static void
put_issues(struct html *h)
{
	const struct summary *s = h->s;
	size_t i, n = 0;

	for (i = 0; i < s->nfindings && n < HTML_TOP_ISSUES; i++)
		if (s->findings[i].level >= CAT_LEVEL_WARNING)
			n++;
	if (n == 0)
		return;
	section_open(h, "issues", MSG_TOP_ISSUES, 0, 0);
	put(h, "<div class=\"issues\">\n");
	for (i = 0, n = 0; i < s->nfindings && n < HTML_TOP_ISSUES; i++) {
		const struct summary_finding *f = &s->findings[i];

		if (f->level < CAT_LEVEL_WARNING)
			continue;
		n++;
		fprintf(h->fp, "<div class=\"issue %s\"><div class=\"t\">",
		    level_class(f->level));
		put_doc_link(h, f->doc_url, f->title != NULL ? f->title :
		    f->id);
		put(h, "</div><div class=\"m\">");
		fprintf(h->fp, "<span class=\"badge lvl-%s\">",
		    level_class(f->level));
		esc(h, tr_level(h->lang, f->level));
		put(h, "</span> ");
		esc(h, f->machine);
		if (f->code != NULL) {
			put(h, " \xc2\xb7 <code>");
			esc(h, f->code);
			put(h, "</code>");
		}
		put(h, " \xc2\xb7 ");
		put_count(h, f->count);
		put(h, "\xc3\x97</div>");
		if (f->remediation != NULL) {
			put(h, "<p class=\"fix\"><b>");
			esc(h, lbl(h, MSG_FIX));
			put(h, ":</b> ");
			esc(h, f->remediation);
			put(h, "</p>");
		}
		put(h, "</div>\n");
	}
	put(h, "</div>\n</section>\n");
}

/* ------------------------------------------------------------- fleet */

/* "30.5", or "never" for a machine without a successful backup. */
static char *
fmt_hours(const struct html *h, int64_t since, char *buf, size_t len)
{
	if (since < 0)
		snprintf(buf, len, "%s", tr(h->lang, MSG_NEVER));
	else
		fleet_hours_format(since, buf, len);
	return buf;
}

/* Hours since the last success; never sorts above any number, and a
 * stale value shows as an error badge. */
static void
td_hours(struct html *h, const struct fleet_row *r)
{
	char buf[24];

	fmt_hours(h, r->since, buf, sizeof(buf));
	fprintf(h->fp, "<td class=\"num\" data-sort=\"%lld\">",
	    r->since < 0 ? (long long)INT64_MAX / 2 : (long long)r->since);
	if (r->stale)
		put(h, "<span class=\"badge lvl-error\">");
	esc(h, buf);
	put(h, r->stale ? "</span></td>" : "</td>");
}

/* The top error or warning finding: code and title, the fix on hover. */
static void
td_top(struct html *h, const struct summary_finding *f)
{
	if (f == NULL || f->level == CAT_LEVEL_INFO) {
		put(h, "<td></td>");
		return;
	}
	put(h, "<td title=\"");
	esc(h, f->remediation);
	fprintf(h->fp, "\"><span class=\"badge lvl-%s\">",
	    level_class(f->level));
	esc(h, f->code != NULL ? f->code : f->id);
	put(h, "</span> ");
	esc(h, f->title);
	put(h, "</td>");
}

static void
put_machines(struct html *h)
{
	static const struct col cols[] = {
		{ MSG_MACHINE, 0 }, { MSG_AGENT_VERSION, 0 },
		{ MSG_RECORDS, 1 }, { MSG_ERRORS, 1 }, { MSG_WARNINGS, 1 },
		{ MSG_JOBS, 1 }, { MSG_FAILED_JOBS, 1 },
		{ MSG_FAILED_FILES, 1 }, { MSG_LAST_JOB, 0 },
		{ MSG_LAST_SUCCESS, 0 },
	};
	const struct summary *s = h->s;
	size_t i, k;

	section_open(h, "machines", MSG_MACHINES, s->nmachines, 1);
	if (s->nmachines == 0) {
		put_none(h);
		put(h, "</section>\n");
		return;
	}
	table_head(h, "t-machines");
	for (k = 0; k < sizeof(cols) / sizeof(cols[0]); k++)
		th(h, lbl(h, cols[k].label), cols[k].num);
	th(h, tr(h->lang, MSG_HOURS_SINCE), 1);
	th(h, tr(h->lang, MSG_TOP_FINDING), 0);
	table_body(h);
	for (i = 0; i < s->nmachines; i++) {
		const struct summary_machine *m = &s->machines[i];
		const struct fleet_row *r = &h->fleet->rows[i];

		put(h, "<tr>");
		td_text(h, NULL, m->name);
		td_text(h, NULL, m->agent_version);
		td_count(h, m->records);
		td_count(h, m->errors);
		td_count(h, m->warnings);
		td_count(h, m->jobs);
		td_count(h, m->jobs_failed);
		td_count(h, m->failed_files);
		if (m->last_job_task != NULL)
			td_outcome(h, m->last_job_outcome);
		else
			put(h, "<td></td>");
		td_time(h, m->last_success, 0);
		td_hours(h, r);
		td_top(h, r->top);
		put(h, "</tr>\n");
	}
	table_close(h);
	put(h, "</section>\n");
}

static const char *
change_class(enum baseline_change c)
{
	switch (c) {
	case BASELINE_NEW:
	case BASELINE_WORSE:
		return "lvl-error";
	case BASELINE_VANISHED:
		return "lvl-warning";
	default:
		break;
	}
	return "out-succeeded";
}

/* Before and after of one change, as text. */
static void
change_values(const struct html *h, const struct baseline_item *it,
    char *a, char *b, size_t len)
{
	a[0] = b[0] = '\0';
	switch (it->subject) {
	case BASELINE_MACHINE:
		break;
	case BASELINE_STALE:
		fmt_hours(h, it->since_before, a, len);
		fmt_hours(h, it->since_after, b, len);
		break;
	case BASELINE_LAST_JOB:
		snprintf(a, len, "%s", tr_outcome(h->lang, it->outcome_before));
		snprintf(b, len, "%s", tr_outcome(h->lang, it->outcome_after));
		break;
	case BASELINE_FINDING:
		if (it->level_before)
			snprintf(a, len, "%" PRIu64, it->count_before);
		if (it->level_after)
			snprintf(b, len, "%" PRIu64, it->count_after);
		break;
	}
}

/* Night over night, first of all: one row per change. */
static void
put_changes(struct html *h)
{
	const struct baseline_diff *d = h->o->diff;
	char a[48], b[48];
	size_t i, shown;

	if (d == NULL)
		return;
	fprintf(h->fp, "<section id=\"changes\">\n<h2>");
	esc(h, tr(h->lang, MSG_CHANGES));
	put(h, "<span class=\"n\">");
	put_count(h, d->nitems);
	put(h, "</span></h2>\n<p class=\"meta\">");
	for (i = 0; i < BASELINE__COUNT; i++) {
		if (i > 0)
			put(h, " \xc2\xb7 ");
		if (d->count[i] > 0)
			fprintf(h->fp, "<span class=\"badge %s\">",
			    change_class((enum baseline_change)i));
		put_count(h, d->count[i]);
		put(h, " ");
		esc(h, tr(h->lang, (enum msg_id)(MSG_CHANGE_NEW + i)));
		if (d->count[i] > 0)
			put(h, "</span>");
	}
	put(h, " \xc2\xb7 ");
	esc(h, tr(h->lang, MSG_BASELINE_AS_OF));
	fprintf(h->fp, ": %s</p>\n", fmt_time(d->as_of_before, TIME_MIN, a,
	    sizeof(a)));
	if (d->nitems == 0) {
		put_none(h);
		put(h, "</section>\n");
		return;
	}
	shown = d->nitems < HTML_MAX_ROWS ? d->nitems : HTML_MAX_ROWS;
	table_head(h, "t-changes");
	th(h, tr(h->lang, MSG_CHANGE), 0);
	th(h, lbl(h, MSG_MACHINE), 0);
	th(h, tr(h->lang, MSG_WHAT), 0);
	th(h, tr(h->lang, MSG_BEFORE), 1);
	th(h, tr(h->lang, MSG_NOW), 1);
	table_body(h);
	for (i = 0; i < shown; i++) {
		const struct baseline_item *it = &d->items[i];
		const struct summary_finding *f = it->finding;

		fprintf(h->fp, "<tr><td data-sort=\"%d\"><span class=\"badge "
		    "%s\">", (int)it->change, change_class(it->change));
		esc(h, tr(h->lang,
		    (enum msg_id)(MSG_CHANGE_NEW + it->change)));
		put(h, "</span></td>");
		td_text(h, NULL, it->machine);
		put(h, "<td>");
		if (f != NULL) {
			fprintf(h->fp, "<span class=\"badge lvl-%s\">",
			    level_class(it->level_after ? it->level_after :
			    it->level_before));
			esc(h, f->code != NULL ? f->code : f->id);
			put(h, "</span> ");
			put_doc_link(h, f->doc_url, f->title != NULL ?
			    f->title : f->id);
		} else if (it->subject == BASELINE_STALE) {
			esc(h, tr(h->lang, MSG_SUBJECT_STALE));
		} else if (it->subject == BASELINE_LAST_JOB) {
			esc(h, tr(h->lang, MSG_SUBJECT_LAST_JOB));
		}
		put(h, "</td>");
		change_values(h, it, a, b, sizeof(a));
		td_text(h, "num", a);
		td_text(h, "num", b);
		put(h, "</tr>\n");
	}
	table_close(h);
	put_cut_note(h, shown, d->nitems, MSG__COUNT);
	put(h, "</section>\n");
}

/* Machines with no successful backup in the last N hours: never first,
 * then the longest since. */
static void
put_stale(struct html *h)
{
	const struct fleet *f = h->fleet;
	char hrs[32], head[256], a[40];
	size_t i, shown;

	snprintf(hrs, sizeof(hrs), "%g", f->stale_after_hours);
	put(h, "<section id=\"stale\">\n<h2>");
	esc(h, fleet_stale_heading(h->lang, hrs, head, sizeof(head)));
	put(h, "<span class=\"n\">");
	put_count(h, f->nstale);
	put(h, "</span></h2>\n<p class=\"meta\">");
	esc(h, tr(h->lang, MSG_AS_OF));
	fprintf(h->fp, ": %s</p>\n", fmt_time(f->as_of, TIME_MIN, a,
	    sizeof(a)));
	if (f->nstale == 0) {
		put_none(h);
		put(h, "</section>\n");
		return;
	}
	shown = f->nstale < HTML_MAX_ROWS ? f->nstale : HTML_MAX_ROWS;
	table_head(h, "t-stale");
	th(h, lbl(h, MSG_MACHINE), 0);
	th(h, lbl(h, MSG_LAST_SUCCESS), 0);
	th(h, tr(h->lang, MSG_HOURS_SINCE), 1);
	th(h, lbl(h, MSG_LAST_JOB), 0);
	th(h, tr(h->lang, MSG_TOP_FINDING), 0);
	table_body(h);
	for (i = 0; i < shown; i++) {
		const struct fleet_row *r = &f->rows[f->stale[i]];

		put(h, "<tr>");
		fprintf(h->fp, "<td><a href=\"#m-%zu\">", f->stale[i]);
		esc(h, r->m->name);
		put(h, "</a></td>");
		if (r->since < 0)
			td_text(h, NULL, tr(h->lang, MSG_NEVER));
		else
			td_time(h, r->m->last_success, 0);
		td_hours(h, r);
		if (r->m->last_job_task != NULL)
			td_outcome(h, r->m->last_job_outcome);
		else
			put(h, "<td></td>");
		td_top(h, r->top);
		put(h, "</tr>\n");
	}
	table_close(h);
	put_cut_note(h, shown, f->nstale, MSG__COUNT);
	put(h, "</section>\n");
}

/* Machines by findings: error and warning entries as columns, worst
 * first (at most HTML_MAX_COLS; the XLSX matrix has them all). */
static void
put_matrix(struct html *h)
{
	const struct fleet *f = h->fleet;
	size_t i, k, ncols = f->ncols < HTML_MAX_COLS ? f->ncols :
	    HTML_MAX_COLS, shown;

	if (f->nrows < 2 || f->ncols == 0)
		return;
	fprintf(h->fp, "<section id=\"matrix\">\n<h2>");
	esc(h, tr(h->lang, MSG_MATRIX));
	put(h, "<span class=\"n\">");
	put_count(h, f->ncols);
	put(h, "</span></h2>\n");
	shown = f->nrows < HTML_MAX_ROWS ? f->nrows : HTML_MAX_ROWS;
	table_head(h, "t-matrix");
	th(h, lbl(h, MSG_MACHINE), 0);
	for (k = 0; k < ncols; k++) {
		const struct summary_finding *c = f->cols[k].f;

		put(h, "<th class=\"num\" title=\"");
		esc(h, c->title);
		fprintf(h->fp, "\"><span class=\"badge lvl-%s\">",
		    level_class(c->level));
		esc(h, c->code != NULL ? c->code : c->id);
		put(h, "</span></th>");
	}
	table_body(h);
	for (i = 0; i < shown; i++) {
		fprintf(h->fp, "<tr><td><a href=\"#m-%zu\">", i);
		esc(h, f->rows[i].m->name);
		put(h, "</a></td>");
		for (k = 0; k < ncols; k++) {
			uint64_t v = fleet_cell(f, i, k);

			if (v == 0)
				put(h, "<td class=\"num\" data-sort=\"0\"></td>");
			else
				td_count(h, v);
		}
		put(h, "</tr>\n");
	}
	table_close(h);
	put_cut_note(h, shown, f->nrows, MSG__COUNT);
	if (ncols < f->ncols) {
		put(h, "<p class=\"note\">");
		put_count(h, f->ncols - ncols);
		put(h, " ");
		esc(h, tr(h->lang, MSG_MORE_COLUMNS));
		put(h, ". ");
		esc(h, lbl(h, MSG_ROWS_ELSEWHERE));
		put(h, "</p>\n");
	}
	put(h, "</section>\n");
}

/* One collapsed block per machine (the first HTML_MAX_DETAILS): the
 * fleet figures and its error and warning findings with their fixes. */
static void
put_machine_details(struct html *h)
{
	const struct fleet *f = h->fleet;
	const struct summary *s = h->s;
	size_t i, k, shown = f->nrows < HTML_MAX_DETAILS ? f->nrows :
	    HTML_MAX_DETAILS;
	char a[40], b[40];

	if (f->nrows < 2)
		return;
	fprintf(h->fp, "<section id=\"machine-details\">\n<h2>");
	esc(h, tr(h->lang, MSG_MACHINE_DETAIL));
	put(h, "<span class=\"n\">");
	put_count(h, f->nrows);
	put(h, "</span></h2>\n");
	for (i = 0; i < shown; i++) {
		const struct fleet_row *r = &f->rows[i];
		const struct summary_machine *m = r->m;

		fprintf(h->fp, "<details id=\"m-%zu\"><summary>", i);
		esc(h, m->name);
		if (r->stale) {
			put(h, " <span class=\"badge lvl-error\">");
			esc(h, tr(h->lang, MSG_STALE_YES));
			put(h, "</span>");
		}
		if (m->last_job_task != NULL) {
			fprintf(h->fp, " <span class=\"badge out-%s\">",
			    outcome_class(m->last_job_outcome));
			esc(h, tr_outcome(h->lang, m->last_job_outcome));
			put(h, "</span>");
		}
		put(h, "</summary>\n<p class=\"meta\">");
		esc(h, lbl(h, MSG_LAST_SUCCESS));
		fprintf(h->fp, ": %s \xc2\xb7 ", r->since < 0 ?
		    tr(h->lang, MSG_NEVER) :
		    fmt_time(m->last_success, TIME_MIN, a, sizeof(a)));
		esc(h, tr(h->lang, MSG_HOURS_SINCE));
		fprintf(h->fp, ": %s \xc2\xb7 ", fmt_hours(h, r->since, b,
		    sizeof(b)));
		esc(h, lbl(h, MSG_LAST_JOB));
		put(h, ": ");
		esc(h, m->last_job_task != NULL ? m->last_job_task : "-");
		fprintf(h->fp, " %s \xc2\xb7 ",
		    fmt_time(m->last_job_end, TIME_MIN, a, sizeof(a)));
		esc(h, lbl(h, MSG_FAILED_JOBS));
		put(h, ": ");
		put_count(h, m->jobs_failed);
		put(h, " \xc2\xb7 ");
		esc(h, lbl(h, MSG_ERRORS));
		put(h, ": ");
		put_count(h, m->errors);
		put(h, " \xc2\xb7 ");
		esc(h, lbl(h, MSG_WARNINGS));
		put(h, ": ");
		put_count(h, m->warnings);
		put(h, " \xc2\xb7 ");
		esc(h, lbl(h, MSG_AGENT_VERSION));
		put(h, ": ");
		esc(h, m->agent_version != NULL ? m->agent_version : "-");
		put(h, "</p>\n");
		for (k = 0; k < s->nfindings; k++) {
			const struct summary_finding *x = &s->findings[k];

			if (x->level == CAT_LEVEL_INFO ||
			    strcmp(x->machine, m->name) != 0)
				continue;
			fprintf(h->fp, "<div class=\"issue %s\"><div class=\"t\">"
			    "<span class=\"badge lvl-%s\">",
			    level_class(x->level), level_class(x->level));
			esc(h, x->code != NULL ? x->code : x->id);
			put(h, "</span> ");
			put_doc_link(h, x->doc_url, x->title != NULL ?
			    x->title : x->id);
			put(h, " \xc2\xb7 ");
			put_count(h, x->count);
			put(h, "\xc3\x97</div>");
			if (x->remediation != NULL) {
				put(h, "<p class=\"fix\"><b>");
				esc(h, lbl(h, MSG_FIX));
				put(h, ":</b> ");
				esc(h, x->remediation);
				put(h, "</p>");
			}
			put(h, "</div>\n");
		}
		put(h, "</details>\n");
	}
	put_cut_note(h, shown, f->nrows, MSG__COUNT);
	put(h, "</section>\n");
}

/* Smallest 1, 2 or 5 times a power of ten that is >= x (x >= 1). */
static uint64_t
nice_step(uint64_t x)
{
	uint64_t p = 1;

	for (;;) {
		if (p >= x)
			return p;
		if (2 * p >= x)
			return 2 * p;
		if (5 * p >= x)
			return 5 * p;
		if (p > UINT64_MAX / 10)
			return x;
		p *= 10;
	}
}

static int
put_timeline(struct html *h)
{
	const struct summary *s = h->s;
	int64_t lo = 0, hi = 0, start, width;
	uint64_t *e = NULL, *w = NULL, top = 0, step, ticks;
	size_t i, n, every;
	int any = 0, hourly, rc = -1;
	double slot, plot_w = TL_W - TL_LEFT - TL_RIGHT;
	double plot_h = TL_H - TL_TOP - TL_BOTTOM;
	char a[40], b[40];

	section_open(h, "timeline", MSG_TIMELINE, 0, 0);
	for (i = 0; i < s->ntimeline; i++) {
		const struct summary_bucket *k = &s->timeline[i];

		if (summary_count_add(k->errors, k->warnings) == 0)
			continue;
		if (!any || k->hour < lo)
			lo = k->hour;
		if (!any || k->hour > hi)
			hi = k->hour;
		any = 1;
	}
	if (!any) {
		put_none(h);
		put(h, "</section>\n");
		return 0;
	}
	/* Bin edges from hour and day numbers, never from hi - lo, which
	 * could overflow on absurd times. */
	hourly = floor_div(hi, HOUR_MS) - floor_div(lo, HOUR_MS) <
	    TL_HOURLY_MAX;
	if (hourly) {
		width = HOUR_MS;
		start = floor_div(lo, HOUR_MS) * HOUR_MS;
		n = (size_t)(floor_div(hi, HOUR_MS) - floor_div(lo, HOUR_MS)) +
		    1;
	} else {
		int64_t days = floor_div(hi, DAY_MS) - floor_div(lo, DAY_MS) + 1;
		int64_t per = (days + TL_MAX_BINS - 1) / TL_MAX_BINS;

		width = per * DAY_MS;
		start = floor_div(lo, DAY_MS) * DAY_MS;
		n = (size_t)((days + per - 1) / per);
	}
	e = calloc(n, sizeof(*e));
	w = calloc(n, sizeof(*w));
	if (e == NULL || w == NULL)
		goto out;
	for (i = 0; i < s->ntimeline; i++) {
		const struct summary_bucket *k = &s->timeline[i];
		size_t bin;

		if (summary_count_add(k->errors, k->warnings) == 0)
			continue;
		bin = (size_t)floor_div(k->hour - start, width);
		e[bin] = summary_count_add(e[bin], k->errors);
		w[bin] = summary_count_add(w[bin], k->warnings);
	}
	for (i = 0; i < n; i++)
		if (summary_count_add(e[i], w[i]) > top)
			top = summary_count_add(e[i], w[i]);
	/* ceilings without overflow; nice_step gives at least a quarter of
	 * top, so ticks is 4 or 5, and the cap only bounds the loop */
	step = nice_step(top / 4 + (top % 4 != 0));
	ticks = top / step + (top % step != 0);
	if (ticks > TL_MAX_TICKS)
		ticks = TL_MAX_TICKS;
	slot = plot_w / (double)n;

	fprintf(h->fp, "<div class=\"chart\"><svg viewBox=\"0 0 %d %d\" "
	    "role=\"img\" aria-label=\"", TL_W, TL_H);
	esc(h, lbl(h, MSG_TIMELINE));
	put(h, "\">\n");
	for (i = 0; i <= ticks; i++) {
		double y = TL_TOP + plot_h - plot_h * (double)i / (double)ticks;

		fprintf(h->fp, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" "
		    "y1=\"%.1f\" y2=\"%.1f\"/><text class=\"axis\" x=\"%d\" "
		    "y=\"%.1f\" text-anchor=\"end\">", TL_LEFT, TL_W - TL_RIGHT,
		    y, y, TL_LEFT - 6, y + 4);
		put_count(h, step > UINT64_MAX / (i ? i : 1) ? UINT64_MAX :
		    step * i);
		put(h, "</text>\n");
	}
	every = (n + 7) / 8;
	for (i = 0; i < n; i++) {
		int64_t t0 = start + (int64_t)i * width;
		double x = TL_LEFT + slot * (double)i;
		double bw = slot > 3 ? slot * 0.8 : slot;
		double full = (double)step * (double)ticks;
		double he = plot_h * (double)e[i] / full;
		double hw = plot_h * (double)w[i] / full;
		double base = TL_TOP + plot_h;

		if (i % every == 0)
			fprintf(h->fp, "<text class=\"axis\" x=\"%.1f\" y=\"%d\" "
			    "text-anchor=\"middle\">%s</text>\n", x + slot / 2,
			    TL_H - 10, fmt_time(t0, hourly ? TIME_HOUR_TICK :
			    TIME_DAY, a, sizeof(a)));
		if (e[i] + w[i] == 0)
			continue;
		put(h, "<g class=\"b\"><title>");
		if (hourly)
			put(h, fmt_time(t0, TIME_MIN, a, sizeof(a)));
		else if (width == DAY_MS)
			put(h, fmt_time(t0, TIME_DAY, a, sizeof(a)));
		else
			fprintf(h->fp, "%s \xe2\x80\x93 %s", fmt_time(t0,
			    TIME_DAY, a, sizeof(a)), fmt_time(t0 + width - 1,
			    TIME_DAY, b, sizeof(b)));
		put(h, ": ");
		esc(h, lbl(h, MSG_ERRORS));
		put(h, " ");
		put_count(h, e[i]);
		put(h, ", ");
		esc(h, lbl(h, MSG_WARNINGS));
		put(h, " ");
		put_count(h, w[i]);
		put(h, "</title>");
		if (e[i] > 0)
			fprintf(h->fp, "<rect class=\"e\" x=\"%.1f\" y=\"%.1f\" "
			    "width=\"%.1f\" height=\"%.1f\"/>", x + (slot - bw) / 2,
			    base - he, bw, he);
		if (w[i] > 0)
			fprintf(h->fp, "<rect class=\"w\" x=\"%.1f\" y=\"%.1f\" "
			    "width=\"%.1f\" height=\"%.1f\"/>", x + (slot - bw) / 2,
			    base - he - hw, bw, hw);
		put(h, "</g>\n");
	}
	put(h, "</svg></div>\n<p class=\"legend\"><span class=\"sw e\">"
	    "</span>");
	esc(h, lbl(h, MSG_ERRORS));
	put(h, "<span class=\"sw w\"></span>");
	esc(h, lbl(h, MSG_WARNINGS));
	put(h, " \xc2\xb7 ");
	esc(h, lbl(h, MSG_BAR_WIDTH));
	put(h, ": ");
	if (hourly)
		esc(h, lbl(h, MSG_UNIT_HOUR));
	else if (width == DAY_MS)
		esc(h, lbl(h, MSG_UNIT_DAY));
	else {
		fprintf(h->fp, "%" PRId64 " ", width / DAY_MS);
		esc(h, lbl(h, MSG_UNIT_DAYS));
	}
	put(h, "</p>\n</section>\n");
	rc = 0;
out:
	free(e);
	free(w);
	return rc;
}

static void
put_findings(struct html *h)
{
	static const struct col cols[] = {
		{ MSG_LEVEL, 0 }, { MSG_MACHINE, 0 }, { MSG_CODE, 0 },
		{ MSG_TITLE, 0 }, { MSG_COUNT, 1 }, { MSG_FIRST_SEEN, 0 },
		{ MSG_LAST_SEEN, 0 }, { MSG_CAUSE, 0 }, { MSG_REMEDIATION, 0 },
	};
	const struct summary *s = h->s;
	size_t i;

	section_open(h, "findings", MSG_FINDINGS, s->nfindings, 1);
	if (s->nfindings == 0) {
		put_none(h);
		put(h, "</section>\n");
		return;
	}
	table_open(h, "t-findings", cols, sizeof(cols) / sizeof(cols[0]));
	for (i = 0; i < s->nfindings; i++) {
		const struct summary_finding *f = &s->findings[i];

		fprintf(h->fp, "<tr class=\"row-%s\">", level_class(f->level));
		td_level(h, f->level);
		td_text(h, NULL, f->machine);
		td_text(h, "code", f->code);
		put(h, "<td class=\"text\">");
		put_doc_link(h, f->doc_url, f->title != NULL ? f->title :
		    f->id);
		if (f->category != NULL) {
			put(h, "<div class=\"sub\">");
			esc(h, f->category);
			put(h, "</div>");
		}
		put_sample(h, &f->sample);
		put(h, "</td>");
		td_count(h, f->count);
		td_time(h, f->first_seen, 1);
		td_time(h, f->last_seen, 1);
		td_text(h, "text", f->cause);
		td_text(h, "text", f->remediation);
		put(h, "</tr>\n");
	}
	table_close(h);
	put(h, "</section>\n");
}

static void
put_jobs(struct html *h)
{
	static const struct col cols[] = {
		{ MSG_MACHINE, 0 }, { MSG_TASK, 0 }, { MSG_KIND, 0 },
		{ MSG_START, 0 }, { MSG_END, 0 }, { MSG_DURATION, 1 },
		{ MSG_OUTCOME, 0 }, { MSG_HRESULT, 0 }, { MSG_FAILED_FILES, 1 },
	};
	const struct summary *s = h->s;
	size_t i, first = 0;
	char buf[40];

	section_open(h, "jobs", MSG_JOBS, s->njobs, 1);
	if (s->njobs == 0) {
		put_none(h);
		put(h, "</section>\n");
		return;
	}
	/* Jobs are sorted by start: keep the most recent ones. */
	if (s->njobs > HTML_MAX_ROWS)
		first = s->njobs - HTML_MAX_ROWS;
	table_open(h, "t-jobs", cols, sizeof(cols) / sizeof(cols[0]));
	for (i = first; i < s->njobs; i++) {
		const struct summary_job *j = &s->jobs[i];
		int64_t secs = -1;

		if (j->start != ML_TIME_NONE && j->end != ML_TIME_NONE &&
		    j->end >= j->start)
			secs = (j->end - j->start) / 1000;
		fprintf(h->fp, "<tr class=\"row-%s\">", outcome_class(j->outcome));
		td_text(h, NULL, j->machine);
		td_text(h, "mono", j->task_id);
		td_text(h, NULL, lbl(h, msg_job_kind(j->kind)));
		td_time(h, j->start, 1);
		td_time(h, j->end, 1);
		fprintf(h->fp, "<td class=\"num\" data-sort=\"%" PRId64 "\">%s"
		    "</td>", secs, fmt_duration(j->start, j->end, buf,
		    sizeof(buf)));
		td_outcome(h, j->outcome);
		td_text(h, "mono", j->hresult);
		td_count(h, j->failed_files);
		put(h, "</tr>\n");
	}
	table_close(h);
	put_cut_note(h, s->njobs - first, s->njobs, MSG_LATEST_FIRST_CUT);
	put(h, "</section>\n");
}

static int
code_sum_eq(const void *ctx, size_t idx, const void *key)
{
	const struct code_sum *v = ctx;
	const char *a = v[idx].code, *b = key;

	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static uint64_t
code_hash(const char *code)
{
	return code == NULL ? HMAP_HASH_INIT :
	    hmap_hash(HMAP_HASH_INIT, code, strlen(code) + 1);
}

/* Sum failed files by code.  -1 on OOM. */
static int
code_sums_build(struct code_sums *cs, const struct summary *s)
{
	size_t i;

	for (i = 0; i < s->nfailed_files; i++) {
		const struct summary_failed_file *ff = &s->failed_files[i];
		uint64_t hash = code_hash(ff->code);
		size_t k = hmap_find(&cs->idx, hash, code_sum_eq, cs->v,
		    ff->code);

		if (k == HMAP_NONE) {
			if (cs->n == cs->cap) {
				size_t cap = cs->cap ? 2 * cs->cap : 16;
				struct code_sum *v = realloc(cs->v,
				    cap * sizeof(*v));

				if (v == NULL)
					return -1;
				cs->v = v;
				cs->cap = cap;
			}
			k = cs->n;
			cs->v[k].code = ff->code;
			cs->v[k].files = cs->v[k].count = 0;
			if (hmap_insert(&cs->idx, hash, k) < 0)
				return -1;
			cs->n++;
		}
		cs->v[k].files++;
		cs->v[k].count += ff->count;
	}
	return 0;
}

/* Occurrences descending, then code (no code last). */
static int
code_sum_cmp(const void *pa, const void *pb)
{
	const struct code_sum *a = pa, *b = pb;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	if (a->code == NULL || b->code == NULL)
		return (a->code == NULL) - (b->code == NULL);
	return strcmp(a->code, b->code);
}

/* Remediation of the first finding (in report order) with this code. */
static int
put_failed_files(struct html *h)
{
	static const struct col by_code[] = {
		{ MSG_CODE, 0 }, { MSG_TITLE, 0 }, { MSG_FILES, 1 },
		{ MSG_OCCURRENCES, 1 }, { MSG_REMEDIATION, 0 },
	};
	static const struct col cols[] = {
		{ MSG_MACHINE, 0 }, { MSG_PATH, 0 }, { MSG_CODE, 0 },
		{ MSG_COUNT, 1 },
	};
	const struct summary *s = h->s;
	struct code_sums cs = { NULL, 0, 0, { NULL, 0, 0 } };
	size_t i, n;
	int rc = -1;

	section_open(h, "failed-files", MSG_FAILED_FILES, s->nfailed_files, 1);
	if (s->nfailed_files == 0) {
		put_none(h);
		put(h, "</section>\n");
		rc = 0;
		goto out;
	}
	if (code_sums_build(&cs, s) < 0)
		goto out;
	qsort(cs.v, cs.n, sizeof(*cs.v), code_sum_cmp);
	put(h, "<h3>");
	esc(h, lbl(h, MSG_TOP_FAILED_FILES));
	put(h, "</h3>\n");
	table_open(h, "t-failed-codes", by_code,
	    sizeof(by_code) / sizeof(by_code[0]));
	for (i = 0; i < cs.n; i++) {
		const struct summary_finding *f = summary_finding_by_code(s,
		    cs.v[i].code);

		put(h, "<tr>");
		if (cs.v[i].code != NULL)
			td_text(h, "mono", cs.v[i].code);
		else
			td_text(h, "sub", lbl(h, MSG_NONE));
		put(h, "<td class=\"text\">");
		if (f != NULL)
			put_doc_link(h, f->doc_url, f->title);
		put(h, "</td>");
		td_count(h, cs.v[i].files);
		td_count(h, cs.v[i].count);
		td_text(h, "text", f != NULL ? f->remediation : NULL);
		put(h, "</tr>\n");
	}
	table_close(h);

	put(h, "<h3>");
	esc(h, lbl(h, MSG_FAILED_FILES));
	put(h, "</h3>\n");
	n = s->nfailed_files < HTML_MAX_ROWS ? s->nfailed_files :
	    HTML_MAX_ROWS;
	table_open(h, "t-failed-files", cols, sizeof(cols) / sizeof(cols[0]));
	for (i = 0; i < n; i++) {
		const struct summary_failed_file *ff = &s->failed_files[i];

		put(h, "<tr>");
		td_text(h, NULL, ff->machine);
		td_text(h, "path", ff->path);
		td_text(h, "mono", ff->code);
		td_count(h, ff->count);
		put(h, "</tr>\n");
	}
	table_close(h);
	put_cut_note(h, n, s->nfailed_files, MSG__COUNT);
	put(h, "</section>\n");
	rc = 0;
out:
	free(cs.v);
	hmap_release(&cs.idx);
	return rc;
}

static void
put_templates(struct html *h)
{
	static const struct col cols[] = {
		{ MSG_LEVEL, 0 }, { MSG_MACHINE, 0 }, { MSG_COUNT, 1 },
		{ MSG_FIRST_SEEN, 0 }, { MSG_LAST_SEEN, 0 },
		{ MSG_TEMPLATE, 0 },
	};
	const struct summary *s = h->s;
	size_t i, n;

	section_open(h, "templates", MSG_UNKNOWN_TEMPLATES, s->ntemplates, 1);
	if (s->ntemplates == 0)
		put_none(h);
	n = s->ntemplates < HTML_MAX_ROWS ? s->ntemplates : HTML_MAX_ROWS;
	if (n > 0)
		table_open(h, "t-templates", cols,
		    sizeof(cols) / sizeof(cols[0]));
	for (i = 0; i < n; i++) {
		const struct summary_template *t = &s->templates[i];

		fprintf(h->fp, "<tr class=\"row-%s\">", level_class(t->level));
		td_level(h, t->level);
		td_text(h, NULL, t->machine);
		td_count(h, t->count);
		td_time(h, t->first_seen, 1);
		td_time(h, t->last_seen, 1);
		put(h, "<td class=\"msg\"><code>");
		esc(h, t->text);
		put(h, "</code>");
		put_sample(h, &t->sample);
		put(h, "</td></tr>\n");
	}
	if (n > 0)
		table_close(h);
	put_cut_note(h, n, s->ntemplates, MSG__COUNT);
	if (s->templates_dropped > 0) {
		put(h, "<p class=\"note\">");
		esc(h, lbl(h, MSG_TEMPLATES_DROPPED));
		put(h, ": ");
		put_count(h, s->templates_dropped);
		put(h, "</p>\n");
	}
	put(h, "</section>\n");
}

/* The lines behind failed jobs and findings, as evidence_report_each()
 * bounds them: one <details> per occurrence, the matching line marked. */
static void
ev_html_row(void *arg, const struct evidence_row *e)
{
	struct html *h = arg;
	const struct evidence_line *l = e->line;
	const char *level = ml_level_name(l->level);
	char num[32];

	if (l == &e->occ->lines[0]) {
		put(h, "<details class=\"evidence\"><summary>");
		esc(h, e->machine);
		put(h, " &middot; <code>");
		esc(h, e->ref);
		put(h, "</code> &middot; ");
		esc(h, e->occ->path);
		snprintf(num, sizeof num, ":%llu", (unsigned long long)e->occ->line);
		esc(h, num);
		put(h, "</summary>\n<div class=\"wrap\"><table class=\"data\">"
		    "<tbody>\n");
	}
	put(h, l->match ? "<tr class=\"row-error\"><td class=\"num\">&gt; " :
	    "<tr><td class=\"num\">");
	snprintf(num, sizeof num, "%llu", (unsigned long long)l->line);
	esc(h, num);
	put(h, "</td>");
	td_time(h, l->time, 1);
	td_text(h, NULL, l->continuation ? "|" : level);
	put(h, "<td class=\"msg\"><code>");
	esc(h, l->message);
	put(h, "</code></td></tr>\n");
	if (l == &e->occ->lines[e->occ->nlines - 1])
		put(h, "</tbody></table></div></details>\n");
}

static void
ev_html_count(void *arg, const struct evidence_row *e)
{
	*(size_t *)arg += e->line == &e->occ->lines[0];
}

static void
put_evidence(struct html *h)
{
	size_t n = 0, left = evidence_report_each(h->s, ev_html_count, &n);

	if (n == 0)
		return;
	section_open(h, "evidence", MSG_EVIDENCE, n, 1);
	(void)evidence_report_each(h->s, ev_html_row, h);
	put_cut_note(h, n, n + left, MSG__COUNT);
	put(h, "</section>\n");
}

static void
put_inputs(struct html *h)
{
	static const struct col cols[] = {
		{ MSG_MACHINE, 0 }, { MSG_PATH, 0 }, { MSG_KIND, 0 },
		{ MSG_ENCODING, 0 }, { MSG_BYTES, 1 }, { MSG_RECORDS, 1 },
		{ MSG_UNPARSED, 1 }, { MSG_YEAR, 0 }, { MSG_STATUS, 0 },
		{ MSG_WARNING_TEXT, 0 },
	};
	const struct summary *s = h->s;
	size_t i, n;
	char year[48];

	section_open(h, "inputs", MSG_INPUTS, s->ninputs, 1);
	if (s->ninputs == 0) {
		put_none(h);
		put(h, "</section>\n");
		return;
	}
	n = s->ninputs < HTML_MAX_ROWS ? s->ninputs : HTML_MAX_ROWS;
	table_open(h, "t-inputs", cols, sizeof(cols) / sizeof(cols[0]));
	for (i = 0; i < n; i++) {
		const struct summary_input *in = &s->inputs[i];

		fprintf(h->fp, "<tr class=\"row-%s\">", status_class(in->status));
		td_text(h, NULL, in->machine);
		td_text(h, "path", in->path);
		td_text(h, "nw", input_kind_name(in->kind));
		td_text(h, "nw", text_encoding_name(in->encoding));
		td_count(h, in->bytes);
		td_count(h, in->records);
		td_count(h, in->unparsed_lines);
		td_text(h, "nw", summary_input_year_text(in, year,
		    sizeof(year)));
		fprintf(h->fp, "<td data-sort=\"%d\"><span class=\"badge st-%s\">",
		    (int)in->status, status_class(in->status));
		esc(h, lbl(h, msg_input_status(in->status)));
		put(h, "</span></td>");
		td_text(h, "text", in->warning);
		put(h, "</tr>\n");
	}
	table_close(h);
	put_cut_note(h, n, s->ninputs, MSG__COUNT);
	put(h, "</section>\n");
}

static void
put_tail(struct html *h, const struct embedded_file *js)
{
	put(h, "</main>\n<footer>");
	esc(h, h->s->generator != NULL ? h->s->generator : "marslog");
	put(h, "</footer>\n<script>\n");
	fwrite(js->data, 1, js->size, h->fp);
	put(h, "</script>\n</body>\n</html>\n");
}

static int
html_write(const struct summary *s, const struct report_options *o,
    FILE *fp, const char *path, char *err, size_t errlen)
{
	struct html h = { fp, s, o, o->lang, TEXT_BUF_INIT, NULL };
	struct fleet *fleet = fleet_new(s, o, FLEET_MATRIX);
	const char *title = o->title != NULL ? o->title :
	    tr(o->lang, MSG_REPORT_TITLE);
	const struct embedded_file *css = asset("report.css");
	const struct embedded_file *js = asset("report.js");
	int64_t first, last;
	int rc = -1, oom = 0;

	(void)path;
	if (css == NULL || js == NULL) {
		snprintf(err, errlen, "html report: %s is not built in",
		    css == NULL ? "report.css" : "report.js");
		goto out;
	}
	if (fleet == NULL) {
		snprintf(err, errlen, "html report: out of memory");
		goto out;
	}
	h.fleet = fleet;
	if ((unsigned)h.lang >= CAT_LANG__COUNT)
		h.lang = CAT_LANG_EN;
	time_span(s, &first, &last);
	put_head(&h, title, css);
	put_header(&h, title, first, last);
	put_nav(&h);
	/* what a fleet owner reads first: what changed, what is not
	 * protected */
	put_changes(&h);
	put_stale(&h);
	if (o->history != NULL)
		history_html_write(fp, o->history, h.lang);
	put_cards(&h, first, last);
	put_issues(&h);
	put_machines(&h);
	put_matrix(&h);
	put_machine_details(&h);
	oom |= put_timeline(&h) < 0;
	put_findings(&h);
	put_jobs(&h);
	oom |= put_failed_files(&h) < 0;
	put_templates(&h);
	put_evidence(&h);
	put_inputs(&h);
	put_tail(&h, js);
	if (oom || h.tmp.oom) {
		snprintf(err, errlen, "html report: out of memory");
		goto out;
	}
	if (fflush(fp) != 0 || ferror(fp)) {
		snprintf(err, errlen, "html report: %s",
		    errno != 0 ? strerror(errno) : "write error");
		goto out;
	}
	rc = 0;
out:
	fleet_free(fleet);
	text_buf_release(&h.tmp);
	return rc;
}

const struct report_writer report_writer_html = {
	.name = "html",
	.write = html_write,
};
