/* SPDX-License-Identifier: MIT */
/*
 * report_fixture.h -- a hand-built, realistic summary for the HTML and XLSX
 * writer tests (test_report_html.c, test_report_xlsx.c), built through the
 * summary API the analyzer uses.  Included by those tests only; everything
 * here is static.
 *
 * Two machines over one week of June 2024: daily backups (one failed, one
 * completed with warnings), catalog findings of every level, failed files,
 * unknown message templates, an hourly timeline, and inputs including a
 * skipped and a partially read one.  With `hostile` set, log-derived
 * strings carry script, markup and spreadsheet-formula payloads
 * (FIXTURE_PAYLOADS), which the writers must show as plain text.
 *
 * Also the small file and process helpers both tests use: read a file,
 * compare with (or, with MARSLOG_UPDATE_GOLDEN=1, rewrite) a golden file,
 * and run a program with its output in a file.
 */
#ifndef MARSLOG_TEST_REPORT_FIXTURE_H
#define MARSLOG_TEST_REPORT_FIXTURE_H

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "patterns/catalog.h"
#include "reports/summary.h"

#define FX_T0 INT64_C(1717200000000)	/* 2024-06-01T00:00:00Z */
#define FX_HOUR INT64_C(3600000)
#define FX_DAY (24 * FX_HOUR)

#define FX_SCRIPT "<script>document.title='pwned'</script>"
#define FX_IMG "<img src=x onerror=\"document.title='pwned'\">"
#define FX_SVG "\"><svg onload=\"document.title='pwned'\">"

/* Strings a log may contain that a report must keep as inert text. */
static const char *const FIXTURE_PAYLOADS[] = {
	"=HYPERLINK(\"http://x\",\"y\")",
	"=cmd|' /C calc'!A0",
	"@SUM(1)",
	"+1",
	"-1",
	FX_SCRIPT,
	FX_IMG,
};
#define FIXTURE_NPAYLOADS (sizeof(FIXTURE_PAYLOADS) / sizeof(FIXTURE_PAYLOADS[0]))

struct fx_text {
	const char *en, *zh;
};

struct fx_finding {
	const char *machine, *id, *code, *category;
	enum cat_level level;
	struct fx_text title, cause, fix;
	const char *doc;
	uint64_t count;
	int first_day, last_day;	/* days after FX_T0 */
	const char *sample;
};

#define FX_DOC "https://learn.microsoft.com/azure/backup/backup-azure-mars-troubleshoot"

