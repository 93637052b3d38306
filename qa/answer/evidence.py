"""Evidence: which of the question's terms the retrieved passages hold.

A question's terms are its content words, each with the forms that count as the term in a passage:
the word itself, the official terms the vocabulary maps it to (老师 → 教师), the other spelling of a
quantity (五十 → 50), and — for a word the corpus does not have as segmented — the corpus words it
aligns with in the question (jieba cuts 上一年级 into 上一年 + 级; the corpus has 一年级).

A term is *generic* when a large share of the corpus's passages hold it (措施, 工作, 学校 in a
bureau's plans): a passage sharing only generic terms with a question is not about it. The share
comes from the index's postings, so it means the same on any corpus. Everything here is a pure
function of the plan, the hits and the loaded index.

Example: for “融安县防溺水措施” the terms are 防溺水 (forms 防溺水, 游泳安全; rare) and 措施
(generic); 融安's item 7 holds 防溺水, the party-building item only 措施.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING

from core.types import Hit
from index.build import context_text
from index.tokenize import normalize
from qa.answer import signals
from qa.query import QueryPlan
from qa.relevance import (
    QUESTION_WORD,
    bare_word,
    content_words,
    everyday_words,
    is_resultative,
    measure_glued,
)
from qa.wordlists import word_list

if TYPE_CHECKING:
    from qa.library import LoadedIndex


MAX_SPLIT_CHARS = 8  # longer "words" (xxxx…, a pasted URL) are not split into corpus words


@dataclass(frozen=True)
class Term:
    """A content word of the question and what counts as it in a passage.

    `forms` are normalised strings, any of which counts; `parts`, when not empty, is a split of an
    unknown compound into corpus words that all must be present (学校成绩 = 学校 + 成绩). `share` is
    the share of passages that can hold the term (from the postings; an upper bound).
    """

    word: str
    forms: tuple[str, ...]
    parts: tuple[str, ...] = ()
    share: float = 0.0
    known: bool = False
    loose: tuple[
        str, ...
    ] = ()  # corpus words inside an unknown word (退休 of 退休年龄): a hint, not the term
    everyday: bool = False  # the asker's phrasing (娃, 下班, 夏天 …), not what the question is about
    spread: float = 1.0  # the share of the documents that hold it (an upper bound)

    def near(self, text: str) -> bool:
        """Whether a passage holds the term or a corpus word inside it."""
        return self.held_by(text) or any(p in text for p in self.loose)

    def held_by(self, text: str) -> bool:
        """Whether a passage's normalised context text holds the term."""
        if any(f in text for f in self.forms):
            return True
        return bool(self.parts) and all(p in text for p in self.parts)


@dataclass(frozen=True)
class Evidence:
    """The question's terms and, for each, the first hit (0-based) whose context holds it (None: none).

    `topic` lists the indexes of the non-generic terms, or of every term when all are generic
    (“学校工作”: then generic words are all the question has).
    """

    terms: tuple[Term, ...]
    first: tuple[int | None, ...]
    topic: tuple[int, ...]
    near: tuple[bool, ...] = ()  # per term: some hit holds it or a corpus word inside it
    spelled: tuple[str, ...] = ()  # the full forms the hits spell the question's short names in (升国旗)

    def topic_terms(self) -> list[Term]:
        return [self.terms[i] for i in self.topic]

    def matched_topic(self, depth: int) -> list[Term]:
        """Topic terms held by one of the first `depth` hits."""
        return [self.terms[i] for i in self.topic if self.first[i] is not None and self.first[i] < depth]

    def unmatched_topic(self, depth: int) -> list[Term]:
        """Topic terms none of the first `depth` hits holds: what to name as “not mentioned”."""
        return [self.terms[i] for i in self.topic if self.first[i] is None or self.first[i] >= depth]


