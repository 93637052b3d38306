#!/usr/bin/env python3
"""Validate bench/questions/heldout.jsonl (held-out PolicyQA questions).

Checks: ids h001..hNNN in order and unique; kinds and per-kind counts; field types;
evidence strings 8-40 chars, each found (after score.py's norm()) inside ONE line
(= one numbered item / one table cell) of one of the listed docs, never in site
boilerplate; every listed doc is backed by an evidence string; multi questions have
>=2 docs; none questions have empty docs/evidence and their key terms are absent
from the corpus; paraphrase questions share no 5-char run with their evidence;
wording questions ask for 原文/出处/文件.
Usage: python3 bench/check_heldout.py [path]   (exit 1 on any error)
"""

import importlib.util
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QA = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench" / "questions" / "heldout.jsonl"
CORPUS = ROOT / "corpus"
spec = importlib.util.spec_from_file_location("score", "/work/shared/eval/score.py")
score = importlib.util.module_from_spec(spec)
spec.loader.exec_module(score)
norm = score.norm

TARGET = {"topic": 14, "paraphrase": 14, "wording": 9, "fact": 13, "multi": 8, "none": 12}
TOL = 2
BOILER = re.compile(
    r"一流范文网|当前位置|欢迎访问|索引号|信息名称|主题分类|文件编号|生成日期|内容概述|扫一扫|TAG标签|文章来|源一流"
)
# terms whose absence makes each none question unanswerable (all must be absent)
NONE_ABSENT = {
    "鹿寨县今年教育工作计划有哪些重点": ["鹿寨"],
    "桂林市义务教育划片招生是怎么划的": ["桂林"],
    "老师住房公积金按多少比例缴": ["公积金"],
    "高考志愿啥时候填报": ["高考志愿", "填报志愿", "志愿填报"],
    "公办幼儿园保育费一个月收多少钱": ["保育费", "收费标准"],
    "评中级职称要发几篇论文": ["论文", "中级职称"],
    "双减以后初中每天书面作业不能超过多少分钟": ["分钟", "作业时长", "书面作业"],
    "南宁市教育局办公电话多少": ["南宁", "办公电话"],
    "学生医保在哪交": ["医保", "医疗保险"],
    "教师多少岁退休": ["退休年龄", "岁退休"],
    "个税子女教育专项附加扣除怎么填": ["个税", "专项附加", "所得税"],
    "百色市教育局2020年工作要点": ["百色"],
}
WORDING_CUES = ("原文", "出处", "出自", "哪个文件", "哪份文件", "原话", "提法")

docs_lines = {}
for p in sorted(CORPUS.glob("*.txt")):
    lines = p.read_text(encoding="utf-8").splitlines()
    docs_lines[p.stem] = [norm(x) for x in lines if x.strip() and not BOILER.search(x)]
corpus_all = "".join("".join(v) for v in docs_lines.values())
corpus_raw = "".join(p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt"))

errs, warns = [], []
rows = [json.loads(x) for x in QA.read_text(encoding="utf-8").splitlines() if x.strip()]
counts = {k: 0 for k in TARGET}
seen = set()
for i, r in enumerate(rows, 1):
    qid = r.get("id")
    tag = f"{qid}"
    if qid != f"h{i:03d}":
        errs.append(f"{tag}: expected id h{i:03d}")
    if qid in seen:
        errs.append(f"{tag}: duplicate id")
    seen.add(qid)
    if set(r) != {"id", "kind", "question", "docs", "evidence"}:
        errs.append(f"{tag}: fields {sorted(r)}")
    kind, q, docs, ev = r.get("kind"), r.get("question"), r.get("docs"), r.get("evidence")
    if kind not in TARGET:
        errs.append(f"{tag}: bad kind {kind}")
        continue
    counts[kind] += 1
    if not isinstance(q, str) or not q.strip():
        errs.append(f"{tag}: empty question")
    if not isinstance(docs, list) or not isinstance(ev, list):
        errs.append(f"{tag}: docs/evidence not lists")
        continue
    if len(set(docs)) != len(docs):
        errs.append(f"{tag}: duplicate docs")
    for d in docs:
        if d not in docs_lines:
            errs.append(f"{tag}: unknown doc {d}")
    if kind == "none":
        if docs or ev:
            errs.append(f"{tag}: none must have empty docs/evidence")
        terms = NONE_ABSENT.get(q)
        if terms is None:
            errs.append(f"{tag}: no absence probe for none question")
        else:
            for t in terms:
                if norm(t) in corpus_all or t in corpus_raw:
                    errs.append(f"{tag}: none-probe term {t!r} occurs in corpus")
        continue
    if not docs or not ev:
        errs.append(f"{tag}: answerable needs docs and evidence")
        continue
    if kind == "multi":
        if len(docs) < 2:
            errs.append(f"{tag}: multi needs >=2 docs")
    elif not 1 <= len(ev) <= 3:
        errs.append(f"{tag}: {len(ev)} evidence strings (want 1-3)")
    backed = set()
    for e in ev:
        if not isinstance(e, str):
            errs.append(f"{tag}: non-string evidence")
            continue
        if not 8 <= len(e) <= 40:
            errs.append(f"{tag}: evidence length {len(e)}: {e}")
        ne = norm(e)
        hit = [d for d in docs if d in docs_lines and any(ne in line for line in docs_lines[d])]
        if not hit:
            errs.append(f"{tag}: evidence not within one item/cell of listed docs: {e}")
        backed.update(hit)
        others = [d for d in docs_lines if d not in docs and any(ne in line for line in docs_lines[d])]
        if others:
            warns.append(f"{tag}: evidence also in unlisted doc(s) {others}: {e}")
    for d in docs:
        if d in docs_lines and d not in backed:
            errs.append(f"{tag}: listed doc {d} has no evidence")
    if kind == "multi" and len(backed) < 2:
        errs.append(f"{tag}: multi evidence covers <2 docs")
    if kind == "paraphrase":
        nq = norm(q)
        for e in ev:
            ne = norm(e)
            runs = {ne[j : j + 5] for j in range(len(ne) - 4)}
            bad = [s for s in runs if s in nq]
            if bad:
                errs.append(f"{tag}: paraphrase shares wording with evidence: {bad}")
    if kind == "wording" and not any(c in q for c in WORDING_CUES):
        errs.append(f"{tag}: wording question lacks 原文/出处/文件 cue")

for k, n in TARGET.items():
    if abs(counts[k] - n) > TOL:
        errs.append(f"kind {k}: {counts[k]} (target ~{n})")
if len(rows) != 70:
    errs.append(f"total {len(rows)} != 70")

for w in warns:
    print("WARN", w)
for e in errs:
    print("ERROR", e)
print(json.dumps({"total": len(rows), **counts}, ensure_ascii=False))
print("OK" if not errs else f"FAILED: {len(errs)} error(s)")
sys.exit(1 if errs else 0)
