"""Issue 13 through the engine and the command line: damaged CURRENT and manifest, a full disk,
a failing re-index that the corpus watcher retries. Store-level cases: tests/index/test_store.py."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

import qa.library
from index import store
from index.store import current_build_id, load_build
from qa.engine import Engine
from qa.settings import Settings
from qa.watcher import retry_delay, watch_loop

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
RUAN_AN = "002_82e0708f1ad714c4.txt"
LUZHOU = "004_9f55be01de2550e3.txt"


@pytest.fixture(scope="module")
def one_doc(tmp_path_factory, use_encoder) -> Settings:
    """融安 2024 alone, indexed once; tests work on copies."""
    root = tmp_path_factory.mktemp("one-doc")
    (root / "corpus").mkdir()
    shutil.copy2(REPO / "corpus" / RUAN_AN, root / "corpus" / RUAN_AN)
    settings = Settings(corpus_dir=root / "corpus", index_dir=root / "index")
    Engine.open(settings, encoder=use_encoder)
    return settings


@pytest.fixture()
def setup(one_doc, tmp_path) -> Settings:
    shutil.copytree(one_doc.corpus_dir, tmp_path / "corpus")
    shutil.copytree(one_doc.index_dir, tmp_path / "index")
    return Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")


def builds(settings: Settings) -> set[str]:
    return {p.name for p in (Path(settings.index_dir) / "builds").iterdir()}


def serving_folder(settings: Settings) -> Path:
    return Path(settings.index_dir) / "builds" / current_build_id(Path(settings.index_dir))


def disk_full(monkeypatch: pytest.MonkeyPatch) -> None:
    """The next build's first large write fails as numpy reports a full disk (no errno)."""

    def full(*a, **k):
        raise OSError("8192 requested and 0 written")

    monkeypatch.setattr(store.np, "save", full)


# --------------------------------------------------------------------------- failures 2 and 3


def test_a_flipped_bit_in_current_is_named_and_rebuilt(setup, use_encoder):
    """Failure 2: UnicodeDecodeError on every run until CURRENT was edited by hand."""
    path = Path(setup.index_dir) / "CURRENT"
    raw = bytearray(path.read_bytes())
    raw[0] ^= 0x80  # "2" → 0xB2: not UTF-8
    path.write_bytes(bytes(raw))
    engine = Engine.open(setup, encoder=use_encoder)
    assert engine.status.startswith("已重建索引：索引不可用（CURRENT 已损坏")
    assert engine.ask("融安县防溺水措施").found
    assert load_build(Path(setup.index_dir)).manifest.counts["documents"] == 1


@pytest.mark.parametrize(
    "edit",
    [
        lambda m: m.update(encoder=None),
        lambda m: m.update(bm25=None),
        lambda m: m["documents"][0].update(sha256="0" + m["documents"][0]["sha256"][1:]),
    ],
    ids=["encoder null", "bm25 null", "documents sha256"],
)
def test_an_edited_manifest_is_named_and_rebuilt(setup, use_encoder, edit):
    """Failure 3: a traceback, or an edit that went unnoticed."""
    path = serving_folder(setup) / "manifest.json"
    m = json.loads(path.read_text(encoding="utf-8"))
    edit(m)
    path.write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
    engine = Engine.open(setup, encoder=use_encoder)
    assert engine.status.startswith("已重建索引：索引不可用（索引清单 manifest.json")
    assert engine.ask("融安县防溺水措施").found


def test_random_vectors_behind_an_emptied_file_list_are_not_served(setup, use_encoder):
    """Failure 3 as found: served with "索引已是最新"."""
    folder = serving_folder(setup)
    vecs = np.load(folder / "passage_vecs.npy")
    np.save(folder / "passage_vecs.npy", np.random.default_rng(1).random(vecs.shape, dtype=np.float32))
    m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    m["files"] = {}
    (folder / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    engine = Engine.open(setup, encoder=use_encoder)
    assert "索引已是最新" not in engine.status
    assert "manifest.json" in engine.status
    np.testing.assert_allclose(np.linalg.norm(engine.state.store.passage_vecs, axis=1), 1.0, rtol=1e-4)


# --------------------------------------------------------------------------- failures 4 and 5


def test_start_up_on_a_full_disk_serves_the_old_index(setup, use_encoder, monkeypatch):
    """Failure 4: the build failed and the valid old index was not used (ask and UI start-up died);
    the `.tmp-` folder stayed."""
    old = current_build_id(Path(setup.index_dir))
    shutil.copy2(REPO / "corpus" / LUZHOU, Path(setup.corpus_dir) / LUZHOU)  # the corpus changed
    disk_full(monkeypatch)
    engine = Engine.open(setup, encoder=use_encoder)
    assert engine.status.startswith("更新索引失败（磁盘空间不足")
    assert "继续使用" in engine.status
    assert engine.build_error.startswith("磁盘空间不足")
    assert engine.ask("融安县防溺水措施").found
    assert builds(setup) == {old}
    assert current_build_id(Path(setup.index_dir)) == old
    monkeypatch.undo()
    assert engine.refresh().startswith("已重建索引") and engine.build_error == ""
    assert len(engine.documents) == 2


def _cli_with_full_disk(settings: Settings, *args: str) -> subprocess.CompletedProcess:
    code = (
        "import sys, index.store as s\n"
        "def full(*a, **k): raise OSError('8192 requested and 0 written')\n"
        "s.np.save = full\n"
        "from qa.cli import main\n"
        f"sys.exit(main({list(args)!r}))\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "POLICYQA_CORPUS": str(settings.corpus_dir),
        "POLICYQA_INDEX": str(settings.index_dir),
    }
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=600)


