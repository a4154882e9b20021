/* SPDX-License-Identifier: MIT */
/*
 * report_term.c -- the terminal summary (`--summary`): the report view
 * (view.h) laid out in display columns.  The view decides the sections,
 * their order, rows and counts; this file only decides widths.
 *
 * Layout: every line is clipped to the width (opt->width, 80 if 0), so
 * nothing wraps by accident.  Codes are printed whole (they are pasted
 * into `marslog explain`); names are cut in the middle ("srv-ve…0001")
 * and widened until no two different names read the same; long text
 * (titles, reasons) takes the room that is left and ends in "…".  The
 * fix under a row is cut below TERM_WIDE columns and wrapped from there.
 * Columns the view marks optional appear from TERM_WIDE columns; machine
 * columns only when the report has several machines.
 *
 * Safety: every string goes through text_buf_add_clean(), so control
 * characters and escape sequences never reach the terminal.  Colour
 * codes only when opt->color is set.  No clock, no locale: the output is
 * byte-for-byte repeatable.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "reports/report.h"
#include "reports/text.h"
#include "reports/view.h"

#define TERM_INDENT	2	/* table rows under their heading */
#define TERM_GAP	2	/* between columns */
#define TERM_WIDE	120	/* optional columns; fixes wrap */
#define TERM_MAX_COLS	16

#define SGR_RESET	"\033[0m"
#define SGR_BOLD	"\033[1m"

struct term {
	const struct view *v;
	size_t width;		/* display columns per line */
	int color;
	int multi;		/* several machines: machine columns */
	struct text_buf out;	/* the whole report */
	struct text_buf tmp;	/* one cleaned value */
	struct text_buf cell;	/* one coloured cell before its codes */
	size_t col;		/* display column on the current line */
};

/* The colour of a tone; bold for a heading. */
static const char *
tone_sgr_bold(enum view_tone tone, int bold)
{
	switch (tone) {
	case VIEW_TONE_BAD: return bold ? "\033[1;31m" : "\033[31m";
	case VIEW_TONE_WARN: return bold ? "\033[1;33m" : "\033[33m";
	case VIEW_TONE_GOOD: return bold ? "\033[1;32m" : "\033[32m";
	default: break;
	}
	return bold ? SGR_BOLD : NULL;
}

static const char *
tone_sgr(enum view_tone tone)
{
	return tone_sgr_bold(tone, 0);
}

static size_t
term_left(const struct term *t)
{
	return t->col < t->width ? t->width - t->col : 0;
}

/*
 * Append clean text in at most `cols` columns (clipped to the line), in
 * colour `sgr` (NULL: none).  The colour covers the text, not its
 * padding, so the output without colour is the coloured one minus the
 * codes.
 */
