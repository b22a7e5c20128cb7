"""A daemon worker thread that never touches the UI: start() it, poll running, join() it."""
from __future__ import annotations

import threading


class Worker:
    """Runs self._run() once in a daemon thread named THREAD_NAME."""

    THREAD_NAME = "playground-worker"
    _thread: threading.Thread | None = None

    def _run(self) -> None:
        raise NotImplementedError

    def start(self):
        """Run in a daemon worker thread; returns self."""
        self._thread = threading.Thread(target=self._run, name=self.THREAD_NAME, daemon=True)
        self._thread.start()
        return self

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the worker; True when it has ended."""
        if self._thread is not None:
            self._thread.join(timeout)
        return not self.running

    @property
    def running(self) -> bool:
        """True while the worker thread is alive (queued or working)."""
        return self._thread is not None and self._thread.is_alive()
