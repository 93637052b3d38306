"""政策问答 (PolicyQA) web UI: ask questions, read cited excerpts, open the source, add documents.

Run it with::

    python ui.py                                   # http://127.0.0.1:7860
    python ui.py --host 0.0.0.0 --auth clerk:secret  # on the office network (login required)

The module has two halves. The handlers (`respond`, `answer_html`, `source_html`, `upload`, …) are
plain functions of an `Engine` and plain values, so tests call them without a browser.
`build_app(engine)` lays out the Gradio Blocks and wires the handlers to it; `serve` launches it.

Every piece of document text, title, section and question goes through `html.escape` before it is
put into HTML; `<mark>` is only ever inserted around already-escaped highlight spans.
"""

from __future__ import annotations

import argparse
import html
import ipaddress
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import gradio as gr

from qa.answer.assemble import citation_line
from qa.conversation import is_more, resolve
from qa.engine import Engine, Filters
from qa.ingest.readers import UnreadableFile
from qa.query import MAX_QUESTION_CHARS
from qa.settings import Settings
from qa.types import Answer, Citation

EXAMPLES = (
    "融安县防溺水措施",
    "老师不够怎么办",
    "“四不两直”原文怎么说",
    "中考体育测试在几月、哪个股室负责",
    "哪些文件提到控辍保学",
    "各地在校园安全方面有哪些措施",
)
WORDING_WHY = "原文逐字匹配"
_LINE_SPACE = " \t\u3000"
_REF = re.compile(r"\[(\d{1,3})\]")

TextOf = Callable[[str], "str | None"]


# --- conversation state ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Conversation:
    """What follow-ups need: the resolved questions so far and how many results of the last were shown."""

    questions: tuple[str, ...] = ()
    shown: int = 0


def message_text(content: Any) -> str:
    """The text of a chat message's content, which Gradio may give as a string or a list of parts.

    Args:
        content: a string, a `{"type": "text", "text": ...}` part, a `{"text": ..., "files": ...}`
            multimodal value, or a list of those (files and components are skipped).

    Returns:
        The text parts joined with newlines.

    Example:
        >>> message_text([{"type": "text", "text": "还有吗"}])
        '还有吗'
    """
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        text = content.get("text")
        return text if isinstance(text, str) else ""
    if isinstance(content, (list, tuple)):
        return "\n".join(t for t in (message_text(part) for part in content) if t)
    return ""


