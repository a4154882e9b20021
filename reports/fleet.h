/* SPDX-License-Identifier: MIT */
/*
 * fleet.h -- the fleet view of a finished summary, computed the same way
 * for every writer: per machine the time since its last successful
 * backup and whether that makes it stale, the stale list, and the
 * machines-by-findings matrix.  Its labels are in messages.def.
 *
 * "Hours since" is measured against a reference time, `as_of`:
 *   - by default the newest record time of the whole summary (the
 *     latest machine last_seen), so a report of old bundles says the
 *     same thing whenever it is run, and merged parts agree with a
 *     single run over the same bundles;
 *   - report_options.as_of when it holds a time (the CLI's --now, and
 *     the wall clock with --stamp).
 * A machine is stale when it has no successful backup (succeeded or
 * completed-with-warnings job, summary_machine.last_success) in the
 * stale_after hours before as_of: never succeeded, or
 * as_of - last_success > stale_after.  A last success after as_of (an
 * as_of in the past) counts as 0 hours.
 *
 * The view is derived data: it is never stored in the summary, the JSON
 * reader ignores it, and merge recomputes it, so it cannot break merge's
 * associativity.  Everything is integer arithmetic (hours are shown with
 * one decimal, truncated), so output is byte-for-byte repeatable.
 *
 * Memory: O(machines + error and warning findings); the matrix is kept
 * sparse (see struct fleet).
 *
 * Ownership: a fleet borrows the summary (which must outlive it and stay
 * unchanged) and owns its arrays; fleet_free() frees them.
 */
#ifndef MARSLOG_FLEET_H
#define MARSLOG_FLEET_H

#include <stddef.h>
#include <stdint.h>

#include "patterns/catalog.h"
#include "reports/i18n.h"
#include "reports/report.h"
#include "reports/summary.h"

/* The stale heading with `hours` in place of its "%s" ("No successful
 * backup in the last 26 hours"), into buf.  Returns buf. */
char *fleet_stale_heading(enum cat_lang lang, const char *hours, char *buf,
    size_t len);

#define FLEET_STALE_AFTER_DEFAULT 26.0	/* hours */

struct fleet_row {
	const struct summary_machine *m;
	int64_t since;		/* ms since the last success, or -1: never */
	int stale;
	const struct summary_finding *top;	/* its first finding in sort
						 * order (errors first), NULL */
	uint64_t jobs_ok;	/* succeeded or completed-with-warnings */
};

/* One column of the matrix: a catalog entry id at error or warning
 * level on any machine. */
struct fleet_col {
	const struct summary_finding *f;	/* its first row in sort order:
						 * level, code, title */
	size_t machines;	/* machines with this finding */
	uint64_t count;		/* occurrences over all machines */
};

struct fleet {
	int64_t as_of;		/* ms; ML_TIME_NONE: the summary has no times */
	int64_t stale_after;	/* ms */
	double stale_after_hours;
	struct fleet_row *rows;	/* one per machine, in summary order (name) */
	size_t nrows;
	size_t *stale;		/* indexes into rows: never succeeded first,
				 * then the longest since, then name */
	size_t nstale;
	struct fleet_col *cols;	/* worst first: level, machines desc,
				 * count desc, id */
	size_t ncols;
	/* The matrix is sparse: only the cells that hold a count, row by
	 * row, columns ascending; row r's cells are [row_cells[r],
	 * row_cells[r + 1]).  Their number is at most the summary's error
	 * and warning findings, so memory follows findings, not machines x
	 * columns (100,000 machines with a code each would need 80 GB
	 * dense). */
	size_t *row_cells;	/* nrows + 1 offsets */
	size_t *cell_col;
	uint64_t *cell_count;
};

/* The newest record time of the summary (latest machine last_seen or
 * newest_record: records outside --since/--until count), or
 * ML_TIME_NONE.  The run's reference time when --now is not given. */
int64_t fleet_newest_record(const struct summary *s);

/* "2024-06-09 23:25Z (the newest record)" (or "(--now)" when
 * o->as_of_given) in `lang`, into buf: the run's reference time, which
 * every report shows (labelled MSG_REFERENCE). */
char *fleet_reference_text(const struct fleet *f,
    const struct report_options *o, enum cat_lang lang, char *buf,
    size_t len);

/* When --since/--until left machine `m` without a record: "all 390
 * records are outside the window; newest 2024-03-12 21:39" in `lang`
 * into buf, returned; else NULL.  Reports say it at the top. */
char *fleet_window_note(const struct summary_machine *m, enum cat_lang lang,
    char *buf, size_t len);

/* The reference time a writer uses: o->as_of when it is a time (not 0,
 * not ML_TIME_NONE), else fleet_newest_record(s). */
int64_t fleet_as_of(const struct summary *s, const struct report_options *o);

/* o->stale_after_hours, or FLEET_STALE_AFTER_DEFAULT when it is not > 0. */
double fleet_stale_after_hours(const struct report_options *o);

/*
 * Time since the last success of `m` at `as_of` in ms (0 if the success is
 * later), or -1 when it never succeeded or as_of is unknown; and whether
 * that is stale (more than stale_after ms, or never).  No allocation, for
 * writers that need one machine's figures.
 */
int64_t fleet_since(const struct summary_machine *m, int64_t as_of);
int fleet_is_stale(int64_t since, int64_t stale_after);

/* Hours with one decimal, truncated: "30.5"; "-" for since < 0.  buf of
 * at least 24 bytes.  Returns buf. */
char *fleet_hours_format(int64_t since, char *buf, size_t len);

/* stale_after hours in ms, rounded; FLEET_STALE_AFTER_DEFAULT if not > 0. */
int64_t fleet_stale_after_ms(double hours);

/* Compute the view; the matrix (cols, cells) only with FLEET_MATRIX in
 * flags, as it grows with machines x findings.  NULL on OOM. */
#define FLEET_MATRIX 1
struct fleet *fleet_new(const struct summary *s,
    const struct report_options *o, unsigned flags);
void fleet_free(struct fleet *f);			/* accepts NULL */

/* The count in row r, column c (0: none); O(log cells of the row). */
uint64_t fleet_cell(const struct fleet *f, size_t r, size_t c);

#endif
