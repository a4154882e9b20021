/* SPDX-License-Identifier: MIT */
/*
 * report_history.c -- the history sections in JSON, on the terminal, in
 * HTML and in XLSX (report_history.h), and the writers of `marslog
 * history`, which show them alone.
 *
 * Layout only: the rows, their order and every number come from the
 * history_report.  Output depends on nothing else, so it is repeatable.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parsers/record.h"
#include "reports/i18n.h"
#include "reports/json.h"
#include "reports/report_history.h"
#include "reports/view.h"

#define SGR_RESET	"\033[0m"
#define SGR_BOLD	"\033[1m"
#define SGR_RED		"\033[31m"
#define SGR_GREEN	"\033[32m"
#define SGR_YELLOW	"\033[33m"

#define ARROW "\xe2\x86\x92"	/* U+2192 */
#define DASH "\xe2\x80\x93"	/* U+2013 */

static const char strip_letter[] = HISTORY_STRIP_LETTERS;

/* CSS class / XLSX colour per day. */
static const char *const strip_class[] = { "n", "o", "w", "x", "u" };
static const lxw_color_t strip_color[] = {
	0xEEEEEE, 0x2E7D32, 0xF9A825, 0xC62828, 0x9E9E9E,
};

static const char *
verdict_sgr(const char *v)
{
	if (strcmp(v, "failing") == 0 || strcmp(v, "stale") == 0)
		return SGR_RED;
	if (strcmp(v, "attention") == 0)
		return SGR_YELLOW;
	if (strcmp(v, "healthy") == 0)
		return SGR_GREEN;
	return NULL;
}

/* ------------------------------------------------------------ JSON */

static void
json_str(FILE *fp, const char *s)
{
	if (s == NULL)
		fputs("null", fp);
	else
		json_write_string(fp, s, strlen(s));
}

static void
json_time(FILE *fp, int64_t t)
{
	char buf[32];

	if (t == ML_TIME_NONE)
		fputs("null", fp);
	else
		fprintf(fp, "\"%s\"", ml_time_format(t, buf, sizeof buf));
}

/* ok / jobs with four decimals, truncated ("0.8571"); null for no jobs. */
static void
json_rate(FILE *fp, uint64_t ok, uint64_t jobs)
{
	uint64_t v;

	if (jobs == 0) {
		fputs("null", fp);
		return;
	}
	v = ok >= jobs ? 10000 : (uint64_t)((double)ok * 10000 / (double)jobs);
	fprintf(fp, "%" PRIu64 ".%04" PRIu64, v / 10000, v % 10000);
}

static void
json_counts(FILE *fp, const char *suffix, uint64_t ok, uint64_t jobs)
{
	fprintf(fp, ", \"jobs_%s\": %" PRIu64 ", \"succeeded_%s\": %" PRIu64
	    ", \"success_rate_%s\": ", suffix, jobs, suffix, ok, suffix);
	json_rate(fp, ok, jobs);
}

/* An array of one object per line: with key, its opening; without, the
 * separator before item i. */
static void
json_array(FILE *fp, const char *in, const char *key, size_t i)
{
	if (key != NULL)
		fprintf(fp, ",\n%s  \"%s\": [", in, key);
	else
		fprintf(fp, "%s\n%s    ", i ? "," : "", in);
}

static void
json_array_end(FILE *fp, const char *in, size_t n)
{
	if (n > 0)
		fprintf(fp, "\n%s  ]", in);
	else
		fputs("]", fp);
}

static void
json_machine(FILE *fp, const struct history_machine *m)
{
	size_t d;

	fputs("{\"name\": ", fp);
	json_str(fp, m->name);
	fputs(", \"verdict\": ", fp);
	json_str(fp, m->verdict);
	fputs(", \"verdict_finding\": ", fp);
	json_str(fp, m->verdict_finding);
	fprintf(fp, ", \"verdict_runs\": %" PRIu64 ", \"agent_version\": ",
	    m->verdict_runs);
	json_str(fp, m->agent_version);
	fputs(", \"last_run\": ", fp);
	json_time(fp, m->last_run);
	fputs(", \"strip\": [", fp);
	for (d = 0; d < HISTORY_STRIP_DAYS; d++) {
		const char *n = history_day_name((enum history_day)m->strip[d]);

		fputs(d ? ", " : "", fp);
		if (n == NULL)
			fputs("null", fp);
		else
			fprintf(fp, "\"%s\"", n);
	}
	fputs("]", fp);
	json_counts(fp, "7d", m->ok7, m->jobs7);
	json_counts(fp, "30d", m->ok30, m->jobs30);
	fputs(", \"failing_since\": ", fp);
	json_time(fp, m->failing_since);
	fputs("}", fp);
}

