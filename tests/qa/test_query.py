"""Unit tests of question understanding on hand-made documents."""

from __future__ import annotations

import pytest

from qa.query import analyze, sanitize
from qa.types import DocMeta, Document
from qa.vocab import Vocabulary, parse_rules

DOCS = [
    Document(
        "ra",
        "ra.txt",
        "融安县的防溺水工作。",
        DocMeta("2024年融安县教育工作要点", "融安县教育局", "广西壮族自治区", "柳州市", "融安县", 2024),
    ),
    Document(
        "lc",
        "lc.txt",
        "柳城县的安全工作。",
        DocMeta("柳城县教育局2019年教育工作计划", "柳城县教育局", "广西壮族自治区", "柳州市", "柳城县", 2019),
    ),
    Document(
        "lz",
        "lz.txt",
        "泸州市的大班额。南京师范大学。",
        DocMeta("泸州市2014年教育工作要点", "泸州市教育局", "四川省", "泸州市", None, 2014),
    ),
    Document("ms", "ms.txt", "某市的家校共育。", DocMeta("某市教育局2019年工作要点", "某市教育局")),
]
VOCAB = Vocabulary({"老师": ("教师",), "欺负": ("欺凌",)})


def test_place_short_and_full_names_restrict_documents():
    assert analyze("融安防溺水", DOCS, VOCAB).allowed_docs == {"ra"}
    assert analyze("融安县防溺水", DOCS, VOCAB).allowed_docs == {"ra"}
    assert analyze("柳州的学校安全", DOCS, VOCAB).allowed_docs == {"ra", "lc"}  # city covers both counties
    assert analyze("广西有哪些做法", DOCS, VOCAB).allowed_docs == {"ra", "lc"}
    assert analyze("学校安全", DOCS, VOCAB).allowed_docs is None


def test_place_name_is_removed_from_the_lexical_core():
    plan = analyze("融安县防溺水措施", DOCS, VOCAB)
    assert "融安" not in plan.core and "防溺水" in plan.core


def test_a_filler_inside_a_longer_word_stays_in_the_lexical_core():
    # R85a, R85b: 一下 of 一下子 is no filler there — dropping it left 子报, reported as a word no
    # document has; a question word inside a longer one (多少钱, 干什么) still goes
    assert analyze("孩子兴趣多，想一下子报四五个社团", DOCS, VOCAB).core.split() == [
        "孩子兴趣多",
        "想一下子报四五个社团",
    ]
    assert "一下" not in analyze("请问一下社团报名", DOCS, VOCAB).core
    assert "什么" not in analyze("不去的孩子那天干什么", DOCS, VOCAB).core


def test_uncovered_place_is_reported_unless_the_text_mentions_it():
    plan = analyze("鹿寨县防溺水", DOCS, VOCAB)
    assert plan.uncovered_places == ("鹿寨县",) and plan.allowed_docs is None
    assert analyze("南京师范大学招聘", DOCS, VOCAB).uncovered_places == ()


def test_anonymised_document_is_reachable_by_its_alias():
    assert analyze("某市的家校共育", DOCS, VOCAB).allowed_docs == {"ms"}


def test_quotes_intents_and_years():
    plan = analyze("“四不两直”原文怎么说", DOCS, VOCAB)
    assert plan.quoted == ("四不两直",) and plan.wants_wording
    assert analyze('哪个文件提出"县管校聘"', DOCS, VOCAB).wants_wording
    assert analyze("哪些文件提到控辍保学", DOCS, VOCAB).core == "控辍保学"
    assert analyze("2019年的工作重点", DOCS, VOCAB).years == (2019,)
    assert analyze("各地在校园安全方面有哪些措施", DOCS, VOCAB).multi
    assert analyze("还有吗", DOCS, VOCAB).wants_more


def test_vocabulary_expansion():
    plan = analyze("孩子被老师欺负了", DOCS, VOCAB)
    assert set(plan.expansions) == {("老师", "教师"), ("欺负", "欺凌")}


@pytest.mark.parametrize(
    ("question", "kept", "dropped"),
    [
        ("外国学生老是逃课怎么办", "逃课", "国学"),  # 外国|学生: 国学 runs across the joint
        ("扩大学前教育资源", "学前", "大学"),  # 扩大|学前教育
        ("学校门口来人要登记吗", "校门口", None),  # ends where 门口 ends: still in the question
    ],
)
def test_a_vocabulary_phrase_that_runs_across_two_words_is_not_in_the_question(question, kept, dropped):
    vocab = Vocabulary(
        {
            "逃课": ("旷课",),
            "国学": ("传统文化",),
            "学前": ("幼儿园",),
            "大学": ("高校",),
            "校门口": ("校园周边",),
        }
    )
    keys = {k for k, _ in analyze(question, DOCS, vocab).expansions}
    assert kept in keys
    assert dropped is None or dropped not in keys


