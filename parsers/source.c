/* SPDX-License-Identifier: MIT */
/*
 * source.c -- walk the inputs and hand out every file as a byte stream.
 *
 * Two halves.  source_expand() walks folders with stat(2) and readdir(3)
 * and lists the files (names sorted bytewise; directories remembered by
 * (dev, ino) so a symlink back up the tree is reported, not followed).
 * source_walk_item() reads one file: libarchive bids on its content, and
 * an archive is walked entry by entry, every entry being offered to
 * libarchive again, so archives nested in archives are read as streams
 * from their parent entry and nothing is ever written to disk.
 *
 * Probing.  Finding out whether bytes are an archive consumes them, and a
 * stream (stdin, an archive entry) cannot be rewound.  So while libarchive
 * bids, every block handed to it is also copied into a hold buffer; if no
 * format wins, the hold is handed out again first, then the stream goes
 * on.  Bidders look at the first few KiB, so the hold is about one block.
 * A disk file is peeked with one read(2) instead and opened by name, so
 * that zip can use its central directory.  Plain (uncompressed) bytes are
 * never an archive: the raw format is only tried when a compression filter
 * was recognised, which makes foo.log.gz one entry named foo.log.  The
 * first header is read while still holding: an "archive" without a single
 * entry is taken as plain bytes, because libarchive's tar reader accepts
 * any file that starts with two zero blocks (a NUL-filled log).
 *
 * Names: libarchive converts entry names to the current locale's charset
 * (7z and Unicode zip names are UTF-16 or UTF-8 inside), and in the C
 * locale a non-ASCII name is lost.  A walk therefore runs with the
 * thread's LC_CTYPE set to C.UTF-8 (uselocale: per thread, nothing
 * global changes), so names always come out as UTF-8; callbacks run in
 * the caller's own locale.
 *
 * Memory per open archive layer: the libarchive reader and one hold
 * buffer; plus one 1 MiB read buffer per walk.  Entry data is passed on
 * in libarchive's own blocks (archive_read_data_block), never copied.
 *
 * Limits are counted where bytes come out: per entry and per item in
 * source_stream_read(), the expansion ratio in layer_pull() for every
 * layer, against both the layer's own input and the disk bytes below all
 * layers, so nesting cannot multiply ratios.
 */
#include "parsers/source.h"
#include "parsers/decode.h"
#include "parsers/record.h"
#include "reports/text.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* SOURCE_BLOCK (source.h), the read(2) size and libarchive block: 64 KiB
 * stays in L2 cache between the kernel's copy and the parser's pass over
 * it; 1 MiB reads cost about a third more CPU time on UTF-8 errlogs
 * (measured with perf stat). */
#define SOURCE_RATIO_FLOOR ((uint64_t)64 << 20)	/* ratio applies above this */
#define SOURCE_NAME_MAX 4096	/* bytes of an entry name kept */
#define SOURCE_ERRLEN 256
#define SOURCE_MAX_FAILED 16	/* ARCHIVE_FAILED headers in a row: give up */

/* Growable byte string, always NUL-terminated when p != NULL. */
struct sbuf {
	char *p;
	size_t len, cap;
};

