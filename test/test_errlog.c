/* SPDX-License-Identifier: MIT */
/*
 * test_errlog.c -- errlog line parsing: every line of
 * test/cases/errlog-examples.txt field by field, continuations, garbage,
 * year inference, crash-name stamps, the record.h time helpers, and the
 * canonical-line shortcuts (repeated GUID, PID/TID and date/time words,
 * TAB NORMAL TAB, no trim) against the general parser at every byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "parsers/errlog.h"
#include "test/test_util.h"

#define DAY_MS 86400000LL

struct want {
	const char *time;
	uint32_t pid, tid;
	int component;
	const char *source;
	unsigned source_line;
	const char *object;
	const char *task;
	enum ml_level level;
	const char *message;
};

/* One row per record line of errlog-examples.txt, in file order; times
 * with year 2016 (each source is parsed with --year 2016). */
static const struct want examples[] = {
	/* source A */
	{ "2016-06-07T01:23:25.640Z", 0x0, 0x0, 71,
	    "backupasync.cpp", 1279, "000000001A12E3F0",
	    "F3E32129-DC79-4A28-9ACC-3F30CB5810B6", ML_LEVEL_NORMAL,
	    "Backup Progress: Prebackup started." },
	{ "2016-06-07T01:23:42.623Z", 0x0, 0x0, 71,
	    "backupasync.cpp", 1281, "000000001A12E3F0",
	    "F3E32129-DC79-4A28-9ACC-3F30CB5810B6", ML_LEVEL_NORMAL,
	    "Backup Progress: Prebackup finished." },
	{ "2016-06-07T01:23:42.623Z", 0x0, 0x0, 71,
	    "backupasync.cpp", 1284, "000000001A12E3F0",
	    "F3E32129-DC79-4A28-9ACC-3F30CB5810B6", ML_LEVEL_NORMAL,
	    "Backup Progress: Start: Adjusting Job start time from snapshot time" },
	{ "2016-06-07T01:23:42.623Z", 0x0, 0x0, 71,
	    "backupasync.cpp", 1287, "000000001A12E3F0",
	    "F3E32129-DC79-4A28-9ACC-3F30CB5810B6", ML_LEVEL_NORMAL,
	    "Backup Progress: End: Adjusting Job start time from snapshot time" },
	{ "2016-06-07T01:23:42.623Z", 0x0, 0x0, 71,
	    "backupasync.cpp", 1292, "000000001A12E3F0",
	    "F3E32129-DC79-4A28-9ACC-3F30CB5810B6", ML_LEVEL_NORMAL,
	    "Backup Progress: Initialize Storage started." },
	{ "2016-06-07T01:25:28.345Z", 0x0, 0x0, 71,
	    "backupasync.cpp", 1295, "000000001A12E3F0",
	    "F3E32129-DC79-4A28-9ACC-3F30CB5810B6", ML_LEVEL_NORMAL,
	    "Backup Progress: Initialize Storage finished." },
	{ "2016-06-07T01:25:28.345Z", 0x0, 0x0, 71,
	    "backupasync.cpp", 1299, "000000001A12E3F0",
	    "F3E32129-DC79-4A28-9ACC-3F30CB5810B6", ML_LEVEL_NORMAL,
	    "Backup Progress: Data transfer started." },
	{ "2016-06-07T10:28:42.779Z", 0x0, 0x0, 71,
	    "backupasync.cpp", 1302, "000000001A12E3F0",
	    "F3E32129-DC79-4A28-9ACC-3F30CB5810B6", ML_LEVEL_NORMAL,
	    "Backup Progress: Data transfer finished" },
	{ "2016-06-07T10:28:42.779Z", 0x0, 0x0, 71,
	    "backupasync.cpp", 1326, "000000001A12E3F0",
	    "F3E32129-DC79-4A28-9ACC-3F30CB5810B6", ML_LEVEL_NORMAL,
	    "Backup Progress: Integrity Check Storage Initialize started." },
	{ "2016-06-07T10:28:42.779Z", 0x0, 0x0, 71,
	    "backupasync.cpp", 1329, "000000001A12E3F0",
	    "F3E32129-DC79-4A28-9ACC-3F30CB5810B6", ML_LEVEL_NORMAL,
	    "Backup Progress: Integrity Check Storage Initialize finished." },
	{ "2016-06-07T10:28:42.779Z", 0x0, 0x0, 71,
	    "backupasync.cpp", 1332, "000000001A12E3F0",
	    "F3E32129-DC79-4A28-9ACC-3F30CB5810B6", ML_LEVEL_NORMAL,
	    "Backup Progress: Integrity Check started." },
	{ "2016-06-07T14:56:52.053Z", 0x0, 0x0, 71,
	    "backupasync.cpp", 1334, "000000001A12E3F0",
	    "F3E32129-DC79-4A28-9ACC-3F30CB5810B6", ML_LEVEL_NORMAL,
	    "Backup Progress: Integrity Check finsihed." },
	{ "2016-06-07T14:56:52.053Z", 0x0, 0x0, 71,
	    "backupasync.cpp", 1338, "000000001A12E3F0",
	    "F3E32129-DC79-4A28-9ACC-3F30CB5810B6", ML_LEVEL_NORMAL,
	    "Backup Progress: Succeeded" },
	{ "2016-06-07T14:56:52.053Z", 0x0, 0x0, 71,
	    "backupasync.cpp", 1345, "000000001A12E3F0",
	    "F3E32129-DC79-4A28-9ACC-3F30CB5810B6", ML_LEVEL_NORMAL,
	    "Backup Progress: UnInitialize Storage started." },
	{ "2016-06-07T14:59:26.969Z", 0x0, 0x0, 71,
	    "backupasync.cpp", 1347, "000000001A12E3F0",
	    "F3E32129-DC79-4A28-9ACC-3F30CB5810B6", ML_LEVEL_NORMAL,
	    "Backup Progress: UnInitialize Storage finsihed." },
	{ "2016-06-07T07:27:46.139Z", 0x0, 0x0, 32,
	    "fileprovider.cpp", 1479, "000000001A1DACF0",
	    "F3E32129-DC79-4A28-9ACC-3F30CB5810B6", ML_LEVEL_NORMAL,
	    "==>FileProvider::EndData" },
	{ "2016-06-07T07:27:53.767Z", 0x0, 0x0, 32,
	    "fileprovider.cpp", 1479, "000000001A1DACF0",
	    "F3E32129-DC79-4A28-9ACC-3F30CB5810B6", ML_LEVEL_NORMAL,
	    "<--FileProvider::EndData" },
	{ "2016-06-07T10:27:40.993Z", 0x0, 0x0, 70,
	    "itemcatalogupdater.cpp", 652, "",
	    "F3E32129-DC79-4A28-9ACC-3F30CB5810B6", ML_LEVEL_NORMAL,
	    "Uploading 500 RO entries" },
	/* source B */
	{ "2016-08-04T13:16:29.206Z", 0x0AB0, 0x0974, 18,
	    "mtffile.cpp", 1372, "0000000053582120",
	    "1FCFF8B4-CCE2-42E6-8883-7AEB9A1C5CB6", ML_LEVEL_WARNING,
	    "Failed: Hr: = [0x8000ffff] BackupRead failed on file(D:\\Genesis_VAN\\1Public\\1Sales\\1Broadcast\\1BROUCHURES & MANUALS\\Sony\\Old\\L O A N   AGREEMENT\\Sony Loan Agreement Boilerplate\\Loan Agreement Oct 02.DOC)" },
	{ "2016-08-04T13:16:29.237Z", 0x0AB0, 0x0974, 18,
	    "mtffile.cpp", 1372, "0000000053581B00",
	    "1FCFF8B4-CCE2-42E6-8883-7AEB9A1C5CB6", ML_LEVEL_WARNING,
	    "Failed: Hr: = [0x8000ffff] BackupRead failed on file(D:\\Genesis_VAN\\1Public\\1Sales\\1Broadcast\\1BROUCHURES & MANUALS\\Sony\\Old\\L O A N   AGREEMENT\\MatrixLoan July 03 ChTV_files\\editdata.mso)" },
	/* source C */
	{ "2016-06-01T20:55:45.690Z", 0x180C, 0x280C, 9,
	    "everettexception.cpp", 761, "",
	    "8AE83798-7A85-466A-80CA-22CA66582965", ML_LEVEL_CRITICAL,
	    "Exception Message = Input string was not in a correct format. of type System.FormatException, process will terminate after generating dump" },
	{ "2016-06-01T20:54:55.393Z", 0x180C, 0x280C, 9,
	    "AppAssert.cs", 130, "",
	    "8AE83798-7A85-466A-80CA-22CA66582965", ML_LEVEL_WARNING,
	    "value of non-nullable parameter @RecoverableObjectMachineName is null" },
	/* source D */
	{ "2016-10-21T21:02:21.611Z", 0x44B4, 0x3968, 69,
	    "AzureServiceManagementHelper.cs", 320, "",
	    "0517B3DB-347D-45A8-9DAB-FD7D1EA7D134", ML_LEVEL_FATAL,
	    "GetImportJobStatus:: Import job with name 'ImportJobName' is not found" },
	{ "2016-10-21T21:02:21.611Z", 0x44B4, 0x3968, 71,
	    "backupasync.cpp", 1589, "000000001B73B830",
	    "0517B3DB-347D-45A8-9DAB-FD7D1EA7D134", ML_LEVEL_NORMAL,
	    "PollAzureImportJob :: Import Job: 'ImportJobName' is in pending state: '1'" },
	{ "2016-10-21T21:02:21.611Z", 0x44B4, 0x3968, 71,
	    "backupasync.cpp", 1607, "000000001B73B830",
	    "0517B3DB-347D-45A8-9DAB-FD7D1EA7D134", ML_LEVEL_WARNING,
	    "PollAzureImportJob failed with error code: 1b7afbe0" },
	{ "2016-10-21T21:02:21.611Z", 0x44B4, 0x3968, 71,
	    "backupasync.cpp", 1184, "000000001B73B830",
	    "0517B3DB-347D-45A8-9DAB-FD7D1EA7D134", ML_LEVEL_WARNING,
	    "Failed: Hr: = [0x80780054] Offline Backup Progress: Failed\"" },
	/* source E */
	{ "2016-11-05T13:02:42.416Z", 0x0990, 0x17D8, 31,
	    "vsssnapshotrequestor.cpp", 585, "00000000003970D0",
	    "", ML_LEVEL_NORMAL,
	    "CVssSnapshotRequestor:: ProviderId:[{2F900F90-00E9-440E-873A-96CA5EB079E5}], h/w provider:[65536], volume:[\\\\\\\\?\\Volume{de393808-58d8-11df-be86-00155d4e0e00}\\\\]" },
	/* source F */
	{ "2016-05-09T16:00:45.000Z", 0x0900, 0x0, -1,
	    "csvapi.cpp", 400, "",
	    "", ML_LEVEL_WARNING,
	    "Failed: Hr: = [0x8007173d] : ClusterPrepareSharedVolumeForBackup for C:\\ClusterStorage\\Volume1\\ failed" },
	{ "2016-05-09T16:01:06.000Z", 0x0CF4, 0x0, -1,
	    "vsssnapshotrequestor.cpp", 585, "",
	    "", ML_LEVEL_NORMAL,
	    "\"CVssSnapshotRequestor:: ProviderId:[{B5946137-7B9F-4925-AF80-51ABD60B20D5}], h/w provider:[0], volume:[\\\\\\\\?\\Volume{GUD}\\\\]\"" },
	/* source G */
	{ "2016-01-13T01:00:55.357Z", 0x1B64, 0x1EFC, 22,
	    "VMWareServer.cs", 1826, "",
	    "", ML_LEVEL_NORMAL,
	    "Snapshot created for VM vm-20 with snapshot ref snapshot-320" },
	{ "2016-01-13T01:00:55.373Z", 0x1B64, 0x1EFC, 22,
	    "VMWareServer.cs", 2174, "",
	    "", ML_LEVEL_WARNING,
	    "Error in exclusion of disk with exception System.IO.FileNotFoundException: Could not find file 'B:\\Microsoft Azure Backup Server\\DPM\\DPM\\bin\\excludedisk.xml'." },
	{ "2016-01-13T01:00:55.373Z", 0x1B64, 0x1EFC, 22,
	    "VMWareServer.cs", 2174, "",
	    "", ML_LEVEL_WARNING,
	    "at System.IO.__Error.WinIOError(Int32 errorCode, String maybeFullPath)" },
	{ "2016-01-14T19:05:46.203Z", 0x0B60, 0x0B48, 31,
	    "vmwarehelperplugin.cpp", 900, "000001CC67903380",
	    "BD0DAB22-7DC7-455A-8780-5DE07B1A5F0B", ML_LEVEL_NORMAL,
	    "SetCheckpointDR for VM :  got DiskPath : [ESXi01_SAS] OPRAS/OPRAS-000002.vmdk, Disk : 2000, ChangeId : 52 38 72 3e 9e ee 0c a5-e0 3d e5 fe e5 78 de 12/682, FileSystem : VMFS" },
	{ "2016-01-14T19:05:46.328Z", 0x0B60, 0x0B48, 22,
	    "VMWareServer.cs", 253, "",
	    "", ML_LEVEL_NORMAL,
	    "Connected to VMWareServer vcenter.domain.com:443" },
};

