"""Tests for index.store: the on-disk layout, checksum verification and atomic build switching."""

from __future__ import annotations

import errno
import json
import os
import shutil
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from index import store
from index.build import build_index
from index.errors import IndexWriteError, failure_text
from index.manifest import manifest_problems
from index.store import (
    FORMAT_VERSION,
    IndexInvalid,
    StoredIndex,
    corpus_hash,
    current_build_id,
    load_build,
    sha256_file,
)
from qa.ingest.corpus import Corpus

INDEX_FILES = [
    "bm25.npz",
    "documents.jsonl",
    "embed_keys.json",
    "passage_vecs.npy",
    "passages.faiss",
    "passages.jsonl",
    "sent_offsets.npy",
    "sent_vecs.npy",
    "sentences.faiss",
    "vocab.json",
]


def build_dir(index_dir: Path) -> Path:
    build_id = current_build_id(index_dir)
    assert build_id is not None
    return index_dir / "builds" / build_id


def build_ids(index_dir: Path) -> set[str]:
    return {p.name for p in (index_dir / "builds").iterdir()}


@pytest.fixture(scope="module")
def hashed_index(tmp_path_factory: pytest.TempPathFactory, corpus: Corpus, hash_encoder_cls) -> Path:
    """The real corpus indexed with the hash encoder (fast); tests copy it before changing it."""
    index_dir = tmp_path_factory.mktemp("hashed-index")
    build_index(index_dir, corpus.documents, corpus.passages, encoder=hash_encoder_cls())
    return index_dir


@pytest.fixture
def index_copy(hashed_index: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "index"
    shutil.copytree(hashed_index, dst)
    return dst


# --------------------------------------------------------------------------- layout and manifest


def test_build_writes_current_and_a_manifest(built_index: Path, corpus: Corpus) -> None:
    folder = build_dir(built_index)
    assert (built_index / "CURRENT").read_text(encoding="utf-8") == folder.name + "\n"
    assert sorted(p.name for p in folder.iterdir()) == sorted([*INDEX_FILES, "manifest.json"])
    m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert m["format_version"] == FORMAT_VERSION
    assert m["build_id"] == folder.name
    assert m["encoder"] == {"id": "use", "dim": 512}
    assert m["analyzer"] == "char12"
    assert m["bm25"] == {"k1": 1.5, "b": 0.75, "epsilon": 0.25}
    assert m["chunking"]["max_chars"] == 300
    assert m["ann"] == {"passages": "flat", "sentences": "flat", "threshold": 50_000}
    assert m["corpus_hash"] == corpus_hash([(d.doc_id, d.sha256) for d in corpus.documents])
    datetime.strptime(m["build_time"], "%Y-%m-%dT%H:%M:%S%z")
    assert m["counts"]["documents"] == 5
    assert m["counts"]["passages"] == len(corpus.passages)
    assert [d["doc_id"] for d in m["documents"]] == [d.doc_id for d in corpus.documents]
    assert sorted(m["files"]) == INDEX_FILES
    for name, sha in m["files"].items():
        assert sha256_file(folder / name) == sha, name
    assert not list(built_index.glob(".CURRENT.*"))
    assert not [p for p in (built_index / "builds").iterdir() if p.name.startswith(".tmp-")]


def test_loaded_index_holds_the_corpus(stored_index: StoredIndex, corpus: Corpus) -> None:
    assert stored_index.documents == corpus.documents
    assert stored_index.passages == corpus.passages  # texts re-sliced from the documents
    n = len(corpus.passages)
    assert stored_index.passage_vecs.shape == (n, 512)
    assert stored_index.passage_vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(stored_index.passage_vecs, axis=1), 1.0, rtol=1e-4)
    offsets = stored_index.sent_offsets
    assert (
        offsets[0] == 0
        and offsets[-1] == len(stored_index.sent_vecs) == stored_index.manifest.counts["sentences"]
    )
    assert np.all(np.diff(offsets) >= 1)  # every passage has at least one sentence vector
    assert stored_index.passage_index.index.ntotal == n
    assert stored_index.sentence_index.index.ntotal == len(stored_index.sent_vecs)
    assert len(stored_index.embed_keys) == n


def test_corpus_hash_ignores_order_and_sees_changes() -> None:
    a = corpus_hash([("x", "1"), ("y", "2")])
    assert a == corpus_hash([("y", "2"), ("x", "1")])
    assert a != corpus_hash([("x", "1"), ("y", "3")])
    assert a != corpus_hash([("x", "1")])


