"""The refusal signals: how much of a question the best passages match, which of its words the
corpus lacks, whether a passage states the value asked for.

Each signal is a function of the planned question, the hits and the loaded index (postings, idf,
documents: plain data); `decide.py` weighs them. Example: “融安县防溺水措施” covers 1.0 of its terms
in 融安's item 7; “教师退休年龄是多少” has no top passage stating an age about 退休.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

from core.types import Hit
from index.build import context_text
from index.tokenize import normalize
from qa.ingest.lines import is_date_line
from qa.places import lookup, short_name
from qa.query import QueryPlan
from qa.relevance import (
    CLAUSE_END,
    EDGE_CHARS,
    MEASURES,
    MONEY_NOUNS,
    MONEY_WORDS,
    UNIT_CHARS,
    VALUE_VERBS,
    ValueAsk,
    content_words,
    people_counted,
    value_sentences,
)

if TYPE_CHECKING:
    from qa.library import LoadedIndex

_CLAUSE_BREAK = re.compile(r"[,，、;；。?？!！\s]+")


def coverage(ix: LoadedIndex, plan: QueryPlan, hits: list[Hit], top: int = 3) -> float:
    """Share of the question's (idf-weighted) terms found in the best passages, in [0, 1].

    A term counts as found when it, or an official term the vocabulary maps it to, occurs in a
    top passage with its title and section. Unknown terms weigh as much as the rarest known one.
    """
    return max(coverages(ix, plan, hits[:top]), default=0.0)


def coverages(ix: LoadedIndex, plan: QueryPlan, hits: list[Hit]) -> list[float]:
    """`coverage` of each hit on its own, the question tokenised once."""
    tok = ix.lexical.tokenize
    vocab = ix.store.bm25.vocab

    def weight(t: str) -> float:
        i = vocab.get(t)
        return float(ix.idf[i]) if i is not None else ix.max_idf

    q_tokens = set(tok(plan.core))
    if not q_tokens:
        return [0.0] * len(hits)
    total = sum(weight(t) for t in q_tokens)
    rules = [(set(tok(official)), q_tokens & set(tok(key))) for key, official in plan.expansions]
    out = []
    for h in hits:
        p_tokens = set(tok(context_text(h.passage, ix.docs[h.passage.doc_id].meta)))
        found = sum(weight(t) for t in q_tokens if t in p_tokens)
        for official, keys in rules:
            if official <= p_tokens:
                found += sum(weight(t) for t in keys if t not in p_tokens)
        out.append(min(1.0, found / total))
    return out


def grams(analyzer: str, w: str) -> list[str]:
    """The index tokens every passage holding `w` must have: its bigrams, or characters (char1).

    Empty for word-only analyzers (jieba): no character postings narrow the search there.
    """
    if "char2" in analyzer or "char12" in analyzer:
        return [w[i : i + 2] for i in range(len(w) - 1)] or [w]
    return list(w) if analyzer == "char1" else []


def in_corpus(ix: LoadedIndex, word: str, docs: frozenset[str] | None = None) -> bool:
    """Whether `word` occurs verbatim in some passage (with its title and section), as a word.

    An occurrence across a word boundary does not count: 校服 in 学校服装 is no mention of
    school uniforms (`WordCutter.occurs_as_word`).

    Uses the BM25 postings of the word's character bigrams to find the few passages that
    can hold it, so it stays fast on large corpora. With `docs`, only passages of those
    documents count.
    """
    w = normalize(word)
    vocab, weights = ix.store.bm25.vocab, ix.store.bm25.weights
    cols = []
    for g in set(grams(ix.analyzer, w)):
        j = vocab.get(g)
        if j is None:
            return False
        cols.append(weights.indices[weights.indptr[j] : weights.indptr[j + 1]])
    if not cols:
        cols.append(np.arange(len(ix.store.passages)))
    cols.sort(key=len)
    rows = cols[0]
    for c in cols[1:]:  # posting lists are sorted and unique
        rows = np.intersect1d(rows, c, assume_unique=True)
        if not len(rows):
            return False
    for i in rows.tolist():
        p = ix.store.passages[i]
        if docs is not None and p.doc_id not in docs:
            continue
        if ix.cut.occurs_as_word(w, normalize(context_text(p, ix.docs[p.doc_id].meta))):
            return True
    return False


def rank(hit: Hit, signal: str) -> int:
    """A retriever's rank of a hit (1 = best), or a large number when that retriever did not find it."""
    return hit.signals[signal][1] if signal in hit.signals else 1_000_000


