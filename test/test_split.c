/* SPDX-License-Identifier: MIT */
/*
 * test_split.c -- one large plain errlog read in byte ranges on several
 * threads gives byte for byte the summary of reading it whole.
 *
 * The generated logs carry everything that can span a cut: continuation
 * lines and stack frames, jobs whose failure code and "Failed" milestone
 * are far apart, a line longer than the 64 KiB search window, lone CRs,
 * blank lines, non-ASCII text, garbage before the first record, the agent
 * version past the first range (and a later one past the first 20,000
 * records, which must not count), and unknown warnings beyond the
 * per-input template cap, spread out and packed into one range.  Each is
 * written as UTF-8, UTF-8 with BOM, UTF-16LE with BOM (CRLF, as the agent
 * writes) and cp1252.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/time.h>
#include <unistd.h>
#include <cmocka.h>

#include "analyzer/analysis.h"
#include "analyzer/run.h"
#include "analyzer/split.h"
#include "parsers/errlog.h"
#include "reports/json.h"
#include "reports/summary.h"
#include "test/test_util.h"

#define MTIME 1717801200		/* 2024-06-07 23:00 UTC */
#define RANGE ((uint64_t)64 << 10)

enum enc { E_UTF8, E_UTF8_BOM, E_UTF16, E_CP1252 };

static struct catalog *cat;
static char dir[64];

/* Deterministic pseudo-random numbers. */
static uint64_t rng = 88172645463325252ull;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

struct out {
	FILE *fp;
	enum enc enc;
};

/* One line of ASCII or UTF-8 text, written in the file's encoding, with
 * `end` ("\r\n", "\r", "") after it. */
static void
put(struct out *o, const char *text, const char *end)
{
	char line[1 << 17];
	const unsigned char *p;

	snprintf(line, sizeof line, "%s%s", text, end);
	if (o->enc != E_UTF16) {
		fputs(line, o->fp);
		return;
	}
	for (p = (const unsigned char *)line; *p != '\0'; p++) {
		unsigned c = *p;

		if (c >= 0xC0) {	/* two- and three-byte UTF-8 only here */
			int more = c >= 0xE0 ? 2 : 1;

			c &= more == 2 ? 0x0F : 0x1F;
			while (more-- > 0)
				c = (c << 6) | (*++p & 0x3F);
		}
		fputc((int)(c & 0xFF), o->fp);
		fputc((int)(c >> 8), o->fp);
	}
}

static void
record(struct out *o, unsigned sec, const char *guid, const char *level,
    const char *msg)
{
	char line[1 << 17];

	snprintf(line, sizeof line,
	    "0AB0\t0974\t06/%02u\t%02u:%02u:%02u.%03u\t71\tbackupasync.cpp(%u)\t[000000001A12E3F0]\t%s\t\t%s\t%s",
	    1 + sec / 86400, sec / 3600 % 24, sec / 60 % 60, sec % 60,
	    rnd(1000), 100 + rnd(900), guid, level, msg);
	put(o, line, "\r\n");
}

/* Letters only: the template mask keeps these apart. */
static void
word(unsigned i, char *w)
{
	snprintf(w, 8, "%c%c%c", 'g' + i / 400 % 20, 'g' + i / 20 % 20,
	    'g' + i % 20);
}

/* SPREAD: 3000 distinct unknown warnings spread over the file; PACKED:
 * 6000 packed together, and among them, every 250 from the 1000th on, one
 * of 20 more first seen near the start (a range that passes the cap on
 * its own drops some of those, a whole read counts them all); LATE:
 * spread, and the agent version only past record 20,000 (none counts). */
enum shape { SPREAD, PACKED, LATE };

