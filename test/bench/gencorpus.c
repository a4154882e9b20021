/* SPDX-License-Identifier: MIT */
/*
 * gencorpus.c -- writes the benchmark corpus for `make bench`: a large,
 * realistic CBEngine errlog in UTF-8 and in UTF-16LE, a zip of the UTF-16LE
 * copy, a folder of many smaller logs for the --jobs test, and a pattern
 * file for ripgrep and grep -E built from patterns/catalog.tsv.
 *
 * The text imitates a MARS agent's CBEngineCurr.errlog over most of a year:
 * two backup jobs a day with their task GUID and `Backup Progress:`
 * milestones, mostly NORMAL progress lines, some WARNING lines (files
 * that could not be read, retries, stack frames), a few FATAL ones,
 * documented codes in every form the logs use ([0x80070005], (ID: 34513),
 * [0x1FC07], SalLowDiskSpace, ...) and unknown HRESULTs at realistic rates,
 * an agent crash and restart every few weeks.  The set of paths, codes and
 * GUID-per-job stays bounded, so a 4 GiB corpus is a 1 GiB one with denser
 * days, not one with more distinct things to remember.
 *
 * Deterministic (fixed-seed xorshift64*), streaming (fixed buffers; memory
 * does not grow with -s) and fast: lines are assembled with a few append
 * helpers instead of printf.  DIR/corpus.txt records what was written
 * (line and level counts, lines carrying catalog codes, ...) so the
 * benchmark can check every tool's count against it.
 *
 * Not part of marslog: a standalone tool built by test/bench/bench.sh,
 * linked with libarchive for the zip.  It prints to stderr and exits on
 * errors like any command-line tool.
 */
#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CHUNK		(1u << 20)	/* UTF-8 text per write */
#define LINE_ROOM	4096		/* no generated line is longer */
#define AVG_LINE	146		/* bytes per line, measured, for the time plan */
#define LINES_PER_DAY	15000		/* density of a busy file server's log */
#define DAY_MS		((uint64_t)86400000)

/* ---------------------------------------------------------------- util */

__attribute__((format(printf, 1, 2)))
_Noreturn static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("gencorpus: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* "64M", "1G", "1GiB", "1048576" -> bytes; 0 on a malformed size. */
static uint64_t parse_size(const char *s)
{
	char *end;
	uint64_t v, mul = 1;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return 0;
	switch (toupper((unsigned char)*end)) {
	case 'K': mul = 1ull << 10; end++; break;
	case 'M': mul = 1ull << 20; end++; break;
	case 'G': mul = 1ull << 30; end++; break;
	case 'T': mul = 1ull << 40; end++; break;
	default: break;
	}
	if (mul > 1 && (strcmp(end, "iB") == 0 || strcmp(end, "B") == 0))
		end += strlen(end);
	if (*end || v > UINT64_MAX / mul)
		return 0;
	return v * mul;
}

static void make_dir(const char *path)
{
	if (mkdir(path, 0777) != 0 && errno != EEXIST)
		die("cannot create %s: %s", path, strerror(errno));
}

static FILE *open_out(const char *path)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		die("cannot create %s: %s", path, strerror(errno));
	return f;
}

static void close_out(FILE *f, const char *path)
{
	if (ferror(f) | fclose(f))
		die("cannot write %s: %s", path, strerror(errno));
}

static void write_out(FILE *f, const void *p, size_t n, const char *path)
{
	if (n && fwrite(p, 1, n, f) != n)
		die("cannot write %s: %s", path, strerror(errno));
}

/* ---------------------------------------------------------------- random */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545F4914F6CDD1Dull;
}

/* Uniform in [0, n). */
static uint32_t rng_below(uint32_t n)
{
	return (uint32_t)(((rng_next() >> 32) * n) >> 32);
}

/* ---------------------------------------------------------------- text */

struct buf {
	char *p;
	size_t len;
};

static void put_mem(struct buf *b, const char *s, size_t n)
{
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void put_str(struct buf *b, const char *s)
{
	put_mem(b, s, strlen(s));
}

static void put_chr(struct buf *b, char c)
{
	b->p[b->len++] = c;
}

static void put_dec(struct buf *b, uint64_t v)
{
	char tmp[24];
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n)
		put_chr(b, tmp[--n]);
}

/* Zero-padded to `width` digits. */
static void put_dec_w(struct buf *b, unsigned v, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		b->p[b->len + (size_t)i] = (char)('0' + v % 10);
		v /= 10;
	}
	b->len += (size_t)width;
}

static void put_hex_w(struct buf *b, uint64_t v, int width, int upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";

	for (int i = width - 1; i >= 0; i--) {
		b->p[b->len + (size_t)i] = digits[v & 15];
		v >>= 4;
	}
	b->len += (size_t)width;
}

/* ---------------------------------------------------------------- content */

enum level { LV_NORMAL, LV_WARNING, LV_ERROR, LV_FATAL, LV_CRITICAL, LV_COUNT };
static const char *const level_names[LV_COUNT] = {
	"NORMAL", "WARNING", "ERROR", "FATAL", "CRITICAL"
};

/* What a message carries, for DIR/corpus.txt: a documented code or a
 * catalog text rule (what the rg/grep pattern file finds), an HRESULT the
 * catalog does not know, or nothing. */
enum carry { CA_NONE, CA_CATALOG, CA_UNKNOWN_HR };

/* The source location field; `nn` is the two-digit component number.
 * Managed (.cs) lines and itemcatalogupdater.cpp have no [objptr]. */
struct src {
	const char *file;
	unsigned line;
	unsigned nn;
	int no_obj;
};

static const struct src S_BACKUPASYNC = { "backupasync.cpp", 0, 71, 0 };
static const struct src S_FILEPROV = { "fileprovider.cpp", 2210, 32, 0 };
static const struct src S_FILEPROV_DATA = { "fileprovider.cpp", 1479, 32, 0 };
static const struct src S_MTF = { "mtffile.cpp", 1372, 18, 0 };
static const struct src S_MTF_CORRUPT = { "mtffile.cpp", 1390, 18, 0 };
static const struct src S_CATUPD = { "itemcatalogupdater.cpp", 652, 70, 1 };
static const struct src S_DSM = { "dsmfilter.cpp", 917, 44, 0 };
static const struct src S_DSMREADER = { "dsmreader.cpp", 845, 44, 0 };
static const struct src S_VSS = { "vsssnapshotrequestor.cpp", 585, 31, 0 };
static const struct src S_SAL = { "salstorage.cpp", 455, 25, 0 };
static const struct src S_CHUNK = { "chunkstore.cpp", 1206, 25, 0 };
static const struct src S_CATSTORE = { "catalogstore.cpp", 1408, 66, 0 };
static const struct src S_ENGINE = { "cbengine.cpp", 388, 10, 0 };
static const struct src S_IDLE = { "cbengine.cpp", 1721, 10, 0 };
static const struct src S_SVC = { "ServiceConnection.cs", 402, 9, 1 };
static const struct src S_REG = { "RegisterServerWizard.cs", 262, 9, 1 };
static const struct src S_VAULT = { "VaultCredentialsHelper.cs", 310, 9, 1 };
static const struct src S_VAULT_ZH = { "VaultCredentialsHelper.cs", 188, 9, 1 };
static const struct src S_IMPORT = { "backupasync.cpp", 1607, 71, 0 };
static const struct src S_CRASH = { "everettexception.cpp", 761, 9, 1 };
static const struct src S_STACK = { "FileProviderHelper.cs", 214, 9, 1 };
static const struct src S_THROTTLE = { "throttle.cpp", 133, 52, 0 };

