"""Typed records that cross module boundaries.

Offsets (`start`, `end`) always index into `Document.text`, the cleaned text of a
document, so `document.text[p.start:p.end] == p.text` holds for every passage.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


def stable_id(*parts: str, length: int = 16) -> str:
    """Hash of the given strings: the same inputs always give the same id."""
    h = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=16)
    return h.hexdigest()[:length]


@dataclass(frozen=True)
class DocMeta:
    """What a reader needs to cite a document. Unknown fields stay None."""

    title: str
    issuer: str | None = None
    province: str | None = None
    city: str | None = None
    county: str | None = None
    year: int | None = None
    date: str | None = None
    source: str | None = None

    @property
    def place(self) -> str | None:
        """The most specific place, with its parent city when that helps (常州市金坛区)."""
        if self.county and self.city:
            return f"{self.city}{self.county}"
        return self.county or self.city or self.province


@dataclass(frozen=True)
class Removal:
    """A piece of the raw text that cleaning dropped, and why (shown by `policyqa ingest`)."""

    reason: str
    text: str


@dataclass(frozen=True)
class Document:
    """A cleaned document. `text` is what passages, offsets and the source viewer use."""

    doc_id: str
    path: str
    text: str
    meta: DocMeta
    removed: tuple[Removal, ...] = ()
    sha256: str = ""


@dataclass(frozen=True)
class Passage:
    """A citable unit: one numbered item, part of one, a table row, or a paragraph."""

    pid: str
    doc_id: str
    start: int
    end: int
    text: str
    section: tuple[str, ...] = ()
    kind: str = "item"

    @property
    def breadcrumb(self) -> str:
        return " › ".join(self.section)


@dataclass(frozen=True)
class Hit:
    """A passage found by a retriever. `signals` keeps each signal's score and rank."""

    passage: Passage
    score: float
    signals: dict[str, tuple[float, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Citation:
    """An excerpt shown to the user: verbatim `Document.text[start:end]`."""

    n: int
    doc_id: str
    title: str
    issuer: str | None
    place: str | None
    year: int | None
    section: str
    text: str
    start: int
    end: int
    score: float
    highlights: tuple[tuple[int, int], ...] = ()
    pid: str = ""
    why: str = ""


@dataclass(frozen=True)
class Answer:
    """What `ask` returns: an extractive answer and its citations, best first.

    `kind` is "answer" (retrieved passages), "wording" (verbatim occurrences of a phrase),
    "related" (the documents may answer but do not show it: `found` is False, `message` says
    what is missing and `related` holds the closest passages, best first) or "none" (the
    documents do not answer; `message` says why).
    """

    question: str
    found: bool
    answer: str
    citations: tuple[Citation, ...] = ()
    message: str = ""
    suggestions: tuple[str, ...] = ()
    kind: str = "answer"
    related: tuple[Citation, ...] = ()
