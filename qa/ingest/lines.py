"""Lines rejoined and split: a title broken over lines or glued to a paragraph, a heading glued to
the end of one, a sentence wrapped over two lines; a page title's site and column suffix cut off."""

from __future__ import annotations

import re
from itertools import pairwise

from qa.ingest.tables import ROW_LINE
from qa.relevance import shared_cutter

# the genres of 公文 (the 15 kinds of 党政机关公文处理工作条例) and of a bureau's or school's own papers
_TITLE_GENRE = re.compile(
    r"(工作要点|工作计划|工作意见|工作总结|实施方案|实施意见|行动计划|工作方案|工作安排|通知|意见|办法|规划|报告|纲要"
    r"|细则|规定|决定|决议|公告|通告|公报|通报|请示|批复|议案|公示|章程|条例|守则|制度|规则|预案|思路|要点|计划"
    r"|方案|总结|简章|指南|指引|须知|纪要"
    # named only at the end: 扣分标准, 竞赛规程, 学生行为规范, 任课教师职责, 资金使用情况说明 (not 标准化, 规范办学)
    r"|(?:标准|规程|规范|职责|说明|手册)$"
    # a law: 中华人民共和国教育法, 学位法 (not 教学方法, 具体做法)
    r"|(?<![方做说看想用算])法$)"
)
_HEADING_CN = re.compile(
    r"(?<=[。；;!！?？])\s*(?=(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)[^。]{2,40}$)"
)
_SITE_SUFFIX = re.compile(r"\s*(?:--|——|－－|[-_|｜–—])\s*(?=[^-_|｜–—]{2,20}$)")
_PAGE_LABEL = re.compile(r"^(?:标\s*题|题\s*目|名\s*称|信息名称)\s*[:：]\s*")
# A local regulation's history under its title: 2008年12月26日 青岛市第十四届人民代表大会常务委员会
# 第七次会议通过 … 2017年10月27日 …修正 (the text is the last revision's)
LEGISLATED = re.compile(
    r"^[（(]?((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*"
    r"(?:(\S{2,12}?)第[一二三四五六七八九十]+届人民代表大会常务委员会第[一二三四五六七八九十百]+次会议)?"
    r".{0,80}?(通过|修正|修订|批准|公布|发布|施行)"
)
_GENRE_END = re.compile(
    r"(通知|意见|办法|方案|规划|细则|要点|计划|总结|报告|决定|决议|规定|纲要|公告|通告|公报|通报|请示|批复|议案|函"
    r"|公示|条例|指南|指引)[）)]?$"
)
_BREAK_OK = re.compile(r"^(?!.*〔\d{4}〕)[^。；;！？!?，,：:|]{2,32}$")
_WRAP_END = re.compile(r"[\u4e00-\u9fff，、（“《a-zA-Z0-9]$")
_WRAP_START = re.compile(r"^[\u4e00-\u9fff“《（(]")
_MARKER = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d{1,3}[.．、]|第[一二三四五六七八九十百\d]+[章节条部分]|附\s*件?\s*\d*[：:]|附\s*件?\s*\d+|【)"
)
# A full date, in digits or Chinese numerals (2021年9月30日, 二○一二年五月二十七日): of a 落款, a cover.
DATE = (
    r"(?:(?:19|20)\d{2}|[一二三四五六七八九〇○零]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月"
    r"\s*[\d一二三四五六七八九十]{1,3}\s*日"
)
_BARE_DATE = re.compile(DATE)


def is_date_line(text: str) -> bool:
    """Whether a line is a full date and nothing else (the 落款 date: 2023年3月16日, 二○一二年四月二十六日).

    Example:
        >>> is_date_line("二○一二年四月二十六日"), is_date_line("2023年3月16日印发")
        (True, False)
    """
    return bool(_BARE_DATE.fullmatch(text.strip()))


# A document number (文号) on a line of its own: 东府〔2012〕67号, 川教函〔2026〕110 号; group 1 its year.
DOC_NUMBER = re.compile(r"^\S{1,12}?[〔\[［(（]((?:19|20)\d{2})[〕\]］)）]\s*\d{1,4}\s*号$")
_DATE_ONLY = re.compile(rf"^[（(]?\s*{DATE}\s*(?:印发)?\s*[）)]?$")


