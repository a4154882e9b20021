/* SPDX-License-Identifier: MIT */
/*
 * summary.c -- building, merging and finishing summaries.
 *
 * Every keyed kind of item lives in a growable array with a hash index
 * (parsers/hmap.h) that maps the composite key to the array position, so
 * a find-or-add is O(1) and the index costs a few bytes per item on top of
 * the item itself.  Machine names and failed-file codes repeat across
 * hundreds of thousands of items, so they are interned in one pool owned
 * by the summary; every item of a machine points at the same name.
 *
 * Merging must be associative and commutative (fleet reports, threads and
 * distributed runs merge in any order), so every merge rule below is a
 * min, a max or a sum over a total order, and summary_finish() sorts with
 * ties broken by every field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/hmap.h"
#include "parsers/record.h"
#include "reports/summary.h"
#include "reports/summary_fields.h"

#define HOUR_MS INT64_C(3600000)

struct summary_index {
	/* interned strings: machine names, failed-file codes, rollup ids */
	char **pool;
	size_t npool, cap_pool;
	struct hmap pool_map;

	struct hmap machines, findings, jobs, failed_files, templates;
	struct hmap timeline;
	size_t cap_machines, cap_inputs, cap_findings, cap_jobs;
	size_t cap_failed_files, cap_templates, cap_timeline;
};

/* ------------------------------------------------------------ names */

static const char *const input_kind_names[] = {
	[INPUT_ERRLOG] = "errlog",
	[INPUT_FAILED_FILES] = "failed-files",
	[INPUT_OTHER] = "other",
};
static const char *const input_status_names[] = {
	[INPUT_OK] = "ok",
	[INPUT_PARTIAL] = "partial",
	[INPUT_SKIPPED] = "skipped",
};
static const char *const job_kind_names[] = {
	[JOB_BACKUP] = "backup",
	[JOB_RESTORE] = "restore",
	[JOB_OTHER] = "other",
};
static const char *const job_outcome_names[] = {
	[JOB_UNKNOWN] = "unknown",
	[JOB_SUCCEEDED] = "succeeded",
	[JOB_WARNINGS] = "completed-with-warnings",
	[JOB_FAILED] = "failed",
};

static const char *const year_source_names[] = {
	[YEAR_NONE] = "none",		/* written as null */
	[YEAR_OPTION] = "option",
	[YEAR_MESSAGE] = "message",
	[YEAR_CRASH_NAME] = "crash-name",
	[YEAR_FAILED_NAME] = "failed-files-name",
	[YEAR_ENTRY_TIME] = "entry-time",
	[YEAR_FILE_TIME] = "file-time",
	[YEAR_MACHINE] = "machine",
	[YEAR_CLOCK] = "clock",
};

#define NAMES_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Out-of-range values are a caller bug; they get a name the reader
 * rejects rather than a crash. */
static const char *
name_of(const char *const *names, size_t n, unsigned v)
{
	return v < n ? names[v] : "invalid";
}

