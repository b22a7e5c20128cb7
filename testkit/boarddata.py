"""Realistic class-board entries for tests and benchmarks."""
from __future__ import annotations

from dataclasses import replace

from playground.board import NewEntry
from playground.spec import LayerSpec, PipelineSpec

SPEC = PipelineSpec().set("net.layers", (LayerSpec("conv", 8, 3, padding=1), LayerSpec("relu"),
                                         LayerSpec("maxpool", kernel=2, stride=2)))


def sample_entry(i: int = 0, **changes) -> NewEntry:
    """Run number i of a student: a digits run whose numbers differ with i (changes override fields)."""
    spec = SPEC.set("train.seed", i % 10000)
    curve = tuple(2.3 / (1 + 0.05 * step) for step in range(240))  # one loss per batch, falling
    entry = NewEntry(dataset="digits", stack="Conv2d 8@3×3 · ReLU · MaxPool 2", params=1000 + 10 * i, epochs=6,
                     seconds=10.0 + i % 7, val_acc=min(0.99, 0.5 + 0.01 * (i % 50)), curve=curve,
                     spec_json=spec.to_json())
    return replace(entry, **changes)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 1_800_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now
