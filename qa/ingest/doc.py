"""Old binary Word (.doc, Word 97–2003) files as text: paragraphs, and table rows as "cell | cell".

Bureaus still publish many .doc files. The text of a Word 97+ file sits in the `WordDocument`
stream of an OLE compound file, in pieces listed by the piece table (the CLX in the `0Table` or
`1Table` stream); a piece is 8-bit (compressed) or UTF-16 text. The main document is the first
`ccpText` characters; footnotes, endnotes and text boxes follow it and are read after it (page
headers and footers, and comments, are left out). Field codes
(``HYPERLINK "http://…"``, ``PAGE``) are dropped and their results kept. A table cell ends with
\\x07; the row ends with one more \\x07 whose paragraph is marked as a table row end (TTP) in the
paragraph properties (the PAPX pages), which is how a row mark is told from an empty cell.

Example:
    >>> _read_doc(open("郑州市市区普通高中招生工作意见.doc", "rb").read())[:10]  # doctest: +SKIP
    '附件1\\n2015年郑州市'
"""

from __future__ import annotations

import bisect
import io
import struct
from dataclasses import dataclass

from qa.ingest.refusal import _describe, _Refusal

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_WORD8_IDENT = 0xA5EC
_F_ENCRYPTED = 0x0100
_F_WHICH_TABLE = 0x0200
_FC_CLX = 33  # index of fcClx/lcbClx in FibRgFcLcb97
_FC_BTE_PAPX = 13  # index of fcPlcfBtePapx/lcbPlcfBtePapx
_SPRM_IN_TABLE = 0x2416  # sprmPFInTable
_SPRM_TTP = 0x2417  # sprmPFTtp: this paragraph mark ends a table row
_SPRM_INNER_TTP = 0x244C  # sprmPFInnerTtp (nested tables)
_SPRM_INNER_CELL = 0x244B  # sprmPFInnerTableCell
_SPRM_HUGE_PAPX = 0x6646  # sprmPHugePapx: the properties are in the Data stream (wide tables' rows)
_PAGE = 512

# characters of the main text that are marks, not text
_DROP = dict.fromkeys(map(ord, "\x00\x01\x02\x03\x04\x05\x06\x08\x1f"), None)
_SUBSTITUTE = {ord("\x0b"): "\n", ord("\x0c"): "\n", ord("\x0e"): "\n", ord("\x1e"): "-", 0xA0: " "}


@dataclass(frozen=True)
class _Piece:
    cp_start: int
    cp_end: int
    fc: int  # byte offset of the piece in the WordDocument stream
    compressed: bool


def _u16(b: bytes, at: int) -> int:
    return struct.unpack_from("<H", b, at)[0]


def _u32(b: bytes, at: int) -> int:
    return struct.unpack_from("<I", b, at)[0]


def _fib(word: bytes) -> tuple[int, list[int], list[tuple[int, int]]]:
    """(flags, story lengths, [(fc, lcb), …]) from the file information block at the stream's start.

    The story lengths (FibRgLw97 from ccpText on) are, in order: main text, footnotes, headers,
    a reserved one, comments, endnotes, text boxes, header text boxes.
    """
    if len(word) < 0x22 or _u16(word, 0) != _WORD8_IDENT:
        raise _Refusal("这是 Word 95 或更早版本的 .doc 文件，无法读取，请另存为 .docx")
    flags = _u16(word, 0x0A)
    csw = _u16(word, 0x20)
    at = 0x22 + 2 * csw
    cslw = _u16(word, at)
    lw = at + 2
    stories = [_u32(word, lw + 4 * i) for i in range(3, min(cslw, 11))]
    at = lw + 4 * cslw
    count = _u16(word, at)
    pairs = [struct.unpack_from("<II", word, at + 2 + 8 * i) for i in range(count)]
    return flags, stories, pairs


# the stories read, as indexes into the story lengths: main text, footnotes, endnotes, text boxes
# (page headers and footers — 第 X 页, the issuer's letterhead line — and comments are left out)
_READ_STORIES = (0, 1, 5, 6)


