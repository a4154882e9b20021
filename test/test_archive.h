/* SPDX-License-Identifier: MIT */
/*
 * test_archive.h -- write real archives for the end-to-end tests with
 * libarchive's write API.  Header only (static); include it after
 * <cmocka.h>.
 */
#ifndef MARSLOG_TEST_ARCHIVE_H
#define MARSLOG_TEST_ARCHIVE_H

#include <archive.h>
#include <archive_entry.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct zent {
	const char *name;
	const void *data;	/* NULL with `repeat`: that many `fill` bytes */
	size_t len;
	uint64_t repeat;
	char fill;
	const char *symlink;	/* non-NULL: a symlink entry to this */
};

/* Write an archive ("zip", "tar" or "tar.gz") with `opts` (libarchive format
 * options, or NULL) and `pass` (zip encryption, or NULL) to `path`, or to
 * memory when `mem` is set (*mem malloc'd, *memlen its size). */
static inline void
archive_make(const char *path, char **mem, size_t *memlen, const char *fmt,
    const char *opts, const char *pass, const struct zent *z, size_t n)
{
	struct archive *a = archive_write_new();
	size_t i, cap = 0, used = 0;
	char *buf = NULL;

	assert_non_null(a);
	if (strcmp(fmt, "zip") == 0)
		assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
	else
		assert_int_equal(archive_write_set_format_pax_restricted(a),
		    ARCHIVE_OK);
	if (strcmp(fmt, "tar.gz") == 0)
		assert_int_equal(archive_write_add_filter_gzip(a), ARCHIVE_OK);
	if (opts != NULL)
		assert_int_equal(archive_write_set_options(a, opts), ARCHIVE_OK);
	if (pass != NULL)
		assert_int_equal(archive_write_set_passphrase(a, pass),
		    ARCHIVE_OK);
	if (mem != NULL) {
		for (i = 0; i < n; i++)
			cap += z[i].len + (size_t)z[i].repeat + 1024;
		cap += 4096;
		buf = malloc(cap);
		assert_non_null(buf);
		assert_int_equal(archive_write_open_memory(a, buf, cap, &used),
		    ARCHIVE_OK);
	} else {
		assert_int_equal(archive_write_open_filename(a, path),
		    ARCHIVE_OK);
	}
	for (i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();

		archive_entry_set_pathname(e, z[i].name);
		archive_entry_set_mtime(e, 1717900000, 0);
		if (z[i].symlink != NULL) {
			archive_entry_set_filetype(e, AE_IFLNK);
			archive_entry_set_perm(e, 0777);
			archive_entry_set_symlink(e, z[i].symlink);
			archive_entry_set_size(e, 0);
		} else {
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_perm(e, 0644);
			archive_entry_set_size(e, z[i].data != NULL ?
			    (la_int64_t)z[i].len : (la_int64_t)z[i].repeat);
		}
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		if (z[i].data != NULL && z[i].len > 0) {
			assert_int_equal(archive_write_data(a, z[i].data,
			    z[i].len), (la_ssize_t)z[i].len);
		} else if (z[i].data == NULL && z[i].repeat > 0) {
			size_t chunk = 1 << 20;
			char *fill = malloc(chunk);
			uint64_t left = z[i].repeat;

			assert_non_null(fill);
			memset(fill, z[i].fill, chunk);
			while (left > 0) {
				size_t k = left < chunk ? (size_t)left : chunk;

				assert_int_equal(archive_write_data(a, fill, k),
				    (la_ssize_t)k);
				left -= k;
			}
			free(fill);
		}
		archive_entry_free(e);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	if (mem != NULL) {
		*mem = buf;
		*memlen = used;
	}
}

/*
 * UTF-8 text as the agent writes it: UTF-16LE with a byte order mark
 * (malloc'd; its length in *len).  Characters outside the BMP become
 * surrogate pairs; the input must be valid UTF-8.
 */
static inline char *
test_utf16le(const char *s, size_t *len)
{
	size_t n = strlen(s), o = 2, i = 0;
	unsigned char *out = malloc(4 * n + 2);

	assert_non_null(out);
	out[0] = 0xFF;
	out[1] = 0xFE;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		int k = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;

		cp = k == 0 ? c : c & (0x3F >> k);
		for (i++; k > 0; k--, i++)
			cp = cp << 6 | ((unsigned char)s[i] & 0x3F);
		if (cp >= 0x10000) {
			cp -= 0x10000;
			out[o++] = (unsigned char)((0xD800 | cp >> 10) & 0xFF);
			out[o++] = (unsigned char)((0xD800 | cp >> 10) >> 8);
			cp = 0xDC00 | (cp & 0x3FF);
		}
		out[o++] = (unsigned char)(cp & 0xFF);
		out[o++] = (unsigned char)(cp >> 8);
	}
	*len = o;
	return (char *)out;
}

/* Every entry of the archive at `path` (an XLSX is a zip), joined into one
 * NUL-terminated malloc'd string, so a test can search all its XML. */
static inline char *
test_archive_text(const char *path)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	char *buf = NULL;
	size_t n = 0, cap = 0;
	la_ssize_t r;

	assert_non_null(a);
	archive_read_support_format_all(a);
	archive_read_support_filter_all(a);
	assert_int_equal(archive_read_open_filename(a, path, 65536), ARCHIVE_OK);
	while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
		do {
			if (n + 65536 + 1 > cap) {
				cap = 2 * cap + 65536 + 1;
				buf = realloc(buf, cap);
				assert_non_null(buf);
			}
			r = archive_read_data(a, buf + n, cap - n - 1);
			assert_true(r >= 0);
			n += (size_t)r;
		} while (r > 0);
	}
	archive_read_free(a);
	if (buf == NULL)
		buf = calloc(1, 1);
	assert_non_null(buf);
	buf[n] = '\0';
	return buf;
}

#endif
