/* SPDX-License-Identifier: MIT */
/*
 * source.h -- walk the inputs and hand out every file as a byte stream.
 *
 * An input is a file, a folder (walked recursively in name order; symlink
 * loops, special files and unreadable entries are reported and skipped),
 * an archive libarchive can read (zip, tar, tar.gz, 7z, ...; found by its
 * content, not its name) or "-" for stdin.  Archives inside archives and
 * inside folders are opened too, up to max_depth levels of archive.
 * Nothing is ever written to disk: archive entries are streamed.
 *
 * Machine names keep several servers' files apart: --machine if given;
 * otherwise, below an input folder or archive, the first path component
 * (a subfolder or nested archive, without extensions) unless it is a
 * generic name (Temp, Logs, the agent's install folder names); otherwise
 * the input's own name without extensions ("-" is "stdin").  A name that
 * would show as nothing on a terminal (only zero-width, bidi or control
 * characters) is passed over like a generic one; an input named so is
 * "unnamed".
 *
 * Limits protect against zip bombs: bytes produced by one entry, bytes
 * produced by all entries of one top-level input, and the expansion ratio
 * of an archive.  An entry that passes a limit is cut there and reported.
 *
 * A compressed single file (x.log.gz, .bz2, .xz, .zst, ...) is one entry
 * named without its last extension ("x.log.gz!x.log").  Bytes that are
 * not compressed are never taken for an archive; neither is an "archive"
 * without a single entry (libarchive reads a NUL-filled file as an empty
 * tar).  A zip whose central directory is damaged is read again front to
 * back, so the entries before the damage are not lost.  A 7z archive needs
 * seeking: inside another archive or on stdin it is skipped (UNREADABLE).
 * Entry names come out as UTF-8 whatever the locale; callbacks run in the
 * caller's locale.
 *
 * This module only moves bytes.  It does not decode or parse them.
 *
 * Ownership: entry fields and stream buffers are borrowed and valid only
 * during the callback.
 */
#ifndef MARSLOG_SOURCE_H
#define MARSLOG_SOURCE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Limits: 0 switches a byte or ratio limit off.  "Top-level input" for the
 * total means one item (see source_expand): a file or archive given on the
 * command line or found in an input folder.  The ratio limit applies once
 * an archive has produced more than 64 MiB: it stops the archive when its
 * output passes max_ratio times the compressed bytes it read, or max_ratio
 * times the bytes read from the disk file (or stdin) it is nested in, so
 * archives nested in archives cannot multiply their ratios.  An archive
 * nested max_depth levels deep is still opened; one nested deeper is
 * skipped (max_depth 0: no archive is opened).
 */
/* A plain file is read in blocks of this size: its first chunk holds its
 * first SOURCE_BLOCK bytes (or all of a shorter file). */
#define SOURCE_BLOCK ((size_t)64 << 10)

struct source_options {
	const char *machine;	/* --machine, or NULL */
	int max_depth;		/* archive nesting limit, default 4 */
	uint64_t max_entry_bytes; /* per entry, default 16 GiB */
	uint64_t max_total_bytes; /* per top-level input, default 64 GiB */
	unsigned max_ratio;	/* expansion ratio limit, default 1000 */
};

/* Fills the defaults above. */
void source_options_init(struct source_options *o);

struct source_entry {
	const char *machine;
	const char *path;	/* display path, archive layers joined by '!' */
	const char *name;	/* last path component */
	int64_t mtime;		/* ms since epoch UTC, or ML_TIME_NONE (also
				 * for a time outside 1970-9999, record.h) */
	int mtime_bad;		/* 1: the file or entry carried a time outside
				 * 1970-9999, ignored */
	int64_t size;		/* uncompressed size if known, else -1 */
	int depth;		/* archive nesting level (0 = plain file) */
	size_t input_index;	/* which of the paths passed to source_walk */
};

struct source_stream;

/*
 * Next chunk of the entry's bytes.  Returns 1 with *buf and *len set (valid
 * until the next call), 0 at the end, -1 on an error: the stream stops,
 * and source_stream_error() says why ("CRC error", "entry is encrypted",
 * "cut at the 16 GiB per-entry limit", ...).  Bytes returned before an
 * error are good data.
 */
