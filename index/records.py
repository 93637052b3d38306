"""Documents and passages as JSON lines: the rows of documents.jsonl and passages.jsonl."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from core.types import DocMeta, Document, Passage, Removal


def _doc_to_json(d: Document) -> dict:
    return {
        "doc_id": d.doc_id,
        "path": d.path,
        "text": d.text,
        "meta": asdict(d.meta),
        "removed": [asdict(r) for r in d.removed],
        "sha256": d.sha256,
    }


def _doc_from_json(o: dict) -> Document:
    return Document(
        o["doc_id"],
        o["path"],
        o["text"],
        DocMeta(**o["meta"]),
        tuple(Removal(**r) for r in o["removed"]),
        o["sha256"],
    )


def _passage_to_json(p: Passage) -> dict:
    return {
        "pid": p.pid,
        "doc_id": p.doc_id,
        "start": p.start,
        "end": p.end,
        "section": list(p.section),
        "kind": p.kind,
    }


def _write_jsonl(path: Path, rows) -> None:
    with path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
