"""Ingestion of real published documents of other bureaus against a truth table read by hand.

tests/data/realdocs/docs holds 16 documents as published (web pages with their site chrome, scraped
text files); tests/data/realdocs8/docs 8 text exports of a government site (a crawler's header, then
each page run together on one line); tests/data/realdocs10/docs 6 more, never seen when the code was
written (5 notices of a provincial 教育厅 as a crawler kept them, 1 school page), realdocs11, realdocs12 and
realdocs13 6 more notices of it each, realdocs15 2 more pages of that site, 2 more notices and a city's
plan cut off as a database row stored it. truth.json gives each one's metadata, strings of its site
chrome and strings of its own text. A metadata field is right, or empty — never another value (an
invented field).
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

DATA = Path(__file__).resolve().parents[2] / "data"
FOLDERS = ("realdocs", "realdocs8", "realdocs10", "realdocs11", "realdocs12", "realdocs13", "realdocs15")
TRUTHS = {f: json.loads((DATA / f / "truth.json").read_text(encoding="utf-8")) for f in FOLDERS}
CASES = [(f, name) for f in FOLDERS for name in sorted(TRUTHS[f])]
FIELDS = ("title", "issuer", "province", "city", "county", "year", "date")


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text)


_CORPORA: dict[str, Corpus] = {}


def corpus_of(folder: str) -> Corpus:
    if folder not in _CORPORA:
        _CORPORA[folder] = load_corpus(DATA / folder / "docs")
    return _CORPORA[folder]


@pytest.fixture(scope="module", params=FOLDERS)
def folder(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def corpus(folder: str) -> Corpus:
    return corpus_of(folder)


def _field_results(corpus: Corpus, folder: str) -> dict[str, dict[str, list[str]]]:
    out: dict[str, dict[str, list[str]]] = {f: {"right": [], "empty": [], "wrong": []} for f in FIELDS}
    for name, truth in TRUTHS[folder].items():
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


def test_every_document_is_read(corpus: Corpus, folder: str) -> None:
    assert not corpus.skipped
    assert len(corpus.documents) == len(TRUTHS[folder])


def test_no_metadata_field_is_invented(corpus: Corpus, folder: str) -> None:
    wrong = [w for r in _field_results(corpus, folder).values() for w in r["wrong"]]
    assert wrong == []


def test_metadata_is_right_on_95_percent_of_fields(corpus: Corpus, folder: str) -> None:
    results = _field_results(corpus, folder)
    right = sum(len(r["right"]) for r in results.values())
    total = len(TRUTHS[folder]) * len(FIELDS)
    assert right / total >= 0.95, {f: r["empty"] for f, r in results.items() if r["empty"]}


def test_each_field_has_a_source(corpus: Corpus) -> None:
    for doc in corpus.documents:
        sources = corpus.meta_sources[doc.doc_id]
        for f in FIELDS:
            if getattr(doc.meta, f) is not None:
                assert f in sources, (doc.doc_id, f)


@pytest.mark.parametrize(("folder", "name"), CASES)
def test_document_text_is_kept(folder: str, name: str) -> None:
    doc = corpus_of(folder).document(Path(name).stem)
    text = _key(doc.text)
    for example in TRUTHS[folder][name]["body_examples"]:
        assert _key(example) in text, example


@pytest.mark.parametrize(("folder", "name"), CASES)
def test_no_passage_is_chrome_toc_attachment_list_or_bare_heading(folder: str, name: str) -> None:
    doc_id = Path(name).stem
    chrome = [_key(c) for c in TRUTHS[folder][name].get("chrome_examples") or []]
    passages = [p for p in corpus_of(folder).passages if p.doc_id == doc_id]
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
