/* SPDX-License-Identifier: MIT */
/*
 * analysis.h -- turn the files of a bundle into a summary, in one
 * streaming pass.
 *
 * For each file the walker hands out, analysis_read_entry() decides its
 * kind (errlog, LastBackupFailedFiles list, other), decodes it, assembles
 * lines, parses records and classifies them, and folds everything into the
 * analysis's summary: findings per machine and catalog entry, backup jobs
 * by task GUID, failed files, templates of unknown warnings and errors,
 * the error timeline and one input row per file.  Only aggregates and one
 * sample per row are kept: memory grows with the number of distinct rows
 * (failed-file paths, jobs, codes; templates are capped per input), not
 * with the bytes read.
 *
 * One analysis per thread.  Summaries of several analyses merge
 * (summary_merge); analysis_finalize() then does what needs the whole
 * run: matching LastBackupFailedFiles lists to the jobs they belong to.
 *
 * Ownership: the catalog is borrowed and must outlive the analysis.
 */
#ifndef MARSLOG_ANALYSIS_H
#define MARSLOG_ANALYSIS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer/years.h"
#include "parsers/record.h"
#include "parsers/source.h"
#include "patterns/catalog.h"
#include "reports/summary.h"

/*
 * What the analysis made of one line, for `marslog show` and evidence: the
 * line after the --since/--until window, with the decision taken on it.
 * Spans are borrowed and valid only during the call.  A continuation line
 * repeats its record's time, level and task.
 */
struct analysis_line {
	const struct source_entry *e;	/* machine and path of the input */
	uint64_t line;			/* line number in the input */
	int64_t time;			/* ML_TIME_NONE if unknown */
	enum ml_level level;		/* ML_LEVEL_NONE for failed-files items */
	struct ml_span task;		/* task GUID, may be empty */
	struct ml_span message;		/* the decoded message */
	int continuation;		/* 1: belongs to the record before */
	const char *finding;		/* the finding id the line was counted
					 * for, or NULL */
	int milestone;			/* 1: a job milestone */
};

/*
 * A tap sees every line an analysis reads, in file order per input.
 * line() returns 0 to go on, 1 to stop reading (analysis_read_entry then
 * returns 1, which stops the walk), -1 on OOM.  entry_end() is called
 * once an input is read to its end (or stopped).  Without a tap (NULL) an
 * analysis pays one test per line.
 */
struct analysis_tap {
	int (*line)(void *arg, const struct analysis_line *l);
	int (*entry_end)(void *arg, const struct source_entry *e);
	void *arg;
};

struct gather_edges;

struct analysis_options {
	enum cat_lang lang;	/* language of catalog text in findings */
	int64_t since, until;	/* keep records in [since, until); NONE = open */
	int year;		/* --year for every machine, 0: from evidence */
	const struct year_option *years; /* --year [MACHINE=]YEAR (years.h) */
	size_t nyears;
	const struct years *plan; /* reference times decided from a first
				 * pass's evidence (years.h), or NULL */
	size_t max_line;	/* longer lines are cut (default 1 MiB) */
	int64_t now;		/* ms, reference time for inputs without a
				 * dated clue (stdin): --now, else the clock */
	atomic_uint_fast64_t *bytes_read; /* progress: bytes added per chunk */
	const struct analysis_tap *tap;	/* borrowed, NULL: none */
	struct redactor *redact;	/* --redact: every string that enters
					 * the summary goes through it (borrowed,
					 * shared by threads); NULL = none */
	int evidence;		/* 1: keep evidence in findings and failed
				 * jobs (analyzer/gather.h) */
};

void analysis_options_init(struct analysis_options *o);

struct analysis;

/* NULL with a message in err on failure (bad text rule, OOM). */
struct analysis *analysis_new(const struct catalog *cat,
    const struct analysis_options *opt, char *err, size_t errlen);
void analysis_free(struct analysis *a);			/* accepts NULL */

/* source_callbacks-compatible: read one entry into the summary.  Returns 0
 * (problems with the entry are recorded in its input row, not returned),
 * 1 when the tap stopped the reading, -1 on OOM. */
int analysis_read_entry(void *a, const struct source_entry *e,
    struct source_stream *s);
/* source_callbacks-compatible: record an input that was not read. */
int analysis_skip(void *a, const struct source_entry *e,
    enum source_skip kind, const char *why);

