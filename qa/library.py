"""The corpus folder and its index: open, refresh, watch, install; the loaded index as plain data.

`Library.refresh()` makes the served index match the corpus folder (building aside, swapping in
only a complete, verified build); `Library.watch()` does it in the background. What a question
reads — the stored index, its retrievers, idf, documents by id — is one `LoadedIndex`, replaced
whole when a new build is installed.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from core.types import Document, Passage
from index.bm25 import bm25_idf
from index.build import build_index
from index.dense import Encoder
from index.errors import IndexInvalid, failure_text
from index.retriever import DenseRetriever, DocMask, HybridRetriever, LexicalRetriever
from index.store import StoredIndex, current_build_id, load_build
from qa.ingest.corpus import CATALOG_NAME, corpus_files, load_corpus
from qa.query import document_names
from qa.relevance import WordCutter
from qa.settings import Settings
from qa.textspan import FoldedText
from qa.watcher import watch_loop

log = logging.getLogger("policyqa")
Progress = Callable[[str, int, int], None]


@dataclass
class LoadedIndex:
    """One loaded index and what serves it; replaced whole when a new build is installed."""

    store: StoredIndex
    lexical: LexicalRetriever
    dense: DenseRetriever
    hybrid: HybridRetriever
    docs: dict[str, Document]
    idf: np.ndarray
    max_idf: float
    analyzer: str  # the analyzer the settings name (the one the index was checked against)
    cut: WordCutter  # jieba words, shared by every index of an engine
    passage_index: dict[str, int] = field(default_factory=dict)
    # doc_id -> (start offsets of its passages, their indexes in store.passages), np.int32
    doc_passages: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    folded: dict[str, FoldedText] = field(default_factory=dict)  # doc_id -> FoldedText, built at install
    doc_of: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))  # passage -> document index


def load_index(store: StoredIndex, encoder: Encoder, settings: Settings, cut: WordCutter) -> LoadedIndex:
    """Retrievers, idf and lookup tables for a stored build."""
    doc_mask = DocMask.of(store)  # shared by both retrievers and the exact-wording search
    lexical = LexicalRetriever(store, doc_mask)
    dense = DenseRetriever(store, encoder, doc_mask)
    hybrid = HybridRetriever([lexical, dense], [settings.w_lexical, settings.w_dense], k=settings.rrf_k)
    df = np.diff(store.bm25.weights.indptr).astype(np.float64)
    n = max(store.bm25.n_docs, 1)
    idf = bm25_idf(df, n) if len(df) else np.zeros(0)
    max_idf = float(np.log((n + 0.5) / 0.5))
    docs = {d.doc_id: d for d in store.documents}
    # Fold every document for the exact-wording search now, not on its first question
    # (bench: ×330 first call 10 s → …); compact maps, see FoldedText.
    folded = {d.doc_id: FoldedText(d.text) for d in store.documents}
    document_names(store.documents)  # the place and alias maps qa.query.analyze uses
    return LoadedIndex(
        store,
        lexical,
        dense,
        hybrid,
        docs,
        idf,
        max_idf,
        settings.analyzer,
        cut,
        {p.pid: i for i, p in enumerate(store.passages)},
        doc_passages(store.passages),
        folded,
        doc_mask.doc_of,
    )


def doc_passages(passages: list[Passage]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """doc_id → (start offsets of its passages, their indexes in `passages`), for offset lookups."""
    lists: dict[str, tuple[list[int], list[int]]] = {}
    for i, p in enumerate(passages):
        starts, idx = lists.setdefault(p.doc_id, ([], []))
        starts.append(p.start)
        idx.append(i)
    return {d: (np.array(s, dtype=np.int32), np.array(i, dtype=np.int32)) for d, (s, i) in lists.items()}


@lru_cache(maxsize=1)
def ingest_version() -> str:
    """Identity of the code and data that turn files into documents and passages.

    Part of the corpus fingerprint: after an upgrade that reads documents differently (a title
    found, a garbled line dropped), an existing index is rebuilt from the same files — its
    unchanged passages keep their vectors, so this costs little.
    """
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for p in sorted(
        [
            *(here / "ingest").glob("*.py"),
            here / "places.py",
            here / "numerals.py",
            here / "data" / "chrome.tsv",
        ]
    ):
        if p.exists():
            h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:16]


def corpus_fingerprint(settings: Settings) -> str:
    """Cheap identity of the corpus folder, the settings an index depends on and the reader code."""
    h = hashlib.sha256()
    root = Path(settings.corpus_dir)
    for p in corpus_files(root) if root.exists() else []:
        st = p.stat()
        h.update(f"{p.relative_to(root)}\t{st.st_size}\t{st.st_mtime_ns}\n".encode())
    cat = root / CATALOG_NAME
    if cat.exists():
        h.update(cat.read_bytes())
    h.update(f"{settings.encoder}|{settings.analyzer}|{settings.max_chars}|{ingest_version()}".encode())
    return h.hexdigest()


def covered_places(documents: list[Document]) -> list[str]:
    """The places the documents are about, most specific first, in corpus order."""
    out = []
    for d in documents:
        if d.meta.place and d.meta.place not in out:
            out.append(d.meta.place)
    return out


class Library:
    """The corpus folder and the index that serves it; safe to share between threads."""

    def __init__(self, settings: Settings, encoder: Encoder, cut: WordCutter):
        self.settings = settings
        self.encoder = encoder
        self.cut = cut
        self.loaded: LoadedIndex | None = None
        self._build_lock = threading.Lock()
        self.status = ""
        self.build_error = ""  # why the last re-index failed ("" when it did not)
        self.skipped: list = []
        self.last_build: dict = {}

    def _check(self, store: StoredIndex, fingerprint: str) -> str | None:
        m = store.manifest
        if m.encoder.get("id") != self.encoder.id:
            return f"索引用的向量模型是 {m.encoder.get('id')}，当前设置是 {self.encoder.id}"
        if m.analyzer != self.settings.analyzer:
            return f"索引用的分词器是 {m.analyzer}，当前设置是 {self.settings.analyzer}"
        if m.fingerprint != fingerprint:
            return "文档目录有变化"
        return None

    def refresh(self, *, progress: Progress | None = None, force: bool = False) -> str:
        """Make the served index match the corpus folder; returns a one-line status.

        The index in use keeps serving while a new one builds; it is replaced only when the
        new build is complete and verified.
        """
        with self._build_lock:
            s = self.settings
            index_dir = Path(s.index_dir)
            fingerprint = corpus_fingerprint(s)
            reason = None
            store = None
            if not force and current_build_id(index_dir):
                try:
                    store = load_build(index_dir)
                    reason = self._check(store, fingerprint)
                except IndexInvalid as e:
                    reason = f"索引不可用（{e}）"
                    log.warning("index invalid: %s", e)
            elif force:
                reason = "按要求重建"
            else:
                reason = "还没有索引"
            if store is not None and reason is None:
                if self.loaded is None or self.loaded.store.manifest.build_id != store.manifest.build_id:
                    self.install(store)
                self.status = f"索引已是最新（{store.manifest.build_time}）"
                self.build_error = ""
                return self.status
            try:
                corpus = load_corpus(s.corpus_dir, max_chars=s.max_chars)
                _path, stats = build_index(
                    index_dir,
                    corpus.documents,
                    corpus.passages,
                    encoder=self.encoder,
                    analyzer=s.analyzer,
                    max_chars=s.max_chars,
                    ann_threshold=s.ann_threshold,
                    progress=progress,
                    fingerprint=fingerprint,
                )
                new_store = load_build(index_dir)
            except Exception as e:
                if self.loaded is None and (store is None or self._check(store, store.manifest.fingerprint)):
                    raise
                if self.loaded is None:  # a stale but sound index beats none (start-up on a full disk)
                    self.install(store)
                # Keep serving what we have; the next refresh tries again.
                self.build_error = failure_text(e)
                # a full disk is the operator's to fix, not a bug: one line, no traceback
                log.warning("index update failed: %s", self.build_error, exc_info=not isinstance(e, OSError))
                self.status = f"更新索引失败（{self.build_error}），继续使用 {self.loaded.store.manifest.build_time} 的索引"
                return self.status
            self.skipped = corpus.skipped
            self.last_build = stats
            self.install(new_store)
            self.build_error = ""
            self.status = (
                f"已重建索引：{reason}；{len(corpus.documents)} 个文档，{stats['passages']} 段，"
                f"新编码 {stats['encoded']} 段，复用 {stats['reused']} 段，用时 {stats['seconds']} 秒"
            )
            return self.status

    def changed(self) -> bool:
        """Whether the corpus folder differs from what the served index was built from."""
        ix = self.loaded
        return ix is None or ix.store.manifest.fingerprint != corpus_fingerprint(self.settings)

    def watch(self, interval: float = 5.0, on_change: Callable[[str], None] | None = None) -> threading.Event:
        """Poll the corpus folder in a daemon thread and re-index when it changes.

        Documents added to or removed from corpus/ while serving appear in (or leave) answers
        after their build, without a restart. Returns an Event that stops the watcher when set.
        """
        stop = threading.Event()

        def attempt() -> bool:  # True when a re-index failed: the watcher then backs off
            if not self.changed():
                return False
            status = self.refresh()
            if on_change:
                on_change(status)
            return bool(self.build_error)

        threading.Thread(
            target=watch_loop,
            args=(stop, attempt),
            kwargs={"interval": interval},
            name="policyqa-watch",
            daemon=True,
        ).start()
        return stop

    def install(self, store: StoredIndex) -> None:
        """Serve `store` from now on (questions already running keep the index they started with)."""
        self.loaded = load_index(store, self.encoder, self.settings, self.cut)
