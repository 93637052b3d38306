"""The question-answering engine: corpus + index + retrievers → cited, extractive answers."""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np

from index.bm25 import bm25_idf
from index.build import build_index, context_text
from index.dense import Encoder, make_encoder
from index.retriever import DenseRetriever, DocMask, HybridRetriever, LexicalRetriever, Query
from index.store import IndexInvalid, StoredIndex, current_build_id, load_build
from index.tokenize import normalize
from qa.ingest.clean import clean
from qa.ingest.corpus import CATALOG_NAME, corpus_files, load_corpus
from qa.ingest.readers import SUPPORTED_SUFFIXES, UnreadableFile, read_text
from qa.places import lookup, short_name
from qa.query import QueryPlan, analyze, document_names
from qa.relevance import (
    QUESTION_WORD,
    VALUE_VERBS,
    ValueAsk,
    WordCutter,
    asked_value,
    content_words,
    everyday_words,
    should_abstain,
    topic_words,
    unexplained_words,
    value_sentences,
)
from qa.settings import Settings
from qa.textspan import (
    FoldedText,
    best_window,
    clean_terms,
    fold_phrase,
    highlight_spans,
    query_terms,
    sentence_spans,
    strip_marker,
)
from qa.types import Answer, Citation, Document, Hit, Passage
from qa.vocab import Vocabulary, load_vocabulary

log = logging.getLogger("policyqa")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
Progress = Callable[[str, int, int], None]

NOT_FOUND = "没有找到相关内容"


@dataclass(frozen=True)
class Filters:
    """Restrictions chosen in the UI sidebar (empty: no restriction)."""

    places: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    doc_ids: tuple[str, ...] = ()

    def allowed(self, documents: list[Document]) -> frozenset[str] | None:
        if not (self.places or self.years or self.doc_ids):
            return None
        out = set()
        for d in documents:
            m = d.meta
            if self.places and not ({m.county, m.city, m.province, m.place} & set(self.places)):
                continue
            if self.years and m.year not in self.years:
                continue
            if self.doc_ids and d.doc_id not in self.doc_ids:
                continue
            out.add(d.doc_id)
        return frozenset(out)


@dataclass
class _State:
    """One loaded index and what serves it; replaced whole when a new build is installed."""

    store: StoredIndex
    lexical: LexicalRetriever
    hybrid: HybridRetriever
    docs: dict[str, Document]
    idf: np.ndarray
    max_idf: float
    passage_index: dict[str, int] = field(default_factory=dict)
    # doc_id -> (start offsets of its passages, their indexes in store.passages), np.int32
    doc_passages: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    folded: dict[str, FoldedText] = field(default_factory=dict)  # doc_id -> FoldedText, built at install
    doc_of: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))  # passage -> document index


