/* SPDX-License-Identifier: MIT */
/*
 * test_json.c -- the summary's JSON form: exact layout, string escaping of
 * hostile text, round trips (writer -> reader -> writer gives the same
 * bytes), reader errors with their line:col, reading files and stdin,
 * atomic report output (failing writer, missing directory, full disk),
 * and a 1,000,000-row summary written and read back.
 */
#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "parsers/record.h"
#include "reports/json.h"
#include "reports/report.h"
#include "reports/summary.h"
#include "test/test_util.h"

#define T0 INT64_C(1717723405640)	/* 2024-06-07T01:23:25.640Z */

/* ---------------------------------------------------------- helpers */

static char *
escape(const char *s, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	json_write_string(fp, s, n);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

/* Is the whole buffer valid UTF-8? */
static int
valid_utf8(const char *s, size_t n)
{
	size_t i = 0, l;

	while (i < n) {
		if (!(l = json_utf8_len((const unsigned char *)s + i, n - i)))
			return 0;
		i += l;
	}
	return 1;
}

/* Do two files hold the same bytes? */
static int
same_file(const char *p1, const char *p2)
{
	FILE *a = fopen(p1, "rb"), *b = fopen(p2, "rb");
	static char ba[65536], bb[65536];
	size_t na, nb;
	int same = a && b;

	while (same) {
		na = fread(ba, 1, sizeof(ba), a);
		nb = fread(bb, 1, sizeof(bb), b);
		same = na == nb && memcmp(ba, bb, na) == 0;
		if (na == 0)
			break;
	}
	if (a)
		fclose(a);
	if (b)
		fclose(b);
	return same;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n >= 0);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	if (len)
		*len = (size_t)n;
	return buf;
}

static void
spit(const char *path, const char *text)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

/* Number of entries in dir other than . and .. */
static int
count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void
remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[4096];

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The small summary whose JSON is pinned in `golden`. */
static struct summary *
small_summary(void)
{
	struct summary *s = summary_new();
	struct summary_machine *m;
	struct summary_input *in;
	struct summary_finding *f;
	struct summary_job *j;
	struct summary_failed_file *ff;
	struct summary_template *t;

	assert_non_null(s);
	assert_int_equal(summary_set_str(&s->generator, "marslog 0.1.0"), 0);
	m = summary_machine_get(s, "FS01", NULL);
	m->inputs = 1;
	m->records = 10;
	m->errors = 2;
	m->warnings = 1;
	assert_int_equal(summary_set_str(&m->agent_version, "2.0.9254.0"), 0);
	m->agent_version_time = T0;
	m->first_seen = T0;
	m->last_seen = T0 + 60000;
	in = summary_input_add(s, "FS01", "fs01.zip!Temp/CBEngineCurr.errlog");
	in->kind = INPUT_ERRLOG;
	in->encoding = TEXT_UTF16LE;
	assert_int_equal(summary_set_str(&in->form, "tab"), 0);
	in->bytes = 1234;
	in->records = 10;
	f = summary_finding_get(s, "FS01", "mars-34513", NULL);
	assert_int_equal(summary_set_str(&f->code, "34513"), 0);
	f->level = CAT_LEVEL_ERROR;
	assert_int_equal(summary_set_str(&f->title, "Registration failed"),
	    0);
	f->count = 2;
	f->first_seen = f->last_seen = T0;
	assert_int_equal(summary_sample_offer(s, &f->sample,
	    "fs01.zip!Temp/CBEngineCurr.errlog", 7, "ERROR <x>", T0), 0);
	j = summary_job_get(s, "FS01", "F3E32129-DC79-4A28-9ACC-3F30CB5810B6",
	    NULL);
	j->kind = JOB_BACKUP;
	j->start = T0;
	j->end = T0 + 60000;
	j->outcome = JOB_FAILED;
	j->outcome_time = j->end;
	assert_int_equal(summary_set_str(&j->hresult, "0x80780054"), 0);
	ff = summary_failed_file_get(s, "FS01", "D:\\Data\\a.docx",
	    "0x80070005", NULL);
	ff->count = 1;
	t = summary_template_get(s, "FS01", "Unknown thing <N>", NULL);
	t->count = 1;
	t->level = CAT_LEVEL_WARNING;
	assert_int_equal(summary_timeline_add(s, "FS01", T0, CAT_LEVEL_ERROR,
	    2), 0);
	summary_finish(s);
	return s;
}