# A line break a text export turned into a space: whitespace with a CJK character or mark on one side.
_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff01-\uff0f\uff1a-\uff1f\uff3b-\uff3d\u2018-\u201d\u3010\u3011"
_FLAT_GAP = re.compile(rf"(?<=[{_CJK}])[ \t\u3000\u00a0]+(?=[{_CJK}]|\d{{1,2}}[.．、]\s*[\u4e00-\u9fff])")


def split_flattened(
    lines: list[str], min_chars: int = 300, min_gaps: int = 5, page_chars: int = 1000
) -> list[str]:
    """Split a page that a text export put on one line, its line breaks turned into spaces.

    Chinese prose has no spaces between its characters, so a long line (`min_chars`) with many
    gaps (`min_gaps`) between CJK characters (…的通知 平潭教师进修学校、各中学： 近期省教育厅…) is
    lines run together: each gap is a line break again, and a heading or a breadcrumb gets its
    own line. A line of a whole page (`page_chars`) is split at any such gap.
    A gap next to a number or a Latin letter is left alone — a PDF spaces them (含 A、B 类, “211 工程”) —
    unless the number enumerates an item (…强化落实 1. 关注常态).

    Example:
        >>> split_flattened(["当前位置： 首页教育 关于做好防溺水工作的通知 各学校： 一、加强教育。" * 2], 20, 3)[:4]
        ['当前位置：', '首页教育', '关于做好防溺水工作的通知', '各学校：']
    """
    out: list[str] = []
    for line in lines:
        gaps = _FLAT_GAP.findall(line)
        many = len(gaps) >= min_gaps or (gaps and len(line) >= page_chars)
        if len(line) >= min_chars and many and line.count(" | ") < 2:
            out.extend(p for p in (x.strip() for x in _FLAT_GAP.split(line)) if p)
        else:
            out.append(line)
    return out


# Where an item starts inside text that lost its line breaks: after a sentence end, an enumerator.
_GLUED_ITEM = re.compile(
    r"(?<=[。；;！!？?：:])(?=[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[.．、](?!\d)|[①-⑳])"
)


def split_glued_items(lines: list[str], min_chars: int = 800) -> list[str]:
    """Split a page whose paragraphs were run together with nothing between them.

    A text export that drops the paragraph breaks gives one line of several thousand characters
    (…制定本工作方案。一、指导思想以习近平…。二、工作目标到2023年…). A line that long is no
    paragraph; each enumerated item (一、 （二） 3. ④) after a sentence end starts a line again.

    Example:
        >>> split_glued_items(["总则。一、目标要明确。（一）加强教育。（二）落实责任。"], 10)
        ['总则。', '一、目标要明确。', '（一）加强教育。', '（二）落实责任。']
    """
    out: list[str] = []
    for line in lines:
        if len(line) >= min_chars:
            out.extend(p for p in _GLUED_ITEM.split(line) if p)
        else:
            out.append(line)
    return out


# a line that ends in a full date (a signature: 平潭综合实验区管委会办公室 2021年9月30日) ends no title
_DATE_END = re.compile(rf"{DATE}$")
# a list item's or a note's bullet (* 国家技术发明奖…获得单位, ※ 国际部学生…, • …)
BULLET = re.compile(r"^[*•●■◆▪※►]")


# a quoted name or slogan inside a title (关于开展“学习新思想，做好接班人”主题活动的通知): its commas are its own
QUOTED_NAME = re.compile(r"“[^”]{1,30}”")
_QUOTED = re.compile(rf"{QUOTED_NAME.pattern}|《[^》]{{1,60}}》|「[^」]{{1,30}}」")


