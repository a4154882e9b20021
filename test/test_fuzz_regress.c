/* SPDX-License-Identifier: MIT */
/*
 * test_fuzz_regress.c -- replay every committed fuzz input.
 *
 * Each fuzz target's entry function (test/fuzz/fuzz_<name>.c, included
 * here without its libFuzzer wrapper) runs on every file of its seed
 * corpus test/fuzz/corpus/<name>/ and of its crash reproducers
 * test/fuzz/crashes/<name>/, so a fixed crash stays fixed and the
 * properties the targets check hold in every build (also under ASan and
 * valgrind) without clang or libFuzzer.  A failed property aborts.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "test/fuzz/fuzz_catalog.c"
#include "test/fuzz/fuzz_decode.c"
#include "test/fuzz/fuzz_errlog.c"
#include "test/fuzz/fuzz_failed.c"
#include "test/fuzz/fuzz_json.c"
#include "test/fuzz/fuzz_source.c"

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run `fn` on every regular file of `dir` (absent: nothing) in name
 * order; returns the number of files. */
static size_t
replay_dir(const char *dir, int (*fn)(const uint8_t *, size_t))
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, i;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof *names);
		assert_non_null(names);
		names[n] = strdup(de->d_name);
		assert_non_null(names[n]);
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof *names, name_cmp);
	for (i = 0; i < n; i++) {
		char path[1024];
		struct stat st;
		uint8_t *buf;
		FILE *fp;

		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(names[i]);
			continue;
		}
		/* A private copy of exactly the file's size, so ASan catches
		 * a read one byte past the input as libFuzzer would. */
		buf = malloc(st.st_size > 0 ? (size_t)st.st_size : 1);
		assert_non_null(buf);
		fp = fopen(path, "rb");
		assert_non_null(fp);
		assert_int_equal(fread(buf, 1, (size_t)st.st_size, fp),
		    (size_t)st.st_size);
		fclose(fp);
		assert_int_equal(fn(buf, (size_t)st.st_size), 0);
		free(buf);
		free(names[i]);
	}
	free(names);
	return n;
}

static void
replay(const char *name, int (*fn)(const uint8_t *, size_t))
{
	char dir[256];
	size_t n;

	snprintf(dir, sizeof dir, "test/fuzz/corpus/%s", name);
	n = replay_dir(dir, fn);
	assert_true(n > 0);		/* the seeds are committed */
	snprintf(dir, sizeof dir, "test/fuzz/crashes/%s", name);
	replay_dir(dir, fn);
	/* The empty input, which every target must take too. */
	assert_int_equal(fn((const uint8_t *)"", 0), 0);
}

static void
test_decode(void **state)
{
	(void)state;
	replay("decode", fuzz_decode);
}

static void
test_errlog(void **state)
{
	(void)state;
	replay("errlog", fuzz_errlog);
}

static void
test_failed(void **state)
{
	(void)state;
	replay("failed", fuzz_failed);
}

static void
test_catalog(void **state)
{
	(void)state;
	replay("catalog", fuzz_catalog);
}

static void
test_json(void **state)
{
	(void)state;
	replay("json", fuzz_json);
}

static void
test_source(void **state)
{
	(void)state;
	replay("source", fuzz_source);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_errlog),
		cmocka_unit_test(test_failed),
		cmocka_unit_test(test_catalog),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_source),
	};

	return cmocka_run_group_tests_name("fuzz_regress", tests, NULL, NULL);
}
