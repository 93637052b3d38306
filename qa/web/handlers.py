"""What the UI's events do: plain functions of an `Engine` and plain values, so tests call them
without a browser. They gather what to show and leave the HTML to `render` and `sidebar`.

Example:
    >>> history, conv, _ = respond(engine, "融安县防溺水措施", [], None)  # doctest: +SKIP
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import gradio as gr

from qa.answer.assemble import shown_title
from qa.answer.plan import Filters
from qa.conversation import Conversation, is_more, needs_context, replay, resolve
from qa.engine import Engine
from qa.hygiene import scrub_tree
from qa.ingest.readers import UnreadableFile
from qa.uploads import accept_upload, withdraw
from qa.web import render, sidebar
from qa.web.render import TextOf


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


def conversation_from_history(history: Sequence[Any] | None) -> Conversation:
    """Rebuild the follow-up state from the chat shown (`qa.conversation.replay` of its turns).

    A restored chat or an API call may bring a history but no `Conversation`: user turns give
    their question, replies the number of cards they show.
    """
    turns: list[tuple[str, str | int]] = []
    for m in history or ():
        role = m.get("role") if isinstance(m, dict) else getattr(m, "role", None)
        text = message_text(m.get("content") if isinstance(m, dict) else getattr(m, "content", None))
        if role == "user":
            turns.append(("user", render.question_of(text)))
        elif role == "assistant":
            turns.append(("assistant", render.cards_in(text)))
    return replay(turns)


def text_getter(engine: Engine) -> TextOf:
    def text_of(doc_id: str) -> str | None:
        d = engine.document(doc_id)
        return d.text if d else None

    return text_of


# --- questions -----------------------------------------------------------------------------------------


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
            titles.append(shown_title(doc.meta.title, doc.doc_id) if doc else str(d))
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
    """
    # lone surrogates from the API ("\ud800…") would make the reply impossible to send as UTF-8
    message, history, places, years, doc_ids = scrub_tree(
        (message, list(history or []), places, years, doc_ids)
    )
    if not conversation or not conversation.questions:
        conversation = conversation_from_history(history)
    question = message_text(message).strip()
    if not question:
        return history, conversation, ""
    if not conversation.questions and needs_context(question):
        history += [
            {"role": "user", "content": render.user_html(question)},
            {"role": "assistant", "content": render.context_needed_html(question, more=is_more(question))},
        ]
        return history, conversation, ""
    r = resolve(question, list(conversation.questions), conversation.shown)
    answer = engine.ask(
        r.question,
        offset=r.offset,
        filters=make_filters(places, years, doc_ids),
        wording=True if wording else None,
    )
    conversation = conversation.after(r, len(answer.citations) or len(answer.related))
    resolved = r.question if r.followup and r.question != question else None
    missed = None
    if wording and answer.found and answer.kind != "wording":
        plan = engine.plan(r.question)
        missed = "”“".join(plan.quoted) or plan.core
    reply = render.answer_html(
        answer,
        text_getter(engine),
        resolved=resolved,
        offset=r.offset,
        filters=filters_label(engine, places, years, doc_ids),
        wording_missed=missed,
    )
    history += [
        {"role": "user", "content": render.user_html(question)},
        {"role": "assistant", "content": reply},
    ]
    return history, conversation, ""


# --- the source viewer -----------------------------------------------------------------------------------


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
    """The source viewer for a document of the loaded index, looked up only by id (never by path)."""
    return render.source_html(engine.document(str(doc_id)) if doc_id else None, start, end)


def view_source(engine: Engine, request: str) -> str:
    """Handler of 查看原文: parse the card's request and render the source viewer."""
    parsed = parse_source_request(request)
    if parsed is None:
        return render.BAD_SOURCE_REQUEST
    return source_html(engine, *parsed)


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


def corpus_status_html(engine: Engine) -> str:
    """Sidebar 文库 panel of the engine's loaded index (`sidebar.corpus_status_html`)."""
    manifest = engine.state.store.manifest
    counts = manifest.counts
    return sidebar.corpus_status_html(
        engine.documents,
        counts.get("documents", len(engine.documents)),
        counts.get("passages", len(engine.passages)),
        manifest.build_time,
        engine.status,
        [str(s.reason) for s in engine.skipped],
    )


# --- uploads ---------------------------------------------------------------------------------------------


def file_name_and_path(f: Any) -> tuple[str, Path]:
    """A Gradio upload (path string, FileData-like object or dict) → (original name, its temporary file)."""
    if isinstance(f, dict):
        path = f.get("path") or f.get("name")
        name = f.get("orig_name") or Path(str(path)).name
    else:
        path = getattr(f, "path", None) or getattr(f, "name", None) or f
        name = getattr(f, "orig_name", None) or Path(str(path)).name
    return str(name), Path(str(path))


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


def upload(engine: Engine, files: Sequence[Any] | None, poll: float = 0.2) -> Iterator[tuple]:
    """Add uploaded files to the corpus and re-index in a background thread, reporting progress.

    Each file is checked and moved from Gradio's temporary folder into the corpus by
    `accept_upload` (a file that cannot be read is refused with the reason and deleted);
    `engine.refresh` then runs in its own thread while this generator yields status updates. The
    current index keeps answering questions until the new one is installed; when the build fails,
    the files just added are withdrawn from the corpus and the failure is reported.

    Yields:
        (upload status HTML, places update, years update, documents update, corpus status HTML,
        file input value) — the filter updates are empty until the new index is in.
    """
    skip = gr.update()
    report = sidebar.upload_html
    files = [f for f in (files or []) if f]
    if not files:
        yield report([("info", "请选择要上传的文件。")]), skip, skip, skip, skip, skip
        return
    lines: list[tuple[str, str]] = []
    added = []
    for f in files:
        try:
            name, path = file_name_and_path(f)
        except OSError as e:
            lines.append(("bad", f"✗ 无法读取上传的文件：{e}"))
            continue
        try:
            stored = accept_upload(path, storable_name(name), engine.settings.corpus_dir, tidy_parent=True)
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
        yield report(lines), skip, skip, skip, skip, None
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
            if engine.build_error:  # the old index still serves: say the upload did not make it
                result["error"] = engine.build_error
        except Exception as e:  # the old index keeps serving; say what went wrong
            result["error"] = f"{type(e).__name__}: {e}"

    worker = threading.Thread(target=build, name="policyqa-refresh", daemon=True)
    worker.start()
    started = time.monotonic()
    while worker.is_alive():
        label = f"正在更新索引（{time.monotonic() - started:.0f} 秒）：{stage['label']}；更新期间仍可照常提问"
        yield report(lines, (label, stage["frac"])), skip, skip, skip, skip, skip
        worker.join(poll)
    if "error" in result:
        withdrawn = withdraw(added)
        lines.append(("bad", f"✗ 更新索引失败，仍使用原来的索引：{result['error']}"))
        if withdrawn:
            lines.append(("bad", f"✗ 未收录 {'、'.join(withdrawn)}：已从文库撤回，请稍后重新上传"))
        yield report(lines), skip, skip, skip, corpus_status_html(engine), None
        return
    titles = [
        shown_title(d.meta.title, d.doc_id)
        for d in engine.documents
        if Path(d.path).name in {p.name for p in added}
    ]
    lines.append(("ok", "索引已更新，可以提问了" + (f"：{'、'.join(titles)}" if titles else "")))
    yield (report(lines), *filter_updates(engine), corpus_status_html(engine), None)
