"""PDF files as text, page by page: encrypted, image-only and damaged files refused with a reason."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

from qa.ingest.encoding import _normalise_newlines
from qa.ingest.limits import TooLarge, check_chars
from qa.ingest.refusal import _describe, _Refusal

if TYPE_CHECKING:
    from pypdf import PdfReader

_PDF_JUNK = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _read_pdf(data: bytes) -> str:
    from pypdf import PdfReader

    if b"%PDF-" not in data[:1024]:
        raise _Refusal("PDF 已损坏: 不是 PDF 文件（没有 %PDF 文件头）")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _pdf_unlock(reader):
            raise _Refusal("PDF 已加密")
        pages = reader.pages
        n_pages = len(pages)
    except _Refusal:
        raise
    except Exception as exc:
        raise _Refusal(f"PDF 已损坏，无法读取{_describe(exc)}") from exc
    if n_pages == 0:
        raise _Refusal("PDF 已损坏: 没有页面")
    texts, errors = [], []
    n_chars = 0
    for page in pages:
        try:
            text = page.extract_text() or ""
        except Exception as exc:  # one bad page should not cost the others
            errors.append(exc)
            continue
        # Some CID-font PDFs extract with NULs between characters; drop all such controls.
        text = _PDF_JUNK.sub("", _normalise_newlines(text)).strip()
        if text:
            texts.append(text)
            n_chars += len(text)
            try:
                check_chars(n_chars)  # page by page: stop reading as soon as it is too much
            except TooLarge as exc:
                raise _Refusal(str(exc)) from None
    if texts:
        return "\n\n".join(texts)
    if errors:
        raise _Refusal(f"PDF 已损坏，无法读取{_describe(errors[0])}")
    raise _Refusal("PDF 没有文字层（可能是扫描件）")


def _pdf_unlock(reader: PdfReader) -> bool:
    """Whether an encrypted PDF opens with the empty password (permissions-only encryption)."""
    try:
        return bool(reader.decrypt(""))
    except Exception:
        return False