def test_sanitize_drops_control_and_zero_width_characters_and_caps_length():
    assert sanitize("防\u200b溺\x00水\n措施") == ("防溺 水 措施", False)
    text, cut = sanitize("字" * 1000)
    assert cut and len(text) == 500


def test_parse_rules_reports_the_bad_line():
    import pytest

    from qa.vocab import VocabularyError

    assert parse_rules(["# c", "老师\t教师|老师", ""], "x") == {"老师": ("教师",)}
    with pytest.raises(VocabularyError, match="x:2"):
        parse_rules(["老师\t教师", "坏行没有制表符"], "x")


def test_vocabulary_matches_across_the_aspect_particle():
    v = Vocabulary({"喝酒开车": ("酒驾",)})
    assert v.expand("老师喝了酒开车怎么处理") == [("喝酒开车", "酒驾")]


def test_a_short_verb_object_phrase_matches_with_a_particle_after_its_verb():
    # 收过钱 / 收点钱 are 收钱 (R20a, R20b), 当过兵 is 当兵 (R15b), 开点会 is 开会 (fresh_m)
    v = Vocabulary({"收钱": ("有偿家教",), "当兵": ("退役军人",), "开会": ("会议",)})
    assert v.expand("以前在外面收过钱给学生补课") == [("收钱", "有偿家教")]
    assert v.expand("平时给学生补课收点钱") == [("收钱", "有偿家教")]
    assert v.expand("当过兵退伍回来的") == [("当兵", "退役军人")]
    assert v.expand("能不能少开点会") == [("开会", "会议")]
    # only right after the verb, and only those particles: 收钱 is not in 收费的钱, 开学会 is no 开会
    assert v.expand("收费的钱去哪了") == []
    assert v.expand("开学会不会晚") == []


