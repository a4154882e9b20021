/* SPDX-License-Identifier: MIT */
/*
 * test_e2e_redact.c -- --redact end to end, and the redactor's rules.
 *
 * A bundle full of a customer's identifying data (machine, host, user
 * and domain names, e-mail and IP addresses, folder, file and share
 * names, subscription, vault, storage account and task IDs) in UTF-16LE
 * and UTF-8 traces, a failed-files list and archive entry names, one of
 * them damaged so that a warning names it.  marslog writes every output
 * with --redact-key; none of the sensitive strings may appear in any of
 * them, byte for byte: terminal summary, --inputs, stderr, JSON, HTML and
 * every XML part of the XLSX.  Counts, codes, levels and job outcomes
 * must equal those of the plain run; the same key gives the same JSON,
 * another key other pseudonyms; redacted and plain summaries never mix.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "test/test_archive.h"
#include "test/test_util.h"

#include "reports/json.h"
#include "reports/redact.h"
#include "reports/summary.h"

static char dir[64];
static const char *marslog, *wrap;

#define run(r, ...) test_run((r), dir, wrap, marslog, __VA_ARGS__)

#define T1 "A1B2C3D4-1111-4222-8333-944455556666"
#define T2 "B7E0C1D2-2222-4333-8444-A55566667777"
#define SUB "9b1f2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"

/* A canonical trace line (TABs, CRLF) of task `task` at `level`. */
#define L(time, task, level, msg) \
	"0E6C\t0A18\t06/08\t" time "\t71\tbackupasync.cpp(1279)\t" \
	"[000000001A12E3F0]\t" task "\t" level "\t" msg "\r\n"

static const char trace16[] =
	L("01:00:00.100", T1, "NORMAL", "Backup Progress: Prebackup started.")
	L("01:00:01.200", T1, "ERROR", "ServerName: SQLPROD22 could not reach "
	    "https://management.azure.com/subscriptions/" SUB "/resourceGroups/"
	    "rg-contoso-backup/providers/Microsoft.RecoveryServices/vaults/"
	    "vault-contoso-prod?api-version=2021-01-01 (ID: 100050)")
	L("01:00:02.300", T1, "WARNING", "Connection to vcenter01.contoso-corp.com "
	    "(10.44.5.17:443) for CONTOSO\\jsmith failed: Hr: = [0x80072EE2]")
	L("01:00:03.400", T1, "WARNING", "Share \\\\nas-finance01\\finance$\\"
	    "Projects Müller\\Kunde Geheim.docx on CONTOSO-FS07 is offline")
	L("01:00:04.500", T1, "ERROR", "Upload of C:\\Users\\Jane.Doe\\Documents\\"
	    "salaries-jane.xlsx to https://stcontosobk01.blob.core.windows.net/"
	    "c1?sig=SECRETSIG by jane.doe@contoso-corp.com from "
	    "2001:db8:85a3::8a2e:370:7334 failed: Hr: = [0x80070005]")
	L("01:00:05.600", T1, "ERROR", "Failed: Hr: = [0x80070070] SalLowDiskSpace: "
	    "backup failed due to insufficient space on E:\\Scratch CONTOSO-FS07 "
	    "(1.21 GB free, 4.80 GB required)")
	L("01:00:06.700", T1, "NORMAL", "Backup Progress: Failed");

static const char trace8[] =
	L("02:00:00.100", T2, "NORMAL", "Backup Progress: Prebackup started.")
	L("02:00:01.200", T2, "WARNING", "Machine name: CONTOSO-FS07, user: jsmith, "
	    "vault id: vault-contoso-prod (ID: 34513)")
	L("02:00:02.300", T2, "NORMAL", "Backup Progress: Succeeded");

static const char failed16[] =
	"Consider adding these to exclusion list of backup policy.\r\n"
	"----------------------------------------\r\n"
	"D:\\Payroll 2024\\salaries-jane.xlsx\t0x80070005\tAccess is denied.\r\n"
	"\\\\nas-finance01\\finance$\\Projects Müller\\Kunde Geheim.docx\t"
	"0x80070002\tThe system cannot find the file specified.\r\n";

