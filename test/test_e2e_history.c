/* SPDX-License-Identifier: MIT */
/*
 * test_e2e_history.c -- the real program with --history over seven
 * nights of generated bundles (test/fleet/fleet_gen.h's lines), each
 * night's bundle holding two days of jobs, so consecutive nights overlap
 * by one day:
 *   alpha  every backup succeeds;
 *   beta   fails days 2, 3 and 4, then recovers (three failing runs);
 *   gamma  fails from day 1 on (failing in every run);
 * then `marslog history FILE` (JSON, terminal at 80 and 120 columns,
 * HTML, XLSX, --machine, --since), a night recorded again (nothing
 * counted twice), and the three example queries of README.md's "Fleet
 * history", taken from the README as written, run with the sqlite3
 * library and the sqlite3 shell against the database the program made.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "reports/text.h"
#include "test/fleet/fleet_gen.h"
#include "test/test_util.h"

#define NIGHTS 7
#define README "README.md"

static char dir[64];
static const char *marslog, *wrap;

static const char *const machines[] = { "alpha", "beta", "gamma" };
#define NMACHINES (sizeof machines / sizeof machines[0])

/* Does machine m's backup of day d (0 = 2024-06-08) succeed? */
static int
job_ok(size_t m, int d)
{
	if (m == 1)
		return d < 2 || d > 4;
	if (m == 2)
		return d < 1;
	return 1;
}

/* The bundle of night n: days n and n + 1 (fg_job's task GUIDs follow the
 * day, so the day both nights hold is the same job), a heartbeat at
 * 06:00 the day after; the year comes from the file's mtime. */
static void
write_night(int n)
{
	char path[512];
	struct timeval tv[2];
	size_t m;
	FILE *fp;
	int d;

	snprintf(path, sizeof path, "%s/night%d", dir, n);
	assert_int_equal(fg_mkdir(path), 0);
	for (m = 0; m < NMACHINES; m++) {
		snprintf(path, sizeof path, "%s/night%d/%s", dir, n,
		    machines[m]);
		assert_int_equal(fg_mkdir(path), 0);
		snprintf(path, sizeof path, "%s/night%d/%s/Temp", dir, n,
		    machines[m]);
		assert_int_equal(fg_mkdir(path), 0);
		snprintf(path, sizeof path,
		    "%s/night%d/%s/Temp/CBEngineCurr.errlog", dir, n,
		    machines[m]);
		fp = fopen(path, "wb");
		assert_non_null(fp);
		fg_line(fp, n, -1, 0, 0, 0, "", "NORMAL", "Microsoft Azure "
		    "Recovery Services Agent version 2.0.9262.0");
		for (d = 0; d <= 1; d++)
			fg_job(fp, machines[m], n, d, job_ok(m, n + d));
		fg_line(fp, n, 2, 6, 0, 0, "", "NORMAL",
		    "Checking for pending jobs: 0 queued");
		assert_int_equal(fclose(fp), 0);
		tv[0].tv_sec = tv[1].tv_sec = (time_t)((FG_T0 + n * FG_DAY +
		    7 * FG_HOUR) / 1000);
		tv[0].tv_usec = tv[1].tv_usec = 0;
		assert_int_equal(utimes(path, tv), 0);
	}
}

/* Record night n as the nightly recipe would (--now at 06:00). */
static void
record(int n)
{
	struct result r;

	test_run(&r, dir, wrap, marslog, "-q --fail-on never --now "
	    "2024-06-%02dT06:00:00Z --history %s/h.db --json %s/n%d.json "
	    "%s/night%d", 10 + n, dir, dir, n, dir, n);
	if (r.status != 0)
		fail_msg("night %d: exit %d: %s", n, r.status, r.err);
	result_free(&r);
}

