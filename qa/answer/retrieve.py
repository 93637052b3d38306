"""Stage 2, retrieve: hybrid (BM25 + embeddings, fused) search for a planned question."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.types import Hit
from index.retriever import Query
from qa.query import QueryPlan

if TYPE_CHECKING:
    from qa.library import LoadedIndex


def retrieve(
    ix: LoadedIndex, plan: QueryPlan, k: int, allowed: frozenset[str] | None, expansion_weight: float
) -> list[Hit]:
    """The best `k` passages for the plan; a year the question names lifts its documents' passages.

    Args:
        ix: the loaded index.
        plan: the planned question (its core is matched, its expansions weigh `expansion_weight`).
        k: how many hits.
        allowed: only these documents (None: all).
    """
    terms = tuple((official, expansion_weight) for _, official in plan.expansions)
    q = Query(text=plan.core, terms=terms, allowed_docs=allowed, dense_text=plan.question)
    hits = ix.hybrid.search(q, k)
    if plan.years:
        docs = ix.docs
        hits = sorted(
            hits,
            key=lambda h: -h.score * (1.25 if docs[h.passage.doc_id].meta.year in plan.years else 1.0),
        )
    return hits
