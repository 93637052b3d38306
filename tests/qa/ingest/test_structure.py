"""Tests for qa.ingest.structure: outline levels, sentence splitting, passages that follow the outline."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa.ingest.corpus import Corpus, load_corpus
from qa.ingest.structure import (
    heading_level,
    is_bare_heading,
    item_label,
    passages_for,
    split_sentences,
)
from qa.types import Document, Passage

# --------------------------------------------------------------------------- heading_level


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("第一部分:2019年上半年工作回顾", 0),
        ("第二部分下半年工作意见", 0),
        ("附件:", 0),
        ("附件1 主要工作安排", 0),
        ("一、指导思想", 1),
        ("十二、加强党的建设", 1),
        ("三.主要工作措施", 1),
        ("（一）学前教育普惠行动。", 2),
        ("(七)护校安园维稳行动。", 2),
        ("（ 十 ）其他", 2),
        ("1.大力推进人事制度改革。", 3),
        ("1、严格落实工作责任。", 3),
        ("19 建立教育优质资源共享平台。", 3),
        ("45．加强机关自身建设。", 3),
        ("（1）加强校园安全。", 4),
        ("(12)强化食品安全。", 4),
    ],
)
def test_heading_level_of_each_marker(line: str, level: int) -> None:
    assert heading_level(line) == level


@pytest.mark.parametrize(
    "line",
    [
        "全面贯彻落实党的十九大精神。",
        "2019年是完成“十三五”规划目标任务的关键之年。",  # a year, not item 2019
        "3.5%的教师跨校交流。",  # a decimal, not item 3
        "12月 · 组织高中学校学业水平考试 · 主办：招生办",
        "",
    ],
)
def test_plain_lines_have_no_heading_level(line: str) -> None:
    assert heading_level(line) is None


# --------------------------------------------------------------------------- is_bare_heading / item_label


@pytest.mark.parametrize(
    "line",
    [
        "二、主要工作目标",
        "(七)护校安园维稳行动。",
        "第一部分:2019年上半年工作回顾",
        "附件:",
        "四、进一步建立健全“四个机制”",
    ],
)
def test_bare_headings(line: str) -> None:
    assert is_bare_heading(line)


@pytest.mark.parametrize(
    "line",
    [
        "7.健全校园安全稳定机制。健全完善学校安全工作岗位职责手册,强化隐患排查整治。",
        "五、进一步提升教育品质。根据新高考变化和新课程要求,强化高中教学管理。",
        "一、" + "坚持" * 25,  # a 50-character body is a paragraph, not a heading
    ],
)
def test_items_with_a_body_are_not_bare(line: str) -> None:
    assert not is_bare_heading(line)


def test_item_label_is_the_text_up_to_the_first_sentence_end() -> None:
    assert (
        item_label("7.健全校园安全稳定机制。健全完善学校安全工作岗位职责手册。") == "7.健全校园安全稳定机制"
    )
    assert item_label("1.总体要求:坚持立德树人。") == "1.总体要求"
    long = "3." + "加强" * 30 + "。"
    assert item_label(long) == long[:40] + "…"


# --------------------------------------------------------------------------- split_sentences


def test_short_text_is_one_part() -> None:
    assert split_sentences("一句话。", 300) == [(0, 4)]


def test_long_text_splits_at_sentence_ends_into_balanced_parts() -> None:
    text = ("字" * 79 + "。") * 10  # 800 characters in 80-character sentences
    parts = split_sentences(text, 300)
    assert [e - s for s, e in parts] == [240, 240, 240, 80]
    assert all(text[e - 1] == "。" for _, e in parts)


def test_overlong_sentence_is_cut_at_commas() -> None:
    text = ("字" * 59 + "，") * 10 + "。"
    parts = split_sentences(text, 100)
    assert len(parts) > 1
    for s, e in parts:
        assert e - s <= 150
        assert text[e - 1] in "，。"


_pieces = st.tuples(st.integers(1, 120), st.sampled_from(["。", "；", "！", "，", ""]))


@settings(max_examples=300, deadline=None)
@given(st.lists(_pieces, min_size=1, max_size=25), st.integers(20, 400))
def test_parts_cover_the_text_exactly(pieces: list[tuple[int, str]], max_chars: int) -> None:
    text = "".join("字" * n + p for n, p in pieces)
    parts = split_sentences(text, max_chars)
    assert parts[0][0] == 0
    assert parts[-1][1] == len(text)
    for (_, e), (s, _) in itertools.pairwise(parts):
        assert e == s
    assert all(e > s for s, e in parts)


@settings(max_examples=300, deadline=None)
@given(st.data(), st.integers(20, 400))
def test_parts_stay_near_max_chars_when_sentences_allow(data: st.DataObject, max_chars: int) -> None:
    # Sentences no longer than max_chars: parts are capped at 1.5 × max_chars, plus a short
    # tail (< max_chars / 4) that is merged rather than left as a fragment.
    lengths = data.draw(st.lists(st.integers(1, max_chars), min_size=1, max_size=25))
    text = "".join("字" * (n - 1) + "。" for n in lengths)
    for s, e in split_sentences(text, max_chars):
        assert e - s <= max_chars * 3 // 2 + max_chars // 4


# --------------------------------------------------------------------------- passages_for (unit)


OUTLINE = "\n".join(
    [
        "2024年某县教育工作要点",
        "总体思路:坚持立德树人。",
        "一、总体要求",
        "（一）安全工作",
        "1.加强防溺水教育。暑期前开展专项教育。",
        "做好家校联系。",
        "2.完善安全制度。建立周检查制度。",
        "（二）课后服务",  # a short numbered line with nothing under it: an item, not lost
        "二、重点任务",
        "3.推进课后服务。开展托管服务。",
        "附件:",
        "主要工作安排",
        "4月 · 组织中考体育测试工作 · 主办：招生办",
        "5月 · 组织开学工作 · 主办：教育股",
    ]
)


def test_passages_follow_the_outline() -> None:
    ps = passages_for("d", OUTLINE, title="2024年某县教育工作要点")
    got = [(p.kind, p.section, p.text) for p in ps]
    assert got == [
        ("para", (), "总体思路:坚持立德树人。"),
        (
            "item",
            ("一、总体要求", "（一）安全工作", "1.加强防溺水教育"),
            "1.加强防溺水教育。暑期前开展专项教育。",
        ),
        ("para", ("一、总体要求", "（一）安全工作", "1.加强防溺水教育"), "做好家校联系。"),
        ("item", ("一、总体要求", "（一）安全工作", "2.完善安全制度"), "2.完善安全制度。建立周检查制度。"),
        # （二）课后服务 has nothing under it: a bare heading is never a passage of its own
        ("item", ("二、重点任务", "3.推进课后服务"), "3.推进课后服务。开展托管服务。"),
        ("table_row", ("附件", "主要工作安排", "4月"), "4月 · 组织中考体育测试工作 · 主办：招生办"),
        ("table_row", ("附件", "主要工作安排", "5月"), "5月 · 组织开学工作 · 主办：教育股"),
    ]
    for p in ps:
        assert OUTLINE[p.start : p.end] == p.text
        assert p.doc_id == "d"


LAST_ITEMS = """第三十条 职业学校应当与企业开展下列事项的合作：
（一）共建实习实训基地；
（二）提供职工培训和继续教育服务；
（三）双方约定的其他事项。
职业学校应当与合作企业签订校企合作协议。
四、考核重点事项
（一）符合下列条件的教工可优先推荐为优秀候选人：
1.教学业绩突出的教师。
（二）有下列行为的教工不能推荐为优秀：
1.有违规从事有偿家教的。
（三）年度考核结果与绩效考核、年终奖发放、职称评聘等挂钩。
某某市第一中学
2022年12月21日
附件3：
组别 | 时间 | 交流地点
语文 | 12月26日 | 建功楼三楼
具体交流时间、地点由各组负责人自定。
"""


def test_no_sentence_of_a_list_is_lost() -> None:
    ps = passages_for("d", LAST_ITEMS)
    texts = [p.text for p in ps]
    # the last item of a list, though a paragraph of the article follows it: an item like the others
    assert "（三）双方约定的其他事项。" in texts
    assert any(t.startswith("职业学校应当与合作企业签订") for t in texts)
    # the last item before the issuer and the date: content, not a heading of the signature
    assert "（三）年度考核结果与绩效考核、年终奖发放、职称评聘等挂钩。" in texts
    assert not any("2022年12月21日" in t for t in texts)
    # a sentence under an attached table is no caption of it
    assert any(t.endswith("具体交流时间、地点由各组负责人自定。") for t in texts)
    for p in ps:
        assert LAST_ITEMS[p.start : p.end] == p.text


def test_title_line_is_never_a_passage_nor_glued_to_one() -> None:
    with_title = passages_for("d", OUTLINE, title="2024年某县教育工作要点")
    without = passages_for("d", OUTLINE)
    # Unnamed, the first line that is no sentence still names the document: it heads the passages
    # (their breadcrumb starts with it) instead of being glued to the first of them.
    assert without[0].text == "总体思路:坚持立德树人。"
    assert without[0].section[0] == "2024年某县教育工作要点"
    assert len(without) == len(with_title)


def test_long_item_is_split_into_parts_that_keep_its_label() -> None:
    item = "7.健全校园安全稳定机制。" + "健全完善学校安全工作岗位职责手册,强化隐患排查整治。" * 30
    text = "四、进一步建立健全“四个机制”\n" + item
    ps = passages_for("d", text, max_chars=300)
    assert len(ps) >= 3
    assert {p.kind for p in ps} == {"item_part"}
    for p in ps:
        assert p.section == ("四、进一步建立健全“四个机制”", "7.健全校园安全稳定机制")
        assert text[p.start : p.end] == p.text
    assert "".join(p.text for p in ps) == item


def test_pid_depends_on_document_offset_and_text() -> None:
    a = passages_for("d", OUTLINE)
    assert [p.pid for p in a] == [p.pid for p in passages_for("d", OUTLINE)]
    assert len({p.pid for p in a}) == len(a)
    assert {p.pid for p in a}.isdisjoint(p.pid for p in passages_for("other", OUTLINE))


# --------------------------------------------------------------------------- known answers: real corpus


def by_doc(corpus: Corpus) -> dict[str, list[Passage]]:
    out: dict[str, list[Passage]] = {}
    for p in corpus.passages:
        out.setdefault(p.doc_id, []).append(p)
    return out


def test_every_passage_round_trips_to_its_document(corpus: Corpus) -> None:
    texts = {d.doc_id: d.text for d in corpus.documents}
    assert len(corpus.passages) > 250
    for doc_id, ps in by_doc(corpus).items():
        text = texts[doc_id]
        prev_end = 0
        for p in ps:
            assert text[p.start : p.end] == p.text
            assert p.text.strip() == p.text != ""
            assert p.start >= prev_end, (doc_id, p.start, prev_end)  # in order, no overlap
            prev_end = p.end


def test_every_document_has_passages(corpus: Corpus) -> None:
    assert set(by_doc(corpus)) == {d.doc_id for d in corpus.documents}
    assert len(corpus.documents) == 5


def test_runan_item_7_breadcrumb(corpus: Corpus, docs: dict[str, Document]) -> None:
    doc = docs["002"]
    [p] = [p for p in corpus.passages if p.doc_id == doc.doc_id and p.text.startswith("7.")]
    assert p.breadcrumb == "四、进一步建立健全“四个机制” › 7.健全校园安全稳定机制"
    assert p.kind == "item"
    assert "防溺水" in p.text
    assert doc.meta.county == "融安县"
    assert doc.meta.place == "柳州市融安县"


def test_bare_headings_are_never_passages(corpus: Corpus) -> None:
    for p in corpus.passages:
        assert not (heading_level(p.text) is not None and is_bare_heading(p.text)), p.text
    texts = {p.text for p in corpus.passages}
    for heading in ("一、指导思想", "（七）护校安园维稳行动。", "(七)护校安园维稳行动。", "附件:"):
        assert heading not in texts


def test_bare_headings_become_breadcrumbs(corpus: Corpus, docs: dict[str, Document]) -> None:
    sections = {p.section for p in corpus.passages if p.doc_id == docs["000"].doc_id}
    assert ("三、主要工作措施", "(七)护校安园维稳行动", "1.完善学校安全规章制度") in sections
    first_003 = next(p for p in corpus.passages if p.doc_id == docs["003"].doc_id and p.kind == "item")
    assert first_003.section == (
        "第一部分:2019年上半年工作回顾",
        "一、进一步加强组织建设,工作面貌呈现新气象",
        "1.继续夯实意识形态建设",
    )


def test_table_rows_are_passages_with_their_month(corpus: Corpus, docs: dict[str, Document]) -> None:
    rows = [p for p in corpus.passages if p.kind == "table_row"]
    assert len(rows) == 134
    assert {p.doc_id for p in rows} == {docs["000"].doc_id}
    for p in rows:
        month = p.text.split(" · ")[0]
        assert re.fullmatch(r"\d{1,2}(-\d{1,2})?月", month)
        assert p.section == ("附件", "柳城县教育局2019年主要工作安排", month)
    [row] = [p for p in rows if "组织中考体育测试工作" in p.text]
    assert row.text == "4月 · 组织中考体育测试工作(4月至5月) · 主办：招生办"
    assert row.breadcrumb == "附件 › 柳城县教育局2019年主要工作安排 › 4月"


def test_long_items_become_parts_under_their_label(corpus: Corpus) -> None:
    texts = {d.doc_id: d.text for d in corpus.documents}
    parts = [p for p in corpus.passages if p.kind == "item_part"]
    assert len(parts) > 20
    groups: dict[tuple[str, tuple[str, ...]], list[Passage]] = {}
    for p in parts:
        groups.setdefault((p.doc_id, p.section), []).append(p)
    for (doc_id, section), ps in groups.items():
        assert len(ps) >= 2, section
        label = section[-1]
        assert ps[0].text.startswith(label.rstrip("…")), label
        text = texts[doc_id]
        line_start = text.rfind("\n", 0, ps[0].start) + 1
        line_end = text.find("\n", ps[-1].end)
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        assert len(line) > 300
        assert ps[0].start == line_start and ps[-1].end == len(line) + line_start
        for p in ps:
            assert len(p.text) <= 450  # 1.5 × max_chars
    for p in corpus.passages:
        if p.kind in ("item", "table_row"):
            assert len(p.text) <= 300, p.text[:40]


def test_runan_item_1_is_split_into_parts(corpus: Corpus, docs: dict[str, Document]) -> None:
    ps = [
        p
        for p in corpus.passages
        if p.doc_id == docs["002"].doc_id and p.section[-1:] == ("1.持续加强教育系统党的建设",)
    ]
    assert [p.kind for p in ps] == ["item_part", "item_part"]
    assert ps[0].text.startswith("1.持续加强教育系统党的建设。")
    assert ps[0].section == ("一、始终坚持党对教育工作的全面领导这一主线", "1.持续加强教育系统党的建设")


def test_pids_are_stable_across_runs(corpus: Corpus, corpus_dir) -> None:
    again = load_corpus(corpus_dir)
    assert [p.pid for p in again.passages] == [p.pid for p in corpus.passages]
    assert len({p.pid for p in corpus.passages}) == len(corpus.passages)


def test_an_item_whose_text_starts_with_a_number_keeps_its_place_in_the_numbering() -> None:
    # R7's 绍兴 plan: “11.5-6月份，…” after item 10 is item 11, not the number 11.5 under item 10
    text = (
        "一、调整安排\n"
        "10.原定于4月份的牌头中学省一级心理辅导站初评工作推迟到6月份进行。\n"
        "11.5-6月份，研究室将开展专项调研、督查。\n"
    )
    ps = passages_for("d", text)
    assert [p.kind for p in ps] == ["item", "item"]
    assert ps[0].text.startswith("10.原定于") and ps[1].text.startswith("11.5-6月份")


def test_a_calendars_short_items_are_kept_not_dropped_as_empty_headings() -> None:
    # a 行事历: month lines and unpunctuated items; every item is searchable content, the last
    # item of a month included (it heads nothing: the next month is a block of its own)
    text = (
        "行事历\n"
        "一月份\n"
        "1. 长三角家庭教育论文选送\n"
        "2. 全年配合妇联做好学校家庭教育工作\n"
        "二月份\n"
        "1. 协助省心指中心做好AB证人员的组织\n"
        "2. 组织教师参加心理健康教育培训的报名\n"
    )
    ps = passages_for("d", text)
    joined = "\n".join(p.text for p in ps)
    for item in (
        "长三角家庭教育论文选送",
        "全年配合妇联做好学校家庭教育工作",
        "协助省心指中心",
        "培训的报名",
    ):
        assert item in joined
    assert all("全年配合妇联" not in label for p in ps for label in p.section)
    for p in ps:
        assert text[p.start : p.end] == p.text


def test_a_document_number_on_the_first_line_heads_no_section():
    # realdocs9: a notice as a crawler kept it starts with its 文号; a first line that is no sentence
    # names the document, but a document number is no name for its sections
    text = "川教发〔2026〕9号\n各市（州）教育主管部门：\n现将《办法》印发给你们，请抓好贯彻落实。\n第一章 总 则\n第一条 为规范不良行为教育，制定本办法。"
    passages = passages_for("d", text)
    assert passages and not any("〔2026〕" in s for p in passages for s in p.section)
    assert "川教发〔2026〕9号" in passages[0].text


def test_all_a_heading_holds_is_cited_with_the_heading_however_short() -> None:
    # realdocs10: 一、活动主题 holds one short line, the theme itself; it was dropped as a stray
    # fragment, so "活动主题是哪几个字" could not be answered (R10a, R10b). 三、主办单位 of a realdocs3
    # notice and the 组长/组员 lines of a realdocs5 plan were lost the same way.
    text = (
        "关于开展系列教育活动的通知\n"
        "各职业学校：\n"
        "现将有关事项通知如下。\n"
        "一、活动主题\n"
        "铸工匠心·立报国志\n"
        "二、活动内容\n"
        "（一）开展宣传教育活动。各校要组织学生观看专题片。\n"
        "三、有关要求\n"
        "各地要加强组织领导，确保活动取得实效。\n"
        "四川省教育厅\n"
        "2024年9月2日\n"
    )
    ps = passages_for("d", text)
    theme = [p for p in ps if "铸工匠心" in p.text]
    assert len(theme) == 1 and theme[0].text == "一、活动主题\n铸工匠心·立报国志"
    assert not any("活动主题" in s for s in theme[0].section)
    # the signature under the last section is no content of its own
    assert not any(p.text.startswith("四川省教育厅") for p in ps)
    for p in ps:
        assert text[p.start : p.end] == p.text


def test_an_attached_plans_opening_sentence_and_its_short_lists_are_passages() -> None:
    # realdocs16 #03 and realdocs10 #06: under 附件 and the attached 方案's title, its one-sentence
    # preamble is no table caption; the 6 categories under （二）申报作品类别 are no list of files
    text = "\n".join(
        [
            "某市教育局关于开展自制玩教具评选活动的通知",
            "各区教育局：现将活动方案印发给你们，请认真组织实施。",
            "附件：自制玩教具评选活动方案",
            "附件自制玩教具评选活动方案",
            "为组织实施好自制玩教具评选活动，特制定本活动方案。",
            "一、评选分类",
            "（一）申报作品类别",
            "1.科学类（KX）",
            "2.益智类（YZ）",
            "3.建构类（JG）",
            "二、申报要求",
            "每个参评单位可推荐30件作品，每个类别限报6件。",
        ]
    )
    passages = passages_for("d", text, title="某市教育局关于开展自制玩教具评选活动的通知")
    texts = "\n".join(p.text for p in passages)
    assert "为组织实施好自制玩教具评选活动，特制定本活动方案。" in texts
    assert all(item in texts for item in ("1.科学类（KX）", "2.益智类（YZ）", "3.建构类（JG）"))
    for p in passages:
        assert p.text == text[p.start : p.end]


def test_a_date_line_under_a_title_is_kept_not_taken_for_a_table_caption() -> None:
    text = (
        "佛山市人民政府办公室文件\n"
        "印发佛山市非户籍常住人口子女入读义务教育公办学校实施办法的通知\n"
        "各区人民政府：\n"
        "《实施办法》业经市人民政府同意，现印发给你们，请遵照执行。\n"
        "二○一二年四月二十六日\n"
        "实施办法\n"
        "一、入读对象\n"
        "在我市居住、有合法稳定职业的非户籍常住人员的适龄子女。\n"
    )
    ps = passages_for("d", text)
    assert any("二○一二年四月二十六日" in p.text for p in ps)


def test_a_regulations_history_line_heads_none_of_its_articles() -> None:
    # realdocs34 #01, #03: “2010年7月30日 …会议《关于修改部分地方性法规的决定》修正” quotes a title;
    # it is a dated record, not a heading over 第一条 … 第三十六条
    text = (
        "河南省实施《中华人民共和国教师法》办法\n"
        "1995年12月8日 河南省第八届人民代表大会常务委员会第十七次会议通过\n"
        "2010年7月30日 河南省第十一届人民代表大会常务委员会第十六次会议《关于修改部分地方性法规的决定》修正\n"
        "第一条 为了保障教师的合法权益，制定本办法。\n"
        "第二条 本办法适用于本省各级各类学校的教师。"
    )
    passages = passages_for("d", text, title="河南省实施《中华人民共和国教师法》办法")
    articles = [p for p in passages if p.text.startswith("第")]
    assert len(articles) == 2
    assert all(not any("2010年" in s for s in p.section) for p in articles)


def test_an_article_that_says_something_is_text_though_a_paragraph_follows() -> None:
    # realdocs36 #02: “第十七条 师范类高等院校应当将…列为师范专业必修科目。” then the article's second
    # paragraph; the first is the law's text (a passage), not a heading over the second
    text = (
        "浙江省家庭教育促进条例\n"
        "第三章 政府\n"
        "第十七条 师范类高等院校应当将家庭教育相关课程列为师范专业必修科目。\n"
        "县级以上人民政府及其教育等部门应当鼓励高等院校开设家庭教育相关课程。\n"
        "第十八条 学校应当建立家长学校。"
    )
    passages = passages_for("d", text, title="浙江省家庭教育促进条例")
    assert any(p.text.startswith("第十七条 师范类高等院校") for p in passages)
    # a numbered article that only leads into a list still heads it (第三十三条 学生有下列情形之一者，可以休学)
    listed = "细则\n第三十三条 学生有下列情形之一者，可以休学\n（一）因病需停课治疗的\n（二）其他原因"
    items = passages_for("d", listed, title="细则")
    assert all("第三十三条 学生有下列情形之一者，可以休学" in p.section for p in items)


def test_a_numbered_label_with_its_value_on_the_line_is_a_passage() -> None:
    # realdocs61, realdocs68: a plan's 时间 / 地点 stand on numbered lines of their own, the value
    # after the label, nothing under them; they are what "什么时候 / 在哪里" asks. A bare label
    # (2.基本原则：) and a list of attached files stay out.
    text = (
        "2024年高一新生军训方案\n"
        "一. 比赛日期：2024年10月11日―12日（天雨另行通知）\n"
        "二. 比赛地点：绍兴一中田径场\n"
        "三、活动时间 2017年3月27日—4月26日\n"
        "四、时间安排:2024年8月24日——2024年8月30日\n"
        "五、基本原则：\n"
        "六、措施要求\n"
        "本次新生军训由德育处具体负责。\n"
        "附件：\n"
        "1.报名表：见附表\n"
    )
    ps = passages_for("d", text)
    joined = "\n".join(p.text for p in ps)
    for value in ("2024年10月11日―12日", "绍兴一中田径场", "2017年3月27日—4月26日", "2024年8月30日"):
        assert value in joined
    assert "基本原则" not in joined and "报名表" not in joined
    dates = next(p for p in ps if "2024年8月24日" in p.text)
    assert dates.section[-1].startswith("四、时间安排")
    for p in ps:
        assert text[p.start : p.end] == p.text


def test_a_regulations_passing_line_is_a_passage_of_its_own() -> None:
    # realdocs69 (R69b: 是哪一天、哪次会议通过的) and 19 more laws: the one history line under the title
    # stood alone before the first chapter and was in no passage
    title = "山东省预防未成年人犯罪条例"
    text = (
        f"{title}\n"
        "2016年9月23日 山东省第十二届人民代表大会常务委员会第二十三次会议通过\n"
        "第一章 总则\n"
        "第一条 为了保障未成年人健康成长，制定本条例。\n"
    )
    ps = passages_for("d", text, title=title)
    history = [p for p in ps if "第二十三次会议通过" in p.text]
    assert len(history) == 1 and "第一条" not in history[0].text
    assert any(p.text.startswith("第一条") for p in ps)
    for p in ps:
        assert text[p.start : p.end] == p.text


def test_a_qa_pages_answer_stands_under_its_question() -> None:
    # realdocs86: each answer's passage carries its question as its heading, so a card shows what
    # was asked, and the question's words are the passage's context
    from qa.ingest.corpus import ingest_text

    raw = (
        "问题1：如何确定自己学分是否修够，是否需要提交材料？\n回答：请根据希悦系统查询的结果为准。\n"
        "问题2：实践和劳动课程总的学分要求和各模块的学分情况？\n回答：总的学分为14学分。\n"
    )
    _, passages = ingest_text("faq", "faq.txt", raw)
    answer = next(p for p in passages if p.text.startswith("回答：总的学分"))
    assert answer.section[-1] == "问题2：实践和劳动课程总的学分要求和各模块的学分情况？"


def _ingested(raw: str) -> list[Passage]:
    """The passages a plain text's full ingestion gives (cleaning, metadata, structure)."""
    from qa.ingest.corpus import ingest_text

    return ingest_text("doc", "doc.txt", raw)[1]


