/* SPDX-License-Identifier: MIT */
/*
 * errnames.h -- the generated name table behind patterns/hresult.h.
 *
 * patterns/errnames.c is written by patterns/mkerrnames.py (`make
 * errnames`) from the public-domain mingw-w64 headers winerror.h, lmerr.h,
 * wininet.h, vsserror.h and ntstatus.h, plus patterns/errnames-extra.tsv;
 * it is committed and not regenerated at build time.  Only hresult.c reads
 * it: everyone else asks hresult.h.
 *
 * Each array is sorted by code, for binary search.  `name` and `text` are
 * byte offsets into errnames_blob (NUL-terminated strings); text 0 is the
 * empty string: no text known.
 */
#ifndef MARSLOG_ERRNAMES_H
#define MARSLOG_ERRNAMES_H

#include <stddef.h>
#include <stdint.h>

struct errname {
	uint32_t code;
	uint32_t name;
	uint32_t text;
};

extern const char errnames_blob[];
extern const struct errname errnames_win32[];	/* Win32 error codes */
extern const size_t errnames_win32_count;
extern const struct errname errnames_hresult[];	/* HRESULTs with a name */
extern const size_t errnames_hresult_count;
extern const struct errname errnames_ntstatus[];	/* NTSTATUS codes */
extern const size_t errnames_ntstatus_count;

#endif
