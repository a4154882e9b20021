/* SPDX-License-Identifier: MIT */
/*
 * test_report_term.c -- the terminal summary writer (report_term.c) and
 * the text helpers it shares with the other writers (text.c).
 *
 * Golden files test/golden/summary-<set>-<lang>-<width>.txt hold the exact
 * output, without colour, for two summaries built here with the summary
 * API: one machine, and a fleet of two.  After an intended change of the
 * layout, regenerate them with
 *
 *	MARSLOG_UPDATE_GOLDEN=1 build/test/test_report_term
 *
 * and review the diff; otherwise any byte of difference fails the test.
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

#include "parsers/record.h"
#include "reports/i18n.h"
#include "reports/report.h"
#include "reports/summary.h"
#include "reports/text.h"

/* Payload put into every log-derived string of the hostile summary:
 * OSC title change, clear screen, CR, BS, BEL, C1 NEL, C1 CSI, bidi
 * override, DCS string, DEL. */
#define HOSTILE "\x1b]0;pwned\x07" "A\x1b[2JB\rC\bD\xc2\x85" "E\xc2\x9b" \
	"31mF\xe2\x80\xae" "G\x1bPdcs-body\x1b\\H\x7f"

enum set { SET_SINGLE, SET_FLEET, SET_HOSTILE };

/* Catalog-like text in both languages, as the analyzer would copy it. */
enum txt {
	T_CRED_TITLE, T_CRED_FIX, T_DENIED_TITLE, T_DENIED_FIX,
	T_CACHE_TITLE, T_CACHE_FIX, T_VSS_TITLE, T_NET_TITLE, T_NET_FIX,
	T_INFO_TITLE
};

static const char *const txt[][CAT_LANG__COUNT] = {
	[T_CRED_TITLE] = { "Backup failed: the vault credentials have expired",
	    "备份失败：保管库凭据已过期" },
	[T_CRED_FIX] = { "Download new vault credentials from the Azure "
	    "portal (Recovery Services vault > Properties) and register the "
	    "server again.\nThen run a backup to confirm.",
	    "从 Azure 门户（恢复服务保管库 > 属性）下载新的保管库凭据，然后重新注册"
	    "服务器。\n然后运行一次备份进行确认。" },
	[T_DENIED_TITLE] = { "Access is denied (E_ACCESSDENIED, Win32 error 5)",
	    "拒绝访问（E_ACCESSDENIED，Win32 错误 5）" },
	[T_DENIED_FIX] = { "Give the SYSTEM account read access to the files, "
	    "or exclude them from the backup policy.",
	    "为 SYSTEM 帐户授予这些文件的读取权限，或将它们从备份策略中排除。" },
	[T_CACHE_TITLE] = { "The cache (scratch) volume is low on free space",
	    "缓存（暂存）卷的可用空间不足" },
	[T_CACHE_FIX] = { "Free space on the cache volume, or move the cache "
	    "folder to a volume with at least 5% of the backup data size free.",
	    "释放缓存卷上的空间，或将缓存文件夹移到可用空间至少为备份数据大小 5% 的卷。" },
	[T_VSS_TITLE] = { "VSS snapshot creation was retried",
	    "VSS 快照创建已重试" },
	[T_NET_TITLE] = { "Cannot reach the Azure service: check the proxy "
	    "and firewall settings",
	    "无法连接 Azure 服务：请检查代理和防火墙设置" },
	[T_NET_FIX] = { "Allow outbound HTTPS to the Azure Backup endpoints, "
	    "or set the proxy in the MARS agent console.",
	    "允许到 Azure 备份终结点的出站 HTTPS，或在 MARS 代理控制台中设置代理。" },
	[T_INFO_TITLE] = { "Network throttling is on", "网络限制已启用" },
};

static int64_t
at(int y, unsigned mo, unsigned d, int h, int mi, int sec)
{
	return (ml_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
	    sec) * 1000;
}

/* s (a fixed string) with the hostile payload appended in SET_HOSTILE. */
static const char *
val(enum set set, const char *s, char *buf, size_t len)
{
	if (set != SET_HOSTILE)
		return s;
	snprintf(buf, len, "%s%s", s, HOSTILE);
	return buf;
}

static void
set_str(char **dst, enum set set, const char *s)
{
	char buf[512];

	assert_int_equal(summary_set_str(dst, val(set, s, buf, sizeof(buf))), 0);
}

static void
add_finding(struct summary *s, enum set set, const char *machine,
    const char *id, const char *code, enum cat_level level, uint64_t count,
    const char *title, const char *fix, int64_t last)
{
	char b1[256], b2[256];
	struct summary_finding *f;

	f = summary_finding_get(s, val(set, machine, b1, sizeof(b1)),
	    val(set, id, b2, sizeof(b2)), NULL);
	assert_non_null(f);
	if (code != NULL)
		set_str(&f->code, set, code);
	f->level = level;
	f->count = count;
	set_str(&f->title, set, title);
	if (fix != NULL)
		set_str(&f->remediation, set, fix);
	f->first_seen = last - 3600000;
	f->last_seen = last;
}

