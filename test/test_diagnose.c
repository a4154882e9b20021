/* SPDX-License-Identifier: MIT */
/*
 * test_diagnose.c -- verdicts, job reasons, current findings, ranking and
 * fleet issues (reports/diagnose.h), on real errlog files analysed by the
 * engine and on summaries built through the summary API; and that one
 * run, four threads and a merge of per-machine parts diagnose alike.
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

#include "analyzer/run.h"
#include "parsers/record.h"
#include "reports/diagnose.h"
#include "reports/json.h"
#include "reports/summary.h"
#include "test/test_util.h"

static struct catalog *cat;
static char dir[64];

/* 2024-06-07 23:00 UTC: the files' mtime, so the year is 2024. */
#define MTIME 1717801200

/* One errlog line: date, time, thread id, task GUID, level, message. */
#define L(date, time, tid, guid, level, msg) \
	"0AB0\t" tid "\t" date "\t" time "\t71\tbackupasync.cpp(1279)\t[000000001A12E3F0]\t" guid "\t\t" level "\t" msg "\n"

#define G_FAIL  "4E5AC63A-4351-4E2E-B9FD-DA8FD41F125B"
#define G_HR    "1FCFF8B4-CCE2-42E6-8883-7AEB9A1C5CB6"
#define G_OTHER "0517B3DB-347D-45A8-9DAB-FD7D1EA7D134"
#define G_OK    "F3E32129-DC79-4A28-9ACC-3F30CB5810B6"

/* The reason is on another thread's line of the failed task; a later
 * error of another task, and an earlier error of the same task, are
 * not it. */
static const char log_fail[] =
	L("06/07", "01:00:00.000", "0974", G_FAIL, "NORMAL", "Backup Progress: Prebackup started.")
	L("06/07", "01:00:01.000", "1A2C", G_FAIL, "WARNING", "WebException: The remote server returned an error: (407) Proxy Authentication Required.")
	L("06/07", "01:00:05.000", "1A2C", G_FAIL, "WARNING", "Failed: Hr: = [0x80070070] SalLowDiskSpace: backup failed due to insufficient storage in volume C: where the scratch folder is located (1.21 GB free, 4.80 GB required)")
	L("06/07", "01:00:06.000", "0974", G_FAIL, "NORMAL", "Backup Progress: Failed")
	L("06/07", "01:00:07.000", "0974", G_OTHER, "ERROR", "RegisterMachine failed. Error: Invalid vault credentials provided. (ID: 34513)")
	L("06/07", "01:00:30.000", "0974", G_FAIL, "NORMAL", "Backup Progress: UnInitialize Storage finished.");

/* The failure line carries only an HRESULT that the catalog lacks. */
static const char log_hr[] =
	L("06/07", "02:00:00.000", "0974", G_HR, "NORMAL", "Backup Progress: Prebackup started.")
	L("06/07", "02:00:09.000", "0974", G_HR, "WARNING", "Failed: Hr: = [0x80070070] Backup Progress: Failed");

/* Succeeded two days before the newest record of the run. */
static const char log_stale[] =
	L("06/05", "01:00:00.000", "0974", G_OK, "NORMAL", "Backup Progress: Prebackup started.")
	L("06/05", "01:20:00.000", "0974", G_OK, "NORMAL", "Backup Progress: Succeeded")
	L("06/05", "04:00:00.000", "0974", "", "WARNING", "WebException: The remote server returned an error: (407) Proxy Authentication Required.");

/* Succeeded, then an error. */
static const char log_attention[] =
	L("06/07", "03:00:00.000", "0974", G_OK, "NORMAL", "Backup Progress: Prebackup started.")
	L("06/07", "03:20:00.000", "0974", G_OK, "NORMAL", "Backup Progress: Succeeded")
	L("06/07", "03:30:00.000", "0974", "", "ERROR", "RegisterMachine failed. Error: Invalid vault credentials provided. (ID: 34513)");