int source_stream_read(struct source_stream *s, const void **buf, size_t *len);
const char *source_stream_error(const struct source_stream *s);

enum source_skip {
	SOURCE_SKIP_UNREADABLE,	/* open or read failed (errno text) */
	SOURCE_SKIP_SPECIAL,	/* not a regular file: device, fifo, socket */
	SOURCE_SKIP_LOOP,	/* symlink loop */
	SOURCE_SKIP_DEPTH,	/* archive nested deeper than max_depth */
	SOURCE_SKIP_ENCRYPTED,	/* encrypted archive entry */
	SOURCE_SKIP_LIMIT,	/* size or ratio limit reached: the rest of the
				 * archive (path) was not read */
	SOURCE_SKIP_CORRUPT	/* archive damaged: the rest of it is lost
				 * ("archive is damaged after N entries: ...") */
};

struct source_callbacks {
	/* A file to read.  Return 0 to go on, non-zero to stop the walk
	 * (source_walk then returns that value).  The stream need not be
	 * read to the end. */
	int (*entry)(void *arg, const struct source_entry *e,
	    struct source_stream *s);
	/* Something that was not read, or an archive that broke part way.
	 * `why` is a one-line reason.  Same return rule as entry. */
	int (*skip)(void *arg, const struct source_entry *e,
	    enum source_skip kind, const char *why);
};

/*
 * Parallel runs split the walk in two: source_expand() lists the files
 * below the inputs (folders walked, archives not yet opened), and each
 * item is then walked on its own, possibly on another thread, with
 * source_walk_item().  The items carry their machine name, so the result
 * does not depend on which thread read what.
 */
struct source_item {
	char *path;		/* file system path to open, or "-" */
	char *display;		/* path as shown: the argument + the part below it */
	char *machine;
	int64_t size;		/* bytes on disk, -1 for stdin */
	size_t input_index;
	int rel_depth;		/* path components below the argument: 0 the
				 * argument itself, 1 a file directly in an
				 * input folder (if it is an archive, its own
				 * name is the machine), 2+ deeper (machine is
				 * final) */
};

/* Fills *items (malloc'd array, free with source_items_free) in walk
 * order; skips go to cb->skip (cb->entry is not called).  Returns 0, or -1
 * on OOM, or the non-zero value cb->skip returned. */
int source_expand(const char *const *paths, size_t npaths,
    const struct source_options *opt, const struct source_callbacks *cb,
    void *arg, struct source_item **items, size_t *nitems);
void source_items_free(struct source_item *items, size_t nitems);

/* Read one item: a plain file gives one entry; an archive gives its
 * entries, recursively.  Return value as for source_walk.  Items may be
 * walked concurrently: nothing is shared between calls. */
int source_walk_item(const struct source_item *item,
    const struct source_options *opt, const struct source_callbacks *cb,
    void *arg);

/*
 * One large plain file can be read on several threads in byte ranges
 * (analyzer/split.c).  source_file_is_plain() says whether
 * source_walk_item() would read the regular file at `path` as one plain
 * entry: 1 yes, 0 no (an archive or a compressed file), -1 it cannot be
 * opened or read.  source_range_new() makes a stream of the bytes [off,
 * end) of a file open as `fd` (end UINT64_MAX: to the end of the file),
 * read with pread(2), so that several ranges of one descriptor can be read
 * at once; the fd stays the caller's.  No limits apply.  NULL on OOM.
 */
int source_file_is_plain(const char *path);
struct source_stream *source_range_new(int fd, uint64_t off, uint64_t end);
void source_range_free(struct source_stream *s);	/* accepts NULL */

/*
 * Walk `paths` in order, calling back for every file (source_expand then
 * source_walk_item on each).  Returns 0 when the
 * walk finished (even if some entries were skipped), or the non-zero value
 * a callback returned, or -1 when memory ran out.  A path that does not
 * exist is a skip, not a failure.
 */
int source_walk(const char *const *paths, size_t npaths,
    const struct source_options *opt, const struct source_callbacks *cb,
    void *arg);

#endif
