"""Tests for qa.places: the gazetteer and finding place names in text."""

from __future__ import annotations

import pytest

from qa.places import find_places, gazetteer, lookup, short_name


def surfaces(text: str) -> list[str]:
    return [m.surface for m in find_places(text)]


def test_docstring_example() -> None:
    assert surfaces("融安县和金坛的防溺水") == ["融安县", "金坛"]


def test_corpus_places_are_found_with_offsets() -> None:
    text = "融安县、金坛、泸州市和柳城的学校"
    found = find_places(text)
    assert [m.surface for m in found] == ["融安县", "金坛", "泸州市", "柳城"]
    for m in found:
        assert text[m.start : m.end] == m.surface
    names = [m.candidates[0].name for m in found]
    assert names == ["融安县", "金坛区", "泸州市", "柳城县"]


def test_longest_name_wins() -> None:
    assert surfaces("常州市金坛区教育局") == ["常州市", "金坛区"]
    assert surfaces("广西壮族自治区柳州市") == ["广西壮族自治区", "柳州市"]


@pytest.mark.parametrize("word", ["城区", "新区", "矿区", "郊区", "开发", "高新", "安全", "建设", "示范"])
def test_ambiguous_short_forms_are_not_places(word: str) -> None:
    # Ordinary words in policy text (城区学校, 新区建设), never read as places.
    assert surfaces(f"加强{word}学校管理") == []
    assert surfaces(f"推进{word}教育发展") == []


def test_gazetteer_hierarchy() -> None:
    [runan] = lookup("融安县")
    assert (runan.level, runan.city, runan.province) == ("county", "柳州市", "广西壮族自治区")
    [liuzhou] = lookup(runan.city)
    assert (liuzhou.level, liuzhou.province) == ("city", "广西壮族自治区")
    [guangxi] = lookup(liuzhou.province)
    assert (guangxi.level, guangxi.province, guangxi.city) == ("province", None, None)
    assert runan.code[:2] == liuzhou.code[:2] == guangxi.code[:2]
    assert runan.code[:4] == liuzhou.code[:4]


def test_short_names_look_up_the_full_place() -> None:
    assert [p.name for p in lookup("金坛")] == ["金坛区"]
    assert lookup("金坛")[0].city == "常州市"
    assert lookup("广西")[0].name == "广西壮族自治区"


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("融安县", "融安"),
        ("常州市", "常州"),
        ("广西壮族自治区", "广西"),
        ("江苏省", "江苏"),
        ("城区", "城区"),
    ],
)
def test_short_name(name: str, short: str) -> None:
    assert short_name(name) == short


def test_gazetteer_is_ordered_provinces_first() -> None:
    g = gazetteer()
    assert len(g) > 3000
    levels = [p.level for p in g]
    assert levels == sorted(levels, key=["province", "city", "county"].index)
    assert not any(p.name in ("市辖区", "县") for p in g)


def test_missing_gazetteer_data_is_an_error_not_silence(monkeypatch):
    # Without the data file no place would ever be recognised: abstention on uncovered places and
    # place-restricted answers would quietly stop working, so it must fail loudly instead.
    import qa.places as places

    monkeypatch.setattr(places, "_adcodes_path", lambda: None)
    places.gazetteer.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="cpca"):
            places.gazetteer()
    finally:
        places.gazetteer.cache_clear()


def test_a_municipality_district_is_in_the_municipality_not_in_a_placeholder_city():
    # the gazetteer groups 上海's districts under a 市辖区 row; no document says 市辖区浦东新区教育局
    (pudong,) = lookup("浦东新区")
    assert (pudong.province, pudong.city) == ("上海市", "上海市")
    assert all(p.city != "市辖区" for p in lookup("密云区") + lookup("朝阳区"))
    # a county-level city governed by its province belongs to no city
    assert lookup("仙桃市")[0].city is None


def test_a_name_inside_other_words_is_no_place():
    # 成县 across 变成 / 县城 (R9e), 公安 inside 四川省公安厅 (a realdocs10 title: read as 公安县 of
    # 荆州), 天心 of 先天心脏 (R7b), 上高 of 聘上高级 (R5b), 大城 of 大城市 (N13)
    from qa.places import find_places

    for text in (
        "我那个乡后来变成县城所在的镇了",
        "四川省公安厅关于",
        "闺女先天心脏不好",
        "刚聘上高级",
        "去大城市学习",
    ):
        assert [m.surface for m in find_places(text) if m.surface != "四川省"] == [], text
    # a name jieba cuts badly on one side is still a name; so is a name with its own suffix
    assert [m.surface for m in find_places("孩子在建邺读完小学")] == ["建邺"]
    assert [m.surface for m in find_places("融安县和金坛的防溺水")] == ["融安县", "金坛"]


def test_place_detection_shares_the_engines_jieba_dictionary():
    # a second copy of jieba's dictionary cost the server 60 MB (serving RSS 272 → 333 MB)
    import subprocess
    import sys

    code = (
        "from qa.places import find_places; from qa.relevance import shared_cutter;"
        "assert [m.surface for m in find_places('四川省公安厅关于')] == ['四川省'];"
        "import jieba; print(jieba.dt.initialized, shared_cutter()._tk is not None)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True"]
