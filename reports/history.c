/* SPDX-License-Identifier: MIT */
/*
 * history.c -- the SQLite history (history.h): opening with the checks
 * that keep a foreign or damaged file untouched, the schema and its
 * migrations, recording a run, pruning, and the trend report.
 *
 * Every statement that writes runs inside one BEGIN IMMEDIATE transaction
 * (record, migrate, prune), so a reader or a killed writer never sees half
 * a run: WAL replays only committed transactions.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "parsers/record.h"
#include "reports/diagnose.h"
#include "reports/history.h"

#define DAY_MS 86400000LL

struct history {
	sqlite3 *db;
	char *path;
	int version;
};

/* ------------------------------------------------------------ schema */

/*
 * Schema version 1, as the first marslog with history wrote it.  A new
 * database is created at version 1 and migrated like an old one, so the
 * migrations run on every creation, not only on old files.
 */
static const char schema_v1[] =
"CREATE TABLE run ("
" id INTEGER PRIMARY KEY,"
" day TEXT NOT NULL UNIQUE,"		/* UTC day of as_of, YYYY-MM-DD */
" as_of INTEGER NOT NULL,"		/* ms since 1970 */
" recorded INTEGER NOT NULL,"		/* ms, wall clock */
" generator TEXT,"
" options TEXT);"
"CREATE TABLE machine ("
" id INTEGER PRIMARY KEY,"
" name TEXT NOT NULL UNIQUE);"
"CREATE TABLE run_machine ("
" machine INTEGER NOT NULL REFERENCES machine(id),"
" run INTEGER NOT NULL REFERENCES run(id),"
" verdict TEXT NOT NULL,"
" agent_version TEXT,"
" PRIMARY KEY (machine, run)) WITHOUT ROWID;"
"CREATE INDEX run_machine_run ON run_machine(run);"
"CREATE TABLE job ("
" machine INTEGER NOT NULL REFERENCES machine(id),"
" task_id TEXT NOT NULL,"
" kind TEXT NOT NULL,"
" start INTEGER,"			/* ms or NULL */
" end INTEGER,"
" outcome TEXT NOT NULL,"
" outcome_time INTEGER,"
" hresult TEXT,"
" failed_files INTEGER NOT NULL DEFAULT 0,"
" PRIMARY KEY (machine, task_id)) WITHOUT ROWID;"
"CREATE TABLE finding_day ("
" machine INTEGER NOT NULL REFERENCES machine(id),"
" day TEXT NOT NULL,"			/* the run's day */
" finding TEXT NOT NULL,"
" level TEXT NOT NULL,"
" count INTEGER NOT NULL,"
" PRIMARY KEY (machine, day, finding)) WITHOUT ROWID;";

/*
 * Version 2: the finding behind each verdict and each failed job's
 * reason (reports/diagnose.h), the run's stale-after hours, the first/last seen time of each day's finding, and the UTC day
 * of each job (its end, else its start), filled in for the jobs already
 * there and indexed for the day-by-day report.
 */
static const char migrate_v2[] =
"ALTER TABLE run ADD COLUMN stale_after_hours REAL;"
"ALTER TABLE run_machine ADD COLUMN verdict_finding TEXT;"
"ALTER TABLE finding_day ADD COLUMN first_seen INTEGER;"
"ALTER TABLE finding_day ADD COLUMN last_seen INTEGER;"
"ALTER TABLE job ADD COLUMN day TEXT;"
"ALTER TABLE job ADD COLUMN reason TEXT;"
"UPDATE job SET day = strftime('%Y-%m-%d', coalesce(end, start) / 1000,"
" 'unixepoch') WHERE coalesce(end, start) IS NOT NULL;"
"CREATE INDEX job_day ON job(day);";

/* migrations[v] takes a database from version v to v + 1. */
static const char *const migrations[HISTORY_SCHEMA_VERSION + 1] = {
	[0] = schema_v1,
	[1] = migrate_v2,
};

/* ------------------------------------------------------------ helpers */

static void
db_error(struct history *h, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: %s: %s", h->path, what,
	    sqlite3_errmsg(h->db));
}

/* One statement without results; -1 with a message. */
static int
exec_sql(struct history *h, const char *sql, const char *what, char *err,
    size_t errlen)
{
	char *msg = NULL;

	if (sqlite3_exec(h->db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	snprintf(err, errlen, "%s: %s: %s", h->path, what,
	    msg ? msg : sqlite3_errmsg(h->db));
	sqlite3_free(msg);
	return -1;
}

/* The single integer a PRAGMA or SELECT returns; -1 with a message. */
static int
query_int(struct history *h, const char *sql, int64_t *out, char *err,
    size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(h->db, sql, -1, &st, NULL) != SQLITE_OK) {
		db_error(h, "cannot read", err, errlen);
		return -1;
	}
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_error(h, "cannot read", err, errlen);
		sqlite3_finalize(st);
		return -1;
	}
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return 0;
}

static sqlite3_stmt *
prepare(struct history *h, const char *sql, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(h->db, sql, -1, &st, NULL) != SQLITE_OK) {
		db_error(h, "cannot prepare", err, errlen);
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

static void
bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

static void
bind_time(sqlite3_stmt *st, int i, int64_t t)
{
	if (t == ML_TIME_NONE)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, t);
}

static int64_t
column_time(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? ML_TIME_NONE :
	    sqlite3_column_int64(st, i);
}

