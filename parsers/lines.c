/* SPDX-License-Identifier: MIT */
/*
 * lines.c -- bounded line assembly over a stream of chunks.
 *
 * A line end is the first CR or LF: with AVX2 (chosen at run time) one
 * pass looks at 64 bytes a step, with SSE2 32 bytes a step, elsewhere
 * memchr for '\n' and a second memchr for '\r' over the same (short)
 * span, so CRLF, LF and lone CR cost no per-byte loop either way.  A CR
 * that is the last byte of a chunk ends its line at once; whether an LF follows is only known from the next chunk,
 * so `skip_lf` remembers to swallow it there.  Memory is the carry buffer
 * of max_line bytes, allocated once.  The vector scans also note whether
 * a byte >= 0x80 came before the line end (one more movemask a block), so
 * the caller can skip its UTF-8 check on ASCII lines.
 */
#include "parsers/lines.h"

#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#define LINES_SSE2 1
#else
#define LINES_SSE2 0
#endif

/* AVX2 is chosen at run time (line_reader_new), so the binary still runs
 * on any x86-64; the SSE2 path stays the baseline. */
#if LINES_SSE2 && (defined(__x86_64__) || defined(__i386__))
#include <immintrin.h>
#define LINES_AVX2 1
#else
#define LINES_AVX2 0
#endif

struct line_reader {
	size_t max_line;
	char *carry;		/* start of a line that spans chunks */
	size_t carry_len;
	int dropping;		/* skipping the rest of a cut line */
	int skip_lf;		/* the last chunk ended with CR */
	const char *buf;	/* current chunk (borrowed) */
	size_t len, pos;
	int is_last;
	int avx2;		/* find line ends with find_eol_avx2() */
	uint64_t number;	/* lines returned */
	uint64_t cut_count;
};

/*
 * 1 if this CPU has AVX2 and MARSLOG_NO_AVX2 is unset or empty.  The
 * variable exists so the tests (and anyone chasing a bug) can run the
 * SSE2 path on an AVX2 machine; it is read once per reader.
 */
static int
use_avx2(void)
{
#if LINES_AVX2
	const char *no = getenv("MARSLOG_NO_AVX2");

	return __builtin_cpu_supports("avx2") && (no == NULL || *no == '\0');
#else
	return 0;
#endif
}

struct line_reader *
line_reader_new(size_t max_line)
{
	struct line_reader *lr;

	if (max_line == 0)
		return NULL;
	lr = calloc(1, sizeof(*lr));
	if (!lr)
		return NULL;
	lr->carry = malloc(max_line);
	if (!lr->carry) {
		free(lr);
		return NULL;
	}
	lr->max_line = max_line;
	lr->avx2 = use_avx2();
	return lr;
}

void
line_reader_free(struct line_reader *lr)
{
	if (!lr)
		return;
	free(lr->carry);
	free(lr);
}

void
line_reader_feed(struct line_reader *lr, const char *buf, size_t len,
    int is_last)
{
	lr->buf = buf;
	lr->len = buf ? len : 0;
	lr->pos = 0;
	lr->is_last = is_last;
}

uint64_t
line_reader_cut_count(const struct line_reader *lr)
{
	return lr->cut_count;
}

#if LINES_SSE2
/* Bit i set if byte i at p is CR or LF; *hi: bit i set if it is >= 0x80. */
static unsigned
eol_mask16(const char *p, unsigned *hi)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);

	*hi = (unsigned)_mm_movemask_epi8(v);
	return (unsigned)_mm_movemask_epi8(_mm_or_si128(
	    _mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
	    _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))));
}

/* The bits of `hi` below the lowest set bit of m (m != 0). */
#define HI_BEFORE(hi, m) ((hi) & (((m) & -(m)) - 1))

/* The first CR or LF in p[0..n), or NULL; *ascii: no byte >= 0x80
 * before it. */
