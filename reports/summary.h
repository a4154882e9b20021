/* SPDX-License-Identifier: MIT */
/*
 * summary.h -- the one result of an analysis, and the data contract
 * between the analyzer (which fills it) and the report writers (which only
 * read it).  It serialises to the JSON of reports/summary-json.md
 * (reports/json.h; every field is declared once in summary_fields.def,
 * which the writer, the reader and the merge follow) and merges: a fleet report, a --jobs N run and a
 * distributed run are all merges of summaries.
 *
 * Building: the *_get functions find or add the item with the given key
 * (machine + id, machine + task, ...) in O(1) and return a pointer that
 * stays valid until the next *_get/_add call of the same kind (which may
 * move that kind's array) or summary_finish() (which sorts it).
 * Reading: after summary_finish() the arrays are sorted deterministically
 * (orders below) and the totals and per-machine rollups are computed.
 * Further *_get calls are allowed after summary_finish() (merge does
 * them); call summary_finish() again before reading.
 *
 * Ownership: the summary owns every string in it; *_get copies keys and
 * summary_set_str() copies values.  All text is valid UTF-8.  Key fields
 * (machine names, ids, task ids, paths, failed-file codes, template texts,
 * bucket hours) are read-only: machine names and failed-file codes are
 * interned, shared by every item that uses them, and the index hashes the
 * keys.  Set the other string fields with summary_set_str() only.
 */
#ifndef MARSLOG_SUMMARY_H
#define MARSLOG_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "parsers/decode.h"
#include "reports/evidence.h"
#include "patterns/catalog.h"

#define SUMMARY_SCHEMA "marslog-summary/1"

enum input_kind { INPUT_ERRLOG = 0, INPUT_FAILED_FILES, INPUT_OTHER };
enum input_status { INPUT_OK = 0, INPUT_PARTIAL, INPUT_SKIPPED };
enum job_kind { JOB_BACKUP = 0, JOB_RESTORE, JOB_OTHER };
enum job_outcome {
	JOB_UNKNOWN = 0,
	JOB_SUCCEEDED,
	JOB_WARNINGS,		/* "completed-with-warnings" */
	JOB_FAILED
};

/* Where an input's year came from (summary-json.md, inputs[].year_source),
 * strongest first. */
enum year_source {
	YEAR_NONE = 0,		/* no record, no year */
	YEAR_OPTION,		/* --year */
	YEAR_MESSAGE,		/* a date with a year inside its messages */
	YEAR_CRASH_NAME,	/* the time in a .Crash file name */
	YEAR_FAILED_NAME,	/* the _M_D_YYYY of a LastBackupFailedFiles name */
	YEAR_ENTRY_TIME,	/* its archive entry time */
	YEAR_FILE_TIME,		/* its file time */
	YEAR_MACHINE,		/* the clues of the machine's other inputs */
	YEAR_CLOCK		/* the wall clock (or --now): stdin */
};
enum mtime_kind { MTIME_NONE = 0, MTIME_FILE, MTIME_ENTRY };

/* JSON names: "errlog", "ok", "backup", "completed-with-warnings", ... */
const char *input_kind_name(enum input_kind k);
const char *input_status_name(enum input_status s);
const char *job_kind_name(enum job_kind k);
const char *job_outcome_name(enum job_outcome o);
const char *year_source_name(enum year_source y);	/* NULL for NONE */
struct summary_input;
/* "2024 (failed-files-name)", "-" when the input has no year; into buf. */
char *summary_input_year_text(const struct summary_input *in, char *buf,
    size_t len);
/* Reverse lookups for the JSON reader: return -1 if unknown. */
int input_kind_from_name(const char *s);
int input_status_from_name(const char *s);
int job_kind_from_name(const char *s);
int job_outcome_from_name(const char *s);
int year_source_from_name(const char *s);
int text_encoding_from_name(const char *s);
int cat_level_from_name(const char *s);

struct summary_totals {
	uint64_t inputs, inputs_skipped, bytes, records, unparsed_lines;
	uint64_t findings, errors, warnings, jobs, jobs_failed, failed_files;
};

struct summary_machine {
	char *name;
	uint64_t inputs, inputs_skipped, records, errors, warnings;
	uint64_t jobs, jobs_failed, failed_files;
	char *agent_version;		/* NULL: unknown */
	int64_t agent_version_time;	/* when it was seen (merge keeps the latest) */
	int64_t first_seen, last_seen;	/* time span of its records */
	uint64_t records_outside;	/* records left out by --since/--until */
	int64_t newest_record;		/* newest record time, inside the
					 * window or not; NONE: unknown */
	/*
	 * Rollup, computed by summary_finish() from the jobs.  The string
	 * points at a string owned elsewhere in the summary (the job's
	 * task_id, or interned): never free or set it.  The machine's most
	 * important finding is reports/diagnose.h's to say.  The last job is the one with the latest end (its start while
	 * the end is unknown), ties by task_id.
	 */
	char *last_job_task;		/* NULL: no job */
	enum job_outcome last_job_outcome;
	int64_t last_job_end;
	int64_t last_success;		/* latest end of a succeeded or
					 * completed-with-warnings job, or NONE */
};

