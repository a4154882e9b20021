/* SPDX-License-Identifier: MIT */
/*
 * main.c -- the marslog program: subcommands, outputs and exit status.
 *
 * This is the only place that prints to the terminal on behalf of the
 * library or decides the exit status (see cli.h for the codes).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "analyzer/cli.h"
#include "analyzer/run.h"
#include "analyzer/show.h"
#include "analyzer/years.h"
#include "parsers/errlog.h"
#include "parsers/record.h"
#include "patterns/catalog.h"
#include "patterns/classify.h"
#include "patterns/hresult.h"
#include "patterns/lookup.h"
#include "reports/baseline.h"
#include "reports/diagnose.h"
#include "reports/history.h"
#include "reports/json.h"
#include "reports/redact.h"
#include "reports/report.h"
#include "reports/report_history.h"
#include "reports/summary.h"
#include "reports/text.h"

#define GENERATOR "marslog " MARSLOG_VERSION

/* Text from a log, made safe for a terminal line: escape sequences,
 * control, bidi and invisible characters removed (reports/text.h). */
static void
put_clean(FILE *fp, const char *s)
{
	struct text_buf b = TEXT_BUF_INIT;

	if (s == NULL)
		return;
	text_buf_add_clean(&b, s, strlen(s));
	if (b.len > 0)
		fwrite(b.p, 1, b.len, fp);
	text_buf_release(&b);
}

/* s cleaned, shortened with "…" to at most `cols` display columns and
 * padded to them (cols 0: whole, not padded): the same cleaning and
 * width-aware padding as the summary's columns. */
static void
put_cell(FILE *fp, const char *s, size_t cols)
{
	struct text_buf clean = TEXT_BUF_INIT, cell = TEXT_BUF_INIT;

	text_buf_add_clean(&clean, s, s != NULL ? strlen(s) : 0);
	if (cols == 0)
		text_buf_add(&cell, clean.p, clean.len);
	else
		text_buf_add_cell(&cell, clean.p, clean.len, cols,
		    TEXT_CELL_PAD);
	if (cell.len > 0)
		fwrite(cell.p, 1, cell.len, fp);
	text_buf_release(&clean);
	text_buf_release(&cell);
}

/* "marslog: MESSAGE" on stderr; messages quote file names and file
 * contents (JSON reader and catalog loader errors), so they are cleaned
 * like log text. */
static void
say_error(const char *prefix, const char *msg)
{
	fputs("marslog: ", stderr);
	if (prefix != NULL)
		fputs(prefix, stderr);
	put_clean(stderr, msg);
	fputc('\n', stderr);
}

/* One line per problem input on stderr; paths and reasons may come from
 * archive entry names, so they are cleaned like log text. */
static void
warn_input(const struct cli *c, const char *path, const char *why)
{
	if (c->quiet)
		return;
	fputs("marslog: warning: ", stderr);
	put_clean(stderr, path);
	fputs(": ", stderr);
	put_clean(stderr, why);
	fputc('\n', stderr);
}

/* 1 if an entry inside archive row `in` has a warning of its own: the
 * archive's line ("damaged after 3 entries") then adds nothing on stderr
 * that the entry's line does not say, so one problem gives one line.
 * Both rows stay in the inputs list.  Inputs are sorted by path, so the
 * entries follow their archive. */
static int
warned_inside(const struct summary *s, const struct summary_input *in)
{
	size_t n = strlen(in->path), i = (size_t)(in - s->inputs) + 1;

	for (; i < s->ninputs && strncmp(s->inputs[i].path, in->path, n) == 0; i++)
		if (s->inputs[i].path[n] == '!' && s->inputs[i].warning != NULL)
			return 1;
	return 0;
}

/* Warn about every problem input; returns how many inputs were read (a
 * trace with records or a failed-files list). */
static size_t
warn_inputs(const struct cli *c, const struct summary *s)
{
	size_t i, read = 0;

	for (i = 0; i < s->ninputs; i++) {
		const struct summary_input *in = &s->inputs[i];

		/* read: a trace with records (in the window or not) or a
		 * failed-files list */
		if (in->status != INPUT_SKIPPED && (in->kind == INPUT_FAILED_FILES ||
		    (in->kind == INPUT_ERRLOG && in->last_time != ML_TIME_NONE)))
			read++;
		if (in->warning != NULL && !warned_inside(s, in))
			warn_input(c, in->path, in->warning);
	}
	return read;
}

