"""Library scale: every unseen batch's documents loaded into one index, every unseen set's answerable
questions asked against all of them — PolicyQA and the rule-free baselines.

The unseen batches (tests/data/realdocs*/docs) hold three documents each, so the baseline's five
750-character chunks cover a quarter to three quarters of a batch's text; a bureau's library is larger.
Here the ~300 documents stand together, as they would on one clerk's disk. Unanswerable questions are
left out: a question no document of its batch answers may be answered by another batch's.

Usage:
    python bench/library.py [--out bench/results/library.json]

Prints hit@1, hit@5, MRR@10, reach@5 and refused for PolicyQA, baseline (750/150 chunks) and
baseline300 (300/60), and writes them with the counts. Takes about ten minutes on two cores.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from quality import Baseline  # noqa: E402

from index.dense import UseEncoder  # noqa: E402
from qa.engine import Engine  # noqa: E402
from qa.evaluate import answers, norm, read_jsonl  # noqa: E402
from qa.settings import Settings  # noqa: E402

SKIP = {"catalog.toml", "truth.json"}


def gather(into: Path) -> int:
    """Copy every unseen batch's documents into one folder (names prefixed by their batch); the count."""
    n = 0
    for docs in sorted((ROOT / "tests" / "data").glob("realdocs*/docs")):
        batch = docs.parent.name.removeprefix("realdocs") or "0"
        for f in sorted(docs.iterdir()):
            if f.is_file() and f.name not in SKIP:
                shutil.copyfile(f, into / f"{batch}_{f.name}")
                n += 1
    return n


def first_hit(texts: list[str], evidence: list[str]) -> int | None:
    """Rank (0-based) of the first text that holds one of the evidence strings, or None."""
    return next((i for i, t in enumerate(texts) if any(answers(norm(t), e) for e in evidence)), None)


def summary(ranks: list[int | None], refused: int = 0) -> dict:
    n = max(len(ranks), 1)
    return {
        "hit@1": sum(r == 0 for r in ranks) / n,
        "hit@5": sum(r is not None and r < 5 for r in ranks) / n,
        "mrr@10": sum(1 / (r + 1) for r in ranks if r is not None and r < 10) / n,
        "refused": refused / n,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "library.json")
    args = ap.parse_args()
    t0 = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "library"
        corpus.mkdir()
        n_docs = gather(corpus)
        encoder = UseEncoder()
        engine = Engine.open(Settings(corpus_dir=corpus, index_dir=Path(tmp) / "index"), encoder=encoder)
        baselines = {
            "baseline": Baseline(corpus, encoder, 750, 150),
            "baseline300": Baseline(corpus, encoder, 300, 60),
        }
        ranks: dict[str, list[int | None]] = {"PolicyQA": [], "baseline": [], "baseline300": []}
        reach: list[int | None] = []
        refused = 0
        for path in sorted((ROOT / "bench" / "questions").glob("realdocs*/*.jsonl")):
            for q in read_jsonl(path):
                if q["kind"] == "none":
                    continue
                evidence = [norm(e) for e in q["evidence"]]
                a = engine.ask(q["question"], k=10)
                shown = a.citations if a.found else a.related
                hit = first_hit([c.text for c in shown], evidence)
                ranks["PolicyQA"].append(hit if a.found else None)
                reach.append(hit)
                refused += not a.found
                for name, base in baselines.items():
                    ranks[name].append(first_hit(base.ask_texts(q["question"]), evidence))
    rows = {name: summary(r, refused if name == "PolicyQA" else 0) for name, r in ranks.items()}
    rows["PolicyQA"]["reach@5"] = sum(r is not None and r < 5 for r in reach) / max(len(reach), 1)
    out = {"documents": n_docs, "questions": len(reach), "seconds": round(time.time() - t0), "systems": rows}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{n_docs} documents, {len(reach)} answerable questions")
    for name, r in rows.items():
        print(name, " ".join(f"{k} {v:.3f}" for k, v in r.items()))


if __name__ == "__main__":
    main()
