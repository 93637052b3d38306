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
    # Abstention (qa/relevance.py), chosen on bench/questions/devset.jsonl: abstain when the best passage
    # holds less than this share of the question, or less than the *_unknown share when a word
    # of the question is unknown to corpus and vocabulary. A question naming a covered place
    # (…_placed) is about that place's plan, so it needs less.
    min_coverage: float = 0.1
    min_coverage_unknown: float = 0.45
    min_coverage_placed: float = 0.1
    min_coverage_unknown_placed: float = 0.25
    # A question of this many characters (after fillers) in two or more clauses is told as a
    # story: its unknown words are the asker's phrasing when 3+ other words name the topic
    # (Engine.topics).
    long_question_chars: int = 18
    # Shorter questions (after fillers) have no everyday words: each word carries the topic.
    everyday_min_chars: int = 12
    ann_threshold: int = 50_000
    # citations after the first need this share of the best passage's coverage of the question
    min_relative_coverage: float = 0.3
    # value questions (多少钱, 几月 …): how many of the best hits may state the asked value (0: no check)
    value_depth: int = 10

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)
