/* SPDX-License-Identifier: MIT */
/*
 * test_history.c -- the SQLite history (reports/history.h) on real
 * database files under a mkdtemp() folder: creation and the schema marks,
 * the same night recorded twice, bundles that overlap from night to
 * night, a machine that fails three nights and recovers (failing since,
 * the strip, runs in a row, the week's changes, rates), the migration
 * from schema 1 (test/cases/history-v1.sql, as the first version wrote
 * it), pruning, writers that overlap (both recorded; a writer that cannot
 * wait fails clearly), SIGKILL at random points of a run (the database
 * is as before that run or as after it, never in between), and foreign,
 * damaged and newer files refused byte for byte unchanged.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "parsers/record.h"
#include "reports/diagnose.h"
#include "reports/history.h"
#include "reports/i18n.h"
#include "reports/report_history.h"
#include "reports/text.h"
#include "test/test_util.h"

#define DAY INT64_C(86400000)
#define HOUR INT64_C(3600000)
#define T0 INT64_C(1717200000000)	/* 2024-06-01T00:00:00Z */

struct ctx {
	char dir[64];
	char db[128];
};

static int
setup(void **state)
{
	struct ctx *c = calloc(1, sizeof *c);

	if (c == NULL)
		return -1;
	snprintf(c->dir, sizeof c->dir, "/tmp/marslog-history-XXXXXX");
	if (mkdtemp(c->dir) == NULL)
		return -1;
	snprintf(c->db, sizeof c->db, "%s/fleet.db", c->dir);
	*state = c;
	return 0;
}

static int
teardown(void **state)
{
	struct ctx *c = *state;

	test_rm_rf(c->dir);
	free(c);
	return 0;
}

/* ------------------------------------------------------------ nights */

/* A backup job of `machine` on day `day` (after T0) ending at 02:00. */
static void
add_job(struct summary *s, const char *machine, const char *task, int day,
    enum job_outcome o)
{
	struct summary_job *j = summary_job_get(s, machine, task, NULL);
	struct summary_machine *m = summary_machine_get(s, machine, NULL);
	int64_t end = T0 + day * DAY + 2 * HOUR;

	assert_non_null(j);
	assert_non_null(m);
	j->kind = JOB_BACKUP;
	j->start = end - HOUR;
	j->end = end;
	j->outcome = o;
	j->outcome_time = end;
	if (o == JOB_FAILED) {
		int oom = 0;

		assert_int_equal(summary_set_str(&j->hresult, "0x80070070"), 0);
		/* the disk-full line on the job's task, as the analysis
		 * keeps it (interned) */
		j->task_error = summary_intern(s, "disk-full", &oom);
		j->task_error_time = end - 60000;
		assert_int_equal(oom, 0);
	}
	if (m->last_seen == ML_TIME_NONE || end > m->last_seen)
		m->last_seen = end;
	if (m->first_seen == ML_TIME_NONE || end - HOUR < m->first_seen)
		m->first_seen = end - HOUR;
}

static void
add_finding(struct summary *s, const char *machine, const char *id,
    enum cat_level level, int day)
{
	struct summary_finding *f = summary_finding_get(s, machine, id, NULL);

	assert_non_null(f);
	f->level = level;
	f->count++;
	f->first_seen = f->last_seen = T0 + day * DAY + 2 * HOUR - 60000;
}

/* The task GUID of machine m's job of day d: the same on every night
 * whose bundle still holds that day. */
static const char *
task(int m, int d, char *buf, size_t len)
{
	snprintf(buf, len, "%08X-0000-4000-8000-%012X", m, d);
	return buf;
}

/* The bundle of `night`: the last `keep` days of each machine's jobs (so
 * consecutive nights overlap by keep - 1 days).  outcome(m, d) says how
 * machine m's job of day d ended. */
static struct summary *
night(int night_day, int keep, int nmachines,
    enum job_outcome (*outcome)(int, int))
{
	struct summary *s = summary_new();
	char name[32], t[64];
	int m, d;

