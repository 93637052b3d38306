"""Polling a corpus folder with back-off: a failing re-index is retried less and less often.

A build that fails (a full disk …) would otherwise be retried at every poll, each retry reading
the corpus and encoding again for nothing (issue 13: ~19 CPU-s per 30 s, one traceback each time).

Example:
    >>> [retry_delay(n, 5.0, 300.0) for n in range(8)]
    [5.0, 10.0, 20.0, 40.0, 80.0, 160.0, 300.0, 300.0]
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

__all__ = ["retry_delay", "watch_loop"]

log = logging.getLogger("policyqa")


def retry_delay(failures: int, interval: float, cap: float) -> float:
    """Seconds to wait before the next poll after `failures` failed attempts in a row.

    Args:
        failures: consecutive failed attempts (0 after a success or when nothing needed doing).
        interval: the normal polling interval.
        cap: the longest wait.
    """
    return min(cap, interval * (2 ** min(failures, 30)))


def watch_loop(
    stop: threading.Event,
    attempt: Callable[[], bool],
    *,
    interval: float = 5.0,
    cap: float = 300.0,
) -> int:
    """Call `attempt` every `interval` seconds until `stop` is set, backing off while it fails.

    Args:
        stop: set it to end the loop.
        attempt: does one poll; returns True when it tried to re-index and failed (an exception
            counts as a failure and is logged, never raised: the watcher must not die).
        interval, cap: see `retry_delay`.

    Returns:
        The number of attempts made (for tests).
    """
    failures = attempts = 0
    while not stop.wait(retry_delay(failures, interval, cap)):
        attempts += 1
        try:
            failed = attempt()
        except Exception:
            log.exception("corpus watcher")
            failed = True
        failures = failures + 1 if failed else 0
        if failed:
            log.warning(
                "corpus watcher: re-index failed, next try in %.0f s", retry_delay(failures, interval, cap)
            )
    return attempts
