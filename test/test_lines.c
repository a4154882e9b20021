/* SPDX-License-Identifier: MIT */
/*
 * test_lines.c -- line assembly: every chunk boundary for CRLF, lone CR
 * and LF, cut lines (one of 20 MB), empty lines and a last line without
 * a line end, and the vector scan for the line end at every length and
 * position on both the AVX2 and the SSE2 path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "parsers/lines.h"

/* Lines collected from one run, joined as "text|" ("text*|" if cut). */
struct got {
	char text[1024];
	size_t len;
	uint64_t last_number;
};

static void
drain(struct line_reader *lr, struct got *g)
{
	struct line line;

	while (line_reader_next(lr, &line) == LR_LINE) {
		assert_int_equal(line.number, g->last_number + 1);
		g->last_number = line.number;
		assert_true(g->len + line.n + 2 < sizeof(g->text));
		memcpy(g->text + g->len, line.p, line.n);
		g->len += line.n;
		if (line.cut)
			g->text[g->len++] = '*';
		g->text[g->len++] = '|';
		g->text[g->len] = '\0';
	}
}

/*
 * Feeds `in` cut at cuts[0..ncuts) (increasing offsets), each chunk in
 * its own heap copy that is freed after the reader asks for more, so a
 * line that spans chunks cannot borrow from an old one unnoticed.
 */
static void
run(const char *in, size_t max_line, const size_t *cuts, size_t ncuts,
    struct got *g, uint64_t *cut_count)
{
	struct line_reader *lr = line_reader_new(max_line);
	size_t len = strlen(in), at = 0, end, i;
	char *chunk;

	assert_non_null(lr);
	memset(g, 0, sizeof(*g));
	for (i = 0; i <= ncuts; i++) {
		end = i < ncuts ? cuts[i] : len;
		chunk = malloc(end - at + 1);
		assert_non_null(chunk);
		memcpy(chunk, in + at, end - at);
		line_reader_feed(lr, chunk, end - at, 0);
		drain(lr, g);
		free(chunk);
		at = end;
	}
	line_reader_feed(lr, NULL, 0, 1);
	drain(lr, g);
	*cut_count = line_reader_cut_count(lr);
	line_reader_free(lr);
}

/* The same result for the whole input, every cut, every pair of cuts,
 * and byte by byte. */
static void
assert_lines(const char *in, size_t max_line, const char *want,
    uint64_t want_cut)
{
	size_t len = strlen(in), cuts[1024], a, b;
	struct got g;
	uint64_t cut;

	run(in, max_line, NULL, 0, &g, &cut);
	assert_string_equal(g.text, want);
	assert_int_equal(cut, want_cut);
	for (a = 0; a <= len; a++) {
		cuts[0] = a;
		run(in, max_line, cuts, 1, &g, &cut);
		assert_string_equal(g.text, want);
		assert_int_equal(cut, want_cut);
		for (b = a; b <= len; b++) {
			cuts[1] = b;
			run(in, max_line, cuts, 2, &g, &cut);
			assert_string_equal(g.text, want);
			assert_int_equal(cut, want_cut);
		}
	}
	assert_true(len < sizeof(cuts) / sizeof(cuts[0]));
	for (a = 0; a < len; a++)
		cuts[a] = a + 1;
	run(in, max_line, cuts, len, &g, &cut);
	assert_string_equal(g.text, want);
	assert_int_equal(cut, want_cut);
}

static void
test_line_ends(void **state)
{
	(void)state;
	assert_lines("ab\r\ncd\r\n", 100, "ab|cd|", 0);
	assert_lines("ab\ncd\n", 100, "ab|cd|", 0);
	assert_lines("ab\rcd\r", 100, "ab|cd|", 0);
	/* mixed, with a lone CR before CRLF and an empty line */
	assert_lines("ab\r\ncd\n\nef\rgh\r\r\nij", 100,
	    "ab|cd||ef|gh||ij|", 0);
	/* LF CR is two line ends */
	assert_lines("a\n\rb", 100, "a||b|", 0);
	assert_lines("\r\n\r\n\n\r", 100, "||||", 0);
}

static void
test_empty_and_last(void **state)
{
	(void)state;
	assert_lines("", 100, "", 0);
	assert_lines("\n", 100, "|", 0);
	assert_lines("\r", 100, "|", 0);
	assert_lines("last", 100, "last|", 0);
	assert_lines("a\nlast without end", 100, "a|last without end|", 0);
}