def _pieces(table: bytes, fc_clx: int, lcb_clx: int) -> list[_Piece]:
    """The piece table: which characters (CPs) come from where in the WordDocument stream."""
    at, end = fc_clx, fc_clx + lcb_clx
    while at < end and table[at] == 0x01:  # Prc: property modifiers of fast-saved files, skipped
        at += 3 + _u16(table, at + 1)
    if at >= end or table[at] != 0x02:
        raise ValueError("no piece table")
    lcb = _u32(table, at + 1)
    plc = table[at + 5 : at + 5 + lcb]
    n = (len(plc) - 4) // 12
    if n <= 0:
        raise ValueError("empty piece table")
    cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
    pieces = []
    for i in range(n):
        fc = _u32(plc, 4 * (n + 1) + 8 * i + 2)
        compressed = bool(fc & 0x40000000)
        fc &= 0x3FFFFFFF
        pieces.append(_Piece(cps[i], cps[i + 1], fc // 2 if compressed else fc, compressed))
    return pieces


def _piece_text(word: bytes, p: _Piece) -> str:
    count = max(0, p.cp_end - p.cp_start)
    if p.compressed:
        return word[p.fc : p.fc + count].decode("cp1252", errors="replace")
    return word[p.fc : p.fc + 2 * count].decode("utf-16-le", errors="replace")


def _operand_size(sprm: int, grpprl: bytes, at: int) -> int:
    spra = sprm >> 13
    if spra == 6:  # variable: a size byte first (sprmTDefTable and sprmPChgTabs have a 2-byte one)
        if sprm == 0xD608:
            return _u16(grpprl, at) + 1
        return grpprl[at] + 1
    return (1, 1, 2, 4, 2, 2, 0, 3)[spra]


def _paragraph_flags(grpprl: bytes, data: bytes) -> tuple[bool, bool]:
    """(in a table, ends a table row) from a paragraph's property modifiers.

    A table row with many columns holds its properties in the Data stream (`data`): the
    paragraph then has only sprmPHugePapx, the offset of a (size, modifiers) record there.
    """
    in_table = row_end = False
    at = 0
    while at + 2 <= len(grpprl):
        sprm = _u16(grpprl, at)
        at += 2
        if at >= len(grpprl):
            break
        value = grpprl[at]
        if sprm in (_SPRM_IN_TABLE, _SPRM_INNER_CELL):
            in_table = in_table or value == 1
        elif sprm in (_SPRM_TTP, _SPRM_INNER_TTP):
            row_end = row_end or value == 1
        elif sprm == _SPRM_HUGE_PAPX and at + 4 <= len(grpprl) and data:
            offset = _u32(grpprl, at)
            if offset + 2 <= len(data):
                huge = data[offset + 2 : offset + 2 + _u16(data, offset)]
                deep = _paragraph_flags(huge, b"")
                in_table, row_end = in_table or deep[0], row_end or deep[1]
        at += _operand_size(sprm, grpprl, at)
    return in_table, row_end


class _Paragraphs:
    """Paragraph properties by file offset: the PAPX pages (FKPs) the PlcBtePapx points to."""

    def __init__(self, word: bytes, table: bytes, data: bytes, fc: int, lcb: int):
        self.runs: list[tuple[int, int, tuple[bool, bool]]] = []
        n = (lcb - 4) // 8
        if n <= 0:
            return
        plc = table[fc : fc + lcb]
        for i in range(n):
            pn = _u32(plc, 4 * (n + 1) + 4 * i) & 0x3FFFFF
            page = word[pn * _PAGE : (pn + 1) * _PAGE]
            if len(page) < _PAGE:
                continue
            crun = page[_PAGE - 1]
            for j in range(crun):
                start, end = _u32(page, 4 * j), _u32(page, 4 * (j + 1))
                offset = page[4 * (crun + 1) + 13 * j] * 2
                flags = (False, False)
                if offset:
                    cb = page[offset]
                    if cb == 0:
                        size, body = 2 * page[offset + 1], offset + 2
                    else:
                        size, body = 2 * cb - 1, offset + 1
                    flags = _paragraph_flags(page[body + 2 : body + size], data)  # after the style index
                self.runs.append((start, end, flags))
        self.runs.sort()
        self.starts = [r[0] for r in self.runs]

    def flags(self, fc: int) -> tuple[bool, bool] | None:
        """(in a table, ends a row) of the paragraph holding the byte at `fc`, None if unknown."""
        if not self.runs:
            return None
        i = bisect.bisect_right(self.starts, fc) - 1
        if i >= 0 and self.runs[i][0] <= fc < self.runs[i][1]:
            return self.runs[i][2]
        return None


def _drop_fields(chars: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Field codes out, field results kept: \\x13 code \\x14 result \\x15 (fields nest)."""
    out: list[tuple[str, int]] = []
    stack: list[bool] = []  # per open field: whether its result has started
    for ch, fc in chars:
        if ch == "\x13":
            stack.append(False)
        elif ch == "\x14" and stack:
            stack[-1] = True
        elif ch == "\x15" and stack:
            stack.pop()
        elif all(stack):
            out.append((ch, fc))
    return out


def _story_chars(word: bytes, pieces: list[_Piece], start: int, end: int) -> list[tuple[str, int]]:
    """The characters of CPs start…end, each with its byte offset in the WordDocument stream."""
    chars: list[tuple[str, int]] = []
    for p in pieces:
        lo, hi = max(start, p.cp_start), min(end, p.cp_end)
        if lo >= hi:
            continue
        text = _piece_text(word, p)[lo - p.cp_start : hi - p.cp_start]
        width = 1 if p.compressed else 2
        base = p.fc + width * (lo - p.cp_start)
        chars.extend((ch, base + width * i) for i, ch in enumerate(text))
    return chars


def _lay_out(chars: list[tuple[str, int]], paragraphs: _Paragraphs) -> str:
    """Paragraph lines, and a table row as one line of its cells joined by " | "."""
    lines: list[str] = []
    buf: list[str] = []
    cells: list[str] = []

    def cell_text() -> str:
        return " ".join(x.strip() for x in "".join(buf).split("\n") if x.strip())

    prev = ""
    for ch, fc in chars:
        if ch == "\r":
            flags = paragraphs.flags(fc)
            if flags is not None and flags[0] and not flags[1]:
                buf.append("\n")  # a paragraph inside a table cell
            else:
                if cells:  # a table ended without a row mark: keep its cells
                    lines.append(" | ".join(cells))
                    cells = []
                lines.append("".join(buf))
                buf = []
        elif ch == "\x07":
            flags = paragraphs.flags(fc)
            row_end = flags[1] if flags is not None else prev == "\x07"
            if row_end:
                while cells and not cells[-1]:
                    cells.pop()
                if cells:
                    lines.append(" | ".join(cells))
                cells = []
            else:
                cells.append(cell_text())
            buf = []
        else:
            buf.append(ch)
        prev = ch
    if cells:
        lines.append(" | ".join(cells))
    lines.append("".join(buf))
    text = "\n".join(lines).translate(_DROP).translate(_SUBSTITUTE)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _read_doc(data: bytes) -> str:
    import olefile

    if data.startswith(b"PK\x03\x04"):  # a .docx named .doc: read it as what it is
        from qa.ingest.docx import _read_docx

        return _read_docx(data)
    if not data.startswith(OLE_MAGIC):
        raise _Refusal("不是 Word (.doc) 文件（文件开头不是 Word 97–2003 格式）")
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception as exc:
        raise _Refusal(f"Word (.doc) 文件已损坏，无法读取{_describe(exc)}") from exc
    try:
        if not ole.exists("WordDocument"):
            kind = "Excel" if ole.exists("Workbook") or ole.exists("Book") else "Office"
            raise _Refusal(f"这是 {kind} 文件，不是 Word 文档")
        word = ole.openstream("WordDocument").read()
        flags, stories, pairs = _fib(word)
        if flags & _F_ENCRYPTED:
            raise _Refusal("Word 文件已加密（设有打开密码），无法读取")
        name = "1Table" if flags & _F_WHICH_TABLE else "0Table"
        if not ole.exists(name):
            raise _Refusal(f"Word (.doc) 文件已损坏，无法读取（缺少 {name}）")
        table = ole.openstream(name).read()
        data_stream = ole.openstream("Data").read() if ole.exists("Data") else b""
        fc_clx, lcb_clx = pairs[_FC_CLX]
        pieces = _pieces(table, fc_clx, lcb_clx)
        try:
            fc_papx, lcb_papx = pairs[_FC_BTE_PAPX]
            paragraphs = _Paragraphs(word, table, data_stream, fc_papx, lcb_papx)
        except (IndexError, struct.error):
            paragraphs = _Paragraphs(word, table, b"", 0, 0)  # no layout: rows are told by \x07\x07
        parts, start = [], 0
        for i, length in enumerate(stories):
            if i in _READ_STORIES and length:
                chars = _drop_fields(_story_chars(word, pieces, start, start + length))
                parts.append(_lay_out(chars, paragraphs).strip("\n"))
            start += length
        return "\n".join(p for p in parts if p.strip())
    except _Refusal:
        raise
    except Exception as exc:
        raise _Refusal(f"Word (.doc) 文件已损坏，无法读取{_describe(exc)}") from exc
    finally:
        ole.close()
