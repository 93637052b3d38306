"""Deciding whether the documents answer a question at all (abstention).

Two signals, both pure functions of the question, the vocabulary and the retrieved passages:

* coverage: the idf-weighted share of the question's terms found in its best passages
  (computed by the engine);
* unexplained words: content words of the question that occur nowhere in the corpus and that
  the colloquial vocabulary does not map to anything (保育费, 所得税, 天气 …). A question
  whose key word is unexplained and whose coverage is low is about something the documents
  do not contain.
"""

from __future__ import annotations

import logging
import math
import re
import sys
import threading
from dataclasses import dataclass

from qa.wordlists import word_list

# Stop words and the function words of everyday speech: data files with their headers.
_FUNCTION_WORDS = frozenset(word_list("function_words"))
_STOP_WORDS = frozenset(word_list("stop_words")) | _FUNCTION_WORDS
# Characters jieba glues to a neighbour (事有, 校聘要, 建得, 人管): trimmed before a word is judged.
EDGE_CHARS = "要有想得管来了着过是在会能的地把被给让等都也就还又再很太吧呢吗啊或及"
_CJK = re.compile(r"[\u4e00-\u9fff]")


class WordCutter:
    """jieba word segmentation, loaded once in the background (its dictionary takes ~0.5 s)."""

    def __init__(self) -> None:
        self._tk = None
        self._tags: dict[str, str] | None = None
        self._lock = threading.Lock()

    def warm(self, tags: bool = False) -> None:
        """Load the dictionary in the background; with `tags`, the part-of-speech table too.

        A one-shot `policyqa ask` needs the tags only for a question with unknown words, so
        they load on first use there; a server warms them (0.25 s) once it is up.
        """
        threading.Thread(target=self._get_tags if tags else self._get, daemon=True).start()

    def _get(self):
        with self._lock:
            if self._tk is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tk = jieba.Tokenizer()
                tk.initialize()
                self._tk = tk
        return self._tk

    def _get_tags(self) -> dict[str, str]:
        """Part-of-speech tags of the dictionary words that are not plain nouns (75k of 349k words).

        jieba.posseg would keep all 349k tags (~90 MB); a word missing here is nominal ("n") or,
        when the dictionary lacks it, unknown ("x").
        """
        tk = self._get()
        with self._lock:
            if self._tags is None:
                tags = {}
                with tk.get_dict_file() as f:
                    for line in f:
                        parts = line.decode("utf-8").split()
                        if len(parts) == 3 and (
                            parts[2] in ("vn", "an") or not parts[2].startswith(NOMINAL_TAGS)
                        ):
                            tags[parts[0]] = sys.intern(parts[2])
                self._tags = tags
        return self._tags

    def __call__(self, text: str) -> list[str]:
        return [w for w in self._get().cut(text) if w.strip()]

    def tag(self, text: str) -> list[tuple[str, str]]:
        """(word, part of speech) in order, dictionary words only: 下班/v 晚/tg 接/v 孩子/n."""
        tk, tags = self._get(), self._get_tags()
        out = []
        for w in tk.cut(text, HMM=False):
            flag = tags.get(w)
            if flag is None:  # letters and digits are "eng", as jieba.posseg tags them without HMM
                flag = "eng" if w.isascii() and w.isalnum() else ("n" if tk.FREQ.get(w) else "x")
            out.append((w, flag))
        return out

    def general_idf(self, word: str) -> float:
        """How rare `word` is in general Chinese: log(total / frequency) in jieba's dictionary.

        A corpus-independent prior: 包括 (7.8), 工作 (6.8) are common anywhere; 奖补, 第一课 are not
        (16–18). Words the dictionary lacks count as rare.
        """
        tk = self._get()
        return math.log(tk.total / (tk.FREQ.get(word, 0) + 1))

    def word_spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of each dictionary word of `text` (no HMM guesses)."""
        return [(s, e) for _, s, e in self._get().tokenize(text, HMM=False)]

    def occurs_as_word(self, word: str, text: str, margin: int = 8) -> bool:
        """Whether `word` occurs in `text` with no dictionary word overlapping it only partly.

        Words inside it may be finer (控辍保学 cut as 控辍 / 保学 still counts), a compound may
        hold it (离退休 holds 退休); a word that runs across one of its edges means the characters
        only happen to meet (学校 / 服装 hides 校服).

        Example:
            >>> cut = WordCutter()
            >>> cut.occurs_as_word("校服", "学校服装设计"), cut.occurs_as_word("校服", "统一校服采购")
            (False, True)
        """
        start = text.find(word)
        while start >= 0:
            end = start + len(word)
            a = max(0, start - margin)
            # dictionary words only (no HMM guesses): an invented 牢防 must not hide 防溺水
            edges = [(a + s, a + e) for _, s, e in self._get().tokenize(text[a : end + margin], HMM=False)]
            # a word that overlaps it only partly; one that contains it (离退休 ⊃ 退休) is a compound
            if not any(s < start < e < end or start < s < end < e for s, e in edges):
                return True
            start = text.find(word, start + 1)
        return False


_SHARED: WordCutter | None = None
_SHARED_LOCK = threading.Lock()


def shared_cutter() -> WordCutter:
    """The process's one WordCutter: each holds jieba's dictionary (~60 MB), so engines and place
    detection share it."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = WordCutter()
        return _SHARED


# 一个, 每年, 两次, 半年: a number and a measure word, never what a question is about.
_COUNTED = re.compile(r"^[一二两三四五六七八九十几每半]+[个年月天日周次名位所种项条]?$")


