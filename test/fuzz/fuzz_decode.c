/* SPDX-License-Identifier: MIT */
/*
 * fuzz_decode.c -- the text decoding pipeline on arbitrary bytes:
 * text_sniff, the UTF-16 decoders (both byte orders, the input split into
 * two chunks at a point the input chooses), the bounded line reader and
 * text_line_to_utf8 in UTF-8 and cp1252 mode.
 *
 * Properties: whatever comes in, what comes out is valid UTF-8, lines
 * never exceed max_line, and the BOM length is within the sample.
 */
#include <stdlib.h>
#include <string.h>

#include "parsers/decode.h"
#include "parsers/lines.h"
#include "test/fuzz/fuzz.h"

#define DECODE_MAX_LINE 64

/* Lines of one UTF-8 stream through text_line_to_utf8 (as the analyzer
 * does for UTF-8 and cp1252 input). */
static void
decode_lines(struct line_reader *lr, enum text_encoding enc, char *scratch)
{
	struct line line;
	uint64_t repl = 0;

	while (line_reader_next(lr, &line) == LR_LINE) {
		const char *u;
		size_t n;

		FUZZ_CHECK(line.n <= DECODE_MAX_LINE);
		FUZZ_CHECK(memchr(line.p, '\n', line.n) == NULL);
		u = text_line_to_utf8(enc, line.p, line.n, scratch, &n, &repl);
		FUZZ_CHECK(n <= 3 * line.n);
		FUZZ_CHECK(utf8_valid(u, n));
	}
}

/* One UTF-16 pass: decoded output must be valid UTF-8 in every chunk
 * (a split never cuts a sequence), and feeds a line reader. */
static void
decode_utf16(const uint8_t *data, size_t size, size_t split, int be,
    char *scratch)
{
	struct utf16_decoder *d = utf16_decoder_new(be);
	struct line_reader *lr = line_reader_new(DECODE_MAX_LINE);
	const char *out;
	size_t n;

	FUZZ_CHECK(d != NULL && lr != NULL);
	n = utf16_decoder_run(d, data, split, &out);
	FUZZ_CHECK(utf8_valid(out, n));
	line_reader_feed(lr, out, n, 0);
	decode_lines(lr, TEXT_UTF8, scratch);
	n = utf16_decoder_run(d, data + split, size - split, &out);
	FUZZ_CHECK(utf8_valid(out, n));
	line_reader_feed(lr, out, n, 0);
	decode_lines(lr, TEXT_UTF8, scratch);
	n = utf16_decoder_finish(d, &out);
	FUZZ_CHECK(utf8_valid(out, n));
	line_reader_feed(lr, out, n, 0);
	decode_lines(lr, TEXT_UTF8, scratch);
	line_reader_feed(lr, NULL, 0, 1);
	decode_lines(lr, TEXT_UTF8, scratch);
	FUZZ_CHECK(!utf16_decoder_failed(d));
	/* An odd byte count always leaves a byte over. */
	if (size % 2 != 0)
		FUZZ_CHECK(utf16_decoder_replacements(d) > 0);
	line_reader_free(lr);
	utf16_decoder_free(d);
}

int
fuzz_decode(const uint8_t *data, size_t size)
{
	static const enum text_encoding encs[] = { TEXT_UTF8, TEXT_CP1252 };
	char *scratch = malloc(3 * DECODE_MAX_LINE + 4);
	size_t bom = 99, split, i;
	enum text_encoding enc;

	FUZZ_CHECK(scratch != NULL);
	enc = text_sniff(data, size, &bom);
	FUZZ_CHECK(bom <= size && bom <= 3);
	FUZZ_CHECK(text_encoding_name(enc) != NULL);
	split = size > 0 ? data[0] % (size + 1) : 0;
	decode_utf16(data, size, split, 0, scratch);
	decode_utf16(data, size, split, 1, scratch);
	for (i = 0; i < sizeof encs / sizeof encs[0]; i++) {
		struct line_reader *lr = line_reader_new(DECODE_MAX_LINE);

		FUZZ_CHECK(lr != NULL);
		line_reader_feed(lr, (const char *)data, split, 0);
		decode_lines(lr, encs[i], scratch);
		line_reader_feed(lr, (const char *)data + split, size - split,
		    0);
		decode_lines(lr, encs[i], scratch);
		line_reader_feed(lr, NULL, 0, 1);
		decode_lines(lr, encs[i], scratch);
		line_reader_free(lr);
	}
	free(scratch);
	return 0;
}

FUZZ_MAIN(fuzz_decode)
