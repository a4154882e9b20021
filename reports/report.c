/* SPDX-License-Identifier: MIT */
/*
 * report.c -- the writer registry and atomic report output.
 *
 * A report is written into a temporary file beside its target (same
 * directory, so same file system and rename(2) is atomic), checked at
 * every step that can report a full disk or an I/O error (the writer's
 * own result, ferror, fflush, fsync, fclose), and only then renamed over
 * the target.  On any failure the temporary file is removed and the
 * previous report stays as it was.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reports/diagnose.h"
#include "reports/report.h"

/* The writers, one line each. */
static const struct report_writer *const writers[] = {
	&report_writer_json,
	&report_writer_summary,
	&report_writer_html,
	&report_writer_xlsx,
};

const struct report_writer *
report_writer_find(const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof(writers) / sizeof(writers[0]); i++)
		if (strcmp(writers[i]->name, name) == 0)
			return writers[i];
	return NULL;
}

/* Run the writer and return its reason (or the stream's) on failure.
 * Writers always get a diagnosis: the caller's, or one made here. */
static int
run_writer(const struct report_writer *w, const struct summary *s,
    const struct report_options *o, FILE *fp, const char *path,
    char *why, size_t whylen)
{
	struct report_options opt;
	struct diagnosis *own = NULL;
	int rc = 0;

	why[0] = '\0';
	if (o == NULL || o->diag == NULL) {
		if (o != NULL)
			opt = *o;
		else
			memset(&opt, 0, sizeof opt);
		own = diagnose_new(s, opt.catalog, &opt);
		if (own == NULL) {
			snprintf(why, whylen, "%s", strerror(ENOMEM));
			return -1;
		}
		opt.diag = own;
		o = &opt;
	}
	errno = 0;
	if (w->write(s, o, fp, path, why, whylen) < 0 || ferror(fp) ||
	    fflush(fp) != 0) {
		if (!why[0])
			snprintf(why, whylen, "%s",
			    errno ? strerror(errno) : "write error");
		rc = -1;
	}
	diagnose_free(own);
	return rc;
}

/* The mode a newly created file would get: 0666 minus the umask.
 * umask() can only be read by setting it, so it is set straight back. */
static mode_t
creation_mode(void)
{
	mode_t mask = umask(022);

	umask(mask);
	return 0666 & ~mask;
}

/* Write to an existing device or pipe as it is (no temporary file). */
static int
write_in_place(const struct report_writer *w, const struct summary *s,
    const struct report_options *o, const char *path, char *why,
    size_t whylen)
{
	FILE *fp = fopen(path, "w");
	int rc;

	if (fp == NULL) {
		snprintf(why, whylen, "%s", strerror(errno));
		return -1;
	}
	rc = run_writer(w, s, o, fp, NULL, why, whylen);
	if (fclose(fp) != 0 && rc == 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		rc = -1;
	}
	return rc;
}

int
report_write(const struct report_writer *w, const struct summary *s,
    const struct report_options *o, const char *path, char *err,
    size_t errlen)
{
	const char *slash, *base, *shown = path;
	char *tmp = NULL, *real = NULL, why[512];
	size_t dirlen;
	FILE *fp = NULL;
	struct stat st;
	mode_t mode = creation_mode();
	int fd = -1, rc = -1;

	if (strcmp(path, "-") == 0) {
		if (run_writer(w, s, o, stdout, NULL, why, sizeof(why)) < 0) {
			snprintf(err, errlen, "cannot write standard output: "
			    "%s", why);
			return -1;
		}
		return 0;
	}
	/* A symlink is followed: the report replaces its target, beside it. */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) &&
	    (real = realpath(path, NULL)) != NULL)
		path = real;
	if (stat(path, &st) == 0) {
		/* A device or pipe (/dev/null, /dev/stdout, a fifo) is written
		 * in place: renaming over it would replace the node. */
		if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
			rc = write_in_place(w, s, o, path, why, sizeof why);
			goto out;
		}
		mode = st.st_mode & 07777;	/* keep the old report's mode */
	}

	/* "<dir>/.<base>.XXXXXX" beside the target */
	slash = strrchr(path, '/');
	base = slash ? slash + 1 : path;
	dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	if (!*base) {
		snprintf(err, errlen, "cannot write %s: %s", path,
		    strerror(EISDIR));
		return -1;
	}
	if (!(tmp = malloc(dirlen + strlen(base) + 9))) {
		snprintf(why, sizeof(why), "%s", strerror(ENOMEM));
		goto out;
	}
	memcpy(tmp, path, dirlen);
	sprintf(tmp + dirlen, ".%s.XXXXXX", base);
	if ((fd = mkstemp(tmp)) < 0) {
		snprintf(why, sizeof(why), "%s", strerror(errno));
		free(tmp);
		tmp = NULL;		/* nothing to remove */
		goto out;
	}
	if (fchmod(fd, mode) < 0 || !(fp = fdopen(fd, "w"))) {
		snprintf(why, sizeof(why), "%s", strerror(errno));
		goto out;
	}
	fd = -1;			/* fp owns it now */
	if (run_writer(w, s, o, fp, tmp, why, sizeof(why)) < 0)
		goto out;
	if (fsync(fileno(fp)) < 0) {
		snprintf(why, sizeof(why), "%s", strerror(errno));
		goto out;
	}
	errno = 0;
	if (fclose(fp) != 0) {
		fp = NULL;
		snprintf(why, sizeof(why), "%s",
		    errno ? strerror(errno) : "close failed");
		goto out;
	}
	fp = NULL;
	if (rename(tmp, path) < 0) {
		snprintf(why, sizeof(why), "%s", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fp)
		fclose(fp);
	if (fd >= 0)
		close(fd);
	if (rc < 0) {
		if (tmp)
			unlink(tmp);
		snprintf(err, errlen, "cannot write %s: %s", shown, why);
	}
	free(tmp);
	free(real);
	return rc;
}
