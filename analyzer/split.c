/* SPDX-License-Identifier: MIT */
/*
 * split.c -- one large plain errlog read in byte ranges (see split.h).
 *
 * A cut is looked for near each multiple of the range size: the first
 * line after a line feed that is complete within a 64 KiB window and
 * starts a record, in the file's encoding.  Only line feeds count (a cut
 * must not fall between the CR and LF of one line end), UTF-16 is scanned
 * in aligned code units, and a line is tested exactly as the parser will
 * see it (decoded to UTF-8, errlog_line_is_record).  Where no record
 * starts within SCAN_MAX bytes the cut is dropped and its neighbours'
 * ranges simply grow.
 *
 * Each range read is folded into the join as soon as every range before
 * it is in.  A range does not start more than AHEAD_MAX ranges ahead of
 * the fold, so however large the file and however slow one range, at
 * most AHEAD_MAX parts wait.  A range that
 * needs to know which templates the ranges before it kept (see
 * analysis.h) waits until they are folded: they were all handed out
 * before it, and none of them waits for a later range, so this ends.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyzer/split.h"
#include "parsers/decode.h"
#include "parsers/errlog.h"

#define SCAN_BYTES	((size_t)64 << 10)	/* pread per step of a search */
#define SCAN_MAX	((uint64_t)8 << 20)	/* a cut is searched this far */
#define AHEAD_MAX	8	/* ranges read ahead of the last one folded */

struct split {
	struct source_entry e;		/* strings borrowed from the item */
	int fd;
	enum text_encoding enc;
	size_t n;			/* ranges */
	uint64_t *cut;			/* n + 1: range k is [cut[k], cut[k+1]) */
	pthread_mutex_t lock;		/* the rest */
	pthread_cond_t folded;		/* next moved, or failed */
	struct summary **part;		/* n: read, not yet folded */
	struct analysis_range *r;	/* n */
	size_t next;			/* the next range to fold */
	struct analysis_join *join;
	int failed;			/* a fold ran out of memory */
};

/* The search for one cut: the file, its encoding, two buffers. */
struct scan {
	int fd;
	enum text_encoding enc;
	size_t unit;			/* 2 for UTF-16, else 1 */
	size_t max_line;
	unsigned char *buf;		/* SCAN_BYTES */
	char *text;			/* 3 * SCAN_BYTES + 4: the line as UTF-8 */
};

static ssize_t
pread_full(int fd, void *buf, size_t len, uint64_t off)
{
	ssize_t n;

	do
		n = pread(fd, buf, len, (off_t)off);
	while (n < 0 && errno == EINTR);
	return n;
}

/* 1 if the code unit at b is `c` (an ASCII byte) in the scan's encoding. */
static int
unit_is(const struct scan *sc, const unsigned char *b, unsigned char c)
{
	if (sc->unit == 1)
		return b[0] == c;
	return sc->enc == TEXT_UTF16BE ? b[0] == 0 && b[1] == c :
	    b[0] == c && b[1] == 0;
}

/* Offset of the first line feed (or, with `cr`, carriage return) at or
 * after i in buf[0, n), or n. */
static size_t
next_end(const struct scan *sc, size_t i, size_t n, int cr)
{
	for (; i < n; i += sc->unit)
		if (unit_is(sc, sc->buf + i, '\n') ||
		    (cr && unit_is(sc, sc->buf + i, '\r')))
			return i;
	return n;
}

/* Does the line buf[i, j) start a record, as the parser will see it? */
static int
line_is_record(struct scan *sc, size_t i, size_t j)
{
	const char *p = (const char *)sc->buf + i;
	size_t n = j - i;
	uint64_t repl = 0;

	if (sc->unit == 2) {
		struct utf16_decoder *d;

		d = utf16_decoder_new(sc->enc == TEXT_UTF16BE);
		if (d == NULL)
			return 0;
		n = utf16_decoder_run(d, sc->buf + i, j - i, &p);
		memcpy(sc->text, p, n);
		utf16_decoder_free(d);
		p = sc->text;
	} else {
		p = text_line_to_utf8(sc->enc, p, n, sc->text, &n, &repl);
	}
	return n <= sc->max_line && errlog_line_is_record(p, n);
}

/* The first record line that starts after a line feed at or after `from`
 * and before `limit`; 0 if there is none. */
