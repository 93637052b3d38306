"""Tests for qa.ingest.corpus: a folder of files in, documents + passages + skipped files out."""

from __future__ import annotations

import shutil
from pathlib import Path

from qa.ingest.corpus import corpus_files, doc_id_for, ingest_text, load_corpus

PLAN = (
    "2024年融安县教育工作要点\n"
    "一、加强校园安全\n"
    "1.开展防溺水教育。暑期前开展专项教育，守牢防溺水底线。\n"
    "2.落实“双减”政策。提升课后服务质量，做好学生资助工作。\n"
)


def skipped_reasons(corpus) -> dict[str, str]:
    return {Path(s.path).name: s.reason for s in corpus.skipped}


def test_gb18030_text_file_is_ingested(tmp_path: Path) -> None:
    (tmp_path / "要点.txt").write_bytes(PLAN.encode("gb18030"))
    c = load_corpus(tmp_path)
    assert c.skipped == []
    [doc] = c.documents
    assert doc.doc_id == "要点"
    assert doc.text == PLAN.strip()
    assert doc.meta.title == "2024年融安县教育工作要点"
    assert doc.meta.county == "融安县"
    assert [p.text for p in c.passages] == [
        "1.开展防溺水教育。暑期前开展专项教育，守牢防溺水底线。",
        "2.落实“双减”政策。提升课后服务质量，做好学生资助工作。",
    ]
    assert c.passages[0].section == ("一、加强校园安全", "1.开展防溺水教育")


def test_bad_files_are_reported_and_the_others_still_load(tmp_path: Path) -> None:
    (tmp_path / "a_good.txt").write_text(PLAN, encoding="utf-8")
    (tmp_path / "b_binary.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "c_empty.txt").write_bytes(b"")
    (tmp_path / "d_copy.txt").write_text(PLAN, encoding="utf-8")
    (tmp_path / "e_sheet.xlsx").write_bytes(b"PK\x03\x04 not really")
    (tmp_path / "f_good.md").write_text(PLAN.replace("融安县", "柳城县"), encoding="utf-8")
    c = load_corpus(tmp_path)
    assert [d.doc_id for d in c.documents] == ["a_good", "f_good"]
    reasons = skipped_reasons(c)
    assert set(reasons) == {"b_binary.txt", "c_empty.txt", "d_copy.txt", "e_sheet.xlsx"}
    assert "二进制" in reasons["b_binary.txt"]
    assert "空" in reasons["c_empty.txt"]
    assert reasons["d_copy.txt"] == "与 a_good 内容相同"
    assert reasons["e_sheet.xlsx"] == "不支持的文件类型 .xlsx"
    assert {p.doc_id for p in c.passages} == {"a_good", "f_good"}


def test_file_without_suffix_is_skipped_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "README").write_text(PLAN, encoding="utf-8")
    c = load_corpus(tmp_path)
    assert c.documents == []
    assert skipped_reasons(c) == {"README": "不支持的文件类型 (无扩展名)"}


def test_file_with_no_searchable_text_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "nav.txt").write_text("当前位置:首页 >> 计划\n扫一扫在手机打开当前页\n", encoding="utf-8")
    c = load_corpus(tmp_path)
    assert c.documents == []
    assert skipped_reasons(c) == {"nav.txt": "没有可检索的正文"}