static int
sbuf_add(struct sbuf *b, const void *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;

		while (cap < b->len + n + 1)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

static int
sbuf_set(struct sbuf *b, const char *s, size_t n)
{
	b->len = 0;
	return sbuf_add(b, s, n);
}

/*
 * Thread-safe errno text.  strerror_r is the XSI one (int) under plain
 * POSIX flags and the GNU one (char *) under _GNU_SOURCE; the build may
 * use either, so the result's type picks the reading.
 */
static const char *
strerror_xsi(int r, char *buf)
{
	return r == 0 ? buf : NULL;
}

static const char *
strerror_gnu(const char *r, char *buf)
{
	(void)buf;
	return r;
}

#define STRERROR_TEXT(r, buf) \
	_Generic((r), char *: strerror_gnu, default: strerror_xsi)((r), (buf))

static const char *
errno_text(int e, char *buf, size_t len)
{
	const char *s = STRERROR_TEXT(strerror_r(e, buf, len), buf);

	if (!s || !*s) {
		snprintf(buf, len, "error %d", e);
		s = buf;
	}
	return s;
}

/* "16 GiB", "1 MiB", "1000 bytes": the largest exact unit. */
static void
size_text(uint64_t n, char *buf, size_t len)
{
	static const char *const unit[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
	size_t u = 0;

	while (u < 4 && n >= 1024 && n % 1024 == 0) {
		n /= 1024;
		u++;
	}
	snprintf(buf, len, "%llu %s", (unsigned long long)n, unit[u]);
}

static int
is_sep(char c)
{
	return c == '/' || c == '\\';
}

/* Last component of a path (an entry name may use either separator). */
static const char *
base_name(const char *p)
{
	const char *b = p;

	for (; *p; p++)
		if (is_sep(*p) && p[1])
			b = p + 1;
	return b;
}

/* Length of a file name without all its extensions ("fs01.tar.gz" ->
 * "fs01"); a leading dot does not start an extension. */
static size_t
name_stem_len(const char *s, size_t n)
{
	const char *dot = n > 1 ? memchr(s + 1, '.', n - 1) : NULL;

	return dot ? (size_t)(dot - s) : n;
}

/* Folder names that say nothing about the server: the agent's install
 * path, its log folder, and what people call a bundle. */
static const char *const generic_names[] = {
	"temp", "tmp", "logs", "log", "errlogs", "mars",
	"microsoft azure recovery services agent", "program files",
	"microsoft azure backup server", "dpm", "c", "c$", "bundle",
	"logs-bundle",
};

static int
name_is_generic(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof generic_names / sizeof generic_names[0]; i++)
		if (strlen(generic_names[i]) == n &&
		    strncasecmp(generic_names[i], s, n) == 0)
			return 1;
	return 0;
}

/* Would the name show as nothing on a terminal (only zero-width, bidi,
 * control or space characters)?  Such a name is no name: the fallback is
 * used instead of a blank machine. */
static int
name_is_invisible(const char *s, size_t n)
{
	struct text_buf b = TEXT_BUF_INIT;
	int r;

	text_buf_add_clean(&b, s, n);
	r = !b.oom && b.len == 0;
	text_buf_release(&b);
	return r;
}

/*
 * The machine a path below an input names: its first component when that
 * is a folder (a separator follows) or, with `archive` set, the archive
 * the path itself is (without extensions), unless the name is generic.
 * Empty, "." and ".." components are passed over.  Returns `fallback` or
 * the name copied into `buf`; NULL on OOM.
 */
static const char *
machine_pick(struct sbuf *buf, const char *rel, int archive,
    const char *fallback)
{
	const char *c = rel;
	size_t n;

	for (;;) {
		while (is_sep(*c))
			c++;
		for (n = 0; c[n] && !is_sep(c[n]); n++)
			;
		if (n == 0)
			return fallback;
		if (!((n == 1 && c[0] == '.') ||
		    (n == 2 && c[0] == '.' && c[1] == '.')))
			break;
		c += n;
	}
	if (!c[n]) {
		/* the path's last component: the file itself */
		if (!archive)
			return fallback;
		n = name_stem_len(c, n);
	} else {
		const char *rest = c + n;

		while (is_sep(*rest))
			rest++;
		if (!*rest && !archive)
			return fallback;
	}
	if (name_is_generic(c, n) || name_is_invisible(c, n))
		return fallback;
	if (sbuf_set(buf, c, n) < 0)
		return NULL;
	return buf->p;
}

void
source_options_init(struct source_options *o)
{
	o->machine = NULL;
	o->max_depth = 4;
	o->max_entry_bytes = (uint64_t)16 << 30;
	o->max_total_bytes = (uint64_t)64 << 30;
	o->max_ratio = 1000;
}

/* ------------------------------------------------------------ reading */

struct walk;
struct layer;

/* The bytes below an archive being probed or read, or of a plain file. */
struct src {
	struct layer *parent;	/* reads the parent archive's current entry */
	int fd;			/* else reads this descriptor into buf */
	char *buf;		/* SOURCE_BLOCK bytes, borrowed from the walk */
	struct sbuf *hold;	/* where a probe keeps what it was handed */
	int holding;		/* a probe is running: copy into hold */
	const char *pre;	/* handed out before anything new is read */
	size_t pre_len;
	int failed;		/* sticky: err says why */
	int ended;		/* sticky end of data */
	char err[SOURCE_ERRLEN];
};

/* One open archive (or compressed single file). */
struct layer {
	struct walk *w;
	struct archive *a;
	struct layer *parent;	/* NULL for the outermost */
	struct src src;		/* what `a` reads, unless opened by file name */
	int depth;		/* nesting level of its entries, 1 = outermost */
	int raw;		/* a compressed single file, not a container */
	int seekable;		/* opened by name with the seekable zip reader */
	char *path;		/* display path of the archive */
	char *machine;		/* machine of its entries; NULL: pick per entry */
	const char *fallback;	/* for machine_pick when machine is NULL */
	char *rawname;		/* raw: the entry name */
	int64_t mtime;		/* raw: mtime of the file around the stream */
	uint64_t produced;	/* entry bytes read from it */
	unsigned long entries;	/* headers read */
	struct sbuf hold;	/* probe hold for its entries */
	/* the current entry */
	int64_t off;		/* next offset expected */
	const void *pend;	/* block waiting behind a hole */
	size_t pend_len;
	int64_t pend_off;
	int failed;		/* its data failed: err says why */
	/* the archive */
	int dead;		/* a fatal error: no more entries */
	int stop;		/* a limit stopped it: err says which */
	const char *damage;	/* seekable reader's error before a retry */
	struct archive_entry *first;	/* first header, read by the probe */
	int first_r;		/* its status */
	int has_first;		/* first is waiting for layer_walk */
	char err[SOURCE_ERRLEN];
};

struct walk {
	const struct source_options *opt;
	const struct source_callbacks *cb;
	void *arg;
	const struct source_item *item;
	struct layer *top;	/* outermost archive: disk bytes for the ratio */
	int archive;		/* the item was an archive */
	char *buf;		/* SOURCE_BLOCK read(2) buffer */
	struct sbuf hold;	/* stdin probe hold */
	struct sbuf path;	/* display path of the current entry */
	struct sbuf name;	/* its name made UTF-8, when it was not */
	struct sbuf mach;	/* machine picked for the current entry */
	uint64_t total;		/* entry bytes handed out for this item */
	int stop;		/* the per-item limit was reached */
	int ret;		/* non-zero: stop and return this */
	locale_t utf8;		/* the walk's locale, or 0 */
	locale_t caller;	/* the caller's, for the callbacks */
};

/* The bytes of a byte-range stream (source_range_new). */
struct range {
	int fd;
	uint64_t off, end;
	char buf[SOURCE_BLOCK];
};

struct source_stream {
	struct walk *w;
	struct src *src;
	struct range *range;	/* a byte range: w and src are NULL */
	uint64_t n;		/* bytes handed out */
	int state;		/* 0 reading, 1 ended, -1 failed */
	int cut;		/* a limit cut the last chunk: fail next */
	char err[SOURCE_ERRLEN];
};

static const char source_zeros[65536];	/* sparse holes */

static const char *
archive_message(struct archive *a)
{
	const char *s = archive_error_string(a);

	return s && *s ? s : "unknown libarchive error";
}

/* Does `L` produce more than max_ratio times what it read, or than the
 * disk bytes below the outermost layer? */
static int
layer_over_ratio(const struct layer *L)
{
	uint64_t ratio = L->w->opt->max_ratio;
	uint64_t in, disk;

	if (!ratio || L->produced <= SOURCE_RATIO_FLOOR)
		return 0;
	in = (uint64_t)archive_filter_bytes(L->a, -1);
	disk = (uint64_t)archive_filter_bytes(L->w->top->a, -1);
	return L->produced / ratio > in || L->produced / ratio > disk;
}

/* Next chunk of the current entry of `L`.  Holes of sparse entries come
 * out as zeros.  Errors are sticky until the next entry. */
static int
layer_pull(struct layer *L, const void **buf, size_t *len)
{
	size_t n;

	if (L->failed)
		return -1;
	while (L->pend_len == 0) {
		const void *b;
		size_t bn;
		la_int64_t off;
		int r = archive_read_data_block(L->a, &b, &bn, &off);

		if (r == ARCHIVE_EOF)
			return 0;
		if (r != ARCHIVE_OK) {
			/* ARCHIVE_WARN too: the zip reader reports a bad
			 * CRC that way, with the last block */
			L->failed = 1;
			L->dead = r == ARCHIVE_FATAL;
			snprintf(L->err, sizeof L->err, "%s",
			    archive_message(L->a));
			return -1;
		}
		L->pend = b;
		L->pend_len = bn;
		L->pend_off = off;
	}
	if (L->pend_off > L->off) {
		uint64_t gap = (uint64_t)(L->pend_off - L->off);

		n = gap < sizeof source_zeros ? (size_t)gap : sizeof source_zeros;
		*buf = source_zeros;
	} else {
		n = L->pend_len;
		*buf = L->pend;
		L->pend_len = 0;
	}
	L->off += (int64_t)n;
	L->produced += n;
	if (layer_over_ratio(L)) {
		L->failed = L->stop = 1;
		snprintf(L->err, sizeof L->err,
		    "stopped at the %ux expansion ratio limit",
		    L->w->opt->max_ratio);
		return -1;
	}
	*len = n;
	return 1;
}

static int
src_pull(struct src *s, const void **buf, size_t *len)
{
	int r;

	if (s->pre_len) {
		/* replayed bytes are in the hold already; they are good
		 * even if the pull after them failed */
		*buf = s->pre;
		*len = s->pre_len;
		s->pre_len = 0;
		return 1;
	}
	if (s->failed)
		return -1;
	if (s->ended)
		return 0;
	if (s->parent) {
		r = layer_pull(s->parent, buf, len);
		if (r < 0) {
			s->failed = 1;
			memcpy(s->err, s->parent->err, sizeof s->err);
		}
	} else {
		ssize_t n;

		do
			n = read(s->fd, s->buf, SOURCE_BLOCK);
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			char e[128];

			s->failed = 1;
			snprintf(s->err, sizeof s->err, "cannot read: %s",
			    errno_text(errno, e, sizeof e));
			return -1;
		}
		*buf = s->buf;
		*len = (size_t)n;
		r = n > 0;
	}
	if (r == 0)
		s->ended = 1;
	if (r > 0 && s->holding && sbuf_add(s->hold, *buf, *len) < 0) {
		s->failed = 1;
		snprintf(s->err, sizeof s->err, "out of memory");
		return -1;
	}
	return r;
}

static la_ssize_t
src_read_cb(struct archive *a, void *arg, const void **buf)
{
	struct src *s = arg;
	size_t n;
	int r = src_pull(s, buf, &n);

	if (r < 0) {
		archive_set_error(a, EIO, "%s", s->err);
		return -1;
	}
	return r ? (la_ssize_t)n : 0;
}

enum reader_mode {
	READER_SEEKABLE,	/* a disk file: zip may use its central directory */
	READER_STREAM,		/* a stream, or a damaged zip read front to back */
	READER_RAW		/* a compressed single file */
};

