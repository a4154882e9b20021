/* SPDX-License-Identifier: MIT */
/*
 * hmap.h -- an open-addressing hash index from keys to item indexes.
 *
 * The table does not store keys: the items (and their keys) live in the
 * caller's own array, and the table maps a key's hash to the item's index.
 * Lookups compare candidate items through a callback, so a key can be
 * composite (machine + NUL + path ...) without being built in memory.
 * One slot is 8 bytes (32-bit hash + 32-bit index); the table grows at 3/4
 * load, so an index costs about 11-21 bytes per item.
 *
 * Limits: at most UINT32_MAX - 1 items.  No removal (rebuild with
 * hmap_clear() + hmap_insert() after reordering the items).
 *
 * Hostile keys: the hash is SipHash-2-4 (libsodium's crypto_shorthash)
 * under a key drawn at random once per process, so nobody can prepare
 * inputs whose keys collide (150,000 crafted paths cost seconds with an
 * unkeyed hash).  Nothing may depend on a hash value or on slot order:
 * callers keep their items in their own arrays, so output does not
 * change with the key.  hmap_set_key() fixes the key (tests prove that).
 * Every probe loop stops after `cap` slots whatever the table holds.
 *
 * Typical use:
 *
 *	uint64_t h = hmap_hash(HMAP_HASH_INIT, name, strlen(name) + 1);
 *	size_t i = hmap_find(&m, h, item_eq, items, name);
 *	if (i == HMAP_NONE) {
 *		i = nitems++;  (store the item)
 *		if (hmap_insert(&m, h, i) < 0) ...
 *	}
 */
#ifndef MARSLOG_HMAP_H
#define MARSLOG_HMAP_H

#include <stddef.h>
#include <stdint.h>

#define HMAP_HASH_INIT UINT64_C(0)	/* start of a key's hash */
#define HMAP_KEY_BYTES 16
#define HMAP_NONE SIZE_MAX

struct hmap_slot {
	uint32_t hash;		/* folded hash of the key */
	uint32_t idx1;		/* item index + 1; 0: empty slot */
};

/* Embed by value; zero-initialised (or hmap_init()) is an empty table. */
struct hmap {
	struct hmap_slot *slots;
	size_t cap;		/* power of two, or 0 */
	size_t len;		/* items indexed */
};

/* Is item `idx` of `ctx` equal to `key`? */
typedef int (*hmap_eq_fn)(const void *ctx, size_t idx, const void *key);

void hmap_init(struct hmap *h);
void hmap_release(struct hmap *h);	/* frees the slots; h is then empty */
/* Forget every entry, keep the memory. */
void hmap_clear(struct hmap *h);

/* Keyed hash of n bytes, continuing from `h` (start with HMAP_HASH_INIT):
 * SipHash-2-4 of the bytes under the process key with `h` folded into
 * its first half, so each part of a composite key is hashed under a key
 * that depends on the parts before it.  Feed the NUL terminator of each
 * part so that ("ab", "c") and ("a", "bc") differ.  Thread-safe. */
uint64_t hmap_hash(uint64_t h, const void *p, size_t n);

/* Replace the process key (HMAP_KEY_BYTES bytes) before any table is
 * filled; for tests that show output does not depend on it.  Without a
 * call the key is random (libsodium's randombytes), drawn on first use. */
void hmap_set_key(const unsigned char key[HMAP_KEY_BYTES]);

/* Index of the item equal to `key` among those with hash `hash`, or
 * HMAP_NONE. */
size_t hmap_find(const struct hmap *h, uint64_t hash, hmap_eq_fn eq,
    const void *ctx, const void *key);

/* Index item `idx` under `hash`; the caller has checked that no equal item
 * is indexed.  Returns 0, or -1 on OOM or when idx is too large (the table
 * is unchanged then). */
int hmap_insert(struct hmap *h, uint64_t hash, size_t idx);

/* Make room for `n` items in total without further growth.  -1 on OOM. */
int hmap_reserve(struct hmap *h, size_t n);

#endif
