/* SPDX-License-Identifier: MIT */
/* test_cli.c -- option parsing, sizes, dates and ages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "analyzer/cli.h"
#include "parsers/record.h"

static int
parse(struct cli *c, char *err, const char *a0, ...)
{
	static char args[32][64];
	static char *argv[32];	/* c->args points into it after return */
	int argc = 0;
	va_list ap;
	const char *s;

	/* getopt wants char **; copy the literals into writable storage. */
	snprintf(args[0], sizeof args[0], "marslog");
	argv[argc] = args[argc];
	argc++;
	va_start(ap, a0);
	for (s = a0; s != NULL && argc < 31; s = va_arg(ap, const char *)) {
		snprintf(args[argc], sizeof args[argc], "%s", s);
		argv[argc] = args[argc];
		argc++;
	}
	va_end(ap);
	argv[argc] = NULL;
	return cli_parse(argc, argv, c, err, 256);
}

static void
test_sizes(void **state)
{
	uint64_t b;

	(void)state;
	assert_int_equal(cli_parse_size("4096", &b), 0);
	assert_int_equal(b, 4096);
	assert_int_equal(cli_parse_size("64K", &b), 0);
	assert_int_equal(b, 65536);
	assert_int_equal(cli_parse_size("1M", &b), 0);
	assert_int_equal(b, 1u << 20);
	assert_int_equal(cli_parse_size("16GiB", &b), 0);
	assert_int_equal(b, 16ULL << 30);
	assert_int_equal(cli_parse_size("12X", &b), -1);
	assert_int_equal(cli_parse_size("-1", &b), -1);
	assert_int_equal(cli_parse_size("", &b), -1);
	assert_int_equal(cli_parse_size("99999999999999999999T", &b), -1);
}

static void
test_when(void **state)
{
	int64_t now = 1717722205640LL;	/* 2024-06-07T01:03:25.640Z */
	int64_t ms, ago;

	(void)state;
	assert_int_equal(cli_parse_when("2024-06-01", now, &ms, &ago), 0);
	assert_int_equal(ms, 1717200000000LL);
	assert_int_equal(ago, 0);
	assert_int_equal(cli_parse_when("2024-06-01T12:00:00Z", now, &ms,
	    &ago), 0);
	assert_int_equal(ms, 1717243200000LL);
	assert_int_equal(cli_parse_when("7d", now, &ms, &ago), 0);
	assert_int_equal(ms, now - 7 * 86400000LL);
	assert_int_equal(ago, 7 * 86400000LL);
	assert_int_equal(cli_parse_when("12h", now, &ms, &ago), 0);
	assert_int_equal(ms, now - 12 * 3600000LL);
	assert_int_equal(cli_parse_when("2w", now, &ms, &ago), 0);
	assert_int_equal(ms, now - 14 * 86400000LL);
	assert_int_equal(cli_parse_when("yesterday", now, &ms, &ago), -1);
	assert_int_equal(cli_parse_when("7", now, &ms, &ago), -1);
	assert_int_equal(cli_parse_when("7dd", now, &ms, &ago), -1);
	/* bounded: 1970-9999 only, no overflow, no empty age */
	assert_int_equal(cli_parse_when("0d", now, &ms, &ago), -1);
	assert_int_equal(cli_parse_when("20000d", now, &ms, &ago), -1);
	assert_int_equal(cli_parse_when("9223372036854775807m", now, &ms,
	    &ago), -1);
	assert_int_equal(cli_parse_when("1969-12-31", now, &ms, &ago), -1);
	assert_int_equal(cli_parse_when("9999-12-31T23:59:59.999Z", now, &ms,
	    &ago), 0);
	assert_int_equal(ms, ML_TIME_MAX);
	assert_int_equal(cli_parse_when("9999-12-31T23:59:60Z", now, &ms,
	    &ago), -1);
}

/* A relative --since counts back from --now when it is given, and is
 * left to the run (the newest record) when it is not; --stamp does not
 * move the reference to the wall clock, --now clock does. */
