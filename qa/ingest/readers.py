"""Turn a user's file into raw text, or refuse with a reason the user can act on.

`read_text` is the one entry point: it dispatches on the file's suffix to a small reader
that takes bytes and returns text, and it turns every failure into `UnreadableFile`.
Text decoding is `qa.ingest.encoding`; Word and PDF files are read by `qa.ingest.docx`,
`qa.ingest.doc` (old binary Word) and `qa.ingest.pdf`.

Example:
    >>> text = read_text("融安县2024年教育工作要点.docx")  # doctest: +SKIP
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from qa.ingest.doc import _read_doc
from qa.ingest.docx import _read_docx
from qa.ingest.encoding import _decode_html, _normalise_newlines, decode_text
from qa.ingest.limits import LIMITS, Limits, TooLarge, check_chars
from qa.ingest.pdf import _read_pdf
from qa.ingest.refusal import UnreadableFile, _describe, _Refusal

__all__ = [
    "MAX_FILE_BYTES",
    "PAGED_SUFFIXES",
    "SUPPORTED_SUFFIXES",
    "SourceText",
    "UnreadableFile",
    "decode_text",
    "read_source",
    "read_text",
]

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(
    {".txt", ".md", ".markdown", ".doc", ".docx", ".html", ".htm", ".pdf"}
)
# files laid out in pages, which no web site framed (no menus, no footers of a site)
PAGED_SUFFIXES: frozenset[str] = frozenset({".doc", ".docx", ".pdf"})
MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class SourceText:
    """A file's text, and for a web page the lines outside its main content (site chrome)."""

    text: str
    outside: tuple[str, ...] = ()
    # the title the file itself declares: a Markdown file's one level-1 heading, on its first line
    heading: str | None = None


# --------------------------------------------------------------------------- plain text and markdown


def _read_plain(data: bytes) -> str:
    try:
        return decode_text(data)
    except ValueError:
        raise _Refusal("二进制文件，不是文本") from None


_MD_FENCE = re.compile(r"^\s*(```|~~~)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_MD_BULLET = re.compile(r"^\s*(?:[-*+]|>)\s+")
_MD_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
# ::: warning 提请注意 … ::: — a container (VuePress, VitePress, Docusaurus) shows its title over a
# box; the colons and the kind (warning, tip) are markup
_MD_CONTAINER = re.compile(r"^\s*:{3,}\s*(?:[A-Za-z][\w-]*)?\s*(.*?)\s*$")
_MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
# ---, key: value lines, --- at the very top: a file's YAML front matter, not two rules
_YAML_FRONT = re.compile(r"\A-{3,}[ \t]*\n(?:[^\n]*[:：][^\n]*\n){1,30}?-{3,}[ \t]*(?:\n|\Z)")
# <!-- INFO END -->: a comment, which no rendering shows (over several lines too)
_MD_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def markdown_to_text(text: str) -> str:
    r"""Markdown as the plain text a reader sees: no #, bullets, emphasis marks, link targets or
    comments.

    Example:
        >>> markdown_to_text("# 标题\n## 一、措施\n- **加强**[安全](http://x)")
        '标题\n一、措施\n加强安全'
        >>> markdown_to_text("2009年5月1日 施行\n<!-- INFO END -->\n第一条")
        '2009年5月1日 施行\n\n第一条'
        >>> markdown_to_text("::: warning 提请注意\n本文件来自手册。\n:::")
        '提请注意\n本文件来自手册。\n'
    """
    out = []
    text = _MD_COMMENT.sub("", text)
    m = _YAML_FRONT.match(text)
    if m:
        # YAML front matter stays as it is: clean() harvests it (title, date, source)
        out.append(m.group().rstrip("\n"))
        text = text[m.end() :]
    for line in text.split("\n"):
        if _MD_FENCE.match(line) or _MD_RULE.match(line) or _MD_TABLE_RULE.match(line):
            continue
        m = _MD_HEADING.match(line) or _MD_CONTAINER.match(line)
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


def _read_markdown_source(data: bytes) -> SourceText:
    """A Markdown file's text and the title it declares (decoded once)."""
    raw = _read_plain(data)
    return SourceText(markdown_to_text(raw), heading=markdown_title(_normalise_newlines(raw)))


_MD_TITLE = re.compile(r"^\s{0,3}#\s+(.*?)\s*#*\s*$")


def markdown_title(text: str) -> str | None:
    r"""The title a Markdown file declares: its level-1 heading when it is the first line and the
    only one (a file of several is a handbook's chapters, each headed so).

    Example:
        >>> markdown_title("# 服兵役高等学校学生国家教育资助政策\n\n## 第一章 总则\n第一条")
        '服兵役高等学校学生国家教育资助政策'
        >>> markdown_title("# 1.学校介绍\n正文\n# 2.学习") is None, markdown_title("# **学生手册**\n正文")
        (True, '学生手册')
    """
    body = _MD_COMMENT.sub("", text)
    if m := _YAML_FRONT.match(body):
        body = body[m.end() :]
    lines = [line for line in body.split("\n") if line.strip()]
    heads = [m.group(1) for line in lines if (m := _MD_TITLE.match(line))]
    if len(heads) == 1 and lines and _MD_TITLE.match(lines[0]) and heads[0]:
        # as the reader sees it: no emphasis marks or link targets (# **标题** is 标题)
        return _MD_EMPHASIS.sub(r"\2", _MD_LINK.sub(r"\1", heads[0])).strip() or None
    return None


# --------------------------------------------------------------------------- html


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


# --------------------------------------------------------------------------- dispatch

_READERS: dict[str, Callable[[bytes], str]] = {
    ".txt": _read_plain,
    ".md": _read_markdown,
    ".markdown": _read_markdown,
    ".doc": _read_doc,
    ".docx": _read_docx,
    ".html": _read_html,
    ".htm": _read_html,
    ".pdf": _read_pdf,
}


def _format_size(n_bytes: int) -> str:
    """Human size: "25.3 MB", "20 MB", "12 KB", "100 B"."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if n_bytes >= scale:
            return f"{n_bytes / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n_bytes} B"


def _unsupported_reason(suffix: str) -> str:
    listed = " ".join(sorted(SUPPORTED_SUFFIXES))
    shown = suffix or "（无扩展名）"
    return f"不支持的文件类型 {shown}，支持: {listed}"


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
    """Read a .txt, .md, .doc, .docx, .html or .pdf file as plain text with "\\n" newlines.

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
        if suffix in (".html", ".htm"):
            source = _read_html_source(data)
        elif reader is _read_markdown:
            source = _read_markdown_source(data)
        else:
            source = SourceText(reader(data))
        text = _normalise_newlines(source.text)
        if not text.strip():
            raise _Refusal("文件为空")
        # a web page's lines outside its main content are cleaned too: they count
        check_chars(len(text) + sum(len(line) for line in source.outside), limits)
        return SourceText(text, source.outside, source.heading)
    except TooLarge as too_large:
        raise UnreadableFile(path, str(too_large)) from None
    except _Refusal as refusal:
        raise UnreadableFile(path, str(refusal)) from None
    except Exception as exc:
        raise UnreadableFile(path, f"读取失败{_describe(exc)}") from exc
