"""Known-answer and oracle tests for index.retriever on the index built from the real corpus."""

from __future__ import annotations

import numpy as np
import pytest

from index.retriever import EXACT_BELOW, DenseRetriever, HybridRetriever, LexicalRetriever, Query
from index.store import StoredIndex
from qa.types import Document, Hit

RUNAN_ITEM_7 = ("四、进一步建立健全“四个机制”", "7.健全校园安全稳定机制")


@pytest.fixture(scope="module")
def lexical(stored_index: StoredIndex) -> LexicalRetriever:
    return LexicalRetriever(stored_index)


@pytest.fixture(scope="module")
def dense(stored_index: StoredIndex, use_encoder) -> DenseRetriever:
    return DenseRetriever(stored_index, use_encoder)


@pytest.fixture(scope="module")
def hybrid(lexical: LexicalRetriever, dense: DenseRetriever) -> HybridRetriever:
    return HybridRetriever([lexical, dense], [0.8, 0.2], k=10.0)


@pytest.fixture(scope="module")
def retrievers(lexical, dense, hybrid) -> dict[str, object]:
    return {"bm25": lexical, "dense": dense, "hybrid": hybrid}


def assert_ranked(hits: list[Hit]) -> None:
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert len({h.passage.pid for h in hits}) == len(hits)


# --------------------------------------------------------------------------- known answers


@pytest.mark.parametrize("name", ["bm25", "dense", "hybrid"])
def test_runan_drowning_finds_item_7_first(retrievers, docs: dict[str, Document], name: str) -> None:
    hits = retrievers[name].search(Query("融安县防溺水措施"), 5)
    assert len(hits) == 5
    first = hits[0].passage
    assert first.doc_id == docs["002"].doc_id
    assert first.section == RUNAN_ITEM_7
    assert "防溺水" in first.text
    assert_ranked(hits)


def test_table_row_is_found_by_its_month_and_office(lexical: LexicalRetriever) -> None:
    hits = lexical.search(Query("中考体育测试 招生办"), 3)
    assert hits[0].passage.text == "4月 · 组织中考体育测试工作(4月至5月) · 主办：招生办"
    assert hits[0].passage.kind == "table_row"


@pytest.mark.parametrize("name", ["bm25", "dense", "hybrid"])
def test_allowed_docs_restricts_results(retrievers, docs: dict[str, Document], name: str) -> None:
    allowed = frozenset({docs["004"].doc_id, docs["001"].doc_id})
    hits = retrievers[name].search(Query("学校安全 防溺水", allowed_docs=allowed), 20)
    assert len(hits) == 20
    assert {h.passage.doc_id for h in hits} <= allowed
    assert {h.passage.doc_id for h in hits} == allowed  # both documents talk about school safety
    only = frozenset({docs["003"].doc_id})
    assert {
        h.passage.doc_id for h in retrievers[name].search(Query("融安县防溺水措施", allowed_docs=only), 10)
    } == only


@pytest.mark.parametrize("name", ["bm25", "dense", "hybrid"])
def test_unknown_allowed_doc_gives_no_hits(retrievers, name: str) -> None:
    assert retrievers[name].search(Query("防溺水", allowed_docs=frozenset({"no-such-doc"})), 5) == []


def test_lexical_hits_carry_their_score_and_rank(
    lexical: LexicalRetriever, stored_index: StoredIndex
) -> None:
    hits = lexical.search(Query("学生资助"), 10)
    scores = lexical.scores(Query("学生资助"))
    expected = np.argsort(-scores, kind="stable")[:10]
    np.testing.assert_allclose([h.score for h in hits], scores[expected], rtol=1e-6)
    for rank, h in enumerate(hits, start=1):
        assert h.signals == {"bm25": (h.score, rank)}
        assert h.passage is stored_index.passages[stored_index.passages.index(h.passage)]


def test_lexical_zero_score_hits_are_excluded(lexical: LexicalRetriever) -> None:
    assert lexical.search(Query("饕餮 鳄鱼钢琴 zzzz"), 10) == []  # no token in the corpus
    q = Query("乒乓球")  # one table row in 000
    positive = int((lexical.scores(q) > 0).sum())
    assert 0 < positive < 10
    hits = lexical.search(q, 10)
    assert len(hits) == positive
    assert all(h.score > 0 for h in hits)


def test_expansion_terms_add_weighted_scores(lexical: LexicalRetriever) -> None:
    base = lexical.scores(Query("防溺水"))
    swim = lexical.scores(Query("游泳"))
    both = lexical.scores(Query("防溺水", terms=(("游泳", 0.5),)))
    np.testing.assert_allclose(both, base + 0.5 * swim, rtol=1e-5)


def test_dense_scores_are_passage_plus_best_sentence(
    dense: DenseRetriever, stored_index: StoredIndex
) -> None:
    q = "学校食堂食品安全检查"
    hits = dense.search(Query(q), 5)
    v = dense.query_vector(Query(q))
    for h in hits:
        i = stored_index.passages.index(h.passage)
        a, b = stored_index.sent_offsets[i], stored_index.sent_offsets[i + 1]
        want = stored_index.passage_vecs[i] @ v + np.max(stored_index.sent_vecs[a:b] @ v)
        assert h.score == pytest.approx(float(want), abs=1e-5)


