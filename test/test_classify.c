/* SPDX-License-Identifier: MIT */
/*
 * test_classify.c -- the classifier (every code form, text rules,
 * priorities, unknown HRESULTs) and code_normalise (the HRESULT decoder:
 * test_hresult.c).
 *
 * Data-driven parts read test/cases/classify.txt (expected-id<TAB>message;
 * an unknown HRESULT is "hresult-0x..."), which must cover every built-in
 * catalog entry, and test/cases/classify-negative.txt (one message per
 * line that must give no finding).  Run from the top of the tree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "patterns/catalog.h"
#include "patterns/classify.h"

#define MINI "test/cases/catalog-mini.tsv"
#define CASES "test/cases/classify.txt"
#define NEGATIVE "test/cases/classify-negative.txt"
#define CODE_FORMS "test/cases/code-forms.txt"

struct fixture {
	struct catalog *cat;
	struct classifier *cl;
};

static int fixture_setup(struct fixture *f, int builtin)
{
	char err[512] = "";

	if (builtin) {
		f->cat = catalog_new_builtin(err, sizeof err);
	} else {
		f->cat = catalog_new();
		if (f->cat != NULL && catalog_load_file(f->cat, MINI, err,
		    sizeof err) != 0) {
			catalog_free(f->cat);
			f->cat = NULL;
		}
	}
	if (f->cat == NULL) {
		print_error("%s\n", err);
		return -1;
	}
	f->cl = classifier_new(f->cat, err, sizeof err);
	if (f->cl == NULL) {
		print_error("%s\n", err);
		catalog_free(f->cat);
		return -1;
	}
	return 0;
}

static int setup_mini(void **state)
{
	static struct fixture f;

	*state = &f;
	return fixture_setup(&f, 0);
}

static int setup_builtin(void **state)
{
	static struct fixture f;

	*state = &f;
	return fixture_setup(&f, 1);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	classifier_free(f->cl);
	catalog_free(f->cat);
	return 0;
}

/* The id a message classifies to: entry id, "hresult-0x..." or "". */
static const char *classify_id(struct classifier *cl, const char *msg,
    char *buf, size_t len, struct classification *r)
{
	if (!classifier_classify(cl, msg, strlen(msg), r))
		return "";
	if (r->entry != NULL)
		return r->entry->id;
	snprintf(buf, len, "hresult-%s", r->code);
	return buf;
}

