"""The UI in a real headless Chromium: answers with marked excerpts, the source viewer, copying a
citation, follow-ups, abstention, escaping and uploads. Screenshots go to tests/artifacts/.

Run with `python -m pytest tests/ui -m browser`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pages import ask
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

UPLOAD_TITLE = "某县中小学研学旅行安全工作办法"
UPLOAD_MD = f"""# {UPLOAD_TITLE}

## 一、适用范围

本办法适用于某县各中小学校组织的研学旅行、综合实践基地活动和校外集体参观活动。

## 二、安全要求

研学旅行出发前，学校须对线路、住宿和餐饮逐项踏勘，并形成书面安全评估报告存档备查。

每批次研学旅行须配备随队校医或经过急救培训的教师，随身携带应急药箱。
"""


def open_page(browser, app_url, **context_options):
    context = browser.new_context(
        **{"viewport": {"width": 1440, "height": 900}, "locale": "zh-CN", **context_options}
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url.rstrip("/"))
    pg = context.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.goto(app_url)
    pg.wait_for_selector("#pqa-input textarea")
    return context, pg


@pytest.fixture
def page(browser, app_url):
    context, pg = open_page(browser, app_url)
    yield pg
    context.close()


@pytest.fixture
def phone(browser, app_url):
    """A phone-sized page (390 × 844, touch)."""
    context, pg = open_page(
        browser,
        app_url,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    yield pg
    context.close()


# --- helpers -------------------------------------------------------------------------------------------


HEADER_IN_PLACE = "() => document.getElementById('pqa-header').getBoundingClientRect().top >= 0"

# Labels Gradio gives screen readers; in this UI they must be Chinese, and a message's label must be
# its text, not its HTML.
ENGLISH_LABELS = """() => [...document.querySelectorAll('[aria-label], [title]')]
  .flatMap((e) => ['aria-label', 'title'].map((a) => e.getAttribute(a)))
  .filter((v) => v && (/^[\\x00-\\x7f]*[A-Za-z]{3,}[\\x00-\\x7f]*$/.test(v) || /'s message|<div/.test(v)))"""


def shot(page, artifacts: Path, name: str, full_page: bool = True) -> Path:
    path = artifacts / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


# --- tests ---------------------------------------------------------------------------------------------


def test_answer_source_viewer_copy_and_follow_up(page, artifacts):
    page.set_viewport_size({"width": 1440, "height": 1000})  # 03-source.png is docs/screenshot.png
    shot(page, artifacts, "01-start")
    reply = ask(page, "融安县防溺水措施")
    first = reply.locator(".pqa-card").first
    first.wait_for()
    assert "2024年融安县教育工作要点" in first.locator(".pqa-title").inner_text()
    assert first.locator("mark", has_text="防溺水").count() >= 1
    assert reply.locator(".pqa-notfound").count() == 0
    assert page.evaluate(HEADER_IN_PLACE)  # the chat scrolled, not the page
    shot(page, artifacts, "02-answer")

    # 查看原文: the whole document in the viewer, the passage marked and scrolled into view
    excerpt = first.locator(".pqa-excerpt").inner_text().strip("…")
    first.get_by_role("button", name="查看原文").click()
    mark = page.locator("#pqa-viewer #pqa-src-hl")
    mark.wait_for()
    assert "2024年融安县教育工作要点" in page.locator("#pqa-viewer .pqa-src-title").inner_text()
    assert excerpt in mark.inner_text()
    body = page.locator("#pqa-viewer .pqa-src-body").inner_text()
    assert len(body) > 3 * len(mark.inner_text())  # the full document, not just the passage
    # …below the viewer's head (which stays put and names the document), inside the box and the window
    page.wait_for_function(
        """() => { const m = document.getElementById('pqa-src-hl'), box = m.closest('.pqa-src-box');
                   const head = box.querySelector('.pqa-src-head').getBoundingClientRect();
                   const r = m.getBoundingClientRect(), b = box.getBoundingClientRect();
                   return box.scrollTop > 0 && r.top >= head.bottom - 1 && r.top < b.bottom
                          && r.top >= 0 && r.top < innerHeight && head.top >= b.top - 1; }""",
        timeout=5000,
    )
    assert "2024年融安县教育工作要点" in page.locator("#pqa-viewer .pqa-src-head").inner_text()
    shot(page, artifacts, "03-source", full_page=False)

    # 复制引用: the paste-ready citation on the clipboard, and the button says so
    copy = first.locator("button.pqa-copy").element_handle()  # its name changes when clicked
    cite = copy.get_attribute("value")
    copy.click()
    page.wait_for_function("b => b.textContent === '已复制'", arg=copy, timeout=3000)
    assert page.evaluate("() => navigator.clipboard.readText()") == cite
    assert cite.startswith("《2024年融安县教育工作要点》") and "防溺水" in cite

    # follow-up about another county
    reply2 = ask(page, "那柳城县呢？")
    first2 = reply2.locator(".pqa-card").first
    first2.wait_for()
    assert "柳城县防溺水措施" in reply2.locator(".pqa-resolved").inner_text()
    assert "柳城" in first2.locator(".pqa-title").inner_text()
    assert page.evaluate(HEADER_IN_PLACE)
    shot(page, artifacts, "04-follow-up")

    # 柳城's plan has nothing more about it: 还有吗 says so instead of showing unrelated items
    done = ask(page, "还有吗")
    done.locator(".pqa-notfound").wait_for()
    assert "没有更多相关结果" in done.inner_text()
    assert done.locator(".pqa-card").count() == 0

    # more results, numbered on from the five shown (学校安全 has more than five on-topic passages)
    ask(page, "学校安全").locator(".pqa-card").first.wait_for()
    reply3 = ask(page, "还有吗")
    reply3.locator(".pqa-card").first.wait_for()
    assert "第 6 条起" in reply3.inner_text()
    assert reply3.locator(".pqa-n").first.inner_text() == "[6]"
    shot(page, artifacts, "04-more")

    # a [n] marker of the summary brings its card into view
    ref = reply3.locator(".pqa-ref").last
    target = ref.inner_text()
    ref.click()
    card = reply3.locator(".pqa-card", has=page.locator(".pqa-n", has_text=target))
    page.wait_for_function(
        """(c) => { const r = c.getBoundingClientRect();
                     const b = document.getElementById('pqa-chat').getBoundingClientRect();
                     return r.top >= b.top - 1 && r.top < b.bottom - 20; }""",
        arg=card.element_handle(),
        timeout=3000,
    )


def test_copy_works_without_the_clipboard_api(browser, app_url):
    """Over plain http on the office network (not localhost) browsers give no navigator.clipboard."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    context.add_init_script(
        "Object.defineProperty(navigator, 'clipboard', {value: undefined, configurable: true});"
        "document.addEventListener('copy', () => { window.__copied = String(document.getSelection()) ||"
        " (document.activeElement && document.activeElement.value); });"
    )
    try:
        page = context.new_page()
        page.goto(app_url)
        page.wait_for_selector("#pqa-input textarea")
        copy = ask(page, "融安县防溺水措施").locator("button.pqa-copy").first.element_handle()
        cite = copy.get_attribute("value")
        copy.click()
        page.wait_for_function("b => b.textContent === '已复制'", arg=copy, timeout=3000)
        assert page.evaluate("() => window.__copied") == cite
    finally:
        context.close()


def test_labels_for_screen_readers_are_chinese_text(page):
    reply = ask(page, "融安县防溺水措施")
    reply.locator(".pqa-card").first.wait_for()
    page.locator("#pqa-f-place input").click()
    page.get_by_role("option", name="柳州市融安县").click()
    page.keyboard.press("Escape")
    page.wait_for_timeout(200)
    assert page.evaluate(ENGLISH_LABELS) == []
    labels = page.evaluate(
        "() => [...document.querySelectorAll('#pqa-chat [aria-label]')].map((e) => e.getAttribute('aria-label'))"
    )
    assert "问题：融安县防溺水措施" in labels
    assert any(v.startswith("回答：完成各乡(镇)中小学生游泳安全区域试点建设任务") for v in labels)
    # nor any English on screen outside the documents' own text (Gradio's settings page and its
    # footer link are left out)
    english = page.evaluate(
        """() => { const out = [], w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                   while (w.nextNode()) { const n = w.currentNode, e = n.parentElement;
                     if (!e || !e.getClientRects().length || e.closest('.pqa-answer, .pqa-q, script, style')) continue;
                     const words = n.textContent.match(/[A-Za-z]{3,}/g) || [];
                     out.push(...words.filter((x) => !['txt', 'doc', 'docx', 'html', 'pdf', 'UTC'].includes(x))); }
                   return out; }"""
    )
    assert english == []
    assert page.get_by_text("设置", exact=True).count() == 0


def test_phone_layout_starts_with_the_chat(phone, artifacts):
    page = phone
    # the sidebar (filters, examples, uploads) would cover the whole screen: it starts closed
    page.wait_for_function("() => !document.getElementById('pqa-sidebar').classList.contains('open')")
    box = page.locator("#pqa-input textarea")
    assert box.is_visible()
    shot(page, artifacts, "10-phone-start", full_page=False)
    reply = ask(page, "融安县防溺水措施")
    first = reply.locator(".pqa-card").first
    first.wait_for()
    assert first.locator("mark", has_text="防溺水").count() >= 1
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # nothing sticks out
    shot(page, artifacts, "11-phone-answer", full_page=False)
    first.get_by_role("button", name="查看原文").click(timeout=5000)  # not covered by anything
    page.locator("#pqa-src-hl").wait_for()
    page.wait_for_function(
        "() => { const r = document.getElementById('pqa-src-hl').getBoundingClientRect();"
        " return r.top >= 0 && r.top < innerHeight; }",
        timeout=5000,
    )
    shot(page, artifacts, "12-phone-source", full_page=False)
    # an example question asked from the sidebar closes it again, so the answer is seen
    page.locator("#pqa-sidebar .toggle-button").click()
    page.wait_for_function("() => document.getElementById('pqa-sidebar').classList.contains('open')")
    page.locator("#pqa-example-1").click()
    page.wait_for_function("() => !document.getElementById('pqa-sidebar').classList.contains('open')")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#pqa-chat .pqa-q')].some(q => q.textContent === '老师不够怎么办')"
    )


# WCAG contrast of each element's text colour against the first opaque background behind it.
CONTRAST = """(sel) => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const bg = (el) => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || c[3] > 0.5) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  return [...document.querySelectorAll(sel)].map((el) => {
    const a = lum(rgb(getComputedStyle(el).color)), b = lum(bg(el));
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  });
}"""
READABLE = [
    "#pqa-header h1",
    ".pqa-summary",
    ".pqa-title",
    ".pqa-meta",
    ".pqa-crumb",
    ".pqa-excerpt",
    ".pqa-excerpt mark",
    ".pqa-btn",
    ".pqa-src-title",
    ".pqa-src-body",
    ".pqa-src-body mark",
    ".pqa-nf-title",
    ".pqa-nf-msg",
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_is_readable_in_light_and_dark_mode(browser, app_url, artifacts, scheme):
    context, page = open_page(browser, app_url, color_scheme=scheme)
    try:
        page.wait_for_function(
            f"() => document.body.classList.contains('dark') === {str(scheme == 'dark').lower()}"
        )
        reply = ask(page, "融安县防溺水措施")
        reply.locator(".pqa-card").first.get_by_role("button", name="查看原文").click()
        page.locator("#pqa-src-hl").wait_for()
        ask(page, "鹿寨县防溺水").locator(".pqa-notfound").wait_for()
        shot(page, artifacts, f"14-{scheme}", full_page=False)
        for sel in READABLE:
            ratios = page.evaluate(CONTRAST, sel)
            assert ratios, sel
            assert min(ratios) >= 4.5, (scheme, sel, min(ratios))  # WCAG AA for body text
    finally:
        context.close()


def test_pasted_long_question_is_cut_visibly(page, artifacts):
    reply = ask(page, "融安县防溺水措施" * 12_500)  # 100,000 characters
    reply.locator(".pqa-card").first.wait_for()
    assert "问题过长" in reply.locator(".pqa-note").inner_text()
    bubble = page.locator("#pqa-chat .pqa-q").last
    assert bubble.bounding_box()["height"] < 300  # a few lines, scrollable, not a wall of text
    more = bubble.locator(".pqa-q-more")
    assert more.inner_text() == "问题共 100,000 字，只按前 500 字检索"
    chat = page.locator("#pqa-chat").bounding_box()
    box = more.bounding_box()  # the note is on screen, not scrolled away with the text
    assert chat["y"] <= box["y"] and box["y"] + box["height"] <= chat["y"] + chat["height"]
    shot(page, artifacts, "13-long-question", full_page=False)


def test_abstention_is_a_notice(page, artifacts):
    reply = ask(page, "鹿寨县防溺水")
    notice = reply.locator(".pqa-notfound")
    notice.wait_for()
    assert "没有找到" in notice.inner_text()
    assert "鹿寨县" in notice.inner_text()
    assert reply.locator(".pqa-card").count() == 0
    shot(page, artifacts, "05-abstention")


def test_hedged_answer_shows_possibly_related_passages_unlike_an_answer(page, artifacts):
    page.set_viewport_size({"width": 1400, "height": 1000})
    reply = ask(page, "学生校服统一采购是怎么规定的")
    notice = reply.locator(".pqa-notfound.pqa-hedge")
    notice.wait_for()
    assert "没有找到确定的答案" in notice.inner_text() and "校服" in notice.inner_text()
    related = reply.locator(".pqa-card.pqa-related")
    assert 1 <= related.count() <= 5
    assert "可能相关的原文" in reply.locator(".pqa-related-label").inner_text()
    assert all(
        "可能相关" in related.nth(i).locator(".pqa-related-tag").inner_text() for i in range(related.count())
    )
    assert reply.locator(".pqa-summary").count() == 0  # no answer is claimed
    # visibly different from an answer's card: dashed border on the tinted notice colour
    assert related.first.evaluate("e => getComputedStyle(e).borderTopStyle") == "dashed"
    shot(page, artifacts, "15-hedged", full_page=False)
    answer = ask(page, "融安县防溺水措施").locator(".pqa-card").first
    answer.wait_for()
    assert answer.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"


def test_script_questions_are_shown_as_text(page, artifacts):
    for question in ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>"):
        ask(page, question)
        assert page.locator("#pqa-chat .pqa-q").last.inner_text() == question
    assert page.locator("#pqa-chat script").count() == 0
    assert page.locator("#pqa-chat .pqa-q img, #pqa-chat .pqa-answer img").count() == 0
    page.wait_for_timeout(300)
    assert page.dialogs == []
    shot(page, artifacts, "06-escaped")


def test_example_question_and_suggestion_chips(page, artifacts):
    page.locator("#pqa-example-1").click()  # 老师不够怎么办
    page.locator("#pqa-chat .pqa-card").first.wait_for()
    assert page.locator("#pqa-chat .pqa-q").first.inner_text() == "老师不够怎么办"
    reply = ask(page, "学校食堂每餐几个菜")
    chips = reply.locator(".pqa-chip")
    if chips.count():
        topic = chips.first.inner_text()
        chips.first.click()
        page.wait_for_function(
            "t => [...document.querySelectorAll('#pqa-chat .pqa-q')].some(q => q.textContent === t)",
            arg=topic,
            timeout=10_000,
        )
    shot(page, artifacts, "07-example")


def doc_count(page) -> int:
    """The number of documents the sidebar's 文库 panel reports."""
    text = page.locator("#pqa-corpus-status .pqa-status-counts").inner_text()
    return int(re.search(r"(\d+)\s*个文件", text).group(1))