static const char *const roots[] = {
	"D:\\Shares", "E:\\Data", "C:\\Users\\jdoe",
	"D:\\Shares\\M\xc3\xbcller & S\xc3\xb6hne", "\\\\?\\Volume{6a5d670a-f9a3-438e-9b08-acc213a5bf07}",
};
static const char *const dirs[] = {
	"Finance\\2024\\Q2", "Projects\\Current", "Projects\\Archive",
	"Scans\\Inbox", "HR\\Contracts", "Marketing\\Brochures",
	"Engineering\\CAD\\Site plans", "Legal\\Cases\\2023", "IT\\Scripts",
	"Sales\\Angebote", "Temp", "Photos\\2022\\Offsite",
};
static const char *const bases[] = {
	"ledger", "report", "render", "payroll", "site-survey", "minutes",
	"invoice", "contract", "notes", "\303\234bersicht",
};
static const char *const exts[] = {
	".xlsx", ".docx", ".pdf", ".dwg", ".pst", ".tmp", ".vhdx", ".jpg",
};

/* HRESULTs the catalog does not document, as seen on file servers. */
static const uint32_t unknown_hr[] = {
	0x80070020, 0x80070021, 0x8007045D, 0x800703E3, 0x80070079,
	0x80070040, 0x8007052E, 0x80070015, 0x80070057, 0x8007000E,
	0x80070091, 0x800700B7, 0x80072EE2, 0x80072EFD, 0x80131500,
	0x80004005,
};
static const char *const unknown_hr_text[] = {
	"The process cannot access the file because it is being used by another process.",
	"The process cannot access the file because another process has locked a portion of the file.",
	"The request could not be performed because of an I/O device error.",
	"The I/O operation has been aborted because of either a thread exit or an application request.",
	"The semaphore timeout period has expired.",
	"The specified network name is no longer available.",
	"Logon failure: unknown user name or bad password.",
	"The device is not ready.",
	"The parameter is incorrect.",
	"Not enough storage is available to complete this operation.",
	"The directory is not empty.",
	"Cannot create a file when that file already exists.",
	"The operation timed out.",
	"The connection with the server was terminated abnormally.",
	"Exception of type System.Exception was thrown.",
	"Unspecified error",
};

/* Pending fixed lines (job milestones, stack frames, restarts), written
 * before any random line. */
enum event {
	EV_EXEC_BEGIN, EV_LAST_STATE, EV_PRE_START, EV_VSS, EV_PRE_END,
	EV_ADJ_START, EV_ADJ_END, EV_INIT_START, EV_INIT_END, EV_XFER_START,
	EV_XFER_END, EV_ICI_START, EV_ICI_END, EV_IC_START, EV_IC_END,
	EV_SUCCEEDED, EV_LOWDISK, EV_FAILED, EV_FAILED_FILES, EV_UNINIT_START,
	EV_UNINIT_END, EV_EXEC_END, EV_FRAME1, EV_FRAME2, EV_CRASH,
	EV_VERSION, EV_ENGINE_BEGIN, EV_ENGINE_END, EV_CONTINUATION,
};

enum outcome { OUT_OK, OUT_WARNINGS, OUT_FAILED };

struct counts {
	uint64_t lines;			/* physical lines */
	uint64_t continuations;		/* lines without the record prefix */
	uint64_t level[LV_COUNT];	/* records per level */
	uint64_t catalog;		/* lines with a catalog code or rule */
	uint64_t unknown_hr;		/* lines with an unknown HRESULT */
	uint64_t jobs;
	uint64_t jobs_failed;
	uint64_t crashes;
};

struct gen {
	int year;
	uint64_t t;		/* ms since 1 January 00:00 UTC of `year` */
	uint64_t t_end;		/* the clock stops here */
	uint64_t step_job;	/* mean ms between lines inside a job */
	uint64_t step_idle;	/* ... and outside */
	uint64_t next_job;	/* start of the next job */
	uint64_t next_crash;
	uint64_t job_end;
	uint64_t xfer_end;	/* data transfer ends, integrity check starts */
	int in_job;
	int xfer_done;
	enum outcome outcome;
	unsigned pid;
	unsigned tid[4];
	uint64_t objptr;
	char guid[37];
	int ev[32];
	int nev, iev;
	unsigned cum_days[13];	/* day of year at each month start */
	struct counts c;
};

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Seconds since the epoch of 1 January 00:00 UTC of `y` (y >= 1970). */
static int64_t year_epoch(int y)
{
	int64_t days = 0;

	for (int i = 1970; i < y; i++)
		days += is_leap(i) ? 366 : 365;
	return days * 86400;
}

static void gen_init(struct gen *g, int year, uint64_t text_bytes)
{
	static const unsigned mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	uint64_t lines = text_bytes / AVG_LINE + 1;
	uint64_t days = lines / LINES_PER_DAY;
	uint64_t per_day;

	memset(g, 0, sizeof(*g));
	g->year = year;
	for (int m = 0; m < 12; m++)
		g->cum_days[m + 1] = g->cum_days[m] + mdays[m] +
		    (m == 1 && is_leap(year));
	/* Spread over as many days as a real log of this size covers, at
	 * least two, at most the year (the date column has no year). */
	if (days < 2)
		days = 2;
	if (days > 360)
		days = 360;
	per_day = lines / days + 1;
	g->t_end = days * DAY_MS;
	/* Jobs run about 9 of 24 hours and write 90 % of the lines. */
	g->step_job = 9 * 3600000ull * 10 / (per_day * 9) + 1;
	g->step_idle = 15 * 3600000ull * 10 / per_day + 1;
	g->next_job = 90 * 60000ull + rng_below(600000);	/* 01:30 */
	g->next_crash = 17 * DAY_MS + rng_below(DAY_MS);
	g->pid = 0x0AB0;
	for (int i = 0; i < 4; i++)
		g->tid[i] = 0x0400 + rng_below(0x2000) * 4;
}

static void push(struct gen *g, int ev)
{
	if (g->nev < (int)(sizeof(g->ev) / sizeof(g->ev[0])))
		g->ev[g->nev++] = ev;
}

static void new_guid(char *out)
{
	static const char hex[] = "0123456789ABCDEF";
	uint64_t a = rng_next(), b = rng_next();

	for (int i = 0, k = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			out[i] = '-';
			continue;
		}
		out[i] = hex[(k < 16 ? a >> (4 * k) : b >> (4 * (k - 16))) & 15];
		k++;
	}
	out[14] = '4';				/* version 4, random */
	out[19] = hex[8 + (b >> 62)];		/* variant 10xx */
	out[36] = '\0';
}

