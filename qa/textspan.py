"""Span arithmetic on verbatim text: tolerant matching, sentence bounds, highlights, excerpts.

All functions are pure and return offsets into the text they were given.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np

from index.tokenize import STOP_CHARS
from qa.wordlists import word_list

_SENT_END = "。；;！？!?\n"
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"', "『": '"', "』": '"'})
_NOISE_TERMS = frozenset(word_list("noise_terms"))  # never highlighted (qa/data/noise_terms.txt)


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


_fold_char = lru_cache(maxsize=1 << 16)(fold)
_SENT_END_CODES = np.array(sorted(map(ord, _SENT_END)), dtype=np.uint32)


# How each character of the Basic Multilingual Plane folds, filled as characters are first seen:
# the folded code point where the fold is one character, and the fold's length (0: dropped).
_BMP = 1 << 16
_fold_code = np.zeros(_BMP, dtype=np.uint32)
_fold_len = np.zeros(_BMP, dtype=np.uint8)
_fold_known = np.zeros(_BMP, dtype=bool)


def _learn(codes: np.ndarray) -> None:
    if _fold_known[codes].all():
        return
    u = np.unique(codes)
    for c in u[~_fold_known[u]].tolist():
        f = _fold_char(chr(c))
        _fold_len[c] = min(len(f), 255)
        _fold_code[c] = ord(f) if len(f) == 1 else 0
        _fold_known[c] = True


def fold_text(text: str) -> tuple[str, np.ndarray | None]:
    """`folded_with_map` at C speed: the folded text and the source offset of each folded
    character as an int array, or None when folding kept every character in place.

    Each distinct character is folded once per process (a table over the BMP); a text made of
    characters that fold to at most one character is folded with numpy, others with one
    str.translate call.
    """
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    if len(codes) and int(codes.max()) < _BMP:
        _learn(codes)
        lens = _fold_len[codes]
        if int(lens.max(initial=0)) <= 1:
            out = _fold_code[codes]
            if lens.all():
                return out.tobytes().decode("utf-32-le"), None
            keep = np.flatnonzero(lens)
            return out[keep].tobytes().decode("utf-32-le"), keep
    table: dict[int, str | None] = {}
    odd: dict[str, int] = {}  # characters whose fold is not exactly one character
    for ch in set(text):
        f = _fold_char(ch)
        if f != ch:
            table[ord(ch)] = f or None
        if len(f) != 1:
            odd[ch] = len(f)
    folded = text.translate(table) if table else text
    if not odd:
        return folded, None
    lens = np.ones(len(text), dtype=np.int64)
    for ch, n in odd.items():
        lens[codes == ord(ch)] = n
    return folded, np.repeat(np.arange(len(text), dtype=np.int64), lens)


class FoldedText:
    """A text folded for matching, with the map back to original offsets (build once, search often).

    The map is kept compact: folded offset i comes from source offset i + shift, where the
    shift changes only after skipped whitespace (or inside a character that folds to several):
    two int32 arrays of the positions where it changes and its value from there on, instead of
    one offset per character. The positions of sentence ends are kept for `sentence_bounds_many`.
    """

    def __init__(self, text: str):
        self.text = text
        self.folded, where = fold_text(text)
        # Whether no character folds to several: then folded gaps never exceed source gaps.
        self.expands = where is not None and bool(len(where)) and bool((np.diff(where) == 0).any())
        if where is None or len(where) == 0:  # every character in place (or none left)
            self._at = self._shift = np.zeros(1, dtype=np.int32)
        else:
            shift = where - np.arange(len(where))
            at = np.concatenate(([0], np.flatnonzero(np.diff(shift)) + 1))
            self._at, self._shift = at.astype(np.int32), shift[at].astype(np.int32)
        self._identity = len(self._at) == 1 and int(self._shift[0]) == 0
        self._bounds: tuple[np.ndarray, np.ndarray] | None = None  # made on first use

    def source(self, i: np.ndarray) -> np.ndarray:
        """Source offsets of folded offsets `i` (any int array)."""
        i = np.asarray(i, dtype=np.int64)
        return i + self._shift[np.searchsorted(self._at, i, side="right") - 1]

    def positions(self, needle: str) -> list[int]:
        """Folded offsets of every (possibly overlapping) occurrence of an already folded `needle`."""
        out, pos, folded = [], 0, self.folded
        while needle and (i := folded.find(needle, pos)) >= 0:
            out.append(i)
            pos = i + 1
        return out

    def spans(self, needle: str) -> tuple[np.ndarray, np.ndarray]:
        """(starts, ends) in the source text of every occurrence of the folded `needle`."""
        p = np.array(self.positions(needle), dtype=np.int64)
        m = len(needle) - 1
        if len(p) == 0 or self._identity:
            return p, p + m + 1
        both = self.source(np.concatenate((p, p + m)))
        return both[: len(p)], both[len(p) :] + 1

    def find(self, phrase: str) -> list[tuple[int, int]]:
        starts, ends = self.spans(fold_phrase(phrase))
        return list(zip(starts.tolist(), ends.tolist(), strict=True))

    def rest_of_line(self, start: int, end: int, max_chars: int) -> int:
        r"""`end` moved past the whole sentences after it on its line that fit `max_chars` from `start`
        — and past the next line's when this one ends in a colon (it leads in to that line).

        Example:
            >>> FoldedText("开展“一增一减”行动。“一增”，即增加户外活动。\n二、保障").rest_of_line(0, 11, 100)
            24
        """
        text = self.text
        best, pos = end, end
        while True:
            nl = text.find("\n", pos)
            line_end = len(text) if nl < 0 else nl
            stop = min(line_end, start + max_chars)
            for i in range(pos, stop):
                if text[i] in _SENT_END:
                    best = i + 1
            # 要切实做到“十不准”：/ 一是不准提前组织报名；…: a line that ends in a colon leads in to
            # the next one — it comes along when it fits
            if nl < 0 or stop < line_end or text[start:line_end].rstrip()[-1:] not in ("：", ":"):
                return best
            best, pos = line_end, nl + 1

    def sentence_bounds_many(self, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """`sentence_bounds(text, s, e)` for many spans at once (spans of non-empty matches)."""
        text, n = self.text, len(self.text)
        if self._bounds is None:
            codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
            # sentinels: "no sentence end before" → -1, "none after" → n - 1 (b = n), "no newline" → n
            ends_at = np.flatnonzero(np.isin(codes, _SENT_END_CODES))
            self._bounds = (
                np.concatenate(([-1], ends_at, [n - 1])).astype(np.int32),
                np.concatenate((np.flatnonzero(codes == 10), [n])).astype(np.int32),
            )
        sent, nl = self._bounds
        k = len(starts)
        e = np.asarray(ends, dtype=np.int64)
        # a: after the last sentence end before the start; b: after the first sentence end at or
        # after end - 1, or at the first newline from end on
        at = np.searchsorted(sent, np.concatenate((np.asarray(starts, dtype=np.int64), e - 1)))
        a_out = (sent[at[:k] - 1] + 1).tolist()
        b_out = np.minimum(np.minimum(sent[at[k:]] + 1, nl[np.searchsorted(nl, e)]), n).tolist()
        for j, (x, y) in enumerate(zip(a_out, b_out, strict=True)):
            if y < n and text[y] in _SENT_END and text[y] != "\n":
                y += 1
                b_out[j] = y
            while x < y and text[x].isspace():
                x += 1
            a_out[j] = x
        return np.array(a_out, dtype=np.int64), np.array(b_out, dtype=np.int64)


def fold_phrase(phrase: str) -> str:
    """A phrase as matching sees it (see `fold`)."""
    return "".join(_fold_char(c) for c in phrase)


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
    folded_text = fold_text(text)[0]
    found: set[str] = set()
    for src in (query, *extra):
        s = fold_phrase(src)
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
