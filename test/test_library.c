/* SPDX-License-Identifier: MIT */
/*
 * test_library.c -- the library analyses on its own.  This test is linked
 * with build/libmarslog.a alone (no analyzer/main.o, no analyzer/cli.o:
 * see the Makefile); it analyses samples/fs01.zip through the public API
 * (catalog_new_builtin, run_analysis, diagnose_new, a report writer) and
 * checks the real counts of that bundle, and that the library wrote
 * nothing to the process's standard output or standard error: only to
 * the stream it was given.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "analyzer/run.h"
#include "analyzer/years.h"
#include "patterns/catalog.h"
#include "reports/diagnose.h"
#include "reports/json.h"
#include "reports/report.h"
#include "reports/summary.h"
#include "test/test_util.h"

/*
 * The command line's entry points, declared weak: they resolve to NULL
 * unless main.o or cli.o is linked in, which would make this test prove
 * nothing.
 */
extern void cli_init(void) __attribute__((weak));
extern void cli_parse(void) __attribute__((weak));
extern void cli_print_help(void) __attribute__((weak));

static struct catalog *cat;

static int
setup(void **state)
{
	char err[256];

	(void)state;
	cat = catalog_new_builtin(err, sizeof err);
	if (cat == NULL)
		fail_msg("catalog_new_builtin: %s", err);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	catalog_free(cat);
	return 0;
}

/*
 * The standard streams of the process, sent to a temporary file while the
 * library runs; quiet_end() returns how many bytes landed there.
 */
struct quiet {
	int saved[2];
	FILE *sink;
};

static void
quiet_begin(struct quiet *q)
{
	int fd;

	fflush(stdout);
	fflush(stderr);
	q->sink = tmpfile();
	assert_non_null(q->sink);
	fd = fileno(q->sink);
	q->saved[0] = dup(STDOUT_FILENO);
	q->saved[1] = dup(STDERR_FILENO);
	assert_true(q->saved[0] >= 0 && q->saved[1] >= 0);
	assert_true(dup2(fd, STDOUT_FILENO) >= 0);
	assert_true(dup2(fd, STDERR_FILENO) >= 0);
}

static long
quiet_end(struct quiet *q)
{
	long n;

	fflush(stdout);
	fflush(stderr);
	assert_true(dup2(q->saved[0], STDOUT_FILENO) >= 0);
	assert_true(dup2(q->saved[1], STDERR_FILENO) >= 0);
	close(q->saved[0]);
	close(q->saved[1]);
	assert_int_equal(fseek(q->sink, 0, SEEK_END), 0);
	n = ftell(q->sink);
	fclose(q->sink);
	return n;
}

/* Analyse `path` as the program does (years from evidence, evidence kept),
 * on `jobs` threads. */
static struct summary *
analyse(const char *path, int jobs)
{
	struct run_options ro;
	const char *paths[1];
	struct years *years = years_new();
	struct summary *s;
	char err[256];

	assert_non_null(years);
	paths[0] = path;
	memset(&ro, 0, sizeof ro);
	ro.paths = paths;
	ro.npaths = 1;
	source_options_init(&ro.source);
	analysis_options_init(&ro.analysis);
	ro.analysis.evidence = 1;
	ro.jobs = jobs;
	ro.years = years;
	s = run_analysis(cat, &ro, err, sizeof err);
	years_free(years);
	if (s == NULL)
		fail_msg("run_analysis(%s): %s", path, err);
	return s;
}

static const struct summary_job *
job_with_hresult(const struct summary *s, const char *hr, size_t *index)
{
	size_t i;

	for (i = 0; i < s->njobs; i++)
		if (s->jobs[i].hresult != NULL &&
		    strcmp(s->jobs[i].hresult, hr) == 0) {
			*index = i;
			return &s->jobs[i];
		}
	fail_msg("no job with HRESULT %s", hr);
	return NULL;
}

static void
test_linked_alone(void **state)
{
	(void)state;
	assert_true(cli_init == NULL);
	assert_true(cli_parse == NULL);
	assert_true(cli_print_help == NULL);
}

/*
 * fs01: nine inputs (UTF-16LE logs, a zip inside the zip, failed-file
 * lists), seven jobs of which two failed, the 06-06 one for want of
 * scratch space; the last backup, on 06-09, succeeded.
 */
