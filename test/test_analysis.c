/* SPDX-License-Identifier: MIT */
/*
 * test_analysis.c -- the analysis pass on small real files: jobs rebuilt
 * from milestones, outcomes and failing HRESULTs, failed-files lists
 * matched to jobs, findings by catalog level, unknown HRESULTs, templates,
 * the time window, and identical results for 1 and 3 worker threads.
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

#include "analyzer/analysis.h"
#include "analyzer/run.h"
#include "parsers/record.h"
#include "reports/json.h"
#include "reports/summary.h"
#include "test/test_util.h"

#define GUID_OK   "F3E32129-DC79-4A28-9ACC-3F30CB5810B6"
#define GUID_FAIL "1FCFF8B4-CCE2-42E6-8883-7AEB9A1C5CB6"
#define GUID_WARN "0517B3DB-347D-45A8-9DAB-FD7D1EA7D134"

static struct catalog *cat;
static char dir[64];

/* 2024-06-07 23:00 UTC: the files' mtime, so the year is 2024. */
#define MTIME 1717801200

static void
write_file(const char *name, const char *text, int utf16)
{
	char path[256];
	FILE *fp;
	struct timeval tv[2] = { { MTIME, 0 }, { MTIME, 0 } };

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	if (utf16)
		test_put_utf16(fp, text);	/* ASCII only in these tests */
	else
		fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(utimes(path, tv), 0);
}

#define L(date, time, src, guid, level, msg) \
	"0AB0\t0974\t" date "\t" time "\t71\t" src "\t[000000001A12E3F0]\t" guid "\t\t" level "\t" msg "\n"

static const char cbengine[] =
	L("06/07", "01:00:00.000", "backupasync.cpp(1279)", GUID_OK, "NORMAL", "Backup Progress: Prebackup started.")
	L("06/07", "01:00:01.000", "agent.cpp(10)", "", "NORMAL", "Microsoft Azure Recovery Services Agent version 2.0.9262.0 started")
	L("06/07", "01:10:00.000", "backupasync.cpp(1299)", GUID_OK, "NORMAL", "Backup Progress: Data transfer started.")
	L("06/07", "01:20:00.000", "backupasync.cpp(1338)", GUID_OK, "NORMAL", "Backup Progress: Succeeded")
	L("06/07", "02:00:00.000", "backupasync.cpp(1279)", GUID_FAIL, "NORMAL", "Backup Progress: Prebackup started.")
	L("06/07", "02:05:00.000", "mtffile.cpp(1372)", GUID_FAIL, "WARNING", "Failed: Hr: = [0x80070005] Access to the scratch folder was denied")
	L("06/07", "02:05:01.000", "backupasync.cpp(1184)", GUID_FAIL, "WARNING", "Backup Progress: Failed")
	L("06/07", "03:00:00.000", "backupasync.cpp(1279)", GUID_WARN, "NORMAL", "Backup Progress: Prebackup started.")
	L("06/07", "03:30:00.000", "backupasync.cpp(1338)", GUID_WARN, "NORMAL", "Backup Progress: Succeeded")
	L("06/07", "04:00:00.000", "cloud.cs(12)", "", "WARNING", "Failed: Hr: = [0x8007052e] logon to the proxy failed")
	L("06/07", "04:00:01.000", "cloud.cs(12)", "", "NORMAL", "retrying after 0x8007052e on attempt 2")
	L("06/07", "04:30:00.000", "x.cpp(1)", "", "FATAL", "Watchdog fired after 30 seconds in worker 4")
	L("06/07", "04:31:00.000", "x.cpp(1)", "", "FATAL", "Watchdog fired after 75 seconds in worker 9")
	L("06/07", "03:10:00.000", "backupasync.cpp(1500)", GUID_WARN, "WARNING", "Last completed state for Ds Id 2 is 7")
	"   continuation text without a prefix\n";