struct summary_input {
	char *machine;
	char *path;			/* layers joined with '!' */
	enum input_kind kind;
	enum text_encoding encoding;
	char *form;			/* errlog_forms_format() of its records:
					 * "tab", "spaces+findstr", ...; NULL:
					 * not an errlog or no record */
	uint64_t bytes, records, unparsed_lines;
	uint64_t lines_cut, replacements;
	enum input_status status;
	char *warning;			/* NULL: none */
	int64_t mtime;			/* entry mtime (ms) or NONE; for a
					 * failed-files list, when it was written */
	int year;			/* year of its first record (of a
					 * failed-files list: when written), 0 */
	enum year_source year_source;	/* where that year came from */
	/* Evidence for the year (analyzer/years.h), not in the JSON: */
	enum mtime_kind mtime_kind;	/* what mtime is */
	int64_t first_time, last_time;	/* first and last record in file
					 * order, inside the window or not */
	int64_t clue_time;		/* a record whose message carries a
					 * date with a year: its time under
					 * that year; NONE */
};

/* A sample message keeps at most this many bytes (whole characters): the
 * analyzer keeps 2 KiB, this bounds what a merged summary can bring. */
#define SUMMARY_SAMPLE_MAX ((size_t)64 << 10)

struct summary_sample {
	char *path;			/* input path (pooled); NULL: no sample */
	uint64_t line;
	char *message;
	int64_t time;
};

struct summary_finding {
	char *machine, *id;
	char *code;			/* normalised, NULL if none */
	enum cat_level level;
	char *category, *title, *cause, *remediation, *doc_url;
	uint64_t count;
	int64_t first_seen, last_seen;
	struct summary_sample sample;	/* earliest occurrence */
	struct evidence_set evidence;	/* latest occurrences with context,
					 * when collected (evidence.h) */
};

struct summary_job {
	char *machine, *task_id;
	enum job_kind kind;
	int64_t start, end;
	enum job_outcome outcome;
	int64_t outcome_time;		/* time of the line that set outcome */
	char *hresult;			/* "0x80780054", NULL if none */
	uint64_t failed_files;
	/*
	 * The catalog entries of error (task_error) and warning
	 * (task_warning) level last seen on lines of the job's task GUID,
	 * whatever file, thread or range they came from, with the time of
	 * that line; NULL and ML_TIME_NONE if none.  Interned (read-only).
	 * Merge keeps the later (ties: the larger id).  reports/diagnose.h
	 * makes the job's reason of them.
	 */
	char *task_error, *task_warning;
	int64_t task_error_time, task_warning_time;
	struct evidence_set evidence;	/* a failed job: its failure line
					 * and the records before it */
};

struct summary_failed_file {
	char *machine, *path;
	char *code;			/* NULL if the line had none */
	uint64_t count;
};

/* Unknown WARNING-and-above messages grouped by their masked text. */
struct summary_template {
	char *machine, *text;
	enum cat_level level;		/* highest level seen */
	uint64_t count;
	int64_t first_seen, last_seen;
	struct summary_sample sample;
};

/* Errors and warnings per machine per hour, for the timeline charts. */
struct summary_bucket {
	char *machine;
	int64_t hour;			/* ms, start of the UTC hour */
	uint64_t errors, warnings;
};

struct summary {
	char *generator;		/* "marslog 0.1.0" */
	struct summary_totals totals;
	struct summary_machine *machines;	size_t nmachines;
	struct summary_input *inputs;		size_t ninputs;
	struct summary_finding *findings;	size_t nfindings;
	struct summary_job *jobs;		size_t njobs;
	struct summary_failed_file *failed_files; size_t nfailed_files;
	struct summary_template *templates;	size_t ntemplates;
	struct summary_bucket *timeline;	size_t ntimeline;
	uint64_t templates_dropped;	/* beyond the per-machine cap */
	char *redaction;		/* --redact key id; NULL: not redacted */
	struct summary_index *index;	/* private: lookup tables */
};

/*
 * Sort orders (ties broken by every remaining key, so output never
 * depends on insertion order):
 *   machines     name
 *   inputs       path, machine, then every other field
 *   findings     level (error first), count desc, id, machine
 *   jobs         start (unknown last), machine, task_id
 *   failed_files count desc, path, machine, code
 *   templates    count desc, text, machine
 *   timeline     machine, hour
 */

/* a + b, or UINT64_MAX when that does not fit: every count that adds up
 * (merge, rollups, totals) saturates instead of wrapping, so a hostile
 * 2^64-1 in an input summary stays "at least that many", never 1. */
static inline uint64_t
summary_count_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

struct summary *summary_new(void);			/* NULL on OOM */
void summary_free(struct summary *s);			/* accepts NULL */

