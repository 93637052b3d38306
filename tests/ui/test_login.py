"""Login when the app binds beyond localhost: `python ui.py --host 0.0.0.0 --auth user:password`,
started as a user would, then reached over 127.0.0.1 (no traffic leaves the machine).

Without the login nothing is served (page data, config, API, queue); a wrong password or user is
refused; the right one opens the app, which then answers. One test does the login in Chromium.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from gradio_http import GradioSession, free_port, reply_text

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
USER, PASSWORD = "clerk", "s3cret:密码"  # a colon and CJK in the password, as parse_auth allows


def listening_on_all_interfaces(port: int) -> bool:
    """Whether a socket listens on 0.0.0.0:port or [::]:port (from /proc/net, no traffic)."""
    for table, wildcard in (("/proc/net/tcp", "00000000"), ("/proc/net/tcp6", "0" * 32)):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            addr, p = local.split(":")
            if state == "0A" and int(p, 16) == port and addr == wildcard:
                return True
    return False


@pytest.fixture(scope="module")
def beyond_localhost(engine_copy, tmp_path_factory):
    """ui.py in its own process, bound to 0.0.0.0 with a login, over copies of the corpus and index."""
    engine = engine_copy(tmp_path_factory.mktemp("login-app"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "POLICYQA_AUTH"}
    cmd = [sys.executable, str(REPO / "ui.py"), "--host", "0.0.0.0", "--port", str(port),
           "--auth", f"{USER}:{PASSWORD}", "--corpus", str(engine.settings.corpus_dir),
           "--index-dir", str(engine.settings.index_dir)]  # fmt: skip
    server = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO
    )
    lines = []
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline:
            line = server.stdout.readline()
            lines.append(line)
            if "已启动" in line or server.poll() is not None:
                break
        assert any("已启动" in x for x in lines), "".join(lines)[-3000:]
        server.stdout.readline()  # the hint for other computers, printed right after
        yield f"http://127.0.0.1:{port}/", port, "".join(lines)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server.stdout.close()


@pytest.fixture
def anonymous(beyond_localhost):
    with httpx.Client(base_url=beyond_localhost[0], timeout=60, trust_env=False) as c:
        yield c


def test_the_app_really_listens_beyond_localhost(beyond_localhost):
    _url, port, log = beyond_localhost
    assert listening_on_all_interfaces(port)
    assert "政策问答已启动" in log


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "config"),
        ("GET", "gradio_api/info"),
        ("GET", "gradio_api/login_check"),
        ("POST", "gradio_api/queue/join"),
        ("GET", "gradio_api/queue/data?session_hash=x"),
        ("POST", "gradio_api/upload"),
        ("GET", "gradio_api/file=/etc/passwd"),
    ],
)
def test_nothing_is_served_without_the_login(anonymous, method, path):
    r = anonymous.request(method, path, json={} if method == "POST" else None)
    assert r.status_code in (401, 403), (path, r.status_code, r.text[:200])
    assert "pqa-" not in r.text and "融安" not in r.text and "root:" not in r.text


def test_the_page_without_the_login_is_the_login_form(anonymous):
    r = anonymous.get("/")
    assert r.status_code == 200
    assert '"auth_required":true' in r.text and '"components":[]' in r.text  # the login form, no UI
    assert "pqa-chat" not in r.text and "2024年融安县教育工作要点" not in r.text
    assert anonymous.get("config").status_code == 401


def test_the_login_page_reveals_nothing_of_the_corpus(anonymous):
    """Gradio puts the API description in the login page; it must not carry the filter choices."""
    page = anonymous.get("/").text
    for secret in ("柳州市融安县", "002_82e0708f1ad714c4", "泸州市"):
        assert secret not in page


@pytest.mark.parametrize(
    ("user", "password"),
    [
        (USER, "wrong"),
        (USER, ""),
        ("admin", PASSWORD),
        (USER, PASSWORD.upper()),
        (USER + " ", PASSWORD + " "),
    ],
    ids=["wrong-password", "empty-password", "wrong-user", "wrong-case", "padded-password"],
)
def test_a_wrong_login_is_refused(anonymous, user, password):
    r = anonymous.post("login", data={"username": user, "password": password})
    assert r.status_code in (400, 422), r.text[:200]  # 422: an empty field is refused by the form check
    assert not any(k.startswith("access-token") for k in anonymous.cookies)
    assert anonymous.get("config").status_code == 401


def test_the_right_login_opens_the_app_and_it_answers(beyond_localhost):
    session = GradioSession(beyond_localhost[0])
    try:
        r = session.http.post(session.url + "login", data={"username": USER, "password": PASSWORD})
        assert r.status_code == 200, r.text[:200]
        assert any(k.startswith("access-token") for k in session.http.cookies)
        assert session.http.get(session.url + "gradio_api/login_check").status_code == 200
        assert "政策问答" in str(session.config())
        answer = session.ask("融安县防溺水措施")
        assert answer.success, answer.error
        assert "2024年融安县教育工作要点" in reply_text(answer.data[0])
        source = session.call("source", ["../../../../etc/passwd|0|10"])
        assert source.success and "找不到这个文件" in source.data[0]
        session.http.get(session.url + "logout")
        assert session.http.get(session.url + "config").status_code == 401  # logged out again
    finally:
        session.close()


@pytest.mark.browser
def test_login_in_the_browser(beyond_localhost, browser):
    url = beyond_localhost[0]
    page = browser.new_page(locale="zh-CN")
    try:
        page.goto(url)
        page.get_by_text("政策问答：请登录").wait_for(timeout=30_000)  # ui.serve's auth_message
        assert page.locator("#pqa-input").count() == 0
        fields = page.locator("input")
        fields.nth(0).fill(USER)
        fields.nth(1).fill("wrong")

        def login_post(r) -> bool:
            return r.request.method == "POST" and r.url.rstrip("/").endswith("/login")

        with page.expect_response(login_post, timeout=30_000) as refused:
            fields.nth(1).press("Enter")
        assert refused.value.status == 400
        page.wait_for_timeout(500)
        assert page.locator("#pqa-input").count() == 0  # still the login form
        fields.nth(0).fill(USER)  # the form is cleared after a refusal
        fields.nth(1).fill(PASSWORD)
        with page.expect_response(login_post, timeout=30_000) as accepted:
            fields.nth(1).press("Enter")
        assert accepted.value.status == 200
        box = page.locator("#pqa-input textarea")
        box.wait_for(timeout=30_000)
        box.fill("融安县防溺水措施")
        box.press("Enter")
        page.locator("#pqa-chat .pqa-card").first.wait_for(timeout=30_000)
        assert "2024年融安县教育工作要点" in page.locator("#pqa-chat .pqa-card .pqa-title").first.inner_text()
    finally:
        page.close()
