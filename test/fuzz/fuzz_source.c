/* SPDX-License-Identifier: MIT */
/*
 * fuzz_source.c -- the input walker (libarchive: zip, tar, 7z, gzip, ...,
 * nested) on arbitrary bytes.
 *
 * The bytes are written to a temporary file (one per process, rewritten
 * for every input) that is walked with small limits, reading every entry
 * to its end.
 *
 * Properties: no entry produces more than the per-entry limit, the walk
 * not more than the total limit, nesting stays within max_depth, entry
 * paths are valid UTF-8 and start with the input's path, a stream that
 * failed says why, and every skip has a reason.
 */
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "parsers/decode.h"
#include "parsers/source.h"
#include "test/fuzz/fuzz.h"

#define SOURCE_ENTRY_MAX (1u << 20)
#define SOURCE_TOTAL_MAX (4u << 20)
#define SOURCE_DEPTH 3

struct source_fuzz {
	const char *path;
	uint64_t total;
	size_t entries;
};

static char source_path[64];

static void
source_cleanup(void)
{
	if (source_path[0] != '\0')
		unlink(source_path);
}

static void
source_check_entry(const struct source_fuzz *f, const struct source_entry *e)
{
	FUZZ_CHECK(e->path != NULL && e->name != NULL && e->machine != NULL);
	FUZZ_CHECK(utf8_valid(e->path, strlen(e->path)));
	FUZZ_CHECK(strncmp(e->path, f->path, strlen(f->path)) == 0);
	FUZZ_CHECK(e->depth >= 0 && e->depth <= SOURCE_DEPTH + 1);
	FUZZ_CHECK(e->input_index == 0);
}

static int
source_fuzz_entry(void *arg, const struct source_entry *e,
    struct source_stream *s)
{
	struct source_fuzz *f = arg;
	uint64_t n = 0;
	const void *buf;
	size_t len;
	int r;

	source_check_entry(f, e);
	FUZZ_CHECK(e->depth <= SOURCE_DEPTH);
	while ((r = source_stream_read(s, &buf, &len)) == 1) {
		FUZZ_CHECK(len > 0 || buf != NULL);
		if (len > 0)	/* touch both ends of the chunk */
			FUZZ_CHECK(((const volatile char *)buf)[0] ==
			    ((const char *)buf)[0] &&
			    ((const volatile char *)buf)[len - 1] ==
			    ((const char *)buf)[len - 1]);
		n += len;
	}
	if (r < 0)
		FUZZ_CHECK(source_stream_error(s) != NULL &&
		    source_stream_error(s)[0] != '\0');
	FUZZ_CHECK(n <= SOURCE_ENTRY_MAX);
	f->total += n;
	FUZZ_CHECK(f->total <= SOURCE_TOTAL_MAX);
	f->entries++;
	return 0;
}

static int
source_fuzz_skip(void *arg, const struct source_entry *e,
    enum source_skip kind, const char *why)
{
	struct source_fuzz *f = arg;

	source_check_entry(f, e);
	FUZZ_CHECK(kind >= SOURCE_SKIP_UNREADABLE && kind <= SOURCE_SKIP_CORRUPT);
	FUZZ_CHECK(why != NULL && why[0] != '\0' && strchr(why, '\n') == NULL);
	return 0;
}

int
fuzz_source(const uint8_t *data, size_t size)
{
	static const struct source_callbacks cb = {
		source_fuzz_entry, source_fuzz_skip
	};
	struct source_options opt;
	struct source_fuzz f;
	const char *paths[1];
	int fd;

	if (source_path[0] == '\0') {
		snprintf(source_path, sizeof source_path,
		    "/tmp/marslog-fuzz-source-XXXXXX");
		fd = mkstemp(source_path);
		FUZZ_CHECK(fd >= 0);
		close(fd);
		atexit(source_cleanup);
	}
	fd = open(source_path, O_WRONLY | O_TRUNC);
	FUZZ_CHECK(fd >= 0);
	FUZZ_CHECK(size == 0 || write(fd, data, size) == (ssize_t)size);
	FUZZ_CHECK(close(fd) == 0);

	source_options_init(&opt);
	opt.max_depth = SOURCE_DEPTH;
	opt.max_entry_bytes = SOURCE_ENTRY_MAX;
	opt.max_total_bytes = SOURCE_TOTAL_MAX;
	opt.max_ratio = 50;
	memset(&f, 0, sizeof f);
	f.path = source_path;
	paths[0] = source_path;
	FUZZ_CHECK(source_walk(paths, 1, &opt, &cb, &f) == 0);
	return 0;
}

FUZZ_MAIN(fuzz_source)
