/* SPDX-License-Identifier: MIT */
/*
 * view.c -- the report view (view.h): every decision about what a report
 * shows, made once for all writers.
 *
 * Each section has one function sec_NAME() that adds it; view_new()
 * calls them in report order.  Row limits come from the medium
 * (row_limit()).  Everything is integer arithmetic over the finished
 * summary, so the same summary and options give the same view.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/record.h"
#include "reports/baseline.h"
#include "reports/fleet.h"
#include "reports/history.h"
#include "reports/text.h"
#include "reports/view.h"

#define HOUR_MS INT64_C(3600000)
#define DAY_MS (24 * HOUR_MS)
#define CHART_HOURLY_MAX 72	/* hours: hourly bars up to this span */
#define CHART_MAX_BINS 400

struct view_build {
	struct view *v;
	const struct summary *s;
	const struct report_options *o;
	const struct diagnosis *d;
	struct fleet *fleet;
	size_t *order;		/* machine indexes, most urgent first */
	int oom;
};

/* ------------------------------------------------------------ helpers */

static size_t
row_limit(const struct view_build *b, size_t term)
{
	switch (b->v->medium) {
	case VIEW_TERM: return term;
	case VIEW_HTML: return VIEW_HTML_ROWS;
	case VIEW_XLSX: break;
	}
	return SIZE_MAX;
}

/* Add a section with these columns; NULL on OOM.  The pointer is valid
 * until the next sec_add(). */
static struct view_section *
sec_add(struct view_build *b, enum view_sec id, enum view_kind kind,
    const char *anchor, enum msg_id title, const struct view_col *cols,
    size_t ncols)
{
	struct view *v = b->v;
	struct view_section *sec;

	if (b->oom)
		return NULL;
	if (v->nsecs == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		struct view_section *p = realloc(v->secs, cap * sizeof(*p));

		if (p == NULL) {
			b->oom = 1;
			return NULL;
		}
		v->secs = p;
		v->cap = cap;
	}
	sec = &v->secs[v->nsecs];
	memset(sec, 0, sizeof(*sec));
	if (ncols > 0) {
		sec->cols = malloc(ncols * sizeof(*cols));
		if (sec->cols == NULL) {
			b->oom = 1;
			return NULL;
		}
		memcpy(sec->cols, cols, ncols * sizeof(*cols));
	}
	v->nsecs++;
	sec->id = id;
	sec->kind = kind;
	sec->anchor = anchor;
	sec->title = title;
	sec->ncols = ncols;
	sec->has_total = 1;
	return sec;
}

/* A new zeroed row; its cells, or NULL on OOM. */
static struct view_cell *
row_add(struct view_build *b, struct view_section *sec, enum view_tone tone)
{
	if (b->oom || sec == NULL)
		return NULL;
	if (sec->nrows == sec->cap) {
		size_t cap = sec->cap ? sec->cap * 2 : 8;
		struct view_cell *c = realloc(sec->cells,
		    cap * sec->ncols * sizeof(*c));
		enum view_tone *t;

		if (c == NULL) {
			b->oom = 1;
			return NULL;
		}
		sec->cells = c;
		t = realloc(sec->row_tone, cap * sizeof(*t));
		if (t == NULL) {
			b->oom = 1;
			return NULL;
		}
		sec->row_tone = t;
		sec->cap = cap;
	}
	sec->row_tone[sec->nrows] = tone;
	memset(&sec->cells[sec->nrows * sec->ncols], 0,
	    sec->ncols * sizeof(*sec->cells));
	return &sec->cells[sec->nrows++ * sec->ncols];
}

static void
set_label(struct view_cell *c, enum msg_id msg, enum view_tone tone)
{
	c->type = VIEW_T_LABEL;
	c->msg = msg;
	c->tone = tone;
}

static void
set_text(struct view_cell *c, enum view_type type, const char *text)
{
	if (text == NULL)
		return;
	c->type = type;
	c->text = text;
}

static void
set_num(struct view_cell *c, enum view_type type, int64_t num)
{
	c->type = type;
	c->num = num;
}

static void
set_count(struct view_cell *c, uint64_t n, enum view_tone tone)
{
	c->type = VIEW_T_COUNT;
	c->count = n;
	c->tone = n > 0 ? tone : VIEW_TONE_NONE;
}

/* Catalog text of finding/entry `ref`, the summary's text as fallback. */
static void
set_cat(struct view_cell *c, const char *ref, enum view_field field,
    const char *fallback)
{
	if (ref == NULL && fallback == NULL)
		return;
	c->type = VIEW_T_CATALOG;
	c->ref = ref;
	c->field = field;
	c->text = fallback;
}

static void
set_finding(struct view_cell *code, struct view_cell *title,
    const struct summary_finding *f)
{
	if (f == NULL)
		return;
	if (code != NULL) {
		set_text(code, VIEW_T_CODE, f->code != NULL ? f->code : f->id);
		code->tone = view_tone_level(f->level);
	}
	if (title != NULL)
		set_cat(title, f->id, VIEW_F_TITLE, f->title);
}

enum view_tone
view_tone_level(enum cat_level l)
{
	return l == CAT_LEVEL_ERROR ? VIEW_TONE_BAD :
	    l == CAT_LEVEL_WARNING ? VIEW_TONE_WARN : VIEW_TONE_INFO;
}

enum view_tone
view_tone_outcome(enum job_outcome o)
{
	switch (o) {
	case JOB_FAILED: return VIEW_TONE_BAD;
	case JOB_WARNINGS: return VIEW_TONE_WARN;
	case JOB_SUCCEEDED: return VIEW_TONE_GOOD;
	case JOB_UNKNOWN: break;
	}
	return VIEW_TONE_MUTED;
}

static void
set_outcome(struct view_cell *c, enum job_outcome o)
{
	set_label(c, o == JOB_SUCCEEDED ? MSG_OUTCOME_SUCCEEDED :
	    o == JOB_FAILED ? MSG_OUTCOME_FAILED : o == JOB_WARNINGS ?
	    MSG_OUTCOME_WARNINGS : MSG_OUTCOME_UNKNOWN, view_tone_outcome(o));
}

static void
set_level(struct view_cell *c, enum cat_level l)
{
	set_label(c, l == CAT_LEVEL_ERROR ? MSG_LEVEL_ERROR :
	    l == CAT_LEVEL_WARNING ? MSG_LEVEL_WARNING : MSG_LEVEL_INFO,
	    view_tone_level(l));
}

/* ------------------------------------------------------------ verdicts */

static const struct {
	enum msg_id msg;
	enum view_tone tone;
} verdicts[VERDICT__COUNT] = {
	[VERDICT_FAILING] = { MSG_VERDICT_FAILING, VIEW_TONE_BAD },
	[VERDICT_STALE] = { MSG_VERDICT_STALE, VIEW_TONE_BAD },
	[VERDICT_ATTENTION] = { MSG_VERDICT_ATTENTION, VIEW_TONE_WARN },
	[VERDICT_UNKNOWN] = { MSG_VERDICT_UNKNOWN, VIEW_TONE_MUTED },
	[VERDICT_HEALTHY] = { MSG_VERDICT_HEALTHY, VIEW_TONE_GOOD },
};

static enum verdict
verdict_of(const struct view_build *b, size_t i)
{
	return b->d->machines[i].verdict;
}

static void
set_verdict(struct view_cell *c, enum verdict vd)
{
	set_label(c, verdicts[vd].msg, verdicts[vd].tone);
}

/* Sort key of a machine: the worst verdict first in the high bits,
 * index (name order) in the low ones. */
static int
key_cmp(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return a < b ? -1 : a > b;
}

/* Machines most urgent first: verdict, then name. */
static int
order_build(struct view_build *b)
{
	size_t n = b->s->nmachines, i;
	uint64_t *key = malloc((n ? n : 1) * sizeof(*key));

	b->order = malloc((n ? n : 1) * sizeof(*b->order));
	if (b->order == NULL || key == NULL) {
		free(key);
		return -1;
	}
	for (i = 0; i < n; i++)
		key[i] = (uint64_t)(VERDICT__COUNT - 1 - verdict_of(b, i)) << 40 | i;
	qsort(key, n, sizeof(*key), key_cmp);
	for (i = 0; i < n; i++)
		b->order[i] = (size_t)(key[i] & ((UINT64_C(1) << 40) - 1));
	free(key);
	return 0;
}

/* Code, title and fix of finding id `id` (the diagnosis's texts); the
 * code is the finding's code, else `code`, else the id. */
static void
set_id(const struct view_build *b, struct view_cell *code,
    struct view_cell *title, struct view_cell *fix, const char *id,
    const char *fallback_code, enum view_tone tone)
{
	const struct diag_issue *is = id ? diagnose_issue(b->d, id) : NULL;
	const char *c = is && is->first->code ? is->first->code :
	    fallback_code ? fallback_code : id;

	if (code != NULL && c != NULL) {
		set_text(code, VIEW_T_CODE, c);
		code->tone = tone;
	}
	if (title != NULL && id != NULL)
		set_cat(title, id, VIEW_F_TITLE, NULL);
	if (fix != NULL && id != NULL)
		set_cat(fix, id, VIEW_F_FIX, NULL);
}

