/* SPDX-License-Identifier: MIT */
/*
 * jobs.c -- jobs from task GUIDs and milestones (see jobs.h).
 *
 * Per record the cost is one comparison with the previous record's task
 * (lines come in runs of one task) and, for a new task, one hash lookup;
 * milestones are recognised by their first byte before any memcmp.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/jobs.h"
#include "parsers/hmap.h"

#define TASKS_MAX	(1u << 20) /* distinct task GUIDs timed */
#define GUID_MAX	40
#define DAY_MS		86400000LL

/* First and last line of a task GUID, and its latest failure: a job's
 * HRESULT is usually logged on a WARNING line before the "Backup
 * Progress: Failed" milestone, possibly in an earlier file. */
struct task_time {
	const char *machine;		/* one of the tracker's machine names */
	char task[GUID_MAX];
	int64_t first, last;
	int64_t fail_time;		/* NONE: no failure line seen */
	char fail_hr[16];		/* "0x80070005" */
	/* The catalog entries of error and warning level last seen on the
	 * task (the catalog outlives the tracker), for the job's reason. */
	const struct catalog_entry *err, *warn;
	int64_t err_time, warn_time;
};

struct task_key {
	const char *machine, *task;
};

struct job_tracker {
	char **machines;		/* interned machine names */
	size_t nmachines, cmachines;
	struct hmap machine_index;	/* name -> index in machines */
	struct task_time *tasks;
	size_t ntasks, ctasks;
	struct hmap task_index;
	size_t task_last;		/* the previous record's task, or NONE */
	const char *last_machine;	/* caller's machine string of task_last */
	char job_task[GUID_MAX];	/* job_ptr belongs to this task ... */
	const char *job_machine;	/* ... of this machine */
	struct summary_job *job_ptr;	/* valid until the next job_get */
};

struct milestone {
	const char *prefix;
	enum job_kind kind;
};

/* Restore wording is inferred from the backup one. */
static const struct milestone milestones[] = {
	{ "Backup Progress:", JOB_BACKUP },
	{ "Offline Backup Progress:", JOB_BACKUP },
	{ "Recovery Progress:", JOB_RESTORE },
	{ "Restore Progress:", JOB_RESTORE },
};

struct job_tracker *
job_tracker_new(void)
{
	struct job_tracker *t = calloc(1, sizeof *t);

	if (t != NULL)
		t->task_last = HMAP_NONE;
	return t;
}

void
job_tracker_free(struct job_tracker *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nmachines; i++)
		free(t->machines[i]);
	free(t->machines);
	hmap_release(&t->machine_index);
	free(t->tasks);
	hmap_release(&t->task_index);
	free(t);
}

void
job_tracker_reset(struct job_tracker *t)
{
	t->task_last = HMAP_NONE;
	t->last_machine = NULL;
	t->job_ptr = NULL;
}

static int
machine_eq(const void *ctx, size_t idx, const void *key)
{
	return strcmp(((char *const *)ctx)[idx], key) == 0;
}

/* The tracker's own copy of a machine name, found through a hash index
 * (a fleet run may have hundreds of thousands of machines). */
static const char *
intern(struct job_tracker *t, const char *machine)
{
	uint64_t h = hmap_hash(HMAP_HASH_INIT, machine, strlen(machine) + 1);
	size_t i = hmap_find(&t->machine_index, h, machine_eq, t->machines,
	    machine);
	char **m, *copy;

	if (i != HMAP_NONE)
		return t->machines[i];
	if (t->nmachines == t->cmachines) {
		size_t c = t->cmachines ? 2 * t->cmachines : 16;

		if ((m = realloc(t->machines, c * sizeof *m)) == NULL)
			return NULL;
		t->machines = m;
		t->cmachines = c;
	}
	m = t->machines;
	if ((copy = strdup(machine)) == NULL)
		return NULL;
	if (hmap_insert(&t->machine_index, h, t->nmachines) < 0) {
		free(copy);
		return NULL;
	}
	m[t->nmachines] = copy;
	return m[t->nmachines++];
}

/* ------------------------------------------------------------ task times */

static int
task_eq(const void *ctx, size_t idx, const void *key)
{
	const struct task_time *t = &((const struct task_time *)ctx)[idx];
	const struct task_key *k = key;

	return strcmp(t->machine, k->machine) == 0 &&
	    strcmp(t->task, k->task) == 0;
}

