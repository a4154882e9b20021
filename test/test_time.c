/* SPDX-License-Identifier: MIT */
/*
 * test_time.c -- time you can trust, end to end: windows counted from the
 * reference time, empty windows that are reported and fail the run,
 * years chosen from evidence (copy times count least, Dec/Jan rollover,
 * two servers in one freshly copied zip, stdin, --year MACHINE=YEAR), and
 * absurd archive entry times that never reach the JSON.
 *
 * The bundles come from test/time_bundles.py; the program under test is
 * $MARSLOG (default build/marslog), so `make asan` runs all of this under
 * the sanitizers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "parsers/record.h"
#include "test/test_util.h"

static char dir[64];
static const char *marslog, *wrap;

#define run(r, ...) test_run((r), dir, wrap, marslog, __VA_ARGS__)

/* The summary JSON a run wrote to stdout. */
static struct summary *
parse(const struct result *r)
{
	char err[256];
	struct summary *s = summary_from_json(r->out, r->nout, err,
	    sizeof err);

	if (s == NULL)
		fail_msg("JSON: %s", err);
	return s;
}

static const struct summary_machine *
machine(const struct summary *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nmachines; i++)
		if (strcmp(s->machines[i].name, name) == 0)
			return &s->machines[i];
	fail_msg("no machine %s", name);
	return NULL;
}

/* The input whose path ends with `tail`. */
static const struct summary_input *
input(const struct summary *s, const char *tail)
{
	size_t i, n = strlen(tail);

	for (i = 0; i < s->ninputs; i++) {
		size_t m = strlen(s->inputs[i].path);

		if (m >= n && strcmp(s->inputs[i].path + m - n, tail) == 0)
			return &s->inputs[i];
	}
	fail_msg("no input %s", tail);
	return NULL;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (; (hay = strstr(hay, needle)) != NULL; hay++)
		n++;
	return n;
}

