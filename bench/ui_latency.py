"""UI latency: from pressing Enter to the answer's first card (or the not-found notice) on screen.

Starts `python ui.py` in its own process on a free loopback port, drives it with headless Chromium
(playwright, /usr/bin/chromium), asks ~20 varied questions in one conversation (follow-ups and
"还有吗" included), three times in fresh pages (`--runs`), and measures each in the page itself: a capture-phase keydown listener stamps
`performance.now()` when Enter is pressed in the input box, a MutationObserver watches for the new
reply's first `.pqa-card` or `.pqa-notfound`, and the stamp is taken in the next animation frame
(when it is painted). So the time covers the Gradio queue round trip, `Engine.ask`, the HTML
building, the chat's Markdown/sanitizer pass and layout.

Usage:
    python bench/ui_latency.py                       # → bench/results/ui_latency.json
    python bench/ui_latency.py --corpus corpus --index-dir var/index --out /tmp/ui.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
QUESTIONS = [
    "融安县防溺水措施",
    "那柳城县呢？",
    "还有吗",
    "老师不够怎么办",
    "“四不两直”原文怎么说",
    "中考体育测试在几月、哪个股室负责",
    "哪些文件提到控辍保学",
    "各地在校园安全方面有哪些措施",
    "鹿寨县防溺水",
    "学生资助政策有哪些",
    "学前教育普惠发展",
    "金坛区教师队伍建设",
    "泸州市民办教育怎么发展",
    "“双减”工作怎么落实",
    "营养改善计划",
    "义务教育优质均衡发展",
    "食堂配送廉政风险",
    "<script>alert(1)</script>",
    "校车安全管理",
    "课后服务",
]

PROBE = """
() => {
  const b = window.__pqaBench = {enter: null, shown: null, kind: null, count: 0};
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && e.target.closest && e.target.closest('#pqa-input')) {
      b.enter = performance.now(); b.shown = null; b.kind = null;
    }
  }, true);
  new MutationObserver(() => {
    if (b.enter === null || b.shown !== null || b.kind !== null) return;
    const answers = document.querySelectorAll('#pqa-chat .pqa-answer');
    if (answers.length <= b.count) return;
    const hit = answers[answers.length - 1].querySelector('.pqa-card, .pqa-notfound');
    if (!hit) return;
    b.kind = hit.classList.contains('pqa-card') ? 'answer' : 'notice';
    requestAnimationFrame(() => { b.shown = performance.now(); });
  }).observe(document.body, {childList: true, subtree: true});
}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil(n·q/100), at least 1
    return ordered[int(rank) - 1]


def start_app(args: argparse.Namespace, port: int) -> subprocess.Popen:
    cmd = [sys.executable, str(REPO / "ui.py"), "--port", str(port)]
    if args.corpus:
        cmd += ["--corpus", args.corpus]
    if args.index_dir:
        cmd += ["--index-dir", args.index_dir]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("POLICYQA_AUTH", None)
    proc = subprocess.Popen(
        cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    deadline = time.monotonic() + args.start_timeout
    assert proc.stdout is not None
    for line in proc.stdout:
        print(f"  ui.py: {line.rstrip()}", file=sys.stderr)
        if "政策问答已启动" in line:
            return proc
        if time.monotonic() > deadline:
            break
    proc.kill()
    raise SystemExit(f"ui.py did not start (exit code {proc.poll()})")


def measure(url: str, questions: list[str], timeout_ms: float, runs: int = 1) -> list[dict]:
    """Ask `questions` in one conversation, `runs` times (a fresh page each time); one row per answer."""
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        version = browser.version
        for run in range(1, runs + 1):
            page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
            rows += _conversation(page, url, questions, timeout_ms, run)
            page.close()
        browser.close()
    for r in rows:
        r["browser"] = version
    return rows


def _conversation(page, url: str, questions: list[str], timeout_ms: float, run: int) -> list[dict]:
    rows = []
    page.goto(url)
    box = page.locator("#pqa-input textarea")
    box.wait_for()
    page.evaluate(PROBE)
    for q in questions:
        page.evaluate(
            "() => { const b = window.__pqaBench; b.enter = null; b.shown = null; b.kind = null;"
            " b.count = document.querySelectorAll('#pqa-chat .pqa-answer').length; }"
        )
        box.fill(q)
        box.press("Enter")
        page.wait_for_function("() => window.__pqaBench.shown !== null", timeout=timeout_ms)
        b = page.evaluate("() => window.__pqaBench")
        ms = round(b["shown"] - b["enter"], 1)
        rows.append({"run": run, "question": q, "ms": ms, "shown": b["kind"]})
        print(f"  run {run} {ms:7.1f} ms  {b['kind']:6s}  {q}", file=sys.stderr)
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", help="corpus folder for ui.py (default: its own default, corpus/)")
    ap.add_argument("--index-dir", help="index folder for ui.py (default: var/index/)")
    ap.add_argument("--out", default=str(REPO / "bench" / "results" / "ui_latency.json"))
    ap.add_argument("--runs", type=int, default=3, help="conversations to ask, each in a fresh page")
    ap.add_argument("--start-timeout", type=float, default=300.0, help="seconds to wait for ui.py")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for one answer")
    args = ap.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(
            f"Chromium not found at {CHROMIUM} (apt-get install -y chromium fonts-noto-cjk)", file=sys.stderr
        )
        return 2

    port = free_port()
    load_before = os.getloadavg()
    proc = start_app(args, port)
    try:
        rows = measure(f"http://127.0.0.1:{port}/", QUESTIONS, args.timeout * 1000, args.runs)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()

    load_after = os.getloadavg()
    times = [r["ms"] for r in rows]
    summary = {
        "what": "ms from pressing Enter to the first citation card or not-found notice painted",
        "n": len(times),
        "p50_ms": percentile(times, 50),
        "p95_ms": percentile(times, 95),
        "max_ms": max(times),
        "target_ms": 1000,
        "runs": [
            {
                "run": k,
                "p50_ms": percentile(ts, 50),
                "p95_ms": percentile(ts, 95),
                "max_ms": max(ts),
            }
            for k in sorted({r["run"] for r in rows})
            for ts in [[r["ms"] for r in rows if r["run"] == k]]
        ],
        "browser": rows[0]["browser"] if rows else None,
        "cpus": os.cpu_count(),
        # The machine may be shared: the 1-, 5- and 15-minute load averages around the run.
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in load_after],
        "python": platform.python_version(),
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "questions": [{k: r[k] for k in ("run", "question", "ms", "shown")} for r in rows],
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(
        f"UI latency over {len(times)} answers ({args.runs} runs): p50 {summary['p50_ms']:.0f} ms, "
        f"p95 {summary['p95_ms']:.0f} ms, max {summary['max_ms']:.0f} ms "
        f"(load {load_before[0]:.1f} → {load_after[0]:.1f})  → {out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