_COUNT_ASK = re.compile(r"(多少|几)([个名所位项人次场批套台间座家篇本册件条种类])")


def split_counts(text: str) -> str:
    """Cut after a counted question (多少名 新教师): jieba would glue the measure word on (名新).

    Example:
        >>> split_counts("补充多少名新教师")
        '补充多少名 新教师'
    """
    return _COUNT_ASK.sub(r"\1\2 ", text)


_LATIN_TERM = re.compile(r"[A-Za-z]{2,}")


def content_words(words: list[str]) -> list[str]:
    """Words of 2+ characters with Chinese in them, or Latin terms (HPV, APP), minus question words,
    fillers and counts."""
    return [
        w
        for w in words
        if len(w) >= 2
        and w not in _STOP_WORDS
        and (_CJK.search(w) or _LATIN_TERM.fullmatch(w))
        and not _COUNTED.match(w)
    ]


QUESTION_WORD = re.compile(r"^(几|哪|多少|多长|多久|多大|多高|多远|什么|怎)|[几哪]$")
PARTICLES = re.compile(r"[了着过啥咋]")
_A_NOT_A = re.compile(r"^(.{1,2})[不没]\1")
# measure words and time units: what a count or a demonstrative stands before (一堂课, 那张条, 9月)
MEASURES = "个年月天日周次回趟遍轮名位所种项条堂节本张件场间套份批届期笔句些"
# a count (一堂课) or a demonstrative (这笔钱, 那句话) before a measure word: no topic of its own
_COUNT_PREFIX = re.compile(rf"^(?:[一二两三四五六七八九十几每半]+|[这那哪])[{MEASURES}]")
# what ends a count or points (9, 十, 几, 多少, 那) right before a word
_COUNT_BEFORE = re.compile(r"(?:\d|[一二两三四五六七八九十百几每半这那哪]|多少)$")


def splits_into_known(word: str, in_corpus, min_part: int = 2) -> bool:
    """Whether `word` is a compound of known parts (学校成绩 = 学校 + 成绩), each ≥ min_part chars."""
    n = len(word)
    known = [False] * (n + 1)
    known[0] = True
    for i in range(n):
        if not known[i]:
            continue
        for j in range(i + min_part, n + 1):
            if not known[j] and in_corpus(word[i:j]):
                known[j] = True
    return known[n]


def bare_word(word: str) -> str:
    """A question word without what only asks or counts: 够不够 → 够, 一堂课 → 课, 管了 → 管.

    Example:
        >>> bare_word("够不够"), bare_word("一堂课")
        ('够', '课')
    """
    w = PARTICLES.sub("", word).strip(EDGE_CHARS)
    w = _A_NOT_A.sub(r"\1", w)  # the yes-no form asks, the verb is what counts
    return _COUNT_PREFIX.sub("", w)  # "one period of" is no topic


# units a segmenter glues to the next word after a count as it does measure words (多少|分才算,
# 多少|分会, 几|点播: R1a, R19a, R41a, R74b, R75a, R79b, R89c, R93a, R9d)
_UNITS_GLUED = "分元块岁米斤点倍"


def measure_glued(word: str, before: str) -> str:
    """A word without the measure word the segmenter glued to its front, when what stands before it
    in the question counts or points (2010年9|月生的, 那|张小条, 逃多少|节会被): the measure belongs
    to the count, and what is left is the word (生, 小条, 会). Callers ask only about words the
    corpus lacks: 一|年级 and 这|期间 are words of the documents.

    Example:
        >>> measure_glued("月生", "孩子是2010年9"), measure_glued("张小条", "教师证上贴的那")
        ('生', '小条')
        >>> measure_glued("月考", "学校的")
        '月考'
    """
    if len(word) > 1 and word[0] in MEASURES + _UNITS_GLUED and _COUNT_BEFORE.search(before):
        return word[1:]
    return word


# Parts of speech that name a thing (jieba tags): nouns, verbal and adjectival nouns, abbreviations,
# set phrases, idioms, place words. A tag outside these is a predicate, an adverb, a time word …
NOMINAL_TAGS = ("n", "vn", "an", "j", "l", "i", "s", "eng", "x", "g")


# one character after a word that makes a noun of it: how often or how much of it (近视率, 满意度)
_NOUN_SUFFIXES = frozenset("率度性量")


# what a verb's result is (找到, 撤掉, 落到, 干完, 叫成): said after any verb in speech
_RESULTS = frozenset("到掉住完成")


def is_resultative(word: str, cut: WordCutter) -> bool:
    """Whether `word` is a verb and its result (找到 工作, 把学院撤掉, 户口落到广州, 叫成“实外”): the asker's
    way of saying the verb, which a document words otherwise (求职, 撤销, 迁入, 称为) — no topic.

    Example:
        >>> is_resultative("找到", shared_cutter()), is_resultative("迟到", shared_cutter())
        (True, False)
    """
    return len(word) == 2 and word[1] in _RESULTS and cut.tag(word[0]) == [(word[0], "v")]


