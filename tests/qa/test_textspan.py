"""Unit tests of span arithmetic (pure functions)."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from qa.textspan import (
    FoldedText,
    best_window,
    find_all,
    fold,
    fold_text,
    folded_with_map,
    highlight_spans,
    query_terms,
    sentence_bounds,
    sentence_spans,
)


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


# --------------------------------------------------------------------------- FoldedText against the
# per-character reference (folded_with_map, sentence_bounds)

_ALPHABET = [*"教育质量安全。；;！？!?\n \t\u3000“”‘’「」ＡＢａbＣ1１,，㈠½ﬁİ", "\r\n"]


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(st.sampled_from(_ALPHABET), max_size=60).map("".join),
    phrase=st.lists(st.sampled_from(_ALPHABET), min_size=1, max_size=4).map("".join),
)
def test_folded_text_equals_the_per_character_reference(text: str, phrase: str) -> None:
    folded, where = folded_with_map(text)
    ft = FoldedText(text)
    assert ft.folded == folded
    fast, fast_where = fold_text(text)
    assert fast == folded
    assert (list(range(len(text))) if fast_where is None else fast_where.tolist()) == where
    if where:
        np.testing.assert_array_equal(ft.source(np.arange(len(folded))), where)
    # find: the reference is the old implementation, a scan of the folded text with the list map
    needle = "".join(fold(c) for c in phrase)
    want, pos = [], 0
    while needle and (i := folded.find(needle, pos)) >= 0:
        want.append((where[i], where[i + len(needle) - 1] + 1))
        pos = i + 1
    assert ft.find(phrase) == want
    assert find_all(text, phrase) == want
    if want:
        starts, ends = (np.array(x) for x in zip(*want, strict=True))
        a, b = ft.sentence_bounds_many(starts, ends)
        assert list(zip(a.tolist(), b.tolist(), strict=True)) == [
            sentence_bounds(text, s, e) for s, e in want
        ]
    if not ft.expands:  # folded gaps never exceed source gaps (Engine.occurrences counts on it)
        assert all(y - x >= 1 for x, y in itertools.pairwise(where))


def test_folded_text_of_empty_and_whitespace_only_texts() -> None:
    for text in ("", "  \n\t"):
        ft = FoldedText(text)
        assert ft.folded == "" and ft.find("教育") == []


def test_folded_text_without_any_change_needs_no_map() -> None:
    text = "教育质量评价"
    assert fold_text(text) == (text, None)
    assert FoldedText(text).find("质量") == [(2, 4)]


# --------------------------------------------------------------------------- Engine.find against the
# per-character reference on the real corpus (the engine folds every document once, at install)

PHRASES = [
    "四不两直",
    "控辍保学",
    "教育质量",
    "县管校聘",
    "研学",
    "教育",
    "学校",
    "安全",
    "“四个机制”",
    "ＡＩ防溺水",
]
PHRASES += [
    "ai防溺水",
    "4月",
    "防 溺 水",
    "，",
    "。",
    "ABC",
    "三开减负三开放",
    "推进常规优化,推进有效教学",
    "从未出现过的一句话",
]


def reference_find(engine, phrase: str) -> list[tuple]:
    """Engine.find written plainly: every document scanned, its folded text and list map made on the spot;
    an occurrence's excerpt is its sentence and the rest of its line that fits."""
    phrase = phrase.strip()
    if len(phrase) < 2:
        return []
    ex = engine.settings.excerpt_chars
    out: list[list] = []
    for d in engine.documents:
        folded, where = folded_with_map(d.text)
        needle = "".join(fold(c) for c in phrase)
        pos = 0
        while needle and (i := folded.find(needle, pos)) >= 0:
            pos = i + 1
            a, b = where[i], where[i + len(needle) - 1] + 1
            if out and out[-1][0] == d.doc_id and out[-1][1] <= a < out[-1][2]:
                out[-1][3].append((a - out[-1][1], b - out[-1][1]))
                continue
            s, e = sentence_bounds(d.text, a, b)
            if e - s > ex:
                s = max(s, a - ex // 3)
                e = min(e, s + ex)
            else:
                # the whole sentences after it on its line that fit the budget come with it
                line_end = d.text.find("\n", e)
                line_end = len(d.text) if line_end < 0 else line_end
                for j in range(e, min(line_end, s + ex)):
                    if d.text[j] in "。；;！？!?":
                        e = j + 1
            p = next((p for p in engine.passages if p.doc_id == d.doc_id and p.start <= a < p.end), None)
            out.append([d.doc_id, s, e, [(a - s, b - s)], p.pid if p else "", p.breadcrumb if p else ""])
    return [(doc, s, e, tuple(hl), pid, sec) for doc, s, e, hl, pid, sec in out]


def as_tuples(citations) -> list[tuple]:
    return [(c.doc_id, c.start, c.end, c.highlights, c.pid, c.section) for c in citations]


def test_engine_find_equals_the_reference(engine):
    for phrase in PHRASES:
        got = engine.find(phrase)
        assert as_tuples(got) == reference_find(engine, phrase), phrase
        assert [c.n for c in got] == list(range(1, len(got) + 1))
        for c in got:
            assert c.text == engine.document(c.doc_id).text[c.start : c.end]


def test_find_limit_builds_the_first_citations_and_counts_all(engine):
    for phrase in ("教育", "学校", "控辍保学", "从未出现过的一句话"):
        every = engine.find(phrase)
        for limit in (0, 1, 10, 10_000):
            assert engine.find(phrase, limit=limit) == every[:limit]
            occ = engine.occurrences((phrase,), limit=limit)
            assert occ.citations == every[:limit]
            assert (occ.total, occ.documents) == (len(every), len({c.doc_id for c in every}))
    both = engine.occurrences(("控辍保学", "四不两直"), limit=3)
    assert both.total == len(engine.find("控辍保学")) + len(engine.find("四不两直"))
    assert both.citations == (engine.find("控辍保学") + engine.find("四不两直"))[:3]


def test_find_respects_allowed_documents(engine):
    every = engine.find("教育质量")
    one = every[0].doc_id
    assert engine.find("教育质量", allowed=frozenset({one})) == [c for c in every if c.doc_id == one]
    assert engine.find("教育质量", allowed=frozenset()) == []


def test_wording_answer_counts_every_occurrence(engine):
    every = engine.find("教育")
    assert len(every) > 10
    answer = engine.ask("“教育”原文")
    assert answer.kind == "wording" and len(answer.citations) == 10
    n_docs = len({c.doc_id for c in every})
    assert answer.answer.startswith(f"“教育”在 {n_docs} 个文件中出现 {len(every)} 处：")