def aligned_forms(question: str, word: str, known) -> tuple[str, ...]:
    """Corpus words that overlap `word` where it stands in the question by 2+ characters and reach past it.

    “娃要上一年级”: jieba gives 上一年 and 级; the corpus has 一年级, which overlaps 上一年 there.
    (Parts inside the word are `signals.longest_known_part`'s.)

    Example:
        >>> aligned_forms("娃要上一年级", "上一年", lambda w: w == "一年级")
        ('一年级',)
    """
    a = question.find(word)
    if a < 0:
        return ()
    b = a + len(word)
    out: list[str] = []
    for s in range(max(0, a - 2), b - 1):
        for e in range(s + 2, min(len(question), b + 2) + 1):
            if (s >= a and e <= b) or min(e, b) - max(s, a) < 2:
                continue
            cand = question[s:e]
            if cand not in out and known(cand):
                out.append(cand)
    return tuple(out)


def abbreviates(word: str, name: str) -> bool:
    """Whether `word` is a short name of the organisation `name`: its first character opens the name
    or follows a place of two or three characters, and the others follow in order (重邮 of
    重庆邮电大学, 职专 of 平潭职业中专学校, 人大 of 全国人民代表大会常务委员会) — not a part of it.

    Example:
        >>> abbreviates("重邮", "重庆邮电大学"), abbreviates("邮电", "重庆邮电大学"), abbreviates("学校", "重庆邮电大学")
        (True, False, False)
    """
    if not 2 <= len(word) <= 4 or word in name:
        return False
    for start in (0, 2, 3):
        if name[start : start + 1] == word[0]:
            at = start
            for c in word[1:]:
                at = name.find(c, at + 1)
                if at < 0:
                    break
            else:
                return True
    return False


# a kind of school (考高中, 上职专): a short name of one school only after its place (平潭职专)
_SCHOOL_KIND = re.compile(r"^(?:[高初]中|[小中大]学|中专|职专|职高|中职|技校|附中|幼儿园)$")


def _short_named(ix: LoadedIndex, word: str, before: str, places: tuple[str, ...]) -> bool:
    """Whether `word` is a short name of an organisation that issued a document of the corpus (重邮,
    广工, 人大; a kind of school right after the place it is in, 平潭职专)."""
    if _SCHOOL_KIND.match(word) and not before.endswith(places or ("\0",)):
        return False
    return any(abbreviates(word, name) for name in _issuers(ix))


# the school a title opens with (平潭职业中专学校中等职业教育质量年度报告, 2024年福建师范大学平潭附属中学…)
_TITLE_SCHOOL = re.compile(r"^(?:\d{4}年)?([\u4e00-\u9fff]{2,14}?(?:大学|学院|中学|小学|学校|幼儿园))")


# the issuers of the last few corpora asked: id of the documents' mapping → (that mapping, how many
# documents it held, their issuers)
_ISSUERS: dict[int, tuple[object, int, tuple[str, ...]]] = {}


def _issuers(ix: LoadedIndex) -> tuple[str, ...]:
    """The organisations that issued the corpus's documents: each one's issuer and the school its
    title opens with (worked out once per index, not per word asked)."""
    cached = _ISSUERS.get(id(ix.docs))
    if cached is not None and cached[0] is ix.docs and cached[1] == len(ix.docs):
        return cached[2]
    names = [d.meta.issuer for d in ix.docs.values() if d.meta.issuer]
    names += [m.group(1) for d in ix.docs.values() if (m := _TITLE_SCHOOL.match(d.meta.title or ""))]
    found = tuple(dict.fromkeys(names))
    if len(_ISSUERS) >= 8:
        _ISSUERS.clear()
    _ISSUERS[id(ix.docs)] = (ix.docs, len(ix.docs), found)
    return found


