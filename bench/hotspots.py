"""Micro-benchmarks of the slow spots that bench/speed.py found, each against a candidate fix.

Each candidate fix is a few lines here, run on the same engine and inputs as the current code,
and checked to give the same result. Since the fixes of F1, F2, F4 and F5 went into qa/ and
index/ (BENCHMARKS.md), steps 1–4 time the current code against the code it replaced.

1. Engine.find (exact-wording questions, and "哪些文件提到…"): every document is folded once
   when the index is installed (FoldedText: compact int32 offset maps); the pre-filter
   intersects posting arrays. Measured: folding every document (install), the memory of the
   folded texts, first and second call, the pre-filter vs the Python sets it replaced.
2. BM25Index.scores: the gather + np.bincount path (below BM25Index.gather_below documents) vs
   scipy's column slicing and product, and rank_bm25 at small scales.
3. Query encoding with 2 BLAS threads vs 1, for one short question, on an idle machine and with
   2 busy-loop processes competing for the 2 cores (UseEncoder now uses 1 for up to 4 texts).
4. DenseRetriever.exact_scores (vectorised: one product over the candidates' sentences and
   np.maximum.reduceat) vs the Python loop over candidates it replaced.
5. Engine.in_corpus (unknown-word check): Python sets built from whole posting lists of the
   word's bigrams. Candidate: np.intersect1d on the (sorted) posting arrays.
6. qa.query.analyze: joins the text of every document when a question names a place that no
   document covers.

Usage:
    python bench/hotspots.py --scale 100     # builds ×100 in the scratch folder if missing (~30 s)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from bench.speed import DEVSET, RESULTS, phase_build, proc_status, questions, settings_for  # noqa: E402


def best_ms(fn, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return round(best * 1000, 3)


def median_ms(fn, items, repeat: int = 3) -> float:
    out = []
    for x in items:
        best = float("inf")
        for _ in range(repeat):
            t = time.perf_counter()
            fn(x)
            best = min(best, time.perf_counter() - t)
        out.append(best)
    return round(statistics.median(out) * 1000, 3)


def open_engine(scale: int, workdir: Path):
    from index.dense import UseEncoder
    from index.store import load_build
    from qa.engine import Engine
    from qa.vocab import load_vocabulary

    s = settings_for(workdir, scale)
    if not (Path(s.index_dir) / "CURRENT").exists():
        phase_build(scale, workdir, real_max=10)
    if scale == 1:
        return Engine.open(s)
    engine = Engine(s, UseEncoder(), load_vocabulary(None))
    engine._install(load_build(Path(s.index_dir)))
    return engine


# 1 -------------------------------------------------------------------------------------------------


def wording(engine) -> dict:
    """Engine.find now: documents folded at install, posting arrays intersected (qa.lookup.docs_with_tokens)."""
    import tracemalloc

    from qa.lookup import docs_with_tokens
    from qa.textspan import FoldedText

    st = engine.state
    docs = engine.documents
    phrases = ["县管校聘", "研学", "四不两直", "控辍保学", "教育质量"]
    out: dict = {"documents": len(docs), "chars": sum(len(d.text) for d in docs)}
    w = st.store.bm25.weights
    vocab = st.store.bm25.vocab

    def docs_with_tokens_sets(phrase: str) -> set[str]:  # the pre-filter before F1
        rows: set[int] | None = None
        for t in set(st.lexical.tokenize(phrase)):
            j = vocab.get(t)
            if j is None:
                return set()
            col = set(w.indices[w.indptr[j] : w.indptr[j + 1]].tolist())
            rows = col if rows is None else rows & col
            if not rows:
                return set()
        if rows is None:
            return set(st.docs)
        return {st.store.passages[i].doc_id for i in rows}

    t = time.perf_counter()
    folded = {d.doc_id: FoldedText(d.text) for d in docs}
    out["fold_every_document_s (at install)"] = round(time.perf_counter() - t, 3)
    del folded
    tracemalloc.start()  # again, for the memory only (tracing slows the folding down)
    folded = {d.doc_id: FoldedText(d.text) for d in docs}
    cur, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    out["folded_mb (tracemalloc)"] = round(cur / 1e6, 1)
    folded_chars = sum(len(f.folded) for f in folded.values())
    out["folded_chars"] = folded_chars
    out["bytes_per_folded_char"] = round(cur / max(folded_chars, 1), 1)
    del folded
    rows = []
    for ph in phrases:
        t = time.perf_counter()
        occ = engine.find(ph)
        first = time.perf_counter() - t
        t = time.perf_counter()
        engine.find(ph)
        second = time.perf_counter() - t
        t = time.perf_counter()
        engine.find(ph, limit=10)
        limited = time.perf_counter() - t
        cand = docs_with_tokens(engine.state, ph)
        assert {docs[i].doc_id for i in cand.tolist()} == docs_with_tokens_sets(ph)
        rows.append(
            {
                "phrase": ph,
                "occurrences": len(occ),
                "candidate_documents": len(cand),
                "first_call_ms": round(first * 1000, 1),
                "second_call_ms": round(second * 1000, 1),
                "limit=10_ms (10 citations built, the rest counted)": round(limited * 1000, 1),
                "_docs_with_tokens_ms (np.intersect1d)": best_ms(
                    lambda ph=ph: docs_with_tokens(engine.state, ph), 3
                ),
                "Python sets (before)_ms": best_ms(lambda ph=ph: docs_with_tokens_sets(ph), 3),
            }
        )
    out["rows"] = rows
    return out


# 2 -------------------------------------------------------------------------------------------------


def bm25_overhead(engine) -> dict:
    from rank_bm25 import BM25Okapi

    from index.build import context_text

    st = engine.state
    bm25 = st.store.bm25
    tok = st.lexical.tokenize
    qs = [tok(q["question"]) for q in questions(DEVSET)]
    w = bm25.weights
    n = bm25.n_docs
    import dataclasses

    gather = dataclasses.replace(bm25, gather_below=1 << 40).scores
    scipy_product = dataclasses.replace(bm25, gather_below=0).scores
    for q in qs:
        a, b = gather(q), scipy_product(q)
        assert np.allclose(a, b, rtol=1e-5, atol=1e-6)
    out = {"passages": n, "gather_below": bm25.gather_below}
    out["current_ms_p50"] = median_ms(bm25.scores, qs)
    out["gather_bincount_ms_p50"] = median_ms(gather, qs)
    out["scipy_product_ms_p50"] = median_ms(scipy_product, qs)
    if n <= 5000:
        meta = {d.doc_id: d.meta for d in engine.documents}
        theirs = BM25Okapi([tok(context_text(p, meta[p.doc_id])) for p in engine.passages])
        out["rank_bm25_ms_p50"] = median_ms(theirs.get_scores, qs)
        out["speedup_current"] = round(out["rank_bm25_ms_p50"] / out["current_ms_p50"], 1)
        out["speedup_scipy_product"] = round(out["rank_bm25_ms_p50"] / out["scipy_product_ms_p50"], 1)
    # where the current time goes, for one typical query
    q = qs[1]
    ids, qtf = bm25.query_vector(q)
    out["breakdown_us"] = {
        "query_vector (Counter, fromiter)": round(best_ms(lambda: bm25.query_vector(q), 200) * 1000, 1),
        "weights[:, ids] (scipy column slice)": round(best_ms(lambda: w[:, ids], 200) * 1000, 1),
        "weights[:, ids] @ qtf (slice and product)": round(best_ms(lambda: w[:, ids] @ qtf, 200) * 1000, 1),
        "whole scores(), scipy product": round(best_ms(lambda: scipy_product(q), 200) * 1000, 1),
        "whole scores(), gather": round(best_ms(lambda: gather(q), 200) * 1000, 1),
    }
    return out


# 3 -------------------------------------------------------------------------------------------------


def encoding_threads(contend: int = 0) -> dict:
    """Single-question encoding latency with 2 and 1 BLAS threads; with `contend` busy processes
    running meanwhile (as when other jobs share the 2 cores)."""
    import subprocess

    qs = [q["question"] for q in questions(DEVSET)][:50]
    burners = [
        subprocess.Popen([sys.executable, "-c", "import time\nt=time.time()\nwhile time.time()-t<120: pass"])
        for _ in range(contend)
    ]
    try:
        return _encoding_threads(qs, contend)
    finally:
        for b in burners:
            b.kill()
            b.wait()


def _encoding_threads(qs, contend) -> dict:
    from index.dense import UseEncoder

    time.sleep(1.0 if contend else 0)
    out = {"busy_processes": contend, "loadavg_1min": round(os.getloadavg()[0], 2)}
    for threads in (2, 1, 2, 1):
        enc = UseEncoder(threads=threads, query_threads=threads)
        enc.encode(["预热"])
        wall, cpu = [], []
        for q in qs:
            c, t = time.process_time(), time.perf_counter()
            enc.encode([q])
            wall.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        key = f"threads={threads}"
        prev = out.get(key, {})
        res = {
            "wall_ms_p50": round(statistics.median(wall) * 1000, 2),
            "wall_ms_p95": round(float(np.percentile(wall, 95)) * 1000, 2),
            "cpu_ms_p50": round(statistics.median(cpu) * 1000, 2),
        }
        out[key] = [*prev, res] if isinstance(prev, list) else [res]
    out["loadavg_1min_after"] = round(os.getloadavg()[0], 2)
    return out


# 4 -------------------------------------------------------------------------------------------------


def rescoring(engine) -> dict:
    st = engine.state
    dense = st.hybrid.retrievers[1]
    sv, so, pv = st.store.sent_vecs, st.store.sent_offsets, st.store.passage_vecs

    def loop(v, ids):  # exact_scores before F2
        p = pv[ids] @ v
        s = np.full(len(ids), -1.0, dtype=np.float32)
        for j, i in enumerate(ids):
            a, b = so[i], so[i + 1]
            if b > a:
                s[j] = float(np.max(sv[a:b] @ v))
        return p + s

    rows = []
    for q in ("融安县防溺水措施", "泸州学生营养改善计划", "某市家校共育", "残疾儿童入学各地怎么保障"):
        plan = engine.plan(q)
        v = dense._encode(plan.question)
        mask = dense._mask.mask(plan.allowed_docs)
        ids = dense.candidates(v, 100, mask)
        every = np.flatnonzero(mask) if mask is not None else ids  # what rescoring all allowed means
        assert np.allclose(dense.exact_scores(v, every), loop(v, every), atol=1e-5)
        rows.append(
            {
                "question": q,
                "allowed_passages": int(mask.sum()) if mask is not None else None,
                "candidates (current)": len(ids),
                "candidates_ms": best_ms(lambda v=v, mask=mask: dense.candidates(v, 100, mask), 3),
                "exact_scores_ms (current)": best_ms(lambda v=v, ids=ids: dense.exact_scores(v, ids), 3),
                "rescore all allowed: vectorised_ms": best_ms(
                    lambda v=v, e=every: dense.exact_scores(v, e), 3
                ),
                "rescore all allowed: loop (before)_ms": best_ms(lambda v=v, e=every: loop(v, e), 3),
            }
        )
    return {"rows": rows}


# 5 -------------------------------------------------------------------------------------------------


def in_corpus(engine) -> dict:
    from index.build import context_text
    from index.tokenize import normalize

    st = engine.state
    vocab, weights = st.store.bm25.vocab, st.store.bm25.weights

    def candidate(word: str) -> bool:
        w = normalize(word)
        grams = [w[i : i + 2] for i in range(len(w) - 1)] or [w]
        cols = []
        for g in set(grams):
            j = vocab.get(g)
            if j is None:
                return False
            cols.append(weights.indices[weights.indptr[j] : weights.indptr[j + 1]])
        cols.sort(key=len)
        rows = cols[0]
        for c in cols[1:]:
            rows = np.intersect1d(rows, c, assume_unique=True)
            if len(rows) == 0:
                return False
        for i in rows:
            p = st.store.passages[i]
            if w in normalize(context_text(p, st.docs[p.doc_id].meta)):
                return True
        return False

    rows = []
    for word in ("教育", "学校", "教育质量", "家校共育", "保育费", "课后服务", "校外培训机构"):
        assert engine.in_corpus(word) == candidate(word)
        rows.append(
            {
                "word": word,
                "current_ms": best_ms(lambda word=word: engine.in_corpus(word), 3),
                "candidate_ms": best_ms(lambda word=word: candidate(word), 3),
            }
        )
    return {"rows": rows}


# 6 -------------------------------------------------------------------------------------------------


def analyze_uncovered(engine) -> dict:
    rows = []
    for q in ("鹿寨县今年教育工作重点有哪些", "融安县防溺水措施", "课后服务怎么收费"):
        rows.append({"question": q, "plan_ms": best_ms(lambda q=q: engine.plan(q), 3)})
    docs = engine.documents
    rows.append({"join all document texts (ms)": best_ms(lambda: "\n".join(d.text for d in docs), 3)})
    return {"rows": rows}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=100)
    ap.add_argument("--workdir", default="/tmp/policyqa-bench")
    ap.add_argument("--only", default="wording,bm25,encoding,encoding_contended,rescoring,in_corpus,analyze")
    ap.add_argument("--out", default=None, help="default bench/results/hotspots-x<scale>.json")
    args = ap.parse_args(argv)
    workdir = Path(args.workdir)
    engine = open_engine(args.scale, workdir)
    for q in questions(DEVSET)[:5]:
        engine.ask(q["question"])
    only = args.only.split(",")
    res: dict = {
        "scale": args.scale,
        "passages": len(engine.passages),
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "loadavg_1min": round(os.getloadavg()[0], 2),
    }
    steps = {
        "wording": lambda: wording(engine),
        "bm25": lambda: bm25_overhead(engine),
        "encoding": lambda: encoding_threads(0),
        "encoding_contended": lambda: encoding_threads(2),
        "rescoring": lambda: rescoring(engine),
        "in_corpus": lambda: in_corpus(engine),
        "analyze": lambda: analyze_uncovered(engine),
    }
    for name in only:
        t = time.perf_counter()
        res[name] = steps[name]()
        print(f"{name}: {time.perf_counter() - t:.1f} s", file=sys.stderr, flush=True)
    res["rss_mb"] = proc_status()
    out = Path(args.out) if args.out else RESULTS / f"hotspots-x{args.scale}.json"
    out.write_text(json.dumps(res, ensure_ascii=False, indent=1))
    print(json.dumps(res, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