def everyday_words(unexplained: list[str], tagged: list[tuple[str, str]], text: str) -> list[str]:
    """The unexplained words that say what someone does rather than name a topic.

    "家长下班晚接不了孩子,学校帮忙看着吗": 下班 and 帮忙 are the asker's everyday predicates;
    the topic (放学后的小学生) is in the other words. "学生近视防控": 近视 is tagged a verb, but it
    qualifies the verbal noun right after it (防控) — a topic; so is a verb that ends a clause
    after a noun (志愿填报). A word is judged by the part of speech of its words in `tagged`
    (the segmentation of `text`) and of their neighbours;
    a word that cannot be placed counts as a topic.

    Example:
        >>> everyday_words(["下班"], [("家长", "n"), ("下班", "v"), ("晚", "tg")], "家长下班晚")
        ['下班']
        >>> everyday_words(["近视"], [("学生", "n"), ("近视", "v"), ("防控", "vn")], "学生近视防控")
        []
        >>> everyday_words(["填报"], [("志愿", "n"), ("填报", "v")], "志愿填报")
        []
        >>> everyday_words(["近视"], [("学生", "n"), ("近视", "v"), ("率", "v")], "学生近视率")
        []
    """
    spans, at = [], 0
    for word, flag in tagged:
        spans.append((at, at + len(word), flag))
        at += len(word)
    out = []
    for w in unexplained:
        start = text.find(w)
        if start < 0:
            continue
        last = start + len(w) - 1
        i = next((i for i, (a, b, _) in enumerate(spans) if a <= last < b), None)
        if i is None:
            continue
        flag = spans[i][2]
        after = spans[i + 1][2] if i + 1 < len(spans) else ""
        first = next((j for j, (a, b, _) in enumerate(spans) if a <= start < b), i)
        before = spans[first - 1][2] if first > 0 else ""
        # 近视/v 防控/vn: a verb before a verbal noun qualifies it; 照看/v 孩子/n is verb and object
        if flag.startswith(NOMINAL_TAGS) or after in ("vn", "an"):
            continue
        # 近视/v 率/v: a suffix after it makes a noun of it (近视率, 合格率, 满意度, 安全性)
        if i + 1 < len(tagged) and tagged[i + 1][0] in _NOUN_SUFFIXES:
            continue
        # 志愿/n 填报/v ending a clause names an activity (志愿填报), as 疫苗接种 does
        if before.startswith(("n", "vn")) and after in ("", "x") and flag.startswith("v"):
            continue
        out.append(w)
    return out


# --- questions that ask for a value -------------------------------------------------------------
#
# "教师退休年龄是多少", "保育费一个月收多少钱", "高考志愿啥时候填报": the plans often name the topic
# without stating the value asked for. Such a question is answered only by a sentence that states a
# value of the asked kind *and* names the question's most specific term; without one, the honest
# answer is that the documents do not say.

_NUM = r"(?:\d+(?:[.,]\d+)?|[一二两三四五六七八九十百千万]+)"
# 几 after these says "a few" (好几年, 几十个, 没几个) or points at some (这几年, 那几天, 前几年,
# 头几个月): it asks for no number
_FEW = "好十没百这那前近头后最"
_CN_DIGITS = "一二两三四五六七八九十"


@dataclass(frozen=True)
class ValueAsk:
    """The kind of value a question asks for, and a pattern that states one."""

    kind: str  # money | age | ratio | multiple | score | clock | length | duration | time | phone | frequency | count | people | level | ordinal | number
    pattern: re.Pattern[str]  # states such a value: 1400万元, 88.4%, 4月
    asked: re.Pattern[str]  # the words of the question that ask for it: 多少钱, 比例, 几月
    # a number in Chinese numerals that states it (十年以上 for 干过几年; None: counts only)
    spoken: re.Pattern[str] | None = None

    @property
    def label(self) -> str:
        return _LABELS[self.kind]


_LABELS = {
    "money": "金额",
    "age": "年龄",
    "ratio": "比例",
    "multiple": "倍数",
    "score": "分数",
    "clock": "时间",
    "duration": "时长",
    "length": "字数",
    "time": "时间",
    "phone": "电话号码",
    "count": "数量",
    "people": "人数",
    "frequency": "次数",
    "level": "等级",
    "ordinal": "序号",
    "number": "数字",
}


# words that only say "money" (补贴, 工资, 费用), not what it is paid for (保证金, 助学金 do)
MONEY_WORDS = "工资|薪水|薪酬|薪资|工钱|报酬|待遇|收入|费用?|价格|价钱|奖金|补贴|补助|津贴"
# what money is paid or charged as: 保育费一学期收多少, 生活补助一个月发多少 ask for its amount
MONEY_NOUNS = MONEY_WORDS + "|保证金|房租|租金|助学金|奖学金|救助金|资助金"

# measure and time units (岁, 个, 名, 天, 年, 分 …): after 多少 / 几 one makes it ask for something
# other than money (多少岁, 几个, 多少分)
UNIT_CHARS = "岁个名所位人次天周年月号项分类种样成倍"
_NOT_MONEY = UNIT_CHARS

