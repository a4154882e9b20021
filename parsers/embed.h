/* SPDX-License-Identifier: MIT */
/*
 * embed.h -- files compiled into the binary by patterns/embed.sh.
 *
 * The built-in catalog (patterns/catalog.tsv) and the HTML report assets
 * (reports/assets/) live here as read-only byte arrays; nothing is read
 * from disk at run time.  All data is static: never free it.
 */
#ifndef MARSLOG_EMBED_H
#define MARSLOG_EMBED_H

#include <stddef.h>

struct embedded_file {
	const char *name;		/* base name, e.g. "report.css" */
	const unsigned char *data;	/* NUL-terminated, NUL not in size */
	size_t size;
};

extern const unsigned char catalog_tsv_data[];
extern const size_t catalog_tsv_size;
extern const struct embedded_file asset_files[];	/* ends with a NULL name */

#endif
