"""Cleaning raw scraped text: boilerplate out, metadata harvested, repeats removed, tables rebuilt.

Every step is a pure function over a list of lines and reports what it removed, so
`policyqa ingest` can show a reader exactly what happened to each file.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from qa.ingest.chrome import drop_attachment_lists, drop_chrome_lines, drop_menu_runs, drop_toc
from qa.ingest.tables import ROW_LINE, rebuild_tables
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
    "浏览量",
    "阅读次数",
    "访问次数",
    "时效",
    "发表时间",
    "发文日期",
    "名称",
    "文号",
    "分类",
    "公报期号",
    "信息索取号",
    "类目名称",
    "责任部门",
    "公开方式",
)
# Labels read only from the page lines outside a web page's main content (a bare 时间 inside a
# document is a schedule, not the publication date).
_PAGE_LABELS = ("时间",)
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
    r"(工作要点|工作计划|工作意见|工作总结|实施方案|实施意见|行动计划|工作方案|工作安排|通知|意见|办法|规划|报告|纲要"
    r"|细则|规定|决定|公告|通报|公示)"
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
    line = line.strip().strip("\u200b\u200c\u200d\u2060\ufeff•·").strip()
    return _LIST_MARK.sub("", line)


_LIST_MARK = re.compile(r"^[■□◆◇●○▲△★☆]\s*")
# A spaced-out label (索 引 号:, 名　　称:) read as its label (索引号:, 名称:).
_SPACED_LABEL = re.compile(r"^((?:[\u4e00-\u9fff][ \u3000\t]+){1,3}[\u4e00-\u9fff])(?=\s*[:：])")


def _unspace_label(line: str) -> str:
    return _SPACED_LABEL.sub(lambda m: re.sub(r"\s", "", m.group(1)), line)


def norm_key(text: str) -> str:
    """A comparison key: NFKC, no whitespace, no punctuation (so 19. 建立 == 19建立)."""
    t = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in t if ch.isalnum())


def harvest_metadata(lines: list[str]) -> tuple[list[str], dict[str, str], list[Removal]]:
    """Pull label/value metadata lines (来源:, 发布日期:, 索引号 …) out of the text into fields."""
    kept, fields, removed = [], {}, []
    for line in lines:
        line = _unspace_label(line)
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


_PAGE_PAIR = re.compile(
    r"({})\s*[:：]\s*(.*?)\s*(?=(?:\|\s*)?(?:{})\s*[:：]|$)".format(
        "|".join((*_META_LABELS, *_PAGE_LABELS)), "|".join((*_META_LABELS, *_PAGE_LABELS))
    )
)
_SITE_SUFFIX = re.compile(r"\s*(?:--|——|－－|[-_|｜–—])\s*(?=[^-_|｜–—]{2,20}$)")
_PAGE_LABEL = re.compile(r"^(?:标\s*题|题\s*目|名\s*称|信息名称)\s*[:：]\s*")
_GENRE_END = re.compile(
    r"(通知|意见|办法|方案|规划|细则|要点|计划|总结|报告|决定|规定|纲要|公告|通报|批复|函|公示|条例)[）)]?$"
)
_BREAK_OK = re.compile(r"^(?!.*〔\d{4}〕)[^。；;！？!?，,：:|]{2,32}$")
_WRAP_END = re.compile(r"[\u4e00-\u9fff，、（“《a-zA-Z0-9]$")
_WRAP_START = re.compile(r"^[\u4e00-\u9fff“《（(]")
_MARKER = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d{1,3}[.．、]|第[一二三四五六七八九十百\d]+[章节条部分]|附\s*件?\s*\d*[：:]|附\s*件?\s*\d+|【)"
)
_DATE_ONLY = re.compile(
    r"^[（(]?\s*(?:(?:19|20)\d{2}|[一二三四五六七八九〇○零]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月"
    r"\s*[\d一二三四五六七八九十]{1,3}\s*日\s*(?:印发)?\s*[）)]?$"
)


def harvest_page_lines(outside: list[str]) -> dict[str, str]:
    """Label fields (发布时间, 来源, 发文日期 …) printed on a web page outside its main content."""
    fields: dict[str, str] = {}
    for line in outside:
        line = _unspace_label(line)
        if len(line) >= 160:
            continue
        for label, value in _PAGE_PAIR.findall(line):
            value = value.strip(" |")
            if value and label not in fields:
                fields[label] = value
    return fields


def strip_page_title(line: str) -> tuple[str, str | None]:
    """A page title without its site and column labels and page labels (标  题:), and what was cut.

    Example:
        >>> strip_page_title("关于公布2021年度工作要点的通知--党政办-绍兴市第一中学")
        ('关于公布2021年度工作要点的通知', '--党政办-绍兴市第一中学')
    """
    head = _PAGE_LABEL.sub("", line)
    title = head
    while True:
        matches = list(_SITE_SUFFIX.finditer(title))
        if not matches:
            break
        m = matches[-1]
        before = title[: m.start()]
        if not is_title_like(before) or re.search(r"\d$", before):
            break
        title = before
    cut = line[len(line) - (len(head) - len(title)) :] if title != head else ""
    cut = (line[: len(line) - len(head)] + cut) if head != line or cut else ""
    return title, (cut or None)


def join_broken_titles(lines: list[str]) -> list[str]:
    """Join a title printed over 2–4 short lines (…转发省教育厅等部门 / 关于做好… / …的通知)."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        joined = None
        for n in (4, 3, 2):
            run = lines[i : i + n]
            if len(run) < n or not all(_BREAK_OK.match(x) and not _MARKER.match(x) for x in run):
                continue
            if any(_GENRE_END.search(x) or _DATE_ONLY.match(x) for x in run[:-1]):
                continue
            text = "".join(run)
            if _GENRE_END.search(run[-1]) and is_title_like(text) and len(text) <= 90:
                joined = text
                break
        if joined is not None:
            out.append(joined)
            i += n
        else:
            out.append(lines[i])
            i += 1
    return out


