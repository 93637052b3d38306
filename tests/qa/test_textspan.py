"""Unit tests of span arithmetic (pure functions)."""

from __future__ import annotations

from qa.textspan import best_window, find_all, highlight_spans, query_terms, sentence_bounds, sentence_spans


def test_find_all_is_tolerant_and_maps_back_to_original_offsets():
    text = "继续采取“四不两直”方式和 交叉 检查"
    ((s, e),) = find_all(text, '"四不两直"')
    assert text[s:e] == "“四不两直”"
    ((s, e),) = find_all(text, "交叉检查")
    assert text[s:e] == "交叉 检查"
    assert find_all("ＡＢＣ", "abc") == [(0, 3)]
    assert find_all("abc", "") == []


def test_sentence_bounds_and_spans():
    text = "第一句。第二句有关键词；第三句。"
    s, e = sentence_bounds(text, 7, 10)
    assert text[s:e] == "第二句有关键词；"
    assert [text[a:b] for a, b in sentence_spans(text)] == ["第一句。", "第二句有关键词；", "第三句。"]


def test_query_terms_are_maximal_and_skip_fillers():
    assert query_terms("融安县防溺水措施", "守牢防溺水、防欺凌") == ["防溺水"]
    assert query_terms("怎么办", "怎么办") == []


def test_highlight_spans_merge_overlaps():
    assert highlight_spans("防溺水防溺水", ["防溺", "溺水"]) == [(0, 6)]


def test_best_window_keeps_whole_sentences_around_matches():
    text = "甲" * 50 + "。" + "乙乙关键乙。" + "丙" * 50 + "。"
    spans = [(53, 55)]
    s, e = best_window(text, spans, 20)
    assert s <= 53 and e >= 55 and e - s <= 20
    assert best_window("短文本。", [], 300) == (0, 4)
