"""The UI in headless Chromium under hostile input, and what the page itself fetches.

Run with `python -m pytest tests/ui -m browser`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from pages import ask

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, app_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url.rstrip("/"))
    pg = context.new_page()
    pg.requests = []
    pg.dialogs = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.goto(app_url)
    pg.wait_for_selector("#pqa-input textarea")
    yield pg
    context.close()


def test_the_page_fetches_nothing_beyond_the_app_itself(page, app_url):
    ask(page, "融安县防溺水措施").locator(".pqa-card").first.wait_for()
    page.locator("#pqa-chat .pqa-card button.pqa-view").first.click()
    page.locator("#pqa-viewer #pqa-src-hl").wait_for()
    origin = urlsplit(app_url)
    outside = [
        u for u in page.requests
        if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).netloc != origin.netloc
    ]  # fmt: skip
    assert page.requests and not outside, outside[:5]


def test_a_pasted_hundred_thousand_characters_is_answered_with_the_cap_message(page):
    question = "融安县防溺水措施" + "防溺水" * 33_400  # 100,208 characters, as if pasted
    box = page.locator("#pqa-input textarea")
    page.evaluate("text => navigator.clipboard.writeText(text)", question)
    box.focus()
    page.keyboard.press("Control+V")  # a real paste, through the clipboard
    assert len(box.input_value()) == len(question)
    answers = page.locator("#pqa-chat .pqa-answer")
    box.press("Enter")
    answers.first.wait_for(timeout=30_000)
    reply = answers.first.inner_text()
    assert "问题过长" in reply and "500" in reply
    assert answers.first.locator(".pqa-card").count() >= 1


def test_hostile_questions_are_shown_as_text_and_the_page_keeps_answering(page):
    for q in ["\u200b\u200c\u200d", "😀🎉🙈" * 20, "'; DROP TABLE passages; --", "../../../../etc/passwd",
              "<svg onload=alert(1)>", "{{7*7}}"]:  # fmt: skip
        reply = ask(page, q)
        assert reply.locator(".pqa-card").count() + reply.locator(".pqa-notfound").count() >= 1
    assert page.locator("#pqa-chat svg[onload]").count() == 0
    assert page.dialogs == []
    last = ask(page, "融安县防溺水措施")
    last.locator(".pqa-card").first.wait_for()
    assert "2024年融安县教育工作要点" in last.locator(".pqa-title").first.inner_text()
