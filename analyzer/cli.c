/* SPDX-License-Identifier: MIT */
/*
 * cli.c -- option parsing and help texts.  getopt_long does the work;
 * subcommands are recognised by the first argument only, so a file named
 * "merge" can still be analysed as ./merge.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyzer/cli.h"
#include "parsers/record.h"

enum {
	OPT_JSON = 'j', OPT_SUMMARY = 's', OPT_MACHINE = 'm', OPT_QUIET = 'q',
	OPT_JOBS = 'J', OPT_HELP = 'h',
	OPT_HTML = 256, OPT_XLSX, OPT_INPUTS, OPT_SINCE, OPT_UNTIL, OPT_YEAR,
	OPT_CATALOG, OPT_LANG, OPT_MAX_LINE, OPT_MAX_DEPTH, OPT_MAX_ENTRY,
	OPT_MAX_TOTAL, OPT_FAIL_ON, OPT_NO_COLOR, OPT_COLOR, OPT_WIDTH,
	OPT_STAMP, OPT_VERSION, OPT_STALE_AFTER, OPT_BASELINE, OPT_NOW,
	OPT_SPLIT_SIZE, OPT_REDACT, OPT_REDACT_KEY, OPT_REDACT_MAP, OPT_GREP,
	OPT_MAX, OPT_HISTORY, OPT_PRUNE,
	OPT_CONTEXT = 'C', OPT_BEFORE = 'B', OPT_AFTER = 'A'
};

static const struct option long_options[] = {
	{ "summary", no_argument, NULL, OPT_SUMMARY },
	{ "json", required_argument, NULL, OPT_JSON },
	{ "html", required_argument, NULL, OPT_HTML },
	{ "xlsx", required_argument, NULL, OPT_XLSX },
	{ "inputs", no_argument, NULL, OPT_INPUTS },
	{ "machine", required_argument, NULL, OPT_MACHINE },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "until", required_argument, NULL, OPT_UNTIL },
	{ "year", required_argument, NULL, OPT_YEAR },
	{ "catalog", required_argument, NULL, OPT_CATALOG },
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "jobs", required_argument, NULL, OPT_JOBS },
	{ "max-line", required_argument, NULL, OPT_MAX_LINE },
	{ "split-size", required_argument, NULL, OPT_SPLIT_SIZE },
	{ "max-depth", required_argument, NULL, OPT_MAX_DEPTH },
	{ "max-entry-size", required_argument, NULL, OPT_MAX_ENTRY },
	{ "max-total-size", required_argument, NULL, OPT_MAX_TOTAL },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "color", no_argument, NULL, OPT_COLOR },
	{ "width", required_argument, NULL, OPT_WIDTH },
	{ "stamp", no_argument, NULL, OPT_STAMP },
	{ "stale-after", required_argument, NULL, OPT_STALE_AFTER },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "now", required_argument, NULL, OPT_NOW },
	{ "redact", no_argument, NULL, OPT_REDACT },
	{ "redact-key", required_argument, NULL, OPT_REDACT_KEY },
	{ "redact-map", required_argument, NULL, OPT_REDACT_MAP },
	{ "history", required_argument, NULL, OPT_HISTORY },
	{ "prune", required_argument, NULL, OPT_PRUNE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

/* `show` takes the reading options of an analysis, context options and a
 * --json without a file (NDJSON on stdout). */
static const struct option show_options[] = {
	{ "grep", required_argument, NULL, OPT_GREP },
	{ "context", required_argument, NULL, OPT_CONTEXT },
	{ "before-context", required_argument, NULL, OPT_BEFORE },
	{ "after-context", required_argument, NULL, OPT_AFTER },
	{ "max", required_argument, NULL, OPT_MAX },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "machine", required_argument, NULL, OPT_MACHINE },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "until", required_argument, NULL, OPT_UNTIL },
	{ "year", required_argument, NULL, OPT_YEAR },
	{ "catalog", required_argument, NULL, OPT_CATALOG },
	{ "max-line", required_argument, NULL, OPT_MAX_LINE },
	{ "max-depth", required_argument, NULL, OPT_MAX_DEPTH },
	{ "max-entry-size", required_argument, NULL, OPT_MAX_ENTRY },
	{ "max-total-size", required_argument, NULL, OPT_MAX_TOTAL },
	{ "jobs", required_argument, NULL, OPT_JOBS },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "color", no_argument, NULL, OPT_COLOR },
	{ "redact", no_argument, NULL, OPT_REDACT },
	{ "redact-key", required_argument, NULL, OPT_REDACT_KEY },
	{ "redact-map", required_argument, NULL, OPT_REDACT_MAP },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 }
};

