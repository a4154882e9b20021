/* SPDX-License-Identifier: MIT */
/*
 * test_fleet.c -- fleet analysis over generated bundles with known
 * outcomes (test/fleet/fleet_gen.h): the fleet view (stale list, hours
 * since, last job, top finding, matrix) asserted exactly, and in the
 * terminal, JSON, HTML and XLSX reports; --jobs 2 equals --jobs 1; merge
 * is associative and order-independent and equals a single run; the GNU
 * parallel recipe (analyzer/contrib/marslog-parallel.sh) gives the single
 * run's bytes; the parallel and Slurm recipes record the fleet history
 * in their merge step only (a wrapper fails any map step that would open
 * it);
 * --now and --stale-after move the reference and the threshold.
 *
 * The fleet is small (20 bundles) to keep `make check` fast; the
 * 200-bundle and 10,000-summary figures are in `make bench-fleet`.
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
#include "reports/fleet.h"
#include "reports/report.h"
#include "test/fleet/fleet_util.h"

#define NFLEET 20

static struct fg_machine fleet[NFLEET];
static char names[NFLEET][16];

/* srv01..srv20 in the generator's fixed mix; flaky ones have one
 * access-denied warning. */
static int
setup(void **state)
{
	size_t i;

	if (fu_setup(state) != 0)
		return -1;
	for (i = 0; i < NFLEET; i++) {
		snprintf(names[i], sizeof(names[i]), "srv%02zu", i + 1);
		fleet[i].name = names[i];
		fleet[i].kind = fg_kind_of(i);
		fleet[i].denied = fleet[i].kind == FG_FLAKY;
		if (fg_mkdir(fu_dir) != 0)
			return -1;
	}
	fu_fleet("bundles", fleet, NFLEET, 0);
	return 0;
}

static const struct fleet_row *
row_of(const struct fleet *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->nrows; i++)
		if (strcmp(f->rows[i].m->name, name) == 0)
			return &f->rows[i];
	fail_msg("no machine %s", name);
	return NULL;
}

/* The fleet view of the generated fleet, machine by machine. */
static void
test_known_outcomes(void **state)
{
	static const char *const stale[] = {
		/* never succeeded, by name; then 57 h, by name */
		"srv10", "srv20", "srv04", "srv06", "srv14", "srv16",
	};
	struct report_options o;
	struct summary *s;
	struct fleet *f;
	size_t i;

	(void)state;
	s = fu_analyse("bundles", 1);
	memset(&o, 0, sizeof(o));
	f = fleet_new(s, &o, FLEET_MATRIX);
	assert_non_null(f);
	assert_int_equal(s->nmachines, NFLEET);
	assert_true(f->as_of == FG_AS_OF(0));
	assert_true(f->stale_after == 26 * FG_HOUR);
	assert_int_equal(f->nstale, sizeof(stale) / sizeof(stale[0]));
	for (i = 0; i < f->nstale; i++)
		assert_string_equal(f->rows[f->stale[i]].m->name, stale[i]);

	for (i = 0; i < NFLEET; i++) {
		const struct fleet_row *r = row_of(f, fleet[i].name);
		const struct summary_machine *m = r->m;

		assert_string_equal(m->agent_version, "2.0.9262.0");
		switch (fleet[i].kind) {
		case FG_CLEAN:
			assert_true(r->since == 9 * FG_HOUR);
			assert_false(r->stale);
			assert_int_equal(m->last_job_outcome, JOB_SUCCEEDED);
			assert_int_equal(m->jobs_failed, 0);
			assert_int_equal(r->jobs_ok, 2);
			assert_null(r->top);
			break;
		case FG_FLAKY:
			assert_true(r->since == 9 * FG_HOUR);
			assert_false(r->stale);
			assert_int_equal(m->last_job_outcome, JOB_SUCCEEDED);
			assert_int_equal(m->jobs_failed, 1);
			assert_int_equal(r->jobs_ok, 1);
			assert_int_equal(m->errors, 1);
			assert_int_equal(m->warnings, 1);
			assert_string_equal(r->top->id, "sal-low-disk-space");
			break;
		case FG_FAILING:
			assert_true(r->since == 57 * FG_HOUR);
			assert_true(r->stale);
			assert_int_equal(m->last_job_outcome, JOB_FAILED);
			assert_int_equal(m->jobs_failed, 2);
			assert_int_equal(r->jobs_ok, 1);
			assert_string_equal(r->top->id, "sal-low-disk-space");
			assert_non_null(r->top->remediation);
			break;
		case FG_SILENT:
			assert_true(r->since == 57 * FG_HOUR);
			assert_true(r->stale);
			assert_int_equal(m->last_job_outcome, JOB_SUCCEEDED);
			assert_int_equal(m->jobs_failed, 0);
			assert_null(r->top);
			break;
		case FG_NEVER:
			assert_true(r->since == -1);
			assert_true(r->stale);
			assert_null(m->last_job_task);
			assert_int_equal(m->jobs, 0);
			assert_string_equal(r->top->id, "mars-34513");
			break;
		}
	}

	/* matrix: errors first, then by machines affected */
	assert_int_equal(f->ncols, 3);
	assert_string_equal(f->cols[0].f->id, "sal-low-disk-space");
	assert_int_equal(f->cols[0].machines, 6);
	assert_int_equal(f->cols[0].count, 8);	/* 4 flaky x 1, 2 failing x 2 */
	assert_string_equal(f->cols[1].f->id, "mars-34513");
	assert_int_equal(f->cols[1].machines, 2);
	assert_string_equal(f->cols[2].f->id, "hr-0x80070005");
	assert_int_equal(f->cols[2].machines, 4);
	for (i = 0; i < NFLEET; i++) {
		size_t r = (size_t)(row_of(f, fleet[i].name) - f->rows);
		enum fg_kind k = fleet[i].kind;

		assert_int_equal(fleet_cell(f, r, 0), k == FG_FAILING ? 2 :
		    k == FG_FLAKY ? 1 : 0);
		assert_int_equal(fleet_cell(f, r, 1), k == FG_NEVER);
		assert_int_equal(fleet_cell(f, r, 2), k == FG_FLAKY);
	}
	fleet_free(f);
	summary_free(s);
}

