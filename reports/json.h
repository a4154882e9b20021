/* SPDX-License-Identifier: MIT */
/*
 * json.h -- read a summary back from its JSON form (the writer is
 * report_writer_json in report.h).
 *
 * The reader accepts exactly what the writer produces plus any unknown
 * fields (ignored), so older marslog versions can read newer summaries of
 * the same schema.  It validates types and rejects other schemas.  It is
 * a small recursive-descent parser with a depth limit; invalid UTF-8 and
 * control characters in strings are rejected by the writer's contract and
 * replaced (U+FFFD) on reading.
 */
#ifndef MARSLOG_JSON_H
#define MARSLOG_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "reports/summary.h"

/*
 * Parse a summary.  NULL with "line:col: reason" in err on failure (line
 * and column from 1, columns in characters).  Keys may come in any order;
 * absent fields keep the defaults of a new item; a row without its key
 * fields, or repeating another row's key, is an error.  The result holds
 * the document as written (order, totals, rollups): summary_finish() on
 * it is a no-op for the writer's output, and needed after a merge.
 * Nesting is limited to 64 levels (the document object is level 1).
 */
struct summary *summary_from_json(const char *text, size_t len, char *err,
    size_t errlen);

/* Read a file ("-" for stdin, named "<stdin>" in messages).  NULL with
 * "PATH:line:col: reason", or "cannot open|read PATH: reason". */
struct summary *summary_read_json_file(const char *path, char *err,
    size_t errlen);

/*
 * The same, and *as_of gets the time the document's "hours since" were
 * measured at (its "fleet" object's "as_of", see fleet.h), or
 * ML_TIME_NONE when it has none.  For reading a --baseline
 * (baseline.h), whose staleness is judged at its own as_of.
 */
struct summary *summary_read_json_file_as_of(const char *path,
    int64_t *as_of, char *err, size_t errlen);

/* Write `s` in the "marslog-summary/1" form (the json writer's body):
 * call summary_finish() first.  Key order is fixed, arrays hold one
 * object per line, unknown values are null.  Besides the contract's
 * fields it writes the extra machine, input, job and sample fields of
 * summary.h, "templates", "timeline" and "templates_dropped", so that a
 * summary read back writes the same bytes; and the derived "changes"
 * (null here) and "fleet" objects and machine "hours_since_success" and
 * "stale", measured at the newest record with the default stale_after
 * (fleet.h; the json writer uses the report options instead).  Returns
 * 0, or -1 when a write failed (errno from stdio; ENOMEM when the fleet
 * view could not be computed). */
int summary_write_json(const struct summary *s, FILE *fp);

/*
 * Append a JSON string literal for `s` (n bytes) with quotes and escapes;
 * invalid UTF-8 bytes become U+FFFD (one per byte).  Safe inside an HTML
 * <script> element: besides '"', '\\', control characters and DEL, it
 * escapes '<', '>', '&', U+2028 and U+2029 as \uXXXX.  Shared by the HTML
 * writer's data island.  Write errors show in ferror(fp).
 */
void json_write_string(FILE *fp, const char *s, size_t n);

/*
 * Length of the valid UTF-8 sequence starting at p (n bytes available):
 * 1 to 4, or 0 if p[0] does not start one.  Overlong forms, UTF-16
 * surrogates and code points above U+10FFFF are invalid.  n must be > 0.
 */
size_t json_utf8_len(const unsigned char *p, size_t n);

#endif