/* The analysis options the command line sets. */
static void
analysis_options_from_cli(const struct cli *c, struct analysis_options *ao)
{
	analysis_options_init(ao);
	ao->lang = c->lang;
	ao->since = c->since;
	ao->until = c->until;
	ao->year = c->year;
	ao->years = c->years;
	ao->nyears = (size_t)c->nyears;
	ao->max_line = c->max_line;
	/* inputs without a dated clue (stdin): the reference time, else
	 * the clock, with a warning (years.h) */
	ao->now = c->as_of != ML_TIME_NONE ? c->as_of : c->now;
}

static struct catalog *
load_catalog(const struct cli *c)
{
	char err[512];
	struct catalog *cat = catalog_new_builtin(err, sizeof err);
	int i;

	if (cat == NULL) {
		say_error("built-in catalog: ", err);
		return NULL;
	}
	for (i = 0; i < c->ncatalogs; i++)
		if (catalog_load_file(cat, c->catalogs[i], err, sizeof err) != 0) {
			say_error(NULL, err);
			catalog_free(cat);
			return NULL;
		}
	return cat;
}

/* ------------------------------------------------------------ catalog */

static int
cmd_catalog(const struct cli *c)
{
	struct catalog *cat = load_catalog(c);
	size_t i, k, n;

	if (cat == NULL)
		return MARSLOG_EXIT_USAGE;
	n = catalog_count(cat);
	printf("%-40s %-8s %-14s %-24s %s\n", "ID", "LEVEL", "CATEGORY",
	    "CODES", "TITLE");
	for (i = 0; i < n; i++) {
		const struct catalog_entry *e = catalog_at(cat, i);
		struct text_buf codes = TEXT_BUF_INIT;

		for (k = 0; k < e->ncodes; k++)
			text_buf_addf(&codes, "%s%s", k ? " " : "",
			    e->codes[k]);
		if (e->ncodes == 0)
			text_buf_adds(&codes, "(text rule)");
		/* every field may come from a --catalog file */
		put_cell(stdout, e->id, 40);
		putchar(' ');
		put_cell(stdout, cat_level_name(e->level), 8);
		putchar(' ');
		put_cell(stdout, e->category, 14);
		putchar(' ');
		put_cell(stdout, codes.p, 24);
		putchar(' ');
		put_cell(stdout, e->title[c->lang], 0);
		putchar('\n');
		text_buf_release(&codes);
	}
	printf("%zu entries\n", n);
	catalog_free(cat);
	return MARSLOG_EXIT_OK;
}

/* ------------------------------------------------------------ explain */

static void
print_entry(const struct cli *c, const struct catalog_entry *e)
{
	static const char *const label[2][4] = {
		{ "Cause", "Fix", "Docs", "Codes" },
		{ "原因", "建议的操作", "文档", "代码" },
	};
	const char *const *l = label[c->lang == CAT_LANG_ZH];
	size_t k;

	/* every field may come from a --catalog file */
	put_clean(stdout, e->title[c->lang]);
	printf("  [%s, ", cat_level_name(e->level));
	put_clean(stdout, e->category);
	fputs("]\n  id: ", stdout);
	put_clean(stdout, e->id);
	printf("\n  %s:", l[3]);
	for (k = 0; k < e->ncodes; k++) {
		putchar(' ');
		put_clean(stdout, e->codes[k]);
	}
	if (e->regex[0] != '\0') {
		fputs(" /", stdout);
		put_clean(stdout, e->regex);
		putchar('/');
	}
	printf("\n  %s: ", l[0]);
	put_clean(stdout, e->cause[c->lang]);
	printf("\n  %s: ", l[1]);
	put_clean(stdout, e->fix[c->lang]);
	printf("\n  %s: ", l[2]);
	put_clean(stdout, e->doc_url);
	putchar('\n');
}

#define EXPLAIN_MAX 50	/* entries listed for one word search */