/* The view without the matrix, and an explicit reference time. */
static void
test_as_of_option(void **state)
{
	struct report_options o;
	struct summary *s;
	struct fleet *f;

	(void)state;
	s = fu_analyse("bundles", 1);
	memset(&o, 0, sizeof(o));
	o.as_of = FG_AS_OF(1);			/* a day later */
	o.stale_after_hours = 40;
	f = fleet_new(s, &o, 0);
	assert_non_null(f);
	assert_int_equal(f->ncols, 0);
	assert_null(f->row_cells);
	/* clean: 33 h, not stale at 40; failing and silent 81 h */
	assert_true(row_of(f, "srv01")->since == 33 * FG_HOUR);
	assert_false(row_of(f, "srv01")->stale);
	assert_true(row_of(f, "srv04")->stale);
	assert_int_equal(f->nstale, 6);
	fleet_free(f);
	/* a reference before the last success counts 0 hours */
	o.as_of = FG_T0 - FG_DAY;
	f = fleet_new(s, &o, 0);
	assert_non_null(f);
	assert_true(row_of(f, "srv01")->since == 0);
	fleet_free(f);
	summary_free(s);
}

/* In process and through the program, 2 threads give the bytes of 1. */
static void
test_jobs_identical(void **state)
{
	struct summary *a, *b;
	char *ja, *jb, p1[256], p2[256];

	(void)state;
	a = fu_analyse("bundles", 1);
	b = fu_analyse("bundles", 2);
	ja = test_json(a, NULL);
	jb = test_json(b, NULL);
	assert_string_equal(ja, jb);
	free(ja);
	free(jb);
	summary_free(a);
	summary_free(b);

	fu_path(p1, sizeof(p1), "jobs1.json");
	fu_path(p2, sizeof(p2), "jobs2.json");
	assert_int_equal(fu_sh("cd %s && %M -q --jobs 1 --json jobs1.json "
	    "--fail-on never bundles", fu_dir), 0);
	assert_int_equal(fu_sh("cd %s && %M -q --jobs 2 --json jobs2.json "
	    "--fail-on never bundles", fu_dir), 0);
	fu_same_file(p1, p2);
}

/* What the program writes for the fleet: the JSON fleet object and
 * machine rows, the stale section at the top of the summary, and the
 * exit status (errors -> 1). */