# 自受理之日起十日内, 三十日以内: a law counts days as 日 (9月10日 is a date, no duration)
# …, and a bound before the count says the same (实际军事训练时间不少于十四日, 为期三日)
# half a unit: 处分的期限一般为半年, 不得少于半天时间, 提前半小时 (上半年, 下半年 are times of the year)
_HALF = r"(?<![上下前后])半\s*个?\s*(?:年|学年|学期|月|天|小时)"
_LAW_DAYS = (
    rf"(?<![月\d{_CN_DIGITS}]){_NUM}\s*日\s*(?=内|以内|之内|以上|后)"
    rf"|(?:(?<=不少于)|(?<=不超过)|(?<=少于)|(?<=超过)|(?<=至少)|(?<=为期)|(?<=连续)|(?<=累计)){_NUM}\s*日"
)
_VALUE_KINDS: list[tuple[str, re.Pattern[str], re.Pattern[str]]] = [
    (
        # 投诉电话是多少, 打哪个电话: a number to call is asked for — 打热线问, 打电话到家里 only
        # mention one; first, since 收费补课的电话是多少 asks for the number, not an amount
        "phone",
        re.compile(
            r"(?:电话|热线|号码|联系方式|手机号)(?:号码|号)?(?:是|为)?(?:多少|几号|什么|啥)|"
            r"(?:哪个|什么|啥|哪|几)(?:电话|热线|号码|联系方式|手机号)"
        ),
        re.compile(r"\d{3,4}[-－—]\d{7,8}|(?<!\d)1\d{10}(?!\d)|(?<!\d)\d{5,8}(?!\d)"),
    ),
    (
        # 保教费最多能按公办园的几倍收, 比普通娃多几倍: a multiple, stated as 8倍 / 1.8倍 / 三倍
        "multiple",
        re.compile(rf"(?:多少|(?<![{_FEW}])几)\s*倍"),
        re.compile(rf"(?:\d+(?:\.\d+)?|[{_CN_DIGITS}]+)\s*倍"),
    ),
    (
        "money",
        re.compile(
            r"多少钱|几块钱|多少元|多少块|几元|"
            # a money noun asked about in its clause: 保育费大概多少, 班主任津贴到底有多少
            rf"(?:{MONEY_NOUNS})"
            # (百分之几 / 百分之多少 after it ask for a share, as 比例 does)
            rf"[^,，。;；?？!！、]{{0,8}}?(?<!之)(?:多少|(?<![{_FEW}])几)(?![{_NOT_MONEY}]|比例)|"
            rf"多少(?![{_NOT_MONEY}])[^,，。;；?？!！、]{{0,5}}?"
            r"(?:工资|薪水|薪酬|薪资|工钱|报酬|奖金|补贴|补助|津贴|费|房租|租金|助学金|奖学金|救助金|资助金)"
        ),
        re.compile(rf"{_NUM}\s*(?:万|亿)?\s*元"),
    ),
    ("age", re.compile(r"多少岁|几岁|多大年纪|年龄"), re.compile(rf"{_NUM}\s*周?岁")),
    (
        "ratio",
        re.compile(r"比例|百分之几|百分之多少|多少成|比率|占比|百分比|比重"),
        re.compile(rf"\d+(?:\.\d+)?\s*[%％]|百分之|[{_CN_DIGITS}]成|\d+\s*[:：︰∶比]\s*\d+"),
    ),
    (
        # 录取分数线多少分, 能加几分, 满分是多少: a score, stated as 10分 / 五分 (not 10分钟,
        # 百分之, 分类); a score noun before a bare 多少 asks for one, as a money noun does
        "score",
        re.compile(
            rf"多少分(?![钟之类]|多少秒)|(?<![{_FEW}])几分(?![钟之类]|几秒)|"
            r"(?:分数线|录取线|控制线|满分|总分|分数)[^,，。;；?？!！、]{0,6}?多少(?![钱岁个名所位人次天周年月号项类种样成])"
        ),
        re.compile(rf"{_NUM}\s*分(?![钟之类别配期批段校局会院组区])"),
    ),
    (
        # 晚自习几点下课, 几点来接: a clock time, stated as 21:30 / 7点 / 七点半 / 二十二时至次日八时
        # (几点要求 asks for items)
        "clock",
        re.compile(
            rf"(?<![{_FEW}])几点(?:钟|半)?(?!要求|意见|建议|做法|措施|原则|内容|注意|规定|说明|体会|看法|理由|好处|工作)"
        ),
        re.compile(
            rf"\d{{1,2}}\s*[:：]\s*\d{{2}}|\d{{1,2}}\s*[点时](?!多)|[{_CN_DIGITS}]{{1,3}}点(?:钟|半|前|后|以前|以后|至|到)"
            # a law's clock: 每日二十二时至次日八时 (R36c, R45a, R45b)
            rf"|(?<![{_CN_DIGITS}小])[{_CN_DIGITS}]{{1,3}}时(?:至|到|前|后|以前|以后|起|之前|之后)"
            rf"|(?<=至|到)(?:次日)?[{_CN_DIGITS}]{{1,3}}时"
        ),
    ),
    (
        # 实践报告最多能写多长, 调查报告写多少字: a length of text, stated as 2000字以内 / 3千字
        # (写多长时间 asks a duration)
        "length",
        re.compile(
            r"(?:写|篇幅|字数)[^，,。；;？?！!]{0,6}?多长(?!时间)|多少字|几千字|字数[^，,。；;？?]{0,4}?(?:多少|几)"
        ),
        re.compile(rf"{_NUM}\s*(?:千|万)?\s*字|\d+\s*页"),
    ),
    (
        "duration",
        re.compile(
            rf"多少分钟|(?<![{_FEW}第])几(?:分钟|个小时|天|秒|个月|个?星期|周|个学期)|几分几秒|"
            r"多少(?:秒|小时|天|个月|周|个星期|个学期)|多长(?:时间)?|多久|"
            # 聘期几年, 驾龄要几年, 干满多少年: years (几年级 is a grade, 这几年 a time)
            rf"(?<![{_FEW}第])几\s*个?\s*年(?![级度代])|多少\s*个?\s*年(?![级度代])"
        ),
        # 多久…一次 asks how often: 每月至少开展1次 states it
        re.compile(
            # 一个学期, 两个星期: a measure word may stand before the unit
            rf"{_NUM}\s*个?\s*(?:分钟|小时|工作日|天|周|星期|个月|学时|课时|次|学年|学期|秒)|\d+\s*分\s*\d+\s*秒|\d+[′']\d+|(?<!\d)(?:\d{{1,2}}|[{_CN_DIGITS}]{{1,2}})\s*年(?!级)|"
            r"每(?:个)?(?:月|周|季度|年|学期|天|日|星期)|" + _LAW_DAYS + "|" + _HALF
        ),
    ),
    (
        "time",
        # 万一哪天 / 要是哪天 … supposes a day, it does not ask for one
        re.compile(
            r"几月|几号|(?<!万一)(?<!要是)(?<!如果)(?<!假如)(?<!哪怕)哪(?:一)?天|什么时候|啥时候|何时|哪个月|什么时间|啥时间|几时"
        ),
        re.compile(
            # 〔2023〕14号 is a document number (文号), not a day
            rf"\d{{1,2}}\s*月|[{_CN_DIGITS}]{{1,3}}月|(?<![〕\]］\d])\d{{1,2}}\s*[日号]|上半年|下半年|年底|年初|年内|"
            r"春季|秋季|暑期|暑假|寒假|学期|季度|开学前|开学初|"
            # a time of the school day: 第二节课铃声一响, 次日早上第三节课前, 分上、下午两次, 午休
            # (R54b, R68b, R78a, R78b)
            rf"第\s*(?:\d|[{_CN_DIGITS}])\s*节课|上午|下午|中午|午休|午间|晚上|晚间|傍晚|课间|放学后"
        ),
    ),
]
# A duration asked in a unit (几分钟, 多少天, 几个月) is stated in that unit or a neighbouring one
# (not 9月, a date, nor 每周, how often).
# 三年级, 2019年度, 九年义务教育, 十二年一贯制: 年 names a thing there, it counts no years
_NAMES_A_THING = r"(?![级度]|义务|一贯|制)"
_YEARS = rf"(?<!\d)(?:\d{{1,2}}|[{_CN_DIGITS}]{{1,2}})\s*(?:个)?\s*(?:学年|年){_NAMES_A_THING}"
_DURATION_IN = {
    "short": re.compile(
        rf"{_NUM}\s*个?\s*(?:分钟|小时|钟头|秒|课时|学时)|半\s*个?\s*小时|\d+\s*分\s*\d+\s*秒"
    ),
    "day": re.compile(
        rf"{_NUM}\s*个?\s*(?:天|工作日|周|星期)|{_NUM}\s*个\s*月|半\s*个?\s*月|半天|{_LAW_DAYS}"
    ),
    "long": re.compile(
        rf"{_NUM}\s*个\s*(?:月|星期|学期)|{_NUM}\s*(?:周|星期|学期)|(?<![上下前后])半\s*(?:个)?\s*(?:月|学期|年)|{_YEARS}"
    ),
}


