"""Unit tests for index.fusion.reciprocal_rank_fusion on hand-made hit lists."""

from __future__ import annotations

import pytest

from index.fusion import reciprocal_rank_fusion
from qa.types import Hit, Passage


def passage(pid: str, doc_id: str = "d", start: int = 0) -> Passage:
    return Passage(pid, doc_id, start, start + 1, pid)


def ranked(signal: str, *passages: Passage) -> list[Hit]:
    """A ranked list as a retriever returns it: scores falling, ranks from 1."""
    return [Hit(p, 10.0 - r, {signal: (10.0 - r, r)}) for r, p in enumerate(passages, start=1)]


A, B, C, D = (passage(x, start=i) for i, x in enumerate("abcd"))


def test_single_list_keeps_order_with_rrf_scores() -> None:
    fused = reciprocal_rank_fusion([ranked("bm25", A, B, C)], k=60)
    assert [h.passage.pid for h in fused] == ["a", "b", "c"]
    assert [h.score for h in fused] == pytest.approx([1 / 61, 1 / 62, 1 / 63])


def test_passages_in_both_lists_sum_and_merge_signals() -> None:
    lex = ranked("bm25", A, B, C)
    dense = ranked("dense", C, D, A)
    fused = reciprocal_rank_fusion([lex, dense], k=1)
    by_pid = {h.passage.pid: h for h in fused}
    assert by_pid["a"].score == pytest.approx(1 / 2 + 1 / 4)
    assert by_pid["c"].score == pytest.approx(1 / 4 + 1 / 2)
    assert by_pid["b"].score == pytest.approx(1 / 3)
    assert by_pid["a"].signals == {"bm25": (9.0, 1), "dense": (7.0, 3)}
    assert by_pid["c"].signals == {"bm25": (7.0, 3), "dense": (9.0, 1)}
    assert by_pid["d"].signals == {"dense": (8.0, 2)}
    assert len(fused) == 4


def test_weights_scale_each_list() -> None:
    lex = ranked("bm25", A, B)
    dense = ranked("dense", B, A)
    assert reciprocal_rank_fusion([lex, dense], k=10, weights=[0.8, 0.2])[0].passage.pid == "a"
    assert reciprocal_rank_fusion([lex, dense], k=10, weights=[0.2, 0.8])[0].passage.pid == "b"
    fused = reciprocal_rank_fusion([lex, dense], k=10, weights=[0.8, 0.2])
    assert fused[0].score == pytest.approx(0.8 / 11 + 0.2 / 12)


def test_small_k_trusts_top_ranks_more() -> None:
    # P is first in one list and tenth in the other; Q is third in both.
    p, q = passage("p", start=100), passage("q", start=101)
    fillers = [passage(f"f{i}", start=i) for i in range(9)]
    lex = ranked("bm25", p, fillers[0], q)
    dense = ranked("dense", fillers[1], fillers[2], q, *fillers[3:], p)
    assert [h.passage.pid for h in dense].index("p") == 9
    assert reciprocal_rank_fusion([lex, dense], k=1000)[0].passage.pid == "q"
    assert reciprocal_rank_fusion([lex, dense], k=0.5)[0].passage.pid == "p"


def test_ties_are_ordered_by_document_then_offset() -> None:
    p1, p2, p3 = passage("x", "doc2", 5), passage("y", "doc1", 9), passage("z", "doc1", 3)
    for lists in (
        [ranked("a", p1), ranked("b", p2), ranked("c", p3)],
        [ranked("c", p3), ranked("a", p1), ranked("b", p2)],
    ):
        fused = reciprocal_rank_fusion(lists)
        assert [h.passage.pid for h in fused] == ["z", "y", "x"]


def test_returns_new_hits_and_leaves_inputs_untouched() -> None:
    lex = ranked("bm25", A, B)
    dense = ranked("dense", A)
    before = [dict(h.signals) for h in lex + dense]
    fused = reciprocal_rank_fusion([lex, dense])
    inputs = {id(h) for h in lex + dense}
    assert not any(id(h) in inputs for h in fused)
    assert not any(h.signals is g.signals for h in fused for g in lex + dense)
    fused[0].signals["mutated"] = (0.0, 0)
    assert [h.signals for h in lex + dense] == before


def test_mismatched_weights_raise() -> None:
    with pytest.raises(ValueError, match="weight"):
        reciprocal_rank_fusion([ranked("a", A), ranked("b", B)], weights=[1.0])


def test_empty_inputs() -> None:
    assert reciprocal_rank_fusion([]) == []
    assert reciprocal_rank_fusion([[], []]) == []