	assert_non_null(s);
	assert_int_equal(summary_set_str(&s->generator, "marslog test"), 0);
	for (m = 0; m < nmachines; m++) {
		snprintf(name, sizeof name, "srv%04d", m);
		for (d = night_day - keep + 1; d <= night_day; d++)
			if (d >= 0) {
				enum job_outcome o = outcome(m, d);

				add_job(s, name, task(m, d, t, sizeof t), d, o);
				if (o == JOB_FAILED)
					add_finding(s, name, "disk-full",
					    CAT_LEVEL_ERROR, d);
			}
		assert_int_equal(summary_set_str(&summary_machine_get(s, name,
		    NULL)->agent_version, "2.0.9262.0"), 0);
	}
	summary_finish(s);
	return s;
}

static enum job_outcome
all_ok(int m, int d)
{
	(void)m;
	(void)d;
	return JOB_SUCCEEDED;
}

/* Machine 1 fails on days 5, 6 and 7, then recovers; machine 0 always
 * succeeds; machine 2 completes with warnings on even days. */
static enum job_outcome
three_nights(int m, int d)
{
	if (m == 1 && d >= 5 && d <= 7)
		return JOB_FAILED;
	if (m == 2 && d % 2 == 0)
		return JOB_WARNINGS;
	return JOB_SUCCEEDED;
}

/* Diagnose s as of night d's 06:00 and record it into h: 0, or -1 with
 * the reason in err. */
static int
record_night(struct history *h, const struct summary *s, int d, char *err,
    size_t errlen)
{
	struct report_options ro = { 0 };
	struct history_run run = { T0, "--test" };
	struct diagnosis *dg;
	int rc;

	ro.as_of = T0 + d * DAY + 6 * HOUR;
	ro.stale_after_hours = 26;
	dg = diagnose_new(s, NULL, &ro);
	assert_non_null(dg);
	rc = history_record(h, s, dg, &run, err, errlen);
	diagnose_free(dg);
	return rc;
}

static struct history *
open_w(const struct ctx *c)
{
	char err[512];
	struct history *h = history_open(c->db, HISTORY_WRITE, 0, err,
	    sizeof err);

	if (h == NULL)
		fail_msg("%s", err);
	return h;
}

/* Record night `d` (reference time: its 06:00) into the database. */
static void
record(const struct ctx *c, struct summary *s, int d)
{
	struct history *h = open_w(c);
	char err[512];

	if (record_night(h, s, d, err, sizeof err) != 0)
		fail_msg("%s", err);
	history_close(h);
}

static struct history_report *
report(const struct ctx *c, const char *machine)
{
	char err[512];
	struct history *h = history_open(c->db, HISTORY_READ, 0, err,
	    sizeof err);
	struct history_query q = { machine, ML_TIME_NONE, 0 };
	struct history_report *r;

	if (h == NULL)
		fail_msg("%s", err);
	r = history_report_new(h, &q, err, sizeof err);
	if (r == NULL)
		fail_msg("%s", err);
	history_close(h);
	return r;
}