def _unit_of(asked: str) -> str | None:
    """The unit group a duration ask names: 几分钟 → short, 多少天 → day, 几个月 → long; None for 多久."""
    if re.search(r"分钟|小时|钟头|秒", asked):
        return "short"
    if "天" in asked:
        return "day"
    if re.search(r"月|星期|周|学期|年", asked):
        return "long"
    return None


# 多少钱 / 多少元 ask for a sum; a bare 多少 after a verb that takes part of a sum (工资还发多少,
# 学费能退多少, 从学费里拿出多少, 每年涨多少) may be answered by a share
_SAYS_MONEY = re.compile(r"[钱元块]")
_SHARE_OF = re.compile(r"(?:发|退|涨|扣|返|减|降|增|提取|拿出|留出|划出)(?:回来|出来|给)?多少$")
_MONEY_OR_SHARE = re.compile(
    "|".join(states.pattern for kind, _, states in _VALUE_KINDS if kind in ("money", "ratio"))
)
# 占…的比例, 占…多少, 百分之几: the question asks what share of a sum something is
_SHARE_ASKED = re.compile(r"比例|比重|百分之(?:几|多少)|占[^,，。;；?？!！]{0,12}?(?:多少|几)")
# 几号 / 哪天 ask for a day: 9月1日, 15号, 二十日 state one; 寒假, 秋季, 上半年 do not
_ASKS_DAY = re.compile(r"几号|哪(?:一)?天")
_STATES_DAY = re.compile(
    rf"(?<![〕\]］\d])\d{{1,2}}\s*[日号]|[{_CN_DIGITS}]{{1,3}}[日号]|\d{{1,2}}\s*[./]\s*\d{{1,2}}(?!\d)"
    # or a day of the week (每年5月第三周的星期一为本市家庭教育日; R47a, R47b)
    r"|(?:星期|礼拜)[一二三四五六日天]|(?<![一二三四五六七八九十\d])周[一二三四五六日](?![年期])"
)
# The words that ask for an amount of money (the nouns around them say what it is of).
_MONEY_ASK = re.compile(r"多少钱|几块钱|多少元|多少块|几元|多少|几")
# 一年搞几回演习, 每学期检查几次: how often, stated as 2次 or as a period (每年上半年开展消防演练…)
_FREQUENCY = re.compile(rf"(?:多少|(?<![{_FEW}])几)\s*(?:次|回|遍|趟)")
_STATES_FREQUENCY = re.compile(
    rf"{_NUM}\s*(?:次|回|遍|趟)|每(?:个)?\s*(?:学年|学期|年|季度|月|周|星期|天|日)|上半年|下半年"
)
# 多少所 / 几名 / 多少台: a count in that unit (个 says nothing about the unit).
_COUNT = re.compile(rf"(?:多少|(?<![{_FEW}])几)\s*([所名台套亩人篇项次场间座家位批册本辆件节])")
# A bare 多少 / 几 asks for a number; 哪几样 / 几个文件 / 几个方面 do not.
# 几 asks only on its own: 好几年, 几十个娃, 没几个 say "several", they ask for nothing
# — but after a verb that counts (要配几个老师, 分了几个名额, 最多能住几个人, 至少几个) 几个 asks like 多少个
_NUMBER = re.compile(
    rf"多少|(?<![哪{_FEW}])几(?![十百千万乎个份类种样方处]|个?(?:文件|地方|方面|县|区|市))"
    r"|(?<=[要得能配招建设分收住放办开录评选给有共多少了])几个(?!月|星期|学期|小时|钟头|工作日|文件|地方|方面|部门|县|区|市)"
    # (in the clause that asks: 招了几个毕业生，…这钱该给吗 tells, it does not ask)
    r"(?=[^,，。;；!！]*(?:[?？]|$))"
)
_YEAR = re.compile(r"(?:19|20)\d\d")
# a Chinese numeral with a measure word, not an ordinal (第三所) nor a word (统一, 一是, 一年级)
_CN_COUNT = re.compile(
    rf"(?<![第统唯万之])[{_CN_DIGITS}百千]+\s*(?:个|名|所|位|人|届|次|项|条|天|周|门|类|批|节|场)"
)
# A number in Chinese numerals with the unit the question asks in (干过几年: 有十年以上教育工作经历,
# 每届聘期三年; 罚多少: 十万元以上; 占多少: 百分之六十). A year in numerals (一九九八年) is a date, and
# 九年义务教育, 三年级, 2019年度 name things: they state no number.
_SPOKEN_NUM = rf"(?<![第统唯万之〇零])(?:[{_CN_DIGITS}]{{1,3}}|[{_CN_DIGITS}百千]+[百千万])\s*"
_SPOKEN_YEARS = rf"年{_NAMES_A_THING}"
# (what follows 多少 / 几 in the question, how a number in that unit is stated), compiled once
_SPOKEN_UNITS = tuple(
    (re.compile(asked), re.compile(stated))
    for asked, stated in (
        ("年(?!级)", rf"{_SPOKEN_NUM}{_SPOKEN_YEARS}"),
        ("周岁|岁", rf"{_SPOKEN_NUM}周?岁"),
        ("天|日", rf"{_SPOKEN_NUM}(?:天|日)|半天"),
        ("个?(?:小时|钟头)", rf"{_SPOKEN_NUM}小时"),
        ("分钟", rf"{_SPOKEN_NUM}分钟"),
        ("块|元|钱", rf"{_SPOKEN_NUM}(?:万?元|万)"),
        ("倍", rf"{_SPOKEN_NUM}倍"),
    )
)
# 多少个名额, 几所: a count, stated with its measure word (_CN_COUNT), never by a number of years
_MEASURED = re.compile(r"[个名所位人项次条届门节批场类间]")
_SPOKEN_ANY = re.compile(
    rf"{_SPOKEN_NUM}(?:{_SPOKEN_YEARS}|万?元|万|周?岁|日|小时|分钟|倍|学时|课时|学分|公斤|千克|米)"
    rf"|百分之[{_CN_DIGITS}百]+|半(?:天|小时|年|个月|学期)"
)