static void
assert_span(struct ml_span s, const char *want)
{
	char buf[512];

	assert_true(s.n < sizeof(buf));
	memcpy(buf, s.p, s.n);
	buf[s.n] = '\0';
	assert_string_equal(buf, want);
}

static void
assert_time(int64_t t, const char *want)
{
	char buf[32];

	assert_string_equal(ml_time_format(t, buf, sizeof(buf)), want);
}

static void
test_examples(void **state)
{
	struct errlog_options opt = { ML_TIME_NONE, 2016 };
	struct errlog_parser *p = NULL;
	struct errlog_record rec;
	FILE *f = fopen("test/cases/errlog-examples.txt", "r");
	char line[4096];
	size_t n, i = 0;
	uint64_t no = 0;

	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		no++;
		n = strlen(line);
		if (strncmp(line, "# source", 8) == 0) {
			/* the sources are unrelated logs: a fresh parser each */
			errlog_parser_free(p);
			p = errlog_parser_new(&opt);
			assert_non_null(p);
			continue;
		}
		assert_true(i < sizeof(examples) / sizeof(examples[0]));
		assert_int_equal(errlog_line_is_record(line, n), 1);
		assert_int_equal(errlog_parse_line(p, line, n, no, &rec), 1);
		assert_int_equal(rec.continuation, 0);
		assert_int_equal(rec.line, no);
		assert_time(rec.time, examples[i].time);
		assert_int_equal(rec.pid, examples[i].pid);
		assert_int_equal(rec.tid, examples[i].tid);
		assert_int_equal(rec.component, examples[i].component);
		assert_span(rec.source, examples[i].source);
		assert_int_equal(rec.source_line, examples[i].source_line);
		assert_span(rec.object, examples[i].object);
		assert_span(rec.task, examples[i].task);
		assert_int_equal(rec.level, examples[i].level);
		assert_span(rec.message, examples[i].message);
		assert_int_equal(errlog_parser_unparsed(p), 0);
		i++;
	}
	assert_int_equal(i, sizeof(examples) / sizeof(examples[0]));
	fclose(f);
	errlog_parser_free(p);
}

