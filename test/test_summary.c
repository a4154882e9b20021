/* SPDX-License-Identifier: MIT */
/*
 * test_summary.c -- the summary model: find-or-add on composite keys,
 * samples, the timeline, merge rules, finish (totals, rollups, sort
 * orders), and merge associativity/commutativity on random summaries
 * compared as JSON bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "parsers/hmap.h"
#include "parsers/record.h"
#include "reports/json.h"
#include "reports/summary.h"
#include "test/test_util.h"

#define T0 INT64_C(1717723405640)	/* 2024-06-07T01:23:25.640Z */
#define HOUR INT64_C(3600000)

static void
test_names(void **state)
{
	int i;

	(void)state;
	assert_string_equal(input_kind_name(INPUT_FAILED_FILES),
	    "failed-files");
	assert_string_equal(input_status_name(INPUT_PARTIAL), "partial");
	assert_string_equal(job_kind_name(JOB_RESTORE), "restore");
	assert_string_equal(job_outcome_name(JOB_WARNINGS),
	    "completed-with-warnings");
	for (i = INPUT_ERRLOG; i <= INPUT_OTHER; i++)
		assert_int_equal(input_kind_from_name(
		    input_kind_name((enum input_kind)i)), i);
	for (i = INPUT_OK; i <= INPUT_SKIPPED; i++)
		assert_int_equal(input_status_from_name(
		    input_status_name((enum input_status)i)), i);
	for (i = JOB_BACKUP; i <= JOB_OTHER; i++)
		assert_int_equal(job_kind_from_name(
		    job_kind_name((enum job_kind)i)), i);
	for (i = JOB_UNKNOWN; i <= JOB_FAILED; i++)
		assert_int_equal(job_outcome_from_name(
		    job_outcome_name((enum job_outcome)i)), i);
	for (i = TEXT_UNKNOWN; i <= TEXT_BINARY; i++)
		assert_int_equal(text_encoding_from_name(
		    text_encoding_name((enum text_encoding)i)), i);
	for (i = CAT_LEVEL_INFO; i <= CAT_LEVEL_ERROR; i++)
		assert_int_equal(cat_level_from_name(
		    cat_level_name((enum cat_level)i)), i);
	assert_int_equal(text_encoding_from_name("utf-8"), TEXT_UTF8);
	assert_int_equal(cat_level_from_name("error"), CAT_LEVEL_ERROR);
	assert_int_equal(job_outcome_from_name("completed"), -1);
	assert_int_equal(input_kind_from_name(""), -1);
	assert_int_equal(job_kind_from_name(NULL), -1);
	assert_int_equal(cat_level_from_name("ERROR"), -1);
}

static int
ints_eq(const void *ctx, size_t idx, const void *key)
{
	return ((const int *)ctx)[idx] == *(const int *)key;
}

/* The hash index alone: growth keeps every entry findable. */
static void
test_hmap(void **state)
{
	static int items[5000];
	struct hmap h;
	int i, miss = -1;

	(void)state;
	hmap_init(&h);
	assert_int_equal(hmap_find(&h, 1, ints_eq, items, &miss), HMAP_NONE);
	for (i = 0; i < 5000; i++) {
		items[i] = i * 7;
		assert_int_equal(hmap_insert(&h, hmap_hash(HMAP_HASH_INIT,
		    &items[i], sizeof(int)), (size_t)i), 0);
	}
	for (i = 0; i < 5000; i++)
		assert_int_equal(hmap_find(&h, hmap_hash(HMAP_HASH_INIT,
		    &items[i], sizeof(int)), ints_eq, items, &items[i]),
		    (size_t)i);
	assert_int_equal(hmap_find(&h, hmap_hash(HMAP_HASH_INIT, &miss,
	    sizeof(int)), ints_eq, items, &miss), HMAP_NONE);
	assert_true(h.cap >= 5000 * 4 / 3);
	hmap_clear(&h);
	assert_int_equal(hmap_find(&h, hmap_hash(HMAP_HASH_INIT, &items[3],
	    sizeof(int)), ints_eq, items, &items[3]), HMAP_NONE);
	hmap_release(&h);
}

