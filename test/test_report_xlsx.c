/* SPDX-License-Identifier: MIT */
/*
 * test_report_xlsx.c -- the XLSX report writer (report_xlsx.c), through
 * report_write() as the program uses it, read back by a real reader.
 *
 * - test/xlsx_check.py opens the workbook with openpyxl (/usr/bin/python3,
 *   Debian's python3-openpyxl) and checks sheets, headers, colours,
 *   hyperlinks, the remediation column and that injected formulas are
 *   text cells.
 * - Goldens: the XML parts of the fixture's workbook, unzipped here with
 *   libarchive, equal test/golden/xlsx/<part> (the part list is
 *   test/golden/xlsx/parts.txt).  After an intended change regenerate them
 *   with
 *
 *	MARSLOG_UPDATE_GOLDEN=1 build/test/test_report_xlsx
 *
 *   and review the diff.
 * - Limits: Excel's cell length, 65,530 hyperlinks per sheet, and a
 *   summary of 1,000,000 failed files written in constant_memory mode
 *   (also as HTML, which shows the first rows and a note).
 * Run from the top of the tree.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <cmocka.h>

#include "reports/report.h"
#include "reports/summary.h"
#include "test/report_fixture.h"

#define PYTHON "/usr/bin/python3"
#define GOLDEN_DIR "test/golden/xlsx"

/* One unzipped part. */
struct part {
	char *name;
	char *data;
	size_t len;
};

struct parts {
	struct part *v;
	size_t n;
};

static int
setup(void **state)
{
	return fx_ctx_setup(state, "/tmp/marslog-xlsx-XXXXXX");
}

static int
teardown(void **state)
{
	return fx_ctx_teardown(state);
}

static void
write_report(struct fx_ctx *c, const struct report_writer *w,
    const struct summary *s, enum cat_lang lang, const char *name)
{
	struct report_options o = { .lang = lang };
	char err[256] = "";

	snprintf(c->path, sizeof(c->path), "%s/%s", c->dir, name);
	if (report_write(w, s, &o, c->path, err, sizeof(err)) < 0)
		fail_msg("report_write: %s", err);
}

static void
parts_free(struct parts *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->v[i].name);
		free(p->v[i].data);
	}
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

static int
part_cmp(const void *a, const void *b)
{
	return strcmp(((const struct part *)a)->name,
	    ((const struct part *)b)->name);
}

/* Every part of the zip at `path`, sorted by name. */
static void
unzip(const char *path, struct parts *out)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	int r;

	out->v = NULL;
	out->n = 0;
	assert_non_null(a);
	archive_read_support_format_zip(a);
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK)
		fail_msg("%s: %s", path, archive_error_string(a));
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		struct part *p;
		size_t cap = 65536;
		la_ssize_t got;

		out->v = realloc(out->v, (out->n + 1) * sizeof(*out->v));
		assert_non_null(out->v);
		p = &out->v[out->n++];
		p->name = strdup(archive_entry_pathname(e));
		p->data = malloc(cap + 1);
		p->len = 0;
		assert_non_null(p->name);
		assert_non_null(p->data);
		while ((got = archive_read_data(a, p->data + p->len,
		    cap - p->len)) > 0) {
			p->len += (size_t)got;
			if (p->len == cap) {
				cap *= 2;
				p->data = realloc(p->data, cap + 1);
				assert_non_null(p->data);
			}
		}
		assert_true(got == 0);
		p->data[p->len] = '\0';
	}
	assert_int_equal(r, ARCHIVE_EOF);
	archive_read_free(a);
	qsort(out->v, out->n, sizeof(*out->v), part_cmp);
}

/* The part called `name`; fails the test when there is none. */
static const struct part *
part_get(const struct parts *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, name) == 0)
			return &p->v[i];
	fail_msg("no part %s in the workbook", name);
	abort();
}

/* Occurrences of `needle` in n bytes.  memchr + memcmp rather than
 * strstr, which ASan makes measure the whole rest of the haystack at
 * every call (quadratic on a sheet of a million rows). */
