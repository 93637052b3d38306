"""Stage 4, assemble: hits → citations (excerpt windows, highlights), an extractive summary, the
order cards are shown in, and the refusal notice with nearby topics.

Example:
    >>> c = Citation(1, "d", "2024年融安县教育工作要点", "融安县教育局", "柳州市融安县", 2024, "7.健全校园安全稳定机制",
    ...              "加强防溺水教育。", 0, 8, 1.0)
    >>> citation_line(c)
    '《2024年融安县教育工作要点》7.健全校园安全稳定机制：“加强防溺水教育。”'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from core.types import Answer, Citation, Hit, Passage  # noqa: F401 (Passage: the doctests)
from index.build import context_text, sentences_of
from index.tokenize import normalize
from qa.answer import signals
from qa.answer.context import context_bounds
from qa.answer.evidence import Evidence, on_topic
from qa.ingest.structure import heading_level, is_fragment
from qa.query import QueryPlan, shown_place
from qa.relevance import content_words
from qa.textspan import best_window, clean_terms, highlight_spans, query_terms, sentence_spans, strip_marker

if TYPE_CHECKING:
    from qa.library import LoadedIndex


# --- order -------------------------------------------------------------------------------------------


def drop_repeated_rows(hits: list[Hit]) -> list[Hit]:
    """Keep the best-ranked of schedule rows that repeat one task in several months.

    "3月 · 在线同步课堂试点学校调研指导 · 主办：教研室" stands again under 4月 and 9月; three such
    cards say one thing and push the plan's own item about it off the screen.

    Example:
        >>> row = lambda m: Hit(Passage(m, "d", 0, 1, f"{m} · 调研 · 主办：教研室", kind="table_row"), 1.0)
        >>> [h.passage.text for h in drop_repeated_rows([row("3月"), row("4月")])]
        ['3月 · 调研 · 主办：教研室']
    """
    seen: set[tuple[str, str]] = set()
    out = []
    for h in hits:
        p = h.passage
        if p.kind == "table_row" and " · " in p.text:
            key = (p.doc_id, p.text.split(" · ", 1)[1])
            if key in seen:
                continue
            seen.add(key)
        out.append(h)
    return out


def fewer_rows(hits: list[Hit], cap: int = 2) -> list[Hit]:
    """Move schedule-table rows after the first `cap` behind the other passages.

    "柳城在线同步课堂": eleven monthly rows name it (调研指导, 开放日, 评比 …); short, they outrank the
    plan's own item (“在线同步课堂”第二期项目建设) and would fill every card. Unless the question
    asks when, two rows are enough; the rest stay reachable on later pages.

    Example:
        >>> row = lambda m: Hit(Passage(m, "d", 0, 1, f"{m} · 调研", kind="table_row"), 1.0)
        >>> item = Hit(Passage("p", "d", 0, 1, "完成第二期项目建设"), 0.5)
        >>> [h.passage.text for h in fewer_rows([row("3月"), row("4月"), row("5月"), item])]
        ['3月 · 调研', '4月 · 调研', '完成第二期项目建设', '5月 · 调研']
    """
    rows = [h for h in hits if h.passage.kind == "table_row"]
    late = {id(h) for h in rows[cap:]}
    return [h for h in hits if id(h) not in late] + [h for h in hits if id(h) in late]


def group_by_document(hits: list[Hit]) -> list[Hit]:
    """Interleave hits by document (best document first) so every answering document shows up early."""
    per_doc: dict[str, list[Hit]] = {}
    for h in hits:
        per_doc.setdefault(h.passage.doc_id, []).append(h)
    order = sorted(per_doc, key=lambda d: -per_doc[d][0].score)
    out = []
    depth = max(len(v) for v in per_doc.values()) if per_doc else 0
    for i in range(depth):
        for d in order:
            if i < len(per_doc[d]):
                out.append(per_doc[d][i])
    return out


def shown_order(hits: list[Hit], *, asks_when: bool, multi: bool) -> list[Hit]:
    """The order cards are shown in: repeated rows out, extra rows last (unless the question asks
    when), grouped by document for questions about several documents."""
    hits = drop_repeated_rows(hits)
    if not asks_when:
        hits = fewer_rows(hits)
    if multi:
        hits = group_by_document(hits)
    return hits


def drop_weak_tail(ix: LoadedIndex, plan: QueryPlan, hits: list[Hit], best: float, ratio: float) -> list[Hit]:
    """Leave out hits that match much less of the question than the best passage does.

    "融安县防溺水措施" has two passages about 防溺水; three more that only share 措施 or 防控
    are noise on the screen, not answers. A hit is kept when its coverage of the question is at
    least `ratio` (`Settings.min_relative_coverage`) × the best coverage (0 keeps every hit).
    """
    if ratio <= 0 or len(hits) <= 1:
        return hits
    covs = signals.coverages(ix, plan, hits)
    return [h for n, (h, c) in enumerate(zip(hits, covs, strict=True)) if n == 0 or c >= ratio * best]


def on_topic_only(
    ix: LoadedIndex, hits: list[Hit], found: Evidence, meaning: int = 0, agree: tuple[int, int] | None = None
) -> list[Hit]:
    """The first hit, and after it only hits that hold a topic term of the question — or, with
    `meaning`, that the embedding ranks among its first `meaning` passages — or, with `agree`
    (dense rank, BM25 rank), that both rankings put that high (the asker named it their way:
    “名额能不能转给我侄子” and 学额…不得顶替 share no topic word; both rank it among their first two).

    “融安县防溺水措施”: items on party building or high-school development share only 措施 with it
    (a generic word: many passages hold it); they are padding, not answers.
    """
    return hits[:1] + [
        h
        for h in hits[1:]
        if on_topic(ix, h, found)
        or signals.rank(h, "dense") <= meaning
        or (
            agree is not None and signals.rank(h, "dense") <= agree[0] and signals.rank(h, "bm25") <= agree[1]
        )
    ]


# --- citations ---------------------------------------------------------------------------------------


def citation(
    ix: LoadedIndex,
    n: int,
    hit: Hit,
    plan: QueryPlan,
    excerpt_chars: int,
    shown: frozenset[str] = frozenset(),
    context_below: int = 0,
    spelled: tuple[str, ...] = (),
) -> Citation:
    """Citation [n] of a hit: a window of whole sentences around the matches, highlights within it
    (`spelled`: the full forms the evidence found for the question's short names, 升国旗 for 升旗).

    A passage shorter than `context_below` comes with the neighbouring passages that fit
    (`context.context_bounds`; `shown`: the pids other cards show, which it leaves to them).
    """
    p = hit.passage
    d = ix.docs[p.doc_id]
    start, end = context_bounds(ix, p, excerpt_chars, shown, context_below)
    text = d.text[start:end]
    extra = tuple(o for _, o in plan.expansions) + plan.quoted + spelled
    terms = clean_terms(query_terms(plan.core, text, extra))
    spans = highlight_spans(text, terms)
    s, e = best_window(text, spans, excerpt_chars)
    hl = tuple((a - s, b - s) for a, b in spans if a >= s and b <= e)
    return Citation(
        n=n,
        doc_id=d.doc_id,
        title=d.meta.title,
        issuer=d.meta.issuer,
        place=shown_place(d.meta),
        year=d.meta.year,
        section=p.breadcrumb,
        text=text[s:e],
        start=start + s,
        end=start + e,
        score=round(hit.score, 6),
        highlights=hl,
        pid=p.pid,
        why=explain(hit),
    )


def renumber(c: Citation, n: int) -> Citation:
    return replace(c, n=n)


def explain(hit: Hit) -> str:
    """Why a passage matched, in a clerk's words: 含问题中的词语 · 意思相近.

    From the retrieval signals: the keyword match (any BM25 rank) and the meaning match when the
    embedding ranks it among its ten best.
    """
    parts = []
    if "bm25" in hit.signals:
        parts.append("含问题中的词语")
    if "dense" in hit.signals and hit.signals["dense"][1] <= 10:
        parts.append("意思相近")
    return " · ".join(parts)


def shown_title(title: str, doc_id: str) -> str:
    """The title as shown: 《title》, or — when the document shows none and its file name stands in
    — the file name marked as one, so that it is not taken for a title the document bears.

    Example:
        >>> shown_title("2024年融安县教育工作要点", "rongan"), shown_title("02_gaikuang", "sub/02_gaikuang")
        ('《2024年融安县教育工作要点》', '文件 02_gaikuang（未见标题）')
    """
    if title == doc_id.rsplit("/", 1)[-1]:
        return f"文件 {title}（未见标题）"
    return f"《{title}》"


def citation_line(c: Citation) -> str:
    """A paste-ready citation: 《title》section：“excerpt”."""
    section = f"{c.section}：" if c.section else "："
    return f"{shown_title(c.title, c.doc_id)}{section}“{c.text.strip()}”"


def reference_line(c: Citation) -> str:
    """`citation_line` followed by who issued the document, where and when: what 复制引用 copies.

    Example:
        >>> reference_line(Citation(1, "d", "要点", "融安县教育局", None, 2024, "", "原文", 0, 2, 1.0))
        '《要点》：“原文”（融安县教育局，2024年）'
    """
    source = "，".join(x for x in (c.issuer, c.place, f"{c.year}年" if c.year else None) if x)
    return citation_line(c) + (f"（{source}）" if source else "")


def summarize(
    citations: list[Citation],
    max_sentences: int = 3,
    max_chars: int = 120,
    min_share: float = 0.5,
    meaning: list[list[float]] | None = None,
    words_weight: float = 1.0,
    states: Callable[[str], bool] | None = None,
) -> str:
    """An extractive answer: the best-matching sentence of each top excerpt, followed by [n].

    A sentence's weight is the sum of the squared lengths of its highlighted matches (a long,
    specific match counts for more than a short common one). Sentences weighing less than
    `min_share` of the best sentence's weight are left out, so the answer does not end on a
    sentence that only shares a common word with the question. With `meaning` (per citation, the
    embedding's similarity of each of its sentences to the question), the sentence picked within
    an excerpt is the best by `words_weight` × its share of the excerpt's best weight + the rest ×
    that similarity: a question in the asker's own words (干得多干得少,到手的钱) shares few words
    with the sentence that answers it (“干好干坏绝对不一样”). With `states` (a question asking for a
    value: 几天之内), an excerpt's sentences that state one are picked before the others.
    """
    picks = []
    for k, c in enumerate(citations[:max_sentences]):
        spans = sentence_spans(c.text)
        weights = [sum(max(0, min(b, e) - max(a, s)) ** 2 for a, b in c.highlights) for s, e in spans]
        sims = meaning[k] if meaning is not None and k < len(meaning) else None
        if sims is not None and len(sims) == len(spans) and spans:
            top_w = max(weights) or 1
            score = [
                words_weight * w / top_w + (1 - words_weight) * m for w, m in zip(weights, sims, strict=True)
            ]
        else:
            score = [float(w) for w in weights]
        if spans:
            stating = [states is not None and states(c.text[a:b]) for a, b in spans]
            j = max(range(len(spans)), key=lambda i: (stating[i], score[i], -i))
            head = c.text[spans[j][0] : spans[j][1]].strip()
            # 一、活动主题 / 铸工匠心·立报国志: a heading matches the question, the line under it answers
            under = (
                j + 1 if j + 1 < len(spans) and heading_level(head) is not None and is_fragment(head) else j
            )
            picks.append((c, spans[under], weights[j]))
    top = max((w for _, _, w in picks), default=0)
    out, seen = [], set()
    for c, (s, e), w in picks:
        if out and w < min_share * top:
            continue
        sent = strip_marker(c.text[s:e]).strip()
        if len(sent) > max_chars:
            sent = sent[:max_chars].rstrip("，,；;") + "…"
        if sent and sent not in seen:
            seen.add(sent)
            # A table row or a cut sentence has no end mark of its own: separate it from the next.
            sep = "" if sent.endswith(("。", "；", ";", "！", "？", "!", "?")) else "；"
            out.append(f"{sent}[{c.n}]{sep}")
    return "".join(out).rstrip("；")


# --- answers -----------------------------------------------------------------------------------------


def refusal(ix: LoadedIndex, plan: QueryPlan, message: str, hits: list[Hit] | None = None) -> Answer:
    """The answer when the documents do not answer: the message and up to three nearby topics."""
    if plan.truncated:  # a capped question that finds nothing must still say it was capped
        message = f"{message} 问题过长，只按前 {len(plan.question)} 个字检索。"
    # Suggest only topics of passages that hold one of the question's own words: "明天天气怎么样"
    # shares characters with many items and words with none, so it gets no suggestions.
    words = [normalize(w) for w in content_words(ix.cut(plan.core))] if hits else []
    suggestions: list[str] = []
    for h in hits or []:
        if h.passage.kind == "table_row" or not h.passage.section:
            continue  # a month is no topic
        text = normalize(context_text(h.passage, ix.docs[h.passage.doc_id].meta))
        if not any(w in text for w in words):
            continue
        label = strip_marker(h.passage.section[-1]).strip()
        if len(re.findall(r"[\u4e00-\u9fff]", label)) >= 3 and label not in suggestions:
            suggestions.append(label)
        if len(suggestions) == 3:
            break
    return Answer(
        question=plan.question,
        found=False,
        answer="",
        message=message,
        suggestions=tuple(suggestions),
        kind="none",
    )


def sentence_meaning(ix: LoadedIndex, c: Citation, vector: np.ndarray) -> list[float]:
    """The embedding's similarity to the question of each sentence of an excerpt (`sentence_spans`),
    from the stored sentence vectors of the passages the excerpt covers (0 where none matches)."""
    store = ix.store
    starts, idx = ix.doc_passages.get(c.doc_id, (np.zeros(0, np.int32), np.zeros(0, np.int32)))
    first = max(int(np.searchsorted(starts, c.start, side="right")) - 1, 0)
    last = int(np.searchsorted(starts, c.end, side="left"))
    known: dict[str, float] = {}
    for j in idx[first:last].tolist():
        p = store.passages[j]
        if p.end > c.start:
            a, b = store.sent_offsets[j], store.sent_offsets[j + 1]
            for sent, v in zip(sentences_of(p.text), store.sent_vecs[a:b], strict=False):
                known[sent] = float(v @ vector)
    out = []
    for s, e in sentence_spans(c.text):
        t = c.text[s:e].strip()
        out.append(max((m for k, m in known.items() if k and (k in t or t in k)), default=0.0))
    return out


def cited_answer(
    plan: QueryPlan,
    citations: list[Citation],
    notes: list[str],
    offset: int,
    meaning: list[list[float]] | None = None,
    words_weight: float = 1.0,
    states: Callable[[str], bool] | None = None,
) -> Answer:
    """The answer citing `citations`: the summary with [n] markers and the notes as its message.

    On a "还有吗" page (`offset` > 0) a passage that shares no word with the question is no further
    answer: it is left out and the rest renumbered.
    """
    if offset:
        citations = [renumber(c, n) for n, c in enumerate((c for c in citations if c.highlights), start=1)]
        meaning = None
    if not citations:
        return Answer(
            question=plan.question, found=False, answer="", message="没有更多相关结果了。", kind="none"
        )
    return Answer(
        question=plan.question,
        found=True,
        answer=summarize(citations, meaning=meaning, words_weight=words_weight, states=states),
        citations=tuple(citations),
        message=" ".join(notes),
    )


def hedged(plan: QueryPlan, related: list[Citation], message: str, notes: list[str]) -> Answer:
    """The documents may answer but do not show it: `message` says what is missing, `related`
    holds the closest passages, labelled as possibly related (found is False: no answer is claimed).
    """
    return Answer(
        question=plan.question,
        found=False,
        answer="",
        message=" ".join([message, *notes]),
        kind="related",
        related=tuple(related),
    )


__all__ = [
    "citation",
    "citation_line",
    "cited_answer",
    "drop_repeated_rows",
    "drop_weak_tail",
    "explain",
    "fewer_rows",
    "group_by_document",
    "hedged",
    "on_topic_only",
    "reference_line",
    "refusal",
    "renumber",
    "shown_order",
    "summarize",
]