def question_terms(ix: LoadedIndex, plan: QueryPlan) -> list[Term]:
    """The question's content words (places and question words left out), each with its forms."""
    named = (*plan.places, *plan.uncovered_places)
    n = max(len(ix.store.passages), 1)

    def found(s: str) -> bool:
        return signals.in_corpus(ix, s)

    terms: list[Term] = []
    seen: set[str] = set()
    words = signals.corpus_cut(ix, plan.core)
    at = 0
    for raw in words:
        start = plan.core.find(raw, at)
        at = start + len(raw) if start >= 0 else at
        if raw not in content_words([raw]) or QUESTION_WORD.search(raw):
            continue
        # a word of the documents is kept whole: 记过处分 keeps its 过, 社会 its 会, 及格 its 及, 能力
        # its 能 (R93a, and 社会实践, 就业能力 of every corpus); 管了, 够不够, 要交 lose what only
        # asks, and so does the 不让 of 让不让 (a yes-no question's second half)
        w = raw if signals.in_corpus(ix, raw) and raw[0] not in "不没" else bare_word(raw)
        if start > 0 and not signals.in_corpus(ix, w):
            # 9|月生的, 多少|分才算: the measure or the unit is the count's (in the question: the
            # core has lost the 多少 it follows)
            asked_at = plan.question.find(raw)
            w = measure_glued(w, plan.question[:asked_at] if asked_at > 0 else plan.core[:start])
        if not content_words([w]) or w in seen or any(p in w or w in p for p in named):
            continue
        if _short_named(ix, w, plan.question[: max(plan.question.find(w), 0)], named):
            continue
        seen.add(w)
        in_corpus = signals.in_corpus(ix, w)
        others = [off for key, off in plan.expansions if key in w or w in key]
        parts: tuple[str, ...] = ()
        if not in_corpus and len(w) <= MAX_SPLIT_CHARS:  # a word, not a pasted string of letters
            others += aligned_forms(plan.core, w, found)
            part = signals.longest_known_part(ix, w, min_chars=max(2, len(w) - 1))
            if part:
                others.append(part)
            else:  # 学校成绩 = 学校 + 成绩
                parts = tuple(normalize(p) for p in _split(w, found))
        others = [normalize(o) for o in dict.fromkeys(others) if o != w]
        loose = () if in_corpus or len(w) > MAX_SPLIT_CHARS else known_parts(w, found)
        # how common the term is: its own postings, or those of the forms that stand for it
        present = ([normalize(w)] if in_corpus else []) + [o for o in others if found(o)]
        spread = 1.0
        if present:
            share = max(signals.rarity(ix, f) for f in present) / n
            spread = max(signals.document_spread(ix, f) for f in present)
        else:  # a compound of known parts is as common as its rarest part
            share = min((signals.rarity(ix, p) for p in parts), default=0) / n
        terms.append(
            Term(
                word=w,
                forms=(normalize(w), *others),
                parts=parts,
                share=share,
                known=bool(present or parts),
                loose=loose,
                spread=spread,
            )
        )
    # a vocabulary phrase the segmenter cut into pieces it drops (晚一年 → 晚 / 一年) is a term too
    for key in dict.fromkeys(key for key, _ in plan.expansions):
        if key in seen or any(key in t.word or t.word in key for t in terms):
            continue
        if any(p in key or key in p for p in named) or not content_words([key]):
            continue
        seen.add(key)
        others = [normalize(off) for k, off in plan.expansions if k == key]
        present = [o for o in others if found(o)]
        if not present:
            continue
        share = max(signals.rarity(ix, f) for f in present) / n
        terms.append(Term(word=key, forms=(normalize(key), *others), share=share, known=True))
    unknown = [t.word for t in terms if not t.known]
    if unknown:
        # a word the vocabulary has official names for (近视 → 近视防控, 视力; 欺负 → 欺凌) names a thing,
        # however the tagger reads it (近视越来越多: an adjective): when the corpus has none of its
        # names, the documents lack the thing, not just the asker's phrasing of it
        vocab_keys = {key for key, _ in plan.expansions}
        predicates = set(everyday_words(unknown, ix.cut.tag(plan.core), plan.core)) - vocab_keys
        terms = [
            replace(t, everyday=t.word in predicates or is_everyday(t.word) or is_resultative(t.word, ix.cut))
            if not t.known
            else t
            for t in terms
        ]
    return terms


# a character said twice: the spoken forms 聊聊, 偷偷, 跑跑跳跳, 山沟沟
_DOUBLED = re.compile(r"([\u4e00-\u9fff])\1")


