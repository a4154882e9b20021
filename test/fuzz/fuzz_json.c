/* SPDX-License-Identifier: MIT */
/*
 * fuzz_json.c -- the summary JSON reader, and the writer on what it read.
 *
 * An input the reader accepts is finished (sorted, totals recomputed) and
 * written; that output must read back, and writing the result again must
 * give the same bytes (the reader keeps a document as written, so the
 * writer's output is a fixed point).  A rejected input must say where
 * ("line:col: reason").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/json.h"
#include "reports/summary.h"
#include "test/fuzz/fuzz.h"

/* The summary as JSON in a malloc'd buffer. */
static char *
json_to_text(const struct summary *s, size_t *len)
{
	char *buf = NULL;
	FILE *fp = open_memstream(&buf, len);

	FUZZ_CHECK(fp != NULL);
	FUZZ_CHECK(summary_write_json(s, fp) == 0);
	FUZZ_CHECK(fclose(fp) == 0);
	return buf;
}

int
fuzz_json(const uint8_t *data, size_t size)
{
	struct summary *s, *again;
	char err[512], *one, *two;
	size_t n1 = 0, n2 = 0;

	err[0] = '\0';
	s = summary_from_json((const char *)data, size, err, sizeof err);
	if (s == NULL) {
		FUZZ_CHECK(err[0] >= '1' && err[0] <= '9' &&
		    strchr(err, ':') != NULL);
		return 0;
	}
	summary_finish(s);
	one = json_to_text(s, &n1);
	again = summary_from_json(one, n1, err, sizeof err);
	if (again == NULL)
		fprintf(stderr, "fuzz_json: output does not read back: %s\n",
		    err);
	FUZZ_CHECK(again != NULL);
	two = json_to_text(again, &n2);
	FUZZ_CHECK(n1 == n2 && memcmp(one, two, n1) == 0);
	free(two);
	free(one);
	summary_free(again);
	summary_free(s);
	return 0;
}

FUZZ_MAIN(fuzz_json)