static const char *
find_eol(const char *p, size_t n, int *ascii)
{
	size_t i = 0;
	unsigned m, h, h2, any = 0;

	for (; i + 32 <= n; i += 32) {
		m = eol_mask16(p + i, &h) | eol_mask16(p + i + 16, &h2) << 16;
		h |= h2 << 16;
		if (m != 0) {
			*ascii = (any | HI_BEFORE(h, m)) == 0;
			return p + i + __builtin_ctz(m);
		}
		any |= h;
	}
	if (i + 16 <= n) {
		if ((m = eol_mask16(p + i, &h)) != 0) {
			*ascii = (any | HI_BEFORE(h, m)) == 0;
			return p + i + __builtin_ctz(m);
		}
		any |= h;
		i += 16;
	}
	/* the tail as one load overlapping checked bytes */
	if (i < n && n >= 16) {
		m = eol_mask16(p + n - 16, &h) >> (16 - (n - i));
		h >>= 16 - (n - i);
		if (m == 0)
			return NULL;
		*ascii = (any | HI_BEFORE(h, m)) == 0;
		return p + i + __builtin_ctz(m);
	}
	for (; i < n; i++) {
		if (p[i] == '\n' || p[i] == '\r') {
			*ascii = any == 0;
			return p + i;
		}
		any |= (unsigned char)p[i] >= 0x80;
	}
	return NULL;
}

#if LINES_AVX2
/*
 * Bit i set if byte i at p is CR or LF: one vpshufb looks up the byte's
 * low nibble in a table that holds '\n' at 0x0A, '\r' at 0x0D and, at
 * every other index, a byte whose low nibble differs from the index (so
 * no byte can equal it; bytes >= 0x80 look up 0, which none equals
 * either), and one compare against the byte itself.
 */
__attribute__((target("avx2")))
static uint32_t
eol_mask32(const char *p, uint32_t *hi)
{
	const __m256i tbl = _mm256_setr_epi8(1, 0, 1, 1, 1, 1, 1, 1, 1, 1,
	    '\n', 1, 1, '\r', 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, '\n', 1, 1,
	    '\r', 1, 1);
	__m256i v = _mm256_loadu_si256((const __m256i *)(const void *)p);

	*hi = (uint32_t)_mm256_movemask_epi8(v);
	return (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(
	    _mm256_shuffle_epi8(tbl, v), v));
}

/* find_eol() 64 bytes a step; short spans go to find_eol(). */
__attribute__((target("avx2")))
static const char *
find_eol_avx2(const char *p, size_t n, int *ascii)
{
	size_t i = 0;
	uint64_t m, h, any = 0;
	uint32_t h1, h2;

	if (n < 32)
		return find_eol(p, n, ascii);
	for (; i + 64 <= n; i += 64) {
		m = eol_mask32(p + i, &h1) |
		    (uint64_t)eol_mask32(p + i + 32, &h2) << 32;
		h = h1 | (uint64_t)h2 << 32;
		if (m != 0) {
			*ascii = (any | HI_BEFORE(h, m)) == 0;
			return p + i + __builtin_ctzll(m);
		}
		any |= h;
	}
	if (i + 32 <= n) {
		if ((m = eol_mask32(p + i, &h1)) != 0) {
			*ascii = (any | HI_BEFORE(h1, m)) == 0;
			return p + i + __builtin_ctzll(m);
		}
		any |= h1;
		i += 32;
	}
	/* the tail as one load overlapping checked bytes */
	if (i < n) {
		m = eol_mask32(p + n - 32, &h1) >> (32 - (n - i));
		h = h1 >> (32 - (n - i));
		if (m == 0)
			return NULL;
		*ascii = (any | HI_BEFORE(h, m)) == 0;
		return p + i + __builtin_ctzll(m);
	}
	return NULL;
}
#endif

/*
 * Finds the first line end in p[0..n): sets *end to the offset of the end
 * and *ascii to 1 if no byte before it is >= 0x80 (0: there is one, or
 * not known), and returns the length of the terminator (1 or 2), or 0 if
 * there is none.
 */