/* Advances the clock and starts, moves on or ends jobs and crashes. */
static void gen_tick(struct gen *g)
{
	uint64_t mean = g->in_job ? g->step_job : g->step_idle;

	g->t += rng_below((uint32_t)(2 * mean + 1));
	if (g->t > g->t_end)
		g->t = g->t_end;
	if (g->nev)
		return;
	if (g->t >= g->next_crash) {
		g->next_crash += (14 + rng_below(28)) * DAY_MS;
		g->c.crashes++;
		push(g, EV_CRASH);
		return;
	}
	if (!g->in_job && g->t >= g->next_job) {
		uint64_t dur = (3 * 60 + rng_below(180)) * 60000ull;
		uint32_t r = rng_below(100);

		g->in_job = 1;
		g->xfer_done = 0;
		g->job_end = g->t + dur;
		g->xfer_end = g->t + dur * 3 / 4;
		/* 01:30 and 13:30, a few minutes late */
		g->next_job = (g->next_job / (DAY_MS / 2) + 1) * (DAY_MS / 2) +
		    90 * 60000ull + rng_below(600000);
		g->outcome = r < 5 ? OUT_FAILED : r < 20 ? OUT_WARNINGS : OUT_OK;
		g->objptr = 0x10000000ull + (rng_next() & 0xFFFFFFF0ull);
		g->tid[0] = 0x0400 + rng_below(0x2000) * 4;
		new_guid(g->guid);
		g->c.jobs++;
		g->c.jobs_failed += g->outcome == OUT_FAILED;
		push(g, EV_EXEC_BEGIN);
		push(g, EV_LAST_STATE);
		push(g, EV_PRE_START);
		push(g, EV_VSS);
		push(g, EV_PRE_END);
		push(g, EV_ADJ_START);
		push(g, EV_ADJ_END);
		push(g, EV_INIT_START);
		push(g, EV_INIT_END);
		push(g, EV_XFER_START);
		return;
	}
	if (g->in_job && !g->xfer_done && g->t >= g->xfer_end) {
		g->xfer_done = 1;
		push(g, EV_XFER_END);
		push(g, EV_ICI_START);
		push(g, EV_ICI_END);
		push(g, EV_IC_START);
		return;
	}
	if (g->in_job && g->t >= g->job_end) {
		push(g, EV_IC_END);
		if (g->outcome == OUT_FAILED) {
			push(g, EV_LOWDISK);
			push(g, EV_FAILED);
		} else {
			if (g->outcome == OUT_WARNINGS)
				push(g, EV_FAILED_FILES);
			push(g, EV_SUCCEEDED);
		}
		push(g, EV_UNINIT_START);
		push(g, EV_UNINIT_END);
		push(g, EV_EXEC_END);
	}
}

/* Writes the record prefix up to and including the TAB after LEVEL.
 * CBEngine logs of this agent version have the extra empty field before
 * LEVEL; lines outside a job have no task GUID. */
static void line_begin(struct gen *g, struct buf *b, const struct src *s,
    unsigned line, enum level lv)
{
	uint64_t ms = g->t % 1000, sec = g->t / 1000;
	unsigned day = (unsigned)(sec / 86400), m = 0;
	const char *lvname = level_names[lv];

	while (m < 11 && day >= g->cum_days[m + 1])
		m++;
	put_hex_w(b, g->pid, 4, 1);
	put_chr(b, '\t');
	put_hex_w(b, g->tid[g->in_job ? rng_below(4) : 3], 4, 1);
	put_chr(b, '\t');
	put_dec_w(b, m + 1, 2);
	put_chr(b, '/');
	put_dec_w(b, day - g->cum_days[m] + 1, 2);
	put_chr(b, '\t');
	put_dec_w(b, (unsigned)(sec / 3600 % 24), 2);
	put_chr(b, ':');
	put_dec_w(b, (unsigned)(sec / 60 % 60), 2);
	put_chr(b, ':');
	put_dec_w(b, (unsigned)(sec % 60), 2);
	put_chr(b, '.');
	put_dec_w(b, (unsigned)ms, 3);
	put_chr(b, '\t');
	put_dec_w(b, s->nn, 2);
	put_chr(b, '\t');
	put_str(b, s->file);
	put_chr(b, '(');
	put_dec(b, line ? line : s->line);
	put_str(b, ")\t");
	if (!s->no_obj) {
		put_chr(b, '[');
		put_hex_w(b, g->in_job ? g->objptr : 0x352E4940, 16, 1);
		put_chr(b, ']');
	}
	put_chr(b, '\t');
	if (g->in_job)
		put_mem(b, g->guid, 36);
	put_str(b, "\t\t");
	put_str(b, lvname);
	put_chr(b, '\t');
	g->c.level[lv]++;
}

static void line_end(struct gen *g, struct buf *b, enum carry ca)
{
	put_str(b, "\r\n");
	g->c.lines++;
	g->c.catalog += ca == CA_CATALOG;
	g->c.unknown_hr += ca == CA_UNKNOWN_HR;
}

/* A path from a bounded set (a few thousand), some with non-ASCII. */
static void put_path(struct buf *b)
{
	put_str(b, roots[rng_below(sizeof(roots) / sizeof(roots[0]))]);
	put_chr(b, '\\');
	put_str(b, dirs[rng_below(sizeof(dirs) / sizeof(dirs[0]))]);
	put_chr(b, '\\');
	put_str(b, bases[rng_below(sizeof(bases) / sizeof(bases[0]))]);
	put_chr(b, '-');
	put_dec_w(b, rng_below(20), 2);
	put_str(b, exts[rng_below(sizeof(exts) / sizeof(exts[0]))]);
}

static void put_volume_guid(struct buf *b)
{
	put_str(b, "{6a5d670a-f9a3-438e-9b08-");
	put_hex_w(b, 0xacc213a5bf00 + rng_below(8), 12, 0);
	put_chr(b, '}');
}

/* The unknown FATAL stall line; `retry` 0 picks a random retry number. */
static void put_catstore_stall(struct gen *g, struct buf *b, unsigned retry)
{
	line_begin(g, b, &S_CATSTORE, 0, LV_FATAL);
	put_str(b, "CatalogStore::FlushPendingPages: flush of ");
	put_dec(b, 10 + rng_below(3000));
	put_str(b, " pages stalled for ");
	put_dec(b, 5000 + rng_below(30000));
	put_str(b, " ms on volume ");
	put_volume_guid(b);
	put_str(b, ", retry ");
	put_dec(b, retry ? retry : 1 + rng_below(5));
	put_str(b, " of 5");
	line_end(g, b, CA_NONE);
}

