"""Why a file cannot be read: `UnreadableFile` for callers, `_Refusal` inside the readers."""

from __future__ import annotations

import os
from pathlib import Path


class UnreadableFile(Exception):
    """A file that cannot be turned into text, with a short reason a user can act on.

    Reasons are short Chinese phrases, e.g. "文件为空", "PDF 已加密", "文件过大 (25.3 MB > 20 MB)".

    Attributes:
        path: The path as given.
        reason: Why the file was refused.
    """

    def __init__(self, path: str | os.PathLike[str], reason: str):
        self.path = os.fspath(path)
        self.reason = reason
        super().__init__(self.path, reason)

    def __str__(self) -> str:
        return f"{Path(self.path).name}: {self.reason}"


class _Refusal(Exception):
    """Raised by the bytes-to-text readers; `read_text` adds the path."""


def _describe(exc: BaseException) -> str:
    """What the reading library said, marked as technical detail after the Chinese reason."""
    message = str(exc).strip()
    detail = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return f"（技术信息：{detail}）"