/* Replace *dst with a copy of src (NULL allowed).  Returns -1 on OOM. */
int summary_set_str(char **dst, const char *src);

/* Find or add.  *created (may be NULL) is set to 1 when the item is new;
 * a new item has its key fields set, counts 0, times ML_TIME_NONE, levels
 * CAT_LEVEL_INFO, job kind JOB_OTHER, outcome JOB_UNKNOWN, no sample.
 * NULL on OOM. */
struct summary_machine *summary_machine_get(struct summary *s,
    const char *name, int *created);
struct summary_finding *summary_finding_get(struct summary *s,
    const char *machine, const char *id, int *created);
struct summary_job *summary_job_get(struct summary *s, const char *machine,
    const char *task_id, int *created);
struct summary_failed_file *summary_failed_file_get(struct summary *s,
    const char *machine, const char *path, const char *code, int *created);
struct summary_template *summary_template_get(struct summary *s,
    const char *machine, const char *text, int *created);
/* Lookup without adding: NULL if there is no such template. */
struct summary_template *summary_template_find(struct summary *s,
    const char *machine, const char *text);
/* Hour bucket of the timeline (hour: ms at the start of a UTC hour). */
struct summary_bucket *summary_bucket_get(struct summary *s,
    const char *machine, int64_t hour, int *created);
/* The first finding (in array order) whose code is `code`; NULL if none
 * or code is NULL.  A linear scan: for writers, not per-line work. */
const struct summary_finding *summary_finding_by_code(const struct summary *s,
    const char *code);
/* Inputs are never merged by key: always adds (kind INPUT_OTHER, encoding
 * TEXT_UNKNOWN, status INPUT_OK, mtime NONE). */
struct summary_input *summary_input_add(struct summary *s,
    const char *machine, const char *path);
/* Adds n errors or warnings (by level) to the machine's hour bucket; an
 * unknown time or CAT_LEVEL_INFO adds nothing.  -1 on OOM. */
int summary_timeline_add(struct summary *s, const char *machine,
    int64_t time, enum cat_level level, uint64_t n);

/* The summary's interned copy of `str` (NULL for NULL), valid until
 * summary_free(); for read-only strings such as the machine rollups.
 * NULL with *oom set on OOM. */
char *summary_intern(struct summary *s, const char *str, int *oom);

/* Keep the earlier of two samples (dst belongs to s): time (ML_TIME_NONE
 * after real times), then path, then line, then message; path NULL means
 * "no sample" and loses to any sample (offering one is a no-op).  The
 * path is interned in s (one copy per input, however many rows sample
 * it); the message is copied, cut to SUMMARY_SAMPLE_MAX bytes.  -1 on
 * OOM. */
int summary_sample_offer(struct summary *s, struct summary_sample *dst,
    const char *path, uint64_t line, const char *message, int64_t time);

/*
 * Merge src into dst (src != dst): counts add, first/last seen widen
 * (ignoring NONE), samples keep the earliest, evidence the latest
 * occurrences (evidence.h), inputs append.  Findings and
 * templates take the higher level; their descriptive strings (code,
 * title, ...) should agree and the smaller one is kept if they do not.
 * Jobs combine by (machine, task): start min, end max, a known kind over
 * JOB_OTHER, outcome and hresult from the later outcome_time (ties: the
 * worse outcome, failed > warnings > succeeded > unknown, then the larger
 * hresult), failed_files add.  Machines: counters add, agent_version from
 * the later agent_version_time (ties: the larger string).  generator: the
 * larger string.  Associative and commutative after summary_finish().
 * Returns 0, -1 on OOM (dst is then partly merged: free it).
 */
int summary_merge(struct summary *dst, const struct summary *src);

/*
 * Joins src, the part of one input that follows dst in file order, into
 * dst as reading the input in one piece would: summary_merge(), except
 * that a template new to dst is added only while dst holds fewer than
 * max_templates (SIZE_MAX: no cap) templates (the occurrences of the
 * others are counted in dst->templates_dropped), and a job dst has keeps
 * its kind (the first milestone's).  Not commutative.
 */
int summary_merge_capped(struct summary *dst, const struct summary *src,
    size_t max_templates);

/*
 * Compute totals and machine rollups, sort every array.  The analyzer
 * counts per machine: inputs, inputs_skipped, records, errors, warnings,
 * first/last_seen, agent_version.  summary_finish() derives the rest:
 * machine jobs, jobs_failed, failed_files and the last-job fields from the
 * arrays, and every total: inputs, inputs_skipped, records, errors and
 * warnings are sums over machines; bytes and unparsed_lines sums over
 * inputs; findings and jobs the number of rows; jobs_failed the failed
 * jobs; failed_files the sum of failed_files counts.  Items of a machine
 * without a machine row count in the totals but in no rollup.  Idempotent;
 * cannot fail (it allocates nothing).
 */
void summary_finish(struct summary *s);

#endif
