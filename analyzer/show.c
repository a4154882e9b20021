/* SPDX-License-Identifier: MIT */
/*
 * show.c -- the records behind a finding, a code, a job or a pattern
 * (see show.h).
 *
 * Streaming modes keep grep's rules: a ring holds the lines read since
 * the last printed one (copies, cut at SHOW_CONTEXT_MAX bytes), a match
 * prints the ring's tail back to the start of the B-th record before it,
 * then the match, then its continuation lines and A more records.  Lines
 * are numbered in the order the tap sees them (`seq`), so "--" separates
 * exactly the groups that are not adjacent.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyzer/show.h"
#include "patterns/classify.h"
#include "reports/json.h"
#include "reports/text.h"

#define RING_PER_RECORD	8	/* ring lines per context record */
#define GUID_LEN	36

/* A copied line: a ring slot or a line of the job in SHOW_TASK.  `l`
 * points into the slot's own buffers (its `e` is NULL). */
struct sline {
	struct analysis_line l;
	uint64_t seq;			/* tap order */
	size_t path;			/* index into show.paths */
	char finding[96];
	char task[GUID_LEN + 1];
	char *msg;			/* NUL-terminated copy */
	size_t cap;
};

/* What one printed line needs, borrowed. */
struct sview {
	const char *machine, *path;
	const struct analysis_line *l;
	int match;
};

struct show {
	struct show_options o;
	struct analysis_tap tap;
	pcre2_code *re;
	pcre2_match_data *md;
	/* inputs seen: machine and path of each, for copied lines */
	char **machines, **paths;
	size_t npaths;
	const struct source_entry *cur; /* the input of paths[npaths - 1] */
	/* streaming */
	struct sline *ring;
	size_t ring_cap, ring_len, ring_head; /* oldest at ring_head */
	uint64_t seq, last_printed;	/* 0: nothing printed yet */
	int any_printed;
	int in_after, after_left;
	/* SHOW_TASK */
	struct sline *job;
	size_t njob, cjob;
	uint64_t matches;
	struct text_buf tmp;
};

/* -------------------------------------------------------------- resolve */

/* 1 if s is a GUID (8-4-4-4-12 hex digits), optionally in braces; the
 * bare GUID goes to out (GUID_LEN + 1 bytes). */
static int
parse_guid(const char *s, char *out)
{
	size_t n = strlen(s), i;

	if (n == GUID_LEN + 2 && s[0] == '{' && s[n - 1] == '}') {
		s++;
		n -= 2;
	}
	if (n != GUID_LEN)
		return 0;
	for (i = 0; i < n; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return 0;
	}
	memcpy(out, s, n);
	out[n] = '\0';
	return 1;
}

int
show_resolve(const struct catalog *cat, const char *what,
    struct show_options *o, char *buf, size_t len, char *err, size_t errlen)
{
	const struct catalog_entry *e;
	char code[64];
	enum code_kind kind;

	o->entry = NULL;
	o->code = NULL;
	if (len > GUID_LEN && parse_guid(what, buf)) {
		o->mode = SHOW_TASK;
		o->what = buf;
		return 0;
	}
	o->mode = SHOW_FINDING;
	e = catalog_find_id(cat, what);
	if (e == NULL && strncasecmp(what, "hresult-", 8) == 0 &&
	    code_normalise(what + 8, code, sizeof code) == CODE_HRESULT) {
		e = catalog_find_code(cat, code);
		if (e == NULL) {
			snprintf(buf, len, "hresult-%s", code);
			o->what = buf;
			o->code = buf + 8;
			return 0;
		}
	}
	if (e == NULL) {
		kind = code_normalise(what, code, sizeof code);
		if (kind == CODE_NONE) {
			snprintf(err, errlen, "show: '%s' is not a code, a finding id or a task GUID (use --grep PATTERN to search the text)",
			    what);
			return -1;
		}
		e = catalog_find_code(cat, code);
		if (e == NULL && kind != CODE_HRESULT) {
			snprintf(err, errlen, "show: %s is not in the catalog, so no finding has it (try 'marslog catalog', or --grep '%s')",
			    code, code);
			return -1;
		}
		snprintf(buf, len, "%s%s", e != NULL ? "" : "hresult-",
		    e != NULL ? e->id : code);
		o->what = buf;
		o->code = e != NULL ? NULL : buf + 8;
		o->entry = e;
		if (e != NULL) {
			/* keep the code as asked, for highlighting */
			size_t k = strlen(buf) + 1;

			if (k < len) {
				snprintf(buf + k, len - k, "%s", code);
				o->code = buf + k;
			}
		}
		return 0;
	}
	snprintf(buf, len, "%s", e->id);
	o->what = buf;
	o->entry = e;
	return 0;
}

