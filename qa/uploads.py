"""Adding a file to the corpus folder: checked with the ingestion readers, stored under a safe name.

Uploads are moved, never copied: `accept_upload` (`qa.ingest.accept`) moves the file out of its
temporary folder into the corpus, or deletes it when it is refused, so nothing is left behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from qa.ingest.accept import STAGING, accept_upload, safe_filename, withdraw

__all__ = ["MAX_UPLOAD_BYTES", "accept_upload", "safe_filename", "store_upload", "withdraw"]

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def store_upload(
    corpus_dir: str | Path, filename: str, data: bytes, *, max_bytes: int = MAX_UPLOAD_BYTES
) -> Path:
    """Check an uploaded file and store it in the corpus folder under a safe name.

    The file is read with the same readers as ingestion before it is stored, so a file that
    cannot be read is refused with the reason and never reaches the corpus. The bytes are written
    to a staging file inside the corpus folder first, which `accept_upload` moves in or deletes.

    Returns:
        The stored path.

    Raises:
        UnreadableFile: unsupported type, too large, empty, binary, encrypted, broken …
        OSError: the corpus folder refused the file (disk full, permissions).
    """
    root = Path(corpus_dir)
    (root / STAGING).mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=root / STAGING)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
    except OSError:  # a full disk: leave nothing half-written
        Path(tmp).unlink(missing_ok=True)
        raise
    return accept_upload(tmp, filename, root, max_bytes=max_bytes)
