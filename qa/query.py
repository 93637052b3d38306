"""Question understanding: places, bodies, years, quoted phrases, intents, vocabulary expansion."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from qa.numerals import age_pairs, numeral_pairs
from qa.places import Place, PlaceMention, find_places
from qa.relevance import shared_cutter, split_counts
from qa.types import DocMeta, Document
from qa.vocab import Vocabulary
from qa.wordlists import word_list

MAX_QUESTION_CHARS = 500

_QUOTED = re.compile(r"[“\"「『‘'《]([^”\"」』’'》]{2,60})[”\"」』’'》]")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年?")
# Question words and fillers (qa/data/fillers.txt): they say how to answer, not what about.
_FILLER = re.compile("|".join(word_list("fillers")))
_WORDING = re.compile(r"原文|出处|原话|怎么说|怎么写|怎么表述|哪个文件|哪份文件|哪些文件|哪个文档|出自|提法")
_WORDING_NOISE = re.compile(
    r"原文|出处|原话|怎么说的?|怎么写的?|怎么表述的?|哪个文件|哪份文件|哪些文件|哪个文档|出自|提法|提到|提出|里面?|中的?|"
    # what kind of phrase is asked for (主题口号原文, 原文叫哪几个名字): documents quote the phrase
    # without calling it so (R14a, R23b, N12, N5, N50)
    r"口号|标语|宣传语|名字|名称|一字不差|一字不漏|一字不落|逐字"
)
_SOURCE = re.compile(r"哪个(?:县|市|区|地方|单位|部门)|哪份|谁提出|提出的|出现在|在哪里提")
_MORE = re.compile(r"^(还有吗|还有呢|还有|更多|继续|下一页|再来点|再多一些|其他的?呢?)[?？。!！]*$")
_MULTI = re.compile(r"各地|各个?文件|哪些文件|哪几个文件|哪些地方|都有哪些|各县|各市|分别|对比|比较|异同")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff]")


@dataclass(frozen=True)
class QueryPlan:
    """What the question asks, as far as retrieval needs to know.

    Attributes:
        question: the question as the user typed it, cleaned of control characters and capped.
        core: the question without question words and fillers (what BM25 should match).
        quoted: phrases in quotes, to be matched verbatim.
        places: place names in the question that some document covers.
        allowed_docs: documents the question is restricted to by place or body (None: all).
        uncovered_places: place names the question asks about that no document covers.
        wider_places: (place, province or city) for a place covered only by the documents of the
            province or city it lies in (郑州 → 河南省): they hold there, but say nothing of its own.
        years: years named in the question.
        expansions: (colloquial, official) vocabulary pairs found in the question, and the other
            spelling of each quantity in it (五十 → 50, qa/numerals.py).
        wants_wording: asks for 原文 / 出处 / 哪个文件.
        wants_more: "还有吗" — the next results of the previous question.
        multi: asks across documents (各地…, 哪些文件…).
        truncated: the question was longer than MAX_QUESTION_CHARS and was cut.
    """

    question: str
    core: str
    quoted: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    allowed_docs: frozenset[str] | None = None
    uncovered_places: tuple[str, ...] = ()
    wider_places: tuple[tuple[str, str], ...] = ()
    years: tuple[int, ...] = ()
    expansions: tuple[tuple[str, str], ...] = ()
    wants_wording: bool = False
    wants_more: bool = False
    multi: bool = False
    truncated: bool = False


def sanitize(question: str, max_chars: int = MAX_QUESTION_CHARS) -> tuple[str, bool]:
    """Drop control and zero-width characters, fold whitespace, cap the length."""
    q = _ZERO_WIDTH.sub("", question or "")
    q = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in q)
    q = re.sub(r"\s+", " ", q).strip()
    if len(q) > max_chars:
        return q[:max_chars], True
    return q, False


_ASKING = re.compile(r"什么|多少|怎|哪|如何|是否|有没有|请问|几")


def drop_fillers(text: str) -> str:
    """`text` without its question words and fillers (qa/data/fillers.txt) — those that stand as
    words: 一下 of 一下子报四五个社团 is part of 一下子 (R85a, R85b), and dropping it left 子报, a
    word no document has.

    Example:
        >>> drop_fillers("想一下子报四五个社团"), drop_fillers("请问一下社团有哪些").split()
        ('想一下子报四五个社团', ['社团'])
    """
    # the question's dictionary words, cut only when a filler may be inside one
    spans: list[tuple[int, int]] = []

    def inside_a_word(m: re.Match[str]) -> bool:
        # a question word stays a question word inside a longer one (干什么, 多少钱, 为什么)
        if _ASKING.search(m.group()):
            return False
        if not spans:
            spans.extend(shared_cutter().word_spans(text))
        a, b = m.span()
        return any((s < a < e or s < b < e) and e - s > b - a for s, e in spans)

    return _FILLER.sub(lambda m: m.group() if inside_a_word(m) else " ", text)


def doc_aliases(doc: Document) -> set[str]:
    """Names by which a question can point at a document: its places, issuer, anonymised title."""
    m = doc.meta
    names = {x for x in (m.issuer,) if x}
    if m.title.startswith(("某市", "某县", "某区")):
        names.add(m.title[:2])
    return names


# a regulation's title: a law, 条例, 办法 … (a plan's or a notice's title is no name people ask by)
_REGULATION = re.compile(r"(?:法|条例|办法|规定|细则|规程)$")


def short_title(title: str | None) -> str | None:
    """The name a question calls a regulation by: its title without 中华人民共和国 and quotes
    (学位法); None for other documents and for titles too short to tell apart.

    Example:
        >>> short_title("中华人民共和国学位法"), short_title("2024年融安县教育工作要点")
        ('学位法', None)
    """
    t = re.sub(r"[《》〈〉“”\s]", "", title or "").removeprefix("中华人民共和国")
    return t if 3 <= len(t) <= 30 and _REGULATION.search(t) else None


def _names_title(q: str, title: str) -> bool:
    """Whether `q` names the regulation: its short title, not inside a longer word (职业教育法)."""
    at = q.find(title)
    while at >= 0:
        if at == 0 or not ("\u4e00" <= q[at - 1] <= "\u9fff") or q[at - 1] in "的在按照据依":
            return True
        at = q.find(title, at + 1)
    return False


def covers(doc: Document, place_name: str) -> bool:
    m = doc.meta
    return place_name in {m.county, m.city, m.province}


# the documents of the whole country (`DocumentNames.whole`), and who issues them: with no place of
# their own, a State Council or ministry regulation (国务院, 国家教育委员会、卫生部, 教育部) holds everywhere
NATION = "全国"
_NATIONAL_ISSUER = re.compile(
    r"^(?:中华人民共和国|中共中央|国务院|全国人民代表大会|国家[\u4e00-\u9fff]{1,12}?(?:委员会|局|部|署)|"
    r"(?:教育|财政|卫生|公安|民政|司法|人力资源和社会保障|交通运输|体育)部)"
)


def national(meta: DocMeta) -> bool:
    """Whether a document holds for the whole country: no place of its own, a national issuer."""
    if meta.province or meta.city or meta.county:
        return False
    return bool(meta.issuer and _NATIONAL_ISSUER.match(meta.issuer)) or (meta.title or "").startswith(
        "中华人民共和国"
    )


def shown_place(meta: DocMeta) -> str | None:
    """The place a citation names: the document's own, or 全国 for a national regulation."""
    return meta.place or (NATION if national(meta) else None)


