/* SPDX-License-Identifier: MIT */
/*
 * test_hostile.c -- the marslog program on hostile bundles, end to end.
 *
 * Every case builds a folder under mkdtemp() holding one good trace (the
 * CBEngineCurr.errlog of samples/fs01.zip) and one hostile item (zip
 * bombs, deep nesting, path traversal and symlink entries, damaged,
 * encrypted and truncated archives, empty, NUL, binary, badly encoded,
 * enormous and unreadable files, markup, formulas and terminal escapes in
 * log text), runs $MARSLOG (behind $MARSLOG_WRAP) with every report, and
 * checks that the program survives, exits as documented, names the item
 * in one warning line (where an archive entry and the archive around it
 * both lost data, the entry's line says it and the inputs list has both),
 * still analyses the good file, and says in the inputs list what
 * happened.  Archives are written with libarchive's write API.
 *
 * Then reports are never lost: marslog killed with SIGKILL while writing
 * each report type leaves the previous report byte-identical, and a full
 * disk (RLIMIT_FSIZE, and a real ENOSPC on a small tmpfs when one can be
 * mounted) fails with the path named, exit 2, no truncated report at the
 * target and no temporary file left.
 */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "test/test_archive.h"
#include "test/test_util.h"

#include "reports/json.h"
#include "reports/summary.h"
#include "reports/text.h"

static char dir[64];
static const char *marslog, *wrap;

/* run(&r, FMT, ...): the program under test with these arguments. */
#define run(r, ...) test_run((r), dir, wrap, marslog, __VA_ARGS__)
static char *good;		/* the good trace (UTF-16LE) */
static size_t ngood;
static int good_status;		/* exit status of a run on it alone */
static size_t good_findings;	/* its findings */

#define GOOD_NAME "CBEngineCurr.errlog"

/* A canonical trace line at `level` with `msg`, as UTF-8. */
#define LINE(level, msg) \
	"06/07\t01:23:25.640\t71\tbackupasync.cpp(1279)\t[000000001A12E3F0]\t" \
	"F3E32129-DC79-4A28-9ACC-3F30CB5810B6\t" level "\t" msg "\r\n"

static void
spew(const char *path, const void *buf, size_t len)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(buf, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static char *
tpath(char *buf, size_t len, const char *fmt, ...)
{
	char rel[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rel, sizeof rel, fmt, ap);
	va_end(ap);
	snprintf(buf, len, "%s/%s", dir, rel);
	return buf;
}

/* ----------------------------------------------------------- archives */

/* The good trace out of samples/fs01.zip. */
static void
good_load(void)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;

	assert_non_null(a);
	archive_read_support_format_zip(a);
	assert_int_equal(archive_read_open_filename(a, "samples/fs01.zip",
	    65536), ARCHIVE_OK);
	while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
		la_int64_t size = archive_entry_size(e);

		if (strcmp(archive_entry_pathname(e), "Temp/" GOOD_NAME) != 0)
			continue;
		good = malloc((size_t)size);
		assert_non_null(good);
		ngood = (size_t)size;
		assert_int_equal(archive_read_data(a, good, ngood),
		    (la_ssize_t)ngood);
		break;
	}
	archive_read_free(a);
	assert_non_null(good);
}

/* A fresh folder `name` holding the good trace; its path into buf. */
static char *
bundle(char *buf, size_t len, const char *name)
{
	char p[512];

	tpath(buf, len, "%s", name);
	assert_int_equal(mkdir(buf, 0755), 0);
	snprintf(p, sizeof p, "%s/" GOOD_NAME, buf);
	spew(p, good, ngood);
	return buf;
}

/* ------------------------------------------------------------- checks */

struct expect {
	const char *item;	/* path below the bundle that is reported */
	const char *status;	/* its inputs row status, NULL: no row */
	const char *why;	/* substring of its warning, NULL: no warning */
	int warnings;		/* warning lines naming the bundle's items */
};

static const struct summary_input *
input_find(const struct summary *s, const char *path)
{
	size_t i;

	for (i = 0; i < s->ninputs; i++)
		if (strcmp(s->inputs[i].path, path) == 0)
			return &s->inputs[i];
	return NULL;
}

/* No ESC, BEL or other C0 control except TAB and LF. */
static void
assert_no_controls(const char *what, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 && *p != '\t' && *p != '\n')
			fail_msg("%s holds control byte 0x%02x at %zu", what, *p,
			    (size_t)(p - (const unsigned char *)s));
}

/*
 * Run marslog with every report on bundle `b` (plus `extra` options) and
 * check the documented behaviour; returns the summary read back from the
 * JSON report (caller frees).
 */
static struct summary *
check_bundle(const char *b, const char *extra, const struct expect *x)
{
	struct result r;
	char json[600], html[600], xlsx[600], item[1024], gp[600], err[512];
	const struct summary_input *in;
	struct summary *s;
	const char *p;
	int lines = 0;
	struct stat st;

	snprintf(json, sizeof json, "%s.json", b);
	snprintf(html, sizeof html, "%s.html", b);
	snprintf(xlsx, sizeof xlsx, "%s.xlsx", b);
	run(&r, "--inputs --no-color --json '%s' --html '%s' --xlsx '%s' "
	    "--summary %s '%s'", json, html, xlsx, extra ? extra : "", b);
	if (r.status != good_status)
		fail_msg("exit status %d, want %d; stderr:\n%s", r.status,
		    good_status, r.err);
	/* One line per problem, each naming its input. */
	for (p = r.err; *p != '\0'; p = strchr(p, '\n') + 1) {
		if (strchr(p, '\n') == NULL)
			fail_msg("stderr does not end a line: %s", p);
		if (strncmp(p, "marslog: warning: ", 18) != 0 ||
		    strncmp(p + 18, b, strlen(b)) != 0)
			fail_msg("unexpected stderr line: %.*s",
			    (int)(strchr(p, '\n') - p), p);
		lines++;
	}
	if (lines != x->warnings)
		fail_msg("%d warning lines, want %d:\n%s", lines, x->warnings,
		    r.err);
	if (x->why != NULL && strstr(r.err, x->why) == NULL)
		fail_msg("no '%s' on stderr:\n%s", x->why, r.err);
	assert_no_controls("stderr", r.err);
	assert_no_controls("stdout", r.out);
	assert_non_null(strstr(r.out, GOOD_NAME));	/* --inputs */
	assert_int_equal(stat(html, &st), 0);
	assert_true(st.st_size > 1000);
	assert_int_equal(stat(xlsx, &st), 0);
	assert_true(st.st_size > 1000);

	s = summary_read_json_file(json, err, sizeof err);
	if (s == NULL)
		fail_msg("%s", err);
	snprintf(gp, sizeof gp, "%s/" GOOD_NAME, b);
	in = input_find(s, gp);
	assert_non_null(in);
	assert_string_equal(input_status_name(in->status), "ok");
	assert_int_equal(in->records, 160);
	assert_true(s->nfindings >= good_findings);
	if (x->status != NULL) {
		snprintf(item, sizeof item, "%s/%s", b, x->item);
		in = input_find(s, item);
		if (in == NULL)
			fail_msg("no inputs row for %s", item);
		assert_string_equal(input_status_name(in->status), x->status);
		if (x->why == NULL)
			assert_null(in->warning);
		else if (in->warning == NULL || strstr(in->warning, x->why) == NULL)
			fail_msg("warning of %s is '%s', want '%s'", item,
			    in->warning ? in->warning : "(none)", x->why);
	}
	result_free(&r);
	return s;
}