static void
test_get(void **state)
{
	struct summary *s = summary_new();
	struct summary_finding *f;
	struct summary_failed_file *ff;
	struct summary_job *j;
	struct summary_machine *m;
	int created, i;
	char id[32];

	(void)state;
	assert_non_null(s);
	m = summary_machine_get(s, "FS01", &created);
	assert_non_null(m);
	assert_int_equal(created, 1);
	assert_string_equal(m->name, "FS01");
	assert_true(m->first_seen == ML_TIME_NONE);
	assert_null(m->agent_version);
	assert_ptr_equal(summary_machine_get(s, "FS01", &created), m);
	assert_int_equal(created, 0);

	/* composite keys must not run into each other */
	f = summary_finding_get(s, "ab", "c", &created);
	assert_int_equal(created, 1);
	f->count = 1;
	f = summary_finding_get(s, "a", "bc", &created);
	assert_int_equal(created, 1);
	assert_int_equal(f->count, 0);
	assert_true(f->first_seen == ML_TIME_NONE);
	assert_null(f->sample.path);
	assert_int_equal(summary_finding_get(s, "ab", "c", &created)->count,
	    1);
	assert_int_equal(created, 0);
	assert_int_equal(s->nfindings, 2);

	/* a NULL code and an empty code are different failed files */
	ff = summary_failed_file_get(s, "FS01", "D:\\a", NULL, &created);
	assert_int_equal(created, 1);
	assert_null(ff->code);
	ff->count = 3;
	ff = summary_failed_file_get(s, "FS01", "D:\\a", "", &created);
	assert_int_equal(created, 1);
	assert_string_equal(ff->code, "");
	ff = summary_failed_file_get(s, "FS01", "D:\\a", "0x80070005",
	    &created);
	assert_int_equal(created, 1);
	ff = summary_failed_file_get(s, "FS01", "D:\\a", NULL, &created);
	assert_int_equal(created, 0);
	assert_int_equal(ff->count, 3);
	/* machine names are shared between items */
	assert_ptr_equal(ff->machine, m->name);

	j = summary_job_get(s, "FS01", "task-1", &created);
	assert_int_equal(created, 1);
	assert_int_equal(j->kind, JOB_OTHER);
	assert_int_equal(j->outcome, JOB_UNKNOWN);
	assert_true(j->start == ML_TIME_NONE && j->end == ML_TIME_NONE &&
	    j->outcome_time == ML_TIME_NONE);

	/* many items: the arrays grow and every key is still found */
	for (i = 0; i < 3000; i++) {
		snprintf(id, sizeof(id), "task-%d", i);
		j = summary_job_get(s, i % 2 ? "FS01" : "FS02", id, NULL);
		assert_non_null(j);
		j->failed_files = (uint64_t)i;
	}
	for (i = 0; i < 3000; i++) {
		snprintf(id, sizeof(id), "task-%d", i);
		j = summary_job_get(s, i % 2 ? "FS01" : "FS02", id, &created);
		assert_int_equal(created, 0);
		assert_int_equal(j->failed_files, i);
	}
	/* the index survives summary_finish() */
	summary_finish(s);
	for (i = 0; i < 3000; i += 7) {
		snprintf(id, sizeof(id), "task-%d", i);
		j = summary_job_get(s, i % 2 ? "FS01" : "FS02", id, &created);
		assert_int_equal(created, 0);
		assert_int_equal(j->failed_files, i);
	}
	ff = summary_failed_file_get(s, "FS01", "D:\\a", NULL, &created);
	assert_int_equal(created, 0);
	assert_int_equal(ff->count, 3);
	summary_free(s);
	summary_free(NULL);
}