static void
add_job(struct summary *s, enum set set, const char *machine,
    const char *task, int64_t start, int64_t end, enum job_outcome outcome,
    const char *hresult)
{
	char b1[256], b2[256];
	struct summary_job *j;

	j = summary_job_get(s, val(set, machine, b1, sizeof(b1)),
	    val(set, task, b2, sizeof(b2)), NULL);
	assert_non_null(j);
	j->kind = JOB_BACKUP;
	j->start = start;
	j->end = end;
	j->outcome = outcome;
	j->outcome_time = end;
	if (hresult != NULL)
		set_str(&j->hresult, set, hresult);
}

static void
add_failed_file(struct summary *s, enum set set, const char *machine,
    const char *path, const char *code, uint64_t count)
{
	char b1[256], b2[256], b3[256];
	struct summary_failed_file *ff;

	ff = summary_failed_file_get(s, val(set, machine, b1, sizeof(b1)),
	    val(set, path, b2, sizeof(b2)),
	    code != NULL ? val(set, code, b3, sizeof(b3)) : NULL, NULL);
	assert_non_null(ff);
	ff->count = count;
}

static void
add_template(struct summary *s, enum set set, const char *machine,
    const char *text, enum cat_level level, uint64_t count)
{
	char b1[256], b2[256];
	struct summary_template *m;

	m = summary_template_get(s, val(set, machine, b1, sizeof(b1)),
	    val(set, text, b2, sizeof(b2)), NULL);
	assert_non_null(m);
	m->level = level;
	m->count = count;
}

static void
add_input(struct summary *s, enum set set, const char *machine,
    const char *path, enum input_status status, const char *warning)
{
	char b1[256], b2[256];
	struct summary_input *in;

	in = summary_input_add(s, val(set, machine, b1, sizeof(b1)),
	    val(set, path, b2, sizeof(b2)));
	assert_non_null(in);
	in->kind = INPUT_ERRLOG;
	in->encoding = TEXT_UTF16LE;
	in->status = status;
	if (warning != NULL)
		set_str(&in->warning, set, warning);
}

static void
add_machine(struct summary *s, enum set set, const char *name,
    uint64_t errors, uint64_t warnings, int64_t first, int64_t last,
    const char *agent)
{
	char b1[256];
	struct summary_machine *m;

	m = summary_machine_get(s, val(set, name, b1, sizeof(b1)), NULL);
	assert_non_null(m);
	m->errors = errors;
	m->warnings = warnings;
	m->first_seen = first;
	m->last_seen = last;
	if (agent != NULL)
		set_str(&m->agent_version, set, agent);
}

/*
 * One machine (FS01) with two errors, two warnings, two info findings,
 * three jobs (ok, failed, unknown), failed files under three codes and
 * none, two unknown messages and a skipped and a partial input.  The
 * fleet adds FS02.  Titles and fixes are in `lang`, as the analyzer
 * would have copied them from the catalog.
 */
