/* SPDX-License-Identifier: MIT */
/*
 * years.c -- weigh the dated clues of each machine and choose the year of
 * every errlog input (see years.h for the rules and weights).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/years.h"
#include "parsers/errlog.h"
#include "parsers/failed.h"
#include "parsers/record.h"

#define DAY_MS		86400000LL
#define FAR_MS		(2 * DAY_MS)	/* an mtime this long after the last
					 * record was not written with it */
#define CLUSTER_MS	10000LL		/* one copy: files within 10 s */
#define MAX_VOTES	16

struct plan_row {
	char *path;
	int64_t ref;			/* reference time for the parser */
	enum year_source src;
};

struct years {
	struct plan_row *rows;
	size_t n;
	char **warn;
	size_t nwarn;
};

/* One dated clue of a machine. */
struct clue {
	int64_t time;
	int w_own, w_other;		/* votes for its own input, for others */
	enum year_source src;
	size_t input;			/* index into s->inputs */
	int copy;			/* an mtime that looks like a copy's */
};

/* What a source is, in a warning. */
static const char *
source_words(enum year_source src)
{
	switch (src) {
	case YEAR_OPTION: return "--year";
	case YEAR_MESSAGE: return "a date inside the messages";
	case YEAR_CRASH_NAME: return "a .Crash file name";
	case YEAR_FAILED_NAME: return "a LastBackupFailedFiles name";
	case YEAR_ENTRY_TIME: return "archive entry times";
	case YEAR_FILE_TIME: return "file times";
	case YEAR_MACHINE: return "the machine's other files";
	case YEAR_CLOCK: return "the reference time (no dated clue)";
	case YEAR_NONE: break;
	}
	return "nothing";
}

int
years_option_for(const struct year_option *opts, size_t n,
    const char *machine)
{
	size_t i;
	int all = 0;

	for (i = 0; i < n; i++) {
		if (opts[i].machine == NULL)
			all = opts[i].year;
		else if (machine != NULL && strcmp(opts[i].machine, machine) == 0)
			return opts[i].year;
	}
	return all;
}

struct years *
years_new(void)
{
	return calloc(1, sizeof(struct years));
}

static void
years_clear(struct years *y)
{
	size_t i;

	for (i = 0; i < y->n; i++)
		free(y->rows[i].path);
	for (i = 0; i < y->nwarn; i++)
		free(y->warn[i]);
	free(y->rows);
	free(y->warn);
	y->rows = NULL;
	y->warn = NULL;
	y->n = y->nwarn = 0;
}

void
years_free(struct years *y)
{
	if (y == NULL)
		return;
	years_clear(y);
	free(y);
}

/* Time t moved to year `year`, same month, day and time of day (29 Feb
 * of a common year becomes 1 Mar). */
static int64_t
in_year(int64_t t, int year)
{
	int yy;
	unsigned m, d;

	ml_civil_from_days(t / DAY_MS, &yy, &m, &d);
	return ml_days_from_civil(year, m, d) * DAY_MS + t % DAY_MS;
}

/* The span from the first to the last record, whatever years the pass
 * gave them: less than a year. */
static int64_t
span_of(const struct summary_input *in)
{
	int64_t d = in->last_time - in->first_time;

	if (d >= 0 && d < 366 * DAY_MS)
		return d;
	d = in_year(in->last_time, 2000) - in_year(in->first_time, 2000);
	if (d < 0)
		d = in_year(in->last_time, 2001) - in_year(in->first_time, 2000);
	return d;
}

/* The year of the input's last record for a clue at time c.  A time the
 * file was written (its mtime, a .Crash name) is at or after its last
 * record: the latest year that puts the last record at most a day after
 * c, as the parser does.  Other clues (a date in a message or a list
 * name) fall among the records: the year that puts the records nearest
 * to c (inside the span is distance 0; ties: the later year). */
