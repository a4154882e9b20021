/* SPDX-License-Identifier: MIT */
/*
 * report.h -- report writers: one const vtable per output format, each in
 * its own file (report_json.c, report_term.c, report_html.c,
 * report_xlsx.c).  Writers read only the finished summary; they never see
 * raw lines or PCRE2.
 *
 * Every string in a summary that came from a log is hostile: writers
 * escape it for their format (HTML entities, XLSX text cells never
 * formulas, control characters and escape sequences removed on a
 * terminal).
 *
 * Same summary + same options = byte-identical output: no wall-clock time
 * unless opt->stamp is set.
 */
#ifndef MARSLOG_REPORT_H
#define MARSLOG_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "patterns/catalog.h"
#include "reports/summary.h"

struct baseline_diff;		/* reports/baseline.h */
struct diagnosis;		/* reports/diagnose.h */
struct history_report;		/* reports/history.h */

struct report_options {
	enum cat_lang lang;
	int color;		/* terminal: ANSI colours allowed */
	int width;		/* terminal: columns (80 if 0) */
	int stamp;		/* put the generation time in the report */
	int64_t now;		/* ms; the generation time for stamps */
	double stale_after_hours; /* fleet: no success for this long = stale
				 * (26 if not > 0) */
	int64_t as_of;		/* ms; "hours since" are measured at this time;
				 * 0 or ML_TIME_NONE: at the newest record of
				 * the summary (reports/fleet.h) */
	int as_of_given;	/* 1: as_of is --now, 0: the newest record */
	const struct baseline_diff *diff; /* night over night changes, shown
				 * first; NULL: no baseline */
	const char *title;	/* report title, NULL for the default */
	const struct catalog *catalog; /* catalog texts by id in `lang`
				 * (reports/diagnose.h); NULL: the texts
				 * stored in the summary */
	const struct diagnosis *diag; /* the summary's diagnosis; NULL:
				 * report_write() computes one */
	const struct history_report *history; /* trends from --history
				 * (report_history.h); NULL: none */
};

struct report_writer {
	const char *name;	/* "json", "summary", "html", "xlsx" */
	/*
	 * Write the report for `s` to `fp`, which is open for writing on
	 * `path` (NULL when fp is stdout; under report_write() the
	 * temporary file, not the final name).  Writers that need a file
	 * name (XLSX) may reopen `path`.  Returns 0, or -1 with a one-line
	 * reason in err.  Must not close fp.
	 */
	int (*write)(const struct summary *s, const struct report_options *o,
	    FILE *fp, const char *path, char *err, size_t errlen);
};

extern const struct report_writer report_writer_json;
extern const struct report_writer report_writer_summary;
extern const struct report_writer report_writer_html;
extern const struct report_writer report_writer_xlsx;

/* By name over the registry in report.c; NULL if none. */
const struct report_writer *report_writer_find(const char *name);

/*
 * Write a report to `path` atomically: into a temporary file beside it
 * that is flushed, fsync'd and renamed over `path` at the end, so an
 * interrupted or failed run leaves the previous report intact and no
 * half-written one.  The temporary file is "<dir>/.<base>.XXXXXX" and
 * the report gets mode 0666 & ~umask (or the mode of the report it
 * replaces).  "-" writes to stdout (flushed, not
 * closed).  Returns 0, or -1 with "cannot write PATH: reason" in err (the
 * temporary file is removed).
 */
int report_write(const struct report_writer *w, const struct summary *s,
    const struct report_options *o, const char *path, char *err,
    size_t errlen);

/*
 * Symlinks: a report path that is a symlink is followed (the report
 * replaces the file it points at, the link stays), except a link in a
 * sticky world-writable folder (such as /tmp) owned by another user than
 * the one running marslog and the folder's owner: that is refused with
 * an error, as the kernel's fs.protected_symlinks would refuse it (each
 * link of a chain is checked).
 *
 * Temporary files.  report_temp_open() is mkstemp(tmpl) plus an
 * exclusive flock(2) on the descriptor, and lists the path for
 * report_temp_remove_all(); keep the descriptor open while the file is in
 * use (another descriptor of the same file may be closed freely), then
 * report_temp_close() unlists it, unlinks it when `remove` is set and
 * closes fd.  -1 with errno on failure.
 * report_temp_remove_all() unlinks every listed file; it is
 * async-signal-safe, for a SIGINT/SIGTERM handler that then re-raises.
 * report_temp_sweep() removes files "<prefix>XXXXXX" in `dir` that are
 * regular, owned by the effective user and not locked: the temporaries of
 * a run killed with SIGKILL.  report_write() sweeps beside its target.
 */
int report_temp_open(char *tmpl);
void report_temp_close(int fd, const char *tmpl, int remove);
void report_temp_remove_all(void);
void report_temp_sweep(const char *dir, const char *prefix);

#endif
