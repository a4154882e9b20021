/* SPDX-License-Identifier: MIT */
/*
 * text.h -- text helpers shared by the report writers: a growable byte
 * buffer, removal of control characters and terminal escape sequences from
 * log-derived strings, and UTF-8 display width (East Asian wide characters
 * take two columns) with truncation and padding to a number of columns.
 *
 * Depends on nothing but libc; knows nothing about summaries or formats.
 * Display width follows Unicode 14 (East_Asian_Width W and F = 2 columns,
 * combining marks and format characters = 0, everything else = 1), the
 * same choice as wcwidth(3) in a UTF-8 locale, but without the locale.
 *
 * Ownership: `const char *` arguments are borrowed for the call.  A
 * text_buf owns its bytes until text_buf_release().
 */
#ifndef MARSLOG_TEXT_H
#define MARSLOG_TEXT_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define TEXT_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TEXT_PRINTF(f, a)
#endif

/*
 * A growable byte string.  Start it with TEXT_BUF_INIT.  `p` is
 * NUL-terminated once anything has been added.  Allocation failures are
 * sticky: the add functions then do nothing and `oom` stays 1, so a
 * writer checks once at the end instead of after every call.
 */
struct text_buf {
	char *p;
	size_t len, cap;
	int oom;		/* an allocation failed; content is incomplete */
};

#define TEXT_BUF_INIT { NULL, 0, 0, 0 }

void text_buf_release(struct text_buf *b);	/* frees; back to INIT */
void text_buf_add(struct text_buf *b, const char *s, size_t n);
void text_buf_adds(struct text_buf *b, const char *s);
void text_buf_addf(struct text_buf *b, const char *fmt, ...) TEXT_PRINTF(2, 3);
void text_buf_spaces(struct text_buf *b, size_t n);

/*
 * Decode the UTF-8 sequence at s (n > 0 bytes available) into *cp and
 * return its length.  An invalid, overlong, surrogate or truncated
 * sequence returns 1 with *cp = 0xFFFD.
 */
size_t text_utf8_next(const char *s, size_t n, uint32_t *cp);

/* Display columns of a code point: 0, 1 or 2.  Control characters are 0
 * (text_clean removes them anyway). */
int text_cp_width(uint32_t cp);

/* Display columns of n bytes of UTF-8 (invalid bytes count as U+FFFD). */
size_t text_width(const char *s, size_t n);

/*
 * Append `s` (n bytes, NULL = empty) to b made safe and one-line for
 * display: ANSI/ECMA-48 escape sequences are removed whole (CSI, OSC,
 * DCS, SOS, PM, APC -- 7-bit ESC forms and the C1 code points U+009B,
 * U+009D, ...; string sequences end at BEL or ST, or at the end of s),
 * then every other C0/C1 control character, DEL, the bidirectional and
 * invisible formatting characters (U+061C, U+200B-U+200F, U+202A-U+202E,
 * U+2060-U+206F, U+FEFF, U+FFF9-U+FFFB) and invalid UTF-8 (becomes
 * U+FFFD).  Runs of white space (space, TAB, LF, VT, FF, CR, U+2028,
 * U+2029) become one space; leading and trailing white space is dropped.
 * The result is valid UTF-8 with no byte below 0x20.
 */
void text_buf_add_clean(struct text_buf *b, const char *s, size_t n);

/* text_buf_add_clean(), then escaped for HTML text and attribute values
 * (& < > " ' as entities). */
void text_buf_add_html(struct text_buf *b, const char *s, size_t n);

/*
 * The longest prefix of s (n bytes) whose display width is at most
 * `cols`: returns its length in bytes (never inside a UTF-8 sequence;
 * zero-width characters that follow are kept with their base) and puts
 * its width in *width (may be NULL).
 */
size_t text_fit(const char *s, size_t n, size_t cols, size_t *width);

/* The same for the longest suffix: returns the byte offset where it
 * starts. */
size_t text_fit_tail(const char *s, size_t n, size_t cols, size_t *width);

#define TEXT_ELLIPSIS "\xe2\x80\xa6"	/* U+2026, one column */

enum text_cell_flags {
	TEXT_CELL_PAD = 1,	/* pad with spaces to exactly cols */
	TEXT_CELL_RIGHT = 2,	/* right-align (pads on the left) */
	TEXT_CELL_TAIL = 4,	/* shorten by keeping the end: "…ta/x.log" */
	TEXT_CELL_MIDDLE = 8	/* shorten in the middle: "srv-ve…0001"
				 * (names: start and end tell them apart) */
};

/*
 * Append s (n bytes of clean UTF-8) to b in at most `cols` columns: whole
 * if it fits, else shortened with "…" (at the end, at the start with
 * TEXT_CELL_TAIL, in the middle with TEXT_CELL_MIDDLE), then padded per
 * flags.  Returns the columns written.
 */
size_t text_buf_add_cell(struct text_buf *b, const char *s, size_t n,
    size_t cols, unsigned flags);

#endif