def test_upload_then_ask_about_it(page, artifacts, tmp_path):
    path = tmp_path / "研学旅行安全工作办法.md"
    path.write_text(UPLOAD_MD, encoding="utf-8")
    before = doc_count(page)
    page.locator("#pqa-upload input[type=file]").set_input_files(str(path))
    status = page.locator("#pqa-upload-status")
    try:  # the build of one small file may finish before the progress bar is seen
        status.locator(".pqa-up-progress").wait_for(timeout=5000)
        status.scroll_into_view_if_needed()
        shot(page, artifacts, "08-uploading", full_page=False)
    except PlaywrightTimeout:
        pass
    status.get_by_text("索引已更新").wait_for(timeout=120_000)
    assert "✓ 已接收 研学旅行安全工作办法.md" in status.inner_text()
    assert doc_count(page) == before + 1
    status.scroll_into_view_if_needed()
    shot(page, artifacts, "08-uploaded", full_page=False)

    reply = ask(page, "研学旅行出发前要做哪些安全评估")
    first = reply.locator(".pqa-card").first
    first.wait_for()
    assert UPLOAD_TITLE in first.locator(".pqa-title").inner_text()
    shot(page, artifacts, "09-uploaded-answer")

    # the new document is in the document filter
    page.locator("#pqa-f-doc input").click()
    page.get_by_role("option", name=UPLOAD_TITLE).wait_for(timeout=5000)
    page.keyboard.press("Escape")


NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")  # fonts-noto-cjk


def make_upload_files(folder: Path) -> dict[str, Path]:
    """A .docx, an .html (with site chrome and a script) and a text-layer .pdf, each on its own topic."""
    import docx
    from fpdf import FPDF

    d = docx.Document()
    d.add_heading("某县校车安全管理办法", 0)
    for line in (
        "一、驾驶人管理",
        "校车驾驶人须持有相应准驾车型驾驶证，并每学期参加一次交通安全培训和应急演练。",
        "二、车辆管理",
        "校车每日出车前由驾驶人和随车照管人员共同检查车况，填写出车检查记录。",
    ):
        d.add_paragraph(line)
    files = {"docx": folder / "校车安全管理办法.docx"}
    d.save(files["docx"])
    files["html"] = folder / "近视防控方案.html"
    files["html"].write_text(
        "<html><head><title>某县学生近视防控工作方案</title></head><body><nav>首页 | 通知公告</nav>"
        "<h1>某县学生近视防控工作方案</h1><h2>一、主要措施</h2>"
        "<p>各中小学校每天安排学生在校户外活动不少于两小时，课间必须让学生走出教室。</p>"
        "<p>学校每学期开展两次视力筛查，并将结果告知家长。</p><script>alert(1)</script></body></html>",
        encoding="utf-8",
    )
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("cjk", fname=str(NOTO_CJK))
    pdf.set_font("cjk", size=12)
    for line in (
        "某县中小学劳动教育实施方案",
        "一、课程安排",
        "每周安排不少于一课时的劳动教育课，组织学生参加校园农场种植和家务劳动打卡。",
    ):
        pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    files["pdf"] = folder / "劳动教育.pdf"
    files["pdf"].write_bytes(bytes(pdf.output()))
    return files