/* Why a job failed or warned: the diagnosis's reason. */
static void
set_reason(const struct view_build *b, struct view_cell *code,
    struct view_cell *title, struct view_cell *fix,
    const struct summary_job *j)
{
	const struct diag_job *dj;

	if (j == NULL)
		return;
	dj = &b->d->jobs[j - b->s->jobs];
	if (dj->reason == NULL && j->hresult == NULL)
		return;
	set_id(b, code, title, fix, dj->reason, j->hresult,
	    view_tone_outcome(j->outcome));
}

static int
sec_verdicts(struct view_build *b)
{
	static const struct view_col cols[] = {
		{ MSG_MACHINE, NULL, VIEW_COL_KEY },
		{ MSG_VERDICT, NULL, 0 },
		{ MSG_LAST_JOB, NULL, 0 },
		{ MSG_OUTCOME, NULL, VIEW_COL_WIDE },
		{ MSG_CODE, NULL, 0 },
		{ MSG_WHY, NULL, VIEW_COL_LONG },
		{ MSG_FIX, NULL, VIEW_COL_LONG | VIEW_COL_SUB },
	};
	const struct summary *s = b->s;
	struct view_section *sec = sec_add(b, VS_VERDICTS, VIEW_TABLE,
	    "verdicts", MSG_VERDICTS, cols, 7);
	size_t n = s->nmachines, lim = row_limit(b, VIEW_TERM_MACHINES), i;

	if (sec == NULL)
		return -1;
	sec->total = n;
	sec->has_total = 0;
	for (i = 0; i < n && i < lim; i++) {
		size_t k = b->order[i];
		const struct summary_machine *m = &s->machines[k];
		const struct diag_machine *dm = &b->d->machines[k];
		enum verdict vd = dm->verdict;
		struct view_cell *c = row_add(b, sec, verdicts[vd].tone);

		if (c == NULL)
			return -1;
		set_text(&c[0], VIEW_T_NAME, m->name);
		set_verdict(&c[1], vd);
		if (dm->last_job != NULL) {
			set_num(&c[2], VIEW_T_TIME, m->last_job_end);
			set_outcome(&c[3], m->last_job_outcome);
		}
		if (vd == VERDICT_FAILING)
			set_reason(b, &c[4], &c[5], &c[6], dm->last_job);
		if (c[5].type == VIEW_T_EMPTY && dm->verdict_finding != NULL)
			set_id(b, &c[4], &c[5], &c[6], dm->verdict_finding,
			    NULL, verdicts[vd].tone);
		if (c[5].type == VIEW_T_EMPTY && vd == VERDICT_STALE)
			set_label(&c[5], MSG_SUBJECT_STALE, VIEW_TONE_BAD);
	}
	sec->more = n - sec->nrows;
	return 0;
}

/* ------------------------------------------------------------ overview */

static struct view_cell *
kv_row(struct view_build *b, struct view_section *sec, enum msg_id label,
    enum view_tone tone)
{
	struct view_cell *c = row_add(b, sec, tone);

	if (c != NULL)
		set_label(&c[0], label, VIEW_TONE_NONE);
	return c;
}

static int
sec_overview(struct view_build *b)
{
	static const struct view_col cols[] = {
		{ MSG_WHAT, NULL, VIEW_COL_KEY },
		{ MSG_COUNT, NULL, 0 },
		{ MSG_NOW, NULL, 0 },
	};
	const struct summary *s = b->s;
	const struct summary_totals *t = &s->totals;
	const struct diag_counts *dt = &b->d->totals;
	struct view_section *sec = sec_add(b, VS_OVERVIEW, VIEW_KV,
	    "overview", MSG_SUMMARY, cols, 3);
	uint64_t ok = 0, partial = 0, stale = 0, failing = 0;
	struct view_cell *c;
	size_t i;

	if (sec == NULL)
		return -1;
	sec->has_total = 0;
	for (i = 0; i < s->njobs; i++)
		ok += s->jobs[i].outcome == JOB_SUCCEEDED ||
		    s->jobs[i].outcome == JOB_WARNINGS;
	for (i = 0; i < s->ninputs; i++)
		partial += s->inputs[i].status == INPUT_PARTIAL;
	failing = b->d->totals.machines[VERDICT_FAILING];
	stale = b->fleet->nstale;
	if ((c = kv_row(b, sec, s->nmachines == 1 ? MSG_MACHINE : MSG_MACHINES,
	    VIEW_TONE_NONE)) == NULL)
		return -1;
	if (s->nmachines == 1) {
		set_text(&c[1], VIEW_T_NAME, s->machines[0].name);
		set_text(&c[2], VIEW_T_TEXT, s->machines[0].agent_version);
	} else {
		set_count(&c[1], s->nmachines, VIEW_TONE_NONE);
	}
	if (s->nmachines > 1) {
		if ((c = kv_row(b, sec, MSG_MACHINES_FAILING, VIEW_TONE_BAD)) == NULL)
			return -1;
		set_count(&c[1], failing, VIEW_TONE_BAD);
		if ((c = kv_row(b, sec, MSG_MACHINES_STALE, VIEW_TONE_BAD)) == NULL)
			return -1;
		set_count(&c[1], stale, VIEW_TONE_BAD);
	}
	if ((c = kv_row(b, sec, MSG_TIME_SPAN, VIEW_TONE_NONE)) == NULL)
		return -1;
	set_num(&c[1], VIEW_T_TIME, b->v->first);
	set_num(&c[2], VIEW_T_TIME, b->v->last);
	if ((c = kv_row(b, sec, MSG_JOBS, VIEW_TONE_NONE)) == NULL)
		return -1;
	set_count(&c[1], dt->jobs, VIEW_TONE_NONE);
	if ((c = kv_row(b, sec, MSG_JOBS_OK_LONG, VIEW_TONE_GOOD)) == NULL)
		return -1;
	set_count(&c[1], ok, VIEW_TONE_GOOD);
	if ((c = kv_row(b, sec, MSG_FAILED_JOBS, VIEW_TONE_BAD)) == NULL)
		return -1;
	set_count(&c[1], dt->jobs_failed, VIEW_TONE_BAD);
	if ((c = kv_row(b, sec, MSG_ERROR_FINDINGS, VIEW_TONE_BAD)) == NULL)
		return -1;
	set_count(&c[1], dt->findings_error, VIEW_TONE_BAD);
	if ((c = kv_row(b, sec, MSG_WARNING_FINDINGS, VIEW_TONE_WARN)) == NULL)
		return -1;
	set_count(&c[1], dt->findings_warning, VIEW_TONE_WARN);
	if ((c = kv_row(b, sec, MSG_ERROR_LINES, VIEW_TONE_BAD)) == NULL)
		return -1;
	set_count(&c[1], dt->errors, VIEW_TONE_BAD);
	if (dt->errors_unrecognised > 0) {
		if ((c = kv_row(b, sec, MSG_UNKNOWN_ERROR_LINES,
		    VIEW_TONE_BAD)) == NULL)
			return -1;
		set_count(&c[1], dt->errors_unrecognised, VIEW_TONE_BAD);
	}
	if ((c = kv_row(b, sec, MSG_WARNING_LINES, VIEW_TONE_WARN)) == NULL)
		return -1;
	set_count(&c[1], dt->warnings, VIEW_TONE_WARN);
	if ((c = kv_row(b, sec, MSG_FAILED_FILES, VIEW_TONE_WARN)) == NULL)
		return -1;
	set_count(&c[1], dt->failed_files, VIEW_TONE_WARN);
	if ((c = kv_row(b, sec, MSG_INPUTS, VIEW_TONE_NONE)) == NULL)
		return -1;
	set_count(&c[1], t->inputs, VIEW_TONE_NONE);
	if (t->inputs_skipped > 0) {
		if ((c = kv_row(b, sec, MSG_SKIPPED_INPUTS, VIEW_TONE_MUTED)) == NULL)
			return -1;
		set_count(&c[1], t->inputs_skipped, VIEW_TONE_MUTED);
	}
	if (partial > 0) {
		if ((c = kv_row(b, sec, MSG_PARTIAL_INPUTS, VIEW_TONE_MUTED)) == NULL)
			return -1;
		set_count(&c[1], partial, VIEW_TONE_MUTED);
	}
	if (s->templates_dropped > 0) {
		if ((c = kv_row(b, sec, MSG_TEMPLATES_DROPPED, VIEW_TONE_NONE)) == NULL)
			return -1;
		set_count(&c[1], s->templates_dropped, VIEW_TONE_NONE);
	}
	/* the run's reference time: "hours since" and relative windows
	 * count from it */
	if ((c = kv_row(b, sec, MSG_REFERENCE, VIEW_TONE_NONE)) == NULL)
		return -1;
	set_num(&c[1], VIEW_T_TIME, b->fleet->as_of);
	set_label(&c[2], b->v->as_of_given ? MSG_REFERENCE_OPTION :
	    MSG_REFERENCE_NEWEST, VIEW_TONE_NONE);
	if (b->o->diff != NULL) {
		if ((c = kv_row(b, sec, MSG_BASELINE_AS_OF, VIEW_TONE_NONE)) == NULL)
			return -1;
		set_num(&c[1], VIEW_T_TIME, b->o->diff->as_of_before);
	}
	if (b->v->stamp) {
		if ((c = kv_row(b, sec, MSG_GENERATED, VIEW_TONE_NONE)) == NULL)
			return -1;
		set_num(&c[1], VIEW_T_TIME, b->v->now);
	}
	return 0;
}