/* A realistic log of `records` records, in the given shape. */
static void
write_log(const char *name, enum enc enc, unsigned records, enum shape shape)
{
	static const char *const guids[] = {
		"F3E32129-DC79-4A28-9ACC-3F30CB5810B6",
		"1FCFF8B4-CCE2-42E6-8883-7AEB9A1C5CB6",
		"0517B3DB-347D-45A8-9DAB-FD7D1EA7D134",
	};
	char path[256], msg[1 << 17], w[8];
	struct timeval tv[2] = { { MTIME, 0 }, { MTIME, 0 } };
	struct out o;
	unsigned i, sec = 0, templ = 0;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	o.fp = fopen(path, "wb");
	o.enc = enc;
	assert_non_null(o.fp);
	if (enc == E_UTF16)
		fputs("\xFF\xFE", o.fp);
	else if (enc == E_UTF8_BOM)
		fputs("\xEF\xBB\xBF", o.fp);
	put(&o, "Log started by an older agent build", "\r\n");
	for (i = 0; i < records; i++) {
		const char *g = guids[i / 500 % 3];
		unsigned r = rnd(100);

		sec += rnd(3);
		if ((i == 3000 && shape != LATE) || i == 25000) {
			snprintf(msg, sizeof msg,
			    "Microsoft Azure Recovery Services Agent version 2.0.%u.0 started",
			    i == 3000 ? 9262u : 9999u);
			record(&o, sec, "", "NORMAL", msg);
		} else if (i % 500 == 0) {
			record(&o, sec, g, "NORMAL", "Backup Progress: Prebackup started.");
		} else if (i % 500 == 499) {
			record(&o, sec, g, "WARNING", g == guids[1] ?
			    "Backup Progress: Failed" : "Backup Progress: Succeeded");
		} else if (i % 500 == 260 && g == guids[1]) {
			record(&o, sec, g, "WARNING",
			    "Failed: Hr: = [0x80070005] Access to the scratch folder was denied");
		} else if (shape == PACKED && i >= 100 && i < 120) {
			word(7000 + i - 100, w);
			snprintf(msg, sizeof msg, "unexpected state in %s queue", w);
			record(&o, sec, "", "WARNING", msg);
		} else if ((shape == PACKED ? i >= 5000 : i % 7 == 3) &&
		    templ < (shape == PACKED ? 6000u : 3000u)) {
			unsigned j = (templ - 1000) / 250;

			word(shape == PACKED && templ >= 1000 &&
			    (templ - 1000) % 250 == 0 && j < 20 ? 7000 + j :
			    templ, w);
			templ++;
			snprintf(msg, sizeof msg, "unexpected state in %s queue", w);
			record(&o, sec, "", "WARNING", msg);
		} else if (r < 3) {
			/* an exception: continuation lines and stack frames */
			record(&o, sec, g, "ERROR",
			    "Failed: Hr: = [0x80070070] SalLowDiskSpace while writing");
			put(&o, "System.IO.IOException: There is not enough space on the disk.", "\r\n");
			put(&o, "   at Microsoft.Internal.CloudBackup.Write(Stream s)", "\r\n");
			put(&o, "   at Microsoft.Internal.CloudBackup.Flush()", "\r\n");
		} else if (r < 5) {
			record(&o, sec, "", "WARNING",
			    "Proxy returned 0x80990ABC for the next upload; \xC3\xA9t\xC3\xA9 \xE5\xA4\x87\xE4\xBB\xBD");
		} else if (r == 5) {
			put(&o, "", "\r\n");		/* blank line */
		} else if (r == 6) {
			/* a lone CR splits a record in two lines */
			put(&o, "0AB0\t0974\t06/01\t00:00:01.000\t71\tx.cpp(1)\t\t\t\tNORMAL\tbefore a lone CR", "\r");
			put(&o, "and its continuation", "\r\n");
		} else if (i % 4001 == 2000) {
			memset(msg, 'z', 70000);	/* longer than a window */
			msg[70000] = '\0';
			record(&o, sec, "", "NORMAL", msg);
		} else {
			snprintf(msg, sizeof msg,
			    "Progress: %u of %u files processed", i, records);
			record(&o, sec, g, "NORMAL", msg);
		}
		if (enc == E_CP1252 && i == 10)
			put(&o, "0AB0\t0974\t06/01\t00:00:02.000\t71\tx.cpp(1)\t\t\t\tWARNING\tcaf\xE9 \xE0 la carte 0x8007052e", "\r\n");
	}
	assert_int_equal(fclose(o.fp), 0);
	assert_int_equal(utimes(path, tv), 0);
}