def join_wrapped_lines(lines: list[str]) -> list[str]:
    """Join a sentence wrapped over two lines (…不断总结 / 办学经验的基础上，…).

    A line wraps when it holds a clause (a comma) or ends in one, ends mid-sentence, and the next
    line starts with text that is not a heading, a table row or a date.
    """
    out: list[str] = []
    for line in lines:
        if out:
            prev = out[-1]
            wraps = (
                len(prev) >= 15
                and ("，" in prev or prev.endswith(("，", "、")))
                and _WRAP_END.search(prev)
                and not ROW_LINE.match(prev)
                and _WRAP_START.match(line)
                and not _MARKER.match(line)
                and not ROW_LINE.match(line)
                and not _DATE_ONLY.match(line)
                and " | " not in line
                and " | " not in prev
            )
            if wraps:
                out[-1] = prev + line
                continue
        out.append(line)
    return out


def clean(raw: str, outside: list[str] | tuple[str, ...] = ()) -> CleanResult:
    """Clean the raw text of one document.

    Args:
        raw: the text (for a web page, its main content, title first).
        outside: a web page's lines outside its main content: their labels (发布时间, 来源) are
            harvested, and they are reported as removed.

    Example:
        >>> clean("当前位置:首页\\n2024年某县教育工作要点\\n一、总体\\n").lines
        ['2024年某县教育工作要点', '一、总体']
    """
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    lines = [s for s in (_strip(x) for x in raw.split("\n")) if s]
    removed: list[Removal] = []
    fields: dict[str, str] = {}
    page = [s for s in (_strip(x) for x in outside) if s]
    if page:
        fields.update(harvest_page_lines(page))
        removed.append(
            Removal(f"网页正文区以外的内容（导航、栏目、页脚等，{len(page)} 行）", "\n".join(page))
        )
    if lines:
        title, cut = strip_page_title(lines[0])
        if cut:
            lines[0] = title
            removed.append(Removal("标题中的网站/栏目名", cut))

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
    lines = split_inline_headings(lines)
    lines, r = rebuild_tables(lines)
    removed += r
    lines, r = drop_attachment_lists(lines)
    removed += r
    lines, r = drop_menu_runs(lines)
    removed += r
    lines = join_wrapped_lines(lines)
    return CleanResult(lines, removed, fields)
