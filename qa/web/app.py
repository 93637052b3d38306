"""The Gradio Blocks of the UI: layout and event wiring; handlers in `handlers.py`, HTML in
`render.py` and `sidebar.py`, style and page script in `static/app.css` and `static/app.js`.

Example:
    >>> demo = build_app(Engine.open(Settings()))  # doctest: +SKIP
"""

from __future__ import annotations

from functools import partial
from importlib import resources

import gradio as gr

from qa.conversation import Conversation
from qa.engine import Engine
from qa.web import handlers
from qa.web.render import PLACEHOLDER, SOURCE_PLACEHOLDER

EXAMPLES = (
    "融安县防溺水措施",
    "老师不够怎么办",
    "“四不两直”原文怎么说",
    "中考体育测试在几月、哪个股室负责",
    "哪些文件提到控辍保学",
    "各地在校园安全方面有哪些措施",
)
# Steps of the event chains, run in the page: helpers that static/app.js defines on load.
SCROLL_TO_PASSAGE = "() => window.__pqaScrollToPassage && window.__pqaScrollToPassage()"
SCROLL_TO_LAST_QUESTION = "() => window.__pqaScrollToLastQuestion && window.__pqaScrollToLastQuestion()"


def static_text(name: str) -> str:
    """A file of qa/web/static/ as text."""
    return resources.files("qa.web").joinpath("static", name).read_text(encoding="utf-8")


def page_css() -> str:
    return static_text("app.css")


def page_js() -> str:
    """static/app.js without its leading comment: Gradio takes the one function expression it holds."""
    lines = static_text("app.js").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("() =>"))
    return "\n".join(lines[start:]) + "\n"