def test_hidden_files_and_config_are_not_considered(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(PLAN, encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(PLAN + "隐藏", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("x", encoding="utf-8")
    (tmp_path / "catalog.toml").write_text("", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text(PLAN.replace("融安县", "金坛区"), encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in corpus_files(tmp_path)] == ["a.txt", "sub/b.md"]
    c = load_corpus(tmp_path)
    assert [d.doc_id for d in c.documents] == ["a", "sub/b"]
    assert c.skipped == []


def test_doc_id_is_the_relative_path_without_suffix(tmp_path: Path) -> None:
    assert doc_id_for(tmp_path / "2024" / "要点.docx", tmp_path) == "2024/要点"


def test_paths_restrict_what_is_loaded(tmp_path: Path, corpus_dir: Path) -> None:
    for f in corpus_dir.glob("*.txt"):
        shutil.copy2(f, tmp_path / f.name)
    c = load_corpus(tmp_path, paths=[tmp_path / "002_82e0708f1ad714c4.txt"])
    assert [d.doc_id for d in c.documents] == ["002_82e0708f1ad714c4"]


def test_max_chars_controls_splitting(tmp_path: Path, corpus_dir: Path) -> None:
    shutil.copy2(corpus_dir / "002_82e0708f1ad714c4.txt", tmp_path / "runan.txt")
    fine = load_corpus(tmp_path, max_chars=120).passages
    coarse = load_corpus(tmp_path, max_chars=2000).passages
    assert len(fine) > len(coarse)
    assert not any(p.kind.endswith("_part") for p in coarse)


def test_ingest_text_records_the_raw_sha_and_removals() -> None:
    raw = "当前位置:首页\n" + PLAN
    doc, passages = ingest_text("x", "x.txt", raw)
    assert len(doc.sha256) == 64
    assert [r.reason for r in doc.removed] == ["导航路径"]
    assert all(doc.text[p.start : p.end] == p.text for p in passages)


def test_real_corpus_loads_all_five_without_skips(corpus) -> None:
    assert corpus.skipped == []
    assert [d.doc_id[:3] for d in corpus.documents] == ["000", "001", "002", "003", "004"]


def test_yaml_front_matter_gives_the_title_and_year_and_is_not_text(tmp_path):
    # realdocs51: the title was "doc: 学生奖励管理办法.md" until the front matter was read as fields
    md = "---\ndoc: 学生奖励管理办法.md\nversion: 2025-11-06\nsource: 广东交通职业技术学院\n---\n\n## 第一条\n为营造优良学风，鼓励学生刻苦学习、积极进取，修订本办法。\n"
    (tmp_path / "01.md").write_text(md, encoding="utf-8")
    (d,) = load_corpus(tmp_path).documents
    assert d.meta.title == "学生奖励管理办法" and d.meta.year == 2025
    assert "doc:" not in d.text and "version" not in d.text


def test_a_markdown_files_one_top_heading_is_its_title_though_it_names_no_genre(tmp_path: Path) -> None:
    # realdocs94: the page's title 服兵役高等学校学生国家教育资助政策 names no genre (办法, 通知 …) and a
    # 发文字号 stands under it, so no line read as the title and the file's name was shown instead;
    # realdocs79's handbook chapters (# （四）户外安全) likewise. A file of several level-1 headings is
    # a handbook's chapters: none of them titles it
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "01_bupt_zhengbing_2020.md").write_text(
        "# 服兵役高等学校学生国家教育资助政策\n\n（校发〔2020〕12号）\n\n## 第一章 总则\n\n第一条\n\n"
        "为鼓励支持在校学生参军入伍，规范我校征兵工作，制定本办法。\n",
        encoding="utf-8",
    )
    (docs / "02_handbook.md").write_text(
        "# 1.学校介绍\n\n学校创办于1960年。\n\n# 2.学习生活\n\n学生每天八点到校。\n", encoding="utf-8"
    )
    corpus = load_corpus(docs)
    titles = {d.doc_id: d.meta.title for d in corpus.documents}
    assert titles["01_bupt_zhengbing_2020"] == "服兵役高等学校学生国家教育资助政策"
    assert titles["02_handbook"] == "02_handbook"
    # the title heads no section of its own: the cards' paths start at 第一章, not at the title again
    sections = [p.section for p in corpus.passages if p.doc_id == "01_bupt_zhengbing_2020"]
    assert sections and all("服兵役高等学校学生国家教育资助政策" not in s for s in sections)
