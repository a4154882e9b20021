/* SPDX-License-Identifier: MIT */
/*
 * baseline.c -- the night-over-night diff (baseline.h).
 *
 * Machines of a finished summary are sorted by name, so the two machine
 * lists are walked side by side.  Findings are sorted by level and count,
 * so each side's error and warning findings are first sorted by
 * (machine, id) into an index array and then walked side by side too:
 * O(F log F) for F findings, whatever the fleet size.
 */
#include <stdlib.h>
#include <string.h>

#include "parsers/record.h"
#include "reports/baseline.h"
#include "reports/fleet.h"

struct diff_build {
	struct baseline_diff *d;
	size_t cap;
	int oom;
};

static struct baseline_item *
diff_add(struct diff_build *b, enum baseline_change change,
    enum baseline_subject subject, const char *machine)
{
	struct baseline_item *it;

	if (b->oom)
		return NULL;
	if (b->d->nitems == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		struct baseline_item *n = realloc(b->d->items, cap * sizeof(*n));

		if (!n) {
			b->oom = 1;
			return NULL;
		}
		b->d->items = n;
		b->cap = cap;
	}
	it = &b->d->items[b->d->nitems++];
	memset(it, 0, sizeof(*it));
	it->change = change;
	it->subject = subject;
	it->machine = machine;
	it->since_before = it->since_after = -1;
	b->d->count[change]++;
	return it;
}

