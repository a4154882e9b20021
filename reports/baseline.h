/* SPDX-License-Identifier: MIT */
/*
 * baseline.h -- night over night: what changed between an earlier run's
 * summary (the baseline, usually last night's --json) and this one.
 *
 * Design: the diff is computed once, from two finished summaries, into a
 * flat sorted list of changes that every writer reads through
 * report_options.diff and shows first.  It is derived data, like the
 * fleet view (fleet.h): nothing of it is stored in the summary, so merge
 * and the JSON reader are not affected; the JSON writer adds it as
 * "changes".
 *
 * What is compared:
 *   machines  a machine only in this run APPEARED, one only in the
 *             baseline VANISHED (its findings are then not listed);
 *   staleness a machine stale now (fleet.h: no successful backup within
 *             stale_after hours of its run's as_of) that was not stale in
 *             the baseline is NEW, or RESOLVED the other way round; each
 *             run is judged at its own as_of, so each side says what its
 *             report said;
 *   last job  the machine's last job went from succeeded (or completed
 *             with warnings) to failed: WORSE; from failed to ok: BETTER;
 *   findings  per machine and catalog entry, error and warning level
 *             only (info findings are benign and count as absent): only
 *             now NEW, only in the baseline RESOLVED, a higher level or a
 *             larger count WORSE, a lower level or a smaller count BETTER
 *             (the level decides first).  Counts are over each run's
 *             window, so with a fixed --since window "worse" means "more
 *             often than last time".
 * A machine that appeared is compared with an empty baseline: its error
 * and warning findings are NEW, and so is its staleness.
 *
 * Order: change (new, worse, vanished, appeared, better, resolved), then
 * machine, subject (machine, stale, last job, finding), level (error
 * first), finding id; so the same two summaries always give the same
 * list.
 *
 * Ownership: a diff borrows both summaries (strings and finding rows
 * point into them): they must outlive it and stay unchanged.
 */
#ifndef MARSLOG_BASELINE_H
#define MARSLOG_BASELINE_H

#include <stddef.h>
#include <stdint.h>

#include "reports/summary.h"

enum baseline_change {
	BASELINE_NEW = 0,
	BASELINE_WORSE,
	BASELINE_VANISHED,
	BASELINE_APPEARED,
	BASELINE_BETTER,
	BASELINE_RESOLVED,
	BASELINE__COUNT
};

enum baseline_subject {
	BASELINE_MACHINE = 0,	/* appeared, vanished */
	BASELINE_STALE,		/* new, resolved */
	BASELINE_LAST_JOB,	/* worse, better */
	BASELINE_FINDING	/* new, worse, better, resolved */
};

struct baseline_item {
	enum baseline_change change;
	enum baseline_subject subject;
	const char *machine;
	/* BASELINE_FINDING: the row of this run, or the baseline's when
	 * RESOLVED (id, code, title, remediation); NULL otherwise. */
	const struct summary_finding *finding;
	uint64_t count_before, count_after;	/* FINDING: 0 when absent */
	enum cat_level level_before, level_after; /* FINDING: 0 when absent */
	int64_t since_before, since_after;	/* STALE: ms since the last
						 * success, -1 never (fleet.h) */
	enum job_outcome outcome_before, outcome_after;	/* LAST_JOB */
};

struct baseline_diff {
	int64_t as_of_before, as_of_after;	/* each run's as_of */
	int64_t stale_after;			/* ms */
	struct baseline_item *items;
	size_t nitems;
	size_t count[BASELINE__COUNT];		/* items per change */
};

/*
 * Compare `after` (this run) with `before` (the baseline); both finished.
 * as_of_before / as_of_after: the times each run's "hours since" were
 * measured at (fleet.h); ML_TIME_NONE for a summary's newest record.
 * stale_after_hours: as in report_options (26 if not > 0).  NULL on OOM.
 */
struct baseline_diff *baseline_diff_new(const struct summary *before,
    int64_t as_of_before, const struct summary *after, int64_t as_of_after,
    double stale_after_hours);
void baseline_diff_free(struct baseline_diff *d);	/* accepts NULL */

/* JSON names: "new", "worse", ...; "machine", "stale", "last_job",
 * "finding". */
const char *baseline_change_name(enum baseline_change c);
const char *baseline_subject_name(enum baseline_subject s);

#endif