void
history_json_write(FILE *fp, const struct history_report *r,
    const char *in)
{
	char day[16];
	size_t i;

	if (r == NULL) {
		fputs("null", fp);
		return;
	}
	fprintf(fp, "{\n%s  \"as_of\": ", in);
	json_time(fp, r->as_of);
	fputs(", \"first_run\": ", fp);
	json_time(fp, r->first_run);
	fprintf(fp, ", \"runs\": %" PRIu64 ",\n%s  \"strip_days\": %d, "
	    "\"strip_first_day\": ", r->runs, in, HISTORY_STRIP_DAYS);
	if (r->runs > 0)
		fprintf(fp, "\"%s\"", history_day_format(r->day -
		    (int64_t)(HISTORY_STRIP_DAYS - 1) * 86400000, day,
		    sizeof day));
	else
		fputs("null", fp);
	json_counts(fp, "30d", r->ok30, r->jobs30);
	json_counts(fp, "90d", r->ok90, r->jobs90);
	json_array(fp, in, "machines", 0);
	for (i = 0; i < r->nmachines; i++) {
		json_array(fp, in, NULL, i);
		json_machine(fp, &r->machines[i]);
	}
	json_array_end(fp, in, r->nmachines);
	json_array(fp, in, "daily", 0);
	for (i = 0; r->runs > 0 && i < HISTORY_CHART_DAYS; i++) {
		const struct history_rate *d = &r->daily[i];

		json_array(fp, in, NULL, i);
		fprintf(fp, "{\"day\": \"%s\", \"jobs\": %" PRIu64 ", "
		    "\"succeeded\": %" PRIu64 ", \"success_rate\": ",
		    history_day_format(d->day, day, sizeof day), d->jobs, d->ok);
		json_rate(fp, d->ok, d->jobs);
		fputs("}", fp);
	}
	json_array_end(fp, in, r->runs > 0 ? HISTORY_CHART_DAYS : 0);
	json_array(fp, in, "changed", 0);
	for (i = 0; i < r->nchanges; i++) {
		const struct history_change *c = &r->changes[i];

		json_array(fp, in, NULL, i);
		fputs("{\"machine\": ", fp);
		json_str(fp, c->machine);
		fputs(", \"before\": ", fp);
		json_str(fp, c->before);
		fputs(", \"after\": ", fp);
		json_str(fp, c->after);
		fputs(", \"since\": ", fp);
		json_time(fp, c->at);
		fputs("}", fp);
	}
	json_array_end(fp, in, r->nchanges);
	fprintf(fp, "\n%s}", in);
}

/* ------------------------------------------------------------ terminal */

struct hterm {
	struct text_buf *b;
	struct text_buf tmp;
	enum cat_lang lang;
	size_t width;
	int color;
	size_t vcols;		/* the verdict column: its widest label */
};

static void
t_sgr(struct hterm *t, const char *sgr)
{
	if (t->color && sgr != NULL)
		text_buf_adds(t->b, sgr);
}

/* A cell of cols columns: log text cleaned and cut, padded. */
static void
t_cell(struct hterm *t, const char *s, size_t cols, unsigned flags,
    const char *sgr)
{
	t->tmp.len = 0;
	text_buf_add_clean(&t->tmp, s ? s : "", s ? strlen(s) : 0);
	t_sgr(t, sgr);
	text_buf_add_cell(t->b, t->tmp.p ? t->tmp.p : "", t->tmp.len, cols,
	    flags);
	t_sgr(t, sgr ? SGR_RESET : NULL);
}

static void
t_rates_line(struct hterm *t, const struct history_report *r)
{
	char a[16], b[16];

	text_buf_addf(t->b, "  %s: %s%% (%" PRIu64 "/%" PRIu64 "), %s: %s%% "
	    "(%" PRIu64 "/%" PRIu64 ")\n", tr(t->lang, MSG_HISTORY_RATE_30),
	    history_rate_format(r->ok30, r->jobs30, a, sizeof a), r->ok30,
	    r->jobs30, tr(t->lang, MSG_HISTORY_RATE_90),
	    history_rate_format(r->ok90, r->jobs90, b, sizeof b), r->ok90,
	    r->jobs90);
}

/* The fleet's last 30 days as a bar per day: U+2581..U+2588 by rate,
 * '.' for a day without a backup. */
static void
t_sparkline(struct hterm *t, const struct history_report *r)
{
	static const char *const bars[] = {
		"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
		"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88",
	};
	size_t i;

	text_buf_addf(t->b, "  %s: ", tr(t->lang, MSG_HISTORY_STRIP));
	for (i = HISTORY_CHART_DAYS - HISTORY_STRIP_DAYS;
	    i < HISTORY_CHART_DAYS; i++) {
		const struct history_rate *d = &r->daily[i];
		size_t k;

		if (d->jobs == 0) {
			text_buf_adds(t->b, ".");
			continue;
		}
		k = (size_t)(d->ok * 7 / d->jobs);
		t_sgr(t, d->ok == d->jobs ? SGR_GREEN : k < 4 ? SGR_RED :
		    SGR_YELLOW);
		text_buf_adds(t->b, bars[k]);
		t_sgr(t, SGR_RESET);
	}
	text_buf_adds(t->b, "\n");
}

static void
t_changes(struct hterm *t, const struct history_report *r, size_t mcols)
{
	char day[16];
	size_t i;

	text_buf_addf(t->b, "  %s: ", tr(t->lang, MSG_HISTORY_CHANGED));
	if (r->nchanges == 0) {
		text_buf_addf(t->b, "%s\n", tr(t->lang, MSG_NONE));
		return;
	}
	text_buf_addf(t->b, "%zu\n", r->nchanges);
	for (i = 0; i < r->nchanges && i < HISTORY_TERM_ROWS; i++) {
		const struct history_change *c = &r->changes[i];

		text_buf_adds(t->b, "    ");
		t_cell(t, c->machine, mcols, TEXT_CELL_PAD, NULL);
		text_buf_adds(t->b, "  ");
		t_cell(t, tr_verdict_name(t->lang, c->before), t->vcols, 0,
		    verdict_sgr(c->before));
		text_buf_adds(t->b, " " ARROW " ");
		t_cell(t, tr_verdict_name(t->lang, c->after), t->vcols, 0,
		    verdict_sgr(c->after));
		text_buf_addf(t->b, "  %s %s\n", tr(t->lang, MSG_HISTORY_SINCE),
		    history_day_format(c->at, day, sizeof day));
	}
	if (r->nchanges > HISTORY_TERM_ROWS)
		text_buf_addf(t->b, "    %zu %s\n", r->nchanges -
		    HISTORY_TERM_ROWS, tr(t->lang, MSG_TERM_MORE));
}

