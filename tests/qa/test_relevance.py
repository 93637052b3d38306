"""Unit tests for qa.relevance: what makes the documents answer a question at all."""

from __future__ import annotations

import pytest

from qa.relevance import (
    WordCutter,
    asked_value,
    bare_word,
    content_words,
    everyday_words,
    split_counts,
    splits_into_known,
    states_value,
    value_sentences,
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("公办幼儿园保育费一个月收多少钱", "money"),
        ("聘用制教师工资待遇是多少", "money"),
        ("课后延时服务费是多少", "money"),
        ("教师多少岁退休", "age"),
        ("教师退休年龄是多少", "age"),
        ("县管校聘要求多少比例的教师跨校交流", "ratio"),
        ("初中每天书面作业不能超过多少分钟", "duration"),
        ("党组多久开展一次专题学习", "duration"),
        ("高考志愿啥时候填报", "time"),
        ("中考体育测试在几月", "time"),
        ("泸州今年新建改扩建多少所中小学", "count"),
        ("评中级职称要发几篇论文", "count"),
        # people are counted in 名 / 人 / 位 (R11a, R34c, R38a, R40a, N36 …: 一个班最多收多少个孩子)
        ("某市今年打算进多少个新老师", "people"),
        ("一个班最多能收多少个娃", "people"),
        # 几个 after a verb that counts asks like 多少个 (R36a, R40b, R43a, R7c, N5)
        ("每个学校最少得配几个人?", "people"),
        ("广工每年评国家奖学金，本科生一共有几个名额？", "number"),
        # lessons are counted in 节 (R38b, R44a, R9d: 一周要上多少节课, 体育课每周必须开几节)
        ("初中体育课每周必须开几节？", "count"),
        ("柳城义务教育巩固率要达到多少", "number"),
        ("金坛心理辅导网上预约打哪个电话", "phone"),
        # the number is what is asked, before a money noun near 多少 (R6f: 收费补课的电话是多少)
        ("绍兴教育局举报老师收费补课的电话是多少", "phone"),
        # a money noun in the clause makes a bare 多少 ask for money (N2, R1, R2)
        ("天河区公办幼儿园一个月保育费大概多少", "money"),
        ("一个月班主任津贴到底有多少", "money"),
        ("住校的娃一年能领多少生活补助", "money"),
        ("公用经费每年按多少比例涨", "ratio"),
        # rent and pay are money nouns too (N7: 周转房…房租一个月多少)
        ("乡下老师周转房怎么申请,房租一个月多少?", "money"),
        ("代课老师报酬一个月多少", "money"),
        # student aid is money too (R9c: 一年能领多少国家助学金)
        ("民办高校的贫困生一年能领多少国家助学金", "money"),
        ("补助多少名学生", "count"),
        # a score is asked by 多少分 / 几分, not by 多少分钟 (N6, R1–R6)
        ("2016年高考一本线划了多少分", "score"),
        ("烈士的孩子考高中能加几分", "score"),
        ("作业不超过多少分钟", "duration"),
        ("男生1000米跑几分几秒能拿满分", "duration"),
        # 多长 asks how long, as 多长时间 does (R9b, R9c: 节目有多长)
        ("开学第一课那期节目有多长", "duration"),
        # a score noun before a bare 多少 asks for a score, as a money noun asks for money
        ("柳城县2019年中考录取分数线是多少？", "score"),
        ("成都中考升学成绩满分是多少", "score"),
        # 几点 asks for a clock time (N3a, N4a, R2b, R4a, R4b, R5b); 几点要求 for items
        ("一中住宿的孩子晚上自习几点下课？", "clock"),
        ("学校安全工作有几点要求", "number"),
        # 百分之多少 asks for a share, like 百分之几 (R6a, R6b)
        ("一段率要提到百分之多少", "ratio"),
        # after a money noun too: 学费里拿出至少百分之几 asks for a share of it (R9d), as 比例 does
        ("民办高校要从学费里拿出至少百分之几来奖励资助学生", "ratio"),
        # 几倍 asks for a multiple, even after a money noun (N4a, N8, R16b: 保教费…按公办园的几倍收)
        ("保教费最多能按公办园的几倍收", "multiple"),
        ("残疾娃的公用经费按普通娃的几倍补", "multiple"),
        # 有几 of a clause asking nothing still counts when no negation says "some … did not"
        ("全县一共有几所学校，分别在哪", "count"),
        # 几级 / 几等 ask for a level (R17b: 双师型 分几级; R19a: 普通话要考到几级几等)
        ("双师型 分几级", "level"),
        ("普通话要考到几级几等", "level"),
        # 几年 / 多少年 ask for years (R45a, R45b, R56a, R59a, R59b, R75a; the N sets' 校车 驾龄)
        ("要在二级岗位上干满几年", "duration"),
        # 第几 asks for an ordinal (R24a: 第几组; R6g, R3b: 排第几)
        ("去上虞区督查招生的是第几组，组长叫啥？", "ordinal"),
        ("家长满意度想排到第几？", "ordinal"),
    ],
)
def test_asked_value_kinds(question, kind):
    ask = asked_value(question)
    assert ask is not None
    assert ask.kind == kind
    assert ask.label  # every kind has a word for the message


