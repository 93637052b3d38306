"""Stage 2, retrieve: hybrid (BM25 + embeddings, fused) search for a planned question."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from core.types import Hit
from index.retriever import Query
from qa.query import QueryPlan
from qa.settings import Settings

if TYPE_CHECKING:
    from qa.library import LoadedIndex


def retrieve(
    ix: LoadedIndex,
    plan: QueryPlan,
    k: int,
    allowed: frozenset[str] | None,
    expansion_weight: float,
    weights: tuple[float, float] | None = None,
) -> list[Hit]:
    """The best `k` passages for the plan; a year the question names lifts its documents' passages.

    Args:
        ix: the loaded index.
        plan: the planned question (its core is matched, its expansions weigh `expansion_weight`).
        k: how many hits.
        allowed: only these documents (None: all).
        weights: (lexical, dense) fusion weights for this question (None: the index's).
    """
    terms = tuple((official, expansion_weight) for _, official in plan.expansions)
    q = Query(
        text=plan.core, terms=terms, allowed_docs=allowed, dense_text=embedded_text(plan), weights=weights
    )
    hits = ix.hybrid.search(q, k)
    if plan.years:
        docs = ix.docs
        hits = sorted(
            hits,
            key=lambda h: -h.score * (1.25 if docs[h.passage.doc_id].meta.year in plan.years else 1.0),
        )
    return hits


def embedded_text(plan: QueryPlan) -> str:
    """What the encoder embeds for a question: the whole question as typed."""
    return plan.question


def question_vector(ix: LoadedIndex, plan: QueryPlan) -> np.ndarray:
    """The embedding of the question as retrieval encodes it (cached there: no second encoding)."""
    return ix.dense.query_vector(Query(text=plan.core, dense_text=embedded_text(plan)))


def fusion_weights(plan: QueryPlan, settings: Settings) -> tuple[float, float]:
    """(lexical, dense) weights: a long question leans more on the meaning match.

    A question told as a story ("我跟娃他爸下班都得六七点,娃小学四点多就放了…") carries many of
    the asker's own words, which BM25 matches anywhere; from `settings.long_question` characters
    of core on, the dense side weighs `settings.w_dense_long` (calibrated on the pooled spent sets).
    """
    if settings.w_dense > 0 and len(plan.core.replace(" ", "")) >= settings.long_question:
        dense = max(settings.w_dense, settings.w_dense_long)
        return (settings.w_lexical + settings.w_dense - dense, dense)
    return (settings.w_lexical, settings.w_dense)
