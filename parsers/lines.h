/* SPDX-License-Identifier: MIT */
/*
 * lines.h -- bounded line assembly over a stream of chunks.
 *
 * Push chunks in, pull lines out.  Line ends are CRLF, LF or a lone CR;
 * the end itself is not part of the line.  A line inside one chunk is
 * returned as a pointer into that chunk (no copy); only a line that spans
 * chunks is copied into the reader's carry buffer, which never grows past
 * max_line.  A longer line is cut: its first max_line bytes are returned
 * with `cut` set, the rest up to the line end is dropped, and it is
 * counted.  Never fatal.
 *
 * Use:
 *	line_reader_feed(lr, chunk, n, 0);
 *	while (line_reader_next(lr, &line) == LR_LINE) use(line);
 *	...
 *	line_reader_feed(lr, NULL, 0, 1);	(end of input)
 *	while (line_reader_next(lr, &line) == LR_LINE) use(line);
 */
#ifndef MARSLOG_LINES_H
#define MARSLOG_LINES_H

#include <stddef.h>
#include <stdint.h>

struct line_reader;

enum lr_status {
	LR_NEED_MORE = 0,	/* feed the next chunk (or the end) */
	LR_LINE = 1		/* *line is filled */
};

struct line {
	const char *p;		/* valid until the next line_reader_ call */
	size_t n;
	uint64_t number;	/* 1-based line number in the stream */
	int cut;		/* 1 if the line was longer than max_line */
	int ascii;		/* 1: every byte is below 0x80; 0: one is not,
				 * or it is not known */
};

/* max_line > 0.  Returns NULL on OOM. */
struct line_reader *line_reader_new(size_t max_line);
void line_reader_free(struct line_reader *lr);		/* accepts NULL */

/* `buf` is borrowed and must stay valid until line_reader_next() returns
 * LR_NEED_MORE.  is_last = 1 marks the end of the stream (buf may be NULL
 * then); a final line without a line end is still returned. */
void line_reader_feed(struct line_reader *lr, const char *buf, size_t len,
    int is_last);

enum lr_status line_reader_next(struct line_reader *lr, struct line *line);

/* Lines cut at max_line so far. */
uint64_t line_reader_cut_count(const struct line_reader *lr);

#endif
