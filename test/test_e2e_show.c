/* SPDX-License-Identifier: MIT */
/*
 * test_e2e_show.c -- `marslog show` on the shipped samples and on crafted
 * logs: the lines shown for every finding equal its count in the
 * analysis, every form of a code finds the same lines, a task GUID gives
 * its job across files in time order, context and separators follow
 * grep, NDJSON parses (python3 json), hostile text is cleaned, and the
 * exit status is 0 / 1 / 2 as grep's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "reports/json.h"
#include "reports/summary.h"
#include "test/test_util.h"

#define FS01 "samples/fs01.zip"
#define JOB_TWO_FILES "69D6BD80-0BC4-4874-8284-74C15E9ECBA7"
#define JOB_FAILED "4E5AC63A-4351-4E2E-B9FD-DA8FD41F125B"

static char dir[64];
static const char *marslog, *wrap;

#define run(r, ...) test_run((r), dir, wrap, marslog, __VA_ARGS__)

static size_t
count_str(const char *s, const char *needle)
{
	size_t n = 0, k = strlen(needle);

	for (; (s = strstr(s, needle)) != NULL; s += k)
		n++;
	return n;
}

/* Text lines that start with `mark` followed by a space. */
static size_t
count_marked(const char *out, char mark)
{
	const char *p = out;
	size_t n = 0;

	for (; *p != '\0'; p = strchr(p, '\n') + 1) {
		if (p[0] == mark && p[1] == ' ')
			n++;
		if (strchr(p, '\n') == NULL)
			break;
	}
	return n;
}

/* Every line of the last run's stdout is a JSON object with the fields
 * of an NDJSON record (python3's json module parses it); `check` is more
 * Python run on each object d, e.g. "assert d['match']". */
static void
ndjson_ok(const char *check)
{
	char cmd[2048];

	snprintf(cmd, sizeof cmd,
	    "/usr/bin/python3 -c 'import json,sys\n"
	    "n = 0\n"
	    "prev = None\n"
	    "for l in open(sys.argv[1], encoding=\"utf-8\"):\n"
	    "    d = json.loads(l)\n"
	    "    assert set(d) == {\"machine\",\"path\",\"line\",\"time\",\"level\",\"task\",\"finding\",\"match\",\"continuation\",\"milestone\",\"message\"}, d\n"
	    "    %s\n"
	    "    prev = d\n"
	    "    n += 1\n"
	    "assert n > 0\n' %s/out", check, dir);
	assert_int_equal(system(cmd), 0);
}

static int
setup(void **state)
{
	(void)state;
	test_marslog(&marslog, &wrap);
	snprintf(dir, sizeof dir, "/tmp/marslog-show-XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	return test_rm_rf(dir);
}

/* For every finding of both samples (per machine, also inside a time
 * window): show prints exactly `count` matching lines. */
static void
check_counts(const char *window)
{
	struct result r;
	struct summary *s;
	char json[128], err[256];
	size_t i, checked = 0;

	snprintf(json, sizeof json, "%s/all.json", dir);
	run(&r, "-q --fail-on never --year 2024 %s --json %s " FS01
	    " samples/fs02", window, json);
	assert_int_equal(r.status, 0);
	result_free(&r);
	s = summary_read_json_file(json, err, sizeof err);
	assert_non_null(s);
	if (s->nfindings < 10)
		fail_msg("%zu findings in %s", s->nfindings, json);
	for (i = 0; i < s->nfindings; i++) {
		const struct summary_finding *f = &s->findings[i];
		char tag[160];

		run(&r, "show --json --year 2024 %s --machine %s %s " FS01
		    " samples/fs02", window, f->machine, f->id);
		snprintf(tag, sizeof tag, "\"finding\":\"%s\",\"match\":true",
		    f->id);
		if (count_str(r.out, "\"match\":true") != f->count ||
		    count_str(r.out, tag) != f->count)
			fail_msg("show %s on %s: %zu lines, the analysis counted %llu",
			    f->id, f->machine, count_str(r.out, "\"match\":true"),
			    (unsigned long long)f->count);
		assert_int_equal(r.status, 0);
		result_free(&r);
		checked++;
	}
	assert_int_equal(checked, s->nfindings);
	summary_free(s);
}

static void
test_counts_equal_findings(void **state)
{
	(void)state;
	check_counts("");
	check_counts("--since 2024-06-05 --until 2024-06-09T12:00:00Z");
}

/* Every form `explain` accepts finds the same lines. */
static void
test_code_forms(void **state)
{
	static const char *const access_denied[] = {
		"0x80070005", "80070005", "0X80070005", "-2147024891",
		"hr-0x80070005", "hresult-0x80070005",
	};
	struct result r;
	char *first = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof access_denied / sizeof access_denied[0]; i++) {
		run(&r, "show --no-color -- %s " FS01, access_denied[i]);
		assert_int_equal(r.status, 0);
		assert_int_equal(count_marked(r.out, '>'), 17);
		if (first == NULL)
			first = strdup(r.out);
		else
			assert_string_equal(r.out, first);
		result_free(&r);
	}
	free(first);
	/* a MARS ID, the same ID written in hex, a symbolic name */
	run(&r, "show --no-color 34513 " FS01);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "> fs01 " FS01 "!Temp/CBUICurr.errlog:19 "
	    "2024-05-31T14:02:54.815Z FATAL Invalid vault credentials"));
	assert_int_equal(count_marked(r.out, '>'), 1);
	result_free(&r);
	run(&r, "show --no-color 0x1FC07 " FS01);
	first = strdup(r.out);
	assert_non_null(strstr(first, "!Temp/CBUICurr.errlog:32 "));
	result_free(&r);
	run(&r, "show --no-color 130055 " FS01);
	assert_string_equal(r.out, first);
	free(first);
	result_free(&r);
	run(&r, "show --no-color SalLowDiskSpace " FS01);
	assert_non_null(strstr(r.out, "!Temp/CBEngine0.errlog:78 "));
	result_free(&r);
}

