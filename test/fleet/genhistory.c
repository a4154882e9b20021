/* SPDX-License-Identifier: MIT */
/*
 * genhistory.c -- the history part of the fleet bench (test/fleet/bench.sh,
 * `make bench-fleet`):
 *
 *   genhistory DB MACHINES NIGHTS
 *
 * records NIGHTS nightly runs of a fleet of MACHINES machines into the
 * history database DB through marslog's own code path (diagnose_new(),
 * then history_record(), as `marslog --history DB` does after an
 * analysis), without reading logs: each night's summary is built in
 * memory.  Night n (n = 0 is 2024-01-01) holds every machine's backups of
 * days n - 1 and n (ending at 21:00 plus a few minutes per machine, task
 * GUIDs by machine and day), so consecutive nights overlap by a day as
 * real bundles do, and each job is upserted twice.  Outcomes are
 * deterministic: 1 machine in 50 fails for a week every 60 days, any
 * backup fails with probability 1/40 and completes with warnings with
 * 1/25; a failure adds an error finding, warnings a warning finding.
 * Prints "RUNS JOBS SECONDS" (the runs recorded, the job rows, the time
 * spent) on stdout.
 *
 * Only for the bench: it stops at the first error.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parsers/record.h"
#include "reports/diagnose.h"
#include "reports/history.h"
#include "reports/report.h"

#define DAY INT64_C(86400000)
#define MINUTE INT64_C(60000)
#define T0 INT64_C(1704067200000)	/* 2024-01-01T00:00:00Z */

static uint32_t
mix(uint32_t a, uint32_t b)
{
	uint32_t h = a * 2654435761u ^ (b + 0x9e3779b9u + (a << 6) + (a >> 2));

	h ^= h >> 15;
	h *= 2246822519u;
	h ^= h >> 13;
	return h;
}

static enum job_outcome
outcome(int m, int d)
{
	uint32_t r = mix((uint32_t)m, (uint32_t)d);

	if (m % 50 == 7 && (d + m) % 60 < 7)
		return JOB_FAILED;
	if (r % 40 == 0)
		return JOB_FAILED;
	if (r % 25 == 1)
		return JOB_WARNINGS;
	return JOB_SUCCEEDED;
}

static void
die(const char *what)
{
	fprintf(stderr, "genhistory: %s\n", what);
	exit(1);
}

static void
add_job(struct summary *s, const char *name, int m, int d)
{
	char task[48];
	struct summary_job *j;
	struct summary_machine *mm;
	int64_t end = T0 + d * DAY + 21 * 60 * MINUTE + (m % 120) * MINUTE;
	enum job_outcome o = outcome(m, d);

	snprintf(task, sizeof task, "%08X-0000-4000-8000-%012X",
	    (unsigned)m, (unsigned)d);
	if ((j = summary_job_get(s, name, task, NULL)) == NULL ||
	    (mm = summary_machine_get(s, name, NULL)) == NULL)
		die("out of memory");
	j->kind = JOB_BACKUP;
	j->start = end - 45 * MINUTE;
	j->end = end;
	j->outcome = o;
	j->outcome_time = end;
	if (mm->first_seen == ML_TIME_NONE || j->start < mm->first_seen)
		mm->first_seen = j->start;
	if (mm->last_seen == ML_TIME_NONE || end > mm->last_seen)
		mm->last_seen = end;
	if (o == JOB_FAILED || o == JOB_WARNINGS) {
		struct summary_finding *f = summary_finding_get(s, name,
		    o == JOB_FAILED ? "sal-low-disk-space" :
		    "cbp-backup-or-restore-in-progress", NULL);

		if (f == NULL)
			die("out of memory");
		f->level = o == JOB_FAILED ? CAT_LEVEL_ERROR :
		    CAT_LEVEL_WARNING;
		f->count++;
		if (f->first_seen == ML_TIME_NONE || end < f->first_seen)
			f->first_seen = end - MINUTE;
		if (f->last_seen == ML_TIME_NONE || end > f->last_seen)
			f->last_seen = end - MINUTE;
		if (o == JOB_FAILED &&
		    summary_set_str(&j->hresult, "0x80070070") != 0)
			die("out of memory");
	}
}

int
main(int argc, char **argv)
{
	struct history *h;
	struct timespec t0, t1;
	char err[512], name[32];
	long machines, nights, n, m;
	int64_t jobs = 0;

	if (argc != 4 || (machines = atol(argv[2])) <= 0 ||
	    (nights = atol(argv[3])) <= 0) {
		fprintf(stderr, "usage: genhistory DB MACHINES NIGHTS\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((h = history_open(argv[1], HISTORY_WRITE, 0, err, sizeof err)) ==
	    NULL)
		die(err);
	for (n = 0; n < nights; n++) {
		struct summary *s = summary_new();
		struct report_options ro;
		struct history_run run = { 0, "genhistory" };
		struct diagnosis *dg;
		int d;

		if (s == NULL || summary_set_str(&s->generator,
		    "marslog genhistory") != 0)
			die("out of memory");
		for (m = 0; m < machines; m++) {
			snprintf(name, sizeof name, "srv%05ld", m + 1);
			for (d = (int)n - 1; d <= (int)n; d++)
				if (d >= 0)
					add_job(s, name, (int)m, d);
			if (summary_set_str(&summary_machine_get(s, name,
			    NULL)->agent_version, "2.0.9262.0") != 0)
				die("out of memory");
		}
		summary_finish(s);
		memset(&ro, 0, sizeof ro);
		ro.as_of = T0 + (n + 1) * DAY + 6 * 60 * MINUTE;
		ro.as_of_given = 1;
		ro.stale_after_hours = 26;
		run.recorded = ro.as_of;
		if ((dg = diagnose_new(s, NULL, &ro)) == NULL)
			die("out of memory");
		if (history_record(h, s, dg, &run, err, sizeof err) != 0)
			die(err);
		diagnose_free(dg);
		summary_free(s);
	}
	history_close(h);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	jobs = machines * nights;
	printf("%ld %lld %.3f\n", nights, (long long)jobs,
	    (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}
