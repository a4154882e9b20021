/* SPDX-License-Identifier: MIT */
/*
 * inflate.c -- read every entry of an archive with libarchive, as marslog
 * does, and drop the bytes: the floor under marslog's zip row.  One
 * deflate stream inflates on one core, and libarchive checks each entry's
 * CRC-32 on the way, so no reader of the zip can be faster than this.
 * Prints the number of bytes inflated.
 *
 * Usage: inflate ARCHIVE
 */
#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>

int
main(int argc, char **argv)
{
	struct archive *a;
	struct archive_entry *e;
	const void *buf;
	size_t len;
	la_int64_t off;
	unsigned long long total = 0;
	int r, rc = 1;

	if (argc != 2) {
		fprintf(stderr, "usage: inflate ARCHIVE\n");
		return 2;
	}
	a = archive_read_new();
	if (a == NULL)
		return 1;
	archive_read_support_format_all(a);
	archive_read_support_filter_all(a);
	if (archive_read_open_filename(a, argv[1], 64 << 10) != ARCHIVE_OK)
		goto out;
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		while ((r = archive_read_data_block(a, &buf, &len, &off)) ==
		    ARCHIVE_OK)
			total += len;
		if (r != ARCHIVE_EOF)
			goto out;
	}
	if (r != ARCHIVE_EOF)
		goto out;
	printf("%llu\n", total);
	rc = 0;
out:
	if (rc != 0)
		fprintf(stderr, "inflate: %s: %s\n", argv[1],
		    archive_error_string(a) ? archive_error_string(a) : "failed");
	archive_read_free(a);
	return rc;
}