static const char golden[] =
	"{\n"
	"  \"schema\": \"marslog-summary/1\",\n"
	"  \"generator\": \"marslog 0.1.0\",\n"
	"  \"redaction\": null,\n"
	"  \"changes\": null,\n"
	"  \"fleet\": {\"as_of\": \"2024-06-07T01:24:25.640Z\", \"stale_after_hours\": 26, \"stale\": [\"FS01\"]},\n"
	"  \"history\": null,\n"
	"  \"totals\": {\n"
	"    \"inputs\": 1,\n"
	"    \"inputs_skipped\": 0,\n"
	"    \"bytes\": 1234,\n"
	"    \"records\": 10,\n"
	"    \"unparsed_lines\": 0,\n"
	"    \"findings\": 1,\n"
	"    \"errors\": 2,\n"
	"    \"warnings\": 1,\n"
	"    \"jobs\": 1,\n"
	"    \"jobs_failed\": 1,\n"
	"    \"failed_files\": 1\n"
	"  },\n"
	"  \"machines\": [\n"
	"    {\"name\": \"FS01\", \"inputs\": 1, \"inputs_skipped\": 0"
	", \"records\": 10, \"errors\": 2, \"warnings\": 1, \"jobs\": 1"
	", \"jobs_failed\": 1, \"failed_files\": 1"
	", \"agent_version\": \"2.0.9254.0\""
	", \"agent_version_time\": \"2024-06-07T01:23:25.640Z\""
	", \"first_seen\": \"2024-06-07T01:23:25.640Z\""
	", \"last_seen\": \"2024-06-07T01:24:25.640Z\""
	", \"records_outside\": 0, \"newest_record\": null"
	", \"last_job_task\": \"F3E32129-DC79-4A28-9ACC-3F30CB5810B6\""
	", \"last_job_outcome\": \"failed\""
	", \"last_job_end\": \"2024-06-07T01:24:25.640Z\""
	", \"last_success\": null, \"top_finding\": \"mars-34513\", \"hours_since_success\": null, \"stale\": true"
	", \"verdict\": \"failing\", \"verdict_finding\": \"hresult-0x80780054\"}\n"
	"  ],\n"
	"  \"inputs\": [\n"
	"    {\"machine\": \"FS01\""
	", \"path\": \"fs01.zip!Temp/CBEngineCurr.errlog\""
	", \"kind\": \"errlog\", \"encoding\": \"utf-16le\""
	", \"form\": \"tab\", \"bytes\": 1234, \"records\": 10, \"unparsed_lines\": 0"
	", \"lines_cut\": 0, \"replacements\": 0, \"status\": \"ok\""
	", \"warning\": null, \"mtime\": null, \"year\": null"
	", \"year_source\": null}\n"
	"  ],\n"
	"  \"findings\": [\n"
	"    {\"machine\": \"FS01\", \"id\": \"mars-34513\""
	", \"code\": \"34513\", \"level\": \"error\""
	", \"category\": null, \"title\": \"Registration failed\""
	", \"cause\": null, \"remediation\": null, \"doc_url\": null"
	", \"count\": 2, \"first_seen\": \"2024-06-07T01:23:25.640Z\""
	", \"last_seen\": \"2024-06-07T01:23:25.640Z\""
	", \"sample\": {\"path\": \"fs01.zip!Temp/CBEngineCurr.errlog\""
	", \"line\": 7, \"message\": \"ERROR \\u003cx\\u003e\""
	", \"time\": \"2024-06-07T01:23:25.640Z\"}, \"current\": true"
	", \"evidence\": []}\n"
	"  ],\n"
	"  \"jobs\": [\n"
	"    {\"machine\": \"FS01\""
	", \"task_id\": \"F3E32129-DC79-4A28-9ACC-3F30CB5810B6\""
	", \"kind\": \"backup\""
	", \"start\": \"2024-06-07T01:23:25.640Z\""
	", \"end\": \"2024-06-07T01:24:25.640Z\""
	", \"outcome\": \"failed\""
	", \"outcome_time\": \"2024-06-07T01:24:25.640Z\""
	", \"hresult\": \"0x80780054\", \"failed_files\": 0"
	", \"task_error\": null, \"task_error_time\": null"
	", \"task_warning\": null, \"task_warning_time\": null"
	", \"reason\": \"hresult-0x80780054\""
	", \"reason_title\": \"0x80780054: FACILITY_WINDOWS_BACKUP (0x78) error 0x0054\""
	", \"evidence\": []}\n"
	"  ],\n"
	"  \"failed_files\": [\n"
	"    {\"machine\": \"FS01\", \"path\": \"D:\\\\Data\\\\a.docx\""
	", \"code\": \"0x80070005\", \"count\": 1}\n"
	"  ],\n"
	"  \"templates\": [\n"
	"    {\"machine\": \"FS01\""
	", \"text\": \"Unknown thing \\u003cN\\u003e\""
	", \"level\": \"warning\", \"count\": 1, \"first_seen\": null"
	", \"last_seen\": null, \"sample\": null}\n"
	"  ],\n"
	"  \"timeline\": [\n"
	"    {\"machine\": \"FS01\""
	", \"hour\": \"2024-06-07T01:00:00.000Z\", \"errors\": 2"
	", \"warnings\": 0}\n"
	"  ],\n"
	"  \"templates_dropped\": 0\n"
	"}\n";

