"""Cold start of `policyqa ask` and the memory of serving the real corpus.

1. cold start: a fresh `policyqa --index-dir DIR ask "融安县防溺水措施" --no-color` process, with an
   index already built for the real corpus (built once here, in a temporary folder), run N times
   (default 5). Time from just before the process is started to the first byte of the answer on
   stdout (PYTHONUNBUFFERED=1, so printing is not held back by a pipe buffer) and to the
   process's exit; median and max. The page cache is warm (the index was just built or read).
2. where the time goes: one in-process run that times the imports, Engine.open and the first
   ask (which loads the USE model) — the steps `policyqa ask` does.
3. serving memory: a process that opens the engine and answers 50 dev-set questions, then reads
   VmHWM (peak RSS) and VmRSS from /proc/self/status and checks that torch was never imported.

Usage:
    python bench/coldstart.py            # → bench/results/coldstart.json
    python bench/coldstart.py --runs 10
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "融安县防溺水措施"
RESULTS = ROOT / "bench" / "results"
HEAVY = ("torch", "transformers", "sentence_transformers", "pandas", "sklearn", "tensorflow", "gradio")

_STEPS = r"""
import json, os, sys, time
t0 = time.perf_counter()
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
from qa.settings import Settings
from qa.engine import Engine
t1 = time.perf_counter()
engine = Engine.open(Settings(corpus_dir=sys.argv[1], index_dir=sys.argv[2]))
t2 = time.perf_counter()
a = engine.ask(sys.argv[3])
t3 = time.perf_counter()
a2 = engine.ask(sys.argv[3])
t4 = time.perf_counter()
print(json.dumps({
    "interpreter_start_to_script_s": round(t0 - float(sys.argv[4]), 3),
    "import_engine_s": round(t1 - t0, 3),
    "engine_open_s": round(t2 - t1, 3),
    "first_ask_s": round(t3 - t2, 3),
    "second_ask_s": round(t4 - t3, 4),
    "status": engine.status,
    "found": a.found,
}))
"""

_OPEN_PROFILE = r"""
import cProfile, io, os, pstats, sys, time
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
pr = cProfile.Profile()
pr.enable()
from qa.settings import Settings
from qa.engine import Engine
engine = Engine.open(Settings(corpus_dir=sys.argv[1], index_dir=sys.argv[2]))
engine.ask(sys.argv[3])
pr.disable()
s = io.StringIO()
pstats.Stats(pr, stream=s).sort_stats("cumulative").print_stats(40)
print(s.getvalue())
"""

_SERVE = r"""
import json, os, sys, time
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
from qa.settings import Settings
from qa.engine import Engine

def status():
    out = {}
    for line in open("/proc/self/status"):
        if line.startswith(("VmRSS:", "VmHWM:")):
            k, v = line.split(":", 1)
            out[k] = round(int(v.split()[0]) / 1024, 1)
    return out

