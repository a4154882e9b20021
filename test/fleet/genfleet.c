/* SPDX-License-Identifier: MIT */
/*
 * genfleet.c -- the fleet bench's helper (test/fleet/bench.sh):
 *
 *   genfleet bundles DIR N [FILLER] N generated bundles DIR/srv00001...,
 *                                   the mix of fleet_gen.h (night 0),
 *                                   each with FILLER more ordinary lines
 *   genfleet parts TEMPLATE... -- DIR N
 *                                   N partial summaries DIR/part-00001.json
 *                                   made from the template summaries in
 *                                   turn, each template machine name
 *                                   (the "name" of its first machine row)
 *                                   replaced by a unique one, so the N
 *                                   parts are N machines
 *   genfleet time CMD [ARG...]      run CMD; print "SECONDS MAXRSS_KIB" on
 *                                   stderr; exit with its status
 *
 * Only for the bench: no cleanup on the error paths of a run that stops
 * the bench anyway.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test/fleet/fleet_gen.h"

static int
gen_bundles(const char *dir, long n, long filler)
{
	char name[32];
	struct fg_machine m;
	long i;

	if (fg_mkdir(dir) != 0)
		return 1;
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "srv%05ld", i + 1);
		m.name = name;
		m.kind = fg_kind_of((size_t)i);
		m.denied = m.kind == FG_FLAKY;
		if (fg_write_filler(dir, &m, 0, filler) != 0) {
			perror(name);
			return 1;
		}
	}
	return 0;
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	if (!fp || fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0 || !(buf = malloc((size_t)n + 1)) ||
	    fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		perror(path);
		exit(1);
	}
	fclose(fp);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

/* The first machine row's name: `{"name": "X"` -> X (names here are
 * plain ASCII, never escaped). */
static char *
first_machine(const char *json)
{
	const char *p = strstr(json, "{\"name\": \""), *q;
	char *name;

	if (!p)
		return NULL;
	p += 10;
	if (!(q = strchr(p, '"')) || !(name = strndup(p, (size_t)(q - p))))
		return NULL;
	return name;
}

/* Write text with every "old" (quoted, or as a path component) put as
 * "new". */
static int
write_renamed(const char *path, const char *text, const char *old,
    const char *new)
{
	FILE *fp = fopen(path, "wb");
	size_t k = strlen(old);
	const char *p = text, *q;

	if (!fp)
		return -1;
	while ((q = strstr(p, old)) != NULL) {
		int whole = q > text && (q[-1] == '"' || q[-1] == '/') &&
		    (q[k] == '"' || q[k] == '/');

		fwrite(p, 1, (size_t)(q - p), fp);
		fputs(whole ? new : old, fp);
		p = q + k;
	}
	fputs(p, fp);
	return fclose(fp);
}

static int
gen_parts(char **tpl, int ntpl, const char *dir, long n)
{
	char **text = calloc((size_t)ntpl, sizeof(*text));
	char **names = calloc((size_t)ntpl, sizeof(*names));
	char path[4096], name[32];
	size_t len;
	long i;
	int t;

	if (!text || !names || ntpl == 0 || fg_mkdir(dir) != 0)
		return 1;
	for (t = 0; t < ntpl; t++) {
		text[t] = read_file(tpl[t], &len);
		if (!(names[t] = first_machine(text[t]))) {
			fprintf(stderr, "%s: no machine row\n", tpl[t]);
			return 1;
		}
	}
	for (i = 0; i < n; i++) {
		t = (int)(i % ntpl);
		snprintf(name, sizeof(name), "m%06ld", i + 1);
		snprintf(path, sizeof(path), "%s/part-%06ld.json", dir, i + 1);
		if (write_renamed(path, text[t], names[t], name) != 0) {
			perror(path);
			return 1;
		}
	}
	for (t = 0; t < ntpl; t++) {
		free(text[t]);
		free(names[t]);
	}
	free(text);
	free(names);
	return 0;
}

static int
run_timed(char **argv)
{
	struct timespec a, b;
	struct rusage ru;
	pid_t pid;
	int st;

	clock_gettime(CLOCK_MONOTONIC, &a);
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		execvp(argv[0], argv);
		perror(argv[0]);
		_exit(127);
	}
	if (wait4(pid, &st, 0, &ru) < 0)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &b);
	fprintf(stderr, "%.3f %ld\n", (double)(b.tv_sec - a.tv_sec) +
	    (double)(b.tv_nsec - a.tv_nsec) / 1e9, ru.ru_maxrss);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

int
main(int argc, char **argv)
{
	int i;

	if (argc >= 4 && strcmp(argv[1], "bundles") == 0)
		return gen_bundles(argv[2], atol(argv[3]),
		    argc > 4 ? atol(argv[4]) : 0);
	if (argc >= 3 && strcmp(argv[1], "time") == 0)
		return run_timed(argv + 2);
	if (argc >= 6 && strcmp(argv[1], "parts") == 0) {
		for (i = 2; i < argc && strcmp(argv[i], "--") != 0; i++)
			;
		if (i + 2 < argc)
			return gen_parts(argv + 2, i - 2, argv[i + 1],
			    atol(argv[i + 2]));
	}
	fprintf(stderr, "usage: genfleet bundles DIR N [FILLER] | genfleet parts TEMPLATE... -- DIR N | "
	    "genfleet time CMD...\n");
	return 2;
}
