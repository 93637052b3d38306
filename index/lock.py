"""One writer per index folder: an advisory lock on ``<index_dir>/LOCK`` that says who holds it.

The lock is `fcntl.flock` on an open file, so the kernel releases it when its holder exits,
however it exits (SIGKILL included): a lock left by a killed build is never stale. The file
itself stays; it only tells a waiting process who holds the lock ("pid 1234 on host, since …").

Example:
    >>> with BuildLock(index_dir, timeout=600):  # doctest: +SKIP
    ...     write_build(index_dir, ...)
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["LOCK_NAME", "BuildLock", "IndexBusy", "holder_of", "pid_alive"]

LOCK_NAME = "LOCK"


class IndexBusy(Exception):
    """Another process has held the build lock for longer than we were willing to wait."""


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists on this machine (signal 0 probes without sending)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def holder_of(index_dir: Path) -> dict:
    """What the LOCK file says about its holder (pid, host, since); {} when unreadable."""
    try:
        data = json.loads((Path(index_dir) / LOCK_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def describe_holder(holder: dict) -> str:
    """ "进程 1234（host，自 2026-12-01T08:00:00 起）" or "另一个进程" when the file says nothing."""
    if not holder.get("pid"):
        return "另一个进程"
    return f"进程 {holder['pid']}（{holder.get('host', '?')}，自 {holder.get('since', '?')} 起）"


class BuildLock:
    """Exclusive build lock on an index folder; waits up to `timeout` seconds for the holder.

    Args:
        index_dir: the index folder (created if missing).
        timeout: seconds to wait for another holder; 0 fails at once.
        on_wait: called once with a line naming the holder when we have to wait.
        poll: seconds between attempts.

    Raises:
        IndexBusy: (on enter) the lock is still held after `timeout`; the message names the holder.
    """

    def __init__(
        self,
        index_dir: str | Path,
        *,
        timeout: float = 3600.0,
        on_wait: Callable[[str], None] | None = None,
        poll: float = 0.2,
    ):
        self.path = Path(index_dir) / LOCK_NAME
        self.timeout = timeout
        self.on_wait = on_wait
        self.poll = poll
        self._fd: int | None = None

    def __enter__(self) -> BuildLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.timeout
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                who = describe_holder(holder_of(self.path.parent))
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise IndexBusy(f"索引正在由{who}构建，请稍后再试") from None
                if not told and self.on_wait:
                    self.on_wait(f"等待{who}完成索引构建…")
                told = True
                time.sleep(self.poll)
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "since": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        # Written in place (not replaced): the lock belongs to the open file, not to a name.
        # Only informative, so a full disk must not stop the build here.
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info).encode(), 0)
        except OSError:
            pass
        self._fd = fd
        return self

    def __exit__(self, *exc) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
