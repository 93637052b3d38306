"""The UI's HTML from pure functions, without Gradio or an engine (issue 10)."""

from __future__ import annotations

from dataclasses import replace

from core.types import Answer, Citation, DocMeta, Document
from qa.conversation import Conversation, replay
from qa.web import render, sidebar


def citation(**kw) -> Citation:
    """A hand-made citation: 某县's 一、总则, “加强防溺水教育” with 防溺水 marked."""
    c = Citation(
        1, "d1", "标题", "某县教育局", "某县", 2024, "一、总则", "加强防溺水教育", 0, 7, 1.0, ((2, 5),)
    )
    return replace(c, **kw)


def test_card_copies_the_source_and_marks_the_match():
    card = render.card_html(citation(why="含问题中的词语"))
    assert "<mark>防溺水</mark>" in card
    assert "value='《标题》一、总则：“加强防溺水教育”（某县教育局，某县，2024年）'" in card
    assert "<span class='pqa-why'>含问题中的词语</span>" in card
    assert "关键词第" not in card and "语义第" not in card


def test_a_file_name_standing_in_for_a_title_is_shown_as_a_file_name():
    # a document that shows no title is named by its file (02_gaikuang): in 《》 it would pass for a
    # title the document bears — the card, the copied reference and the source view say 文件 …（未见标题）
    c = citation(doc_id="batch/02_gaikuang", title="02_gaikuang")
    card = render.card_html(c)
    assert "文件 02_gaikuang（未见标题）" in card and "《02_gaikuang》" not in card
    assert "value='文件 02_gaikuang（未见标题）一、总则：" in card
    doc = Document("batch/02_gaikuang", "p", "第一段", DocMeta("02_gaikuang"))
    assert "文件 02_gaikuang（未见标题）" in render.source_html(doc, 0, 1)
    # a title the document bears keeps its 《》
    assert "《标题》" in render.card_html(citation())


def test_answer_continues_numbering_and_escapes():
    a = Answer("q", True, "<b>加强</b>[1]", (citation(),))
    out = render.answer_html(a, offset=5)
    assert "<sup class='pqa-ref'>[6]</sup>" in out and "<b>加强" not in out
    assert render.cards_in(out) == 1


def test_source_of_a_missing_document_and_offsets_clamped():
    assert "找不到这个文件" in render.source_html(None, 0, 1)
    doc = Document("d", "p", "第一段\n第二段", DocMeta("标题"))
    out = render.source_html(doc, 4, 10**9)
    assert "<mark id='pqa-src-hl' class='pqa-src-mark'>第二段</mark>" in out and "第 2 段" in out


def test_the_placeholder_folds_the_viewer_but_an_error_does_not():
    assert "pqa-src-placeholder" in render.SOURCE_PLACEHOLDER
    assert "pqa-src-placeholder" not in render.source_html(None, 0, 1)


def test_status_speaks_to_a_clerk():
    rebuilt = "已重建索引：还没有索引；5 个文档，306 段，新编码 306 段，复用 0 段，用时 12.5 秒"
    assert sidebar.plain_status(rebuilt) == "文库已更新：5 个文件，306 段（用时 12.5 秒）"
    failed = "更新索引失败（OSError: disk full），继续使用 2026-12-01T07:55:43+0000 的索引"
    assert "OSError" not in sidebar.plain_status(failed)
    html = sidebar.corpus_status_html([], 5, 306, "2026-12-01T07:55:43+0800", rebuilt)
    assert "新编码" not in html and "还没有索引" not in html and "2026-12-01 07:55" in html


def test_user_message_round_trips_to_its_question():
    long = "问" * 600
    assert render.question_of(render.user_html(long)) == "问" * 500
    assert render.question_of(render.user_html("<b>融安县</b>")) == "<b>融安县</b>"


def test_replay_rebuilds_the_conversation_from_turns():
    turns = [
        ("user", "还有吗"),
        ("user", "融安县防溺水措施"),
        ("assistant", 3),
        ("user", "那柳城县呢？"),
        ("assistant", 2),
    ]
    assert replay(turns) == Conversation(("融安县防溺水措施", "柳城县防溺水措施"), 2)


def test_hedged_answer_shows_a_notice_and_possibly_related_cards_not_an_answer():
    hedge = Answer(
        "学生近视防控",
        False,
        "",
        message="文件中没有直接提到“近视”，以下原文可能相关。",
        kind="related",
        related=(citation(), citation(n=2)),
    )
    out = render.answer_html(hedge, offset=3)
    assert "没有找到确定的答案" in out and "文件中没有直接提到“近视”" in out
    assert "可能相关的原文 2 条（第 4 条起）" in out
    assert out.count(render.RELATED_CARD_OPEN) == 2 and render.CARD_OPEN not in out
    assert "<span class='pqa-related-tag'>可能相关</span>" in out and "[5]" in out
    assert render.cards_in(out) == 2  # "还有吗" numbers on from them
    assert "引用原文" not in out and "pqa-summary" not in out


def test_refusal_shows_no_cards():
    refused = Answer(
        "明天天气", False, "", message="没有找到相关内容（文件中没有出现“明天、天气”）。", kind="none"
    )
    out = render.answer_html(refused)
    assert "没有找到可以引用的原文" in out and render.cards_in(out) == 0