static void
t_machine(struct hterm *t, const struct history_machine *m, size_t mcols,
    int since)
{
	static const char *const sgr[] = {
		NULL, SGR_GREEN, SGR_YELLOW, SGR_RED, NULL,
	};
	char a[16], buf[32];
	size_t d;

	text_buf_adds(t->b, "  ");
	t_cell(t, m->name, mcols, TEXT_CELL_PAD, NULL);
	text_buf_adds(t->b, "  ");
	t_cell(t, tr_verdict_name(t->lang, m->verdict), t->vcols,
	    TEXT_CELL_PAD, verdict_sgr(m->verdict));
	text_buf_addf(t->b, "  %5" PRIu64 "  ", m->verdict_runs);
	for (d = 0; d < HISTORY_STRIP_DAYS; d++) {
		unsigned k = m->strip[d] < 5 ? m->strip[d] : 4;

		t_sgr(t, sgr[k]);
		text_buf_add(t->b, &strip_letter[k], 1);
		t_sgr(t, sgr[k] ? SGR_RESET : NULL);
	}
	snprintf(buf, sizeof buf, "%s%%", history_rate_format(m->ok7, m->jobs7,
	    a, sizeof a));
	text_buf_addf(t->b, "  %6s", m->jobs7 ? buf : "-");
	snprintf(buf, sizeof buf, "%s%%", history_rate_format(m->ok30,
	    m->jobs30, a, sizeof a));
	text_buf_addf(t->b, "  %6s", m->jobs30 ? buf : "-");
	if (since && m->failing_since != ML_TIME_NONE)
		text_buf_addf(t->b, "  %s", view_time_format(m->failing_since,
		    0, buf, sizeof buf));
	text_buf_adds(t->b, "\n");
}

/* The verdict column: as wide as the widest label it shows (in the
 * table or the week's changes), at least its heading. */
static size_t
t_verdict_cols(const struct hterm *t, const struct history_report *r)
{
	const char *s = tr(t->lang, MSG_VERDICT);
	size_t w = text_width(s, strlen(s)), i, n;

	for (i = 0; i < r->nmachines && i < HISTORY_TERM_ROWS; i++) {
		s = tr_verdict_name(t->lang, r->machines[i].verdict);
		n = text_width(s, strlen(s));
		w = n > w ? n : w;
	}
	for (i = 0; i < r->nchanges && i < HISTORY_TERM_ROWS; i++) {
		s = tr_verdict_name(t->lang, r->changes[i].before);
		n = text_width(s, strlen(s));
		w = n > w ? n : w;
		s = tr_verdict_name(t->lang, r->changes[i].after);
		n = text_width(s, strlen(s));
		w = n > w ? n : w;
	}
	return w < 24 ? w : 24;
}

void
history_term_write(struct text_buf *b, const struct history_report *r,
    enum cat_lang lang, size_t width, int color)
{
	struct hterm t = { b, TEXT_BUF_INIT, lang, width ? width : 80, color,
	    0 };
	char d0[16], d1[16];
	/* 2 + machine + 2 + verdict + 2 + runs (5) + 2 + strip (30) + the
	 * two rates (8 each); "failing since" takes 2 + 17 more */
	size_t fixed, mcols;
	int since;
	size_t i;

	t_sgr(&t, SGR_BOLD);
	text_buf_addf(b, "%s: ", tr(lang, MSG_HISTORY));
	if (r == NULL || r->runs == 0) {
		text_buf_adds(b, tr(lang, MSG_HISTORY_EMPTY));
		t_sgr(&t, SGR_RESET);
		text_buf_adds(b, "\n");
		return;
	}
	t.vcols = t_verdict_cols(&t, r);
	fixed = 2 + 2 + t.vcols + 2 + 5 + 2 + HISTORY_STRIP_DAYS + 16;
	mcols = t.width > fixed + 8 ? t.width - fixed : 8;
	if (mcols > 24)
		mcols = 24;
	/* "failing since" when names keep 12 columns beside it */
	since = t.width >= fixed + 12 + 19;
	if (since && fixed + mcols + 19 > t.width)
		mcols = t.width - fixed - 19;
	text_buf_addf(b, "%" PRIu64 " %s, %s " DASH " %s", r->runs,
	    tr(lang, MSG_HISTORY_RUNS), history_day_format(r->first_run, d0,
	    sizeof d0), history_day_format(r->as_of, d1, sizeof d1));
	t_sgr(&t, SGR_RESET);
	text_buf_adds(b, "\n");
	t_rates_line(&t, r);
	t_sparkline(&t, r);
	t_changes(&t, r, mcols);
	text_buf_adds(b, "  ");
	t_cell(&t, tr(lang, MSG_MACHINE), mcols, TEXT_CELL_PAD, SGR_BOLD);
	text_buf_adds(b, "  ");
	t_cell(&t, tr(lang, MSG_VERDICT), t.vcols, TEXT_CELL_PAD, SGR_BOLD);
	text_buf_adds(b, "  ");
	t_cell(&t, tr(lang, MSG_HISTORY_RUNS_COL), 5, TEXT_CELL_PAD |
	    TEXT_CELL_RIGHT, SGR_BOLD);
	text_buf_adds(b, "  ");
	t_cell(&t, tr(lang, MSG_HISTORY_STRIP), HISTORY_STRIP_DAYS,
	    TEXT_CELL_PAD, SGR_BOLD);
	t_cell(&t, "7d", 8, TEXT_CELL_PAD | TEXT_CELL_RIGHT, SGR_BOLD);
	t_cell(&t, "30d", 8, TEXT_CELL_PAD | TEXT_CELL_RIGHT, SGR_BOLD);
	if (since) {
		text_buf_adds(b, "  ");
		t_cell(&t, tr(lang, MSG_HISTORY_FAILING_SINCE), 17, 0,
		    SGR_BOLD);
	}
	text_buf_adds(b, "\n");
	for (i = 0; i < r->nmachines && i < HISTORY_TERM_ROWS; i++)
		t_machine(&t, &r->machines[i], mcols, since);
	if (r->nmachines > HISTORY_TERM_ROWS)
		text_buf_addf(b, "  %zu %s\n", r->nmachines - HISTORY_TERM_ROWS,
		    tr(lang, MSG_TERM_MORE));
	text_buf_addf(b, "  (%s)\n", tr(lang, MSG_HISTORY_LEGEND));
	if (t.tmp.oom)
		b->oom = 1;
	text_buf_release(&t.tmp);
}

