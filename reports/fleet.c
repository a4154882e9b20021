/* SPDX-License-Identifier: MIT */
/*
 * fleet.c -- the fleet view (fleet.h): staleness per machine, the stale
 * list and the machines-by-findings matrix, from a finished summary.
 *
 * Machines are sorted by name in a finished summary, so a row is found by
 * binary search; items of one machine share the interned name pointer, so
 * a one-entry cache saves most searches.  Cost: O((F + J) log M) time
 * and O(M + F) memory, the matrix included (it is sparse).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/record.h"
#include "reports/baseline.h"
#include "reports/fleet.h"

_Static_assert(MSG_CHANGE_RESOLVED - MSG_CHANGE_NEW ==
    BASELINE_RESOLVED - BASELINE_NEW && MSG_CHANGE_BETTER -
    MSG_CHANGE_NEW == BASELINE_BETTER, "change words follow enum "
    "baseline_change");

char *
fleet_stale_heading(enum cat_lang lang, const char *hours, char *buf,
    size_t len)
{
	const char *l = tr(lang, MSG_STALE_HEADING);
	const char *p = strstr(l, "%s");

	/* labels are not formats: the number is put in by hand */
	if (p == NULL)
		snprintf(buf, len, "%s", l);
	else
		snprintf(buf, len, "%.*s%s%s", (int)(p - l), l, hours, p + 2);
	return buf;
}

/* "2024-06-09 23:25" of a time, "-" when unknown. */
static char *
minutes(int64_t t, char *buf, size_t len)
{
	char iso[40];

	if (ml_time_format(t, iso, sizeof iso)[0] == '\0')
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.10s %.5s", iso, iso + 11);
	return buf;
}

char *
fleet_reference_text(const struct fleet *f, const struct report_options *o,
    enum cat_lang lang, char *buf, size_t len)
{
	char t[40];

	if (!ml_time_valid(f->as_of)) {
		snprintf(buf, len, "-");
		return buf;
	}
	snprintf(buf, len, "%sZ (%s)", minutes(f->as_of, t, sizeof t),
	    tr(lang, o != NULL &&
	    o->as_of_given ? MSG_REFERENCE_OPTION : MSG_REFERENCE_NEWEST));
	return buf;
}

char *
fleet_window_note(const struct summary_machine *m, enum cat_lang lang,
    char *buf, size_t len)
{
	const char *l = tr(lang, MSG_WINDOW_EMPTY);
	const char *p = strstr(l, "%s"), *q = p != NULL ? strstr(p + 2, "%s") :
	    NULL;
	char n[24], t[40];

	if (m->records > 0 || m->records_outside == 0)
		return NULL;
	snprintf(n, sizeof n, "%llu", (unsigned long long)m->records_outside);
	minutes(m->newest_record, t, sizeof t);
	/* labels are not formats: the values are put in by hand */
	if (p == NULL || q == NULL)
		snprintf(buf, len, "%s", l);
	else
		snprintf(buf, len, "%.*s%s%.*s%s%s", (int)(p - l), l, n,
		    (int)(q - p - 2), p + 2, t, q + 2);
	return buf;
}

int64_t
fleet_newest_record(const struct summary *s)
{
	int64_t t = ML_TIME_NONE;
	size_t i;

	/* newest_record counts the records --since/--until left out too,
	 * so the reference a relative window counted from stays the
	 * reference after a merge */
	for (i = 0; i < s->nmachines; i++) {
		const struct summary_machine *m = &s->machines[i];

		if (m->last_seen != ML_TIME_NONE &&
		    (t == ML_TIME_NONE || m->last_seen > t))
			t = m->last_seen;
		if (m->newest_record != ML_TIME_NONE &&
		    (t == ML_TIME_NONE || m->newest_record > t))
			t = m->newest_record;
	}
	return t;
}

int64_t
fleet_as_of(const struct summary *s, const struct report_options *o)
{
	if (o != NULL && o->as_of != 0 && o->as_of != ML_TIME_NONE)
		return o->as_of;
	return fleet_newest_record(s);
}

double
fleet_stale_after_hours(const struct report_options *o)
{
	return o != NULL && o->stale_after_hours > 0 ? o->stale_after_hours :
	    FLEET_STALE_AFTER_DEFAULT;
}

int64_t
fleet_since(const struct summary_machine *m, int64_t as_of)
{
	if (m->last_success == ML_TIME_NONE || as_of == ML_TIME_NONE)
		return -1;
	return as_of > m->last_success ? as_of - m->last_success : 0;
}

int
fleet_is_stale(int64_t since, int64_t stale_after)
{
	return since < 0 || since > stale_after;
}