static long
file_size(const char *path)
{
	FILE *fp = fopen(path, "rb");
	long n;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	fclose(fp);
	return n;
}

static char *
json_of(int jobs, uint64_t split, const char *name, int64_t since)
{
	struct run_options ro;
	char path[256], err[256], *buf;
	const char *paths[1] = { path };
	struct summary *s;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	memset(&ro, 0, sizeof ro);
	ro.paths = paths;
	ro.npaths = 1;
	source_options_init(&ro.source);
	analysis_options_init(&ro.analysis);
	ro.analysis.since = since;
	ro.analysis.evidence = 1;	/* compared across cuts too */
	ro.jobs = jobs;
	ro.split_bytes = split;
	s = run_analysis(cat, &ro, err, sizeof err);
	if (s == NULL)
		fail_msg("run_analysis: %s", err);
	buf = test_json(s, NULL);
	summary_free(s);
	return buf;
}

/* The plan cuts the file into many ranges, each at a record line. */
static void
check_plan(const char *name, enum enc enc)
{
	struct source_options sopt;
	struct analysis_options aopt;
	struct source_item *items = NULL;
	struct source_callbacks cb = { NULL, NULL };
	struct split *sp = NULL;
	char path[256];
	const char *paths[1] = { path };
	size_t nitems = 0, k, unit = enc == E_UTF16 ? 2 : 1;
	int fd;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	source_options_init(&sopt);
	analysis_options_init(&aopt);
	assert_int_equal(source_expand(paths, 1, &sopt, &cb, NULL, &items,
	    &nitems), 0);
	assert_int_equal(nitems, 1);
	assert_int_equal(split_plan(&items[0], &sopt, &aopt, RANGE, &sp), 0);
	assert_non_null(sp);
	assert_true(split_ranges(sp) >= (size_t)items[0].size / RANGE / 2);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(split_range_start(sp, 0),
	    enc == E_UTF16 ? 2 : enc == E_UTF8_BOM ? 3 : 0);
	for (k = 1; k < split_ranges(sp); k++) {
		uint64_t at = split_range_start(sp, k);
		unsigned char b[512];
		char text[256];
		size_t i, n = 0;

		assert_true(at > split_range_start(sp, k - 1));
		assert_int_equal(at % unit, 0);
		assert_int_equal(pread(fd, b, sizeof b, (off_t)(at - unit)),
		    (ssize_t)sizeof b);
		assert_int_equal(b[0], unit == 2 ? '\n' : '\n');
		if (unit == 2)
			assert_int_equal(b[1], 0);
		/* the line there is a record (ASCII header: narrow it) */
		for (i = unit; i + unit <= sizeof b && n < sizeof text; i += unit) {
			if (b[i] == '\r' || b[i] == '\n')
				break;
			text[n++] = (char)b[i];
		}
		assert_true(errlog_line_is_record(text, n));
	}
	close(fd);
	split_free(sp);
	/* --year: never split */
	aopt.year = 2024;
	assert_int_equal(split_plan(&items[0], &sopt, &aopt, RANGE, &sp), 0);
	assert_null(sp);
	source_items_free(items, nitems);
}

static void
same_any_way(const char *name, enum enc enc, unsigned records,
    enum shape shape)
{
	char *whole, *split2, *split3, *split8, *window1, *window2;

