/* SPDX-License-Identifier: MIT */
/*
 * failed.h -- one line of a LastBackupFailedFiles*.txt list into an item.
 *
 * The list starts with boilerplate ("Consider adding these to exclusion
 * list of backup policy." and lines of dashes) that is skipped.  Every
 * other non-empty line is one failed item: a path (drive path, \\?\ path
 * or UNC), usually an HRESULT (0x80070005, ...) and free text.
 *
 * Ownership: spans point into the line passed in.  Stateless, no
 * allocation.
 */
#ifndef MARSLOG_FAILED_H
#define MARSLOG_FAILED_H

#include <stddef.h>
#include <stdint.h>

#include "parsers/record.h"

struct failed_item {
	struct ml_span path;	/* may be empty if no path was recognised */
	uint32_t hresult;	/* valid when has_hresult */
	int has_hresult;
	struct ml_span text;	/* the line without path and code, trimmed */
};

/* Returns 1 and fills *item for an item, 0 for boilerplate or blank. */
int failed_parse_line(const char *line, size_t len, struct failed_item *item);

/* 1 if a file name looks like LastBackupFailedFiles*.txt (any case). */
int failed_name_matches(const char *name);

/* Time encoded in names like "LastBackupFailedFiles17af1_7_21_2020.txt"
 * (midnight UTC of that day), or ML_TIME_NONE. */
int64_t failed_time_from_name(const char *name);

#endif