/* Parses a NUL-terminated line; returns errlog_parse_line's result. */
static int
parse(struct errlog_parser *p, const char *line, uint64_t no,
    struct errlog_record *rec)
{
	return errlog_parse_line(p, line, strlen(line), no, rec);
}

static void
test_continuation(void **state)
{
	struct errlog_options opt = { ML_TIME_NONE, 2020 };
	struct errlog_parser *p = errlog_parser_new(&opt);
	struct errlog_record rec;
	char buf[256];

	(void)state;
	assert_non_null(p);
	/* garbage before the first record is counted, blank lines are not */
	assert_int_equal(parse(p, "Log started", 1, &rec), 0);
	assert_int_equal(parse(p, "\xEF\xBB\xBF", 2, &rec), 0);
	assert_int_equal(parse(p, "   ", 3, &rec), 0);
	assert_int_equal(parse(p, "----- 06/07 -----", 4, &rec), 0);
	assert_int_equal(errlog_parser_unparsed(p), 2);

	/* the record's line buffer is overwritten before the continuation,
	 * as a line reader does */
	strcpy(buf, "0AB0\t0974\t08/04\t13:16:29.206\t18\tmtffile.cpp(1372)\t"
	    "[0000000053582120]\t1FCFF8B4-CCE2-42E6-8883-7AEB9A1C5CB6\t\t"
	    "WARNING\tException:\r");
	assert_int_equal(parse(p, buf, 5, &rec), 1);
	assert_int_equal(rec.continuation, 0);
	assert_span(rec.message, "Exception:");
	memset(buf, 'x', sizeof(buf));
	strcpy(buf, "   at System.IO.__Error.WinIOError(Int32 errorCode)");
	assert_int_equal(parse(p, buf, 6, &rec), 1);
	assert_int_equal(rec.continuation, 1);
	assert_int_equal(rec.line, 6);
	assert_time(rec.time, "2020-08-04T13:16:29.206Z");
	assert_int_equal(rec.pid, 0x0AB0);
	assert_int_equal(rec.tid, 0x0974);
	assert_int_equal(rec.component, 18);
	assert_span(rec.source, "mtffile.cpp");
	assert_int_equal(rec.source_line, 1372);
	assert_span(rec.object, "0000000053582120");
	assert_span(rec.task, "1FCFF8B4-CCE2-42E6-8883-7AEB9A1C5CB6");
	assert_int_equal(rec.level, ML_LEVEL_WARNING);
	assert_span(rec.message,
	    "at System.IO.__Error.WinIOError(Int32 errorCode)");
	/* a blank line after records is still not a record */
	assert_int_equal(parse(p, "", 7, &rec), 0);
	/* a date and time without file(line) is not a header */
	assert_int_equal(parse(p, "08/04 13:16:29.206 hello", 8, &rec), 1);
	assert_int_equal(rec.continuation, 1);
	assert_span(rec.message, "08/04 13:16:29.206 hello");
	assert_int_equal(errlog_parser_unparsed(p), 2);
	errlog_parser_free(p);
}

