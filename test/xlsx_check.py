#!/usr/bin/python3
# SPDX-License-Identifier: MIT
#
# xlsx_check.py MODE FILE -- open a marslog XLSX report with a real reader
# (openpyxl, Debian's python3-openpyxl: run with /usr/bin/python3) and
# check what a person opening it in Excel relies on.  Called by
# test/test_report_xlsx.c; exits 0 when every check passes, else prints
# the failures and exits 1.
#
# MODE:
#   en, zh  the hostile fixture of test/report_fixture.h in that language:
#           sheet names, headers, frozen header rows, autofilters, level
#           colours, documentation hyperlinks, the remediation column of
#           Failed files, and that every injected string (formulas, markup)
#           is a text cell with exactly the injected value
#   long    one finding whose sample line is longer than a cell can hold
import sys
import zipfile

import openpyxl

SHEETS = {
    "en": ["Summary", "Findings", "Jobs", "Failed files",
           "Unknown templates", "Inputs", "Machines", "Findings by machine"],
    "zh": ["摘要", "发现的问题", "作业", "备份失败的文件", "未知消息模板",
           "输入文件", "计算机", "各计算机的问题"],
}
HEADERS = {
    "en": {
        "Findings": ["Machine", "Level", "Code", "Title", "Count",
                     "First seen", "Last seen", "Cause", "Remediation",
                     "Documentation", "Sample line"],
        "Jobs": ["Machine", "Task ID", "Kind", "Start", "End", "Duration",
                 "Outcome", "HRESULT", "Failed files"],
        "Failed files": ["Machine", "Path", "Code", "Count", "Remediation"],
        "Unknown templates": ["Machine", "Level", "Count", "First seen",
                              "Last seen", "Message template",
                              "Sample line", "Path", "Line"],
        "Inputs": ["Machine", "Path", "Kind", "Encoding", "Bytes",
                   "Records", "Unparsed lines", "Status", "Warning",
                   "Year (source)"],
        "Machines": ["Machine", "Last successful backup", "Hours since",
                     "Stale", "Last job", "Outcome", "End", "Jobs",
                     "Failed jobs", "Errors", "Warnings", "Top finding",
                     "Remediation", "Agent version"],
    },
    "zh": {
        "发现的问题": ["计算机", "级别", "代码", "标题", "次数", "首次出现",
                  "最后出现", "原因", "建议的操作", "文档", "示例行"],
        "备份失败的文件": ["计算机", "路径", "代码", "次数", "建议的操作"],
    },
}
PAYLOADS = [
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "@SUM(1)",
    "+1",
    "-1",
    "<script>document.title='pwned'</script>",
    "<img src=x onerror=\"document.title='pwned'\">",
]
DOC = "https://learn.microsoft.com/azure/backup/"
ERR_FILL = "FFFDECEA"
WARN_FILL = "FFFFF3D6"

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def rows(ws):
    return list(ws.iter_rows(min_row=2))


