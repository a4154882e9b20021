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
 *
 * Temporary files are held under an flock(2) for as long as they are
 * written and listed in a fixed table that a signal handler can read
 * (report_temp_remove_all).  A run killed with SIGKILL leaves its file,
 * unlocked: the next report_write() to the same target removes such
 * files of marslog's naming that the user owns and nobody holds.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reports/diagnose.h"
#include "reports/report.h"

/* ------------------------------------------------- temporary files */

#define TEMP_SLOTS 16
#define TEMP_SUFFIX 6		/* mkstemp's XXXXXX */

/* Paths a signal handler may unlink: a slot is written while it is
 * free (0), then published (1); the handler reads published ones only. */
static char temp_path[TEMP_SLOTS][PATH_MAX];
static atomic_int temp_used[TEMP_SLOTS];

/* Block the signals whose handler removes temporaries while a file is
 * created and listed (or unlisted and removed), so that it never exists
 * unlisted; a signal that came meanwhile is handled on unblocking. */
static void
temp_signals(int block, sigset_t *old)
{
	sigset_t set;

	if (block) {
		sigemptyset(&set);
		sigaddset(&set, SIGINT);
		sigaddset(&set, SIGTERM);
		sigaddset(&set, SIGHUP);
		pthread_sigmask(SIG_BLOCK, &set, old);
	} else {
		pthread_sigmask(SIG_SETMASK, old, NULL);
	}
}

int
report_temp_open(char *tmpl)
{
	sigset_t old;
	int fd, i, e;
	size_t n = strlen(tmpl);

	temp_signals(1, &old);
	if ((fd = mkstemp(tmpl)) < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0) {
		e = errno;
		if (fd >= 0) {
			unlink(tmpl);
			close(fd);
		}
		temp_signals(0, &old);
		errno = e;
		return -1;
	}
	for (i = 0; n < PATH_MAX && i < TEMP_SLOTS; i++) {
		int zero = 0;

		if (atomic_compare_exchange_strong(&temp_used[i], &zero, 2)) {
			memcpy(temp_path[i], tmpl, n + 1);
			atomic_store(&temp_used[i], 1);
			break;
		}
	}
	temp_signals(0, &old);
	return fd;
}

void
report_temp_close(int fd, const char *tmpl, int remove)
{
	sigset_t old;
	int i;

	temp_signals(1, &old);
	for (i = 0; i < TEMP_SLOTS; i++)
		if (atomic_load(&temp_used[i]) == 1 &&
		    strcmp(temp_path[i], tmpl) == 0) {
			atomic_store(&temp_used[i], 0);
			break;
		}
	if (remove)
		unlink(tmpl);
	temp_signals(0, &old);
	if (fd >= 0)
		close(fd);	/* releases the lock */
}

void
report_temp_remove_all(void)
{
	int i;

	for (i = 0; i < TEMP_SLOTS; i++)
		if (atomic_load(&temp_used[i]) == 1)
			unlink(temp_path[i]);
}

/* Is `name` "<prefix>" + six mkstemp characters? */
static int
temp_name(const char *name, const char *prefix, size_t plen)
{
	size_t i;

	if (strncmp(name, prefix, plen) != 0 ||
	    strlen(name + plen) != TEMP_SUFFIX)
		return 0;
	for (i = plen; name[i]; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= 'A' && name[i] <= 'Z') ||
		    (name[i] >= '0' && name[i] <= '9')))
			return 0;
	return 1;
}

void
report_temp_sweep(const char *dir, const char *prefix)
{
	size_t plen = strlen(prefix);
	DIR *dp = opendir(dir);
	struct dirent *de;
	int dfd;

	if (dp == NULL)
		return;
	dfd = dirfd(dp);
	while ((de = readdir(dp)) != NULL) {
		struct stat st, fst;
		int fd;

		if (!temp_name(de->d_name, prefix, plen) ||
		    fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode) || st.st_uid != geteuid())
			continue;
		fd = openat(dfd, de->d_name, O_RDONLY | O_NOFOLLOW |
		    O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			continue;
		/* a live run holds its file locked; the same file is still
		 * under that name once the lock is ours */
		if (flock(fd, LOCK_EX | LOCK_NB) == 0 && fstat(fd, &fst) == 0 &&
		    fst.st_ino == st.st_ino && fst.st_dev == st.st_dev)
			(void)unlinkat(dfd, de->d_name, 0);
		close(fd);
	}
	closedir(dp);
}

/* ------------------------------------------------------- symlinks */

/*
 * May a report follow the symlink `link` (lstat in *lst)?  Not when it
 * sits in a sticky, world-writable folder (/tmp) and belongs neither to
 * us nor to the folder's owner: that is the rule of the kernel's
 * fs.protected_symlinks, which marslog cannot rely on because it resolves
 * the link itself (a link planted there by another user would make root
 * replace the file it points at).  Returns 0 if allowed.
 */
