/* SPDX-License-Identifier: MIT */
/*
 * test_decode.c -- encoding sniffing, streaming UTF-16 decoding and the
 * per-line UTF-8 / cp1252 conversion.  The whole suite runs twice: as
 * started (AVX2 ASCII scan where the CPU has it), then again in a fresh
 * process with MARSLOG_NO_AVX2=1 (SSE2), because decode.c picks its path
 * once per process.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "parsers/decode.h"

/* Deterministic pseudo-random numbers (xorshift), so runs repeat. */
static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Appends code point c as UTF-16 (LE or BE) to out. */
static size_t
put_utf16(unsigned char *out, unsigned c, int be)
{
	unsigned u[2];
	size_t n = 1, i;

	if (c >= 0x10000) {
		u[0] = 0xD800 + ((c - 0x10000) >> 10);
		u[1] = 0xDC00 + ((c - 0x10000) & 0x3FF);
		n = 2;
	} else {
		u[0] = c;
	}
	for (i = 0; i < n; i++) {
		out[2 * i + (be ? 1 : 0)] = (unsigned char)(u[i] & 0xFF);
		out[2 * i + (be ? 0 : 1)] = (unsigned char)(u[i] >> 8);
	}
	return 2 * n;
}

static size_t
put_utf8(char *out, unsigned c)
{
	unsigned char *o = (unsigned char *)out;

	if (c < 0x80) {
		o[0] = (unsigned char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (unsigned char)(0xC0 | c >> 6);
		o[1] = (unsigned char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (unsigned char)(0xE0 | c >> 12);
		o[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (c & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | c >> 18);
	o[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (c & 0x3F));
	return 4;
}

/* Decodes in[0..len) in chunks cut at the offsets in cuts[0..ncuts)
 * (increasing); the result goes to out, its length is returned. */
static size_t
decode_cut(int be, const unsigned char *in, size_t len, const size_t *cuts,
    size_t ncuts, char *out, uint64_t *repl)
{
	struct utf16_decoder *d = utf16_decoder_new(be);
	const char *o;
	size_t at = 0, total = 0, i, end, n;

	assert_non_null(d);
	for (i = 0; i <= ncuts; i++) {
		end = i < ncuts ? cuts[i] : len;
		n = utf16_decoder_run(d, in + at, end - at, &o);
		memcpy(out + total, o, n);
		total += n;
		at = end;
	}
	n = utf16_decoder_finish(d, &o);
	memcpy(out + total, o, n);
	total += n;
	assert_int_equal(utf16_decoder_failed(d), 0);
	*repl = utf16_decoder_replacements(d);
	utf16_decoder_free(d);
	return total;
}

static void
assert_decodes(int be, const unsigned char *in, size_t len, const char *want,
    size_t want_len, uint64_t want_repl)
{
	char *out = malloc(len * 3 + 16);
	size_t cuts[2], a, b, n;
	uint64_t repl;

	assert_non_null(out);
	/* whole, then every single cut, then every pair of cuts */
	n = decode_cut(be, in, len, NULL, 0, out, &repl);
	assert_int_equal(n, want_len);
	assert_memory_equal(out, want, n);
	assert_int_equal(repl, want_repl);
	for (a = 0; a <= len; a++) {
		cuts[0] = a;
		n = decode_cut(be, in, len, cuts, 1, out, &repl);
		assert_int_equal(n, want_len);
		assert_memory_equal(out, want, n);
		assert_int_equal(repl, want_repl);
		for (b = a; b <= len && len < 64; b++) {
			cuts[1] = b;
			n = decode_cut(be, in, len, cuts, 2, out, &repl);
			assert_int_equal(n, want_len);
			assert_memory_equal(out, want, n);
			assert_int_equal(repl, want_repl);
		}
	}
	free(out);
}

static void
test_sniff_bom(void **state)
{
	size_t bom;

	(void)state;
	assert_int_equal(text_sniff((const unsigned char *)"\xFF\xFEH\0", 4,
	    &bom), TEXT_UTF16LE);
	assert_int_equal(bom, 2);
	assert_int_equal(text_sniff((const unsigned char *)"\xFE\xFF\0H", 4,
	    &bom), TEXT_UTF16BE);
	assert_int_equal(bom, 2);
	assert_int_equal(text_sniff((const unsigned char *)"\xEF\xBB\xBFhi", 5,
	    &bom), TEXT_UTF8);
	assert_int_equal(bom, 3);
	/* a BOM alone */
	assert_int_equal(text_sniff((const unsigned char *)"\xFF\xFE", 2, &bom),
	    TEXT_UTF16LE);
	assert_int_equal(text_sniff((const unsigned char *)"", 0, &bom),
	    TEXT_UTF8);
	assert_int_equal(bom, 0);
	assert_string_equal(text_encoding_name(TEXT_UTF16LE), "utf-16le");
	assert_string_equal(text_encoding_name(TEXT_UTF16BE), "utf-16be");
	assert_string_equal(text_encoding_name(TEXT_UTF8), "utf-8");
	assert_string_equal(text_encoding_name(TEXT_CP1252), "cp1252");
	assert_string_equal(text_encoding_name(TEXT_BINARY), "binary");
	assert_string_equal(text_encoding_name(TEXT_UNKNOWN), "unknown");
}

static void
test_sniff_stats(void **state)
{
	static const char line[] =
	    "0AB0\t0974\t08/04\t13:16:29.206\t18\tmtffile.cpp(1372)\t\tNORMAL\t"
	    "Backup Progress: Data transfer started.\r\n";
	unsigned char buf[4096];
	size_t i, n = 0, bom;
	uint32_t seed = 12345;

	(void)state;
	/* UTF-16 without BOM, with a few non-ASCII characters */
	while (n + 2 * sizeof(line) + 8 < sizeof(buf)) {
		for (i = 0; line[i]; i++)
			n += put_utf16(buf + n, (unsigned char)line[i], 0);
		n += put_utf16(buf + n, 0x4E2D, 0);
	}
	assert_int_equal(text_sniff(buf, n, &bom), TEXT_UTF16LE);
	assert_int_equal(bom, 0);
	/* the same text big-endian, cut at an odd length */
	for (i = 0; i + 1 < n; i += 2) {
		unsigned char t = buf[i];

		buf[i] = buf[i + 1];
		buf[i + 1] = t;
	}
	assert_int_equal(text_sniff(buf, n - 1, &bom), TEXT_UTF16BE);
	/* all NULs: neither byte order */
	memset(buf, 0, sizeof(buf));
	assert_int_equal(text_sniff(buf, sizeof(buf), &bom), TEXT_BINARY);
	/* random bytes */
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)rnd(&seed);
	assert_int_equal(text_sniff(buf, sizeof(buf), &bom), TEXT_BINARY);
	/* random bytes without NULs: caught by the control-byte count */
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(rnd(&seed) % 255 + 1);
	assert_int_equal(text_sniff(buf, sizeof(buf), &bom), TEXT_BINARY);
	/* random 7-bit bytes are valid UTF-8 but still binary */
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(rnd(&seed) % 127 + 1);
	assert_int_equal(text_sniff(buf, sizeof(buf), &bom), TEXT_BINARY);
	/* ASCII text with a single NUL (a padded tail) is still text */
	memset(buf, 'a', sizeof(buf));
	buf[4000] = 0;
	assert_int_equal(text_sniff(buf, sizeof(buf), &bom), TEXT_UTF8);
}

static void
test_sniff_text(void **state)
{
	static const char utf8[] = "caf\xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80\r\n";
	static const char cp1252[] = "caf\xE9 na\xEFve \x93quoted\x94\r\n";
	size_t bom, i;

	(void)state;
	assert_int_equal(text_sniff((const unsigned char *)utf8,
	    sizeof(utf8) - 1, &bom), TEXT_UTF8);
	assert_int_equal(text_sniff((const unsigned char *)cp1252,
	    sizeof(cp1252) - 1, &bom), TEXT_CP1252);
	/* a sample cut inside any multi-byte sequence is still UTF-8 */
	for (i = 1; i < sizeof(utf8) - 1; i++)
		assert_int_equal(text_sniff((const unsigned char *)utf8, i,
		    &bom), TEXT_UTF8);
	/* ...but a sequence broken in the middle is not */
	assert_int_equal(text_sniff((const unsigned char *)"ab\xE4\xB8x", 5,
	    &bom), TEXT_CP1252);
}

static void
test_utf8_valid(void **state)
{
	(void)state;
	assert_int_equal(utf8_valid("", 0), 1);
	assert_int_equal(utf8_valid("plain ascii text, long enough", 29), 1);
	assert_int_equal(utf8_valid("\xC3\xA9", 2), 1);
	assert_int_equal(utf8_valid("\xE4\xB8\xAD", 3), 1);
	assert_int_equal(utf8_valid("\xF0\x9F\x98\x80", 4), 1);
	assert_int_equal(utf8_valid("\xF4\x8F\xBF\xBF", 4), 1);	/* U+10FFFF */
	assert_int_equal(utf8_valid("\xEF\xBF\xBD", 3), 1);	/* U+FFFD */
	assert_int_equal(utf8_valid("\xC0\x80", 2), 0);		/* overlong */
	assert_int_equal(utf8_valid("\xC1\xBF", 2), 0);
	assert_int_equal(utf8_valid("\xE0\x80\x80", 3), 0);
	assert_int_equal(utf8_valid("\xE0\x9F\xBF", 3), 0);
	assert_int_equal(utf8_valid("\xF0\x8F\xBF\xBF", 4), 0);
	assert_int_equal(utf8_valid("\xED\xA0\x80", 3), 0);	/* surrogate */
	assert_int_equal(utf8_valid("\xED\xBF\xBF", 3), 0);
	assert_int_equal(utf8_valid("\xF4\x90\x80\x80", 4), 0);	/* > 10FFFF */
	assert_int_equal(utf8_valid("\xF5\x80\x80\x80", 4), 0);
	assert_int_equal(utf8_valid("\xFF", 1), 0);
	assert_int_equal(utf8_valid("\x80", 1), 0);
	assert_int_equal(utf8_valid("abcdefghijklmnop\xC3", 17), 0); /* cut */
	assert_int_equal(utf8_valid("abcdefghijklmnopqrstu\xE9vwxyz", 27), 0);
}

static void
test_utf16_basic(void **state)
{
	/* "Hé中😀\r\n" */
	static const unsigned char le[] = {
		'H', 0, 0xE9, 0, 0x2D, 0x4E, 0x3D, 0xD8, 0x00, 0xDE, '\r', 0,
		'\n', 0
	};
	static const char want[] = "H\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80\r\n";
	unsigned char be[sizeof(le)];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(le); i += 2) {
		be[i] = le[i + 1];
		be[i + 1] = le[i];
	}
	assert_decodes(0, le, sizeof(le), want, sizeof(want) - 1, 0);
	assert_decodes(1, be, sizeof(be), want, sizeof(want) - 1, 0);
}

static void
test_utf16_errors(void **state)
{
	/* odd trailing byte */
	static const unsigned char odd[] = { 'a', 0, 'b' };
	/* unpaired high surrogate followed by 'x', then a lone low one */
	static const unsigned char lone[] = {
		0x3D, 0xD8, 'x', 0, 0x00, 0xDE, 'y', 0
	};
	/* a high surrogate at the very end */
	static const unsigned char tail[] = { 'z', 0, 0x3D, 0xD8 };
	/* two highs in a row, then a valid pair */
	static const unsigned char twice[] = {
		0x3D, 0xD8, 0x3D, 0xD8, 0x00, 0xDE
	};

	(void)state;
	assert_decodes(0, odd, sizeof(odd), "a\xEF\xBF\xBD", 4, 1);
	assert_decodes(0, lone, sizeof(lone),
	    "\xEF\xBF\xBDx\xEF\xBF\xBDy", 8, 2);
	assert_decodes(0, tail, sizeof(tail), "z\xEF\xBF\xBD", 4, 1);
	assert_decodes(0, twice, sizeof(twice),
	    "\xEF\xBF\xBD\xF0\x9F\x98\x80", 7, 1);
}

/* Long mixed text through the 8-unit fast path: random chunking, both
 * byte orders, against a reference encoding. */
static void
test_utf16_long(void **state)
{
	enum { NCP = 20000 };
	static const unsigned pick[] = { 0xE9, 0x4E2D, 0x1F600, 0x7F, 0x80 };
	unsigned char *in = malloc(NCP * 4);
	char *want = malloc(NCP * 4), *got = malloc(NCP * 4 + 16);
	uint32_t seed = 99;
	size_t n_in, n_want, i, at, k, n;
	struct utf16_decoder *d;
	const char *o;
	unsigned c;
	int be;

	(void)state;
	assert_non_null(in);
	assert_non_null(want);
	assert_non_null(got);
	for (be = 0; be <= 1; be++) {
		n_in = n_want = 0;
		for (i = 0; i < NCP; i++) {
			/* mostly ASCII runs, now and then something else */
			c = rnd(&seed) % 64 == 0 ? pick[rnd(&seed) % 5] :
			    0x20 + rnd(&seed) % 95;
			n_in += put_utf16(in + n_in, c, be);
			n_want += put_utf8(want + n_want, c);
		}
		d = utf16_decoder_new(be);
		assert_non_null(d);
		at = k = 0;
		while (at < n_in) {
			n = 1 + rnd(&seed) % 300;
			if (n > n_in - at)
				n = n_in - at;
			i = utf16_decoder_run(d, in + at, n, &o);
			memcpy(got + k, o, i);
			k += i;
			at += n;
		}
		k += utf16_decoder_finish(d, &o);
		assert_int_equal(k, n_want);
		assert_memory_equal(got, want, n_want);
		assert_int_equal(utf16_decoder_replacements(d), 0);
		utf16_decoder_free(d);
	}
	free(in);
	free(want);
	free(got);
}

/* Runs text_line_to_utf8 and checks the result. */
static void
assert_line(enum text_encoding enc, const char *in, const char *want,
    uint64_t want_repl, int same)
{
	size_t len = strlen(in), n;
	char *scratch = malloc(3 * len + 1);
	const char *out;
	uint64_t repl = 0;

	assert_non_null(scratch);
	out = text_line_to_utf8(enc, in, len, scratch, &n, &repl);
	assert_int_equal(n, strlen(want));
	assert_memory_equal(out, want, n);
	assert_int_equal(repl, want_repl);
	/* valid input comes back without a copy */
	assert_int_equal(out == in, same);
	free(scratch);
}

static void
test_line_utf8(void **state)
{
	(void)state;
	assert_line(TEXT_UTF8, "plain ASCII line of some length",
	    "plain ASCII line of some length", 0, 1);
	assert_line(TEXT_UTF8, "", "", 0, 1);
	assert_line(TEXT_UTF8, "caf\xC3\xA9 \xF0\x9F\x98\x80 ok",
	    "caf\xC3\xA9 \xF0\x9F\x98\x80 ok", 0, 1);
	/* invalid bytes read as cp1252 and counted */
	assert_line(TEXT_UTF8, "caf\xE9", "caf\xC3\xA9", 1, 0);
	assert_line(TEXT_UTF8, "\xC3\xA9 and \xE9 and \x80",
	    "\xC3\xA9 and \xC3\xA9 and \xE2\x82\xAC", 2, 0);
	/* undefined cp1252 bytes become U+FFFD */
	assert_line(TEXT_UTF8, "a\x81z", "a\xEF\xBF\xBDz", 1, 0);
	/* an overlong and a surrogate are not UTF-8 either */
	assert_line(TEXT_UTF8, "\xC0\x80", "\xC3\x80\xE2\x82\xAC", 2, 0);
	assert_line(TEXT_UTF8, "\xED\xA0\x80",
	    "\xC3\xAD\xC2\xA0\xE2\x82\xAC", 3, 0);
	/* a sequence cut by the line end */
	assert_line(TEXT_UTF8, "abcdefghijklmnopq\xE4\xB8",
	    "abcdefghijklmnopq\xC3\xA4\xC2\xB8", 2, 0);
	/* other encodings are read as UTF-8 (the decoder's output) */
	assert_line(TEXT_UTF16LE, "x\xC3\xA9", "x\xC3\xA9", 0, 1);
}

static void
test_line_cp1252(void **state)
{
	/* Windows-1252 0x80..0x9F, 0 = undefined */
	static const unsigned want[32] = {
		0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
		0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
		0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
		0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178
	};
	char in[2], exp[8], scratch[8];
	const char *out;
	size_t n, k;
	uint64_t repl = 0, undefined = 0;
	unsigned b, c;

	(void)state;
	assert_line(TEXT_CP1252, "plain", "plain", 0, 1);
	assert_line(TEXT_CP1252, "\x93quoted\x94 caf\xE9",
	    "\xE2\x80\x9Cquoted\xE2\x80\x9D caf\xC3\xA9", 0, 0);
	/* valid UTF-8 bytes are still cp1252 in cp1252 mode */
	assert_line(TEXT_CP1252, "\xC3\xA9", "\xC3\x83\xC2\xA9", 0, 0);
	for (b = 0x80; b <= 0xFF; b++) {
		in[0] = (char)b;
		in[1] = '\0';
		c = b < 0xA0 ? want[b - 0x80] : b;
		if (c == 0) {
			c = 0xFFFD;
			undefined++;
		}
		k = put_utf8(exp, c);
		out = text_line_to_utf8(TEXT_CP1252, in, 1, scratch, &n, &repl);
		assert_int_equal(n, k);
		assert_memory_equal(out, exp, k);
	}
	assert_int_equal(undefined, 5);
	assert_int_equal(repl, 5);
}

/*
 * A non-ASCII byte at every offset of lines of 0..140 bytes (short lines,
 * 32- and 64-byte steps, the overlapping tail): a valid 2-byte sequence
 * comes back without a copy, a lone 0xE9 is converted as cp1252.  Each
 * line is its own heap block, so a read past it is an ASan error.
 */
static void
test_line_every_offset(void **state)
{
	size_t len, at, n, i;
	char *in, *scratch, *want;
	const char *out;
	uint64_t repl;

	(void)state;
	for (len = 0; len <= 140; len++) {
		in = malloc(len + 1);
		scratch = malloc(3 * len + 1);
		want = malloc(len + 2);
		assert_non_null(in);
		assert_non_null(scratch);
		assert_non_null(want);
		for (i = 0; i < len; i++)
			in[i] = (char)(' ' + i % 95);
		repl = 0;
		out = text_line_to_utf8(TEXT_UTF8, in, len, scratch, &n, &repl);
		assert_ptr_equal(out, in);
		assert_int_equal(n, len);
		assert_int_equal(utf8_valid(in, len), 1);
		for (at = 0; at < len; at++) {
			memcpy(want, in, len);
			/* valid: U+00E9 as two bytes at `at` */
			in[at] = '\xC3';
			if (at + 1 < len) {
				in[at + 1] = '\xA9';
				out = text_line_to_utf8(TEXT_UTF8, in, len,
				    scratch, &n, &repl);
				assert_ptr_equal(out, in);
				assert_int_equal(n, len);
				assert_int_equal(repl, 0);
				assert_int_equal(utf8_valid(in, len), 1);
			}
			/* invalid: a lone 0xE9 at `at` becomes U+00E9 */
			memcpy(in, want, len);
			in[at] = '\xE9';
			out = text_line_to_utf8(TEXT_UTF8, in, len, scratch,
			    &n, &repl);
			assert_ptr_equal(out, scratch);
			assert_int_equal(n, len + 1);
			assert_memory_equal(out, want, at);
			assert_memory_equal(out + at, "\xC3\xA9", 2);
			assert_memory_equal(out + at + 2, want + at + 1,
			    len - at - 1);
			assert_int_equal(repl, 1);
			assert_int_equal(utf8_valid(in, len), 0);
			repl = 0;
			/* cp1252 mode converts it too */
			out = text_line_to_utf8(TEXT_CP1252, in, len, scratch,
			    &n, &repl);
			assert_int_equal(n, len + 1);
			assert_memory_equal(out + at, "\xC3\xA9", 2);
			assert_int_equal(repl, 0);
			memcpy(in, want, len);
		}
		free(in);
		free(scratch);
		free(want);
	}
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff_bom),
		cmocka_unit_test(test_sniff_stats),
		cmocka_unit_test(test_sniff_text),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf16_basic),
		cmocka_unit_test(test_utf16_errors),
		cmocka_unit_test(test_utf16_long),
		cmocka_unit_test(test_line_utf8),
		cmocka_unit_test(test_line_cp1252),
		cmocka_unit_test(test_line_every_offset),
	};

	const char *no = getenv("MARSLOG_NO_AVX2");
	int rc;

	(void)argc;
	rc = cmocka_run_group_tests_name(no != NULL && *no != '\0' ?
	    "decode (SSE2)" : "decode", tests, NULL, NULL);
	if (rc != 0 || (no != NULL && *no != '\0'))
		return rc;
	/* again on the SSE2 path */
	if (setenv("MARSLOG_NO_AVX2", "1", 1) != 0)
		return 1;
	execv("/proc/self/exe", argv);
	return 1;
}