def test_the_bundled_vocabulary_has_its_classes_of_everyday_words():
    # everyday words for what 招生 documents say (R6 sets: 大学/高校, 总分/总成绩, 上一年级/小学 …)
    from qa.vocab import load_vocabulary

    v = load_vocabulary()
    for question, official in [
        ("外地户口的娃能在这上学吗", "非本市户籍"),
        ("考大学要满足啥", "高校"),
        ("总分一样谁先挑", "总成绩"),
        ("娃得是哪天以前生的才能上一年级", "小学"),
        ("打疫苗的本子丢了", "预防接种"),
        # time units of speech (B, R6d, R8a, R8b: 一个钟头, 睡够几个钟头)
        ("娃在学校一天要锻炼一个钟头", "小时"),
        # devices (R8a, R8b: 抱着平板玩游戏, 玩手机平板): the documents say 电子产品
        ("孩子在家玩手机平板，一次玩多久", "电子产品"),
        # online is 在线 too (R9a, R9b: 网上申请 ↔ “在线申请”系统)
        ("学费奖补网上申请几号开始", "在线"),
        # misbehaviour and its handling, in the words of 预防未成年人犯罪法's list (R9a, R9b)
        ("偷偷抽烟喝酒，还三天两头不去上课", "旷课"),
        ("经常晚上不回家", "夜不归宿"),
        ("把犯错的娃关小黑屋", "限制人身自由"),
        ("这事会不会被捅出去", "泄露"),
        # workplaces by a branch's everyday name → the sector (R9a, R9b, R9d: 信用社, 供电所)
        ("毕业后去了乡里的信用社上班，能申请学费补助吗", "金融"),
        ("去了乡镇的供电所，也是国企", "电力"),
        # a school sending a child away (R34a 把孩子撵走, R34b 把娃领回去…赶人走 ↔ 劝退或者开除)
        ("学校能这样把孩子撵走吗", "劝退"),
        ("学校叫我们把娃领回去另找学校", "开除"),
        # a hand raised at a child (R34a 扇了一巴掌, R34b 动手打了学生 ↔ 殴打、体罚)
        ("老师扇了孩子一巴掌", "体罚"),
        ("老师要是动手打了学生", "殴打"),
        # …or between children (R62a 跟人动手打起来了, R62b 跟同学动手打起来了 ↔ 打架斗殴)
        ("学生在校外跟人动手打起来了", "斗殴"),
        # a spouse as people call them (R35a 他老婆, R35b 我屋头那个 ↔ 配偶在被督导单位就业)
        ("督学来查我们学校，可他老婆就在我们学校上班", "配偶"),
        ("我屋头那个在那所学校教书", "配偶"),
        # short names and the jab (R34a, R35b 家委会; R6g, R35b 打预防针的本本)
        ("杭州 幼儿园 家委会", "家长委员会"),
        ("报名那天打预防针的小本本要带上吗", "预防接种"),
        # medicine, a redone room, people hired but not yet on the job (R37a, R37b, each)
        ("幼儿园老师没跟我们说一声就给喂了药", "用药"),
        ("园子刚重新刷了墙铺了地板", "装修"),
        ("我们厂今年招了一批还没转正的新人", "准备录用"),
        # a tattoo as people write it (R36a, R36b, R36c: 纹身 ↔ the law's 文身服务)
        ("店家给小孩纹身不犯规矩吗", "文身"),
        # instruments by name (N48 弹琴拉二胡, R3a 电吉他 ↔ 乐器演奏比赛)
        ("初中娃会弹琴拉二胡的", "乐器"),
        ("孩子是弹电吉他的", "器乐"),
        # what falls short (R8e, R35a: 有啥短板 ↔ 不足)
        ("班主任这块有啥短板", "不足"),
        # answering a complaint (R12a, R34a, R34b: 给个回话 ↔ 予以答复)
        ("学校最晚多少天得给个回话", "答复"),
        # putting things off (R20a, R20b: 过几年再搞, 晚几年再搞 ↔ 延迟实施)
        ("艺术考试能不能过几年再搞", "延迟"),
        ("我们县条件差，能不能晚几年再搞", "推迟"),
        # losing a title (R19a, R19b, R20a: 会不会被拿掉 ↔ 终止 / 取消其…资格)
        ("评上以后要是搞得不好，中途会不会被拿掉？", "终止"),
        ("去做行政不上课了，会不会被拿掉", "取消"),
        # a body that cannot get to school, without the word 残疾 (N2, N9, N18, N26)
        ("娃腿脚不方便下不了床,老师能不能到家里来教", "送教上门"),
        ("孩子瘫在床上去不了学校", "残疾儿童"),
        # 评职称 is what documents call 晋升/申报…专业技术职务, 教师职务 (R8a, R8c, R8d, R22b)
        ("支教回来评职称有优待吗", "教师职务"),
        # play and the stage in plain words (N18, N28: 跑跑跳跳; N13, N25, N28: 唱戏)
        ("孩子在学校一天能跑跑跳跳活动多久", "体育活动"),
        # toilets, a name put down at the gate, a lesson others watch, a teacher at the door
        # (N23, N38, N50 茅房; N3a, N41, N50 登个名字; N13, N25 上台讲一堂课; N20, N25 上门到学生家里)
        ("学校的茅房又脏又破,有没有打算翻修", "厕所改造"),
        ("外面的人想进学校,要不要在门口登个名字?", "来访登记"),
        ("还得每年上台讲一堂课给全校老师听吗", "汇报课"),
        ("老师会不会上门到学生家里走走看看", "家访"),
        # the police, the courts, a child's aids, a helper beside a child (R9d, N23; R28a, R28b)
        ("派出所说我们当爹妈的也得去上课", "公安机关"),
        ("助听器、轮椅这些东西，学校能帮孩子配吗", "辅助器具"),
        ("能不能安排个人在旁边陪着", "陪读"),
        # taking in students, caring (R14a, R14b 没招过新生; R6g, N44 关心)
        ("有个专业好些年没招过新生了", "招生"),
        ("党员老师多关心学生", "关爱"),
        # a teacher's certificate, relatives (R34a, R41a: 考初中老师证; R41a: 校长的亲戚 ↔ 近亲属)
        ("没念过师范的大学生想考初中老师证", "教师资格"),
        ("来检查的人正好是我们校长的亲戚", "近亲属"),
        # a stomach bug, a stand-in at an exam (R42a, R42b: 上吐下泻 ↔ 食物中毒; R40b, R42a, R42b: 替考 ↔ 代考)
        ("幼儿园好几个孩子吃完午饭上吐下泻", "食物中毒"),
        ("自考的时候找人替考被抓住了", "代考"),
        # surveillance as people say it (R38a, R38b: 监控录像 ↔ 深圳's and 广州's 视频图像)
        ("深圳 幼儿园 监控录像", "视频图像"),
        ("幼儿园装的摄像头拍的东西留多久", "视频图像"),
        # a beating in everyday words (R34a, R34b)
        ("班上那个男生被老师揍了", "体罚"),
        ("学校会不会请唱戏的来给娃们演一演", "戏曲进校园"),
    ]:
        assert official in {o for _, o in v.expand(question)}, question