/*
 * Which subcommands take an option of long_options (`show` has its own
 * table).  An analysis takes them all; an option given to a command it
 * does not apply to is a usage error, never silently ignored.
 */
#define FOR_ANALYSE (1u << CMD_ANALYSE)
#define FOR_MERGE (1u << CMD_MERGE)
#define FOR_LOOKUP ((1u << CMD_CATALOG) | (1u << CMD_EXPLAIN))
#define FOR_HISTORY (1u << CMD_HISTORY)
static const struct {
	int opt;
	unsigned cmds;
} option_commands[] = {
	{ OPT_SUMMARY, FOR_ANALYSE | FOR_MERGE | FOR_HISTORY },
	{ OPT_JSON, FOR_ANALYSE | FOR_MERGE | FOR_HISTORY },
	{ OPT_HTML, FOR_ANALYSE | FOR_MERGE | FOR_HISTORY },
	{ OPT_XLSX, FOR_ANALYSE | FOR_MERGE | FOR_HISTORY },
	{ OPT_CATALOG, FOR_ANALYSE | FOR_MERGE | FOR_LOOKUP },
	{ OPT_LANG, FOR_ANALYSE | FOR_MERGE | FOR_LOOKUP | FOR_HISTORY },
	{ OPT_FAIL_ON, FOR_ANALYSE | FOR_MERGE },
	{ OPT_QUIET, FOR_ANALYSE | FOR_MERGE | FOR_HISTORY },
	{ OPT_NO_COLOR, FOR_ANALYSE | FOR_MERGE | FOR_HISTORY },
	{ OPT_COLOR, FOR_ANALYSE | FOR_MERGE | FOR_HISTORY },
	{ OPT_WIDTH, FOR_ANALYSE | FOR_MERGE | FOR_HISTORY },
	{ OPT_STAMP, FOR_ANALYSE | FOR_MERGE },
	{ OPT_STALE_AFTER, FOR_ANALYSE | FOR_MERGE },
	{ OPT_NOW, FOR_ANALYSE | FOR_MERGE },
	{ OPT_BASELINE, FOR_ANALYSE | FOR_MERGE },
	{ OPT_HISTORY, FOR_ANALYSE | FOR_MERGE },
	{ OPT_PRUNE, FOR_HISTORY },
	{ OPT_MACHINE, FOR_ANALYSE | FOR_HISTORY },
	{ OPT_SINCE, FOR_ANALYSE | FOR_HISTORY },
	/* checked with their own message below */
	{ OPT_REDACT, ~0u }, { OPT_REDACT_KEY, ~0u }, { OPT_REDACT_MAP, ~0u },
};

/* 0 if command `cmd` takes option `opt`. */
static int
option_applies(int opt, enum cli_command cmd)
{
	size_t i;

	for (i = 0; i < sizeof option_commands / sizeof option_commands[0]; i++)
		if (option_commands[i].opt == opt)
			return (option_commands[i].cmds >> cmd) & 1;
	return cmd == CMD_ANALYSE;
}

static const char *const command_names[] = {
	[CMD_ANALYSE] = "an analysis", [CMD_MERGE] = "merge",
	[CMD_CATALOG] = "catalog", [CMD_EXPLAIN] = "explain",
	[CMD_SHOW] = "show", [CMD_HISTORY] = "history",
};

