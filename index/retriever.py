"""Retrievers over a stored index: lexical (BM25), dense (faiss), and their fusion."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

import numpy as np

from index.dense import Encoder
from index.fusion import reciprocal_rank_fusion
from index.store import StoredIndex
from index.tokenize import make_tokenizer
from qa.types import Hit


@dataclass(frozen=True)
class Query:
    """What retrievers search for.

    Attributes:
        text: the question as typed (what the encoder embeds and BM25 tokenises).
        terms: extra lexical terms with weights (vocabulary expansions), added to BM25.
        allowed_docs: restrict results to these documents (None: all).
    """

    text: str
    terms: tuple[tuple[str, float], ...] = ()
    allowed_docs: frozenset[str] | None = None
    dense_text: str | None = None


class Retriever(Protocol):
    def search(self, query: Query, k: int) -> list[Hit]: ...


@dataclass
class _DocMask:
    doc_of: np.ndarray  # passage index -> document index
    doc_index: dict[str, int] = field(default_factory=dict)

    def mask(self, allowed: frozenset[str] | None) -> np.ndarray | None:
        if allowed is None:
            return None
        ids = [self.doc_index[d] for d in allowed if d in self.doc_index]
        return np.isin(self.doc_of, np.array(ids, dtype=self.doc_of.dtype))


def _doc_mask(store: StoredIndex) -> _DocMask:
    doc_index = {d.doc_id: i for i, d in enumerate(store.documents)}
    doc_of = np.array([doc_index[p.doc_id] for p in store.passages], dtype=np.int32)
    return _DocMask(doc_of, doc_index)


class LexicalRetriever:
    """BM25 over the stored weight matrix, with the analyzer named in the manifest."""

    name = "bm25"

    def __init__(self, store: StoredIndex):
        self.store = store
        self.tokenize = make_tokenizer(store.manifest.analyzer, store.manifest.user_words)
        self._mask = _doc_mask(store)

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
    """Passage score = cosine(question, passage-with-context) + max cosine(question, its sentences)."""

    name = "dense"

    def __init__(self, store: StoredIndex, encoder: Encoder):
        if store.manifest.encoder.get("id") != encoder.id:
            raise ValueError(
                f"index was built with encoder {store.manifest.encoder.get('id')!r}, not {encoder.id!r}"
            )
        self.store = store
        self.encoder = encoder
        self._mask = _doc_mask(store)
        self._sent_owner = np.repeat(np.arange(len(store.passages)), np.diff(store.sent_offsets))
        self._encode = lru_cache(maxsize=256)(self._encode_uncached)

    def _encode_uncached(self, text: str) -> np.ndarray:
        return self.encoder.encode([text])[0]

    def query_vector(self, query: Query) -> np.ndarray:
        return self._encode(query.dense_text or query.text)

    def exact_scores(self, v: np.ndarray, ids: np.ndarray) -> np.ndarray:
        st = self.store
        p = st.passage_vecs[ids] @ v
        s = np.full(len(ids), -1.0, dtype=np.float32)
        for j, i in enumerate(ids):
            a, b = st.sent_offsets[i], st.sent_offsets[i + 1]
            if b > a:
                s[j] = float(np.max(st.sent_vecs[a:b] @ v))
        return p + s

    def candidates(self, v: np.ndarray, k: int, mask: np.ndarray | None) -> np.ndarray:
        st = self.store
        n = len(st.passages)
        if n == 0:
            return np.zeros(0, dtype=np.int64)
        if mask is not None and mask.sum() <= 20_000:
            return np.flatnonzero(mask)
        depth = k * (8 if mask is not None else 2) + 50
        _, pid = st.passage_index.search(v, min(depth, n))
        _, sid = st.sentence_index.search(v, min(depth * 2, len(st.sent_vecs)))
        ids = np.unique(np.concatenate([pid[0][pid[0] >= 0], self._sent_owner[sid[0][sid[0] >= 0]]]))
        if mask is not None:
            ids = ids[mask[ids]]
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
        return reciprocal_rank_fusion(lists, k=self.k, weights=self.weights)[:k]
