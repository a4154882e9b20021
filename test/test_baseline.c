/* SPDX-License-Identifier: MIT */
/*
 * test_baseline.c -- night over night (reports/baseline.h): two
 * generated nights with one change of every kind, the diff asserted
 * item by item; the same through the program (--baseline, "changes" in
 * the JSON, the section first in the summary, --fail-on new); a
 * baseline's staleness judged at its own as_of; bad baselines; the
 * nightly recipe (analyzer/contrib/marslog-nightly.sh) over two nights.
 *
 * Night 0 -> night 1 (test/fleet/fleet_gen.h kinds):
 *   alpha   clean -> clean              nothing
 *   bravo   clean -> failing            stale NEW, finding NEW, last job WORSE
 *   charlie failing -> clean            stale RESOLVED, finding RESOLVED,
 *                                       last job BETTER
 *   delta   clean -> (gone)             VANISHED
 *   echo    (none) -> never             APPEARED, stale NEW, finding NEW
 *   foxtrot flaky, 1 -> 3 denied        finding WORSE
 *   golf    flaky, 3 -> 1 denied        finding BETTER
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "parsers/record.h"
#include "reports/baseline.h"
#include "test/fleet/fleet_util.h"

static const struct fg_machine night0[] = {
	{ "alpha", FG_CLEAN, 0 },
	{ "bravo", FG_CLEAN, 0 },
	{ "charlie", FG_FAILING, 0 },
	{ "delta", FG_CLEAN, 0 },
	{ "foxtrot", FG_FLAKY, 1 },
	{ "golf", FG_FLAKY, 3 },
};

static const struct fg_machine night1[] = {
	{ "alpha", FG_CLEAN, 0 },
	{ "bravo", FG_FAILING, 0 },
	{ "charlie", FG_CLEAN, 0 },
	{ "echo", FG_NEVER, 0 },
	{ "foxtrot", FG_FLAKY, 3 },
	{ "golf", FG_FLAKY, 1 },
};

static int
setup(void **state)
{
	if (fu_setup(state) != 0)
		return -1;
	fu_fleet("night0", night0, sizeof(night0) / sizeof(night0[0]), 0);
	fu_fleet("night1", night1, sizeof(night1) / sizeof(night1[0]), 1);
	return 0;
}

struct want {
	enum baseline_change change;
	enum baseline_subject subject;
	const char *machine;
	const char *id;		/* findings */
	uint64_t before, after;	/* findings: counts; stale: hours (-1
				 * never); last job: outcomes */
};

#define H(h) ((h) < 0 ? -1 : (int64_t)(h) * FG_HOUR)

static const struct want want[] = {
	{ BASELINE_NEW, BASELINE_STALE, "bravo", NULL, 9, 57 },
	{ BASELINE_NEW, BASELINE_FINDING, "bravo", "sal-low-disk-space", 0, 2 },
	{ BASELINE_NEW, BASELINE_STALE, "echo", NULL, (uint64_t)-1,
	    (uint64_t)-1 },
	{ BASELINE_NEW, BASELINE_FINDING, "echo", "mars-34513", 0, 1 },
	{ BASELINE_WORSE, BASELINE_LAST_JOB, "bravo", NULL, JOB_SUCCEEDED,
	    JOB_FAILED },
	{ BASELINE_WORSE, BASELINE_FINDING, "foxtrot", "hr-0x80070005", 1, 3 },
	{ BASELINE_VANISHED, BASELINE_MACHINE, "delta", NULL, 0, 0 },
	{ BASELINE_APPEARED, BASELINE_MACHINE, "echo", NULL, 0, 0 },
	{ BASELINE_BETTER, BASELINE_LAST_JOB, "charlie", NULL, JOB_FAILED,
	    JOB_SUCCEEDED },
	{ BASELINE_BETTER, BASELINE_FINDING, "golf", "hr-0x80070005", 3, 1 },
	{ BASELINE_RESOLVED, BASELINE_STALE, "charlie", NULL, 57, 9 },
	{ BASELINE_RESOLVED, BASELINE_FINDING, "charlie", "sal-low-disk-space",
	    2, 0 },
};

#define NWANT (sizeof(want) / sizeof(want[0]))

