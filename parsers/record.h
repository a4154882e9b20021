/* SPDX-License-Identifier: MIT */
/*
 * record.h -- small types shared by every stage of the pipeline.
 *
 * A span is a borrowed view (pointer + length, not NUL-terminated) into a
 * buffer owned by whoever produced it; the producer's header says how long
 * it stays valid.  Times are milliseconds since the Unix epoch, UTC.
 */
#ifndef MARSLOG_RECORD_H
#define MARSLOG_RECORD_H

#include <stddef.h>
#include <stdint.h>

struct ml_span {
	const char *p;
	size_t n;
};

#define ML_SPAN_LIT(s) ((struct ml_span){ (s), sizeof(s) - 1 })

/* "no time known" for any int64_t time field */
#define ML_TIME_NONE INT64_MIN

/*
 * The times marslog accepts from any source (file and archive entry
 * times, names, log lines, options, JSON): 1970-01-01T00:00:00.000Z to
 * 9999-12-31T23:59:59.999Z.  Anything outside is unknown (ML_TIME_NONE),
 * so every time can be written as four-digit-year ISO 8601 and read back.
 */
#define ML_TIME_MIN INT64_C(0)
#define ML_TIME_MAX INT64_C(253402300799999)

/* 1 if ms is inside [ML_TIME_MIN, ML_TIME_MAX] (never ML_TIME_NONE). */
int ml_time_valid(int64_t ms);

/* Seconds plus nanoseconds since the epoch (a file or archive entry
 * time, any int64 value) as ms, or ML_TIME_NONE when outside the range
 * above.  No overflow for any input. */
int64_t ml_time_from_sec(int64_t sec, long nsec);

/* The UTC year of a valid time (0 for ML_TIME_NONE). */
int ml_time_year(int64_t ms);

/*
 * Trace levels as written in errlog lines, ordered by severity so that
 * `level >= ML_LEVEL_WARNING` reads naturally.
 */
enum ml_level {
	ML_LEVEL_NONE = 0,	/* no level word (continuation, failed-files item) */
	ML_LEVEL_VERBOSE,	/* VERBOSE, PERF, ACTIVITY */
	ML_LEVEL_INFO,		/* INFO, INFORMATION */
	ML_LEVEL_NORMAL,	/* NORMAL */
	ML_LEVEL_WARNING,	/* WARNING */
	ML_LEVEL_ERROR,		/* ERROR */
	ML_LEVEL_CRITICAL,	/* CRITICAL */
	ML_LEVEL_FATAL		/* FATAL */
};

/* "NORMAL", "WARNING", ...; "" for ML_LEVEL_NONE.  Static string. */
const char *ml_level_name(enum ml_level level);

/* ISO 8601 UTC with milliseconds ("2024-06-07T01:23:25.640Z") into buf of
 * at least 25 bytes; "" for ML_TIME_NONE and any time outside the range
 * above.  Returns buf. */
char *ml_time_format(int64_t ms, char *buf, size_t len);

/* Parses the ml_time_format form (the trailing Z and milliseconds are
 * optional; a plain YYYY-MM-DD is midnight UTC).  Returns 0 and sets *ms,
 * or -1 when `s` is not such a time or is outside the range above: the
 * reader accepts exactly what ml_time_format writes. */
int ml_time_parse(const char *s, int64_t *ms);

/* Days from the civil date to 1970-01-01 (proleptic Gregorian). */
int64_t ml_days_from_civil(int y, unsigned m, unsigned d);

/* Inverse of ml_days_from_civil: the civil date of day `days`. */
void ml_civil_from_days(int64_t days, int *y, unsigned *m, unsigned *d);

#endif