static const struct fx_finding fx_findings[] = {
	{ "FS01", "mars-130055", "130055", "service", CAT_LEVEL_ERROR,
	  { "Activation failed: internal service error",
	    "激活失败：内部服务错误" },
	  { "The agent could not complete the operation because the "
	    "service returned an internal error, often after a passphrase "
	    "or scratch-space problem.",
	    "服务返回内部错误，代理无法完成操作，通常由密码或暂存空间问题引起。" },
	  { "Upgrade to the latest MARS agent, move the scratch folder to a "
	    "volume with at least 5% free space, then retry the backup.",
	    "升级到最新的 MARS 代理，将暂存文件夹移到可用空间至少 5% 的卷，然后重试备份。" },
	  FX_DOC "#the-activation-did-not-complete-successfully", 14, 3, 4,
	  "Failed: Hr: = [0x1FC07] The current operation failed due to an "
	  "internal service error [0x1FC07]." },
	{ "SQL02", "mars-100050", "100050", "network", CAT_LEVEL_ERROR,
	  { "Cannot connect to Microsoft Azure Backup",
	    "无法连接到 Microsoft Azure 备份" },
	  { "The agent has no route to the service: proxy authentication, a "
	    "firewall rule or DNS blocks outbound HTTPS.",
	    "代理无法访问服务：代理服务器身份验证、防火墙规则或 DNS 阻止了出站 HTTPS。" },
	  { "Check the proxy settings for the SYSTEM account and allow the "
	    "Azure Backup endpoints on port 443.",
	    "检查 SYSTEM 帐户的代理设置，并允许通过 443 端口访问 Azure 备份终结点。" },
	  FX_DOC "#the-microsoft-azure-recovery-service-agent-was-unable-to-connect-to-microsoft-azure-backup",
	  42, 1, 6,
	  "(407) Proxy Authentication Required. (ID: 100050)" },
	{ "FS01", "sal-low-disk-space", "SalLowDiskSpace", "cache",
	  CAT_LEVEL_ERROR,
	  { "Not enough space on the scratch volume",
	    "暂存卷空间不足" },
	  { "The volume that holds the scratch folder is almost full.",
	    "存放暂存文件夹的卷几乎已满。" },
	  { "Free at least 5-10% of the backup size on the scratch volume "
	    "or move the scratch folder.",
	    "在暂存卷上释放至少为备份大小 5-10% 的空间，或移动暂存文件夹。" },
	  FX_DOC "#backup-failed-due-to-insufficient-storage", 6, 4, 4,
	  "SalLowDiskSpace: free space 1.2 GB below threshold" },
	{ "FS01", "hresult-0x80070005", "0x80070005", "files",
	  CAT_LEVEL_WARNING,
	  { "Access is denied", "拒绝访问" },
	  { "Antivirus or another program locked the files.",
	    "防病毒软件或其他程序锁定了文件。" },
	  { "Exclude the MARS agent folders from antivirus scanning, or "
	    "exclude these files from the backup policy.",
	    "将 MARS 代理文件夹排除在防病毒扫描之外，或从备份策略中排除这些文件。" },
	  FX_DOC "#backup-jobs-completed-with-warning", 37, 5, 5,
	  "D:\\Shares\\Finance\\Q2\\ledger.xlsx 0x80070005 Access is denied" },
	{ "SQL02", "hresult-0x80070570", "0x80070570", "files",
	  CAT_LEVEL_WARNING,
	  { "The file or directory is corrupted and unreadable",
	    "文件或目录已损坏且无法读取" },
	  { "The file system on the source volume has errors.",
	    "源卷上的文件系统有错误。" },
	  { "Run chkdsk /f on the source volume.",
	    "在源卷上运行 chkdsk /f。" },
	  FX_DOC "#backup-jobs-completed-with-warning", 3, 2, 2,
	  "E:\\Data\\archive\\2019\\old.bak 0x80070570" },
	{ "FS01", "mars-last-completed-state", NULL, "job", CAT_LEVEL_INFO,
	  { "Last completed state (informational)",
	    "上次完成状态（仅供参考）" },
	  { "Logged as a warning after every job; not a problem.",
	    "每个作业后都会以警告级别记录；不是问题。" },
	  { "No action needed.", "无需操作。" },
	  NULL, 120, 0, 6,
	  "Last completed state for Ds Id 2814 is 5" },
};

static const char *
fx_lang(const struct fx_text *t, enum cat_lang lang)
{
	return lang == CAT_LANG_ZH ? t->zh : t->en;
}

