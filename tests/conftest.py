"""Session fixtures shared by the ingestion and index tests: the real corpus, loaded once,
and one index built from it with the default encoder."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.build import build_index
from index.dense import UseEncoder
from index.store import StoredIndex, load_build
from qa.ingest.corpus import Corpus, load_corpus
from qa.types import Document

REPO = Path(__file__).resolve().parents[1]
CORPUS_DIR = REPO / "corpus"

# Short names of the five real documents (the doc id is the file stem).
DOC_IDS = {
    "000": "000_1cc7375600dbb1ea",  # 柳城县教育局2019年教育工作计划
    "001": "001_2534716a63ceacff",  # 某市教育局2019年工作要点 (anonymised)
    "002": "002_82e0708f1ad714c4",  # 2024年融安县教育工作要点
    "003": "003_8c9d520ce41816f3",  # 金坛 2019年上半年工作总结及下半年工作意见
    "004": "004_9f55be01de2550e3",  # 泸州市2014年教育工作要点
}


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS_DIR


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    """The real corpus, cleaned and cut into passages (read-only: tests must not mutate it)."""
    return load_corpus(CORPUS_DIR)


@pytest.fixture(scope="session")
def docs(corpus: Corpus) -> dict[str, Document]:
    """ "000" … "004" → the cleaned Document."""
    out = {}
    for short, doc_id in DOC_IDS.items():
        doc = corpus.document(doc_id)
        assert doc is not None, f"{doc_id} was not ingested"
        out[short] = doc
    return out


@pytest.fixture(scope="session")
def use_encoder() -> UseEncoder:
    """The default encoder; its model loads on first use and is shared by the whole session."""
    return UseEncoder()


@pytest.fixture(scope="session")
def built_index(tmp_path_factory: pytest.TempPathFactory, corpus: Corpus, use_encoder: UseEncoder) -> Path:
    """An index folder built once from the real corpus with the default encoder and analyzer.

    Tests that damage or rebuild an index copy this folder first.
    """
    index_dir = tmp_path_factory.mktemp("real-index")
    build_index(index_dir, corpus.documents, corpus.passages, encoder=use_encoder)
    return index_dir


@pytest.fixture(scope="session")
def stored_index(built_index: Path) -> StoredIndex:
    """The real-corpus index as loaded (and checksum-verified) from disk."""
    return load_build(built_index)