def spoken_numbers(after: str) -> re.Pattern[str] | None:
    """How a number asked for by the words before `after` is stated in Chinese numerals: with
    the unit `after` names (几年 → 十年以上), any unit when it names none (罚多少 → 十万元), and not
    at all when it counts things (几个名额: 招三名 is _CN_COUNT's).

    Example:
        >>> spoken_numbers("年教育经历？").search("有十年以上教育工作经历") is not None
        True
        >>> spoken_numbers("年可以转正").search("实施九年义务教育特岗计划") is None
        True
        >>> spoken_numbers("个名额？") is None
        True
    """
    for asked, stated in _SPOKEN_UNITS:
        if asked.match(after):
            return stated
    return None if _MEASURED.match(after) else _SPOKEN_ANY


# 分几级, 要考到几级几等: a level, stated as 三级 / 二级乙等 / 3级 (a level is stated as a level:
# 二级 says nothing of 满几年)
_LEVEL = re.compile(rf"(?:多少|(?<![{_FEW}])几)\s*[级等档]")
_STATES_LEVEL = re.compile(rf"(?<![第统唯万之])(?:\d+|[{_CN_DIGITS}]+)\s*[级等档]")
# 第几组, 排第几, 第几届: an ordinal, stated as 第三组, 全省第三, 前三, 第26届
_ORDINAL = re.compile(r"第几")
_STATES_ORDINAL = re.compile(rf"[第前]\s*(?:\d+|[{_CN_DIGITS}百]+)")