/* All fields of two records, span contents rather than pointers. */
static void
assert_same_record(const struct errlog_record *a,
    const struct errlog_record *b)
{
	assert_int_equal(a->time, b->time);
	assert_int_equal(a->pid, b->pid);
	assert_int_equal(a->tid, b->tid);
	assert_int_equal(a->component, b->component);
	assert_int_equal(a->source.n, b->source.n);
	assert_memory_equal(a->source.p, b->source.p, a->source.n);
	assert_int_equal(a->source_line, b->source_line);
	assert_int_equal(a->object.n, b->object.n);
	assert_memory_equal(a->object.p, b->object.p, a->object.n);
	assert_int_equal(a->task.n, b->task.n);
	assert_memory_equal(a->task.p, b->task.p, a->task.n);
	assert_int_equal(a->level, b->level);
	assert_int_equal(a->message.n, b->message.n);
	assert_memory_equal(a->message.p, b->message.p, a->message.n);
	assert_int_equal(a->continuation, b->continuation);
}

#define CANON "0AB0\t0974\t08/04\t13:16:29.206\t18\tmtffile.cpp(1372)\t" \
	"[0000000053582120]\t1FCFF8B4-CCE2-42E6-8883-7AEB9A1C5CB6\t\t" \
	"NORMAL\tsome message"
#define GUID_AT 69	/* offset of the GUID in CANON */

/*
 * A GUID equal to the previous record's is taken without the shape check:
 * every byte of it changed to hex digits of both cases and to non-hex
 * bytes must parse as it does for a parser that has seen no GUID (the
 * shape check), and a continuation after it repeats it.
 */
static void
test_repeated_guid(void **state)
{
	static const char subst[] = "09afAFgG-x {}\t";
	struct errlog_options opt = { ML_TIME_NONE, 2020 };
	struct errlog_parser *p = errlog_parser_new(&opt), *fresh;
	struct errlog_record rec, want, cont;
	char line[sizeof(CANON)];
	size_t i, k;

	(void)state;
	assert_non_null(p);
	assert_memory_equal(CANON + GUID_AT, "1FCFF8B4", 8);
	for (i = 0; i < 36; i++) {
		for (k = 0; k < sizeof(subst) - 1; k++) {
			memcpy(line, CANON, sizeof(CANON));
			line[GUID_AT + i] = subst[k];
			assert_int_equal(parse(p, CANON, 1, &rec), 1);
			fresh = errlog_parser_new(&opt);
			assert_non_null(fresh);
			assert_int_equal(parse(fresh, line, 2, &want), 1);
			assert_int_equal(parse(p, line, 2, &rec), 1);
			assert_same_record(&rec, &want);
			/* the continuation repeats this record's task */
			assert_int_equal(parse(p, "  more", 3, &cont), 1);
			assert_int_equal(cont.continuation, 1);
			assert_int_equal(cont.task.n, want.task.n);
			assert_memory_equal(cont.task.p, want.task.p,
			    want.task.n);
			errlog_parser_free(fresh);
		}
	}
	/* the same GUID twice, then a continuation: the kept copy is used */
	assert_int_equal(parse(p, CANON, 4, &rec), 1);
	assert_int_equal(parse(p, CANON, 5, &rec), 1);
	assert_int_equal(parse(p, "\tat x", 6, &cont), 1);
	assert_span(cont.task, "1FCFF8B4-CCE2-42E6-8883-7AEB9A1C5CB6");
	assert_span(cont.object, "0000000053582120");
	assert_span(cont.source, "mtffile.cpp");
	errlog_parser_free(p);
}

/* The n (< 4) decimal digits at s. */
static unsigned
num_at(const char *s, size_t n)
{
	char num[4];

	memcpy(num, s, n);
	num[n] = '\0';
	return (unsigned)strtoul(num, NULL, 10);
}

/*
 * PID and TID with every hex digit at every place, and the date and time
 * with every digit at every place: the canonical line reads them as the
 * numbers they are, and rejects (as the general parser does) a month,
 * day, hour, minute or second out of range.
 */
