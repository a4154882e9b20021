/* SPDX-License-Identifier: MIT */
/*
 * test_e2e.c -- the marslog program on the shipped samples.
 *
 * Runs $MARSLOG (prefixed by $MARSLOG_WRAP, e.g. valgrind) as a user
 * would and checks: the summary JSON against samples/expected.json (jobs,
 * outcomes, findings, failed files, inputs: exact, via test/e2e_check.py),
 * golden --summary and --json output, exit codes, the subcommands, merge
 * equal to a single run, --jobs 1 equal to --jobs 2, and colours and the
 * progress meter only on a terminal.  Goldens are rewritten with
 * MARSLOG_UPDATE_GOLDEN=1.
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

#include "patterns/catalog.h"
#include "test/test_util.h"

static char dir[64];
static const char *marslog, *wrap;

/* run(&r, FMT, ...): the program under test with these arguments. */
#define run(r, ...) test_run((r), dir, wrap, marslog, __VA_ARGS__)

static void
golden(const char *name, const char *got, size_t n)
{
	char path[256];
	size_t want_n = 0;
	char *want;

	snprintf(path, sizeof path, "test/golden/%s", name);
	if (getenv("MARSLOG_UPDATE_GOLDEN") != NULL) {
		FILE *fp = fopen(path, "wb");

		assert_non_null(fp);
		assert_int_equal(fwrite(got, 1, n, fp), n);
		assert_int_equal(fclose(fp), 0);
		return;
	}
	want = test_slurp(path, &want_n);
	if (want == NULL)
		fail_msg("missing %s (MARSLOG_UPDATE_GOLDEN=1 writes it)", path);
	if (want_n != n || memcmp(want, got, n) != 0) {
		char tmp[256], cmd[600];
		FILE *fp;

		snprintf(tmp, sizeof tmp, "%s/%s.got", dir, name);
		fp = fopen(tmp, "wb");
		fwrite(got, 1, n, fp);
		fclose(fp);
		snprintf(cmd, sizeof cmd, "diff -u %s %s | head -40", path, tmp);
		if (system(cmd) != 0)
			fprintf(stderr, "(diff failed)\n");
		fail_msg("%s differs from %s", name, path);
	}
	free(want);
}

static void
compare_with_expected(const char *json, const char *machine)
{
	char cmd[512];

	snprintf(cmd, sizeof cmd, "/usr/bin/python3 test/e2e_check.py %s %s",
	    json, machine);
	assert_int_equal(system(cmd), 0);
}

static void
test_fs01_expected(void **state)
{
	struct result r;
	char json[128];

	(void)state;
	snprintf(json, sizeof json, "%s/fs01.json", dir);
	run(&r, "--json %s samples/fs01.zip", json);
	assert_int_equal(r.status, 1);		/* errors found */
	assert_string_equal(r.out, "");		/* --json alone: no summary */
	assert_string_equal(r.err, "");		/* nothing wrong with the input */
	compare_with_expected(json, "fs01");
	result_free(&r);
}

static void
test_fs02_expected(void **state)
{
	struct result r;
	char json[128];

	(void)state;
	snprintf(json, sizeof json, "%s/fs02.json", dir);
	run(&r, "--year 2024 --json %s samples/fs02", json);
	assert_int_equal(r.status, 1);
	compare_with_expected(json, "fs02");
	result_free(&r);
}

static void
test_golden_summary(void **state)
{
	struct result r;

	(void)state;
	run(&r, "--summary --no-color --width 100 samples/fs01.zip");
	assert_int_equal(r.status, 1);
	golden("e2e-summary-fs01.txt", r.out, r.nout);
	result_free(&r);
	run(&r, "--summary --no-color --width 80 --lang zh-CN --year 2024 samples/fs02");
	golden("e2e-summary-fs02-zh.txt", r.out, r.nout);
	/* hostile bytes from the logs never reach the terminal */
	assert_null(strchr(r.out, '\033'));
	assert_null(strchr(r.out, '\a'));
	result_free(&r);
}

/*
 * The report's language is the reader's, not the parts': merge --lang
 * zh-CN over a part written in English shows Chinese labels, verdicts,
 * titles, reasons and fixes (looked up by id when the report is
 * written) in the terminal summary, and no English catalog text.
 */
