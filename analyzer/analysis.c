/* SPDX-License-Identifier: MIT */
/*
 * analysis.c -- one streaming pass from entry bytes to the summary.
 *
 * Per entry: sniff the encoding from the first 4 KiB, decide the kind,
 * then bytes -> (UTF-16 decoder) -> lines -> records -> summary.  Nothing
 * per line is allocated: records are views into the line, and the summary
 * is touched only for lines that matter (findings, job milestones,
 * warnings and errors); counters for everything else stay in the entry
 * state and are added once at the end of the entry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyzer/analysis.h"
#include "analyzer/gather.h"
#include "analyzer/jobs.h"
#include "analyzer/prefetch.h"
#include "analyzer/template.h"
#include "reports/diagnose.h"
#include "parsers/decode.h"
#include "parsers/errlog.h"
#include "parsers/hmap.h"
#include "parsers/failed.h"
#include "parsers/lines.h"
#include "patterns/classify.h"
#include "patterns/hresult.h"
#include "reports/redact.h"

#define SNIFF_BYTES	4096
#define PREFETCH_MIN	(4 << 20) /* smaller entries are not worth a thread */
#define SAMPLE_MAX	2048	/* bytes of a message kept as a sample */
#define VERSION_LINES	20000	/* records per entry searched for the version */
#define TEMPLATES_MAX	1000	/* distinct templates kept per input */
#define DAY_MS		86400000LL
#define GUID_TEXT	36
#define TASK_RED_MAX	127	/* a task that is no GUID, redacted */

/* The distinct templates an entry has added, to cap them: a log of unique
 * garbage must not grow memory without bound.  The cap is per input, so
 * what is kept depends only on that input, never on which thread read
 * which files. */
struct template_set {
	char (*text)[TEMPLATE_MAX + 1];
	size_t n, cap;
	struct hmap index;
};

struct analysis {
	const struct catalog *cat;
	struct analysis_options opt;
	struct classifier *cls;
	struct summary *sum;
	char *scratch;			/* 3 * max_line + 4, for UTF-8 repair */
	char *key;			/* max_line + 1, NUL-terminated keys */
	char sample[SAMPLE_MAX + 1];	/* NUL-terminated sample messages */
	char stream_error[256];		/* copy: the stream is gone at commit */
	unsigned char sniff[SNIFF_BYTES];
	struct job_tracker *jobs;
	struct gather *ev;		/* NULL: no evidence asked for */
	struct text_buf red;		/* --redact: the string being redacted */
	const char *machine;		/* --redact: the real machine name of
					 * the entry being read (for gather) */
	char task[GUID_TEXT + 1];	/* --redact: the last task GUID met */
	char task_red[TASK_RED_MAX + 1];	/* and its pseudonym */
};

/* With --redact, the names under which an entry enters the summary: its
 * machine and path as pseudonyms (its name stays: it decides the kind). */
struct entry_names {
	struct source_entry e;
	struct text_buf machine, path;
};

/* State of the entry being read. */
struct entry {
	const struct source_entry *e;	/* as the summary names it */
	const struct source_entry *orig; /* as the walker gave it (--redact) */
	const char *machine;		/* orig->machine */
	enum input_kind kind;
	enum text_encoding enc;
	struct errlog_parser *parser;
	struct utf16_decoder *u16;
	struct line_reader *lr;
	int64_t list_time;		/* failed-files: when it was written */
	uint64_t bytes, lines, records, unparsed, replacements;
	uint64_t errors, warnings;
	unsigned forms;			/* ERRLOG_FORM_* bits of its records */
	int64_t first, last;
	uint64_t outside;		/* records outside --since/--until */
	int64_t newest;			/* newest record, in the window or not */
	int64_t first_any, last_any;	/* first and last record in file order */
	int64_t clue;			/* summary_input.clue_time */
	enum year_source year_source;	/* provisional (years.h decides) */
	struct template_set templates;
	int want_version;
	char *version;
	int64_t version_time;
	uint64_t version_record;	/* st->records when it was found */
	const struct analysis_range *range;	/* a range: its prefix */
	unsigned product;		/* CAT_PRODUCT_*: which advice applies */
	int oom;
	int stop;			/* the tap asked to stop */
};

void
analysis_options_init(struct analysis_options *o)
{
	memset(o, 0, sizeof *o);
	o->lang = CAT_LANG_EN;
	o->since = ML_TIME_NONE;
	o->until = ML_TIME_NONE;
	o->max_line = 1u << 20;
	o->now = ML_TIME_NONE;
}

/* gather_set_redact()'s callback: the message as it may be shown. */
static const char *
gather_redacted(void *arg, const char *s, size_t *n)
{
	struct analysis *a = arg;

	a->red.len = 0;
	redact_text(a->opt.redact, &a->red, s, *n, a->machine);
	text_buf_add(&a->red, "", 0);
	*n = a->red.len;
	return a->red.oom ? NULL : a->red.p;
}

struct analysis *
analysis_new(const struct catalog *cat, const struct analysis_options *opt,
    char *err, size_t errlen)
{
	struct analysis *a = calloc(1, sizeof *a);

	if (a == NULL)
		goto oom;
	a->cat = cat;
	a->opt = *opt;
	if (a->opt.max_line == 0)
		a->opt.max_line = 1u << 20;
	a->cls = classifier_new(cat, err, errlen);
	if (a->cls == NULL)
		goto fail;
	a->sum = summary_new();
	a->scratch = malloc(3 * a->opt.max_line + 4);
	a->key = malloc(a->opt.max_line + 1);
	a->jobs = job_tracker_new();
	if (opt->evidence)
		a->ev = gather_new();
	if (a->ev != NULL && a->opt.redact != NULL)
		gather_set_redact(a->ev, gather_redacted, a);
	if (a->sum == NULL || a->scratch == NULL || a->key == NULL ||
	    a->jobs == NULL || (opt->evidence && a->ev == NULL))
		goto oom;
	return a;
oom:
	snprintf(err, errlen, "out of memory");
fail:
	analysis_free(a);
	return NULL;
}

void
analysis_free(struct analysis *a)
{
	if (a == NULL)
		return;
	classifier_free(a->cls);
	summary_free(a->sum);
	free(a->scratch);
	free(a->key);
	job_tracker_free(a->jobs);
	text_buf_release(&a->red);
	gather_free(a->ev);
	free(a);
}

struct summary *
analysis_summary(struct analysis *a)
{
	return a->sum;
}

struct summary *
analysis_take_summary(struct analysis *a)
{
	struct summary *s = a->sum, *fresh = summary_new();

	if (fresh == NULL)
		return NULL;
	a->sum = fresh;
	job_tracker_reset(a->jobs);
	return s;
}

/* ------------------------------------------------------------ helpers */

static int
has_suffix_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

static int
contains_ci(const char *s, const char *needle)
{
	size_t k = strlen(needle);

	for (; *s != '\0'; s++)
		if (strncasecmp(s, needle, k) == 0)
			return 1;
	return 0;
}

/* Kind by name: *.errlog, crash copies of errlogs, failed-files lists. */
static enum input_kind
kind_from_name(const char *name)
{
	if (has_suffix_ci(name, ".errlog"))
		return INPUT_ERRLOG;
	if (has_suffix_ci(name, ".crash") && contains_ci(name, ".errlog"))
		return INPUT_ERRLOG;
	if (failed_name_matches(name))
		return INPUT_FAILED_FILES;
	return INPUT_OTHER;
}

