"""Tests for qa.ingest.metadata and the catalog overrides in qa.ingest.corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qa.ingest.corpus import CatalogError, apply_catalog, ingest_text, load_catalog, load_corpus
from qa.ingest.labels import harvest_page_lines
from qa.ingest.metadata import (
    detect_date,
    detect_issuer,
    detect_meta,
    detect_place,
    detect_title,
    detect_year,
    document_head,
    find_meta,
    legislated,
    org_over_title,
    title_above_salutation,
)
from qa.places import lookup
from qa.types import DocMeta, Document

# --------------------------------------------------------------------------- unit


def test_title_is_the_first_line_when_it_names_a_genre() -> None:
    assert detect_title(["2024年融安县教育工作要点", "一、总体要求"], {}) == "2024年融安县教育工作要点"
    assert detect_title(["全面贯彻落实党的教育方针。"], {"信息名称": "某某工作意见"}) == "某某工作意见"
    assert detect_title(["全面贯彻落实党的教育方针。"], {}) is None


@pytest.mark.parametrize(
    ("fields", "date"),
    [
        ({"发布日期": "2019-03-25 10:00"}, "2019-03-25"),
        ({"生成日期": "2019-06-17", "公开日期": "2019-06-18"}, "2019-06-17"),
        ({"成文日期": "2014年3月5日"}, "2014-03-05"),
        ({"发布时间": "2020/1/2"}, "2020-01-02"),
        ({"来源": "教育局"}, None),
    ],
)
def test_detect_date_normalises_to_iso(fields: dict[str, str], date: str | None) -> None:
    assert detect_date(fields) == date


def test_year_comes_from_title_then_date_then_opening() -> None:
    assert detect_year("泸州市2014年教育工作要点", "2015-01-01", "2016年") == 2014
    assert detect_year("工作要点", "2015-01-01", "2016年") == 2015
    assert detect_year(None, None, "2016年是关键之年。") == 2016
    assert detect_year(None, None, "没有年份。") is None


@pytest.mark.parametrize(
    "opening",
    [
        "天府新区华阳幼儿园始建于1952年，是成都市首批示范幼儿园。2013年10月划归天府新区。",
        "学校创办于 1963年（原成都市48中），1993年开始招收外语班，1996年更名为成都市实验外国语学校。",
        "我校于1946年创建，前身为合肥市万慈小学，1975年更名为合肥市第四十六中学。2007年9月迁入滨湖新区。",
    ],
)
def test_a_school_history_in_the_opening_gives_the_document_no_year(opening: str) -> None:
    # a profile or a charter opens with the school's founding; its years are of events, not of the page
    meta = detect_meta(["学校概况", "", opening, "校训：方正通达。"], {}, "gaikuang")
    assert meta.year is None
    # the same page with a plan's opening year keeps it
    assert detect_meta(["学校概况", "", "2014年是关键之年。" + opening], {}, "gaikuang").year == 2014


@pytest.mark.parametrize(
    ("lines", "title"),
    [
        (["实外概况", "成都市实验外国语学校是成都市教育局直属外语特色学校。"], "实外概况"),
        (
            ["在全校学习实践活动动员大会上讲话", "尊敬的各位领导，敬爱的老师们：", "下午好！"],
            "在全校学习实践活动动员大会上讲话",
        ),
        (
            [
                "平潭开展 2021年秋季“双减”工作专项督查",
                "平潭开展 2021年秋季“双减”工作专项督查",
                "为进一步贯彻落实…",
            ],
            "平潭开展 2021年秋季“双减”工作专项督查",
        ),
    ],
)
def test_a_first_line_standing_alone_above_the_body_is_the_title(lines: list[str], title: str) -> None:
    found = find_meta(lines, {}, "01_file-name")
    assert (found.meta.title, found.sources["title"]) == (title, "标题行")


@pytest.mark.parametrize(
    "lines",
    [
        # a site's name over a title in two lines: which line is the title is not clear
        ["安徽翻转课堂", "在全省翻转课堂项目研究观摩", "研讨座谈会上的讲话摘要", "各位领导：", "正文。"],
        # a chapter's numbered heading, a document number, a sentence
        ["（五）心理健康与人身安全", "一、培养良好的心理素质"],
        ["川教函〔2026〕110 号", "有关市（州）教育主管部门："],
        # a title broken off mid-phrase
        ["上海市人民政府办公厅关于转发市教委等十一部门制订的", "沪府办发〔2011〕19号", "各区、县人民政府："],
        ["根据《中山市义务教育阶段学生招生工作意见", "》和《火炬开发区招生管理办法》，我区……"],
    ],
)
def test_no_title_is_read_from_a_line_that_does_not_stand_alone(lines: list[str]) -> None:
    assert find_meta(lines, {}, "01_file-name").meta.title == "01_file-name"


def test_anonymised_title_has_no_place() -> None:
    body = "融安县" * 5
    assert detect_place("某市教育局2019年工作要点", body, []) is None
    assert detect_place("xx县教育局xxxx年工作要点", body, []) is None


def test_place_from_title_then_site_then_dominant_body_name() -> None:
    assert detect_place("2024年融安县教育工作要点", "", []) == lookup("融安县")[0]
    assert detect_place("工作意见", "", ["常州市金坛区人民政府网站"]) == lookup("金坛区")[0]
    assert detect_place(None, "泸州市" * 3 + "江阳区", []) == lookup("泸州市")[0]
    assert detect_place(None, "泸州市 泸州市 江阳区 江阳区", []) is None  # not dominant / too rare


def test_a_page_that_names_no_place_takes_the_place_of_the_site_that_publishes_it() -> None:
    # realdocs59, 60, 63, 67: a school's 方案 says only 我校; the page's footer names the school
    lines = ["经典诵读、历史剧写作、软硬笔字书写大赛方案", "为丰富校园文化生活，我校决定开展主题系列活动。"]
    fields = harvest_page_lines(["首页", "绍兴市第一中学 版权所有 Copyright © SXYZ.NET All Rights Reserved."])
    found = find_meta(lines, fields, "x")
    assert found.meta.city == "绍兴市" and found.sources["city"] == "网站页脚"
    assert found.meta.issuer is None  # the site publishes; it does not say who issued the plan
    # 主办：… names the owner too; a place the document names itself comes first
    assert harvest_page_lines(["主办：广州市天河区人民政府 承办：…"])["网站主办"] == "广州市天河区人民政府"
    own = find_meta(["2024年融安县教育工作要点", "一、总体要求"], fields, "x")
    assert own.meta.county == "融安县"
    assert find_meta(lines, {}, "x").meta.city is None


def test_a_subtitle_dash_is_no_part_of_the_issuer_it_names() -> None:
    # realdocs69: 书写人生，规划未来 / ——绍兴市第一中学2021年生涯规划书大赛活动方案 gave issuer “——绍兴市第一中学”
    lines = [
        "2021年生涯规划书大赛活动方案",
        "书写人生，规划未来",
        "——绍兴市第一中学2021年生涯规划书大赛活动方案",
        "一、大赛目的",
    ]
    assert find_meta(lines, {}, "x").meta.issuer == "绍兴市第一中学"


def test_a_short_name_after_a_place_of_another_province_names_no_place_of_its_own() -> None:
    # realdocs14 #06: 双城 of 成渝地区双城经济圈 is no 黑龙江 双城区; realdocs18 #01: the site's 发布机构
    # shows 君山片区 is 平潭's, not 湖南 岳阳's 君山区
    title = "四川省教育厅等九部门 关于办好2025年成渝地区双城经济圈职业教育活动周的通知"
    assert detect_place(title, "", []) == lookup("四川省")[0]
    title = "君山片区管理局党政办公室关于印发《君山片区管理局2021年控辍保学工作实施方案》的通知"
    place = detect_place(title, "", ["平潭综合实验区君山片区管理局"])
    assert place is not None and place.province == "福建省"
    # a full name is a place wherever it stands
    assert detect_place("四川省教育厅关于双城区的通知", "", []).name == "双城区"


def test_issuer_gets_its_place_when_the_site_prints_a_bare_bureau() -> None:
    jintan = lookup("金坛区")[0]
    assert detect_issuer("工作意见", {"发布机构": "教育局"}, "", jintan) == "常州市金坛区教育局"
    assert detect_issuer("柳城县教育局2019年教育工作计划", {}, "", None) == "柳城县教育局"
    assert detect_issuer(None, {}, "市教育局将认真贯彻", lookup("泸州市")[0]) == "泸州市教育局"
    assert detect_issuer(None, {}, "没有机构", None) is None


def test_official_document_head_above_the_title_gives_issuer_and_year() -> None:
    # a red-letter document as exported to a web page (R3's 东莞 notice): copy number, masthead,
    # document number, then the title; the date is the covering notice's, in Chinese numerals
    lines = [
        "00001",
        "东莞市人民政府文件",
        "东府〔2012〕67号",
        "关于印发《东莞市新莞人子女接受义务教育实施办法》的通知",
        "各镇人民政府（街道办事处），市府直属各单位：",
        "《东莞市新莞人子女接受义务教育实施办法》业经市人民政府同意，现印发给你们，请认真贯彻执行。",
        "二○一二年五月二十七日",
        "东莞市新莞人子女接受义务教育实施办法",
        "第一条 为进一步加强我市新莞人子女义务教育管理，制定本办法。",
    ]
    assert document_head(lines).skip == 3
    found = find_meta(lines, {}, "08_dongguan")
    m = found.meta
    assert m.title == "关于印发《东莞市新莞人子女接受义务教育实施办法》的通知"
    assert (m.issuer, found.sources["issuer"]) == ("东莞市人民政府", "版头")
    assert (m.date, m.year, m.city) == ("2012-05-27", 2012, "东莞市")


def test_a_covering_notice_without_its_title_takes_the_forwarded_documents_title() -> None:
    # R3's 武汉 规定: document number, salutation, 现将《…》印发给你们, then that title on its own line
    lines = [
        "武教规〔2015〕3号",
        "各区教育局，直属中小学：",
        "现将《武汉市中小学生学籍管理暂行规定》印发给你们，请遵照执行。",
        "武汉市中小学生学籍管理暂行规定",
        "第一章 总则",
        "第一条 为规范全市中小学学籍管理工作，特制定本规定。",
    ]
    found = find_meta(lines, {}, "07_wuhan")
    assert found.meta.title == "武汉市中小学生学籍管理暂行规定"
    assert (found.meta.year, found.sources["year"]) == (2015, "发文字号")
    assert found.meta.city == "武汉市"
    # an ordinary plan has no head
    assert document_head(["2024年融安县教育工作要点", "一、总体思路"]).skip == 0


def test_a_covering_notice_that_names_its_document_first_takes_that_title() -> None:
    # realdocs29 #02: 《…》已经市政府同意，现印发给你们 — the title stands below, under the date
    lines = [
        "各区、县（市）人民政府，市政府各部门、各直属单位：",
        "《杭州市义务教育阶段进城务工人员子女在杭就学管理暂行办法》已经市政府同意，现印发给你们，请遵照实施。",
        "二○○八年四月十八日",
        "杭州市义务教育阶段进城务工人员子女在杭就学管理暂行办法",
        "一、本办法适用对象为年龄在6周岁至14周岁的进城务工人员子女。",
    ]
    found = find_meta(lines, {}, "02_hangzhou_banfa-suiqian-zinv-jiuxue-guanli_2008")
    assert found.meta.title == "杭州市义务教育阶段进城务工人员子女在杭就学管理暂行办法"
    assert found.sources["title"] == "标题行"


def test_the_title_above_the_addressees_stands_under_a_masthead_the_head_does_not_know() -> None:
    # realdocs30 #02 (a LibreOffice export), realdocs26 #01, realdocs3 #01: a first line that is
    # no title (a masthead table row, a template tag), the title, then the addressees
    lines = [
        "F 佛山市人民政府办公室文件 SFG2012010号 | 主动公开",
        "佛府办〔2012〕36号",
        "印发佛山市非户籍常住人口子女入读义务教育公办学校实施办法的通知",
        "各区人民政府，市政府各部门、直属各机构:",
        "《佛山市非户籍常住人口子女入读义务教育公办学校实施办法》业经市人民政府同意，现印发给你们。",
    ]
    found = find_meta(lines, {}, "02_foshan_banfa-feihuji-zinv-ruxue_2012")
    assert found.meta.title == "印发佛山市非户籍常住人口子女入读义务教育公办学校实施办法的通知"
    # no title-like line above the addressees: none is made up
    assert title_above_salutation(["<@spring.message/>", "一、工作要求", "各学校："]) is None


def test_an_attachment_saved_on_its_own_is_titled_below_its_label() -> None:
    # realdocs30 #03 (a .doc): 附件1 / 2015年郑州市市区普通高中招生工作意见 / 根据…
    lines = ["附件1", "2015年郑州市市区普通高中招生工作意见", "根据河南省教育厅的意见，现提出如下意见。"]
    assert find_meta(lines, {}, "03_zhengzhou").meta.title == "2015年郑州市市区普通高中招生工作意见"
    # the label only opens a document: further down it heads an attachment, no title
    assert document_head(["2024年融安县教育工作要点", "附件1"]).skip == 0


def test_a_line_broken_inside_a_book_title_is_no_title() -> None:
    # realdocs33: a page's first line broke at 》 — 根据《中山市义务教育阶段学生招生工作意见 / 》和《…
    lines = ["根据《中山市义务教育阶段学生招生工作意见", "》和《火炬开发区招生管理办法》，我区招生工作如下。"]
    assert find_meta(lines, {}, "01_zhongshan").meta.title == "01_zhongshan"


def test_a_title_set_in_two_lines_under_the_body_s_name_is_one_title() -> None:
    # realdocs95's 河南理工大学 / 学生违纪处理实施细则（修订）, realdocs92's 重庆邮电学院 / 教师教学工作手册:
    # titled by their file names, and the two lines headed every passage's section path
    raw = (
        "河南理工大学\n学生班级活动管理细则（试行）\n第一章 总  则\n第一条 为规范学生班级活动，制定本细则。\n"
    )
    doc, passages = ingest_text("d", "d.html", raw)
    assert doc.meta.title == "河南理工大学学生班级活动管理细则（试行）"
    assert doc.meta.issuer == "河南理工大学"
    assert passages and all(
        "河南理工大学" not in p.section and "学生班级活动管理细则（试行）" not in p.section for p in passages
    )
    # a site's name over a numbered heading is no title
    assert org_over_title(["上海市复兴高级中学", "一．规划目标达成情况"]) is None


def test_titles_keep_no_subtitle_dash_and_name_examination_authorities() -> None:
    m = find_meta(["——绍兴一中2010学年工作思路（征求意见稿）", "一、德育为首"], {}, "x").meta
    assert m.title == "绍兴一中2010学年工作思路（征求意见稿）"
    m = find_meta(
        ["北京教育考试院关于做好2016年北京市高级中等学校考试招生工作的通知", "各区县教委："], {}, "x"
    ).meta
    assert m.issuer == "北京教育考试院"


def test_a_repost_takes_the_title_and_issuer_its_opening_line_names() -> None:
    # R6's 西安 通知, reposted: no title line, the lead-in names the document and who issued it
    lines = [
        "6月12日，西安市教育局发布《关于做好2023年义务教育招生入学工作的通知》，具体内容如下↓↓↓",
        "各区县教育局，西咸新区教育体育局，各开发区教育局，各直属中小学：",
        "为深入贯彻落实党的二十大精神，现就做好我市2023年义务教育招生入学工作有关事项通知如下：",
    ]
    found = find_meta(lines, {}, "01_xian")
    assert found.meta.title == "关于做好2023年义务教育招生入学工作的通知"
    assert (found.meta.issuer, found.sources["title"], found.sources["issuer"]) == (
        "西安市教育局",
        "正文",
        "正文",
    )
    # a plan quoting another document further down is no repost
    m = find_meta(
        ["一、总体要求", "认真贯彻省教育厅印发《关于进一步规范办学行为的意见》全文精神"], {}, "x"
    ).meta
    assert m.title == "x"


def test_a_forwarding_page_names_the_forwarded_documents_issuer() -> None:
    # R6's 绍兴 pages: 转发绍兴市教育局关于… — the issuer is 绍兴市教育局, never "转发绍兴市教育局"
    m = find_meta(
        ["转发绍兴市教育局关于进一步加强教师职业道德建设抵制有偿家教的意见", "各处室："], {}, "x"
    ).meta
    assert m.issuer == "绍兴市教育局"


def test_document_without_a_title_line_gets_its_file_name_marked_as_such() -> None:
    lines = [
        "2014年是关键之年。全市教育工作的总体要求是：抓好泸州市教育。",
        "泸州市泸州市",
        "本要点自印发之日起施行。",
    ]
    found = find_meta(lines, {}, fallback_title="004")
    # A title is never composed (泸州市2014年教育工作要点 would be invented): the file name stands in.
    assert found.meta.title == "004"
    assert found.sources["title"] == "文件名"
    assert (found.meta.city, found.meta.province, found.meta.year) == ("泸州市", "四川省", 2014)


def test_fallback_title_when_nothing_is_known() -> None:
    assert detect_meta(["加强管理。"], {}, fallback_title="notes").title == "notes"


# --------------------------------------------------------------------------- known answers: real corpus


def test_000_liucheng(docs: dict[str, Document]) -> None:
    m = docs["000"].meta
    assert m.title == "柳城县教育局2019年教育工作计划"
    assert m.issuer == "柳城县教育局"
    assert m.place == "柳州市柳城县"
    assert (m.province, m.city, m.county) == ("广西壮族自治区", "柳州市", "柳城县")
    assert m.year == 2019
    assert m.date == "2019-03-25"


def test_001_anonymised_city(docs: dict[str, Document]) -> None:
    m = docs["001"].meta
    assert m.title == "某市教育局2019年工作要点"
    assert m.place is None
    assert (m.province, m.city, m.county) == (None, None, None)
    assert m.year == 2019


def test_002_runan(docs: dict[str, Document]) -> None:
    m = docs["002"].meta
    assert m.title == "2024年融安县教育工作要点"
    assert m.county == "融安县"
    assert (m.province, m.city) == ("广西壮族自治区", "柳州市")
    assert m.year == 2024


def test_003_jintan(docs: dict[str, Document]) -> None:
    m = docs["003"].meta
    assert m.title == "2019年上半年工作总结及下半年工作意见"
    assert (m.city, m.county) == ("常州市", "金坛区")
    assert m.province == "江苏省"
    assert m.place == "常州市金坛区"
    assert m.year == 2019
    assert m.date == "2019-06-17"
    assert m.issuer == "常州市金坛区教育局"
    assert m.source == "常州市金坛区人民政府网站"


def test_004_luzhou(docs: dict[str, Document]) -> None:
    m = docs["004"].meta
    assert m.title == "泸州市2014年教育工作要点"
    assert (m.city, m.county) == ("泸州市", None)
    assert m.province == "四川省"
    assert m.place == "泸州市"
    assert m.year == 2014


# --------------------------------------------------------------------------- catalog.toml


@pytest.fixture
def small_corpus(tmp_path: Path, corpus_dir: Path) -> Path:
    dst = tmp_path / "corpus"
    dst.mkdir()
    for name in ("002_82e0708f1ad714c4.txt", "004_9f55be01de2550e3.txt"):
        shutil.copy2(corpus_dir / name, dst / name)
    return dst


def write_catalog(folder: Path, text: str) -> None:
    (folder / "catalog.toml").write_text(text, encoding="utf-8")


def test_catalog_overrides_detection(small_corpus: Path) -> None:
    write_catalog(
        small_corpus,
        """