static void
test_program_reports(void **state)
{
	char p[256], *json, *out;

	(void)state;
	assert_int_equal(fu_sh("cd %s && %M -q --width 80 --json fleet.json "
	    "--summary bundles >summary.txt", fu_dir), 1);
	json = test_slurp(fu_path(p, sizeof(p), "fleet.json"), NULL);
	assert_non_null(json);
	assert_non_null(strstr(json, "\n  \"changes\": null,\n  \"fleet\": "
	    "{\"as_of\": \"2024-06-10T06:00:00.000Z\", \"stale_after_hours\": "
	    "26, \"stale\": [\"srv10\", \"srv20\", \"srv04\", \"srv06\", "
	    "\"srv14\", \"srv16\"]},\n"));
	assert_non_null(strstr(json, "\"last_success\": "
	    "\"2024-06-09T21:00:00.000Z\", \"top_finding\": null, "
	    "\"hours_since_success\": 9.0, \"stale\": false, "
	    "\"verdict\": \"healthy\", \"verdict_finding\": null}"));
	assert_non_null(strstr(json, "{\"name\": \"srv10\""));
	assert_non_null(strstr(json, "\"top_finding\": \"mars-34513\", "
	    "\"hours_since_success\": null, \"stale\": true, "
	    "\"verdict\": \"unknown\", \"verdict_finding\": \"mars-34513\"}"));
	free(json);
	out = test_slurp(fu_path(p, sizeof(p), "summary.txt"), NULL);
	assert_non_null(out);
	assert_non_null(strstr(out, "No successful backup in the last 26 "
	    "hours (6)\n  Machine  Last successful backup  Since  Last job\n"
	    "  srv10    never                   never  unknown\n"
	    "  srv20    never                   never  unknown\n"
	    "  srv04    2024-06-07 21:00Z       2.3 d  failed\n"
	    "  srv06    2024-06-07 21:00Z       2.3 d  succeeded\n"
	    "  srv14    2024-06-07 21:00Z       2.3 d  failed\n"
	    "  srv16    2024-06-07 21:00Z       2.3 d  succeeded\n"));
	assert_non_null(strstr(out, "Reference time                    "
	    "2024-06-10 06:00Z (the newest record)\n"));
	/* the same entry on several machines is one issue */
	assert_non_null(strstr(out, "Top issues (3)\n"));
	free(out);

	/* --now a day later, --stale-after 40: clean machines at 33 h */
	assert_int_equal(fu_sh("cd %s && %M -q --now 2024-06-11T06:00:00Z "
	    "--stale-after 40 --json now.json bundles", fu_dir), 1);
	json = test_slurp(fu_path(p, sizeof(p), "now.json"), NULL);
	assert_non_null(json);
	assert_non_null(strstr(json, "\"fleet\": {\"as_of\": "
	    "\"2024-06-11T06:00:00.000Z\", \"stale_after_hours\": 40, "));
	assert_non_null(strstr(json, "\"hours_since_success\": 33.0, "
	    "\"stale\": false, \"verdict\": \"healthy\""));
	free(json);
	/* bad values are usage errors */
	assert_int_equal(fu_sh("%M --stale-after 0 bundles"), 2);
	assert_int_equal(fu_sh("%M --stale-after x bundles"), 2);
	assert_int_equal(fu_sh("%M --now yesterday bundles"), 2);
}

/* The HTML and XLSX reports of the fleet carry the same view: the stale
 * list first, hours since per machine, the matrix, the details. */
static void
test_html_xlsx(void **state)
{
	char p[256], *html, *a;

	(void)state;
	assert_int_equal(fu_sh("cd %s && %M -q --fail-on never --html f.html "
	    "--xlsx f.xlsx bundles", fu_dir), 0);
	html = test_slurp(fu_path(p, sizeof(p), "f.html"), NULL);
	assert_non_null(html);
	a = strstr(html, "<section id=\"stale\">\n<h2>No successful backup "
	    "in the last 26 hours<span class=\"n\">6</span></h2>");
	assert_non_null(a);
	/* before the summary cards, never-succeeded machines first */
	assert_true(a < strstr(html, "<section id=\"summary\">"));
	assert_non_null(strstr(a, "<tr><td><a href=\"#m-9\">srv10</a></td>"
	    "<td>never</td>"));
	assert_non_null(strstr(html, "<section id=\"matrix\">"));
	assert_non_null(strstr(html, "<details id=\"m-19\"><summary>srv20 "
	    "<span class=\"badge lvl-error\">stale</span></summary>"));
	free(html);
	assert_int_equal(fu_sh("/usr/bin/python3 -c '\n"
	    "import sys, openpyxl\n"
	    "wb = openpyxl.load_workbook(sys.argv[1])\n"
	    "assert wb.sheetnames[-2:] == [\"Machines\", \"Findings by machine\"]\n"
	    "s = wb[\"Summary\"][\"A3\"].value\n"
	    "assert s.startswith(\"No successful backup in the last 26 hours: "
	    "6 \\u2014 srv10, srv20, srv04\"), s\n"
	    "m = {r[0].value: r for r in wb[\"Machines\"].iter_rows(min_row=2)}\n"
	    "assert m[\"srv01\"][2].value == 9.0 and m[\"srv04\"][3].value == "
	    "\"yes\"\n"
	    "assert m[\"srv10\"][1].value == \"never\"\n"
	    "' %s/f.xlsx", fu_dir), 0);
}