/*
 * The formats are listed, not "all": mtree and the empty format would
 * take plain text and empty files for archives.  The filters are the
 * library ones; filters that would run an external program are left out.
 */
static struct archive *
reader_new(enum reader_mode mode)
{
	struct archive *a = archive_read_new();

	if (!a)
		return NULL;
	(void)archive_read_support_filter_gzip(a);
	(void)archive_read_support_filter_bzip2(a);
	(void)archive_read_support_filter_xz(a);
	(void)archive_read_support_filter_lzma(a);
	(void)archive_read_support_filter_zstd(a);
	(void)archive_read_support_filter_lz4(a);
	(void)archive_read_support_filter_lzip(a);
	(void)archive_read_support_filter_compress(a);
	if (mode == READER_RAW) {
		(void)archive_read_support_format_raw(a);
		return a;
	}
	if (mode == READER_SEEKABLE)
		(void)archive_read_support_format_zip(a);
	else
		(void)archive_read_support_format_zip_streamable(a);
	(void)archive_read_support_format_tar(a);
	(void)archive_read_support_format_7zip(a);
	(void)archive_read_support_format_cpio(a);
	(void)archive_read_support_format_iso9660(a);
	(void)archive_read_support_format_rar(a);
	(void)archive_read_support_format_rar5(a);
	(void)archive_read_support_format_cab(a);
	return a;
}

/* After archive_read_open returned `r` and no entry was found: were the
 * bytes compressed (a filter besides "none" recognised) but not a
 * container?  A failed open keeps its filters for this question. */
static int
reader_saw_filter(struct archive *a, int r)
{
	return (r == ARCHIVE_OK || archive_errno(a) == EILSEQ) &&
	    archive_filter_count(a) > 1;
}

/*
 * Reads the first header of a just opened archive into L->first.  Returns
 * 0, or -1 when the archive has no entry at all (it is taken as plain).
 */
static int
reader_first(struct archive *a, struct layer *L)
{
	int r = archive_read_next_header(a, &L->first);

	if (r == ARCHIVE_EOF)
		return -1;
	L->first_r = r;
	L->has_first = 1;
	return 0;
}

/*
 * Is the stream in `s` an archive?  Returns the open reader, its first
 * header in L->first (*raw set for a compressed single file), or NULL:
 * then `s` hands out everything the probe consumed again before reading
 * on.
 */
static struct archive *
probe(struct src *s, struct layer *L, int *raw)
{
	struct archive *a;
	int compressed = 0, r;

	s->hold->len = 0;
	s->holding = 1;
	a = reader_new(READER_STREAM);
	if (a) {
		r = archive_read_open(a, s, NULL, src_read_cb, NULL);
		if (r == ARCHIVE_OK && reader_first(a, L) == 0) {
			*raw = 0;
			goto out;
		}
		compressed = !s->failed && reader_saw_filter(a, r);
	}
	archive_read_free(a);
	a = NULL;
	if (compressed) {
		s->pre = s->hold->p;
		s->pre_len = s->hold->len;
		a = reader_new(READER_RAW);
		if (a && archive_read_open(a, s, NULL, src_read_cb, NULL) ==
		    ARCHIVE_OK && archive_filter_count(a) > 1 &&
		    reader_first(a, L) == 0) {
			*raw = 1;
			goto out;
		}
		archive_read_free(a);
		a = NULL;
	}
	s->pre = s->hold->p;
	s->pre_len = s->hold->len;
out:
	s->holding = 0;
	return a;
}

static void
layer_release(struct layer *L)
{
	archive_read_free(L->a);
	free(L->path);
	free(L->machine);
	free(L->rawname);
	free(L->hold.p);
}

/* The entry name of a compressed single file: its own name without the
 * last extension ("CBEngineCurr.errlog.gz" -> "CBEngineCurr.errlog"). */
static char *
raw_name(const char *path)
{
	const char *b = path, *dot, *p;

	for (p = path; *p; p++)
		if (*p == '!' || is_sep(*p))
			b = p + 1;
	if (strcmp(b, "-") == 0)
		return strdup("stdin");
	dot = strrchr(b, '.');
	if (!dot || dot == b)
		return strdup(b);
	return strndup(b, (size_t)(dot - b));
}

/* Callbacks run in the caller's locale, libarchive in C.UTF-8. */
static void
walk_locale(const struct walk *w, int callback)
{
	if (w->utf8)
		uselocale(callback ? w->caller : w->utf8);
}

static int
walk_skip(struct walk *w, const struct source_entry *e, enum source_skip kind,
    const char *why)
{
	int r = 0;

	if (w->cb->skip) {
		walk_locale(w, 1);
		r = w->cb->skip(w->arg, e, kind, why);
		walk_locale(w, 0);
	}
	if (r && !w->ret)
		w->ret = r;
	return r;
}

static void
walk_oom(struct walk *w)
{
	if (!w->ret)
		w->ret = -1;
}

/* An entry describing archive `L` itself, for its skips. */
static void
layer_entry(const struct layer *L, struct source_entry *e)
{
	e->machine = L->machine ? L->machine : L->fallback;
	e->path = L->path;
	e->name = base_name(L->path);
	e->mtime = ML_TIME_NONE;
	e->mtime_bad = 0;
	e->size = -1;
	e->depth = L->depth - 1;
	e->input_index = L->w->item->input_index;
}

enum { LAYER_DONE, LAYER_RETRY };

/* Says what happened to an archive that ended: a limit, damage, or an
 * encrypted rest.  Returns LAYER_RETRY when a seekable zip failed before
 * its first entry (read it front to back instead). */
static int
layer_end(struct walk *w, struct layer *L)
{
	struct source_entry e;
	char why[2 * SOURCE_ERRLEN];
	enum source_skip kind = SOURCE_SKIP_CORRUPT;

	if (w->ret || w->stop)
		return LAYER_DONE;
	layer_entry(L, &e);
	if (L->stop) {
		snprintf(why, sizeof why, "%s after %lu entries", L->err,
		    L->entries);
		walk_skip(w, &e, SOURCE_SKIP_LIMIT, why);
		return LAYER_DONE;
	}
	if (!L->dead) {
		if (L->damage) {
			snprintf(why, sizeof why,
			    "archive is damaged after %lu entries: %s",
			    L->entries, L->damage);
			walk_skip(w, &e, SOURCE_SKIP_CORRUPT, why);
		}
		return LAYER_DONE;
	}
	/* a limit in the archive around it: that one reports */
	if (L->parent && L->parent->stop)
		return LAYER_DONE;
	if (L->entries == 0 && L->seekable &&
	    (archive_format(L->a) & ARCHIVE_FORMAT_BASE_MASK) ==
	    ARCHIVE_FORMAT_ZIP)
		return LAYER_RETRY;
	if (L->a && archive_read_has_encrypted_entries(L->a) > 0) {
		kind = SOURCE_SKIP_ENCRYPTED;
		snprintf(why, sizeof why, "archive cannot be read past %lu "
		    "entries without its password: %s", L->entries, L->err);
	} else if (L->damage) {
		snprintf(why, sizeof why,
		    "archive is damaged after %lu entries: %s (%s)",
		    L->entries, L->err, L->damage);
	} else {
		snprintf(why, sizeof why,
		    "archive is damaged after %lu entries: %s", L->entries,
		    L->err);
	}
	walk_skip(w, &e, kind, why);
	return LAYER_DONE;
}

static int layer_walk(struct walk *w, struct layer *L);

/* Hands a plain stream to the entry callback. */
static void
walk_stream(struct walk *w, const struct source_entry *e, struct src *src)
{
	struct source_stream s;
	int r;

	memset(&s, 0, sizeof s);
	s.w = w;
	s.src = src;
	walk_locale(w, 1);
	r = w->cb->entry ? w->cb->entry(w->arg, e, &s) : 0;
	walk_locale(w, 0);
	if (r && !w->ret)
		w->ret = r;
}

