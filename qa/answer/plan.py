"""Stage 1, plan: what the question asks (places, years, quoted phrases, intents) and where to look."""

from __future__ import annotations

from dataclasses import dataclass

from core.types import Document
from qa.query import QueryPlan, analyze
from qa.relevance import WordCutter
from qa.vocab import Vocabulary

__all__ = ["Filters", "QueryPlan", "allowed_docs", "plan_question"]


@dataclass(frozen=True)
class Filters:
    """Restrictions chosen in the UI sidebar (empty: no restriction)."""

    places: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    doc_ids: tuple[str, ...] = ()

    def allowed(self, documents: list[Document]) -> frozenset[str] | None:
        if not (self.places or self.years or self.doc_ids):
            return None
        out = set()
        for d in documents:
            m = d.meta
            if self.places and not ({m.county, m.city, m.province, m.place} & set(self.places)):
                continue
            if self.years and m.year not in self.years:
                continue
            if self.doc_ids and d.doc_id not in self.doc_ids:
                continue
            out.add(d.doc_id)
        return frozenset(out)


def plan_question(question: str, documents: list[Document], vocab: Vocabulary, cut: WordCutter) -> QueryPlan:
    """The question read for places, bodies, years, quoted phrases and intents, expanded with the vocabulary."""
    return analyze(question, documents, vocab, tagger=cut.tag)


def allowed_docs(
    plan: QueryPlan, filters: Filters | None, documents: list[Document]
) -> tuple[frozenset[str] | None, bool]:
    """The documents to search: those the question's places allow, within the sidebar filters.

    Returns:
        (allowed document ids or None for all, whether the filters leave none of the question's documents).
    """
    allowed = plan.allowed_docs
    if filters is not None:
        fa = filters.allowed(documents)
        if fa is not None:
            allowed = fa if allowed is None else (allowed & fa)
            if not allowed:
                return allowed, True
    return allowed, False