static int
cmd_explain(const struct cli *c)
{
	struct catalog *cat = load_catalog(c);
	int i, rc = MARSLOG_EXIT_OK;

	if (cat == NULL)
		return MARSLOG_EXIT_USAGE;
	for (i = 0; i < c->nargs; i++) {
		const char *arg = c->args[i];
		const struct catalog_entry *found[EXPLAIN_MAX];
		enum lookup_how how;
		size_t n = catalog_lookup(cat, arg, c->lang, found, EXPLAIN_MAX,
		    &how), k;
		char code[64] = "", desc[256];
		enum code_kind kind;

		if (i > 0)
			putchar('\n');
		if (how == LOOKUP_EXACT || how == LOOKUP_PREFIX) {
			print_entry(c, found[0]);
			continue;
		}
		if (n > 0) {
			/* several: one line each, then how to see one */
			printf("%zu entries match '", n);
			put_clean(stdout, arg);
			printf("'%s:\n", how == LOOKUP_AMBIGUOUS ?
			    " (a prefix of each)" : "");
			for (k = 0; k < n && k < EXPLAIN_MAX; k++)
				printf("  %-40s %s\n", found[k]->id,
				    found[k]->title[c->lang]);
			if (n > EXPLAIN_MAX)
				printf("  ... and %zu more\n", n - EXPLAIN_MAX);
			printf("'marslog explain ID' shows one.\n");
			continue;
		}
		rc = MARSLOG_EXIT_FINDINGS;
		kind = code_normalise(arg, code, sizeof code);
		if (kind == CODE_HRESULT) {
			hresult_describe((uint32_t)strtoul(code + 2, NULL, 16),
			    desc, sizeof desc);
			printf("%s: not in the catalog\n  %s\n", code, desc);
		} else {
			if (kind != CODE_NONE)
				fputs(code, stdout);
			else
				put_clean(stdout, arg);
			printf(": not in the catalog (try 'marslog catalog')\n");
		}
	}
	catalog_free(cat);
	return rc;
}

/* ------------------------------------------------------------ outputs */

static int
terminal_width(const struct cli *c)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");

	if (c->width > 0)
		return c->width;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col >= 20)
		return ws.ws_col;
	if (cols != NULL && atoi(cols) >= 20)
		return atoi(cols);
	return 80;
}

static int
use_color(const struct cli *c)
{
	const char *no = getenv("NO_COLOR");

	if (no != NULL && *no != '\0')
		return 0;
	if (c->color >= 0)
		return c->color;
	return isatty(STDOUT_FILENO);
}

static void
print_inputs(const struct summary *s)
{
	size_t i;
	char year[48];

	printf("%-16s %-12s %-9s %-22s %12s %9s %8s %-8s %-24s %s\n",
	    "MACHINE", "KIND", "ENCODING", "FORM", "BYTES", "RECORDS",
	    "UNPARSED", "STATUS", "YEAR (SOURCE)", "PATH");
	for (i = 0; i < s->ninputs; i++) {
		const struct summary_input *in = &s->inputs[i];
		char form[128];

		/* the parser's own names only: a merged summary is input */
		errlog_forms_format(in->form != NULL ?
		    errlog_forms_parse(in->form) : 0, form, sizeof form);
		put_cell(stdout, in->machine, 16);
		printf(" %-12s %-9s %-22s %12llu %9llu %8llu %-8s %-24s ",
		    input_kind_name(in->kind),
		    text_encoding_name(in->encoding),
		    form[0] != '\0' ? form : "-",
		    (unsigned long long)in->bytes,
		    (unsigned long long)in->records,
		    (unsigned long long)in->unparsed_lines,
		    input_status_name(in->status),
		    summary_input_year_text(in, year, sizeof year));
		put_clean(stdout, in->path);
		if (in->warning != NULL) {
			fputs("\n    ", stdout);
			put_clean(stdout, in->warning);
		}
		putchar('\n');
	}
}

/* Summaries compare and merge only when both are plain or both are
 * redacted with the same key.  0, or -1 after printing why. */
static int
same_redaction(const char *aname, const struct summary *a,
    const char *bname, const struct summary *b)
{
	const char *x = a->redaction, *y = b->redaction;

	if (x == NULL && y == NULL)
		return 0;
	if (x != NULL && y != NULL && strcmp(x, y) == 0)
		return 0;
	fprintf(stderr, "marslog: %s is %s%s%s but %s is %s%s%s: compare and "
	    "merge only summaries redacted with the same --redact-key, or "
	    "plain ones\n", aname,
	    x ? "redacted (key id " : "not redacted", x ? x : "", x ? ")" : "",
	    bname,
	    y ? "redacted (key id " : "not redacted", y ? y : "", y ? ")" : "");
	return -1;
}