/* Build the fixture.  NULL on OOM. */
static struct summary *
fixture_summary(enum cat_lang lang, int hostile)
{
	static const char *const machines[] = { "FS01", "SQL02" };
	static const char *const versions[] = { "2.0.9262.0", "2.0.9254.0" };
	struct summary *s = summary_new();
	char buf[256];
	size_t i;
	int d;

	if (s == NULL)
		return NULL;
	if (summary_set_str(&s->generator, "marslog 0.1.0") < 0)
		goto fail;
	for (i = 0; i < 2; i++) {
		struct summary_machine *m = summary_machine_get(s, machines[i],
		    NULL);

		if (m == NULL || summary_set_str(&m->agent_version,
		    versions[i]) < 0)
			goto fail;
		m->inputs = i == 0 ? 4 : 2;
		m->inputs_skipped = i == 0 ? 1 : 0;
		m->records = i == 0 ? 184220 : 96512;
		m->errors = i == 0 ? 20 : 42;
		m->warnings = i == 0 ? 157 : 9;
		m->first_seen = FX_T0 + 5 * 60000;
		m->last_seen = FX_T0 + 6 * FX_DAY + 23 * FX_HOUR;
	}
	for (i = 0; i < sizeof(fx_findings) / sizeof(fx_findings[0]); i++) {
		const struct fx_finding *x = &fx_findings[i];
		struct summary_finding *f = summary_finding_get(s, x->machine,
		    x->id, NULL);

		if (f == NULL ||
		    summary_set_str(&f->code, x->code) < 0 ||
		    summary_set_str(&f->category, x->category) < 0 ||
		    summary_set_str(&f->title, fx_lang(&x->title, lang)) < 0 ||
		    summary_set_str(&f->cause, fx_lang(&x->cause, lang)) < 0 ||
		    summary_set_str(&f->remediation, fx_lang(&x->fix, lang)) < 0 ||
		    summary_set_str(&f->doc_url, x->doc) < 0)
			goto fail;
		f->level = x->level;
		f->count = x->count;
		f->first_seen = FX_T0 + x->first_day * FX_DAY + 21 * FX_HOUR +
		    (int64_t)i * 60000;
		f->last_seen = FX_T0 + x->last_day * FX_DAY + 22 * FX_HOUR +
		    (int64_t)i * 61000;
		snprintf(buf, sizeof(buf), "%s.zip!Temp/CBEngineCurr.errlog",
		    strcmp(x->machine, "FS01") == 0 ? "fs01" : "sql02");
		if (summary_sample_offer(s, &f->sample, buf, 1200 + 37 * i,
		    x->sample, f->first_seen) < 0)
			goto fail;
	}
	if (hostile) {
		struct summary_finding *f = summary_finding_get(s, "FS01",
		    "hostile-1", NULL);

		if (f == NULL ||
		    summary_set_str(&f->code, "0x8007052E") < 0 ||
		    summary_set_str(&f->title, FX_IMG) < 0 ||
		    summary_set_str(&f->cause, FX_SCRIPT) < 0 ||
		    summary_set_str(&f->remediation, FX_SVG " \x1b[31mred\x1b[0m \x07 "
		    "\xe2\x80\xae" "evil") < 0 ||
		    summary_set_str(&f->doc_url, "javascript:document.title='pwned'") < 0 ||
		    summary_sample_offer(s, &f->sample, "x.zip!" FX_SCRIPT, 7,
		    FX_IMG, FX_T0) < 0)
			goto fail;
		f->level = CAT_LEVEL_ERROR;
		f->count = 1;
		f->first_seen = f->last_seen = FX_T0 + FX_HOUR;
		for (i = 0; i < FIXTURE_NPAYLOADS; i++) {
			struct summary_failed_file *ff;

			ff = summary_failed_file_get(s, "FS01",
			    FIXTURE_PAYLOADS[i], "0x80070005", NULL);
			if (ff == NULL)
				goto fail;
			ff->count = 1;
		}
	}

	/* A backup every evening; day 4 fails, day 5 has failed files. */
	for (d = 0; d < 7; d++) {
		for (i = 0; i < 2; i++) {
			struct summary_job *j;

			snprintf(buf, sizeof(buf), "%08X-DC79-4A28-9ACC-%012llX",
			    0xF3E32100u + (unsigned)(d * 2 + (int)i),
			    0x3F30CB5810ull + (unsigned long long)d);
			j = summary_job_get(s, machines[i], buf, NULL);
			if (j == NULL)
				goto fail;
			j->kind = JOB_BACKUP;
			j->start = FX_T0 + d * FX_DAY + 21 * FX_HOUR +
			    (int64_t)i * 30 * 60000;
			j->end = j->start + (i == 0 ? 47 : 12) * 60000 +
			    (int64_t)d * 13000;
			j->outcome = JOB_SUCCEEDED;
			j->outcome_time = j->end;
			if (i == 0 && d == 4) {
				j->outcome = JOB_FAILED;
				if (summary_set_str(&j->hresult, "0x80780054") < 0)
					goto fail;
			} else if (i == 0 && d == 5) {
				j->outcome = JOB_WARNINGS;
				j->failed_files = 37;
			} else if (i == 1 && (d == 1 || d == 6)) {
				j->outcome = JOB_FAILED;
				if (summary_set_str(&j->hresult, "0x80072EFD") < 0)
					goto fail;
			}
		}
	}
	{
		struct summary_job *j = summary_job_get(s, "SQL02",
		    "0B54E1C2-6A1D-4F4B-8B0E-2C1D3E4F5A6B", NULL);

		if (j == NULL)
			goto fail;
		j->kind = JOB_RESTORE;
		j->start = FX_T0 + 3 * FX_DAY + 10 * FX_HOUR;
		j->outcome = JOB_UNKNOWN;
	}

	for (i = 0; i < 34; i++) {
		struct summary_failed_file *ff;

		snprintf(buf, sizeof(buf), "D:\\Shares\\Finance\\Q2\\%s-%02zu.xlsx",
		    i % 3 == 0 ? "ledger" : i % 3 == 1 ? "payroll" : "budget", i);
		ff = summary_failed_file_get(s, "FS01", buf,
		    i < 30 ? "0x80070005" : i < 33 ? "0x8007018B" : NULL, NULL);
		if (ff == NULL)
			goto fail;
		ff->count = i < 3 ? 3 - i : 1;
	}
	for (i = 0; i < 3; i++) {
		struct summary_failed_file *ff;

		snprintf(buf, sizeof(buf), "E:\\Data\\archive\\2019\\old-%zu.bak", i);
		ff = summary_failed_file_get(s, "SQL02", buf, "0x80070570", NULL);
		if (ff == NULL)
			goto fail;
		ff->count = 1;
	}

	{
		struct summary_template *t;

		t = summary_template_get(s, "FS01",
		    hostile ? FX_SCRIPT : "Failed to open handle for <path>, error <n>",
		    NULL);
		if (t == NULL || summary_sample_offer(s, &t->sample,
		    "fs01.zip!Temp/CBEngineCurr.errlog", 5121,
		    "Failed to open handle for \\\\?\\Volume{6f1c}\\pagefile.sys, error 32",
		    FX_T0 + 2 * FX_DAY) < 0)
			goto fail;
		t->level = CAT_LEVEL_WARNING;
		t->count = 23;
		t->first_seen = FX_T0 + 2 * FX_DAY;
		t->last_seen = FX_T0 + 6 * FX_DAY;
		t = summary_template_get(s, "SQL02",
		    "Unexpected response from service: <hex>", NULL);
		if (t == NULL || summary_sample_offer(s, &t->sample,
		    "sql02.zip!Temp/CBEngineCurr.errlog", 881,
		    "Unexpected response from service: 0x1b7afbe0",
		    FX_T0 + 1 * FX_DAY) < 0)
			goto fail;
		t->level = CAT_LEVEL_ERROR;
		t->count = 4;
		t->first_seen = FX_T0 + 1 * FX_DAY;
		t->last_seen = FX_T0 + 6 * FX_DAY;
	}

	{
		static const struct {
			const char *machine, *path;
			enum input_kind kind;
			enum text_encoding enc;
			uint64_t bytes, records, unparsed;
			enum input_status st;
			const char *warning;
		} in[] = {
			{ "FS01", "fs01.zip!Temp/CBEngineCurr.errlog", INPUT_ERRLOG,
			  TEXT_UTF16LE, 41943040, 150112, 3, INPUT_OK, NULL },
			{ "FS01", "fs01.zip!Temp/CBEngine1.errlog", INPUT_ERRLOG,
			  TEXT_UTF16LE, 10485760, 34108, 0, INPUT_OK, NULL },
			{ "FS01", "fs01.zip!Temp/LastBackupFailedFiles17af1_6_6_2024.txt",
			  INPUT_FAILED_FILES, TEXT_UTF8, 2210, 34, 0, INPUT_OK, NULL },
			{ "FS01", "fs01.zip!Temp/crashdump.dmp", INPUT_OTHER,
			  TEXT_BINARY, 1048576, 0, 0, INPUT_SKIPPED,
			  "binary file, not a log" },
			{ "SQL02", "sql02.zip!Temp/CBEngineCurr.errlog", INPUT_ERRLOG,
			  TEXT_UTF16LE, 20971520, 96512, 12, INPUT_PARTIAL,
			  "last line cut short (file was being written)" },
			{ "SQL02", "sql02.zip!Temp/CBUICurr.errlog", INPUT_ERRLOG,
			  TEXT_UTF8, 8192, 0, 0, INPUT_OK, NULL },
		};

		for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
			struct summary_input *x = summary_input_add(s,
			    in[i].machine, in[i].path);

			if (x == NULL || summary_set_str(&x->warning,
			    hostile && i == 3 ? FX_SVG : in[i].warning) < 0)
				goto fail;
			x->kind = in[i].kind;
			x->encoding = in[i].enc;
			x->bytes = in[i].bytes;
			x->records = in[i].records;
			x->unparsed_lines = in[i].unparsed;
			x->status = in[i].st;
			x->mtime = FX_T0 + 7 * FX_DAY;
		}
	}

	/* Errors and warnings around each evening's backup window. */
	for (d = 0; d < 7; d++) {
		int hh;

		for (hh = 19; hh < 24; hh++) {
			int64_t t = FX_T0 + d * FX_DAY + hh * FX_HOUR;
			uint64_t w = (uint64_t)((d * 7 + hh * 3) % 9);
			uint64_t e = hh == 22 ? (uint64_t)(d == 4 ? 12 : d % 3) :
			    hh == 21 && d == 1 ? 8 : 0;

			if ((w > 0 && summary_timeline_add(s, "FS01", t,
			    CAT_LEVEL_WARNING, w) < 0) ||
			    (e > 0 && summary_timeline_add(s, "SQL02", t,
			    CAT_LEVEL_ERROR, e) < 0))
				goto fail;
		}
	}
	summary_finish(s);
	return s;
