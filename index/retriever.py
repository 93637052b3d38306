"""Retrievers over a stored index: lexical (BM25), dense (faiss), and their fusion."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

import numpy as np

from core.types import Hit
from index.dense import Encoder, passage_scores, single_blas_thread
from index.fusion import reciprocal_rank_fusion
from index.store import StoredIndex
from index.tokenize import make_tokenizer


@dataclass(frozen=True)
class Query:
    """What retrievers search for.

    Attributes:
        text: the question as typed (what the encoder embeds and BM25 tokenises).
        terms: extra lexical terms with weights (vocabulary expansions), added to BM25.
        allowed_docs: restrict results to these documents (None: all).
        dense_text: what the encoder embeds, when not `text`.
        weights: the hybrid fusion's weights for this query (None: the retriever's own).
    """

    text: str
    terms: tuple[tuple[str, float], ...] = ()
    allowed_docs: frozenset[str] | None = None
    dense_text: str | None = None
    weights: tuple[float, ...] | None = None


class Retriever(Protocol):
    def search(self, query: Query, k: int) -> list[Hit]: ...


# A question restricted to documents holding fewer passages than this has every one of them
# rescored exactly (vectorised: ~1.5 µs per passage, more under load: ×330, 8,910 allowed
# passages, 12–50 ms; the Python loop it replaced took 48–120 ms). Above it, faiss searches
# only the allowed vectors (IDSelectorBitmap): 2–5 ms at ×330, exact for flat indexes; for
# HNSW on the synthetic benchmark vectors its recall@100 against rescoring every allowed
# passage is 0.01–0.91 (the deeper unfiltered search used before above 20,000: 0.00–0.03).
EXACT_BELOW = 2_000


@dataclass
class DocMask:
    """Which passages belong to which documents; masks of allowed documents, the last few cached."""

    doc_of: np.ndarray  # passage index -> document index
    doc_index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Both retrievers ask for the same question's mask; lru_cache is thread-safe.
        self._cached = lru_cache(maxsize=8)(self._mask_of)

    @classmethod
    def of(cls, store: StoredIndex) -> DocMask:
        """The passage → document map of a stored index (one per index; retrievers can share it)."""
        doc_index = {d.doc_id: i for i, d in enumerate(store.documents)}
        doc_of = np.array([doc_index[p.doc_id] for p in store.passages], dtype=np.int32)
        return cls(doc_of, doc_index)

    def mask(self, allowed: frozenset[str] | None) -> np.ndarray | None:
        """Boolean mask over passages, read-only (None: no restriction)."""
        return None if allowed is None else self._cached(allowed)

    def _mask_of(self, allowed: frozenset[str]) -> np.ndarray:
        ids = [self.doc_index[d] for d in allowed if d in self.doc_index]
        m = np.isin(self.doc_of, np.array(ids, dtype=self.doc_of.dtype))
        m.flags.writeable = False
        return m


class LexicalRetriever:
    """BM25 over the stored weight matrix, with the analyzer named in the manifest."""

    name = "bm25"

    def __init__(self, store: StoredIndex, doc_mask: DocMask | None = None):
        self.store = store
        self.tokenize = make_tokenizer(store.manifest.analyzer, store.manifest.user_words)
        self._mask = doc_mask or DocMask.of(store)

    def scores(self, query: Query) -> np.ndarray:
        s = self.store.bm25.scores(self.tokenize(query.text))
        for term, w in query.terms:
            s = s + w * self.store.bm25.scores(self.tokenize(term))
        m = self._mask.mask(query.allowed_docs)
        if m is not None:
            s = np.where(m, s, 0.0)
        return s

    def search(self, query: Query, k: int) -> list[Hit]:
        s = self.scores(query)
        return _top_hits(self.store, s, k, self.name, positive_only=True)


class DenseRetriever:
    """Passage score = cosine(question, passage-with-context) + max cosine(question, its sentences).

    Candidates: the passages and sentences faiss finds nearest (only among the allowed
    documents' when a question is restricted), or, when the allowed documents hold fewer than
    `exact_below` passages, all of theirs; every candidate is then scored exactly.
    """

    name = "dense"

    def __init__(
        self,
        store: StoredIndex,
        encoder: Encoder,
        doc_mask: DocMask | None = None,
        exact_below: int = EXACT_BELOW,
    ):
        if store.manifest.encoder.get("id") != encoder.id:
            raise ValueError(
                f"index was built with encoder {store.manifest.encoder.get('id')!r}, not {encoder.id!r}"
            )
        self.store = store
        self.encoder = encoder
        self.exact_below = exact_below
        self._mask = doc_mask or DocMask.of(store)
        self._sent_owner = np.repeat(np.arange(len(store.passages)), np.diff(store.sent_offsets))
        self._encode = lru_cache(maxsize=256)(self._encode_uncached)
        single_blas_thread()  # the products below are small: see single_blas_thread

    def _encode_uncached(self, text: str) -> np.ndarray:
        return self.encoder.encode([text])[0]

    def query_vector(self, query: Query) -> np.ndarray:
        return self._encode(query.dense_text or query.text)

    def exact_scores(self, v: np.ndarray, ids: np.ndarray) -> np.ndarray:
        st = self.store
        return passage_scores(st.passage_vecs, st.sent_vecs, st.sent_offsets, ids, v)

    def candidates(self, v: np.ndarray, k: int, mask: np.ndarray | None) -> np.ndarray:
        """Sorted passage ids to score exactly (only allowed ones when `mask` is given)."""
        st = self.store
        n = len(st.passages)
        if n == 0:
            return np.zeros(0, dtype=np.int64)
        if mask is not None and np.count_nonzero(mask) < self.exact_below:
            return np.flatnonzero(mask)
        depth = k * 2 + 50
        sent_mask = None if mask is None else mask[self._sent_owner]
        _, pid = st.passage_index.search(v, min(depth, n), allowed=mask)
        _, sid = st.sentence_index.search(v, min(depth * 2, len(st.sent_vecs)), allowed=sent_mask)
        ids = np.unique(np.concatenate([pid[0][pid[0] >= 0], self._sent_owner[sid[0][sid[0] >= 0]]]))
        if mask is not None:
            ids = ids[mask[ids]]  # faiss never returns others; kept as a guarantee
        return ids

    def search(self, query: Query, k: int) -> list[Hit]:
        v = self.query_vector(query)
        ids = self.candidates(v, k, self._mask.mask(query.allowed_docs))
        if len(ids) == 0:
            return []
        s = self.exact_scores(v, ids)
        order = np.argsort(-s, kind="stable")[:k]
        return [
            Hit(self.store.passages[ids[j]], float(s[j]), {self.name: (float(s[j]), r + 1)})
            for r, j in enumerate(order)
        ]


def _top_hits(store: StoredIndex, scores: np.ndarray, k: int, name: str, positive_only: bool) -> list[Hit]:
    if len(scores) == 0:
        return []
    k = min(k, len(scores))
    idx = np.argpartition(-scores, k - 1)[:k]
    idx = idx[np.lexsort((idx, -scores[idx]))]
    if positive_only:
        idx = idx[scores[idx] > 0]
    return [
        Hit(store.passages[i], float(scores[i]), {name: (float(scores[i]), r + 1)}) for r, i in enumerate(idx)
    ]


class HybridRetriever:
    """RRF over lexical and dense hits; zero-score lexical hits are never part of the fusion."""

    name = "hybrid"

    def __init__(
        self, retrievers: Sequence[Retriever], weights: Sequence[float], k: float = 10.0, depth: int = 100
    ):
        self.retrievers = list(retrievers)
        self.weights = list(weights)
        self.k = k
        self.depth = depth

    def search(self, query: Query, k: int) -> list[Hit]:
        lists = [r.search(query, max(k, self.depth)) for r in self.retrievers]
        return reciprocal_rank_fusion(lists, k=self.k, weights=list(query.weights or self.weights))[:k]