/* Run a statement that returns no row, then reset it for reuse. */
static int
step_done(struct history *h, sqlite3_stmt *st, char *err, size_t errlen)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return 0;
	db_error(h, "cannot write", err, errlen);
	return -1;
}

/* Start of the UTC day of t (ms). */
static int64_t
day_start(int64_t t)
{
	int64_t d = t / DAY_MS;

	if (t % DAY_MS < 0)
		d--;
	return d * DAY_MS;
}

char *
history_day_format(int64_t t, char *buf, size_t len)
{
	int y;
	unsigned m, d;

	if (t == ML_TIME_NONE) {
		snprintf(buf, len, "%s", "");
		return buf;
	}
	ml_civil_from_days(day_start(t) / DAY_MS, &y, &m, &d);
	snprintf(buf, len, "%04d-%02u-%02u", y, m, d);
	return buf;
}

static char *
dup_str(const char *s, int *oom)
{
	char *p;

	if (s == NULL)
		return NULL;
	if ((p = strdup(s)) == NULL)
		*oom = 1;
	return p;
}

/* ------------------------------------------------------------ open */

/* The transaction every write runs in; waits up to the busy timeout for
 * another writer, then fails with a message that says so. */
static int
begin_write(struct history *h, char *err, size_t errlen)
{
	if (sqlite3_exec(h->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) ==
	    SQLITE_OK)
		return 0;
	if (sqlite3_errcode(h->db) == SQLITE_BUSY)
		snprintf(err, errlen, "%s: busy: another marslog run is "
		    "writing it; try again when it has finished", h->path);
	else
		db_error(h, "cannot start a transaction", err, errlen);
	return -1;
}

static void
rollback(struct history *h)
{
	if (!sqlite3_get_autocommit(h->db))
		sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
}

static int
commit(struct history *h, char *err, size_t errlen)
{
	if (sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	db_error(h, "cannot commit", err, errlen);
	rollback(h);
	return -1;
}

/*
 * What the file is, read without writing: *kind 0 = an empty database
 * (new, or SQLite with nothing in it), 1 = marslog's, at *version.
 * -1 with a message for anything else.
 */
static int
identify(struct history *h, int *kind, int *version, char *err,
    size_t errlen)
{
	int64_t app, ver, objects;
	int own = sqlite3_get_autocommit(h->db), bad;

	/* one snapshot: another process may be creating the schema */
	if (own)
		sqlite3_exec(h->db, "BEGIN", NULL, NULL, NULL);
	bad = query_int(h, "PRAGMA application_id", &app, err, errlen) != 0 ||
	    query_int(h, "PRAGMA user_version", &ver, err, errlen) != 0 ||
	    query_int(h, "SELECT count(*) FROM sqlite_master", &objects, err,
	    errlen) != 0;
	if (bad) {
		/* SQLITE_NOTADB: not SQLite at all (or its header is
		 * destroyed); SQLITE_CORRUPT: damaged */
		int code = sqlite3_errcode(h->db);

		snprintf(err, errlen, "%s: %s (%s)", h->path,
		    code == SQLITE_NOTADB ? "not a marslog history database" :
		    code == SQLITE_CORRUPT ? "damaged database" :
		    "cannot read the database", sqlite3_errmsg(h->db));
	}
	if (own)
		sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
	if (bad)
		return -1;
	if (app == 0 && ver == 0 && objects == 0) {
		*kind = 0;
		*version = 0;
		return 0;
	}
	if (app != HISTORY_APPLICATION_ID) {
		snprintf(err, errlen, "%s: not a marslog history database "
		    "(SQLite with application_id %lld and %lld schema objects); "
		    "left unchanged", h->path, (long long)app,
		    (long long)objects);
		return -1;
	}
	if (ver < 1 || ver > HISTORY_SCHEMA_VERSION) {
		snprintf(err, errlen, ver > HISTORY_SCHEMA_VERSION ?
		    "%s: written by a newer marslog (schema %lld; this one "
		    "reads up to %d); left unchanged" :
		    "%s: unknown marslog history schema %lld (this one reads "
		    "1 to %d); left unchanged", h->path, (long long)ver,
		    HISTORY_SCHEMA_VERSION);
		return -1;
	}
	*kind = 1;
	*version = (int)ver;
	return 0;
}

/* PRAGMA quick_check, which reads every page: a damaged file is refused
 * before anything is written to it. */
static int
check_pages(struct history *h, char *err, size_t errlen)
{
	sqlite3_stmt *st = prepare(h, "PRAGMA quick_check(1)", err, errlen);
	const unsigned char *v;
	int rc = -1;

	if (st == NULL)
		goto damaged;
	if (sqlite3_step(st) != SQLITE_ROW)
		goto damaged;
	v = sqlite3_column_text(st, 0);
	if (v != NULL && strcmp((const char *)v, "ok") == 0) {
		rc = 0;
		goto out;
	}
	snprintf(err, errlen, "%s: damaged database (%s); left unchanged",
	    h->path, v ? (const char *)v : "no answer");
	goto out;
damaged:
	snprintf(err, errlen, "%s: damaged database (%s); left unchanged",
	    h->path, sqlite3_errmsg(h->db));
out:
	sqlite3_finalize(st);
	return rc;
}

/* Create or migrate to HISTORY_SCHEMA_VERSION in one transaction; the
 * version is read again inside it, as another process may have done it
 * meanwhile. */
static int
migrate(struct history *h, char *err, size_t errlen)
{
	char sql[64];
	int kind, v;

	if (begin_write(h, err, errlen) != 0)
		return -1;
	if (identify(h, &kind, &v, err, errlen) != 0)
		goto fail;
	if (kind == 0 && exec_sql(h, "PRAGMA application_id = "
	    "1296846663", "cannot create", err, errlen) != 0)
		goto fail;
	for (; v < HISTORY_SCHEMA_VERSION; v++) {
		if (exec_sql(h, migrations[v], v == 0 ? "cannot create" :
		    "cannot migrate", err, errlen) != 0)
			goto fail;
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
		if (exec_sql(h, sql, "cannot migrate", err, errlen) != 0)
			goto fail;
	}
	if (commit(h, err, errlen) != 0)
		return -1;
	h->version = v;
	return 0;
fail:
	rollback(h);
	return -1;
}

_Static_assert(HISTORY_APPLICATION_ID == 1296846663,
    "the application_id literal in migrate() follows history.h");

struct history *
history_open(const char *path, enum history_mode mode, int busy_ms,
    char *err, size_t errlen)
{
	struct history *h = calloc(1, sizeof *h);
	/* Read-write even to read: after a writer was killed, the first
	 * connection rebuilds the WAL index, which a read-only one cannot
	 * (SQLite opens a write-protected file read-only anyway). */
	int flags = mode == HISTORY_WRITE ?
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READWRITE;
	int kind, v;

	if (h == NULL || (h->path = strdup(path)) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(ENOMEM));
		goto fail;
	}
	if (sqlite3_open_v2(path, &h->db, flags | SQLITE_OPEN_NOFOLLOW,
	    NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s: %s", path,
		    h->db ? sqlite3_errmsg(h->db) : strerror(ENOMEM));
		goto fail;
	}
	sqlite3_extended_result_codes(h->db, 0);
	sqlite3_busy_timeout(h->db, busy_ms > 0 ? busy_ms : HISTORY_BUSY_MS);
	if (identify(h, &kind, &v, err, errlen) != 0)
		goto fail;
	if (mode == HISTORY_READ) {
		if (kind == 0) {
			snprintf(err, errlen, "%s: no marslog history in it "
			    "(record runs with --history first)", path);
			goto fail;
		}
		if (v != HISTORY_SCHEMA_VERSION) {
			snprintf(err, errlen, "%s: history schema %d; run "
			    "marslog --history on it once to migrate it to %d",
			    path, v, HISTORY_SCHEMA_VERSION);
			goto fail;
		}
		h->version = v;
		return h;
	}
	if (kind == 1 && check_pages(h, err, errlen) != 0)
		goto fail;
	/* Only now that the file is known to be ours (or empty). */
	if (exec_sql(h, "PRAGMA journal_mode = WAL", "cannot use WAL", err,
	    errlen) != 0 ||
	    exec_sql(h, "PRAGMA synchronous = FULL", "cannot set", err,
	    errlen) != 0 || migrate(h, err, errlen) != 0)
		goto fail;
	return h;
fail:
	history_close(h);
	return NULL;
}

