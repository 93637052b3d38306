"""Tests for qa.ingest.doc: old binary Word (.doc) files.

The real file is a published Word 97–2003 document (tests/data/realdocs30, 郑州 2015): a time
table with merged cells, a 21-column quota table whose row properties sit in the Data stream,
a hyperlink field, and paragraphs that a common converter (catdoc) garbles.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

import docx
import pytest

from qa.ingest import doc
from qa.ingest.readers import UnreadableFile, read_text

ROOT = Path(__file__).resolve().parents[3]
REAL = ROOT / "tests/data/realdocs30/docs/03_zhengzhou_yijian-putong-gaozhong-zhaosheng_2015.doc"


@pytest.fixture(scope="module")
def text() -> str:
    return read_text(REAL)


def test_paragraphs_are_lines_in_order(text: str) -> None:
    lines = text.split("\n")
    assert lines[0] == "附件1"
    assert lines[1] == "2015年郑州市市区普通高中招生工作意见"
    assert lines.index("一、招生对象") < lines.index("二、报名") < lines.index("三、考试")


def test_text_every_piece_is_decoded(text: str) -> None:
    # catdoc turns the start of this paragraph into Latin-1 noise; the piece table says it is UTF-16
    assert "民办普通高中的招生工作在郑州市中招办的监管之下进行。" in text
    assert not any("\x00" <= ch < " " and ch != "\n" for ch in text)


def test_field_code_is_dropped_and_its_result_kept(text: str) -> None:
    assert "信息服务平台（zk.hagaozhong.com）采集考生报名信息" in text
    assert "HYPERLINK" not in text


def test_table_rows_are_lines_of_cells(text: str) -> None:
    assert "6月25日 | 上午 | 8：30—10：30 | 120分钟 | 语文 | 120" in text.split("\n")
    # a cell of two paragraphs is one cell
    assert "| 60分钟 | 思想 品德 | 70 |" in text


def test_wide_table_rows_end_where_the_data_stream_says(text: str) -> None:
    # the 21-column table's row marks are only in the Data stream (sprmPHugePapx)
    lines = text.split("\n")
    row = next(line for line in lines if "郑州惠济陈中学校" in line)
    assert row.startswith("134 | 郑州惠济陈中学校 | 1 | 1 | 0")
    assert row.endswith("| 11")
    assert sum("| 郑州市第七十" in line for line in lines) >= 5  # one school per line


def test_page_footer_is_left_out(text: str) -> None:
    assert "PAGE" not in text


def test_fields_nest() -> None:
    chars = [(c, i) for i, c in enumerate("a\x13X \x13Y\x14y\x15\x14x\x15b\x13Z\x15c")]
    assert "".join(c for c, _ in doc._drop_fields(chars)) == "axbc"


def test_row_mark_is_told_from_an_empty_cell_by_paragraph_properties() -> None:
    class Props:
        def __init__(self, ends: set[int]):
            self.ends = ends

        def flags(self, fc: int) -> tuple[bool, bool]:
            return True, fc in self.ends

    chars = [(c, i) for i, c in enumerate("甲\x07\x07乙\x07\x07")]
    # position 2 is an empty cell, 5 the row mark: one row of three cells, the last one empty
    assert doc._lay_out(chars, Props({5})).strip() == "甲 |  | 乙"


def test_without_paragraph_properties_a_double_mark_ends_the_row() -> None:
    empty = doc._Paragraphs(b"", b"", b"", 0, 0)
    chars = [(c, i) for i, c in enumerate("甲\x07乙\x07\x07丙\x07丁\x07\x07尾\r")]
    assert doc._lay_out(chars, empty).split("\n")[:3] == ["甲 | 乙", "丙 | 丁", "尾"]


def test_paragraph_flags_read_in_table_and_row_end() -> None:
    grpprl = struct.pack("<HB", 0x2416, 1) + struct.pack("<HB", 0x2417, 1)
    assert doc._paragraph_flags(grpprl, b"") == (True, True)
    # a variable-size modifier before them is skipped by its size byte
    grpprl = struct.pack("<HB", 0xC615, 2) + b"\x00\x00" + struct.pack("<HB", 0x2416, 1)
    assert doc._paragraph_flags(grpprl, b"") == (True, False)


def test_paragraph_flags_follow_a_huge_papx_into_the_data_stream() -> None:
    inner = struct.pack("<HB", 0x2417, 1)
    data = b"\xff" * 7 + struct.pack("<H", len(inner)) + inner
    assert doc._paragraph_flags(struct.pack("<HI", 0x6646, 7), data) == (False, True)


def _word_stream_start(data: bytes) -> int:
    """Where the WordDocument stream (its FIB, wIdent 0xA5EC) starts: a sector boundary."""
    for at in range(512, len(data), 512):
        if data[at : at + 2] == b"\xec\xa5" and data[at + 2 : at + 4] in (
            b"\xc1\x00",
            b"\xc2\x00",
            b"\x01\x01",
        ):
            return at
    raise AssertionError("no FIB found")


def test_encrypted_doc_is_refused(tmp_path: Path) -> None:
    data = bytearray(REAL.read_bytes())
    at = _word_stream_start(bytes(data))
    flags = struct.unpack_from("<H", data, at + 0x0A)[0] | 0x0100
    struct.pack_into("<H", data, at + 0x0A, flags)
    path = tmp_path / "加密.doc"
    path.write_bytes(bytes(data))
    with pytest.raises(UnreadableFile) as err:
        read_text(path)
    assert "已加密" in err.value.reason


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("截断.doc", REAL.read_bytes()[:3000]),
        ("空壳.doc", doc.OLE_MAGIC + b"\x00" * 2000),
    ],
)
def test_broken_doc_is_refused_with_a_reason(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(UnreadableFile) as err:
        read_text(path)
    assert err.value.reason.startswith("Word (.doc) 文件已损坏，无法读取")


def test_text_file_named_doc_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "说明.doc"
    path.write_bytes("只是改了扩展名的文本".encode())
    with pytest.raises(UnreadableFile) as err:
        read_text(path)
    assert "不是 Word (.doc) 文件" in err.value.reason


def test_doc_named_docx_and_docx_named_doc_are_read_as_what_they_are(tmp_path: Path) -> None:
    old = tmp_path / "旧.docx"
    old.write_bytes(REAL.read_bytes())
    assert read_text(old).startswith("附件1\n2015年郑州市市区普通高中招生工作意见")
    document = docx.Document()
    document.add_paragraph("新版 Word 文件，扩展名却是 .doc")
    buffer = io.BytesIO()
    document.save(buffer)
    new = tmp_path / "新.doc"
    new.write_bytes(buffer.getvalue())
    assert read_text(new) == "新版 Word 文件，扩展名却是 .doc"