static void
test_merge_lang_summary(void **state)
{
	struct result r;
	char json[512];

	(void)state;
	snprintf(json, sizeof json, "%s/en.json", dir);
	run(&r, "--lang en --fail-on never --json %s samples/fs01.zip", json);
	assert_int_equal(r.status, 0);
	result_free(&r);
	run(&r, "merge --lang zh-CN --no-color --width 200 --summary %s", json);
	/* labels */
	assert_non_null(strstr(r.out, "当前状态"));
	/* a job's reason and a finding's title and fix */
	assert_non_null(strstr(r.out, "暂存卷空间不足"));
	assert_non_null(strstr(r.out, "处理: "));
	assert_non_null(strstr(r.out, "拒绝访问"));
	/* the English catalog texts of the part are gone */
	assert_null(strstr(r.out, "Not enough space on the scratch volume"));
	assert_null(strstr(r.out, "Access denied"));
	assert_null(strstr(r.out, "fix: "));
	result_free(&r);
}

/* --inputs: one row per input with its status, plus the warning. */
static void
test_inputs_table(void **state)
{
	struct result r;
	const char *p;
	int rows = 0;

	(void)state;
	run(&r, "--inputs --year 2024 samples/fs01.zip samples/fs02");
	assert_int_equal(r.status, 1);
	assert_true(strncmp(r.out, "MACHINE ", 8) == 0);
	for (p = r.out; (p = strstr(p, "\nfs0")) != NULL; p++)
		rows++;
	assert_int_equal(rows, 13);
	assert_non_null(strstr(r.out, "samples/fs01.zip!Temp/older-logs.zip!CBEngine2.errlog"));
	assert_non_null(strstr(r.out, "cp1252"));
	assert_non_null(strstr(r.out, "skipped  -                        samples/fs02/Temp/notes.txt"));
	/* the year and where it came from (here --year) */
	assert_non_null(strstr(r.out, "ok       2024 (option)            samples/fs02/Temp/CBEngineCurr.errlog"));
	assert_non_null(strstr(r.out, "ok       2024 (failed-files-name) samples/fs02/Temp/LastBackupFailedFiles2c9e4_3_12_2024.txt"));
	/* --inputs alone prints no summary */
	assert_null(strstr(r.out, "Findings"));
	result_free(&r);
}

/*
 * The pasted forms of test/cases/pasted/ (without their "# expect" lines),
 * found by content under any name: each is an errlog with its records
 * counted, its form in --inputs and in the JSON, and the codes of records
 * a page flattened into one line are all found (the last record's
 * 0x80780054 too).
 */
static void
test_pasted_inputs(void **state)
{
	static const char *const cases[][3] = {
		{ "kb-flattened.txt", "spaces+flattened+excerpt", "4" },
		{ "prose-flattened.txt", "spaces+flattened", "3" },
		{ "notepadpp.txt", "tab+notepad++", "5" },
		{ "findstr-n.txt", "tab+findstr", "4" },
		{ "quoted.txt", "spaces+quoted", "3" },
		{ "line-numbers.txt", "spaces+line-numbers", "3" },
		{ "viewer-time.txt", "tab+spaces+viewer-time", "3" },
	};
	char path[256], row[256], *text, *line, *nl;
	struct result r;
	size_t i;
	FILE *fp;

	(void)state;
	snprintf(path, sizeof path, "%s/pasted", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(path, sizeof path, "test/cases/pasted/%s", cases[i][0]);
		text = test_slurp(path, NULL);
		assert_non_null(text);
		snprintf(path, sizeof path, "%s/pasted/%s", dir, cases[i][0]);
		fp = fopen(path, "wb");
		assert_non_null(fp);
		for (line = text; (nl = strchr(line, '\n')) != NULL;
		    line = nl + 1)
			if (strncmp(line, "# expect ", 9) != 0)
				fwrite(line, 1, (size_t)(nl + 1 - line), fp);
		assert_int_equal(fclose(fp), 0);
		free(text);
	}
	run(&r, "--inputs --fail-on never --year 2016 %s/pasted", dir);
	assert_int_equal(r.status, 0);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		/* "errlog utf-8 FORM BYTES RECORDS" on the file's row */
		snprintf(path, sizeof path, "/pasted/%s\n", cases[i][0]);
		line = strstr(r.out, path);
		assert_non_null(line);
		while (line > r.out && line[-1] != '\n')
			line--;
		snprintf(row, sizeof row, " %s ", cases[i][1]);
		if (strstr(line, row) == NULL || strstr(line, row) > strstr(line,
		    path))
			fail_msg("row of %s: want form %s:\n%s", cases[i][0],
			    cases[i][1], r.out);
		snprintf(row, sizeof row, " %s ", cases[i][2]);
		assert_non_null(strstr(strstr(line, cases[i][1]), row));
	}
	result_free(&r);
	run(&r, "--json - --fail-on never --year 2016 %s/pasted/kb-flattened.txt",
	    dir);
	assert_non_null(strstr(r.out, "\"form\": \"spaces+flattened+excerpt\""));
	assert_non_null(strstr(r.out, "\"id\": \"hr-0x80780054\""));
	assert_non_null(strstr(r.out, "\"id\": \"offline-import-job-not-found\""));
	result_free(&r);
}