static void test_forms(void **state)
{
	static const struct {
		const char *msg;
		const char *id;		/* "" = no finding */
		enum code_kind kind;
		const char *code;
	} cases[] = {
		/* HRESULT: 0x + exactly 8 hex digits, any case */
		{ "Failed: Hr: = [0x80070005] BackupRead failed on file(D:\\a)",
		  "hr-0x80070005", CODE_HRESULT, "0x80070005" },
		{ "Failed: Hr: = [0x8007018b] : cloud file", "hr-0x8007018b",
		  CODE_HRESULT, "0x8007018B" },
		{ "hr=0X8007018B.", "hr-0x8007018b", CODE_HRESULT, "0x8007018B" },
		{ "0x80070005", "hr-0x80070005", CODE_HRESULT, "0x80070005" },
		{ "ptr 0x000000001A12E3F0 value 0x800700051", "", CODE_NONE, "" },
		{ "id10x80070005 x", "", CODE_NONE, "" },
		{ "short 0x8007005 x", "", CODE_NONE, "" },
		/* MARS ID in hex: [0x + exactly 5 hex digits + ] */
		{ "Error [0x1FC07] during activation", "mars-130055",
		  CODE_MARS_ID, "130055" },
		{ "Error [0x1fc07]", "mars-130055", CODE_MARS_ID, "130055" },
		{ "Error 0x1FC07 without brackets", "", CODE_NONE, "" },
		{ "Error [0x1FC07 unclosed", "", CODE_NONE, "" },
		{ "Please contact Microsoft Support (0x1FC07).", "mars-130055",
		  CODE_MARS_ID, "130055" },
		{ "Mismatched [0x1FC07)", "", CODE_NONE, "" },
		{ "Error [0x186D2]", "mars-130055", CODE_MARS_ID, "100050" },
		/* ID: decimal after ID and a colon (also full-width) */
		{ "Invalid vault credentials provided. (ID: 34513)",
		  "mars-34513", CODE_MARS_ID, "34513" },
		{ "提供的保管库凭据无效。(ID：34513)", "mars-34513",
		  CODE_MARS_ID, "34513" },
		{ "ID: 34513", "mars-34513", CODE_MARS_ID, "34513" },
		{ "ID :  34513 trailing", "mars-34513", CODE_MARS_ID, "34513" },
		{ "(ID：100050)", "mars-130055", CODE_MARS_ID, "100050" },
		{ "GUID: 34513", "", CODE_NONE, "" },
		{ "ID: 345130000", "", CODE_NONE, "" },
		{ "ID: 12", "", CODE_NONE, "" },
		{ "Id: 34513", "", CODE_NONE, "" },
		/* error code: + 8 hex digits without 0x */
		{ "PollAzureImportJob failed with error code: 1b7afbe0",
		  "hr-0x1b7afbe0", CODE_HRESULT, "0x1B7AFBE0" },
		{ "ERROR CODE:1B7AFBE0", "hr-0x1b7afbe0", CODE_HRESULT,
		  "0x1B7AFBE0" },
		{ "failed with error code: 80070005", "hr-0x80070005",
		  CODE_HRESULT, "0x80070005" },
		{ "error code: 1b7afbe01", "", CODE_NONE, "" },
		/* symbolic names, whole identifiers only */
		{ "Hit SalLowDiskSpace while initializing", "sal-low-disk-space",
		  CODE_NAME, "SalLowDiskSpace" },
		{ "SalVhdInitializationError", "sal-low-disk-space", CODE_NAME,
		  "SalVhdInitializationError" },
		{ "code=CBPSourceSnapshotFailed;", "cbp-source-snapshot-failed",
		  CODE_NAME, "CBPSourceSnapshotFailed" },
		{ "AnotherWSBJobRunning", "wsb-another-job", CODE_NAME,
		  "AnotherWSBJobRunning" },
		{ "CBPSourceSnapshotFailedLowDiskSpace", "", CODE_NONE, "" },
		{ "xSalLowDiskSpace", "", CODE_NONE, "" },
		{ "SalUnknownThing", "", CODE_NONE, "" },
		/* first catalog code in message order wins */
		{ "SalLowDiskSpace then (ID: 34513)", "sal-low-disk-space",
		  CODE_NAME, "SalLowDiskSpace" },
		{ "Hr: = [0x80004005] then (ID: 34513) then 0x80070005",
		  "mars-34513", CODE_MARS_ID, "34513" },
		/* codes beat text rules */
		{ "(407) Proxy Authentication Required (ID: 34513)",
		  "mars-34513", CODE_MARS_ID, "34513" },
		/* text rules, gated by their literal */
		{ "The remote server returned an error: (407) Proxy "
		  "Authentication Required.", "net-proxy-407", CODE_NONE, "" },
		{ "Last completed state for Ds Id 12345 is Succeeded",
		  "info-last-completed-state", CODE_NONE, "" },
		{ "Unable to connect to the remote server",
		  "", CODE_NONE, "" },	/* literal is case-sensitive */
		{ "Agent was unable to connect to Azure backup",
		  "net-unable-to-connect", CODE_NONE, "" },
		{ "(407) something else", "", CODE_NONE, "" },
		{ "x Last completed state for Ds Id 1", "", CODE_NONE, "" },
		/* text rule beats an unknown HRESULT */
		{ "Hr: = [0x80072EFD] (407) Proxy Authentication Required",
		  "net-proxy-407", CODE_NONE, "" },
		/* unknown failure HRESULT: the first one, entry NULL */
		{ "Failed: Hr: = [0x80780054] Offline Backup Progress: Failed",
		  "hresult-0x80780054", CODE_HRESULT, "0x80780054" },
		{ "Hr: = [0x00000001] then 0x8000ffff and 0x80004005",
		  "hresult-0x8000FFFF", CODE_HRESULT, "0x8000FFFF" },
		{ "error code: 00000005", "", CODE_NONE, "" },
		{ "0x00004005 0x40001234", "", CODE_NONE, "" },
		/* nothing */
		{ "Backup Progress: Prebackup started.", "", CODE_NONE, "" },
		{ "", "", CODE_NONE, "" },
		{ "0", "", CODE_NONE, "" },
		{ "0x", "", CODE_NONE, "" },
		{ ":", "", CODE_NONE, "" },
		{ "ID:", "", CODE_NONE, "" },
		{ "\xEF", "", CODE_NONE, "" },
		{ "\xEF\xBC", "", CODE_NONE, "" },
		{ "Sa", "", CODE_NONE, "" },
	};
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct classification r;
		char buf[96];
		const char *id = classify_id(f->cl, cases[i].msg, buf,
		    sizeof buf, &r);

		if (strcmp(id, cases[i].id) != 0 || r.kind != cases[i].kind ||
		    strcmp(r.code, cases[i].code) != 0)
			fail_msg("\"%s\": got id '%s' kind %d code '%s', want "
			    "'%s' %d '%s'", cases[i].msg, id, r.kind, r.code,
			    cases[i].id, cases[i].kind, cases[i].code);
	}
}