static void
test_canonical_numbers(void **state)
{
	static const char hex[] = "0123456789abcdefABCDEF";
	/* offsets of MM/DD HH:MM:SS.mmm in CANON, and the NN */
	static const size_t digit_at[] = {
		10, 11, 13, 14, 16, 17, 19, 20, 22, 23, 25, 26, 27, 29, 30
	};
	struct errlog_options opt = { ML_TIME_NONE, 2020 };
	struct errlog_parser *p;
	struct errlog_record rec;
	char line[sizeof(CANON)];
	unsigned mo, d, h, mi, sec, ms, v;
	size_t i, k;
	int ok;

	(void)state;
	for (i = 0; i < 9; i++) {
		if (i == 4)
			continue;
		for (k = 0; k < sizeof(hex) - 1; k++) {
			memcpy(line, CANON, sizeof(CANON));
			line[i] = hex[k];
			p = errlog_parser_new(&opt);
			assert_non_null(p);
			assert_int_equal(parse(p, line, 1, &rec), 1);
			line[4] = line[9] = '\0';
			assert_int_equal(rec.pid, strtoul(line, NULL, 16));
			assert_int_equal(rec.tid, strtoul(line + 5, NULL, 16));
			errlog_parser_free(p);
		}
	}
	for (i = 0; i < sizeof(digit_at) / sizeof(digit_at[0]); i++) {
		for (k = 0; k < 10; k++) {
			memcpy(line, CANON, sizeof(CANON));
			line[digit_at[i]] = (char)('0' + k);
			mo = num_at(line + 10, 2);
			d = num_at(line + 13, 2);
			h = num_at(line + 16, 2);
			mi = num_at(line + 19, 2);
			sec = num_at(line + 22, 2);
			ms = num_at(line + 25, 3);
			v = num_at(line + 29, 2);
			ok = mo >= 1 && mo <= 12 && d >= 1 && d <= 31 &&
			    h <= 23 && mi <= 59 && sec <= 60;
			p = errlog_parser_new(&opt);
			assert_non_null(p);
			assert_int_equal(parse(p, line, 1, &rec), ok);
			if (ok) {
				assert_int_equal(rec.time,
				    ml_days_from_civil(2020, mo, d) * DAY_MS +
				    ((int64_t)h * 3600 + mi * 60 + sec) *
				    1000 + ms);
				assert_int_equal(rec.component, (int)v);
			}
			errlog_parser_free(p);
		}
	}
}

/*
 * What follows the GUID, taken in one step for TAB TAB NORMAL TAB, and
 * lines the trim would change (line end, BOM, leading blanks): each as
 * the general parser reads the same fields in the space form or as
 * written out here.
 */
static void
test_canonical_tail(void **state)
{
	static const struct {
		const char *tail;	/* after the GUID */
		enum ml_level level;
		const char *message;
	} cases[] = {
		{ "\t\tNORMAL\tmsg", ML_LEVEL_NORMAL, "msg" },
		{ "\t\tNORMAL\t", ML_LEVEL_NORMAL, "" },
		{ "\t\tNORMAL", ML_LEVEL_NORMAL, "" },
		{ "\t\tNORMAL msg", ML_LEVEL_NONE, "NORMAL msg" },
		{ "\t\tNORMALS\tmsg", ML_LEVEL_NONE, "NORMALS\tmsg" },
		{ "\t\tWARNING\tmsg", ML_LEVEL_WARNING, "msg" },
		{ "\tNORMAL\tmsg", ML_LEVEL_NORMAL, "msg" },
		{ "\t\t\tNORMAL\tmsg", ML_LEVEL_NORMAL, "msg" },
		{ "\t\tnormal\tmsg", ML_LEVEL_NONE, "normal\tmsg" },
	};
	static const char *const wraps[][2] = {
		{ "", "" }, { "", "\r" }, { "", "\r\n" }, { "\xEF\xBB\xBF", "" },
		{ "  ", "" }, { "\t", "\n" },
	};
	struct errlog_options opt = { ML_TIME_NONE, 2020 };
	struct errlog_parser *p = errlog_parser_new(&opt);
	struct errlog_record rec;
	char line[256];
	size_t i, w;

	(void)state;
	assert_non_null(p);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (w = 0; w < sizeof(wraps) / sizeof(wraps[0]); w++) {
			snprintf(line, sizeof(line), "%s%.*s%s%s", wraps[w][0],
			    GUID_AT + 36, CANON, cases[i].tail, wraps[w][1]);
			assert_int_equal(parse(p, line, 1, &rec), 1);
			assert_int_equal(rec.continuation, 0);
			assert_int_equal(rec.pid, 0x0AB0);
			assert_span(rec.task,
			    "1FCFF8B4-CCE2-42E6-8883-7AEB9A1C5CB6");
			assert_int_equal(rec.level, cases[i].level);
			assert_span(rec.message, cases[i].message);
		}
	}
	errlog_parser_free(p);
}