static struct summary *
build(enum set set, enum cat_lang lang)
{
	struct summary *s = summary_new();
	const char *fs01 = "FS01", *fs02 = "FS02";

	assert_non_null(s);
	assert_int_equal(summary_set_str(&s->generator, "marslog 0.1.0"), 0);
	add_machine(s, set, fs01, 15, 42, at(2024, 6, 6, 20, 58, 1),
	    at(2024, 6, 8, 21, 3, 30), "2.0.9262.0");
	add_finding(s, set, fs01, "mars-130055", "130055", CAT_LEVEL_ERROR, 12,
	    txt[T_CRED_TITLE][lang], txt[T_CRED_FIX][lang],
	    at(2024, 6, 8, 21, 3, 0));
	add_finding(s, set, fs01, "hresult-0x80070005", "0x80070005",
	    CAT_LEVEL_ERROR, 3, txt[T_DENIED_TITLE][lang],
	    txt[T_DENIED_FIX][lang], at(2024, 6, 7, 23, 5, 0));
	add_finding(s, set, fs01, "mars-cache-space", "SalLowDiskSpace",
	    CAT_LEVEL_WARNING, 40, txt[T_CACHE_TITLE][lang],
	    txt[T_CACHE_FIX][lang], at(2024, 6, 8, 20, 0, 0));
	add_finding(s, set, fs01, "text-vss-retry", NULL, CAT_LEVEL_WARNING, 2,
	    txt[T_VSS_TITLE][lang], NULL, at(2024, 6, 7, 21, 1, 0));
	add_finding(s, set, fs01, "mars-throttle", "ThrottlingOn",
	    CAT_LEVEL_INFO, 100, txt[T_INFO_TITLE][lang], NULL,
	    at(2024, 6, 8, 21, 0, 0));
	add_finding(s, set, fs01, "mars-proxy-set", "ProxyConfigured",
	    CAT_LEVEL_INFO, 5, txt[T_INFO_TITLE][lang], NULL,
	    at(2024, 6, 8, 21, 0, 0));

	add_job(s, set, fs01, "F3E32129-DC79-4A28-9ACC-3F30CB5810B6",
	    at(2024, 6, 6, 21, 0, 0), at(2024, 6, 6, 21, 42, 10),
	    JOB_SUCCEEDED, NULL);
	add_job(s, set, fs01, "0B8D6A11-7C2E-4F0B-9B1A-2D5E8C3F4A21",
	    at(2024, 6, 7, 21, 0, 0), at(2024, 6, 7, 23, 5, 0), JOB_FAILED,
	    "0x80070005");
	add_job(s, set, fs01, "5C1E0F77-1D2B-4E3A-8F90-ABCDEF012345",
	    at(2024, 6, 8, 21, 0, 0), ML_TIME_NONE, JOB_UNKNOWN, NULL);

	add_failed_file(s, set, fs01, "D:\\Data\\Finance\\Q2\\report.xlsx",
	    "0x80070005", 2);
	add_failed_file(s, set, fs01, "D:\\Data\\HR\\salaries.docx",
	    "0x80070005", 1);
	add_failed_file(s, set, fs01, "D:\\Data\\Mail\\archive.pst",
	    "0x80070020", 5);
	add_failed_file(s, set, fs01, "D:\\Data\\odd.bin", NULL, 1);

	add_template(s, set, fs01, "Unexpected response from the service: "
	    "status <n>, retrying in <n> seconds", CAT_LEVEL_WARNING, 7);
	add_template(s, set, fs01, "Failed to open the volume <path>: the "
	    "device is not ready", CAT_LEVEL_ERROR, 2);

	add_input(s, set, fs01, "fs01.zip!Temp/CBEngineCurr.errlog", INPUT_OK,
	    NULL);
	add_input(s, set, fs01, "fs01.zip!Temp/Crash/CBEngine.errlog."
	    "2024-06-01_20-55-45.Crash.bin", INPUT_SKIPPED,
	    "binary file (NUL bytes spread through the data)");
	add_input(s, set, fs01, "fs01.zip!Temp/LastBackupFailedFilesa1b2.txt",
	    INPUT_PARTIAL, "3 lines longer than 64 KiB were cut");

	if (set != SET_SINGLE) {
		add_machine(s, set, fs02, 8, 3, at(2024, 6, 7, 8, 0, 0),
		    at(2024, 6, 9, 2, 15, 0), NULL);
		add_finding(s, set, fs02, "mars-130055", "130055",
		    CAT_LEVEL_ERROR, 1, txt[T_CRED_TITLE][lang],
		    txt[T_CRED_FIX][lang], at(2024, 6, 7, 22, 0, 0));
		add_finding(s, set, fs02, "mars-100050", "100050",
		    CAT_LEVEL_ERROR, 7, txt[T_NET_TITLE][lang],
		    txt[T_NET_FIX][lang], at(2024, 6, 9, 2, 15, 0));
		add_job(s, set, fs02, "9A8B7C6D-1111-2222-3333-444455556666",
		    at(2024, 6, 7, 22, 0, 0), at(2024, 6, 7, 22, 0, 45),
		    JOB_FAILED, "0x80072EE7");
		add_job(s, set, fs02, "77777777-8888-9999-AAAA-BBBBCCCCDDDD",
		    at(2024, 6, 8, 22, 0, 0), at(2024, 6, 9, 1, 30, 0),
		    JOB_WARNINGS, NULL);
		add_template(s, set, fs02, "Proxy returned <n>",
		    CAT_LEVEL_WARNING, 3);
		add_input(s, set, fs02, "fs02.zip!Temp/CBEngineCurr.errlog",
		    INPUT_OK, NULL);
	}
	summary_finish(s);
	return s;
}

/* Run the writer into memory; returns the malloc'd output. */
static char *
render(const struct summary *s, enum cat_lang lang, int width, int color,
    const char *title, size_t *len)
{
	struct report_options o;
	char *buf = NULL, err[256] = "";
	size_t n = 0;
	FILE *fp;

	memset(&o, 0, sizeof(o));
	o.lang = lang;
	o.width = width;
	o.color = color;
	o.title = title;
	fp = open_memstream(&buf, &n);
	assert_non_null(fp);
	assert_int_equal(report_writer_summary.write(s, &o, fp, NULL, err,
	    sizeof(err)), 0);
	assert_int_equal(fclose(fp), 0);
	if (len != NULL)
		*len = n;
	return buf;
}

/* Drop our own colour codes (ESC [ digits/; m); any other ESC stays. */
static size_t
strip_sgr(char *p, size_t n)
{
	size_t i = 0, o = 0, j;

	while (i < n) {
		if (p[i] == '\x1b' && i + 1 < n && p[i + 1] == '[') {
			for (j = i + 2; j < n && (p[j] == ';' ||
			    (p[j] >= '0' && p[j] <= '9')); j++)
				;
			if (j < n && p[j] == 'm') {
				i = j + 1;
				continue;
			}
		}
		p[o++] = p[i++];
	}
	p[o] = '\0';
	return o;
}

/* Every line: valid UTF-8, no control byte, at most `width` columns. */
static void
check_lines(const char *p, size_t n, size_t width)
{
	size_t i = 0, k, start;
	uint32_t cp;

	while (i < n) {
		start = i;
		while (i < n && p[i] != '\n') {
			unsigned char c = (unsigned char)p[i];

			if (c < 0x20 || c == 0x7f)
				fail_msg("control byte 0x%02x in line \"%.*s\"", c,
				    (int)(i - start), p + start);
			k = text_utf8_next(p + i, n - i, &cp);
			if (k == 1 && c >= 0x80)
				fail_msg("invalid UTF-8 at byte %zu", i);
			if ((cp >= 0x80 && cp < 0xa0) || cp == 0x202e)
				fail_msg("C1 or bidi control U+%04X", (unsigned)cp);
			i += k;
		}
		if (text_width(p + start, i - start) > width)
			fail_msg("line of %zu columns (width %zu): \"%.*s\"",
			    text_width(p + start, i - start), width,
			    (int)(i - start), p + start);
		i++;
	}
}

