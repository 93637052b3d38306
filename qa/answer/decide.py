"""Stage 3, decide: answer, hedge (show the closest passages as possibly related) or refuse.

Evidence first. The documents *refuse* only when they clearly cannot answer: the question's place is
not covered (`place_refusal`, before retrieval), or no retrieved passage holds any of the question's
topic terms (after vocabulary and numerals) and the question names no place the documents cover. They *hedge* when they may answer but the best
passages do not show it: none of the first few holds a topic term of the question, the question
asks for a value (多少钱, 几岁, 比例 …) that no top passage states (about the thing it asks of, or in
the passage both rankings put first), or a yes/no question asks about a
perk or a charge (能加分吗, 要交报名费吗: qa/data/perks.txt) that no card names. Everything else is
answered.

Replacing this module changes the decision and nothing else. Examples: “鹿寨县今年教育工作重点” is
refused (no document covers 鹿寨县); “教师退休年龄是多少” is hedged (no top passage states an age;
the passages about 退休 are shown as possibly related); “融安县防溺水措施” is answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.types import Hit
from qa.answer import evidence as ev
from qa.answer import signals
from qa.query import NATION, QueryPlan
from qa.relevance import ValueAsk, asked_value, value_sentences
from qa.settings import Settings
from qa.wordlists import word_list

if TYPE_CHECKING:
    from qa.library import LoadedIndex

NOT_FOUND = "没有找到相关内容"
MAY_RELATE = "以下原文可能相关"

ANSWER, HEDGE, REFUSE = "answer", "hedge", "refuse"

# perks and charges a yes/no question may ask about (qa/data/perks.txt)
_PERKS = word_list("perks")


@dataclass(frozen=True)
class Decision:
    """What the documents can do with the question, and the hits in the order to show them.

    `tier` is ANSWER, HEDGE or REFUSE; `message` says why for the last two. `hits` come
    first-to-show (passages that state an asked value first); `notes` are said above an answer.
    """

    tier: str
    hits: list[Hit]
    message: str = ""
    evidence: ev.Evidence | None = None
    notes: tuple[str, ...] = ()
    coverage: float = 0.0
    value: ValueAsk | None = None


def place_refusal(plan: QueryPlan, covered: list[str]) -> str | None:
    """The refusal for a question about a place no document covers (None when there is none).

    “常州市武进区…” names 常州市 only to locate 武进区, which no document covers: refused too.
    When no document's place could be read (a school's own papers that say only 我校), none is
    known not to be about the place: the question is answered or hedged on its words.
    """
    if (
        covered
        and plan.uncovered_places
        and (not plan.places or signals.only_qualifies(plan.places, plan.uncovered_places))
    ):
        return (
            f"文件中没有关于{'、'.join(plan.uncovered_places)}的内容。目前收录的地区：{'、'.join(covered)}。"
        )
    return None


def place_note(plan: QueryPlan) -> str | None:
    """The note for a question naming covered and uncovered places: only the covered ones are answered."""
    if plan.uncovered_places:
        return (
            f"文件中没有关于{'、'.join(plan.uncovered_places)}的内容，以下只列出{'、'.join(plan.places)}的。"
        )
    return None


def quoted_words(terms: list[ev.Term], limit: int = 3) -> str:
    """“寒假、校服”: the asker's own words, as they wrote them."""
    return "、".join(t.word if len(t.word) <= 12 else t.word[:12] + "…" for t in terms[:limit])


def not_mentioned(terms: list[ev.Term]) -> str:
    """The hedge's message for words the best passages lack: 文件中没有直接提到“寒假、校服”，以下原文可能相关。"""
    return f"文件中没有直接提到“{quoted_words(terms)}”，{MAY_RELATE}。"


