"""Site chrome and other text that is not the document's own, told by the shape of lines.

The rules hold on any site because they read structure, not site names: a short line that names
a page function, counter or footer (phrases in ``qa/data/chrome.tsv``), and the other article's
title on the line after a bare 上一条： or 下一篇： label; a line made of separators
and short segments (a menu or breadcrumb); a line of buttons 【打印】【关闭】; a run of short
label-like lines before or after the document's prose (a menu); table-of-contents lines (leader
dots and a page number); a list of attachment titles or file names (附件1.docx) that is not
followed by the attachment's text. Every rule returns what it removed and why.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from qa.ingest.lines import SENTENCE_STOP
from qa.types import Removal

__all__ = [
    "chrome_reason",
    "drop_attachment_lists",
    "drop_chrome_lines",
    "drop_menu_runs",
    "drop_toc",
    "is_toc_line",
]

_MAX_CHROME_LINE = 80
_SEPARATORS = re.compile(r"\s*(?:\||>>|->|>|»|›|→|/)\s*")
# a page's buttons: 【打印】 [关闭窗口] — Chinese labels ([cefls], a pronunciation, or [1], a note, are text)
_BUTTONS = re.compile(r"【[^】]{1,6}】|\[(?=[^\]]{0,5}[\u4e00-\u9fff])[^\]]{1,6}\]")
_SYMBOLS_ONLY = re.compile(r"^[\W_]+$")
_TIMESTAMP = re.compile(r"^((?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2})\s+\d{1,2}:\d{2}(?::\d{2})?$")
_FILE_NAME = re.compile(r"\.(?:docx?|pdf|xlsx?|wps|et|zip|rar|jpe?g|png)\s*$", re.IGNORECASE)
# Table-of-contents line: a heading, leader dots (or …), a page number — in brackets in a Word
# contents page (……… (4), ………（15）)
_LEADERS = r"(?:[…‥]{2,}|(?:[.．·。_-]\s*){4,}|(?:[…‥]\s*){2,})\s*(?:\d{1,3}|[(（]\s*\d{1,3}\s*[)）])"
_TOC = re.compile(_LEADERS + r"\s*$")
_TABLE_WORD = re.compile(r"\d|序号|内容|时间|单位|名称|项目|备注|合计|类别|数量|标准|金额")
_TOC_HEAD = re.compile(r"^目\s*录$")
# A Word contents field's entry: the heading, a tab (the leader is a tab stop's, not characters), the page
_TAB_ENTRY = re.compile(r"^\S.{0,60}?\t\s*(\d{1,3})$")
_MIN_TAB_RUN = 5
_ATTACH_HEAD = re.compile(
    r"^附(?!\s*则)\s*件?\s*[0-9０-９一二三四五六七八九十]*\s*(?:[-—至、][0-9]+)?\s*[：:.．]?"
)
_CN_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十百]+[章节条部分])"
)
# a page's link to the next or previous article, its label alone on a line (上一条：); the line after it
# is the link's text, the other article's title (北京邮电大学学生管理规定: realdocs93's pages as a
# crawler saved them; realdocs35 prints the label alone, its title filled in by a script)
_NAV_LABEL = re.compile(r"^[上下]一[篇条页]\s*[:：]?$")
_DATE_LINE = re.compile(r"^[（(]?\s*(?:(?:19|20)\d{2}|[一二三四五六七八九〇○零]{4})\s*年")


@lru_cache(maxsize=1)
def _phrases() -> tuple[tuple[str, str], ...]:
    text = resources.files("qa").joinpath("data/chrome.tsv").read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            phrase, _, reason = line.partition("\t")
            out.append((phrase.strip(), reason.strip() or "网页框架"))
    return tuple(out)


def is_toc_line(line: str) -> bool:
    """A table-of-contents line: 二、总体要求……………2."""
    return bool(_TOC.search(line)) and len(line) <= 80


def chrome_reason(line: str) -> str | None:
    """Why a single line is site chrome, or None when it may be the document's own text."""
    if len(line) > _MAX_CHROME_LINE:
        return None
    if _SYMBOLS_ONLY.match(line):
        return "分隔线"
    if _TIMESTAMP.match(line):
        return "发布时间戳"
    if _FILE_NAME.search(line) and not SENTENCE_STOP.search(line):
        return "附件文件名"
    if SENTENCE_STOP.search(line) or _CN_HEADING.match(line):
        # a sentence, or a numbered heading of the document (八、技术支持), is no chrome
        return None
    for phrase, reason in _phrases():
        if phrase in line:
            return reason
    if len(_BUTTONS.findall(line)) >= 2 or re.fullmatch(r"[【\[][^】\]]{1,8}[】\]]", line):
        return "页面功能链接"
    if " | " in line:
        # The reader's table rows: a menu only when it is a row of 4+ short labels without figures.
        parts = [p.strip() for p in line.split("|") if p.strip()]
        if len(parts) >= 4 and all(len(p) <= 6 and not _TABLE_WORD.search(p) for p in parts):
            return "菜单/导航"
        return None
    parts = [p for p in _SEPARATORS.split(line) if p.strip()]
    if len(parts) >= 3 and sum(map(len, parts)) / len(parts) <= 8 and len(_SEPARATORS.findall(line)) >= 2:
        return "菜单/导航"
    return None


