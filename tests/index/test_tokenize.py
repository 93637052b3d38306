"""Tests for index.tokenize: the analyzers shared by indexing and querying."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.tokenize import ANALYZERS, STOP_CHARS, char_ngrams, make_tokenizer, normalize, runs


def test_docstring_example() -> None:
    assert char_ngrams("防溺水,AI预警") == ["防", "溺", "水", "防溺", "溺水", "ai", "预", "警", "预警"]


def test_ngrams_never_cross_punctuation_or_spaces() -> None:
    toks = char_ngrams("安全，教育。学校 管理“双减”")
    assert "全教" not in toks and "育学" not in toks and "校管" not in toks and "理双" not in toks
    assert {"安全", "教育", "学校", "管理", "双减"} <= set(toks)


def test_ascii_words_stay_whole_and_lower_case() -> None:
    assert char_ngrams("AI防溺水预警系统", (2,)) == ["ai", "防溺", "溺水", "水预", "预警", "警系", "系统"]
    assert char_ngrams("ＨＴＭＬ5 and 3.5% growth in 2024", (1,)) == [
        "html5",
        "and",
        "3.5%",
        "growth",
        "in",
        "2024",
    ]


def test_stop_char_unigrams_are_dropped_but_bigrams_keep_them() -> None:
    toks = char_ngrams("学生的安全")
    assert toks == ["学", "生", "安", "全", "学生", "生的", "的安", "安全"]
    assert "的" not in toks
    assert all(ch not in char_ngrams(ch, (1,)) for ch in STOP_CHARS)


def test_sizes_select_the_ngrams() -> None:
    assert char_ngrams("防溺水", (1,)) == ["防", "溺", "水"]
    assert char_ngrams("防溺水", (2,)) == ["防溺", "溺水"]
    assert char_ngrams("防溺水", (3,)) == ["防溺水"]


def test_normalize_and_runs() -> None:
    assert normalize("ＡＩ（一）") == "ai(一)"
    assert runs("2024年融安县AI防溺水!") == ["2024", "年融安县", "ai", "防溺水"]


@given(st.text(alphabet="防溺水安全的了，。 、AIb12", max_size=40))
def test_every_bigram_is_inside_one_run(text: str) -> None:
    rs = runs(text)
    for tok in char_ngrams(text, (2,)):
        assert any(tok in r for r in rs)


def test_make_tokenizer_builds_each_named_analyzer() -> None:
    assert make_tokenizer("char12")("防溺水") == char_ngrams("防溺水", (1, 2))
    assert make_tokenizer("char1")("防溺水") == ["防", "溺", "水"]
    assert make_tokenizer("char2")("防溺水") == ["防溺", "溺水"]


def test_unknown_analyzer_lists_the_valid_names() -> None:
    with pytest.raises(ValueError) as info:
        make_tokenizer("whitespace")
    msg = str(info.value)
    assert "whitespace" in msg
    for name in ANALYZERS:
        assert name in msg
