/* SPDX-License-Identifier: MIT */
/*
 * report_json.c -- the "marslog-summary/1" JSON writer (layout in
 * ../shared/design/summary-json.md) and the JSON string escaper.
 *
 * Output is deterministic and diff-friendly: fixed key order, 2-space
 * indentation, one object per line inside arrays.  Everything goes through
 * a local buffer that is handed to fwrite() in large blocks, so a summary
 * with a million rows costs no allocation and few stdio calls.
 *
 * Strings are escaped per RFC 8259 and made safe to embed in HTML: the
 * HTML writer puts this JSON inside <script>, so '<', '>' and '&' are
 * written as \u003c \u003e \u0026, and U+2028/U+2029 (line terminators in
 * older JavaScript) as \u2028 \u2029.  Control characters and DEL become
 * escapes, and every byte that is not part of a valid UTF-8 sequence
 * (overlong forms, surrogates and code points above U+10FFFF included)
 * becomes U+FFFD, so the output is always valid UTF-8.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "parsers/record.h"
#include "reports/baseline.h"
#include "reports/diagnose.h"
#include "reports/fleet.h"
#include "reports/json.h"
#include "reports/report.h"
#include "reports/report_history.h"
#include "reports/summary_fields.h"

struct jw {
	FILE *fp;
	int err;		/* a write failed */
	size_t n;		/* bytes in buf */
	char buf[16384];
};

static void
jw_flush(struct jw *w)
{
	if (w->n && fwrite(w->buf, 1, w->n, w->fp) != w->n)
		w->err = 1;
	w->n = 0;
}

static void
jw_put(struct jw *w, const char *p, size_t n)
{
	if (n > sizeof(w->buf) - w->n) {
		jw_flush(w);
		if (n > sizeof(w->buf)) {
			if (fwrite(p, 1, n, w->fp) != n)
				w->err = 1;
			return;
		}
	}
	memcpy(w->buf + w->n, p, n);
	w->n += n;
}

static void
jw_str(struct jw *w, const char *s)
{
	jw_put(w, s, strlen(s));
}

static void
jw_u64(struct jw *w, uint64_t v)
{
	char tmp[20];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	jw_put(w, tmp + i, sizeof(tmp) - i);
}

/* The second byte's range carries all the special cases (Unicode table
 * 3-7): E0 A0.., ED ..9F, F0 90.., F4 ..8F. */
size_t
json_utf8_len(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	unsigned char lo = 0x80, hi = 0xBF;
	size_t len, i;

	if (c < 0x80)
		return 1;
	if (c < 0xC2)
		return 0;
	if (c < 0xE0) {
		len = 2;
	} else if (c < 0xF0) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c < 0xF5) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		return 0;
	}
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xBF)
			return 0;
	return len;
}

/* Bytes that pass through unchanged: printable ASCII except the ones that
 * need an escape in JSON or inside an HTML <script>. */
