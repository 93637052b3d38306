"""What the browser tests do on the page, shared by test_browser.py and test_browser_hostile.py."""

from __future__ import annotations


def ask(page, question: str, timeout: float = 30_000):
    """Type a question, press Enter and return the locator of the new reply."""
    answers = page.locator("#pqa-chat .pqa-answer")
    before = answers.count()
    box = page.locator("#pqa-input textarea")
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('#pqa-chat .pqa-answer').length > n", arg=before, timeout=timeout
    )
    return answers.nth(before)