/* ------------------------------------------------------ changes, stale */

static int
sec_changes(struct view_build *b)
{
	static const struct view_col cols[] = {
		{ MSG_CHANGE, NULL, 0 },
		{ MSG_MACHINE, NULL, VIEW_COL_KEY | VIEW_COL_FLEET },
		{ MSG_CODE, NULL, 0 },
		{ MSG_BEFORE, NULL, VIEW_COL_NUM },
		{ MSG_NOW, NULL, VIEW_COL_NUM },
		{ MSG_WHAT, NULL, VIEW_COL_LONG },
	};
	const struct baseline_diff *d = b->o->diff;
	struct view_section *sec;
	size_t lim = row_limit(b, 40), i;

	if (d == NULL)
		return 0;
	if ((sec = sec_add(b, VS_CHANGES, VIEW_TABLE, "changes", MSG_CHANGES,
	    cols, 6)) == NULL)
		return -1;
	sec->total = d->nitems;
	sec->tone = d->count[BASELINE_NEW] > 0 ? VIEW_TONE_BAD : VIEW_TONE_NONE;
	for (i = 0; i < d->nitems && i < lim; i++) {
		const struct baseline_item *it = &d->items[i];
		enum view_tone tone = it->change == BASELINE_NEW ||
		    it->change == BASELINE_WORSE ? VIEW_TONE_BAD :
		    it->change == BASELINE_VANISHED ? VIEW_TONE_WARN :
		    VIEW_TONE_GOOD;
		struct view_cell *c = row_add(b, sec, tone);

		if (c == NULL)
			return -1;
		set_label(&c[0], (enum msg_id)(MSG_CHANGE_NEW + it->change), tone);
		set_text(&c[1], VIEW_T_NAME, it->machine);
		switch (it->subject) {
		case BASELINE_MACHINE:
			break;
		case BASELINE_STALE:
			set_num(&c[3], VIEW_T_AGE, it->since_before);
			set_num(&c[4], VIEW_T_AGE, it->since_after);
			set_label(&c[5], MSG_SUBJECT_STALE, VIEW_TONE_NONE);
			break;
		case BASELINE_LAST_JOB:
			set_outcome(&c[3], it->outcome_before);
			set_outcome(&c[4], it->outcome_after);
			set_label(&c[5], MSG_SUBJECT_LAST_JOB, VIEW_TONE_NONE);
			break;
		case BASELINE_FINDING:
			set_finding(&c[2], &c[5], it->finding);
			if (it->level_before)
				set_count(&c[3], it->count_before, VIEW_TONE_NONE);
			if (it->level_after)
				set_count(&c[4], it->count_after, VIEW_TONE_NONE);
			break;
		}
	}
	sec->more = d->nitems - sec->nrows;
	return 0;
}

static char *
hours_text(double h, char *buf, size_t len)
{
	snprintf(buf, len, "%g", h);
	return buf;
}

/* Machines --since/--until left without a record: an empty window must
 * not read as "no errors", so this comes first (none: no section). */
static int
sec_window(struct view_build *b)
{
	static const struct view_col cols[] = {
		{ MSG_MACHINE, NULL, VIEW_COL_KEY },
		{ MSG_RECORDS_OUTSIDE, NULL, VIEW_COL_NUM },
		{ MSG_NEWEST_RECORD, NULL, 0 },
	};
	const struct summary *s = b->s;
	struct view_section *sec;
	size_t i, n = 0;

	for (i = 0; i < s->nmachines; i++)
		n += s->machines[i].records == 0 &&
		    s->machines[i].records_outside > 0;
	if (n == 0)
		return 0;
	sec = sec_add(b, VS_WINDOW, VIEW_TABLE, "window", MSG_WINDOW_EMPTY_TITLE,
	    cols, 3);
	if (sec == NULL)
		return -1;
	sec->total = n;
	sec->tone = VIEW_TONE_BAD;
	for (i = 0; i < s->nmachines; i++) {
		const struct summary_machine *m = &s->machines[i];
		struct view_cell *c;

		if (m->records > 0 || m->records_outside == 0)
			continue;
		if ((c = row_add(b, sec, VIEW_TONE_BAD)) == NULL)
			return -1;
		set_text(&c[0], VIEW_T_NAME, m->name);
		set_count(&c[1], m->records_outside, VIEW_TONE_BAD);
		set_num(&c[2], VIEW_T_TIME, m->newest_record);
	}
	return 0;
}

static int
sec_stale(struct view_build *b, char *hours)
{
	static const struct view_col cols[] = {
		{ MSG_MACHINE, NULL, VIEW_COL_KEY | VIEW_COL_FLEET },
		{ MSG_LAST_SUCCESS, NULL, 0 },
		{ MSG_SINCE, NULL, VIEW_COL_NUM },
		{ MSG_LAST_JOB, NULL, 0 },
	};
	const struct fleet *f = b->fleet;
	struct view_section *sec = sec_add(b, VS_STALE, VIEW_TABLE, "stale",
	    MSG_STALE_HEADING, cols, 4);
	size_t lim = row_limit(b, 20), i;

	if (sec == NULL)
		return -1;
	sec->title_arg = hours;
	sec->empty = MSG_STALE_NONE;
	sec->total = f->nstale;
	sec->tone = f->nstale > 0 ? VIEW_TONE_BAD : VIEW_TONE_GOOD;
	for (i = 0; i < f->nstale && i < lim; i++) {
		const struct fleet_row *r = &f->rows[f->stale[i]];
		struct view_cell *c = row_add(b, sec, VIEW_TONE_BAD);

		if (c == NULL)
			return -1;
		set_text(&c[0], VIEW_T_NAME, r->m->name);
		if (r->since < 0)
			set_label(&c[1], MSG_NEVER, VIEW_TONE_BAD);
		else
			set_num(&c[1], VIEW_T_TIME, r->m->last_success);
		set_num(&c[2], VIEW_T_AGE, r->since);
		c[2].tone = VIEW_TONE_BAD;
		set_outcome(&c[3], r->m->last_job_outcome);
	}
	sec->more = f->nstale - sec->nrows;
	return 0;
}

/* ------------------------------------------------------ issues, machines */

/* How current a ranked finding is, as a label. */
static void
set_class(struct view_cell *c, enum diag_class k)
{
	static const struct {
		enum msg_id msg;
		enum view_tone tone;
	} cls[DIAG__COUNT] = {
		[DIAG_REASON] = { MSG_CLASS_REASON, VIEW_TONE_BAD },
		[DIAG_CURRENT_ERROR] = { MSG_CLASS_CURRENT, VIEW_TONE_BAD },
		[DIAG_CURRENT_WARNING] = { MSG_CLASS_CURRENT, VIEW_TONE_WARN },
		[DIAG_EARLIER_ERROR] = { MSG_CLASS_EARLIER, VIEW_TONE_MUTED },
		[DIAG_EARLIER_WARNING] = { MSG_CLASS_EARLIER, VIEW_TONE_MUTED },
		[DIAG_INFO] = { MSG_LEVEL_INFO, VIEW_TONE_INFO },
	};

	if ((unsigned)k < DIAG__COUNT)
		set_label(c, cls[k].msg, cls[k].tone);
}

/* Up to 8 machine names, ", "-joined, "…" when there are more; owned by
 * the view.  NULL on OOM. */
static const char *
names_join(struct view_build *b, const struct diag_issue *is)
{
	struct text_buf t = TEXT_BUF_INIT;
	char **p;
	size_t i;

	for (i = 0; i < is->nmachines && i < 8; i++) {
		if (i > 0)
			text_buf_adds(&t, ", ");
		text_buf_adds(&t, b->s->machines[is->machines[i]].name);
	}
	if (is->nmachines > 8)
		text_buf_adds(&t, ", " TEXT_ELLIPSIS);
	p = realloc(b->v->owned, (b->v->nowned + 1) * sizeof(*p));
	if (t.oom || p == NULL) {
		text_buf_release(&t);
		b->oom = 1;
		return NULL;
	}
	b->v->owned = p;
	p[b->v->nowned++] = t.p;
	return t.p;
}

/* The report's issues (diagnose.h): one row per finding id over every
 * machine, "on N machines", most important first. */