static int
setup(void **state)
{
	char cmd[256];

	(void)state;
	snprintf(dir, sizeof dir, "/tmp/marslog-time-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	test_marslog(&marslog, &wrap);
	snprintf(cmd, sizeof cmd, "/usr/bin/python3 test/time_bundles.py %s",
	    dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	return test_rm_rf(dir);
}

/* --since 7d counts back from the newest record (2024-06-09 23:25:14.723),
 * not the wall clock: the same as that absolute time, and only the last
 * seven days' records. */
static void
test_since_7d(void **state)
{
	struct result all, rel, abs, now;
	struct summary *s, *w;
	const int64_t since = 1717975514723LL - 7 * 86400000LL;

	(void)state;
	run(&all, "-q --json - samples/fs01.zip");
	run(&rel, "-q --since 7d --json - samples/fs01.zip");
	run(&abs, "-q --since 2024-06-02T23:25:14.723Z --json - samples/fs01.zip");
	run(&now, "-q --since 7d --now 2024-06-09T23:25:14.723Z --json - samples/fs01.zip");
	s = parse(&all);
	w = parse(&rel);
	assert_int_equal(machine(s, "fs01")->newest_record, 1717975514723LL);
	assert_int_equal(machine(w, "fs01")->newest_record, 1717975514723LL);
	assert_true(machine(w, "fs01")->first_seen >= since);
	assert_true(machine(s, "fs01")->first_seen < since);
	assert_true(machine(w, "fs01")->records > 0);
	assert_int_equal(machine(w, "fs01")->records +
	    machine(w, "fs01")->records_outside, machine(s, "fs01")->records);
	assert_true(machine(w, "fs01")->records_outside > 0);
	/* the same bytes as the absolute window, and as --now at the newest
	 * record */
	assert_int_equal(rel.nout, abs.nout);
	assert_memory_equal(rel.out, abs.out, rel.nout);
	assert_int_equal(rel.nout, now.nout);
	assert_memory_equal(rel.out, now.out, rel.nout);
	assert_int_equal(rel.status, 1);	/* errors in the window */
	summary_free(s);
	summary_free(w);
	result_free(&all);
	result_free(&rel);
	result_free(&abs);
	result_free(&now);
}

/* A window that leaves a machine with nothing: one warning line for it
 * (not one per file), said at the top of the report, exit status 3; 0
 * only with --fail-on never. */
static void
test_empty_window(void **state)
{
	struct result r;

	(void)state;
	run(&r, "--no-color --since 7d samples/fs01.zip samples/fs02");
	assert_int_equal(r.status, 1);	/* fs01 has errors: 1 wins */
	assert_int_equal(count(r.err, "outside the window"), 1);
	assert_non_null(strstr(r.err, "fs02: all 390 records are outside the window; newest 2024-03-12 21:39"));
	assert_null(strstr(r.err, "no errlog records found"));
	/* first in the report: the machine, its records, the newest */
	assert_true(strncmp(r.out, "MARS backup log analysis\n"
	    "No record inside --since/--until (1)\n", 62) == 0);
	assert_non_null(strstr(r.out, "  fs02                            390  2024-03-12 21:39Z\n"));
	assert_non_null(strstr(r.out, "Reference time                    2024-06-09 23:25Z (the newest record)\n"));
	result_free(&r);

	run(&r, "--no-color --since 2030-01-01 samples/fs01.zip");
	assert_int_equal(r.status, 3);
	assert_int_equal(count(r.err, "\n"), 1);
	assert_non_null(strstr(r.err, "fs01: all 1133 records are outside the window; newest 2024-06-09 23:25"));
	assert_non_null(strstr(r.out, "No record inside --since/--until (1)"));
	result_free(&r);

	run(&r, "-q --fail-on never --since 2030-01-01 samples/fs01.zip");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	result_free(&r);

	/* --since 7d --now 2024-06-10 is not empty */
	run(&r, "-q --since 7d --now 2024-06-10 --json - samples/fs01.zip");
	assert_int_equal(r.status, 1);
	assert_null(strstr(r.out, "\"records\": 0,"));
	result_free(&r);
}

/* samples/ as a folder of bundles: fs02's files have checkout times (all
 * within a second, months after their records); its failed-files list
 * names 3_12_2024, so fs02 is dated 2024, with one warning. */
static void
test_samples_folder(void **state)
{
	struct result r;
	struct summary *s;
	char copy[256];

	(void)state;
	snprintf(copy, sizeof copy, "cp -r samples/fs02 %s/fs02 && touch %s/fs02/Temp/* && %s",
	    dir, dir, wrap);
	test_run(&r, dir, copy, marslog, "--json - %s/fs02 samples/fs01.zip",
	    dir);
	s = parse(&r);
	assert_int_equal(input(s, "fs02/Temp/CBEngineCurr.errlog")->year, 2024);
	assert_int_equal(input(s, "fs02/Temp/CBEngineCurr.errlog")->year_source,
	    YEAR_MACHINE);
	assert_int_equal(input(s, "fs02/Temp/CBEngine0.errlog")->year, 2024);
	assert_int_equal(input(s, "LastBackupFailedFiles2c9e4_3_12_2024.txt")->year_source,
	    YEAR_FAILED_NAME);
	assert_int_equal(input(s, "fs01.zip!Temp/CBEngineCurr.errlog")->year_source,
	    YEAR_ENTRY_TIME);
	assert_true(machine(s, "fs02")->last_seen < 1717975514723LL);
	assert_true(machine(s, "fs02")->last_seen > 1709251200000LL); /* 2024-03 */
	assert_int_equal(count(r.err, "fs02: dated clues disagree"), 1);
	assert_non_null(strstr(r.err, "copy times"));
	summary_free(s);
	result_free(&r);

	run(&r, "-q --json - samples/");
	s = parse(&r);
	assert_int_equal(input(s, "samples/fs02/Temp/CBEngineCurr.errlog")->year,
	    2024);
	summary_free(s);
	result_free(&r);
}

/* One zip, two servers, every entry time the copy's (2026-12-02): each
 * server is dated by its own evidence, FS01 across the year's end. */
static void
test_fresh_copy_two_machines(void **state)
{
	struct result r;
	struct summary *s;

	(void)state;
	run(&r, "--json - %s/fleet.zip", dir);
	s = parse(&r);
	/* FS01: 28 Dec 2023 .. 3 Jan 2024, from its list's name */
	assert_int_equal(machine(s, "FS01")->first_seen, 1703725200000LL);
	assert_int_equal(machine(s, "FS01")->last_seen, 1704250800000LL);
	assert_int_equal(input(s, "FS01/Temp/CBEngineCurr.errlog")->year, 2023);
	assert_int_equal(input(s, "FS01/Temp/CBEngineCurr.errlog")->year_source,
	    YEAR_MACHINE);
	/* FS02: March 2022, from its .Crash copy's name */
	assert_int_equal(machine(s, "FS02")->first_seen, 1646096400000LL);
	assert_int_equal(input(s, "FS02/Temp/CBEngineCurr.errlog")->year, 2022);
	assert_int_equal(input(s, "2022-03-05_10-00-00.Crash")->year_source,
	    YEAR_CRASH_NAME);
	assert_int_equal(count(r.err, "dated clues disagree"), 2);
	summary_free(s);
	result_free(&r);

	/* one machine forced, the other still from evidence */
	run(&r, "-q --year FS02=2021 --json - %s/fleet.zip", dir);
	s = parse(&r);
	assert_int_equal(input(s, "FS02/Temp/CBEngineCurr.errlog")->year, 2021);
	assert_int_equal(input(s, "FS02/Temp/CBEngineCurr.errlog")->year_source,
	    YEAR_OPTION);
	assert_int_equal(input(s, "FS01/Temp/CBEngineCurr.errlog")->year, 2023);
	summary_free(s);
	result_free(&r);
}

/* --year MACHINE=YEAR on the samples: only that machine. */
static void
test_year_machine(void **state)
{
	struct result r;
	struct summary *s;

	(void)state;
	run(&r, "-q --year fs02=2023 --json - samples/fs01.zip samples/fs02");
	s = parse(&r);
	assert_int_equal(input(s, "fs02/Temp/CBEngineCurr.errlog")->year, 2023);
	assert_int_equal(input(s, "fs02/Temp/CBEngine0.errlog")->year_source,
	    YEAR_OPTION);
	assert_int_equal(input(s, "fs01.zip!Temp/CBEngine0.errlog")->year, 2024);
	assert_int_equal(input(s, "fs01.zip!Temp/CBEngine0.errlog")->year_source,
	    YEAR_ENTRY_TIME);
	summary_free(s);
	result_free(&r);
}

/* A pipe has no time: the year comes from the reference (--now, else the
 * wall clock), with a warning; the JSON says "clock". */
static void
test_stdin(void **state)
{
	struct result r = { 0 };
	struct summary *s;
	char cmd[512];

	(void)state;
	/* test_run() gives the program /dev/null as stdin: pipe by hand */
	snprintf(cmd, sizeof cmd, "cat samples/fs02/Temp/CBEngineCurr.errlog | %s %s --now 2024-06-10 --json - - >%s/out 2>%s/err",
	    wrap, marslog, dir, dir);
	assert_true(WEXITSTATUS(system(cmd)) <= 1);
	snprintf(cmd, sizeof cmd, "%s/out", dir);
	r.out = test_slurp(cmd, &r.nout);
	snprintf(cmd, sizeof cmd, "%s/err", dir);
	r.err = test_slurp(cmd, NULL);
	assert_non_null(r.out);
	assert_non_null(r.err);
	s = parse(&r);
	assert_int_equal(s->inputs[0].year, 2024);
	assert_int_equal(s->inputs[0].year_source, YEAR_CLOCK);
	assert_int_equal(count(r.err, "no dated clue"), 1);
	assert_non_null(strstr(r.err, "stdin: no dated clue"));
	assert_null(strstr(r.err, "Sanitizer"));
	summary_free(s);
	result_free(&r);
	snprintf(cmd, sizeof cmd, "cat samples/fs02/Temp/CBEngineCurr.errlog | %s %s --since 7d - >%s/out 2>%s/err",
	    wrap, marslog, dir, dir);
	assert_int_equal(WEXITSTATUS(system(cmd)), 2);
	snprintf(cmd, sizeof cmd, "%s/err", dir);
	r.err = test_slurp(cmd, NULL);
	assert_non_null(strstr(r.err, "needs --now"));
	free(r.err);
}

/* Entry times of year 10000, negative, INT64_MAX (tar) and odd zip extra
 * fields: each named in a warning, unknown in the JSON, and the summary
 * reads back (merge). */
static void
test_extreme_entry_times(void **state)
{
	static const char *const names[] = {
		"extreme.tar!bad/year10000.errlog",
		"extreme.tar!bad/negative.errlog",
		"extreme.tar!bad/int64max.errlog",
	};
	struct result r;
	struct summary *s;
	size_t i;

	(void)state;
	run(&r, "--json %s/x.json %s/extreme.tar %s/extreme.zip", dir, dir,
	    dir);
	assert_true(r.status == 0 || r.status == 1);
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		char want[128];

		snprintf(want, sizeof want, "%s: its file time is outside 1970-9999",
		    names[i]);
		assert_non_null(strstr(r.err, want));
	}
	result_free(&r);
	run(&r, "merge --json - %s/x.json", dir);
	assert_true(r.status == 0 || r.status == 1);
	s = parse(&r);
	for (i = 0; i < s->ninputs; i++) {
		assert_true(s->inputs[i].mtime == ML_TIME_NONE ||
		    ml_time_valid(s->inputs[i].mtime));
		if (strstr(s->inputs[i].path, "extreme.tar!bad/sane") == NULL &&
		    strstr(s->inputs[i].path, ".tar!") != NULL)
			assert_int_equal(s->inputs[i].mtime, ML_TIME_NONE);
		assert_int_equal(s->inputs[i].year, 2024);
	}
	summary_free(s);
	result_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_since_7d),
		cmocka_unit_test(test_empty_window),
		cmocka_unit_test(test_samples_folder),
		cmocka_unit_test(test_fresh_copy_two_machines),
		cmocka_unit_test(test_year_machine),
		cmocka_unit_test(test_stdin),
		cmocka_unit_test(test_extreme_entry_times),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