/* The agent's own version line: the installed version becomes the
 * machine's agent_version, and the catalog's version rows raise "not the
 * latest" and "below the documented minimum" findings from it. */
static void
test_cbp_version(void **state)
{
	static const char *const cases[][3] = {
		{ "2.0.9262.0", "2.0.9277.0", "agent-out-of-date" },
		{ "2.0.9167.0", "2.0.9167.0",
		    "agent-below-vault-credentials-minimum" },
	};
	char path[256], want[128];
	struct result r;
	size_t i;
	FILE *fp;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(path, sizeof path, "%s/CBEngineV%zu.errlog", dir, i);
		fp = fopen(path, "wb");
		assert_non_null(fp);
		fprintf(fp, "0AB0\t0974\t08/04\t13:16:29.206\t71\t"
		    "cbclient.cpp(210)\t[000000001A12E3F0]\t\tNORMAL\t"
		    "cbpVersion %s , latestVersion %s\r\n", cases[i][0],
		    cases[i][1]);
		assert_int_equal(fclose(fp), 0);
		run(&r, "--json - --fail-on never --year 2024 %s", path);
		snprintf(want, sizeof want, "\"agent_version\": \"%s\"",
		    cases[i][0]);
		assert_non_null(strstr(r.out, want));
		snprintf(want, sizeof want, "\"id\": \"%s\"", cases[i][2]);
		assert_non_null(strstr(r.out, want));
		result_free(&r);
	}
	/* current and above every minimum: no finding */
	snprintf(path, sizeof path, "%s/CBEngineV9.errlog", dir);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	fputs("0AB0\t0974\t08/04\t13:16:29.206\t71\tcbclient.cpp(210)\t"
	    "[000000001A12E3F0]\t\tNORMAL\tcbpVersion 2.0.9277.0 , "
	    "latestVersion 2.0.9277.0\r\n", fp);
	assert_int_equal(fclose(fp), 0);
	run(&r, "--json - --year 2024 %s", path);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\"agent_version\": \"2.0.9277.0\""));
	assert_null(strstr(r.out, "\"id\": \"agent-"));
	result_free(&r);
}

static void
test_golden_json(void **state)
{
	struct result r;

	(void)state;
	run(&r, "--json - samples/fs01.zip");
	golden("e2e-fs01.json", r.out, r.nout);
	result_free(&r);
}

/* The number of threads never changes the result. */
static void
test_jobs_equal(void **state)
{
	struct result a, b;

	(void)state;
	run(&a, "-J 1 --year 2024 --json - samples/fs01.zip samples/fs02 samples/fs01.zip");
	run(&b, "-J 2 --year 2024 --json - samples/fs01.zip samples/fs02 samples/fs01.zip");
	assert_int_equal(a.nout, b.nout);
	assert_memory_equal(a.out, b.out, a.nout);
	result_free(&a);
	result_free(&b);
}

/* merge(fs01, fs02) == merge(fs02, fs01) == one run over both. */
static void
test_merge(void **state)
{
	struct result r, one, m1, m2;

	(void)state;
	run(&r, "--year 2024 --json %s/a.json samples/fs01.zip", dir);
	result_free(&r);
	run(&r, "--year 2024 --json %s/b.json samples/fs02", dir);
	result_free(&r);
	run(&one, "--year 2024 --json - samples/fs01.zip samples/fs02");
	run(&m1, "merge --json - %s/a.json %s/b.json", dir, dir);
	run(&m2, "merge --json - %s/b.json %s/a.json", dir, dir);
	assert_int_equal(m1.status, 1);
	assert_true(one.nout > 1000);
	assert_int_equal(one.nout, m1.nout);
	assert_memory_equal(one.out, m1.out, one.nout);
	assert_int_equal(m1.nout, m2.nout);
	assert_memory_equal(m1.out, m2.out, m1.nout);
	result_free(&one);
	result_free(&m1);
	result_free(&m2);
	run(&r, "merge %s/missing.json", dir);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "missing.json"));
	result_free(&r);
}