/*
 * With --baseline: read the earlier summary into *prev and compare s with
 * it into *diff (both freed by the caller, prev after diff).  Returns 0,
 * or -1 after printing why.
 */
static int
load_baseline(const struct cli *c, const struct summary *s,
    struct summary **prev, struct baseline_diff **diff)
{
	char err[512];
	int64_t prev_as_of;

	*prev = NULL;
	*diff = NULL;
	if (c->baseline == NULL)
		return 0;
	*prev = summary_read_json_file_as_of(c->baseline, &prev_as_of, err,
	    sizeof err);
	if (*prev == NULL) {
		say_error("baseline: ", err);
		return -1;
	}
	snprintf(err, sizeof err, "the baseline %s", c->baseline);
	if (same_redaction(err, *prev, "this run", s) != 0)
		return -1;
	summary_finish(*prev);
	*diff = baseline_diff_new(*prev, prev_as_of, s, c->as_of,
	    c->stale_after_hours);
	if (*diff == NULL) {
		fprintf(stderr, "marslog: out of memory\n");
		return -1;
	}
	return 0;
}

static void
options_from_cli(const struct cli *c, struct report_options *ro)
{
	memset(ro, 0, sizeof *ro);
	ro->lang = c->lang;
	ro->color = use_color(c);
	ro->width = terminal_width(c);
	ro->stamp = c->stamp;
	ro->now = c->now;
	ro->stale_after_hours = c->stale_after_hours;
	ro->as_of = c->as_of;
	ro->as_of_given = c->now_given;
}

/* The writers of an analysis or merge, or of `marslog history`. */
static const struct report_writer *
find_writer(const char *name, int history)
{
	if (!history)
		return report_writer_find(name);
	if (strcmp(name, "json") == 0)
		return &report_writer_history_json;
	if (strcmp(name, "html") == 0)
		return &report_writer_history_html;
	if (strcmp(name, "xlsx") == 0)
		return &report_writer_history_xlsx;
	return &report_writer_history_summary;
}

static int
write_outputs(const struct cli *c, const struct summary *s,
    const struct catalog *cat, const struct diagnosis *diag,
    const struct baseline_diff *diff, const struct history_report *hist)
{
	const struct {
		const char *writer, *path;
	} outs[] = {
		{ "json", c->json }, { "html", c->html }, { "xlsx", c->xlsx },
	};
	struct report_options ro;
	char err[512];
	size_t i;
	int rc = 0, any = c->json || c->html || c->xlsx || c->inputs;
	int only_history = c->command == CMD_HISTORY;

	options_from_cli(c, &ro);
	ro.diff = diff;
	ro.catalog = cat;
	ro.diag = diag;
	ro.history = hist;
	for (i = 0; i < sizeof outs / sizeof outs[0]; i++) {
		const struct report_writer *w;

		if (outs[i].path == NULL)
			continue;
		w = find_writer(outs[i].writer, only_history);
		if (w == NULL) {
			fprintf(stderr, "marslog: %s reports are not available in this build\n",
			    outs[i].writer);
			rc = -1;
			continue;
		}
		if (report_write(w, s, &ro, outs[i].path, err, sizeof err) != 0) {
			say_error(NULL, err);
			rc = -1;
		}
	}
	if (c->inputs && s != NULL)
		print_inputs(s);
	if (c->summary || !any) {
		if (report_write(find_writer("summary", only_history), s, &ro,
		    "-", err,
		    sizeof err) != 0) {
			say_error(NULL, err);
			rc = -1;
		}
	}
	return rc;
}

