"""政策问答 (PolicyQA) web UI: the entry point — command line, login, serve.

Run it with::

    python ui.py                                   # http://127.0.0.1:7860
    python ui.py --host 0.0.0.0 --auth clerk:secret  # on the office network (login required)

The UI itself is `qa/web/`: `app.py` lays out the Gradio Blocks, `handlers.py` answers its events,
`render.py` and `sidebar.py` make its HTML (pure functions), `static/` holds its CSS and JS.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from pathlib import Path
from typing import Any

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import gradio as gr

from qa.engine import Engine
from qa.settings import Settings
from qa.web.app import EXAMPLES, build_app, page_css, page_js, theme

# --- launching ----------------------------------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    """Whether `host` only listens on this machine (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def parse_auth(value: str | None) -> tuple[str, str] | None:
    """ "user:password" → (user, password); None when not given.

    Raises:
        ValueError: when the value is not of the form user:password.
    """
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user.strip() or not password:
        raise ValueError("登录信息应写成 用户名:密码")
    return user.strip(), password


def serve(
    engine: Engine,
    *,
    host: str = "127.0.0.1",
    port: int = 7860,
    auth: tuple[str, str] | None = None,
    block: bool = True,
    warm: bool = True,
) -> tuple[gr.Blocks, str]:
    """Build and launch the app; returns it with its URL (blocks until stopped when `block`).

    Args:
        engine: the engine to serve.
        host, port: where to listen (only loopback unless `auth` is set: see `main`).
        auth: (user, password) for the login page, or None.
        block: wait until Ctrl+C (the command line); False returns at once (tests, benchmarks).
        warm: ask one question first, so the first user does not wait for the models to load.
    """
    if warm:
        engine.ask(EXAMPLES[0])
    # Files copied into the corpus folder while serving are indexed without a restart.
    engine.watch(interval=5.0)
    demo = build_app(engine)
    demo.launch(
        server_name=host,
        server_port=port,
        auth=auth,
        auth_message="政策问答：请登录" if auth else None,
        prevent_thread_lock=True,
        quiet=True,
        show_error=True,
        ssr_mode=False,
        max_file_size="25mb",
        # No footer: Gradio's settings page is for developers and mostly English (PWA, screen
        # recording); light or dark follows the system.
        footer_links=[],
        # Gradio would otherwise save every call (questions, excerpts, the whole chat) in the browser's
        # localStorage, which costs a few ms per message of history on every answer.
        run_history=False,
        theme=theme(),
        css=page_css(),
        js=page_js(),
    )
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    if block:
        print(f"政策问答已启动：{url}  （按 Ctrl+C 停止）", flush=True)
        if host in ("0.0.0.0", "::"):
            print(f"其他电脑请用本机的局域网地址访问，例如 http://<本机IP>:{port}/", flush=True)
        try:
            demo.block_thread()
        except KeyboardInterrupt:
            demo.close()
    return demo, url


def build_parser() -> argparse.ArgumentParser:
    """The command line of `python ui.py`."""
    p = argparse.ArgumentParser(prog="ui.py", description="政策问答网页界面")
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，只允许本机访问）")
    p.add_argument("--port", type=int, default=7860, help="端口（默认 7860）")
    p.add_argument("--corpus", help="文档目录（默认 corpus/，或环境变量 POLICYQA_CORPUS）")
    p.add_argument("--index-dir", help="索引目录（默认 var/index/，或 POLICYQA_INDEX）")
    p.add_argument("--encoder", help="向量模型：use（默认）或 st:<模型名或路径>")
    p.add_argument("--auth", help="登录用户名和密码，写成 用户名:密码（或环境变量 POLICYQA_AUTH）")
    return p


def settings_from(args: argparse.Namespace) -> Settings:
    """Settings from the defaults (and POLICYQA_* variables), overridden by the command line."""
    changes: dict[str, Any] = {}
    if args.corpus:
        changes["corpus_dir"] = Path(args.corpus)
    if args.index_dir:
        changes["index_dir"] = Path(args.index_dir)
    if args.encoder:
        changes["encoder"] = args.encoder
    return Settings().with_(**changes)


def main(argv: list[str] | None = None) -> int:
    """Start the UI. Exit code 2 when the options are unsafe or malformed."""
    args = build_parser().parse_args(argv)
    try:
        auth = parse_auth(args.auth or os.environ.get("POLICYQA_AUTH"))
    except ValueError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    if auth is None and not is_loopback(args.host):
        print(
            f"拒绝启动：--host {args.host} 会让局域网中的其他电脑访问本服务，必须设置登录。\n"
            "请加上 --auth 用户名:密码（或设置环境变量 POLICYQA_AUTH），或改用 --host 127.0.0.1。",
            file=sys.stderr,
        )
        return 2
    print("正在加载索引…", file=sys.stderr, flush=True)
    engine = Engine.open(settings_from(args))
    engine.cutter.warm(tags=True)  # the part-of-speech table, before the first question needs it
    print(engine.status, file=sys.stderr, flush=True)
    serve(engine, host=args.host, port=args.port, auth=auth)
    return 0


if __name__ == "__main__":
    sys.exit(main())