static int
index_of(const char *const *names, size_t n, const char *s)
{
	size_t i;

	for (i = 0; s && i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

const char *
input_kind_name(enum input_kind k)
{
	return name_of(input_kind_names, NAMES_COUNT(input_kind_names), k);
}

const char *
input_status_name(enum input_status st)
{
	return name_of(input_status_names, NAMES_COUNT(input_status_names),
	    st);
}

const char *
job_kind_name(enum job_kind k)
{
	return name_of(job_kind_names, NAMES_COUNT(job_kind_names), k);
}

const char *
job_outcome_name(enum job_outcome o)
{
	return name_of(job_outcome_names, NAMES_COUNT(job_outcome_names), o);
}

const char *
year_source_name(enum year_source y)
{
	return y == YEAR_NONE ? NULL :
	    name_of(year_source_names, NAMES_COUNT(year_source_names), y);
}

char *
summary_input_year_text(const struct summary_input *in, char *buf,
    size_t len)
{
	if (in->year < 1970 || in->year > 9999)
		snprintf(buf, len, "-");
	else if (year_source_name(in->year_source) == NULL)
		snprintf(buf, len, "%d", in->year);
	else
		snprintf(buf, len, "%d (%s)", in->year,
		    year_source_name(in->year_source));
	return buf;
}

int
year_source_from_name(const char *s)
{
	int v = index_of(year_source_names, NAMES_COUNT(year_source_names), s);

	return v == YEAR_NONE ? -1 : v;
}

int
input_kind_from_name(const char *s)
{
	return index_of(input_kind_names, NAMES_COUNT(input_kind_names), s);
}

int
input_status_from_name(const char *s)
{
	return index_of(input_status_names, NAMES_COUNT(input_status_names),
	    s);
}

int
job_kind_from_name(const char *s)
{
	return index_of(job_kind_names, NAMES_COUNT(job_kind_names), s);
}

int
job_outcome_from_name(const char *s)
{
	return index_of(job_outcome_names, NAMES_COUNT(job_outcome_names),
	    s);
}

/* The forward names belong to decode.c and catalog.c; asking them keeps
 * one spelling of each name. */
int
text_encoding_from_name(const char *s)
{
	int e;

	for (e = TEXT_UNKNOWN; s && e <= TEXT_BINARY; e++)
		if (strcmp(text_encoding_name((enum text_encoding)e), s) == 0)
			return e;
	return -1;
}

int
cat_level_from_name(const char *s)
{
	int l;

	for (l = CAT_LEVEL_INFO; s && l <= CAT_LEVEL_ERROR; l++)
		if (strcmp(cat_level_name((enum cat_level)l), s) == 0)
			return l;
	return -1;
}

/* ---------------------------------------------------------- helpers */

/* strcmp with NULL ordered before every string. */
static int
strcmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int
str_eq_null(const char *a, const char *b)
{
	return strcmp_null(a, b) == 0;
}

static int
cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

static int
cmp_i64(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

/* Times with ML_TIME_NONE after every real time. */
static int
cmp_time_none_last(int64_t a, int64_t b)
{
	if (a == ML_TIME_NONE || b == ML_TIME_NONE)
		return (a == ML_TIME_NONE) - (b == ML_TIME_NONE);
	return cmp_i64(a, b);
}

static int64_t
time_min(int64_t a, int64_t b)
{
	return cmp_time_none_last(a, b) <= 0 ? a : b;
}

/* ML_TIME_NONE is INT64_MIN, so a plain max already ignores it. */
static int64_t
time_max(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

int
summary_set_str(char **dst, const char *src)
{
	char *copy = NULL;

	if (src && !(copy = strdup(src)))
		return -1;
	free(*dst);
	*dst = copy;
	return 0;
}

/* Keep the smaller of two optional strings (NULL loses to any string):
 * the merge rule for descriptive fields that should agree anyway. */
static int
merge_str_min(char **dst, const char *src)
{
	if (!src || (*dst && strcmp(*dst, src) <= 0))
		return 0;
	return summary_set_str(dst, src);
}

/*
 * Make room for one more element in a growable array: returns the
 * (possibly moved) array, or NULL on OOM with the old one still valid.
 * Capacity doubles, so n appends cost O(n).
 */
static void *
array_grow(void *arr, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return arr;
	ncap = *cap ? *cap * 2 : 16;
	if (ncap > SIZE_MAX / size)
		return NULL;
	p = realloc(arr, ncap * size);
	if (p)
		*cap = ncap;
	return p;
}

static uint64_t
hash_str(uint64_t h, const char *s)
{
	return hmap_hash(h, s, strlen(s) + 1);
}

/* ------------------------------------------------------ string pool */

static int
pool_eq(const void *ctx, size_t idx, const void *key)
{
	const struct summary_index *x = ctx;

	return strcmp(x->pool[idx], key) == 0;
}

/* The pool's copy of `str` (NULL stays NULL); NULL on OOM. */
static char *
pool_intern(struct summary_index *x, const char *str, int *oom)
{
	uint64_t h;
	size_t i;
	char **pool, *copy;

	*oom = 0;
	if (!str)
		return NULL;
	h = hash_str(HMAP_HASH_INIT, str);
	i = hmap_find(&x->pool_map, h, pool_eq, x, str);
	if (i != HMAP_NONE)
		return x->pool[i];
	pool = array_grow(x->pool, &x->cap_pool, x->npool, sizeof(*pool));
	if (!pool)
		goto oom;
	x->pool = pool;
	if (!(copy = strdup(str)))
		goto oom;
	if (hmap_insert(&x->pool_map, h, x->npool) < 0) {
		free(copy);
		goto oom;
	}
	x->pool[x->npool++] = copy;
	return copy;
oom:
	*oom = 1;
	return NULL;
}

/* ------------------------------------------------------- lifecycle */

struct summary *
summary_new(void)
{
	struct summary *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->index = calloc(1, sizeof(*s->index));
	if (!s->index) {
		free(s);
		return NULL;
	}
	return s;
}

/* The path is a pool string. */
static void
sample_release(struct summary_sample *sm)
{
	free(sm->message);
}

void
summary_free(struct summary *s)
{
	struct summary_index *x;
	size_t i;

	if (!s)
		return;
	x = s->index;
	free(s->generator);
	free(s->redaction);
	/* machine names and failed-file codes are pool strings */
	for (i = 0; i < s->nmachines; i++)
		free(s->machines[i].agent_version);
	for (i = 0; i < s->ninputs; i++) {
		free(s->inputs[i].path);
		free(s->inputs[i].warning);
		free(s->inputs[i].form);
	}
	for (i = 0; i < s->nfindings; i++) {
		struct summary_finding *f = &s->findings[i];

		free(f->id);
		free(f->code);
		free(f->category);
		free(f->title);
		free(f->cause);
		free(f->remediation);
		free(f->doc_url);
		sample_release(&f->sample);
		evidence_set_release(&f->evidence);
	}
	for (i = 0; i < s->njobs; i++) {
		free(s->jobs[i].task_id);
		free(s->jobs[i].hresult);
		evidence_set_release(&s->jobs[i].evidence);
	}
	for (i = 0; i < s->nfailed_files; i++)
		free(s->failed_files[i].path);
	for (i = 0; i < s->ntemplates; i++) {
		free(s->templates[i].text);
		sample_release(&s->templates[i].sample);
	}
	for (i = 0; i < x->npool; i++)
		free(x->pool[i]);
	free(x->pool);
	hmap_release(&x->pool_map);
	hmap_release(&x->machines);
	hmap_release(&x->findings);
	hmap_release(&x->jobs);
	hmap_release(&x->failed_files);
	hmap_release(&x->templates);
	hmap_release(&x->timeline);
	free(s->machines);
	free(s->inputs);
	free(s->findings);
	free(s->jobs);
	free(s->failed_files);
	free(s->templates);
	free(s->timeline);
	free(x);
	free(s);
}

char *
summary_intern(struct summary *s, const char *str, int *oom)
{
	return pool_intern(s->index, str, oom);
}

/* ------------------------------------------------------ keyed items */

/*
 * Each kind has a key struct, a hash over the key, and an equality
 * callback against an item; the hash feeds each part with its NUL so
 * composite keys cannot run into each other.  An absent optional part
 * (a NULL code) hashes as nothing at all, and equality tells it apart.
 */
struct item_key {
	const char *machine, *a, *b;
	int64_t t;
};

static uint64_t
key_hash2(const char *machine, const char *a)
{
	return hash_str(hash_str(HMAP_HASH_INIT, machine), a);
}

static int
machine_eq(const void *ctx, size_t idx, const void *key)
{
	const struct summary *s = ctx;

	return strcmp(s->machines[idx].name, key) == 0;
}

static int
finding_eq(const void *ctx, size_t idx, const void *key)
{
	const struct summary_finding *f = &((const struct summary *)ctx)->findings[idx];
	const struct item_key *k = key;

	return strcmp(f->id, k->a) == 0 && strcmp(f->machine, k->machine) == 0;
}

static int
job_eq(const void *ctx, size_t idx, const void *key)
{
	const struct summary_job *j = &((const struct summary *)ctx)->jobs[idx];
	const struct item_key *k = key;

	return strcmp(j->task_id, k->a) == 0 &&
	    strcmp(j->machine, k->machine) == 0;
}

static uint64_t
failed_file_hash(const char *machine, const char *path, const char *code)
{
	uint64_t h = key_hash2(machine, path);

	return code ? hash_str(h, code) : h;
}

static int
failed_file_eq(const void *ctx, size_t idx, const void *key)
{
	const struct summary_failed_file *ff =
	    &((const struct summary *)ctx)->failed_files[idx];
	const struct item_key *k = key;

	return strcmp(ff->path, k->a) == 0 && str_eq_null(ff->code, k->b) &&
	    strcmp(ff->machine, k->machine) == 0;
}

static int
template_eq(const void *ctx, size_t idx, const void *key)
{
	const struct summary_template *t =
	    &((const struct summary *)ctx)->templates[idx];
	const struct item_key *k = key;

	return strcmp(t->text, k->a) == 0 &&
	    strcmp(t->machine, k->machine) == 0;
}

static uint64_t
bucket_hash(const char *machine, int64_t hour)
{
	return hmap_hash(hash_str(HMAP_HASH_INIT, machine), &hour,
	    sizeof(hour));
}

static int
bucket_eq(const void *ctx, size_t idx, const void *key)
{
	const struct summary_bucket *b =
	    &((const struct summary *)ctx)->timeline[idx];
	const struct item_key *k = key;

	return b->hour == k->t && strcmp(b->machine, k->machine) == 0;
}

static void
sample_init(struct summary_sample *sm)
{
	memset(sm, 0, sizeof(*sm));
	sm->time = ML_TIME_NONE;
}

struct summary_machine *
summary_machine_get(struct summary *s, const char *name, int *created)
{
	struct summary_index *x = s->index;
	struct summary_machine *m, *arr;
	uint64_t h = hash_str(HMAP_HASH_INIT, name);
	size_t i;
	int oom;

	if (created)
		*created = 0;
	i = hmap_find(&x->machines, h, machine_eq, s, name);
	if (i != HMAP_NONE)
		return &s->machines[i];
	arr = array_grow(s->machines, &x->cap_machines, s->nmachines,
	    sizeof(*arr));
	if (!arr)
		return NULL;
	s->machines = arr;
	m = &arr[s->nmachines];
	memset(m, 0, sizeof(*m));
	if (!(m->name = pool_intern(x, name, &oom)))
		return NULL;
	if (hmap_insert(&x->machines, h, s->nmachines) < 0)
		return NULL;
	m->agent_version_time = ML_TIME_NONE;
	m->first_seen = m->last_seen = ML_TIME_NONE;
	m->newest_record = ML_TIME_NONE;
	m->last_job_outcome = JOB_UNKNOWN;
	m->last_job_end = m->last_success = ML_TIME_NONE;
	s->nmachines++;
	if (created)
		*created = 1;
	return m;
}

struct summary_finding *
summary_finding_get(struct summary *s, const char *machine, const char *id,
    int *created)
{
	struct summary_index *x = s->index;
	struct item_key k = { machine, id, NULL, 0 };
	struct summary_finding *f, *arr;
	uint64_t h = key_hash2(machine, id);
	size_t i;
	int oom;

	if (created)
		*created = 0;
	i = hmap_find(&x->findings, h, finding_eq, s, &k);
	if (i != HMAP_NONE)
		return &s->findings[i];
	arr = array_grow(s->findings, &x->cap_findings, s->nfindings,
	    sizeof(*arr));
	if (!arr)
		return NULL;
	s->findings = arr;
	f = &arr[s->nfindings];
	memset(f, 0, sizeof(*f));
	if (!(f->machine = pool_intern(x, machine, &oom)) ||
	    !(f->id = strdup(id)))
		return NULL;
	if (hmap_insert(&x->findings, h, s->nfindings) < 0) {
		free(f->id);
		return NULL;
	}
	f->level = CAT_LEVEL_INFO;
	f->first_seen = f->last_seen = ML_TIME_NONE;
	sample_init(&f->sample);
	s->nfindings++;
	if (created)
		*created = 1;
	return f;
}

struct summary_job *
summary_job_get(struct summary *s, const char *machine, const char *task_id,
    int *created)
{
	struct summary_index *x = s->index;
	struct item_key k = { machine, task_id, NULL, 0 };
	struct summary_job *j, *arr;
	uint64_t h = key_hash2(machine, task_id);
	size_t i;
	int oom;

	if (created)
		*created = 0;
	i = hmap_find(&x->jobs, h, job_eq, s, &k);
	if (i != HMAP_NONE)
		return &s->jobs[i];
	arr = array_grow(s->jobs, &x->cap_jobs, s->njobs, sizeof(*arr));
	if (!arr)
		return NULL;
	s->jobs = arr;
	j = &arr[s->njobs];
	memset(j, 0, sizeof(*j));
	if (!(j->machine = pool_intern(x, machine, &oom)) ||
	    !(j->task_id = strdup(task_id)))
		return NULL;
	if (hmap_insert(&x->jobs, h, s->njobs) < 0) {
		free(j->task_id);
		return NULL;
	}
	j->kind = JOB_OTHER;
	j->outcome = JOB_UNKNOWN;
	j->start = j->end = j->outcome_time = ML_TIME_NONE;
	j->task_error_time = j->task_warning_time = ML_TIME_NONE;
	s->njobs++;
	if (created)
		*created = 1;
	return j;
}

struct summary_failed_file *
summary_failed_file_get(struct summary *s, const char *machine,
    const char *path, const char *code, int *created)
{
	struct summary_index *x = s->index;
	struct item_key k = { machine, path, code, 0 };
	struct summary_failed_file *ff, *arr;
	uint64_t h = failed_file_hash(machine, path, code);
	size_t i;
	int oom;

	if (created)
		*created = 0;
	i = hmap_find(&x->failed_files, h, failed_file_eq, s, &k);
	if (i != HMAP_NONE)
		return &s->failed_files[i];
	arr = array_grow(s->failed_files, &x->cap_failed_files,
	    s->nfailed_files, sizeof(*arr));
	if (!arr)
		return NULL;
	s->failed_files = arr;
	ff = &arr[s->nfailed_files];
	memset(ff, 0, sizeof(*ff));
	if (!(ff->machine = pool_intern(x, machine, &oom)))
		return NULL;
	ff->code = pool_intern(x, code, &oom);
	if (oom || !(ff->path = strdup(path)))
		return NULL;
	if (hmap_insert(&x->failed_files, h, s->nfailed_files) < 0) {
		free(ff->path);
		return NULL;
	}
	s->nfailed_files++;
	if (created)
		*created = 1;
	return ff;
}

struct summary_template *
summary_template_get(struct summary *s, const char *machine,
    const char *text, int *created)
{
	struct summary_index *x = s->index;
	struct item_key k = { machine, text, NULL, 0 };
	struct summary_template *t, *arr;
	uint64_t h = key_hash2(machine, text);
	size_t i;
	int oom;

	if (created)
		*created = 0;
	i = hmap_find(&x->templates, h, template_eq, s, &k);
	if (i != HMAP_NONE)
		return &s->templates[i];
	arr = array_grow(s->templates, &x->cap_templates, s->ntemplates,
	    sizeof(*arr));
	if (!arr)
		return NULL;
	s->templates = arr;
	t = &arr[s->ntemplates];
	memset(t, 0, sizeof(*t));
	if (!(t->machine = pool_intern(x, machine, &oom)) ||
	    !(t->text = strdup(text)))
		return NULL;
	if (hmap_insert(&x->templates, h, s->ntemplates) < 0) {
		free(t->text);
		return NULL;
	}
	t->level = CAT_LEVEL_INFO;
	t->first_seen = t->last_seen = ML_TIME_NONE;
	sample_init(&t->sample);
	s->ntemplates++;
	if (created)
		*created = 1;
	return t;
}

struct summary_template *
summary_template_find(struct summary *s, const char *machine,
    const char *text)
{
	struct item_key k = { machine, text, NULL, 0 };
	size_t i;

	i = hmap_find(&s->index->templates, key_hash2(machine, text),
	    template_eq, s, &k);
	return i == HMAP_NONE ? NULL : &s->templates[i];
}

struct summary_input *
summary_input_add(struct summary *s, const char *machine, const char *path)
{
	struct summary_index *x = s->index;
	struct summary_input *in, *arr;
	int oom;

	arr = array_grow(s->inputs, &x->cap_inputs, s->ninputs, sizeof(*arr));
	if (!arr)
		return NULL;
	s->inputs = arr;
	in = &arr[s->ninputs];
	memset(in, 0, sizeof(*in));
	if (!(in->machine = pool_intern(x, machine, &oom)) ||
	    !(in->path = strdup(path)))
		return NULL;
	in->kind = INPUT_OTHER;
	in->encoding = TEXT_UNKNOWN;
	in->status = INPUT_OK;
	in->mtime = ML_TIME_NONE;
	in->first_time = in->last_time = in->clue_time = ML_TIME_NONE;
	s->ninputs++;
	return in;
}

struct summary_bucket *
summary_bucket_get(struct summary *s, const char *machine, int64_t hour,
    int *created)
{
	struct summary_index *x = s->index;
	struct item_key k = { machine, NULL, NULL, hour };
	struct summary_bucket *b, *arr;
	uint64_t h = bucket_hash(machine, hour);
	size_t i;
	int oom;

	if (created)
		*created = 0;
	i = hmap_find(&x->timeline, h, bucket_eq, s, &k);
	if (i != HMAP_NONE)
		return &s->timeline[i];
	arr = array_grow(s->timeline, &x->cap_timeline, s->ntimeline,
	    sizeof(*arr));
	if (!arr)
		return NULL;
	s->timeline = arr;
	b = &arr[s->ntimeline];
	memset(b, 0, sizeof(*b));
	if (!(b->machine = pool_intern(x, machine, &oom)))
		return NULL;
	if (hmap_insert(&x->timeline, h, s->ntimeline) < 0)
		return NULL;
	b->hour = hour;
	s->ntimeline++;
	if (created)
		*created = 1;
	return b;
}

int
summary_timeline_add(struct summary *s, const char *machine, int64_t time,
    enum cat_level level, uint64_t n)
{
	struct summary_bucket *b;
	int64_t rem;

	if (time == ML_TIME_NONE ||
	    (level != CAT_LEVEL_ERROR && level != CAT_LEVEL_WARNING))
		return 0;
	rem = time % HOUR_MS;
	if (rem < 0)
		rem += HOUR_MS;
	if (!(b = summary_bucket_get(s, machine, time - rem, NULL)))
		return -1;
	if (level == CAT_LEVEL_ERROR)
		b->errors = summary_count_add(b->errors, n);
	else
		b->warnings = summary_count_add(b->warnings, n);
	return 0;
}

/* ---------------------------------------------------------- samples */

/* Order of samples: a missing one (path NULL) after every real one, then
 * time (unknown last), path, line, message. */
static int
sample_cmp(const char *path_a, uint64_t line_a, const char *msg_a,
    int64_t time_a, const struct summary_sample *b)
{
	int c;

	if (!path_a || !b->path)
		return (path_a == NULL) - (b->path == NULL);
	if ((c = cmp_time_none_last(time_a, b->time)) != 0)
		return c;
	if ((c = strcmp(path_a, b->path)) != 0)
		return c;
	if ((c = cmp_u64(line_a, b->line)) != 0)
		return c;
	return strcmp_null(msg_a, b->message);
}

int
summary_sample_offer(struct summary *s, struct summary_sample *dst,
    const char *path, uint64_t line, const char *message, int64_t time)
{
	char *p, *m = NULL;
	size_t n;
	int oom;

	if (sample_cmp(path, line, message, time, dst) >= 0)
		return 0;
	if (!(p = pool_intern(s->index, path, &oom)) && oom)
		return -1;
	if (message) {
		/* at most SUMMARY_SAMPLE_MAX bytes, whole characters */
		n = strlen(message);
		if (n > SUMMARY_SAMPLE_MAX) {
			n = SUMMARY_SAMPLE_MAX;
			while (n > 0 && ((unsigned char)message[n] & 0xC0) ==
			    0x80)
				n--;
		}
		if (!(m = strndup(message, n)))
			return -1;
	}
	sample_release(dst);
	dst->path = p;
	dst->message = m;
	dst->line = line;
	dst->time = time;
	return 0;
}

static int
sample_merge(struct summary *s, struct summary_sample *dst,
    const struct summary_sample *src)
{
	if (!src->path)
		return 0;
	return summary_sample_offer(s, dst, src->path, src->line, src->message,
	    src->time);
}

/* ------------------------------------------------------------ merge */

/*
 * The merge rules of summary_fields.def that concern one field: counts
 * add (saturating), times widen, descriptive strings keep the smaller,
 * levels the higher, samples the earliest.  Keys, M_COPY, M_CUSTOM and
 * M_DERIVED fields are the caller's.  -1 on OOM.
 */
static int
fields_merge(struct summary *dst, enum summary_row row, void *d,
    const void *s)
{
	const struct summary_field *f;
	int v, sv;

	for (f = summary_fields(row); f->name; f++) {
		switch (f->merge) {
		case SM_SUM:
			*SUMMARY_FIELD_AT(d, f, uint64_t) = summary_count_add(
			    *SUMMARY_FIELD_AT(d, f, uint64_t),
			    *SUMMARY_FIELD_CAT(s, f, uint64_t));
			break;
		case SM_MIN:
			*SUMMARY_FIELD_AT(d, f, int64_t) = time_min(
			    *SUMMARY_FIELD_AT(d, f, int64_t),
			    *SUMMARY_FIELD_CAT(s, f, int64_t));
			break;
		case SM_MAX:
			*SUMMARY_FIELD_AT(d, f, int64_t) = time_max(
			    *SUMMARY_FIELD_AT(d, f, int64_t),
			    *SUMMARY_FIELD_CAT(s, f, int64_t));
			break;
		case SM_STRMIN:
			if (merge_str_min(SUMMARY_FIELD_AT(d, f, char *),
			    *SUMMARY_FIELD_CAT(s, f, char *)) < 0)
				return -1;
			break;
		case SM_LEVELMAX:
			memcpy(&v, SUMMARY_FIELD_AT(d, f, char), sizeof(v));
			memcpy(&sv, SUMMARY_FIELD_CAT(s, f, char), sizeof(sv));
			if (sv > v)
				memcpy(SUMMARY_FIELD_AT(d, f, char), &sv,
				    sizeof(sv));
			break;
		case SM_SAMPLE:
			if (sample_merge(dst, SUMMARY_FIELD_AT(d, f,
			    struct summary_sample), SUMMARY_FIELD_CAT(s, f,
			    struct summary_sample)) < 0)
				return -1;
			break;
		case SM_EVIDENCE:
			if (evidence_set_merge(SUMMARY_FIELD_AT(d, f,
			    struct evidence_set), SUMMARY_FIELD_CAT(s, f,
			    struct evidence_set), (size_t)f->arg) < 0)
				return -1;
			break;
		case SM_NONE:
		case SM_KEY:
		case SM_COPY:
		case SM_CUSTOM:
		case SM_DERIVED:
			break;
		}
	}
	return 0;
}

static int
merge_machines(struct summary *dst, const struct summary *src)
{
	size_t i;

	for (i = 0; i < src->nmachines; i++) {
		const struct summary_machine *sm = &src->machines[i];
		struct summary_machine *dm;
		int c;

		if (!(dm = summary_machine_get(dst, sm->name, NULL)))
			return -1;
		if (fields_merge(dst, SROW_MACHINE, dm, sm) < 0)
			return -1;
		/* the agent version seen last; equal times: larger string */
		c = cmp_i64(sm->agent_version_time, dm->agent_version_time);
		if (c == 0)
			c = strcmp_null(sm->agent_version, dm->agent_version);
		if (c > 0) {
			if (summary_set_str(&dm->agent_version,
			    sm->agent_version) < 0)
				return -1;
			dm->agent_version_time = sm->agent_version_time;
		}
	}
	return 0;
}

static int
merge_findings(struct summary *dst, const struct summary *src)
{
	size_t i;

	for (i = 0; i < src->nfindings; i++) {
		const struct summary_finding *sf = &src->findings[i];
		struct summary_finding *df;
		int created;

		df = summary_finding_get(dst, sf->machine, sf->id, &created);
		if (!df)
			return -1;
		if (created)
			df->level = sf->level;
		if (fields_merge(dst, SROW_FINDING, df, sf) < 0)
			return -1;
	}
	return 0;
}

/* Which side's outcome wins: the later outcome_time, then the worse
 * outcome (the enum is ordered by badness), then a larger hresult. */
static int
job_outcome_cmp(const struct summary_job *a, const struct summary_job *b)
{
	int c;

	if ((c = cmp_i64(a->outcome_time, b->outcome_time)) != 0)
		return c;
	if ((c = cmp_i64(a->outcome, b->outcome)) != 0)
		return c;
	return strcmp_null(a->hresult, b->hresult);
}

/* Keep the later of two task findings (ties: the larger id), interned
 * in dst: the rule of analyzer/jobs.c, so any grouping gives the same. */
static int
merge_task_finding(struct summary *dst, char **id, int64_t *time,
    const char *sid, int64_t stime)
{
	int c, oom = 0;

	if (sid == NULL)
		return 0;
	c = *id == NULL ? 1 : cmp_i64(stime, *time);
	if (c == 0)
		c = strcmp(sid, *id);
	if (c <= 0)
		return 0;
	*id = summary_intern(dst, sid, &oom);
	*time = stime;
	return oom ? -1 : 0;
}

static int
merge_jobs(struct summary *dst, const struct summary *src, int ordered)
{
	size_t i;

	for (i = 0; i < src->njobs; i++) {
		const struct summary_job *sj = &src->jobs[i];
		struct summary_job *dj;
		int created;

		dj = summary_job_get(dst, sj->machine, sj->task_id, &created);
		if (!dj)
			return -1;
		/* a known kind beats JOB_OTHER (the largest value); in file
		 * order the first milestone's kind stands, as in one read */
		if (created || (sj->kind < dj->kind &&
		    !(ordered && dj->kind != JOB_OTHER)))
			dj->kind = sj->kind;
		if (fields_merge(dst, SROW_JOB, dj, sj) < 0)
			return -1;
		if (job_outcome_cmp(sj, dj) > 0) {
			if (summary_set_str(&dj->hresult, sj->hresult) < 0)
				return -1;
			dj->outcome = sj->outcome;
			dj->outcome_time = sj->outcome_time;
		}
		if (merge_task_finding(dst, &dj->task_error,
		    &dj->task_error_time, sj->task_error,
		    sj->task_error_time) < 0 ||
		    merge_task_finding(dst, &dj->task_warning,
		    &dj->task_warning_time, sj->task_warning,
		    sj->task_warning_time) < 0)
			return -1;
	}
	return 0;
}

static int
merge_failed_files(struct summary *dst, const struct summary *src)
{
	size_t i;

	for (i = 0; i < src->nfailed_files; i++) {
		const struct summary_failed_file *sf = &src->failed_files[i];
		struct summary_failed_file *df;

		df = summary_failed_file_get(dst, sf->machine, sf->path,
		    sf->code, NULL);
		if (!df || fields_merge(dst, SROW_FAILED_FILE, df, sf) < 0)
			return -1;
	}
	return 0;
}

static int
merge_templates(struct summary *dst, const struct summary *src, size_t cap)
{
	size_t i;

	for (i = 0; i < src->ntemplates; i++) {
		const struct summary_template *st = &src->templates[i];
		struct summary_template *dt;
		int created;

		if (dst->ntemplates >= cap &&
		    !summary_template_find(dst, st->machine, st->text)) {
			dst->templates_dropped = summary_count_add(dst->templates_dropped,
			    st->count);
			continue;
		}
		dt = summary_template_get(dst, st->machine, st->text, &created);
		if (!dt)
			return -1;
		if (created)
			dt->level = st->level;
		if (fields_merge(dst, SROW_TEMPLATE, dt, st) < 0)
			return -1;
	}
	return 0;
}

static int
merge_inputs(struct summary *dst, const struct summary *src)
{
	size_t i;

	for (i = 0; i < src->ninputs; i++) {
		const struct summary_input *si = &src->inputs[i];
		struct summary_input *di;
		char *machine, *path;

		if (!(di = summary_input_add(dst, si->machine, si->path)))
			return -1;
		machine = di->machine;
		path = di->path;
		*di = *si;
		di->machine = machine;
		di->path = path;
		di->warning = di->form = NULL;
		if (summary_set_str(&di->warning, si->warning) < 0 ||
		    summary_set_str(&di->form, si->form) < 0)
			return -1;
	}
	return 0;
}

static int
merge_timeline(struct summary *dst, const struct summary *src)
{
	size_t i;

	for (i = 0; i < src->ntimeline; i++) {
		const struct summary_bucket *sb = &src->timeline[i];
		struct summary_bucket *db;

		db = summary_bucket_get(dst, sb->machine, sb->hour, NULL);
		if (!db || fields_merge(dst, SROW_BUCKET, db, sb) < 0)
			return -1;
	}
	return 0;
}

/* The later generator string wins, so the merge stays commutative; the
 * merging tool may overwrite it with its own name afterwards. */
static int
merge_generator(struct summary *dst, const struct summary *src)
{
	if (strcmp_null(src->generator, dst->generator) <= 0)
		return 0;
	return summary_set_str(&dst->generator, src->generator);
}

/* Redacted summaries merge only with the same key (the caller checks);
 * a merge into an empty summary takes the part's key id. */
static int
merge_redaction(struct summary *dst, const struct summary *src)
{
	if (dst->redaction != NULL || src->redaction == NULL)
		return 0;
	return summary_set_str(&dst->redaction, src->redaction);
}

/* Both merges: `ordered` when src follows dst in one input's file order. */
static int
merge_all(struct summary *dst, const struct summary *src, size_t max_templates,
    int ordered)
{
	if (merge_generator(dst, src) < 0 || merge_redaction(dst, src) < 0 ||
	    merge_machines(dst, src) < 0 || merge_inputs(dst, src) < 0 ||
	    merge_findings(dst, src) < 0 ||
	    merge_jobs(dst, src, ordered) < 0 ||
	    merge_failed_files(dst, src) < 0 ||
	    merge_templates(dst, src, max_templates) < 0 ||
	    merge_timeline(dst, src) < 0)
		return -1;
	/* finish recomputes these; adding keeps an unfinished merge sane */
	(void)fields_merge(dst, SROW_TOTALS, &dst->totals, &src->totals);
	dst->templates_dropped = summary_count_add(dst->templates_dropped,
	    src->templates_dropped);
	return 0;
}

int
summary_merge_capped(struct summary *dst, const struct summary *src,
    size_t max_templates)
{
	return merge_all(dst, src, max_templates, 1);
}

int
summary_merge(struct summary *dst, const struct summary *src)
{
	return merge_all(dst, src, SIZE_MAX, 0);
}

/* ----------------------------------------------------------- finish */

static int
machine_cmp(const void *pa, const void *pb)
{
	const struct summary_machine *a = pa, *b = pb;

	return strcmp(a->name, b->name);
}

/* Inputs are not keyed, so two rows may share path and machine (the same
 * bundle merged twice): every field takes part in the order. */
static int
input_cmp(const void *pa, const void *pb)
{
	const struct summary_input *a = pa, *b = pb;
	int c;

	if ((c = strcmp(a->path, b->path)) != 0 ||
	    (c = strcmp(a->machine, b->machine)) != 0 ||
	    (c = cmp_i64(a->kind, b->kind)) != 0 ||
	    (c = cmp_i64(a->encoding, b->encoding)) != 0 ||
	    (c = strcmp_null(a->form, b->form)) != 0 ||
	    (c = cmp_u64(a->bytes, b->bytes)) != 0 ||
	    (c = cmp_u64(a->records, b->records)) != 0 ||
	    (c = cmp_u64(a->unparsed_lines, b->unparsed_lines)) != 0 ||
	    (c = cmp_u64(a->lines_cut, b->lines_cut)) != 0 ||
	    (c = cmp_u64(a->replacements, b->replacements)) != 0 ||
	    (c = cmp_i64(a->status, b->status)) != 0 ||
	    (c = strcmp_null(a->warning, b->warning)) != 0)
		return c;
	return cmp_i64(a->mtime, b->mtime);
}

static int
finding_cmp(const void *pa, const void *pb)
{
	const struct summary_finding *a = pa, *b = pb;
	int c;

	if ((c = cmp_i64(b->level, a->level)) != 0 ||
	    (c = cmp_u64(b->count, a->count)) != 0 ||
	    (c = strcmp(a->id, b->id)) != 0)
		return c;
	return strcmp(a->machine, b->machine);
}

static int
job_cmp(const void *pa, const void *pb)
{
	const struct summary_job *a = pa, *b = pb;
	int c;

	if ((c = cmp_time_none_last(a->start, b->start)) != 0 ||
	    (c = strcmp(a->machine, b->machine)) != 0)
		return c;
	return strcmp(a->task_id, b->task_id);
}

static int
failed_file_cmp(const void *pa, const void *pb)
{
	const struct summary_failed_file *a = pa, *b = pb;
	int c;

	if ((c = cmp_u64(b->count, a->count)) != 0 ||
	    (c = strcmp(a->path, b->path)) != 0 ||
	    (c = strcmp(a->machine, b->machine)) != 0)
		return c;
	return strcmp_null(a->code, b->code);
}

static int
template_cmp(const void *pa, const void *pb)
{
	const struct summary_template *a = pa, *b = pb;
	int c;

	if ((c = cmp_u64(b->count, a->count)) != 0 ||
	    (c = strcmp(a->text, b->text)) != 0)
		return c;
	return strcmp(a->machine, b->machine);
}

static int
bucket_cmp(const void *pa, const void *pb)
{
	const struct summary_bucket *a = pa, *b = pb;
	int c;

	if ((c = strcmp(a->machine, b->machine)) != 0)
		return c;
	return cmp_i64(a->hour, b->hour);
}

/* qsort() with an empty array allowed (an empty array's pointer may be
 * NULL, which qsort must not get). */
static void
sort(void *base, size_t n, size_t size, int (*cmp)(const void *,
    const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

/* Re-index after sorting.  The tables already hold this many items, so
 * hmap_insert() never has to grow them and cannot fail here. */
static void
index_rebuild(struct summary *s)
{
	struct summary_index *x = s->index;
	size_t i;

	hmap_clear(&x->machines);
	for (i = 0; i < s->nmachines; i++)
		(void)hmap_insert(&x->machines,
		    hash_str(HMAP_HASH_INIT, s->machines[i].name), i);
	hmap_clear(&x->findings);
	for (i = 0; i < s->nfindings; i++)
		(void)hmap_insert(&x->findings, key_hash2(s->findings[i].machine,
		    s->findings[i].id), i);
	hmap_clear(&x->jobs);
	for (i = 0; i < s->njobs; i++)
		(void)hmap_insert(&x->jobs, key_hash2(s->jobs[i].machine,
		    s->jobs[i].task_id), i);
	hmap_clear(&x->failed_files);
	for (i = 0; i < s->nfailed_files; i++) {
		const struct summary_failed_file *ff = &s->failed_files[i];

		(void)hmap_insert(&x->failed_files,
		    failed_file_hash(ff->machine, ff->path, ff->code), i);
	}
	hmap_clear(&x->templates);
	for (i = 0; i < s->ntemplates; i++)
		(void)hmap_insert(&x->templates, key_hash2(
		    s->templates[i].machine, s->templates[i].text), i);
	hmap_clear(&x->timeline);
	for (i = 0; i < s->ntimeline; i++)
		(void)hmap_insert(&x->timeline, bucket_hash(
		    s->timeline[i].machine, s->timeline[i].hour), i);
}

/*
 * The machine row of `name`, or NULL if the analyzer never made one.
 * Items of one machine share the pooled name, so a one-entry cache on the
 * pointer saves the hash lookup for runs of items of the same machine.
 */
static struct summary_machine *
machine_lookup(struct summary *s, const char *name,
    struct summary_machine **cache)
{
	size_t i;

	if (*cache && (*cache)->name == name)
		return *cache;
	i = hmap_find(&s->index->machines, hash_str(HMAP_HASH_INIT, name),
	    machine_eq, s, name);
	*cache = i == HMAP_NONE ? NULL : &s->machines[i];
	return *cache;
}

/* The time that makes a job a machine's last one: its end, or its start
 * while the end is unknown. */
static int64_t
job_last_time(const struct summary_job *j)
{
	return j->end != ML_TIME_NONE ? j->end : j->start;
}

/* Is job `j` later than the job already picked for its machine? */
static int
job_is_later(struct summary *s, const struct summary_job *j,
    const struct summary_machine *m)
{
	struct item_key k = { m->name, m->last_job_task, NULL, 0 };
	const struct summary_job *best;
	size_t i;
	int c;

	if (!m->last_job_task)
		return 1;
	i = hmap_find(&s->index->jobs, key_hash2(m->name, m->last_job_task),
	    job_eq, s, &k);
	best = &s->jobs[i];
	if ((c = cmp_i64(job_last_time(j), job_last_time(best))) != 0)
		return c > 0;
	return strcmp(j->task_id, best->task_id) > 0;
}

static void
rollup_jobs(struct summary *s)
{
	struct summary_machine *m = NULL;
	size_t i;

	for (i = 0; i < s->njobs; i++) {
		const struct summary_job *j = &s->jobs[i];

		if (!machine_lookup(s, j->machine, &m))
			continue;
		m->jobs++;
		if (j->outcome == JOB_FAILED)
			m->jobs_failed++;
		/* completed-with-warnings is a backup that ran: it counts as
		 * a success for staleness */
		if (j->outcome == JOB_SUCCEEDED || j->outcome == JOB_WARNINGS)
			m->last_success = time_max(m->last_success, j->end);
		if (job_is_later(s, j, m)) {
			m->last_job_task = j->task_id;
			m->last_job_outcome = j->outcome;
			m->last_job_end = j->end;
		}
	}
}

void
summary_finish(struct summary *s)
{
	struct summary_totals *t = &s->totals;
	struct summary_machine *m = NULL;
	size_t i;

	sort(s->machines, s->nmachines, sizeof(*s->machines), machine_cmp);
	sort(s->inputs, s->ninputs, sizeof(*s->inputs), input_cmp);
	sort(s->findings, s->nfindings, sizeof(*s->findings), finding_cmp);
	sort(s->jobs, s->njobs, sizeof(*s->jobs), job_cmp);
	sort(s->failed_files, s->nfailed_files, sizeof(*s->failed_files),
	    failed_file_cmp);
	sort(s->templates, s->ntemplates, sizeof(*s->templates),
	    template_cmp);
	sort(s->timeline, s->ntimeline, sizeof(*s->timeline), bucket_cmp);
	index_rebuild(s);

	memset(t, 0, sizeof(*t));
	for (i = 0; i < s->nmachines; i++) {
		m = &s->machines[i];
		m->jobs = m->jobs_failed = m->failed_files = 0;
		m->last_job_task = NULL;
		m->last_job_outcome = JOB_UNKNOWN;
		m->last_job_end = ML_TIME_NONE;
		m->last_success = ML_TIME_NONE;
		t->inputs = summary_count_add(t->inputs, m->inputs);
		t->inputs_skipped = summary_count_add(t->inputs_skipped,
		    m->inputs_skipped);
		t->records = summary_count_add(t->records, m->records);
		t->errors = summary_count_add(t->errors, m->errors);
		t->warnings = summary_count_add(t->warnings, m->warnings);
	}
	m = NULL;
	rollup_jobs(s);
	for (i = 0; i < s->nfailed_files; i++) {
		t->failed_files = summary_count_add(t->failed_files,
		    s->failed_files[i].count);
		if (machine_lookup(s, s->failed_files[i].machine, &m))
			m->failed_files = summary_count_add(m->failed_files,
			    s->failed_files[i].count);
	}
	for (i = 0; i < s->ninputs; i++) {
		t->bytes = summary_count_add(t->bytes, s->inputs[i].bytes);
		t->unparsed_lines = summary_count_add(t->unparsed_lines,
		    s->inputs[i].unparsed_lines);
	}
	t->findings = s->nfindings;
	t->jobs = s->njobs;
	for (i = 0; i < s->njobs; i++)
		if (s->jobs[i].outcome == JOB_FAILED)
			t->jobs_failed++;
}

const struct summary_finding *
summary_finding_by_code(const struct summary *s, const char *code)
{
	size_t i;

	if (code == NULL)
		return NULL;
	for (i = 0; i < s->nfindings; i++)
		if (s->findings[i].code != NULL &&
		    strcmp(s->findings[i].code, code) == 0)
			return &s->findings[i];
	return NULL;
}
