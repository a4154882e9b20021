/* SPDX-License-Identifier: MIT */
/*
 * hresult.h -- decode HRESULTs that are not in the catalog.
 *
 * Facility names come from winerror.h (plus FACILITY_DPM, 0x99, DPM and
 * MABS internal error codes).  Names come from the table generated from the
 * public-domain mingw-w64 headers (patterns/mkerrnames.py, `make
 * errnames`): every Win32 error, HRESULT and NTSTATUS those headers name,
 * with a short text for the codes backup logs meet most.  For
 * FACILITY_WIN32 (0x8007xxxx) the low 16 bits are the Win32 error; an
 * HRESULT with the N bit (0xDxxxxxxx, HRESULT_FROM_NT) is an NTSTATUS.
 * Nothing here calls a Windows API.  All returned strings are static.
 */
#ifndef MARSLOG_HRESULT_H
#define MARSLOG_HRESULT_H

#include <stddef.h>
#include <stdint.h>

/* "FACILITY_WIN32", "FACILITY_ITF", ...; NULL if unknown. */
const char *hresult_facility_name(uint32_t hr);

/* Win32 error code -> "ERROR_ACCESS_DENIED"; NULL if not in the table. */
const char *win32_error_name(uint32_t code);
/* Win32 error code -> "Access is denied."; NULL if the table has no text
 * for it (most codes have a name only). */
const char *win32_error_text(uint32_t code);
/* HRESULT -> its name: "SEC_E_WRONG_PRINCIPAL"; for a 0x8007xxxx the
 * Win32 name ("ERROR_ACCESS_DENIED", as hresult_describe() shows it, not
 * winerror.h's alias E_ACCESSDENIED); for a 0xDxxxxxxx the NTSTATUS name;
 * NULL if none. */
const char *hresult_name(uint32_t hr);
/* NTSTATUS -> "STATUS_ACCESS_DENIED"; NULL if not in the table. */
const char *ntstatus_name(uint32_t status);

/*
 * A one-line title for an HRESULT, e.g.
 *   "0x8007052E: ERROR_LOGON_FAILURE (Win32 1326): The user name or password is incorrect."
 *   "0x80090322: SEC_E_WRONG_PRINCIPAL (FACILITY_SECURITY)"
 *   "0xD0000022: STATUS_ACCESS_DENIED (NTSTATUS 0xC0000022)"
 *   "0x80990F75: FACILITY_DPM (0x99) DPM internal error 0x0F75"
 *   "0x80780054: FACILITY_WINDOWS_BACKUP (0x78) error 0x0054"
 * Writes at most len bytes (NUL-terminated) and returns buf.
 */
char *hresult_describe(uint32_t hr, char *buf, size_t len);

#endif