def _plain(html_text: str) -> str:
    """Text of a message the UI rendered (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", html_text.replace("<br>", "\n")))


def conversation_from_history(history: Sequence[Any] | None) -> Conversation:
    """Rebuild the follow-up state from the chat shown, when the session state is gone.

    A restored chat or an API call may bring a history but no `Conversation`: the user turns are
    resolved again in order, and "shown" counts the cards of the replies since the last new question.
    """
    questions: list[str] = []
    shown = 0
    for m in history or ():
        role = m.get("role") if isinstance(m, dict) else getattr(m, "role", None)
        text = message_text(m.get("content") if isinstance(m, dict) else getattr(m, "content", None))
        if role == "user":
            q = _plain(_Q_MORE.sub("", text)).strip()
            if not q or (not questions and needs_context(q)):
                continue  # answered with a request for a full question, not asked
            r = resolve(q, questions, shown)
            if not r.offset:
                questions.append(r.question)
                shown = 0
        elif role == "assistant":
            shown += text.count("<div class='pqa-card'>")
    return Conversation(tuple(questions), shown)


def needs_context(question: str) -> bool:
    """Whether `question` only makes sense after another one: "还有吗", "那柳城县呢？".

    Example:
        >>> needs_context("那柳城县呢？"), needs_context("柳城县防溺水措施")
        (True, False)
    """
    if is_more(question):
        return True
    # A bare place ("柳城县") is a question of its own; "那柳城县呢？" points back at another one.
    return resolve(question, ["问题"]).followup and bool(_POINTS_BACK.search(question))


_POINTS_BACK = re.compile(r"^\s*(那|那么|换成|如果是|要是)|(呢|怎么样|如何)\s*[?？。!！]*\s*$")


def context_needed_html(question: str) -> str:
    """The reply to a follow-up with nothing before it: ask for a whole question (no search is run)."""
    if is_more(question):
        what = "还没有可以接着看的结果。"
    else:
        what = f"“{question}”要接着上一个问题问，但现在还没有上一个问题。"
    return (
        "<div class='pqa-answer'><div class='pqa-notfound pqa-needs-context' role='status'>"
        "<div class='pqa-nf-title'>请先提一个完整的问题</div>"
        f"<div class='pqa-nf-msg'>{esc(what)}</div>"
        "<div class='pqa-nf-tip'>例如：融安县防溺水措施、老师不够怎么办。之后可以说“那柳城县呢？”或“还有吗”。</div>"
        "</div></div>"
    )


# --- HTML building blocks (everything escaped) -------------------------------------------------------


def esc(text: object) -> str:
    """Escape for HTML text and attribute values."""
    return html.escape("" if text is None else str(text), quote=True)


def _text_html(text: str) -> str:
    return esc(text).replace("\n", "<br>")


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
        out.append(_text_html(text[pos:a]))
        out.append(f"<mark>{_text_html(text[a:b])}</mark>")
        pos = b
    out.append(_text_html(text[pos:]))
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


def _meta_line(*parts: object) -> str:
    return " · ".join(esc(p) for p in parts if p not in (None, ""))


def meta_html(issuer: str | None, place: str | None, when: str | None) -> str:
    """Issuer · place · year, saying which of them the document does not tell.

    Example:
        >>> meta_html("某市教育局", None, "2019年")
        "某市教育局 · 2019年 · <span class='pqa-unknown'>地区未注明</span>"
    """
    known = _meta_line(issuer, place, when)
    missing = [
        label for label, v in (("发文机关", issuer), ("地区", place), ("年份", when)) if v in (None, "")
    ]
    if not missing:
        return known
    unknown = f"<span class='pqa-unknown'>{'、'.join(missing)}未注明</span>"
    return f"{known} · {unknown}" if known else unknown


def card_html(c: Citation, doc_text: str | None = None, number: int | None = None) -> str:
    """One citation card: title, issuer · place · year, breadcrumb, excerpt with marks, and actions.

    Args:
        c: the citation.
        doc_text: its document's cleaned text (to show "…" where the excerpt is cut).
        number: the number shown, when it is not `c.n` ("还有吗" continues the numbering).
    """
    cut_before, cut_after = excerpt_cut(doc_text, c.start, c.end)
    excerpt = (
        ("<span class='pqa-cut'>…</span>" if cut_before else "")
        + highlight_html(c.text, c.highlights)
        + ("<span class='pqa-cut'>…</span>" if cut_after else "")
    )
    crumb = f"<div class='pqa-crumb'>{esc(c.section)}</div>" if c.section else ""
    why = f"<span class='pqa-why'>{esc(c.why)}</span>" if c.why else ""
    return (
        "<div class='pqa-card'>"
        f"<div class='pqa-card-head'><span class='pqa-n'>[{c.n if number is None else number}]</span>"
        f"<span class='pqa-title'>《{esc(c.title)}》</span></div>"
        f"<div class='pqa-meta'>{meta_html(c.issuer, c.place, f'{c.year}年' if c.year else None)}</div>"
        f"{crumb}"
        f"<div class='pqa-excerpt'>{excerpt}</div>"
        "<div class='pqa-actions'>"
        f"<button type='button' class='pqa-btn pqa-view' value='{esc(source_request(c))}'>查看原文</button>"
        f"<button type='button' class='pqa-btn pqa-copy' value='{esc(citation_line(c))}'>复制引用</button>"
        f"{why}</div></div>"
    )


def _summary_html(answer: Answer, offset: int = 0) -> str:
    text = answer.answer
    if answer.kind == "wording" and "\n" in text:
        text = text.split("\n", 1)[0]  # the other lines are the cards below, word for word
    body = _text_html(text)
    return _REF.sub(lambda m: f"<sup class='pqa-ref'>[{int(m.group(1)) + offset}]</sup>", body)


_HAN = re.compile(r"[\u4e00-\u9fff]")


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
        parts.append(f"<div class='pqa-nf-msg'>{_text_html(answer.message)}</div>")
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
        filters: the sidebar filters in force, as `filters_label` says them ("" when none).
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
    if not answer.found:
        title = "没有找到更多结果" if offset else "没有找到可以引用的原文"
        notice = notice_html(answer, title, filtered=bool(filters))
        return "<div class='pqa-answer'>" + "".join(head) + notice + "</div>"
    if wording_missed is not None:
        head.append(
            f"<div class='pqa-note'>{esc(f'文件中没有逐字出现“{wording_missed}”；以下是按意思检索到的段落。')}</div>"
        )
    if answer.message:
        head.append(f"<div class='pqa-note'>{_text_html(answer.message)}</div>")
    label = f"引用原文 {len(answer.citations)} 条" + (f"（第 {offset + 1} 条起）" if offset else "")
    cards = "".join(
        card_html(c, text_of(c.doc_id) if text_of else None, c.n + offset) for c in answer.citations
    )
    return (
        "<div class='pqa-answer'>"
        + "".join(head)
        + f"<div class='pqa-summary'>{_summary_html(answer, offset)}</div>"
        + f"<div class='pqa-cards-label'>{esc(label)}</div>"
        + cards
        + "</div>"
    )


def user_html(question: str, limit: int = MAX_QUESTION_CHARS) -> str:
    """The user's question as shown in the chat: escaped, in a block the Markdown renderer leaves alone.

    A question longer than `limit` (what the engine reads of it) is shown up to there, followed by
    a note of its full length, so a pasted page neither floods the chat nor is cut without a word.
    """
    if len(question) <= limit:
        return f"<div class='pqa-q'><div class='pqa-q-text'>{_text_html(question)}</div></div>"
    more = f"问题共 {len(question):,} 字，只按前 {limit} 字检索"
    return (
        f"<div class='pqa-q'><div class='pqa-q-text'>{_text_html(question[:limit])}…</div>"
        f"<div class='pqa-q-more'>{esc(more)}</div></div>"
    )


_Q_MORE = re.compile(r"…</div><div class='pqa-q-more'>.*?</div>", re.S)


def _text_getter(engine: Engine) -> TextOf:
    def text_of(doc_id: str) -> str | None:
        d = engine.document(doc_id)
        return d.text if d else None

    return text_of


# --- handlers ----------------------------------------------------------------------------------------


def make_filters(
    places: Sequence[str] | None, years: Sequence[Any] | None, doc_ids: Sequence[str] | None
) -> Filters:
    """Sidebar selections → `Filters` (years may arrive as strings)."""
    ys = []
    for y in years or ():
        try:
            ys.append(int(y))
        except (TypeError, ValueError):
            continue
    return Filters(places=tuple(places or ()), years=tuple(ys), doc_ids=tuple(doc_ids or ()))


def filters_label(
    engine: Engine,
    places: Sequence[str] | None,
    years: Sequence[Any] | None,
    doc_ids: Sequence[str] | None,
) -> str:
    """The sidebar filters in words ("地区 柳州市柳城县；年份 2024"), "" when none is set."""
    parts = []
    if places:
        parts.append("地区 " + "、".join(str(p) for p in places))
    if years:
        parts.append("年份 " + "、".join(str(y) for y in years))
    if doc_ids:
        titles = []
        for d in doc_ids:
            doc = engine.document(str(d))
            titles.append(f"《{doc.meta.title}》" if doc else str(d))
        parts.append("文件 " + "".join(titles))
    return "；".join(parts)


def respond(
    engine: Engine,
    message: Any,
    history: list | None,
    conversation: Conversation | None,
    places: Sequence[str] | None = None,
    years: Sequence[Any] | None = None,
    doc_ids: Sequence[str] | None = None,
    wording: bool = False,
) -> tuple[list, Conversation, str]:
    """Answer one chat turn, resolving follow-ups ("那柳城县呢？", "还有吗") against the conversation.

    Args:
        engine: the shared engine.
        message: what the user typed (a string or message parts).
        history: the chat so far (messages; content may be a string or a list of parts).
        conversation: resolved questions so far and how many results the last answer showed
            (rebuilt from `history` when missing or empty).
        places, years, doc_ids: sidebar filters.
        wording: the 原文检索 toggle: force the exact-wording path.

    Returns:
        (new history, new conversation, "" to clear the input box).

    Example:
        >>> history, conv, _ = respond(engine, "融安县防溺水措施", [], None)  # doctest: +SKIP
    """
    history = list(history or [])
    if not conversation or not conversation.questions:
        conversation = conversation_from_history(history)
    question = message_text(message).strip()
    if not question:
        return history, conversation, ""
    if not conversation.questions and needs_context(question):
        history += [
            {"role": "user", "content": user_html(question)},
            {"role": "assistant", "content": context_needed_html(question)},
        ]
        return history, conversation, ""
    r = resolve(question, list(conversation.questions), conversation.shown)
    answer = engine.ask(
        r.question,
        offset=r.offset,
        filters=make_filters(places, years, doc_ids),
        wording=True if wording else None,
    )
    if r.offset:
        conversation = Conversation(conversation.questions, r.offset + len(answer.citations))
    else:
        conversation = Conversation((*conversation.questions, r.question), len(answer.citations))
    resolved = r.question if r.followup and r.question != question else None
    missed = None
    if wording and answer.found and answer.kind != "wording":
        plan = engine.plan(r.question)
        missed = "”“".join(plan.quoted) or plan.core
    reply = answer_html(
        answer,
        _text_getter(engine),
        resolved=resolved,
        offset=r.offset,
        filters=filters_label(engine, places, years, doc_ids),
        wording_missed=missed,
    )
    history += [
        {"role": "user", "content": user_html(question)},
        {"role": "assistant", "content": reply},
    ]
    return history, conversation, ""


def source_request(c: Citation) -> str:
    """What a card's 查看原文 sends back: "doc_id|start|end" (the server looks the id up itself)."""
    return f"{c.doc_id}|{int(c.start)}|{int(c.end)}"


