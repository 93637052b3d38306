"""Tests for qa.ingest.clean: pure steps on hand-made lines, then known answers on the real scrapes."""

from __future__ import annotations

import pytest

from qa.ingest.clean import (
    clean,
    drop_boilerplate,
    drop_previews,
    drop_repeated_runs,
    harvest_metadata,
    norm_key,
    split_glued_title,
    split_inline_headings,
)
from qa.types import Document

# Three distinct paragraphs of ~60 characters each (a plan body that a scrape may repeat).
PARA_A = "全面贯彻落实党的教育方针，坚持立德树人根本任务，深化教育综合改革，统筹推进城乡义务教育优质均衡发展，办好人民满意的教育。"
PARA_B = "大力实施学前教育发展行动计划，扩大普惠性学前教育资源，实现学前三年幼儿入园率达到百分之九十以上，学前一年幼儿入园率达到百分之百。"
PARA_C = "完善学校安全规章制度，建立周检查、月复查、即查即改工作制度，完善门卫来访登记、食堂卫生管理、寄宿生管理等制度，防止安全事故发生。"


def reasons(removed) -> list[str]:
    return [r.reason for r in removed]


# --------------------------------------------------------------------------- norm_key


def test_norm_key_ignores_spacing_punctuation_and_width() -> None:
    assert norm_key("19. 建立教育优质资源共享平台。") == norm_key("19建立教育优质资源共享平台")
    assert norm_key("ＡＢ１２") == "AB12"


# --------------------------------------------------------------------------- boilerplate (unit)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("当前位置:首页 >> 计划 >> 工作计划 内容页", "导航路径"),
        ("欢迎访问常州市金坛区人民政府网站!", "网站欢迎语"),
        ("好好学习,天天向上,一流范文网欢迎您!", "网站欢迎语"),
        ("源一流范文网课", "转载网站标记"),
        ("文章来", "“文章来源”残片"),
        ("TAG标签:", "网站标签"),
        ("扫一扫在手机打开当前页", "页面功能链接"),
        ("版权所有：某某市教育局 ICP备12345678号", "页脚"),
    ],
)
def test_boilerplate_line_is_removed_with_its_reason(line: str, reason: str) -> None:
    kept, _, removed = drop_boilerplate(["一、指导思想", line, "1.加强党建。"])
    assert kept == ["一、指导思想", "1.加强党建。"]
    assert [(r.reason, r.text) for r in removed] == [(reason, line)]


def test_welcome_banner_names_the_site() -> None:
    _, fields, _ = drop_boilerplate(["欢迎访问常州市金坛区人民政府网站!"])
    assert fields == {"网站": "常州市金坛区人民政府网站"}


def test_policy_sentences_survive_boilerplate_removal() -> None:
    lines = [PARA_A, "文章来源于一线教师的教学实践，要认真总结推广。", "2.来源广泛的教育资源要共享。"]
    kept, _, removed = drop_boilerplate(lines)
    assert kept == lines
    assert removed == []


# --------------------------------------------------------------------------- metadata harvest (unit)


def test_site_metadata_block_is_harvested_into_fields() -> None:
    lines = [
        "信息名称 2019年上半年工作总结及下半年工作意见",
        "索引号 113204820141388442/2019-00012",
        "主题分类 科技、教育 体裁分类 其他",
        "文件编号 发布机构 教育局",
        "生成日期 2019-06-17 公开日期 2019-06-17 废止日期有效",
        "第一部分:2019年上半年工作回顾",
    ]
    kept, fields, removed = harvest_metadata(lines)
    assert kept == ["第一部分:2019年上半年工作回顾"]
    assert fields["信息名称"] == "2019年上半年工作总结及下半年工作意见"
    assert fields["索引号"] == "113204820141388442/2019-00012"
    assert fields["主题分类"] == "科技、教育"
    assert fields["发布机构"] == "教育局"
    assert "文件编号" not in fields  # printed with no value
    assert fields["生成日期"] == "2019-06-17"
    assert fields["公开日期"] == "2019-06-17"
    assert reasons(removed) == ["元数据行（已提取）"] * 5


def test_pipe_separated_labels_keep_the_first_value() -> None:
    _, fields, _ = harvest_metadata(["来源: 柳城县教育局", "来源: 别的单位 | 发布日期: 2019-03-25 10:00"])
    assert fields == {"来源": "柳城县教育局", "发布日期": "2019-03-25 10:00"}