/* --------------------------------------------------------------- output */

static const char *
level_sgr(enum ml_level l)
{
	if (l >= ML_LEVEL_ERROR)
		return "\033[31m";
	if (l == ML_LEVEL_WARNING)
		return "\033[33m";
	return "\033[2m";
}

/* Case-insensitive search of needle in s[0, n) from `from`. */
static const char *
find_ci(const char *s, size_t n, size_t from, const char *needle)
{
	size_t k = strlen(needle), i;

	if (k == 0)
		return NULL;
	for (i = from; i + k <= n; i++)
		if (strncasecmp(s + i, needle, k) == 0)
			return s + i;
	return NULL;
}

/* The forms of a normalised code as they appear in logs: as written,
 * an HRESULT without 0x, a MARS ID in hex ([0x1FC07]). */
static size_t
code_forms(const char *code, char forms[3][64])
{
	size_t n = 0;
	char *end;
	unsigned long v;

	snprintf(forms[n++], 64, "%s", code);
	if (strncmp(code, "0x", 2) == 0 && strlen(code) == 10)
		snprintf(forms[n++], 64, "%s", code + 2);
	else if (isdigit((unsigned char)code[0])) {
		v = strtoul(code, &end, 10);
		if (*end == '\0' && v >= 0x10000 && v <= 0xFFFFF)
			snprintf(forms[n++], 64, "0x%05lX", v);
	}
	return n;
}

/* The end of the earliest highlight at or after `from` in the cleaned
 * message m[0, n), or 0 if none; its start in *start. */
static size_t
next_highlight(struct show *s, const struct sview *v, const char *m,
    size_t n, size_t from, size_t *start)
{
	const char *best = NULL, *hit;
	size_t best_len = 0, i, k, nf;
	char forms[3][64];

	if (s->o.mode == SHOW_GREP) {
		int rc = pcre2_match(s->re, (PCRE2_SPTR)m, n, from, 0, s->md,
		    NULL);
		PCRE2_SIZE *ov;

		if (rc < 0)
			return 0;
		ov = pcre2_get_ovector_pointer(s->md);
		if (ov[1] <= ov[0])
			return 0;
		*start = ov[0];
		return ov[1];
	}
	if (s->o.mode == SHOW_TASK) {
		hit = find_ci(m, n, from, s->o.what);
		if (hit == NULL)
			return 0;
		*start = (size_t)(hit - m);
		return *start + strlen(s->o.what);
	}
	if (!v->match)
		return 0;
	for (i = 0; s->o.entry != NULL && i <= s->o.entry->ncodes; i++) {
		const char *code = i < s->o.entry->ncodes ?
		    s->o.entry->codes[i] : s->o.code;

		if (code == NULL)
			continue;
		nf = code_forms(code, forms);
		for (k = 0; k < nf; k++) {
			hit = find_ci(m, n, from, forms[k]);
			if (hit != NULL && (best == NULL || hit < best)) {
				best = hit;
				best_len = strlen(forms[k]);
			}
		}
	}
	if (s->o.entry == NULL && s->o.code != NULL) {
		nf = code_forms(s->o.code, forms);
		for (k = 0; k < nf; k++) {
			hit = find_ci(m, n, from, forms[k]);
			if (hit != NULL && (best == NULL || hit < best)) {
				best = hit;
				best_len = strlen(forms[k]);
			}
		}
	}
	if (best == NULL)
		return 0;
	*start = (size_t)(best - m);
	return *start + best_len;
}

static void
put_clean(struct show *s, const char *p, size_t n)
{
	s->tmp.len = 0;
	text_buf_add_clean(&s->tmp, p, n);
	if (s->tmp.len > 0)
		fwrite(s->tmp.p, 1, s->tmp.len, s->o.out);
}

/* A JSON string, or null when n is 0. */
static void
json_str_or_null(FILE *fp, const char *p, size_t n)
{
	if (n == 0)
		fputs("null", fp);
	else
		json_write_string(fp, p, n);
}