static void
check_item(const struct baseline_item *it, const struct want *w, size_t i)
{
	if (it->change != w->change || it->subject != w->subject ||
	    strcmp(it->machine, w->machine) != 0)
		fail_msg("item %zu: %s %s %s, want %s %s %s", i,
		    baseline_change_name(it->change),
		    baseline_subject_name(it->subject), it->machine,
		    baseline_change_name(w->change),
		    baseline_subject_name(w->subject), w->machine);
	switch (it->subject) {
	case BASELINE_FINDING:
		assert_non_null(it->finding);
		assert_string_equal(it->finding->id, w->id);
		assert_int_equal(it->count_before, w->before);
		assert_int_equal(it->count_after, w->after);
		assert_int_equal(it->level_before != 0, w->before != 0);
		assert_int_equal(it->level_after != 0, w->after != 0);
		break;
	case BASELINE_STALE:
		assert_true(it->since_before == H((int64_t)w->before));
		assert_true(it->since_after == H((int64_t)w->after));
		assert_null(it->finding);
		break;
	case BASELINE_LAST_JOB:
		assert_int_equal(it->outcome_before, w->before);
		assert_int_equal(it->outcome_after, w->after);
		break;
	case BASELINE_MACHINE:
		assert_null(it->finding);
		break;
	}
}

/* The diff of the two nights in process, item by item. */
static void
test_diff(void **state)
{
	struct summary *a = fu_analyse("night0", 1), *b = fu_analyse("night1", 1);
	struct baseline_diff *d;
	size_t i;

	(void)state;
	d = baseline_diff_new(a, ML_TIME_NONE, b, ML_TIME_NONE, 26);
	assert_non_null(d);
	assert_true(d->as_of_before == FG_AS_OF(0));
	assert_true(d->as_of_after == FG_AS_OF(1));
	for (i = 0; i < d->nitems && i < NWANT; i++)
		check_item(&d->items[i], &want[i], i);
	assert_int_equal(d->nitems, NWANT);
	assert_int_equal(d->count[BASELINE_NEW], 4);
	assert_int_equal(d->count[BASELINE_WORSE], 2);
	assert_int_equal(d->count[BASELINE_VANISHED], 1);
	assert_int_equal(d->count[BASELINE_APPEARED], 1);
	assert_int_equal(d->count[BASELINE_BETTER], 2);
	assert_int_equal(d->count[BASELINE_RESOLVED], 2);
	baseline_diff_free(d);

	/* a night against itself: nothing */
	d = baseline_diff_new(b, ML_TIME_NONE, b, ML_TIME_NONE, 26);
	assert_non_null(d);
	assert_int_equal(d->nitems, 0);
	baseline_diff_free(d);

	/* reversed: every change turns around */
	d = baseline_diff_new(b, ML_TIME_NONE, a, ML_TIME_NONE, 26);
	assert_non_null(d);
	assert_int_equal(d->count[BASELINE_NEW], 2);	/* charlie */
	assert_int_equal(d->count[BASELINE_RESOLVED], 2);	/* bravo */
	assert_int_equal(d->count[BASELINE_VANISHED], 1);	/* echo */
	assert_int_equal(d->count[BASELINE_APPEARED], 1);	/* delta */
	baseline_diff_free(d);
	baseline_diff_free(NULL);
	summary_free(a);
	summary_free(b);
}

