/* SPDX-License-Identifier: MIT */
/*
 * split.h -- read one large plain errlog on several threads, in byte
 * ranges, with the result of reading it in one piece.
 *
 * split_plan() cuts a file into ranges of about `range_bytes`, each
 * starting at the beginning of a record line: never inside a UTF-16 code
 * unit, a line or a record with continuation lines, so no record spans two
 * ranges.  Only a regular file that source_walk_item() would read as one
 * plain entry is cut, and only one that analysis_read_entry() takes for an
 * errlog.  Ranges are then read on any threads, each with that thread's
 * analysis (split_read, which also folds every range whose predecessors
 * are in), and ended in the thread that read the last one (split_join):
 * see analysis_join_end() for what is joined across a cut.
 *
 * Ownership: the split keeps the file open and borrows the item, which
 * must outlive it.  split_read() on distinct ranges may run at once;
 * split_join() runs after every split_read() returned.
 */
#ifndef MARSLOG_SPLIT_H
#define MARSLOG_SPLIT_H

#include <stddef.h>
#include <stdint.h>

#include "analyzer/analysis.h"
#include "parsers/source.h"

struct split;

/* *out = the plan, or NULL when the item is read whole: not a plain
 * errlog, smaller than two ranges, beyond half a source limit (ranges
 * are not limited, and a live log may grow while it is read), `--year`
 * given
 * (the year of a record then depends on every record before it), or the
 * file cannot be opened (the whole read reports why).  Returns 0, -1 on
 * OOM. */
int split_plan(const struct source_item *item,
    const struct source_options *sopt, const struct analysis_options *aopt,
    uint64_t range_bytes, struct split **out);
size_t split_ranges(const struct split *sp);
/* The file offset where range k starts (k < split_ranges). */
uint64_t split_range_start(const struct split *sp, size_t k);
/* Read range k with `a` and fold what is ready.  0, -1 on OOM.  Ranges
 * must be handed out in order (each only after all before it), as a
 * range may wait for the ranges before it to be folded. */
int split_read(struct split *sp, size_t k, struct analysis *a);
/* Add the joined ranges to a's summary.  0, -1 on OOM. */
int split_join(struct split *sp, struct analysis *a);
void split_free(struct split *sp);			/* accepts NULL */

#endif