static void
check_simple(const char *b, const char *extra, const struct expect *x)
{
	summary_free(check_bundle(b, extra, x));
}

/* -------------------------------------------------------------- cases */

/* 1 GiB of line ends deflated to about 1 MiB: stopped by the expansion
 * ratio, and with a small --max-entry-size by that. */
static void
test_zip_bomb(void **state)
{
	static const struct zent z[] = {
		{ "nl.errlog", NULL, 0, (uint64_t)1 << 30, '\n', NULL },
	};
	char b[256], p[512], q[512];
	/* the entry says it was cut; the archive's own row (its rest not
	 * read) is in the inputs list only */
	struct expect x = { "bomb.zip!nl.errlog", "partial",
	    "expansion ratio limit", 1 };

	(void)state;
	bundle(b, sizeof b, "bomb-ratio");
	snprintf(p, sizeof p, "%s/bomb.zip", b);
	archive_make(p, NULL, NULL, "zip", NULL, NULL, z, 1);
	check_simple(b, NULL, &x);

	bundle(b, sizeof b, "bomb-entry");
	snprintf(q, sizeof q, "%s/bomb.zip", b);
	assert_int_equal(link(p, q), 0);
	x.why = "cut at the 1 MiB per-entry limit";
	check_simple(b, "--max-entry-size 1M", &x);
}

/* Entries marslog skips (by name: *.bin) in a tar.gz still cost their
 * decompression: those bytes count against --max-total-size and the
 * expansion ratio, and the archive is abandoned with one warning once
 * skipping would pass them (it used to inflate every byte silently). */
static void
test_skipped_entries_count(void **state)
{
	static const struct zent z[] = {
		{ "a.bin", NULL, 0, (uint64_t)64 << 20, '\0', NULL },
		{ "b.bin", NULL, 0, (uint64_t)64 << 20, '\0', NULL },
		{ "c.bin", NULL, 0, (uint64_t)64 << 20, '\0', NULL },
		{ "z.txt", "x\n", 2, 0, 0, NULL },
	};
	char b[256], p[512], q[512];
	struct expect x = { "bomb.tar.gz", "partial", "1 MiB per-input limit",
	    1 };

	(void)state;
	bundle(b, sizeof b, "skip-total");
	snprintf(p, sizeof p, "%s/bomb.tar.gz", b);
	archive_make(p, NULL, NULL, "tar.gz", NULL, NULL, z, 4);
	check_simple(b, "--max-total-size 1M", &x);

	bundle(b, sizeof b, "skip-ratio");
	snprintf(q, sizeof q, "%s/bomb.tar.gz", b);
	assert_int_equal(link(p, q), 0);
	x.why = "expansion ratio limit";
	check_simple(b, NULL, &x);
}

/* Peak RSS in KiB of one run of marslog ARGS (its own child: wait4). */
static long
run_peak_kib(const char *args)
{
	char cmd[2048];
	struct rusage ru;
	pid_t pid;
	int st;

	snprintf(cmd, sizeof cmd, "exec %s %s %s >/dev/null 2>&1", wrap,
	    marslog, args);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	assert_int_equal(wait4(pid, &st, 0, &ru), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) <= 1);
	return ru.ru_maxrss;
}

/* 20,000 lines, each a different unknown HRESULT, in a zip entry with a
 * 60,000-byte name: every finding's sample used to copy the path (1.2 GB
 * peak).  Paths are interned and entry names cut at 4 KiB, so the peak
 * stays near that of the same lines under a short name. */
static void
test_memory_follows_rows(void **state)
{
	char b[256], p[512], q[512], args[1400], *text, *name;
	struct zent z = { NULL, NULL, 0, 0, 0, NULL };
	size_t i, n = 0, cap = 20000 * 160;
	long small, big;

	(void)state;
	text = malloc(cap);
	name = malloc(60001);
	assert_non_null(text);
	assert_non_null(name);
	for (i = 0; i < 20000; i++)
		n += (size_t)snprintf(text + n, cap - n, LINE("FATAL",
		    "Operation failed, hr = 0x8%07zX"), i + 0x10000);
	memset(name, 'n', 60000);
	memcpy(name + 60000 - 7, ".errlog", 8);
	z.data = text;
	z.len = n;
	tpath(b, sizeof b, "rows");
	assert_int_equal(mkdir(b, 0755), 0);
	z.name = "CBEngineCurr.errlog";
	snprintf(p, sizeof p, "%s/short.zip", b);
	archive_make(p, NULL, NULL, "zip", NULL, NULL, &z, 1);
	z.name = name;
	snprintf(q, sizeof q, "%s/long.zip", b);
	archive_make(q, NULL, NULL, "zip", NULL, NULL, &z, 1);
	snprintf(args, sizeof args, "-q -j 1 --json %s/short.json '%s'", b, p);
	small = run_peak_kib(args);
	snprintf(args, sizeof args, "-q -j 1 --json %s/long.json '%s'", b, q);
	big = run_peak_kib(args);
	if (big > small + 64 * 1024)
		fail_msg("peak %ld KiB with a 60,000-byte name, %ld KiB "
		    "without", big, small);
	free(text);
	free(name);
}

/* No escape sequence, C1 control, bidi override or broken UTF-8 in what
 * marslog printed. */