# 多少个学生, 几个专职的老师: what is counted is people (the head noun of the clause's next words)
_OF_PEOPLE = re.compile(
    r"(?:\s*个\s*[\u4e00-\u9fff]{0,6}?|[新名位]?)(?:学生|孩子|娃|小孩|幼儿|儿童|老师|教师|校医|保安|人员|职工|人)"
    # …ending the noun phrase (多少个高级教师评审名额, 几个幼儿园 count other things)
    r"(?=$|[^\u4e00-\u9fff]|[进来去吗呢呀啊要得能配在就才都也一了拿报参考上读])"
)


def people_counted(question: str) -> str:
    """The words naming the people a question counts (个学生 of 一个班收多少个学生; "" when none)."""
    m = _NUMBER.search(question)
    return _people_after(question, m) if m else ""


def _people_after(question: str, asked: re.Match[str]) -> str:
    """The people named right after the words that ask a number ("" when it counts something else);
    a 个 the ask took (几个) is read again as the measure before them."""
    p = _OF_PEOPLE.match(question, asked.end() - asked.group().endswith("个"))
    return p.group() if p else ""


_STATES_PEOPLE = re.compile(
    rf"{_NUM}\s*(?:余|多)?\s*(?:名|位|人)|{_NUM}\s*个\s*(?:学生|孩子|幼儿|儿童|老师|教师)"
)


# Verbs that link a quantity to what it measures (比例达到多少, 人数超过多少): never the anchor.
VALUE_VERBS = frozenset(word_list("value_verbs"))

# Measure words that count the same things: people (名/位/人), schools and sites (所/处).
_SAME_MEASURE = {"名": "名位人", "位": "名位人", "人": "名位人", "所": "所处", "处": "所处", "节": "节课"}


def asked_value(question: str) -> ValueAsk | None:
    """What kind of value the question asks for, or None when it asks for none.

    Example:
        >>> asked_value("教师退休年龄是多少").kind
        'age'
        >>> asked_value("哪些文件提到控辍保学") is None
        True
    """
    question = _which_ones(_few_in_background(question))
    for kind, ask, states in _VALUE_KINDS:
        m = ask.search(question)
        if m:
            # 保育费大概多少, 分数线是多少: the noun says what is asked about; only 多少 asks
            words = _MONEY_ASK if kind in ("money", "score") else ask
            if kind == "time" and _ASKS_DAY.fullmatch(m.group()):
                # 寒假哪天开始放, 几号开学: a day is stated as a date, not by 寒假 or 秋季
                states = _STATES_DAY
            if kind == "money" and _SHARE_ASKED.search(question):
                # 学前教育经费占教育经费的比例最少是多少: a share of a sum is asked, stated as 8%以上
                # or 百分之八 (R35a, R35b, R49a, R65a, R65b) — not as an amount
                states = _MONEY_OR_SHARE
            elif (
                kind == "money"
                and _SHARE_OF.search(question, 0, m.end())
                and not _SAYS_MONEY.match(question, m.end())
            ):
                # 工资还发多少, 学费能退回来多少, 每年涨多少: a share answers it as well as a sum
                # (不超过50%的基础性绩效工资, 提取不少于5%的资金)
                states = _MONEY_OR_SHARE
            if kind == "duration":
                # 一节课多少分钟 is not answered by 两周轮换一次, nor 休几个月 by 三十日内: a unit
                # the question names must be stated in it or a neighbouring one
                states = _DURATION_IN.get(_unit_of(m.group()), states)
            return None if _yes_no(question, m.start()) else ValueAsk(kind, states, words)
    m = _FREQUENCY.search(question)
    if m and not _yes_no(question, m.start()):
        return ValueAsk("frequency", _STATES_FREQUENCY, _FREQUENCY)
    m = _COUNT.search(question)
    if m:
        if _yes_no(question, m.start()):
            return None
        measure = _SAME_MEASURE.get(m.group(1), m.group(1))  # 几位咨询师 is answered by 4名心理咨询师
        # (a document may count things in 个: 几间录播教室 is answered by 建设20个多功能录播教室 —
        # not people, nor schools and sites, which it counts in 名 / 所: 85个教学班 are no schools)
        either = measure if measure[0] in "名位人所处" else measure + "个"
        return ValueAsk("count", re.compile(rf"{_NUM}\s*(?:余|多)?\s*[{either}]"), _COUNT)
    m = _LEVEL.search(question)
    if m and not _yes_no(question, m.start()):
        return ValueAsk("level", _STATES_LEVEL, _LEVEL)
    m = _ORDINAL.search(question)
    if m and not _yes_no(question, m.start()):
        return ValueAsk("ordinal", _STATES_ORDINAL, _ORDINAL)
    m = _NUMBER.search(question)
    if m and not _yes_no(question, m.start()):
        if _people_after(question, m):
            # 一个班最多收多少个孩子, 招几个老师: people are counted in 名 / 人 / 位 (班额不超过45人)
            return ValueAsk("people", _STATES_PEOPLE, _NUMBER)
        spoken = spoken_numbers(question[m.end() :])
        return ValueAsk("number", re.compile(r"\d+(?:\.\d+)?"), _NUMBER, spoken)
    return None


# 有几 in a clause that tells what did not happen, before the one that asks: 娃有几针疫苗没打，上幼儿园前得去哪儿补
_TOLD_FEW = re.compile(
    r"有几(?=[^,，。;；?？!！吗呢]*[没未不][^,，。;；?？!！吗呢]*[,，。;；][^,，。;；]*[\u4e00-\u9fff])"
)

# 几 after 过 / 了 (读过的几门课, 念过几门课) in a clause before the one that asks (R50a, R50b)
_TOLD_DONE = re.compile(r"([过了]的?)几(?=[^,，。;；?？!！吗呢]*[,，。;；][^,，。;；]*[\u4e00-\u9fff])")