/* Through the program: night 1 with night 0 as its baseline. */
static void
test_program(void **state)
{
	static const char changes[] =
	    "Changes since the baseline (12)\n"
	    "  Change    Machine  Code                Before        Now  What\n"
	    "  new       bravo                         9.0 h      2.3 d  no "
	    "recent successful backup\n"
	    "  new       bravo    SalLowDiskSpace                     2  Not "
	    "enough space on the scratch volume\n";
	char p[256], *json, *out;

	(void)state;
	assert_int_equal(fu_sh("cd %s && %M -q --fail-on never --json n0.json "
	    "night0", fu_dir), 0);
	/* something new: --fail-on new exits 1 */
	assert_int_equal(fu_sh("cd %s && %M -q --width 100 --baseline n0.json "
	    "--fail-on new --json n1.json --summary night1 >n1.txt", fu_dir), 1);
	json = test_slurp(fu_path(p, sizeof(p), "n1.json"), NULL);
	assert_non_null(json);
	assert_non_null(strstr(json, "\n  \"changes\": {\"baseline_as_of\": "
	    "\"2024-06-10T06:00:00.000Z\", \"as_of\": "
	    "\"2024-06-11T06:00:00.000Z\", \"counts\": {\"new\": 4, "
	    "\"worse\": 2, \"vanished\": 1, \"appeared\": 1, \"better\": 2, "
	    "\"resolved\": 2}, \"items\": [\n"));
	assert_non_null(strstr(json, "    {\"change\": \"worse\", \"subject\": "
	    "\"finding\", \"machine\": \"foxtrot\", \"id\": \"hr-0x80070005\", "
	    "\"code\": \"0x80070005\", \"title\": \"Access denied\", "
	    "\"level_before\": \"warning\", \"level_after\": \"warning\", "
	    "\"count_before\": 1, \"count_after\": 3, \"hours_before\": null, "
	    "\"hours_after\": null, \"outcome_before\": null, "
	    "\"outcome_after\": null},\n"));
	assert_non_null(strstr(json, "{\"change\": \"resolved\", \"subject\": "
	    "\"stale\", \"machine\": \"charlie\", \"id\": null, \"code\": null, "
	    "\"title\": null, \"level_before\": null, \"level_after\": null, "
	    "\"count_before\": null, \"count_after\": null, \"hours_before\": "
	    "57.0, \"hours_after\": 9.0, \"outcome_before\": null, "
	    "\"outcome_after\": null}"));
	free(json);
	/* the changes come first in the terminal summary */
	out = test_slurp(fu_path(p, sizeof(p), "n1.txt"), NULL);
	assert_non_null(out);
	assert_true(strncmp(out, "MARS backup log analysis\nWhat is wrong "
	    "now\n", 42) == 0);
	/* the changes come right after the verdicts */
	assert_true(strstr(out, changes) != NULL &&
	    strstr(out, changes) < strstr(out, "No successful backup"));
	assert_non_null(strstr(out, "  vanished  delta\n"));
	assert_non_null(strstr(out, "  better    charlie                      "
	    "failed  succeeded  last job\n"));
	assert_non_null(strstr(out, "Baseline measured at              "
	    "2024-06-10 06:00Z\n"));
	free(out);

	/* nothing new (against itself): exit 0 despite errors in the run */
	assert_int_equal(fu_sh("cd %s && %M -q --fail-on never --json n1b.json "
	    "night1", fu_dir), 0);
	assert_int_equal(fu_sh("cd %s && %M -q --baseline n1b.json --fail-on "
	    "new --json n1c.json night1", fu_dir), 0);
	json = test_slurp(fu_path(p, sizeof(p), "n1c.json"), NULL);
	assert_non_null(json);
	assert_non_null(strstr(json, "\"counts\": {\"new\": 0, \"worse\": 0, "
	    "\"vanished\": 0, \"appeared\": 0, \"better\": 0, \"resolved\": 0}, "
	    "\"items\": []}"));
	free(json);
	/* merge takes a baseline too: the merged nights agree */
	assert_int_equal(fu_sh("cd %s && %M merge -q --baseline n0.json "
	    "--fail-on new n1b.json >/dev/null", fu_dir), 1);
}

/* A baseline is judged at the as_of it was written with: night 0 with
 * --now two days on has every machine stale, so at night 1 the clean
 * ones are "resolved", not unchanged. */
static void
test_baseline_as_of(void **state)
{
	char p[256], *json;

	(void)state;
	assert_int_equal(fu_sh("cd %s && %M -q --fail-on never "
	    "--now 2024-06-12T06:00:00Z --json late.json night0", fu_dir), 0);
	assert_int_equal(fu_sh("cd %s && %M -q --fail-on never --baseline "
	    "late.json --json after-late.json night1", fu_dir), 0);
	json = test_slurp(fu_path(p, sizeof(p), "after-late.json"), NULL);
	assert_non_null(json);
	assert_non_null(strstr(json, "\"baseline_as_of\": "
	    "\"2024-06-12T06:00:00.000Z\""));
	assert_non_null(strstr(json, "{\"change\": \"resolved\", \"subject\": "
	    "\"stale\", \"machine\": \"alpha\""));
	free(json);
}

