"""The outline of a Chinese official document, and passages that follow it.

Heading markers, outermost first: 第一部分 / 第一章 / 附件 › 第一节 › 一、 / 第一条 › （一） › 1. 1、 › （1）.
A numbered item is one passage (split at sentence ends when longer than `max_chars`);
bare headings — and a title line inside the document, such as the title of an attached 方案 —
become the breadcrumb of what follows them; table rows are passages of their own. A short line
that is no sentence (a lead-in 主要任务是：, a 文号, a 落款 line) never stands alone: it joins
the passage after it, or the one before it when a heading follows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from qa.ingest.lines import DATE, DOC_NUMBER, LEGISLATED, is_date_line, is_standing_line, is_title_like
from qa.ingest.tables import ROW_LINE
from qa.types import Passage, stable_id

_CN_NUM = "一二三四五六七八九十百零〇"
LEVELS: list[tuple[float, re.Pattern[str]]] = [
    (0, re.compile(rf"^(第[{_CN_NUM}\d]+(?:部分|章)|附件\s*\d*|附\s*\d+)\s*[:：]?")),
    (0.5, re.compile(rf"^第[{_CN_NUM}\d]+节")),
    (1, re.compile(rf"^(?:[{_CN_NUM}]+\s*[、.．]|第[{_CN_NUM}\d]+条)")),
    (2, re.compile(rf"^[（(]\s*[{_CN_NUM}]+\s*[）)]")),
    (3, re.compile(r"^\d{1,3}\s*(?:[.．、](?!\d)|\s(?=[\u4e00-\u9fff]))")),
    (4, re.compile(r"^[（(]\s*\d{1,3}\s*[）)]")),
    # a Q&A page's numbered question: an item, its answer on the lines below (问题7：… / 回答：…)
    (5, _QUESTION := re.compile(r"^问题\s*\d{1,3}\s*[：:]")),
]
_QUESTION_END = re.compile(r"[？?]")
# a title inside a document outranks its chapters and attachments (第一章 / 附件 are level 0)
_TITLE_LEVEL = -0.5
_SENT_SPLIT = re.compile(r"(?<=[。；;！？!?])")
_COMMA_SPLIT = re.compile(r"(?<=[，,])")
_LABEL_END = re.compile(r"[。；;！？!?：:]")
_SENTENCE_END = re.compile(r"[。；;！？!?.…]$")
_ARTICLE = re.compile(rf"^第[{_CN_NUM}\d]+条")
# a label and its value, or a lead-in (验收要点：相关资料, 公告组组长：张静, 具体规定如下：): no title,
# though it names a genre — unless it labels an attachment, a table or a figure (附：…行事历, 表1：…)
_LABEL_COLON = re.compile(r"^(?!附\s*件?\s*\d*\s*[：:]|[表图]\s*\d+\s*[：:])[^“”《》]*?[：:]")


def is_fragment(text: str) -> bool:
    """A short line that is not a sentence: it cannot stand as a passage of its own."""
    return len(text) <= 40 and not _SENTENCE_END.search(text)


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str


def opens_part(before: str, line: str) -> bool:
    """Whether a line standing alone right under a signature's date opens the next part of a
    compilation, though it names no genre: 2025 年 9 月 23 日 / 福州八中 2025 年体育文化节“全明星”篮球赛
    (R88), …八项行动 (realdocs10), 大会纪律 (R61), …十条措施 (realdocs14). Not a note in brackets
    ((此件主动公开), <附文件>) or a contact line (本校联系人 何老师 电话 18906858200).

    Example:
        >>> opens_part("2024年09月20日", "大会纪律"), opens_part("2016年5月5日", "(此件主动公开)")
        (True, False)
    """
    return (
        is_date_line(before)
        and is_standing_line(line)
        and not line.startswith(("(", "（", "<", "〈", "《", "【", "["))
        and not re.search(r"\d{5,}", line)
    )


def heading_level(text: str) -> float | None:
    """Outline level of a line that starts with a heading marker, else None."""
    for level, rx in LEVELS:
        if rx.match(text):
            return level
    return None


def is_bare_heading(text: str) -> bool:
    """A heading with no body: short and at most one sentence (二、主要工作目标 / （一）…行动。)."""
    body = text.rstrip("。.:： ")
    for _, rx in LEVELS:
        m = rx.match(body)
        if m:
            body = body[m.end() :].lstrip(":： ")
            break
    return len(body) <= 40 and not _LABEL_END.search(body)


_LABELLED = re.compile(r"^[^\s：:，,。；;]{2,12}(?:\s*[：:]\s*|\s+)\S.*\S")


def states_labelled_value(text: str) -> bool:
    """A numbered line that states a value after its label (三、活动时间 2017年3月27日—4月26日,
    二. 比赛地点：绍兴一中田径场), not a bare label (2.基本原则：).

    Example:
        >>> states_labelled_value("四、时间安排:2024年8月24日——2024年8月30日")
        True
        >>> states_labelled_value("2.基本原则：")
        False
    """
    body = text.strip()
    if " | " in body:
        return False  # a table's row
    for level, rx in LEVELS:
        m = rx.match(body)
        if m:
            return level >= 1 and bool(_LABELLED.match(body[m.end() :].strip()))
    return False


def item_label(text: str) -> str:
    """The heading part of an item: text up to its first sentence end (7.健全校园安全稳定机制); a
    Q&A page's question whole (问题2：实践和劳动课程总的学分要求和各模块的学分情况？)."""
    if q := _QUESTION.match(text):
        m = _QUESTION_END.search(text, q.end())
        end = m.end() if m else len(text)
    else:
        m = _LABEL_END.search(text)
        end = m.start() if m else len(text)
    label = text[:end]
    return label if len(label) <= 40 else label[:40] + "…"