@dataclass
class DocumentNames:
    """What `analyze` looks up in the documents, computed once per document list.

    Attributes:
        covering: place name (county, city or province) → ids of the documents covering it.
        aliases: alias (issuer, anonymised "某市") → ids of the documents it names.
        n_docs: how many documents the maps were made from.
        whole: province or city → ids of the documents for all of it (a province's document names
            no city, a city's no county): they hold for every place inside it too.
        titles: a regulation's short title (学位法 of 中华人民共和国学位法) → ids of its documents.
    """

    covering: dict[str, frozenset[str]]
    aliases: dict[str, frozenset[str]]
    n_docs: int
    _documents: list[Document] = field(repr=False)
    whole: dict[str, frozenset[str]] = field(default_factory=dict)
    titles: dict[str, frozenset[str]] = field(default_factory=dict)
    _in_text: dict[str, bool] = field(default_factory=dict, repr=False)
    _unplaced: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, documents: list[Document]) -> DocumentNames:
        covering: dict[str, set[str]] = {}
        aliases: dict[str, set[str]] = {}
        titles: dict[str, set[str]] = {}
        whole: dict[str, set[str]] = {}
        for d in documents:
            m = d.meta
            for name in {m.county, m.city, m.province} - {None, ""}:
                covering.setdefault(name, set()).add(d.doc_id)
            for a in doc_aliases(d):
                aliases.setdefault(a, set()).add(d.doc_id)
            if short := short_title(m.title):
                titles.setdefault(short, set()).add(d.doc_id)
            widest = m.province if not m.city and not m.county else m.city if not m.county else None
            if widest:
                whole.setdefault(widest, set()).add(d.doc_id)
            elif national(m):
                # a State Council or ministry regulation holds in every place (R39: 校车安全管理条例)
                whole.setdefault(NATION, set()).add(d.doc_id)
        return cls(
            {k: frozenset(v) for k, v in covering.items()},
            {k: frozenset(v) for k, v in aliases.items()},
            len(documents),
            documents,
            whole={k: frozenset(v) for k, v in whole.items()},
            titles={k: frozenset(v) for k, v in titles.items()},
        )

    def for_place(self, place: Place) -> frozenset[str]:
        """The documents that hold for `place`: its own, or else those for all of its city or province.

        “郑州…考高中”: no document is 郑州's, but 河南省's provincial one holds there too.
        """
        docs = set(self.covering.get(place.name, ()))
        if docs:  # “广州白云区”: 广州's own documents, not all of 广东省's
            return frozenset(docs)
        for parent in (place.city, place.province, NATION):
            if parent and parent != place.name:
                docs |= self.whole.get(parent, frozenset())
        return frozenset(docs)

    def unplaced_naming(self, name: str) -> frozenset[str]:
        """Documents with no place in their metadata whose text names `name` (remembered per name).

        A school's 章程 whose title and 落款 name no place but whose body says 绍兴 is not excluded
        from a question about 绍兴 because its place could not be read.
        """
        found = self._unplaced.get(name)
        if found is None:
            found = self._unplaced[name] = frozenset(
                d.doc_id
                for d in self._documents
                if not (d.meta.province or d.meta.city or d.meta.county) and name in d.text
            )
        return found

    def in_text(self, name: str) -> bool:
        """Whether `name` occurs in the text of some document (remembered per name)."""
        found = self._in_text.get(name)
        if found is None:
            found = self._in_text[name] = any(name in d.text for d in self._documents)
        return found


