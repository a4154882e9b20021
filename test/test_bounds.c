/* SPDX-License-Identifier: MIT */
/*
 * test_bounds.c -- hostile input, round two (issue 15), in process: keyed
 * hashing (output does not depend on the key), indexed matching and
 * interning (10x the input may cost at most 30x the time, measured against
 * a baseline in the same test, never a wall-clock limit), the sparse
 * matrix, counts that saturate, the HTML axis loop on a 2^64-1 bucket,
 * and the catalog loader on many codes per line.  Run from the top of the
 * tree.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "analyzer/jobs.h"
#include "analyzer/run.h"
#include "parsers/hmap.h"
#include "parsers/record.h"
#include "patterns/catalog.h"
#include "reports/fleet.h"
#include "reports/json.h"
#include "reports/report.h"
#include "reports/summary.h"
#include "test/test_util.h"

/* CPU seconds of this process so far. */
static double
cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* fn(n) returns the CPU time its step under test took on n items.  Run
 * fn(n) and fn(10 n); the larger may cost at most 30 times the
 * smaller (linear: about 10; quadratic: about 100).  A first untimed
 * fn(10 n) leaves the allocator warm for both (otherwise the large run
 * alone pays for page faults), and the small run is repeated and its
 * mean taken.  Hash tables of 10 n items fall out of the caches that n
 * items fit in, which alone costs up to about 2.5x on this hardware;
 * a quadratic step costs 10x more than that. */
static void
assert_linear(double (*fn)(size_t), size_t n, const char *what)
{
	double t1 = 0, t10;
	int i;

	(void)fn(10 * n);
	for (i = 0; i < 3; i++)
		t1 += fn(n) / 3;
	t10 = fn(10 * n);
	if (t1 < 1e-3)
		t1 = 1e-3;	/* clock granularity */
	print_message("%s: %zu in %.4f s, %zu in %.4f s: %.1fx\n", what, n, t1,
	    10 * n, t10, t10 / t1);
	if (t10 > 30 * t1)
		fail_msg("%s: %zu items took %.3f s, %zu took %.3f s "
		    "(%.0fx, limit 30x)", what, n, t1, 10 * n, t10, t10 / t1);
}

/* ----------------------------------------------------- class 3: hashing */

/* The JSON summary of samples/ analysed in a child process whose hash key
 * is `key`, into `out`. */
