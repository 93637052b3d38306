"""Oracle tests for index.bm25 against rank_bm25.BM25Okapi, plus unit tests of the formulas."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rank_bm25 import BM25Okapi

from index.bm25 import BM25Index, bm25_idf, bm25_term_weights, build_bm25, gather_scores
from index.build import context_text
from index.store import StoredIndex
from index.tokenize import make_tokenizer
from qa.ingest.corpus import Corpus

QUERIES = [
    "融安县防溺水措施",
    "防溺水",
    "学生资助",
    "中考体育测试在几月、哪个股室负责",
    "老师不够怎么办",
    "校园欺凌",
    "教师培训",
    "学前教育入园率",
    "课后服务",
    "双减",
    "“四不两直”",
    "安全安全安全",  # repeated tokens count each time
    "教育教育教育教育局",
    "泸州 江阳区 叙永县",
    "金坛区教育局2019年上半年工作",
    "柳城县 招生办",
    "AI防溺水预警系统",
    "3通2平台 多媒体教学设备1200套",
    "量子计算机",  # out of vocabulary
    "zzzz qqqq",  # out of vocabulary ASCII
    "的了和",  # only stop characters: bigrams only
    "",  # nothing to match
    "教",
    "一、坚定不移强化学校安全稳定工作",
    "食品安全 消防安全 交通安全",
    "留守儿童关爱",
    "特殊教育 随班就读 残疾儿童",
    "高考 中考 学业水平考试",
    "党建 意识形态 责任制",
    "信息化 智慧校园 教育云平台",
    "乡村教师生活补助",
    "9月 组织开学工作 教育股",
]


def assert_scores_match(got: np.ndarray, expected: np.ndarray) -> None:
    scale = max(1.0, float(np.abs(expected).max(initial=0.0)))
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5 * scale)


# scores() has two paths: postings gathered and summed with np.bincount below `gather_below`
# documents (every corpus in these tests by default), scipy's sparse product above it.
PATHS = {"gather": 1 << 30, "scipy": 0}


def on_path(idx: BM25Index, path: str) -> BM25Index:
    return dataclasses.replace(idx, gather_below=PATHS[path])


# --------------------------------------------------------------------------- formulas


def test_idf_matches_rank_bm25_including_the_negative_floor() -> None:
    # "a" is in 3 of 4 documents: log(1.5/3.5) < 0, floored at 0.25 × mean idf like rank_bm25.
    corpus = [["a", "b"], ["a", "c"], ["a"], ["d"]]
    oracle = BM25Okapi(corpus)
    vocab = ["a", "b", "c", "d"]
    df = np.array([3, 1, 1, 1], dtype=np.float64)
    idf = bm25_idf(df, 4)
    raw = np.log(4 - df + 0.5) - np.log(df + 0.5)
    assert raw[0] < 0
    assert idf[0] == pytest.approx(0.25 * raw.mean())
    np.testing.assert_allclose(idf, [oracle.idf[w] for w in vocab], rtol=1e-12)


def test_idf_floor_can_itself_be_negative_like_rank_bm25() -> None:
    corpus = [["a", "b"], ["a", "b"], ["a", "c"]]
    idf = bm25_idf(np.array([3, 2, 1], dtype=np.float64), 3)
    oracle = BM25Okapi(corpus)
    np.testing.assert_allclose(idf, [oracle.idf[w] for w in "abc"], rtol=1e-12)
    assert idf[0] < 0


def test_idf_of_an_empty_vocabulary() -> None:
    assert bm25_idf(np.zeros(0), 0).shape == (0,)


def test_term_weight_formula() -> None:
    w = bm25_term_weights(np.array([2.0]), np.array([10.0]), avgdl=5.0, k1=1.5, b=0.75)
    assert w[0] == pytest.approx(2 * 2.5 / (2 + 1.5 * (1 - 0.75 + 0.75 * 2)))
    # b = 0: no length normalisation.
    short, long = bm25_term_weights(np.array([1.0, 1.0]), np.array([1.0, 100.0]), 10.0, 1.2, 0.0)
    assert short == long


@pytest.mark.parametrize("path", PATHS)
def test_scores_count_repeated_query_tokens_and_ignore_unknown_ones(path: str) -> None:
    idx = on_path(build_bm25([["a", "b"], ["b", "c", "c"], ["d"]]), path)
    once = idx.scores(["a"])
    assert np.all(idx.scores(["a", "a", "zz"]) == pytest.approx(2 * once))
    assert np.all(idx.scores(["zz"]) == 0)
    assert idx.scores([]).shape == (3,)


@pytest.mark.parametrize("path", PATHS)
def test_query_weights_scale_single_tokens(path: str) -> None:
    idx = on_path(build_bm25([["a", "b"], ["b", "c", "c"], ["d"]]), path)
    got = idx.scores(["a", "c"], weights={"c": 0.5})
    np.testing.assert_allclose(got, idx.scores(["a"]) + 0.5 * idx.scores(["c"]), rtol=1e-6)
    got = idx.scores(["c", "a", "c", "zz"], weights={"c": 0.5, "zz": 3.0})
    np.testing.assert_allclose(got, idx.scores(["a"]) + idx.scores(["c"]), rtol=1e-6)


@pytest.mark.parametrize("path", PATHS)
def test_empty_document_scores_zero(path: str) -> None:
    idx = on_path(build_bm25([[], ["a"], ["a", "b"]], b=1.0), path)
    s = idx.scores(["a", "b"])
    assert s[0] == 0 and np.all(np.isfinite(s))


def test_gather_scores_sums_weighted_columns_counting_repeats() -> None:
    m = np.array([[1.0, 0.0, 2.0], [0.0, 3.0, 0.0], [4.0, 5.0, 0.0], [0.0, 0.0, 0.0]], dtype=np.float32)
    from scipy import sparse

    w = sparse.csc_matrix(m)
    for ids, qw in (([0], None), ([2, 0, 2], None), ([1, 2], [0.5, 2.0]), ([1, 1], [1.0, 0.25])):
        weights = np.ones(len(ids)) if qw is None else np.array(qw)
        want = sum(q * m[:, j] for j, q in zip(ids, weights, strict=True))
        got = gather_scores(
            w.indptr, w.indices, w.data, np.array(ids), 4, None if qw is None else np.array(qw)
        )
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, want, rtol=1e-6)


def test_default_path_depends_on_corpus_size() -> None:
    idx = build_bm25([["a"], ["b"]])
    assert idx.n_docs < idx.gather_below  # small corpora take the gather path by default


def test_parameters_are_kept() -> None:
    idx = build_bm25([["a"], ["b"]], k1=1.2, b=0.5)
    assert (idx.k1, idx.b, idx.n_docs) == (1.2, 0.5, 2)
    assert set(idx.vocab) == {"a", "b"}


# --------------------------------------------------------------------------- oracle: real corpus


@pytest.fixture(scope="module")
def corpus_tokens(corpus: Corpus) -> list[list[str]]:
    """The tokens the index was built from: char12 over each passage with its context."""
    tok = make_tokenizer("char12")
    meta = {d.doc_id: d.meta for d in corpus.documents}
    return [tok(context_text(p, meta[p.doc_id])) for p in corpus.passages]


@pytest.fixture(scope="module")
def oracle(corpus_tokens: list[list[str]]) -> BM25Okapi:
    return BM25Okapi(corpus_tokens)


@pytest.mark.parametrize("path", PATHS)
def test_real_corpus_scores_equal_rank_bm25(
    corpus_tokens: list[list[str]], oracle: BM25Okapi, path: str
) -> None:
    idx = on_path(build_bm25(corpus_tokens), path)
    tok = make_tokenizer("char12")
    for q in QUERIES:
        tokens = tok(q)
        assert_scores_match(idx.scores(tokens), oracle.get_scores(tokens))


@pytest.mark.parametrize("path", PATHS)
def test_stored_index_scores_equal_rank_bm25(stored_index: StoredIndex, oracle: BM25Okapi, path: str) -> None:
    """The same oracle against the matrix as written to and read back from disk."""
    assert stored_index.manifest.analyzer == "char12"
    tok = make_tokenizer(stored_index.manifest.analyzer)
    bm25 = on_path(stored_index.bm25, path)
    for q in QUERIES:
        tokens = tok(q)
        assert_scores_match(bm25.scores(tokens), oracle.get_scores(tokens))
    top = int(np.argmax(stored_index.bm25.scores(tok("融安县防溺水措施"))))
    assert stored_index.passages[top].section[-1] == "7.健全校园安全稳定机制"


@pytest.mark.parametrize("path", PATHS)
def test_rank_bm25_parameters_are_respected(corpus_tokens: list[list[str]], path: str) -> None:
    idx = on_path(build_bm25(corpus_tokens, k1=0.9, b=0.4), path)
    oracle = BM25Okapi(corpus_tokens, k1=0.9, b=0.4)
    tokens = make_tokenizer("char12")("学校安全管理 防溺水")
    assert_scores_match(idx.scores(tokens), oracle.get_scores(tokens))


# --------------------------------------------------------------------------- oracle: random corpora

_token = st.sampled_from(list("abcdefgh"))


@settings(max_examples=100, deadline=None)
@given(
    # Passages are never empty (and rank_bm25 divides 0 by 0 for an empty one when b = 1).
    docs=st.lists(st.lists(_token, min_size=1, max_size=12), min_size=1, max_size=15),
    query=st.lists(st.sampled_from(list("abcdefghxyz")), max_size=8),
    k1=st.sampled_from([0.5, 1.2, 1.5, 2.0]),
    b=st.sampled_from([0.0, 0.5, 0.75, 1.0]),
)
def test_random_corpora_match_rank_bm25(docs: list[list[str]], query: list[str], k1: float, b: float) -> None:
    expected = BM25Okapi(docs, k1=k1, b=b).get_scores(query)
    idx = build_bm25(docs, k1=k1, b=b)
    for path in PATHS:
        got = on_path(idx, path).scores(query)
        assert got.shape == (len(docs),)
        assert all(math.isfinite(x) for x in got)
        assert_scores_match(got, expected)