static void
test_cut(void **state)
{
	(void)state;
	/* exactly max_line is not cut, one more byte is */
	assert_lines("12345678\r\nabc\n", 8, "12345678|abc|", 0);
	assert_lines("12345678\rabc", 8, "12345678|abc|", 0);
	assert_lines("123456789\r\nabc\n", 8, "12345678*|abc|", 1);
	assert_lines("0123456789abcdefghij\r\nok\r\n", 8, "01234567*|ok|",
	    1);
	assert_lines("0123456789abcdefghij", 8, "01234567*|", 1);
	assert_lines("x\n0123456789abcdefghij\rz\n0123456789\n", 8,
	    "x|01234567*|z|01234567*|", 2);
	assert_lines("12345678", 8, "12345678|", 0);
}

/* A 20 MB line fed in 64 KiB chunks from one reused buffer: the reader
 * returns its first max_line bytes once and keeps nothing else. */
static void
test_huge_line(void **state)
{
	enum { CHUNK = 64 * 1024, MAX = 1024 * 1024 };
	const size_t total = 20u * 1024 * 1024;
	struct line_reader *lr = line_reader_new(MAX);
	char *buf = malloc(CHUNK);
	struct line line;
	size_t fed = 0, n, lines = 0, i;

	(void)state;
	assert_non_null(lr);
	assert_non_null(buf);
	while (fed < total) {
		n = total - fed < CHUNK ? total - fed : CHUNK;
		for (i = 0; i < n; i++)
			buf[i] = (char)('a' + (fed + i) % 26);
		line_reader_feed(lr, buf, n, 0);
		while (line_reader_next(lr, &line) == LR_LINE) {
			assert_int_equal(lines, 0);
			assert_int_equal(line.n, MAX);
			assert_int_equal(line.cut, 1);
			assert_int_equal(line.number, 1);
			for (i = 0; i < MAX; i += 4093)
				assert_int_equal(line.p[i], 'a' + i % 26);
			lines++;
		}
		fed += n;
	}
	memcpy(buf, "\r\nnext\r\n", 8);
	line_reader_feed(lr, buf, 8, 0);
	assert_int_equal(line_reader_next(lr, &line), LR_LINE);
	assert_int_equal(line.n, 4);
	assert_memory_equal(line.p, "next", 4);
	assert_int_equal(line.number, 2);
	assert_int_equal(line.cut, 0);
	assert_int_equal(line_reader_next(lr, &line), LR_NEED_MORE);
	line_reader_feed(lr, NULL, 0, 1);
	assert_int_equal(line_reader_next(lr, &line), LR_NEED_MORE);
	assert_int_equal(lines, 1);
	assert_int_equal(line_reader_cut_count(lr), 1);
	free(buf);
	line_reader_free(lr);
}

/* Lines inside one chunk are returned without a copy. */
static void
test_zero_copy(void **state)
{
	static const char chunk[] = "first\r\nsecond\npart";
	struct line_reader *lr = line_reader_new(64);
	struct line line;

	(void)state;
	assert_non_null(lr);
	assert_null(line_reader_new(0));
	line_reader_feed(lr, chunk, sizeof(chunk) - 1, 0);
	assert_int_equal(line_reader_next(lr, &line), LR_LINE);
	assert_ptr_equal(line.p, chunk);
	assert_int_equal(line.n, 5);
	assert_int_equal(line_reader_next(lr, &line), LR_LINE);
	assert_ptr_equal(line.p, chunk + 7);
	assert_int_equal(line.n, 6);
	assert_int_equal(line_reader_next(lr, &line), LR_NEED_MORE);
	line_reader_feed(lr, "ial\n", 4, 1);
	assert_int_equal(line_reader_next(lr, &line), LR_LINE);
	assert_int_equal(line.n, 7);
	assert_memory_equal(line.p, "partial", 7);
	assert_int_equal(line.number, 3);
	assert_int_equal(line_reader_next(lr, &line), LR_NEED_MORE);
	line_reader_free(lr);
	line_reader_free(NULL);
}

/*
 * One chunk of `len` bytes (its own heap block, so a read past it is an
 * ASan error) with `term` at offset `at` (or no line end if at == len);
 * the first line must end exactly there.  The other bytes are NUL, TAB,
 * bytes >= 0x80 and bytes that share a low nibble with CR or LF, none of
 * which may end a line.
 */
