"""Load test: simulated users asking varied questions against the running app, on loopback only.

Usage: python bench/load.py [--users 20] [--seconds 120] [--port 7890]

Starts `ui.py` in a subprocess on 127.0.0.1 with a copy of the corpus (so nothing in the repo
changes), then runs N users in threads for a bounded time. Each user has its own Gradio session
(gradio_client), asks questions from the dev and held-out sets, and sometimes follows up
("还有吗", "那柳城县呢？") with the history it got back. A request counts as an error when it
raises, times out (30 s), or returns neither answer cards nor a not-found notice.
The loop stops by itself; results go to bench/results/load.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLLOW_UPS = ["还有吗", "那柳城县呢？", "那金坛呢", "泸州呢？"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def questions() -> list[str]:
    out = []
    for name in ("devset.jsonl", "heldout.jsonl"):
        for line in (ROOT / "bench" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line)["question"])
    return out


def last_html(history: list) -> str:
    if not history:
        return ""
    content = history[-1].get("content")
    if isinstance(content, list):
        return " ".join(p.get("text", "") for p in content if isinstance(p, dict))
    return str(content)


def user(url: str, qs: list[str], until: float, seed: int, out: list, errors: list) -> None:
    from gradio_client import Client

    rng = random.Random(seed)
    client = Client(url, verbose=False)
    history: list = []
    while time.time() < until:
        q = rng.choice(FOLLOW_UPS) if history and rng.random() < 0.25 else rng.choice(qs)
        if not history or rng.random() < 0.3:
            history = [] if q not in FOLLOW_UPS else history
        t = time.perf_counter()
        try:
            job = client.submit(q, history, [], [], [], False, api_name="/ask")
            history, _ = job.result(timeout=30)
            ms = (time.perf_counter() - t) * 1000
            html = last_html(history)
            if "pqa-card" not in html and "pqa-notfound" not in html:
                errors.append(f"no answer for {q!r}: {html[:120]!r}")
            out.append(ms)
        except Exception as e:  # counted, never fatal: the test reports them
            errors.append(f"{type(e).__name__}: {e} for {q!r}")
            history = []
        if len(history) > 40:
            history = []


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args()
    port = args.port or free_port()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        shutil.copytree(ROOT / "corpus", corpus)
        env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"}
        server = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "ui.py"),
                "--port",
                str(port),
                "--corpus",
                str(corpus),
                "--index-dir",
                str(Path(tmp) / "index"),
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        url = f"http://127.0.0.1:{port}/"
        try:
            deadline = time.time() + 180
            while time.time() < deadline:
                line = server.stdout.readline()
                if "已启动" in line:
                    break
                if server.poll() is not None:
                    print("server exited:", line, file=sys.stderr)
                    return 1
            threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()
            qs = questions()
            latencies: list[float] = []
            errors: list[str] = []
            until = time.time() + args.seconds
            t0 = time.time()
            threads = [
                threading.Thread(target=user, args=(url, qs, until, i, latencies, errors))
                for i in range(args.users)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=args.seconds + 60)
            wall = time.time() - t0
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    lat = sorted(latencies)
    result = {
        "users": args.users,
        "seconds": round(wall, 1),
        "requests": len(lat),
        "errors": len(errors),
        "throughput_per_s": round(len(lat) / wall, 1) if wall else 0,
        "p50_ms": round(statistics.median(lat), 1) if lat else None,
        "p95_ms": round(lat[int(0.95 * (len(lat) - 1))], 1) if lat else None,
        "max_ms": round(lat[-1], 1) if lat else None,
        "error_samples": errors[:10],
    }
    out = ROOT / "bench" / "results" / "load.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
