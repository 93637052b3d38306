"""The question-answering engine: a thin façade over the library (corpus + index) and the answer
pipeline (`qa/answer/`) and exact-wording lookup (`qa/lookup.py`).

Example:
    >>> engine = Engine.open(Settings())  # doctest: +SKIP
    >>> engine.ask("融安县防溺水措施").citations[0].title  # doctest: +SKIP
    '2024年融安县教育工作要点'
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from core.types import Answer, Citation, Document, Hit, Passage
from index.dense import Encoder, make_encoder
from index.store import StoredIndex
from qa.answer import assemble, pipeline, signals
from qa.answer.plan import Filters, plan_question
from qa.answer.retrieve import fusion_weights, retrieve
from qa.hygiene import question_text
from qa.library import Library, LoadedIndex, Progress, covered_places
from qa.lookup import Occurrences, occurrences
from qa.query import QueryPlan
from qa.relevance import shared_cutter
from qa.settings import Settings
from qa.uploads import MAX_UPLOAD_BYTES, store_upload
from qa.vocab import Vocabulary, load_vocabulary

__all__ = ["Engine", "Filters"]


class Engine:
    """Loads (or builds) the index and answers questions; safe to share between threads.

    Example:
        >>> engine = Engine.open(Settings())  # doctest: +SKIP
        >>> engine.ask("融安县防溺水措施").citations[0].title  # doctest: +SKIP
        '2024年融安县教育工作要点'
    """

    def __init__(self, settings: Settings, encoder: Encoder, vocab: Vocabulary):
        self.settings = settings
        self.encoder = encoder
        self.vocab = vocab
        self.cutter = shared_cutter()
        self.library = Library(settings, encoder, self.cutter)
        self._pinned = threading.local()  # a new index may be installed while a question is answered

    @classmethod
    def open(
        cls,
        settings: Settings | None = None,
        *,
        progress: Progress | None = None,
        encoder: Encoder | None = None,
    ) -> Engine:
        """Load the current index, building or rebuilding it when missing, stale, corrupt or mismatched."""
        settings = settings or Settings()
        vocab = load_vocabulary(Path(settings.corpus_dir) / "synonyms.tsv")
        engine = cls(settings, encoder or make_encoder(settings.encoder), vocab)
        engine.cutter.warm()
        engine.refresh(progress=progress)
        return engine

    # --- the library -------------------------------------------------------------------------------

    def refresh(self, *, progress: Progress | None = None, force: bool = False) -> str:
        """Make the served index match the corpus folder; returns a one-line status (`Library.refresh`)."""
        return self.library.refresh(progress=progress, force=force)

    def changed(self) -> bool:
        """Whether the corpus folder differs from what the served index was built from."""
        return self.library.changed()

    def watch(self, interval: float = 5.0, on_change: Callable[[str], None] | None = None) -> threading.Event:
        """Re-index in the background when the corpus folder changes (`Library.watch`)."""
        return self.library.watch(interval, on_change)

    def _install(self, store: StoredIndex) -> None:
        self.library.install(store)

    @property
    def status(self) -> str:
        """The last refresh's one-line status."""
        return self.library.status

    @status.setter
    def status(self, value: str) -> None:
        self.library.status = value

    @property
    def build_error(self) -> str:
        """Why the last re-index failed ("" when it did not); the old index then keeps serving."""
        return self.library.build_error

    @property
    def skipped(self) -> list:
        """Files of the last build that could not be read, with their reasons."""
        return self.library.skipped

    @property
    def last_build(self) -> dict:
        return self.library.last_build

    @property
    def state(self) -> LoadedIndex:
        """The index in use; pinned for the whole of a call to `ask` in that thread."""
        pinned = getattr(self._pinned, "state", None)
        if pinned is not None:
            return pinned
        if self.library.loaded is None:
            raise RuntimeError("engine has no index loaded")
        return self.library.loaded

    @property
    def documents(self) -> list[Document]:
        return self.state.store.documents

    @property
    def passages(self) -> list[Passage]:
        return self.state.store.passages

    def document(self, doc_id: str) -> Document | None:
        """A document by id from the loaded index (never by path)."""
        return self.state.docs.get(doc_id)

    def covered_places(self) -> list[str]:
        return covered_places(self.documents)

    def add_document(self, filename: str, data: bytes, *, max_bytes: int = MAX_UPLOAD_BYTES) -> Path:
        """Check an uploaded file and store it in the corpus folder (`qa.uploads.store_upload`).

        Call `refresh()` afterwards to index it (the current index keeps serving meanwhile).

        Raises:
            UnreadableFile: unsupported type, too large, empty, binary, encrypted, broken …
        """
        return store_upload(self.settings.corpus_dir, filename, data, max_bytes=max_bytes)

    # --- answers -----------------------------------------------------------------------------------

    def ask(
        self,
        question: str,
        *,
        k: int | None = None,
        offset: int = 0,
        filters: Filters | None = None,
        wording: bool | None = None,
    ) -> Answer:
        """Answer a question with cited, verbatim excerpts, or say plainly that the documents do not.

        Args:
            question: the question as typed.
            k: number of citations (default Settings.k).
            offset: skip this many results (for "还有吗").
            filters: sidebar restrictions by place, year, document.
            wording: force (True) or forbid (False) the exact-wording path; None decides from the question.
        """
        question = question_text(question)  # QuestionError for None, numbers …; surrogates replaced
        ix = self._pinned.state = self.state
        try:
            return pipeline.answer(
                ix, self.settings, self.vocab, question, k=k, offset=offset, filters=filters, wording=wording
            )
        finally:
            self._pinned.state = None

    def find(
        self, phrase: str, *, allowed: frozenset[str] | None = None, limit: int | None = None
    ) -> list[Citation]:
        """Every verbatim occurrence of `phrase` (tolerant of width, quotes and spacing), in corpus order.

        Occurrences within the excerpt of the previous one share its citation (one more highlight).

        Args:
            allowed: only these documents (None: all).
            limit: build only the first `limit` citations; `occurrences` also counts the rest.
        """
        return self.occurrences((phrase,), allowed=allowed, limit=limit).citations

    def occurrences(
        self, phrases: tuple[str, ...], *, allowed: frozenset[str] | None = None, limit: int | None = None
    ) -> Occurrences:
        """The citations `find` gives for each phrase in turn, and how many there are in all (`qa.lookup`)."""
        return occurrences(
            self.state, phrases, excerpt_chars=self.settings.excerpt_chars, allowed=allowed, limit=limit
        )

    # --- the stages, for tools and tests that look inside an answer --------------------------------

    def plan(self, question: str) -> QueryPlan:
        return plan_question(question, self.documents, self.vocab, self.cutter)

    def retrieve(self, plan: QueryPlan, k: int, allowed: frozenset[str] | None) -> list[Hit]:
        weights = fusion_weights(plan, self.settings)
        return retrieve(self.state, plan, k, allowed, self.settings.expansion_weight, weights)

    def coverage(self, plan: QueryPlan, hits: list[Hit], top: int = 3) -> float:
        return signals.coverage(self.state, plan, hits, top)

    def in_corpus(self, word: str, docs: frozenset[str] | None = None) -> bool:
        return signals.in_corpus(self.state, word, docs)

    def drop_weak_tail(self, plan: QueryPlan, hits: list[Hit], best: float) -> list[Hit]:
        return assemble.drop_weak_tail(self.state, plan, hits, best, self.settings.min_relative_coverage)