def corpus_fingerprint(settings: Settings) -> str:
    """Cheap identity of the corpus folder and the settings an index depends on."""
    h = hashlib.sha256()
    root = Path(settings.corpus_dir)
    for p in corpus_files(root) if root.exists() else []:
        st = p.stat()
        h.update(f"{p.relative_to(root)}\t{st.st_size}\t{st.st_mtime_ns}\n".encode())
    cat = root / CATALOG_NAME
    if cat.exists():
        h.update(cat.read_bytes())
    h.update(f"{settings.encoder}|{settings.analyzer}|{settings.max_chars}".encode())
    return h.hexdigest()


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
        self._state: _State | None = None
        self._build_lock = threading.Lock()
        self.status = ""
        self.skipped: list = []
        self.last_build: dict = {}
        self.cutter = WordCutter()
        self._pinned = threading.local()  # a new index may be installed while a question is answered

    # --- lifecycle -----------------------------------------------------------------------------------

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

    def _check(self, store: StoredIndex, fingerprint: str) -> str | None:
        m = store.manifest
        if m.encoder.get("id") != self.encoder.id:
            return f"索引用的向量模型是 {m.encoder.get('id')}，当前设置是 {self.encoder.id}"
        if m.analyzer != self.settings.analyzer:
            return f"索引用的分词器是 {m.analyzer}，当前设置是 {self.settings.analyzer}"
        if m.fingerprint != fingerprint:
            return "文档目录有变化"
        return None

    def refresh(self, *, progress: Progress | None = None, force: bool = False) -> str:
        """Make the served index match the corpus folder; returns a one-line status.

        The index in use keeps serving while a new one builds; it is replaced only when the
        new build is complete and verified.
        """
        with self._build_lock:
            s = self.settings
            index_dir = Path(s.index_dir)
            fingerprint = corpus_fingerprint(s)
            reason = None
            store = None
            if not force and current_build_id(index_dir):
                try:
                    store = load_build(index_dir)
                    reason = self._check(store, fingerprint)
                except IndexInvalid as e:
                    reason = f"索引不可用（{e}）"
                    log.warning("index invalid: %s", e)
            elif force:
                reason = "按要求重建"
            else:
                reason = "还没有索引"
            if store is not None and reason is None:
                if self._state is None or self._state.store.manifest.build_id != store.manifest.build_id:
                    self._install(store)
                self.status = f"索引已是最新（{store.manifest.build_time}）"
                return self.status
            try:
                corpus = load_corpus(s.corpus_dir, max_chars=s.max_chars)
                _path, stats = build_index(
                    index_dir,
                    corpus.documents,
                    corpus.passages,
                    encoder=self.encoder,
                    analyzer=s.analyzer,
                    max_chars=s.max_chars,
                    ann_threshold=s.ann_threshold,
                    progress=progress,
                    fingerprint=fingerprint,
                )
                new_store = load_build(index_dir)
            except Exception as e:
                if self._state is None:
                    raise
                # Keep serving what we have; the next refresh tries again.
                log.exception("index update failed")
                self.status = f"更新索引失败（{type(e).__name__}: {e}），继续使用 {self._state.store.manifest.build_time} 的索引"
                return self.status
            self.skipped = corpus.skipped
            self.last_build = stats
            self._install(new_store)
            self.status = (
                f"已重建索引：{reason}；{len(corpus.documents)} 个文档，{stats['passages']} 段，"
                f"新编码 {stats['encoded']} 段，复用 {stats['reused']} 段，用时 {stats['seconds']} 秒"
            )
            return self.status

    def changed(self) -> bool:
        """Whether the corpus folder differs from what the served index was built from."""
        st = self._state
        return st is None or st.store.manifest.fingerprint != corpus_fingerprint(self.settings)

    def watch(self, interval: float = 5.0, on_change: Callable[[str], None] | None = None) -> threading.Event:
        """Poll the corpus folder in a daemon thread and re-index when it changes.

        Documents added to or removed from corpus/ while serving appear in (or leave) answers
        after their build, without a restart. Returns an Event that stops the watcher when set.
        """
        stop = threading.Event()

        def loop() -> None:
            while not stop.wait(interval):
                try:
                    if self.changed():
                        status = self.refresh()
                        if on_change:
                            on_change(status)
                except Exception:  # never let the watcher die: log and try again next time
                    log.exception("corpus watcher")

        threading.Thread(target=loop, name="policyqa-watch", daemon=True).start()
        return stop

    def _install(self, store: StoredIndex) -> None:
        doc_mask = DocMask.of(store)  # shared by both retrievers and the exact-wording search
        lexical = LexicalRetriever(store, doc_mask)
        dense = DenseRetriever(store, self.encoder, doc_mask)
        s = self.settings
        hybrid = HybridRetriever([lexical, dense], [s.w_lexical, s.w_dense], k=s.rrf_k)
        df = np.diff(store.bm25.weights.indptr).astype(np.float64)
        n = max(store.bm25.n_docs, 1)
        idf = bm25_idf(df, n) if len(df) else np.zeros(0)
        max_idf = float(np.log((n + 0.5) / 0.5))
        docs = {d.doc_id: d for d in store.documents}
        # Fold every document for the exact-wording search now, not on its first question
        # (bench: ×330 first call 10 s → …); compact maps, see FoldedText.
        folded = {d.doc_id: FoldedText(d.text) for d in store.documents}
        document_names(store.documents)  # the place and alias maps qa.query.analyze uses
        self._state = _State(
            store,
            lexical,
            hybrid,
            docs,
            idf,
            max_idf,
            {p.pid: i for i, p in enumerate(store.passages)},
            _doc_passages(store.passages),
            folded,
            doc_mask.doc_of,
        )

    @property
    def state(self) -> _State:
        """The index in use; pinned for the whole of a call to `ask` in that thread."""
        pinned = getattr(self._pinned, "state", None)
        if pinned is not None:
            return pinned
        if self._state is None:
            raise RuntimeError("engine has no index loaded")
        return self._state

    @property
    def documents(self) -> list[Document]:
        return self.state.store.documents

    @property
    def passages(self) -> list[Passage]:
        return self.state.store.passages

    def document(self, doc_id: str) -> Document | None:
        """A document by id from the loaded index (never by path)."""
        return self.state.docs.get(doc_id)

    # --- adding documents ------------------------------------------------------------------------------

    def add_document(self, filename: str, data: bytes, *, max_bytes: int = MAX_UPLOAD_BYTES) -> Path:
        """Check an uploaded file and store it in the corpus folder under a safe name.

        The file is read with the same readers as ingestion before it is stored, so a file that
        cannot be read is refused with the reason and never reaches the corpus. Call `refresh()`
        afterwards to index it (the current index keeps serving meanwhile).

        Returns:
            The stored path.

        Raises:
            UnreadableFile: unsupported type, too large, empty, binary, encrypted, broken …
        """
        name = safe_filename(filename)
        suffix = Path(name).suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            raise UnreadableFile(
                name,
                f"不支持的文件类型 {suffix or '(无扩展名)'}；支持：{'、'.join(sorted(SUPPORTED_SUFFIXES))}",
            )
        if len(data) > max_bytes:
            raise UnreadableFile(name, f"文件过大 ({len(data) / 1e6:.1f} MB > {max_bytes / 1e6:.0f} MB)")
        root = Path(self.settings.corpus_dir)
        root.mkdir(parents=True, exist_ok=True)
        staging = root / ".uploads"
        staging.mkdir(exist_ok=True)
        tmp = staging / name
        tmp.write_bytes(data)
        try:
            text = read_text(tmp, max_bytes=max_bytes)
            if not clean(text).lines:
                raise UnreadableFile(name, "清理后没有正文")
            target = root / name
            stem, n = target.stem, 2
            while target.exists():
                if target.read_bytes() == data:
                    raise UnreadableFile(name, f"与已有文件 {target.name} 内容相同")
                target = root / f"{stem}-{n}{suffix}"
                n += 1
            tmp.replace(target)
            return target
        finally:
            tmp.unlink(missing_ok=True)

    # --- retrieval ------------------------------------------------------------------------------------

    def plan(self, question: str) -> QueryPlan:
        return analyze(question, self.documents, self.vocab, tagger=self.cutter.tag)

    def retrieve(self, plan: QueryPlan, k: int, allowed: frozenset[str] | None) -> list[Hit]:
        terms = tuple((official, self.settings.expansion_weight) for _, official in plan.expansions)
        dense_text = plan.question
        q = Query(text=plan.core, terms=terms, allowed_docs=allowed, dense_text=dense_text)
        hits = self.state.hybrid.search(q, k)
        if plan.years:
            docs = self.state.docs
            hits = sorted(
                hits,
                key=lambda h: -h.score * (1.25 if docs[h.passage.doc_id].meta.year in plan.years else 1.0),
            )
        return hits

    def coverage(self, plan: QueryPlan, hits: list[Hit], top: int = 3) -> float:
        """Share of the question's (idf-weighted) terms found in the best passages, in [0, 1].

        A term counts as found when it, or an official term the vocabulary maps it to, occurs in a
        top passage with its title and section. Unknown terms weigh as much as the rarest known one.
        """
        return max(self.coverages(plan, hits[:top]), default=0.0)

    def coverages(self, plan: QueryPlan, hits: list[Hit]) -> list[float]:
        """`coverage` of each hit on its own, the question tokenised once."""
        st = self.state
        tok = st.lexical.tokenize
        vocab = st.store.bm25.vocab

        def weight(t: str) -> float:
            i = vocab.get(t)
            return float(st.idf[i]) if i is not None else st.max_idf

        q_tokens = set(tok(plan.core))
        if not q_tokens:
            return [0.0] * len(hits)
        total = sum(weight(t) for t in q_tokens)
        rules = [(set(tok(official)), q_tokens & set(tok(key))) for key, official in plan.expansions]
        out = []
        for h in hits:
            p_tokens = set(tok(context_text(h.passage, st.docs[h.passage.doc_id].meta)))
            found = sum(weight(t) for t in q_tokens if t in p_tokens)
            for official, keys in rules:
                if official <= p_tokens:
                    found += sum(weight(t) for t in keys if t not in p_tokens)
            out.append(min(1.0, found / total))
        return out

    def in_corpus(self, word: str, docs: frozenset[str] | None = None) -> bool:
        """Whether `word` occurs verbatim in some passage (with its title and section), as a word.

        An occurrence across a word boundary does not count: 校服 in 学校服装 is no mention of
        school uniforms (`WordCutter.occurs_as_word`).

        Uses the BM25 postings of the word's character bigrams to find the few passages that
        can hold it, so it stays fast on large corpora. With `docs`, only passages of those
        documents count.
        """
        st = self.state
        w = normalize(word)
        vocab, weights = st.store.bm25.vocab, st.store.bm25.weights
        grams = self._grams(w)
        cols = []
        for g in set(grams):
            j = vocab.get(g)
            if j is None:
                return False
            cols.append(weights.indices[weights.indptr[j] : weights.indptr[j + 1]])
        if not cols:
            cols.append(np.arange(len(st.store.passages)))
        cols.sort(key=len)
        rows = cols[0]
        for c in cols[1:]:  # posting lists are sorted and unique
            rows = np.intersect1d(rows, c, assume_unique=True)
            if not len(rows):
                return False
        for i in rows.tolist():
            p = st.store.passages[i]
            if docs is not None and p.doc_id not in docs:
                continue
            if self.cutter.occurs_as_word(w, normalize(context_text(p, st.docs[p.doc_id].meta))):
                return True
        return False

    def missing_here(self, plan: QueryPlan, allowed: frozenset[str]) -> list[str]:
        """Words of the question the corpus has, but not the documents the question is restricted to.

        "柳城县防溺水措施": 融安's plan speaks of 防溺水, 柳城's never does; the answer should say so
        rather than pass off 柳城's general safety items as its drowning measures. A word counts
        as present when the vocabulary maps it to a term those documents hold.
        """
        named = (*plan.places, *plan.uncovered_places)
        out = []
        for w in content_words(self.cutter(plan.core)):
            if any(p in w or w in p for p in named) or w in out:
                continue
            if not self.in_corpus(w) or self.in_corpus(w, allowed):
                continue
            officials = [off for key, off in plan.expansions if key in w or w in key]
            if any(self.in_corpus(off, allowed) for off in officials):
                continue
            out.append(w)
        return out

    def unexplained(self, plan: QueryPlan, hits: list[Hit], top: int = 5) -> list[str]:
        """The question's content words that neither the corpus nor the vocabulary accounts for.

        A colloquial word counts as accounted for only when one of the official terms the
        vocabulary maps it to occurs in the best passages: 近视 → 体质健康 does not make a
        question about near-sightedness answerable by a passage about something else.
        """
        st = self.state
        tops = [normalize(context_text(h.passage, st.docs[h.passage.doc_id].meta)) for h in hits[:top]]

        def explained(word: str) -> bool:
            # Only the rules the question actually triggered: the word 贷款 is not explained by a
            # rule for 贷款上学 when the question never says 贷款上学.
            return any(
                (key in word or word in key) and normalize(official) in p
                for key, official in plan.expansions
                for p in tops
            )

        return unexplained_words(self.cutter(plan.core), self.in_corpus, explained)

    def topics(self, plan: QueryPlan, unknown: list[str]) -> list[str]:
        """The unexplained words that name a topic, not the asker's everyday predicates.

        "某市小学放学后家长下班晚接不了孩子,学校帮忙看着吗": 下班 and 帮忙 are nowhere in the plans,
        but the question's topic is in its other words, so they must not make it unanswerable
        (`everyday_words`, `topic_words`).
        """
        if not unknown:
            return []
        others = [
            w
            for w in content_words(self.cutter(plan.core))
            if not any(u in w or w in u for u in unknown) and not QUESTION_WORD.search(w)
        ]
        # a word the asker repeats is what they ask about ("孩子近视越来越多,…学生近视防控的措施")
        distinct = list(dict.fromkeys(unknown))
        repeated = [u for u in distinct if plan.question.count(u) >= 2]
        if repeated:
            return repeated + [u for u in distinct if u not in repeated]
        long = len("".join(plan.core.split())) >= self.settings.long_question_chars
        clauses = [c for c in _CLAUSE_BREAK.split(plan.question) if len(c) >= 4]
        if long and len(clauses) >= 2 and len(others) >= 3:
            # A question told as a story ("泸州对爸妈外出打工、留在老家的孩子读书有什么照顾") names
            # its topic in the asker's words; the unknown ones are phrasing, not a missing topic.
            # One long clause ("学校会不会统一组织学生接种HPV疫苗") is no story.
            return []
        if len("".join(plan.core.split())) < self.settings.everyday_min_chars:
            # "民办初中招生是不是要摇号": in a short question every word carries the topic
            return unknown
        everyday = everyday_words(unknown, self.cutter.tag(plan.core), plan.core)
        if not everyday:
            return unknown
        return topic_words(unknown, everyday, others=len(others))

    def missing_note(self, plan: QueryPlan, words: list[str]) -> str:
        """“（文件中没有出现“寒假”）”: up to three missing words, topic words before everyday ones."""
        if not words:
            return ""
        everyday = set(everyday_words(words, self.cutter.tag(plan.core), plan.core))
        shown = [w for w in words if w not in everyday] or words
        return f"（文件中没有出现“{'、'.join(shown[:3])}”）"

    def drop_weak_tail(self, plan: QueryPlan, hits: list[Hit], best: float) -> list[Hit]:
        """Leave out hits that match much less of the question than the best passage does.

        "融安县防溺水措施" has two passages about 防溺水; three more that only share 措施 or 防控
        are noise on the screen, not answers. A hit is kept when its coverage of the question is at
        least `Settings.min_relative_coverage` × the best coverage (0 keeps every hit).
        """
        ratio = self.settings.min_relative_coverage
        if ratio <= 0 or len(hits) <= 1:
            return hits
        covs = self.coverages(plan, hits)
        return [h for n, (h, c) in enumerate(zip(hits, covs, strict=True)) if n == 0 or c >= ratio * best]

    def _grams(self, w: str) -> list[str]:
        """The index tokens every passage holding `w` must have: its bigrams, or characters (char1).

        Empty for word-only analyzers (jieba): no character postings narrow the search there.
        """
        analyzer = self.settings.analyzer
        if "char2" in analyzer or "char12" in analyzer:
            return [w[i : i + 2] for i in range(len(w) - 1)] or [w]
        return list(w) if analyzer == "char1" else []

    def rarity(self, word: str) -> int:
        """An upper bound on how many passages hold `word`: the posting count of its rarest bigram."""
        st = self.state
        w = normalize(word)
        grams = self._grams(w)
        bm = st.store.bm25
        n = len(st.store.passages)
        for g in grams:
            j = bm.vocab.get(g)
            if j is None:
                return 0
            n = min(n, int(bm.weights.indptr[j + 1] - bm.weights.indptr[j]))
        return n

    def anchor(self, plan: QueryPlan, value: ValueAsk, within: list[str] | None = None) -> tuple[str, ...]:
        """The question's most specific term, with the official terms the vocabulary maps it to.

        A sentence that states the asked value must name this term to be about the question:
        "2019年发放教育救助资金720.79万元" answers "金坛2019年教育救助资金多少"; a sentence with some
        other amount does not. Place names are left out (the title carries them), and so are the
        words that ask for the value (年龄, 比例 …). Empty when no content word is in the corpus.
        """
        core = value.asked.sub(" ", plan.core)
        named = (*plan.places, *plan.uncovered_places)
        best: tuple[int, tuple[str, ...]] | None = None
        words = content_words(self.cutter(core))
        # 省优质幼儿园比例达到多少: 达到 only links the value; what it is about is 优质幼儿园
        words = [w for w in words if w not in VALUE_VERBS] or words
        if value.kind == "count":
            # "大概有几位咨询师": what is counted follows the measure word
            counted = content_words(self.cutter(plan.question[value.asked.search(plan.question).end() :]))
            if counted:
                words = counted[:1]
        for w in words:
            if any(p in w or w in p for p in named):
                continue
            alts = tuple(
                a
                for a in (w, *(off for key, off in plan.expansions if key in w or w in key))
                if self.in_corpus(a)
            )
            if not alts:
                # 结对子: the corpus says 结对 — its longest part the corpus has, one character short
                part = self.longest_known_part(w, min_chars=max(2, len(w) - 1))
                alts = (part,) if part else ()
            if not alts and value.kind == "count" and words == [w]:
                # 每天做几次眼保健操: what is counted is never named, so no sentence states its count
                return (w,)
            if not alts:
                continue
            n = self.rarity(w) if alts[0] == w else min(self.rarity(a) for a in alts)
            # a term the best passages share ranks before any they lack: in a long question
            # the rarest word is often the asker's (共建 of 一共建了多少个), not the plan's
            shared = within is None or any(normalize(a) in t for a in alts for t in within)
            key = (not shared, n)
            if best is None or key < best[0]:
                best = (key, alts)
        return best[1] if best else ()

    def longest_known_part(self, word: str, min_chars: int = 2) -> str | None:
        """The longest substring of `word` (at least `min_chars`) that occurs in the corpus as a word."""
        for n in range(len(word) - 1, min_chars - 1, -1):
            for i in range(len(word) - n + 1):
                if self.in_corpus(word[i : i + n]):
                    return word[i : i + n]
        return None

    def stating_value(self, plan: QueryPlan, hits: list[Hit], value: ValueAsk) -> list[Hit]:
        """The hits with a sentence that states a value of the asked kind about the question's anchor."""
        st = self.state
        within = [normalize(context_text(h.passage, st.docs[h.passage.doc_id].meta)) for h in hits]
        anchor = tuple(normalize(a) for a in self.anchor(plan, value, within))
        out = []
        for h in hits:
            sentences = value_sentences(h.passage.text, value)
            if any(not anchor or any(a in normalize(s) for a in anchor) for s in sentences):
                out.append(h)
        return out

    # --- answers --------------------------------------------------------------------------------------

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
        self._pinned.state = self.state
        try:
            return self._ask(question, k=k, offset=offset, filters=filters, wording=wording)
        finally:
            self._pinned.state = None

    def _ask(
        self, question: str, *, k: int | None, offset: int, filters: Filters | None, wording: bool | None
    ) -> Answer:
        k = k or self.settings.k
        plan = self.plan(question)
        if not plan.core.strip() or not any(ch.isalnum() for ch in plan.core):
            return Answer(
                question=plan.question,
                found=False,
                answer="",
                message="请输入要查询的问题，例如“融安县防溺水措施”。",
                kind="none",
            )
        allowed = plan.allowed_docs
        if filters is not None:
            fa = filters.allowed(self.documents)
            if fa is not None:
                allowed = fa if allowed is None else (allowed & fa)
                if not allowed:
                    return self._abstain(plan, "所选筛选条件下没有文档与问题中的地区对应。")
        notes = []
        if plan.truncated:
            notes.append(f"问题过长，只按前 {len(plan.question)} 个字检索。")
        if plan.uncovered_places and (not plan.places or only_qualifies(plan.places, plan.uncovered_places)):
            covered = "、".join(self.covered_places())
            return self._abstain(
                plan, f"文件中没有关于{'、'.join(plan.uncovered_places)}的内容。目前收录的地区：{covered}。"
            )
        if plan.uncovered_places:
            notes.append(
                f"文件中没有关于{'、'.join(plan.uncovered_places)}的内容，以下只列出{'、'.join(plan.places)}的。"
            )
        use_wording = plan.wants_wording if wording is None else wording
        if use_wording:
            phrases = plan.quoted or (plan.core,)
            # build only the citations shown (the rest are counted): 教育质量 occurs 13,000 times at ×1000
            occ = self.occurrences(phrases, allowed=allowed, limit=offset + max(self.settings.k, 10))
            if occ.total:
                return self._wording_answer(
                    plan, occ.citations[offset:], notes, total=(occ.total, occ.documents)
                )
        hits = self.retrieve(plan, k=max(50, offset + k * 4), allowed=allowed)
        if plan.places and allowed is not None:
            missing = self.missing_here(plan, allowed)
            if missing:
                notes.append(
                    f"{'、'.join(plan.places)}的文件中没有出现“{'、'.join(missing)}”，以下是最接近的内容。"
                )
        unknown = self.unexplained(plan, hits)
        topics = self.topics(plan, unknown)
        cov = self.coverage(plan, hits)
        # A question that names a place we cover is about that place's plan: demand less.
        st = self.settings
        hard, soft = (
            (st.min_coverage_placed, st.min_coverage_unknown_placed)
            if plan.places
            else (st.min_coverage, st.min_coverage_unknown)
        )
        if plan.places and len(set(topics)) >= 2:
            # two unknown topic words are a topic the plan lacks, place or not (融安县招聘笔试考哪些科目)
            soft = st.min_coverage_unknown
        if not hits or should_abstain(cov, topics, hard=hard, soft=soft):
            why = self.missing_note(plan, topics or unknown)
            return self._abstain(plan, f"{NOT_FOUND}{why}。", hits)
        value = None if plan.multi or not self.settings.value_depth else asked_value(plan.question)
        if value is not None and topics:
            # "柳城今年中小学寒假几号开始放假": a value of something the documents never name
            why = self.missing_note(plan, topics)
            return self._abstain(plan, f"{NOT_FOUND}{why}。", hits)
        if value is not None:
            # A question asking for an amount, an age, a date … is answered by passages that state
            # one; put them first, and say so plainly when none of the best passages does.
            top = hits[: self.settings.value_depth]
            stating = self.stating_value(plan, top, value)
            if not stating:
                return self._abstain(plan, f"{NOT_FOUND}（文件中没有写明具体的{value.label}）。", hits)
            hits = stating + [h for h in hits if h not in stating]
        hits = drop_repeated_rows(hits)
        if value is None or value.kind != "time":
            hits = fewer_rows(hits)
        if plan.multi:
            hits = group_by_document(hits)
        chosen = self.drop_weak_tail(plan, hits[offset : offset + k], cov)
        citations = [self._citation(n, h, plan) for n, h in enumerate(chosen, start=1)]
        if offset:
            # "还有吗" pages: a passage that shares no word with the question is no further answer.
            citations = [
                _renumber(c, n) for n, c in enumerate((c for c in citations if c.highlights), start=1)
            ]
        if not citations:
            return Answer(
                question=plan.question, found=False, answer="", message="没有更多相关结果了。", kind="none"
            )
        return Answer(
            question=plan.question,
            found=True,
            answer=summarize(citations),
            citations=tuple(citations),
            message=" ".join(notes),
        )

    def _abstain(self, plan: QueryPlan, message: str, hits: list[Hit] | None = None) -> Answer:
        if plan.truncated:  # a capped question that finds nothing must still say it was capped
            message = f"{message} 问题过长，只按前 {len(plan.question)} 个字检索。"
        # Suggest only topics of passages that hold one of the question's own words: "明天天气怎么样"
        # shares characters with many items and words with none, so it gets no suggestions.
        words = [normalize(w) for w in content_words(self.cutter(plan.core))] if hits else []
        docs = self.state.docs
        suggestions: list[str] = []
        for h in hits or []:
            if h.passage.kind == "table_row" or not h.passage.section:
                continue  # a month is no topic
            text = normalize(context_text(h.passage, docs[h.passage.doc_id].meta))
            if not any(w in text for w in words):
                continue
            label = strip_marker(h.passage.section[-1]).strip()
            if len(re.findall(r"[\u4e00-\u9fff]", label)) >= 3 and label not in suggestions:
                suggestions.append(label)
            if len(suggestions) == 3:
                break
        return Answer(
            question=plan.question,
            found=False,
            answer="",
            message=message,
            suggestions=tuple(suggestions),
            kind="none",
        )

    def covered_places(self) -> list[str]:
        out = []
        for d in self.documents:
            if d.meta.place and d.meta.place not in out:
                out.append(d.meta.place)
        return out

    def _citation(self, n: int, hit: Hit, plan: QueryPlan, why: str | None = None) -> Citation:
        p = hit.passage
        d = self.state.docs[p.doc_id]
        extra = tuple(o for _, o in plan.expansions) + plan.quoted
        terms = clean_terms(query_terms(plan.core, p.text, extra))
        spans = highlight_spans(p.text, terms)
        s, e = best_window(p.text, spans, self.settings.excerpt_chars)
        hl = tuple((a - s, b - s) for a, b in spans if a >= s and b <= e)
        return Citation(
            n=n,
            doc_id=d.doc_id,
            title=d.meta.title,
            issuer=d.meta.issuer,
            place=d.meta.place,
            year=d.meta.year,
            section=p.breadcrumb,
            text=p.text[s:e],
            start=p.start + s,
            end=p.start + e,
            score=round(hit.score, 6),
            highlights=hl,
            pid=p.pid,
            why=why or explain(hit),
        )

    # --- exact wording --------------------------------------------------------------------------------

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
        """The citations `find` gives for each phrase in turn (the first `limit` of them in all),
        and how many there are in all and in how many documents, counted without building them.
        """
        st = self.state
        ex = self.settings.excerpt_chars
        out: list[Citation] = []
        total = 0
        doc_ids: set[str] = set()
        for phrase in phrases:
            phrase = phrase.strip()
            needle = fold_phrase(phrase)
            if len(phrase) < 2 or not needle:
                continue
            found: list[Citation] = []
            for di in self._docs_with_tokens(phrase).tolist():
                d = st.store.documents[di]
                if allowed is not None and d.doc_id not in allowed:
                    continue
                ft = st.folded.get(d.doc_id) or FoldedText(d.text)
                room = None if limit is None else limit - len(out) - len(found)
                if room is not None and room <= 0 and not ft.expands:
                    # Past the limit, only count. Matches at least an excerpt apart (folded
                    # offsets, never further apart than in the text) cannot share a citation.
                    pos = ft.positions(needle)
                    if all(pos[t + 1] - pos[t] >= ex for t in range(len(pos) - 1)):
                        total += len(pos)
                        if pos:
                            doc_ids.add(d.doc_id)
                        continue
                starts, ends = ft.spans(needle)
                if len(starts) == 0:
                    continue
                doc_ids.add(d.doc_id)
                groups: list[list] = []  # [start, end, first match, highlights or None past the limit]
                bounds = ft.sentence_bounds_many(starts, ends)
                spans = zip(
                    starts.tolist(), ends.tolist(), bounds[0].tolist(), bounds[1].tolist(), strict=True
                )
                for a, b, s, e in spans:
                    if groups and groups[-1][0] <= a < groups[-1][1]:
                        g = groups[-1]
                        if g[3] is not None:
                            g[3].append((a - g[0], b - g[0]))
                        continue
                    if e - s > ex:
                        s = max(s, a - ex // 3)
                        e = min(e, s + ex)
                    keep = room is None or len(groups) < room
                    groups.append([s, e, a, [(a - s, b - s)] if keep else None])
                total += len(groups)
                kept = [g for g in groups if g[3] is not None]
                at = self._passages_at(d.doc_id, [g[2] for g in kept])
                for (s, e, _first, hl), p in zip(kept, at, strict=True):
                    found.append(
                        Citation(
                            n=len(found) + 1,
                            doc_id=d.doc_id,
                            title=d.meta.title,
                            issuer=d.meta.issuer,
                            place=d.meta.place,
                            year=d.meta.year,
                            section=p.breadcrumb if p else "",
                            text=d.text[s:e],
                            start=s,
                            end=e,
                            score=1.0,
                            highlights=tuple(hl),
                            pid=p.pid if p else "",
                            why="原文逐字匹配",
                        )
                    )
            out.extend(found)
        return Occurrences(out, total, len(doc_ids))

    def _docs_with_tokens(self, phrase: str) -> np.ndarray:
        """Indexes (in corpus order) of the documents having a passage that holds every index token
        of `phrase`: a superset of the documents where it occurs."""
        st = self.state
        bm = st.store.bm25
        w = bm.weights
        cols = []
        for t in set(st.lexical.tokenize(phrase)):
            j = bm.vocab.get(t)
            if j is None:
                return np.zeros(0, dtype=np.int64)
            cols.append(w.indices[w.indptr[j] : w.indptr[j + 1]])
        if not cols:  # no indexable token (punctuation only): look everywhere
            return np.arange(len(st.store.documents))
        cols.sort(key=len)  # intersect the shortest posting lists first
        rows = cols[0]
        for c in cols[1:]:
            rows = np.intersect1d(rows, c, assume_unique=True)
            if len(rows) == 0:
                break
        return np.unique(st.doc_of[rows])

    def _passage_at(self, doc_id: str, offset: int) -> Passage | None:
        return self._passages_at(doc_id, [offset])[0]

    def _passages_at(self, doc_id: str, offsets: list[int]) -> list[Passage | None]:
        """The passage of the document holding each offset (None between passages)."""
        st = self.state
        starts, idx = st.doc_passages.get(doc_id, (np.zeros(0, np.int32), np.zeros(0, np.int32)))
        out: list[Passage | None] = []
        for i, offset in zip(np.searchsorted(starts, offsets, side="right").tolist(), offsets, strict=True):
            p = st.store.passages[idx[i - 1]] if i > 0 else None
            out.append(p if p is not None and p.start <= offset < p.end else None)
        return out

    def _wording_answer(
        self, plan: QueryPlan, occ: list[Citation], notes: list[str], total: tuple[int, int] | None = None
    ) -> Answer:
        """The exact-wording answer: the first max(k, 10) occurrences.

        `total`: (occurrences, documents) in all, when `occ` holds only the first ones (see
        `occurrences`); by default they are counted in `occ`.
        """
        n_occ, n_docs = total if total is not None else (len(occ), len({c.doc_id for c in occ}))
        occ = [_renumber(c, n) for n, c in enumerate(occ[: max(self.settings.k, 10)], start=1)]
        phrase = plan.quoted[0] if plan.quoted else plan.core
        head = f"“{phrase}”在 {n_docs} 个文件中出现 {n_occ} 处："
        lines = [f"{citation_line(c)} [{c.n}]" for c in occ]
        return Answer(
            question=plan.question,
            found=True,
            answer=head + "\n" + "\n".join(lines),
            citations=tuple(occ),
            message=" ".join(notes),
            kind="wording",
        )


class Occurrences(NamedTuple):
    """Exact-wording matches: the citations built, and how many there are in all."""

    citations: list[Citation]
    total: int  # citations `find` would give without a limit
    documents: int  # documents they are in


_CLAUSE_BREAK = re.compile(r"[,，、;；。?？!！\s]+")


def drop_repeated_rows(hits: list[Hit]) -> list[Hit]:
    """Keep the best-ranked of schedule rows that repeat one task in several months.

    "3月 · 在线同步课堂试点学校调研指导 · 主办：教研室" stands again under 4月 and 9月; three such
    cards say one thing and push the plan's own item about it off the screen.

    Example:
        >>> row = lambda m: Hit(Passage(m, "d", 0, 1, f"{m} · 调研 · 主办：教研室", kind="table_row"), 1.0)
        >>> [h.passage.text for h in drop_repeated_rows([row("3月"), row("4月")])]
        ['3月 · 调研 · 主办：教研室']
    """
    seen: set[tuple[str, str]] = set()
    out = []
    for h in hits:
        p = h.passage
        if p.kind == "table_row" and " · " in p.text:
            key = (p.doc_id, p.text.split(" · ", 1)[1])
            if key in seen:
                continue
            seen.add(key)
        out.append(h)
    return out


def fewer_rows(hits: list[Hit], cap: int = 2) -> list[Hit]:
    """Move schedule-table rows after the first `cap` behind the other passages.

    "柳城在线同步课堂": eleven monthly rows name it (调研指导, 开放日, 评比 …); short, they outrank the
    plan's own item (“在线同步课堂”第二期项目建设) and would fill every card. Unless the question
    asks when, two rows are enough; the rest stay reachable on later pages.

    Example:
        >>> row = lambda m: Hit(Passage(m, "d", 0, 1, f"{m} · 调研", kind="table_row"), 1.0)
        >>> item = Hit(Passage("p", "d", 0, 1, "完成第二期项目建设"), 0.5)
        >>> [h.passage.text for h in fewer_rows([row("3月"), row("4月"), row("5月"), item])]
        ['3月 · 调研', '4月 · 调研', '完成第二期项目建设', '5月 · 调研']
    """
    rows = [h for h in hits if h.passage.kind == "table_row"]
    late = {id(h) for h in rows[cap:]}
    return [h for h in hits if id(h) not in late] + [h for h in hits if id(h) in late]


def only_qualifies(covered: tuple[str, ...], uncovered: tuple[str, ...]) -> bool:
    """Whether every covered place named is just the parent of an uncovered one.

    "常州市武进区今年招聘多少教师" is about 武进区; 常州市 names its city, and the corpus covering
    常州市金坛区 does not make it answerable.

    Example:
        >>> only_qualifies(("常州市",), ("武进区",))
        True
        >>> only_qualifies(("融安县",), ("鹿寨县",))
        False
    """
    parents = {
        name
        for u in uncovered
        for p in lookup(u)
        for parent in (p.province, p.city)
        if parent
        for name in (parent, short_name(parent))
    }
    return all(c in parents for c in covered)


def _doc_passages(passages: list[Passage]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    lists: dict[str, tuple[list[int], list[int]]] = {}
    for i, p in enumerate(passages):
        starts, idx = lists.setdefault(p.doc_id, ([], []))
        starts.append(p.start)
        idx.append(i)
    return {d: (np.array(s, dtype=np.int32), np.array(i, dtype=np.int32)) for d, (s, i) in lists.items()}


def _renumber(c: Citation, n: int) -> Citation:
    from dataclasses import replace

    return replace(c, n=n)


def citation_line(c: Citation) -> str:
    """A paste-ready citation: 《title》section：“excerpt”."""
    section = f"{c.section}：" if c.section else "："
    return f"《{c.title}》{section}“{c.text.strip()}”"


def explain(hit: Hit) -> str:
    """Why a passage matched, from its signals: 关键词第2 · 语义第1."""
    parts = []
    if "bm25" in hit.signals:
        parts.append(f"关键词第{hit.signals['bm25'][1]}")
    if "dense" in hit.signals:
        parts.append(f"语义第{hit.signals['dense'][1]}")
    return " · ".join(parts)


def group_by_document(hits: list[Hit]) -> list[Hit]:
    """Interleave hits by document (best document first) so every answering document shows up early."""
    per_doc: dict[str, list[Hit]] = {}
    for h in hits:
        per_doc.setdefault(h.passage.doc_id, []).append(h)
    order = sorted(per_doc, key=lambda d: -per_doc[d][0].score)
    out = []
    depth = max(len(v) for v in per_doc.values()) if per_doc else 0
    for i in range(depth):
        for d in order:
            if i < len(per_doc[d]):
                out.append(per_doc[d][i])
    return out


def summarize(
    citations: list[Citation], max_sentences: int = 3, max_chars: int = 120, min_share: float = 0.5
) -> str:
    """An extractive answer: the best-matching sentence of each top excerpt, followed by [n].

    A sentence's weight is the sum of the squared lengths of its highlighted matches (a long,
    specific match counts for more than a short common one). Sentences weighing less than
    `min_share` of the best sentence's weight are left out, so the answer does not end on a
    sentence that only shares a common word with the question.
    """
    picks = []
    for c in citations[:max_sentences]:
        best, best_w = None, -1
        for s, e in sentence_spans(c.text):
            w = sum(max(0, min(b, e) - max(a, s)) ** 2 for a, b in c.highlights)
            if w > best_w:
                best, best_w = (s, e), w
        if best is not None:
            picks.append((c, best, best_w))
    top = max((w for _, _, w in picks), default=0)
    out, seen = [], set()
    for c, (s, e), w in picks:
        if out and w < min_share * top:
            continue
        sent = strip_marker(c.text[s:e]).strip()
        if len(sent) > max_chars:
            sent = sent[:max_chars].rstrip("，,；;") + "…"
        if sent and sent not in seen:
            seen.add(sent)
            # A table row or a cut sentence has no end mark of its own: separate it from the next.
            sep = "" if sent.endswith(("。", "；", ";", "！", "？", "!", "?")) else "；"
            out.append(f"{sent}[{c.n}]{sep}")
    return "".join(out).rstrip("；")


def safe_filename(name: str) -> str:
    """A file name safe to store: no folders, no leading dots, only word characters, CJK, - _ . and ( )."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFKC", base)
    base = re.sub(r"[^\w\u4e00-\u9fff.()（）\-]+", "_", base).lstrip("._") or "upload"
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        return base[:100]
    return f"{stem[:100]}.{suffix[:10]}"