def test_a_part_of_a_compilation_opens_under_the_signature_of_the_part_before() -> None:
    # realdocs88: a booklet's plans one after another, each signed and dated; a plan named without a
    # genre word (“全明星”篮球赛) had run on under the title of the rules before it
    raw = (
        "福州八中教工第一届匹克球比赛竞赛规程\n一、比赛时间：2025 年 9 月 29 日上午 9：00\n二、比赛地点：体育馆。\n"
        "福州八中工会委员会\n2025年9月23日\n福州八中体育文化节“全明星”篮球赛\n"
        "一、时间：2025 年 9 月 29 日晚 19：00\n二、地点：三江口校区体育馆\n"
        "2016年5月5日\n(此件主动公开)\n三、赛制：本场比赛分为 4 节。\n"
    )
    passages = _ingested(raw)
    evening = next(p for p in passages if "晚 19：00" in p.text)
    assert evening.section[0] == "福州八中体育文化节“全明星”篮球赛"
    # a note in brackets under a date opens nothing
    assert all("此件主动公开" not in " ".join(p.section) for p in passages)


def test_a_label_or_a_lead_in_naming_a_genre_heads_nothing() -> None:
    # 郑州's lead-in 面向郑州市区招生学校的志愿填报规则为： had cut its items off 四、录取 › （二）志愿填报;
    # R88's 公告组组长：张静 (a role, 公告 its genre word) had headed the booklet's 纪律
    plan = (
        "2015年某市普通高中招生工作意见\n为做好2015年普通高中招生工作，现提出如下意见。\n四、录取\n"
        "（一）录取原则。按照考生志愿和成绩，择优录取。\n（二）志愿填报\n面向市区招生学校的志愿填报规则为：\n"
        "（1）具有市区常住户口的考生，可以填报三个批次录取学校志愿。\n"
        "（2）进城务工人员随迁子女，可以填报两个批次录取学校志愿。\n"
    )
    item = next(p for p in _ingested(plan) if "三个批次" in p.text)
    assert item.section[:2] == ("四、录取", "（二）志愿填报")
    book = (
        "福州八中运动会秩序册\n第五十六届田径运动会组委会名单\n组委会主任：林晓枫 陈晨\n公告组组长：张静\n"
        "福州八中田径运动会纪律\n一、运动会期间全校师生均应积极参加大会安排的活动，不得无故缺席迟到。\n"
        "二、全体师生均要当好文明观众，对运动员的精彩表演给予积极热烈的鼓励。\n"
    )
    rules = next(p for p in _ingested(book) if "积极参加" in p.text)
    assert all("公告组" not in s for s in rules.section)


def test_a_rule_inside_a_compilation_heads_its_own_chapters() -> None:
    # realdocs90, realdocs81, realdocs09: a students' handbook holds forty rules, each with its 第一章 总则;
    # a rule's title had been a sibling of its chapters, so 第三章 贷款种类… stood under no rule's name
    raw = (
        "重庆邮电大学学生手册\n重庆邮电大学学生住宿管理办法\n第一章 总则\n第一条 为了加强学生住宿的管理，制定本办法。\n"
        "二〇〇八年五月\n重庆邮电大学助学贷款管理办法\n第一章 总则\n第一条 国家助学贷款是利用金融手段开展的资助。\n"
        "第三章 贷款种类、金额\n第九条 每人每年申请贷款额度不超过8000元。\n"
    )
    section = {p.text[:6]: p.section[:2] for p in _ingested(raw)}
    assert section["第一条 为了"] == ("重庆邮电大学学生住宿管理办法", "第一章 总则")
    assert section["第九条 每人"] == ("重庆邮电大学助学贷款管理办法", "第三章 贷款种类、金额")