# a single character that may start or end a join: not a particle, a unit or a time word (2015 年 起
# is no word 年起)
_ONE_CJK = re.compile(rf"[^\W\d_a-zA-Z{EDGE_CHARS}年月日号天周起个次多少几从到为与和不]")


def corpus_cut(ix: LoadedIndex, text: str) -> list[str]:
    """The segmenter's words of `text`, with runs of single characters joined where the corpus
    has them together: 雾霾 is no word of jieba's (雾 / 霾), but the documents say 雾霾天气.

    Example: ["雾", "霾", "天娃"] → ["雾霾", "天娃"] when a passage holds 雾霾.
    """
    words = ix.cut(text)
    out: list[str] = []
    i = 0
    while i < len(words):
        j = i
        while j < len(words) and _ONE_CJK.fullmatch(words[j]):
            j += 1
        if j - i < 2:
            out.append(words[i])
            i += 1
            continue
        run = "".join(words[i:j])
        k = 0
        while k < len(run):  # longest known word first, from the left
            n = next((n for n in range(len(run) - k, 1, -1) if in_corpus(ix, run[k : k + n])), 1)
            out.append(run[k : k + n])
            k += n
        i = j
    return out


def rarity(ix: LoadedIndex, word: str) -> int:
    """An upper bound on how many passages hold `word`: the posting count of its rarest bigram."""
    w = normalize(word)
    bm = ix.store.bm25
    n = len(ix.store.passages)
    for g in grams(ix.analyzer, w):
        j = bm.vocab.get(g)
        if j is None:
            return 0
        n = min(n, int(bm.weights.indptr[j + 1] - bm.weights.indptr[j]))
    return n


def document_spread(ix: LoadedIndex, word: str) -> float:
    """An upper bound on the share of the documents with a passage holding `word` (from the
    postings of its rarest bigram): 1.0 for a word of every document, 0.25 for one of four.

    Word-only analyzers (jieba) have no bigram postings to narrow it: every document may hold it.
    """
    w = normalize(word)
    bm = ix.store.bm25
    rows: np.ndarray | None = None
    for g in grams(ix.analyzer, w):
        j = bm.vocab.get(g)
        if j is None:
            return 0.0
        postings = bm.weights.indices[bm.weights.indptr[j] : bm.weights.indptr[j + 1]]
        if rows is None or len(postings) < len(rows):
            rows = postings
    n_docs = max(len(ix.store.documents), 1)
    if rows is None or len(ix.doc_of) == 0:
        return 1.0
    return float(np.count_nonzero(np.bincount(ix.doc_of[rows], minlength=n_docs))) / n_docs


def longest_known_part(ix: LoadedIndex, word: str, min_chars: int = 2) -> str | None:
    """The longest substring of `word` (at least `min_chars`) that occurs in the corpus as a word."""
    for n in range(len(word) - 1, min_chars - 1, -1):
        for i in range(len(word) - n + 1):
            if in_corpus(ix, word[i : i + n]):
                return word[i : i + n]
    return None


def missing_here(ix: LoadedIndex, plan: QueryPlan, allowed: frozenset[str]) -> list[str]:
    """Words of the question the corpus has, but not the documents the question is restricted to.

    "柳城县防溺水措施": 融安's plan speaks of 防溺水, 柳城's never does; the answer should say so
    rather than pass off 柳城's general safety items as its drowning measures. A word counts
    as present when the vocabulary maps it to a term those documents hold.
    """
    named = (*plan.places, *plan.uncovered_places)
    out = []
    for w in content_words(corpus_cut(ix, plan.core)):
        if any(p in w or w in p for p in named) or w in out:
            continue
        if not in_corpus(ix, w) or in_corpus(ix, w, allowed):
            continue
        officials = [off for key, off in plan.expansions if key in w or w in key]
        if any(in_corpus(ix, off, allowed) for off in officials):
            continue
        out.append(w)
    return out


# General-language rarity (jieba's dictionary, `WordCutter.general_idf`) below which a word is one of
# the ~360 most frequent words of Chinese (about 1 in 3,000 tokens or more often).
COMMON_WORD_IDF = 8.0


# a school's short name (四十六中, 46中, 一中, 实外, 附小): like a place's, it says whose documents, not
# what the value is of
_SCHOOL_NAME = re.compile(r"(?:[一二三四五六七八九十百\d]{1,4}|实验|附属?|实|外)(?:中|小|中学|小学|外)")


# a bare word for money (补贴, 工资, 费用), not one that names what it pays for (保育费, 助学金 stay)
_MONEY_WORD = re.compile(MONEY_WORDS)


