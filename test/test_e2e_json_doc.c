/* SPDX-License-Identifier: MIT */
/*
 * test_e2e_json_doc.c -- reports/summary-json.md, the project's JSON
 * reference, against the program: every field declared in
 * reports/summary_fields.def is documented in its row's section, and
 * every key of real output (a plain run, a run with --baseline whose
 * changes have items, a --redact run) is documented and vice versa
 * (test/json_doc_check.py).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "reports/summary_fields.h"
#include "test/test_util.h"

#define DOC "reports/summary-json.md"

static char dir[64];
static const char *marslog, *wrap;

/* The heading of a row kind's section: "## machines[]", "## totals",
 * "### sample". */
static void
section_heading(enum summary_row row, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s", summary_row_key(row),
	    row == SROW_TOTALS || row == SROW_SAMPLE ? "" : "[]");
}

/* 1 if the section of `row` in doc has a table row for `key`. */
static int
documented(const char *doc, enum summary_row row, const char *key)
{
	char head[64], cell[96];
	const char *p = doc, *end;

	section_heading(row, head, sizeof head);
	while ((p = strstr(p, "\n#")) != NULL) {
		p++;
		while (*p == '#')
			p++;
		if (*p++ != ' ' || strncmp(p, head, strlen(head)) != 0 ||
		    (p[strlen(head)] != ' ' && p[strlen(head)] != '\n'))
			continue;
		end = strstr(p, "\n#");
		snprintf(cell, sizeof cell, "\n| `%s` |", key);
		p = strstr(p, cell);
		return p != NULL && (end == NULL || p < end);
	}
	return 0;
}

static void
test_def_documented(void **state)
{
	char *doc = test_slurp(DOC, NULL);
	const struct summary_field *f;
	int row, n = 0;

	(void)state;
	assert_non_null(doc);
	for (row = 0; row < SROW__COUNT; row++)
		for (f = summary_fields((enum summary_row)row); f->name; f++) {
			if (!documented(doc, (enum summary_row)row, f->name))
				fail_msg("%s: %s is not documented in %s",
				    summary_row_key((enum summary_row)row),
				    f->name, DOC);
			n++;
		}
	assert_true(n > 80);
	/* the check itself can fail */
	assert_false(documented(doc, SROW_JOB, "no_such_field"));
	assert_false(documented(doc, SROW_TOTALS, "verdict"));
	free(doc);
}

static void
test_output_documented(void **state)
{
	struct result r;
	char cmd[1024];

	(void)state;
	test_run(&r, dir, wrap, marslog, "-q --json %s/a.json samples/fs01.zip",
	    dir);
	assert_int_equal(r.status, 1);
	result_free(&r);
	/* against a baseline of fs01 alone: fs02 appears, changes have items */
	test_run(&r, dir, wrap, marslog, "-q --year 2024 --baseline %s/a.json "
	    "--json %s/b.json samples/fs01.zip samples/fs02", dir, dir);
	assert_int_equal(r.status, 1);
	result_free(&r);
	test_run(&r, dir, wrap, marslog, "-q --redact --json %s/c.json "
	    "samples/fs01.zip", dir);
	assert_int_equal(r.status, 1);
	result_free(&r);
	/* with --history: the history object, and a machine whose verdict
	 * changed (failing in March, healthy in June) */
	test_run(&r, dir, wrap, marslog, "-q --machine m --history %s/h.db "
	    "--json %s/d0.json samples/fs02", dir, dir);
	assert_int_equal(r.status, 1);
	result_free(&r);
	test_run(&r, dir, wrap, marslog, "-q --machine m --history %s/h.db "
	    "--json %s/d.json samples/fs01.zip", dir, dir);
	assert_int_equal(r.status, 1);
	result_free(&r);
	snprintf(cmd, sizeof cmd, "/usr/bin/python3 test/json_doc_check.py "
	    DOC " %s/a.json %s/b.json %s/c.json %s/d.json", dir, dir, dir, dir);
	assert_int_equal(system(cmd), 0);
}

static int
setup(void **state)
{
	(void)state;
	test_marslog(&marslog, &wrap);
	snprintf(dir, sizeof dir, "/tmp/marslog-jsondoc-XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	return test_rm_rf(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_def_documented),
		cmocka_unit_test(test_output_documented),
	};

	return cmocka_run_group_tests_name("json doc", tests, setup, teardown);
}