def test_a_source_labelled_as_an_address_keeps_only_the_address() -> None:
    # realdocs93: a crawler's Markdown header 来源 URL：https://… ; the source is the address, not “URL：…”
    _, fields, _ = harvest_metadata(["来源 URL：https://xsc.bupt.edu.cn/info/1065/1282.htm"])
    assert fields["来源"] == "https://xsc.bupt.edu.cn/info/1065/1282.htm"


def test_body_sentence_starting_with_a_label_word_is_not_metadata() -> None:
    # A label is only a label when a separator follows it; these are ordinary policy sentences.
    lines = ["来源于群众、服务于群众的好做法要及时总结推广。", "作者要坚持正确的创作导向。"]
    kept, fields, removed = harvest_metadata(lines)
    assert kept == lines
    assert fields == {}
    assert removed == []


# --------------------------------------------------------------------------- drop_repeated_runs (unit)


def test_second_copy_of_a_long_run_is_dropped_with_its_title() -> None:
    title = "某县教育局2019年教育工作计划"
    lines = [title, PARA_A, PARA_B, PARA_C, "附件:", title, PARA_A, PARA_B, PARA_C]
    kept, removed = drop_repeated_runs(lines, min_chars=150)
    assert kept == [title, PARA_A, PARA_B, PARA_C, "附件:"]
    assert len(removed) == 1
    assert removed[0].reason.startswith("重复内容（4 行")
    assert "保留第一份" in removed[0].reason
    assert removed[0].text == "\n".join([title, PARA_A, PARA_B, PARA_C])


def test_repeat_is_found_despite_spacing_and_punctuation() -> None:
    spaced = [x.replace("，", ", ").replace("。", ". ") for x in (PARA_A, PARA_B, PARA_C)]
    kept, removed = drop_repeated_runs([PARA_A, PARA_B, PARA_C, *spaced], min_chars=150)
    assert kept == [PARA_A, PARA_B, PARA_C]
    assert len(removed) == 1


def test_short_repeats_and_table_cells_stay() -> None:
    cells = ["1月", "1", "期末考试评卷组织工作", "教研室", "2", "期末考试评卷组织工作", "教研室"]
    assert drop_repeated_runs(cells) == (cells, [])
    # One repeated paragraph is below min_chars: a quotation, not a scraped duplicate.
    lines = [PARA_A, PARA_B, PARA_A]
    assert drop_repeated_runs(lines, min_chars=300) == (lines, [])


# --------------------------------------------------------------------------- drop_previews (unit)


def test_truncated_preview_is_dropped_and_the_full_paragraph_kept() -> None:
    full = "19.建立教育优质资源共享平台。" + PARA_A
    preview = "19建立教育优质资源共享平台。" + PARA_A[:30] + "..."
    kept, removed = drop_previews([preview, PARA_B, full])
    assert kept == [PARA_B, full]
    assert [(r.reason, r.text) for r in removed] == [("截断的重复段落", preview)]


def test_ellipsis_preview_with_unicode_dots_is_dropped() -> None:
    full = PARA_B + PARA_C
    preview = PARA_B[:40] + "……"
    kept, removed = drop_previews([preview, full])
    assert kept == [full]
    assert reasons(removed) == ["截断的重复段落"]


def test_earlier_verbatim_copy_is_dropped_keeping_the_later_one() -> None:
    spaced = "19 建立教育优质资源共享平台。" + PARA_A
    numbered = "19.建立教育优质资源共享平台。" + PARA_A
    kept, removed = drop_previews([spaced, PARA_B, numbered])
    assert kept == [PARA_B, numbered]
    assert [(r.reason, r.text) for r in removed] == [("重复段落", spaced)]


def test_long_paragraph_contained_in_a_longer_one_is_dropped() -> None:
    inner = PARA_A + PARA_C  # 60+ characters: long enough to be a copy, not a shared phrase
    kept, removed = drop_previews([inner, PARA_B + inner])
    assert kept == [PARA_B + inner]
    assert [(r.reason, r.text) for r in removed] == [("重复段落", inner)]


def test_short_lines_and_distinct_paragraphs_are_never_previews() -> None:
    lines = ["一、指导思想", "一、指导思想", PARA_A, PARA_B, PARA_C]
    assert drop_previews(lines) == (lines, [])


# --------------------------------------------------------------------------- headings and titles (unit)


def test_inline_heading_after_a_sentence_end_gets_its_own_line() -> None:
    line = "进一步扩大泸州教育的影响力。一、坚定不移强化学校安全稳定工作"
    assert split_inline_headings([line]) == [
        "进一步扩大泸州教育的影响力。",
        "一、坚定不移强化学校安全稳定工作",
    ]