static const struct summary_machine *
machine_find(const struct summary *s, const char *name)
{
	size_t lo = 0, hi = s->nmachines;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->machines[mid].name, name);

		if (c == 0)
			return &s->machines[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int
outcome_ok(enum job_outcome o)
{
	return o == JOB_SUCCEEDED || o == JOB_WARNINGS;
}

/* Staleness and last job of a machine present on both sides (m0 NULL:
 * it appeared, compared with nothing). */
static void
diff_machine(struct diff_build *b, const struct summary_machine *m0,
    const struct summary_machine *m1)
{
	const struct baseline_diff *d = b->d;
	int64_t s0 = m0 ? fleet_since(m0, d->as_of_before) : -1;
	int64_t s1 = fleet_since(m1, d->as_of_after);
	int st0 = m0 ? fleet_is_stale(s0, d->stale_after) : 0;
	int st1 = fleet_is_stale(s1, d->stale_after);
	struct baseline_item *it = NULL;

	if (st0 != st1)
		it = diff_add(b, st1 ? BASELINE_NEW : BASELINE_RESOLVED,
		    BASELINE_STALE, m1->name);
	if (it) {
		it->since_before = s0;
		it->since_after = s1;
	}
	if (!m0 || !m0->last_job_task || !m1->last_job_task)
		return;
	it = NULL;
	if (outcome_ok(m0->last_job_outcome) && m1->last_job_outcome == JOB_FAILED)
		it = diff_add(b, BASELINE_WORSE, BASELINE_LAST_JOB, m1->name);
	else if (m0->last_job_outcome == JOB_FAILED &&
	    outcome_ok(m1->last_job_outcome))
		it = diff_add(b, BASELINE_BETTER, BASELINE_LAST_JOB, m1->name);
	if (it) {
		it->outcome_before = m0->last_job_outcome;
		it->outcome_after = m1->last_job_outcome;
	}
}

static void
diff_machines(struct diff_build *b, const struct summary *s0,
    const struct summary *s1)
{
	size_t i = 0, k = 0;

	while (i < s0->nmachines || k < s1->nmachines) {
		int c = i == s0->nmachines ? 1 : k == s1->nmachines ? -1 :
		    strcmp(s0->machines[i].name, s1->machines[k].name);

		if (c < 0) {
			diff_add(b, BASELINE_VANISHED, BASELINE_MACHINE,
			    s0->machines[i++].name);
		} else if (c > 0) {
			diff_add(b, BASELINE_APPEARED, BASELINE_MACHINE,
			    s1->machines[k].name);
			diff_machine(b, NULL, &s1->machines[k++]);
		} else {
			diff_machine(b, &s0->machines[i++], &s1->machines[k++]);
		}
	}
}

static int
finding_key_cmp(const void *pa, const void *pb)
{
	const struct summary_finding *a = *(const struct summary_finding *const *)pa;
	const struct summary_finding *b = *(const struct summary_finding *const *)pb;
	int c = strcmp(a->machine, b->machine);

	return c != 0 ? c : strcmp(a->id, b->id);
}

/* The error and warning findings of s sorted by (machine, id). */
static const struct summary_finding **
findings_by_key(const struct summary *s, size_t *n)
{
	const struct summary_finding **v;
	size_t i;

	*n = 0;
	if (!(v = malloc((s->nfindings ? s->nfindings : 1) * sizeof(*v))))
		return NULL;
	for (i = 0; i < s->nfindings; i++)
		if (s->findings[i].level != CAT_LEVEL_INFO)
			v[(*n)++] = &s->findings[i];
	qsort(v, *n, sizeof(*v), finding_key_cmp);
	return v;
}

static void
diff_finding(struct diff_build *b, const struct summary_finding *f0,
    const struct summary_finding *f1)
{
	enum baseline_change c;
	struct baseline_item *it;

	if (!f0) {
		c = BASELINE_NEW;
	} else if (!f1) {
		c = BASELINE_RESOLVED;
	} else if (f1->level != f0->level) {
		c = f1->level > f0->level ? BASELINE_WORSE : BASELINE_BETTER;
	} else if (f1->count != f0->count) {
		c = f1->count > f0->count ? BASELINE_WORSE : BASELINE_BETTER;
	} else {
		return;
	}
	it = diff_add(b, c, BASELINE_FINDING, f1 ? f1->machine : f0->machine);
	if (!it)
		return;
	it->finding = f1 ? f1 : f0;
	if (f0) {
		it->count_before = f0->count;
		it->level_before = f0->level;
	}
	if (f1) {
		it->count_after = f1->count;
		it->level_after = f1->level;
	}
}

static int
diff_findings(struct diff_build *b, const struct summary *s0,
    const struct summary *s1)
{
	const struct summary_finding **v0 = NULL, **v1 = NULL;
	size_t n0, n1, i = 0, k = 0;
	int ret = -1;

	if (!(v0 = findings_by_key(s0, &n0)) || !(v1 = findings_by_key(s1, &n1)))
		goto out;
	while (i < n0 || k < n1) {
		int c = i == n0 ? 1 : k == n1 ? -1 :
		    finding_key_cmp(&v0[i], &v1[k]);

		if (c < 0) {
			/* a vanished machine's findings are not "resolved" */
			if (machine_find(s1, v0[i]->machine))
				diff_finding(b, v0[i], NULL);
			i++;
		} else if (c > 0) {
			diff_finding(b, NULL, v1[k++]);
		} else {
			diff_finding(b, v0[i++], v1[k++]);
		}
	}
	ret = 0;
out:
	free(v0);
	free(v1);
	return ret;
}

static int
item_cmp(const void *pa, const void *pb)
{
	const struct baseline_item *a = pa, *b = pb;
	enum cat_level la, lb;
	int c;

	if (a->change != b->change)
		return a->change < b->change ? -1 : 1;
	if ((c = strcmp(a->machine, b->machine)) != 0)
		return c;
	if (a->subject != b->subject)
		return a->subject < b->subject ? -1 : 1;
	if (a->subject != BASELINE_FINDING)
		return 0;
	la = a->level_after ? a->level_after : a->level_before;
	lb = b->level_after ? b->level_after : b->level_before;
	if (la != lb)
		return la > lb ? -1 : 1;
	return strcmp(a->finding->id, b->finding->id);
}

struct baseline_diff *
baseline_diff_new(const struct summary *before, int64_t as_of_before,
    const struct summary *after, int64_t as_of_after,
    double stale_after_hours)
{
	struct diff_build b = { NULL, 0, 0 };

	if (!(b.d = calloc(1, sizeof(*b.d))))
		return NULL;
	b.d->as_of_before = as_of_before != ML_TIME_NONE ? as_of_before :
	    fleet_newest_record(before);
	b.d->as_of_after = as_of_after != ML_TIME_NONE ? as_of_after :
	    fleet_newest_record(after);
	b.d->stale_after = fleet_stale_after_ms(stale_after_hours);
	diff_machines(&b, before, after);
	if (diff_findings(&b, before, after) < 0 || b.oom) {
		baseline_diff_free(b.d);
		return NULL;
	}
	if (b.d->nitems > 1)
		qsort(b.d->items, b.d->nitems, sizeof(*b.d->items), item_cmp);
	return b.d;
}

void
baseline_diff_free(struct baseline_diff *d)
{
	if (!d)
		return;
	free(d->items);
	free(d);
}

const char *
baseline_change_name(enum baseline_change c)
{
	static const char *const names[BASELINE__COUNT] = {
		"new", "worse", "vanished", "appeared", "better", "resolved",
	};

	return (unsigned)c < BASELINE__COUNT ? names[c] : "unknown";
}

const char *
baseline_subject_name(enum baseline_subject s)
{
	switch (s) {
	case BASELINE_MACHINE: return "machine";
	case BASELINE_STALE: return "stale";
	case BASELINE_LAST_JOB: return "last_job";
	case BASELINE_FINDING: break;
	}
	return "finding";
}