static uint64_t
task_hash(const struct task_key *k)
{
	return hmap_hash(hmap_hash(HMAP_HASH_INIT, k->machine,
	    strlen(k->machine) + 1), k->task, strlen(k->task) + 1);
}

/* Find or add (machine, task); `machine` must be interned.  HMAP_NONE when
 * the table is full or on OOM. */
static size_t
task_slot(struct job_tracker *t, const char *machine, const char *task)
{
	struct task_key k = { machine, task };
	uint64_t h = task_hash(&k);
	size_t i = hmap_find(&t->task_index, h, task_eq, t->tasks, &k);
	struct task_time *tt;

	if (i != HMAP_NONE || t->ntasks >= TASKS_MAX)
		return i;
	if (t->ntasks == t->ctasks) {
		size_t c = t->ctasks ? 2 * t->ctasks : 256;

		tt = realloc(t->tasks, c * sizeof *tt);
		if (tt == NULL)
			return HMAP_NONE;
		t->tasks = tt;
		t->ctasks = c;
	}
	i = t->ntasks;
	tt = &t->tasks[i];
	tt->machine = machine;
	snprintf(tt->task, sizeof tt->task, "%s", task);
	tt->first = tt->last = tt->fail_time = ML_TIME_NONE;
	tt->fail_hr[0] = '\0';
	tt->err = tt->warn = NULL;
	tt->err_time = tt->warn_time = ML_TIME_NONE;
	if (hmap_insert(&t->task_index, h, i) != 0)
		return HMAP_NONE;
	t->ntasks++;
	return i;
}

static void
task_widen(struct task_time *tt, int64_t first, int64_t last)
{
	if (first != ML_TIME_NONE && (tt->first == ML_TIME_NONE || first < tt->first))
		tt->first = first;
	if (last != ML_TIME_NONE && (tt->last == ML_TIME_NONE || last > tt->last))
		tt->last = last;
}

/* The task slot of r (added if new) with its times widened; NULL when
 * the table is full or on OOM (*oom set). */
static struct task_time *
note_task(struct job_tracker *t, const char *machine,
    const struct errlog_record *r, int *oom)
{
	char task[GUID_MAX];
	size_t i = t->task_last;
	struct task_time *tt;

	if (i != HMAP_NONE) {
		tt = &t->tasks[i];
		/* Within one input the caller's machine string is the same
		 * pointer; job_tracker_reset() forgets it between inputs. */
		if ((machine == t->last_machine || strcmp(tt->machine, machine) == 0) &&
		    memcmp(tt->task, r->task.p, r->task.n) == 0 &&
		    tt->task[r->task.n] == '\0')
			goto widen;
	}
	memcpy(task, r->task.p, r->task.n);
	task[r->task.n] = '\0';
	t->last_machine = machine;
	machine = intern(t, machine);
	if (machine == NULL) {
		*oom = 1;
		return NULL;
	}
	i = task_slot(t, machine, task);
	t->task_last = i;
	if (i == HMAP_NONE) {
		*oom = t->ntasks < TASKS_MAX;
		return NULL;
	}
	tt = &t->tasks[i];
widen:
	task_widen(tt, r->time, r->time);
	return tt;
}

/* Keep the later of two failures (ties: the larger code), so that the
 * result does not depend on the order files were read in. */
static void
task_fail(struct task_time *tt, int64_t time, const char *hr)
{
	if (tt->fail_time == ML_TIME_NONE || time > tt->fail_time ||
	    (time == tt->fail_time && strcmp(hr, tt->fail_hr) > 0)) {
		tt->fail_time = time;
		snprintf(tt->fail_hr, sizeof tt->fail_hr, "%s", hr);
	}
}

/* Keep the later of two catalog entries seen on a task (ties: the larger
 * id): the rule of summary_merge(), so the order files and ranges are
 * read in does not matter. */
static void
task_entry(const struct catalog_entry **slot, int64_t *slot_time,
    const struct catalog_entry *e, int64_t time)
{
	if (e == NULL)
		return;
	if (*slot == NULL || time > *slot_time ||
	    (time == *slot_time && strcmp(e->id, (*slot)->id) > 0)) {
		*slot = e;
		*slot_time = time;
	}
}