static void
assert_terminal_safe(const char *what, const char *s)
{
	size_t n = strlen(s), i = 0;

	assert_no_controls(what, s);
	while (i < n) {
		uint32_t cp;
		size_t k = text_utf8_next(s + i, n - i, &cp);

		if (cp == 0xFFFD && k == 1)
			fail_msg("%s: invalid UTF-8 at %zu", what, i);
		if ((cp >= 0x80 && cp < 0xA0) || (cp >= 0x202A && cp <= 0x202E) ||
		    (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200B)
			fail_msg("%s: U+%04X at %zu", what, (unsigned)cp, i);
		i += k;
	}
}

/* Folder (machine) names with window-title and clipboard OSC, CSI, bidi
 * overrides, C1 controls and long multi-byte text; a catalog and a
 * summary carrying the same: --inputs, catalog, explain and the errors
 * of the JSON reader and catalog loader print them cleaned, cut at
 * whole characters; a name of zero-width characters only is no name. */
static void
test_terminal_cleaning(void **state)
{
	static const char *const names[] = {
		"\x1b]0;pwned\x07" "FS1",
		"\x1b]52;c;ZXZpbA==\x07" "FS2",
		"\x1b[2J\x1b[31m" "FS3",
		"\xe2\x80\xae" "3SF",
		"\xc2\x9b" "31m" "FS5",
		"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		"\xc3\xa9\xc3\xa9\xc3\xa9",
		"\xe2\x80\x8b\xe2\x80\x8b",
	};
	char b[256], p[700], cat[600], js[600];
	struct result r;
	struct summary *s;
	char err[256];
	size_t i;
	FILE *fp;

	(void)state;
	tpath(b, sizeof b, "clean");
	assert_int_equal(mkdir(b, 0755), 0);
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", b, names[i]);
		assert_int_equal(mkdir(p, 0755), 0);
		snprintf(p, sizeof p, "%s/%s/" GOOD_NAME, b, names[i]);
		spew(p, good, ngood);
	}
	snprintf(js, sizeof js, "%s.json", b);
	run(&r, "--inputs --fail-on never --json '%s' '%s'", js, b);
	assert_int_equal(r.status, 0);
	assert_terminal_safe("--inputs", r.out);
	assert_non_null(strstr(r.out, "FS1"));
	result_free(&r);
	/* the zero-width folder is not a blank machine: its files go to
	 * the bundle's own name */
	s = summary_read_json_file(js, err, sizeof err);
	if (s == NULL)
		fail_msg("%s", err);
	for (i = 0; i < s->nmachines; i++)
		assert_true(strcmp(s->machines[i].name, names[6]) != 0);
	summary_free(s);

	/* a catalog whose text carries escapes */
	snprintf(cat, sizeof cat, "%s/evil.tsv", b);
	fp = fopen(cat, "w");
	assert_non_null(fp);
	fputs("id\tlevel\tcategory\tcodes\tliteral\tregex\tdoc_url\ttitle_en\t"
	    "cause_en\tfix_en\ttitle_zh\tcause_zh\tfix_zh\n"
	    "evil-1\terror\tagent\t0x8007FFF0\t\t\t"
	    "https://learn.microsoft.com/\x1b]52;c;ZXZpbA==\x07\t"
	    "T\x1b[2Jitle \xe2\x80\xae\tC\xc2\x9b" "31mause\tF\x1b]0;x\x07ix\t"
	    "T\tC\tF\n", fp);
	assert_int_equal(fclose(fp), 0);
	run(&r, "catalog --catalog '%s'", cat);
	assert_int_equal(r.status, 0);
	assert_terminal_safe("catalog", r.out);
	assert_non_null(strstr(r.out, "evil-1"));
	result_free(&r);
	run(&r, "explain --catalog '%s' evil-1", cat);
	assert_terminal_safe("explain", r.out);
	assert_non_null(strstr(r.out, "Title"));
	result_free(&r);
	/* the loader's error quotes the file */
	fp = fopen(cat, "w");
	assert_non_null(fp);
	fputs("id\tlevel\tcategory\tcodes\tliteral\tregex\tdoc_url\ttitle_en\t"
	    "cause_en\tfix_en\ttitle_zh\tcause_zh\tfix_zh\n"
	    "evil-2\t\x1b]0;owned\x07\tagent\t0x8007FFF1\t\t\t"
	    "https://learn.microsoft.com/\tT\tC\tF\tT\tC\tF\n", fp);
	assert_int_equal(fclose(fp), 0);
	run(&r, "catalog --catalog '%s'", cat);
	assert_int_equal(r.status, 2);
	assert_terminal_safe("catalog error", r.err);
	result_free(&r);
	/* the JSON reader's error quotes the file */
	snprintf(js, sizeof js, "%s/evil.json", b);
	{
		static const char bad[] = "{\"schema\": "
		    "\"\x1b]52;c;ZXZpbA==\x07\"}";

		spew(js, bad, sizeof bad - 1);
	}
	run(&r, "merge --json - '%s'", js);
	assert_int_equal(r.status, 2);
	assert_terminal_safe("merge error", r.err);
	assert_non_null(strstr(r.err, "schema"));
	result_free(&r);
}

/* A log with a zip appended keeps its own lines (and the zip's), and a
 * log compressed 25 times (past libarchive's filter limit) says why it
 * was not read. */
static void
test_log_with_archive(void **state)
{
	static const char line[] = LINE("FATAL", "Operation failed, "
	    "hr = 0x80070005");
	struct zent z = { "inner.errlog", line, sizeof line - 1, 0, 0, NULL };
	char b[256], p[600], *zip = NULL, *gz = NULL;
	size_t nzip = 0, ngz, i;
	struct result r;
	FILE *fp;

	(void)state;
	tpath(b, sizeof b, "appended");
	assert_int_equal(mkdir(b, 0755), 0);
	archive_make(NULL, &zip, &nzip, "zip", NULL, NULL, &z, 1);
	snprintf(p, sizeof p, "%s/CBEngineCurr.errlog", b);
	fp = fopen(p, "wb");
	assert_non_null(fp);
	for (i = 0; i < 3; i++)
		fputs(line, fp);
	assert_int_equal(fwrite(zip, 1, nzip, fp), nzip);
	assert_int_equal(fclose(fp), 0);
	run(&r, "--inputs --fail-on never '%s'", p);
	assert_int_equal(r.status, 0);
	/* the log's own 3 records, then the zip's entry */
	assert_non_null(strstr(r.out, "3        0 ok       "));
	assert_non_null(strstr(r.out, "CBEngineCurr.errlog!inner.errlog"));
	result_free(&r);
	free(zip);

	/* gzip of gzip of ... 25 times */
	gz = malloc(sizeof line);
	assert_non_null(gz);
	memcpy(gz, line, sizeof line - 1);
	ngz = sizeof line - 1;
	for (i = 0; i < 25; i++) {
		struct archive *a = archive_write_new();
		struct archive_entry *e = archive_entry_new();
		size_t cap = ngz + 4096, used = 0;
		char *out = malloc(cap);

		assert_non_null(out);
		assert_int_equal(archive_write_set_format_raw(a), ARCHIVE_OK);
		assert_int_equal(archive_write_add_filter_gzip(a), ARCHIVE_OK);
		assert_int_equal(archive_write_open_memory(a, out, cap, &used),
		    ARCHIVE_OK);
		archive_entry_set_pathname(e, "x");
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_size(e, (la_int64_t)ngz);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		assert_int_equal(archive_write_data(a, gz, ngz),
		    (la_ssize_t)ngz);
		assert_int_equal(archive_write_close(a), ARCHIVE_OK);
		archive_write_free(a);
		archive_entry_free(e);
		free(gz);
		gz = out;
		ngz = used;
	}
	snprintf(p, sizeof p, "%s/deep.errlog", b);
	spew(p, gz, ngz);
	free(gz);
	run(&r, "--inputs --fail-on never '%s' '%s/CBEngineCurr.errlog'", p,
	    b);
	assert_non_null(strstr(r.out, "compressed data that cannot be opened"));
	assert_non_null(strstr(r.err, "deep.errlog: compressed data"));
	result_free(&r);
}

