/* SPDX-License-Identifier: MIT */
/*
 * fuzz_errlog.c -- the errlog record parser on arbitrary lines.
 *
 * The input is split at LF into lines that go through errlog_parse_line
 * in order (so continuations follow records), errlog_line_is_record and
 * errlog_level_from_word; the first line is also taken as a crash-copy
 * file name.  The first byte picks --year or a reference time.
 *
 * Properties: every span of a record lies inside the line it came from
 * (or, for a continuation's header fields, is readable), and a line that
 * errlog_line_is_record accepts is parsed as a record, not a continuation.
 */
#include <string.h>

#include "parsers/errlog.h"
#include "test/fuzz/fuzz.h"

/* The span is inside [line, line + len) or empty. */
static int
errlog_span_in(struct ml_span s, const char *line, size_t len)
{
	return s.n == 0 || (s.p >= line && s.p + s.n <= line + len);
}

/* Touch every byte of a span, so ASan sees a read of freed or foreign
 * memory. */
static unsigned
errlog_span_sum(struct ml_span s)
{
	unsigned sum = 0;
	size_t i;

	for (i = 0; i < s.n; i++)
		sum += (unsigned char)s.p[i];
	return sum;
}

int
fuzz_errlog(const uint8_t *data, size_t size)
{
	struct errlog_options eo;
	struct errlog_parser *p;
	const char *text = (const char *)data, *end = text + size, *line, *nl;
	char name[128];
	uint64_t no = 0;
	volatile unsigned sink = 0;

	eo.year = size > 0 && data[0] % 4 == 0 ? 1990 + data[0] % 100 : 0;
	eo.reference_time = size > 0 && data[0] % 4 == 1 ? ML_TIME_NONE :
	    1717900000000;
	p = errlog_parser_new(&eo);
	FUZZ_CHECK(p != NULL);
	for (line = text; line < end; line = nl + 1) {
		struct errlog_record rec;
		size_t len;
		int is_record, r;

		nl = memchr(line, '\n', (size_t)(end - line));
		if (nl == NULL)
			nl = end;
		len = (size_t)(nl - line);
		if (no == 0) {
			size_t n = len < sizeof name - 1 ? len : sizeof name - 1;

			memcpy(name, line, n);
			name[n] = '\0';
			(void)errlog_time_from_name(name);
		}
		is_record = errlog_line_is_record(line, len);
		(void)errlog_level_from_word(line, len < 16 ? len : 16);
		memset(&rec, 0, sizeof rec);
		r = errlog_parse_line(p, line, len, ++no, &rec);
		FUZZ_CHECK(r == 0 || r == 1);
		if (is_record)
			FUZZ_CHECK(r == 1 && !rec.continuation);
		if (r == 1) {
			FUZZ_CHECK(errlog_span_in(rec.message, line, len));
			FUZZ_CHECK(rec.level >= ML_LEVEL_NONE &&
			    rec.level <= ML_LEVEL_FATAL);
			FUZZ_CHECK(rec.line == no);
			if (!rec.continuation) {
				FUZZ_CHECK(errlog_span_in(rec.source, line, len));
				FUZZ_CHECK(errlog_span_in(rec.object, line, len));
				FUZZ_CHECK(errlog_span_in(rec.task, line, len));
			}
			sink += errlog_span_sum(rec.source) +
			    errlog_span_sum(rec.object) +
			    errlog_span_sum(rec.task) +
			    errlog_span_sum(rec.message);
		}
		/* the further records of a flattened line: each a record,
		 * each shorter than the part before */
		while (rec.rest > 0) {
			const char *part = line + len - rec.rest;
			size_t plen = rec.rest;

			FUZZ_CHECK(rec.rest < len);
			FUZZ_CHECK(errlog_line_is_record(part, plen));
			r = errlog_parse_line(p, part, plen, no, &rec);
			FUZZ_CHECK(r == 1 && !rec.continuation);
			FUZZ_CHECK(errlog_span_in(rec.message, part, plen));
			FUZZ_CHECK(rec.rest < plen);
			line = part;
			len = plen;
		}
	}
	(void)errlog_parser_unparsed(p);
	errlog_parser_free(p);
	(void)sink;
	return 0;
}

FUZZ_MAIN(fuzz_errlog)
