/* SPDX-License-Identifier: MIT */
/*
 * test_util.h -- small helpers shared by the end-to-end tests.  Header
 * only (static inline); include it after <cmocka.h>.
 */
#ifndef MARSLOG_TEST_UTIL_H
#define MARSLOG_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>

/* The whole file, NUL-terminated (malloc'd; caller frees), its length in
 * *len (may be NULL).  NULL if it cannot be opened. */
static inline char *
test_slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, r;

	if (fp == NULL)
		return NULL;
	do {
		if (n + 65536 + 1 > cap) {
			cap = 2 * cap + 65536 + 1;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		r = fread(buf + n, 1, cap - n - 1, fp);
		n += r;
	} while (r > 0);
	fclose(fp);
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return buf;
}

#endif