/* ------------------------------------------------------------ goldens */

struct golden {
	enum set set;
	enum cat_lang lang;
	int width;
	const char *file;
};

static struct golden goldens[] = {
	{ SET_SINGLE, CAT_LANG_EN, 80, "test/golden/summary-single-en-80.txt" },
	{ SET_SINGLE, CAT_LANG_EN, 200, "test/golden/summary-single-en-200.txt" },
	{ SET_SINGLE, CAT_LANG_ZH, 80, "test/golden/summary-single-zh-80.txt" },
	{ SET_SINGLE, CAT_LANG_ZH, 200, "test/golden/summary-single-zh-200.txt" },
	{ SET_FLEET, CAT_LANG_EN, 80, "test/golden/summary-fleet-en-80.txt" },
	{ SET_FLEET, CAT_LANG_EN, 200, "test/golden/summary-fleet-en-200.txt" },
	{ SET_FLEET, CAT_LANG_ZH, 80, "test/golden/summary-fleet-zh-80.txt" },
	{ SET_FLEET, CAT_LANG_ZH, 200, "test/golden/summary-fleet-zh-200.txt" },
};

static char *
read_file(const char *path, size_t *len)
{
	char *buf = NULL;
	long n;
	FILE *fp = fopen(path, "rb");

	if (fp == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf != NULL && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		if (buf != NULL) {
			buf[n] = '\0';
			*len = (size_t)n;
		}
	}
	fclose(fp);
	return buf;
}

/* Line number and text of the first difference, for the failure. */
static void
report_diff(const char *path, const char *want, size_t wn, const char *got,
    size_t gn)
{
	size_t i = 0, line = 1, ls = 0, we, ge;

	while (i < wn && i < gn && want[i] == got[i]) {
		if (want[i] == '\n') {
			line++;
			ls = i + 1;
		}
		i++;
	}
	for (we = ls; we < wn && want[we] != '\n'; we++)
		;
	for (ge = ls; ge < gn && got[ge] != '\n'; ge++)
		;
	fail_msg("%s differs at line %zu\n  want: \"%.*s\"\n  got:  \"%.*s\"\n"
	    "(MARSLOG_UPDATE_GOLDEN=1 rewrites the goldens)", path, line,
	    (int)(we - ls), want + ls, (int)(ge - ls), got + ls);
}

static void
test_golden(void **state)
{
	const struct golden *g = *state;
	struct summary *s = build(g->set, g->lang);
	const char *update = getenv("MARSLOG_UPDATE_GOLDEN");
	size_t n, wn = 0;
	char *out = render(s, g->lang, g->width, 0, NULL, &n), *want;
	FILE *fp;

	check_lines(out, n, (size_t)g->width);
	if (update != NULL && strcmp(update, "1") == 0) {
		fp = fopen(g->file, "wb");
		assert_non_null(fp);
		assert_int_equal(fwrite(out, 1, n, fp), n);
		assert_int_equal(fclose(fp), 0);
	}
	want = read_file(g->file, &wn);
	if (want == NULL)
		fail_msg("cannot read %s (MARSLOG_UPDATE_GOLDEN=1 creates it)",
		    g->file);
	if (wn != n || memcmp(want, out, n) != 0)
		report_diff(g->file, want, wn, out, n);
	free(want);
	free(out);
	summary_free(s);
}

/* -------------------------------------------------------- properties */

/* No line is ever wider than the width, whatever the width, language,
 * colour or content. */
static void
test_line_widths(void **state)
{
	static const int widths[] = { 1, 2, 9, 20, 33, 40, 59, 79, 80, 81,
	    119, 120, 132, 199, 200, 301 };
	enum set set;
	int lang, color;
	size_t w, n;
	char *out;

	(void)state;
	for (set = SET_SINGLE; set <= SET_HOSTILE; set++) {
		for (lang = 0; lang < CAT_LANG__COUNT; lang++) {
			struct summary *s = build(set, (enum cat_lang)lang);

			for (w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
				for (color = 0; color < 2; color++) {
					out = render(s, (enum cat_lang)lang,
					    widths[w], color, NULL, &n);
					if (color)
						n = strip_sgr(out, n);
					check_lines(out, n, (size_t)widths[w]);
					free(out);
				}
			}
			summary_free(s);
		}
	}
}

/* Width 0 means 80. */
static void
test_default_width(void **state)
{
	struct summary *s = build(SET_FLEET, CAT_LANG_EN);
	size_t n0, n80;
	char *a = render(s, CAT_LANG_EN, 0, 0, NULL, &n0);
	char *b = render(s, CAT_LANG_EN, 80, 0, NULL, &n80);

	(void)state;
	assert_int_equal(n0, n80);
	assert_memory_equal(a, b, n0);
	free(a);
	free(b);
	summary_free(s);
}

/* Escape sequences and control characters from logs never reach the
 * terminal, with or without colour; the visible text survives (the CR
 * becomes a space). */
