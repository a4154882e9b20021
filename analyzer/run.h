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
};

/* Returns the finished summary, or NULL with a message in err (OOM, bad
 * text rule, no thread could start). */
struct summary *run_analysis(const struct catalog *cat,
    const struct run_options *opt, char *err, size_t errlen);

#endif