@pytest.mark.parametrize(
    "question",
    [
        # 有几 in a clause saying what did not happen, before the clause that asks (R16a, R16b, N-sets)
        "娃小时候有几针疫苗没打，上幼儿园前得去哪儿补？",
        "村里有几个娃初中没读完就跟人出去打工了,县里有没有专门抽一个月去把他们劝回来?",
        # a yes-no clause asks whether, wherever its value words stand (R9d, R12b, R19a)
        "给学校食堂供米面油，几家公司能不能凑到一起去投？",
        "特岗干满三年能不能留下来？前面几年工龄还算不算？",
        # a clause that ends in 不 asks whether (N40, R6f, R31a, R31b)
        "孩子他爸去年下河救人评上了见义勇为，孩子中考能多加几分不？",
        "放寒假暑假家里没人看娃，学校能帮着带几天不",
    ],
)
def test_some_that_did_not_happen_asks_no_number(question):
    assert asked_value(question) is None


@pytest.mark.parametrize(
    "question",
    [
        "融安县防溺水措施",
        "老师不够怎么办",
        "泸州要求老师练哪几样上课的本事",
        "普惠性民办幼儿园几个文件分别怎么说",
        # a yes-no question around the value words asks whether, not how many (N1, R1)
        "教研室的人要不要下到学校自己带几节课",
        "幼儿园是不是要交多少钱",
        # 几 that says "several" asks for nothing
        "我们两口子在福州仓山打工好几年了，今年给娃报了公办小学",
        "全校就几十个娃两个老师,公用钱连电费都不够",
        # 这几年 / 那几天 / 前几年 point at some years or days, they ask for no number (N2–N6, R2, R4)
        "这几年生二胎的多,县城小学一年级报名挤破头,融安打算咋整?",
        "孩子考上大学了，可开学那几天生病去不了，能晚点去报到吗？",
        "绍兴一中对老师在外面收钱补课前几年和现在分别有什么要求",
        # a hotline or a phone call mentioned is no number asked for (R6e, N3a)
        "有家长打热线问：娃打疫苗的那个小本本找不到了，上小学报名是不是就报不上了？",
        "局里会不会打电话到家里,问问我们当家长的对学校啥看法?",
        # 万一哪天 supposes a day, it asks for none (R5a, R5b)
        "万一哪天一中基金会不办了，账上剩下的钱归谁？",
        # 那几条 points at some items, it asks for no amount of the 收费 named before it (R9a, R9b)
        "民办高校代收费、服务性收费要遵守的那几条原则，原文怎么写的",
        # 哪几 asks which ones — schools, items, days — not how many (R6f, R9e, R17a, R17b)
        "外地来打工的，孩子初中能安排到哪几所？",
        "成都中考 体育 考哪几项",
        "民办高校代收费、服务性收费要遵循哪几条原则？",
    ],
)
def test_questions_that_ask_for_no_value(question):
    assert asked_value(question) is None


