#!/usr/bin/python3
# json_doc_check.py DOC JSON... -- every key in the JSON documents is
# documented in DOC (reports/summary-json.md) under the object it belongs
# to, and every documented key occurs in at least one of the documents.
# Exit 0, or 1 with one line per difference.
import json
import re
import sys


def doc_sections(path):
    sections, name = {}, None
    for line in open(path, encoding="utf-8"):
        m = re.match(r"#{2,3} (\S+)", line)
        if m:
            name = m.group(1).strip("`")
            sections.setdefault(name, set())
            continue
        m = re.match(r"\| `([a-z_0-9]+)` \|", line)
        if m and name is not None:
            sections[name].add(m.group(1))
    return {k: v for k, v in sections.items() if v}


def walk(doc):
    """(section, key) pairs of one summary document."""
    out = set()
    for k, v in doc.items():
        out.add(("Document", k))
        if isinstance(v, dict):
            sub = {"changes": "changes", "fleet": "fleet",
                   "totals": "totals", "history": "history"}.get(k)
            for kk, vv in v.items():
                out.add((sub, kk))
                if k == "history" and isinstance(vv, list):
                    for it in vv:
                        for key in it:
                            out.add(("history." + kk + "[]", key))
                if k == "changes" and kk == "items":
                    for it in vv:
                        for key in it:
                            out.add(("changes.items[]", key))
        elif isinstance(v, list):
            for row in v:
                if not isinstance(row, dict):
                    continue
                for kk, vv in row.items():
                    out.add((k + "[]", kk))
                    if kk == "sample" and isinstance(vv, dict):
                        for key in vv:
                            out.add(("sample", key))
    return out


def main():
    sections = doc_sections(sys.argv[1])
    seen = set()
    for p in sys.argv[2:]:
        seen |= walk(json.load(open(p, encoding="utf-8")))
    bad = []
    for sec, key in sorted(seen, key=str):
        if key not in sections.get(sec, set()):
            bad.append("undocumented: %s %s" % (sec, key))
    for sec, keys in sorted(sections.items()):
        for key in sorted(keys):
            if (sec, key) not in seen:
                bad.append("documented but never written: %s %s" %
                           (sec, key))
    for b in bad:
        print(b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
