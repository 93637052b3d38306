"""Repeats removed: a later copy of a run of lines, a paragraph repeated or previewed, a repeated title."""

from __future__ import annotations

import re
import unicodedata

from qa.ingest.lines import is_title_like
from qa.types import Removal

_ELLIPSIS = re.compile(r"(\.{3,}|…+)$")


def norm_key(text: str) -> str:
    """A comparison key: NFKC, no whitespace, no punctuation (so 19. 建立 == 19建立)."""
    t = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in t if ch.isalnum())


def drop_repeated_runs(lines: list[str], min_chars: int = 300) -> tuple[list[str], list[Removal]]:
    """Remove a later verbatim copy of a run of lines (a scrape holding its whole plan twice).

    A run is seeded by a line of 20+ characters seen before and extended line by line;
    only runs of `min_chars` or more count, so repeated table cells stay.
    """
    keys = [norm_key(x) for x in lines]
    first_seen: dict[str, int] = {}
    drop = [False] * len(lines)
    i = 0
    while i < len(lines):
        k = keys[i]
        j = first_seen.get(k)
        if j is not None and len(k) >= 20 and not drop[i]:
            n = 0
            while i + n < len(lines) and j + n < i and keys[j + n] == keys[i + n]:
                n += 1
            # Extend backwards over short lines (a title before the first long line).
            b = 0
            while (
                i - b - 1 >= j + n
                and j - b - 1 >= 0
                and keys[i - b - 1] == keys[j - b - 1]
                and not drop[i - b - 1]
            ):
                b += 1
            if sum(len(keys[x]) for x in range(i - b, i + n)) >= min_chars:
                for x in range(i - b, i + n):
                    drop[x] = True
                i += n
                continue
        first_seen.setdefault(k, i)
        i += 1
    removed = []
    if any(drop):
        run = [lines[x] for x in range(len(lines)) if drop[x]]
        removed.append(
            Removal(f"重复内容（{len(run)} 行，{sum(map(len, run))} 字，保留第一份）", "\n".join(run))
        )
    return [x for x, d in zip(lines, drop, strict=True) if not d], removed


def drop_previews(lines: list[str]) -> tuple[list[str], list[Removal]]:
    """Remove a paragraph repeated elsewhere as a whole or as a truncated preview ending in "...".

    The copy kept is the one that appears in the document's own structure (the later, numbered one
    for a preview at the top), so passages keep their section.
    """
    keys = [norm_key(_ELLIPSIS.sub("", x)) for x in lines]
    truncated = [bool(_ELLIPSIS.search(x)) for x in lines]
    drop, removed = set(), []
    for i, k in enumerate(keys):
        if len(k) < 30 or i in drop:
            continue
        for j, other in enumerate(keys):
            if i == j or j in drop or len(other) < len(k):
                continue
            same = other == k and j > i
            prefix = truncated[i] and other.startswith(k) and other != k
            inner = len(k) >= 60 and k in other and other != k and not truncated[i]
            if same or prefix or inner:
                drop.add(i)
                why = "截断的重复段落" if truncated[i] else "重复段落"
                removed.append(Removal(why, lines[i]))
                break
    return [x for n, x in enumerate(lines) if n not in drop], removed


def drop_title_repeats(lines: list[str]) -> tuple[list[str], list[Removal]]:
    """Drop a second title line that only repeats the first (xx市教育局xxxx年工作要点)."""
    if not lines or not is_title_like(lines[0]):
        return lines, []
    shape = re.sub(r"[0-9xX某]+", "#", lines[0])
    kept, removed = [lines[0]], []
    for line in lines[1:]:
        if len(line) <= 60 and re.sub(r"[0-9xX某]+", "#", line) == shape:
            removed.append(Removal("重复标题", line))
        else:
            kept.append(line)
    return kept, removed
