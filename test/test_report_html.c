/* SPDX-License-Identifier: MIT */
/*
 * test_report_html.c -- the HTML report writer (report_html.c), through
 * report_write() as the program uses it.
 *
 * Goldens: test/golden/report.html and test/golden/report-zh-CN.html hold
 * the exact output for the fixture of report_fixture.h.  After an intended
 * change, regenerate them with
 *
 *	MARSLOG_UPDATE_GOLDEN=1 build/test/test_report_html
 *
 * and review the diff (and a screenshot).  The browser tests load the
 * report in headless Chromium (/usr/bin/chromium; skipped with a message
 * when it is missing): the findings render, the inline script runs under
 * the page's CSP, injected markup stays text, and nothing is fetched.
 * Run from the top of the tree.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "reports/report.h"
#include "reports/summary.h"
#include "test/report_fixture.h"

#define CHROMIUM "/usr/bin/chromium"
#define CSP "<meta http-equiv=\"Content-Security-Policy\" content=\"" \
	"default-src 'none'; style-src 'unsafe-inline'; " \
	"script-src 'unsafe-inline'; img-src data:\">"

static int
setup(void **state)
{
	return fx_ctx_setup(state, "/tmp/marslog-html-XXXXXX");
}

static int
teardown(void **state)
{
	return fx_ctx_teardown(state);
}

/* Write the fixture with report_write(); returns the bytes (caller
 * frees) and leaves the file at c->path. */
static char *
render(struct fx_ctx *c, const char *name, enum cat_lang lang, int hostile,
    size_t *n)
{
	struct summary *s = fixture_summary(lang, hostile);
	struct report_options o = { .lang = lang };
	char err[256] = "";
	char *out;

	assert_non_null(s);
	snprintf(c->path, sizeof(c->path), "%s/%s", c->dir, name);
	if (report_write(&report_writer_html, s, &o, c->path, err,
	    sizeof(err)) < 0)
		fail_msg("report_write: %s", err);
	summary_free(s);
	out = fx_read_file(c->path, n);
	assert_non_null(out);
	return out;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t k = 0, nl = strlen(needle);
	const char *p;

	for (p = hay; (p = strstr(p, needle)) != NULL; p += nl)
		k++;
	return k;
}

static void
test_golden_en(void **state)
{
	size_t n;
	char *out = render(*state, "report.html", CAT_LANG_EN, 0, &n);
	const char *diff = fx_golden("test/golden/report.html", out, n);

	free(out);
	if (diff != NULL)
		fail_msg("%s", diff);
}

static void
test_golden_zh(void **state)
{
	size_t n;
	char *out = render(*state, "report.html", CAT_LANG_ZH, 0, &n);
	const char *diff = fx_golden("test/golden/report-zh-CN.html", out, n);

	assert_non_null(strstr(out, "<html lang=\"zh-CN\">"));
	assert_non_null(strstr(out, "发现的问题"));
	assert_non_null(strstr(out, "激活失败：内部服务错误"));
	assert_null(strstr(out, ">Findings<"));
	free(out);
	if (diff != NULL)
		fail_msg("%s", diff);
}

/* Same summary and options, same bytes; a stamp adds the time. */
static void
test_deterministic(void **state)
{
	struct fx_ctx *c = *state;
	struct summary *s = fixture_summary(CAT_LANG_EN, 1);
	struct report_options o = { .lang = CAT_LANG_EN };
	char *a, *b, err[256];
	size_t an, bn;

	assert_non_null(s);
	snprintf(c->path, sizeof(c->path), "%s/a.html", c->dir);
	assert_int_equal(report_write(&report_writer_html, s, &o, c->path,
	    err, sizeof(err)), 0);
	a = fx_read_file(c->path, &an);
	snprintf(c->path, sizeof(c->path), "%s/b.html", c->dir);
	assert_int_equal(report_write(&report_writer_html, s, &o, c->path,
	    err, sizeof(err)), 0);
	b = fx_read_file(c->path, &bn);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(an, bn);
	assert_memory_equal(a, b, an);
	assert_null(strstr(a, "Generated"));
	free(b);

	o.stamp = 1;
	o.now = FX_T0 + 10 * FX_DAY + 5 * FX_HOUR;	/* 2024-06-11 05:00 */
	assert_int_equal(report_write(&report_writer_html, s, &o, c->path,
	    err, sizeof(err)), 0);
	b = fx_read_file(c->path, &bn);
	assert_non_null(b);
	assert_non_null(strstr(b, "Generated: 2024-06-11 05:00"));
	free(a);
	free(b);
	summary_free(s);
}