def test_upload_docx_html_and_pdf_then_ask_about_each(page, artifacts, tmp_path):
    files = make_upload_files(tmp_path)
    before = doc_count(page)
    page.locator("#pqa-upload input[type=file]").set_input_files([str(f) for f in files.values()])
    status = page.locator("#pqa-upload-status")
    status.get_by_text("索引已更新").wait_for(timeout=120_000)
    for f in files.values():
        assert f"✓ 已接收 {f.name}" in status.inner_text()
    assert doc_count(page) == before + 3
    for question, title in (
        ("校车出车前要检查什么", "某县校车安全管理办法"),
        ("学校每学期几次视力筛查", "某县学生近视防控工作方案"),
        ("劳动教育要组织学生做什么", "某县中小学劳动教育实施方案"),
    ):
        first = ask(page, question).locator(".pqa-card").first
        first.wait_for()
        assert title in first.locator(".pqa-title").inner_text(), question
    assert page.locator("#pqa-chat script").count() == 0 and page.dialogs == []
    shot(page, artifacts, "09-uploaded-formats", full_page=False)


def test_bad_upload_is_refused_with_reason(page, tmp_path):
    path = tmp_path / "数据.txt"
    path.write_bytes(bytes(range(256)) * 20)
    page.locator("#pqa-upload input[type=file]").set_input_files(str(path))
    refused = page.locator("#pqa-upload-status .pqa-up-bad")
    refused.wait_for(timeout=30_000)
    assert refused.inner_text().startswith("✗ 未收录 数据.txt: ")