/* A finding that lives only in a UTF-16LE errlog inside a zip inside the
 * zip, with two records of context on each side. */
static void
test_nested_utf16_context(void **state)
{
	struct result r;
	const char *p;

	(void)state;
	run(&r, "show --no-color -C 2 sal-checksum-store-init-failed " FS01);
	assert_int_equal(r.status, 0);
	assert_int_equal(count_marked(r.out, '>'), 1);
	p = strstr(r.out, "> fs01 " FS01 "!Temp/older-logs.zip!CBEngine2.errlog:");
	assert_non_null(p);
	assert_non_null(strstr(p, "SalChecksumStoreInitializationFailed"));
	/* two context records before and after (no continuations here) */
	assert_int_equal(count_marked(r.out, ' '), 4);
	assert_int_equal(count_str(r.out, "older-logs.zip!CBEngine2.errlog:"), 5);
	assert_null(strstr(r.out, "--\n"));
	result_free(&r);
	run(&r, "show --json -B 1 sal-checksum-store-init-failed " FS01);
	ndjson_ok("assert d[\"path\"].endswith(\"older-logs.zip!CBEngine2.errlog\")\n"
	    "    assert prev is None or d[\"line\"] == prev[\"line\"] + 1\n"
	    "    assert d[\"match\"] == (prev is not None)");
	result_free(&r);
}

/* A job across two files, in time order, milestones marked; the GUID in
 * braces and lower case is the same job. */
static void
test_task(void **state)
{
	struct result r;
	char *first;

	(void)state;
	run(&r, "show --no-color " JOB_TWO_FILES " " FS01);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "!Temp/CBEngine1.errlog:"));
	assert_non_null(strstr(r.out, "!Temp/CBEngine0.errlog:"));
	assert_true(count_marked(r.out, '*') >= 5);
	assert_int_equal(count_marked(r.out, '>'), 0);
	first = strdup(r.out);
	result_free(&r);
	run(&r, "show --no-color '{69d6bd80-0bc4-4874-8284-74c15e9ecba7}' " FS01);
	assert_string_equal(r.out, first);
	free(first);
	result_free(&r);
	run(&r, "show --json " JOB_TWO_FILES " " FS01);
	ndjson_ok("assert d[\"task\"] == \"" JOB_TWO_FILES "\"\n"
	    "    assert prev is None or prev[\"time\"] <= d[\"time\"]\n"
	    "    assert d[\"milestone\"] == (\"Progress:\" in d[\"message\"]), d");
	result_free(&r);
	/* the failed job: its failure and the reason before it */
	run(&r, "show --no-color " JOB_FAILED " " FS01);
	assert_non_null(strstr(r.out, "* fs01 " FS01 "!Temp/CBEngine0.errlog:79 "
	    "2024-06-06T19:30:17.984Z NORMAL Backup Progress: Failed"));
	assert_true(strstr(r.out, "SalLowDiskSpace") < strstr(r.out,
	    "Progress: Failed"));
	result_free(&r);
}