static const char help_main[] =
"Usage: marslog [OPTIONS] PATH...\n"
"       marslog catalog [--lang LANG] [--catalog FILE]\n"
"       marslog explain CODE...\n"
"       marslog show [OPTIONS] WHAT PATH...\n"
"       marslog merge [OPTIONS] SUMMARY.json...\n"
"       marslog history [OPTIONS] HISTORY.db\n"
"       marslog help [COMMAND]\n"
"\n"
"Analyse Microsoft Azure Recovery Services (MARS) agent logs: CBEngine and\n"
"other *.errlog traces, their .Crash copies and LastBackupFailedFiles*.txt\n"
"lists.  Each PATH is a file, a folder (read recursively), an archive (zip,\n"
"tar, tar.gz, 7z, ...; archives inside it are opened too) or - for stdin.\n"
"Nothing is extracted to disk.  Every line is classified against the\n"
"documented MARS errors; the result says what failed, why and what to do.\n"
"\n"
"Output (any number; with none, --summary):\n"
"  -s, --summary            print a summary for the terminal\n"
"  -j, --json FILE          write the summary as JSON (- for stdout)\n"
"      --html FILE          write a self-contained HTML report\n"
"      --xlsx FILE          write an Excel workbook\n"
"      --inputs             list every input: machine, kind, encoding, bytes,\n"
"                           records, unparsed lines, status, path, warning\n"
"\n"
"Analysis:\n"
"  -m, --machine NAME       machine name for all inputs (default: the bundle's\n"
"                           file or top folder name)\n"
"      --since WHEN         only records at or after WHEN: 2024-06-01,\n"
"                           2024-06-01T12:00:00Z, or 7d / 12h / 30m before\n"
"                           the reference time (see below)\n"
"      --until WHEN         only records before WHEN\n"
"      --year [MACHINE=]YEAR  year of the first record of every machine, or\n"
"                           of one (repeatable); default: chosen per input\n"
"                           from the machine's dated clues (see below)\n"
"      --catalog FILE       add or replace catalog entries (repeatable)\n"
"      --lang LANG          en or zh-CN (default: from LANG)\n"
"  -J, --jobs N             read N files at once (default: CPUs)\n"
"      --split-size SIZE    with -J 2 or more, read a plain log of at least\n"
"                           twice SIZE in ranges of about SIZE on all\n"
"                           threads (default 32M; 0: never)\n"
"      --max-line SIZE      cut longer lines (default 1M)\n"
"      --max-depth N        open archives nested up to N deep (default 4)\n"
"      --max-entry-size SIZE  stop reading an archive entry after SIZE\n"
"                           (default 16G)\n"
"      --max-total-size SIZE  stop reading one input after SIZE (default 64G)\n"
"\n"
"Fleet (several machines, nightly runs):\n"
"      --stale-after HOURS  list machines with no successful backup in the\n"
"                           last HOURS hours first (default 26)\n"
"      --now WHEN           the reference time: \"hours since\" and relative\n"
"                           --since/--until count from WHEN (a date, or\n"
"                           'clock' for the wall clock); default: the\n"
"                           newest record of the run\n"
"      --baseline FILE      compare with an earlier run's --json summary:\n"
"                           new, worse, better and resolved findings and\n"
"                           staleness, machines that appeared or vanished\n"
"      --history FILE       record this run in a SQLite history (created when\n"
"                           missing) and add its trends to every report:\n"
"                           per machine 30 days of backups, 7- and 30-day\n"
"                           success, failing since; fleet success per day;\n"
"                           verdicts changed this week (marslog help history)\n"
"\n"
"Redaction (reports that can leave the customer's premises):\n"
"      --redact             replace machine, host, user and domain names,\n"
"                           addresses, file and folder names, shares, GUIDs\n"
"                           and Azure IDs with stable pseudonyms in every\n"
"                           output; codes, times and counts stay\n"
"      --redact-key FILE    derive the pseudonyms from FILE (any secret of\n"
"                           16 bytes or more): the same across runs and\n"
"                           machines; implies --redact (default: a random\n"
"                           key for this run)\n"
"      --redact-map FILE    write the pseudonym-to-original table to FILE\n"
"                           (mode 0600; for the engineer, never a report)\n"
"\n"
"Behaviour:\n"
"      --fail-on LEVEL      exit 1 on findings at LEVEL or worse: error\n"
"                           (default), warning or never; or 'new': exit 1\n"
"                           only when the --baseline diff has something new\n"
"  -q, --quiet              no progress meter and no warnings on stderr\n"
"      --no-color           no colours (also when NO_COLOR is set)\n"
"      --color              colours even when stdout is not a terminal\n"
"      --width N            terminal width for --summary\n"
"      --stamp              write the generation time into reports\n"
"  -h, --help               show this help; marslog help COMMAND for more\n"
"      --version            show the version\n"
"\n"
"Exit status:\n"
"  0  analysed; nothing at or above --fail-on\n"
"  1  analysed; findings at or above --fail-on (a failed backup job counts\n"
"     as an error; with --fail-on new: something new since the baseline)\n"
"  2  usage error, nothing could be read, or an output could not be written\n"
"  3  analysed; nothing at or above --fail-on, but --since/--until left a\n"
"     machine without any record (not with --fail-on never)\n"
"\n"
"Years and the reference time:\n"
"  The errlog date has no year.  Each input gets the year its machine's\n"
"  dated clues agree on, strongest first: a date with a year in its\n"
"  messages, a .Crash name, a LastBackupFailedFiles*_M_D_YYYY name, entry\n"
"  and file times near the records; times that look like a copy's count\n"
"  least.  Disagreeing clues, or none (stdin), give one warning per\n"
"  machine; --inputs shows each year and its source.  The reference time\n"
"  is --now, else the newest record (never the wall clock unless --now\n"
"  clock); every report shows it.  Times outside 1970-9999 are unknown.\n";

static const char help_catalog[] =
"Usage: marslog catalog [--lang LANG] [--catalog FILE]...\n"
"\n"
"List every catalog entry: id, level, category, codes and title.  With\n"
"--catalog, entries from FILE are added or replace those with the same id,\n"
"exactly as in an analysis; a malformed FILE is reported as FILE:LINE.\n";