def parse_source_request(request: str) -> tuple[str, int, int] | None:
    """ "doc_id|start|end" (sent by a card's 查看原文) → its parts, or None when malformed."""
    parts = (request or "").split("|")
    if len(parts) != 3:
        return None
    try:
        return parts[0], int(parts[1]), int(parts[2])
    except ValueError:
        return None


def source_html(engine: Engine, doc_id: str, start: int, end: int) -> str:
    """The source viewer: the whole cleaned document with `[start:end]` marked (id `pqa-src-hl`).

    The document is looked up only by id through `engine.document`; nothing from the client is
    used as a path. Offsets are clamped to the text.
    """
    doc = engine.document(str(doc_id)) if doc_id else None
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
        f"<div class='pqa-src-title'>《{esc(m.title)}》</div>"
        f"<div class='pqa-src-meta'>{meta}</div>{source}"
        f"<div class='pqa-src-pos'>引文位于第 {line} 段，已高亮并定位</div>"
        "</div>"
        "<div class='pqa-src-body'>"
        f"{_text_html(text[:s])}<mark id='pqa-src-hl' class='pqa-src-mark'>{_text_html(text[s:e])}</mark>"
        f"{_text_html(text[e:])}"
        "</div></div></div>"
    )


def view_source(engine: Engine, request: str) -> str:
    """Handler of 查看原文: parse the card's request and render the source viewer."""
    parsed = parse_source_request(request)
    if parsed is None:
        return "<div class='pqa-src-box pqa-src-empty'>无法打开原文：请求格式不对。</div>"
    return source_html(engine, *parsed)


SOURCE_PLACEHOLDER = (
    "<div class='pqa-src-box pqa-src-empty'>点击引用卡片上的<b>查看原文</b>，"
    "这里会显示整篇文件，并高亮、定位到引文。</div>"
)


# --- filters and corpus status -------------------------------------------------------------------------


def filter_choices(engine: Engine) -> tuple[list[str], list[int], list[tuple[str, str]]]:
    """Choices for the sidebar: places (most specific first, then cities and provinces), years, documents."""
    places = list(engine.covered_places())
    for attr in ("city", "province"):
        for d in engine.documents:
            v = getattr(d.meta, attr)
            if v and v not in places:
                places.append(v)
    years = sorted({d.meta.year for d in engine.documents if d.meta.year}, reverse=True)
    docs = []
    for d in engine.documents:
        m = d.meta
        label = m.title
        if m.place and m.place not in m.title and (m.county or m.city or "") not in m.title:
            label += f"（{m.place}）"
        docs.append((label, d.doc_id))
    return places, years, docs


def filter_updates(engine: Engine) -> tuple[dict, dict, dict]:
    """`gr.update`s that refresh the three filter dropdowns' choices (keeping valid selections)."""
    places, years, docs = filter_choices(engine)
    return gr.update(choices=places), gr.update(choices=years), gr.update(choices=docs)


def _when(build_time: str) -> str:
    m = re.match(r"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2})?([+-]\d{4})?", build_time or "")
    if not m:
        return build_time or "未知"
    zone = {"+0000": " (UTC)", "+0800": ""}.get(m.group(3) or "", f" ({m.group(3)})" if m.group(3) else "")
    return f"{m.group(1)} {m.group(2)}{zone}"


_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:[+-]\d{4})?")


def corpus_status_html(engine: Engine) -> str:
    """Sidebar 文库 panel: numbers of documents and passages, index build time, last status line."""
    manifest = engine.state.store.manifest
    counts = manifest.counts
    n_docs = counts.get("documents", len(engine.documents))
    n_pass = counts.get("passages", len(engine.passages))
    items = "".join(
        f"<li><span>{esc(d.meta.title)}</span><small>{_meta_line(d.meta.place, d.meta.year)}</small></li>"
        for d in engine.documents
    )
    skipped = ""
    if engine.skipped:
        skipped = (
            "<div class='pqa-status-skip'>未收录："
            + "；".join(esc(str(s.reason)) for s in engine.skipped)
            + "</div>"
        )
    return (
        "<div class='pqa-status'>"
        f"<div class='pqa-status-counts'><b>{n_docs}</b> 个文件 · <b>{n_pass}</b> 段</div>"
        f"<div>索引构建于 {esc(_when(manifest.build_time))}</div>"
        f"<div class='pqa-status-line'>最近一次：{esc(_ISO_TIME.sub(lambda m: _when(m.group(0)), engine.status))}</div>"
        f"{skipped}"
        f"<details><summary>已收录的文件</summary><ul>{items}</ul></details>"
        "</div>"
    )


# --- uploads ---------------------------------------------------------------------------------------------