char *
fleet_hours_format(int64_t since, char *buf, size_t len)
{
	if (since < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%lld.%lld", (long long)(since / 3600000),
		    (long long)(since % 3600000 / 360000));
	return buf;
}

int64_t
fleet_stale_after_ms(double hours)
{
	if (!(hours > 0))
		hours = FLEET_STALE_AFTER_DEFAULT;
	return (int64_t)(hours * 3600000.0 + 0.5);
}

/* Row of machine `name` (interned: pointer compare first), or SIZE_MAX. */
static size_t
fleet_row_of(const struct fleet *f, const char *name, size_t *cache)
{
	size_t lo = 0, hi = f->nrows;

	if (*cache < f->nrows && f->rows[*cache].m->name == name)
		return *cache;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(f->rows[mid].m->name, name);

		if (c == 0)
			return *cache = mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return SIZE_MAX;
}

/* qsort has no context argument: the comparators below get it here.
 * Writers run one at a time per thread, and this is only set and read
 * inside fleet_new on the calling thread. */
static _Thread_local const struct fleet *sort_fleet;
static _Thread_local const struct summary *sort_summary;

static int
stale_cmp(const void *pa, const void *pb)
{
	const struct fleet_row *a = &sort_fleet->rows[*(const size_t *)pa];
	const struct fleet_row *b = &sort_fleet->rows[*(const size_t *)pb];

	if ((a->since < 0) != (b->since < 0))
		return a->since < 0 ? -1 : 1;
	if (a->since != b->since)
		return a->since > b->since ? -1 : 1;
	return strcmp(a->m->name, b->m->name);
}

/* Finding indexes by id, then summary order. */
static int
by_id_cmp(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int c = strcmp(sort_summary->findings[a].id,
	    sort_summary->findings[b].id);

	if (c != 0)
		return c;
	return a < b ? -1 : a > b;
}

static int
col_cmp(const void *pa, const void *pb)
{
	const struct fleet_col *a = pa, *b = pb;

	if (a->f->level != b->f->level)
		return a->f->level > b->f->level ? -1 : 1;
	if (a->machines != b->machines)
		return a->machines > b->machines ? -1 : 1;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return strcmp(a->f->id, b->f->id);
}

/* Column indexes by id. */
static int
col_id_cmp(const void *pa, const void *pb)
{
	return strcmp(sort_fleet->cols[*(const size_t *)pa].f->id,
	    sort_fleet->cols[*(const size_t *)pb].f->id);
}

/* A filled cell before the cells are grouped by row. */
struct fleet_cell_tmp {
	size_t r, c;
	uint64_t n;
};

static int
cell_cmp(const void *pa, const void *pb)
{
	const struct fleet_cell_tmp *a = pa, *b = pb;

	if (a->r != b->r)
		return a->r < b->r ? -1 : 1;
	return a->c < b->c ? -1 : a->c > b->c;
}

/* Group the filled cells by row (tmp sorted by row, then column; one
 * machine may have a finding id at several levels, so equal cells add
 * up, saturating). */
static int
fleet_cells_store(struct fleet *f, struct fleet_cell_tmp *tmp, size_t n)
{
	size_t i, k = 0, r;

	if (!(f->row_cells = calloc(f->nrows + 1, sizeof(*f->row_cells))) ||
	    (n > 0 && (!(f->cell_col = malloc(n * sizeof(*f->cell_col))) ||
	    !(f->cell_count = malloc(n * sizeof(*f->cell_count))))))
		return -1;
	qsort(tmp, n, sizeof(*tmp), cell_cmp);
	for (i = 0; i < n; i++) {
		if (k > 0 && tmp[i].r == tmp[i - 1].r &&
		    tmp[i].c == tmp[i - 1].c) {
			f->cell_count[k - 1] = summary_count_add(f->cell_count[k - 1],
			    tmp[i].n);
			continue;
		}
		f->cell_col[k] = tmp[i].c;
		f->cell_count[k] = tmp[i].n;
		f->row_cells[tmp[i].r + 1]++;
		k++;
	}
	for (r = 0; r < f->nrows; r++)
		f->row_cells[r + 1] += f->row_cells[r];
	return 0;
}