static uint64_t
find_cut(struct scan *sc, uint64_t from, uint64_t limit)
{
	uint64_t pos = from - from % sc->unit;
	int at_start = 0;		/* buf[0] begins a line */

	while (pos < limit) {
		ssize_t got = pread_full(sc->fd, sc->buf, SCAN_BYTES, pos);
		size_t n, i = 0, j;

		if (got <= 0)
			return 0;
		n = (size_t)got - (size_t)got % sc->unit;
		if (n == 0)
			return 0;
		if (!at_start) {
			i = next_end(sc, 0, n, 0);
			if (i == n) {		/* still inside one long line */
				pos += n;
				continue;
			}
			i += sc->unit;
		}
		for (;;) {
			if (i == n) {		/* a line starts the next window */
				pos += n;
				at_start = 1;
				break;
			}
			j = next_end(sc, i, n, 1);
			if (j == n) {		/* the line goes on past the window */
				at_start = i > 0;
				pos += i > 0 ? i : n;
				break;
			}
			if (line_is_record(sc, i, j))
				return pos + i;
			i = next_end(sc, j, n, 0);
			if (i == n) {	/* no line feed after a lone CR: */
				pos += n;	/* the next window starts */
				at_start = 0;	/* inside a line */
				break;
			}
			i += sc->unit;
		}
	}
	return 0;
}

static int
plan_cuts(struct split *sp, uint64_t start, uint64_t size, size_t want,
    size_t max_line)
{
	struct scan sc;
	size_t k;
	int rc = -1;

	sc.fd = sp->fd;
	sc.enc = sp->enc;
	sc.unit = sp->enc == TEXT_UTF16LE || sp->enc == TEXT_UTF16BE ? 2 : 1;
	sc.max_line = max_line > 0 ? max_line : (size_t)1 << 20;
	sc.buf = malloc(SCAN_BYTES);
	sc.text = malloc(3 * SCAN_BYTES + 4);
	sp->cut = malloc((want + 1) * sizeof *sp->cut);
	if (sc.buf == NULL || sc.text == NULL || sp->cut == NULL)
		goto out;
	sp->cut[0] = start;
	sp->n = 1;
	for (k = 1; k < want; k++) {
		uint64_t from = size / want * k, c;

		if (from <= sp->cut[sp->n - 1])
			continue;
		c = find_cut(&sc, from, from + SCAN_MAX < size ?
		    from + SCAN_MAX : size);
		if (c > sp->cut[sp->n - 1])
			sp->cut[sp->n++] = c;
	}
	sp->cut[sp->n] = UINT64_MAX;	/* the last range reads to the end */
	rc = 0;
out:
	free(sc.buf);
	free(sc.text);
	return rc;
}

static const char *
last_component(const char *p)
{
	const char *b = p;

	for (; *p != '\0'; p++)
		if ((*p == '/' || *p == '\\') && p[1] != '\0')
			b = p + 1;
	return b;
}