/* Walks archive `C`, just probed from entry `e` of `L`. */
static void
walk_nested(struct walk *w, struct layer *L, struct layer *C,
    const struct source_entry *e, const char *inner, int raw)
{
	const char *m = L->machine;
	char why[64];

	C->w = w;
	C->parent = L;
	C->depth = L->depth + 1;
	C->raw = raw;
	C->mtime = e->mtime;
	if (!m) {
		/* a compressed single file is not a container: it does
		 * not name a machine */
		m = machine_pick(&w->mach, inner, !raw, L->fallback);
		if (!m) {
			walk_oom(w);
			goto out;
		}
	}
	if (C->depth > w->opt->max_depth) {
		struct source_entry d = *e;

		d.machine = m;
		snprintf(why, sizeof why, "archive nested deeper than %d levels",
		    w->opt->max_depth);
		walk_skip(w, &d, SOURCE_SKIP_DEPTH, why);
		goto out;
	}
	C->path = strdup(e->path);
	C->machine = strdup(m);
	C->rawname = raw ? raw_name(e->path) : NULL;
	if (!C->path || !C->machine || (raw && !C->rawname)) {
		walk_oom(w);
		goto out;
	}
	layer_walk(w, C);
out:
	layer_release(C);
}

/* The entry's time, or `fallback` when it has none; a time outside
 * 1970-9999 (record.h) is unknown and sets *bad. */
static int64_t
entry_mtime(struct archive_entry *ae, int64_t fallback, int *bad)
{
	int64_t t;

	*bad = 0;
	if (!archive_entry_mtime_is_set(ae))
		return fallback;
	t = ml_time_from_sec((int64_t)archive_entry_mtime(ae),
	    archive_entry_mtime_nsec(ae));
	*bad = t == ML_TIME_NONE;
	return t;
}

/* The entry's name as UTF-8.  A name libarchive cannot convert (raw
 * bytes of an unknown charset) keeps its valid UTF-8 and reads the other
 * bytes as cp1252, like the text of a log.  NULL on OOM. */
static const char *
entry_pathname(struct walk *w, struct archive_entry *ae)
{
	const char *p = archive_entry_pathname_utf8(ae);
	uint64_t bad = 0;
	size_t len, n;
	char *scratch;
	int r;

	if (!p)
		p = archive_entry_pathname(ae);
	if (!p || !*p)
		return "(no name)";
	len = strlen(p);
	if (len > SOURCE_NAME_MAX) {
		/* kept whole characters and a mark that it was cut */
		len = SOURCE_NAME_MAX;
		while (len > 0 && ((unsigned char)p[len] & 0xC0) == 0x80)
			len--;
		if (sbuf_set(&w->name, p, len) < 0 ||
		    sbuf_add(&w->name, "\xe2\x80\xa6", 3) < 0)
			return NULL;
		p = w->name.p;
		len = w->name.len;
	}
	if (utf8_valid(p, len))
		return p;
	scratch = malloc(3 * len);
	if (!scratch)
		return NULL;
	p = text_line_to_utf8(TEXT_UTF8, p, len, scratch, &n, &bad);
	r = p == w->name.p ? 0 : sbuf_set(&w->name, p, n);
	free(scratch);
	return r < 0 ? NULL : w->name.p;
}

/*
 * Can libarchive get past the rest of the current entry of `L` without
 * decompressing it?  Only when the archive stream itself is not
 * compressed and the format stores entries one after the other (tar,
 * cpio, iso9660: a seek or a read of raw bytes, which the layer below
 * counts) or is a zip opened by name (its directory gives the next
 * offset).  Everything else -- tar.gz, tar.bz2, 7z, rar, cab, a zip read
 * as a stream, a compressed single file -- decompresses to skip.
 */
static int
layer_skip_cheap(const struct layer *L)
{
	int fmt = archive_format(L->a) & ARCHIVE_FORMAT_BASE_MASK;

	if (L->raw || archive_filter_count(L->a) > 1)
		return 0;
	switch (fmt) {
	case ARCHIVE_FORMAT_TAR:
	case ARCHIVE_FORMAT_CPIO:
	case ARCHIVE_FORMAT_ISO9660:
		return 1;
	case ARCHIVE_FORMAT_ZIP:
		return L->seekable;
	default:
		return 0;
	}
}

/*
 * What the entry's reader left of the current entry of `L`, when skipping
 * it would decompress it: read here instead, so that every decompressed
 * byte counts against the limits (the per-item total and the expansion
 * ratio in layer_pull).  A limit reached here abandons the archive: the
 * rest of it cannot be reached without decompressing more (one warning,
 * from layer_end or source_walk_item).
 */
static void
layer_drain(struct walk *w, struct layer *L)
{
	const struct source_options *o = w->opt;
	const void *buf;
	size_t len;
	int r;

	if (w->ret || w->stop || L->stop || L->failed || layer_skip_cheap(L))
		return;
	while ((r = layer_pull(L, &buf, &len)) > 0) {
		if (o->max_total_bytes && len > o->max_total_bytes - w->total) {
			w->total = o->max_total_bytes;
			w->stop = 1;
			return;
		}
		w->total += len;
		if (o->max_entry_bytes && (uint64_t)L->off > o->max_entry_bytes) {
			char lim[32];

			size_text(o->max_entry_bytes, lim, sizeof lim);
			L->failed = L->stop = 1;
			snprintf(L->err, sizeof L->err, "stopped: entry %lu "
			    "cannot be skipped without decompressing more "
			    "than the %s per-entry limit", L->entries, lim);
			return;
		}
	}
}

/* One entry of archive `L`: skipped, walked as an archive, or streamed. */
static void
entry_walk(struct walk *w, struct layer *L, struct archive_entry *ae)
{
	struct layer C;
	struct source_entry e;
	const char *inner;
	unsigned type = archive_entry_filetype(ae);
	int raw = 0;

	/* folders and tar hard links carry no bytes of their own (a cpio
	 * hard link may carry the data: only empty ones go); a symlink is
	 * reported below, never followed */
	if (type == AE_IFDIR ||
	    (archive_entry_hardlink(ae) && (!archive_entry_size_is_set(ae) ||
	    archive_entry_size(ae) == 0)))
		return;
	inner = L->raw ? L->rawname : entry_pathname(w, ae);
	if (!inner || sbuf_set(&w->path, L->path, strlen(L->path)) < 0 ||
	    sbuf_add(&w->path, "!", 1) < 0 ||
	    sbuf_add(&w->path, inner, strlen(inner)) < 0) {
		walk_oom(w);
		return;
	}
	e.machine = L->machine ? L->machine :
	    machine_pick(&w->mach, inner, 0, L->fallback);
	if (!e.machine) {
		walk_oom(w);
		return;
	}
	e.path = w->path.p;
	e.name = base_name(inner);
	e.mtime = entry_mtime(ae, L->raw ? L->mtime : ML_TIME_NONE,
	    &e.mtime_bad);
	e.size = archive_entry_size_is_set(ae) ? archive_entry_size(ae) : -1;
	e.depth = L->depth;
	e.input_index = w->item->input_index;
	if (type == AE_IFLNK) {
		walk_skip(w, &e, SOURCE_SKIP_SPECIAL,
		    "symbolic link, not followed");
		return;
	}
	if (type != 0 && type != AE_IFREG) {
		walk_skip(w, &e, SOURCE_SKIP_SPECIAL, "not a regular file");
		return;
	}
	if (archive_entry_is_encrypted(ae)) {
		walk_skip(w, &e, SOURCE_SKIP_ENCRYPTED, "entry is encrypted");
		return;
	}
	L->off = 0;
	L->pend_len = 0;
	L->failed = 0;
	memset(&C, 0, sizeof C);
	C.src.parent = L;
	C.src.hold = &L->hold;
	if (e.size != 0) {
		C.a = probe(&C.src, &C, &raw);
		if (C.a) {
			walk_nested(w, L, &C, &e, inner, raw);
			layer_drain(w, L);
			return;
		}
	}
	walk_stream(w, &e, &C.src);
	layer_drain(w, L);
}