@pytest.mark.parametrize(
    ("question", "sentence", "states"),
    [
        ("补助了多少钱", "2019年已补助资金1400万元", True),
        ("补助了多少钱", "11月 · 下半年奖励性绩效工资测算工作", False),
        ("多少岁退休", "抓好离退休干部工作", False),
        ("多少岁退休", "男教师60周岁退休", True),
        ("比例多少", "省优质园比例达84%", True),
        ("比例多少", "省优质园比例进一步提高", False),
        ("在几月", "组织中考体育测试工作(4月至5月)", True),
        ("啥时候填报", "做好高考报名工作", False),
        ("多少所", "全年新建中小学校9所", True),
        ("多少所", "新增85个教学班", False),
        ("多久一次", "党组每月至少开展1次专题学习", True),
        # a year or a date is no amount
        ("资金多少", "2019年起全区实施", False),
        ("资金多少", "11月 · 做好2019普通高考的报名", False),
        ("资金多少", "发放教育救助资金720.79万元", True),
        ("打哪个电话", "预约电话0519-82821234", True),
        ("打哪个电话", "4名心理咨询师和19名心理辅导员", False),
        # years, a:b ratios and Chinese-numeral counts are values too (R3a, R3b; 满3年 in R1/R2)
        ("有效期几年", "本实施办法自印发之日起实施，有效期5年", True),
        ("休学最长能休多久", "休学期限原则上为1年", True),
        # a measure word may stand before the unit (R9a, R9b: 不超过一个学期)
        ("最长能待多久", "期限（原则上不超过一个学期）", True),
        ("电脑派位比例", "2016年电脑派位和自主招生比例为2︰8", True),
        ("最多报几所", "每一位小学毕业生原则上限报三所", True),
        ("一年办几回", "每年举办一届体育节、艺术节、科技节。", True),
        ("一年办几回", "实施九年义务教育特岗计划", False),
        ("一年办几回", "第三届全国学生运动会", False),
        # an allowance is stated in 元, not by any number near the word
        ("班主任津贴到底有多少", "享受国务院政府特殊津贴专家，2位", False),
        ("班主任津贴到底有多少", "班主任津贴每月300元", True),
        # a score is a number of 分; a plan's "50条" or a time in 分钟 is none
        ("录取线多少分", "对烈士子女加10分投档", True),
        ("录取线多少分", "对标“普高提质50条”", False),
        ("能加几分", "每场考试时间为120分钟", False),
        ("一段率要提到百分之多少", "对标“普高提质50条”中的学校23条工作", False),
        ("一段率要提到百分之多少", "一段率达到百分之四十", True),
        # a clock time is 21:30, 22点, 七点半 — not 重点, 早一点 or 3小时
        ("几点下课", "晚自修至21:30结束", True),
        ("几点下课", "22点前熄灯", True),
        ("几点下课", "七点半到校", True),
        ("几点下课", "抓好重点工作，早一点部署", False),
        ("几点下课", "每天锻炼1小时", False),
        # a document number (文号) 〔2023〕14号 is no day; 15号 is
        ("几月几号报名", "按照《通知》（陕教基一办〔2023〕14号）要求", False),
        ("几月几号报名", "报名时间为7月15号", True),
        # 哪天 / 几号 ask for a day: 寒假 or 秋季 states none (N13, N25, N26, R8b, R8c, R17a, R17b)
        ("寒假哪天开始放", "寒假期间加强学生安全教育", False),
        ("寒假哪天开始放", "1月20日开始放寒假", True),
        ("几号开学", "秋季学期开学工作", False),
        ("是从几号到几号", "意见征集时间为3.10至3.20", True),
        # a level is stated as a level (三级, 二级乙等), a level says nothing of years
        ("分几级", "评聘层次分为初级、中级、高级三级。", True),
        ("要考到几级几等", "应达到普通话水平测试二级乙等或以上标准", True),
        ("分几级", "每年举办一届体育节", False),
        # an ordinal is stated as 第三组, 全省第三, 前三 — not by a count (R24a, R6g, R3b)
        ("是第几组", "第三组：组长：石鑫炯", True),
        ("想排到第几", "家长满意率进市直学校前三", True),
        ("是第几组", "各组由三名督学组成", False),
        ("要在二级岗位上干满几年", "从二级岗位晋升一级岗位", False),
        # a verb that takes part of a sum (发, 退, 拿出, 涨) is answered by a share too (R5a, R5b,
        # R9b, R9c); 收多少 and 多少钱 ask for a sum
        ("待岗期间工资还发多少", "只发放基本工资和不超过50%的基础性绩效工资", True),
        ("要从学费里拿出多少来发奖学金", "在学费收入中提取不少于5%的资金", True),
        ("保育费一学期收多少", "保育费上涨幅度不超过10%", False),
        ("助学金一年能拿多少钱", "资助面不低于20%", False),
    ],
)
def test_states_value(question, sentence, states):
    ask = asked_value(question)
    assert ask is not None
    assert states_value(sentence, ask) is states


