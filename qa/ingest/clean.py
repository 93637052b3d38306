"""Cleaning raw scraped text: boilerplate out, metadata harvested, repeats removed, tables rebuilt.

Every step is a pure function over a list of lines and reports what it removed, so
`policyqa ingest` can show a reader exactly what happened to each file.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from qa.ingest.tables import rebuild_tables
from qa.types import Removal

# Labels of the metadata blocks government sites print above an article.
_META_LABELS = (
    "信息名称",
    "索引号",
    "主题分类",
    "体裁分类",
    "组配分类",
    "文件编号",
    "发布机构",
    "生成日期",
    "公开日期",
    "废止日期",
    "内容概述",
    "发文机关",
    "发文字号",
    "成文日期",
    "发布日期",
    "发布时间",
    "文章来源",
    "来源",
    "作者",
    "浏览次数",
    "点击数",
    "时效",
)
# A label followed by a colon or by spacing, never a sentence that merely starts with the word (来源于群众…).
_META_LINE = re.compile(r"^(?:{})(?:\s*[:：]|\s+\S|\s*$)".format("|".join(_META_LABELS)))
_META_PAIR = re.compile(
    r"({})\s*[:：]?\s*(.*?)\s*(?=(?:\|\s*)?(?:{})\s*[:：]?|$)".format(
        "|".join(_META_LABELS), "|".join(_META_LABELS)
    )
)
_BOILERPLATE = [
    (re.compile(r"当前位置"), "导航路径"),
    (re.compile(r"欢迎访问|欢迎您|欢迎光临"), "网站欢迎语"),
    (re.compile(r"范文网"), "转载网站标记"),
    (re.compile(r"^TAG标签|^标签[:：]"), "网站标签"),
    (
        re.compile(r"扫一扫|在手机打开|打印本页|关闭窗口|分享到|【字体|字号[:：]|上一篇|下一篇"),
        "页面功能链接",
    ),
    (re.compile(r"责任编辑|版权所有|网站地图|ICP备|网站标识码|联系我们"), "页脚"),
    (re.compile(r"^文章来源?[:：]?$|^源[^\u3002\uff0c,]{0,10}网"), "“文章来源”残片"),
]
_SENT_END = "。！？!?；;"
_TITLE_GENRE = re.compile(
    r"(工作要点|工作计划|工作意见|工作总结|实施方案|实施意见|行动计划|工作方案|工作安排|通知|意见|办法|规划|报告|纲要)"
)
_HEADING_CN = re.compile(
    r"(?<=[。；;!！?？])\s*(?=(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)[^。]{2,40}$)"
)
_ELLIPSIS = re.compile(r"(\.{3,}|…+)$")


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
    return line.strip().strip("\u200b\u200c\u200d\u2060\ufeff•·").strip()


def norm_key(text: str) -> str:
    """A comparison key: NFKC, no whitespace, no punctuation (so 19. 建立 == 19建立)."""
    t = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in t if ch.isalnum())


def harvest_metadata(lines: list[str]) -> tuple[list[str], dict[str, str], list[Removal]]:
    """Pull label/value metadata lines (来源:, 发布日期:, 索引号 …) out of the text into fields."""
    kept, fields, removed = [], {}, []
    for line in lines:
        if _META_LINE.match(line) and len(line) < 160:
            for label, value in _META_PAIR.findall(line):
                value = value.strip(" |")
                if value and label not in fields:
                    fields[label] = value
            removed.append(Removal("元数据行（已提取）", line))
            continue
        kept.append(line)
    return kept, fields, removed


def drop_boilerplate(lines: list[str]) -> tuple[list[str], dict[str, str], list[Removal]]:
    """Remove site navigation, banners and footers; remember the site name a banner names."""
    kept, fields, removed = [], {}, []
    for line in lines:
        for rx, reason in _BOILERPLATE:
            if rx.search(line):
                m = re.search(r"欢迎访问(.+?(?:网站|网))", line)
                if m:
                    fields.setdefault("网站", m.group(1))
                removed.append(Removal(reason, line))
                break
        else:
            kept.append(line)
    return kept, fields, removed


def is_title_like(line: str) -> bool:
    """A document title: short, no sentence punctuation, names a genre (工作要点, 计划 …)."""
    return 6 <= len(line) <= 60 and not any(c in line for c in "。，,；;") and bool(_TITLE_GENRE.search(line))


def split_glued_title(lines: list[str]) -> list[str]:
    """Split a title glued to the first paragraph (2024年融安县教育工作要点总体思路:…)."""
    out = list(lines)
    for i, line in enumerate(out[:3]):
        if len(line) <= 60:
            continue
        m = re.match(
            r"^((?:\d{4}年)?[^。，,：:]{2,40}?(?:工作要点|工作计划|工作意见|实施方案|工作方案))(?=\S)", line
        )
        if m and not is_title_like(line):
            out[i : i + 1] = [m.group(1), line[m.end() :]]
            break
    return out


def split_inline_headings(lines: list[str]) -> list[str]:
    """Put a heading glued to the end of a paragraph (…影响力。一、坚定不移…) on its own line."""
    out = []
    for line in lines:
        parts = _HEADING_CN.split(line)
        out.extend(p for p in parts if p)
    return out


def drop_leading_labels(lines: list[str]) -> tuple[list[str], list[Removal]]:
    """Drop short site-column labels (历史规划, 规划计划) standing before the title."""
    for i, line in enumerate(lines[:4]):
        if is_title_like(line):
            labels = [x for x in lines[:i] if len(x) <= 8 and not re.search(r"\d|[。，,:：]", x)]
            if labels:
                rest = [x for x in lines[:i] if x not in labels]
                return rest + lines[i:], [Removal("栏目名", x) for x in labels]
            break
    return lines, []


def drop_repeated_runs(lines: list[str], min_chars: int = 300) -> tuple[list[str], list[Removal]]:
    """Remove a later verbatim copy of a run of lines (a scrape holding its whole plan twice).

    A run is seeded by a line of 20+ characters seen before and extended line by line;
    only runs of `min_chars` or more count, so repeated table cells stay.
    """
    keys = [norm_key(x) for x in lines]
    first_seen: dict[str, int] = {}
    drop = [False] * len(lines)
    i = 0
    while i < len(lines):
        k = keys[i]
        j = first_seen.get(k)
        if j is not None and len(k) >= 20 and not drop[i]:
            n = 0
            while i + n < len(lines) and j + n < i and keys[j + n] == keys[i + n]:
                n += 1
            # Extend backwards over short lines (a title before the first long line).
            b = 0
            while (
                i - b - 1 >= j + n
                and j - b - 1 >= 0
                and keys[i - b - 1] == keys[j - b - 1]
                and not drop[i - b - 1]
            ):
                b += 1
            if sum(len(keys[x]) for x in range(i - b, i + n)) >= min_chars:
                for x in range(i - b, i + n):
                    drop[x] = True
                i += n
                continue
        first_seen.setdefault(k, i)
        i += 1
    removed = []
    if any(drop):
        run = [lines[x] for x in range(len(lines)) if drop[x]]
        removed.append(
            Removal(f"重复内容（{len(run)} 行，{sum(map(len, run))} 字，保留第一份）", "\n".join(run))
        )
    return [x for x, d in zip(lines, drop, strict=True) if not d], removed


def drop_previews(lines: list[str]) -> tuple[list[str], list[Removal]]:
    """Remove a paragraph repeated elsewhere as a whole or as a truncated preview ending in "...".

    The copy kept is the one that appears in the document's own structure (the later, numbered one
    for a preview at the top), so passages keep their section.
    """
    keys = [norm_key(_ELLIPSIS.sub("", x)) for x in lines]
    truncated = [bool(_ELLIPSIS.search(x)) for x in lines]
    drop, removed = set(), []
    for i, k in enumerate(keys):
        if len(k) < 30 or i in drop:
            continue
        for j, other in enumerate(keys):
            if i == j or j in drop or len(other) < len(k):
                continue
            same = other == k and j > i
            prefix = truncated[i] and other.startswith(k) and other != k
            inner = len(k) >= 60 and k in other and other != k and not truncated[i]
            if same or prefix or inner:
                drop.add(i)
                why = "截断的重复段落" if truncated[i] else "重复段落"
                removed.append(Removal(why, lines[i]))
                break
    return [x for n, x in enumerate(lines) if n not in drop], removed


def drop_title_repeats(lines: list[str]) -> tuple[list[str], list[Removal]]:
    """Drop a second title line that only repeats the first (xx市教育局xxxx年工作要点)."""
    if not lines or not is_title_like(lines[0]):
        return lines, []
    shape = re.sub(r"[0-9xX某]+", "#", lines[0])
    kept, removed = [lines[0]], []
    for line in lines[1:]:
        if len(line) <= 60 and re.sub(r"[0-9xX某]+", "#", line) == shape:
            removed.append(Removal("重复标题", line))
        else:
            kept.append(line)
    return kept, removed


def clean(raw: str) -> CleanResult:
    """Clean the raw text of one document.

    Example:
        >>> clean("当前位置:首页\\n2024年某县教育工作要点\\n一、总体\\n").lines
        ['2024年某县教育工作要点', '一、总体']
    """
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    lines = [s for s in (_strip(x) for x in raw.split("\n")) if s]
    removed: list[Removal] = []
    fields: dict[str, str] = {}

    lines, f, r = harvest_metadata(lines)
    fields.update(f)
    removed += r
    lines, f, r = drop_boilerplate(lines)
    fields.update(f)
    removed += r
    lines, r = drop_repeated_runs(lines)
    removed += r
    lines, r = drop_previews(lines)
    removed += r
    lines, r = drop_leading_labels(lines)
    removed += r
    lines = split_glued_title(lines)
    lines, r = drop_title_repeats(lines)
    removed += r
    lines = split_inline_headings(lines)
    lines, r = rebuild_tables(lines)
    removed += r
    return CleanResult(lines, removed, fields)
