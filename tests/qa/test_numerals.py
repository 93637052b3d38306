"""Unit tests for qa.numerals: quantities spelled in Chinese numerals and in digits."""

from __future__ import annotations

import pytest

from qa.numerals import numeral_pairs, parse_numeral, to_words


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("五十", 50),
        ("三百零五", 305),
        ("三百五", 350),
        ("两千", 2000),
        ("一千四百", 1400),
    ],
)
def test_parse_numeral(text, value):
    assert parse_numeral(text) == value


@pytest.mark.parametrize("text", ["五六", "十百", "", "学校"])
def test_parse_numeral_rejects_what_is_no_number(text):
    assert parse_numeral(text) is None


@pytest.mark.parametrize("n", [10, 12, 20, 50, 88, 100, 305, 350, 1400, 2000, 9999])
def test_to_words_round_trips(n):
    assert parse_numeral(to_words(n)) == n


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        ("融安那边五十多岁的老教师", [("五十", "50")]),
        ("补充三百五十名新教师", [("三百五十", "350")]),
        ("入园率达到百分之八十八点四", [("百分之八十八点四", "88.4%")]),
        ("推行50岁以上教师", [("50", "五十")]),
        ("普及率90%", [("90%", "百分之九十")]),
        ("两万名学生", [("两", "2")]),
    ],
)
def test_numeral_pairs_give_the_other_spelling(text, pairs):
    assert numeral_pairs(text) == pairs


@pytest.mark.parametrize(
    "text", ["“四不两直”", "三开减负三开放", "第三轮送教", "一个班", "十几所学校", "2019年工作要点"]
)
def test_fixed_phrases_ordinals_and_years_are_no_quantities(text):
    assert numeral_pairs(text) == []


def test_an_age_the_asker_gives_reads_as_the_documents_age_words():
    # 我今年36了 (R8a, R8b), 今年52岁了 (R5a): the documents say 35周岁以下, 年满50周岁, 年龄
    from qa.numerals import age_pairs

    assert ("今年36了", "周岁") in age_pairs("我今年36了，还能报平潭2023年的老师招考吗")
    assert ("今年52岁了", "年龄") in age_pairs("我是一中的女高级老师，今年52岁了")
    assert ("五十五岁", "周岁") in age_pairs("都五十五岁，还要上讲台吗")
    # not an age: a count, a year, a child's age under 16
    assert age_pairs("一共36个班") == [] and age_pairs("2023年了") == [] and age_pairs("娃6岁了") == []
