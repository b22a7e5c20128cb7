"""Wait for a condition outside the browser (a server log line, a worker's state): poll it, fail on a deadline."""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def wait_until(condition: Callable[[], T], seconds: float, what: str, poll: float = 0.1) -> T:
    """The first truthy value of `condition()`; AssertionError naming `what` if none came within `seconds`."""
    deadline = time.monotonic() + seconds
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds:.0f} s waiting for {what}")
        time.sleep(poll)
    return value


def log_count(log: Path, text: str) -> int:
    """How often `text` occurs in a server log so far."""
    return log.read_text(errors="replace").count(text)


def wait_for_log(log: Path, text: str, more_than: int = 0, seconds: float = 30) -> None:
    """Wait until `text` occurs in the log more than `more_than` times."""
    wait_until(lambda: log_count(log, text) > more_than, seconds, f"{text!r} in {log.name}")
