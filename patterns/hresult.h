/* SPDX-License-Identifier: MIT */
/*
 * hresult.h -- decode HRESULTs that are not in the catalog.
 *
 * Facility names come from winerror.h; for FACILITY_WIN32 (0x8007xxxx)
 * the low 16 bits are a Win32 error whose symbolic name and meaning come
 * from a table shipped in patterns/win32_errors.def.  Nothing here calls a
 * Windows API.  All returned strings are static.
 */
#ifndef MARSLOG_HRESULT_H
#define MARSLOG_HRESULT_H

#include <stddef.h>
#include <stdint.h>

/* "FACILITY_WIN32", "FACILITY_ITF", ...; NULL if unknown. */
const char *hresult_facility_name(uint32_t hr);

/* Win32 error code -> "ERROR_ACCESS_DENIED"; NULL if not in the table. */
const char *win32_error_name(uint32_t code);
/* Win32 error code -> "Access is denied."; NULL if not in the table. */
const char *win32_error_text(uint32_t code);

/*
 * A one-line title for an HRESULT, e.g.
 *   "0x8007052E: ERROR_LOGON_FAILURE (Win32 1326): The user name or password is incorrect."
 *   "0x80780054: FACILITY_WINDOWS_BACKUP (0x78) error 0x0054"
 * Writes at most len bytes (NUL-terminated) and returns buf.
 */
char *hresult_describe(uint32_t hr, char *buf, size_t len);

#endif
