"""The answer pipeline: plan → retrieve → decide → assemble; `qa.answer.pipeline.answer` walks it.

(`pipeline` is not re-exported here: it imports `qa.lookup`, which imports `assemble`.)
"""

from __future__ import annotations

from qa.answer.assemble import (
    citation_line,
    drop_repeated_rows,
    explain,
    fewer_rows,
    group_by_document,
    reference_line,
    summarize,
)
from qa.answer.decide import NOT_FOUND, Decision, decide
from qa.answer.plan import Filters, plan_question
from qa.answer.retrieve import retrieve
from qa.answer.signals import only_qualifies

__all__ = [
    "NOT_FOUND",
    "Decision",
    "Filters",
    "citation_line",
    "decide",
    "drop_repeated_rows",
    "explain",
    "fewer_rows",
    "group_by_document",
    "only_qualifies",
    "plan_question",
    "reference_line",
    "retrieve",
    "summarize",
]
