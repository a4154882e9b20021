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

    # Findings: a catalog entry's count is every occurrence of its codes
    # in traces and failed-files lists (a line with two codes counts for
    # the one the classifier picks); entries with a text rule match more
    # lines than their codes, so their count is at least that.  Unknown
    # HRESULTs are findings of their own, counted exactly.
    catalog = {}
    cols = None
    for line in open("patterns/catalog.tsv", encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if line.startswith("#") or len(f) < 2:
            continue
        if cols is None:            # the header row names the columns
            cols = {name: i for i, name in enumerate(f)}
            continue
        catalog[f[0]] = {"codes": f[cols["codes"]].split(),
                         "regex": f[cols["regex"]]}
    picked_away = {}
    for r in exp["multi_code_records"]:
        for c in r["codes"]:
            if c != r["classify_picks"]:
                picked_away[c] = picked_away.get(c, 0) + 1

    def occurrences(code):
        c = exp["codes"].get(code)
        if c is None:
            return 0
        return c["errlog_records"] + c["failed_file_items"] - picked_away.get(code, 0)

    seen = set()
    for f in summary["findings"]:
        if f["machine"] != machine:
            continue
        if f["id"].startswith("hresult-"):
            check(f"finding {f['id']}", f["count"], occurrences(f["code"]))
            check(f"finding {f['id']} code", "hresult-" + f["code"], f["id"])
            seen.add(f["code"])
            continue
        entry = catalog.get(f["id"])
        if entry is None:
            errors.append(f"finding {f['id']} is not a catalog entry")
            continue
        want = sum(occurrences(c) for c in entry["codes"])
        seen.update(entry["codes"])
        if entry["regex"]:
            if f["count"] < max(want, 1):
                errors.append(f"finding {f['id']}: count {f['count']} < {max(want, 1)}")
        else:
            check(f"finding {f['id']} count", f["count"], want)
        check(f"finding {f['id']} code", f["code"], entry["codes"][0] if entry["codes"] else None)
    for code in exp["codes"]:
        if occurrences(code) > 0 and code not in seen:
            errors.append(f"no finding for code {code}")

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
