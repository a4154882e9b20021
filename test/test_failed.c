/* SPDX-License-Identifier: MIT */
/*
 * test_failed.c -- LastBackupFailedFiles lines in every shape the parser
 * accepts, the boilerplate it skips, and the file-name helpers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "parsers/failed.h"

struct item_case {
	const char *line;
	const char *path;
	int has_hresult;
	uint32_t hresult;
	const char *text;
};

static const struct item_case items[] = {
	{ "C:\\Data\\a.docx\t0x80070005\tAccess is denied.",
	    "C:\\Data\\a.docx", 1, 0x80070005, "Access is denied." },
	{ "C:\\Data\\My Files\\a b.docx 0x80070005 Access is denied.",
	    "C:\\Data\\My Files\\a b.docx", 1, 0x80070005,
	    "Access is denied." },
	{ "0x80070002 D:\\Share\\gone.txt", "D:\\Share\\gone.txt", 1,
	    0x80070002, "" },
	{ "0X8007018B\tE:\\OneDrive\\cloud.pdf\tcloud file",
	    "E:\\OneDrive\\cloud.pdf", 1, 0x8007018B, "cloud file" },
	{ "C:\\Data\\x (1).txt (0x80070570) The file is corrupted",
	    "C:\\Data\\x (1).txt", 1, 0x80070570, "The file is corrupted" },
	{ "C:\\Data\\x.txt, Error: 0x80070003", "C:\\Data\\x.txt", 1,
	    0x80070003, "Error" },
	{ "\\\\?\\C:\\Very\\Long\\Path\\file.bin 80070005",
	    "\\\\?\\C:\\Very\\Long\\Path\\file.bin", 1, 0x80070005, "" },
	{ "\\\\server\\share\\dir\\f.txt\tFailed with 0x8000ffff",
	    "\\\\server\\share\\dir\\f.txt", 1, 0x8000FFFF, "Failed with" },
	{ "  F:\\No Code\\file name.txt  ", "F:\\No Code\\file name.txt", 0,
	    0, "" },
	{ "F:\\dir\\f.txt\tThe process cannot access the file",
	    "F:\\dir\\f.txt", 0, 0, "The process cannot access the file" },
	/* hex runs inside the path are not codes */
	{ "C:\\0x80070005\\DEADBEEF\\f.log 0x80070002",
	    "C:\\0x80070005\\DEADBEEF\\f.log", 1, 0x80070002, "" },
	{ "C:\\Program Files (x86)\\app.exe\t0x80070020",
	    "C:\\Program Files (x86)\\app.exe", 1, 0x80070020, "" },
	/* no path at all */
	{ "Error 0x80070005 while enumerating", "", 1, 0x80070005,
	    "while enumerating" },
	{ "something went wrong", "", 0, 0, "something went wrong" },
	/* a bare 8-digit word must look like a failure code */
	{ "C:\\a.txt 12345678 text", "C:\\a.txt 12345678 text", 0, 0, "" },
	{ "C:\\a.txt - 0x80070005 - denied", "C:\\a.txt", 1, 0x80070005,
	    "denied" },
};

static void
assert_span(struct ml_span s, const char *want)
{
	assert_int_equal(s.n, strlen(want));
	assert_memory_equal(s.p, want, s.n);
}

static void
test_items(void **state)
{
	struct failed_item it;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		memset(&it, 0xA5, sizeof(it));
		assert_int_equal(failed_parse_line(items[i].line,
		    strlen(items[i].line), &it), 1);
		assert_span(it.path, items[i].path);
		assert_int_equal(it.has_hresult, items[i].has_hresult);
		if (items[i].has_hresult)
			assert_int_equal(it.hresult, items[i].hresult);
		assert_span(it.text, items[i].text);
	}
}

static void
test_boilerplate(void **state)
{
	static const char *const skip[] = {
		"",
		"   \t ",
		"\r",
		"--------------------------------------------------",
		" ---- -- ",
		"Consider adding these to exclusion list of backup policy.",
		"Consider adding these to exclusion list of backup policy. "
		    "Files that failed:",
	};
	struct failed_item it;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		assert_int_equal(failed_parse_line(skip[i], strlen(skip[i]),
		    &it), 0);
	/* a zero-length line needs no readable byte */
	assert_int_equal(failed_parse_line(NULL, 0, &it), 0);
}

static void
test_names(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(failed_name_matches(
	    "LastBackupFailedFiles17af1_7_21_2020.txt"), 1);
	assert_int_equal(failed_name_matches(
	    "Temp\\lastbackupfailedfiles17af1_7_21_2020.TXT"), 1);
	assert_int_equal(failed_name_matches("a/b/LastBackupFailedFiles.txt"),
	    1);
	assert_int_equal(failed_name_matches("LastBackupFailedFiles.log"), 0);
	assert_int_equal(failed_name_matches("xLastBackupFailedFiles.txt"), 0);
	assert_int_equal(failed_name_matches("CBEngineCurr.errlog"), 0);

	assert_string_equal(ml_time_format(failed_time_from_name(
	    "LastBackupFailedFiles17af1_7_21_2020.txt"), buf, sizeof(buf)),
	    "2020-07-21T00:00:00.000Z");
	assert_string_equal(ml_time_format(failed_time_from_name(
	    "Temp/LastBackupFailedFilesABC_12_1_2019 (2).txt"), buf,
	    sizeof(buf)), "2019-12-01T00:00:00.000Z");
	assert_string_equal(ml_time_format(failed_time_from_name(
	    "LastBackupFailedFiles17af1_7_21_2020_copy.txt"), buf,
	    sizeof(buf)), "2020-07-21T00:00:00.000Z");
	assert_true(failed_time_from_name("LastBackupFailedFiles.txt") ==
	    ML_TIME_NONE);
	assert_true(failed_time_from_name(
	    "LastBackupFailedFiles17af1_13_21_2020.txt") == ML_TIME_NONE);
	assert_true(failed_time_from_name(
	    "LastBackupFailedFiles17af1_7_21_20201.txt") == ML_TIME_NONE);
	assert_true(failed_time_from_name(
	    "LastBackupFailedFiles17af1_7_21_2020.log") == ML_TIME_NONE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_items),
		cmocka_unit_test(test_boilerplate),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests_name("failed", tests, NULL, NULL);
}