def is_title_like(line: str) -> bool:
    """A document title: short, no sentence punctuation outside quotes, names a genre (工作要点, 计划 …).

    Example:
        >>> is_title_like("四川省教育厅关于开展“启航新征程，同心向未来”青年教师风采大赛的通知")
        True
    """
    if any(c in _QUOTED.sub("", line) for c in "。，,；;") or not _TITLE_GENRE.search(line):
        return False
    if BULLET.match(line):
        # * 教育部“卓越工程师教育培养计划”实施高校: an item of a list, not a title
        return False
    if _BARE_DATE.match(line):
        # 2010年7月30日 …会议《关于修改部分地方性法规的决定》修正: a dated record, quoting a title
        return False
    if line.count("《") != line.count("》"):
        # 根据《中山市义务教育阶段学生招生工作意见 / 》和《…: a sentence broken at a bracket, no title
        return False
    # a joint notice names every issuer (四川省教育厅 四川省高级人民法院 … 关于印发《…》的通知)
    return 6 <= len(line) <= 60 or (len(line) <= 120 and "关于" in line and bool(_GENRE_END.search(line)))


def is_standing_line(line: str) -> bool:
    """A line that can only be a heading: short, no sentence punctuation outside quotes, no item
    number, no document number or date, brackets closed — at a plain text's top, its title
    though it names no genre (实外概况, 在…动员大会上讲话, 平潭开展2021年秋季“双减”工作专项督查).

    Example:
        >>> is_standing_line("实外概况"), is_standing_line("（五）心理健康与人身安全"), is_standing_line("川教函〔2026〕110 号")
        (True, False, False)
    """
    bare = _QUOTED.sub("", line)
    return (
        4 <= len(line) <= 50
        and len(re.findall(r"[\u4e00-\u9fff]", line)) >= 3
        and not any(c in bare for c in "。，,；;：:！!？?")
        and line.count("《") == line.count("》")
        and not _MARKER.match(line)
        and not BULLET.match(line)
        and not DOC_NUMBER.search(line)
        and not _BARE_DATE.search(line)
        # 上海市人民政府办公厅关于转发市教委等十一部门制订的: a title broken off mid-phrase
        and not line.endswith(("的", "和", "与", "及", "、", "关于", "对"))
    )


# the name a bound document goes by on its cover, on a line of its own: 秩序册, 任务书, 手册, 竞赛规程
_COVER_GENRE = re.compile(r"^[\u4e00-\u9fff]{0,4}(?:册|书)$")
_LABEL_LINE = re.compile(r"^[\u4e00-\u9fff]{2,6}\s*[：:]")
YEAR_MONTH = re.compile(
    r"^(?:(?:19|20)\d{2}|[一二三四五六七八九〇○零0]{4})\s*年\s*[\d一二三四五六七八九十]{1,2}\s*月(?:\s*[\d一二三四五六七八九十]{1,3}\s*日)?$"
)


def _is_slogan(line: str) -> bool:
    """Two phrases matched in length over a cover (逐梦强国新时代 跃动青春向未来): a motto, no name."""
    m = re.fullmatch(r"([\u4e00-\u9fff]{3,12})[\s\u3000，,]+([\u4e00-\u9fff]{3,12})", line.strip())
    return bool(m) and len(m.group(1)) == len(m.group(2))


def cover_title(lines: list[str], top: int = 8, above: int = 3) -> str | None:
    """The title a cover spreads over lines above the name of the book (None when the top of the
    text is no cover): 福州八中 2025 年体育文化节 / 第五十六届田径运动会 / （三江口校区） / 秩序册
    (R88), 济南外国语学校高中部 / 2018年秋季运动会 / 时间：2018年10月10日 / 秩序册 (R87),
    …项目建设 / 任务书 under the issuers and the date (R82).

    The book's name stands alone among the first `top` lines; up to `above` standing lines just
    above it name what it is of (a label line between them is passed over; a date or a motto
    ends them).

    Example:
        >>> cover_title(["济南外国语学校高中部", "2018年秋季运动会", "时间：2018年10月10日", "秩序册", "竞赛规程"])
        '济南外国语学校高中部2018年秋季运动会秩序册'
    """
    for i, line in enumerate(lines[:top]):
        genre = line.replace(" ", "")
        if not (_COVER_GENRE.match(genre) or _TITLE_GENRE.fullmatch(genre)):
            continue
        parts: list[str] = []
        for prev in reversed(lines[:i]):
            if _LABEL_LINE.match(prev):
                continue
            if (
                len(parts) == above
                or YEAR_MONTH.match(prev)
                or _is_slogan(prev)
                or not is_standing_line(prev)
            ):
                break
            parts.insert(0, prev)
        return "".join(parts) + genre if parts else None
    return None


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