/* One summary per bundle with the program, as a distributed run makes
 * them. */
static void
write_parts(void)
{
	size_t i;

	for (i = 0; i < NFLEET; i++)
		assert_int_equal(fu_sh("cd %s && %M -q --fail-on never --json "
		    "part-%02zu.json bundles/%s", fu_dir, i, fleet[i].name), 0);
}

/* Merge in order, reversed, and as merges of merged groups: the same
 * bytes, equal to one run over all the bundles. */
static void
test_merge_associative(void **state)
{
	char all[256], a[256], b[256], c[256], single[256];
	char list[NFLEET * 16 + 1] = "", rev[NFLEET * 16 + 1] = "";
	char g1[NFLEET * 16 + 1] = "", g2[NFLEET * 16 + 1] = "";
	size_t i;

	(void)state;
	write_parts();
	for (i = 0; i < NFLEET; i++) {
		char one[20];

		snprintf(one, sizeof(one), " part-%02zu.json", i);
		strcat(list, one);
		snprintf(one, sizeof(one), " part-%02zu.json", NFLEET - 1 - i);
		strcat(rev, one);
		/* interleaved groups, so no group is a run of names */
		snprintf(one, sizeof(one), " part-%02zu.json", i);
		strcat(i % 3 == 0 ? g1 : g2, one);
	}
	assert_int_equal(fu_sh("cd %s && %M merge -q --fail-on never --json "
	    "all.json%s", fu_dir, list), 0);
	assert_int_equal(fu_sh("cd %s && %M merge -q --fail-on never --json "
	    "rev.json%s", fu_dir, rev), 0);
	assert_int_equal(fu_sh("cd %s && %M merge -q --fail-on never --json "
	    "g1.json%s && %M merge -q --fail-on never --json g2.json%s && "
	    "%M merge -q --fail-on never --json g21.json g2.json g1.json",
	    fu_dir, g1, g2), 0);
	assert_int_equal(fu_sh("cd %s && %M -q --fail-on never --json "
	    "single.json bundles", fu_dir), 0);
	fu_path(all, sizeof(all), "all.json");
	fu_path(a, sizeof(a), "rev.json");
	fu_path(b, sizeof(b), "g21.json");
	fu_path(single, sizeof(single), "single.json");
	fu_same_file(all, a);
	fu_same_file(all, b);
	fu_same_file(all, single);
	/* merging a merge with itself's parts again is not idempotent (counts
	 * add), but merging one part alone gives that part's bytes back */
	fu_path(c, sizeof(c), "part-03.json");
	assert_int_equal(fu_sh("cd %s && %M merge -q --fail-on never --json "
	    "one.json part-03.json", fu_dir), 0);
	fu_path(a, sizeof(a), "one.json");
	fu_same_file(a, c);
}

/* The GNU parallel recipe, run locally: its merged summary is the
 * single run's. */
static void
test_parallel_recipe(void **state)
{
	char a[256], b[256];

	(void)state;
	if (system("command -v parallel >/dev/null 2>&1") != 0) {
		print_message("GNU parallel is not installed (make deps "
		    "installs it): the parallel recipe is not tested\n");
		skip();
	}
	assert_int_equal(fu_sh("cd %s && %M -q --fail-on never --json "
	    "single.json bundles", fu_dir), 0);
	/* relative bundle paths, as in the single run, so that the input
	 * paths agree */
	assert_int_equal(fu_sh("top=$(pwd) && cd %s && MARSLOG='%M' "
	    "MARSLOG_PARALLEL='-j 2' MARSLOG_MERGE_OPTS='--fail-on never' sh \"$top/analyzer/contrib/"
	    "marslog-parallel.sh\" parallel.json bundles/*", fu_dir), 0);
	fu_path(a, sizeof(a), "single.json");
	fu_path(b, sizeof(b), "parallel.json");
	fu_same_file(a, b);
}

