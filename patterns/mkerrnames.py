#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""mkerrnames.py -- generate patterns/errnames.c, the table that decodes
Win32 errors, HRESULTs and NTSTATUS codes to their winerror.h names.

Run by `make errnames` (not at every build): the output is committed, so a
build needs neither Python nor the headers.

Sources, all public domain ("This file has no copyright assigned and is
placed in the Public Domain", mingw-w64 runtime, Debian package
mingw-w64-common):
  winerror.h   Win32 errors (ERROR_*, RPC_S_*, WSAE*, DNS_*, ...) and the
               HRESULTs (E_*, SEC_E_*, RPC_E_*, CO_E_*, ...)
  lmerr.h      LAN Manager errors NERR_* (Win32 codes 2100-2999)
  wininet.h    WinINet errors ERROR_INTERNET_* (Win32 codes 12000-12199)
  vsserror.h   Volume Shadow Copy HRESULTs VSS_E_*
  ntstatus.h   NTSTATUS codes STATUS_* (also decode HRESULT_FROM_NT)
and patterns/errnames-extra.tsv, our own file: the names we prefer where
the headers give one code several (WinHTTP's over WinINet's, for example),
codes the headers lack, and a one-sentence text for the codes backup logs
meet most.

When a header names one code twice, the first name wins, except that a
range marker (_BASE, _FIRST, _LAST, _BEGIN, _END) gives way to a real name.

Output: one string blob of NUL-terminated names and texts, and three sorted
arrays of {code, name offset, text offset} (offset 0 = the empty string:
no text).  See patterns/errnames.h.

Usage: mkerrnames.py [INCLUDE_DIR [OUT.c]]
  default INCLUDE_DIR /usr/share/mingw-w64/include, OUT patterns/errnames.c
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
INC = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/mingw-w64/include"
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "errnames.c")
EXTRA = os.path.join(HERE, "errnames-extra.tsv")

MARKER = re.compile(r"_(BASE|FIRST|LAST|BEGIN|END)$|^WSABASEERR$")
DEFINE = re.compile(r"^\s*#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)\s+(.+?)\s*$")


def strip_comment(s):
    s = re.sub(r"/\*.*?\*/", "", s)
    return s.split("//")[0].strip()


def evaluate(expr, known):
    """The integer value of a #define body, or None if it is not a plain
    constant (a macro with arguments, a string, a cast of something
    else)."""
    e = strip_comment(expr)
    e = re.sub(r"__MSABI_LONG\s*\(([^()]*)\)", r"(\1)", e)
    e = re.sub(r"_HRESULT_TYPEDEF_\s*\(([^()]*)\)", r"(\1)", e)
    e = re.sub(r"_NDIS_ERROR_TYPEDEF_\s*\(([^()]*)\)", r"(\1)", e)
    e = re.sub(r"\(\s*(HRESULT|NTSTATUS|SCODE|DWORD|LONG|long)\s*\)", "", e)
    e = re.sub(r"\b(0[xX][0-9A-Fa-f]+|\d+)[uUlL]*\b", r"\1", e)
    if not re.fullmatch(r"[\sA-Za-z0-9_()+\-|x]*", e):
        return None

    def name(m):
        n = m.group(0)
        if re.fullmatch(r"0[xX][0-9A-Fa-f]+|\d+", n):
            return n
        if n in known:
            return str(known[n])
        raise KeyError(n)
    try:
        e = re.sub(r"\b[A-Za-z_][A-Za-z0-9_]*\b", name, e)
        v = eval(e, {"__builtins__": {}}, {})  # digits, + - | ( ) only
    except (KeyError, SyntaxError, TypeError, NameError):
        return None
    return v & 0xFFFFFFFF if isinstance(v, int) else None


def read_header(path):
    """(name, value) pairs in file order, for every constant #define."""
    known, out = {}, []
    with open(path, encoding="latin-1") as f:
        for line in f:
            m = DEFINE.match(line)
            if not m or "(" in m.group(1):
                continue
            v = evaluate(m.group(2), known)
            if v is None:
                continue
            known[m.group(1)] = v
            out.append((m.group(1), v))
    return out


