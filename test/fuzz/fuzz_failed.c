/* SPDX-License-Identifier: MIT */
/*
 * fuzz_failed.c -- the LastBackupFailedFiles*.txt line parser on arbitrary
 * lines, and the name helpers on the first line.
 *
 * Properties: the path and text spans of an item lie inside its line, and
 * the parser is stateless (the same line gives the same item twice).
 */
#include <string.h>

#include "parsers/failed.h"
#include "test/fuzz/fuzz.h"

static int
failed_span_in(struct ml_span s, const char *line, size_t len)
{
	return s.n == 0 || (s.p >= line && s.p + s.n <= line + len);
}

int
fuzz_failed(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *end = text + size, *line, *nl;
	char name[256];
	int first = 1;

	for (line = text; line < end; line = nl + 1) {
		struct failed_item a, b;
		size_t len;
		int r;

		nl = memchr(line, '\n', (size_t)(end - line));
		if (nl == NULL)
			nl = end;
		len = (size_t)(nl - line);
		if (first) {
			size_t n = len < sizeof name - 1 ? len : sizeof name - 1;

			memcpy(name, line, n);
			name[n] = '\0';
			(void)failed_name_matches(name);
			(void)failed_time_from_name(name);
			first = 0;
		}
		memset(&a, 0, sizeof a);
		memset(&b, 0, sizeof b);
		r = failed_parse_line(line, len, &a);
		FUZZ_CHECK(r == 0 || r == 1);
		FUZZ_CHECK(failed_parse_line(line, len, &b) == r);
		if (r == 1) {
			FUZZ_CHECK(failed_span_in(a.path, line, len));
			FUZZ_CHECK(failed_span_in(a.text, line, len));
			FUZZ_CHECK(a.path.n == b.path.n && a.text.n == b.text.n &&
			    a.has_hresult == b.has_hresult &&
			    (!a.has_hresult || a.hresult == b.hresult));
		}
	}
	return 0;
}

FUZZ_MAIN(fuzz_failed)