/* A classified record on the task: remember its entry by level. */
static void
task_finding(struct task_time *tt, const struct catalog_entry *e,
    int64_t time)
{
	if (e->level == CAT_LEVEL_ERROR)
		task_entry(&tt->err, &tt->err_time, e, time);
	else if (e->level == CAT_LEVEL_WARNING)
		task_entry(&tt->warn, &tt->warn_time, e, time);
}

int
job_tracker_merge(struct job_tracker *dst, const struct job_tracker *src)
{
	size_t i, k;

	for (i = 0; i < src->ntasks; i++) {
		const struct task_time *tt = &src->tasks[i];
		const char *machine = intern(dst, tt->machine);

		if (machine == NULL)
			return -1;
		k = task_slot(dst, machine, tt->task);
		if (k == HMAP_NONE) {
			if (dst->ntasks >= TASKS_MAX)
				continue;
			return -1;
		}
		task_widen(&dst->tasks[k], tt->first, tt->last);
		if (tt->fail_time != ML_TIME_NONE)
			task_fail(&dst->tasks[k], tt->fail_time, tt->fail_hr);
		task_entry(&dst->tasks[k].err, &dst->tasks[k].err_time,
		    tt->err, tt->err_time);
		task_entry(&dst->tasks[k].warn, &dst->tasks[k].warn_time,
		    tt->warn, tt->warn_time);
	}
	dst->task_last = HMAP_NONE;
	return 0;
}

/* ------------------------------------------------------------ failures */

/* The HRESULT of a failure line: the classified code when it is one, else
 * the first "0x" + 8 hex digits (a line such as "Failed: Hr: =
 * [0x80070070] SalLowDiskSpace ..." classifies by its name).  0 if none. */
static int
failure_hresult(const struct errlog_record *r, const struct classification *c,
    char *out, size_t len)
{
	const char *p = r->message.p, *end = p + r->message.n;
	int i;

	if (c != NULL && c->kind == CODE_HRESULT) {
		snprintf(out, len, "%.10s", c->code);
		return 1;
	}
	while ((p = memchr(p, 'x', (size_t)(end - p))) != NULL) {
		if (p > r->message.p && p[-1] == '0' && end - p > 8) {
			for (i = 1; i <= 8 && isxdigit((unsigned char)p[i]); i++)
				;
			if (i == 9 && (p + 9 == end ||
			    !isxdigit((unsigned char)p[9]))) {
				snprintf(out, len, "0x%.8s", p + 1);
				for (i = 2; out[i] != '\0'; i++)
					out[i] = (char)toupper((unsigned char)out[i]);
				return 1;
			}
		}
		p++;
	}
	return 0;
}

/* ---------------------------------------------------------- milestones */

/* A milestone at the start of the message; with `search` (WARNING and
 * above) also inside it, as in "Failed: Hr: = [0x80780054] Offline Backup
 * Progress: Failed".  *rest is the offset of the step after the colon.
 * Every prefix ends in "Progress:", so the search looks for that once
 * and checks what precedes it; the table's first prefix found anywhere
 * wins, at its first place. */
static const struct milestone *
milestone_of(const char *msg, size_t n, int search, size_t *rest)
{
	static const char tail[] = "Progress:";
	const size_t nm = sizeof milestones / sizeof milestones[0];
	const char *q, *end = msg + n, *at = NULL;
	size_t i, k, best = nm;

	if (n < 16 || (!search && msg[0] != 'B' && msg[0] != 'O' &&
	    msg[0] != 'R'))
		return NULL;
	for (i = 0; i < nm; i++) {
		k = strlen(milestones[i].prefix);
		if (n >= k && memcmp(msg, milestones[i].prefix, k) == 0) {
			best = i;
			at = msg;
			break;
		}
	}
	for (q = msg; search && best > 0 &&
	    (q = memmem(q, (size_t)(end - q), tail, sizeof tail - 1)) != NULL;
	    q++) {
		for (i = 0; i < best; i++) {
			k = strlen(milestones[i].prefix);
			if ((size_t)(q - msg) + sizeof tail - 1 >= k &&
			    memcmp(q + sizeof tail - 1 - k, milestones[i].prefix,
			    k) == 0) {
				best = i;
				at = q + sizeof tail - 1 - k;
				break;
			}
		}
	}
	if (best == nm)
		return NULL;
	k = strlen(milestones[best].prefix) + (size_t)(at - msg);
	while (k < n && msg[k] == ' ')
		k++;
	*rest = k;
	return &milestones[best];
}

