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
"""

from __future__ import annotations

import errno
import hashlib
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

from core.types import DocMeta, Document, Passage, Removal
from index.bm25 import BM25Index
from index.dense import VectorIndex
from index.lock import IndexBusy, pid_alive

FORMAT_VERSION = 3  # 3: the manifest carries its own checksum; CURRENT and manifest validated
PACKAGE_VERSION = "0.1.0"
# The files of a build besides manifest.json: derived from the format, never read from the manifest.
INDEX_FILES = (
    "bm25.npz",
    "documents.jsonl",
    "embed_keys.json",
    "passage_vecs.npy",
    "passages.faiss",
    "passages.jsonl",
    "sent_offsets.npy",
    "sent_vecs.npy",
    "sentences.faiss",
    "vocab.json",
)
BUILD_ID = re.compile(r"\d{8}-\d{6}-[0-9a-f]{6}")
_TMP = re.compile(r"\.tmp-(?P<build_id>[^.]+)(?:\.(?P<pid>\d+))?")
_SHA256 = re.compile(r"[0-9a-f]{64}")
LOW_SPACE_BYTES = 4 << 20  # less free than this after a failed write: the disk was full


class IndexInvalid(Exception):
    """The index folder cannot be used as it is: missing, corrupt, or built with other settings."""


class IndexWriteError(OSError):
    """A build could not be written (its partial folder is already removed); the message says why,
    "磁盘空间不足" first when the disk was full (`errno` is then ENOSPC)."""


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
    checksum: str = ""  # sha256 of the manifest's canonical JSON without this field


def manifest_checksum(data: dict) -> str:
    """sha256 of a manifest's fields (all but "checksum"), as sorted compact JSON."""
    body = {k: v for k, v in data.items() if k != "checksum"}
    canon = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()


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


def _low_space(index_dir: Path) -> bool:
    try:
        return shutil.disk_usage(index_dir).free < LOW_SPACE_BYTES
    except OSError:
        return False


def is_disk_full(exc: BaseException, low_space: bool = False) -> bool:
    """Whether a failed write means the disk (or quota) was full.

    numpy reports a short write as ``OSError: 8192 requested and 0 written`` with no errno, and
    faiss as a RuntimeError, so a failure with almost no free space left counts too.
    """
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    text = str(exc)
    return low_space or ("requested and" in text and "written" in text) or "No space left" in text


def _write_error(exc: BaseException, low_space: bool) -> IndexWriteError:
    if isinstance(exc, IndexWriteError):
        return exc
    detail = f"{type(exc).__name__}: {exc}"
    if is_disk_full(exc, low_space):
        err = IndexWriteError(f"磁盘空间不足，索引没有写完（{detail}）")
        err.errno = errno.ENOSPC
        return err
    err = IndexWriteError(f"写入索引失败（{detail}）")
    err.errno = getattr(exc, "errno", None)
    return err


def failure_text(exc: BaseException) -> str:
    """One plain line for a failed build: the message of our own errors, else the class and message."""
    if isinstance(exc, (IndexWriteError, IndexBusy, IndexInvalid)):
        return str(exc)
    if is_disk_full(exc):
        return f"磁盘空间不足（{type(exc).__name__}: {exc}）"
    return f"{type(exc).__name__}: {exc}"


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


def valid_build_id(value: str | None) -> str | None:
    """`value` when it is a well-formed build id (20240101-120000-a1b2c3), else None."""
    return value if value and BUILD_ID.fullmatch(value) else None


def _previous(index_dir: Path, build_id: str) -> set[str]:
    p = index_dir / "PREVIOUS"
    if p.exists():
        prev = valid_build_id(p.read_bytes().decode("utf-8", errors="replace").strip())
        if prev and prev != build_id:
            return {prev}
    return set()


