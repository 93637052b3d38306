#!/usr/bin/env python3
"""Validate bench/questions/devset.jsonl against the corpus.

Usage: check_devset.py [DEVSET] [--corpus DIR] [--score PATH]

Checks
  - every line is JSON with id/kind/question/docs/evidence; ids unique; kinds valid
  - counts per kind (and minimum total)
  - doc ids exist in the corpus
  - every evidence string occurs, after score.py's norm(), in the normalised text
    of one of the listed docs (the metric's own matching rule)
  - stricter: the evidence also occurs verbatim (raw characters) inside a single
    line of a listed doc, i.e. it does not span two items / table cells
  - evidence length 8-40 characters (after norm)
  - none: docs == [] and evidence == []
  - multi: >= 2 docs, every listed doc has at least one evidence string
  - warnings (not failures): evidence also found in an unlisted doc;
    duplicated questions
Prints failures and exits 1 if there are any.
"""

import argparse
import collections
import glob
import importlib.util
import json
import os
import sys
from pathlib import Path

HERE = os.path.dirname(os.path.abspath(__file__))
KINDS = ["topic", "paraphrase", "wording", "fact", "multi", "none"]
TARGET = {"topic": 20, "paraphrase": 20, "wording": 12, "fact": 18, "multi": 10, "none": 15}


def load_norm(score_path):
    spec = importlib.util.spec_from_file_location("score", score_path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.norm


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("devset", nargs="?", default=os.path.join(HERE, "questions", "devset.jsonl"))
    ap.add_argument("--corpus", default=os.path.join(HERE, "..", "corpus"))
    ap.add_argument("--score", default="/work/shared/eval/score.py")
    ap.add_argument("--min-total", type=int, default=95)
    args = ap.parse_args()

    norm = load_norm(args.score)
    raw = {}
    for p in sorted(glob.glob(os.path.join(args.corpus, "*.txt"))):
        raw[os.path.splitext(os.path.basename(p))[0]] = Path(p).read_text(encoding="utf-8")
    normed = {d: norm(t) for d, t in raw.items()}
    lines = {d: [line for line in t.splitlines() if line.strip()] for d, t in raw.items()}

    fails, warns = [], []
    items, ids = [], set()
    with open(args.devset, encoding="utf-8") as f:
        for ln, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                it = json.loads(line)
            except json.JSONDecodeError as e:
                fails.append(f"line {ln}: bad JSON: {e}")
                continue
            items.append((ln, it))

    counts = collections.Counter()
    seen_q = {}
    for ln, it in items:
        qid = it.get("id")
        tag = f"{qid} (line {ln})"
        for key in ("id", "kind", "question", "docs", "evidence"):
            if key not in it:
                fails.append(f"{tag}: missing field {key}")
        if qid in ids:
            fails.append(f"{tag}: duplicate id")
        ids.add(qid)
        kind = it.get("kind")
        if kind not in KINDS:
            fails.append(f"{tag}: invalid kind {kind!r}")
            continue
        counts[kind] += 1
        question = (it.get("question") or "").strip()
        if not question:
            fails.append(f"{tag}: empty question")
        if question in seen_q:
            warns.append(f"{tag}: same question as {seen_q[question]}")
        seen_q[question] = qid
        docs, evs = it.get("docs") or [], it.get("evidence") or []
        if not isinstance(docs, list) or not isinstance(evs, list):
            fails.append(f"{tag}: docs/evidence must be lists")
            continue
        for d in docs:
            if d not in raw:
                fails.append(f"{tag}: unknown doc {d}")
        if len(set(docs)) != len(docs):
            fails.append(f"{tag}: duplicate doc ids")
        if kind == "none":
            if docs or evs:
                fails.append(f"{tag}: kind none must have empty docs and evidence")
            continue
        if not docs or not evs:
            fails.append(f"{tag}: answerable question needs docs and evidence")
            continue
        if kind == "multi" and len(docs) < 2:
            fails.append(f"{tag}: multi needs >= 2 docs")
        covered = set()
        for e in evs:
            ne = norm(e)
            if not (8 <= len(ne) <= 40):
                fails.append(f"{tag}: evidence length {len(ne)} outside 8-40: {e}")
            in_norm = [d for d in docs if d in normed and ne in normed[d]]
            if not in_norm:
                fails.append(f"{tag}: evidence not found (normalised) in listed docs: {e}")
                continue
            covered.update(in_norm)
            in_line = [d for d in in_norm if any(e in line for line in lines[d])]
            if not in_line:
                fails.append(f"{tag}: evidence not verbatim within a single line of listed docs: {e}")
            others = [d for d in normed if d not in docs and ne in normed[d]]
            if others:
                warns.append(f"{tag}: evidence also in unlisted doc(s) {others}: {e}")
        missing = [d for d in docs if d not in covered]
        if missing:
            fails.append(f"{tag}: listed doc(s) without any evidence: {missing}")

    total = sum(counts.values())
    print("counts per kind:")
    for k in KINDS:
        print(f"  {k:<11}{counts[k]:>4}   (target ~{TARGET[k]})")
    print(f"  {'total':<11}{total:>4}")
    if total < args.min_total:
        fails.append(f"total {total} < {args.min_total}")
    for w in warns:
        print("WARN", w)
    for m in fails:
        print("FAIL", m)
    print("OK: all checks passed" if not fails else f"{len(fails)} failure(s)")
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
