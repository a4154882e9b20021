/* SPDX-License-Identifier: MIT */
/*
 * prefetch.h -- read an entry's stream on a thread of its own.
 *
 * Inflating a zip entry costs about as much CPU as analysing its text, so
 * for archive entries the two overlap: a reader thread pulls chunks from
 * the source stream into a small ring of buffers while the caller parses
 * the previous ones.  The reader thread is the only one touching the
 * stream until prefetch_stop() returns (the walker thread is blocked in
 * the entry callback meanwhile), so libarchive is never used from two
 * threads at once.
 *
 * Ownership: chunks returned by prefetch_read() belong to the prefetch
 * and stay valid until the next prefetch_read() or prefetch_stop().
 */
#ifndef MARSLOG_PREFETCH_H
#define MARSLOG_PREFETCH_H

#include <stddef.h>

#include "parsers/source.h"

struct prefetch;

/* Start reading `s` in the background.  NULL if no thread could be
 * started or on OOM: the caller then reads `s` itself. */
struct prefetch *prefetch_start(struct source_stream *s);

/* As source_stream_read(): 1 with a chunk, 0 at the end, -1 on an error
 * (message from prefetch_error()). */
int prefetch_read(struct prefetch *p, const void **buf, size_t *len);
const char *prefetch_error(const struct prefetch *p);

/* Stop the reader (even mid-stream), wait for it and free everything.
 * Accepts NULL. */
void prefetch_stop(struct prefetch *p);

#endif