static void
print_json(struct show *s, const struct sview *v)
{
	FILE *fp = s->o.out;
	char t[32];
	const char *level = ml_level_name(v->l->level);

	fputs("{\"machine\":", fp);
	json_write_string(fp, v->machine, strlen(v->machine));
	fputs(",\"path\":", fp);
	json_write_string(fp, v->path, strlen(v->path));
	fprintf(fp, ",\"line\":%llu,\"time\":", (unsigned long long)v->l->line);
	if (v->l->time == ML_TIME_NONE)
		fputs("null", fp);
	else
		fprintf(fp, "\"%s\"", ml_time_format(v->l->time, t, sizeof t));
	fputs(",\"level\":", fp);
	json_str_or_null(fp, level, strlen(level));
	fputs(",\"task\":", fp);
	json_str_or_null(fp, v->l->task.p, v->l->task.n);
	fputs(",\"finding\":", fp);
	json_str_or_null(fp, v->l->finding, v->l->finding != NULL ?
	    strlen(v->l->finding) : 0);
	fprintf(fp, ",\"match\":%s,\"continuation\":%s,\"milestone\":%s,\"message\":",
	    v->match ? "true" : "false", v->l->continuation ? "true" : "false",
	    v->l->milestone ? "true" : "false");
	json_write_string(fp, v->l->message.p, v->l->message.n);
	fputs("}\n", fp);
}

/* mark machine path:line time LEVEL message; a continuation line shows
 * "|" instead of its (repeated) time and level. */
static void
print_text(struct show *s, const struct sview *v)
{
	FILE *fp = s->o.out;
	int c = s->o.color;
	char mark = v->l->milestone && s->o.mode == SHOW_TASK ? '*' :
	    v->match && s->o.mode != SHOW_TASK ? '>' : ' ';
	char t[32];
	struct text_buf msg = TEXT_BUF_INIT;
	size_t from = 0, start = 0, end;

	if (c && mark != ' ')
		fprintf(fp, "\033[1;31m%c\033[0m ", mark);
	else
		fprintf(fp, "%c ", mark);
	put_clean(s, v->machine, strlen(v->machine));
	fputs(c ? " \033[35m" : " ", fp);
	put_clean(s, v->path, strlen(v->path));
	fprintf(fp, c ? "\033[0m:\033[32m%llu\033[0m " : ":%llu ",
	    (unsigned long long)v->l->line);
	if (v->l->continuation) {
		fputs(c ? "\033[2m|\033[0m " : "| ", fp);
	} else {
		fputs(v->l->time == ML_TIME_NONE ? "-" :
		    ml_time_format(v->l->time, t, sizeof t), fp);
		if (v->l->level != ML_LEVEL_NONE)
			fprintf(fp, c ? " %s%s\033[0m " : "%.0s %s ",
			    level_sgr(v->l->level), ml_level_name(v->l->level));
		else
			fputs(" - ", fp);
	}
	text_buf_add_clean(&msg, v->l->message.p, v->l->message.n);
	if (msg.len > 0 && c) {
		while (from < msg.len &&
		    (end = next_highlight(s, v, msg.p, msg.len, from,
		    &start)) > 0) {
			fwrite(msg.p + from, 1, start - from, fp);
			fputs("\033[1;31m", fp);
			fwrite(msg.p + start, 1, end - start, fp);
			fputs("\033[0m", fp);
			from = end;
		}
		if (v->l->milestone && s->o.mode == SHOW_TASK)
			fputs("\033[1m", fp);
		fwrite(msg.p + from, 1, msg.len - from, fp);
		if (v->l->milestone && s->o.mode == SHOW_TASK)
			fputs("\033[0m", fp);
	} else if (msg.len > 0) {
		fwrite(msg.p, 1, msg.len, fp);
	}
	fputc('\n', fp);
	text_buf_release(&msg);
}

static void
print_view(struct show *s, const struct sview *v)
{
	if (s->o.json)
		print_json(s, v);
	else
		print_text(s, v);
}

static void
view_of_copy(const struct show *s, const struct sline *l, int match,
    struct sview *v)
{
	v->machine = s->machines[l->path];
	v->path = s->paths[l->path];
	v->l = &l->l;
	v->match = match;
}

static void
view_of_line(const struct analysis_line *l, int match, struct sview *v)
{
	v->machine = l->e->machine;
	v->path = l->e->path;
	v->l = l;
	v->match = match;
}

/* "--" before a group that does not follow the last printed line. */
static void
separate(struct show *s, uint64_t seq)
{
	if ((s->o.before > 0 || s->o.after > 0) && s->any_printed &&
	    seq != s->last_printed + 1 && !s->o.json)
		fputs("--\n", s->o.out);
}

/* ---------------------------------------------------------------- copies */

/* Copy l into slot d (message cut at `max` bytes, on a character
 * boundary).  -1 on OOM. */
