"""Unit tests of the line-shape rules for site chrome, TOCs and attachment lists (qa.ingest.chrome)."""

from __future__ import annotations

import pytest

from qa.ingest.chrome import chrome_reason, drop_attachment_lists, drop_chrome_lines, drop_menu_runs, drop_toc


@pytest.mark.parametrize(
    "line",
    [
        "（阅读次数：6830）",
        "【增大字号】 【减小字号】 【打印文档】",
        "上一篇：关于组织党员教师参加微党课活动的通知[ 03-02 ]",
        "Copyright © 2002-2009www.fjqzedu.gov.cn版权所有闽ICP备05010919号",
        "首页 >> 公告栏 >> 正文",
        "首　页 | 政务信息公开 | 民办教育 | 团队工作",
        "━━━━━━━━━━━━",
        "附件1.docx",
        "本文档由会员分享，如有侵权请联系删除",
    ],
)
def test_chrome_lines_are_recognised(line: str) -> None:
    assert chrome_reason(line) is not None


@pytest.mark.parametrize(
    "line",
    [
        "157 | 绍兴职业技术学院征地扩建工程 | 115000",  # a table row
        "序号 | 项目名称 | 总投资 | 备注",  # a table header
        "各学校要提供技术支持。",  # a sentence that names a chrome phrase
        "一、总体要求",
        "鼓楼 | 9580 | 台江 | 4170",
    ],
)
def test_document_lines_are_kept(line: str) -> None:
    assert chrome_reason(line) is None


def test_timestamp_line_is_kept_as_publication_time() -> None:
    kept, fields, removed = drop_chrome_lines(["2014-03-20 15:59:35", "现将意见印发给你们。"])
    assert kept == ["现将意见印发给你们。"] and fields == {"发布时间": "2014-03-20"}
    assert removed[0].reason == "发布时间戳"


def test_toc_lines_and_their_heading_are_removed() -> None:
    lines = ["目 录", "一、现实基础……………1", "【重点任务1】加强德育………………6", "一、现实基础", "正文。"]
    kept, removed = drop_toc(lines)
    assert kept == ["一、现实基础", "正文。"]
    assert removed[0].reason.startswith("目录")


def test_a_table_of_contents_run_together_on_one_line_goes_and_the_text_after_it_stays() -> None:
    # realdocs73: a crawler kept the report on one line; its 7,000-character contents opened the first
    # passage and stood as the breadcrumb of every passage
    dots = "." * 60
    run = f"1.基本情况{dots} 3 1.1学校概况{dots} 3 1.2 学生情况{dots} 4 2.学生发展{dots} 6"
    lines = ["目录", f"{run} 1.基本情况 1.1学校概况 平潭职业中专学校创办于1984年。", "正文。"]
    kept, removed = drop_toc(lines)
    assert kept == ["1.基本情况 1.1学校概况 平潭职业中专学校创办于1984年。", "正文。"]
    assert removed[0].text.startswith("目录\n1.基本情况") and "2.学生发展" in removed[0].text
    # a long line of text whose few dots are no contents stays whole
    text = "学校共有教室48间......另有实验室6间，功能室12间，" * 3
    assert drop_toc([text]) == ([text], [])


def test_contents_with_page_numbers_in_brackets_go_and_the_page_run_into_the_last_entry_stays() -> None:
    # realdocs88: a Word booklet's contents print (4) and （15） after the leaders; the PDF ran the last
    # entry into the next page's first line. Each entry had stood as a heading over the text after it
    lines = [
        "目 录",
        "1．运动会组委会名单 ……………………………………………… (4)",
        "9．运动会标志设计与制作要求………………………………‥(14)",
        "22. 教职工匹克球赛、社团活动……………………………… （66）第五十六届田径运动会组委会名单",
        "一、运动会期间全校师生均应积极参加大会安排的活动。",
    ]
    kept, removed = drop_toc(lines)
    assert kept == ["第五十六届田径运动会组委会名单", "一、运动会期间全校师生均应积极参加大会安排的活动。"]
    assert "运动会标志设计与制作要求" in removed[0].text and "教职工匹克球赛" in removed[0].text