static const char help_explain[] =
"Usage: marslog explain [--lang LANG] [--catalog FILE]... QUERY...\n"
"\n"
"Show one catalog entry: title, cause, remediation and documentation link.\n"
"QUERY is a MARS error ID (34513), an HRESULT (0x80070005 or 80070005), a\n"
"hex-written ID (0x1FC07 = 130055), a symbolic name (SalLowDiskSpace) or an\n"
"entry id, in any case; or a unique prefix of a name or id\n"
"(cbpsourcesnap); or words of titles and messages (\"scratch\"), which list\n"
"every matching entry.  An HRESULT that is not in the catalog is decoded\n"
"(facility and Win32 error name).  Exit status 1 if nothing matches.\n";

static const char help_show[] =
"Usage: marslog show [OPTIONS] WHAT PATH...\n"
"       marslog show [OPTIONS] --grep PATTERN PATH...\n"
"\n"
"Print the log records behind WHAT, read from PATH... exactly as the\n"
"analysis reads them (folders, nested archives, UTF-16LE, .Crash copies):\n"
"machine, path!inner:line, time, level and message.  The lines shown for a\n"
"finding are the lines the analysis counted for it.  WHAT is\n"
"  a finding id        agent-crash, hresult-0x80072EE2 (as in --json)\n"
"  a code              0x80070005, 80070005, 34513, 0x1FC07, SalLowDiskSpace\n"
"                      (any form 'marslog explain' takes)\n"
"  a task GUID         every line of that backup job, in all inputs, in time\n"
"                      order; job milestones are marked with '*'\n"
"A continuation line is always shown with its record; '>' marks a match.\n"
"\n"
"Options:\n"
"      --grep PATTERN       lines whose decoded message matches PATTERN\n"
"                           (PCRE2, e.g. 'Hr: = \\[0x8007')\n"
"  -C, --context N          N records of context before and after a match\n"
"  -B, --before-context N   N records before\n"
"  -A, --after-context N    N records after\n"
"      --max N              stop after N matching lines\n"
"      --json               one JSON object per line (NDJSON): machine, path,\n"
"                           line, time, level, task, finding, match,\n"
"                           continuation, milestone, message\n"
"  -m, --machine NAME       only the lines of machine NAME (as the analysis\n"
"                           names machines)\n"
"      --since WHEN, --until WHEN, --year YEAR, --catalog FILE,\n"
"      --max-line SIZE, --max-depth N, --max-entry-size SIZE,\n"
"      --max-total-size SIZE   as for an analysis\n"
"  -q, --quiet              no warnings about inputs on stderr\n"
"      --color, --no-color  colour the match (default: when stdout is a\n"
"                           terminal and NO_COLOR is not set)\n"
"      --redact, --redact-key FILE, --redact-map FILE\n"
"                           print pseudonyms, as a redacted report does;\n"
"                           a task GUID or --machine is then its pseudonym\n"
"                           and --grep matches the redacted text\n"
"\n"
"Inputs are read one at a time, in the order given, so the output is in\n"
"file order (-J is accepted and ignored).  Context lines longer than 4 KiB\n"
"are cut.\n"
"\n"
"Exit status: 0 something matched, 1 nothing matched, 2 usage error,\n"
"nothing could be read, or output could not be written.\n";

static const char help_merge[] =
"Usage: marslog merge [OPTIONS] SUMMARY.json...\n"
"\n"
"Merge summaries written by marslog --json into one, e.g. the parts of a\n"
"fleet analysed on several hosts.  The result does not depend on the\n"
"order or grouping of the parts.  Takes the output options of an analysis\n"
"(--summary, --json, --html, --xlsx) and --lang, --catalog, --fail-on,\n"
"--quiet, --no-color, --color, --width, --stamp, --stale-after, --now,\n"
"--baseline, --history (record the merged run: in a distributed run only\n"
"the merge step writes the history, never the map steps); the analysis\n"
"options (--since, --machine, ...) are usage errors here.  Catalog titles\n"
"and fixes are written in --lang whatever language the parts were\n"
"written in; verdicts, job reasons and current findings are computed\n"
"again over the merged whole.\n"
"\n"
"Distributed runs: analyse each bundle with marslog --json on any host\n"
"(GNU parallel, a Slurm job array, ...), then merge the parts; the\n"
"result equals one marslog run over all the bundles.\n";

