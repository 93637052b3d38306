"""A full disk under the index, for real: a small tmpfs (needs root), filled to the last few KB.

The corpus (four of the five documents) and its index live on a fresh tmpfs; a filler file then
takes all but `--leave` KB and the fifth document is added, so the next build cannot be written.
Then, each as a user meets it:

1. `policyqa index` three times (exit code, message, `.tmp-` folders and free space after each);
2. `policyqa ask --json` (does the old index still answer?);
3. start-up of the app's engine (`Engine.open`, what `python ui.py` does first) and a question;
4. an upload through the UI's handler (`qa.web.handlers.upload`) with the corpus as indexed (what does the user read?);
5. the corpus watcher for `--watch` seconds with the fifth document in the corpus: re-index
   attempts, tracebacks logged, CPU seconds, `.tmp-` folders.

`--code DIR` runs another checkout (e.g. the commit before issue 13) for a before/after.

    sudo python bench/full_disk.py                       → bench/results/full_disk.json
    sudo python bench/full_disk.py --code /tmp/base --out /tmp/full-base.json
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIFTH = "004_9f55be01de2550e3.txt"

IN_PROCESS = r"""
import json, logging, os, shutil, sys, tempfile, threading, time
from pathlib import Path
corpus, index, fifth, watch_s = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), float(sys.argv[4])
tracebacks = []
class Count(logging.Handler):
    def emit(self, record):
        if record.exc_info:
            tracebacks.append(f"{type(record.exc_info[1]).__name__}: {record.exc_info[1]}"[:200])
logging.getLogger().addHandler(Count())
logging.getLogger().setLevel(logging.WARNING)
from qa.engine import Engine
from qa.settings import Settings
try:  # the UI's handlers (qa/web since issue 10; ui.py in older checkouts given with --code)
    from qa.web import handlers as ui
    from qa.web.render import plain_text
except ImportError:
    import ui
    plain_text = ui._plain
def leftovers():
    return len([p for p in (index / "builds").iterdir() if p.name.startswith(".tmp-")])
out = {}
settings = Settings(corpus_dir=corpus, index_dir=index)
# 3. start-up with the corpus changed (the fifth document is there)
try:
    e = Engine.open(settings)
    out["startup"] = {"ok": True, "status": e.status, "answers": e.ask("融安县防溺水措施").found}
except Exception as exc:
    out["startup"] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
out["startup"]["tmp_leftovers"] = leftovers()
# 4. an upload, the corpus as indexed
(corpus / fifth.name).unlink()
e = Engine.open(settings)
src = Path(tempfile.mkdtemp(prefix="reliab-upload-")) / fifth.name
shutil.copy2(fifth, src)
steps = list(ui.upload(e, [{"path": str(src), "orig_name": fifth.name}], poll=0.2))
final = plain_text(steps[-1][0])
out["upload"] = {
    "message": final,
    "claims_success": "索引已更新" in final,
    "says_failed": "失败" in final,
    "file_left_in_corpus": (corpus / fifth.name).exists(),
    "tmp_leftovers": leftovers(),
    "upload_temp_left": src.exists(),
}
# 5. the watcher with the fifth document in the corpus
if not (corpus / fifth.name).exists():
    shutil.copy2(fifth, corpus / fifth.name)
attempts, attempt_cpu = [], []
owner = getattr(e, "library", e)  # the watcher calls the library's refresh (qa/library.py) when there is one
real = owner.refresh
def counted(*a, **k):
    attempts.append(time.monotonic())
    c = time.thread_time()
    try:
        return real(*a, **k)
    finally:
        attempt_cpu.append(round(time.thread_time() - c, 2))
