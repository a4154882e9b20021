/* SPDX-License-Identifier: MIT */
/*
 * years.h -- the year of every errlog input, chosen from evidence.
 *
 * The errlog date has no year.  A first pass reads every input with a
 * provisional year (its .Crash name, else its file or entry time, else the
 * reference time) and records the evidence in its summary row (summary.h:
 * first and last record in file order, a record whose message carries a
 * date with a year, what the mtime is).  years_decide() then weighs, per
 * machine, every dated clue:
 *
 *   clue (strongest first)              weight: own input   other input
 *   a date with a year in a message               10            4
 *   the time in a .Crash name                       8            4
 *   the date in a LastBackupFailedFiles name        -            4
 *   a file or entry time near the records           6            2
 *   a copy time (below)                             1            0
 *
 * A file or entry time is a copy time when it is more than two days after
 * the input's last record, or when all dated files of one folder (or
 * archive) are within 10 seconds of each other and one of them is.  Each
 * clue votes for a year of the input's last record: the input's own file
 * time or .Crash name says when it was last written, so the latest year
 * that puts the last record at most a day after it; any other clue falls
 * among the records, so the year that puts the records (its span, last
 * record in file order minus first) nearest to it.  The year with the most
 * weight wins (ties: the strongest clue, then the later year); the input
 * is read again with it only when it differs from the provisional one.
 *
 * --year YEAR (every machine) and --year MACHINE=YEAR win over evidence.
 * An input with no clue at all (stdin from a pipe) takes the reference
 * time (--now, else the wall clock) and is warned about, as is a machine
 * whose clues disagree: one line per machine.
 *
 * Ownership: a years plan owns its copies of paths and its warnings.
 */
#ifndef MARSLOG_YEARS_H
#define MARSLOG_YEARS_H

#include <stddef.h>
#include <stdint.h>

#include "reports/summary.h"

/* --year: machine NULL for every machine. */
struct year_option {
	const char *machine;
	int year;
};

/* The --year that applies to `machine` (a MACHINE=YEAR one first), or 0. */
int years_option_for(const struct year_option *opts, size_t n,
    const char *machine);

struct years;

struct years *years_new(void);				/* NULL on OOM */
void years_free(struct years *y);			/* accepts NULL */

/*
 * Decide every errlog input's year from the evidence in `s` (a finished
 * summary of a pass) and remember, per input path, the reference time
 * that gives it (replacing what an earlier call decided).  `now` is the
 * reference for inputs without any clue.  Sets *changed to 1 when some
 * input would get other years than it got in `s` (read again with the
 * plan).  Warnings are collected (years_warnings).  0, -1 on OOM.
 */
int years_decide(struct years *y, const struct summary *s,
    const struct year_option *opts, size_t nopts, int64_t now,
    int *changed);

/* The reference time decided for the errlog input `path`: 1 and *ref, or
 * 0 when the plan has none (use the input's own clues). */
int years_reference(const struct years *y, const char *path, int64_t *ref);

/* Fill inputs[].year and year_source of a finished summary read with the
 * plan (or read in one pass when nothing changed). */
void years_apply(const struct years *y, struct summary *s);

/* The warnings, one line each ("FS02: ..."), valid until years_free. */
const char *const *years_warnings(const struct years *y, size_t *n);

#endif