def check_common(wb, path):
    """No formula and no control character in any cell of any sheet."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                check(c.data_type != "f",
                      "%s!%s is a formula" % (ws.title, c.coordinate))
                if isinstance(c.value, str):
                    bad = [ch for ch in c.value
                           if ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0
                           or ch == "\u202e"]
                    check(not bad, "%s!%s has control characters %r"
                          % (ws.title, c.coordinate, bad))
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
    check("xl/charts/chart1.xml" in names, "no chart in the workbook")
    check("xl/drawings/drawing1.xml" in names, "no drawing for the chart")


def check_fixture(wb, lang):
    names = SHEETS[lang]
    check(wb.sheetnames == names, "sheet names %r" % wb.sheetnames)
    if wb.sheetnames != names:
        return
    (summary, findings, jobs, failed, templates, inputs, machines,
     matrix) = (wb[n] for n in names)

    for title, want in HEADERS[lang].items():
        got = [c.value for c in wb[title][1]]
        check(got == want, "%s headers %r" % (title, got))
    for ws in (findings, jobs, failed, templates, inputs, machines):
        check(ws.freeze_panes == "A2",
              "%s: header row not frozen (%r)" % (ws.title, ws.freeze_panes))
        check(ws.auto_filter.ref is not None
              and ws.auto_filter.ref.startswith("A1:"),
              "%s: no autofilter" % ws.title)

    check(summary["A1"].value == ("MARS backup log analysis" if lang == "en"
                                  else "MARS 备份日志分析"),
          "summary title %r" % summary["A1"].value)
    # The fleet view: stale machines on the Summary's third line (none in
    # the fixture: both backed up within 26 hours of its newest record),
    # hours since per machine, the matrix with a column per entry.
    if lang == "en":
        check(summary["A3"].value == "No successful backup in the last 26 "
              "hours: none", "stale line %r" % summary["A3"].value)
        m = {r[0].value: r for r in rows(machines)}
        check(sorted(m) == ["FS01", "SQL02"], "machines %r" % sorted(m))
        check(m["SQL02"][2].value == 25.2 and m["SQL02"][3].value == "no",
              "SQL02 hours since %r" % m["SQL02"][2].value)
        check(m["SQL02"][5].value == "failed", "SQL02 last job outcome")
        check(matrix.freeze_panes == "B2", "matrix panes %r"
              % matrix.freeze_panes)
        head = [c.value for c in matrix[1]]
        check(len(head) == 7 and head[0] == "Machine"
              and head[1].startswith("100050 "), "matrix header %r" % head)
    kv = {r[0].value: r[1].value for r in summary.iter_rows(min_row=4)
          if r[0].value is not None}
    if lang == "en":
        check(kv.get("Machines") == 2, "Machines %r" % kv.get("Machines"))
        check(kv.get("Jobs") == 15, "Jobs %r" % kv.get("Jobs"))
        check(kv.get("Failed jobs") == 3, "Failed jobs %r"
              % kv.get("Failed jobs"))
        check(kv.get("Errors") == 62, "Errors %r" % kv.get("Errors"))

    # Findings: level colours, hyperlinks with the title as text.
    links = 0
    by_key = {}
    for r in rows(findings):
        machine, level, code, title = (c.value for c in r[:4])
        remediation, doc = r[8], r[9]
        if code is not None:
            by_key.setdefault((machine, code), remediation.value)
        fill = r[1].fill.fgColor.rgb
        if level in ("error", "错误"):
            check(fill == ERR_FILL, "error level fill %r" % fill)
        if level in ("warning", "警告"):
            check(fill == WARN_FILL, "warning level fill %r" % fill)
        if doc.hyperlink is not None:
            links += 1
            check(doc.hyperlink.target.startswith(DOC),
                  "hyperlink target %r" % doc.hyperlink.target)
            check(doc.value == title, "link text %r != title %r"
                  % (doc.value, title))
        if code == "0x8007052E":
            # the hostile finding: javascript: URL, so no link
            check(doc.hyperlink is None, "javascript: URL became a link")
            check(title == PAYLOADS[6] and doc.value == title
                  and doc.data_type == "s", "hostile title %r" % title)
            check(r[7].value == PAYLOADS[5], "hostile cause %r"
                  % r[7].value)
            check(r[7].data_type == "s", "hostile cause not text")
        check(remediation.alignment.wrap_text,
              "remediation of %s not wrapped" % code)
    check(links == 5, "%d documentation hyperlinks, want 5" % links)

    # Failed files: remediation from the finding with machine + code.
    seen = set()
    for r in rows(failed):
        machine, path, code, count, remediation = (c.value for c in r[:5])
        want = by_key.get((machine, code))
        check(remediation == want, "failed %s %s remediation %r, want %r"
              % (machine, code, remediation, want))
        check(r[1].data_type == "s", "path %r not text" % path)
        if path in PAYLOADS:
            seen.add(path)
    check(seen == set(PAYLOADS), "payload paths missing: %r"
          % sorted(set(PAYLOADS) - seen))
    fixed = [r for r in rows(failed) if r[2].value == "0x80070005"]
    check(fixed and all(r[4].value for r in fixed),
          "0x80070005 rows without remediation")
    check(any(r[2].value == "0x8007018B" and r[4].value is None
              for r in rows(failed)), "code without finding has a fix")

    # Unknown templates: the script payload is text.
    t = [r for r in rows(templates) if r[5].value == PAYLOADS[5]]
    check(len(t) == 1 and t[0][5].data_type == "s", "template payload")

    # Jobs: outcome colours, durations as times.
    for r in rows(jobs):
        if r[6].value in ("failed", "失败"):
            check(r[6].fill.fgColor.rgb == ERR_FILL, "failed job fill")
    check(rows(jobs)[0][5].is_date, "duration is not a time value")

    # Inputs: the skipped one says why.
    skipped = [r for r in rows(inputs) if r[7].value in ("skipped", "已跳过")]
    check(len(skipped) == 1 and skipped[0][8].value
          == "\"><svg onload=\"document.title='pwned'\">",
          "skipped input warning")


def check_long(wb):
    ws = wb.worksheets[1]
    r = rows(ws)[0]
    sample = r[10].value
    check(isinstance(sample, str) and len(sample) <= 32767,
          "sample of %d characters" % len(sample or ""))
    check(sample.endswith("\u2026"), "cut sample does not end with …")
    check(sample.startswith("0123456789"), "sample start %r" % sample[:20])


def main():
    mode, path = sys.argv[1], sys.argv[2]
    wb = openpyxl.load_workbook(path)
    if mode in ("en", "zh"):
        check_common(wb, path)
        check_fixture(wb, mode)
    elif mode == "long":
        check_long(wb)
    else:
        failures.append("unknown mode %r" % mode)
    for f in failures:
        print("xlsx_check: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