static void test_values(void **state)
{
	struct fixture *f = *state;
	struct classification r;
	/* Not NUL-terminated: the length decides, not a terminator. */
	const char msg[] = { 'I', 'D', ':', ' ', '3', '4', '5', '1', '3', '9' };

	assert_int_equal(classifier_classify(f->cl, "[0x1FC07]", 9, &r), 1);
	assert_int_equal(r.value, 130055);
	assert_int_equal(classifier_classify(f->cl, "0x80780054", 10, &r), 1);
	assert_int_equal(r.value, 0x80780054u);
	assert_int_equal(classifier_classify(f->cl, msg, 9, &r), 1);
	assert_string_equal(r.code, "34513");
	assert_int_equal(classifier_classify(f->cl, msg, sizeof msg, &r), 0);
	assert_null(r.entry);
	assert_int_equal(r.kind, CODE_NONE);
	assert_int_equal(classifier_classify(f->cl, "0x80070005", 9, &r), 0);
}

/* For every code of every entry: the forms MARS writes it in, in a log of
 * the entry's product. */
static void check_generated(struct classifier *cl, const struct catalog *cat)
{
	size_t i, j, k;

	for (i = 0; i < catalog_count(cat); i++) {
		const struct catalog_entry *e = catalog_at(cat, i);

		for (j = 0; j < e->ncodes; j++) {
			const char *code = e->codes[j];
			char msgs[5][160], buf[96];
			size_t n = 0;

			if (code[0] >= '0' && code[0] <= '9' && code[1] != 'x') {
				unsigned long v = strtoul(code, NULL, 10);

				snprintf(msgs[n++], 160, "Operation failed. "
				    "(ID: %lu) Please retry.", v);
				snprintf(msgs[n++], 160, "操作失败。(ID：%lu)", v);
				snprintf(msgs[n++], 160, "ID: %lu", v);
				if (v >= 0x10000 && v <= 0xFFFFF) {
					snprintf(msgs[n++], 160, "Job failed "
					    "with error [0x%lX].", v);
					snprintf(msgs[n++], 160, "Retry the "
					    "operation. (0x%lX)", v);
				}
			} else if (code[0] == '0') {
				unsigned long v = strtoul(code, NULL, 16);

				snprintf(msgs[n++], 160, "Failed: Hr: = "
				    "[0x%08lx] Backup failed", v);
				snprintf(msgs[n++], 160, "Failed: Hr: = "
				    "[0x%08lX] Backup failed", v);
				snprintf(msgs[n++], 160, "Poll failed with "
				    "error code: %08lx", v);
			} else {
				snprintf(msgs[n++], 160, "Job failed with %s "
				    "at stage 2", code);
			}
			for (k = 0; k < n; k++) {
				struct classification r;
				const char *id = classify_id(cl, msgs[k], buf,
				    sizeof buf, &r);

				/* A code with an entry per product: the one
				 * for the product of e. */
				if (r.entry != NULL && e->products !=
				    CAT_PRODUCT_BOTH) {
					const struct catalog_entry *pe =
					    catalog_for_product(cat, r.entry,
					    r.code, strlen(r.code), e->products);

					id = pe != NULL ? pe->id : "";
				}
				if (strcmp(id, e->id) != 0)
					fail_msg("code %s of %s: \"%s\" gives "
					    "'%s'", code, e->id, msgs[k], id);
				assert_string_equal(r.code, code);
			}
		}
	}
}