uint64_t
fleet_cell(const struct fleet *f, size_t r, size_t c)
{
	size_t lo, hi;

	if (f->row_cells == NULL || r >= f->nrows)
		return 0;
	lo = f->row_cells[r];
	hi = f->row_cells[r + 1];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->cell_col[mid] == c)
			return f->cell_count[mid];
		if (f->cell_col[mid] < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* The matrix: one column per error or warning id.  `ids` are the
 * finding indexes sorted by id; a column's finding is the first of its
 * id in summary order, which has the highest level of the group.  Once
 * the columns are sorted, `byid` walks them in id order again, in step
 * with `ids`, to collect the filled cells. */
static int
fleet_matrix(struct fleet *f, const struct summary *s)
{
	size_t *ids = NULL, *byid = NULL, n = 0, i, g = 0, cache = SIZE_MAX;
	size_t ncells = 0;
	struct fleet_cell_tmp *tmp = NULL;
	int ret = -1;

	if (s->nfindings > 0 && !(ids = malloc(s->nfindings * sizeof(*ids))))
		goto out;
	for (i = 0; i < s->nfindings; i++)
		if (s->findings[i].level != CAT_LEVEL_INFO)
			ids[n++] = i;
	if (n == 0) {
		ret = 0;
		goto out;
	}
	sort_summary = s;
	qsort(ids, n, sizeof(*ids), by_id_cmp);
	if (!(f->cols = calloc(n, sizeof(*f->cols))))
		goto out;
	for (i = 0; i < n; i++) {
		const struct summary_finding *x = &s->findings[ids[i]];

		if (f->ncols == 0 ||
		    strcmp(f->cols[f->ncols - 1].f->id, x->id) != 0)
			f->cols[f->ncols++].f = x;
		f->cols[f->ncols - 1].machines++;
		f->cols[f->ncols - 1].count =
		    summary_count_add(f->cols[f->ncols - 1].count, x->count);
	}
	qsort(f->cols, f->ncols, sizeof(*f->cols), col_cmp);
	if (!(byid = malloc(f->ncols * sizeof(*byid))) ||
	    !(tmp = malloc(n * sizeof(*tmp))))
		goto out;
	for (i = 0; i < f->ncols; i++)
		byid[i] = i;
	sort_fleet = f;
	qsort(byid, f->ncols, sizeof(*byid), col_id_cmp);
	for (i = 0; i < n; i++) {
		const struct summary_finding *x = &s->findings[ids[i]];
		size_t r = fleet_row_of(f, x->machine, &cache);

		while (g < f->ncols &&
		    strcmp(f->cols[byid[g]].f->id, x->id) != 0)
			g++;
		if (r != SIZE_MAX && g < f->ncols && x->count > 0) {
			tmp[ncells].r = r;
			tmp[ncells].c = byid[g];
			tmp[ncells++].n = x->count;
		}
	}
	ret = fleet_cells_store(f, tmp, ncells);
out:
	free(ids);
	free(byid);
	free(tmp);
	return ret;
}

struct fleet *
fleet_new(const struct summary *s, const struct report_options *o,
    unsigned flags)
{
	struct fleet *f = calloc(1, sizeof(*f));
	size_t i, r, cache = SIZE_MAX;

	if (!f)
		return NULL;
	f->as_of = fleet_as_of(s, o);
	f->stale_after_hours = fleet_stale_after_hours(o);
	f->stale_after = fleet_stale_after_ms(f->stale_after_hours);
	f->nrows = s->nmachines;
	if (f->nrows > 0 && (!(f->rows = calloc(f->nrows, sizeof(*f->rows))) ||
	    !(f->stale = malloc(f->nrows * sizeof(*f->stale)))))
		goto fail;
	for (i = 0; i < f->nrows; i++) {
		struct fleet_row *row = &f->rows[i];

		row->m = &s->machines[i];
		row->since = fleet_since(row->m, f->as_of);
		row->stale = fleet_is_stale(row->since, f->stale_after);
		if (row->stale)
			f->stale[f->nstale++] = i;
	}
	sort_fleet = f;
	if (f->nstale > 1)
		qsort(f->stale, f->nstale, sizeof(*f->stale), stale_cmp);
	for (i = 0; i < s->nfindings; i++) {
		r = fleet_row_of(f, s->findings[i].machine, &cache);
		if (r != SIZE_MAX && !f->rows[r].top)
			f->rows[r].top = &s->findings[i];
	}
	for (i = 0; i < s->njobs; i++) {
		const struct summary_job *j = &s->jobs[i];

		if (j->outcome != JOB_SUCCEEDED && j->outcome != JOB_WARNINGS)
			continue;
		r = fleet_row_of(f, j->machine, &cache);
		if (r != SIZE_MAX)
			f->rows[r].jobs_ok++;
	}
	if ((flags & FLEET_MATRIX) && fleet_matrix(f, s) < 0)
		goto fail;
	return f;
fail:
	fleet_free(f);
	return NULL;
}

void
fleet_free(struct fleet *f)
{
	if (!f)
		return;
	free(f->rows);
	free(f->stale);
	free(f->cols);
	free(f->row_cells);
	free(f->cell_col);
	free(f->cell_count);
	free(f);
}
