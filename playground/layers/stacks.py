"""Ready-made layer stacks to start from, and the layer a new row of each kind starts as."""
from __future__ import annotations

from dataclasses import fields, replace

from playground.errors import SpecError
from playground.layers.kinds import kind
from playground.spec import LayerSpec as L

LAYER_FIELDS = frozenset(f.name for f in fields(L))

# The stack of the trained digit network that ships with the playground (playground/training/digit_net.py):
# loaded as it is, the Layer lab shows its learned weights on a held-out MNIST digit.
DIGIT_NET = (L("conv", 8, 5, same=True), L("relu"), L("maxpool", kernel=2, stride=2),
             L("conv", 16, 5, same=True), L("relu"), L("maxpool", kernel=2, stride=2))

READY_STACKS: dict[str, tuple[L, ...]] = {
    # Random convs, then pooling, twice: the shape of a classic small CNN. The default stack of every lab: the
    # Layer lab starts with it and the Training lab trains it; padding 1 keeps the 8×8 and 28×28 digits
    # large enough for both poolings (≥ 97 % on the digits, small enough for 2 cores) and, unlike "same", allows a
    # stride of 2 on the stage.
    "classic": (L("conv", 16, 3, padding=1), L("relu"), L("maxpool", kernel=2, stride=2),
                L("conv", 32, 3, padding=1), L("relu"), L("maxpool", kernel=2, stride=2)),
    # Smooth the noise away, then a hand-designed edge kernel; ReLU keeps the bright side of each edge.
    "edges": (L("conv", 1, 5, same=True, init="gaussian", combine="sum"),
              L("conv", 1, 3, same=True, init="outline"), L("relu")),
    # Sobel x on the summed colour channels; BatchNorm brings the raw 0..255 responses to a spread of 1, so
    # tanh bends the strongest edges instead of saturating everything.
    "sobel": (L("conv", 1, 3, init="sobel_x", combine="sum"), L("batchnorm"), L("tanh")),
    # A Gaussian blur per colour channel: drag the kernel size and watch the picture soften.
    "blur": (L("conv", 3, 7, init="gaussian"),),
    # Two ways of halving the size: a conv with stride 2 ...
    "strided": (L("conv", 8, 3, stride=2), L("relu")),
    # ... or a conv followed by 2×2 max pooling.
    "pooled": (L("conv", 8, 3), L("relu"), L("maxpool", kernel=2, stride=2)),
    # The same, with average pooling.
    "avgpooled": (L("conv", 8, 3), L("relu"), L("avgpool", kernel=2, stride=2)),
    # A small CNN trained on MNIST digits: its learned filters and the maps of a real digit.
    "digit_net": DIGIT_NET,
}
DEFAULT_STACK = "classic"  # the one default stack, wherever a student starts


def new_layer(kind_id: str) -> L:
    """The layer the editor adds for a kind, as the registry says (pools halve the size, convs keep it)."""
    return L(kind_id, **kind(kind_id).new)


def resize_custom(values: tuple[float, ...], old_k: int, new_k: int) -> tuple[float, ...]:
    """A custom kernel moved to a new size: centred, cropped or zero-padded (identity when there was none)."""
    grid = [[0.0] * new_k for _ in range(new_k)]
    if len(values) != old_k * old_k or not values:
        grid[new_k // 2][new_k // 2] = 1.0
        return tuple(v for row in grid for v in row)
    shift = new_k // 2 - old_k // 2
    for r in range(old_k):
        for c in range(old_k):
            if 0 <= r + shift < new_k and 0 <= c + shift < new_k:
                grid[r + shift][c + shift] = values[r * old_k + c]
    return tuple(v for row in grid for v in row)


def with_field(layers: tuple[L, ...], i: int, name: str, value) -> tuple[L, ...]:
    """The stack with field `name` of layer i (0-based) set; a custom kernel follows a kernel-size change.

    The caller validates the result (PipelineSpec.set("net.layers", ...)): a forged value raises SpecError there.
    """
    if not 0 <= i < len(layers) or name not in LAYER_FIELDS:
        raise SpecError("spec.unknown_field", path=f"net.layers[{str(i)[:6]}].{str(name)[:20]}")
    layer = layers[i]
    changes = {name: value}
    if name == "kernel" and layer.init == "custom" and isinstance(value, int) and 1 <= value <= 11:
        changes["custom"] = resize_custom(layer.custom, layer.kernel, value)  # keep the custom grid k×k
    if name == "init" and value == "custom" and len(layer.custom) != layer.kernel ** 2:
        changes["custom"] = resize_custom((), layer.kernel, layer.kernel)
    out = list(layers)
    out[i] = replace(layer, **changes)
    return tuple(out)
