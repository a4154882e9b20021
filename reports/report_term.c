/* SPDX-License-Identifier: MIT */
/*
 * report_term.c -- the terminal summary (`--summary`): a header (machines,
 * inputs, time span, jobs), then findings by level, failed jobs, top
 * failed files by code, unknown messages and skipped or partial inputs.
 *
 * Layout: every line is built in display columns and clipped to the
 * width (opt->width, 80 if 0), so no line is ever longer than the width
 * and nothing wraps; long values end in "…" (paths keep their end).  The
 * last column of a table takes whatever room is left, so at 200 columns
 * titles and fixes simply show more.  Every section is always present; an
 * empty one says "none" on its heading line.  Long lists are capped (the
 * JSON, HTML and XLSX reports list every row) and say how many rows were
 * left out.
 *
 * Safety: every string from a log (and the title option) goes through
 * text_buf_add_clean(), so control characters and escape sequences never
 * reach the terminal.  Colour codes are written only when opt->color is
 * set; the CLI decides that from isatty(), NO_COLOR and --no-color.
 *
 * Reads only the finished summary and the label table; output depends on
 * nothing else (no clock, no locale), so it is byte-for-byte repeatable.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/record.h"
#include "reports/baseline.h"
#include "reports/fleet.h"
#include "reports/i18n.h"
#include "reports/report.h"
#include "reports/text.h"

/* Rows shown per list; the rest is counted in a "more not shown" line. */
#define TERM_MAX_MACHINES	20
#define TERM_MAX_FINDINGS	40	/* per level */
#define TERM_MAX_JOBS		20	/* the most recent failures */
#define TERM_MAX_CODES		10
#define TERM_MAX_TEMPLATES	10
#define TERM_MAX_INPUTS		20
#define TERM_MAX_CHANGES	40
#define TERM_MAX_STALE		20

#define TERM_INDENT	2	/* table rows under their heading */
#define TERM_GAP	2	/* between columns */
#define TERM_TIME_COLS	17	/* "2024-06-07 01:23Z" */
#define TERM_TASK_COLS	8	/* task GUIDs are shown by their first 8 */
#define TERM_WIDE	120	/* from here on findings show "last seen" */

#define TERM_ARROW	"\xe2\x86\x92"	/* U+2192, before -> after */

#define SGR_RESET	"\033[0m"
#define SGR_BOLD	"\033[1m"
#define SGR_RED		"\033[31m"
#define SGR_GREEN	"\033[32m"
#define SGR_YELLOW	"\033[33m"
#define SGR_BOLD_RED	"\033[1;31m"
#define SGR_BOLD_YELLOW	"\033[1;33m"

struct term {
	const struct summary *s;
	const struct fleet *fleet;	/* stale list, matrix */
	const struct baseline_diff *diff;	/* NULL: no baseline */
	enum cat_lang lang;
	size_t width;		/* display columns per line */
	int color;
	int multi;		/* several machines: tables show a machine column */
	size_t code_cap;	/* widest code column */
	size_t machine_cap;	/* widest machine column */
	struct text_buf out;	/* the whole report */
	struct text_buf tmp;	/* one cleaned or formatted value */
	struct text_buf cell;	/* one coloured cell before its codes */
	size_t col;		/* display column on the current line */
};

/* Failed files summed per code for "top failed files by code". */
struct term_code {
	const char *code;	/* NULL: the lines had no code */
	uint64_t count;
};

static size_t
term_clamp(size_t v, size_t lo, size_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static size_t
term_left(const struct term *t)
{
	return t->col < t->width ? t->width - t->col : 0;
}

/*
 * Append clean text in at most `cols` columns (clipped to the line), in
 * colour `sgr` (NULL: none).  The colour covers the text, not its
 * padding, so lines end in plain spaces that term_newline() drops, and
 * the output without colour is the coloured one minus the codes.
 */
static void
term_cell_sgr(struct term *t, const char *s, size_t n, size_t cols,
    unsigned flags, const char *sgr)
{
	size_t left = term_left(t), lead = 0, end;

	if (cols > left)
		cols = left;
	if (!t->color || sgr == NULL) {
		t->col += text_buf_add_cell(&t->out, s, n, cols, flags);
		return;
	}
	t->cell.len = 0;
	t->col += text_buf_add_cell(&t->cell, s, n, cols, flags);
	if (t->cell.oom || t->cell.len == 0)
		return;
	end = t->cell.len;
	while (lead < end && t->cell.p[lead] == ' ')
		lead++;
	while (end > lead && t->cell.p[end - 1] == ' ')
		end--;
	text_buf_add(&t->out, t->cell.p, lead);
	text_buf_adds(&t->out, sgr);
	text_buf_add(&t->out, t->cell.p + lead, end - lead);
	text_buf_adds(&t->out, SGR_RESET);
	text_buf_add(&t->out, t->cell.p + end, t->cell.len - end);
}

static void
term_cell(struct term *t, const char *s, size_t n, size_t cols,
    unsigned flags)
{
	term_cell_sgr(t, s, n, cols, flags, NULL);
}

/* Append clean text using the rest of the line. */
static void
term_text(struct term *t, const char *s)
{
	term_cell(t, s, strlen(s), term_left(t), 0);
}

static void
term_gap(struct term *t, size_t n)
{
	term_cell(t, "", 0, n, TEXT_CELL_PAD);
}

/* Clean a log-derived string (NULL = "") into t->tmp and return it. */
static const char *
term_clean(struct term *t, const char *s)
{
	t->tmp.len = 0;
	text_buf_add_clean(&t->tmp, s, s != NULL ? strlen(s) : 0);
	return t->tmp.oom ? "" : t->tmp.p;
}

/* The first line of s, cleaned: a remediation is shown by its first
 * line only. */
static const char *
term_clean_line(struct term *t, const char *s)
{
	const char *nl;

	if (s == NULL)
		return term_clean(t, s);
	nl = strchr(s, '\n');
	t->tmp.len = 0;
	text_buf_add_clean(&t->tmp, s, nl != NULL ? (size_t)(nl - s) : strlen(s));
	return t->tmp.oom ? "" : t->tmp.p;
}

static size_t
term_clean_width(struct term *t, const char *s)
{
	const char *c = term_clean(t, s);

	return text_width(c, strlen(c));
}

/* A log-derived value in a column, in colour `sgr` (NULL: none). */
static void
term_log_sgr(struct term *t, const char *s, size_t cols, unsigned flags,
    const char *sgr)
{
	const char *c = term_clean(t, s);

	term_cell_sgr(t, c, strlen(c), cols, flags, sgr);
}

static void
term_log(struct term *t, const char *s, size_t cols, unsigned flags)
{
	term_log_sgr(t, s, cols, flags, NULL);
}

static void
term_num(struct term *t, uint64_t v, size_t cols, const char *sgr)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	term_cell_sgr(t, buf, strlen(buf), cols, TEXT_CELL_RIGHT, sgr);
}