def _file_name_and_bytes(f: Any) -> tuple[str, bytes]:
    """A Gradio upload (path string, FileData-like object or dict) → (original name, bytes)."""
    if isinstance(f, dict):
        path = f.get("path") or f.get("name")
        name = f.get("orig_name") or Path(str(path)).name
    else:
        path = getattr(f, "path", None) or getattr(f, "name", None) or f
        name = getattr(f, "orig_name", None) or Path(str(path)).name
    return str(name), Path(str(path)).read_bytes()


def storable_name(name: str, max_bytes: int = 180) -> str:
    """`name` cut to at most `max_bytes` bytes of UTF-8, keeping its extension.

    File systems take 255 bytes per name; a Chinese character is 3, so a long Chinese title would
    not fit (the engine may still add a suffix, hence the margin).

    Example:
        >>> len(storable_name("长" * 300 + ".txt").encode())
        178
    """
    if len(name.encode()) <= max_bytes:
        return name
    suffix = Path(name).suffix if len(Path(name).suffix) <= 10 else ""
    stem = name[: len(name) - len(suffix)] if suffix else name
    room = max_bytes - len(suffix.encode())
    while stem and len(stem.encode()) > room:
        stem = stem[:-1]
    return stem + suffix


def _upload_html(lines: list[tuple[str, str]], progress: tuple[str, float] | None = None) -> str:
    rows = "".join(f"<div class='pqa-up-{kind}'>{esc(text)}</div>" for kind, text in lines)
    bar = ""
    if progress is not None:
        label, frac = progress
        pct = round(100 * max(0.0, min(1.0, frac)))
        bar = (
            f"<div class='pqa-up-progress' role='progressbar' aria-valuenow='{pct}' aria-valuemin='0' "
            f"aria-valuemax='100'><div style='width:{pct}%'></div></div>"
            f"<div class='pqa-up-stage'>{esc(label)}</div>"
        )
    return f"<div class='pqa-up'>{rows}{bar}</div>"


def upload(engine: Engine, files: Sequence[Any] | None, poll: float = 0.2) -> Iterator[tuple]:
    """Add uploaded files to the corpus and re-index in a background thread, reporting progress.

    Each file is checked by `engine.add_document` (a file that cannot be read is refused with the
    reason); `engine.refresh` then runs in its own thread while this generator yields status
    updates. The current index keeps answering questions until the new one is installed.

    Yields:
        (upload status HTML, places update, years update, documents update, corpus status HTML,
        file input value) — the filter updates are empty until the new index is in.
    """
    skip = gr.update()
    files = [f for f in (files or []) if f]
    if not files:
        yield _upload_html([("info", "请选择要上传的文件。")]), skip, skip, skip, skip, skip
        return
    lines: list[tuple[str, str]] = []
    added = []
    for f in files:
        try:
            name, data = _file_name_and_bytes(f)
        except OSError as e:
            lines.append(("bad", f"✗ 无法读取上传的文件：{e}"))
            continue
        try:
            stored = engine.add_document(storable_name(name), data)
        except UnreadableFile as e:
            lines.append(("bad", f"✗ 未收录 {e}"))
            continue
        except OSError:  # the corpus folder refused the file (disk full, permissions …)
            lines.append(("bad", f"✗ 未收录 {name}: 无法保存到文库（请检查磁盘空间和文件夹权限）"))
            continue
        added.append(stored)
        lines.append(
            ("ok", f"✓ 已接收 {name}" + (f"（保存为 {stored.name}）" if stored.name != name else ""))
        )
    if not added:
        yield _upload_html(lines), skip, skip, skip, skip, None
        return

    stage = {"label": "读取文件并切分段落…", "frac": 0.05}
    result: dict[str, Any] = {}

    def progress(name: str, done: int, total: int) -> None:
        # Reading and BM25 are quick; encoding vectors is most of the time, so it gets most of the bar.
        frac = done / total if total else 1.0
        stage["label"] = f"{'建立关键词索引' if name == 'BM25' else '计算语义向量'} {done}/{total}"
        stage["frac"] = 0.1 + 0.1 * frac if name == "BM25" else 0.2 + 0.75 * frac

    def build() -> None:
        try:
            result["status"] = engine.refresh(progress=progress)
        except Exception as e:  # the old index keeps serving; say what went wrong
            result["error"] = f"{type(e).__name__}: {e}"

    worker = threading.Thread(target=build, name="policyqa-refresh", daemon=True)
    worker.start()
    started = time.monotonic()
    while worker.is_alive():
        label = f"正在更新索引（{time.monotonic() - started:.0f} 秒）：{stage['label']}；更新期间仍可照常提问"
        yield _upload_html(lines, (label, stage["frac"])), skip, skip, skip, skip, skip
        worker.join(poll)
    if "error" in result:
        lines.append(("bad", f"✗ 更新索引失败，仍使用原来的索引：{result['error']}"))
        yield _upload_html(lines), skip, skip, skip, corpus_status_html(engine), None
        return
    titles = [d.meta.title for d in engine.documents if Path(d.path).name in {p.name for p in added}]
    lines.append(("ok", "索引已更新，可以提问了" + (f"：《{'》《'.join(titles)}》" if titles else "")))
    yield (_upload_html(lines), *filter_updates(engine), corpus_status_html(engine), None)


# --- layout -----------------------------------------------------------------------------------------------