def test_a_phrase_matches_with_words_slipped_into_it_but_not_across_a_clause():
    # speech adds 都 / 地 inside the phrase a rule names (N1, N2, N4a, N6: 爸妈都在外地打工)
    v = Vocabulary({"爸妈在外打工": ("留守儿童",), "老师": ("教师",)})
    assert ("爸妈在外打工", "留守儿童") in v.expand("爸妈都在外地打工,娃跟着爷爷奶奶")
    # at most one character at a joint and two in all; never across punctuation; short keys exact
    assert v.expand("爸妈都在外地出去打工") == []
    assert v.expand("爸妈在外，打工") == []
    assert v.expand("老的师傅") == []


# --------------------------------------------------------------------------- analyze's document maps


def reference_restrictions(question: str, documents: list[Document]) -> tuple:
    """What analyze did before its maps: loop over every document per question."""
    from qa.places import find_places
    from qa.query import covers, doc_aliases

    q, _ = sanitize(question)
    allowed, places, uncovered = set(), [], []
    corpus_text = "\n".join(d.text for d in documents)
    for mention in find_places(q):
        docs = {d.doc_id for d in documents for p in mention.candidates if covers(d, p.name)}
        if docs:
            allowed |= docs
            places.append(mention.surface)
        elif mention.surface not in corpus_text:
            uncovered.append(mention.surface)
    for d in documents:
        if any(a in q for a in doc_aliases(d)):
            allowed.add(d.doc_id)
    return (frozenset(allowed) or None), tuple(places), tuple(dict.fromkeys(uncovered))


