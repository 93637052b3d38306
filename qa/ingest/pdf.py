"""PDF files as text, page by page: encrypted, image-only and damaged files refused with a reason."""

from __future__ import annotations

import io
import re
from collections import Counter
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
        return reflow("\n\n".join(drop_running_lines(texts)))
    if errors:
        raise _Refusal(f"PDF 已损坏，无法读取{_describe(errors[0])}")
    raise _Refusal("PDF 没有文字层（可能是扫描件）")


_DIGITS = re.compile(r"\d+")


def _page_key(line: str) -> str:
    """A page's line with its numbers masked: the same running line on every page (第 3 页 ↔ 第 4 页)."""
    return _DIGITS.sub("#", line.strip())


def drop_running_lines(pages: list[str], share: float = 0.5, min_pages: int = 3) -> list[str]:
    r"""The pages without their running header and footer: a line that stands first (or last) on at
    least `share` of the pages (its page number aside) is the book's, not the text's — a handbook's
    “杭州电子科技大学信息工程学院 2025 学生手册” over each of its 176 pages. The first page keeps it
    (on a cover it is the title).

    Example:
        >>> drop_running_lines(["手册\n封面", "手册\n第一条 …", "手册\n第二条 …\n- 2 -", "手册\n第三条 …"])
        ['手册\n封面', '第一条 …', '第二条 …\n- 2 -', '第三条 …']
    """
    if len(pages) < min_pages:
        return pages
    split = [[x for x in page.split("\n") if x.strip()] for page in pages]
    running = set()
    for at in (0, -1):
        counts = Counter(_page_key(lines[at]) for lines in split if lines)
        running |= {
            k
            for k, n in counts.items()
            if n >= max(min_pages, share * len(pages)) and not _PAGE_NO.match(k.replace("#", "1"))
        }
    if not running:
        return pages
    out = [pages[0]]
    for lines in split[1:]:
        while lines and _page_key(lines[0]) in running:
            lines = lines[1:]
        while lines and _page_key(lines[-1]) in running:
            lines = lines[:-1]
        out.append("\n".join(lines))
    return out


def _pdf_unlock(reader: PdfReader) -> bool:
    """Whether an encrypted PDF opens with the empty password (permissions-only encryption)."""
    try:
        return bool(reader.decrypt(""))
    except Exception:
        return False


# A page number alone on its line: "- 2 -", "— 3 —", "4", "第 5 页 共 9 页".
_PAGE_NO = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|\d{1,4}|第\s*\d{1,4}\s*页(?:\s*共\s*\d{1,4}\s*页)?)\s*$"
)
# The start of a heading or a numbered item: a new paragraph, never the rest of a wrapped line.
# Stricter than structure.heading_level, which also takes "300 分；…" (a number, a space, text)
# for an item: wrapped PDF lines start that way.
_NEW_ITEM = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百零〇\d]+[章节条部分]|[一二三四五六七八九十]+[、.．]|"
    r"[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|\d{1,3}\s*[.．、](?!\d)|附件)"
)
_ENDS_SENTENCE = re.compile(r"[。！？；：!?;:]\s*$")


def reflow(text: str, min_lines: int = 20) -> str:
    """Join the lines a PDF wrapped at its page width, and drop page numbers.

    A PDF's text comes line by line as printed: "1．符合…可以申请报名参" / "加普通高校招生全国统一
    考试。" is one sentence, and a page break ("…并对" / "- 3 -" / "其真实性负责。") cuts another.
    A line as wide as the page's full lines (at least 80% of their usual width) that ends no
    sentence continues on the next line, unless that one starts a heading or an item. Documents
    with too few full lines to tell their width are left as they are.
    """
    lines = [x for x in text.split("\n") if not _PAGE_NO.match(x)]
    widths = sorted(len(x.strip()) for x in lines if len(x.strip()) >= 10)
    if len(widths) < min_lines:
        return "\n".join(lines)
    full = 0.8 * widths[int(0.9 * (len(widths) - 1))]
    out: list[str] = []
    open_line = False  # the last line kept is a full one that ends no sentence
    for line in lines:
        t = line.strip()
        if not t:
            if not open_line:
                out.append(line)
            continue
        if open_line and not _NEW_ITEM.match(t):
            out[-1] = out[-1].rstrip() + t
        else:
            out.append(line.rstrip())
        # the printed line just read decides: a short one (…规格为 / 100*100cm.) ends its paragraph,
        # though what it joined is long (an issuer, a date and the next page's title ran on)
        open_line = len(t) >= full and not _ENDS_SENTENCE.search(t)
    return "\n".join(out)
