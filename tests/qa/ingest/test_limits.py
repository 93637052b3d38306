"""Decompression bombs and over-long documents are refused while reading (issue 13, failure 6)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

from qa.ingest.corpus import load_corpus
from qa.ingest.limits import LIMITS, Limits, TooLarge, check_chars, check_passages, check_zip
from qa.ingest.readers import UnreadableFile, read_text

REPO = Path(__file__).resolve().parents[3]
PARAGRAPH = "<w:p><w:r><w:t>各中小学校要加强防溺水安全教育，落实家校共育责任。</w:t></w:r></w:p>"


def docx_bomb(path: Path, xml_bytes: int, filler: str = PARAGRAPH) -> Path:
    """A real .docx whose word/document.xml expands to about `xml_bytes` (written in blocks)."""
    small = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("防溺水")
    d.save(small)
    with zipfile.ZipFile(small) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                dst.writestr(info, src.read(info))
                continue
            head, _, tail = src.read(info).decode().partition("<w:body>")
            with dst.open("word/document.xml", "w") as f:
                f.write((head + "<w:body>").encode())
                block = (filler * ((1 << 20) // len(filler.encode()) + 1)).encode()
                written = 0
                while written < xml_bytes:
                    f.write(block)
                    written += len(block)
                f.write(tail.encode())  # the original paragraph, section properties, closing tags
    return path


def test_check_zip_counts_what_it_decompresses(tmp_path):
    ok = docx_bomb(tmp_path / "ok.docx", 1 << 20)
    check_zip(ok.read_bytes())
    assert read_text(ok).count("落实家校共育责任") > 9_000  # the generator makes real Word files
    with pytest.raises(TooLarge, match="压缩炸弹"):
        check_zip(ok.read_bytes(), Limits(max_xml_bytes=512 << 10))


def test_a_docx_bomb_is_refused_by_name_before_it_is_parsed(tmp_path, monkeypatch):
    """Failure 6: a 175 KB .docx with a 51 MB document.xml was read: 12.3 M characters, 557,056 passages."""
    bomb = docx_bomb(tmp_path / "bomb.docx", 51 << 20)
    assert bomb.stat().st_size < 1 << 20  # a small file on disk

    def never(*a, **k):
        raise AssertionError("python-docx must not parse a bomb")

    monkeypatch.setattr(docx, "Document", never)
    with pytest.raises(UnreadableFile) as info:
        read_text(bomb)
    assert str(info.value).startswith("bomb.docx: 解压后超过 20 MB 的文字内容")


def test_a_whitespace_bomb_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    bomb = docx_bomb(
        tmp_path / "spaces.docx", 200 << 20, filler="<w:p><w:r><w:t>" + " " * 4000 + "</w:t></w:r></w:p>"
    )
    monkeypatch.setattr(docx, "Document", lambda *a, **k: pytest.fail("parsed"))
    with pytest.raises(UnreadableFile, match="压缩炸弹"):
        read_text(bomb)


@pytest.mark.slow
def test_reading_a_bomb_stays_small_in_memory(tmp_path):
    """The same bomb in a fresh interpreter: peak RSS stays near the interpreter's own
    (it went from 455 MB to 3.8 GB before)."""
    bomb = docx_bomb(tmp_path / "bomb.docx", 51 << 20)
    code = (
        "import resource, sys\n"
        "from qa.ingest.readers import UnreadableFile, read_text\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        f"try:\n    read_text({str(bomb)!r})\nexcept UnreadableFile as e:\n    print(e.reason)\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    reason, grew_kb = out.stdout.splitlines()
    assert "压缩炸弹" in reason
    assert int(grew_kb) < 100 * 1024  # KB: under 100 MB more than the interpreter with its imports


def test_too_many_characters_are_refused(tmp_path):
    f = tmp_path / "long.txt"
    f.write_text("防溺水安全教育。" * (LIMITS.max_chars // 8 + 1), encoding="utf-8")
    with pytest.raises(UnreadableFile, match=r"long\.txt: 文字过多"):
        read_text(f)
    check_chars(LIMITS.max_chars)
    with pytest.raises(TooLarge):
        check_chars(LIMITS.max_chars + 1)


def test_a_document_of_too_many_passages_is_skipped_with_the_reason(tmp_path):
    check_passages(LIMITS.max_passages)
    with pytest.raises(TooLarge, match="段落过多"):
        check_passages(LIMITS.max_passages + 1)
    (tmp_path / "many.txt").write_text(
        "某县教育局工作要点\n" + "".join(f"{i}.加强第{i}项工作。\n" for i in range(1, 6001)), encoding="utf-8"
    )
    (tmp_path / "good.txt").write_text(
        "某县教育局通知\n一、总体要求\n各中小学校要加强防溺水安全教育。\n", encoding="utf-8"
    )
    corpus = load_corpus(tmp_path)
    assert [d.doc_id for d in corpus.documents] == ["good"]
    (skipped,) = corpus.skipped
    assert skipped.path.endswith("many.txt") and skipped.reason.startswith("段落过多")
