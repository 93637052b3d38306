"""PolicyQA (政策问答): cited-excerpt question answering over Chinese education-policy documents.

Example:
    >>> from qa import ask
    >>> answer = ask("融安县防溺水措施")  # doctest: +SKIP
    >>> answer.citations[0].title  # doctest: +SKIP
    '2024年融安县教育工作要点'

Heavy pieces (numpy, faiss, the encoder) load on first use, so importing `qa` is cheap.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from qa.types import Answer, Citation, DocMeta, Document, Hit, Passage

if TYPE_CHECKING:
    from qa.engine import Engine, Filters
    from qa.settings import Settings

__all__ = [
    "Answer",
    "Citation",
    "DocMeta",
    "Document",
    "Engine",
    "Filters",
    "Hit",
    "Passage",
    "Settings",
    "ask",
    "find",
]

_default: Engine | None = None
_lock = threading.Lock()


def _engine() -> Engine:
    global _default
    with _lock:
        if _default is None:
            from qa.engine import Engine
            from qa.settings import Settings

            _default = Engine.open(Settings())
    return _default


def ask(question: str, **kwargs: Any) -> Answer:
    """Answer with the default engine (corpus/ and var/index/ under the working directory).

    Keyword arguments are those of `Engine.ask` (k, offset, filters, wording).
    """
    return _engine().ask(question, **kwargs)


def find(phrase: str) -> list[Citation]:
    """Every verbatim occurrence of `phrase` in the default corpus."""
    return _engine().find(phrase)


def __getattr__(name: str) -> Any:
    if name in ("Engine", "Filters"):
        from qa import engine

        return getattr(engine, name)
    if name == "Settings":
        from qa.settings import Settings

        return Settings
    raise AttributeError(name)
