/* SPDX-License-Identifier: MIT */
/*
 * classify.h -- which catalog entry, if any, a log message is about.
 *
 * Codes are extracted from the message in one scan:
 *   HRESULT      "Hr: = [0x80070005]", any "0x" + exactly 8 hex digits not
 *                inside a longer alphanumeric run -> "0x80070005"
 *                (upper-case hex, 0x prefix)
 *   MARS ID      "(ID: 34513)", "(ID：403)" (full-width colon), "ID: 100050"
 *                ("ID" at a word start, optional spaces around the colon,
 *                3-7 digits), "(ID 33621 )" (no colon only right after
 *                an opening parenthesis, then 5-7 digits and the ')'),
 *                "[0x1FC07]" or "(0x1FBD3)" (exactly 5 hex digits in
 *                brackets or parentheses = a decimal ID) -> "130055";
 *                the console's "Error 34506." / "Error 130001 Microsoft
 *                ..." / "Error Code: 100091" ("Error" at a word start,
 *                any case after the 'E', optional "code", ':' '#' or '=',
 *                then 5-7 decimal digits not starting with 0 and not
 *                followed by ".digit")
 *   error code   "failed with error code: 1b7afbe0" (case-insensitive)
 *                -> "0x1B7AFBE0"; "error code: 100091" (5-7 decimal
 *                digits) -> MARS ID "100091"
 *   symbolic     whole identifiers ([A-Za-z0-9_] runs at a word start)
 *                that are names in the catalog (Sal*, CBP*, Cloud*, WSB*,
 *                Dpm*, ... as listed there)
 * and looked up in a hash, so the cost does not grow with the catalog.
 * Text rules (PCRE2, JIT) run only when their literal is present, in
 * catalog order; the first whose regex matches wins.
 *
 * Priority when a message carries several: a catalog code in message
 * order first, then a text rule, then the first unknown failure HRESULT
 * (bit 31 set) which the caller may turn into a decoded finding.  Success
 * codes (0x0000xxxx) are never findings.
 *
 * A classifier holds PCRE2 match data: use one per thread.
 */
#ifndef MARSLOG_CLASSIFY_H
#define MARSLOG_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>

#include "patterns/catalog.h"

enum code_kind { CODE_NONE = 0, CODE_MARS_ID, CODE_HRESULT, CODE_NAME };

struct classification {
	const struct catalog_entry *entry; /* NULL: no catalog entry */
	enum code_kind kind;		/* of `code` */
	char code[64];			/* normalised code, "" if none */
	uint32_t value;			/* the ID or HRESULT number */
};

struct classifier;

/* `cat` is borrowed and must outlive the classifier; load every catalog
 * file before creating it (it indexes the entries at creation).  Compiles
 * the text rules; on a bad regex returns NULL with "file:line: regex:
 * message at offset N" in err (the loader already rejects those). */
struct classifier *classifier_new(const struct catalog *cat, char *err,
    size_t errlen);
void classifier_free(struct classifier *c);		/* accepts NULL */

/*
 * Classify a message of `len` bytes (no terminator needed).  Returns 1 and
 * fills *out when a catalog entry matched or an unknown failure HRESULT
 * was found (entry NULL, kind CODE_HRESULT), 0 otherwise (*out zeroed).
 * A text-rule hit has kind CODE_NONE and code "".  Allocates nothing.
 */
int classifier_classify(struct classifier *c, const char *msg, size_t len,
    struct classification *out);

/*
 * Normalise a code given by a person (`marslog explain 0x1fc07`):
 * "0x80070005"/"80070005"/"0X8007018b" -> HRESULT "0x8007018B", a .NET
 * negative HResult "-2147024891" -> "0x80070005", "34513" -> ID (1-7
 * digits), "0x1FC07" (0x + 5 hex digits) -> "130055", identifiers as
 * written.  Surrounding blanks are ignored.  Returns the kind; CODE_NONE
 * (and "" in out) if not a code or if it does not fit in outlen.
 */
enum code_kind code_normalise(const char *in, char *out, size_t outlen);

#endif