def test_inline_part_heading_is_split_too() -> None:
    line = "不断增强人民群众教育获得感。第二部分下半年工作意见"
    assert split_inline_headings([line]) == ["不断增强人民群众教育获得感。", "第二部分下半年工作意见"]


@pytest.mark.parametrize(
    "line",
    [
        "组织一、二年级学生开展活动。一、二年级要确保每天锻炼一小时。",  # not a heading: sentences follow
        "一、坚定不移强化学校安全稳定工作",  # already alone
        "全面落实。三、" + "很" * 50,  # too long to be a heading
    ],
)
def test_lines_without_a_trailing_heading_are_left_alone(line: str) -> None:
    assert split_inline_headings([line]) == [line]


def test_glued_title_is_split_from_the_first_paragraph() -> None:
    body = "总体思路:以习近平新时代中国特色社会主义思想为指导,全面贯彻落实党的二十大精神,坚持党对教育事业的全面领导。"
    assert split_glued_title(["2024年融安县教育工作要点" + body, "一、总体要求"]) == [
        "2024年融安县教育工作要点",
        body,
        "一、总体要求",
    ]


def test_title_on_its_own_line_is_not_split() -> None:
    lines = ["2024年融安县教育工作要点", "总体思路:" + PARA_A]
    assert split_glued_title(lines) == lines


def test_clean_docstring_example() -> None:
    assert clean("当前位置:首页\n2024年某县教育工作要点\n一、总体\n").lines == [
        "2024年某县教育工作要点",
        "一、总体",
    ]


# --------------------------------------------------------------------------- known answers: real corpus


def removed_reasons(doc: Document) -> list[str]:
    return [r.reason for r in doc.removed]


def test_fanwen_site_boilerplate_is_gone_from_001(docs: dict[str, Document]) -> None:
    doc = docs["001"]
    for fragment in ("当前位置", "欢迎", "范文网", "文章来", "TAG标签", "xx市教育局xxxx年工作要点"):
        assert fragment not in doc.text, fragment
    removed = {(r.reason, r.text) for r in doc.removed}
    assert ("网站欢迎语", "好好学习,天天向上,一流范文网欢迎您!") in removed
    assert ("转载网站标记", "源一流范文网课") in removed
    assert ("“文章来源”残片", "文章来") in removed
    assert ("网站标签", "TAG标签:") in removed
    assert ("重复标题", "xx市教育局xxxx年工作要点") in removed
    assert any(reason == "导航路径" and text.startswith("当前位置") for reason, text in removed)
    assert doc.text.startswith("某市教育局2019年工作要点\n")
    assert doc.text.rstrip().endswith("推动提升政府、社会、家长、学生对教育的认可度和满意度。")


def test_gov_site_page_furniture_is_gone_from_003(docs: dict[str, Document]) -> None:
    doc = docs["003"]
    for fragment in ("欢迎访问", "当前位置", "扫一扫", "索引号", "主题分类", "生成日期", "信息名称"):
        assert fragment not in doc.text, fragment
    removed = {(r.reason, r.text) for r in doc.removed}
    assert ("页面功能链接", "扫一扫在手机打开当前页") in removed
    assert ("网站欢迎语", "欢迎访问常州市金坛区人民政府网站!") in removed
    meta_lines = [t for reason, t in removed if reason == "元数据行（已提取）"]
    assert any(t.startswith("索引号") for t in meta_lines)
    assert any(t.startswith("主题分类") for t in meta_lines)
    assert doc.text.startswith("2019年上半年工作总结及下半年工作意见\n第一部分:2019年上半年工作回顾\n")


def test_003_metadata_block_becomes_fields(corpus_dir) -> None:
    raw = (corpus_dir / "003_8c9d520ce41816f3.txt").read_text(encoding="utf-8")
    fields = clean(raw).fields
    assert fields["发布机构"] == "教育局"
    assert fields["生成日期"] == "2019-06-17"
    assert fields["信息名称"] == "2019年上半年工作总结及下半年工作意见"
    assert fields["网站"] == "常州市金坛区人民政府网站"


def test_000_keeps_exactly_one_copy_of_its_plan(docs: dict[str, Document], corpus_dir) -> None:
    raw = (corpus_dir / "000_1cc7375600dbb1ea.txt").read_text(encoding="utf-8")
    assert raw.count("一、指导思想") == 2  # the scrape holds the plan twice
    text = docs["000"].text
    assert text.count("一、指导思想") == 1
    assert text.count("柳城县教育局2019年主要工作安排") == 1  # the 附件 table title
    assert text.count("附件") == 1
    assert text.count("柳城县教育局2019年教育工作计划") == 1
    repeats = [r for r in docs["000"].removed if r.reason.startswith("重复内容")]
    assert len(repeats) == 1
    assert "保留第一份" in repeats[0].reason
    assert "一、指导思想" in repeats[0].text
    assert ("栏目名", "历史规划") in {(r.reason, r.text) for r in docs["000"].removed}
    assert "历史规划" not in text


