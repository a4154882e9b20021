/* SPDX-License-Identifier: MIT */
/*
 * gather.c -- evidence while reading (see gather.h).
 *
 * The one rule for the context before a match, used while reading and
 * again when ranges are joined: walk back from the match over the lines
 * before it until `records` record starts are passed (one more when the
 * match is a continuation, so that its record's first line comes too),
 * at most GATHER_BEFORE_LINES lines.  A walk that reaches the start of a
 * range still wanting is left open; since it then took every line of the
 * range before the match, the join can redo the walk over the previous
 * range's last lines followed by those.
 *
 * The rule for the context after: the match's continuation lines, then
 * `records` more records with theirs, at most GATHER_AFTER_LINES lines;
 * the occurrence closes at the first record start it does not take.
 */
#include <stdlib.h>
#include <string.h>

#include "analyzer/gather.h"

struct ring_line {
	uint64_t line;
	int64_t time;
	enum ml_level level;
	int continuation;
	size_t n;
	char text[EVIDENCE_TEXT_MAX + 1];	/* NUL-terminated */
};

/* A line offered as context, borrowed. */
struct lview {
	uint64_t line;
	int64_t time;
	enum ml_level level;
	int continuation;
	const char *p;
	size_t n;
};

/* An occurrence waiting for its context after; its set's key. */
struct pending {
	int job;			/* 0: a finding's, 1: a failed job's */
	const char *machine;		/* the entry's, valid while it is read */
	char ref[96];			/* finding id or task GUID */
	struct evidence_occurrence occ;	/* lines has room for the rest */
};

struct gather {
	struct ring_line ring[GATHER_RING];
	size_t rhead, rlen;		/* oldest at rhead */
	int range;
	struct evidence_line head[GATHER_AFTER_LINES]; /* a range's first */
	size_t nhead;
	uint64_t seen;			/* lines of this input */
	struct pending *p;
	size_t np, cp;
	char *path;			/* the input's path, shared by its
					 * occurrences (evidence_path_new) */
	const char *(*redact)(void *arg, const char *s, size_t *n);
	void *redact_arg;
	/* --redact: the sets given raw occurrences by this input (keys
	 * only: occ unused), redacted at its end, when only the few
	 * occurrences each set keeps are left */
	struct pending *raw;
	size_t nraw, craw;
};

void
gather_set_redact(struct gather *g,
    const char *(*fn)(void *arg, const char *s, size_t *n), void *arg)
{
	g->redact = fn;
	g->redact_arg = arg;
}

/* Redact the messages of lines[0, n) in place (see gather_set_redact).
 * -1 on OOM. */
static int
redact_lines(const struct gather *g, struct evidence_line *lines, size_t n)
{
	size_t i, len;
	const char *r;
	struct evidence_line tmp;

	for (i = 0; g->redact != NULL && i < n; i++) {
		len = strlen(lines[i].message);
		r = g->redact(g->redact_arg, lines[i].message, &len);
		if (r == NULL || evidence_line_set(&tmp, lines[i].line,
		    lines[i].time, lines[i].level, lines[i].continuation, r,
		    len) != 0)
			return -1;
		tmp.match = lines[i].match;
		free(lines[i].message);
		lines[i] = tmp;
	}
	return 0;
}

void
gather_edges_release(struct gather_edges *e)
{
	size_t i;

	for (i = 0; i < e->nhead; i++)
		free(e->head[i].message);
	for (i = 0; i < e->ntail; i++)
		free(e->tail[i].message);
	free(e->head);
	free(e->tail);
	memset(e, 0, sizeof *e);
}

struct gather *
gather_new(void)
{
	return calloc(1, sizeof(struct gather));
}

static void
head_release(struct gather *g)
{
	size_t i;

	for (i = 0; i < g->nhead; i++)
		free(g->head[i].message);
	g->nhead = 0;
}

void
gather_free(struct gather *g)
{
	size_t i;

	if (g == NULL)
		return;
	for (i = 0; i < g->np; i++)
		evidence_occurrence_release(&g->p[i].occ);
	free(g->p);
	free(g->raw);
	head_release(g);
	evidence_path_unref(g->path);
	free(g);
}

