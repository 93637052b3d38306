"""qa.answer.evidence: the question's terms and which passages hold them (unit and known-answer tests)."""

from __future__ import annotations

import pytest

from qa.answer.evidence import Term, aligned_forms, is_everyday, known_parts
from qa.answer.plan import plan_question
from qa.answer.retrieve import retrieve


def test_aligned_forms_find_the_corpus_word_the_segmenter_cut():
    # jieba: 上一年 + 级; the corpus has 一年级
    assert aligned_forms("娃要上一年级", "上一年", {"一年级"}.__contains__) == ("一年级",)
    assert aligned_forms("娃要上一年级", "上一年", set().__contains__) == ()


def test_known_parts_are_the_longest_corpus_words_inside():
    assert known_parts("退休年龄", {"退休", "年", "休年"}.__contains__) == ("退休", "休年")
    assert known_parts("近视", set().__contains__) == ()


def test_a_term_is_held_by_any_form_or_all_parts():
    t = Term("学校成绩", ("学校成绩",), parts=("学校", "成绩"))
    assert t.held_by("提高学校教学成绩") and not t.held_by("学校管理")
    assert Term("老师", ("老师", "教师")).held_by("加强教师队伍建设")


def test_a_demonstrative_with_its_measure_word_is_no_topic():
    # “这笔钱具体花在哪” (R5b), “不许考试那句原话” (R5a): 这笔, 那句 point, they name nothing
    from qa.relevance import bare_word

    assert bare_word("这笔") == "" and bare_word("那句") == "" and bare_word("一堂课") == "课"
    assert bare_word("这里") == "这里"


def test_a_verb_and_its_result_is_told_from_a_word_of_its_own():
    from qa.relevance import is_resultative, shared_cutter

    cut = shared_cutter()
    assert all(is_resultative(w, cut) for w in ("找到", "撤掉", "落到", "干到", "叫成", "看完"))
    # 迟到 and 报到 are words of their own (迟 is no verb, 报到 is tagged whole), 学校 no verb at all
    assert not any(is_resultative(w, cut) for w in ("迟到", "报到", "学校", "找工作"))


def test_everyday_words_by_class_and_with_a_stray_character():
    assert is_everyday("两口子") and is_everyday("娃往") and is_everyday("夏天")
    assert not is_everyday("近视") and not is_everyday("个人所得税")
    # spoken doubled forms (N1–N3, R1–R3): 聊聊, 偷偷, 跑跑跳跳, 山沟沟
    assert all(is_everyday(w) for w in ("聊聊", "偷偷", "跑跑跳跳", "山沟沟"))
    # time adverbs join the time class (fresh M: 到时候 had become a question's only topic word)
    assert all(is_everyday(w) for w in ("到时候", "那时候", "将来", "马上"))
    # levels of government as people say them (R9a, R11a, R13b, R14b, N18): 市里 asks who decides
    assert all(is_everyday(w) for w in ("省里", "市里", "县里", "区里", "上级"))
    # saying something comes to nothing (N15, N17, N20, N48 别的干得再好也白搭; R18a/b 劝了也没用)
    assert all(is_everyday(w) for w in ("白搭", "白干", "没用", "没啥用"))
    # people by what they do, as people call them (R15a, R15b): 企业里的师傅, 做饭的师傅
    assert all(is_everyday(w) for w in ("师傅", "大叔", "大爷"))
    # where, said plainly (N58 老师在外头收钱补课, R3b 在外头晃了两年)
    assert all(is_everyday(w) for w in ("外头", "外边", "旁边", "跟前"))
    # a while, and no one to look after a child (N60 多待会儿, 娃没人带; N2 路上没人接)
    assert all(is_everyday(w) for w in ("待会儿", "没人带", "没人接"))