fail:
	summary_free(s);
	return NULL;
}

/* The whole file, NUL-terminated (*n excludes the NUL); NULL if it
 * cannot be read. */
static char *
fx_read_file(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL, *p;
	size_t cap = 0, len = 0, got;

	if (fp == NULL)
		return NULL;
	do {
		if (cap - len < 65536) {
			cap = cap ? 2 * cap : 65536;
			if ((p = realloc(buf, cap + 1)) == NULL) {
				free(buf);
				fclose(fp);
				return NULL;
			}
			buf = p;
		}
		got = fread(buf + len, 1, cap - len, fp);
		len += got;
	} while (got > 0);
	fclose(fp);
	buf[len] = '\0';
	*n = len;
	return buf;
}

static int
fx_write_file(const char *path, const char *data, size_t n)
{
	FILE *fp = fopen(path, "wb");

	if (fp == NULL)
		return -1;
	if (fwrite(data, 1, n, fp) != n) {
		fclose(fp);
		return -1;
	}
	return fclose(fp) == 0 ? 0 : -1;
}

/*
 * Compare `got` with the golden file; with MARSLOG_UPDATE_GOLDEN=1 write
 * it first.  Returns NULL when equal, else a static message saying where
 * they differ.
 */
static const char *
fx_golden(const char *golden, const char *got, size_t n)
{
	static char msg[512];
	const char *update = getenv("MARSLOG_UPDATE_GOLDEN");
	char *want;
	size_t wn = 0, i, line = 1;

	if (update != NULL && strcmp(update, "1") == 0 &&
	    fx_write_file(golden, got, n) < 0) {
		snprintf(msg, sizeof(msg), "cannot write %s", golden);
		return msg;
	}
	if ((want = fx_read_file(golden, &wn)) == NULL) {
		snprintf(msg, sizeof(msg), "cannot read %s "
		    "(MARSLOG_UPDATE_GOLDEN=1 creates it)", golden);
		return msg;
	}
	for (i = 0; i < wn && i < n && want[i] == got[i]; i++)
		line += want[i] == '\n';
	free(want);
	if (i == wn && i == n)
		return NULL;
	snprintf(msg, sizeof(msg), "%s differs at byte %zu (line %zu); "
	    "MARSLOG_UPDATE_GOLDEN=1 rewrites the goldens", golden, i, line);
	return msg;
}

