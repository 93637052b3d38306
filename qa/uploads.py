"""Adding a file to the corpus folder: checked with the ingestion readers, stored under a safe name."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from qa.ingest.clean import clean
from qa.ingest.readers import SUPPORTED_SUFFIXES, UnreadableFile, read_text

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def store_upload(
    corpus_dir: str | Path, filename: str, data: bytes, *, max_bytes: int = MAX_UPLOAD_BYTES
) -> Path:
    """Check an uploaded file and store it in the corpus folder under a safe name.

    The file is read with the same readers as ingestion before it is stored, so a file that
    cannot be read is refused with the reason and never reaches the corpus.

    Returns:
        The stored path.

    Raises:
        UnreadableFile: unsupported type, too large, empty, binary, encrypted, broken …
    """
    name = safe_filename(filename)
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableFile(
            name,
            f"不支持的文件类型 {suffix or '(无扩展名)'}；支持：{'、'.join(sorted(SUPPORTED_SUFFIXES))}",
        )
    if len(data) > max_bytes:
        raise UnreadableFile(name, f"文件过大 ({len(data) / 1e6:.1f} MB > {max_bytes / 1e6:.0f} MB)")
    root = Path(corpus_dir)
    root.mkdir(parents=True, exist_ok=True)
    staging = root / ".uploads"
    staging.mkdir(exist_ok=True)
    tmp = staging / name
    tmp.write_bytes(data)
    try:
        text = read_text(tmp, max_bytes=max_bytes)
        if not clean(text).lines:
            raise UnreadableFile(name, "清理后没有正文")
        target = root / name
        stem, n = target.stem, 2
        while target.exists():
            if target.read_bytes() == data:
                raise UnreadableFile(name, f"与已有文件 {target.name} 内容相同")
            target = root / f"{stem}-{n}{suffix}"
            n += 1
        tmp.replace(target)
        return target
    finally:
        tmp.unlink(missing_ok=True)


def safe_filename(name: str) -> str:
    """A file name safe to store: no folders, no leading dots, only word characters, CJK, - _ . and ( )."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFKC", base)
    base = re.sub(r"[^\w\u4e00-\u9fff.()（）\-]+", "_", base).lstrip("._") or "upload"
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        return base[:100]
    return f"{stem[:100]}.{suffix[:10]}"