static int
symlink_refused(const char *link, const struct stat *lst)
{
	const char *slash = strrchr(link, '/');
	char *dir;
	struct stat dst;
	int r;

	if (lst->st_uid == geteuid())
		return 0;
	dir = slash == NULL ? strdup(".") : slash == link ? strdup("/") :
	    strndup(link, (size_t)(slash - link));
	if (dir == NULL)
		return 1;
	r = stat(dir, &dst) < 0 || ((dst.st_mode & S_ISVTX) &&
	    (dst.st_mode & S_IWOTH) && dst.st_uid != lst->st_uid);
	free(dir);
	return r;
}

/* Check every link of the chain starting at `path` (at most 40, as the
 * kernel).  0: fine; -1: refused, reason in why. */
static int
symlink_chain_check(const char *path, char *why, size_t whylen)
{
	char cur[PATH_MAX], next[PATH_MAX], target[PATH_MAX];
	struct stat st;
	int hops;

	if (strlen(path) >= sizeof cur)
		return 0;
	strcpy(cur, path);
	for (hops = 0; hops < 40; hops++) {
		ssize_t n;
		const char *slash;

		if (lstat(cur, &st) < 0 || !S_ISLNK(st.st_mode))
			return 0;
		if (symlink_refused(cur, &st)) {
			snprintf(why, whylen, "%s is a symbolic link owned by "
			    "another user in a sticky world-writable folder; "
			    "not followed (as fs.protected_symlinks)", cur);
			return -1;
		}
		n = readlink(cur, target, sizeof target - 1);
		if (n < 0)
			return 0;
		target[n] = '\0';
		slash = strrchr(cur, '/');
		if (target[0] == '/' || slash == NULL) {
			memcpy(cur, target, (size_t)n + 1);
			continue;
		}
		if ((size_t)(slash - cur) + 1 + (size_t)n >= sizeof next)
			return 0;
		memcpy(next, cur, (size_t)(slash - cur) + 1);
		memcpy(next + (slash - cur) + 1, target, (size_t)n + 1);
		memcpy(cur, next, sizeof cur);
	}
	return 0;
}

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
 * Writers of a summary always get a diagnosis: the caller's, or one made
 * here; the history writers (no summary, s == NULL) get none. */
static int
run_writer(const struct report_writer *w, const struct summary *s,
    const struct report_options *o, FILE *fp, const char *path,
    char *why, size_t whylen)
{
	struct report_options opt;
	struct diagnosis *own = NULL;
	int rc = 0;

	why[0] = '\0';
	if (s != NULL && (o == NULL || o->diag == NULL)) {
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
		/* a writer that could not allocate says so, not as if the
		 * output had failed */
		if (!why[0] && errno == ENOMEM)
			snprintf(why, whylen, "out of memory while building "
			    "the %s report", w->name);
		else if (!why[0])
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
	int fd = -1, fd2 = -1, rc = -1;

	if (strcmp(path, "-") == 0) {
		if (run_writer(w, s, o, stdout, NULL, why, sizeof(why)) < 0) {
			snprintf(err, errlen, "%s standard output: %s",
			    strncmp(why, "out of memory", 13) == 0 ?
			    "cannot build the report for" : "cannot write",
			    why);
			return -1;
		}
		return 0;
	}
	/* A symlink is followed: the report replaces its target, beside it;
	 * unless the kernel's protected_symlinks rule would refuse it. */
	if (symlink_chain_check(path, why, sizeof why) < 0)
		goto out;
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
	/* files of a run killed while writing this report before */
	memcpy(tmp, path, dirlen);
	tmp[dirlen ? dirlen - 1 : 0] = '\0';
	sprintf(tmp + dirlen, ".%s.", base);
	report_temp_sweep(dirlen ? (dirlen == 1 ? "/" : tmp) : ".",
	    tmp + dirlen);
	memcpy(tmp, path, dirlen);
	sprintf(tmp + dirlen, ".%s.XXXXXX", base);
	if ((fd = report_temp_open(tmp)) < 0) {
		snprintf(why, sizeof(why), "%s", strerror(errno));
		free(tmp);
		tmp = NULL;		/* nothing to remove */
		goto out;
	}
	/* fp gets its own descriptor: fd keeps the lock until the end */
	if (fchmod(fd, mode) < 0 || (fd2 = dup(fd)) < 0 ||
	    !(fp = fdopen(fd2, "w"))) {
		snprintf(why, sizeof(why), "%s", strerror(errno));
		if (fd2 >= 0)
			close(fd2);
		goto out;
	}
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
	if (tmp)
		report_temp_close(fd, tmp, rc < 0);
	if (rc < 0)
		snprintf(err, errlen, "cannot write %s: %s", shown, why);
	free(tmp);
	free(real);
	return rc;
}