static void
test_reference(void **state)
{
	struct cli c;
	char err[256];

	(void)state;
	assert_int_equal(parse(&c, err, "--since", "7d", "x", NULL), 0);
	assert_int_equal(c.since, ML_TIME_NONE);
	assert_int_equal(c.since_ago, 7 * 86400000LL);
	assert_int_equal(c.as_of, ML_TIME_NONE);
	assert_int_equal(parse(&c, err, "--since", "7d", "--stamp", "x",
	    NULL), 0);
	assert_int_equal(c.as_of, ML_TIME_NONE);
	assert_int_equal(c.since_ago, 7 * 86400000LL);
	assert_int_equal(parse(&c, err, "--since", "7d", "--now",
	    "2024-06-10", "x", NULL), 0);
	assert_int_equal(c.as_of, 1717977600000LL);
	assert_int_equal(c.since, 1717977600000LL - 7 * 86400000LL);
	assert_int_equal(c.since_ago, 0);
	assert_int_equal(parse(&c, err, "--until", "1d", "--now", "clock",
	    "x", NULL), 0);
	assert_int_equal(c.as_of, c.now);
	assert_int_equal(c.until, c.now - 86400000LL);
	assert_int_equal(parse(&c, err, "--since", "1d", "--until", "2d",
	    "x", NULL), -1);
	assert_string_equal(err, "--since must be before --until");
	assert_int_equal(parse(&c, err, "--since", "400d", "--now",
	    "1970-06-01", "x", NULL), -1);
}

/* --year YEAR for all, --year MACHINE=YEAR (repeatable) for one. */
static void
test_years(void **state)
{
	struct cli c;
	char err[256];

	(void)state;
	assert_int_equal(parse(&c, err, "--year", "2023", "--year",
	    "fs02=2024", "--year", "a=b=2022", "x", NULL), 0);
	assert_int_equal(c.year, 2023);
	assert_int_equal(c.nyears, 3);
	assert_int_equal(years_option_for(c.years, 3, "fs02"), 2024);
	assert_int_equal(years_option_for(c.years, 3, "a=b"), 2022);
	assert_int_equal(years_option_for(c.years, 3, "fs01"), 2023);
	assert_int_equal(years_option_for(c.years, 2 - 1, "fs01"), 2023);
	assert_int_equal(parse(&c, err, "--year", "fs02=2024", "x", NULL), 0);
	assert_int_equal(c.year, 0);
	assert_int_equal(years_option_for(c.years, 1, "fs01"), 0);
	assert_int_equal(parse(&c, err, "--year", "=2024", "x", NULL), -1);
	assert_int_equal(parse(&c, err, "--year", "fs02=", "x", NULL), -1);
	assert_int_equal(parse(&c, err, "--year", "fs02=10000", "x", NULL), -1);
	assert_int_equal(parse(&c, err, "--year", "1969", "x", NULL), -1);
	assert_non_null(strstr(err, "MACHINE=YEAR"));
}

static void
test_options(void **state)
{
	struct cli c;
	char err[256];

	(void)state;
	assert_int_equal(parse(&c, err, "--json", "-", "--html", "r.html",
	    "--lang", "zh-CN", "-J", "3", "--fail-on", "warning", "--year",
	    "2024", "--max-line", "64K", "a.zip", "b", NULL), 0);
	assert_int_equal(c.command, CMD_ANALYSE);
	assert_string_equal(c.json, "-");
	assert_string_equal(c.html, "r.html");
	assert_int_equal(c.lang, CAT_LANG_ZH);
	assert_int_equal(c.jobs, 3);
	assert_int_equal(c.fail_on, FAIL_ON_WARNING);
	assert_int_equal(c.year, 2024);
	assert_int_equal(c.max_line, 65536);
	assert_int_equal(c.nargs, 2);
	assert_string_equal(c.args[0], "a.zip");

	assert_int_equal(parse(&c, err, "explain", "0x80070005", "--lang",
	    "en", NULL), 0);
	assert_int_equal(c.command, CMD_EXPLAIN);
	assert_int_equal(c.nargs, 1);
	assert_string_equal(c.args[0], "0x80070005");

	assert_int_equal(parse(&c, err, "help", "merge", NULL), 0);
	assert_int_equal(c.command, CMD_HELP);
	assert_string_equal(c.help_topic, "merge");

	assert_int_equal(parse(&c, err, "catalog", "--help", NULL), 0);
	assert_int_equal(c.command, CMD_HELP);
	assert_string_equal(c.help_topic, "catalog");
}

