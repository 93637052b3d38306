"""Fixtures for the UI tests: engines over tmp copies of the real corpus (uploads never touch the repo)."""

from __future__ import annotations

import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from qa.engine import Engine
from qa.settings import Settings

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"


def copy_corpus(dst: Path) -> Path:
    """Copy the repo's corpus files (keeping mtimes, so a copied index stays current) and make them writable."""
    dst.mkdir(parents=True, exist_ok=True)
    for f in (REPO / "corpus").iterdir():
        if f.is_file():
            shutil.copy2(f, dst / f.name)
            (dst / f.name).chmod(stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IROTH)
    return dst


@pytest.fixture(scope="session")
def ui_built(tmp_path_factory, use_encoder) -> tuple[Path, Path, Engine]:
    """A corpus copy, its index folder (built once) and an engine serving it. Read-only for tests."""
    root = tmp_path_factory.mktemp("ui")
    corpus = copy_corpus(root / "corpus")
    index = root / "index"
    engine = Engine.open(Settings(corpus_dir=corpus, index_dir=index), encoder=use_encoder)
    return corpus, index, engine


@pytest.fixture(scope="session")
def ui_engine(ui_built) -> Engine:
    """The shared engine: tests must not add documents to it (use `fresh_engine`)."""
    return ui_built[2]


@pytest.fixture(scope="session")
def engine_copy(ui_built, use_encoder) -> Callable[[Path], Engine]:
    """A factory: an engine of its own in a folder, over copies of the corpus and the built index (~1 s)."""
    _, index, _ = ui_built

    def make(folder: Path) -> Engine:
        corpus = copy_corpus(folder / "corpus")
        shutil.copytree(index, folder / "index")
        return Engine.open(Settings(corpus_dir=corpus, index_dir=folder / "index"), encoder=use_encoder)

    return make


@pytest.fixture
def fresh_engine(engine_copy, tmp_path) -> Engine:
    """An engine of its own, for tests that add documents."""
    return engine_copy(tmp_path)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """tests/artifacts/ (git-ignored): screenshots of the browser tests."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