static int
sec_issues(struct view_build *b)
{
	static const struct view_col cols[] = {
		{ MSG_MACHINES, NULL, VIEW_COL_NUM },
		{ MSG_OCCURRENCES, NULL, VIEW_COL_NUM | VIEW_COL_WIDE },
		{ MSG_CODE, NULL, 0 },
		{ MSG_STATUS, NULL, VIEW_COL_WIDE },
		{ MSG_TITLE, NULL, VIEW_COL_LONG },
		{ MSG_FIX, NULL, VIEW_COL_LONG | VIEW_COL_SUB },
		{ MSG_MACHINE_LIST, NULL, VIEW_COL_LONG | VIEW_COL_WIDE },
	};
	const struct diagnosis *d = b->d;
	struct view_section *sec = sec_add(b, VS_ISSUES, VIEW_TABLE, "issues",
	    MSG_TOP_ISSUES, cols, b->v->medium == VIEW_TERM ? 6 : 7);
	size_t lim = b->v->medium == VIEW_XLSX ? SIZE_MAX :
	    b->v->medium == VIEW_TERM ? 5 : 10, n = 0, i;

	if (sec == NULL)
		return -1;
	for (i = 0; i < d->nissues; i++) {
		const struct diag_issue *is = &d->issues[i];
		struct view_cell *c;

		if (is->klass == DIAG_INFO || n++ >= lim)
			continue;
		if ((c = row_add(b, sec, view_tone_level(is->level))) == NULL)
			return -1;
		set_count(&c[0], is->nmachines, VIEW_TONE_NONE);
		set_count(&c[1], is->count, VIEW_TONE_NONE);
		set_id(b, &c[2], &c[4], &c[5], is->id, NULL,
		    view_tone_level(is->level));
		set_class(&c[3], is->klass);
		if (sec->ncols > 6)
			set_text(&c[6], VIEW_T_TEXT, names_join(b, is));
	}
	sec->total = n;
	sec->more = n - sec->nrows;
	return 0;
}

static int
sec_machines(struct view_build *b)
{
	static const struct view_col cols[] = {
		{ MSG_MACHINE, NULL, VIEW_COL_KEY | VIEW_COL_FLEET },
		{ MSG_VERDICT, NULL, 0 },
		{ MSG_LAST_JOB, NULL, 0 },
		{ MSG_OUTCOME, NULL, 0 },
		{ MSG_LAST_SUCCESS, NULL, 0 },
		{ MSG_SINCE, NULL, VIEW_COL_NUM },
		{ MSG_JOBS, NULL, VIEW_COL_NUM },
		{ MSG_FAILED_JOBS, NULL, VIEW_COL_NUM },
		{ MSG_ERRORS, NULL, VIEW_COL_NUM },
		{ MSG_WARNINGS, NULL, VIEW_COL_NUM },
		{ MSG_FAILED_FILES, NULL, VIEW_COL_NUM },
		{ MSG_AGENT_VERSION, NULL, 0 },
		{ MSG_WHY, NULL, 0 },
	};
	const struct summary *s = b->s;
	struct view_section *sec = sec_add(b, VS_MACHINES, VIEW_TABLE,
	    "machines", MSG_MACHINES, cols, 13);
	size_t n = s->nmachines, lim = row_limit(b, 20), i;

	if (sec == NULL)
		return -1;
	sec->total = n;
	for (i = 0; i < n && i < lim; i++) {
		size_t k = b->order[i];
		const struct summary_machine *m = &s->machines[k];
		const struct fleet_row *r = &b->fleet->rows[k];
		const struct diag_machine *dm = &b->d->machines[k];
		enum verdict vd = dm->verdict;
		struct view_cell *c = row_add(b, sec, verdicts[vd].tone);

		if (c == NULL)
			return -1;
		set_text(&c[0], VIEW_T_NAME, m->name);
		set_verdict(&c[1], vd);
		if (m->last_job_task != NULL) {
			set_num(&c[2], VIEW_T_TIME, m->last_job_end);
			set_outcome(&c[3], m->last_job_outcome);
		}
		if (m->last_success != ML_TIME_NONE)
			set_num(&c[4], VIEW_T_TIME, m->last_success);
		else
			set_label(&c[4], MSG_NEVER, VIEW_TONE_BAD);
		set_num(&c[5], VIEW_T_AGE, r->since);
		c[5].tone = r->stale ? VIEW_TONE_BAD : VIEW_TONE_NONE;
		set_count(&c[6], m->jobs, VIEW_TONE_NONE);
		set_count(&c[7], m->jobs_failed, VIEW_TONE_BAD);
		set_count(&c[8], m->errors, VIEW_TONE_BAD);
		set_count(&c[9], m->warnings, VIEW_TONE_WARN);
		set_count(&c[10], m->failed_files, VIEW_TONE_WARN);
		set_text(&c[11], VIEW_T_TEXT, m->agent_version);
		if (dm->verdict_finding != NULL)
			set_id(b, &c[12], NULL, NULL, dm->verdict_finding, NULL,
			    verdicts[vd].tone);
	}
	sec->more = n - sec->nrows;
	sec->more_note = MSG_ROWS_ELSEWHERE;
	return 0;
}

/* Findings as rows, machines (most urgent first) as columns. */
static int
sec_matrix(struct view_build *b)
{
	const struct fleet *f = b->fleet;
	const struct summary *s = b->s;
	size_t nm = s->nmachines, ncol, i, k;
	size_t mcap = b->v->medium == VIEW_XLSX ? 16000 : VIEW_HEAT_COLS;
	size_t rcap = row_limit(b, 40);
	struct view_col *cols;
	struct view_section *sec;

	if (nm < 2 || f->ncols == 0)
		return 0;
	ncol = (nm < mcap ? nm : mcap) + 2;
	cols = calloc(ncol, sizeof(*cols));
	if (cols == NULL)
		return -1;
	cols[0].label = MSG_CODE;
	cols[1].label = MSG_TITLE;
	cols[1].flags = VIEW_COL_LONG;
	for (k = 2; k < ncol; k++) {
		cols[k].text = s->machines[b->order[k - 2]].name;
		cols[k].flags = VIEW_COL_NUM;
	}
	sec = sec_add(b, VS_MATRIX, VIEW_HEAT, "matrix", MSG_MATRIX, cols, ncol);
	free(cols);
	if (sec == NULL)
		return -1;
	sec->total = f->ncols;
	for (i = 0; i < f->ncols && i < rcap; i++) {
		struct view_cell *c = row_add(b, sec,
		    view_tone_level(f->cols[i].f->level));

		if (c == NULL)
			return -1;
		set_finding(&c[0], &c[1], f->cols[i].f);
		for (k = 2; k < ncol; k++)
			set_count(&c[k], fleet_cell(f, b->order[k - 2], i),
			    view_tone_level(f->cols[i].f->level));
	}
	sec->more = f->ncols - sec->nrows;
	return 0;
}

/* ------------------------------------------------------------ timeline */

static int
sec_timeline(struct view_build *b)
{
	const struct summary *s = b->s;
	struct view_section *sec;
	int64_t lo = INT64_MAX, hi = INT64_MIN, bin;
	size_t n, i;

	for (i = 0; i < s->ntimeline; i++) {
		lo = s->timeline[i].hour < lo ? s->timeline[i].hour : lo;
		hi = s->timeline[i].hour > hi ? s->timeline[i].hour : hi;
	}
	if ((sec = sec_add(b, VS_TIMELINE, VIEW_CHART, "timeline",
	    MSG_TIMELINE, NULL, 0)) == NULL)
		return -1;
	sec->has_total = 0;
	if (s->ntimeline == 0)
		return 0;
	/* hourly bars for a short span, else days, widened to fit */
	if ((hi - lo) / HOUR_MS < CHART_HOURLY_MAX) {
		bin = HOUR_MS;
	} else {
		lo -= ((lo % DAY_MS) + DAY_MS) % DAY_MS;
		bin = DAY_MS;
		while ((hi - lo) / bin >= CHART_MAX_BINS)
			bin += DAY_MS;
	}
	n = (size_t)((hi - lo) / bin) + 1;
	sec->bin = bin;
	sec->x = malloc(n * sizeof(*sec->x));
	sec->series = calloc(2, sizeof(*sec->series));
	if (sec->x == NULL || sec->series == NULL)
		return -1;
	sec->nseries = 2;
	sec->npoints = n;
	sec->series[0].label = MSG_ERRORS;
	sec->series[0].tone = VIEW_TONE_BAD;
	sec->series[1].label = MSG_WARNINGS;
	sec->series[1].tone = VIEW_TONE_WARN;
	sec->series[0].v = calloc(n, sizeof(uint64_t));
	sec->series[1].v = calloc(n, sizeof(uint64_t));
	if (sec->series[0].v == NULL || sec->series[1].v == NULL)
		return -1;
	for (i = 0; i < n; i++)
		sec->x[i] = lo + (int64_t)i * bin;
	for (i = 0; i < s->ntimeline; i++) {
		size_t k = (size_t)((s->timeline[i].hour - lo) / bin);

		sec->series[0].v[k] += s->timeline[i].errors;
		sec->series[1].v[k] += s->timeline[i].warnings;
	}
	return 0;
}

/* ------------------------------------------------------------ history */

