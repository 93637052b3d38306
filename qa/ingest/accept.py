"""Accepting an uploaded file into the corpus folder: checked, then moved in — or deleted.

An upload arrives as a file in a temporary folder (Gradio's cache, or a staging file the engine
writes). `accept_upload` moves it under a safe name into the corpus when it can be read, and
deletes it when it is refused, so nothing is left behind in the temporary folder either way.

Example:
    >>> accept_upload("/tmp/gradio/ab12/通知.docx", "通知.docx", "corpus")  # doctest: +SKIP
    PosixPath('corpus/通知.docx')
"""

from __future__ import annotations

import contextlib
import filecmp
import os
import re
import shutil
import unicodedata
import uuid
from pathlib import Path

from qa.ingest.clean import clean
from qa.ingest.readers import MAX_FILE_BYTES, SUPPORTED_SUFFIXES, UnreadableFile, read_text

__all__ = ["STAGING", "accept_upload", "safe_filename", "withdraw"]

STAGING = ".uploads"  # hidden folder inside the corpus: ingestion never reads it


def safe_filename(name: str) -> str:
    """A file name safe to store: no folders, no leading dots, only word characters, CJK, - _ . and ( )."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFKC", base)
    base = re.sub(r"[^\w\u4e00-\u9fff.()（）\-]+", "_", base).lstrip("._") or "upload"
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        return base[:100]
    return f"{stem[:100]}.{suffix[:10]}"


def accept_upload(
    src: str | os.PathLike[str],
    name: str,
    corpus_dir: str | os.PathLike[str],
    *,
    max_bytes: int = MAX_FILE_BYTES,
    tidy_parent: bool = False,
) -> Path:
    """Check an uploaded file and move it into the corpus folder under a safe name.

    The file is read with the ingestion readers (bounded: see `qa.ingest.limits`) before it is
    stored, so a file that cannot be read never reaches the corpus. `src` is gone afterwards:
    moved into the corpus, or deleted.

    Args:
        src: the uploaded file (consumed).
        name: the name the user gave it (sanitised here).
        corpus_dir: the corpus folder.
        max_bytes: larger files are refused before they are read.
        tidy_parent: also remove `src`'s folder when it is left empty (Gradio makes one per upload).

    Returns:
        The stored path.

    Raises:
        UnreadableFile: unsupported type, too large, empty, binary, a decompression bomb, a copy …
        OSError: the corpus folder refused the file (disk full, permissions).
    """
    src = Path(src)
    root = Path(corpus_dir)
    name = safe_filename(name)
    staged = root / STAGING / uuid.uuid4().hex / name
    try:
        suffix = Path(name).suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            raise UnreadableFile(
                name,
                f"不支持的文件类型 {suffix or '(无扩展名)'}；支持：{'、'.join(sorted(SUPPORTED_SUFFIXES))}",
            )
        try:
            size = src.stat().st_size
        except FileNotFoundError:
            raise UnreadableFile(name, "上传的文件不存在") from None
        if size > max_bytes:
            raise UnreadableFile(name, f"文件过大 ({size / 1e6:.1f} MB > {max_bytes / 1e6:.0f} MB)")
        staged.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(src, staged)
        text = read_text(staged, max_bytes=max_bytes)
        if not clean(text).lines:
            raise UnreadableFile(name, "清理后没有正文")
        target = root / name
        stem, n = target.stem, 2
        while target.exists():
            if filecmp.cmp(staged, target, shallow=False):
                raise UnreadableFile(name, f"与已有文件 {target.name} 内容相同")
            target = root / f"{stem}-{n}{suffix}"
            n += 1
        os.replace(staged, target)
        return target
    finally:
        src.unlink(missing_ok=True)
        shutil.rmtree(staged.parent, ignore_errors=True)
        if tidy_parent:
            with contextlib.suppress(OSError):
                src.parent.rmdir()  # only when empty


def withdraw(stored: list[Path]) -> list[str]:
    """Delete files `accept_upload` stored (their index build failed); returns the names removed."""
    names = []
    for p in stored:
        try:
            p.unlink()
        except FileNotFoundError:
            continue
        names.append(p.name)
    return names