def is_everyday(word: str) -> bool:
    """Whether a word is ordinary speech: listed (qa/data/everyday.txt), listed with a stray
    character jieba left on it (娃往, 娃想: 娃 and one more), or said with a doubled character —
    the spoken forms 聊聊, 偷偷, 跑跑跳跳, 山沟沟 (only words the corpus lacks are asked: a
    document's own doubled term, 班班有项目, is known).

    Example:
        >>> is_everyday("两口子"), is_everyday("娃往"), is_everyday("跑跑跳跳"), is_everyday("近视")
        (True, True, True, False)
    """
    words = _everyday()
    if _DOUBLED.search(word):
        return True
    return word in words or (len(word) >= 2 and (word[:-1] in words or word[1:] in words))


@cache
def _everyday() -> frozenset[str]:
    return frozenset(word_list("everyday"))


def known_parts(word: str, known, min_chars: int = 2) -> tuple[str, ...]:
    """The corpus words inside `word`, longest first, none inside another.

    Example:
        >>> known_parts("退休年龄", lambda w: w in {"退休", "年"})
        ('退休',)
    """
    out: list[str] = []
    for n in range(len(word) - 1, min_chars - 1, -1):
        for i in range(len(word) - n + 1):
            part = word[i : i + n]
            if not any(part in o for o in out) and known(part):
                out.append(normalize(part))
    return tuple(out)


def _split(word: str, known) -> list[str]:
    """A split of `word` into known parts of 2+ characters (longest first), or [] when there is none."""
    for j in range(len(word), 1, -1):
        if known(word[:j]):
            if j == len(word):
                return [word]
            rest = _split(word[j:], known)
            if rest:
                return [word[:j], *rest]
    return []


_CJK_WORD = re.compile(r"[\u4e00-\u9fff]{2,4}")


def full_form(word: str, texts: list[str], cut=None) -> str | None:
    """The full form an abbreviation of the question stands for in the texts, or None.

    Chinese shortens a name by the first character of each of its two-character words: 师大 for
    师范大学, 附中 for 附属中学, 教资 for 教师资格, 普高 for 普通高中. A word no text holds is read
    as such an abbreviation where a text holds a full form that spells it that way and `cut` (the
    word segmenter, on the text around it) reads that form as whole words: 控辍保学部署 holds 辍保学部,
    but as 控辍 + 保学 + 部署 it is no full form of 辍学.

    Example:
        >>> full_form("师大", ["考入福建师范大学平潭附属中学任教"]), full_form("附中", ["师范大学附属中学"])
        ('师范大学', '附属中学')
        >>> full_form("手机", ["提升学校的管理手段和机制"]) is None
        True
        >>> full_form("防防", ["防恐防暴"]) is None
        True
        >>> full_form("辍学", ["控辍保学部署"], cut=lambda s: ["控辍", "保学", "部署"]) is None
        True
    """
    if not _CJK_WORD.fullmatch(word) or len(set(word)) < len(word):  # 防防: a doubling, no abbreviation
        return None
    pattern = re.compile("".join(f"{re.escape(c)}[\u4e00-\u9fff]" for c in word))
    for t in texts:
        for m in pattern.finditer(t):
            if cut is None or _whole_words(t, m.start(), m.end(), cut):
                return m.group()
    return None


def inserted_form(word: str, texts: list[str], cut) -> str | None:
    """The full form a short name stands for by leaving out the first character of its last word,
    or None: 升旗 for 升国旗 (升 + 国旗), 广播操 for 广播体操 (广播 + 体操) — where `cut` reads the
    form, in the text around it, as one word or as words up to a last two-character word.

    Example:
        >>> inserted_form("升旗", ["3、升国旗、奏国歌"], cut=lambda s: ["3", "、", "升", "国旗", "、", "奏", "国歌"])
        '升国旗'
        >>> inserted_form("校服", ["全校制服"], cut=lambda s: ["全校", "制服"]) is None
        True
    """
    if not _CJK_WORD.fullmatch(word) or len(word) > 3:
        return None
    pattern = re.compile(re.escape(word[:-1]) + "[\u4e00-\u9fff]" + re.escape(word[-1]))
    for t in texts:
        for m in pattern.finditer(t):
            a = max(0, m.start() - 6)
            window, bounds, at = t[a : m.end() + 6], set(), 0
            for w in cut(window):  # (a segmenter may drop the spaces between words)
                at = window.find(w, at)
                if at < 0:
                    break
                bounds |= {a + at, a + at + len(w)}
                at += len(w)
            inner = bounds & set(range(m.start() + 1, m.end()))
            if {m.start(), m.end()} <= bounds and inner <= {m.end() - 2}:
                return m.group()
    return None


