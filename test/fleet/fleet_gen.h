/* SPDX-License-Identifier: MIT */
/*
 * fleet_gen.h -- generated fleets for the fleet tests (test_fleet.c,
 * test_baseline.c) and the fleet bench (genfleet.c): one bundle per
 * machine, DIR/<name>/Temp/CBEngineCurr.errlog in UTF-8, with a known
 * outcome.  Everything here is static inline; include it from one file.
 *
 * Time line of night N (N = 0, 1, ...; each night is one day later):
 *   day -1 = 2024-06-07 + N, day 0 = 06-08 + N, day 1 = 06-09 + N;
 *   a backup starts at 20:00 and ends at 21:00 (succeeded, or an ERROR
 *   SalLowDiskSpace line and "Backup Progress: Failed");
 *   every machine logs its agent version at day -1 00:00 and a heartbeat
 *   at 06:00 the day after day 1, so the newest record of a run (the
 *   default "hours since" reference) is 2024-06-10T06:00:00Z + N days.
 * Kinds:
 *   FG_CLEAN    backups day 0 and day 1 succeeded      not stale (9 h)
 *   FG_FLAKY    day 0 failed, day 1 succeeded          not stale (9 h)
 *   FG_FAILING  day -1 ok, day 0 and day 1 failed      stale (57 h)
 *   FG_SILENT   day -1 ok, nothing since               stale (57 h)
 *   FG_NEVER    no job, an invalid vault credentials error (ID 34513)
 *               at day 1 10:00                         stale (never)
 * `denied` adds that many "Access is denied" (0x80070005) WARNING lines
 * at day 1 12:00, for count changes night over night.
 *
 * Files get the mtime 2024-06-10T07:00:00Z + N days, so the year of the
 * records (the logs write none) does not depend on when the test runs.
 */
#ifndef MARSLOG_TEST_FLEET_GEN_H
#define MARSLOG_TEST_FLEET_GEN_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>

enum fg_kind { FG_CLEAN = 0, FG_FLAKY, FG_FAILING, FG_SILENT, FG_NEVER };

struct fg_machine {
	const char *name;
	enum fg_kind kind;
	int denied;		/* access-denied warnings at day 1 12:00 */
};

#define FG_T0 INT64_C(1717977600000)	/* 2024-06-10T00:00:00Z */
#define FG_HOUR INT64_C(3600000)
#define FG_DAY (24 * FG_HOUR)

/* The newest record of night N: the heartbeat at 06:00. */
#define FG_AS_OF(night) (FG_T0 + (night) * FG_DAY + 6 * FG_HOUR)

/* "MM/DD\tHH:MM:SS.000" of day `day` of night `night` (day 2 = 06-10). */
static inline void
fg_stamp(char *buf, size_t len, int night, int day, int h, int m, int s)
{
	/* June has 30 days; the tests use a handful of nights */
	int d = 8 + night + day, mon = 6;

	if (d > 30) {
		d -= 30;
		mon = 7;
	}
	snprintf(buf, len, "%02d/%02d\t%02d:%02d:%02d.000", mon, d, h, m, s);
}

static inline void
fg_line(FILE *fp, int night, int day, int h, int m, int s,
    const char *task, const char *level, const char *msg)
{
	char t[80];		/* room for any int the compiler imagines */

	fg_stamp(t, sizeof(t), night, day, h, m, s);
	fprintf(fp, "0E6C\t17F0\t%s\t71\tbackupasync.cpp(1338)\t"
	    "[00000000B9A3B610]\t%s\t%s\t%s\r\n", t, task, level, msg);
}

/* One backup job of `name` at day `day`; task GUIDs differ per machine
 * and day, and stay the same from night to night for the same day. */