static void gen_event(struct gen *g, struct buf *b, int ev)
{
	static const struct { unsigned line; const char *text; } milestone[] = {
		[EV_PRE_START] = { 1279, "Backup Progress: Prebackup started." },
		[EV_PRE_END] = { 1281, "Backup Progress: Prebackup finished." },
		[EV_ADJ_START] = { 1284, "Backup Progress: Start: Adjusting Job start time from snapshot time" },
		[EV_ADJ_END] = { 1287, "Backup Progress: End: Adjusting Job start time from snapshot time" },
		[EV_INIT_START] = { 1292, "Backup Progress: Initialize Storage started." },
		[EV_INIT_END] = { 1295, "Backup Progress: Initialize Storage finished." },
		[EV_XFER_START] = { 1299, "Backup Progress: Data transfer started." },
		[EV_XFER_END] = { 1302, "Backup Progress: Data transfer finished" },
		[EV_ICI_START] = { 1326, "Backup Progress: Integrity Check Storage Initialize started." },
		[EV_ICI_END] = { 1329, "Backup Progress: Integrity Check Storage Initialize finished." },
		[EV_IC_START] = { 1332, "Backup Progress: Integrity Check started." },
		[EV_IC_END] = { 1334, "Backup Progress: Integrity Check finsihed." },
		[EV_SUCCEEDED] = { 1338, "Backup Progress: Succeeded" },
		[EV_FAILED] = { 1352, "Backup Progress: Failed" },
		[EV_UNINIT_START] = { 1345, "Backup Progress: UnInitialize Storage started." },
		[EV_UNINIT_END] = { 1347, "Backup Progress: UnInitialize Storage finsihed." },
		[EV_EXEC_BEGIN] = { 1180, "==>CBackupAsync::Execute" },
		[EV_EXEC_END] = { 1180, "<--CBackupAsync::Execute" },
	};
	enum carry ca = CA_NONE;
	unsigned day;

	switch (ev) {
	case EV_CONTINUATION:
		/* The second line of a multi-line message has no prefix. */
		put_str(b, "Check your network settings and ensure that you are able to connect to the internet.\r\n");
		g->c.lines++;
		g->c.continuations++;
		return;
	case EV_LAST_STATE:
		/* WARNING, but benign: the catalog's info-last-completed-state. */
		line_begin(g, b, &S_BACKUPASYNC, 2716, LV_WARNING);
		put_str(b, "Last completed state for Ds Id 1 is ");
		put_dec(b, 2 + rng_below(6));
		ca = CA_CATALOG;
		break;
	case EV_VSS:
		line_begin(g, b, &S_VSS, 0, LV_NORMAL);
		put_str(b, "CVssSnapshotRequestor:: ProviderId:[{B5946137-7B9F-4925-AF80-51ABD60B20D5}], h/w provider:[0], volume:[\\\\?\\Volume");
		put_volume_guid(b);
		put_str(b, "\\]");
		break;
	case EV_LOWDISK:
		line_begin(g, b, &S_SAL, 0, LV_WARNING);
		put_str(b, "Failed: Hr: = [0x80070070] SalLowDiskSpace: backup failed due to insufficient storage in volume C: where the scratch folder is located");
		ca = CA_CATALOG;
		break;
	case EV_FAILED_FILES:
		day = (unsigned)(g->t / DAY_MS);
		line_begin(g, b, &S_BACKUPASYNC, 2301, LV_NORMAL);
		put_str(b, "Writing ");
		put_dec(b, 1 + rng_below(60));
		put_str(b, " failed file entries to C:\\Program Files\\Microsoft Azure Recovery Services Agent\\Temp\\LastBackupFailedFiles17af1_");
		{
			unsigned m = 0;

			while (m < 11 && day >= g->cum_days[m + 1])
				m++;
			put_dec(b, m + 1);
			put_chr(b, '_');
			put_dec(b, day - g->cum_days[m] + 1);
		}
		put_chr(b, '_');
		put_dec(b, (unsigned)g->year);
		put_str(b, ".txt");
		break;
	case EV_FRAME1:
		line_begin(g, b, &S_STACK, 0, LV_WARNING);
		put_str(b, "   at System.IO.__Error.WinIOError(Int32 errorCode, String maybeFullPath)");
		break;
	case EV_FRAME2:
		line_begin(g, b, &S_STACK, 0, LV_WARNING);
		put_str(b, "   at Microsoft.Internal.CloudBackup.FileProvider.FileProviderHelper.ReadFileBlock(String path, Int64 offset)");
		break;
	case EV_CRASH:
		/* An agent crash: the catalog's agent-crash text rule.  The
		 * service restarts with a new process id. */
		line_begin(g, b, &S_CRASH, 0, LV_CRITICAL);
		put_str(b, "Exception Message = Object reference not set to an instance of an object. of type System.NullReferenceException, process will terminate after generating dump");
		ca = CA_CATALOG;
		g->pid = 0x0400 + rng_below(0x2000) * 4;
		g->in_job = 0;
		g->nev = g->iev = 0;	/* the job's remaining milestones die with it */
		push(g, EV_VERSION);
		push(g, EV_ENGINE_BEGIN);
		push(g, EV_ENGINE_END);
		break;
	case EV_VERSION:
		line_begin(g, b, &S_ENGINE, 0, LV_NORMAL);
		put_str(b, "Microsoft Azure Recovery Services Agent version 2.0.9249.0");
		break;
	case EV_ENGINE_BEGIN:
		line_begin(g, b, &S_ENGINE, 0, LV_NORMAL);
		put_str(b, "==>CCBEngine::Initialize");
		break;
	case EV_ENGINE_END:
		line_begin(g, b, &S_ENGINE, 0, LV_NORMAL);
		put_str(b, "<--CCBEngine::Initialize");
		break;
	default:
		line_begin(g, b, &S_BACKUPASYNC, milestone[ev].line, LV_NORMAL);
		put_str(b, milestone[ev].text);
		break;
	}
	line_end(g, b, ca);
	if (ev == EV_EXEC_END)
		g->in_job = 0;
}

/* A line carrying a documented code or matching a catalog text rule, in
 * the forms the logs use. */
static void gen_catalog_line(struct gen *g, struct buf *b)
{
	static const char *const hr_file[] = {
		"0x80070005", "0x80070005", "0x80070005", "0x80070002",
		"0x80070002", "0x80070003", "0x8007018b",
	};
	uint32_t r = rng_below(40);

	if (r < 14) {
		line_begin(g, b, &S_FILEPROV, 0, LV_WARNING);
		put_str(b, "Failed: Hr: = [");
		put_str(b, hr_file[rng_below(7)]);
		put_str(b, r < 11 ? "] CreateFile failed on file(" : "] FindFirstFile failed on folder(");
		put_path(b);
		put_chr(b, ')');
	} else if (r < 20) {
		line_begin(g, b, r < 17 ? &S_MTF : &S_MTF_CORRUPT, 0, LV_WARNING);
		put_str(b, r < 17 ? "Failed: Hr: = [0x8000ffff] BackupRead failed on file(" : "Failed: Hr: = [0x80070570] BackupRead failed on file(");
		put_path(b);
		put_chr(b, ')');
	} else if (r < 23) {
		line_begin(g, b, &S_SAL, 0, LV_WARNING);
		put_str(b, "Failed: Hr: = [0x80070070] SalLowDiskSpace: free space on the scratch volume C: is below ");
		put_dec(b, 5 + rng_below(5));
		put_str(b, " %");
	} else if (r < 25) {
		line_begin(g, b, &S_VSS, 0, LV_WARNING);
		put_str(b, "Failed: Hr: = [0x800423F2] The writer's timeout expired between the Freeze and Thaw events. Writer: SqlServerWriter");
	} else if (r < 27) {
		line_begin(g, b, &S_VSS, 0, LV_FATAL);
		put_str(b, "CBPSourceSnapshotFailed: creating the volume shadow copy of D: failed [0x186C2]");
	} else if (r < 29) {
		line_begin(g, b, &S_CHUNK, 0, LV_WARNING);
		put_str(b, "CloudTimeoutError: CommitChunkBatch did not answer in 300 s, retrying (");
		put_dec(b, 1 + rng_below(3));
		put_str(b, " of 3)");
	} else if (r < 31) {
		line_begin(g, b, &S_DSMREADER, 0, LV_WARNING);
		put_str(b, "A critical inconsistency was detected, therefore changes cannot be replicated. Folder ");
		put_str(b, roots[0]);
		put_chr(b, '\\');
		put_str(b, dirs[rng_below(sizeof(dirs) / sizeof(dirs[0]))]);
		put_str(b, " was deleted and re-created");
	} else if (r < 33) {
		line_begin(g, b, &S_REG, 0, LV_FATAL);
		put_str(b, "The activation did not complete successfully. The current operation failed due to an internal service error [0x1FC07]. Please retry the operation after some time.");
	} else if (r < 35) {
		line_begin(g, b, &S_VAULT, 0, LV_FATAL);
		put_str(b, "Invalid vault credentials provided. The file is either corrupted or does not have the latest credentials associated with recovery service. (ID: 34513)");
	} else if (r < 36) {
		line_begin(g, b, &S_VAULT_ZH, 0, LV_WARNING);
		put_str(b, "\xe6\x9c\xaa\xe8\x83\xbd\xe4\xb8\x8b\xe8\xbd\xbd\xe4\xbf\x9d\xe7\xae\xa1\xe5\xba\x93\xe5\x87\xad\xe6\x8d\xae\xe6\x96\x87\xe4\xbb\xb6\xe3\x80\x82 \xef\xbc\x88ID\xef\xbc\x9a" "403\xef\xbc\x89");
	} else if (r < 38) {
		line_begin(g, b, &S_IMPORT, 0, LV_WARNING);
		put_str(b, "PollAzureImportJob failed with error code: 1b7afbe0");
	} else {
		line_begin(g, b, &S_SVC, 0, LV_WARNING);
		put_str(b, "System.Net.WebException: Unable to connect to the remote server ---> A connection attempt failed because the connected party did not properly respond after a period of time 20.38.");
		put_dec(b, rng_below(256));
		put_chr(b, '.');
		put_dec(b, rng_below(256));
		put_str(b, ":443");
	}
	line_end(g, b, CA_CATALOG);
}