static void
test_hostile(void **state)
{
	static const char *const banned[] = { "pwned", "dcs-body", "2J",
	    "31mF", "\r", "\b", "\a", "\x7f", "\xe2\x80\xae", "\x1b]", "\x1bP" };
	struct summary *s = build(SET_HOSTILE, CAT_LANG_EN);
	size_t n, i, b;
	int color;
	char *out;

	(void)state;
	for (color = 0; color < 2; color++) {
		out = render(s, CAT_LANG_EN, 400, color, "Report " HOSTILE, &n);
		/* our own colour codes go first ("\x1b[1;31mFindings" is
		 * not the payload's "31mF") */
		n = strip_sgr(out, n);
		for (b = 0; b < sizeof(banned) / sizeof(banned[0]); b++)
			if (strstr(out, banned[b]) != NULL)
				fail_msg("\"%s\" reached the output (colour %d)",
				    banned[b], color);
		for (i = 0; i + 1 < n; i++)
			if ((unsigned char)out[i] == 0xc2 &&
			    (unsigned char)out[i + 1] >= 0x80 &&
			    (unsigned char)out[i + 1] < 0xa0)
				fail_msg("C1 control at byte %zu", i);
		assert_null(memchr(out, '\x1b', n));
		/* what is left of each payload is its visible letters */
		assert_non_null(strstr(out, "FS01AB CDEFGH"));
		assert_non_null(strstr(out, "Report AB CDEFGH"));
		check_lines(out, n, 400);
		free(out);
	}
	summary_free(s);
}

/* Colour only when asked; the coloured output is the plain one plus
 * SGR codes. */
static void
test_color(void **state)
{
	struct summary *s = build(SET_FLEET, CAT_LANG_EN);
	size_t np, nc;
	char *plain = render(s, CAT_LANG_EN, 80, 0, NULL, &np);
	char *col = render(s, CAT_LANG_EN, 80, 1, NULL, &nc);

	(void)state;
	assert_null(memchr(plain, '\x1b', np));
	assert_non_null(strstr(col, "\x1b[1;31mFindings (6)\x1b[0m"));
	assert_non_null(strstr(col, "\x1b[31mstale\x1b[0m"));
	assert_non_null(strstr(col, "\x1b[33mneeds attention\x1b[0m"));
	assert_non_null(strstr(col, "\x1b[31m0x80070005\x1b[0m"));
	assert_non_null(strstr(col, "\x1b[1;31mFailed jobs (2)\x1b[0m"));
	assert_non_null(strstr(col, "\x1b[1mSkipped or partial inputs"));
	nc = strip_sgr(col, nc);
	assert_int_equal(nc, np);
	assert_memory_equal(col, plain, np);
	free(plain);
	free(col);
	summary_free(s);
}

/* Same summary and options, same bytes. */
static void
test_deterministic(void **state)
{
	struct summary *a = build(SET_FLEET, CAT_LANG_ZH);
	struct summary *b = build(SET_FLEET, CAT_LANG_ZH);
	size_t na, nb;
	char *oa = render(a, CAT_LANG_ZH, 132, 1, NULL, &na);
	char *ob = render(b, CAT_LANG_ZH, 132, 1, NULL, &nb);

	(void)state;
	assert_int_equal(na, nb);
	assert_memory_equal(oa, ob, na);
	free(oa);
	free(ob);
	summary_free(a);
	summary_free(b);
}

/* Empty summary: every section says "none", and the stale heading is
 * a statement, not "No successful backup ...: none". */
static void
test_empty(void **state)
{
	static const char want[] =
	    "MARS backup log analysis\n"
	    "What is wrong now\n"
	    "\n"
	    "Every machine had a successful backup in the last 26 hours\n"
	    "\n"
	    "Machines          0\n"
	    "Time span         - .. -\n"
	    "Jobs              0\n"
	    "Jobs succeeded    0\n"
	    "Failed jobs       0\n"
	    "Error findings    0\n"
	    "Warning findings  0\n"
	    "Error lines       0\n"
	    "Warning lines     0\n"
	    "Failed files      0\n"
	    "Inputs            0\n"
	    "Reference time    - (the newest record)\n"
	    "\n"
	    "Findings: none\n"
	    "\n"
	    "Failed jobs: none\n"
	    "\n"
	    "Top failed files by code: none\n"
	    "\n"
	    "Unknown messages: none\n"
	    "\n"
	    "Skipped or partial inputs: none\n";
	struct summary *s = summary_new();
	char *out;

	(void)state;
	assert_non_null(s);
	summary_finish(s);
	out = render(s, CAT_LANG_EN, 80, 1, NULL, NULL);
	strip_sgr(out, strlen(out));
	assert_string_equal(out, want);
	assert_null(strstr(out, "No successful backup"));
	free(out);
	summary_free(s);
}

/*
 * A CJK title fills the rest of its row exactly: whole when the width
 * leaves 2 columns per character, cut with "…" one column earlier (the
 * ellipsis takes the place of a character that no longer fits).
 */
