/* SPDX-License-Identifier: MIT */
/*
 * decode.c -- encoding sniffing, streaming UTF-16 -> UTF-8, and per-line
 * UTF-8 / cp1252 repair.
 *
 * Hot paths: UTF-16 input that is plain ASCII (nearly all of an errlog) is
 * narrowed 16 code units at a time, and UTF-8 lines are checked 16 bytes at
 * a time before any per-byte work (64 with AVX2, chosen at run time).
 * With SSE2 (every x86-64) both use vector compares and
 * _mm_packus_epi16; elsewhere, on little-endian hosts, 64-bit words do the
 * same job more slowly, and on other hosts the
 * per-unit loop does it.
 */
#include "parsers/decode.h"

#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#define DECODE_SSE2 1
#else
#define DECODE_SSE2 0
#endif

#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define DECODE_LE_WORDS 1
#else
#define DECODE_LE_WORDS 0
#endif

/* AVX2 is chosen at run time (use_avx2()), so the binary still runs on
 * any x86-64. */
#if DECODE_SSE2 && (defined(__x86_64__) || defined(__i386__))
#include <immintrin.h>
#define DECODE_AVX2 1
#else
#define DECODE_AVX2 0
#endif

#define HIGH_BITS 0x8080808080808080ULL

struct utf16_decoder {
	int big_endian;
	int has_odd;		/* odd byte carried from the last call */
	unsigned char odd;
	unsigned high;		/* pending high surrogate, 0 if none */
	int failed;		/* an output buffer could not be allocated */
	uint64_t replacements;
	char *buf;		/* output, valid until the next call */
	size_t cap;
};

/*
 * Windows-1252 0x80..0x9F; 0 marks the five undefined bytes, which become
 * U+FFFD.  0xA0..0xFF are the same code points as Latin-1.
 */
static const unsigned short cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178
};

const char *
text_encoding_name(enum text_encoding enc)
{
	switch (enc) {
	case TEXT_UTF8: return "utf-8";
	case TEXT_UTF16LE: return "utf-16le";
	case TEXT_UTF16BE: return "utf-16be";
	case TEXT_CP1252: return "cp1252";
	case TEXT_BINARY: return "binary";
	case TEXT_UNKNOWN: break;
	}
	return "unknown";
}

/* Writes code point c (< 0x110000, not a surrogate) as UTF-8. */
static char *
put_utf8(char *o, unsigned c)
{
	if (c < 0x80) {
		*o++ = (char)c;
	} else if (c < 0x800) {
		*o++ = (char)(0xC0 | (c >> 6));
		*o++ = (char)(0x80 | (c & 0x3F));
	} else if (c < 0x10000) {
		*o++ = (char)(0xE0 | (c >> 12));
		*o++ = (char)(0x80 | ((c >> 6) & 0x3F));
		*o++ = (char)(0x80 | (c & 0x3F));
	} else {
		*o++ = (char)(0xF0 | (c >> 18));
		*o++ = (char)(0x80 | ((c >> 12) & 0x3F));
		*o++ = (char)(0x80 | ((c >> 6) & 0x3F));
		*o++ = (char)(0x80 | (c & 0x3F));
	}
	return o;
}

/*
 * Length of the valid UTF-8 sequence at s[0..n), or 0 if it is invalid.
 * *truncated is set when the bytes present are a valid start of a
 * sequence that runs past n.
 */