/* ------------------------------------------------------------ HTML */

static const char html_style[] =
"<style>"
".hist table{border-collapse:collapse;margin:.5em 0}"
".hist th,.hist td{padding:2px 8px;text-align:left;white-space:nowrap}"
".hist td.num{text-align:right}"
".hist .strip{display:flex;gap:1px}"
".hist .strip i{display:inline-block;width:7px;height:14px;"
"border-radius:1px}"
".hist i.n{background:#eee}.hist i.o{background:#2e7d32}"
".hist i.w{background:#f9a825}.hist i.x{background:#c62828}"
".hist i.u{background:#9e9e9e}"
".hist .v-failing,.hist .v-stale{color:#c62828;font-weight:600}"
".hist .v-attention{color:#b26a00;font-weight:600}"
".hist .v-healthy{color:#2e7d32}"
".hist svg{max-width:100%;height:auto;background:#fafafa}"
".hist svg rect.o{fill:#2e7d32}.hist svg rect.w{fill:#f9a825}"
".hist svg rect.x{fill:#c62828}"
".hist .legend i{margin:0 3px 0 10px}"
"@media (max-width:600px){.hist .wide{display:none}}"
"</style>\n";

struct hhtml {
	FILE *fp;
	struct text_buf tmp;
	enum cat_lang lang;
};

static void
h_esc(struct hhtml *h, const char *s)
{
	if (s == NULL)
		return;
	h->tmp.len = 0;
	text_buf_add_html(&h->tmp, s, strlen(s));
	if (h->tmp.len > 0)
		fwrite(h->tmp.p, 1, h->tmp.len, h->fp);
}

/* The daily success rate of the last `days` days as bars (height: rate,
 * colour: all, some or none of the day's backups succeeded). */
static void
h_chart(struct hhtml *h, const struct history_report *r, size_t days)
{
	size_t i, first = HISTORY_CHART_DAYS - days, bw = days > 30 ? 8 : 20;
	char day[16];

	fprintf(h->fp, "<svg viewBox=\"0 0 %zu 104\" width=\"%zu\" "
	    "height=\"104\" role=\"img\" aria-label=\"", days * bw, days * bw);
	h_esc(h, tr(h->lang, MSG_HISTORY_DAILY));
	fputs("\"><line x1=\"0\" y1=\"2\" x2=\"100%\" y2=\"2\" "
	    "stroke=\"#ddd\"/>", h->fp);
	for (i = first; i < HISTORY_CHART_DAYS; i++) {
		const struct history_rate *d = &r->daily[i];
		uint64_t hgt = d->jobs ? 2 + d->ok * 98 / d->jobs : 0;

		fprintf(h->fp, "<rect class=\"%s\" x=\"%zu\" y=\"%" PRIu64
		    "\" width=\"%zu\" height=\"%" PRIu64 "\"><title>%s: %"
		    PRIu64 "/%" PRIu64 "</title></rect>", d->jobs == 0 ? "n" :
		    d->ok == d->jobs ? "o" : d->ok * 2 >= d->jobs ? "w" : "x",
		    (i - first) * bw + 1, 102 - hgt, bw - 2, hgt,
		    history_day_format(d->day, day, sizeof day), d->ok, d->jobs);
	}
	fputs("</svg>\n", h->fp);
}

static void
h_rate(struct hhtml *h, uint64_t ok, uint64_t jobs)
{
	char a[16];

	fprintf(h->fp, "<td class=\"num\">%s%s</td>", history_rate_format(ok,
	    jobs, a, sizeof a), jobs ? "%" : "");
}

/* A table's opening and header row (columns listed in `wide` hide on a
 * phone). */
