"""Quantities written in Chinese numerals and in digits: 五十多岁 ↔ 50岁, 百分之九十 ↔ 90%.

The plans write quantities in digits ("推行50岁以上教师…", "入园率达到88.4%") while people
type them as words ("五十多岁的老教师"), and the other way round. `numeral_pairs` returns both
spellings of each quantity in a question, so the query can match either; the question itself is
never rewritten, because fixed phrases carry numerals that are not quantities (四不两直,
三开减负三开放, 十项准则).
"""

from __future__ import annotations

import re

_DIGIT = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNIT = {"十": 10, "百": 100, "千": 1000}
_WORD_DIGITS = "零〇一二两三四五六七八九"
_NUMERAL = f"[{_WORD_DIGITS}十百千]+"
# What follows a quantity: measure words, units and the approximators 多 / 余 / 来.
_MEASURE = "岁年月日天周个名所人位元万亿项次场批班校套台间座家篇本册件条种类亩米倍期届多余来小分"
_WORD_QUANTITY = re.compile(rf"(?<![{_WORD_DIGITS}十百千第])({_NUMERAL})(?=[{_MEASURE}])")
_PERCENT_WORDS = re.compile(rf"百分之({_NUMERAL}(?:点[{_WORD_DIGITS}]+)?)")
_DIGIT_QUANTITY = re.compile(rf"(?<![\d.])(\d{{1,4}})(?=[{_MEASURE}])")
_PERCENT_DIGITS = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d+)?)\s*%")


def parse_numeral(text: str) -> int | None:
    """The value of a Chinese numeral below 10,000 (十 → 10, 三百零五 → 305, 两千 → 2000).

    Example:
        >>> parse_numeral("五十"), parse_numeral("十二"), parse_numeral("一千四百"), parse_numeral("五六")
        (50, 12, 1400, None)
    """
    if not text:
        return None
    total, digit, last_unit = 0, None, 10_000
    for ch in text:
        if ch in _DIGIT:
            if digit is not None and digit != 0 and _DIGIT[ch] != 0:
                return None  # 五六: two digits in a row is a range, not a number
            digit = _DIGIT[ch]
        elif ch in _UNIT:
            unit = _UNIT[ch]
            if unit >= last_unit:
                return None
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        else:
            return None
    if digit:
        if len(text) == 1 or text[-2] in _DIGIT:  # 五 → 5; 一百零五 → 105
            total += digit
        else:  # 三百五 → 350: a trailing digit after a unit counts in the next lower unit
            total += digit * (last_unit // 10)
    return total


def to_words(n: int) -> str:
    """A number below 10,000 written in Chinese numerals (50 → 五十, 12 → 十二, 305 → 三百零五).

    Example:
        >>> to_words(50), to_words(12), to_words(305), to_words(2000)
        ('五十', '十二', '三百零五', '二千')
    """
    if n == 0:
        return "零"
    words = "零一二三四五六七八九"
    out, zero = "", False
    for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d:
            if zero and out:
                out += "零"
            out += ("" if value == 10 and d == 1 and not out else words[d]) + name
            zero = False
        elif out:
            zero = True
    return out


def numeral_pairs(text: str) -> list[tuple[str, str]]:
    """(as written, other spelling) for every quantity in `text`, in order of appearance.

    Only numerals followed by a measure word or unit count as quantities, and single digits
    only then: 四不两直 and 三开减负 have none.

    Example:
        >>> numeral_pairs("五十多岁的老教师"), numeral_pairs("达到百分之九十"), numeral_pairs("50岁以上")
        ([('五十', '50')], [('百分之九十', '90%')], [('50', '五十')])
        >>> numeral_pairs("“四不两直”")
        []
    """
    found: list[tuple[int, str, str]] = []
    for m in _PERCENT_WORDS.finditer(text):
        whole, _, frac = m.group(1).partition("点")
        n = parse_numeral(whole)
        if n is not None and n <= 100 and all(c in _DIGIT for c in frac):
            digits = str(n) + ("." + "".join(str(_DIGIT[c]) for c in frac) if frac else "")
            found.append((m.start(), m.group(0), digits + "%"))
    taken = [(s, s + len(w)) for s, w, _ in found]
    for m in _WORD_QUANTITY.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        n = parse_numeral(m.group(1))
        if n is not None and n > 1:  # 一个, 一年: "one" is rarely the quantity asked about
            found.append((m.start(), m.group(1), str(n)))
    for m in _PERCENT_DIGITS.finditer(text):
        n = float(m.group(1))
        if n <= 100 and n == int(n):
            found.append((m.start(), m.group(0).replace(" ", ""), f"百分之{to_words(int(n))}"))
    for m in _DIGIT_QUANTITY.finditer(text):
        n = int(m.group(1))
        # 10 and more only: a single digit spelled out (五) would match every 五是 … of a plan
        if 10 <= n < 10_000 and not (1900 <= n <= 2100 and text[m.end() : m.end() + 1] == "年"):
            found.append((m.start(), m.group(1), to_words(n)))
    out: list[tuple[str, str]] = []
    for _, written, other in sorted(found):
        if written != other and (written, other) not in out:
            out.append((written, other))
    return out


# An age the asker gives (我今年36了, 今年52岁了, 都五十五岁了): the documents state ages as
# 35周岁以下, 年满50周岁, 年龄.
_OWN_AGE = re.compile(
    r"(?:(?:今年|已经|都|快|满)\s*({n})\s*(?:周岁|岁)?了|({n})\s*(?:周岁|岁)了?)".format(
        n=r"\d{2}|[二三四五六七]十[一二三四五六七八九]?"
    )
)


def age_pairs(text: str) -> list[tuple[str, str]]:
    """(the age as written, the documents' words for an age) when the asker gives an age of 16–75.

    Example:
        >>> age_pairs("我今年36了，还能报名吗")
        [('今年36了', '周岁'), ('今年36了', '年龄')]
        >>> age_pairs("36个班"), age_pairs("2023年了")
        ([], [])
    """
    out: list[tuple[str, str]] = []
    for m in _OWN_AGE.finditer(text):
        written = m.group(1) or m.group(2)
        n = int(written) if written.isdigit() else parse_numeral(written)
        if n is not None and 16 <= n <= 75:
            out += [(m.group(0), "周岁"), (m.group(0), "年龄")]
    return out
