"""Retrieval quality on the project's QA sets: PolicyQA's choices against alternatives and a baseline.

Usage: python bench/quality.py [--sets bench/questions/devset.jsonl bench/questions/heldout.jsonl ...]   (default: every set in bench/questions/)

Each row is one configuration, scored with the project's metric (qa.evaluate, identical to
shared/eval/score.py). The baseline is the "straightforward build" the issue describes:
750-character chunks with 150 overlap, jieba BM25 and the default embeddings fused 50/50
(RRF k=60), whole chunks as excerpts, never abstaining.
Writes bench/results/quality.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.bm25 import build_bm25  # noqa: E402
from index.dense import UseEncoder  # noqa: E402
from index.tokenize import make_tokenizer  # noqa: E402
from qa.engine import Engine  # noqa: E402
from qa.evaluate import read_jsonl, run, score  # noqa: E402

_SETS = ("devset", "heldout", "unseen", "blind", "final", *(f"fresh_{c}" for c in "abcdefghijklm"))
from qa.ingest.corpus import load_corpus  # noqa: E402
from qa.settings import Settings  # noqa: E402


def summary(o: dict) -> dict:
    a = o.get("answerable", {})
    kinds = {
        k: v.get("hit@5") for k, v in o.items() if isinstance(v, dict) and "hit@5" in v and k != "answerable"
    }
    found = [v.get("found", 1.0) for k, v in o.items() if isinstance(v, dict) and "found" in v]
    return {
        "hit@1": a.get("hit@1"),
        "hit@5": a.get("hit@5"),
        "mrr@10": a.get("mrr@10"),
        "abstain_none": o.get("none", {}).get("abstain"),
        "abstain_answerable": round(1 - float(np.mean(found)), 3) if found else None,
        "excerpt": o.get("excerpt_chars_mean"),
        "hit@5_by_kind": kinds,
    }


class Baseline:
    """750/150 character chunks, jieba BM25 + USE, RRF 50/50 (k=60), no abstention."""

    def __init__(self, encoder):
        corpus = load_corpus(ROOT / "corpus")
        self.chunks = []
        for d in corpus.documents:
            t = d.text
            for s in range(0, max(1, len(t) - 150), 600):
                self.chunks.append(t[s : s + 750])
        self.tok = make_tokenizer("jieba")
        self.bm25 = build_bm25([self.tok(c) for c in self.chunks])
        self.enc = encoder
        self.vecs = encoder.encode(self.chunks)

    def ask_texts(self, q: str, k: int = 10) -> list[str]:
        b = self.bm25.scores(self.tok(q))
        d = self.vecs @ self.enc.encode([q])[0]
        fused = np.zeros(len(self.chunks))
        for s, w, positive in ((b, 0.5, True), (d, 0.5, False)):
            order = np.argsort(-s, kind="stable")
            for r, i in enumerate(order):
                if positive and s[i] <= 0:
                    continue
                fused[i] += w / (60 + r + 1)
        return [self.chunks[i] for i in np.argsort(-fused, kind="stable")[:k]]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", nargs="+", default=[str(ROOT / f"bench/questions/{n}.jsonl") for n in _SETS])
    args = ap.parse_args()
    sets = {Path(p).stem: read_jsonl(p) for p in args.sets}
    encoder = UseEncoder()
    rows = []

    base = Baseline(encoder)
    for name, gold in sets.items():
        res = {
            g["id"]: {"found": True, "citations": [{"text": t} for t in base.ask_texts(g["question"])]}
            for g in gold
        }
        rows.append(
            {
                "config": "baseline: 750/150 chunks, jieba BM25 + USE 50/50",
                "set": name,
                **summary(score(gold, res)),
            }
        )

    configs = [
        ("PolicyQA (default)", {}),
        ("  BM25 only (no dense)", {"w_dense": 0.0}),
        ("  dense weight 0.5", {"w_lexical": 0.5, "w_dense": 0.5}),
        ("  no vocabulary expansion", {"expansion_weight": 0.0}),
        ("  analyzer jieba", {"analyzer": "jieba"}),
        ("  analyzer jieba+char2", {"analyzer": "jieba+char2"}),
        ("  analyzer jieba+char12", {"analyzer": "jieba+char12"}),
        ("  analyzer char1", {"analyzer": "char1"}),
        ("  no value check (多少钱/几月 … need a stated value)", {"value_depth": 0}),
        (
            "  no abstention",
            {
                "min_coverage": 0.0,
                "min_coverage_unknown": 0.0,
                "min_coverage_unknown_placed": 0.0,
                "value_depth": 0,
            },
        ),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for label, overrides in configs:
            settings = Settings(
                corpus_dir=ROOT / "corpus", index_dir=Path(tmp) / overrides.get("analyzer", "char12")
            )
            engine = Engine.open(settings.with_(**overrides), encoder=encoder)
            for name, gold in sets.items():
                t = time.perf_counter()
                res = run(engine, gold, k=10)
                ms = (time.perf_counter() - t) / len(gold) * 1000
                rows.append(
                    {"config": label, "set": name, "ms_per_q": round(ms, 1), **summary(score(gold, res))}
                )
            print(label, "done", file=sys.stderr)

    out = ROOT / "bench/results/quality.json"
    out.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    print(
        "| configuration | set | hit@1 | hit@5 | MRR@10 | none abstain | answerable abstain | excerpt chars |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['config']} | {r['set']} | {r['hit@1']} | {r['hit@5']} | {r['mrr@10']} | {r['abstain_none']} | "
            f"{r['abstain_answerable']} | {r['excerpt']} |"
        )


if __name__ == "__main__":
    main()
