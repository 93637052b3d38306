"""Stage 3, decide: answer, or refuse and say why — the one place the answer/refuse decision is made.

The decision weighs the signals of `signals.py` (coverage, unexplained and topic words, a stated
value) against the thresholds of `Settings`; replacing this module changes the decision and nothing
else. Example: “鹿寨县今年教育工作重点” is refused before retrieval (no document covers 鹿寨县);
“教师退休年龄是多少” after it (no top passage states an age).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.types import Hit
from qa.answer import signals
from qa.query import QueryPlan
from qa.relevance import ValueAsk, asked_value, should_abstain
from qa.settings import Settings

if TYPE_CHECKING:
    from qa.library import LoadedIndex

NOT_FOUND = "没有找到相关内容"


@dataclass(frozen=True)
class Decision:
    """What the documents can answer: the hits to cite in this order, or a refusal and why.

    `refusal` is None when the documents answer; `hits` then come first-to-cite (passages that
    state an asked value first), and `notes` are said above the answer. On a refusal `hits` are
    the retrieved ones (the refusal suggests nearby topics from them).
    """

    refusal: str | None
    hits: list[Hit]
    notes: tuple[str, ...] = ()
    coverage: float = 0.0
    value: ValueAsk | None = None


def place_refusal(plan: QueryPlan, covered: list[str]) -> str | None:
    """The refusal for a question about a place no document covers (None when there is none).

    “常州市武进区…” names 常州市 only to locate 武进区, which no document covers: refused too.
    """
    if plan.uncovered_places and (
        not plan.places or signals.only_qualifies(plan.places, plan.uncovered_places)
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


def decide(
    ix: LoadedIndex, settings: Settings, plan: QueryPlan, hits: list[Hit], allowed: frozenset[str] | None
) -> Decision:
    """Answer or refuse, from the retrieved hits.

    Refuses when little of the question is matched, or a topic word of it is absent from corpus
    and vocabulary (thresholds lower for a question naming a covered place), and when it asks for
    a value — 多少钱, 几岁, 比例 … — that no top passage states about its most specific term.
    """
    notes = []
    if plan.places and allowed is not None:
        missing = signals.missing_here(ix, plan, allowed)
        if missing:
            notes.append(
                f"{'、'.join(plan.places)}的文件中没有出现“{'、'.join(missing)}”，以下是最接近的内容。"
            )
    unknown = signals.unexplained(ix, plan, hits)
    topics = signals.topics(
        ix,
        plan,
        unknown,
        long_question_chars=settings.long_question_chars,
        everyday_min_chars=settings.everyday_min_chars,
    )
    cov = signals.coverage(ix, plan, hits)
    # A question that names a place we cover is about that place's plan: demand less.
    st = settings
    hard, soft = (
        (st.min_coverage_placed, st.min_coverage_unknown_placed)
        if plan.places
        else (st.min_coverage, st.min_coverage_unknown)
    )
    if plan.places and len(set(topics)) >= 2:
        # two unknown topic words are a topic the plan lacks, place or not (融安县招聘笔试考哪些科目)
        soft = st.min_coverage_unknown
    if not hits or should_abstain(cov, topics, hard=hard, soft=soft):
        why = signals.missing_note(ix, plan, topics or unknown)
        return Decision(f"{NOT_FOUND}{why}。", hits)
    value = None if plan.multi or not settings.value_depth else asked_value(plan.question)
    if value is not None and topics:
        # "柳城今年中小学寒假几号开始放假": a value of something the documents never name
        why = signals.missing_note(ix, plan, topics)
        return Decision(f"{NOT_FOUND}{why}。", hits)
    if value is not None:
        # A question asking for an amount, an age, a date … is answered by passages that state
        # one; put them first, and say so plainly when none of the best passages does.
        stating = signals.stating_value(ix, plan, hits[: settings.value_depth], value)
        if not stating:
            return Decision(f"{NOT_FOUND}（文件中没有写明具体的{value.label}）。", hits)
        hits = stating + [h for h in hits if h not in stating]
    return Decision(None, hits, tuple(notes), cov, value)
