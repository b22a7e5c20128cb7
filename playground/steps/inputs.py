"""Where the step-through's numbers come from: seeded random grids, typed grids, image patches, kernels.

Image patches keep the raw pixel integers 0..255 (not normalized): whole numbers are what a student can
multiply in their head; the Image lab shows normalization separately. "grey" is OpenCV's luma
(0.299 R + 0.587 G + 0.114 B, rounded). Hand-designed kernels come from playground.kernels (the Layer
lab's presets); a Layer lab conv layer's weights come from playground.model, so random ones match too.
"""
from __future__ import annotations

import re

import cv2
import numpy as np

from playground.errors import SpecError
from playground.layers.kernels import SIZE_RULES, kernel_of, preset, size_ok
from playground.layers.kinds import kind
from playground.spec import LayerSpec, NetSpec
from playground.steps.problem import STEP_LIMITS

RANDOM_INPUT = (0, 9)  # inclusive range of random input integers: small enough to multiply by heart
RANDOM_KERNEL = (-2, 2)  # inclusive range of random kernel integers
PATCH_CHANNELS = ("grey", "r", "g", "b")
_CELL_SPLIT = re.compile(r"[\s,;]+")


def random_grid(size: int, channels: int, seed: int) -> np.ndarray:
    """A seeded (C, size, size) grid of integers in RANDOM_INPUT."""
    rng = np.random.default_rng(seed)
    return rng.integers(RANDOM_INPUT[0], RANDOM_INPUT[1] + 1, (channels, size, size)).astype(np.float64)


def distinct_grid(size: int, channels: int, seed: int) -> np.ndarray:
    """A seeded (C, size, size) grid holding 1..size² once each per channel: max pooling's example input.

    With digits 0..9 nearly every window of 3×3 or more holds a 9, and a max pool of all 9s teaches nothing;
    with every number once, windows that do not share the largest number show different maxima.
    """
    rng = np.random.default_rng([seed, 2])
    return np.stack([rng.permutation(size * size).reshape(size, size) + 1 for _ in range(channels)]).astype(np.float64)


def random_kernel(k: int, channels: int, seed: int) -> np.ndarray:
    """A seeded (C, k, k) kernel of integers in RANDOM_KERNEL (a different stream from the input)."""
    rng = np.random.default_rng([seed, 1])
    return rng.integers(RANDOM_KERNEL[0], RANDOM_KERNEL[1] + 1, (channels, k, k)).astype(np.float64)


