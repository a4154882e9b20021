/* SPDX-License-Identifier: MIT */
/*
 * template.c -- masking of variable message parts (see template.h).
 *
 * A single left-to-right pass; each rule looks at the current position
 * only, so the cost is linear in the message.  Paths are masked up to the
 * next white space, quote or closing bracket: a path with spaces keeps its
 * tail, which is still stable enough for grouping.
 */
#include <string.h>

#include "analyzer/template.h"

static int
is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

static int
is_word(unsigned char c)
{
	return c == '_' || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* Length of a GUID (8-4-4-4-12 hex, optional braces) at s, or 0. */
static size_t
guid_len(const unsigned char *s, size_t n)
{
	static const size_t groups[] = { 8, 4, 4, 4, 12 };
	size_t i = 0, g, k;

	if (i < n && s[i] == '{')
		i++;
	for (g = 0; g < 5; g++) {
		for (k = 0; k < groups[g]; k++, i++)
			if (i >= n || !is_hex(s[i]))
				return 0;
		if (g < 4) {
			if (i >= n || s[i] != '-')
				return 0;
			i++;
		}
	}
	if (s[0] == '{') {
		if (i >= n || s[i] != '}')
			return 0;
		i++;
	}
	return i;
}

/* Length of a hex word at s: "0x" + hex digits, or a run of at least 8
 * hex digits with a decimal digit among them (codes written without 0x,
 * such as "1b7afbe0").  0 if none. */
static size_t
hex_len(const unsigned char *s, size_t n)
{
	size_t i = 0;
	int digit = 0;

	if (n >= 3 && s[0] == '0' && (s[1] | 0x20) == 'x' && is_hex(s[2])) {
		for (i = 2; i < n && is_hex(s[i]); i++)
			;
		return i;
	}
	for (; i < n && is_hex(s[i]); i++)
		digit |= s[i] >= '0' && s[i] <= '9';
	if (i >= 8 && digit && (i == n || !is_word(s[i])))
		return i;
	return 0;
}

/* Length of a path at s ("C:\...", "\\?\...", "\\server\...") or 0. */
static size_t
path_len(const unsigned char *s, size_t n)
{
	size_t i;

	if (n >= 3 && ((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z') &&
	    s[1] == ':' && (s[2] == '\\' || s[2] == '/'))
		i = 3;
	else if (n >= 3 && s[0] == '\\' && s[1] == '\\')
		i = 2;
	else
		return 0;
	while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '\'' &&
	    s[i] != '"' && s[i] != ')' && s[i] != ']' && s[i] != ',')
		i++;
	return i;
}

static int
is_alpha_(unsigned char c)
{
	return c == '_' || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static size_t
put(char *out, size_t o, const char *s, size_t n)
{
	if (o + n > TEMPLATE_MAX)
		n = TEMPLATE_MAX - o;
	memcpy(out + o, s, n);
	return o + n;
}

size_t
template_mask(const char *msg, size_t n, char *out)
{
	const unsigned char *s = (const unsigned char *)msg;
	size_t i = 0, o = 0, k;

	while (i < n && o < TEMPLATE_MAX) {
		unsigned char c = s[i];
		int at_word_start = i == 0 || !is_word(s[i - 1]);

		if (c == ' ' || c == '\t') {
			while (i < n && (s[i] == ' ' || s[i] == '\t'))
				i++;
			if (o > 0 && i < n)
				o = put(out, o, " ", 1);
			continue;
		}
		/* Letters are kept as they are: inside a word always, at its
		 * start unless they may begin a GUID, hex word or drive path.
		 * Copying the run at once is the common case's speed. */
		if (is_alpha_(c) && (!at_word_start || (!is_hex(c) &&
		    (i + 1 == n || s[i + 1] != ':')))) {
			for (k = i + 1; k < n && is_alpha_(s[k]); k++)
				;
			o = put(out, o, (const char *)s + i, k - i);
			i = k;
			continue;
		}
		if (at_word_start && (k = guid_len(s + i, n - i)) > 0) {
			o = put(out, o, "<guid>", 6);
			i += k;
			continue;
		}
		if (at_word_start && (k = path_len(s + i, n - i)) > 0) {
			o = put(out, o, "<path>", 6);
			i += k;
			continue;
		}
		if (at_word_start && (k = hex_len(s + i, n - i)) > 0) {
			o = put(out, o, "<hex>", 5);
			i += k;
			continue;
		}
		if ((c == '\'' || c == '"') && i + 1 < n) {
			const unsigned char *q = memchr(s + i + 1, c, n - i - 1);

			if (q != NULL && q - (s + i) <= 200) {
				o = put(out, o, c == '\'' ? "'<s>'" : "\"<s>\"", 5);
				i = (size_t)(q - s) + 1;
				continue;
			}
		}
		if (c >= '0' && c <= '9') {
			while (i < n && s[i] >= '0' && s[i] <= '9')
				i++;
			o = put(out, o, "<n>", 3);
			continue;
		}
		out[o++] = (char)c;
		i++;
	}
	/* Do not end in the middle of a UTF-8 sequence. */
	if (o == TEMPLATE_MAX) {
		k = o;
		while (k > 0 && ((unsigned char)out[k - 1] & 0xC0) == 0x80)
			k--;
		if (k > 0 && ((unsigned char)out[k - 1] & 0x80)) {
			unsigned char lead = (unsigned char)out[k - 1];
			size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;

			if (o - (k - 1) < want)
				o = k - 1;
		}
	}
	out[o] = '\0';
	return o;
}
