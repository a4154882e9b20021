/* SPDX-License-Identifier: MIT */
/*
 * show.h -- `marslog show WHAT PATH...`: the log records behind a
 * finding, a code, a backup job or a pattern.
 *
 * show is an analysis tap (analysis.h): the inputs are read by the one
 * pipeline (source, decode, lines, errlog, classify) and every line comes
 * with what the analysis decided on it, so the records shown for a
 * finding are exactly the lines the analysis counted for it.
 *
 * Modes:
 *   SHOW_FINDING  lines counted for one finding id (a catalog entry id,
 *                 or "hresult-0x8007052E"); a code in any form `explain`
 *                 accepts resolves to its entry's id
 *   SHOW_TASK     every line of one task GUID, across all inputs, printed
 *                 at the end in time order with the job milestones marked
 *   SHOW_GREP     lines whose decoded message matches a PCRE2 pattern
 * In the first and last mode the output is streamed in file order, with
 * -B/-A context counted in records as grep does (a record is its first
 * line and its continuation lines, which are always printed with it);
 * groups that are not adjacent are separated by "--".
 *
 * Output: one line per log line (mark, machine, path!inner:line, time,
 * level, message cleaned for the terminal; the match in colour when
 * `color`), or with `json` one JSON object per line (NDJSON).
 *
 * Memory: context lines are copied into a ring of (before + 1) * 8 lines
 * of at most SHOW_CONTEXT_MAX bytes each; SHOW_TASK keeps the job's lines
 * (at most SHOW_TASK_MAX bytes each) until the end.
 *
 * Ownership: options are copied; strings in them are borrowed and must
 * outlive the show.  Writes only to `out`.
 */
#ifndef MARSLOG_SHOW_H
#define MARSLOG_SHOW_H

#include <stdint.h>
#include <stdio.h>

#include "analyzer/analysis.h"
#include "patterns/catalog.h"

#define SHOW_CONTEXT_MAX	4096	/* bytes of a context line kept */
#define SHOW_TASK_MAX		65536	/* bytes of a job line kept */

enum show_mode { SHOW_FINDING = 0, SHOW_TASK, SHOW_GREP };

struct show_options {
	enum show_mode mode;
	const char *what;	/* finding id, task GUID (no braces) or pattern */
	const struct catalog_entry *entry; /* SHOW_FINDING: its codes are
				 * highlighted; NULL for hresult-* ids */
	const char *code;	/* SHOW_FINDING: the code asked for, or NULL */
	int before, after;	/* context records */
	uint64_t max;		/* stop after this many matches, 0: all */
	const char *machine;	/* only this machine (case-insensitive), or NULL */
	int json;		/* NDJSON instead of text */
	int color;		/* ANSI colours */
	FILE *out;
};

/*
 * Resolve WHAT (not for --grep): a task GUID (with or without braces), a
 * catalog entry id, "hresult-" + an HRESULT, or a code in any form
 * code_normalise() takes.  Fills mode, what (pointing into `buf`, len
 * bytes), entry and code.  Returns 0, or -1 with a message in err.
 */
int show_resolve(const struct catalog *cat, const char *what,
    struct show_options *o, char *buf, size_t len, char *err, size_t errlen);

struct show;

/* NULL with a message in err (bad pattern, OOM). */
struct show *show_new(const struct show_options *o, char *err, size_t errlen);
void show_free(struct show *s);				/* accepts NULL */

/* The tap to pass in analysis_options (valid while the show lives). */
const struct analysis_tap *show_tap(struct show *s);

/* After the walk: SHOW_TASK prints its lines.  Returns 0, or -1 on OOM;
 * write errors show in ferror(out). */
int show_finish(struct show *s);

/* Lines that matched (printed or not, up to max). */
uint64_t show_matches(const struct show *s);

#endif
