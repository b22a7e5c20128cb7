"""Hand-designed conv kernels (blur, sharpen, edges, ...) and the conv weights they make.

How a k×k kernel fills a Conv2d weight of shape (out, in, k, k):
- "per_channel": output channel o applies the kernel to input channel o mod C only (zeros elsewhere),
  so an RGB image through 3 output channels gives the filtered R, G and B planes.
- "sum": every output channel applies the kernel to every input channel and adds them up,
  so all output channels are the same map (the kernel applied to R + G + B).
- "sized" (blur and edges sized to k): output channel o applies SIZED[o mod 4] to the mean of the input
  channels, so the first four maps are a box blur, a Gaussian blur, vertical and horizontal edges, each as wide
  as the kernel: a bigger k shows as a bigger blur and thicker edges.
Hand-designed convs have a zero bias, so the map is exactly the kernel's response.
"""
from __future__ import annotations

import cv2
import numpy as np

from playground.errors import SpecError
from playground.limits import LIMITS
from playground.spec import LayerSpec

_FIXED3 = {
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "laplacian": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
    "emboss": [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]],
    "outline": [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
}
# Which kernel sizes each preset is defined for: "any", "odd" (1, 3, 5, ...), "odd3" (3, 5, 7, ...), "three".
SIZE_RULES = {"identity": "odd", "box": "any", "gaussian": "any", "sobel_x": "odd3", "sobel_y": "odd3",
              **{name: "three" for name in _FIXED3}}


def size_ok(rule: str, k: int) -> bool:
    """True when kernel size k satisfies a preset's size rule."""
    return {"any": True, "odd": k % 2 == 1, "odd3": k % 2 == 1 and k >= 3, "three": k == 3}[rule]


# Presets whose visible effect grows with the kernel size: a bigger blur, a thicker edge.
GROWING = ("box", "gaussian", "sobel_x", "sobel_y")


# The kernels of the "sized" weights, one per output channel in turn; all are defined for every k.
SIZED = ("box", "gaussian", "edges_x", "edges_y")


def sized_kernels(k: int) -> np.ndarray:
    """(4, k, k) float32: box and Gaussian blurs, and vertical / horizontal edge detectors k pixels wide.

    An edge kernel is a ramp from −1 to 1 across the columns (zero mean, so flat areas give 0) times the Gaussian
    across the rows, scaled so its positive weights add up to 1; at k = 3 it is Sobel x / 4, at k = 1 it is 0."""
    g = cv2.getGaussianKernel(k, 0).astype(np.float64).ravel()
    ramp = np.linspace(-1.0, 1.0, k) if k > 1 else np.zeros(1)
    edge = np.outer(g, ramp)
    positive = edge[edge > 0].sum()
    edge = edge / positive if positive > 0 else edge
    return np.stack([np.full((k, k), 1.0 / k ** 2), np.outer(g, g), edge, edge.T]).astype(np.float32)


def sizes(name: str) -> tuple[int, ...]:
    """Every kernel size in the limits table a preset is defined for (blurs: all of 1..11; Sobel: 3, 5, .., 11)."""
    lim = LIMITS["layer.kernel"]
    return tuple(k for k in range(int(lim.min), int(lim.max) + 1) if size_ok(SIZE_RULES[name], k))


def check_kernel(layer: LayerSpec, index: int) -> None:
    """SpecError (naming the 1-based layer) if a hand-designed or custom kernel does not fit the kernel size."""
    k = layer.kernel
    if layer.init == "custom" and len(layer.custom) != k * k:
        raise SpecError("layers.custom_count", layer=index, kind="Conv2d", count=len(layer.custom), k=k, need=k * k)
    if layer.init in SIZE_RULES and not size_ok(SIZE_RULES[layer.init], k):
        rule = SIZE_RULES[layer.init]
        raise SpecError(f"layers.preset_{rule}", layer=index, kind="Conv2d", preset=layer.init, k=k)


def preset(name: str, k: int) -> np.ndarray:
    """The (k, k) float32 kernel of a preset; the size must satisfy SIZE_RULES[name]."""
    if name == "identity":
        out = np.zeros((k, k), np.float32)
        out[k // 2, k // 2] = 1.0
        return out
    if name == "box":
        return np.full((k, k), 1.0 / k ** 2, np.float32)
    if name == "gaussian":
        g = cv2.getGaussianKernel(k, 0).astype(np.float64).ravel()  # sigma from k, as cv2.GaussianBlur
        return np.outer(g, g).astype(np.float32)
    if name in ("sobel_x", "sobel_y"):
        deriv, smooth = (v.ravel() for v in cv2.getDerivKernels(1, 0, k))
        sx = np.outer(smooth, deriv).astype(np.float32)  # bright on the right -> positive
        return sx if name == "sobel_x" else sx.T.copy()
    return np.array(_FIXED3[name], np.float32)


def kernel_of(layer: LayerSpec) -> np.ndarray | None:
    """The layer's (k, k) hand-designed kernel, or None when its weights are random or differ by channel (sized)."""
    if layer.init in ("random", "sized"):
        return None
    if layer.init == "custom":
        return np.array(layer.custom, np.float32).reshape(layer.kernel, layer.kernel)
    return preset(layer.init, layer.kernel)


def conv_weight(layer: LayerSpec, in_channels: int) -> np.ndarray | None:
    """The (out, in, k, k) float32 weight of a hand-designed conv, or None when random."""
    if layer.init == "sized":
        kernels = sized_kernels(layer.kernel) / in_channels  # the mean of the input channels
        return np.repeat(kernels[np.arange(layer.out_channels) % len(SIZED)][:, None], in_channels, axis=1)
    kernel = kernel_of(layer)
    if kernel is None:
        return None
    out = np.zeros((layer.out_channels, in_channels) + kernel.shape, np.float32)
    for o in range(layer.out_channels):
        if layer.combine == "sum":
            out[o, :] = kernel
        else:
            out[o, o % in_channels] = kernel
    return out
