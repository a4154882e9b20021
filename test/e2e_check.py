#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""e2e_check.py SUMMARY.json MACHINE -- assert marslog's summary of a sample
bundle against samples/expected.json, which the sample generator computed
from the files it wrote.  Exact comparisons only; prints every mismatch and
exits 1 if there was any.  Standard library only.
"""
import json
import sys

errors = []


def check(what, got, want):
    if got != want:
        errors.append(f"{what}: got {got!r}, want {want!r}")


def main():
    summary = json.load(open(sys.argv[1], encoding="utf-8"))
    machine = sys.argv[2]
    exp = json.load(open("samples/expected.json", encoding="utf-8"))[machine]
    check("schema", summary["schema"], "marslog-summary/1")
    prefix = {"fs01": "samples/fs01.zip!", "fs02": "samples/fs02/"}[machine]

    # Inputs: one row per file, kind, encoding, bytes and records.
    inputs = {i["path"]: i for i in summary["inputs"] if i["machine"] == machine}
    check("number of inputs", len(inputs), exp["totals"]["files"])
    for f in exp["files"]:
        path = prefix + f["path"]
        got = inputs.get(path)
        if got is None:
            errors.append(f"input {path} missing")
            continue
        check(f"{path} kind", got["kind"], f["kind"])
        if f["kind"] == "other":
            check(f"{path} status", got["status"], "skipped")
            continue
        check(f"{path} encoding", got["encoding"], f["encoding"])
        check(f"{path} bytes", got["bytes"], f["bytes"])
        want = f["records"] if f["kind"] == "errlog" else f["failed_items"]
        check(f"{path} records", got["records"], want)
        check(f"{path} unparsed", got["unparsed_lines"], 0)
        check(f"{path} status", got["status"], "ok")

    # Jobs: every field of every job.
    jobs = {j["task_id"]: j for j in summary["jobs"] if j["machine"] == machine}
    check("number of jobs", len(jobs), len(exp["jobs"]))
    for j in exp["jobs"]:
        got = jobs.get(j["task_id"])
        if got is None:
            errors.append(f"job {j['task_id']} missing")
            continue
        for k in ("kind", "start", "end", "outcome", "hresult", "failed_files"):
            check(f"job {j['task_id'][:8]} {k}", got[k], j[k])
    m = [x for x in summary["machines"] if x["name"] == machine]
    check("machine present", len(m), 1)
    if m:
        check("jobs_failed", m[0]["jobs_failed"],
              sum(1 for j in exp["jobs"] if j["outcome"] == "failed"))
        check("agent_version", m[0]["agent_version"], exp["agent_version"])

    # Findings by code: every occurrence in traces and failed-files lists.
    # A line with two codes counts for the one the classifier picks.
    picked_away = {}
    for r in exp["multi_code_records"]:
        for c in r["codes"]:
            if c != r["classify_picks"]:
                picked_away[c] = picked_away.get(c, 0) + 1
    findings = {}
    for f in summary["findings"]:
        if f["machine"] == machine and f["code"] is not None:
            findings[f["code"]] = findings.get(f["code"], 0) + f["count"]
    for code, c in exp["codes"].items():
        want = c["errlog_records"] + c["failed_file_items"] - picked_away.get(code, 0)
        check(f"finding count for {code}", findings.get(code, 0), want)
    for code in findings:
        if code not in exp["codes"]:
            errors.append(f"unexpected finding code {code}")

    # Failed files: path, code and count of every row.
    got = sorted((f["path"], f["code"], f["count"]) for f in summary["failed_files"]
                 if f["machine"] == machine)
    want = sorted((f["path"], f["code"], f["count"]) for f in exp["failed_files"])
    check("failed files", got, want)
    check("failed_files total", sum(f["count"] for f in summary["failed_files"]
                                    if f["machine"] == machine),
          exp["totals"]["failed_file_items"])

    # Unknown messages: the FATAL groups (stack frames and continuations
    # belong to their exception and are not templates of their own).
    tmpl = {t["text"]: t for t in summary["templates"] if t["machine"] == machine}
    for g in exp["unknown_groups"]:
        if g["level"] != "FATAL":
            continue
        got = tmpl.get(g["text"])
        if got is None:
            errors.append(f"unknown group {g['text']!r} missing")
            continue
        check(f"template {g['text'][:40]!r} count", got["count"], g["count"])
        check(f"template {g['text'][:40]!r} level", got["level"], "error")
    for t in tmpl:
        if t.lstrip().startswith("at "):
            errors.append(f"stack frame became a template: {t!r}")

    # Hostile messages survive as data: each is the sample of its finding.
    samples = {f["sample"]["message"] for f in summary["findings"]
               if f["machine"] == machine and f["sample"]}
    for h in exp.get("hostile", []):
        if h["message"] not in samples:
            errors.append(f"hostile line {h['line']} is not kept verbatim as a sample")

    for e in errors:
        print(f"e2e_check {machine}: {e}")
    print(f"e2e_check {machine}: {'FAILED' if errors else 'ok'}")
    sys.exit(1 if errors else 0)


main()
