/* SPDX-License-Identifier: MIT */
/*
 * run.h -- analyse a set of inputs with N worker threads and return one
 * finished summary.
 *
 * The inputs are expanded into items (files and archives) first; workers
 * take items in order, each with its own analysis, and the partial
 * summaries are merged at the end.  A large plain log is cut into ranges
 * (split.h) that any worker takes next, before a new item; the worker
 * that reads its last range joins them.  Merging is order-independent, so
 * the result is the same for any number of threads.  Progress (files, bytes,
 * rate, ETA) goes to `progress` when it is not NULL; the caller passes
 * stderr only when it is a terminal.
 *
 * Up to three passes: the first reads with each input's own year clues;
 * when the evidence of all (years.h) chooses other years for some input,
 * or a relative window needs the newest record as its reference, the
 * inputs are read again.  Standard input cannot be read twice: with "-"
 * the first pass is the last (and a relative window needs --now).
 */
#ifndef MARSLOG_RUN_H
#define MARSLOG_RUN_H

#include <stdio.h>

#include "analyzer/analysis.h"
#include "parsers/source.h"
#include "patterns/catalog.h"
#include "reports/summary.h"

struct run_options {
	const char *const *paths;
	size_t npaths;
	struct source_options source;
	struct analysis_options analysis;
	int jobs;		/* worker threads, >= 1 */
	uint64_t split_bytes;	/* range size for one large file, 0: never
				 * split (and never with jobs 1) */
	FILE *progress;		/* NULL: no progress meter */
	/*
	 * Time.  `reference` is the run's reference time: --now, or 0 or
	 * ML_TIME_NONE for the newest record of the run (inside the window
	 * or not).  A relative --since/--until (7d) is since_ago/until_ago
	 * ms before it (0: not relative; analysis.since/until hold the
	 * absolute bounds).  With `years` (years.h), every errlog input's
	 * year is chosen from the evidence of a first pass.
	 */
	int64_t reference;
	int64_t since_ago, until_ago;
	struct years *years;	/* NULL: each input's own clues only */
	int64_t *reference_out;	/* NULL, or gets the reference time used */
	int64_t *window_out;	/* NULL, or gets [since, until] used */
};


/* Returns the finished summary, or NULL with a message in err (OOM, bad
 * text rule, no thread could start). */
struct summary *run_analysis(const struct catalog *cat,
    const struct run_options *opt, char *err, size_t errlen);

#endif
