#!/usr/bin/env python3
"""Sanity checks for a team-written evaluation set: CORPUS_DIR/gold.jsonl against
CORPUS_DIR/docs/ (standard library; jsonschema optional).

usage: python3 corpus/check_gold.py CORPUS_DIR [SPEC_DIR]
       e.g. python3 corpus/check_gold.py corpus/heldout2

Checks: one JSON object per line, one line per file in docs/ (or
one per item, `NAME#K`, for a feed holding several items), every evidence
sentence present verbatim in its raw document, every actor canonical (from
SPEC_DIR/actors.tsv when that file exists, default ../shared/spec relative to
the repo root), date_start <= date_end <= publication day, and
fatalities_by_side adding up to no more than fatalities; and, when the
`jsonschema` package is importable, every line against
SPEC_DIR/events.schema.json.
"""
import datetime
import json
import os
import sys

if len(sys.argv) < 2:
    sys.exit(__doc__)
HERE = os.path.abspath(sys.argv[1])
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
spec = sys.argv[2] if len(sys.argv) > 2 else os.path.join(REPO, "..", "shared", "spec")
actors_path = os.path.join(spec, "actors.tsv")
actors = None
if os.path.exists(actors_path):
    with open(actors_path, encoding="utf-8") as f:
        actors = {l.split("\t")[0] for l in f.read().splitlines()[1:] if l.strip()}
else:
    print(f"note: {actors_path} not found, actor names not checked")

schema_path = os.path.join(spec, "events.schema.json")
validator = None
try:
    import jsonschema
    with open(schema_path, encoding="utf-8") as f:
        validator = jsonschema.Draft202012Validator(json.load(f))
except ImportError:
    print("note: jsonschema not installed, schema not checked")
except FileNotFoundError:
    print(f"note: {schema_path} not found, schema not checked")

docs = {n.split(".")[0]: n for n in os.listdir(os.path.join(HERE, "docs"))}
# A feed holding several items is several documents, `NAME#1`, `NAME#2` … in item order,
# as `rasd code` names them; each of them is checked against the whole file.
errors = 0
seen = set()
with open(os.path.join(HERE, "gold.jsonl"), encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        rec = json.loads(line)
        did = rec["doc_id"]
        if validator is not None:
            for err in validator.iter_errors(rec):
                print(f"line {n} ({did}): schema: {err.message[:120]} at {list(err.absolute_path)}")
                errors += 1
        seen.add(did.split("#")[0])
        if did.split("#")[0] in docs and "#" in did:
            did = did.split("#")[0]
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
            side = [v for v in e.get("fatalities_by_side", {}).values() if isinstance(v, int)]
            if isinstance(e["fatalities"], int) and sum(side) > e["fatalities"]:
                print(f"{did} ev{i}: fatalities_by_side exceeds fatalities")
                errors += 1
missing = set(docs) - seen
for m in sorted(missing):
    print(f"{m}: document without a gold line")
    errors += 1
print(f"{len(seen)} documents checked, {errors} problem(s)")
sys.exit(1 if errors else 0)