/* A verdict as the history stored it ("failing", ...), as a label. */
static void
set_verdict_name(struct view_cell *c, const char *name)
{
	int v;

	for (v = 0; v < VERDICT__COUNT; v++)
		if (name != NULL && strcmp(name, verdict_name((enum verdict)v))
		    == 0) {
			set_verdict(c, (enum verdict)v);
			return;
		}
	set_text(c, VIEW_T_CODE, name);
}

/* With --history (reports/history.h): the fleet's success rates, the
 * verdicts that changed this week, every machine's 30-day strip and
 * rates (worst first, as the history orders them), and the daily
 * success chart over 90 days. */
static int
sec_history(struct view_build *b)
{
	static const struct view_col kv[] = {
		{ MSG_WHAT, NULL, VIEW_COL_KEY },
		{ MSG_COUNT, NULL, 0 },
		{ MSG_NOW, NULL, 0 },
	};
	static const struct view_col changes[] = {
		{ MSG_MACHINE, NULL, VIEW_COL_KEY },
		{ MSG_HISTORY_BEFORE, NULL, 0 },
		{ MSG_HISTORY_AFTER, NULL, 0 },
		{ MSG_HISTORY_SINCE, NULL, 0 },
	};
	static const struct view_col cols[] = {
		{ MSG_MACHINE, NULL, VIEW_COL_KEY },
		{ MSG_VERDICT, NULL, 0 },
		{ MSG_HISTORY_RUNS_COL, NULL, VIEW_COL_NUM },
		{ MSG_HISTORY_STRIP, NULL, 0 },
		{ MSG_HISTORY_7D, NULL, VIEW_COL_NUM },
		{ MSG_HISTORY_30D, NULL, VIEW_COL_NUM },
		{ MSG_HISTORY_FAILING_SINCE, NULL, VIEW_COL_WIDE },
	};
	const struct history_report *h = b->o->history;
	struct view_section *sec;
	struct view_cell *c;
	size_t lim = row_limit(b, VIEW_TERM_MACHINES), i;

	if (h == NULL)
		return 0;
	if ((sec = sec_add(b, VS_HISTORY_FLEET, VIEW_KV, "history",
	    MSG_HISTORY, kv, 3)) == NULL)
		return -1;
	sec->has_total = 0;
	if ((c = kv_row(b, sec, MSG_HISTORY_RUN_COUNT, VIEW_TONE_NONE)) == NULL)
		return -1;
	set_count(&c[1], h->runs, VIEW_TONE_NONE);
	set_num(&c[2], VIEW_T_TIME, h->first_run);
	if ((c = kv_row(b, sec, MSG_HISTORY_RATE_30, VIEW_TONE_NONE)) == NULL)
		return -1;
	set_text(&c[1], VIEW_T_CODE, h->rate30);
	if ((c = kv_row(b, sec, MSG_HISTORY_RATE_90, VIEW_TONE_NONE)) == NULL)
		return -1;
	set_text(&c[1], VIEW_T_CODE, h->rate90);

	if ((sec = sec_add(b, VS_HISTORY_CHANGES, VIEW_TABLE,
	    "history-changes", MSG_HISTORY_CHANGED, changes, 4)) == NULL)
		return -1;
	sec->total = h->nchanges;
	for (i = 0; i < h->nchanges && i < lim; i++) {
		const struct history_change *ch = &h->changes[i];

		if ((c = row_add(b, sec, VIEW_TONE_NONE)) == NULL)
			return -1;
		set_text(&c[0], VIEW_T_NAME, ch->machine);
		set_verdict_name(&c[1], ch->before);
		set_verdict_name(&c[2], ch->after);
		set_num(&c[3], VIEW_T_TIME, ch->at);
	}
	sec->more = h->nchanges - sec->nrows;

	if ((sec = sec_add(b, VS_HISTORY, VIEW_TABLE, "history-machines",
	    MSG_HISTORY, cols, 7)) == NULL)
		return -1;
	sec->total = h->nmachines;
	sec->more_note = 0;
	for (i = 0; i < h->nmachines && i < lim; i++) {
		const struct history_machine *m = &h->machines[i];

		if ((c = row_add(b, sec, VIEW_TONE_NONE)) == NULL)
			return -1;
		set_text(&c[0], VIEW_T_NAME, m->name);
		set_verdict_name(&c[1], m->verdict);
		set_count(&c[2], m->verdict_runs, VIEW_TONE_NONE);
		set_text(&c[3], VIEW_T_CODE, m->strip_text);
		set_text(&c[4], VIEW_T_CODE, m->rate7);
		set_text(&c[5], VIEW_T_CODE, m->rate30);
		set_num(&c[6], VIEW_T_TIME, m->failing_since);
		c[6].tone = VIEW_TONE_BAD;
	}
	sec->more = h->nmachines - sec->nrows;

	if (b->v->medium == VIEW_TERM || h->runs == 0)
		return 0;
	if ((sec = sec_add(b, VS_HISTORY_DAILY, VIEW_CHART, "history-daily",
	    MSG_HISTORY_DAILY, NULL, 0)) == NULL)
		return -1;
	sec->has_total = 0;
	sec->bin = DAY_MS;
	sec->npoints = HISTORY_CHART_DAYS;
	sec->x = malloc(HISTORY_CHART_DAYS * sizeof(*sec->x));
	sec->series = calloc(2, sizeof(*sec->series));
	if (sec->x == NULL || sec->series == NULL)
		return -1;
	sec->nseries = 2;
	sec->series[0].label = MSG_HISTORY_SUCCEEDED;
	sec->series[0].tone = VIEW_TONE_GOOD;
	sec->series[1].label = MSG_JOBS_FAILED;
	sec->series[1].tone = VIEW_TONE_BAD;
	sec->series[0].v = calloc(HISTORY_CHART_DAYS, sizeof(uint64_t));
	sec->series[1].v = calloc(HISTORY_CHART_DAYS, sizeof(uint64_t));
	if (sec->series[0].v == NULL || sec->series[1].v == NULL)
		return -1;
	for (i = 0; i < HISTORY_CHART_DAYS; i++) {
		sec->x[i] = h->daily[i].day;
		sec->series[0].v[i] = h->daily[i].ok;
		sec->series[1].v[i] = h->daily[i].jobs - h->daily[i].ok;
	}
	return 0;
}

/* ------------------------------------------------------------ findings */

/* Add finding i as a row: `term` columns or the full ones. */
static int
finding_row(struct view_build *b, struct view_section *sec, size_t i,
    int term)
{
	const struct summary_finding *f = &b->s->findings[i];
	enum diag_class k = b->d->findings[i].klass;
	struct view_cell *c = row_add(b, sec, view_tone_level(f->level));

	if (c == NULL)
		return -1;
	if (term) {
		set_count(&c[0], f->count, view_tone_level(f->level));
		set_finding(&c[1], &c[5], f);
		set_text(&c[2], VIEW_T_NAME, f->machine);
		set_class(&c[3], k);
		set_num(&c[4], VIEW_T_TIME, f->last_seen);
		set_cat(&c[6], f->id, VIEW_F_FIX, f->remediation);
		return 0;
	}
	set_level(&c[0], f->level);
	set_text(&c[1], VIEW_T_NAME, f->machine);
	set_finding(&c[2], &c[3], f);
	set_class(&c[4], k);
	set_count(&c[5], f->count, VIEW_TONE_NONE);
	set_num(&c[6], VIEW_T_TIME, f->first_seen);
	set_num(&c[7], VIEW_T_TIME, f->last_seen);
	set_text(&c[8], VIEW_T_TEXT, f->category);
	set_cat(&c[9], f->id, VIEW_F_CAUSE, f->cause);
	set_cat(&c[10], f->id, VIEW_F_FIX, f->remediation);
	set_text(&c[11], VIEW_T_URL, f->doc_url);
	set_text(&c[12], VIEW_T_TEXT, f->sample.message);
	return 0;
}

/*
 * Findings in the diagnosis's rank (diagnose.h): the whole report's by
 * class (the reason of a failing job, current errors, current warnings,
 * earlier ones, info), or one machine's in its own ranked order.  The
 * terminal leaves info findings out (benign; counted in the overview).
 */