static int
layer_walk(struct walk *w, struct layer *L)
{
	struct archive_entry *ae;
	unsigned failed = 0;

	/* 7z keeps its directory at the end and libarchive seeks back to
	 * the data: from a stream it may list an entry but never read it */
	if (!L->seekable && (archive_format(L->a) & ARCHIVE_FORMAT_BASE_MASK) ==
	    ARCHIVE_FORMAT_7ZIP) {
		struct source_entry e;

		layer_entry(L, &e);
		walk_skip(w, &e, SOURCE_SKIP_UNREADABLE, "a 7z archive cannot "
		    "be read from a stream (libarchive needs to seek in it)");
		return LAYER_DONE;
	}
	while (!w->ret && !w->stop && !L->stop) {
		int r = L->first_r;

		if (L->has_first) {
			ae = L->first;
			L->has_first = 0;
		} else {
			r = archive_read_next_header(L->a, &ae);
		}

		if (r == ARCHIVE_EOF)
			break;
		if (r == ARCHIVE_OK || r == ARCHIVE_WARN) {
			/* WARN: e.g. a name not convertible to the locale */
			failed = 0;
			L->entries++;
			entry_walk(w, L, ae);
			continue;
		}
		if (r == ARCHIVE_FATAL || ++failed > SOURCE_MAX_FAILED) {
			L->dead = 1;
			snprintf(L->err, sizeof L->err, "%s",
			    archive_message(L->a));
			break;
		}
		if (r == ARCHIVE_FAILED) {
			/* this entry is lost, the next may be fine */
			struct source_entry e;
			char why[SOURCE_ERRLEN + 32];

			L->entries++;
			layer_entry(L, &e);
			e.depth = L->depth;
			snprintf(why, sizeof why, "cannot read entry %lu: %s",
			    L->entries, archive_message(L->a));
			walk_skip(w, &e, SOURCE_SKIP_UNREADABLE, why);
		}
	}
	return layer_end(w, L);
}

/* Fills the fields an outermost layer needs; `a` is open. */
static int
layer_top(struct walk *w, struct layer *L, struct archive *a, int raw,
    int64_t mtime)
{
	const struct source_item *it = w->item;
	const char *m = it->machine;

	L->w = w;
	L->a = a;
	L->depth = 1;
	L->raw = raw;
	L->mtime = mtime;
	L->fallback = it->machine;
	L->path = strdup(it->display);
	if (!L->path)
		return -1;
	if (raw && !(L->rawname = raw_name(it->display)))
		return -1;
	if (!w->opt->machine && !raw && it->rel_depth == 0)
		return 0;	/* the first component of each entry */
	if (!w->opt->machine && !raw && it->rel_depth == 1) {
		m = machine_pick(&w->mach, base_name(it->display), 1,
		    it->machine);
		if (!m)
			return -1;
	}
	L->machine = strdup(m);
	return L->machine ? 0 : -1;
}

/* The outermost archive of an item: depth check, then the walk. */
static void
walk_top(struct walk *w, struct layer *L)
{
	struct source_entry e;
	char why[64];

	w->archive = 1;
	if (w->opt->max_depth < 1) {
		layer_entry(L, &e);
		snprintf(why, sizeof why, "archive nested deeper than %d levels",
		    w->opt->max_depth);
		walk_skip(w, &e, SOURCE_SKIP_DEPTH, why);
		return;
	}
	w->top = L;
	if (layer_walk(w, L) == LAYER_RETRY) {
		/* A zip whose central directory is missing or broken:
		 * read its local headers front to back, so the entries
		 * before the damage are not lost. */
		char damage[SOURCE_ERRLEN];

		memcpy(damage, L->err, sizeof damage);
		archive_read_free(L->a);
		L->entries = 0;
		L->dead = 0;
		L->seekable = 0;
		L->damage = damage;
		L->a = reader_new(READER_STREAM);
		if (!L->a) {
			walk_oom(w);
		} else if (archive_read_open_filename(L->a, w->item->path,
		    SOURCE_BLOCK) != ARCHIVE_OK) {
			/* a reader whose open failed must not be asked
			 * anything more (libarchive may crash) */
			archive_read_free(L->a);
			L->a = NULL;
			snprintf(L->err, sizeof L->err, "%s", damage);
			L->dead = 1;
			L->damage = NULL;
			layer_end(w, L);
		} else {
			layer_walk(w, L);
		}
		L->damage = NULL;
	}
	w->top = NULL;
}

/*
 * Open the disk file `path`, whose first `n` bytes are `head`, as an
 * archive if libarchive knows it: the reader with its first header in L
 * (*raw: a compressed single file; *streamed: a zip read front to back
 * because its central directory is damaged).  NULL if it is plain, or with
 * *oom set when memory ran out.
 */
static struct archive *
file_archive_open(const char *path, const char *head, size_t n,
    struct layer *L, int *raw, int *streamed, int *oom)
{
	struct archive *a = reader_new(READER_SEEKABLE);
	int r;

	*raw = *streamed = *oom = 0;
	if (!a) {
		*oom = 1;
		return NULL;
	}
	r = archive_read_open_filename(a, path, SOURCE_BLOCK);
	if (r == ARCHIVE_OK && reader_first(a, L) == 0)
		return a;
	if (!reader_saw_filter(a, r)) {
		archive_read_free(a);
		if (n < 4 || memcmp(head, "PK\003\004", 4) != 0)
			return NULL;
		/* The seekable reader does not even recognise a zip whose
		 * whole central directory is damaged: read its local headers
		 * front to back. */
		a = reader_new(READER_STREAM);
		if (a && archive_read_open_filename(a, path, SOURCE_BLOCK) ==
		    ARCHIVE_OK && reader_first(a, L) == 0) {
			*streamed = 1;
			return a;
		}
		archive_read_free(a);
		return NULL;
	}
	archive_read_free(a);
	a = reader_new(READER_RAW);
	if (!a) {
		*oom = 1;
		return NULL;
	}
	r = archive_read_open_filename(a, path, SOURCE_BLOCK);
	if (r != ARCHIVE_OK && archive_filter_count(a) > 1) {
		/* compressed, but libarchive gave up on it (a file
		 * compressed over and over passes its limit of filters):
		 * say so, rather than read the compressed bytes as text */
		snprintf(L->err, sizeof L->err, "compressed data that cannot "
		    "be opened: %s", archive_message(a));
		L->dead = 1;
		archive_read_free(a);
		return NULL;
	}
	if (r != ARCHIVE_OK || archive_filter_count(a) < 2 ||
	    reader_first(a, L) < 0) {
		archive_read_free(a);
		return NULL;
	}
	*raw = 1;
	return a;
}

/* A disk file already peeked (`n` bytes in w->buf): walked as an archive
 * if libarchive knows it.  Returns 1 if it was (or memory ran out), 0 if
 * it is plain. */
static void item_entry(const struct walk *w, struct source_entry *e,
    int64_t mtime, int64_t size);

/*
 * A zip whose first bytes are not its own (libarchive finds a zip by the
 * directory at its end, whatever is before it): a log with a zip appended,
 * or a self-extracting archive.  Those first bytes -- up to the first
 * local header -- are handed out as the file's own entry before the
 * archive's, so the log lines are not lost.  Memory: one block.
 */