def _in_table(lines: list[str], i: int) -> bool:
    """A reader's table row next to another row of as many cells: a table's header (学历 | 人数 | 占比
    over 本科生 | 4834 | 83.97%), not a menu."""
    cells = lines[i].count("|")
    return any(
        0 <= j < len(lines) and " | " in lines[j] and lines[j].count("|") == cells for j in (i - 1, i + 1)
    )


def drop_chrome_lines(lines: list[str]) -> tuple[list[str], dict[str, str], list[Removal]]:
    """Remove chrome lines; a bare timestamp line (2014-03-20 15:59:35) is kept as 发布时间."""
    kept, fields, removed = [], {}, []
    link_text = False
    for i, line in enumerate(lines):
        reason = chrome_reason(line)
        if reason == "菜单/导航" and " | " in line and _in_table(lines, i):
            reason = None
        if reason is None and link_text and len(line) <= 60 and not SENTENCE_STOP.search(line):
            reason = "上一篇/下一篇"
        link_text = bool(_NAV_LABEL.match(line.strip()))
        if reason is None:
            kept.append(line)
            continue
        m = _TIMESTAMP.match(line)
        if m:
            fields.setdefault("发布时间", m.group(1))
        removed.append(Removal(reason, line))
    return kept, fields, removed


def _is_label(line: str) -> bool:
    """A menu entry: short, no punctuation or digits, not an outline heading or a date."""
    return (
        len(line) <= 10
        and not re.search(r"[0-9０-９，,。；;：:、（）()《》“”]", line)
        and not _CN_HEADING.match(line)
    )


def _is_prose(line: str) -> bool:
    return len(line) >= 30 and bool(SENTENCE_STOP.search(line))


def drop_menu_runs(lines: list[str], min_run: int = 5) -> tuple[list[str], list[Removal]]:
    """Remove runs of `min_run`+ short label lines before the first or after the last prose line.

    Inside the document such runs are table cells, which are kept.
    """
    prose = [i for i, x in enumerate(lines) if _is_prose(x)]
    if not prose:
        return lines, []
    first, last = prose[0], prose[-1]
    drop: set[int] = set()
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and _is_label(lines[j]):
            j += 1
        if j - i >= min_run and (j <= first or i > last):
            drop.update(range(i, j))
        i = max(j, i + 1)
    if not drop:
        return lines, []
    run = [lines[x] for x in sorted(drop)]
    removed = [Removal(f"菜单（连续 {len(run)} 个短标签行）", "\n".join(run))]
    return [x for n, x in enumerate(lines) if n not in drop], removed


# one entry of a table of contents run together on one line: 1.1学校概况……… 3
# (a PDF's contents may run the next entry's title into the page number: …………1高等学校学生行为准则……17)
_TOC_ENTRY = re.compile(_LEADERS + r"(?=\s|$|[\u4e00-\u9fff“《])")
_OPENING_ENTRY = re.compile(r"^.{1,60}?" + _LEADERS + r"(?=\s|[\u4e00-\u9fff“《])")


def split_run_toc(line: str) -> tuple[str, str] | None:
    """(the table of contents, the text after it) of a line that opens with three or more
    contents entries run together (a crawler's page on one line: 1.基本情况…… 3 1.1学校概况…… 3 …
    1.基本情况 平潭职业中专学校创办于1984年…), else None.

    Example:
        >>> split_run_toc("1.概况........ 3 1.1学校........ 3 2.发展........ 6 1.概况 学校创办于1984年。")
        ('1.概况........ 3 1.1学校........ 3 2.发展........ 6', '1.概况 学校创办于1984年。')
    """
    entries = list(_TOC_ENTRY.finditer(line))
    if len(entries) < 3 or entries[0].start() > 40:
        return None
    end = entries[-1].end()
    return line[:end].strip(), line[end:].strip()


