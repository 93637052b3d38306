"""Okapi BM25 as pure functions over sparse matrices.

Scores equal `rank_bm25.BM25Okapi.get_scores` (same idf with its epsilon floor, same
length normalisation, repeated query tokens counted each time), computed as one sparse
matrix-vector product instead of a Python loop over documents.
Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond" (2009).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse


def bm25_idf(df: np.ndarray, n_docs: int, epsilon: float = 0.25) -> np.ndarray:
    """rank_bm25's Okapi idf: log((N - df + 0.5) / (df + 0.5)); negatives floored at epsilon × mean idf."""
    idf = np.log(n_docs - df + 0.5) - np.log(df + 0.5)
    floor = epsilon * (idf.sum() / len(idf)) if len(idf) else 0.0
    return np.where(idf < 0, floor, idf)


def bm25_term_weights(tf: np.ndarray, doc_len: np.ndarray, avgdl: float, k1: float, b: float) -> np.ndarray:
    """The tf part of BM25 for each (doc, term) entry: tf (k1+1) / (tf + k1 (1 - b + b dl/avgdl))."""
    return tf * (k1 + 1) / (tf + k1 * (1 - b + b * doc_len / avgdl))


@dataclass(frozen=True)
class BM25Index:
    """Term → documents weight matrix (CSC: one column per term) and the vocabulary."""

    weights: sparse.csc_matrix  # shape (n_docs, n_terms)
    vocab: dict[str, int]
    k1: float
    b: float

    @property
    def n_docs(self) -> int:
        return self.weights.shape[0]

    def query_vector(self, tokens: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        counts = Counter(t for t in tokens if t in self.vocab)
        ids = np.fromiter((self.vocab[t] for t in counts), dtype=np.int64, count=len(counts))
        qtf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        return ids, qtf

    def scores(self, tokens: Sequence[str], weights: dict[str, float] | None = None) -> np.ndarray:
        """BM25 score of every document for the query tokens (0 where no token matches).

        `weights` optionally scales individual query tokens (expansion terms count less).
        """
        ids, qtf = self.query_vector(tokens)
        if len(ids) == 0:
            return np.zeros(self.n_docs, dtype=np.float32)
        if weights:
            inv = {i: t for t, i in self.vocab.items() if i in set(ids.tolist())}
            qtf = qtf * np.array([weights.get(inv[i], 1.0) for i in ids], dtype=np.float32)
        return np.asarray(self.weights[:, ids] @ qtf, dtype=np.float32).ravel()


def build_bm25(
    docs_tokens: Sequence[Sequence[str]], k1: float = 1.5, b: float = 0.75, epsilon: float = 0.25
) -> BM25Index:
    """Build the weight matrix from tokenised documents (rank_bm25's defaults k1=1.5, b=0.75)."""
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    doc_len = np.zeros(len(docs_tokens), dtype=np.float64)
    for d, toks in enumerate(docs_tokens):
        doc_len[d] = len(toks)
        for t, c in Counter(toks).items():
            rows.append(d)
            cols.append(vocab.setdefault(t, len(vocab)))
            vals.append(c)
    n_docs = len(docs_tokens)
    tf = sparse.csc_matrix((np.array(vals, dtype=np.float64), (rows, cols)), shape=(n_docs, len(vocab)))
    df = np.diff(tf.indptr).astype(np.float64)
    idf = bm25_idf(df, n_docs, epsilon)
    avgdl = doc_len.mean() if n_docs else 1.0
    coo = tf.tocoo()
    w = bm25_term_weights(coo.data, doc_len[coo.row], avgdl, k1, b) * idf[coo.col]
    weights = sparse.csc_matrix((w.astype(np.float32), (coo.row, coo.col)), shape=tf.shape)
    return BM25Index(weights, vocab, k1, b)
