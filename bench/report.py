"""Markdown tables for BENCHMARKS.md "Speed and memory" from bench/results/{speed,coldstart}.json.

Usage:
    python bench/report.py > /tmp/tables.md
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.speed import STAGES  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def _load(name: str) -> dict:
    p = RESULTS / name
    return json.loads(p.read_text()) if p.exists() else {}


def _f(x, digits=1) -> str:
    if x is None:
        return "–"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, float):
        return f"{x:,.{digits}f}"
    if isinstance(x, int):
        return f"{x:,}"
    return str(x)


def _ok(cond: bool | None) -> str:
    return "–" if cond is None else ("**pass**" if cond else "**FAIL**")


def _code(phase: dict) -> str:
    """The commit a phase ran at, with the files under qa/ or index/ that differed from it."""
    dirty = phase.get("uncommitted_under_qa_index")
    return phase.get("commit", "–") + (f" + uncommitted {', '.join(dirty)}" if dirty else "")


def table(head: list[str], rows: list[list]) -> str:
    out = ["| " + " | ".join(head) + " |", "| " + " | ".join("---" for _ in head) + " |"]
    out += ["| " + " | ".join(_f(c) if not isinstance(c, str) else c for c in r) + " |" for r in rows]
    return "\n".join(out)


def main() -> int:
    speed = _load("speed.json")
    cold = _load("coldstart.json")
    scales = sorted(speed.get("scales", {}), key=int)
    S = {k: speed["scales"][k] for k in scales}
    m = speed.get("machine", {})
    print(
        f"Machine: {m.get('cpu')} × {m.get('cores')} cores, {m.get('memory_gb')} GiB; Python {m.get('python')}, "
        f"numpy {m.get('numpy')}, scipy {m.get('scipy')}, faiss {m.get('faiss')}; OMP_WAIT_POLICY={m.get('OMP_WAIT_POLICY')}. "
        f"Run {m.get('date')}.\n"
    )
    rate = speed.get("encode_rate") or {}
    if rate:
        print(
            f"USE encoding rate measured separately (rate phase, load {rate.get('loadavg_1min_before_after')}): "
            f"{rate.get('passages_per_s')} passage contexts/s (mean {rate.get('mean_passage_context_chars')} chars), "
            f"{rate.get('sentences_per_s')} sentences/s (mean {rate.get('mean_sentence_chars')} chars).\n"
        )
    print(
        f"Code: commit {m.get('commit')}; uncommitted changes under qa/ or index/: {m.get('uncommitted_changes_under_qa_index')}.\n"
    )

    # build; encoding estimate for borrowed-vector scales: the largest real scale's measured
    # encoding time, scaled by the number of texts (passages + sentences)
    real = [k for k in scales if str(S[k].get("build", {}).get("vectors", "")).startswith("real")]
    ref = S[real[-1]]["build"] if real else None
    ref_rate = None
    if ref:
        enc = next((v for n, v in ref.get("stages_s", {}).items() if n.startswith("encode")), None)
        if enc:
            ref_rate = (ref["passages"] + ref["sentences"]) / enc
    rows = []
    for k in scales:
        b = S[k].get("build", {})
        st = b.get("stages_s", {})
        est = None
        if ref_rate and k not in real and b.get("passages"):
            est = round((b["passages"] + b.get("sentences", 0)) / ref_rate / 60, 1)
        rows.append(
            [
                f"×{k}",
                b.get("documents"),
                b.get("passages"),
                b.get("sentences"),
                "real" if str(b.get("vectors", "")).startswith("real") else "borrowed + noise",
                b.get("build_s"),
                b.get("passages_per_s"),
                "; ".join(f"{n} {v}" for n, v in st.items()),
                est,
                (b.get("rss_mb") or {}).get("VmHWM"),
                round((b.get("index_bytes") or 0) / 1e6, 1),
                f"{(b.get('ann') or {}).get('passages')}/{(b.get('ann') or {}).get('sentences')}",
                "/".join(str(x) for x in b.get("loadavg_1min_before_after", [])),
                _code(b),
            ]
        )
    print("#### Build\n")
    print(
        table(
            [
                "scale",
                "docs",
                "passages",
                "sentences",
                "vectors",
                "build s",
                "passages/s",
                "stages (s)",
                "USE encoding would add (min, est.)",
                "peak RSS MB",
                "index MB",
                "faiss passages/sentences",
                "load avg before/after",
                "code",
            ],
            rows,
        )
    )

    # latency
    rows = []
    for k in scales:
        s = S[k].get("serve", {})
        t, c, hp = s.get("total_ms", {}), s.get("cpu_ms", {}), s.get("hybrid_path_ms", {})
        rows.append(
            [
                f"×{k}",
                s.get("passages"),
                s.get("questions"),
                t.get("p50"),
                t.get("p95"),
                t.get("max"),
                f"{_f(hp.get('p50'))} / {_f(hp.get('p95'))} (n={hp.get('n')})" if hp.get("n") else "–",
                c.get("p50"),
                c.get("p95"),
                s.get("found"),
                s.get("load_s"),
                s.get("checksum_verification_s"),
                (s.get("rss_after_load_mb") or {}).get("VmRSS"),
                (s.get("rss_serving_mb") or {}).get("VmHWM"),
                "/".join(str(x) for x in s.get("loadavg_1min_before_after", [])),
                _code(s),
            ]
        )
    print("\n#### Warm query latency, `Engine.ask`, end to end (ms)\n")
    print(
        table(
            [
                "scale",
                "passages",
                "questions",
                "p50",
                "p95",
                "max",
                "hybrid-path questions p50 / p95",
                "CPU p50",
                "CPU p95",
                "answered",
                "load s",
                "of which checksums s",
                "RSS after load MB",
                "peak RSS serving MB",
                "load avg before/after",
                "code",
            ],
            rows,
        )
    )

    print("\n#### Per stage (ms, p50 / p95 over the questions that reach the stage; n = how many)\n")
    head = ["stage", *[f"×{k}" for k in scales]]
    rows = []
    for key, label in STAGES:
        r = [label]
        for k in scales:
            st = (S[k].get("serve", {}).get("stages_ms") or {}).get(key, {})
            r.append(
                f"{_f(st.get('p50'), 2)} / {_f(st.get('p95'), 2)} (n={st.get('n', 0)})"
                if st.get("n")
                else "–"
            )
        rows.append(r)
    print(table(head, rows))

    print("\n#### Slowest questions\n")
    rows = []
    for k in scales:
        for x in (S[k].get("serve", {}).get("slowest") or [])[:3]:
            rows.append([f"×{k}", x["ms"], x["kind"], x["question"]])
    print(table(["scale", "ms", "kind", "question"], rows))

    # bm25
    rows = []
    for k in scales:
        b = S[k].get("bm25", {})
        if not b or "error" in b:
            continue
        rows.append(
            [
                f"×{k}",
                b.get("passages"),
                f"{b['queries_timed']['both']} (best of {b['queries_timed'].get('best_of', 1)})",
                b["project_ms"]["p50"],
                b["rank_bm25_ms"]["p50"],
                f"{b['speedup_total']}×",
                _ok(b["speedup_total"] >= 10),
                f"{b['max_relative_score_difference']:.1e}",
                b["project_ms_all_queries"]["p95"],
                f"{b['build_s']['project build_bm25']} / {b['build_s']['rank_bm25 BM25Okapi()']}",
                f"{b['size_mb']['project BM25Index']} / {b['size_mb']['rank_bm25 BM25Okapi']}"
                if "size_mb" in b
                else "–",
                "/".join(str(x) for x in b.get("loadavg_1min_before_after", [])),
                _code(b),
            ]
        )
    print(
        "\n#### BM25 scoring: `BM25Index.scores` vs `rank_bm25.BM25Okapi.get_scores`, same tokenised passages\n"
    )
    print(
        table(
            [
                "scale",
                "passages",
                "queries timed by both",
                "project p50 ms",
                "rank_bm25 p50 ms",
                "speed-up (total)",
                "≥ 10×",
                "max rel. score diff",
                "project p95 ms (all 104)",
                "build s project / rank_bm25",
                "size MB project / rank_bm25",
                "load avg before/after",
                "code",
            ],
            rows,
        )
    )

    # hnsw
    rows, e2e = [], []
    for k in scales:
        h = S[k].get("serve", {}).get("hnsw_vs_exact")
        if not h:
            continue
        for name in ("passages", "sentences"):
            r = h.get(name)
            if not r:
                continue
            depth = 250 if name == "passages" else 500
            rows.append(
                [
                    f"×{k}",
                    name,
                    r["n"],
                    f"{r['recall@10']:.3f}",
                    f"{r['score_ratio@10']:.3f}" if "score_ratio@10" in r else "–",
                    f"{r[f'recall@{depth}']:.3f}",
                    depth,
                    r["hnsw_ms@10"]["p50"],
                    r["exact_ms@10"]["p50"],
                    r[f"hnsw_ms@{depth}"]["p50"],
                    r[f"exact_ms@{depth}"]["p50"],
                ]
            )
        ee = h.get("end_to_end", {})
        if ee:
            e2e.append(
                [
                    f"×{k}",
                    ee["questions"],
                    f"{ee['hnsw_ms']['p50']} / {ee['hnsw_ms']['p95']}",
                    f"{ee['exact_ms']['p50']} / {ee['exact_ms']['p95']}",
                    ee["same_found_and_top1"],
                    ee["same_found_and_citations"],
                ]
            )
    if rows:
        print("\n#### HNSW vs exact inner-product search (faiss; vectors borrowed + noise above ×10)\n")
        print(
            table(
                [
                    "scale",
                    "index",
                    "vectors",
                    "recall@10",
                    "score ratio@10",
                    "recall@depth",
                    "depth",
                    "HNSW p50 ms @10",
                    "exact p50 ms @10",
                    "HNSW p50 ms @depth",
                    "exact p50 ms @depth",
                ],
                rows,
            )
        )
        sw = []
        for k in scales:
            h = S[k].get("serve", {}).get("hnsw_vs_exact") or {}
            for name in ("passages", "sentences"):
                r = (h.get(name) or {}).get("efSearch_sweep")
                if r:
                    sw.append([f"×{k}", name, *[f"{v['recall@10']} ({v['ms_p50']} ms)" for v in r.values()]])
                    ef_head = list(r)
        if sw:
            print("\nrecall@10 (p50 latency) against efSearch:\n")
            print(table(["scale", "index", *[f"efSearch={e}" for e in ef_head]], sw))
        print("\nEnd to end with exact indexes swapped in (query vectors cached in both runs):\n")
        print(
            table(
                [
                    "scale",
                    "questions",
                    "HNSW p50 / p95 ms",
                    "exact p50 / p95 ms",
                    "same top-1",
                    "same 5 citations",
                ],
                e2e,
            )
        )

    if cold:
        b = cold.get("breakdown_s", {})
        sv = cold.get("serving", {})
        print("\n#### Cold start and serving memory (real corpus)\n")
        print(
            table(
                ["measure", "value"],
                [
                    [
                        f"`policyqa ask` to answer, median of {cold['runs']} (s)",
                        f"{cold['to_answer_s']['median']:.2f}",
                    ],
                    ["… max (s)", f"{cold['to_answer_s']['max']:.2f}"],
                    ["… all runs (s)", ", ".join(f"{x:.2f}" for x in cold["to_answer_s"]["all"])],
                    [
                        "load avg before/after the runs",
                        "/".join(str(x) for x in cold.get("loadavg_1min_before_after", [])) or "–",
                    ],
                    [
                        "to process exit, median / max (s)",
                        f"{cold['to_exit_s']['median']:.2f} / {cold['to_exit_s']['max']:.2f}",
                    ],
                    ["bare `python -c pass` (s)", f"{b.get('bare_python_start_s', 0):.3f}"],
                    [
                        "python + import numpy, scipy.sparse, faiss (s)",
                        f"{b.get('python_plus_numpy_scipy_faiss_s', 0):.3f}",
                    ],
                    ["in process: import qa.engine (s)", f"{b.get('import_engine_s', 0):.3f}"],
                    ["in process: Engine.open (s)", f"{b.get('engine_open_s', 0):.3f}"],
                    ["in process: first ask, loads USE (s)", f"{b.get('first_ask_s', 0):.3f}"],
                    ["in process: second ask (s)", f"{b.get('second_ask_s', 0):.4f}"],
                    [
                        "serving: peak RSS after open + 50 questions (MB)",
                        (sv.get("after_questions_mb") or {}).get("VmHWM"),
                    ],
                    ["serving: RSS after open (MB)", (sv.get("after_open_mb") or {}).get("VmRSS")],
                    ["torch imported", sv.get("torch_imported")],
                    ["heavy modules imported", ", ".join(sv.get("heavy_modules_imported") or []) or "none"],
                ],
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
