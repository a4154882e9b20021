/* SPDX-License-Identifier: MIT */
/*
 * test_e2e_scripts.c -- the shell files marslog ships: the recipes in
 * analyzer/contrib/ parse (sh -n) and pass shellcheck when it is
 * installed; the bash completion parses and agrees with the program and
 * the man page (test/completion_check.sh).  The recipes themselves run in
 * test_baseline.c (nightly) and test_fleet.c (GNU parallel, Slurm).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "test/test_util.h"

static const char *const recipes[] = {
	"analyzer/contrib/marslog-nightly.sh",
	"analyzer/contrib/marslog-parallel.sh",
	"analyzer/contrib/marslog-slurm.sbatch",
};

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Run a command line made from fmt; its exit status, -1 if killed. */
static int
sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void
test_recipes_parse(void **state)
{
	size_t i;
	int have_sc = system("command -v shellcheck >/dev/null 2>&1") == 0;

	(void)state;
	if (!have_sc)
		print_message("shellcheck is not installed: the recipes are "
		    "only parsed\n");
	for (i = 0; i < sizeof recipes / sizeof recipes[0]; i++) {
		if (sh("sh -n %s", recipes[i]) != 0)
			fail_msg("%s does not parse", recipes[i]);
		if (have_sc && sh("shellcheck -s sh %s", recipes[i]) != 0)
			fail_msg("shellcheck %s", recipes[i]);
	}
}

static void
test_completion(void **state)
{
	const char *marslog, *wrap;

	(void)state;
	test_marslog(&marslog, &wrap);
	assert_int_equal(sh("bash -n %s", "analyzer/marslog.bash-completion"),
	    0);
	if (system("command -v shellcheck >/dev/null 2>&1") == 0)
		assert_int_equal(sh("shellcheck -s bash %s",
		    "test/completion_check.sh"), 0);
	/* the program itself, not a wrapper: only its answers count */
	if (sh("bash test/completion_check.sh %s", marslog) != 0)
		fail_msg("the bash completion disagrees with %s or "
		    "analyzer/marslog.1 (above)", marslog);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recipes_parse),
		cmocka_unit_test(test_completion),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