static int
copy_line(struct show *s, struct sline *d, const struct analysis_line *l,
    size_t max)
{
	size_t n = l->message.n;

	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)l->message.p[n] & 0xC0) == 0x80)
			n--;
	}
	if (d->cap < n + 1) {
		char *m = realloc(d->msg, n + 1);

		if (m == NULL)
			return -1;
		d->msg = m;
		d->cap = n + 1;
	}
	memcpy(d->msg, l->message.p, n);
	d->msg[n] = '\0';
	d->seq = s->seq;
	d->path = s->npaths - 1;
	d->l = *l;
	d->l.e = NULL;
	d->l.message = (struct ml_span){ d->msg, n };
	snprintf(d->finding, sizeof d->finding, "%s",
	    l->finding != NULL ? l->finding : "");
	d->l.finding = l->finding != NULL ? d->finding : NULL;
	n = l->task.n < GUID_LEN ? l->task.n : GUID_LEN;
	if (n > 0)	/* a failed-files item has no task (p may be NULL) */
		memcpy(d->task, l->task.p, n);
	d->task[n] = '\0';
	d->l.task = (struct ml_span){ d->task, n };
	return 0;
}

/* Note the input of l (a new one gets its machine and path copied). */
static int
note_input(struct show *s, const struct source_entry *e)
{
	char **m, **p;

	if (s->cur == e && s->npaths > 0 &&
	    strcmp(s->paths[s->npaths - 1], e->path) == 0)
		return 0;
	m = realloc(s->machines, (s->npaths + 1) * sizeof *m);
	if (m != NULL)
		s->machines = m;
	p = realloc(s->paths, (s->npaths + 1) * sizeof *p);
	if (p != NULL)
		s->paths = p;
	if (m == NULL || p == NULL)
		return -1;
	m[s->npaths] = strdup(e->machine);
	p[s->npaths] = strdup(e->path);
	if (m[s->npaths] == NULL || p[s->npaths] == NULL) {
		free(m[s->npaths]);
		free(p[s->npaths]);
		return -1;
	}
	s->npaths++;
	s->cur = e;
	return 0;
}

static struct sline *
ring_at(struct show *s, size_t i)
{
	return &s->ring[(s->ring_head + i) % s->ring_cap];
}

static int
ring_push(struct show *s, const struct analysis_line *l)
{
	struct sline *d;

	if (s->ring_len == s->ring_cap) {
		s->ring_head = (s->ring_head + 1) % s->ring_cap;
		s->ring_len--;
	}
	d = ring_at(s, s->ring_len);
	if (copy_line(s, d, l, SHOW_CONTEXT_MAX) != 0)
		return -1;
	s->ring_len++;
	return 0;
}

/* Print the ring's lines that belong to the `before` records before the
 * match (and, if the match is a continuation, its own record's first
 * lines), unless already printed. */
static void
print_before(struct show *s, int continuation)
{
	size_t i = s->ring_len, heads = 0;
	size_t need = (size_t)s->o.before + (continuation ? 1 : 0);
	struct sview v;

	while (i > 0 && heads < need) {
		struct sline *l = ring_at(s, i - 1);

		if (s->any_printed && l->seq <= s->last_printed)
			break;
		i--;
		heads += !l->l.continuation;
	}
	for (; i < s->ring_len; i++) {
		struct sline *l = ring_at(s, i);

		separate(s, l->seq);
		view_of_copy(s, l, 0, &v);
		print_view(s, &v);
		s->last_printed = l->seq;
		s->any_printed = 1;
	}
}

/* ------------------------------------------------------------------ tap */

static int
is_match(struct show *s, const struct analysis_line *l)
{
	int rc;

	switch (s->o.mode) {
	case SHOW_FINDING:
		return l->finding != NULL && strcmp(l->finding, s->o.what) == 0;
	case SHOW_TASK:
		return l->task.n == GUID_LEN &&
		    strncasecmp(l->task.p, s->o.what, GUID_LEN) == 0;
	case SHOW_GREP:
		rc = pcre2_match(s->re, (PCRE2_SPTR)l->message.p,
		    l->message.n, 0, 0, s->md, NULL);
		return rc >= 0;
	}
	return 0;
}