/* Usage and input errors exit 2 and say why. */
static void
test_bad_baseline(void **state)
{
	char p[256];
	FILE *fp;

	(void)state;
	assert_int_equal(fu_sh("cd %s && %M -q --fail-on new night1", fu_dir),
	    2);
	assert_int_equal(fu_sh("cd %s && %M -q --baseline missing.json night1",
	    fu_dir), 2);
	fp = fopen(fu_path(p, sizeof(p), "bad.json"), "w");
	assert_non_null(fp);
	fputs("{\"schema\": \"something-else/9\"}\n", fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(fu_sh("cd %s && %M -q --baseline bad.json night1 "
	    "2>err.txt; st=$?; grep -q 'baseline: bad.json:1:' err.txt && "
	    "exit $st", fu_dir), 2);
	assert_int_equal(fu_sh("%M --baseline '' night1"), 2);
	/* a baseline with "fleet": null (or none) is judged at its newest
	 * record: the same changes as with its own fleet object */
	assert_int_equal(fu_sh("cd %s && %M -q --fail-on never --json b0.json "
	    "night0 && sed 's/^  \"fleet\": .*$/  \"fleet\": null,/' b0.json "
	    ">b0null.json && grep -q '^  \"fleet\": null,$' b0null.json && "
	    "%M -q --fail-on never --baseline b0null.json --json c1.json night1 "
	    "&& %M -q --fail-on never --baseline b0.json --json c2.json night1 "
	    "&& cmp -s c1.json c2.json", fu_dir), 0);
}

/* The nightly recipe (analyzer/contrib/marslog-nightly.sh): the first
 * night has no baseline (exit 0) and leaves latest.json; the second is
 * compared with it (exit 1: something new) and replaces it; every
 * report of the day is there and no temporary file is left; both runs
 * went into the history beside the reports (one run per UTC day: the
 * second replaced the first, unless the test crossed midnight), whose
 * trends are in the day's summary. */
static void
test_nightly_recipe(void **state)
{
	char p[256], *a, *b;
	size_t na, nb;

	(void)state;
	assert_int_equal(fu_sh("top=$(pwd) && cd %s && MARSLOG='%M' sh "
	    "\"$top/analyzer/contrib/marslog-nightly.sh\" night0 reports",
	    fu_dir), 0);
	a = test_slurp(fu_path(p, sizeof(p), "reports/latest.json"), &na);
	assert_non_null(a);
	assert_non_null(strstr(a, "\"changes\": null"));
	assert_int_equal(fu_sh("top=$(pwd) && cd %s && MARSLOG='%M' sh "
	    "\"$top/analyzer/contrib/marslog-nightly.sh\" night1 reports",
	    fu_dir), 1);
	b = test_slurp(fu_path(p, sizeof(p), "reports/latest.json"), &nb);
	assert_non_null(b);
	assert_non_null(strstr(b, "\"counts\": {\"new\": "));
	assert_non_null(strstr(b, "\"machine\": \"echo\""));
	/* one day folder with every report, nothing half-written */
	assert_int_equal(fu_sh("cd %s/reports && set -- [0-9]*-[0-9]*-[0-9]* && "
	    "[ $# -eq 1 ] && cd \"$1\" && [ -s summary.json ] && "
	    "[ -s fleet.html ] && [ -s fleet.xlsx ] && "
	    "grep -q '^Changes since the baseline' summary.txt && "
	    "[ -z \"$(ls -A | grep '^\\.')\" ] && "
	    "[ -z \"$(ls -A .. | grep '^\\.')\" ]", fu_dir), 0);
	assert_int_equal(fu_sh("cd %s/reports && grep -q '^Fleet history (' "
	    "[0-9]*/summary.txt && %M history history.db --json - >h.json && "
	    "grep -Eq '\"runs\": [12],' h.json && "
	    "grep -q '{\"name\": \"echo\"' h.json", fu_dir), 0);
	free(a);
	free(b);
}

/* The recipe never adopts a summary marslog cannot read back: a run whose
 * summary.json was damaged (here by a wrapper: a year past 9999) exits 2
 * and leaves the previous latest.json as it was. */
static void
test_nightly_unreadable(void **state)
{
	char p[256], *a, *b;
	size_t na, nb;

	(void)state;
	assert_int_equal(fu_sh("top=$(pwd) && cd %s && MARSLOG='%M' sh "
	    "\"$top/analyzer/contrib/marslog-nightly.sh\" night0 bad", fu_dir),
	    0);
	a = test_slurp(fu_path(p, sizeof(p), "bad/latest.json"), &na);
	assert_non_null(a);
	assert_int_equal(fu_sh("cd %s && printf '%%s\\n' "
	    "'[ \"$1\" = merge ] && exec %M \"$@\"' '%M \"$@\"; rc=$?' "
	    "'sed -i \"s/\\\"year\\\": [0-9]*/\\\"year\\\": 10000/\" bad/*/summary.json' "
	    "'exit $rc' >damage.sh && top=$OLDPWD && MARSLOG='sh damage.sh' sh "
	    "\"$top/analyzer/contrib/marslog-nightly.sh\" night1 bad "
	    "2>err.txt; [ $? -eq 2 ] && grep -q 'cannot be read back' err.txt",
	    fu_dir), 0);
	b = test_slurp(fu_path(p, sizeof(p), "bad/latest.json"), &nb);
	assert_non_null(b);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na);
	free(a);
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_program),
		cmocka_unit_test(test_baseline_as_of),
		cmocka_unit_test(test_bad_baseline),
		cmocka_unit_test(test_nightly_recipe),
		cmocka_unit_test(test_nightly_unreadable),
	};

	return cmocka_run_group_tests_name("baseline", tests, setup,
	    fu_teardown);
}
