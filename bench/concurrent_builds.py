"""Two `policyqa index --force` at once on one index folder, N pairs in a row.

Each pair starts two `python -m qa.cli index --force` processes at the same moment on one copy of
the corpus and one index folder; after each pair the index must load and verify with every
document, and no `.tmp-` folder may be left. A crash is a non-zero exit or a traceback.
`--code DIR` runs another checkout (e.g. the commit before issue 13) for a before/after.

    python bench/concurrent_builds.py --pairs 20             → bench/results/concurrent_builds.json
    python bench/concurrent_builds.py --pairs 20 --code /tmp/base --out /tmp/cb-base.json
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

VERIFY = """
import sys
from pathlib import Path
from index.store import load_build
s = load_build(Path(sys.argv[1]))
builds = Path(sys.argv[1]) / "builds"
print(s.manifest.counts["documents"], len([p for p in builds.iterdir() if p.name.startswith(".tmp-")]))
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", type=int, default=20)
    ap.add_argument("--code", default=str(REPO), help="checkout whose qa/ and index/ run")
    ap.add_argument("--out", default=str(REPO / "bench" / "results" / "concurrent_builds.json"))
    args = ap.parse_args()
    code = Path(args.code)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="reliab-cb-") as tmp:
        root = Path(tmp)
        shutil.copytree(code / "corpus", root / "corpus")
        env = {
            **os.environ,
            "PYTHONPATH": str(code),
            "PYTHONDONTWRITEBYTECODE": "1",
            "POLICYQA_CORPUS": str(root / "corpus"),
            "POLICYQA_INDEX": str(root / "index"),
        }
        n_docs = len([p for p in (root / "corpus").iterdir() if p.suffix == ".txt"])
        cmd = [sys.executable, "-m", "qa.cli", "index", "--force"]
        rows = []
        for i in range(args.pairs):
            t0 = time.perf_counter()
            procs = [
                subprocess.Popen(
                    cmd, env=env, cwd=code, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
                )
                for _ in range(2)
            ]
            outs = [p.communicate(timeout=1800) for p in procs]
            wall = time.perf_counter() - t0
            crashed = [
                (err.strip().splitlines() or ["?"])[-1]
                for p, (_out, err) in zip(procs, outs, strict=True)
                if p.returncode != 0 or "Traceback" in err
            ]
            v = subprocess.run(
                [sys.executable, "-c", VERIFY, str(root / "index")],
                env=env,
                cwd=code,
                capture_output=True,
                text=True,
            )
            docs, leftovers = (int(x) for x in v.stdout.split()) if v.returncode == 0 else (-1, -1)
            row = {
                "pair": i + 1,
                "crashed": len(crashed),
                "errors": crashed,
                "index_ok": v.returncode == 0 and docs == n_docs,
                "tmp_leftovers": leftovers,
                "seconds": round(wall, 1),
            }
            print(json.dumps(row, ensure_ascii=False), flush=True)
            rows.append(row)
    summary = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_before": load_before,
        "load_after": os.getloadavg(),
        "code": str(code),
        "pairs": args.pairs,
        "pairs_with_a_crash": sum(1 for r in rows if r["crashed"]),
        "crashed_builds": sum(r["crashed"] for r in rows),
        "index_ok_after_every_pair": all(r["index_ok"] for r in rows),
        "max_tmp_leftovers": max(r["tmp_leftovers"] for r in rows),
        "rows": rows,
    }
    Path(args.out).write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps({k: v for k, v in summary.items() if k != "rows"}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
