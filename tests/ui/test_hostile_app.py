"""The running app (Gradio on loopback) under hostile input: every request gets an answer, a notice
or a clear error, the server keeps serving, and the source viewer and uploads stay bounded.

These talk HTTP to `ui.serve` exactly as the page does (tests/ui/gradio_http.py).
"""

from __future__ import annotations

import httpx
import pytest
from gradio_http import GradioSession, reply_text

pytestmark = pytest.mark.slow

HOSTILE = [
    "\x00\x01\x02\x1b[31m",
    "\u200b\u200c\u200d\ufeff",
    "😀🎉🙈" * 50,
    "How to prevent drowning?",
    "融安county防溺水 measures",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "'; DROP TABLE passages; --",
    "../../../../etc/passwd",
    "{{7*7}}${7*7}%s%n",
    "\u202eevil",
    "鹿寨县防溺水" + "啊" * 100_000,
]


@pytest.fixture
def session(app_url):
    s = GradioSession(app_url)
    yield s
    s.close()


def assert_serving(session: GradioSession) -> None:
    r = session.ask("融安县防溺水措施")
    assert r.success, r.error
    assert "2024年融安县教育工作要点" in reply_text(r.data[0])


def test_lone_surrogates_over_http_are_answered(session):
    """Issue 13, failure 7: no answer and a server traceback before."""
    r = session.ask("\ud800融安县防溺水措施\udfff")
    assert r.success, r.error
    assert "2024年融安县教育工作要点" in reply_text(r.data[0])
    assert_serving(session)


def test_hundred_thousand_characters_get_the_cap_message(session):
    r = session.ask("融安县防溺水措施" + "防溺水" * 33_400)  # 100,208 characters
    assert r.success, r.error
    reply = reply_text(r.data[0])
    assert "问题过长，只按前 500 个字检索" in reply
    assert "pqa-card" in reply
    assert r.data[-1] == ""  # the input box is cleared


@pytest.mark.parametrize("q", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_questions_get_an_answer_or_a_notice(session, q):
    r = session.ask(q)
    assert r.success, r.error
    history = r.data[0]
    assert len(history) == 2 and history[0]["role"] == "user"
    reply = reply_text(history)
    assert "pqa-card" in reply or "pqa-notfound" in reply
    assert "<script" not in reply and "<img" not in reply
    assert_serving(session)


@pytest.mark.parametrize("q", ["", "   ", "\t\n"])
def test_empty_questions_change_nothing(session, q):
    r = session.ask(q)
    assert r.success and r.data[0] == []


@pytest.mark.parametrize(
    "data",
    [
        ["融安县防溺水措施", "not a history", None, [], [], [], False],
        ["融安县防溺水措施", [{"role": "nobody"}, 42, None], None, [], [], [], False],
        ["融安县防溺水措施", [], None, "not a list", [3.5], None, "yes"],
        ["融安县防溺水措施", [], None, ["../../etc"], ["abc", None], ["../../etc/passwd"], True],
        [{"text": ["nested"]}, [], None, [], [], [], False],
        [None, None, None, None, None, None, None],
    ],
    ids=[
        "history-string",
        "history-garbage",
        "filters-wrong-types",
        "filters-paths",
        "message-dict",
        "all-none",
    ],
)
def test_malformed_requests_get_an_answer_or_an_error_and_the_server_keeps_serving(session, data):
    r = session.call("ask", data)
    if r.success:
        history = r.data[0]
        assert isinstance(history, list)
        if history:
            assert "pqa-card" in reply_text(history) or "pqa-notfound" in reply_text(history)
    else:
        # Gradio's own checks of the inputs refuse them (a history that is not a chat: pydantic's
        # "validation error"; a filter value not among the choices: "… is not in the list of
        # choices"): a message naming the bad value, never a traceback. The page never sends these.
        assert r.error and "Traceback" not in r.error and 'File "' not in r.error
        assert "validation error" in r.error or "not in the list of choices" in r.error
    assert_serving(session)


@pytest.mark.parametrize(
    "request_",
    [
        "../../../../etc/passwd|0|100",
        "/etc/passwd|0|100",
        "corpus/002_82e0708f1ad714c4.txt|0|5",
        "file:///etc/passwd|0|1",
        "002_82e0708f1ad714c4/../../../etc/passwd|0|1",
    ],
)
def test_source_viewer_over_http_resolves_only_document_ids(session, request_):
    r = session.call("source", [request_])
    assert r.success, r.error
    assert "找不到这个文件" in r.data[0] and "root:" not in r.data[0]


@pytest.mark.parametrize(
    "request_", ["", "x" * 100_000, "a|b|c", "|".join(["1"] * 1000), "002_82e0708f1ad714c4|1"]
)
def test_source_viewer_over_http_refuses_malformed_requests(session, request_):
    r = session.call("source", [request_])
    assert r.success, r.error
    assert "无法打开原文" in r.data[0] or "找不到这个文件" in r.data[0]


def test_source_viewer_over_http_opens_a_document_by_id(session):
    r = session.call("source", ["002_82e0708f1ad714c4|0|20"])
    assert r.success and "《2024年融安县教育工作要点》" in r.data[0] and "pqa-src-hl" in r.data[0]


def test_uploads_over_the_size_limit_are_refused_by_the_server(session):
    """`serve` sets max_file_size=25mb: a bigger body is refused before any handler runs."""
    big = b"a" * (26 * 1024 * 1024)
    r = session.http.post(
        f"{session.url}{session.prefix}/upload", files={"files": ("big.txt", big, "text/plain")}
    )
    assert r.status_code == 413, r.text[:200]
    small = session.http.post(
        f"{session.url}{session.prefix}/upload", files={"files": ("small.txt", b"hello", "text/plain")}
    )
    assert small.status_code == 200
    assert_serving(session)


def test_unknown_routes_and_methods_are_refused(session):
    for path in ("../../etc/passwd", "file=/etc/passwd", f"{session.prefix}/file=/etc/passwd"):
        r = session.http.get(session.url + path)
        assert r.status_code in (403, 404), (path, r.status_code)
        assert "root:" not in r.text
    assert_serving(session)


def test_many_sessions_at_once_all_get_answers(app_url):
    """Twenty sessions asking at the same moment (the load benchmark, in miniature)."""
    import concurrent.futures as cf

    def one(i: int) -> bool:
        s = GradioSession(app_url)
        try:
            r = s.ask(["融安县防溺水措施", "老师不够怎么办", "鹿寨县防溺水", "“四不两直”原文怎么说"][i % 4])
            return r.success and (
                "pqa-card" in reply_text(r.data[0]) or "pqa-notfound" in reply_text(r.data[0])
            )
        finally:
            s.close()

    with cf.ThreadPoolExecutor(20) as pool:
        assert all(pool.map(one, range(20)))


def test_the_page_itself_loads_without_login_on_loopback(app_url):
    r = httpx.get(app_url, trust_env=False, timeout=60)
    assert r.status_code == 200 and "政策问答" in r.text
