/* SPDX-License-Identifier: MIT */
/*
 * run.c -- worker threads over the expanded inputs, and the progress
 * meter.
 *
 * Workers take, under a mutex, the next queued range of a split file, or
 * else the next item (planning its split when it is large); each owns an
 * analysis (classifier and PCRE2 match data are per thread) and so a
 * partial summary.  Ranges are queued in file order and taken in that
 * order, which split.c relies on.  Progress counters are atomics updated
 * once per chunk.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyzer/run.h"
#include "analyzer/split.h"
#include "analyzer/years.h"
#include "parsers/record.h"
#include "reports/fleet.h"

/* A range of a split item waiting for a worker. */
struct task {
	size_t item, range;
};

struct run {
	const struct catalog *cat;
	const struct run_options *opt;
	struct source_item *items;
	size_t nitems;
	/* under lock */
	pthread_mutex_t lock;
	pthread_cond_t more;		/* ranges queued, a plan ended, failure */
	size_t next;			/* next item to take */
	size_t planning;		/* items being planned: ranges may come */
	struct split **splits;		/* per item, while its ranges are read */
	size_t *left;			/* per item: ranges not yet read */
	struct task *queue;		/* ranges waiting, taken from qhead */
	size_t qhead, qlen, qcap;
	/* progress and failure */
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

/* Could the item be split?  split_plan() decides; this only spares it
 * the items it would refuse for their size. */
static int
may_split(const struct run *r, const struct source_item *it)
{
	uint64_t range = r->opt->split_bytes;

	return r->opt->jobs > 1 && range > 0 && it->size > 0 &&
	    (uint64_t)it->size / 2 >= range;
}

static void
item_done(struct run *r, size_t i)
{
	if (r->items[i].size > 0)
		atomic_fetch_add(&r->disk_done, (uint64_t)r->items[i].size);
	atomic_fetch_add(&r->items_done, 1);
}

static void
fail(struct run *r)
{
	pthread_mutex_lock(&r->lock);
	atomic_store(&r->failed, 1);
	pthread_cond_broadcast(&r->more);
	pthread_mutex_unlock(&r->lock);
}

/* Read range k of split item i; the worker that reads the last one joins
 * them into its summary. */
static int
run_range(struct worker *w, size_t i, size_t k)
{
	struct run *r = w->run;
	struct split *sp = r->splits[i];
	int rc = split_read(sp, k, w->an), last;

	pthread_mutex_lock(&r->lock);
	last = --r->left[i] == 0;
	pthread_mutex_unlock(&r->lock);
	if (!last)
		return rc;
	if (rc == 0)
		rc = split_join(sp, w->an);
	split_free(sp);
	r->splits[i] = NULL;
	item_done(r, i);
	return rc;
}

/* Plan item i (the caller counted it in r->planning); queue its ranges
 * but the first, which this worker reads, or walk it whole. */
static int
run_item(struct worker *w, size_t i, int planned)
{
	struct run *r = w->run;
	const struct source_callbacks cb = { count_entry, count_skip };
	struct split *sp = NULL;
	struct task *q;
	size_t k, n;
	int rc = 0;

	if (planned) {
		rc = split_plan(&r->items[i], &r->opt->source,
		    &r->opt->analysis, r->opt->split_bytes, &sp);
		pthread_mutex_lock(&r->lock);
		r->planning--;
		n = sp != NULL ? split_ranges(sp) : 0;
		if (n > 0 && r->qlen + n > r->qcap) {
			size_t cap = r->qcap ? r->qcap : 64;

			while (cap < r->qlen + n)
				cap *= 2;
			q = realloc(r->queue, cap * sizeof *q);
			if (q == NULL) {
				split_free(sp);
				sp = NULL;
				rc = -1;
			} else {
				r->queue = q;
				r->qcap = cap;
			}
		}
		if (sp != NULL) {
			r->splits[i] = sp;
			r->left[i] = n;
			for (k = 1; k < n; k++)
				r->queue[r->qlen++] = (struct task){ i, k };
		}
		pthread_cond_broadcast(&r->more);
		pthread_mutex_unlock(&r->lock);
		if (rc != 0)
			return rc;
		if (sp != NULL)
			return run_range(w, i, 0);
	}
	rc = source_walk_item(&r->items[i], &r->opt->source, &cb, w);
	item_done(r, i);
	return rc;
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct run *r = w->run;

	for (;;) {
		struct task t = { 0, 0 };
		int what = 0, planned = 0;	/* 1 an item, 2 a range */

		pthread_mutex_lock(&r->lock);
		while (!atomic_load(&r->failed)) {
			if (r->qhead < r->qlen) {
				t = r->queue[r->qhead++];
				what = 2;
			} else if (r->next < r->nitems) {
				t.item = r->next++;
				what = 1;
				planned = may_split(r, &r->items[t.item]);
				r->planning += (size_t)planned;
			} else if (r->planning > 0) {
				pthread_cond_wait(&r->more, &r->lock);
				continue;
			}
			break;
		}
		pthread_mutex_unlock(&r->lock);
		if (what == 0)
			break;
		if ((what == 1 ? run_item(w, t.item, planned) :
		    run_range(w, t.item, t.range)) != 0) {
			fail(r);
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

/* One pass over every input with the analysis options `aopt`. */
static struct summary *
run_pass(const struct catalog *cat, const struct run_options *opt,
    const struct analysis_options *pass_opt, char *err, size_t errlen)
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
	pthread_cond_init(&r.more, NULL);

	/* The first analysis also collects the skips of the expansion. */
	aopt = *pass_opt;
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
	nw = (size_t)jobs < r.nitems ? (size_t)jobs : r.nitems;
	for (i = 0; i < r.nitems; i++) {
		if (r.items[i].size > 0)
			disk_total += (uint64_t)r.items[i].size;
		if (may_split(&r, &r.items[i]))
			nw = (size_t)jobs;	/* its ranges can use them all */
	}
	if (nw == 0)
		nw = 1;
	w = calloc(nw, sizeof *w);
	r.splits = calloc(r.nitems ? r.nitems : 1, sizeof *r.splits);
	r.left = calloc(r.nitems ? r.nitems : 1, sizeof *r.left);
	if (w == NULL || r.splits == NULL || r.left == NULL) {
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
	for (i = 0; r.splits != NULL && i < r.nitems; i++)
		split_free(r.splits[i]);
	free(r.splits);
	free(r.left);
	free(r.queue);
	source_items_free(r.items, r.nitems);
	pthread_cond_destroy(&r.more);
	pthread_mutex_destroy(&r.lock);
	return out;
}

/* 1 if one of the paths is stdin, which cannot be read twice. */
static int
reads_stdin(const struct run_options *opt)
{
	size_t i;

	for (i = 0; i < opt->npaths; i++)
		if (strcmp(opt->paths[i], "-") == 0)
			return 1;
	return 0;
}

/* The bound `ago` ms before `ref`, or `abs` when the bound is not
 * relative (ago 0); NONE when that would be before 1970. */
static int64_t
window_bound(int64_t ref, int64_t ago, int64_t abs)
{
	if (ago <= 0)
		return abs;
	if (ref - ML_TIME_MIN < ago)
		return ML_TIME_NONE;
	return ref - ago;
}

struct summary *
run_analysis(const struct catalog *cat, const struct run_options *opt,
    char *err, size_t errlen)
{
	struct analysis_options aopt = opt->analysis;
	struct summary *s;
	int64_t ref = opt->reference;
	int relative = opt->since_ago > 0 || opt->until_ago > 0;
	int once = reads_stdin(opt), changed = 0, need_ref;

	if (ref == 0)
		ref = ML_TIME_NONE;
	/* a relative window counts back from the reference: --now, else
	 * the newest record, known after a pass without those bounds */
	need_ref = relative && ref == ML_TIME_NONE;
	if (need_ref && once) {
		snprintf(err, errlen, "a relative --since or --until over standard input needs --now (stdin cannot be read twice)");
		return NULL;
	}
	if (relative && !need_ref) {
		aopt.since = window_bound(ref, opt->since_ago, aopt.since);
		aopt.until = window_bound(ref, opt->until_ago, aopt.until);
	}
	if (need_ref) {
		if (opt->since_ago > 0)
			aopt.since = ML_TIME_NONE;
		if (opt->until_ago > 0)
			aopt.until = ML_TIME_NONE;
	}
	if ((s = run_pass(cat, opt, &aopt, err, errlen)) == NULL)
		return NULL;
	/* the years the evidence of every input chooses (years.h); stdin
	 * cannot be read again: its warnings only */
	if (opt->years != NULL) {
		if (years_decide(opt->years, s, aopt.years, aopt.nyears,
		    aopt.now, &changed) != 0)
			goto oom;
		if (once)
			changed = 0;
		else
			aopt.plan = opt->years;
	}
	if (changed) {
		summary_free(s);
		if ((s = run_pass(cat, opt, &aopt, err, errlen)) == NULL)
			return NULL;
	}
	if (ref == ML_TIME_NONE)
		ref = fleet_newest_record(s);
	if (need_ref) {
		summary_free(s);
		aopt.since = window_bound(ref, opt->since_ago, aopt.since);
		aopt.until = window_bound(ref, opt->until_ago, aopt.until);
		if ((s = run_pass(cat, opt, &aopt, err, errlen)) == NULL)
			return NULL;
	}
	if (aopt.plan != NULL)
		years_apply(opt->years, s);
	if (opt->reference_out != NULL)
		*opt->reference_out = ref;
	if (opt->window_out != NULL) {
		opt->window_out[0] = aopt.since;
		opt->window_out[1] = aopt.until;
	}
	return s;
oom:
	summary_free(s);
	snprintf(err, errlen, "out of memory");
	return NULL;
}