void
gather_begin(struct gather *g, int range)
{
	size_t i;

	for (i = 0; i < g->np; i++)
		evidence_occurrence_release(&g->p[i].occ);
	g->np = 0;
	g->rhead = g->rlen = 0;
	g->range = range;
	g->seen = 0;
	head_release(g);
}

/* ------------------------------------------------------------ the rules */

/* Where the context before a match starts among n lines before it,
 * cont(ctx, i) telling which are continuations; *open = 1 when the walk
 * reached line 0 still wanting (it then took every line). */
static size_t
before_start(size_t n, int (*cont)(const void *, size_t), const void *ctx,
    int records, int match_cont, int *open)
{
	size_t i = n, heads = 0, need = (size_t)records + (match_cont != 0);

	while (i > 0 && heads < need && n - i < GATHER_BEFORE_LINES) {
		i--;
		heads += !cont(ctx, i);
	}
	*open = i == 0 && heads < need && n < GATHER_BEFORE_LINES;
	return i;
}

static size_t
match_index(const struct evidence_occurrence *o)
{
	size_t i;

	for (i = 0; i < o->nlines; i++)
		if (o->lines[i].match)
			return i;
	return 0;
}

static int
append(struct evidence_occurrence *o, const struct lview *l)
{
	if (evidence_line_set(&o->lines[o->nlines], l->line, l->time,
	    l->level, l->continuation, l->p, l->n) != 0)
		return -1;
	o->nlines++;
	return 0;
}

/*
 * Offer line l to an occurrence waiting for context after (o->lines has
 * room for GATHER_AFTER_LINES after the match).  Returns 1 if it still
 * waits, 0 if it is complete, -1 on OOM.
 */
static int
after_feed(struct evidence_occurrence *o, const struct lview *l)
{
	size_t after = o->nlines - match_index(o) - 1;

	if (after >= GATHER_AFTER_LINES)
		return 0;
	if (!l->continuation) {
		if (o->after_left <= 0)
			return 0;
		o->after_left--;
	}
	if (append(o, l) != 0)
		return -1;
	return after + 1 < GATHER_AFTER_LINES;
}

static struct lview
view_of_evidence(const struct evidence_line *e)
{
	struct lview v = { e->line, e->time, e->level, e->continuation,
	    e->message, strlen(e->message) };

	return v;
}

/* ------------------------------------------------------------- reading */

static const struct ring_line *
ring_at(const struct gather *g, size_t i)
{
	return &g->ring[(g->rhead + i) % GATHER_RING];
}

static int
ring_cont(const void *ctx, size_t i)
{
	return ring_at(ctx, i)->continuation;
}

