#!/usr/bin/env python3
"""Write a rule folder with one rule per entry of the research knowledge
base, to time calque with ~1,800 rules (the built-in packs plus these)
instead of ~700. For bench/run.sh only: the rules are not curated, a few of
their examples fail `calque test-rules`, and they are never shipped.

Usage: synth-rules.py DEFECTS_YAML OUT_DIR

Entries with `pattern_type: literal` become `substitution` rules (or
case-sensitive `phrase` rules when they have no suggestion); `regex` entries
become `pattern` rules. Ids are prefixed with `synth/` so they never clash
with the built-in rules generated from the same file.
"""
import os
import sys

import yaml


def rule(entry, rid):
    suggestion = (entry.get("suggestion") or "").split(" / ")[0].strip()
    r = {
        "id": rid,
        "message": f'"{{match}}" may render French "{entry.get("french_origin", "")}"',
        "category": "style/synthetic",
        "severity": "info",
        "explain": "Synthetic rule for bench/run.sh (timing only).",
        "examples": {
            "bad": [entry.get("example_bad") or "x"],
            "good": [entry.get("example_good") or "x"],
        },
    }
    if entry.get("pattern_type") == "literal":
        if suggestion:
            r["kind"] = "substitution"
            r["map"] = {entry["pattern"]: suggestion}
        else:
            r["kind"] = "phrase"
            r["match"] = [entry["pattern"]]
            r["case"] = "sensitive"
    else:
        r["kind"] = "pattern"
        r["regex"] = entry["pattern"]
    return r


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, out = sys.argv[1:]
    with open(src, encoding="utf-8") as f:
        entries = yaml.safe_load(f)
    rules, seen = [], set()
    for e in entries:
        rid = "synth/" + e["id"].split("/", 1)[-1]
        while rid in seen:
            rid += "-x"
        seen.add(rid)
        rules.append(rule(e, rid))
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "synth.yaml")
    with open(path, "w", encoding="utf-8") as f:
        yaml.safe_dump(
            {"pack": "synth", "rules": rules}, f, allow_unicode=True, sort_keys=False
        )
    print(f"synth-rules: {len(rules)} rules in {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
