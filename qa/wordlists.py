"""Word lists shipped as data (qa/data/*.txt), each file with a header saying what it is.

Example:
    >>> "怎么办" in word_list("fillers")
    True
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def word_list(name: str) -> tuple[str, ...]:
    """The entries of qa/data/<name>.txt in file order (comment lines and blank lines skipped)."""
    text = resources.files("qa").joinpath("data", f"{name}.txt").read_text(encoding="utf-8")
    return tuple(line for line in text.splitlines() if line.strip() and not line.startswith("#"))
