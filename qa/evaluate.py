"""Running a QA set through the engine and scoring it with the project's retrieval metric.

The metric is the one in shared/eval/score.py (an excerpt answers a question when it holds one
of the question's evidence strings, after NFKC and whitespace folding, or a verbatim run of
60% of it), re-implemented here so the project runs without ../shared; a test checks that both
give the same numbers.
"""

from __future__ import annotations

import json
import re
import statistics
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path


def norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    s = s.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
    s = s.replace("。", ".").replace("、", ",").replace("；", ";").replace("：", ":")
    return re.sub(r"\s+", "", s)


def longest_common_substring(a: str, b: str) -> int:
    """Length of the longest substring of b (short) that occurs in a."""
    best = 0
    for i in range(len(b)):
        for j in range(i + best + 1, len(b) + 1):
            if b[i:j] in a:
                best = j - i
            else:
                break
    return best


def answers(text: str, evidence: str) -> bool:
    return evidence in text or longest_common_substring(text, evidence) >= max(10, int(0.6 * len(evidence)))


def read_jsonl(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def score(gold: Iterable[dict], results: dict[str, dict], k: int = 5) -> dict:
    """hit@1, hit@k, MRR@10, reach@k and refused per kind and overall, abstention on `none`, excerpt length.

    reach@k counts evidence the user still sees: in the citations, or in the first k `related`
    passages of a hedged answer (found=false); refused is the share of answerable questions
    answered found=false.
    """
    per_kind: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    lens: list[int] = []
    for g in gold:
        r = results.get(g["id"], {"found": False, "citations": []})
        cits = r.get("citations") or []
        texts = [norm(c.get("text", "")) for c in cits[:10]]
        lens += [len(c.get("text", "")) for c in cits[:k]]
        kind = g["kind"]
        if kind == "none":
            per_kind[kind]["abstain"].append(1.0 if r.get("found") is False else 0.0)
            continue
        ev = [norm(e) for e in g["evidence"]]
        first = next((i for i, t in enumerate(texts) if any(answers(t, e) for e in ev)), None)
        m = per_kind[kind]
        # reach: what the user still sees — the citations, or the "possibly related" passages of a
        # hedged answer (found=false)
        related = [norm(c.get("text", "")) for c in (r.get("related") or [])[:k]]
        shown = texts[:k] if r.get("found") is not False else related
        m[f"reach@{k}"].append(1.0 if any(answers(t, e) for t in shown for e in ev) else 0.0)
        if r.get("found") is False:
            first = None
        m["hit@1"].append(1.0 if first == 0 else 0.0)
        m[f"hit@{k}"].append(1.0 if first is not None and first < k else 0.0)
        m["mrr@10"].append(1.0 / (first + 1) if first is not None else 0.0)
        m["found"].append(1.0 if r.get("found", True) else 0.0)
        if kind == "multi":
            m["evidence_cov@10"].append(sum(1 for e in ev if any(answers(t, e) for t in texts)) / len(ev))
    out: dict = {}
    answerable = []
    for kind, m in sorted(per_kind.items()):
        out[kind] = {name: round(statistics.mean(v), 3) for name, v in m.items()}
        if kind != "none":
            answerable += list(
                zip(m[f"hit@{k}"], m["mrr@10"], m["hit@1"], m[f"reach@{k}"], m["found"], strict=True)
            )
    if answerable:
        out["answerable"] = {
            f"hit@{k}": round(statistics.mean(a[0] for a in answerable), 3),
            "mrr@10": round(statistics.mean(a[1] for a in answerable), 3),
            "hit@1": round(statistics.mean(a[2] for a in answerable), 3),
            f"reach@{k}": round(statistics.mean(a[3] for a in answerable), 3),
            "refused": round(1 - statistics.mean(a[4] for a in answerable), 3),
            "n": len(answerable),
        }
    out["excerpt_chars_mean"] = round(statistics.mean(lens), 1) if lens else 0
    return out


def run(engine, gold: list[dict], k: int = 10) -> dict[str, dict]:
    """Ask every question; results in score.py's results format, keyed by id."""
    out = {}
    for g in gold:
        a = engine.ask(g["question"], k=k)
        out[g["id"]] = {
            "id": g["id"],
            "found": a.found,
            "citations": [{"text": c.text} for c in a.citations],
            "related": [{"text": c.text} for c in a.related],
        }
    return out


def misses(gold: list[dict], results: dict[str, dict], k: int = 5) -> list[str]:
    """One line per question answered wrongly (for reading, not scoring)."""
    lines = []
    for g in gold:
        r = results[g["id"]]
        if g["kind"] == "none":
            if r["found"]:
                lines.append(f"{g['id']} none     ANSWERED  {g['question']}")
            continue
        texts = [norm(c["text"]) for c in r["citations"][:10]]
        ev = [norm(e) for e in g["evidence"]]
        first = next((i for i, t in enumerate(texts) if any(answers(t, e) for e in ev)), None)
        if not r["found"]:
            lines.append(f"{g['id']} {g['kind']:8s} ABSTAINED {g['question']}")
        elif first is None or first >= k:
            lines.append(f"{g['id']} {g['kind']:8s} first={first} {g['question']}")
    return lines
