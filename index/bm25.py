"""Okapi BM25 as pure functions over sparse matrices.

Scores equal `rank_bm25.BM25Okapi.get_scores` (same idf with its epsilon floor, same
length normalisation, repeated query tokens counted each time), computed from the query
terms' postings (a gather and np.bincount on small corpora, scipy's sparse product on large
ones) instead of a Python loop over documents.
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


# Below this many documents, scores() gathers the query terms' postings itself and sums them
# with np.bincount: scipy's column slicing costs ~30 µs per call whatever the size, most of a
# query on a small corpus (×1: 0.11 → 0.03 ms per query), but the gather copies every posting
# (int32 → intp, float32 → float64), which loses on long postings (measured on the dev-set
# questions: ×10 gather 0.07 vs scipy 0.08 ms, ×100 0.4–0.8 vs 0.25 ms).
GATHER_BELOW = 10_000


def gather_scores(
    indptr: np.ndarray,
    indices: np.ndarray,
    data: np.ndarray,
    ids: np.ndarray,
    n_docs: int,
    qw: np.ndarray | None = None,
) -> np.ndarray:
    """Σ_j qw[j] · column ids[j] of a CSC matrix given by its arrays, as a dense float32 vector.

    `ids` (non-empty) may repeat a column: each occurrence counts. `qw` holds one weight per
    entry of `ids` (None: all 1).
    """
    starts = indptr[ids]
    lens = indptr[ids + 1] - starts
    offs = np.cumsum(lens) - lens  # where each column's postings go in the gathered arrays
    pos = np.arange(int(offs[-1] + lens[-1])) + np.repeat(starts - offs, lens)
    vals = data[pos] if qw is None else data[pos] * np.repeat(qw, lens)
    return np.bincount(indices[pos], weights=vals, minlength=n_docs).astype(np.float32)


@dataclass(frozen=True)
class BM25Index:
    """Term → documents weight matrix (CSC: one column per term) and the vocabulary.

    `gather_below`: corpora with fewer documents are scored by `gather_scores`, larger ones by
    scipy's sparse product (same scores; see GATHER_BELOW).
    """

    weights: sparse.csc_matrix  # shape (n_docs, n_terms)
    vocab: dict[str, int]
    k1: float
    b: float
    gather_below: int = GATHER_BELOW

    @property
    def n_docs(self) -> int:
        return self.weights.shape[0]

    def query_vector(
        self, tokens: Sequence[str], weights: dict[str, float] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(term ids, weight of each): query term frequency, times `weights` of the token if given."""
        counts = Counter(t for t in tokens if t in self.vocab)
        ids = np.fromiter((self.vocab[t] for t in counts), dtype=np.int64, count=len(counts))
        if weights:
            qtf = np.array([c * weights.get(t, 1.0) for t, c in counts.items()], dtype=np.float32)
        else:
            qtf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        return ids, qtf

    def scores(self, tokens: Sequence[str], weights: dict[str, float] | None = None) -> np.ndarray:
        """BM25 score of every document for the query tokens (0 where no token matches).

        `weights` optionally scales individual query tokens (expansion terms count less).
        """
        if self.n_docs < self.gather_below:
            vocab = self.vocab
            kept = [t for t in tokens if t in vocab]  # repeated tokens count each time
            if not kept:
                return np.zeros(self.n_docs, dtype=np.float32)
            ids = np.fromiter((vocab[t] for t in kept), dtype=np.int64, count=len(kept))
            qw = np.array([weights.get(t, 1.0) for t in kept]) if weights else None
            w = self.weights
            return gather_scores(w.indptr, w.indices, w.data, ids, self.n_docs, qw)
        ids, qtf = self.query_vector(tokens, weights)
        if len(ids) == 0:
            return np.zeros(self.n_docs, dtype=np.float32)
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