static const char help_history[] =
"Usage: marslog history [OPTIONS] HISTORY.db\n"
"       marslog history HISTORY.db --prune DAYS\n"
"\n"
"Show the trends kept in a history database that runs with --history FILE\n"
"have recorded, from the database alone: per machine its verdict and how\n"
"many runs in a row it has had it, a strip of the last 30 days of backups\n"
"(o succeeded, w with warnings, X failed, . none), 7- and 30-day success\n"
"rates and \"failing since\" (the first failure after the last success);\n"
"for the fleet the success rate per day over 30 and 90 days and the\n"
"machines whose verdict changed in the last 7 days.  Machines are listed\n"
"worst first.  The trends are as of the newest recorded run.\n"
"\n"
"  -m, --machine NAME       only that machine\n"
"      --since WHEN         ignore runs and jobs before WHEN (2024-06-01, 30d)\n"
"  -s, --summary            print the trends (the default)\n"
"  -j, --json FILE          write them as JSON (the \"history\" object)\n"
"      --html FILE          write an HTML page\n"
"      --xlsx FILE          write an Excel workbook\n"
"      --prune DAYS         remove runs, jobs and findings more than DAYS days\n"
"                           older than the newest run, then compact the file\n"
"      --lang, --width, --color, --no-color, --quiet as for an analysis\n"
"\n"
"One run is kept per day (of the run's reference time, see --now): a run\n"
"recorded again the same day replaces it, and jobs are kept once per\n"
"machine and task GUID, so overlapping bundles never count a job twice.\n"
"A file that is not a marslog history, or is damaged, is refused and left\n"
"unchanged.  Two runs writing at once: the second waits for the first (up\n"
"to a minute), then records its own.  The schema is in the README.\n"
"Exit status: 0 shown, 2 on an error.\n";

void
cli_print_help(FILE *fp, enum cli_command cmd)
{
	switch (cmd) {
	case CMD_HISTORY: fputs(help_history, fp); break;
	case CMD_CATALOG: fputs(help_catalog, fp); break;
	case CMD_EXPLAIN: fputs(help_explain, fp); break;
	case CMD_MERGE: fputs(help_merge, fp); break;
	case CMD_SHOW: fputs(help_show, fp); break;
	default: fputs(help_main, fp); break;
	}
}

int
cli_parse_size(const char *s, uint64_t *bytes)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	errno = 0;
	if (!isdigit((unsigned char)*s))
		return -1;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	switch (toupper((unsigned char)*end)) {
	case '\0': break;
	case 'K': shift = 10; end++; break;
	case 'M': shift = 20; end++; break;
	case 'G': shift = 30; end++; break;
	case 'T': shift = 40; end++; break;
	default: return -1;
	}
	if (*end == 'i' || *end == 'I')
		end++;
	if (*end == 'b' || *end == 'B')
		end++;
	if (*end != '\0' || (shift > 0 && v > (UINT64_MAX >> shift)))
		return -1;
	*bytes = (uint64_t)v << shift;
	return 0;
}

int
cli_parse_when(const char *s, int64_t now, int64_t *ms, int64_t *ago)
{
	char *end;
	long long v;
	int64_t unit;

	*ago = 0;
	if (ml_time_parse(s, ms) == 0)
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || v < 0 || end[0] == '\0' || end[1] != '\0')
		return -1;
	switch (*end) {
	case 'w': unit = 7 * 86400000LL; break;
	case 'd': unit = 86400000LL; break;
	case 'h': unit = 3600000LL; break;
	case 'm': unit = 60000LL; break;
	default: return -1;
	}
	/* an age of 0 would be the reference itself, not a window */
	if (v == 0 || v > ML_TIME_MAX / unit || now - ML_TIME_MIN < v * unit)
		return -1;
	*ago = v * unit;
	*ms = now - *ago;
	return 0;
}

static int
parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

/* --year YEAR or --year MACHINE=YEAR.  The machine name is argv's own
 * text: the '=' is overwritten to end it. */
static int
parse_year(struct cli *c, char *arg)
{
	char *eq = strrchr(arg, '=');
	int y;

	if (c->nyears == CLI_MAX_YEARS ||
	    parse_int(eq != NULL ? eq + 1 : arg, 1970, 9999, &y) != 0 ||
	    (eq != NULL && eq == arg))
		return -1;
	c->years[c->nyears].machine = NULL;
	if (eq != NULL) {
		*eq = '\0';
		c->years[c->nyears].machine = arg;
	} else {
		c->year = y;
	}
	c->years[c->nyears++].year = y;
	return 0;
}

/* "26", "36.5", "26h": hours, from 0.1 to 100000. */
static int
parse_hours(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	if (!isdigit((unsigned char)*s))
		return -1;
	v = strtod(s, &end);
	if (*end == 'h')
		end++;
	if (errno != 0 || end == s || *end != '\0' || !(v >= 0.1) ||
	    v > 100000)
		return -1;
	*out = v;
	return 0;
}

static enum cat_lang
lang_from_env(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	size_t i;

	for (i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);

		if (v != NULL && *v != '\0')
			return strncmp(v, "zh", 2) == 0 ? CAT_LANG_ZH : CAT_LANG_EN;
	}
	return CAT_LANG_EN;
}