def test_value_sentences_keeps_only_the_sentences_that_state_one():
    ask = asked_value("补助了多少钱")
    assert ask is not None
    text = "设立小规模学校补助专项,2019年已补助资金1400万元。2019年起实施;做好资助工作。"
    assert value_sentences(text, ask) == ["设立小规模学校补助专项,2019年已补助资金1400万元"]


def test_a_value_sentence_carries_the_clause_that_says_what_the_value_is_for():
    # realdocs72's 部门预算说明 (R72a, R72b): the amount, then 主要用于… — what the question names
    ask = asked_value("学校买设备、添教学设施的钱2016年安排了多少")
    assert ask is not None
    text = "（五）教育费附加安排的支出2800万元。主要用于下属学校的教育设备、设施的支出。（六）其他支出5万元。"
    assert value_sentences(text, ask) == [
        "（五）教育费附加安排的支出2800万元。主要用于下属学校的教育设备、设施的支出",
        "（六）其他支出5万元",
    ]
    # any other sentence after it stays its own: 2019年起实施 says nothing of what 1400万元 is for
    text = "已补助资金1400万元。2019年起实施。"
    assert value_sentences(text, asked_value("补助了多少钱")) == ["已补助资金1400万元"]


def test_counts_and_fillers_are_not_content_words():
    assert content_words(["一个", "孩子", "每年", "两次", "的", "怎么办", "残疾", "x"]) == ["孩子", "残疾"]


def test_compounds_of_known_words_are_known():
    corpus = {"幼儿园", "学校", "成绩"}
    assert splits_into_known("学校成绩", corpus.__contains__)
    assert not splits_into_known("保育费", corpus.__contains__)


def test_function_words_and_glued_characters_are_no_content():
    # 私下 / 以后 say how the question is asked; 校聘要 is 校聘 with 要 glued on by the segmenter
    assert content_words(["私下", "以后"]) == []
    assert bare_word("校聘要") == "校聘"
    assert content_words(["公积金"]) == ["公积金"]
    # "this matter" points back at what the question told; it names no topic (N22, N26, R18)
    assert content_words(["开车", "这事", "这种事", "回事"]) == ["开车"]
    # directional complements and frames (R10a 军训期间…点几次名, R10b 转学过来…转进去): no topic
    assert content_words(["军训", "期间", "转学", "过来", "进去", "查出来"]) == ["军训", "转学", "查出来"]


@pytest.fixture(scope="module")
def cutter():
    return WordCutter()


@pytest.mark.parametrize(
    ("word", "text", "occurs"),
    [
        ("校服", "开设学校服装设计课程", False),  # 学校 / 服装: the characters only meet
        ("校服", "统一校服采购", True),
        ("控辍保学", "强化控辍保学工作", True),  # finer words inside are fine
        ("退休", "抓好离退休干部工作", True),  # a compound that holds it is fine
        ("防溺水", "守牢防溺水、防欺凌等底线", True),
        ("校服", "没有这个词", False),
    ],
)
def test_occurs_as_word(cutter, word, text, occurs):
    assert cutter.occurs_as_word(word, text) is occurs


