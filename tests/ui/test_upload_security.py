"""Uploads through the real handler (`handlers.upload` → `accept_upload`): a size limit, an extension
check, a content check and a sanitized stored name — and a refused file never reaches corpus/."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from qa.uploads import MAX_UPLOAD_BYTES, safe_filename
from qa.web import handlers

BODY = (
    "某县教育局关于加强{tag}安全管理的通知\n"
    "一、总体要求\n"
    "各中小学校组织{tag}活动，必须坚持安全第一的原则，严格执行行前报备制度。\n"
    "二、具体措施\n"
    "{tag}出发前十个工作日，学校须向县教育局基础教育股报备活动方案和应急预案。\n"
)


def corpus_names(engine) -> set[str]:
    """The corpus folder's files (the hidden .uploads staging folder is not part of it)."""
    return {p.name for p in Path(engine.settings.corpus_dir).iterdir() if not p.name.startswith(".")}


def staged(engine) -> list[Path]:
    uploads = Path(engine.settings.corpus_dir) / ".uploads"
    return list(uploads.iterdir()) if uploads.exists() else []


def upload_named(engine, tmp_path: Path, files: list[tuple[str, bytes]]) -> list[tuple]:
    """Upload files under the names a browser would send (Gradio's FileData: path + orig_name)."""
    values = []
    for i, (name, data) in enumerate(files):
        path = tmp_path / f"upload-{i}"
        path.write_bytes(data)
        values.append({"path": str(path), "orig_name": name})
    return list(handlers.upload(engine, values, poll=0.05))


def refusals(status: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(r"<div class='pqa-up-bad'>✗ 未收录 ([^<]*)</div>", status)]


# --- size limit -------------------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_and_never_stored(fresh_engine, tmp_path):
    before = corpus_names(fresh_engine)
    line = "各中小学校组织研学旅行活动，必须坚持安全第一的原则。\n".encode()
    data = line * (MAX_UPLOAD_BYTES // len(line) + 1)  # valid text, just over 20 MB
    assert len(data) > MAX_UPLOAD_BYTES
    steps = upload_named(fresh_engine, tmp_path, [("大文件.txt", data)])
    assert len(steps) == 1  # refused before any index build
    (why,) = refusals(steps[0][0])
    assert why.startswith("大文件.txt: 文件过大")
    assert corpus_names(fresh_engine) == before and not staged(fresh_engine)


def test_the_limit_is_twenty_megabytes():
    assert MAX_UPLOAD_BYTES == 20 * 1024 * 1024


# --- extension and content checks -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("setup.exe", b"MZ\x90\x00" + bytes(500), "不支持的文件类型"),
        ("run.sh", b"#!/bin/sh\nrm -rf /\n", "不支持的文件类型"),
        ("page.php", b"<?php system($_GET['c']); ?>", "不支持的文件类型"),
        ("report.txt.exe", "研学旅行".encode() * 50, "不支持的文件类型"),
        ("no-extension", "研学旅行".encode() * 50, "不支持的文件类型"),
        ("tool.txt", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(range(256)) * 8, ""),  # a program renamed
        ("fake.pdf", "这不是PDF文件，只是改了扩展名的文本。".encode() * 20, ""),
        ("fake.docx", b"PK\x03\x04" + bytes(range(256)) * 4, ""),  # zip magic, not a Word file
        ("random.docx", bytes(range(256)) * 16, ""),
        ("empty.md", b"", ""),
        ("blank.txt", b"   \n\n\t  \n", ""),
        ("scripts.html", b"<html><script>alert(1)</script><style>p{}</style></html>", ""),
    ],
    ids=lambda v: v if (isinstance(v, str) and "." in v) or v == "no-extension" else "",
)
def test_files_failing_the_extension_or_content_check_are_refused_with_a_reason(
    fresh_engine, tmp_path, name, data, reason
):
    before = corpus_names(fresh_engine)
    steps = upload_named(fresh_engine, tmp_path, [(name, data)])
    assert len(steps) == 1
    (why,) = refusals(steps[0][0])
    assert why.split(": ", 1)[0] in (name, safe_filename(name))
    assert len(why.split(": ", 1)[1]) >= 2  # a reason follows the name
    assert reason in why
    assert corpus_names(fresh_engine) == before and not staged(fresh_engine)