static void
h_head(struct hhtml *h, const char *cls, const enum msg_id *head, size_t n,
    unsigned wide)
{
	size_t i;

	fprintf(h->fp, "<table class=\"%s\"><thead><tr>", cls);
	for (i = 0; i < n; i++) {
		fputs(wide >> i & 1 ? "<th class=\"wide\">" : "<th>", h->fp);
		h_esc(h, tr(h->lang, head[i]));
		fputs("</th>", h->fp);
	}
	fputs("</tr></thead><tbody>\n", h->fp);
}

/* A verdict cell, coloured by its class; title: the finding behind it. */
static void
h_verdict(struct hhtml *h, const char *verdict, const char *title)
{
	fputs("<td class=\"v-", h->fp);
	h_esc(h, verdict);
	fputs("\"", h->fp);
	if (title != NULL) {
		fputs(" title=\"", h->fp);
		h_esc(h, title);
		fputs("\"", h->fp);
	}
	fputs(">", h->fp);
	h_esc(h, verdict);
	fputs("</td>", h->fp);
}

static void
h_changes(struct hhtml *h, const struct history_report *r)
{
	static const enum msg_id head[] = {
		MSG_MACHINE, MSG_HISTORY_BEFORE, MSG_HISTORY_AFTER,
		MSG_HISTORY_SINCE,
	};
	char day[16];
	size_t i;

	fputs("<h3>", h->fp);
	h_esc(h, tr(h->lang, MSG_HISTORY_CHANGED));
	fputs("</h3>\n", h->fp);
	if (r->nchanges == 0) {
		fputs("<p>", h->fp);
		h_esc(h, tr(h->lang, MSG_NONE));
		fputs("</p>\n", h->fp);
		return;
	}
	h_head(h, "hist-changes", head, 4, 0);
	for (i = 0; i < r->nchanges; i++) {
		const struct history_change *c = &r->changes[i];

		fputs("<tr><td>", h->fp);
		h_esc(h, c->machine);
		fputs("</td>", h->fp);
		h_verdict(h, c->before, NULL);
		h_verdict(h, c->after, NULL);
		fprintf(h->fp, "<td>%s</td></tr>\n",
		    history_day_format(c->at, day, sizeof day));
	}
	fputs("</tbody></table>\n", h->fp);
}

static void
h_machines(struct hhtml *h, const struct history_report *r)
{
	static const enum msg_id head[] = {
		MSG_MACHINE, MSG_VERDICT, MSG_HISTORY_IN_A_ROW,
		MSG_HISTORY_STRIP, MSG_HISTORY_RATE_7, MSG_HISTORY_RATE_30,
		MSG_HISTORY_FAILING_SINCE,
	};
	char buf[32];
	size_t i, d;

	h_head(h, "hist-machines", head, 7, 1u << 2 | 1u << 4);
	for (i = 0; i < r->nmachines && i < HISTORY_HTML_ROWS; i++) {
		const struct history_machine *m = &r->machines[i];

		fputs("<tr><td>", h->fp);
		h_esc(h, m->name);
		fputs("</td>", h->fp);
		h_verdict(h, m->verdict, m->verdict_finding);
		fprintf(h->fp, "<td class=\"num wide\">%" PRIu64
		    "</td><td><span class=\"strip\">", m->verdict_runs);
		for (d = 0; d < HISTORY_STRIP_DAYS; d++)
			fprintf(h->fp, "<i class=\"%s\"></i>",
			    strip_class[m->strip[d] < 5 ? m->strip[d] : 4]);
		fputs("</span></td>", h->fp);
		h_rate(h, m->ok7, m->jobs7);
		h_rate(h, m->ok30, m->jobs30);
		fprintf(h->fp, "<td>%s</td></tr>\n", m->failing_since ==
		    ML_TIME_NONE ? "" : ml_time_format(m->failing_since, buf,
		    sizeof buf));
	}
	fputs("</tbody></table>\n", h->fp);
	if (r->nmachines > HISTORY_HTML_ROWS)
		fprintf(h->fp, "<p>%zu %s (JSON, XLSX)</p>\n", r->nmachines -
		    HISTORY_HTML_ROWS, tr(h->lang, MSG_TERM_MORE));
}

void
history_html_write(FILE *fp, const struct history_report *r,
    enum cat_lang lang)
{
	struct hhtml h = { fp, TEXT_BUF_INIT, lang };
	char d0[16], d1[16], a[16], b[16];
	size_t k;

