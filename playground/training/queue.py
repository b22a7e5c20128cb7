"""The process-wide training queue: K training turns at once, and the run that has trained least goes first.

A run takes one turn per optimizer step (and per validation chunk), not one place for its whole length: a
small run started behind three five-minute runs gets the next free turn, a few tenths of a second later, and
finishes in about its own time, while the long runs share the cores between them (playground/fair.py).
Before its first turn a run is "queued" and knows its place in the serving order.
"""
from __future__ import annotations

import os

from playground.fair import FairGate

ENV_SLOTS = "PLAYGROUND_MAX_TRAININGS"
TRAIN_HALF_LIFE_S = 600.0  # a run's training time is remembered for about a run's length: long runs keep yielding


def max_trainings() -> int:
    """K: the env variable PLAYGROUND_MAX_TRAININGS if it is a positive integer, else the number of cores."""
    raw = os.environ.get(ENV_SLOTS, "")
    return int(raw) if raw.strip().isdigit() and int(raw) > 0 else (os.cpu_count() or 1)


class TrainQueue(FairGate):
    """K training turns at once; waiting runs are served least-trained first (ties: first come)."""

    def __init__(self, slots: int):
        super().__init__(slots, half_life=TRAIN_HALF_LIFE_S)


QUEUE = TrainQueue(max_trainings())