def test_004_preview_and_spaced_copy_of_item_19_are_removed(docs: dict[str, Document]) -> None:
    doc = docs["004"]
    assert doc.text.count("19.建立教育优质资源共享平台") == 1
    assert doc.text.count("建立教育优质资源共享平台") == 1
    assert "..." not in doc.text
    assert doc.text.startswith("2014年是继续深化泸州教育改革的关键之年")
    removed = [(r.reason, r.text) for r in doc.removed]
    assert [reason for reason, _ in removed] == ["截断的重复段落", "重复段落"]
    assert removed[0][1].startswith("19建立") and removed[0][1].endswith("...")
    assert removed[1][1].startswith("19 建立")


def test_002_glued_title_is_split(docs: dict[str, Document]) -> None:
    lines = docs["002"].text.split("\n")
    assert lines[0] == "2024年融安县教育工作要点"
    assert lines[1].startswith("总体思路:以习近平新时代中国特色社会主义思想为指导")


def test_004_inline_heading_is_on_its_own_line(docs: dict[str, Document]) -> None:
    lines = docs["004"].text.split("\n")
    assert "一、坚定不移强化学校安全稳定工作" in lines
    i = lines.index("一、坚定不移强化学校安全稳定工作")
    assert lines[i - 1].endswith("。")
    assert lines[i + 1].startswith("1.严格落实工作责任。")


def test_cleaned_text_has_no_blank_or_padded_lines(docs: dict[str, Document]) -> None:
    for key, doc in docs.items():
        for line in doc.text.split("\n"):
            assert line and line == line.strip(), (key, line)


# --------------------------------------------------------------------------- issue 11: titles, joins

from qa.ingest.clean import join_broken_titles, join_wrapped_lines, strip_page_title  # noqa: E402


def test_page_title_loses_site_and_column_labels() -> None:
    assert (
        strip_page_title("绍兴一中2010年安全工作计划--校园安全-绍兴市第一中学")[0]
        == "绍兴一中2010年安全工作计划"
    )
    assert strip_page_title("标       题: 《X工作方案》政策解读")[0] == "《X工作方案》政策解读"
    assert strip_page_title("2024年融安县教育工作要点") == ("2024年融安县教育工作要点", None)


def test_title_over_several_lines_is_joined_but_not_a_document_number() -> None:
    lines = [
        "粤府办〔2011〕45号",
        "关于做好进城务工人员随迁子女",
        "义务教育工作的意见",
        "各地级以上市人民政府：",
    ]
    assert join_broken_titles(lines) == [lines[0], "关于做好进城务工人员随迁子女义务教育工作的意见", lines[3]]


def test_wrapped_sentence_is_joined_but_not_into_a_heading() -> None:
    lines = [
        "三年来，学校领导班子在认真回顾办学历史，不断总结",
        "办学经验的基础上，确立了目标。",
        "一、总体要求",
    ]
    assert join_wrapped_lines(lines) == [
        "三年来，学校领导班子在认真回顾办学历史，不断总结办学经验的基础上，确立了目标。",
        "一、总体要求",
    ]


def test_a_numbered_heading_does_not_run_into_the_paragraph_under_it() -> None:
    # realdocs89, realdocs20, realdocs15 …: in a Word file or a web page each paragraph is a line, and a
    # numbered heading with a comma (一、高度重视，加强学生安全教育) had run into the paragraph under it
    lines = [
        "一、高度重视，加强学生安全教育和日常管理工作",
        "根据工作安排，五月份为中小学生预防溺水和游泳安全宣传教育月。",
        "（二）合理划定范围，坚持相对就近入学",
        "各区教育局根据本区适龄学生人数划定范围。",
    ]
    assert join_wrapped_lines(lines) == lines
    # a numbered line that ends on a comma, or leaves a quote open, breaks off a sentence
    broken = ["（二）党委学生工作部根据本办法规定的评定条件和比例，", "审核候选人名单。"]
    assert join_wrapped_lines(broken) == ["".join(broken)]
    quoted = ["五、工作要求各学校要结合实际，制定“心安疫线", "守护健康”心理健康辅导工作方案。"]
    assert join_wrapped_lines(quoted) == ["".join(quoted)]
    # a break inside a word (支 / 教教师) or between a count and its unit (扣11 / 分) is no heading's end
    cut = ["(一)支教期间不转行政关系和工资关系，是党(团)员的支", "教教师须转临时组织关系。"]
    assert join_wrapped_lines(cut) == ["".join(cut)]
    unit = ["（3）当学期受学院通报批评，一次扣7分，严重警告扣11", "分，记过扣13分。"]
    assert join_wrapped_lines(unit) == ["".join(unit)]
    tail = ["1.学生兼任多个职务的，按所任最高级别的职务计算任职", "分，不可累加。"]
    assert join_wrapped_lines(tail) == ["".join(tail)]


