"""A plain-HTTP Gradio session for tests that talk to a running app as its page does.

The page's queue protocol (sse_v3): POST `<prefix>/queue/join` with an event's inputs, then read
the session's event stream `<prefix>/queue/data` until that event's `process_completed`.
"""

from __future__ import annotations

import json
import socket
import time
import uuid
from dataclasses import dataclass

import httpx


@dataclass
class Result:
    """What one event returned: its outputs on success, else the error message the app sent."""

    success: bool
    data: list | None
    error: str | None


class GradioSession:
    """One browser tab's worth of session: its own session hash and cookies (a login persists)."""

    def __init__(self, url: str, timeout: float = 120):
        self.url = url.rstrip("/") + "/"
        self.timeout = timeout
        self.http = httpx.Client(timeout=timeout, trust_env=False)  # no proxy: loopback only
        self.session = uuid.uuid4().hex[:11]
        self._config: dict | None = None

    def config(self) -> dict:
        if self._config is None:
            r = self.http.get(self.url + "config")
            r.raise_for_status()
            self._config = r.json()
        return self._config

    @property
    def prefix(self) -> str:
        return self.config().get("api_prefix", "/gradio_api").strip("/")

    def fn_index(self, api_name: str) -> int:
        return next(d["id"] for d in self.config()["dependencies"] if d.get("api_name") == api_name)

    def call(self, api_name: str, data: list) -> Result:
        """Run one event (by api_name) with `data` for all its inputs (None for gr.State)."""
        body = {"data": data, "event_data": None, "fn_index": self.fn_index(api_name), "trigger_id": None,
                "session_hash": self.session}  # fmt: skip
        r = self.http.post(
            f"{self.url}{self.prefix}/queue/join",
            # ASCII JSON, as a browser's JSON.stringify may send it: a lone surrogate goes as "\\ud800"
            content=json.dumps(body).encode("ascii"),
            headers={"content-type": "application/json"},
        )
        r.raise_for_status()
        event_id = r.json()["event_id"]
        deadline = time.monotonic() + self.timeout
        stream = f"{self.url}{self.prefix}/queue/data"
        with self.http.stream("GET", stream, params={"session_hash": self.session}) as s:
            for line in s.iter_lines():
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{api_name}: no answer within {self.timeout} s")
                if not line.startswith("data:"):
                    continue
                m = json.loads(line[5:])
                if m.get("event_id") not in (None, event_id):
                    continue
                if m.get("msg") in ("queue_full", "unexpected_error"):
                    return Result(False, None, f"{m.get('msg')}: {m.get('message')}")
                if m.get("msg") == "process_completed":
                    out = m.get("output") or {}
                    if m.get("success"):
                        return Result(True, out.get("data"), None)
                    return Result(False, None, str(out.get("error")))
        raise RuntimeError(f"{api_name}: event stream closed before the answer")

    def ask(self, question, history=None, places=None, years=None, doc_ids=None, wording=False) -> Result:
        """The `ask` event: (message, chat history, conversation state, filters…, wording toggle)."""
        return self.call(
            "ask", [question, history or [], None, places or [], years or [], doc_ids or [], wording]
        )

    def close(self) -> None:
        self.http.close()


def reply_text(history: list) -> str:
    """The HTML of the last assistant message in a returned chat history."""
    content = history[-1]["content"] if history else ""
    if isinstance(content, list):
        return " ".join(p.get("text", "") for p in content if isinstance(p, dict))
    return str(content)


def free_port() -> int:
    """A free TCP port on 127.0.0.1 for a test server."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
