"""Chinese administrative places: a gazetteer and a matcher for text and questions.

The names and codes come from the ``adcodes.csv`` shipped in the MIT-licensed ``cpca``
package (read as a data file; cpca's own code is never imported, so pandas stays unloaded).
A 12-digit adcode is PPCCDD000000: province PP, city CC, county/district DD.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from qa.relevance import shared_cutter  # the engine's jieba dictionary, not a second copy

_SUFFIXES = (
    "特别行政区",
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "自治州",
    "自治县",
    "地区",
    "省",
    "市",
    "县",
    "区",
    "盟",
    "旗",
)
# Short forms that are ordinary words in policy text and must never be read as places.
_AMBIGUOUS_SHORT = frozenset(
    [
        "城区",
        "矿区",
        "郊区",
        "新区",
        "开发",
        "高新",
        "经济",
        "市中",
        "市辖",
        "中山",
        "和平",
        "新华",
        "长安",
        "城关",
        "南山",
        "北山",
        "东山",
        "西山",
        "铁西",
        "铁东",
        "城中",
        "城东",
        "城西",
        "城南",
        "城北",
        "江南",
        "江北",
        "河东",
        "河西",
        "白云",
        "青山",
        "清河",
        "新城",
        "永安",
        "太平",
        "安全",
        "民主",
        "建设",
        "团结",
        "胜利",
        "前进",
        "红旗",
        "向阳",
        "东风",
        "文化",
        "人民",
        "普陀",
        "黄埔",
        "示范",
        "朝阳",
        "长春",
        "海南",
        "东区",
        "西区",
        "南区",
        "北区",
        "中区",
        "阳光",
        "光明",
        "和田",
        "安定",
        "平安",
        "兴安",
        "吉安",
        "宁安",
        "通州",
        "大同",
        "龙华",
    ]
)


@dataclass(frozen=True)
class Place:
    """One administrative unit with its parents' names (None where it is itself that level)."""

    code: str
    name: str
    level: str  # "province" | "city" | "county"
    province: str | None
    city: str | None

    @property
    def short(self) -> str:
        return short_name(self.name)


def short_name(name: str) -> str:
    """融安县 → 融安, 常州市 → 常州, 广西壮族自治区 → 广西; a name left under 2 characters stays whole."""
    for suf in _SUFFIXES:
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            return name[: -len(suf)]
    return name


def _adcodes_path() -> Path | None:
    spec = importlib.util.find_spec("cpca")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "resources" / "adcodes.csv"
    return path if path.exists() else None


# Rows of the gazetteer that group places without being one: a municipality's districts (市辖区),
# its counties (县), a province's directly governed county-level cities.
_NO_CITY = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")


@lru_cache(maxsize=1)
def gazetteer() -> tuple[Place, ...]:
    """All places, provinces first.

    Raises:
        RuntimeError: the data file is missing. Without it no place would ever be recognised, and
            place-restricted answers and "no document covers 鹿寨县" would silently stop working.
    """
    path = _adcodes_path()
    if path is None:
        raise RuntimeError(
            "地名数据缺失：找不到 cpca 包中的 adcodes.csv，请运行 pip install cpca（或重新安装 policyqa）。"
        )
    rows: list[tuple[str, str]] = []
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code = row["adcode"][:6]
            rows.append((code, row["name"].strip()))
    by_code = {c: n for c, n in rows}
    places = []
    for code, name in rows:
        if code.endswith("0000"):
            level, prov, city = "province", None, None
        elif code.endswith("00"):
            level, prov, city = "city", by_code.get(code[:2] + "0000"), None
        else:
            level = "county"
            prov = by_code.get(code[:2] + "0000")
            city = by_code.get(code[:4] + "00")
            if city in _NO_CITY:
                # 浦东新区 is in 上海市 itself (the gazetteer's 市辖区 is no place); 仙桃市 is in no city
                city = prov if prov and prov.endswith("市") else None
        if name in _NO_CITY:
            continue
        places.append(Place(code, name, level, prov, city))
    order = {"province": 0, "city": 1, "county": 2}
    return tuple(sorted(places, key=lambda p: (order[p.level], p.code)))


