/* SPDX-License-Identifier: MIT */
/*
 * fleet_util.h -- helpers shared by test_fleet.c and test_baseline.c:
 * write a generated fleet (fleet_gen.h) into a directory, analyse it in
 * process (run_analysis, as marslog does) or with the marslog program
 * ($MARSLOG, else build/marslog; $MARSLOG_WRAP in front, as in the e2e
 * tests), read files and remove the temporary tree.  Everything here is
 * static inline (unused helpers cost nothing); include it from one test file after <cmocka.h>.
 */
#ifndef MARSLOG_TEST_FLEET_UTIL_H
#define MARSLOG_TEST_FLEET_UTIL_H

#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analyzer/run.h"
#include "patterns/catalog.h"
#include "reports/json.h"
#include "reports/summary.h"
#include "test/fleet/fleet_gen.h"
#include "test/test_util.h"

static char fu_dir[64];		/* the test's temporary directory */

/* fu_dir/NAME into buf; returns buf. */
static inline const char *
fu_path(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	size_t n = (size_t)snprintf(buf, len, "%s/", fu_dir);

	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
	return buf;
}

/* Run a shell command line in which "%M" stands for the marslog
 * program.  Returns the exit status, -1 if killed.  Sanitizer reports
 * on stderr fail the test. */
static inline int
fu_sh(const char *fmt, ...)
{
	const char *m = getenv("MARSLOG"), *w = getenv("MARSLOG_WRAP");
	char line[8192], cmd[8192 - 256], prog[1024], errf[128], cwd[512];
	char *err;
	const char *p;
	size_t o = 0;
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* commands cd into the test directory: the default program path
	 * must not be relative */
	if (!(m && *m) && getcwd(cwd, sizeof(cwd)))
		snprintf(prog, sizeof(prog), "%s %s/build/marslog", w ? w : "",
		    cwd);
	else
		snprintf(prog, sizeof(prog), "%s %s", w ? w : "",
		    m && *m ? m : "build/marslog");
	for (p = line; *p && o + sizeof(prog) < sizeof(cmd); p++) {
		if (p[0] == '%' && p[1] == 'M') {
			o += (size_t)snprintf(cmd + o, sizeof(cmd) - o, "%s", prog);
			p++;
		} else {
			cmd[o++] = *p;
		}
	}
	cmd[o] = '\0';
	snprintf(errf, sizeof(errf), "%s/stderr", fu_dir);
	snprintf(line, sizeof(line), "( %s ) 2>%s </dev/null", cmd, errf);
	st = system(line);
	err = test_slurp(errf, NULL);
	if (err && (strstr(err, "AddressSanitizer") ||
	    strstr(err, "runtime error:") || strstr(err, "LeakSanitizer")))
		fail_msg("%s:\n%s", cmd, err);
	free(err);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Write every machine of `ms` for night `night` under fu_dir/SUB. */
static inline void
fu_fleet(const char *sub, const struct fg_machine *ms, size_t n, int night)
{
	char d[256];
	size_t i;

	fu_path(d, sizeof(d), "%s", sub);
	assert_int_equal(fg_mkdir(d), 0);
	for (i = 0; i < n; i++)
		if (fg_write(d, &ms[i], night) != 0)
			fail_msg("cannot write bundle %s under %s", ms[i].name, d);
}

/* Analyse fu_dir/SUB in process with `jobs` threads, as marslog does. */
static inline struct summary *
fu_analyse(const char *sub, int jobs)
{
	char err[512], d[256];
	const char *paths[1];
	struct catalog *cat = catalog_new_builtin(err, sizeof(err));
	struct run_options ro;
	struct summary *s;

	if (!cat)
		fail_msg("catalog: %s", err);
	paths[0] = fu_path(d, sizeof(d), "%s", sub);
	memset(&ro, 0, sizeof(ro));
	ro.paths = paths;
	ro.npaths = 1;
	source_options_init(&ro.source);
	analysis_options_init(&ro.analysis);
	ro.analysis.max_line = 1u << 20;
	ro.jobs = jobs;
	s = run_analysis(cat, &ro, err, sizeof(err));
	if (!s)
		fail_msg("run_analysis: %s", err);
	catalog_free(cat);
	return s;
}

/* Two files hold the same bytes. */
static inline void
fu_same_file(const char *a, const char *b)
{
	size_t na = 0, nb = 0;
	char *x = test_slurp(a, &na), *y = test_slurp(b, &nb);

	if (!x || !y)
		fail_msg("cannot read %s or %s", a, b);
	if (na != nb || memcmp(x, y, na) != 0) {
		char cmd[1200];

		snprintf(cmd, sizeof(cmd), "diff %s %s | head -20 >&2", a, b);
		if (system(cmd) != 0)
			fprintf(stderr, "(diff failed)\n");
		fail_msg("%s and %s differ", a, b);
	}
	free(x);
	free(y);
}

static inline int
fu_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static inline int
fu_setup(void **state)
{
	(void)state;
	snprintf(fu_dir, sizeof(fu_dir), "/tmp/marslog-fleet-XXXXXX");
	return mkdtemp(fu_dir) ? 0 : -1;
}

static inline int
fu_teardown(void **state)
{
	(void)state;
	return nftw(fu_dir, fu_rm, 16, FTW_DEPTH | FTW_PHYS);
}

#endif