	write_log(name, enc, records, shape);
	check_plan(name, enc);
	whole = json_of(1, 0, name, ML_TIME_NONE);
	split2 = json_of(2, RANGE, name, ML_TIME_NONE);
	split3 = json_of(3, 3 * RANGE + 17, name, ML_TIME_NONE);
	split8 = json_of(2, 8 * RANGE, name, ML_TIME_NONE);
	assert_string_equal(whole, split2);
	assert_string_equal(whole, split3);
	assert_string_equal(whole, split8);
	/* the version of record 3000 counts, the one of record 25000 not */
	if (shape == LATE)
		assert_null(strstr(whole, "\"agent_version\": \"2.0"));
	else
		assert_non_null(strstr(whole, "\"2.0.9262.0\""));
	assert_null(strstr(whole, "\"2.0.9999.0\""));
	/* a time window drops records in every range alike */
	window1 = json_of(1, 0, name, (int64_t)1717286400000);	/* 06/02 */
	window2 = json_of(2, RANGE, name, (int64_t)1717286400000);
	assert_string_equal(window1, window2);
	free(whole);
	free(split2);
	free(split3);
	free(split8);
	free(window1);
	free(window2);
}

static void
test_utf8(void **state)
{
	(void)state;
	same_any_way("CBEngineCurr.errlog", E_UTF8, 30000, SPREAD);
}

static void
test_utf8_bom(void **state)
{
	(void)state;
	same_any_way("CBEngine1.errlog", E_UTF8_BOM, 30000, LATE);
}

static void
test_utf16(void **state)
{
	(void)state;
	same_any_way("CBEngine2.errlog", E_UTF16, 30000, SPREAD);
}

static void
test_cp1252(void **state)
{
	(void)state;
	same_any_way("CBEngine3.errlog", E_CP1252, 30000, SPREAD);
}

/* 3000 distinct warnings in a row: one range alone passes the template
 * cap, and the file is read again whole. */
static void
test_templates_packed(void **state)
{
	(void)state;
	same_any_way("CBEngine4.errlog", E_UTF8, 30000, PACKED);
}

/* The JSON of a whole read of `name`, checked equal to a read in
 * 64 KiB ranges on two threads (caller frees). */
static char *
json_split_same(const char *name)
{
	char *whole = json_of(1, 0, name, ML_TIME_NONE);
	char *split = json_of(2, RANGE, name, ML_TIME_NONE);

	assert_string_equal(whole, split);
	free(split);
	return whole;
}

/* A short record line of `level` (time from i) into buf; its length. */
static size_t
short_record(char *buf, size_t cap, unsigned i, const char *guid,
    const char *level, const char *msg)
{
	return (size_t)snprintf(buf, cap,
	    "1D2C\t0A18\t02/19\t%02u:%02u:%02u.000\t01\tx.cpp(1)\t[0000000032585450]\t%s\t%s\t%s\r\n",
	    i / 3600 % 24, i / 60 % 60, i % 60, guid, level, msg);
}

/*
 * Past the middle (where a 2-range plan looks for its cut): a line that
 * is no record and ends in a lone CR, then no line feed for more than the
 * 64 KiB search window, then a header-like text at the window's start.
 * It is the tail of one long line: no cut may land there.  (Found in
 * review: the search once took the window's start for a line start.)
 */