static void
test_sample(void **state)
{
	struct summary_sample sm = { NULL, 0, NULL, ML_TIME_NONE };
	struct summary *owner = summary_new();	/* interns the paths */

	(void)state;
	assert_non_null(owner);
	/* no path: not a sample */
	assert_int_equal(summary_sample_offer(owner, &sm, NULL, 1, "x", T0), 0);
	assert_null(sm.path);
	/* anything beats no sample, even an unknown time */
	assert_int_equal(summary_sample_offer(owner, &sm, "b.log", 9, "m1",
	    ML_TIME_NONE), 0);
	assert_string_equal(sm.path, "b.log");
	/* a real time beats an unknown one */
	assert_int_equal(summary_sample_offer(owner, &sm, "z.log", 50, "m2", T0), 0);
	assert_string_equal(sm.message, "m2");
	/* later time loses */
	assert_int_equal(summary_sample_offer(owner, &sm, "a.log", 1, "m3", T0 + 1),
	    0);
	assert_string_equal(sm.message, "m2");
	/* same time: smaller path, then smaller line, then message */
	assert_int_equal(summary_sample_offer(owner, &sm, "y.log", 70, "m4", T0), 0);
	assert_string_equal(sm.message, "m4");
	assert_int_equal(summary_sample_offer(owner, &sm, "y.log", 69, "m5", T0), 0);
	assert_string_equal(sm.message, "m5");
	assert_int_equal(summary_sample_offer(owner, &sm, "y.log", 69, "m0", T0), 0);
	assert_string_equal(sm.message, "m0");
	assert_int_equal(summary_sample_offer(owner, &sm, "y.log", 69, NULL, T0), 0);
	assert_null(sm.message);
	assert_int_equal(summary_sample_offer(owner, &sm, "y.log", 69, "m9", T0), 0);
	assert_null(sm.message);
	assert_int_equal(sm.line, 69);
	assert_true(sm.time == T0);
	free(sm.message);
	summary_free(owner);	/* and the paths with it */
}

static void
test_timeline(void **state)
{
	struct summary *s = summary_new();

	(void)state;
	assert_int_equal(summary_timeline_add(s, "FS01", T0,
	    CAT_LEVEL_ERROR, 2), 0);
	assert_int_equal(summary_timeline_add(s, "FS01", T0 - T0 % HOUR,
	    CAT_LEVEL_WARNING, 1), 0);
	assert_int_equal(summary_timeline_add(s, "FS01", T0 + HOUR,
	    CAT_LEVEL_ERROR, 1), 0);
	/* nothing for info or an unknown time */
	assert_int_equal(summary_timeline_add(s, "FS01", T0,
	    CAT_LEVEL_INFO, 5), 0);
	assert_int_equal(summary_timeline_add(s, "FS01", ML_TIME_NONE,
	    CAT_LEVEL_ERROR, 5), 0);
	/* before 1970 the hour still starts at or before the time */
	assert_int_equal(summary_timeline_add(s, "FS01", -1,
	    CAT_LEVEL_ERROR, 1), 0);
	assert_int_equal(s->ntimeline, 3);
	summary_finish(s);
	assert_true(s->timeline[0].hour == -HOUR);
	assert_true(s->timeline[1].hour == T0 - T0 % HOUR);
	assert_int_equal(s->timeline[1].errors, 2);
	assert_int_equal(s->timeline[1].warnings, 1);
	assert_true(s->timeline[2].hour == T0 - T0 % HOUR + HOUR);
	summary_free(s);
}

