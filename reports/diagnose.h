/* SPDX-License-Identifier: MIT */
/*
 * diagnose.h -- what is wrong now, why, and what matters most: the one
 * place where a finished summary is judged.  Every writer (and the view
 * built from it) reads these decisions instead of making its own.
 *
 * A diagnosis is derived data: computed from a finished summary (after
 * analysis and after every merge, so one run, --jobs N and `merge` of
 * parts agree), never stored in the summary; the JSON writer writes its
 * fields and the JSON reader ignores them.
 *
 * Definitions (documented for users in reports/summary-json.md):
 *
 *   last job       the machine's last job (summary_machine.last_job_task:
 *                  latest end, its start while the end is unknown).
 *   last success   summary_machine.last_success (succeeded or
 *                  completed-with-warnings).
 *   verdict        first that applies:
 *     unknown      no job seen;
 *     failing      the last job failed;
 *     stale        no success within stale_after before as_of (fleet.h);
 *     attention    the last job completed with warnings, or an error
 *                  finding or an unknown ERROR/FATAL line (a template)
 *                  was seen after the last success;
 *     healthy      otherwise.
 *   verdict_finding  failing: the last job's reason; attention: the last
 *                  job's reason when it completed with warnings, else the
 *                  first-ranked current error; stale and unknown: the
 *                  first-ranked current error or warning; healthy: none.
 *   job reason     for a failed or completed-with-warnings job: the
 *                  catalog error entry seen on the job's task GUID nearest
 *                  before its end (summary_job.task_error, kept by the
 *                  analysis per task whatever file, thread or range the
 *                  line came from); for a completed-with-warnings job
 *                  without one, the warning entry likewise
 *                  (task_warning); else the catalog entry of the job's
 *                  HRESULT (catalog_find_code); else "hresult-0x...", its
 *                  decoded name; else none.
 *   current        a finding last seen after the machine's last success,
 *                  or on a machine without one; else earlier (probably
 *                  resolved).
 *   rank class     DIAG_REASON: the reason of the machine's failing last
 *                  job; then current errors, current warnings, earlier
 *                  errors, earlier warnings, info.  Inside a class: count
 *                  descending, then id.  Count never lifts a finding
 *                  over a better class.
 *   issue          the same finding id on any number of machines: one
 *                  row, its best class over those machines, the machines
 *                  (by name) and the summed count.  Issues rank by class,
 *                  then machines descending, then count descending, then
 *                  id.
 *
 * Counts that appear in several places come from struct diag_counts only
 * (one per machine, one for the whole report); see its comment.
 *
 * Ownership: a diagnosis borrows the summary and the catalog (both must
 * outlive it unchanged) and owns its arrays.  Strings in it point into
 * the summary, the catalog or the diagnosis itself: never free them.
 */
#ifndef MARSLOG_DIAGNOSE_H
#define MARSLOG_DIAGNOSE_H

#include <stddef.h>
#include <stdint.h>

#include "patterns/catalog.h"
#include "reports/report.h"
#include "reports/summary.h"

/* In order of severity, worst last (a writer sorts by it). */
enum verdict {
	VERDICT_HEALTHY = 0,
	VERDICT_UNKNOWN,
	VERDICT_ATTENTION,
	VERDICT_STALE,
	VERDICT_FAILING,
	VERDICT__COUNT
};

/* JSON names: "healthy", "unknown", "attention", "stale", "failing". */
const char *verdict_name(enum verdict v);

enum diag_class {
	DIAG_REASON = 0,	/* reason of a failing last job */
	DIAG_CURRENT_ERROR,
	DIAG_CURRENT_WARNING,
	DIAG_EARLIER_ERROR,
	DIAG_EARLIER_WARNING,
	DIAG_INFO,
	DIAG__COUNT
};

/* Where a job's reason came from. */
enum diag_reason_source {
	DIAG_SRC_NONE = 0,	/* no reason (not failed/warnings, or nothing) */
	DIAG_SRC_TASK_ERROR,	/* error entry on the job's task */
	DIAG_SRC_TASK_WARNING,	/* warning entry on the job's task */
	DIAG_SRC_HRESULT	/* the job's HRESULT: entry or decoded name */
};