def main():
    win32, hresult, ntstatus = {}, {}, {}
    facilities = {}

    def put(table, code, name):
        """First name wins, but a range marker only while it is alone."""
        old = table.get(code)
        if old is None or (MARKER.search(old) and not MARKER.search(name)):
            table[code] = name

    for name, v in read_header(os.path.join(INC, "winerror.h")):
        if name.startswith("FACILITY_"):
            continue
        if name.startswith(("SEVERITY_", "NOERROR", "NO_ERROR")):
            continue
        if v < 0x10000 and not name.startswith(("S_", "E_")):
            put(win32, v, name)
        elif v >= 0x10000:
            put(hresult, v, name)
        elif name in ("S_OK", "S_FALSE"):
            put(hresult, v, name)
    for name, v in read_header(os.path.join(INC, "lmerr.h")):
        if name.startswith("NERR_") and 2100 <= v < 3000:
            put(win32, v, name)
    for name, v in read_header(os.path.join(INC, "wininet.h")):
        if name.startswith("ERROR_") and 12000 <= v < 12200:
            put(win32, v, name)
    for name, v in read_header(os.path.join(INC, "vsserror.h")):
        if name.startswith(("VSS_E_", "VSS_S_")):
            put(hresult, v, name)
    for name, v in read_header(os.path.join(INC, "ntstatus.h")):
        if name.startswith(("STATUS_", "DBG_", "RPC_NT_", "EPT_NT_")):
            put(ntstatus, v, name)

    texts = {"win32": {}, "hresult": {}, "ntstatus": {}}
    tables = {"win32": win32, "hresult": hresult, "ntstatus": ntstatus}
    with open(EXTRA, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 4 or parts[0] not in tables:
                sys.exit("%s:%d: expected space<TAB>code<TAB>NAME<TAB>text"
                         % (EXTRA, n))
            space, code, name, text = parts
            code = int(code, 0)
            tables[space][code] = name
            if text:
                texts[space][code] = text

    blob = [""]
    offsets = {"": 0}
    size = [1]

    def intern(s):
        if s not in offsets:
            offsets[s] = size[0]
            blob.append(s)
            size[0] += len(s.encode("utf-8")) + 1
        return offsets[s]

    def c_string(s):
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '\\0"'

    rows = {}
    for space in ("win32", "hresult", "ntstatus"):
        rows[space] = [(c, intern(tables[space][c]),
                        intern(texts[space].get(c, "")))
                       for c in sorted(tables[space])]

    with open(OUT + ".tmp", "w", encoding="utf-8") as f:
        f.write("/* SPDX-License-Identifier: MIT */\n")
        f.write("/* generated by patterns/mkerrnames.py (make errnames) "
                "from the public-domain\n * mingw-w64 winerror.h, lmerr.h, "
                "wininet.h, vsserror.h, ntstatus.h and\n * "
                "patterns/errnames-extra.tsv -- do not edit. */\n")
        f.write('#include "patterns/errnames.h"\n\n')
        f.write("const char errnames_blob[] =\n\t\"\\0\"\n")
        for s in blob[1:]:
            f.write("\t" + c_string(s) + "\n")
        f.write("\t;\n\n")
        for space in ("win32", "hresult", "ntstatus"):
            f.write("const struct errname errnames_%s[] = {\n" % space)
            for c, no, to in rows[space]:
                f.write("\t{ 0x%08X, %d, %d },\n" % (c, no, to))
            f.write("};\nconst size_t errnames_%s_count = %d;\n\n"
                    % (space, len(rows[space])))
    os.replace(OUT + ".tmp", OUT)
    print("%s: %d Win32, %d HRESULT, %d NTSTATUS names, %d bytes of text"
          % (OUT, len(rows["win32"]), len(rows["hresult"]),
             len(rows["ntstatus"]), size[0]))


if __name__ == "__main__":
    main()