# --- issue 10: what a first-time user met ------------------------------------------------------------

RECT = (
    "(sel) => { const e = document.querySelector(sel); if (!e) return null;"
    " const r = e.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top,"
    " bottom: r.bottom, width: r.width, height: r.height, shown: e.offsetParent !== null}; }"
)
SCROLL_BUTTON_SHOWN = """() => [...document.querySelectorAll('.scroll-down-button-container, button')]
  .some((b) => b.offsetParent !== null && /↓|scroll down|滚动到最新/i.test(
    (b.getAttribute('aria-label') || '') + b.textContent))"""


def test_wide_layout_uses_the_page_and_reaches_the_upload_box(browser, app_url, artifacts):
    context, page = open_page(browser, app_url, viewport={"width": 1400, "height": 1000})
    try:
        # no document open: the chat takes the width (no empty right third)
        chat = page.evaluate(RECT, "#pqa-chat")
        assert not page.evaluate(RECT, "#pqa-viewer-col")["shown"]
        assert chat["width"] > 900, chat
        reply = ask(page, "融安县防溺水措施")
        first = reply.locator(".pqa-card").first
        first.wait_for()
        # the card says why in words a clerk reads; no round scroll button over the answer
        why = first.locator(".pqa-why").inner_text()
        assert "关键词第" not in why and "语义第" not in why and "含问题中的词语" in why
        assert not page.evaluate(SCROLL_BUTTON_SHOWN)
        assert "新编码" not in page.locator("#pqa-corpus-status").inner_text()
        shot(page, artifacts, "20-wide-answer", full_page=False)
        # 复制引用 carries the issuing body and the year
        copy = first.locator("button.pqa-copy")
        assert "融安县教育局" in copy.get_attribute("value") and "2024年" in copy.get_attribute("value")
        # 查看原文 opens the viewer beside the chat
        first.get_by_role("button", name="查看原文").click()
        page.locator("#pqa-viewer #pqa-src-hl").wait_for()
        chat, viewer = page.evaluate(RECT, "#pqa-chat"), page.evaluate(RECT, "#pqa-viewer")
        assert viewer["left"] >= chat["right"] - 1 and abs(viewer["top"] - chat["top"]) < 120, (chat, viewer)
        shot(page, artifacts, "21-wide-source", full_page=False)
        # the upload box is reachable in the sidebar, whole, on a 1000 px high screen
        page.evaluate("() => document.getElementById('pqa-upload').scrollIntoView({block: 'end'})")
        up = page.evaluate(RECT, "#pqa-upload")
        assert up["shown"] and up["top"] >= 0 and up["bottom"] <= 1001, up  # (sub-pixel rounding)
        assert page.evaluate(
            "() => { const u = document.getElementById('pqa-upload');"
            " return u.scrollHeight <= u.clientHeight + 2; }"
        )  # not cut inside either
        shot(page, artifacts, "22-wide-sidebar-upload", full_page=False)
        # at 1024 px the chat and the open document still stand side by side
        page.set_viewport_size({"width": 1024, "height": 768})
        page.wait_for_timeout(300)
        chat, viewer = page.evaluate(RECT, "#pqa-chat"), page.evaluate(RECT, "#pqa-viewer")
        assert viewer["left"] >= chat["right"] - 1, (chat, viewer)
        shot(page, artifacts, "23-1024-source", full_page=False)
    finally:
        context.close()


def test_phone_shows_no_scroll_button_over_the_answer(phone, artifacts):
    reply = ask(phone, "老师不够怎么办")
    reply.locator(".pqa-card").first.wait_for()
    assert not phone.evaluate(SCROLL_BUTTON_SHOWN)
    shot(phone, artifacts, "24-phone-answer", full_page=False)
    phone.locator("#pqa-sidebar .toggle-button").click()
    phone.wait_for_function("() => document.getElementById('pqa-sidebar').classList.contains('open')")
    phone.wait_for_timeout(400)  # the sidebar slides in
    assert not phone.evaluate(SCROLL_BUTTON_SHOWN)
    shot(phone, artifacts, "25-phone-sidebar", full_page=False)