def iter_lines(text: str) -> Iterator[Line]:
    pos = 0
    for raw in text.split("\n"):
        if raw.strip():
            yield Line(pos, pos + len(raw), raw)
        pos += len(raw) + 1


def _pieces(text: str, rx: re.Pattern[str]) -> list[tuple[int, int]]:
    bounds, pos = [], 0
    for piece in rx.split(text):
        if piece:
            bounds.append((pos, pos + len(piece)))
            pos += len(piece)
    return bounds


def split_sentences(text: str, max_chars: int) -> list[tuple[int, int]]:
    """Split `text` at sentence ends (。；;！？) into balanced (start, end) parts of about max_chars.

    Parts aim at an even share of the text; a single sentence longer than 1.5 × max_chars
    is cut at commas as a last resort.
    """
    if len(text) <= max_chars:
        return [(0, len(text))]
    bounds: list[tuple[int, int]] = []
    for s, e in _pieces(text, _SENT_SPLIT):
        if e - s > max_chars * 3 // 2:
            bounds.extend((s + a, s + b) for a, b in _pieces(text[s:e], _COMMA_SPLIT))
        else:
            bounds.append((s, e))
    n_parts = -(-len(text) // max_chars)
    target = len(text) / n_parts
    parts: list[list[int]] = []
    for s, e in bounds:
        if (
            parts
            and (e - parts[-1][0] <= target * 1.15 or parts[-1][1] - parts[-1][0] < target * 0.5)
            and e - parts[-1][0] <= max_chars * 3 // 2
        ):
            parts[-1][1] = e
        else:
            parts.append([s, e])
    if (
        len(parts) > 1
        and parts[-1][1] - parts[-1][0] < max_chars // 4
        and parts[-1][1] - parts[-2][0] <= max_chars * 3 // 2
    ):
        tail = parts.pop()
        parts[-1][1] = tail[1]
    return [(s, e) for s, e in parts]


def passages_for(doc_id: str, text: str, *, title: str | None = None, max_chars: int = 300) -> list[Passage]:
    """Cut a cleaned document into passages that follow its outline.

    Args:
        doc_id: id of the document the passages belong to.
        text: the cleaned document text; offsets index into it.
        title: the title line, which is metadata rather than a passage.
        max_chars: items longer than this are split at sentence ends.

    Returns:
        Passages in document order, each with `text == document_text[start:end]`.
    """
    stack: list[tuple[float, str]] = []  # (level, label) of open headings
    out: list[Passage] = []
    table_title: str | None = None
    pending: list[Line] = []  # short non-sentence lines waiting for the passage after them
    heading: tuple[int, int] | None = None  # the last heading line: lines right under it are its content
    heading_section: tuple[str, ...] = ()  # …and its section path, its own label last
    # at each open outline level, whether its last line headed ("heading") or was an "item"
    last_kind: dict[float, str] = {}

    def emit(start: int, end: int, section: tuple[str, ...], kind: str) -> None:
        if pending:
            start = pending[0].start
            pending.clear()
        body = text[start:end]
        for n, (s, e) in enumerate(split_sentences(body, max_chars)):
            k = kind if n == 0 and e - s == len(body) else f"{kind}_part"
            seg = body[s:e]
            lead = len(seg) - len(seg.lstrip())
            trail = len(seg) - len(seg.rstrip())
            a, b = start + s + lead, start + e - trail
            out.append(Passage(stable_id(doc_id, str(a), text[a:b]), doc_id, a, b, text[a:b], section, k))

    def flush(closing: tuple[str, ...] | None = None) -> None:
        """Short lines with no passage after them join the one before when nothing lies between;
        else, when they are rows of a table or say more together, they are a passage of their own —
        and so, with the heading, when they are all a numbered heading holds up to the next one
        (`closing`: the heading's section)."""
        if not pending:
            return
        # 一、活动主题 / 铸工匠心·立报国志 / 二、…: the heading's content, however short, cited with
        # the heading (not a signature: an issuer and a date closing the last item)
        under = heading is not None and not text[heading[1] : pending[0].start].strip()
        dated = bool(re.search(DATE, pending[-1].text))
        whole = closing is not None and under and not dated
        # …unless they are just that, and the heading, a sentence, has nothing else under it
        signed = (
            under
            and dated
            and (not out or out[-1].end <= heading[0])
            and _SENTENCE_END.search(text[heading[0] : heading[1]].strip())
        )
        if whole:
            end = pending[-1].end
            pending.clear()
            emit(heading[0], end, closing[:-1], "para")
        elif signed:
            # （三）年度考核结果与…挂钩。 / 绍兴市第一中学 / 2022年12月21日: the last item, then the
            # issuer and the date — the item heads nothing; it is content, the signature is not
            pending.clear()
            emit(heading[0], heading[1], heading_section, "item")
        elif out and not text[out[-1].end : pending[0].start].strip():
            last = out.pop()
            end = pending[-1].end
            out.append(
                Passage(stable_id(doc_id, str(last.start), text[last.start : end]), doc_id, last.start, end,
                        text[last.start : end], last.section, last.kind)
            )  # fmt: skip
        elif (
            any(" | " in x.text for x in pending)
            or sum(len(x.text.strip()) for x in pending) > 40
            # 2016年9月23日 山东省…第二十三次会议通过: when and by whom a regulation was passed
            or any(LEGISLATED.match(x.text.strip()) for x in pending)
        ):
            emit(pending[0].start, pending[-1].end, tuple(lbl for _, lbl in stack), "para")
        pending.clear()

    lines = list(iter_lines(text))
    levels: list[float | None] = [heading_level(x.text.strip()) for x in lines]
    _continue_numbering(lines, levels)
    for n, x in enumerate(lines):
        t = x.text.strip()
        after_attachment = n > 0 and levels[n - 1] == 0 and lines[n - 1].text.strip().startswith("附")
        if (
            levels[n] is None
            and n > 0
            and not after_attachment
            and (is_title_like(t) or opens_part(lines[n - 1].text.strip(), t))
            and not _SENTENCE_END.search(t)
            and not _LABEL_COLON.search(t)
        ):
            # a title inside the document (an attached 方案's, a compilation's next rules): a top-level
            # heading, above the chapters under it (重庆邮电大学学生住宿管理办法 › 第一章 总则)
            levels[n] = _TITLE_LEVEL

    def has_children(i: int) -> bool:
        """A heading owns what follows it until a heading of its level or higher."""
        j = i + 1
        if j >= len(lines) or ROW_LINE.match(lines[j].text.strip()):
            return j < len(lines)
        nxt = levels[j]
        return nxt is None or nxt > levels[i]

    # the title's lines: the first, or the first two when it is set in two (河南理工大学 / 学生…细则)
    spelled = [x.text.strip() for x in lines[:2]]
    title_lines = 0
    if title and spelled and spelled[0] == title:
        title_lines = 1
    elif title and len(spelled) == 2 and "".join(spelled) == title:
        title_lines = 2
    for i, line in enumerate(lines):
        t = line.text.strip()
        if i < title_lines:
            continue
        if (
            i == 0
            and len(lines) > 1
            and is_fragment(t)
            and heading_level(t) is None
            and not DOC_NUMBER.match(t)
        ):
            # a first line that is no sentence names the document (Water Safety Plan 2024) even
            # when it is not taken for its title: it heads what follows, it is no part of item 1
            # (a document number, 川教发〔2026〕9号, names no section)
            stack.append((-1, t))
            continue
        row = ROW_LINE.match(t)
        if row:
            section = (*tuple(lbl for _, lbl in stack), row.group("month"))
            if table_title:
                section = (*tuple(lbl for lvl, lbl in stack if lvl <= 0), table_title, row.group("month"))
            emit(line.start, line.end, section, "table_row")
            continue
        level = levels[i]
        if level is not None:
            # A short numbered line is a heading when content follows under it, else an item.
            # …unless it continues a list of items with nothing under them (1. 2. 3. of a month
            # in a 行事历): then the line after it is the next block, not its content
            after_sibling = level >= 3 and i > 0 and levels[i - 1] == level
            before_sibling = level >= 3 and i + 1 < len(levels) and levels[i + 1] == level
            heads = (
                (is_bare_heading(t) or (level <= 0 and is_fragment(t)))
                and has_children(i)
                and not after_sibling
                # （七）双方约定的其他事项。 after items （一）…（六）: the last item of the list, a sentence
                # like them, though a paragraph of the article follows it
                and not (_SENTENCE_END.search(t) and last_kind.get(level) == "item")
                # 第十七条 师范类高等院校应当将…列为必修科目。: an article that says something in a
                # sentence is the law's text, though a paragraph of it follows; it heads nothing
                and not (_ARTICLE.match(t) and _SENTENCE_END.search(t))
            )
            if heads and level > 0:
                flush(closing=tuple(lbl for _, lbl in stack))
            while stack and stack[-1][0] >= level:
                stack.pop()
            for deeper in [lv for lv in last_kind if lv > level]:
                del last_kind[deeper]
            if heads:
                flush()
                label = t.rstrip("。.:： ")
                stack.append((level, label))
                heading = (line.start, line.end) if level > 0 else None
                heading_section = tuple(lbl for _, lbl in stack)
                last_kind[level] = "heading"
                table_title = None
                continue
            last_kind[level] = "item"
            if is_fragment(t):
                # a numbered line with nothing under it heads nothing; one of a list of such items
                # (1. 2. …) outside an attachment (a list of attached files) is still content — a
                # 行事历's “5. 全年配合妇联做好学校家庭教育工作” — and joins its neighbours as short lines do
                listed = after_sibling or before_sibling
                # (the list right under a 附件 line names attached files; deeper in an attached
                # 方案, under its own headings — （二）申报作品类别 / 1.科学类 2.益智类 … — it is content)
                attached_files = bool(stack) and stack[-1][0] == 0 and stack[-1][1].startswith("附")
                if listed and not attached_files:
                    pending.append(line)
                    continue
                # 四、时间安排:2024年8月24日——2024年8月30日, 二. 比赛地点：绍兴一中田径场: a label and
                # its value on one numbered line, with nothing under it, is what the plan says
                if attached_files or has_children(i) or not states_labelled_value(t):
                    continue
            label = item_label(t)
            emit(line.start, line.end, (*tuple(lbl for _, lbl in stack), label), "item")
            # Unnumbered paragraphs right after an item continue it: keep its label as context.
            stack.append((level, label))
            continue
        if (
            len(t) <= 40
            and not _LABEL_END.search(t.rstrip("。"))
            and "，" not in t  # 为确保…顺利进行，特制定本预案。 opens the attached 方案: no caption
            and stack
            and stack[-1][0] == 0
            and " | " not in t
            and not is_date_line(t)  # 二○一二年四月二十六日 closes a notice: it names no table
            and not t.endswith("。")  # 具体交流时间、地点由各组负责人自定。 says something: no caption
        ):
            table_title = t  # a caption under 附件: the table's name
            continue
        if is_fragment(t):
            pending.append(line)
            continue
        emit(line.start, line.end, tuple(lbl for _, lbl in stack), "para")
    flush()
    return out


_NUMBERED = re.compile(r"^(\d{1,3})\s*[.．、]")


def _continue_numbering(lines: list[Line], levels: list[float | None]) -> None:
    """Number the items whose text starts with a digit: “11.5-6月份，…” right after item 10 is
    item 11 (about May–June), not the number 11.5; “2.2020年…” after item 1 is item 2."""
    last: int | None = None  # the number of the last numbered item (1. 2. …)
    for i, x in enumerate(lines):
        m = _NUMBERED.match(x.text.strip())
        if levels[i] == 3 and m:
            last = int(m.group(1))
        elif levels[i] is None and m and last is not None and int(m.group(1)) == last + 1:
            levels[i], last = 3, last + 1
        elif levels[i] is not None and levels[i] < 3:
            last = None