def test_generic_words_are_told_by_corpus_statistics(engine):
    ix = engine.state
    from qa.answer import evidence

    plan = plan_question("融安县防溺水措施", ix.store.documents, engine.vocab, ix.cut)
    hits = retrieve(ix, plan, 50, plan.allowed_docs, 0.5)
    found = evidence.gather(ix, plan, hits, generic_share=engine.settings.generic_share)
    topic = [t.word for t in found.topic_terms()]
    assert any("溺水" in w for w in topic)
    assert found.matched_topic(1)  # the first passage holds it


def test_an_abbreviation_counts_where_a_hit_spells_it_out():
    # 师大/附中 (R8b), 帮扶 (R7c): the asker's short form of two-character words the hit has in full
    from qa.answer.evidence import full_form
    from qa.relevance import WordCutter

    cut = WordCutter()
    school = ["考入福建师范大学平潭附属中学任教"]
    assert full_form("师大", school, cut) == "师范大学"
    assert full_form("附中", school, cut) == "附属中学"
    assert full_form("帮扶", ["要继续做好帮困扶贫工作"], cut) == "帮困扶贫"
    assert full_form("教资", ["中小学教师资格定期注册"], cut) == "教师资格"
    # the characters in that pattern, but not as whole words: no full form
    assert full_form("辍学", ["积极开展控辍保学部署工作"], cut) is None
    assert full_form("寒假", ["做好寒暑假学习安排"], cut) is None
    assert full_form("手机", ["提升学校的管理手段和机制"], cut) is None


def test_a_short_name_that_leaves_out_a_character_of_its_last_word_counts_where_a_hit_spells_it_out():
    # 升旗 for 升国旗 (R88c), 广播操 for 广播体操 (R88a, R88b), 寒假 for 寒暑假 (N33), 病假 for 病事假 (N71)
    from qa.answer.evidence import inserted_form
    from qa.relevance import WordCutter

    cut = WordCutter()
    assert inserted_form("升旗", ["3、升国旗、奏国歌、展会旗"], cut) == "升国旗"
    assert inserted_form("广播操", ["中学生广播体操评分条例"], cut) == "广播体操"
    assert inserted_form("寒假", ["做好寒暑假学习安排"], cut) == "寒暑假"
    # the characters so, but across words: 校制服 of 全校制服 starts inside 全校
    assert inserted_form("校服", ["全校制服统一"], cut) is None
    assert inserted_form("学生证", ["学生会证明"], cut) is None


def test_a_short_name_the_best_passages_spell_out_with_a_character_more_is_no_missing_word(engine):
    # 病假 (N71, N91): 柳城's plan speaks of 病事假; the question's word is matched there
    ix = engine.state
    from qa.answer import evidence

    plan = plan_question(
        "老师三天两头请病假,柳城县有没有说要管一管", ix.store.documents, engine.vocab, ix.cut
    )
    hits = retrieve(ix, plan, 50, plan.allowed_docs, 0.5)
    found = evidence.gather(ix, plan, hits, generic_share=engine.settings.generic_share)
    term = next(t for t in found.terms if t.word == "病假")
    assert "病事假" in term.forms and term not in found.unmatched_topic(5)


def test_the_card_highlights_the_full_form_a_short_name_was_matched_in(engine):
    # the asker writes 病假, the card says 病事假: what matched is marked, so the reader sees why
    answer = engine.ask("老师三天两头请病假,柳城县有没有说要管一管")
    card = next(c for c in answer.citations if "病事假" in c.text)
    assert "病事假" in [card.text[a:b] for a, b in card.highlights]


def test_an_abbreviation_the_best_passages_spell_out_is_no_missing_word(engine):
    # 义教: the plans say 义务教育; the word is matched there, not named as missing
    ix = engine.state
    from qa.answer import evidence

    plan = plan_question("义教均衡发展今年有啥安排", ix.store.documents, engine.vocab, ix.cut)
    hits = retrieve(ix, plan, 50, plan.allowed_docs, 0.5)
    found = evidence.gather(ix, plan, hits, generic_share=engine.settings.generic_share)
    term = next(t for t in found.terms if t.word == "义教")
    assert "义务教育" in term.forms and term not in found.unmatched_topic(5)


