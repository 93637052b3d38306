"""Load test: simulated users asking varied questions against the running app, on loopback only.

Usage: python bench/load.py [--users 20] [--seconds 120] [--max-requests 20000] [--port 0]
                            [--concurrency N] [--out bench/results/load.json]

Starts `ui.py` in a subprocess on 127.0.0.1 with a copy of the corpus (so nothing in the repo
changes), then runs N users in threads for a bounded time and a bounded number of requests.
Each user has its own Gradio session (the page's queue protocol over plain HTTP, with httpx),
asks questions from the dev and held-out sets, and sometimes follows up ("还有吗", "那柳城县呢？")
with the history it got back. A request
counts as an error when it raises, times out (30 s), or returns neither answer cards nor a
not-found notice. The loop stops by itself; results go to bench/results/load.json.

`--concurrency N` overrides the queue's `default_concurrency_limit` that `ui.build_app` sets
(to compare settings without editing ui.py); without it the app runs exactly as shipped. The
result records the queue settings the server actually used, the CPU seconds of the server and of
this client process (both share the machine's cores), and the load average before and after.
Traffic goes to 127.0.0.1 only.
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
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLLOW_UPS = ["还有吗", "那柳城县呢？", "那金坛呢", "泸州呢？"]
TIMEOUT_S = 30

# Runs ui.main in the server process, first wrapping gr.Blocks.queue so that it prints the queue
# settings in use (and applies --concurrency when given).
LAUNCHER = """
import sys
import gradio as gr
limit = int(sys.argv[1])
real_queue = gr.Blocks.queue
def queue(self, *args, **kwargs):
    if limit > 0:
        kwargs["default_concurrency_limit"] = limit
    out = real_queue(self, *args, **kwargs)
    q = self._queue
    print(f"QUEUE default_concurrency_limit={q.default_concurrency_limit} max_size={q.max_size} "
          f"max_threads={self.max_threads}", flush=True)
    return out
gr.Blocks.queue = queue
sys.path.insert(0, sys.argv[2])
import ui
sys.exit(ui.main(sys.argv[3:]))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def questions() -> list[str]:
    out = []
    for name in ("devset.jsonl", "heldout.jsonl"):
        for line in (ROOT / "bench" / "questions" / name).read_text(encoding="utf-8").splitlines():
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


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Session:
    """One simulated browser tab: a Gradio session that asks through the queue as the page does.

    The page's protocol (sse_v3): POST `queue/join` with the inputs of the `ask` event, then read
    the session's event stream `queue/data` until `process_completed`. A plain HTTP client keeps
    the load generator's own CPU small (gradio_client spends ~100 ms of CPU per request, which on
    2 cores starved the server it was measuring); the conversation state stays on the server, keyed
    by the session, as for a real user.
    """

    def __init__(self, url: str, fn_index: int, api_prefix: str):
        import httpx

        self.url, self.fn_index, self.prefix = url, fn_index, api_prefix
        self.session = uuid.uuid4().hex[:11]
        self.http = httpx.Client(timeout=httpx.Timeout(TIMEOUT_S))

    def ask(self, question: str, history: list) -> list:
        """Ask one question with the chat history shown so far; returns the new history."""
        data = [question, history, None, [], [], [], False]  # msg, chat, state, places, years, docs, wording
        r = self.http.post(
            f"{self.url}{self.prefix}/queue/join",
            json={"data": data, "event_data": None, "fn_index": self.fn_index, "trigger_id": None,
                  "session_hash": self.session},
        )  # fmt: skip
        r.raise_for_status()
        event_id = r.json()["event_id"]
        deadline = time.monotonic() + TIMEOUT_S
        with self.http.stream(
            "GET", f"{self.url}{self.prefix}/queue/data", params={"session_hash": self.session}
        ) as s:
            for line in s.iter_lines():
                if time.monotonic() > deadline:
                    raise TimeoutError(f"no answer within {TIMEOUT_S} s")
                if not line.startswith("data:"):
                    continue
                m = json.loads(line[5:])
                if m.get("event_id") not in (None, event_id):
                    continue
                if m.get("msg") in ("queue_full", "unexpected_error"):
                    raise RuntimeError(f"{m.get('msg')}: {m.get('message')}")
                if m.get("msg") == "process_completed":
                    if not m.get("success"):
                        raise RuntimeError(f"failed: {str(m.get('output'))[:200]}")
                    return m["output"]["data"][0]
        raise RuntimeError("event stream closed before the answer")

    def close(self) -> None:
        self.http.close()