/* Every log-derived string is escaped, in text and in attributes. */
static void
test_escaping(void **state)
{
	size_t n;
	char *out = render(*state, "hostile.html", CAT_LANG_EN, 1, &n);

	/* Only the writer's own script and markup. */
	assert_int_equal(count(out, "<script"), 1);
	assert_int_equal(count(out, "<img"), 0);
	assert_int_equal(count(out, "<svg onload"), 0);
	assert_int_equal(count(out, "onerror="), count(out, "onerror=&quot;"));
	assert_null(strstr(out, "document.title='pwned'"));
	assert_non_null(strstr(out, "&lt;script&gt;document.title=&#39;pwned"
	    "&#39;&lt;/script&gt;"));
	assert_non_null(strstr(out, "&lt;img src=x onerror=&quot;document."
	    "title=&#39;pwned&#39;&quot;&gt;"));
	assert_non_null(strstr(out, "&quot;&gt;&lt;svg onload="));
	/* A javascript: doc URL is not a link; the title stays text. */
	assert_null(strstr(out, "href=\"javascript"));
	assert_null(strstr(out, "javascript:"));
	/* Control characters, escape sequences and bidi overrides are gone. */
	assert_null(memchr(out, 0x1b, n));
	assert_null(memchr(out, 0x07, n));
	assert_null(strstr(out, "\xe2\x80\xae"));
	assert_non_null(strstr(out, " red "));
	/* Formula-like paths are just text here. */
	assert_non_null(strstr(out, "=HYPERLINK(&quot;http://x&quot;,"
	    "&quot;y&quot;)"));
	assert_non_null(strstr(out, "=cmd|&#39; /C calc&#39;!A0"));
	free(out);
}

/*
 * Self-contained: the strict CSP, and no reference that a browser would
 * fetch -- the only URLs are documentation links in <a href>, which open
 * only when clicked.
 */
static void
test_self_contained(void **state)
{
	static const char *const schemes[] = { "http://", "https://", "//" };
	size_t n, i, links = 0;
	char *out = render(*state, "report.html", CAT_LANG_EN, 0, &n);
	const char *p;

	assert_int_equal(count(out, CSP), 1);
	assert_true(strstr(out, CSP) < strstr(out, "<style>"));
	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		for (p = out; (p = strstr(p, schemes[i])) != NULL; p++) {
			if (i == 2 && p > out && p[-1] == ':')
				continue;	/* the tail of http:// */
			if (p - out >= 6 && strncmp(p - 6, "href=\"", 6) == 0) {
				assert_true(strncmp(p - 21, "<a class=\"doc\" ", 15) == 0);
				links++;
				continue;
			}
			fail_msg("URL outside a doc link at byte %zu: %.60s",
			    (size_t)(p - out), p);
		}
	}
	/* findings table + top issues + by code + machine details */
	assert_int_equal(links, 2 * 5 + 2 + 5);
	assert_int_equal(count(out, "rel=\"noopener noreferrer\""), links);
	assert_null(strstr(out, " src="));
	assert_null(strstr(out, "url("));
	assert_null(strstr(out, "@import"));
	assert_null(strstr(out, "<link"));
	assert_null(strstr(out, "<iframe"));
	/* The script never writes markup. */
	assert_null(strstr(out, ".innerHTML"));
	assert_null(strstr(out, ".outerHTML"));
	assert_null(strstr(out, ".insertAdjacentHTML"));
	assert_null(strstr(out, "document.write("));
	/* Readable without script: the data is in the page, the script only
	 * shows the filter boxes. */
	assert_int_equal(count(out, "<div class=\"tools\""),
	    count(out, "\" hidden><input type=\"search\""));
	assert_non_null(strstr(out, "Cannot connect to Microsoft Azure Backup"));
	assert_non_null(strstr(out, "@media print"));
	free(out);
}

