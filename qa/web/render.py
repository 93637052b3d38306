"""The UI's HTML, from pure functions of answers, citations and documents (no Gradio, no engine).

Every piece of document text, title, section and question goes through `esc` before it is put
into HTML; `<mark>` is only ever inserted around already-escaped highlight spans.

Example:
    >>> highlight_html("a<b防溺水", [(3, 6)])
    'a&lt;b<mark>防溺水</mark>'
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

from core.types import Answer, Citation, Document
from qa.answer.assemble import reference_line, shown_title
from qa.query import MAX_QUESTION_CHARS

TextOf = Callable[[str], "str | None"]

_LINE_SPACE = " \t\u3000"
_REF = re.compile(r"\[(\d{1,3})\]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
CARD_OPEN = "<div class='pqa-card'>"
RELATED_CARD_OPEN = "<div class='pqa-card pqa-related'>"

PLACEHOLDER = (
    "<div class='pqa-ph'>"
    "<div class='pqa-ph-title'>输入问题，回答都附有文件原文出处</div>"
    "<div>例如：融安县防溺水措施 · 老师不够怎么办 · “四不两直”原文怎么说</div>"
    "<div>追问可以直接说“那柳城县呢？”，要看更多结果说“还有吗”。</div></div>"
)
# While this is in the viewer, the viewer column is folded away and the chat takes the width (app.css).
SOURCE_PLACEHOLDER = (
    "<div class='pqa-src-box pqa-src-empty pqa-src-placeholder'>点击引用卡片上的<b>查看原文</b>，"
    "这里会显示整篇文件，并高亮、定位到引文。</div>"
)


# --- building blocks -----------------------------------------------------------------------------------


def esc(text: object) -> str:
    """Escape for HTML text and attribute values."""
    return html.escape("" if text is None else str(text), quote=True)


def text_html(text: str) -> str:
    """Escaped text with its line breaks kept."""
    return esc(text).replace("\n", "<br>")


def plain_text(html_text: str) -> str:
    """Text of HTML the UI rendered (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", html_text.replace("<br>", "\n")))


def highlight_html(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """Escaped `text` with each (start, end) span wrapped in `<mark>`.

    Spans are clipped to the text and to each other, so no character is marked twice.

    Example:
        >>> highlight_html("a<b防溺水", [(3, 6)])
        'a&lt;b<mark>防溺水</mark>'
    """
    out, pos = [], 0
    for a, b in sorted((max(0, a), min(len(text), b)) for a, b in spans):
        a = max(a, pos)
        if b <= a:
            continue
        out.append(text_html(text[pos:a]))
        out.append(f"<mark>{text_html(text[a:b])}</mark>")
        pos = b
    out.append(text_html(text[pos:]))
    return "".join(out)


def excerpt_cut(doc_text: str | None, start: int, end: int) -> tuple[bool, bool]:
    """Whether an excerpt `doc_text[start:end]` is cut off before and after (to show "…").

    An excerpt is whole at an edge when it meets the document's start or end or a line break
    (items and paragraphs are lines of the cleaned text); anything else is mid-paragraph.

    Returns:
        (cut_before, cut_after).
    """
    if doc_text is None:
        return start > 0, False
    i, j = max(0, start), max(0, end)
    while i > 0 and doc_text[i - 1] in _LINE_SPACE:
        i -= 1
    while j < len(doc_text) and doc_text[j] in _LINE_SPACE:
        j += 1
    return i > 0 and doc_text[i - 1] != "\n", j < len(doc_text) and doc_text[j] != "\n"


def meta_line(*parts: object) -> str:
    return " · ".join(esc(p) for p in parts if p not in (None, ""))


def meta_html(issuer: str | None, place: str | None, when: str | None) -> str:
    """Issuer · place · year, saying which of them the document does not tell.

    Example:
        >>> meta_html("某市教育局", None, "2019年")
        "某市教育局 · 2019年 · <span class='pqa-unknown'>地区未注明</span>"
    """
    known = meta_line(issuer, place, when)
    missing = [
        label for label, v in (("发文机关", issuer), ("地区", place), ("年份", when)) if v in (None, "")
    ]
    if not missing:
        return known
    unknown = f"<span class='pqa-unknown'>{'、'.join(missing)}未注明</span>"
    return f"{known} · {unknown}" if known else unknown


def source_request(c: Citation) -> str:
    """What a card's 查看原文 sends back: "doc_id|start|end" (the server looks the id up itself)."""
    return f"{c.doc_id}|{int(c.start)}|{int(c.end)}"


# --- answers -------------------------------------------------------------------------------------------


def card_html(
    c: Citation, doc_text: str | None = None, number: int | None = None, *, related: bool = False
) -> str:
    """One citation card: title, issuer · place · year, breadcrumb, excerpt with marks, and actions.

    Args:
        c: the citation.
        doc_text: its document's cleaned text (to show "…" where the excerpt is cut).
        number: the number shown, when it is not `c.n` ("还有吗" continues the numbering).
        related: a passage shown as possibly related (a hedged answer), not as an answer: the card
            is marked so and looks different.
    """
    cut_before, cut_after = excerpt_cut(doc_text, c.start, c.end)
    excerpt = (
        ("<span class='pqa-cut'>…</span>" if cut_before else "")
        + highlight_html(c.text, c.highlights)
        + ("<span class='pqa-cut'>…</span>" if cut_after else "")
    )
    crumb = f"<div class='pqa-crumb'>{esc(c.section)}</div>" if c.section else ""
    why = f"<span class='pqa-why'>{esc(c.why)}</span>" if c.why else ""
    tag = "<span class='pqa-related-tag'>可能相关</span>" if related else ""
    return (
        (RELATED_CARD_OPEN if related else CARD_OPEN)
        + f"<div class='pqa-card-head'><span class='pqa-n'>[{c.n if number is None else number}]</span>"
        f"<span class='pqa-title'>{esc(shown_title(c.title, c.doc_id))}</span>{tag}</div>"
        f"<div class='pqa-meta'>{meta_html(c.issuer, c.place, f'{c.year}年' if c.year else None)}</div>"
        f"{crumb}"
        f"<div class='pqa-excerpt'>{excerpt}</div>"
        "<div class='pqa-actions'>"
        f"<button type='button' class='pqa-btn pqa-view' value='{esc(source_request(c))}'>查看原文</button>"
        f"<button type='button' class='pqa-btn pqa-copy' value='{esc(reference_line(c))}'>复制引用</button>"
        f"{why}</div></div>"
    )


def summary_html(answer: Answer, offset: int = 0) -> str:
    """The extractive answer with its [n] markers (numbered on from `offset`)."""
    text = answer.answer
    if answer.kind == "wording" and "\n" in text:
        text = text.split("\n", 1)[0]  # the other lines are the cards below, word for word
    body = text_html(text)
    return _REF.sub(lambda m: f"<sup class='pqa-ref'>[{int(m.group(1)) + offset}]</sup>", body)


def is_topic(label: str) -> bool:
    """Whether a suggested section label reads as a topic worth asking about ("1月" from a table does not)."""
    return len(_HAN.findall(label)) >= 3


def notice_html(answer: Answer, title: str = "没有找到可以引用的原文", *, filtered: bool = False) -> str:
    """The abstention notice: a title, Answer.message and the nearby topics — never cards.

    Args:
        answer: the abstention.
        title: the notice's first line.
        filtered: sidebar filters were on (the tip then suggests clearing them).
    """
    parts = [
        "<div class='pqa-notfound' role='status'>",
        f"<div class='pqa-nf-title'>{esc(title)}</div>",
    ]
    if answer.message:
        parts.append(f"<div class='pqa-nf-msg'>{text_html(answer.message)}</div>")
    topics = [s for s in answer.suggestions if is_topic(s)]
    if topics:
        chips = "".join(
            f"<button type='button' class='pqa-chip' value='{esc(s)}'>{esc(s)}</button>" for s in topics
        )
        parts.append(f"<div class='pqa-nf-sugg'><span>相近的主题：</span>{chips}</div>")
    tip = "可以换个说法，或取消左侧的筛选条件再问。" if filtered else "可以换个说法再问。"
    parts.append(f"<div class='pqa-nf-tip'>{tip}</div></div>")
    return "".join(parts)


def answer_html(
    answer: Answer,
    text_of: TextOf | None = None,
    *,
    resolved: str | None = None,
    offset: int = 0,
    filters: str = "",
    wording_missed: str | None = None,
) -> str:
    """The assistant's reply: the extractive answer with [n] markers and one card per citation.

    Args:
        answer: what `Engine.ask` returned.
        text_of: doc_id → cleaned document text, used to decide where an excerpt is cut ("…").
        resolved: the full question a follow-up was turned into, shown so the user can check it.
        offset: how many results earlier answers showed ("还有吗"); cards and [n] markers
            continue the numbering from there.
        filters: the sidebar filters in force, in words ("" when none).
        wording_missed: the phrase 原文检索 looked for and did not find word for word (the answer
            then comes from ordinary retrieval, and the reply says so).

    Returns:
        One line of HTML (no blank lines, so the chat's Markdown renderer leaves it alone).
    """
    head = []
    if resolved:
        what = f"接着看“{resolved}”的更多结果" if offset else f"按“{resolved}”检索"
        head.append(f"<div class='pqa-resolved'>{esc(what)}</div>")
    if filters:
        head.append(f"<div class='pqa-filters'>{esc('已按筛选条件检索：' + filters)}</div>")
    if answer.related:
        return "<div class='pqa-answer'>" + "".join(head) + related_html(answer, text_of, offset) + "</div>"
    if not answer.found:
        title = "没有找到更多结果" if offset else "没有找到可以引用的原文"
        notice = notice_html(answer, title, filtered=bool(filters))
        return "<div class='pqa-answer'>" + "".join(head) + notice + "</div>"
    if wording_missed is not None:
        head.append(
            f"<div class='pqa-note'>{esc(f'文件中没有逐字出现“{wording_missed}”；以下是按意思检索到的段落。')}</div>"
        )
    if answer.message:
        head.append(f"<div class='pqa-note'>{text_html(answer.message)}</div>")
    label = f"引用原文 {len(answer.citations)} 条" + (f"（第 {offset + 1} 条起）" if offset else "")
    cards = "".join(
        card_html(c, text_of(c.doc_id) if text_of else None, c.n + offset) for c in answer.citations
    )
    return (
        "<div class='pqa-answer'>"
        + "".join(head)
        + f"<div class='pqa-summary'>{summary_html(answer, offset)}</div>"
        + f"<div class='pqa-cards-label'>{esc(label)}</div>"
        + cards
        + "</div>"
    )


def related_html(answer: Answer, text_of: TextOf | None = None, offset: int = 0) -> str:
    """A hedged answer: a plain notice that the documents do not show the answer, then the closest
    passages as “可能相关的原文” cards, visibly different from an answer's.
    """
    notice = (
        "<div class='pqa-notfound pqa-hedge' role='status'>"
        "<div class='pqa-nf-title'>没有找到确定的答案</div>"
        f"<div class='pqa-nf-msg'>{text_html(answer.message)}</div>"
        "<div class='pqa-nf-tip'>请对照原文自行判断；也可以换个说法再问。</div></div>"
    )
    label = f"可能相关的原文 {len(answer.related)} 条" + (f"（第 {offset + 1} 条起）" if offset else "")
    cards = "".join(
        card_html(c, text_of(c.doc_id) if text_of else None, c.n + offset, related=True)
        for c in answer.related
    )
    return notice + f"<div class='pqa-cards-label pqa-related-label'>{esc(label)}</div>" + cards


def user_html(question: str, limit: int = MAX_QUESTION_CHARS) -> str:
    """The user's question as shown in the chat: escaped, in a block the Markdown renderer leaves alone.

    A question longer than `limit` (what the engine reads of it) is shown up to there, followed by
    a note of its full length, so a pasted page neither floods the chat nor is cut without a word.
    """
    if len(question) <= limit:
        return f"<div class='pqa-q'><div class='pqa-q-text'>{text_html(question)}</div></div>"
    more = f"问题共 {len(question):,} 字，只按前 {limit} 字检索"
    return (
        f"<div class='pqa-q'><div class='pqa-q-text'>{text_html(question[:limit])}…</div>"
        f"<div class='pqa-q-more'>{esc(more)}</div></div>"
    )


_Q_MORE = re.compile(r"…</div><div class='pqa-q-more'>.*?</div>", re.S)


def question_of(user_message: str) -> str:
    """The question a `user_html` message shows (without the note of a long question's length)."""
    return plain_text(_Q_MORE.sub("", user_message)).strip()


def cards_in(reply: str) -> int:
    """How many citation cards (answers or possibly related passages) an `answer_html` reply shows."""
    return reply.count(CARD_OPEN) + reply.count(RELATED_CARD_OPEN)


def context_needed_html(question: str, *, more: bool) -> str:
    """The reply to a follow-up with nothing before it: ask for a whole question (no search is run).

    Args:
        question: what was typed.
        more: it asked for more results ("还有吗") rather than pointing back at a question.
    """
    what = "还没有可以接着看的结果。" if more else f"“{question}”要接着上一个问题问，但现在还没有上一个问题。"
    return (
        "<div class='pqa-answer'><div class='pqa-notfound pqa-needs-context' role='status'>"
        "<div class='pqa-nf-title'>请先提一个完整的问题</div>"
        f"<div class='pqa-nf-msg'>{esc(what)}</div>"
        "<div class='pqa-nf-tip'>例如：融安县防溺水措施、老师不够怎么办。之后可以说“那柳城县呢？”或“还有吗”。</div>"
        "</div></div>"
    )


# --- the source viewer ---------------------------------------------------------------------------------


def source_html(doc: Document | None, start: int, end: int) -> str:
    """The source viewer: the whole cleaned document with `[start:end]` marked (id `pqa-src-hl`).

    Offsets are clamped to the text; None (an id not in the index) says the file is gone.
    """
    if doc is None:
        return "<div class='pqa-src-box pqa-src-empty'>找不到这个文件（可能已被移出文库）。</div>"
    text = doc.text
    s = min(max(0, int(start)), len(text))
    e = min(max(s, int(end)), len(text))
    m = doc.meta
    meta = meta_html(m.issuer, m.place, m.date or (f"{m.year}年" if m.year else None))
    source = f"<div class='pqa-src-meta'>来源：{esc(m.source)}</div>" if m.source else ""
    line = text.count("\n", 0, s) + 1
    return (
        "<div class='pqa-src-box'><div class='pqa-src'>"
        # The head stays at the top of the box while the text scrolls: which document this is.
        "<div class='pqa-src-head'>"
        f"<div class='pqa-src-title'>{esc(shown_title(m.title, doc.doc_id))}</div>"
        f"<div class='pqa-src-meta'>{meta}</div>{source}"
        f"<div class='pqa-src-pos'>引文位于第 {line} 段，已高亮并定位</div>"
        "</div>"
        "<div class='pqa-src-body'>"
        f"{text_html(text[:s])}<mark id='pqa-src-hl' class='pqa-src-mark'>{text_html(text[s:e])}</mark>"
        f"{text_html(text[e:])}"
        "</div></div></div>"
    )


BAD_SOURCE_REQUEST = "<div class='pqa-src-box pqa-src-empty'>无法打开原文：请求格式不对。</div>"
