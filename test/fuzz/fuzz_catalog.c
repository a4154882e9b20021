/* SPDX-License-Identifier: MIT */
/*
 * fuzz_catalog.c -- the catalog TSV loader and the classifier.
 *
 * The input is loaded as a --catalog file into an empty catalog.  When it
 * loads, a classifier is built on it and classifies a few fixed messages
 * and every line of the input; every line is also classified against the
 * built-in catalog (built once per process), which fuzzes the code scanner
 * with real entries.
 *
 * Properties: a rejected file says where ("fuzz.tsv:LINE: ..."); every
 * code of a loaded entry finds that entry; a classification names an
 * entry of the catalog it ran on, or is an unknown failure HRESULT.
 */
#include <string.h>

#include "patterns/catalog.h"
#include "patterns/classify.h"
#include "test/fuzz/fuzz.h"

static const char *const catalog_messages[] = {
	"CloudProvider: failed with error code: 1b7afbe0 (ID: 34513)",
	"Hr: = [0x80070005] access denied SalLowDiskSpace",
	"The operation timed out (0x1FBD3) [0x1FC07] ID：403",
	"",
};

/* Classify `msg` and check the result belongs to `cat`. */
static void
catalog_classify_one(struct classifier *cl, const struct catalog *cat,
    const char *msg, size_t len)
{
	struct classification out;
	int r = classifier_classify(cl, msg, len, &out);

	FUZZ_CHECK(r == 0 || r == 1);
	FUZZ_CHECK(memchr(out.code, '\0', sizeof out.code) != NULL);
	if (r == 0) {
		FUZZ_CHECK(out.entry == NULL && out.code[0] == '\0');
		return;
	}
	if (out.entry != NULL)
		FUZZ_CHECK(catalog_find_id(cat, out.entry->id) != NULL);
	else
		FUZZ_CHECK(out.kind == CODE_HRESULT &&
		    (out.value & 0x80000000u) != 0);
}

static void
catalog_classify_lines(struct classifier *cl, const struct catalog *cat,
    const char *text, size_t size)
{
	const char *end = text + size, *line, *nl;

	for (line = text; line < end; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (nl == NULL)
			nl = end;
		catalog_classify_one(cl, cat, line, (size_t)(nl - line));
	}
}

int
fuzz_catalog(const uint8_t *data, size_t size)
{
	static struct catalog *builtin;
	static struct classifier *builtin_cl;
	const char *text = (const char *)data;
	struct catalog *cat = catalog_new();
	struct classifier *cl = NULL;
	char err[512], code[64];
	size_t i, k;

	FUZZ_CHECK(cat != NULL);
	if (builtin == NULL) {
		builtin = catalog_new_builtin(err, sizeof err);
		FUZZ_CHECK(builtin != NULL);
		builtin_cl = classifier_new(builtin, err, sizeof err);
		FUZZ_CHECK(builtin_cl != NULL);
	}
	catalog_classify_lines(builtin_cl, builtin, text, size);
	{
		size_t n = size < sizeof code - 1 ? size : sizeof code - 1;
		char in[64];

		memcpy(in, text, n);
		in[n] = '\0';
		(void)code_normalise(in, code, sizeof code);
		FUZZ_CHECK(memchr(code, '\0', sizeof code) != NULL);
	}

	err[0] = '\0';
	if (catalog_load_text(cat, "fuzz.tsv", text, size, err,
	    sizeof err) != 0) {
		FUZZ_CHECK(strncmp(err, "fuzz.tsv:", 9) == 0);
		FUZZ_CHECK(catalog_count(cat) == 0);
		goto out;
	}
	for (i = 0; i < catalog_count(cat); i++) {
		const struct catalog_entry *e = catalog_at(cat, i);

		FUZZ_CHECK(catalog_find_id(cat, e->id) == e);
		for (k = 0; k < e->ncodes; k++)
			FUZZ_CHECK(catalog_find_code(cat, e->codes[k]) == e);
	}
	cl = classifier_new(cat, err, sizeof err);
	FUZZ_CHECK(cl != NULL);
	for (i = 0; i < sizeof catalog_messages / sizeof catalog_messages[0]; i++)
		catalog_classify_one(cl, cat, catalog_messages[i],
		    strlen(catalog_messages[i]));
	catalog_classify_lines(cl, cat, text, size);
out:
	classifier_free(cl);
	catalog_free(cat);
	return 0;
}

FUZZ_MAIN(fuzz_catalog)