/* What must never leave the customer's premises. */
static const char *const secrets[] = {
	"CONTOSO", "contoso", "FS07", "fs07", "SQLPROD22", "jsmith", "Jane.Doe",
	"jane.doe", "vcenter01", "10.44.5.17", "2001:db8", "nas-finance01",
	"finance$", "Müller", "Kunde Geheim", "Payroll", "salaries-jane",
	"9b1f2c3d", SUB, "rg-contoso", "vault-contoso", "stcontosobk01",
	"SECRETSIG", T1, T2, "A1B2C3D4", "B7E0C1D2", "Projects M",
};

static char bundle[128];

static int
setup(void **state)
{
	char *nested, *u16, *f16;
	size_t nnested, n16, nf16;
	static const char garbage[] = "PK\003\004 this zip is cut short";

	(void)state;
	test_marslog(&marslog, &wrap);
	snprintf(dir, sizeof dir, "/tmp/marslog-redact-XXXXXX");
	assert_non_null(mkdtemp(dir));
	u16 = test_utf16le(trace16, &n16);
	f16 = test_utf16le(failed16, &nf16);
	{
		const struct zent in[] = {
			{ "CBEngine3.errlog", trace8, sizeof trace8 - 1, 0, 0, NULL },
		};

		archive_make(NULL, &nested, &nnested, "zip", NULL, NULL, in, 1);
	}
	{
		const struct zent z[] = {
			{ "Temp/CBEngineCurr.errlog", u16, n16, 0, 0, NULL },
			{ "Temp/CBEngine0.errlog", trace8, sizeof trace8 - 1, 0, 0,
			    NULL },
			{ "Temp/LastBackupFailedFiles1a2b3_6_8_2024.txt", f16, nf16,
			    0, 0, NULL },
			{ "Temp/Projects Müller/old CONTOSO-FS07 logs.zip", nested,
			    nnested, 0, 0, NULL },
			{ "Temp/Payroll-archive-jsmith.zip", garbage,
			    sizeof garbage - 1, 0, 0, NULL },
		};

		snprintf(bundle, sizeof bundle, "%s/CONTOSO-FS07.zip", dir);
		archive_make(bundle, NULL, NULL, "zip", NULL, NULL, z,
		    sizeof z / sizeof z[0]);
	}
	free(nested);
	free(u16);
	free(f16);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	return test_rm_rf(dir);
}

static void
key_file(const char *name, const char *content)
{
	char p[256];
	FILE *fp;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	fp = fopen(p, "w");
	assert_non_null(fp);
	fputs(content, fp);
	assert_int_equal(fclose(fp), 0);
}