def test_in_a_hard_wrapped_text_a_numbered_line_runs_on_only_at_the_wrap_width() -> None:
    wrapped = [
        "各县（市、区）教育局要高度重视，切实加强学生们",  # the text wraps at 23 characters
        "安全教育，落实各项防范措施，全面排查安全隐患，",
        "确保学生安全，防止各类事故发生，做到早发现早处",
        "置。",
    ]
    numbered_full = "（一）加强组织领导，各地各校要高度重视防溺水工"  # at the width: a sentence broken off
    heading = "（二）开展排查，消除隐患"  # short of it: a heading
    lines = [*wrapped, numbered_full, "作，把它摆上重要议事日程。", heading, "各校要开展排查，消除隐患。"]
    out = join_wrapped_lines(lines)
    assert numbered_full + "作，把它摆上重要议事日程。" in out
    assert heading in out


def test_a_cover_dated_by_the_month_does_not_run_into_the_title_after_it() -> None:
    # realdocs89: 就业指导服务中心 / 二〇一四年十二月 / the report's title on its first page had been
    # read as one title broken over three lines
    lines = [
        "重庆邮电大学就业指导服务中心",
        "二〇一四年十二月",
        "重庆邮电大学2014年毕业生就业质量年度报告",
        "正文。",
    ]
    assert join_broken_titles(lines) == lines


def test_a_word_files_run_of_short_lines_is_its_own_text_not_a_menu() -> None:
    # realdocs90: a students' handbook opens with its mottos, two four-character phrases a line; as a
    # run of short lines before the prose they had been dropped as a site's menu (R87: a table's labels)
    mottos = [
        "崇尚科学  追求真知",
        "教学相长  重教尊师",
        "按时到课  文明有序",
        "认真笔记  勤学善思",
        "独立作业  诚信考试",
    ]
    mottos += [
        "学以致用  知行统一",
        "爱国爱校  遵章守纪",
        "团结友爱  诚信明礼",
        "低碳环保  热心公益",
        "情趣高雅  言行得体",
    ]
    raw = "\n".join(
        [
            "重庆邮电大学学生课堂学习规范",
            *mottos,
            "第一条 学生应当遵守本规范，按时上课，认真完成作业，诚信参加考试。",
        ]
    )
    assert all(m in clean(raw, paged=True).lines for m in mottos)
    # the same run in a web page's text (a crawled .txt) is taken for the site's menu
    assert not any(m in clean(raw).lines for m in mottos)


def test_garbled_lines_from_an_unmapped_pdf_font_are_dropped_and_reported() -> None:
    from qa.ingest.clean import drop_garbled

    lines = ["฿ࣃ൧ᅱള\u0ebeჴ߶໓ࡱ", "津招委高发〔2016〕8 号", "① 2016年，Ⅱ类学校“四个确保”。", "ABC test"]
    kept, removed = drop_garbled(lines)
    assert kept == lines[1:]
    assert removed and "乱码" in removed[0].reason and "฿" in removed[0].text


def test_genres_of_school_documents_make_title_lines() -> None:
    from qa.ingest.lines import is_title_like

    assert is_title_like("绍兴市第一中学学生社团章程")
    assert is_title_like("绍兴一中2009学年第二学期安全处工作思路")
    assert not is_title_like("学生社团是在校学生以相同或相近的兴趣为基础，自发形成的团体。")


