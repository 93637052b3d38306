"""The index on disk: a folder of plain files plus a manifest, swapped in atomically.

Layout::

    <index_dir>/CURRENT                 name of the build in use (replaced atomically)
    <index_dir>/builds/<build_id>/
        manifest.json                   versions, encoder, analyzer, BM25 parameters, corpus hash,
                                        build time, and the sha256 of every file below
        documents.jsonl  passages.jsonl
        bm25.npz  vocab.json            CSC weight matrix (no pickle) and its vocabulary
        passage_vecs.npy  sent_vecs.npy  sent_offsets.npy  embed_keys.json
        passages.faiss  sentences.faiss

A build is written to a fresh folder and only then named in CURRENT, so a crash mid-build
leaves the previous index serving. Loading verifies every checksum; a corrupt or mismatched
index raises IndexError-like `IndexInvalid` with a message that says what is wrong.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from core.types import DocMeta, Document, Passage, Removal
from index.bm25 import BM25Index
from index.dense import VectorIndex

FORMAT_VERSION = 2
PACKAGE_VERSION = "0.1.0"


class IndexInvalid(Exception):
    """The index folder cannot be used as it is: missing, corrupt, or built with other settings."""


@dataclass(frozen=True)
class Manifest:
    format_version: int
    package_version: str
    build_id: str
    build_time: str
    build_seconds: float
    encoder: dict
    analyzer: str
    user_words: list[str]
    bm25: dict
    chunking: dict
    ann: dict
    corpus_hash: str
    fingerprint: str
    documents: list[dict]
    counts: dict
    files: dict[str, str]


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def corpus_hash(docs: list[tuple[str, str]]) -> str:
    """Hash of the sorted (doc_id, sha256) pairs: equal when and only when the corpus is unchanged."""
    h = hashlib.sha256()
    for doc_id, sha in sorted(docs):
        h.update(f"{doc_id}\t{sha}\n".encode())
    return h.hexdigest()


# --- documents and passages as JSON lines ---------------------------------------------------------


def _doc_to_json(d: Document) -> dict:
    return {
        "doc_id": d.doc_id,
        "path": d.path,
        "text": d.text,
        "meta": asdict(d.meta),
        "removed": [asdict(r) for r in d.removed],
        "sha256": d.sha256,
    }


def _doc_from_json(o: dict) -> Document:
    return Document(
        o["doc_id"],
        o["path"],
        o["text"],
        DocMeta(**o["meta"]),
        tuple(Removal(**r) for r in o["removed"]),
        o["sha256"],
    )


def _passage_to_json(p: Passage) -> dict:
    return {
        "pid": p.pid,
        "doc_id": p.doc_id,
        "start": p.start,
        "end": p.end,
        "section": list(p.section),
        "kind": p.kind,
    }


def _write_jsonl(path: Path, rows) -> None:
    with path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


# --- the stored index -------------------------------------------------------------------------------


@dataclass
class StoredIndex:
    """Everything a build holds, in memory."""

    manifest: Manifest
    documents: list[Document]
    passages: list[Passage]
    bm25: BM25Index
    passage_vecs: np.ndarray
    sent_vecs: np.ndarray
    sent_offsets: np.ndarray  # passage i owns sentences sent_offsets[i]:sent_offsets[i+1]
    embed_keys: list[str]  # sha of the text each passage vector was made from (for reuse)
    passage_index: VectorIndex
    sentence_index: VectorIndex
    path: Path


def write_build(
    index_dir: Path,
    *,
    documents: list[Document],
    passages: list[Passage],
    bm25: BM25Index,
    passage_vecs: np.ndarray,
    sent_vecs: np.ndarray,
    sent_offsets: np.ndarray,
    embed_keys: list[str],
    encoder: dict,
    analyzer: str,
    user_words: list[str] | None = None,
    chunking: dict,
    ann_threshold: int,
    build_seconds: float,
    fingerprint: str = "",
) -> Path:
    """Write a complete build into a new folder, then point CURRENT at it (atomic rename).

    Returns:
        The folder of the new build.
    """
    builds = index_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    build_id = time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:6]
    tmp = builds / f".tmp-{build_id}"
    tmp.mkdir()
    _write_jsonl(tmp / "documents.jsonl", (_doc_to_json(d) for d in documents))
    _write_jsonl(tmp / "passages.jsonl", (_passage_to_json(p) for p in passages))
    w = bm25.weights.tocsc()
    np.savez(tmp / "bm25.npz", data=w.data, indices=w.indices, indptr=w.indptr, shape=np.array(w.shape))
    (tmp / "vocab.json").write_text(json.dumps(bm25.vocab, ensure_ascii=False), encoding="utf-8")
    np.save(tmp / "passage_vecs.npy", passage_vecs.astype(np.float32), allow_pickle=False)
    np.save(tmp / "sent_vecs.npy", sent_vecs.astype(np.float32), allow_pickle=False)
    np.save(tmp / "sent_offsets.npy", sent_offsets.astype(np.int64), allow_pickle=False)
    (tmp / "embed_keys.json").write_text(json.dumps(embed_keys), encoding="utf-8")
    pidx = VectorIndex.build(passage_vecs, ann_threshold)
    sidx = VectorIndex.build(sent_vecs, ann_threshold)
    pidx.save(str(tmp / "passages.faiss"))
    sidx.save(str(tmp / "sentences.faiss"))
    files = {p.name: sha256_file(p) for p in sorted(tmp.iterdir())}
    manifest = Manifest(
        format_version=FORMAT_VERSION,
        package_version=PACKAGE_VERSION,
        build_id=build_id,
        build_time=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        build_seconds=round(build_seconds, 3),
        encoder=encoder,
        analyzer=analyzer,
        user_words=list(user_words or []),
        bm25={"k1": bm25.k1, "b": bm25.b, "epsilon": 0.25},
        chunking=chunking,
        ann={"passages": pidx.kind, "sentences": sidx.kind, "threshold": ann_threshold},
        corpus_hash=corpus_hash([(d.doc_id, d.sha256) for d in documents]),
        fingerprint=fingerprint,
        documents=[{"doc_id": d.doc_id, "sha256": d.sha256, "path": d.path} for d in documents],
        counts={"documents": len(documents), "passages": len(passages), "sentences": len(sent_vecs)},
        files=files,
    )
    (tmp / "manifest.json").write_text(
        json.dumps(asdict(manifest), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    _fsync_dir(tmp)
    final = builds / build_id
    os.rename(tmp, final)
    _point_current(index_dir, build_id)
    prune_builds(index_dir, keep={build_id, *_previous(index_dir, build_id)})
    return final


def _fsync_dir(path: Path) -> None:
    for p in path.iterdir():
        with p.open("rb") as f:
            os.fsync(f.fileno())


def _point_current(index_dir: Path, build_id: str) -> None:
    tmp = index_dir / f".CURRENT.{uuid.uuid4().hex[:6]}"
    tmp.write_text(build_id + "\n", encoding="utf-8")
    with tmp.open("rb") as f:
        os.fsync(f.fileno())
    prev = current_build_id(index_dir)
    if prev and prev != build_id:
        (index_dir / "PREVIOUS").write_text(prev + "\n", encoding="utf-8")
    os.replace(tmp, index_dir / "CURRENT")


def _previous(index_dir: Path, build_id: str) -> set[str]:
    p = index_dir / "PREVIOUS"
    if p.exists():
        prev = p.read_text(encoding="utf-8").strip()
        if prev and prev != build_id:
            return {prev}
    return set()


def current_build_id(index_dir: Path) -> str | None:
    p = index_dir / "CURRENT"
    if not p.exists():
        return None
    value = p.read_text(encoding="utf-8").strip()
    return value or None


def prune_builds(index_dir: Path, keep: set[str]) -> None:
    """Delete builds other than `keep`, and leftovers of interrupted builds."""
    builds = index_dir / "builds"
    if not builds.exists():
        return
    for p in builds.iterdir():
        if p.name not in keep:
            shutil.rmtree(p, ignore_errors=True)
    for p in index_dir.glob(".CURRENT.*"):
        p.unlink(missing_ok=True)


def read_manifest(build: Path) -> Manifest:
    path = build / "manifest.json"
    if not path.exists():
        raise IndexInvalid(f"索引不完整：{build} 缺少 manifest.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise IndexInvalid(f"索引清单 manifest.json 已损坏：{e}") from e
    if not isinstance(data, dict) or data.get("format_version") != FORMAT_VERSION:
        found = data.get("format_version") if isinstance(data, dict) else None
        raise IndexInvalid(f"索引格式版本 {found} 与程序的 {FORMAT_VERSION} 不符")
    try:
        return Manifest(**data)
    except TypeError as e:
        raise IndexInvalid(f"索引清单 manifest.json 已损坏：{e}") from e


def load_build(index_dir: Path, build_id: str | None = None) -> StoredIndex:
    """Load and verify a build (CURRENT by default).

    Raises:
        IndexInvalid: no index, a missing or corrupt file (checksum mismatch), or an unknown format.
    """
    build_id = build_id or current_build_id(index_dir)
    if build_id is None:
        raise IndexInvalid(f"{index_dir} 中还没有索引")
    build = index_dir / "builds" / build_id
    if not build.is_dir():
        raise IndexInvalid(f"CURRENT 指向的索引 {build_id} 不存在")
    manifest = read_manifest(build)
    for name, sha in manifest.files.items():
        f = build / name
        if not f.exists():
            raise IndexInvalid(f"索引文件缺失：{name}")
        if sha256_file(f) != sha:
            raise IndexInvalid(f"索引文件已损坏（校验和不符）：{name}")
    try:
        documents = [_doc_from_json(o) for o in _read_jsonl(build / "documents.jsonl")]
        texts = {d.doc_id: d.text for d in documents}
        passages = [
            Passage(
                o["pid"],
                o["doc_id"],
                o["start"],
                o["end"],
                texts[o["doc_id"]][o["start"] : o["end"]],
                tuple(o["section"]),
                o["kind"],
            )
            for o in _read_jsonl(build / "passages.jsonl")
        ]
        z = np.load(build / "bm25.npz", allow_pickle=False)
        weights = sparse.csc_matrix((z["data"], z["indices"], z["indptr"]), shape=tuple(z["shape"]))
        vocab = json.loads((build / "vocab.json").read_text(encoding="utf-8"))
        bm25 = BM25Index(weights, vocab, manifest.bm25["k1"], manifest.bm25["b"])
        pv = np.load(build / "passage_vecs.npy", allow_pickle=False)
        sv = np.load(build / "sent_vecs.npy", allow_pickle=False)
        so = np.load(build / "sent_offsets.npy", allow_pickle=False)
        keys = json.loads((build / "embed_keys.json").read_text(encoding="utf-8"))
        pidx = VectorIndex.load(str(build / "passages.faiss"), manifest.ann["passages"])
        sidx = VectorIndex.load(str(build / "sentences.faiss"), manifest.ann["sentences"])
    except (OSError, ValueError, KeyError, json.JSONDecodeError, RuntimeError) as e:
        raise IndexInvalid(f"索引无法读取：{type(e).__name__}: {e}") from e
    if (
        not (len(passages) == len(pv) == len(so) - 1 == bm25.n_docs == pidx.index.ntotal)
        or len(sv) != sidx.index.ntotal
    ):
        raise IndexInvalid("索引各文件的条目数不一致")
    return StoredIndex(manifest, documents, passages, bm25, pv, sv, so, keys, pidx, sidx, build)