static const char failed_list[] =
	"Consider adding these to exclusion list of backup policy.\n"
	"----------------------------------------------------------\n"
	"D:\\Data\\locked.pst\t0x80070005\tAccess is denied.\n"
	"D:\\Data\\gone.docx\t0x80070002\tThe system cannot find the file specified.\n"
	"D:\\Data\\locked2.pst\t0x80070005\tAccess is denied.\n";

static struct summary *
analyse(int jobs, int64_t since, int64_t until)
{
	struct run_options ro;
	const char *paths[1] = { dir };
	char err[256];
	struct summary *s;

	memset(&ro, 0, sizeof ro);
	ro.paths = paths;
	ro.npaths = 1;
	source_options_init(&ro.source);
	ro.source.machine = "FS01";
	analysis_options_init(&ro.analysis);
	ro.analysis.since = since;
	ro.analysis.until = until;
	ro.jobs = jobs;
	s = run_analysis(cat, &ro, err, sizeof err);
	if (s == NULL)
		fail_msg("run_analysis: %s", err);
	return s;
}

static const struct summary_job *
job(const struct summary *s, const char *task)
{
	size_t i;

	for (i = 0; i < s->njobs; i++)
		if (strcmp(s->jobs[i].task_id, task) == 0)
			return &s->jobs[i];
	return NULL;
}

static const struct summary_finding *
finding_by_code(const struct summary *s, const char *code)
{
	size_t i;

	for (i = 0; i < s->nfindings; i++)
		if (s->findings[i].code != NULL &&
		    strcmp(s->findings[i].code, code) == 0)
			return &s->findings[i];
	return NULL;
}

