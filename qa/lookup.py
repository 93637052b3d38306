"""Exact wording: every verbatim occurrence of a phrase, as citations, and the answer listing them.

Example:
    >>> occ = occurrences(engine.state, ("控辍保学",), excerpt_chars=300)  # doctest: +SKIP
    >>> occ.total, occ.documents  # doctest: +SKIP
    (6, 4)
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from core.types import Answer, Citation, Passage
from qa.answer.assemble import citation_line, renumber
from qa.query import QueryPlan, shown_place
from qa.textspan import FoldedText, fold_phrase

if TYPE_CHECKING:
    from qa.library import LoadedIndex

WORDING_WHY = "原文逐字匹配"


class Occurrences(NamedTuple):
    """Exact-wording matches: the citations built, and how many there are in all."""

    citations: list[Citation]
    total: int  # citations `find` would give without a limit
    documents: int  # documents they are in


def occurrences(
    ix: LoadedIndex,
    phrases: tuple[str, ...],
    *,
    excerpt_chars: int,
    allowed: frozenset[str] | None = None,
    limit: int | None = None,
) -> Occurrences:
    """The verbatim occurrences of each phrase in turn (tolerant of width, quotes and spacing), in
    corpus order; the first `limit` of them in all are built as citations, the rest only counted.

    Occurrences within the excerpt of the previous one share its citation (one more highlight).

    Args:
        ix: the loaded index.
        phrases: what to look for (shorter than two characters: skipped).
        excerpt_chars: the longest excerpt.
        allowed: only these documents (None: all).
        limit: build only the first `limit` citations.
    """
    ex = excerpt_chars
    out: list[Citation] = []
    total = 0
    doc_ids: set[str] = set()
    for phrase in phrases:
        phrase = phrase.strip()
        needle = fold_phrase(phrase)
        if len(phrase) < 2 or not needle:
            continue
        found: list[Citation] = []
        for di in docs_with_tokens(ix, phrase).tolist():
            d = ix.store.documents[di]
            if allowed is not None and d.doc_id not in allowed:
                continue
            ft = ix.folded.get(d.doc_id) or FoldedText(d.text)
            room = None if limit is None else limit - len(out) - len(found)
            if room is not None and room <= 0 and not ft.expands:
                # Past the limit, only count. Matches at least an excerpt apart (folded
                # offsets, never further apart than in the text) cannot share a citation.
                pos = ft.positions(needle)
                if all(pos[t + 1] - pos[t] >= ex for t in range(len(pos) - 1)):
                    total += len(pos)
                    if pos:
                        doc_ids.add(d.doc_id)
                    continue
            starts, ends = ft.spans(needle)
            if len(starts) == 0:
                continue
            doc_ids.add(d.doc_id)
            groups: list[list] = []  # [start, end, first match, highlights or None past the limit]
            bounds = ft.sentence_bounds_many(starts, ends)
            spans = zip(starts.tolist(), ends.tolist(), bounds[0].tolist(), bounds[1].tolist(), strict=True)
            for a, b, s, e in spans:
                if groups and groups[-1][0] <= a < groups[-1][1]:
                    g = groups[-1]
                    if g[3] is not None:
                        g[3].append((a - g[0], b - g[0]))
                    continue
                if e - s > ex:
                    s = max(s, a - ex // 3)
                    e = min(e, s + ex)
                else:
                    # “一增一减”行动，保障“防近”落到实处。 names what the next sentences explain
                    # (“一增”，即…): the rest of the paragraph that fits comes with it
                    e = ft.rest_of_line(s, e, ex)
                keep = room is None or len(groups) < room
                groups.append([s, e, a, [(a - s, b - s)] if keep else None])
            total += len(groups)
            kept = [g for g in groups if g[3] is not None]
            at = passages_at(ix, d.doc_id, [g[2] for g in kept])
            for (s, e, _first, hl), p in zip(kept, at, strict=True):
                found.append(
                    Citation(
                        n=len(found) + 1,
                        doc_id=d.doc_id,
                        title=d.meta.title,
                        issuer=d.meta.issuer,
                        place=shown_place(d.meta),
                        year=d.meta.year,
                        section=p.breadcrumb if p else "",
                        text=d.text[s:e],
                        start=s,
                        end=e,
                        score=1.0,
                        highlights=tuple(hl),
                        pid=p.pid if p else "",
                        why=WORDING_WHY,
                    )
                )
        out.extend(found)
    return Occurrences(out, total, len(doc_ids))


def docs_with_tokens(ix: LoadedIndex, phrase: str) -> np.ndarray:
    """Indexes (in corpus order) of the documents having a passage that holds every index token
    of `phrase`: a superset of the documents where it occurs."""
    bm = ix.store.bm25
    w = bm.weights
    cols = []
    for t in set(ix.lexical.tokenize(phrase)):
        j = bm.vocab.get(t)
        if j is None:
            return np.zeros(0, dtype=np.int64)
        cols.append(w.indices[w.indptr[j] : w.indptr[j + 1]])
    if not cols:  # no indexable token (punctuation only): look everywhere
        return np.arange(len(ix.store.documents))
    cols.sort(key=len)  # intersect the shortest posting lists first
    rows = cols[0]
    for c in cols[1:]:
        rows = np.intersect1d(rows, c, assume_unique=True)
        if len(rows) == 0:
            break
    return np.unique(ix.doc_of[rows])


def passages_at(ix: LoadedIndex, doc_id: str, offsets: list[int]) -> list[Passage | None]:
    """The passage of the document holding each offset (None between passages)."""
    starts, idx = ix.doc_passages.get(doc_id, (np.zeros(0, np.int32), np.zeros(0, np.int32)))
    out: list[Passage | None] = []
    for i, offset in zip(np.searchsorted(starts, offsets, side="right").tolist(), offsets, strict=True):
        p = ix.store.passages[idx[i - 1]] if i > 0 else None
        out.append(p if p is not None and p.start <= offset < p.end else None)
    return out


# the question asks what a term means (怎么定义的, 具体指什么, 啥意思)
_ASKS_DEFINITION = re.compile(r"定义|是指什么|指的是什么|指什么|指啥|什么意思|啥意思|什么叫|啥叫")


def defining_first(citations: list[Citation], phrase: str, question: str) -> list[Citation]:
    """For a question asking what `phrase` means, the occurrences that define it first — the
    phrase followed by 是指 / 即 / 是 (学生欺凌，是指…; not 是什么), or after 所称 — in their order, then the rest.

    Example:
        >>> c = lambda t: Citation(1, "d", "t", None, None, None, "", t, 0, len(t), 1.0)
        >>> [x.text[:6] for x in defining_first([c("开展志愿服务活动"), c("志愿服务是指不以获得报酬")], "志愿服务", "“志愿服务”的定义原文")]
        ['志愿服务是指', '开展志愿服务']
    """
    if not _ASKS_DEFINITION.search(question):
        return citations
    term = re.escape(phrase)
    defines = re.compile(
        rf"{term}[”」』]?\s*[，,]?\s*(?:是指|即|指的是|是(?!什么|啥|否|不是))|所称(?:的)?[“「]?{term}"
    )
    return sorted(citations, key=lambda c: not defines.search(c.text))


def closest_first(citations: list[Citation], words: list[str]) -> list[Citation]:
    """Occurrences that also hold more of the question's other words first (in the text, its
    section or its document's title), otherwise in document order.

    “挑战杯”竞赛的宗旨原文 (R96c): 挑战杯 occurs ten times on the first page, its 宗旨 only in
    the eighth; 融安…那几个“年”活动 (N101, N104): “年” occurs everywhere, the 活动 in Rong'an's plan.

    Example:
        >>> c = lambda t: Citation(1, "d", "t", None, None, None, "", t, 0, len(t), 1.0)
        >>> [x.text[:4] for x in closest_first([c("挑战杯由团委主办"), c("挑战杯的宗旨是崇尚科学")], ["宗旨"])]
        ['挑战杯的', '挑战杯由']
    """
    if not words:
        return citations

    def held(c: Citation) -> int:
        where = f"{c.title} {c.section} {c.text}"
        return sum(w in where for w in words)

    return sorted(citations, key=lambda c: -held(c))


def phrase_of(plan: QueryPlan) -> str:
    """The phrase a wording question looks up: its first quoted phrase, else its core."""
    return plan.quoted[0] if plan.quoted else plan.core


def wording_answer(
    plan: QueryPlan, occ: list[Citation], notes: list[str], shown: int, total: tuple[int, int] | None = None
) -> Answer:
    """The exact-wording answer: the first `shown` occurrences, each with its citation line.

    `total`: (occurrences, documents) in all, when `occ` holds only the first ones (see
    `occurrences`); by default they are counted in `occ`.
    """
    n_occ, n_docs = total if total is not None else (len(occ), len({c.doc_id for c in occ}))
    occ = [renumber(c, n) for n, c in enumerate(occ[:shown], start=1)]
    head = f"“{phrase_of(plan)}”在 {n_docs} 个文件中出现 {n_occ} 处："
    lines = [f"{citation_line(c)} [{c.n}]" for c in occ]
    return Answer(
        question=plan.question,
        found=True,
        answer=head + "\n" + "\n".join(lines),
        citations=tuple(occ),
        message=" ".join(notes),
        kind="wording",
    )
