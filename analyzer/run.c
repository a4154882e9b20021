/* SPDX-License-Identifier: MIT */
/*
 * run.c -- worker threads over the expanded inputs, and the progress
 * meter.
 *
 * Workers pull the next item index under a mutex; each owns an analysis
 * (classifier and PCRE2 match data are per thread) and so a partial
 * summary.  Progress counters are atomics updated once per chunk through
 * a counting wrapper around the source callbacks.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyzer/run.h"

struct run {
	const struct catalog *cat;
	const struct run_options *opt;
	struct source_item *items;
	size_t nitems;
	size_t next;			/* next item to take, under lock */
	pthread_mutex_t lock;
	atomic_uint_fast64_t bytes;	/* decompressed bytes read */
	atomic_uint_fast64_t disk_done;	/* on-disk bytes of finished items */
	atomic_size_t items_done;
	atomic_int failed;		/* a worker hit OOM */
};

struct worker {
	struct run *run;
	struct analysis *an;
	pthread_t thread;
};

static int
count_entry(void *arg, const struct source_entry *e, struct source_stream *s)
{
	struct worker *w = arg;

	return analysis_read_entry(w->an, e, s);
}

static int
count_skip(void *arg, const struct source_entry *e, enum source_skip kind,
    const char *why)
{
	struct worker *w = arg;

	return analysis_skip(w->an, e, kind, why);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct run *r = w->run;
	const struct source_callbacks cb = { count_entry, count_skip };

	for (;;) {
		size_t i;
		int rc;

		pthread_mutex_lock(&r->lock);
		i = atomic_load(&r->failed) ? r->nitems : r->next++;
		pthread_mutex_unlock(&r->lock);
		if (i >= r->nitems)
			break;
		rc = source_walk_item(&r->items[i], &r->opt->source, &cb, w);
		if (r->items[i].size > 0)
			atomic_fetch_add(&r->disk_done,
			    (uint64_t)r->items[i].size);
		atomic_fetch_add(&r->items_done, 1);
		if (rc != 0) {
			atomic_store(&r->failed, 1);
			break;
		}
	}
	return NULL;
}

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
human_bytes(double b, char *buf, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int u = 0;

	while (b >= 1024 && u < 4) {
		b /= 1024;
		u++;
	}
	snprintf(buf, len, u == 0 ? "%.0f %s" : "%.1f %s", b, units[u]);
}

/* One progress line, redrawn in place: files, bytes, rate, ETA. */
static void
progress_draw(struct run *r, uint64_t disk_total, double started, int final)
{
	double elapsed = now_seconds() - started;
	uint64_t bytes = atomic_load(&r->bytes);
	uint64_t done = atomic_load(&r->disk_done);
	size_t items = atomic_load(&r->items_done);
	char rd[32], rate[32], eta[32] = "";

	/* Archives expand, so bytes read only estimate the on-disk bytes
	 * done; finished items count exactly. */
	if (bytes > done)
		done = bytes < disk_total ? bytes : disk_total;
	human_bytes((double)bytes, rd, sizeof rd);
	human_bytes(elapsed > 0 ? (double)bytes / elapsed : 0, rate, sizeof rate);
	if (!final && done > 0 && disk_total > done && elapsed > 0.5)
		snprintf(eta, sizeof eta, ", ETA %.0fs",
		    (double)(disk_total - done) * elapsed / (double)done);
	fprintf(r->opt->progress, "\r\033[Kmarslog: %zu/%zu files, %s, %s/s%s",
	    items, r->nitems, rd, rate, eta);
	if (final)
		fputs("\r\033[K", r->opt->progress);
	fflush(r->opt->progress);
}

static int
collect_skip(void *arg, const struct source_entry *e, enum source_skip kind,
    const char *why)
{
	return analysis_skip(arg, e, kind, why);
}

struct summary *
run_analysis(const struct catalog *cat, const struct run_options *opt,
    char *err, size_t errlen)
{
	struct run r;
	struct analysis_options aopt;
	struct worker *w = NULL;
	struct analysis *first = NULL;
	struct summary *out = NULL;
	const struct source_callbacks cb = { NULL, collect_skip };
	uint64_t disk_total = 0;
	size_t i, nw, nstarted = 0;
	int jobs = opt->jobs > 0 ? opt->jobs : 1;
	double started = now_seconds();

	memset(&r, 0, sizeof r);
	r.cat = cat;
	r.opt = opt;
	pthread_mutex_init(&r.lock, NULL);

	/* The first analysis also collects the skips of the expansion. */
	aopt = opt->analysis;
	if (opt->progress != NULL)
		aopt.bytes_read = &r.bytes;
	first = analysis_new(cat, &aopt, err, errlen);
	if (first == NULL)
		goto out;
	if (source_expand(opt->paths, opt->npaths, &opt->source, &cb, first,
	    &r.items, &r.nitems) != 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	for (i = 0; i < r.nitems; i++)
		if (r.items[i].size > 0)
			disk_total += (uint64_t)r.items[i].size;

	nw = (size_t)jobs < r.nitems ? (size_t)jobs : r.nitems;
	if (nw == 0)
		nw = 1;
	w = calloc(nw, sizeof *w);
	if (w == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	w[0].an = first;
	first = NULL;
	/* Workers that start share all items; a thread or analysis that
	 * cannot be made only lowers the parallelism. */
	for (i = 0; i < nw; i++) {
		w[i].run = &r;
		if (w[i].an == NULL)
			w[i].an = analysis_new(cat, &aopt, err, errlen);
		if (w[i].an == NULL ||
		    pthread_create(&w[i].thread, NULL, worker_main, &w[i]) != 0)
			break;
		nstarted++;
	}
	if (nstarted == 0) {
		if (w[0].an != NULL)
			snprintf(err, errlen, "cannot start a thread");
		goto out;
	}
	if (opt->progress != NULL) {
		while (atomic_load(&r.items_done) < r.nitems) {
			const struct timespec tick = { 0, 200 * 1000000L };

			progress_draw(&r, disk_total, started, 0);
			nanosleep(&tick, NULL);
			if (atomic_load(&r.failed))
				break;
		}
		progress_draw(&r, disk_total, started, 1);
	}
	for (i = 0; i < nstarted; i++)
		pthread_join(w[i].thread, NULL);
	if (atomic_load(&r.failed)) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	out = analysis_take_summary(w[0].an);
	for (i = 1; out != NULL && i < nstarted; i++)
		if (summary_merge(out, analysis_summary(w[i].an)) != 0) {
			summary_free(out);
			out = NULL;
		}
	for (i = 1; out != NULL && i < nstarted; i++)
		if (analysis_merge_tasks(w[0].an, w[i].an) != 0) {
			summary_free(out);
			out = NULL;
		}
	if (out == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	analysis_finalize(w[0].an, out);
out:
	for (i = 0; w != NULL && i < nw; i++)
		analysis_free(w[i].an);
	free(w);
	analysis_free(first);
	source_items_free(r.items, r.nitems);
	pthread_mutex_destroy(&r.lock);
	return out;
}