/* The long tables stop at 5,000 rows with a note; the summary by code
 * still counts every file. */
static void
test_row_cap(void **state)
{
	struct fx_ctx *c = *state;
	struct summary *s = summary_new();
	struct report_options o = { .lang = CAT_LANG_EN };
	char buf[64], err[256], *out;
	size_t i, n;

	assert_non_null(s);
	for (i = 0; i < 6000; i++) {
		struct summary_failed_file *ff;

		snprintf(buf, sizeof(buf), "C:\\data\\f%05zu.txt", i);
		ff = summary_failed_file_get(s, "FS01", buf, "0x80070005",
		    NULL);
		assert_non_null(ff);
		ff->count = 1;
	}
	summary_finish(s);
	snprintf(c->path, sizeof(c->path), "%s/cap.html", c->dir);
	assert_int_equal(report_write(&report_writer_html, s, &o, c->path,
	    err, sizeof(err)), 0);
	out = fx_read_file(c->path, &n);
	assert_non_null(out);
	assert_non_null(strstr(out, "Rows shown: 5,000 / 6,000."));
	assert_non_null(strstr(out, "f04999.txt"));
	assert_null(strstr(out, "f05000.txt"));
	assert_non_null(strstr(out, "<td class=\"num\">6,000</td>"));
	/* No stale machines, no machines, timeline, findings, jobs,
	 * templates or inputs: each section says so. */
	assert_int_equal(count(out, "<p class=\"none\">none</p>"), 7);
	free(out);
	summary_free(s);
}

/* An empty summary still makes a complete page. */
static void
test_empty(void **state)
{
	struct fx_ctx *c = *state;
	struct summary *s = summary_new();
	struct report_options o = { .lang = CAT_LANG_ZH, .title = "<T&>" };
	char err[256], *out;
	size_t n;

	assert_non_null(s);
	summary_finish(s);
	snprintf(c->path, sizeof(c->path), "%s/empty.html", c->dir);
	assert_int_equal(report_write(&report_writer_html, s, &o, c->path,
	    err, sizeof(err)), 0);
	out = fx_read_file(c->path, &n);
	assert_non_null(out);
	assert_non_null(strstr(out, "<title>&lt;T&amp;&gt;</title>"));
	assert_non_null(strstr(out, "</html>\n"));
	free(out);
	summary_free(s);
}

static int
have_chromium(void)
{
	return access(CHROMIUM, X_OK) == 0;
}

/* Chromium's DOM of `html` after load (scripts have run); *log gets its
 * log (stderr, verbose). */
static char *
chromium_dom(struct fx_ctx *c, const char *html, size_t *n, char **log)
{
	char url[256], prof[160], dom[160], logf[160], *buf;
	const char *argv[] = {
		"/usr/bin/timeout", "120", CHROMIUM, "--headless",
		"--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--no-first-run",
		"--disable-component-update", "--disable-sync",
		"--enable-logging=stderr", "--v=1", prof, "--dump-dom", url,
		NULL
	};
	size_t ln;
	int st;

	snprintf(url, sizeof(url), "file://%s", html);
	snprintf(prof, sizeof(prof), "--user-data-dir=%s/profile", c->dir);
	snprintf(dom, sizeof(dom), "%s/dom.html", c->dir);
	snprintf(logf, sizeof(logf), "%s/chromium.log", c->dir);
	st = fx_run(argv, dom, logf);
	if (st != 0)
		fail_msg("chromium exited with %d (log: %s)", st, logf);
	buf = fx_read_file(dom, n);
	assert_non_null(buf);
	*log = fx_read_file(logf, &ln);
	assert_non_null(*log);
	return buf;
}