void
history_close(struct history *h)
{
	if (h == NULL)
		return;
	sqlite3_close(h->db);
	free(h->path);
	free(h);
}

int
history_schema_version(const struct history *h)
{
	return h->version;
}

/* ------------------------------------------------------------ record */

struct recorder {
	struct history *h;
	sqlite3_stmt *machine_add, *machine_id, *run_machine, *job_get,
	    *job_put, *finding_clear, *finding_put;
};

static const char *const recorder_sql[] = {
	"INSERT OR IGNORE INTO machine(name) VALUES (?1)",
	"SELECT id FROM machine WHERE name = ?1",
	"INSERT INTO run_machine(machine, run, verdict, verdict_finding, "
	"agent_version) VALUES (?1, ?2, ?3, ?4, ?5)",
	"SELECT kind, start, end, outcome, outcome_time, hresult, "
	"failed_files, reason FROM job WHERE machine = ?1 AND task_id = ?2",
	"INSERT OR REPLACE INTO job(machine, task_id, kind, start, end, "
	"outcome, outcome_time, hresult, failed_files, day, reason) VALUES "
	"(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	"DELETE FROM finding_day WHERE machine = ?1 AND day = ?2",
	"INSERT INTO finding_day(machine, day, finding, level, count, "
	"first_seen, last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
};

static sqlite3_stmt **
recorder_stmt(struct recorder *r, size_t i)
{
	sqlite3_stmt **all[] = {
		&r->machine_add, &r->machine_id, &r->run_machine, &r->job_get,
		&r->job_put, &r->finding_clear, &r->finding_put,
	};

	return all[i];
}

#define RECORDER_NSTMT (sizeof recorder_sql / sizeof recorder_sql[0])

static void
recorder_release(struct recorder *r)
{
	size_t i;

	for (i = 0; i < RECORDER_NSTMT; i++)
		sqlite3_finalize(*recorder_stmt(r, i));
}