[documents."004_9f55be01de2550e3"]
title = "泸州市教育局关于印发2014年教育工作要点的通知"
issuer = "泸州市教育局"
date = "2014-02-20"
year = "2015"

[documents."002_82e0708f1ad714c4.txt"]
source = "融安县人民政府门户网站"
""",
    )
    c = load_corpus(small_corpus)
    luzhou = c.document("004_9f55be01de2550e3").meta
    assert luzhou.title == "泸州市教育局关于印发2014年教育工作要点的通知"
    assert luzhou.issuer == "泸州市教育局"
    assert luzhou.date == "2014-02-20"
    assert luzhou.year == 2015  # a string year is read as a number
    assert luzhou.city == "泸州市"  # fields not in the catalog keep the detected value
    runan = c.document("002_82e0708f1ad714c4").meta  # keyed by file name
    assert runan.source == "融安县人民政府门户网站"
    assert runan.title == "2024年融安县教育工作要点"


def test_catalog_empty_string_clears_a_field(small_corpus: Path) -> None:
    write_catalog(small_corpus, '[documents."002_82e0708f1ad714c4"]\ncounty = ""\nissuer = ""\n')
    m = load_corpus(small_corpus).document("002_82e0708f1ad714c4").meta
    assert m.county is None
    assert m.issuer is None
    assert m.place == "柳州市"


def test_catalog_unknown_field_is_named(small_corpus: Path) -> None:
    write_catalog(small_corpus, '[documents."002_82e0708f1ad714c4"]\nauthour = "张三"\n')
    with pytest.raises(CatalogError) as info:
        load_corpus(small_corpus)
    assert "authour" in str(info.value)
    assert "catalog.toml" in str(info.value)


def test_catalog_entry_must_be_a_table(small_corpus: Path) -> None:
    write_catalog(small_corpus, '[documents]\n"002_82e0708f1ad714c4" = "融安"\n')
    with pytest.raises(CatalogError, match="002_82e0708f1ad714c4"):
        load_corpus(small_corpus)


def test_broken_toml_raises_catalog_error(small_corpus: Path) -> None:
    write_catalog(small_corpus, '[documents."002_82e0708f1ad714c4"\ntitle = "未闭合\n')
    with pytest.raises(CatalogError, match=r"catalog\.toml"):
        load_corpus(small_corpus)


def test_missing_catalog_is_empty(tmp_path: Path) -> None:
    assert load_catalog(tmp_path / "catalog.toml") == {}


def test_apply_catalog_keeps_title_when_cleared() -> None:
    meta = DocMeta(title="原标题", issuer="某局", year=2019)
    assert apply_catalog(meta, {"title": "", "year": 2020}) == DocMeta(
        title="原标题", issuer="某局", year=2020
    )
    assert apply_catalog(meta, None) is meta


# --------------------------------------------------------------------------- issue 11: sources, 落款, places


from qa.ingest.metadata import parse_date, signature  # noqa: E402
from qa.places import find_places  # noqa: E402


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2016-2-29 10:34:28", "2016-02-29"),
        ("2026年 4月 20 日", "2026-04-20"),
        ("二○一一年七月十八日", "2011-07-18"),
    ],
)
def test_parse_date_reads_every_spelling(text: str, date: str) -> None:
    assert parse_date(text) == date


def test_signature_is_an_organisation_over_a_date() -> None:
    lines = ["请认真贯彻执行。", "广州市白云区教育局", "2016年4月15日", "（联系科室：基础教育科）"]
    assert signature(lines) == ("广州市白云区教育局", "2016-04-15")
    assert signature(["2016年是关键之年。", "2016年4月15日"]) == (None, None)


def test_issuer_from_a_notice_title_and_its_source() -> None:
    found = find_meta(
        ["河南省人民政府办公厅转发省教育厅等部门关于做好升学考试工作实施意见的通知", "正文。"], {}, "x"
    )
    assert found.meta.issuer == "河南省人民政府办公厅" and found.sources["issuer"] == "标题行"
    assert found.meta.province == "河南省" and found.sources["province"] == "标题行"


def test_year_led_or_bare_bureau_is_no_issuer() -> None:
    found = find_meta(["2024年县教育局工作要点", "加强管理。"], {}, "x")
    assert found.meta.issuer is None


def test_a_short_name_inside_a_longer_name_is_no_place() -> None:
    assert find_places("凤凰岭县教育局") == []
    assert detect_place("凤凰岭县2024年教育工作要点", "", []) is None
    assert [m.surface for m in find_places("湘西凤凰县")] == ["凤凰县"]


def test_ambiguous_district_is_resolved_by_its_city() -> None:
    place = detect_place("广州市白云区2016年义务教育阶段学校招生工作意见", "", [])
    assert (place.name, place.city) == ("白云区", "广州市")


def test_an_exports_labelled_title_and_bureau_under_another_name() -> None:
    # a text export: its header labels the title; the breadcrumb's tail (…规划信息工作进展情况)
    # names a genre word too, but the labelled title wins
    lines = ["首页政务公开规划信息工作进展情况", "2022年，区社会事业局始终坚持以人民为中心。"]
    title = "平潭综合实验区社会事业局关于2022年法治工作情况暨2023年工作要点的报告"
    assert detect_title(lines, {"标题": title}) == title
    # 通告 is a 公文 genre; 社会事业局 holds education where there is no 教育局
    found = find_meta(
        ["平潭综合实验区社会事业局关于2023年招聘新任教师的通告", "拟公开招聘136名新教师。"], {}, "05"
    )
    assert found.meta.title == "平潭综合实验区社会事业局关于2023年招聘新任教师的通告"
    assert found.meta.issuer == "平潭综合实验区社会事业局"
    assert detect_issuer("绍兴市学生发展研究室2020年工作计划调整方案", {}, "", None) == "绍兴市学生发展研究室"


def test_a_signature_run_onto_one_line_gives_issuer_and_date() -> None:
    lines = [
        "福建师范大学平潭附属中学公开招聘教师方案",
        "本次招聘工作由学校组织实施。",
        "福建师范大学平潭附属中学 2024年2月7日",
    ]
    found = find_meta(lines, {}, "06")
    assert (found.meta.issuer, found.meta.date) == ("福建师范大学平潭附属中学", "2024-02-07")
    assert found.sources["date"] == "落款"


def test_a_joint_notice_names_its_lead_issuer_and_forwards_its_title_past_the_signature() -> None:
    # realdocs9's 四川 notice: fifteen issuers side by side over five lines, then the date, then the
    # title of the 办法 it forwards
    lines = [
        "川教发〔2026〕9号",
        "各市（州）教育主管部门、党委政法委、党委网信办、科技局、公安局、司法局、财政局、民政局、文化和旅游局、卫生健康委：",
        "现将《四川省加强未成年人不良行为教育管理办法》印发给你们，请结合实际抓好贯彻落实。",
        "四川省教育厅 中共四川省委政法委员会 中共四川省委网络安全和信息化委员会办公室",
        "四川省科技厅 四川省公安厅 四川省司法厅",
        "中国共产主义青年团四川省委员会 四川省妇女联合会 四川省关心下一代工作委员会",
        "2026年4月20日",
        "四川省加强未成年人不良行为教育管理办法",
        "第一章 总 则",
        "第一条 为进一步规范涉未成年人不良行为教育，制定本办法。",
    ]
    found = find_meta(lines, {}, "01_sichuan")
    assert found.meta.title == "四川省加强未成年人不良行为教育管理办法"
    assert (found.meta.issuer, found.meta.date) == ("四川省教育厅", "2026-04-20")
    assert found.sources["issuer"] == "落款"


def test_a_page_title_kept_outside_the_article_is_the_title_over_its_date_line():
    # realdocs23 #02: the page prints 关于举办…的通知 above 文章来源 / 发布时间, outside its article,
    # whose first line is only a heading; the title is that line, not the file name
    from qa.ingest.corpus import ingest_text

    outside = (
        "当前位置：首页 > 新闻中心> 学校公告> 信息处",
        "信息处",
        "关于举办全市第十届校园影视征集活动的通知",
        "文章来源：本站原创 作者：佚名 发布时间：2022年01月23日 点击数： 次",
        "上一篇：教师信息技术提升工程2.0分组名单",
    )
    raw = (
        "全市第十届校园影视征集活动\n各区、县（市）教体局，市直学校：\n"
        "为丰富校园文化生活，经研究，决定举办绍兴市第十届校园影视征集活动。\n"
        "一、参加对象\n全市中小学校及师生。\n绍兴市教育局办公室\n2022年1月20日\n"
    )
    doc, _ = ingest_text("d", "02_page.html", raw, outside=outside)
    assert doc.meta.title == "关于举办全市第十届校园影视征集活动的通知"
    # a line over the date line that is no title (a section label, 信息处) is not taken: the
    # article's own first line, standing alone above its addressees, names it
    doc, _ = ingest_text("d", "02_page.html", raw, outside=outside[:2] + outside[3:])
    assert doc.meta.title == "全市第十届校园影视征集活动"


@pytest.mark.parametrize(
    ("title", "issuer"),
    [
        # a repost's title quotes the forwarded document: its body issued it (realdocs20 #04,
        # realdocs22 #03, realdocs6 #07)
        ("转发《绍兴市教育局关于切实做好预防学生溺水事故的预警通知》", "绍兴市教育局"),
        (
            "转发“绍兴市教育科学规划领导小组办公室关于做好绍兴市教育科学2026年规划课题申报工作的通知”",
            "绍兴市教育科学规划领导小组办公室",
        ),
        ("转发《中共绍兴市教育局委员会2011年创先争优活动工作思路》", "中共绍兴市教育局委员会"),
        ("转发：浙江省教育厅办公室关于切实做好寒假期间学校安全卫生工作的通知", "浙江省教育厅办公室"),
    ],
)
def test_a_reposts_quoted_title_names_the_forwarded_documents_issuer(title, issuer):
    meta = detect_meta([title, "各县（市、区）教育局：", "一、加强安全教育。"], {}, "x")
    assert meta.issuer == issuer


def test_a_document_signed_only_by_its_seal_is_issued_by_the_office_of_its_print_line() -> None:
    # realdocs27 #03: the 落款 is a date alone (the seal named the issuer); the 版记 at the foot says
    # 绍兴市语言文字工作委员会办公室 2010年9月30日印发 — without it, the first place in the body (浙江省's
    # law it cites) was taken for the document's, and “绍兴 普通话 考点” found no 绍兴 document
    lines = [
        "关于2010年下半年市区窗口行业从业人员普通话培训与水平测试的通知",
        "根据《浙江省人民政府关于浙江省实施〈中华人民共和国国家通用语言文字法〉办法》等文件精神，现通知如下：",
        "一、培训地点：市文澜中学。",
        "二○一○年九月三十日",
        "主题词：普通话 培训测试 通知",
        "抄送：省语委办、各县（市、区）语委办。",
        "绍兴市语言文字工作委员会办公室 2010年9月30日印发",
    ]
    found = find_meta(lines, {}, "03")
    assert found.meta.issuer == "绍兴市语言文字工作委员会办公室" and found.sources["issuer"] == "版记"
    assert found.meta.place == "绍兴市"
    # a 落款 that names the issuer still comes first (the 版记 names only its office)
    signed = [*lines[:3], "绍兴市教育局", *lines[3:]]
    assert find_meta(signed, {}, "03").meta.issuer == "绍兴市教育局"


def test_a_regulation_is_issued_by_its_standing_committee_in_the_year_of_its_last_revision() -> None:
    # realdocs34 #01–#03: 实施办法 with their history under the title, no 落款
    lines = [
        "上海市实施《中华人民共和国义务教育法》办法",
        "1993年2月6日 上海市第九届人民代表大会常务委员会第四十一次会议通过",
        "2009年2月24日 上海市第十三届人民代表大会常务委员会第九次会议修订",
        "2024年9月27日 上海市第十六届人民代表大会常务委员会第十六次会议《关于修改〈…〉的决定》第二次修正）",
        "第一章 总 则",
        "第一条 为了保障适龄儿童、少年接受义务教育的权利，制定本办法。",
    ]
    assert legislated(lines) == ("上海市人民代表大会常务委员会", 2024)
    meta = find_meta(lines, {}, "x").meta
    assert (meta.issuer, meta.year) == ("上海市人民代表大会常务委员会", 2024)
    assert legislated(["某县教育工作要点", "一、总体要求"]) == (None, None)


def test_a_school_party_body_signs_and_a_spaced_year_counts() -> None:
    # realdocs34 #05 (复兴高级中学党总支 over “2007 年 12 月 7 日”), realdocs5 #07 (绍兴一中党委)
    lines = [
        "发展党员工作总结报告",
        "2007 年共发展 3 名学生党员。",
        "复兴高级中学党总支",
        "2007 年 12 月 7 日",
    ]
    meta = find_meta(lines, {}, "x").meta
    assert (meta.issuer, meta.year) == ("复兴高级中学党总支", 2007)


def test_a_regulation_named_after_an_institution_is_still_the_committees() -> None:
    # realdocs37 #03 广州市幼儿园条例: not issued by a “广州市幼儿园”; #01's history runs two steps into
    # one line (…修订根据2021年9月29日…第二次修正): its year is the later one
    lines = [
        "广州市幼儿园条例",
        "2020年11月27日 广州市第十五届人民代表大会常务委员会第四十三次会议通过",
        "2021年3月18日 广东省第十三届人民代表大会常务委员会第三十次会议批准）",
        "第一条 为了规范幼儿园的设置和管理，制定本条例。",
    ]
    assert find_meta(lines, {}, "x").meta.issuer == "广州市人民代表大会常务委员会"
    history = [
        "浙江省义务教育条例",
        "2009年11月27日 浙江省第十一届人民代表大会常务委员会第十四次会议修订根据2021年9月29日浙江省第十三届"
        "人民代表大会常务委员会第三十一次会议《关于修改〈…〉等七件地方性法规的决定》第二次修正",
        "第一条 为了保障适龄儿童、少年接受义务教育的权利，制定本条例。",
    ]
    assert legislated(history)[1] == 2021


def test_a_short_name_the_document_never_spells_out_is_no_evidence_of_its_place() -> None:
    # realdocs39: 新建、改建、扩建校舍 is no 南昌市新建区, 公安机关 no 荆州市公安县 — a national text
    # names neither place in full nor their cities
    body = "新建、改建、扩建校舍，应当符合卫生标准。" * 4 + "学校新建体育场地。"
    assert detect_place("学校卫生工作条例", body, []) is None
    # a county plan that spells its name once still counts its short name
    plan = "常州市金坛区教育局。" + "金坛全区学校推进改革。" * 4
    place = detect_place(None, plan, [])
    assert place is not None and place.name == "金坛区"


def test_a_letter_spaced_title_line_is_the_title() -> None:
    # realdocs38 #03: a school's .doc prints its title 教 学 常 规 管 理 制 度
    lines = ["教 学 常 规 管 理 制 度", "教学是学校的中心工作，是学校培养人才的基本途径。"]
    assert detect_title(lines, {}) == "教学常规管理制度"


@pytest.mark.parametrize(
    "history, issuer, year",
    [
        # realdocs39: State Council 条例 carry their history, no 落款 — the order names the issuer
        (
            ["2012年3月28日 国务院第197次常务会议通过", "2012年4月5日 中华人民共和国国务院令第617号公布"],
            "国务院",
            2012,
        ),
        (
            ["1990年4月25日 国务院批准", "1990年6月4日 国家教育委员会令第10号、卫生部令第1号发布"],
            "国家教育委员会、卫生部",
            1990,
        ),
        # realdocs40: a 条例 the State Council issued without an order; a law the congress passed
        (["1988年2月5日 国务院发布"], "国务院", 1988),
        (
            ["2024年4月26日 第十四届全国人民代表大会常务委员会第九次会议通过"],
            "全国人民代表大会常务委员会",
            2024,
        ),
    ],
)
def test_a_national_regulation_is_issued_by_the_body_that_passed_or_ordered_it(history, issuer, year) -> None:
    lines = ["学校卫生工作条例", *history, "第一条 为加强学校卫生工作，制定本条例。"]
    assert legislated(lines) == (issuer, year)


def test_a_law_is_titled_by_its_name_but_a_line_ending_in_a_method_is_no_law() -> None:
    lines = ["中华人民共和国学位法", "2024年4月26日 第十四届全国人民代表大会常务委员会第九次会议通过"]
    assert detect_title(lines, {}) == "中华人民共和国学位法"
    assert detect_title(["教学方法", "正文。"], {}) is None


def test_a_schools_own_rules_are_issued_by_the_school_their_title_names() -> None:
    # realdocs77 (温州市第五十一中学's handbook numbers each rule: （一）…), realdocs46–49 (广东工业大学),
    # realdocs53 (绍兴一中教育集团): rules printed without a 落款 name their school first
    rule = ["（二）温州市第五十一中学学生发展指数操作细则（修订）", "第一条 为规范学生行为，制定本细则。"]
    meta = find_meta(rule, {}, "x").meta
    assert (meta.title, meta.issuer) == (
        "温州市第五十一中学学生发展指数操作细则（修订）",
        "温州市第五十一中学",
    )
    assert (
        find_meta(["广东工业大学学生资助工作实施办法", "第一条 为做好资助工作。"], {}, "x").meta.issuer
        == "广东工业大学"
    )
    group = find_meta(["绍兴一中教育集团学生行为规范", "一、仪表。"], {}, "x").meta
    assert group.issuer == "绍兴一中教育集团"
    # schools of a kind, not one school: no issuer is invented
    for title in (
        "上海市中小学校学生伤害事故处理条例",
        "普通高等学校设置暂行条例",
        "九届二次教代会学校工作报告",
    ):
        assert find_meta([title, "第一条 为了保障学生安全。"], {}, "x").meta.issuer is None, title


@pytest.mark.parametrize(
    "cover, title",
    [
        # realdocs88: a slogan over the school, the event and the campus, then the book's name
        (
            [
                "逐梦强国新时代 跃动青春向未来",
                "福州八中2025年体育文化节",
                "第五十六届田径运动会",
                "（三江口校区）",
                "秩序册",
                "体育文化节组委会",
                "二○二五年九月",
            ],
            "福州八中2025年体育文化节第五十六届田径运动会（三江口校区）秩序册",
        ),
        # realdocs87: the date's label line between the event and the book's name
        (
            ["济南外国语学校高中部", "2018年秋季运动会", "时间：2018年10月10日", "秩序册"],
            "济南外国语学校高中部2018年秋季运动会秩序册",
        ),
        # realdocs82: the issuers and the month above the project's name
        (
            [
                "省级示范专业",
                "宿州市教育体育局",
                "2016 年 9 月",
                "安徽省中等职业教育质量提升工程项目建设",
                "任务书",
            ],
            "安徽省中等职业教育质量提升工程项目建设任务书",
        ),
    ],
)
def test_a_covers_lines_above_the_books_name_are_its_title(cover, title) -> None:
    found = find_meta([*cover, "一、竞赛日期和地点：2018年10月10日。"], {}, "01_file-name")
    assert found.meta.title == title
    assert found.sources["title"] == "封面"


def test_a_text_with_no_cover_keeps_its_file_name_rather_than_a_books_name_further_down() -> None:
    lines = [
        "一、竞赛日期和地点：",
        "日期：2018年10月10日",
        "地点：田径场",
        "二、参加单位：",
        "各班",
        "三、竞赛项目",
        "四、报名",
        "五、奖励",
        "秩序册",
    ]
    assert find_meta(lines, {}, "01_file-name").meta.title == "01_file-name"


def test_a_covers_slogan_heads_no_section() -> None:
    # realdocs88: the slogan opening the cover had headed every one of the booklet's 448 passages
    raw = "逐梦强国新时代 跃动青春向未来\n福州八中体育文化节\n秩序册\n一、运动会期间全校师生均应积极参加大会安排的活动。\n二、全体师生均要当好文明观众。\n"
    doc, passages = ingest_text("b", "b.pdf", raw)
    assert doc.meta.title == "福州八中体育文化节秩序册"
    assert all("逐梦强国新时代" not in " ".join(p.section) for p in passages)


# --------------------------------------------------------------------------- issue 12: covers, 落款 by the month, rules in force


def test_a_signature_dated_by_the_month_names_its_issuer() -> None:
    # realdocs47: 绍兴市第一中学 / 2013年5月 closes each of a school's four recommendation plans
    assert signature(["未尽事宜，由校长室酌情处理。", "绍兴市第一中学", "2013年5月"]) == (
        "绍兴市第一中学",
        None,
    )
    assert signature(["2013年5月"]) == (None, None)


def test_a_rule_without_a_dated_title_takes_the_year_it_was_adopted_or_takes_effect() -> None:
    # realdocs89: 本规定经2005年7月18日院长办公会议通过 (no year before); realdocs76: 本办法自2024年7月1日起施行
    body = [
        "重庆邮电大学学年学分制学籍管理规定（试行）",
        "第一条 为维护学校的正常教育教学秩序，特制订本规定。",
    ]
    adopted = [*body, "第五十一条 本规定经2005年7月18日院长办公会议通过，2005年9月1日开始实施。"]
    assert find_meta(adopted, {}, "x").meta.year == 2005
    assert find_meta([*body, "第十四条 本办法自2024年7月1日起施行。"], {}, "x").meta.year == 2024
    assert find_meta(body, {}, "x").meta.year is None


def test_a_schools_name_above_a_reports_title_is_its_issuer_not_a_site_column() -> None:
    # realdocs89: a Word report's cover, 重庆邮电大学 / 2013年本科教学质量报告 / 2014年10月 — the school's
    # name had been dropped as a site's column label, leaving the report without its school
    from qa.ingest.clean import clean

    lines = clean(
        "重庆邮电大学\n2013年本科教学质量报告\n2014年10月\n学校简介\n重庆邮电大学是教学研究型大学。\n"
    ).lines
    meta = find_meta(lines, {}, "x").meta
    assert (meta.title, meta.issuer, meta.year) == (
        "重庆邮电大学2013年本科教学质量报告",
        "重庆邮电大学",
        2013,
    )
    # a column label (历史规划) still goes
    assert (
        clean("历史规划\n柳城县教育局2019年教育工作计划\n一、总体要求\n").lines[0]
        == "柳城县教育局2019年教育工作计划"
    )


def test_a_bulleted_line_is_no_title() -> None:
    # realdocs89: * 教育部“卓越工程师教育培养计划”实施高校 — one of a report's list of honours — had
    # headed the whole report as a part title
    from qa.ingest.lines import is_standing_line, is_title_like

    for line in ("* 教育部“卓越工程师教育培养计划”实施高校", "※ 国际部学生培养方案", "• 学校工作计划"):
        assert not is_title_like(line) and not is_standing_line(line)
    assert is_title_like("教育部“卓越工程师教育培养计划”实施方案")