def test_standards_rules_codes_and_duties_are_title_genres_when_they_end_the_line() -> None:
    # realdocs61, 64, 68, 44: 竞赛规程, 学生行为规范, 扣分标准, 任课教师职责 had been titled by their file names;
    # realdocs69's 情况说明 by its site column (英贤计划项目)
    from qa.ingest.lines import is_title_like

    for title in (
        "绍兴一中教育集团班级日常检查内容及扣分标准",
        "2024年绍兴一中教育集团秋季运动会竞赛规程",
        "绍兴一中教育集团学生行为规范",
        "任课教师职责",
        "绍兴一中“鲁家贤奖学金”历年资金使用情况说明",
        # realdocs81: a college's handbook, titled by its file name
        "杭州电子科技大学信息工程学院 2025 学生手册",
    ):
        assert is_title_like(title), title
    # inside a line they name no genre: 标准化 and 规范办学 are what a plan does
    assert not is_title_like("推进标准化考场建设")
    assert not is_title_like("发放学生手册和校服")
    assert not is_title_like("规范办学行为专项检查")


def test_a_joint_notices_long_title_is_a_title_line() -> None:
    # realdocs10: five issuers side by side make the title 79 characters; realdocs9's catalogue
    # titles run to 68 (四川省教育厅 四川省发展和改革委员会四川省市场监督管理局 关于…的通知)
    from qa.ingest.lines import is_title_like

    title = (
        "四川省教育厅 四川省高级人民法院 四川省人民检察院 四川省公安厅 四川省司法厅"
        "关于印发《四川省青少年“法治护航·成长赋能”八项行动》的通知"
    )
    assert len(title) > 60 and is_title_like(title)
    # a long line that is no 关于…的通知 is still no title
    assert not is_title_like("各地要结合实际制定具体实施方案" * 5)


# --- text exports: a header block, a page run together on one line ---------------------------------

from qa.ingest.clean import drop_front_matter, split_flattened, split_glued_items  # noqa: E402

_FLAT = (
    "当前位置： 首页政务公开教育事业 平潭综合实验区教育局关于加强毕业班备考工作的通知 时间：2017-04-13 14:31 微信 "
    "微博 QQ空间 平潭教师进修学校、各中学： 近期省教育厅将组织开展毕业班教学工作专项视导，现将有关工作要求通知如下："
    " 一、加强视导，强化落实 1. 关注常态，下校随堂听课。通过现场听评、三级反馈、量化评价等环节全面检查教学常规的落实，"
    "在集中反馈中肯定学校教学工作成绩，发掘“亮点”；客观分析存在的问题，查找“薄弱点”；共同思考改进建议，探寻“发展点”。"
    " 二、聚焦关键，优化契合 定期召开学科全员研讨会，增强针对性与辐射面，及时调整教学计划和教学思路。"
    " 平潭综合实验区教育局 2017年4月11日"
)


def test_a_page_run_together_on_one_line_gets_its_lines_back() -> None:
    lines = split_flattened([_FLAT])
    assert "平潭教师进修学校、各中学：" in lines
    assert "一、加强视导，强化落实" in lines
    assert "二、聚焦关键，优化契合" in lines
    # a gap next to a number or a Latin letter is no line break
    assert "时间：2017-04-13 14:31 微信" in lines
    assert "平潭综合实验区教育局 2017年4月11日" in lines


@pytest.mark.parametrize(
    "line",
    [
        # a PDF spaces Latin letters and numbers inside a sentence
        "本科一批（含 A、B 类）为部委属高校、“211 工程”高校和经批准参加本批录取的本科高校或专业；" * 4,
        # a table row's cells
        " | ".join(["城区小学", "招生范围", "报名时间", "联系电话"] * 20),
        # a short line with a few spaces is an ordinary line
        "一、 总体要求 （一） 指导思想",
    ],
)
def test_lines_that_were_never_run_together_are_left_alone(line: str) -> None:
    assert split_flattened([line]) == [line]


def test_paragraphs_run_together_without_spaces_are_split_at_their_items() -> None:
    page = "现将方案印发给你们，请认真贯彻执行。" + "一、指导思想以立德树人为根本任务，统筹各方力量。" * 40
    page += (
        "二、工作目标到2023年，总体近视率每年降低0.5个百分点以上。（一）坚持预防为主原则。3.加强考试管理。"
    )
    lines = split_glued_items([page])
    assert lines[0] == "现将方案印发给你们，请认真贯彻执行。"
    assert "二、工作目标到2023年，总体近视率每年降低0.5个百分点以上。" in lines
    assert lines[-2:] == ["（一）坚持预防为主原则。", "3.加强考试管理。"]
    # an ordinary paragraph keeps its inline enumeration
    short = "主要任务是：一、加强教育。二、落实责任。"
    assert split_glued_items([short]) == [short]