/* The machine's row id, added when new; -1 with a message. */
static int64_t
machine_id(struct recorder *r, const char *name, char *err, size_t errlen)
{
	int64_t id = -1;

	bind_text(r->machine_add, 1, name);
	if (step_done(r->h, r->machine_add, err, errlen) != 0)
		return -1;
	bind_text(r->machine_id, 1, name);
	if (sqlite3_step(r->machine_id) == SQLITE_ROW)
		id = sqlite3_column_int64(r->machine_id, 0);
	else
		db_error(r->h, "cannot read", err, errlen);
	sqlite3_reset(r->machine_id);
	return id;
}

/* Worse outcome first on a tie: failed > warnings > succeeded > unknown
 * (the enum's order), as summary_merge() does. */
static int
outcome_later(int64_t t_new, enum job_outcome o_new, int64_t t_old,
    enum job_outcome o_old)
{
	if (t_new != t_old) {
		if (t_old == ML_TIME_NONE)
			return 1;
		if (t_new == ML_TIME_NONE)
			return 0;
		return t_new > t_old;
	}
	return o_new > o_old;
}

/*
 * Upsert one job: the stored row (an earlier night's copy of the same
 * task) and this run's combine as summary_merge() combines jobs, except
 * that failed_files takes the larger count, as both nights saw the same
 * list.
 */
static int
job_upsert(struct recorder *r, int64_t mid, const struct summary_job *j,
    const char *reason, char *err, size_t errlen)
{
	sqlite3_stmt *g = r->job_get, *p = r->job_put;
	const char *kind = job_kind_name(j->kind), *hresult = j->hresult;
	char *old_kind = NULL, *old_hresult = NULL, *old_reason = NULL;
	char day[16];
	int64_t start = j->start, end = j->end, otime = j->outcome_time;
	uint64_t failed = j->failed_files;
	enum job_outcome outcome = j->outcome;
	int rc, oom = 0, ret = -1;

	sqlite3_bind_int64(g, 1, mid);
	bind_text(g, 2, j->task_id);
	rc = sqlite3_step(g);
	if (rc == SQLITE_ROW) {
		int64_t s0 = column_time(g, 1), e0 = column_time(g, 2);
		int64_t t0 = column_time(g, 4);
		int o0 = job_outcome_from_name((const char *)
		    sqlite3_column_text(g, 3));
		uint64_t f0 = (uint64_t)sqlite3_column_int64(g, 6);

		old_kind = dup_str((const char *)sqlite3_column_text(g, 0),
		    &oom);
		old_hresult = dup_str((const char *)sqlite3_column_text(g, 5),
		    &oom);
		old_reason = dup_str((const char *)sqlite3_column_text(g, 7),
		    &oom);
		if (old_kind != NULL && j->kind == JOB_OTHER)
			kind = old_kind;
		if (s0 != ML_TIME_NONE && (start == ML_TIME_NONE || s0 < start))
			start = s0;
		if (e0 != ML_TIME_NONE && (end == ML_TIME_NONE || e0 > end))
			end = e0;
		if (o0 < 0)
			o0 = JOB_UNKNOWN;
		if (!outcome_later(otime, outcome, t0, (enum job_outcome)o0)) {
			outcome = (enum job_outcome)o0;
			otime = t0;
			hresult = old_hresult;
			reason = old_reason;
		}
		if (f0 > failed)
			failed = f0;
	} else if (rc != SQLITE_DONE) {
		db_error(r->h, "cannot read", err, errlen);
	}
	sqlite3_reset(g);
	if ((rc != SQLITE_ROW && rc != SQLITE_DONE) || oom) {
		if (oom)
			snprintf(err, errlen, "%s: %s", r->h->path,
			    strerror(ENOMEM));
		goto out;
	}
	sqlite3_bind_int64(p, 1, mid);
	bind_text(p, 2, j->task_id);
	bind_text(p, 3, kind);
	bind_time(p, 4, start);
	bind_time(p, 5, end);
	bind_text(p, 6, job_outcome_name(outcome));
	bind_time(p, 7, otime);
	bind_text(p, 8, hresult);
	sqlite3_bind_int64(p, 9, (int64_t)(failed > INT64_MAX ? INT64_MAX :
	    failed));
	if (end != ML_TIME_NONE || start != ML_TIME_NONE)
		bind_text(p, 10, history_day_format(end != ML_TIME_NONE ? end : start,
		    day, sizeof day));
	bind_text(p, 11, reason);
	ret = step_done(r->h, p, err, errlen);
out:
	free(old_reason);
	free(old_kind);
	free(old_hresult);
	return ret;
}

static int
run_add(struct history *h, const struct summary *s,
    const struct diagnosis *d, const struct history_run *run,
    const char *day, int64_t *id, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	/* the same night again: its run and machine rows are replaced */
	st = prepare(h, "DELETE FROM run_machine WHERE run IN "
	    "(SELECT id FROM run WHERE day = ?1)", err, errlen);
	if (st == NULL)
		return -1;
	bind_text(st, 1, day);
	rc = step_done(h, st, err, errlen);
	sqlite3_finalize(st);
	if (rc != 0 || (st = prepare(h, "DELETE FROM run WHERE day = ?1",
	    err, errlen)) == NULL)
		return -1;
	bind_text(st, 1, day);
	rc = step_done(h, st, err, errlen);
	sqlite3_finalize(st);
	if (rc != 0 || (st = prepare(h, "INSERT INTO run(day, as_of, "
	    "recorded, generator, options, stale_after_hours) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6)", err, errlen)) == NULL)
		return -1;
	bind_text(st, 1, day);
	sqlite3_bind_int64(st, 2, d->as_of);
	sqlite3_bind_int64(st, 3, run->recorded);
	bind_text(st, 4, s->generator);
	bind_text(st, 5, run->options);
	sqlite3_bind_double(st, 6, (double)d->stale_after / 3600000.0);
	rc = step_done(h, st, err, errlen);
	sqlite3_finalize(st);
	*id = sqlite3_last_insert_rowid(h->db);
	return rc;
}