static int
sec_findings(struct view_build *b, size_t machine, enum view_sec id)
{
	static const struct view_col full[] = {
		{ MSG_LEVEL, NULL, 0 },
		{ MSG_MACHINE, NULL, VIEW_COL_KEY | VIEW_COL_FLEET },
		{ MSG_CODE, NULL, 0 },
		{ MSG_TITLE, NULL, VIEW_COL_LONG },
		{ MSG_CURRENT, NULL, 0 },
		{ MSG_COUNT, NULL, VIEW_COL_NUM },
		{ MSG_FIRST_SEEN, NULL, 0 },
		{ MSG_LAST_SEEN, NULL, 0 },
		{ MSG_CATEGORY, NULL, 0 },
		{ MSG_CAUSE, NULL, VIEW_COL_LONG },
		{ MSG_REMEDIATION, NULL, VIEW_COL_LONG },
		{ MSG_DOC, NULL, 0 },
		{ MSG_SAMPLE, NULL, VIEW_COL_LONG },
	};
	static const struct view_col term[] = {
		{ MSG_COUNT, NULL, VIEW_COL_NUM },
		{ MSG_CODE, NULL, 0 },
		{ MSG_MACHINE, NULL, VIEW_COL_KEY | VIEW_COL_FLEET },
		{ MSG_CURRENT, NULL, VIEW_COL_WIDE },
		{ MSG_LAST_SEEN, NULL, VIEW_COL_WIDE },
		{ MSG_TITLE, NULL, VIEW_COL_LONG },
		{ MSG_FIX, NULL, VIEW_COL_LONG | VIEW_COL_SUB },
	};
	const struct summary *s = b->s;
	const struct diagnosis *d = b->d;
	int is_term = b->v->medium == VIEW_TERM, one = machine != SIZE_MAX;
	struct view_section *sec;
	size_t lim = one ? 20 : row_limit(b, 20), n = 0, i, k;

	sec = is_term ? sec_add(b, id, VIEW_TABLE, "findings", MSG_FINDINGS,
	    term, 7) : sec_add(b, id, VIEW_TABLE, one ? NULL : "findings",
	    MSG_FINDINGS, full, 13);
	if (sec == NULL)
		return -1;
	sec->depth = one;
	sec->tone = d->totals.findings_error ? VIEW_TONE_BAD :
	    d->totals.findings_warning ? VIEW_TONE_WARN : VIEW_TONE_NONE;
	if (one) {
		const struct diag_machine *dm = &d->machines[machine];

		for (i = 0; i < dm->nranked; i++)
			if (n++ < lim && finding_row(b, sec, dm->ranked[i],
			    is_term) < 0)
				return -1;
	} else {
		for (k = 0; k < DIAG__COUNT; k++)
			for (i = 0; i < s->nfindings; i++) {
				if (d->findings[i].klass != k ||
				    (is_term && k == DIAG_INFO))
					continue;
				if (n++ < lim && finding_row(b, sec, i,
				    is_term) < 0)
					return -1;
			}
	}
	sec->total = n;
	sec->more = n - sec->nrows;
	sec->more_note = MSG_ROWS_ELSEWHERE;
	return 0;
}

/* ---------------------------------------------------------------- jobs */

static int
sec_jobs(struct view_build *b)
{
	static const struct view_col full[] = {
		{ MSG_MACHINE, NULL, VIEW_COL_KEY | VIEW_COL_FLEET },
		{ MSG_START, NULL, 0 },
		{ MSG_END, NULL, 0 },
		{ MSG_KIND, NULL, 0 },
		{ MSG_OUTCOME, NULL, 0 },
		{ MSG_DURATION, NULL, VIEW_COL_NUM },
		{ MSG_CODE, NULL, 0 },
		{ MSG_REASON, NULL, VIEW_COL_LONG },
		{ MSG_FIX, NULL, VIEW_COL_LONG },
		{ MSG_FAILED_FILES, NULL, VIEW_COL_NUM },
		{ MSG_TASK, NULL, 0 },
	};
	static const struct view_col term[] = {
		{ MSG_MACHINE, NULL, VIEW_COL_KEY | VIEW_COL_FLEET },
		{ MSG_START, NULL, 0 },
		{ MSG_DURATION, NULL, VIEW_COL_NUM },
		{ MSG_CODE, NULL, 0 },
		{ MSG_REASON, NULL, VIEW_COL_LONG },
	};
	const struct summary *s = b->s;
	int is_term = b->v->medium == VIEW_TERM;
	struct view_section *sec = is_term ?
	    sec_add(b, VS_JOBS, VIEW_TABLE, "jobs", MSG_FAILED_JOBS, term, 5) :
	    sec_add(b, VS_JOBS, VIEW_TABLE, "jobs", MSG_JOBS, full, 11);
	size_t lim = row_limit(b, VIEW_TERM_ROWS), n = 0, i;

	if (sec == NULL)
		return -1;
	sec->tone = s->totals.jobs_failed > 0 ? VIEW_TONE_BAD : VIEW_TONE_NONE;
	/* newest first */
	for (i = s->njobs; i-- > 0;) {
		const struct summary_job *j = &s->jobs[i];
		struct view_cell *c;
		int64_t dur = j->start != ML_TIME_NONE && j->end != ML_TIME_NONE &&
		    j->end >= j->start ? j->end - j->start : -1;

		if (is_term && j->outcome != JOB_FAILED)
			continue;
		if (n++ >= lim)
			continue;
		if ((c = row_add(b, sec, view_tone_outcome(j->outcome))) == NULL)
			return -1;
		set_text(&c[0], VIEW_T_NAME, j->machine);
		set_num(&c[1], VIEW_T_TIME, j->start);
		if (is_term) {
			set_num(&c[2], VIEW_T_DURATION, dur);
			set_reason(b, &c[3], &c[4], NULL, j);
			continue;
		}
		set_num(&c[2], VIEW_T_TIME, j->end);
		set_label(&c[3], msg_job_kind(j->kind), VIEW_TONE_NONE);
		set_outcome(&c[4], j->outcome);
		set_num(&c[5], VIEW_T_DURATION, dur);
		set_reason(b, &c[6], &c[7], &c[8], j);
		set_count(&c[9], j->failed_files, VIEW_TONE_WARN);
		set_text(&c[10], VIEW_T_CODE, j->task_id);
	}
	sec->total = n;
	sec->more = n - sec->nrows;
	sec->more_note = MSG_ROWS_ELSEWHERE;
	return 0;
}

/* ---------------------------------------------------------- failed files */

struct code_sum {
	const char *code;	/* interned: equal codes are equal pointers */
	uint64_t count;
};

static int
code_sum_cmp(const void *pa, const void *pb)
{
	const struct code_sum *a = pa, *b = pb;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	if (a->code == NULL || b->code == NULL)
		return (a->code == NULL) - (b->code == NULL);
	return strcmp(a->code, b->code);
}

/* Failed files summed per code over every machine, most first. */
static int
sec_failed_codes(struct view_build *b)
{
	static const struct view_col cols[] = {
		{ MSG_FILES, NULL, VIEW_COL_NUM },
		{ MSG_CODE, NULL, 0 },
		{ MSG_TITLE, NULL, VIEW_COL_LONG },
		{ MSG_FIX, NULL, VIEW_COL_LONG | VIEW_COL_WIDE },
	};
	const struct summary *s = b->s;
	struct view_section *sec = sec_add(b, VS_FAILED_CODES, VIEW_TABLE,
	    "failed-codes", MSG_TOP_FAILED_FILES, cols, 4);
	struct code_sum *sums;
	size_t n = 0, lim = row_limit(b, VIEW_TERM_ROWS), i, k;

	if (sec == NULL)
		return -1;
	sec->total = s->totals.failed_files;
	if (s->nfailed_files == 0)
		return 0;
	if ((sums = calloc(s->nfailed_files, sizeof(*sums))) == NULL)
		return -1;
	/* codes are interned, so a pointer compare finds the group; the
	 * number of distinct codes is small */
	for (i = 0; i < s->nfailed_files; i++) {
		const struct summary_failed_file *ff = &s->failed_files[i];

		for (k = 0; k < n && sums[k].code != ff->code; k++)
			;
		if (k == n)
			sums[n++].code = ff->code;
		sums[k].count += ff->count;
	}
	qsort(sums, n, sizeof(*sums), code_sum_cmp);
	for (i = 0; i < n && i < lim; i++) {
		const struct summary_finding *f =
		    summary_finding_by_code(s, sums[i].code);
		const struct catalog_entry *e = b->v->cat && sums[i].code ?
		    catalog_find_code(b->v->cat, sums[i].code) : NULL;
		struct view_cell *c = row_add(b, sec, VIEW_TONE_WARN);

		if (c == NULL)
			break;
		set_count(&c[0], sums[i].count, VIEW_TONE_NONE);
		set_text(&c[1], VIEW_T_CODE, sums[i].code ? sums[i].code : "-");
		set_cat(&c[2], e ? e->id : f ? f->id : NULL, VIEW_F_TITLE,
		    f ? f->title : NULL);
		set_cat(&c[3], e ? e->id : f ? f->id : NULL, VIEW_F_FIX,
		    f ? f->remediation : NULL);
	}
	sec->more = n - sec->nrows;
	free(sums);
	return b->oom ? -1 : 0;
}