/* zip in zip in ... 100 levels: stopped at --max-depth, quickly. */
static void
test_deep_nesting(void **state)
{
	char b[256], p[512], name[32], *buf, *next;
	size_t len, nlen;
	struct zent z = { "deep.errlog", LINE("ERROR", "deepest (ID: 34513)"),
		sizeof LINE("ERROR", "deepest (ID: 34513)") - 1, 0, 0, NULL };
	int i;

	(void)state;
	archive_make(NULL, &buf, &len, "zip", "zip:compression=store", NULL,
	    &z, 1);
	for (i = 99; i >= 1; i--) {
		snprintf(name, sizeof name, "n%d.zip", i);
		z.name = name;
		z.data = buf;
		z.len = len;
		archive_make(NULL, &next, &nlen, "zip", "zip:compression=store",
		    NULL, &z, 1);
		free(buf);
		buf = next;
		len = nlen;
	}
	bundle(b, sizeof b, "deep");
	snprintf(p, sizeof p, "%s/n0.zip", b);
	spew(p, buf, len);
	free(buf);
	{
		/* default depth 4: n0.zip is level 1, n4.zip level 5 */
		struct expect x = { "n0.zip!n1.zip!n2.zip!n3.zip!n4.zip",
		    "skipped", "nested", 1 };

		check_simple(b, NULL, &x);
	}
}

/* Entry names that climb out or are absolute are data, never paths. */
static void
test_traversal_names(void **state)
{
	static const char line[] = LINE("WARNING", "climbing out");
	const struct zent z[] = {
		{ "../../etc/passwd", line, sizeof line - 1, 0, 0, NULL },
		{ "/abs/path.errlog", line, sizeof line - 1, 0, 0, NULL },
	};
	char b[256], p[512], *before, *after;
	size_t nb, na;
	struct expect x = { "evil.zip!../../etc/passwd", "ok", NULL, 0 };
	struct summary *s;
	struct stat st;

	(void)state;
	before = test_slurp("/etc/passwd", &nb);
	bundle(b, sizeof b, "traversal");
	snprintf(p, sizeof p, "%s/evil.zip", b);
	archive_make(p, NULL, NULL, "zip", NULL, NULL, z, 2);
	s = check_bundle(b, NULL, &x);
	snprintf(p, sizeof p, "%s/evil.zip!/abs/path.errlog", b);
	assert_non_null(input_find(s, p));
	summary_free(s);
	after = test_slurp("/etc/passwd", &na);
	assert_non_null(before);
	assert_non_null(after);
	assert_int_equal(na, nb);
	assert_memory_equal(before, after, nb);
	assert_int_not_equal(stat("/abs/path.errlog", &st), 0);
	assert_int_not_equal(stat(tpath(p, sizeof p, "etc"), &st), 0);
	free(before);
	free(after);
}

/* Symlink entries in a zip and a tar are reported, never followed; a
 * symlink loop on disk is reported. */
static void
test_symlinks(void **state)
{
	static const char line[] = LINE("WARNING", "beside a link");
	const struct zent z[] = {
		{ "link.errlog", NULL, 0, 0, 0, "/etc/passwd" },
		{ "real.errlog", line, sizeof line - 1, 0, 0, NULL },
	};
	char b[256], p[512];
	struct expect x = { "links.zip!link.errlog", "skipped",
	    "symbolic link", 1 };

	(void)state;
	bundle(b, sizeof b, "symlink-zip");
	snprintf(p, sizeof p, "%s/links.zip", b);
	archive_make(p, NULL, NULL, "zip", NULL, NULL, z, 2);
	check_simple(b, NULL, &x);

	bundle(b, sizeof b, "symlink-tar");
	snprintf(p, sizeof p, "%s/links.tar", b);
	archive_make(p, NULL, NULL, "tar", NULL, NULL, z, 2);
	x.item = "links.tar!link.errlog";
	check_simple(b, NULL, &x);

	bundle(b, sizeof b, "symlink-loop");
	snprintf(p, sizeof p, "%s/loop.errlog", b);
	assert_int_equal(symlink("loop.errlog", p), 0);
	x.item = "loop.errlog";
	x.why = "Too many levels of symbolic links";
	check_simple(b, NULL, &x);
}

/* Find `needle` in buf[0..len). */
static char *
mem_find(char *buf, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= len; i++)
		if (memcmp(buf + i, needle, n) == 0)
			return buf + i;
	return NULL;
}

/* A damaged central directory (read front to back), a CRC error, an
 * encrypted entry and a truncated zip. */
