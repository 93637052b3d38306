"""How far one file may expand when read: decompressed bytes, characters, passages.

A 175 KB .docx can hold a document.xml of 51 MB (12 M characters, 557,056 passages, hours of
encoding, gigabytes of memory); a 1 MB one can hold a gigabyte of spaces. The limits are far above
any real policy document (the bundled ones have 4,000–10,000 characters and 23–160 passages) and
are checked while reading — a .docx is decompressed in blocks and given up as soon as it passes
the limit, before any XML is parsed — so a refused file costs little time and memory.

Example:
    >>> check_zip(open("bomb.docx", "rb").read())  # doctest: +SKIP
    Traceback (most recent call last):
    TooLarge: 解压后超过 20 MB 的文字内容（可能是“压缩炸弹”）
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

__all__ = ["LIMITS", "Limits", "TooLarge", "check_chars", "check_passages", "check_zip"]


@dataclass(frozen=True)
class Limits:
    """Per-file limits on what reading may produce."""

    max_expanded_bytes: int = 64 << 20  # all parts of a .docx, decompressed (images included)
    max_xml_bytes: int = 20 << 20  # its XML parts (the text), decompressed
    max_members: int = 10_000  # parts in the zip
    max_chars: int = 1_000_000  # characters of text
    max_passages: int = 5_000  # passages of one document


LIMITS = Limits()


class TooLarge(ValueError):
    """The file expands beyond a limit; the message says which, in words a user can act on."""


def _mb(n: int) -> str:
    return f"{n / (1 << 20):.0f} MB"


def check_zip(data: bytes, limits: Limits = LIMITS, block: int = 1 << 20) -> None:
    """Refuse a zip (a .docx) that decompresses beyond the limits, reading it block by block.

    The sizes a zip declares can lie, so every part is actually decompressed, at most `block`
    bytes at a time, and counted; nothing is kept.

    Raises:
        TooLarge: too many parts, or too many bytes once decompressed.
        zipfile.BadZipFile: not a zip (the caller reports it as a damaged file).
    """
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
        if len(infos) > limits.max_members:
            raise TooLarge(f"压缩包内文件过多（{len(infos)} 个 > {limits.max_members} 个）")
        total = xml = 0
        for info in infos:
            is_xml = info.filename.lower().endswith((".xml", ".rels"))
            with zf.open(info) as f:
                while chunk := f.read(block):
                    total += len(chunk)
                    xml += len(chunk) if is_xml else 0
                    if xml > limits.max_xml_bytes:
                        raise TooLarge(
                            f"解压后超过 {_mb(limits.max_xml_bytes)} 的文字内容（可能是“压缩炸弹”）"
                        )
                    if total > limits.max_expanded_bytes:
                        raise TooLarge(f"解压后超过 {_mb(limits.max_expanded_bytes)}（可能是“压缩炸弹”）")


def check_chars(n_chars: int, limits: Limits = LIMITS) -> None:
    """Raises TooLarge when a text has more characters than a document may."""
    if n_chars > limits.max_chars:
        raise TooLarge(f"文字过多（超过 {limits.max_chars:,} 字）")


def check_passages(n_passages: int, limits: Limits = LIMITS) -> None:
    """Raises TooLarge when a document cuts into more passages than one may have."""
    if n_passages > limits.max_passages:
        raise TooLarge(f"段落过多（{n_passages:,} 段 > {limits.max_passages:,} 段）")