static void
test_lone_cr_window(void **state)
{
	const size_t n = 2 * RANGE + 5000, from = n / 2;
	char *buf = malloc(n), line[256], path[256];
	size_t o = 0;
	unsigned i = 0;
	FILE *fp;
	char *whole;

	(void)state;
	assert_non_null(buf);
	while (o <= from) {
		snprintf(path, sizeof path, "line %u", i);
		o += short_record(line, sizeof line, i++, "", "NORMAL", path);
		memcpy(buf + o - strlen(line), line, strlen(line));
	}
	memcpy(buf + o, "noise\r", 6);
	o += 6;
	memset(buf + o, 'y', from + RANGE - o);
	o = from + RANGE;
	o += short_record(buf + o, n - o, 3600, "", "WARNING",
	    "embedded warning text");
	while (o < n - 200)
		o += short_record(buf + o, n - o, i++, "", "NORMAL", "filler");
	memset(buf + o, 'z', n - o - 2);
	memcpy(buf + n - 2, "\r\n", 2);
	snprintf(path, sizeof path, "%s/CBEngineCR.errlog", dir);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(buf, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
	whole = json_split_same("CBEngineCR.errlog");
	assert_null(strstr(whole, "embedded warning text"));
	free(whole);
	free(buf);
}

/* One task with a restore milestone and, far later, a backup one: the
 * first milestone names the job, in one read and across cuts alike. */
static void
test_job_kind_order(void **state)
{
	static const char guid[] = "11111111-2222-3333-4444-555555555555";
	char line[256], path[256];
	size_t o = 0;
	unsigned i = 0;
	FILE *fp;
	char *whole;

	(void)state;
	snprintf(path, sizeof path, "%s/CBEngineKind.errlog", dir);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	o += short_record(line, sizeof line, i++, guid, "NORMAL",
	    "Restore Progress: Running");
	fputs(line, fp);
	while (o < 4 * RANGE) {
		o += short_record(line, sizeof line, i++, guid, "NORMAL",
		    "filler");
		fputs(line, fp);
	}
	short_record(line, sizeof line, i, guid, "NORMAL",
	    "Backup Progress: Succeeded");
	fputs(line, fp);
	assert_int_equal(fclose(fp), 0);
	whole = json_split_same("CBEngineKind.errlog");
	assert_non_null(strstr(whole, "\"restore\""));
	free(whole);
}

static int
kept_in(void *arg, const char *machine, const char *text)
{
	return analysis_join_kept(arg, machine, text);
}

/* Write unknown warnings with the templates word(from .. to-1). */
static void
warnings(FILE *fp, unsigned from, unsigned to)
{
	char w[8];

	for (; from < to; from++) {
		word(from, w);
		fprintf(fp, "0AB0\t0974\t06/01\t01:%02u:%02u.000\t71\tx.cpp(1)\t\t\t\tWARNING\tunexpected state in %s queue\r\n",
		    from / 60 % 60, from % 60, w);
	}
}

/*
 * The range API itself, two ranges read one after the other.  Pass 0:
 * 800 + 800 distinct templates, the cap cuts the second range's.  Pass 1:
 * the first range passes the cap alone (1200), the second meets 2100 new
 * ones (more than a range keeps), then again one the first range kept
 * (counted, through the kept question) and one it dropped (not counted).
 */
static void
test_join_cap(void **state)
{
	struct analysis_options aopt;
	struct analysis *a;
	struct analysis_join *j;
	struct source_entry e;
	struct analysis_range r;
	struct summary *part, *s;
	const struct summary_template *t;
	char path[256], err[256], w[8];
	FILE *fp;
	unsigned i;
	long half = 0;
	int fd, pass;

	(void)state;
	snprintf(path, sizeof path, "%s/cap.errlog", dir);
	analysis_options_init(&aopt);
	for (pass = 0; pass < 2; pass++) {
		fp = fopen(path, "wb");
		assert_non_null(fp);
		warnings(fp, 0, pass == 0 ? 800 : 1200);
		half = ftell(fp);
		if (pass == 0) {
			warnings(fp, 800, 1600);
		} else {
			warnings(fp, 2000, 4100);
			for (i = 0; i < 3; i++)
				warnings(fp, 5, 6);
			warnings(fp, 1100, 1101);
			warnings(fp, 1100, 1101);
		}
		assert_int_equal(fclose(fp), 0);
		fd = open(path, O_RDONLY);
		assert_true(fd >= 0);
		memset(&e, 0, sizeof e);
		e.machine = "FS01";
		e.path = e.name = "cap.errlog";
		e.mtime = (int64_t)MTIME * 1000;
		e.size = -1;
		a = analysis_new(cat, &aopt, err, sizeof err);
		j = analysis_join_new();
		assert_non_null(a);
		assert_non_null(j);
		for (i = 0; i < 2; i++) {
			struct source_stream *ss = source_range_new(fd,
			    i == 0 ? 0 : (uint64_t)half,
			    i == 0 ? (uint64_t)half : UINT64_MAX);

			assert_non_null(ss);
			memset(&r, 0, sizeof r);
			r.enc = TEXT_UTF8;
			r.kept = kept_in;
			r.arg = j;
			part = analysis_read_range(a, &e, ss, &r);
			assert_non_null(part);
			assert_int_equal(analysis_join_add(j, part, &r), 0);
			analysis_range_release(&r);
			source_range_free(ss);
		}
		assert_int_equal(analysis_join_end(a, &e, j), 0);
		s = analysis_summary(a);
		assert_int_equal(s->ntemplates, 1000);
		assert_int_equal(s->ninputs, 1);
		if (pass == 0) {
			assert_int_equal(s->templates_dropped, 600);
			assert_int_equal(s->inputs[0].records, 1600);
		} else {
			assert_int_equal(s->templates_dropped, 200 + 2100 + 2);
			assert_int_equal(s->inputs[0].records, 1200 + 2100 + 5);
			word(5, w);
			snprintf(err, sizeof err, "unexpected state in %s queue", w);
			t = summary_template_find(s, "FS01", err);
			assert_non_null(t);
			assert_int_equal(t->count, 4);
		}
		assert_int_equal(s->inputs[0].bytes, (uint64_t)file_size(path));
		analysis_join_free(j);
		analysis_free(a);
		close(fd);
	}
}

/* ------------------------------------------------ evidence at the cuts */

#define EV_LINE 200		/* every line of the evidence log, CRLF included */
#define EV_LINES 4000
#define EV_MATCH "Failed: Hr: = [0x80070070] SalLowDiskSpace on the scratch volume"

/* What line i of the evidence log is: a record (guid, level, message) or
 * a continuation line (level NULL). */
struct ev_line {
	const char *guid, *level, *msg;
};

/* Line i padded to EV_LINE bytes. */
static void
ev_format(char *buf, unsigned i, const struct ev_line *l)
{
	size_t n;

	if (l->level == NULL)
		n = (size_t)snprintf(buf, EV_LINE + 1, "   %s", l->msg);
	else
		n = short_record(buf, EV_LINE + 1, i, l->guid, l->level,
		    l->msg) - 2;
	assert_true(n <= EV_LINE - 2);
	memset(buf + n, ' ', EV_LINE - 2 - n);
	memcpy(buf + EV_LINE - 2, "\r\n", 3);
}

static void
ev_write(const char *path, const struct ev_line *lines)
{
	char buf[EV_LINE + 1];
	FILE *fp = fopen(path, "wb");
	unsigned i;

	assert_non_null(fp);
	for (i = 0; i < EV_LINES; i++) {
		ev_format(buf, i, &lines[i]);
		assert_int_equal(fwrite(buf, 1, EV_LINE, fp), EV_LINE);
	}
	assert_int_equal(fclose(fp), 0);
}

/* The first lines of the ranges of a 64 KiB plan of path. */
static size_t
ev_cuts(const char *path, size_t *cut, size_t max)
{
	struct source_options sopt;
	struct analysis_options aopt;
	struct source_item *items = NULL;
	struct source_callbacks cb = { NULL, NULL };
	struct split *sp = NULL;
	const char *paths[1] = { path };
	size_t nitems = 0, k, n = 0;

	source_options_init(&sopt);
	analysis_options_init(&aopt);
	assert_int_equal(source_expand(paths, 1, &sopt, &cb, NULL, &items,
	    &nitems), 0);
	assert_int_equal(split_plan(&items[0], &sopt, &aopt, RANGE, &sp), 0);
	assert_non_null(sp);
	for (k = 1; k < split_ranges(sp) && n < max; k++) {
		assert_int_equal(split_range_start(sp, k) % EV_LINE, 0);
		cut[n++] = (size_t)(split_range_start(sp, k) / EV_LINE);
	}
	split_free(sp);
	source_items_free(items, nitems);
	return n;
}

/*
 * Matches and job failures right at the cuts of a plan: the last line of
 * a range, the first of the next, a match whose continuation line ends a
 * range, a failure whose records before it are in the range before.
 * Every line has the same length, so putting them in does not move the
 * cuts.  Read whole and in ranges, the evidence is the same, and it is
 * the context a whole read sees.
 */
static void
test_evidence_at_cuts(void **state)
{
	static const char *const guid[] = {
		"A0000000-0000-0000-0000-000000000000",
		"B1111111-1111-1111-1111-111111111111",
		"C2222222-2222-2222-2222-222222222222",
	};
	struct ev_line *lines = calloc(EV_LINES, sizeof *lines);
	char path[256], want[160], (*msg)[32] = calloc(EV_LINES, sizeof *msg);
	size_t cut[8], again[8], n, i;
	char *whole;

	(void)state;
	assert_non_null(lines);
	assert_non_null(msg);
	for (i = 0; i < EV_LINES; i++) {
		snprintf(msg[i], sizeof msg[i], "Progress: %06zu files", i);
		lines[i] = (struct ev_line){ guid[0], "NORMAL", msg[i] };
	}
	snprintf(path, sizeof path, "%s/CBEngineEv.errlog", dir);
	ev_write(path, lines);
	n = ev_cuts(path, cut, 8);
	assert_true(n >= 4);
	assert_true(cut[0] > 10 && cut[2] + 3 < EV_LINES && cut[1] > cut[0] + 10);
	/* cut 0: a match ends a range, another starts the next */
	lines[cut[0] - 1] = (struct ev_line){ guid[0], "WARNING", EV_MATCH };
	lines[cut[0]] = (struct ev_line){ guid[0], "WARNING", EV_MATCH };
	/* cut 1: a match and its continuation end a range; a job fails at
	 * the next one's start; a match follows */
	lines[cut[1] - 2] = (struct ev_line){ guid[0], "WARNING", EV_MATCH };
	lines[cut[1] - 1] = (struct ev_line){ NULL, NULL,
	    "at Microsoft.Internal.CloudBackup.Flush()" };
	lines[cut[1]] = (struct ev_line){ guid[1], "NORMAL",
	    "Backup Progress: Failed" };
	lines[cut[1] + 1] = (struct ev_line){ guid[0], "WARNING", EV_MATCH };
	/* cut 2: a job fails at a range's end, a match starts the next */
	lines[cut[2] - 1] = (struct ev_line){ guid[2], "NORMAL",
	    "Backup Progress: Failed" };
	lines[cut[2]] = (struct ev_line){ guid[0], "WARNING", EV_MATCH };
	ev_write(path, lines);
	assert_int_equal(ev_cuts(path, again, 8), n);
	assert_memory_equal(cut, again, n * sizeof *cut);

	whole = json_split_same("CBEngineEv.errlog");
	free(json_split_same("CBEngineEv.errlog"));
	/* the match that starts range 1 has two records before it and two
	 * after, as a whole read sees them (lines count from 1) */
	snprintf(want, sizeof want, "\"line\": %zu, \"time\"", cut[0] + 1);
	assert_non_null(strstr(whole, want));
	snprintf(want, sizeof want, "\"lines\": [{\"line\": %zu,", cut[0] - 1);
	assert_non_null(strstr(whole, want));
	/* the job failing at cut 1: five records before it, the match's
	 * continuation among them */
	snprintf(want, sizeof want, "\"lines\": [{\"line\": %zu,", cut[1] - 5);
	assert_non_null(strstr(whole, want));
	assert_non_null(strstr(whole, "\"continuation\": true"));
	free(whole);
	free(lines);
	free(msg);
}

static int
setup(void **state)
{
	char err[256];

	(void)state;
	cat = catalog_new_builtin(err, sizeof err);
	snprintf(dir, sizeof dir, "/tmp/marslog-split-XXXXXX");
	return cat == NULL || mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	catalog_free(cat);
	return test_rm_rf(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_utf8_bom),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_cp1252),
		cmocka_unit_test(test_templates_packed),
		cmocka_unit_test(test_join_cap),
		cmocka_unit_test(test_lone_cr_window),
		cmocka_unit_test(test_job_kind_order),
		cmocka_unit_test(test_evidence_at_cuts),
	};

	return cmocka_run_group_tests_name("split", tests, setup, teardown);
}