static void
test_grep_context_max(void **state)
{
	struct result r;

	(void)state;
	run(&r, "show --no-color --grep 'Hr: = \\[0x80070070\\]' -C 1 " FS01);
	assert_int_equal(r.status, 0);
	assert_int_equal(count_marked(r.out, '>'), 1);
	assert_int_equal(count_marked(r.out, ' '), 2);
	result_free(&r);
	/* two groups far apart are separated, adjacent matches share one */
	run(&r, "show --no-color --grep 'Hr: = \\[0x8007(0070|0005)\\]' -A 1 " FS01);
	assert_int_equal(count_marked(r.out, '>'), 4);
	assert_int_equal(count_str(r.out, "\n--\n"), 2);
	result_free(&r);
	/* --max: the first N matches, then their context, then stop */
	run(&r, "show --no-color --max 2 -A 1 0x80070005 " FS01);
	assert_int_equal(r.status, 0);
	assert_int_equal(count_marked(r.out, '>'), 2);
	assert_int_equal(count_marked(r.out, ' '), 1);
	result_free(&r);
	/* PCRE2 on the decoded message (UTF-16LE in the zip) */
	run(&r, "show --json --grep '^Backup Progress: (Failed|Succeeded)$' " FS01);
	ndjson_ok("assert d[\"match\"] and d[\"message\"].startswith(\"Backup Progress: \")");
	/* the seventh outcome line is a restore's */
	assert_int_equal(count_str(r.out, "\n"), 6);
	result_free(&r);
}

static void
test_exit_codes(void **state)
{
	struct result r;

	(void)state;
	run(&r, "show --grep 'no such text anywhere' " FS01);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	result_free(&r);
	run(&r, "show 0x800423F2 " FS01);	/* in the catalog, not in the logs */
	assert_int_equal(r.status, 1);
	result_free(&r);
	run(&r, "show 0x80070005 --machine nosuch " FS01);
	assert_int_equal(r.status, 1);
	result_free(&r);
	run(&r, "show --grep '(' " FS01);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "--grep"));
	result_free(&r);
	run(&r, "show notacode " FS01);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "--grep"));
	result_free(&r);
	run(&r, "show 0x80070005");
	assert_int_equal(r.status, 2);
	result_free(&r);
	run(&r, "show 0x80070005 %s/missing.zip", dir);
	assert_int_equal(r.status, 2);
	result_free(&r);
	run(&r, "show -C x 0x80070005 " FS01);
	assert_int_equal(r.status, 2);
	result_free(&r);
	run(&r, "help show");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "Usage: marslog show"));
	result_free(&r);
	run(&r, "show --help");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "--grep PATTERN"));
	result_free(&r);
}

/* Hostile text: escape sequences never reach the terminal, JSON escapes
 * them, and continuation lines stay with their record. */
static void
test_hostile_and_continuations(void **state)
{
	static const char log[] =
	    "0F38\t1F24\t06/07\t01:23:25.640\t02\tbackupasync.cpp(1234)\t[0000022E8F5C6B30]\t\tNORMAL\tbefore one\r\n"
	    "0F38\t1F24\t06/07\t01:23:26.640\t02\tbackupasync.cpp(1234)\t[0000022E8F5C6B30]\t\tWARNING\tFailed: Hr: = [0x80070005] evil \033]0;pwned\007 \033[31mred\r\n"
	    "   continuation of the evil record\r\n"
	    "0F38\t1F24\t06/07\t01:23:27.640\t02\tbackupasync.cpp(1234)\t[0000022E8F5C6B30]\t\tNORMAL\tafter one\r\n"
	    "   after's continuation with 0x80070005 inside\r\n"
	    "0F38\t1F24\t06/07\t01:23:28.640\t02\tbackupasync.cpp(1234)\t[0000022E8F5C6B30]\t\tNORMAL\tafter two\r\n";
	struct result r;
	char path[128];
	FILE *fp;

	(void)state;
	snprintf(path, sizeof path, "%s/h.errlog", dir);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	fputs(log, fp);
	fclose(fp);
	run(&r, "show --no-color --year 2024 0x80070005 %s", path);
	assert_int_equal(r.status, 0);
	assert_null(strchr(r.out, '\033'));
	assert_null(strchr(r.out, '\a'));
	assert_null(strstr(r.out, "]0;"));
	assert_non_null(strstr(r.out, "evil red\n"));
	/* the match's continuation is printed without -A, with "|" */
	assert_non_null(strstr(r.out, "h.errlog:3 | continuation of the evil record\n"));
	/* a match in a continuation brings its record's first line */
	assert_non_null(strstr(r.out, "h.errlog:4 2024-06-07T01:23:27.640Z NORMAL after one\n"));
	assert_int_equal(count_marked(r.out, '>'), 2);
	assert_null(strstr(r.out, "after two"));
	result_free(&r);
	run(&r, "show --color --year 2024 0x80070005 %s", path);
	/* colour is ours only: SGR sequences, never the log's OSC */
	assert_null(strstr(r.out, "\033]"));
	assert_non_null(strstr(r.out, "\033[1;31m0x80070005\033[0m"));
	result_free(&r);
	run(&r, "show --json --year 2024 0x80070005 %s", path);
	ndjson_ok("assert \"\\x1b\" in d[\"message\"] or d[\"continuation\"] or not d[\"match\"] or \"after\" in d[\"message\"]");
	assert_null(strchr(r.out, '\033'));
	result_free(&r);
}