static void test_generated(void **state)
{
	struct fixture *f = *state;

	check_generated(f->cl, f->cat);
}

/* Read a case file into lines; returns NULL if the file does not exist. */
static char *read_all(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	if (fp == NULL)
		return NULL;
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n >= 0);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

/* "dpm:id" / "mars:id": the case is for an input of that product; strips
 * the prefix. */
static unsigned product_prefix(char **expected)
{
	if (strncmp(*expected, "dpm:", 4) == 0) {
		*expected += 4;
		return CAT_PRODUCT_DPM;
	}
	if (strncmp(*expected, "mars:", 5) == 0) {
		*expected += 5;
		return CAT_PRODUCT_MARS;
	}
	return CAT_PRODUCT_ANY;
}

/* The id reported for a hit in an input of `product` (as analysis.c
 * reports it): the product's entry, or for a code documented only for
 * the other product "hresult-0x..." / "code-..." (neutral advice). */
static const char *product_id(const struct catalog *cat,
    struct classification *r, unsigned product, char *buf, size_t len)
{
	const struct catalog_entry *e;

	if (r->entry == NULL)
		return r->kind == CODE_NONE ? "" : buf;
	e = catalog_for_product(cat, r->entry, r->code, strlen(r->code),
	    product);
	r->entry = e;
	if (e != NULL)
		return e->id;
	snprintf(buf, len, "%s-%s", r->kind == CODE_HRESULT ? "hresult" :
	    "code", r->code);
	return buf;
}

/* The next case line of a file read by read_all() (text on the first
 * call, NULL after), without its CR; comments and blank lines skipped.
 * *lineno counts the non-blank lines. */
static char *next_case(char *text, char **save, size_t *lineno)
{
	char *line;
	size_t len;

	while ((line = strtok_r(text, "\n", save)) != NULL) {
		text = NULL;
		(*lineno)++;
		len = strlen(line);
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if (line[0] != '#' && line[0] != '\0')
			return line;
	}
	return NULL;
}

static void test_cases_file(void **state)
{
	struct fixture *f = *state;
	char *text = read_all(CASES), *line, *save = NULL;
	unsigned char *covered;
	size_t i, lineno = 0, ncases = 0, missing = 0, wrong = 0;

	if (text == NULL) {
		/* Not written yet: only acceptable with an empty catalog. */
		assert_int_equal(catalog_count(f->cat), 0);
		skip();
	}
	covered = calloc(catalog_count(f->cat) + 1, 1);
	assert_non_null(covered);
	for (line = next_case(text, &save, &lineno); line != NULL;
	    line = next_case(NULL, &save, &lineno)) {
		struct classification r;
		char buf[96], *tab;
		const char *id;
		unsigned product;

		tab = strchr(line, '\t');
		if (tab == NULL)
			fail_msg("%s:%zu: no TAB", CASES, lineno);
		*tab = '\0';
		id = classify_id(f->cl, tab + 1, buf, sizeof buf, &r);
		product = product_prefix(&line);
		if (product != CAT_PRODUCT_ANY)
			id = product_id(f->cat, &r, product, buf, sizeof buf);
		if (strcmp(id, line) != 0) {
			/* Report every wrong line, then fail. */
			print_error("%s:%zu: \"%s\" gives '%s', want '%s'\n",
			    CASES, lineno, tab + 1, id, line);
			wrong++;
		}
		for (i = 0; r.entry != NULL && i < catalog_count(f->cat); i++)
			if (catalog_at(f->cat, i) == r.entry)
				covered[i] = 1;
		ncases++;
	}
	for (i = 0; i < catalog_count(f->cat); i++) {
		if (!covered[i]) {
			print_error("no case in %s for entry '%s'\n", CASES,
			    catalog_at(f->cat, i)->id);
			missing++;
		}
	}
	free(covered);
	free(text);
	assert_true(ncases > 0);
	assert_int_equal(wrong, 0);
	assert_int_equal(missing, 0);
}