def _whole_words(text: str, start: int, end: int, cut, margin: int = 6) -> bool:
    """Whether text[start:end] is, as `cut` reads the text around it, its two-character words, one
    word, or the end of one word (师范大学 of 福建师范大学)."""
    a = max(0, start - margin)
    spans, at = [], a
    for w in cut(text[a : end + margin]):
        spans.append((at, at + len(w)))
        at += len(w)
    bounds = {x for s in spans for x in s}
    if end not in bounds:
        return False
    if any(s < start and e == end for s, e in spans):
        return True
    inner = set(range(start + 2, end, 2))
    return start in bounds and (inner <= bounds or not (bounds & set(range(start + 1, end))))


# A word is generic only when at least this share of the documents hold it: 教具 in 30 % of a small
# corpus's passages, all of them one notice's, is what that notice is about (pooled spent sets, 0.5:
# +26 / −11 and padding 4.5 → 3.7 %; 0.34: +20 / −10; 0.67: +37 / −19)
GENERIC_SPREAD = 0.5


def topic_of(terms: list[Term], generic_share: float, spread: float = GENERIC_SPREAD) -> tuple[int, ...]:
    """The indexes of the question's topic terms: those not generic — held by fewer than
    `generic_share` of the passages, or by fewer than `spread` of the documents.

    When only the asker's everyday words (最多) are that rare — in a corpus of a few documents every
    word of a question about one of them may be common there — the question's own words are the
    topic; when every term is generic, every term is.

    Example:
        >>> t = lambda w, share, everyday=False: Term(w, (w,), share=share, everyday=everyday)
        >>> topic_of([t("防溺水", 0.01), t("措施", 0.3)], 0.12), topic_of([t("学费", 0.3), t("最多", 0, True)], 0.12)
        ((0,), (0,))
    """
    topic = tuple(i for i, t in enumerate(terms) if t.share < generic_share or t.spread < spread)
    specific = tuple(i for i, t in enumerate(terms) if not t.everyday)
    if topic and specific and all(terms[i].everyday for i in topic):
        topic = specific
    return topic or tuple(range(len(terms)))


def gather(
    ix: LoadedIndex, plan: QueryPlan, hits: list[Hit], *, generic_share: float, depth: int = 10
) -> Evidence:
    """Which of the first `depth` hits hold each term; which terms are the topic (not generic).

    A term no hit holds counts as held where a hit spells out the abbreviation it is (`full_form`,
    `inserted_form`); the full forms are kept, for the cards to highlight.
    """
    terms = question_terms(ix, plan)
    texts = [normalize(context_text(h.passage, ix.docs[h.passage.doc_id].meta)) for h in hits[:depth]]
    n = max(len(ix.store.passages), 1)
    held = [next((i for i, t in enumerate(texts) if term.held_by(t)), None) for term in terms]
    spelled: list[str] = []
    for k, term in enumerate(terms):
        if held[k] is None and (
            full := full_form(term.word, texts, ix.cut) or inserted_form(term.word, texts, ix.cut)
        ):
            share = max(term.share, signals.rarity(ix, full) / n)
            terms[k] = replace(term, forms=(*term.forms, full), share=share, known=True, everyday=False)
            held[k] = next(i for i, t in enumerate(texts) if full in t)
            spelled.append(full)
    first = tuple(held)
    near = tuple(
        f is not None or any(term.near(t) for t in texts) for f, term in zip(first, terms, strict=True)
    )
    topic = topic_of(terms, generic_share)
    return Evidence(terms=tuple(terms), first=first, topic=topic, near=near, spelled=tuple(spelled))


def on_topic(ix: LoadedIndex, hit: Hit, evidence: Evidence) -> bool:
    """Whether a hit holds one of the question's topic terms (not only generic words like 措施)."""
    text = normalize(context_text(hit.passage, ix.docs[hit.passage.doc_id].meta))
    return any(t.held_by(text) for t in evidence.topic_terms())
