"""Analyzers: one `tokenize(text) -> list[str]` used both when indexing and when querying.

Each analyzer has a name that goes into the index manifest, so an index is never queried
with a tokenizer other than the one that built it.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

Tokenizer = Callable[[str], list[str]]

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_CJK}]+|[a-z0-9]+(?:\.[0-9]+)?%?")
_IS_CJK = re.compile(rf"[{_CJK}]")
# Function characters whose unigrams carry no topic; bigrams still keep them in context.
STOP_CHARS = frozenset("的了和与及或等在是对为以把被将从于之其而并也就都要中上下个年月日")


def normalize(text: str) -> str:
    """NFKC (full-width → half-width), lower case; the form every analyzer and matcher sees."""
    return unicodedata.normalize("NFKC", text).lower()


def runs(text: str) -> list[str]:
    """Maximal runs of CJK characters and of ASCII letters/digits, normalised."""
    return _RUN.findall(normalize(text))


def char_ngrams(text: str, sizes: tuple[int, ...] = (1, 2)) -> list[str]:
    """CJK character n-grams within runs (never across punctuation); ASCII runs stay whole.

    Example:
        >>> char_ngrams("防溺水,AI预警")
        ['防', '溺', '水', '防溺', '溺水', 'ai', '预', '警', '预警']
    """
    out: list[str] = []
    for run in runs(text):
        if not _IS_CJK.match(run):
            out.append(run)
            continue
        for n in sizes:
            if n == 1:
                out.extend(ch for ch in run if ch not in STOP_CHARS)
            else:
                out.extend(run[i : i + n] for i in range(len(run) - n + 1))
    return out


class JiebaAnalyzer:
    """jieba words (search mode) with a user dictionary, optionally plus character bigrams.

    jieba loads its dictionary lazily on the first call (about a second), so constructing
    this is cheap.
    """

    def __init__(self, user_words: Iterable[str] = (), with_bigrams: bool = False):
        self.user_words = sorted(set(w for w in user_words if 2 <= len(w) <= 12))
        self.with_bigrams = with_bigrams
        self._tk = None
        self._lock = threading.Lock()

    def _tokenizer(self):
        with self._lock:
            if self._tk is None:
                import logging

                import jieba

                jieba.setLogLevel(logging.WARNING)
                tk = jieba.Tokenizer()
                tk.initialize()
                for w in self.user_words:
                    tk.add_word(w, freq=2000)
                self._tk = tk
        return self._tk

    def __call__(self, text: str) -> list[str]:
        tk = self._tokenizer()
        out: list[str] = []
        for run in runs(text):
            if not _IS_CJK.match(run):
                out.append(run)
                continue
            words = [w for w in tk.cut_for_search(run) if w.strip()]
            out.extend(w for w in words if not (len(w) == 1 and w in STOP_CHARS))
            if self.with_bigrams:
                out.extend(run[i : i + 2] for i in range(len(run) - 1))
        return out


@dataclass(frozen=True)
class AnalyzerSpec:
    """A named analyzer; `name` is what the manifest records."""

    name: str
    build: Callable[[Iterable[str]], Tokenizer]


ANALYZERS: dict[str, AnalyzerSpec] = {
    "char1": AnalyzerSpec("char1", lambda words: lambda t: char_ngrams(t, (1,))),
    "char12": AnalyzerSpec("char12", lambda words: lambda t: char_ngrams(t, (1, 2))),
    "char2": AnalyzerSpec("char2", lambda words: lambda t: char_ngrams(t, (2,))),
    "jieba": AnalyzerSpec("jieba", lambda words: JiebaAnalyzer(words)),
    "jieba+char2": AnalyzerSpec("jieba+char2", lambda words: JiebaAnalyzer(words, with_bigrams=True)),
    "jieba+char12": AnalyzerSpec("jieba+char12", lambda words: _JiebaChar12(words)),
}


class _JiebaChar12(JiebaAnalyzer):
    """jieba words plus character unigrams and bigrams."""

    def __call__(self, text: str) -> list[str]:
        words = [w for w in super().__call__(text) if len(w) > 2 or not _IS_CJK.match(w)]
        return words + char_ngrams(text, (1, 2))


_QUOTED_TERM = re.compile(r"[“\"《]([^”\"》]{2,8})[”\"》]")


def corpus_terms(texts: Iterable[str], names: Iterable[str] = ()) -> list[str]:
    """A user dictionary for word analyzers: quoted terms of the corpus (控辍保学, 双线四包) and names.

    Example:
        >>> corpus_terms(["强化“控辍保学”工作"], ["融安县"])
        ['控辍保学', '融安县']
    """
    found = {m.group(1).strip() for t in texts for m in _QUOTED_TERM.finditer(t)}
    found |= {n for n in names if n}
    return sorted(w for w in found if 2 <= len(w) <= 12 and not re.search(r"[\s,，。、;；:：]", w))


def uses_words(analyzer: str) -> bool:
    """Whether the analyzer segments words (and so takes a user dictionary)."""
    return analyzer.startswith("jieba")


def make_tokenizer(name: str, user_words: Iterable[str] = ()) -> Tokenizer:
    """The analyzer called `name`.

    Raises:
        ValueError: for an unknown name, listing the valid ones.
    """
    try:
        spec = ANALYZERS[name]
    except KeyError:
        raise ValueError(f"unknown analyzer {name!r}; valid: {', '.join(ANALYZERS)}") from None
    return spec.build(user_words)