/* test/cases/code-forms.txt: id<TAB>code<TAB>message, the entry and the
 * normalised code of every written form of a code. */
static void test_code_forms_file(void **state)
{
	struct fixture *f = *state;
	char *text = read_all(CODE_FORMS), *line, *save = NULL;
	size_t lineno = 0, ncases = 0, wrong = 0;

	assert_non_null(text);
	for (line = next_case(text, &save, &lineno); line != NULL;
	    line = next_case(NULL, &save, &lineno)) {
		struct classification r;
		char buf[96], *code, *msg;
		const char *id;
		code = strchr(line, '\t');
		msg = code != NULL ? strchr(code + 1, '\t') : NULL;
		if (msg == NULL)
			fail_msg("%s:%zu: want id<TAB>code<TAB>message",
			    CODE_FORMS, lineno);
		*code++ = '\0';
		*msg++ = '\0';
		id = classify_id(f->cl, msg, buf, sizeof buf, &r);
		if (strcmp(id, line) != 0 || strcmp(r.code, code) != 0) {
			print_error("%s:%zu: \"%s\" gives '%s' '%s', want "
			    "'%s' '%s'\n", CODE_FORMS, lineno, msg, id, r.code,
			    line, code);
			wrong++;
		}
		ncases++;
	}
	free(text);
	assert_true(ncases > 20);
	assert_int_equal(wrong, 0);
}

static void test_negative_file(void **state)
{
	struct fixture *f = *state;
	char *text = read_all(NEGATIVE), *line, *save = NULL;
	size_t lineno = 0, wrong = 0;

	if (text == NULL) {
		assert_int_equal(catalog_count(f->cat), 0);
		skip();
	}
	for (line = next_case(text, &save, &lineno); line != NULL;
	    line = next_case(NULL, &save, &lineno)) {
		struct classification r;
		char buf[96];
		const char *id;
		id = classify_id(f->cl, line, buf, sizeof buf, &r);
		if (id[0] != '\0') {
			print_error("%s:%zu: \"%s\" gives '%s', want "
			    "nothing\n", NEGATIVE, lineno, line, id);
			wrong++;
		}
	}
	free(text);
	assert_int_equal(wrong, 0);
}

static void test_builtin_generated(void **state)
{
	struct fixture *f = *state;

	check_generated(f->cl, f->cat);
}

static void test_empty_catalog(void **state)
{
	struct catalog *cat = catalog_new();
	struct classifier *cl;
	struct classification r;
	char err[256] = "";

	(void)state;
	assert_non_null(cat);
	cl = classifier_new(cat, err, sizeof err);
	assert_non_null(cl);
	assert_int_equal(classifier_classify(cl, "(ID: 34513)", 11, &r), 0);
	assert_int_equal(classifier_classify(cl, "SalLowDiskSpace", 15, &r),
	    0);
	assert_int_equal(classifier_classify(cl, "x 0x80070005", 12, &r), 1);
	assert_null(r.entry);
	assert_string_equal(r.code, "0x80070005");
	assert_int_equal(classifier_classify(cl, "error code: 8007000e",
	    20, &r), 1);
	assert_string_equal(r.code, "0x8007000E");
	classifier_free(cl);
	classifier_free(NULL);
	catalog_free(cat);
}