/*
 * The one definition of every count a report shows in more than one
 * place.  Occurrences are lines (and failed-file list items); rows are
 * distinct report rows.
 *   errors              error-level occurrences: == machine/totals
 *                       errors; = errors_in_findings + errors_unrecognised
 *   errors_in_findings  occurrences counted in error findings
 *   errors_unrecognised the rest: unknown ERROR/FATAL lines (grouped in
 *                       templates) and failed-file items without a code;
 *                       a report never says "no errors" while errors > 0
 *   warnings, warnings_in_findings, warnings_unrecognised   the same
 *   findings_error, findings_warning, findings_info   finding rows
 *                       per level
 *   findings_current    finding rows that are current
 *   jobs, jobs_failed, jobs_warnings   job rows by outcome
 *   failed_files        failed-file occurrences (sum of counts, ==
 *                       totals.failed_files)
 *   failed_file_rows    distinct failed-file rows (machine, path, code)
 *   machines[verdict]   machines per verdict (whole report only)
 */
struct diag_counts {
	uint64_t errors, errors_in_findings, errors_unrecognised;
	uint64_t warnings, warnings_in_findings, warnings_unrecognised;
	uint64_t findings_error, findings_warning, findings_info;
	uint64_t findings_current;
	uint64_t jobs, jobs_failed, jobs_warnings;
	uint64_t failed_files, failed_file_rows;
	uint64_t machines[VERDICT__COUNT];
};

/* Parallel to summary.machines. */
struct diag_machine {
	const struct summary_machine *m;
	enum verdict verdict;
	const char *verdict_finding;	/* finding id, or NULL */
	const struct summary_job *last_job;	/* NULL: no job */
	int64_t since;			/* ms since the last success, -1: never
					 * or as_of unknown (fleet_since) */
	int stale;			/* fleet_is_stale(since) */
	const size_t *ranked;		/* indexes into summary.findings of
					 * this machine, most important first */
	size_t nranked;
	uint64_t unknown_errors_current; /* unknown ERROR/FATAL lines
					 * (templates) after the last success */
	struct diag_counts counts;	/* machines[] unused */
};

/* Parallel to summary.jobs. */
struct diag_job {
	const char *reason;		/* finding id, or NULL */
	enum diag_reason_source source;
};

/* Parallel to summary.findings. */
struct diag_finding {
	int current;			/* 1: current, 0: earlier */
	enum diag_class klass;
};

/* One finding id over the whole report. */
struct diag_issue {
	const char *id;
	const struct summary_finding *first;	/* its row on the first machine
						 * listed (code, level, texts) */
	enum diag_class klass;		/* the best over its machines */
	enum cat_level level;		/* the highest over its machines */
	const size_t *machines;		/* indexes into summary.machines, by
					 * name */
	size_t nmachines;
	uint64_t count;			/* summed over the machines */
	int64_t first_seen, last_seen;
};

struct diagnosis {
	const struct summary *s;
	const struct catalog *cat;	/* may be NULL: texts from the summary */
	enum cat_lang lang;
	int64_t as_of;			/* fleet_as_of() */
	int64_t stale_after;		/* ms */
	struct diag_machine *machines;	/* s->nmachines */
	struct diag_job *jobs;		/* s->njobs */
	struct diag_finding *findings;	/* s->nfindings */
	struct diag_issue *issues;	/* ranked */
	size_t nissues;
	struct diag_counts totals;
	struct diag_private *priv;
};

/*
 * Diagnose a finished summary (summary_finish() done).  `cat` (may be
 * NULL) gives catalog entries for HRESULT reasons and the texts in
 * o->lang; o gives lang, as_of and stale_after_hours (o may be NULL:
 * English, newest record, 26 hours).  NULL on OOM.
 */
struct diagnosis *diagnose_new(const struct summary *s,
    const struct catalog *cat, const struct report_options *o);
void diagnose_free(struct diagnosis *d);		/* accepts NULL */

enum diag_text { DIAG_TITLE = 0, DIAG_CAUSE, DIAG_FIX };

/*
 * A finding's text in the diagnosis's language, looked up by id when the
 * report is written (so `merge --lang zh-CN` over English parts is all
 * Chinese): the catalog entry's text; for "hresult-0x..." ids the decoded
 * name (title) and the generic advice for uncatalogued codes; else the
 * text stored in the summary's first row with that id.  "" when the id is
 * unknown everywhere (never NULL).
 */
const char *diagnose_text(const struct diagnosis *d, const char *id,
    enum diag_text which);

/* The cause (DIAG_CAUSE) and fix (DIAG_FIX) given for an HRESULT the
 * catalog does not know, in `lang` (static; "" for DIAG_TITLE). */
const char *diagnose_unknown_hresult_text(enum diag_text which,
    enum cat_lang lang);

/* The issue of finding id `id`, or NULL. */
const struct diag_issue *diagnose_issue(const struct diagnosis *d,
    const char *id);

/* Index of the machine named `name` in summary.machines (== index into
 * d->machines), or SIZE_MAX. */
size_t diagnose_machine_index(const struct diagnosis *d, const char *name);

#endif