CSS = """
/* One palette for light and one for dark (Gradio puts .dark on <body> when the system or 设置 asks). */
.gradio-container { --pqa-accent: #1d4f91; --pqa-ink: #1f2933; --pqa-muted: #5b6672; --pqa-faint: #8a939d;
  --pqa-line: #e3e6ea; --pqa-paper: #fff; --pqa-crumb-bg: #f4f5f7; --pqa-crumb-ink: #3d4852;
  --pqa-btn-bg: #f8f9fb; --pqa-btn-line: #c9ced6; --pqa-note-bg: #fff8e1; --pqa-note-line: #f0b429;
  --pqa-nf-bg: #fffaf0; --pqa-nf-line: #f0c36d; --pqa-nf-title: #975a16; --pqa-ok: #2f855a; --pqa-bad: #b4232a;
  --pqa-track: #edf0f3; --pqa-mark: #ffe58f; --pqa-mark-ink: #1f2933; }
.dark .gradio-container { --pqa-accent: #8ab4f8; --pqa-ink: #e5e7eb; --pqa-muted: #a7b0ba; --pqa-faint: #8a939d;
  --pqa-line: #3b4452; --pqa-paper: #1f2733; --pqa-crumb-bg: #2b3544; --pqa-crumb-ink: #d1d5db;
  --pqa-btn-bg: #2b3544; --pqa-btn-line: #4b5563; --pqa-note-bg: #3b3320; --pqa-note-line: #d69e2e;
  --pqa-nf-bg: #33291a; --pqa-nf-line: #b7791f; --pqa-nf-title: #f6c66b; --pqa-ok: #68d391; --pqa-bad: #fc8181;
  --pqa-track: #3b4452; --pqa-mark: #f6d860; --pqa-mark-ink: #1f2933; }
.gradio-container { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif; }
#pqa-header h1 { font-size: 1.35rem; margin: 0; color: var(--pqa-ink); }
#pqa-header p { margin: 2px 0 0; color: var(--pqa-muted); font-size: .9rem; }
.pqa-q-text { white-space: pre-wrap; max-height: 11em; overflow-y: auto; overflow-wrap: anywhere; }
.pqa-q-more { color: var(--pqa-muted); font-size: .85rem; }
#pqa-chat .message-row.user-row { padding-top: 14px; padding-bottom: 8px; }
.pqa-answer { line-height: 1.7; color: var(--pqa-ink); }
.pqa-summary { font-size: 1rem; margin-bottom: .6rem; }
.pqa-ref { color: var(--pqa-accent); cursor: pointer; font-size: .75em; margin: 0 .45em 0 1px; }
.pqa-resolved, .pqa-filters { color: var(--pqa-muted); font-size: .85rem; margin-bottom: .3rem; }
.pqa-unknown { color: var(--pqa-faint); }
.pqa-note { background: var(--pqa-note-bg); border-left: 3px solid var(--pqa-note-line); padding: .35rem .6rem; margin-bottom: .5rem; font-size: .9rem; }
.pqa-cards-label { color: var(--pqa-muted); font-size: .8rem; margin: .4rem 0 .3rem; letter-spacing: .05em; }
.pqa-card { border: 1px solid var(--pqa-line); border-left: 3px solid var(--pqa-accent); border-radius: 6px;
  padding: .55rem .75rem; margin: .45rem 0; background: var(--pqa-paper); color: var(--pqa-ink); }
.pqa-card-head { font-weight: 600; font-size: .98rem; }
.pqa-n { color: var(--pqa-accent); margin-right: .25rem; }
.pqa-meta { color: var(--pqa-muted); font-size: .82rem; }
.pqa-crumb { color: var(--pqa-crumb-ink); font-size: .82rem; background: var(--pqa-crumb-bg); border-radius: 4px; padding: 1px 6px;
  display: inline-block; margin: .2rem 0; }
.pqa-excerpt { font-size: .95rem; margin: .25rem 0 .35rem; }
.pqa-excerpt mark, .pqa-src-body mark { background: var(--pqa-mark); color: var(--pqa-mark-ink); padding: 0 1px; border-radius: 2px; }
.pqa-cut { color: var(--pqa-muted); }
.pqa-actions { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; }
.pqa-btn, .pqa-chip { border: 1px solid var(--pqa-btn-line); background: var(--pqa-btn-bg); color: var(--pqa-ink); border-radius: 4px;
  padding: 1px 10px; font-size: .82rem; cursor: pointer; line-height: 1.7; }
.pqa-btn:hover, .pqa-chip:hover { border-color: var(--pqa-accent); color: var(--pqa-accent); }
.pqa-btn.pqa-done { border-color: var(--pqa-ok); color: var(--pqa-ok); }
.pqa-why { color: var(--pqa-faint); font-size: .75rem; margin-left: auto; }
.pqa-notfound { border: 1px solid var(--pqa-nf-line); background: var(--pqa-nf-bg); color: var(--pqa-ink); border-radius: 6px; padding: .6rem .8rem; }
.pqa-nf-title { font-weight: 600; color: var(--pqa-nf-title); margin-bottom: .2rem; }
.pqa-nf-title::before { content: "⚠ "; }
.pqa-nf-msg { color: var(--pqa-ink); }
.pqa-nf-sugg { margin-top: .35rem; display: flex; gap: .35rem; flex-wrap: wrap; align-items: center; }
.pqa-nf-tip { color: var(--pqa-muted); font-size: .82rem; margin-top: .35rem; }
#pqa-viewer-col { position: sticky; top: 8px; align-self: flex-start; }
.pqa-src-box { max-height: calc(100vh - 90px); overflow-y: auto; border: 1px solid var(--pqa-line);
  border-radius: 8px; padding: .75rem 1rem; background: var(--pqa-paper); color: var(--pqa-ink); }
.pqa-src-head { position: sticky; top: -.75rem; margin: -.75rem -1rem 0; padding: .6rem 1rem .4rem;
  background: var(--pqa-paper); border-bottom: 1px solid var(--pqa-line); z-index: 1; }
.pqa-src-title { font-weight: 700; font-size: 1.05rem; }
.pqa-src-meta, .pqa-src-pos { color: var(--pqa-muted); font-size: .82rem; }
.pqa-src-body { white-space: normal; line-height: 1.8; margin-top: .5rem; font-size: .93rem; }
.pqa-src-body mark.pqa-src-mark { box-shadow: 0 0 0 2px var(--pqa-mark); }
.pqa-src-empty { color: var(--pqa-muted); }
.pqa-status { font-size: .85rem; color: var(--pqa-ink); line-height: 1.6; }
.pqa-status-line, .pqa-status-skip { color: var(--pqa-muted); font-size: .8rem; }
.pqa-status ul { margin: .2rem 0 0 1rem; padding: 0; }
.pqa-status li small { color: var(--pqa-muted); margin-left: .3rem; }
.pqa-up { font-size: .85rem; }
.pqa-up-ok { color: var(--pqa-ok); } .pqa-up-bad { color: var(--pqa-bad); } .pqa-up-info { color: var(--pqa-muted); }
.pqa-up-progress { height: 6px; background: var(--pqa-track); border-radius: 3px; margin: .3rem 0; overflow: hidden; }
.pqa-up-progress > div { height: 100%; background: var(--pqa-accent); transition: width .2s; }
.pqa-up-stage { color: var(--pqa-muted); font-size: .8rem; }
.pqa-example { justify-content: flex-start !important; text-align: left !important; }
.pqa-ph { text-align: center; color: var(--pqa-muted); line-height: 1.9; }
.pqa-ph-title { font-size: 1.1rem; color: var(--pqa-ink); font-weight: 600; }
"""

