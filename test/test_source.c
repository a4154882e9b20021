/* SPDX-License-Identifier: MIT */
/*
 * test_source.c -- the input walker against real folders and archives.
 *
 * Every archive is built here with libarchive's write API inside a
 * mkdtemp() folder, then damaged by hand where a test needs it (cut in
 * half, a flipped byte, a broken central directory), so the tests need no
 * binary fixtures and show exactly what each case is.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "parsers/source.h"
#include "parsers/record.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------ helpers */

#define MAX_GOT 256

struct got_entry {
	char *machine, *path, *name, *error;
	int depth;
	int64_t size, mtime;
	uint64_t bytes, hash;
	size_t input_index;
};

struct got_skip {
	enum source_skip kind;
	char *machine, *path, *why;
};

struct got {
	struct got_entry e[MAX_GOT];
	size_t ne;
	struct got_skip s[MAX_GOT];
	size_t ns;
	int stop_at;		/* entry callback returns 7 at this entry (1-based) */
};

static char tmpdir[64];

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n--)
		h = (h ^ *c++) * 0x100000001b3ULL;
	return h;
}

#define FNV0 0xcbf29ce484222325ULL

static int
got_entry(void *arg, const struct source_entry *e, struct source_stream *s)
{
	struct got *g = arg;
	struct got_entry *x;
	const void *b;
	size_t n;
	int r;

	assert_true(g->ne < MAX_GOT);
	x = &g->e[g->ne++];
	x->machine = strdup(e->machine);
	x->path = strdup(e->path);
	x->name = strdup(e->name);
	x->depth = e->depth;
	x->size = e->size;
	x->mtime = e->mtime;
	x->input_index = e->input_index;
	x->hash = FNV0;
	while ((r = source_stream_read(s, &b, &n)) == 1) {
		assert_true(n > 0);
		x->bytes += n;
		x->hash = fnv(x->hash, b, n);
	}
	/* the end is sticky */
	assert_int_equal(source_stream_read(s, &b, &n), r);
	if (r < 0) {
		x->error = strdup(source_stream_error(s));
		assert_true(x->error[0] != '\0');
	}
	return g->stop_at && (size_t)g->stop_at == g->ne ? 7 : 0;
}

static int
got_skip(void *arg, const struct source_entry *e, enum source_skip kind,
    const char *why)
{
	struct got *g = arg;
	struct got_skip *x;

	assert_true(g->ns < MAX_GOT);
	x = &g->s[g->ns++];
	x->kind = kind;
	x->machine = strdup(e->machine);
	x->path = strdup(e->path);
	x->why = strdup(why);
	return 0;
}

static const struct source_callbacks got_cb = { got_entry, got_skip };

static struct got *
got_new(void)
{
	struct got *g = calloc(1, sizeof *g);

	assert_non_null(g);
	return g;
}

static void
got_free(struct got *g)
{
	size_t i;

	for (i = 0; i < g->ne; i++) {
		free(g->e[i].machine);
		free(g->e[i].path);
		free(g->e[i].name);
		free(g->e[i].error);
	}
	for (i = 0; i < g->ns; i++) {
		free(g->s[i].machine);
		free(g->s[i].path);
		free(g->s[i].why);
	}
	free(g);
}

/* Walks `n` paths (relative to tmpdir unless "-" or absolute). */
static int
walk_opt(struct got *g, const struct source_options *o, size_t n, ...)
{
	const char *paths[8];
	char *own[8];
	va_list ap;
	size_t i;
	int r;

	assert_true(n <= 8);
	va_start(ap, n);
	for (i = 0; i < n; i++) {
		const char *p = va_arg(ap, const char *);

		own[i] = NULL;
		if (strcmp(p, "-") != 0 && p[0] != '/') {
			own[i] = malloc(strlen(tmpdir) + strlen(p) + 2);
			assert_non_null(own[i]);
			sprintf(own[i], "%s/%s", tmpdir, p);
			p = own[i];
		}
		paths[i] = p;
	}
	va_end(ap);
	r = source_walk(paths, n, o, &got_cb, g);
	for (i = 0; i < n; i++)
		free(own[i]);
	return r;
}

static int
walk1(struct got *g, const char *path)
{
	struct source_options o;

	source_options_init(&o);
	return walk_opt(g, &o, 1, path);
}

/* The display path of a file below tmpdir. */
static const char *
tp(const char *rel)
{
	static char buf[4][512];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, rel);
	return buf[k];
}

static const struct got_entry *
find_entry(const struct got *g, const char *path)
{
	size_t i;

	for (i = 0; i < g->ne; i++)
		if (strcmp(g->e[i].path, path) == 0)
			return &g->e[i];
	return NULL;
}

/* The stream error of an entry, "" if it was read whole. */
static const char *
err_of(const struct got_entry *e)
{
	return e->error ? e->error : "";
}

/* cmocka's failure does not return, but is not declared so: the must_
 * lookups hand back a dummy after failing, to keep -Wnull-dereference
 * quiet at -O2. */
static const struct got_entry *
must_entry(const struct got *g, const char *path)
{
	static const struct got_entry none;
	const struct got_entry *e = find_entry(g, path);

	if (!e) {
		fail_msg("no entry %s", path);
		return &none;
	}
	return e;
}

static size_t
count_skips(const struct got *g, enum source_skip kind)
{
	size_t i, n = 0;

	for (i = 0; i < g->ns; i++)
		n += g->s[i].kind == kind;
	return n;
}

/* The first skip of `kind`. */
static const struct got_skip *
must_skip(const struct got *g, enum source_skip kind)
{
	static const struct got_skip none;
	size_t i;

	for (i = 0; i < g->ns; i++)
		if (g->s[i].kind == kind)
			return &g->s[i];
	fail_msg("no skip of kind %d", (int)kind);
	return &none;
}

static void
mkdirs(const char *rel)
{
	char buf[512];
	char *p;

	snprintf(buf, sizeof buf, "%s/%s", tmpdir, rel);
	for (p = buf + strlen(tmpdir) + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			(void)mkdir(buf, 0755);
			*p = '/';
		}
	}
	(void)mkdir(buf, 0755);
}

