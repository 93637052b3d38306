"""Cleaning raw scraped text: boilerplate out, metadata harvested, repeats removed, tables rebuilt.

Every step is a pure function over a list of lines and reports what it removed, so
`policyqa ingest` can show a reader exactly what happened to each file.
This module is the pipeline (`clean`); its steps live in `qa.ingest.labels`, `qa.ingest.lines`,
`qa.ingest.repeats`, `qa.ingest.chrome` and `qa.ingest.tables`, and are re-exported here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qa.ingest.chrome import drop_attachment_lists, drop_chrome_lines, drop_menu_runs, drop_toc
from qa.ingest.labels import (
    drop_boilerplate,
    drop_front_matter,
    drop_leading_labels,
    drop_yaml_front_matter,
    harvest_metadata,
    harvest_page_lines,
)
from qa.ingest.lines import (
    is_title_like,
    join_broken_titles,
    join_wrapped_lines,
    split_flattened,
    split_glued_items,
    split_glued_subheadings,
    split_glued_title,
    split_inline_headings,
    strip_page_title,
)
from qa.ingest.repeats import drop_previews, drop_repeated_runs, drop_title_repeats, norm_key
from qa.ingest.tables import rebuild_tables
from qa.types import Removal

__all__ = [
    "CleanResult",
    "clean",
    "drop_boilerplate",
    "drop_front_matter",
    "drop_leading_labels",
    "drop_previews",
    "drop_repeated_runs",
    "drop_title_repeats",
    "drop_yaml_front_matter",
    "harvest_metadata",
    "harvest_page_lines",
    "is_title_like",
    "join_broken_titles",
    "join_wrapped_lines",
    "norm_key",
    "split_flattened",
    "split_glued_items",
    "split_glued_subheadings",
    "split_glued_title",
    "split_inline_headings",
    "strip_page_title",
]

_SENT_END = "。！？!?；;"


@dataclass
class CleanResult:
    """Cleaned lines, what was removed and metadata fields harvested on the way."""

    lines: list[str]
    removed: list[Removal] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _strip(line: str) -> str:
    line = line.strip().strip("\u200b\u200c\u200d\u2060\ufeff•·").strip()
    return _LIST_MARK.sub("", line)


# A Word export spaces the runs of a number apart: 第 二 章, 第1 2 条, 201 7 年 2 月
_SPACED_ORDINAL = re.compile(r"第(?:\s*[\d一二三四五六七八九十百零〇])+\s*(?=[章节条款])")
_SPACED_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d?)\s+(\d{1,2})(?=\s*年)")


# A title or a table's head set letter-spaced (秩 序 册, 教 学 常 规 管 理 制 度, 学 科 | 命 题 范 围):
# two or more single characters, each standing alone between spaces (语  文, 陈 晨 in a table's cell)
_LETTER_SPACED = re.compile(
    r"(?<![\u4e00-\u9fff])(?:[\u4e00-\u9fff][ \u3000\u00a0]+)+[\u4e00-\u9fff](?![\u4e00-\u9fff])"
)


def join_spaced(line: str) -> str:
    """The line with the spaces a Word export put inside an ordinal or a year, or between the
    characters of a letter-spaced title, taken out (a word read apart is no word to search for).

    Example:
        >>> join_spaced("第1 2 条 幼儿园实行园长负责制。"), join_spaced("第 二 章 治理结构")
        ('第12条 幼儿园实行园长负责制。', '第二章 治理结构')
        >>> join_spaced("201 7 年 2 月"), join_spaced("共 19 人，2019 年")
        ('2017 年 2 月', '共 19 人，2019 年')
        >>> join_spaced("秩 序 册"), join_spaced("语  文"), join_spaced("组员：蓝 兰 林庆芳")
        ('秩序册', '语文', '组员：蓝兰 林庆芳')
    """
    line = _LETTER_SPACED.sub(lambda m: re.sub(r"\s+", "", m.group()), line)
    line = _SPACED_ORDINAL.sub(lambda m: re.sub(r"\s+", "", m.group()), line)
    return _SPACED_YEAR.sub(
        lambda m: m.group(1) + m.group(2) if len(m.group(1) + m.group(2)) == 4 else m.group(), line
    )


# list marks, and the letters Word's Wingdings and Symbol bullets become when a page loses their font
# (u ◆, l ●, n ■, q ❑, v ❖, Ø ➢, ü ✓, § ▪) before the item's Chinese text
_LIST_MARK = re.compile(r"^(?:[■□◆◇●○▲△★☆]\s*|[ulnqvØü§][\s\u00a0]+(?=[\u4e00-\u9fff“《（]))")


# What a Chinese document is written in: CJK ideographs, ASCII, CJK and full-width punctuation,
# general punctuation, enclosed and circled numbers, box and geometric marks.
_EXPECTED = re.compile(
    r"[\u0020-\u007e\u00a0-\u00ff\u2000-\u206f\u2100-\u27bf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff"
    r"\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2e80-\u2fdf\u3200-\u32ff]"
)


def drop_garbled(lines: list[str]) -> tuple[list[str], list[Removal]]:
    """Drop lines mostly in scripts a Chinese document is not written in: a PDF whose font maps
    its glyphs to no real characters gives "฿ࣃ൧ᅱള…" for its red-letter masthead.

    Example:
        >>> drop_garbled(["฿ࣃ൧ᅱള\u0ebeჴ߶໓ࡱ", "津招委高发〔2016〕8 号"])[0]
        ['津招委高发〔2016〕8 号']
    """
    keep, gone = [], []
    for line in lines:
        chars = [c for c in line if not c.isspace()]
        odd = sum(1 for c in chars if not _EXPECTED.match(c))
        (gone if chars and odd >= max(2, len(chars) / 2) else keep).append(line)
    return keep, ([Removal(f"乱码（字体未能转成文字，{len(gone)} 行）", "\n".join(gone))] if gone else [])


def clean(raw: str, outside: list[str] | tuple[str, ...] = (), *, paged: bool = False) -> CleanResult:
    """Clean the raw text of one document.

    Args:
        raw: the text (for a web page, its main content, title first).
        outside: a web page's lines outside its main content: their labels (发布时间, 来源) are
            harvested, and they are reported as removed.
        paged: the text of a Word or PDF file, which no site framed: a run of short lines in it is
            the document's own (a handbook's mottos 崇尚科学  追求真知, a table's column labels), no menu.

    Example:
        >>> clean("当前位置:首页\\n2024年某县教育工作要点\\n一、总体\\n").lines
        ['2024年某县教育工作要点', '一、总体']
    """
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    lines = [s for s in (join_spaced(_strip(x)) for x in raw.split("\n")) if s]
    removed: list[Removal] = []
    fields: dict[str, str] = {}
    lines, fields, r = drop_yaml_front_matter(lines)
    removed += r
    lines, f, r = drop_front_matter(lines)
    fields.update({k: v for k, v in f.items() if k not in fields})
    removed += r
    lines = [s for s in (_strip(x) for x in split_glued_items(split_flattened(lines))) if s]
    page = [s for s in (_strip(x) for x in outside) if s]
    if page:
        fields.update({k: v for k, v in harvest_page_lines(page).items() if k not in fields})
        removed.append(
            Removal(f"网页正文区以外的内容（导航、栏目、页脚等，{len(page)} 行）", "\n".join(page))
        )
    if lines:
        title, cut = strip_page_title(lines[0])
        if cut:
            lines[0] = title
            removed.append(Removal("标题中的网站/栏目名", cut))

    lines, r = drop_garbled(lines)
    removed += r
    lines, f, r = harvest_metadata(lines)
    fields.update({k: v for k, v in f.items() if k not in fields})
    removed += r
    lines, f, r = drop_boilerplate(lines)
    fields.update(f)
    removed += r
    lines, f, r = drop_chrome_lines(lines)
    fields.update({k: v for k, v in f.items() if k not in fields})
    removed += r
    lines, r = drop_toc(lines)
    removed += r
    lines, r = drop_repeated_runs(lines)
    removed += r
    lines, r = drop_previews(lines)
    removed += r
    lines, r = drop_leading_labels(lines)
    removed += r
    lines = join_broken_titles(lines)
    lines = split_glued_title(lines)
    lines, r = drop_title_repeats(lines)
    removed += r
    lines = split_glued_subheadings(split_inline_headings(lines))
    lines, r = rebuild_tables(lines)
    removed += r
    lines, r = drop_attachment_lists(lines)
    removed += r
    if not paged:
        lines, r = drop_menu_runs(lines)
        removed += r
    lines = join_wrapped_lines(lines)
    return CleanResult(lines, removed, fields)