/* ------------------------------------------------------------ tests */

static void
test_layout(void **state)
{
	struct summary *s = small_summary(), *r;
	char err[256], *json, *again;
	size_t len;

	(void)state;
	json = test_json(s, &len);
	assert_string_equal(json, golden);
	r = summary_from_json(json, len, err, sizeof(err));
	if (!r)
		fail_msg("%s", err);
	again = test_json(r, NULL);
	assert_string_equal(again, golden);
	/* the reader keeps every field, so finishing again changes nothing */
	summary_finish(r);
	free(again);
	again = test_json(r, NULL);
	assert_string_equal(again, golden);
	free(again);
	free(json);
	summary_free(r);
	summary_free(s);
}

static void
test_escape(void **state)
{
	static const struct {
		const char *in;
		size_t n;
		const char *out;
	} cases[] = {
		{ "plain", 5, "\"plain\"" },
		{ "\"\\/", 3, "\"\\\"\\\\/\"" },
		{ "\b\f\n\r\t", 5, "\"\\b\\f\\n\\r\\t\"" },
		{ "\0\x01\x1f\x7f", 4, "\"\\u0000\\u0001\\u001f\\u007f\"" },
		{ "</script>", 9, "\"\\u003c/script\\u003e\"" },
		{ "a&b", 3, "\"a\\u0026b\"" },
		{ "=HYPERLINK(\"http://x\",\"y\")", 26,
		    "\"=HYPERLINK(\\\"http://x\\\",\\\"y\\\")\"" },
		/* CJK, emoji and 2-byte text pass through */
		{ "\xe6\x9c\x8d\xe5\x8a\xa1\xf0\x9f\x98\x80\xc3\xa9", 12,
		    "\"\xe6\x9c\x8d\xe5\x8a\xa1\xf0\x9f\x98\x80\xc3\xa9\"" },
		/* JavaScript line terminators */
		{ "\xe2\x80\xa8\xe2\x80\xa9", 6, "\"\\u2028\\u2029\"" },
		/* invalid bytes, one U+FFFD each */
		{ "\xff", 1, "\"\xef\xbf\xbd\"" },
		{ "a\x80z", 3, "\"a\xef\xbf\xbdz\"" },
		{ "\xc0\xaf", 2, "\"\xef\xbf\xbd\xef\xbf\xbd\"" },
		{ "\xe0\x80\xaf", 3,
		    "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" },
		{ "\xed\xa0\x80", 3,
		    "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" },
		{ "\xf4\x90\x80\x80", 4, "\"\xef\xbf\xbd\xef\xbf\xbd"
		    "\xef\xbf\xbd\xef\xbf\xbd\"" },
		{ "\xe2\x82", 2, "\"\xef\xbf\xbd\xef\xbf\xbd\"" },
		{ "\xf0\x9f\x98", 3,
		    "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" },
		{ "\xf8\x88\x80\x80\x80", 5, "\"\xef\xbf\xbd\xef\xbf\xbd"
		    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" },
	};
	size_t i;
	int c;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = escape(cases[i].in, cases[i].n);

		assert_string_equal(got, cases[i].out);
		assert_true(valid_utf8(got, strlen(got)));
		free(got);
	}
	/* every control character has an escape, never a raw byte */
	for (c = 0; c < 0x20; c++) {
		char in = (char)c, *got = escape(&in, 1);

		assert_true(got[0] == '"' && got[1] == '\\');
		assert_true(strlen(got) == 4 || strlen(got) == 8);
		free(got);
	}
}

/* Strings a log can throw at us. */
static const char *const hostile[] = {
	"quote \" and backslash \\ and slash /",
	("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10"
	    "\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f"),
	"</script><script>alert(1)</script>",
	"=HYPERLINK(\"http://evil\",\"click\")",
	"\xe5\xa4\x87\xe4\xbb\xbd\xe5\xa4\xb1\xe8\xb4\xa5 \xf0\x9f\x98\x80",
	"\xe2\x80\xa8 line sep",
	"invalid \xff\xfe bytes \xc0\xaf overlong \xed\xa0\x80 surrogate",
	"cut \xe2\x82",
	"\x1b[31mred\x1b[0m",
	"",
};
#define NHOSTILE (sizeof(hostile) / sizeof(hostile[0]))