/* An error, then a successful backup. */
static const char log_healthy[] =
	L("06/07", "01:00:00.000", "0974", "", "ERROR", "RegisterMachine failed. Error: Invalid vault credentials provided. (ID: 34513)")
	L("06/07", "02:00:00.000", "0974", G_OK, "NORMAL", "Backup Progress: Prebackup started.")
	L("06/07", "02:20:00.000", "0974", G_OK, "NORMAL", "Backup Progress: Succeeded");

/* No job at all. */
static const char log_unknown[] =
	L("06/07", "05:00:00.000", "0974", "", "ERROR", "RegisterMachine failed. Error: Invalid vault credentials provided. (ID: 34513)");

static void
write_log(const char *machine, const char *text)
{
	char path[256];
	struct timeval tv[2] = { { MTIME, 0 }, { MTIME, 0 } };
	FILE *fp;

	snprintf(path, sizeof path, "%s/%s", dir, machine);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/%s/CBEngineCurr.errlog", dir, machine);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	test_put_utf16(fp, text);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(utimes(path, tv), 0);
}

static struct summary *
analyse(const char *path, int jobs)
{
	struct run_options ro;
	const char *paths[1] = { path };
	char err[256];
	struct summary *s;

	memset(&ro, 0, sizeof ro);
	ro.paths = paths;
	ro.npaths = 1;
	source_options_init(&ro.source);
	analysis_options_init(&ro.analysis);
	ro.jobs = jobs;
	s = run_analysis(cat, &ro, err, sizeof err);
	if (s == NULL)
		fail_msg("run_analysis: %s", err);
	return s;
}

static const struct diag_machine *
machine(const struct diagnosis *d, const char *name)
{
	size_t i = diagnose_machine_index(d, name);

	if (i == SIZE_MAX)
		fail_msg("no machine %s", name);
	return &d->machines[i];
}

static size_t
job_index(const struct summary *s, const char *task)
{
	size_t i;

	for (i = 0; i < s->njobs; i++)
		if (strcmp(s->jobs[i].task_id, task) == 0)
			return i;
	fail_msg("no job %s", task);
	return 0;
}

static size_t
finding_index(const struct summary *s, const char *machine_name,
    const char *id)
{
	size_t i;

	for (i = 0; i < s->nfindings; i++)
		if (strcmp(s->findings[i].machine, machine_name) == 0 &&
		    strcmp(s->findings[i].id, id) == 0)
			return i;
	fail_msg("no finding %s on %s", id, machine_name);
	return 0;
}

