"""Unit tests for qa.answer.context: short passages are shown with the neighbours that fit."""

from __future__ import annotations

from types import SimpleNamespace

from core.types import Passage
from qa.answer.context import context_bounds

TEXT = "（一）报名条件：\n1．有本省学籍；\n2．有完整的学习经历。\n二、录取\n3．" + "按" * 200 + "。"


def _index(text: str = TEXT):
    cuts = ["（一）报名条件：", "1．有本省学籍；", "2．有完整的学习经历。", "3．" + "按" * 200 + "。"]
    passages, at = [], 0
    for n, c in enumerate(cuts):
        start = text.index(c, at)
        passages.append(Passage(f"p{n}", "d", start, start + len(c), c))
        at = start + len(c)
    ix = SimpleNamespace(
        passage_index={p.pid: i for i, p in enumerate(passages)},
        store=SimpleNamespace(passages=passages),
        docs={"d": SimpleNamespace(text=text)},
    )
    return ix, passages


def test_a_short_clause_comes_with_the_clauses_around_it_within_the_budget():
    ix, ps = _index()
    a, b = context_bounds(ix, ps[1], 300, below=150)
    assert TEXT[a:b] == "（一）报名条件：\n1．有本省学籍；\n2．有完整的学习经历。"
    # a smaller budget takes what follows first
    a, b = context_bounds(ix, ps[1], 24, below=150)
    assert TEXT[a:b] == "1．有本省学籍；\n2．有完整的学习经历。"


def test_context_stops_at_a_heading_between_passages_and_at_other_cards():
    ix, ps = _index()
    # 二、录取 stands between the second clause and the long item: the context ends there
    a, b = context_bounds(ix, ps[2], 300, below=150)
    assert "录取" not in TEXT[a:b]
    # a neighbour shown on a card of its own is left to that card
    a, b = context_bounds(ix, ps[1], 300, frozenset({"p2"}), below=150)
    assert TEXT[a:b] == "（一）报名条件：\n1．有本省学籍；"


def test_a_full_item_is_its_own_context():
    ix, ps = _index()
    assert context_bounds(ix, ps[3], 300, below=150) == (ps[3].start, ps[3].end)
    assert context_bounds(ix, ps[1], 300, below=5) == (ps[1].start, ps[1].end)
