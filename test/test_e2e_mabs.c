/* SPDX-License-Identifier: MIT */
/*
 * test_e2e_mabs.c -- the MABS sample bundle (samples/mabs01.zip) end to end:
 * the DPM Temp folder's traces and the MARS agent's log of one Azure Backup
 * Server, UTF-16LE with BOM and CRLF.  Every finding listed in
 * samples/mabs01.expected (written with the bundle by samples/mksamples.py,
 * one per line: machine, id, count, text of its title) is reported with
 * that count, advice follows the product of the trace, and nothing else is
 * reported at warning or error level.  Run from the top of the tree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test/test_util.h"

#define BUNDLE "samples/mabs01.zip"
#define EXPECTED "samples/mabs01.expected"

static char dir[] = "/tmp/marslog-mabs-XXXXXX";
static const char *marslog, *wrap;
static struct summary *sum;

static const struct summary_finding *find(const char *machine, const char *id)
{
	size_t i;

	for (i = 0; i < sum->nfindings; i++)
		if (strcmp(sum->findings[i].machine, machine) == 0 &&
		    strcmp(sum->findings[i].id, id) == 0)
			return &sum->findings[i];
	return NULL;
}

static int setup(void **state)
{
	struct result r;
	char json[128], err[256] = "";

	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	test_marslog(&marslog, &wrap);
	snprintf(json, sizeof json, "%s/mabs01.json", dir);
	test_run(&r, dir, wrap, marslog, "--json %s %s", json, BUNDLE);
	if (r.status != 1 || strcmp(r.err, "") != 0) {
		fprintf(stderr, "marslog: status %d, stderr: %s\n", r.status,
		    r.err);
		result_free(&r);
		return -1;
	}
	result_free(&r);
	sum = summary_read_json_file(json, err, sizeof err);
	if (sum == NULL)
		fprintf(stderr, "%s\n", err);
	return sum == NULL ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	summary_free(sum);
	return test_rm_rf(dir);
}

/* Every expected finding, with its count and title; nothing else at
 * warning or error level. */
static void test_expected_findings(void **state)
{
	char *text = test_slurp(EXPECTED, NULL), *line, *save = NULL;
	size_t i, listed = 0, other = 0;

	(void)state;
	assert_non_null(text);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char *f[4], *p = line;
		const struct summary_finding *fi;
		size_t n;

		if (line[0] == '#')
			continue;
		for (n = 0; n < 4 && p != NULL; n++) {
			f[n] = p;
			p = strchr(p, '\t');
			if (p != NULL)
				*p++ = '\0';
		}
		assert_int_equal(n, 4);
		fi = find(f[0], f[1]);
		if (fi == NULL)
			fail_msg("no finding %s on %s", f[1], f[0]);
		if (fi->count != strtoull(f[2], NULL, 10))
			fail_msg("%s: count %llu, want %s", f[1],
			    (unsigned long long)fi->count, f[2]);
		if (strstr(fi->title, f[3]) == NULL)
			fail_msg("%s: title '%s' lacks '%s'", f[1], fi->title,
			    f[3]);
		listed++;
	}
	free(text);
	assert_true(listed >= 10);
	for (i = 0; i < sum->nfindings; i++)
		if (sum->findings[i].level >= CAT_LEVEL_WARNING)
			other++;
	assert_int_equal(other, listed);
}

/* The same code gets the advice of the product that logged it. */
static void test_product_advice(void **state)
{
	const struct summary_finding *dpm = find("mabs01", "dpm-0x80070005");
	const struct summary_finding *mars = find("mabs01", "hr-0x80070005");
	const struct summary_finding *other = find("mabs01", "code-100092");
	const struct summary_finding *ic;

	(void)state;
	assert_non_null(dpm);
	assert_non_null(mars);
	assert_non_null(other);
	assert_non_null(strstr(dpm->sample.path, "DPM/DPM/Temp/"));
	assert_null(strstr(dpm->remediation, "antivirus or another program"));
	assert_non_null(strstr(dpm->remediation, "DCOM"));
	assert_non_null(strstr(mars->sample.path, "DPM/MARS/"));
	assert_non_null(strstr(mars->remediation, "antivirus"));
	/* A MARS-only code in a DPM trace: neutral advice, not MARS's fix. */
	assert_non_null(strstr(other->cause, "documented for the MARS agent "
	    "only"));
	assert_non_null(strstr(other->remediation, "Read the sample line"));
	/* 34517: MABS advice in the DPM trace, MARS advice in CBEngine. */
	ic = find("mabs01", "dpm-34517");
	assert_non_null(ic);
	assert_non_null(strstr(ic->remediation, "consistency check"));
	ic = find("mabs01", "ic-metadata-validation-failure");
	assert_non_null(ic);
	assert_non_null(strstr(ic->sample.path, "CBEngineCurr.errlog"));
}

/* The traces are as the services write them: UTF-16LE, read whole. */
static void test_inputs(void **state)
{
	size_t i, u16 = 0;

	(void)state;
	assert_int_equal(sum->ninputs, 4);
	for (i = 0; i < sum->ninputs; i++) {
		assert_int_equal(sum->inputs[i].kind, INPUT_ERRLOG);
		assert_int_equal(sum->inputs[i].unparsed_lines, 0);
		u16 += sum->inputs[i].encoding == TEXT_UTF16LE;
	}
	assert_int_equal(u16, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expected_findings),
		cmocka_unit_test(test_product_advice),
		cmocka_unit_test(test_inputs),
	};

	return cmocka_run_group_tests_name("mabs sample", tests, setup,
	    teardown);
}
