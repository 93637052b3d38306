"""Fixtures for the UI tests: engines over tmp copies of the real corpus (uploads never touch the repo)."""

from __future__ import annotations

import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from gradio_http import free_port
from playwright.sync_api import sync_playwright

import ui
from qa.engine import Engine
from qa.settings import Settings

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
# Debian's chromium as root, with no network beyond loopback (DEVELOPERS.md / env notes)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


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


@pytest.fixture(scope="module")
def app_url(engine_copy, tmp_path_factory, request):
    """The app on a free loopback port, over its own corpus and index copies (uploads land there);
    one per test module."""
    engine = engine_copy(tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1]))
    demo, url = ui.serve(engine, host="127.0.0.1", port=free_port(), block=False)
    yield url
    demo.close()


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium through playwright (never `playwright install`)."""
    assert CHROMIUM.exists(), "Chromium is needed at /usr/bin/chromium (apt-get install chromium)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()
