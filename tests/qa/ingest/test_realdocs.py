"""Ingestion of real published documents of other bureaus against a truth table read by hand.

tests/data/realdocs/docs holds 16 documents as published (web pages with their site chrome, scraped
text files); truth.json gives each one's metadata, strings of its site chrome and strings of its
own text. A metadata field is right, or empty — never another value (an invented field).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from qa.ingest.chrome import is_toc_line
from qa.ingest.clean import is_title_like
from qa.ingest.corpus import Corpus, load_corpus
from qa.ingest.structure import is_fragment

DATA = Path(__file__).resolve().parents[2] / "data" / "realdocs"
DOCS = DATA / "docs"
TRUTH = json.loads((DATA / "truth.json").read_text(encoding="utf-8"))
FIELDS = ("title", "issuer", "province", "city", "county", "year", "date")


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(DOCS)


def _field_results(corpus: Corpus) -> dict[str, dict[str, list[str]]]:
    out: dict[str, dict[str, list[str]]] = {f: {"right": [], "empty": [], "wrong": []} for f in FIELDS}
    for name, truth in TRUTH.items():
        doc = corpus.document(Path(name).stem)
        assert doc is not None, name
        sources = corpus.meta_sources[doc.doc_id]
        for f in FIELDS:
            got, want = getattr(doc.meta, f), truth.get(f)
            if f == "title" and sources.get("title") == "文件名":
                got = None  # the file name standing in for a missing title is marked, not claimed
            if got == want:
                out[f]["right"].append(name)
            elif got is None:
                out[f]["empty"].append(name)
            else:
                out[f]["wrong"].append(f"{name}: {got!r} ≠ {want!r}")
    return out


def test_every_document_is_read(corpus: Corpus) -> None:
    assert not corpus.skipped
    assert len(corpus.documents) == len(TRUTH)


def test_no_metadata_field_is_invented(corpus: Corpus) -> None:
    wrong = [w for r in _field_results(corpus).values() for w in r["wrong"]]
    assert wrong == []


def test_metadata_is_right_on_95_percent_of_fields(corpus: Corpus) -> None:
    results = _field_results(corpus)
    right = sum(len(r["right"]) for r in results.values())
    total = len(TRUTH) * len(FIELDS)
    assert right / total >= 0.95, {f: r["empty"] for f, r in results.items() if r["empty"]}


def test_each_field_has_a_source(corpus: Corpus) -> None:
    for doc in corpus.documents:
        sources = corpus.meta_sources[doc.doc_id]
        for f in FIELDS:
            if getattr(doc.meta, f) is not None:
                assert f in sources, (doc.doc_id, f)


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_document_text_is_kept(corpus: Corpus, name: str) -> None:
    doc = corpus.document(Path(name).stem)
    text = _key(doc.text)
    for example in TRUTH[name]["body_examples"]:
        assert _key(example) in text, example


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_no_passage_is_chrome_toc_attachment_list_or_bare_heading(corpus: Corpus, name: str) -> None:
    doc_id = Path(name).stem
    chrome = [_key(c) for c in TRUTH[name].get("chrome_examples") or []]
    passages = [p for p in corpus.passages if p.doc_id == doc_id]
    assert passages
    for p in passages:
        text = _key(p.text)
        assert not any(c in text for c in chrome), p.text
        for line in p.text.split("\n"):
            assert not is_toc_line(line.strip()), p.text
        assert not re.match(r"^附\s*件?\s*\d*[：:]?\s*$", p.text.strip()), p.text
        assert not re.search(r"\.(docx?|pdf|xlsx?)\s*$", p.text), p.text
        # a heading, a title or any short line that is no sentence is a breadcrumb or part of a
        # neighbouring passage, never a citable passage of its own
        single = p.text.strip()
        if "\n" not in single:
            assert not is_fragment(single), p.text
            assert not (is_title_like(single) and not re.search(r"[。；！？：:]$", single)), p.text