def test_an_exports_header_block_is_harvested_whatever_its_labels() -> None:
    lines = [
        "标题: 平潭综合实验区社会事业局关于2023年招聘新任教师的通告",
        "发布时间: 2023-03-23 14:28",
        "文号: ",
        "发布机构: 平潭综合实验区社会事业局",
        "栏目: 教育事业",
        "原文链接: https://www.pingtan.gov.cn/zwgk/t20230323_45092.htm",
        "页面链接与图片详见 links.tsv(同目录)",
        "==================== 正文 ====================",
        "根据省教育厅文件精神，拟公开招聘136名新教师。",
    ]
    kept, fields, removed = drop_front_matter(lines)
    assert kept == ["根据省教育厅文件精神，拟公开招聘136名新教师。"]
    assert fields["标题"] == "平潭综合实验区社会事业局关于2023年招聘新任教师的通告"
    assert fields["发布机构"] == "平潭综合实验区社会事业局"
    assert fields["栏目"] == "教育事业" and "文号" not in fields
    assert "原文链接" in removed[0].text


@pytest.mark.parametrize(
    "lines",
    [
        ["2024年融安县教育工作要点", "一、总体要求：坚持立德树人。", "二、主要任务：", "1.加强党建。"],
        ["关于做好防溺水工作的通知", "各学校：", "现将有关事项通知如下：", "一、加强教育"],
    ],
)
def test_a_document_without_a_header_block_loses_nothing(lines: list[str]) -> None:
    assert drop_front_matter(lines) == (lines, {}, [])


def test_a_long_line_naming_a_chrome_word_is_body_text() -> None:
    body = "当前位置：各校要把防溺水教育放在当前位置的首位，" + "落实“六不”要求，加强家校联系。" * 12
    chrome = ["微信 微博 QQ空间", "时间：2021-09-24 09:49 微信", "附件下载", "点击此处查看原文"]
    kept, _, removed = drop_boilerplate([body, *chrome])
    assert kept == [body]
    assert [r.reason for r in removed] == ["分享按钮", "发布时间", "页面功能链接", "页面功能链接"]


def test_an_export_is_cleaned_into_its_title_and_body() -> None:
    raw = "\n".join(
        [
            "标题: 平潭综合实验区教育局关于加强毕业班备考工作的通知",
            "发布机构: 平潭综合实验区教育局",
            "栏目: 教育事业",
            "==================== 正文 ====================",
            _FLAT,
        ]
    )
    result = clean(raw)
    assert result.fields["标题"] == "平潭综合实验区教育局关于加强毕业班备考工作的通知"
    assert not any("当前位置" in x or "QQ空间" in x or "首页政务公开" in x for x in result.lines)
    assert "二、聚焦关键，优化契合" in result.lines


@pytest.mark.parametrize(
    "link", ["点击此处下载原文", "点击此处下载文件", "点击这里打开附件", "点击下载", "点击下载此文件"]
)
def test_a_crawlers_link_text_in_any_wording_is_chrome(link: str) -> None:
    # realdocs9 ends with 点击此处查看原文; realdocs10's and realdocs11's with 点击此处下载原文 /
    # 下载文件 / 点击下载此文件:
    # the link text a crawler kept, never the document's
    kept, _, removed = drop_boilerplate(["各地要加强组织领导。", link])
    assert kept == ["各地要加强组织领导。"] and removed[0].reason == "页面功能链接"
    # a sentence that tells the reader to download a form is the document's
    keep = "请各校点击此处下载申请表，填写后于6月30日前报送。"
    assert drop_boilerplate([keep])[0] == [keep]


# --- headings a text export ran into what follows them (realdocs8, realdocs15) -----------------------

from qa.ingest.clean import is_title_like, split_glued_subheadings  # noqa: E402


def test_a_heading_run_into_its_sub_heading_its_text_or_its_first_point_gets_its_own_line() -> None:
    # 平潭's 2022 and 2024 summaries, its 法治 report and its 双减 opinion (realdocs8, realdocs15)
    lines = [
        "一、工作成效（一）突出党建引领，激发担当作为一是持续加强思想政治建设。强化理论武装。",
        "二是推进模范机关建设。",
        "二、2025年工作思路2025年是“十四五”规划的收官之年。",
        "三、存在问题在看到成绩的同时，我们也清醒地认识到一些问题。",
    ]
    assert split_glued_subheadings(lines) == [
        "一、工作成效",
        "（一）突出党建引领，激发担当作为",
        "一是持续加强思想政治建设。强化理论武装。",
        "二是推进模范机关建设。",
        "二、2025年工作思路",
        "2025年是“十四五”规划的收官之年。",
        "三、存在问题",
        "在看到成绩的同时，我们也清醒地认识到一些问题。",
    ]


