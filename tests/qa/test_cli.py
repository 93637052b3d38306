"""The `policyqa` command line, run as a user would (subprocess), including the JSON contract."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def run_cli(engine, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "POLICYQA_CORPUS": str(engine.settings.corpus_dir),
        "POLICYQA_INDEX": str(engine.settings.index_dir),
    }
    return subprocess.run(
        [sys.executable, "-m", "qa.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        input=stdin,
    )


def test_ask_json_contract(engine):
    p = run_cli(engine, "ask", "--json", "融安县防溺水措施")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert set(out) == {"question", "found", "answer", "citations"}
    assert out["found"] is True and out["question"] == "融安县防溺水措施"
    c = out["citations"][0]
    assert set(c) == {
        "n",
        "doc_id",
        "title",
        "issuer",
        "place",
        "year",
        "section",
        "text",
        "start",
        "end",
        "score",
        "highlights",
    }
    assert c["n"] == 1 and c["title"] == "2024年融安县教育工作要点" and c["year"] == 2024
    doc = engine.document(c["doc_id"])
    assert doc.text[c["start"] : c["end"]] == c["text"]
    assert all(isinstance(h, list) and len(h) == 2 for h in c["highlights"])
    assert "防溺水" in [c["text"][a:b] for a, b in c["highlights"]]


def test_ask_json_abstention(engine):
    out = json.loads(run_cli(engine, "ask", "--json", "鹿寨县防溺水").stdout)
    assert out["found"] is False and out["citations"] == [] and "鹿寨县" in out["answer"]


def test_batch_carries_ids_through(engine, tmp_path):
    f = tmp_path / "q.jsonl"
    f.write_text(
        '{"id": "a1", "question": "老师不够怎么办"}\n{"id": "a2", "question": "明天天气怎么样"}\n{not json\n',
        encoding="utf-8",
    )
    p = run_cli(engine, "ask", "--json", "--batch", str(f))
    lines = [json.loads(x) for x in p.stdout.splitlines()]
    assert [x["id"] for x in lines] == ["a1", "a2"]
    assert lines[0]["found"] is True and lines[1]["found"] is False
    plain = tmp_path / "q.txt"
    plain.write_text("学生资助\n\n融安县防溺水措施\n", encoding="utf-8")
    rows = [
        json.loads(x) for x in run_cli(engine, "ask", "--json", "--batch", str(plain)).stdout.splitlines()
    ]
    assert len(rows) == 2 and all("id" not in r for r in rows)


def test_find_and_ingest_and_search_print_what_users_need(engine):
    p = run_cli(engine, "find", "四不两直", "--no-color")
    assert (
        p.returncode == 0
        and "《2024年融安县教育工作要点》四、进一步建立健全“四个机制” › 10.深化政府督学机制：“" in p.stdout
    )
    p = run_cli(engine, "ingest")
    assert "柳城县教育局2019年教育工作计划" in p.stdout and "重复内容" in p.stdout and "表格重建" in p.stdout
    assert "省：未注明" in p.stdout  # the anonymised 某市 document
    assert "标题：柳城县教育局2019年教育工作计划（来自：标题行）" in p.stdout  # each field's source
    assert "item" not in p.stdout and "table_row" not in p.stdout  # Chinese labels only
    p = run_cli(engine, "search", "-q", "融安县防溺水措施", "-k", "3")
    assert "BM25" in p.stdout and "向量" in p.stdout and "7.健全校园安全稳定机制" in p.stdout


def test_empty_question_is_a_clear_error(engine):
    p = run_cli(engine, "ask", "  ")
    assert p.returncode == 2 and "请给出问题" in p.stderr


def test_batch_replaces_bad_bytes_and_names_the_lines_it_refuses(engine, tmp_path):
    """Issue 13, failure 8: one invalid UTF-8 byte rejected the whole file without a line number;
    {"question": null} was asked as the word "None"."""
    f = tmp_path / "q.jsonl"
    f.write_bytes(
        '{"id": "a1", "question": "老师不够怎么办"}\n'.encode()
        + b'{"id": "a2", "question": "\xff\xfe\xe8\x9e\x8d\xe5\xae\x89\xe5\x8e\xbf\xe9\x98\xb2\xe6\xba\xba\xe6\xb0\xb4\xe6\x8e\xaa\xe6\x96\xbd"}\n'
        + b'{"id": "a3", "question": null}\n'
        + b'{"id": "a4", "question": 7}\n'
        + '{"id": "a5", "question": "\\ud800学生资助"}\n'.encode()
    )
    p = run_cli(engine, "ask", "--json", "--batch", str(f))
    assert p.returncode == 1  # some lines were refused
    rows = [json.loads(x) for x in p.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a1", "a2", "a5"]
    assert rows[1]["found"] is True and rows[1]["question"] == "\ufffd\ufffd融安县防溺水措施"
    assert rows[2]["question"] == "\ufffd学生资助"
    err = p.stderr
    assert f"{f}:2: 含有无效的 UTF-8 字节" in err
    assert f'{f}:3: "question" 必须是文字，收到的是 null' in err
    assert f'{f}:4: "question" 必须是文字，收到的是 int' in err
    assert "None" not in p.stdout


def test_ask_json_keeps_the_note_of_an_answered_capped_question(engine):
    """Issue 13, failure 11: `ask --json` dropped "问题过长" when an answer was found."""
    p = run_cli(engine, "ask", "--json", "融安县防溺水措施" + "防溺水" * 400)
    out = json.loads(p.stdout)
    assert out["found"] is True and out["citations"]
    assert out["message"].startswith("问题过长，只按前 500 个字检索")
    plain = json.loads(run_cli(engine, "ask", "--json", "融安县防溺水措施").stdout)
    assert "message" not in plain  # no note, no key: the contract above holds