def test_dense_search_equals_brute_force_over_all_passages(
    dense: DenseRetriever, stored_index: StoredIndex
) -> None:
    everything = frozenset(d.doc_id for d in stored_index.documents)  # the mask forces exact scoring
    for q in ("教师队伍建设", "控辍保学", "校车安全"):
        v = dense.query_vector(Query(q))
        all_ids = np.arange(len(stored_index.passages))
        exact = dense.exact_scores(v, all_ids)
        want = np.argsort(-exact, kind="stable")[:10]
        hits = dense.search(Query(q, allowed_docs=everything), 10)
        np.testing.assert_allclose([h.score for h in hits], exact[want], atol=1e-6)
        # The unrestricted search (faiss candidates) agrees on the top passage.
        assert dense.search(Query(q), 1)[0].passage == stored_index.passages[want[0]]


def loop_exact_scores(store: StoredIndex, v: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Brute force, one passage at a time: cos(passage) + max cos(its sentences)."""
    out = []
    for i in ids:
        a, b = store.sent_offsets[i], store.sent_offsets[i + 1]
        best = float(np.max(store.sent_vecs[a:b] @ v)) if b > a else -1.0
        out.append(float(store.passage_vecs[i] @ v) + best)
    return np.array(out)


def test_exact_scores_equal_the_per_passage_loop(dense: DenseRetriever, stored_index: StoredIndex) -> None:
    v = dense.query_vector(Query("学生资助政策"))
    every = np.arange(len(stored_index.passages))
    rng = np.random.default_rng(0)
    for ids in (every, every[::-1], rng.choice(every, 40, replace=False), every[50:120]):
        np.testing.assert_allclose(
            dense.exact_scores(v, ids), loop_exact_scores(stored_index, v, ids), atol=1e-5
        )


@pytest.mark.parametrize("exact_below", [EXACT_BELOW, 0], ids=["rescore-all-allowed", "faiss-filtered"])
def test_restricted_dense_search_equals_brute_force_over_allowed(
    stored_index: StoredIndex, use_encoder, docs: dict[str, Document], exact_below: int
) -> None:
    """Both ways of serving a restricted question give the brute-force top 10 of the allowed passages."""
    dense = DenseRetriever(stored_index, use_encoder, exact_below=exact_below)
    doc_of = np.array([p.doc_id for p in stored_index.passages])
    for allowed in ({"004", "001"}, {"003"}, {"002"}, {"000", "001", "002", "003", "004"}):
        allowed_ids = frozenset(docs[a].doc_id for a in allowed)
        ids = np.flatnonzero(np.isin(doc_of, list(allowed_ids)))
        for q in ("学校安全 防溺水", "教师队伍建设", "控辍保学", "How are pupils kept safe near rivers?"):
            v = dense.query_vector(Query(q))
            brute = loop_exact_scores(stored_index, v, ids)
            want = np.argsort(-brute, kind="stable")[:10]
            hits = dense.search(Query(q, allowed_docs=allowed_ids), 10)
            assert {h.passage.doc_id for h in hits} <= allowed_ids
            np.testing.assert_allclose([h.score for h in hits], brute[want], atol=1e-5)
            # Same passages, up to the order of (near-)equal scores.
            clear = brute[want] > brute[want[-1]] + 1e-5
            assert {stored_index.passages[i].pid for i in ids[want][clear]} <= {h.passage.pid for h in hits}


def test_dense_text_is_what_gets_embedded(dense: DenseRetriever) -> None:
    q = Query("防溺水", dense_text="学校食堂食品安全检查")
    np.testing.assert_array_equal(dense.query_vector(q), dense.query_vector(Query("学校食堂食品安全检查")))


def test_dense_retriever_refuses_another_encoder(stored_index: StoredIndex, hash_encoder) -> None:
    with pytest.raises(ValueError, match="'use'"):
        DenseRetriever(stored_index, hash_encoder)


def test_hybrid_hits_carry_both_signals(hybrid: HybridRetriever, lexical, dense) -> None:
    q = Query("融安县防溺水措施")
    # What each signal alone says, at the hybrid's depth (100).
    alone = {
        "bm25": {h.passage.pid: h.signals["bm25"] for h in lexical.search(q, 100)},
        "dense": {h.passage.pid: h.signals["dense"] for h in dense.search(q, 100)},
    }
    hits = hybrid.search(q, 10)
    assert len(hits) == 10
    assert_ranked(hits)
    for h in hits:
        pid = h.passage.pid
        assert set(h.signals) == {name for name, found in alone.items() if pid in found}
        for name, (score, rank) in h.signals.items():
            assert (score, rank) == pytest.approx(alone[name][pid])
        expected = sum(
            w / (10.0 + h.signals[s][1]) for s, w in (("bm25", 0.8), ("dense", 0.2)) if s in h.signals
        )
        assert h.score == pytest.approx(expected)
    assert set(hits[0].signals) == {"bm25", "dense"}
    assert hits[0].signals["bm25"][1] == 1 and hits[0].signals["dense"][1] == 1


def test_hybrid_without_lexical_matches_uses_dense_only(hybrid: HybridRetriever) -> None:
    hits = hybrid.search(Query("How are pupils kept safe near rivers?"), 5)
    assert len(hits) == 5
    assert all(set(h.signals) == {"dense"} for h in hits)


def test_k_limits_every_retriever(retrievers) -> None:
    for r in retrievers.values():
        assert len(r.search(Query("教育"), 3)) == 3
        assert len(r.search(Query("教育"), 1)) == 1