static void
test_fs01(void **state)
{
	struct quiet q;
	struct summary *s;
	struct diagnosis *d;
	const struct summary_job *j;
	size_t ji = 0;

	(void)state;
	quiet_begin(&q);
	s = analyse("samples/fs01.zip", 2);
	d = diagnose_new(s, cat, NULL);
	assert_int_equal(quiet_end(&q), 0);
	assert_non_null(d);

	assert_int_equal(s->nmachines, 1);
	assert_string_equal(s->machines[0].name, "fs01");
	assert_int_equal(s->totals.inputs, 9);
	assert_int_equal(s->totals.inputs_skipped, 0);
	assert_int_equal(s->totals.records, 1133);
	assert_int_equal(s->totals.unparsed_lines, 0);
	assert_int_equal(s->totals.errors, 22);
	assert_int_equal(s->totals.warnings, 59);
	assert_int_equal(s->totals.jobs, 7);
	assert_int_equal(s->totals.jobs_failed, 2);
	assert_int_equal(s->totals.failed_files, 40);
	assert_int_equal(s->nfindings, 27);
	assert_string_equal(s->machines[0].agent_version, "2.0.9262.0");

	j = job_with_hresult(s, "0x80070070", &ji);
	assert_int_equal(j->outcome, JOB_FAILED);
	assert_string_equal(d->jobs[ji].reason, "sal-low-disk-space");
	assert_int_equal(d->jobs[ji].source, DIAG_SRC_TASK_ERROR);
	j = job_with_hresult(s, "0x80070005", &ji);
	assert_int_equal(j->outcome, JOB_FAILED);
	assert_string_equal(d->jobs[ji].reason, "cbp-source-snapshot-failed");

	assert_int_equal(d->machines[0].verdict, VERDICT_HEALTHY);
	assert_int_equal(d->totals.jobs_failed, 2);
	assert_int_equal(d->totals.failed_files, 40);
	assert_int_equal(d->totals.errors, 22);
	diagnose_free(d);
	summary_free(s);
}

/* One thread or two: the same summary, byte for byte. */
static void
test_threads_agree(void **state)
{
	struct summary *a, *b;
	char *ja, *jb;

	(void)state;
	a = analyse("samples/fs01.zip", 1);
	b = analyse("samples/fs01.zip", 2);
	ja = test_json(a, NULL);
	jb = test_json(b, NULL);
	assert_string_equal(ja, jb);
	free(ja);
	free(jb);
	summary_free(a);
	summary_free(b);
}

/* A report goes to the stream it is given and reads back with the same
 * counts. */
static void
test_report_to_stream(void **state)
{
	struct quiet q;
	struct report_options o;
	struct summary *s, *back;
	char *buf = NULL, err[256];
	size_t n = 0;
	FILE *fp;
	int rc;

	(void)state;
	s = analyse("samples/fs01.zip", 2);
	memset(&o, 0, sizeof o);
	o.catalog = cat;
	fp = open_memstream(&buf, &n);
	assert_non_null(fp);
	quiet_begin(&q);
	rc = report_writer_json.write(s, &o, fp, NULL, err, sizeof err);
	assert_int_equal(quiet_end(&q), 0);
	assert_int_equal(rc, 0);
	assert_int_equal(fclose(fp), 0);
	assert_non_null(strstr(buf, "\"reason\": \"sal-low-disk-space\""));

	back = summary_from_json(buf, n, err, sizeof err);
	if (back == NULL)
		fail_msg("summary_from_json: %s", err);
	assert_int_equal(back->totals.records, 1133);
	assert_int_equal(back->totals.jobs_failed, 2);
	assert_int_equal(back->totals.failed_files, 40);
	summary_free(back);
	free(buf);
	summary_free(s);
}

/* A missing path is a skipped input row, not an exit and not a line on
 * stderr: the caller decides what to say. */
static void
test_missing_input(void **state)
{
	struct quiet q;
	struct summary *s;

	(void)state;
	quiet_begin(&q);
	s = analyse("samples/no-such-bundle.zip", 1);
	assert_int_equal(quiet_end(&q), 0);
	assert_int_equal(s->ninputs, 1);
	assert_int_equal(s->totals.inputs_skipped, 1);
	assert_int_equal(s->inputs[0].status, INPUT_SKIPPED);
	assert_non_null(s->inputs[0].warning);
	assert_int_equal(s->totals.records, 0);
	summary_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linked_alone),
		cmocka_unit_test(test_fs01),
		cmocka_unit_test(test_threads_agree),
		cmocka_unit_test(test_report_to_stream),
		cmocka_unit_test(test_missing_input),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