static void test_bad_regex(void **state)
{
	/* A bad regex is rejected when the catalog is loaded, with its
	 * line, so a classifier never meets one. */
	struct catalog *cat = catalog_new();
	char err[256] = "";
	const char *text =
	    "id\tlevel\tcategory\tcodes\tliteral\tregex\tdoc_url\ttitle_en\t"
	    "cause_en\tfix_en\ttitle_zh\tcause_zh\tfix_zh\n"
	    "r-1\terror\tnetwork\t\tabc\tabc(\thttps://x.test/\tT\tC\tF\tt\tc"
	    "\tf\n";

	(void)state;
	assert_non_null(cat);
	assert_int_equal(catalog_load_text(cat, "rx.tsv", text, strlen(text),
	    err, sizeof err), -1);
	assert_string_equal(err, "rx.tsv:2: bad regex: missing closing "
	    "parenthesis at offset 4");
	catalog_free(cat);
}

static void test_normalise(void **state)
{
	static const struct {
		const char *in;
		enum code_kind kind;
		const char *out;
	} cases[] = {
		{ "0x80070005", CODE_HRESULT, "0x80070005" },
		{ "80070005", CODE_HRESULT, "0x80070005" },
		{ "0X8007018b", CODE_HRESULT, "0x8007018B" },
		{ " 0x8007018b\n", CODE_HRESULT, "0x8007018B" },
		{ "1b7afbe0", CODE_HRESULT, "0x1B7AFBE0" },
		{ "-2147024891", CODE_HRESULT, "0x80070005" },
		{ "34513", CODE_MARS_ID, "34513" },
		{ "403", CODE_MARS_ID, "403" },
		{ "0x1FC07", CODE_MARS_ID, "130055" },
		{ "0x1fc07", CODE_MARS_ID, "130055" },
		{ "SalLowDiskSpace", CODE_NAME, "SalLowDiskSpace" },
		{ "CBPSourceSnapshotFailed", CODE_NAME, "CBPSourceSnapshotFailed" },
		{ "", CODE_NONE, "" },
		{ "0x", CODE_NONE, "" },
		{ "0x8007", CODE_NONE, "" },
		{ "0x800700055", CODE_NONE, "" },
		{ "12345678901", CODE_NONE, "" },
		{ "1FC07", CODE_NONE, "" },
		{ "not a code", CODE_NONE, "" },
		{ "-0", CODE_NONE, "" },
	};
	size_t i;
	char out[64];

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		enum code_kind k = code_normalise(cases[i].in, out, sizeof out);

		if (k != cases[i].kind || strcmp(out, cases[i].out) != 0)
			fail_msg("\"%s\": got %d '%s', want %d '%s'",
			    cases[i].in, k, out, cases[i].kind, cases[i].out);
	}
	assert_int_equal(code_normalise("0x80070005", out, 10), CODE_NONE);
	assert_string_equal(out, "");
	assert_int_equal(code_normalise("0x80070005", out, 11), CODE_HRESULT);
}

int main(void)
{
	const struct CMUnitTest mini[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_generated),
	};
	const struct CMUnitTest builtin[] = {
		cmocka_unit_test(test_cases_file),
		cmocka_unit_test(test_code_forms_file),
		cmocka_unit_test(test_negative_file),
		cmocka_unit_test(test_builtin_generated),
	};
	const struct CMUnitTest other[] = {
		cmocka_unit_test(test_empty_catalog),
		cmocka_unit_test(test_bad_regex),
		cmocka_unit_test(test_normalise),
	};
	int fails = 0;

	fails += cmocka_run_group_tests_name("classify (mini catalog)", mini,
	    setup_mini, teardown);
	fails += cmocka_run_group_tests_name("classify (built-in catalog)",
	    builtin, setup_builtin, teardown);
	fails += cmocka_run_group_tests_name("classify", other, NULL, NULL);
	return fails != 0;
}