static void
term_cell(struct term *t, const char *s, size_t cols, unsigned flags,
    const char *sgr)
{
	size_t left = term_left(t), lead = 0, end, n = strlen(s);

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
term_text(struct term *t, const char *s)
{
	term_cell(t, s, term_left(t), 0, NULL);
}

static void
term_gap(struct term *t, size_t n)
{
	term_cell(t, "", n, TEXT_CELL_PAD, NULL);
}

/* End the line; trailing padding is dropped. */
static void
term_newline(struct term *t)
{
	while (t->out.len > 0 && t->out.p[t->out.len - 1] == ' ')
		t->out.len--;
	text_buf_add(&t->out, "\n", 1);
	t->col = 0;
}

/* The cell's text, cleaned, into t->tmp ("" when empty). */
static const char *
term_str(struct term *t, const struct view_cell *c)
{
	char buf[64];
	const char *s = view_cell_text(t->v, c, 0, buf, sizeof(buf));

	t->tmp.len = 0;
	text_buf_add_clean(&t->tmp, s, s != NULL ? strlen(s) : 0);
	return t->tmp.oom || t->tmp.p == NULL ? "" : t->tmp.p;
}

static size_t
term_width_of(struct term *t, const struct view_cell *c)
{
	const char *s = term_str(t, c);

	return text_width(s, strlen(s));
}

static size_t
label_width(const struct term *t, const struct view_col *col)
{
	const char *l = col->text ? col->text : view_label(t->v, col->label);

	return text_width(l, strlen(l));
}

/* "Errors (16)", "Failed jobs: none", or the section's own sentence. */
static void
term_heading(struct term *t, const struct view_section *sec)
{
	char buf[512];
	int zero = sec->has_total && sec->total == 0;

	if (t->color)
		text_buf_adds(&t->out, tone_sgr_bold(zero ? VIEW_TONE_NONE :
		    sec->tone, 1));
	term_text(t, view_title(t->v, sec, buf, sizeof(buf)));
	if (zero && !sec->empty) {
		term_text(t, ": ");
		term_text(t, view_label(t->v, MSG_NONE));
	} else if (sec->has_total && !zero) {
		snprintf(buf, sizeof(buf), " (%" PRIu64 ")", sec->total);
		term_text(t, buf);
	}
	if (t->color)
		text_buf_adds(&t->out, SGR_RESET);
	term_newline(t);
}

/* "  … and 12 more" when the view left rows out. */
static void
term_more(struct term *t, uint64_t more)
{
	const char *l = view_label(t->v, MSG_AND_MORE), *p = strstr(l, "%s");
	char buf[128];

	if (more == 0)
		return;
	snprintf(buf, sizeof(buf), "%.*s%" PRIu64 "%s", (int)(p ? p - l : 0),
	    l, more, p ? p + 2 : "");
	term_gap(t, TERM_INDENT);
	term_text(t, TEXT_ELLIPSIS " ");
	term_text(t, buf);
	term_newline(t);
}

/* Label, value (" .. value" or " (detail)"). */
static void
term_kv(struct term *t, const struct view_section *sec)
{
	size_t lw = 0, r, w;

	for (r = 0; r < sec->nrows; r++)
		if ((w = term_width_of(t, view_cell(sec, r, 0))) > lw)
			lw = w;
	for (r = 0; r < sec->nrows; r++) {
		const struct view_cell *c = view_cell(sec, r, 0);

		term_cell(t, term_str(t, &c[0]), lw + TERM_GAP, TEXT_CELL_PAD,
		    NULL);
		term_cell(t, term_str(t, &c[1]), term_left(t), 0,
		    tone_sgr(c[1].tone));
		if (c[2].type != VIEW_T_EMPTY) {
			term_text(t, c[2].type == VIEW_T_TIME ? " .. " : " (");
			term_text(t, term_str(t, &c[2]));
			if (c[2].type != VIEW_T_TIME)
				term_text(t, ")");
		}
		term_newline(t);
	}
}

/* The fix under a row: cut below TERM_WIDE columns, wrapped from there
 * under its own indent. */
static void
term_sub(struct term *t, const char *label, const char *s, size_t indent)
{
	size_t n = strlen(s), k, sp, at;

	if (n == 0)
		return;
	term_gap(t, indent);
	term_text(t, label);
	term_text(t, ": ");
	at = t->col;
	while (n > 0) {
		if (t->width < TERM_WIDE || text_width(s, n) <= term_left(t)) {
			term_cell(t, s, term_left(t), 0, NULL);
			break;
		}
		k = text_fit(s, n, term_left(t), NULL);
		/* at a space when one is near the end (CJK text has none) */
		for (sp = k; sp > k * 2 / 3 && s[sp] != ' '; sp--)
			;
		if (s[sp] == ' ')
			k = sp;
		text_buf_add(&t->out, s, k);
		term_newline(t);
		s += k;
		n -= k;
		while (n > 0 && *s == ' ') {
			s++;
			n--;
		}
		term_gap(t, at);
	}
	term_newline(t);
}

static int
col_shown(const struct term *t, const struct view_col *col)
{
	if (col->flags & VIEW_COL_SUB)
		return 0;
	if ((col->flags & VIEW_COL_WIDE) && t->width < TERM_WIDE)
		return 0;
	return !(col->flags & VIEW_COL_FLEET) || t->multi;
}

/* Cut `k`'s names in the middle to at most w columns, widened until no
 * two different names of the shown rows read the same. */
static size_t
name_width(const struct view_section *sec, size_t k,
    size_t w, size_t natural)
{
	struct text_buf a = TEXT_BUF_INIT, b = TEXT_BUF_INIT;
	size_t r, q;
	int clash = 1;

	for (; w < natural && clash; w += clash) {
		clash = 0;
		for (r = 0; r < sec->nrows && !clash; r++) {
			const char *x = view_cell(sec, r, k)->text;

			for (q = r + 1; q < sec->nrows && !clash && x; q++) {
				const char *y = view_cell(sec, q, k)->text;

				if (y == NULL || strcmp(x, y) == 0)
					continue;
				a.len = b.len = 0;
				text_buf_add_clean(&a, x, strlen(x));
				text_buf_add_clean(&b, y, strlen(y));
				if (a.oom || b.oom)
					break;
				a.len = 0;
				text_buf_add_cell(&a, x, strlen(x), w,
				    TEXT_CELL_MIDDLE);
				b.len = 0;
				text_buf_add_cell(&b, y, strlen(y), w,
				    TEXT_CELL_MIDDLE);
				clash = !a.oom && !b.oom && a.len == b.len &&
				    memcmp(a.p, b.p, a.len) == 0;
			}
		}
	}
	text_buf_release(&a);
	text_buf_release(&b);
	return w;
}

static void
term_table(struct term *t, const struct view_section *sec)
{
	size_t w[TERM_MAX_COLS], k, r, fixed = TERM_INDENT, nlong = 0, share;
	size_t name_cap = t->width / 5 < 12 ? 12 : t->width / 5;
	size_t code_cap = name_cap > 24 ? 24 : name_cap;
	size_t sub = sec->ncols, last = 0;

	if (sec->ncols > TERM_MAX_COLS || sec->nrows == 0)
		return;
	for (k = 0; k < sec->ncols; k++) {
		const struct view_col *col = &sec->cols[k];
		size_t least = SIZE_MAX;

		w[k] = 0;
		if (col->flags & VIEW_COL_SUB)
			sub = k;
		if (!col_shown(t, col))
			continue;
		last = k;
		w[k] = label_width(t, col);
		for (r = 0; r < sec->nrows; r++) {
			size_t cw = term_width_of(t, view_cell(sec, r, k));

			w[k] = cw > w[k] ? cw : w[k];
			least = cw < least ? cw : least;
		}
		if (col->flags & VIEW_COL_LONG) {
			nlong++;
			continue;
		}
		if (w[k] > name_cap && sec->nrows > 0 &&
		    view_cell(sec, 0, k)->type == VIEW_T_NAME)
			w[k] = name_width(sec, k, name_cap, w[k]);
		/* a longer code pushes its own row rather than the column;
		 * when no code fits the cap (a 30-day history strip in
		 * every row) capping would push every row: no cap */
		if (w[k] > code_cap && least <= code_cap && sec->nrows > 0 &&
		    view_cell(sec, 0, k)->type == VIEW_T_CODE)
			w[k] = code_cap;
		fixed += w[k] + TERM_GAP;
	}
	/* long columns share what is left; the last takes the rest */
	share = nlong && t->width > fixed ? (t->width - fixed) / nlong : 10;
	for (k = 0; k < sec->ncols; k++)
		if (col_shown(t, &sec->cols[k]) &&
		    (sec->cols[k].flags & VIEW_COL_LONG) && w[k] > share)
			w[k] = share;

	term_gap(t, TERM_INDENT);
	for (k = 0; k < sec->ncols; k++) {
		const struct view_col *col = &sec->cols[k];

		if (!col_shown(t, col))
			continue;
		/* the last column takes the rest of the line, unless it
		 * is a number, right-aligned in its own width as in the
		 * rows */
		term_cell(t, col->text ? col->text : view_label(t->v, col->label),
		    k == last && !(col->flags & VIEW_COL_NUM) ? term_left(t) :
		    w[k],
		    col->flags & VIEW_COL_NUM ? TEXT_CELL_RIGHT : TEXT_CELL_PAD,
		    NULL);
		if (k != last)
			term_gap(t, TERM_GAP);
	}
	term_newline(t);
	for (r = 0; r < sec->nrows; r++) {
		term_gap(t, TERM_INDENT);
		for (k = 0; k < sec->ncols; k++) {
			const struct view_col *col = &sec->cols[k];
			const struct view_cell *c = view_cell(sec, r, k);
			size_t cw;
			unsigned fl = col->flags & VIEW_COL_NUM ?
			    TEXT_CELL_RIGHT : TEXT_CELL_PAD;
			int rest = k == last && !(col->flags & VIEW_COL_NUM);

			if (!col_shown(t, col))
				continue;
			if (c->type == VIEW_T_NAME)
				fl |= TEXT_CELL_MIDDLE;
			/* a code is never cut: it may push the line */
			cw = c->type == VIEW_T_CODE ? term_width_of(t, c) : 0;
			term_cell(t, term_str(t, c), rest ? term_left(t) :
			    cw > w[k] ? cw : w[k], rest ? 0 : fl,
			    tone_sgr(c->tone));
			if (k != last)
				term_gap(t, TERM_GAP);
		}
		term_newline(t);
		if (sub < sec->ncols)
			term_sub(t, view_label(t->v, MSG_TERM_FIX),
			    term_str(t, view_cell(sec, r, sub)), TERM_INDENT * 2);
	}
}

static void
term_section(struct term *t, const struct view_section *sec)
{
	if (sec->depth > 0 || sec->kind == VIEW_CHART ||
	    sec->kind == VIEW_HEAT || sec->kind == VIEW_GROUP ||
	    sec->kind == VIEW_STRIP)
		return;
	if (sec->kind == VIEW_KV) {
		term_kv(t, sec);
	} else {
		term_heading(t, sec);
		term_table(t, sec);
		term_more(t, sec->more);
	}
	term_newline(t);
}

static int
term_write(const struct summary *s, const struct report_options *o,
    FILE *fp, const char *path, char *err, size_t errlen)
{
	struct term t = { 0 };
	struct view *v = view_new(s, o, VIEW_TERM);
	size_t i;
	int ret = -1;

	(void)path;
	if (v == NULL) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		return -1;
	}
	t.v = v;
	t.width = o->width > 0 ? (size_t)o->width : 80;
	t.color = o->color != 0;
	t.multi = s->nmachines > 1;
	if (t.color)
		text_buf_adds(&t.out, SGR_BOLD);
	if (v->title != NULL) {
		t.tmp.len = 0;
		text_buf_add_clean(&t.tmp, v->title, strlen(v->title));
		term_text(&t, t.tmp.oom ? "" : t.tmp.p);
	} else {
		term_text(&t, view_label(v, MSG_REPORT_TITLE));
	}
	if (t.color)
		text_buf_adds(&t.out, SGR_RESET);
	term_newline(&t);
	for (i = 0; i < v->nsecs; i++)
		term_section(&t, &v->secs[i]);
	/* the last section's blank line is not needed */
	if (t.out.len > 1 && t.out.p[t.out.len - 2] == '\n')
		t.out.len--;
	/* err is the bare reason: report_write() says what it was writing */
	if (t.out.oom || t.tmp.oom || t.cell.oom)
		snprintf(err, errlen, "%s", strerror(ENOMEM));
	else if (fwrite(t.out.p, 1, t.out.len, fp) != t.out.len)
		snprintf(err, errlen, "%s", strerror(errno));
	else
		ret = 0;
	view_free(v);
	text_buf_release(&t.out);
	text_buf_release(&t.tmp);
	text_buf_release(&t.cell);
	return ret;
}

const struct report_writer report_writer_summary = {
	.name = "summary",
	.write = term_write,
};
