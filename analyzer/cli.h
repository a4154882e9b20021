/* SPDX-License-Identifier: MIT */
/*
 * cli.h -- the marslog command line: options, help texts, exit codes.
 *
 * Only analyzer/ prints usage or exits; cli_parse() reports problems as a
 * message and the caller exits with MARSLOG_EXIT_USAGE.
 */
#ifndef MARSLOG_CLI_H
#define MARSLOG_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "analyzer/years.h"
#include "parsers/source.h"
#include "patterns/catalog.h"

/* Exit status, documented in README, --help and marslog(1). */
enum marslog_exit {
	MARSLOG_EXIT_OK = 0,		/* nothing at or above --fail-on */
	MARSLOG_EXIT_FINDINGS = 1,	/* findings at or above --fail-on */
	MARSLOG_EXIT_USAGE = 2,		/* bad usage, nothing readable, or
					 * an output could not be written */
	MARSLOG_EXIT_EMPTY = 3		/* nothing at or above --fail-on, but
					 * --since/--until left a machine with
					 * no record (not with --fail-on never) */
};

enum cli_command {
	CMD_ANALYSE = 0,	/* marslog [options] PATH... */
	CMD_MERGE,		/* marslog merge [options] SUMMARY.json... */
	CMD_CATALOG,		/* marslog catalog */
	CMD_EXPLAIN,		/* marslog explain CODE... */
	CMD_SHOW,		/* marslog show WHAT PATH... */
	CMD_HISTORY,		/* marslog history [options] FILE */
	CMD_HELP,		/* marslog help [COMMAND], --help */
	CMD_VERSION		/* --version */
};

/* FAIL_ON_NEW: exit 1 only when the --baseline diff has a new item. */
enum fail_on { FAIL_ON_ERROR = 0, FAIL_ON_WARNING, FAIL_ON_NEVER, FAIL_ON_NEW };

#define CLI_MAX_CATALOGS 16
#define CLI_MAX_YEARS 64

struct cli {
	enum cli_command command;
	const char *help_topic;		/* help COMMAND */
	char **args;			/* paths, summaries or codes */
	int nargs;
	/* outputs */
	int summary;
	int inputs;
	const char *json, *html, *xlsx;
	/* analysis */
	struct source_options source;
	int64_t since, until;		/* ms or ML_TIME_NONE */
	int64_t since_ago, until_ago;	/* > 0: relative (7d), ms before the
					 * reference time; 0: not */
	int year;			/* --year YEAR, 0: none */
	struct year_option years[CLI_MAX_YEARS]; /* every --year */
	int nyears;
	size_t max_line;
	const char *catalogs[CLI_MAX_CATALOGS];
	int ncatalogs;
	enum cat_lang lang;
	int jobs;
	uint64_t split_bytes;		/* --split-size, 0: never */
	/* show */
	const char *grep;		/* --grep PATTERN, NULL: WHAT is args[0] */
	int before, after;		/* -B, -A (-C sets both) */
	uint64_t max_matches;		/* --max, 0: all */
	int ndjson;			/* show --json: one object per line */
	/* behaviour */
	enum fail_on fail_on;
	int quiet;
	int color;			/* -1 auto, 0 never, 1 always */
	int width;			/* 0: terminal or 80 */
	int stamp;
	int64_t now;			/* ms, wall clock at start */
	/* fleet */
	double stale_after_hours;	/* --stale-after, default 26 */
	const char *baseline;		/* --baseline FILE, NULL: none */
	int now_given;			/* --now was given */
	int64_t as_of;			/* the reference time: --now (clock:
					 * the wall clock), else ML_TIME_NONE
					 * (the newest record of the run) */
	/* redaction */
	int redact;			/* --redact (also implied by --redact-key) */
	const char *redact_key;		/* --redact-key FILE, NULL: random key */
	const char *redact_map;		/* --redact-map FILE, NULL: none */
	/* history */
	const char *history;		/* --history FILE, NULL: none */
	int prune_days;			/* history --prune DAYS, -1: none */
	char options[1024];		/* the options as given, for the
					 * history's run record (cut) */
};

/* Parse argv into *c.  Returns 0, or -1 with a one-line message in err. */
int cli_parse(int argc, char **argv, struct cli *c, char *err, size_t errlen);

/* Full help for a command (CMD_ANALYSE for the main one). */
void cli_print_help(FILE *fp, enum cli_command cmd);

/* "2024-06-01", "2024-06-01T12:00:00Z", "7d", "12h", "30m" -> ms: a date
 * sets *ms and *ago = 0; an age sets *ago (ms, > 0) and *ms = now - ago.
 * -1 for anything else or a time outside 1970-9999. */
int cli_parse_when(const char *s, int64_t now, int64_t *ms, int64_t *ago);
/* "4096", "64K", "1M", "16G" -> bytes. */
int cli_parse_size(const char *s, uint64_t *bytes);

#endif