static void
test_damaged_zips(void **state)
{
	static const char line[] = LINE("WARNING", "in a damaged zip");
	const struct zent z[] = {
		{ "a.errlog", line, sizeof line - 1, 0, 0, NULL },
	};
	char b[256], p[512], *buf, *at;
	size_t len;
	struct expect x = { "cd.zip", "partial",
	    "central directory missing or damaged", 1 };
	const struct summary_input *in;
	struct summary *s;

	(void)state;
	/* central directory signature destroyed */
	archive_make(NULL, &buf, &len, "zip", NULL, NULL, z, 1);
	at = buf + len;
	while (at > buf && memcmp(at - 4, "PK\1\2", 4) != 0)
		at--;
	assert_true(at > buf);
	memcpy(at - 4, "XX\1\2", 4);
	bundle(b, sizeof b, "zip-cd");
	snprintf(p, sizeof p, "%s/cd.zip", b);
	spew(p, buf, len);
	s = check_bundle(b, NULL, &x);
	snprintf(p, sizeof p, "%s/cd.zip!a.errlog", b);
	in = input_find(s, p);
	assert_non_null(in);	/* its entry was read all the same */
	assert_int_equal(in->records, 1);
	assert_string_equal(input_status_name(in->status), "ok");
	summary_free(s);
	free(buf);

	/* stored entry with one byte changed: CRC error */
	archive_make(NULL, &buf, &len, "zip", "zip:compression=store", NULL,
	    z, 1);
	at = mem_find(buf, len, "in a damaged zip");
	assert_non_null(at);
	at[0] = 'X';
	bundle(b, sizeof b, "zip-crc");
	snprintf(p, sizeof p, "%s/crc.zip", b);
	spew(p, buf, len);
	x.item = "crc.zip!a.errlog";
	x.status = "partial";
	x.why = "CRC";
	check_simple(b, NULL, &x);
	free(buf);

	/* deflated data broken from its first byte: the entry gives no byte
	 * and says why (not "empty file") */
	archive_make(NULL, &buf, &len, "zip", NULL, NULL, z, 1);
	assert_true(len > 30 && memcmp(buf, "PK\3\4", 4) == 0);
	at = buf + 30 + ((unsigned char)buf[26] | (unsigned char)buf[27] << 8) +
	    ((unsigned char)buf[28] | (unsigned char)buf[29] << 8);
	*at = (char)0xff;	/* block type 3: invalid */
	bundle(b, sizeof b, "zip-inflate");
	snprintf(p, sizeof p, "%s/inflate.zip", b);
	spew(p, buf, len);
	free(buf);
	x.item = "inflate.zip!a.errlog";
	x.status = "partial";
	x.why = "decompression failed";
	s = check_bundle(b, NULL, &x);
	snprintf(p, sizeof p, "%s/inflate.zip!a.errlog", b);
	in = input_find(s, p);
	assert_non_null(in);
	assert_null(strstr(in->warning, "empty"));
	summary_free(s);

	/* encrypted (traditional PKWARE) */
	bundle(b, sizeof b, "zip-encrypted");
	snprintf(p, sizeof p, "%s/enc.zip", b);
	archive_make(p, NULL, NULL, "zip", "zip:encryption=zipcrypt", "pw",
	    z, 1);
	x.item = "enc.zip!a.errlog";
	x.status = "skipped";
	x.why = "encrypted";
	check_simple(b, NULL, &x);

	/* truncated in the middle of the entry's data */
	{
		static char big[64 * 1024];
		struct zent t = { "t.errlog", big, sizeof big, 0, 0, NULL };
		size_t i;

		for (i = 0; i + sizeof line - 1 <= sizeof big; i += sizeof line - 1)
			memcpy(big + i, line, sizeof line - 1);
		archive_make(NULL, &buf, &len, "zip", "zip:compression=store",
		    NULL, &t, 1);
	}
	bundle(b, sizeof b, "zip-truncated");
	snprintf(p, sizeof p, "%s/trunc.zip", b);
	spew(p, buf, len / 2);
	free(buf);
	/* the entry says it was cut short, the archive that it ended */
	x.item = "trunc.zip!t.errlog";
	x.status = "partial";
	x.why = "Truncated";
	check_simple(b, NULL, &x);
}

/* Empty, NUL-filled and random files named like traces. */
static void
test_not_text(void **state)
{
	char b[256], p[512], buf[16384];
	struct expect x = { "empty.errlog", "ok", "empty file", 1 };
	uint32_t seed = 12345;
	size_t i;

	(void)state;
	bundle(b, sizeof b, "empty");
	snprintf(p, sizeof p, "%s/empty.errlog", b);
	spew(p, "", 0);
	check_simple(b, NULL, &x);

	bundle(b, sizeof b, "nuls");
	snprintf(p, sizeof p, "%s/nuls.errlog", b);
	memset(buf, 0, sizeof buf);
	spew(p, buf, sizeof buf);
	x.item = "nuls.errlog";
	x.status = "skipped";
	x.why = "binary";
	check_simple(b, NULL, &x);

	bundle(b, sizeof b, "garbage");
	snprintf(p, sizeof p, "%s/garbage.errlog", b);
	for (i = 0; i < sizeof buf; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (char)(seed >> 16);
	}
	spew(p, buf, sizeof buf);
	x.item = "garbage.errlog";
	check_simple(b, NULL, &x);
}

/* Invalid UTF-8 (read as cp1252, as documented: no warning, nothing
 * lost), unpaired UTF-16 surrogates and a UTF-16 file of odd length
 * (text lost: partial). */
static void
test_bad_encoding(void **state)
{
	static const char line[] = LINE("WARNING", "valid text");
	static const char bad[] = LINE("WARNING", "bad \xff\xfe \xc0\x80 \xed\xa0\x80 end");
	char b[256], p[512], u16[4096];
	struct expect x = { "bad-utf8.errlog", "ok", NULL, 0 };
	const struct summary_input *in;
	struct summary *s;
	FILE *fp;
	size_t i, n = 0;
	int k;

	(void)state;
	bundle(b, sizeof b, "utf8");
	snprintf(p, sizeof p, "%s/bad-utf8.errlog", b);
	fp = fopen(p, "wb");
	assert_non_null(fp);
	for (k = 0; k < 64; k++)
		fputs(line, fp);
	fputs(bad, fp);
	assert_int_equal(fclose(fp), 0);
	s = check_bundle(b, NULL, &x);
	in = input_find(s, p);
	assert_non_null(in);
	assert_int_equal(in->encoding, TEXT_CP1252);
	assert_int_equal(in->records, 65);
	summary_free(s);
	x.warnings = 1;

	/* UTF-16LE: BOM, a line with a lone high and a lone low surrogate */
	u16[n++] = '\xff';
	u16[n++] = '\xfe';
	for (i = 0; i < sizeof line - 1; i++) {
		if (line[i] == 'v' && i > 40) {
			memcpy(u16 + n, "\x00\xd8" "A\0" "\x00\xdc", 6);
			n += 6;
		}
		u16[n++] = line[i];
		u16[n++] = '\0';
	}
	bundle(b, sizeof b, "utf16-surrogates");
	snprintf(p, sizeof p, "%s/surrogates.errlog", b);
	spew(p, u16, n);
	x.item = "surrogates.errlog";
	x.status = "partial";
	x.why = "invalid UTF-16";
	check_simple(b, NULL, &x);

	bundle(b, sizeof b, "utf16-odd");
	snprintf(p, sizeof p, "%s/odd.errlog", b);
	spew(p, good, ngood - 1);
	x.item = "odd.errlog";
	check_simple(b, NULL, &x);
}

/* Peak RSS of a command run by a child of ours (so no earlier run
 * counts), in KiB. */
