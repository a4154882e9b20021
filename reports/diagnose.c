/* SPDX-License-Identifier: MIT */
/*
 * diagnose.c -- verdicts, job reasons, current findings, ranking and
 * fleet issues of a finished summary (see diagnose.h for the rules).
 *
 * Cost: a few passes over the summary's arrays plus two sorts of the
 * findings, O(n log n); nothing grows with the log size.
 */
#include <stdlib.h>
#include <string.h>

#include "parsers/hmap.h"
#include "parsers/record.h"
#include "patterns/hresult.h"
#include "reports/diagnose.h"
#include "reports/fleet.h"

#define HRESULT_PREFIX "hresult-"

/* A decoded name for an uncatalogued HRESULT that no finding row holds. */
struct pool_item {
	char *id, *title;
};

struct diag_private {
	size_t *ranked;			/* nfindings, grouped by machine */
	size_t *issue_machines;		/* nfindings, grouped by issue */
	size_t *finding_issue;		/* nfindings: index into issues
					 * before they are sorted */
	struct hmap issue_index;	/* issue id -> issues[] */
	struct pool_item *pool;
	size_t npool;
};

static const char *const verdict_names[VERDICT__COUNT] = {
	[VERDICT_HEALTHY] = "healthy",
	[VERDICT_UNKNOWN] = "unknown",
	[VERDICT_ATTENTION] = "attention",
	[VERDICT_STALE] = "stale",
	[VERDICT_FAILING] = "failing",
};

const char *
verdict_name(enum verdict v)
{
	return (unsigned)v < VERDICT__COUNT ? verdict_names[v] : "unknown";
}

/* Advice for an HRESULT the catalog does not know, in both languages. */
static const char *const unknown_hresult_text[2][CAT_LANG__COUNT] = {
	[0] = {
		"This HRESULT is not in the marslog catalog; the title is decoded from its facility and error number.",
		"该 HRESULT 不在 marslog 目录中；标题由其设施和错误号解码得到。",
	},
	[1] = {
		"Read the sample line and the log around it to see which operation failed; if it persists, give the code and the logs to Microsoft support.",
		"查看示例行及其前后的日志以了解失败的操作；如果问题持续，请将代码和日志提供给 Microsoft 支持。",
	},
};

const char *
diagnose_unknown_hresult_text(enum diag_text which, enum cat_lang lang)
{
	if (which == DIAG_TITLE || (unsigned)lang >= CAT_LANG__COUNT)
		return "";
	return unknown_hresult_text[which == DIAG_FIX][lang];
}

/* ------------------------------------------------------------ lookups */

size_t
diagnose_machine_index(const struct diagnosis *d, const char *name)
{
	size_t lo = 0, hi = d->s->nmachines;

	/* summary_finish() sorts machines by strcmp of the name */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(d->s->machines[mid].name, name);

		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return SIZE_MAX;
}

static uint64_t
id_hash(const char *id)
{
	return hmap_hash(HMAP_HASH_INIT, id, strlen(id) + 1);
}

static int
issue_eq(const void *ctx, size_t idx, const void *key)
{
	const struct diag_issue *is = ctx;

	return strcmp(is[idx].id, key) == 0;
}

const struct diag_issue *
diagnose_issue(const struct diagnosis *d, const char *id)
{
	size_t i;

	if (id == NULL)
		return NULL;
	i = hmap_find(&d->priv->issue_index, id_hash(id), issue_eq, d->issues,
	    id);
	return i == HMAP_NONE ? NULL : &d->issues[i];
}

static const char *
pool_find(const struct diagnosis *d, const char *id)
{
	size_t i;

	for (i = 0; i < d->priv->npool; i++)
		if (strcmp(d->priv->pool[i].id, id) == 0)
			return d->priv->pool[i].title;
	return NULL;
}

