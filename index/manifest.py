"""The manifest and CURRENT of an index build: their schema, checksums and validation.

CURRENT names the build in use; it must be one well-formed build id. A build's manifest.json is
validated field by field and carries the sha256 of its own canonical form; the list of files is
the fixed `INDEX_FILES`, not whatever the manifest lists. A damaged CURRENT or manifest raises
`IndexInvalid` with a message that names what is wrong.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from index.errors import IndexInvalid

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
_SHA256 = re.compile(r"[0-9a-f]{64}")


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


def valid_build_id(value: str | None) -> str | None:
    """`value` when it is a well-formed build id (20240101-120000-a1b2c3), else None."""
    return value if value and BUILD_ID.fullmatch(value) else None


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