static void
assert_scan(size_t len, size_t at, const char *term)
{
	static const char fill[] = "x\x1A\x8A\xFA\x1D\x8D\xFD\x0B\x00\t"
	    "\x0C\x0E\x80\xFF";
	struct line_reader *lr = line_reader_new(4096);
	size_t tl = strlen(term), i;
	char *chunk = malloc(len + 1);
	struct line line;

	assert_non_null(lr);
	assert_non_null(chunk);
	for (i = 0; i < len; i++)
		chunk[i] = fill[i % (sizeof(fill) - 1)];
	if (at < len)
		memcpy(chunk + at, term, at + tl <= len ? tl : len - at);
	line_reader_feed(lr, chunk, len, 1);
	if (len == 0) {
		assert_int_equal(line_reader_next(lr, &line), LR_NEED_MORE);
	} else {
		/* a last line without a line end comes from the carry */
		assert_int_equal(line_reader_next(lr, &line), LR_LINE);
		if (at < len)
			assert_ptr_equal(line.p, chunk);
		assert_int_equal(line.n, at);
		assert_memory_equal(line.p, chunk, at);
	}
	line_reader_free(lr);
	free(chunk);
}

/* Lengths 0..160 (short spans, 32- and 64-byte steps, the overlapping
 * tail), a line end at every offset, with MARSLOG_NO_AVX2 unset (AVX2
 * where the CPU has it) and set (SSE2). */
static void
test_scan_every_offset(void **state)
{
	static const char *const terms[] = { "\n", "\r", "\r\n" };
	size_t len, at, k;
	int pass;

	(void)state;
	for (pass = 0; pass < 2; pass++) {
		if (pass == 1)
			assert_int_equal(setenv("MARSLOG_NO_AVX2", "1", 1), 0);
		for (len = 0; len <= 160; len++)
			for (at = 0; at <= len; at++)
				for (k = 0; k < 3; k++)
					assert_scan(len, at, terms[k]);
	}
	assert_int_equal(unsetenv("MARSLOG_NO_AVX2"), 0);
}

/*
 * The ascii flag: an ASCII chunk of `len` bytes with a line end at `at`
 * and one byte >= 0x80 at `hi` (none if hi == len): the line is ASCII
 * exactly when that byte lies past its end.
 */
static void
assert_ascii(struct line_reader *lr, char *chunk, size_t len, size_t at,
    size_t hi)
{
	struct line line;
	size_t i;

	for (i = 0; i < len; i++)
		chunk[i] = (char)('a' + i % 26);
	chunk[at] = '\n';
	if (hi < len && hi != at)
		chunk[hi] = (char)0xC3;
	line_reader_feed(lr, chunk, len, 0);
	assert_int_equal(line_reader_next(lr, &line), LR_LINE);
	assert_int_equal(line.n, at);
	assert_int_equal(line.ascii, hi >= at);
	line_reader_feed(lr, NULL, 0, 1);	/* forget the rest */
	while (line_reader_next(lr, &line) == LR_LINE)
		;
}

/* Lengths 1..100, every line end and every place of a non-ASCII byte,
 * AVX2 and SSE2 paths. */
static void
test_ascii_flag(void **state)
{
	size_t len, at, hi;
	int pass;

	(void)state;
	for (pass = 0; pass < 2; pass++) {
		if (pass == 1)
			assert_int_equal(setenv("MARSLOG_NO_AVX2", "1", 1), 0);
		for (len = 1; len <= 100; len++) {
			struct line_reader *lr = line_reader_new(4096);
			char *chunk = malloc(len);

			assert_non_null(lr);
			assert_non_null(chunk);
			for (at = 0; at < len; at++)
				for (hi = 0; hi <= len; hi++)
					assert_ascii(lr, chunk, len, at, hi);
			line_reader_free(lr);
			free(chunk);
		}
	}
	assert_int_equal(unsetenv("MARSLOG_NO_AVX2"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_empty_and_last),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_huge_line),
		cmocka_unit_test(test_zero_copy),
		cmocka_unit_test(test_scan_every_offset),
		cmocka_unit_test(test_ascii_flag),
	};

	return cmocka_run_group_tests_name("lines", tests, NULL, NULL);
}