/* A MARSLOG wrapper (guard.sh) that fails every marslog run given
 * --history except a merge, and logs the runs that were given it. */
static void
write_guard(void)
{
	assert_int_equal(fu_sh("cd %s && printf '%%s\\n' "
	    "'case \" $* \" in *\" --history \"*)' "
	    "'[ \"$1\" = merge ] || { echo \"map step opened the history\" >&2; exit 9; }' "
	    "'echo \"$*\" >>%s/history-runs.txt ;; esac' "
	    "'exec %M \"$@\"' >guard.sh", fu_dir, fu_dir), 0);
}

/* The GNU parallel recipe with MARSLOG_HISTORY: the merged run is
 * recorded, once, by the merge; --history among the map options is
 * refused. */
static void
test_parallel_history(void **state)
{
	(void)state;
	if (system("command -v parallel >/dev/null 2>&1") != 0)
		skip();
	write_guard();
	assert_int_equal(fu_sh("top=$(pwd) && cd %s && rm -f history-runs.txt "
	    "&& MARSLOG=\"sh %s/guard.sh\" MARSLOG_HISTORY=p.db "
	    "MARSLOG_PARALLEL='-j 2' MARSLOG_MERGE_OPTS='--fail-on never' sh "
	    "\"$top/analyzer/contrib/marslog-parallel.sh\" p.json bundles/*",
	    fu_dir, fu_dir), 0);
	assert_int_equal(fu_sh("cd %s && [ $(wc -l <history-runs.txt) -eq 1 ] "
	    "&& %M history p.db --json - | grep -c '^      {\"name\": \"srv' "
	    ">n.txt; [ $(cat n.txt) -eq %d ]", fu_dir, NFLEET), 0);
	assert_int_equal(fu_sh("top=$(pwd) && cd %s && MARSLOG='%M' "
	    "MARSLOG_OPTS='--history x.db' sh \"$top/analyzer/contrib/"
	    "marslog-parallel.sh\" q.json bundles/* 2>err.txt; [ $? -eq 2 ] "
	    "&& grep -q 'belongs to the merge step' err.txt && [ ! -e x.db ]",
	    fu_dir), 0);
}

/* The Slurm recipe run by hand: each array task, then the merge job,
 * which alone writes the history (history.db by default). */
static void
test_slurm_history(void **state)
{
	(void)state;
	write_guard();
	assert_int_equal(fu_sh("top=$(pwd) && cd %s && rm -rf slurm && "
	    "mkdir slurm && cd slurm && ls -d ../bundles/* >bundles.txt && "
	    "i=0 && while read -r b; do i=$((i + 1)); "
	    "SLURM_ARRAY_TASK_ID=$i MARSLOG=\"sh %s/guard.sh\" "
	    "sh \"$top/analyzer/contrib/marslog-slurm.sbatch\" || exit 1; "
	    "done <bundles.txt && rm -f ../history-runs.txt && "
	    "MARSLOG=\"sh %s/guard.sh\" MARSLOG_MERGE_OPTS='--fail-on never' "
	    "sh \"$top/analyzer/contrib/marslog-slurm.sbatch\" merge && "
	    "[ -s fleet.json ] && [ -s fleet.html ] && "
	    "[ $(wc -l <../history-runs.txt) -eq 1 ] && "
	    "%M history history.db --json - | grep -c '^      {\"name\": \"srv' "
	    ">n.txt; [ $(cat n.txt) -eq %d ]", fu_dir, fu_dir, fu_dir, NFLEET),
	    0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_outcomes),
		cmocka_unit_test(test_as_of_option),
		cmocka_unit_test(test_jobs_identical),
		cmocka_unit_test(test_program_reports),
		cmocka_unit_test(test_html_xlsx),
		cmocka_unit_test(test_merge_associative),
		cmocka_unit_test(test_parallel_recipe),
		cmocka_unit_test(test_parallel_history),
		cmocka_unit_test(test_slurm_history),
	};

	return cmocka_run_group_tests_name("fleet", tests, setup, fu_teardown);
}