static void
test_cjk_title_exact(void **state)
{
	static const char title[] = "备份失败保管库凭据已过期请重新注册服务器并运行备份";
	const size_t chars = (sizeof(title) - 1) / 3;	/* 2 columns each */
	const char *prefix = "      1  X     ";	/* under "Count  Code  " */
	struct summary *s = summary_new();
	struct summary_finding *f;
	char *out, *row, want[256];
	size_t width;

	(void)state;
	assert_non_null(s);
	f = summary_finding_get(s, "M", "x", NULL);
	assert_non_null(f);
	assert_int_equal(summary_set_str(&f->code, "X"), 0);
	assert_int_equal(summary_set_str(&f->title, title), 0);
	f->level = CAT_LEVEL_ERROR;
	f->count = 1;
	summary_finish(s);

	width = strlen(prefix) + 2 * chars;
	out = render(s, CAT_LANG_EN, (int)width, 0, NULL, NULL);
	snprintf(want, sizeof(want), "\n%s%s\n", prefix, title);
	assert_non_null(strstr(out, want));
	free(out);

	/* one column less: 23 characters (46 columns) + "…" */
	out = render(s, CAT_LANG_EN, (int)width - 1, 0, NULL, NULL);
	snprintf(want, sizeof(want), "\n%s%.*s" TEXT_ELLIPSIS "\n", prefix,
	    (int)(3 * (chars - 1)), title);
	assert_non_null(strstr(out, want));
	free(out);

	/* two less: 22 characters (44 columns) + "…", one column unused */
	out = render(s, CAT_LANG_EN, (int)width - 2, 0, NULL, NULL);
	snprintf(want, sizeof(want), "\n%s%.*s" TEXT_ELLIPSIS "\n", prefix,
	    (int)(3 * (chars - 2)), title);
	row = strstr(out, want);
	assert_non_null(row);
	free(out);
	summary_free(s);
}

/*
 * Long lists are capped by the view: a fleet of 25 failing machines shows
 * 20 verdict rows, 20 findings, the 10 most recent failed jobs, and each
 * says how many rows it left out.
 */
static void
test_caps(void **state)
{
	struct summary *s = summary_new();
	struct summary_machine *m;
	char name[32], id[32], task[48], *out, *p;
	int i;

	(void)state;
	assert_non_null(s);
	for (i = 0; i < 25; i++) {
		snprintf(name, sizeof(name), "SRV%02d", i);
		m = summary_machine_get(s, name, NULL);
		assert_non_null(m);
		snprintf(task, sizeof(task), "%08X-0000-0000-0000-000000000000",
		    (unsigned)i);
		add_job(s, SET_SINGLE, name, task, at(2024, 6, 1 + i, 21, 0, 0),
		    at(2024, 6, 1 + i, 22, 0, 0), JOB_FAILED, NULL);
	}
	for (i = 0; i < 45; i++) {
		snprintf(id, sizeof(id), "err-%02d", i);
		add_finding(s, SET_SINGLE, "SRV00", id, NULL, CAT_LEVEL_ERROR,
		    100 - (uint64_t)i, "t", NULL, at(2024, 6, 1, 0, 0, 0));
	}
	summary_finish(s);
	out = render(s, CAT_LANG_EN, 100, 0, NULL, NULL);
	check_lines(out, strlen(out), 100);

	/* verdicts: every machine fails, so name order: SRV00..SRV19 */
	p = strstr(out, "What is wrong now\n");
	assert_non_null(p);
	assert_non_null(strstr(p, "\n  SRV19 "));
	assert_true(strstr(p, "\n  SRV20 ") > strstr(p, "and 5 more"));
	assert_non_null(strstr(p, "  " TEXT_ELLIPSIS " and 5 more\n"));
	/* findings: 20 of 45 */
	assert_non_null(strstr(out, " err-19 "));
	assert_null(strstr(out, " err-20 "));
	assert_non_null(strstr(out, "  " TEXT_ELLIPSIS " and 25 more\n"));
	/* failed jobs: the 10 most recent, newest first */
	p = strstr(out, "Failed jobs (25)\n");
	assert_non_null(p);
	assert_non_null(strstr(p, "SRV24    2024-06-25 21:00Z"));
	assert_non_null(strstr(p, "SRV15    2024-06-16 21:00Z"));
	assert_null(strstr(p, "SRV14    2024-06-15"));
	free(out);
	summary_free(s);
}

/*
 * Names that do not fit are cut in the middle and never to the same
 * string as another name (the column widens until they differ); codes
 * are printed whole, so they can be pasted into `marslog explain`.
 */
static void
test_names_codes(void **state)
{
	static const char *const names[] = {
		"backup-server-frankfurt-east-0001",
		"backup-server-frankfurt-east-0002",
		"backup-server-frankfurt-west-0001",
	};
	struct summary *s = summary_new();
	char task[48], *out, *p;
	size_t i, k;

	(void)state;
	assert_non_null(s);
	for (i = 0; i < 3; i++) {
		assert_non_null(summary_machine_get(s, names[i], NULL));
		snprintf(task, sizeof(task), "%08X-0000-0000-0000-000000000000",
		    (unsigned)i);
		add_job(s, SET_SINGLE, names[i], task, at(2024, 6, 1, 21, 0, 0),
		    at(2024, 6, 1, 22, 0, 0), JOB_FAILED, "0x80070070");
	}
	add_finding(s, SET_SINGLE, names[0], "SalChecksumStoreInitializationFailed",
	    "SalChecksumStoreInitializationFailed", CAT_LEVEL_ERROR, 3, "t",
	    NULL, at(2024, 6, 1, 21, 30, 0));
	summary_finish(s);
	out = render(s, CAT_LANG_EN, 80, 0, NULL, NULL);
	check_lines(out, strlen(out), 80);
	p = strstr(out, "What is wrong now\n");
	assert_non_null(p);
	/* three verdict rows whose first words differ pairwise */
	{
		char cut[3][64];

		for (i = 0; i < 3; i++) {
			p = strstr(p, "\n  backup");
			assert_non_null(p);
			p += 3;
			for (k = 0; k < sizeof(cut[i]) - 1 && p[k] != ' '; k++)
				cut[i][k] = p[k];
			cut[i][k] = '\0';
			assert_non_null(strstr(cut[i], TEXT_ELLIPSIS));
		}
		assert_string_not_equal(cut[0], cut[1]);
		assert_string_not_equal(cut[0], cut[2]);
		assert_string_not_equal(cut[1], cut[2]);
	}
	assert_non_null(strstr(out, " SalChecksumStoreInitializationFailed "));
	assert_non_null(strstr(out, " 0x80070070 "));
	free(out);
	summary_free(s);
}