static void
test_errors(void **state)
{
	struct cli c;
	char err[256];

	(void)state;
	assert_int_equal(parse(&c, err, NULL), -1);
	assert_non_null(strstr(err, "no input"));
	assert_int_equal(parse(&c, err, "--bogus", "x", NULL), -1);
	assert_string_equal(err, "unknown option '--bogus'");
	assert_int_equal(parse(&c, err, "x", "--json", NULL), -1);
	assert_string_equal(err, "option '--json' needs a value");
	assert_int_equal(parse(&c, err, "--lang", "fr", "x", NULL), -1);
	assert_string_equal(err, "--lang: 'fr' is not en or zh-CN");
	assert_int_equal(parse(&c, err, "--jobs", "0", "x", NULL), -1);
	assert_int_equal(parse(&c, err, "--fail-on", "sometimes", "x", NULL), -1);
	assert_int_equal(parse(&c, err, "--since", "2024-06-02", "--until",
	    "2024-06-01", "x", NULL), -1);
	assert_string_equal(err, "--since must be before --until");
	assert_int_equal(parse(&c, err, "merge", NULL), -1);
	assert_int_equal(parse(&c, err, "catalog", "extra", NULL), -1);
}

/* An option a subcommand does not use is a usage error, whatever
 * command and option; and standard output takes one report. */
static void
test_subcommand_options(void **state)
{
	static const char *const bad[][4] = {
		{ "catalog", "--html", "x", NULL },
		{ "catalog", "--json", "x", NULL },
		{ "catalog", "--since", "7d", NULL },
		{ "explain", "--xlsx", "y", "0x80070005" },
		{ "explain", "-J", "2", "0x80070005" },
		{ "explain", "--summary", "0x80070005", NULL },
		{ "merge", "--since", "7d", "a.json" },
		{ "merge", "--until", "2024-06-01", "a.json" },
		{ "merge", "--machine", "x", "a.json" },
		{ "merge", "--year", "2024", "a.json" },
		{ "merge", "--inputs", "a.json", NULL },
		{ "merge", "--split-size", "1M", "a.json" },
		{ "merge", "--max-depth", "2", "a.json" },
	};
	struct cli c;
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		assert_int_equal(parse(&c, err, bad[i][0], bad[i][1], bad[i][2],
		    bad[i][3], NULL), -1);
		assert_non_null(strstr(err, "does not apply to"));
		assert_non_null(strstr(err, bad[i][0]));
	}
	assert_int_equal(parse(&c, err, "catalog", "--html", "x", NULL), -1);
	assert_string_equal(err, "--html does not apply to catalog (see "
	    "'marslog help catalog')");
	/* what each command does take */
	assert_int_equal(parse(&c, err, "catalog", "--lang", "zh-CN",
	    "--catalog", "x.tsv", NULL), 0);
	assert_int_equal(parse(&c, err, "explain", "--lang", "en", "34513",
	    NULL), 0);
	assert_int_equal(parse(&c, err, "merge", "--lang", "zh-CN", "--json",
	    "-", "--html", "f.html", "--xlsx", "f.xlsx", "--catalog", "x.tsv",
	    "--stale-after", "40", "--now", "2024-06-10", "--fail-on", "never",
	    "--stamp", "-q", "--width", "100", "a.json", NULL), 0);
	assert_int_equal(parse(&c, err, "--since", "7d", "--machine", "x",
	    "--inputs", "--summary", "-J", "2", "bundle.zip", NULL), 0);
	/* one machine-readable report on stdout, alone */
	assert_int_equal(parse(&c, err, "--json", "-", "--summary", "b.zip",
	    NULL), -1);
	assert_non_null(strstr(err, "standard output"));
	assert_int_equal(parse(&c, err, "merge", "--json", "-", "-s", "a.json",
	    NULL), -1);
	assert_int_equal(parse(&c, err, "--json", "-", "--html", "-", "b.zip",
	    NULL), -1);
	assert_int_equal(parse(&c, err, "--json", "-", "--inputs", "b.zip",
	    NULL), -1);
	assert_int_equal(parse(&c, err, "--json", "-", "--html", "r.html",
	    "b.zip", NULL), 0);
	assert_int_equal(parse(&c, err, "--json", "out.json", "--summary",
	    "b.zip", NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_when),
		cmocka_unit_test(test_reference),
		cmocka_unit_test(test_years),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_subcommand_options),
	};

	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
