"""Tests for index.build: what gets indexed, and vector reuse between builds."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from index.build import build_index, context_text, embed_key, sentences_of
from index.store import load_build
from qa.ingest.corpus import Corpus, load_corpus
from qa.types import DocMeta, Passage


def test_context_text_prefixes_title_place_and_breadcrumb() -> None:
    p = Passage("p", "d", 0, 6, "1.防溺水。", ("一、安全", "1.防溺水"))
    meta = DocMeta(title="2024年融安县教育工作要点", city="柳州市", county="融安县")
    assert context_text(p, meta) == "2024年融安县教育工作要点 柳州市融安县 一、安全 › 1.防溺水 1.防溺水。"
    assert context_text(Passage("p", "d", 0, 2, "正文"), DocMeta(title="T")) == "T 正文"


def test_sentences_of_splits_at_sentence_ends_and_drops_fragments() -> None:
    assert sentences_of("加强安全教育。完善制度；好。落实责任！") == [
        "加强安全教育。",
        "完善制度；",
        "落实责任！",
    ]
    assert sentences_of("没有句末标点的一行") == ["没有句末标点的一行"]
    assert sentences_of("短。") == ["短。"]  # all fragments: the whole text is the one sentence


def test_embed_key_depends_on_encoder_and_text() -> None:
    assert embed_key("use", "a") == embed_key("use", "a")
    assert embed_key("use", "a") != embed_key("st:x", "a")
    assert embed_key("use", "a") != embed_key("use", "b")


def test_rebuild_of_an_unchanged_corpus_encodes_nothing(tmp_path: Path, corpus: Corpus, hash_encoder) -> None:
    _, first = build_index(tmp_path, corpus.documents, corpus.passages, encoder=hash_encoder)
    assert first["encoded"] == first["passages"] == len(corpus.passages)
    hash_encoder.seen.clear()
    _, again = build_index(tmp_path, corpus.documents, corpus.passages, encoder=hash_encoder)
    assert (again["encoded"], again["reused"]) == (0, len(corpus.passages))
    assert hash_encoder.seen == []


def test_another_encoder_reuses_nothing(tmp_path: Path, corpus: Corpus, hash_encoder_cls) -> None:
    build_index(tmp_path, corpus.documents, corpus.passages, encoder=hash_encoder_cls("hash-a"))
    _, stats = build_index(tmp_path, corpus.documents, corpus.passages, encoder=hash_encoder_cls("hash-b"))
    assert stats["encoded"] == len(corpus.passages)
    assert load_build(tmp_path).manifest.encoder == {"id": "hash-b", "dim": 32}


def test_progress_is_reported(tmp_path: Path, corpus: Corpus, hash_encoder) -> None:
    seen = []
    build_index(
        tmp_path,
        corpus.documents,
        corpus.passages,
        encoder=hash_encoder,
        batch=100,
        progress=lambda stage, done, total: seen.append((stage, done, total)),
    )
    n = len(corpus.passages)
    assert seen[0] == ("BM25", 0, n) and ("BM25", n, n) in seen
    vec = [s for s in seen if s[0] == "向量"]
    assert vec[-1] == ("向量", n, n)
    assert len(vec) == -(-n // 100)


def test_one_changed_passage_is_the_only_one_re_encoded(
    built_index: Path, corpus_dir: Path, tmp_path: Path, use_encoder
) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(built_index, index_dir)
    old = load_build(index_dir)
    changed_corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, changed_corpus)
    runan = changed_corpus / "002_82e0708f1ad714c4.txt"
    raw = runan.read_text(encoding="utf-8")
    assert raw.count("游泳安全区域试点建设") == 1  # in item 7 only
    runan.write_text(raw.replace("游泳安全区域试点建设", "游泳安全水域试点建设"), encoding="utf-8")
    new_corpus = load_corpus(changed_corpus)

    _, stats = build_index(index_dir, new_corpus.documents, new_corpus.passages, encoder=use_encoder)
    assert (stats["encoded"], stats["reused"]) == (1, len(new_corpus.passages) - 1)

    new = load_build(index_dir)
    assert new.manifest.build_id != old.manifest.build_id
    assert new.manifest.corpus_hash != old.manifest.corpus_hash
    old_row = {k: i for i, k in enumerate(old.embed_keys)}
    fresh = [i for i, k in enumerate(new.embed_keys) if k not in old_row]
    assert len(fresh) == 1
    assert "游泳安全水域" in new.passages[fresh[0]].text
    for i, key in enumerate(new.embed_keys):
        if i in fresh:
            continue
        j = old_row[key]
        np.testing.assert_array_equal(new.passage_vecs[i], old.passage_vecs[j])
        a, b = new.sent_offsets[i], new.sent_offsets[i + 1]
        c, d = old.sent_offsets[j], old.sent_offsets[j + 1]
        np.testing.assert_array_equal(new.sent_vecs[a:b], old.sent_vecs[c:d])
    j = next(j for j, p in enumerate(old.passages) if "游泳安全区域" in p.text)
    assert not np.allclose(new.passage_vecs[fresh[0]], old.passage_vecs[j])
    assert float(new.passage_vecs[fresh[0]] @ old.passage_vecs[j]) > 0.9  # one word changed


@pytest.mark.parametrize("analyzer", ["char1", "char2"])
def test_analyzer_is_recorded_and_used(tmp_path: Path, corpus: Corpus, hash_encoder, analyzer: str) -> None:
    build_index(
        tmp_path, corpus.documents, corpus.passages, encoder=hash_encoder, analyzer=analyzer, k1=1.2, b=0.5
    )
    m = load_build(tmp_path).manifest
    assert m.analyzer == analyzer
    assert m.bm25 == {"k1": 1.2, "b": 0.5, "epsilon": 0.25}
    vocab = load_build(tmp_path).bm25.vocab
    lengths = {len(t) for t in vocab if all("\u4e00" <= ch <= "\u9fff" for ch in t)}
    assert lengths == ({1} if analyzer == "char1" else {2})