static int
tap_line(void *arg, const struct analysis_line *l)
{
	struct show *s = arg;
	struct sview v;
	int match, print = 0;

	if (s->o.machine != NULL && strcasecmp(s->o.machine, l->e->machine) != 0)
		return 0;
	if (note_input(s, l->e) != 0)
		return -1;
	s->seq++;
	match = (s->o.max == 0 || s->matches < s->o.max) && is_match(s, l);
	if (s->o.mode == SHOW_TASK) {
		struct sline *d;

		if (!match)
			return 0;
		if (s->njob == s->cjob) {
			size_t c = s->cjob ? 2 * s->cjob : 256;

			d = realloc(s->job, c * sizeof *d);
			if (d == NULL)
				return -1;
			memset(d + s->cjob, 0, (c - s->cjob) * sizeof *d);
			s->job = d;
			s->cjob = c;
		}
		if (copy_line(s, &s->job[s->njob], l, SHOW_TASK_MAX) != 0)
			return -1;
		s->njob++;
		s->matches++;
		return 0;
	}
	if (match) {
		s->matches++;
		print_before(s, l->continuation);
		s->in_after = 1;
		s->after_left = s->o.after;
		print = 1;
	} else if (s->in_after) {
		if (l->continuation)
			print = 1;
		else if (s->after_left > 0) {
			s->after_left--;
			print = 1;
		} else {
			s->in_after = 0;
		}
	}
	if (print) {
		separate(s, s->seq);
		view_of_line(l, match, &v);
		print_view(s, &v);
		s->last_printed = s->seq;
		s->any_printed = 1;
	}
	if (ring_push(s, l) != 0)
		return -1;
	/* after the last match and its context, stop reading (grep -m) */
	if (s->o.max > 0 && s->matches >= s->o.max && !s->in_after)
		return 1;
	return 0;
}

/* Context does not run from one input into the next. */
static int
tap_entry_end(void *arg, const struct source_entry *e)
{
	struct show *s = arg;

	(void)e;
	s->ring_len = 0;
	s->in_after = 0;
	s->seq++;
	return 0;
}

/* --------------------------------------------------------------- public */

struct show *
show_new(const struct show_options *o, char *err, size_t errlen)
{
	struct show *s = calloc(1, sizeof *s);
	int rc;
	PCRE2_SIZE off;

	if (s == NULL)
		goto oom;
	s->o = *o;
	s->tap.line = tap_line;
	s->tap.entry_end = tap_entry_end;
	s->tap.arg = s;
	if (o->mode == SHOW_GREP) {
		s->re = pcre2_compile((PCRE2_SPTR)o->what, PCRE2_ZERO_TERMINATED,
		    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &rc, &off, NULL);
		if (s->re == NULL) {
			PCRE2_UCHAR msg[256];

			pcre2_get_error_message(rc, msg, sizeof msg);
			snprintf(err, errlen, "show: --grep '%s': %s at offset %zu",
			    o->what, (const char *)msg, (size_t)off);
			show_free(s);
			return NULL;
		}
		(void)pcre2_jit_compile(s->re, PCRE2_JIT_COMPLETE);
		s->md = pcre2_match_data_create_from_pattern(s->re, NULL);
		if (s->md == NULL)
			goto oom;
	}
	s->ring_cap = ((size_t)o->before + 1) * RING_PER_RECORD;
	s->ring = calloc(s->ring_cap, sizeof *s->ring);
	if (s->ring == NULL)
		goto oom;
	return s;
oom:
	snprintf(err, errlen, "out of memory");
	show_free(s);
	return NULL;
}

void
show_free(struct show *s)
{
	size_t i;

	if (s == NULL)
		return;
	pcre2_match_data_free(s->md);
	pcre2_code_free(s->re);
	for (i = 0; i < s->ring_cap; i++)
		free(s->ring[i].msg);
	free(s->ring);
	for (i = 0; i < s->cjob; i++)
		free(s->job[i].msg);
	free(s->job);
	for (i = 0; i < s->npaths; i++) {
		free(s->machines[i]);
		free(s->paths[i]);
	}
	free(s->machines);
	free(s->paths);
	text_buf_release(&s->tmp);
	free(s);
}

const struct analysis_tap *
show_tap(struct show *s)
{
	return &s->tap;
}

/* Time order; unknown times last; then the order read (inputs in walk
 * order, lines in file order). */
static int
cmp_job(const void *pa, const void *pb)
{
	const struct sline *a = pa, *b = pb;

	if (a->l.time != b->l.time) {
		if (a->l.time == ML_TIME_NONE || b->l.time == ML_TIME_NONE)
			return a->l.time == ML_TIME_NONE ? 1 : -1;
		return a->l.time < b->l.time ? -1 : 1;
	}
	return (a->seq > b->seq) - (a->seq < b->seq);
}

int
show_finish(struct show *s)
{
	struct sview v;
	size_t i;

	if (s->o.mode != SHOW_TASK)
		return 0;
	if (s->njob > 1)
		qsort(s->job, s->njob, sizeof *s->job, cmp_job);
	for (i = 0; i < s->njob; i++) {
		view_of_copy(s, &s->job[i], 1, &v);
		print_view(s, &v);
	}
	return 0;
}

uint64_t
show_matches(const struct show *s)
{
	return s->matches;
}