static void
test_hostile_roundtrip(void **state)
{
	struct summary *s = summary_new(), *r;
	char err[256], *json, *again, key[32];
	size_t i, len;

	(void)state;
	assert_int_equal(summary_set_str(&s->generator, hostile[1]), 0);
	assert_int_equal(summary_set_str(&s->redaction, hostile[3]), 0);
	for (i = 0; i < NHOSTILE; i++) {
		const char *h = hostile[i];
		struct summary_machine *m = summary_machine_get(s, h, NULL);
		struct summary_input *in = summary_input_add(s, h, h);
		struct summary_finding *f;
		struct summary_job *j;
		struct summary_template *t;

		m->records = i;
		assert_int_equal(summary_set_str(&m->agent_version, h), 0);
		assert_int_equal(summary_set_str(&in->warning, h), 0);
		snprintf(key, sizeof(key), "id-%zu", i);
		f = summary_finding_get(s, h, key, NULL);
		f->count = i + 1;
		assert_int_equal(summary_set_str(&f->code, h), 0);
		assert_int_equal(summary_set_str(&f->title, h), 0);
		assert_int_equal(summary_set_str(&f->cause, h), 0);
		assert_int_equal(summary_set_str(&f->remediation, h), 0);
		assert_int_equal(summary_set_str(&f->doc_url, h), 0);
		assert_int_equal(summary_set_str(&f->category, h), 0);
		assert_int_equal(summary_sample_offer(s, &f->sample, h, i, h, T0),
		    0);
		j = summary_job_get(s, h, h, NULL);
		assert_int_equal(summary_set_str(&j->hresult, h), 0);
		assert_non_null(summary_failed_file_get(s, h, h, h, NULL));
		t = summary_template_get(s, h, h, NULL);
		t->count = 1;
		assert_int_equal(summary_sample_offer(s, &t->sample, h, 1, h,
		    ML_TIME_NONE), 0);
		assert_int_equal(summary_timeline_add(s, h, T0,
		    CAT_LEVEL_WARNING, 1), 0);
	}
	summary_finish(s);
	json = test_json(s, &len);
	assert_true(valid_utf8(json, len));
	for (i = 0; i < len; i++)
		assert_false((unsigned char)json[i] < 0x20 && json[i] != '\n');
	assert_null(strstr(json, "</script"));
	assert_non_null(strstr(json, "\\u003c/script\\u003e"));
	r = summary_from_json(json, len, err, sizeof(err));
	if (!r)
		fail_msg("%s", err);
	again = test_json(r, NULL);
	assert_string_equal(json, again);
	/* valid strings come back unchanged */
	assert_non_null(summary_finding_get(r, hostile[0], "id-0", NULL));
	assert_string_equal(summary_finding_get(r, hostile[1], "id-1",
	    NULL)->title, hostile[1]);
	assert_string_equal(summary_finding_get(r, hostile[4], "id-4",
	    NULL)->sample.message, hostile[4]);
	assert_non_null(summary_failed_file_get(r, hostile[2], hostile[2],
	    hostile[2], NULL));
	assert_string_equal(r->generator, hostile[1]);
	assert_string_equal(r->redaction, hostile[3]);
	/* invalid UTF-8 came back as U+FFFD */
	assert_non_null(summary_template_find(r, "cut \xef\xbf\xbd\xef\xbf\xbd",
	    "cut \xef\xbf\xbd\xef\xbf\xbd"));
	free(json);
	free(again);
	summary_free(r);
	summary_free(s);
}

