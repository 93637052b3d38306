"""The typed records of PolicyQA, re-exported from `core.types` (where `index/` can reach them too)."""

from __future__ import annotations

from core.types import Answer, Citation, DocMeta, Document, Hit, Passage, Removal, stable_id

__all__ = ["Answer", "Citation", "DocMeta", "Document", "Hit", "Passage", "Removal", "stable_id"]