static void
walk_zip_prefix(struct walk *w, int64_t mtime)
{
	static const char sig[4] = { 'P', 'K', 3, 4 };
	struct source_entry e;
	struct source_stream *s;
	uint64_t off = 0, at = UINT64_MAX;
	size_t keep = 0;
	ssize_t n;
	int fd = open(w->item->path, O_RDONLY | O_CLOEXEC), r = 0;

	if (fd < 0)
		return;
	/* w->buf holds the last 3 bytes of the previous block first, so a
	 * signature across two reads is found */
	while (at == UINT64_MAX && (n = read(fd, w->buf + keep,
	    SOURCE_BLOCK - keep)) > 0) {
		const char *hit = memmem(w->buf, keep + (size_t)n, sig, 4);

		if (hit)
			at = off - keep + (uint64_t)(hit - w->buf);
		off += (uint64_t)n;
		keep += (size_t)n;
		if (keep > 3) {
			memmove(w->buf, w->buf + keep - 3, 3);
			keep = 3;
		}
	}
	if (at == UINT64_MAX || at == 0)
		goto out;
	if (!(s = source_range_new(fd, 0, at))) {
		walk_oom(w);
		goto out;
	}
	item_entry(w, &e, mtime, (int64_t)at);
	walk_locale(w, 1);
	r = w->cb->entry ? w->cb->entry(w->arg, &e, s) : 0;
	walk_locale(w, 0);
	source_range_free(s);
	if (r && !w->ret)
		w->ret = r;
out:
	close(fd);
}

static int
walk_file_archive(struct walk *w, size_t n, int64_t mtime)
{
	struct layer L;
	struct archive *a;
	int raw, streamed, oom;

	memset(&L, 0, sizeof L);
	a = file_archive_open(w->item->path, w->buf, n, &L, &raw, &streamed,
	    &oom);
	if (!a) {
		if (oom)
			walk_oom(w);
		if (!oom && L.dead) {
			struct source_entry e;

			item_entry(w, &e, mtime, w->item->size);
			walk_skip(w, &e, SOURCE_SKIP_UNREADABLE, L.err);
			return 1;
		}
		return oom;
	}
	if (!raw && (n < 2 || memcmp(w->buf, "PK", 2) != 0) &&
	    (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) ==
	    ARCHIVE_FORMAT_ZIP)
		walk_zip_prefix(w, mtime);
	if (!w->ret && layer_top(w, &L, a, raw, mtime) < 0)
		walk_oom(w);
	else if (!w->ret) {
		L.seekable = !raw && !streamed;
		if (streamed)
			L.damage = "central directory missing or damaged";
		walk_top(w, &L);
	}
	layer_release(&L);
	return 1;
}

/* Kind of a file that is neither folder nor regular file. */
static const char *
special_text(mode_t m)
{
	if (S_ISFIFO(m))
		return "not a regular file: fifo";
	if (S_ISSOCK(m))
		return "not a regular file: socket";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "not a regular file: device";
	return "not a regular file";
}

/* ML_TIME_NONE for a time outside 1970-9999 (item_entry flags it). */
static int64_t
stat_mtime(const struct stat *st)
{
	return ml_time_from_sec((int64_t)st->st_mtim.tv_sec,
	    st->st_mtim.tv_nsec);
}

/* The entry of an item read as a plain file (or the item skipped). */
static void
item_entry(const struct walk *w, struct source_entry *e, int64_t mtime,
    int64_t size)
{
	e->machine = w->item->machine;
	e->path = w->item->display;
	e->name = base_name(w->item->display);
	e->mtime = mtime;
	e->mtime_bad = 0;
	e->size = size;
	e->depth = 0;
	e->input_index = w->item->input_index;
}

/* item_entry() for a file whose stat is `st`: its time, flagged when
 * outside 1970-9999. */
static void
item_entry_stat(const struct walk *w, struct source_entry *e,
    const struct stat *st, int64_t size)
{
	item_entry(w, e, stat_mtime(st), size);
	e->mtime_bad = e->mtime == ML_TIME_NONE;
}

static void
walk_file(struct walk *w)
{
	struct source_entry e;
	struct src s;
	struct stat st;
	char why[SOURCE_ERRLEN], et[128];
	ssize_t n;
	int fd, fl;

	item_entry(w, &e, ML_TIME_NONE, -1);
	/* O_NONBLOCK: a fifo put in place since the expand must not hang */
	fd = open(w->item->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		int err = errno;

		snprintf(why, sizeof why, "cannot open: %s",
		    errno_text(err, et, sizeof et));
		walk_skip(w, &e, err == ELOOP ? SOURCE_SKIP_LOOP :
		    SOURCE_SKIP_UNREADABLE, why);
		return;
	}
	if (fstat(fd, &st) != 0) {
		snprintf(why, sizeof why, "cannot stat: %s",
		    errno_text(errno, et, sizeof et));
		walk_skip(w, &e, SOURCE_SKIP_UNREADABLE, why);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		walk_skip(w, &e, SOURCE_SKIP_SPECIAL, special_text(st.st_mode));
		goto out;
	}
	fl = fcntl(fd, F_GETFL);
	if (fl != -1)
		(void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	item_entry_stat(w, &e, &st, (int64_t)st.st_size);
	do
		n = read(fd, w->buf, SOURCE_BLOCK);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		snprintf(why, sizeof why, "cannot read: %s",
		    errno_text(errno, et, sizeof et));
		walk_skip(w, &e, SOURCE_SKIP_UNREADABLE, why);
		goto out;
	}
	if (n > 0 && walk_file_archive(w, (size_t)n, e.mtime))
		goto out;
	/* plain: the peeked block is the first chunk */
	memset(&s, 0, sizeof s);
	s.fd = fd;
	s.buf = w->buf;
	s.pre = w->buf;
	s.pre_len = (size_t)n;
	s.ended = n == 0;
	walk_stream(w, &e, &s);
out:
	close(fd);
}

static void
walk_stdin(struct walk *w)
{
	struct source_entry e;
	struct layer T;
	struct stat st;
	int64_t mtime = ML_TIME_NONE;
	int raw = 0, regular;

	regular = fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode);
	if (regular)
		mtime = stat_mtime(&st);
	memset(&T, 0, sizeof T);
	T.src.fd = STDIN_FILENO;
	T.src.buf = w->buf;
	T.src.hold = &w->hold;
	T.a = probe(&T.src, &T, &raw);
	if (T.a) {
		if (layer_top(w, &T, T.a, raw, mtime) < 0)
			walk_oom(w);
		else
			walk_top(w, &T);
		layer_release(&T);
		return;
	}
	if (regular)
		item_entry_stat(w, &e, &st, -1);
	else
		item_entry(w, &e, mtime, -1);
	if (T.src.failed && !T.src.pre_len) {
		walk_skip(w, &e, SOURCE_SKIP_UNREADABLE, T.src.err);
		return;
	}
	walk_stream(w, &e, &T.src);
}

int
source_walk_item(const struct source_item *item,
    const struct source_options *opt, const struct source_callbacks *cb,
    void *arg)
{
	struct walk w;

	memset(&w, 0, sizeof w);
	w.opt = opt;
	w.cb = cb;
	w.arg = arg;
	w.item = item;
	w.buf = malloc(SOURCE_BLOCK);
	if (!w.buf)
		return -1;
	/* without C.UTF-8 the names are whatever the locale gives */
	w.utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	if (w.utf8)
		w.caller = uselocale(w.utf8);
	if (strcmp(item->path, "-") == 0)
		walk_stdin(&w);
	else
		walk_file(&w);
	if (w.stop && w.archive && !w.ret) {
		struct source_entry e;
		char why[96], lim[32];

		size_text(opt->max_total_bytes, lim, sizeof lim);
		snprintf(why, sizeof why, "stopped at the %s per-input limit",
		    lim);
		item_entry(&w, &e, ML_TIME_NONE, item->size);
		walk_skip(&w, &e, SOURCE_SKIP_LIMIT, why);
	}
	if (w.utf8) {
		uselocale(w.caller);
		freelocale(w.utf8);
	}
	free(w.buf);
	free(w.hold.p);
	free(w.path.p);
	free(w.name.p);
	free(w.mach.p);
	return w.ret;
}

