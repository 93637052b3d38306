"""Follow-up resolution (pure)."""

from __future__ import annotations

from qa.conversation import is_more, resolve


def test_place_followup_replaces_the_place():
    assert resolve("那柳城县呢？", ["融安县防溺水措施"]).question == "柳城县防溺水措施"
    assert resolve("金坛呢", ["融安县防溺水措施"]).question == "金坛防溺水措施"


def test_place_followup_without_earlier_place_prefixes_it():
    assert resolve("柳城呢", ["防溺水措施"]).question == "柳城防溺水措施"


def test_more_repeats_the_last_question_with_an_offset():
    r = resolve("还有吗", ["融安县防溺水措施"], shown=5)
    assert (r.question, r.offset, r.followup) == ("融安县防溺水措施", 5, True)
    assert is_more("更多") and not is_more("更多资助政策")


def test_new_question_is_left_alone():
    r = resolve("老师不够怎么办", ["融安县防溺水措施"])
    assert (r.question, r.followup) == ("老师不够怎么办", False)
    assert resolve("那柳城县呢？", []).question == "那柳城县呢？"