static int
record_machines(struct recorder *r, const struct summary *s,
    const struct diagnosis *d, int64_t rid, const char *day, int64_t *ids,
    char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < s->nmachines; i++) {
		const struct summary_machine *m = &s->machines[i];
		const struct diag_machine *dm = &d->machines[i];

		if ((ids[i] = machine_id(r, m->name, err, errlen)) < 0)
			return -1;
		sqlite3_bind_int64(r->run_machine, 1, ids[i]);
		sqlite3_bind_int64(r->run_machine, 2, rid);
		bind_text(r->run_machine, 3, verdict_name(dm->verdict));
		bind_text(r->run_machine, 4, dm->verdict_finding);
		bind_text(r->run_machine, 5, m->agent_version);
		if (step_done(r->h, r->run_machine, err, errlen) != 0)
			return -1;
		sqlite3_bind_int64(r->finding_clear, 1, ids[i]);
		bind_text(r->finding_clear, 2, day);
		if (step_done(r->h, r->finding_clear, err, errlen) != 0)
			return -1;
	}
	return 0;
}

/* The row id of machine `name` (ids parallel to s->machines and
 * d->machines); items are grouped by interned name, so the last answer
 * is cached. */
static int64_t
id_of(const struct summary *s, const struct diagnosis *d,
    const int64_t *ids, const char *name, size_t *hint)
{
	size_t k;

	if (*hint < s->nmachines && s->machines[*hint].name == name)
		return ids[*hint];
	if ((k = diagnose_machine_index(d, name)) == SIZE_MAX)
		return -1;
	*hint = k;
	return ids[k];
}

static int
record_items(struct recorder *r, const struct summary *s,
    const struct diagnosis *d, const char *day, const int64_t *ids,
    char *err, size_t errlen)
{
	size_t i, hint = 0;

	for (i = 0; i < s->njobs; i++) {
		const struct summary_job *j = &s->jobs[i];
		int64_t mid = id_of(s, d, ids, j->machine, &hint);

		if (mid >= 0 && job_upsert(r, mid, j, d->jobs[i].reason, err,
		    errlen) != 0)
			return -1;
	}
	for (i = 0; i < s->nfindings; i++) {
		const struct summary_finding *f = &s->findings[i];
		int64_t mid = id_of(s, d, ids, f->machine, &hint);
		sqlite3_stmt *p = r->finding_put;

		if (mid < 0)
			continue;
		sqlite3_bind_int64(p, 1, mid);
		bind_text(p, 2, day);
		bind_text(p, 3, f->id);
		bind_text(p, 4, cat_level_name(f->level));
		sqlite3_bind_int64(p, 5, (int64_t)(f->count > INT64_MAX ?
		    INT64_MAX : f->count));
		bind_time(p, 6, f->first_seen);
		bind_time(p, 7, f->last_seen);
		if (step_done(r->h, p, err, errlen) != 0)
			return -1;
	}
	return 0;
}

int
history_record(struct history *h, const struct summary *s,
    const struct diagnosis *d, const struct history_run *run, char *err,
    size_t errlen)
{
	struct recorder r;
	int64_t rid, *ids = NULL;
	char day[16];
	size_t i;
	int ret = -1;

	memset(&r, 0, sizeof r);
	r.h = h;
	if (d->as_of == ML_TIME_NONE) {
		snprintf(err, errlen, "%s: nothing recorded: the run has no "
		    "reference time (no record has a time; give --now)",
		    h->path);
		return -1;
	}
	history_day_format(d->as_of, day, sizeof day);
	if ((ids = calloc(s->nmachines + 1, sizeof *ids)) == NULL) {
		snprintf(err, errlen, "%s: %s", h->path, strerror(ENOMEM));
		return -1;
	}
	if (begin_write(h, err, errlen) != 0)
		goto out;
	for (i = 0; i < RECORDER_NSTMT; i++)
		if ((*recorder_stmt(&r, i) = prepare(h, recorder_sql[i], err,
		    errlen)) == NULL)
			goto fail;
	if (run_add(h, s, d, run, day, &rid, err, errlen) != 0 ||
	    record_machines(&r, s, d, rid, day, ids, err, errlen) != 0 ||
	    record_items(&r, s, d, day, ids, err, errlen) != 0)
		goto fail;
	recorder_release(&r);
	memset(&r, 0, sizeof r);
	ret = commit(h, err, errlen);
	goto out;
fail:
	recorder_release(&r);
	rollback(h);
out:
	free(ids);
	return ret;
}

/* ------------------------------------------------------------ prune */

