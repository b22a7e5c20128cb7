"""The shared model module: a layer stack spec -> nn.Sequential, its feature maps, and a classifier on top.

Random conv weights use PyTorch's default initialization, seeded per layer with layer_seed(net.seed, i),
so editing one layer does not re-draw the weights of the others. BatchNorm2d keeps no running
statistics: it always normalizes with the statistics of the image it is given.
"""
from __future__ import annotations

import os
import threading
from functools import lru_cache

import numpy as np
import torch
from torch import nn

from playground.layers.kernels import conv_weight
from playground.layers.kinds import CONV, kind, out_channels
from playground.layers.shapes import validate
from playground.spec import LayerSpec, NetSpec

_BUILD_LOCK = threading.Lock()  # seeding uses torch's global generator: one build at a time
# Streamlit sessions are threads of one process: at most one forward pass per core at a time.
RUN_SLOTS = threading.BoundedSemaphore(os.cpu_count() or 1)


def layer_seed(net_seed: int, index: int) -> int:
    """The torch seed set right before building (1-based) layer index of a stack."""
    return net_seed * 1000 + index


def make_layer(layer: LayerSpec, in_channels: int) -> nn.Module:
    """One nn.Module for one LayerSpec, as the registry says (uses torch's global generator for random weights).

    Hand-designed conv kernels then replace the random weights, with a zero bias.
    """
    entry = kind(layer.kind)
    module = getattr(nn, entry.torch_name)(**entry.args(layer, in_channels))
    weight = conv_weight(layer, in_channels) if entry.family == CONV else None  # (out, in, k, k) or None
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


@lru_cache(maxsize=16)
def build_model(net: NetSpec, in_channels: int) -> nn.Sequential:
    """The stack, cached by spec value and shared by every session: frozen (no grad), for inference only."""
    model = build_stack(net, in_channels).eval()
    model.requires_grad_(False)
    return model


def build_classifier(net: NetSpec, in_channels: int, in_hw: tuple[int, int], n_classes: int) -> nn.Sequential:
    """A fresh trainable stack + Flatten + Linear to n_classes for (in_channels, *in_hw) inputs."""
    rows = validate(net, (in_channels, *in_hw))
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


def stack_maps(stack: nn.Module, x) -> list[np.ndarray]:
    """Every module's output of an already built stack (e.g. the trained layers of a classifier)."""
    x = as_batch(x)  # (1, C, H, W)
    outs = []
    with RUN_SLOTS, torch.inference_mode():
        for layer in stack:
            x = layer(x)
            outs.append(x[0].numpy())  # (C, H, W)
    return outs


def feature_maps(net: NetSpec, x) -> list[np.ndarray]:
    """Every layer's output for one image, each (C, H, W) float32; raises SpecError before torch could fail."""
    x = as_batch(x)  # (1, C, H, W)
    validate(net, tuple(x.shape[1:]))
    return stack_maps(build_model(net, x.shape[1]), x)