/* One line inside a backup job.  Rates per 100000 lines: 520 with a
 * catalog code or rule, 220 with an unknown HRESULT, 80 FATAL without a
 * code, 4100 other WARNING (a sixth of them exceptions with two stack frames
 * that follow as events), the rest NORMAL progress. */
static void gen_job_line(struct gen *g, struct buf *b)
{
	uint32_t r = rng_below(100000);

	if (r < 520) {
		gen_catalog_line(g, b);
		return;
	}
	if (r < 740) {
		uint32_t k = rng_below(sizeof(unknown_hr) / sizeof(unknown_hr[0]));

		line_begin(g, b, &S_FILEPROV, 0, LV_WARNING);
		put_str(b, "Failed: Hr: = [0x");
		put_hex_w(b, unknown_hr[k], 8, r & 1);
		put_str(b, "] BackupRead failed on file(");
		put_path(b);
		put_str(b, "): ");
		put_str(b, unknown_hr_text[k]);
		line_end(g, b, CA_UNKNOWN_HR);
		return;
	}
	if (r < 820) {
		put_catstore_stall(g, b, 0);
		return;
	}
	if (r < 4920) {
		switch (r % 6) {
		case 0:
			line_begin(g, b, &S_STACK, 0, LV_WARNING);
			put_str(b, "Exception while reading ");
			put_path(b);
			put_str(b, ": System.IO.IOException: The process cannot access the file because it is being used by another process.");
			push(g, EV_FRAME1);
			push(g, EV_FRAME2);
			break;
		case 1:
			line_begin(g, b, &S_FILEPROV, 2388, LV_WARNING);
			put_str(b, "File ");
			put_path(b);
			put_str(b, " changed while it was being read; it will be read again");
			break;
		case 2:
			line_begin(g, b, &S_MTF, 1411, LV_WARNING);
			put_str(b, "Retrying the read of ");
			put_path(b);
			put_str(b, " (attempt ");
			put_dec(b, 2 + rng_below(2));
			put_str(b, " of 3)");
			break;
		case 3:
			line_begin(g, b, &S_FILEPROV, 1733, LV_WARNING);
			put_str(b, "Skipping the reparse point ");
			put_str(b, roots[rng_below(3)]);
			put_str(b, "\\Links\\");
			put_dec(b, rng_below(200));
			break;
		case 4:
			line_begin(g, b, &S_THROTTLE, 0, LV_WARNING);
			put_str(b, "Throttling: network bandwidth limited to ");
			put_dec(b, 512 * (1 + rng_below(16)));
			put_str(b, " Kbps by the work hours policy");
			break;
		default:
			line_begin(g, b, &S_CHUNK, 0, LV_WARNING);
			put_str(b, "Slow response from the service: ");
			put_dec(b, 2000 + rng_below(20000));
			put_str(b, " ms for CommitChunkBatch");
			break;
		}
		line_end(g, b, CA_NONE);
		return;
	}
	switch (r % 9) {
	case 0:
	case 1:
		line_begin(g, b, &S_FILEPROV_DATA, 0, LV_NORMAL);
		put_str(b, "==>FileProvider::EndData");
		break;
	case 2:
	case 3:
		line_begin(g, b, &S_FILEPROV_DATA, 0, LV_NORMAL);
		put_str(b, "<--FileProvider::EndData");
		break;
	case 4:
		line_begin(g, b, &S_CATUPD, 0, LV_NORMAL);
		put_str(b, "Uploading ");
		put_dec(b, r & 1 ? 500 : 100 + rng_below(400));
		put_str(b, " RO entries");
		break;
	case 5:
		line_begin(g, b, &S_BACKUPASYNC, 2044, LV_NORMAL);
		put_str(b, "Data transfer progress: ");
		put_dec(b, rng_below(24300));
		put_str(b, " MB of 24300 MB transferred");
		break;
	case 6:
		line_begin(g, b, &S_DSM, 0, LV_NORMAL);
		put_str(b, "<--CDsmFilter::FlushChangedBlocks (");
		put_dec(b, 1000 + rng_below(60000));
		put_str(b, " blocks)");
		break;
	case 7:
		line_begin(g, b, &S_MTF, 802, LV_NORMAL);
		put_str(b, "Backed up file(");
		put_path(b);
		put_str(b, "), ");
		put_dec(b, rng_next() % 900000000);
		put_str(b, " bytes");
		break;
	default:
		line_begin(g, b, &S_CHUNK, 0, LV_NORMAL);
		put_str(b, "ChunkStore::Commit: ");
		put_dec(b, 1 + rng_below(64));
		put_str(b, " chunks, stream ");
		put_dec(b, rng_below(16));
		break;
	}
	line_end(g, b, CA_NONE);
}

/* A line between jobs: the idle timer, now and then a service error. */
static void gen_idle_line(struct gen *g, struct buf *b)
{
	uint32_t r = rng_below(10000);

	if (r < 20) {
		line_begin(g, b, &S_SVC, 131, LV_FATAL);
		put_str(b, "Microsoft Azure Recovery Services Agent was unable to connect to Microsoft Azure Backup. ID: 100050");
		line_end(g, b, CA_CATALOG);
		push(g, EV_CONTINUATION);
		return;
	}
	if (r < 60) {
		put_catstore_stall(g, b, 1);
		return;
	}
	if (r < 400) {
		line_begin(g, b, &S_IDLE, 1760, LV_WARNING);
		put_str(b, "Heartbeat to the service took ");
		put_dec(b, 3000 + rng_below(9000));
		put_str(b, " ms");
		line_end(g, b, CA_NONE);
		return;
	}
	switch (r % 3) {
	case 0:
		line_begin(g, b, &S_IDLE, 0, LV_NORMAL);
		put_str(b, "==>CCBEngine::OnIdleTimer");
		break;
	case 1:
		line_begin(g, b, &S_IDLE, 1744, LV_NORMAL);
		put_str(b, "Checking for pending jobs: 0 queued");
		break;
	default:
		line_begin(g, b, &S_IDLE, 0, LV_NORMAL);
		put_str(b, "<--CCBEngine::OnIdleTimer");
		break;
	}
	line_end(g, b, CA_NONE);
}

static void gen_line(struct gen *g, struct buf *b)
{
	gen_tick(g);
	if (g->iev < g->nev) {
		int ev = g->ev[g->iev++];

		if (g->iev == g->nev)
			g->nev = g->iev = 0;
		gen_event(g, b, ev);
		return;
	}
	if (g->in_job)
		gen_job_line(g, b);
	else
		gen_idle_line(g, b);
}