	fputs("<section id=\"history\" class=\"hist\">\n", fp);
	fputs(html_style, fp);
	fputs("<h2>", fp);
	h_esc(&h, tr(lang, MSG_HISTORY));
	fputs("</h2>\n<p>", fp);
	if (r == NULL || r->runs == 0) {
		h_esc(&h, tr(lang, MSG_HISTORY_EMPTY));
		fputs("</p>\n</section>\n", fp);
		text_buf_release(&h.tmp);
		return;
	}
	fprintf(fp, "%" PRIu64 " ", r->runs);
	h_esc(&h, tr(lang, MSG_HISTORY_RUNS));
	fprintf(fp, ", %s " DASH " %s. ", history_day_format(r->first_run, d0,
	    sizeof d0), history_day_format(r->as_of, d1, sizeof d1));
	h_esc(&h, tr(lang, MSG_HISTORY_RATE_30));
	fprintf(fp, ": <b>%s%%</b> (%" PRIu64 "/%" PRIu64 "), ",
	    history_rate_format(r->ok30, r->jobs30, a, sizeof a), r->ok30,
	    r->jobs30);
	h_esc(&h, tr(lang, MSG_HISTORY_RATE_90));
	fprintf(fp, ": <b>%s%%</b> (%" PRIu64 "/%" PRIu64 ")</p>\n",
	    history_rate_format(r->ok90, r->jobs90, b, sizeof b), r->ok90,
	    r->jobs90);
	fputs("<h3>", fp);
	h_esc(&h, tr(lang, MSG_HISTORY_DAILY));
	fputs(" &middot; ", fp);
	h_esc(&h, tr(lang, MSG_HISTORY_STRIP));
	fputs("</h3>\n", fp);
	h_chart(&h, r, HISTORY_STRIP_DAYS);
	fputs("<h3 class=\"wide\">", fp);
	h_esc(&h, tr(lang, MSG_HISTORY_DAILY));
	fputs(" &middot; ", fp);
	h_esc(&h, tr(lang, MSG_HISTORY_90_DAYS));
	fputs("</h3>\n<div class=\"wide\">", fp);
	h_chart(&h, r, HISTORY_CHART_DAYS);
	fputs("</div>\n", fp);
	h_changes(&h, r);
	fputs("<h3>", fp);
	h_esc(&h, tr(lang, MSG_MACHINES));
	fputs("</h3>\n", fp);
	h_machines(&h, r);
	fputs("<p class=\"legend\">", fp);
	for (k = 1; k < 5; k++)
		fprintf(fp, "<i class=\"%s\" style=\"display:inline-block;"
		    "width:10px;height:10px\"></i>%s", strip_class[k],
		    history_day_name((enum history_day)k));
	fputs("</p>\n</section>\n", fp);
	text_buf_release(&h.tmp);
}

/* ------------------------------------------------------------ XLSX */

struct hxlsx {
	lxw_workbook *wb;
	enum cat_lang lang;
	lxw_error err;
	const char *what;
	struct text_buf tmp;
	lxw_format *head, *pct, *time, *day[5], *verdict_bad;
};

static void
x_check(struct hxlsx *x, lxw_error e, const char *what)
{
	if (e != LXW_NO_ERROR && x->err == LXW_NO_ERROR) {
		x->err = e;
		x->what = what;
	}
}

/* Text from a log: cleaned, written as a string (never a formula). */
static void
x_str(struct hxlsx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
    const char *s, lxw_format *f)
{
	if (s == NULL)
		return;
	x->tmp.len = 0;
	text_buf_add_clean(&x->tmp, s, strlen(s));
	x_check(x, worksheet_write_string(ws, r, c, x->tmp.p ? x->tmp.p : "",
	    f), "write text");
}

static void
x_num(struct hxlsx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
    double v, lxw_format *f)
{
	x_check(x, worksheet_write_number(ws, r, c, v, f), "write number");
}

static void
x_rate(struct hxlsx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
    uint64_t ok, uint64_t jobs)
{
	if (jobs > 0)
		x_num(x, ws, r, c, (double)ok / (double)jobs, x->pct);
}

static void
x_time(struct hxlsx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
    int64_t t)
{
	lxw_datetime dt;
	int y;
	unsigned mo, d;
	int64_t day = t / 86400000, ms;

	if (t == ML_TIME_NONE)
		return;
	if (t % 86400000 < 0)
		day--;
	ms = t - day * 86400000;
	ml_civil_from_days(day, &y, &mo, &d);
	dt.year = y;
	dt.month = (int)mo;
	dt.day = (int)d;
	dt.hour = (int)(ms / 3600000);
	dt.min = (int)(ms / 60000 % 60);
	dt.sec = (double)(ms % 60000) / 1000.0;
	x_check(x, worksheet_write_datetime(ws, r, c, &dt, x->time),
	    "write time");
}

static lxw_format *
x_format(struct hxlsx *x)
{
	lxw_format *f = workbook_add_format(x->wb);

	if (f == NULL)
		x_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "add format");
	return f;
}

static int
x_formats(struct hxlsx *x)
{
	size_t k;

	if ((x->head = x_format(x)) == NULL || (x->pct = x_format(x)) == NULL ||
	    (x->time = x_format(x)) == NULL ||
	    (x->verdict_bad = x_format(x)) == NULL)
		return -1;
	format_set_bold(x->head);
	format_set_bottom(x->head, LXW_BORDER_THIN);
	format_set_num_format(x->pct, "0.0%");
	format_set_num_format(x->time, "yyyy-mm-dd hh:mm");
	format_set_font_color(x->verdict_bad, 0xC62828);
	format_set_bold(x->verdict_bad);
	for (k = 0; k < 5; k++) {
		if ((x->day[k] = x_format(x)) == NULL)
			return -1;
		format_set_bg_color(x->day[k], strip_color[k]);
		format_set_font_color(x->day[k], k == 0 ? 0x999999 : 0xFFFFFF);
		format_set_align(x->day[k], LXW_ALIGN_CENTER);
		format_set_border(x->day[k], LXW_BORDER_THIN);
		format_set_border_color(x->day[k], 0xFFFFFF);
	}
	return 0;
}

static lxw_worksheet *
x_sheet(struct hxlsx *x, enum msg_id name)
{
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, tr(x->lang, name));

	if (ws == NULL)
		x_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "add sheet");
	return ws;
}

/* Machines: verdict, runs, rates, failing since, then one coloured
 * column per day of the strip. */
