"""Input hygiene (qa/hygiene.py) and the engine's answers to questions without words (issue 13,
failures 7–9; the UI and the command line: tests/ui/test_handlers.py, tests/qa/test_cli.py)."""

from __future__ import annotations

import json

import pytest

from qa.hygiene import QuestionError, decode_lines, has_words, question_text, scrub, scrub_tree

NO_WORDS = ["{{7*7}}", "12345", '{"a": 1, "b": [2, 3]}', "2024", "%s%n", "3.14 * 2", "a", "？？", "①②③", "😀"]
WORDS = ["融安县防溺水措施", "2024年", "HPV", "APP下载", "Schule", "ｆｕｌｌ", "かな", "ไทย", "防"]


@pytest.mark.parametrize("q", NO_WORDS)
def test_no_words(q):
    assert not has_words(q)


@pytest.mark.parametrize("q", WORDS)
def test_words_of_any_script(q):
    assert has_words(q)


def test_scrub_replaces_lone_surrogates_only():
    assert scrub("\ud800融安县防溺水措施\udfff") == "\ufffd融安县防溺水措施\ufffd"
    assert scrub("😀融安") == "😀融安"
    scrub("\udcff" * 3).encode("utf-8")  # encodable now
    assert scrub_tree({"\ud800k": ["\udfff", ("x", 1)], "n": None}) == {
        "\ufffdk": ["\ufffd", ("x", 1)],
        "n": None,
    }


def test_question_text_refuses_what_is_not_text():
    for bad in (None, 7, ["问题"], {"question": "x"}):
        with pytest.raises(QuestionError, match="问题必须是文字"):
            question_text(bad)
    assert question_text("\ud800防溺水") == "\ufffd防溺水"


def test_decode_lines_spoils_only_the_bad_line():
    data = "\ufeff学生资助\n".encode() + b"\xff\xfe\xe6\x95\x99\xe8\x82\xb2\n" + "融安县\r\n".encode()
    assert list(decode_lines(data)) == [
        (1, "学生资助", False),
        (2, "\ufffd\ufffd教育", True),
        (3, "融安县", False),
        (4, "", False),
    ]


# --- through the engine --------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["{{7*7}}", "12345", '{"a": 1, "b": [2, 3]}', json.dumps({"q": 1})])
def test_a_question_without_words_is_asked_for_a_question(engine, q):
    """Failure 9: these were answered with schedule rows ("7-8月 · 教师评优工作") as citations."""
    a = engine.ask(q)
    assert a.found is False and a.citations == ()
    assert a.message.startswith("请输入要查询的问题")


def test_lone_surrogates_are_replaced_and_the_question_answered(engine):
    a = engine.ask("\ud800融安县防溺水措施\udfff")
    assert a.found and a.citations[0].title == "2024年融安县教育工作要点"
    assert a.question == "\ufffd融安县防溺水措施\ufffd"
    json.dumps(a.question, ensure_ascii=False).encode("utf-8")


def test_the_engine_refuses_a_question_that_is_not_text(engine):
    with pytest.raises(QuestionError):
        engine.ask(None)
