/* SPDX-License-Identifier: MIT */
/*
 * prefetch.c -- a reader thread and a ring of SLOTS buffers (prefetch.h).
 *
 * The reader fills slot `head`, the caller empties slot `tail`; a slot the
 * caller holds is released on its next call.  One mutex and two condition
 * variables: `filled` wakes the caller, `freed` wakes the reader.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/prefetch.h"

#define SLOTS 4

struct slot {
	char *buf;
	size_t len, cap;
};

struct prefetch {
	struct source_stream *s;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t filled, freed;
	struct slot slot[SLOTS];
	unsigned head, tail;	/* next to fill, next to hand out */
	unsigned count;		/* filled slots, including a held one */
	int held;		/* the caller holds slot tail - 1 */
	int done;		/* reader finished: 1 end, -1 error */
	int stop;		/* caller wants the reader to stop */
	char err[256];
};

static void *
reader_main(void *arg)
{
	struct prefetch *p = arg;
	const void *buf;
	size_t len;
	int r = 1;

	for (;;) {
		struct slot *sl;

		pthread_mutex_lock(&p->lock);
		while (p->count == SLOTS && !p->stop)
			pthread_cond_wait(&p->freed, &p->lock);
		if (p->stop) {
			pthread_mutex_unlock(&p->lock);
			break;
		}
		sl = &p->slot[p->head];
		pthread_mutex_unlock(&p->lock);

		/* The slot is free: fill it without holding the lock. */
		r = source_stream_read(p->s, &buf, &len);
		if (r == 1 && len > sl->cap) {
			char *nb = realloc(sl->buf, len);

			if (nb == NULL) {
				snprintf(p->err, sizeof p->err, "out of memory");
				r = -1;
			} else {
				sl->buf = nb;
				sl->cap = len;
			}
		} else if (r < 0) {
			snprintf(p->err, sizeof p->err, "%s",
			    source_stream_error(p->s));
		}
		if (r == 1) {
			memcpy(sl->buf, buf, len);
			sl->len = len;
		}
		pthread_mutex_lock(&p->lock);
		if (r == 1) {
			p->head = (p->head + 1) % SLOTS;
			p->count++;
		} else {
			p->done = r == 0 ? 1 : -1;
		}
		pthread_cond_signal(&p->filled);
		pthread_mutex_unlock(&p->lock);
		if (r != 1)
			break;
	}
	return NULL;
}

struct prefetch *
prefetch_start(struct source_stream *s)
{
	struct prefetch *p = calloc(1, sizeof *p);

	if (p == NULL)
		return NULL;
	p->s = s;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->filled, NULL);
	pthread_cond_init(&p->freed, NULL);
	if (pthread_create(&p->thread, NULL, reader_main, p) != 0) {
		pthread_cond_destroy(&p->freed);
		pthread_cond_destroy(&p->filled);
		pthread_mutex_destroy(&p->lock);
		free(p);
		return NULL;
	}
	return p;
}

int
prefetch_read(struct prefetch *p, const void **buf, size_t *len)
{
	int r;

	pthread_mutex_lock(&p->lock);
	if (p->held) {		/* release the slot handed out last time */
		p->held = 0;
		p->count--;
		pthread_cond_signal(&p->freed);
	}
	while (p->count == 0 && p->done == 0)
		pthread_cond_wait(&p->filled, &p->lock);
	if (p->count > 0) {
		*buf = p->slot[p->tail].buf;
		*len = p->slot[p->tail].len;
		p->tail = (p->tail + 1) % SLOTS;
		p->held = 1;
		r = 1;
	} else {
		r = p->done > 0 ? 0 : -1;
	}
	pthread_mutex_unlock(&p->lock);
	return r;
}

const char *
prefetch_error(const struct prefetch *p)
{
	return p->err;
}

void
prefetch_stop(struct prefetch *p)
{
	int i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = 1;
	pthread_cond_signal(&p->freed);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	for (i = 0; i < SLOTS; i++)
		free(p->slot[i].buf);
	pthread_cond_destroy(&p->freed);
	pthread_cond_destroy(&p->filled);
	pthread_mutex_destroy(&p->lock);
	free(p);
}
