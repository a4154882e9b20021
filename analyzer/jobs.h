/* SPDX-License-Identifier: MIT */
/*
 * jobs.h -- backup and restore jobs rebuilt from their task GUIDs.
 *
 * One job is one task GUID.  "Backup Progress: <step>" milestones (and
 * the restore and offline variants) create the job and set its outcome;
 * the failing HRESULT is the one on the "Progress: Failed" line, or else
 * on the last WARNING-or-worse line of the same task before it.  The job
 * spans every line of its task, including lines before the first
 * milestone and lines in other files; those times are kept per task and
 * applied once the whole run is known (job_tracker_apply), so that the
 * result does not depend on the order in which files were read.  So is
 * the last catalog entry of error and of warning level seen on each task
 * (summary_job.task_error, task_warning): the job's reason, whichever
 * thread of the agent logged it.
 *
 * Ownership: the tracker copies what it keeps.  Memory grows with the
 * number of distinct task GUIDs (capped), not with the input size.
 */
#ifndef MARSLOG_JOBS_H
#define MARSLOG_JOBS_H

#include "parsers/errlog.h"
#include "patterns/classify.h"
#include "reports/summary.h"

struct job_tracker;

struct job_tracker *job_tracker_new(void);		/* NULL on OOM */
void job_tracker_free(struct job_tracker *t);		/* accepts NULL */

/* Forget per-file caches; call when a new input starts or the summary
 * the tracker writes to changes. */
void job_tracker_reset(struct job_tracker *t);

/*
 * Account one errlog record of `machine`; `c` is its classification or
 * NULL.  Milestones go to the summary's jobs.  Returns 2 if the record is
 * a job's failure milestone ("Backup Progress: Failed"), 1 if it is
 * another milestone, 0 if not, -1 on OOM.
 */
int job_tracker_record(struct job_tracker *t, struct summary *s,
    const char *machine, const struct errlog_record *r,
    const struct classification *c);

/* Add src's task times to dst (partial runs on several threads).  -1 on
 * OOM. */
int job_tracker_merge(struct job_tracker *dst, const struct job_tracker *src);

/*
 * Whole-run steps, before summary_finish(): widen every job to the first
 * and last line of its task (t may be NULL), then match each
 * LastBackupFailedFiles list to the backup job of the same machine that
 * ended last before the list was written (within a day): the job's
 * failed_files grows by the list's items and a succeeded job becomes
 * completed-with-warnings.
 */
void job_tracker_apply(const struct job_tracker *t, struct summary *s);

#endif
