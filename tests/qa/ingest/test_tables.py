"""Tests for qa.ingest.tables: one-cell-per-line schedules rebuilt into one line per row."""

from __future__ import annotations

from qa.ingest.tables import ROW_LINE, Row, find_header, parse_rows, rebuild_tables
from qa.types import Document

HEADER = ["时间", "序号", "内 容", "主办", "股室"]


# --------------------------------------------------------------------------- unit


def test_row_renders_month_content_and_offices() -> None:
    row = Row("7-8月", "组织期末工作", ("教育股", "教研室"))
    assert row.render() == "7-8月 · 组织期末工作 · 主办：教育股、教研室"
    m = ROW_LINE.match(row.render())
    assert m is not None
    assert (m["month"], m["content"], m["office"]) == ("7-8月", "组织期末工作", "教育股、教研室")


def test_find_header_needs_three_header_cells_naming_a_content_column() -> None:
    lines = ["附件:", "主要工作安排", *HEADER, "1月"]
    assert find_header(lines) == (2, 7)
    assert find_header(["时间", "序号", "主办"]) is None  # no 内容/事项 column
    assert find_header(["内容", "主办"]) is None  # too few cells
    assert find_header(["一、指导思想", "全面贯彻落实。"]) is None


def test_parse_rows_carries_the_month_and_collects_offices() -> None:
    cells = [
        "1月",
        "1",
        "期末考试评卷组织工作",
        "教研室",
        "2",
        "教师年度考核工作",
        "人事股",
        "教研室",
        "7-8月",
        "组织期末工作",  # no number cell
        "教育股",
    ]
    rows, used, empty = parse_rows(cells)
    assert rows == [
        Row("1月", "期末考试评卷组织工作", ("教研室",)),
        Row("1月", "教师年度考核工作", ("人事股", "教研室")),
        Row("7-8月", "组织期末工作", ("教育股",)),
    ]
    assert (used, empty) == (len(cells), 0)


def test_parse_rows_counts_and_skips_empty_rows() -> None:
    cells = ["3月", "1", "学雷锋活动", "教育股", "2", "党办", "3", "安全工作培训会", "校安股"]
    rows, used, empty = parse_rows(cells)
    assert [r.content for r in rows] == ["学雷锋活动", "安全工作培训会"]
    assert (used, empty) == (len(cells), 1)


def test_parse_rows_stops_at_the_first_cell_that_is_not_table() -> None:
    cells = ["4月", "1", "组织中考体育测试工作(4月至5月)", "招生办", "以上工作请各股室认真落实。", "一、其他"]
    rows, used, _ = parse_rows(cells)
    assert rows == [Row("4月", "组织中考体育测试工作(4月至5月)", ("招生办",))]
    assert used == 4


def test_parse_rows_refuses_content_without_a_month() -> None:
    assert parse_rows(["1", "组织开学工作", "教育股"]) == ([], 1, 0)
    assert parse_rows([]) == ([], 0, 0)


def test_rebuild_tables_replaces_cells_by_rows_and_reports_it() -> None:
    lines = [
        "附件:",
        "2019年主要工作安排",
        *HEADER,
        "1月",
        "1",
        "期末考试评卷组织工作",
        "教研室",
        "2",
        "教育股",  # an empty row
        "2月",
        "1",
        "组织开学工作",
        "教育股",
        "以上安排如有变动另行通知。",
    ]
    out, removed = rebuild_tables(lines)
    assert out == [
        "附件:",
        "2019年主要工作安排",
        "1月 · 期末考试评卷组织工作 · 主办：教研室",
        "2月 · 组织开学工作 · 主办：教育股",
        "以上安排如有变动另行通知。",
    ]
    assert len(removed) == 1
    assert removed[0].reason == "表格重建：2 行（表头 时间 / 序号 / 内容 / 主办 / 股室），1 个空行已略去"
    assert removed[0].text.split("\n")[0] == "时间"
    assert removed[0].text.split("\n")[-1] == "教育股"


def test_rebuild_tables_leaves_text_without_a_table_unchanged() -> None:
    lines = ["一、指导思想", "全面贯彻落实党的十九大精神。", "时间", "序号", "内容", "只有一行"]
    assert rebuild_tables(lines) == (lines, [])


# --------------------------------------------------------------------------- known answers: 000's schedule


def test_000_schedule_is_rebuilt_into_134_rows(docs: dict[str, Document]) -> None:
    doc = docs["000"]
    rows = [line for line in doc.text.split("\n") if ROW_LINE.match(line)]
    assert len(rows) == 134
    for line in (
        "4月 · 组织中考体育测试工作(4月至5月) · 主办：招生办",
        "7-8月 · 组织期末工作 · 主办：教育股、教研室",
        "9月 · 组织开学工作 · 主办：教育股",  # its number cell was empty in the scrape
        "1月 · 2018年秋季学期期末考试评卷组织工作 · 主办：教研室",
        "12月 · 中小学校党的建设年工作总结会 · 主办：党办",
    ):
        assert rows.count(line) == 1, line
    months = [line.split(" · ")[0] for line in rows]
    assert months[0] == "1月" and months[-1] == "12月"
    first_of = {}
    for i, m in enumerate(months):
        first_of.setdefault(m, i)
    assert list(first_of) == [
        "1月",
        "2月",
        "3月",
        "4月",
        "5月",
        "6月",
        "7-8月",
        "9月",
        "10月",
        "11月",
        "12月",
    ]
    assert rows[first_of["9月"]] == "9月 · 组织开学工作 · 主办：教育股"
    # No stray cells left: the header and lone office names are gone.
    lines = doc.text.split("\n")
    for cell in ("时间", "序号", "内 容", "股室", "教研室", "招生办"):
        assert cell not in lines


def test_000_table_rebuild_is_reported(docs: dict[str, Document]) -> None:
    notes = [r.reason for r in docs["000"].removed if r.reason.startswith("表格重建")]
    assert notes == ["表格重建：134 行（表头 时间 / 序号 / 内容 / 主办 / 股室），1 个空行已略去"]