static size_t
count(const char *hay, size_t n, const char *needle)
{
	size_t k = 0, nl = strlen(needle);
	const char *p = hay, *end = hay + n;

	while ((size_t)(end - p) >= nl &&
	    (p = memchr(p, needle[0], (size_t)(end - p) - nl + 1)) != NULL) {
		if (memcmp(p, needle, nl) == 0) {
			k++;
			p += nl;
		} else {
			p++;
		}
	}
	return k;
}

static void
py_check(const char *mode, const char *xlsx, const char *dir)
{
	char log[160], *out;
	const char *argv[] = { PYTHON, "test/xlsx_check.py", mode, xlsx,
	    NULL };
	size_t n;
	int st;

	if (access(PYTHON, X_OK) != 0)
		fail_msg("%s is missing (apt-get install python3-openpyxl)",
		    PYTHON);
	snprintf(log, sizeof(log), "%s/xlsx_check.log", dir);
	st = fx_run(argv, log, log);
	if (st != 0) {
		out = fx_read_file(log, &n);
		fail_msg("xlsx_check.py %s failed (%d):\n%s", mode, st,
		    out != NULL ? out : "");
	}
}

static void
test_openpyxl(void **state, enum cat_lang lang, const char *mode)
{
	struct fx_ctx *c = *state;
	struct summary *s = fixture_summary(lang, 1);

	assert_non_null(s);
	write_report(c, &report_writer_xlsx, s, lang, "report.xlsx");
	summary_free(s);
	py_check(mode, c->path, c->dir);
}

static void
test_openpyxl_en(void **state)
{
	test_openpyxl(state, CAT_LANG_EN, "en");
}

static void
test_openpyxl_zh(void **state)
{
	test_openpyxl(state, CAT_LANG_ZH, "zh");
}

/* mkdir -p for the directories of `path`. */
static void
mkdirs(const char *path)
{
	char buf[256];
	char *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		mkdir(buf, 0755);
		*p = '/';
	}
}

static void
test_golden(void **state)
{
	struct fx_ctx *c = *state;
	struct summary *s = fixture_summary(CAT_LANG_EN, 0);
	const char *update = getenv("MARSLOG_UPDATE_GOLDEN");
	struct parts p;
	char golden[256], *list = NULL;
	const char *diff;
	size_t i, len = 0;

	assert_non_null(s);
	write_report(c, &report_writer_xlsx, s, CAT_LANG_EN, "report.xlsx");
	summary_free(s);
	unzip(c->path, &p);
	for (i = 0; i < p.n; i++) {
		size_t k = strlen(p.v[i].name);

		list = realloc(list, len + k + 2);
		assert_non_null(list);
		memcpy(list + len, p.v[i].name, k);
		len += k;
		list[len++] = '\n';
	}
	if (update != NULL && strcmp(update, "1") == 0)
		mkdirs(GOLDEN_DIR "/parts.txt");
	diff = fx_golden(GOLDEN_DIR "/parts.txt", list, len);
	if (diff != NULL)
		fail_msg("%s", diff);
	for (i = 0; i < p.n; i++) {
		snprintf(golden, sizeof(golden), GOLDEN_DIR "/%s",
		    p.v[i].name);
		if (update != NULL && strcmp(update, "1") == 0)
			mkdirs(golden);
		if ((diff = fx_golden(golden, p.v[i].data, p.v[i].len)) != NULL)
			fail_msg("%s", diff);
	}
	/* The parts that make it a report, not just a zip. */
	(void)part_get(&p, "xl/charts/chart1.xml");
	assert_non_null(strstr(part_get(&p, "docProps/core.xml")->data,
	    "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2024-06-07T23:00:00Z"));
	assert_non_null(strstr(part_get(&p, "xl/workbook.xml")->data,
	    "<sheet name=\"Failed files\""));
	free(list);
	parts_free(&p);
}

/* Same summary and options, same bytes (zip container included). */
static void
test_deterministic(void **state)
{
	struct fx_ctx *c = *state;
	struct summary *s = fixture_summary(CAT_LANG_EN, 1);
	char *a, *b;
	size_t an, bn;

	assert_non_null(s);
	write_report(c, &report_writer_xlsx, s, CAT_LANG_EN, "a.xlsx");
	a = fx_read_file(c->path, &an);
	write_report(c, &report_writer_xlsx, s, CAT_LANG_EN, "b.xlsx");
	b = fx_read_file(c->path, &bn);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(an, bn);
	assert_memory_equal(a, b, an);
	free(a);
	free(b);
	summary_free(s);
}

