/* SPDX-License-Identifier: MIT */
/*
 * history.h -- the fleet's history in a SQLite database (--history FILE):
 * every run recorded night after night, and the trends computed from it
 * (per machine a 30-day strip of backup outcomes, 7- and 30-day success
 * rates, "failing since", runs in a row in the current verdict; fleet-wide
 * daily success rates over 90 days and the machines whose verdict changed
 * in the last 7 days).
 *
 * The database (schema in README.md, "Fleet history"):
 *   - is marked as marslog's with PRAGMA application_id and versioned with
 *     PRAGMA user_version; an older schema is migrated forward in one
 *     transaction when opened for writing (a read leaves it as it is and
 *     reads it only if it is the current version);
 *   - holds one run per UTC day of the run's reference time: recording the
 *     same night again replaces that night's run, and jobs are upserted by
 *     machine and task GUID, so bundles that overlap from night to night
 *     never count a job twice;
 *   - is written in WAL mode, one transaction per run (BEGIN IMMEDIATE),
 *     with a busy timeout: an overlapping run waits for the other and then
 *     records its own, or fails with a clear message; a process killed at
 *     any point leaves the database as it was before its run;
 *   - is refused, never modified, when it is not SQLite, not marslog's, of
 *     a newer schema, or fails PRAGMA quick_check.
 *
 * Library code: never prints or exits; every failure returns -1 (or NULL)
 * with a one-line message naming the file in err.
 *
 * Ownership: a history handle owns its connection; a history_report owns
 * all its strings and arrays and does not refer to the database or the
 * summary once built.
 */
#ifndef MARSLOG_HISTORY_H
#define MARSLOG_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "reports/summary.h"

struct diagnosis;		/* reports/diagnose.h */

#define HISTORY_SCHEMA_VERSION 2	/* PRAGMA user_version */
#define HISTORY_APPLICATION_ID 0x4d4c4f47	/* PRAGMA application_id, "MLOG" */
#define HISTORY_STRIP_DAYS 30
#define HISTORY_CHART_DAYS 90
#define HISTORY_CHANGE_DAYS 7		/* "changed verdict this week" */
#define HISTORY_BUSY_MS 60000		/* default wait for another writer */

enum history_mode {
	HISTORY_READ = 0,	/* must exist and be the current schema */
	HISTORY_WRITE		/* created when missing, migrated forward */
};

struct history;

/*
 * Open the database at `path`.  busy_ms: how long to wait for another
 * process that holds the write lock (0: HISTORY_BUSY_MS).  NULL with a
 * reason in err: "PATH: not a marslog history database (...)",
 * "PATH: written by a newer marslog (schema 3; this one reads up to 2)",
 * "PATH: damaged database (...)", "PATH: busy: ...".
 */
struct history *history_open(const char *path, enum history_mode mode,
    int busy_ms, char *err, size_t errlen);
void history_close(struct history *h);			/* accepts NULL */

/* The schema version of the open database (after any migration). */
int history_schema_version(const struct history *h);

/* How one run is recorded, besides its summary and diagnosis. */
struct history_run {
	int64_t recorded;	/* ms; wall clock when recorded */
	const char *options;	/* the run's options as text, NULL: none */
};

/*
 * Record a finished summary and its diagnosis (reports/diagnose.h) as the
 * run of d->as_of's UTC day, in one transaction: the run (replacing an
 * earlier one of the same day) with its reference time and stale-after
 * hours, per machine its verdict, the finding behind it and its agent
 * version, every job with its reason upserted by (machine, task GUID) the
 * way summary_merge() combines jobs, and per machine the findings seen in
 * this run (the day's rows are replaced).  Returns 0, or -1 with a
 * message (nothing recorded; also when d->as_of is unknown).
 */
int history_record(struct history *h, const struct summary *s,
    const struct diagnosis *d, const struct history_run *run, char *err,
    size_t errlen);

/*
 * Keep the newest run's UTC day and the `days` days before it: remove
 * older runs, jobs that ended (else started) before, findings of older
 * days, and machines no longer referenced; then compact the file.  *removed (may be NULL) gets
 * the number of runs removed.  Returns 0 or -1 with a message.
 */
int history_prune(struct history *h, int days, uint64_t *removed, char *err,
    size_t errlen);