@pytest.mark.parametrize("force", [False, True], ids=["index", "index --force"])
def test_cli_index_on_a_full_disk_says_so_and_fails(setup, force):
    old = current_build_id(Path(setup.index_dir))
    shutil.copy2(REPO / "corpus" / LUZHOU, Path(setup.corpus_dir) / LUZHOU)
    p = _cli_with_full_disk(setup, "index", *(["--force"] if force else []))
    assert p.returncode == 1, p.stderr
    assert "磁盘空间不足" in p.stdout + p.stderr
    assert "Traceback" not in p.stderr
    assert builds(setup) == {old} and current_build_id(Path(setup.index_dir)) == old
    ask = _cli_with_full_disk(setup, "ask", "--json", "融安县防溺水措施")  # the old index still answers
    assert ask.returncode == 0, ask.stderr
    assert json.loads(ask.stdout)["found"] is True


class Ticks:
    """A stop Event whose wait() returns at once, recording the waits; "set" after `n` waits."""

    def __init__(self, n: int):
        self.n = n
        self.waits: list[float] = []

    def wait(self, timeout: float) -> bool:
        self.waits.append(timeout)
        return len(self.waits) > self.n


def test_retry_delay_doubles_up_to_the_cap():
    assert [retry_delay(n, 5.0, 300.0) for n in range(9)] == [5, 10, 20, 40, 80, 160, 300, 300, 300]


def test_the_watcher_backs_off_while_re_indexing_fails_and_resets_after_a_success():
    results = iter([True, True, True, False, False, True])
    ticks = Ticks(6)
    assert watch_loop(ticks, lambda: next(results), interval=5.0) == 6
    assert ticks.waits == [5, 10, 20, 40, 5, 5, 10]


def test_the_engine_watcher_backs_off_on_a_full_disk(setup, use_encoder, monkeypatch):
    """Failure 5: the watcher retried every 5–10 s (7 tracebacks, 7 `.tmp-` folders in 30 s)."""
    engine = Engine.open(setup, encoder=use_encoder)
    old = current_build_id(Path(setup.index_dir))
    shutil.copy2(REPO / "corpus" / LUZHOU, Path(setup.corpus_dir) / LUZHOU)
    disk_full(monkeypatch)
    ticks, finished = Ticks(5), threading.Event()
    real_loop = qa.library.watch_loop

    def loop(stop, attempt, **kw):
        real_loop(ticks, attempt, **kw)
        finished.set()

    monkeypatch.setattr(qa.library, "watch_loop", loop)
    engine.watch(interval=5.0)
    assert finished.wait(600)
    assert ticks.waits == [5, 10, 20, 40, 80, 160]  # five failed builds, each wait twice as long
    assert engine.build_error.startswith("磁盘空间不足")
    assert builds(setup) == {old}


def test_disk_full_errno_is_named_too(setup, use_encoder, monkeypatch):
    shutil.copy2(REPO / "corpus" / LUZHOU, Path(setup.corpus_dir) / LUZHOU)
    real = store._write_jsonl

    def full(path, rows):
        real(path, rows)
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(store, "_write_jsonl", full)
    engine = Engine.open(setup, encoder=use_encoder)
    assert engine.build_error.startswith("磁盘空间不足")


# --------------------------------------------------------------------------- failure 6 at start-up


def test_a_restart_with_a_bomb_in_the_corpus_serves(setup, use_encoder):
    """Failure 6: a restart with the bomb in the corpus did not answer HTTP within 90 s."""
    import io
    import zipfile

    import docx

    small = io.BytesIO()
    docx.Document().save(small)
    bomb = Path(setup.corpus_dir) / "bomb.docx"
    para = "<w:p><w:r><w:t>各中小学校要加强防溺水安全教育。</w:t></w:r></w:p>" * 10_000
    with zipfile.ZipFile(small) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                dst.writestr(info, src.read(info))
                continue
            head, _, tail = src.read(info).decode().partition("<w:body>")
            with dst.open("word/document.xml", "w") as f:
                f.write((head + "<w:body>").encode())
                for _ in range(60):  # ~ 51 MB of paragraphs
                    f.write(para.encode())
                f.write(tail.encode())
    assert bomb.stat().st_size < 1 << 20
    engine = Engine.open(setup, encoder=use_encoder)
    assert engine.status.startswith("已重建索引")
    assert [Path(s.path).name for s in engine.skipped] == ["bomb.docx"]
    assert "压缩炸弹" in engine.skipped[0].reason
    assert len(engine.documents) == 1 and len(engine.passages) < 100
    assert engine.ask("融安县防溺水措施").found