/* No path (standard output): the workbook is built aside and copied. */
static void
test_stdout(void **state)
{
	struct fx_ctx *c = *state;
	struct summary *s = fixture_summary(CAT_LANG_EN, 0);
	struct report_options o = { .lang = CAT_LANG_EN };
	struct parts p;
	char err[256], *data;
	size_t n;
	FILE *fp;

	assert_non_null(s);
	snprintf(c->path, sizeof(c->path), "%s/stdout.xlsx", c->dir);
	fp = fopen(c->path, "wb");
	assert_non_null(fp);
	if (report_writer_xlsx.write(s, &o, fp, NULL, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	assert_int_equal(fclose(fp), 0);
	data = fx_read_file(c->path, &n);
	assert_non_null(data);
	assert_true(n > 4 && memcmp(data, "PK\x03\x04", 4) == 0);
	unzip(c->path, &p);
	(void)part_get(&p, "xl/worksheets/sheet6.xml");
	free(data);
	parts_free(&p);
	summary_free(s);
}

/* A workbook that cannot be written is the writer's error, found before
 * libxlsxwriter would print its own message. */
static void
test_write_error(void **state)
{
	struct fx_ctx *c = *state;
	struct summary *s = fixture_summary(CAT_LANG_EN, 0);
	struct report_options o = { .lang = CAT_LANG_EN };
	char err[256] = "", path[160];
	FILE *fp;

	(void)c;
	assert_non_null(s);
	fp = tmpfile();
	assert_non_null(fp);
	snprintf(path, sizeof(path), "%s/missing/report.xlsx", c->dir);
	assert_int_equal(report_writer_xlsx.write(s, &o, fp, path, err,
	    sizeof(err)), -1);
	assert_true(strncmp(err, "xlsx report: cannot open ", 25) == 0);
	assert_non_null(strstr(err, "No such file or directory"));
	fclose(fp);
	/* Through report_write: nothing is left behind. */
	assert_int_equal(report_write(&report_writer_xlsx, s, &o, path, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot write"));
	summary_free(s);
}

/* Cells stop at Excel's 32,767 characters; "_xHHHH_" stays literal. */
static void
test_long_cell(void **state)
{
	struct fx_ctx *c = *state;
	struct summary *s = summary_new();
	struct summary_finding *f;
	struct parts p;
	const struct part *sheet;
	char *msg;
	size_t i;

	assert_non_null(s);
	msg = malloc(40001);
	assert_non_null(msg);
	for (i = 0; i < 40000; i++)
		msg[i] = (char)('0' + i % 10);
	msg[40000] = '\0';
	f = summary_finding_get(s, "FS01", "long", NULL);
	assert_non_null(f);
	assert_int_equal(summary_sample_offer(s, &f->sample, "a.errlog", 1, msg,
	    FX_T0), 0);
	assert_int_equal(summary_set_str(&f->title, "a_x0041_b"), 0);
	f->count = 1;
	f->level = CAT_LEVEL_ERROR;
	summary_finish(s);
	write_report(c, &report_writer_xlsx, s, CAT_LANG_EN, "long.xlsx");
	py_check("long", c->path, c->dir);
	unzip(c->path, &p);
	sheet = part_get(&p, "xl/sharedStrings.xml");
	assert_non_null(strstr(sheet->data, "<t>a_x005F_x0041_b</t>"));
	parts_free(&p);
	free(msg);
	summary_free(s);
}

/* Excel allows 65,530 hyperlinks per sheet: the rest are plain titles. */
static void
test_url_limit(void **state)
{
	struct fx_ctx *c = *state;
	struct summary *s = summary_new();
	struct parts p;
	const struct part *sheet;
	char id[32];
	size_t i;

	assert_non_null(s);
	for (i = 0; i < 65600; i++) {
		struct summary_finding *f;

		snprintf(id, sizeof(id), "f%05zu", i);
		f = summary_finding_get(s, "FS01", id, NULL);
		assert_non_null(f);
		assert_int_equal(summary_set_str(&f->title, id), 0);
		assert_int_equal(summary_set_str(&f->doc_url,
		    FX_DOC "#anchor"), 0);
		f->count = 1;
		f->level = CAT_LEVEL_WARNING;
	}
	summary_finish(s);
	write_report(c, &report_writer_xlsx, s, CAT_LANG_EN, "urls.xlsx");
	unzip(c->path, &p);
	sheet = part_get(&p, "xl/worksheets/sheet2.xml");
	assert_int_equal(count(sheet->data, sheet->len, "<hyperlink "), 65530);
	/* Row 65,532 (the 65,531st finding) shows its title as text. */
	assert_non_null(strstr(sheet->data, "<c r=\"J65532\""));
	assert_null(strstr(sheet->data, "<hyperlink ref=\"J65532\""));
	assert_non_null(strstr(sheet->data, "<hyperlink ref=\"J65531\""));
	parts_free(&p);
	summary_free(s);
}

/* Rows of the big failed-files sheet, streamed: count "<row " and check
 * the remediation reached the first data row. */
static void
scan_big_sheet(const char *path, size_t *rows, int *has_fix)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	static char buf[1 << 20];
	char carry[16] = "";
	size_t keep = 0;
	la_ssize_t got;

	*rows = 0;
	*has_fix = 0;
	assert_non_null(a);
	archive_read_support_format_zip(a);
	assert_int_equal(archive_read_open_filename(a, path, 65536),
	    ARCHIVE_OK);
	while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
		if (strcmp(archive_entry_pathname(e),
		    "xl/worksheets/sheet4.xml") != 0)
			continue;
		memcpy(buf, carry, keep);
		while ((got = archive_read_data(a, buf + keep,
		    sizeof(buf) - keep - 1)) > 0) {
			size_t n = keep + (size_t)got;

			buf[n] = '\0';
			*rows += count(buf, n, "<row ");
			if (!*has_fix && count(buf, n, "<row r=\"2\"") > 0 &&
			    count(buf, n, "Exclude the MARS agent folders") > 0)
				*has_fix = 1;
			/* keep a tail shorter than "<row " so no match is
			 * counted twice or lost */
			keep = n < 4 ? n : 4;
			memcpy(carry, buf + n - keep, keep);
			memcpy(buf, carry, keep);
		}
		assert_true(got == 0);
		break;
	}
	archive_read_free(a);
}

/* 1,000,000 failed files: XLSX in constant_memory mode with every row,
 * HTML with the first rows and a note.  Not timed. */
static void
test_million(void **state)
{
	struct fx_ctx *c = *state;
	struct summary *s = fixture_summary(CAT_LANG_EN, 0);
	char path[64];
	size_t i, rows, n;
	int has_fix;
	char *html;

	assert_non_null(s);
	for (i = 0; i < 1000000; i++) {
		struct summary_failed_file *ff;

		snprintf(path, sizeof(path), "D:\\Data\\set%03zu\\file%07zu.dat",
		    i % 997, i);
		ff = summary_failed_file_get(s, "FS01", path, "0x80070005",
		    NULL);
		assert_non_null(ff);
		ff->count = i % 3 == 0 ? 2 : 1;
	}
	summary_finish(s);
	assert_int_equal(s->nfailed_files, 1000037);
	write_report(c, &report_writer_xlsx, s, CAT_LANG_EN, "big.xlsx");
	scan_big_sheet(c->path, &rows, &has_fix);
	assert_int_equal(rows, s->nfailed_files + 1);
	assert_true(has_fix);

	write_report(c, &report_writer_html, s, CAT_LANG_EN, "big.html");
	html = fx_read_file(c->path, &n);
	assert_non_null(html);
	assert_true(n < 4 * 1024 * 1024);
	assert_non_null(strstr(html, "Rows shown: 5,000 / 1,000,037."));
	free(html);
	summary_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_openpyxl_en, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_openpyxl_zh, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_golden, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deterministic, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_stdout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_error, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_long_cell, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_url_limit, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_million, setup, teardown),
	};

	return cmocka_run_group_tests_name("report_xlsx", tests, NULL, NULL);
}