static const char *
row_text(const struct summary_finding *f, enum diag_text which)
{
	const char *t = which == DIAG_TITLE ? f->title :
	    which == DIAG_CAUSE ? f->cause : f->remediation;

	return t != NULL ? t : "";
}

const char *
diagnose_text(const struct diagnosis *d, const char *id, enum diag_text which)
{
	const struct catalog_entry *e;
	const struct diag_issue *is;
	const char *t;

	if (id == NULL)
		return "";
	if (d->cat != NULL && (e = catalog_find_id(d->cat, id)) != NULL)
		return which == DIAG_TITLE ? e->title[d->lang] :
		    which == DIAG_CAUSE ? e->cause[d->lang] : e->fix[d->lang];
	is = diagnose_issue(d, id);
	if (strncmp(id, HRESULT_PREFIX, sizeof HRESULT_PREFIX - 1) == 0) {
		if (which != DIAG_TITLE)
			return diagnose_unknown_hresult_text(which, d->lang);
		if (is != NULL)
			return row_text(is->first, which);
		t = pool_find(d, id);
		return t != NULL ? t : "";
	}
	return is != NULL ? row_text(is->first, which) : "";
}

/* ------------------------------------------------------------ reasons */

/* The id of an HRESULT's finding: its catalog entry (or, without a
 * catalog, the summary's row with that code), else "hresult-0x...", whose
 * decoded name goes to the pool when no row holds it.  NULL on OOM. */
static const char *
hresult_reason(struct diagnosis *d, const char *hr)
{
	const struct catalog_entry *e = NULL;
	struct pool_item *p;
	char id[64], title[256];
	size_t i;

	if (d->cat != NULL)
		e = catalog_find_code(d->cat, hr);
	if (e != NULL)
		return e->id;
	snprintf(id, sizeof id, HRESULT_PREFIX "%s", hr);
	if (d->cat == NULL)
		for (i = 0; i < d->nissues; i++)
			if (d->issues[i].first->code != NULL &&
			    strcmp(d->issues[i].first->code, hr) == 0)
				return d->issues[i].id;
	if (diagnose_issue(d, id) != NULL)
		return diagnose_issue(d, id)->id;
	for (i = 0; i < d->priv->npool; i++)
		if (strcmp(d->priv->pool[i].id, id) == 0)
			return d->priv->pool[i].id;
	p = realloc(d->priv->pool, (d->priv->npool + 1) * sizeof *p);
	if (p == NULL)
		return NULL;
	d->priv->pool = p;
	p = &p[d->priv->npool];
	hresult_describe((uint32_t)strtoul(hr + 2, NULL, 16), title,
	    sizeof title);
	p->id = strdup(id);
	p->title = strdup(title);
	if (p->id == NULL || p->title == NULL) {
		free(p->id);
		free(p->title);
		return NULL;
	}
	d->priv->npool++;
	return p->id;
}

/* Is `hr` an HRESULT as the summary writes them ("0x" + 8 hex)? */
static int
is_hresult(const char *hr)
{
	size_t i;

	if (hr == NULL || hr[0] != '0' || (hr[1] != 'x' && hr[1] != 'X'))
		return 0;
	for (i = 2; i < 10; i++)
		if (!((hr[i] >= '0' && hr[i] <= '9') ||
		    (hr[i] >= 'A' && hr[i] <= 'F') ||
		    (hr[i] >= 'a' && hr[i] <= 'f')))
			return 0;
	return hr[10] == '\0';
}

static int
job_reasons(struct diagnosis *d)
{
	size_t i;

	for (i = 0; i < d->s->njobs; i++) {
		const struct summary_job *j = &d->s->jobs[i];
		struct diag_job *dj = &d->jobs[i];

		if (j->outcome != JOB_FAILED && j->outcome != JOB_WARNINGS)
			continue;
		if (j->task_error != NULL) {
			dj->reason = j->task_error;
			dj->source = DIAG_SRC_TASK_ERROR;
		} else if (j->outcome == JOB_WARNINGS && j->task_warning != NULL) {
			dj->reason = j->task_warning;
			dj->source = DIAG_SRC_TASK_WARNING;
		} else if (is_hresult(j->hresult)) {
			dj->reason = hresult_reason(d, j->hresult);
			if (dj->reason == NULL)
				return -1;
			dj->source = DIAG_SRC_HRESULT;
		}
	}
	return 0;
}