def ask_endpoint(url: str) -> tuple[int, str]:
    """The fn_index of the `ask` event and the API prefix, from the app's /config."""
    import httpx

    config = httpx.get(url + "config", timeout=30).json()
    dep = next(d for d in config["dependencies"] if d.get("api_name") == "ask")
    return dep["id"], config.get("api_prefix", "/gradio_api").strip("/")


def user(url: str, qs: list[str], until: float, seed: int, out: list, errors: list, budget: list) -> None:
    rng = random.Random(seed)
    session = Session(url, *ask_endpoint(url))
    history: list = []
    try:
        while time.time() < until:
            try:
                budget.pop()  # bounded in count as well as in time
            except IndexError:
                return
            q = rng.choice(FOLLOW_UPS) if history and rng.random() < 0.25 else rng.choice(qs)
            if not history or rng.random() < 0.3:
                history = [] if q not in FOLLOW_UPS else history
            t = time.perf_counter()
            try:
                history = session.ask(q, history)
                ms = (time.perf_counter() - t) * 1000
                html = last_html(history)
                if "pqa-card" not in html and "pqa-notfound" not in html:
                    errors.append(f"no answer for {q!r}: {html[:120]!r}")
                out.append(ms)
            except Exception as e:  # counted, never fatal: the result reports them
                errors.append(f"{type(e).__name__}: {e} for {q!r}")
                history = []
            if len(history) > 40:
                history = []
    finally:
        session.close()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--max-requests", type=int, default=20_000, help="stop after this many requests in all")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument(
        "--concurrency", type=int, default=0, help="override default_concurrency_limit (0: as shipped)"
    )
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "load.json")
    args = ap.parse_args()
    port = args.port or free_port()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        shutil.copytree(ROOT / "corpus", corpus)
        env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "OMP_WAIT_POLICY": "PASSIVE"}
        env.pop("POLICYQA_AUTH", None)
        server = subprocess.Popen(
            [
                sys.executable,
                "-c",
                LAUNCHER,
                str(args.concurrency),
                str(ROOT),
                "--host",
                "127.0.0.1",
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
        queue_line = ""
        try:
            deadline = time.time() + 300
            while time.time() < deadline:
                line = server.stdout.readline()
                if line.startswith("QUEUE "):
                    queue_line = line.split(" ", 1)[1].strip()
                if "已启动" in line:
                    break
                if server.poll() is not None:
                    print("server exited:", line, file=sys.stderr)
                    return 1
            else:
                print("server did not start within 300 s", file=sys.stderr)
                return 1
            threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()
            qs = questions()
            latencies: list[float] = []
            errors: list[str] = []
            budget = [None] * args.max_requests
            load_before = os.getloadavg()
            server_cpu0, client_cpu0 = cpu_seconds(server.pid), time.process_time()
            until = time.time() + args.seconds
            t0 = time.time()
            threads = [
                threading.Thread(target=user, args=(url, qs, until, i, latencies, errors, budget))
                for i in range(args.users)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=args.seconds + 60)
            wall = time.time() - t0
            server_cpu = cpu_seconds(server.pid) - server_cpu0
            client_cpu = time.process_time() - client_cpu0
            load_after = os.getloadavg()
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    lat = sorted(latencies)
    result = {
        "when_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t0)),
        "queue": queue_line,
        "concurrency_override": args.concurrency or None,
        "users": args.users,
        "seconds": round(wall, 1),
        "requests": len(lat),
        "errors": len(errors),
        "throughput_per_s": round(len(lat) / wall, 1) if wall else 0,
        "p50_ms": round(statistics.median(lat), 1) if lat else None,
        "p95_ms": round(lat[int(0.95 * (len(lat) - 1))], 1) if lat else None,
        "max_ms": round(lat[-1], 1) if lat else None,
        "server_cpu_s": round(server_cpu, 1),
        "server_cpu_ms_per_request": round(1000 * server_cpu / len(lat), 1) if lat else None,
        "client_cpu_s": round(client_cpu, 1),
        "loadavg_1min_before_after": [round(load_before[0], 2), round(load_after[0], 2)],
        "error_samples": errors[:10],
    }
    out = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