/* The single integer a query returns, through the sqlite3 library. */
static int64_t
db_int(const char *sql)
{
	char path[128];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int64_t v;

	snprintf(path, sizeof path, "%s/h.db", dir);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* The line of out that starts (after blanks) with `{"name": "NAME"`. */
static char *
machine_line(const char *out, const char *name, char *buf, size_t len)
{
	char key[64];
	const char *p, *e;

	snprintf(key, sizeof key, "{\"name\": \"%s\"", name);
	p = strstr(out, key);
	if (p == NULL)
		fail_msg("no %s in:\n%s", key, out);
	e = strchr(p, '\n');
	snprintf(buf, len, "%.*s", (int)(e ? e - p : (ptrdiff_t)strlen(p)),
	    p);
	return buf;
}

static void
has(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("no \"%s\" in:\n%s", needle, hay);
}

static int
setup(void **state)
{
	int n;

	(void)state;
	test_marslog(&marslog, &wrap);
	snprintf(dir, sizeof dir, "/tmp/marslog-e2e-history-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	for (n = 0; n < NIGHTS; n++) {
		write_night(n);
		record(n);
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	return test_rm_rf(dir);
}

/* ------------------------------------------------------------ tests */

static void
test_history_json(void **state)
{
	struct result r;
	char line[8192];

	(void)state;
	test_run(&r, dir, wrap, marslog, "history %s/h.db --json -", dir);
	assert_int_equal(r.status, 0);
	has(r.out, "\"schema\": \"marslog-history/1\"");
	has(r.out, "\"as_of\": \"2024-06-16T06:00:00.000Z\", "
	    "\"first_run\": \"2024-06-10T06:00:00.000Z\", \"runs\": 7,");
	/* 3 machines x days 0..7 (06-08..06-15), each job once although
	 * every day but the first and last was in two nights' bundles:
	 * 24 jobs, 8 + 5 + 1 succeeded */
	has(r.out, "\"jobs_30d\": 24, \"succeeded_30d\": 14,");

	machine_line(r.out, "gamma", line, sizeof line);
	has(line, "\"verdict\": \"failing\"");
	has(line, "\"verdict_runs\": 7,");
	has(line, "\"failing_since\": \"2024-06-09T21:00:01.000Z\"");
	has(line, "\"jobs_30d\": 8, \"succeeded_30d\": 1,");

	/* beta: three failing runs (nights 1-3), healthy since night 4 */
	machine_line(r.out, "beta", line, sizeof line);
	has(line, "\"verdict\": \"healthy\"");
	has(line, "\"verdict_runs\": 3,");
	has(line, "\"failing_since\": null");
	has(line, "\"jobs_30d\": 8, \"succeeded_30d\": 5,");
	/* the strip's last 9 days: 06-08 .. 06-16 */
	has(line, "\"succeeded\", \"succeeded\", \"failed\", \"failed\", "
	    "\"failed\", \"succeeded\", \"succeeded\", \"succeeded\", null]");

	machine_line(r.out, "alpha", line, sizeof line);
	has(line, "\"verdict\": \"healthy\"");
	has(line, "\"verdict_runs\": 7,");
	has(line, "\"jobs_30d\": 8, \"succeeded_30d\": 8,");
	/* worst first */
	assert_true(strstr(r.out, "\"gamma\"") < strstr(r.out, "\"beta\""));
	/* the week's changes compare each verdict with the week's start:
	 * beta is healthy again, as on night 0 */
	has(r.out, "\"changed\": []");
	result_free(&r);
}

/* The report of night 3 (written by the analysis itself, with the
 * database as it was then): beta failing since its first failure. */
static void
test_night_report(void **state)
{
	char path[128], line[8192], *json;

	(void)state;
	snprintf(path, sizeof path, "%s/n3.json", dir);
	json = test_slurp(path, NULL);
	assert_non_null(json);
	has(json, "\"history\": {");
	machine_line(strstr(json, "\"history\": {"), "beta", line,
	    sizeof line);
	has(line, "\"verdict\": \"failing\"");
	has(line, "\"verdict_runs\": 3,");
	has(line, "\"failing_since\": \"2024-06-10T21:00:01.000Z\"");
	/* healthy on night 0, failing since night 1: changed this week */
	has(json, "\"changed\": [\n      {\"machine\": \"beta\", "
	    "\"before\": \"healthy\", \"after\": \"failing\", "
	    "\"since\": \"2024-06-11T06:00:00.000Z\"}");
	free(json);
}

static void
test_history_filters(void **state)
{
	struct result r;

	(void)state;
	test_run(&r, dir, wrap, marslog, "history %s/h.db --machine beta "
	    "--json -", dir);
	assert_int_equal(r.status, 0);
	has(r.out, "{\"name\": \"beta\"");
	assert_null(strstr(r.out, "\"alpha\""));
	assert_null(strstr(r.out, "\"gamma\""));
	result_free(&r);
	/* the last 2 days: runs of 06-14..06-16, jobs ending from 06-14 */
	test_run(&r, dir, wrap, marslog, "history %s/h.db --since 2d "
	    "--json -", dir);
	assert_int_equal(r.status, 0);
	has(r.out, "\"runs\": 3,");
	has(r.out, "\"jobs_30d\": 6, \"succeeded_30d\": 4,");
	result_free(&r);
}

/* The terminal at 80 and 120 columns: no line wider than asked, and each
 * machine's strip starts in the same column as the header's. */
static void
test_history_terminal(void **state)
{
	static const int widths[] = { 80, 120 };
	struct result r;
	size_t w, m;

	(void)state;
	for (w = 0; w < sizeof widths / sizeof widths[0]; w++) {
		const char *head, *p;
		size_t col;

		test_run(&r, dir, wrap, marslog, "history %s/h.db --no-color "
		    "--width %d", dir, widths[w]);
		assert_int_equal(r.status, 0);
		for (p = r.out; *p; ) {
			const char *e = strchr(p, '\n');
			size_t n = e ? (size_t)(e - p) : strlen(p);

			if (text_width(p, n) > (size_t)widths[w])
				fail_msg("wider than %d: %.*s", widths[w],
				    (int)n, p);
			p += n + (e != NULL);
		}
		head = strstr(r.out, "Last 30 days");
		head = strstr(head + 1, "Last 30 days");	/* the table's */
		assert_non_null(head);
		p = head;
		while (p > r.out && p[-1] != '\n')
			p--;
		col = (size_t)(head - p);
		for (m = 0; m < NMACHINES; m++) {
			const char *row = strstr(r.out, machines[m]);
			const char *s = strstr(row, m == 2 ? "oXXXXXXX." :
			    m == 1 ? "ooXXXooo." : "oooooooo.");

			assert_non_null(row);
			assert_non_null(s);
			while (row > r.out && row[-1] != '\n')
				row--;
			/* the strip ends the 30 columns that start at col */
			assert_int_equal((size_t)(s + 9 - row), col + 30);
		}
		result_free(&r);
	}
}

static void
test_history_html_xlsx(void **state)
{
	struct result r;
	char path[128], *html;
	struct stat st;

	(void)state;
	test_run(&r, dir, wrap, marslog, "history %s/h.db --html %s/h.html "
	    "--xlsx %s/h.xlsx", dir, dir, dir);
	assert_int_equal(r.status, 0);
	result_free(&r);
	snprintf(path, sizeof path, "%s/h.html", dir);
	html = test_slurp(path, NULL);
	assert_non_null(html);
	has(html, "gamma");
	has(html, "beta");
	free(html);
	snprintf(path, sizeof path, "%s/h.xlsx", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size > 1000);
}

/* Night 6 again, and night 5's bundle recorded again as night 6: one run
 * per day, no job counted twice. */
static void
test_rerun_idempotent(void **state)
{
	int64_t jobs = db_int("SELECT count(*) FROM job");
	int64_t runs = db_int("SELECT count(*) FROM run");
	struct result r;

	(void)state;
	assert_int_equal(jobs, 24);
	assert_int_equal(runs, NIGHTS);
	record(NIGHTS - 1);
	test_run(&r, dir, wrap, marslog, "-q --fail-on never --now "
	    "2024-06-16T07:00:00Z --history %s/h.db %s/night5", dir, dir);
	assert_int_equal(r.status, 0);
	result_free(&r);
	assert_int_equal(db_int("SELECT count(*) FROM job"), jobs);
	assert_int_equal(db_int("SELECT count(*) FROM run"), runs);
	assert_int_equal(db_int("SELECT count(*) FROM run_machine"),
	    runs * (int64_t)NMACHINES);
	record(NIGHTS - 1);
}

/* ------------------------------------------------------ README queries */

/* The ```sql blocks of README.md's "## Fleet history" section, in order;
 * returns how many (at most max), each malloc'd. */
static size_t
readme_queries(char **q, size_t max)
{
	char *doc = test_slurp(README, NULL), *p, *end;
	size_t n = 0;

	assert_non_null(doc);
	p = strstr(doc, "\n## Fleet history\n");
	assert_non_null(p);
	end = strstr(p + 1, "\n## ");
	while ((p = strstr(p, "\n```sql\n")) != NULL && (end == NULL ||
	    p < end) && n < max) {
		char *e = strstr(p += 8, "\n```\n");

		assert_non_null(e);
		q[n] = strndup(p, (size_t)(e - p + 1));
		assert_non_null(q[n]);
		n++;
		p = e;
	}
	free(doc);
	return n;
}

/* Run sql with the library; the rows as the sqlite3 shell prints them
 * by default ("list" mode: columns joined by '|', NULL empty). */
static char *
lib_rows(const char *sql)
{
	char path[128], *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int i, rc;

	assert_non_null(fp);
	snprintf(path, sizeof path, "%s/h.db", dir);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("README query fails: %s\n%s", sqlite3_errmsg(db),
		    sql);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		for (i = 0; i < sqlite3_column_count(st); i++) {
			const unsigned char *v = sqlite3_column_text(st, i);

			fprintf(fp, "%s%c", v ? (const char *)v : "",
			    i + 1 < sqlite3_column_count(st) ? '|' : '\n');
		}
	assert_int_equal(rc, SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);
	fclose(fp);
	return out;
}

/* The same through the sqlite3 shell, when it is installed (NULL if
 * not): what a reader of the README pastes. */
static char *
cli_rows(const char *sql, int i)
{
	char path[128], cmd[512], *out;
	FILE *fp;

	if (system("command -v sqlite3 >/dev/null 2>&1") != 0)
		return NULL;
	snprintf(path, sizeof path, "%s/q%d.sql", dir, i);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(sql, fp);
	assert_int_equal(fclose(fp), 0);
	snprintf(cmd, sizeof cmd, "sqlite3 -bail -readonly %s/h.db <%s "
	    ">%s/q%d.out 2>&1", dir, path, dir, i);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof path, "%s/q%d.out", dir, i);
	out = test_slurp(path, NULL);
	assert_non_null(out);
	return out;
}

static void
test_readme_queries(void **state)
{
	char *q[4], *got, *cli, want[2048];
	size_t n = readme_queries(q, 4), i;
	int d, len = 0;

	(void)state;
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++) {
		got = lib_rows(q[i]);
		switch (i) {
		case 0:	/* failing for 5+ runs: gamma, every night */
			assert_string_equal(got, "gamma|7|2024-06-10\n");
			break;
		case 1:	/* this month, worst first */
			assert_string_equal(got, "gamma|8|1|12.5\n"
			    "beta|8|5|62.5\n" "alpha|8|8|100.0\n");
			break;
		case 2:	/* the fleet per day, newest first */
			for (d = 7; d >= 0; d--) {
				int ok = 0;
				size_t m;

				for (m = 0; m < NMACHINES; m++)
					ok += job_ok(m, d);
				len += snprintf(want + len, sizeof want -
				    (size_t)len, "2024-06-%02d|3|%.1f\n", 8 + d,
				    100.0 * ok / 3 + 1e-9);
			}
			assert_string_equal(got, want);
			break;
		}
		cli = cli_rows(q[i], (int)i);
		if (cli != NULL)
			assert_string_equal(cli, got);
		free(cli);
		free(got);
		free(q[i]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_history_json),
		cmocka_unit_test(test_night_report),
		cmocka_unit_test(test_history_filters),
		cmocka_unit_test(test_history_terminal),
		cmocka_unit_test(test_history_html_xlsx),
		cmocka_unit_test(test_readme_queries),
		cmocka_unit_test(test_rerun_idempotent),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