# --- everyday words and topics -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "unknown", "everyday"),
    [
        ("某市小学放学后家长下班晚接不了孩子,学校帮忙看着吗", ["下班", "帮忙"], ["下班", "帮忙"]),
        ("某市放学以后爸妈还没来接的小学生谁照看", ["照看"], ["照看"]),
        # a verb qualifying the verbal noun after it names the topic
        ("学生近视防控有什么措施", ["近视"], []),
        # a clause-final verb after a noun names an activity
        ("高三学生高考志愿填报 专门的指导", ["填报"], []),
        ("学生校服怎么采购", ["校服"], []),
        # a suffix makes a noun of the verb before it: 近视率 is a topic (N3b, R12a, R15a)
        ("平潭中小学生近视率要控制在多少以内", ["近视"], []),
    ],
)
def test_everyday_words(cutter, question, unknown, everyday):
    assert everyday_words(unknown, cutter.tag(question), question) == everyday


def test_split_counts_keeps_the_measure_word_off_the_noun(cutter):
    assert "名新" not in cutter(split_counts("今年计划补充多少名新教师"))


@pytest.mark.parametrize("word", ["够不够", "一堂课", "一节"])
def test_yes_no_forms_and_counted_phrases_are_no_topics(word):
    assert len(bare_word(word)) < 2  # 够不够 → 够, 一堂课 → 课: nothing left to be a topic


def test_count_question_accepts_a_measure_word_for_the_same_things():
    ask = asked_value("大概有几位咨询师在做这个")
    assert states_value("4名心理咨询师和19名心理健康教育专兼职志愿者", ask)
    ask = asked_value("让多少所学校去结对")
    assert states_value("选定36处学校,与省内外品牌学校联姻结对", ask)
    assert not states_value("新增85个教学班", ask)


def test_general_idf_ranks_words_by_how_common_they_are_in_the_language():
    from qa.relevance import WordCutter

    cut = WordCutter()
    # 包括 / 工作 are among the most frequent words of Chinese; 奖补 (not in the dictionary) and
    # 第一课 are rare anywhere
    assert cut.general_idf("工作") < cut.general_idf("包括") < 8.0
    assert cut.general_idf("奖补") > cut.general_idf("第一课") > 12.0


def test_how_often_is_asked_as_a_frequency_and_stated_by_a_period():
    # 一年搞几回逃生演习 (N13, N15, N16, N17, N4b): the plan says 每年上半年开展消防演练、下半年开展
    # 预防地震灾害演练 — a frequency stated by periods, with no count in digits
    from qa.relevance import asked_value, value_sentences

    ask = asked_value("学校一年搞几回逃生演习?")
    assert ask is not None and ask.kind == "frequency" and ask.label == "次数"
    assert value_sentences("每年上半年开展消防演练、下半年开展预防地震灾害演练。", ask)
    assert value_sentences("每学期至少组织2次应急疏散演练。", ask)
    assert not value_sentences("学校要加强安全教育。", ask)
    # 好几次 says "several": it asks for nothing
    assert asked_value("说了好几次了还是没人管") is None


def test_working_days_state_a_duration():
    # 原则上在7个工作日内研究处理 answers 几天之内得给个回话 (R12a, R12b); official documents count
    # deadlines in 工作日 (realdocs9: 15个工作日内发放, realdocs10: 10个工作日)
    from qa.relevance import asked_value, value_sentences

    ask = asked_value("学校一般几天之内得给个回话？")
    assert ask is not None and ask.kind == "duration"
    assert value_sentences("原则上在7个工作日内研究处理。", ask)


def test_days_counted_in_ri_state_a_duration_but_a_date_does_not():
    # a law counts days as 日: 自受理之日起十日内予以答复 answers 最迟几天内得回话 (R34a, R34b, R34c)
    from qa.relevance import asked_value, value_sentences

    ask = asked_value("学校最迟几天内得回话？")
    assert ask is not None and ask.kind == "duration"
    assert value_sentences("民办学校应当自受理之日起十日内予以答复。", ask)
    assert value_sentences("应当在三十日以内作出决定。", ask)
    assert not value_sentences("于9月10日内完成报名。", ask)