/* Run argv[0] (a full path) with stdout into `out` and stderr into `errf`
 * (NULL: inherited; the same pointer: one file).  Returns the exit
 * status, or -1 if it could not run. */
static int
fx_run(const char *const argv[], const char *out, const char *errf)
{
	extern char **environ;
	posix_spawn_file_actions_t fa;
	char *v[64];
	size_t n = 0;
	pid_t pid;
	int st, rc = 0;

	while (argv[n] != NULL && n < 63)
		n++;
	memcpy(v, argv, n * sizeof(*v));	/* posix_spawn wants char * */
	v[n] = NULL;
	if (posix_spawn_file_actions_init(&fa) != 0)
		return -1;
	if (out != NULL)
		rc |= posix_spawn_file_actions_addopen(&fa, 1, out,
		    O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (errf != NULL && errf == out)
		rc |= posix_spawn_file_actions_adddup2(&fa, 1, 2);
	else if (errf != NULL)
		rc |= posix_spawn_file_actions_addopen(&fa, 2, errf,
		    O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (rc == 0)
		rc = posix_spawn(&pid, v[0], &fa, NULL, v, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return -1;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A test's temporary folder and a path in it (for setup/teardown). */
struct fx_ctx {
	char dir[64];		/* mkdtemp */
	char path[128];
};

/* *state = a new fx_ctx with its folder made from `tmpl`, a mkdtemp
 * template.  0, or -1. */
static int
fx_ctx_setup(void **state, const char *tmpl)
{
	struct fx_ctx *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return -1;
	snprintf(c->dir, sizeof(c->dir), "%s", tmpl);
	if (mkdtemp(c->dir) == NULL) {
		free(c);
		return -1;
	}
	*state = c;
	return 0;
}

/* Remove the folder of fx_ctx_setup() and free the context. */
static int
fx_ctx_teardown(void **state)
{
	struct fx_ctx *c = *state;
	const char *argv[] = { "/bin/rm", "-rf", c->dir, NULL };

	fx_run(argv, NULL, NULL);
	free(c);
	return 0;
}

#endif
