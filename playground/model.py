"""The shared model module: a layer stack spec -> nn.Sequential, its feature maps, and a classifier on top.

Random conv weights use PyTorch's default initialization, seeded per layer with layer_seed(net.seed, i),
so editing one layer does not re-draw the weights of the others. BatchNorm2d keeps no running
statistics: it always normalizes with the statistics of the image it is given.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Hashable
from functools import lru_cache

import numpy as np
import torch
from torch import nn

from playground.fair import FairGate
from playground.layers.kinds import kind, out_channels
from playground.layers.shapes import validate
from playground.spec import LayerSpec, NetSpec

_BUILD_LOCK = threading.Lock()  # seeding uses torch's global generator: one build at a time
# Streamlit sessions are threads of one process: at most one layer per core runs at a time, each on
# RUN_THREADS torch threads. Two OpenMP threads per pass on a busy 2-core server spent most of their CPU
# spinning for a descheduled partner (64 ms of CPU against 15 ms on one thread, docs/benchmarks.md).
# Turns are one layer (and one layer's picture, playground/ui/layer_lab/pictures.py), handed out fairly:
# the session that used the least lately goes first, and sessions that used more than HEAVY_S of the last
# few seconds share all cores but one, so a student releasing a slider never waits behind a whole heavy stack;
# while light students are about, heavy sessions together get at most HEAVY_SHARE of one core.
HEAVY_S = 1.5  # recent CPU seconds of turns (half-life RUN_HALF_LIFE_S) that make a session heavy
RUN_HALF_LIFE_S = 5.0
HEAVY_SHARE = 0.5
RUN_GATE = FairGate(os.cpu_count() or 1, half_life=RUN_HALF_LIFE_S, heavy=HEAVY_S, heavy_share=HEAVY_SHARE)
_THREADS_ENV = os.environ.get("PLAYGROUND_FORWARD_THREADS", "")
RUN_THREADS = int(_THREADS_ENV) if _THREADS_ENV.isdigit() and int(_THREADS_ENV) > 0 else 1


def layer_seed(net_seed: int, index: int) -> int:
    """The torch seed set right before building (1-based) layer index of a stack."""
    return net_seed * 1000 + index


def make_layer(layer: LayerSpec, in_channels: int) -> nn.Module:
    """One nn.Module for one LayerSpec, as the registry says (uses torch's global generator for random weights).

    Hand-designed conv kernels then replace the random weights, with a zero bias.
    """
    entry = kind(layer.kind)
    module = getattr(nn, entry.torch_name)(**entry.args(layer, in_channels))
    weight = entry.family.hand_weight(layer, in_channels)  # (out, in, k, k) or None
    if weight is not None:
        with torch.no_grad():
            module.weight.copy_(torch.from_numpy(weight))
            if module.bias is not None:
                module.bias.zero_()
    return module


def build_stack(net: NetSpec, in_channels: int) -> nn.Sequential:
    """A fresh, trainable nn.Sequential for the stack (not validated: call layers.validate first)."""
    modules, c = [], in_channels
    with _BUILD_LOCK, torch.random.fork_rng(devices=[]):  # leave the caller's random state untouched
        for i, layer in enumerate(net.layers, start=1):
            torch.manual_seed(layer_seed(net.seed, i))
            modules.append(make_layer(layer, c))
            c = out_channels(layer, c)
    return nn.Sequential(*modules)


@lru_cache(maxsize=256)
def frozen_layer(layer: LayerSpec, in_channels: int, net_seed: int, index: int) -> nn.Module:
    """Layer `index` (1-based) built exactly as build_stack builds it, frozen for inference; shared by every session.

    Cached per layer, so editing layer 4 of a stack builds layer 4 again, not the whole stack.
    """
    with _BUILD_LOCK, torch.random.fork_rng(devices=[]):
        torch.manual_seed(layer_seed(net_seed, index))
        module = make_layer(layer, in_channels)
    return module.eval().requires_grad_(False)


@lru_cache(maxsize=16)
def build_model(net: NetSpec, in_channels: int) -> nn.Sequential:
    """The stack for inference, from the per-layer cache (frozen, no grad, eval: dropout off)."""
    modules, c = [], in_channels
    for i, layer in enumerate(net.layers, start=1):
        modules.append(frozen_layer(layer, c, net.seed, i))
        c = out_channels(layer, c)
    return nn.Sequential(*modules).eval()


def common_prefix(a: NetSpec, b: NetSpec) -> int:
    """How many first layers two stacks share (same seed, same layers): their outputs on one input are equal."""
    if a.seed != b.seed:
        return 0
    n = 0
    for x, y in zip(a.layers, b.layers, strict=False):
        if x != y:
            break
        n += 1
    return n


def build_classifier(net: NetSpec, in_channels: int, in_hw: tuple[int, int], n_classes: int) -> nn.Sequential:
    """A fresh trainable stack + Flatten + Linear to n_classes for (in_channels, *in_hw) inputs."""
    rows = validate(net, (in_channels, *in_hw), pictures=False)
    c, h, w = rows[-1].out_shape if rows else (in_channels, *in_hw)
    stack = build_stack(net, in_channels)
    with _BUILD_LOCK, torch.random.fork_rng(devices=[]):
        torch.manual_seed(layer_seed(net.seed, len(net.layers) + 1))
        head = nn.Linear(c * h * w, n_classes)
    return nn.Sequential(*stack, nn.Flatten(), head)


def as_batch(x) -> torch.Tensor:
    """A (C, H, W) or (1, C, H, W) array or tensor -> a (1, C, H, W) float32 tensor."""
    t = torch.as_tensor(np.asarray(x, np.float32) if not isinstance(x, torch.Tensor) else x, dtype=torch.float32)
    return t[None] if t.dim() == 3 else t


def party(who: Hashable | None) -> Hashable:
    """Whom a turn is counted for: the caller's session, else the calling thread."""
    return who if who is not None else threading.get_ident()


def _run_layers(layers, h: torch.Tensor, who: Hashable | None) -> list[np.ndarray]:
    """Each layer's output, (C, H, W) each, one fair turn per layer."""
    outs, who = [], party(who)
    with torch.inference_mode():
        torch.set_num_threads(RUN_THREADS)  # per calling thread (OpenMP): session threads come and go
        for layer in layers:
            with RUN_GATE.turn(who):
                h = layer(h)
            outs.append(h[0].numpy())  # (C, H, W)
    return outs


def stack_maps(stack: nn.Module, x, who: Hashable | None = None) -> list[np.ndarray]:
    """Every module's output of an already built stack (e.g. the trained layers of a classifier)."""
    return _run_layers(stack, as_batch(x), who)  # (1, C, H, W) in


def feature_maps(net: NetSpec, x, reuse: tuple[NetSpec, list[np.ndarray]] | None = None) -> list[np.ndarray]:
    """Every layer's output for one image, each (C, H, W) float32; raises SpecError before torch could fail.

    reuse: (stack, maps) of an earlier run on the SAME input; the first layers both stacks share are not run again.
    """
    x = as_batch(x)  # (1, C, H, W)
    validate(net, tuple(x.shape[1:]))
    return run_maps(net, x, reuse)


def run_maps(net: NetSpec, x, reuse: tuple[NetSpec, list[np.ndarray]] | None = None,
             who: Hashable | None = None) -> list[np.ndarray]:
    """feature_maps for a stack the caller has validated on this input; who: the session the turns count for."""
    x = as_batch(x)
    start = common_prefix(reuse[0], net) if reuse is not None else 0
    maps = list(reuse[1][:start]) if start else []
    # (1, C, H, W): the last shared layer's output; maps may be read-only (shared across sessions): torch gets a copy
    h = torch.from_numpy(np.array(maps[-1]))[None] if maps else x
    return maps + _run_layers(build_model(net, x.shape[1])[start:], h, who)
