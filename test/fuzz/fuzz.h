/* SPDX-License-Identifier: MIT */
/*
 * fuzz.h -- the fuzz targets' entry points.
 *
 * Each test/fuzz/fuzz_<name>.c defines fuzz_<name>(), which runs one input
 * through a library module and aborts (assert) when a property the module
 * promises does not hold.  Built with -DMARSLOG_FUZZ (make fuzz), each file
 * also defines LLVMFuzzerTestOneInput; test/test_fuzz_regress.c includes
 * all of them and replays the committed corpora and crash reproducers.
 */
#ifndef MARSLOG_FUZZ_H
#define MARSLOG_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int fuzz_decode(const uint8_t *data, size_t size);
int fuzz_errlog(const uint8_t *data, size_t size);
int fuzz_failed(const uint8_t *data, size_t size);
int fuzz_catalog(const uint8_t *data, size_t size);
int fuzz_json(const uint8_t *data, size_t size);
int fuzz_source(const uint8_t *data, size_t size);

/* A property that must hold whatever the input: abort (the fuzzer and the
 * regression test both report it) even when NDEBUG is set. */
#define FUZZ_CHECK(cond) \
	do { \
		if (!(cond)) \
			fuzz_fail(__FILE__, __LINE__, #cond); \
	} while (0)

#include <stdio.h>
#include <stdlib.h>

static inline void
fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: fuzz check failed: %s\n", file, line, what);
	abort();
}

#ifdef MARSLOG_FUZZ
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#define FUZZ_MAIN(fn) \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) \
	{ \
		return fn(data, size); \
	}
#else
#define FUZZ_MAIN(fn)
#endif

#endif
