/* SPDX-License-Identifier: MIT */
/*
 * hresult.c -- decode HRESULTs that the catalog does not know: facility
 * name, and the winerror.h name (with a short text for the common ones) of
 * Win32 errors, named HRESULTs and NTSTATUS codes.
 *
 * Pure look-ups in the generated table patterns/errnames.c (binary
 * search), no Windows API, no allocation; every string returned is static.
 */
#include <stdio.h>

#include "patterns/errnames.h"
#include "patterns/hresult.h"

/*
 * Facility numbers of winerror.h.  Where winerror.h gives one number two
 * names, the one backup logs make sense of is used; 0x78 is FACILITY_BLB
 * there (block level backup), named FACILITY_WINDOWS_BACKUP here because
 * that is what Windows Server Backup's 0x8078xxxx codes are known as.
 */
static const struct { uint16_t num; const char *name; } facilities[] = {
	{ 0, "FACILITY_NULL" },
	{ 1, "FACILITY_RPC" },
	{ 2, "FACILITY_DISPATCH" },
	{ 3, "FACILITY_STORAGE" },
	{ 4, "FACILITY_ITF" },
	{ 7, "FACILITY_WIN32" },
	{ 8, "FACILITY_WINDOWS" },
	{ 9, "FACILITY_SECURITY" },	/* also FACILITY_SSPI */
	{ 10, "FACILITY_CONTROL" },
	{ 11, "FACILITY_CERT" },
	{ 12, "FACILITY_INTERNET" },
	{ 13, "FACILITY_MEDIASERVER" },
	{ 14, "FACILITY_MSMQ" },
	{ 15, "FACILITY_SETUPAPI" },
	{ 16, "FACILITY_SCARD" },
	{ 17, "FACILITY_COMPLUS" },
	{ 18, "FACILITY_AAF" },
	{ 19, "FACILITY_URT" },
	{ 20, "FACILITY_ACS" },
	{ 21, "FACILITY_DPLAY" },
	{ 22, "FACILITY_UMI" },
	{ 23, "FACILITY_SXS" },
	{ 24, "FACILITY_WINDOWS_CE" },
	{ 25, "FACILITY_HTTP" },
	{ 26, "FACILITY_USERMODE_COMMONLOG" },
	{ 31, "FACILITY_USERMODE_FILTER_MANAGER" },
	{ 32, "FACILITY_BACKGROUNDCOPY" },
	{ 33, "FACILITY_CONFIGURATION" },
	{ 34, "FACILITY_STATE_MANAGEMENT" },
	{ 35, "FACILITY_METADIRECTORY" },
	{ 36, "FACILITY_WINDOWSUPDATE" },
	{ 37, "FACILITY_DIRECTORYSERVICE" },
	{ 38, "FACILITY_GRAPHICS" },
	{ 39, "FACILITY_SHELL" },
	{ 40, "FACILITY_TPM_SERVICES" },
	{ 41, "FACILITY_TPM_SOFTWARE" },
	{ 48, "FACILITY_PLA" },
	{ 49, "FACILITY_FVE" },
	{ 50, "FACILITY_FWP" },
	{ 51, "FACILITY_WINRM" },
	{ 52, "FACILITY_NDIS" },
	{ 53, "FACILITY_USERMODE_HYPERVISOR" },
	{ 54, "FACILITY_CMI" },
	{ 55, "FACILITY_USERMODE_VIRTUALIZATION" },
	{ 56, "FACILITY_USERMODE_VOLMGR" },
	{ 57, "FACILITY_BCD" },
	{ 58, "FACILITY_USERMODE_VHD" },
	{ 60, "FACILITY_SDIAG" },
	{ 61, "FACILITY_WEBSERVICES" },
	{ 80, "FACILITY_WINDOWS_DEFENDER" },
	{ 81, "FACILITY_OPC" },
	{ 120, "FACILITY_WINDOWS_BACKUP" },
	/* DPM and MABS report internal error codes as 0x8099xxxx
	 * ("ID 30172 Details: Internal error code: 0x80990F75", KB3041345). */
	{ 0x99, "FACILITY_DPM" },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct errname *name_search(const struct errname *t, size_t n,
    uint32_t code)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t[mid].code == code)
			return &t[mid];
		if (t[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const char *name_of(const struct errname *e)
{
	return e != NULL ? errnames_blob + e->name : NULL;
}

/* The text, or NULL when the table has none for this code. */
static const char *text_of(const struct errname *e)
{
	return e != NULL && e->text != 0 ? errnames_blob + e->text : NULL;
}

static const struct errname *win32_find(uint32_t code)
{
	return name_search(errnames_win32, errnames_win32_count, code);
}

static const struct errname *hresult_find(uint32_t hr)
{
	return name_search(errnames_hresult, errnames_hresult_count, hr);
}

static const struct errname *ntstatus_find(uint32_t st)
{
	return name_search(errnames_ntstatus, errnames_ntstatus_count, st);
}

#define HR_NT_BIT 0x10000000u	/* FACILITY_NT_BIT: HRESULT_FROM_NT() */

/* HRESULT_FROM_NT(status): an NTSTATUS (0xC...) with the N bit set. */
static int is_from_nt(uint32_t hr)
{
	return (hr & 0xF0000000u) == 0xD0000000u;
}

/* HRESULT_FROM_WIN32(code): 0x8007xxxx. */
static int is_from_win32(uint32_t hr)
{
	return (hr & 0xFFFF0000u) == 0x80070000u;
}

/* VSS errors are FACILITY_ITF codes in 0x80042300-0x800423FF. */
static int is_vss(uint32_t hr)
{
	return (hr & 0xFFFFFF00u) == 0x80042300u;
}

const char *hresult_facility_name(uint32_t hr)
{
	uint32_t fac = (hr >> 16) & 0x1FFF;
	size_t i;

	if (is_vss(hr))
		return "VSS";
	for (i = 0; i < COUNT(facilities); i++)
		if (facilities[i].num == fac)
			return facilities[i].name;
	return NULL;
}

const char *win32_error_name(uint32_t code)
{
	return name_of(win32_find(code));
}

const char *win32_error_text(uint32_t code)
{
	return text_of(win32_find(code));
}

const char *hresult_name(uint32_t hr)
{
	const struct errname *e;

	if (is_from_nt(hr))
		return name_of(ntstatus_find(hr & ~HR_NT_BIT));
	e = is_from_win32(hr) ? win32_find(hr & 0xFFFF) : NULL;
	if (e == NULL)
		e = hresult_find(hr);
	return name_of(e);
}

const char *ntstatus_name(uint32_t status)
{
	return name_of(ntstatus_find(status));
}

/* "NAME: text" or "NAME (FACILITY_X)" after the "0x........: " prefix. */
static void describe_named(char *buf, size_t len, uint32_t hr,
    const struct errname *e)
{
	const char *text = text_of(e), *fname = hresult_facility_name(hr);

	if (text != NULL)
		snprintf(buf, len, "0x%08X: %s: %s", (unsigned)hr, name_of(e),
		    text);
	else if (fname != NULL)
		snprintf(buf, len, "0x%08X: %s (%s)", (unsigned)hr, name_of(e),
		    fname);
	else
		snprintf(buf, len, "0x%08X: %s", (unsigned)hr, name_of(e));
}

char *hresult_describe(uint32_t hr, char *buf, size_t len)
{
	uint32_t fac = (hr >> 16) & 0x1FFF, low = hr & 0xFFFF;
	const struct errname *e;
	const char *fname;

	if (len == 0)
		return buf;
	if (is_from_nt(hr)) {
		e = ntstatus_find(hr & ~HR_NT_BIT);
		if (e != NULL && text_of(e) != NULL)
			snprintf(buf, len, "0x%08X: %s (NTSTATUS 0x%08X): %s",
			    (unsigned)hr, name_of(e),
			    (unsigned)(hr & ~HR_NT_BIT), text_of(e));
		else if (e != NULL)
			snprintf(buf, len, "0x%08X: %s (NTSTATUS 0x%08X)",
			    (unsigned)hr, name_of(e),
			    (unsigned)(hr & ~HR_NT_BIT));
		else
			snprintf(buf, len, "0x%08X: NTSTATUS 0x%08X",
			    (unsigned)hr, (unsigned)(hr & ~HR_NT_BIT));
		return buf;
	}
	/* A Win32 error wrapped in an HRESULT reads best as the Win32 error
	 * (winerror.h also names a few of them E_..., E_ACCESSDENIED). */
	if (is_from_win32(hr)) {
		e = win32_find(low);
		if (e != NULL && text_of(e) != NULL)
			snprintf(buf, len, "0x%08X: %s (Win32 %u): %s",
			    (unsigned)hr, name_of(e), (unsigned)low,
			    text_of(e));
		else if (e != NULL)
			snprintf(buf, len, "0x%08X: %s (Win32 %u)",
			    (unsigned)hr, name_of(e), (unsigned)low);
		else
			snprintf(buf, len, "0x%08X: FACILITY_WIN32 (0x7) "
			    "Win32 error %u", (unsigned)hr, (unsigned)low);
		return buf;
	}
	e = hresult_find(hr);
	if (e != NULL) {
		describe_named(buf, len, hr, e);
		return buf;
	}
	/* NTSTATUS codes are also logged as they are (0xC0000022). */
	if ((hr & 0xC0000000u) == 0xC0000000u && (e = ntstatus_find(hr)) !=
	    NULL) {
		snprintf(buf, len, "0x%08X: %s (NTSTATUS)", (unsigned)hr,
		    name_of(e));
		return buf;
	}
	fname = hresult_facility_name(hr);
	if (fac == 0x99 && fname != NULL)
		snprintf(buf, len, "0x%08X: %s (0x99) DPM internal error "
		    "0x%04X", (unsigned)hr, fname, (unsigned)low);
	else if (fname != NULL)
		snprintf(buf, len, "0x%08X: %s (0x%X) error 0x%04X",
		    (unsigned)hr, fname, (unsigned)fac, (unsigned)low);
	else
		snprintf(buf, len, "0x%08X: facility 0x%X error 0x%04X",
		    (unsigned)hr, (unsigned)fac, (unsigned)low);
	return buf;
}