static void
test_merge_rules(void **state)
{
	struct summary *a = summary_new(), *b = summary_new();
	struct summary_machine *m;
	struct summary_job *j;
	struct summary_finding *f;
	struct summary_template *t;

	(void)state;
	m = summary_machine_get(a, "FS01", NULL);
	m->inputs = 2;
	m->errors = 5;
	m->first_seen = T0;
	m->last_seen = T0 + 10;
	assert_int_equal(summary_set_str(&m->agent_version, "2.0.9"), 0);
	m->agent_version_time = T0 + 10;
	m = summary_machine_get(b, "FS01", NULL);
	m->inputs = 1;
	m->errors = 1;
	m->first_seen = T0 - 5;	/* last_seen unknown */
	assert_int_equal(summary_set_str(&m->agent_version, "2.0.8"), 0);
	m->agent_version_time = T0 + 5;

	/* outcome of the later line wins */
	j = summary_job_get(a, "FS01", "T1", NULL);
	j->kind = JOB_BACKUP;
	j->start = T0;
	j->end = T0 + 100;
	j->outcome = JOB_FAILED;
	j->outcome_time = T0 + 100;
	assert_int_equal(summary_set_str(&j->hresult, "0x80780054"), 0);
	j->failed_files = 2;
	j = summary_job_get(b, "FS01", "T1", NULL);
	j->start = T0 - 50;
	j->end = T0 + 200;
	j->outcome = JOB_SUCCEEDED;
	j->outcome_time = T0 + 200;
	j->failed_files = 1;
	/* equal times: the worse outcome wins */
	j = summary_job_get(a, "FS01", "T2", NULL);
	j->outcome = JOB_WARNINGS;
	j->outcome_time = T0;
	j = summary_job_get(b, "FS01", "T2", NULL);
	j->outcome = JOB_FAILED;
	j->outcome_time = T0;
	assert_int_equal(summary_set_str(&j->hresult, "0x80070005"), 0);

	f = summary_finding_get(a, "FS01", "mars-1", NULL);
	f->level = CAT_LEVEL_WARNING;
	f->count = 3;
	f->first_seen = T0;
	f->last_seen = T0 + 1;
	assert_int_equal(summary_set_str(&f->title, "Title"), 0);
	assert_int_equal(summary_sample_offer(a, &f->sample, "x.log", 3, "a",
	    T0), 0);
	f = summary_finding_get(b, "FS01", "mars-1", NULL);
	f->level = CAT_LEVEL_ERROR;
	f->count = 4;
	f->last_seen = T0 + 9;
	assert_int_equal(summary_set_str(&f->code, "34513"), 0);
	assert_int_equal(summary_sample_offer(b, &f->sample, "w.log", 1, "b",
	    T0 - 1), 0);
	t = summary_template_get(b, "FS02", "text <*>", NULL);
	t->level = CAT_LEVEL_WARNING;
	t->count = 7;
	a->templates_dropped = 1;
	b->templates_dropped = 2;

	assert_int_equal(summary_merge(a, b), 0);
	summary_finish(a);
	m = summary_machine_get(a, "FS01", NULL);
	assert_int_equal(m->inputs, 3);
	assert_int_equal(m->errors, 6);
	assert_true(m->first_seen == T0 - 5);
	assert_true(m->last_seen == T0 + 10);
	assert_string_equal(m->agent_version, "2.0.9");
	j = summary_job_get(a, "FS01", "T1", NULL);
	assert_int_equal(j->kind, JOB_BACKUP);
	assert_true(j->start == T0 - 50 && j->end == T0 + 200);
	assert_int_equal(j->outcome, JOB_SUCCEEDED);
	assert_null(j->hresult);
	assert_int_equal(j->failed_files, 3);
	j = summary_job_get(a, "FS01", "T2", NULL);
	assert_int_equal(j->outcome, JOB_FAILED);
	assert_string_equal(j->hresult, "0x80070005");
	f = summary_finding_get(a, "FS01", "mars-1", NULL);
	assert_int_equal(f->level, CAT_LEVEL_ERROR);
	assert_int_equal(f->count, 7);
	assert_true(f->first_seen == T0 && f->last_seen == T0 + 9);
	assert_string_equal(f->code, "34513");
	assert_string_equal(f->title, "Title");
	assert_string_equal(f->sample.path, "w.log");
	assert_int_equal(a->ntemplates, 1);
	assert_int_equal(a->templates_dropped, 3);
	summary_free(a);
	summary_free(b);
}

