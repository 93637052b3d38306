"""An excerpt's context: a short passage shown with the passages next to it that fit the excerpt.

Lists of short clauses make short passages: “1．在我省取得普通高中学籍并有完整的普通高中学习
经历；” says little alone, and the condition a question asks about is often the next clause. A
card whose passage is short (under `Settings.context_below` characters) shows the whole passages that follow it,
then those before it, as long as the excerpt stays within the budget, the text between them is
only whitespace (a heading or a dropped line between them ends the context) and the neighbour is
not shown on a card of its own. The excerpt is still a verbatim span of the document.

Example: passages “（一）报名条件：” (0–7) and “1．有本省学籍；” (8–16) of one document, separated
by a line break: the first one's excerpt spans 0–16 when the budget is 300.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.types import Hit, Passage

if TYPE_CHECKING:
    from qa.library import LoadedIndex


def context_bounds(
    ix: LoadedIndex,
    passage: Passage,
    max_chars: int,
    shown: frozenset[str] = frozenset(),
    below: int = 150,
) -> tuple[int, int]:
    """Document offsets of `passage` widened by whole neighbouring passages (see the module docstring).

    Args:
        ix: the loaded index (its passages in document order and the pid → position map).
        passage: the passage a card shows.
        max_chars: the excerpt budget (Settings.excerpt_chars).
        shown: pids of the passages other cards show; the context never takes one of them.
        below: only a passage shorter than this gets context (Settings.context_below): a full
            item is its own context, and the next item would only be noise on its card.
    """
    a, b = passage.start, passage.end
    i = ix.passage_index.get(passage.pid)
    if i is None or b - a >= below:
        return a, b
    after = _following(ix, i, passage, max_chars, shown)
    if after:
        b = after[-1].end
    if is_lead_in(passage.text):
        return a, b  # what a lead-in introduces follows it; the passages before it are another item's
    passages = ix.store.passages
    text = ix.docs[passage.doc_id].text
    j = i - 1
    while j >= 0:
        q = passages[j]
        if (
            q.doc_id != passage.doc_id
            or q.pid in shown
            or q.end > a
            or text[q.end : a].strip()
            or b - q.start > max_chars
        ):
            break
        a, j = q.start, j - 1
    return a, b


def _following(
    ix: LoadedIndex, i: int, passage: Passage, max_chars: int, excluded: frozenset[str] | set[str]
) -> list[Passage]:
    """The passages right after `passage` (at position `i`) that its excerpt can take: same document,
    only whitespace between, none of `excluded`, the whole within `max_chars`."""
    passages = ix.store.passages
    text = ix.docs[passage.doc_id].text
    out: list[Passage] = []
    b, j = passage.end, i + 1
    while j < len(passages):
        q = passages[j]
        if (
            q.doc_id != passage.doc_id
            or q.pid in excluded
            or q.start < b
            or text[b : q.start].strip()
            or q.end - passage.start > max_chars
        ):
            break
        out.append(q)
        b, j = q.end, j + 1
    return out


def is_lead_in(text: str) -> bool:
    """A passage that introduces the items after it (…给予相应纪律处分：, （一）报名条件：)."""
    return text.rstrip().endswith(("：", ":"))


def absorbed_items(ix: LoadedIndex, ordered: list[Hit], max_chars: int, below: int = 150) -> frozenset[str]:
    """The pids of hits a lead-in's card shows as its context: the items that follow a lead-in in
    the document, ranked below it, as far as its excerpt reaches (their own cards would repeat them).

    “没请假翘了十二三节课会给什么处分”: 第四十四条 …缺席达到以下学时者，给予相应纪律处分： ranks
    first; its items （一）10-15学时者，给予警告处分； … (五) rank 4th to 9th, each on a card of its
    own, and the lead-in's card, leaving them to those cards, showed the article before it instead.
    """
    out: set[str] = set()
    above: set[str] = set()  # pids ranked at or above the current hit
    for h in ordered:
        p = h.passage
        above.add(p.pid)
        if p.pid in out or not is_lead_in(p.text) or p.end - p.start >= below:
            continue
        i = ix.passage_index.get(p.pid)
        if i is None:
            continue
        out.update(q.pid for q in _following(ix, i, p, max_chars, above))
    return frozenset(out)