def test_a_good_file_and_bad_ones_together_only_the_good_one_is_indexed(fresh_engine, tmp_path):
    steps = upload_named(
        fresh_engine,
        tmp_path,
        [
            ("研学.txt", BODY.format(tag="研学旅行").encode("gb18030")),
            ("x.exe", b"MZ"),
            ("y.pdf", b"%PDF-1.4 broken"),
        ],
    )
    status = steps[-1][0]
    assert "✓ 已接收 研学.txt" in status and "索引已更新" in status
    assert {w.split(":")[0] for w in refusals(status)} == {"x.exe", "y.pdf"}
    assert fresh_engine.ask("研学旅行出发前向哪个股室报备").citations[0].doc_id == "研学"
    assert "x" not in {d.doc_id for d in fresh_engine.documents}


# --- stored names -----------------------------------------------------------------------------------

HOSTILE_NAMES = [
    "../../../../tmp/evil.txt",
    "..\\..\\windows\\win.txt",
    "/etc/cron.d/job.txt",
    ".bashrc.txt",
    "...hidden.md",
    "a\x00b.txt",
    "<script>alert(1)</script>.md",
    "name with spaces; rm -rf ~.txt",
    "$(reboot)`id`.txt",
    "a" * 300 + ".txt",
    "长" * 60 + ".txt",
    "长" * 300 + ".txt",
    "catalog.toml.txt",
    "ＦＵＬＬ／ｗｉｄｔｈ.txt",
]


def test_stored_names_are_sanitized_and_stay_inside_the_corpus(fresh_engine, tmp_path):
    corpus = Path(fresh_engine.settings.corpus_dir).resolve()
    outside = {p: p.exists() for p in (Path("/tmp/evil.txt"), Path("/etc/cron.d/job.txt"))}
    files = [(name, BODY.format(tag=f"研学旅行{i}号").encode()) for i, name in enumerate(HOSTILE_NAMES)]
    before = corpus_names(fresh_engine)
    steps = upload_named(fresh_engine, tmp_path, files)
    status = steps[-1][0]
    assert "索引已更新" in status
    assert not refusals(status)
    new = corpus_names(fresh_engine) - before
    assert len(new) == len(HOSTILE_NAMES)  # every file stored, none overwrote another
    for name in new:
        path = (corpus / name).resolve()
        assert path.parent == corpus  # no folder was created or escaped
        assert not name.startswith(".")  # not hidden (hidden files are never indexed)
        assert re.fullmatch(r"[\w\u4e00-\u9fff.()（）\-]+", name), name
        assert len(name) <= 111
        assert Path(name).suffix in (".txt", ".md")
    assert "catalog.toml" not in new  # the catalog cannot be replaced by an upload
    for p, existed in outside.items():
        assert p.exists() == existed
    assert "<script>" not in status and "&lt;script&gt;" in status  # names are escaped in the status
    assert len(fresh_engine.documents) == 5 + len(HOSTILE_NAMES)
    assert not staged(fresh_engine)


def test_an_upload_never_replaces_an_existing_document(fresh_engine, tmp_path):
    existing = "002_82e0708f1ad714c4.txt"
    original = (Path(fresh_engine.settings.corpus_dir) / existing).read_bytes()
    steps = upload_named(fresh_engine, tmp_path, [(existing, BODY.format(tag="冒名文件").encode())])
    status = steps[-1][0]
    assert "保存为 002_82e0708f1ad714c4-2.txt" in status
    assert (Path(fresh_engine.settings.corpus_dir) / existing).read_bytes() == original