static void
x_machines(struct hxlsx *x, const struct history_report *r)
{
	static const enum msg_id head[] = {
		MSG_MACHINE, MSG_VERDICT, MSG_HISTORY_IN_A_ROW,
		MSG_HISTORY_RATE_7, MSG_HISTORY_RATE_30,
		MSG_HISTORY_FAILING_SINCE, MSG_AGENT_VERSION,
	};
	static const double widths[] = { 20, 11, 8, 10, 10, 17, 14 };
	lxw_worksheet *ws = x_sheet(x, MSG_HISTORY);
	lxw_col_t nh = sizeof head / sizeof head[0], c;
	char day[16];
	size_t i, d;

	if (ws == NULL)
		return;
	for (c = 0; c < nh; c++) {
		x_check(x, worksheet_set_column(ws, c, c, widths[c], NULL),
		    "set column");
		x_str(x, ws, 0, c, tr(x->lang, head[c]), x->head);
	}
	x_check(x, worksheet_set_column(ws, nh, (lxw_col_t)(nh +
	    HISTORY_STRIP_DAYS - 1), 3.2, NULL), "set column");
	for (d = 0; d < HISTORY_STRIP_DAYS; d++) {
		/* "06-01": the day of each strip column */
		history_day_format(r->day - (int64_t)(HISTORY_STRIP_DAYS - 1 - d) *
		    86400000, day, sizeof day);
		x_str(x, ws, 0, (lxw_col_t)(nh + d), day + 8, x->head);
	}
	worksheet_freeze_panes(ws, 1, 1);
	for (i = 0; i < r->nmachines; i++) {
		const struct history_machine *m = &r->machines[i];
		lxw_row_t row = (lxw_row_t)(i + 1);
		int bad = strcmp(m->verdict, "failing") == 0 ||
		    strcmp(m->verdict, "stale") == 0;

		x_str(x, ws, row, 0, m->name, NULL);
		x_str(x, ws, row, 1, m->verdict, bad ? x->verdict_bad : NULL);
		x_num(x, ws, row, 2, (double)m->verdict_runs, NULL);
		x_rate(x, ws, row, 3, m->ok7, m->jobs7);
		x_rate(x, ws, row, 4, m->ok30, m->jobs30);
		x_time(x, ws, row, 5, m->failing_since);
		x_str(x, ws, row, 6, m->agent_version, NULL);
		for (d = 0; d < HISTORY_STRIP_DAYS; d++) {
			unsigned k = m->strip[d] < 5 ? m->strip[d] : 4;
			char letter[2] = { strip_letter[k], '\0' };

			x_str(x, ws, row, (lxw_col_t)(nh + d), k ? letter : "",
			    x->day[k]);
		}
	}
	if (r->nmachines > 0)
		x_check(x, worksheet_autofilter(ws, 0, 0,
		    (lxw_row_t)r->nmachines, nh - 1), "autofilter");
}

/* The fleet: day, jobs, succeeded, rate for 90 days with a chart, and
 * the week's verdict changes beside it. */
static void
x_fleet(struct hxlsx *x, const struct history_report *r)
{
	static const enum msg_id head[] = {
		MSG_HISTORY_DAY, MSG_JOBS, MSG_HISTORY_SUCCEEDED,
		MSG_HISTORY_RATE,
	};
	static const enum msg_id chead[] = {
		MSG_MACHINE, MSG_HISTORY_BEFORE, MSG_HISTORY_AFTER,
		MSG_HISTORY_SINCE,
	};
	lxw_worksheet *ws = x_sheet(x, MSG_HISTORY_DAILY);
	lxw_chart *ch;
	lxw_chart_series *se;
	lxw_chart_options opt = { .x_scale = 1.6, .y_scale = 1.2 };
	lxw_col_t c;
	char day[16];
	size_t i;

	if (ws == NULL)
		return;
	x_check(x, worksheet_set_column(ws, 0, 3, 12, NULL), "set column");
	x_check(x, worksheet_set_column(ws, 12, 15, 14, NULL), "set column");
	for (c = 0; c < 4; c++) {
		x_str(x, ws, 0, c, tr(x->lang, head[c]), x->head);
		x_str(x, ws, 0, (lxw_col_t)(12 + c), tr(x->lang, chead[c]),
		    x->head);
	}
	for (i = 0; i < HISTORY_CHART_DAYS; i++) {
		const struct history_rate *d = &r->daily[i];
		lxw_row_t row = (lxw_row_t)(i + 1);

		x_str(x, ws, row, 0, history_day_format(d->day, day, sizeof day),
		    NULL);
		x_num(x, ws, row, 1, (double)d->jobs, NULL);
		x_num(x, ws, row, 2, (double)d->ok, NULL);
		x_rate(x, ws, row, 3, d->ok, d->jobs);
	}
	for (i = 0; i < r->nchanges; i++) {
		const struct history_change *ch0 = &r->changes[i];
		lxw_row_t row = (lxw_row_t)(i + 1);

		x_str(x, ws, row, 12, ch0->machine, NULL);
		x_str(x, ws, row, 13, ch0->before, NULL);
		x_str(x, ws, row, 14, ch0->after, NULL);
		x_time(x, ws, row, 15, ch0->at);
	}
	if ((ch = workbook_add_chart(x->wb, LXW_CHART_COLUMN)) == NULL ||
	    (se = chart_add_series(ch, NULL, NULL)) == NULL) {
		x_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "add chart");
		return;
	}
	chart_series_set_categories(se, tr(x->lang, MSG_HISTORY_DAILY), 1, 0,
	    HISTORY_CHART_DAYS, 0);
	chart_series_set_values(se, tr(x->lang, MSG_HISTORY_DAILY), 1, 3,
	    HISTORY_CHART_DAYS, 3);
	chart_series_set_name(se, tr(x->lang, MSG_HISTORY_RATE));
	chart_series_set_fill(se, &(lxw_chart_fill){ .color = 0x2E7D32 });
	chart_set_series_gap(ch, 30);
	chart_title_set_name(ch, tr(x->lang, MSG_HISTORY_DAILY));
	chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
	chart_axis_set_min(ch->y_axis, 0);
	chart_axis_set_max(ch->y_axis, 1);
	chart_axis_set_num_format(ch->y_axis, "0%");
	x_check(x, worksheet_insert_chart_opt(ws, 1, 5, ch, &opt),
	    "insert chart");
}

