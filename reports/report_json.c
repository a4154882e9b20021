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

static void
jw_sample(struct jw *w, const struct summary_sample *sm)
{
	jw_put(w, K(", ", "sample"));
	if (!sm->path) {
		jw_put(w, "null", 4);
		return;
	}
	jw_opt_str(w, K("{", "path"), sm->path);
	jw_num(w, K(", ", "line"), sm->line);
	jw_opt_str(w, K(", ", "message"), sm->message);
	jw_time(w, K(", ", "time"), sm->time);
	jw_put(w, "}", 1);
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

static void
jw_totals(struct jw *w, const struct summary_totals *t)
{
	jw_str(w, ",\n  \"totals\": {");
	jw_num(w, K("\n    ", "inputs"), t->inputs);
	jw_num(w, K(",\n    ", "inputs_skipped"), t->inputs_skipped);
	jw_num(w, K(",\n    ", "bytes"), t->bytes);
	jw_num(w, K(",\n    ", "records"), t->records);
	jw_num(w, K(",\n    ", "unparsed_lines"), t->unparsed_lines);
	jw_num(w, K(",\n    ", "findings"), t->findings);
	jw_num(w, K(",\n    ", "errors"), t->errors);
	jw_num(w, K(",\n    ", "warnings"), t->warnings);
	jw_num(w, K(",\n    ", "jobs"), t->jobs);
	jw_num(w, K(",\n    ", "jobs_failed"), t->jobs_failed);
	jw_num(w, K(",\n    ", "failed_files"), t->failed_files);
	jw_str(w, "\n  }");
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

static void
jw_machines(struct jw *w, const struct summary *s, const struct fleet *f,
    const struct diagnosis *d)
{
	size_t i;

	jw_array_open(w, "machines", s->nmachines);
	for (i = 0; i < s->nmachines; i++) {
		const struct summary_machine *m = &s->machines[i];
		const struct diag_machine *dm = &d->machines[i];

		jw_opt_str(w, K("    {", "name"), m->name);
		jw_num(w, K(", ", "inputs"), m->inputs);
		jw_num(w, K(", ", "inputs_skipped"), m->inputs_skipped);
		jw_num(w, K(", ", "records"), m->records);
		jw_num(w, K(", ", "errors"), m->errors);
		jw_num(w, K(", ", "warnings"), m->warnings);
		jw_num(w, K(", ", "jobs"), m->jobs);
		jw_num(w, K(", ", "jobs_failed"), m->jobs_failed);
		jw_num(w, K(", ", "failed_files"), m->failed_files);
		jw_opt_str(w, K(", ", "agent_version"), m->agent_version);
		jw_time(w, K(", ", "agent_version_time"), m->agent_version_time);
		jw_time(w, K(", ", "first_seen"), m->first_seen);
		jw_time(w, K(", ", "last_seen"), m->last_seen);
		jw_num(w, K(", ", "records_outside"), m->records_outside);
		jw_time(w, K(", ", "newest_record"), m->newest_record);
		jw_opt_str(w, K(", ", "last_job_task"), m->last_job_task);
		jw_name(w, K(", ", "last_job_outcome"),
		    job_outcome_name(m->last_job_outcome));
		jw_time(w, K(", ", "last_job_end"), m->last_job_end);
		jw_time(w, K(", ", "last_success"), m->last_success);
		jw_opt_str(w, K(", ", "top_finding"), dm->nranked ?
		    s->findings[dm->ranked[0]].id : NULL);
		jw_hours(w, K(", ", "hours_since_success"), f->rows[i].since);
		jw_str(w, f->rows[i].stale ? ", \"stale\": true" :
		    ", \"stale\": false");
		jw_name(w, K(", ", "verdict"), verdict_name(dm->verdict));
		jw_opt_str(w, K(", ", "verdict_finding"), dm->verdict_finding);
		jw_row_sep(w, i, s->nmachines);
	}
}

static void
jw_inputs(struct jw *w, const struct summary *s)
{
	size_t i;

	jw_array_open(w, "inputs", s->ninputs);
	for (i = 0; i < s->ninputs; i++) {
		const struct summary_input *in = &s->inputs[i];

		jw_opt_str(w, K("    {", "machine"), in->machine);
		jw_opt_str(w, K(", ", "path"), in->path);
		jw_name(w, K(", ", "kind"), input_kind_name(in->kind));
		jw_name(w, K(", ", "encoding"), text_encoding_name(in->encoding));
		jw_num(w, K(", ", "bytes"), in->bytes);
		jw_num(w, K(", ", "records"), in->records);
		jw_num(w, K(", ", "unparsed_lines"), in->unparsed_lines);
		jw_num(w, K(", ", "lines_cut"), in->lines_cut);
		jw_num(w, K(", ", "replacements"), in->replacements);
		jw_name(w, K(", ", "status"), input_status_name(in->status));
		jw_opt_str(w, K(", ", "warning"), in->warning);
		jw_time(w, K(", ", "mtime"), in->mtime);
		jw_put(w, K(", ", "year"));
		if (in->year >= 1970 && in->year <= 9999)
			jw_u64(w, (uint64_t)in->year);
		else
			jw_put(w, "null", 4);
		jw_opt_str(w, K(", ", "year_source"),
		    year_source_name(in->year_source));
		jw_row_sep(w, i, s->ninputs);
	}
}

/* Text looked up by id: "" (unknown everywhere) is written as null. */
static const char *
text_or_null(const char *t)
{
	return t != NULL && *t != '\0' ? t : NULL;
}

static void
jw_findings(struct jw *w, const struct summary *s, const struct diagnosis *d)
{
	size_t i;

	jw_array_open(w, "findings", s->nfindings);
	for (i = 0; i < s->nfindings; i++) {
		const struct summary_finding *f = &s->findings[i];

		jw_opt_str(w, K("    {", "machine"), f->machine);
		jw_opt_str(w, K(", ", "id"), f->id);
		jw_opt_str(w, K(", ", "code"), f->code);
		jw_name(w, K(", ", "level"), cat_level_name(f->level));
		jw_opt_str(w, K(", ", "category"), f->category);
		jw_opt_str(w, K(", ", "title"), text_or_null(diagnose_text(d,
		    f->id, DIAG_TITLE)));
		jw_opt_str(w, K(", ", "cause"), text_or_null(diagnose_text(d,
		    f->id, DIAG_CAUSE)));
		jw_opt_str(w, K(", ", "remediation"), text_or_null(diagnose_text(d,
		    f->id, DIAG_FIX)));
		jw_opt_str(w, K(", ", "doc_url"), f->doc_url);
		jw_num(w, K(", ", "count"), f->count);
		jw_time(w, K(", ", "first_seen"), f->first_seen);
		jw_time(w, K(", ", "last_seen"), f->last_seen);
		jw_sample(w, &f->sample);
		jw_str(w, d->findings[i].current ? ", \"current\": true" :
		    ", \"current\": false");
		jw_row_sep(w, i, s->nfindings);
	}
}

static void
jw_jobs(struct jw *w, const struct summary *s, const struct diagnosis *d)
{
	size_t i;

	jw_array_open(w, "jobs", s->njobs);
	for (i = 0; i < s->njobs; i++) {
		const struct summary_job *j = &s->jobs[i];

		jw_opt_str(w, K("    {", "machine"), j->machine);
		jw_opt_str(w, K(", ", "task_id"), j->task_id);
		jw_name(w, K(", ", "kind"), job_kind_name(j->kind));
		jw_time(w, K(", ", "start"), j->start);
		jw_time(w, K(", ", "end"), j->end);
		jw_name(w, K(", ", "outcome"), job_outcome_name(j->outcome));
		jw_time(w, K(", ", "outcome_time"), j->outcome_time);
		jw_opt_str(w, K(", ", "hresult"), j->hresult);
		jw_num(w, K(", ", "failed_files"), j->failed_files);
		jw_opt_str(w, K(", ", "task_error"), j->task_error);
		jw_time(w, K(", ", "task_error_time"), j->task_error_time);
		jw_opt_str(w, K(", ", "task_warning"), j->task_warning);
		jw_time(w, K(", ", "task_warning_time"), j->task_warning_time);
		jw_opt_str(w, K(", ", "reason"), d->jobs[i].reason);
		jw_opt_str(w, K(", ", "reason_title"), d->jobs[i].reason ?
		    text_or_null(diagnose_text(d, d->jobs[i].reason,
		    DIAG_TITLE)) : NULL);
		jw_row_sep(w, i, s->njobs);
	}
}

static void
jw_failed_files(struct jw *w, const struct summary *s)
{
	size_t i;

	jw_array_open(w, "failed_files", s->nfailed_files);
	for (i = 0; i < s->nfailed_files; i++) {
		const struct summary_failed_file *ff = &s->failed_files[i];

		jw_opt_str(w, K("    {", "machine"), ff->machine);
		jw_opt_str(w, K(", ", "path"), ff->path);
		jw_opt_str(w, K(", ", "code"), ff->code);
		jw_num(w, K(", ", "count"), ff->count);
		jw_row_sep(w, i, s->nfailed_files);
	}
}

static void
jw_templates(struct jw *w, const struct summary *s)
{
	size_t i;

	jw_array_open(w, "templates", s->ntemplates);
	for (i = 0; i < s->ntemplates; i++) {
		const struct summary_template *t = &s->templates[i];

		jw_opt_str(w, K("    {", "machine"), t->machine);
		jw_opt_str(w, K(", ", "text"), t->text);
		jw_name(w, K(", ", "level"), cat_level_name(t->level));
		jw_num(w, K(", ", "count"), t->count);
		jw_time(w, K(", ", "first_seen"), t->first_seen);
		jw_time(w, K(", ", "last_seen"), t->last_seen);
		jw_sample(w, &t->sample);
		jw_row_sep(w, i, s->ntemplates);
	}
}

static void
jw_timeline(struct jw *w, const struct summary *s)
{
	size_t i;

	jw_array_open(w, "timeline", s->ntimeline);
	for (i = 0; i < s->ntimeline; i++) {
		const struct summary_bucket *b = &s->timeline[i];

		jw_opt_str(w, K("    {", "machine"), b->machine);
		jw_time(w, K(", ", "hour"), b->hour);
		jw_num(w, K(", ", "errors"), b->errors);
		jw_num(w, K(", ", "warnings"), b->warnings);
		jw_row_sep(w, i, s->ntimeline);
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
jw_change(struct jw *w, const struct baseline_item *it)
{
	const struct summary_finding *f = it->finding;
	int fnd = it->subject == BASELINE_FINDING;
	int stale = it->subject == BASELINE_STALE;
	int job = it->subject == BASELINE_LAST_JOB;

	jw_name(w, K("    {", "change"), baseline_change_name(it->change));
	jw_name(w, K(", ", "subject"), baseline_subject_name(it->subject));
	jw_opt_str(w, K(", ", "machine"), it->machine);
	jw_opt_str(w, K(", ", "id"), f ? f->id : NULL);
	jw_opt_str(w, K(", ", "code"), f ? f->code : NULL);
	jw_opt_str(w, K(", ", "title"), f ? f->title : NULL);
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
jw_changes(struct jw *w, const struct baseline_diff *d)
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
		jw_change(w, &d->items[i]);
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
	jw_changes(&w, o ? o->diff : NULL);
	jw_fleet(&w, f);
	jw_totals(&w, &s->totals);
	jw_machines(&w, s, f, d);
	jw_inputs(&w, s);
	jw_findings(&w, s, d);
	jw_jobs(&w, s, d);
	jw_failed_files(&w, s);
	jw_templates(&w, s);
	jw_timeline(&w, s);
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