/* A single number from the database through plain SQLite. */
static int64_t
sql_int(const char *db, const char *sql)
{
	sqlite3 *d;
	sqlite3_stmt *st;
	int64_t v = -1;

	assert_int_equal(sqlite3_open_v2(db, &d, SQLITE_OPEN_READWRITE, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(d, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(d);
	return v;
}

static void
sql_exec(const char *db, const char *sql)
{
	sqlite3 *d;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(db, &d), SQLITE_OK);
	if (sqlite3_exec(d, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(d);
}

/* ------------------------------------------------------------ tests */

static void
test_create(void **state)
{
	struct ctx *c = *state;
	struct history *h = open_w(c);
	struct history_report *r;

	assert_int_equal(history_schema_version(h), HISTORY_SCHEMA_VERSION);
	history_close(h);
	assert_int_equal(sql_int(c->db, "PRAGMA application_id"),
	    HISTORY_APPLICATION_ID);
	assert_int_equal(sql_int(c->db, "PRAGMA user_version"),
	    HISTORY_SCHEMA_VERSION);
	assert_int_equal(sql_int(c->db, "SELECT count(*) FROM pragma_journal_mode "
	    "WHERE journal_mode = 'wal'"), 1);
	r = report(c, NULL);
	assert_int_equal(r->runs, 0);
	assert_int_equal(r->nmachines, 0);
	history_report_free(r);
}

/* The same night twice: one run, each job once, the same report. */
static void
test_same_night_twice(void **state)
{
	struct ctx *c = *state;
	struct summary *s = night(3, 3, 4, three_nights);
	struct history_report *a, *b;

	record(c, s, 3);
	a = report(c, NULL);
	record(c, s, 3);
	b = report(c, NULL);
	assert_int_equal(sql_int(c->db, "SELECT count(*) FROM run"), 1);
	assert_int_equal(sql_int(c->db, "SELECT count(*) FROM job"), 12);
	assert_int_equal(sql_int(c->db, "SELECT count(*) FROM run_machine"), 4);
	assert_int_equal(a->nmachines, 4);
	assert_int_equal(b->nmachines, 4);
	assert_memory_equal(a->machines[1].strip, b->machines[1].strip,
	    HISTORY_STRIP_DAYS);
	assert_int_equal(b->machines[1].jobs30, 3);
	assert_int_equal(b->machines[1].verdict_runs, 1);
	assert_memory_equal(a->daily, b->daily, sizeof a->daily);
	history_report_free(a);
	history_report_free(b);
	summary_free(s);
}

/* Nights 0..9, each bundle holding the last 4 days: 10 jobs per machine,
 * not 40, and the same outcome counts as one run over all the days. */
static void
test_overlapping_bundles(void **state)
{
	struct ctx *c = *state;
	struct history_report *r;
	int d;

	for (d = 0; d < 10; d++) {
		struct summary *s = night(d, 4, 3, all_ok);

		record(c, s, d);
		summary_free(s);
	}
	assert_int_equal(sql_int(c->db, "SELECT count(*) FROM run"), 10);
	assert_int_equal(sql_int(c->db, "SELECT count(*) FROM job"), 30);
	r = report(c, NULL);
	assert_int_equal(r->runs, 10);
	assert_int_equal(r->machines[0].jobs30, 10);
	assert_int_equal(r->machines[0].ok30, 10);
	assert_int_equal(r->machines[0].jobs7, 7);
	assert_int_equal(r->machines[0].verdict_runs, 10);
	assert_string_equal(r->machines[0].verdict, "healthy");
	/* the fleet's day 9: three machines, one job each */
	assert_int_equal(r->daily[HISTORY_CHART_DAYS - 1].jobs, 3);
	assert_int_equal(r->daily[HISTORY_CHART_DAYS - 1].ok, 3);
	assert_int_equal(r->daily[HISTORY_CHART_DAYS - 11].jobs, 0);
	history_report_free(r);
	/* --since 3d: counted back from the newest run (day 9, 06:00) */
	{
		char err[512];
		struct history *h = history_open(c->db, HISTORY_READ, 0, err,
		    sizeof err);
		struct history_query q = { NULL, ML_TIME_NONE, 3 * DAY };

		assert_non_null(h);
		r = history_report_new(h, &q, err, sizeof err);
		assert_non_null(r);
		assert_int_equal(r->runs, 4);
		assert_int_equal(r->machines[0].jobs30, 3);
		assert_int_equal(r->machines[0].verdict_runs, 4);
		history_report_free(r);
		history_close(h);
	}
}

/* A job seen unfinished one night and finished the next is one job with
 * the later outcome; the earlier start and later end are kept. */
static void
test_job_upsert(void **state)
{
	struct ctx *c = *state;
	struct summary *a = summary_new(), *b = summary_new();
	struct summary_job *j;
	struct history_report *r;
	char t[64];

	add_job(a, "fs01", task(1, 1, t, sizeof t), 1, JOB_UNKNOWN);
	j = summary_job_get(a, "fs01", t, NULL);
	j->end = ML_TIME_NONE;
	j->outcome_time = ML_TIME_NONE;
	summary_finish(a);
	record(c, a, 1);
	add_job(b, "fs01", t, 1, JOB_FAILED);
	summary_finish(b);
	record(c, b, 2);
	assert_int_equal(sql_int(c->db, "SELECT count(*) FROM job"), 1);
	assert_int_equal(sql_int(c->db, "SELECT count(*) FROM job WHERE "
	    "outcome = 'failed' AND hresult = '0x80070070' AND day = "
	    "'2024-06-02'"), 1);
	/* a third night that saw the job again with no outcome keeps it */
	record(c, a, 3);
	assert_int_equal(sql_int(c->db, "SELECT count(*) FROM job WHERE "
	    "outcome = 'failed' AND end IS NOT NULL"), 1);
	r = report(c, "fs01");
	assert_int_equal(r->nmachines, 1);
	assert_int_equal(r->machines[0].jobs30, 1);
	assert_int_equal(r->machines[0].ok30, 0);
	assert_int_equal(r->machines[0].failing_since, T0 + DAY + 2 * HOUR);
	history_report_free(r);
	summary_free(a);
	summary_free(b);
}

static void
assert_strip(const struct history_machine *m, const char *want)
{
	static const char code[] = ".owF?";
	char got[HISTORY_STRIP_DAYS + 1];
	size_t i;

	for (i = 0; i < HISTORY_STRIP_DAYS; i++)
		got[i] = code[m->strip[i]];
	got[i] = '\0';
	assert_string_equal(got, want);
}

/* srv0001 fails on days 5, 6, 7 and recovers on day 8; nights overlap by
 * two days. */
static void
test_three_nights_then_recovery(void **state)
{
	struct ctx *c = *state;
	struct history_report *r;
	const struct history_machine *m;
	int d;

	for (d = 0; d <= 7; d++) {
		struct summary *s = night(d, 3, 3, three_nights);

		record(c, s, d);
		summary_free(s);
	}
	r = report(c, NULL);
	m = &r->machines[0];		/* failing, so first */
	assert_string_equal(m->name, "srv0001");
	assert_string_equal(m->verdict, "failing");
	assert_string_equal(m->verdict_finding, "disk-full");
	assert_int_equal(m->verdict_runs, 3);
	assert_int_equal(m->failing_since, T0 + 5 * DAY + 2 * HOUR);
	/* 30 days ending on day 7: 22 empty days, then days 0..7 */
	assert_strip(m, "......................oooooFFF");
	assert_string_equal(r->machines[2].name, "srv0002");
	assert_strip(&r->machines[2], "......................wowowowo");
	assert_int_equal(m->jobs7, 7);		/* days 1..7 */
	assert_int_equal(m->ok7, 4);
	assert_int_equal(m->jobs30, 8);
	assert_int_equal(m->ok30, 5);
	/* it changed this week: healthy on day 0 (before the week); and
	 * srv0002, whose day-0 job completed with warnings (attention), is
	 * healthy after an odd day's success */
	assert_int_equal(r->nchanges, 2);
	assert_string_equal(r->changes[0].machine, "srv0001");
	assert_string_equal(r->changes[0].before, "healthy");
	assert_string_equal(r->changes[0].after, "failing");
	assert_int_equal(r->changes[0].at, T0 + 5 * DAY + 6 * HOUR);
	assert_string_equal(r->changes[1].machine, "srv0002");
	assert_string_equal(r->changes[1].before, "attention");
	assert_string_equal(r->changes[1].after, "healthy");
	assert_int_equal(r->changes[1].at, T0 + 7 * DAY + 6 * HOUR);
	/* fleet day 6: srv0001 failed, the two others succeeded */
	assert_int_equal(r->daily[HISTORY_CHART_DAYS - 2].jobs, 3);
	assert_int_equal(r->daily[HISTORY_CHART_DAYS - 2].ok, 2);
	history_report_free(r);

	{
		struct summary *s = night(8, 3, 3, three_nights);

		record(c, s, 8);
		summary_free(s);
	}
	r = report(c, "srv0001");
	assert_int_equal(r->nmachines, 1);
	m = &r->machines[0];
	assert_string_equal(m->verdict, "healthy");
	assert_int_equal(m->verdict_runs, 1);
	assert_int_equal(m->failing_since, ML_TIME_NONE);
	assert_strip(m, ".....................oooooFFFo");
	assert_int_equal(m->jobs7, 7);		/* days 2..8 */
	assert_int_equal(m->ok7, 4);
	/* day 1 (healthy) is before the week of day 8: no change */
	assert_int_equal(r->nchanges, 0);
	history_report_free(r);
}

/* A schema-1 file as the first version wrote it, with rows in it. */
static void
make_v1(const struct ctx *c)
{
	char *sql = test_slurp("test/cases/history-v1.sql", NULL);

	assert_non_null(sql);
	sql_exec(c->db, sql);
	free(sql);
}

static void
test_migration_v1(void **state)
{
	struct ctx *c = *state;
	struct history *h;
	struct history_report *r;
	struct summary *s;
	char err[512];

	make_v1(c);
	assert_int_equal(sql_int(c->db, "PRAGMA user_version"), 1);
	/* reading does not migrate, and says how */
	h = history_open(c->db, HISTORY_READ, 0, err, sizeof err);
	assert_null(h);
	assert_non_null(strstr(err, "schema 1"));
	assert_int_equal(sql_int(c->db, "PRAGMA user_version"), 1);
	/* writing migrates: day filled in for the old jobs, old runs kept */
	h = open_w(c);
	assert_int_equal(history_schema_version(h), 2);
	history_close(h);
	assert_int_equal(sql_int(c->db, "PRAGMA user_version"), 2);
	assert_int_equal(sql_int(c->db, "SELECT count(*) FROM job WHERE "
	    "day = '2024-06-03'"), 1);
	assert_int_equal(sql_int(c->db, "SELECT count(*) FROM job WHERE "
	    "day IS NULL"), 0);
	assert_int_equal(sql_int(c->db, "SELECT count(*) FROM sqlite_master "
	    "WHERE name = 'job_day'"), 1);
	s = night(4, 2, 2, all_ok);
	record(c, s, 4);
	summary_free(s);
	r = report(c, "srv0001");
	/* the v1 run (day 2, failing) and the new one (day 4) */
	assert_int_equal(r->runs, 2);
	assert_string_equal(r->machines[0].verdict, "healthy");
	assert_strip(&r->machines[0],
	    "...........................Foo");
	assert_int_equal(r->nchanges, 1);
	assert_string_equal(r->changes[0].before, "failing");
	history_report_free(r);
	/* opening again is a no-op */
	h = open_w(c);
	history_close(h);
	assert_int_equal(sql_int(c->db, "SELECT count(*) FROM run"), 2);
}

static void
test_prune(void **state)
{
	struct ctx *c = *state;
	struct history *h;
	uint64_t removed = 0;
	char err[512];
	int d;

	for (d = 0; d < 10; d++) {
		struct summary *s = night(d, 1, 2, all_ok);

		record(c, s, d);
		summary_free(s);
	}
	h = open_w(c);
	if (history_prune(h, 3, &removed, err, sizeof err) != 0)
		fail_msg("%s", err);
	history_close(h);
	/* newest run on day 9: runs of days 6..9 stay */
	assert_int_equal(removed, 6);
	assert_int_equal(sql_int(c->db, "SELECT count(*) FROM run"), 4);
	assert_int_equal(sql_int(c->db, "SELECT count(*) FROM job WHERE "
	    "day < '2024-06-07'"), 0);
	assert_int_equal(sql_int(c->db, "SELECT count(*) FROM machine"), 2);
	assert_int_equal(sql_int(c->db, "SELECT count(*) FROM job"), 8);
	assert_int_equal(sql_int(c->db, "SELECT count(*) FROM run_machine"), 8);
	assert_int_equal(sql_int(c->db, "SELECT count(*) FROM "
	    "pragma_integrity_check WHERE integrity_check = 'ok'"), 1);
}

/* Several processes record different nights at once: every night is
 * there and the file is sound. */
static void
test_concurrent_writers(void **state)
{
	struct ctx *c = *state;
	pid_t pid[4];
	int i, st;

	for (i = 0; i < 4; i++) {
		pid[i] = fork();
		assert_true(pid[i] >= 0);
		if (pid[i] == 0) {
			struct summary *s = night(i, 3, 300, three_nights);
			struct history *h;
			char err[512];

			h = history_open(c->db, HISTORY_WRITE, 0, err,
			    sizeof err);
			if (h == NULL || record_night(h, s, i, err,
			    sizeof err) != 0) {
				fprintf(stderr, "writer %d: %s\n", i, err);
				_exit(1);
			}
			history_close(h);
			summary_free(s);
			_exit(0);
		}
	}
	for (i = 0; i < 4; i++) {
		assert_int_equal(waitpid(pid[i], &st, 0), pid[i]);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	assert_int_equal(sql_int(c->db, "SELECT count(*) FROM run"), 4);
	assert_int_equal(sql_int(c->db, "SELECT count(*) FROM run_machine"),
	    1200);
	/* days 0..3 of 300 machines, each once */
	assert_int_equal(sql_int(c->db, "SELECT count(*) FROM job"), 1200);
	assert_int_equal(sql_int(c->db, "SELECT count(*) FROM "
	    "pragma_integrity_check WHERE integrity_check = 'ok'"), 1);
}

/* A writer that cannot get the lock within its timeout fails with a
 * message that says why, and records nothing. */
static void
test_busy(void **state)
{
	struct ctx *c = *state;
	struct history *h = open_w(c);
	struct summary *s = night(1, 1, 2, all_ok);
	sqlite3 *hold;
	char err[512];

	history_close(h);
	assert_int_equal(sqlite3_open(c->db, &hold), SQLITE_OK);
	assert_int_equal(sqlite3_exec(hold, "BEGIN IMMEDIATE", NULL, NULL,
	    NULL), SQLITE_OK);
	h = history_open(c->db, HISTORY_WRITE, 200, err, sizeof err);
	if (h != NULL) {
		assert_int_equal(record_night(h, s, 1, err, sizeof err),
		    -1);
		history_close(h);
	}
	assert_non_null(strstr(err, "busy"));
	assert_non_null(strstr(err, c->db));
	assert_int_equal(sqlite3_exec(hold, "ROLLBACK", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(hold);
	assert_int_equal(sql_int(c->db, "SELECT count(*) FROM run"), 0);
	summary_free(s);
}

static int64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Record night d of a big fleet in a child; returns its pid. */
static pid_t
spawn_record(const char *db, struct summary *s, int d)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		char err[512];
		struct history *h = history_open(db, HISTORY_WRITE, 0, err,
		    sizeof err);

		if (h == NULL || record_night(h, s, d, err, sizeof err))
			_exit(1);
		history_close(h);
		_exit(0);
	}
	return pid;
}

/*
 * SIGKILL at random points of a run, from opening a missing file to the
 * commit: the database is then exactly as before that run (no run of that
 * day, the same job count) or exactly as after it, and always sound.
 */
static void
test_kill_during_write(void **state)
{
	struct ctx *c = *state;
	struct summary *s[2];
	int64_t t, full;
	int i, st, before = 0, after = 0;
	int64_t runs, jobs;
	pid_t pid;

	s[0] = night(0, 1, 2000, three_nights);
	s[1] = night(1, 2, 2000, three_nights);
	/* how long one whole run takes here, to aim the kills */
	t = now_us();
	pid = spawn_record(c->db, s[1], 1);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	full = now_us() - t;
	test_rm_rf(c->dir);
	assert_int_equal(mkdir(c->dir, 0700), 0);
	srand((unsigned)time(NULL));
	for (i = 0; i < 24; i++) {
		int night_day = i % 2;
		int64_t delay = (int64_t)((double)rand() / RAND_MAX *
		    (double)full * 1.1);
		struct stat sb;

		/* every fourth round starts from no file at all */
		if (i % 4 == 0) {
			test_rm_rf(c->dir);
			assert_int_equal(mkdir(c->dir, 0700), 0);
		}
		/* no file, or one killed before its schema was committed */
		runs = stat(c->db, &sb) == 0 && sql_int(c->db, "SELECT count(*) "
		    "FROM sqlite_master WHERE name = 'run'") == 1 ?
		    sql_int(c->db, "SELECT count(*) FROM run") : -1;
		jobs = runs >= 0 ? sql_int(c->db, "SELECT count(*) FROM job") :
		    -1;
		if (runs >= 0) {
			/* the night being recorded is absent before */
			char sql[128];

			snprintf(sql, sizeof sql, "DELETE FROM run_machine WHERE "
			    "run IN (SELECT id FROM run WHERE day = '2024-06-0%d');"
			    "DELETE FROM run WHERE day = '2024-06-0%d'",
			    night_day + 1, night_day + 1);
			sql_exec(c->db, sql);
			runs = sql_int(c->db, "SELECT count(*) FROM run");
		}
		pid = spawn_record(c->db, s[night_day], night_day);
		usleep((useconds_t)delay);
		kill(pid, SIGKILL);
		assert_int_equal(waitpid(pid, &st, 0), pid);
		if (stat(c->db, &sb) != 0 || sb.st_size == 0) {
			before++;	/* killed before the file had a page */
			continue;
		}
		assert_int_equal(sql_int(c->db, "SELECT count(*) FROM "
		    "pragma_integrity_check WHERE integrity_check = 'ok'"), 1);
		/* and a report reads it at once */
		if (sql_int(c->db, "SELECT count(*) FROM sqlite_master WHERE "
		    "name = 'run'") == 1)
			history_report_free(report(c, NULL));
		if (sql_int(c->db, "SELECT count(*) FROM sqlite_master") == 0 ||
		    sql_int(c->db, "SELECT count(*) FROM run") ==
		    (runs < 0 ? 0 : runs)) {
			before++;
			if (runs >= 0)
				assert_int_equal(sql_int(c->db,
				    "SELECT count(*) FROM job"), jobs);
			continue;
		}
		after++;
		assert_int_equal(sql_int(c->db, "SELECT count(*) FROM run"),
		    (runs < 0 ? 0 : runs) + 1);
		assert_int_equal(sql_int(c->db, "SELECT count(*) FROM "
		    "run_machine rm JOIN run r ON r.id = rm.run WHERE r.day = "
		    "(SELECT max(day) FROM run WHERE day <= '2024-06-02')") >=
		    2000, 1);
	}
	print_message("kill during write: %d rounds as before, %d as after "
	    "(a whole run takes %lld ms)\n", before, after,
	    (long long)(full / 1000));
	assert_int_equal(before + after, 24);
	summary_free(s[0]);
	summary_free(s[1]);
}

/* The bytes of a file, to show it was not modified. */
static void
assert_refused_unchanged(const char *path, enum history_mode mode,
    const char *why)
{
	size_t n0, n1;
	char *a = test_slurp(path, &n0), *b, err[512], wal[256];
	struct history *h;
	struct stat st;

	assert_non_null(a);
	h = history_open(path, mode, 200, err, sizeof err);
	assert_null(h);
	if (strstr(err, why) == NULL)
		fail_msg("wanted '%s' in: %s", why, err);
	assert_non_null(strstr(err, path));
	b = test_slurp(path, &n1);
	assert_non_null(b);
	assert_int_equal(n0, n1);
	assert_memory_equal(a, b, n0);
	snprintf(wal, sizeof wal, "%s-wal", path);
	assert_int_not_equal(stat(wal, &st) == 0 && st.st_size > 0, 1);
	free(a);
	free(b);
}

static void
test_foreign_and_corrupt(void **state)
{
	struct ctx *c = *state;
	char path[256];
	FILE *fp;
	struct summary *s;
	long off;

	/* a text file */
	snprintf(path, sizeof path, "%s/notes.txt", c->dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	for (off = 0; off < 200; off++)
		fputs("not a database, a list of things to do\n", fp);
	fclose(fp);
	assert_refused_unchanged(path, HISTORY_WRITE,
	    "not a marslog history database");
	assert_refused_unchanged(path, HISTORY_READ,
	    "not a marslog history database");
	/* another application's SQLite file */
	snprintf(path, sizeof path, "%s/other.db", c->dir);
	sql_exec(path, "CREATE TABLE t(x); INSERT INTO t VALUES (1);");
	assert_refused_unchanged(path, HISTORY_WRITE,
	    "not a marslog history database");
	/* a newer marslog's */
	snprintf(path, sizeof path, "%s/newer.db", c->dir);
	sql_exec(path, "PRAGMA application_id = 1296846663; PRAGMA "
	    "user_version = 99; CREATE TABLE run(x);");
	assert_refused_unchanged(path, HISTORY_WRITE, "newer marslog");
	/* ours, with a page overwritten */
	s = night(3, 3, 200, three_nights);
	record(c, s, 3);
	summary_free(s);
	sql_exec(c->db, "PRAGMA wal_checkpoint(TRUNCATE); "
	    "PRAGMA journal_mode = DELETE");
	fp = fopen(c->db, "r+b");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	off = ftell(fp);
	assert_true(off > 8 * 4096);
	assert_int_equal(fseek(fp, off / 2, SEEK_SET), 0);
	for (off = 0; off < 4096; off++)
		fputc((int)(off * 7 % 251), fp);
	fclose(fp);
	assert_refused_unchanged(c->db, HISTORY_WRITE, "damaged database");
	/* a file cut short after the header */
	snprintf(path, sizeof path, "%s/cut.db", c->dir);
	{
		size_t n;
		char *bytes = test_slurp(c->db, &n);

		fp = fopen(path, "wb");
		assert_non_null(fp);
		fwrite(bytes, 1, 100, fp);
		fclose(fp);
		free(bytes);
	}
	assert_refused_unchanged(path, HISTORY_WRITE, c->dir);
}

/* In the first line of `out` that holds `line_has`, the display width
 * before `needle`; (size_t)-1 when there is no such line or needle. */
static size_t
column_of(const char *out, const char *line_has, const char *needle)
{
	const char *p = out;

	while (*p) {
		const char *e = strchr(p, '\n'), *h = strstr(p, line_has), *n;
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (h != NULL && h < p + len) {
			n = strstr(p, needle);
			return n != NULL && n < p + len ?
			    text_width(p, (size_t)(n - p)) : (size_t)-1;
		}
		p += len + (e != NULL);
	}
	return (size_t)-1;
}

/*
 * `marslog history` in the terminal at 80, 100 and 120 columns, in English
 * and Chinese, with a CJK machine name and one too long for its column:
 * no line wider than asked, every strip starts in the column of its
 * heading, verdicts in the report's language.
 */
static void
test_terminal_layout(void **state)
{
	static const char *const names[] = {
		"\xe5\xa4\x87\xe4\xbb\xbd\xe6\x9c\x8d\xe5\x8a\xa1"
		"\xe5\x99\xa8-\xe4\xb8\x8a\xe6\xb5\xb7-01",	/* 备份服务器-上海-01 */
		"srv-with-a-very-long-machine-name-0001",
		"db1",
	};
	static const size_t widths[] = { 80, 100, 120 };
	static const enum cat_lang langs[] = { CAT_LANG_EN, CAT_LANG_ZH };
	struct ctx *c = *state;
	struct history_report *r;
	char t[64];
	size_t w, l, m, i;
	int d;

	for (d = 0; d < 5; d++) {
		struct summary *s = summary_new();

		assert_non_null(s);
		for (m = 0; m < 3; m++)
			add_job(s, names[m], task((int)m, d, t, sizeof t), d,
			    m == 0 && d >= 3 ? JOB_FAILED : JOB_SUCCEEDED);
		summary_finish(s);
		record(c, s, d);
		summary_free(s);
	}
	r = report(c, NULL);
	assert_int_equal(r->nmachines, 3);
	assert_string_equal(r->machines[0].verdict, "failing");
	for (w = 0; w < sizeof widths / sizeof widths[0]; w++)
		for (l = 0; l < 2; l++) {
			struct text_buf b = TEXT_BUF_INIT;
			const char *p;
			size_t col;

			history_term_write(&b, r, langs[l], widths[w], 0);
			text_buf_add(&b, "", 1);
			assert_false(b.oom);
			for (p = b.p; *p; ) {
				const char *e = strchr(p, '\n');
				size_t n = e ? (size_t)(e - p) : strlen(p);

				if (text_width(p, n) > widths[w])
					fail_msg("wider than %zu: %.*s",
					    widths[w], (int)n, p);
				p += n + (e != NULL);
			}
			/* the table's heading: the line with "Runs" */
			col = column_of(b.p, tr(langs[l], MSG_HISTORY_RUNS_COL),
			    tr(langs[l], MSG_HISTORY_STRIP));
			assert_true(col != (size_t)-1);
			for (i = 0; i < r->nmachines; i++)
				if (column_of(b.p, r->machines[i].strip_text,
				    r->machines[i].strip_text) != col)
					fail_msg("%s: strip not under its "
					    "heading (%zu columns):\n%s",
					    r->machines[i].name, col, b.p);
			assert_non_null(strstr(b.p, tr(langs[l],
			    MSG_VERDICT_FAILING)));
			text_buf_release(&b);
		}
	history_report_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_night_twice, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_overlapping_bundles, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_job_upsert, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_three_nights_then_recovery,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_migration_v1, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_prune, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_writers, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_busy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kill_during_write, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_foreign_and_corrupt, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_terminal_layout, setup,
		    teardown),
	};

	return cmocka_run_group_tests_name("history", tests, NULL, NULL);
}