# --------------------------------------------------------------------------- verification on load


def flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize("damage", [flip_a_byte, truncate], ids=["flipped", "truncated"])
@pytest.mark.parametrize("name", INDEX_FILES)
def test_damaged_file_is_refused_by_name(index_copy: Path, name: str, damage) -> None:
    load_build(index_copy)  # sound before
    damage(build_dir(index_copy) / name)
    with pytest.raises(IndexInvalid) as info:
        load_build(index_copy)
    assert name in str(info.value)
    assert "校验和" in str(info.value)


@pytest.mark.parametrize("name", ["passages.jsonl", "sent_vecs.npy", "passages.faiss"])
def test_missing_file_is_refused_by_name(index_copy: Path, name: str) -> None:
    (build_dir(index_copy) / name).unlink()
    with pytest.raises(IndexInvalid, match=f"缺失：{name}"):
        load_build(index_copy)


def test_damaged_manifest_is_refused(index_copy: Path) -> None:
    truncate(build_dir(index_copy) / "manifest.json")
    with pytest.raises(IndexInvalid, match=r"manifest\.json"):
        load_build(index_copy)
    (build_dir(index_copy) / "manifest.json").unlink()
    with pytest.raises(IndexInvalid, match=r"manifest\.json"):
        load_build(index_copy)


def rewrite_manifest(folder: Path, **changes) -> None:
    path = folder / "manifest.json"
    m = json.loads(path.read_text(encoding="utf-8"))
    m.update(changes)
    path.write_text(json.dumps(m), encoding="utf-8")


def test_other_format_version_is_refused(index_copy: Path) -> None:
    rewrite_manifest(build_dir(index_copy), format_version=FORMAT_VERSION + 1)
    with pytest.raises(IndexInvalid, match="格式版本"):
        load_build(index_copy)


def test_files_that_disagree_on_counts_are_refused(index_copy: Path) -> None:
    # A consistent checksum but one passage fewer: the files no longer line up.
    folder = build_dir(index_copy)
    path = folder / "passages.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")
    m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    rewrite_manifest(folder, files={**m["files"], "passages.jsonl": sha256_file(path)})
    with pytest.raises(IndexInvalid, match="条目数不一致"):
        load_build(index_copy)


def test_no_index_and_dangling_current_are_refused(tmp_path: Path, index_copy: Path) -> None:
    with pytest.raises(IndexInvalid, match="还没有索引"):
        load_build(tmp_path / "nothing")
    (index_copy / "CURRENT").write_text("20000101-000000-gone00\n", encoding="utf-8")
    with pytest.raises(IndexInvalid, match="20000101-000000-gone00"):
        load_build(index_copy)


# --------------------------------------------------------------------------- atomic switching


def test_leftover_tmp_build_is_ignored_then_pruned(index_copy: Path, corpus: Corpus, hash_encoder) -> None:
    serving = current_build_id(index_copy)
    killed = index_copy / "builds" / ".tmp-20240101-000000-dead00"
    killed.mkdir()
    (killed / "passages.jsonl").write_text('{"half": ', encoding="utf-8")
    assert load_build(index_copy).manifest.build_id == serving
    build_index(index_copy, corpus.documents, corpus.passages, encoder=hash_encoder)
    assert not killed.exists()
    assert build_ids(index_copy) == {serving, current_build_id(index_copy)}


