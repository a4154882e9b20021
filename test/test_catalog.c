/* SPDX-License-Identifier: MIT */
/*
 * test_catalog.c -- the catalog loader: every malformed-file error with its
 * exact "file:line: reason", all-or-nothing loads, override by id, the
 * hash look-ups and the built-in catalog.  Run from the top of the tree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "patterns/catalog.h"
#include "patterns/lookup.h"
#include "test/test_util.h"

#define MINI "test/cases/catalog-mini.tsv"
#define MINI_COUNT 11

static const char *const header_row =
    "id\tlevel\tcategory\tcodes\tliteral\tregex\tdoc_url\ttitle_en\t"
    "cause_en\tfix_en\ttitle_zh\tcause_zh\tfix_zh\n";

/* Write `text` to a file in a fresh temp directory; returns its path. */
static char *write_temp(const char *text, char *dir, size_t dirlen)
{
	char *path;
	FILE *fp;

	snprintf(dir, dirlen, "/tmp/marslog-cat-XXXXXX");
	assert_non_null(mkdtemp(dir));
	path = malloc(strlen(dir) + 16);
	assert_non_null(path);
	sprintf(path, "%s/over.tsv", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

static void remove_temp(char *path, const char *dir)
{
	unlink(path);
	rmdir(dir);
	free(path);
}

static struct catalog *load_mini(void)
{
	struct catalog *c = catalog_new();
	char err[512] = "";

	assert_non_null(c);
	if (catalog_load_file(c, MINI, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(catalog_count(c), MINI_COUNT);
	return c;
}

static void test_bad_files(void **state)
{
	static const struct {
		const char *file;
		const char *want;	/* message prefix after "path:" */
	} cases[] = {
		{ "wrong-column-count", "4: wrong column count: 4, expected 13" },
		{ "unknown-header", "2: unknown header 'url' in column 7" },
		{ "bad-id", "4: bad id 'Bad_Id'" },
		{ "duplicate-id", "4: duplicate id 'ok-1' (first on line 3)" },
		{ "bad-level", "4: bad level 'fatal'" },
		{ "bad-category", "4: bad category 'networking'" },
		{ "bad-product", "4: bad product 'mabs': expected mars, dpm or "
		  "both" },
		{ "duplicate-code-product", "4: duplicate code '403' (also in "
		  "'ok-1' on line 3)" },
		{ "bad-code", "4: bad code '0x8007018b'" },
		{ "duplicate-code", "4: duplicate code '403'" },
		{ "regex-without-literal", "4: regex without literal" },
		{ "literal-without-regex", "4: literal without regex" },
		{ "neither-codes-nor-regex", "4: entry with neither codes nor regex" },
		{ "empty-text", "4: empty cause_en" },
		{ "doc-url-not-https", "4: doc_url not https" },
		{ "invalid-utf8", "4: invalid UTF-8" },
		{ "bad-regex", "4: bad regex: missing closing parenthesis" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct catalog *c = load_mini();
		const struct catalog_entry *before = catalog_at(c, 0);
		char path[256], want[512], err[512] = "";

		snprintf(path, sizeof path, "test/cases/catalog-bad/%s.tsv",
		    cases[i].file);
		snprintf(want, sizeof want, "%s:%s", path, cases[i].want);
		assert_int_equal(catalog_load_file(c, path, err, sizeof err),
		    -1);
		if (strncmp(err, want, strlen(want)) != 0)
			fail_msg("%s\n got: %s\nwant: %s", cases[i].file, err,
			    want);
		/* All or nothing: the good line 3 was not added either. */
		assert_int_equal(catalog_count(c), MINI_COUNT);
		assert_null(catalog_find_id(c, "ok-1"));
		assert_null(catalog_find_code(c, "403"));
		assert_ptr_equal(catalog_at(c, 0), before);
		catalog_free(c);
	}
}

static void test_mini(void **state)
{
	struct catalog *c = load_mini();
	const struct catalog_entry *e;

	(void)state;
	e = catalog_at(c, 0);
	assert_string_equal(e->id, "mars-34513");
	assert_int_equal(e->level, CAT_LEVEL_ERROR);
	assert_string_equal(e->category, "registration");
	assert_int_equal(e->ncodes, 1);
	assert_string_equal(e->codes[0], "34513");
	assert_string_equal(e->literal, "");
	assert_string_equal(e->regex, "");
	assert_string_equal(e->doc_url, "https://learn.microsoft.com/azure/"
	    "backup/backup-azure-mars-troubleshoot"
	    "#invalid-vault-credentials-provided");
	assert_string_equal(e->title[CAT_LANG_EN], "Invalid vault credentials");
	assert_string_equal(e->title[CAT_LANG_ZH], "保管库凭据无效");
	assert_string_equal(e->fix[CAT_LANG_ZH], "重新下载保管库凭据并重新注册。");
	assert_string_equal(e->file, MINI);
	assert_int_equal(e->line, 5);

	assert_ptr_equal(catalog_find_code(c, "34513"), e);
	assert_ptr_equal(catalog_find_id(c, "mars-34513"), e);
	assert_ptr_equal(catalog_find_code(c, "100050"),
	    catalog_find_id(c, "mars-130055"));
	assert_ptr_equal(catalog_find_code_n(c, "SalLowDiskSpaceXYZ", 15),
	    catalog_find_id(c, "sal-low-disk-space"));
	assert_ptr_equal(catalog_find_code(c, "SalVhdInitializationError"),
	    catalog_find_id(c, "sal-low-disk-space"));
	assert_ptr_equal(catalog_find_code(c, "0x8007018B"),
	    catalog_find_id(c, "hr-0x8007018b"));
	assert_null(catalog_find_code(c, "0x8007018b"));
	assert_null(catalog_find_code(c, "Sal"));
	assert_null(catalog_find_code(c, ""));
	assert_null(catalog_find_id(c, "nope"));

	e = catalog_find_id(c, "info-last-completed-state");
	assert_non_null(e);
	assert_int_equal(e->level, CAT_LEVEL_INFO);
	assert_int_equal(e->ncodes, 0);
	assert_string_equal(e->literal, "Last completed state");
	assert_string_equal(cat_level_name(e->level), "info");
	assert_string_equal(cat_level_name(CAT_LEVEL_WARNING), "warning");
	assert_string_equal(cat_level_name(CAT_LEVEL_ERROR), "error");
	assert_null(catalog_at(c, MINI_COUNT));
	catalog_free(c);
}

/* --catalog FILE: replace one entry by id (in place), add one at the end. */
static void test_override(void **state)
{
	struct catalog *c = load_mini();
	const struct catalog_entry *old = catalog_find_id(c, "hr-0x80070005");
	const struct catalog_entry *e;
	char dir[64], *path, *text, err[512] = "";
	size_t idx;

	(void)state;
	for (idx = 0; catalog_at(c, idx) != old; idx++)
		;
	text = malloc(4096);
	assert_non_null(text);
	snprintf(text, 4096, "# site rules\n%s"
	    "hr-0x80070005\twarning\tfile-access\t0x80070005 0x80070020\t\t\t"
	    "https://example.com/local\tLocal title\tLocal cause\tLocal fix\t"
	    "本地标题\t本地原因\t本地修复\n"
	    "site-1\terror\tjob\t100999\t\t\thttps://example.com/s\tT\tC\tF\t"
	    "标\t因\t修\n", header_row);
	path = write_temp(text, dir, sizeof dir);
	if (catalog_load_file(c, path, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(catalog_count(c), MINI_COUNT + 1);
	e = catalog_at(c, idx);
	assert_string_equal(e->id, "hr-0x80070005");
	assert_string_equal(e->title[CAT_LANG_EN], "Local title");
	assert_int_equal(e->level, CAT_LEVEL_WARNING);
	assert_string_equal(e->file, path);
	assert_int_equal(e->line, 3);
	assert_ptr_equal(catalog_find_id(c, "hr-0x80070005"), e);
	assert_ptr_equal(catalog_find_code(c, "0x80070020"), e);
	assert_ptr_equal(catalog_find_code(c, "0x80070005"), e);
	/* The replaced entry stays readable until catalog_free(). */
	assert_string_equal(old->title[CAT_LANG_EN], "Title");
	e = catalog_at(c, MINI_COUNT);
	assert_string_equal(e->id, "site-1");
	assert_ptr_equal(catalog_find_code(c, "100999"), e);
	assert_string_equal(catalog_at(c, 0)->id, "mars-34513");
	remove_temp(path, dir);

	/* A code owned by an entry the file does not replace: rejected. */
	snprintf(text, 4096, "%s"
	    "site-2\terror\tjob\t100998 34513\t\t\thttps://example.com/s\tT\t"
	    "C\tF\t标\t因\t修\n", header_row);
	path = write_temp(text, dir, sizeof dir);
	assert_int_equal(catalog_load_file(c, path, err, sizeof err), -1);
	assert_non_null(strstr(err, ":2: duplicate code '34513' (also in "
	    "'mars-34513' from test/cases/catalog-mini.tsv:5)"));
	assert_int_equal(catalog_count(c), MINI_COUNT + 1);
	assert_null(catalog_find_code(c, "100998"));
	remove_temp(path, dir);

	/* Moving a code: replace its owner without it in the same file. */
	snprintf(text, 4096, "%s"
	    "site-2\terror\tjob\t34513\t\t\thttps://example.com/s\tT\tC\tF\t"
	    "标\t因\t修\n"
	    "mars-34513\terror\tregistration\t34514\t\t\thttps://example.com/"
	    "r\tT\tC\tF\t标\t因\t修\n", header_row);
	path = write_temp(text, dir, sizeof dir);
	if (catalog_load_file(c, path, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_ptr_equal(catalog_find_code(c, "34513"),
	    catalog_find_id(c, "site-2"));
	assert_ptr_equal(catalog_find_code(c, "34514"), catalog_at(c, 0));
	assert_int_equal(catalog_count(c), MINI_COUNT + 2);
	remove_temp(path, dir);
	free(text);
	catalog_free(c);
}

static void test_text_forms(void **state)
{
	struct catalog *c = catalog_new();
	char err[512] = "", text[1024];

	(void)state;
	/* BOM, CRLF, blank and comment lines; an empty text is no error. */
	assert_int_equal(catalog_load_text(c, "empty", "", 0, err,
	    sizeof err), 0);
	assert_int_equal(catalog_load_text(c, "comments", "# only\n\n# c\n",
	    12, err, sizeof err), 0);
	assert_int_equal(catalog_count(c), 0);
	snprintf(text, sizeof text, "\xEF\xBB\xBF# x\r\n\r\n%.*s\r\n"
	    "a-1\terror\tnetwork\t403\t\t\thttps://x.test/\tT\tC\tF\tt\tc\tf"
	    "\r\n", (int)strlen(header_row) - 1, header_row);
	if (catalog_load_text(c, "crlf", text, strlen(text), err,
	    sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(catalog_count(c), 1);
	assert_string_equal(catalog_at(c, 0)->fix[CAT_LANG_ZH], "f");
	assert_int_equal(catalog_at(c, 0)->line, 4);
	assert_string_equal(catalog_at(c, 0)->file, "crlf");

	/* Entries before a header: the header is checked first. */
	assert_int_equal(catalog_load_text(c, "nohdr", "a-2\terror\n", 10,
	    err, sizeof err), -1);
	assert_string_equal(err, "nohdr:1: wrong column count in header: 2, "
	    "expected 14 (13 without product)");
	/* Codes must be normalised; a success HRESULT is no finding. */
	snprintf(text, sizeof text, "%sa-3\terror\tnetwork\t0x00000005\t\t\t"
	    "https://x.test/\tT\tC\tF\tt\tc\tf\n", header_row);
	assert_int_equal(catalog_load_text(c, "succ", text, strlen(text), err,
	    sizeof err), -1);
	assert_string_equal(err, "succ:2: bad code '0x00000005': a success "
	    "code is never a finding");
	snprintf(text, sizeof text, "%sa-3\terror\tnetwork\t0403\t\t\t"
	    "https://x.test/\tT\tC\tF\tt\tc\tf\n", header_row);
	assert_int_equal(catalog_load_text(c, "lead", text, strlen(text), err,
	    sizeof err), -1);
	assert_non_null(strstr(err, "lead:2: bad code '0403'"));
	assert_int_equal(catalog_count(c), 1);

	assert_int_equal(catalog_load_file(c, "test/cases/no-such.tsv", err,
	    sizeof err), -1);
	assert_string_equal(err, "cannot open test/cases/no-such.tsv: "
	    "No such file or directory");
	catalog_free(c);
	catalog_free(NULL);
}

static void test_builtin(void **state)
{
	char err[512] = "";
	struct catalog *c = catalog_new_builtin(err, sizeof err);
	size_t i;

	(void)state;
	if (c == NULL)
		fail_msg("%s", err);
	if (catalog_count(c) == 0) {
		/* patterns/catalog.tsv is still the placeholder. */
		catalog_free(c);
		skip();
	}
	assert_true(catalog_count(c) >= 60);
	for (i = 0; i < catalog_count(c); i++) {
		const struct catalog_entry *e = catalog_at(c, i);
		size_t j;

		assert_ptr_equal(catalog_find_id(c, e->id), e);
		for (j = 0; j < e->ncodes; j++)
			assert_ptr_equal(catalog_find_code_for(c, e->codes[j],
			    strlen(e->codes[j]), e->products ==
			    CAT_PRODUCT_BOTH ? CAT_PRODUCT_MARS : e->products),
			    e);
		assert_string_equal(e->file, "catalog.tsv (built-in)");
		assert_true(strncmp(e->doc_url, "https://learn.microsoft.com/",
		    28) == 0);
	}
	catalog_free(c);
}

static void test_lang(void **state)
{
	(void)state;
	assert_int_equal(cat_lang_from_name("en"), CAT_LANG_EN);
	assert_int_equal(cat_lang_from_name("en_US.UTF-8"), CAT_LANG_EN);
	assert_int_equal(cat_lang_from_name("zh"), CAT_LANG_ZH);
	assert_int_equal(cat_lang_from_name("zh-CN"), CAT_LANG_ZH);
	assert_int_equal(cat_lang_from_name("zh_CN.UTF-8"), CAT_LANG_ZH);
	assert_int_equal(cat_lang_from_name("fr"), -1);
	assert_int_equal(cat_lang_from_name("english"), -1);
	assert_int_equal(cat_lang_from_name(NULL), -1);
}

/* The product column: one entry per product for a code, the look-ups and
 * the resolution of a hit for an input's product. */
static void test_product(void **state)
{
	static const char text[] =
	    "id\tlevel\tcategory\tproduct\tcodes\tliteral\tregex\tdoc_url\t"
	    "title_en\tcause_en\tfix_en\ttitle_zh\tcause_zh\tfix_zh\n"
	    "m-5\twarning\tfile-access\tmars\t0x80070005 100092\t\t\t"
	    "https://x.test/m\tAV\tC\tF\tt\tc\tf\n"
	    "d-5\terror\tcredentials\tdpm\t0x80070005 30111\t\t\t"
	    "https://x.test/d\tAgent\tC\tF\tt\tc\tf\n"
	    "b-1\terror\tnetwork\tboth\t100050\t\t\thttps://x.test/b\t"
	    "T\tC\tF\tt\tc\tf\n"
	    "r-1\terror\tvss\tmars\t100034\tsnapshot\t(?i)snapshot failed\t"
	    "https://x.test/r\tT\tC\tF\tt\tc\tf\n"
	    "r-2\terror\tvss\tdpm\t100034\t\t\thttps://x.test/r2\tT\tC\t"
	    "F\tt\tc\tf\n";
	static const char more[] =
	    "id\tlevel\tcategory\tproduct\tcodes\tliteral\tregex\tdoc_url\t"
	    "title_en\tcause_en\tfix_en\ttitle_zh\tcause_zh\tfix_zh\n"
	    "x-1\terror\tjob\tmars\t30111\t\t\thttps://x.test/x\tT\tC\tF\t"
	    "t\tc\tf\n";
	/* 13 columns: an entry for both products, so 30111 is taken. */
	static const char dup[] =
	    "id\tlevel\tcategory\tcodes\tliteral\tregex\tdoc_url\t"
	    "title_en\tcause_en\tfix_en\ttitle_zh\tcause_zh\tfix_zh\n"
	    "y-1\terror\tjob\t30111\t\t\thttps://x.test/y\tT\tC\tF\t"
	    "t\tc\tf\n";
	struct catalog *c = load_mini();
	const struct catalog_entry *m, *d, *b, *r1, *r2;
	char err[512] = "";

	(void)state;
	/* The 13-column mini catalog: every entry applies to both. */
	assert_int_equal(catalog_at(c, 0)->products, CAT_PRODUCT_BOTH);
	catalog_free(c);

	c = catalog_new();
	assert_non_null(c);
	if (catalog_load_text(c, "prod", text, sizeof text - 1, err,
	    sizeof err) != 0)
		fail_msg("%s", err);
	m = catalog_find_id(c, "m-5");
	d = catalog_find_id(c, "d-5");
	b = catalog_find_id(c, "b-1");
	r1 = catalog_find_id(c, "r-1");
	r2 = catalog_find_id(c, "r-2");
	assert_int_equal(m->products, CAT_PRODUCT_MARS);
	assert_int_equal(d->products, CAT_PRODUCT_DPM);
	assert_string_equal(cat_product_name(d->products), "dpm");
	assert_string_equal(cat_product_name(b->products), "both");
	assert_ptr_equal(catalog_find_code(c, "0x80070005"), m);
	assert_ptr_equal(catalog_find_code_for(c, "0x80070005", 10,
	    CAT_PRODUCT_DPM), d);
	assert_ptr_equal(catalog_find_code_for(c, "0x80070005", 10,
	    CAT_PRODUCT_MARS), m);
	assert_ptr_equal(catalog_find_code_for(c, "0x80070005", 10,
	    CAT_PRODUCT_ANY), m);
	assert_ptr_equal(catalog_find_code(c, "30111"), d);
	assert_null(catalog_find_code_for(c, "30111", 5, CAT_PRODUCT_MARS));
	assert_ptr_equal(catalog_find_code_for(c, "100050", 6,
	    CAT_PRODUCT_DPM), b);

	/* A code hit: the product's entry, or none (neutral advice). */
	assert_ptr_equal(catalog_for_product(c, m, "0x80070005", 10,
	    CAT_PRODUCT_DPM), d);
	assert_ptr_equal(catalog_for_product(c, m, "0x80070005", 10,
	    CAT_PRODUCT_ANY), m);
	assert_null(catalog_for_product(c, m, "100092", 6, CAT_PRODUCT_DPM));
	assert_null(catalog_for_product(c, d, "30111", 5, CAT_PRODUCT_MARS));
	assert_ptr_equal(catalog_for_product(c, b, "100050", 6,
	    CAT_PRODUCT_DPM), b);
	/* A text-rule hit: the product's entry of one of its codes, else
	 * the rule's own entry. */
	assert_ptr_equal(catalog_for_product(c, r1, "", 0, CAT_PRODUCT_DPM),
	    r2);
	assert_ptr_equal(catalog_for_product(c, m, "", 0, CAT_PRODUCT_DPM), d);
	assert_ptr_equal(catalog_for_product(c, d, "", 0, CAT_PRODUCT_MARS),
	    m);
	assert_null(catalog_for_product(c, NULL, "", 0, CAT_PRODUCT_DPM));

	/* A later file may add the other product's entry of a code, but not
	 * a second entry for the same product. */
	assert_int_equal(catalog_load_text(c, "more", more, strlen(more),
	    err, sizeof err), 0);
	assert_string_equal(catalog_find_code_for(c, "30111", 5,
	    CAT_PRODUCT_MARS)->id, "x-1");
	assert_ptr_equal(catalog_find_code_for(c, "30111", 5,
	    CAT_PRODUCT_DPM), d);
	assert_int_equal(catalog_load_text(c, "dup", dup, strlen(dup), err,
	    sizeof err), -1);
	assert_non_null(strstr(err, "duplicate code '30111'"));
	catalog_free(c);
}

/* The product of an input, from its path. */
static void test_product_of_path(void **state)
{
	static const struct {
		const char *path;
		unsigned product;
	} cases[] = {
		{ "MSDPMCurr.errlog", CAT_PRODUCT_DPM },
		{ "bundle.zip!DPM/Temp/DPMRACurr.errlog", CAT_PRODUCT_DPM },
		{ "C:\\Program Files\\Microsoft Data Protection Manager\\DPM"
		  "\\Temp\\DPMRA3.errlog", CAT_PRODUCT_DPM },
		{ "mabs01/DPMAMService0.errlog", CAT_PRODUCT_DPM },
		{ "mabs01/dpmamservicecurr.errlog", CAT_PRODUCT_DPM },
		{ "x/MSDPMCurr.errlog.2016-06-01_20-55-45.Crash",
		  CAT_PRODUCT_DPM },
		{ "mabs01/DPM/Temp/AnyOther.errlog", CAT_PRODUCT_DPM },
		{ "MABS01\\DPM\\DPM\\Temp\\Unknown.errlog", CAT_PRODUCT_DPM },
		{ "CBEngineCurr.errlog", CAT_PRODUCT_MARS },
		{ "fs01.zip!Temp/CBUICurr.errlog", CAT_PRODUCT_MARS },
		/* the MARS agent of a MABS server writes under DPM\MARS */
		{ "mabs01/DPM/MARS/Microsoft Azure Recovery Services Agent/Temp/"
		  "CBEngineCurr.errlog", CAT_PRODUCT_MARS },
		{ "mabs01/DPM/Temp/CBEngineCurr.errlog", CAT_PRODUCT_MARS },
		{ "LastBackupFailedFiles17af1_7_21_2020.txt",
		  CAT_PRODUCT_MARS },
		{ "paste.txt", CAT_PRODUCT_ANY },
		{ "logs/Temp/trace.errlog", CAT_PRODUCT_ANY },
		{ "DPMTemp/x.errlog", CAT_PRODUCT_ANY },
		{ "notDPM/Temp/x.errlog", CAT_PRODUCT_ANY },
		{ "", CAT_PRODUCT_ANY },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (catalog_product_of_path(cases[i].path) != cases[i].product)
			fail_msg("%s: got %u, want %u", cases[i].path,
			    catalog_product_of_path(cases[i].path),
			    cases[i].product);
	assert_int_equal(catalog_product_of_path(NULL), CAT_PRODUCT_ANY);
}

/* test/cases/explain.txt: query<TAB>how<TAB>ids against the built-in
 * catalog. */
static void test_explain_cases(void **state)
{
	static const char *const hows[] = { "none", "exact", "prefix",
	    "ambiguous", "words" };
	char err[256], *text, *line, *save = NULL;
	struct catalog *c = catalog_new_builtin(err, sizeof err);
	size_t ncases = 0;

	(void)state;
	assert_non_null(c);
	text = test_slurp("test/cases/explain.txt", NULL);
	assert_non_null(text);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		const struct catalog_entry *found[64];
		char *how, *ids, *id, *save2 = NULL;
		enum lookup_how got;
		size_t n, k;
		int ok;

		if (line[0] == '#')
			continue;
		how = strchr(line, '\t');
		ids = how != NULL ? strchr(how + 1, '\t') : NULL;
		assert_non_null(ids);
		*how++ = '\0';
		*ids++ = '\0';
		n = catalog_lookup(c, line, CAT_LANG_EN, found, 64, &got);
		if (strcmp(hows[got], how) != 0)
			fail_msg("explain '%s': %s, want %s", line, hows[got],
			    how);
		if (strcmp(ids, "-") == 0) {
			assert_int_equal(n, 0);
			ncases++;
			continue;
		}
		for (id = strtok_r(ids, " ", &save2); id != NULL;
		    id = strtok_r(NULL, " ", &save2)) {
			for (ok = 0, k = 0; k < n && k < 64; k++)
				ok |= strcmp(found[k]->id, id) == 0;
			if (!ok)
				fail_msg("explain '%s': no %s among %zu", line,
				    id, n);
		}
		if (got == LOOKUP_EXACT || got == LOOKUP_PREFIX)
			assert_int_equal(n, 1);
		ncases++;
	}
	assert_true(ncases >= 20);
	free(text);
	catalog_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_mini),
		cmocka_unit_test(test_override),
		cmocka_unit_test(test_text_forms),
		cmocka_unit_test(test_builtin),
		cmocka_unit_test(test_lang),
		cmocka_unit_test(test_product),
		cmocka_unit_test(test_product_of_path),
		cmocka_unit_test(test_explain_cases),
	};

	return cmocka_run_group_tests_name("catalog", tests, NULL, NULL);
}