static int
sec_failed_files(struct view_build *b)
{
	static const struct view_col cols[] = {
		{ MSG_MACHINE, NULL, VIEW_COL_KEY | VIEW_COL_FLEET },
		{ MSG_PATH, NULL, VIEW_COL_LONG },
		{ MSG_CODE, NULL, 0 },
		{ MSG_COUNT, NULL, VIEW_COL_NUM },
		{ MSG_FIX, NULL, VIEW_COL_LONG },
	};
	const struct summary *s = b->s;
	struct view_section *sec = sec_add(b, VS_FAILED_FILES, VIEW_TABLE,
	    "failed-files", MSG_FAILED_FILES, cols, 5);
	size_t lim = row_limit(b, 0), i;

	if (sec == NULL)
		return -1;
	sec->total = s->totals.failed_files;
	for (i = 0; i < s->nfailed_files && i < lim; i++) {
		const struct summary_failed_file *ff = &s->failed_files[i];
		const struct summary_finding *f =
		    summary_finding_by_code(s, ff->code);
		struct view_cell *c = row_add(b, sec, VIEW_TONE_WARN);

		if (c == NULL)
			return -1;
		set_text(&c[0], VIEW_T_NAME, ff->machine);
		set_text(&c[1], VIEW_T_NAME, ff->path);
		set_text(&c[2], VIEW_T_CODE, ff->code);
		set_count(&c[3], ff->count, VIEW_TONE_NONE);
		if (f != NULL)
			set_cat(&c[4], f->id, VIEW_F_FIX, f->remediation);
	}
	sec->more = s->nfailed_files - sec->nrows;
	sec->more_note = MSG_ROWS_ELSEWHERE;
	return 0;
}

/* ------------------------------------------------- templates and inputs */

static int
sec_templates(struct view_build *b)
{
	static const struct view_col cols[] = {
		{ MSG_COUNT, NULL, VIEW_COL_NUM },
		{ MSG_LEVEL, NULL, 0 },
		{ MSG_MACHINE, NULL, VIEW_COL_KEY | VIEW_COL_FLEET },
		{ MSG_TEMPLATE, NULL, VIEW_COL_LONG },
		{ MSG_FIRST_SEEN, NULL, VIEW_COL_WIDE },
		{ MSG_LAST_SEEN, NULL, VIEW_COL_WIDE },
	};
	const struct summary *s = b->s;
	struct view_section *sec = sec_add(b, VS_TEMPLATES, VIEW_TABLE,
	    "templates", MSG_UNKNOWN_TEMPLATES, cols, 6);
	size_t lim = row_limit(b, VIEW_TERM_ROWS), i;

	if (sec == NULL)
		return -1;
	sec->total = s->ntemplates;
	for (i = 0; i < s->ntemplates && i < lim; i++) {
		const struct summary_template *t = &s->templates[i];
		struct view_cell *c = row_add(b, sec, view_tone_level(t->level));

		if (c == NULL)
			return -1;
		set_count(&c[0], t->count, VIEW_TONE_NONE);
		set_level(&c[1], t->level);
		set_text(&c[2], VIEW_T_NAME, t->machine);
		set_text(&c[3], VIEW_T_TEXT, t->text);
		set_num(&c[4], VIEW_T_TIME, t->first_seen);
		set_num(&c[5], VIEW_T_TIME, t->last_seen);
	}
	sec->more = s->ntemplates - sec->nrows;
	sec->more_note = MSG_ROWS_ELSEWHERE;
	return 0;
}

static int
sec_inputs(struct view_build *b)
{
	static const struct view_col cols[] = {
		{ MSG_MACHINE, NULL, VIEW_COL_KEY | VIEW_COL_FLEET },
		{ MSG_PATH, NULL, VIEW_COL_LONG },
		{ MSG_STATUS, NULL, 0 },
		{ MSG_REASON, NULL, VIEW_COL_LONG },
		{ MSG_KIND, NULL, VIEW_COL_WIDE },
		{ MSG_ENCODING, NULL, VIEW_COL_WIDE },
		{ MSG_BYTES, NULL, VIEW_COL_NUM | VIEW_COL_WIDE },
		{ MSG_RECORDS, NULL, VIEW_COL_NUM | VIEW_COL_WIDE },
	};
	const struct summary *s = b->s;
	int is_term = b->v->medium == VIEW_TERM;
	struct view_section *sec = sec_add(b, VS_INPUTS, VIEW_TABLE, "inputs",
	    is_term ? MSG_TERM_INPUT_PROBLEMS : MSG_INPUTS, cols,
	    is_term ? 4 : 8);
	size_t lim = row_limit(b, VIEW_TERM_ROWS), n = 0, i;

	if (sec == NULL)
		return -1;
	for (i = 0; i < s->ninputs; i++) {
		const struct summary_input *in = &s->inputs[i];
		enum view_tone tone = in->status == INPUT_OK ? VIEW_TONE_NONE :
		    VIEW_TONE_MUTED;
		struct view_cell *c;

		if (is_term && in->status == INPUT_OK)
			continue;
		if (n++ >= lim)
			continue;
		if ((c = row_add(b, sec, tone)) == NULL)
			return -1;
		set_text(&c[0], VIEW_T_NAME, in->machine);
		set_text(&c[1], VIEW_T_NAME, in->path);
		set_label(&c[2], msg_input_status(in->status), tone);
		set_text(&c[3], VIEW_T_TEXT, in->warning);
		if (is_term)
			continue;
		set_text(&c[4], VIEW_T_TEXT, input_kind_name(in->kind));
		set_text(&c[5], VIEW_T_TEXT, text_encoding_name(in->encoding));
		set_count(&c[6], in->bytes, VIEW_TONE_NONE);
		set_count(&c[7], in->records, VIEW_TONE_NONE);
	}
	sec->total = n;
	sec->more = n - sec->nrows;
	sec->more_note = MSG_ROWS_ELSEWHERE;
	return 0;
}

/* ------------------------------------------------------ machine details */

static int
sec_detail(struct view_build *b, size_t k, int open)
{
	static const struct view_col kv[] = {
		{ MSG_WHAT, NULL, VIEW_COL_KEY },
		{ MSG_NOW, NULL, 0 },
		{ MSG_WHY, NULL, VIEW_COL_LONG },
	};
	static const struct view_col strip[] = {
		{ MSG_START, NULL, 0 },
		{ MSG_OUTCOME, NULL, 0 },
		{ MSG_CODE, NULL, 0 },
	};
	const struct summary *s = b->s;
	const struct summary_machine *m = &s->machines[k];
	const struct diag_machine *dm = &b->d->machines[k];
	enum verdict vd = dm->verdict;
	struct view_section *sec;
	struct view_cell *c;
	size_t i, n = 0, first;

	if ((sec = sec_add(b, VS_DETAIL, VIEW_GROUP, NULL, MSG_MACHINE_DETAIL,
	    NULL, 0)) == NULL)
		return -1;
	sec->title_text = m->name;
	sec->tone = verdicts[vd].tone;
	sec->open = open;
	sec->has_total = 0;

	if ((sec = sec_add(b, VS_DETAIL_KV, VIEW_KV, NULL, MSG_SUMMARY, kv,
	    3)) == NULL)
		return -1;
	sec->depth = 1;
	sec->has_total = 0;
	if ((c = kv_row(b, sec, MSG_VERDICT, verdicts[vd].tone)) == NULL)
		return -1;
	set_verdict(&c[1], vd);
	if (dm->verdict_finding != NULL)
		set_id(b, NULL, &c[2], NULL, dm->verdict_finding, NULL,
		    VIEW_TONE_NONE);
	if ((c = kv_row(b, sec, MSG_LAST_JOB, VIEW_TONE_NONE)) == NULL)
		return -1;
	if (dm->last_job != NULL) {
		set_outcome(&c[1], m->last_job_outcome);
		set_num(&c[2], VIEW_T_TIME, m->last_job_end);
	}
	if (dm->verdict_finding != NULL) {
		if ((c = kv_row(b, sec, MSG_FIX, VIEW_TONE_NONE)) == NULL)
			return -1;
		set_id(b, &c[1], NULL, &c[2], dm->verdict_finding, NULL,
		    verdicts[vd].tone);
	}
	if ((c = kv_row(b, sec, MSG_LAST_SUCCESS, VIEW_TONE_NONE)) == NULL)
		return -1;
	set_num(&c[1], VIEW_T_AGE, dm->since);
	if (m->last_success != ML_TIME_NONE)
		set_num(&c[2], VIEW_T_TIME, m->last_success);
	if ((c = kv_row(b, sec, MSG_AGENT_VERSION, VIEW_TONE_NONE)) == NULL)
		return -1;
	set_text(&c[1], VIEW_T_TEXT, m->agent_version);

	if ((sec = sec_add(b, VS_DETAIL_STRIP, VIEW_STRIP, NULL, MSG_JOBS,
	    strip, 3)) == NULL)
		return -1;
	sec->depth = 1;
	for (i = 0; i < s->njobs; i++)
		n += strcmp(s->jobs[i].machine, m->name) == 0;
	sec->total = n;
	first = n > VIEW_STRIP_JOBS ? n - VIEW_STRIP_JOBS : 0;
	for (i = 0, n = 0; i < s->njobs; i++) {
		const struct summary_job *j = &s->jobs[i];

		if (strcmp(j->machine, m->name) != 0 || n++ < first)
			continue;
		if ((c = row_add(b, sec, view_tone_outcome(j->outcome))) == NULL)
			return -1;
		set_num(&c[0], VIEW_T_TIME, j->start);
		set_outcome(&c[1], j->outcome);
		set_text(&c[2], VIEW_T_CODE, j->hresult);
	}
	sec->more = first;
	return sec_findings(b, k, VS_DETAIL_FINDINGS);
}