static void
ring_push(struct gather *g, const struct lview *l)
{
	struct ring_line *r;
	size_t n = l->n;

	if (g->rlen == GATHER_RING) {
		g->rhead = (g->rhead + 1) % GATHER_RING;
		g->rlen--;
	}
	r = &g->ring[(g->rhead + g->rlen) % GATHER_RING];
	if (n > EVIDENCE_TEXT_MAX) {
		n = EVIDENCE_TEXT_MAX;
		while (n > 0 && ((unsigned char)l->p[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(r->text, l->p, n);
	r->text[n] = '\0';
	r->n = n;
	r->line = l->line;
	r->time = l->time;
	r->level = l->level;
	r->continuation = l->continuation;
	g->rlen++;
}

/* The evidence set of p's finding or job in s, and its bound; NULL when
 * s has no such finding or job. */
static struct evidence_set *
set_of(struct summary *s, const struct pending *p, size_t *max)
{
	if (p->job) {
		struct summary_job *j = summary_job_get(s, p->machine, p->ref,
		    NULL);

		*max = EVIDENCE_JOB_MAX;
		return j != NULL ? &j->evidence : NULL;
	} else {
		struct summary_finding *f = summary_finding_get(s, p->machine,
		    p->ref, NULL);

		*max = EVIDENCE_FINDING_MAX;
		return f != NULL ? &f->evidence : NULL;
	}
}

/* --redact: remember that p's set gets a raw occurrence (once per set:
 * a set that holds one already is listed).  -1 on OOM. */
static int
raw_note(struct gather *g, const struct evidence_set *set,
    const struct pending *p)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (set->occ[i].raw)
			return 0;
	if (g->nraw == g->craw) {
		size_t c = g->craw ? 2 * g->craw : 16;
		struct pending *r = realloc(g->raw, c * sizeof *r);

		if (r == NULL)
			return -1;
		g->raw = r;
		g->craw = c;
	}
	g->raw[g->nraw] = *p;
	memset(&g->raw[g->nraw].occ, 0, sizeof g->raw[g->nraw].occ);
	g->nraw++;
	return 0;
}

/* --redact: redact the occurrences the noted sets kept.  -1 on OOM. */
static int
raw_redact(struct gather *g, struct summary *s)
{
	struct evidence_set *set;
	size_t i, k, max;
	int rc = 0;

	for (i = 0; i < g->nraw; i++) {
		if ((set = set_of(s, &g->raw[i], &max)) == NULL)
			continue;
		for (k = 0; k < set->n; k++) {
			if (!set->occ[k].raw)
				continue;
			if (redact_lines(g, set->occ[k].lines,
			    set->occ[k].nlines) != 0)
				rc = -1;
			set->occ[k].raw = 0;
		}
	}
	g->nraw = 0;
	return rc;
}

/* Move an occurrence, finished or (at a range's end) open, into s.  With
 * --redact its lines stay raw until the input ends (raw_redact): most
 * occurrences are pushed out of their set by newer ones before then. */
static int
flush(struct gather *g, struct summary *s, struct pending *p)
{
	struct evidence_set *set;
	size_t max;

	if ((set = set_of(s, p, &max)) == NULL) {
		evidence_occurrence_release(&p->occ);
		return -1;
	}
	if (g->redact != NULL) {
		if (raw_note(g, set, p) != 0) {
			evidence_occurrence_release(&p->occ);
			return -1;
		}
		p->occ.raw = 1;
	}
	return evidence_set_offer(set, max, &p->occ);
}

/* A new occurrence of l with its context before from the ring. */
static int
open_occurrence(struct gather *g, const struct analysis_line *l,
    const struct lview *v, int job, const char *ref, size_t reflen)
{
	struct pending *p;
	struct evidence_occurrence *o;
	size_t start, i;
	int open;

	if (g->np == g->cp) {
		size_t c = g->cp ? 2 * g->cp : 8;

		p = realloc(g->p, c * sizeof *p);
		if (p == NULL)
			return -1;
		g->p = p;
		g->cp = c;
	}
	p = &g->p[g->np];
	memset(p, 0, sizeof *p);
	p->job = job;
	p->machine = l->e->machine;
	if (reflen >= sizeof p->ref)
		reflen = sizeof p->ref - 1;
	memcpy(p->ref, ref, reflen);
	o = &p->occ;
	o->line = l->line;
	o->time = l->time;
	o->after_left = job ? EVIDENCE_JOB_AFTER : EVIDENCE_FINDING_AFTER;
	start = before_start(g->rlen, ring_cont, g, job ? EVIDENCE_JOB_BEFORE :
	    EVIDENCE_FINDING_BEFORE, l->continuation, &open);
	if (open && g->range)
		o->open = EVIDENCE_OPEN_BEFORE;
	if (g->path == NULL || strcmp(g->path, l->e->path) != 0) {
		evidence_path_unref(g->path);
		g->path = evidence_path_new(l->e->path);
	}
	o->path = g->path != NULL ? evidence_path_ref(g->path) : NULL;
	o->lines = calloc(GATHER_BEFORE_LINES + 1 + GATHER_AFTER_LINES,
	    sizeof *o->lines);
	if (o->path == NULL || o->lines == NULL)
		goto oom;
	for (i = start; i < g->rlen; i++) {
		const struct ring_line *r = ring_at(g, i);
		struct lview rv = { r->line, r->time, r->level,
		    r->continuation, r->text, r->n };

		if (append(o, &rv) != 0)
			goto oom;
	}
	if (append(o, v) != 0)
		goto oom;
	o->lines[o->nlines - 1].match = 1;
	g->np++;
	return 0;
oom:
	evidence_occurrence_release(o);
	return -1;
}

int
gather_line(struct gather *g, struct summary *s, const struct analysis_line *l,
    int failed)
{
	struct lview v = { l->line, l->time, l->level, l->continuation,
	    l->message.p, l->message.n };
	size_t i, k = 0;
	int rc = 0, w;

	/* earlier occurrences take the line as context after */
	for (i = 0; i < g->np; i++) {
		w = after_feed(&g->p[i].occ, &v);
		if (w > 0) {
			g->p[k++] = g->p[i];
			continue;
		}
		if (w < 0 || flush(g, s, &g->p[i]) != 0)
			rc = -1;
	}
	g->np = k;
	if (l->finding != NULL && open_occurrence(g, l, &v, 0, l->finding,
	    strlen(l->finding)) != 0)
		rc = -1;
	if (failed && l->task.n > 0 && open_occurrence(g, l, &v, 1,
	    l->task.p, l->task.n) != 0)
		rc = -1;
	ring_push(g, &v);
	if (g->range && g->nhead < GATHER_AFTER_LINES) {
		if (evidence_line_set(&g->head[g->nhead], v.line, v.time,
		    v.level, v.continuation, v.p, v.n) != 0)
			rc = -1;
		else
			g->nhead++;
	}
	g->seen++;
	return rc;
}

int
gather_end(struct gather *g, struct summary *s, struct gather_edges *edges)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < g->np; i++) {
		if (g->range)
			g->p[i].occ.open |= EVIDENCE_OPEN_AFTER;
		if (flush(g, s, &g->p[i]) != 0)
			rc = -1;
	}
	g->np = 0;
	if (raw_redact(g, s) != 0)
		rc = -1;
	if (edges == NULL)
		return rc;
	edges->lines = g->seen;
	edges->head = calloc(GATHER_AFTER_LINES, sizeof *edges->head);
	edges->tail = calloc(GATHER_RING, sizeof *edges->tail);
	if (edges->head == NULL || edges->tail == NULL)
		return -1;
	if (g->nhead > 0)
		memcpy(edges->head, g->head, g->nhead * sizeof *g->head);
	edges->nhead = g->nhead;
	g->nhead = 0;
	for (i = 0; i < g->rlen; i++) {
		const struct ring_line *r = ring_at(g, i);

		if (evidence_line_set(&edges->tail[i], r->line, r->time,
		    r->level, r->continuation, r->text, r->n) != 0)
			return -1;
		edges->ntail++;
	}
	if (redact_lines(g, edges->head, edges->nhead) != 0 ||
	    redact_lines(g, edges->tail, edges->ntail) != 0)
		return -1;
	return rc;
}

/* ---------------------------------------------------------- the ranges */

/* Each evidence set of s's findings and jobs, with its kind. */
static void
each_set(struct summary *s, void (*fn)(void *arg, struct evidence_set *set,
    int job), void *arg)
{
	size_t i;

	for (i = 0; i < s->nfindings; i++)
		fn(arg, &s->findings[i].evidence, 0);
	for (i = 0; i < s->njobs; i++)
		fn(arg, &s->jobs[i].evidence, 1);
}

struct join_ctx {
	const struct gather_edges *prev, *next;
	int oom;
};

/* Give occurrences waiting for context after the next range's first
 * lines. */
static void
join_after(void *arg, struct evidence_set *set, int job)
{
	struct join_ctx *j = arg;
	size_t i, k;

	(void)job;
	for (i = 0; i < set->n; i++) {
		struct evidence_occurrence *o = &set->occ[i];
		struct evidence_line *l;
		int w = 1;

		if (!(o->open & EVIDENCE_OPEN_AFTER))
			continue;
		l = realloc(o->lines, (o->nlines + GATHER_AFTER_LINES) *
		    sizeof *l);
		if (l == NULL) {
			j->oom = 1;
			continue;
		}
		o->lines = l;
		for (k = 0; k < j->next->nhead; k++) {
			struct lview v = view_of_evidence(&j->next->head[k]);

			if ((w = after_feed(o, &v)) <= 0)
				break;
		}
		if (w < 0)
			j->oom = 1;
		/* still open only if the next range ended first */
		if (w <= 0 || j->next->lines > j->next->nhead)
			o->open &= ~EVIDENCE_OPEN_AFTER;
	}
}

struct combined {
	const struct gather_edges *prev;
	const struct evidence_occurrence *o;
};

/* Line i of the previous range's tail followed by o's lines. */
static const struct evidence_line *
combined_at(const struct combined *c, size_t i)
{
	return i < c->prev->ntail ? &c->prev->tail[i] :
	    &c->o->lines[i - c->prev->ntail];
}

static int
combined_cont(const void *ctx, size_t i)
{
	return combined_at(ctx, i)->continuation;
}

/* Redo the walk back of occurrences that met the start of their range,
 * over the previous range's last lines and their own. */
static void
join_before(void *arg, struct evidence_set *set, int job)
{
	struct join_ctx *j = arg;
	size_t i, k, m, start, n;
	int open;

	for (i = 0; i < set->n; i++) {
		struct evidence_occurrence *o = &set->occ[i];
		struct combined c = { j->prev, o };
		struct evidence_line *lines;

		if (!(o->open & EVIDENCE_OPEN_BEFORE))
			continue;
		o->open &= ~EVIDENCE_OPEN_BEFORE;
		m = match_index(o);
		start = before_start(j->prev->ntail + m, combined_cont, &c,
		    job ? EVIDENCE_JOB_BEFORE : EVIDENCE_FINDING_BEFORE,
		    o->lines[m].continuation, &open);
		if (start >= j->prev->ntail)
			continue;	/* nothing before the range is wanted */
		n = j->prev->ntail - start;
		lines = calloc(o->nlines + n + GATHER_AFTER_LINES,
		    sizeof *lines);
		if (lines == NULL) {
			j->oom = 1;
			continue;
		}
		for (k = 0; k < n; k++) {
			const struct evidence_line *e = &j->prev->tail[start + k];

			if (evidence_line_set(&lines[k], e->line, e->time,
			    e->level, e->continuation, e->message,
			    strlen(e->message)) != 0)
				j->oom = 1;
		}
		memcpy(lines + n, o->lines, o->nlines * sizeof *lines);
		free(o->lines);
		o->lines = lines;
		o->nlines += n;
	}
}

int
gather_join(struct gather_edges *acc_edges, struct summary *acc,
    struct gather_edges *part_edges, struct summary *part)
{
	struct join_ctx j = { acc_edges, part_edges, 0 };
	struct evidence_line *tail;
	size_t keep, i, n;

	each_set(acc, join_after, &j);
	each_set(part, join_before, &j);
	/* the last GATHER_RING lines of both */
	keep = part_edges->ntail < GATHER_RING ?
	    GATHER_RING - part_edges->ntail : 0;
	if (keep > acc_edges->ntail)
		keep = acc_edges->ntail;
	n = keep + part_edges->ntail;
	tail = calloc(GATHER_RING, sizeof *tail);
	if (tail == NULL)
		return -1;
	if (keep > 0)
		memcpy(tail, acc_edges->tail + acc_edges->ntail - keep,
		    keep * sizeof *tail);
	if (part_edges->ntail > 0)
		memcpy(tail + keep, part_edges->tail,
		    part_edges->ntail * sizeof *tail);
	for (i = 0; i < acc_edges->ntail - keep; i++)
		free(acc_edges->tail[i].message);
	free(acc_edges->tail);
	free(part_edges->tail);
	part_edges->tail = NULL;
	part_edges->ntail = 0;
	acc_edges->tail = tail;
	acc_edges->ntail = n;
	acc_edges->lines += part_edges->lines;
	return j.oom ? -1 : 0;
}

static void
close_set(void *arg, struct evidence_set *set, int job)
{
	size_t i;

	(void)arg;
	(void)job;
	for (i = 0; i < set->n; i++)
		set->occ[i].open = 0;
}

void
gather_close(struct summary *s)
{
	each_set(s, close_set, NULL);
}

static void
shift_set(void *arg, struct evidence_set *set, int job)
{
	uint64_t lines = *(const uint64_t *)arg;
	size_t i, k;

	(void)job;
	for (i = 0; i < set->n; i++) {
		set->occ[i].line += lines;
		for (k = 0; k < set->occ[i].nlines; k++)
			set->occ[i].lines[k].line += lines;
	}
}

void
gather_shift(struct summary *s, struct gather_edges *e, uint64_t lines)
{
	size_t i;

	each_set(s, shift_set, &lines);
	for (i = 0; e != NULL && i < e->nhead; i++)
		e->head[i].line += lines;
	for (i = 0; e != NULL && i < e->ntail; i++)
		e->tail[i].line += lines;
}
