"""A finished training run as a class-board entry: the stack in one line, a clean loss curve, the numbers.

Pure: the Training lab hands in the run's spec, trained stack and history; nothing here touches the database.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from playground.board.models import NewEntry
from playground.board.validate import CURVE_MAX_VALUE, STACK_MAX
from playground.layers import kinds as K
from playground.spec import LayerSpec, NetSpec, PipelineSpec


def layer_word(layer: LayerSpec) -> str:
    """One layer in a few characters: 'Conv2d 16@3×3 s2', 'MaxPool2d 2', 'LeakyReLU 0.1', 'ReLU'."""
    kind = K.kind(layer.kind)
    return kind.family.word(layer, kind)


def stack_line(net: NetSpec) -> str:
    """The layer stack in one line ('Conv2d 8@3×3 p1 · ReLU · MaxPool2d 2'), cut with '…' past STACK_MAX."""
    line = " · ".join(layer_word(layer) for layer in net.layers)
    return line if len(line) <= STACK_MAX else line[:STACK_MAX - 1] + "…"


def clean_curve(values: Iterable[float]) -> tuple[float, ...]:
    """Loss values the board accepts: NaN dropped, infinities and huge values capped, negatives at 0."""
    kept = [min(max(float(v), 0.0), CURVE_MAX_VALUE) for v in values if not math.isnan(float(v))]
    return tuple(kept) or (CURVE_MAX_VALUE,)  # a run that was NaN from its first step still has a curve


def entry_from_run(spec: PipelineSpec, net: NetSpec, epochs: Sequence[dict], step_loss: Sequence[float],
                   seconds: float, params: int, lesson: str = "") -> NewEntry | None:
    """The entry of a run (None before its first full epoch: no validation accuracy yet)."""
    if not epochs:
        return None
    acc = float(epochs[-1]["val_acc"])
    return NewEntry(dataset=spec.train.dataset, stack=stack_line(net), params=int(params), epochs=len(epochs),
                    seconds=max(0.0, float(seconds)), val_acc=min(max(acc, 0.0), 1.0) if math.isfinite(acc) else 0.0,
                    curve=clean_curve(step_loss), spec_json=spec.to_json(), lesson=lesson)