def test_contents_whose_page_numbers_run_into_the_next_entry_go() -> None:
    # realdocs81: a PDF's contents, each page number glued to the next entry's title
    leaders = "…" * 20
    run = f"普通高等学校学生管理规定{leaders}1高等学校学生行为准则{leaders}17学生伤害事故处理办法{leaders}19"
    kept, removed = drop_toc(["目 录", run + " 第一章 总则", "第一条 为规范学生管理。"])
    assert kept == ["第一章 总则", "第一条 为规范学生管理。"]
    assert "学生伤害事故处理办法" in removed[0].text


def test_bracketed_latin_text_is_no_row_of_buttons() -> None:
    # realdocs83: a school's English short name and its pronunciation had been dropped as page buttons
    line = "英文校名规范缩写为：CEFLS 拼读为[cefls] 或Cefls 拼读为[cefls]"
    assert chrome_reason(line) is None
    assert chrome_reason("[打印] [关闭]") == "页面功能链接"


def test_attachment_list_before_the_signature_goes_but_a_printed_attachment_stays() -> None:
    lines = [
        "请认真贯彻执行。",
        "附件：1.福州市2016年小学招生计划",
        "2.市属公办小学2016年招生计划",
        "福州市教育局",
        "2016年5月5日",
        "附件1",
        "福州市2016年小学招生计划",
        "鼓楼 | 9580",
    ]
    kept, removed = drop_attachment_lists(lines)
    assert kept == [lines[0], *lines[3:]]
    assert len(removed) == 1


def test_attachment_list_at_the_end_goes() -> None:
    lines = ["一、总体要求。" * 3, "附2：", "（1）领导班子民主测评要点", "（2）领导干部民主测评要点"]
    kept, _ = drop_attachment_lists(lines)
    assert kept == lines[:1]


def test_an_attachment_printed_in_full_at_the_end_stays() -> None:
    # realdocs95 #03's 附件2 外宿承诺书 (its 三、…与学校无关。 was asked for word for word, R95a) and
    # realdocs32 #03's 附件3 信息采集要求: their clauses are text, not attachment titles
    lines = [
        "第二十七条 本办法自公布之日起施行。",
        "附件2：",
        "河南理工大学学生外宿承诺书",
        "本人申请校外住宿，为明确本人及家长的责任，本人及家长自愿向学校承诺如下：",
        "一、外宿理由及提供的相关材料真实。",
        "三、在外宿期间，如发生一切人身伤亡和财产损失，由本人及家长负责，与学校无关。",
    ]
    kept, removed = drop_attachment_lists(lines)
    assert kept == lines and not removed
    lines = [
        "附件3",
        "八年级学生基本信息采集要求",
        "一、信息采集对象和办法",
        "1．在本市就读的2014 级（即八年级）全体学生，在其就读的初中学校进行信息采集。",
    ]
    assert drop_attachment_lists(lines)[0] == lines


def test_a_numbered_heading_is_never_chrome() -> None:
    # realdocs23 #03 八、技术支持 (a footer's word), realdocs57 #02 三、限制携带/需寄存物品 (slashes, as a menu)
    for line in ("八、技术支持", "三、限制携带/需寄存物品（可带但不能进馆/展区）"):
        assert chrome_reason(line) is None
    assert chrome_reason("技术支持：某某网络公司") == "页脚"


def test_a_law_s_closing_chapter_is_no_attachment_list() -> None:
    # 附则 (supplementary provisions) ends a law: its articles stay (realdocs41's 教师资格条例 lost
    # 第二十三条 本条例自发布之日起施行; realdocs63's 网络保护条例 its 第五十九条 and 第六十条 — R63a, R63b
    # asked when it takes effect)
    for head in ("附则", "附 则"):
        lines = [
            "第五十八条 违反本条例规定的，依法承担民事责任。",
            head,
            "第六十条 本条例自2024年1月1日起施行。",
        ]
        kept, removed = drop_attachment_lists(lines)
        assert kept == lines and not removed


