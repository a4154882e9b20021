/* SPDX-License-Identifier: MIT */
/*
 * test_hresult.c -- the HRESULT decoder and its generated name table.
 *
 * test/cases/errnames.txt holds the expected hresult_describe() output
 * for codes of every kind (Win32 in an HRESULT, named HRESULTs, security
 * and RPC codes, NTSTATUS bare and as HRESULT, DPM facility 0x99, unknown
 * facilities).  The other tests check the table itself against the
 * header it was generated from, when that header is installed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "patterns/errnames.h"
#include "patterns/hresult.h"

#define CASES "test/cases/errnames.txt"
#define WINERROR "/usr/share/mingw-w64/include/winerror.h"

static void test_cases_file(void **state)
{
	FILE *fp = fopen(CASES, "r");
	char line[1024], buf[512];
	unsigned n = 0, lineno = 0;

	(void)state;
	assert_non_null(fp);
	while (fgets(line, sizeof line, fp) != NULL) {
		char *tab, *end;
		unsigned long code;

		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		tab = strchr(line, '\t');
		if (tab == NULL)
			fail_msg("%s:%u: no TAB", CASES, lineno);
		*tab = '\0';
		code = strtoul(line, &end, 16);
		if (*end != '\0')
			fail_msg("%s:%u: bad code '%s'", CASES, lineno, line);
		hresult_describe((uint32_t)code, buf, sizeof buf);
		if (strcmp(buf, tab + 1) != 0)
			fail_msg("%s:%u: got '%s', want '%s'", CASES, lineno,
			    buf, tab + 1);
		n++;
	}
	fclose(fp);
	assert_true(n >= 30);
}

static void test_names(void **state)
{
	char buf[8];

	(void)state;
	assert_string_equal(win32_error_name(5007), "ERROR_RESOURCE_NOT_FOUND");
	assert_string_equal(win32_error_name(1825), "RPC_S_SEC_PKG_ERROR");
	assert_string_equal(win32_error_name(112), "ERROR_DISK_FULL");
	assert_string_equal(win32_error_name(10060), "WSAETIMEDOUT");
	assert_string_equal(win32_error_text(121),
	    "The semaphore timeout period has expired.");
	assert_null(win32_error_text(5007));	/* a name, no text */
	assert_null(win32_error_name(2600));
	assert_null(win32_error_text(99999));
	assert_string_equal(hresult_name(0x80090322), "SEC_E_WRONG_PRINCIPAL");
	assert_string_equal(hresult_name(0x80070005), "ERROR_ACCESS_DENIED");
	assert_string_equal(hresult_name(0xD0000022), "STATUS_ACCESS_DENIED");
	assert_string_equal(hresult_name(0x80004005), "E_FAIL");
	assert_null(hresult_name(0x80990D15));
	assert_string_equal(ntstatus_name(0xC0000005),
	    "STATUS_ACCESS_VIOLATION");
	assert_null(ntstatus_name(0xCFFF0001));
	assert_string_equal(hresult_facility_name(0x80070002),
	    "FACILITY_WIN32");
	assert_string_equal(hresult_facility_name(0x80042306), "VSS");
	assert_string_equal(hresult_facility_name(0x80040154), "FACILITY_ITF");
	assert_string_equal(hresult_facility_name(0x80090322),
	    "FACILITY_SECURITY");
	assert_string_equal(hresult_facility_name(0x80780001),
	    "FACILITY_WINDOWS_BACKUP");
	assert_string_equal(hresult_facility_name(0x80990001), "FACILITY_DPM");
	assert_null(hresult_facility_name(0x87FF0001));
	/* Truncation keeps the NUL. */
	assert_string_equal(hresult_describe(0x80070005, buf, 8), "0x80070");
	assert_ptr_equal(hresult_describe(0x80070005, buf, 0), buf);
}

/* Sorted (binary search), every name non-empty and found again. */
static void check_table(const struct errname *t, size_t n, size_t min)
{
	size_t i;

	assert_true(n >= min);
	for (i = 0; i < n; i++) {
		if (i > 0 && t[i - 1].code >= t[i].code)
			fail_msg("table not sorted at 0x%08X",
			    (unsigned)t[i].code);
		assert_true(errnames_blob[t[i].name] != '\0');
	}
}

static void test_table(void **state)
{
	size_t i;

	(void)state;
	check_table(errnames_win32, errnames_win32_count, 2000);
	check_table(errnames_hresult, errnames_hresult_count, 1000);
	check_table(errnames_ntstatus, errnames_ntstatus_count, 1500);
	for (i = 0; i < errnames_win32_count; i++)
		assert_string_equal(win32_error_name(errnames_win32[i].code),
		    errnames_blob + errnames_win32[i].name);
}

/*
 * Every "#define NAME __MSABI_LONG(N)" Win32 code and every
 * "#define SEC_E_/RPC_E_... _HRESULT_TYPEDEF_(0x...)" of the installed
 * winerror.h decodes to a name (that name or an alias of the same code).
 */
static void test_against_header(void **state)
{
	FILE *fp = fopen(WINERROR, "r");
	char line[512];
	unsigned checked = 0;

	(void)state;
	if (fp == NULL)
		skip();
	while (fgets(line, sizeof line, fp) != NULL) {
		char name[128];
		unsigned long v;

		if (sscanf(line, "#define %127s __MSABI_LONG(%lu)", name,
		    &v) == 2 && v < 0x10000 && strncmp(name, "S_", 2) != 0 &&
		    strncmp(name, "E_", 2) != 0) {
			if (win32_error_name((uint32_t)v) == NULL)
				fail_msg("Win32 %lu (%s) has no name", v, name);
			checked++;
		} else if (sscanf(line, "#define %127s _HRESULT_TYPEDEF_(%lx)",
		    name, &v) == 2 && (v & 0x80000000ul) != 0) {
			if (hresult_name((uint32_t)v) == NULL)
				fail_msg("0x%08lX (%s) has no name", v, name);
			checked++;
		}
	}
	fclose(fp);
	assert_true(checked > 3000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases_file),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_against_header),
	};

	return cmocka_run_group_tests_name("hresult", tests, NULL, NULL);
}