static void
analyse_with_key(unsigned char fill, const char *out)
{
	pid_t pid = fork();
	int st;

	assert_true(pid >= 0);
	if (pid == 0) {
		unsigned char key[HMAP_KEY_BYTES];
		const char *paths[] = { "samples/fs01.zip", "samples/fs02" };
		char err[256];
		struct catalog *cat;
		struct run_options ro;
		struct summary *s;
		FILE *fp;

		memset(key, fill, sizeof key);
		hmap_set_key(key);
		cat = catalog_new_builtin(err, sizeof err);
		memset(&ro, 0, sizeof ro);
		ro.paths = paths;
		ro.npaths = 2;
		source_options_init(&ro.source);
		analysis_options_init(&ro.analysis);
		ro.analysis.max_line = 1u << 20;
		ro.jobs = 2;
		s = cat ? run_analysis(cat, &ro, err, sizeof err) : NULL;
		fp = fopen(out, "w");
		if (!s || !fp || summary_write_json(s, fp) != 0 || fclose(fp))
			_exit(1);
		summary_free(s);
		catalog_free(cat);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void
test_hash_keyed(void **state)
{
	char dir[] = "/tmp/marslog-bounds-XXXXXX", a[64], b[64];
	unsigned char k1[HMAP_KEY_BYTES], k2[HMAP_KEY_BYTES];
	uint64_t h1, h2;
	char *ja, *jb;
	size_t na, nb;

	(void)state;
	/* the hash depends on the key */
	memset(k1, 1, sizeof k1);
	memset(k2, 2, sizeof k2);
	hmap_set_key(k1);
	h1 = hmap_hash(HMAP_HASH_INIT, "C:\\a.txt", 9);
	hmap_set_key(k2);
	h2 = hmap_hash(HMAP_HASH_INIT, "C:\\a.txt", 9);
	assert_true(h1 != h2);
	/* ... and the output does not */
	assert_non_null(mkdtemp(dir));
	snprintf(a, sizeof a, "%s/a.json", dir);
	snprintf(b, sizeof b, "%s/b.json", dir);
	analyse_with_key(0x11, a);
	analyse_with_key(0xee, b);
	ja = test_slurp(a, &na);
	jb = test_slurp(b, &nb);
	assert_non_null(ja);
	assert_non_null(jb);
	assert_true(na > 1000);
	assert_int_equal(na, nb);
	assert_memory_equal(ja, jb, na);
	free(ja);
	free(jb);
	assert_int_equal(test_rm_rf(dir), 0);
}

static int
idx_eq(const void *ctx, size_t idx, const void *key)
{
	(void)ctx;
	return idx == *(const size_t *)key;
}

/* Even if every key had the same hash, every probe loop ends and every
 * item is found. */
static void
test_hash_probe_bounded(void **state)
{
	struct hmap h;
	size_t i, n = 2000, miss = n;

	(void)state;
	hmap_init(&h);
	for (i = 0; i < n; i++)
		assert_int_equal(hmap_insert(&h, 42, i), 0);
	for (i = 0; i < n; i += 97)
		assert_int_equal(hmap_find(&h, 42, idx_eq, NULL, &i), i);
	assert_int_equal(hmap_find(&h, 42, idx_eq, NULL, &miss), HMAP_NONE);
	hmap_release(&h);
}

/* ------------------------------------------------ class 4: no n x m loops */

/* Long names: per-item work that does not depend on the cache, so that
 * the ratio measures the algorithm, not the memory hierarchy. */
#define LONG_NAME "srv%06zu.%.110s"
#define LONG_PAD "fleet.example.com.fleet.example.com.fleet.example.com." \
    "fleet.example.com.fleet.example.com.fleet.example.com.fleet"

/* n failed-file lists and n backup jobs on n machines: the matching. */
static double
match_lists(size_t n)
{
	double t;
	struct summary *s = summary_new();
	char m[160], task[48];
	size_t i;

	assert_non_null(s);
	for (i = 0; i < n; i++) {
		struct summary_job *j;
		struct summary_input *in;

		snprintf(m, sizeof m, LONG_NAME, i, LONG_PAD);
		snprintf(task, sizeof task, "%08zx-0000-0000-0000-000000000000",
		    i);
		j = summary_job_get(s, m, task, NULL);
		assert_non_null(j);
		j->kind = JOB_BACKUP;
		j->outcome = JOB_SUCCEEDED;
		j->end = INT64_C(1700000000000) + (int64_t)i * 1000;
		in = summary_input_add(s, m, "LastBackupFailedFiles.txt");
		assert_non_null(in);
		in->kind = INPUT_FAILED_FILES;
		in->records = 3;
		in->mtime = INT64_C(1700000000000) + (int64_t)i * 1000 + 60000;
	}
	t = cpu_now();
	job_tracker_apply(NULL, s);
	t = cpu_now() - t;
	for (i = 0; i < s->njobs; i += n / 10 + 1) {
		assert_int_equal(s->jobs[i].failed_files, 3);
		assert_int_equal(s->jobs[i].outcome, JOB_WARNINGS);
	}
	summary_free(s);
	return t;
}

static void
test_failed_lists_linear(void **state)
{
	(void)state;
	assert_linear(match_lists, 3000, "failed-file lists to jobs");
}

/* n machines through the job tracker's interning. */
static double
intern_machines(size_t n)
{
	double t0;
	struct job_tracker *t = job_tracker_new();
	struct summary *s = summary_new();
	struct errlog_record r;
	char m[160];
	size_t i;

	assert_non_null(t);
	assert_non_null(s);
	memset(&r, 0, sizeof r);
	r.time = INT64_C(1700000000000);
	r.task.p = "0c9a6b3e-1111-2222-3333-444455556666";
	r.task.n = strlen(r.task.p);
	r.message.p = "nothing";
	r.message.n = 7;
	r.level = ML_LEVEL_INFO;
	t0 = cpu_now();
	for (i = 0; i < n; i++) {
		snprintf(m, sizeof m, LONG_NAME, i, LONG_PAD);
		job_tracker_reset(t);
		assert_true(job_tracker_record(t, s, m, &r, NULL) >= 0);
	}
	t0 = cpu_now() - t0;
	job_tracker_free(t);
	summary_free(s);
	return t0;
}

static void
test_machine_intern_linear(void **state)
{
	(void)state;
	assert_linear(intern_machines, 5000, "machine-name interning");
}

/* --------------------------------------------- class 5: a sparse matrix */

static void
test_matrix_sparse(void **state)
{
	struct summary *s = summary_new();
	struct report_options o;
	struct fleet *f;
	size_t i, n = 100000, filled = 0;
	char m[32], id[32];

	(void)state;
	assert_non_null(s);
	for (i = 0; i < n; i++) {
		struct summary_finding *x;

		snprintf(m, sizeof m, "srv%06zu", i);
		snprintf(id, sizeof id, "0x8%07zx", i);
		assert_non_null(summary_machine_get(s, m, NULL));
		x = summary_finding_get(s, m, id, NULL);
		assert_non_null(x);
		x->level = CAT_LEVEL_ERROR;
		x->count = i + 1;
	}
	summary_finish(s);
	memset(&o, 0, sizeof o);
	/* dense, this would be 100,000 x 100,000 counts: 80 GB */
	f = fleet_new(s, &o, FLEET_MATRIX);
	assert_non_null(f);
	assert_int_equal(f->nrows, n);
	assert_int_equal(f->ncols, n);
	for (i = 0; i < n; i += 997) {
		size_t c;

		for (c = 0; c < f->ncols; c++)
			if (fleet_cell(f, i, c) != 0) {
				filled++;
				assert_string_equal(f->cols[c].f->machine,
				    f->rows[i].m->name);
			}
	}
	assert_int_equal(filled, (n + 996) / 997);
	assert_true(f->row_cells[n] == n);
	fleet_free(f);
	summary_free(s);
}

/* ------------------------------------------- class 6: counts that wrap */

static struct summary *
one_count(uint64_t count)
{
	struct summary *s = summary_new();
	struct summary_finding *x;
	struct summary_bucket *b;
	struct summary_machine *m;

	assert_non_null(s);
	m = summary_machine_get(s, "srv", NULL);
	assert_non_null(m);
	m->errors = count;
	x = summary_finding_get(s, "srv", "mars-34513", NULL);
	assert_non_null(x);
	x->level = CAT_LEVEL_ERROR;
	x->count = count;
	b = summary_bucket_get(s, "srv", INT64_C(1700000000000) / 3600000 *
	    3600000, NULL);
	assert_non_null(b);
	b->errors = count;
	summary_finish(s);
	return s;
}

static void
test_counts_saturate(void **state)
{
	struct summary *a = one_count(UINT64_MAX), *b = one_count(2);

	(void)state;
	assert_int_equal(summary_merge(a, b), 0);
	summary_finish(a);
	assert_true(a->findings[0].count == UINT64_MAX);
	assert_true(a->timeline[0].errors == UINT64_MAX);
	assert_true(a->totals.errors == UINT64_MAX);
	assert_true(a->machines[0].errors == UINT64_MAX);
	assert_true(summary_count_add(UINT64_MAX - 1, 1) == UINT64_MAX);
	assert_true(summary_count_add(3, 4) == 7);
	summary_free(a);
	summary_free(b);
}

/* The HTML report of a 2^64-1 bucket ends (in a child, so that a loop
 * that never ends fails the test instead of hanging it) and is small. */
static void
test_axis_ticks_bounded(void **state)
{
	char dir[] = "/tmp/marslog-bounds-XXXXXX", path[64];
	struct summary *s = one_count(UINT64_MAX);
	pid_t pid;
	int st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/r.html", dir);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct report_options o;
		char err[256];

		alarm(60);
		memset(&o, 0, sizeof o);
		_exit(report_write(&report_writer_html, s, &o, path, err,
		    sizeof err) == 0 ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	{
		size_t n;
		char *html = test_slurp(path, &n);

		assert_non_null(html);
		assert_true(n < 4 << 20);
		assert_non_null(strstr(html, "18,446,744,073,709,551,615") ?
		    html : strstr(html, "18446744073709551615"));
		free(html);
	}
	summary_free(s);
	assert_int_equal(test_rm_rf(dir), 0);
}

/* ------------------------------------------------ class 9: the loader */

static void
test_catalog_many_codes(void **state)
{
	struct text_like {
		char *p;
		size_t n, cap;
	} t = { NULL, 0, 0 };
	FILE *fp;
	struct catalog *c = catalog_new();
	char err[512];
	int i, ncodes = 400;

	(void)state;
	assert_non_null(c);
	fp = open_memstream(&t.p, &t.n);
	assert_non_null(fp);
	fputs("id\tlevel\tcategory\tcodes\tliteral\tregex\tdoc_url\ttitle_en\t"
	    "cause_en\tfix_en\ttitle_zh\tcause_zh\tfix_zh\n", fp);
	fputs("many\terror\tagent\t", fp);
	for (i = 0; i < ncodes; i++)
		fprintf(fp, "%s0x8007%04X", i ? " " : "", i);
	fputs("\t\t\thttps://learn.microsoft.com/azure/backup/\tT\tC\tF\t"
	    "T\tC\tF\n", fp);
	assert_int_equal(fclose(fp), 0);
	/* one line, 400 codes: the first loader sized for 4 codes a line
	 * and probed a full table for ever */
	if (catalog_load_text(c, "many.tsv", t.p, t.n, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_non_null(catalog_find_code(c, "0x80070000"));
	assert_non_null(catalog_find_code(c, "0x8007018F"));
	assert_null(catalog_find_code(c, "0x80070190"));
	catalog_free(c);
	free(t.p);
}

/* ---------------------------------------- class 11: the JSON reader */

static void
expect_json_error(const char *text, const char *want)
{
	char err[512];
	struct summary *s = summary_from_json(text, strlen(text), err,
	    sizeof err);

	if (s != NULL)
		fail_msg("accepted: %s", text);
	if (strstr(err, want) == NULL)
		fail_msg("error '%s', want '%s'", err, want);
}

static void
test_json_duplicate_keys(void **state)
{
	(void)state;
	/* last-wins would let a forged count through: rejected, line:col */
	expect_json_error("{\"schema\": \"marslog-summary/1\",\n"
	    " \"machines\": [{\"name\": \"a\", \"name\": \"b\"}]}",
	    "2:29: duplicate key \"name\"");
	expect_json_error("{\"schema\": \"marslog-summary/1\", "
	    "\"schema\": \"marslog-summary/1\"}",
	    "1:33: duplicate key \"schema\"");
	/* in objects the reader skips, too */
	expect_json_error("{\"future\": {\"k\": 1, \"k\": 2}, "
	    "\"schema\": \"marslog-summary/1\"}", "1:21: duplicate key \"k\"");
	/* the same key in two objects is fine */
	{
		char err[256];
		const char *ok = "{\"schema\": \"marslog-summary/1\", "
		    "\"machines\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}";
		struct summary *s = summary_from_json(ok, strlen(ok), err,
		    sizeof err);

		if (s == NULL)
			fail_msg("%s", err);
		assert_int_equal(s->nmachines, 2);
		summary_free(s);
	}
}

static void
test_json_finding_needs_machine(void **state)
{
	(void)state;
	expect_json_error("{\"schema\": \"marslog-summary/1\",\n"
	    " \"machines\": [{\"name\": \"a\"}],\n"
	    " \"findings\": [{\"machine\": \"ghost\", \"id\": \"x\", "
	    "\"count\": 1}]}",
	    "3:14: finding \"x\" of machine \"ghost\", which has no row");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_keyed),
		cmocka_unit_test(test_hash_probe_bounded),
		cmocka_unit_test(test_failed_lists_linear),
		cmocka_unit_test(test_machine_intern_linear),
		cmocka_unit_test(test_matrix_sparse),
		cmocka_unit_test(test_counts_saturate),
		cmocka_unit_test(test_axis_ticks_bounded),
		cmocka_unit_test(test_catalog_many_codes),
		cmocka_unit_test(test_json_duplicate_keys),
		cmocka_unit_test(test_json_finding_needs_machine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