/* ---------------------------------------------------------------- output */

/* UTF-8 (valid, as generated) to UTF-16LE; returns the bytes written. */
static size_t utf8_to_utf16le(const char *in, size_t n, unsigned char *out)
{
	const unsigned char *s = (const unsigned char *)in, *end = s + n;
	unsigned char *o = out;

	while (s < end) {
		uint32_t c = *s;

		if (c < 0x80) {
			s++;
		} else if (c < 0xE0) {
			c = (c & 0x1F) << 6 | (s[1] & 0x3F);
			s += 2;
		} else if (c < 0xF0) {
			c = (c & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 |
			    (s[2] & 0x3F);
			s += 3;
		} else {
			c = (c & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
			    (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
			s += 4;
			c -= 0x10000;
			*o++ = (unsigned char)((0xD800 | c >> 10) & 0xFF);
			*o++ = (unsigned char)((0xD800 | c >> 10) >> 8);
			c = 0xDC00 | (c & 0x3FF);
		}
		*o++ = (unsigned char)(c & 0xFF);
		*o++ = (unsigned char)(c >> 8);
	}
	return (size_t)(o - out);
}

struct sink {
	FILE *u8;			/* NULL: not written */
	FILE *u16;
	struct archive *zip;
	const char *u8_path, *u16_path, *zip_path;
	uint64_t bytes8, bytes16;
};

static unsigned char wide[2 * (CHUNK + LINE_ROOM)];

static void sink_write(struct sink *s, const char *text, size_t n)
{
	size_t wn = 0;

	if (s->u8)
		write_out(s->u8, text, n, s->u8_path);
	s->bytes8 += n;
	if (!s->u16 && !s->zip)
		return;
	wn = utf8_to_utf16le(text, n, wide);
	if (s->u16)
		write_out(s->u16, wide, wn, s->u16_path);
	if (s->zip && archive_write_data(s->zip, wide, wn) != (la_ssize_t)wn)
		die("cannot write %s: %s", s->zip_path,
		    archive_error_string(s->zip));
	s->bytes16 += wn;
}

static void sink_bom(struct sink *s)
{
	static const unsigned char bom[2] = { 0xFF, 0xFE };

	if (s->u16)
		write_out(s->u16, bom, 2, s->u16_path);
	if (s->zip && archive_write_data(s->zip, bom, 2) != 2)
		die("cannot write %s: %s", s->zip_path,
		    archive_error_string(s->zip));
	s->bytes16 += 2;
}

static char text[CHUNK + LINE_ROOM];

/* Generates lines into the sink until `limit` bytes of UTF-8 text. */
static void gen_run(struct gen *g, struct sink *s, uint64_t limit)
{
	struct buf b = { text, 0 };
	uint64_t done = 0;

	while (done + b.len < limit) {
		gen_line(g, &b);
		if (b.len >= CHUNK) {
			sink_write(s, b.p, b.len);
			done += b.len;
			b.len = 0;
		}
	}
	/* Milestones still pending would be cut off; finish them. */
	while (g->iev < g->nev)
		gen_line(g, &b);
	sink_write(s, b.p, b.len);
}

/* Sets a file's mtime to just after its last line, as the agent would. */
static void set_mtime(const char *path, int64_t t)
{
	struct timespec ts[2] = { { (time_t)t, 0 }, { (time_t)t, 0 } };

	if (utimensat(AT_FDCWD, path, ts, 0) != 0)
		die("cannot set the time of %s: %s", path, strerror(errno));
}

static struct archive *zip_open(const char *path, int64_t mtime)
{
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();

	if (!a || !e)
		die("out of memory");
	/* Level 1: the zip is read, not shipped; level 6 would make the
	 * generator five times slower for a slightly smaller file. */
	if (archive_write_set_format_zip(a) != ARCHIVE_OK ||
	    archive_write_zip_set_compression_deflate(a) != ARCHIVE_OK ||
	    archive_write_set_options(a, "zip:compression-level=1") != ARCHIVE_OK ||
	    archive_write_open_filename(a, path) != ARCHIVE_OK)
		die("cannot create %s: %s", path, archive_error_string(a));
	archive_entry_set_pathname(e, "Temp/CBEngineCurr.errlog");
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_mtime(e, (time_t)mtime, 0);
	/* Size unknown while streaming: libarchive writes a data descriptor
	 * (and Zip64 fields) after the data. */
	if (archive_write_header(a, e) != ARCHIVE_OK)
		die("cannot write %s: %s", path, archive_error_string(a));
	archive_entry_free(e);
	return a;
}

static void zip_close(struct archive *a, const char *path)
{
	if (archive_write_close(a) != ARCHIVE_OK)
		die("cannot write %s: %s", path, archive_error_string(a));
	archive_write_free(a);
}

/* ---------------------------------------------------------------- patterns */

/* Appends to out (size outlen) at *o; 0, or -1 when it does not fit. */
static int emit(char *out, size_t outlen, size_t *o, const char *s, size_t n)
{
	if (*o + n + 1 > outlen)
		return -1;
	memcpy(out + *o, s, n);
	*o += n;
	out[*o] = '\0';
	return 0;
}

#define EMIT(s, n) do { if (emit(out, outlen, &o, (s), (n))) { *why = "too long"; return -1; } } while (0)

/* Writes a letter as [xX] when case-insensitive matching is wanted. */
static int emit_fold(char *out, size_t outlen, size_t *o, char c, int fold)
{
	char cls[4] = { '[', (char)tolower((unsigned char)c),
	    (char)toupper((unsigned char)c), ']' };

	if (fold && isalpha((unsigned char)c))
		return emit(out, outlen, o, cls, 4);
	return emit(out, outlen, o, &c, 1);
}

/*
 * Word boundaries are spelt out instead of \b: ripgrep's \b is Unicode-
 * aware and makes its fast DFA give up on the first non-ASCII byte (the
 * corpus has non-ASCII paths), after which a 64 MiB file takes minutes,
 * not a second.  A boundary before a word character becomes WORD_START,
 * any other WORD_END; both consume the neighbouring character, which
 * leaves "does the line match" unchanged for these patterns.
 */
#define WORD_START	"(^|[^A-Za-z0-9_])"
#define WORD_END	"([^A-Za-z0-9_]|$)"

/*
 * Converts a catalog text rule (PCRE2) into a pattern that ripgrep (Rust
 * regex) and GNU grep -E both accept with the same meaning on these logs:
 * a leading (?i) becomes [xX] letter classes (grep -E has no inline
 * flags), (?: becomes (, \d becomes [0-9], \b becomes WORD_START or
 * WORD_END, lazy quantifiers become greedy (same lines match), escaped
 * punctuation that is not special in ERE loses its backslash.  Returns 0,
 * or -1 with a reason in *why for constructs with no equivalent
 * (lookaround, named groups, back references, other inline flags, \B,
 * \x \p ... escapes).
 */
static int regex_convert(const char *re, char *out, size_t outlen,
    const char **why)
{
	size_t o = 0;
	int fold = 0;
	const char *p;

	out[0] = '\0';
	if (strncmp(re, "(?i)", 4) == 0) {
		fold = 1;
		re += 4;
	}
	for (p = re; *p; p++) {
		char c = *p;

		if (c == '\\') {
			char n = p[1];

			if (!n) {
				*why = "trailing backslash";
				return -1;
			}
			p++;
			if (n == 'd')
				EMIT("[0-9]", 5);
			else if (n == 'D')
				EMIT("[^0-9]", 6);
			else if (n == 'b' && (isalnum((unsigned char)p[1]) ||
			    p[1] == '_' || p[1] == '(' || p[1] == '['))
				EMIT(WORD_START, strlen(WORD_START));
			else if (n == 'b')
				EMIT(WORD_END, strlen(WORD_END));
			else if (strchr("sSwW", n)) {
				char e[2] = { '\\', n };

				EMIT(e, 2);
			} else if (isalnum((unsigned char)n)) {
				*why = "escape with no grep -E equivalent";
				return -1;
			} else if (strchr(".[]()*+?{}|^$\\", n)) {
				char e[2] = { '\\', n };

				EMIT(e, 2);
			} else {
				EMIT(&n, 1);
			}
		} else if (c == '[') {
			EMIT("[", 1);
			p++;
			if (*p == '^')
				EMIT(p++, 1);
			if (*p == ']')
				EMIT(p++, 1);
			for (; *p && *p != ']'; p++) {
				if (p[0] == '[' && p[1] == ':') {
					const char *e = strstr(p, ":]");

					if (!e) {
						*why = "unterminated class";
						return -1;
					}
					EMIT(p, (size_t)(e + 2 - p));
					p = e + 1;
				} else if (*p == '\\') {
					if (p[1] == 'd')
						EMIT("0-9", 3);
					else if (p[1] == 's')
						EMIT("[:space:]", 9);
					else if (p[1] && !isalnum((unsigned char)p[1]) &&
					    !strchr("]\\-^", p[1]))
						EMIT(p + 1, 1);
					else {
						*why = "escape in a class";
						return -1;
					}
					p++;
				} else if (fold && isalpha((unsigned char)p[0]) &&
				    p[1] == '-' && isalpha((unsigned char)p[2])) {
					char r[6] = { p[0], '-', p[2],
					    (char)(islower((unsigned char)p[0]) ? toupper((unsigned char)p[0]) : tolower((unsigned char)p[0])),
					    '-',
					    (char)(islower((unsigned char)p[2]) ? toupper((unsigned char)p[2]) : tolower((unsigned char)p[2])) };

					EMIT(r, 6);
					p += 2;
				} else if (fold && isalpha((unsigned char)*p)) {
					char r[2] = { (char)tolower((unsigned char)*p),
					    (char)toupper((unsigned char)*p) };

					EMIT(r, 2);
				} else {
					EMIT(p, 1);
				}
			}
			if (!*p) {
				*why = "unterminated class";
				return -1;
			}
			EMIT("]", 1);
		} else if (c == '(' && p[1] == '?') {
			if (p[2] != ':') {
				*why = "lookaround, named group or inline flag";
				return -1;
			}
			EMIT("(", 1);
			p += 2;
		} else if (strchr("*+?}", c) && p[1] == '+') {
			*why = "possessive quantifier";
			return -1;
		} else if (strchr("*+?}", c) && p[1] == '?') {
			EMIT(&c, 1);
			p++;
		} else if (emit_fold(out, outlen, &o, c, fold)) {
			*why = "too long";
			return -1;
		}
	}
	if (o == 0) {
		*why = "empty";
		return -1;
	}
	return 0;
}

/* Hex digits as classes that take either case: 8007018B -> 8007018[bB]. */
static void put_hex_fold(FILE *f, const char *hex)
{
	for (; *hex; hex++) {
		if (isalpha((unsigned char)*hex))
			fprintf(f, "[%c%c]", tolower((unsigned char)*hex),
			    toupper((unsigned char)*hex));
		else
			fputc(*hex, f);
	}
}

/*
 * patterns.txt: one pattern per line for `rg -f` and `grep -E -f`, every
 * catalog code in the forms it takes in a log (classify.h), then every
 * text rule converted.  A pattern file cannot hold comments (each line is
 * a pattern), so what could not be converted goes to patterns-dropped.txt.
 * Returns the number of patterns.
 */
static unsigned write_patterns(const char *catalog, const char *path,
    const char *dropped_path)
{
	FILE *in = fopen(catalog, "r");
	FILE *out = open_out(path), *drop = open_out(dropped_path);
	char *line = NULL, conv[4096];
	size_t cap = 0;
	ssize_t n;
	unsigned count = 0, lineno = 0;
	int header = 1, col_codes = 3, col_regex = 5;

	if (!in)
		die("cannot open %s: %s", catalog, strerror(errno));
	fprintf(drop, "# catalog text rules with no rg/grep -E equivalent (not in patterns.txt)\n");
	while ((n = getline(&line, &cap, in)) >= 0) {
		char *field[16], *p = line, *code, *save = NULL;
		int nf = 0;
		const char *why = NULL;

		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		if (header) {		/* the column names: where codes and regex are */
			header = 0;
			col_codes = strstr(line, "\tproduct\t") ? 4 : 3;
			col_regex = col_codes + 2;
			continue;
		}
		while (nf < 16) {
			field[nf++] = p;
			p = strchr(p, '\t');
			if (!p)
				break;
			*p++ = '\0';
		}
		if (nf <= col_regex)
			die("%s:%u: expected 13 or 14 fields", catalog, lineno);
		for (code = strtok_r(field[col_codes], " ", &save); code;
		    code = strtok_r(NULL, " ", &save)) {
			size_t len = strlen(code);

			if (len == 10 && code[0] == '0' && code[1] == 'x') {
				/* [0x80070005], 0x8007018b, error code: 1b7afbe0 */
				fputs("0[xX]", out);
				put_hex_fold(out, code + 2);
				fputs(WORD_END "\n", out);
				fputs("[eE][rR][rR][oO][rR] [cC][oO][dD][eE]: *", out);
				put_hex_fold(out, code + 2);
				fputs(WORD_END "\n", out);
				count += 2;
			} else if (strspn(code, "0123456789") == len) {
				unsigned long v = strtoul(code, NULL, 10);

				/* (ID: 34513), ID: 100050, (ID：403) */
				fprintf(out, WORD_START "ID *(:|\xef\xbc\x9a) *%s"
				    WORD_END "\n", code);
				count++;
				if (v >= 0x10000 && v <= 0xFFFFF) {
					char hex[8];

					/* [0x1FC07], (0x1FBD3) */
					snprintf(hex, sizeof(hex), "%05lX", v);
					fputs("(\\[|\\()0[xX]", out);
					put_hex_fold(out, hex);
					fputs("(]|\\))\n", out);
					count++;
				}
			} else {
				fprintf(out, WORD_START "%s" WORD_END "\n", code);
				count++;
			}
		}
		if (field[col_regex][0] == '\0')
			continue;
		if (regex_convert(field[col_regex], conv, sizeof(conv), &why) == 0) {
			fprintf(out, "%s\n", conv);
			count++;
		} else {
			fprintf(drop, "# %s: %s\n%s\n", field[0], why, field[col_regex]);
		}
	}
	if (ferror(in))
		die("cannot read %s: %s", catalog, strerror(errno));
	free(line);
	fclose(in);
	close_out(out, path);
	close_out(drop, dropped_path);
	return count;
}

/* ---------------------------------------------------------------- main */

_Noreturn static void usage(void)
{
	fputs("usage: gencorpus -s SIZE -o DIR [-n FILES] [-w WHAT] [-c CATALOG] [-y YEAR] [-S SEED]\n"
	    "  -s SIZE     UTF-8 text to write (64M, 1G, ...; default 1G)\n"
	    "  -o DIR      output folder (created)\n"
	    "  -n FILES    files in DIR/many/ (default 16): SIZE bytes of UTF-16LE in all\n"
	    "  -w WHAT     comma list of utf8,utf16,zip,many,patterns (default all)\n"
	    "  -c CATALOG  catalog for the patterns (default patterns/catalog.tsv)\n"
	    "  -y YEAR     year of the time stamps (default 2024)\n"
	    "  -S SEED     random seed (default fixed)\n"
	    "Writes DIR/utf8/CBEngineCurr.errlog, DIR/utf16/CBEngineCurr.errlog,\n"
	    "DIR/bundle.zip, DIR/many/CBEngineNN.errlog, DIR/patterns.txt and\n"
	    "DIR/corpus.txt (what was written).\n", stderr);
	exit(2);
}

static int wants(const char *list, const char *what)
{
	size_t n = strlen(what);

	for (const char *p = list; p; p = strchr(p, ',')) {
		if (*p == ',')
			p++;
		if (strncmp(p, what, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
	}
	return 0;
}

static void report_counts(FILE *f, const char *prefix, const struct gen *g)
{
	const struct counts *c = &g->c;
	uint64_t recs = 0;

	for (int i = 0; i < LV_COUNT; i++)
		recs += c->level[i];
	fprintf(f, "%slines %" PRIu64 "\n", prefix, c->lines);
	fprintf(f, "%srecords %" PRIu64 "\n", prefix, recs);
	fprintf(f, "%scontinuations %" PRIu64 "\n", prefix, c->continuations);
	for (int i = 0; i < LV_COUNT; i++) {
		fprintf(f, "%s", prefix);
		for (const char *p = level_names[i]; *p; p++)
			fputc(tolower((unsigned char)*p), f);
		fprintf(f, " %" PRIu64 "\n", c->level[i]);
	}
	fprintf(f, "%swarning_or_worse %" PRIu64 "\n", prefix, recs - c->level[LV_NORMAL]);
	fprintf(f, "%scatalog_lines %" PRIu64 "\n", prefix, c->catalog);
	fprintf(f, "%sunknown_hresult_lines %" PRIu64 "\n", prefix, c->unknown_hr);
	fprintf(f, "%sjobs %" PRIu64 "\n", prefix, c->jobs);
	fprintf(f, "%sjobs_failed %" PRIu64 "\n", prefix, c->jobs_failed);
	fprintf(f, "%scrashes %" PRIu64 "\n", prefix, c->crashes);
	fprintf(f, "%sdays %" PRIu64 "\n", prefix, g->t / DAY_MS + 1);
}

int main(int argc, char **argv)
{
	uint64_t size = 1ull << 30, seed = 0x4D4152534C4F47ull;
	const char *dir = NULL, *what = "utf8,utf16,zip,many,patterns";
	const char *catalog = "patterns/catalog.tsv";
	unsigned nfiles = 16;
	int year = 2024, opt;
	char path[4096], path2[4096], path3[4096];
	FILE *manifest;
	struct gen g;
	int64_t epoch;

	while ((opt = getopt(argc, argv, "s:o:n:w:c:y:S:h")) != -1) {
		switch (opt) {
		case 's': size = parse_size(optarg); if (!size) usage(); break;
		case 'o': dir = optarg; break;
		case 'n': nfiles = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'w': what = optarg; break;
		case 'c': catalog = optarg; break;
		case 'y': year = atoi(optarg); break;
		case 'S': seed = strtoull(optarg, NULL, 0); break;
		default: usage();
		}
	}
	if (!dir || optind != argc || year < 1971 || year > 2999 ||
	    nfiles > 1000 || (nfiles == 0 && wants(what, "many")))
		usage();
	if (strlen(dir) > 3000)
		die("output folder name too long");
	/* Fail before minutes of writing, not after. */
	if (wants(what, "patterns") && access(catalog, R_OK) != 0)
		die("cannot open %s: %s", catalog, strerror(errno));
	epoch = year_epoch(year);
	make_dir(dir);
	snprintf(path, sizeof(path), "%s/corpus.txt", dir);
	manifest = open_out(path);
	fprintf(manifest, "size %" PRIu64 "\nseed %" PRIu64 "\nyear %d\n", size, seed, year);

	if (wants(what, "utf8") || wants(what, "utf16") || wants(what, "zip")) {
		struct sink s = { 0 };
		int64_t mtime;

		rng_state = seed;
		gen_init(&g, year, size);
		/* The end of the time plan is known before the first line: it
		 * goes into the zip entry header. */
		mtime = epoch + (int64_t)(g.t_end / 1000) + 7;
		if (wants(what, "utf8")) {
			snprintf(path, sizeof(path), "%s/utf8", dir);
			make_dir(path);
			snprintf(path, sizeof(path), "%s/utf8/CBEngineCurr.errlog", dir);
			s.u8 = open_out(path);
			s.u8_path = path;
		}
		if (wants(what, "utf16")) {
			snprintf(path2, sizeof(path2), "%s/utf16", dir);
			make_dir(path2);
			snprintf(path2, sizeof(path2), "%s/utf16/CBEngineCurr.errlog", dir);
			s.u16 = open_out(path2);
			s.u16_path = path2;
		}
		if (wants(what, "zip")) {
			snprintf(path3, sizeof(path3), "%s/bundle.zip", dir);
			s.zip = zip_open(path3, mtime);
			s.zip_path = path3;
		}
		sink_bom(&s);
		gen_run(&g, &s, size);
		if (s.u8) {
			close_out(s.u8, path);
			set_mtime(path, mtime);
		}
		if (s.u16) {
			close_out(s.u16, path2);
			set_mtime(path2, mtime);
		}
		if (s.zip)
			zip_close(s.zip, path3);
		fprintf(manifest, "utf8_bytes %" PRIu64 "\nutf16_bytes %" PRIu64 "\n",
		    s.bytes8, s.bytes16);
		report_counts(manifest, "", &g);
	}

	if (wants(what, "many")) {
		uint64_t per_file = size / 2 / nfiles + 1, total = 0, records = 0;

		snprintf(path, sizeof(path), "%s/many", dir);
		make_dir(path);
		rng_state = seed ^ 0x9E3779B97F4A7C15ull;
		gen_init(&g, year, size / 2);
		for (unsigned i = 0; i < nfiles; i++) {
			struct sink s = { 0 };

			snprintf(path, sizeof(path), "%s/many/CBEngine%02u.errlog", dir, i);
			s.u16 = open_out(path);
			s.u16_path = path;
			sink_bom(&s);
			gen_run(&g, &s, per_file);
			close_out(s.u16, path);
			set_mtime(path, epoch + (int64_t)(g.t / 1000) + 7);
			total += s.bytes16;
		}
		for (int i = 0; i < LV_COUNT; i++)
			records += g.c.level[i];
		fprintf(manifest, "many_files %u\nmany_bytes %" PRIu64 "\nmany_lines %" PRIu64
		    "\nmany_records %" PRIu64 "\n", nfiles, total, g.c.lines, records);
	}

	if (wants(what, "patterns")) {
		unsigned np;

		snprintf(path, sizeof(path), "%s/patterns.txt", dir);
		snprintf(path2, sizeof(path2), "%s/patterns-dropped.txt", dir);
		np = write_patterns(catalog, path, path2);
		fprintf(manifest, "patterns %u\n", np);
	}
	fprintf(manifest, "complete 1\n");
	snprintf(path, sizeof(path), "%s/corpus.txt", dir);
	close_out(manifest, path);
	return 0;
}