static void
test_exit_codes(void **state)
{
	struct result r;

	(void)state;
	run(&r, "--fail-on never --json /dev/null samples/fs01.zip");
	assert_int_equal(r.status, 0);
	result_free(&r);
	run(&r, "--fail-on warning --json /dev/null samples/fs01.zip");
	assert_int_equal(r.status, 1);
	result_free(&r);
	/* Nothing readable: a missing path (warned) and a non-log. */
	run(&r, "--json /dev/null %s/does-not-exist samples/fs02/Temp/notes.txt", dir);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "does-not-exist"));
	assert_non_null(strstr(r.err, "no MARS log could be read"));
	result_free(&r);
	/* A missing path beside a good bundle: warned, the rest analysed. */
	run(&r, "--fail-on never --json /dev/null %s/nope.zip samples/fs01.zip", dir);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.err, "marslog: warning: "));
	assert_non_null(strstr(r.err, "nope.zip"));
	result_free(&r);
	run(&r, "--bogus samples/fs01.zip");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "unknown option '--bogus'"));
	result_free(&r);
	run(&r, "--json %s/no/such/dir/out.json samples/fs01.zip", dir);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "cannot write"));
	result_free(&r);
	run(&r, "--version");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "marslog "));
	result_free(&r);
	run(&r, "--help");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "Exit status"));
	result_free(&r);
	run(&r, "help merge");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "marslog merge"));
	result_free(&r);
}

/* Reports replace regular files atomically, keep their mode, follow
 * symlinks to their target, and write devices in place. */
static void
test_report_targets(void **state)
{
	struct result r;
	char path[256], link[256];
	struct stat st;
	FILE *fp;

	(void)state;
	snprintf(path, sizeof path, "%s/real.json", dir);
	snprintf(link, sizeof link, "%s/link.json", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("old\n", fp);
	fclose(fp);
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(symlink("real.json", link), 0);
	run(&r, "--json %s samples/fs01.zip", link);
	assert_int_equal(r.status, 1);
	result_free(&r);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));		/* still a link */
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);	/* mode kept */
	assert_true(st.st_size > 1000);			/* new content */
	run(&r, "--json /dev/null --html /dev/null --xlsx /dev/null samples/fs01.zip");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.err, "");
	result_free(&r);
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));		/* not replaced */
	/* nothing readable: the last good report stays as it was */
	run(&r, "--json %s %s/nothing-here", path, dir);
	assert_int_equal(r.status, 2);
	result_free(&r);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size > 1000);
}

static void
test_catalog_explain(void **state)
{
	struct result r;
	const char *p;
	int lines = 0;
	char bad[128];
	FILE *fp;

	(void)state;
	run(&r, "catalog");
	assert_int_equal(r.status, 0);
	for (p = r.out; (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	assert_true(lines >= 62);	/* header + >= 60 entries + count */
	result_free(&r);
	run(&r, "catalog --lang zh-CN");
	assert_non_null(strstr(r.out, "暂存"));
	result_free(&r);

	run(&r, "explain 34513");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "34513"));
	assert_non_null(strstr(r.out, "https://"));
	result_free(&r);
	run(&r, "explain 0x80070005 SalLowDiskSpace");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "0x80070005"));
	assert_non_null(strstr(r.out, "SalLowDiskSpace"));
	result_free(&r);
	run(&r, "explain 0x1fc07");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "130055"));
	result_free(&r);
	run(&r, "explain 0x8007052E");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "ERROR_LOGON_FAILURE"));
	result_free(&r);

	snprintf(bad, sizeof bad, "%s/bad.tsv", dir);
	fp = fopen(bad, "w");
	assert_non_null(fp);
	fputs("# a broken catalog\nid\tlevel\n", fp);
	fclose(fp);
	run(&r, "--catalog %s samples/fs01.zip", bad);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "bad.tsv:2:"));
	result_free(&r);
}

/* A pseudo-terminal via script(1): colours and the progress meter appear
 * there, and never in a pipe. */