int
split_plan(const struct source_item *item,
    const struct source_options *sopt, const struct analysis_options *aopt,
    uint64_t range_bytes, struct split **out)
{
	struct split *sp = NULL;
	struct stat st;
	unsigned char *head = NULL;	/* the walk's first chunk */
	enum input_kind kind;
	size_t bom, want;
	ssize_t got;
	int rc = 0;

	*out = NULL;
	if (range_bytes == 0 || aopt->year > 0 || years_option_for(aopt->years,
	    aopt->nyears, item->machine) > 0 || strcmp(item->path, "-") == 0 ||
	    item->size < 0 || (uint64_t)item->size / 2 < range_bytes ||
	    (sopt->max_entry_bytes && (uint64_t)item->size > sopt->max_entry_bytes) ||
	    (sopt->max_total_bytes && (uint64_t)item->size > sopt->max_total_bytes))
		return 0;
	sp = calloc(1, sizeof *sp);
	if (sp == NULL)
		return -1;
	pthread_mutex_init(&sp->lock, NULL);
	pthread_cond_init(&sp->folded, NULL);
	sp->fd = open(item->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (sp->fd < 0 || fstat(sp->fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size / 2 < range_bytes ||
	    (sopt->max_entry_bytes &&
	    (uint64_t)st.st_size > sopt->max_entry_bytes / 2) ||
	    (sopt->max_total_bytes &&
	    (uint64_t)st.st_size > sopt->max_total_bytes / 2))
		goto whole;
	head = malloc(SOURCE_BLOCK);
	if (head == NULL) {
		rc = -1;
		goto whole;
	}
	got = pread_full(sp->fd, head, SOURCE_BLOCK, 0);
	if (got <= 0)
		goto whole;
	sp->e.machine = item->machine;
	sp->e.path = item->display;
	sp->e.name = last_component(item->display);
	sp->e.mtime = ml_time_from_sec((int64_t)st.st_mtim.tv_sec,
	    st.st_mtim.tv_nsec);
	sp->e.mtime_bad = sp->e.mtime == ML_TIME_NONE;
	sp->e.size = (int64_t)st.st_size;
	sp->e.depth = 0;
	sp->e.input_index = item->input_index;
	analysis_sniff(sp->e.name, head, (size_t)got, &kind, &sp->enc, &bom);
	if (kind != INPUT_ERRLOG || sp->enc == TEXT_BINARY ||
	    source_file_is_plain(item->path) != 1)
		goto whole;
	want = (size_t)((uint64_t)st.st_size / range_bytes);
	if (plan_cuts(sp, bom, (uint64_t)st.st_size, want, aopt->max_line) != 0) {
		rc = -1;
		goto whole;
	}
	if (sp->n < 2)
		goto whole;
	sp->part = calloc(sp->n, sizeof *sp->part);
	sp->r = calloc(sp->n, sizeof *sp->r);
	sp->join = analysis_join_new();
	if (sp->part == NULL || sp->r == NULL || sp->join == NULL) {
		rc = -1;
		goto whole;
	}
	free(head);
	*out = sp;
	return 0;
whole:
	free(head);
	split_free(sp);
	return rc;
}

size_t
split_ranges(const struct split *sp)
{
	return sp->n;
}

uint64_t
split_range_start(const struct split *sp, size_t k)
{
	return sp->cut[k];
}

/* The range being read, for its template questions. */
struct asker {
	struct split *sp;
	size_t k;
	int ready;		/* ranges 0 .. k-1 are folded */
};

static int
kept_before(void *arg, const char *machine, const char *text)
{
	struct asker *q = arg;
	struct split *sp = q->sp;

	if (!q->ready) {
		pthread_mutex_lock(&sp->lock);
		while (sp->next < q->k && !sp->failed)
			pthread_cond_wait(&sp->folded, &sp->lock);
		q->ready = !sp->failed;
		pthread_mutex_unlock(&sp->lock);
		if (!q->ready)
			return 0;	/* the run is failing anyway */
	}
	/* No fold touches the join until this range is in. */
	return analysis_join_kept(sp->join, machine, text);
}

int
split_read(struct split *sp, size_t k, struct analysis *a)
{
	struct source_stream *s = source_range_new(sp->fd, sp->cut[k],
	    sp->cut[k + 1]);
	struct asker q = { sp, k, k == 0 };
	struct analysis_range r;
	struct summary *part = NULL;
	int rc = -1;

	pthread_mutex_lock(&sp->lock);
	while (k >= sp->next + AHEAD_MAX && !sp->failed)
		pthread_cond_wait(&sp->folded, &sp->lock);
	pthread_mutex_unlock(&sp->lock);
	memset(&r, 0, sizeof r);
	r.enc = sp->enc;
	r.kept = kept_before;
	r.arg = &q;
	if (s != NULL)
		part = analysis_read_range(a, &sp->e, s, &r);
	source_range_free(s);
	if (k == 0)
		r.bytes += sp->cut[0];		/* the byte order mark */
	pthread_mutex_lock(&sp->lock);
	if (part != NULL) {
		sp->part[k] = part;
		sp->r[k] = r;
		rc = 0;
		while (sp->next < sp->n && sp->part[sp->next] != NULL) {
			struct analysis_range *rn = &sp->r[sp->next];

			if (analysis_join_add(sp->join, sp->part[sp->next],
			    rn) != 0)
				sp->failed = 1;
			analysis_range_release(rn);
			sp->part[sp->next++] = NULL;
		}
	} else {
		analysis_range_release(&r);
		sp->failed = 1;
	}
	rc = rc == 0 && !sp->failed ? 0 : -1;
	pthread_cond_broadcast(&sp->folded);
	pthread_mutex_unlock(&sp->lock);
	return rc;
}

int
split_join(struct split *sp, struct analysis *a)
{
	if (sp->failed || sp->next < sp->n)
		return -1;
	return analysis_join_end(a, &sp->e, sp->join);
}

void
split_free(struct split *sp)
{
	size_t k;

	if (sp == NULL)
		return;
	if (sp->fd >= 0)
		close(sp->fd);
	for (k = 0; sp->part != NULL && k < sp->n; k++)
		summary_free(sp->part[k]);
	for (k = 0; sp->r != NULL && k < sp->n; k++)
		analysis_range_release(&sp->r[k]);
	analysis_join_free(sp->join);
	pthread_cond_destroy(&sp->folded);
	pthread_mutex_destroy(&sp->lock);
	free(sp->part);
	free(sp->r);
	free(sp->cut);
	free(sp);
}