static inline void
fg_job(FILE *fp, const char *name, int night, int day, int ok)
{
	char task[40];
	unsigned h = 2166136261u;
	const char *p;

	for (p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	snprintf(task, sizeof(task), "%08X-0000-4000-8000-%012X", h,
	    (unsigned)(night + day + 100));
	fg_line(fp, night, day, 20, 0, 0, task, "NORMAL",
	    "Backup Progress: Prebackup started.");
	fg_line(fp, night, day, 20, 30, 0, task, "NORMAL",
	    "Backup Progress: Data transfer started.");
	if (ok) {
		fg_line(fp, night, day, 21, 0, 0, task, "NORMAL",
		    "Backup Progress: Succeeded");
		return;
	}
	fg_line(fp, night, day, 21, 0, 0, task, "ERROR",
	    "Backup failed due to insufficient storage in volume where the "
	    "scratch folder is located. SalLowDiskSpace");
	fg_line(fp, night, day, 21, 0, 1, task, "NORMAL",
	    "Backup Progress: Failed");
}

static inline int
fg_mkdir(const char *path)
{
	return mkdir(path, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

/* Write the bundle of `m` for night `night` under dir, with `filler`
 * ordinary NORMAL lines spread over day 0 before the backup (the bench
 * uses them to give bundles a realistic size; they change no outcome).
 * 0 or -1. */
static inline int
fg_write_filler(const char *dir, const struct fg_machine *m, int night,
    long filler)
{
	char path[4096];
	struct timeval tv[2];
	FILE *fp;
	long k;
	int i;

	snprintf(path, sizeof(path), "%s/%s", dir, m->name);
	if (fg_mkdir(path) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/%s/Temp", dir, m->name);
	if (fg_mkdir(path) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/%s/Temp/CBEngineCurr.errlog", dir,
	    m->name);
	if (!(fp = fopen(path, "wb")))
		return -1;
	fg_line(fp, night, -1, 0, 0, 0, "", "NORMAL",
	    "Microsoft Azure Recovery Services Agent version 2.0.9262.0");
	for (k = 0; k < filler; k++) {
		long sec = k * (20 * 3600L) / filler;

		fg_line(fp, night, 0, (int)(sec / 3600), (int)(sec / 60 % 60),
		    (int)(sec % 60), "", "NORMAL", k % 2 ?
		    "<--CCBEngine::OnIdleTimer" :
		    "Checking for pending jobs: 0 queued; next scheduled "
		    "backup at 20:00 UTC, cache volume C: 48.2 GB free");
	}
	switch (m->kind) {
	case FG_CLEAN:
		fg_job(fp, m->name, night, 0, 1);
		fg_job(fp, m->name, night, 1, 1);
		break;
	case FG_FLAKY:
		fg_job(fp, m->name, night, 0, 0);
		fg_job(fp, m->name, night, 1, 1);
		break;
	case FG_FAILING:
		fg_job(fp, m->name, night, -1, 1);
		fg_job(fp, m->name, night, 0, 0);
		fg_job(fp, m->name, night, 1, 0);
		break;
	case FG_SILENT:
		fg_job(fp, m->name, night, -1, 1);
		break;
	case FG_NEVER:
		fg_line(fp, night, 1, 10, 0, 0, "", "ERROR",
		    "RegisterMachine failed. Error: Invalid vault credentials "
		    "provided. (ID: 34513)");
		break;
	}
	for (i = 0; i < m->denied; i++)
		fg_line(fp, night, 1, 12, 0, i, "", "WARNING",
		    "Failed: Hr: = [0x80070005] Access is denied.");
	fg_line(fp, night, 2, 6, 0, 0, "", "NORMAL",
	    "Checking for pending jobs: 0 queued");
	if (fclose(fp) != 0)
		return -1;
	tv[0].tv_sec = tv[1].tv_sec = (time_t)((FG_T0 + night * FG_DAY +
	    7 * FG_HOUR) / 1000);
	tv[0].tv_usec = tv[1].tv_usec = 0;
	return utimes(path, tv);
}

/* The bundle of `m` for night `night` under dir.  0 or -1. */
static inline int
fg_write(const char *dir, const struct fg_machine *m, int night)
{
	return fg_write_filler(dir, m, night, 0);
}

/* The kind of machine i of a generated fleet of any size: a fixed
 * mix: of every 10, 4 clean, 2 flaky, and 3 stale (failing, silent,
 * never). */
static inline enum fg_kind
fg_kind_of(size_t i)
{
	static const enum fg_kind mix[10] = {
		FG_CLEAN, FG_FLAKY, FG_CLEAN, FG_FAILING, FG_CLEAN,
		FG_SILENT, FG_CLEAN, FG_FLAKY, FG_CLEAN, FG_NEVER,
	};

	return mix[i % 10];
}

#endif
