/* SPDX-License-Identifier: MIT */
/*
 * hmap.c -- open addressing with linear probing over (hash, index) slots.
 * Linear probing keeps a lookup within one or two cache lines at the 3/4
 * load limit; the stored 32-bit hash filters candidates so the caller's
 * equality callback (a strcmp on its item) runs about once per lookup.
 * Linear probing is only as good as the hash: it is keyed (hmap.h), so a
 * long run of occupied slots needs luck, not a prepared input.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/hmap.h"

#define HMAP_MIN_CAP 16

_Static_assert(crypto_shorthash_KEYBYTES == HMAP_KEY_BYTES &&
    crypto_shorthash_BYTES == 8, "SipHash-2-4: 128-bit key, 64-bit hash");

static unsigned char hmap_key[HMAP_KEY_BYTES];
static pthread_once_t hmap_key_once = PTHREAD_ONCE_INIT;
static int hmap_key_fixed;

static void
hmap_key_draw(void)
{
	if (!hmap_key_fixed) {
		/* sodium_init picks the random source; randombytes falls
		 * back to its default one even if it failed */
		if (sodium_init() < 0)
			memset(hmap_key, 0, sizeof hmap_key);
		randombytes_buf(hmap_key, sizeof hmap_key);
	}
}

void
hmap_set_key(const unsigned char key[HMAP_KEY_BYTES])
{
	memcpy(hmap_key, key, sizeof hmap_key);
	hmap_key_fixed = 1;
}

void
hmap_init(struct hmap *h)
{
	h->slots = NULL;
	h->cap = 0;
	h->len = 0;
}

void
hmap_release(struct hmap *h)
{
	free(h->slots);
	hmap_init(h);
}

void
hmap_clear(struct hmap *h)
{
	if (h->slots)
		memset(h->slots, 0, h->cap * sizeof(*h->slots));
	h->len = 0;
}

uint64_t
hmap_hash(uint64_t h, const void *p, size_t n)
{
	unsigned char key[HMAP_KEY_BYTES], out[8];
	uint64_t k0, r;

	(void)pthread_once(&hmap_key_once, hmap_key_draw);
	memcpy(key, hmap_key, sizeof key);
	memcpy(&k0, key, sizeof k0);
	k0 ^= h;
	memcpy(key, &k0, sizeof k0);
	crypto_shorthash(out, p, n, key);
	memcpy(&r, out, sizeof r);
	return r;
}

/* SipHash mixes every bit: the two halves are folded so that the slot
 * (low bits) and the stored filter see all of them. */
static uint32_t
hmap_fold(uint64_t hash)
{
	return (uint32_t)(hash ^ (hash >> 32));
}

size_t
hmap_find(const struct hmap *h, uint64_t hash, hmap_eq_fn eq,
    const void *ctx, const void *key)
{
	uint32_t f = hmap_fold(hash);
	size_t mask, i, step;

	if (h->cap == 0)
		return HMAP_NONE;
	mask = h->cap - 1;
	for (i = f & mask, step = 0; step < h->cap && h->slots[i].idx1 != 0;
	    i = (i + 1) & mask, step++) {
		if (h->slots[i].hash == f &&
		    eq(ctx, h->slots[i].idx1 - 1, key))
			return h->slots[i].idx1 - 1;
	}
	return HMAP_NONE;
}

/* The table is at most 3/4 full (hmap_reserve), so a free slot is
 * always found within `cap` steps. */
static void
hmap_place(struct hmap_slot *slots, size_t cap, uint32_t f, uint32_t idx1)
{
	size_t mask = cap - 1, i, step;

	for (i = f & mask, step = 0; step < cap && slots[i].idx1 != 0;
	    i = (i + 1) & mask, step++)
		;
	slots[i].hash = f;
	slots[i].idx1 = idx1;
}

int
hmap_reserve(struct hmap *h, size_t n)
{
	struct hmap_slot *slots;
	size_t cap = h->cap ? h->cap : HMAP_MIN_CAP, i;

	while (n > cap / 4 * 3) {
		if (cap > SIZE_MAX / 2 / sizeof(*slots))
			return -1;
		cap *= 2;
	}
	if (cap == h->cap)
		return 0;
	slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return -1;
	for (i = 0; i < h->cap; i++)
		if (h->slots[i].idx1 != 0)
			hmap_place(slots, cap, h->slots[i].hash,
			    h->slots[i].idx1);
	free(h->slots);
	h->slots = slots;
	h->cap = cap;
	return 0;
}

int
hmap_insert(struct hmap *h, uint64_t hash, size_t idx)
{
	if (idx >= UINT32_MAX - 1)
		return -1;
	if (hmap_reserve(h, h->len + 1) < 0)
		return -1;
	hmap_place(h->slots, h->cap, hmap_fold(hash), (uint32_t)idx + 1);
	h->len++;
	return 0;
}