int
history_prune(struct history *h, int days, uint64_t *removed, char *err,
    size_t errlen)
{
	static const char *const sql[] = {
		"DELETE FROM run_machine WHERE run IN (SELECT id FROM run "
		"WHERE as_of < ?1)",
		"DELETE FROM run WHERE as_of < ?1",
		"DELETE FROM job WHERE coalesce(end, start) < ?1",
		"DELETE FROM finding_day WHERE day < ?2",
		"DELETE FROM machine WHERE id NOT IN (SELECT machine FROM "
		"run_machine) AND id NOT IN (SELECT machine FROM job)",
	};
	int64_t newest, cutoff;
	char day[16];
	size_t i;

	if (removed)
		*removed = 0;
	if (days < 0) {
		snprintf(err, errlen, "%s: --prune needs a number of days",
		    h->path);
		return -1;
	}
	if (begin_write(h, err, errlen) != 0)
		return -1;
	if (query_int(h, "SELECT coalesce(max(as_of), 0) FROM run", &newest,
	    err, errlen) != 0)
		goto fail;
	cutoff = day_start(newest) - (int64_t)days * DAY_MS;
	history_day_format(cutoff, day, sizeof day);
	for (i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		sqlite3_stmt *st = prepare(h, sql[i], err, errlen);
		int rc;

		if (st == NULL)
			goto fail;
		if (sqlite3_bind_parameter_count(st) >= 1)
			sqlite3_bind_int64(st, 1, cutoff);
		if (sqlite3_bind_parameter_count(st) >= 2)
			bind_text(st, 2, day);
		rc = step_done(h, st, err, errlen);
		if (rc == 0 && i == 1 && removed)
			*removed = (uint64_t)sqlite3_changes(h->db);
		sqlite3_finalize(st);
		if (rc != 0)
			goto fail;
	}
	if (commit(h, err, errlen) != 0)
		return -1;
	/* Give the space back; the prune stands even if this fails (e.g.
	 * a reader holds the file open). */
	sqlite3_exec(h->db, "VACUUM", NULL, NULL, NULL);
	return 0;
fail:
	rollback(h);
	return -1;
}

/* ------------------------------------------------------------ report */

const char *
history_day_name(enum history_day d)
{
	switch (d) {
	case HISTORY_DAY_OK: return "succeeded";
	case HISTORY_DAY_WARNINGS: return "completed-with-warnings";
	case HISTORY_DAY_FAILED: return "failed";
	case HISTORY_DAY_UNKNOWN: return "unknown";
	case HISTORY_DAY_NONE: break;
	}
	return NULL;
}

char *
history_rate_format(uint64_t ok, uint64_t jobs, char *buf, size_t len)
{
	uint64_t permille;

	if (jobs == 0) {
		snprintf(buf, len, "-");
		return buf;
	}
	permille = ok >= jobs ? 1000 : (uint64_t)((double)ok * 1000 /
	    (double)jobs);
	snprintf(buf, len, "%llu.%llu", (unsigned long long)(permille / 10),
	    (unsigned long long)(permille % 10));
	return buf;
}

void
history_report_free(struct history_report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nmachines; i++) {
		free(r->machines[i].name);
		free(r->machines[i].verdict);
		free(r->machines[i].verdict_finding);
		free(r->machines[i].agent_version);
	}
	for (i = 0; i < r->nchanges; i++) {
		free(r->changes[i].machine);
		free(r->changes[i].before);
		free(r->changes[i].after);
	}
	free(r->machines);
	free(r->changes);
	free(r);
}

