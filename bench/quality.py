"""Retrieval quality on the project's QA sets: PolicyQA's choices against alternatives and a baseline.

Usage:
    python bench/quality.py                      # every set, every configuration
    python bench/quality.py --configs default baseline --sets bench/questions/realdocs/real_r2.jsonl

Sets under bench/questions/ are about the bundled corpus (corpus/); sets under
bench/questions/realdocs/ about the real documents of other bureaus (tests/data/realdocs/docs).
Each row is one configuration on one set, scored with the project's metric (qa.evaluate, identical
to shared/eval/score.py): hit@1, hit@5, MRR@10, reach@5 (evidence in the citations, or in the
"possibly related" passages of a hedged answer), refused (answerable questions answered
found=false), none abstained, mean excerpt length. The baseline is a rule-free hybrid search:
750-character chunks with 150 overlap, jieba BM25 and the default embeddings fused 50/50 (RRF k=60),
whole chunks as excerpts, never abstaining; `baseline300` is the same with 300-character chunks (60
overlap), as long as PolicyQA's excerpts at most. Writes bench/results/quality.json.
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
from qa.ingest.corpus import load_corpus  # noqa: E402
from qa.settings import Settings  # noqa: E402

QUESTIONS = ROOT / "bench" / "questions"
# bench/questions/realdocsN/*.jsonl ask about tests/data/realdocsN/docs; the rest about corpus/
REAL_FOLDERS = sorted(p.name for p in QUESTIONS.glob("realdocs*") if p.is_dir())
CORPORA = {
    QUESTIONS: ROOT / "corpus",
    **{QUESTIONS / name: ROOT / "tests" / "data" / name / "docs" for name in REAL_FOLDERS},
}
ALL_SETS = sorted(QUESTIONS.glob("*.jsonl")) + [
    path for name in REAL_FOLDERS for path in sorted((QUESTIONS / name).glob("*.jsonl"))
]

CONFIGS = {
    "default": ("PolicyQA (default)", {}),
    "bm25": ("  BM25 only (no dense)", {"w_dense": 0.0}),
    "dense05": ("  dense weight 0.5", {"w_lexical": 0.5, "w_dense": 0.5}),
    "novocab": ("  no vocabulary expansion", {"expansion_weight": 0.0}),
    "jieba": ("  analyzer jieba", {"analyzer": "jieba"}),
    "jieba+char2": ("  analyzer jieba+char2", {"analyzer": "jieba+char2"}),
    "char1": ("  analyzer char1", {"analyzer": "char1"}),
    "novalue": ("  no value check (多少钱/几月 … need a stated value)", {"value_depth": 0}),
    "noshort": ("  no short-question hedge (an absent topic word)", {"short_topics": 0}),
    "never": (
        "  hedge only when no retrieved passage holds a topic term",
        {"value_depth": 0, "short_topics": 0, "topic_depth": 10**6, "evidence_depth": 10**6},
    ),
}


# The rule-free baseline (the issue's: 750-character chunks), and the same with chunks no longer than
# PolicyQA's excerpts (300), to tell ranking from excerpt length.
BASELINES = {"baseline": (750, 150), "baseline300": (300, 60)}


def summary(o: dict) -> dict:
    a = o.get("answerable", {})
    kinds = {
        k: v.get("hit@5") for k, v in o.items() if isinstance(v, dict) and "hit@5" in v and k != "answerable"
    }
    return {
        "hit@1": a.get("hit@1"),
        "hit@5": a.get("hit@5"),
        "mrr@10": a.get("mrr@10"),
        "reach@5": a.get("reach@5"),
        "refused": a.get("refused"),
        "abstain_none": o.get("none", {}).get("abstain"),
        "excerpt": o.get("excerpt_chars_mean"),
        "hit@5_by_kind": kinds,
    }


class Baseline:
    """`size`/`overlap` character chunks (750/150), jieba BM25 + USE, RRF 50/50 (k=60), no abstention."""

    def __init__(self, corpus_dir: Path, encoder, size: int = 750, overlap: int = 150):
        self.chunks = []
        for d in load_corpus(corpus_dir).documents:
            t = d.text
            for s in range(0, max(1, len(t) - overlap), size - overlap):
                self.chunks.append(t[s : s + size])
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


def corpus_of(set_path: Path) -> Path:
    return CORPORA[set_path.resolve().parent]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--sets",
        nargs="+",
        type=Path,
        default=ALL_SETS,
    )
    ap.add_argument("--configs", nargs="+", default=["baseline", *CONFIGS], choices=[*BASELINES, *CONFIGS])
    ap.add_argument("--out", type=Path, default=ROOT / "bench/results/quality.json", help="where the rows go")
    args = ap.parse_args()
    by_corpus: dict[Path, dict[str, list[dict]]] = {}
    for p in args.sets:
        by_corpus.setdefault(corpus_of(p), {})[p.stem] = read_jsonl(p)
    encoder = UseEncoder()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for corpus_dir, sets in by_corpus.items():
            for key in (c for c in args.configs if c in BASELINES):
                size, overlap = BASELINES[key]
                base = Baseline(corpus_dir, encoder, size, overlap)
                for name, gold in sets.items():
                    res = {
                        g["id"]: {
                            "found": True,
                            "citations": [{"text": t} for t in base.ask_texts(g["question"])],
                        }
                        for g in gold
                    }
                    rows.append(
                        {
                            "config": f"{key}: {size}/{overlap} chunks, jieba BM25 + USE 50/50",
                            "set": name,
                            **summary(score(gold, res)),
                        }
                    )
            for key in (c for c in args.configs if c not in BASELINES):
                label, overrides = CONFIGS[key]
                index_dir = Path(tmp) / corpus_dir.name / overrides.get("analyzer", "char12")
                engine = Engine.open(
                    Settings(corpus_dir=corpus_dir, index_dir=index_dir).with_(**overrides), encoder=encoder
                )
                for name, gold in sets.items():
                    t = time.perf_counter()
                    res = run(engine, gold, k=10)
                    ms = (time.perf_counter() - t) / len(gold) * 1000
                    rows.append(
                        {"config": label, "set": name, "ms_per_q": round(ms, 1), **summary(score(gold, res))}
                    )
                print(label, corpus_dir.name, "done", file=sys.stderr)

    out = args.out
    out.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    print(
        "| configuration | set | hit@1 | hit@5 | MRR@10 | reach@5 | refused | none abstain | excerpt chars |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['config']} | {r['set']} | {r['hit@1']} | {r['hit@5']} | {r['mrr@10']} | {r['reach@5']} | "
            f"{r['refused']} | {r['abstain_none']} | {r['excerpt']} |"
        )


if __name__ == "__main__":
    main()