# Clicks inside chat messages are handled by one delegated listener. Gradio sanitizes message HTML
# (no inline handlers, no data-* attributes), so buttons carry what they need in `class` and `value`.
# The same script puts Gradio's own English labels for screen readers into Chinese (a message's label
# would otherwise be "bot's message: " followed by its raw HTML) and, on a phone-sized screen, starts
# with the sidebar closed: open, it covers the whole page.
JS = """
() => {
  if (window.__pqaReady) return;
  window.__pqaReady = true;
  const NARROW = 768;
  const fire = (id) => { const b = document.getElementById(id); if (b) b.click(); };
  const copy = async (text) => {
    try { await navigator.clipboard.writeText(text); return true; } catch (e) {}
    const ta = document.createElement('textarea');
    ta.value = text; ta.setAttribute('readonly', ''); ta.style.position = 'fixed'; ta.style.opacity = '0';
    document.body.appendChild(ta); ta.select();
    let ok = false; try { ok = document.execCommand('copy'); } catch (e) {}
    ta.remove(); return ok;
  };
  const closeSidebarIfNarrow = () => {
    if (window.innerWidth > NARROW) return true;
    const side = document.getElementById('pqa-sidebar');
    if (!side) return false;
    if (side.classList.contains('open')) { const t = side.querySelector('.toggle-button'); if (t) t.click(); }
    return true;
  };
  let tries = 0;
  const closeLater = () => { if (!closeSidebarIfNarrow() && ++tries < 100) setTimeout(closeLater, 50); };
  closeLater();
  document.addEventListener('click', async (ev) => {
    const t = ev.target;
    if (!(t instanceof Element)) return;
    const view = t.closest('button.pqa-view');
    if (view) { ev.preventDefault(); window.__pqaSrc = view.value; fire('pqa-src-btn'); return; }
    const cp = t.closest('button.pqa-copy');
    if (cp) {
      ev.preventDefault();
      const ok = await copy(cp.value || '');
      cp.textContent = ok ? '已复制' : '复制失败';
      cp.classList.toggle('pqa-done', ok);
      setTimeout(() => { cp.textContent = '复制引用'; cp.classList.remove('pqa-done'); }, 1600);
      return;
    }
    const chip = t.closest('button.pqa-chip');
    if (chip) { ev.preventDefault(); window.__pqaAsk = chip.value; fire('pqa-ask-btn'); return; }
    if (t.closest('.pqa-example')) { setTimeout(closeSidebarIfNarrow, 0); return; }
    const ref = t.closest('.pqa-ref');
    if (ref) {
      const box = ref.closest('.pqa-answer');
      const label = ref.textContent.trim();
      const card = box && [...box.querySelectorAll('.pqa-card')].find(
        (c) => c.querySelector('.pqa-n').textContent.trim() === label);
      if (card) window.__pqaScrollTo(card, 'nearest');
    }
  }, true);
  // Scroll the chat's own box, never the page, so the header stays where it is.
  window.__pqaScrollTo = (el, how) => {
    let sc = el.parentElement;
    while (sc && !(sc.scrollHeight > sc.clientHeight && /(auto|scroll)/.test(getComputedStyle(sc).overflowY)))
      sc = sc.parentElement;
    if (!sc) return;
    const top = el.getBoundingClientRect().top - sc.getBoundingClientRect().top;
    if (how === 'start') sc.scrollTop += top - 4;
    else if (top < 0) sc.scrollTop += top - 4;
    else if (top + el.offsetHeight > sc.clientHeight) sc.scrollTop += top + el.offsetHeight - sc.clientHeight + 4;
  };
  const LABELS = {
    'Toggle Sidebar': '展开或收起侧栏', 'Click to upload or drop files': '点击上传或拖放文件',
    'File upload': '上传文件', 'chatbot conversation': '问答记录', 'Scroll down': '滚动到最新',
    'Gradio footer navigation': '页脚', 'Clear': '清除', 'Remove': '移除', 'Upload': '上传',
    'Close': '关闭', 'Download': '下载', 'Share': '分享', 'Retry': '重试', 'Undo': '撤销',
    'Copy': '复制', 'Copied': '已复制', 'Like': '赞', 'Dislike': '踩', 'Loading...': '加载中…',
  };
  // String work only (no parsing into the DOM): this runs for every message Gradio (re)labels.
  const ENT = {'&lt;': '<', '&gt;': '>', '&quot;': '"', '&#x27;': "'", '&#39;': "'", '&amp;': '&'};
  const plain = (html, n) => {
    const t = html.slice(0, 4 * n).replace(/<[^>]*(>|$)/g, ' ').replace(/&(?:lt|gt|quot|amp|#x27|#39);/g, (e) => ENT[e])
      .replace(/\\s+/g, ' ').trim();
    return t.length > n ? t.slice(0, n) + '…' : t;
  };
  const localize = (el) => {
    for (const a of ['aria-label', 'title']) {
      const v = el.getAttribute(a);
      if (!v) continue;
      let m;
      if (LABELS[v]) el.setAttribute(a, LABELS[v]);
      else if ((m = v.match(/^user's message: ([\\s\\S]*)$/))) el.setAttribute(a, '问题：' + plain(m[1], 200));
      else if ((m = v.match(/^(?:bot|assistant)'s message: ([\\s\\S]*)$/))) el.setAttribute(a, '回答：' + plain(m[1], 300));
    }
  };
  const scan = (root) => {
    if (root.nodeType !== 1) return;
    if (root.hasAttribute('aria-label') || root.hasAttribute('title')) localize(root);
    root.querySelectorAll('[aria-label], [title]').forEach(localize);
  };
  scan(document.body);
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes') localize(r.target);
      else r.addedNodes.forEach(scan);
    }
  }).observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label', 'title']});
}
"""