static int
grow(void **p, size_t *cap, size_t n, size_t size)
{
	void *q;
	size_t c;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 64;
	if ((q = realloc(*p, c * size)) == NULL)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

/* Runs and the newest reference time within the query. */
static int
report_runs(struct history *h, const struct history_query *q,
    struct history_report *r, char *err, size_t errlen)
{
	sqlite3_stmt *st = prepare(h, "SELECT count(*), min(as_of), "
	    "max(as_of) FROM run WHERE as_of >= ?1", err, errlen);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, q->since);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		r->runs = (uint64_t)sqlite3_column_int64(st, 0);
		r->first_run = column_time(st, 1);
		r->as_of = column_time(st, 2);
	} else {
		db_error(h, "cannot read", err, errlen);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* Close machine m: a verdict that differs from the one before the week
 * is a change. */
static int
change_add(struct history_report *r, size_t *cap,
    const struct history_machine *m, char **before, int64_t at)
{
	struct history_change *c;
	int oom = 0;

	if (*before == NULL || strcmp(*before, m->verdict) == 0)
		return 0;
	if (grow((void **)&r->changes, cap, r->nchanges, sizeof *c) != 0)
		return -1;
	c = &r->changes[r->nchanges++];
	c->machine = dup_str(m->name, &oom);
	c->after = dup_str(m->verdict, &oom);
	c->before = *before;
	c->at = at;
	*before = NULL;
	return oom ? -1 : 0;
}

/*
 * One pass over every listed machine's runs, newest first: its latest
 * verdict, how many runs in a row it has had it, and whether it changed
 * in the last week (the verdict of its newest run before the week, else
 * of its oldest run in the week, against the latest).  A machine is
 * listed when it is in a run of the chart window (or is the --machine).
 */
static int
report_verdicts(struct history *h, const struct history_query *q,
    struct history_report *r, char *err, size_t errlen)
{
	sqlite3_stmt *st = prepare(h, "SELECT m.name, r.as_of, rm.verdict, "
	    "rm.verdict_finding, rm.agent_version FROM run_machine rm "
	    "JOIN run r ON r.id = rm.run JOIN machine m ON m.id = rm.machine "
	    "WHERE r.as_of >= ?1 AND r.as_of <= ?2 AND (?3 IS NULL AND "
	    "rm.machine IN (SELECT x.machine FROM run_machine x JOIN run y "
	    "ON y.id = x.run WHERE y.as_of >= max(?1, ?4) AND y.as_of <= ?2) "
	    "OR m.name = ?3) ORDER BY m.name, r.as_of DESC", err, errlen);
	int64_t week = r->as_of - HISTORY_CHANGE_DAYS * DAY_MS;
	size_t cap = 0, ccap = 0;
	struct history_machine *m = NULL;
	char *before = NULL;
	int streak = 0, rc, oom = 0, ret = -1, past_week = 0;
	int64_t streak_at = 0;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, q->since);
	sqlite3_bind_int64(st, 2, r->as_of);
	bind_text(st, 3, q->machine);
	sqlite3_bind_int64(st, 4, r->day - (HISTORY_CHART_DAYS - 1) * DAY_MS);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && !oom) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const char *v = (const char *)sqlite3_column_text(st, 2);
		int64_t t = sqlite3_column_int64(st, 1);

		if (name == NULL)
			continue;
		if (v == NULL)
			v = "unknown";
		if (m != NULL && strcmp(m->name, name) == 0) {
			/* an older run of the same machine */
			if (streak && strcmp(v, m->verdict) == 0) {
				m->verdict_runs++;
				streak_at = t;
			} else {
				streak = 0;
			}
			if (!past_week) {
				free(before);
				before = dup_str(v, &oom);
				past_week = t <= week;
			}
			continue;
		}
		if (m != NULL && change_add(r, &ccap, m, &before, streak_at))
			oom = 1;
		free(before);
		before = NULL;
		if (oom || grow((void **)&r->machines, &cap, r->nmachines,
		    sizeof *m) != 0) {
			oom = 1;
			break;
		}
		m = &r->machines[r->nmachines++];
		memset(m, 0, sizeof *m);
		m->failing_since = ML_TIME_NONE;
		m->name = dup_str(name, &oom);
		m->verdict = dup_str(v, &oom);
		m->verdict_finding = dup_str((const char *)
		    sqlite3_column_text(st, 3), &oom);
		m->agent_version = dup_str((const char *)
		    sqlite3_column_text(st, 4), &oom);
		m->last_run = t;
		m->verdict_runs = 1;
		streak = 1;
		streak_at = t;
		/* the latest run itself before the week: nothing to compare */
		past_week = t <= week;
	}
	if (!oom && m != NULL && change_add(r, &ccap, m, &before, streak_at))
		oom = 1;
	free(before);
	if (oom)
		snprintf(err, errlen, "%s: %s", h->path, strerror(ENOMEM));
	else if (rc != SQLITE_DONE)
		db_error(h, "cannot read", err, errlen);
	else
		ret = 0;
	sqlite3_finalize(st);
	return ret;
}

static int
report_machine_cmp(const void *a, const void *b)
{
	return strcmp(((const struct history_machine *)a)->name,
	    ((const struct history_machine *)b)->name);
}

static struct history_machine *
machine_find(struct history_report *r, const char *name, size_t *hint)
{
	struct history_machine key, *m;

	if (*hint < r->nmachines && strcmp(r->machines[*hint].name, name) == 0)
		return &r->machines[*hint];
	key.name = (char *)(uintptr_t)name;
	m = bsearch(&key, r->machines, r->nmachines, sizeof key,
	    report_machine_cmp);
	if (m != NULL)
		*hint = (size_t)(m - r->machines);
	return m;
}

/* "87.5%", or "-" without jobs. */
static void
rate_text(uint64_t ok, uint64_t jobs, char *buf, size_t len)
{
	char r[16];

	if (jobs == 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%s%%", history_rate_format(ok, jobs, r,
		    sizeof r));
}

static enum history_day
day_of(enum job_outcome o)
{
	switch (o) {
	case JOB_SUCCEEDED: return HISTORY_DAY_OK;
	case JOB_WARNINGS: return HISTORY_DAY_WARNINGS;
	case JOB_FAILED: return HISTORY_DAY_FAILED;
	case JOB_UNKNOWN: break;
	}
	return HISTORY_DAY_UNKNOWN;
}

/*
 * One pass over the backup jobs up to as_of in time order, per machine:
 * the strip (the last job of each day wins), the 7- and 30-day counts,
 * "failing since" (reset by every success), and the fleet's daily rates
 * over every machine.
 */
static int
report_jobs(struct history *h, const struct history_query *q,
    struct history_report *r, char *err, size_t errlen)
{
	sqlite3_stmt *st = prepare(h, "SELECT m.name, coalesce(j.end, "
	    "j.start) AS t, j.outcome FROM job j JOIN machine m ON m.id = "
	    "j.machine WHERE j.kind = 'backup' AND t IS NOT NULL AND "
	    "t >= ?1 AND t <= ?2 AND (?3 IS NULL OR m.name = ?3) "
	    "ORDER BY m.name, t, j.task_id", err, errlen);
	int64_t strip0 = r->day - (HISTORY_STRIP_DAYS - 1) * DAY_MS;
	int64_t chart0 = r->day - (HISTORY_CHART_DAYS - 1) * DAY_MS;
	size_t hint = 0, i;
	int rc;

