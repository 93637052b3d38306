"""Document metadata detected from the text: title, issuing body, place, year, date, source.

Detection reads the title line, harvested label fields (来源, 发布日期, 发布机构, 生成日期, the
site's name) and place names in title and body. A catalog entry (corpus/catalog.toml) wins.
"""

from __future__ import annotations

import re
from collections import Counter

from qa.ingest.clean import is_title_like
from qa.places import Place, find_places
from qa.types import DocMeta

_ORG = re.compile(r"(教育局|教育厅|教育委员会|教育和体育局|教育体育局|教体局|人民政府|教育部|办公室|委员会)$")
_ORG_IN_TITLE = re.compile(
    r"^(?:\d{4}年)?(.{2,16}?(?:教育局|教育厅|教育委员会|教育和体育局|教育体育局|教体局|人民政府))"
)
_ANON = re.compile(r"某[省市县区]|[xX×＊*]{2}[省市县区]")
_DATE = re.compile(r"((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})")
_YEAR = re.compile(r"((?:19|20)\d{2})年")
# A document that names itself (本要点, 本计划 …) tells its genre; a bare numbered list of tasks
# under a 总体要求 is, by the genre's convention, a 工作要点.
_SELF_GENRE = re.compile(r"本(要点|计划|方案|意见|办法)")


def detect_title(lines: list[str], fields: dict[str, str]) -> str | None:
    """The title line, or the 信息名称 a site printed above it."""
    if lines and is_title_like(lines[0]):
        return lines[0]
    return fields.get("信息名称") or fields.get("标题")


def detect_date(fields: dict[str, str]) -> str | None:
    for key in ("发布日期", "成文日期", "生成日期", "公开日期", "发布时间"):
        m = _DATE.search(fields.get(key, ""))
        if m:
            return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    return None


def detect_year(title: str | None, date: str | None, body: str) -> int | None:
    """Year from the title, else the publish date, else the first year the opening names."""
    if title and (m := _YEAR.search(title)):
        return int(m.group(1))
    if date:
        return int(date[:4])
    m = _YEAR.search(body[:400])
    return int(m.group(1)) if m else None


def _most_specific(places: list[Place]) -> Place:
    order = {"county": 0, "city": 1, "province": 2}
    return sorted(places, key=lambda p: order[p.level])[0]


def detect_place(title: str | None, body: str, hints: list[str]) -> Place | None:
    """The place a document is about: named in the title or site, else dominant in the body.

    An anonymised title (某市, xx市) gives None: better unknown than invented.
    """
    if title and _ANON.search(title):
        return None
    for text in [title or "", *hints]:
        found = [c for m in find_places(text) for c in m.candidates[:1]]
        if found:
            return _most_specific(found)
    counts: Counter[str] = Counter()
    first: dict[str, Place] = {}
    for m in find_places(body):
        if len(m.candidates) != 1:
            continue  # ambiguous short name: not evidence
        p = m.candidates[0]
        counts[p.code] += 1
        first.setdefault(p.code, p)
    if not counts:
        return None
    code, n = counts.most_common(1)[0]
    if n < 3 or n < 0.4 * sum(counts.values()):
        return None
    return first[code]


def detect_issuer(title: str | None, fields: dict[str, str], body: str, place: Place | None) -> str | None:
    """The issuing body: 来源/发布机构 when it names an organisation, else the title's, else the body's."""
    for key in ("发文机关", "发布机构", "来源", "文章来源"):
        v = fields.get(key, "").strip()
        if v and _ORG.search(v):
            if place and not find_places(v):
                return f"{_place_prefix(place)}{v}"
            return v
    if title and (m := _ORG_IN_TITLE.match(title)):
        return m.group(1)
    if place:
        level = {"county": "县", "city": "市", "province": "省"}[place.level]
        if place.name.endswith("区"):
            level = "区"
        if re.search(rf"[{level}]教育局", body):
            return f"{_place_prefix(place)}教育局"
    return None


def _place_prefix(place: Place) -> str:
    if place.level == "county" and place.name.endswith("区") and place.city:
        return f"{place.city}{place.name}"
    return place.name


def detect_meta(lines: list[str], fields: dict[str, str], fallback_title: str) -> DocMeta:
    """Everything a reader can determine from the cleaned text and the harvested fields.

    Args:
        lines: cleaned lines of the document.
        fields: label fields harvested while cleaning (来源, 发布日期, 网站 …).
        fallback_title: used when neither a title line nor a place and year can be found.
    """
    body = "\n".join(lines)
    title = detect_title(lines, fields)
    date = detect_date(fields)
    hints = [fields[k] for k in ("网站", "来源", "发布机构") if k in fields]
    place = detect_place(title, body, hints)
    year = detect_year(title, date, body)
    if title is None:
        genre = _SELF_GENRE.search(body)
        name = ("工作" + genre.group(1)) if genre else "工作要点"
        title = (
            f"{place.name if place else ''}{year or ''}{'年' if year else ''}教育{name}"
            if (place or year)
            else None
        )
    issuer = detect_issuer(title, fields, body, place)
    source = fields.get("网站") or fields.get("来源") or fields.get("文章来源")
    if place is None:
        province = city = county = None
    elif place.level == "county":
        province, city, county = place.province, place.city, place.name
    elif place.level == "city":
        province, city, county = place.province, place.name, None
    else:
        province, city, county = place.name, None, None
    return DocMeta(
        title=title or fallback_title,
        issuer=issuer,
        province=province,
        city=city,
        county=county,
        year=year,
        date=date,
        source=source,
    )
