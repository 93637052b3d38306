"""`policyqa` command line: ingest, index, search, ask, find, eval.

Heavy modules (the engine, numpy, faiss, the encoder) are imported inside the subcommands
that need them, so `policyqa --help` and `policyqa ingest` start fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

_BOLD_RED = "\033[1;31m"
_DIM = "\033[2m"
_RESET = "\033[0m"


def _settings(args):
    from qa.settings import Settings

    s = Settings()
    changes = {}
    if getattr(args, "corpus", None):
        changes["corpus_dir"] = Path(args.corpus)
    if getattr(args, "index_dir", None):
        changes["index_dir"] = Path(args.index_dir)
    if getattr(args, "encoder", None):
        changes["encoder"] = args.encoder
    return s.with_(**changes) if changes else s


def _color(enabled: bool, text: str, spans) -> str:
    if not enabled or not spans:
        return text
    out, pos = [], 0
    for a, b in spans:
        out.append(text[pos:a])
        out.append(f"{_BOLD_RED}{text[a:b]}{_RESET}")
        pos = b
    out.append(text[pos:])
    return "".join(out)


def _progress_bar(stream=sys.stderr):
    state = {"stage": None}

    def progress(stage: str, done: int, total: int) -> None:
        width = 30
        frac = done / total if total else 1.0
        bar = "█" * int(width * frac) + "░" * (width - int(width * frac))
        end = "\n" if done >= total else ""
        if state["stage"] != stage and state["stage"] is not None:
            stream.write("\n")
        state["stage"] = stage
        stream.write(f"\r{stage:6s} {bar} {done}/{total}{end}")
        stream.flush()

    return progress


def _open_engine(args, quiet: bool = False):
    from qa.engine import Engine

    engine = Engine.open(_settings(args), progress=None if quiet else _progress_bar())
    if not quiet:
        print(engine.status, file=sys.stderr)
        for s in engine.skipped:
            print(f"跳过 {s.path}: {s.reason}", file=sys.stderr)
    return engine


# --- subcommands ---------------------------------------------------------------------------------------


_FIELD_LABELS = (
    ("title", "标题"),
    ("issuer", "发文机关"),
    ("province", "省"),
    ("city", "市"),
    ("county", "县/区"),
    ("year", "年份"),
    ("date", "日期"),
    ("source", "来源网站"),
)
_KIND_LABELS = {
    "item": "条目",
    "item_part": "条目片段",
    "para": "段落",
    "para_part": "段落片段",
    "table_row": "表格行",
    "table_row_part": "表格行片段",
}


def _removed_summary(text: str) -> str:
    lines = text.split("\n")
    first = lines[0]
    preview = first[:50] + ("…" if len(first) > 50 else "")
    return preview + (f"（等 {len(lines)} 行）" if len(lines) > 1 else "")


def cmd_ingest(args) -> int:
    from qa.ingest.corpus import CatalogError, load_corpus

    try:
        corpus = load_corpus(_settings(args).corpus_dir)
    except CatalogError as e:
        print(f"目录文件有误：{e}", file=sys.stderr)
        return 2
    for d in corpus.documents:
        m = d.meta
        sources = corpus.meta_sources.get(d.doc_id, {})
        print(f"■ {d.doc_id}  ({Path(d.path).name})")
        for key, label in _FIELD_LABELS:
            value = getattr(m, key)
            if value is None:
                print(f"  {label}：未注明")
            else:
                print(f"  {label}：{value}（来自：{sources.get(key, '未记录')}）")
        kinds: dict[str, int] = {}
        for p in corpus.passages:
            if p.doc_id == d.doc_id:
                kinds[p.kind] = kinds.get(p.kind, 0) + 1
        detail = "，".join(f"{_KIND_LABELS.get(k, k)} {v}" for k, v in sorted(kinds.items()))
        print(f"  可引用片段：{sum(kinds.values())}（{detail}），正文 {len(d.text)} 字")
        if d.removed:
            print(f"  已清理（{len(d.removed)} 处，{sum(len(r.text) for r in d.removed)} 字）：")
            for r in d.removed:
                print(f"    - {r.reason}：{_removed_summary(r.text)}")
        else:
            print("  已清理：无")
    for s in corpus.skipped:
        print(f"✗ 跳过 {s.path}：{s.reason}")
    print(
        f"共 {len(corpus.documents)} 个文档，{len(corpus.passages)} 个可引用片段；跳过 {len(corpus.skipped)} 个文件。"
    )
    return 0


def cmd_index(args) -> int:
    from index.errors import IndexWriteError, failure_text
    from index.lock import IndexBusy
    from qa.engine import Engine

    try:
        engine = Engine.open(_settings(args), progress=_progress_bar()) if not args.force else None
        if args.force:
            from index.dense import make_encoder
            from qa.vocab import load_vocabulary

            s = _settings(args)
            engine = Engine(s, make_encoder(s.encoder), load_vocabulary(Path(s.corpus_dir) / "synonyms.tsv"))
            engine.refresh(progress=_progress_bar(), force=True)
    except (IndexWriteError, IndexBusy) as e:
        # nothing to fall back on in this process (--force, or no sound index): the folder is untouched
        print(f"\n索引构建失败：{failure_text(e)}。原来的索引没有改动。", file=sys.stderr)
        return 1
    print(engine.status)
    for s in engine.skipped:
        print(f"跳过 {s.path}：{s.reason}")
    m = engine.state.store.manifest
    print(
        f"索引：{engine.state.store.path}  构建于 {m.build_time}  向量模型 {m.encoder['id']} ({m.encoder['dim']} 维)  "
        f"分词 {m.analyzer}  段落 {m.counts['passages']}  句子 {m.counts['sentences']}"
    )
    return 1 if engine.build_error else 0


def cmd_search(args) -> int:
    from index.retriever import Query
    from qa.answer.assemble import shown_title

    engine = _open_engine(args, quiet=args.quiet)
    plan = engine.plan(args.question)
    terms = tuple((o, engine.settings.expansion_weight) for _, o in plan.expansions)
    q = Query(text=plan.core, terms=terms, allowed_docs=plan.allowed_docs, dense_text=plan.question)
    st = engine.state
    lex = {h.passage.pid: h for h in st.lexical.search(q, 100)}
    hits = st.hybrid.search(q, args.k)
    print(
        f"检索词：{plan.core}"
        + (f"   扩展：{'、'.join(o for _, o in plan.expansions)}" if plan.expansions else "")
        + (f"   限定：{'、'.join(plan.places)}" if plan.places else "")
    )
    for r, h in enumerate(hits, start=1):
        d = st.docs[h.passage.doc_id]
        b = h.signals.get("bm25") or (lex[h.passage.pid].signals["bm25"] if h.passage.pid in lex else None)
        dn = h.signals.get("dense")
        sig = [f"融合 {h.score:.4f}"]
        sig.append(f"BM25 {b[0]:.2f} (第{b[1]})" if b else "BM25 —")
        sig.append(f"向量 {dn[0]:.3f} (第{dn[1]})" if dn else "向量 —")
        print(f"{r:2d}. {shown_title(d.meta.title, d.doc_id)}{h.passage.breadcrumb}")
        print(f"    {' · '.join(sig)}")
        print(f"    {h.passage.text[:120]}{'…' if len(h.passage.text) > 120 else ''}")
    return 0


def _citation_json(c) -> dict:
    return {
        "n": c.n,
        "doc_id": c.doc_id,
        "title": c.title,
        "issuer": c.issuer,
        "place": c.place,
        "year": c.year,
        "section": c.section,
        "text": c.text,
        "start": c.start,
        "end": c.end,
        "score": c.score,
        "highlights": [list(h) for h in c.highlights],
    }


def _answer_json(a) -> dict:
    note = {"message": a.message} if a.found and a.message else {}  # e.g. "问题过长，只按前 500 个字检索。"
    out = {
        "question": a.question,
        "found": a.found,
        "answer": a.answer if a.found else a.message,
        **note,
        "citations": [_citation_json(c) for c in a.citations],
    }
    if a.related:
        out["related"] = [_citation_json(c) for c in a.related]
    return out


def _print_answer(a, color: bool) -> None:

    if a.message:
        print(a.message)
    if a.related:
        print()
        print("可能相关的原文（不是确定的答案）：")
        _print_cards(a.related, color)
        return
    if not a.found:
        if a.suggestions:
            print("相近的主题：" + "、".join(a.suggestions))
        return
    print(a.answer)
    print()
    _print_cards(a.citations, color)


def _print_cards(citations, color: bool) -> None:
    from qa.answer.assemble import citation_line, shown_title

    for c in citations:
        meta = " · ".join(str(x) for x in (c.issuer, c.place, c.year) if x)
        print(f"[{c.n}] {shown_title(c.title, c.doc_id)} {meta}")
        if c.section:
            print(f"    {_DIM if color else ''}{c.section}{_RESET if color else ''}")
        print(f"    {_color(color, c.text, c.highlights)}")
        if c.why == "原文逐字匹配":
            print(f"    引用：{citation_line(c)}")


def cmd_ask(args) -> int:
    engine = _open_engine(args, quiet=args.json or args.quiet)
    color = sys.stdout.isatty() and not args.no_color
    if args.batch:
        return _ask_batch(engine, args)
    a = engine.ask(args.question, k=args.k)
    if args.json:
        print(json.dumps(_answer_json(a), ensure_ascii=False))
    else:
        _print_answer(a, color)
    return 0


def _ask_batch(engine, args) -> int:
    from qa.hygiene import decode_lines, scrub_tree

    path = Path(args.batch)
    try:
        data = path.read_bytes()
    except OSError as e:
        print(f"无法读取问题文件 {path}：{e}", file=sys.stderr)
        return 2
    refused = 0
    for n, line, replaced in decode_lines(data):
        if replaced:
            print(f"{path}:{n}: 含有无效的 UTF-8 字节，已替换为 “\ufffd” 后提问", file=sys.stderr)
        if not line.strip():
            continue
        qid, question = None, line
        if line.lstrip().startswith("{"):
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                print(f"{path}:{n}: 不是有效的 JSON：{e}", file=sys.stderr)
                refused += 1
                continue
            qid, question = scrub_tree(obj.get("id")), obj.get("question")
            if not isinstance(question, str):
                shown = "null" if question is None else type(question).__name__
                print(f'{path}:{n}: "question" 必须是文字，收到的是 {shown}', file=sys.stderr)
                refused += 1
                continue
        out = _answer_json(engine.ask(question, k=args.k))
        if qid is not None:
            out = {"id": qid, **out}
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 1 if refused else 0


def cmd_find(args) -> int:
    from qa.answer.assemble import citation_line

    engine = _open_engine(args, quiet=args.json or args.quiet)
    occ = engine.find(args.phrase)
    if args.json:
        print(json.dumps([{**asdict(c), "citation": citation_line(c)} for c in occ], ensure_ascii=False))
        return 0
    if not occ:
        print(f"文件中没有逐字出现“{args.phrase}”。")
        return 1
    color = sys.stdout.isatty() and not args.no_color
    print(f"“{args.phrase}”在 {len({c.doc_id for c in occ})} 个文件中出现 {len(occ)} 处：")
    for c in occ:
        line = citation_line(c)
        shift = line.index("“") + 1  # the excerpt starts right after the opening quote
        print(f"[{c.n}] {_color(color, line, [(a + shift, b + shift) for a, b in c.highlights])}")
    return 0


def cmd_eval(args) -> int:
    from qa.evaluate import misses, read_jsonl, run, score

    engine = _open_engine(args, quiet=True)
    gold = read_jsonl(args.qa)
    results = run(engine, gold, k=10)
    if args.results:
        with open(args.results, "w", encoding="utf-8") as f:
            for r in results.values():
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(json.dumps(score(gold, results), ensure_ascii=False, indent=1))
    if args.verbose:
        print("\n".join(misses(gold, results)), file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="policyqa", description="政策问答：在教育政策文件中检索并引用原文")
    p.add_argument("--corpus", help="文档目录（默认 corpus/，或环境变量 POLICYQA_CORPUS）")
    p.add_argument("--index-dir", help="索引目录（默认 var/index/，或 POLICYQA_INDEX）")
    p.add_argument("--encoder", help="向量模型：use（默认）或 st:<模型名或路径>")
    sub = p.add_subparsers(dest="cmd", required=True)

    s = sub.add_parser("ingest", help="读取并清理文档，打印每个文档的摘要")
    s.set_defaults(func=cmd_ingest)
    s = sub.add_parser("index", help="建立或更新索引（只重新编码有变化的文档）")
    s.add_argument("--force", action="store_true", help="全部重建")
    s.set_defaults(func=cmd_index)
    s = sub.add_parser("search", help="打印排序后的段落与各信号得分")
    s.add_argument("question")
    s.add_argument("-k", type=int, default=10)
    s.add_argument("-q", "--quiet", action="store_true")
    s.set_defaults(func=cmd_search)
    s = sub.add_parser("ask", help="回答问题并引用原文")
    s.add_argument("question", nargs="?", default="")
    s.add_argument("-k", type=int, default=5, help="引用条数")
    s.add_argument("--json", action="store_true", help="输出 JSON（见 README 的接口约定）")
    s.add_argument("--batch", help="批量：每行一个问题，或 JSON Lines（id, question）")
    s.add_argument("--no-color", action="store_true")
    s.add_argument("-q", "--quiet", action="store_true")
    s.set_defaults(func=cmd_ask)
    s = sub.add_parser("find", help="逐字查找一个说法在所有文件中的出处")
    s.add_argument("phrase")
    s.add_argument("--json", action="store_true")
    s.add_argument("--no-color", action="store_true")
    s.add_argument("-q", "--quiet", action="store_true")
    s.set_defaults(func=cmd_find)
    s = sub.add_parser("eval", help="在问答集上评估检索质量（hit@k, MRR@10, 拒答率）")
    s.add_argument("qa", help="JSONL：id, kind, question, evidence")
    s.add_argument("--results", help="把每题结果写到这个 JSONL 文件")
    s.add_argument("-v", "--verbose", action="store_true", help="列出答错的问题")
    s.set_defaults(func=cmd_eval)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.cmd == "ask" and not args.batch and not args.question.strip():
        print('请给出问题，例如：policyqa ask "融安县防溺水措施"', file=sys.stderr)
        return 2
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