def current_build_id(index_dir: Path) -> str | None:
    """What CURRENT says (None when there is no CURRENT): not validated, see `read_current`."""
    p = index_dir / "CURRENT"
    try:
        value = p.read_bytes().decode("utf-8", errors="replace").strip()
    except FileNotFoundError:
        return None
    return value or None


def read_current(index_dir: Path) -> str:
    """The build id CURRENT names, checked: strict UTF-8, one line, the build id pattern.

    Raises:
        IndexInvalid: no CURRENT, or one that is damaged (named as such in the message).
    """
    p = index_dir / "CURRENT"
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise IndexInvalid(f"{index_dir} 中还没有索引") from None
    try:
        value = raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise IndexInvalid(f"CURRENT 已损坏（不是有效的文字：{raw[:40]!r}）") from None
    if not value:
        raise IndexInvalid(f"{index_dir} 中还没有索引")
    if not BUILD_ID.fullmatch(value):
        raise IndexInvalid(f"CURRENT 已损坏（不是索引编号：{value[:40]!r}）")
    return value


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


# --- verification -----------------------------------------------------------------------------------


def _is_str(x) -> bool:
    return isinstance(x, str)


def _is_int(x) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _is_num(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _is_sha(x) -> bool:
    return isinstance(x, str) and bool(_SHA256.fullmatch(x))


def _dict_of(**checks):
    def check(x) -> bool:
        return isinstance(x, dict) and all(k in x and ok(x[k]) for k, ok in checks.items())

    return check


def _list_of(ok):
    return lambda x: isinstance(x, list) and all(ok(v) for v in x)


_SCHEMA = {
    "format_version": _is_int,
    "package_version": _is_str,
    "build_id": lambda x: valid_build_id(x) is not None,
    "build_time": _is_str,
    "build_seconds": _is_num,
    "encoder": _dict_of(id=_is_str, dim=lambda x: _is_int(x) and x > 0),
    "analyzer": _is_str,
    "user_words": _list_of(_is_str),
    "bm25": _dict_of(k1=_is_num, b=_is_num),
    "chunking": lambda x: isinstance(x, dict),
    "ann": _dict_of(passages=lambda x: x in ("flat", "hnsw"), sentences=lambda x: x in ("flat", "hnsw")),
    "corpus_hash": _is_sha,
    "fingerprint": _is_str,
    "documents": _list_of(_dict_of(doc_id=_is_str, sha256=_is_sha, path=_is_str)),
    "counts": _dict_of(documents=_is_int, passages=_is_int, sentences=_is_int),
    "files": lambda x: isinstance(x, dict) and all(_is_str(k) and _is_sha(v) for k, v in x.items()),
    "checksum": _is_sha,
}


def manifest_problems(data: dict) -> list[str]:
    """Fields of a (parsed) manifest that are missing or of the wrong shape; [] when it is sound.

    Example:
        >>> manifest_problems({"format_version": 3})[:2]
        ['package_version', 'build_id']
    """
    bad = [k for k, ok in _SCHEMA.items() if k not in data or not ok(data[k])]
    bad += sorted(set(data) - set(_SCHEMA))
    if "files" not in bad and isinstance(data.get("files"), dict) and set(data["files"]) != set(INDEX_FILES):
        bad.append("files")
    return bad


def read_manifest(build: Path) -> Manifest:
    path = build / "manifest.json"
    if not path.exists():
        raise IndexInvalid(f"索引不完整：{build} 缺少 manifest.json")
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise IndexInvalid(f"索引清单 manifest.json 已损坏：{e}") from e
    if not isinstance(data, dict) or data.get("format_version") != FORMAT_VERSION:
        found = data.get("format_version") if isinstance(data, dict) else None
        raise IndexInvalid(f"索引格式版本 {found} 与程序的 {FORMAT_VERSION} 不符")
    bad = manifest_problems(data)
    if bad:
        raise IndexInvalid(f"索引清单 manifest.json 已损坏（字段不符：{'、'.join(bad)}）")
    return Manifest(**data)


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
