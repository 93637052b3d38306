"""Decompression bombs and over-long files: time and peak memory to read (and refuse) each one.

Each file is read by `qa.ingest.readers.read_text` in a fresh interpreter, so the peak RSS is that
one file's. `--code DIR` runs another checkout's readers (e.g. main before issue 13) for a before/after.

    python bench/bombs.py                                   # this checkout → bench/results/bombs.json
    python bench/bombs.py --code /work/main --out /tmp/bombs-main.json
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PARAGRAPH = "<w:p><w:r><w:t>各中小学校要加强防溺水安全教育，落实家校共育责任。</w:t></w:r></w:p>"
SPACES = "<w:p><w:r><w:t xml:space='preserve'>" + " " * 4000 + "</w:t></w:r></w:p>"


def docx_bomb(path: Path, xml_bytes: int, filler: str) -> Path:
    """A real .docx whose word/document.xml expands to about `xml_bytes` (written in blocks)."""
    import docx

    small = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("防溺水")
    d.save(small)
    with (
        zipfile.ZipFile(small) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst,
    ):
        for info in src.infolist():
            if info.filename != "word/document.xml":
                dst.writestr(info, src.read(info))
                continue
            head, _, tail = src.read(info).decode().partition("<w:body>")
            with dst.open("word/document.xml", "w") as f:
                f.write((head + "<w:body>").encode())
                block = (filler * ((1 << 20) // len(filler.encode()) + 1)).encode()
                written = 0
                while written < xml_bytes:
                    f.write(block)
                    written += len(block)
                f.write(tail.encode())
    return path


PROBE = """
import resource, sys, time
t = time.perf_counter()
from qa.ingest.readers import UnreadableFile, read_text
try:
    text = read_text(sys.argv[1])
    out = f"read {len(text):,} characters"
except UnreadableFile as e:
    out = "refused: " + e.reason
print(out)
print(time.perf_counter() - t)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def measure(path: Path, code: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(code), "OMP_NUM_THREADS": "1"}
    p = subprocess.run(
        [sys.executable, "-c", PROBE, str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=3600,
        cwd=code,
    )
    if p.returncode != 0:
        return {"file": path.name, "bytes": path.stat().st_size, "error": p.stderr.strip().splitlines()[-1:]}
    outcome, seconds, rss_kb = p.stdout.strip().splitlines()
    return {
        "file": path.name,
        "bytes": path.stat().st_size,
        "outcome": outcome,
        "seconds": round(float(seconds), 2),
        "peak_rss_mb": round(int(rss_kb) / 1024),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--code", default=str(REPO), help="checkout whose qa/ is measured")
    ap.add_argument("--out", default=str(REPO / "bench" / "results" / "bombs.json"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="reliab-bombs-") as tmp:
        root = Path(tmp)
        files = [
            docx_bomb(root / "bomb-51mb-xml.docx", 51 << 20, PARAGRAPH),
            docx_bomb(root / "whitespace-1gb.docx", 1 << 30, SPACES),
        ]
        long_txt = root / "long-3m-chars.txt"
        long_txt.write_text("防溺水安全教育。" * 375_000, encoding="utf-8")
        files.append(long_txt)
        rows = []
        for f in files:
            t = time.strftime("%H:%M:%S")
            row = {"started": t, **measure(f, Path(args.code))}
            print(json.dumps(row, ensure_ascii=False), flush=True)
            rows.append(row)
    Path(args.out).write_text(
        json.dumps(
            {
                "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                "load": os.getloadavg(),
                "code": args.code,
                "rows": rows,
            },
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
