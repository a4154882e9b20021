/* SPDX-License-Identifier: MIT */
/*
 * evidence.c -- bounded sets of occurrences (see evidence.h).  A set
 * holds at most a handful, so a sorted array with insertion is enough.
 */
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "reports/evidence.h"
#include "reports/summary.h"

struct shared_path {
	atomic_size_t refs;
	char s[];
};

static struct shared_path *
shared_of(char *p)
{
	return (struct shared_path *)(void *)(p - offsetof(struct shared_path,
	    s));
}

char *
evidence_path_new(const char *path)
{
	size_t n = strlen(path) + 1;
	struct shared_path *sp = malloc(sizeof *sp + n);

	if (sp == NULL)
		return NULL;
	atomic_init(&sp->refs, 1);
	memcpy(sp->s, path, n);
	return sp->s;
}

char *
evidence_path_ref(char *p)
{
	atomic_fetch_add(&shared_of(p)->refs, 1);
	return p;
}

void
evidence_path_unref(char *p)
{
	if (p != NULL && atomic_fetch_sub(&shared_of(p)->refs, 1) == 1)
		free(shared_of(p));
}

void
evidence_occurrence_release(struct evidence_occurrence *o)
{
	size_t i;

	if (o == NULL)
		return;
	for (i = 0; i < o->nlines; i++)
		free(o->lines[i].message);
	free(o->lines);
	evidence_path_unref(o->path);
	memset(o, 0, sizeof *o);
}

void
evidence_set_release(struct evidence_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		evidence_occurrence_release(&s->occ[i]);
	free(s->occ);
	s->occ = NULL;
	s->n = 0;
}

/* Time (unknown first: the oldest), path, line. */
static int
occ_cmp(const struct evidence_occurrence *a,
    const struct evidence_occurrence *b)
{
	int c;

	if (a->time != b->time) {
		if (a->time == ML_TIME_NONE || b->time == ML_TIME_NONE)
			return a->time == ML_TIME_NONE ? -1 : 1;
		return a->time < b->time ? -1 : 1;
	}
	if ((c = strcmp(a->path, b->path)) != 0)
		return c;
	return (a->line > b->line) - (a->line < b->line);
}

int
evidence_set_offer(struct evidence_set *s, size_t max,
    struct evidence_occurrence *o)
{
	struct evidence_occurrence *occ;
	size_t i = s->n;
	int c = 1;

	if (max == 0)
		goto drop;
	while (i > 0 && (c = occ_cmp(o, &s->occ[i - 1])) < 0)
		i--;
	if (i > 0 && c == 0) {
		/* the same line twice (one input given twice, or a range's
		 * open occurrence met again): keep the one with context */
		if (o->open != 0 || s->occ[i - 1].open == 0)
			goto drop;
		evidence_occurrence_release(&s->occ[i - 1]);
		s->occ[i - 1] = *o;
		return 0;
	}
	if (s->n == max && i == 0)
		goto drop;			/* older than all it keeps */
	if (s->n == max) {
		/* drop the oldest, insert at i - 1 */
		evidence_occurrence_release(&s->occ[0]);
		memmove(s->occ, s->occ + 1, (i - 1) * sizeof *s->occ);
		s->occ[i - 1] = *o;
		return 0;
	}
	occ = realloc(s->occ, (s->n + 1) * sizeof *occ);
	if (occ == NULL)
		goto oom;
	s->occ = occ;
	memmove(occ + i + 1, occ + i, (s->n - i) * sizeof *occ);
	occ[i] = *o;
	s->n++;
	return 0;
drop:
	evidence_occurrence_release(o);
	return 0;
oom:
	evidence_occurrence_release(o);
	return -1;
}

int
evidence_line_set(struct evidence_line *dst, uint64_t line, int64_t time,
    enum ml_level level, int continuation, const char *msg, size_t n)
{
	if (n > EVIDENCE_TEXT_MAX) {
		n = EVIDENCE_TEXT_MAX;
		while (n > 0 && ((unsigned char)msg[n] & 0xC0) == 0x80)
			n--;
	}
	dst->message = malloc(n + 1);
	if (dst->message == NULL)
		return -1;
	memcpy(dst->message, msg, n);
	dst->message[n] = '\0';
	dst->line = line;
	dst->time = time;
	dst->level = level;
	dst->continuation = continuation;
	dst->match = 0;
	return 0;
}

/* A deep copy of src into *dst.  -1 on OOM (dst released). */
static int
occ_copy(struct evidence_occurrence *dst, const struct evidence_occurrence *src)
{
	size_t i;

	*dst = *src;
	dst->lines = NULL;
	dst->nlines = 0;
	dst->path = evidence_path_ref(src->path);
	if (src->nlines > 0) {
		dst->lines = calloc(src->nlines, sizeof *dst->lines);
		if (dst->lines == NULL)
			goto oom;
	}
	for (i = 0; i < src->nlines; i++) {
		const struct evidence_line *l = &src->lines[i];

		if (evidence_line_set(&dst->lines[i], l->line, l->time,
		    l->level, l->continuation, l->message,
		    strlen(l->message)) != 0)
			goto oom;
		dst->lines[i].match = l->match;
		dst->nlines++;
	}
	return 0;
oom:
	evidence_occurrence_release(dst);
	return -1;
}

int
evidence_set_merge(struct evidence_set *dst, const struct evidence_set *src,
    size_t max)
{
	struct evidence_occurrence o;
	size_t i;

	for (i = 0; i < src->n; i++) {
		if (occ_copy(&o, &src->occ[i]) != 0 ||
		    evidence_set_offer(dst, max, &o) != 0)
			return -1;
	}
	return 0;
}

/* The occurrences of one set, while the report's bound allows. */
static size_t
report_set(const char *machine, const char *ref, int job,
    const struct evidence_set *set, size_t *shown,
    void (*fn)(void *, const struct evidence_row *), void *arg)
{
	struct evidence_row r = { machine, ref, job, 0, NULL, NULL };
	size_t i, k, left = 0;

	for (i = 0; i < set->n; i++) {
		if (*shown >= EVIDENCE_REPORT_MAX) {
			left++;
			continue;
		}
		r.occurrence = (*shown)++;
		r.occ = &set->occ[i];
		for (k = 0; k < r.occ->nlines; k++) {
			r.line = &r.occ->lines[k];
			fn(arg, &r);
		}
	}
	return left;
}

size_t
evidence_report_each(const struct summary *s,
    void (*fn)(void *arg, const struct evidence_row *r), void *arg)
{
	size_t i, shown = 0, left = 0;

	for (i = 0; i < s->njobs; i++)
		if (s->jobs[i].outcome == JOB_FAILED)
			left += report_set(s->jobs[i].machine,
			    s->jobs[i].task_id, 1, &s->jobs[i].evidence,
			    &shown, fn, arg);
	for (i = 0; i < s->nfindings; i++)
		left += report_set(s->findings[i].machine, s->findings[i].id, 0,
		    &s->findings[i].evidence, &shown, fn, arg);
	return left;
}