def test_a_long_chinese_file_name_is_shortened_to_a_storable_name(fresh_engine, tmp_path):
    steps = upload_named(fresh_engine, tmp_path, [("长" * 300 + ".txt", BODY.format(tag="长名字").encode())])
    status = steps[-1][0]
    assert "✓ 已接收" in status and "索引已更新" in status
    assert all(len(n.encode()) <= 255 for n in corpus_names(fresh_engine))


# --- issue 13: failed builds and temporary files -------------------------------------------------------


def test_an_upload_whose_index_build_fails_says_so_and_is_withdrawn(fresh_engine, tmp_path, monkeypatch):
    """Failure 5: on a full disk the upload said "✓ 已接收 … 索引已更新，可以提问了"."""
    from index import store

    def full(*a, **k):
        raise OSError("8192 requested and 0 written")

    monkeypatch.setattr(store.np, "save", full)
    before = corpus_names(fresh_engine)
    built_before = fresh_engine.state.store.manifest.build_id
    steps = upload_named(fresh_engine, tmp_path, [("研学.txt", BODY.format(tag="研学旅行").encode())])
    status = html.unescape(steps[-1][0])
    assert "索引已更新" not in status
    assert "✗ 更新索引失败，仍使用原来的索引：磁盘空间不足" in status
    assert "✗ 未收录 研学.txt：已从文库撤回" in status
    assert corpus_names(fresh_engine) == before  # the watcher has nothing to retry
    assert not fresh_engine.changed()
    assert fresh_engine.state.store.manifest.build_id == built_before
    assert fresh_engine.ask("融安县防溺水措施").found


def test_uploads_leave_nothing_in_the_temporary_folder(fresh_engine, tmp_path):
    """Failure 10: every uploaded file, refused ones too, stayed in Gradio's temporary folder."""
    gradio_tmp = tmp_path / "gradio"
    values = []
    for i, (name, data) in enumerate(
        [("研学.txt", BODY.format(tag="研学旅行").encode()), ("x.exe", b"MZ"), ("y.pdf", b"%PDF-1.4 broken")]
    ):
        folder = gradio_tmp / f"{i:040x}"  # one folder per upload, as Gradio makes them
        folder.mkdir(parents=True)
        (folder / name).write_bytes(data)
        values.append({"path": str(folder / name), "orig_name": name})
    status = list(handlers.upload(fresh_engine, values, poll=0.05))[-1][0]
    assert "✓ 已接收 研学.txt" in status and "索引已更新" in status
    assert list(gradio_tmp.iterdir()) == []
    assert not staged(fresh_engine)
    assert (Path(fresh_engine.settings.corpus_dir) / "研学.txt").read_bytes() == BODY.format(
        tag="研学旅行"
    ).encode()


def test_add_document_leaves_no_staging_file(fresh_engine):
    with pytest.raises(Exception, match="不支持的文件类型"):
        fresh_engine.add_document("x.exe", b"MZ")
    stored = fresh_engine.add_document("研学.txt", BODY.format(tag="研学旅行").encode())
    assert stored.name == "研学.txt" and not staged(fresh_engine)


def test_an_old_word_doc_upload_is_read_and_answers(fresh_engine, tmp_path):
    # a published Word 97–2003 file, uploaded as a browser sends it
    real = Path(__file__).resolve().parents[1] / "data/realdocs30/docs"
    data = next(real.glob("*.doc")).read_bytes()
    steps = upload_named(fresh_engine, tmp_path, [("郑州市普通高中招生工作意见.doc", data)])
    status = steps[-1][0]
    assert "✓ 已接收 郑州市普通高中招生工作意见.doc" in status and "索引已更新" in status
    a = fresh_engine.ask("郑州 2015年中招学业成绩总分是多少分")
    assert a.found and any("680分" in c.text for c in a.citations)