def test_an_attachment_whose_lines_say_what_it_holds_stays() -> None:
    # realdocs34 #04: 附件：课题组成员, then 组长：赵才欣（…） — the attachment itself, not a list of titles
    lines = [
        "2004年12月",
        "附件：",
        "课题组成员",
        "课题组组 长：赵才欣（市教研室副主任）",
        "课题组顾 问：陈学娅（上海市艺术教材主编）",
        "王月萍（市教研室艺术教研员）",
    ]
    kept, _ = drop_attachment_lists(lines)
    assert "课题组组 长：赵才欣（市教研室副主任）" in kept and "王月萍（市教研室艺术教研员）" in kept
    # numbered titles (1：…统计表) are still a list of titles
    kept, _ = drop_attachment_lists(
        ["一、要求。" * 3, "附件：1：活动开展情况统计表", "2：活动优秀案例视频推荐汇总表"]
    )
    assert kept == ["一、要求。" * 3]


def test_menu_runs_go_only_outside_the_prose() -> None:
    menu = ["首页", "新闻中心", "学校公告", "一中新闻", "工作安排"]
    prose = ["为认真贯彻落实义务教育法，现就做好2016年小学招生工作提出如下意见。"]
    cells = ["时间", "内容", "主办", "股室", "备注"]
    kept, removed = drop_menu_runs(menu + prose + cells + prose)
    assert kept == prose + cells + prose
    assert len(removed) == 1


def test_a_word_contents_field_goes_but_a_tables_rows_of_figures_stay() -> None:
    # realdocs89: a Word contents field prints the heading, a tab and the page (the leader is the tab
    # stop's); its 59 entries had stood as headings and run into each other
    lines = ["目录", "学校简介\t1", "一、办学定位与人才培养\t7", "（一）办学定位\t7", "学校简介", "正文。"]
    kept, removed = drop_toc(lines)
    assert kept == ["学校简介", "正文。"]
    assert "一、办学定位与人才培养\t7" in removed[0].text
    # a table's cells separated by tabs hold figures that are no pages
    table = ["学历\t人数", "本科生\t4834", "研究生\t923", "博士\t12"]
    assert drop_toc(table) == (table, [])


def test_a_tables_header_row_is_no_menu() -> None:
    # realdocs89 and 22 documents before: a reader's table header (学历 | 人数 | 占比) is a row of short
    # labels without figures, as a menu is, and had been dropped, leaving the table's columns unnamed
    header, row = "学科 | 联系人 | 电话 | 邮箱", "小学语文 | 莫国夫 | 88905971 | a@b.cn"
    kept, _, removed = drop_chrome_lines(["附件：", header, row])
    assert kept == ["附件：", header, row] and removed == []
    menu = "首页 | 机构概况 | 政务公开 | 办事服务"
    assert drop_chrome_lines([menu, "正文。"])[0] == ["正文。"]


def test_a_bare_next_article_label_goes_with_the_title_on_the_line_after_it() -> None:
    # realdocs93: a crawler's copy of a university's page ends 上一条： / <title> / 下一条： / <title>
    lines = [
        "本办法自2025年5月1日起施行。",
        "上一条：",
        "北京邮电大学学生管理规定",
        "下一条：",
        "北京邮电大学学生奖助工作管理办法",
    ]
    kept, _, removed = drop_chrome_lines(lines)
    assert kept == ["本办法自2025年5月1日起施行。"]
    assert {r.reason for r in removed} == {"上一篇/下一篇"}


def test_a_sentence_after_a_bare_label_is_the_documents_own() -> None:
    kept, _, _ = drop_chrome_lines(["上一页", "学校应当建立健全学生申诉制度。"])
    assert kept == ["学校应当建立健全学生申诉制度。"]