engine = Engine.open(Settings(corpus_dir=sys.argv[1], index_dir=sys.argv[2]))
after_open = status()
qs = [json.loads(l)["question"] for l in open(sys.argv[3], encoding="utf-8") if l.strip()][:50]
t = time.perf_counter()
found = sum(engine.ask(q).found for q in qs)
dt = time.perf_counter() - t
heavy = sorted(m for m in sys.modules if m.split(".")[0] in json.loads(sys.argv[4]))
print(json.dumps({
    "questions": len(qs),
    "found": found,
    "seconds": round(dt, 3),
    "after_open_mb": after_open,
    "after_questions_mb": status(),
    "torch_imported": "torch" in sys.modules,
    "heavy_modules_imported": sorted({m.split(".")[0] for m in heavy}),
    "modules_loaded": len(sys.modules),
}))
"""


def _env() -> dict[str, str]:
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE", PYTHONUNBUFFERED="1")
    env.pop("POLICYQA_INDEX", None)
    env.pop("POLICYQA_CORPUS", None)
    return env


def timed_cli(argv: list[str]) -> dict:
    """Run the CLI once: seconds to the first stdout byte and to exit."""
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(), cwd=ROOT)
    assert p.stdout is not None
    first = p.stdout.read(1)
    t_first = time.perf_counter() - t0
    rest = p.stdout.read()
    err = p.stderr.read() if p.stderr else b""
    p.wait()
    t_exit = time.perf_counter() - t0
    return {
        "to_answer_s": round(t_first, 3),
        "to_exit_s": round(t_exit, 3),
        "exit": p.returncode,
        "stdout": (first + rest).decode("utf-8", "replace"),
        "stderr": err.decode("utf-8", "replace"),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--workdir", default="/tmp/policyqa-bench/coldstart")
    ap.add_argument("--out", default=str(RESULTS / "coldstart.json"))
    args = ap.parse_args(argv)
    work = Path(args.workdir)
    index_dir = work / "index"
    corpus = ROOT / "corpus"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    policyqa = shutil.which("policyqa")
    base = [policyqa] if policyqa else [sys.executable, "-m", "qa.cli"]
    common = [*base, "--corpus", str(corpus), "--index-dir", str(index_dir)]

    t = time.perf_counter()
    r = subprocess.run([*common, "index"], env=_env(), cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stdout, r.stderr, file=sys.stderr)
        return 1
    build_s = time.perf_counter() - t

    load0 = os.getloadavg()[0]  # other jobs on the machine: read this next to the timings
    runs = [timed_cli([*common, "ask", QUESTION, "--no-color"]) for _ in range(args.runs)]
    load1 = os.getloadavg()[0]
    bad = [x for x in runs if x["exit"] != 0 or "索引已是最新" not in x["stderr"]]
    if bad:
        print("a run failed or rebuilt the index:", bad[0]["stderr"], file=sys.stderr)
        return 1
    to_answer = [x["to_answer_s"] for x in runs]
    to_exit = [x["to_exit_s"] for x in runs]

    steps = subprocess.run(
        [sys.executable, "-c", _STEPS, str(corpus), str(index_dir), QUESTION, str(time.time())],
        env=dict(_env(), PYTHONPATH=str(ROOT)),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    breakdown = (
        json.loads(steps.stdout.strip().splitlines()[-1])
        if steps.returncode == 0
        else {"error": steps.stderr[-2000:]}
    )
    breakdown.pop("interpreter_start_to_script_s", None)  # wall clocks differ: not reliable
    t = time.perf_counter()
    py = subprocess.run([sys.executable, "-c", "pass"], env=_env())
    breakdown["bare_python_start_s"] = round(time.perf_counter() - t, 3)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import numpy, scipy.sparse, faiss"], env=_env())
    breakdown["python_plus_numpy_scipy_faiss_s"] = round(time.perf_counter() - t, 3)
    assert py.returncode == 0

    prof = subprocess.run(
        [sys.executable, "-c", _OPEN_PROFILE, str(corpus), str(index_dir), QUESTION],
        env=dict(_env(), PYTHONPATH=str(ROOT)),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    (work / "coldstart-profile.txt").write_text(prof.stdout)

    serve = subprocess.run(
        [
            sys.executable,
            "-c",
            _SERVE,
            str(corpus),
            str(index_dir),
            str(ROOT / "bench" / "questions" / "devset.jsonl"),
            json.dumps(HEAVY),
        ],
        env=dict(_env(), PYTHONPATH=str(ROOT)),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    serving = (
        json.loads(serve.stdout.strip().splitlines()[-1])
        if serve.returncode == 0
        else {"error": serve.stderr[-2000:]}
    )

    result = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "loadavg_1min_before_after": [round(load0, 2), round(load1, 2)],
        "command": f"policyqa --corpus corpus --index-dir <tmp> ask {QUESTION!r} --no-color",
        "index_build_s": round(build_s, 2),
        "runs": args.runs,
        "to_answer_s": {
            "median": round(statistics.median(to_answer), 3),
            "max": max(to_answer),
            "all": to_answer,
        },
        "to_exit_s": {"median": round(statistics.median(to_exit), 3), "max": max(to_exit), "all": to_exit},
        "answer_first_line": runs[0]["stdout"].splitlines()[0] if runs[0]["stdout"] else "",
        "breakdown_s": breakdown,
        "profile": str(work / "coldstart-profile.txt"),
        "serving": serving,
        "targets": {
            "cold_start_le_3s": max(to_answer) <= 3.0,
            "cold_start_median_le_3s": statistics.median(to_answer) <= 3.0,
            "serving_le_400mb": serving.get("after_questions_mb", {}).get("VmHWM", 1e9) <= 400,
            "no_torch": serving.get("torch_imported") is False,
        },
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(
        json.dumps(
            {k: result[k] for k in ("to_answer_s", "to_exit_s", "breakdown_s", "targets")},
            ensure_ascii=False,
            indent=1,
        )
    )
    print(f"serving: {serving}")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
