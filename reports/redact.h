/* SPDX-License-Identifier: MIT */
/*
 * redact.h -- stable pseudonyms for the customer's identifying data, so
 * that a report can leave the customer's premises (--redact).
 *
 * The analyzer passes every string that enters the summary through here
 * (machine names, input paths, failed-file paths, task GUIDs, sample
 * messages, template texts, warnings), so no writer ever sees an original.
 * What is replaced, and by what:
 *
 *   machine and host names        host-<12 hex>   (bundle, folder, FQDN
 *                                                  labels, UNC servers,
 *                                                  "machine name: X")
 *   user names                    user-<8 hex>    (C:\Users\X, DOMAIN\X,
 *                                                  X@domain, "user: X")
 *   domain names                  domain-<8 hex>  (DOMAIN\x, FQDN middle
 *                                                  labels; the TLD stays)
 *   IPv4 / IPv6 addresses         ip-<8 hex> / ipv6-<8 hex>
 *   path components               dir-<8 hex>, file-<8 hex>.ext (drive,
 *                                                  depth and extension
 *                                                  stay; well-known system
 *                                                  and agent folders and
 *                                                  log file names stay)
 *   UNC share names               share-<8 hex>
 *   GUIDs (task, subscription,    a GUID-shaped pseudonym, so jobs still
 *   vault, machine IDs)           join across files
 *   labelled IDs and names        id-<8 hex>      (subscription, vault,
 *                                                  resource, container,
 *                                                  storage account, tenant
 *                                                  ... after ':' or '=';
 *                                                  Azure URL segments)
 *
 * Codes (HRESULTs, MARS IDs, symbolic names), catalog text, times, counts,
 * levels and the shape of paths are kept.  A pseudonym is a keyed BLAKE2b
 * hash (libsodium crypto_generichash) of its kind and the ASCII-lower-cased
 * original, so it is the same wherever and whenever the same key is used,
 * and distinct keys give unrelated pseudonyms.  Detection is by shape and
 * by label; a bare single-word host name in a message is recognised only
 * when it is the input's own machine name or follows a label.
 *
 * Thread safety: a redactor is read-only after redactor_new(), except for
 * the pseudonym table kept for redactor_map_write(), which has its own
 * lock; one redactor serves every analysis thread.
 *
 * Ownership: the out buffers are the caller's; strings passed in are
 * borrowed for the call.
 */
#ifndef MARSLOG_REDACT_H
#define MARSLOG_REDACT_H

#include <stddef.h>
#include <stdio.h>

#include "reports/text.h"

#define REDACT_KEY_BYTES 32
#define REDACT_KEY_ID_LEN 16	/* hex characters of redactor_key_id() */

struct redactor;

/*
 * Read a key file: its bytes (at least 16, at most 1 MiB) are hashed into
 * the key, so any secret file works (`head -c 32 /dev/urandom > key`).
 * 0, or -1 with a message in err.
 */
int redact_key_read(const char *path, unsigned char key[REDACT_KEY_BYTES],
    char *err, size_t errlen);
/* A random key for one run. */
void redact_key_random(unsigned char key[REDACT_KEY_BYTES]);

/* keep_map: remember every pseudonym and its original for
 * redactor_map_write().  NULL on OOM or when libsodium cannot start. */
struct redactor *redactor_new(const unsigned char key[REDACT_KEY_BYTES],
    int keep_map);
void redactor_free(struct redactor *r);			/* accepts NULL */

/* Names the key without revealing it (16 hex characters): summaries
 * redacted with the same key have the same id, so only those merge. */
const char *redactor_key_id(const struct redactor *r);

/*
 * Each appends the redacted form of its input to b (sticky OOM, see
 * text.h).  `machine` is the original machine name of the input the
 * string comes from (NULL: none); its occurrences are replaced too.
 *
 *   redact_machine  a machine name ("stdin" and "local" stay)
 *   redact_path     a whole string that is one path: an input's display
 *                   path (layers joined by '!', '/' or '\' separators) or
 *                   a LastBackupFailedFiles item, spaces included
 *   redact_guid     a task GUID (anything else goes through redact_text)
 *   redact_text     free text: a log message, a warning
 */
void redact_machine(struct redactor *r, struct text_buf *b, const char *name);
void redact_path(struct redactor *r, struct text_buf *b, const char *path,
    size_t n, const char *machine);
void redact_guid(struct redactor *r, struct text_buf *b, const char *guid);
void redact_text(struct redactor *r, struct text_buf *b, const char *s,
    size_t n, const char *machine);
/* redact_text() for a message that is about to be masked into a template
 * (analyzer/template.h): drive and UNC paths become "<path>" and GUIDs
 * "<guid>" at once, as the mask would make them, instead of pseudonyms;
 * the rest as redact_text(). */
void redact_template(struct redactor *r, struct text_buf *b, const char *s,
    size_t n, const char *machine);

/* Write the table of pseudonyms and originals, one "pseudonym TAB
 * original" line each, sorted, originals with TAB, LF, CR and backslash
 * escaped as \t \n \r \\.  Needs keep_map.  0, -1 on a write error. */
int redactor_map_write(struct redactor *r, FILE *f);

#endif
