/* SPDX-License-Identifier: MIT */
/*
 * lookup.h -- find catalog entries from what a person types
 * (`marslog explain ...`): an entry id, a code in any written form, a
 * unique prefix of an id or symbolic name, or words of a title.
 *
 * Case never matters.  In order, the first step that finds something
 * wins (but a query that the word search finds in two entries or more
 * lists them rather than taking a prefix: "scratch" is a word of many
 * entries before it is the start of ScratchLocationError):
 *   1. an entry id ("mars-34513", "MARS-34513")
 *   2. a code: MARS ID, HRESULT, hex-written ID or symbolic name, as
 *      code_normalise() reads it, names compared without case
 *      ("salLowDiskSpace")
 *   3. a prefix (3 characters or more) of ids and symbolic names
 *      ("cbpsourcesnap"): unique if one entry matches, or if one matched
 *      name is itself a prefix of all the others (CBPSourceSnapshotFailed
 *      before CBPSourceSnapshotFailedLowDiskSpace)
 *   4. words: entries whose title (in `lang` or English), message (the
 *      text rule's literal and regex) or id have a word that starts with
 *      each blank-separated word of the query ("scratch", "vault
 *      credentials"); words shorter than 3 characters are ignored
 *
 * Ownership: the entries returned are the catalog's.  Allocates nothing.
 */
#ifndef MARSLOG_LOOKUP_H
#define MARSLOG_LOOKUP_H

#include <stddef.h>

#include "patterns/catalog.h"

enum lookup_how {
	LOOKUP_NONE = 0,	/* nothing matched */
	LOOKUP_EXACT,		/* an id or a code: one entry */
	LOOKUP_PREFIX,		/* a unique prefix: one entry */
	LOOKUP_AMBIGUOUS,	/* a prefix of several: all of them */
	LOOKUP_WORDS		/* word search: every match */
};

/* Up to `max` entries for `query` into out[], in catalog order (the
 * count returned may exceed max: out holds the first max).  *how says
 * which step found them. */
size_t catalog_lookup(const struct catalog *c, const char *query,
    enum cat_lang lang, const struct catalog_entry **out, size_t max,
    enum lookup_how *how);

#endif