static long
run_rss(struct result *r, const char *args)
{
	int fds[2];
	pid_t pid;
	long rss = -1;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct result cr;
		struct rusage ru;

		close(fds[0]);
		run(&cr, "%s", args);
		getrusage(RUSAGE_CHILDREN, &ru);
		rss = ru.ru_maxrss;
		if (write(fds[1], &rss, sizeof rss) != sizeof rss ||
		    write(fds[1], &cr.status, sizeof cr.status) !=
		    sizeof cr.status)
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], &rss, sizeof rss), sizeof rss);
	assert_int_equal(read(fds[0], &r->status, sizeof r->status),
	    sizeof r->status);
	close(fds[0]);
	waitpid(pid, NULL, 0);
	return rss;
}

/* A 200 MB line: cut at --max-line, counted, partial, memory bounded. */
static void
test_huge_line(void **state)
{
	static const char head[] = "06/07\t01:23:25.640\t71\tbackupasync.cpp(1279)\t"
	    "[000000001A12E3F0]\tF3E32129-DC79-4A28-9ACC-3F30CB5810B6\tERROR\t";
	char b[256], p[512], *chunk;
	struct expect x = { "huge.errlog", "partial",
	    "1 line longer than 1048576 bytes cut", 1 };
	struct result r;
	FILE *fp;
	long rss, limit = 64 * 1024;
	int i;

	(void)state;
	bundle(b, sizeof b, "huge-line");
	snprintf(p, sizeof p, "%s/huge.errlog", b);
	chunk = malloc(1 << 20);
	assert_non_null(chunk);
	memset(chunk, 'A', 1 << 20);
	fp = fopen(p, "wb");
	assert_non_null(fp);
	fputs(head, fp);
	for (i = 0; i < 200; i++)
		assert_int_equal(fwrite(chunk, 1, 1 << 20, fp), 1 << 20);
	fputs("\r\n" LINE("ERROR", "after the long one"), fp);
	assert_int_equal(fclose(fp), 0);
	free(chunk);
	check_simple(b, NULL, &x);

	/* Memory stays under 64 MiB whatever the line length (about 10 MiB
	 * plain, 21 MiB under ASan); valgrind's own memory counts in a
	 * wrapped run, so there only the order of magnitude is checked. */
	if (*wrap != '\0')
		limit = 1024 * 1024;
	snprintf(p, sizeof p, "--json /dev/null '%s/huge.errlog'", b);
	rss = run_rss(&r, p);
	assert_true(r.status == 0 || r.status == 1);
	if (rss <= 0 || rss >= limit)
		fail_msg("peak RSS %ld KiB, limit %ld KiB", rss, limit);
	unlink(tpath(p, sizeof p, "huge-line/huge.errlog"));
}

/* A FIFO (unreadable for root too) and a path below a file. */
static void
test_unreadable(void **state)
{
	char b[256], p[512];
	struct expect x = { "pipe.errlog", "skipped", "fifo", 1 };
	struct result r;

	(void)state;
	bundle(b, sizeof b, "fifo");
	snprintf(p, sizeof p, "%s/pipe.errlog", b);
	assert_int_equal(mkfifo(p, 0644), 0);
	check_simple(b, NULL, &x);

	/* GOOD_NAME/x: ENOTDIR for everyone */
	run(&r, "--json /dev/null '%s/" GOOD_NAME "' '%s/" GOOD_NAME "/x'", b, b);
	assert_int_equal(r.status, good_status);
	assert_non_null(strstr(r.err, GOOD_NAME "/x: "));
	assert_non_null(strstr(r.err, "Not a directory"));
	result_free(&r);
}

static const char *const payloads[] = {
	"<script>alert(1)</script>",
	"\"><img src=x onerror=alert(1)>",
	"=HYPERLINK(\"http://x\",\"y\")",
	"=cmd|' /C calc'!A0",
	"@SUM(1)",
	"title \x1b]0;pwned\x07 clear \x1b[2J done",
};

/* Markup, formulas and terminal escapes in log text are inert in every
 * report. */
static void
test_injection(void **state)
{
	char b[256], p[600], cmd[1024], *html, *json;
	struct expect x = { "inject.errlog", "ok", NULL, 0 };
	struct summary *s;
	FILE *fp;
	size_t i, k, hits;

	(void)state;
	bundle(b, sizeof b, "inject");
	snprintf(p, sizeof p, "%s/inject.errlog", b);
	fp = fopen(p, "wb");
	assert_non_null(fp);
	for (i = 0; i < sizeof payloads / sizeof payloads[0]; i++) {
		/* unknown messages become templates; with an HRESULT a
		 * finding whose sample is the message */
		fprintf(fp, LINE("ERROR", "%s"), payloads[i]);
		fprintf(fp, LINE("ERROR", "%s Hr: = [0x80070005]"), payloads[i]);
		fprintf(fp, LINE("WARNING", "%s"), payloads[i]);
	}
	assert_int_equal(fclose(fp), 0);
	s = check_bundle(b, NULL, &x);

	/* JSON: read back, the payloads are there byte for byte */
	for (i = 0; i < sizeof payloads / sizeof payloads[0]; i++) {
		hits = 0;
		for (k = 0; k < s->ntemplates; k++)
			if (s->templates[k].sample.message != NULL &&
			    strstr(s->templates[k].sample.message, payloads[i]))
				hits++;
		for (k = 0; k < s->nfindings; k++)
			if (s->findings[k].sample.message != NULL &&
			    strstr(s->findings[k].sample.message, payloads[i]))
				hits++;
		if (hits == 0)
			fail_msg("payload %zu not in the JSON summary", i);
	}
	summary_free(s);
	snprintf(p, sizeof p, "%s.json", b);
	json = test_slurp(p, NULL);
	assert_non_null(json);
	assert_no_controls("JSON", json);
	assert_non_null(strstr(json, "\\u001b]0;pwned\\u0007"));
	free(json);

	/* HTML: only escaped forms */
	snprintf(p, sizeof p, "%s.html", b);
	html = test_slurp(p, NULL);
	assert_non_null(html);
	assert_null(strstr(html, "<script>alert"));
	assert_null(strstr(html, "<img src=x"));
	assert_null(strstr(html, "\x1b"));
	assert_null(strstr(html, "\x07"));
	assert_non_null(strstr(html, "&lt;script&gt;alert(1)"));
	free(html);

	/* XLSX: every cell holding a payload is a string, none a formula */
	snprintf(cmd, sizeof cmd,
	    "/usr/bin/python3 -c '\n"
	    "import sys, openpyxl\n"
	    "wb = openpyxl.load_workbook(sys.argv[1])\n"
	    "want = [\"<script>alert(1)</script>\", \"<img src=x\",\n"
	    "        \"=HYPERLINK(\", \"=cmd|\", \"@SUM(1)\", \" clear \"]\n"
	    "seen = set()\n"
	    "for ws in wb.worksheets:\n"
	    "    for row in ws.iter_rows():\n"
	    "        for c in row:\n"
	    "            assert c.data_type != \"f\", (ws.title, c.coordinate, c.value)\n"
	    "            v = c.value\n"
	    "            if isinstance(v, str):\n"
	    "                assert not any(ord(ch) < 32 and ch not in \"\\t\\n\\r\" for ch in v), repr(v)\n"
	    "                for w in want:\n"
	    "                    if w in v:\n"
	    "                        assert c.data_type == \"s\", (ws.title, c.coordinate)\n"
	    "                        seen.add(w)\n"
	    "assert seen == set(want), sorted(set(want) - seen)\n"
	    "' '%s.xlsx'", b);
	assert_int_equal(system(cmd), 0);
}

