"""The errors of the on-disk index, and how a failed build is told: disk full or not."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

from index.lock import IndexBusy

LOW_SPACE_BYTES = 4 << 20  # less free than this after a failed write: the disk was full


class IndexInvalid(Exception):
    """The index folder cannot be used as it is: missing, corrupt, or built with other settings."""


class IndexWriteError(OSError):
    """A build could not be written (its partial folder is already removed); the message says why,
    "磁盘空间不足" first when the disk was full (`errno` is then ENOSPC)."""


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
