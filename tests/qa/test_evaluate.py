"""The project's metric against the reference scorer ../shared/eval/score.py (oracle test).

The scorer is also kept verbatim in tests/data/reference_score.py for clones without ../shared.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from qa.evaluate import answers, longest_common_substring, norm, read_jsonl, run, score

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "eval" / "score.py"
# A verbatim copy of the shared scorer, so a clone anywhere runs the oracle test; the shared file
# wins when it is there, and test_vendored_reference_is_the_shared_one catches drift.
VENDORED = REPO / "tests" / "data" / "reference_score.py"
REFERENCE = SHARED if SHARED.exists() else VENDORED


def test_answers_matches_evidence_verbatim_or_by_long_overlap():
    assert answers(norm("继续采取“四不两直”方式"), norm("“四不两直”方式"))
    assert longest_common_substring("abcdef", "xxcdex") == 3
    assert not answers(norm("完全无关的文字"), norm("四不两直方式和交叉检查方式"))


def test_vendored_reference_is_the_shared_one():
    assert VENDORED.exists()
    if SHARED.exists():
        assert VENDORED.read_bytes() == SHARED.read_bytes(), f"update {VENDORED} from {SHARED}"


@pytest.fixture(scope="module")
def reference():
    if not REFERENCE.exists():
        pytest.fail(f"reference scorer not found at {REFERENCE}")
    spec = importlib.util.spec_from_file_location("reference_score", REFERENCE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_same_numbers_as_reference_scorer(engine, reference, tmp_path):
    gold = read_jsonl(REPO / "bench" / "questions" / "devset.jsonl")[:40]
    results = run(engine, gold, k=10)
    gold_path, res_path = tmp_path / "gold.jsonl", tmp_path / "res.jsonl"
    gold_path.write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in gold), encoding="utf-8")
    res_path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results.values()), encoding="utf-8"
    )
    assert score(gold, results) == reference.score(str(gold_path), str(res_path))