static size_t
term_num_width(uint64_t v)
{
	size_t n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

static void
term_sgr(struct term *t, const char *code)
{
	if (t->color)
		text_buf_adds(&t->out, code);
}

/* End the line; trailing padding is dropped. */
static void
term_newline(struct term *t)
{
	while (t->out.len > 0 && t->out.p != NULL &&
	    t->out.p[t->out.len - 1] == ' ')
		t->out.len--;
	text_buf_add(&t->out, "\n", 1);
	t->col = 0;
}

static size_t
term_label_width(const struct term *t, enum msg_id id)
{
	const char *l = tr(t->lang, id);

	return text_width(l, strlen(l));
}

/* "2024-06-07 01:23Z", or "-" when unknown. */
static void
term_time_format(int64_t ms, char *buf, size_t len)
{
	int64_t secs, days, rem, z, era, doe, yoe, y, doy, mp, d, m;

	if (ms == ML_TIME_NONE) {
		snprintf(buf, len, "-");
		return;
	}
	secs = ms / 1000 - (ms % 1000 < 0);
	days = secs / 86400;
	rem = secs % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	/* civil_from_days (H. Hinnant), proleptic Gregorian */
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	snprintf(buf, len, "%04" PRId64 "-%02" PRId64 "-%02" PRId64
	    " %02" PRId64 ":%02" PRId64 "Z", y, m, d, rem / 3600,
	    rem % 3600 / 60);
}

static void
term_time(struct term *t, int64_t ms, size_t cols, unsigned flags)
{
	char buf[48];

	term_time_format(ms, buf, sizeof(buf));
	term_cell(t, buf, strlen(buf), cols, flags);
}

/* "45s", "12m 05s", "1h 02m", "2d 03h"; "-" when unknown. */
static void
term_duration_format(int64_t start, int64_t end, char *buf, size_t len)
{
	int64_t s;

	if (start == ML_TIME_NONE || end == ML_TIME_NONE || end < start) {
		snprintf(buf, len, "-");
		return;
	}
	s = (end - start) / 1000;
	if (s < 60)
		snprintf(buf, len, "%" PRId64 "s", s);
	else if (s < 3600)
		snprintf(buf, len, "%" PRId64 "m %02" PRId64 "s", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%" PRId64 "h %02" PRId64 "m", s / 3600,
		    s % 3600 / 60);
	else
		snprintf(buf, len, "%" PRId64 "d %02" PRId64 "h", s / 86400,
		    s % 86400 / 3600);
}

/* "Errors (3)" in `sgr`, or "Errors: none" in bold when n == 0. */
static void
term_heading(struct term *t, enum msg_id id, size_t n, const char *sgr)
{
	char buf[32];

	term_sgr(t, n > 0 ? sgr : SGR_BOLD);
	term_text(t, tr(t->lang, id));
	if (n == 0) {
		term_text(t, ": ");
		term_text(t, tr(t->lang, MSG_NONE));
	} else {
		snprintf(buf, sizeof(buf), " (%zu)", n);
		term_text(t, buf);
	}
	term_sgr(t, SGR_RESET);
	term_newline(t);
}

/* "  … more not shown: 12" when rows were left out. */
static void
term_more(struct term *t, uint64_t hidden)
{
	char buf[32];

	if (hidden == 0)
		return;
	term_gap(t, TERM_INDENT);
	term_text(t, TEXT_ELLIPSIS " ");
	term_text(t, tr(t->lang, MSG_TERM_MORE));
	snprintf(buf, sizeof(buf), ": %" PRIu64, hidden);
	term_text(t, buf);
	term_newline(t);
}

/* A count in colour when it is not zero. */
static void
term_count(struct term *t, uint64_t v, size_t cols, const char *sgr)
{
	term_num(t, v, cols, v > 0 ? sgr : NULL);
}

/* The first finding (errors first) with this code, for a title. */
static const char *
term_finding_key(const struct summary_finding *f)
{
	return f->code != NULL ? f->code : f->id;
}

/* "code title" of a finding in the rest of the line. */
static void
term_finding_line(struct term *t, const struct summary_finding *f)
{
	term_log_sgr(t, term_finding_key(f), t->code_cap, 0,
	    f->level == CAT_LEVEL_ERROR ? SGR_RED : SGR_YELLOW);
	term_text(t, " ");
	term_log(t, f->title, term_left(t), 0);
}

/* ------------------------------------------------------------ header */

/* Jobs of one machine (NULL: all) by outcome. */
static void
term_job_counts(const struct summary *s, const char *machine,
    uint64_t *ok, uint64_t *failed, uint64_t *unknown)
{
	size_t i;

	*ok = *failed = *unknown = 0;
	for (i = 0; i < s->njobs; i++) {
		const struct summary_job *j = &s->jobs[i];

		if (machine != NULL && strcmp(j->machine, machine) != 0)
			continue;
		if (j->outcome == JOB_FAILED)
			(*failed)++;
		else if (j->outcome == JOB_SUCCEEDED || j->outcome == JOB_WARNINGS)
			(*ok)++;
		else
			(*unknown)++;
	}
}

/* Label `id` in `cols` columns: a header line label or a column
 * heading. */
static void
term_label(struct term *t, enum msg_id id, size_t cols, unsigned flags)
{
	const char *l = tr(t->lang, id);

	term_cell(t, l, strlen(l), cols, flags);
}

/* ", 3 ok" style pieces: number, space, word; in colour `sgr` (NULL:
 * none) when n is not zero. */
static void
term_counted(struct term *t, int first, uint64_t n, enum msg_id word,
    const char *sgr)
{
	char buf[32];

	if (!first)
		term_text(t, ", ");
	snprintf(buf, sizeof(buf), "%" PRIu64 " ", n);
	if (n > 0 && sgr != NULL)
		term_sgr(t, sgr);
	term_text(t, buf);
	term_text(t, tr(t->lang, word));
	if (n > 0 && sgr != NULL)
		term_sgr(t, SGR_RESET);
}

static void
term_title(struct term *t, const struct report_options *o)
{
	term_sgr(t, SGR_BOLD);
	if (o->title != NULL)
		term_log(t, o->title, term_left(t), 0);
	else
		term_text(t, tr(t->lang, MSG_REPORT_TITLE));
	term_sgr(t, SGR_RESET);
	term_newline(t);
}

static void
term_header(struct term *t)
{
	const struct summary *s = t->s;
	enum msg_id first = s->nmachines > 1 ? MSG_MACHINES : MSG_MACHINE;
	int64_t lo = ML_TIME_NONE, hi = ML_TIME_NONE;
	uint64_t ok, failed, unknown, skipped = 0, partial = 0;
	size_t lw, i;
	char buf[48];

	lw = term_label_width(t, first);
	lw = term_clamp(term_label_width(t, MSG_INPUTS), lw, SIZE_MAX);
	lw = term_clamp(term_label_width(t, MSG_TIME_SPAN), lw, SIZE_MAX);
	lw = term_clamp(term_label_width(t, MSG_JOBS), lw, SIZE_MAX);
	lw += TERM_GAP;

	term_label(t, first, lw, TEXT_CELL_PAD);
	if (s->nmachines == 0) {
		term_text(t, "-");
	} else if (s->nmachines == 1) {
		term_log(t, s->machines[0].name, t->machine_cap * 2, 0);
		if (s->machines[0].agent_version != NULL) {
			term_text(t, " (");
			term_text(t, tr(t->lang, MSG_AGENT_VERSION));
			term_text(t, " ");
			term_log(t, s->machines[0].agent_version, term_left(t), 0);
			term_text(t, ")");
		}
	} else {
		snprintf(buf, sizeof(buf), "%zu", s->nmachines);
		term_text(t, buf);
	}
	term_newline(t);

	for (i = 0; i < s->ninputs; i++) {
		skipped += s->inputs[i].status == INPUT_SKIPPED;
		partial += s->inputs[i].status == INPUT_PARTIAL;
	}
	term_label(t, MSG_INPUTS, lw, TEXT_CELL_PAD);
	snprintf(buf, sizeof(buf), "%zu", s->ninputs);
	term_text(t, buf);
	if (skipped > 0 || partial > 0) {
		term_text(t, " (");
		if (skipped > 0)
			term_counted(t, 1, skipped, MSG_INPUT_SKIPPED, SGR_YELLOW);
		if (partial > 0)
			term_counted(t, skipped == 0, partial, MSG_INPUT_PARTIAL,
			    SGR_YELLOW);
		term_text(t, ")");
	}
	term_newline(t);

	for (i = 0; i < s->nmachines; i++) {
		const struct summary_machine *m = &s->machines[i];

		if (m->first_seen != ML_TIME_NONE &&
		    (lo == ML_TIME_NONE || m->first_seen < lo))
			lo = m->first_seen;
		if (m->last_seen != ML_TIME_NONE &&
		    (hi == ML_TIME_NONE || m->last_seen > hi))
			hi = m->last_seen;
	}
	term_label(t, MSG_TIME_SPAN, lw, TEXT_CELL_PAD);
	if (lo == ML_TIME_NONE && hi == ML_TIME_NONE) {
		term_text(t, "-");
	} else {
		term_time(t, lo, TERM_TIME_COLS, 0);
		term_text(t, " .. ");
		term_time(t, hi, TERM_TIME_COLS, 0);
	}
	term_newline(t);

	term_label(t, MSG_JOBS, lw, TEXT_CELL_PAD);
	term_job_counts(s, NULL, &ok, &failed, &unknown);
	if (s->njobs == 0) {
		term_text(t, tr(t->lang, MSG_NONE));
	} else {
		term_counted(t, 1, ok, MSG_TERM_OK, SGR_GREEN);
		term_counted(t, 0, failed, MSG_JOBS_FAILED, SGR_RED);
		if (unknown > 0)
			term_counted(t, 0, unknown, MSG_OUTCOME_UNKNOWN, NULL);
	}
	term_newline(t);
}

/* Fleet order when not every machine fits: the worst first. */
static int
term_machine_cmp(const void *a, const void *b)
{
	const struct summary_machine *x = *(const struct summary_machine *const *)a;
	const struct summary_machine *y = *(const struct summary_machine *const *)b;

	if (x->jobs_failed != y->jobs_failed)
		return x->jobs_failed > y->jobs_failed ? -1 : 1;
	if (x->errors != y->errors)
		return x->errors > y->errors ? -1 : 1;
	if (x->warnings != y->warnings)
		return x->warnings > y->warnings ? -1 : 1;
	return strcmp(x->name, y->name);
}

/*
 * Several machines: one compact row each (errors, warnings, jobs ok and
 * failed, last success).  Up to TERM_MAX_MACHINES in name order; beyond
 * that the machines with the most failed jobs, errors and warnings.
 */
static int
term_machines(struct term *t)
{
	const struct summary *s = t->s;
	const struct summary_machine **rows;
	size_t n = s->nmachines, shown, i;
	size_t wname, werr, wwarn, wok, wfail, wlast;
	size_t whours = 0, wjob = 0;
	uint64_t ok, failed, unknown;
	int wide = t->width >= TERM_WIDE;
	char hours[24];

	if (n < 2)
		return 0;
	rows = malloc(n * sizeof(*rows));
	if (rows == NULL)
		return -1;
	for (i = 0; i < n; i++)
		rows[i] = &s->machines[i];
	shown = n;
	if (n > TERM_MAX_MACHINES) {
		qsort(rows, n, sizeof(*rows), term_machine_cmp);
		shown = TERM_MAX_MACHINES;
	}

	wname = term_label_width(t, MSG_MACHINE);
	werr = term_label_width(t, MSG_ERRORS);
	wwarn = term_label_width(t, MSG_WARNINGS);
	wok = term_label_width(t, MSG_TERM_JOBS_OK);
	wfail = term_label_width(t, MSG_TERM_JOBS_FAILED);
	wlast = term_clamp(term_label_width(t, MSG_TERM_LAST_SUCCESS),
	    TERM_TIME_COLS, SIZE_MAX);
	for (i = 0; i < shown; i++) {
		wname = term_clamp(term_clean_width(t, rows[i]->name), wname,
		    SIZE_MAX);
		werr = term_clamp(term_num_width(rows[i]->errors), werr, SIZE_MAX);
		wwarn = term_clamp(term_num_width(rows[i]->warnings), wwarn,
		    SIZE_MAX);
	}
	wname = term_clamp(wname, 1, t->machine_cap);
	if (wide) {
		whours = term_label_width(t, MSG_HOURS_SINCE);
		wjob = term_label_width(t, MSG_LAST_JOB);
		for (i = 0; i < shown; i++) {
			const char *o = tr_outcome(t->lang,
			    rows[i]->last_job_outcome);

			wjob = term_clamp(text_width(o, strlen(o)), wjob,
			    SIZE_MAX);
		}
	}

	term_gap(t, TERM_INDENT);
	term_label(t, MSG_MACHINE, wname + TERM_GAP, TEXT_CELL_PAD);
	term_label(t, MSG_ERRORS, werr, TEXT_CELL_RIGHT);
	term_gap(t, TERM_GAP);
	term_label(t, MSG_WARNINGS, wwarn, TEXT_CELL_RIGHT);
	term_gap(t, TERM_GAP);
	term_label(t, MSG_TERM_JOBS_OK, wok, TEXT_CELL_RIGHT);
	term_gap(t, TERM_GAP);
	term_label(t, MSG_TERM_JOBS_FAILED, wfail, TEXT_CELL_RIGHT);
	term_gap(t, TERM_GAP);
	if (wide) {
		term_label(t, MSG_TERM_LAST_SUCCESS, wlast + TERM_GAP,
		    TEXT_CELL_PAD);
		term_label(t, MSG_HOURS_SINCE, whours, TEXT_CELL_RIGHT);
		term_gap(t, TERM_GAP);
		term_label(t, MSG_LAST_JOB, wjob + TERM_GAP, TEXT_CELL_PAD);
		term_label(t, MSG_TOP_FINDING, term_left(t), 0);
	} else {
		term_label(t, MSG_TERM_LAST_SUCCESS, term_left(t), 0);
	}
	term_newline(t);

	for (i = 0; i < shown; i++) {
		const struct summary_machine *m = rows[i];

		term_job_counts(s, m->name, &ok, &failed, &unknown);
		term_gap(t, TERM_INDENT);
		term_log(t, m->name, wname, TEXT_CELL_PAD);
		term_gap(t, TERM_GAP);
		term_count(t, m->errors, werr, SGR_RED);
		term_gap(t, TERM_GAP);
		term_count(t, m->warnings, wwarn, SGR_YELLOW);
		term_gap(t, TERM_GAP);
		term_count(t, ok, wok, SGR_GREEN);
		term_gap(t, TERM_GAP);
		term_count(t, failed, wfail, SGR_RED);
		term_gap(t, TERM_GAP);
		term_time(t, m->last_success, wlast, wide ? TEXT_CELL_PAD : 0);
		if (wide) {
			const struct fleet_row *r =
			    &t->fleet->rows[(size_t)(m - s->machines)];
			const char *o = tr_outcome(t->lang, m->last_job_outcome);

			fleet_hours_format(r->since, hours, sizeof(hours));
			term_gap(t, TERM_GAP);
			term_cell_sgr(t, hours, strlen(hours), whours,
			    TEXT_CELL_RIGHT, r->stale ? SGR_RED : NULL);
			term_gap(t, TERM_GAP);
			term_cell_sgr(t, o, strlen(o), wjob, TEXT_CELL_PAD,
			    m->last_job_outcome == JOB_FAILED ? SGR_RED : NULL);
			term_gap(t, TERM_GAP);
			if (r->top != NULL && r->top->level != CAT_LEVEL_INFO)
				term_finding_line(t, r->top);
		}
		term_newline(t);
	}
	term_more(t, n - shown);
	free(rows);
	return 0;
}

/* ------------------------------------------------------------- fleet */

/*
 * Machines by findings: the rows of the machines table (up to
 * TERM_MAX_MACHINES, the worst first beyond that), one column per
 * error or warning entry as far as the width allows, worst first
 * (fleet.h), headed by its code; "-" where a machine does not have it.
 */
static int
term_matrix(struct term *t)
{
	const struct fleet *f = t->fleet;
	const struct summary *s = t->s;
	const struct summary_machine **rows;
	size_t n = s->nmachines, shown, i, k, ncols = 0, wname, used;
	size_t *w;
	char buf[32];

	if (n < 2 || f->ncols == 0)
		return 0;
	rows = malloc(n * sizeof(*rows));
	w = malloc(f->ncols * sizeof(*w));
	if (rows == NULL || w == NULL) {
		free(rows);
		free(w);
		return -1;
	}
	for (i = 0; i < n; i++)
		rows[i] = &s->machines[i];
	shown = n;
	if (n > TERM_MAX_MACHINES) {
		qsort(rows, n, sizeof(*rows), term_machine_cmp);
		shown = TERM_MAX_MACHINES;
	}
	wname = term_label_width(t, MSG_MACHINE);
	for (i = 0; i < shown; i++)
		wname = term_clamp(term_clean_width(t, rows[i]->name), wname,
		    SIZE_MAX);
	wname = term_clamp(wname, 1, t->machine_cap);
	used = TERM_INDENT + wname;
	for (k = 0; k < f->ncols; k++) {
		w[k] = term_clamp(term_clean_width(t,
		    term_finding_key(f->cols[k].f)), 1, t->code_cap);
		for (i = 0; i < shown; i++)
			w[k] = term_clamp(term_num_width(fleet_cell(f,
			    (size_t)(rows[i] - s->machines), k)), w[k],
			    SIZE_MAX);
		if (used + TERM_GAP + w[k] > t->width)
			break;
		used += TERM_GAP + w[k];
		ncols++;
	}

	term_sgr(t, SGR_BOLD);
	term_text(t, tr(t->lang, MSG_MATRIX));
	snprintf(buf, sizeof(buf), " (%zu)", f->ncols);
	term_text(t, buf);
	term_sgr(t, SGR_RESET);
	term_newline(t);
	term_gap(t, TERM_INDENT);
	term_label(t, MSG_MACHINE, wname, TEXT_CELL_PAD);
	for (k = 0; k < ncols; k++) {
		term_gap(t, TERM_GAP);
		term_log(t, term_finding_key(f->cols[k].f), w[k],
		    TEXT_CELL_RIGHT);
	}
	term_newline(t);
	for (i = 0; i < shown; i++) {
		size_t r = (size_t)(rows[i] - s->machines);

		term_gap(t, TERM_INDENT);
		term_log(t, rows[i]->name, wname, TEXT_CELL_PAD);
		for (k = 0; k < ncols; k++) {
			uint64_t v = fleet_cell(f, r, k);

			term_gap(t, TERM_GAP);
			if (v == 0)
				term_cell(t, "-", 1, w[k], TEXT_CELL_RIGHT);
			else
				term_num(t, v, w[k], f->cols[k].f->level ==
				    CAT_LEVEL_ERROR ? SGR_RED : SGR_YELLOW);
		}
		term_newline(t);
	}
	term_more(t, n - shown);
	if (ncols < f->ncols) {
		term_gap(t, TERM_INDENT);
		term_text(t, TEXT_ELLIPSIS " ");
		term_text(t, tr(t->lang, MSG_MORE_COLUMNS));
		snprintf(buf, sizeof(buf), ": %zu", f->ncols - ncols);
		term_text(t, buf);
		term_newline(t);
	}
	free(rows);
	free(w);
	return 0;
}

/* "No successful backup in the last 26 hours (2)": machine, last
 * success, hours since, last job outcome; never-succeeded first, then
 * the longest since. */
static void
term_stale(struct term *t)
{
	const struct fleet *f = t->fleet;
	size_t n = f->nstale, shown, i, wname, wlast, whours, wjob;
	char hrs[32], head[256], buf[48];

	snprintf(hrs, sizeof(hrs), "%g", f->stale_after_hours);
	term_sgr(t, n > 0 ? SGR_BOLD_RED : SGR_BOLD);
	term_text(t, fleet_stale_heading(t->lang, hrs, head, sizeof(head)));
	if (n == 0) {
		term_text(t, ": ");
		term_text(t, tr(t->lang, MSG_NONE));
	} else {
		snprintf(buf, sizeof(buf), " (%zu)", n);
		term_text(t, buf);
	}
	term_sgr(t, SGR_RESET);
	term_newline(t);
	if (n == 0)
		return;
	shown = n < TERM_MAX_STALE ? n : TERM_MAX_STALE;
	wname = term_label_width(t, MSG_MACHINE);
	wlast = term_clamp(term_label_width(t, MSG_TERM_LAST_SUCCESS),
	    TERM_TIME_COLS, SIZE_MAX);
	wlast = term_clamp(term_label_width(t, MSG_NEVER), wlast,
	    SIZE_MAX);
	whours = term_label_width(t, MSG_HOURS_SINCE);
	wjob = term_label_width(t, MSG_LAST_JOB);
	for (i = 0; i < shown; i++) {
		const struct fleet_row *r = &f->rows[f->stale[i]];
		const char *o = tr_outcome(t->lang, r->m->last_job_outcome);

		wname = term_clamp(term_clean_width(t, r->m->name), wname,
		    SIZE_MAX);
		wjob = term_clamp(text_width(o, strlen(o)), wjob, SIZE_MAX);
	}
	wname = term_clamp(wname, 1, t->machine_cap);
	term_gap(t, TERM_INDENT);
	term_label(t, MSG_MACHINE, wname + TERM_GAP, TEXT_CELL_PAD);
	term_label(t, MSG_TERM_LAST_SUCCESS, wlast + TERM_GAP, TEXT_CELL_PAD);
	term_label(t, MSG_HOURS_SINCE, whours, TEXT_CELL_RIGHT);
	term_gap(t, TERM_GAP);
	term_label(t, MSG_LAST_JOB, term_left(t), 0);
	term_newline(t);
	for (i = 0; i < shown; i++) {
		const struct fleet_row *r = &f->rows[f->stale[i]];
		const char *o = tr_outcome(t->lang, r->m->last_job_outcome);

		term_gap(t, TERM_INDENT);
		term_log(t, r->m->name, wname, TEXT_CELL_PAD);
		term_gap(t, TERM_GAP);
		if (r->since < 0)
			term_label(t, MSG_NEVER, wlast, TEXT_CELL_PAD);
		else
			term_time(t, r->m->last_success, wlast, TEXT_CELL_PAD);
		term_gap(t, TERM_GAP);
		fleet_hours_format(r->since, buf, sizeof(buf));
		term_cell_sgr(t, buf, strlen(buf), whours, TEXT_CELL_RIGHT,
		    SGR_RED);
		term_gap(t, TERM_GAP);
		term_cell_sgr(t, o, strlen(o), term_left(t), 0,
		    r->m->last_job_outcome == JOB_FAILED ? SGR_RED : NULL);
		term_newline(t);
	}
	term_more(t, n - shown);
	term_gap(t, TERM_INDENT);
	term_text(t, tr(t->lang, MSG_AS_OF));
	term_text(t, ": ");
	term_time(t, f->as_of, TERM_TIME_COLS, 0);
	term_newline(t);
}

/* "2.4" or "never" for a staleness change. */
static void
term_since_text(struct term *t, int64_t since, char *buf, size_t len)
{
	if (since < 0)
		snprintf(buf, len, "%s", tr(t->lang, MSG_NEVER));
	else
		fleet_hours_format(since, buf, len);
}

/* What changed, in words: "code title (before → after)". */
static void
term_change_what(struct term *t, const struct baseline_item *it)
{
	char a[48], b[48], buf[120];

	switch (it->subject) {
	case BASELINE_MACHINE:
		return;
	case BASELINE_STALE:
		term_since_text(t, it->since_before, a, sizeof(a));
		term_since_text(t, it->since_after, b, sizeof(b));
		term_text(t, tr(t->lang, MSG_SUBJECT_STALE));
		snprintf(buf, sizeof(buf), " (%s: %s " TERM_ARROW " %s)",
		    tr(t->lang, MSG_HOURS_SINCE), a, b);
		term_text(t, buf);
		return;
	case BASELINE_LAST_JOB:
		term_text(t, tr(t->lang, MSG_SUBJECT_LAST_JOB));
		snprintf(buf, sizeof(buf), " (%s " TERM_ARROW " %s)",
		    tr_outcome(t->lang, it->outcome_before),
		    tr_outcome(t->lang, it->outcome_after));
		term_text(t, buf);
		return;
	case BASELINE_FINDING:
		break;
	}
	if (it->level_before)
		snprintf(a, sizeof(a), "%" PRIu64, it->count_before);
	else
		snprintf(a, sizeof(a), "-");
	if (it->level_after)
		snprintf(b, sizeof(b), "%" PRIu64, it->count_after);
	else
		snprintf(b, sizeof(b), "-");
	snprintf(buf, sizeof(buf), " (%s " TERM_ARROW " %s)", a, b);
	term_log(t, term_finding_key(it->finding), t->code_cap, 0);
	term_text(t, " ");
	/* the counts go first so that a long title cannot cut them off */
	term_text(t, buf + 1);
	term_text(t, " ");
	term_log(t, it->finding->title, term_left(t), 0);
}

static const char *
term_change_sgr(enum baseline_change c)
{
	switch (c) {
	case BASELINE_NEW:
	case BASELINE_WORSE:
		return SGR_RED;
	case BASELINE_VANISHED:
		return SGR_YELLOW;
	default:
		break;
	}
	return SGR_GREEN;
}

/* "Changes since the baseline (5)", the count per kind, then one row
 * per change: kind, machine, what. */
static void
term_changes(struct term *t)
{
	const struct baseline_diff *d = t->diff;
	size_t shown, i, wchange, wname;
	char buf[48];

	if (d == NULL)
		return;
	term_sgr(t, d->count[BASELINE_NEW] > 0 ? SGR_BOLD_RED : SGR_BOLD);
	term_text(t, tr(t->lang, MSG_CHANGES));
	if (d->nitems == 0) {
		term_text(t, ": ");
		term_text(t, tr(t->lang, MSG_NONE));
	} else {
		snprintf(buf, sizeof(buf), " (%zu)", d->nitems);
		term_text(t, buf);
	}
	term_sgr(t, SGR_RESET);
	term_newline(t);
	term_gap(t, TERM_INDENT);
	for (i = 0; i < BASELINE__COUNT; i++) {
		const char *word = tr(t->lang,
		    (enum msg_id)(MSG_CHANGE_NEW + i));

		snprintf(buf, sizeof(buf), "%s%zu ", i ? ", " : "",
		    d->count[i]);
		if (d->count[i] > 0)
			term_sgr(t, term_change_sgr((enum baseline_change)i));
		term_text(t, buf);
		term_text(t, word);
		if (d->count[i] > 0)
			term_sgr(t, SGR_RESET);
	}
	term_newline(t);
	term_gap(t, TERM_INDENT);
	term_text(t, tr(t->lang, MSG_BASELINE_AS_OF));
	term_text(t, ": ");
	term_time(t, d->as_of_before, TERM_TIME_COLS, 0);
	term_newline(t);
	if (d->nitems == 0)
		return;
	shown = d->nitems < TERM_MAX_CHANGES ? d->nitems : TERM_MAX_CHANGES;
	wchange = term_label_width(t, MSG_CHANGE);
	wname = term_label_width(t, MSG_MACHINE);
	for (i = 0; i < shown; i++) {
		wchange = term_clamp(term_label_width(t,
		    (enum msg_id)(MSG_CHANGE_NEW + d->items[i].change)),
		    wchange, SIZE_MAX);
		wname = term_clamp(term_clean_width(t, d->items[i].machine),
		    wname, SIZE_MAX);
	}
	wname = term_clamp(wname, 1, t->machine_cap);
	term_gap(t, TERM_INDENT);
	term_label(t, MSG_CHANGE, wchange + TERM_GAP, TEXT_CELL_PAD);
	term_label(t, MSG_MACHINE, wname + TERM_GAP, TEXT_CELL_PAD);
	term_label(t, MSG_WHAT, term_left(t), 0);
	term_newline(t);
	for (i = 0; i < shown; i++) {
		const struct baseline_item *it = &d->items[i];
		const char *word = tr(t->lang,
		    (enum msg_id)(MSG_CHANGE_NEW + it->change));

		term_gap(t, TERM_INDENT);
		term_cell_sgr(t, word, strlen(word), wchange, TEXT_CELL_PAD,
		    term_change_sgr(it->change));
		term_gap(t, TERM_GAP);
		term_log(t, it->machine, wname, TEXT_CELL_PAD);
		term_gap(t, TERM_GAP);
		term_change_what(t, it);
		term_newline(t);
	}
	term_more(t, d->nitems - shown);
}

/* ---------------------------------------------------------- findings */

/*
 * One level: a heading in head_sgr, then rows of count (in sgr), code (or
 * id), machine, [last seen,] title, each followed by "fix: <first line of
 * the remediation>" under the code.
 */
static void
term_findings_level(struct term *t, enum cat_level level, enum msg_id head,
    const char *head_sgr, const char *sgr)
{
	const struct summary *s = t->s;
	size_t first = s->nfindings, n = 0, shown, i;
	size_t wcount, wcode, wmach;
	int wide = t->width >= TERM_WIDE;
	const char *fix;

	for (i = 0; i < s->nfindings; i++) {
		if (s->findings[i].level != level)
			continue;
		if (first == s->nfindings)
			first = i;
		n++;
	}
	term_heading(t, head, n, head_sgr);
	if (n == 0)
		return;
	shown = n < TERM_MAX_FINDINGS ? n : TERM_MAX_FINDINGS;
	wcount = term_label_width(t, MSG_COUNT);
	wcode = term_label_width(t, MSG_CODE);
	wmach = term_label_width(t, MSG_MACHINE);
	/* findings are sorted by level, so one level is one run */
	for (i = first; i < first + shown; i++) {
		const struct summary_finding *f = &s->findings[i];

		wcount = term_clamp(term_num_width(f->count), wcount, SIZE_MAX);
		wcode = term_clamp(term_clean_width(t, term_finding_key(f)),
		    wcode, SIZE_MAX);
		wmach = term_clamp(term_clean_width(t, f->machine), wmach,
		    SIZE_MAX);
	}
	wcode = term_clamp(wcode, 1, t->code_cap);
	wmach = term_clamp(wmach, 1, t->machine_cap);

	term_gap(t, TERM_INDENT);
	term_label(t, MSG_COUNT, wcount, TEXT_CELL_RIGHT);
	term_gap(t, TERM_GAP);
	term_label(t, MSG_CODE, wcode + TERM_GAP, TEXT_CELL_PAD);
	if (t->multi)
		term_label(t, MSG_MACHINE, wmach + TERM_GAP, TEXT_CELL_PAD);
	if (wide)
		term_label(t, MSG_LAST_SEEN, TERM_TIME_COLS + TERM_GAP,
		    TEXT_CELL_PAD);
	term_label(t, MSG_TITLE, term_left(t), 0);
	term_newline(t);
	for (i = first; i < first + shown; i++) {
		const struct summary_finding *f = &s->findings[i];

		term_gap(t, TERM_INDENT);
		term_count(t, f->count, wcount, sgr);
		term_gap(t, TERM_GAP);
		term_log(t, term_finding_key(f), wcode, TEXT_CELL_PAD);
		term_gap(t, TERM_GAP);
		if (t->multi) {
			term_log(t, f->machine, wmach, TEXT_CELL_PAD);
			term_gap(t, TERM_GAP);
		}
		if (wide) {
			term_time(t, f->last_seen, TERM_TIME_COLS, TEXT_CELL_PAD);
			term_gap(t, TERM_GAP);
		}
		term_log(t, f->title, term_left(t), 0);
		term_newline(t);

		fix = term_clean_line(t, f->remediation);
		if (*fix == '\0')
			continue;
		term_gap(t, TERM_INDENT + wcount + TERM_GAP);
		term_text(t, tr(t->lang, MSG_TERM_FIX));
		term_text(t, ": ");
		term_text(t, fix);
		term_newline(t);
	}
	term_more(t, n - shown);
}

/* Info findings are known and benign: one line, "Info (2), occurrences:
 * 105" (no plural forms to get wrong in either language). */
static void
term_findings_info(struct term *t)
{
	const struct summary *s = t->s;
	uint64_t kinds = 0, count = 0;
	size_t i;
	char buf[48];

	for (i = 0; i < s->nfindings; i++) {
		if (s->findings[i].level != CAT_LEVEL_INFO)
			continue;
		kinds++;
		count += s->findings[i].count;
	}
	term_text(t, tr(t->lang, MSG_INFO));
	if (kinds == 0) {
		term_text(t, ": ");
		term_text(t, tr(t->lang, MSG_NONE));
	} else {
		snprintf(buf, sizeof(buf), " (%" PRIu64 "), ", kinds);
		term_text(t, buf);
		term_text(t, tr(t->lang, MSG_TERM_OCCURRENCES));
		snprintf(buf, sizeof(buf), ": %" PRIu64, count);
		term_text(t, buf);
	}
	term_newline(t);
}

/* ------------------------------------------------------- failed jobs */

/* The most recent TERM_MAX_JOBS failed jobs, oldest first. */
static void
term_failed_jobs(struct term *t)
{
	const struct summary *s = t->s;
	size_t n = 0, skip, seen = 0, i;
	size_t wmach, wstart, wtask, whr, wdur;
	char buf[48];

	for (i = 0; i < s->njobs; i++)
		n += s->jobs[i].outcome == JOB_FAILED;
	term_heading(t, MSG_FAILED_JOBS, n, SGR_BOLD);
	if (n == 0)
		return;
	skip = n > TERM_MAX_JOBS ? n - TERM_MAX_JOBS : 0;

	wmach = term_label_width(t, MSG_MACHINE);
	wstart = term_clamp(term_label_width(t, MSG_START), TERM_TIME_COLS,
	    SIZE_MAX);
	wtask = term_clamp(term_label_width(t, MSG_TASK), TERM_TASK_COLS,
	    SIZE_MAX);
	whr = term_label_width(t, MSG_HRESULT);
	wdur = term_label_width(t, MSG_DURATION);
	for (i = 0; i < s->njobs; i++) {
		const struct summary_job *j = &s->jobs[i];

		if (j->outcome != JOB_FAILED || seen++ < skip)
			continue;
		wmach = term_clamp(term_clean_width(t, j->machine), wmach,
		    SIZE_MAX);
		whr = term_clamp(term_clean_width(t, j->hresult), whr, SIZE_MAX);
		term_duration_format(j->start, j->end, buf, sizeof(buf));
		wdur = term_clamp(strlen(buf), wdur, SIZE_MAX);
	}
	wmach = term_clamp(wmach, 1, t->machine_cap);
	whr = term_clamp(whr, 1, t->code_cap);

	term_gap(t, TERM_INDENT);
	if (t->multi)
		term_label(t, MSG_MACHINE, wmach + TERM_GAP, TEXT_CELL_PAD);
	term_label(t, MSG_START, wstart + TERM_GAP, TEXT_CELL_PAD);
	term_label(t, MSG_TASK, wtask + TERM_GAP, TEXT_CELL_PAD);
	term_label(t, MSG_HRESULT, whr + TERM_GAP, TEXT_CELL_PAD);
	term_label(t, MSG_DURATION, wdur, TEXT_CELL_RIGHT);
	term_gap(t, TERM_GAP);
	term_label(t, MSG_TITLE, term_left(t), 0);
	term_newline(t);

	seen = 0;
	for (i = 0; i < s->njobs; i++) {
		const struct summary_job *j = &s->jobs[i];
		const struct summary_finding *f;
		const char *task;

		if (j->outcome != JOB_FAILED || seen++ < skip)
			continue;
		term_gap(t, TERM_INDENT);
		if (t->multi) {
			term_log(t, j->machine, wmach, TEXT_CELL_PAD);
			term_gap(t, TERM_GAP);
		}
		term_time(t, j->start, wstart, TEXT_CELL_PAD);
		term_gap(t, TERM_GAP);
		/* the start of a GUID, cut without an ellipsis */
		task = term_clean(t, j->task_id);
		term_cell(t, task, text_fit(task, strlen(task), TERM_TASK_COLS,
		    NULL), wtask, TEXT_CELL_PAD);
		term_gap(t, TERM_GAP);
		term_log_sgr(t, j->hresult != NULL ? j->hresult : "-", whr,
		    TEXT_CELL_PAD, j->hresult != NULL ? SGR_RED : NULL);
		term_gap(t, TERM_GAP);
		term_duration_format(j->start, j->end, buf, sizeof(buf));
		term_cell(t, buf, strlen(buf), wdur, TEXT_CELL_RIGHT);
		term_gap(t, TERM_GAP);
		f = summary_finding_by_code(s, j->hresult);
		if (f != NULL)
			term_log(t, f->title, term_left(t), 0);
		term_newline(t);
	}
	term_more(t, skip);
}

/* ------------------------------------------------------ failed files */

static int
term_code_cmp_name(const void *a, const void *b)
{
	const struct term_code *x = a, *y = b;

	if (x->code == NULL || y->code == NULL)
		return (x->code == NULL) - (y->code == NULL);
	return strcmp(x->code, y->code);
}

static int
term_code_cmp_count(const void *a, const void *b)
{
	const struct term_code *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return term_code_cmp_name(a, b);
}

/* Failed files summed per code over every machine, largest first. */
static int
term_failed_files(struct term *t)
{
	const struct summary *s = t->s;
	struct term_code *codes = NULL;
	size_t n = 0, shown, i, wcount, wcode;

	if (s->nfailed_files > 0) {
		codes = malloc(s->nfailed_files * sizeof(*codes));
		if (codes == NULL)
			return -1;
		for (i = 0; i < s->nfailed_files; i++) {
			codes[i].code = s->failed_files[i].code;
			codes[i].count = s->failed_files[i].count;
		}
		qsort(codes, s->nfailed_files, sizeof(*codes),
		    term_code_cmp_name);
		for (i = 0; i < s->nfailed_files; i++) {
			if (n > 0 && term_code_cmp_name(&codes[n - 1],
			    &codes[i]) == 0)
				codes[n - 1].count += codes[i].count;
			else
				codes[n++] = codes[i];
		}
		qsort(codes, n, sizeof(*codes), term_code_cmp_count);
	}
	term_heading(t, MSG_TOP_FAILED_FILES, n, SGR_BOLD);
	shown = n < TERM_MAX_CODES ? n : TERM_MAX_CODES;
	wcount = term_label_width(t, MSG_COUNT);
	wcode = term_label_width(t, MSG_CODE);
	for (i = 0; i < shown; i++) {
		wcount = term_clamp(term_num_width(codes[i].count), wcount,
		    SIZE_MAX);
		wcode = term_clamp(term_clean_width(t, codes[i].code != NULL ?
		    codes[i].code : "-"), wcode, SIZE_MAX);
	}
	wcode = term_clamp(wcode, 1, t->code_cap);
	if (n > 0) {
		term_gap(t, TERM_INDENT);
		term_label(t, MSG_COUNT, wcount, TEXT_CELL_RIGHT);
		term_gap(t, TERM_GAP);
		term_label(t, MSG_CODE, wcode + TERM_GAP, TEXT_CELL_PAD);
		term_label(t, MSG_TITLE, term_left(t), 0);
		term_newline(t);
	}
	for (i = 0; i < shown; i++) {
		const struct summary_finding *f =
		    summary_finding_by_code(s, codes[i].code);

		term_gap(t, TERM_INDENT);
		term_num(t, codes[i].count, wcount, NULL);
		term_gap(t, TERM_GAP);
		term_log(t, codes[i].code != NULL ? codes[i].code : "-", wcode,
		    TEXT_CELL_PAD);
		term_gap(t, TERM_GAP);
		if (f != NULL)
			term_log(t, f->title != NULL ? f->title : f->remediation,
			    term_left(t), 0);
		term_newline(t);
	}
	term_more(t, n - shown);
	free(codes);
	return 0;
}

/* --------------------------------------------------- unknown messages */

static void
term_templates(struct term *t)
{
	const struct summary *s = t->s;
	size_t n = s->ntemplates, shown, i, wcount, wlevel, wmach;
	const char *lv;

	term_heading(t, MSG_UNKNOWN_TEMPLATES, n, SGR_BOLD);
	shown = n < TERM_MAX_TEMPLATES ? n : TERM_MAX_TEMPLATES;
	wcount = term_label_width(t, MSG_COUNT);
	wlevel = term_label_width(t, MSG_LEVEL);
	wmach = term_label_width(t, MSG_MACHINE);
	for (i = 0; i < shown; i++) {
		const struct summary_template *m = &s->templates[i];

		lv = tr_level(t->lang, m->level);
		wcount = term_clamp(term_num_width(m->count), wcount, SIZE_MAX);
		wlevel = term_clamp(text_width(lv, strlen(lv)), wlevel, SIZE_MAX);
		wmach = term_clamp(term_clean_width(t, m->machine), wmach,
		    SIZE_MAX);
	}
	wmach = term_clamp(wmach, 1, t->machine_cap);
	if (shown > 0) {
		term_gap(t, TERM_INDENT);
		term_label(t, MSG_COUNT, wcount, TEXT_CELL_RIGHT);
		term_gap(t, TERM_GAP);
		term_label(t, MSG_LEVEL, wlevel + TERM_GAP, TEXT_CELL_PAD);
		if (t->multi)
			term_label(t, MSG_MACHINE, wmach + TERM_GAP,
			    TEXT_CELL_PAD);
		term_label(t, MSG_TEMPLATE, term_left(t), 0);
		term_newline(t);
	}
	for (i = 0; i < shown; i++) {
		const struct summary_template *m = &s->templates[i];
		const char *sgr = m->level == CAT_LEVEL_ERROR ? SGR_RED :
		    m->level == CAT_LEVEL_WARNING ? SGR_YELLOW : NULL;

		lv = tr_level(t->lang, m->level);
		term_gap(t, TERM_INDENT);
		term_num(t, m->count, wcount, NULL);
		term_gap(t, TERM_GAP);
		term_cell_sgr(t, lv, strlen(lv), wlevel, TEXT_CELL_PAD, sgr);
		term_gap(t, TERM_GAP);
		if (t->multi) {
			term_log(t, m->machine, wmach, TEXT_CELL_PAD);
			term_gap(t, TERM_GAP);
		}
		term_log(t, m->text, term_left(t), 0);
		term_newline(t);
	}
	/* templates beyond the analyzer's cap were counted, not kept */
	term_more(t, (n - shown) + s->templates_dropped);
}

/* ------------------------------------------------------------ inputs */

static void
term_inputs(struct term *t)
{
	const struct summary *s = t->s;
	size_t n = 0, shown = 0, i, wmach, wpath, wstat, room;
	const char *st;

	for (i = 0; i < s->ninputs; i++)
		n += s->inputs[i].status != INPUT_OK;
	term_heading(t, MSG_TERM_INPUT_PROBLEMS, n, SGR_BOLD);
	if (n == 0)
		return;
	wmach = term_label_width(t, MSG_MACHINE);
	wpath = term_label_width(t, MSG_PATH);
	wstat = term_label_width(t, MSG_STATUS);
	for (i = 0; i < s->ninputs && shown < TERM_MAX_INPUTS; i++) {
		const struct summary_input *in = &s->inputs[i];

		if (in->status == INPUT_OK)
			continue;
		shown++;
		wmach = term_clamp(term_clean_width(t, in->machine), wmach,
		    SIZE_MAX);
		wpath = term_clamp(term_clean_width(t, in->path), wpath, SIZE_MAX);
		st = tr(t->lang, in->status == INPUT_SKIPPED ?
		    MSG_INPUT_SKIPPED : MSG_INPUT_PARTIAL);
		wstat = term_clamp(text_width(st, strlen(st)), wstat, SIZE_MAX);
	}
	wmach = term_clamp(wmach, 1, t->machine_cap);
	/* the path gets at most half of what the fixed columns leave */
	room = TERM_INDENT + TERM_GAP + wstat + TERM_GAP +
	    (t->multi ? wmach + TERM_GAP : 0);
	room = room < t->width ? (t->width - room) / 2 : 1;
	wpath = term_clamp(wpath, 1, room > 1 ? room : 1);

	term_gap(t, TERM_INDENT);
	if (t->multi)
		term_label(t, MSG_MACHINE, wmach + TERM_GAP, TEXT_CELL_PAD);
	term_label(t, MSG_PATH, wpath + TERM_GAP, TEXT_CELL_PAD);
	term_label(t, MSG_STATUS, wstat + TERM_GAP, TEXT_CELL_PAD);
	term_label(t, MSG_WARNING_TEXT, term_left(t), 0);
	term_newline(t);
	shown = 0;
	for (i = 0; i < s->ninputs && shown < TERM_MAX_INPUTS; i++) {
		const struct summary_input *in = &s->inputs[i];

		if (in->status == INPUT_OK)
			continue;
		shown++;
		st = tr(t->lang, in->status == INPUT_SKIPPED ?
		    MSG_INPUT_SKIPPED : MSG_INPUT_PARTIAL);
		term_gap(t, TERM_INDENT);
		if (t->multi) {
			term_log(t, in->machine, wmach, TEXT_CELL_PAD);
			term_gap(t, TERM_GAP);
		}
		term_log(t, in->path, wpath, TEXT_CELL_PAD | TEXT_CELL_TAIL);
		term_gap(t, TERM_GAP);
		term_cell_sgr(t, st, strlen(st), wstat, TEXT_CELL_PAD, SGR_YELLOW);
		term_gap(t, TERM_GAP);
		term_log(t, in->warning, term_left(t), 0);
		term_newline(t);
	}
	term_more(t, n - shown);
}

/* ------------------------------------------------------------ writer */

static int
term_write(const struct summary *s, const struct report_options *o,
    FILE *fp, const char *path, char *err, size_t errlen)
{
	struct term t = { 0 };
	struct fleet *fleet = fleet_new(s, o, FLEET_MATRIX);
	int ret = -1, oom = fleet == NULL;

	(void)path;
	t.s = s;
	t.fleet = fleet;
	t.diff = o->diff;
	t.lang = (unsigned)o->lang < CAT_LANG__COUNT ? o->lang : CAT_LANG_EN;
	t.width = o->width > 0 ? (size_t)o->width : 80;
	t.color = o->color != 0;
	t.multi = s->nmachines > 1;
	t.code_cap = term_clamp(t.width / 5, 10, 24);
	t.machine_cap = term_clamp(t.width / 6, 8, 24);
	t.out = (struct text_buf)TEXT_BUF_INIT;
	t.tmp = (struct text_buf)TEXT_BUF_INIT;
	t.cell = (struct text_buf)TEXT_BUF_INIT;

	/* what a fleet owner reads first: what changed, what is not
	 * protected; then the usual header */
	term_title(&t, o);
	if (fleet == NULL) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		goto out;
	}
	if (t.diff != NULL) {
		term_changes(&t);
		term_newline(&t);
	}
	term_stale(&t);
	term_newline(&t);
	term_header(&t);
	oom |= term_machines(&t) < 0;
	term_newline(&t);
	if (s->nmachines > 1 && fleet->ncols > 0) {
		oom |= term_matrix(&t) < 0;
		term_newline(&t);
	}
	term_findings_level(&t, CAT_LEVEL_ERROR, MSG_ERRORS, SGR_BOLD_RED,
	    SGR_RED);
	term_newline(&t);
	term_findings_level(&t, CAT_LEVEL_WARNING, MSG_WARNINGS,
	    SGR_BOLD_YELLOW, SGR_YELLOW);
	term_newline(&t);
	term_findings_info(&t);
	term_newline(&t);
	term_failed_jobs(&t);
	term_newline(&t);
	oom |= term_failed_files(&t) < 0;
	term_newline(&t);
	term_templates(&t);
	term_newline(&t);
	term_inputs(&t);
	/* err is the bare reason: report_write() says what it was writing */
	if (oom || t.out.oom || t.tmp.oom || t.cell.oom) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		goto out;
	}
	if (fwrite(t.out.p, 1, t.out.len, fp) != t.out.len) {
		snprintf(err, errlen, "%s", strerror(errno));
		goto out;
	}
	ret = 0;
out:
	fleet_free(fleet);
	text_buf_release(&t.out);
	text_buf_release(&t.tmp);
	text_buf_release(&t.cell);
	return ret;
}

const struct report_writer report_writer_summary = {
	.name = "summary",
	.write = term_write,
};