static void
test_finish(void **state)
{
	struct summary *s = summary_new();
	struct summary_machine *m;
	struct summary_finding *f;
	struct summary_failed_file *ff;
	struct summary_job *j;
	struct summary_input *in;
	struct summary_template *t;

	(void)state;
	m = summary_machine_get(s, "ZZ", NULL);
	m->inputs = 1;
	m->records = 10;
	m = summary_machine_get(s, "AA", NULL);
	m->inputs = 2;
	m->inputs_skipped = 1;
	m->records = 5;
	m->errors = 3;
	m->warnings = 4;

	in = summary_input_add(s, "AA", "b.zip!x.errlog");
	in->bytes = 100;
	in->unparsed_lines = 1;
	in = summary_input_add(s, "AA", "a.zip!x.errlog");
	in->bytes = 50;
	in = summary_input_add(s, "ZZ", "a.zip!x.errlog");
	in->bytes = 7;
	in->unparsed_lines = 2;

	/* findings: level (error first), count desc, id, machine */
	f = summary_finding_get(s, "AA", "w-big", NULL);
	f->level = CAT_LEVEL_WARNING;
	f->count = 100;
	f = summary_finding_get(s, "ZZ", "e-b", NULL);
	f->level = CAT_LEVEL_ERROR;
	f->count = 5;
	f = summary_finding_get(s, "AA", "e-b", NULL);
	f->level = CAT_LEVEL_ERROR;
	f->count = 5;
	f = summary_finding_get(s, "AA", "e-a", NULL);
	f->level = CAT_LEVEL_ERROR;
	f->count = 5;
	f = summary_finding_get(s, "ZZ", "e-top", NULL);
	f->level = CAT_LEVEL_ERROR;
	f->count = 6;
	f = summary_finding_get(s, "AA", "info", NULL);
	f->count = 1000;

	/* jobs: start (unknown last), machine, task_id */
	j = summary_job_get(s, "AA", "j-none", NULL);
	j->outcome = JOB_FAILED;
	j = summary_job_get(s, "AA", "j-2", NULL);
	j->start = T0 + 2;
	j->end = T0 + 10;
	j->outcome = JOB_SUCCEEDED;
	j = summary_job_get(s, "AA", "j-1", NULL);
	j->start = T0 + 1;
	j->end = T0 + 20;
	j->outcome = JOB_FAILED;
	j = summary_job_get(s, "ZZ", "j-0", NULL);
	j->start = T0 + 1;
	j->end = T0 + 5;
	j->outcome = JOB_WARNINGS;

	/* failed files: count desc, path, machine, code */
	ff = summary_failed_file_get(s, "AA", "D:\\b", "0x1", NULL);
	ff->count = 2;
	ff = summary_failed_file_get(s, "AA", "D:\\b", NULL, NULL);
	ff->count = 2;
	ff = summary_failed_file_get(s, "AA", "D:\\a", "0x1", NULL);
	ff->count = 2;
	ff = summary_failed_file_get(s, "ZZ", "D:\\z", NULL, NULL);
	ff->count = 9;

	/* templates: count desc, text, machine */
	t = summary_template_get(s, "ZZ", "t", NULL);
	t->count = 1;
	t = summary_template_get(s, "AA", "t", NULL);
	t->count = 1;
	t = summary_template_get(s, "AA", "u", NULL);
	t->count = 2;

	/* an item of a machine without a machine row */
	ff = summary_failed_file_get(s, "GHOST", "E:\\g", NULL, NULL);
	ff->count = 1;

	summary_finish(s);

	assert_int_equal(s->nmachines, 2);
	assert_string_equal(s->machines[0].name, "AA");
	assert_string_equal(s->machines[1].name, "ZZ");
	assert_string_equal(s->inputs[0].path, "a.zip!x.errlog");
	assert_string_equal(s->inputs[0].machine, "AA");
	assert_string_equal(s->inputs[1].machine, "ZZ");
	assert_string_equal(s->inputs[2].path, "b.zip!x.errlog");

	assert_string_equal(s->findings[0].id, "e-top");
	assert_string_equal(s->findings[1].id, "e-a");
	assert_string_equal(s->findings[2].id, "e-b");
	assert_string_equal(s->findings[2].machine, "AA");
	assert_string_equal(s->findings[3].id, "e-b");
	assert_string_equal(s->findings[3].machine, "ZZ");
	assert_string_equal(s->findings[4].id, "w-big");
	assert_string_equal(s->findings[5].id, "info");

	assert_string_equal(s->jobs[0].task_id, "j-1");
	assert_string_equal(s->jobs[1].task_id, "j-0");
	assert_string_equal(s->jobs[2].task_id, "j-2");
	assert_string_equal(s->jobs[3].task_id, "j-none");

	assert_string_equal(s->failed_files[0].path, "D:\\z");
	assert_string_equal(s->failed_files[1].path, "D:\\a");
	assert_string_equal(s->failed_files[2].path, "D:\\b");
	assert_null(s->failed_files[2].code);
	assert_string_equal(s->failed_files[3].code, "0x1");
	assert_string_equal(s->failed_files[4].path, "E:\\g");

	assert_string_equal(s->templates[0].text, "u");
	assert_string_equal(s->templates[1].machine, "AA");
	assert_string_equal(s->templates[2].machine, "ZZ");

	/* totals */
	assert_int_equal(s->totals.inputs, 3);
	assert_int_equal(s->totals.inputs_skipped, 1);
	assert_int_equal(s->totals.bytes, 157);
	assert_int_equal(s->totals.records, 15);
	assert_int_equal(s->totals.unparsed_lines, 3);
	assert_int_equal(s->totals.findings, 6);
	assert_int_equal(s->totals.errors, 3);
	assert_int_equal(s->totals.warnings, 4);
	assert_int_equal(s->totals.jobs, 4);
	assert_int_equal(s->totals.jobs_failed, 2);
	assert_int_equal(s->totals.failed_files, 16);

	/* rollups */
	m = &s->machines[0];
	assert_int_equal(m->jobs, 3);
	assert_int_equal(m->jobs_failed, 2);
	assert_int_equal(m->failed_files, 6);
	assert_string_equal(m->last_job_task, "j-1");
	assert_int_equal(m->last_job_outcome, JOB_FAILED);
	assert_true(m->last_job_end == T0 + 20);
	assert_true(m->last_success == T0 + 10);
	m = &s->machines[1];
	assert_int_equal(m->jobs, 1);
	assert_int_equal(m->failed_files, 9);
	assert_string_equal(m->last_job_task, "j-0");
	assert_true(m->last_success == T0 + 5);
	summary_free(s);
}