_names_lock = threading.Lock()
_names: DocumentNames | None = None


def document_names(documents: list[Document]) -> DocumentNames:
    """The `DocumentNames` of this document list, kept for the last list asked about.

    An engine asks with the documents of its installed index, the same list object for every
    question, so the maps are made once per index (and ahead of the first question by
    `Engine._install`).
    """
    global _names
    with _names_lock:
        names = _names
        if names is None or names._documents is not documents or names.n_docs != len(documents):
            names = _names = DocumentNames.of(documents)
        return names


# jieba tags that make a bare short place name an ordinary word where it stands: 拖堂延长/v 上课.
_NOT_A_NAME = ("v", "a", "d", "c", "m", "q", "f", "t", "p", "u", "r", "b", "z")
# a bare name right after 个 / 的 / 里 / 内 / 头 / 边 names a thing somewhere, not a place (R5b, R7b)
_NOUN_BEFORE = re.compile(r"[个的里内头边]$")

# 娃跑去广东进厂, 我前年去武汉抗疫: a place someone went away to, for work, tells the asker's story
# (N19, N25, N29, R17a); the question is about the place at home
_WENT_AWAY = re.compile(r"(?:跑去|跑到|去了|去)$")
_AWAY_FOR = re.compile(r"(?:打工|进厂|务工|抗疫|干活|挣钱)")
# …and 在广东打工 too, when the child was left at home (跟着爷爷奶奶过, 娃在老家; N55, R47b) — 在杭州打工，
# 孩子进了公办学校 asks about 杭州
_LEFT_HOME = re.compile(r"老家|爷爷|奶奶|姥姥|姥爷|外公|外婆|留守")