static int
best_year(const struct summary_input *in, int64_t c, int written)
{
	int64_t span = span_of(in), best_d = INT64_MAX;
	int yc = ml_time_year(c), y, best = yc;

	if (written) {
		for (y = yc + 1; y > 1970 &&
		    in_year(in->last_time, y) > c + DAY_MS; y--)
			;
		return y;
	}
	for (y = yc + 1; y >= yc - 1; y--) {
		int64_t last, first, dist;

		if (y < 1970 || y > 9999)
			continue;
		last = in_year(in->last_time, y);
		first = last - span;
		dist = c < first ? first - c : c > last ? c - last : 0;
		if (dist < best_d) {
			best_d = dist;
			best = y;
		}
	}
	return best;
}

/* The year of the first record when the last is in year `year`. */
static int
first_year(const struct summary_input *in, int year)
{
	return ml_time_year(in_year(in->last_time, year) - span_of(in));
}

static const char *
base_of(const char *path)
{
	const char *b = path, *p;

	for (p = path; *p; p++)
		if (*p == '/' || *p == '\\' || *p == '!')
			b = p + 1;
	return b;
}

/* Length of the folder (or archive) part of a path, up to its last
 * separator. */
static size_t
dir_len(const char *path)
{
	return (size_t)(base_of(path) - path);
}

/* Is the input's mtime far after its records?  The last record is put in
 * the latest year not more than a day after the mtime, as the parser
 * does. */
static int
mtime_far(const struct summary_input *in)
{
	int64_t last;
	int y;

	if (in->mtime == ML_TIME_NONE || in->last_time == ML_TIME_NONE)
		return 0;
	y = ml_time_year(in->mtime) + 1;
	last = in_year(in->last_time, y);
	while (last > in->mtime + DAY_MS && y > 1970)
		last = in_year(in->last_time, --y);
	return in->mtime - last > FAR_MS;
}

/* The inputs years_decide() sorts by (machine, path): qsort has no
 * context argument, and years_decide() runs on one thread. */
static const struct summary_input *sort_inputs;

static int
cmp_idx(const void *a, const void *b)
{
	const struct summary_input *x = &sort_inputs[*(const size_t *)a];
	const struct summary_input *y = &sort_inputs[*(const size_t *)b];
	int c = strcmp(x->machine, y->machine);

	return c != 0 ? c : strcmp(x->path, y->path);
}

static int
add_warning(struct years *y, const char *text)
{
	char **w = realloc(y->warn, (y->nwarn + 1) * sizeof(*w));

	if (w == NULL)
		return -1;
	y->warn = w;
	if ((w[y->nwarn] = strdup(text)) == NULL)
		return -1;
	y->nwarn++;
	return 0;
}

static int
add_row(struct years *y, const char *path, int64_t ref,
    enum year_source src)
{
	struct plan_row *r = realloc(y->rows, (y->n + 1) * sizeof(*r));

	if (r == NULL)
		return -1;
	y->rows = r;
	if ((r[y->n].path = strdup(path)) == NULL)
		return -1;
	r[y->n].ref = ref;
	r[y->n].src = src;
	y->n++;
	return 0;
}

/* Clues of one machine: all of them (in input order, each input's own
 * ones together), and the strongest few that vote for its other inputs. */
struct clues {
	struct clue *c;
	size_t n;
	size_t *first;			/* per input of the machine: its first
					 * clue; first[i + 1] ends them */
	const struct clue **top;	/* the MAX_OTHER strongest for others */
	size_t ntop;
};

#define MAX_OTHER 32	/* other inputs' clues that vote: a bundle of 100,000
			 * files must not cost 100,000 squared */

/* The summary mark_copies() sorts clues of: qsort has no context
 * argument, and years_decide() runs on one thread. */
static const struct summary *sort_summary;

/* mtime clues by folder, for the copy test */
static int
cmp_dir(const void *a, const void *b)
{
	const struct clue *x = *(struct clue *const *)a;
	const struct clue *y = *(struct clue *const *)b;
	const char *px = sort_summary->inputs[x->input].path;
	const char *py = sort_summary->inputs[y->input].path;
	size_t lx = dir_len(px), ly = dir_len(py);
	int c = strncmp(px, py, lx < ly ? lx : ly);

	return c != 0 ? c : lx < ly ? -1 : lx > ly;
}