def _tab_contents(lines: list[str]) -> set[int]:
    """The lines of a Word contents field (学校简介<tab>1 / 一、办学定位<tab>7 …): a run of entries with
    pages that never go back, under a 目录 heading or five entries long (a table's rows hold other
    numbers: 本科生<tab>4834)."""
    found: set[int] = set()
    i = 0
    while i < len(lines):
        j, pages = i, []
        while j < len(lines) and (m := _TAB_ENTRY.match(lines[j])):
            pages.append(int(m.group(1)))
            j += 1
        headed = i > 0 and _TOC_HEAD.match(lines[i - 1].replace("\u3000", " ").strip())
        if pages and pages == sorted(pages) and (headed or len(pages) >= _MIN_TAB_RUN):
            found.update(range(i, j))
        i = max(j, i + 1)
    return found


def drop_toc(lines: list[str]) -> tuple[list[str], list[Removal]]:
    """Remove a table of contents: its 目录 heading and every line with leader dots and a page number
    (or the run of such entries a long line opens with)."""
    runs = [split_run_toc(x) if len(x) > 80 else None for x in lines]
    toc = {i for i, x in enumerate(lines) if is_toc_line(x) or runs[i] is not None}
    toc |= _tab_contents(lines)
    if not toc:
        return lines, []
    for i in sorted(toc):
        # the last entry, run into the page after the contents (a PDF's pages joined):
        # 22. 教职工匹克球赛…………（66）第五十六届田径运动会组委会名单…
        if i + 1 < len(lines) and i + 1 not in toc and (m := _OPENING_ENTRY.match(lines[i + 1])):
            runs[i + 1] = (m.group().strip(), lines[i + 1][m.end() :].strip())
            toc.add(i + 1)
    for i in sorted(toc):
        if i > 0 and _TOC_HEAD.match(lines[i - 1].replace("\u3000", " ").strip()):
            toc.add(i - 1)
    run = [(runs[x] or (lines[x], ""))[0] for x in sorted(toc)]
    removed = [Removal(f"目录（{len(run)} 行）", "\n".join(run))]
    kept = []
    for n, x in enumerate(lines):
        if n not in toc:
            kept.append(x)
        elif runs[n] is not None and runs[n][1]:
            kept.append(runs[n][1])  # the text the contents ran into
    return kept, removed


def _is_list_title(line: str) -> bool:
    """An entry of an attachment list: a title or file name, not a sentence or a table row."""
    return len(line) <= 70 and not SENTENCE_STOP.search(line.rstrip("。")) and " | " not in line


# 组长：赵才欣（市教研室副主任）, 联系人：张老师: a label and its value, what an attachment says,
# not one of its titles
# (a numbered title, 2：活动优秀案例视频推荐汇总表, is still a title)
_LABELLED = re.compile(r"^(?=[^：:]{0,10}[\u4e00-\u9fff]{2})[^：:]{2,12}[：:]\s*\S")


# 三、在外宿期间，如发生一切人身伤亡和财产损失，由本人及家长负责，与学校无关。 / 本人申请校外住宿，
# …承诺如下：: clauses ending as a sentence or leading in, the text of an attachment, not its title
_CLAUSES = re.compile(r"[，,].*[。：:]$")


def _is_list_entry(line: str) -> bool:
    """A line after the 附件 line that may still be one of the attachments' titles."""
    return (
        _is_list_title(line)
        and not _CLAUSES.search(line.strip())
        and (not _LABELLED.match(line) or bool(_ATTACH_HEAD.match(line)))
    )


def drop_attachment_lists(lines: list[str]) -> tuple[list[str], list[Removal]]:
    """Remove lists of attachment titles (附件：1.… 2.…) whose texts do not follow.

    A list starts at a 附件/附1 line and runs over title-like lines. It is removed when it ends the
    document, is followed by the signature (an issuer line over a date) or lists only file names.
    An attachment printed in full (附件1, its title, then its text or table) is not such a list,
    nor is one whose lines say what it holds (组长：赵才欣 …).
    """
    out, removed = list(lines), []
    i = 0
    while i < len(out):
        if not (_ATTACH_HEAD.match(out[i]) and _is_list_title(out[i])):
            i += 1
            continue
        j = i + 1
        while (
            j < len(out)
            and _is_list_entry(out[j])
            and not _DATE_LINE.match(out[j])
            and not (j + 1 < len(out) and _DATE_LINE.match(out[j + 1]))  # the 落款's issuer line
        ):
            j += 1
        block = out[i:j]
        rest = out[j:]
        ends = not rest or _DATE_LINE.match(rest[0]) or (len(rest) > 1 and _DATE_LINE.match(rest[1]))
        only_files = j > i + 1 and all(_FILE_NAME.search(x) for x in block[1:])
        if (ends or only_files) and (j > i + 1 or _FILE_NAME.search(out[i])):
            removed.append(Removal(f"附件标题列表（{len(block)} 行）", "\n".join(block)))
            del out[i:j]
            continue
        i = j
    return out, removed
