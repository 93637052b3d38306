"""Reading a corpus folder into cleaned documents and passages, with a report per file."""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from qa.ingest.clean import clean
from qa.ingest.limits import TooLarge, check_passages
from qa.ingest.metadata import DECLARED_TITLE, detect_title, find_meta, org_over_title
from qa.ingest.readers import PAGED_SUFFIXES, SUPPORTED_SUFFIXES, UnreadableFile, read_source
from qa.ingest.structure import passages_for
from qa.types import DocMeta, Document, Passage

CATALOG_NAME = "catalog.toml"
_META_FIELDS = ("title", "issuer", "province", "city", "county", "year", "date", "source")


@dataclass(frozen=True)
class Skipped:
    """A file that was not ingested, and why."""

    path: str
    reason: str


@dataclass
class Corpus:
    documents: list[Document] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    # doc_id → {field: where its value came from (标题行, 落款, 发布时间, 目录文件 …)}
    meta_sources: dict[str, dict[str, str]] = field(default_factory=dict)

    def document(self, doc_id: str) -> Document | None:
        return next((d for d in self.documents if d.doc_id == doc_id), None)


class CatalogError(ValueError):
    """corpus/catalog.toml could not be read: the message names the file and the problem."""


def load_catalog(path: Path) -> dict[str, dict]:
    """Read catalog.toml: ``[documents."file name or stem"]`` tables of metadata fields.

    Example file:
        [documents."004_9f55be01de2550e3"]
        title = "泸州市2014年教育工作要点"
        issuer = "泸州市教育局"
    """
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise CatalogError(f"{path.name}: {e}") from e
    docs = data.get("documents", {})
    out = {}
    for key, entry in docs.items():
        if not isinstance(entry, dict):
            raise CatalogError(f'{path.name}: [documents."{key}"] must be a table')
        unknown = set(entry) - set(_META_FIELDS)
        if unknown:
            raise CatalogError(
                f'{path.name}: [documents."{key}"] has unknown field(s) {sorted(unknown)}; valid: {list(_META_FIELDS)}'
            )
        out[key] = entry
    return out


def apply_catalog(meta: DocMeta, entry: dict | None, sources: dict[str, str] | None = None) -> DocMeta:
    """Catalog values win over detection; an empty string clears a field.

    `sources`, when given, is updated: a field the catalog sets comes from 目录文件.
    """
    if not entry:
        return meta
    if sources is not None:
        for k, v in entry.items():
            if k in _META_FIELDS:
                if v == "" and k != "title":
                    sources.pop(k, None)
                elif v != "":
                    sources[k] = "目录文件"
    values = {k: (v if v != "" else None) for k, v in entry.items() if k in _META_FIELDS}
    if "year" in values and values["year"] is not None:
        values["year"] = int(values["year"])
    if values.get("title") is None:
        values.pop("title", None)
    return replace(meta, **values)


def doc_id_for(path: Path, root: Path) -> str:
    """The file's path under the corpus root without its suffix (stable across runs)."""
    rel = path.relative_to(root).with_suffix("")
    return re.sub(r"[\\/]+", "/", str(rel))


def corpus_files(root: Path) -> list[Path]:
    """Files under root that ingestion considers, sorted; hidden files and the catalog left out."""
    files = []
    for p in sorted(root.rglob("*")):
        hidden = any(part.startswith(".") for part in p.relative_to(root).parts)
        config = p.name == CATALOG_NAME or p.suffix.lower() in {".toml", ".json", ".tsv"}
        if p.is_file() and not hidden and not config:
            files.append(p)
    return files


def ingest_text(
    doc_id: str,
    path: str,
    raw: str,
    *,
    catalog_entry: dict | None = None,
    max_chars: int = 300,
    outside: tuple[str, ...] = (),
    sources: dict[str, str] | None = None,
    heading: str | None = None,
) -> tuple[Document, list[Passage]]:
    """Clean one document's raw text and cut it into passages.

    Args:
        outside: a web page's lines outside its main content (harvested for labels, reported removed).
        sources: filled with where each metadata field came from, when given.
        heading: the title the file declares (a Markdown file's level-1 heading): the title when
            no line reads as one, before the file's name.
    """
    result = clean(raw, outside, paged=Path(path).suffix.lower() in PAGED_SUFFIXES)
    fields = {**result.fields, DECLARED_TITLE: heading} if heading else result.fields
    found = find_meta(result.lines, fields, fallback_title=Path(path).stem)
    if sources is not None:
        sources.update(found.sources)
    meta = apply_catalog(found.meta, catalog_entry, sources)
    text = result.text
    sha = hashlib.sha256((raw + "\n".join(outside)).encode("utf-8")).hexdigest()
    doc = Document(doc_id, path, text, meta, tuple(result.removed), sha)
    title_line = detect_title(result.lines, {})  # the first line, when it is a title line
    if title_line is None and heading and result.lines and result.lines[0] == heading:
        title_line = heading  # a Markdown file's declared title heads no section of its own
    if title_line is None and len(result.lines) > 1 and found.meta.title == org_over_title(result.lines):
        title_line = found.meta.title  # a title set in two lines heads no section either
    if title_line is None and found.sources.get("title") == "封面" and result.lines:
        title_line = result.lines[0]  # a cover's first line (a slogan over the title) heads no section
    return doc, passages_for(doc_id, text, title=title_line, max_chars=max_chars)


def load_corpus(root: str | Path, *, paths: Iterable[Path] | None = None, max_chars: int = 300) -> Corpus:
    """Read every supported file under `root`; unreadable files are reported and skipped.

    Args:
        root: the corpus folder (may hold catalog.toml).
        paths: restrict to these files (default: all files under root).
        max_chars: passage length above which items are split at sentence ends.

    Returns:
        A Corpus with documents, passages in document order, and the skipped files with reasons.

    Raises:
        CatalogError: when catalog.toml exists but cannot be parsed.
    """
    root = Path(root)
    catalog = load_catalog(root / CATALOG_NAME)
    corpus = Corpus()
    seen_hashes: dict[str, str] = {}
    for path in paths if paths is not None else corpus_files(root):
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            corpus.skipped.append(Skipped(str(path), f"不支持的文件类型 {path.suffix or '(无扩展名)'}"))
            continue
        try:
            source = read_source(path)
        except UnreadableFile as e:
            corpus.skipped.append(Skipped(str(path), e.reason))
            continue
        doc_id = doc_id_for(path, root)
        entry = catalog.get(path.name) or catalog.get(doc_id) or catalog.get(path.stem)
        sources: dict[str, str] = {}
        doc, passages = ingest_text(
            doc_id,
            str(path),
            source.text,
            catalog_entry=entry,
            max_chars=max_chars,
            outside=source.outside,
            sources=sources,
            heading=source.heading,
        )
        if doc.sha256 in seen_hashes:
            corpus.skipped.append(Skipped(str(path), f"与 {seen_hashes[doc.sha256]} 内容相同"))
            continue
        if not passages:
            corpus.skipped.append(Skipped(str(path), "没有可检索的正文"))
            continue
        try:
            check_passages(len(passages))
        except TooLarge as e:
            corpus.skipped.append(Skipped(str(path), str(e)))
            continue
        seen_hashes[doc.sha256] = doc_id
        corpus.meta_sources[doc_id] = sources
        corpus.documents.append(doc)
        corpus.passages.extend(passages)
    return corpus