# 一、工作成效（一）突出党建引领…: a heading run into its first sub-heading, nothing between them
_GLUED_SUBHEADING = re.compile(
    r"^([一二三四五六七八九十]{1,3}[、.．][^。；;，,：:！？!?（(“”\s]{2,20})(?=[（(][一二三四五六七八九十]{1,3}[）)])"
)
# 二、2025年工作思路2025年是…: a heading that names a part of a plan or report, run into its text
_GLUED_BODY = re.compile(
    r"^([一二三四五六七八九十]{1,3}[、.．](?:\d{4}年)?(?:下一步)?(?:工作思路|存在问题|工作重点|工作成效|主要成效|"
    r"主要做法|工作目标|总体要求|指导思想|基本原则|工作原则|保障措施|工作措施|主要任务|重点任务|工作要求|工作计划|"
    r"工作安排|组织领导))(?=[^。；;，,：:、\s（(）)”和与及])(?=[^。；;]{0,200}[。；;])"
)
# （一）突出党建引领，激发担当作为一是持续加强…。…二是…: a sub-heading run into the first of its points
_GLUED_POINTS = re.compile(r"^([（(][一二三四五六七八九十]{1,3}[）)][^。；;：:！？!?]{2,30}?)(?=一是)")
_FIRST_POINT = re.compile(r"^一是")


def split_glued_subheadings(lines: list[str]) -> list[str]:
    """Put a heading run into its first sub-heading, or into its first point, on its own line.

    A page that lost its line breaks runs a heading into what follows it (一、工作成效（一）突出党建
    引领，激发担当作为一是持续加强…): the sub-heading would be read as part of the heading, and the
    next one (（二）…) nested under it. A heading of ≤ 20 characters before （一）, a heading that
    names a part of a plan or report (二、工作思路, 三、存在问题) before its text, or a sub-heading
    before 一是 when 二是 follows before the next sub-heading, ends where what follows starts.

    Example:
        >>> split_glued_subheadings(["一、工作成效（一）突出党建引领，激发担当作为一是加强建设。", "二是抓好落实。"])
        ['一、工作成效', '（一）突出党建引领，激发担当作为', '一是加强建设。', '二是抓好落实。']
    """
    out: list[str] = []
    for i, line in enumerate(lines):
        m = _GLUED_SUBHEADING.match(line) or _GLUED_BODY.match(line)
        if m:
            out.append(m.group(1))
            line = line[m.end() :]
        m = _GLUED_POINTS.match(line)
        if m and _second_point_follows(line[m.end() :], lines[i + 1 :]):
            out.append(m.group(1))
            line = line[m.end() :]
        out.append(line)
    return out


def _second_point_follows(rest: str, after: list[str]) -> bool:
    """Whether 二是 comes in `rest` or in the lines `after` it, before the next sub-heading."""
    if "二是" in rest:
        return True
    for line in after:
        if _MARKER.match(line) and not line[:1].isdigit():  # 1. 2. items lie inside the points
            return False
        if "二是" in line:
            return True
    return False


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
            # a line that is a whole title already (绍兴一中五年发展规划(征求意见稿)) starts no broken one
            if any(
                _GENRE_END.search(x)
                or _DATE_ONLY.match(x)
                or _DATE_END.search(x)
                or YEAR_MONTH.match(x)
                or is_title_like(x)
                for x in run[:-1]
            ):
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


# a question's or an answer's label opens a line of a Q&A page (问题7：…, 回答：…, 问：, 答：)
_QA_LABEL = re.compile(r"^(?:问题\s*\d{0,3}|问\s*\d{0,3}|回答|答)\s*[：:]")


