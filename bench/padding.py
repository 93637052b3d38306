"""Padding: the share of cards that share only generic words with the question — none of its topic
terms (issue 12 §4) — among answers' cards, hedges' possibly-related cards, and both.

Usage:
    python bench/padding.py [--results DIR]     # judge saved `policyqa ask --json --batch` outputs

Without --results every question set is asked with the current code (each on its own corpus, as
bench/quality.py does). With --results, DIR/<set>.jsonl are the outputs of any version of the
code (e.g. an older commit), judged the same way — so before and after are measured alike. A
question's topic terms and what counts as generic come from `qa.answer.evidence` (corpus
statistics: a term held by ≥ Settings.generic_share of the passages is generic). Writes
bench/results/padding.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from quality import ALL_SETS, corpus_of  # noqa: E402

from index.tokenize import normalize  # noqa: E402
from qa.answer.evidence import full_form, question_terms, topic_of  # noqa: E402
from qa.answer.plan import plan_question  # noqa: E402
from qa.cli import _answer_json  # noqa: E402
from qa.engine import Engine  # noqa: E402
from qa.evaluate import read_jsonl  # noqa: E402
from qa.settings import Settings  # noqa: E402


def padded(engine: Engine, question: str, cards: list[dict]) -> list[bool]:
    """For each card, whether it holds none of the question's topic terms (only generic words)."""
    ix = engine.state
    plan = plan_question(question, ix.store.documents, engine.vocab, ix.cut)
    terms = question_terms(ix, plan)
    topic = [terms[i] for i in topic_of(terms, engine.settings.generic_share)]
    if not topic:
        return [False] * len(cards)
    out = []
    for c in cards:
        text = normalize(f"{c.get('title', '')} {c.get('section', '')} {c['text']}")
        # a card holds a term in any form the engine counts, the full form of an abbreviation too
        out.append(not any(t.held_by(text) or full_form(t.word, [text], ix.cut) for t in topic))
    return out


def _shares(count: dict[str, list[int]]) -> dict:
    """Cards and generic-only cards of answers, of hedges' possibly-related passages, and of both."""
    both = [count["answer"][0] + count["related"][0], count["answer"][1] + count["related"][1]]
    return {
        kind: {"cards": n, "generic_only": bad, "share": round(bad / max(n, 1), 3)}
        for kind, (n, bad) in (("all", both), ("answer", count["answer"]), ("related", count["related"]))
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", type=Path, help="folder of saved outputs, one <set>.jsonl per set")
    args = ap.parse_args()
    sets = ALL_SETS
    rows = []
    engines: dict[Path, Engine] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for path in sets:
            corpus = corpus_of(path)
            if corpus not in engines:
                engines[corpus] = Engine.open(Settings(corpus_dir=corpus, index_dir=Path(tmp) / corpus.name))
            engine = engines[corpus]
            gold = read_jsonl(path)
            if args.results:
                lines = (args.results / f"{path.stem}.jsonl").read_text(encoding="utf-8").splitlines()
                saved = {json.loads(line)["id"]: json.loads(line) for line in lines if line.strip()}
            else:
                saved = {g["id"]: _answer_json(engine.ask(g["question"])) for g in gold}
            count = {"answer": [0, 0], "related": [0, 0]}  # kind → [cards, generic only]
            for g in gold:
                r = saved[g["id"]]
                for kind, shown_cards in (
                    ("answer", r.get("citations") or []),
                    ("related", r.get("related") or []),
                ):
                    flags = padded(engine, g["question"], shown_cards[:5])
                    count[kind][0] += len(flags)
                    count[kind][1] += sum(flags)
            rows.append({"set": path.stem, **_shares(count)})
            print(rows[-1], file=sys.stderr)
    total = {
        k: [sum(r[k]["cards"] for r in rows), sum(r[k]["generic_only"] for r in rows)]
        for k in ("answer", "related")
    }
    out = {"sets": rows, **_shares(total)}
    name = "padding.json" if not args.results else f"padding-{args.results.name}.json"
    (ROOT / "bench" / "results" / name).write_text(
        json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    print(json.dumps({k: v for k, v in out.items() if k != "sets"}, ensure_ascii=False))


if __name__ == "__main__":
    main()