def test_a_heading_that_only_goes_on_is_not_split() -> None:
    # 一、指导思想和原则 is one heading (realdocs4); 一是 with no 二是 after it may be words (统一是)
    assert split_glued_subheadings(["一、指导思想和原则"]) == ["一、指导思想和原则"]
    assert split_glued_subheadings(["（三）思想统一是前提，要抓好学习。"]) == [
        "（三）思想统一是前提，要抓好学习。"
    ]


def test_a_title_with_a_quoted_slogan_is_a_title_and_no_wrapped_line() -> None:
    # realdocs13: “学习新思想，做好接班人” — the comma is the slogan's; the 文号 below starts a line
    title = "四川省教育厅 四川省少工委关于在全省中小学校开展2024年“学习新思想，做好接班人”主题活动的通知"
    assert is_title_like(title)
    assert join_wrapped_lines([title, "川教函〔2024〕367号"]) == [title, "川教函〔2024〕367号"]
    # a sub-heading is not joined to its first point either
    assert join_wrapped_lines(["（二）提升服务品质，厚植民生福祉", "一是硬件短板加快补齐。"]) == [
        "（二）提升服务品质，厚植民生福祉",
        "一是硬件短板加快补齐。",
    ]


def test_bullets_that_lost_their_wingdings_font_are_list_marks() -> None:
    # realdocs35 #04: Word's ◆ bullets, their font dropped by the site, show as “u ” before each item
    lines = clean(
        "工作总结\nu\u00a0学校对于校园安全建设高度重视。\nl 开设德育系列课程。\nU 盘要统一管理。"
    ).lines
    assert lines[1] == "学校对于校园安全建设高度重视。"
    assert lines[2] == "开设德育系列课程。"
    assert lines[3] == "U 盘要统一管理。"  # (Word's bullets are lower-case letters)


def test_a_sentence_of_clauses_is_body_text_whatever_footer_word_it_holds() -> None:
    # realdocs23 #05: a rule on training platforms was dropped as a footer for its “ICP备案”
    line = "3.线上培训项目使用的平台应完成工信部ICP备案，公用网络IP地址、域名等符合法定要求。"
    kept, _, removed = drop_boilerplate(["一、指导思想", line, "浙ICP备14042003号-1"])
    assert kept == ["一、指导思想", line]
    assert [r.text for r in removed] == ["浙ICP备14042003号-1"]


def test_a_word_exports_spaced_numbers_make_headings_again() -> None:
    # realdocs80 (a kindergarten's 章程 exported from Word): 第 二 章 and 第1 2 条 had not been read as
    # a chapter and an article, so every article stood under 第一章 总则
    raw = "第一章 总则\n第1条 为贯彻国家教育方针。\n第 二 章 治理结构\n第1 2 条 幼儿园实行园长负责制。\n201 7 年 2 月"
    assert clean(raw).lines == [
        "第一章 总则",
        "第1条 为贯彻国家教育方针。",
        "第二章 治理结构",
        "第12条 幼儿园实行园长负责制。",
        "2017 年 2 月",
    ]


def test_a_question_or_answer_label_opens_a_line_of_its_own() -> None:
    # realdocs86, a school's Q&A page: an answer that ends without a full stop is no sentence wrapped
    # into the next question (回答：可以请班主任问一下…名单的 / 问题7：如何登录…)
    lines = [
        "回答：可以请班主任问一下高三教务的老师，应该是有筛选了名单的",
        "问题7：如何登录希悦系统？",
        "回答：具体登陆方式可以问一下学生，账号也是属于个人的",
        "答：可以。",
    ]
    assert join_wrapped_lines(lines) == lines


def test_letter_spaced_words_are_read_as_words() -> None:
    # realdocs88's PDF cover (秩 序 册), the 总 则 of many a 条例's first chapter, a table's head
    # (学 科 | 命 题 范 围, realdocs4) and a name padded to three characters (蓝 兰): read apart, no
    # question's word could match them
    raw = "秩 序 册\n第一章  总  则\n学 科 | 命 题 范 围\n语  文 | 必修1\n组员：蓝 兰 林庆芳"
    lines = clean(raw).lines
    assert lines[0] == "秩序册"
    assert lines[1].endswith(" 总则")
    assert "学科 | 命题范围" in lines
    assert "语文 | 必修1" in lines
    assert "组员：蓝兰 林庆芳" in lines
    # words of two characters or more, spaced as words, stay apart
    assert clean("组员：林庆芳 陈学军 谭跃龙").lines == ["组员：林庆芳 陈学军 谭跃龙"]