def used_as_word(mention: PlaceMention, tagged: list[tuple[str, str]]) -> bool:
    """Whether a place mention written without its suffix (延长, not 延长县) is an ordinary word.

    It is when the segmentation of the question makes it a verb, adverb … or cuts through it.

    Example:
        >>> m = PlaceMention(2, 4, "延长", ())
        >>> used_as_word(m, [("拖堂", "n"), ("延长", "v"), ("上课", "v")])
        True
    """
    at = 0
    inside: list[str] = []
    for word, flag in tagged:
        end = at + len(word)
        if at == mention.start and end == mention.end:
            return flag.startswith(_NOT_A_NAME)
        if at < mention.end and end > mention.start and not (mention.start <= at and end <= mention.end):
            return True  # a word runs across its edge
        if mention.start <= at and end <= mention.end:
            inside.append(flag)
        at = end
    # 娃上高二: 上 / 高 / 二 — the segmenter reads the name as single characters, none a name's
    return len(inside) > 1 and all(f.startswith(_NOT_A_NAME) for f in inside)


def analyze(
    question: str,
    documents: list[Document],
    vocab: Vocabulary,
    tagger: Callable[[str], list[tuple[str, str]]] | None = None,
) -> QueryPlan:
    """Read a question against the documents' metadata.

    `tagger` (word, part of speech) lets a bare place name used as an ordinary word (延长) pass.

    Example:
        >>> plan = analyze("融安县防溺水措施", docs, vocab)  # doctest: +SKIP
        >>> plan.places, sorted(plan.allowed_docs)  # doctest: +SKIP
        (('融安县',), ['002_82e0708f1ad714c4'])
    """
    q, truncated = sanitize(question)
    quoted = tuple(m.group(1).strip() for m in _QUOTED.finditer(q) if m.group(1).strip())
    wants_wording = (
        bool(_WORDING.search(q))
        or bool(quoted and len(q) <= len(quoted[0]) + 12)
        # “护校安园维稳行动”是哪个县的计划里提出的: a quoted phrase and where it comes from
        or bool(quoted and _SOURCE.search(q))
    )
    names = document_names(documents)

    allowed: set[str] = set()
    places, uncovered = [], []
    wider_places: list[tuple[str, str]] = []
    away: list[str] = []
    tagged: list[tuple[str, str]] = []
    nation = names.whole.get(NATION, frozenset())
    for mention in find_places(q):
        docs = set().union(*(names.for_place(p) for p in mention.candidates))
        if docs and not docs <= nation:
            # a document whose place could not be read may be about this one when its text names it
            allowed |= docs | names.unplaced_naming(mention.surface)
            places.append(mention.surface)
            if not any(p.name in names.covering for p in mention.candidates):
                wider = next(
                    (w for p in mention.candidates for w in (p.city, p.province) if w in names.whole), ""
                )
                wider_places.append((mention.surface, wider))
        elif not names.in_text(mention.surface):
            bare = all(mention.surface != p.name for p in mention.candidates)
            if bare and tagger is not None and used_as_word(mention, tagged or (tagged := tagger(q))):
                continue
            if bare and _NOUN_BEFORE.search(q, 0, mention.start):
                continue  # 校内那个小店, 学校里头小店: a thing of a place, not the district 小店
            if _AWAY_FOR.match(q, mention.end) and (
                _WENT_AWAY.search(q, 0, mention.start)
                or (q[mention.start - 1 : mention.start] == "在" and _LEFT_HOME.search(q))
            ):
                away.append(mention.surface)  # nor a word to look for
                continue  # 跑去广东进厂, 去武汉抗疫: where someone went, not what the question is about
            if docs:
                # only the country's regulations hold there (临沂 校车使用许可) — once the name is a
                # place at all (合作 of 合作办学 is no 合作市)
                allowed |= docs
                places.append(mention.surface)
                wider_places.append((mention.surface, NATION))
            else:
                uncovered.append(mention.surface)
    named = [a for a in names.aliases if a in q]
    # a regulation named by its short title (学位法, 校车安全管理条例): that document, not every 施行
    # article of the others (R40a, R40b: 学位法哪天开始实行); the longest title named wins, and a
    # title inside a longer word (教育法 of 职业教育法) names nothing
    titled = [t for t in names.titles if _names_title(q, t)]
    titled = [t for t in titled if not any(t != u and t in u for u in titled)]
    for a in named:
        allowed |= names.aliases[a]
    for t in titled:
        allowed |= names.titles[t]
    named += titled
    years = tuple(sorted({int(y) for y in _YEAR.findall(q)}))
    core = _WORDING_NOISE.sub(" ", q) if wants_wording else q
    # Once the place restricts the documents, its name no longer tells passages apart.
    for name in sorted(set(places) | set(named) | set(away), key=len, reverse=True):
        core = core.replace(name, " ")
    core = split_counts(core)  # 多少名 新教师: the measure word stays off the noun once 多少 goes
    core = drop_fillers(core)
    core = re.sub(r"\s+", " ", core).strip() or q
    return QueryPlan(
        question=q,
        core=core,
        quoted=quoted,
        places=tuple(places),
        allowed_docs=frozenset(allowed) if allowed else None,
        uncovered_places=tuple(dict.fromkeys(uncovered)),
        wider_places=tuple(dict.fromkeys(wider_places)),
        years=years,
        expansions=vocabulary_pairs(q, vocab) + tuple(numeral_pairs(q)) + tuple(age_pairs(q)),
        wants_wording=wants_wording,
        wants_more=bool(_MORE.match(q)),
        multi=bool(_MULTI.search(q)),
        truncated=truncated,
    )