static int
exit_status(const struct cli *c, const struct summary *s,
    const struct baseline_diff *diff)
{
	switch (c->fail_on) {
	case FAIL_ON_NEW:
		return diff != NULL && diff->count[BASELINE_NEW] > 0 ?
		    MARSLOG_EXIT_FINDINGS : MARSLOG_EXIT_OK;
	/* A failed backup job is an error even when no line of it was. */
	case FAIL_ON_ERROR:
		return s->totals.errors + s->totals.jobs_failed > 0 ?
		    MARSLOG_EXIT_FINDINGS : MARSLOG_EXIT_OK;
	case FAIL_ON_WARNING:
		return s->totals.errors + s->totals.jobs_failed +
		    s->totals.warnings > 0 ? MARSLOG_EXIT_FINDINGS : MARSLOG_EXIT_OK;
	case FAIL_ON_NEVER:
		break;
	}
	return MARSLOG_EXIT_OK;
}

/*
 * With --history: record the run in the database and read its trends
 * back into *hist (freed by the caller).  Returns 0, or -1 after printing
 * why; the reports are then written without history.
 */
static int
record_history(const struct cli *c, const struct summary *s,
    const struct diagnosis *diag, struct history_report **hist)
{
	struct history_run run;
	struct history *h;
	char err[512];

	*hist = NULL;
	if (c->history == NULL)
		return 0;
	run.recorded = c->now;
	run.options = c->options;
	h = history_open(c->history, HISTORY_WRITE, 0, err, sizeof err);
	if (h == NULL || history_record(h, s, diag, &run, err,
	    sizeof err) != 0 ||
	    (*hist = history_report_new(h, NULL, err, sizeof err)) == NULL) {
		fprintf(stderr, "marslog: history: %s\n", err);
		history_close(h);
		return -1;
	}
	history_close(h);
	return 0;
}

/* The end of both analyse and merge: record the history, compare with
 * the baseline, write every output and return the exit status
 * (MARSLOG_EXIT_USAGE when the history, the baseline or an output
 * failed, after printing why; the reports are written all the same
 * when only the history failed). */
static int
report(const struct cli *c, const struct summary *s,
    const struct catalog *cat)
{
	struct summary *prev = NULL;
	struct baseline_diff *diff = NULL;
	struct history_report *hist = NULL;
	struct diagnosis *diag;
	struct report_options ro;
	int rc = MARSLOG_EXIT_USAGE, hist_ok;

	/* One diagnosis for every output and the history, so they all say
	 * the same. */
	options_from_cli(c, &ro);
	ro.catalog = cat;
	if ((diag = diagnose_new(s, cat, &ro)) == NULL) {
		fprintf(stderr, "marslog: out of memory\n");
		return MARSLOG_EXIT_USAGE;
	}
	hist_ok = record_history(c, s, diag, &hist) == 0;
	if (load_baseline(c, s, &prev, &diff) == 0 &&
	    write_outputs(c, s, cat, diag, diff, hist) == 0 && hist_ok)
		rc = exit_status(c, s, diff);
	diagnose_free(diag);
	history_report_free(hist);
	baseline_diff_free(diff);
	summary_free(prev);
	return rc;
}

/* ------------------------------------------------------------ history */

static int
cmd_history(const struct cli *c)
{
	struct history_query q = { c->source.machine, c->since, c->since_ago };
	struct history_report *r = NULL;
	struct history *h;
	char err[512];
	uint64_t removed;
	int rc = MARSLOG_EXIT_USAGE;

	h = history_open(c->args[0], c->prune_days >= 0 ? HISTORY_WRITE :
	    HISTORY_READ, 0, err, sizeof err);
	if (h == NULL) {
		fprintf(stderr, "marslog: %s\n", err);
		return MARSLOG_EXIT_USAGE;
	}
	if (c->prune_days >= 0) {
		if (history_prune(h, c->prune_days, &removed, err,
		    sizeof err) != 0) {
			fprintf(stderr, "marslog: %s\n", err);
			goto out;
		}
		if (!c->quiet)
			printf("removed %llu run%s older than %d days before "
			    "the newest\n", (unsigned long long)removed,
			    removed == 1 ? "" : "s", c->prune_days);
		rc = MARSLOG_EXIT_OK;
		goto out;
	}
	if ((r = history_report_new(h, &q, err, sizeof err)) == NULL) {
		fprintf(stderr, "marslog: %s\n", err);
		goto out;
	}
	if (c->source.machine != NULL && r->nmachines == 0)
		fprintf(stderr, "marslog: warning: %s: no run of machine '%s'\n",
		    c->args[0], c->source.machine);
	if (write_outputs(c, NULL, NULL, NULL, NULL, r) == 0)
		rc = MARSLOG_EXIT_OK;
out:
	history_report_free(r);
	history_close(h);
	return rc;
}

