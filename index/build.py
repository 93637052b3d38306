"""Building an index from a corpus: BM25 + passage and sentence embeddings, written atomically."""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from core.types import DocMeta, Document, Passage
from index.bm25 import build_bm25
from index.dense import Encoder
from index.lock import BuildLock
from index.store import IndexInvalid, StoredIndex, current_build_id, load_build, write_build
from index.tokenize import corpus_terms, make_tokenizer, uses_words

Progress = Callable[[str, int, int], None]  # (stage, done, total)
log = logging.getLogger("policyqa")

_SENT = re.compile(r"(?<=[。；;！？!?])")


def context_text(passage: Passage, meta: DocMeta) -> str:
    """What BM25 and the passage vector see: title, place and section path, then the passage."""
    return " ".join(x for x in (meta.title, meta.place or "", passage.breadcrumb, passage.text) if x)


def sentences_of(text: str, min_chars: int = 4) -> list[str]:
    """Sentences of a passage (at 。；;！？); one sentence when it has no such end."""
    parts = [s.strip() for s in _SENT.split(text)]
    parts = [s for s in parts if len(s) >= min_chars]
    return parts or [text]


def embed_key(encoder_id: str, ctx: str) -> str:
    return hashlib.sha1(f"{encoder_id}\x1f{ctx}".encode()).hexdigest()


def _previous_vectors(index_dir: Path, encoder_id: str) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Vectors of the current build by embed key, so unchanged passages are not re-encoded."""
    if current_build_id(index_dir) is None:
        return {}
    try:
        old: StoredIndex = load_build(index_dir)
    except IndexInvalid:
        return {}
    if old.manifest.encoder.get("id") != encoder_id:
        return {}
    out = {}
    for i, key in enumerate(old.embed_keys):
        a, b = old.sent_offsets[i], old.sent_offsets[i + 1]
        out[key] = (old.passage_vecs[i], old.sent_vecs[a:b])
    return out


def build_index(
    index_dir: str | Path,
    documents: list[Document],
    passages: list[Passage],
    *,
    encoder: Encoder,
    analyzer: str = "char12",
    k1: float = 1.5,
    b: float = 0.75,
    max_chars: int = 300,
    ann_threshold: int = 50_000,
    batch: int = 128,
    progress: Progress | None = None,
    fingerprint: str = "",
    lock_timeout: float = 3600.0,
) -> tuple[Path, dict]:
    """Build and atomically install an index for these documents and passages.

    One build at a time per index folder (`BuildLock`): a second waits for the first (logging who
    holds the lock) and then reuses its vectors. Vectors of passages whose context text is
    unchanged since the current build are reused.

    Returns:
        (build folder, stats) where stats counts passages encoded and reused, and the seconds taken.

    Raises:
        IndexBusy: another process held the lock for longer than `lock_timeout` seconds.
        IndexWriteError: the build could not be written (disk full …); the old index is untouched.
    """
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    with BuildLock(index_dir, timeout=lock_timeout, on_wait=log.warning):
        return _build_locked(
            index_dir,
            documents,
            passages,
            encoder=encoder,
            analyzer=analyzer,
            k1=k1,
            b=b,
            max_chars=max_chars,
            ann_threshold=ann_threshold,
            batch=batch,
            progress=progress,
            fingerprint=fingerprint,
        )


def _build_locked(
    index_dir: Path,
    documents: list[Document],
    passages: list[Passage],
    *,
    encoder: Encoder,
    analyzer: str,
    k1: float,
    b: float,
    max_chars: int,
    ann_threshold: int,
    batch: int,
    progress: Progress | None,
    fingerprint: str,
) -> tuple[Path, dict]:
    t0 = time.perf_counter()
    meta = {d.doc_id: d.meta for d in documents}
    ctx = [context_text(p, meta[p.doc_id]) for p in passages]
    user_words: list[str] = []
    if uses_words(analyzer):
        names = [x for d in documents for x in (d.meta.issuer, d.meta.county, d.meta.city, d.meta.province)]
        user_words = corpus_terms((d.text for d in documents), names)
    tok = make_tokenizer(analyzer, user_words)
    if progress:
        progress("BM25", 0, len(passages))
    bm25 = build_bm25([tok(t) for t in ctx], k1=k1, b=b)
    if progress:
        progress("BM25", len(passages), len(passages))

    keys = [embed_key(encoder.id, t) for t in ctx]
    previous = _previous_vectors(index_dir, encoder.id)
    todo = [i for i, k in enumerate(keys) if k not in previous]
    pvec = np.zeros((len(passages), encoder.dim), dtype=np.float32)
    sent_blocks: list[np.ndarray] = [np.zeros((0, encoder.dim), np.float32)] * len(passages)
    for i, k in enumerate(keys):
        if k in previous:
            pvec[i], sent_blocks[i] = previous[k]
    for start in range(0, len(todo), batch):
        chunk = todo[start : start + batch]
        sents = [sentences_of(passages[i].text) for i in chunk]
        flat = [s for ss in sents for s in ss]
        vecs = encoder.encode([ctx[i] for i in chunk] + flat)
        pvec[chunk] = vecs[: len(chunk)]
        pos = len(chunk)
        for i, ss in zip(chunk, sents, strict=True):
            sent_blocks[i] = vecs[pos : pos + len(ss)]
            pos += len(ss)
        if progress:
            progress("向量", min(start + batch, len(todo)), len(todo))
    offsets = np.zeros(len(passages) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(s) for s in sent_blocks])
    svec = np.vstack(sent_blocks) if passages else np.zeros((0, encoder.dim), np.float32)
    seconds = time.perf_counter() - t0
    path = write_build(
        index_dir,
        documents=documents,
        passages=passages,
        bm25=bm25,
        passage_vecs=pvec,
        sent_vecs=svec,
        sent_offsets=offsets,
        embed_keys=keys,
        encoder={"id": encoder.id, "dim": encoder.dim},
        analyzer=analyzer,
        user_words=user_words,
        chunking={"max_chars": max_chars, "unit": "outline item"},
        ann_threshold=ann_threshold,
        build_seconds=seconds,
        fingerprint=fingerprint,
    )
    stats = {
        "passages": len(passages),
        "encoded": len(todo),
        "reused": len(passages) - len(todo),
        "seconds": round(time.perf_counter() - t0, 3),
    }
    return path, stats
