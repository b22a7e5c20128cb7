"""Run the stack for the page: results cached per session by spec value, the last valid one kept for errors."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import numpy as np

from playground import memory
from playground.errors import SpecError
from playground.image.pipeline import Prepared, prepare, prepare_bytes
from playground.layers.shapes import LayerInfo, total_bytes, validate
from playground.layers.stacks import DIGIT_NET
from playground.model import RUN_GATE, party, run_maps, stack_maps
from playground.shared import digest, shared
from playground.spec import NetSpec, PipelineSpec
from playground.ui.runs import lab
from playground.ui.state import cached, last_valid, session_party


@dataclass(frozen=True)
class StackResult:
    """What the page draws for one stack on one image."""

    net: NetSpec
    rows: list[LayerInfo]
    maps: list[np.ndarray]  # one (C, H, W) float32 per layer
    image: np.ndarray  # (H, W, C) uint8: the augmented input the first layer sees (before normalization)
    in_shape: tuple[int, int, int]  # (C, H, W) of the normalized tensor
    x: np.ndarray  # (C, H, W) float32: the normalized input itself
    key: str = ""  # names the input and the stack: derived pictures are cached under it
    stack: object = None  # the nn.Sequential whose weights made the maps when they are not the spec's own (trained)
    input_key: str = ""  # names the input alone: a later stack on the same input reuses the layers it shares


def prepared_input(spec: PipelineSpec, working: np.ndarray) -> tuple[Prepared, str]:
    """The augmented, normalized input and a key naming it (image bytes + augment + norm); one per server."""
    key = (digest(working), spec.augment, spec.norm)
    prepared = cached("layers.input", key, lambda: shared("layers.input", key, lambda: prepare(spec, working),
                                                          need=prepare_bytes(working)))
    return prepared, repr(key)



def run_stack(net: NetSpec, prepared: Prepared, key: str = "", input_key: str = "",
              before: StackResult | None = None) -> StackResult:
    """Validate once, then run; the layers it shares with `before` (same input) are not run again."""
    in_shape = tuple(prepared.tensor.shape[1:])  # (C, H, W)
    rows = validate(net, in_shape)  # SpecError before torch could fail
    memory.check("forward", need=total_bytes(rows, in_shape))  # SpecError past the server's memory ceiling
    reuse = (before.net, before.maps) if before is not None and before.input_key == input_key else None
    maps = run_maps(net, prepared.tensor, reuse, session_party())
    return StackResult(net, rows, maps, prepared.augmented, in_shape, prepared.tensor[0].numpy(), key,
                       input_key=input_key)


@dataclass(frozen=True)
class Outcome:
    """What the Layer lab draws: the current stack's result (up to the layer that failed), the error, and the
    last valid result, whose pictures stand in (marked) for the layers that could not be computed."""

    result: StackResult | None
    error: SpecError | None = None
    stale: StackResult | None = None

    @property
    def failed_at(self) -> int | None:
        """The 1-based layer the error is about, or None (no error, or one about the whole stack)."""
        return self.error.params.get("layer") if self.error is not None and self.error.key != "layers.memory" else None


def heavy_turn() -> bool:
    """True when this session is heavy: its reruns go as turns of RUN_GATE (heavy_share)."""
    return RUN_GATE.is_heavy(party(session_party()))


@contextmanager
def heavy_share() -> Iterator[None]:
    """A session that is heavy (playground/model.py HEAVY_S) runs its whole rerun as one turn of RUN_GATE, whose
    heavy turns hold all cores but one together: several heavy tabs' page work (editors, tables, pictures
    sent) then runs one at a time instead of crowding the others' reruns. A light session goes straight on."""
    if not heavy_turn():
        yield
        return
    with RUN_GATE.turn(party(session_party())):
        yield


def current_result(spec: PipelineSpec, working: np.ndarray, slot: str = "main") -> Outcome:
    """The stack on the image; on a SpecError at layer k, layers 1..k−1 of the current stack still run."""
    before = last_valid(f"layers.{slot}")
    try:
        prepared, in_key = prepared_input(spec, working)
    except SpecError as exc:  # past the memory ceiling: the last pictures stay, with the message
        return Outcome(None, exc, before)
    try:
        return Outcome(last_valid(f"layers.{slot}", _run(spec.net, prepared, in_key, before, slot)))
    except SpecError as exc:
        error = exc
    outcome = Outcome(None, error, before)
    k = outcome.failed_at
    if k is None or k < 1:
        return outcome
    prefix = replace(spec.net, layers=spec.net.layers[:k - 1])
    return replace(outcome, result=_run(prefix, prepared, in_key, before, slot))  # valid: the error was at layer k


def _run(net: NetSpec, prepared: Prepared, in_key: str, before: StackResult | None, slot: str) -> StackResult:
    key = (in_key, net)  # the maps depend on nothing else (seeded layers): every tab on this stack shares them
    return cached(f"layers.{slot}", key,
                  lambda: shared("layers.run", key, lambda: run_stack(net, prepared, repr(key), in_key, before)))


def trained_run(spec: PipelineSpec, in_channels: int):
    """The newest ended training run of this tab whose stack is the current one and whose input channels match."""
    for run in reversed(lab().runs):
        if not run.running and run.net == spec.net and run.data.shape[0] == in_channels:
            return run
    return None


def near_miss(spec: PipelineSpec, in_channels: int):
    """(run, "channels" | "stack") for the newest ended run that would show if one thing changed; (None, "")."""
    for run in reversed(lab().runs):
        if run.running or not run.snapshot().step_loss:
            continue
        if run.net == spec.net:
            return run, "channels"  # same stack: only the picture's channels differ (else trained_run found it)
        return run, "stack"
    return None, ""


def with_trained(result: StackResult, run) -> StackResult:
    """The same input through the trained layers of a run (the classifier minus Flatten and Linear).

    run: a Training lab run, or SHIPPED for the trained digit network that ships with the playground.
    """
    key = (result.key, "trained", "shipped" if run is SHIPPED else id(run))

    def compute() -> StackResult:
        stack = lab_model(run)[: len(result.rows)]
        return replace(result, maps=stack_maps(stack, result.x, session_party()), key=repr(key), stack=stack)

    return cached("layers.trained", key, compute)


SHIPPED = "shipped"  # with_trained's name for the shipped trained digit network


def shipped_applies(spec: PipelineSpec) -> bool:
    """True when the stack is the shipped digit network's, so its trained weights fit."""
    return spec.net.layers == DIGIT_NET


def digit_result(spec: PipelineSpec, label: int) -> StackResult:
    """The stack on a held-out MNIST digit (28×28 grey, scaled as in training), ready for with_trained."""
    from playground.training import digit_net  # torch and the MNIST file: only when the digit network is on show

    def compute() -> StackResult:
        pixels, _ = digit_net.held_out_of(label)
        x = digit_net.as_input(pixels)  # (1, 28, 28) float32
        rows = validate(spec.net, tuple(x.shape))
        return StackResult(spec.net, rows, [], pixels, tuple(x.shape), x, repr(("digit", label, spec.net)))

    return cached("layers.digit", (label, spec.net), compute)


def lab_model(run):
    """The run's trained CPU model, made once per run by the Training lab (or the shipped digit network)."""
    if run is SHIPPED:
        from playground.training import digit_net

        return digit_net.shipped_model()
    return lab().model(run)