/* What analysis_read_entry() makes of an entry named `name` that starts
 * with the n bytes at `head`: its kind, its encoding and the length of its
 * byte order mark.  analysis_read_entry() looks at the stream's first
 * chunk, or its first 4 KiB if that chunk is shorter. */
void analysis_sniff(const char *name, const unsigned char *head, size_t n,
    enum input_kind *kind, enum text_encoding *enc, size_t *bom);

/*
 * One large plain errlog can be read in byte ranges on several threads
 * (analyzer/split.c).  Every range must start at the beginning of a record
 * line (the first after the byte order mark).  analysis_read_range() reads
 * one into a summary of its own, returned to the caller (NULL on OOM), and
 * fills the rest of *r; job task times go to the analysis as usual.
 *
 * A join folds the parts in file order, each as soon as the ones before
 * it are in, so parts do not pile up: analysis_join_add() takes the part
 * (frees it or keeps it) and what it needs of *r.  analysis_join_end()
 * then adds the whole to the analysis's summary as the one input `e`,
 * with what reading it in one piece gives: sample line numbers counted
 * from the file's start, the agent version of its first records, the
 * first templates up to the per-input cap, one input row.  0, -1 on OOM.
 *
 * The template cap needs one thing from before a cut: a range that has
 * met twice as many distinct templates as the cap must still count those
 * that the ranges before it kept.  It asks r->kept(r->arg, machine, text)
 * then (the caller answers with analysis_join_kept() once every range
 * before it is folded, which may mean waiting for them).
 */
struct analysis_range {
	enum text_encoding enc;		/* in: the file's (analysis_sniff) */
	int (*kept)(void *arg, const char *machine, const char *text);
	void *arg;			/* in: for kept; kept may be NULL */
	uint64_t bytes, lines, records;	/* out: this range's */
	unsigned forms;			/* out: ERRLOG_FORM_* of its records */
	uint64_t unparsed, lines_cut, replacements;
	char *version;			/* agent version found, or NULL */
	int64_t version_time;
	uint64_t version_record;	/* its record number in the range */
	uint64_t outside;		/* records outside --since/--until */
	int64_t first_time, last_time;	/* first and last record (file order) */
	int64_t clue_time;		/* summary_input.clue_time, or NONE */
	char *error;			/* the stream's error, or NULL */
	struct gather_edges *edges;	/* with evidence: the range's first
					 * and last lines, else NULL */
};

struct summary *analysis_read_range(struct analysis *a,
    const struct source_entry *e, struct source_stream *s,
    struct analysis_range *r);
/* Free what *r holds (version, error, edges). */
void analysis_range_release(struct analysis_range *r);

struct analysis_join;

struct analysis_join *analysis_join_new(void);		/* NULL on OOM */
int analysis_join_add(struct analysis_join *j, struct summary *part,
    struct analysis_range *r);
/* 1 if the ranges folded so far keep the template (machine, text). */
int analysis_join_kept(const struct analysis_join *j, const char *machine,
    const char *text);
int analysis_join_end(struct analysis *a, const struct source_entry *e,
    struct analysis_join *j);
void analysis_join_free(struct analysis_join *j);	/* accepts NULL */

/* The summary built so far (owned by the analysis). */
struct summary *analysis_summary(struct analysis *a);
/* Hand the summary over to the caller (who frees it); the analysis starts
 * a new empty one.  NULL on OOM. */
struct summary *analysis_take_summary(struct analysis *a);

/*
 * Combine src's task times (first and last line of every task GUID) into
 * dst, after the summaries of several analyses of one run were merged.
 * Returns 0, -1 on OOM.
 */
int analysis_merge_tasks(struct analysis *dst, const struct analysis *src);

/*
 * Run-wide steps on the merged summary of a whole run, then
 * summary_finish(): every job spans the first to the last line of its task
 * GUID (task times of `a`, which holds those of the whole run, see
 * analysis_merge_tasks; NULL to skip); each LastBackupFailedFiles list is
 * matched to the backup job of the same machine that ended last before
 * the list was written (within a day); that job's failed_files grows by
 * the list's items and a succeeded job becomes completed-with-warnings.
 */
void analysis_finalize(const struct analysis *a, struct summary *s);

#endif