static void
no_secret(const char *what, const char *text)
{
	size_t i;

	for (i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
		if (strstr(text, secrets[i]) != NULL)
			fail_msg("%s shows \"%s\" in:\n%.300s", what, secrets[i],
			    strstr(text, secrets[i]) - (strstr(text, secrets[i]) -
			    text > 100 ? 100 : 0));
}

static char *
slurp_in(const char *name)
{
	char p[256];
	char *s;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	s = test_slurp(p, NULL);
	assert_non_null(s);
	return s;
}

/* Every output of one redacted run: nothing sensitive in any of them. */
static void
test_nothing_leaks(void **state)
{
	struct result r;
	char *json, *html, *xlsx, *map, p[256];
	struct stat st;

	(void)state;
	key_file("key", "a fleet-wide secret of more than sixteen bytes\n");
	run(&r, "--redact-key %s/key --redact-map %s/map.tsv --inputs "
	    "--summary --width 200 --no-color --json %s/r.json --html %s/r.html "
	    "--xlsx %s/r.xlsx %s", dir, dir, dir, dir, dir, bundle);
	assert_int_equal(r.status, 1);		/* errors were found */
	/* the damaged entry was named in a warning: as a pseudonym */
	assert_non_null(strstr(r.err, "warning: "));
	assert_non_null(strstr(r.err, ".zip"));
	no_secret("stderr", r.err);
	no_secret("the terminal summary and --inputs", r.out);
	assert_non_null(strstr(r.out, "0x80070005"));	/* codes stay */
	assert_non_null(strstr(r.out, "host-"));
	result_free(&r);

	json = slurp_in("r.json");
	html = slurp_in("r.html");
	snprintf(p, sizeof p, "%s/r.xlsx", dir);
	xlsx = test_archive_text(p);
	no_secret("the JSON", json);
	no_secret("the HTML", html);
	no_secret("the XLSX", xlsx);
	/* what stays readable */
	assert_non_null(strstr(json, "\"redaction\": \""));
	assert_non_null(strstr(json, "SalLowDiskSpace"));
	assert_non_null(strstr(json, "0x80070070"));
	assert_non_null(strstr(json, "management.azure.com/subscriptions/"));
	assert_non_null(strstr(json, "Microsoft.RecoveryServices/vaults/id-"));
	assert_non_null(strstr(json, ".blob.core.windows.net"));
	assert_non_null(strstr(json, "D:\\\\dir-"));
	assert_non_null(strstr(json, ".xlsx"));	/* extensions stay */
	assert_non_null(strstr(json, "C:\\\\Users\\\\user-"));
	assert_non_null(strstr(json, "\\\\\\\\host-"));	/* UNC server */
	assert_non_null(strstr(json, "\\\\share-"));
	assert_non_null(strstr(json, "Temp/CBEngineCurr.errlog"));
	assert_non_null(strstr(json, "1.21 GB free, 4.80 GB required"));
	assert_non_null(strstr(xlsx, "host-"));
	free(json);
	free(html);
	free(xlsx);

	/* the map undoes it, for the engineer only */
	snprintf(p, sizeof p, "%s/map.tsv", dir);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	map = slurp_in("map.tsv");
	assert_non_null(strstr(map, "\tCONTOSO-FS07\n"));
	assert_non_null(strstr(map, "\tjsmith\n"));
	assert_non_null(strstr(map, "\t10.44.5.17\n"));
	assert_non_null(strstr(map, "\t" T1 "\n"));
	free(map);
}

/* Counts, codes, levels and job outcomes equal the plain run's. */
static void
test_same_verdicts(void **state)
{
	struct result r;
	struct summary *plain, *red;
	char p[256], err[256];
	size_t i;

	(void)state;
	key_file("key", "a fleet-wide secret of more than sixteen bytes\n");
	run(&r, "-q --json %s/p.json %s", dir, bundle);
	result_free(&r);
	run(&r, "-q --redact-key %s/key --json %s/r.json %s", dir, dir, bundle);
	result_free(&r);
	snprintf(p, sizeof p, "%s/p.json", dir);
	plain = summary_read_json_file(p, err, sizeof err);
	snprintf(p, sizeof p, "%s/r.json", dir);
	red = summary_read_json_file(p, err, sizeof err);
	assert_non_null(plain);
	assert_non_null(red);
	summary_finish(plain);
	summary_finish(red);
	assert_memory_equal(&plain->totals, &red->totals, sizeof plain->totals);
	assert_int_equal(plain->totals.jobs, 2);	/* T2 is in two files */
	assert_int_equal(plain->totals.jobs_failed, 1);
	assert_int_equal(plain->nmachines, red->nmachines);
	for (i = 0; i < plain->nmachines; i++) {
		assert_int_equal(plain->machines[i].errors, red->machines[i].errors);
		assert_int_equal(plain->machines[i].warnings,
		    red->machines[i].warnings);
		assert_int_equal(plain->machines[i].jobs_failed,
		    red->machines[i].jobs_failed);
		assert_int_equal(plain->machines[i].last_job_outcome,
		    red->machines[i].last_job_outcome);
	}
	assert_int_equal(plain->nfindings, red->nfindings);
	for (i = 0; i < plain->nfindings; i++) {
		assert_string_equal(plain->findings[i].id, red->findings[i].id);
		assert_int_equal(plain->findings[i].count, red->findings[i].count);
		assert_int_equal(plain->findings[i].level, red->findings[i].level);
		assert_true((plain->findings[i].code == NULL) ==
		    (red->findings[i].code == NULL));
		if (plain->findings[i].code != NULL)
			assert_string_equal(plain->findings[i].code,
			    red->findings[i].code);
	}
	assert_int_equal(plain->njobs, red->njobs);
	for (i = 0; i < plain->njobs; i++) {
		assert_int_equal(plain->jobs[i].outcome, red->jobs[i].outcome);
		assert_int_equal(plain->jobs[i].start, red->jobs[i].start);
		assert_int_equal(plain->jobs[i].end, red->jobs[i].end);
		assert_int_equal(plain->jobs[i].failed_files,
		    red->jobs[i].failed_files);
		assert_string_not_equal(plain->jobs[i].task_id,
		    red->jobs[i].task_id);
		assert_int_equal(strlen(red->jobs[i].task_id), 36);
	}
	assert_int_equal(plain->nfailed_files, red->nfailed_files);
	summary_free(plain);
	summary_free(red);
}

/* The same key gives the same pseudonyms (byte-identical JSON, also
 * with --jobs 1); another key other ones; no key a random one. */
static void
test_keys(void **state)
{
	struct result r;
	char *a, *b, *c, *d;

	(void)state;
	key_file("key", "a fleet-wide secret of more than sixteen bytes\n");
	key_file("key2", "another secret of more than sixteen bytes\n");
	key_file("short", "too short\n");
	run(&r, "-q --redact-key %s/key --json %s/a.json %s", dir, dir, bundle);
	result_free(&r);
	run(&r, "-q -J 1 --redact-key %s/key --json %s/b.json %s", dir, dir,
	    bundle);
	result_free(&r);
	run(&r, "-q --redact-key %s/key2 --json %s/c.json %s", dir, dir, bundle);
	result_free(&r);
	run(&r, "-q --redact --json %s/d.json %s", dir, bundle);
	result_free(&r);
	a = slurp_in("a.json");
	b = slurp_in("b.json");
	c = slurp_in("c.json");
	d = slurp_in("d.json");
	assert_string_equal(a, b);
	assert_non_null(strstr(a, "host-"));
	/* the machine's pseudonym under key differs under key2 */
	{
		const char *h = strstr(a, "\"machine\": \"host-");
		char name[64];

		assert_non_null(h);
		snprintf(name, sizeof name, "%.29s", h + 12);
		assert_null(strstr(c, name));
		assert_null(strstr(d, name));
	}
	no_secret("the JSON without a key file", d);
	free(a);
	free(b);
	free(c);
	free(d);
	run(&r, "--redact-key %s/short %s", dir, bundle);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "16 bytes"));
	result_free(&r);
	run(&r, "--redact-key %s/missing %s", dir, bundle);
	assert_int_equal(r.status, 2);
	result_free(&r);
	run(&r, "--redact-map %s/m.tsv %s", dir, bundle);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "--redact"));
	result_free(&r);
}