	if (st == NULL)
		return -1;
	for (i = 0; i < HISTORY_CHART_DAYS; i++)
		r->daily[i].day = chart0 + (int64_t)i * DAY_MS;
	sqlite3_bind_int64(st, 1, q->since);
	sqlite3_bind_int64(st, 2, r->as_of);
	bind_text(st, 3, q->machine);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		int64_t t = sqlite3_column_int64(st, 1), d = day_start(t);
		int o = job_outcome_from_name((const char *)
		    sqlite3_column_text(st, 2));
		enum history_day dd = day_of(o < 0 ? JOB_UNKNOWN :
		    (enum job_outcome)o);
		int known = dd != HISTORY_DAY_UNKNOWN;
		int ok = dd == HISTORY_DAY_OK || dd == HISTORY_DAY_WARNINGS;
		struct history_machine *m;

		if (d >= chart0 && known) {
			struct history_rate *rt =
			    &r->daily[(d - chart0) / DAY_MS];

			rt->jobs++;
			rt->ok += (uint64_t)ok;
		}
		if (name == NULL ||
		    (m = machine_find(r, name, &hint)) == NULL)
			continue;
		if (ok)
			m->failing_since = ML_TIME_NONE;
		else if (dd == HISTORY_DAY_FAILED &&
		    m->failing_since == ML_TIME_NONE)
			m->failing_since = t;
		if (d >= strip0)
			m->strip[(d - strip0) / DAY_MS] = (unsigned char)dd;
		if (known && d >= strip0) {
			m->jobs30++;
			m->ok30 += (uint64_t)ok;
		}
		if (known && d > r->day - HISTORY_CHANGE_DAYS * DAY_MS) {
			m->jobs7++;
			m->ok7 += (uint64_t)ok;
		}
	}
	for (i = 0; i < r->nmachines; i++) {
		struct history_machine *m = &r->machines[i];
		size_t d;

		for (d = 0; d < HISTORY_STRIP_DAYS; d++)
			m->strip_text[d] = HISTORY_STRIP_LETTERS[m->strip[d]];
		m->strip_text[d] = '\0';
		rate_text(m->ok7, m->jobs7, m->rate7, sizeof m->rate7);
		rate_text(m->ok30, m->jobs30, m->rate30, sizeof m->rate30);
	}
	for (i = 0; i < HISTORY_CHART_DAYS; i++) {
		r->jobs90 += r->daily[i].jobs;
		r->ok90 += r->daily[i].ok;
		if (i >= HISTORY_CHART_DAYS - HISTORY_STRIP_DAYS) {
			r->jobs30 += r->daily[i].jobs;
			r->ok30 += r->daily[i].ok;
		}
	}
	rate_text(r->ok30, r->jobs30, r->rate30, sizeof r->rate30);
	rate_text(r->ok90, r->jobs90, r->rate90, sizeof r->rate90);
	if (rc != SQLITE_DONE)
		db_error(h, "cannot read", err, errlen);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Worst first: what needs action tops every list that is cut. */
static int
verdict_rank(const char *v)
{
	static const char *const order[] = {
		"failing", "stale", "attention", "unknown", "healthy",
	};
	size_t i;

	for (i = 0; i < sizeof order / sizeof order[0]; i++)
		if (strcmp(v, order[i]) == 0)
			return (int)i;
	return (int)i;
}

static int
worst_first_cmp(const void *a, const void *b)
{
	const struct history_machine *x = a, *y = b;
	int c = verdict_rank(x->verdict) - verdict_rank(y->verdict);

	if (c != 0)
		return c;
	if (x->verdict_runs != y->verdict_runs)
		return x->verdict_runs > y->verdict_runs ? -1 : 1;
	return strcmp(x->name, y->name);
}

struct history_report *
history_report_new(struct history *h, const struct history_query *q,
    char *err, size_t errlen)
{
	struct history_report *r = calloc(1, sizeof *r);
	struct history_query all = { NULL, ML_TIME_NONE, 0 };

	if (r == NULL) {
		snprintf(err, errlen, "%s: %s", h->path, strerror(ENOMEM));
		return NULL;
	}
	if (q == NULL)
		q = &all;
	all.machine = q->machine;
	all.since = q->since == ML_TIME_NONE ? INT64_MIN + 1 : q->since;
	r->as_of = r->first_run = ML_TIME_NONE;
	/* one read transaction: the runs, verdicts and jobs agree even
	 * while another process records */
	if (exec_sql(h, "BEGIN", "cannot read", err, errlen) != 0)
		goto fail;
	if (report_runs(h, &all, r, err, errlen) != 0)
		goto fail;
	if (q->since_ago > 0 && r->runs > 0 &&
	    r->as_of - q->since_ago > all.since) {
		all.since = r->as_of - q->since_ago;
		if (report_runs(h, &all, r, err, errlen) != 0)
			goto fail;
	}
	if (r->runs > 0) {
		r->day = day_start(r->as_of);
		if (report_verdicts(h, &all, r, err, errlen) != 0 ||
		    report_jobs(h, &all, r, err, errlen) != 0)
			goto fail;
		qsort(r->machines, r->nmachines, sizeof *r->machines,
		    worst_first_cmp);
	}
	rollback(h);
	return r;
fail:
	rollback(h);
	history_report_free(r);
	return NULL;
}