/* ------------------------------------------------- no lost reports */

/* Wait (up to ~60 s) until a temporary report ".BASE.*" appears in d. */
static int
wait_for_temp(const char *d, const char *base, pid_t pid)
{
	char prefix[256];
	int i;

	snprintf(prefix, sizeof prefix, ".%s.", base);
	for (i = 0; i < 60000; i++) {
		DIR *dp = opendir(d);
		struct dirent *de;
		int found = 0;

		assert_non_null(dp);
		while ((de = readdir(dp)) != NULL)
			if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
				found = 1;
		closedir(dp);
		if (found)
			return 1;
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return 0;
		usleep(1000);
	}
	return 0;
}

/* A big summary: many machines, inputs and templates. */
static void
big_summary(const char *path)
{
	struct summary *s = summary_new();
	char m[32], t[96];
	FILE *fp;
	int i;

	assert_non_null(s);
	for (i = 0; i < 40000; i++) {
		struct summary_template *tp;

		snprintf(m, sizeof m, "M%03d", i % 500);
		snprintf(t, sizeof t, "unknown failure number %d in <component %d>",
		    i, i % 97);
		tp = summary_template_get(s, m, t, NULL);
		assert_non_null(tp);
		tp->level = CAT_LEVEL_ERROR;
		tp->count = (uint64_t)i + 1;
		assert_int_equal(summary_sample_offer(s, &tp->sample, "x.errlog",
		    (uint64_t)i, t, 1717900000000 + i), 0);
		assert_non_null(summary_input_add(s, m, t));
		assert_non_null(summary_machine_get(s, m, NULL));
	}
	summary_finish(s);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(summary_write_json(s, fp), 0);
	assert_int_equal(fclose(fp), 0);
	summary_free(s);
}

/* SIGKILL while each report is being written: the previous report is
 * intact and no half report replaced it. */
static void
test_kill_while_writing(void **state)
{
	static const char *const kinds[] = { "json", "html", "xlsx" };
	char big[512], d[512], target[600], cmd[2048];
	size_t k;

	(void)state;
	tpath(big, sizeof big, "big.json");
	big_summary(big);
	tpath(d, sizeof d, "kill");
	assert_int_equal(mkdir(d, 0755), 0);
	for (k = 0; k < 3; k++) {
		static const char old[] = "previous report, must survive\n";
		char base[32], *now;
		size_t n;
		pid_t pid;
		int st, caught;

		snprintf(base, sizeof base, "report.%s", kinds[k]);
		snprintf(target, sizeof target, "%s/%s", d, base);
		spew(target, old, sizeof old - 1);
		snprintf(cmd, sizeof cmd, "exec %s %s merge --%s '%s' '%s' "
		    ">/dev/null 2>&1", wrap, marslog, kinds[k], target, big);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
			_exit(127);
		}
		caught = wait_for_temp(d, base, pid);
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		if (!caught)
			fail_msg("%s: marslog ended before its temporary file "
			    "was seen", kinds[k]);
		now = test_slurp(target, &n);
		assert_non_null(now);
		assert_int_equal(n, sizeof old - 1);
		assert_memory_equal(now, old, n);
		free(now);
	}
}

/* Names in `d` that start with `prefix`. */
static int
count_prefixed(const char *d, const char *prefix)
{
	DIR *dp = opendir(d);
	struct dirent *de;
	int n = 0;

	assert_non_null(dp);
	while ((de = readdir(dp)) != NULL)
		n += strncmp(de->d_name, prefix, strlen(prefix)) == 0;
	closedir(dp);
	return n;
}

/* SIGTERM and SIGINT while a report is written: the temporary file goes
 * with the run (which still dies of the signal).  SIGKILL leaves it; the
 * next run to the same target removes it, but not a temporary another
 * live run holds, nor a file of another naming. */
static void
test_signal_cleanup(void **state)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGKILL };
	char big[512], d[512], target[600], cmd[2048], live[700], other[700];
	struct result r;
	size_t k;
	int lfd;

	(void)state;
	tpath(big, sizeof big, "big-sig.json");
	big_summary(big);
	tpath(d, sizeof d, "sig");
	assert_int_equal(mkdir(d, 0755), 0);
	snprintf(target, sizeof target, "%s/report.json", d);
	for (k = 0; k < 3; k++) {
		pid_t pid;
		int st;

		snprintf(cmd, sizeof cmd, "exec %s %s merge --json '%s' '%s' "
		    ">/dev/null 2>&1", wrap, marslog, target, big);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
			_exit(127);
		}
		if (!wait_for_temp(d, "report.json", pid))
			fail_msg("marslog ended before its temporary file was "
			    "seen");
		kill(pid, sigs[k]);
		assert_int_equal(waitpid(pid, &st, 0), pid);
		if (*wrap == '\0') {
			assert_true(WIFSIGNALED(st));
			assert_int_equal(WTERMSIG(st), sigs[k]);
		}
		assert_int_equal(count_prefixed(d, ".report.json."),
		    sigs[k] == SIGKILL ? 1 : 0);
	}
	/* a live run's temporary (locked) and another name stay */
	snprintf(live, sizeof live, "%s/.report.json.XXXXXX", d);
	lfd = mkstemp(live);
	assert_true(lfd >= 0);
	assert_int_equal(flock(lfd, LOCK_EX), 0);
	snprintf(other, sizeof other, "%s/.report.json.keep-me", d);
	spew(other, "x", 1);
	assert_int_equal(count_prefixed(d, ".report.json."), 3);
	run(&r, "-q --fail-on never --json '%s' samples/fs01.zip", target);
	assert_int_equal(r.status, 0);
	result_free(&r);
	assert_int_equal(count_prefixed(d, ".report.json."), 2);
	assert_int_equal(access(live, F_OK), 0);
	assert_int_equal(access(other, F_OK), 0);
	close(lfd);
	unlink(live);
	unlink(other);
}

/* A report path through a symlink another user planted in a sticky,
 * world-writable folder is refused (as fs.protected_symlinks); our own
 * link there, or the folder owner's, is followed.  Needs root to plant
 * the other user's link. */
