"""Follow-up questions in a conversation: "那柳城县呢？" and "还有吗".

Pure functions over the previous questions; the UI keeps the history, the engine answers.
`Conversation` is what follow-ups need to remember; `replay` rebuilds it from the turns shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from qa.places import find_places

_MORE = re.compile(
    r"^\s*(还有吗|还有呢|还有|更多|继续|下一页|再来点|再多一些|其他的?呢?|别的呢)\s*[?？。!！]*\s*$"
)
_FOLLOW = re.compile(
    r"^\s*(那|那么|换成|如果是|要是)?\s*(?P<body>.{1,20}?)\s*(呢|怎么样|如何|的呢|的情况呢|呢？|情况)?\s*[?？。!！]*\s*$"
)
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年")
# A bare place ("柳城县") is a question of its own; "那柳城县呢？" points back at another one.
_POINTS_BACK = re.compile(r"^\s*(那|那么|换成|如果是|要是)|(呢|怎么样|如何)\s*[?？。!！]*\s*$")


@dataclass(frozen=True)
class Resolved:
    """What to actually ask: the question, and how many earlier results to skip ("还有吗")."""

    question: str
    offset: int = 0
    followup: bool = False


def is_more(question: str) -> bool:
    return bool(_MORE.match(question or ""))


def resolve(question: str, previous: list[str], shown: int = 0) -> Resolved:
    """Turn a follow-up into a full question using the previous one.

    Args:
        question: what the user typed now.
        previous: earlier (resolved) questions, oldest first.
        shown: how many results of the last question have been shown (for "还有吗").

    Example:
        >>> resolve("那柳城县呢？", ["融安县防溺水措施"]).question
        '柳城县防溺水措施'
    """
    q = (question or "").strip()
    if not previous:
        return Resolved(q)
    last = previous[-1]
    if is_more(q):
        return Resolved(last, offset=shown, followup=True)
    m = _FOLLOW.match(q)
    new_places = find_places(q)
    if m and new_places and len(q) <= 20:
        body = m.group("body")
        rest = body
        for p in new_places:
            rest = rest.replace(p.surface, "")
        if len(re.sub(r"[的\s那呢么]", "", rest)) <= 2:  # the follow-up is only a place
            old = find_places(last)
            place = "".join(p.surface for p in new_places)
            if old:
                a, b = old[0].start, old[-1].end
                return Resolved(last[:a] + place + last[b:], followup=True)
            return Resolved(place + last, followup=True)
    years = _YEAR.findall(q)
    if years and len(q) <= 12 and _YEAR.search(last):
        return Resolved(_YEAR.sub(years[0], last, count=1), followup=True)
    return Resolved(q)


@dataclass(frozen=True)
class Conversation:
    """What follow-ups need: the resolved questions so far and how many results of the last were shown."""

    questions: tuple[str, ...] = ()
    shown: int = 0

    def after(self, r: Resolved, answered: int) -> Conversation:
        """The conversation once `r` is answered with `answered` results."""
        if r.offset:
            return Conversation(self.questions, r.offset + answered)
        return Conversation((*self.questions, r.question), answered)


def needs_context(question: str) -> bool:
    """Whether `question` only makes sense after another one: "还有吗", "那柳城县呢？".

    Example:
        >>> needs_context("那柳城县呢？"), needs_context("柳城县防溺水措施")
        (True, False)
    """
    if is_more(question):
        return True
    return resolve(question, ["问题"]).followup and bool(_POINTS_BACK.search(question))


def replay(turns: Iterable[tuple[str, str | int]]) -> Conversation:
    """Rebuild the follow-up state from the turns of a chat, when the session state is gone.

    Args:
        turns: ("user", the question typed) and ("assistant", how many results it showed), in order.

    A user turn is resolved again against the questions before it; one that needed a question
    before it and had none was answered with a request for a full question, so it is no question.
    """
    questions: list[str] = []
    shown = 0
    for role, value in turns:
        if role == "user":
            q = str(value).strip()
            if not q or (not questions and needs_context(q)):
                continue
            r = resolve(q, questions, shown)
            if not r.offset:
                questions.append(r.question)
                shown = 0
        elif role == "assistant":
            shown += int(value)
    return Conversation(tuple(questions), shown)
