"""Turn a user's file into raw text, or refuse with a reason the user can act on.

`read_text` is the one entry point: it dispatches on the file's suffix to a small reader
that takes bytes and returns text, and it turns every failure into `UnreadableFile`.

Example:
    >>> text = read_text("融安县2024年教育工作要点.docx")  # doctest: +SKIP
"""

from __future__ import annotations

import codecs
import io
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from qa.ingest.limits import LIMITS, Limits, TooLarge, check_chars, check_zip

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import Table, _Cell
    from lxml.etree import _Element
    from pypdf import PdfReader

__all__ = [
    "MAX_FILE_BYTES",
    "SUPPORTED_SUFFIXES",
    "SourceText",
    "UnreadableFile",
    "decode_text",
    "read_source",
    "read_text",
]

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".markdown", ".docx", ".html", ".htm", ".pdf"})
MAX_FILE_BYTES = 20 * 1024 * 1024

# Control characters that real text files do contain (tab, newlines, form feed, DOS EOF, ANSI escape).
_ALLOWED_CONTROLS = frozenset("\t\n\r\x0b\x0c\x1a\x1b")
_MAX_BAD_SHARE = 0.05
# Share of non-ASCII characters a GB18030 decoding must draw from GB2312 (the common 6,763 hanzi and
# symbols); garbage that happens to decode lands mostly in the rare GBK and four-byte ranges.
_MIN_GB2312_SHARE = 0.8

_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF8_BOM = b"\xef\xbb\xbf"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old binary Office files (.doc, .xls)


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


@dataclass(frozen=True)
class SourceText:
    """A file's text, and for a web page the lines outside its main content (site chrome)."""

    text: str
    outside: tuple[str, ...] = ()


class _Refusal(Exception):
    """Raised by the bytes-to-text readers; `read_text` adds the path."""


# --------------------------------------------------------------------------- plain text


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _bad_char_share(text: str) -> float:
    """Share of characters that do not occur in text: controls, private-use, unassigned, U+FFFD."""
    if not text:
        return 0.0
    bad = 0
    for char, count in Counter(text).items():
        if char in _ALLOWED_CONTROLS:
            continue
        if char == "\ufffd" or unicodedata.category(char) in {"Cc", "Co", "Cn", "Cs"}:
            bad += count
    return bad / len(text)


def _looks_like_text(text: str) -> bool:
    return _bad_char_share(text) <= _MAX_BAD_SHARE


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _looks_like_chinese_text(text: str) -> bool:
    """Whether a GB18030 decoding reads as Chinese rather than as mojibake."""
    if not _looks_like_text(text):
        return False
    counts = Counter(c for c in text if ord(c) > 0x7F)
    total = sum(counts.values())
    rare = sum(n for c, n in counts.items() if not _in_gb2312(c))
    # A short text may hold a name in a GBK-only character (堃, 喆); allow a couple outright.
    return rare <= max(2, (1 - _MIN_GB2312_SHARE) * total)


def _decode_utf8_lenient(data: bytes) -> str | None:
    """UTF-8 when the bytes are UTF-8 apart from a cut-off last character or a few stray bytes."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            # A file cut off mid-character (a head of a larger file): drop the partial character.
            return data[: exc.start].decode("utf-8")
    text = data.decode("utf-8", errors="replace")
    n_replaced = text.count("\ufffd")
    has_real_utf8 = not text.replace("\ufffd", "").isascii()
    return text if has_real_utf8 and n_replaced <= max(1, len(data) // 1000) else None


def _decode_guess(data: bytes) -> str | None:
    """charset-normalizer's best guess, or None."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return None if best is None else str(best)


def decode_text(data: bytes) -> str:
    """Decode the bytes of a text file, detecting the encoding.

    Tried in order: a BOM (UTF-8, UTF-16, UTF-32), strict UTF-8, strict GB18030 (a superset of GBK
    and GB2312) when the result reads as Chinese, UTF-8 with a few stray bytes, then
    charset-normalizer's best guess. Newlines become "\\n" and a leading BOM is dropped.

    Args:
        data: The raw bytes.

    Returns:
        The decoded text.

    Raises:
        ValueError: The bytes are binary (NUL bytes, many control characters) or nothing decodes them.

    Example:
        >>> decode_text("防溺水\\r\\n".encode("gb18030"))
        '防溺水\\n'
    """
    text = _decode_with_bom(data)
    if text is None:
        if b"\x00" in data:
            raise ValueError("binary data: contains NUL bytes")
        text = _decode_without_bom(data.removeprefix(_UTF8_BOM))
    if text is None or not _looks_like_text(text):
        raise ValueError("binary data: no encoding decodes it as text")
    return _normalise_newlines(text.removeprefix("\ufeff"))