/* The outcome with the latest time wins; on equal times the worse one,
 * then the larger code (NULL smallest): the rule of summary_merge(), so
 * that one thread and several give the same job.  The HRESULT goes with
 * the outcome, so a later success clears an earlier failure's code. */
static int
set_outcome(struct summary_job *j, enum job_outcome o, int64_t time,
    const char *hr)
{
	int c = (time > j->outcome_time) - (time < j->outcome_time);

	if (c == 0)
		c = (o > j->outcome) - (o < j->outcome);
	if (c == 0)
		c = hr == NULL || j->hresult == NULL ?
		    (hr != NULL) - (j->hresult != NULL) : strcmp(hr, j->hresult);
	if (c <= 0)
		return 0;
	j->outcome = o;
	j->outcome_time = time;
	return summary_set_str(&j->hresult, hr);
}

int
job_tracker_record(struct job_tracker *t, struct summary *s,
    const char *machine, const struct errlog_record *r,
    const struct classification *c)
{
	const struct milestone *m;
	struct task_time *tt = NULL;
	struct summary_job *j;
	char task[GUID_MAX], hr[16];
	size_t rest = 0, n;
	int created = 0, oom = 0;

	if (r->task.n == 0 || r->task.n >= sizeof task)
		return 0;
	if (r->time != ML_TIME_NONE) {
		tt = note_task(t, machine, r, &oom);
		if (oom)
			return -1;
		if (tt != NULL && c != NULL && c->entry != NULL)
			task_finding(tt, c->entry, r->time);
	}
	m = milestone_of(r->message.p, r->message.n,
	    r->level >= ML_LEVEL_WARNING, &rest);
	if (m == NULL) {
		if (tt != NULL && r->level >= ML_LEVEL_WARNING &&
		    failure_hresult(r, c, hr, sizeof hr))
			task_fail(tt, r->time, hr);
		return 0;
	}
	memcpy(task, r->task.p, r->task.n);
	task[r->task.n] = '\0';
	if (t->job_ptr != NULL && strcmp(t->job_machine, machine) == 0 &&
	    strcmp(t->job_task, task) == 0) {
		j = t->job_ptr;
	} else {
		j = summary_job_get(s, machine, task, &created);
		if (j == NULL)
			return -1;
		if (created)
			j->kind = m->kind;
		memcpy(t->job_task, task, r->task.n + 1);
		t->job_machine = j->machine;
		t->job_ptr = j;
	}
	if (r->time != ML_TIME_NONE) {
		if (j->start == ML_TIME_NONE || r->time < j->start)
			j->start = r->time;
		if (j->end == ML_TIME_NONE || r->time > j->end)
			j->end = r->time;
	}
	n = r->message.n - rest;
	if (n >= 9 && memcmp(r->message.p + rest, "Succeeded", 9) == 0) {
		if (set_outcome(j, JOB_SUCCEEDED, r->time, NULL) != 0)
			return -1;
	} else if (n >= 6 && memcmp(r->message.p + rest, "Failed", 6) == 0) {
		/* Without a code on this line, job_tracker_apply() takes the
		 * task's last failure once the whole run is known. */
		if (set_outcome(j, JOB_FAILED, r->time,
		    failure_hresult(r, c, hr, sizeof hr) ? hr : NULL) != 0)
			return -1;
		return 2;
	}
	return 1;
}

/* ------------------------------------------------------------- the run */

/* Backup jobs with an end, by machine then end then summary order, for
 * attach_failed_lists. */
static _Thread_local const struct summary *sort_jobs;