# Scroll the viewer's own box (not the page) so the marked passage sits below the box's sticky head,
# near its top third; bring the box itself into view only when it is off screen (narrow windows
# stack the columns).
SCROLL_TO_PASSAGE = """
() => {
  const m = document.getElementById('pqa-src-hl');
  if (!m) return;
  const box = m.closest('.pqa-src-box');
  const head = box.querySelector('.pqa-src-head');
  const b = box.getBoundingClientRect();
  if (b.top < 0 || b.top > window.innerHeight - 100) box.scrollIntoView({block: 'start'});
  const offset = m.getBoundingClientRect().top - box.getBoundingClientRect().top;
  const room = Math.max(box.clientHeight / 4, (head ? head.offsetHeight : 0) + 16);
  box.scrollTop += offset - room;
}
"""

# Show the new question at the top of the chat so the answer reads from its start.
SCROLL_TO_LAST_QUESTION = """
() => { setTimeout(() => {
  const qs = document.querySelectorAll('#pqa-chat .pqa-q');
  if (qs.length && window.__pqaScrollTo) window.__pqaScrollTo(qs[qs.length - 1], 'start');
}, 30); }
"""

PLACEHOLDER = (
    "<div class='pqa-ph'>"
    "<div class='pqa-ph-title'>输入问题，回答都附有文件原文出处</div>"
    "<div>例如：融安县防溺水措施 · 老师不够怎么办 · “四不两直”原文怎么说</div>"
    "<div>追问可以直接说“那柳城县呢？”，要看更多结果说“还有吗”。</div></div>"
)


def theme() -> gr.themes.Base:
    """A quiet theme with local CJK fonts (no web fonts: the app runs offline)."""
    fonts = ["Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "PingFang SC", "sans-serif"]
    return gr.themes.Default(
        primary_hue="blue", neutral_hue="slate", font=fonts, font_mono=["Noto Sans Mono CJK SC", "monospace"]
    )


def build_app(engine: Engine) -> gr.Blocks:
    """Lay out the UI and wire the handlers. Launch with `serve` (it passes CSS, JS and theme).

    Example:
        >>> demo = build_app(Engine.open(Settings()))  # doctest: +SKIP
    """
    places0, years0, docs0 = filter_choices(engine)
    with gr.Blocks(title="政策问答") as demo:
        conversation = gr.State(Conversation())
        with gr.Sidebar(label="筛选与文库", width=330, elem_id="pqa-sidebar"):
            gr.Markdown("#### 筛选 <small style='font-weight:400;opacity:.7'>（不选即不限）</small>")
            places = gr.Dropdown(places0, value=[], multiselect=True, label="地区", elem_id="pqa-f-place")
            years = gr.Dropdown(years0, value=[], multiselect=True, label="年份", elem_id="pqa-f-year")
            doc_ids = gr.Dropdown(docs0, value=[], multiselect=True, label="文件", elem_id="pqa-f-doc")
            wording = gr.Checkbox(
                label="原文检索（逐字查找）",
                info="打开后只找文件中逐字出现的说法",
                elem_id="pqa-wording",
            )
            gr.Markdown("#### 示例问题")
            example_buttons = [
                gr.Button(q, size="sm", elem_classes=["pqa-example"], elem_id=f"pqa-example-{i}")
                for i, q in enumerate(EXAMPLES)
            ]
            gr.Markdown("#### 文库")
            corpus_status = gr.HTML(corpus_status_html(engine), elem_id="pqa-corpus-status")
            # The status sits above the drop zone so it is on screen while the user drops a file.
            upload_status = gr.HTML("", elem_id="pqa-upload-status")
            files = gr.File(
                label="上传文件（txt、md、docx、html、pdf）",
                file_count="multiple",
                elem_id="pqa-upload",
            )
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=420):
                gr.HTML(
                    "<div id='pqa-header'><h1>政策问答</h1>"
                    "<p>在已收录的教育政策文件中查找答案，每条回答都标明出处、可查看原文和复制引用。</p></div>"
                )
                chatbot = gr.Chatbot(
                    elem_id="pqa-chat",
                    height="calc(100vh - 240px)",
                    min_height=420,
                    show_label=False,
                    autoscroll=False,
                    latex_delimiters=[],
                    buttons=[],
                    feedback_options=None,
                    placeholder=PLACEHOLDER,
                    layout="panel",
                )
                with gr.Row():
                    msg = gr.Textbox(
                        placeholder="输入问题，例如：融安县防溺水措施（回车提问）",
                        label="问题",
                        show_label=False,
                        scale=8,
                        autofocus=True,
                        submit_btn="提问",
                        elem_id="pqa-input",
                    )
                    new_chat = gr.Button("新对话", scale=1, min_width=80, elem_id="pqa-new")
            with gr.Column(scale=2, min_width=320, elem_id="pqa-viewer-col"):
                gr.Markdown("#### 原文", elem_id="pqa-viewer-label")
                viewer = gr.HTML(SOURCE_PLACEHOLDER, elem_id="pqa-viewer", js_on_load=None)
        # Hidden plumbing for clicks inside chat messages (see JS): the value comes from window.__pqa*.
        src_request = gr.Textbox(label="原文位置", visible="hidden", elem_id="pqa-src-req")
        src_button = gr.Button("打开原文", visible="hidden", elem_id="pqa-src-btn")
        ask_button = gr.Button("提问", visible="hidden", elem_id="pqa-ask-btn")

        ask = partial(respond, engine)
        ask_inputs = [msg, chatbot, conversation, places, years, doc_ids, wording]
        ask_outputs = [chatbot, conversation, msg]
        # The named endpoints are "undocumented": callable (tests, scripts) but left out of the API
        # description, which Gradio also puts in the login page, before any login, with the filter
        # choices (places, years, document ids) in it.
        msg.submit(ask, ask_inputs, ask_outputs, api_name="ask", api_visibility="undocumented").then(
            None, js=SCROLL_TO_LAST_QUESTION
        )
        for b, q in zip(example_buttons, EXAMPLES, strict=True):
            b.click(partial(respond, engine, q), ask_inputs[1:], ask_outputs, api_name=False).then(
                None, js=SCROLL_TO_LAST_QUESTION
            )
        # A chip's question goes into the input box first (a JS-only step), then it is asked as if typed.
        ask_button.click(None, None, [msg], js="() => window.__pqaAsk || ''", api_name=False).then(
            ask, ask_inputs, ask_outputs, api_name=False
        ).then(None, js=SCROLL_TO_LAST_QUESTION)
        src_button.click(
            partial(view_source, engine),
            [src_request],
            [viewer],
            js="(x) => window.__pqaSrc || x",
            api_name="source",
            api_visibility="undocumented",
        ).then(None, js=SCROLL_TO_PASSAGE)
        new_chat.click(
            lambda: ([], Conversation(), "", SOURCE_PLACEHOLDER),
            None,
            [chatbot, conversation, msg, viewer],
            api_name=False,
        )
        chatbot.clear(
            lambda: (Conversation(), SOURCE_PLACEHOLDER), None, [conversation, viewer], api_name=False
        )
        files.upload(
            partial(upload, engine),
            [files],
            [upload_status, places, years, doc_ids, corpus_status, files],
            concurrency_limit=1,  # one index build at a time; questions keep their own workers
            concurrency_id="build",
            api_name="upload",
            api_visibility="undocumented",
        )
        # Other sessions may have added documents since this page was built.
        demo.load(
            lambda: (*filter_updates(engine), corpus_status_html(engine)),
            None,
            [places, years, doc_ids, corpus_status],
            api_name=False,
        )
    # engine.ask is thread-safe and takes ~5–10 ms; the rest of a request is Gradio's own work, which
    # overlaps well. Measured with bench/load.py (20 users, 2 min, 2 cores): limit 8 gave 14–58 % more
    # throughput and 11–43 % lower p95 than 4 in three paired rounds, and 1, 2 and 16 were worse
    # (BENCHMARKS.md, Reliability). max_size bounds the waiting line so an overload answers "busy"
    # quickly instead of queueing for minutes. Uploads have their own limit of 1 (see above).
    demo.queue(default_concurrency_limit=8, max_size=64)
    return demo


