/* SPDX-License-Identifier: MIT */
/*
 * decode.h -- find a file's text encoding and turn its bytes into UTF-8.
 *
 * MARS writes its traces as UTF-16LE with a BOM; people re-save them as
 * UTF-8 or ANSI (cp1252).  The pipeline is:
 *
 *   UTF-16LE/BE:  raw chunks -> utf16_decoder -> UTF-8 chunks -> lines
 *   UTF-8/cp1252: raw chunks -> lines -> text_line_to_utf8() per line
 *
 * UTF-8 is checked per line rather than per chunk because a line never
 * splits a multi-byte sequence, so valid lines (nearly all) pass through
 * without a copy.  Every invalid sequence, unpaired surrogate or odd
 * trailing byte becomes U+FFFD (or, in UTF-8 mode, the byte's cp1252
 * character) and is counted in `replacements`.
 *
 * Ownership: input buffers are borrowed for the call.  Output pointers
 * point into the decoder's own buffer (or the caller's input) and stay
 * valid until the next call on the same decoder.
 */
#ifndef MARSLOG_DECODE_H
#define MARSLOG_DECODE_H

#include <stddef.h>
#include <stdint.h>

enum text_encoding {
	TEXT_UNKNOWN = 0,
	TEXT_UTF8,		/* also plain ASCII */
	TEXT_UTF16LE,
	TEXT_UTF16BE,
	TEXT_CP1252,
	TEXT_BINARY		/* not text: skip the file */
};

/* "utf-8", "utf-16le", "utf-16be", "cp1252", "binary", "unknown" */
const char *text_encoding_name(enum text_encoding enc);

/*
 * Guess the encoding of a file from its first bytes (pass at least 4 KiB
 * when the file has that many).  Order: BOM; then NUL-byte statistics (many
 * NULs at odd offsets = UTF-16LE, at even offsets = UTF-16BE, NULs spread
 * otherwise = binary); then many C0 control bytes (more than 2 % other
 * than TAB, LF, CR, FF) -> TEXT_BINARY, whether or not the bytes are valid
 * UTF-8; then valid UTF-8 -> TEXT_UTF8 (a multi-byte sequence cut by the
 * end of the sample still counts as valid); else TEXT_CP1252.  An empty
 * sample is TEXT_UTF8.
 * *bom_len gets the number of BOM bytes to skip (0, 2 or 3).
 */
enum text_encoding text_sniff(const unsigned char *buf, size_t len,
    size_t *bom_len);

struct utf16_decoder;

/* big_endian: 0 for UTF-16LE, 1 for UTF-16BE.  Returns NULL on OOM. */
struct utf16_decoder *utf16_decoder_new(int big_endian);
void utf16_decoder_free(struct utf16_decoder *d);	/* accepts NULL */

/*
 * Decode the next `len` bytes.  A pair of bytes or a surrogate pair split
 * across calls is carried over.  *out points to the UTF-8 result (valid
 * until the next call); returns its length.
 */
size_t utf16_decoder_run(struct utf16_decoder *d, const unsigned char *in,
    size_t len, const char **out);

/* End of input: an odd trailing byte or an unpaired high surrogate becomes
 * U+FFFD.  Returns the length of the final output (often 0). */
size_t utf16_decoder_finish(struct utf16_decoder *d, const char **out);

/* U+FFFD substitutions made so far. */
uint64_t utf16_decoder_replacements(const struct utf16_decoder *d);

/* 1 once an output buffer could not be allocated: that call returned 0
 * bytes and the input it was given is lost.  The caller should report the
 * file as partial. */
int utf16_decoder_failed(const struct utf16_decoder *d);

/*
 * Line-level conversion for TEXT_UTF8 and TEXT_CP1252 input.  For UTF-8,
 * a valid line is returned as is (no copy); invalid bytes are read as
 * cp1252 into `scratch`.  For cp1252, bytes >= 0x80 are converted (a pure
 * ASCII line is returned as is).  Any other `enc` is treated as UTF-8.
 * `scratch` must hold 3 * len bytes.  *replacements is increased by the
 * number of bytes that were not valid UTF-8 (UTF-8 mode), or by the number
 * of undefined cp1252 bytes (0x81 0x8D 0x8F 0x90 0x9D) that became U+FFFD
 * (cp1252 mode).
 * Returns the UTF-8 text and sets *out_len.
 */
const char *text_line_to_utf8(enum text_encoding enc, const char *line,
    size_t len, char *scratch, size_t *out_len, uint64_t *replacements);

/* 1 if buf[0..len) is valid UTF-8 (no overlongs, surrogates or code
 * points above U+10FFFF). */
int utf8_valid(const char *buf, size_t len);

#endif
