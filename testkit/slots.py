"""Prove that a semaphore bounds concurrent work by counts, not by timing: hold every slot, then look."""
from __future__ import annotations

import threading


class CountingSlots(threading.BoundedSemaphore):
    """A bounded semaphore that counts the threads that asked it for a slot."""

    def __init__(self, value: int) -> None:
        super().__init__(value)
        self.asked = 0
        self.changed = threading.Condition()

    def acquire(self, blocking: bool = True, timeout: float | None = None) -> bool:
        with self.changed:
            self.asked += 1
            self.changed.notify_all()
        return super().acquire(blocking, timeout)

    __enter__ = acquire


class Gate:
    """Work that keeps its slot until the test opens the gate; counts how many are inside at once."""

    def __init__(self, slots: int) -> None:
        self.slots, self.size = CountingSlots(slots), slots
        self.inside = self.peak = 0
        self._open = threading.Event()

    def hold(self) -> None:
        """Called by the work inside its slot: wait there until the gate opens."""
        with self.slots.changed:
            self.inside += 1
            self.peak = max(self.peak, self.inside)
            self.slots.changed.notify_all()
        self._open.wait(60)
        with self.slots.changed:
            self.inside -= 1

    def check_full(self, callers: int, timeout: float = 60) -> None:
        """Once all callers asked and the slots are taken, no further slot is free; then open the gate."""
        try:
            with self.slots.changed:
                reached = self.slots.changed.wait_for(lambda: self.slots.asked == callers and self.inside == self.size,
                                                      timeout)
            assert reached, f"{self.inside} inside of {self.size} slots, {self.slots.asked} of {callers} callers asked"
            assert not self.slots.acquire(blocking=False), "a slot was still free with every slot held"
        finally:
            self._open.set()
