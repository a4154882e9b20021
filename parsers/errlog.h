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
	unsigned form;		/* ERRLOG_FORM_* bits; 0 for a continuation */
	size_t rest;		/* bytes at the end of the line that hold
				 * further records (0: none), see below */
};

/*
 * How a record was written: as the agent writes it, or in a form that a
 * copy, a paste or a tool made of it.  A record has the bits of every
 * form it was found in ("> " quote + spaces for TABs, ...).
 */
enum errlog_form {
	ERRLOG_FORM_TAB = 1u << 0,	/* TAB-separated, as the agent writes */
	ERRLOG_FORM_SPACES = 1u << 1,	/* TABs turned into runs of spaces */
	ERRLOG_FORM_FINDSTR = 1u << 2,	/* findstr "name.errlog:", "/n" "28:" */
	ERRLOG_FORM_NOTEPADPP = 1u << 3, /* Notepad++ Find in Files "Line 28: " */
	ERRLOG_FORM_QUOTED = 1u << 4,	/* "> " of a quoted reply */
	ERRLOG_FORM_FLATTENED = 1u << 5, /* several records in one line */
	ERRLOG_FORM_LINE_NUMBERS = 1u << 6, /* a viewer's line-number column */
	ERRLOG_FORM_VIEWER_TIME = 1u << 7, /* a viewer's time column */
	ERRLOG_FORM_EXCERPT = 1u << 8	/* "... " of a quoted excerpt */
};
#define ERRLOG_FORM_COUNT 9

/* "tab", "spaces", "findstr", "notepad++", "quoted", "flattened",
 * "line-numbers", "viewer-time", "excerpt" for bit i; NULL past them. */
const char *errlog_form_name(unsigned i);

/* The names of the bits of `forms` joined by '+' into buf ("spaces+
 * findstr"), "" for 0; truncated to fit.  Returns buf. */
char *errlog_forms_format(unsigned forms, char *buf, size_t len);

/* The ERRLOG_FORM_* bits of a "+"-joined list of names (as written by
 * errlog_forms_format); unknown names are ignored. */
unsigned errlog_forms_parse(const char *s);

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
 * errlog_parser_unparsed), a blank line or the header lines of a search
 * tool's result (not counted; the next line does not continue the last
 * record).  A continuation's message is the whole line without leading
 * blanks and the prefixes of a pasted form; its other fields are the
 * previous record's.  A task GUID written in braces is returned without
 * them.
 *
 * Pasted and copied forms are read too: findstr, findstr /n and Notepad++
 * prefixes, "> " quotes, "... " excerpts, a viewer's line-number or time
 * column.  A line in a copied form can hold several records (a web page
 * flattened them): the message then ends where the next record starts,
 * and rec->rest (set whatever the return value) is the number of bytes
 * at the end of the line to pass to the next call, with the same line
 * number, until it is 0.  No record is ever swallowed by another.
 */
int errlog_parse_line(struct errlog_parser *p, const char *line, size_t len,
    uint64_t line_no, struct errlog_record *rec);

/* 1 if the line starts a record, without touching any parser state.  Used
 * to recognise errlog content in files with other names. */
int errlog_line_is_record(const char *line, size_t len);
/* 1 if the line starts a record or holds one after other text (a page
 * that flattened records into one line): errlog content for the sniff. */
int errlog_line_has_record(const char *line, size_t len);

uint64_t errlog_parser_unparsed(const struct errlog_parser *p);

/* Level word -> level; ML_LEVEL_NONE if `s` is not a level word. */
enum ml_level errlog_level_from_word(const char *s, size_t n);

/* Reference time from a crash-copy name such as
 * "MSDPMCurr.errlog.2016-06-01_20-55-45.Crash".  Returns ML_TIME_NONE if
 * the name carries no such stamp. */
int64_t errlog_time_from_name(const char *name);

#endif