/* A write error comes back as -1 and a message. */
static void
test_write_error(void **state)
{
	struct summary *s = summary_new();
	struct report_options o;
	char err[128] = "";
	FILE *fp = fopen("/dev/null", "r");

	(void)state;
	assert_non_null(s);
	assert_non_null(fp);
	summary_finish(s);
	memset(&o, 0, sizeof(o));
	assert_int_equal(report_writer_summary.write(s, &o, fp, NULL, err,
	    sizeof(err)), -1);
	assert_true(err[0] != '\0');
	fclose(fp);
	summary_free(s);
}

/* Through the registry and report_write() into a file: the same bytes. */
static void
test_registry_file(void **state)
{
	const struct report_writer *w = report_writer_find("summary");
	struct summary *s = build(SET_SINGLE, CAT_LANG_EN);
	struct report_options o;
	char dir[] = "/tmp/marslog-term-XXXXXX", path[64], err[256] = "";
	char *want, *got;
	size_t wn, gn = 0;

	(void)state;
	assert_ptr_equal(w, &report_writer_summary);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/summary.txt", dir);
	memset(&o, 0, sizeof(o));
	o.lang = CAT_LANG_EN;
	o.width = 100;
	if (report_write(w, s, &o, path, err, sizeof(err)) != 0)
		fail_msg("report_write: %s", err);
	want = render(s, CAT_LANG_EN, 100, 0, NULL, &wn);
	got = read_file(path, &gn);
	assert_non_null(got);
	assert_int_equal(gn, wn);
	assert_memory_equal(got, want, wn);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	free(want);
	free(got);
	summary_free(s);
}

/* ------------------------------------------------------- text helpers */

static void
test_text_clean(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "", "" },
		{ "plain text", "plain text" },
		{ "  trim\t\tand\r\n collapse  ", "trim and collapse" },
		{ "a\x1b[2Jb", "ab" },
		{ "a\x1b[1;31mred\x1b[0m", "ared" },
		{ "t\x1b]0;pwned\x07x", "tx" },
		{ "t\x1b]8;;http://e.x\x1b\\link\x1b]8;;\x1b\\", "tlink" },
		{ "osc to the end\x1b]0;never terminated", "osc to the end" },
		{ "dcs\x1bPq#0;2;0;0;0\x1b\\ok", "dcsok" },
		{ "charset\x1b(Bok", "charsetok" },
		{ "keypad\x1b=ok", "keypadok" },
		{ "lone esc\x1b", "lone esc" },
		{ "bs\bbell\a del\x7f nul", "bsbell del nul" },
		{ "c1 \xc2\x85nel \xc2\x9b" "31mcsi", "c1 nel csi" },
		{ "c1 osc\xc2\x9d" "0;t\xc2\x9cok", "c1 oscok" },
		{ "bidi \xe2\x80\xae" "evil\xe2\x80\xac \xe2\x81\xa6x\xe2\x81\xa9",
		    "bidi evil x" },
		{ "zw\xe2\x80\x8bsp\xef\xbb\xbf", "zwsp" },
		{ "line\xe2\x80\xa8sep", "line sep" },
		{ "bad \xff\xfe utf8 \xe4\xb8", "bad \xef\xbf\xbd\xef\xbf\xbd utf8 "
		    "\xef\xbf\xbd\xef\xbf\xbd" },
		{ "overlong \xc0\xaf", "overlong \xef\xbf\xbd\xef\xbf\xbd" },
		{ "surrogate \xed\xa0\x80", "surrogate \xef\xbf\xbd\xef\xbf\xbd"
		    "\xef\xbf\xbd" },
		{ "中文 ok é", "中文 ok é" },
	};
	struct text_buf b = TEXT_BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		b.len = 0;
		text_buf_add_clean(&b, cases[i].in, strlen(cases[i].in));
		assert_false(b.oom);
		if (strcmp(b.p, cases[i].want) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, b.p,
			    cases[i].want);
	}
	b.len = 0;
	text_buf_add_clean(&b, NULL, 0);
	assert_string_equal(b.p, "");
	text_buf_release(&b);
}

static void
test_text_width(void **state)
{
	(void)state;
	assert_int_equal(text_width("abc", 3), 3);
	assert_int_equal(text_width("中文", 6), 4);
	assert_int_equal(text_width("a中b", 5), 4);
	assert_int_equal(text_width("ｆｕｌｌ", 12), 8);	/* fullwidth */
	assert_int_equal(text_width("한국", 6), 4);
	assert_int_equal(text_width("e\xcc\x81", 3), 1);	/* combining */
	assert_int_equal(text_width(TEXT_ELLIPSIS, 3), 1);
	assert_int_equal(text_width("\xf0\x9f\x98\x80", 4), 2);	/* emoji */
	assert_int_equal(text_width("\xf0\xa0\x80\x80", 4), 2);	/* U+20000 */
	assert_int_equal(text_cp_width(0x1b), 0);
	assert_int_equal(text_cp_width(0x3000), 2);
	assert_int_equal(text_cp_width(0xff61), 1);	/* halfwidth kana */
}

