/* SPDX-License-Identifier: MIT */
/*
 * hresult.c -- decode HRESULTs that the catalog does not know: facility
 * name, Win32 error name and text, and a few well-known COM and VSS codes.
 *
 * Pure table look-ups, no Windows API, no allocation; every string
 * returned is static.
 */
#include <stdio.h>

#include "patterns/hresult.h"

struct hr_name {
	uint32_t code;
	const char *name;
	const char *text;
};

/* Win32 errors, sorted by code (binary search). */
static const struct hr_name win32_errors[] = {
#define X(code, name, text) { code, #name, text },
#include "patterns/win32_errors.def"
#undef X
};

/*
 * HRESULTs with a name of their own (winerror.h, vsserror.h) that are not
 * FACILITY_WIN32 wrappers; sorted by code.
 */
static const struct hr_name known_hresults[] = {
	{ 0x00000000, "S_OK", "The operation completed successfully." },
	{ 0x00000001, "S_FALSE", "The operation completed with a false result." },
	{ 0x80004001, "E_NOTIMPL", "Not implemented." },
	{ 0x80004002, "E_NOINTERFACE", "No such interface supported." },
	{ 0x80004003, "E_POINTER", "Invalid pointer." },
	{ 0x80004004, "E_ABORT", "Operation aborted." },
	{ 0x80004005, "E_FAIL", "Unspecified error." },
	{ 0x8000FFFF, "E_UNEXPECTED", "Catastrophic failure." },
	{ 0x80010105, "RPC_E_SERVERFAULT", "The server threw an exception." },
	{ 0x80010108, "RPC_E_DISCONNECTED",
	    "The object invoked has disconnected from its clients." },
	{ 0x80040154, "REGDB_E_CLASSNOTREG", "Class not registered." },
	{ 0x80042302, "VSS_E_UNEXPECTED",
	    "A Volume Shadow Copy Service component encountered an unexpected error." },
	{ 0x80042304, "VSS_E_PROVIDER_NOT_REGISTERED",
	    "The volume shadow copy provider is not registered in the system." },
	{ 0x80042306, "VSS_E_PROVIDER_VETO",
	    "The shadow copy provider had an error." },
	{ 0x80042308, "VSS_E_OBJECT_NOT_FOUND",
	    "The specified object was not found." },
	{ 0x8004230C, "VSS_E_VOLUME_NOT_SUPPORTED",
	    "Shadow copying the specified volume is not supported." },
	{ 0x8004230F, "VSS_E_UNEXPECTED_PROVIDER_ERROR",
	    "The shadow copy provider had an unexpected error while trying to process the specified operation." },
	{ 0x80042312, "VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED",
	    "The maximum number of volumes has been added to the shadow copy set." },
	{ 0x80042313, "VSS_E_FLUSH_WRITES_TIMEOUT",
	    "The system was unable to flush I/O writes." },
	{ 0x80042314, "VSS_E_HOLD_WRITES_TIMEOUT",
	    "The system was unable to hold I/O writes." },
	{ 0x80042315, "VSS_E_UNEXPECTED_WRITER_ERROR",
	    "An unexpected error occurred during communication with writers." },
	{ 0x80042316, "VSS_E_SNAPSHOT_SET_IN_PROGRESS",
	    "Another shadow copy creation is already in progress." },
	{ 0x80042317, "VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED",
	    "The specified volume has already reached its maximum number of shadow copies." },
	{ 0x80042318, "VSS_E_WRITER_INFRASTRUCTURE",
	    "An error was detected in the Volume Shadow Copy Service." },
	{ 0x80042319, "VSS_E_WRITER_NOT_RESPONDING",
	    "A writer did not respond to a GatherWriterStatus call." },
	{ 0x8004231F, "VSS_E_INSUFFICIENT_STORAGE",
	    "Insufficient storage available to create either the shadow copy storage file or other shadow copy data." },
	{ 0x800423F0, "VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT",
	    "The shadow copy contains only a subset of the volumes needed by the writer." },
	{ 0x800423F1, "VSS_E_WRITERERROR_OUTOFRESOURCES",
	    "The writer ran out of memory or other system resources." },
	{ 0x800423F2, "VSS_E_WRITERERROR_TIMEOUT",
	    "The writer operation failed because of a timeout between the Freeze and Thaw events." },
	{ 0x800423F3, "VSS_E_WRITERERROR_RETRYABLE",
	    "The writer failed due to an error that would likely not occur if the entire process was restarted." },
	{ 0x800423F4, "VSS_E_WRITERERROR_NONRETRYABLE",
	    "The writer operation failed because of an error that might recur if another shadow copy is created." },
	{ 0x800B0101, "CERT_E_EXPIRED",
	    "A required certificate is not within its validity period." },
	{ 0x800B0109, "CERT_E_UNTRUSTEDROOT",
	    "A certificate chain terminated in a root certificate which is not trusted." },
};

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
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct hr_name *hr_search(const struct hr_name *t, size_t n,
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
	const struct hr_name *e = hr_search(win32_errors, COUNT(win32_errors),
	    code);

	return e ? e->name : NULL;
}

const char *win32_error_text(uint32_t code)
{
	const struct hr_name *e = hr_search(win32_errors, COUNT(win32_errors),
	    code);

	return e ? e->text : NULL;
}

char *hresult_describe(uint32_t hr, char *buf, size_t len)
{
	uint32_t fac = (hr >> 16) & 0x1FFF, low = hr & 0xFFFF;
	const struct hr_name *e;
	const char *fname;

	if (len == 0)
		return buf;
	e = hr_search(known_hresults, COUNT(known_hresults), hr);
	if (e != NULL) {
		snprintf(buf, len, "0x%08X: %s: %s", (unsigned)hr, e->name,
		    e->text);
		return buf;
	}
	if (fac == 7 && (hr & 0xF8000000u) == 0x80000000u) {
		e = hr_search(win32_errors, COUNT(win32_errors), low);
		if (e != NULL)
			snprintf(buf, len, "0x%08X: %s (Win32 %u): %s",
			    (unsigned)hr, e->name, (unsigned)low, e->text);
		else
			snprintf(buf, len, "0x%08X: FACILITY_WIN32 (0x7) "
			    "Win32 error %u", (unsigned)hr, (unsigned)low);
		return buf;
	}
	fname = hresult_facility_name(hr);
	if (fname != NULL)
		snprintf(buf, len, "0x%08X: %s (0x%X) error 0x%04X",
		    (unsigned)hr, fname, (unsigned)fac, (unsigned)low);
	else
		snprintf(buf, len, "0x%08X: facility 0x%X error 0x%04X",
		    (unsigned)hr, (unsigned)fac, (unsigned)low);
	return buf;
}