def _few_in_background(question: str) -> str:
    """The question with 有几 read as 有些 ("some") in a clause that says what did not happen, before
    the clause that asks (有几针疫苗没打，…去哪儿补; 有几个娃初中没读完…，县里有没有…): it counts nothing.

    Example:
        >>> _few_in_background("娃小时候有几针疫苗没打，上幼儿园前得去哪儿补？")
        '娃小时候有些针疫苗没打，上幼儿园前得去哪儿补？'
        >>> _few_in_background("全县一共有几所学校？")
        '全县一共有几所学校？'
    """
    question = _TOLD_FEW.sub("有些", question)
    # 读过的几门课，…能不能算进去: a few things done (过 / 了 before 几), told before the clause that asks
    return _TOLD_DONE.sub(r"\1些", question)


def _which_ones(question: str) -> str:
    """The question with 哪几 read as 哪些: 初中能安排到哪几所, 考哪几项, 报名是哪几天 ask which
    ones (names, items, dates), not how many.

    Example:
        >>> _which_ones("初中能安排到哪几所？")
        '初中能安排到哪些所？'
    """
    return question.replace("哪几", "哪些")


_YES_NO = re.compile(r"(.)[不没]\1|是否|可否|可不可以")
_SAYS_WHETHER = re.compile(r"(?:有没有|是否|有无)(?:明确)?(?:规定|说|讲|提到?|写|要求)")
# where a clause ends: what a question asks within it belongs to it
CLAUSE_END = re.compile(r"[,，。;；?？!！]")


def _yes_no(question: str, at: int) -> bool:
    """Whether the value words at `at` stand in a yes-no clause (要不要 … 带几节课; 几家公司能不能
    凑到一起去投; 前面几年工龄还算不算): it asks whether, not how many. Another clause may ask for the
    value (要满几年,能不能留下).

    Example:
        >>> _yes_no("教研室的人要不要下到学校自己带几节课", 15), _yes_no("要满几年,能不能留下", 2)
        (True, False)
        >>> _yes_no("几家公司能不能凑到一起去投", 0), _yes_no("中考能多给几分不", 5)
        (True, True)
    """
    start = max((m.end() for m in CLAUSE_END.finditer(question, 0, at)), default=0)
    m = CLAUSE_END.search(question, at)
    end = m.start() if m else len(question)
    if _SAYS_WHETHER.search(question, start, at):
        # 有没有规定每天做几次眼保健操, 文件里有没有说多少岁可以退休: whether the documents state the
        # value — they answer only by stating it
        return False
    # 中考能多给几分不, 学校能帮着带几天不: a clause that ends in 不 asks whether (N40, R6f, R31a, R31b)
    return bool(_YES_NO.search(question, start, end)) or question[start:end].rstrip().endswith("不")


def states_value(sentence: str, ask: ValueAsk) -> bool:
    """Whether `sentence` states a value of the asked kind.

    A plain number counts unless it is only a year (2019) or a date (4月, 9日): "2019年起" states
    no amount — nor does an item's number (32.加快发展…, （2）, 第3条) or a telephone's.
    """
    if ask.kind != "number":
        return bool(ask.pattern.search(sentence))
    for m in ask.pattern.finditer(sentence):
        after = sentence[m.end() : m.end() + 1]
        before = sentence[m.start() - 1 : m.start()] if m.start() else ""
        # 有效期5年 and 满3年 state a number; 2019年, 4月, 9日 only a date; 32.加快发展学前教育,
        # （2）《教师资格证书》 and 第3条 only number an item; 38622512 is a telephone
        if (
            _YEAR.fullmatch(m.group())
            or after in ("月", "日", "号")
            or (after == "年" and len(m.group()) > 2)
            or (after in (".", "．", "、") and not sentence[m.end() + 1 : m.end() + 2].isdigit())
            or (before in ("（", "(", "第") and after in ("）", ")", "条", "章", "款", "项", "节"))
            or len(m.group()) >= 7
        ):
            continue
        return True
    # 限报三所, 每年举办一届: a number in Chinese numerals, counting something — or in the unit asked
    return bool(_CN_COUNT.search(sentence)) or bool(ask.spoken and ask.spoken.search(sentence))


_SENTENCE = re.compile(r"[^。；;！？!?\n]+")
# 教育费附加安排的支出2800万元。主要用于下属学校的教育设备、设施的支出: what an amount is for follows it
_PURPOSE = re.compile(r"\s*(?:主要用于|用于|其中|主要是|主要包括|包括)")


def value_sentences(text: str, ask: ValueAsk) -> list[str]:
    """The sentences of `text` that state a value of the asked kind, each with the clause after it
    when that clause says what the value is for (主要用于…, 其中…).

    Example:
        >>> ask = asked_value("学校买设备的钱安排了多少")
        >>> value_sentences("（五）教育费附加安排的支出2800万元。主要用于下属学校的教育设备、设施的支出。", ask)
        ['（五）教育费附加安排的支出2800万元。主要用于下属学校的教育设备、设施的支出']
    """
    sentences = _SENTENCE.findall(text)
    out = []
    for i, s in enumerate(sentences):
        if states_value(s, ask):
            after = sentences[i + 1] if i + 1 < len(sentences) else ""
            out.append(f"{s}。{after}" if _PURPOSE.match(after) else s)
    return out
