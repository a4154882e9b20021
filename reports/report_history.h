/* SPDX-License-Identifier: MIT */
/*
 * report_history.h -- the history sections (reports/history.h) in each
 * output format, for the report writers (with --history) and for
 * `marslog history FILE`, which renders them alone.
 *
 * Every decision (which machines, their order, the windows, the rates)
 * is made in history_report_new(); these functions only lay it out.
 * Machine names, verdict findings and agent versions come from logs:
 * they are cleaned and escaped for each format.
 *
 * Ownership: everything is borrowed for the call.
 */
#ifndef MARSLOG_REPORT_HISTORY_H
#define MARSLOG_REPORT_HISTORY_H

#include <stdio.h>

#include <xlsxwriter.h>

#include "patterns/catalog.h"
#include "reports/history.h"
#include "reports/report.h"
#include "reports/text.h"

#define HISTORY_TERM_ROWS 20	/* machines in the terminal (worst first) */
#define HISTORY_HTML_ROWS 300	/* in HTML; JSON and XLSX have all */

/* The value of the "history" key: the object, or null when r is NULL.
 * `indent` is the indentation of the key's line. */
void history_json_write(FILE *fp, const struct history_report *r,
    const char *indent);

/* The terminal section, width columns wide, ANSI colours when color. */
void history_term_write(struct text_buf *b, const struct history_report *r,
    enum cat_lang lang, size_t width, int color);

/* The HTML section (<section id="history">, with its own small style). */
void history_html_write(FILE *fp, const struct history_report *r,
    enum cat_lang lang);

/* The "History" and "Fleet history" sheets (with a chart of the daily
 * success rate).  Returns 0, or -1 with the reason in err. */
int history_xlsx_write(lxw_workbook *wb, const struct history_report *r,
    enum cat_lang lang, char *err, size_t errlen);

/* `marslog history`: the history alone (report_options.history), for
 * report_write(); the summary argument is not read. */
extern const struct report_writer report_writer_history_json;
extern const struct report_writer report_writer_history_summary;
extern const struct report_writer report_writer_history_html;
extern const struct report_writer report_writer_history_xlsx;

#endif