static int
sec_details(struct view_build *b)
{
	size_t i, opened = 0;

	if (b->v->medium != VIEW_HTML || b->s->nmachines < 2)
		return 0;
	for (i = 0; i < b->s->nmachines && i < VIEW_HTML_DETAILS; i++) {
		enum verdict vd = verdict_of(b, b->order[i]);
		int open = vd >= VERDICT_ATTENTION && opened < VIEW_HTML_OPEN;

		opened += open;
		if (sec_detail(b, b->order[i], open) < 0)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ the view */

static void
time_span(struct view *v)
{
	size_t i;

	v->first = v->last = ML_TIME_NONE;
	for (i = 0; i < v->s->nmachines; i++) {
		const struct summary_machine *m = &v->s->machines[i];

		if (m->first_seen != ML_TIME_NONE && (v->first == ML_TIME_NONE ||
		    m->first_seen < v->first))
			v->first = m->first_seen;
		if (m->last_seen != ML_TIME_NONE && (v->last == ML_TIME_NONE ||
		    m->last_seen > v->last))
			v->last = m->last_seen;
	}
}

struct view *
view_new(const struct summary *s, const struct report_options *o,
    enum view_medium medium)
{
	struct view_build b = { 0 };
	struct view *v = calloc(1, sizeof(*v));
	int rc = 0, term = medium == VIEW_TERM;

	if (v == NULL)
		return NULL;
	v->medium = medium;
	v->lang = (unsigned)o->lang < CAT_LANG__COUNT ? o->lang : CAT_LANG_EN;
	v->s = s;
	v->cat = o->catalog;
	v->title = o->title;
	v->stamp = o->stamp;
	v->as_of_given = o->as_of_given;
	v->now = o->now;
	time_span(v);
	b.v = v;
	b.s = s;
	b.o = o;
	v->d = o->diag;
	if (v->d == NULL)
		v->d = v->own = diagnose_new(s, o->catalog, o);
	b.d = v->d;
	b.fleet = fleet_new(s, o, s->nmachines > 1 ? FLEET_MATRIX : 0);
	if (v->d == NULL || b.fleet == NULL || order_build(&b) < 0)
		goto fail;
	v->as_of = b.fleet->as_of;
	hours_text(b.fleet->stale_after_hours, v->hours, sizeof(v->hours));

	/* the order of the report: what is wrong now first */
	rc |= sec_window(&b);
	rc |= sec_verdicts(&b);
	rc |= sec_changes(&b);
	rc |= sec_stale(&b, v->hours);
	rc |= sec_history(&b);
	rc |= sec_overview(&b);
	if (s->nmachines > 1)
		rc |= sec_issues(&b);
	if (!term)
		rc |= sec_machines(&b);
	if (!term)
		rc |= sec_matrix(&b);
	if (!term)
		rc |= sec_timeline(&b);
	rc |= sec_findings(&b, SIZE_MAX, VS_FINDINGS);
	rc |= sec_jobs(&b);
	rc |= sec_failed_codes(&b);
	if (!term)
		rc |= sec_failed_files(&b);
	rc |= sec_templates(&b);
	rc |= sec_inputs(&b);
	rc |= sec_details(&b);
	if (rc != 0 || b.oom)
		goto fail;
	fleet_free(b.fleet);
	free(b.order);
	return v;
fail:
	fleet_free(b.fleet);
	free(b.order);
	view_free(v);
	return NULL;
}

void
view_free(struct view *v)
{
	size_t i, k;

	if (v == NULL)
		return;
	for (i = 0; i < v->nsecs; i++) {
		struct view_section *sec = &v->secs[i];

		free(sec->cols);
		free(sec->cells);
		free(sec->row_tone);
		free(sec->x);
		for (k = 0; k < sec->nseries; k++)
			free(sec->series[k].v);
		free(sec->series);
	}
	for (i = 0; i < v->nowned; i++)
		free(v->owned[i]);
	free(v->owned);
	diagnose_free(v->own);
	free(v->secs);
	free(v);
}

const struct view_section *
view_find(const struct view *v, enum view_sec id)
{
	size_t i;

	for (i = 0; i < v->nsecs; i++)
		if (v->secs[i].id == id)
			return &v->secs[i];
	return NULL;
}

/* ------------------------------------------------------------ rendering */

const char *
view_label(const struct view *v, enum msg_id id)
{
	return tr(v->lang, id);
}

char *
view_time_format(int64_t ms, int seconds, char *buf, size_t len)
{
	char iso[32];

	if (ms == ML_TIME_NONE) {
		snprintf(buf, len, "-");
		return buf;
	}
	/* "2024-06-07T01:23:25.640Z" */
	ml_time_format(ms, iso, sizeof(iso));
	snprintf(buf, len, "%.10s %.*sZ", iso, seconds ? 8 : 5, iso + 11);
	return buf;
}

static const char *
count_format(uint64_t v, int group, char *buf, size_t len)
{
	char raw[24];
	size_t n, i, o = 0;

	n = (size_t)snprintf(raw, sizeof(raw), "%" PRIu64, v);
	for (i = 0; i < n && o + 2 < len; i++) {
		if (group && i > 0 && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = raw[i];
	}
	buf[o] = '\0';
	return buf;
}

static const char *
duration_format(int64_t ms, char *buf, size_t len)
{
	int64_t s = ms / 1000;

	if (ms < 0)
		snprintf(buf, len, "-");
	else if (s < 60)
		snprintf(buf, len, "%" PRId64 "s", s);
	else if (s < 3600)
		snprintf(buf, len, "%" PRId64 "m %02" PRId64 "s", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%" PRId64 "h %02" PRId64 "m", s / 3600,
		    s % 3600 / 60);
	else
		snprintf(buf, len, "%" PRId64 "d %02" PRId64 "h", s / 86400,
		    s % 86400 / 3600);
	return buf;
}

/* Hours with one decimal up to 48 hours, then days: "30.5 h", "3.2 d". */
static const char *
age_format(const struct view *v, int64_t ms, char *buf, size_t len)
{
	int64_t tenths;

	if (ms < 0) {
		snprintf(buf, len, "%s", tr(v->lang, MSG_NEVER));
		return buf;
	}
	if (ms <= 48 * HOUR_MS) {
		tenths = ms / (HOUR_MS / 10);
		snprintf(buf, len, "%" PRId64 ".%" PRId64 " %s", tenths / 10,
		    tenths % 10, tr(v->lang, MSG_UNIT_H));
	} else {
		tenths = ms / (DAY_MS / 10);
		snprintf(buf, len, "%" PRId64 ".%" PRId64 " %s", tenths / 10,
		    tenths % 10, tr(v->lang, MSG_UNIT_D));
	}
	return buf;
}

/* A catalog text, by id in the view's language, when the writer asks
 * (diagnose_text); the text the summary carries when the id is unknown. */
static const char *
catalog_text(const struct view *v, const struct view_cell *c)
{
	static const enum diag_text which[] = {
		[VIEW_F_TITLE] = DIAG_TITLE, [VIEW_F_CAUSE] = DIAG_CAUSE,
		[VIEW_F_FIX] = DIAG_FIX,
	};
	const char *t = c->ref != NULL ? diagnose_text(v->d, c->ref,
	    which[c->field]) : NULL;

	return t != NULL && *t != '\0' ? t : c->text;
}

const char *
view_cell_text(const struct view *v, const struct view_cell *c,
    unsigned fmt, char *buf, size_t len)
{
	switch (c->type) {
	case VIEW_T_EMPTY:
		return NULL;
	case VIEW_T_LABEL:
		return tr(v->lang, c->msg);
	case VIEW_T_TEXT:
	case VIEW_T_NAME:
	case VIEW_T_CODE:
	case VIEW_T_URL:
		return c->text;
	case VIEW_T_CATALOG:
		return catalog_text(v, c);
	case VIEW_T_COUNT:
		return count_format(c->count, fmt & VIEW_FMT_GROUP, buf, len);
	case VIEW_T_TIME:
		return view_time_format(c->num, fmt & VIEW_FMT_SECONDS, buf, len);
	case VIEW_T_DURATION:
		return duration_format(c->num, buf, len);
	case VIEW_T_AGE:
		return age_format(v, c->num, buf, len);
	}
	return NULL;
}

const char *
view_title(const struct view *v, const struct view_section *sec, char *buf,
    size_t len)
{
	const char *l = sec->title_text != NULL ? sec->title_text :
	    tr(v->lang, sec->has_total && sec->total == 0 && sec->empty ?
	    sec->empty : sec->title);
	const char *p = sec->title_arg != NULL ? strstr(l, "%s") : NULL;

	/* labels are not formats: the argument is put in by hand */
	if (p == NULL)
		snprintf(buf, len, "%s", l);
	else
		snprintf(buf, len, "%.*s%s%s", (int)(p - l), l, sec->title_arg,
		    p + 2);
	return buf;
}