def test_a_bound_before_days_in_ri_states_a_duration():
    # 实际军事训练时间不少于十四日 answers 军训至少多少天 (R38a, R38b): a bound says it is a span
    from qa.relevance import asked_value, value_sentences

    ask = asked_value("大学生军训至少要练几天？")
    assert ask is not None and ask.kind == "duration"
    assert value_sentences("实际军事训练时间不少于十四日。", ask)
    assert value_sentences("集中培训为期三日。", ask)
    assert not value_sentences("新生于9月14日报到。", ask)


def test_some_people_told_of_is_not_a_count_asked_for():
    from qa.relevance import asked_value

    # 几个 after a verb of meeting, or in a clause that tells rather than asks, says "some"
    assert asked_value("晚上巡查碰到几个半大孩子在网吧门口喝酒，我们社区能管吗？") is None
    assert asked_value("我们单位去年从职高招了几个毕业生，现在学校找上门来要一笔培训费，这钱该给吗？") is None
    # the people counted must end the noun phrase: 多少个高级教师评审名额 counts places
    assert asked_value("省里给平潭多少个小学幼儿园高级教师评审名额？").kind == "number"


def test_people_are_counted_by_a_measure_and_anchored_by_what_they_are_counted_for():
    from qa.relevance import asked_value, people_counted, value_sentences

    ask = asked_value("泉州市区小学一年级一个班原则上收多少个学生？")
    assert people_counted("泉州市区小学一年级一个班原则上收多少个学生？") == "个学生"
    assert value_sentences("原则上一年级新生每班班生额45人。", ask)
    # a number of something else is no count of people
    assert not value_sentences("全市新建幼儿园12所。", ask)


def test_a_law_states_a_clock_time_in_chinese_numerals():
    # 每日二十二时至次日八时 answers 晚上几点以后不能玩网游 (R36c, R45a, R45b)
    from qa.relevance import asked_value, value_sentences

    ask = asked_value("晚上几点以后，游戏公司就不能让小孩玩网游了？")
    assert ask is not None and ask.kind == "clock"
    assert value_sentences("网络游戏服务提供者不得在每日二十二时至次日八时向未成年人提供网络游戏服务。", ask)
    assert not value_sentences("每天锻炼不少于一小时。", ask)


def test_things_counted_may_be_stated_in_ge():
    # 几间录播教室 is answered by 建设20个多功能录播教室 (N57; R44a, R44b: 多少节课); people and schools
    # are not (几位老师 wants 名 / 人 / 位)
    from qa.relevance import asked_value, value_sentences

    assert value_sentences("建设20个多功能录播教室。", asked_value("市里要建几间录播教室?"))
    assert not value_sentences("开设3个班。", asked_value("学校有几位心理老师?"))


def test_a_few_things_done_told_before_the_question_ask_no_number():
    # 读过的几门课，…能不能算进去 (R50a, R50b): 几 after 过 / 了 tells; the last clause asks whether
    from qa.relevance import asked_value

    assert asked_value("在普通大学读过的几门课，后来去上电大，之前学的能不能算进去？") is None
    assert asked_value("年轻时在正规大学念过几门课，现在报电大，以前的能不能抵？") is None
    # in the clause that asks it still counts
    assert asked_value("平潭上半年招了几个老师？").kind == "people"


def test_a_day_of_the_week_answers_which_day():
    # 每年5月第三周的星期一为本市家庭教育日 answers 家庭教育日是哪天 (R47a, R47b)
    from qa.relevance import asked_value, value_sentences

    ask = asked_value("重庆家庭教育日是哪天")
    assert ask is not None and ask.kind == "time"
    assert value_sentences("每年5月第三周的星期一为本市家庭教育日。", ask)
    assert not value_sentences("学校每周开展一次活动。", ask)


def test_lessons_are_counted_in_jie_or_ke():
    from qa.relevance import asked_value, value_sentences

    ask = asked_value("小学老师一周要上多少节课才算满工作量？")
    assert ask is not None and ask.kind == "count"
    assert value_sentences("小学体育课每周4课时。", ask) and value_sentences("每周不少于3节。", ask)
    assert not value_sentences("每周开展2次大课间活动。", ask)