static int
setup(void **state)
{
	char err[256];

	(void)state;
	cat = catalog_new_builtin(err, sizeof err);
	if (cat == NULL)
		return -1;
	snprintf(dir, sizeof dir, "/tmp/marslog-analysis-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	write_file("CBEngineCurr.errlog", cbengine, 1);
	/* The list is written when the GUID_WARN job ends (03:30). */
	write_file("LastBackupFailedFiles1a2b_6_7_2024.txt", failed_list, 1);
	{
		char path[256];
		struct timeval tv[2] = { { 1717731060, 0 }, { 1717731060, 0 } };

		snprintf(path, sizeof path, "%s/LastBackupFailedFiles1a2b_6_7_2024.txt", dir);
		utimes(path, tv);	/* 2024-06-07T03:31:00Z */
	}
	write_file("notes.txt", "customer notes, not a log\n", 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	catalog_free(cat);
	return test_rm_rf(dir);
}

static void
test_jobs(void **state)
{
	struct summary *s = analyse(1, ML_TIME_NONE, ML_TIME_NONE);
	const struct summary_job *j;
	char t[32];

	(void)state;
	assert_int_equal(s->njobs, 3);
	j = job(s, GUID_OK);
	assert_non_null(j);
	assert_int_equal(j->outcome, JOB_SUCCEEDED);
	assert_int_equal(j->kind, JOB_BACKUP);
	assert_string_equal(ml_time_format(j->start, t, sizeof t), "2024-06-07T01:00:00.000Z");
	assert_string_equal(ml_time_format(j->end, t, sizeof t), "2024-06-07T01:20:00.000Z");
	assert_int_equal(j->failed_files, 0);

	j = job(s, GUID_FAIL);
	assert_non_null(j);
	assert_int_equal(j->outcome, JOB_FAILED);
	assert_non_null(j->hresult);
	assert_string_equal(j->hresult, "0x80070005");

	j = job(s, GUID_WARN);
	assert_non_null(j);
	assert_int_equal(j->outcome, JOB_WARNINGS);
	assert_int_equal(j->failed_files, 3);
	assert_int_equal(s->totals.jobs, 3);
	assert_int_equal(s->totals.jobs_failed, 1);
	/* jobs are sorted by start */
	assert_string_equal(s->jobs[0].task_id, GUID_OK);
	assert_string_equal(s->jobs[2].task_id, GUID_WARN);
	summary_free(s);
}

static void
test_findings(void **state)
{
	struct summary *s = analyse(1, ML_TIME_NONE, ML_TIME_NONE);
	const struct summary_finding *f;
	const struct catalog_entry *ce;
	size_t i;

	(void)state;
	/* 0x80070005: once in the trace, twice in the failed-files list. */
	f = finding_by_code(s, "0x80070005");
	assert_non_null(f);
	assert_int_equal(f->count, 3);
	ce = catalog_find_code(cat, "0x80070005");
	assert_non_null(ce);
	assert_string_equal(f->id, ce->id);
	assert_int_equal(f->level, ce->level);
	assert_non_null(f->remediation);
	assert_non_null(f->sample.path);
	assert_non_null(strstr(f->sample.path, "CBEngineCurr.errlog"));
	assert_int_equal(f->sample.line, 6);

	/* An unknown HRESULT on a WARNING line is a decoded finding; the
	 * same code on a NORMAL line is not counted. */
	f = finding_by_code(s, "0x8007052E");
	assert_non_null(f);
	assert_string_equal(f->id, "hresult-0x8007052E");
	assert_int_equal(f->count, 1);
	assert_int_equal(f->level, CAT_LEVEL_WARNING);
	assert_non_null(strstr(f->title, "ERROR_LOGON_FAILURE"));

	/* The benign WARNING is a known info entry, not a warning. */
	for (i = 0; i < s->nfindings; i++)
		if (s->findings[i].level == CAT_LEVEL_INFO)
			break;
	assert_true(i < s->nfindings);
	assert_non_null(strstr(s->findings[i].sample.message, "Last completed state"));

	/* Two FATAL lines without a code: one template, counted as errors. */
	assert_int_equal(s->ntemplates, 1);
	assert_int_equal(s->templates[0].count, 2);
	assert_int_equal(s->templates[0].level, CAT_LEVEL_ERROR);
	assert_string_equal(s->templates[0].text,
	    "Watchdog fired after <n> seconds in worker <n>");

	assert_int_equal(s->nmachines, 1);
	assert_string_equal(s->machines[0].name, "FS01");
	assert_non_null(s->machines[0].agent_version);
	assert_string_equal(s->machines[0].agent_version, "2.0.9262.0");
	assert_int_equal(s->failed_files[0].count, 1);
	assert_int_equal(s->totals.failed_files, 3);
	summary_free(s);
}

static void
test_inputs(void **state)
{
	struct summary *s = analyse(1, ML_TIME_NONE, ML_TIME_NONE);
	size_t i, seen = 0;

	(void)state;
	assert_int_equal(s->ninputs, 3);
	for (i = 0; i < s->ninputs; i++) {
		const struct summary_input *in = &s->inputs[i];

		if (strstr(in->path, "CBEngineCurr.errlog") != NULL) {
			assert_int_equal(in->kind, INPUT_ERRLOG);
			assert_int_equal(in->encoding, TEXT_UTF16LE);
			assert_int_equal(in->status, INPUT_OK);
			/* 14 records; the continuation line is part of one */
			assert_int_equal(in->records, 14);
			seen++;
		} else if (strstr(in->path, "LastBackupFailedFiles") != NULL) {
			assert_int_equal(in->kind, INPUT_FAILED_FILES);
			assert_int_equal(in->records, 3);
			seen++;
		} else {
			assert_non_null(strstr(in->path, "notes.txt"));
			assert_int_equal(in->kind, INPUT_OTHER);
			assert_int_equal(in->status, INPUT_SKIPPED);
			seen++;
		}
	}
	assert_int_equal(seen, 3);
	assert_int_equal(s->totals.inputs_skipped, 1);
	summary_free(s);
}

static void
test_window(void **state)
{
	int64_t since, until;
	struct summary *s;

	(void)state;
	assert_int_equal(ml_time_parse("2024-06-07T01:30:00Z", &since), 0);
	assert_int_equal(ml_time_parse("2024-06-07T02:30:00Z", &until), 0);
	s = analyse(1, since, until);
	/* Only the failed job's lines are inside the window. */
	assert_int_equal(s->njobs, 1);
	assert_string_equal(s->jobs[0].task_id, GUID_FAIL);
	assert_null(finding_by_code(s, "0x8007052E"));
	assert_int_equal(s->ntemplates, 0);
	summary_free(s);
}

/* Threads change nothing: same JSON bytes. */
static void
test_jobs_threads_equal(void **state)
{
	struct summary *a = analyse(1, ML_TIME_NONE, ML_TIME_NONE);
	struct summary *b = analyse(3, ML_TIME_NONE, ML_TIME_NONE);
	size_t na, nb;
	char *ja = test_json(a, &na), *jb = test_json(b, &nb);

	(void)state;
	assert_int_equal(na, nb);
	assert_memory_equal(ja, jb, na);
	free(ja);
	free(jb);
	summary_free(a);
	summary_free(b);
}

/* Several files of one machine read by different threads: the template
 * cap (per input) and a job whose failure code sits in another file than
 * its "Failed" milestone give the same result for any number of threads. */
static void
test_threads_cross_file(void **state)
{
	char saved[64], path[256];
	struct summary *one, *three;
	char *j1, *j3;
	size_t n1, n3, i;
	FILE *fp;
	int k;

	(void)state;
	memcpy(saved, dir, sizeof saved);
	snprintf(dir, sizeof dir, "/tmp/marslog-threads-XXXXXX");
	assert_non_null(mkdtemp(dir));
	for (k = 0; k < 2; k++) {
		snprintf(path, sizeof path, "%s/CBEngine%d.errlog", dir, k);
		fp = fopen(path, "w");
		assert_non_null(fp);
		/* letters, not digits: the template mask keeps them apart */
		for (i = 0; i < 1500; i++)
			fprintf(fp, "0AB0\t0974\t06/07\t0%d:%02zu:%02zu.000\t71\tx.cpp(1)\t\t\tWARNING\tunique problem %s %c%c%c\n",
			    k + 1, i / 60, i % 60, k ? "beta" : "alpha",
			    (char)('a' + i / 676), (char)('a' + i / 26 % 26),
			    (char)('a' + i % 26));
		if (k == 0)
			fputs(L("06/07", "01:59:00.000", "mtffile.cpp(1)", GUID_FAIL, "WARNING", "Failed: Hr: = [0x80990ABC] the volume went away"), fp);
		else
			fputs(L("06/07", "02:30:00.000", "backupasync.cpp(1184)", GUID_FAIL, "WARNING", "Backup Progress: Failed"), fp);
		fclose(fp);
	}
	one = analyse(1, ML_TIME_NONE, ML_TIME_NONE);
	three = analyse(3, ML_TIME_NONE, ML_TIME_NONE);
	/* 1000 kept per input, the rest dropped, whichever thread read it */
	assert_int_equal(one->ntemplates, 2000);
	assert_int_equal(one->templates_dropped, 1000);
	assert_int_equal(one->njobs, 1);
	assert_int_equal(one->jobs[0].outcome, JOB_FAILED);
	assert_non_null(one->jobs[0].hresult);
	assert_string_equal(one->jobs[0].hresult, "0x80990ABC");
	j1 = test_json(one, &n1);
	j3 = test_json(three, &n3);
	assert_int_equal(n1, n3);
	assert_memory_equal(j1, j3, n1);
	free(j1);
	free(j3);
	summary_free(one);
	summary_free(three);
	assert_int_equal(test_rm_rf(dir), 0);
	memcpy(dir, saved, sizeof saved);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jobs),
		cmocka_unit_test(test_findings),
		cmocka_unit_test(test_inputs),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_jobs_threads_equal),
		cmocka_unit_test(test_threads_cross_file),
	};

	return cmocka_run_group_tests_name("analysis", tests, setup, teardown);
}