static void
test_variants(void **state)
{
	struct errlog_options opt = { ML_TIME_NONE, 2020 };
	struct errlog_parser *p = errlog_parser_new(&opt);
	struct errlog_record rec;

	(void)state;
	assert_non_null(p);
	/* no object, no GUID, TAB form: level follows file(line) */
	assert_int_equal(parse(p, "0AB0\t0974\t08/04\t13:16:29.206\t18\t"
	    "a.cs(1)\t\t\tERROR\t  two spaces kept", 1, &rec), 1);
	assert_int_equal(rec.level, ML_LEVEL_ERROR);
	assert_span(rec.object, "");
	assert_span(rec.task, "");
	assert_span(rec.message, "  two spaces kept");
	/* braced GUID, lower-case hex, PERF level, empty message */
	assert_int_equal(parse(p, "0AB0 0974 08/04 13:16:29.206 18 a.cpp(2) "
	    "[00ff] {1fcff8b4-cce2-42e6-8883-7aeb9a1c5cb6} PERF", 2, &rec), 1);
	assert_int_equal(rec.level, ML_LEVEL_VERBOSE);
	assert_span(rec.object, "00ff");
	assert_span(rec.task, "1fcff8b4-cce2-42e6-8883-7aeb9a1c5cb6");
	assert_span(rec.message, "");
	/* no level word: the message starts at the first unknown field */
	assert_int_equal(parse(p, "08/04\t13:16:29\t18\ta.cpp(3)\t[00]\tsome "
	    "text", 3, &rec), 1);
	assert_int_equal(rec.level, ML_LEVEL_NONE);
	assert_int_equal(rec.continuation, 0);
	assert_time(rec.time, "2020-08-04T13:16:29.000Z");
	assert_span(rec.message, "some text");
	/* a findstr prefix with a path, 12 AM is midnight */
	assert_int_equal(parse(p, "C:\\logs\\x.errlog:0AB0 0974 12-Aug "
	    "12:05:00 am z.cpp(9) INFORMATION m", 4, &rec), 1);
	assert_time(rec.time, "2020-08-12T00:05:00.000Z");
	assert_int_equal(rec.pid, 0x0AB0);
	assert_int_equal(rec.tid, 0x0974);
	assert_int_equal(rec.level, ML_LEVEL_INFO);
	/* 12 PM is noon */
	assert_int_equal(parse(p, "1-Sep 12:00:01 PM z.cpp(9) NORMAL m", 5,
	    &rec), 1);
	assert_time(rec.time, "2020-09-01T12:00:01.000Z");
	/* broken headers are continuations */
	assert_int_equal(parse(p, "08/04\t25:00:00.000\t18\ta.cpp(3)\tNORMAL\tx",
	    6, &rec), 1);
	assert_int_equal(rec.continuation, 1);
	assert_int_equal(parse(p, "13/04\t10:00:00.000\t18\ta.cpp(3)\tNORMAL\tx",
	    7, &rec), 1);
	assert_int_equal(rec.continuation, 1);
	assert_int_equal(parse(p, "08/04\t10:00:00.000\t18\ta.cpp()\tNORMAL\tx",
	    8, &rec), 1);
	assert_int_equal(rec.continuation, 1);
	assert_int_equal(parse(p, "123456789\t08/04\t10:00:00.000\ta.cpp(1)\t"
	    "NORMAL\tx", 9, &rec), 1);
	assert_int_equal(rec.continuation, 1);
	assert_int_equal(errlog_line_is_record("08/04", 5), 0);
	assert_int_equal(errlog_line_is_record("", 0), 0);
	errlog_parser_free(p);
}

/* Time of a one-line record dated `md` ("MM/DD") at `hms`. */
static int64_t
time_of(struct errlog_parser *p, const char *md, const char *hms)
{
	char line[128];
	struct errlog_record rec;

	snprintf(line, sizeof(line), "%s\t%s\t71\tb.cpp(1)\t\t\tNORMAL\tm", md,
	    hms);
	assert_int_equal(parse(p, line, 1, &rec), 1);
	assert_int_equal(rec.continuation, 0);
	return rec.time;
}

static void
test_year_reference(void **state)
{
	struct errlog_options opt = { 0, 0 };
	struct errlog_parser *p;

	(void)state;
	assert_int_equal(ml_time_parse("2021-01-05T12:00:00Z",
	    &opt.reference_time), 0);
	p = errlog_parser_new(&opt);
	assert_non_null(p);
	assert_time(time_of(p, "12/30", "23:59:59.999"),
	    "2020-12-30T23:59:59.999Z");
	assert_time(time_of(p, "01/02", "08:00:00.000"),
	    "2021-01-02T08:00:00.000Z");
	/* up to a day after the reference is still this year... */
	assert_time(time_of(p, "01/06", "12:00:00.000"),
	    "2021-01-06T12:00:00.000Z");
	/* ...a millisecond more is last year */
	assert_time(time_of(p, "01/06", "12:00:00.001"),
	    "2020-01-06T12:00:00.001Z");
	assert_time(time_of(p, "06/07", "01:23:25.640"),
	    "2020-06-07T01:23:25.640Z");
	errlog_parser_free(p);

	/* a reference late on Dec 31: early Jan 1 belongs to the next year */
	assert_int_equal(ml_time_parse("2020-12-31T20:00:00.000Z",
	    &opt.reference_time), 0);
	p = errlog_parser_new(&opt);
	assert_non_null(p);
	assert_time(time_of(p, "01/01", "10:00:00.000"),
	    "2021-01-01T10:00:00.000Z");
	assert_time(time_of(p, "12/31", "19:00:00.000"),
	    "2020-12-31T19:00:00.000Z");
	errlog_parser_free(p);

	/* no reference: now, so nothing lands more than a day ahead */
	opt.reference_time = ML_TIME_NONE;
	p = errlog_parser_new(&opt);
	assert_non_null(p);
	assert_true(time_of(p, "12/31", "23:59:59.999") <=
	    (int64_t)time(NULL) * 1000 + DAY_MS);
	assert_true(time_of(p, "01/01", "00:00:00.000") >
	    (int64_t)time(NULL) * 1000 - 366 * DAY_MS);
	errlog_parser_free(p);
}

static void
test_year_option(void **state)
{
	struct errlog_options opt = { 0, 2020 };
	struct errlog_parser *p = errlog_parser_new(&opt);
	struct errlog_record rec;

	(void)state;
	assert_non_null(p);
	/* the option wins over the reference time */
	assert_time(time_of(p, "11/30", "10:00:00.000"),
	    "2020-11-30T10:00:00.000Z");
	assert_time(time_of(p, "12/31", "23:59:59.999"),
	    "2020-12-31T23:59:59.999Z");
	/* a continuation does not move the year */
	assert_int_equal(parse(p, "trailing text", 3, &rec), 1);
	assert_int_equal(rec.continuation, 1);
	assert_time(time_of(p, "01/01", "00:00:00.000"),
	    "2021-01-01T00:00:00.000Z");
	/* the same month, or a later one, keeps the year */
	assert_time(time_of(p, "01/01", "00:00:00.000"),
	    "2021-01-01T00:00:00.000Z");
	assert_time(time_of(p, "03/01", "00:00:00.000"),
	    "2021-03-01T00:00:00.000Z");
	assert_time(time_of(p, "02/28", "00:00:00.000"),
	    "2022-02-28T00:00:00.000Z");
	errlog_parser_free(p);
}