def test_how_long_a_text_may_be_asks_for_a_length_not_a_duration():
    # 实践报告最多能写多长 (R26a), 经验写成材料…写多长合适 (R23a): a number of characters answers it
    from qa.relevance import asked_value, value_sentences

    ask = asked_value("小学生写的实践报告最多能写多长？")
    assert ask is not None and ask.kind == "length" and ask.label == "字数"
    assert value_sentences("小学2000字以内，初中3000字以内。", ask)
    assert not value_sentences("活动时间为两周。", ask)
    assert asked_value("调查报告最多写多少字").kind == "length"
    # 写多长时间 still asks how long the writing takes
    assert asked_value("小学生每天的作业最多写多长时间").kind == "duration"


def test_asking_whether_the_documents_state_a_value_still_asks_for_it():
    # 文件里有没有说多少岁可以退休 (N45), 有没有规定每天做几次眼保健操 (N2, N8, N12, N22, N32): the
    # documents answer only by stating the value; 要不要…带几节课 and 能多给几分不 ask whether
    from qa.relevance import asked_value

    assert asked_value("我是女老师,文件里有没有说多少岁可以退休").kind == "age"
    assert asked_value("学校有没有规定每天做几次眼保健操?").kind == "frequency"
    assert asked_value("教研室的人要不要下到学校自己带几节课") is None
    assert asked_value("中考能多给几分不") is None


def test_a_share_asked_as_bizhong_is_a_ratio():
    # 占GDP比重的目标是多少 (N48), 在总分里占多大比重 (R36a): 比重 asks for a share, as 比例 does
    from qa.relevance import asked_value

    assert asked_value("泸州2014年财政性教育经费占GDP比重的目标是多少?").kind == "ratio"
    assert asked_value("体育在总分里占多大比重？").kind == "ratio"


@pytest.mark.parametrize(
    "question, states, does_not_state",
    [
        # 一节课多少分钟 is not answered by 两周轮换一次 (R38a), nor 家庭作业最多多少分钟 by 每周 (R34a)
        ("小学一节课上多少分钟？", "每天锻炼1小时", "两周轮换一次"),
        # 寒假放几天 is not answered by 每学期 (R21a)
        ("寒假放几天？", "保存时间不少于九十天", "每学期开展两次"),
        # 休几个月产假 is asked in months (R38a): 三个月 states it, a date 9月 does not
        ("幼儿园老师能休几个月产假？", "产假为三个月", "9月1日起施行"),
    ],
)
def test_a_duration_asked_in_a_unit_is_stated_in_that_unit_or_a_neighbouring_one(
    question, states, does_not_state
):
    from qa.relevance import asked_value, value_sentences

    ask = asked_value(question)
    assert ask is not None and ask.kind == "duration"
    assert value_sentences(states, ask)
    assert not value_sentences(does_not_state, ask)


def test_a_duration_asked_without_a_unit_takes_any_period():
    from qa.relevance import asked_value, value_sentences

    ask = asked_value("多久检查一次？")
    assert ask is not None and ask.kind == "duration"
    assert value_sentences("每周一次车辆检验", ask)


@pytest.mark.parametrize(
    ("question", "sentence", "states"),
    [
        # no unit asked: any quantity in numerals (R50a, R50b, R52a)
        ("挪用学费，最多罚多少？", "并处以十万元以上二十万元以下罚款", True),
        ("花在一线工人身上的至少要占多少？", "应当高于职业培训经费总额的百分之六十", True),
        # a count of 名额 is not stated in years
        ("今年特岗教师招多少个名额?", "特岗教师服务期三年", False),
    ],
)
def test_a_number_in_chinese_numerals_states_one_in_the_unit_asked(question, sentence, states):
    ask = asked_value(question)
    assert ask is not None and ask.kind == "number"
    assert states_value(sentence, ask) is states


