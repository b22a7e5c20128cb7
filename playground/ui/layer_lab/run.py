"""Run the stack for the page: results cached per session by spec value, the last valid one kept for errors."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

import numpy as np

from playground.errors import SpecError
from playground.image.pipeline import Prepared, prepare
from playground.layers.shapes import LayerInfo, validate
from playground.model import feature_maps, stack_maps
from playground.spec import NetSpec, PipelineSpec
from playground.ui.runs import lab
from playground.ui.state import cached, last_valid


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


def _digest(arr: np.ndarray) -> str:
    """A short hash of an array's bytes."""
    return hashlib.blake2b(arr.tobytes(), digest_size=16).hexdigest()


def prepared_input(spec: PipelineSpec, working: np.ndarray) -> tuple[Prepared, str]:
    """The augmented, normalized input and a key naming it (image bytes + augment + norm)."""
    key = (_digest(working), spec.augment, spec.norm)
    return cached("layers.input", key, lambda: prepare(spec, working)), repr(key)


def run_stack(net: NetSpec, prepared: Prepared, key: str = "") -> StackResult:
    """Validate, then run; raises SpecError before torch could fail."""
    in_shape = tuple(prepared.tensor.shape[1:])  # (C, H, W)
    rows = validate(net, in_shape)
    maps = feature_maps(net, prepared.tensor)
    return StackResult(net, rows, maps, prepared.augmented, in_shape, prepared.tensor[0].numpy(), key)


def current_result(spec: PipelineSpec, working: np.ndarray, slot: str = "main"):
    """(result to show, error or None): on a SpecError the last valid result of the slot is shown."""
    prepared, in_key = prepared_input(spec, working)
    try:
        key = (in_key, spec.net)
        result = cached(f"layers.{slot}", key, lambda: run_stack(spec.net, prepared, repr(key)))
    except SpecError as exc:
        return last_valid(f"layers.{slot}"), exc
    return last_valid(f"layers.{slot}", result), None


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
    """The same input through the trained layers of a run (the classifier minus Flatten and Linear)."""
    key = (result.key, "trained", id(run))

    def compute() -> StackResult:
        stack = lab_model(run)[: len(result.rows)]
        return replace(result, maps=stack_maps(stack, result.x), key=repr(key), stack=stack)

    return cached("layers.trained", key, compute)


def lab_model(run):
    """The run's trained CPU model, made once per run by the Training lab."""
    return lab().model(run)