/* Evidence in the HTML and XLSX reports: log text escaped (never markup
 * or a formula), every line of an occurrence there, the report's bound
 * (EVIDENCE_REPORT_MAX occurrences) kept with a note. */
static void
test_report_evidence(void **state)
{
	struct result r;
	char path[128], cmd[2048];
	FILE *fp;
	unsigned i;

	(void)state;
	snprintf(path, sizeof path, "%s/ev.errlog", dir);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	fputs("0F38\t1F24\t06/07\t01:00:00.000\t02\tx.cpp(1)\t[01]\t\tNORMAL\tbefore <b>bold</b>\r\n", fp);
	fputs("0F38\t1F24\t06/07\t01:00:01.000\t02\tx.cpp(1)\t[01]\t\tWARNING\tFailed: Hr: = [0x80070005] <script>alert(1)</script> =HYPERLINK(\"http://x\")\r\n", fp);
	/* 250 failed jobs: more occurrences than a report shows */
	for (i = 0; i < 250; i++)
		fprintf(fp, "0F38\t1F24\t06/07\t02:%02u:%02u.000\t02\tx.cpp(1)\t[01]\t%08X-0000-0000-0000-000000000000\t\tNORMAL\tBackup Progress: Failed\r\n",
		    i / 60, i % 60, i);
	fclose(fp);
	run(&r, "-q --fail-on never --year 2024 --html %s/ev.html --xlsx %s/ev.xlsx %s",
	    dir, dir, path);
	assert_int_equal(r.status, 0);
	result_free(&r);
	snprintf(cmd, sizeof cmd, "/usr/bin/python3 -c 'import sys, re, zipfile\n"
	    "h = open(sys.argv[1], encoding=\"utf-8\").read()\n"
	    "ev = h[h.index(\"<section id=\\\"evidence\\\"\"):]\n"
	    "ev = ev[:ev.index(\"</section>\")]\n"
	    "assert \"<script>alert\" not in h\n"
	    "assert \"&lt;script&gt;alert(1)&lt;/script&gt;\" in ev\n"
	    "assert \"before &lt;b&gt;bold&lt;/b&gt;\" in ev\n"
	    "assert ev.count(\"<details class=\\\"evidence\\\"\") == 200, ev.count(\"<details\")\n"
	    "assert \"200 / 251\" in ev or \"200\" in ev\n"
	    "z = zipfile.ZipFile(sys.argv[2])\n"
	    "wb = z.read(\"xl/workbook.xml\").decode()\n"
	    "names = re.findall(r\"<sheet name=\\\"([^\\\"]+)\\\"\", wb)\n"
	    "i = names.index(\"Evidence\") + 1\n"
	    "sh = z.read(\"xl/worksheets/sheet%%d.xml\" %% i).decode()\n"
	    "assert \"<f>\" not in sh\n"
	    "rows = sh.count(\"<row \") - 1\n"
	    "assert rows > 200 and rows <= 200 * 16, rows\n"
	    "strs = z.read(\"xl/sharedStrings.xml\").decode()\n"
	    "assert \"=HYPERLINK\" in strs\n' %s/ev.html %s/ev.xlsx", dir, dir);
	assert_int_equal(system(cmd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_equal_findings),
		cmocka_unit_test(test_code_forms),
		cmocka_unit_test(test_nested_utf16_context),
		cmocka_unit_test(test_task),
		cmocka_unit_test(test_grep_context_max),
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_hostile_and_continuations),
		cmocka_unit_test(test_report_evidence),
	};

	return cmocka_run_group_tests_name("e2e-show", tests, setup, teardown);
}