/* ------------------------------------------------- random summaries */

static uint64_t rng_state;

static uint32_t
rnd(uint32_t n)
{
	rng_state = rng_state * UINT64_C(6364136223846793005) +
	    UINT64_C(1442695040888963407);
	return (uint32_t)(rng_state >> 33) % n;
}

static int64_t
rnd_time(void)
{
	return rnd(8) == 0 ? ML_TIME_NONE :
	    T0 + (int64_t)rnd(5 * 24) * HOUR + rnd(3600000);
}

static const char *
rnd_pick(const char *const *v, uint32_t n)
{
	return v[rnd(n)];
}

static const char *const machines[] = { "FS01", "FS02", "SQL-A", "\xe6\x9c\x8d" };
static const char *const codes[] = { "0x80070005", "0x80070020", "34513" };
static const char *const words[] = { "alpha", "beta", "gamma \"q\"",
	"tab\there", "\xf0\x9f\x98\x80" };

/* A summary of several hundred items drawn from small key spaces, so
 * that summaries made with different seeds overlap. */
static struct summary *
gen(uint64_t seed)
{
	struct summary *s = summary_new();
	char key[64];
	int i, n;

	assert_non_null(s);
	rng_state = seed;
	n = 150 + (int)rnd(100);
	assert_int_equal(summary_set_str(&s->generator, rnd(2) ?
	    "marslog 0.1.0" : "marslog 0.1.1"), 0);
	s->templates_dropped = rnd(3);
	for (i = 0; i < 3; i++) {
		struct summary_machine *m = summary_machine_get(s,
		    rnd_pick(machines, 4), NULL);

		m->inputs += rnd(5);
		m->inputs_skipped += rnd(2);
		m->records += rnd(1000);
		m->errors += rnd(50);
		m->warnings += rnd(50);
		m->first_seen = rnd_time();
		m->last_seen = rnd_time();
		m->agent_version_time = rnd_time();
		snprintf(key, sizeof(key), "2.0.%u", rnd(4));
		assert_int_equal(summary_set_str(&m->agent_version, rnd(4) ?
		    key : NULL), 0);
	}
	for (i = 0; i < n; i++) {
		const char *mach = rnd_pick(machines, 4);
		struct summary_input *in;
		struct summary_finding *f;
		struct summary_job *j;
		struct summary_failed_file *ff;
		struct summary_template *t;

		switch (rnd(6)) {
		case 0:
			snprintf(key, sizeof(key), "b%u.zip!Temp/x.errlog",
			    rnd(5));
			in = summary_input_add(s, mach, key);
			in->kind = (enum input_kind)rnd(3);
			in->encoding = (enum text_encoding)rnd(6);
			in->bytes = rnd(100000);
			in->records = rnd(1000);
			in->status = (enum input_status)rnd(3);
			in->mtime = rnd_time();
			if (rnd(3) == 0)
				assert_int_equal(summary_set_str(&in->warning,
				    rnd_pick(words, 5)), 0);
			break;
		case 1:
			snprintf(key, sizeof(key), "mars-%u", rnd(30));
			f = summary_finding_get(s, mach, key, NULL);
			f->level = (enum cat_level)(1 + rnd(3));
			f->count += 1 + rnd(9);
			f->first_seen = rnd_time();
			f->last_seen = rnd_time();
			if (rnd(2))
				assert_int_equal(summary_set_str(&f->code,
				    rnd_pick(codes, 3)), 0);
			assert_int_equal(summary_set_str(&f->title,
			    rnd_pick(words, 5)), 0);
			assert_int_equal(summary_sample_offer(s, &f->sample,
			    rnd_pick(words, 5), rnd(5), rnd(2) ?
			    rnd_pick(words, 5) : NULL, rnd_time()), 0);
			break;
		case 2:
			snprintf(key, sizeof(key), "task-%u", rnd(40));
			j = summary_job_get(s, mach, key, NULL);
			j->kind = (enum job_kind)rnd(3);
			j->start = rnd_time();
			j->end = rnd_time();
			j->outcome = (enum job_outcome)rnd(4);
			j->outcome_time = rnd(2) ? j->end : rnd_time();
			assert_int_equal(summary_set_str(&j->hresult, rnd(2) ?
			    rnd_pick(codes, 2) : NULL), 0);
			j->failed_files += rnd(3);
			break;
		case 3:
			snprintf(key, sizeof(key), "D:\\data\\f%u.docx",
			    rnd(60));
			ff = summary_failed_file_get(s, mach, key, rnd(3) ?
			    rnd_pick(codes, 3) : NULL, NULL);
			ff->count += 1 + rnd(3);
			break;
		case 4:
			snprintf(key, sizeof(key), "unknown <*> %u", rnd(20));
			t = summary_template_get(s, mach, key, NULL);
			if ((enum cat_level)(1 + rnd(3)) > t->level)
				t->level = CAT_LEVEL_ERROR;
			t->count += 1 + rnd(4);
			t->first_seen = rnd_time();
			assert_int_equal(summary_sample_offer(s, &t->sample,
			    "x.errlog", rnd(100), key, rnd_time()), 0);
			break;
		default:
			assert_int_equal(summary_timeline_add(s, mach,
			    rnd_time(), (enum cat_level)(1 + rnd(3)),
			    1 + rnd(5)), 0);
			break;
		}
	}
	return s;
}

