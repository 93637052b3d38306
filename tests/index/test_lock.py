"""Tests for index.lock and the build lock around index.build.build_index (issue 13, failure 1)."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from index import store
from index.build import build_index
from index.lock import BuildLock, IndexBusy, holder_of, pid_alive
from index.store import current_build_id, load_build, remove_abandoned
from qa.ingest.corpus import Corpus


def test_a_second_holder_is_refused_with_who_holds_it(tmp_path: Path) -> None:
    with BuildLock(tmp_path):
        assert holder_of(tmp_path)["pid"] == os.getpid()
        # flock belongs to the open file: a second open in the same process conflicts too
        with pytest.raises(IndexBusy, match=f"进程 {os.getpid()}"), BuildLock(tmp_path, timeout=0):
            pass
    with BuildLock(tmp_path, timeout=0):  # released on exit
        pass


def test_a_waiting_holder_says_so_and_gets_the_lock_when_it_is_released(tmp_path: Path) -> None:
    said: list[str] = []
    got = threading.Event()
    first = BuildLock(tmp_path).__enter__()

    def second() -> None:
        with BuildLock(tmp_path, on_wait=said.append, poll=0.01):
            got.set()

    t = threading.Thread(target=second)
    t.start()
    while not said:  # waits, and says who it waits for
        t.join(0.01)
    assert not got.is_set()
    assert f"进程 {os.getpid()}" in said[0]
    first.__exit__(None, None, None)
    t.join(60)
    assert got.is_set()


def test_the_lock_of_a_killed_process_is_free_at_once(tmp_path: Path) -> None:
    code = (
        "import sys, time; from index.lock import BuildLock\n"
        f"l = BuildLock({str(tmp_path)!r}).__enter__(); print('locked', flush=True); time.sleep(600)"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert p.stdout.readline().strip() == "locked"
        with pytest.raises(IndexBusy, match=f"进程 {p.pid}"), BuildLock(tmp_path, timeout=0):
            pass
    finally:
        p.send_signal(signal.SIGKILL)
        p.wait()
    assert holder_of(tmp_path)["pid"] == p.pid  # the file still names it: stale as a file …
    with BuildLock(tmp_path, timeout=0):  # … but the lock went with the process
        assert holder_of(tmp_path)["pid"] == os.getpid()


def test_only_abandoned_tmp_folders_are_removed(tmp_path: Path) -> None:
    builds = tmp_path / "builds"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_pid = int(dead.stdout)
    assert not pid_alive(dead_pid)
    names = {
        "ours": f".tmp-20240101-000000-aaaaaa.{os.getpid()}",
        "dead": f".tmp-20240101-000000-bbbbbb.{dead_pid}",
        "old": ".tmp-20240101-000000-cccccc",  # a build of the version before pids were in the name
        "live": ".tmp-20240101-000000-dddddd.1",  # pid 1 is alive and not us: its writer is running
    }
    for n in names.values():
        (builds / n).mkdir(parents=True)
    removed = {p.name for p in remove_abandoned(tmp_path)}
    assert removed == {names["ours"], names["dead"], names["old"]}
    assert [p.name for p in builds.iterdir()] == [names["live"]]


def test_two_builds_at_once_both_finish_and_the_index_is_complete(
    tmp_path: Path, corpus: Corpus, hash_encoder_cls, monkeypatch: pytest.MonkeyPatch, caplog
) -> None:
    """Failure 1: build A is held in the middle of writing its `.tmp-` folder while build B runs.
    Without the lock B finished first and its clean-up deleted A's unfinished folder
    (FileNotFoundError … passages.jsonl in write_build); now B waits for A."""
    index_dir = tmp_path / "index"
    build_index(index_dir, corpus.documents, corpus.passages, encoder=hash_encoder_cls())
    real_save = store.VectorIndex.save
    a_writing, release_a = threading.Event(), threading.Event()

    def held_save(self, path: str) -> None:
        if threading.current_thread().name == "build-a" and not release_a.is_set():
            a_writing.set()
            release_a.wait(120)
        real_save(self, path)

    monkeypatch.setattr(store.VectorIndex, "save", held_save)
    errors: list[BaseException] = []
    done: list[str] = []

    def run(name: str) -> None:
        try:
            path, _ = build_index(index_dir, corpus.documents, corpus.passages, encoder=hash_encoder_cls())
            done.append(path.name)
        except BaseException as e:
            errors.append(e)

    a = threading.Thread(target=run, args=("a",), name="build-a")
    a.start()
    assert a_writing.wait(120)
    assert [p for p in (index_dir / "builds").iterdir() if p.name.startswith(".tmp-")]
    b = threading.Thread(target=run, args=("b",), name="build-b")
    with caplog.at_level(logging.WARNING, logger="policyqa"):
        b.start()
        while b.is_alive() and not any("完成索引构建" in r.getMessage() for r in caplog.records):
            b.join(0.01)  # B either finishes (the old race) or says it waits for A
        release_a.set()
        a.join(120)
        b.join(120)
    assert errors == []
    assert len(done) == 2
    assert current_build_id(index_dir) == done[-1]
    loaded = load_build(index_dir)
    assert len(loaded.passages) == len(corpus.passages)
    assert not [p for p in (index_dir / "builds").iterdir() if p.name.startswith(".tmp-")]


@pytest.mark.slow
def test_two_cli_force_builds_at_once_never_crash(tmp_path: Path) -> None:
    """Failure 1 as an operator meets it: two `policyqa index --force` processes on one folder
    (bench/concurrent_builds.py runs 20 such pairs)."""
    repo = Path(__file__).resolve().parents[2]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy2(repo / "corpus" / "002_82e0708f1ad714c4.txt", corpus)
    env = {
        **os.environ,
        "PYTHONPATH": str(repo),
        "POLICYQA_CORPUS": str(corpus),
        "POLICYQA_INDEX": str(tmp_path / "index"),
    }
    cmd = [sys.executable, "-m", "qa.cli", "index", "--force"]
    procs = [
        subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=600) for p in procs]
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
        assert "Traceback" not in err
    loaded = load_build(tmp_path / "index")
    assert loaded.manifest.counts["documents"] == 1
    assert not [p for p in (tmp_path / "index" / "builds").iterdir() if p.name.startswith(".tmp-")]