# --- launching ----------------------------------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    """Whether `host` only listens on this machine (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def parse_auth(value: str | None) -> tuple[str, str] | None:
    """ "user:password" → (user, password); None when not given.

    Raises:
        ValueError: when the value is not of the form user:password.
    """
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user.strip() or not password:
        raise ValueError("登录信息应写成 用户名:密码")
    return user.strip(), password


def serve(
    engine: Engine,
    *,
    host: str = "127.0.0.1",
    port: int = 7860,
    auth: tuple[str, str] | None = None,
    block: bool = True,
    warm: bool = True,
) -> tuple[gr.Blocks, str]:
    """Build and launch the app; returns it with its URL (blocks until stopped when `block`).

    Args:
        engine: the engine to serve.
        host, port: where to listen (only loopback unless `auth` is set: see `main`).
        auth: (user, password) for the login page, or None.
        block: wait until Ctrl+C (the command line); False returns at once (tests, benchmarks).
        warm: ask one question first, so the first user does not wait for the models to load.
    """
    if warm:
        engine.ask(EXAMPLES[0])
    # Files copied into the corpus folder while serving are indexed without a restart.
    engine.watch(interval=5.0)
    demo = build_app(engine)
    demo.launch(
        server_name=host,
        server_port=port,
        auth=auth,
        auth_message="政策问答：请登录" if auth else None,
        prevent_thread_lock=True,
        quiet=True,
        show_error=True,
        ssr_mode=False,
        max_file_size="25mb",
        # No footer: Gradio's settings page is for developers and mostly English (PWA, screen
        # recording); light or dark follows the system.
        footer_links=[],
        # Gradio would otherwise save every call (questions, excerpts, the whole chat) in the browser's
        # localStorage, which costs a few ms per message of history on every answer.
        run_history=False,
        theme=theme(),
        css=CSS,
        js=JS,
    )
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    if block:
        print(f"政策问答已启动：{url}  （按 Ctrl+C 停止）", flush=True)
        if host in ("0.0.0.0", "::"):
            print(f"其他电脑请用本机的局域网地址访问，例如 http://<本机IP>:{port}/", flush=True)
        try:
            demo.block_thread()
        except KeyboardInterrupt:
            demo.close()
    return demo, url


def build_parser() -> argparse.ArgumentParser:
    """The command line of `python ui.py`."""
    p = argparse.ArgumentParser(prog="ui.py", description="政策问答网页界面")
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，只允许本机访问）")
    p.add_argument("--port", type=int, default=7860, help="端口（默认 7860）")
    p.add_argument("--corpus", help="文档目录（默认 corpus/，或环境变量 POLICYQA_CORPUS）")
    p.add_argument("--index-dir", help="索引目录（默认 var/index/，或 POLICYQA_INDEX）")
    p.add_argument("--encoder", help="向量模型：use（默认）或 st:<模型名或路径>")
    p.add_argument("--auth", help="登录用户名和密码，写成 用户名:密码（或环境变量 POLICYQA_AUTH）")
    return p


def settings_from(args: argparse.Namespace) -> Settings:
    """Settings from the defaults (and POLICYQA_* variables), overridden by the command line."""
    changes: dict[str, Any] = {}
    if args.corpus:
        changes["corpus_dir"] = Path(args.corpus)
    if args.index_dir:
        changes["index_dir"] = Path(args.index_dir)
    if args.encoder:
        changes["encoder"] = args.encoder
    return Settings().with_(**changes)


def main(argv: list[str] | None = None) -> int:
    """Start the UI. Exit code 2 when the options are unsafe or malformed."""
    args = build_parser().parse_args(argv)
    try:
        auth = parse_auth(args.auth or os.environ.get("POLICYQA_AUTH"))
    except ValueError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    if auth is None and not is_loopback(args.host):
        print(
            f"拒绝启动：--host {args.host} 会让局域网中的其他电脑访问本服务，必须设置登录。\n"
            "请加上 --auth 用户名:密码（或设置环境变量 POLICYQA_AUTH），或改用 --host 127.0.0.1。",
            file=sys.stderr,
        )
        return 2
    print("正在加载索引…", file=sys.stderr, flush=True)
    engine = Engine.open(settings_from(args))
    engine.cutter.warm(tags=True)  # the part-of-speech table, before the first question needs it
    print(engine.status, file=sys.stderr, flush=True)
    serve(engine, host=args.host, port=args.port, auth=auth)
    return 0


if __name__ == "__main__":
    sys.exit(main())