static void
test_symlink_policy(void **state)
{
	char d[512], victim[600], link[600], *now;
	static const char old[] = "precious\n";
	struct result r;
	size_t n;

	(void)state;
	if (geteuid() != 0)
		skip();
	tpath(d, sizeof d, "sticky");
	assert_int_equal(mkdir(d, 0755), 0);
	assert_int_equal(chmod(d, 01777), 0);
	tpath(victim, sizeof victim, "victim.json");
	spew(victim, old, sizeof old - 1);
	snprintf(link, sizeof link, "%s/report.json", d);
	assert_int_equal(symlink(victim, link), 0);
	assert_int_equal(lchown(link, 65534, 65534), 0);
	run(&r, "-q --fail-on never --json '%s' samples/fs01.zip", link);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "symbolic link owned by another user"));
	result_free(&r);
	now = test_slurp(victim, &n);
	assert_non_null(now);
	assert_int_equal(n, sizeof old - 1);
	free(now);
	/* the same link as ours: followed, the link stays a link */
	assert_int_equal(lchown(link, 0, 0), 0);
	run(&r, "-q --fail-on never --json '%s' samples/fs01.zip", link);
	assert_int_equal(r.status, 0);
	result_free(&r);
	now = test_slurp(victim, &n);
	assert_non_null(now);
	assert_true(n > sizeof old);
	free(now);
	{
		struct stat st;

		assert_int_equal(lstat(link, &st), 0);
		assert_true(S_ISLNK(st.st_mode));
	}
}

/* Every report kind into folder `d`, whose file system is full for it
 * (`fsize` > 0: RLIMIT_FSIZE of that many bytes in the child, writes fail
 * with EFBIG; else the folder is a nearly full tmpfs, ENOSPC): a clear
 * error naming the path, exit 2, the previous report intact, no
 * temporary file left. */
static void
full_disk(const char *d, rlim_t fsize)
{
	static const char *const kinds[] = { "json", "html", "xlsx" };
	char target[600], cmd[2048], errp[600], *err, *now;
	size_t k, n;

	for (k = 0; k < 3; k++) {
		static const char old[] = "previous report\n";
		pid_t pid;
		int st;

		snprintf(target, sizeof target, "%s/report.%s", d, kinds[k]);
		tpath(errp, sizeof errp, "full-err.txt");
		spew(target, old, sizeof old - 1);
		/* 16 KiB: enough for stderr, not for any report */
		snprintf(cmd, sizeof cmd, "exec %s %s --%s '%s' samples/fs01.zip "
		    ">/dev/null 2>'%s'", wrap, marslog, kinds[k], target, errp);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			struct rlimit rl = { fsize, fsize };

			signal(SIGXFSZ, SIG_IGN);
			if (fsize > 0 && setrlimit(RLIMIT_FSIZE, &rl) != 0)
				_exit(126);
			execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
			_exit(127);
		}
		assert_int_equal(waitpid(pid, &st, 0), pid);
		err = test_slurp(errp, NULL);
		assert_non_null(err);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 2)
			fail_msg("%s: status 0x%x, stderr:\n%s", kinds[k], st, err);
		assert_non_null(strstr(err, "cannot write"));
		assert_non_null(strstr(err, target));
		free(err);
		now = test_slurp(target, &n);
		assert_non_null(now);
		assert_int_equal(n, sizeof old - 1);
		assert_memory_equal(now, old, n);
		free(now);
	}
	/* no temporary file left behind */
	{
		DIR *dp = opendir(d);
		struct dirent *de;

		assert_non_null(dp);
		while ((de = readdir(dp)) != NULL)
			if (de->d_name[0] == '.' && strcmp(de->d_name, ".") != 0 &&
			    strcmp(de->d_name, "..") != 0)
				fail_msg("temporary file %s left", de->d_name);
		closedir(dp);
	}
}

static void
test_full_disk(void **state)
{
	char d[512], filler[600], cmd[700];
	static char zeros[40 * 1024];

	(void)state;
	/* 16 KiB: enough for stderr, not for any report */
	tpath(d, sizeof d, "full");
	assert_int_equal(mkdir(d, 0755), 0);
	full_disk(d, 16384);

	/* A real ENOSPC on a 64 KiB tmpfs with 40 KiB taken, when this
	 * system lets us mount one (root, no container restriction). */
	tpath(d, sizeof d, "tmpfs");
	assert_int_equal(mkdir(d, 0755), 0);
	snprintf(cmd, sizeof cmd, "mount -t tmpfs -o size=64k marslog-test "
	    "'%s' 2>/dev/null", d);
	if (getuid() != 0 || system(cmd) != 0)
		return;		/* RLIMIT_FSIZE above covers it */
	snprintf(filler, sizeof filler, "%s/filler", d);
	spew(filler, zeros, sizeof zeros);
	full_disk(d, 0);
	snprintf(cmd, sizeof cmd, "umount '%s'", d);
	assert_int_equal(system(cmd), 0);
}

static int
setup(void **state)
{
	char b[256], json[300], err[256];
	struct summary *s;
	struct result r;

	(void)state;
	test_marslog(&marslog, &wrap);
	snprintf(dir, sizeof dir, "/tmp/marslog-hostile-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	good_load();
	bundle(b, sizeof b, "good");
	snprintf(json, sizeof json, "%s.json", b);
	run(&r, "--json '%s' '%s'", json, b);
	good_status = r.status;
	result_free(&r);
	s = summary_read_json_file(json, err, sizeof err);
	if (s == NULL || (good_status != 0 && good_status != 1))
		return -1;
	good_findings = s->nfindings;
	summary_free(s);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[256];

	(void)state;
	free(good);
	/* a failed test_full_disk may leave its tmpfs mounted */
	snprintf(cmd, sizeof cmd, "umount '%s/tmpfs' 2>/dev/null; rm -rf '%s'",
	    dir, dir);
	return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zip_bomb),
		cmocka_unit_test(test_skipped_entries_count),
		cmocka_unit_test(test_memory_follows_rows),
		cmocka_unit_test(test_terminal_cleaning),
		cmocka_unit_test(test_log_with_archive),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_traversal_names),
		cmocka_unit_test(test_symlinks),
		cmocka_unit_test(test_damaged_zips),
		cmocka_unit_test(test_not_text),
		cmocka_unit_test(test_bad_encoding),
		cmocka_unit_test(test_huge_line),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_injection),
		cmocka_unit_test(test_kill_while_writing),
		cmocka_unit_test(test_full_disk),
		cmocka_unit_test(test_signal_cleanup),
		cmocka_unit_test(test_symlink_policy),
	};

	return cmocka_run_group_tests_name("hostile", tests, setup, teardown);
}