static int
end_cmp(const void *pa, const void *pb)
{
	const struct summary_job *a = &sort_jobs->jobs[*(const size_t *)pa];
	const struct summary_job *b = &sort_jobs->jobs[*(const size_t *)pb];
	int c = strcmp(a->machine, b->machine);

	if (c != 0)
		return c;
	if (a->end != b->end)
		return a->end < b->end ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* First index of v[0..n) whose job is after (machine, end) in end_cmp's
 * order, ignoring the summary position. */
static size_t
end_upper(const struct summary *s, const size_t *v, size_t n,
    const char *machine, int64_t end)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct summary_job *j = &s->jobs[v[mid]];
		int c = strcmp(j->machine, machine);

		if (c < 0 || (c == 0 && j->end <= end))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * A LastBackupFailedFiles list is written when its job ends: it belongs
 * to the machine's backup job with the latest end at most 10 minutes
 * after the list's time and at most a day before it (the first such job
 * in summary order on a tie).  Jobs are sorted once and each list does a
 * binary search: O((J + L) log J), not J x L.  Without memory for the
 * index the lists stay unattached (counts only).
 */
static void
attach_failed_lists(struct summary *s)
{
	size_t *v = malloc((s->njobs ? s->njobs : 1) * sizeof *v);
	size_t n = 0, i, k;

	if (v == NULL)
		return;
	for (k = 0; k < s->njobs; k++)
		if (s->jobs[k].kind == JOB_BACKUP &&
		    s->jobs[k].end != ML_TIME_NONE)
			v[n++] = k;
	sort_jobs = s;
	qsort(v, n, sizeof *v, end_cmp);
	for (i = 0; i < s->ninputs; i++) {
		const struct summary_input *in = &s->inputs[i];
		struct summary_job *best;
		int64_t e, after = 10 * 60000;

		if (in->kind != INPUT_FAILED_FILES || in->records == 0 ||
		    in->mtime == ML_TIME_NONE || in->mtime < INT64_MIN + DAY_MS)
			continue;
		k = end_upper(s, v, n, in->machine, in->mtime > INT64_MAX - after ?
		    INT64_MAX : in->mtime + after);
		if (k == 0 || strcmp(s->jobs[v[k - 1]].machine,
		    in->machine) != 0)
			continue;
		e = s->jobs[v[k - 1]].end;
		if (e < in->mtime - DAY_MS)
			continue;
		/* the first job in summary order with that end */
		k = end_upper(s, v, n, in->machine, e - 1);
		best = &s->jobs[v[k]];
		best->failed_files = summary_count_add(best->failed_files,
		    in->records);
		if (best->outcome == JOB_SUCCEEDED)
			best->outcome = JOB_WARNINGS;
	}
	free(v);
}

static int
apply_task_findings(struct summary *s, struct summary_job *j,
    const struct task_time *tt)
{
	int oom = 0;

	if (tt->err != NULL) {
		j->task_error = summary_intern(s, tt->err->id, &oom);
		j->task_error_time = tt->err_time;
	}
	if (tt->warn != NULL && !oom) {
		j->task_warning = summary_intern(s, tt->warn->id, &oom);
		j->task_warning_time = tt->warn_time;
	}
	return oom ? -1 : 0;
}

void
job_tracker_apply(const struct job_tracker *t, struct summary *s)
{
	size_t k;

	for (k = 0; t != NULL && k < s->njobs; k++) {
		struct summary_job *j = &s->jobs[k];
		struct task_key key = { j->machine, j->task_id };
		size_t x = hmap_find(&t->task_index, task_hash(&key), task_eq,
		    t->tasks, &key);

		if (x == HMAP_NONE)
			continue;
		if (t->tasks[x].first != ML_TIME_NONE && (j->start == ML_TIME_NONE ||
		    t->tasks[x].first < j->start))
			j->start = t->tasks[x].first;
		if (t->tasks[x].last != ML_TIME_NONE && (j->end == ML_TIME_NONE ||
		    t->tasks[x].last > j->end))
			j->end = t->tasks[x].last;
		/* On OOM the job only lacks a reason. */
		(void)apply_task_findings(s, j, &t->tasks[x]);
		if (j->outcome == JOB_FAILED && j->hresult == NULL &&
		    t->tasks[x].fail_time != ML_TIME_NONE &&
		    (j->outcome_time == ML_TIME_NONE ||
		    t->tasks[x].fail_time <= j->outcome_time))
			(void)summary_set_str(&j->hresult, t->tasks[x].fail_hr);
	}
	attach_failed_lists(s);
}