owner.refresh = counted
n_tb = len(tracebacks)
cpu0, t0 = time.process_time(), time.monotonic()
stop = e.watch(interval=5.0)
time.sleep(watch_s)
stop.set()
out["watcher"] = {
    "seconds": watch_s,
    "attempts": len(attempts),
    "attempt_times_s": [round(t - t0, 1) for t in attempts],
    "tracebacks": len(tracebacks) - n_tb,
    "errors": sorted(set(tracebacks[n_tb:])),
    "cpu_s_per_attempt": attempt_cpu,
    "cpu_s": round(time.process_time() - cpu0, 1),
    "tmp_leftovers": leftovers(),
    "status": e.status,
    "still_answers": e.ask("融安县防溺水措施").found,
}
print("RESULT " + json.dumps(out, ensure_ascii=False))
"""


def free_kb(path: Path) -> int:
    return shutil.disk_usage(path).free // 1024


def tmp_dirs(index: Path) -> int:
    builds = index / "builds"
    return len([p for p in builds.iterdir() if p.name.startswith(".tmp-")]) if builds.exists() else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--code", default=str(REPO))
    ap.add_argument("--size", default="24m", help="tmpfs size")
    ap.add_argument("--leave", type=int, default=400, help="KB left free after filling")
    ap.add_argument("--watch", type=float, default=60.0, help="seconds of watcher")
    ap.add_argument("--out", default=str(REPO / "bench" / "results" / "full_disk.json"))
    args = ap.parse_args()
    code = Path(args.code)
    mnt = Path(tempfile.mkdtemp(prefix="reliab-full-"))
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={args.size}", "tmpfs", str(mnt)], check=True)
    result: dict = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_before": os.getloadavg(),
        "code": str(code),
        "tmpfs": args.size,
    }
    try:
        corpus, index = mnt / "corpus", mnt / "index"
        corpus.mkdir()
        for f in sorted((code / "corpus").glob("*.txt")):
            if f.name != FIFTH:
                shutil.copy2(f, corpus / f.name)
        env = {
            **os.environ,
            "PYTHONPATH": str(code),
            "PYTHONDONTWRITEBYTECODE": "1",
            "POLICYQA_CORPUS": str(corpus),
            "POLICYQA_INDEX": str(index),
        }

        def cli(*a: str) -> subprocess.CompletedProcess:
            return subprocess.run(
                [sys.executable, "-m", "qa.cli", *a],
                env=env,
                cwd=code,
                capture_output=True,
                text=True,
                timeout=1800,
            )

        first = cli("index")
        assert first.returncode == 0, first.stderr
        current = (index / "CURRENT").read_text()
        with (mnt / "filler").open("wb") as f:  # fill the disk, then give back --leave KB
            try:
                while True:
                    f.write(b"\0" * (64 << 10))
                    f.flush()
            except OSError:
                pass
        (mnt / "filler").write_bytes(b"")  # rewrite smaller: free exactly what we want
        total_free = free_kb(mnt)
        with (mnt / "filler").open("wb") as f:
            f.write(b"\0" * ((total_free - args.leave) * 1024))
        shutil.copy2(code / "corpus" / FIFTH, corpus / FIFTH)
        result["free_kb_before"] = free_kb(mnt)
        runs = []
        for _ in range(3):
            p = cli("index")
            text = (p.stdout + p.stderr).strip().splitlines()
            runs.append(
                {
                    "exit": p.returncode,
                    "tracebacks": p.stderr.count("Traceback"),
                    "last_line": text[-1][:300] if text else "",
                    "says_disk_full": "磁盘空间不足" in p.stdout + p.stderr,
                    "tmp_leftovers": tmp_dirs(index),
                    "free_kb_after": free_kb(mnt),
                    "current_unchanged": (index / "CURRENT").read_text() == current,
                }
            )
            print(json.dumps(runs[-1], ensure_ascii=False), flush=True)
        result["cli_index"] = runs
        p = cli("ask", "--json", "融安县防溺水措施")
        result["cli_ask"] = {
            "exit": p.returncode,
            "found": json.loads(p.stdout)["found"] if p.returncode == 0 and p.stdout.strip() else None,
            "error": (p.stderr.strip().splitlines() or [""])[-1][:300] if p.returncode else "",
        }
        print(json.dumps(result["cli_ask"], ensure_ascii=False), flush=True)
        p = subprocess.run(
            [
                sys.executable,
                "-c",
                IN_PROCESS,
                str(corpus),
                str(index),
                str(code / "corpus" / FIFTH),
                str(args.watch),
            ],
            env=env,
            cwd=code,
            capture_output=True,
            text=True,
            timeout=3600,
        )
        line = next((x for x in p.stdout.splitlines() if x.startswith("RESULT ")), None)
        result.update(json.loads(line[7:]) if line else {"in_process_error": p.stderr[-2000:]})
        result["free_kb_end"] = free_kb(mnt)
        result["load_after"] = os.getloadavg()
    finally:
        subprocess.run(["umount", str(mnt)], check=False)
        mnt.rmdir()
    print(json.dumps({k: v for k, v in result.items() if k != "cli_index"}, ensure_ascii=False, indent=1))
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