@pytest.mark.parametrize(
    ("sentence", "states"),
    [
        # an item's number, a telephone, a document's article state no amount (N29, N33, N44, N49:
        # 32.加快发展学前教育; R27b 5．培训测试收费; r8a, r8d （2）《…》; r7b 联系电话)
        ("32.加快发展学前教育", False),
        ("5．培训测试收费", False),
        ("（2）《教师资格证书》原件", False),
        ("区教育局联系电话：38622512", False),
        ("依照第3条办理", False),
        ("计划投入726.5万元", True),
        ("共 19 人", True),
        ("视力表1.0以上", True),
    ],
)
def test_item_numbers_and_telephones_state_no_number(sentence, states):
    ask = asked_value("泸州2014年学前三年毛入园率要达到多少?")
    assert ask is not None and ask.kind == "number"
    assert states_value(sentence, ask) is states


@pytest.mark.parametrize(
    ("question", "sentence", "states"),
    [
        # years asked, stated in years, in either numerals (R54a, R54b, R49a, R37a, R63a)
        ("山东当督学要干过多少年教育？", "具有大学本科以上学历，有十年以上教育工作经历", True),
        ("郑州兼职督学一聘几年？", "兼职督学每届聘期三年。", True),
        ("吊销以后多少年内不能再申请", "5年内不得重新申请相关许可", True),
        # 九年义务教育, 三年级 and 上半年 name things or a time of the year; a day count is no years
        # (the school-bus driver's 驾龄 asked in N16–N89 and R45a, R45b)
        ("特岗老师干满几年可以转正入编", "实施九年义务教育特岗计划", False),
        ("干过几年才能评", "三年级学生每周两课时", False),
        ("校车司机要几年驾龄", "每年上半年开展消防演练", False),
        ("督学一届聘几年", "自受理之日起十日内", False),
        # half a unit states a duration (R62a, R62b; R59a, R59b 半天; R36a 半小时)
        ("学生受了警告以上的处分，一般要背多长时间", "学生警告及警告以上处分的期限一般为半年", True),
        ("职业体验最少要待多长时间？", "要求职业体验不得少于半天时间", True),
        ("最少要待几天？", "要求职业体验不得少于半天时间", True),
        ("值勤要提前多久到？", "每天早晨、中午提前半小时开始值勤", True),
        # 上半年 is a time of the year, not how long
        ("整改要多久？", "2024年上半年完成整改", False),
    ],
)
def test_years_or_half_a_unit_state_a_duration(question, sentence, states):
    ask = asked_value(question)
    assert ask is not None and ask.kind == "duration"
    assert states_value(sentence, ask) is states


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        # a time of the school day answers 什么时候 (R54b, R68b, R78a, R78b)
        ("国旗班的孩子什么时候去拿国旗？", "第二节课铃声一响，国旗班学生应该以最快的速度"),
        ("查完的情况最晚啥时候交？", "次日早上第三节课前送交年级段政教员"),
        ("查教室卫生都是啥时候？", "分上、下午两次检查"),
    ],
)
def test_a_time_of_the_school_day_states_when(question, sentence):
    ask = asked_value(question)
    assert ask is not None and ask.kind == "time"
    assert states_value(sentence, ask)


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        # what share of a sum is asked, stated as a share (R65a, R65b, R35b, R49a)
        (
            "县里财政花在学前教育上的钱，占教育经费比例不能低于多少？",
            "学前教育经费占同级财政性教育经费的比例不低于百分之五",
        ),
        (
            "杭州各区花在幼儿园上的钱，占教育事业费的比例要到多少？",
            "各区学前教育事业费应当达到同级教育事业费的8%以上",
        ),
        (
            "宁波市规定区县花在幼儿园上的钱，占教育经费至少要多少？",
            "不低于百分之八，不举办高中的区不低于百分之十二",
        ),
    ],
)
def test_a_share_of_a_sum_asked_is_stated_as_a_share(question, sentence):
    ask = asked_value(question)
    assert ask is not None and ask.kind == "money"
    assert states_value(sentence, ask)
    # an amount asked without a share still needs an amount
    assert not states_value("不低于百分之八", asked_value("保育费一学期收多少钱"))
