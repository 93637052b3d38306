"""An answer walks plan → retrieve → decide → assemble, each stage a module of functions.

Example:
    >>> a = answer(engine.state, settings, vocab, "融安县防溺水措施")  # doctest: +SKIP
    >>> a.citations[0].title  # doctest: +SKIP
    '2024年融安县教育工作要点'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.types import Answer
from index.tokenize import normalize
from qa.answer import assemble
from qa.answer.context import absorbed_items
from qa.answer.decide import HEDGE, REFUSE, decide, place_note, place_refusal
from qa.answer.plan import Filters, allowed_docs, plan_question
from qa.answer.retrieve import fusion_weights, question_vector, retrieve
from qa.hygiene import has_words
from qa.library import covered_places
from qa.lookup import closest_first, defining_first, occurrences, phrase_of, wording_answer
from qa.relevance import content_words, states_value
from qa.settings import Settings
from qa.vocab import Vocabulary

if TYPE_CHECKING:
    from qa.library import LoadedIndex

EMPTY_QUESTION = "请输入要查询的问题，例如“融安县防溺水措施”。"


def answer(
    ix: LoadedIndex,
    settings: Settings,
    vocab: Vocabulary,
    question: str,
    *,
    k: int | None = None,
    offset: int = 0,
    filters: Filters | None = None,
    wording: bool | None = None,
) -> Answer:
    """Answer a question with cited, verbatim excerpts, or say plainly that the documents do not.

    Args:
        ix: the loaded index (one for the whole question, even if a new one is installed meanwhile).
        settings: thresholds, weights, k, excerpt length.
        vocab: the colloquial → official vocabulary.
        question: the question as typed.
        k: number of citations (default Settings.k).
        offset: skip this many results (for "还有吗").
        filters: sidebar restrictions by place, year, document.
        wording: force (True) or forbid (False) the exact-wording path; None decides from the question.
    """
    k = k or settings.k
    documents = ix.store.documents
    # 1. plan
    plan = plan_question(question, documents, vocab, ix.cut)
    if not has_words(plan.core):  # "{{7*7}}", "12345": no word of any script
        return Answer(question=plan.question, found=False, answer="", message=EMPTY_QUESTION, kind="none")
    allowed, filtered_out = allowed_docs(plan, filters, documents)
    if filtered_out:
        return assemble.refusal(ix, plan, "所选筛选条件下没有文档与问题中的地区对应。")
    notes = []
    if plan.truncated:
        notes.append(f"问题过长，只按前 {len(plan.question)} 个字检索。")
    refused = place_refusal(plan, covered_places(documents))
    if refused:
        return assemble.refusal(ix, plan, refused)
    note = place_note(plan)
    if note:
        notes.append(note)
    shown = max(settings.k, 10)
    if plan.wants_wording if wording is None else wording:
        # build only the citations shown (the rest are counted): 教育质量 occurs 13,000 times at ×1000
        occ = occurrences(
            ix,
            looked_up(plan.quoted, documents) or (plan.core,),
            excerpt_chars=settings.excerpt_chars,
            allowed=allowed,
            limit=offset + shown,
        )
        if occ.total:
            # a definition asked for comes first, among the first page's occurrences (the next
            # pages keep their order)
            # …and, after it, those that hold more of the question's other words (“挑战杯”的宗旨)
            phrase = phrase_of(plan)
            others = [w for w in content_words(ix.cut(plan.core)) if w not in phrase]
            first = defining_first(closest_first(occ.citations[:shown], others), phrase, plan.question)
            cites = first + occ.citations[shown:]
            return wording_answer(plan, cites[offset:], notes, shown, total=(occ.total, occ.documents))
    # 2. retrieve
    hits = retrieve(
        ix, plan, max(50, offset + k * 4), allowed, settings.expansion_weight, fusion_weights(plan, settings)
    )
    # 3. decide
    decision = decide(ix, settings, plan, hits, allowed)
    if decision.tier == REFUSE:
        return assemble.refusal(ix, plan, decision.message, decision.hits)
    notes.extend(decision.notes)
    # 4. assemble
    value = decision.value
    spelled = decision.evidence.spelled if decision.evidence is not None else ()
    ordered = assemble.shown_order(
        decision.hits, asks_when=value is not None and value.kind == "time", multi=plan.multi
    )
    if decision.evidence is not None:
        # a hedge shows the closest passages: when the question's words are not in the best
        # ones, the ranking is all there is to go by (the notice says so)
        meaning = settings.related_meaning_rank if decision.tier == HEDGE else 0
        # …and in an answer, a passage both rankings put first keeps its card (pooled sets: +3 / −0)
        agree = None if decision.tier == HEDGE else (settings.card_agree_dense, settings.card_agree_lexical)
        ordered = assemble.on_topic_only(ix, ordered, decision.evidence, meaning, agree)
    if settings.context_below:
        # a lead-in's card shows the items under it: their own cards would repeat them
        taken = absorbed_items(ix, ordered, settings.excerpt_chars, settings.context_below)
        ordered = [h for h in ordered if h.passage.pid not in taken]
    if decision.tier == HEDGE:
        page = ordered[offset : offset + settings.k]
        shown = frozenset(h.passage.pid for h in page)
        related = [
            assemble.citation(ix, n, h, plan, settings.excerpt_chars, shown, settings.context_below, spelled)
            for n, h in enumerate(page, start=1)
        ]
        if offset and not related:
            return assemble.cited_answer(plan, [], notes, offset)
        return assemble.hedged(plan, related, decision.message, notes)
    chosen = assemble.drop_weak_tail(
        ix, plan, ordered[offset : offset + k], decision.coverage, settings.min_relative_coverage
    )
    shown = frozenset(h.passage.pid for h in chosen)
    citations = [
        assemble.citation(ix, n, h, plan, settings.excerpt_chars, shown, settings.context_below, spelled)
        for n, h in enumerate(chosen, start=1)
    ]
    meaning = None
    if settings.summary_words_weight < 1:
        vector = question_vector(ix, plan)
        meaning = [assemble.sentence_meaning(ix, c, vector) for c in citations[:3]]
    states = (lambda sentence: states_value(sentence, value)) if value is not None else None
    return assemble.cited_answer(
        plan, citations, notes, offset, meaning, settings.summary_words_weight, states=states
    )


def looked_up(quoted: tuple[str, ...], documents) -> tuple[str, ...]:
    """The quoted phrases whose wording is asked for.

    “入学“一件事”说的“四个减”，原话是减哪四样”: 一件事 names the document (it is in its title) and
    the asker quotes it only to say which; the wording asked for is 四个减's. A phrase in a title is
    looked up only when it is the only one quoted.
    """
    if len(quoted) < 2:
        return quoted
    titles = [normalize(d.meta.title or "") for d in documents]
    rest = tuple(q for q in quoted if not any(normalize(q) in t for t in titles))
    return rest if rest else quoted
