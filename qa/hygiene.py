"""Input hygiene, the same at every entry (UI, HTTP API, command line, batch files, Python API).

* Lone surrogates ("\\ud800", which JSON can carry and Python strings can hold, but UTF-8 cannot)
  become U+FFFD, so an answer that echoes the question can always be encoded.
* A question must be a string; anything else is refused with a message (`QuestionError`).
* A question needs a word: a letter of a script written without case (汉字, かな, ไทย …) or two
  letters in a row of a cased one (HPV, Schule). Digits, punctuation and symbols alone —
  "{{7*7}}", "12345", '{"a": 1}' — ask nothing, and are answered with a request for a question.

Example:
    >>> scrub("\\ud800融安县\\udfff")
    '\\ufffd融安县\\ufffd'
    >>> has_words("{{7*7}}"), has_words("2024年"), has_words("HPV")
    (False, True, True)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

__all__ = ["QuestionError", "decode_lines", "has_words", "question_text", "scrub", "scrub_tree"]

_SURROGATE = re.compile("[\ud800-\udfff]")
_CASED = frozenset({"Lu", "Ll", "Lt", "Lm"})


class QuestionError(ValueError):
    """A question that is not text (None, a number, an object); the message says so in Chinese."""


def scrub(text: str) -> str:
    """`text` with every lone surrogate replaced by U+FFFD (the rest unchanged)."""
    return _SURROGATE.sub("\ufffd", text)


def scrub_tree(value: Any) -> Any:
    """`scrub` applied to every string inside lists, tuples and dicts (keys too); other values as they are."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, list):
        return [scrub_tree(v) for v in value]
    if isinstance(value, tuple):
        return tuple(scrub_tree(v) for v in value)
    if isinstance(value, dict):
        return {scrub_tree(k): scrub_tree(v) for k, v in value.items()}
    return value


def question_text(value: object) -> str:
    """The question as safe text.

    Raises:
        QuestionError: `value` is not a string (None, a number, a list, an object …).
    """
    if not isinstance(value, str):
        raise QuestionError(f"问题必须是文字，收到的是 {type(value).__name__}")
    return scrub(value)


def has_words(text: str) -> bool:
    """Whether `text` holds a word of any script (see the module docstring); digits alone do not count."""
    run = 0
    for ch in text:
        cat = unicodedata.category(ch)
        if cat == "Lo":
            return True
        if cat in _CASED:
            run += 1
            if run >= 2:
                return True
        else:
            run = 0
    return False


def decode_lines(data: bytes) -> Iterator[tuple[int, str, bool]]:
    """The lines of a UTF-8 file as (line number from 1, text, whether bytes had to be replaced).

    A byte that is not UTF-8 spoils only its own line, which is decoded with U+FFFD in its place;
    a BOM at the start is dropped.
    """
    for n, raw in enumerate(data.removeprefix(b"\xef\xbb\xbf").split(b"\n"), start=1):
        raw = raw.removesuffix(b"\r")
        try:
            yield n, raw.decode("utf-8"), False
        except UnicodeDecodeError:
            yield n, raw.decode("utf-8", errors="replace"), True
