"""Speed and memory of PolicyQA at 1×, 10×, 100× and 1000× the real corpus.

For each scale, three phases, each in its own process (so each peak RSS is its own):

build   make the corpus (bench/synth.py), build the index, time it; peak RSS of building.
        Scales up to --real-max are encoded for real with the default encoder (USE) through
        index.build.build_index. Larger scales are not encoded (USE does ~35 passages/s here:
        ×1000 would take hours): each passage and sentence takes the real vector of the same
        passage in copy (c mod --real-max), plus Gaussian noise (σ per dimension, then
        re-normalised), and the build is written with index.store.write_build — the same steps
        as build_index without the encoder. faiss latency depends on n and d, not on meaning.
serve   load the build into an Engine (×1: Engine.open on the real corpus folder; synthetic
        scales: Engine(settings, encoder, vocab)._install(load_build(dir)), because refresh()
        would see a corpus folder that does not match and rebuild), warm it on 10 held-out
        questions, then ask every dev-set question once through Engine.ask, timing each stage
        (instrumented by wrapping methods on the live objects; no project code is changed).
        Peak RSS of serving is read before the exact-search comparison, which, where an index
        is HNSW, measures its recall@10 against exact inner-product search and the latency of
        both, and re-runs the questions end to end with exact indexes swapped in.
bm25    the project's index.bm25.BM25Index.scores against rank_bm25.BM25Okapi.get_scores on the
        same tokenised passages (the analyzer and context text the index uses): equal scores
        are checked, then both are timed per query.

Usage:
    python bench/speed.py                         # scales 1,10,100,1000 → bench/results/speed.json
    python bench/speed.py --scales 1,10 --out bench/results/speed-small.json
    python bench/speed.py --phase serve --scale 100   # one phase (what the driver runs)
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

DEVSET = ROOT / "bench" / "questions" / "devset.jsonl"
HELDOUT = ROOT / "bench" / "questions" / "heldout.jsonl"
RESULTS = ROOT / "bench" / "results"
NOISE_SIGMA = 0.02  # per dimension: noise norm ≈ 0.45, cosine to the real vector ≈ 0.91
RANK_BM25_QUERIES = {1: 104, 10: 104, 100: 20, 330: 10, 1000: 5}


# --- small helpers -----------------------------------------------------------------------------------


def proc_status() -> dict[str, float]:
    """VmRSS and VmHWM (peak RSS) of this process, in MB."""
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            key, value = line.split(":", 1)
            out[key] = round(int(value.split()[0]) / 1024, 1)
    return out


def pct(values: list[float], q: float) -> float:
    """Percentile with linear interpolation (numpy's default)."""
    return float(np.percentile(np.asarray(values, dtype=np.float64), q)) if values else float("nan")


def summary_ms(values_s: list[float]) -> dict:
    v = [x * 1000 for x in values_s]
    if not v:
        return {"n": 0}
    return {
        "n": len(v),
        "mean": round(statistics.fmean(v), 3),
        "p50": round(pct(v, 50), 3),
        "p95": round(pct(v, 95), 3),
        "max": round(max(v), 3),
    }


def questions(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    import faiss
    import scipy

    def git(*a: str) -> str:
        try:
            return subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        except OSError:
            return ""

    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "uncommitted_changes_under_qa_index": bool(git("status", "--porcelain", "--", "qa", "index")),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": mem_gb,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "faiss": faiss.__version__,
        "platform": platform.platform(),
        "OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY"),
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
    }


def scale_dir(workdir: Path, scale: int) -> Path:
    return workdir / f"x{scale}"


def settings_for(workdir: Path, scale: int):
    from qa.settings import Settings

    d = scale_dir(workdir, scale)
    corpus = ROOT / "corpus" if scale == 1 else d / "corpus"  # synthetic scales: an empty folder
    return Settings(corpus_dir=corpus, index_dir=d / "index", encoder="use")


# --- build -------------------------------------------------------------------------------------------