def _parse_block(block: str, what: str) -> list[list[float]]:
    """Rows of numbers from one block of text; SpecError names the row and the bad text."""
    rows = []
    for r, line in enumerate(block.strip().splitlines(), start=1):
        cells = [c for c in _CELL_SPLIT.split(line.strip()) if c]
        try:
            rows.append([float(c) for c in cells])
        except ValueError:
            bad = next(c for c in cells if not _is_number(c))
            raise SpecError("steps.errors.parse_number", what=what, row=r, text=bad[:12]) from None
        if len(rows[-1]) != len(rows[0]):
            raise SpecError("steps.errors.parse_ragged", what=what, row=r, got=len(rows[-1]), want=len(rows[0]))
    return rows


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def parse_grid(text: str, channels: int, what: str = "input") -> np.ndarray:
    """Typed numbers -> (C, H, W): rows on lines, cells split by spaces or commas, channels by blank lines.

    One block typed in three-channel mode is used for all three channels.
    """
    blocks = [b for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    if not blocks:
        raise SpecError("steps.errors.parse_empty", what=what)
    if len(blocks) not in (1, channels):
        raise SpecError("steps.errors.parse_blocks", what=what, got=len(blocks), want=channels)
    grids = [np.array(_parse_block(b, what), dtype=np.float64) for b in blocks]
    if any(g.shape != grids[0].shape for g in grids):
        raise SpecError("steps.errors.parse_blocks_shape", what=what)
    out = np.stack(grids)
    return np.repeat(out, channels, axis=0) if len(blocks) == 1 else out


def format_grid(arr: np.ndarray) -> str:
    """(C, H, W) -> text that parse_grid reads back (integers without a decimal point)."""
    blocks = ["\n".join(" ".join(fmt_number(v) for v in row) for row in ch) for ch in arr]
    return "\n\n".join(blocks)


def fmt_number(v: float, digits: int = 3) -> str:
    """Short text of a number: integers plain, others with up to `digits` decimals, a real minus sign."""
    if np.isnan(v):
        return ""
    r = round(float(v), digits)
    text = str(int(r)) if r == int(r) else f"{r:.{digits}f}".rstrip("0")
    return text.replace("-", "−") if r != 0 else "0"


def patch_limits(image: np.ndarray, size: int) -> tuple[int, int]:
    """Largest valid (top, left) for a size×size patch of an (H, W, C) image."""
    h, w = image.shape[:2]
    if h < size or w < size:
        raise SpecError("steps.errors.image_small", h=h, w=w, size=size)
    return h - size, w - size


def image_patch(image: np.ndarray, top: int, left: int, size: int, channel: str, channels: int) -> np.ndarray:
    """A (C, size, size) patch of raw 0..255 pixels: RGB for three channels, else grey or one of R / G / B."""
    max_top, max_left = patch_limits(image, size)
    top, left = min(max(top, 0), max_top), min(max(left, 0), max_left)
    patch = image[top:top + size, left:left + size]  # (size, size, C_img)
    if patch.shape[2] == 1:
        if channels == 3:
            raise SpecError("steps.errors.image_grey")
        return patch.transpose(2, 0, 1).astype(np.float64)
    if channels == 3:
        return patch.transpose(2, 0, 1).astype(np.float64)
    if channel == "grey":
        return cv2.cvtColor(np.ascontiguousarray(patch), cv2.COLOR_RGB2GRAY)[None].astype(np.float64)
    return patch[:, :, "rgb".index(channel)][None].astype(np.float64)


def preset_sizes(name: str) -> list[int]:
    """The kernel sizes (within the step-through's limits) a preset is defined for."""
    lim = STEP_LIMITS["kernel"]
    return [k for k in range(int(lim.min), int(lim.max) + 1) if size_ok(SIZE_RULES[name], k)]


def preset_kernel(name: str, k: int, channels: int) -> np.ndarray:
    """A preset as a (C, k, k) kernel: the same slice on every channel."""
    if name not in SIZE_RULES:
        raise SpecError("steps.errors.bad_preset", name=str(name)[:20])
    if k not in preset_sizes(name):
        raise SpecError("steps.errors.preset_size", name=name, k=k, sizes=", ".join(map(str, preset_sizes(name))))
    return np.repeat(preset(name, k).astype(np.float64)[None], channels, axis=0)


def conv_layers(net: NetSpec) -> list[int]:
    """1-based indices of the Layer lab's conv layers."""
    return [i for i, layer in enumerate(net.layers, start=1) if kind(layer.kind).family.hand_kernels]


def layer_kernel(net: NetSpec, index: int, filt: int, channels: int, in_channels: int) -> np.ndarray:
    """A (C, k, k) kernel: filter `filt` of conv layer `index` (1-based) of a stack whose input has in_channels.

    Three channels take the filter's first three input slices; one channel takes slice filt mod C_in
    (the slice a per-channel preset fills).
    """
    weight = _layer_weight(net, index, in_channels)  # (out, in, k, k)
    if weight is None:
        raise SpecError("steps.errors.layer_missing", layer=index)
    w = weight[filt % weight.shape[0]]
    if channels == 3:
        return np.stack([w[c % w.shape[0]] for c in range(3)]).astype(np.float64)
    return w[filt % w.shape[0]][None].astype(np.float64)


def _layer_weight(net: NetSpec, index: int, in_channels: int) -> np.ndarray | None:
    """The layer's (out, in, k, k) weights from the shared model, or from its preset if no model builds."""
    layer = net.layers[index - 1]
    try:
        from playground.model import build_model
        model = build_model(net, in_channels)
        return model[index - 1].weight.detach().numpy().astype(np.float64)
    except (ImportError, SpecError, RuntimeError, IndexError, AttributeError):
        return _preset_weight(layer)


def _preset_weight(layer: LayerSpec) -> np.ndarray | None:
    kernel = kernel_of(layer) if layer.init != "random" else None
    return None if kernel is None else kernel[None, None].astype(np.float64)

