"""Unit tests for qa.answer.context: short passages are shown with the neighbours that fit."""

from __future__ import annotations

from types import SimpleNamespace

from core.types import Hit, Passage
from qa.answer.context import absorbed_items, context_bounds

TEXT = "（一）报名条件：\n1．有本省学籍；\n2．有完整的学习经历。\n二、录取\n3．" + "按" * 200 + "。"


CUTS = ["（一）报名条件：", "1．有本省学籍；", "2．有完整的学习经历。", "3．" + "按" * 200 + "。"]


def _index(text: str = TEXT, cuts: list[str] = CUTS):
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


LIST = "（七）在校园内进行宗教活动者，给予记过处分。\n第四十四条 缺席达到以下学时者，给予相应纪律处分：\n（一）10-15学时者，给予警告处分；\n（二）16-20学时者，给予严重警告处分；"


def _list_index():
    return _index(LIST, LIST.split("\n"))


def test_a_lead_in_takes_the_items_after_it_never_the_item_before():
    # realdocs95's 第四十四条 …给予相应纪律处分： showed the previous article's （七） and not its own items
    ix, ps = _list_index()
    a, b = context_bounds(ix, ps[1], 300, frozenset({"p2", "p3"}), below=150)
    assert LIST[a:b] == ps[1].text
    a, b = context_bounds(ix, ps[1], 300, below=150)
    assert LIST[a:b].startswith("第四十四条") and LIST[a:b].endswith("给予严重警告处分；")


def test_items_ranked_below_their_lead_in_are_taken_into_its_card():
    ix, ps = _list_index()
    hits = [Hit(ps[1], 1.0), Hit(ps[0], 0.9), Hit(ps[3], 0.8), Hit(ps[2], 0.7)]
    assert absorbed_items(ix, hits, 300) == {"p2", "p3"}
    # an item ranked above its lead-in keeps its own card, and the list ends there for the lead-in
    hits = [Hit(ps[2], 1.0), Hit(ps[1], 0.9), Hit(ps[3], 0.8)]
    assert absorbed_items(ix, hits, 300) == frozenset()
    # a budget too small for an item leaves it on its card
    assert absorbed_items(ix, [Hit(ps[1], 1.0), Hit(ps[2], 0.9)], 40) == frozenset()