static enum cat_level
level_of_line(enum ml_level l)
{
	if (l >= ML_LEVEL_ERROR)
		return CAT_LEVEL_ERROR;
	if (l == ML_LEVEL_WARNING)
		return CAT_LEVEL_WARNING;
	return CAT_LEVEL_INFO;
}

/* The length of the longest prefix of s (n bytes) of at most max bytes
 * that does not cut a UTF-8 sequence. */
static size_t
utf8_cut(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

/* s as it may enter the summary: redacted with --redact (NULL on OOM),
 * else s itself.  *n is updated. */
static const char *
redacted(struct analysis *a, const struct entry *st, const char *s,
    size_t *n)
{
	if (a->opt.redact == NULL)
		return s;
	a->red.len = 0;
	redact_text(a->opt.redact, &a->red, s, *n, st->machine);
	text_buf_add(&a->red, "", 0);
	*n = a->red.len;
	return a->red.oom ? NULL : a->red.p;
}

/* Copy at most SAMPLE_MAX bytes of s, not cutting a UTF-8 sequence. */
static const char *
sample_text(struct analysis *a, const char *s, size_t n)
{
	char *buf = a->sample;

	n = utf8_cut(s, n, SAMPLE_MAX);
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

static void
count_level(struct analysis *a, struct entry *st, enum cat_level level,
    int64_t time)
{
	if (level == CAT_LEVEL_ERROR)
		st->errors++;
	else if (level == CAT_LEVEL_WARNING)
		st->warnings++;
	else
		return;
	if (time != ML_TIME_NONE &&
	    summary_timeline_add(a->sum, st->e->machine, time, level, 1) != 0)
		st->oom = 1;
}

/* ----------------------------------------------------------- findings */

/* The id of the finding a classified line counts for: its catalog
 * entry's, "hresult-0x8007052E" for an HRESULT the catalog lacks (or has
 * for the other product only), "code-30111" for another code of the other
 * product.  Returns the id (a catalog string or buf). */
static const char *
finding_id(const struct classification *c, char *buf, size_t len)
{
	if (c->entry != NULL)
		return c->entry->id;
	snprintf(buf, len, "%s-%s", c->kind == CODE_HRESULT ? "hresult" :
	    "code", c->code);
	return buf;
}

/* The title of a code documented only for the other product: its decoded
 * name (an HRESULT) or the other product's title, marked as such. */
static void
other_title(const struct classification *c, const struct catalog_entry *other,
    enum cat_lang lang, char *buf, size_t len)
{
	const char *who = other->products == CAT_PRODUCT_DPM ? "DPM/MABS" :
	    "MARS";

	if (c->kind == CODE_HRESULT)
		hresult_describe(c->value, buf, len);
	else
		snprintf(buf, len, lang == CAT_LANG_ZH ?
		    "%s（%s 文档中为：%s）" : "%s (documented for %s as: %s)",
		    c->code, who, other->title[lang]);
}

/*
 * `other`: the catalog entry of c->code documented only for the other
 * product (c->entry is then NULL): the finding gets neutral advice and the
 * decoded name instead of that product's fix.
 */
static void
add_finding(struct analysis *a, struct entry *st,
    const struct classification *c, const struct catalog_entry *other,
    const char *id, enum cat_level level, int64_t time, uint64_t line,
    const char *msg, size_t msglen)
{
	const struct catalog_entry *ce = c->entry;
	enum cat_lang lang = a->opt.lang;
	struct summary_finding *f;
	char title[256];
	int created = 0;

	f = summary_finding_get(a->sum, st->e->machine, id, &created);
	if (f == NULL) {
		st->oom = 1;
		return;
	}
	if (created) {
		/* An entry is shown by its first code, however it matched,
		 * so the row does not depend on which line came first. */
		int bad = summary_set_str(&f->code, ce != NULL ?
		    (ce->ncodes > 0 ? ce->codes[0] : NULL) : c->code);

		f->level = level;
		if (ce != NULL) {
			bad |= summary_set_str(&f->category, ce->category);
			bad |= summary_set_str(&f->title, ce->title[lang]);
			bad |= summary_set_str(&f->cause, ce->cause[lang]);
			bad |= summary_set_str(&f->remediation, ce->fix[lang]);
			bad |= summary_set_str(&f->doc_url, ce->doc_url);
		} else if (other != NULL) {
			other_title(c, other, lang, title, sizeof title);
			bad |= summary_set_str(&f->category, other->category);
			bad |= summary_set_str(&f->title, title);
			bad |= summary_set_str(&f->cause, lang == CAT_LANG_ZH ?
			    (st->product == CAT_PRODUCT_DPM ?
			    "此代码仅在 MARS 代理的文档中说明，而这是 DPM/MABS 跟踪；在这里它可能有不同的含义，因此不给出 MARS 的修复方法。" :
			    "此代码仅在 DPM/MABS 的文档中说明，而这是 MARS 代理日志；在这里它可能有不同的含义，因此不给出 DPM 的修复方法。") :
			    (st->product == CAT_PRODUCT_DPM ?
			    "This code is documented for the MARS agent only, and this is a DPM/MABS trace: here it may mean something else, so the MARS fix is not offered." :
			    "This code is documented for DPM/MABS only, and this is a MARS agent log: here it may mean something else, so the DPM fix is not offered."));
			bad |= summary_set_str(&f->remediation, lang == CAT_LANG_ZH ?
			    "查看示例行及其前后的日志以了解失败的操作；如果问题持续，请将代码和日志提供给 Microsoft 支持。" :
			    "Read the sample line and the log around it to see which operation failed; if it persists, give the code and the logs to Microsoft support.");
			bad |= summary_set_str(&f->doc_url, other->doc_url);
		} else {
			hresult_describe(c->value, title, sizeof title);
			bad |= summary_set_str(&f->category, "unknown");
			bad |= summary_set_str(&f->title, title);
			bad |= summary_set_str(&f->cause,
			    diagnose_unknown_hresult_text(DIAG_CAUSE, lang));
			bad |= summary_set_str(&f->remediation,
			    diagnose_unknown_hresult_text(DIAG_FIX, lang));
		}
		if (bad)
			st->oom = 1;
	} else if (ce == NULL && level > f->level) {
		f->level = level;	/* unknown codes take the worst line level */
	}
	f->count++;
	if (time != ML_TIME_NONE) {
		if (f->first_seen == ML_TIME_NONE || time < f->first_seen)
			f->first_seen = time;
		if (f->last_seen == ML_TIME_NONE || time > f->last_seen)
			f->last_seen = time;
	}
	/* Offer only when it could win, so the common case copies nothing. */
	if (f->sample.path == NULL || (time != ML_TIME_NONE &&
	    (f->sample.time == ML_TIME_NONE || time < f->sample.time)))
		if ((msg = redacted(a, st, msg, &msglen)) == NULL ||
		    summary_sample_offer(a->sum, &f->sample, st->e->path,
		    line, sample_text(a, msg, msglen), time) != 0)
			st->oom = 1;
}

static int
template_eq(const void *ctx, size_t idx, const void *key)
{
	const struct template_set *ts = ctx;

	return strcmp(ts->text[idx], key) == 0;
}

/* Add `text` to the set.  -1 on OOM. */
static int
template_add(struct template_set *ts, const char *text, uint64_t h)
{
	if (ts->n == ts->cap) {
		size_t cap = ts->cap ? 2 * ts->cap : 64;
		char (*t)[TEMPLATE_MAX + 1] = realloc(ts->text, cap * sizeof *t);

		if (t == NULL)
			return -1;
		ts->text = t;
		ts->cap = cap;
	}
	memcpy(ts->text[ts->n], text, strlen(text) + 1);
	if (hmap_insert(&ts->index, h, ts->n) != 0)
		return -1;
	ts->n++;
	return 0;
}

/*
 * 1 if this entry may count `text`: seen before in the entry, or one of
 * its first TEMPLATES_MAX (then it is added).  0 if not, -1 on OOM.
 *
 * A range keeps twice as many: which of them the input keeps depends on
 * the ranges before it, and the capped merge of the join decides that
 * exactly (a template new to the join after the range's first
 * TEMPLATES_MAX can never be kept).  Past that, a template the range has
 * not met counts only if the ranges before it kept it (at most
 * TEMPLATES_MAX of those), which means asking r->kept.
 */
static int
template_allowed(struct entry *st, const char *text)
{
	struct template_set *ts = &st->templates;
	const struct analysis_range *r = st->range;
	uint64_t h = hmap_hash(HMAP_HASH_INIT, text, strlen(text));

	if (hmap_find(&ts->index, h, template_eq, ts, text) != HMAP_NONE)
		return 1;
	if (ts->n >= (r != NULL ? 2 * TEMPLATES_MAX : TEMPLATES_MAX) &&
	    (r == NULL || r->kept == NULL ||
	    !r->kept(r->arg, st->e->machine, text)))
		return 0;
	return template_add(ts, text, h) == 0 ? 1 : -1;
}

static void
add_template(struct analysis *a, struct entry *st, enum cat_level level,
    int64_t time, uint64_t line, const char *msg, size_t msglen)
{
	struct summary_template *t;
	char text[TEMPLATE_MAX + 1];
	int created = 0, ok;

	/* with --redact, redact first: masking would hide names from the
	 * redactor */
	if (a->opt.redact != NULL) {
		a->red.len = 0;
		redact_template(a->opt.redact, &a->red, msg, msglen,
		    st->machine);
		text_buf_add(&a->red, "", 0);
		if (a->red.oom) {
			st->oom = 1;
			return;
		}
		template_mask(a->red.p, a->red.len, text);
	} else {
		template_mask(msg, msglen, text);
	}
	ok = template_allowed(st, text);
	if (ok <= 0) {
		if (ok < 0)
			st->oom = 1;
		else
			a->sum->templates_dropped++;
		return;
	}
	t = summary_template_get(a->sum, st->e->machine, text, &created);
	if (t == NULL) {
		st->oom = 1;
		return;
	}
	if (created || level > t->level)
		t->level = level;
	t->count++;
	if (time != ML_TIME_NONE) {
		if (t->first_seen == ML_TIME_NONE || time < t->first_seen)
			t->first_seen = time;
		if (t->last_seen == ML_TIME_NONE || time > t->last_seen)
			t->last_seen = time;
	}
	if (t->sample.path == NULL || (time != ML_TIME_NONE &&
	    (t->sample.time == ML_TIME_NONE || time < t->sample.time)))
		if ((msg = redacted(a, st, msg, &msglen)) == NULL ||
		    summary_sample_offer(a->sum, &t->sample, st->e->path,
		    line, sample_text(a, msg, msglen), time) != 0)
			st->oom = 1;
}

/* ------------------------------------------------------ agent version */

/* Looks for "version" followed by a dotted quad such as 2.0.9262.0 in
 * messages that name the agent or are its "cbpVersion" line (the first
 * version there is the installed one).  Only the first VERSION_LINES records of
 * an entry are searched: the agent logs its version when it starts. */
static void
find_version(struct entry *st, const char *msg, size_t n, int64_t time)
{
	const char *p, *end = msg + n, *q;
	int dots = 0;

	/* the dots first: most messages have none, and memchr is cheap */
	if (memchr(msg, '.', n) == NULL)
		return;
	p = memmem(msg, n, "ersion", 6);
	/* "... Agent version 2.0.9249.0" or the agent's own
	 * "cbpVersion 2.0.9167.0 , latestVersion 2.0.9167.0" */
	if (p == NULL || (memmem(msg, n, "Agent", 5) == NULL &&
	    memmem(msg, n, "agent", 5) == NULL && (p - msg < 4 ||
	    strncasecmp(p - 4, "cbpV", 4) != 0)))
		return;
	for (p += 6; p < end && !(*p >= '0' && *p <= '9'); p++)
		if (p - msg > 200)
			return;
	for (q = p; q < end && ((*q >= '0' && *q <= '9') || *q == '.'); q++)
		dots += *q == '.';
	while (q > p && q[-1] == '.')
		q--, dots--;
	if (dots != 3 || q - p > 40)
		return;
	free(st->version);
	st->version = strndup(p, (size_t)(q - p));
	st->version_time = time;
	st->version_record = st->records;
	st->want_version = 0;
}

/* ------------------------------------------------------------- lines */

#define IS_DIGIT(c) ((unsigned)((c) - '0') < 10u)

static int
is_digits(const char *s, int n)
{
	for (; n > 0; n--, s++)
		if (!IS_DIGIT(*s))
			return 0;
	return 1;
}

/* The n digits at s as a number (is_digits checked). */
static int
num(const char *s, int n)
{
	int v = 0;

	for (; n > 0; n--, s++)
		v = v * 10 + (*s - '0');
	return v;
}

/* A date with a four-digit year at s[0..n): "2024-06-09", "2024/06/09"
 * or "6/9/2024" (also read as day/month).  Fills y, m, d (and d2, m2:
 * the day/month reading, equal when there is none) and returns its
 * length, or 0. */
static size_t
date_at(const char *s, size_t n, int *y, int *m, int *d, int *m2, int *d2)
{
	size_t i = 0, a_len, b_len;
	int a = 0, b = 0, v = 0;

	if (n >= 10 && is_digits(s, 4) && (s[4] == '-' || s[4] == '/') &&
	    is_digits(s + 5, 2) && s[7] == s[4] && is_digits(s + 8, 2) &&
	    (n == 10 || !IS_DIGIT(s[10]))) {
		*y = num(s, 4);
		*m = *m2 = num(s + 5, 2);
		*d = *d2 = num(s + 8, 2);
		return 10;
	}
	for (a_len = 0; i < n && a_len < 3 && IS_DIGIT(s[i]); i++, a_len++)
		a = a * 10 + (s[i] - '0');
	if (a_len == 0 || a_len > 2 || i >= n || s[i++] != '/')
		return 0;
	for (b_len = 0; i < n && b_len < 3 && IS_DIGIT(s[i]); i++, b_len++)
		b = b * 10 + (s[i] - '0');
	if (b_len == 0 || b_len > 2 || i + 5 > n || s[i++] != '/' ||
	    !is_digits(s + i, 4) || (i + 4 < n && IS_DIGIT(s[i + 4])))
		return 0;
	v = num(s + i, 4);
	*y = v;
	*m = a, *d = b;
	*m2 = b, *d2 = a;
	return i + 4;
}

/* If the record's message carries a date with a year (1970-9999) on the
 * record's own day (give or take a day: local time against UTC), the
 * record's time in that year is a clue to the input's year (years.h). */
static void
message_clue(struct entry *st, const struct errlog_record *r)
{
	const char *msg = r->message.p;
	size_t n = r->message.n, i, len;
	int yy, y, m, d, m2, d2, k;
	unsigned rm, rd;
	int64_t days = r->time / DAY_MS;

	ml_civil_from_days(days, &yy, &rm, &rd);
	for (i = 0; i + 8 <= n; i++) {
		if (!IS_DIGIT(msg[i]) || (i > 0 && IS_DIGIT(msg[i - 1])))
			continue;
		if ((len = date_at(msg + i, n - i, &y, &m, &d, &m2, &d2)) == 0)
			continue;
		if (y < 1970 || y > 9999)
			continue;
		for (k = 0; k < 2; k++) {
			int mm = k ? m2 : m, dd = k ? d2 : d, yr;

			if (mm < 1 || mm > 12 || dd < 1 || dd > 31)
				continue;
			/* the record's day in the years around the date's */
			for (yr = y - 1; yr <= y + 1; yr++) {
				int64_t rt = ml_days_from_civil(yr, rm, rd),
				    dt = ml_days_from_civil(y, (unsigned)mm,
				    (unsigned)dd);

				if (rt - dt >= -1 && rt - dt <= 1 &&
				    ml_time_valid(rt * DAY_MS)) {
					st->clue = rt * DAY_MS +
					    r->time % DAY_MS;
					return;
				}
			}
		}
		i += len - 1;
	}
}

/* What a record tells about its input's year (years.h): where the input
 * starts and ends, its newest record, and a clue in its message. */
static void
year_evidence(struct entry *st, const struct errlog_record *r)
{
	if (st->first_any == ML_TIME_NONE)
		st->first_any = r->time;
	st->last_any = r->time;
	if (st->newest == ML_TIME_NONE || r->time > st->newest)
		st->newest = r->time;
	if (st->clue == ML_TIME_NONE &&
	    st->records + st->outside <= VERSION_LINES)
		message_clue(st, r);
}

static int
in_window(const struct analysis *a, int64_t t)
{
	if (t == ML_TIME_NONE)
		return 1;
	if (a->opt.since != ML_TIME_NONE && t < a->opt.since)
		return 0;
	if (a->opt.until != ML_TIME_NONE && t >= a->opt.until)
		return 0;
	return 1;
}

/* With --redact the record's task GUID is a pseudonym from here on, so
 * jobs, their task times and reasons all join on it.  One GUID is cached:
 * a task's lines come in runs. */
static void
redact_task(struct analysis *a, struct errlog_record *r)
{
	struct text_buf b = TEXT_BUF_INIT;

	if (r->task.n > GUID_TEXT)
		return;
	if (strlen(a->task) != r->task.n ||
	    memcmp(a->task, r->task.p, r->task.n) != 0) {
		memcpy(a->task, r->task.p, r->task.n);
		a->task[r->task.n] = '\0';
		redact_guid(a->opt.redact, &b, a->task);
		if (b.oom || b.len > TASK_RED_MAX) {
			a->task[0] = '\0';
			text_buf_release(&b);
			r->task.n = 0;	/* better no job than a leak */
			return;
		}
		memcpy(a->task_red, b.p, b.len + 1);
		text_buf_release(&b);
	}
	r->task.p = a->task_red;
}

static int
is_stack_frame(const char *msg, size_t n)
{
	size_t i = 0;

	while (i < n && msg[i] == ' ')
		i++;
	return n - i > 4 && memcmp(msg + i, "at ", 3) == 0 &&
	    memchr(msg + i, '(', n - i) != NULL;
}

/* Hand the line and what was decided on it to the tap and the evidence
 * (the caller checked that one of them is on).  milestone: as
 * job_tracker_record() returned. */
static void
tap_line(struct analysis *a, struct entry *st, const struct errlog_record *r,
    const char *finding, int milestone)
{
	const struct analysis_tap *tap = a->opt.tap;
	struct analysis_line l;
	int rc;

	l.e = st->e;
	l.line = r->line;
	l.time = r->time;
	l.level = r->level;
	l.task = r->task;
	l.message = r->message;
	l.continuation = r->continuation;
	l.finding = finding;
	l.milestone = milestone > 0;
	/* evidence redacts only the lines it keeps (gather_set_redact) */
	if (a->ev != NULL && gather_line(a->ev, a->sum, &l, milestone == 2) != 0)
		st->oom = 1;
	if (tap == NULL)
		return;
	if (a->opt.redact != NULL) {	/* show prints what a report would */
		size_t n = r->message.n;

		l.message.p = redacted(a, st, r->message.p, &n);
		l.message.n = n;
		if (l.message.p == NULL) {
			st->oom = 1;
			return;
		}
	}
	rc = tap->line(tap->arg, &l);
	if (rc < 0)
		st->oom = 1;
	else if (rc > 0)
		st->stop = 1;
}

static void
errlog_record(struct analysis *a, struct entry *st, struct errlog_record *r)
{
	struct classification c;
	const struct catalog_entry *other = NULL; /* c.code's entry elsewhere */
	enum cat_level level;
	const char *fid = NULL;
	char idbuf[96];
	int classified, milestone;

	if (!r->continuation && r->time != ML_TIME_NONE)
		year_evidence(st, r);
	if (!in_window(a, r->time)) {
		st->outside += !r->continuation;
		return;
	}
	if (a->opt.redact != NULL && r->task.n > 0)
		redact_task(a, r);
	st->records += !r->continuation;
	st->forms |= r->form;
	if (r->time != ML_TIME_NONE) {
		if (st->first == ML_TIME_NONE || r->time < st->first)
			st->first = r->time;
		if (st->last == ML_TIME_NONE || r->time > st->last)
			st->last = r->time;
	}
	if (st->want_version) {
		if (st->records > VERSION_LINES)
			st->want_version = 0;
		else
			find_version(st, r->message.p, r->message.n, r->time);
	}
	classified = classifier_classify(a->cls, r->message.p, r->message.n, &c);
	if (classified && c.entry != NULL && st->product != CAT_PRODUCT_ANY) {
		other = c.entry;
		c.entry = catalog_for_product(a->cat, c.entry, c.code,
		    strlen(c.code), st->product);
		if (c.entry != NULL)
			other = NULL;
	}
	milestone = job_tracker_record(a->jobs, a->sum, st->e->machine, r,
	    classified ? &c : NULL);
	if (milestone < 0)
		st->oom = 1;
	/* A continuation or an exception's stack frame ("   at X.Y(...)",
	 * one record per frame) belongs to the record before it, and a
	 * milestone such as "Backup Progress: Failed" is the job's own
	 * outcome: they can carry a code, but are not unknown warnings or
	 * errors of their own. */
	if (!classified && (milestone > 0 || r->continuation ||
	    is_stack_frame(r->message.p, r->message.n)))
		goto tap;
	if (classified && c.entry != NULL) {
		level = c.entry->level;
		fid = finding_id(&c, idbuf, sizeof idbuf);
		add_finding(a, st, &c, NULL, fid, level, r->time, r->line,
		    r->message.p, r->message.n);
	} else if (r->level >= ML_LEVEL_WARNING) {
		level = level_of_line(r->level);
		if (classified) {
			fid = finding_id(&c, idbuf, sizeof idbuf);
			add_finding(a, st, &c, other, fid, level, r->time, r->line,
			    r->message.p, r->message.n);
		} else {
			add_template(a, st, level, r->time, r->line,
			    r->message.p, r->message.n);
		}
	} else {
		goto tap;
	}
	count_level(a, st, level, r->time);
tap:
	if (a->opt.tap != NULL || a->ev != NULL)
		tap_line(a, st, r, fid, milestone);
}

/* Every record of a line: a pasted line can hold several. */
static void
errlog_line(struct analysis *a, struct entry *st, const char *p, size_t n,
    uint64_t line_no)
{
	struct errlog_record r;

	for (;;) {
		if (errlog_parse_line(st->parser, p, n, line_no, &r))
			errlog_record(a, st, &r);
		if (r.rest == 0 || r.rest >= n)
			return;
		p += n - r.rest;
		n = r.rest;
	}
}

static void
failed_line(struct analysis *a, struct entry *st, const char *p, size_t n,
    uint64_t line_no)
{
	struct failed_item it;
	struct classification c;
	struct summary_failed_file *ff;
	enum cat_level level = CAT_LEVEL_WARNING;
	char *path = a->key, idbuf[96];
	const char *fid = NULL;
	size_t plen;

	if (!failed_parse_line(p, n, &it))
		return;
	if (!in_window(a, st->list_time)) {
		st->outside++;
		return;
	}
	st->records++;
	memset(&c, 0, sizeof c);
	if (it.has_hresult) {
		c.kind = CODE_HRESULT;
		c.value = it.hresult;
		snprintf(c.code, sizeof c.code, "0x%08X", (unsigned)it.hresult);
		c.entry = catalog_find_code_for(a->cat, c.code, strlen(c.code),
		    CAT_PRODUCT_MARS);
		if (c.entry != NULL)
			level = c.entry->level;
	}
	/* The path is the key of the row; a line with no recognisable path
	 * keeps its whole text so that nothing is lost. */
	plen = it.path.n > 0 ? it.path.n : n;
	if (plen > a->opt.max_line) {	/* cut, but not inside a character */
		plen = a->opt.max_line;
		while (plen > 0 && ((unsigned char)(it.path.n > 0 ?
		    it.path.p : p)[plen] & 0xC0) == 0x80)
			plen--;
	}
	memcpy(path, it.path.n > 0 ? it.path.p : p, plen);
	path[plen] = '\0';
	if (a->opt.redact != NULL) {
		a->red.len = 0;
		if (it.path.n > 0)
			redact_path(a->opt.redact, &a->red, path, plen,
			    st->machine);
		else
			redact_text(a->opt.redact, &a->red, path, plen,
			    st->machine);
		text_buf_add(&a->red, "", 0);
		if (a->red.oom) {
			st->oom = 1;
			return;
		}
		path = a->red.p;
	}
	ff = summary_failed_file_get(a->sum, st->e->machine, path,
	    it.has_hresult ? c.code : NULL, NULL);
	if (ff == NULL) {
		st->oom = 1;
		return;
	}
	ff->count++;
	if (it.has_hresult && level != CAT_LEVEL_INFO) {
		fid = finding_id(&c, idbuf, sizeof idbuf);
		add_finding(a, st, &c, NULL, fid, level, st->list_time,
		    line_no, p, n);
	}
	count_level(a, st, level, st->list_time);
	if (a->opt.tap != NULL || a->ev != NULL) {
		struct errlog_record r;

		memset(&r, 0, sizeof r);
		r.time = st->list_time;
		r.line = line_no;
		r.message.p = p;
		r.message.n = n;
		tap_line(a, st, &r, fid, 0);
	}
}

/* Hand every complete line in the reader to the parser of the entry. */
static void
drain_lines(struct analysis *a, struct entry *st)
{
	struct line ln;
	uint64_t repl = 0;

	while (!st->stop && line_reader_next(st->lr, &ln) == LR_LINE) {
		const char *p = ln.p;
		size_t n = ln.n;

		st->lines = ln.number;
		if (n == 0)
			continue;
		/* ASCII is UTF-8 and cp1252 alike: nothing to check */
		if (!ln.ascii && st->enc != TEXT_UTF16LE &&
		    st->enc != TEXT_UTF16BE)
			p = text_line_to_utf8(st->enc, p, n, a->scratch, &n,
			    &repl);
		if (st->kind == INPUT_ERRLOG)
			errlog_line(a, st, p, n, ln.number);
		else
			failed_line(a, st, p, n, ln.number);
	}
	st->replacements += repl;
}

static void
feed(struct analysis *a, struct entry *st, const unsigned char *buf,
    size_t n, int last)
{
	const char *out = (const char *)buf;
	size_t len = n;

	if (st->u16 != NULL) {
		len = last ? utf16_decoder_finish(st->u16, &out) :
		    utf16_decoder_run(st->u16, buf, n, &out);
	}
	line_reader_feed(st->lr, out, len, last);
	drain_lines(a, st);
}

/* ------------------------------------------------------------ entries */

/* 1 if the sample (already known to be text) holds errlog records. */
static int
looks_like_errlog(enum text_encoding enc,
    const unsigned char *buf, size_t n)
{
	struct utf16_decoder *d = NULL;
	const char *text = (const char *)buf, *p, *nl;
	size_t len = n;
	int lines = 0, records = 0;

	if (enc == TEXT_UTF16LE || enc == TEXT_UTF16BE) {
		d = utf16_decoder_new(enc == TEXT_UTF16BE);
		if (d == NULL)
			return 0;
		len = utf16_decoder_run(d, buf, n, &text);
	}
	for (p = text; p < text + len && lines < 8; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(text + len - p));
		if (nl == NULL)
			break;
		if (nl - p > 1) {
			lines++;
			records += errlog_line_has_record(p, (size_t)(nl - p));
		}
	}
	utf16_decoder_free(d);
	return records > 0 && records * 2 >= lines;
}

void
analysis_sniff(const char *name, const unsigned char *head, size_t n,
    enum input_kind *kind, enum text_encoding *enc, size_t *bom)
{
	*enc = text_sniff(head, n, bom);
	*kind = kind_from_name(name);
	if (*kind == INPUT_OTHER && *enc != TEXT_BINARY &&
	    looks_like_errlog(*enc, head + *bom, n - *bom))
		*kind = INPUT_ERRLOG;
}

/* The input's form: the names of the forms its records were found in. */
static int
input_form(struct summary_input *in, unsigned forms)
{
	char buf[128];

	if (forms == 0)
		return 0;
	return summary_set_str(&in->form, errlog_forms_format(forms, buf,
	    sizeof buf));
}

static char *
entry_warning(const struct entry *st, const char *stream_error,
    uint64_t cut, size_t max_line, enum input_status *status)
{
	char buf[512];
	size_t o = 0;

	buf[0] = '\0';
	*status = INPUT_OK;
	if (stream_error != NULL) {
		o += (size_t)snprintf(buf + o, sizeof buf - o, "%s",
		    stream_error);
		*status = INPUT_PARTIAL;
	}
	if (cut > 0 && o < sizeof buf) {
		o += (size_t)snprintf(buf + o, sizeof buf - o,
		    "%s%llu line%s longer than %zu bytes cut", o ? "; " : "",
		    (unsigned long long)cut, cut == 1 ? "" : "s", max_line);
		*status = INPUT_PARTIAL;
	}
	if (st->e != NULL && st->e->mtime_bad && o < sizeof buf)
		o += (size_t)snprintf(buf + o, sizeof buf - o,
		    "%sits file time is outside 1970-9999 and was ignored",
		    o ? "; " : "");
	if (st->replacements > 0 && o < sizeof buf) {
		int u16 = st->enc == TEXT_UTF16LE || st->enc == TEXT_UTF16BE;

		o += (size_t)snprintf(buf + o, sizeof buf - o,
		    "%s%llu invalid %s sequence%s replaced", o ? "; " : "",
		    (unsigned long long)st->replacements,
		    u16 ? "UTF-16" : "UTF-8",
		    st->replacements == 1 ? "" : "s");
		if (u16)	/* damaged (truncated) UTF-16: text was lost */
			*status = INPUT_PARTIAL;
	}
	/* no bytes because the stream failed at once: its error says why */
	if (st->bytes == 0 && o == 0)
		o += (size_t)snprintf(buf + o, sizeof buf - o, "empty file");
	/* records all outside --since/--until: said once per machine */
	else if (st->records == 0 && st->outside == 0 &&
	    st->kind == INPUT_ERRLOG && o < sizeof buf)
		o += (size_t)snprintf(buf + o, sizeof buf - o,
		    "%sno errlog records found", o ? "; " : "");
	if (o >= sizeof buf)
		o = sizeof buf - 1;
	return o > 0 ? strndup(buf, o) : NULL;
}

static void
entry_init(struct entry *st, const struct source_entry *e,
    const struct source_entry *orig)
{
	memset(st, 0, sizeof *st);
	st->e = e;
	st->orig = orig;
	st->machine = orig != NULL ? orig->machine : NULL;
	st->first = st->last = st->newest = ML_TIME_NONE;
	st->first_any = st->last_any = st->clue = ML_TIME_NONE;
}

/* The input row's year and its evidence (years.h). */
static void
input_year(struct summary_input *in, const struct entry *st,
    const struct source_entry *e)
{
	in->mtime_kind = e->mtime == ML_TIME_NONE ? MTIME_NONE :
	    e->depth > 0 ? MTIME_ENTRY : MTIME_FILE;
	in->first_time = st->first_any;
	in->last_time = st->last_any;
	in->clue_time = st->clue;
	in->year = ml_time_year(st->kind == INPUT_FAILED_FILES ?
	    st->list_time : st->first_any);
	in->year_source = in->year != 0 ? st->year_source : YEAR_NONE;
}

static void
entry_release(struct entry *st)
{
	free(st->templates.text);
	hmap_release(&st->templates.index);
	errlog_parser_free(st->parser);
	utf16_decoder_free(st->u16);
	line_reader_free(st->lr);
	free(st->version);
}

/* Keep `version` seen at `time` as the machine's agent version if it is
 * the later sighting, on a tie the larger string: the rule of
 * summary_merge(), so file order and threads do not matter. */
static int
machine_version(struct summary_machine *m, const char *version,
    int64_t time)
{
	if (version == NULL || (m->agent_version != NULL &&
	    (time < m->agent_version_time || (time == m->agent_version_time &&
	    strcmp(version, m->agent_version) <= 0))))
		return 0;
	if (summary_set_str(&m->agent_version, version) != 0)
		return -1;
	m->agent_version_time = time;
	return 0;
}

/* Fold the entry's counters into its machine; `whole`: the entry is a
 * whole input (a range's input count and version are added when the
 * ranges are joined). */
static int
entry_commit(struct analysis *a, struct entry *st, int skipped, int whole)
{
	struct summary_machine *m = summary_machine_get(a->sum,
	    st->e->machine, NULL);

	if (m == NULL)
		return -1;
	m->inputs += (uint64_t)whole;
	m->inputs_skipped += skipped;
	m->records += st->records;
	m->errors += st->errors;
	m->warnings += st->warnings;
	if (st->first != ML_TIME_NONE &&
	    (m->first_seen == ML_TIME_NONE || st->first < m->first_seen))
		m->first_seen = st->first;
	if (st->last != ML_TIME_NONE &&
	    (m->last_seen == ML_TIME_NONE || st->last > m->last_seen))
		m->last_seen = st->last;
	m->records_outside += st->outside;
	if (st->newest != ML_TIME_NONE &&
	    (m->newest_record == ML_TIME_NONE || st->newest > m->newest_record))
		m->newest_record = st->newest;
	return whole ? machine_version(m, st->version, st->version_time) : 0;
}

/*
 * The parser options of errlog entry `e`: --year, else the reference time
 * decided from a first pass's evidence, else the entry's own clues (its
 * .Crash name, its time), else the run's reference time (years.h).
 * Returns where the year comes from (provisional: years_apply() says the
 * last word).
 */
static enum year_source
entry_year(const struct analysis *a, const struct source_entry *e,
    struct errlog_options *eo)
{
	eo->year = years_option_for(a->opt.years, a->opt.nyears, e->machine);
	if (eo->year == 0)
		eo->year = a->opt.year;
	eo->reference_time = ML_TIME_NONE;
	if (eo->year != 0)
		return YEAR_OPTION;
	if (years_reference(a->opt.plan, e->path, &eo->reference_time))
		return YEAR_MACHINE;
	if ((eo->reference_time = errlog_time_from_name(e->name)) !=
	    ML_TIME_NONE)
		return YEAR_CRASH_NAME;
	if ((eo->reference_time = e->mtime) != ML_TIME_NONE)
		return e->depth > 0 ? YEAR_ENTRY_TIME : YEAR_FILE_TIME;
	eo->reference_time = a->opt.now;
	return YEAR_CLOCK;
}

/* The readers of a text entry whose kind and encoding are known.  0, or
 * -1 on OOM.  For a failed-files list, also when it was written. */
static int
entry_open(struct analysis *a, struct entry *st)
{
	const struct source_entry *e = st->e;
	int u16 = st->enc == TEXT_UTF16LE || st->enc == TEXT_UTF16BE;

	st->product = catalog_product_of_path(e->path);
	st->lr = line_reader_new(a->opt.max_line);
	if (u16)
		st->u16 = utf16_decoder_new(st->enc == TEXT_UTF16BE);
	if (st->kind == INPUT_ERRLOG) {
		struct errlog_options eo;

		st->year_source = entry_year(a, st->orig, &eo);
		st->parser = errlog_parser_new(&eo);
		st->want_version = 1;
	} else {
		/* The name carries the job's UTC day; the mtime is more
		 * precise unless the file was copied (a folder from a
		 * checkout or a copy has today's mtime): then the end of the
		 * named day is used. */
		int64_t day = failed_time_from_name(e->name);

		st->list_time = e->mtime;
		st->year_source = e->mtime == ML_TIME_NONE ? YEAR_NONE :
		    e->depth > 0 ? YEAR_ENTRY_TIME : YEAR_FILE_TIME;
		if (day != ML_TIME_NONE)
			st->year_source = YEAR_FAILED_NAME;
		if (day != ML_TIME_NONE && (st->list_time == ML_TIME_NONE ||
		    st->list_time < day || st->list_time >= day + 2 * DAY_MS))
			st->list_time = day + DAY_MS - 1;
	}
	if (st->lr == NULL || (u16 && st->u16 == NULL) ||
	    (st->kind == INPUT_ERRLOG && st->parser == NULL))
		return -1;
	return 0;
}

/*
 * Feed the rest of the stream (none if `done`), then the end.  Archive
 * entries are inflated on a second thread while this one parses (see
 * prefetch.h); plain files are read here directly.  A stream error is copied to a->stream_error and
 * *stream_error points at it.
 */
static void
entry_read(struct analysis *a, struct entry *st, struct source_stream *s,
    int done, const char **stream_error)
{
	const struct source_entry *e = st->e;
	struct prefetch *pf = NULL;
	const void *chunk;
	size_t len;
	int r = 0;

	if (!done && e->depth > 0 && (e->size < 0 || e->size > PREFETCH_MIN))
		pf = prefetch_start(s);
	while (!done && !st->stop && (r = pf != NULL ?
	    prefetch_read(pf, &chunk, &len) :
	    source_stream_read(s, &chunk, &len)) == 1) {
		st->bytes += len;
		if (a->opt.bytes_read != NULL)
			atomic_fetch_add(a->opt.bytes_read, len);
		feed(a, st, chunk, len, 0);
	}
	if (r < 0) {
		snprintf(a->stream_error, sizeof a->stream_error, "%s",
		    pf != NULL ? prefetch_error(pf) : source_stream_error(s));
		*stream_error = a->stream_error;
	}
	prefetch_stop(pf);
	feed(a, st, NULL, 0, 1);
	if (st->u16 != NULL) {
		st->replacements += utf16_decoder_replacements(st->u16);
		if (utf16_decoder_failed(st->u16))
			st->oom = 1;
	}
}

/* The entry under the names it enters the summary with: e itself, or with
 * --redact a copy in *n with pseudonyms (release n after use).  NULL on
 * OOM. */
static const struct source_entry *
entry_named(const struct analysis *a, const struct source_entry *e,
    struct entry_names *n)
{
	memset(n, 0, sizeof *n);
	if (a->opt.redact == NULL)
		return e;
	n->e = *e;
	redact_machine(a->opt.redact, &n->machine, e->machine);
	redact_path(a->opt.redact, &n->path, e->path, strlen(e->path),
	    e->machine);
	text_buf_add(&n->machine, "", 0);
	text_buf_add(&n->path, "", 0);
	if (n->machine.oom || n->path.oom)
		return NULL;
	n->e.machine = n->machine.p;
	n->e.path = n->path.p;
	return &n->e;
}

static void
entry_names_release(struct entry_names *n)
{
	text_buf_release(&n->machine);
	text_buf_release(&n->path);
}

/* A warning (owned, may be NULL) as it may enter the summary: with
 * --redact, libarchive's messages can name entries.  Frees w. */
static char *
warning_named(struct analysis *a, const char *machine, char *w)
{
	size_t n;
	const char *r;
	char *out;

	if (w == NULL || a->opt.redact == NULL)
		return w;
	n = strlen(w);
	a->red.len = 0;
	redact_text(a->opt.redact, &a->red, w, n, machine);
	text_buf_add(&a->red, "", 0);
	r = a->red.oom ? "(warning lost: out of memory)" : a->red.p;
	out = strdup(r);
	free(w);
	return out;
}

static int read_entry(struct analysis *a, const struct source_entry *e,
    const struct source_entry *orig, struct source_stream *s);

int
analysis_read_entry(void *arg, const struct source_entry *e,
    struct source_stream *s)
{
	struct analysis *a = arg;
	struct entry_names names;
	const struct source_entry *named = entry_named(a, e, &names);
	int rc = named != NULL ? read_entry(a, named, e, s) : -1;

	entry_names_release(&names);
	return rc;
}

/* analysis_read_entry() of e, named for the summary; orig is the entry
 * as the walker gave it. */
static int
read_entry(struct analysis *a, const struct source_entry *e,
    const struct source_entry *orig, struct source_stream *s)
{
	struct entry st;
	struct summary_input *in;
	const void *chunk = NULL;
	const unsigned char *first;
	size_t len = 0, have = 0, bom = 0;
	const char *stream_error = NULL;
	int rc = 0, r = 1, skipped = 0;

	entry_init(&st, e, orig);
	a->machine = orig->machine;
	job_tracker_reset(a->jobs);

	/* Gather the first SNIFF_BYTES (one chunk is usually enough). */
	while (have < SNIFF_BYTES && (r = source_stream_read(s, &chunk,
	    &len)) == 1) {
		if (have == 0 && len >= SNIFF_BYTES)
			break;
		size_t take = len < SNIFF_BYTES - have ? len : SNIFF_BYTES - have;

		memcpy(a->sniff + have, chunk, take);
		have += take;
		if (take < len) {	/* keep the rest for after the sniff */
			chunk = (const unsigned char *)chunk + take;
			len -= take;
			break;
		}
		len = 0;
	}
	if (r < 0)
		stream_error = source_stream_error(s);
	if (have == 0 && r == 1) {	/* first chunk was big: sniff in place */
		first = chunk;
		have = len;
		len = 0;
	} else {
		first = a->sniff;
	}
	st.bytes = have + len;
	analysis_sniff(e->name, first, have, &st.kind, &st.enc, &bom);

	in = summary_input_add(a->sum, e->machine, e->path);
	if (in == NULL)
		return -1;
	in->kind = st.kind;
	in->encoding = st.enc;
	in->mtime = e->mtime;
	if (st.kind == INPUT_OTHER || st.enc == TEXT_BINARY) {
		in->status = INPUT_SKIPPED;
		in->bytes = e->size >= 0 ? (uint64_t)e->size : st.bytes;
		skipped = 1;
		if (st.kind != INPUT_OTHER)
			rc = summary_set_str(&in->warning,
			    "binary content, not a text log");
		goto commit;
	}
	if (entry_open(a, &st) != 0) {
		rc = -1;
		goto out;
	}
	if (st.kind == INPUT_FAILED_FILES)
		in->mtime = st.list_time;
	if (a->ev != NULL)
		gather_begin(a->ev, 0);

	feed(a, &st, first + bom, have - bom, 0);
	if (len > 0)
		feed(a, &st, chunk, len, 0);
	if (a->opt.bytes_read != NULL)
		atomic_fetch_add(a->opt.bytes_read, st.bytes);
	entry_read(a, &st, s, r != 1, &stream_error);

	in = &a->sum->inputs[a->sum->ninputs - 1];
	in->bytes = st.bytes;
	in->records = st.records;
	if (input_form(in, st.forms) != 0)
		st.oom = 1;
	in->unparsed_lines = st.parser ? errlog_parser_unparsed(st.parser) : 0;
	in->lines_cut = line_reader_cut_count(st.lr);
	in->replacements = st.replacements;
	free(in->warning);
	in->warning = warning_named(a, orig->machine, entry_warning(&st,
	    stream_error, in->lines_cut, a->opt.max_line, &in->status));
	input_year(in, &st, e);
	if (a->ev != NULL && gather_end(a->ev, a->sum, NULL) != 0)
		st.oom = 1;
	if (st.oom)
		rc = -1;
	else if (st.stop)
		rc = 1;
	if (a->opt.tap != NULL && a->opt.tap->entry_end != NULL &&
	    a->opt.tap->entry_end(a->opt.tap->arg, e) != 0)
		rc = -1;
commit:
	if (entry_commit(a, &st, skipped, 1) != 0)
		rc = -1;
out:
	entry_release(&st);
	return rc;
}

/* ------------------------------------------------------------- ranges */

struct summary *
analysis_read_range(struct analysis *a, const struct source_entry *e,
    struct source_stream *s, struct analysis_range *r)
{
	struct summary *saved = a->sum, *part;
	struct entry st;
	struct entry_names names;
	const char *stream_error = NULL;
	int rc;

	entry_init(&st, entry_named(a, e, &names), e);
	a->machine = e->machine;
	st.kind = INPUT_ERRLOG;
	st.enc = r->enc;
	st.range = r;
	if (st.e == NULL) {
		entry_names_release(&names);
		return NULL;
	}
	a->sum = summary_new();
	if (a->sum == NULL) {
		a->sum = saved;
		entry_names_release(&names);
		return NULL;
	}
	job_tracker_reset(a->jobs);
	rc = entry_open(a, &st);
	if (rc == 0 && a->ev != NULL) {
		gather_begin(a->ev, 1);
		r->edges = calloc(1, sizeof *r->edges);
		if (r->edges == NULL)
			rc = -1;
	}
	if (rc == 0) {
		entry_read(a, &st, s, 0, &stream_error);
		if (a->ev != NULL && gather_end(a->ev, a->sum, r->edges) != 0)
			rc = -1;
		r->bytes = st.bytes;
		r->lines = st.lines;
		r->records = st.records;
		r->forms = st.forms;
		r->unparsed = errlog_parser_unparsed(st.parser);
		r->lines_cut = line_reader_cut_count(st.lr);
		r->replacements = st.replacements;
		r->version = st.version;
		st.version = NULL;
		r->version_time = st.version_time;
		r->version_record = st.version_record;
		r->outside = st.outside;
		r->first_time = st.first_any;
		r->last_time = st.last_any;
		r->clue_time = st.clue;
		if (stream_error != NULL &&
		    (r->error = strdup(stream_error)) == NULL)
			rc = -1;
		if (st.oom || entry_commit(a, &st, 0, 0) != 0)
			rc = -1;
	}
	entry_release(&st);
	entry_names_release(&names);
	part = a->sum;
	a->sum = saved;
	job_tracker_reset(a->jobs);
	if (rc != 0) {
		summary_free(part);
		return NULL;
	}
	return part;
}

void
analysis_range_release(struct analysis_range *r)
{
	free(r->version);
	free(r->error);
	r->version = r->error = NULL;
	if (r->edges != NULL)
		gather_edges_release(r->edges);
	free(r->edges);
	r->edges = NULL;
}

/* A part's sample and evidence lines (and its edges, e may be NULL)
 * count from its range's first line: make them count from the file's. */
static void
shift_lines(struct summary *s, struct gather_edges *e, uint64_t lines)
{
	size_t i;

	for (i = 0; i < s->nfindings; i++)
		if (s->findings[i].sample.path != NULL)
			s->findings[i].sample.line += lines;
	for (i = 0; i < s->ntemplates; i++)
		if (s->templates[i].sample.path != NULL)
			s->templates[i].sample.line += lines;
	gather_shift(s, e, lines);
}

/* Ranges folded so far, in file order. */
struct analysis_join {
	struct summary *acc;		/* NULL until the first range */
	struct entry st;		/* kind, encoding and sums for the row */
	uint64_t lines, unparsed, cut;
	char *version;			/* of the file's first VERSION_LINES */
	int64_t version_time;
	char *error;			/* the first range's stream error */
	struct gather_edges edges;	/* evidence: the last lines so far */
};

struct analysis_join *
analysis_join_new(void)
{
	struct analysis_join *j = calloc(1, sizeof *j);

	if (j != NULL) {
		entry_init(&j->st, NULL, NULL);
		j->st.kind = INPUT_ERRLOG;
	}
	return j;
}

int
analysis_join_kept(const struct analysis_join *j, const char *machine,
    const char *text)
{
	return j->acc != NULL &&
	    summary_template_find(j->acc, machine, text) != NULL;
}

void
analysis_join_free(struct analysis_join *j)
{
	if (j == NULL)
		return;
	summary_free(j->acc);
	free(j->version);
	free(j->error);
	gather_edges_release(&j->edges);
	free(j);
}

int
analysis_join_add(struct analysis_join *j, struct summary *part,
    struct analysis_range *r)
{
	int rc = 0;

	/* Even the first part goes through the cap: a range keeps more
	 * templates than an input may. */
	if (j->acc == NULL) {
		j->acc = summary_new();
		j->st.enc = r->enc;
	}
	if (j->acc == NULL)
		rc = -1;
	else {
		shift_lines(part, r->edges, j->lines);
		if (r->edges != NULL)
			rc = gather_join(&j->edges, j->acc, r->edges, part);
		if (summary_merge_capped(j->acc, part, TEMPLATES_MAX) != 0)
			rc = -1;
	}
	summary_free(part);
	/* the version of the file's first VERSION_LINES records */
	if (j->version == NULL && r->version != NULL &&
	    j->st.records + r->version_record <= VERSION_LINES) {
		j->version = r->version;
		j->version_time = r->version_time;
		r->version = NULL;
	}
	if (j->error == NULL) {
		j->error = r->error;
		r->error = NULL;
	}
	/* file order: the first range with records starts the input */
	if (j->st.first_any == ML_TIME_NONE)
		j->st.first_any = r->first_time;
	if (r->last_time != ML_TIME_NONE)
		j->st.last_any = r->last_time;
	if (j->st.clue == ML_TIME_NONE)
		j->st.clue = r->clue_time;
	j->lines += r->lines;
	j->st.bytes += r->bytes;
	j->st.records += r->records;
	j->st.forms |= r->forms;
	j->st.outside += r->outside;
	j->st.replacements += r->replacements;
	j->unparsed += r->unparsed;
	j->cut += r->lines_cut;
	return rc;
}

int
analysis_join_end(struct analysis *a, const struct source_entry *e,
    struct analysis_join *j)
{
	struct summary_input *in;
	struct summary_machine *m;
	struct errlog_options eo;
	struct entry_names names;
	const struct source_entry *orig = e;
	int rc = -1;

	if (j->acc == NULL)
		return 0;
	e = entry_named(a, e, &names);
	if (e == NULL)
		goto out;
	j->st.e = e;
	in = summary_input_add(j->acc, e->machine, e->path);
	m = summary_machine_get(j->acc, e->machine, NULL);
	if (in == NULL || m == NULL)
		goto out;
	in->kind = INPUT_ERRLOG;
	in->encoding = j->st.enc;
	in->mtime = e->mtime;
	in->bytes = j->st.bytes;
	in->records = j->st.records;
	if (input_form(in, j->st.forms) != 0)
		return -1;
	in->unparsed_lines = j->unparsed;
	in->lines_cut = j->cut;
	in->replacements = j->st.replacements;
	in->warning = warning_named(a, orig->machine, entry_warning(&j->st,
	    j->error, j->cut, a->opt.max_line, &in->status));
	/* the ranges' parsers chose as one over the whole file would */
	j->st.year_source = entry_year(a, orig, &eo);
	input_year(in, &j->st, e);
	m->inputs++;
	gather_close(j->acc);
	if (machine_version(m, j->version, j->version_time) == 0 &&
	    summary_merge(a->sum, j->acc) == 0)
		rc = 0;
out:
	entry_names_release(&names);
	j->st.e = NULL;
	return rc;
}

int
analysis_skip(void *arg, const struct source_entry *e, enum source_skip kind,
    const char *why)
{
	struct analysis *a = arg;
	struct summary_input *in;
	struct summary_machine *m;
	struct entry_names names;
	const char *machine = e->machine;
	int rc = -1;

	e = entry_named(a, e, &names);
	if (e == NULL)
		goto out;
	in = summary_input_add(a->sum, e->machine, e->path);
	if (in == NULL)
		goto out;
	in->kind = kind_from_name(e->name);
	in->encoding = TEXT_UNKNOWN;
	in->mtime = e->mtime;
	in->bytes = e->size >= 0 ? (uint64_t)e->size : 0;
	/* A damaged archive, or one stopped at a size limit, was read up to
	 * that point: its entries have their own rows, this one says what
	 * was lost. */
	in->status = kind == SOURCE_SKIP_CORRUPT || kind == SOURCE_SKIP_LIMIT ?
	    INPUT_PARTIAL : INPUT_SKIPPED;
	if (summary_set_str(&in->warning, why) != 0 ||
	    (in->warning = warning_named(a, machine, in->warning)) == NULL)
		goto out;
	m = summary_machine_get(a->sum, e->machine, NULL);
	if (m == NULL)
		goto out;
	m->inputs++;
	m->inputs_skipped += in->status == INPUT_SKIPPED;
	rc = 0;
out:
	entry_names_release(&names);
	return rc;
}

/* ----------------------------------------------------------- finalize */

int
analysis_merge_tasks(struct analysis *dst, const struct analysis *src)
{
	return job_tracker_merge(dst->jobs, src->jobs);
}

void
analysis_finalize(const struct analysis *a, struct summary *s)
{
	job_tracker_apply(a != NULL ? a->jobs : NULL, s);
	summary_finish(s);
}