def decide(
    ix: LoadedIndex, settings: Settings, plan: QueryPlan, hits: list[Hit], allowed: frozenset[str] | None
) -> Decision:
    """Answer, hedge or refuse, from the retrieved hits (see the module docstring)."""
    if not hits:
        return Decision(REFUSE, hits, f"{NOT_FOUND}。")
    found = ev.gather(ix, plan, hits, generic_share=settings.generic_share, depth=settings.evidence_depth)
    own = [p for p in plan.places if p not in {w for w, _ in plan.wider_places}]
    scope: tuple[str, ...] = ()
    where = "、".join(dict.fromkeys(w for w, _ in plan.wider_places))
    if plan.wider_places and all(wider == NATION for _, wider in plan.wider_places):
        # “湖南 课本价格 谁定”, “平江县 学校房子 安全检查”: no document is the place's own, but the
        # national law holds there — an answer that says whose rules these are (R39b, R41a ×2, R41b;
        # two asked for what only the place itself could list: 上海 中外合作大学 名单, R40a, R40b)
        scope = (f"文件中没有{where}自己的文件，以下是全国性的规定。",)
    elif plan.wider_places and not own and not names_place(plan, hits[: settings.k]):
        # “郑州…考高中”: only 河南省's documents hold there — they may answer, but not for 郑州 itself,
        # unless a best passage names the place (绍兴市's plan on 诸暨市's C证培训 is about 诸暨), or
        # one further down that is about the question does (在德阳市举办省级集中展演): it comes first
        naming = [h for h in hits if names_place(plan, [h]) and ev.on_topic(ix, h, found)]
        if not naming:
            wider = "、".join(dict.fromkeys(p for _, p in plan.wider_places if p))
            return Decision(
                HEDGE, hits, f"文件中没有{where}自己的文件，以下是{wider}的文件中可能相关的原文。", found
            )
        hits = naming + [h for h in hits if h not in naming]
    # restricted to some documents (a place, a filter): the words only other documents have
    missing = signals.missing_here(ix, plan, allowed) if allowed is not None else []
    absent_here = f"{'、'.join(plan.places) or '所选范围'}的文件中没有出现“{'、'.join(missing)}”，"
    topic = found.topic_terms()
    if (
        missing
        and topic
        and not found.matched_topic(settings.evidence_depth)
        and not (any(found.near) and rankings_agree(hits[0], settings))
    ):
        # “柳城县防溺水措施”: another place's plan has it, this one's not — show its closest passages
        # (unless both rankings put one passage first and it shares a word with the question:
        # 金坛…游学 is its 研学 item, said another way)
        return Decision(HEDGE, hits, f"{absent_here}{MAY_RELATE}。", found)
    notes = scope + ((f"{absent_here}以下是最接近的内容。",) if missing else ())
    if found.terms and not any(found.near):
        if all(t.everyday for t in found.terms):
            # all its words are the asker's phrasing (两口子、打工、姥姥家): the thing may be there
            # in the documents' own words — the closest passages, hedged (R27a, R9c)
            return Decision(
                HEDGE,
                hits,
                not_mentioned(topic or found.terms),
                found,
            )
        if plan.places:
            # 平潭职专2021年一共招了多少新生: a question about a place the documents cover is about
            # them, though its words are all the asker's (职专 for 职业中专学校, 新生 for 招生; R37a,
            # R73a) — the closest passages, hedged
            return Decision(HEDGE, hits, not_mentioned(topic), found)
        # no word of the question occurs in any retrieved passage: nothing to show
        return Decision(REFUSE, hits, f"{NOT_FOUND}（文件中没有出现“{quoted_words(topic)}”）。", found)
    if not found.terms and not plan.quoted:
        # “你是谁”: no content word to look for — whatever the embedding ranks first is chance
        return Decision(REFUSE, hits, f"{NOT_FOUND}（问题中没有可以在文件中查找的词语）。", found)
    value = None if plan.multi or not settings.value_depth else asked_value(plan.question)
    if value is not None:
        # A question asking for an amount, an age, a date … is answered by passages that state
        # one; put them first, and say so plainly when none of the best passages does.
        stating = signals.stating_value(ix, plan, hits[: settings.value_depth], value)
        if not stating and value_agreed(hits[0], value, settings):
            stating = hits[:1]
        if not stating:
            return Decision(
                HEDGE, hits, f"文件中没有写明具体的{value.label}，{MAY_RELATE}。", found, value=value
            )
        hits = stating + [h for h in hits if h not in stating]
    unmatched = found.unmatched_topic(settings.topic_depth)
    # what the question is about: its specific words, or its everyday ones when it has no other
    focus = [t for t in topic if not t.everyday] or topic
    if (
        focus
        and all(t in unmatched for t in focus)
        and not (value is None and rankings_agree(hits[0], settings))
    ):
        # the best passages share only generic words and the asker's phrasing with the question
        # (unless both rankings put the same passage first: then the asker named it their way)
        named = [t for t in unmatched if not t.everyday] or unmatched
        return Decision(HEDGE, hits, not_mentioned(named), found)
    perks = [t for t in topic if any(p in t.word for p in _PERKS)]
    if value is None and perks and all(t in unmatched for t in perks):
        # 比赛拿了奖中考能加分吗, 要交报名费吗: a perk or a charge the cards never name — the
        # documents say what the activity is, not that it carries this
        return Decision(HEDGE, hits, not_mentioned(perks), found)
    unknown = [t for t in topic if not t.known and not t.everyday]
    if unknown and len(topic) <= settings.short_topics and dense_rank(hits[0]) > settings.agree_rank:
        # a short question whose topic word the corpus lacks, and the meaning match does not back
        # the best passage: what it is about may simply not be there (个人所得税怎么申报)
        return Decision(HEDGE, hits, not_mentioned(unknown), found)
    return Decision(ANSWER, hits, "", found, notes, signals.coverage(ix, plan, hits), value)


def names_place(plan: QueryPlan, hits: list[Hit]) -> bool:
    """Whether one of the hits names a place the question asks about that only a wider place's
    documents cover (诸暨 in “9.诸暨市、越城区、柯桥区的C证培训，请相应推迟”)."""
    return any(w in h.passage.text for w, _ in plan.wider_places for h in hits)


def rankings_agree(hit: Hit, settings: Settings) -> bool:
    """Whether the meaning match ranks the hit first and the keyword match among its first
    `settings.agree_lexical`: “当老师的干得多干得少,到手的钱是不是都一个样?” shares no topic word
    with “干好干坏绝对不一样”, yet both rankings put that item first."""
    return dense_rank(hit) <= settings.agree_dense and signals.rank(hit, "bm25") <= settings.agree_lexical


def value_agreed(hit: Hit, value: ValueAsk, settings: Settings) -> bool:
    """Whether both rankings put the hit first and it states a value of the asked kind — though not
    next to the question's anchor word, which the asker said their way: “学校门口多少米之内不准开网吧”
    and 中小学校园周边二百米范围内不得设置营业性电子游戏场所 (R62a, R62b), “铅球是几公斤的” and 铅球（4KG）."""
    return (
        dense_rank(hit) <= settings.value_agree
        and signals.rank(hit, "bm25") <= settings.value_agree
        and bool(value_sentences(hit.passage.text, value))
    )


def dense_rank(hit: Hit) -> int:
    """The embedding's rank of a hit (1 = best), or a large number when the embedding did not find it."""
    return signals.rank(hit, "dense")
