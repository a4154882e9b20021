/* SPDX-License-Identifier: MIT */
/*
 * errlog.h -- one MARS/DPM trace line (CBEngineCurr.errlog and friends)
 * into a record.
 *
 * The canonical line is TAB-separated:
 *   PID TID MM/DD HH:MM:SS.mmm NN file.ext(line) [objptr] GUID [empty] LEVEL message
 * and every variant in ../shared/reference/log-formats.md is accepted: no
 * PID/TID, an empty object pointer or GUID, the extra empty field before
 * LEVEL, spaces instead of TABs, a "name.errlog:" prefix and the
 * "9-May 4:00:45 PM" date style of findstr copies.  A line that does not
 * start a record is a continuation of the previous record (its header
 * fields are repeated, `continuation` is set) or, before the first record
 * of a file, unparsed garbage.
 *
 * The date has no year.  With a reference time (the entry's mtime or the
 * time in a .Crash file name), a record takes the latest year that does not
 * put it more than a day after the reference, so a log that runs from
 * December into January gets both years right while streaming.  With
 * `year` set, the first record gets that year and each step backwards in
 * month moves to the next year.
 *
 * Ownership: spans in a record point into the line passed in, or (for a
 * continuation's header fields) into the parser, and stay valid until the
 * next call on the parser with the same line buffer alive.  No allocation
 * per line.
 */
#ifndef MARSLOG_ERRLOG_H
#define MARSLOG_ERRLOG_H

#include <stddef.h>
#include <stdint.h>

#include "parsers/record.h"

struct errlog_record {
	int64_t time;		/* ms since epoch UTC, ML_TIME_NONE if unknown */
	uint32_t pid, tid;	/* 0 when absent */
	int component;		/* the NN column, -1 when absent */
	struct ml_span source;	/* "backupasync.cpp", may be empty */
	unsigned source_line;	/* 0 when absent */
	struct ml_span object;	/* hex digits inside [..], may be empty */
	struct ml_span task;	/* task GUID as written, may be empty */
	enum ml_level level;
	struct ml_span message;	/* to end of line, CR/LF removed */
	uint64_t line;		/* line number in the input */
	int continuation;	/* 1: did not start a record */
};

struct errlog_options {
	int64_t reference_time;	/* ms, ML_TIME_NONE: use the current time */
	int year;		/* > 0: --year, overrides reference_time */
};

struct errlog_parser;

/* Returns NULL on OOM.  `opt` is copied. */
struct errlog_parser *errlog_parser_new(const struct errlog_options *opt);
void errlog_parser_free(struct errlog_parser *p);	/* accepts NULL */

/*
 * Parse one line (no line end; a trailing CR/LF is ignored).  Returns 1
 * and fills *rec for a record or a continuation, 0 for a line that is
 * neither: garbage before the first record (counted in
 * errlog_parser_unparsed) or a blank line (not counted).  A continuation's
 * message is the whole line without leading blanks; its other fields are
 * the previous record's.  A task GUID written in braces is returned
 * without them.
 */
int errlog_parse_line(struct errlog_parser *p, const char *line, size_t len,
    uint64_t line_no, struct errlog_record *rec);

/* 1 if the line starts a record, without touching any parser state.  Used
 * to recognise errlog content in files with other names. */
int errlog_line_is_record(const char *line, size_t len);

uint64_t errlog_parser_unparsed(const struct errlog_parser *p);

/* Level word -> level; ML_LEVEL_NONE if `s` is not a level word. */
enum ml_level errlog_level_from_word(const char *s, size_t n);

/* Reference time from a crash-copy name such as
 * "MSDPMCurr.errlog.2016-06-01_20-55-45.Crash".  Returns ML_TIME_NONE if
 * the name carries no such stamp. */
int64_t errlog_time_from_name(const char *name);

#endif