/* stronger for other inputs first, then the newer */
static int
cmp_strength(const void *a, const void *b)
{
	const struct clue *x = *(const struct clue *const *)a;
	const struct clue *y = *(const struct clue *const *)b;

	if (x->w_other != y->w_other)
		return x->w_other > y->w_other ? -1 : 1;
	return x->time > y->time ? -1 : x->time < y->time;
}

static int
same_dir(const struct summary *s, const struct clue *x, const struct clue *y)
{
	const char *px = s->inputs[x->input].path;
	const char *py = s->inputs[y->input].path;

	return dir_len(px) == dir_len(py) &&
	    strncmp(px, py, dir_len(px)) == 0;
}

/* One copy: all dated files of a folder within seconds of each other, one
 * of them far from its records.  Such times (and any far one) count
 * least.  ptr holds the nm mtime clues. */
static void
mark_copies(const struct summary *s, struct clue **ptr, size_t nm)
{
	size_t a, b, k;

	sort_summary = s;
	qsort(ptr, nm, sizeof(*ptr), cmp_dir);
	for (a = 0; a < nm; a = b) {
		int64_t lo = ptr[a]->time, hi = ptr[a]->time;
		int far = 0;

		for (b = a; b < nm && same_dir(s, ptr[a], ptr[b]); b++) {
			far |= ptr[b]->copy;
			lo = ptr[b]->time < lo ? ptr[b]->time : lo;
			hi = ptr[b]->time > hi ? ptr[b]->time : hi;
		}
		if (b - a >= 2 && far && hi - lo <= CLUSTER_MS)
			for (k = a; k < b; k++)
				ptr[k]->copy = 1;
	}
}

static void
clues_release(struct clues *cl)
{
	free(cl->c);
	free(cl->first);
	free(cl->top);
}

/* The clues of the inputs idx[0..n) of one machine.  -1 on OOM. */
static int
gather(const struct summary *s, const size_t *idx, size_t n,
    struct clues *cl)
{
	struct clue **ptr;
	size_t i, k = 0, nm = 0;

	memset(cl, 0, sizeof(*cl));
	cl->c = malloc((3 * n + 1) * sizeof(*cl->c));
	cl->first = malloc((n + 1) * sizeof(*cl->first));
	cl->top = malloc((3 * n + 1) * sizeof(*cl->top));
	ptr = malloc((3 * n + 1) * sizeof(*ptr));
	if (cl->c == NULL || cl->first == NULL || cl->top == NULL ||
	    ptr == NULL) {
		free(ptr);
		return -1;
	}
	for (i = 0; i < n; i++) {
		const struct summary_input *in = &s->inputs[idx[i]];
		const char *name = base_of(in->path);
		int64_t t;

		cl->first[i] = k;
		if (in->kind == INPUT_FAILED_FILES &&
		    (t = failed_time_from_name(name)) != ML_TIME_NONE)
			cl->c[k++] = (struct clue){ t + DAY_MS / 2, 0, 4,
			    YEAR_FAILED_NAME, idx[i], 0 };
		if (in->kind != INPUT_ERRLOG || in->last_time == ML_TIME_NONE)
			continue;
		if (in->clue_time != ML_TIME_NONE)
			cl->c[k++] = (struct clue){ in->clue_time, 10, 4,
			    YEAR_MESSAGE, idx[i], 0 };
		if ((t = errlog_time_from_name(name)) != ML_TIME_NONE)
			cl->c[k++] = (struct clue){ t, 8, 4, YEAR_CRASH_NAME,
			    idx[i], 0 };
		if (in->mtime != ML_TIME_NONE && in->mtime_kind != MTIME_NONE)
			cl->c[k++] = (struct clue){ in->mtime, 6, 2,
			    in->mtime_kind == MTIME_ENTRY ? YEAR_ENTRY_TIME :
			    YEAR_FILE_TIME, idx[i], mtime_far(in) };
	}
	cl->first[n] = cl->n = k;
	/* the mtime clues, by folder */
	for (i = 0; i < k; i++)
		if (cl->c[i].src == YEAR_ENTRY_TIME ||
		    cl->c[i].src == YEAR_FILE_TIME)
			ptr[nm++] = &cl->c[i];
	mark_copies(s, ptr, nm);
	free(ptr);
	for (i = 0; i < k; i++)
		if (cl->c[i].copy) {
			cl->c[i].w_own = 1;
			cl->c[i].w_other = 0;
		}
	/* the strongest for the other inputs */
	for (i = 0; i < k; i++)
		if (cl->c[i].w_other > 0)
			cl->top[cl->ntop++] = &cl->c[i];
	qsort(cl->top, cl->ntop, sizeof(*cl->top), cmp_strength);
	if (cl->ntop > MAX_OTHER)
		cl->ntop = MAX_OTHER;
	return 0;
}

