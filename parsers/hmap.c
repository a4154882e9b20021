/* SPDX-License-Identifier: MIT */
/*
 * hmap.c -- open addressing with linear probing over (hash, index) slots.
 * Linear probing keeps a lookup within one or two cache lines at the 3/4
 * load limit; the stored 32-bit hash filters candidates so the caller's
 * equality callback (a strcmp on its item) runs about once per lookup.
 */
#include <stdlib.h>
#include <string.h>

#include "parsers/hmap.h"

#define HMAP_MIN_CAP 16

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
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

/* FNV-1a's low bits are its weakest: fold the high half in before the
 * slot position is taken from the low bits. */
static uint32_t
hmap_fold(uint64_t hash)
{
	hash ^= hash >> 29;
	hash *= UINT64_C(0xbf58476d1ce4e5b9);
	hash ^= hash >> 32;
	return (uint32_t)hash;
}

size_t
hmap_find(const struct hmap *h, uint64_t hash, hmap_eq_fn eq,
    const void *ctx, const void *key)
{
	uint32_t f = hmap_fold(hash);
	size_t mask, i;

	if (h->cap == 0)
		return HMAP_NONE;
	mask = h->cap - 1;
	for (i = f & mask; h->slots[i].idx1 != 0; i = (i + 1) & mask) {
		if (h->slots[i].hash == f &&
		    eq(ctx, h->slots[i].idx1 - 1, key))
			return h->slots[i].idx1 - 1;
	}
	return HMAP_NONE;
}

static void
hmap_place(struct hmap_slot *slots, size_t cap, uint32_t f, uint32_t idx1)
{
	size_t mask = cap - 1, i;

	for (i = f & mask; slots[i].idx1 != 0; i = (i + 1) & mask)
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