static void
put_file(const char *rel, const void *data, size_t len)
{
	FILE *f = fopen(tp(rel), "wb");

	assert_non_null(f);
	if (len)
		assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static char *
get_file(const char *rel, size_t *len)
{
	FILE *f = fopen(tp(rel), "rb");
	char *p;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	p = malloc((size_t)n + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return p;
}

/* A file for an archive: data, or `len` zeros when data is NULL. */
struct afile {
	const char *name;
	const void *data;
	size_t len;
};

struct membuf {
	char *p;
	size_t len, cap;
};

static la_ssize_t
mem_write(struct archive *a, void *arg, const void *buf, size_t n)
{
	struct membuf *m = arg;

	(void)a;
	if (m->len + n > m->cap) {
		m->cap = (m->len + n) * 2;
		m->p = realloc(m->p, m->cap);
		if (!m->p)
			return -1;
	}
	memcpy(m->p + m->len, buf, n);
	m->len += n;
	return (la_ssize_t)n;
}

static const char zeros[1 << 16];

/*
 * Builds an archive in memory.  `format` is a libarchive format name
 * ("zip", "gnutar", "7zip", "cpio", "iso9660", "raw"), `filter` a filter
 * name or NULL, `options` an option string or NULL.
 */
static char *
build(const char *format, const char *filter, const char *options,
    const char *passphrase, const struct afile *files, size_t n,
    size_t *outlen)
{
	struct archive *a = archive_write_new();
	struct membuf m = { NULL, 0, 0 };
	size_t i;

	assert_non_null(a);
	assert_int_equal(archive_write_set_format_by_name(a, format),
	    ARCHIVE_OK);
	if (filter)
		assert_int_equal(archive_write_add_filter_by_name(a, filter),
		    ARCHIVE_OK);
	if (options)
		assert_int_equal(archive_write_set_options(a, options),
		    ARCHIVE_OK);
	if (passphrase)
		assert_int_equal(archive_write_set_passphrase(a, passphrase),
		    ARCHIVE_OK);
	/* pad nothing: a cut-off archive must really be cut */
	(void)archive_write_set_bytes_in_last_block(a, 1);
	assert_int_equal(archive_write_open(a, &m, NULL, mem_write, NULL),
	    ARCHIVE_OK);
	for (i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		size_t done = 0;

		archive_entry_set_pathname(e, files[i].name);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)files[i].len);
		archive_entry_set_mtime(e, 1700000000 + (time_t)i, 0);
		assert_true(archive_write_header(a, e) >= ARCHIVE_WARN);
		while (done < files[i].len) {
			size_t k = files[i].len - done;
			const void *p;

			if (files[i].data) {
				p = (const char *)files[i].data + done;
			} else {
				p = zeros;
				if (k > sizeof zeros)
					k = sizeof zeros;
			}
			assert_int_equal(archive_write_data(a, p, k),
			    (la_ssize_t)k);
			done += k;
		}
		archive_entry_free(e);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	*outlen = m.len;
	return m.p;
}

static void
put_archive(const char *rel, const char *format, const char *filter,
    const char *options, const struct afile *files, size_t n)
{
	size_t len;
	char *p = build(format, filter, options, NULL, files, n, &len);

	put_file(rel, p, len);
	free(p);
}

static uint64_t
hash_str(const char *s)
{
	return fnv(FNV0, s, strlen(s));
}

/* Checks entry `path` was read whole with content `data`. */
static void
check_entry(const struct got *g, const char *path, const char *machine,
    const char *data)
{
	const struct got_entry *e = must_entry(g, path);

	assert_string_equal(e->machine, machine);
	assert_null(e->error);
	assert_int_equal(e->bytes, strlen(data));
	assert_true(e->hash == hash_str(data));
}

/* Pseudo-random printable text: deflate cannot shrink it much. */
static char *
noise(size_t n, unsigned seed)
{
	char *p = malloc(n + 1);
	size_t i;

	assert_non_null(p);
	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (i % 64 == 63) ? '\n' : (char)(' ' + (seed >> 16) % 94);
	}
	p[n] = '\0';
	return p;
}

/* rm -r without following links */
static int
rm_tree(const char *path)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	int r = 0;

	if (lstat(path, &st) != 0)
		return -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char sub[1024];

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
		r |= rm_tree(sub);
	}
	closedir(d);
	return r | rmdir(path);
}