def theme() -> gr.themes.Base:
    """A quiet theme with local CJK fonts (no web fonts: the app runs offline)."""
    fonts = ["Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "PingFang SC", "sans-serif"]
    return gr.themes.Default(
        primary_hue="blue", neutral_hue="slate", font=fonts, font_mono=["Noto Sans Mono CJK SC", "monospace"]
    )


def build_app(engine: Engine) -> gr.Blocks:
    """Lay out the UI and wire the handlers. Launch with `ui.serve` (it passes CSS, JS and theme)."""
    places0, years0, docs0 = handlers.filter_choices(engine)
    with gr.Blocks(title="政策问答") as demo:
        conversation = gr.State(Conversation())
        with gr.Sidebar(label="筛选与文库", width=330, elem_id="pqa-sidebar"):
            gr.Markdown("#### 筛选 <small style='font-weight:400;opacity:.7'>（不选即不限）</small>")
            places = gr.Dropdown(places0, value=[], multiselect=True, label="地区", elem_id="pqa-f-place")
            years = gr.Dropdown(years0, value=[], multiselect=True, label="年份", elem_id="pqa-f-year")
            doc_ids = gr.Dropdown(docs0, value=[], multiselect=True, label="文件", elem_id="pqa-f-doc")
            wording = gr.Checkbox(
                label="原文检索（逐字查找）",
                info="打开后只找文件中逐字出现的说法",
                elem_id="pqa-wording",
            )
            gr.Markdown("#### 示例问题")
            example_buttons = [
                gr.Button(q, size="sm", elem_classes=["pqa-example"], elem_id=f"pqa-example-{i}")
                for i, q in enumerate(EXAMPLES)
            ]
            gr.Markdown("#### 文库")
            corpus_status = gr.HTML(handlers.corpus_status_html(engine), elem_id="pqa-corpus-status")
            # The status sits above the drop zone so it is on screen while the user drops a file.
            upload_status = gr.HTML("", elem_id="pqa-upload-status")
            files = gr.File(
                label="上传文件（txt、md、doc、docx、html、pdf）",
                file_count="multiple",
                elem_id="pqa-upload",
            )
        with gr.Row(equal_height=False, elem_id="pqa-main"):
            with gr.Column(scale=3, min_width=300, elem_id="pqa-chat-col"):
                gr.HTML(
                    "<div id='pqa-header'><h1>政策问答</h1>"
                    "<p>在已收录的教育政策文件中查找答案，每条回答都标明出处、可查看原文和复制引用。</p></div>"
                )
                chatbot = gr.Chatbot(
                    elem_id="pqa-chat",
                    height="calc(100vh - 240px)",
                    min_height=420,
                    show_label=False,
                    autoscroll=False,
                    latex_delimiters=[],
                    buttons=[],
                    feedback_options=None,
                    placeholder=PLACEHOLDER,
                    layout="panel",
                )
                with gr.Row():
                    msg = gr.Textbox(
                        placeholder="输入问题，例如：融安县防溺水措施（回车提问）",
                        label="问题",
                        show_label=False,
                        scale=8,
                        autofocus=True,
                        submit_btn="提问",
                        elem_id="pqa-input",
                    )
                    new_chat = gr.Button("新对话", scale=1, min_width=80, elem_id="pqa-new")
            # Folded away (app.css) until a card's 查看原文 puts a document in it.
            with gr.Column(scale=2, min_width=280, elem_id="pqa-viewer-col"):
                gr.Markdown("#### 原文", elem_id="pqa-viewer-label")
                viewer = gr.HTML(SOURCE_PLACEHOLDER, elem_id="pqa-viewer", js_on_load=None)
        # Hidden plumbing for clicks inside chat messages (see app.js): the value comes from window.__pqa*.
        src_request = gr.Textbox(label="原文位置", visible="hidden", elem_id="pqa-src-req")
        src_button = gr.Button("打开原文", visible="hidden", elem_id="pqa-src-btn")
        ask_button = gr.Button("提问", visible="hidden", elem_id="pqa-ask-btn")

        ask = partial(handlers.respond, engine)
        ask_inputs = [msg, chatbot, conversation, places, years, doc_ids, wording]
        ask_outputs = [chatbot, conversation, msg]
        # The named endpoints are "undocumented": callable (tests, scripts) but left out of the API
        # description, which Gradio also puts in the login page, before any login, with the filter
        # choices (places, years, document ids) in it.
        msg.submit(ask, ask_inputs, ask_outputs, api_name="ask", api_visibility="undocumented").then(
            None, js=SCROLL_TO_LAST_QUESTION
        )
        for b, q in zip(example_buttons, EXAMPLES, strict=True):
            b.click(partial(handlers.respond, engine, q), ask_inputs[1:], ask_outputs, api_name=False).then(
                None, js=SCROLL_TO_LAST_QUESTION
            )
        # A chip's question goes into the input box first (a JS-only step), then it is asked as if typed.
        ask_button.click(None, None, [msg], js="() => window.__pqaAsk || ''", api_name=False).then(
            ask, ask_inputs, ask_outputs, api_name=False
        ).then(None, js=SCROLL_TO_LAST_QUESTION)
        src_button.click(
            partial(handlers.view_source, engine),
            [src_request],
            [viewer],
            js="(x) => window.__pqaSrc || x",
            api_name="source",
            api_visibility="undocumented",
        ).then(None, js=SCROLL_TO_PASSAGE)
        new_chat.click(
            lambda: ([], Conversation(), "", SOURCE_PLACEHOLDER),
            None,
            [chatbot, conversation, msg, viewer],
            api_name=False,
        )
        chatbot.clear(
            lambda: (Conversation(), SOURCE_PLACEHOLDER), None, [conversation, viewer], api_name=False
        )
        files.upload(
            partial(handlers.upload, engine),
            [files],
            [upload_status, places, years, doc_ids, corpus_status, files],
            concurrency_limit=1,  # one index build at a time; questions keep their own workers
            concurrency_id="build",
            api_name="upload",
            api_visibility="undocumented",
        )
        # Other sessions may have added documents since this page was built.
        demo.load(
            lambda: (*handlers.filter_updates(engine), handlers.corpus_status_html(engine)),
            None,
            [places, years, doc_ids, corpus_status],
            api_name=False,
        )
    # engine.ask is thread-safe and takes ~5–10 ms; the rest of a request is Gradio's own work, which
    # overlaps well. Measured with bench/load.py (20 users, 2 min, 2 cores): limit 8 gave 14–58 % more
    # throughput and 11–43 % lower p95 than 4 in three paired rounds, and 1, 2 and 16 were worse
    # (BENCHMARKS.md, Reliability). max_size bounds the waiting line so an overload answers "busy"
    # quickly instead of queueing for minutes. Uploads have their own limit of 1 (see above).
    demo.queue(default_concurrency_limit=8, max_size=64)
    return demo