/* Outcome of one day in a machine's strip: the last backup job that ended
 * that day (a day with a failure and a later success shows the success). */
enum history_day {
	HISTORY_DAY_NONE = 0,	/* no backup job ended that day */
	HISTORY_DAY_OK,		/* succeeded */
	HISTORY_DAY_WARNINGS,	/* completed with warnings */
	HISTORY_DAY_FAILED,
	HISTORY_DAY_UNKNOWN	/* a job without a known outcome */
};
/* "succeeded", "completed-with-warnings", "failed", "unknown"; NULL for
 * HISTORY_DAY_NONE. */
const char *history_day_name(enum history_day d);
/* One letter per enum history_day: none, ok, warnings, failed, unknown. */
#define HISTORY_STRIP_LETTERS ".owX?"

struct history_machine {
	char *name;
	char *verdict;		/* in its latest run: failing, stale, ... */
	char *verdict_finding;	/* NULL: none */
	char *agent_version;	/* NULL: unknown */
	uint64_t verdict_runs;	/* runs in a row in that verdict (>= 1) */
	int64_t last_run;	/* ms; as_of of its latest run */
	unsigned char strip[HISTORY_STRIP_DAYS]; /* enum history_day, oldest
				 * first, the last is the report's day */
	/* Backup jobs with a known outcome that ended in the last 7 / 30
	 * days, and how many of them succeeded (with or without warnings). */
	uint64_t jobs7, ok7, jobs30, ok30;
	int64_t failing_since;	/* ms; end of the first failed backup after
				 * the last successful one, ML_TIME_NONE when
				 * the last one succeeded or none failed */
	/* The same as text, for writers: the strip as one letter a day
	 * (HISTORY_STRIP_LETTERS), the rates as "87.5%" or "-". */
	char strip_text[HISTORY_STRIP_DAYS + 1];
	char rate7[8], rate30[8];
};

struct history_rate {
	int64_t day;		/* ms, start of the UTC day */
	uint64_t jobs, ok;	/* backup jobs with a known outcome, and
				 * those that succeeded; over the fleet */
};

struct history_change {
	char *machine;
	char *before, *after;	/* verdicts */
	int64_t at;		/* ms; the first run with `after` */
};

struct history_report {
	int64_t as_of;		/* ms; the newest run considered */
	int64_t day;		/* ms, start of as_of's UTC day */
	int64_t first_run;	/* ms; the oldest run considered */
	uint64_t runs;		/* runs considered */
	struct history_machine *machines;	/* worst first: verdict
				 * (failing, stale, attention, unknown,
				 * healthy), runs in it (desc), name */
	size_t nmachines;
	struct history_rate daily[HISTORY_CHART_DAYS];	/* oldest first */
	/* The fleet over the last 30 and 90 days (sums of daily), and the
	 * rates as text ("87.5%", "-"). */
	uint64_t jobs30, ok30, jobs90, ok90;
	char rate30[8], rate90[8];
	struct history_change *changes;		/* by machine name */
	size_t nchanges;
};

/* What a report covers.  machine: only that machine (NULL: every machine
 * seen in a run of the last HISTORY_CHART_DAYS days).  since: ignore runs
 * and jobs before it (ML_TIME_NONE: all); since_ago (ms, 0: none): the
 * same, counted back from the newest run ("--since 30d"). */
struct history_query {
	const char *machine;
	int64_t since;
	int64_t since_ago;
};

/*
 * Compute the report from the database as of its newest run (within the
 * query).  NULL with a message on failure; a database without runs gives
 * a report with runs == 0 and no machines.
 */
struct history_report *history_report_new(struct history *h,
    const struct history_query *q, char *err, size_t errlen);
void history_report_free(struct history_report *r);	/* accepts NULL */

/* "YYYY-MM-DD", the UTC day of t (ms), into buf of at least 11 bytes;
 * "" for ML_TIME_NONE.  Returns buf. */
char *history_day_format(int64_t t, char *buf, size_t len);

/* ok / jobs as a percentage with one decimal, truncated ("87.5"); "-"
 * when jobs is 0.  buf of at least 8 bytes.  Returns buf. */
char *history_rate_format(uint64_t ok, uint64_t jobs, char *buf, size_t len);

#endif