static int
setup(void **state)
{
	char err[256];

	(void)state;
	cat = catalog_new_builtin(err, sizeof err);
	if (cat == NULL)
		return -1;
	snprintf(dir, sizeof dir, "/tmp/marslog-diagnose-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	write_log("FAIL", log_fail);
	write_log("HRONLY", log_hr);
	write_log("STALE", log_stale);
	write_log("ATTN", log_attention);
	write_log("HEALTHY", log_healthy);
	write_log("NOJOB", log_unknown);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	catalog_free(cat);
	return test_rm_rf(dir);
}

/* ------------------------------------------------------------ verdicts */

static void
test_verdicts(void **state)
{
	struct summary *s = analyse(dir, 1);
	struct diagnosis *d = diagnose_new(s, cat, NULL);
	const struct diag_machine *m;

	(void)state;
	assert_non_null(d);
	assert_int_equal(s->nmachines, 6);

	m = machine(d, "FAIL");
	assert_int_equal(m->verdict, VERDICT_FAILING);
	assert_string_equal(m->verdict_finding, "sal-low-disk-space");

	m = machine(d, "HRONLY");
	assert_int_equal(m->verdict, VERDICT_FAILING);
	assert_non_null(m->verdict_finding);

	m = machine(d, "STALE");
	assert_int_equal(m->verdict, VERDICT_STALE);
	assert_true(m->stale);
	assert_string_equal(m->verdict_finding, "net-proxy-407");

	m = machine(d, "ATTN");
	assert_int_equal(m->verdict, VERDICT_ATTENTION);
	assert_string_equal(m->verdict_finding, "mars-34513");

	m = machine(d, "HEALTHY");
	assert_int_equal(m->verdict, VERDICT_HEALTHY);
	assert_null(m->verdict_finding);
	assert_false(d->findings[finding_index(s, "HEALTHY", "mars-34513")].current);

	m = machine(d, "NOJOB");
	assert_int_equal(m->verdict, VERDICT_UNKNOWN);
	assert_string_equal(m->verdict_finding, "mars-34513");
	assert_true(d->findings[finding_index(s, "NOJOB", "mars-34513")].current);

	assert_int_equal(d->totals.machines[VERDICT_FAILING], 2);
	assert_int_equal(d->totals.machines[VERDICT_STALE], 1);
	assert_int_equal(d->totals.machines[VERDICT_ATTENTION], 1);
	assert_int_equal(d->totals.machines[VERDICT_HEALTHY], 1);
	assert_int_equal(d->totals.machines[VERDICT_UNKNOWN], 1);
	assert_string_equal(verdict_name(VERDICT_FAILING), "failing");
	assert_string_equal(verdict_name(VERDICT_ATTENTION), "attention");
	diagnose_free(d);
	summary_free(s);
}

/* The stale threshold comes from the options, measured at as_of. */
static void
test_verdict_stale_after(void **state)
{
	struct summary *s = analyse(dir, 1);
	struct report_options o;
	struct diagnosis *d;

	(void)state;
	memset(&o, 0, sizeof o);
	o.stale_after_hours = 24 * 7;
	d = diagnose_new(s, cat, &o);
	assert_non_null(d);
	/* a week: STALE's last success two days ago is recent enough, but
	 * its warning came after it */
	assert_int_equal(machine(d, "STALE")->verdict, VERDICT_ATTENTION);
	assert_string_equal(machine(d, "STALE")->verdict_finding,
	    "net-proxy-407");
	diagnose_free(d);
	summary_free(s);
}

/* ------------------------------------------------------------- reasons */

static void
test_reason_other_thread(void **state)
{
	struct summary *s = analyse(dir, 1);
	struct diagnosis *d = diagnose_new(s, cat, NULL);
	size_t k = job_index(s, G_FAIL);

	(void)state;
	assert_non_null(d);
	assert_int_equal(s->jobs[k].outcome, JOB_FAILED);
	/* the job's own HRESULT is 0x80070070, but the named entry on the
	 * task (logged by thread 1A2C) says more */
	assert_string_equal(s->jobs[k].hresult, "0x80070070");
	assert_string_equal(d->jobs[k].reason, "sal-low-disk-space");
	assert_int_equal(d->jobs[k].source, DIAG_SRC_TASK_ERROR);
	assert_string_equal(diagnose_text(d, d->jobs[k].reason, DIAG_TITLE),
	    catalog_find_id(cat, "sal-low-disk-space")->title[CAT_LANG_EN]);
	diagnose_free(d);
	summary_free(s);
}

static void
test_reason_hresult_only(void **state)
{
	struct summary *s = analyse(dir, 1);
	struct diagnosis *d = diagnose_new(s, cat, NULL);
	size_t k = job_index(s, G_HR);
	const struct catalog_entry *e = catalog_find_code(cat, "0x80070070");

	(void)state;
	assert_non_null(d);
	assert_int_equal(s->jobs[k].outcome, JOB_FAILED);
	assert_null(s->jobs[k].task_error);
	assert_int_equal(d->jobs[k].source, DIAG_SRC_HRESULT);
	if (e != NULL) {
		assert_string_equal(d->jobs[k].reason, e->id);
	} else {
		assert_string_equal(d->jobs[k].reason, "hresult-0x80070070");
		assert_non_null(strstr(diagnose_text(d, d->jobs[k].reason,
		    DIAG_TITLE), "ERROR_DISK_FULL"));
		assert_string_equal(diagnose_text(d, d->jobs[k].reason,
		    DIAG_FIX), diagnose_unknown_hresult_text(DIAG_FIX,
		    CAT_LANG_EN));
	}
	assert_string_equal(machine(d, "HRONLY")->verdict_finding,
	    d->jobs[k].reason);
	/* succeeded jobs have no reason */
	assert_null(d->jobs[job_index(s, G_OK)].reason);
	diagnose_free(d);
	summary_free(s);
}

/* A failed job whose HRESULT no row and no catalog entry holds: the
 * decoded name, kept by the diagnosis. */
static void
test_reason_decoded(void **state)
{
	struct summary *s = summary_new();
	struct summary_job *j;
	struct diagnosis *d;

	(void)state;
	assert_non_null(s);
	assert_non_null(summary_machine_get(s, "M", NULL));
	j = summary_job_get(s, "M", G_FAIL, NULL);
	assert_non_null(j);
	j->kind = JOB_BACKUP;
	j->outcome = JOB_FAILED;
	j->start = 1000;
	j->end = 2000;
	assert_int_equal(summary_set_str(&j->hresult, "0x80070070"), 0);
	summary_finish(s);
	d = diagnose_new(s, NULL, NULL);
	assert_non_null(d);
	assert_string_equal(d->jobs[0].reason, "hresult-0x80070070");
	assert_non_null(strstr(diagnose_text(d, "hresult-0x80070070",
	    DIAG_TITLE), "ERROR_DISK_FULL"));
	assert_int_equal(d->machines[0].verdict, VERDICT_FAILING);
	assert_string_equal(d->machines[0].verdict_finding,
	    "hresult-0x80070070");
	assert_string_equal(diagnose_text(d, "no-such-id", DIAG_TITLE), "");
	diagnose_free(d);
	summary_free(s);
}

/* fs01: the 06-06 job ran out of scratch space; the last backup, on
 * 06-09, succeeded, so nothing earlier is current. */
static void
test_fs01(void **state)
{
	struct summary *s = analyse("samples/fs01.zip", 2);
	struct diagnosis *d = diagnose_new(s, cat, NULL);
	char t[32];
	size_t i, n06 = 0;

	(void)state;
	assert_non_null(d);
	for (i = 0; i < s->njobs; i++) {
		if (strncmp(ml_time_format(s->jobs[i].start, t, sizeof t),
		    "2024-06-06", 10) != 0)
			continue;
		n06++;
		assert_int_equal(s->jobs[i].outcome, JOB_FAILED);
		assert_string_equal(d->jobs[i].reason, "sal-low-disk-space");
	}
	assert_int_equal(n06, 1);
	assert_int_equal(machine(d, "fs01")->verdict, VERDICT_HEALTHY);
	assert_int_equal(d->findings[finding_index(s, "fs01",
	    "net-proxy-407")].current, 0);
	for (i = 0; i < s->nfindings; i++)
		assert_false(d->findings[i].current);
	diagnose_free(d);
	summary_free(s);
}

/* ------------------------------------------------------------- ranking */

static struct summary_finding *
add_finding(struct summary *s, const char *m, const char *id,
    enum cat_level level, uint64_t count, int64_t last)
{
	struct summary_finding *f = summary_finding_get(s, m, id, NULL);
	struct summary_machine *sm = summary_machine_get(s, m, NULL);

	assert_non_null(f);
	assert_non_null(sm);
	if (last > sm->last_seen)	/* as_of: the newest record */
		sm->last_seen = last;
	f->level = level;
	f->count = count;
	f->first_seen = f->last_seen = last;
	return f;
}

static void
add_job(struct summary *s, const char *m, const char *task,
    enum job_outcome o, int64_t end, const char *task_error)
{
	struct summary_job *j = summary_job_get(s, m, task, NULL);
	int oom = 0;

	assert_non_null(j);
	j->kind = JOB_BACKUP;
	j->outcome = o;
	j->start = end - 100;
	j->end = j->outcome_time = end;
	if (task_error != NULL) {
		j->task_error = summary_intern(s, task_error, &oom);
		j->task_error_time = end - 1;
	}
	assert_false(oom);
}

static void
test_ranking(void **state)
{
	static const char *const want[] = {
		"sal-low-disk-space",	/* reason of the failing last job */
		"mars-34513",		/* current error, count 3 */
		"net-proxy-407",	/* current warning, count 50 */
		"agent-crash",		/* earlier error, count 9 */
		"hr-0x80070005",	/* earlier warning, count 100 */
		"info-last-completed-state",	/* info, count 1000 */
	};
	struct summary *s = summary_new();
	struct diagnosis *d;
	const struct diag_machine *m;
	size_t i;

	(void)state;
	assert_non_null(s);
	assert_non_null(summary_machine_get(s, "M", NULL));
	add_job(s, "M", G_OK, JOB_SUCCEEDED, 10000, NULL);
	add_job(s, "M", G_FAIL, JOB_FAILED, 30000, "sal-low-disk-space");
	add_finding(s, "M", "agent-crash", CAT_LEVEL_ERROR, 9, 5000);
	add_finding(s, "M", "sal-low-disk-space", CAT_LEVEL_ERROR, 1, 29999);
	add_finding(s, "M", "mars-34513", CAT_LEVEL_ERROR, 3, 20000);
	add_finding(s, "M", "net-proxy-407", CAT_LEVEL_WARNING, 50, 21000);
	add_finding(s, "M", "hr-0x80070005", CAT_LEVEL_WARNING, 100, 9000);
	add_finding(s, "M", "info-last-completed-state", CAT_LEVEL_INFO, 1000,
	    25000);
	summary_finish(s);
	d = diagnose_new(s, cat, NULL);
	assert_non_null(d);
	m = &d->machines[0];
	assert_int_equal(m->nranked, 6);
	for (i = 0; i < 6; i++)
		assert_string_equal(s->findings[m->ranked[i]].id, want[i]);
	assert_int_equal(d->findings[m->ranked[0]].klass, DIAG_REASON);
	assert_int_equal(d->findings[m->ranked[1]].klass, DIAG_CURRENT_ERROR);
	assert_int_equal(d->findings[m->ranked[2]].klass, DIAG_CURRENT_WARNING);
	assert_int_equal(d->findings[m->ranked[3]].klass, DIAG_EARLIER_ERROR);
	assert_int_equal(d->findings[m->ranked[4]].klass, DIAG_EARLIER_WARNING);
	assert_int_equal(d->findings[m->ranked[5]].klass, DIAG_INFO);
	/* the same order for the report's issues (one machine) */
	assert_int_equal(d->nissues, 6);
	for (i = 0; i < 6; i++)
		assert_string_equal(d->issues[i].id, want[i]);
	assert_int_equal(m->verdict, VERDICT_FAILING);
	assert_string_equal(m->verdict_finding, "sal-low-disk-space");
	/* counts: one definition */
	assert_int_equal(m->counts.findings_error, 3);
	assert_int_equal(m->counts.findings_warning, 2);
	assert_int_equal(m->counts.findings_info, 1);
	assert_int_equal(m->counts.findings_current, 4);
	assert_int_equal(m->counts.jobs_failed, 1);
	diagnose_free(d);
	summary_free(s);
}

/* ---------------------------------------------------------------- fleet */

static void
test_fleet_issues(void **state)
{
	struct summary *s = summary_new();
	struct diagnosis *d;
	const struct diag_issue *is;
	static const char *const names[] = { "srv3", "srv1", "srv2" };
	static const char *const sorted[] = { "srv1", "srv2", "srv3" };
	char task[64];
	size_t i;

	(void)state;
	assert_non_null(s);
	for (i = 0; i < 3; i++) {
		assert_non_null(summary_machine_get(s, names[i], NULL));
		snprintf(task, sizeof task, "TASK-%zu", i);
		add_job(s, names[i], task, JOB_SUCCEEDED, 1000, NULL);
		add_finding(s, names[i], "net-proxy-407", CAT_LEVEL_ERROR,
		    i + 1, 2000);
	}
	assert_non_null(summary_machine_get(s, "srv4", NULL));
	add_job(s, "srv4", "TASK-4", JOB_SUCCEEDED, 1000, NULL);
	add_finding(s, "srv4", "mars-34513", CAT_LEVEL_ERROR, 100, 2000);
	summary_finish(s);
	d = diagnose_new(s, cat, NULL);
	assert_non_null(d);
	assert_int_equal(d->nissues, 2);
	/* same class: more machines first, whatever the count */
	is = &d->issues[0];
	assert_string_equal(is->id, "net-proxy-407");
	assert_int_equal(is->nmachines, 3);
	assert_int_equal(is->count, 6);
	for (i = 0; i < 3; i++)
		assert_string_equal(s->machines[is->machines[i]].name,
		    sorted[i]);
	assert_int_equal(is->klass, DIAG_CURRENT_ERROR);
	assert_ptr_equal(diagnose_issue(d, "net-proxy-407"), is);
	assert_string_equal(d->issues[1].id, "mars-34513");
	assert_int_equal(d->issues[1].nmachines, 1);
	assert_null(diagnose_issue(d, "nothing"));
	assert_int_equal(d->totals.machines[VERDICT_ATTENTION], 4);
	diagnose_free(d);
	summary_free(s);
}

/* One diagnosis whatever the grouping: one thread, four, or a merge of
 * per-machine parts read back from their JSON. */
static void
test_runs_agree(void **state)
{
	static const char *const names[] = { "ATTN", "FAIL", "HEALTHY",
	    "HRONLY", "NOJOB", "STALE" };
	struct summary *one = analyse(dir, 1), *four = analyse(dir, 4);
	struct summary *merged = NULL;
	struct diagnosis *d1, *d4, *dm;
	char err[256], path[128];
	size_t i;

	(void)state;
	for (i = 0; i < 6; i++) {
		struct summary *part, *back;
		char *js;
		size_t n;

		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		part = analyse(path, 1);
		js = test_json(part, &n);
		back = summary_from_json(js, n, err, sizeof err);
		if (back == NULL)
			fail_msg("%s", err);
		free(js);
		summary_free(part);
		if (merged == NULL) {
			merged = back;
			continue;
		}
		assert_int_equal(summary_merge(merged, back), 0);
		summary_free(back);
	}
	summary_finish(merged);
	d1 = diagnose_new(one, cat, NULL);
	d4 = diagnose_new(four, cat, NULL);
	dm = diagnose_new(merged, cat, NULL);
	assert_non_null(d1);
	assert_non_null(d4);
	assert_non_null(dm);
	assert_int_equal(one->nmachines, merged->nmachines);
	assert_int_equal(one->njobs, merged->njobs);
	assert_int_equal(one->nfindings, merged->nfindings);
	for (i = 0; i < one->nmachines; i++) {
		const struct diag_machine *a = &d1->machines[i];
		const struct diag_machine *b = &d4->machines[i];
		const struct diag_machine *c = &dm->machines[i];

		assert_int_equal(a->verdict, b->verdict);
		assert_int_equal(a->verdict, c->verdict);
		assert_string_equal(a->verdict_finding ? a->verdict_finding : "-",
		    c->verdict_finding ? c->verdict_finding : "-");
	}
	for (i = 0; i < one->njobs; i++) {
		assert_string_equal(d1->jobs[i].reason ? d1->jobs[i].reason : "-",
		    d4->jobs[i].reason ? d4->jobs[i].reason : "-");
		assert_string_equal(d1->jobs[i].reason ? d1->jobs[i].reason : "-",
		    dm->jobs[i].reason ? dm->jobs[i].reason : "-");
	}
	for (i = 0; i < one->nfindings; i++)
		assert_int_equal(d1->findings[i].current, dm->findings[i].current);
	for (i = 0; i < d1->nissues; i++)
		assert_string_equal(d1->issues[i].id, dm->issues[i].id);
	diagnose_free(d1);
	diagnose_free(d4);
	diagnose_free(dm);
	summary_free(one);
	summary_free(four);
	summary_free(merged);
}

/* ----------------------------------------------------------- languages */

static void
test_text_language(void **state)
{
	struct summary *s = analyse(dir, 1);
	struct report_options o;
	struct diagnosis *d;
	const struct catalog_entry *e = catalog_find_id(cat, "sal-low-disk-space");

	(void)state;
	memset(&o, 0, sizeof o);
	o.lang = CAT_LANG_ZH;
	d = diagnose_new(s, cat, &o);
	assert_non_null(d);
	/* the summary holds English texts; the diagnosis speaks Chinese */
	assert_string_equal(s->findings[finding_index(s, "FAIL",
	    "sal-low-disk-space")].title, e->title[CAT_LANG_EN]);
	assert_string_equal(diagnose_text(d, "sal-low-disk-space", DIAG_TITLE),
	    e->title[CAT_LANG_ZH]);
	assert_string_equal(diagnose_text(d, "sal-low-disk-space", DIAG_FIX),
	    e->fix[CAT_LANG_ZH]);
	assert_string_equal(diagnose_text(d, "hresult-0x80070070", DIAG_CAUSE),
	    diagnose_unknown_hresult_text(DIAG_CAUSE, CAT_LANG_ZH));
	diagnose_free(d);
	/* without a catalog: the summary's own text */
	d = diagnose_new(s, NULL, &o);
	assert_non_null(d);
	assert_string_equal(diagnose_text(d, "sal-low-disk-space", DIAG_TITLE),
	    e->title[CAT_LANG_EN]);
	diagnose_free(d);
	summary_free(s);
}

/* -------------------------------------------------------------- counts */

/* An unknown FATAL line is an error no finding holds: counted, never
 * "no errors". */
static void
test_counts_unrecognised(void **state)
{
	struct summary *s;
	struct diagnosis *d;
	char sub[128];

	(void)state;
	snprintf(sub, sizeof sub, "%s/FATALONLY", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	snprintf(sub, sizeof sub, "%s/FATALONLY/CBEngineCurr.errlog", dir);
	{
		FILE *fp = fopen(sub, "w");

		assert_non_null(fp);
		fputs(L("06/07", "05:00:00.000", "0974", "", "FATAL",
		    "Watchdog fired after 30 seconds in worker 4"), fp);
		assert_int_equal(fclose(fp), 0);
	}
	snprintf(sub, sizeof sub, "%s/FATALONLY", dir);
	s = analyse(sub, 1);
	d = diagnose_new(s, cat, NULL);
	assert_non_null(d);
	assert_int_equal(s->totals.errors, 1);
	assert_int_equal(d->totals.errors, 1);
	assert_int_equal(d->totals.errors_in_findings, 0);
	assert_int_equal(d->totals.errors_unrecognised, 1);
	assert_int_equal(d->totals.findings_error, 0);
	assert_int_equal(d->machines[0].counts.errors_unrecognised, 1);
	diagnose_free(d);
	summary_free(s);
	snprintf(sub, sizeof sub, "rm -rf '%s/FATALONLY'", dir);
	assert_int_equal(system(sub), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_verdict_stale_after),
		cmocka_unit_test(test_reason_other_thread),
		cmocka_unit_test(test_reason_hresult_only),
		cmocka_unit_test(test_reason_decoded),
		cmocka_unit_test(test_fs01),
		cmocka_unit_test(test_ranking),
		cmocka_unit_test(test_fleet_issues),
		cmocka_unit_test(test_runs_agree),
		cmocka_unit_test(test_text_language),
		cmocka_unit_test(test_counts_unrecognised),
	};

	return cmocka_run_group_tests_name("diagnose", tests, setup, teardown);
}