struct vote {
	int year;
	int score;
	int best_w;			/* strongest clue that voted for it */
	const struct clue *best;
};

/* Add clue c's vote for input `in` (index i) with weight w. */
static void
vote(struct vote *v, size_t *nv, const struct summary_input *in, size_t i,
    const struct clue *c, int w)
{
	size_t j;
	int y;

	if (w == 0)
		return;
	/* another file's time says when the machine logged, not when this
	 * file ended */
	y = best_year(in, c->time, c->input == i &&
	    c->src != YEAR_MESSAGE && c->src != YEAR_FAILED_NAME);
	for (j = 0; j < *nv && v[j].year != y; j++)
		;
	if (j == *nv) {
		if (*nv == MAX_VOTES)
			return;
		v[(*nv)++] = (struct vote){ y, 0, 0, NULL };
	}
	v[j].score += w;
	if (w > v[j].best_w) {
		v[j].best_w = w;
		v[j].best = c;
	}
}

/* Choose the year of errlog input k of the machine (summary index i)
 * from the clues; *src gets where it came from, *other the strongest clue
 * that voted otherwise (or NULL). */
static int
choose(const struct summary *s, size_t k, size_t i, const struct clues *cl,
    enum year_source *src, const struct clue **other, int *other_year)
{
	const struct summary_input *in = &s->inputs[i];
	struct vote v[MAX_VOTES];
	size_t j, nv = 0, win = 0, o = 0;

	for (j = cl->first[k]; j < cl->first[k + 1]; j++)
		vote(v, &nv, in, i, &cl->c[j], cl->c[j].w_own);
	for (j = 0; j < cl->ntop; j++)
		if (cl->top[j]->input != i)
			vote(v, &nv, in, i, cl->top[j], cl->top[j]->w_other);
	*other = NULL;
	if (nv == 0)
		return 0;
	for (j = 1; j < nv; j++)
		if (v[j].score > v[win].score ||
		    (v[j].score == v[win].score &&
		    (v[j].best_w > v[win].best_w ||
		    (v[j].best_w == v[win].best_w && v[j].year > v[win].year))))
			win = j;
	for (j = 0; j < nv; j++)
		if (j != win && (*other == NULL || v[j].best_w > v[o].best_w)) {
			*other = v[j].best;
			*other_year = v[j].year;
			o = j;
		}
	*src = v[win].best->input == i ? v[win].best->src : YEAR_MACHINE;
	return v[win].year;
}