/* Field-level comparison of what merge and finish compute; the JSON
 * comparison then covers every field. */
static void
assert_same(const struct summary *a, const struct summary *b)
{
	size_t i;

	assert_memory_equal(&a->totals, &b->totals, sizeof(a->totals));
	assert_int_equal(a->nmachines, b->nmachines);
	assert_int_equal(a->ninputs, b->ninputs);
	assert_int_equal(a->nfindings, b->nfindings);
	assert_int_equal(a->njobs, b->njobs);
	assert_int_equal(a->nfailed_files, b->nfailed_files);
	assert_int_equal(a->ntemplates, b->ntemplates);
	assert_int_equal(a->ntimeline, b->ntimeline);
	assert_int_equal(a->templates_dropped, b->templates_dropped);
	for (i = 0; i < a->njobs; i++) {
		assert_string_equal(a->jobs[i].task_id, b->jobs[i].task_id);
		assert_int_equal(a->jobs[i].outcome, b->jobs[i].outcome);
		assert_true(a->jobs[i].start == b->jobs[i].start);
		assert_true(a->jobs[i].end == b->jobs[i].end);
	}
	for (i = 0; i < a->nfindings; i++) {
		assert_string_equal(a->findings[i].id, b->findings[i].id);
		assert_int_equal(a->findings[i].count, b->findings[i].count);
	}
	for (i = 0; i < a->nfailed_files; i++)
		assert_int_equal(a->failed_files[i].count,
		    b->failed_files[i].count);
	for (i = 0; i < a->nmachines; i++) {
		assert_string_equal(a->machines[i].name, b->machines[i].name);
		assert_int_equal(a->machines[i].records,
		    b->machines[i].records);
	}
}