static void
test_terminal(void **state)
{
	char cmd[1024], path[128];
	char *out;

	(void)state;
	if (system("command -v script >/dev/null 2>&1") != 0)
		skip();
	snprintf(path, sizeof path, "%s/tty", dir);
	snprintf(cmd, sizeof cmd,
	    "env -u NO_COLOR script -qec '%s %s samples/fs01.zip' /dev/null >%s 2>&1",
	    wrap, marslog, path);
	assert_int_not_equal(system(cmd), -1);
	out = test_slurp(path, NULL);
	assert_non_null(out);
	assert_non_null(strstr(out, "\033[1m"));	/* bold headings */
	assert_non_null(strstr(out, "1/1 files"));	/* progress meter */
	free(out);

	snprintf(cmd, sizeof cmd,
	    "NO_COLOR=1 script -qec '%s %s samples/fs01.zip' /dev/null >%s 2>&1",
	    wrap, marslog, path);
	assert_int_not_equal(system(cmd), -1);
	out = test_slurp(path, NULL);
	assert_null(strstr(out, "\033[1m"));
	free(out);

	snprintf(cmd, sizeof cmd, "%s %s samples/fs01.zip 2>&1 | cat >%s",
	    wrap, marslog, path);
	assert_int_not_equal(system(cmd), -1);
	out = test_slurp(path, NULL);
	assert_null(strchr(out, '\033'));
	assert_null(strstr(out, "files,"));
	free(out);
}

static int
setup(void **state)
{
	(void)state;
	test_marslog(&marslog, &wrap);
	snprintf(dir, sizeof dir, "/tmp/marslog-e2e-XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	return test_rm_rf(dir);
}

/* merge --lang zh-CN over a part written in English: catalog titles and
 * fixes come out in Chinese, job reasons included (looked up by id when
 * the report is written); and the 06-06 job of fs01 ran out of scratch
 * space. */
static void
test_merge_lang(void **state)
{
	const struct catalog_entry *e;
	struct catalog *cat;
	struct result r;
	char err[256], want[512];

	(void)state;
	cat = catalog_new_builtin(err, sizeof err);
	assert_non_null(cat);
	e = catalog_find_id(cat, "sal-low-disk-space");
	assert_non_null(e);
	run(&r, "--lang en --json %s/part-en.json samples/fs01.zip", dir);
	assert_int_equal(r.status, 1);
	result_free(&r);
	run(&r, "merge --lang zh-CN --json - %s/part-en.json", dir);
	assert_int_equal(r.status, 1);
	snprintf(want, sizeof want, "\"reason\": \"sal-low-disk-space\", "
	    "\"reason_title\": \"%s\"", e->title[CAT_LANG_ZH]);
	assert_non_null(strstr(r.out, want));
	snprintf(want, sizeof want, "\"title\": \"%s\"",
	    e->title[CAT_LANG_ZH]);
	assert_non_null(strstr(r.out, want));
	assert_null(strstr(r.out, e->title[CAT_LANG_EN]));
	assert_null(strstr(r.out, e->fix[CAT_LANG_EN]));
	/* fs01's last backup (06-09) succeeded: nothing older is current */
	assert_non_null(strstr(r.out, "\"verdict\": \"healthy\""));
	assert_null(strstr(r.out, "\"current\": true"));
	result_free(&r);
	/* and back: English from a Chinese part */
	run(&r, "--lang zh-CN --json %s/part-zh.json samples/fs01.zip", dir);
	result_free(&r);
	run(&r, "merge --lang en --json - %s/part-zh.json", dir);
	assert_null(strstr(r.out, e->title[CAT_LANG_ZH]));
	assert_non_null(strstr(r.out, e->fix[CAT_LANG_EN]));
	result_free(&r);
	catalog_free(cat);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fs01_expected),
		cmocka_unit_test(test_fs02_expected),
		cmocka_unit_test(test_golden_summary),
		cmocka_unit_test(test_merge_lang_summary),
		cmocka_unit_test(test_inputs_table),
		cmocka_unit_test(test_pasted_inputs),
		cmocka_unit_test(test_cbp_version),
		cmocka_unit_test(test_golden_json),
		cmocka_unit_test(test_jobs_equal),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_merge_lang),
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_report_targets),
		cmocka_unit_test(test_catalog_explain),
		cmocka_unit_test(test_terminal),
	};

	return cmocka_run_group_tests_name("e2e", tests, setup, teardown);
}