/* Cells at exact widths around CJK characters. */
static void
test_text_cell(void **state)
{
	static const struct {
		const char *in;
		size_t cols;
		unsigned flags;
		const char *want;
		size_t used;
	} cases[] = {
		{ "中文字符", 9, 0, "中文字符", 8 },
		{ "中文字符", 9, TEXT_CELL_PAD, "中文字符 ", 9 },
		{ "中文字符", 8, 0, "中文字符", 8 },
		{ "中文字符", 7, 0, "中文字…", 7 },
		{ "中文字符", 6, 0, "中文…", 5 },
		{ "中文字符", 6, TEXT_CELL_PAD, "中文… ", 6 },
		{ "中文字符", 6, TEXT_CELL_RIGHT, " 中文…", 6 },
		{ "中文字符", 3, 0, "中…", 3 },
		{ "中文字符", 2, 0, "…", 1 },
		{ "中文字符", 1, 0, "…", 1 },
		{ "中文字符", 0, TEXT_CELL_PAD, "", 0 },
		{ "中文字符", 5, TEXT_CELL_TAIL, "…字符", 5 },
		{ "中文字符", 4, TEXT_CELL_TAIL, "…符", 3 },
		{ "中文字符", 4, TEXT_CELL_TAIL | TEXT_CELL_RIGHT, " …符", 4 },
		{ "a中b", 3, 0, "a…", 2 },
		{ "ab cd", 4, 0, "ab…", 3 },	/* no space before the ellipsis */
		{ "dir/sub/file.log", 10, TEXT_CELL_TAIL, "…/file.log", 10 },
		{ "e\xcc\x81" "tude", 2, 0, "e\xcc\x81" TEXT_ELLIPSIS, 2 },
		{ "42", 5, TEXT_CELL_RIGHT, "   42", 5 },
	};
	struct text_buf b = TEXT_BUF_INIT;
	size_t i, used;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		b.len = 0;
		text_buf_add(&b, "", 0);
		used = text_buf_add_cell(&b, cases[i].in, strlen(cases[i].in),
		    cases[i].cols, cases[i].flags);
		if (strcmp(b.p, cases[i].want) != 0 || used != cases[i].used)
			fail_msg("case %zu: got \"%s\" (%zu), want \"%s\" (%zu)",
			    i, b.p, used, cases[i].want, cases[i].used);
		assert_int_equal(text_width(b.p, b.len), used);
	}
	text_buf_release(&b);
}

/* Fitting never cuts a UTF-8 sequence. */
static void
test_text_fit(void **state)
{
	static const char s[] = "a中b文c";
	size_t cols, w, k, off;

	(void)state;
	for (cols = 0; cols <= 8; cols++) {
		k = text_fit(s, strlen(s), cols, &w);
		assert_true(w <= cols);
		assert_true(k == strlen(s) || ((unsigned char)s[k] & 0xc0) != 0x80);
		assert_int_equal(text_width(s, k), w);
		off = text_fit_tail(s, strlen(s), cols, &w);
		assert_true(w <= cols);
		assert_true(off == strlen(s) ||
		    ((unsigned char)s[off] & 0xc0) != 0x80);
		assert_int_equal(text_width(s + off, strlen(s) - off), w);
	}
	assert_int_equal(text_fit(s, strlen(s), 2, &w), 1);	/* "a", 中 needs 2 */
	assert_int_equal(w, 1);
	assert_int_equal(text_fit_tail(s, strlen(s), 3, &w), 5);	/* "文c" */
	assert_int_equal(w, 3);
}

static void
test_text_buf(void **state)
{
	struct text_buf b = TEXT_BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < 1000; i++)
		text_buf_addf(&b, "%zu,", i);
	text_buf_spaces(&b, 3);
	text_buf_adds(&b, "end");
	assert_false(b.oom);
	assert_int_equal(b.len, strlen(b.p));
	assert_true(strncmp(b.p, "0,1,2,", 6) == 0);
	assert_non_null(strstr(b.p, "998,999,   end"));
	text_buf_release(&b);
	text_buf_release(&b);	/* released twice is fine */
	assert_null(b.p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate(test_golden, &goldens[0]),
		cmocka_unit_test_prestate(test_golden, &goldens[1]),
		cmocka_unit_test_prestate(test_golden, &goldens[2]),
		cmocka_unit_test_prestate(test_golden, &goldens[3]),
		cmocka_unit_test_prestate(test_golden, &goldens[4]),
		cmocka_unit_test_prestate(test_golden, &goldens[5]),
		cmocka_unit_test_prestate(test_golden, &goldens[6]),
		cmocka_unit_test_prestate(test_golden, &goldens[7]),
		cmocka_unit_test(test_line_widths),
		cmocka_unit_test(test_default_width),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_color),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_cjk_title_exact),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_names_codes),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_registry_file),
		cmocka_unit_test(test_text_clean),
		cmocka_unit_test(test_text_width),
		cmocka_unit_test(test_text_cell),
		cmocka_unit_test(test_text_fit),
		cmocka_unit_test(test_text_buf),
	};

	return cmocka_run_group_tests_name("report_term", tests, NULL, NULL);
}
