"""The colloquial → official vocabulary (qa/data/synonyms.tsv plus a user's corpus/synonyms.tsv)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path


class VocabularyError(ValueError):
    """A vocabulary file has a malformed line; the message names file and line."""


# a phrase of this many characters or more also matches with a character inserted at up to two of
# its joints: 爸妈在外打工 in 爸妈都在外地打工, 上不了学 in 上不起学 is not (a change, not an insertion)
GAPPED_MIN = 4
_GAP = r"[^\s,，。.;；:：?？!！、“”\"'()（）]?"


# a short verb-object phrase takes an aspect particle or "a little" after its verb: 收过钱, 收点钱,
# 打过架, 请了假 are 收钱, 打架, 请假 (R20a, R20b)
_SEPARATED = "过了着点些"


def separated(key: str) -> re.Pattern[str]:
    """A pattern for a 2–3 character `key` with one of 过了着点些 after its first character."""
    return re.compile(re.escape(key[0]) + f"[{_SEPARATED}]" + re.escape(key[1:]))


def gapped(key: str) -> re.Pattern[str]:
    """A pattern for `key` with at most one character between any two of its characters (at most two in all)."""
    return re.compile(_GAP.join(map(re.escape, key)))


@dataclass(frozen=True)
class Vocabulary:
    rules: dict[str, tuple[str, ...]]
    _gapped: dict[str, re.Pattern[str]] = field(default_factory=dict, compare=False, repr=False)
    _separated: dict[str, re.Pattern[str]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._gapped.update({k: gapped(k) for k in self.rules if len(k) >= GAPPED_MIN})
        self._separated.update({k: separated(k) for k in self.rules if 2 <= len(k) < GAPPED_MIN})

    def _occurs(self, key: str, text: str, plain: str) -> bool:
        if key in text or key in plain:
            return True
        if key[0] not in text or key[-1] not in text:
            return False
        short = self._separated.get(key)
        if short is not None:
            return short.search(text) is not None
        pattern = self._gapped.get(key)
        if pattern is None:
            return False
        m = pattern.search(plain)
        return m is not None and len(m.group()) - len(key) <= 2

    def expand(self, text: str) -> list[tuple[str, str]]:
        """(colloquial, official) pairs for every rule whose left side occurs in `text`.

        Example:
            >>> Vocabulary({"老师": ("教师",)}).expand("老师不够怎么办")
            [('老师', '教师')]
        """
        # Speech puts the aspect particle inside phrases (喝了酒开车, 上不了学): match without it too.
        plain = text.replace("了", "")
        out = []
        for key, terms in self.rules.items():
            if self._occurs(key, text, plain):
                out.extend((key, t) for t in terms if t not in text)
        return out


def parse_rules(lines: list[str], source: str) -> dict[str, tuple[str, ...]]:
    rules: dict[str, tuple[str, ...]] = {}
    for n, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            raise VocabularyError(
                f"{source}:{n}: expected 'colloquial<TAB>official1|official2', got {line!r}"
            )
        key = parts[0].strip()
        terms = tuple(t.strip() for t in parts[1].split("|") if t.strip() and t.strip() != key)
        if terms:
            rules[key] = tuple(dict.fromkeys(rules.get(key, ()) + terms))
    return rules


def load_vocabulary(extra: Path | None = None) -> Vocabulary:
    """The bundled rules, extended (and overridden per key) by `extra` when that file exists."""
    text = resources.files("qa").joinpath("data/synonyms.tsv").read_text(encoding="utf-8")
    rules = parse_rules(text.splitlines(), "qa/data/synonyms.tsv")
    if extra is not None and extra.exists():
        rules.update(parse_rules(extra.read_text(encoding="utf-8").splitlines(), str(extra)))
    return Vocabulary(rules)