/* Decide the inputs idx[0..n) of one machine. */
static int
decide_machine(struct years *y, const struct summary *s, const size_t *idx,
    size_t n, const struct year_option *opts, size_t nopts, int64_t now,
    int *changed)
{
	const char *machine = s->inputs[idx[0]].machine;
	int opt = years_option_for(opts, nopts, machine);
	struct clues cl;
	size_t i;
	char warn[512] = "";
	int rc = -1;

	memset(&cl, 0, sizeof(cl));
	if (opt == 0 && gather(s, idx, n, &cl) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		const struct summary_input *in = &s->inputs[idx[i]];
		const struct clue *other = NULL;
		enum year_source src = YEAR_CLOCK;
		int64_t last, ref;
		int year = 0, other_year = 0;

		if (in->kind != INPUT_ERRLOG || in->last_time == ML_TIME_NONE)
			continue;
		if (opt != 0) {
			if (add_row(y, in->path, ML_TIME_NONE, YEAR_OPTION) < 0)
				goto out;
			continue;
		}
		year = choose(s, i, idx[i], &cl, &src, &other, &other_year);
		if (year == 0) {
			year = best_year(in, now, 1);
			if (warn[0] == '\0')
				snprintf(warn, sizeof warn, "%s: no dated clue (file time, name or date in a message); the year %d comes from the reference time: give --year %s=YEAR or --now",
				    machine, first_year(in, year), machine);
		} else if (other != NULL && warn[0] == '\0') {
			/* said as the year of the first record, as the
			 * inputs list shows it */
			int y1 = first_year(in, year), y2 = first_year(in,
			    other_year);

			snprintf(warn, sizeof warn, "%s: dated clues disagree: year %d from %s, %d from %s%s; give --year %s=YEAR if %d is wrong",
			    machine, y1, source_words(src), y2,
			    source_words(other->src),
			    other->copy ? " (they look like copy times)" : "",
			    machine, y1);
		}
		last = in_year(in->last_time, year);
		/* the parser puts each record in the latest year at most a
		 * day after the reference: the last record's time is it */
		ref = last;
		if (in->last_time != last ||
		    in->first_time != last - span_of(in))
			*changed = 1;
		if (add_row(y, in->path, ref, src) < 0)
			goto out;
	}
	if (warn[0] != '\0' && add_warning(y, warn) < 0)
		goto out;
	rc = 0;
out:
	clues_release(&cl);
	return rc;
}

static int
cmp_row(const void *a, const void *b)
{
	return strcmp(((const struct plan_row *)a)->path,
	    ((const struct plan_row *)b)->path);
}

int
years_decide(struct years *y, const struct summary *s,
    const struct year_option *opts, size_t nopts, int64_t now,
    int *changed)
{
	size_t *idx = NULL, i, start;
	int rc = -1;

	years_clear(y);
	*changed = 0;
	if (s->ninputs == 0)
		return 0;
	if ((idx = malloc(s->ninputs * sizeof(*idx))) == NULL)
		return -1;
	for (i = 0; i < s->ninputs; i++)
		idx[i] = i;
	sort_inputs = s->inputs;
	qsort(idx, s->ninputs, sizeof(*idx), cmp_idx);
	for (start = 0; start < s->ninputs; start = i) {
		for (i = start + 1; i < s->ninputs &&
		    strcmp(s->inputs[idx[i]].machine,
		    s->inputs[idx[start]].machine) == 0; i++)
			;
		if (decide_machine(y, s, idx + start, i - start, opts, nopts,
		    now, changed) < 0)
			goto out;
	}
	if (y->n > 0)
		qsort(y->rows, y->n, sizeof(*y->rows), cmp_row);
	rc = 0;
out:
	free(idx);
	return rc;
}

/* bsearch: a path against a row */
static int
cmp_key_row(const void *key, const void *row)
{
	return strcmp(key, ((const struct plan_row *)row)->path);
}

static const struct plan_row *
find_row(const struct years *y, const char *path)
{
	if (y == NULL || y->n == 0)
		return NULL;
	return bsearch(path, y->rows, y->n, sizeof(*y->rows), cmp_key_row);
}

int
years_reference(const struct years *y, const char *path, int64_t *ref)
{
	const struct plan_row *r = find_row(y, path);

	if (r == NULL || r->ref == ML_TIME_NONE)
		return 0;
	*ref = r->ref;
	return 1;
}

void
years_apply(const struct years *y, struct summary *s)
{
	size_t i;

	for (i = 0; i < s->ninputs; i++) {
		struct summary_input *in = &s->inputs[i];
		const struct plan_row *r;

		if (in->kind != INPUT_ERRLOG)
			continue;
		in->year = ml_time_year(in->first_time);
		if (in->year == 0)
			in->year_source = YEAR_NONE;
		else if ((r = find_row(y, in->path)) != NULL)
			in->year_source = r->src;
	}
}

const char *const *
years_warnings(const struct years *y, size_t *n)
{
	*n = y != NULL ? y->nwarn : 0;
	return y != NULL ? (const char *const *)y->warn : NULL;
}