def anchor(
    ix: LoadedIndex, plan: QueryPlan, value: ValueAsk, within: list[str] | None = None
) -> tuple[str, ...]:
    """The question's most specific term, with the official terms the vocabulary maps it to.

    A sentence that states the asked value must name this term to be about the question:
    "2019年发放教育救助资金720.79万元" answers "金坛2019年教育救助资金多少"; a sentence with some
    other amount does not. Place names are left out (the title carries them), and so are the
    words that ask for the value (年龄, 比例 …). Empty when no content word is in the corpus.
    """
    core = value.asked.sub(" ", plan.core)
    named = (*plan.places, *plan.uncovered_places)
    best: tuple[tuple[bool, int], tuple[str, ...]] | None = None
    words = content_words(ix.cut(core))
    # 省优质幼儿园比例达到多少: 达到 only links the value; what it is about is 优质幼儿园
    words = [w for w in words if w not in VALUE_VERBS] or words
    if value.kind == "money":
        # 助研补贴一个月发多少: 补贴 says the value is money (the sentence must name it too, see
        # `money_head`); what the money is of (助研) anchors, not 补贴's forms 津贴 of 助教津贴800元
        words = [w for w in words if not _MONEY_WORD.fullmatch(w)] or words
    if value.kind in ("count", "frequency"):
        # "大概有几位咨询师": what is counted follows the measure word
        # (in the same clause: 一共招多少人，小学老师占几个 counts 人, not 小学老师)
        after = plan.question[value.asked.search(plan.question).end() :]
        counted = content_words(ix.cut(CLAUSE_END.split(after, maxsplit=1)[0]))
        # 超过多少人就算大班额: what is counted is the first word after it the corpus has (大班额,
        # not 就算); when it has none, the first word (眼保健操 of 每天做几次眼保健操)
        known = [w for w in counted if in_corpus(ix, w)]
        if counted:
            words = known[:1] or counted[:1]
    elif value.kind == "people":
        # 一个班最多收多少个学生: the measure counts the people (班生额45人); what they are
        # counted for anchors the sentence, not the people's noun
        counted = people_counted(plan.question)
        words = [w for w in words if w not in counted] or words
    elif value.kind == "number":
        # 照度要达到多少勒克斯, 给多少奖补资金: the word right after 多少 (个 aside) is what is
        # measured or counted
        after = plan.question[value.asked.search(plan.question).end() :].lstrip("个")
        following = ix.cut(CLAUSE_END.split(after, maxsplit=1)[0])[:1]
        measured = content_words(following)
        # (几年里, 多少年评, 几成来, 几多个位: a unit glued to the next word by the segmenter)
        if (
            measured
            and measured[0][0] not in UNIT_CHARS + MEASURES + "多余"
            and measured[0] not in VALUE_VERBS
            and not known_forms(ix, plan, measured[0])
        ):
            # 多少勒克斯: no passage has the unit, so none states the number
            return (measured[0],)
    for w in words:
        if any(p in w or w in p for p in named) or _SCHOOL_NAME.fullmatch(w):
            continue
        alts = known_forms(ix, plan, w)
        if not alts and value.kind in ("count", "frequency") and words == [w]:
            # 每天做几次眼保健操: what is counted is never named, so no sentence states its count
            return (w,)
        if not alts:
            continue
        # how specific the term is: how many passages hold any form a stating sentence may use
        n = max(rarity(ix, a) for a in alts)
        # a term the best passages share ranks before any they lack: in a long question
        # the rarest word is often the asker's (共建 of 一共建了多少个), not the plan's
        shared = within is None or any(normalize(a) in t for a in alts for t in within)
        # a word common anywhere in the language (包括, 规定, 要求) names no particular thing,
        # however few passages of a small corpus hold it: a rarer word of the question anchors first
        common = ix.cut.general_idf(w) < COMMON_WORD_IDF
        key = (not shared, common, n)
        if best is None or key < best[0]:
            best = (key, alts)
    return best[1] if best else ()


_MONEY_OF = re.compile(
    rf"({MONEY_NOUNS})[^,，。;；?？!！、]{{0,8}}?(?:多少|几)|多少[^,，。;；?？!！、]{{0,5}}?({MONEY_NOUNS})"
)