def _decode_with_bom(data: bytes) -> str | None:
    """The text when the bytes start with a BOM that decodes them strictly, else None."""
    for boms, codec in ((_UTF32_BOMS, "utf-32"), (_UTF16_BOMS, "utf-16"), ((_UTF8_BOM,), "utf-8-sig")):
        if data.startswith(boms):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                return None
    return None


def _decode_without_bom(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        if _looks_like_chinese_text(text):
            return text
    return _decode_utf8_lenient(data) or _decode_guess(data)


def _read_plain(data: bytes) -> str:
    try:
        return decode_text(data)
    except ValueError:
        raise _Refusal("二进制文件，不是文本") from None


# --------------------------------------------------------------------------- docx


def _docx_cell_text(cell: _Cell) -> str:
    return " ".join(line.strip() for line in cell.text.splitlines() if line.strip())


def _docx_table_lines(table: Table) -> list[str]:
    lines = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            # A merged cell appears once per grid column it spans; keep it once.
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            cells.append(_docx_cell_text(cell))
        if any(cells):
            lines.append(" | ".join(cells))
    return lines


def _docx_blocks(container: _Element, parent: DocxDocument) -> list[str]:
    """Text blocks of a body element in document order: one per paragraph, one per table."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks = []
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            text = Paragraph(child, parent).text.strip()
            if text:
                blocks.append(text)
        elif child.tag == qn("w:tbl"):
            lines = _docx_table_lines(Table(child, parent))
            if lines:
                blocks.append("\n".join(lines))
        elif child.tag == qn("w:sdt"):
            # Content controls (cover pages, templates) wrap ordinary paragraphs and tables.
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                blocks.extend(_docx_blocks(content, parent))
    return blocks


_MD_FENCE = re.compile(r"^\s*(```|~~~)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_MD_BULLET = re.compile(r"^\s*(?:[-*+]|>)\s+")
_MD_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def markdown_to_text(text: str) -> str:
    """Markdown as the plain text a reader sees: no #, bullets, emphasis marks or link targets.

    Example:
        >>> markdown_to_text("# 标题\n## 一、措施\n- **加强**[安全](http://x)")
        '标题\n一、措施\n加强安全'
    """
    out = []
    for line in text.split("\n"):
        if _MD_FENCE.match(line) or _MD_RULE.match(line) or _MD_TABLE_RULE.match(line):
            continue
        m = _MD_HEADING.match(line)
        if m:
            line = m.group(1)
        line = _MD_BULLET.sub("", line)
        line = _MD_LINK.sub(r"\1", line)
        line = _MD_EMPHASIS.sub(r"\2", line)
        if line.strip().startswith("|") and line.strip().endswith("|"):
            line = " | ".join(c.strip() for c in line.strip().strip("|").split("|"))
        out.append(line)
    return "\n".join(out)


def _read_markdown(data: bytes) -> str:
    return markdown_to_text(_read_plain(data))


def _read_docx(data: bytes) -> str:
    import docx

    if data.startswith(_OLE_MAGIC):
        raise _Refusal("这是旧版 Word (.doc) 文件，请另存为 .docx 后再上传")
    try:
        check_zip(data)  # before python-docx parses anything: a bomb stops here, in blocks
    except TooLarge as exc:
        raise _Refusal(str(exc)) from None
    except Exception:
        pass  # not a sound zip: python-docx says what is wrong below
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = _docx_blocks(document.element.body, document)
    except Exception as exc:
        raise _Refusal(f"Word 文件已损坏，无法读取{_describe(exc)}") from exc
    return "\n\n".join(blocks)


# --------------------------------------------------------------------------- html

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Labels that browsers read as a wider encoding than their name says (WHATWG Encoding Standard).
_CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "gb_2312-80": "gb18030",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}


def _declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first few kilobytes, as a Python codec name."""
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if not match:
        return None
    label = match.group(1).decode("ascii").lower()
    label = _CHARSET_ALIASES.get(label, label)
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        return None
    # A page cannot really be UTF-16 without a BOM; browsers then read it as UTF-8.
    return None if codec.startswith(("utf-16", "utf-32")) else codec


def _decode_html(data: bytes) -> str:
    """Decode a page: BOM, then UTF-8 if valid, then its declared charset, then `decode_text`."""
    if data.startswith((_UTF8_BOM, *_UTF16_BOMS)) or b"\x00" in data:
        return decode_text(data)
    # Valid UTF-8 is UTF-8 whatever the page declares: Chinese sites often keep a stale gb2312 meta.
    for codec in ("utf-8", _declared_charset(data)):
        if codec is None:
            continue
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return _normalise_newlines(text)
    return decode_text(data)


def _read_html_source(data: bytes) -> SourceText:
    from qa.ingest.html import extract_html

    try:
        markup = _decode_html(data)
    except ValueError:
        raise _Refusal("二进制文件，不是网页") from None
    page = extract_html(markup)
    return SourceText("\n".join(page.lines), tuple(page.outside))


def _read_html(data: bytes) -> str:
    return _read_html_source(data).text


# --------------------------------------------------------------------------- pdf

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


# --------------------------------------------------------------------------- dispatch

_READERS: dict[str, Callable[[bytes], str]] = {
    ".txt": _read_plain,
    ".md": _read_markdown,
    ".markdown": _read_markdown,
    ".docx": _read_docx,
    ".html": _read_html,
    ".htm": _read_html,
    ".pdf": _read_pdf,
}


def _describe(exc: BaseException) -> str:
    """What the reading library said, marked as technical detail after the Chinese reason."""
    message = str(exc).strip()
    detail = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return f"（技术信息：{detail}）"


def _format_size(n_bytes: int) -> str:
    """Human size: "25.3 MB", "20 MB", "12 KB", "100 B"."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if n_bytes >= scale:
            return f"{n_bytes / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n_bytes} B"


def _unsupported_reason(suffix: str) -> str:
    listed = " ".join(sorted(SUPPORTED_SUFFIXES))
    shown = suffix or "（无扩展名）"
    hint = "（请另存为 .docx）" if suffix == ".doc" else ""
    return f"不支持的文件类型 {shown}{hint}，支持: {listed}"


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise _Refusal("不是文件")
        if size > max_bytes:
            raise _Refusal(f"文件过大 ({_format_size(size)} > {_format_size(max_bytes)})")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise _Refusal("文件不存在") from None
    except PermissionError:
        raise _Refusal("没有读取权限") from None
    except IsADirectoryError:
        raise _Refusal("不是文件") from None
    if len(data) > max_bytes:  # the file grew after stat(), or stat() does not know its size
        raise _Refusal(f"文件过大 (> {_format_size(max_bytes)})")
    return data


def read_text(
    path: str | os.PathLike[str], *, max_bytes: int = MAX_FILE_BYTES, limits: Limits = LIMITS
) -> str:
    """Read a .txt, .md, .docx, .html or .pdf file as plain text with "\\n" newlines.

    A web page gives its main content (see `read_source` for the page lines around it).

    Args:
        path: The file; its suffix (any case) picks the reader.
        max_bytes: Larger files are refused before they are read.
        limits: How far the file may expand (`qa.ingest.limits`): decompressed size, characters.

    Returns:
        The text, never empty or only whitespace.

    Raises:
        UnreadableFile: For any failure, with a short reason: unsupported type, empty, too large,
            binary, encrypted or image-only PDF, damaged file, a file that expands beyond `limits`
            (a decompression bomb), or an unexpected error's class and message.

    Example:
        >>> read_text("通知.pdf")  # doctest: +SKIP
        '关于做好2024年防溺水工作的通知\\n...'
    """
    return read_source(path, max_bytes=max_bytes, limits=limits).text


def read_source(
    path: str | os.PathLike[str], *, max_bytes: int = MAX_FILE_BYTES, limits: Limits = LIMITS
) -> SourceText:
    """Like `read_text`, and for a web page also the lines outside its main content.

    Raises:
        UnreadableFile: as `read_text`.
    """
    try:
        file_path = Path(path)
        suffix = file_path.suffix.lower()
        reader = _READERS.get(suffix)
        if reader is None:
            raise _Refusal(_unsupported_reason(suffix))
        data = _read_bytes(file_path, max_bytes)
        if not data.strip():
            raise _Refusal("文件为空")
        source = _read_html_source(data) if suffix in (".html", ".htm") else SourceText(reader(data))
        text = _normalise_newlines(source.text)
        if not text.strip():
            raise _Refusal("文件为空")
        # a web page's lines outside its main content are cleaned too: they count
        check_chars(len(text) + sum(len(line) for line in source.outside), limits)
        return SourceText(text, source.outside)
    except TooLarge as too_large:
        raise UnreadableFile(path, str(too_large)) from None
    except _Refusal as refusal:
        raise UnreadableFile(path, str(refusal)) from None
    except Exception as exc:
        raise UnreadableFile(path, f"读取失败{_describe(exc)}") from exc
