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

A build is written to a fresh folder (``builds/.tmp-<build_id>.<pid>``) under the folder's build
lock (`index.lock`) and only then named in CURRENT, so a crash mid-build leaves the previous index
serving; a build that fails (a full disk …) removes its own folder and raises `IndexWriteError`.

Every byte that decides what is served is checked on load: CURRENT must be one well-formed build
id; the manifest is validated field by field and carries the sha256 of its own canonical form;
the list of files is the fixed `INDEX_FILES`, not whatever the manifest lists; each file's
checksum, the counts, and the documents listed against documents.jsonl must agree. A corrupt or
mismatched index raises `IndexInvalid` with a message that names what is wrong.

The manifest and CURRENT (schema, validation) are `index.manifest`; the JSON-lines rows are
`index.records`; the errors and the failure text of a build are `index.errors`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from core.types import Document, Passage
from index.bm25 import BM25Index
from index.dense import VectorIndex
from index.errors import IndexInvalid, _low_space, _write_error
from index.lock import pid_alive
from index.manifest import (
    FORMAT_VERSION,
    INDEX_FILES,
    PACKAGE_VERSION,
    Manifest,
    corpus_hash,
    current_build_id,
    manifest_checksum,
    read_current,
    read_manifest,
    sha256_file,
    valid_build_id,
)
from index.records import _doc_from_json, _doc_to_json, _passage_to_json, _read_jsonl, _write_jsonl

