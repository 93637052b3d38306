"""Settings: one frozen object built at the edges (CLI, UI) and passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path


def _env_path(name: str, default: Path) -> Path:
    v = os.environ.get(name)
    return Path(v) if v else default


@dataclass(frozen=True)
class Settings:
    """Where the corpus and index live, which models, and the retrieval knobs (chosen on the dev set)."""

    corpus_dir: Path = field(default_factory=lambda: _env_path("POLICYQA_CORPUS", Path("corpus")))
    index_dir: Path = field(default_factory=lambda: _env_path("POLICYQA_INDEX", Path("var") / "index"))
    encoder: str = field(default_factory=lambda: os.environ.get("POLICYQA_ENCODER", "use"))
    analyzer: str = "char12"
    max_chars: int = 300  # passages: items longer than this are split at sentence ends
    excerpt_chars: int = 300  # excerpts shown: at most this long
    k: int = 5
    rrf_k: float = 10.0
    w_lexical: float = 0.8
    w_dense: float = 0.2
    expansion_weight: float = 0.5
    min_coverage: float = 0.2  # abstain below this share of the question matched
    min_coverage_unknown: float = 0.45  # … or below this when a word of the question is unknown
    min_coverage_unknown_placed: float = 0.25  # … the same for a question naming a covered place
    ann_threshold: int = 50_000

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)