/* A stream got more bytes than a limit allows: fail it, saying which. */
static int
stream_cut(struct source_stream *s)
{
	struct walk *w = s->w;
	const struct source_options *o = w->opt;
	uint64_t max = o->max_entry_bytes;
	const char *which = "per-entry";
	char lim[32];

	if (o->max_total_bytes && w->total >= o->max_total_bytes &&
	    (!max || s->n < max)) {
		which = "per-input";
		max = o->max_total_bytes;
		w->stop = 1;
	}
	size_text(max, lim, sizeof lim);
	snprintf(s->err, sizeof s->err, "cut at the %s %s limit", lim, which);
	s->state = -1;
	return -1;
}

static int
range_read(struct source_stream *s, const void **buf, size_t *len)
{
	struct range *R = s->range;
	size_t want = SOURCE_BLOCK;
	ssize_t n;

	if (R->end - R->off < want)
		want = (size_t)(R->end - R->off);
	if (want == 0) {
		s->state = 1;
		return 0;
	}
	do
		n = pread(R->fd, R->buf, want, (off_t)R->off);
	while (n < 0 && errno == EINTR);
	if (n <= 0) {
		char e[128];

		s->state = n < 0 ? -1 : 1;
		if (n < 0)
			snprintf(s->err, sizeof s->err, "cannot read: %s",
			    errno_text(errno, e, sizeof e));
		return s->state > 0 ? 0 : -1;
	}
	R->off += (uint64_t)n;
	s->n += (uint64_t)n;
	*buf = R->buf;
	*len = (size_t)n;
	return 1;
}

int
source_stream_read(struct source_stream *s, const void **buf, size_t *len)
{
	struct walk *w = s->w;
	const struct source_options *o;
	uint64_t room = UINT64_MAX;
	size_t n;
	int r;

	if (s->state)
		return s->state > 0 ? 0 : -1;
	if (s->range)
		return range_read(s, buf, len);
	o = w->opt;
	if (!s->cut) {
		r = src_pull(s->src, buf, &n);
		if (r <= 0) {
			s->state = r < 0 ? -1 : 1;
			if (r < 0)
				memcpy(s->err, s->src->err, sizeof s->err);
			return r;
		}
		if (o->max_entry_bytes)
			room = o->max_entry_bytes - s->n;
		if (o->max_total_bytes && o->max_total_bytes - w->total < room)
			room = o->max_total_bytes - w->total;
		if (n <= room) {
			s->n += n;
			w->total += n;
			*len = n;
			return 1;
		}
		if (room) {
			/* hand out what fits, fail on the next call */
			s->cut = 1;
			s->n += room;
			w->total += room;
			*len = (size_t)room;
			return 1;
		}
	}
	return stream_cut(s);
}

const char *
source_stream_error(const struct source_stream *s)
{
	return s->err;
}

struct source_stream *
source_range_new(int fd, uint64_t off, uint64_t end)
{
	struct source_stream *s = calloc(1, sizeof *s);

	if (!s || !(s->range = malloc(sizeof *s->range))) {
		free(s);
		return NULL;
	}
	s->range->fd = fd;
	s->range->off = off;
	s->range->end = end < off ? off : end;
	return s;
}

void
source_range_free(struct source_stream *s)
{
	if (!s)
		return;
	free(s->range);
	free(s);
}

int
source_file_is_plain(const char *path)
{
	struct layer L;
	struct archive *a;
	char head[4];
	ssize_t n;
	int fd, raw, streamed, oom;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	do
		n = read(fd, head, sizeof head);
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n < 0)
		return -1;
	if (n == 0)
		return 1;
	memset(&L, 0, sizeof L);
	a = file_archive_open(path, head, (size_t)n, &L, &raw, &streamed, &oom);
	archive_read_free(a);
	/* L.dead: compressed but unreadable, which the walk reports */
	return oom ? -1 : a == NULL && !L.dead;
}

/* ------------------------------------------------------------ expanding */

/* (dev, ino) of every folder walked below one argument: open addressing,
 * power-of-two capacity, half full at most. */
struct dirset {
	struct dirkey {
		dev_t dev;
		ino_t ino;
		int used;
	} *k;
	size_t n, cap;
};

static size_t
dirset_slot(const struct dirset *s, dev_t dev, ino_t ino)
{
	uint64_t h = ((uint64_t)dev * 0x9e3779b97f4a7c15ULL) ^ (uint64_t)ino;
	size_t i;

	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	for (i = (size_t)h & (s->cap - 1); s->k[i].used;
	    i = (i + 1) & (s->cap - 1))
		if (s->k[i].dev == dev && s->k[i].ino == ino)
			break;
	return i;
}

/* Returns 1 if already there, 0 if added, -1 on OOM. */
static int
dirset_add(struct dirset *s, dev_t dev, ino_t ino)
{
	size_t i;

	if (2 * (s->n + 1) > s->cap) {
		struct dirset t = { NULL, 0, s->cap ? 2 * s->cap : 64 };

		t.k = calloc(t.cap, sizeof *t.k);
		if (!t.k)
			return -1;
		for (i = 0; i < s->cap; i++)
			if (s->k[i].used)
				t.k[dirset_slot(&t, s->k[i].dev,
				    s->k[i].ino)] = s->k[i];
		t.n = s->n;
		free(s->k);
		*s = t;
	}
	i = dirset_slot(s, dev, ino);
	if (s->k[i].used)
		return 1;
	s->k[i].dev = dev;
	s->k[i].ino = ino;
	s->k[i].used = 1;
	s->n++;
	return 0;
}

/* A folder on the way down, to tell a loop from a second link. */
struct dirframe {
	dev_t dev;
	ino_t ino;
	const struct dirframe *up;
};

struct expand {
	const struct source_options *opt;
	const struct source_callbacks *cb;
	void *arg;
	size_t index;		/* of the argument */
	char *input_name;	/* machine fallback for the argument */
	struct source_item *items;
	size_t n, cap;
	struct sbuf path;	/* file system path being looked at */
	size_t rel_off;		/* where the part below the argument starts */
	struct sbuf mach;
	struct dirset seen;
	int ret;
};

/* The machine of a path below the current argument with `rel_depth`
 * components.  NULL on OOM. */
static const char *
expand_machine(struct expand *x, int rel_depth)
{
	if (x->opt->machine)
		return x->opt->machine;
	if (rel_depth < 2)
		return x->input_name;
	return machine_pick(&x->mach, x->path.p + x->rel_off, 0,
	    x->input_name);
}

static void
expand_skip(struct expand *x, int rel_depth, enum source_skip kind,
    const char *why)
{
	struct source_entry e;
	int r;

	e.machine = expand_machine(x, rel_depth);
	if (!e.machine) {
		x->ret = -1;
		return;
	}
	e.path = x->path.p;
	e.name = base_name(x->path.p);
	e.mtime = ML_TIME_NONE;
	e.mtime_bad = 0;
	e.size = -1;
	e.depth = 0;
	e.input_index = x->index;
	r = x->cb->skip ? x->cb->skip(x->arg, &e, kind, why) : 0;
	if (r)
		x->ret = r;
}