/* show prints what a redacted report would: the same records, no
 * originals, in text and NDJSON. */
static void
test_show(void **state)
{
	struct result r, plain;
	size_t a = 0, b = 0;
	const char *p;

	(void)state;
	key_file("key", "a fleet-wide secret of more than sixteen bytes\n");
	run(&plain, "show --no-color 0x80070005 %s", bundle);
	assert_int_equal(plain.status, 0);
	run(&r, "show --no-color --redact-key %s/key 0x80070005 %s", dir, bundle);
	assert_int_equal(r.status, 0);
	no_secret("show", r.out);
	no_secret("show's stderr", r.err);
	for (p = plain.out; (p = strstr(p, "0x80070005")) != NULL; p++)
		a++;
	for (p = r.out; (p = strstr(p, "0x80070005")) != NULL; p++)
		b++;
	assert_true(a >= 2);
	assert_int_equal(a, b);
	result_free(&r);
	result_free(&plain);
	run(&r, "show --json --redact-key %s/key --grep 'offline|Machine' %s", dir,
	    bundle);
	assert_int_equal(r.status, 0);
	no_secret("show --json", r.out);
	assert_non_null(strstr(r.out, "host-"));
	result_free(&r);
}

/* Evidence is redacted once, where its lines are kept: reading one large
 * log in ranges on two threads gives the same redacted summary, evidence
 * at the cuts included, as reading it whole. */