# a sentence's end inside a line (a numbered line holding one is a paragraph, not a heading; a line
# holding one is no site chrome)
SENTENCE_STOP = re.compile(r"[。；;！？!?]")
# a heading is a line; a numbered line longer than this in a text of paragraphs is a paragraph a break cut
_MAX_HEADING = 60
# a text whose lines run on fewer times than this is a text of paragraphs a stray break cut
_MIN_RUNS_ON = 3


def _width(line: str) -> float:
    """A line's printed width in characters: a digit or a Latin letter takes half a Chinese one."""
    return sum(0.5 if ord(c) < 128 else 1.0 for c in line)


# a count's unit carried to the next line: …严重警告扣11 / 分，记过扣13分
_UNIT_START = re.compile(r"^[分元人名个岁年月日天周次项%％]")
# a line that opens with one character and a stop carries on the last word of the line before it
# (…按所任最高级别的职务计算任职 / 分，不可累加。): no paragraph opens so
_TAIL_START = re.compile(r"^[\u4e00-\u9fff][，。；、,;]")


def _breaks_a_word(line: str, after: str) -> bool:
    """Whether the break between `line` and `after` cuts a word (…党(团)员的支 / 教教师, …工作经 / 验；,
    …计算任职 / 分，) or a count from its unit (扣11 / 分): no heading ends so."""
    if (line[-1:].isdigit() and _UNIT_START.match(after)) or _TAIL_START.match(after):
        return True
    tail = line[-4:]
    return any(s < len(tail) < e for s, e in shared_cutter().word_spans(tail + after[:4]))


def _stands_as_heading(line: str, width: float | None) -> bool:
    """A numbered line that ends short of the text's wrap width (一、高度重视，加强学生安全教育和日常管理工作):
    a heading, which a sentence does not run on from. In a text of paragraphs (no wrapped lines but
    numbered ones) every numbered line without a sentence's end is one."""
    if not _MARKER.match(line) or SENTENCE_STOP.search(line) or line.endswith(("，", "、", ",")):
        return False
    if any(line.count(a) > line.count(b) for a, b in ("“”", "（）", "()", "《》")):
        return False  # a quote or a bracket left open: 制定“心安疫线 / 守护健康”…
    return len(line) <= _MAX_HEADING if width is None else _width(line) < width - 1


def join_wrapped_lines(lines: list[str]) -> list[str]:
    """Join a sentence wrapped over two lines (…不断总结 / 办学经验的基础上，…).

    A line wraps when it holds a clause (a comma, not one inside quotes) or ends in one, ends mid-sentence, and the next
    line starts with text that is not a heading, a first point (一是…), a Q&A label (回答：), a table row or a
    date. A numbered line is a heading, which nothing runs on from, when it ends short of the width the
    text wraps at (or the text does not wrap) — unless the break cuts a word.
    """
    # the width the text wraps at: the median of the unnumbered lines that run on (when enough do)
    runs_on = sorted(_width(a) for a, b in pairwise(lines) if not _MARKER.match(a) and _wraps(a, b))
    width = runs_on[len(runs_on) // 2] if len(runs_on) >= _MIN_RUNS_ON else None
    out: list[str] = []
    for line in lines:
        if out:
            prev = out[-1]
            if _wraps(prev, line) and (not _stands_as_heading(prev, width) or _breaks_a_word(prev, line)):
                out[-1] = prev + line
                continue
        out.append(line)
    return out


def _wraps(prev: str, line: str) -> bool:
    """Whether `line` may carry on the sentence `prev` breaks off (see join_wrapped_lines)."""
    return bool(
        len(prev) >= 15
        and ("，" in _QUOTED.sub("", prev) or prev.endswith(("，", "、")))
        and _WRAP_END.search(prev)
        and not ROW_LINE.match(prev)
        and _WRAP_START.match(line)
        and not _MARKER.match(line)
        and not _QA_LABEL.match(line)
        and not _FIRST_POINT.match(line)
        and not ROW_LINE.match(line)
        and not _DATE_ONLY.match(line)
        and " | " not in line
        and " | " not in prev
    )