/* What the reader accepts beyond the writer's exact output. */
static void
test_reader_lenient(void **state)
{
	static const char text[] =
	    "\xef\xbb\xbf{\"future\": {\"a\": [1, -2.5e+3, true, false, null, "
	    "\"x\"]},\n"
	    " \"schema\": \"marslog-summary/1\",\n"
	    " \"failed_files\": [{\"count\": 3, \"code\": null, \"extra\": "
	    "[[[]]], \"path\": \"\\ud83d\\ude00 \\u00e9\\/\\u0041\", "
	    "\"machine\": \"m\"}],\n"
	    " \"findings\": [{\"machine\": \"m\", \"id\": \"x\", \"title\": "
	    "\"lone \\ud800 nul \\u0000 raw \xff ctl \x01 end\"}],\n"
	    " \"machines\": [{\"name\": \"m\"}], \"templates_dropped\": "
	    "18446744073709551615}";
	struct summary *s;
	char err[256];

	(void)state;
	/* a UTF-8 BOM is not JSON */
	s = summary_from_json(text, sizeof(text) - 1, err, sizeof(err));
	assert_null(s);
	assert_string_equal(err, "1:1: expected an object");
	s = summary_from_json(text + 3, sizeof(text) - 4, err, sizeof(err));
	if (!s)
		fail_msg("%s", err);
	assert_int_equal(s->nfailed_files, 1);
	assert_string_equal(s->failed_files[0].path,
	    "\xf0\x9f\x98\x80 \xc3\xa9/A");
	assert_null(s->failed_files[0].code);
	assert_int_equal(s->failed_files[0].count, 3);
	assert_true(s->templates_dropped == UINT64_MAX);
	/* absent fields keep the defaults of a new item */
	assert_int_equal(s->findings[0].level, CAT_LEVEL_INFO);
	assert_true(s->findings[0].first_seen == ML_TIME_NONE);
	assert_null(s->findings[0].sample.path);
	assert_string_equal(s->findings[0].title, "lone \xef\xbf\xbd nul "
	    "\xef\xbf\xbd raw \xef\xbf\xbd ctl \xef\xbf\xbd end");
	summary_free(s);
}

static void
test_reader_errors(void **state)
{
	static const struct {
		const char *json, *err;
	} cases[] = {
		{ "", "1:1: unexpected end of input, expected an object" },
		{ "[]", "1:1: expected an object" },
		{ "{}", "1:1: not a marslog summary (no \"schema\")" },
		{ "{\"schema\": \"marslog-summary/2\"}",
		    "1:12: unsupported schema \"marslog-summary/2\" "
		    "(expected \"marslog-summary/1\")" },
		{ "{\"schema\": 1}", "1:12: \"schema\": expected a string" },
		{ "{\"schema\": \"marslog-summary/1\", \"machines\": [",
		    "1:46: unexpected end of input" },
		{ "{\"schema\": \"marslog-summary/1\", \"machines\": [{\"na",
		    "1:47: unterminated string" },
		{ "{\"schema\": \"marslog-summary/1\"", "1:31: unexpected end "
		    "of input, expected ',' or '}'" },
		{ "{\"schema\": \"marslog-summary/1\",}",
		    "1:32: expected a key" },
		{ "{\"schema\": \"marslog-summary/1\"} x",
		    "1:33: unexpected data after the summary" },
		{ "{\"generator\": \"a\\x\"}",
		    "1:17: invalid escape in string" },
		{ "{\"generator\": \"\\u12G4\"}", "1:16: invalid \\u escape" },
		{ "{\"generator\": \"\\u12\"}", "1:16: invalid \\u escape" },
		{ "{\"generator\": nul}", "1:15: \"generator\": expected a "
		    "string or null" },
		{ "{\"x\": nul}", "1:7: invalid literal" },
		{ "{\"x\": 01}", "1:8: expected ',' or '}'" },
		{ "{\"x\": 1.}", "1:9: invalid number" },
		{ "{\"x\": -}", "1:7: unexpected character" },
		{ "{\"schema\": \"marslog-summary/1\",\n\"machines\": {}}",
		    "2:13: \"machines\": expected an array" },
		{ "{\"schema\": \"marslog-summary/1\",\n\"totals\": []}",
		    "2:11: \"totals\": expected an object" },
		{ "{\"schema\": \"marslog-summary/1\",\n  \"failed_files\": "
		    "[\n    {\"machine\": \"m\", \"path\": \"p\", \"count\": "
		    "\"5\"}]}",
		    "3:44: \"count\": expected a non-negative integer" },
		{ "{\"totals\": {\"bytes\": -1}}",
		    "1:22: \"bytes\": expected a non-negative integer" },
		{ "{\"totals\": {\"bytes\": 1.5}}",
		    "1:22: \"bytes\": expected a non-negative integer" },
		{ "{\"totals\": {\"bytes\": 1e3}}",
		    "1:22: \"bytes\": expected a non-negative integer" },
		{ "{\"totals\": {\"bytes\": 18446744073709551616}}",
		    "1:22: \"bytes\": integer out of range" },
		{ "{\"findings\": [{\"machine\": \"m\", \"id\": \"i\", "
		    "\"level\": \"fatal\"}]}",
		    "1:52: \"level\": unknown value" },
		{ "{\"jobs\": [{\"machine\": \"m\", \"task_id\": \"t\", "
		    "\"start\": \"yesterday\"}]}",
		    "1:53: \"start\": invalid time" },
		{ "{\"jobs\": [{\"machine\": \"m\", \"task_id\": 7}]}",
		    "1:39: \"task_id\": expected a string or null" },
		{ "{\"jobs\": [{\"machine\": \"m\"}]}",
		    "1:11: jobs item without \"task_id\"" },
		{ "{\"machines\": [{\"name\": \"a\"}, {\"name\": \"a\"}]}",
		    "1:30: repeated machines item" },
		{ "{\"findings\": [{\"machine\": \"m\", \"id\": \"i\", "
		    "\"sample\": 3}]}",
		    "1:53: \"sample\": expected an object" },
		{ "{\"generator\": \"\xe6\x9c\x8d\", \"x\" 1}",
		    "1:24: expected ':'" },
	};
	char err[256], deep[300], lb[64], rb[64];
	struct summary *s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		s = summary_from_json(cases[i].json, strlen(cases[i].json),
		    err, sizeof(err));
		assert_null(s);
		if (strcmp(err, cases[i].err) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, err,
			    cases[i].err);
	}
	/* nesting: 63 arrays inside the document object pass, 64 fail */
	memset(lb, '[', sizeof(lb));
	memset(rb, ']', sizeof(rb));
	snprintf(deep, sizeof(deep), "{\"schema\": \"marslog-summary/1\", "
	    "\"x\": %.63s%.63s}", lb, rb);
	s = summary_from_json(deep, strlen(deep), err, sizeof(err));
	if (!s)
		fail_msg("%s", err);
	summary_free(s);
	snprintf(deep, sizeof(deep), "{\"x\": %.64s%.64s}", lb, rb);
	assert_null(summary_from_json(deep, strlen(deep), err, sizeof(err)));
	assert_string_equal(err, "1:70: nesting deeper than 64");
}