static int
setup(void **state)
{
	(void)state;
	strcpy(tmpdir, "/tmp/test_source.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	return rm_tree(tmpdir);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------ tests */

static void
test_folder_single_server(void **state)
{
	struct got *g = got_new();

	(void)state;
	mkdirs("FS01/Temp");
	mkdirs("FS01/empty");
	put_file("FS01/Temp/CBEngineCurr.errlog", "engine\n", 7);
	put_file("FS01/Temp/CBEngine1.errlog", "old\n", 4);
	put_file("FS01/Temp/A.txt", "a\n", 2);
	put_file("FS01/readme.txt", "top\n", 4);
	assert_int_equal(walk1(g, "FS01"), 0);
	assert_int_equal(g->ns, 0);
	assert_int_equal(g->ne, 4);
	/* bytewise name order, folders walked where they sort */
	assert_string_equal(g->e[0].path, tp("FS01/Temp/A.txt"));
	assert_string_equal(g->e[1].path, tp("FS01/Temp/CBEngine1.errlog"));
	assert_string_equal(g->e[2].path, tp("FS01/Temp/CBEngineCurr.errlog"));
	assert_string_equal(g->e[3].path, tp("FS01/readme.txt"));
	check_entry(g, tp("FS01/Temp/CBEngineCurr.errlog"), "FS01", "engine\n");
	check_entry(g, tp("FS01/readme.txt"), "FS01", "top\n");
	assert_string_equal(g->e[2].name, "CBEngineCurr.errlog");
	assert_int_equal(g->e[2].depth, 0);
	assert_int_equal(g->e[2].size, 7);
	assert_true(g->e[2].mtime != ML_TIME_NONE);
	got_free(g);
}

static void
test_folder_of_zips(void **state)
{
	struct got *g = got_new();
	const struct afile f1[] = {
		{ "Temp/CBEngineCurr.errlog", "one\n", 4 },
	};
	const struct afile f2[] = {
		{ "Logs/CBEngineCurr.errlog", "two\n", 4 },
	};
	const struct afile f3[] = {
		{ "CBEngineCurr.errlog", "three\n", 6 },
	};

	(void)state;
	mkdirs("fleet/more");
	put_archive("fleet/fs01.zip", "zip", NULL, NULL, f1, 1);
	put_archive("fleet/FS02.tar.gz", "gnutar", "gzip", NULL, f2, 1);
	put_archive("fleet/more/x.zip", "zip", NULL, NULL, f3, 1);
	put_archive("fleet/Logs.zip", "zip", NULL, NULL, f3, 1);
	assert_int_equal(walk1(g, "fleet/"), 0);
	assert_int_equal(g->ns, 0);
	assert_int_equal(g->ne, 4);
	/* "fleet/" keeps its slash: no double slash below it */
	check_entry(g, tp("fleet/FS02.tar.gz!Logs/CBEngineCurr.errlog"), "FS02",
	    "two\n");
	check_entry(g, tp("fleet/fs01.zip!Temp/CBEngineCurr.errlog"), "fs01",
	    "one\n");
	/* a subfolder names the machine, not the archive below it */
	check_entry(g, tp("fleet/more/x.zip!CBEngineCurr.errlog"), "more",
	    "three\n");
	/* a generic archive name falls back to the folder's name */
	check_entry(g, tp("fleet/Logs.zip!CBEngineCurr.errlog"), "fleet",
	    "three\n");
	assert_string_equal(g->e[0].path,
	    tp("fleet/FS02.tar.gz!Logs/CBEngineCurr.errlog"));
	assert_int_equal(g->e[0].depth, 1);
	assert_int_equal(g->e[0].mtime, 1700000000000LL);
	got_free(g);
}

static void
test_zip_of_servers(void **state)
{
	struct got *g = got_new();
	const struct afile f[] = {
		{ "FS01/Temp/CBEngineCurr.errlog", "a\n", 2 },
		{ "FS02/CBEngineCurr.errlog", "b\n", 2 },
		{ "Temp/CBEngineCurr.errlog", "c\n", 2 },
		{ "C/Program Files/Microsoft Azure Recovery Services Agent/Temp/"
		  "CBUICurr.errlog", "d\n", 2 },
		{ "top.errlog", "e\n", 2 },
	};
	struct source_options o;

	(void)state;
	put_archive("bundle-9.zip", "zip", NULL, NULL, f, 5);
	assert_int_equal(walk1(g, "bundle-9.zip"), 0);
	assert_int_equal(g->ne, 5);
	check_entry(g, tp("bundle-9.zip!FS01/Temp/CBEngineCurr.errlog"), "FS01",
	    "a\n");
	check_entry(g, tp("bundle-9.zip!FS02/CBEngineCurr.errlog"), "FS02",
	    "b\n");
	check_entry(g, tp("bundle-9.zip!Temp/CBEngineCurr.errlog"), "bundle-9",
	    "c\n");
	check_entry(g, tp("bundle-9.zip!C/Program Files/Microsoft Azure "
	    "Recovery Services Agent/Temp/CBUICurr.errlog"), "bundle-9", "d\n");
	check_entry(g, tp("bundle-9.zip!top.errlog"), "bundle-9", "e\n");
	got_free(g);

	/* --machine wins everywhere */
	g = got_new();
	source_options_init(&o);
	o.machine = "HOST7";
	assert_int_equal(walk_opt(g, &o, 1, "bundle-9.zip"), 0);
	assert_int_equal(g->ne, 5);
	check_entry(g, tp("bundle-9.zip!FS01/Temp/CBEngineCurr.errlog"), "HOST7",
	    "a\n");
	got_free(g);
}

static void
test_nested_zip_in_folder(void **state)
{
	struct got *g = got_new();
	const struct afile inner[] = {
		{ "CBEngine3.errlog", "old log\n", 8 },
	};
	struct afile outer[2] = {
		{ "Temp/CBEngineCurr.errlog", "current\n", 8 },
		{ "Temp/old.zip", NULL, 0 },
	};
	size_t n;
	char *z = build("zip", NULL, NULL, NULL, inner, 1, &n);

	(void)state;
	outer[1].data = z;
	outer[1].len = n;
	mkdirs("samples");
	put_archive("samples/fs01.zip", "zip", NULL, NULL, outer, 2);
	free(z);
	assert_int_equal(walk1(g, "samples"), 0);
	assert_int_equal(g->ns, 0);
	assert_int_equal(g->ne, 2);
	check_entry(g, tp("samples/fs01.zip!Temp/CBEngineCurr.errlog"), "fs01",
	    "current\n");
	check_entry(g, tp("samples/fs01.zip!Temp/old.zip!CBEngine3.errlog"),
	    "fs01", "old log\n");
	assert_int_equal(g->e[1].depth, 2);
	assert_string_equal(g->e[1].name, "CBEngine3.errlog");
	got_free(g);

	/* a nested archive at the top of an archive names the machine */
	g = got_new();
	z = build("zip", NULL, NULL, NULL, inner, 1, &n);
	outer[0].name = "FS05.zip";
	outer[0].data = z;
	outer[0].len = n;
	put_archive("wrap.zip", "zip", NULL, NULL, outer, 1);
	free(z);
	assert_int_equal(walk1(g, "wrap.zip"), 0);
	check_entry(g, tp("wrap.zip!FS05.zip!CBEngine3.errlog"), "FS05",
	    "old log\n");
	got_free(g);
}

/* Every format and filter libarchive can write here, read back. */
static void
test_formats(void **state)
{
	static const struct {
		const char *format, *filter, *name;
	} fmt[] = {
		{ "zip", NULL, "f.zip" },
		{ "gnutar", NULL, "f.tar" },
		{ "pax", "gzip", "f.tar.gz" },
		{ "gnutar", "bzip2", "f.tar.bz2" },
		{ "gnutar", "xz", "f.tar.xz" },
		{ "gnutar", "zstd", "f.tar.zst" },
		{ "gnutar", "lz4", "f.tar.lz4" },
		{ "7zip", NULL, "f.7z" },
		{ "cpio", NULL, "f.cpio" },
		{ "newc", "gzip", "f.cpio.gz" },
		{ "iso9660", NULL, "f.iso" },
	};
	char *big = noise(3 * 1024 * 1024 + 17, 1);
	const struct afile f[] = {
		{ "Temp/CBEngineCurr.errlog", "line one\r\nline two\r\n", 20 },
		{ "Temp/big.errlog", big, strlen(big) },
		{ "Temp/empty.txt", "", 0 },
	};
	size_t i;
	char path[600];

	(void)state;
	for (i = 0; i < sizeof fmt / sizeof fmt[0]; i++) {
		struct got *g = got_new();
		const struct got_entry *e;

		put_archive(fmt[i].name, fmt[i].format, fmt[i].filter, NULL, f, 3);
		assert_int_equal(walk1(g, fmt[i].name), 0);
		if (g->ns)
			fail_msg("%s: skip %s", fmt[i].name, g->s[0].why);
		assert_int_equal(g->ne, 3);
		snprintf(path, sizeof path, "%s!Temp/CBEngineCurr.errlog",
		    tp(fmt[i].name));
		check_entry(g, path, "f", "line one\r\nline two\r\n");
		snprintf(path, sizeof path, "%s!Temp/big.errlog", tp(fmt[i].name));
		check_entry(g, path, "f", big);
		snprintf(path, sizeof path, "%s!Temp/empty.txt", tp(fmt[i].name));
		e = must_entry(g, path);
		assert_int_equal(e->bytes, 0);
		assert_null(e->error);
		got_free(g);
	}
	free(big);
}

/* 7z needs to seek: inside a zip it is reported, and the zip goes on. */
static void
test_nested_7z(void **state)
{
	struct got *g = got_new();
	const struct afile f[] = { { "Temp/a.errlog", "seven\n", 6 } };
	struct afile outer[2] = {
		{ "inner.7z", NULL, 0 },
		{ "Temp/b.errlog", "after\n", 6 },
	};
	const struct got_skip *s;
	size_t n;
	char *z = build("7zip", NULL, NULL, NULL, f, 1, &n);

	(void)state;
	outer[0].data = z;
	outer[0].len = n;
	put_archive("has7z.zip", "zip", NULL, NULL, outer, 2);
	free(z);
	assert_int_equal(walk1(g, "has7z.zip"), 0);
	assert_int_equal(g->ns, 1);
	s = must_skip(g, SOURCE_SKIP_UNREADABLE);
	assert_string_equal(s->path, tp("has7z.zip!inner.7z"));
	assert_non_null(strstr(s->why, "7z"));
	check_entry(g, tp("has7z.zip!Temp/b.errlog"), "has7z", "after\n");
	got_free(g);
}

static void
test_gzip_single_file(void **state)
{
	struct got *g = got_new();
	char *big = noise(2 * 1024 * 1024 + 5, 2);
	const struct afile f[] = {
		{ "data", big, strlen(big) },
	};
	struct afile z[1] = { { "x.errlog.gz", NULL, 0 } };
	size_t n;
	char *gz = build("raw", "gzip", NULL, NULL, f, 1, &n);
	const struct got_entry *e;

	(void)state;
	put_file("CBEngineCurr.errlog.gz", gz, n);
	z[0].data = gz;
	z[0].len = n;
	put_archive("gz.zip", "zip", NULL, NULL, z, 1);
	free(gz);
	assert_int_equal(walk_opt(g, &(struct source_options){ NULL, 4,
	    (uint64_t)16 << 30, (uint64_t)64 << 30, 1000 }, 2,
	    "CBEngineCurr.errlog.gz", "gz.zip"), 0);
	assert_int_equal(g->ns, 0);
	assert_int_equal(g->ne, 2);
	check_entry(g, tp("CBEngineCurr.errlog.gz!CBEngineCurr.errlog"),
	    "CBEngineCurr", big);
	e = must_entry(g, tp("CBEngineCurr.errlog.gz!CBEngineCurr.errlog"));
	assert_string_equal(e->name, "CBEngineCurr.errlog");
	assert_int_equal(e->depth, 1);
	/* no mtime in the stream: the file's own */
	assert_true(e->mtime != ML_TIME_NONE);
	check_entry(g, tp("gz.zip!x.errlog.gz!x.errlog"), "gz", big);
	assert_int_equal(g->e[1].depth, 2);
	free(big);
	got_free(g);
}

/* A plain file must come through byte for byte, peeked block included. */
static void
test_plain_files(void **state)
{
	struct got *g = got_new();
	char *big = noise(3 * 1024 * 1024 + 1, 3);
	const struct got_entry *e;

	(void)state;
	put_file("big.errlog", big, strlen(big));
	put_file("zero.errlog", "", 0);
	/* text that starts like nothing in particular, and zip-ish text */
	put_file("pk.txt", "PK is not a zip\n", 16);
	assert_int_equal(walk_opt(g, &(struct source_options){ NULL, 4,
	    (uint64_t)16 << 30, (uint64_t)64 << 30, 1000 }, 3, "big.errlog",
	    "zero.errlog", "pk.txt"), 0);
	assert_int_equal(g->ns, 0);
	assert_int_equal(g->ne, 3);
	check_entry(g, tp("big.errlog"), "big", big);
	e = must_entry(g, tp("zero.errlog"));
	assert_int_equal(e->bytes, 0);
	assert_int_equal(e->size, 0);
	assert_null(e->error);
	assert_int_equal(e->input_index, 1);
	check_entry(g, tp("pk.txt"), "pk", "PK is not a zip\n");
	free(big);
	got_free(g);
}

/* Redirects stdin to file `rel`, walks "-", restores stdin. */
static void
walk_stdin(struct got *g, const char *rel)
{
	int saved = dup(STDIN_FILENO);
	int fd = open(tp(rel), O_RDONLY);

	assert_true(saved >= 0 && fd >= 0);
	assert_int_equal(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	close(fd);
	assert_int_equal(walk1(g, "-"), 0);
	assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	close(saved);
}

static void
test_stdin(void **state)
{
	struct got *g = got_new();
	char *big = noise(1536 * 1024 + 3, 4);
	const struct afile f[] = {
		{ "FS03/CBEngineCurr.errlog", "in zip\n", 7 },
		{ "Temp/big.errlog", big, strlen(big) },
	};
	const struct afile plain[] = {
		{ "data", big, strlen(big) },
	};
	size_t n;
	char *gz = build("raw", "gzip", NULL, NULL, plain, 1, &n);

	(void)state;
	put_file("stdin.gz", gz, n);
	free(gz);
	put_archive("stdin.zip", "zip", NULL, NULL, f, 2);
	put_file("stdin.txt", big, strlen(big));

	walk_stdin(g, "stdin.zip");
	assert_int_equal(g->ns, 0);
	assert_int_equal(g->ne, 2);
	check_entry(g, "-!FS03/CBEngineCurr.errlog", "FS03", "in zip\n");
	check_entry(g, "-!Temp/big.errlog", "stdin", big);
	got_free(g);

	/* plain text: the probed bytes come out first, nothing lost */
	g = got_new();
	walk_stdin(g, "stdin.txt");
	assert_int_equal(g->ne, 1);
	check_entry(g, "-", "stdin", big);
	assert_string_equal(g->e[0].name, "-");
	got_free(g);

	g = got_new();
	walk_stdin(g, "stdin.gz");
	assert_int_equal(g->ne, 1);
	check_entry(g, "-!stdin", "stdin", big);
	got_free(g);
	free(big);
}

/* zip n levels deep, innermost holding deep.log; level k is "l<k>.zip". */
static void
put_nest(const char *rel, int levels)
{
	const struct afile leaf[] = { { "deep.log", "bottom\n", 7 } };
	size_t n;
	char *z = build("zip", NULL, NULL, NULL, leaf, 1, &n);
	int k;

	for (k = levels; k > 1; k--) {
		char name[32];
		struct afile f[1];
		char *up;

		snprintf(name, sizeof name, "l%d.zip", k);
		f[0].name = name;
		f[0].data = z;
		f[0].len = n;
		up = build("zip", NULL, NULL, NULL, f, 1, &n);
		free(z);
		z = up;
	}
	put_file(rel, z, n);
	free(z);
}

static void
test_depth_limit(void **state)
{
	struct got *g = got_new();
	struct source_options o;
	const struct got_skip *s;
	double t;

	(void)state;
	put_nest("nest5.zip", 5);
	assert_int_equal(walk1(g, "nest5.zip"), 0);
	assert_int_equal(g->ne, 0);
	assert_int_equal(g->ns, 1);
	s = must_skip(g, SOURCE_SKIP_DEPTH);
	assert_string_equal(s->path, tp("nest5.zip!l2.zip!l3.zip!l4.zip!l5.zip"));
	assert_non_null(strstr(s->why, "4"));
	got_free(g);

	g = got_new();
	source_options_init(&o);
	o.max_depth = 5;
	assert_int_equal(walk_opt(g, &o, 1, "nest5.zip"), 0);
	assert_int_equal(g->ns, 0);
	check_entry(g, tp("nest5.zip!l2.zip!l3.zip!l4.zip!l5.zip!deep.log"),
	    "l2", "bottom\n");
	assert_int_equal(g->e[0].depth, 5);
	got_free(g);

	/* max_depth 0: an archive is detected but not opened */
	g = got_new();
	o.max_depth = 0;
	assert_int_equal(walk_opt(g, &o, 1, "nest5.zip"), 0);
	assert_int_equal(g->ne, 0);
	assert_int_equal(count_skips(g, SOURCE_SKIP_DEPTH), 1);
	got_free(g);

	g = got_new();
	put_nest("nest100.zip", 100);
	t = now();
	assert_int_equal(walk1(g, "nest100.zip"), 0);
	t = now() - t;
	print_message("# 100-deep nesting walked in %.3f s\n", t);
	assert_int_equal(g->ne, 0);
	assert_int_equal(g->ns, 1);
	assert_int_equal(g->s[0].kind, SOURCE_SKIP_DEPTH);
	got_free(g);
}

static void
test_truncated_zip(void **state)
{
	struct got *g = got_new();
	char *a = noise(40000, 5), *b = noise(40000, 6), *c = noise(40000, 7);
	const struct afile f[] = {
		{ "Temp/a.errlog", a, strlen(a) },
		{ "Temp/b.errlog", b, strlen(b) },
		{ "Temp/c.errlog", c, strlen(c) },
	};
	const struct got_skip *s;
	size_t n;
	char *z = build("zip", NULL, NULL, NULL, f, 3, &n);

	(void)state;
	put_file("cut.zip", z, n / 2);
	free(z);
	assert_int_equal(walk1(g, "cut.zip"), 0);
	check_entry(g, tp("cut.zip!Temp/a.errlog"), "cut", a);
	assert_int_equal(count_skips(g, SOURCE_SKIP_CORRUPT), 1);
	s = must_skip(g, SOURCE_SKIP_CORRUPT);
	assert_string_equal(s->path, tp("cut.zip"));
	assert_non_null(strstr(s->why, "archive is damaged after"));
	assert_null(find_entry(g, tp("cut.zip!Temp/c.errlog")));
	free(a);
	free(b);
	free(c);
	got_free(g);
}

/* Replaces the first `what` (len n) in the file with `with`. */
static void
patch_file(const char *rel, const char *what, size_t n, const char *with)
{
	size_t len, i;
	char *p = get_file(rel, &len);

	for (i = 0; i + n <= len; i++)
		if (memcmp(p + i, what, n) == 0)
			break;
	assert_true(i + n <= len);
	memcpy(p + i, with, n);
	put_file(rel, p, len);
	free(p);
}

static void
test_corrupt_central_directory(void **state)
{
	struct got *g = got_new();
	const struct afile f[] = {
		{ "Temp/a.errlog", "alpha\n", 6 },
		{ "Temp/b.errlog", "beta\n", 5 },
		{ "Temp/c.errlog", "gamma\n", 6 },
	};
	const struct got_skip *s;

	(void)state;
	put_archive("cd.zip", "zip", NULL, NULL, f, 3);
	patch_file("cd.zip", "PK\001\002", 4, "XY\001\002");
	assert_int_equal(walk1(g, "cd.zip"), 0);
	/* read front to back: every entry before the damage */
	assert_int_equal(g->ne, 3);
	check_entry(g, tp("cd.zip!Temp/a.errlog"), "cd", "alpha\n");
	check_entry(g, tp("cd.zip!Temp/b.errlog"), "cd", "beta\n");
	check_entry(g, tp("cd.zip!Temp/c.errlog"), "cd", "gamma\n");
	assert_int_equal(g->ns, 1);
	s = must_skip(g, SOURCE_SKIP_CORRUPT);
	assert_string_equal(s->path, tp("cd.zip"));
	assert_non_null(strstr(s->why, "archive is damaged after 3 entries"));
	got_free(g);
}

static void
test_crc_error(void **state)
{
	struct got *g = got_new();
	const struct afile f[] = {
		{ "a.errlog", "first entry is fine\n", 20 },
		{ "b.errlog", "SECOND entry gets a flipped byte\n", 33 },
		{ "c.errlog", "third entry is fine\n", 20 },
	};
	const struct got_entry *e;

	(void)state;
	put_archive("crc.zip", "zip", NULL, "zip:compression=store", f, 3);
	patch_file("crc.zip", "SECOND", 6, "XECOND");
	assert_int_equal(walk1(g, "crc.zip"), 0);
	assert_int_equal(g->ne, 3);
	check_entry(g, tp("crc.zip!a.errlog"), "crc", "first entry is fine\n");
	check_entry(g, tp("crc.zip!c.errlog"), "crc", "third entry is fine\n");
	e = must_entry(g, tp("crc.zip!b.errlog"));
	assert_non_null(strstr(err_of(e), "CRC"));
	assert_int_equal(g->ns, 0);
	got_free(g);
}

/* Sets the 16-bit little-endian field at `off` after the `nth` (0-based)
 * occurrence of the 4-byte signature `sig`. */
static void
patch_u16(const char *rel, const char *sig, int nth, size_t off, unsigned v)
{
	size_t len, i;
	char *p = get_file(rel, &len);

	for (i = 0; i + 4 <= len; i++)
		if (memcmp(p + i, sig, 4) == 0 && nth-- == 0)
			break;
	assert_true(i + off + 2 <= len);
	p[i + off] = (char)(v & 0xff);
	p[i + off + 1] = (char)(v >> 8);
	put_file(rel, p, len);
	free(p);
}

static void
test_unsupported_method(void **state)
{
	struct got *g = got_new();
	const struct afile f[] = {
		{ "a.errlog", "first\n", 6 },
		{ "b.errlog", "second\n", 7 },
		{ "c.errlog", "third\n", 6 },
	};
	const struct got_entry *e;

	(void)state;
	put_archive("method.zip", "zip", NULL, "zip:compression=store", f, 3);
	/* method 97 (WavPack) in b's local and central headers */
	patch_u16("method.zip", "PK\003\004", 1, 8, 97);
	patch_u16("method.zip", "PK\001\002", 1, 10, 97);
	assert_int_equal(walk1(g, "method.zip"), 0);
	check_entry(g, tp("method.zip!a.errlog"), "method", "first\n");
	check_entry(g, tp("method.zip!c.errlog"), "method", "third\n");
	e = must_entry(g, tp("method.zip!b.errlog"));
	assert_non_null(strstr(err_of(e), "compression"));
	assert_int_equal(e->bytes, 0);
	got_free(g);
}

static void
test_encrypted(void **state)
{
	struct got *g = got_new();
	const struct afile f[] = {
		{ "Temp/secret.errlog", "hidden\n", 7 },
		{ "Temp/secret2.errlog", "hidden too\n", 11 },
	};
	const struct afile plain[] = {
		{ "Temp/open.errlog", "visible\n", 8 },
	};
	struct afile outer[2] = {
		{ "open.zip", NULL, 0 },
		{ "locked.zip", NULL, 0 },
	};
	size_t n, m;
	char *z = build("zip", NULL, "zip:encryption=zipcrypt", "pw", f, 2, &n);
	char *o = build("zip", NULL, NULL, NULL, plain, 1, &m);

	(void)state;
	put_file("locked.zip", z, n);
	assert_int_equal(walk1(g, "locked.zip"), 0);
	assert_int_equal(g->ne, 0);
	assert_int_equal(g->ns, 2);
	assert_int_equal(count_skips(g, SOURCE_SKIP_ENCRYPTED), 2);
	assert_string_equal(g->s[0].path, tp("locked.zip!Temp/secret.errlog"));
	assert_string_equal(g->s[1].path, tp("locked.zip!Temp/secret2.errlog"));
	got_free(g);

	/* nested: read as a stream, the walk goes on with the next input */
	g = got_new();
	outer[0].data = o;
	outer[0].len = m;
	outer[1].data = z;
	outer[1].len = n;
	put_archive("both.zip", "zip", NULL, NULL, outer, 2);
	assert_int_equal(walk_opt(g, &(struct source_options){ NULL, 4,
	    (uint64_t)16 << 30, (uint64_t)64 << 30, 1000 }, 2, "both.zip",
	    "locked.zip"), 0);
	check_entry(g, tp("both.zip!open.zip!Temp/open.errlog"), "open",
	    "visible\n");
	assert_int_equal(g->ne, 1);
	assert_true(count_skips(g, SOURCE_SKIP_ENCRYPTED) >= 2);
	assert_string_equal(must_skip(g, SOURCE_SKIP_ENCRYPTED)->path,
	    tp("both.zip!locked.zip!Temp/secret.errlog"));
	free(z);
	free(o);
	got_free(g);
}

#define BOMB_BYTES ((size_t)200 * 1000 * 1000)

static void
test_zip_bomb(void **state)
{
	struct got *g = got_new();
	const struct afile f[] = {
		{ "zeros.errlog", NULL, BOMB_BYTES },
		{ "after.errlog", "after\n", 6 },
	};
	struct afile outer[1] = { { "inner.zip", NULL, 0 } };
	struct source_options o;
	const struct got_entry *e;
	const struct got_skip *s;
	size_t n;
	char *z = build("zip", NULL, NULL, NULL, f, 2, &n);
	double t;

	(void)state;
	put_file("flat.zip", z, n);
	outer[0].data = z;
	outer[0].len = n;
	put_archive("bomb.zip", "zip", NULL, NULL, outer, 1);
	free(z);

	/* nested: each layer alone is ~1000:1, together far more */
	t = now();
	assert_int_equal(walk1(g, "bomb.zip"), 0);
	t = now() - t;
	print_message("# nested 200 MB zip bomb stopped in %.3f s\n", t);
	e = must_entry(g, tp("bomb.zip!inner.zip!zeros.errlog"));
	assert_non_null(strstr(err_of(e), "expansion ratio"));
	assert_true(e->bytes < BOMB_BYTES / 2);
	assert_null(find_entry(g, tp("bomb.zip!inner.zip!after.errlog")));
	s = must_skip(g, SOURCE_SKIP_LIMIT);
	assert_string_equal(s->path, tp("bomb.zip!inner.zip"));
	got_free(g);

	/* one layer: deflate of zeros runs at about 1030:1 of the bytes
	 * consumed, just over the default */
	g = got_new();
	t = now();
	assert_int_equal(walk1(g, "flat.zip"), 0);
	t = now() - t;
	print_message("# flat 200 MB zip bomb stopped in %.3f s\n", t);
	e = must_entry(g, tp("flat.zip!zeros.errlog"));
	assert_string_equal(err_of(e),
	    "stopped at the 1000x expansion ratio limit");
	assert_true(e->bytes < BOMB_BYTES / 2);
	assert_int_equal(count_skips(g, SOURCE_SKIP_LIMIT), 1);
	got_free(g);

	/* a lower ratio stops it as well */
	g = got_new();
	source_options_init(&o);
	o.max_ratio = 100;
	assert_int_equal(walk_opt(g, &o, 1, "flat.zip"), 0);
	e = must_entry(g, tp("flat.zip!zeros.errlog"));
	assert_non_null(strstr(err_of(e), "100x expansion ratio"));
	got_free(g);

	/* a small per-entry cap: the entry is cut, the next one is read */
	g = got_new();
	source_options_init(&o);
	o.max_entry_bytes = 1 << 20;
	assert_int_equal(walk_opt(g, &o, 1, "flat.zip"), 0);
	e = must_entry(g, tp("flat.zip!zeros.errlog"));
	assert_int_equal(e->bytes, 1 << 20);
	assert_string_equal(err_of(e), "cut at the 1 MiB per-entry limit");
	check_entry(g, tp("flat.zip!after.errlog"), "flat", "after\n");
	assert_int_equal(g->ns, 0);
	got_free(g);

	/* the per-input total stops the whole archive */
	g = got_new();
	source_options_init(&o);
	o.max_total_bytes = 3 << 20;
	assert_int_equal(walk_opt(g, &o, 1, "flat.zip"), 0);
	e = must_entry(g, tp("flat.zip!zeros.errlog"));
	assert_int_equal(e->bytes, 3 << 20);
	assert_string_equal(err_of(e), "cut at the 3 MiB per-input limit");
	assert_int_equal(g->ne, 1);
	s = must_skip(g, SOURCE_SKIP_LIMIT);
	assert_string_equal(s->path, tp("flat.zip"));
	got_free(g);
}

static void
test_special_files(void **state)
{
	struct got *g = got_new();
	struct source_item it;
	struct source_options o;

	(void)state;
	mkdirs("spec");
	put_file("spec/a.log", "a\n", 2);
	assert_int_equal(mkfifo(tp("spec/pipe"), 0644), 0);
	assert_int_equal(walk1(g, "spec"), 0);
	assert_int_equal(g->ne, 1);
	assert_int_equal(g->ns, 1);
	assert_int_equal(g->s[0].kind, SOURCE_SKIP_SPECIAL);
	assert_string_equal(g->s[0].path, tp("spec/pipe"));
	assert_non_null(strstr(g->s[0].why, "fifo"));
	got_free(g);

	/* given directly, and as an item (a fifo made after the expand) */
	g = got_new();
	assert_int_equal(walk1(g, "spec/pipe"), 0);
	assert_int_equal(count_skips(g, SOURCE_SKIP_SPECIAL), 1);
	memset(&it, 0, sizeof it);
	it.path = it.display = (char *)(uintptr_t)tp("spec/pipe");
	it.machine = (char *)(uintptr_t)"m";
	source_options_init(&o);
	assert_int_equal(source_walk_item(&it, &o, &got_cb, g), 0);
	assert_int_equal(count_skips(g, SOURCE_SKIP_SPECIAL), 2);
	assert_int_equal(g->ne, 0);
	got_free(g);
}

static void
test_symlinks(void **state)
{
	struct got *g = got_new();

	(void)state;
	mkdirs("ln/dir");
	put_file("ln/dir/real.log", "real\n", 5);
	assert_int_equal(symlink(".", tp("ln/dir/self")), 0);
	assert_int_equal(symlink("real.log", tp("ln/dir/alias.log")), 0);
	assert_int_equal(symlink("b", tp("ln/a")), 0);
	assert_int_equal(symlink("a", tp("ln/b")), 0);
	assert_int_equal(symlink("nowhere", tp("ln/dangling")), 0);
	assert_int_equal(walk1(g, "ln"), 0);
	/* a link to a file is followed */
	assert_int_equal(g->ne, 2);
	check_entry(g, tp("ln/dir/alias.log"), "dir", "real\n");
	check_entry(g, tp("ln/dir/real.log"), "dir", "real\n");
	assert_int_equal(count_skips(g, SOURCE_SKIP_LOOP), 3);
	assert_int_equal(g->s[0].kind, SOURCE_SKIP_LOOP);
	assert_string_equal(g->s[0].path, tp("ln/a"));
	assert_int_equal(g->s[2].kind, SOURCE_SKIP_UNREADABLE);
	assert_string_equal(g->s[2].path, tp("ln/dangling"));
	assert_int_equal(g->s[3].kind, SOURCE_SKIP_LOOP);
	assert_string_equal(g->s[3].path, tp("ln/dir/self"));
	got_free(g);
}

static void
test_unreadable(void **state)
{
	struct got *g = got_new();

	(void)state;
	put_file("file", "x", 1);
	assert_int_equal(walk_opt(g, &(struct source_options){ NULL, 4,
	    (uint64_t)16 << 30, (uint64_t)64 << 30, 1000 }, 4, "missing.zip",
	    "file/x", "/proc/self/mem", "file"), 0);
	assert_int_equal(g->ns, 3);
	assert_int_equal(g->s[0].kind, SOURCE_SKIP_UNREADABLE);
	assert_string_equal(g->s[0].path, tp("missing.zip"));
	assert_string_equal(g->s[0].machine, "missing");
	assert_non_null(strstr(g->s[0].why, "No such file"));
	assert_int_equal(g->s[1].kind, SOURCE_SKIP_UNREADABLE);
	assert_non_null(strstr(g->s[1].why, "Not a directory"));
	assert_int_equal(g->s[2].kind, SOURCE_SKIP_UNREADABLE);
	assert_string_equal(g->s[2].path, "/proc/self/mem");
	/* the walk goes on */
	assert_int_equal(g->ne, 1);
	check_entry(g, tp("file"), "file", "x");
	got_free(g);
}

static void
test_odd_entries(void **state)
{
	struct got *g = got_new();
	char *big = noise(2 * 1024 * 1024 + 9, 8);
	const struct afile f[] = {
		{ "../../etc/passwd", "not really\n", 11 },
		{ "/abs/path", "absolute\n", 9 },
		{ "Temp/zero.errlog", "", 0 },
		{ "Temp/big.errlog", big, strlen(big) },
	};
	const struct got_entry *e;

	(void)state;
	put_archive("odd.zip", "zip", NULL, NULL, f, 4);
	assert_int_equal(walk1(g, "odd.zip"), 0);
	assert_int_equal(g->ns, 0);
	assert_int_equal(g->ne, 4);
	e = must_entry(g, tp("odd.zip!../../etc/passwd"));
	assert_string_equal(e->name, "passwd");
	e = must_entry(g, tp("odd.zip!/abs/path"));
	assert_string_equal(e->name, "path");
	e = must_entry(g, tp("odd.zip!Temp/zero.errlog"));
	assert_int_equal(e->bytes, 0);
	assert_null(e->error);
	/* a nested plain entry longer than a block: the probe's bytes are
	 * handed out again, nothing lost */
	check_entry(g, tp("odd.zip!Temp/big.errlog"), "odd", big);
	free(big);
	got_free(g);
}

/* Found by fuzzing and the hostile bundles: a symlink entry is reported
 * (never followed, never silently dropped), a name that is not UTF-8
 * comes out as UTF-8, and a zip whose only central directory record is
 * damaged (the seekable reader does not recognise it) is read front to
 * back. */
static void
test_hostile_entries(void **state)
{
	struct got *g = got_new();
	const struct afile f[] = {
		{ "caf\xe9.log", "latin\n", 6 },
	};
	const struct got_skip *s;
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();

	(void)state;
	assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
	assert_int_equal(archive_write_open_filename(a, tp("sl.tar")), ARCHIVE_OK);
	archive_entry_set_pathname(e, "link.errlog");
	archive_entry_set_filetype(e, AE_IFLNK);
	archive_entry_set_perm(e, 0777);
	archive_entry_set_symlink(e, "/etc/passwd");
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	archive_entry_free(e);
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	assert_int_equal(walk1(g, "sl.tar"), 0);
	assert_int_equal(g->ne, 0);
	s = must_skip(g, SOURCE_SKIP_SPECIAL);
	assert_string_equal(s->path, tp("sl.tar!link.errlog"));
	assert_non_null(strstr(s->why, "symbolic link"));
	got_free(g);

	g = got_new();
	put_archive("raw.zip", "zip", NULL, NULL, f, 1);
	assert_int_equal(walk1(g, "raw.zip"), 0);
	check_entry(g, tp("raw.zip!caf\xc3\xa9.log"), "raw", "latin\n");
	got_free(g);

	g = got_new();
	put_archive("cd1.zip", "zip", NULL, NULL, f, 1);
	patch_file("cd1.zip", "PK\001\002", 4, "XY\001\002");
	assert_int_equal(walk1(g, "cd1.zip"), 0);
	assert_int_equal(g->ne, 1);
	s = must_skip(g, SOURCE_SKIP_CORRUPT);
	assert_string_equal(s->path, tp("cd1.zip"));
	assert_non_null(strstr(s->why, "central directory"));
	got_free(g);
}

/* Names come out as UTF-8 whatever the locale (the tests run in "C"). */
static void
test_utf8_names(void **state)
{
	static const char *const fmts[] = { "zip", "7zip", "pax" };
	const struct afile f[] = {
		{ "\346\227\245\345\277\227/caf\303\251.errlog", "x\n", 2 },
	};
	size_t i;
	char path[600];
	/* the writer needs a UTF-8 locale to store these names */
	locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	locale_t old;

	(void)state;
	if (!utf8)
		skip();
	for (i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
		struct got *g = got_new();

		snprintf(path, sizeof path, "u%zu.%s", i, fmts[i]);
		old = uselocale(utf8);
		put_archive(path, fmts[i], NULL, NULL, f, 1);
		uselocale(old);
		assert_int_equal(walk1(g, path), 0);
		assert_int_equal(g->ne, 1);
		assert_string_equal(g->e[0].name, "caf\303\251.errlog");
		assert_string_equal(g->e[0].machine, "\346\227\245\345\277\227");
		got_free(g);
	}
	freelocale(utf8);
}

static void
test_expand_items(void **state)
{
	struct got *g = got_new();
	struct source_item *items;
	struct source_options o;
	size_t n, i;
	const char *paths[2];
	char p0[512], p1[512];
	const struct afile f[] = { { "Temp/x.errlog", "x\n", 2 } };

	(void)state;
	mkdirs("ex/FS09/Temp");
	put_file("ex/FS09/Temp/a.errlog", "a\n", 2);
	put_archive("ex/fs10.zip", "zip", NULL, NULL, f, 1);
	put_file("ex/notes.txt", "n\n", 2);
	snprintf(p0, sizeof p0, "%s", tp("ex"));
	snprintf(p1, sizeof p1, "%s", "-");
	paths[0] = p0;
	paths[1] = p1;
	source_options_init(&o);
	assert_int_equal(source_expand(paths, 2, &o, &got_cb, g, &items, &n), 0);
	assert_int_equal(n, 4);
	assert_string_equal(items[0].display, tp("ex/FS09/Temp/a.errlog"));
	assert_string_equal(items[0].machine, "FS09");
	assert_int_equal(items[0].rel_depth, 3);
	assert_string_equal(items[1].display, tp("ex/fs10.zip"));
	assert_string_equal(items[1].machine, "ex");
	assert_int_equal(items[1].rel_depth, 1);
	assert_string_equal(items[2].display, tp("ex/notes.txt"));
	assert_int_equal(items[2].size, 2);
	assert_string_equal(items[3].path, "-");
	assert_string_equal(items[3].machine, "stdin");
	assert_int_equal(items[3].size, -1);
	assert_int_equal(items[3].input_index, 1);
	assert_int_equal(g->ne, 0);
	/* items are walked one by one, in any order */
	for (i = 3; i-- > 0;)
		assert_int_equal(source_walk_item(&items[i], &o, &got_cb, g), 0);
	assert_int_equal(g->ne, 3);
	assert_string_equal(g->e[0].path, tp("ex/notes.txt"));
	check_entry(g, tp("ex/fs10.zip!Temp/x.errlog"), "fs10", "x\n");
	check_entry(g, tp("ex/FS09/Temp/a.errlog"), "FS09", "a\n");
	source_items_free(items, n);
	source_items_free(NULL, 0);
	got_free(g);

	/* a callback's non-zero return stops the walk and is returned */
	g = got_new();
	g->stop_at = 1;
	assert_int_equal(walk1(g, "ex"), 7);
	assert_int_equal(g->ne, 1);
	got_free(g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_folder_single_server),
		cmocka_unit_test(test_folder_of_zips),
		cmocka_unit_test(test_zip_of_servers),
		cmocka_unit_test(test_nested_zip_in_folder),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_nested_7z),
		cmocka_unit_test(test_gzip_single_file),
		cmocka_unit_test(test_plain_files),
		cmocka_unit_test(test_stdin),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_truncated_zip),
		cmocka_unit_test(test_corrupt_central_directory),
		cmocka_unit_test(test_crc_error),
		cmocka_unit_test(test_unsupported_method),
		cmocka_unit_test(test_encrypted),
		cmocka_unit_test(test_zip_bomb),
		cmocka_unit_test(test_special_files),
		cmocka_unit_test(test_symlinks),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_odd_entries),
		cmocka_unit_test(test_hostile_entries),
		cmocka_unit_test(test_utf8_names),
		cmocka_unit_test(test_expand_items),
	};

	return cmocka_run_group_tests_name("source", tests, setup, teardown);
}