static void
test_ranges(void **state)
{
	struct result r;
	char p[256], *a, *b;
	FILE *fp;
	int i;

	(void)state;
	key_file("key", "a fleet-wide secret of more than sixteen bytes\n");
	snprintf(p, sizeof p, "%s/CONTOSO-FS07.errlog", dir);
	fp = fopen(p, "w");
	assert_non_null(fp);
	for (i = 0; i < 1500; i++)
		fputs(trace8, fp);
	assert_int_equal(fclose(fp), 0);
	run(&r, "-q -J 1 --redact-key %s/key --json %s/w.json %s", dir, dir, p);
	result_free(&r);
	run(&r, "-q -J 2 --split-size 64K --redact-key %s/key --json %s/s.json %s",
	    dir, dir, p);
	result_free(&r);
	a = slurp_in("w.json");
	b = slurp_in("s.json");
	assert_non_null(strstr(a, "\"evidence\": [{"));
	no_secret("the JSON of a whole read", a);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

/* merge and --baseline take plain with plain and one key with itself. */
static void
test_no_mixing(void **state)
{
	struct result r;

	(void)state;
	key_file("key", "a fleet-wide secret of more than sixteen bytes\n");
	key_file("key2", "another secret of more than sixteen bytes\n");
	run(&r, "-q --json %s/p.json %s", dir, bundle);
	result_free(&r);
	run(&r, "-q --redact-key %s/key --json %s/r.json %s", dir, dir, bundle);
	result_free(&r);
	run(&r, "-q --redact-key %s/key2 --json %s/r2.json %s", dir, dir, bundle);
	result_free(&r);

	run(&r, "merge --json %s/m.json %s/r.json %s/p.json", dir, dir, dir);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "not redacted"));
	result_free(&r);
	run(&r, "merge --json %s/m.json %s/r.json %s/r2.json", dir, dir, dir);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "same --redact-key"));
	result_free(&r);
	run(&r, "merge --fail-on never --json %s/m.json %s/r.json %s/r.json", dir,
	    dir, dir);
	assert_int_equal(r.status, 0);
	result_free(&r);
	run(&r, "-q --fail-on never --baseline %s/p.json --redact-key %s/key "
	    "--json %s/x.json %s", dir, dir, dir, bundle);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "baseline"));
	result_free(&r);
	run(&r, "-q --fail-on never --baseline %s/r.json --redact-key %s/key "
	    "--json %s/x.json %s", dir, dir, dir, bundle);
	assert_int_equal(r.status, 0);
	result_free(&r);
	run(&r, "merge --redact %s/r.json", dir);
	assert_int_equal(r.status, 2);
	result_free(&r);
}

/* ------------------------------------------------------------- rules */

struct rule_case {
	const char *in;
	const char *kept[4];	/* must still be there */
	const char *gone[4];	/* must not */
};