static size_t
utf8_seq_len(const unsigned char *s, size_t n, int *truncated)
{
	unsigned c = s[0], lo = 0x80, hi = 0xBF;
	size_t need, i;

	*truncated = 0;
	if (c < 0x80)
		return 1;
	if (c < 0xC2)
		return 0;			/* continuation or overlong */
	if (c < 0xE0) {
		need = 2;
	} else if (c < 0xF0) {
		need = 3;
		if (c == 0xE0)
			lo = 0xA0;		/* overlong */
		else if (c == 0xED)
			hi = 0x9F;		/* surrogates */
	} else if (c < 0xF5) {
		need = 4;
		if (c == 0xF0)
			lo = 0x90;		/* overlong */
		else if (c == 0xF4)
			hi = 0x8F;		/* > U+10FFFF */
	} else {
		return 0;
	}
	for (i = 1; i < need; i++) {
		if (i >= n) {
			*truncated = 1;
			return 0;
		}
		if (s[i] < lo || s[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xBF;
	}
	return need;
}

#if DECODE_SSE2
static __m128i
load16(const unsigned char *s)
{
	return _mm_loadu_si128((const __m128i *)(const void *)s);
}
#endif

#if DECODE_AVX2
/*
 * 1 if this CPU has AVX2 and MARSLOG_NO_AVX2 is unset or empty (the tests
 * set it to run the SSE2 path on an AVX2 machine).  Worked out once per
 * process; threads that race here store the same value.
 */
static int
use_avx2(void)
{
	static int state;	/* 0 not known yet, 1 no, 2 yes */
	int st = __atomic_load_n(&state, __ATOMIC_RELAXED);
	const char *no;

	if (st == 0) {
		no = getenv("MARSLOG_NO_AVX2");
		st = __builtin_cpu_supports("avx2") &&
		    (no == NULL || *no == '\0') ? 2 : 1;
		__atomic_store_n(&state, st, __ATOMIC_RELAXED);
	}
	return st == 2;
}

/* ascii_prefix() 64 bytes a step, for n >= 32. */
__attribute__((target("avx2")))
static size_t
ascii_prefix_avx2(const unsigned char *s, size_t n)
{
	size_t i = 0;
	uint64_t m;

	for (; i + 64 <= n; i += 64) {
		__m256i a = _mm256_loadu_si256((const __m256i *)(const void *)
		    (s + i));
		__m256i b = _mm256_loadu_si256((const __m256i *)(const void *)
		    (s + i + 32));

		if (_mm256_movemask_epi8(_mm256_or_si256(a, b)) != 0) {
			m = (uint32_t)_mm256_movemask_epi8(a) |
			    (uint64_t)(uint32_t)_mm256_movemask_epi8(b) << 32;
			return i + (size_t)__builtin_ctzll(m);
		}
	}
	if (i + 32 <= n) {
		m = (uint32_t)_mm256_movemask_epi8(_mm256_loadu_si256(
		    (const __m256i *)(const void *)(s + i)));
		if (m != 0)
			return i + (size_t)__builtin_ctzll(m);
		i += 32;
	}
	/* the tail as one load overlapping checked bytes */
	if (i < n) {
		m = (uint32_t)_mm256_movemask_epi8(_mm256_loadu_si256(
		    (const __m256i *)(const void *)(s + n - 32)));
		if (m != 0)
			return n - 32 + (size_t)__builtin_ctzll(m);
	}
	return n;
}
#endif

/* Index of the first byte >= 0x80 in s[0..n), or n. */
static size_t
ascii_prefix(const unsigned char *s, size_t n)
{
	size_t i = 0;

#if DECODE_AVX2
	if (n >= 32 && use_avx2())
		return ascii_prefix_avx2(s, n);
#endif

#if DECODE_SSE2
	int m;

	if (n >= 16) {
		for (; i + 32 <= n; i += 32) {
			if (_mm_movemask_epi8(_mm_or_si128(load16(s + i),
			    load16(s + i + 16))) != 0)
				break;
		}
		for (; i + 16 <= n; i += 16) {
			if ((m = _mm_movemask_epi8(load16(s + i))) != 0)
				return i + (size_t)__builtin_ctz((unsigned)m);
		}
		/* the tail as one load overlapping checked bytes */
		if (i < n && (m = _mm_movemask_epi8(load16(s + n - 16))) != 0)
			return n - 16 + (size_t)__builtin_ctz((unsigned)m);
		return n;
	}
#elif DECODE_LE_WORDS
	uint64_t a, b;

	for (; i + 16 <= n; i += 16) {
		memcpy(&a, s + i, 8);
		memcpy(&b, s + i + 8, 8);
		if ((a | b) & HIGH_BITS)
			break;
	}
	for (; i + 8 <= n; i += 8) {
		memcpy(&a, s + i, 8);
		if (a & HIGH_BITS)
			break;
	}
#endif
	while (i < n && s[i] < 0x80)
		i++;
	return i;
}

/*
 * Validates s[0..n).  Returns the offset of the first invalid byte, or n.
 * With allow_cut, a sequence cut short by the end of the buffer counts as
 * valid (a sniff sample may end anywhere).
 */
static size_t
utf8_check(const unsigned char *s, size_t n, int allow_cut)
{
	size_t i = 0, k;
	int truncated;

	for (;;) {
		i += ascii_prefix(s + i, n - i);
		if (i >= n)
			return n;
		k = utf8_seq_len(s + i, n - i, &truncated);
		if (k == 0)
			return truncated && allow_cut ? n : i;
		i += k;
	}
}

int
utf8_valid(const char *buf, size_t len)
{
	return utf8_check((const unsigned char *)buf, len, 0) == len;
}

enum text_encoding
text_sniff(const unsigned char *buf, size_t len, size_t *bom_len)
{
	size_t i, pairs = len / 2, nul_even = 0, nul_odd = 0, ctl = 0;

	*bom_len = 0;
	if (len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF) {
		*bom_len = 3;
		return TEXT_UTF8;
	}
	if (len >= 2 && buf[0] == 0xFF && buf[1] == 0xFE) {
		*bom_len = 2;
		return TEXT_UTF16LE;
	}
	if (len >= 2 && buf[0] == 0xFE && buf[1] == 0xFF) {
		*bom_len = 2;
		return TEXT_UTF16BE;
	}
	if (len == 0)
		return TEXT_UTF8;

	for (i = 0; i < len; i++) {
		if (buf[i] == 0) {
			if (i & 1)
				nul_odd++;
			else
				nul_even++;
		} else if (buf[i] < 0x20 && buf[i] != '\t' && buf[i] != '\n' &&
		    buf[i] != '\r' && buf[i] != '\f') {
			ctl++;
		}
	}
	/*
	 * ASCII-heavy UTF-16 has a NUL in nearly every high byte and almost
	 * none in the low bytes.  30 % leaves room for CJK text; the other
	 * half must have at most a tenth as many, so a run of zeros (NULs at
	 * both parities) is not mistaken for text.
	 */
	if (pairs > 0) {
		if (nul_odd * 10 >= pairs * 3 && nul_even * 10 <= nul_odd)
			return TEXT_UTF16LE;
		if (nul_even * 10 >= pairs * 3 && nul_odd * 10 <= nul_even)
			return TEXT_UTF16BE;
	}
	/* A stray NUL or two (a padded tail) is tolerated as a control byte;
	 * more than 1 % without the UTF-16 pattern is binary. */
	if ((nul_even + nul_odd) * 100 >= len)
		return TEXT_BINARY;
	ctl += nul_even + nul_odd;
	/* Text of any encoding has next to no C0 controls beyond TAB, CR,
	 * LF and FF; random bytes have about 11 %. */
	if (ctl * 50 > len)
		return TEXT_BINARY;
	if (utf8_check(buf, len, 1) == len)
		return TEXT_UTF8;
	return TEXT_CP1252;
}

struct utf16_decoder *
utf16_decoder_new(int big_endian)
{
	struct utf16_decoder *d = calloc(1, sizeof(*d));

	if (d)
		d->big_endian = big_endian != 0;
	return d;
}

void
utf16_decoder_free(struct utf16_decoder *d)
{
	if (!d)
		return;
	free(d->buf);
	free(d);
}

static char *
put_replacement(struct utf16_decoder *d, char *o)
{
	d->replacements++;
	return put_utf8(o, 0xFFFD);
}

/* One UTF-16 code unit, with the pending high surrogate (if any). */
static char *
put_unit(struct utf16_decoder *d, unsigned u, char *o)
{
	if (d->high) {
		if (u >= 0xDC00 && u <= 0xDFFF) {
			o = put_utf8(o, 0x10000 + ((d->high - 0xD800) << 10) +
			    (u - 0xDC00));
			d->high = 0;
			return o;
		}
		d->high = 0;
		o = put_replacement(d, o);
	}
	if (u < 0x80) {
		*o++ = (char)u;
	} else if (u >= 0xD800 && u <= 0xDBFF) {
		d->high = u;
	} else if (u >= 0xDC00 && u <= 0xDFFF) {
		o = put_replacement(d, o);
	} else {
		o = put_utf8(o, u);
	}
	return o;
}

#if DECODE_SSE2
/*
 * Narrows 32 input bytes (16 ASCII code units) to 16 output bytes, or
 * returns 0 without writing when any unit is >= 0x80.  Units are loaded as
 * little-endian 16-bit lanes; for big-endian input the character is the
 * lane's high byte, so the lanes are shifted down first.  The test must
 * come before the pack: _mm_packus_epi16 clamps units >= 0x8000 to 0.
 */
static int
narrow16(const unsigned char *in, char *o, int big_endian)
{
	__m128i a = load16(in), b = load16(in + 16);
	__m128i mask = _mm_set1_epi16(big_endian ? (short)0x80FF :
	    (short)0xFF80);
	__m128i t = _mm_and_si128(_mm_or_si128(a, b), mask);

	if (_mm_movemask_epi8(_mm_cmpeq_epi8(t, _mm_setzero_si128())) !=
	    0xFFFF)
		return 0;
	if (big_endian) {
		a = _mm_srli_epi16(a, 8);
		b = _mm_srli_epi16(b, 8);
	}
	_mm_storeu_si128((__m128i *)(void *)o, _mm_packus_epi16(a, b));
	return 1;
}
#elif DECODE_LE_WORDS
/*
 * Narrows 16 input bytes (8 ASCII code units) to 8 output bytes, or
 * returns 0 without writing when any unit is >= 0x80.  `shift` is 0 for
 * little-endian units (the character is the even byte), 8 for big-endian.
 */
static int
narrow8(const unsigned char *in, char *o, uint64_t mask, unsigned shift)
{
	uint64_t a, b;

	memcpy(&a, in, 8);
	memcpy(&b, in + 8, 8);
	if ((a | b) & mask)
		return 0;
	a >>= shift;
	b >>= shift;
	/* bytes c0 0 c1 0 c2 0 c3 0 -> c0 c1 c2 c3 */
	a = (a | (a >> 8)) & 0x0000FFFF0000FFFFULL;
	a = (a | (a >> 16)) & 0xFFFFFFFFULL;
	b = (b | (b >> 8)) & 0x0000FFFF0000FFFFULL;
	b = (b | (b >> 16)) & 0xFFFFFFFFULL;
	a |= b << 32;
	memcpy(o, &a, 8);
	return 1;
}
#endif

size_t
utf16_decoder_run(struct utf16_decoder *d, const unsigned char *in,
    size_t len, const char **out)
{
	/* worst case: every unit (plus a carried one) is 3 bytes, and a
	 * dropped high surrogate adds one U+FFFD */
	size_t need = (len / 2 + 2) * 3 + 3, i = 0;
	unsigned hi = d->big_endian ? 0 : 1, lo = 1 - hi;
	char *o;
#if !DECODE_SSE2 && DECODE_LE_WORDS
	uint64_t mask = d->big_endian ? 0x80FF80FF80FF80FFULL :
	    0xFF80FF80FF80FF80ULL;
	unsigned shift = d->big_endian ? 8 : 0;
#endif

	if (need > d->cap) {
		char *nb = realloc(d->buf, need);

		if (!nb) {
			d->failed = 1;
			*out = "";
			return 0;
		}
		d->buf = nb;
		d->cap = need;
	}
	o = d->buf;
	if (d->has_odd && len > 0) {
		unsigned char pair[2] = { d->odd, in[0] };

		o = put_unit(d, (unsigned)pair[hi] << 8 | pair[lo], o);
		d->has_odd = 0;
		i = 1;
	}
	while (i + 2 <= len) {
#if DECODE_SSE2
		if (!d->high) {
			while (i + 64 <= len &&
			    narrow16(in + i, o, d->big_endian) &&
			    narrow16(in + i + 32, o + 16, d->big_endian)) {
				i += 64;
				o += 32;
			}
			while (i + 32 <= len &&
			    narrow16(in + i, o, d->big_endian)) {
				i += 32;
				o += 16;
			}
			if (i + 2 > len)
				break;
		}
#elif DECODE_LE_WORDS
		if (!d->high) {
			while (i + 32 <= len && narrow8(in + i, o, mask, shift) &&
			    narrow8(in + i + 16, o + 8, mask, shift)) {
				i += 32;
				o += 16;
			}
			while (i + 16 <= len && narrow8(in + i, o, mask, shift)) {
				i += 16;
				o += 8;
			}
			if (i + 2 > len)
				break;
		}
#endif
		o = put_unit(d, (unsigned)in[i + hi] << 8 | in[i + lo], o);
		i += 2;
	}
	if (i < len) {
		d->odd = in[i];
		d->has_odd = 1;
	}
	*out = d->buf;
	return (size_t)(o - d->buf);
}

size_t
utf16_decoder_finish(struct utf16_decoder *d, const char **out)
{
	char *o;

	if (d->cap < 8) {
		char *nb = realloc(d->buf, 8);

		if (!nb) {
			d->failed = 1;
			*out = "";
			return 0;
		}
		d->buf = nb;
		d->cap = 8;
	}
	o = d->buf;
	if (d->high) {
		d->high = 0;
		o = put_replacement(d, o);
	}
	if (d->has_odd) {
		d->has_odd = 0;
		o = put_replacement(d, o);
	}
	*out = d->buf;
	return (size_t)(o - d->buf);
}

uint64_t
utf16_decoder_replacements(const struct utf16_decoder *d)
{
	return d->replacements;
}

int
utf16_decoder_failed(const struct utf16_decoder *d)
{
	return d->failed;
}

/* cp1252 byte b >= 0x80 as UTF-8; *bad is set for the undefined ones. */
static char *
put_cp1252(char *o, unsigned char b, int *bad)
{
	unsigned c = b;

	*bad = 0;
	if (b < 0xA0) {
		c = cp1252_high[b - 0x80];
		if (c == 0) {
			c = 0xFFFD;
			*bad = 1;
		}
	}
	return put_utf8(o, c);
}

const char *
text_line_to_utf8(enum text_encoding enc, const char *line, size_t len,
    char *scratch, size_t *out_len, uint64_t *replacements)
{
	const unsigned char *s = (const unsigned char *)line;
	size_t i = ascii_prefix(s, len), k;
	char *o;
	int bad, truncated;

	if (i == len) {
		*out_len = len;
		return line;
	}
	if (enc != TEXT_CP1252 && utf8_check(s + i, len - i, 0) == len - i) {
		*out_len = len;
		return line;
	}
	memcpy(scratch, line, i);
	o = scratch + i;
	while (i < len) {
		if (s[i] < 0x80) {
			*o++ = (char)s[i++];
			continue;
		}
		if (enc != TEXT_CP1252) {
			k = utf8_seq_len(s + i, len - i, &truncated);
			if (k > 0) {
				memcpy(o, s + i, k);
				o += k;
				i += k;
				continue;
			}
			/* not UTF-8: every such byte counts, whatever
			 * cp1252 makes of it */
			(*replacements)++;
			o = put_cp1252(o, s[i++], &bad);
			continue;
		}
		o = put_cp1252(o, s[i++], &bad);
		*replacements += (uint64_t)bad;
	}
	*out_len = (size_t)(o - scratch);
	return scratch;
}
