"""Reciprocal-rank fusion of ranked lists.

Cormack, Clarke & Büttcher, "Reciprocal Rank Fusion outperforms Condorcet and individual
Rank Learning Methods" (SIGIR 2009): score(d) = Σ_i w_i / (k + rank_i(d)), ranks from 1.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.types import Hit


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[Hit]], k: float = 60.0, weights: Sequence[float] | None = None
) -> list[Hit]:
    """Fuse ranked hit lists into one, best first; returns new Hit objects.

    Each returned hit keeps every signal's (score, rank) from the input lists in `signals`,
    merged by passage id, so a caller can say why a passage matched.

    Args:
        rankings: one list per signal, best first; hits carry their signal in `signals`.
        k: the RRF constant; smaller k trusts the top ranks more.
        weights: one weight per list (default all 1).
    """
    if weights is None:
        weights = [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking")
    fused: dict[str, float] = {}
    passages = {}
    signals: dict[str, dict[str, tuple[float, int]]] = {}
    for hits, w in zip(rankings, weights, strict=True):
        for rank, hit in enumerate(hits, start=1):
            pid = hit.passage.pid
            fused[pid] = fused.get(pid, 0.0) + w / (k + rank)
            passages[pid] = hit.passage
            signals.setdefault(pid, {}).update(hit.signals)
    order = sorted(fused, key=lambda p: (-fused[p], passages[p].doc_id, passages[p].start))
    return [Hit(passages[p], fused[p], dict(signals[p])) for p in order]