def test_the_askers_everyday_words_are_no_topic_when_the_question_has_its_own():
    # a corpus of four notices, one about 学费奖补: 基层, 学费, 奖补 are in a quarter of its passages,
    # only 最多 (the asker's) is rare — the topic is the question's own words (R9a, R9b)
    from qa.answer.evidence import Term, topic_of

    terms = [
        Term("基层", ("基层",), share=0.24, known=True),
        Term("奖补", ("奖补",), share=0.24, known=True),
        Term("最多", ("最多",), everyday=True),
    ]
    assert topic_of(terms, 0.12) == (0, 1)
    # with a rare word of its own, the topic is as before (decide's focus sets 最多 aside)
    terms[1] = Term("奖补", ("奖补",), share=0.01, known=True)
    assert topic_of(terms, 0.12) == (1, 2)


def test_a_word_most_documents_lack_is_a_topic_however_many_passages_hold_it(engine):
    # realdocs7, realdocs8, realdocs16: in a small corpus one notice's own word (教具, 积分, 评星) fills
    # a third of the passages; it is still what that notice is about, not a generic word
    from qa.answer import signals
    from qa.answer.evidence import GENERIC_SPREAD, topic_of

    ix = engine.state
    assert signals.document_spread(ix, "工作") == 1.0
    assert signals.document_spread(ix, "营养改善") == pytest.approx(1 / len(ix.store.documents))
    common_in_one = Term("教具", ("教具",), share=0.3, spread=0.25)
    everywhere = Term("措施", ("措施",), share=0.3, spread=1.0)
    assert GENERIC_SPREAD > 0.25
    assert topic_of([common_in_one, everywhere], 0.12) == (0,)


_WINTER_NOTICE = """某省教育厅办公室关于做好寒假期间学校安全卫生工作的通知

一、加强卫生防病
要密切关注雾霾天气对师生健康的影响，根据气象部门预警适时采取停止室外锻炼活动等措施。
二、加强交通安全
校车运营前要认真检查车况，严禁超员超载。
三、本通知自2018年起施行。
"""


def test_single_characters_the_corpus_has_together_are_one_word(tmp_path):
    # jieba cuts 雾霾 into 雾 / 霾 and drops both as single characters: the question seemed to share
    # no word with any passage and was refused (R21b); the corpus has 雾霾, so it is the question's word
    from qa.answer import signals
    from qa.engine import Engine
    from qa.settings import Settings

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notice.txt").write_text(_WINTER_NOTICE, encoding="utf-8")
    e = Engine.open(Settings(corpus_dir=tmp_path / "docs", index_dir=tmp_path / "index"))
    q = "雾霾天娃还要在操场跑操吗？"
    assert "雾霾" in signals.corpus_cut(e.state, q)
    # a run of particles, units and numbers stays apart: 2015 年 起 is no word 年起
    assert "年起" not in signals.corpus_cut(e.state, "从2015年起每个学生免多少")
    a = e.ask(q)
    assert not a.message.startswith("没有找到")
    shown = a.citations if a.found else a.related
    assert shown and "雾霾" in shown[0].text


def test_a_measure_word_glued_to_the_next_word_belongs_to_the_count(engine):
    # jieba: 9 + 月生 (R29b, R33a: “孩子是2010年9月生的”), 那 + 张小条 (R27a): the measure word is the
    # count's, so 月生 is not a topic word the documents lack
    from qa.answer.evidence import question_terms
    from qa.relevance import measure_glued

    assert measure_glued("月生", "孩子是2010年9") == "生"
    assert measure_glued("张小条", "教师证上贴的那") == "小条"
    assert measure_glued("月考", "学校的") == "月考"  # nothing counts before it
    ix = engine.state
    plan = plan_question(
        "孩子是2010年9月生的，今年秋天能上一年级吗", ix.store.documents, engine.vocab, ix.cut
    )
    words = [t.word for t in question_terms(ix, plan)]
    assert "月生" not in words and "秋天" in words
