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
    # a passage shorter than this is shown with the neighbouring passages that fit the excerpt
    # (pooled sets: unseen documents' list clauses; 150 kept every gain of 300 and leaves a full
    # item of a plan alone, not followed by the next one)
    context_below: int = 150
    # the summary's sentence within an excerpt: this weight on the question's highlighted words,
    # the rest on the embedding's similarity of the sentence to the question (pooled sets: the
    # first summary sentence holds the evidence 0.711 → 0.747 bundled, 0.588 → 0.634 unseen; 1 = words only)
    summary_words_weight: float = 0.3
    k: int = 5
    # RRF's constant and the (lexical, dense) weights, calibrated on the pooled spent sets (R61–R90,
    # R91a/b, R92a/b, N73–N104): k 10 → 5 and 0.8 / 0.2 → 0.7 / 0.3 found +20 / −5 answerable hits at
    # unchanged MRR
    rrf_k: float = 5.0
    w_lexical: float = 0.7
    w_dense: float = 0.3
    # a question with at least `long_question` characters of core fuses with this dense weight
    long_question: int = 20
    w_dense_long: float = 0.35
    expansion_weight: float = 0.5
    # The decision (qa/answer/decide.py, calibrated on the pooled question sets, BENCHMARKS.md):
    # a term held by at least this share of the passages is generic (措施, 工作 …), not a topic;
    generic_share: float = 0.12
    # the documents hedge when none of the first `topic_depth` hits holds a topic term of the
    # question; they refuse when no word of it occurs in the first `evidence_depth` hits.
    # 5 = the cards shown (pooled sets against 3: three answerable questions of three sets answered,
    # their term on the 4th or 5th card; one unanswerable answered)
    topic_depth: int = 5
    evidence_depth: int = 10
    # A short question (at most `short_topics` topic terms) with a topic word the corpus lacks
    # hedges too, unless the embedding ranks the best passage within its first `agree_rank`.
    short_topics: int = 3
    agree_rank: int = 2
    # the best passages' missing topic words do not hedge when the embedding ranks the first hit
    # first and BM25 among its first `agree_lexical` (the rankings agree; pooled sets: 10
    # answerable questions of 6 sets answered for 2 unanswerable of older sets)
    agree_dense: int = 1
    agree_lexical: int = 2
    # an answer's card after the first that holds no topic term of the question is kept when the
    # embedding ranks it within its first `card_agree_dense` and BM25 within `card_agree_lexical`
    # (pooled sets: BM25's first five rather than two keeps the embedding's best passage in 6 more
    # answers of 5 sets, −0; padding among all cards 3.9 → 4.2 %)
    card_agree_dense: int = 1
    card_agree_lexical: int = 5
    # a hedge's possibly-related cards after the first: those holding a topic term of the question,
    # and the embedding's first `related_meaning_rank` passages (pooled sets: 1 keeps the meaning
    # match's best passage; 2 made 22–31 % of the related cards share no topic word)
    related_meaning_rank: int = 1
    ann_threshold: int = 50_000
    # citations after the first need this share of the best passage's coverage of the question
    min_relative_coverage: float = 0.3
    # value questions (多少钱, 几月 …): how many of the best hits may state the asked value (0: no check)
    value_depth: int = 10
    # …and when none states it about the question's anchor, the first hit still answers when it states
    # a value of the kind and both rankings put it first (dense and BM25 rank ≤ `value_agree`): the
    # asker named the thing their way (网吧 for 营业性电子游戏场所, 公斤 for 4KG). Pooled spent sets
    # R61–R93, N73–N109: 19 answerable questions of 18 sets answered (16 with the evidence first),
    # 5 unanswerable answered; rank ≤ 2 on both: 22 for 10
    value_agree: int = 1

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)
