#!/usr/bin/env python3
"""Sanity checks for corpus/heldout/gold.jsonl (standard library only).

usage: python3 corpus/heldout/check_gold.py [SPEC_DIR]

Checks: one JSON object per line, one line per file in docs/, every evidence
sentence present verbatim in its raw document, every actor canonical (from
SPEC_DIR/actors.tsv when that file exists, default ../shared/spec relative to
the repo root), date_start <= date_end <= publication day, and
fatalities_by_side adding up to no more than fatalities.
"""
import datetime
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
spec = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "shared", "spec")
actors_path = os.path.join(spec, "actors.tsv")
actors = None
if os.path.exists(actors_path):
    with open(actors_path, encoding="utf-8") as f:
        actors = {l.split("\t")[0] for l in f.read().splitlines()[1:] if l.strip()}
else:
    print(f"note: {actors_path} not found, actor names not checked")

docs = {n.split(".")[0]: n for n in os.listdir(os.path.join(HERE, "docs"))}
errors = 0
seen = set()
with open(os.path.join(HERE, "gold.jsonl"), encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        rec = json.loads(line)
        did = rec["doc_id"]
        seen.add(did)
        if did not in docs:
            print(f"line {n}: no document for {did}")
            errors += 1
            continue
        with open(os.path.join(HERE, "docs", docs[did]), encoding="utf-8") as d:
            text = d.read()
        pub = datetime.datetime.fromisoformat(rec["published"]).date()
        for i, e in enumerate(rec["events"], 1):
            for s in e["evidence"]:
                if s not in text:
                    print(f"{did} ev{i}: evidence not in document: {s[:50]}")
                    errors += 1
            names = [e["actor1"], e["actor2"], *e["assoc_actor1"], *e["assoc_actor2"], *e["fatalities_by_side"]]
            for a in names:
                if a and actors is not None and a not in actors:
                    print(f"{did} ev{i}: actor not canonical: {a}")
                    errors += 1
            ds = datetime.date.fromisoformat(e["date_start"])
            de = datetime.date.fromisoformat(e["date_end"])
            if not ds <= de <= pub:
                print(f"{did} ev{i}: dates out of order or after publication")
                errors += 1
            if e["fatalities"] is not None and sum(e["fatalities_by_side"].values()) > e["fatalities"]:
                print(f"{did} ev{i}: fatalities_by_side exceeds fatalities")
                errors += 1
missing = set(docs) - seen
for m in sorted(missing):
    print(f"{m}: document without a gold line")
    errors += 1
print(f"{len(seen)} documents checked, {errors} problem(s)")
sys.exit(1 if errors else 0)