static const unsigned char plain[128] = {
	[' '] = 1, ['!'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1, ['\''] = 1,
	['('] = 1, [')'] = 1, ['*'] = 1, ['+'] = 1, [','] = 1, ['-'] = 1,
	['.'] = 1, ['/'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1,
	['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	[':'] = 1, [';'] = 1, ['='] = 1, ['?'] = 1, ['@'] = 1, ['A'] = 1,
	['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1,
	['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1,
	['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1,
	['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1,
	['Z'] = 1, ['['] = 1, [']'] = 1, ['^'] = 1, ['_'] = 1, ['`'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
	['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
	['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
	['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1, ['{'] = 1, ['|'] = 1, ['}'] = 1, ['~'] = 1,
};

static void
jw_escape(struct jw *w, unsigned c)
{
	static const char hex[] = "0123456789abcdef";
	char e[6] = { '\\', 'u', '0', '0', '0', '0' };

	switch (c) {
	case '"': jw_put(w, "\\\"", 2); return;
	case '\\': jw_put(w, "\\\\", 2); return;
	case '\b': jw_put(w, "\\b", 2); return;
	case '\f': jw_put(w, "\\f", 2); return;
	case '\n': jw_put(w, "\\n", 2); return;
	case '\r': jw_put(w, "\\r", 2); return;
	case '\t': jw_put(w, "\\t", 2); return;
	default: break;
	}
	e[2] = hex[(c >> 12) & 15];
	e[3] = hex[(c >> 8) & 15];
	e[4] = hex[(c >> 4) & 15];
	e[5] = hex[c & 15];
	jw_put(w, e, sizeof(e));
}

static void
jw_string(struct jw *w, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run, len;

	jw_put(w, "\"", 1);
	while (i < n) {
		/* copy runs of plain ASCII and valid multi-byte sequences */
		run = i;
		for (;;) {
			if (i < n && s[i] < 0x80 && plain[s[i]]) {
				i++;
				continue;
			}
			if (i < n && s[i] >= 0x80 &&
			    (len = json_utf8_len(s + i, n - i)) != 0 &&
			    !(len == 3 && s[i] == 0xE2 && s[i + 1] == 0x80 &&
			    (s[i + 2] == 0xA8 || s[i + 2] == 0xA9))) {
				i += len;
				continue;
			}
			break;
		}
		jw_put(w, str + run, i - run);
		if (i >= n)
			break;
		if (s[i] < 0x80) {
			jw_escape(w, s[i]);
			i++;
		} else if (json_utf8_len(s + i, n - i) == 3) {
			/* U+2028 or U+2029 */
			jw_escape(w, 0x2028u + (s[i + 2] - 0xA8u));
			i += 3;
		} else {
			jw_put(w, "\xEF\xBF\xBD", 3);
			i++;
		}
	}
	jw_put(w, "\"", 1);
}

void
json_write_string(FILE *fp, const char *s, size_t n)
{
	struct jw w;

	w.fp = fp;
	w.err = 0;
	w.n = 0;
	jw_string(&w, s, n);
	jw_flush(&w);
}

/* ------------------------------------------------------------ values */

/*
 * K(sep, key) is the literal `sep "key": ` and its length, so writing a
 * key is one memcpy.  Every key below is written through it.
 */
#define K(sep, key) sep "\"" key "\": ", sizeof(sep "\"" key "\": ") - 1

static void
jw_opt_str(struct jw *w, const char *k, size_t kn, const char *v)
{
	jw_put(w, k, kn);
	if (v)
		jw_string(w, v, strlen(v));
	else
		jw_put(w, "null", 4);
}

static void
jw_num(struct jw *w, const char *k, size_t kn, uint64_t v)
{
	jw_put(w, k, kn);
	jw_u64(w, v);
}

static void
jw_time(struct jw *w, const char *k, size_t kn, int64_t t)
{
	char buf[40];

	jw_put(w, k, kn);
	/* exactly the times the reader accepts (record.h) */
	if (!ml_time_valid(t)) {
		jw_put(w, "null", 4);
		return;
	}
	jw_put(w, "\"", 1);
	jw_str(w, ml_time_format(t, buf, sizeof(buf)));
	jw_put(w, "\"", 1);
}

/* An enum name: plain ASCII, no escaping needed. */
static void
jw_name(struct jw *w, const char *k, size_t kn, const char *name)
{
	jw_put(w, k, kn);
	jw_put(w, "\"", 1);
	jw_str(w, name);
	jw_put(w, "\"", 1);
}

/* Between the rows of an array: the opening line or a separator. */
static void
jw_array_open(struct jw *w, const char *key, size_t n)
{
	jw_str(w, ",\n  \"");
	jw_str(w, key);
	jw_str(w, n ? "\": [\n" : "\": []");
}

static void
jw_row_sep(struct jw *w, size_t i, size_t n)
{
	jw_str(w, i + 1 < n ? "},\n" : "}\n  ]");
}

/* Hours with one decimal as a JSON number, null for never. */
static void
jw_hours(struct jw *w, const char *k, size_t kn, int64_t since)
{
	char buf[24];

	jw_put(w, k, kn);
	if (since < 0)
		jw_put(w, "null", 4);
	else
		jw_str(w, fleet_hours_format(since, buf, sizeof(buf)));
}

/* Text looked up by id: "" (unknown everywhere) is written as null. */
static const char *
text_or_null(const char *t)
{
	return t != NULL && *t != '\0' ? t : NULL;
}

_Static_assert((int)STEXT_TITLE == (int)DIAG_TITLE &&
    (int)STEXT_CAUSE == (int)DIAG_CAUSE && (int)STEXT_FIX == (int)DIAG_FIX,
    "summary_text follows diag_text");

/* What a row's derived and looked-up fields are computed from. */
struct jw_ctx {
	const struct summary *s;
	const struct fleet *f;
	const struct diagnosis *d;
	size_t i;		/* the row's index in its array */
	const char *id;		/* a finding row's id (SF_TEXT) */
};

static void
jw_key(struct jw *w, const char *sep, const char *name)
{
	jw_str(w, sep);
	jw_put(w, "\"", 1);
	jw_str(w, name);
	jw_put(w, "\": ", 3);
}

static void
jw_val_str(struct jw *w, const char *v)
{
	if (v)
		jw_string(w, v, strlen(v));
	else
		jw_put(w, "null", 4);
}

static void
jw_bool(struct jw *w, int v)
{
	jw_str(w, v ? "true" : "false");
}

static void jw_fields(struct jw *w, enum summary_row row, const void *obj,
    const char *first, const char *sep, const struct jw_ctx *c);

/* The value of a DERIVED field of summary_fields.def. */
static void
jw_derived(struct jw *w, int id, const struct jw_ctx *c)
{
	const struct diag_machine *dm = &c->d->machines[c->i];
	const struct diag_job *dj = &c->d->jobs[c->i];
	char buf[24];

	switch ((enum summary_derived)id) {
	case SD_MACHINE_top_finding:
		jw_val_str(w, dm->nranked ? c->s->findings[dm->ranked[0]].id :
		    NULL);
		return;
	case SD_MACHINE_hours_since_success:
		if (c->f->rows[c->i].since < 0)
			jw_put(w, "null", 4);
		else
			jw_str(w, fleet_hours_format(c->f->rows[c->i].since, buf,
			    sizeof(buf)));
		return;
	case SD_MACHINE_stale:
		jw_bool(w, c->f->rows[c->i].stale);
		return;
	case SD_MACHINE_verdict:
		jw_val_str(w, verdict_name(dm->verdict));
		return;
	case SD_MACHINE_verdict_finding:
		jw_val_str(w, dm->verdict_finding);
		return;
	case SD_FINDING_current:
		jw_bool(w, c->d->findings[c->i].current);
		return;
	case SD_JOB_reason:
		jw_val_str(w, dj->reason);
		return;
	case SD_JOB_reason_title:
		jw_val_str(w, dj->reason ? text_or_null(diagnose_text(c->d,
		    dj->reason, DIAG_TITLE)) : NULL);
		return;
	case SD_NONE:
	case SD__COUNT:
		break;
	}
	jw_put(w, "null", 4);
}

/* The occurrences of a finding or job (reports/evidence.h), each with
 * its lines. */
static void
jw_evidence(struct jw *w, const struct evidence_set *ev)
{
	size_t i, k;

	jw_put(w, "[", 1);
	for (i = 0; i < ev->n; i++) {
		const struct evidence_occurrence *o = &ev->occ[i];

		if (i > 0)
			jw_put(w, ", ", 2);
		jw_opt_str(w, K("{", "path"), o->path);
		jw_num(w, K(", ", "line"), o->line);
		jw_time(w, K(", ", "time"), o->time);
		jw_put(w, K(", ", "lines"));
		jw_put(w, "[", 1);
		for (k = 0; k < o->nlines; k++) {
			const struct evidence_line *l = &o->lines[k];
			const char *level = ml_level_name(l->level);

			if (k > 0)
				jw_put(w, ", ", 2);
			jw_num(w, K("{", "line"), l->line);
			jw_time(w, K(", ", "time"), l->time);
			jw_opt_str(w, K(", ", "level"), *level ? level : NULL);
			jw_put(w, K(", ", "match"));
			jw_str(w, l->match ? "true" : "false");
			jw_put(w, K(", ", "continuation"));
			jw_str(w, l->continuation ? "true" : "false");
			jw_opt_str(w, K(", ", "message"), l->message);
			jw_put(w, "}", 1);
		}
		jw_put(w, "]}", 2);
	}
	jw_put(w, "]", 1);
}

static void
jw_value(struct jw *w, const struct summary_field *f, const void *obj,
    const struct jw_ctx *c)
{
	const struct summary_sample *sm;
	const char *name;
	int v, year;

	switch (f->type) {
	case SF_KEY:
	case SF_NKEY:
	case SF_STR:
	case SF_ISTR:
		jw_val_str(w, *SUMMARY_FIELD_CAT(obj, f, char *));
		return;
	case SF_TEXT:
		jw_val_str(w, text_or_null(diagnose_text(c->d, c->id,
		    (enum diag_text)f->arg)));
		return;
	case SF_U64:
		jw_u64(w, *SUMMARY_FIELD_CAT(obj, f, uint64_t));
		return;
	case SF_TIME:
		jw_time(w, "", 0, *SUMMARY_FIELD_CAT(obj, f, int64_t));
		return;
	case SF_YEAR:
		year = *SUMMARY_FIELD_CAT(obj, f, int);
		if (year >= 1970 && year <= 9999)
			jw_u64(w, (uint64_t)year);
		else
			jw_put(w, "null", 4);
		return;
	case SF_ENUM:
	case SF_NENUM:
		memcpy(&v, SUMMARY_FIELD_CAT(obj, f, char), sizeof(v));
		name = f->enum_name(v);
		jw_val_str(w, name);	/* ASCII: nothing to escape */
		return;
	case SF_SAMPLE:
		sm = SUMMARY_FIELD_CAT(obj, f, struct summary_sample);
		if (!sm->path) {
			jw_put(w, "null", 4);
			return;
		}
		jw_fields(w, SROW_SAMPLE, sm, "{", ", ", c);
		jw_put(w, "}", 1);
		return;
	case SF_EVIDENCE:
		jw_evidence(w, SUMMARY_FIELD_CAT(obj, f, struct evidence_set));
		return;
	case SF_DERIVED:
		jw_derived(w, f->arg, c);
		return;
	}
}

/* Every field of a row of kind `row` in the order of
 * summary_fields.def: `first` before the first key, `sep` before the
 * others. */
static void
jw_fields(struct jw *w, enum summary_row row, const void *obj,
    const char *first, const char *sep, const struct jw_ctx *c)
{
	const struct summary_field *f;
	const char *pre = first;

	for (f = summary_fields(row); f->name; f++, pre = sep) {
		jw_key(w, pre, f->name);
		jw_value(w, f, obj, c);
	}
}

/* An array of rows, one object per line. */
static void
jw_rows(struct jw *w, enum summary_row row, const void *arr, size_t n,
    size_t size, struct jw_ctx *c)
{
	size_t i;

	jw_array_open(w, summary_row_key(row), n);
	for (i = 0; i < n; i++) {
		const void *obj = (const char *)arr + i * size;

		c->i = i;
		c->id = row == SROW_FINDING ?
		    ((const struct summary_finding *)obj)->id : NULL;
		jw_fields(w, row, obj, "    {", ", ", c);
		jw_row_sep(w, i, n);
	}
}

/* A number of hours as given (26, 1.5): %g is exact for what the CLI
 * accepts and the same on every run. */
static void
jw_double(struct jw *w, const char *k, size_t kn, double v)
{
	char buf[32];

	jw_put(w, k, kn);
	snprintf(buf, sizeof(buf), "%g", v);
	jw_str(w, buf);
}

static void
jw_fleet(struct jw *w, const struct fleet *f)
{
	size_t i;

	jw_str(w, ",\n  \"fleet\": {");
	jw_time(w, K("", "as_of"), f->as_of);
	jw_double(w, K(", ", "stale_after_hours"), f->stale_after_hours);
	jw_str(w, ", \"stale\": [");
	for (i = 0; i < f->nstale; i++) {
		const char *name = f->rows[f->stale[i]].m->name;

		if (i > 0)
			jw_str(w, ", ");
		jw_string(w, name, strlen(name));
	}
	jw_str(w, "]}");
}

static void
jw_opt_name(struct jw *w, const char *k, size_t kn, const char *name)
{
	if (name) {
		jw_name(w, k, kn, name);
		return;
	}
	jw_put(w, k, kn);
	jw_put(w, "null", 4);
}

static void
jw_opt_num(struct jw *w, const char *k, size_t kn, int has, uint64_t v)
{
	if (has) {
		jw_num(w, k, kn, v);
		return;
	}
	jw_put(w, k, kn);
	jw_put(w, "null", 4);
}

static void
jw_change(struct jw *w, const struct baseline_item *it,
    const struct diagnosis *d)
{
	const struct summary_finding *f = it->finding;
	int fnd = it->subject == BASELINE_FINDING;
	int stale = it->subject == BASELINE_STALE;
	int job = it->subject == BASELINE_LAST_JOB;
	const char *title;

	jw_name(w, K("    {", "change"), baseline_change_name(it->change));
	jw_name(w, K(", ", "subject"), baseline_subject_name(it->subject));
	jw_opt_str(w, K(", ", "machine"), it->machine);
	jw_opt_str(w, K(", ", "id"), f ? f->id : NULL);
	jw_opt_str(w, K(", ", "code"), f ? f->code : NULL);
	title = f ? text_or_null(diagnose_text(d, f->id, DIAG_TITLE)) : NULL;
	jw_opt_str(w, K(", ", "title"), title ? title : f ? f->title : NULL);
	jw_opt_name(w, K(", ", "level_before"), fnd && it->level_before ?
	    cat_level_name(it->level_before) : NULL);
	jw_opt_name(w, K(", ", "level_after"), fnd && it->level_after ?
	    cat_level_name(it->level_after) : NULL);
	jw_opt_num(w, K(", ", "count_before"), fnd && it->level_before,
	    it->count_before);
	jw_opt_num(w, K(", ", "count_after"), fnd && it->level_after,
	    it->count_after);
	jw_hours(w, K(", ", "hours_before"), stale ? it->since_before : -1);
	jw_hours(w, K(", ", "hours_after"), stale ? it->since_after : -1);
	jw_opt_name(w, K(", ", "outcome_before"), job ?
	    job_outcome_name(it->outcome_before) : NULL);
	jw_opt_name(w, K(", ", "outcome_after"), job ?
	    job_outcome_name(it->outcome_after) : NULL);
}

/* "changes": null without a baseline. */
static void
jw_changes(struct jw *w, const struct baseline_diff *d,
    const struct diagnosis *dg)
{
	size_t i;

	jw_str(w, ",\n  \"changes\": ");
	if (!d) {
		jw_str(w, "null");
		return;
	}
	jw_time(w, K("{", "baseline_as_of"), d->as_of_before);
	jw_time(w, K(", ", "as_of"), d->as_of_after);
	jw_str(w, ", \"counts\": {");
	for (i = 0; i < BASELINE__COUNT; i++) {
		jw_str(w, i ? ", \"" : "\"");
		jw_str(w, baseline_change_name((enum baseline_change)i));
		jw_str(w, "\": ");
		jw_u64(w, d->count[i]);
	}
	jw_str(w, "}");
	jw_str(w, d->nitems ? ", \"items\": [\n" : ", \"items\": []}");
	for (i = 0; i < d->nitems; i++) {
		jw_change(w, &d->items[i], dg);
		jw_str(w, i + 1 < d->nitems ? "},\n" : "}\n  ]}");
	}
}

/*
 * The document.  "changes" and "fleet" come first after the generator
 * (a person opening the file sees them first); both are derived from the
 * rest and the options, and the reader ignores them (json_read.c reads
 * only fleet.as_of, for a baseline).
 */
static int
jw_document(const struct summary *s, const struct report_options *o,
    FILE *fp)
{
	struct jw w;
	struct jw_ctx c;
	struct fleet *f = fleet_new(s, o, 0);
	struct diagnosis *own = NULL;
	const struct diagnosis *d = o != NULL ? o->diag : NULL;

	if (d == NULL)
		d = own = diagnose_new(s, o != NULL ? o->catalog : NULL, o);
	if (!f || !d) {
		fleet_free(f);
		diagnose_free(own);
		errno = ENOMEM;
		return -1;
	}
	w.fp = fp;
	w.err = 0;
	w.n = 0;
	jw_str(&w, "{\n  \"schema\": \"" SUMMARY_SCHEMA "\"");
	jw_opt_str(&w, K(",\n  ", "generator"), s->generator);
	jw_opt_str(&w, K(",\n  ", "redaction"), s->redaction);
	jw_changes(&w, o ? o->diff : NULL, d);
	jw_fleet(&w, f);
	jw_str(&w, ",\n  \"history\": ");
	jw_flush(&w);
	history_json_write(fp, o ? o->history : NULL, "  ");
	c.s = s;
	c.f = f;
	c.d = d;
	c.i = 0;
	c.id = NULL;
	jw_str(&w, ",\n  \"totals\": {");
	jw_fields(&w, SROW_TOTALS, &s->totals, "\n    ", ",\n    ", &c);
	jw_str(&w, "\n  }");
	jw_rows(&w, SROW_MACHINE, s->machines, s->nmachines,
	    sizeof(*s->machines), &c);
	jw_rows(&w, SROW_INPUT, s->inputs, s->ninputs, sizeof(*s->inputs), &c);
	jw_rows(&w, SROW_FINDING, s->findings, s->nfindings,
	    sizeof(*s->findings), &c);
	jw_rows(&w, SROW_JOB, s->jobs, s->njobs, sizeof(*s->jobs), &c);
	jw_rows(&w, SROW_FAILED_FILE, s->failed_files, s->nfailed_files,
	    sizeof(*s->failed_files), &c);
	jw_rows(&w, SROW_TEMPLATE, s->templates, s->ntemplates,
	    sizeof(*s->templates), &c);
	jw_rows(&w, SROW_BUCKET, s->timeline, s->ntimeline,
	    sizeof(*s->timeline), &c);
	jw_num(&w, K(",\n  ", "templates_dropped"), s->templates_dropped);
	jw_str(&w, "\n}\n");
	jw_flush(&w);
	fleet_free(f);
	diagnose_free(own);
	return w.err || ferror(fp) ? -1 : 0;
}

int
summary_write_json(const struct summary *s, FILE *fp)
{
	return jw_document(s, NULL, fp);
}

static int
json_write(const struct summary *s, const struct report_options *o,
    FILE *fp, const char *path, char *err, size_t errlen)
{
	(void)path;
	errno = 0;
	if (jw_document(s, o, fp) < 0) {
		snprintf(err, errlen, "%s", errno ? strerror(errno) :
		    "write error");
		return -1;
	}
	return 0;
}

const struct report_writer report_writer_json = {
	.name = "json",
	.write = json_write,
};