def money_head(ix: LoadedIndex, question: str) -> str | None:
    """The word whose amount a money question asks: 保育费 of 保育费一学期收多少, 生活补助 of
    乡村老师的生活补助一个月发多少钱 (the word before it joins when the corpus has the two together).
    None when the question names no money noun, or only one that says "free" (免费标准各是多少)."""
    m = _MONEY_OF.search(question)
    if not m:
        return None
    at = m.start(1) if m.group(1) else m.start(2)
    if question[max(0, at - 1)] == "免":
        return None
    pos, words = 0, ix.cut(question)
    for i, w in enumerate(words):
        if pos <= at < pos + len(w):
            if i and len(words[i - 1]) >= 2 and in_corpus(ix, words[i - 1] + w):
                return words[i - 1] + w
            return w
        pos += len(w)
    return None


def known_forms(ix: LoadedIndex, plan: QueryPlan, word: str) -> tuple[str, ...]:
    """The forms a passage may use for a word of the question: itself and the official terms the
    vocabulary maps it to, those the corpus has; else its longest part the corpus has, one character
    short (结对子: the corpus says 结对); else none."""
    alts = tuple(
        a
        for a in (word, *(off for key, off in plan.expansions if key in word or word in key))
        if in_corpus(ix, a)
    )
    if alts:
        return alts
    part = longest_known_part(ix, word, min_chars=max(2, len(word) - 1))
    return (part,) if part else ()


def forms(ix: LoadedIndex, plan: QueryPlan, word: str | None) -> tuple[str, ...]:
    """`known_forms`, or the word itself when the corpus has none (no passage has it). Empty for None."""
    if not word:
        return ()
    return known_forms(ix, plan, word) or (word,)


# 哪天印发的, 落款是哪天: what is asked is the document's own date, which stands on a line of its
# own under the issuer's name (2023年3月16日, 二○○九年十一月二十七日) and names nothing else
_ASKS_ISSUED = re.compile(r"印发|发布|出台|下发|发文|落款|签发|成文")


def stating_value(ix: LoadedIndex, plan: QueryPlan, hits: list[Hit], value: ValueAsk) -> list[Hit]:
    """The hits with a sentence that states a value of the asked kind about the question's anchor —
    named in the sentence or in the heading of its passage, or in the title of the document when the
    value is not a date (or, for the day a document was issued, a date line of its own)."""
    within = [normalize(context_text(h.passage, ix.docs[h.passage.doc_id].meta)) for h in hits]
    terms = tuple(normalize(a) for a in anchor(ix, plan, value, within))
    # 保育费一学期收多少: the sentence must also name what the money is of
    heads = (
        tuple(normalize(a) for a in forms(ix, plan, money_head(ix, plan.question)))
        if value.kind == "money"
        else ()
    )
    issued = value.kind == "time" and bool(_ASKS_ISSUED.search(plan.question))
    out = []
    for h in hits:
        # 普通话这回没考过，隔多久才能再考: in a notice whose title names 普通话, 测试不合格者，三个月后方可
        # 再次参加测试 is about it without repeating it. Not for a date: a notice holds many, for
        # many events (报名, 测试, 公示), and its title does not say which one a date is of.
        titled = (
            bool(terms)
            and value.kind != "time"
            and any(a in normalize(ix.docs[h.passage.doc_id].meta.title or "") for a in terms)
        )
        # 7.3 电梯使用 › …一次性最多可以申请两周时间: the passage's own heading may name what its
        # sentences' values are of (R85a, R85b, R9b, R73a, R79a …)
        # …and an item's, the lead-in it is listed under (第十九条 有下列情形之一者，给予退学警告 ›
        # 2.不及格达到12学分者)
        heading = normalize(" ".join(h.passage.section[-2:]))
        for s in value_sentences(h.passage.text, value):
            if issued and is_date_line(s):
                out.append(h)
                break
            s = normalize(s) + " " + heading
            if (not terms or titled or any(a in s for a in terms)) and (
                not heads or any(a in s for a in heads)
            ):
                out.append(h)
                break
    return out


def only_qualifies(covered: tuple[str, ...], uncovered: tuple[str, ...]) -> bool:
    """Whether every covered place named is just the parent of an uncovered one.

    "常州市武进区今年招聘多少教师" is about 武进区; 常州市 names its city, and the corpus covering
    常州市金坛区 does not make it answerable.

    Example:
        >>> only_qualifies(("常州市",), ("武进区",))
        True
        >>> only_qualifies(("融安县",), ("鹿寨县",))
        False
    """
    parents = {
        name
        for u in uncovered
        for p in lookup(u)
        for parent in (p.province, p.city)
        if parent
        for name in (parent, short_name(parent))
    }
    return all(c in parents for c in covered)