def phase_build(scale: int, workdir: Path, real_max: int) -> dict:
    from bench.synth import synth_corpus
    from index.build import build_index

    s = settings_for(workdir, scale)
    d = scale_dir(workdir, scale)
    if d.exists():
        shutil.rmtree(d)
    Path(s.index_dir).mkdir(parents=True)
    Path(s.corpus_dir).mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    docs, passages = synth_corpus(scale)
    t_synth = time.perf_counter() - t0
    out: dict = {
        "scale": scale,
        "documents": len(docs),
        "passages": len(passages),
        "synth_s": round(t_synth, 2),
    }
    gc.collect()
    rss0 = proc_status()

    if scale <= real_max:
        from index.dense import UseEncoder
        from qa.library import corpus_fingerprint

        enc = UseEncoder()
        enc.encode(["预热"])  # model load is not build time
        marks: dict[str, float] = {}

        def progress(stage: str, done: int, total: int) -> None:
            now = time.perf_counter()
            marks.setdefault(f"{stage}_start", now)
            if done >= total:
                marks[f"{stage}_end"] = now

        fingerprint = corpus_fingerprint(s) if scale == 1 else ""
        t0 = time.perf_counter()
        _path, stats = build_index(
            s.index_dir,
            docs,
            passages,
            encoder=enc,
            analyzer=s.analyzer,
            max_chars=s.max_chars,
            ann_threshold=s.ann_threshold,
            progress=progress,
            fingerprint=fingerprint,
        )
        total = time.perf_counter() - t0
        bm25_s = marks.get("BM25_end", t0) - t0  # context text, tokenising and the BM25 matrix
        enc_s = marks.get("向量_end", marks.get("BM25_end", t0)) - marks.get("BM25_end", t0)
        out.update(
            vectors="real (USE)",
            build_s=round(total, 2),
            passages_per_s=round(len(passages) / total, 1),
            stages_s={
                "bm25 (context text, tokenise, matrix)": round(bm25_s, 2),
                "encode passages + sentences": round(enc_s, 2),
                "write (files, faiss, checksums)": round(total - bm25_s - enc_s, 2),
            },
            encoded=stats["encoded"],
        )
        from index.store import load_build

        st = load_build(Path(s.index_dir))
        out["sentences"] = len(st.sent_vecs)
        out["encode_rate_texts_per_s"] = round((len(passages) + len(st.sent_vecs)) / max(enc_s, 1e-9), 1)
        np.savez(
            workdir / f"vectors-x{scale}.npz",
            pvec=st.passage_vecs,
            svec=st.sent_vecs,
            offsets=st.sent_offsets,
            passages_per_copy=np.array(len(passages) // scale),
        )
        out["ann"] = st.manifest.ann
    else:
        out.update(build_synthetic_vectors(scale, workdir, real_max, s, docs, passages))
    out["rss_mb"] = proc_status()
    out["rss_before_build_mb"] = rss0
    out["index_bytes"] = sum(p.stat().st_size for p in Path(s.index_dir).rglob("*") if p.is_file())
    return out


def build_synthetic_vectors(scale: int, workdir: Path, real_max: int, s, docs, passages) -> dict:
    """build_index's steps with vectors borrowed from the largest really-encoded scale, plus noise."""
    from index.bm25 import build_bm25
    from index.build import context_text, embed_key, sentences_of
    from index.store import write_build
    from index.tokenize import make_tokenizer

    base_path = workdir / f"vectors-x{real_max}.npz"
    if not base_path.exists():
        raise SystemExit(f"{base_path} is missing: run the build phase of scale {real_max} first")
    z = np.load(base_path)
    bpvec, bsvec, boffs = z["pvec"], z["svec"], z["offsets"]
    per_copy = int(z["passages_per_copy"])
    n = len(passages)
    assert n == per_copy * scale, "every copy must have as many passages as the real corpus"

    t0 = time.perf_counter()
    meta = {d.doc_id: d.meta for d in docs}
    ctx = [context_text(p, meta[p.doc_id]) for p in passages]
    tok = make_tokenizer(s.analyzer)
    tokens = [tok(t) for t in ctx]
    t_tok = time.perf_counter()
    bm25 = build_bm25(tokens)
    del tokens
    gc.collect()
    t_bm25 = time.perf_counter()
    rss_after_bm25 = proc_status()
    keys = [embed_key("use", t) for t in ctx]
    del ctx

    # vectors: passage k is passage (k mod per_copy) of copy (k // per_copy); its base is the
    # same passage in copy (k // per_copy) mod real_max of the really-encoded scale.
    k = np.arange(n)
    copy = k // per_copy
    base = (copy % real_max) * per_copy + (k % per_copy)
    n_sent = np.fromiter((len(sentences_of(p.text)) for p in passages), dtype=np.int64, count=n)
    offsets = np.zeros(n + 1, dtype=np.int64)
    offsets[1:] = np.cumsum(n_sent)
    blen = np.diff(boffs)[base]
    owner = np.repeat(np.arange(n), n_sent)
    j = np.arange(offsets[-1]) - offsets[owner]
    sent_src = boffs[base][owner] + (j % blen[owner])
    rng = np.random.default_rng(scale)

    def noisy(src_vecs: np.ndarray, idx: np.ndarray, noisy_rows: np.ndarray) -> np.ndarray:
        out = src_vecs[idx]
        step = 200_000
        for a in range(0, len(out), step):
            block = out[a : a + step]
            m = noisy_rows[a : a + step]
            block[m] += rng.standard_normal((int(m.sum()), block.shape[1]), dtype=np.float32) * NOISE_SIGMA
            block /= np.linalg.norm(block, axis=1, keepdims=True)
        return out

    pvec = noisy(bpvec, base, copy >= real_max)
    svec = noisy(bsvec, sent_src, (copy >= real_max)[owner])
    t_vec = time.perf_counter()
    write_build(
        Path(s.index_dir),
        documents=docs,
        passages=passages,
        bm25=bm25,
        passage_vecs=pvec,
        sent_vecs=svec,
        sent_offsets=offsets,
        embed_keys=keys,
        encoder={"id": "use", "dim": int(pvec.shape[1])},
        analyzer=s.analyzer,
        chunking={"max_chars": s.max_chars, "unit": "outline item"},
        ann_threshold=s.ann_threshold,
        build_seconds=t_vec - t0,
        fingerprint="",
    )
    t_end = time.perf_counter()
    from index.store import read_manifest

    m = read_manifest(Path(s.index_dir) / "builds" / (Path(s.index_dir) / "CURRENT").read_text().strip())
    total = t_end - t0
    rate = (
        json.loads((workdir / "speed-build-rate.json").read_text())
        if (workdir / "speed-build-rate.json").exists()
        else None
    )
    est_encode = None
    if rate:
        est_encode = round(n / rate["passages_per_s"] + len(svec) / rate["sentences_per_s"], 0)
    return {
        "vectors": f"synthetic: real vectors of ×{real_max} + N(0, {NOISE_SIGMA}²) noise, re-normalised",
        "sentences": len(svec),
        "build_s": round(total, 2),
        "build_s_note": "without encoding (vectors borrowed); everything else as build_index does it",
        "passages_per_s": round(n / total, 1),
        "stages_s": {
            "context text + tokenise": round(t_tok - t0, 2),
            "bm25 matrix (build_bm25)": round(t_bm25 - t_tok, 2),
            "vectors (borrowed + noise)": round(t_vec - t_bm25, 2),
            "write (files, faiss, checksums)": round(t_end - t_vec, 2),
        },
        "rss_after_bm25_mb": rss_after_bm25,
        "estimated_encode_s_with_use": est_encode,
        "ann": m.ann,
    }


def measure_encode_rate(workdir: Path) -> dict:
    """USE throughput on the real corpus's passage contexts and sentences, kept for estimates."""
    from bench.synth import synth_corpus
    from index.build import context_text, sentences_of
    from index.dense import UseEncoder

    docs, passages = synth_corpus(1)
    meta = {d.doc_id: d.meta for d in docs}
    ctx = [context_text(p, meta[p.doc_id]) for p in passages]
    sents = [x for p in passages for x in sentences_of(p.text)]
    enc = UseEncoder()
    enc.encode(sents[:64])
    t0 = time.perf_counter()
    enc.encode(ctx)
    t1 = time.perf_counter()
    enc.encode(sents)
    t2 = time.perf_counter()
    out = {
        "passages_per_s": round(len(ctx) / (t1 - t0), 1),
        "sentences_per_s": round(len(sents) / (t2 - t1), 1),
        "mean_passage_context_chars": round(statistics.fmean(map(len, ctx)), 1),
        "mean_sentence_chars": round(statistics.fmean(map(len, sents)), 1),
    }
    (workdir / "speed-build-rate.json").write_text(json.dumps(out))
    return out


# --- serve -------------------------------------------------------------------------------------------


class StageTimer:
    """Wraps methods of live objects to add their wall time to named stages, per question."""

    def __init__(self) -> None:
        self.current: dict[str, float] = {}

    def wrap(self, obj, attr: str, stage: str, module: bool = False) -> None:
        fn = getattr(obj, attr)
        timer = self

        def timed(*a, **kw):
            t = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                timer.current[stage] = timer.current.get(stage, 0.0) + time.perf_counter() - t

        object.__setattr__(obj, attr, timed)

    @contextmanager
    def question(self):
        self.current = {}
        yield self.current


STAGES = [
    ("plan", "question analysis (qa.query.analyze)"),
    ("lexical_total", "lexical retrieval (tokenise, BM25, top-k)"),
    ("bm25_scoring", "  of which BM25 scoring (BM25Index.scores)"),
    ("dense_total", "dense retrieval (encode, faiss, rescoring)"),
    ("query_encoding", "  of which query encoding (USE)"),
    ("faiss_passages", "  of which faiss search, passages"),
    ("faiss_sentences", "  of which faiss search, sentences"),
    ("dense_rescoring", "  of which exact rescoring of candidates"),
    ("fusion", "fusion (reciprocal_rank_fusion)"),
    ("evidence", "question terms held by the hits (qa.answer.evidence.gather)"),
    ("coverage", "coverage (qa.answer.signals.coverage)"),
    ("citations", "citations and excerpts"),
    ("wording_find", "exact-wording search (qa.lookup.occurrences)"),
]


def instrument(engine) -> StageTimer:
    import index.retriever as retriever_mod
    from qa.answer import evidence, pipeline, signals

    t = StageTimer()
    st = engine.state
    lexical, dense = st.hybrid.retrievers
    # The pipeline's stages are module functions, looked up on their modules at each call.
    t.wrap(pipeline, "plan_question", "plan")
    t.wrap(evidence, "gather", "evidence")
    t.wrap(signals, "coverage", "coverage")
    t.wrap(pipeline.assemble, "citation", "citations")
    t.wrap(pipeline, "occurrences", "wording_find")
    t.wrap(lexical, "search", "lexical_total")
    t.wrap(st.store.bm25, "scores", "bm25_scoring")
    t.wrap(dense, "search", "dense_total")
    t.wrap(dense, "_encode", "query_encoding")
    t.wrap(dense, "exact_scores", "dense_rescoring")
    t.wrap(st.store.passage_index, "search", "faiss_passages")
    t.wrap(st.store.sentence_index, "search", "faiss_sentences")
    t.wrap(retriever_mod, "reciprocal_rank_fusion", "fusion")
    return t


def run_questions(engine, qs: list[dict], timer: StageTimer | None = None) -> dict:
    totals, cpu, per_stage, answers = [], [], {k: [] for k, _ in STAGES}, []
    hybrid = []  # questions answered by hybrid retrieval, not by the exact-wording path
    by_kind: dict[str, list[float]] = {}
    for q in qs:
        if timer is not None:
            with timer.question() as cur:
                c = time.process_time()
                t = time.perf_counter()
                a = engine.ask(q["question"])
                dt = time.perf_counter() - t
                dc = time.process_time() - c
            for k in per_stage:
                if k in cur:
                    per_stage[k].append(cur[k])
            if "lexical_total" in cur and "wording_find" not in cur:
                hybrid.append(dt)
        else:
            c = time.process_time()
            t = time.perf_counter()
            a = engine.ask(q["question"])
            dt = time.perf_counter() - t
            dc = time.process_time() - c
        totals.append(dt)
        cpu.append(dc)
        by_kind.setdefault(q.get("kind", "?"), []).append(dt)
        answers.append((q["id"], a.found, tuple(c.pid for c in a.citations)))
    slowest = sorted(zip(totals, qs, strict=True), key=lambda x: -x[0])[:5]
    return {
        "total_ms": summary_ms(totals),
        "cpu_ms": summary_ms(cpu),  # CPU time of the process (all threads): less sensitive to other jobs
        "hybrid_path_ms": summary_ms(hybrid) if timer else {},
        "stages_ms": {k: summary_ms(v) for k, v in per_stage.items()} if timer else {},
        "by_kind_ms": {k: summary_ms(v) for k, v in sorted(by_kind.items())},
        "found": sum(1 for _, f, _ in answers if f),
        "slowest": [
            {"ms": round(x * 1000, 1), "id": q["id"], "kind": q["kind"], "question": q["question"]}
            for x, q in slowest
        ],
        "_answers": answers,
    }


def phase_serve(scale: int, workdir: Path) -> dict:
    from index.dense import UseEncoder
    from index.store import load_build, sha256_file
    from qa.engine import Engine
    from qa.vocab import load_vocabulary

    s = settings_for(workdir, scale)
    out: dict = {"scale": scale}
    t0 = time.perf_counter()
    if scale == 1:
        engine = Engine.open(s)
        out["open"] = "Engine.open(settings) on the real corpus folder (fingerprint matches: no rebuild)"
        assert engine.status.startswith("索引已是最新"), engine.status
    else:
        engine = Engine(s, UseEncoder(), load_vocabulary(None))
        engine.cutter.warm()
        store = load_build(Path(s.index_dir))
        engine._install(store)
        out["open"] = "Engine(settings, UseEncoder(), vocab)._install(load_build(index_dir))"
    out["load_s"] = round(time.perf_counter() - t0, 3)
    store = engine.state.store
    t0 = time.perf_counter()
    for name in store.manifest.files:
        sha256_file(store.path / name)
    out["checksum_verification_s"] = round(time.perf_counter() - t0, 3)
    out["passages"] = len(store.passages)
    out["sentences"] = len(store.sent_vecs)
    out["documents"] = len(store.documents)
    out["vocabulary"] = len(store.bm25.vocab)
    out["bm25_nnz"] = int(store.bm25.weights.nnz)
    out["ann"] = store.manifest.ann
    out["rss_after_load_mb"] = proc_status()

    for q in questions(HELDOUT)[:10]:
        engine.ask(q["question"])
    qs = questions(DEVSET)
    timer = instrument(engine)
    res = run_questions(engine, qs, timer)
    res.pop("_answers")
    out["questions"] = len(qs)
    out.update(res)
    gc.collect()
    out["rss_serving_mb"] = proc_status()  # VmHWM here = peak RSS of loading + serving

    st = engine.state
    if "hnsw" in (st.store.passage_index.kind, st.store.sentence_index.kind):
        out["hnsw_vs_exact"] = hnsw_vs_exact(engine, qs)
    return out


def hnsw_vs_exact(engine, qs: list[dict]) -> dict:
    """Recall@10 of each HNSW index against exact inner-product search, latency of both, end to end too."""
    import faiss

    from index.dense import VectorIndex

    st = engine.state
    dense = st.hybrid.retrievers[1]
    vecs = np.vstack([dense._encode(engine.plan(q["question"]).question) for q in qs]).astype(np.float32)
    out: dict = {"queries": len(qs), "threads": faiss.omp_get_max_threads()}
    exact_indexes = {}
    for name, vi, data in (
        ("passages", st.store.passage_index, st.store.passage_vecs),
        ("sentences", st.store.sentence_index, st.store.sent_vecs),
    ):
        if vi.kind != "hnsw":
            continue
        flat = faiss.IndexFlatIP(data.shape[1])
        flat.add(np.ascontiguousarray(data, dtype=np.float32))
        exact = VectorIndex(flat, "flat")
        exact_indexes[name] = exact
        depth = 250 if name == "passages" else 500  # what DenseRetriever asks for (k=100 → 2k+50, ×2)
        row: dict = {"n": int(vi.index.ntotal), "efSearch": int(vi.index.hnsw.efSearch)}
        for kk in (10, depth):
            rec, t_h, t_e, ratios = [], [], [], []
            for v in vecs:
                t = time.perf_counter()
                _, ih = vi.search(v, kk)
                t_h.append(time.perf_counter() - t)
                t = time.perf_counter()
                se, ie = exact.search(v, kk)
                t_e.append(time.perf_counter() - t)
                rec.append(len(set(ih[0].tolist()) & set(ie[0].tolist())) / kk)
                if kk == 10:
                    # how good the found neighbours are: the synthetic vectors come in clusters of
                    # near-duplicates, among which "which copy" is noise
                    sh = data[ih[0][ih[0] >= 0]] @ v
                    ratios.append(float(sh.sum() / max(se[0].sum(), 1e-9)))
            row[f"recall@{kk}"] = round(statistics.fmean(rec), 4)
            if kk == 10:
                row["score_ratio@10"] = round(statistics.fmean(ratios), 4)
            row[f"hnsw_ms@{kk}"] = summary_ms(t_h)
            row[f"exact_ms@{kk}"] = summary_ms(t_e)
        # recall@10 against efSearch (the build sets 128)
        sweep = {}
        ef0 = vi.index.hnsw.efSearch
        _, exact10 = exact.index.search(vecs, 10)
        for ef in (128, 512, 2048):
            vi.index.hnsw.efSearch = ef
            t = time.perf_counter()
            _, got = vi.index.search(vecs[:1], 10)
            ts = []
            for v in vecs:
                t = time.perf_counter()
                vi.index.search(v[None, :], 10)
                ts.append(time.perf_counter() - t)
            _, got = vi.index.search(vecs, 10)
            r = statistics.fmean(
                len(set(a.tolist()) & set(b.tolist())) / 10 for a, b in zip(got, exact10, strict=True)
            )
            sweep[str(ef)] = {"recall@10": round(r, 4), "ms_p50": round(pct(ts, 50) * 1000, 3)}
        vi.index.hnsw.efSearch = ef0
        row["efSearch_sweep"] = sweep
        out[name] = row
    # End to end, HNSW then exact indexes, on the questions that reach dense retrieval (not the
    # exact-wording ones); query vectors are cached from the first pass in both runs.
    qs = [q for q in qs if not engine.plan(q["question"]).wants_wording]
    res_h = run_questions(engine, qs)
    saved = (st.store.passage_index, st.store.sentence_index)
    st.store.passage_index = exact_indexes.get("passages", saved[0])
    st.store.sentence_index = exact_indexes.get("sentences", saved[1])
    try:
        res_e = run_questions(engine, qs)
    finally:
        st.store.passage_index, st.store.sentence_index = saved
    same_top1 = same_set = 0
    for (_, fa, ca), (_, fb, cb) in zip(res_h.pop("_answers"), res_e.pop("_answers"), strict=True):
        same_top1 += (fa == fb) and (ca[:1] == cb[:1])
        same_set += (fa == fb) and set(ca) == set(cb)
    out["end_to_end"] = {
        "questions": len(qs),
        "note": "query vectors cached (encoding excluded) in both runs; exact-wording questions left out",
        "hnsw_ms": res_h["total_ms"],
        "exact_ms": res_e["total_ms"],
        "same_found_and_top1": same_top1,
        "same_found_and_citations": same_set,
    }
    return out


# --- bm25 vs rank_bm25 ---------------------------------------------------------------------------------


def phase_bm25(scale: int, workdir: Path) -> dict:
    from rank_bm25 import BM25Okapi

    from bench.synth import synth_corpus
    from index.bm25 import build_bm25
    from index.build import context_text
    from index.tokenize import make_tokenizer

    docs, passages = synth_corpus(scale)
    meta = {d.doc_id: d.meta for d in docs}
    tok = make_tokenizer("char12")
    intern = sys.intern
    t0 = time.perf_counter()
    tokens = [[intern(x) for x in tok(context_text(p, meta[p.doc_id]))] for p in passages]
    t_tok = time.perf_counter() - t0
    del docs, passages, meta
    gc.collect()
    out: dict = {"scale": scale, "passages": len(tokens), "tokenise_s": round(t_tok, 2)}
    out["tokens"] = sum(map(len, tokens))

    t0 = time.perf_counter()
    ours = build_bm25(tokens)
    out["build_s"] = {"project build_bm25": round(time.perf_counter() - t0, 2)}
    t0 = time.perf_counter()
    theirs = BM25Okapi(tokens)
    out["build_s"]["rank_bm25 BM25Okapi()"] = round(time.perf_counter() - t0, 2)
    # Size of what each keeps (token strings are shared by both and not counted).
    w = ours.weights
    out["size_mb"] = {
        "project BM25Index": round(
            (w.data.nbytes + w.indices.nbytes + w.indptr.nbytes + sys.getsizeof(ours.vocab)) / 1e6, 1
        ),
        "rank_bm25 BM25Okapi": round(
            (
                sum(map(sys.getsizeof, theirs.doc_freqs))
                + sys.getsizeof(theirs.doc_freqs)
                + sys.getsizeof(theirs.idf)
                + sys.getsizeof(theirs.doc_len)
                + 28 * len(theirs.doc_len)
            )
            / 1e6,
            1,
        ),
    }

    qs = [tok(q["question"]) for q in questions(DEVSET)]
    n_rank = min(len(qs), RANK_BM25_QUERIES.get(scale, 5))
    step = max(1, len(qs) // n_rank)
    sub = list(range(0, len(qs), step))[:n_rank]
    ours.scores(qs[0])  # first call pays scipy's lazy set-up
    t_ours_all = []
    for q in qs:
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            ours.scores(q)
            best = min(best, time.perf_counter() - t)
        t_ours_all.append(best)
    t_ours, t_rank, max_rel_err = [], [], 0.0
    repeats = 3 if scale <= 100 else 1  # best of `repeats` for both, on the same queries
    for i in sub:
        q = qs[i]
        best_a = best_b = float("inf")
        for _ in range(repeats):
            t = time.perf_counter()
            a = ours.scores(q)
            best_a = min(best_a, time.perf_counter() - t)
            t = time.perf_counter()
            b = theirs.get_scores(q)
            best_b = min(best_b, time.perf_counter() - t)
        t_ours.append(best_a)
        t_rank.append(best_b)
        scale_ = max(float(np.abs(b).max()), 1e-9)
        max_rel_err = max(max_rel_err, float(np.abs(a.astype(np.float64) - b).max()) / scale_)
    out["queries_timed"] = {"project": len(qs), "both": len(sub), "best_of": repeats}
    out["query_tokens_mean"] = round(statistics.fmean(len(qs[i]) for i in sub), 1)
    out["project_ms_all_queries"] = summary_ms(t_ours_all)
    out["project_ms"] = summary_ms(t_ours)
    out["rank_bm25_ms"] = summary_ms(t_rank)
    out["speedup_total"] = round(sum(t_rank) / sum(t_ours), 1)
    out["speedup_median"] = round(statistics.median(t_rank) / statistics.median(t_ours), 1)
    out["max_relative_score_difference"] = max_rel_err
    out["rss_mb"] = proc_status()
    return out


# --- driver ------------------------------------------------------------------------------------------


def run_phase(phase: str, scale: int, workdir: Path, real_max: int, log) -> dict | None:
    path = workdir / f"{phase}-x{scale}.json"
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--phase",
        phase,
        "--scale",
        str(scale),
        "--workdir",
        str(workdir),
        "--real-max",
        str(real_max),
    ]
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE", PYTHONPATH=str(ROOT))
    t = time.perf_counter()
    load0 = os.getloadavg()[0]  # other jobs on the machine: read this next to the timings
    print(f"[{time.strftime('%H:%M:%S')}] {phase} ×{scale} … (load {load0:.2f})", file=log, flush=True)
    r = subprocess.run(cmd, env=env, cwd=ROOT)
    wall = time.perf_counter() - t
    print(
        f"[{time.strftime('%H:%M:%S')}] {phase} ×{scale} done in {wall:.0f} s (exit {r.returncode})",
        file=log,
        flush=True,
    )
    if r.returncode != 0 or not path.exists():
        return {"error": f"exit {r.returncode}", "wall_s": round(wall, 1)}
    data = json.loads(path.read_text())
    data["wall_s"] = round(wall, 1)
    data["loadavg_1min_before_after"] = [round(load0, 2), round(os.getloadavg()[0], 2)]
    data["commit"] = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "qa", "index"], cwd=ROOT, capture_output=True, text=True
    ).stdout.split("\n")
    data["uncommitted_under_qa_index"] = sorted(line[3:] for line in dirty if line.strip())
    return data


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scales", default="1,10,100,1000")
    ap.add_argument("--phase", choices=["build", "serve", "bm25", "rate"])
    ap.add_argument("--phases", default="build,serve,bm25", help="phases the driver runs per scale")
    ap.add_argument("--scale", type=int)
    ap.add_argument("--real-max", type=int, default=10, help="largest scale encoded for real (default 10)")
    ap.add_argument("--workdir", default="/tmp/policyqa-bench")
    ap.add_argument("--out", default=str(RESULTS / "speed.json"))
    ap.add_argument("--keep", action="store_true", help="keep synthetic index folders above ×10")
    args = ap.parse_args(argv)
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)

    if args.phase:
        fn = {
            "build": lambda: phase_build(args.scale, workdir, args.real_max),
            "serve": lambda: phase_serve(args.scale, workdir),
            "bm25": lambda: phase_bm25(args.scale, workdir),
            "rate": lambda: measure_encode_rate(workdir),
        }[args.phase]
        t0 = time.perf_counter()
        res = fn()
        res["phase_s"] = round(time.perf_counter() - t0, 2)
        res["torch_imported"] = "torch" in sys.modules
        (workdir / f"{args.phase}-x{args.scale}.json").write_text(
            json.dumps(res, ensure_ascii=False, indent=1)
        )
        return 0

    scales = [int(x) for x in args.scales.split(",")]
    phases = args.phases.split(",")
    out_path = Path(args.out)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    result = json.loads(out_path.read_text()) if out_path.exists() else {}
    result["machine"] = machine()
    result["settings"] = {
        "real_max": args.real_max,
        "noise_sigma": NOISE_SIGMA,
        "questions": str(DEVSET.relative_to(ROOT)),
        "warmup": f"first 10 of {HELDOUT.relative_to(ROOT)}",
        "command": "python bench/speed.py " + " ".join(argv if argv is not None else sys.argv[1:]),
    }
    result.setdefault("scales", {})
    log = sys.stderr
    rate = run_phase("rate", 0, workdir, args.real_max, log)
    result["encode_rate"] = rate
    for scale in scales:
        entry = result["scales"].setdefault(str(scale), {})
        for phase in phases:
            entry[phase] = run_phase(phase, scale, workdir, args.real_max, log)
            out_path.write_text(json.dumps(result, ensure_ascii=False, indent=1))
        if scale > args.real_max and not args.keep:
            shutil.rmtree(scale_dir(workdir, scale), ignore_errors=True)
    print(f"wrote {out_path}", file=log)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