def test_document_maps_give_what_the_loop_over_documents_gave(corpus):
    import json
    from pathlib import Path

    bench = Path(__file__).resolve().parents[2] / "bench" / "questions"
    questions = [
        json.loads(line)["question"]
        for name in ("devset.jsonl", "heldout.jsonl")
        for line in (bench / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    questions += [
        "鹿寨县今年教育工作重点",
        "某市和泸州的家校共育",
        "金坛区教育局 柳城县教育局",
        "南京的学校",
        "江苏省",
    ]
    for docs in (corpus.documents, DOCS):
        for q in questions:
            plan = analyze(q, docs, VOCAB)
            assert (plan.allowed_docs, plan.places, plan.uncovered_places) == reference_restrictions(
                q, docs
            ), q


def test_document_maps_are_made_once_per_document_list():
    from qa.query import document_names

    names = document_names(DOCS)
    assert document_names(DOCS) is names
    assert names.covering["柳州市"] == {"ra", "lc"} and names.aliases["某市"] == {"ms"}
    other = list(DOCS)  # an equal but different list (another index): its own maps
    assert document_names(other) is not names
    assert names.in_text("南京") and not names.in_text("鹿寨县")


def test_bare_place_name_used_as_an_ordinary_word_is_no_place():
    from qa.relevance import WordCutter

    tag = WordCutter().tag
    plan = analyze("某市有没有说不许老师拖堂延长上课时间的", DOCS, VOCAB, tagger=tag)
    assert plan.uncovered_places == ()
    # a name with its suffix stays a place
    plan = analyze("延长县的教育工作", DOCS, VOCAB, tagger=tag)
    assert plan.uncovered_places == ("延长县",)
    # a bare name after 个/的/里 … names a thing somewhere (R5b, R7b: 校内那个小店), not the district
    plan = analyze("学校里头小店卖的零食乱七八糟，有没有人管？", DOCS, VOCAB, tagger=tag)
    assert plan.uncovered_places == ()
    assert analyze("太原小店今年招生", DOCS, VOCAB, tagger=tag).uncovered_places == ("太原", "小店")
    # 上高二: the segmenter reads 上 / 高 / 二, no name — the grade, not the county 上高 (R58b, R59b)
    assert (
        analyze(
            "我家娃上高二，寒假去单位体验上班那个是不是一定得做？", DOCS, VOCAB, tagger=tag
        ).uncovered_places
        == ()
    )
    assert analyze("上高县的学校有没有党课", DOCS, VOCAB, tagger=tag).uncovered_places == ("上高县",)
    assert analyze("鹿寨防溺水", DOCS, VOCAB, tagger=tag).uncovered_places == ("鹿寨",)


def test_a_place_someone_went_away_to_for_work_is_the_askers_story():
    # 跑去广东进厂, 去武汉抗疫 (N19, N25, N29, R17a): where someone went, not what is asked about
    plan = analyze("隔壁屋的崽初二就不读了,跑去广东进厂,学校会不会上门喊他回来读书", DOCS, VOCAB)
    assert plan.uncovered_places == ()
    assert analyze("我前年去武汉抗疫过，孩子今年升初一能照顾一下吗", DOCS, VOCAB).uncovered_places == ()
    # named as where the question holds, the place stays: 在广东 …, 去广东上学
    assert analyze("爸妈去广东打工，娃在广东上学要啥材料", DOCS, VOCAB).uncovered_places == ("广东",)
    assert analyze("想让娃去广东上学", DOCS, VOCAB).uncovered_places == ("广东",)
    # 在广东打工 with the child left at home (N55, R47b) is the asker's story too, and no word to find
    plan = analyze("村里好多娃爸妈都在广东打工,跟着爷爷奶奶过,学校有没有老师照看?", DOCS, VOCAB)
    assert plan.uncovered_places == () and "广东" not in plan.core
    # …but where the family lives and the child goes to school, it is the place asked about
    assert analyze("在杭州打工，孩子进了公办学校，学校会不会另外多要钱？", DOCS, VOCAB).uncovered_places == (
        "杭州",
    )


def test_question_carries_both_spellings_of_its_quantities():
    plan = analyze("融安五十多岁的老教师", DOCS, VOCAB)
    assert ("五十", "50") in plan.expansions
    assert not [p for p in analyze("“四不两直”", DOCS, VOCAB).expansions if p[0] == "四"]


def test_quoted_phrase_with_a_source_question_wants_wording():
    assert analyze("“护校安园维稳行动”是哪个县的教育计划里提出的？", DOCS, VOCAB).wants_wording
    assert not analyze("“双减”以后学校的课后作业应该怎样布置才算合理", DOCS, VOCAB).wants_wording


@pytest.mark.parametrize(
    "question, meta",
    [
        # what kind of phrase is asked for: documents quote it without calling it so
        # (R14a, R23b 主题口号原文; N12, N5 口号原话; N50 原文叫哪几个名字; N3b 一字不差)
        ("今年职教活动周的主题口号原文是哪八个字？", "口号"),
        ("融安今年搞的那几个“年”活动,原文叫哪几个名字?", "名字"),
        ("那个“干好干坏……”的标语,原文一字不差是怎么写的", "一字不差"),
    ],
)
def test_a_wording_question_looks_for_the_phrase_not_for_what_the_asker_calls_it(question, meta):
    plan = analyze(question, DOCS, VOCAB)
    assert plan.wants_wording
    assert meta not in plan.core


def test_a_name_in_an_ordinary_question_is_still_looked_for():
    assert "名字" in analyze("外面的人进学校要不要登个名字", DOCS, VOCAB).core


def test_count_question_keeps_the_measure_word_off_the_noun():
    assert "名 新教师" in analyze("某市今年计划补充多少名新教师", DOCS, VOCAB).core


def test_a_provinces_document_holds_for_its_cities_but_says_nothing_of_them_itself():
    henan = Document(
        "hn",
        "hn.txt",
        "随迁子女在当地参加中考。",
        DocMeta("河南省随迁子女升学考试意见", None, "河南省", None, None, 2012),
    )
    docs = [*DOCS, henan]
    zz = analyze("在郑州打工，娃能在郑州考高中吗", docs, VOCAB)
    assert zz.allowed_docs == frozenset({"hn"}) and not zz.uncovered_places
    assert zz.wider_places == (("郑州", "河南省"),)
    # a place with documents of its own keeps to them; 泸州's plan is no province's
    lz = analyze("泸州学校安全", docs, VOCAB)
    assert lz.allowed_docs == frozenset({"lz"}) and lz.wider_places == ()
    # a city in a province no document covers is still uncovered
    assert analyze("洛阳学校安全", DOCS, VOCAB).uncovered_places == ("洛阳",)


def test_a_document_whose_place_is_unknown_stays_in_reach_when_its_text_names_the_place():
    # a school's 章程 whose title names no place (R4): excluded from “绍兴一中…” only because its
    # place could not be read; it stays when its body names the place, not otherwise
    school = Document("zc", "zc.txt", "本章程适用于绍兴市第一中学。融安", DocMeta("学校章程"))
    docs = [*DOCS, school]
    assert analyze("融安防溺水", docs, VOCAB).allowed_docs == {"ra", "zc"}
    assert analyze("柳城县安全", docs, VOCAB).allowed_docs == {"lc"}
    assert analyze("学校安全", docs, VOCAB).allowed_docs is None


def test_everyday_abbreviations_reach_the_documents_words_and_linking_adverbs_are_no_topic():
    # 社保 for 社会保险 (R1, R2, R4a, R4b); “交够多久孩子才能上学”: 才能 only links the clauses
    from qa.relevance import content_words
    from qa.vocab import load_vocabulary

    vocab = load_vocabulary()
    plan = analyze("社保得交够多久孩子才能上学", DOCS, vocab)
    assert ("社保", "社会保险") in plan.expansions
    assert "才能" not in content_words(["社保", "才能", "上学"])


@pytest.mark.parametrize(
    ("question", "official"),
    [
        ("想让他把初二再念一遍，行不行？", "留级"),
        ("身子骨弱，想让他晚一年再上一年级", "缓学"),
        ("军训站在太阳底下，有娃热晕过去了", "中暑"),
        ("这几个文件各自从啥时候开始执行", "施行"),
        ("那个办法管几年", "有效期"),
        ("当过兵退伍回来的，能不能去学校当老师", "退役军人"),
        ("夏天娃爱偷偷跑去河里洗澡，有没有啥新法子防着出事", "防溺水"),
        ("有没有好老师义务给娃辅导功课的活动", "导学"),
        ("娃的功课老是跟不上怎么办", "作业"),
        # stopping school for illness, the gate's room, the school's wall (R77a, R77b; R74b, N94)
        ("孩子想先停学一年，要怎么办", "休学"),
        ("娃身体不好想在家养病，最长能停多久", "休学"),
        ("东西直接放在门卫那儿可以吗", "传达室"),
        ("学校院墙又矮又破，县里说没说要修", "围墙"),
        # a student renting a room off campus (R96a–c, R97a–c: 私自在外住宿者 may not be elected)
        ("在校外租房子住的同学还能评三好吗", "在外住宿"),
        ("大学生能不能自己在外面租房", "校外住宿"),
    ],
)
def test_the_bundled_vocabulary_maps_classes_of_everyday_words(question, official):
    # 学籍 changes and the body in heat, as parents say them (R10a, R10b, R4a); when a document
    # takes effect and for how long (R9a–R9d, R13a, R14b); back from the army (R11a, R15a, R15b);
    # water where children go in summer (N3a, N3b, N4b, N5, N23); help with schoolwork (N20, N66)
    from qa.vocab import load_vocabulary

    assert official in [o for _, o in load_vocabulary().expand(question)]


def test_a_regulation_named_by_its_short_title_restricts_to_it_and_a_longer_title_is_not_it() -> None:
    # R40a, R40b: 学位法哪天开始实行 — the 学位法's own 施行 article, not the 教育法's
    docs = [
        Document(
            "xw",
            "xw.md",
            "第四十五条 本法自2025年1月1日起施行。",
            DocMeta("中华人民共和国学位法", "全国人民代表大会常务委员会", None, None, None, 2024),
        ),
        Document(
            "jy",
            "jy.md",
            "第八十六条 本法自1995年9月1日起施行。",
            DocMeta("中华人民共和国教育法", "全国人民代表大会", None, None, None, 2021),
        ),
        Document(
            "zy",
            "zy.md",
            "第三十二条 本办法自1997年10月1日起施行。",
            DocMeta("北京市实施《中华人民共和国职业教育法》办法", None, "北京市", None, None, 1997),
        ),
    ]
    assert analyze("新的学位法哪天开始实行", docs, VOCAB).allowed_docs == frozenset({"xw"})
    # 教育法 inside 职业教育法 names the 办法 (by its place), not the 教育法
    plan = analyze("职业教育法的办法哪年施行", docs, VOCAB)
    assert "jy" not in (plan.allowed_docs or frozenset())