/* ------------------------------------------------------------ analyse */

/* The redactor of --redact / --redact-key; NULL after printing why. */
static struct redactor *
redactor_open(const struct cli *c)
{
	unsigned char key[REDACT_KEY_BYTES];
	struct redactor *r;
	char err[512];

	if (c->redact_key == NULL)
		redact_key_random(key);
	else if (redact_key_read(c->redact_key, key, err, sizeof err) != 0) {
		fprintf(stderr, "marslog: --redact-key: %s\n", err);
		return NULL;
	}
	r = redactor_new(key, c->redact_map != NULL);
	if (r == NULL)
		fprintf(stderr, "marslog: out of memory\n");
	return r;
}

/* --redact-map: readable by its owner only, since it undoes the
 * redaction.  0, or -1 after printing why. */
static int
write_redact_map(const char *path, struct redactor *r)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	int rc;

	if (f == NULL) {
		fprintf(stderr, "marslog: --redact-map: %s: %s\n", path,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	rc = redactor_map_write(r, f);
	if (fclose(f) != 0 || rc != 0) {
		fprintf(stderr, "marslog: --redact-map: %s: cannot write it\n",
		    path);
		return -1;
	}
	return 0;
}

/* Warn once per machine: years chosen against other clues, and machines
 * that --since/--until left without a record (the reports say so at the
 * top).  Returns the number of such empty machines. */
static size_t
warn_time(const struct cli *c, const struct summary *s,
    const struct years *y, struct redactor *red)
{
	size_t i, n, empty = 0;
	const char *const *w = years_warnings(y, &n);
	char t[40], machine[256];

	for (i = 0; i < n && !c->quiet; i++) {
		struct text_buf b = TEXT_BUF_INIT;

		fputs("marslog: warning: ", stderr);
		if (red != NULL) {	/* "MACHINE: ...": name it as reports do */
			snprintf(machine, sizeof machine, "%.*s",
			    (int)strcspn(w[i], ":"), w[i]);
			redact_machine(red, &b, machine);
			redact_text(red, &b, w[i] + strlen(machine),
			    strlen(w[i] + strlen(machine)), machine);
			put_clean(stderr, b.oom ? "(out of memory)" : b.p);
			text_buf_release(&b);
		} else {
			put_clean(stderr, w[i]);
		}
		fputc('\n', stderr);
	}
	for (i = 0; i < s->nmachines; i++) {
		const struct summary_machine *m = &s->machines[i];

		if (m->records > 0 || m->records_outside == 0)
			continue;
		empty++;
		if (c->quiet)
			continue;
		fputs("marslog: warning: ", stderr);
		put_clean(stderr, m->name);
		ml_time_format(m->newest_record, t, sizeof t);
		fprintf(stderr, ": all %llu records are outside the window; newest %.10s %.5s\n",
		    (unsigned long long)m->records_outside, t, t + 11);
	}
	return empty;
}

static int
cmd_analyse(const struct cli *c0)
{
	struct cli cc = *c0, *c = &cc;
	struct catalog *cat = load_catalog(c);
	struct run_options ro;
	struct summary *s = NULL;
	struct years *years = years_new();
	struct redactor *red = NULL;
	char err[512];
	size_t read = 0, empty;
	int rc = MARSLOG_EXIT_USAGE;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (cat == NULL || years == NULL)
		goto out;
	memset(&ro, 0, sizeof ro);
	ro.paths = (const char *const *)c->args;
	ro.npaths = (size_t)c->nargs;
	ro.source = c->source;
	analysis_options_from_cli(c, &ro.analysis);
	ro.reference = c->as_of;
	ro.since_ago = c->since_ago;
	ro.until_ago = c->until_ago;
	ro.years = years;
	ro.reference_out = &c->as_of;
	ro.jobs = c->jobs > 0 ? c->jobs : cpus > 0 ? (int)cpus : 1;
	ro.split_bytes = c->split_bytes;
	/* the reports that show evidence ask for it; the terminal does not */
	ro.analysis.evidence = c->json != NULL || c->html != NULL ||
	    c->xlsx != NULL;
	ro.progress = !c->quiet && isatty(STDERR_FILENO) ? stderr : NULL;
	if (c->redact && (red = redactor_open(c)) == NULL)
		goto out;
	ro.analysis.redact = red;
	s = run_analysis(cat, &ro, err, sizeof err);
	if (s == NULL) {
		say_error(NULL, err);
		goto out;
	}
	if (summary_set_str(&s->generator, GENERATOR) != 0 || (red != NULL &&
	    summary_set_str(&s->redaction, redactor_key_id(red)) != 0))
		goto out;
	read = warn_inputs(c, s);
	/* Nothing to report: keep whatever reports the last good run left. */
	if (read == 0) {
		fprintf(stderr, "marslog: no MARS log could be read from the given input%s\n",
		    c->nargs == 1 ? "" : "s");
		goto out;
	}
	empty = warn_time(c, s, years, red);
	if (c->redact_map != NULL && write_redact_map(c->redact_map, red) != 0)
		goto out;
	rc = report(c, s, cat);
	/* a window that left a machine with nothing is not a clean bill */
	if (rc == MARSLOG_EXIT_OK && empty > 0 && c->fail_on != FAIL_ON_NEVER)
		rc = MARSLOG_EXIT_EMPTY;
out:
	summary_free(s);
	years_free(years);
	catalog_free(cat);
	redactor_free(red);
	return rc;
}

/* --------------------------------------------------------------- show */

static int
show_skip(void *arg, const struct source_entry *e, enum source_skip kind,
    const char *why)
{
	return analysis_skip(arg, e, kind, why);
}

/*
 * marslog show: one analysis with the show as its tap, reading the
 * inputs in order on this thread so that the output is in file order.
 * Exit 0 when a line matched, 1 when none did, 2 on errors (as grep).
 */
static int
cmd_show(const struct cli *c)
{
	struct catalog *cat = load_catalog(c);
	struct show_options so;
	struct show *sh = NULL;
	struct analysis_options ao;
	struct analysis *an = NULL;
	struct source_options src = c->source;
	struct redactor *red = NULL;
	const struct source_callbacks cb = { analysis_read_entry, show_skip };
	const struct summary *s;
	char err[512], what[160];
	size_t read = 0;
	int rc = MARSLOG_EXIT_USAGE, walk;

	if (cat == NULL)
		return MARSLOG_EXIT_USAGE;
	memset(&so, 0, sizeof so);
	if (c->grep != NULL) {
		so.mode = SHOW_GREP;
		so.what = c->grep;
	} else if (show_resolve(cat, c->args[0], &so, what, sizeof what, err,
	    sizeof err) != 0) {
		say_error(NULL, err);
		goto out;
	}
	so.before = c->before;
	so.after = c->after;
	so.max = c->max_matches;
	so.machine = c->source.machine;	/* a filter here, not a name */
	so.json = c->ndjson;
	so.color = !c->ndjson && use_color(c);
	so.out = stdout;
	src.machine = NULL;
	sh = show_new(&so, err, sizeof err);
	if (sh == NULL) {
		say_error(NULL, err);
		goto out;
	}
	analysis_options_from_cli(c, &ao);
	ao.tap = show_tap(sh);
	if (c->redact && (ao.redact = red = redactor_open(c)) == NULL)
		goto out;
	an = analysis_new(cat, &ao, err, sizeof err);
	if (an == NULL) {
		say_error(NULL, err);
		goto out;
	}
	walk = source_walk((const char *const *)c->args + (c->grep == NULL),
	    (size_t)c->nargs - (c->grep == NULL), &src, &cb, an);
	if (walk < 0 || show_finish(sh) != 0) {
		fprintf(stderr, "marslog: out of memory\n");
		goto out;
	}
	s = analysis_summary(an);
	summary_finish(analysis_summary(an));
	read = warn_inputs(c, s);
	/* stopped at --max: what was read is enough */
	if (read == 0 && walk == 0) {
		fprintf(stderr, "marslog: no MARS log could be read from the given input%s\n",
		    c->nargs == 1 + (c->grep == NULL) ? "" : "s");
		goto out;
	}
	rc = show_matches(sh) > 0 ? MARSLOG_EXIT_OK : MARSLOG_EXIT_FINDINGS;
	if (c->redact_map != NULL && write_redact_map(c->redact_map, red) != 0)
		rc = MARSLOG_EXIT_USAGE;
out:
	analysis_free(an);
	show_free(sh);
	catalog_free(cat);
	redactor_free(red);
	return rc;
}

/* -------------------------------------------------------------- merge */

static int
cmd_merge(const struct cli *c)
{
	struct catalog *cat = load_catalog(c);
	struct summary *all = NULL;
	char err[512];
	int i, rc = MARSLOG_EXIT_USAGE;

	/* The catalog gives the texts in --lang, whatever language the
	 * parts were written in. */
	if (cat == NULL)
		return MARSLOG_EXIT_USAGE;
	for (i = 0; i < c->nargs; i++) {
		struct summary *part = summary_read_json_file(c->args[i], err,
		    sizeof err);

		if (part == NULL) {
			say_error(NULL, err);
			goto out;
		}
		if (all == NULL) {
			all = part;
			continue;
		}
		if (same_redaction(c->args[0], all, c->args[i], part) != 0) {
			summary_free(part);
			goto out;
		}
		if (summary_merge(all, part) != 0) {
			summary_free(part);
			fprintf(stderr, "marslog: out of memory\n");
			goto out;
		}
		summary_free(part);
	}
	summary_finish(all);
	if (summary_set_str(&all->generator, GENERATOR) != 0)
		goto out;
	rc = report(c, all, cat);
out:
	summary_free(all);
	catalog_free(cat);
	return rc;
}

static int
run_command(struct cli *c)
{
	enum cli_command topic = CMD_ANALYSE;

	switch (c->command) {
	case CMD_HELP:
		if (c->help_topic != NULL) {
			if (strcmp(c->help_topic, "catalog") == 0)
				topic = CMD_CATALOG;
			else if (strcmp(c->help_topic, "explain") == 0)
				topic = CMD_EXPLAIN;
			else if (strcmp(c->help_topic, "merge") == 0)
				topic = CMD_MERGE;
			else if (strcmp(c->help_topic, "show") == 0)
				topic = CMD_SHOW;
			else if (strcmp(c->help_topic, "history") == 0)
				topic = CMD_HISTORY;
			else if (strcmp(c->help_topic, "help") != 0) {
				fprintf(stderr, "marslog: no help for '%s': commands are catalog, explain, merge, show, history\n",
				    c->help_topic);
				return MARSLOG_EXIT_USAGE;
			}
		}
		cli_print_help(stdout, topic);
		return MARSLOG_EXIT_OK;
	case CMD_VERSION:
		printf("%s\n", GENERATOR);
		return MARSLOG_EXIT_OK;
	case CMD_CATALOG:
		return cmd_catalog(c);
	case CMD_EXPLAIN:
		return cmd_explain(c);
	case CMD_MERGE:
		return cmd_merge(c);
	case CMD_SHOW:
		return cmd_show(c);
	case CMD_HISTORY:
		return cmd_history(c);
	case CMD_ANALYSE:
		break;
	}
	return cmd_analyse(c);
}

/* SIGINT, SIGTERM, SIGHUP: remove the report being written, then die of
 * the signal as before (the shell sees the same status). */
static void
on_fatal_signal(int sig)
{
	report_temp_remove_all();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
catch_fatal_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa, old;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		/* a signal ignored by whoever started us (nohup, &) stays so */
		if (sigaction(sigs[i], NULL, &old) == 0 &&
		    old.sa_handler != SIG_IGN)
			(void)sigaction(sigs[i], &sa, NULL);
	}
}

int
main(int argc, char **argv)
{
	struct cli c;
	char err[512];
	int rc;

	catch_fatal_signals();
	if (cli_parse(argc, argv, &c, err, sizeof err) != 0) {
		fprintf(stderr, "marslog: %s\nTry 'marslog --help' for more information.\n",
		    err);
		return MARSLOG_EXIT_USAGE;
	}
	rc = run_command(&c);
	/* Whatever went to stdout (--inputs, catalog, explain, help) must
	 * have reached it: a full disk or a closed pipe is an error. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "marslog: cannot write standard output\n");
		rc = MARSLOG_EXIT_USAGE;
	}
	return rc;
}