static void
cli_init(struct cli *c)
{
	struct timespec ts;

	memset(c, 0, sizeof *c);
	source_options_init(&c->source);
	c->since = c->until = ML_TIME_NONE;
	c->max_line = 1u << 20;
	c->split_bytes = (uint64_t)32 << 20;
	c->lang = lang_from_env();
	c->color = -1;
	c->stale_after_hours = 26;
	c->as_of = ML_TIME_NONE;
	c->prune_days = -1;
	clock_gettime(CLOCK_REALTIME, &ts);
	c->now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The options as given (getopt_long has moved them before the operands),
 * joined by spaces and cut to fit, for the history's record of a run. */
static void
options_text(struct cli *c, char **opt, int n)
{
	size_t o = 0;
	int i;

	c->options[0] = '\0';
	for (i = 0; i < n && o + 1 < sizeof c->options; i++) {
		int w = snprintf(c->options + o, sizeof c->options - o, "%s%s",
		    i ? " " : "", opt[i]);

		if (w < 0)
			break;
		o += (size_t)w;
	}
	if (o >= sizeof c->options)
		c->options[sizeof c->options - 1] = '\0';
}

#define BAD(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

int
cli_parse(int argc, char **argv, struct cli *c, char *err, size_t errlen)
{
	static const struct { const char *name; enum cli_command cmd; } cmds[] = {
		{ "merge", CMD_MERGE }, { "catalog", CMD_CATALOG },
		{ "explain", CMD_EXPLAIN }, { "help", CMD_HELP },
		{ "show", CMD_SHOW },
		{ "history", CMD_HISTORY },
	};
	uint64_t size;
	int64_t now_given = ML_TIME_NONE;
	unsigned char given[512] = { 0 };	/* options seen, by id */
	size_t i;
	int ch, first = 1, to_stdout;

	cli_init(c);
	if (argc > 1)
		for (i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
			if (strcmp(argv[1], cmds[i].name) == 0) {
				c->command = cmds[i].cmd;
				first = 2;
			}
	optind = first;
	opterr = 0;
	while ((ch = c->command == CMD_SHOW ?
	    getopt_long(argc, argv, ":C:B:A:m:qJ:h", show_options, NULL) :
	    getopt_long(argc, argv, ":sj:m:qJ:h", long_options, NULL)) != -1) {
		const char *arg = optarg;

		if (ch >= 0 && (size_t)ch < sizeof given)
			given[ch] = 1;
		switch (ch) {
		case OPT_SUMMARY: c->summary = 1; break;
		case OPT_JSON:
			if (c->command == CMD_SHOW)
				c->ndjson = 1;
			else
				c->json = arg;
			break;
		case OPT_GREP:
			if (*arg == '\0')
				BAD("--grep needs a pattern");
			c->grep = arg;
			break;
		case OPT_CONTEXT:
		case OPT_BEFORE:
		case OPT_AFTER: {
			int n;

			if (parse_int(arg, 0, 1000, &n) != 0)
				BAD("-%c: '%s' is not a number from 0 to 1000",
				    ch, arg);
			if (ch != OPT_AFTER)
				c->before = n;
			if (ch != OPT_BEFORE)
				c->after = n;
			break;
		}
		case OPT_MAX:
			if (cli_parse_size(arg, &c->max_matches) != 0 ||
			    c->max_matches == 0)
				BAD("--max: '%s' is not a number of at least 1", arg);
			break;
		case OPT_HTML: c->html = arg; break;
		case OPT_XLSX: c->xlsx = arg; break;
		case OPT_INPUTS: c->inputs = 1; break;
		case OPT_MACHINE:
			if (*arg == '\0')
				BAD("--machine needs a name");
			c->source.machine = arg;
			break;
		case OPT_SINCE:
		case OPT_UNTIL: {
			int64_t ms, ago;

			if (cli_parse_when(arg, c->now, &ms, &ago) != 0)
				BAD("--%s: '%s' is not a date from 1970 to 9999 (2024-06-01, 2024-06-01T12:00:00Z) or an age before the reference time (7d, 12h, 30m)",
				    ch == OPT_SINCE ? "since" : "until", arg);
			/* an age counts back from the reference time, known
			 * once --now is (or after a first pass) */
			*(ch == OPT_SINCE ? &c->since : &c->until) =
			    ago > 0 ? ML_TIME_NONE : ms;
			*(ch == OPT_SINCE ? &c->since_ago : &c->until_ago) = ago;
			break;
		}
		case OPT_YEAR:
			if (parse_year(c, optarg) != 0)
				BAD("--year: '%s' is not YEAR or MACHINE=YEAR (1970 to 9999, at most %d times)",
				    arg, CLI_MAX_YEARS);
			break;
		case OPT_CATALOG:
			if (c->ncatalogs == CLI_MAX_CATALOGS)
				BAD("--catalog: at most %d files", CLI_MAX_CATALOGS);
			c->catalogs[c->ncatalogs++] = arg;
			break;
		case OPT_LANG: {
			int l = cat_lang_from_name(arg);

			if (l < 0)
				BAD("--lang: '%s' is not en or zh-CN", arg);
			c->lang = (enum cat_lang)l;
			break;
		}
		case OPT_JOBS:
			if (parse_int(arg, 1, 256, &c->jobs) != 0)
				BAD("--jobs: '%s' is not a number from 1 to 256", arg);
			break;
		case OPT_MAX_LINE:
			if (cli_parse_size(arg, &size) != 0 || size < 256 ||
			    size > (1u << 30))
				BAD("--max-line: '%s' is not a size from 256 to 1G", arg);
			c->max_line = (size_t)size;
			break;
		case OPT_SPLIT_SIZE:
			if (cli_parse_size(arg, &c->split_bytes) != 0 ||
			    (c->split_bytes > 0 && c->split_bytes < (64u << 10)))
				BAD("--split-size: '%s' is not 0 or a size of at least 64K", arg);
			break;
		case OPT_MAX_DEPTH:
			if (parse_int(arg, 0, 64, &c->source.max_depth) != 0)
				BAD("--max-depth: '%s' is not a number from 0 to 64", arg);
			break;
		case OPT_MAX_ENTRY:
		case OPT_MAX_TOTAL:
			if (cli_parse_size(arg, &size) != 0 || size == 0)
				BAD("--%s: '%s' is not a size (4096, 64K, 1M, 16G)",
				    ch == OPT_MAX_ENTRY ? "max-entry-size" :
				    "max-total-size", arg);
			if (ch == OPT_MAX_ENTRY)
				c->source.max_entry_bytes = size;
			else
				c->source.max_total_bytes = size;
			break;
		case OPT_FAIL_ON:
			if (strcmp(arg, "error") == 0)
				c->fail_on = FAIL_ON_ERROR;
			else if (strcmp(arg, "warning") == 0)
				c->fail_on = FAIL_ON_WARNING;
			else if (strcmp(arg, "never") == 0)
				c->fail_on = FAIL_ON_NEVER;
			else if (strcmp(arg, "new") == 0)
				c->fail_on = FAIL_ON_NEW;
			else
				BAD("--fail-on: '%s' is not error, warning, never or new", arg);
			break;
		case OPT_STALE_AFTER:
			if (parse_hours(arg, &c->stale_after_hours) != 0)
				BAD("--stale-after: '%s' is not a number of hours from 0.1 to 100000", arg);
			break;
		case OPT_BASELINE:
			if (*arg == '\0')
				BAD("--baseline needs a file");
			c->baseline = arg;
			break;
		case OPT_NOW: {
			int64_t ago;

			if (strcmp(arg, "clock") == 0)
				now_given = c->now;
			else if (cli_parse_when(arg, c->now, &now_given,
			    &ago) != 0)
				BAD("--now: '%s' is not a date (2024-06-01, 2024-06-01T12:00:00Z), an age before the wall clock (12h) or 'clock'", arg);
			break;
		}
		case OPT_REDACT: c->redact = 1; break;
		case OPT_REDACT_KEY:
		case OPT_REDACT_MAP:
			if (*arg == '\0')
				BAD("--%s needs a file", ch == OPT_REDACT_KEY ?
				    "redact-key" : "redact-map");
			if (ch == OPT_REDACT_KEY) {
				c->redact_key = arg;
				c->redact = 1;
			} else {
				c->redact_map = arg;
			}
			break;
		case OPT_HISTORY:
			if (*arg == '\0')
				BAD("--history needs a file");
			c->history = arg;
			break;
		case OPT_PRUNE:
			if (parse_int(arg, 0, 100000, &c->prune_days) != 0)
				BAD("--prune: '%s' is not a number of days from 0 to 100000", arg);
			break;
		case OPT_QUIET: c->quiet = 1; break;
		case OPT_NO_COLOR: c->color = 0; break;
		case OPT_COLOR: c->color = 1; break;
		case OPT_WIDTH:
			if (parse_int(arg, 20, 1000, &c->width) != 0)
				BAD("--width: '%s' is not a number from 20 to 1000", arg);
			break;
		case OPT_STAMP: c->stamp = 1; break;
		case OPT_HELP:
			c->help_topic = c->command == CMD_HELP ? NULL :
			    c->command == CMD_ANALYSE ? NULL : argv[1];
			c->command = CMD_HELP;
			return 0;
		case OPT_VERSION: c->command = CMD_VERSION; return 0;
		case ':':
			BAD("option '%s' needs a value", argv[optind - 1]);
		default:
			BAD("unknown option '%s'", argv[optind - 1]);
		}
	}
	c->args = argv + optind;
	c->nargs = argc - optind;
	options_text(c, argv + first, optind - first);
	if (c->command == CMD_HELP) {
		c->help_topic = c->nargs > 0 ? c->args[0] : NULL;
		return 0;
	}
	if (c->command == CMD_SHOW && c->nargs < (c->grep != NULL ? 1 : 2))
		BAD("%s", c->grep != NULL || c->nargs == 1 ?
		    "show: no input: give a file, folder or archive (or - for stdin)" :
		    "show: give WHAT (a code, finding id or task GUID) or --grep PATTERN, then the inputs");
	if ((c->command == CMD_ANALYSE || c->command == CMD_MERGE ||
	    c->command == CMD_EXPLAIN) && c->nargs == 0)
		BAD("%s", c->command == CMD_ANALYSE ? "no input: give a file, folder or archive (or - for stdin)" :
		    c->command == CMD_MERGE ? "merge: no summary files given" :
		    "explain: no code given");
	if (c->command == CMD_HISTORY) {
		if (c->nargs != 1)
			BAD("history: give one history database (marslog history FILE)");
		if (c->history != NULL)
			BAD("history: --history is for recording runs; give the database as the argument");
	} else if (c->prune_days >= 0) {
		BAD("--prune is for marslog history FILE --prune DAYS");
	} else if (c->history != NULL && c->command != CMD_ANALYSE &&
	    c->command != CMD_MERGE) {
		BAD("--history records analyses and merges only");
	}
	if (c->command == CMD_HISTORY && c->prune_days >= 0 &&
	    (c->json || c->html || c->xlsx || c->summary))
		BAD("history: --prune writes no report");
	if (c->command == CMD_CATALOG && c->nargs > 0)
		BAD("catalog: unexpected argument '%s'", c->args[0]);
	/* the reference time: --now, else the newest record (the run finds
	 * it); the wall clock only with --now clock */
	c->as_of = now_given;
	c->now_given = now_given != ML_TIME_NONE;
	if (c->as_of != ML_TIME_NONE) {
		if (c->since_ago > 0)
			c->since = c->as_of - c->since_ago;
		if (c->until_ago > 0)
			c->until = c->as_of - c->until_ago;
		c->since_ago = c->until_ago = 0;
		if ((c->since != ML_TIME_NONE && !ml_time_valid(c->since)) ||
		    (c->until != ML_TIME_NONE && !ml_time_valid(c->until)))
			BAD("--since/--until: the window starts before 1970");
	}
	if ((c->since != ML_TIME_NONE && c->until != ML_TIME_NONE &&
	    c->since >= c->until) || (c->since_ago > 0 && c->until_ago > 0 &&
	    c->since_ago <= c->until_ago))
		BAD("--since must be before --until");
	if (c->redact_map != NULL && !c->redact)
		BAD("--redact-map needs --redact or --redact-key");
	if ((c->redact || c->redact_map != NULL) && c->command != CMD_ANALYSE &&
	    c->command != CMD_SHOW)
		BAD("--redact, --redact-key and --redact-map apply to an analysis "
		    "or show; merged summaries keep the redaction they were "
		    "written with");
	if (c->fail_on == FAIL_ON_NEW && c->baseline == NULL &&
	    (c->command == CMD_ANALYSE || c->command == CMD_MERGE))
		BAD("--fail-on new needs --baseline FILE");
	for (i = 0; c->command != CMD_SHOW && long_options[i].name; i++)
		if (given[long_options[i].val] &&
		    !option_applies(long_options[i].val, c->command))
			BAD("--%s does not apply to %s (see 'marslog help%s%s')",
			    long_options[i].name, command_names[c->command],
			    c->command == CMD_ANALYSE ? "" : " ",
			    c->command == CMD_ANALYSE ? "" : argv[1]);
	/* a JSON, HTML or XLSX report on standard output is read by a
	 * program: nothing else may go there (the terminal summary and
	 * --inputs are text for people and may follow each other) */
	to_stdout = (c->json != NULL && strcmp(c->json, "-") == 0) +
	    (c->html != NULL && strcmp(c->html, "-") == 0) +
	    (c->xlsx != NULL && strcmp(c->xlsx, "-") == 0);
	if (to_stdout > 1 || (to_stdout == 1 && (c->summary || c->inputs)))
		BAD("standard output can take one report: --json -, --html - "
		    "or --xlsx - go alone, without --summary or --inputs");
	return 0;
}
