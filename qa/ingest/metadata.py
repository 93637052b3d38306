"""Document metadata read from the document itself, never composed: title, issuer, place, year, date.

Each field is taken from the first place that states it, and that place is recorded
(`FIELD_SOURCES` lists their names) so `policyqa ingest` can show where a value came from:

* title — the title line (a web page's <h1>/<title> without site labels, or the first title-like
  line below the 公文版头 — copy number, masthead "<body>文件", document number "东府〔2012〕67号";
  a title printed over several lines is joined while cleaning), else the 信息名称 a site printed,
  else for a covering notice printed without its own title the title of the document it forwards
  (现将《…》印发给你们, that title on its own line below); when none exists the file name stands
  in, marked as such.
* issuer — the body named before 关于/印发/转发 in the title, the signature (落款: an
  organisation line over a date line), a title-like line "<body><year>年…" naming a body, the
  site's 发布机构/来源 fields, the masthead (版头), and for bundled-style plans the bureau the body
  names.
* date — the 落款 date, a cover date under the title, else 发文日期/成文日期, else the page's
  发布时间.  year — the title's year, else the date's, else the document number's (〔2015〕).
* place — the most specific place the title, issuer or site fields name; else one dominant in the
  body. Places resolve through the gazetteer (`qa.places`) to province/city/county.

An anonymised title (某市, xx县) gives no place: better unknown than invented.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from qa.ingest.lines import (
    DATE,
    DOC_NUMBER,
    LEGISLATED,
    QUOTED_NAME,
    YEAR_MONTH,
    cover_title,
    is_standing_line,
    is_title_like,
)
from qa.ingest.repeats import norm_key
from qa.numerals import parse_numeral as cn_to_int
from qa.places import Place, find_places, resolve_mentions, short_name
from qa.types import DocMeta

FIELD_SOURCES = (
    "标题行", "落款", "封面", "正文", "发文日期", "发布时间", "网站栏目", "由日期推得", "地名库", "文件名", "目录文件",
    "版头", "发文字号",
)  # fmt: skip

_ORG_SUFFIX = (
    r"(?:教育局|教育厅|教育委员会|教委|教育和体育局|教育体育局|教体局|教育考试院|考试院|招生委员会|招委|"
    r"人民政府办公厅|人民政府办公室|人民政府|"
    r"办公厅|办公室|委员会|教育部|文体教育局|[一二三四五六七八九十]中|中学|小学|学校|学院|大学|幼儿园|"
    # bureaus that hold education under another name (社会事业局, 教育文体局, 开发区管委会 …)
    r"(?:事业|发展|事务|文教|文化|文体|体育|宣教)局|管委会|管理委员会|研究室|研究院|教研室|发展中心|"
    # a school's or bureau's party body (复兴高级中学党总支, 某县教育局党组)
    r"党委|党组|党总支|党支部)"
)
# the field that carries the title a file declares (a Markdown file's level-1 heading)
DECLARED_TITLE = "文件标题"
_ORG = re.compile(rf"{_ORG_SUFFIX}$")
# 转发绍兴市教育局关于…的意见: a page forwarding a document names its issuer after 转发
_ORG_IN_TITLE = re.compile(
    rf"^(?:转发[：:]?[《“\"]?)?(?:\d{{4}}年)?([^\s\d《》“”，,：:（）()]{{2,20}}?{_ORG_SUFFIX})(?=关于|转发|印发|\d{{4}}年|[^\d]{{0,2}}$)"
)
# a joint notice's title names its issuers side by side, the lead one first
# (四川省教育厅 四川省高级人民法院 … 四川省司法厅关于印发…的通知), or the lead one and how many
# more (四川省教育厅等五部门关于印发…)
_JOINT_TITLE = re.compile(
    rf"^([^\s\d《》“”，,：:（）()]{{2,20}}?{_ORG_SUFFIX})"
    rf"(?:[ \u3000]+[^《》“”]{{2,80}}?|等[一二三四五六七八九十]{{1,3}}个?部门)关于"
)
# a repost's opening line: 6月12日，西安市教育局发布《关于做好…的通知》，具体内容如下↓↓↓
_LEAD_IN = re.compile(
    rf"(?:([^\d，,。；;《》“”]{{2,20}}?{_ORG_SUFFIX}))?(?:发布|印发|公布|出台|下发)了?《([^《》]{{6,80}})》[^《》]{{0,20}}?如下[：:。，,!！↓⬇\s]*$"
)
# 温州市第五十一中学安全工作章程, 广东工业大学学生资助工作实施办法: a school's own rules name the
# school before their topic and genre (no 关于; a school prints them without a 落款)
_SCHOOL_LEADS_TITLE = re.compile(
    r"^([^\s\d《》“”，,：:（）()]{2,20}?(?:中学|小学|学校|学院|大学|幼儿园|[一二三四五六七八九十]中(?!学)))(?=[^\d]{2,}$)"
)
# …unless it names schools of a kind, not one school (上海市中小学校学生伤害事故处理条例,
# 普通高等学校设置暂行条例, 职业学校学生实习管理规定)
_SCHOOLS_OF_A_KIND = re.compile(
    r"中小学|高等学校|高等院校|高校|职业学校|中职学校|技工学校|义务教育|各级|各类|普通|民办|公办|^(?:中学|小学|学校|学院|大学|幼儿园)$"
)
# （三）温州市第五十一中学生学籍管理条例: a handbook's numbering before a title is not part of it
_TITLE_NUMBER = re.compile(
    r"^(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、|\d{1,2}[.、．])\s*(?=\S{6})"
)
_ORG_BEFORE_YEAR = re.compile(rf"^([^\d《》“”，,：:]{{2,16}}?{_ORG_SUFFIX})(?:\d{{4}}|[xX×]{{4}})年")
_ANON = re.compile(r"某[省市县区]|[xX×＊*]{2}[省市县区]")
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_CN_DATE = re.compile(
    r"([一二三四五六七八九〇○零]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)
_DATE_LINE = re.compile(rf"^[（(]?\s*{DATE}\s*[）)]?$")
_YEAR = re.compile(r"((?:19|20)\d{2}) ?年")  # (2007 年: a Word page's spaced digits)
_SIGNATURE_LINE = re.compile(rf"^(\S{{4,30}})[ \u3000]+({DATE})$")
_SIGNATURE_ORG = re.compile(r"^[^\d，,。；;：:、（）()《》“”|]{2,30}$")
_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"○": "0", "零": "0"}
# A document that names itself (本要点, 本计划 …) tells its genre.
_WORK_PLAN = re.compile(r"工作(要点|计划|总结|意见)")
_SELF_GENRE = re.compile(r"本(要点|计划|方案|意见|办法)")


@dataclass(frozen=True)
class Found:
    """Detected metadata and where each field came from (field name → one of FIELD_SOURCES)."""

    meta: DocMeta
    sources: dict[str, str] = field(default_factory=dict)


def parse_date(text: str) -> str | None:
    """The first date in `text` as YYYY-MM-DD (2016-2-29, 2016年 2月24日, 二○一一年七月十八日)."""
    m = _DATE.search(text)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = _CN_DATE.search(text)
        if not m:
            return None
        y = int("".join(_CN_DIGIT[c] for c in m.group(1)))
        mo, d = cn_to_int(m.group(2)), cn_to_int(m.group(3))
        if mo is None or d is None:
            return None
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y}-{mo:02d}-{d:02d}"


# The head of an official document (公文版头) above its title: the copy number (份号), secrecy and
# urgency marks, the red-letter masthead "<body>文件", the document number "东府〔2012〕67号".
_COPY_NO = re.compile(r"^\d{3,8}$")
_MARK = re.compile(r"^(?:特急|加急|急件|平急|秘密|机密|绝密|内部|公开)(?:[★\s].*)?$")
_MASTHEAD = re.compile(r"^(\S{2,30}?)文件$")
# an attachment saved as a file of its own opens with its label (附件1), as GB/T 9704 prints it
_ATTACHMENT_LABEL = re.compile(r"^附件\s*\d{0,2}\s*[:：]?$")
# the addressees of a notice (各区教育局，直属中小学：), however many departments it names
_SALUTATION = re.compile(r"^[^。；;]{2,200}[:：]$")
# 现将《…》印发给你们, or 《…》已经市政府同意，现印发给你们
_FORWARDED = re.compile(
    r"现将《([^《》]{4,60})》|^《([^《》]{4,60})》[^。《》]{0,20}?同意[，,]现(?:印发|转发)给你们"
)


@dataclass(frozen=True)
class Head:
    """What the lines above a document's title say: how many there are, the masthead's body, the
    year of the document number."""

    skip: int = 0
    masthead: str | None = None
    number_year: int | None = None


def document_head(lines: list[str]) -> Head:
    """The 公文版头 lines at the top, before the title (none for most web pages and plans).

    Example:
        >>> document_head(["00001", "东莞市人民政府文件", "东府〔2012〕67号", "关于印发《…》的通知"])
        Head(skip=3, masthead='东莞市人民政府', number_year=2012)
    """
    skip, masthead, year = 0, None, None
    for n, line in enumerate(lines[:6]):
        text = line.replace(" ", "").replace("\u3000", "")
        if _COPY_NO.match(text) or _MARK.match(text) or (n == 0 and _ATTACHMENT_LABEL.match(text)):
            pass
        elif (m := _MASTHEAD.match(text)) and _ORG.search(m.group(1)):
            masthead = m.group(1)
        elif m := DOC_NUMBER.match(text):
            year = int(m.group(1))
        else:
            break
        skip += 1
    return Head(skip, masthead, year)


def forwarded_title(lines: list[str]) -> str | None:
    """A covering notice printed without its own title: the document it forwards, when that
    document's title stands on its own line below, past the notice's signature (武教规〔2015〕3号 /
    各区教育局： / 现将《武汉市中小学生学籍管理暂行规定》印发给你们 / 武汉市中小学生学籍管理暂行规定;
    a joint notice's block of fifteen issuers and its date may stand between)."""
    if not lines or not _SALUTATION.match(lines[0].strip()):
        return None
    for i, line in enumerate(lines[1:4], start=1):
        m = _FORWARDED.search(line)
        named = m and (m.group(1) or m.group(2))
        if named and any(norm_key(x) == norm_key(named) for x in lines[i + 1 : i + 10]):
            return named
    return None


def title_above_salutation(lines: list[str]) -> str | None:
    """The title-like line right above the addressees (各区人民政府，市政府各部门：) near the top,
    when a masthead the head does not recognise stands first (F 佛山市人民政府办公室文件 SFG2012010号 |
    主动公开 / 佛府办〔2012〕36号 / 印发…实施办法的通知 / 各区人民政府，…:)."""
    for i, line in enumerate(lines[1:6], start=1):
        if _SALUTATION.match(line.strip()):
            above = lines[i - 1].strip()
            return above if is_title_like(above) else None
    return None


def org_over_title(lines: list[str]) -> str | None:
    """A title set in two lines, the issuing body's name alone over the rest (河南理工大学 /
    学生违纪处理实施细则（修订）, 重庆邮电学院 / 教师教学工作手册): the two read as one title.

    Example:
        >>> org_over_title(["河南理工大学", "学生班级活动管理细则（试行）", "第一章 总  则"])
        '河南理工大学学生班级活动管理细则（试行）'
    """
    if len(lines) < 2:
        return None
    org, rest = lines[0].strip(), lines[1].strip()
    if not (is_org_name(org) and is_standing_line(org) and not is_title_like(org)):
        return None
    if not (is_standing_line(rest) and is_title_like(rest)):
        return None
    return org + rest


def reposted_title(lines: list[str]) -> tuple[str, str | None] | None:
    """The title a repost names in its opening line (and the body it says issued it), when the
    page prints no title line.

    Example:
        >>> reposted_title(["6月12日，西安市教育局发布《关于做好2023年义务教育招生入学工作的通知》，具体内容如下↓↓↓"])
        ('关于做好2023年义务教育招生入学工作的通知', '西安市教育局')
    """
    for line in lines[:2]:
        if m := _LEAD_IN.search(line):
            org = m.group(1)
            return m.group(2), (org if org and is_org_name(org) else None)
    return None


def detect_title(lines: list[str], fields: dict[str, str]) -> str | None:
    """The title line (below the 公文版头, if any), or the 信息名称/名称 a site printed above it."""
    return _title_below(lines[document_head(lines).skip :], fields)


def _title_below(below: list[str], fields: dict[str, str]) -> str | None:
    """`detect_title` on the lines below the 公文版头; a title a file header labels (标题: …) first."""
    if fields.get("标题") and is_title_like(fields["标题"]):
        return fields["标题"]
    if below and is_title_like(below[0]):
        return below[0]
    if below and _LETTER_SPACED.fullmatch(below[0]):
        # 教 学 常 规 管 理 制 度: a title printed letter-spaced (R38's school .doc)
        joined = re.sub(r"[ \u3000]+", "", below[0])
        if is_title_like(joined):
            return joined
    for key in ("信息名称", "名称", "页面标题"):
        if fields.get(key) and is_title_like(fields[key]):
            return fields[key]
    return None


# one CJK character after another with spaces between: 教 学 常 规 管 理 制 度
_LETTER_SPACED = re.compile(r"[\u4e00-\u9fff](?:[ \u3000]+[\u4e00-\u9fff]){3,}")


def _own_spelling(title: str, lines: list[str]) -> str:
    """The body's spelling of a title a page printed without its quotes (十四五 → “十四五”)."""
    key = norm_key(title)
    for line in lines[1:200]:
        if line != title and norm_key(line) == key and not line.startswith("《"):
            return line
    return title


def detect_date(fields: dict[str, str]) -> str | None:
    """The date a site printed: the document's own (发文日期, 成文日期) before the posting date."""
    for key in ("发文日期", "成文日期", "发布日期", "生成日期", "公开日期", "发布时间", "发表时间", "时间"):
        d = parse_date(fields.get(key, ""))
        if d:
            return d
    return None


# the national body that passed or issued a law or 条例 on a history line
_NATIONAL_BODY = re.compile(
    r"(全国人民代表大会(?:常务委员会)?|国务院)(?:第[一二三四五六七八九十百\d]+次(?:常务)?会议)?(?:通过|发布|公布)"
)
# the body whose order issued a regulation: 国务院 of 中华人民共和国国务院令第617号, 卫生部 of 卫生部令第1号
_ORDER = re.compile(r"(?:中华人民共和国)?([\u4e00-\u9fff]{2,12}?)令第[\d一二三四五六七八九十百]+号")


def legislated(lines: list[str]) -> tuple[str | None, int | None]:
    """(the people's congress standing committee that passed it, the year of its last revision)
    from a regulation's history lines right under its title; (None, None) without them.

    Example:
        >>> legislated(["青岛市实施《民办教育促进法》办法",
        ...     "2008年12月26日 青岛市第十四届人民代表大会常务委员会第七次会议通过",
        ...     "2017年10月27日 青岛市第十六届人民代表大会常务委员会第四次会议《关于修改…的决定》修正",
        ...     "第一条 为实施…，制定本办法。"])
        ('青岛市人民代表大会常务委员会', 2017)
    """
    body, years, orders, national_body = None, [], [], None
    for line in lines[1:12]:
        m = LEGISLATED.match(line)
        if m is None:
            if years:
                break
            continue
        # (a line may run two steps together: …修订根据2021年9月29日…第二次修正)
        years += [int(y) for y in re.findall(r"((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月", line)]
        if body is None and m.group(2) and m.group(3) == "通过":
            body = m.group(2) + "人民代表大会常务委员会"
        if nat := _NATIONAL_BODY.search(line):
            # 第八届全国人民代表大会第三次会议通过, 国务院发布 (R40's laws and 条例)
            national_body = national_body or nat.group(1)
        # an administrative regulation is issued by order: 中华人民共和国国务院令第617号公布,
        # 国家教育委员会令第10号、卫生部令第1号发布 (R39's national 条例)
        orders += [o for o in _ORDER.findall(line) if o not in orders]
    if body is None and orders:
        body = "、".join(orders)
    body = body or national_body
    return body, (max(years) if years else None)


def signature(lines: list[str]) -> tuple[str | None, str | None]:
    """(issuer, date) of the first 落款: a date line, with the organisation on the line above it
    (or before it on the same line, when a text export ran the two together)."""
    for i, line in enumerate(lines):
        bare = line.replace(" ", "")
        if _DATE_LINE.match(bare) or YEAR_MONTH.match(bare):
            if i > 0 and _DATE_LINE.match(bare) and (lead := _joint_issuers(lines[:i])):
                return lead, parse_date(line)
            org = lines[i - 1].replace(" ", "").replace("\u3000", "") if i > 0 else ""
            if _signing_org(org):
                # (绍兴市第一中学 / 2013年5月: a 落款 dated by the month names its issuer, not its day)
                return org, parse_date(line) if _DATE_LINE.match(bare) else None
        elif (m := _SIGNATURE_LINE.match(line)) and _signing_org(m.group(1)):
            return m.group(1), parse_date(m.group(2))
    return None, None


def signed_by(lines: list[str], issuer: str) -> str | None:
    """The date of a 落款 a text export ran into the end of a paragraph: the issuer's name, the
    date, perhaps a note in brackets (…报名表平潭综合实验区社会事业局 2020年6月15日（联系人:…）).

    Example:
        >>> signed_by(["确保工作顺利开展。附件：报名表某县教育局 2020年6月15日（联系人:王）"], "某县教育局")
        '2020-06-15'
    """
    at_end = re.compile(rf"{re.escape(issuer)}[ \u3000]*({DATE})\s*(?:[（(][^（）()]{{0,40}}[）)])?$")
    for line in reversed(lines[-15:]):
        if m := at_end.search(line):
            return parse_date(m.group(1))
    return None


# the 版记 at a document's foot: the office that printed it and the day (绍兴市语言文字工作委员会办公室
# 2010年9月30日印发; a table export may put a cell bar between them)
_PRINTED_LINE = re.compile(rf"^([^\d，,。；;：:（）()《》“”]{{4,40}}?)[\s\u3000|]*({DATE})\s*印发$")


def printed_by(lines: list[str]) -> str | None:
    """The organisation of the 版记's 印发 line, when it names one (its 秘书科 left out).

    Example:
        >>> printed_by(["抄送：省语委办。", "绍兴市语言文字工作委员会办公室 2010年9月30日印发"])
        '绍兴市语言文字工作委员会办公室'
    """
    for line in reversed(lines[-15:]):
        if m := _PRINTED_LINE.match(line.strip()):
            org = re.sub(
                r"秘书[一二三四五六七八九十\d]科$", "", m.group(1).replace(" ", "").replace("\u3000", "")
            )
            return org if _ORG.search(org) else None
    return None


def _signing_org(org: str) -> bool:
    """Whether a 落款 line names an organisation (not a title, not a sentence)."""
    return bool(_SIGNATURE_ORG.match(org) and not is_title_like(org) and _ORG.search(org))


# one issuer of a joint signature: 四川省教育厅, 中共四川省委政法委员会, 四川省妇女联合会 …
_JOINT_ORG = re.compile(
    r"^[^\d，,。；;：:、（）()《》“”|\s]{3,30}(?:厅|局|委员会|委|办公室|办公厅|联合会|政府|中心|学校|学院|大学)$"
)


def _joint_issuers(above: list[str]) -> str | None:
    """The lead issuer of a joint signature: the lines right above its date, each two or more
    issuers side by side (四川省教育厅 四川省财政厅), read upwards; the first one named leads."""
    lead = None
    for line in reversed(above[-8:]):
        parts = line.split()
        if len(parts) < 2 or not all(_JOINT_ORG.match(p) for p in parts):
            break
        lead = parts[0]
    return lead


def cover_date(lines: list[str]) -> str | None:
    """A date standing alone under the title, as on a plan's cover (2021年3月2日)."""
    for line in lines[1:6]:
        if _DATE_LINE.match(line.replace(" ", "")) and not line.startswith(("（", "(")):
            return parse_date(line)
    return None


# a founding year, which opens a school's history (a profile, a charter: R80, R83, R84): 始建于1952年,
# 创办于 1963年, 于1946年创建
_HISTORY_BEFORE = re.compile(r"(?:建|建校|创办|成立)于\s*$")  # 始建于, 创建于 end in 建于
_HISTORY_AFTER = re.compile(r"^(?:创建|创办|始建|建校)")


def detect_year(title: str | None, date: str | None, body: str) -> int | None:
    """Year from the title, else the date, else the year the opening names (`opening_year`)."""
    if title and (m := _YEAR.search(title)):
        return int(m.group(1))
    if date:
        return int(date[:4])
    return opening_year(body)


# 本规定经2005年7月18日院长办公会议通过, 自2012年5月1日起施行: the date a rule was adopted or takes effect
_IN_FORCE = re.compile(
    r"((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日[^。；;，,]{0,24}?"
    r"(?:通过|起施行|起实施|开始实施|开始施行|起执行|施行)"
)


def in_force_year(body: str) -> int | None:
    """The year a rule or law says it was adopted or takes effect in (its first such date).

    Example:
        >>> in_force_year("第五十一条 本规定经2005年7月18日院长办公会议通过，2005年9月1日开始实施。")
        2005
    """
    m = _IN_FORCE.search(body)
    return int(m.group(1)) if m else None


def opening_year(body: str) -> int | None:
    """The first year the opening names — unless the opening tells the school's history (its first
    year is a founding: 始建于1952年, 创办于1963年, 我校于1946年创建): then its years are of events
    (1975年更名, 2007年9月合并), none the document's.

    Example:
        >>> opening_year("2014年是关键之年。"), opening_year("我校于1946年创建，2007年9月迁入新区。")
        (2014, None)
    """
    opening = body[:400]
    m = _YEAR.search(opening)
    if not m or _HISTORY_BEFORE.search(opening[: m.start()]) or _HISTORY_AFTER.match(opening[m.end() :]):
        return None
    return int(m.group(1))


def stray_short_names(texts: list[str]) -> set[str]:
    """Short place names that, in one of `texts`, follow a place of another province: they name
    something of that place, not a place of their own — 双城 of 四川省…成渝地区双城经济圈 is no
    黑龙江's 双城区, 君山 of 平潭综合实验区君山片区管理局 no 湖南's 君山区.

    Example:
        >>> sorted(stray_short_names(["四川省教育厅关于办好成渝地区双城经济圈职业教育活动周的通知"]))
        ['双城']
    """
    stray: set[str] = set()
    for text in texts:
        mentions = find_places(text)
        for i, m in enumerate(mentions):
            if any(p.name == m.surface for p in m.candidates):
                continue  # a full name (双城区) is a place wherever it stands
            earlier = {p.province or p.name for e in mentions[:i] for p in e.candidates}
            if earlier and not earlier & {p.province or p.name for p in m.candidates}:
                stray.add(m.surface)
    return stray


def _masked(text: str | None, names: set[str]) -> str | None:
    """`text` with `names` blanked out (same length, so nothing else moves)."""
    if not text:
        return text
    for name in names:
        text = text.replace(name, "\u3000" * len(name))
    return text


def _most_specific(places: list[Place]) -> Place:
    order = {"county": 0, "city": 1, "province": 2}
    return sorted(places, key=lambda p: order[p.level])[0]


def places_in(text: str, context: str = "") -> list[Place]:
    """Places named in `text`, each ambiguous name resolved by the places named in `context`."""
    return resolve_mentions(find_places(text), context=context or text)


def detect_place(title: str | None, body: str, hints: list[str]) -> Place | None:
    """The place a document is about: named in the title or the hints, else dominant in the body."""
    return _detect_place(title, body, hints)[0]


def _where_title(title: str | None) -> str | None:
    """The words of a title that say where the document applies.

    A joint notice's co-issuer counts only when it is the body of a place (柳城县人民政府):
    空军招飞局成都选拔中心 sits in 成都, and a 四川省教育厅 notice issued with it is for all 四川.

    Example:
        >>> _where_title("四川省教育厅 空军招飞局成都选拔中心 关于做好招生工作的通知")
        '四川省教育厅 关于做好招生工作的通知'
    """
    if title:
        # a quoted name or slogan (“启航新征程，同心向未来”) names no place: 同心 is no 同心县
        title = QUOTED_NAME.sub("", title)
    if not title or not (m := _JOINT_TITLE.match(title)):
        return title
    at = m.end() - len("关于")
    orgs = title[:at].split()
    kept = [o for o in orgs if o == m.group(1) or any(x.start == 0 for x in find_places(o))]
    return " ".join(kept) + " " + title[at:]


# what named a document's place when only the site's footer did (`find_meta`; see `_detect_place`)
_BY_FOOTER = -2


def _detect_place(title: str | None, body: str, hints: list[str]) -> tuple[Place | None, int]:
    """The place and the index of what named it: 0 title, 1.. hints, -1 body."""
    if title and _ANON.search(title):
        return None, 0
    stray = stray_short_names([title or "", *hints])
    if stray:
        title, body = _masked(title, stray), _masked(body, stray) or ""
        hints = [_masked(h, stray) or "" for h in hints]
    context = "\n".join([title or "", *hints, body[:3000]])
    for n, text in enumerate([title or "", *hints]):
        found = places_in(text, context)
        if found:
            return _most_specific(found), n
    counts: Counter[str] = Counter()
    first: dict[str, Place] = {}
    backed: dict[tuple[str, str], bool] = {}  # (place, surface) → `_named_in_full`, looked up once
    for m in find_places(body):
        if len(m.candidates) != 1:
            continue  # ambiguous short name: not evidence
        p = m.candidates[0]
        key = (p.code, m.surface)
        if key not in backed:
            backed[key] = _named_in_full(p, m.surface, body)
        if not backed[key]:
            # a short name the document never spells out, nor its city or province: 新建 of
            # 新建、改建、扩建校舍, 公安 of 公安机关, 资源 of 教育资源 name no place (national 条例, R39)
            continue
        counts[p.code] += 1
        first.setdefault(p.code, p)
    if not counts:
        return None, -1
    code, k = counts.most_common(1)[0]
    if k < 3 or k < 0.4 * sum(counts.values()):
        return None, -1
    return first[code], -1


def _named_in_full(place: Place, surface: str, body: str) -> bool:
    """Whether a body mention of `place` is backed: it is the full name (融安县), or the body also
    names the place in full or its city or province (金坛 in a plan that says 常州市金坛区 once)."""
    if surface == place.name:
        return True
    for name in (place.name, place.city, place.province):
        short = short_name(name) if name else ""
        if name and (name in body or (len(short) >= 2 and short != surface and short in body)):
            return True
    return False


def detect_issuer(title: str | None, fields: dict[str, str], body: str, place: Place | None) -> str | None:
    """The issuing body: 来源/发布机构 when it names an organisation, else the title's, else the body's."""
    return _detect_issuer(title, fields, body, place)[0]


def is_org_name(name: str) -> bool:
    """A named organisation: not a year-led or bare one (2024年县教育局, 市教育局)."""
    return bool(_ORG.search(name)) and not re.match(r"^\d|^[县市区省我本该]", name) and len(name) >= 4


def _detect_issuer(
    title: str | None, fields: dict[str, str], body: str, place: Place | None
) -> tuple[str | None, str]:
    if title and (m := _ORG_IN_TITLE.match(title)) and is_org_name(m.group(1)):
        return m.group(1), "标题行"
    for key in ("发文机关", "发布机构", "责任部门", "来源", "文章来源"):
        v = fields.get(key, "").strip()
        if v and _ORG.search(v) and not re.match(r"^\d", v):
            if place and not find_places(v):
                return f"{_place_prefix(place)}{v}", "网站栏目"
            return v, "网站栏目"
    if place and (title is None or _WORK_PLAN.search(title)):
        # A bureau's own work plan names the bureau as 县/市教育局; in other genres the bureau
        # named in the body is an implementer, not the issuer.
        level = {"county": "县", "city": "市", "province": "省"}[place.level]
        if place.name.endswith("区"):
            level = "区"
        if re.search(rf"[{level}]教育局", body):
            return f"{_place_prefix(place)}教育局", "正文"
    return None, ""


def school_in_title(title: str) -> str | None:
    """The school a school's own rules name before their topic, by its place (None for a kind of
    school, or a title that starts 关于).

    Example:
        >>> school_in_title("温州市第五十一中学安全工作章程")
        '温州市第五十一中学'
        >>> school_in_title("上海市中小学校学生伤害事故处理条例") is None
        True
    """
    m = _SCHOOL_LEADS_TITLE.match(title)
    if not m or not is_org_name(m.group(1)):
        return None
    name = m.group(1)
    places = [p for p in find_places(name) if p.start == 0]
    # a school is named by its place (绍兴一中, 广东工业大学); 九届二次教代会学校 names none
    if not places or _SCHOOLS_OF_A_KIND.search(name[places[0].end :]):
        return None
    # 绍兴一中教育集团学生行为规范: the school's group issues it
    return name + "教育集团" if title.startswith("教育集团", m.end()) else name


def _place_prefix(place: Place) -> str:
    if place.level == "county" and place.name.endswith("区") and place.city:
        return f"{place.city}{place.name}"
    return place.name


def _issuer_in_lines(lines: list[str]) -> str | None:
    """A body named at the head of a title-like line: 绍兴一中2021年度工作要点 → 绍兴一中."""
    for line in lines[:40]:
        line = line.lstrip("—–－-─ ")  # ——绍兴市第一中学2021年…活动方案, a subtitle: the body is no dash
        if is_title_like(line) and (m := _ORG_BEFORE_YEAR.match(line)) and is_org_name(m.group(1)):
            return m.group(1)
    return None


def detect_meta(lines: list[str], fields: dict[str, str], fallback_title: str) -> DocMeta:
    """Everything a reader can determine from the cleaned text and the harvested fields."""
    return find_meta(lines, fields, fallback_title).meta


def find_meta(lines: list[str], fields: dict[str, str], fallback_title: str) -> Found:
    """Metadata with the source of each field.

    Args:
        lines: cleaned lines of the document.
        fields: label fields harvested while cleaning (来源, 发布时间, 网站 …).
        fallback_title: the file name, used (and marked 文件名) when the document shows no title.

    Example:
        >>> find_meta(["泉州市教育局关于2016年小学招生工作的意见", "一、招生原则。"], {}, "x").sources["issuer"]
        '标题行'
    """
    body = "\n".join(lines)
    src: dict[str, str] = {}
    head = document_head(lines)
    below = lines[head.skip :]
    title = _title_below(below, fields)
    lead_org = None
    if title:
        src["title"] = "标题行" if below and title == below[0] else "网站栏目"
        title = _own_spelling(title, lines)
    elif forwarded := forwarded_title(below):
        title, src["title"] = forwarded, "标题行"
    elif above := title_above_salutation(below):
        title, src["title"] = above, "标题行"
    elif two := org_over_title(below):
        title, src["title"] = two, "标题行"
    elif lead := reposted_title(below):
        (title, lead_org), src["title"] = lead, "正文"
    elif cover := cover_title(below):
        title, src["title"] = cover, "封面"
    elif (
        len(below) > 1
        and is_standing_line(below[0])
        and (below[1] == below[0] or not is_standing_line(below[1]))
    ):
        # a text's first line, standing alone above its body, names it though it names no genre:
        # 实外概况 (R83), 在全校…动员大会上讲话 over 尊敬的…： (R84), 校园章程 (R80). Not one of
        # several heading lines (a site's name over a title in two lines, a cover's lines)
        title, src["title"] = below[0], "标题行"
    if title:
        title = title.lstrip("—–－-─ ")  # a subtitle line (——绍兴一中2010学年工作思路) keeps no dash
        title = _TITLE_NUMBER.sub("", title)

    sig_org, sig_date = signature(lines)
    date, date_src = sig_date, "落款"
    if date is None and (d := cover_date(below)):
        date, date_src = d, "封面"
    if date is None:
        for key, label in (("发文日期", "发文日期"), ("成文日期", "发文日期")):
            if d := parse_date(fields.get(key, "")):
                date, date_src = d, label
                break
    if date is None and (d := detect_date(fields)):
        date, date_src = d, "发布时间"
    if date:
        src["date"] = date_src

    issuer, issuer_src = None, ""
    law_body, revised = legislated(lines)
    if law_body:
        # 广州市幼儿园条例 is passed by 广州市人民代表大会常务委员会, not issued by a 广州市幼儿园
        issuer, issuer_src = law_body, "正文"
    elif title and (m := _ORG_IN_TITLE.match(title) or _JOINT_TITLE.match(title)) and is_org_name(m.group(1)):
        issuer, issuer_src = m.group(1), "标题行"
    elif sig_org and is_org_name(sig_org):
        issuer, issuer_src = sig_org, "落款"
    elif head.masthead and is_org_name(head.masthead):
        issuer, issuer_src = head.masthead, "版头"
    elif inner := _issuer_in_lines(lines):
        issuer, issuer_src = inner, "正文"
    elif lead_org:
        issuer, issuer_src = lead_org, "正文"
    elif (printed := printed_by(lines)) and is_org_name(printed):
        # no 落款 names the issuer (the seal did), but the 版记 says which office printed it
        issuer, issuer_src = printed, "版记"
    elif title and (school := school_in_title(title)):
        issuer, issuer_src = school, "标题行"

    hints = [h for h in (issuer, *(fields.get(k) for k in ("网站", "来源", "发布机构", "责任部门"))) if h]
    place, named_by = _detect_place(_where_title(title), body, hints)
    owner = fields.get("网站主办", "")
    if place is None and is_org_name(owner) and (found := places_in(owner)):
        # a page that names no place is about the place of the site that publishes it (绍兴市第一中学
        # 版权所有 under a school's 方案 that only says 我校)
        place, named_by = _most_specific(found), _BY_FOOTER
    if place is not None:
        if named_by == 0:
            src["place"] = "标题行"
        elif named_by == 1 and issuer:
            src["place"] = issuer_src
        elif named_by > 0:
            src["place"] = "网站栏目"
        elif named_by == _BY_FOOTER:
            src["place"] = "网站页脚"
        else:
            src["place"] = "正文"

    if issuer is None:
        issuer, issuer_src = _detect_issuer(title, fields, body, place)
        if issuer_src == "标题行":
            issuer = None
    if issuer:
        src["issuer"] = issuer_src
    if issuer and date_src != "落款" and (d := signed_by(lines, issuer)):
        date, src["date"] = d, "落款"

    year = None
    if title and (m := _YEAR.search(title)):
        year, src["year"] = int(m.group(1)), "标题行"
    elif revised:
        year, src["year"] = revised, "正文"
    elif date:
        year, src["year"] = int(date[:4]), "由日期推得"
    elif head.number_year:
        year, src["year"] = head.number_year, "发文字号"
    elif found := in_force_year(body):
        # a rule or a law says when it was adopted or takes effect (…会议通过, 自…起施行)
        year, src["year"] = found, "正文"
    elif found := opening_year(body):
        # A plan opens with the year it plans: 2014年是关键之年。
        year, src["year"] = found, "正文"

    if title is None and fields.get(DECLARED_TITLE):
        # a Markdown file's one level-1 heading, though it names no genre: 服兵役高等学校学生国家教育
        # 资助政策 (realdocs94), （四）户外安全 (realdocs79) — the file's own, before its name
        title, src["title"] = fields[DECLARED_TITLE], "标题行"
    if title is None:
        title, src["title"] = fallback_title, "文件名"

    source = fields.get("网站") or fields.get("来源") or fields.get("文章来源")
    if source:
        src["source"] = "网站栏目"
    province = city = county = None
    if place is not None:
        if place.level == "county":
            province, city, county = place.province, place.city, place.name
        elif place.level == "city":
            province, city = place.province, place.name
        else:
            province = place.name
        named_level = {"county": "county", "city": "city", "province": "province"}[place.level]
        for key, value in (("province", province), ("city", city), ("county", county)):
            if value:
                # the level the text names, and its parents completed from the gazetteer
                src[key] = src["place"] if key == named_level else f"地名库，据{src['place']}的地名"
        del src["place"]
    meta = DocMeta(
        title=title,
        issuer=issuer,
        province=province,
        city=city,
        county=county,
        year=year,
        date=date,
        source=source,
    )
    return Found(meta, src)
