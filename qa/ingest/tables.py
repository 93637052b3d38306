"""Rebuilding tables that a scrape flattened to one cell per line.

The shape handled is the month-grouped work schedule common in bureau plans:
a header (时间 / 序号 / 内容 / 主办股室) followed by cells
``[month] [number] content office [office …]``. Each row becomes one line that reads
naturally and carries its month and office: ``4月 · 组织中考体育测试工作(4月至5月) · 主办：招生办``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.types import Removal

ROW_SEP = " · "
OFFICE_PREFIX = "主办："
_MONTH = re.compile(r"^(\d{1,2}(?:\s*[-—至~]\s*\d{1,2})?月|全年|上半年|下半年)$")
_SEQ = re.compile(r"^\d{1,2}[.、．]?$")
_OFFICE = re.compile(r"^[\u4e00-\u9fff]{1,4}(股|室|办|处|科|中心|组|队|馆|站)$")
_HEADER_WORDS = (
    "时间",
    "序号",
    "内容",
    "主办",
    "股室",
    "责任",
    "单位",
    "月份",
    "事项",
    "科室",
    "备注",
    "承办",
)
ROW_LINE = re.compile(r"^(?P<month>[^·]{1,8}) · (?P<content>.+) · 主办：(?P<office>.+)$")


@dataclass(frozen=True)
class Row:
    month: str
    content: str
    offices: tuple[str, ...]

    def render(self) -> str:
        return f"{self.month}{ROW_SEP}{self.content}{ROW_SEP}{OFFICE_PREFIX}{'、'.join(self.offices)}"


def _compact(cell: str) -> str:
    return re.sub(r"\s+", "", cell)


def _is_header_cell(cell: str) -> bool:
    c = _compact(cell)
    return 0 < len(c) <= 4 and any(w in c or c in w for w in _HEADER_WORDS)


def find_header(lines: list[str], start: int = 0) -> tuple[int, int] | None:
    """(first, end) of a run of 3+ header cells naming 时间/序号/内容-like columns, or None."""
    i = start
    while i < len(lines):
        j = i
        while j < len(lines) and _is_header_cell(lines[j]):
            j += 1
        if j - i >= 3 and any("内容" in _compact(x) or "事项" in _compact(x) for x in lines[i:j]):
            return i, j
        i = j + 1 if j > i else i + 1
    return None


def parse_rows(cells: list[str]) -> tuple[list[Row], int, int]:
    """Parse cells after a header into rows. Returns (rows, cells consumed, empty rows skipped)."""
    rows: list[Row] = []
    month = ""
    i, empty = 0, 0
    n = len(cells)
    while i < n:
        c = _compact(cells[i])
        if _MONTH.match(c):
            month = c
            i += 1
            continue
        if _SEQ.match(c):
            i += 1
            continue
        if _OFFICE.match(c):  # an office with no content: an empty row
            empty += 1
            i += 1
            continue
        # A content cell must be followed by at least one office cell.
        j = i + 1
        offices = []
        while j < n and _OFFICE.match(_compact(cells[j])):
            offices.append(_compact(cells[j]))
            j += 1
        if not offices or not month:
            break
        rows.append(Row(month, cells[i].strip(), tuple(offices)))
        i = j
    return rows, i, empty


def rebuild_tables(lines: list[str]) -> tuple[list[str], list[Removal]]:
    """Replace each one-cell-per-line schedule table by one line per row."""
    out: list[str] = []
    removed: list[Removal] = []
    pos = 0
    while True:
        hdr = find_header(lines, pos)
        if hdr is None:
            out.extend(lines[pos:])
            return out, removed
        first, end = hdr
        rows, used, empty = parse_rows(lines[end:])
        if len(rows) < 2:
            out.extend(lines[pos:end])
            pos = end
            continue
        out.extend(lines[pos:first])
        out.extend(r.render() for r in rows)
        header = " / ".join(_compact(x) for x in lines[first:end])
        note = f"表格重建：{len(rows)} 行（表头 {header}）"
        if empty:
            note += f"，{empty} 个空行已略去"
        removed.append(Removal(note, "\n".join(lines[first : end + used])))
        pos = end + used