/* ------------------------------------------------------ files, atomic */

struct tmpdir {
	char path[64];
};

static int
setup_dir(void **state)
{
	struct tmpdir *d = malloc(sizeof(*d));

	if (!d)
		return -1;
	snprintf(d->path, sizeof(d->path), "/tmp/test_json.XXXXXX");
	if (!mkdtemp(d->path)) {
		free(d);
		return -1;
	}
	*state = d;
	return 0;
}

static int
teardown_dir(void **state)
{
	struct tmpdir *d = *state;

	remove_tree(d->path);
	free(d);
	return 0;
}

static void
test_read_file(void **state)
{
	struct tmpdir *d = *state;
	struct summary *s = small_summary(), *r;
	char path[128], err[512], want[256];
	int status;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/s.json", d->path);
	spit(path, golden);
	r = summary_read_json_file(path, err, sizeof(err));
	if (!r)
		fail_msg("%s", err);
	summary_free(r);

	/* errors carry the file name */
	spit(path, "{\n  \"schema\": \"other/1\"\n}\n");
	assert_null(summary_read_json_file(path, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s:2:13: unsupported schema "
	    "\"other/1\" (expected \"marslog-summary/1\")", path);
	assert_string_equal(err, want);
	snprintf(path, sizeof(path), "%s/missing.json", d->path);
	assert_null(summary_read_json_file(path, err, sizeof(err)));
	snprintf(want, sizeof(want), "cannot open %s: No such file or "
	    "directory", path);
	assert_string_equal(err, want);
	assert_null(summary_read_json_file(d->path, err, sizeof(err)));
	assert_non_null(strstr(err, "Is a directory"));

	/* "-" is standard input */
	snprintf(path, sizeof(path), "%s/s.json", d->path);
	spit(path, golden);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char cerr[256];
		struct summary *c;

		if (!freopen(path, "r", stdin))
			_exit(2);
		c = summary_read_json_file("-", cerr, sizeof(cerr));
		if (!c || c->nfailed_files != 1)
			_exit(1);
		summary_free(c);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	summary_free(s);
}

static void
test_writer_find(void **state)
{
	(void)state;
	assert_ptr_equal(report_writer_find("json"), &report_writer_json);
	assert_string_equal(report_writer_json.name, "json");
	assert_null(report_writer_find("nope"));
	assert_null(report_writer_find(NULL));
}

/* A writer that fails halfway through. */
static int
half_write(const struct summary *s, const struct report_options *o,
    FILE *fp, const char *path, char *err, size_t errlen)
{
	(void)s;
	(void)o;
	(void)path;
	fputs("{\n  \"schema\": ", fp);
	snprintf(err, errlen, "test writer failed");
	return -1;
}

static const struct report_writer half_writer = {
	.name = "half",
	.write = half_write,
};

static void
test_atomic_write(void **state)
{
	struct tmpdir *d = *state;
	struct report_options o;
	struct summary *s = small_summary();
	char path[128], err[512], want[512], *got;
	struct stat st;
	mode_t old = umask(027);

	memset(&o, 0, sizeof(o));
	snprintf(path, sizeof(path), "%s/report.json", d->path);
	assert_int_equal(report_write(&report_writer_json, s, &o, path, err,
	    sizeof(err)), 0);
	got = slurp(path, NULL);
	assert_string_equal(got, golden);
	free(got);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	assert_int_equal(count_entries(d->path), 1);

	/* a failing writer leaves the old report and no temporary file */
	assert_int_equal(report_write(&half_writer, s, &o, path, err,
	    sizeof(err)), -1);
	snprintf(want, sizeof(want), "cannot write %s: test writer failed",
	    path);
	assert_string_equal(err, want);
	got = slurp(path, NULL);
	assert_string_equal(got, golden);
	free(got);
	assert_int_equal(count_entries(d->path), 1);

	/* a directory that does not exist */
	snprintf(path, sizeof(path), "%s/no/such/dir/r.json", d->path);
	assert_int_equal(report_write(&report_writer_json, s, &o, path, err,
	    sizeof(err)), -1);
	snprintf(want, sizeof(want), "cannot write %s: No such file or "
	    "directory", path);
	assert_string_equal(err, want);
	assert_int_equal(count_entries(d->path), 1);

	/* a target that is a directory: rename fails, temp removed */
	snprintf(path, sizeof(path), "%s/sub", d->path);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(report_write(&report_writer_json, s, &o, path, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot write "));
	assert_int_equal(count_entries(d->path), 2);
	assert_int_equal(rmdir(path), 0);
	umask(old);
	summary_free(s);
}

/* A full disk, simulated with RLIMIT_FSIZE in a child (SIGXFSZ ignored so
 * the write fails with EFBIG instead of killing it). */
static void
test_full_disk(void **state)
{
	struct tmpdir *d = *state;
	char path[128];
	int status;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/report.json", d->path);
	spit(path, "old report\n");
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit rl = { 4096, 4096 };
		struct report_options o;
		struct summary *s = summary_new();
		char err[512], p[64];
		int i, rc;

		memset(&o, 0, sizeof(o));
		for (i = 0; s && i < 2000; i++) {
			snprintf(p, sizeof(p), "D:\\data\\file-%d.docx", i);
			if (!summary_failed_file_get(s, "FS01", p, NULL, NULL))
				_exit(3);
		}
		summary_finish(s);
		signal(SIGXFSZ, SIG_IGN);
		if (setrlimit(RLIMIT_FSIZE, &rl) < 0)
			_exit(4);
		rc = report_write(&report_writer_json, s, &o, path, err,
		    sizeof(err));
		summary_free(s);
		if (rc != -1)
			_exit(1);
		if (!strstr(err, "cannot write ") ||
		    !strstr(err, "File too large"))
			_exit(2);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	{
		char *got = slurp(path, NULL);

		assert_string_equal(got, "old report\n");
		free(got);
	}
	assert_int_equal(count_entries(d->path), 1);
}

static void
test_stdout(void **state)
{
	struct tmpdir *d = *state;
	char path[128], *got;
	int status;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/stdout.json", d->path);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct report_options o;
		struct summary *s = small_summary();
		char err[256];
		int rc;

		memset(&o, 0, sizeof(o));
		if (!freopen(path, "w", stdout))
			_exit(2);
		rc = report_write(&report_writer_json, s, &o, "-", err,
		    sizeof(err));
		summary_free(s);
		_exit(rc == 0 ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	got = slurp(path, NULL);
	assert_string_equal(got, golden);
	free(got);
	unlink(path);
}

/* ------------------------------------------------------------- scale */

#define BIG_ROWS 1000000

static void
test_million(void **state)
{
	static const char *const codes[] = { "0x80070005", "0x80070020",
		"0x8007052E", NULL };
	struct tmpdir *d = *state;
	struct report_options o;
	struct summary *s = summary_new(), *r;
	char path[128], path2[128], p[96], err[512];
	struct stat st;
	double t0, t1, t2, t3;
	uint32_t x = 12345;
	int i;

	memset(&o, 0, sizeof(o));
	t0 = now_s();
	for (i = 0; i < BIG_ROWS; i++) {
		struct summary_failed_file *ff;

		x = x * 1103515245u + 12345u;
		snprintf(p, sizeof(p), "D:\\Data\\dir%03d\\file%07d.docx",
		    i % 997, i);
		ff = summary_failed_file_get(s, i % 3 ? "FS01" : "FS02", p,
		    codes[i % 4], NULL);
		assert_non_null(ff);
		ff->count = 1 + (x >> 16) % 50;
	}
	summary_finish(s);
	snprintf(path, sizeof(path), "%s/big.json", d->path);
	snprintf(path2, sizeof(path2), "%s/big2.json", d->path);
	t1 = now_s();
	assert_int_equal(report_write(&report_writer_json, s, &o, path, err,
	    sizeof(err)), 0);
	t2 = now_s();
	r = summary_read_json_file(path, err, sizeof(err));
	if (!r)
		fail_msg("%s", err);
	t3 = now_s();
	assert_int_equal(r->nfailed_files, BIG_ROWS);
	assert_int_equal(report_write(&report_writer_json, r, &o, path2, err,
	    sizeof(err)), 0);
	assert_true(same_file(path, path2));
	assert_int_equal(stat(path, &st), 0);
	print_message("1M failed files: build+finish %.2fs, write %.2fs "
	    "(%lld MB), read %.2fs\n", t1 - t0, t2 - t1,
	    (long long)st.st_size >> 20, t3 - t2);
	unlink(path);
	unlink(path2);
	summary_free(r);
	summary_free(s);
}

/*
 * Every summary the writer makes, the reader takes: times at both ends
 * of 1970-9999 are written and read back; times outside (an absurd entry
 * time that got in, INT64_MAX, negative) are written as null, never as a
 * time the reader would refuse; years and their sources round-trip.
 */
static void
test_time_bounds_roundtrip(void **state)
{
	static const int64_t times[] = {
		ML_TIME_MIN, ML_TIME_MAX, ML_TIME_MAX + 1, -1, INT64_MAX,
		INT64_MIN + 1, 253402300800000LL * 2,
	};
	struct summary *s = small_summary(), *r;
	char err[256], *json, *again;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof times / sizeof times[0]; i++) {
		s->machines[0].first_seen = times[i];
		s->machines[0].newest_record = times[i];
		s->machines[0].records_outside = UINT64_MAX;
		s->inputs[0].mtime = times[i];
		s->inputs[0].year = i % 2 ? 9999 : 1970;
		s->inputs[0].year_source = (enum year_source)(1 + i % 8);
		s->jobs[0].start = times[i];
		json = test_json(s, &len);
		r = summary_from_json(json, len, err, sizeof(err));
		if (r == NULL)
			fail_msg("time %lld: %s", (long long)times[i], err);
		assert_int_equal(r->inputs[0].mtime, ml_time_valid(times[i]) ?
		    times[i] : ML_TIME_NONE);
		assert_int_equal(r->inputs[0].year, i % 2 ? 9999 : 1970);
		assert_int_equal(r->inputs[0].year_source, 1 + i % 8);
		assert_int_equal(r->machines[0].records_outside, UINT64_MAX);
		again = test_json(r, NULL);
		/* a valid time comes back as it was; an invalid one became
		 * null, and the document read back is then a fixed point */
		if (ml_time_valid(times[i]))
			assert_string_equal(again, json);
		summary_free(r);
		r = summary_from_json(again, strlen(again), err, sizeof(err));
		assert_non_null(r);
		free(json);
		json = test_json(r, NULL);
		assert_string_equal(json, again);
		free(again);
		free(json);
		summary_free(r);
	}
	/* the reader refuses what the writer never writes */
	assert_null(summary_from_json("{\"inputs\": [{\"machine\": \"a\", "
	    "\"path\": \"p\", \"year\": 10000}]}", 52, err, sizeof(err)));
	assert_null(summary_from_json("{\"inputs\": [{\"machine\": \"a\", "
	    "\"path\": \"p\", \"mtime\": \"1969-12-31\"}]}", 61, err,
	    sizeof(err)));
	summary_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_time_bounds_roundtrip),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_hostile_roundtrip),
		cmocka_unit_test(test_reader_lenient),
		cmocka_unit_test(test_reader_errors),
		cmocka_unit_test(test_writer_find),
		cmocka_unit_test_setup_teardown(test_read_file, setup_dir,
		    teardown_dir),
		cmocka_unit_test_setup_teardown(test_atomic_write, setup_dir,
		    teardown_dir),
		cmocka_unit_test_setup_teardown(test_full_disk, setup_dir,
		    teardown_dir),
		cmocka_unit_test_setup_teardown(test_stdout, setup_dir,
		    teardown_dir),
		cmocka_unit_test_setup_teardown(test_million, setup_dir,
		    teardown_dir),
	};

	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
