"""The sidebar's HTML — the 文库 status and the upload report — from pure functions of plain values.

Example:
    >>> plain_status("已重建索引：还没有索引；5 个文档，306 段，新编码 306 段，复用 0 段，用时 12.5 秒")
    '文库已更新：5 个文件，306 段（用时 12.5 秒）'
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.types import Document
from qa.query import shown_place
from qa.web.render import esc, meta_line

_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:[+-]\d{4})?")
# The statuses `qa.library.Library.refresh` writes (for the command line), said for a clerk.
_REBUILT = re.compile(
    r"^已重建索引：[^；]*；(\d+) 个文档，(\d+) 段，新编码 \d+ 段，复用 \d+ 段，用时 ([\d.]+) 秒$"
)
_FAILED = re.compile(r"^更新索引失败（.*），继续使用 (.+) 的索引$", re.S)


def when(build_time: str) -> str:
    """An ISO build time as a date and minute, China time unmarked: "2026-12-01 07:55 (UTC)"."""
    m = re.match(r"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2})?([+-]\d{4})?", build_time or "")
    if not m:
        return build_time or "未知"
    zone = {"+0000": " (UTC)", "+0800": ""}.get(m.group(3) or "", f" ({m.group(3)})" if m.group(3) else "")
    return f"{m.group(1)} {m.group(2)}{zone}"


def plain_status(status: str) -> str:
    """The last refresh's status in a clerk's words (no encoder counts, no reasons for engineers)."""
    m = _REBUILT.match(status)
    if m:
        return f"文库已更新：{m.group(1)} 个文件，{m.group(2)} 段（用时 {m.group(3)} 秒）"
    m = _FAILED.match(status)
    if m:
        return f"文库更新没有成功，仍在使用 {m.group(1)} 的版本"
    return status


def corpus_status_html(
    documents: Sequence[Document],
    n_docs: int,
    n_passages: int,
    build_time: str,
    status: str,
    skipped_reasons: Sequence[str] = (),
) -> str:
    """Sidebar 文库 panel: numbers of documents and passages, when the index was built, last status."""
    items = "".join(
        f"<li><span>{esc(d.meta.title)}</span><small>{meta_line(shown_place(d.meta), d.meta.year)}</small></li>"
        for d in documents
    )
    skipped = ""
    if skipped_reasons:
        skipped = (
            "<div class='pqa-status-skip'>未收录：" + "；".join(esc(r) for r in skipped_reasons) + "</div>"
        )
    said = _ISO_TIME.sub(lambda m: when(m.group(0)), plain_status(status))
    return (
        "<div class='pqa-status'>"
        f"<div class='pqa-status-counts'><b>{n_docs}</b> 个文件 · <b>{n_passages}</b> 段</div>"
        f"<div>索引构建于 {esc(when(build_time))}</div>"
        f"<div class='pqa-status-line'>最近一次：{esc(said)}</div>"
        f"{skipped}"
        f"<details><summary>已收录的文件</summary><ul>{items}</ul></details>"
        "</div>"
    )


def upload_html(lines: Sequence[tuple[str, str]], progress: tuple[str, float] | None = None) -> str:
    """The upload report: one line per file (kind "ok", "bad" or "info") and a progress bar."""
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