def test_crash_while_writing_keeps_the_previous_build_serving(
    index_copy: Path, corpus: Corpus, hash_encoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    serving = current_build_id(index_copy)

    def crash(self, path: str) -> None:
        raise OSError("disk full")

    with monkeypatch.context() as m:
        m.setattr(store.VectorIndex, "save", crash)
        with pytest.raises(OSError, match="disk full"):
            build_index(index_copy, corpus.documents, corpus.passages, encoder=hash_encoder)
    assert current_build_id(index_copy) == serving
    assert load_build(index_copy).manifest.build_id == serving
    # issue 13: the failed build removes its own folder at once (it used to wait for the next build)
    assert build_ids(index_copy) == {serving}
    build_index(index_copy, corpus.documents, corpus.passages, encoder=hash_encoder)
    assert build_ids(index_copy) == {serving, current_build_id(index_copy)}


def test_crash_before_current_is_replaced_keeps_the_previous_build(
    index_copy: Path, corpus: Corpus, hash_encoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    serving = current_build_id(index_copy)
    real_replace = os.replace

    def crash(src, dst):
        if Path(dst).name == "CURRENT":
            raise OSError("power cut")
        return real_replace(src, dst)

    with monkeypatch.context() as m:
        m.setattr(store.os, "replace", crash)
        with pytest.raises(OSError, match="power cut"):
            build_index(index_copy, corpus.documents, corpus.passages, encoder=hash_encoder)
    assert (index_copy / "CURRENT").read_text(encoding="utf-8").strip() == serving
    assert load_build(index_copy).manifest.build_id == serving


def test_previous_build_stays_loadable_until_pruned(tmp_path: Path, corpus: Corpus, hash_encoder) -> None:
    index_dir = tmp_path / "index"
    docs, passages = corpus.documents, corpus.passages
    first, _ = build_index(index_dir, docs, passages, encoder=hash_encoder)
    second, _ = build_index(index_dir, docs, passages, encoder=hash_encoder)
    assert current_build_id(index_dir) == second.name != first.name
    assert (index_dir / "PREVIOUS").read_text(encoding="utf-8").strip() == first.name
    # A reader that opened the first build before the switch can still load it.
    assert load_build(index_dir, first.name).manifest.build_id == first.name
    assert load_build(index_dir).manifest.build_id == second.name
    third, _ = build_index(index_dir, docs, passages, encoder=hash_encoder)
    assert build_ids(index_dir) == {second.name, third.name}
    with pytest.raises(IndexInvalid):
        load_build(index_dir, first.name)
    assert not list(index_dir.glob(".CURRENT.*"))


# --------------------------------------------------------------------------- issue 13: every byte checked


def current_bit_flips(index_dir: Path) -> list[bytes]:
    raw = (index_dir / "CURRENT").read_bytes()
    return [
        raw[:i] + bytes([raw[i] ^ (1 << bit)]) + raw[i + 1 :] for i in range(len(raw)) for bit in range(8)
    ]


def test_any_flipped_bit_in_current_is_refused_as_invalid(index_copy: Path) -> None:
    """Failure 2: a flipped bit in CURRENT raised UnicodeDecodeError on every run."""
    flips = current_bit_flips(index_copy)
    assert len(flips) == 8 * len(current_build_id(index_copy) + "\n")
    for raw in flips:
        (index_copy / "CURRENT").write_bytes(raw)
        try:
            loaded = load_build(index_copy)
        except IndexInvalid as e:
            assert "CURRENT" in str(e)
            continue
        # the final newline flipped into other whitespace leaves the same id: the sound build
        assert raw.strip() == loaded.manifest.build_id.encode()


def _edit_manifest(folder: Path, edit) -> None:
    path = folder / "manifest.json"
    m = json.loads(path.read_text(encoding="utf-8"))
    edit(m)
    path.write_text(json.dumps(m, ensure_ascii=False, indent=1), encoding="utf-8")


def _flip_hex(s: str) -> str:
    return s[:10] + ("0" if s[10] != "0" else "1") + s[11:]


MANIFEST_EDITS = {
    "encoder null": lambda m: m.update(encoder=None),
    "bm25 null": lambda m: m.update(bm25=None),
    "ann null": lambda m: m.update(ann=None),
    "files empty": lambda m: m.update(files={}),
    "a file not listed": lambda m: m["files"].pop("passage_vecs.npy"),
    "an extra file listed": lambda m: m["files"].update({"x.npy": "0" * 64}),
    "documents sha256 flipped": lambda m: m["documents"][0].update(
        sha256=_flip_hex(m["documents"][0]["sha256"])
    ),
    "a document dropped": lambda m: m["documents"].pop(),
    "counts changed": lambda m: m["counts"].update(passages=m["counts"]["passages"] + 1),
    "corpus hash flipped": lambda m: m.update(corpus_hash=_flip_hex(m["corpus_hash"])),
    "build time edited": lambda m: m.update(build_time="2030-01-01T00:00:00+0000"),
    "encoder renamed": lambda m: m["encoder"].update(id="other"),
    "unknown field": lambda m: m.update(extra=1),
    "checksum removed": lambda m: m.pop("checksum"),
}


@pytest.mark.parametrize("edit", MANIFEST_EDITS.values(), ids=MANIFEST_EDITS.keys())
def test_manifest_edits_are_refused(index_copy: Path, edit) -> None:
    """Failure 3: "encoder": null / "bm25": null raised a TypeError; "files": {} turned checksum
    checking off; a flipped byte of documents[].sha256 went unnoticed."""
    _edit_manifest(build_dir(index_copy), edit)
    with pytest.raises(IndexInvalid, match=r"manifest\.json"):
        load_build(index_copy)


def test_random_vectors_with_an_emptied_file_list_are_refused(index_copy: Path) -> None:
    """Failure 3 as found: passage vectors overwritten with random numbers and "files": {} were
    served as "索引已是最新"."""
    folder = build_dir(index_copy)
    vecs = np.load(folder / "passage_vecs.npy")
    rng = np.random.default_rng(0)
    np.save(folder / "passage_vecs.npy", rng.random(vecs.shape, dtype=np.float32), allow_pickle=False)
    _edit_manifest(folder, lambda m: m.update(files={}))
    with pytest.raises(IndexInvalid):
        load_build(index_copy)
    # and with the file list kept but the checksum of the changed file re-entered: the manifest's own
    # checksum no longer matches
    _edit_manifest(folder, lambda m: m.update(files={n: sha256_file(folder / n) for n in INDEX_FILES}))
    with pytest.raises(IndexInvalid, match="校验和不符"):
        load_build(index_copy)


def test_manifest_problems_names_the_bad_fields() -> None:
    assert manifest_problems({"format_version": FORMAT_VERSION})[:3] == [
        "package_version",
        "build_id",
        "build_time",
    ]
    assert "files" in manifest_problems({"files": {"a": "0" * 64}})


# --------------------------------------------------------------------------- issue 13: full disk

ENOSPC = OSError(errno.ENOSPC, "No space left on device")


def _write_steps() -> list[str]:
    return [
        "documents.jsonl",
        "passages.jsonl",
        "bm25.npz",
        "vocab.json",
        "passage_vecs.npy",
        "sent_vecs.npy",
        "sent_offsets.npy",
        "embed_keys.json",
        "passages.faiss",
        "sentences.faiss",
        "manifest.json",
        "fsync",
        "PREVIOUS",
        ".CURRENT",
    ]


@pytest.mark.parametrize("step", _write_steps())
@pytest.mark.parametrize("error", ["ENOSPC", "numpy short write"])
def test_disk_full_at_any_write_keeps_the_old_index_and_leaves_nothing(
    index_copy: Path, corpus: Corpus, hash_encoder, monkeypatch: pytest.MonkeyPatch, step: str, error: str
) -> None:
    """Failure 4: a full disk left the `.tmp-` folder behind (one more per retry) and raised a bare
    "OSError: … requested and … written"."""
    serving = current_build_id(index_copy)
    exc = ENOSPC if error == "ENOSPC" else OSError("8192 requested and 0 written")
    if step == "fsync":
        monkeypatch.setattr(store, "_fsync_dir", lambda path: (_ for _ in ()).throw(exc))
    else:
        real_open = Path.open
        real_save = store.VectorIndex.save
        real_np_save, real_savez = store.np.save, store.np.savez

        def failing(name) -> bool:
            n = Path(str(name)).name
            return n == step or (step.startswith(".") and n.startswith(step)) or n.startswith(f".{step}.")

        def open_(self, mode="r", *a, **k):
            if "w" in mode and failing(self):
                raise exc
            return real_open(self, mode, *a, **k)

        def save(self, path):
            if failing(path):
                raise RuntimeError("Error in faiss::FileIOWriter: write error: No space left on device")
            return real_save(self, path)

        def np_save(file, *a, **k):
            if failing(file):
                raise exc
            return real_np_save(file, *a, **k)

        def np_savez(file, *a, **k):
            if failing(file):
                raise exc
            return real_savez(file, *a, **k)

        monkeypatch.setattr(Path, "open", open_)
        monkeypatch.setattr(store.VectorIndex, "save", save)
        monkeypatch.setattr(store.np, "save", np_save)
        monkeypatch.setattr(store.np, "savez", np_savez)
    # PREVIOUS is written only when CURRENT changes from one build to another: it does here
    with pytest.raises(IndexWriteError, match="磁盘空间不足") as info:
        build_index(index_copy, corpus.documents, corpus.passages, encoder=hash_encoder)
    monkeypatch.undo()
    assert info.value.errno == errno.ENOSPC
    assert current_build_id(index_copy) == serving
    assert build_ids(index_copy) == {serving}  # no .tmp-, no half-installed build
    assert not list(index_copy.glob(".CURRENT.*")) and not list(index_copy.glob(".PREVIOUS.*"))
    assert load_build(index_copy).manifest.build_id == serving


def test_failure_text_is_plain() -> None:
    assert failure_text(OSError("8192 requested and 0 written")).startswith("磁盘空间不足")
    assert failure_text(ValueError("x")) == "ValueError: x"
