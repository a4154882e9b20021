/* SPDX-License-Identifier: MIT */
/*
 * gather.h -- collect evidence while an input is read: for every line a
 * finding is counted on, and every "Backup Progress: Failed" line, the
 * records around it (reports/evidence.h), kept in the summary's finding
 * or job.
 *
 * Context is counted in records: a record is a line with its
 * continuation lines.  A finding's occurrence holds the match, its
 * continuations, EVIDENCE_FINDING_BEFORE records before and
 * EVIDENCE_FINDING_AFTER after; a failed job's holds the failure line and
 * EVIDENCE_JOB_BEFORE records before it.  At most GATHER_BEFORE_LINES
 * lines before and GATHER_AFTER_LINES after a match.
 *
 * Memory is fixed per gatherer: a ring of the last GATHER_RING lines
 * (each cut at EVIDENCE_TEXT_MAX bytes) for the context before, plus the
 * occurrences still waiting for their context after (each waits at most
 * GATHER_AFTER_LINES lines, so a few at a time).
 *
 * Ranges (analyzer/split.c): an input read in ranges gives each range's
 * first GATHER_AFTER_LINES and last GATHER_BEFORE_LINES lines (its edges); occurrences near a cut are
 * left open (EVIDENCE_OPEN_*) and gather_join() completes them from the
 * neighbouring range when the ranges are joined in file order, so the
 * evidence is the same as reading the input whole, for any --jobs.
 *
 * Ownership: the gatherer borrows the summary and the line it is given;
 * everything it keeps is copied.  One gatherer per analysis (thread).
 */
#ifndef MARSLOG_GATHER_H
#define MARSLOG_GATHER_H

#include "analyzer/analysis.h"
#include "reports/evidence.h"
#include "reports/summary.h"

#define GATHER_BEFORE_LINES	7	/* at most, before a match */
#define GATHER_AFTER_LINES	8	/* at most, after a match */
#define GATHER_RING		GATHER_BEFORE_LINES /* lines remembered */

/* A range's first and last lines, and how many lines it had. */
struct gather_edges {
	struct evidence_line *head, *tail;
	size_t nhead, ntail;
	uint64_t lines;
};

void gather_edges_release(struct gather_edges *e);

struct gather;

struct gather *gather_new(void);			/* NULL on OOM */
/* With --redact: lines are gathered as read and fn makes each message
 * that enters the summary or the edges into what may be shown, once
 * (returns a buffer valid until its next call and sets *n, or NULL on
 * OOM).  Only kept lines pay for it: occurrences are redacted by
 * gather_end(), when each set holds only the few it keeps, and fn is
 * called then with the input's machine still current. */
void gather_set_redact(struct gather *g,
    const char *(*fn)(void *arg, const char *s, size_t *n), void *arg);
void gather_free(struct gather *g);			/* accepts NULL */

/* A new input starts (range: 1 when it is a range of an input). */
void gather_begin(struct gather *g, int range);

/*
 * One line of the input, in file order (the lines an analysis tap sees).
 * `failed`: the line is a job's failure milestone (its job row is in s).
 * Returns 0, -1 on OOM.
 */
int gather_line(struct gather *g, struct summary *s,
    const struct analysis_line *l, int failed);

/* The input ends: every occurrence goes to s (in a range, still open
 * where its context lies beyond the range); a range's edges go to
 * *edges (NULL for a whole input).  0, -1 on OOM. */
int gather_end(struct gather *g, struct summary *s, struct gather_edges *edges);

/*
 * Join the range `part` (its summary and edges, line numbers already
 * counted from the file's start, shifted by the caller) after `acc` (the
 * ranges before it, whose edges are *acc_edges; empty for the first):
 * acc's occurrences waiting for context after get part's first lines,
 * part's occurrences waiting for context before get acc's last lines, and
 * *acc_edges take part's.  Call before merging part into acc.  0, -1 on
 * OOM.
 */
int gather_join(struct gather_edges *acc_edges, struct summary *acc,
    struct gather_edges *part_edges, struct summary *part);

/* The last range is in: close every occurrence still open in s. */
void gather_close(struct summary *s);

/* Add `lines` to the line numbers of s's evidence and of *e (may be
 * NULL): a range counts its lines from its own start. */
void gather_shift(struct summary *s, struct gather_edges *e, uint64_t lines);

#endif
