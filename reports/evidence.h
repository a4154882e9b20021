/* SPDX-License-Identifier: MIT */
/*
 * evidence.h -- the log lines behind a finding or a failed job, as kept
 * in the summary: a few occurrences, each the line that was counted (or
 * the job's failure line) with the records around it.
 *
 * Bounds: a finding keeps its EVIDENCE_FINDING_MAX latest occurrences and
 * a job its latest failure; an occurrence holds at most
 * EVIDENCE_LINES_MAX lines of at most EVIDENCE_TEXT_MAX bytes each (cut
 * on a character boundary).  So evidence adds at most about 45 KiB per
 * finding, whatever the input size.
 *
 * Order: occurrences sort by (time, unknown times first, path, line);
 * the latest are kept, shown oldest first.  Keeping the latest is
 * associative and commutative, so a merged summary keeps the same
 * occurrences as one run over all the inputs.
 *
 * Ownership: an evidence set owns its occurrences, which own their lines
 * and strings.  Functions that take an occurrence take ownership of it,
 * whatever they return.
 */
#ifndef MARSLOG_EVIDENCE_H
#define MARSLOG_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include "parsers/record.h"

#define EVIDENCE_FINDING_MAX	5	/* occurrences per finding */
#define EVIDENCE_JOB_MAX	1	/* occurrences per failed job */
#define EVIDENCE_LINES_MAX	16	/* lines per occurrence */
#define EVIDENCE_TEXT_MAX	512	/* bytes of a message kept */
#define EVIDENCE_FINDING_BEFORE	2	/* context records of a finding */
#define EVIDENCE_FINDING_AFTER	2
#define EVIDENCE_JOB_BEFORE	5	/* records before a job's failure */
#define EVIDENCE_JOB_AFTER	0

/* Occurrence flags while an input is read in ranges (analyzer/split.c):
 * context still to come from the range before or after.  0 in a summary
 * that is finished or read back from JSON (never written). */
#define EVIDENCE_OPEN_BEFORE	1u
#define EVIDENCE_OPEN_AFTER	2u

struct evidence_line {
	uint64_t line;			/* in the input */
	int64_t time;			/* ML_TIME_NONE if unknown */
	enum ml_level level;		/* ML_LEVEL_NONE: no level word */
	int match;			/* 1: the line counted */
	int continuation;		/* 1: belongs to the record before */
	char *message;			/* cut at EVIDENCE_TEXT_MAX bytes */
};

struct evidence_occurrence {
	char *path;			/* the input, layers joined with '!':
					 * shared, see evidence_path_new() */
	uint64_t line;			/* of the matching line */
	int64_t time;
	struct evidence_line *lines;	/* file order */
	size_t nlines;
	unsigned open;			/* EVIDENCE_OPEN_*, see above */
	int after_left;			/* OPEN_AFTER: records still wanted */
	unsigned raw;			/* --redact: lines not yet redacted;
					 * only while analyzer/gather.c reads
					 * an input, 0 in any finished
					 * summary */
};

struct evidence_set {
	struct evidence_occurrence *occ;	/* sorted, oldest first */
	size_t n;
};

/*
 * What a report shows: the occurrences of failed jobs (in the summary's
 * order), then of findings (errors first), at most EVIDENCE_REPORT_MAX
 * occurrences in all, so at most EVIDENCE_REPORT_MAX * EVIDENCE_LINES_MAX
 * rows of at most EVIDENCE_TEXT_MAX bytes: under 2 MB of HTML for any
 * fleet.  Decided here once; the HTML and XLSX writers only lay it out.
 */
#define EVIDENCE_REPORT_MAX	200

struct summary;

struct evidence_row {
	const char *machine;
	const char *ref;		/* finding id or job task GUID */
	int job;			/* 1: a failed job's */
	size_t occurrence;		/* its number in the report, from 0 */
	const struct evidence_occurrence *occ;
	const struct evidence_line *line;
};

/* Call fn for every line the report shows, in order.  Returns the
 * number of occurrences left out by the report's bound. */
size_t evidence_report_each(const struct summary *s,
    void (*fn)(void *arg, const struct evidence_row *r), void *arg);

/*
 * An occurrence's path is shared by reference count: every occurrence of
 * one input points at one copy, so memory follows rows, not rows times
 * the length of a path (an archive entry name can be 4 KiB).
 * evidence_path_new() makes a copy with one reference (NULL on OOM),
 * evidence_path_ref() adds one and returns p, evidence_path_unref() drops
 * one and frees at the last (accepts NULL).  Counts are atomic: summaries
 * merge on any thread.
 */
char *evidence_path_new(const char *path);
char *evidence_path_ref(char *p);
void evidence_path_unref(char *p);

/* Free an occurrence's contents (the struct itself is the caller's). */
void evidence_occurrence_release(struct evidence_occurrence *o);
/* Free a set's occurrences; the set is then empty. */
void evidence_set_release(struct evidence_set *s);

/*
 * Add `o` (taken over, contents moved) to the set, keeping the `max`
 * latest; an occurrence at the same path and line as one in the set
 * replaces it only if it has no open context.  -1 on OOM (o released).
 */
int evidence_set_offer(struct evidence_set *s, size_t max,
    struct evidence_occurrence *o);

/* Copy src's occurrences into dst as evidence_set_offer() does.  -1 on
 * OOM. */
int evidence_set_merge(struct evidence_set *dst, const struct evidence_set *src,
    size_t max);

/* Fill *dst with a line whose message is msg (n bytes, copied and cut at
 * EVIDENCE_TEXT_MAX on a character boundary); match is 0.  -1 on OOM. */
int evidence_line_set(struct evidence_line *dst, uint64_t line, int64_t time,
    enum ml_level level, int continuation, const char *msg, size_t n);

#endif