static size_t
find_end(const struct line_reader *lr, const char *p, size_t n, size_t *end,
    int *ascii)
{
#if LINES_AVX2
	const char *c = lr->avx2 ? find_eol_avx2(p, n, ascii) :
	    find_eol(p, n, ascii);
#else
	const char *c = find_eol(p, n, ascii);

	(void)lr;
#endif

	if (!c)
		return 0;
	*end = (size_t)(c - p);
	return *c == '\r' && *end + 1 < n && c[1] == '\n' ? 2 : 1;
}
#else
/* As above; ASCII is never known here. */
static size_t
find_end(const struct line_reader *lr, const char *p, size_t n, size_t *end,
    int *ascii)
{
	const char *nl = memchr(p, '\n', n);
	size_t span = nl ? (size_t)(nl - p) : n;
	const char *cr = memchr(p, '\r', span);

	(void)lr;
	*ascii = 0;

	if (cr) {
		*end = (size_t)(cr - p);
		return cr + 1 == nl ? 2 : 1;
	}
	if (nl) {
		*end = span;
		return 1;
	}
	return 0;
}
#endif

/* Moves past a terminator of length t at offset e of the chunk. */
static void
consume_end(struct line_reader *lr, size_t e, size_t t)
{
	lr->pos += e + t;
	/* a CR as the chunk's last byte: an LF may open the next chunk */
	if (t == 1 && lr->buf[lr->pos - 1] == '\r' && lr->pos == lr->len)
		lr->skip_lf = 1;
}

static void
set_line(struct line_reader *lr, struct line *line, const char *p, size_t n,
    int cut)
{
	line->p = p;
	line->n = n;
	line->cut = cut;
	line->ascii = 0;
	line->number = ++lr->number;
	if (cut)
		lr->cut_count++;
}

/* Appends up to the carry's room; returns 1 if bytes had to be dropped. */
static int
carry_append(struct line_reader *lr, const char *p, size_t n)
{
	size_t room = lr->max_line - lr->carry_len;
	int cut = n > room;

	if (cut)
		n = room;
	memcpy(lr->carry + lr->carry_len, p, n);
	lr->carry_len += n;
	return cut;
}

enum lr_status
line_reader_next(struct line_reader *lr, struct line *line)
{
	const char *p;
	size_t rem, e, t;
	int cut, ascii = 0;

	if (lr->skip_lf && lr->pos < lr->len) {
		if (lr->buf[lr->pos] == '\n')
			lr->pos++;
		lr->skip_lf = 0;
	}
	while (lr->dropping) {
		if (lr->pos >= lr->len) {
			if (lr->is_last)
				lr->dropping = 0;
			return LR_NEED_MORE;
		}
		p = lr->buf + lr->pos;
		rem = lr->len - lr->pos;
		t = find_end(lr, p, rem, &e, &ascii);
		if (t == 0) {
			lr->pos = lr->len;
			continue;
		}
		consume_end(lr, e, t);
		lr->dropping = 0;
	}
	if (lr->pos >= lr->len) {
		if (lr->is_last && lr->carry_len > 0) {
			set_line(lr, line, lr->carry, lr->carry_len, 0);
			lr->carry_len = 0;
			return LR_LINE;
		}
		return LR_NEED_MORE;
	}
	p = lr->buf + lr->pos;
	rem = lr->len - lr->pos;
	t = find_end(lr, p, rem, &e, &ascii);
	if (t > 0) {
		consume_end(lr, e, t);
		if (lr->carry_len > 0) {
			cut = carry_append(lr, p, e);
			set_line(lr, line, lr->carry, lr->carry_len, cut);
			lr->carry_len = 0;
		} else if (e > lr->max_line) {
			set_line(lr, line, p, lr->max_line, 1);
		} else {
			set_line(lr, line, p, e, 0);
			line->ascii = ascii;
		}
		return LR_LINE;
	}
	/* no line end in the rest of this chunk */
	lr->pos = lr->len;
	if (lr->carry_len + rem > lr->max_line) {
		/* already too long: return the head now, drop the rest */
		if (lr->carry_len > 0) {
			carry_append(lr, p, rem);
			set_line(lr, line, lr->carry, lr->carry_len, 1);
			lr->carry_len = 0;
		} else {
			set_line(lr, line, p, lr->max_line, 1);
		}
		lr->dropping = !lr->is_last;
		return LR_LINE;
	}
	carry_append(lr, p, rem);
	if (lr->is_last) {
		set_line(lr, line, lr->carry, lr->carry_len, 0);
		lr->carry_len = 0;
		return LR_LINE;
	}
	return LR_NEED_MORE;
}
