#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""time_bundles.py DIR -- bundles for test_time.c (standard library only).

DIR/fleet.zip    two servers whose entry times are a fresh copy's
                 (2026-12-02 10:00): FS01's errlog runs from 28 December
                 into January, its LastBackupFailedFiles name says
                 12_30_2023; FS02's errlog and its .Crash copy (named
                 2022-03-05) run in March.
DIR/extreme.tar  entries with absurd times: year 10000, negative,
                 INT64_MAX (pax headers), next to a sane one.
DIR/extreme.zip  the same through zip extra fields: a negative Unix time
                 (0x5455) and NTFS times of year 10000 and 2^64-1.
"""

import io
import os
import struct
import sys
import tarfile
import zipfile

COPY = (2026, 12, 2, 10, 0, 0)
TASK = "F3E32129-DC79-4A28-9ACC-3F30CB5810B6"


def errlog(days, first_hour=1):
    """UTF-16LE errlog text, one record per hour on each (month, day)."""
    lines = []
    for n, (m, d) in enumerate(days):
        for h in range(first_hour, first_hour + 3):
            lines.append("1D2C\t0A18\t%02d/%02d\t%02d:00:00.000\t01\t"
                         "cbengine.cpp(214)\t[0000000032585450]\t%s\tNORMAL\t"
                         "Checking for pending jobs: %d queued"
                         % (m, d, h, TASK, n))
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-16-le")


def failed_list():
    text = ("Consider adding these to exclusion list of backup policy.\r\n"
            + "-" * 103 + "\r\n"
            "D:\\Data\\locked.pst\t0x80070005\tAccess is denied.\r\n")
    return ("\ufeff" + text).encode("utf-16-le")


def add(z, name, data, when=COPY, extra=b""):
    info = zipfile.ZipInfo(name, date_time=when)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.extra = extra
    z.writestr(info, data)


def fleet(path):
    with zipfile.ZipFile(path, "w") as z:
        add(z, "FS01/Temp/CBEngineCurr.errlog",
            errlog([(12, 28), (12, 30), (12, 31), (1, 2), (1, 3)]))
        add(z, "FS01/Temp/LastBackupFailedFiles1a2b_12_30_2023.txt",
            failed_list())
        add(z, "FS02/Temp/CBEngineCurr.errlog",
            errlog([(3, 1), (3, 3), (3, 5)]))
        add(z, "FS02/Temp/CBEngineCurr.errlog.2022-03-05_10-00-00.Crash",
            errlog([(3, 5)], first_hour=7))


def extreme_tar(path):
    sane = errlog([(6, 1), (6, 2)])
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as t:
        for name, mtime in (("bad/year10000.errlog", 253402300800),
                            ("bad/negative.errlog", -1),
                            ("bad/int64max.errlog", 2 ** 63 - 1),
                            ("bad/sane.errlog", 1717300000)):
            info = tarfile.TarInfo(name)
            info.size = len(sane)
            info.mtime = mtime
            t.addfile(info, io.BytesIO(sane))


def extreme_zip(path):
    sane = errlog([(6, 1), (6, 2)])
    unix_neg = struct.pack("<HHBi", 0x5455, 5, 1, -1)

    def ntfs(filetime):
        body = struct.pack("<IHHQQQ", 0, 1, 24, filetime, filetime, filetime)
        return struct.pack("<HH", 0x000A, len(body)) + body

    year10000 = (253402300800 + 11644473600) * 10 ** 7
    with zipfile.ZipFile(path, "w") as z:
        add(z, "bad/negative.errlog", sane, (2024, 6, 2, 12, 0, 0), unix_neg)
        add(z, "bad/year10000.errlog", sane, (2024, 6, 2, 12, 0, 0),
            ntfs(year10000))
        add(z, "bad/filetime-max.errlog", sane, (2024, 6, 2, 12, 0, 0),
            ntfs(2 ** 64 - 1))


def main():
    out = sys.argv[1]
    fleet(os.path.join(out, "fleet.zip"))
    extreme_tar(os.path.join(out, "extreme.tar"))
    extreme_zip(os.path.join(out, "extreme.zip"))


if __name__ == "__main__":
    main()