int
history_xlsx_write(lxw_workbook *wb, const struct history_report *r,
    enum cat_lang lang, char *err, size_t errlen)
{
	struct hxlsx x = { .wb = wb, .lang = lang, .err = LXW_NO_ERROR,
	    .tmp = TEXT_BUF_INIT };
	int rc = -1;

	if (r == NULL)
		return 0;
	if (x_formats(&x) == 0) {
		x_machines(&x, r);
		x_fleet(&x, r);
	}
	if (x.tmp.oom)
		snprintf(err, errlen, "history sheets: %s", strerror(ENOMEM));
	else if (x.err != LXW_NO_ERROR)
		snprintf(err, errlen, "history sheets: %s: %s", x.what,
		    lxw_strerror(x.err));
	else
		rc = 0;
	text_buf_release(&x.tmp);
	return rc;
}

/* ------------------------------------------------------------ writers */

static int
hw_json(const struct summary *s, const struct report_options *o, FILE *fp,
    const char *path, char *err, size_t errlen)
{
	(void)s;
	(void)path;
	(void)err;
	(void)errlen;
	fputs("{\n  \"schema\": \"marslog-history/1\",\n  \"generator\": "
	    "\"marslog " MARSLOG_VERSION "\",\n  \"history\": ", fp);
	history_json_write(fp, o->history, "  ");
	fputs("\n}\n", fp);
	return 0;
}

static int
hw_summary(const struct summary *s, const struct report_options *o,
    FILE *fp, const char *path, char *err, size_t errlen)
{
	struct text_buf b = TEXT_BUF_INIT;
	int rc = 0;

	(void)s;
	(void)path;
	history_term_write(&b, o->history, o->lang, o->width > 0 ?
	    (size_t)o->width : 80, o->color);
	if (b.oom) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		rc = -1;
	} else if (b.len > 0 && fwrite(b.p, 1, b.len, fp) != b.len) {
		snprintf(err, errlen, "%s", strerror(errno));
		rc = -1;
	}
	text_buf_release(&b);
	return rc;
}

static int
hw_html(const struct summary *s, const struct report_options *o, FILE *fp,
    const char *path, char *err, size_t errlen)
{
	struct text_buf t = TEXT_BUF_INIT;

	(void)s;
	(void)path;
	(void)err;
	(void)errlen;
	text_buf_add_html(&t, tr(o->lang, MSG_HISTORY), strlen(tr(o->lang,
	    MSG_HISTORY)));
	fprintf(fp, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta "
	    "charset=\"utf-8\"><meta name=\"viewport\" content=\"width="
	    "device-width,initial-scale=1\"><title>%s</title><style>body{"
	    "font:14px system-ui,sans-serif;margin:1em 2em;color:#222}"
	    "</style></head>\n<body>\n", o->lang == CAT_LANG_ZH ? "zh-CN" :
	    "en", t.p ? t.p : "");
	text_buf_release(&t);
	history_html_write(fp, o->history, o->lang);
	fputs("</body></html>\n", fp);
	return 0;
}

static int
hw_xlsx(const struct summary *s, const struct report_options *o, FILE *fp,
    const char *path, char *err, size_t errlen)
{
	static char title[] = "marslog history";
	lxw_doc_properties props = { 0 };
	lxw_workbook *wb;
	lxw_error e;
	int rc;

	(void)s;
	(void)fp;
	if (path == NULL) {
		snprintf(err, errlen, "an XLSX workbook needs a file name, not "
		    "standard output");
		return -1;
	}
	if ((wb = workbook_new(path)) == NULL) {
		snprintf(err, errlen, "cannot create workbook");
		return -1;
	}
	/* a fixed creation time: the same database gives the same file */
	props.created = o->history != NULL && o->history->as_of !=
	    ML_TIME_NONE ? (time_t)(o->history->as_of / 1000) : 0;
	props.title = title;
	workbook_set_properties(wb, &props);
	rc = history_xlsx_write(wb, o->history, o->lang, err, errlen);
	e = workbook_close(wb);
	if (rc == 0 && e != LXW_NO_ERROR) {
		snprintf(err, errlen, "cannot write workbook: %s",
		    lxw_strerror(e));
		rc = -1;
	}
	return rc;
}

const struct report_writer report_writer_history_json = {
	.name = "history-json", .write = hw_json,
};
const struct report_writer report_writer_history_summary = {
	.name = "history-summary", .write = hw_summary,
};
const struct report_writer report_writer_history_html = {
	.name = "history-html", .write = hw_html,
};
const struct report_writer report_writer_history_xlsx = {
	.name = "history-xlsx", .write = hw_xlsx,
};