static void
test_chromium_render(void **state)
{
	struct fx_ctx *c = *state;
	size_t n, dn;
	char *out, *dom, *log;
	const char *t;

	if (!have_chromium()) {
		print_message("skipped: %s not found\n", CHROMIUM);
		skip();
	}
	out = render(c, "hostile.html", CAT_LANG_EN, 1, &n);
	free(out);
	dom = chromium_dom(c, c->path, &dn, &log);

	/* The findings are there, including the hostile ones as text. */
	assert_non_null(strstr(dom, "Cannot connect to Microsoft Azure Backup"));
	assert_non_null(strstr(dom, "Activation failed: internal service error"));
	assert_non_null(strstr(dom, "&lt;img src=x onerror="));
	assert_non_null(strstr(dom, "&lt;script&gt;document.title="));
	/* No injected element, the title unchanged. */
	t = strstr(dom, "<title>");
	assert_non_null(t);
	assert_true(strncmp(t, "<title>MARS backup log analysis</title>",
	    39) == 0);
	assert_null(strstr(dom, "pwned</title>"));
	assert_int_equal(count(dom, "<script"), 1);
	assert_int_equal(count(dom, "<img"), 0);
	assert_int_equal(count(dom, "<svg onload"), 0);
	assert_int_equal(count(dom, "<svg"), 1);	/* the timeline */
	/* The inline script ran under the CSP: it un-hid the filters. */
	assert_int_equal(count(dom, "hidden=\"\"><input"), 0);
	assert_non_null(strstr(dom, "<div class=\"tools\" data-table=\"t-findings\"><input"));
	/* Nothing was blocked by the CSP, so nothing tried to load. */
	assert_null(strstr(log, "Content Security Policy"));
	assert_null(strstr(log, "Refused to"));
	free(dom);
	free(log);
}

/* The sort and filter script works on real rows (a page that drives it
 * and reports the results in its title). */
static void
test_chromium_script(void **state)
{
	struct fx_ctx *c = *state;
	size_t n, dn;
	char *out, *dom, *log, *probe, path[160];
	static const char drive[] =
	    "<script>\n"
	    "var th = document.querySelector('#t-findings thead th:nth-child(5)');\n"
	    "th.click();\n"
	    "var first = document.querySelector('#t-findings tbody tr td:nth-child(5)').textContent;\n"
	    "th.click();\n"
	    "var desc = document.querySelector('#t-findings tbody tr td:nth-child(5)').textContent;\n"
	    "var box = document.querySelector('.tools[data-table=t-findings] input');\n"
	    "box.value = 'sql02';\n"
	    "box.dispatchEvent(new Event('input'));\n"
	    "var shown = document.querySelectorAll('#t-findings tbody tr:not([hidden])').length;\n"
	    "var sorted = th.getAttribute('aria-sort');\n"
	    "document.body.setAttribute('data-probe', first + '|' + desc + '|' + shown + '|' + sorted);\n"
	    "</script>\n</body>";
	char *at;

	if (!have_chromium()) {
		print_message("skipped: %s not found\n", CHROMIUM);
		skip();
	}
	out = render(c, "script.html", CAT_LANG_EN, 0, &n);
	/* Append the driver after the report's own script. */
	at = strstr(out, "</body>");
	assert_non_null(at);
	probe = malloc(n + sizeof(drive));
	assert_non_null(probe);
	memcpy(probe, out, (size_t)(at - out));
	strcpy(probe + (at - out), drive);
	strcat(probe, at + strlen("</body>"));
	snprintf(path, sizeof(path), "%s/probe.html", c->dir);
	assert_int_equal(fx_write_file(path, probe, strlen(probe)), 0);
	dom = chromium_dom(c, path, &dn, &log);
	/* Count ascending: 3 first; descending: 120 first; two SQL02 rows. */
	assert_non_null(strstr(dom, "data-probe=\"3|120|2|descending\""));
	free(out);
	free(probe);
	free(dom);
	free(log);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_golden_en, setup, teardown),
		cmocka_unit_test_setup_teardown(test_golden_zh, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deterministic, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_escaping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_self_contained, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_row_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chromium_render, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_chromium_script, setup,
		    teardown),
	};

	return cmocka_run_group_tests_name("report_html", tests, NULL, NULL);
}