static void
assert_same_json(const struct summary *a, const struct summary *b)
{
	char *ja = test_json(a, NULL), *jb = test_json(b, NULL);

	assert_same(a, b);
	assert_string_equal(ja, jb);
	free(ja);
	free(jb);
}

static void
test_merge_assoc(void **state)
{
	uint64_t seed;

	(void)state;
	for (seed = 1; seed <= 20; seed++) {
		struct summary *a1 = gen(seed), *b1 = gen(seed + 100),
		    *c1 = gen(seed + 200);
		struct summary *a2 = gen(seed), *b2 = gen(seed + 100),
		    *c2 = gen(seed + 200);
		struct summary *e = summary_new();

		/* merge(a, merge(b, c)) */
		assert_int_equal(summary_merge(b1, c1), 0);
		assert_int_equal(summary_merge(a1, b1), 0);
		summary_finish(a1);
		/* merge(merge(c, a), b) */
		assert_int_equal(summary_merge(c2, a2), 0);
		assert_int_equal(summary_merge(c2, b2), 0);
		summary_finish(c2);
		assert_same_json(a1, c2);
		/* sanity: the overlap was real, and finish is idempotent */
		assert_true(a1->nfindings < 3 * 100);
		summary_finish(c2);
		assert_same_json(a1, c2);
		/* merging into an empty summary gives the same result */
		assert_int_equal(summary_merge(e, a1), 0);
		summary_finish(e);
		assert_same_json(a1, e);
		summary_free(a1);
		summary_free(b1);
		summary_free(c1);
		summary_free(a2);
		summary_free(b2);
		summary_free(c2);
		summary_free(e);
	}
}

/* A summary merged from parts in any order equals the one built in one
 * go from the same events: here, the same seed split in two. */
static void
test_merge_order(void **state)
{
	struct summary *parts[4], *x, *y;
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++)
		parts[i] = gen(1000 + i);
	x = summary_new();
	y = summary_new();
	for (i = 0; i < 4; i++)
		assert_int_equal(summary_merge(x, parts[i]), 0);
	for (i = 4; i-- > 0;)
		assert_int_equal(summary_merge(y, parts[i]), 0);
	summary_finish(x);
	summary_finish(y);
	assert_same_json(x, y);
	/* merge after finish keeps working */
	assert_int_equal(summary_merge(x, parts[0]), 0);
	assert_int_equal(summary_merge(y, parts[0]), 0);
	summary_finish(x);
	summary_finish(y);
	assert_same_json(x, y);
	for (i = 0; i < 4; i++)
		summary_free(parts[i]);
	summary_free(x);
	summary_free(y);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_hmap),
		cmocka_unit_test(test_get),
		cmocka_unit_test(test_sample),
		cmocka_unit_test(test_timeline),
		cmocka_unit_test(test_merge_rules),
		cmocka_unit_test(test_finish),
		cmocka_unit_test(test_merge_assoc),
		cmocka_unit_test(test_merge_order),
	};

	return cmocka_run_group_tests_name("summary", tests, NULL, NULL);
}
