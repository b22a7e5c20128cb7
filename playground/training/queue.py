"""A process-wide first-come queue: at most K trainings run at once, the others wait and know their place."""
from __future__ import annotations

import os
import threading
from collections.abc import Callable
from contextlib import contextmanager

ENV_SLOTS = "PLAYGROUND_MAX_TRAININGS"
POLL_S = 0.1  # how often a waiting training re-checks its stop flag


def max_trainings() -> int:
    """K: the env variable PLAYGROUND_MAX_TRAININGS if it is a positive integer, else the number of cores."""
    raw = os.environ.get(ENV_SLOTS, "")
    return int(raw) if raw.strip().isdigit() and int(raw) > 0 else (os.cpu_count() or 1)


class TrainQueue:
    """K slots; waiters are served in arrival order."""

    def __init__(self, slots: int):
        self.slots = slots
        self._cond = threading.Condition()
        self._active = 0
        self._waiting: list[object] = []

    @property
    def active(self) -> int:
        """Trainings holding a slot now."""
        with self._cond:
            return self._active

    @property
    def waiting(self) -> int:
        """Trainings waiting for a slot now."""
        with self._cond:
            return len(self._waiting)

    def _try_enter(self, token: object) -> int:
        """0 if token got a slot, else its 1-based place in the line."""
        place = self._waiting.index(token) + 1
        if place == 1 and self._active < self.slots:
            self._waiting.pop(0)
            self._active += 1
            self._cond.notify_all()
            return 0
        return place

    @contextmanager
    def slot(self, stop: threading.Event, report: Callable[[int], None] = lambda place: None):
        """Wait for a slot (calling report(place) while waiting); yields True with a slot, False if stopped first."""
        token = object()
        with self._cond:
            self._waiting.append(token)
            while (place := self._try_enter(token)) and not stop.is_set():
                report(place)
                self._cond.wait(POLL_S)
            if place:  # stopped while waiting: leave the line
                self._waiting.remove(token)
                self._cond.notify_all()
        if place:
            yield False
            return
        report(0)
        try:
            yield True
        finally:
            with self._cond:
                self._active -= 1
                self._cond.notify_all()


QUEUE = TrainQueue(max_trainings())