static void
test_time_from_name(void **state)
{
	(void)state;
	assert_time(errlog_time_from_name(
	    "MSDPMCurr.errlog.2016-06-01_20-55-45.Crash"),
	    "2016-06-01T20:55:45.000Z");
	assert_time(errlog_time_from_name(
	    "Temp/CBEngineCurr.errlog.2024-12-31_23-59-59.CRASH"),
	    "2024-12-31T23:59:59.000Z");
	assert_time(errlog_time_from_name("a.errlog.2016-06-01_20-55-45.crash"),
	    "2016-06-01T20:55:45.000Z");
	assert_true(errlog_time_from_name("CBEngineCurr.errlog") ==
	    ML_TIME_NONE);
	assert_true(errlog_time_from_name(".Crash") == ML_TIME_NONE);
	assert_true(errlog_time_from_name(
	    "a.errlog.2016-13-01_20-55-45.Crash") == ML_TIME_NONE);
	assert_true(errlog_time_from_name(
	    "a.errlog.2016-06-01-20-55-45.Crash") == ML_TIME_NONE);
	assert_true(errlog_time_from_name(
	    "a.errlog.2016-06-01_20-55-45.Crash.zip") == ML_TIME_NONE);
}

static void
test_levels(void **state)
{
	static const struct {
		const char *word;
		enum ml_level level;
	} cases[] = {
		{ "NORMAL", ML_LEVEL_NORMAL }, { "WARNING", ML_LEVEL_WARNING },
		{ "FATAL", ML_LEVEL_FATAL }, { "CRITICAL", ML_LEVEL_CRITICAL },
		{ "ERROR", ML_LEVEL_ERROR }, { "INFO", ML_LEVEL_INFO },
		{ "INFORMATION", ML_LEVEL_INFO },
		{ "VERBOSE", ML_LEVEL_VERBOSE },
		{ "ACTIVITY", ML_LEVEL_VERBOSE }, { "PERF", ML_LEVEL_VERBOSE },
		{ "normal", ML_LEVEL_NONE }, { "WARN", ML_LEVEL_NONE },
		{ "NORMALS", ML_LEVEL_NONE }, { "", ML_LEVEL_NONE },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(errlog_level_from_word(cases[i].word,
		    strlen(cases[i].word)), cases[i].level);
	assert_string_equal(ml_level_name(ML_LEVEL_NONE), "");
	assert_string_equal(ml_level_name(ML_LEVEL_WARNING), "WARNING");
	assert_string_equal(ml_level_name(ML_LEVEL_FATAL), "FATAL");
	assert_string_equal(ml_level_name(ML_LEVEL_VERBOSE), "VERBOSE");
}

static void
test_time_helpers(void **state)
{
	char buf[32];
	int64_t t;
	int y;
	unsigned m, d;

	(void)state;
	assert_int_equal(ml_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(ml_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(ml_days_from_civil(1969, 12, 31), -1);
	ml_civil_from_days(11016, &y, &m, &d);
	assert_int_equal(y, 2000);
	assert_int_equal(m, 2);
	assert_int_equal(d, 29);

	assert_int_equal(ml_time_parse("2024-06-07T01:23:25.640Z", &t), 0);
	assert_time(t, "2024-06-07T01:23:25.640Z");
	assert_int_equal(ml_time_parse("2024-06-07T01:23:25", &t), 0);
	assert_time(t, "2024-06-07T01:23:25.000Z");
	assert_int_equal(ml_time_parse("2024-06-07T01:23:25.5Z", &t), 0);
	assert_time(t, "2024-06-07T01:23:25.500Z");
	assert_int_equal(ml_time_parse("2024-06-07", &t), 0);
	assert_int_equal(t, ml_days_from_civil(2024, 6, 7) * DAY_MS);
	/* 1970-9999 only (record.h): what is written can be read back */
	assert_int_equal(ml_time_parse("1969-12-31T23:59:59.999Z", &t), -1);
	assert_int_equal(ml_time_parse("1970-01-01T00:00:00.000Z", &t), 0);
	assert_int_equal(t, ML_TIME_MIN);
	assert_int_equal(ml_time_parse("9999-12-31T23:59:59.999Z", &t), 0);
	assert_int_equal(t, ML_TIME_MAX);
	assert_time(t, "9999-12-31T23:59:59.999Z");
	assert_int_equal(ml_time_parse("9999-12-31T23:59:60Z", &t), -1);
	assert_string_equal(ml_time_format(-1, buf, sizeof buf), "");
	assert_string_equal(ml_time_format(ML_TIME_MAX + 1, buf, sizeof buf),
	    "");
	assert_string_equal(ml_time_format(INT64_MAX, buf, sizeof buf), "");
	assert_int_equal(ml_time_from_sec(INT64_MAX, 0), ML_TIME_NONE);
	assert_int_equal(ml_time_from_sec(INT64_MIN, 0), ML_TIME_NONE);
	assert_int_equal(ml_time_from_sec(-1, 999999999), ML_TIME_NONE);
	assert_int_equal(ml_time_from_sec(253402300800LL, 0), ML_TIME_NONE);
	assert_int_equal(ml_time_from_sec(253402300799LL, 999999999),
	    ML_TIME_MAX);
	assert_int_equal(ml_time_from_sec(1717722205LL, 640000000),
	    1717722205640LL);
	assert_int_equal(ml_time_year(ML_TIME_MAX), 9999);
	assert_int_equal(ml_time_year(ML_TIME_NONE), 0);
	assert_int_equal(ml_time_parse("2023-02-29", &t), -1);
	assert_int_equal(ml_time_parse("2024-06-07T24:00:00Z", &t), -1);
	assert_int_equal(ml_time_parse("2024-06-07T01:23", &t), -1);
	assert_int_equal(ml_time_parse("2024-06-07T01:23:25.Z", &t), -1);
	assert_int_equal(ml_time_parse("2024-06-07x", &t), -1);
	assert_int_equal(ml_time_parse("", &t), -1);
	assert_string_equal(ml_time_format(ML_TIME_NONE, buf, sizeof(buf)), "");
	assert_string_equal(ml_time_format(0, buf, sizeof(buf)),
	    "1970-01-01T00:00:00.000Z");
}

/* The records of one pasted-form case (test/cases/pasted/NAME) against
 * its "# expect" lines; every line goes through errlog_parse_line() with
 * rec.rest followed, as analysis.c does. */
static void
check_pasted(const char *name)
{
	char path[256], *text, *line, *nl, *msgs[16];
	struct errlog_options opt = { ML_TIME_NONE, 2016 };
	struct errlog_parser *p = errlog_parser_new(&opt);
	struct errlog_record rec;
	long want_records = -1, want_cont = -1, want_unparsed = -1;
	unsigned want_form = 0, forms = 0;
	size_t nmsgs = 0, i, records = 0, cont = 0, found = 0;
	unsigned char seen[16] = { 0 };
	uint64_t no = 0;

	assert_non_null(p);
	snprintf(path, sizeof path, "test/cases/pasted/%s", name);
	text = test_slurp(path, NULL);
	if (text == NULL)
		fail_msg("cannot read %s", path);
	for (line = text; *line != '\0'; line = nl + 1) {
		size_t n;
		const char *s;

		nl = strchr(line, '\n');
		assert_non_null(nl);
		*nl = '\0';
		no++;
		if (strncmp(line, "# expect ", 9) == 0) {
			char *arg = strchr(line + 9, ' ') + 1;

			if (strncmp(line + 9, "records ", 8) == 0)
				want_records = atol(arg);
			else if (strncmp(line + 9, "continuations ", 14) == 0)
				want_cont = atol(arg);
			else if (strncmp(line + 9, "unparsed ", 9) == 0)
				want_unparsed = atol(arg);
			else if (strncmp(line + 9, "form ", 5) == 0)
				want_form = errlog_forms_parse(arg);
			else if (strncmp(line + 9, "message ", 8) == 0 &&
			    nmsgs < 16)
				msgs[nmsgs++] = arg;
			else
				fail_msg("%s:%llu: bad expect line", path,
				    (unsigned long long)no);
			continue;
		}
		for (s = line, n = strlen(line); n > 0; s += n - rec.rest,
		    n = rec.rest) {
			int got = errlog_parse_line(p, s, n, no, &rec);

			assert_true(rec.rest < n);
			if (got) {
				records += !rec.continuation;
				cont += (size_t)rec.continuation;
				forms |= rec.form;
				for (i = 0; i < nmsgs; i++)
					if (strlen(msgs[i]) == rec.message.n &&
					    memcmp(msgs[i], rec.message.p,
					    rec.message.n) == 0 && !seen[i]) {
						seen[i] = 1;
						found++;
					}
			}
			if (rec.rest == 0)
				break;
		}
	}
	for (i = 0; i < nmsgs; i++)
		if (!seen[i])
			print_error("%s: no record with message \"%s\"\n", path,
			    msgs[i]);
	if (want_records >= 0)
		assert_int_equal(records, want_records);
	if (want_cont >= 0)
		assert_int_equal(cont, want_cont);
	if (want_unparsed >= 0)
		assert_int_equal(errlog_parser_unparsed(p), want_unparsed);
	assert_true(want_form != 0);
	if (forms != want_form) {
		char got[128], want[128];

		fail_msg("%s: forms %s, want %s", path,
		    errlog_forms_format(forms, got, sizeof got),
		    errlog_forms_format(want_form, want, sizeof want));
	}
	assert_int_equal(found, nmsgs);
	/* and a record line is one, also alone */
	free(text);
	errlog_parser_free(p);
}

static void
test_pasted_forms(void **state)
{
	static const char *const files[] = {
		"kb-flattened.txt", "prose-flattened.txt", "notepadpp.txt",
		"findstr-n.txt", "quoted.txt", "line-numbers.txt",
		"viewer-time.txt",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof files / sizeof files[0]; i++)
		check_pasted(files[i]);
}

/* The names of the forms round-trip; unknown names are ignored. */
static void
test_form_names(void **state)
{
	char buf[256];
	unsigned all = (1u << ERRLOG_FORM_COUNT) - 1;

	(void)state;
	assert_string_equal(errlog_forms_format(ERRLOG_FORM_TAB |
	    ERRLOG_FORM_NOTEPADPP, buf, sizeof buf), "tab+notepad++");
	assert_int_equal(errlog_forms_parse(errlog_forms_format(all, buf,
	    sizeof buf)), all);
	assert_int_equal(errlog_forms_parse("spaces+bogus+quoted"),
	    ERRLOG_FORM_SPACES | ERRLOG_FORM_QUOTED);
	assert_int_equal(errlog_forms_parse(""), 0);
	assert_string_equal(errlog_forms_format(0, buf, sizeof buf), "");
	assert_null(errlog_form_name(ERRLOG_FORM_COUNT));
	/* a short buffer keeps whole names */
	assert_string_equal(errlog_forms_format(all, buf, 12), "tab+spaces");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_continuation),
		cmocka_unit_test(test_variants),
		cmocka_unit_test(test_repeated_guid),
		cmocka_unit_test(test_canonical_numbers),
		cmocka_unit_test(test_canonical_tail),
		cmocka_unit_test(test_year_reference),
		cmocka_unit_test(test_year_option),
		cmocka_unit_test(test_time_from_name),
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_time_helpers),
		cmocka_unit_test(test_pasted_forms),
		cmocka_unit_test(test_form_names),
	};

	return cmocka_run_group_tests_name("errlog", tests, NULL, NULL);
}