@lru_cache(maxsize=1)
def _name_index() -> dict[str, tuple[Place, ...]]:
    index: dict[str, list[Place]] = {}
    for p in gazetteer():
        if p.name not in _AMBIGUOUS_SHORT:  # 城区, 矿区, 郊区 are district names and ordinary words
            index.setdefault(p.name, []).append(p)
        s = p.short
        if s != p.name and s not in _AMBIGUOUS_SHORT and len(s) >= 2:
            index.setdefault(s, []).append(p)
    return {k: tuple(v) for k, v in index.items()}


@lru_cache(maxsize=1)
def _name_regex() -> re.Pattern[str] | None:
    names = sorted(_name_index(), key=len, reverse=True)
    if not names:
        return None
    return re.compile("|".join(re.escape(n) for n in names))


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    surface: str
    candidates: tuple[Place, ...]


# A short name followed by one more character and 县/旗 is the start of another, longer name:
# 凤凰 in 凤凰岭县 is not 凤凰县. A name before words such as 各县, 全县, 两县, 学区 is a mention.
_LONGER_NAME = re.compile(r"^([\u4e00-\u9fff])(?:县|旗)")
_NOT_A_NAME_CHAR = frozenset(
    "和与及或等各全本该某的诸一二两三几每其他外内边小大新老县市区旗州镇乡村省对向在为到从给把被按将让由至"
)


def _starts_longer_name(rest: str) -> bool:
    m = _LONGER_NAME.match(rest)
    return bool(m) and m.group(1) not in _NOT_A_NAME_CHAR


def find_places(text: str) -> list[PlaceMention]:
    """Place names in `text`, longest match first, left to right.

    A short name that is only the start of a longer name (凤凰 in 凤凰岭县) is not a mention.

    Example:
        >>> [m.surface for m in find_places("融安县和金坛的防溺水，凤凰岭县")]
        ['融安县', '金坛']
    """
    rx = _name_regex()
    if rx is None:
        return []
    index = _name_index()
    out = []
    for m in rx.finditer(text):
        cands = index[m.group()]
        full = any(p.name == m.group() for p in cands)
        if not full and _starts_longer_name(text[m.end() : m.end() + 2]):
            continue
        if _inside_words(text, m.start(), m.end(), cands):
            continue
        out.append(PlaceMention(m.start(), m.end(), m.group(), cands))
    return out


def _inside_words(text: str, start: int, end: int, places: tuple[Place, ...], margin: int = 6) -> bool:
    """Whether the name at text[start:end] only lies inside other words: a longer dictionary word
    holds it (公安 of 四川省公安厅, 中山 of 中山大学), or words run across both its edges (成县 of
    变成县城). One edge crossed is still a name jieba cut badly (在建 / 邺 of 在建邺读书)."""
    a = max(0, start - margin)
    spans = [(a + s, a + e) for s, e in shared_cutter().word_spans(text[a : end + margin])]
    for s, e in spans:
        # 甘孜州 holds the name with its own suffix (甘孜藏族自治州): still the place; 大城市 is no 大城县
        own = s == start and e - end == 1 and any(p.name.endswith(text[end]) for p in places)
        if s <= start and end <= e and e - s > end - start and not own:
            return True
    left = any(s < start < e for s, e in spans)
    right = any(s < end < e for s, e in spans)
    return left and right


def resolve_mentions(mentions: list[PlaceMention], context: str = "") -> list[Place]:
    """One place per mention: an ambiguous name (白云区 of 广州 or of 贵阳) is read as the one whose
    city or province the context also names; left out when the context does not decide.
    """
    named = {c.name for m in find_places(context) for c in m.candidates if len(m.candidates) == 1}
    named |= {m.surface for m in find_places(context)}
    out = []
    for m in mentions:
        if len(m.candidates) == 1:
            out.append(m.candidates[0])
            continue
        fits = [
            c
            for c in m.candidates
            if (c.city and (c.city in named or short_name(c.city) in named))
            or (c.province and (c.province in named or short_name(c.province) in named))
        ]
        if len(fits) == 1:
            out.append(fits[0])
        elif all(c.code == m.candidates[0].code for c in m.candidates):
            out.append(m.candidates[0])
    return out


def lookup(name: str) -> tuple[Place, ...]:
    """Places whose full or short name is `name`."""
    return _name_index().get(name, ())
