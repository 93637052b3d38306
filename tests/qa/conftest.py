"""Fixtures for engine-level tests: one engine over a copy of the real corpus, built once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qa.engine import Engine
from qa.settings import Settings

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def corpus_copy(tmp_path_factory) -> Path:
    dst = tmp_path_factory.mktemp("corpus")
    for f in (REPO / "corpus").iterdir():
        if f.is_file():
            shutil.copy2(f, dst / f.name)
    return dst


@pytest.fixture(scope="session")
def engine(corpus_copy, tmp_path_factory) -> Engine:
    settings = Settings(corpus_dir=corpus_copy, index_dir=tmp_path_factory.mktemp("index"))
    return Engine.open(settings)


@pytest.fixture(scope="session")
def doc_ids(engine) -> dict[str, str]:
    """Short name → doc id: 柳城, 某市, 融安, 金坛, 泸州."""
    out = {}
    for d in engine.documents:
        for key in ("柳城", "某市", "融安", "金坛", "泸州"):
            if key in d.meta.title or key in (d.meta.place or "") or key in (d.meta.issuer or ""):
                out.setdefault(key, d.doc_id)
    return out
