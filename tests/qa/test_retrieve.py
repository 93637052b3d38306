"""qa.answer.retrieve: the fusion weights a question gets (unit tests)."""

from __future__ import annotations

from types import SimpleNamespace

from qa.answer.retrieve import fusion_weights
from qa.settings import Settings


def _plan(core: str):
    return SimpleNamespace(core=core)


def test_a_long_question_leans_more_on_the_meaning_match():
    s = Settings()
    story = "我跟娃他爸下班都得六七点 娃小学四点多就放了 路上没人接 学校能不能帮着多看一会儿"
    assert fusion_weights(_plan("融安县防溺水措施"), s) == (s.w_lexical, s.w_dense)
    lexical, dense = fusion_weights(_plan(story), s)
    assert dense == s.w_dense_long > s.w_dense
    assert abs(lexical + dense - (s.w_lexical + s.w_dense)) < 1e-9


def test_bm25_only_stays_bm25_only_and_a_heavier_dense_weight_is_kept():
    story = "我跟娃他爸下班都得六七点 娃小学四点多就放了 路上没人接 学校能不能帮着多看一会儿"
    assert fusion_weights(_plan(story), Settings(w_dense=0.0)) == (Settings().w_lexical, 0.0)
    assert fusion_weights(_plan(story), Settings(w_lexical=0.5, w_dense=0.5)) == (0.5, 0.5)