def vocabulary_pairs(question: str, vocab: Vocabulary) -> tuple[tuple[str, str], ...]:
    """The vocabulary's (colloquial, official) pairs for the question, without the phrases that only
    run across two of its words (`cut_across`); the question is cut into words once, if any matched."""
    pairs = vocab.expand(question)
    if not pairs:
        return ()
    spans = shared_cutter().word_spans(question)
    return tuple(p for p in pairs if not cut_across(question, p[0], spans))


def cut_across(question: str, phrase: str, spans: list[tuple[int, int]] | None = None) -> bool:
    """Whether every occurrence of a vocabulary phrase in the question begins inside one dictionary
    word and ends inside another: 国学 in 外国|学生, 大学 in 扩大|学前教育, 边学 in 那边|学校 are
    not in the question (学校门口 still holds 校门口: it ends where a word does).

    Example:
        >>> cut_across("外国学生老是逃课", "国学"), cut_across("学校门口来人", "校门口")
        (True, False)
    """
    at = question.find(phrase)
    if at < 0:
        return False  # matched with a particle or a character inserted: not a plain occurrence
    if spans is None:
        spans = shared_cutter().word_spans(question)
    starts = {s for s, _ in spans}
    ends = {e for _, e in spans}
    while at >= 0:
        end = at + len(phrase)
        if at in starts or end in ends:
            return False
        at = question.find(phrase, at + 1)
    return True
