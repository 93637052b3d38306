"""Span arithmetic on verbatim text: tolerant matching, sentence bounds, highlights, excerpts.

All functions are pure and return offsets into the text they were given.
"""

from __future__ import annotations

import re
import unicodedata

from index.tokenize import STOP_CHARS

_SENT_END = "。；;！？!?\n"
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"', "『": '"', "』": '"'})
_NOISE_TERMS = frozenset(
    [
        "怎么",
        "怎么办",
        "怎么样",
        "有哪些",
        "是什么",
        "什么",
        "哪些",
        "如何",
        "多少",
        "有没",
        "没有",
        "是否",
        "请问",
        "一下",
        "怎样",
        "工作",
        "进一步",
        "开展",
        "加强",
        "推进",
    ]
)


def fold(ch: str) -> str:
    """One character as matching sees it: NFKC, unified quotes, lower case ('' for whitespace)."""
    if ch.isspace():
        return ""
    return unicodedata.normalize("NFKC", ch).translate(_QUOTES).lower()


def folded_with_map(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each folded character, the offset of its source character."""
    out, where = [], []
    for i, ch in enumerate(text):
        f = fold(ch)
        for c in f:
            out.append(c)
            where.append(i)
    return "".join(out), where


class FoldedText:
    """A text folded for matching, with the map back to original offsets (build once, search often)."""

    def __init__(self, text: str):
        self.folded, self.where = folded_with_map(text)

    def find(self, phrase: str) -> list[tuple[int, int]]:
        needle = "".join(fold(c) for c in phrase)
        if not needle:
            return []
        spans, pos = [], 0
        while True:
            i = self.folded.find(needle, pos)
            if i < 0:
                return spans
            spans.append((self.where[i], self.where[i + len(needle) - 1] + 1))
            pos = i + 1


def find_all(text: str, phrase: str) -> list[tuple[int, int]]:
    """Every occurrence of `phrase` in `text`, ignoring width, quote style, case and spacing.

    Example:
        >>> find_all("采取“四不两直”方式", '"四不两直"')
        [(2, 8)]
    """
    return FoldedText(text).find(phrase)


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence(s) around text[start:end]: from after the previous 。；！？ or newline to the next."""
    a = start
    while a > 0 and text[a - 1] not in _SENT_END:
        a -= 1
    b = end
    while b < len(text) and text[b - 1 : b] not in tuple(_SENT_END) and text[b] != "\n":
        b += 1
    if b < len(text) and text[b] in _SENT_END and text[b] != "\n":
        b += 1
    while a < b and text[a].isspace():
        a += 1
    return a, b


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`."""
    spans, a = [], 0
    for i, ch in enumerate(text):
        if ch in _SENT_END:
            if text[a : i + 1].strip():
                spans.append((a, i + 1 if ch != "\n" else i))
            a = i + 1
    if text[a:].strip():
        spans.append((a, len(text)))
    return spans


def query_terms(query: str, text: str, extra: tuple[str, ...] = (), min_len: int = 2) -> list[str]:
    """Maximal substrings of the query (and extra terms) that occur in `text`: what to highlight.

    Example:
        >>> query_terms("融安县防溺水措施", "守牢防溺水、防欺凌")
        ['防溺水']
    """
    folded_text = "".join(fold(c) for c in text)
    found: set[str] = set()
    for src in (query, *extra):
        s = "".join(fold(c) for c in src)
        n = len(s)
        i = 0
        while i < n:
            best = 0
            for j in range(min(n, i + 20), i + min_len - 1, -1):
                if s[i:j] in folded_text:
                    best = j - i
                    break
            if best >= min_len:
                term = s[i : i + best]
                if term not in _NOISE_TERMS and not all(c in STOP_CHARS or not c.isalnum() for c in term):
                    found.add(term)
                i += best
            else:
                i += 1
    return sorted(found, key=len, reverse=True)


def highlight_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Merged, sorted spans of every occurrence of every term in `text`."""
    spans = sorted(s for t in terms for s in find_all(text, t))
    merged: list[list[int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def best_window(text: str, spans: list[tuple[int, int]], max_chars: int) -> tuple[int, int]:
    """Whole sentences of `text` covering the most highlighted characters within max_chars.

    Falls back to a cut at max_chars when the best single sentence is longer.
    """
    if len(text) <= max_chars:
        return 0, len(text)
    sents = sentence_spans(text) or [(0, len(text))]
    weight = [sum(max(0, min(b, e) - max(a, s)) for a, b in spans) for s, e in sents]
    best, best_w = (sents[0][0], sents[0][1]), -1.0
    for i in range(len(sents)):
        w = 0.0
        for j in range(i, len(sents)):
            if sents[j][1] - sents[i][0] > max_chars:
                break
            w += weight[j]
            # Prefer windows that start at the item's beginning when weights tie.
            score = w - 0.001 * i
            if score > best_w:
                best_w, best = score, (sents[i][0], sents[j][1])
    s, e = best
    if e - s > max_chars:  # one sentence longer than the budget: centre on its matches
        inside = [(a, b) for a, b in spans if a >= s and b <= e]
        centre = inside[0][0] if inside else s
        s = max(s, min(centre - max_chars // 3, e - max_chars))
        e = s + max_chars
    return s, e


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def clean_terms(terms: list[str]) -> list[str]:
    """Drop terms made only of function characters or punctuation."""
    return [
        t
        for t in terms
        if any((_is_cjk(c) and c not in STOP_CHARS) or (c.isalnum() and not _is_cjk(c)) for c in t)
    ]


def strip_marker(sentence: str) -> str:
    return re.sub(
        r"^\s*(?:\d{1,3}[.．、]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)])", "", sentence
    )
