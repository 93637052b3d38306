"""The UI's handlers as plain functions: answers, follow-ups, abstention, escaping, source viewer, uploads."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

import ui
from qa import conversation
from qa.types import Answer, Citation
from qa.web import app, handlers, render

RUAN_AN = "002_82e0708f1ad714c4"  # 2024年融安县教育工作要点
LIU_CHENG = "000_1cc7375600dbb1ea"  # 柳城县教育局2019年教育工作计划

SOME_CITY = "001_2534716a63ceacff"  # 某市教育局2019年工作要点: anonymised, no place

STUDY_TRIP = (
    "某县教育局关于加强研学旅行安全管理的通知\n"
    "一、总体要求\n"
    "各中小学校组织研学旅行活动，必须坚持安全第一的原则，严格执行行前报备制度。\n"
    "二、具体措施\n"
    "研学旅行出发前十个工作日，学校须向县教育局基础教育股报备活动方案和应急预案。\n"
    "每二十名学生至少配备一名随队教师和一名专职安全员，全程清点人数。\n"
    "承办研学旅行的机构须持有旅行社业务经营许可证，并为学生购买意外伤害保险。\n"
)


# --- helpers -------------------------------------------------------------------------------------------


def ask(engine, question, history=None, conv=None, **filters):
    history, conv, cleared = handlers.respond(engine, question, history or [], conv, **filters)
    assert cleared == ""
    return history, conv


def reply(history) -> str:
    assert history[-1]["role"] == "assistant"
    return history[-1]["content"]


def cards(reply_html: str) -> list[str]:
    """The cards of a reply: answers' and possibly related passages' alike."""
    return re.split(r"<div class='pqa-card(?: pqa-related)?'>", reply_html)[1:]


def card_sources(reply_html: str) -> list[tuple[str, int, int]]:
    """(doc_id, start, end) of each card, from its 查看原文 button."""
    out = []
    for value in re.findall(r"class='pqa-btn pqa-view' value='([^']*)'", reply_html):
        parsed = handlers.parse_source_request(html.unescape(value))
        assert parsed is not None
        out.append(parsed)
    return out


def citation(**kw) -> Citation:
    base = dict(
        n=1,
        doc_id="d1",
        title="标题",
        issuer="某县教育局",
        place="某县",
        year=2024,
        section="一、总则",
        text="正文",
        start=0,
        end=2,
        score=1.0,
    )
    base.update(kw)
    return Citation(**base)


# --- answers -------------------------------------------------------------------------------------------


def test_answer_first_card_is_ruan_an_with_marked_term(ui_engine):
    history, conv = ask(ui_engine, "融安县防溺水措施")
    assert history[0] == {"role": "user", "content": render.user_html("融安县防溺水措施")}
    out = reply(history)
    first = cards(out)[0]
    assert "2024年融安县教育工作要点" in first
    assert "<mark>防溺水</mark>" in first
    assert "查看原文" in first and "复制引用" in first
    assert "pqa-notfound" not in out
    assert "<sup class='pqa-ref'>[1]</sup>" in out  # the [n] markers of the extractive answer
    assert conv == conversation.Conversation(("融安县防溺水措施",), len(cards(out)))


@pytest.mark.parametrize(
    ("issuer", "place", "year", "shown"),
    [
        ("某县教育局", "某县", 2024, "某县教育局 · 某县 · 2024年"),
        ("某市教育局", None, 2019, "某市教育局 · 2019年 · <span class='pqa-unknown'>地区未注明</span>"),
        (None, None, None, "<span class='pqa-unknown'>发文机关、地区、年份未注明</span>"),
        (None, "柳州市", None, "柳州市 · <span class='pqa-unknown'>发文机关、年份未注明</span>"),
    ],
)
def test_card_says_which_metadata_the_document_does_not_tell(issuer, place, year, shown):
    card = render.card_html(citation(issuer=issuer, place=place, year=year))
    assert f"<div class='pqa-meta'>{shown}</div>" in card


def test_anonymised_plan_card_says_it_has_no_place(ui_engine):
    history, _ = ask(ui_engine, "学校安全", doc_ids=[SOME_CITY])
    first = cards(reply(history))[0]
    assert "某市教育局 · 2019年 · <span class='pqa-unknown'>地区未注明</span>" in first
    assert "地区未注明" in handlers.source_html(ui_engine, SOME_CITY, 0, 10)


def test_card_shows_meta_breadcrumb_and_copyable_citation(ui_engine):
    answer = ui_engine.ask("融安县防溺水措施")
    c = answer.citations[0]
    card = render.card_html(c, ui_engine.document(c.doc_id).text)
    assert "融安县教育局 · 柳州市融安县 · 2024年" in card
    assert html.escape(c.section) in card
    from qa.answer.assemble import citation_line, reference_line

    # 复制引用 copies the citation line followed by the issuing body, place and year (issue 10)
    assert reference_line(c).startswith(citation_line(c))
    assert reference_line(c).endswith("（融安县教育局，柳州市融安县，2024年）")
    assert f"value='{html.escape(reference_line(c), quote=True)}'" in card


def test_follow_up_place_answers_from_liu_cheng(ui_engine):
    history, conv = ask(ui_engine, "融安县防溺水措施")
    history, conv = ask(ui_engine, "那柳城县呢？", history, conv)
    assert conv.questions == ("融安县防溺水措施", "柳城县防溺水措施")
    out = reply(history)
    assert "按“柳城县防溺水措施”检索" in out
    sources = card_sources(out)
    assert sources and sources[0][0] == LIU_CHENG
    assert "柳城县" in cards(out)[0]


def test_more_shows_the_next_results(ui_engine):
    history, conv = ask(ui_engine, "学校安全")
    first = set(card_sources(reply(history)))
    history, conv = ask(ui_engine, "还有吗", history, conv)
    out = reply(history)
    second = set(card_sources(out))
    assert second and not (first & second)
    assert conv.questions == ("学校安全",)  # "还有吗" is not a new question
    assert conv.shown == len(first) + len(second)
    assert "第 6 条起" in out


def test_more_continues_the_numbering(ui_engine):
    history, conv = ask(ui_engine, "学校安全")
    history, conv = ask(ui_engine, "还有吗", history, conv)
    out = reply(history)
    numbers = [int(n) for n in re.findall(r"<span class='pqa-n'>\[(\d+)\]</span>", out)]
    assert numbers == list(range(6, 6 + len(numbers)))  # not [1]…[5] again under "第 6 条起"
    refs = {int(n) for n in re.findall(r"<sup class='pqa-ref'>\[(\d+)\]</sup>", out)}
    assert refs and refs <= set(numbers)  # the summary's markers point at these cards


def test_summary_markers_follow_the_offset():
    c = citation(n=2)
    answer = Answer(question="q", found=True, answer="甲。[1]乙。[2]", citations=(citation(), c))
    out = render.answer_html(answer, offset=5)
    assert "甲。<sup class='pqa-ref'>[6]</sup>乙。<sup class='pqa-ref'>[7]</sup>" in out
    assert "<span class='pqa-n'>[6]</span>" in out and "<span class='pqa-n'>[7]</span>" in out
    assert "<span class='pqa-n'>[1]</span>" not in out


@pytest.mark.parametrize("first", ["还有吗", "那柳城县呢？"])
def test_follow_up_with_nothing_before_asks_for_a_whole_question(ui_engine, first):
    history, conv = ask(ui_engine, first)
    out = reply(history)
    assert "请先提一个完整的问题" in out and "pqa-card" not in out
    assert conv == conversation.Conversation()  # nothing to follow up on yet, and the turn is not a question
    # the conversation then starts normally: the follow-up refers to the first real question
    history, conv = ask(ui_engine, "融安县防溺水措施", history, conv)
    history, conv = ask(ui_engine, "那柳城县呢？", history, conv)
    assert conv.questions == ("融安县防溺水措施", "柳城县防溺水措施")
    assert card_sources(reply(history))[0][0] == LIU_CHENG
    assert handlers.conversation_from_history(history) == conv  # rebuilt from the chat alike


@pytest.mark.parametrize(
    ("question", "needs"),
    [("还有吗", True), ("那柳城县呢？", True), ("金坛区呢", True), ("柳城县", False),
     ("柳城县防溺水措施", False), ("老师不够怎么办", False)],
)  # fmt: skip
def test_needs_context(question, needs):
    assert conversation.needs_context(question) is needs


def test_history_with_list_parts_is_accepted(ui_engine):
    history = [
        {"role": "user", "content": [{"type": "text", "text": "融安县防溺水措施"}]},
        {"role": "assistant", "content": [{"type": "text", "text": "<div class='pqa-answer'></div>"}]},
    ]
    new, _ = ask(ui_engine, [{"type": "text", "text": "融安县防溺水措施"}], history)
    assert new[:2] == history and len(new) == 4
    assert "2024年融安县教育工作要点" in reply(new)


def test_follow_up_without_session_state_uses_the_history(ui_engine):
    history, conv = ask(ui_engine, "融安县防溺水措施")
    as_parts = [{"role": m["role"], "content": [{"type": "text", "text": m["content"]}]} for m in history]
    assert handlers.conversation_from_history(as_parts) == conv
    history2, conv2 = ask(ui_engine, "那柳城县呢？", as_parts, None)
    assert conv2.questions == ("融安县防溺水措施", "柳城县防溺水措施")
    assert card_sources(reply(history2))[0][0] == LIU_CHENG
    history3, conv3 = ask(ui_engine, "还有吗", history2, None)
    assert conv3.questions == conv2.questions
    assert not set(card_sources(reply(history3))) & set(card_sources(reply(history2)))


def test_escaped_questions_round_trip_through_the_history():
    history = [{"role": "user", "content": render.user_html("<b>融安县</b>\n防溺水")}]
    assert handlers.conversation_from_history(history).questions == ("<b>融安县</b>\n防溺水",)


def test_long_question_is_shown_cut_with_its_length(ui_engine):
    question = "融安县防溺水措施" * 12_500  # 100,000 characters, pasted
    history, _ = ask(ui_engine, question)
    shown = history[0]["content"]
    assert len(shown) < 1000
    assert "…</div><div class='pqa-q-more'>问题共 100,000 字，只按前 500 字检索</div>" in shown
    out = reply(history)
    assert "问题过长" in out  # the engine's own note
    assert "2024年融安县教育工作要点" in cards(out)[0]
    # rebuilt from the chat, the question is what the engine read of it, without the note
    assert handlers.conversation_from_history(history).questions == (question[:500],)


def test_lone_surrogates_from_the_api_get_an_answer_that_can_be_sent(ui_engine):
    """Issue 13, failure 7: "\\ud800融安县防溺水措施\\udfff" gave no answer and a server traceback
    (orjson: "str is not valid UTF-8: surrogates not allowed")."""
    import orjson

    past = [{"role": "user", "content": "\udc80学生资助"}, {"role": "assistant", "content": "\ud83d"}]
    history, _conv, _ = handlers.respond(
        ui_engine, "\ud800融安县防溺水措施\udfff", past, None, places=["\udfff"]
    )
    orjson.dumps(history)  # what Gradio sends back: raised before
    assert "2024年融安县教育工作要点" in history[-1]["content"] or "pqa-notfound" in history[-1]["content"]
    history, _conv, _ = handlers.respond(ui_engine, "\ud800融安县防溺水措施\udfff", [], None)
    assert "pqa-card" in history[-1]["content"] and "2024年融安县教育工作要点" in history[-1]["content"]
    orjson.dumps(history)


def test_a_question_without_words_asks_for_one(ui_engine):
    """Issue 13, failure 9, as the chat shows it: no cards."""
    for q in ("{{7*7}}", "12345", '{"a": 1, "b": [2, 3]}'):
        history, _conv, _ = handlers.respond(ui_engine, q, [], None)
        assert "pqa-card" not in history[-1]["content"]
        assert "请输入要查询的问题" in html.unescape(history[-1]["content"])


def test_empty_message_changes_nothing(ui_engine):
    history, conv = ask(ui_engine, "   ")
    assert history == [] and conv == conversation.Conversation()


@pytest.mark.parametrize(
    ("content", "text"),
    [
        ("还有吗", "还有吗"),
        ([{"type": "text", "text": "那柳城县呢？"}], "那柳城县呢？"),
        ({"text": "问题", "files": []}, "问题"),
        ([{"type": "file", "file": {"path": "x"}}, {"type": "text", "text": "a"}], "a"),
        (None, ""),
    ],
)
def test_message_text_handles_strings_and_parts(content, text):
    assert handlers.message_text(content) == text


# --- abstention ----------------------------------------------------------------------------------------


def test_abstention_is_a_notice_without_cards(ui_engine):
    history, _ = ask(ui_engine, "鹿寨县防溺水")
    out = reply(history)
    assert "pqa-notfound" in out
    assert "没有找到" in out
    assert "鹿寨县" in out  # Answer.message says which place is not covered
    assert "pqa-card" not in out and "查看原文" not in out
    assert "pqa-summary" not in out


def test_abstention_tip_mentions_filters_only_when_they_are_on(ui_engine):
    plain = reply(ask(ui_engine, "明天天气怎么样")[0])
    assert "可以换个说法再问" in plain and "筛选" not in plain
    filtered = reply(ask(ui_engine, "融安县防溺水措施", places=["柳州市柳城县"])[0])
    assert "pqa-notfound" in filtered
    assert "已按筛选条件检索：地区 柳州市柳城县" in filtered
    assert "取消左侧的筛选条件" in filtered


def test_filters_in_force_are_named_in_the_reply(ui_engine):
    history, _ = ask(ui_engine, "学校安全", places=["柳州市柳城县"], years=["2019"], doc_ids=[LIU_CHENG])
    out = reply(history)
    label = "已按筛选条件检索：地区 柳州市柳城县；年份 2019；文件 《柳城县教育局2019年教育工作计划》"
    assert f"<div class='pqa-filters'>{label}</div>" in out
    assert "pqa-filters" not in reply(ask(ui_engine, "学校安全")[0])


def test_abstention_lists_suggestions_as_clickable_topics():
    answer = Answer(
        question="q",
        found=False,
        answer="",
        message="没有找到相关内容。",
        suggestions=("校园安全管理", "<b>学生资助", "1月"),
    )
    out = render.answer_html(answer)
    assert "相近的主题" in out
    assert "<button type='button' class='pqa-chip' value='校园安全管理'>校园安全管理</button>" in out
    assert "&lt;b&gt;学生资助" in out and "<b>" not in out
    assert "1月" not in out  # a table's month label is not a topic


def test_more_after_the_last_result_says_so(ui_engine):
    conv = conversation.Conversation(("融安县防溺水措施",), 200)
    history, _ = ask(ui_engine, "还有吗", conv=conv)
    out = reply(history)
    assert "没有找到更多结果" in out and "pqa-card" not in out


# --- escaping ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("question", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"])
def test_questions_are_escaped(ui_engine, question):
    history, _ = ask(ui_engine, question)
    for message in history:
        assert "<script" not in message["content"]
        assert "<img" not in message["content"]
    assert html.escape(question) in history[0]["content"]


def test_document_text_titles_and_sections_are_escaped():
    text = "<b>a</b> & <script>x</script>"
    c = citation(
        title="<img src=x onerror=alert(1)>",
        section="<i>节</i>",
        issuer="<u>机关</u>",
        text=text,
        end=len(text),
        highlights=((3, 4), (11, 19)),  # "a" and "<script>"
    )
    answer = Answer(question="<q>", found=True, answer="<script>alert(1)</script>[1]", citations=(c,))
    out = render.answer_html(answer, resolved="<b>问</b>")
    assert "<img" not in out and "<script" not in out and "<b>" not in out and "<i>" not in out
    assert "<u>" not in out
    assert "&lt;b&gt;<mark>a</mark>&lt;/b&gt; &amp; <mark>&lt;script&gt;</mark>x&lt;/script&gt;" in out
    assert "《&lt;img src=x onerror=alert(1)&gt;》" in out


def test_highlight_html_merges_overlaps_and_clips():
    assert render.highlight_html("防溺水安全", [(0, 3), (2, 5)]) == "<mark>防溺水</mark><mark>安全</mark>"
    assert render.highlight_html("abc", [(2, 10), (-3, 1)]) == "<mark>a</mark>b<mark>c</mark>"
    assert render.highlight_html("a\nb", []) == "a<br>b"


def test_attribute_values_cannot_break_out():
    c = citation(doc_id="x' onmouseover='alert(1)", title="'\"><svg>")
    card = render.card_html(c)
    assert "onmouseover='alert" not in card
    assert "<svg" not in card
    assert "&#x27;" in card


# --- excerpt edges ("…") ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "cut"),
    [
        (0, 5, (False, True)),  # starts the document, ends mid-line
        (0, 6, (False, False)),  # the first line
        (7, 12, (False, False)),  # a whole line
        (9, 12, (True, False)),  # starts mid-line
        (7, 10, (False, True)),
        (13, 16, (False, False)),  # ends the document
    ],
)
def test_excerpt_cut(start, end, cut):
    text = "第一行句子。\n第二行句子\n第三行"
    assert render.excerpt_cut(text, start, end) == cut


def test_card_shows_ellipsis_where_the_excerpt_is_cut():
    text = "一、总则\n前文。中间的内容。后文"
    c = citation(text="中间的内容。", start=text.index("中间"), end=text.index("后文"))
    card = render.card_html(c, text)
    assert "<span class='pqa-cut'>…</span>中间的内容。<span class='pqa-cut'>…</span>" in card
    whole = citation(text="一、总则", start=0, end=4)
    assert "pqa-cut" not in render.card_html(whole, text)


def test_real_excerpts_get_ellipses_exactly_where_cut(ui_engine):
    doc = ui_engine.document(RUAN_AN)
    citations = [c for c in ui_engine.ask("融安县学校安全").citations if c.doc_id == RUAN_AN]
    mid = [c for c in citations if c.start > 0 and doc.text[c.start - 1] not in "\n \u3000"]
    whole = [c for c in citations if c.start == 0 or doc.text[c.start - 1] == "\n"]
    assert mid and whole  # this answer has both kinds (cards [3] and [1])
    for c in mid:
        assert "<div class='pqa-excerpt'><span class='pqa-cut'>…</span>" in render.card_html(c, doc.text)
    for c in whole:
        assert "<div class='pqa-excerpt'><span class='pqa-cut'>" not in render.card_html(c, doc.text)


# --- source viewer -------------------------------------------------------------------------------------


def test_source_viewer_head_names_the_document_above_the_text(ui_engine):
    out = handlers.source_html(ui_engine, RUAN_AN, 10, 20)
    head = re.search(r"<div class='pqa-src-head'>(.*?)</div><div class='pqa-src-body'>", out)
    assert head is not None  # kept on screen by CSS while the text scrolls
    assert "《2024年融安县教育工作要点》" in head.group(1)
    assert "融安县教育局 · 柳州市融安县" in head.group(1)
    assert "pqa-src-hl" not in head.group(1)


def test_source_html_marks_the_passage(ui_engine):
    c = ui_engine.ask("融安县防溺水措施").citations[0]
    doc = ui_engine.document(c.doc_id)
    out = handlers.source_html(ui_engine, c.doc_id, c.start, c.end)
    m = re.search(r"<mark id='pqa-src-hl' class='pqa-src-mark'>(.*?)</mark>", out, re.S)
    assert m is not None
    assert m.group(1) == html.escape(doc.text[c.start : c.end]).replace("\n", "<br>")
    assert out.count("<mark") == 1
    assert "《2024年融安县教育工作要点》" in out
    # the whole document is there, before and after the passage
    before, after = out.split(m.group(0))
    assert html.escape(doc.text[: c.start][-20:]).replace("\n", "<br>") in before
    assert html.escape(doc.text[c.end :][:20]).replace("\n", "<br>") in after


def test_view_source_parses_the_card_request(ui_engine):
    c = ui_engine.ask("融安县防溺水措施").citations[0]
    assert handlers.view_source(ui_engine, render.source_request(c)) == handlers.source_html(
        ui_engine, c.doc_id, c.start, c.end
    )


@pytest.mark.parametrize(
    "request_",
    ["../../etc/passwd|0|10", "/etc/passwd|0|10", "corpus/002_82e0708f1ad714c4.txt|0|5", "nope|1|2"],
)
def test_source_viewer_resolves_only_document_ids(ui_engine, request_):
    out = handlers.view_source(ui_engine, request_)
    assert "找不到这个文件" in out and "<mark" not in out


@pytest.mark.parametrize("request_", ["", "x", "a|b|c", "002_82e0708f1ad714c4|1"])
def test_source_viewer_refuses_malformed_requests(ui_engine, request_):
    assert "无法打开原文" in handlers.view_source(ui_engine, request_)


def test_source_offsets_are_clamped(ui_engine):
    doc = ui_engine.document(RUAN_AN)
    out = handlers.source_html(ui_engine, RUAN_AN, -50, 10**9)
    assert "<mark id='pqa-src-hl' class='pqa-src-mark'>" in out
    assert html.escape(doc.text[-10:]) in out


# --- filters -------------------------------------------------------------------------------------------


def test_place_filter_restricts_results(ui_engine):
    history, _ = ask(ui_engine, "防溺水", places=["柳州市柳城县"])
    sources = card_sources(reply(history))
    assert sources and {d for d, _, _ in sources} == {LIU_CHENG}


def test_year_filter_restricts_results(ui_engine):
    history, _ = ask(ui_engine, "防溺水", years=["2024"])  # years may come back as strings
    sources = card_sources(reply(history))
    assert sources and {d for d, _, _ in sources} == {RUAN_AN}


def test_document_filter_restricts_results(ui_engine):
    unfiltered = {d for d, _, _ in card_sources(reply(ask(ui_engine, "校园安全")[0]))}
    assert len(unfiltered) > 1
    history, _ = ask(ui_engine, "校园安全", doc_ids=[LIU_CHENG])
    assert {d for d, _, _ in card_sources(reply(history))} == {LIU_CHENG}


def test_wording_toggle_finds_verbatim_occurrences(ui_engine):
    history, _ = ask(ui_engine, "四不两直", wording=True)
    out = reply(history)
    assert "原文逐字匹配" in out
    assert "<mark>四不两直</mark>" in out
    summary = re.search(r"<div class='pqa-summary'>(.*?)</div>", out).group(1)
    assert "出现" in summary and "《" not in summary  # the per-occurrence lines are the cards


def test_wording_toggle_says_when_nothing_matches_word_for_word(ui_engine):
    question = "学校安全工作很重要吗"
    assert not ui_engine.find(ui_engine.plan(question).core)  # no verbatim occurrence
    history, _ = ask(ui_engine, question, wording=True)
    out = reply(history)
    note = re.search(r"<div class='pqa-note'>([^<]*)</div>", out)
    assert note and note.group(1).startswith("文件中没有逐字出现“学校安全工作很重要")
    assert "按意思检索" in note.group(1)
    assert "原文逐字匹配" not in out  # the cards are ordinary matches, and say so
    # with a verbatim match, or without the toggle, there is no such note
    assert "没有逐字出现" not in reply(ask(ui_engine, "四不两直", wording=True)[0])
    assert "没有逐字出现" not in reply(ask(ui_engine, question)[0])


def test_filter_choices_come_from_document_meta(ui_engine):
    places, years, docs = handlers.filter_choices(ui_engine)
    assert places[:4] == ui_engine.covered_places()
    assert {"柳州市", "广西壮族自治区", "江苏省"} <= set(places)
    assert years == sorted(years, reverse=True) and 2024 in years and 2014 in years
    assert (("2024年融安县教育工作要点", RUAN_AN)) in docs
    assert ("2019年上半年工作总结及下半年工作意见（常州市金坛区）", "003_8c9d520ce41816f3") in docs


def test_corpus_status_shows_counts_build_time_and_status(ui_engine):
    out = handlers.corpus_status_html(ui_engine)
    m = ui_engine.state.store.manifest
    assert f"<b>{m.counts['documents']}</b> 个文件" in out
    assert f"<b>{m.counts['passages']}</b> 段" in out
    assert "索引构建于 " + m.build_time[:10] in out
    status = re.search(r"<div class='pqa-status-line'>最近一次：([^<]*)</div>", out).group(1)
    assert status and not re.search(r"\d{2}T\d{2}:", status)  # times read as times, not ISO stamps


def test_status_times_are_shown_as_dates(monkeypatch, ui_engine):
    monkeypatch.setattr(ui_engine, "status", "索引已是最新（2026-12-01T07:55:43+0000）")
    assert "最近一次：索引已是最新（2026-12-01 07:55 (UTC)）" in handlers.corpus_status_html(ui_engine)


# --- uploads -------------------------------------------------------------------------------------------


def corpus_files(engine) -> list[str]:
    return sorted(p.name for p in Path(engine.settings.corpus_dir).iterdir() if not p.name.startswith("."))


def run_upload(engine, paths):
    steps = list(handlers.upload(engine, [str(p) for p in paths], poll=0.05))
    assert steps
    return steps


def test_upload_gb18030_text_becomes_searchable(fresh_engine, tmp_path):
    path = tmp_path / "某县研学旅行安全管理通知.txt"
    path.write_bytes(STUDY_TRIP.encode("gb18030"))
    assert not cites_study_trip(fresh_engine, "研学旅行报备")
    steps = run_upload(fresh_engine, [path])
    status, _places, _years, docs, corpus_status, files = steps[-1]
    assert "✓ 已接收 某县研学旅行安全管理通知.txt" in status
    assert "索引已更新" in status and "某县教育局关于加强研学旅行安全管理的通知" in status
    assert files is None  # the file box is cleared
    assert any("研学旅行" in label for label, _ in docs["choices"])
    assert "<b>6</b> 个文件" in corpus_status
    history, _ = ask(fresh_engine, "研学旅行活动方案向哪个股室报备")
    out = reply(history)
    assert "某县教育局关于加强研学旅行安全管理的通知" in cards(out)[0]
    assert "基础教育股" in cards(out)[0]


def cites_study_trip(engine, question) -> bool:
    """Whether the answer to `question` cites the study-trip notice."""
    return any("研学旅行安全管理" in c.title for c in engine.ask(question).citations)


def test_upload_reports_progress_while_the_old_index_serves(fresh_engine, tmp_path):
    path = tmp_path / "研学.md"
    path.write_text("# 某县研学旅行安全管理办法\n\n" + STUDY_TRIP, encoding="utf-8")
    answers = []
    statuses = []
    for step in handlers.upload(fresh_engine, [str(path)], poll=0.01):
        statuses.append(step[0])
        answers.append(fresh_engine.ask("融安县防溺水措施").found)  # questions keep being answered
    assert all(answers)
    assert any("正在更新索引" in s for s in statuses[:-1]) or len(statuses) == 1
    assert "索引已更新" in statuses[-1]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("binary.txt", bytes(range(256)) * 40, ""),
        ("setup.exe", b"MZ\x90\x00" + bytes(500), "不支持的文件类型"),
        ("empty.md", b"", ""),
    ],
    ids=["binary-txt", "exe", "empty-md"],
)
def test_bad_files_are_refused_with_a_reason(fresh_engine, tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    before = corpus_files(fresh_engine)
    steps = run_upload(fresh_engine, [path])
    assert len(steps) == 1  # nothing to index: no refresh
    status = steps[0][0]
    m = re.search(r"<div class='pqa-up-bad'>✗ 未收录 ([^<]*)</div>", status)
    assert m is not None, status
    assert m.group(1).startswith(html.escape(name) + ": ")
    assert len(m.group(1)) > len(name) + 3  # a reason follows the name
    assert reason in m.group(1)
    assert corpus_files(fresh_engine) == before  # nothing reached the corpus


def test_upload_mix_keeps_good_files_and_refuses_bad_ones(fresh_engine, tmp_path):
    good = tmp_path / "研学旅行.txt"
    good.write_bytes(STUDY_TRIP.encode("gb18030"))
    bad = tmp_path / "tool.exe"
    bad.write_bytes(b"MZ" + bytes(100))
    status = run_upload(fresh_engine, [good, bad])[-1][0]
    assert "✓ 已接收 研学旅行.txt" in status
    assert "✗ 未收录 tool.exe: " in status
    assert "索引已更新" in status


def test_long_chinese_file_name_is_stored_shortened(fresh_engine, tmp_path):
    name = "长" * 300 + ".txt"  # 903 bytes: over the 255-byte limit of file names
    path = tmp_path / "upload.txt"
    path.write_bytes(STUDY_TRIP.encode("gb18030"))
    status = list(handlers.upload(fresh_engine, [{"path": str(path), "orig_name": name}], poll=0.05))[-1][0]
    assert f"✓ 已接收 {name}（保存为 " in status and "索引已更新" in status
    assert all(len(n.encode()) <= 255 for n in corpus_files(fresh_engine))
    assert any(n.startswith("长长长") and n.endswith(".txt") for n in corpus_files(fresh_engine))


@pytest.mark.parametrize(
    ("name", "shortened"),
    [("a.txt", "a.txt"), ("长" * 300 + ".docx", "长" * 58 + ".docx"), ("长" * 70, "长" * 60)],
)
def test_storable_name_keeps_the_extension_within_the_limit(name, shortened):
    assert handlers.storable_name(name) == shortened
    assert len(handlers.storable_name(name).encode()) <= 180


def test_a_file_the_corpus_folder_refuses_is_reported(fresh_engine, tmp_path, monkeypatch):
    def refuse(path, filename, corpus_dir, **kw):
        raise PermissionError(13, "Permission denied", filename)

    monkeypatch.setattr(handlers, "accept_upload", refuse)
    path = tmp_path / "通知.txt"
    path.write_bytes(STUDY_TRIP.encode("gb18030"))
    steps = run_upload(fresh_engine, [path])
    assert len(steps) == 1
    assert "✗ 未收录 通知.txt: 无法保存到文库" in steps[0][0]


def test_api_description_names_no_corpus_content(ui_engine):
    """Gradio puts the API description in the page even before the login: no places, ids or titles."""
    import json

    demo = app.build_app(ui_engine)
    public = json.dumps(demo.get_api_info(), ensure_ascii=False)
    for secret in ("柳州市融安县", RUAN_AN, "泸州市", "2024年融安县教育工作要点"):
        assert secret not in public
    hidden = demo.get_api_info(all_endpoints=True)["named_endpoints"]  # still callable by name
    assert {"/ask", "/source", "/upload"} <= set(hidden)


def test_upload_without_files_asks_for_one(fresh_engine):
    (step,) = list(handlers.upload(fresh_engine, None))
    assert "请选择要上传的文件" in step[0]


# --- launching -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.0.0.2", True), ("localhost", True), ("::1", True), ("[::1]", True),
     ("0.0.0.0", False), ("192.168.1.10", False), ("::", False), ("example.org", False)],
)  # fmt: skip
def test_is_loopback(host, loopback):
    assert ui.is_loopback(host) is loopback


def test_parse_auth():
    assert ui.parse_auth("clerk:s3:cret") == ("clerk", "s3:cret")
    assert ui.parse_auth(None) is None and ui.parse_auth("") is None
    for bad in ("clerk", ":pw", "clerk:"):
        with pytest.raises(ValueError):
            ui.parse_auth(bad)


def test_refuses_to_listen_on_the_network_without_login(monkeypatch, capsys):
    monkeypatch.delenv("POLICYQA_AUTH", raising=False)
    assert ui.main(["--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert "拒绝启动" in err and "--auth" in err


def test_malformed_auth_is_refused(monkeypatch, capsys):
    monkeypatch.setenv("POLICYQA_AUTH", "nopassword")
    assert ui.main(["--host", "0.0.0.0"]) == 2
    assert "用户名:密码" in capsys.readouterr().err


def test_build_app_makes_blocks_with_a_bounded_queue(ui_engine):
    demo = app.build_app(ui_engine)
    assert isinstance(demo, ui.gr.Blocks)
    assert demo._queue.max_size == 64
    assert demo._queue.default_concurrency_limit == 8
