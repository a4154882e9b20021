/* SPDX-License-Identifier: MIT */
/* test_template.c -- masking of variable message parts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "analyzer/template.h"

static void
check(const char *in, const char *want)
{
	char out[TEMPLATE_MAX + 1];
	size_t n = template_mask(in, strlen(in), out);

	assert_string_equal(out, want);
	assert_int_equal(n, strlen(want));
}

static void
test_masks(void **state)
{
	(void)state;
	check("GetImportJobStatus:: Import job with name 'ImportJobName' is not found",
	    "GetImportJobStatus:: Import job with name '<s>' is not found");
	check("Task F3E32129-DC79-4A28-9ACC-3F30CB5810B6 failed after 3 retries",
	    "Task <guid> failed after <n> retries");
	check("ProviderId:[{2F900F90-00E9-440E-873A-96CA5EB079E5}] h/w provider:[65536]",
	    "ProviderId:[<guid>] h/w provider:[<n>]");
	check("PollAzureImportJob failed with error code: 1b7afbe0",
	    "PollAzureImportJob failed with error code: <hex>");
	check("Failed: Hr: = [0x8007052e] open C:\\Data\\x.docx denied",
	    "Failed: Hr: = [<hex>] open <path> denied");
	check("share \\\\srv01\\backup\\a.txt   gone", "share <path> gone");
	check("object [000000001A12E3F0] released", "object [<hex>] released");
}

/* Letters are copied a run at a time; where a run could start a code or
 * a path, the rules still see it. */
static void
test_letter_runs(void **state)
{
	(void)state;
	check("copy to G:\\Backups\\vol1 failed", "copy to <path> failed");
	check("z:/data ok", "<path> ok");
	check("Zq:x", "Zq:x");
	check("W", "W");
	check("ab_cd12ef 34gh", "ab_cd<n>ef <n>gh");
	check("xyz0x8007052e", "xyz<n>x<n>e");
	check("ggg deadbeef1 hhh", "ggg <hex> hhh");
	check("_Fa{F3E32129-DC79-4A28-9ACC-3F30CB5810B6}", "_Fa{<guid>}");
	check("q {F3E32129-DC79-4A28-9ACC-3F30CB5810B6}", "q <guid>");
	check("==>FileProvider::EndData", "==>FileProvider::EndData");
	check("name 'x1' here", "name '<s>' here");
}

static void
test_same_template(void **state)
{
	char a[TEMPLATE_MAX + 1], b[TEMPLATE_MAX + 1];
	const char *x = "Disk 2 of VM vm-20 has 120 GB free at 10:15";
	const char *y = "Disk 7 of VM vm-31 has 5 GB free at 23:59";

	(void)state;
	template_mask(x, strlen(x), a);
	template_mask(y, strlen(y), b);
	assert_string_equal(a, b);
}

static void
test_words_survive(void **state)
{
	(void)state;
	/* Plain words with hex letters are not codes. */
	check("deadline exceeded for cafe backup", "deadline exceeded for cafe backup");
	check("  leading   and trailing  ", "leading and trailing");
	check("", "");
}

static void
test_long_utf8_cut(void **state)
{
	char in[1000], out[TEMPLATE_MAX + 1];
	size_t i, n;

	(void)state;
	/* 3-byte characters: the cut must not split one. */
	for (i = 0; i + 3 <= sizeof in - 1; i += 3)
		memcpy(in + i, "\xe6\x96\x87", 3);
	in[i] = '\0';
	n = template_mask(in, strlen(in), out);
	assert_true(n <= TEMPLATE_MAX);
	assert_int_equal(n % 3, 0);
	assert_int_equal(strlen(out), n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_masks),
		cmocka_unit_test(test_letter_runs),
		cmocka_unit_test(test_same_template),
		cmocka_unit_test(test_words_survive),
		cmocka_unit_test(test_long_utf8_cut),
	};

	return cmocka_run_group_tests_name("template", tests, NULL, NULL);
}