/* The redactor alone: each shape, and what it must leave alone. */
static void
test_rules(void **state)
{
	static const struct rule_case cases[] = {
		{ "Install path: C:\\Program Files\\Microsoft Azure Recovery "
		  "Services Agent\\Scratch", { "C:\\Program Files\\Microsoft "
		  "Azure Recovery Services Agent\\Scratch" }, { NULL } },
		{ "copy D:\\Data\\Quarterly Plans\\budget.xlsx. Error 0x80070005",
		  { "D:\\dir-", ".xlsx.", "Error 0x80070005" },
		  { "Data", "Quarterly", "Plans", "budget" } },
		{ "Could not find file 'E:\\My Files\\Secret Plan.docx'.",
		  { "E:\\dir-", ".docx'." }, { "My Files", "Secret", "Plan" } },
		{ "agent 2.0.9249.0 at 17:05:31.211 (ID: 34513) [0x1FC07] "
		  "SalLowDiskSpace", { "2.0.9249.0", "17:05:31.211", "34513",
		  "0x1FC07" }, { NULL } },
		{ "user CORP\\alice and bob@corp.example.com on 192.168.1.20",
		  { "\\user-", "@" }, { "alice", "bob", "corp", "192.168" } },
		{ "NT AUTHORITY\\SYSTEM BUILTIN\\Administrators",
		  { "NT AUTHORITY\\SYSTEM", "BUILTIN\\Administrators" }, { NULL } },
		{ "ComputerName=WEB-07; Subscription Id: 1234567; Tenant: acme",
		  { "ComputerName=host-", "Subscription Id: id-", "Tenant: id-" },
		  { "WEB-07", "1234567", "acme" } },
		{ "\\\\?\\Volume{de393808-58d8-11df-be86-00155d4e0e00}\\",
		  { "\\\\?\\Volume{" }, { "de393808" } },
		{ "ping fe80::1c2d:3e4f:5a6b:7c8d%12 and ::1, not 12:34:56",
		  { "ipv6-", "12:34:56" }, { "fe80", "1c2d" } },
		{ "System.IO.FileNotFoundException in CBEngine.exe via "
		  "backupasync.cpp(1279)", { "System.IO.FileNotFoundException",
		  "CBEngine.exe", "backupasync.cpp(1279)" }, { NULL } },
	};
	unsigned char key[REDACT_KEY_BYTES] = { 7 };
	struct redactor *red = redactor_new(key, 0);
	size_t i, k;

	(void)state;
	assert_non_null(red);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct text_buf b = TEXT_BUF_INIT;

		redact_text(red, &b, cases[i].in, strlen(cases[i].in), "FS01");
		text_buf_add(&b, "", 0);
		assert_false(b.oom);
		for (k = 0; k < 4 && cases[i].kept[k] != NULL; k++)
			if (strstr(b.p, cases[i].kept[k]) == NULL)
				fail_msg("case %zu: \"%s\" lost from \"%s\"", i,
				    cases[i].kept[k], b.p);
		for (k = 0; k < 4 && cases[i].gone[k] != NULL; k++)
			if (strstr(b.p, cases[i].gone[k]) != NULL)
				fail_msg("case %zu: \"%s\" left in \"%s\"", i,
				    cases[i].gone[k], b.p);
		text_buf_release(&b);
	}
	redactor_free(red);
}

/* A path keeps its drive, depth and extension; the same name is the
 * same pseudonym wherever it stands, whatever its case. */
static void
test_paths(void **state)
{
	unsigned char key[REDACT_KEY_BYTES] = { 9 };
	struct redactor *red = redactor_new(key, 0);
	struct text_buf a = TEXT_BUF_INIT, b = TEXT_BUF_INIT;
	const char *p = "D:\\Finance\\Payroll 2024\\jane salaries.xlsx";
	size_t i, seps = 0;

	(void)state;
	assert_non_null(red);
	redact_path(red, &a, p, strlen(p), NULL);
	text_buf_add(&a, "", 0);
	assert_true(strncmp(a.p, "D:\\dir-", 7) == 0);
	for (i = 0; a.p[i] != '\0'; i++)
		seps += a.p[i] == '\\';
	assert_int_equal(seps, 3);
	assert_non_null(strstr(a.p, "\\file-"));
	assert_int_equal(strcmp(a.p + a.len - 5, ".xlsx"), 0);
	redact_path(red, &b, "d:\\FINANCE\\payroll 2024\\JANE SALARIES.xlsx",
	    strlen(p), NULL);
	text_buf_add(&b, "", 0);
	assert_string_equal(a.p + 2, b.p + 2);	/* the drive is as written */
	text_buf_release(&a);
	text_buf_release(&b);
	redact_machine(red, &a, "stdin");
	text_buf_add(&a, "", 0);
	assert_string_equal(a.p, "stdin");
	text_buf_release(&a);
	redactor_free(red);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_nothing_leaks),
		cmocka_unit_test(test_same_verdicts),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_no_mixing),
		cmocka_unit_test(test_show),
		cmocka_unit_test(test_ranges),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
