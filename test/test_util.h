/* SPDX-License-Identifier: MIT */
/*
 * test_util.h -- small helpers shared by the end-to-end tests.  Header
 * only (static inline); include it after <cmocka.h>.
 */
#ifndef MARSLOG_TEST_UTIL_H
#define MARSLOG_TEST_UTIL_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "reports/json.h"
#include "reports/summary.h"

/* The whole file, NUL-terminated (malloc'd; caller frees), its length in
 * *len (may be NULL).  NULL if it cannot be opened. */
static inline char *
test_slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, r;

	if (fp == NULL)
		return NULL;
	do {
		if (n + 65536 + 1 > cap) {
			cap = 2 * cap + 65536 + 1;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		r = fread(buf + n, 1, cap - n - 1, fp);
		n += r;
	} while (r > 0);
	fclose(fp);
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return buf;
}

/* Write ASCII `text` to fp as the agent writes its logs: UTF-16LE with
 * a byte order mark, LF turned into CRLF. */
static inline void
test_put_utf16(FILE *fp, const char *text)
{
	const unsigned char *p = (const unsigned char *)text;

	fputc(0xFF, fp);
	fputc(0xFE, fp);
	for (; *p != '\0'; p++) {
		if (*p == '\n') {
			fputc('\r', fp);
			fputc(0, fp);
		}
		fputc(*p, fp);
		fputc(0, fp);
	}
}

/* The summary's JSON (summary_write_json) as a malloc'd NUL-terminated
 * string; its length in *len (may be NULL). */
static inline char *
test_json(const struct summary *s, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&buf, &n);

	assert_non_null(fp);
	assert_int_equal(summary_write_json(s, fp), 0);
	assert_int_equal(fclose(fp), 0);
	if (len != NULL)
		*len = n;
	return buf;
}

/* rm -rf a test's temporary folder (a mkdtemp name: no quotes in it).
 * 0, or -1 if that failed. */
static inline int
test_rm_rf(const char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* The program under test ($MARSLOG, else build/marslog) and what runs it
 * ($MARSLOG_WRAP, e.g. valgrind, else nothing). */
static inline void
test_marslog(const char **marslog, const char **wrap)
{
	*marslog = getenv("MARSLOG");
	if (*marslog == NULL)
		*marslog = "build/marslog";
	*wrap = getenv("MARSLOG_WRAP");
	if (*wrap == NULL)
		*wrap = "";
}

/* What one run of the program left behind. */
struct result {
	int status;		/* exit status, or -1 if killed */
	char *out, *err;	/* whole stdout and stderr, NUL-terminated */
	size_t nout;
};

/*
 * Run `WRAP MARSLOG ARGS` through sh, ARGS being a shell fragment made
 * from fmt; stdout and stderr go through files in dir.  Sanitizer reports
 * and valgrind's error exit code (99) fail the test whatever the status.
 */
static inline void
test_run(struct result *r, const char *dir, const char *wrap,
    const char *marslog, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static inline void
test_run(struct result *r, const char *dir, const char *wrap,
    const char *marslog, const char *fmt, ...)
{
	char args[2048], cmd[4096];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(args, sizeof args, fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof cmd, "%s %s %s >%s/out 2>%s/err </dev/null",
	    wrap, marslog, args, dir, dir);
	st = system(cmd);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	snprintf(cmd, sizeof cmd, "%s/out", dir);
	r->out = test_slurp(cmd, &r->nout);
	snprintf(cmd, sizeof cmd, "%s/err", dir);
	r->err = test_slurp(cmd, NULL);
	assert_non_null(r->out);
	assert_non_null(r->err);
	if (strstr(r->err, "ERROR: AddressSanitizer") != NULL ||
	    strstr(r->err, "runtime error:") != NULL ||
	    strstr(r->err, "LeakSanitizer") != NULL || r->status == 99)
		fail_msg("%s %s:\n%s", marslog, args, r->err);
}

static inline void
result_free(struct result *r)
{
	free(r->out);
	free(r->err);
}

#endif
