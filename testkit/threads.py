"""Run asyncio clients from synchronous tests."""
from __future__ import annotations

import asyncio
import threading


def run_async(coro):
    """asyncio.run in a fresh thread: Playwright's sync API may own this thread's event loop already."""
    box = {}

    def target():
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            box["error"] = exc

    worker = threading.Thread(target=target)
    worker.start()
    worker.join()
    if "error" in box:
        raise box["error"]
    return box["value"]