/* ------------------------------------------------------------ ranking */

struct rank_item {
	size_t machine;			/* SIZE_MAX: no machine row */
	enum diag_class klass;
	const struct summary_finding *f;
	size_t idx;			/* into summary.findings */
};

static int
cmp_str(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "");
}

/* Within a machine: class, count descending, id. */
static int
rank_cmp(const void *pa, const void *pb)
{
	const struct rank_item *a = pa, *b = pb;

	if (a->machine != b->machine)
		return a->machine < b->machine ? -1 : 1;
	if (a->klass != b->klass)
		return a->klass < b->klass ? -1 : 1;
	if (a->f->count != b->f->count)
		return a->f->count > b->f->count ? -1 : 1;
	return cmp_str(a->f->id, b->f->id);
}

/* Grouping for issues: id, then machine (by name). */
static int
by_id_cmp(const void *pa, const void *pb)
{
	const struct rank_item *a = pa, *b = pb;
	int c = cmp_str(a->f->id, b->f->id);

	if (c != 0)
		return c;
	if (a->machine != b->machine)
		return a->machine < b->machine ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int
issue_cmp(const void *pa, const void *pb)
{
	const struct diag_issue *a = pa, *b = pb;

	if (a->klass != b->klass)
		return a->klass < b->klass ? -1 : 1;
	if (a->nmachines != b->nmachines)
		return a->nmachines > b->nmachines ? -1 : 1;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return strcmp(a->id, b->id);
}

static enum diag_class
finding_class(const struct diagnosis *d, const struct summary_finding *f,
    size_t machine, int current)
{
	if (machine != SIZE_MAX) {
		const struct diag_machine *dm = &d->machines[machine];
		const struct summary_job *lj = dm->last_job;

		if (lj != NULL && lj->outcome == JOB_FAILED &&
		    d->jobs[lj - d->s->jobs].reason != NULL &&
		    strcmp(d->jobs[lj - d->s->jobs].reason, f->id) == 0)
			return DIAG_REASON;
	}
	if (f->level == CAT_LEVEL_ERROR)
		return current ? DIAG_CURRENT_ERROR : DIAG_EARLIER_ERROR;
	if (f->level == CAT_LEVEL_WARNING)
		return current ? DIAG_CURRENT_WARNING : DIAG_EARLIER_WARNING;
	return DIAG_INFO;
}

static int
index_issues(struct diagnosis *d)
{
	size_t i;

	hmap_clear(&d->priv->issue_index);
	if (hmap_reserve(&d->priv->issue_index, d->nissues) != 0)
		return -1;
	for (i = 0; i < d->nissues; i++)
		if (hmap_insert(&d->priv->issue_index, id_hash(d->issues[i].id),
		    i) != 0)
			return -1;
	return 0;
}

/* Group the findings by id into issues (all but their class), each
 * finding's issue into d->priv->finding_issue, and index them. */
static int
group_issues(struct diagnosis *d, struct rank_item *items)
{
	const struct summary *s = d->s;
	size_t i, k, n = s->nfindings;

	for (i = 0; i < n; i++) {
		items[i].machine = diagnose_machine_index(d,
		    s->findings[i].machine);
		items[i].f = &s->findings[i];
		items[i].idx = i;
	}
	qsort(items, n, sizeof *items, by_id_cmp);
	for (i = 0; i < n; i = k) {
		struct diag_issue *is = &d->issues[d->nissues];

		is->id = items[i].f->id;
		is->first = items[i].f;
		is->level = items[i].f->level;
		is->machines = &d->priv->issue_machines[i];
		is->first_seen = is->last_seen = ML_TIME_NONE;
		for (k = i; k < n && strcmp(items[k].f->id, is->id) == 0; k++) {
			const struct summary_finding *f = items[k].f;

			d->priv->finding_issue[items[k].idx] = d->nissues;
			if (f->level > is->level)
				is->level = f->level;
			is->count += f->count;
			if (f->first_seen != ML_TIME_NONE &&
			    (is->first_seen == ML_TIME_NONE ||
			    f->first_seen < is->first_seen))
				is->first_seen = f->first_seen;
			if (f->last_seen > is->last_seen)
				is->last_seen = f->last_seen;
			if (items[k].machine != SIZE_MAX &&
			    (is->nmachines == 0 || is->machines[is->nmachines - 1] !=
			    items[k].machine))
				d->priv->issue_machines[i + is->nmachines++] =
				    items[k].machine;
		}
		d->nissues++;
	}
	return index_issues(d);
}

/* Once the reasons are known: every finding's current flag and class,
 * the machines' ranked lists, the issues' classes and their order. */
static int
rank(struct diagnosis *d, struct rank_item *items)
{
	const struct summary *s = d->s;
	size_t i, n = s->nfindings;

	for (i = 0; i < d->nissues; i++)
		d->issues[i].klass = DIAG__COUNT;
	for (i = 0; i < n; i++) {
		const struct summary_finding *f = &s->findings[i];
		size_t m = diagnose_machine_index(d, f->machine);
		struct diag_issue *is = &d->issues[d->priv->finding_issue[i]];
		int64_t ok = m != SIZE_MAX ? s->machines[m].last_success :
		    ML_TIME_NONE;
		int cur = ok == ML_TIME_NONE || f->last_seen == ML_TIME_NONE ||
		    f->last_seen > ok;

		d->findings[i].current = cur;
		d->findings[i].klass = finding_class(d, f, m, cur);
		if (d->findings[i].klass < is->klass)
			is->klass = d->findings[i].klass;
		items[i].machine = m;
		items[i].klass = d->findings[i].klass;
		items[i].f = f;
		items[i].idx = i;
	}
	qsort(items, n, sizeof *items, rank_cmp);
	for (i = 0; i < n; i++) {
		d->priv->ranked[i] = items[i].idx;
		if (items[i].machine == SIZE_MAX)
			continue;
		if (d->machines[items[i].machine].nranked++ == 0)
			d->machines[items[i].machine].ranked = &d->priv->ranked[i];
	}
	qsort(d->issues, d->nissues, sizeof *d->issues, issue_cmp);
	return index_issues(d);
}

/* ----------------------------------------------------------- verdicts */

/* The machine's first ranked finding of a class in [lo, hi], or NULL. */
static const char *
first_of(const struct diagnosis *d, const struct diag_machine *dm,
    enum diag_class lo, enum diag_class hi)
{
	size_t i;

	for (i = 0; i < dm->nranked; i++) {
		enum diag_class c = d->findings[dm->ranked[i]].klass;

		if (c >= lo && c <= hi)
			return d->s->findings[dm->ranked[i]].id;
	}
	return NULL;
}

/* Unknown ERROR/FATAL lines (templates) seen after each machine's last
 * success: errors the catalog cannot name still need attention. */
static void
unknown_errors(struct diagnosis *d)
{
	size_t i, m;

	for (i = 0; i < d->s->ntemplates; i++) {
		const struct summary_template *t = &d->s->templates[i];
		int64_t ok;

		if (t->level != CAT_LEVEL_ERROR ||
		    (m = diagnose_machine_index(d, t->machine)) == SIZE_MAX)
			continue;
		ok = d->s->machines[m].last_success;
		if (ok == ML_TIME_NONE || t->last_seen == ML_TIME_NONE ||
		    t->last_seen > ok)
			d->machines[m].unknown_errors_current += t->count;
	}
}

static void
verdict(struct diagnosis *d, struct diag_machine *dm)
{
	const struct summary_job *lj = dm->last_job;
	const char *reason = lj != NULL ? d->jobs[lj - d->s->jobs].reason :
	    NULL;
	const char *err = first_of(d, dm, DIAG_REASON, DIAG_CURRENT_ERROR);

	if (lj == NULL) {
		dm->verdict = VERDICT_UNKNOWN;
		dm->verdict_finding = first_of(d, dm, DIAG_REASON,
		    DIAG_CURRENT_WARNING);
	} else if (lj->outcome == JOB_FAILED) {
		dm->verdict = VERDICT_FAILING;
		dm->verdict_finding = reason;
	} else if (dm->stale) {
		dm->verdict = VERDICT_STALE;
		dm->verdict_finding = first_of(d, dm, DIAG_REASON,
		    DIAG_CURRENT_WARNING);
	} else if (lj->outcome == JOB_WARNINGS) {
		dm->verdict = VERDICT_ATTENTION;
		dm->verdict_finding = reason != NULL ? reason : err;
	} else if (err != NULL || dm->unknown_errors_current > 0) {
		dm->verdict = VERDICT_ATTENTION;
		dm->verdict_finding = err;
	} else {
		dm->verdict = VERDICT_HEALTHY;
		dm->verdict_finding = NULL;
	}
}

/* The machine's last job (summary_machine.last_job_task) for each machine. */
static void
last_jobs(struct diagnosis *d)
{
	size_t i, m;

	for (i = 0; i < d->s->njobs; i++) {
		const struct summary_job *j = &d->s->jobs[i];

		m = diagnose_machine_index(d, j->machine);
		if (m != SIZE_MAX && d->s->machines[m].last_job_task != NULL &&
		    strcmp(d->s->machines[m].last_job_task, j->task_id) == 0)
			d->machines[m].last_job = j;
	}
}

/* ------------------------------------------------------------- counts */

static void
count_level(struct diag_counts *c, const struct summary_finding *f,
    int current)
{
	if (f->level == CAT_LEVEL_ERROR) {
		c->findings_error++;
		c->errors_in_findings += f->count;
	} else if (f->level == CAT_LEVEL_WARNING) {
		c->findings_warning++;
		c->warnings_in_findings += f->count;
	} else {
		c->findings_info++;
	}
	c->findings_current += current != 0;
}

static void
count_job(struct diag_counts *c, const struct summary_job *j)
{
	c->jobs++;
	c->jobs_failed += j->outcome == JOB_FAILED;
	c->jobs_warnings += j->outcome == JOB_WARNINGS;
}

/* The rest of errors (warnings) that no finding holds; never negative. */
static void
count_rest(struct diag_counts *c, uint64_t errors, uint64_t warnings)
{
	c->errors = errors;
	c->warnings = warnings;
	c->errors_unrecognised = errors > c->errors_in_findings ?
	    errors - c->errors_in_findings : 0;
	c->warnings_unrecognised = warnings > c->warnings_in_findings ?
	    warnings - c->warnings_in_findings : 0;
}

static void
counts(struct diagnosis *d)
{
	const struct summary *s = d->s;
	struct diag_counts *t = &d->totals;
	size_t i, m;

	for (i = 0; i < s->nfindings; i++) {
		m = diagnose_machine_index(d, s->findings[i].machine);
		count_level(t, &s->findings[i], d->findings[i].current);
		if (m != SIZE_MAX)
			count_level(&d->machines[m].counts, &s->findings[i],
			    d->findings[i].current);
	}
	for (i = 0; i < s->njobs; i++) {
		m = diagnose_machine_index(d, s->jobs[i].machine);
		count_job(t, &s->jobs[i]);
		if (m != SIZE_MAX)
			count_job(&d->machines[m].counts, &s->jobs[i]);
	}
	for (i = 0; i < s->nfailed_files; i++) {
		m = diagnose_machine_index(d, s->failed_files[i].machine);
		t->failed_files += s->failed_files[i].count;
		t->failed_file_rows++;
		if (m != SIZE_MAX) {
			d->machines[m].counts.failed_files +=
			    s->failed_files[i].count;
			d->machines[m].counts.failed_file_rows++;
		}
	}
	for (m = 0; m < s->nmachines; m++) {
		count_rest(&d->machines[m].counts, s->machines[m].errors,
		    s->machines[m].warnings);
		t->machines[d->machines[m].verdict]++;
	}
	count_rest(t, s->totals.errors, s->totals.warnings);
}

/* ---------------------------------------------------------- lifecycle */

struct diagnosis *
diagnose_new(const struct summary *s, const struct catalog *cat,
    const struct report_options *o)
{
	struct diagnosis *d = calloc(1, sizeof *d);
	struct rank_item *items = NULL;
	size_t i, n = s->nfindings ? s->nfindings : 1;

	if (d == NULL)
		return NULL;
	d->s = s;
	d->cat = cat;
	d->lang = o != NULL && (unsigned)o->lang < CAT_LANG__COUNT ? o->lang :
	    CAT_LANG_EN;
	d->as_of = fleet_as_of(s, o);
	d->stale_after = fleet_stale_after_ms(fleet_stale_after_hours(o));
	d->priv = calloc(1, sizeof *d->priv);
	d->machines = calloc(s->nmachines ? s->nmachines : 1,
	    sizeof *d->machines);
	d->jobs = calloc(s->njobs ? s->njobs : 1, sizeof *d->jobs);
	d->findings = calloc(n, sizeof *d->findings);
	items = calloc(n, sizeof *items);
	if (d->priv == NULL || d->machines == NULL || d->jobs == NULL ||
	    d->findings == NULL || items == NULL)
		goto fail;
	d->priv->ranked = calloc(n, sizeof *d->priv->ranked);
	d->priv->issue_machines = calloc(n, sizeof *d->priv->issue_machines);
	d->priv->finding_issue = calloc(n, sizeof *d->priv->finding_issue);
	d->issues = calloc(n, sizeof *d->issues);
	if (d->priv->ranked == NULL || d->priv->issue_machines == NULL ||
	    d->priv->finding_issue == NULL || d->issues == NULL)
		goto fail;
	for (i = 0; i < s->nmachines; i++) {
		struct diag_machine *dm = &d->machines[i];

		dm->m = &s->machines[i];
		dm->since = fleet_since(dm->m, d->as_of);
		dm->stale = fleet_is_stale(dm->since, d->stale_after);
	}
	last_jobs(d);
	/* Issues first (an HRESULT reason looks for its row), then the
	 * reasons (the first class needs them), then the ranking. */
	if (group_issues(d, items) != 0 || job_reasons(d) != 0 ||
	    rank(d, items) != 0)
		goto fail;
	unknown_errors(d);
	for (i = 0; i < s->nmachines; i++)
		verdict(d, &d->machines[i]);
	counts(d);
	free(items);
	return d;
fail:
	free(items);
	diagnose_free(d);
	return NULL;
}

void
diagnose_free(struct diagnosis *d)
{
	size_t i;

	if (d == NULL)
		return;
	if (d->priv != NULL) {
		free(d->priv->ranked);
		free(d->priv->issue_machines);
		free(d->priv->finding_issue);
		hmap_release(&d->priv->issue_index);
		for (i = 0; i < d->priv->npool; i++) {
			free(d->priv->pool[i].id);
			free(d->priv->pool[i].title);
		}
		free(d->priv->pool);
		free(d->priv);
	}
	free(d->machines);
	free(d->jobs);
	free(d->findings);
	free(d->issues);
	free(d);
}