_TMP = re.compile(r"\.tmp-(?P<build_id>[^.]+)(?:\.(?P<pid>\d+))?")


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

    Call it holding the folder's `BuildLock` (`index.build.build_index` does): leftovers of
    abandoned builds are removed first, and on any failure the new folder is removed again.

    Returns:
        The folder of the new build.

    Raises:
        IndexWriteError: writing failed (disk full, permissions …); CURRENT still names the old build.
    """
    builds = index_dir / "builds"
    build_id = time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:6]
    tmp = builds / f".tmp-{build_id}.{os.getpid()}"
    final = builds / build_id
    try:
        builds.mkdir(parents=True, exist_ok=True)
        remove_abandoned(index_dir)
        tmp.mkdir()
        _write_files(
            tmp,
            build_id,
            documents=documents,
            passages=passages,
            bm25=bm25,
            passage_vecs=passage_vecs,
            sent_vecs=sent_vecs,
            sent_offsets=sent_offsets,
            embed_keys=embed_keys,
            encoder=encoder,
            analyzer=analyzer,
            user_words=user_words,
            chunking=chunking,
            ann_threshold=ann_threshold,
            build_seconds=build_seconds,
            fingerprint=fingerprint,
        )
        os.rename(tmp, final)
        _point_current(index_dir, build_id)
    except Exception as e:
        low = _low_space(index_dir)  # before the cleanup frees it again
        for p in (tmp, final):
            shutil.rmtree(p, ignore_errors=True)
        for p in index_dir.glob(".CURRENT.*"):
            p.unlink(missing_ok=True)
        raise _write_error(e, low) from e
    prune_builds(index_dir, keep={build_id, *_previous(index_dir, build_id)})
    return final


def _write_files(tmp: Path, build_id: str, **b) -> None:
    documents, passages, bm25 = b["documents"], b["passages"], b["bm25"]
    _write_jsonl(tmp / "documents.jsonl", (_doc_to_json(d) for d in documents))
    _write_jsonl(tmp / "passages.jsonl", (_passage_to_json(p) for p in passages))
    w = bm25.weights.tocsc()
    np.savez(tmp / "bm25.npz", data=w.data, indices=w.indices, indptr=w.indptr, shape=np.array(w.shape))
    (tmp / "vocab.json").write_text(json.dumps(bm25.vocab, ensure_ascii=False), encoding="utf-8")
    np.save(tmp / "passage_vecs.npy", b["passage_vecs"].astype(np.float32), allow_pickle=False)
    np.save(tmp / "sent_vecs.npy", b["sent_vecs"].astype(np.float32), allow_pickle=False)
    np.save(tmp / "sent_offsets.npy", b["sent_offsets"].astype(np.int64), allow_pickle=False)
    (tmp / "embed_keys.json").write_text(json.dumps(b["embed_keys"]), encoding="utf-8")
    pidx = VectorIndex.build(b["passage_vecs"], b["ann_threshold"])
    sidx = VectorIndex.build(b["sent_vecs"], b["ann_threshold"])
    pidx.save(str(tmp / "passages.faiss"))
    sidx.save(str(tmp / "sentences.faiss"))
    files = {p.name: sha256_file(p) for p in sorted(tmp.iterdir())}
    manifest = Manifest(
        format_version=FORMAT_VERSION,
        package_version=PACKAGE_VERSION,
        build_id=build_id,
        build_time=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        build_seconds=round(b["build_seconds"], 3),
        encoder=b["encoder"],
        analyzer=b["analyzer"],
        user_words=list(b["user_words"] or []),
        bm25={"k1": bm25.k1, "b": bm25.b, "epsilon": 0.25},
        chunking=b["chunking"],
        ann={"passages": pidx.kind, "sentences": sidx.kind, "threshold": b["ann_threshold"]},
        corpus_hash=corpus_hash([(d.doc_id, d.sha256) for d in documents]),
        fingerprint=b["fingerprint"],
        documents=[{"doc_id": d.doc_id, "sha256": d.sha256, "path": d.path} for d in documents],
        counts={"documents": len(documents), "passages": len(passages), "sentences": len(b["sent_vecs"])},
        files=files,
    )
    data = json.loads(json.dumps(asdict(manifest)))  # the checksum is of what a reader will parse
    data["checksum"] = manifest_checksum(data)
    (tmp / "manifest.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    _fsync_dir(tmp)


def _fsync_dir(path: Path) -> None:
    for p in path.iterdir():
        with p.open("rb") as f:
            os.fsync(f.fileno())


def _write_small(path: Path, text: str) -> None:
    """Write a small file atomically (temporary name, fsync, rename)."""
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex[:6]}"
    try:
        with tmp.open("w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _point_current(index_dir: Path, build_id: str) -> None:
    tmp = index_dir / f".CURRENT.{uuid.uuid4().hex[:6]}"
    tmp.write_text(build_id + "\n", encoding="utf-8")
    with tmp.open("rb") as f:
        os.fsync(f.fileno())
    prev = valid_build_id(current_build_id(index_dir))
    if prev and prev != build_id:
        _write_small(index_dir / "PREVIOUS", prev + "\n")
    os.replace(tmp, index_dir / "CURRENT")


def _previous(index_dir: Path, build_id: str) -> set[str]:
    p = index_dir / "PREVIOUS"
    if p.exists():
        prev = valid_build_id(p.read_bytes().decode("utf-8", errors="replace").strip())
        if prev and prev != build_id:
            return {prev}
    return set()


def remove_abandoned(index_dir: Path) -> list[Path]:
    """Remove `.tmp-` folders of builds that are provably abandoned; returns what was removed.

    Call it holding the build lock. A folder named with the id of a live process other than this
    one belongs to a writer that is still running and stays; ours (left by an earlier failure in
    this process, which holds the lock now), those of dead processes and unnamed ones go.
    """
    builds = index_dir / "builds"
    removed = []
    for p in builds.glob(".tmp-*") if builds.exists() else ():
        m = _TMP.fullmatch(p.name)
        pid = int(m["pid"]) if m and m["pid"] else None
        if pid is not None and pid != os.getpid() and pid_alive(pid):
            continue
        shutil.rmtree(p, ignore_errors=True)
        removed.append(p)
    for p in index_dir.glob(".CURRENT.*"):
        p.unlink(missing_ok=True)
    return removed


def prune_builds(index_dir: Path, keep: set[str]) -> None:
    """Delete complete builds other than `keep`, and leftovers of abandoned builds (hold the lock)."""
    builds = index_dir / "builds"
    if not builds.exists():
        return
    for p in builds.iterdir():
        if not p.name.startswith(".tmp-") and p.name not in keep:
            shutil.rmtree(p, ignore_errors=True)
    remove_abandoned(index_dir)


# --- loading ---------------------------------------------------------------------------------------


def load_build(index_dir: Path, build_id: str | None = None) -> StoredIndex:
    """Load and verify a build (CURRENT by default).

    Raises:
        IndexInvalid: no index, a damaged CURRENT or manifest, a missing or corrupt file (checksum
            mismatch), files that disagree with each other, or an unknown format.
    """
    if build_id is None:
        build_id = read_current(index_dir)
    build = index_dir / "builds" / build_id
    if not build.is_dir():
        raise IndexInvalid(f"CURRENT 指向的索引 {build_id} 不存在")
    manifest = read_manifest(build)
    for name in INDEX_FILES:
        f = build / name
        if not f.exists():
            raise IndexInvalid(f"索引文件缺失：{name}")
        if sha256_file(f) != manifest.files[name]:
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
    except (OSError, ValueError, KeyError, TypeError, json.JSONDecodeError, RuntimeError) as e:
        raise IndexInvalid(f"索引无法读取：{type(e).__name__}: {e}") from e
    if (
        not (len(passages) == len(pv) == len(so) - 1 == bm25.n_docs == pidx.index.ntotal)
        or len(sv) != sidx.index.ntotal
    ):
        raise IndexInvalid("索引各文件的条目数不一致")
    listed = [(d["doc_id"], d["sha256"], d["path"]) for d in manifest.documents]
    if listed != [(d.doc_id, d.sha256, d.path) for d in documents] or manifest.counts != {
        "documents": len(documents),
        "passages": len(passages),
        "sentences": len(sv),
    }:
        raise IndexInvalid("索引清单 manifest.json 与 documents.jsonl 不符（文档、校验和或条目数）")
    if manifest.corpus_hash != corpus_hash([(d.doc_id, d.sha256) for d in documents]):
        raise IndexInvalid("索引清单 manifest.json 的 corpus_hash 与文档不符")
    if manifest.checksum != manifest_checksum(asdict(manifest)):
        raise IndexInvalid("索引清单 manifest.json 已损坏（校验和不符）")
    return StoredIndex(manifest, documents, passages, bm25, pv, sv, so, keys, pidx, sidx, build)