static void
expand_add(struct expand *x, int rel_depth, int64_t size)
{
	struct source_item *it;
	const char *m = expand_machine(x, rel_depth);

	if (!m)
		goto oom;
	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 16;

		it = realloc(x->items, cap * sizeof *it);
		if (!it)
			goto oom;
		x->items = it;
		x->cap = cap;
	}
	it = &x->items[x->n];
	it->path = strdup(x->path.p);
	it->display = strdup(x->path.p);
	it->machine = strdup(m);
	it->size = size;
	it->input_index = x->index;
	it->rel_depth = rel_depth;
	x->n++;
	if (!it->path || !it->display || !it->machine)
		goto oom;
	return;
oom:
	x->ret = -1;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void expand_path(struct expand *x, int rel_depth,
    const struct dirframe *up);

/* The folder at x->path, whose (dev, ino) is `here`. */
static void
expand_dir(struct expand *x, int rel_depth, const struct dirframe *here)
{
	char **names = NULL;
	size_t n = 0, cap = 0, i = 0, base = x->path.len;
	struct dirent *de;
	DIR *d;
	char why[SOURCE_ERRLEN], et[128];

	d = opendir(x->path.p);
	if (!d) {
		snprintf(why, sizeof why, "cannot open folder: %s",
		    errno_text(errno, et, sizeof et));
		expand_skip(x, rel_depth, SOURCE_SKIP_UNREADABLE, why);
		return;
	}
	/* names first, descriptor closed before going down: deep trees
	 * do not pile up open folders */
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap) {
			char **p;

			cap = cap ? 2 * cap : 32;
			p = realloc(names, cap * sizeof *p);
			if (!p)
				goto out;
			names = p;
		}
		if (!(names[n] = strdup(de->d_name)))
			goto out;
		n++;
	}
	closedir(d);
	d = NULL;
	if (n > 1)
		qsort(names, n, sizeof *names, name_cmp);
	for (i = 0; i < n && !x->ret; i++) {
		x->path.len = base;
		x->path.p[base] = '\0';
		if ((base == 0 || x->path.p[base - 1] != '/') &&
		    sbuf_add(&x->path, "/", 1) < 0)
			goto out;
		if (sbuf_add(&x->path, names[i], strlen(names[i])) < 0)
			goto out;
		expand_path(x, rel_depth + 1, here);
	}
out:
	/* left early with the folder half read: out of memory */
	if ((d || i < n) && !x->ret)
		x->ret = -1;
	if (d)
		closedir(d);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	x->path.len = base;
	x->path.p[base] = '\0';
}

/* Whatever is at x->path, `rel_depth` components below the argument. */
static void
expand_path(struct expand *x, int rel_depth, const struct dirframe *up)
{
	struct stat st;
	struct dirframe here;
	const struct dirframe *f;
	char why[SOURCE_ERRLEN], et[128];
	int r;

	if (stat(x->path.p, &st) != 0) {
		int err = errno;

		snprintf(why, sizeof why, "cannot open: %s",
		    errno_text(err, et, sizeof et));
		expand_skip(x, rel_depth, err == ELOOP ? SOURCE_SKIP_LOOP :
		    SOURCE_SKIP_UNREADABLE, why);
		return;
	}
	if (S_ISREG(st.st_mode)) {
		expand_add(x, rel_depth, (int64_t)st.st_size);
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		expand_skip(x, rel_depth, SOURCE_SKIP_SPECIAL,
		    special_text(st.st_mode));
		return;
	}
	r = dirset_add(&x->seen, st.st_dev, st.st_ino);
	if (r < 0) {
		x->ret = -1;
		return;
	}
	if (r > 0) {
		for (f = up; f; f = f->up)
			if (f->dev == st.st_dev && f->ino == st.st_ino)
				break;
		expand_skip(x, rel_depth, SOURCE_SKIP_LOOP, f ?
		    "symlink loop: the folder contains itself" :
		    "folder already walked through another link");
		return;
	}
	here.dev = st.st_dev;
	here.ino = st.st_ino;
	here.up = up;
	expand_dir(x, rel_depth, &here);
}

/* The argument's own name: the machine when nothing below names one.
 * Files lose all extensions, folders keep their name ("fs01.contoso"). */
static char *
input_name(const char *arg, int is_dir)
{
	size_t n = strlen(arg), b;
	char *real = NULL, *r;

	if (strcmp(arg, "-") == 0)
		return strdup("stdin");
	while (n > 1 && arg[n - 1] == '/')
		n--;
	for (b = n; b > 0 && arg[b - 1] != '/'; b--)
		;
	if (n - b == 0 || (n - b == 1 && arg[b] == '.') ||
	    (n - b == 2 && arg[b] == '.' && arg[b + 1] == '.')) {
		/* ".", "..", "/": the real folder's name, if it has one */
		real = realpath(arg, NULL);
		if (!real)
			return strdup("local");
		arg = base_name(real);
		b = 0;
		n = strlen(arg);
		if (n == 0 || strcmp(arg, "/") == 0) {
			free(real);
			return strdup("local");
		}
	}
	if (!is_dir)
		n = b + name_stem_len(arg + b, n - b);
	r = strndup(arg + b, n - b);
	free(real);
	if (r != NULL && name_is_invisible(r, strlen(r))) {
		free(r);
		return strdup("unnamed");
	}
	return r;
}

int
source_expand(const char *const *paths, size_t npaths,
    const struct source_options *opt, const struct source_callbacks *cb,
    void *arg, struct source_item **items, size_t *nitems)
{
	struct expand x;
	size_t i;

	memset(&x, 0, sizeof x);
	x.opt = opt;
	x.cb = cb;
	x.arg = arg;
	for (i = 0; i < npaths && !x.ret; i++) {
		struct stat st;
		int is_dir;

		x.index = i;
		x.rel_off = 0;
		if (sbuf_set(&x.path, paths[i], strlen(paths[i])) < 0) {
			x.ret = -1;
			break;
		}
		is_dir = strcmp(paths[i], "-") != 0 && stat(paths[i], &st) == 0 &&
		    S_ISDIR(st.st_mode);
		free(x.input_name);
		x.input_name = input_name(paths[i], is_dir);
		if (!x.input_name) {
			x.ret = -1;
			break;
		}
		if (strcmp(paths[i], "-") == 0) {
			expand_add(&x, 0, -1);
			continue;
		}
		x.rel_off = x.path.len;
		if (x.rel_off && x.path.p[x.rel_off - 1] != '/')
			x.rel_off++;
		x.seen.n = 0;
		if (x.seen.k)
			memset(x.seen.k, 0, x.seen.cap * sizeof *x.seen.k);
		expand_path(&x, 0, NULL);
	}
	free(x.input_name);
	free(x.path.p);
	free(x.mach.p);
	free(x.seen.k);
	if (x.ret) {
		source_items_free(x.items, x.n);
		*items = NULL;
		*nitems = 0;
		return x.ret;
	}
	*items = x.items;
	*nitems = x.n;
	return 0;
}

void
source_items_free(struct source_item *items, size_t nitems)
{
	size_t i;

	if (!items)
		return;
	for (i = 0; i < nitems; i++) {
		free(items[i].path);
		free(items[i].display);
		free(items[i].machine);
	}
	free(items);
}

int
source_walk(const char *const *paths, size_t npaths,
    const struct source_options *opt, const struct source_callbacks *cb,
    void *arg)
{
	struct source_item *items;
	size_t n, i;
	int r = source_expand(paths, npaths, opt, cb, arg, &items, &n);

	for (i = 0; r == 0 && i < n; i++)
		r = source_walk_item(&items[i], opt, cb, arg);
	source_items_free(items, n);
	return r;
}
