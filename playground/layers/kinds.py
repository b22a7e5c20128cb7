"""The layer-kind registry: one entry per kind a stack can hold; everything else reads it.

An entry says which PyTorch class builds the layer and with which keyword arguments (the same
arguments are what "Show PyTorch code" prints), which family it belongs to (the family owns the
shape rule, the receptive field, the parameter and operation counts, the cost rates, the code line and the
text form: playground/layers/families.py), which LayerSpec fields its editor shows, and what a newly
added row of it starts as. Texts live in the catalogue under layers.kinds.<id> (its name),
layers.about.<id> (one line on what it does), layers.editor.<field> and layers.summary.<field> (each field's
label and its short form on a closed layer's summary line).

Adding a kind: one entry here, plus those catalogue lines in every language; a new family is one class in
families.py. A kind that needs a number no other kind has also adds a LayerSpec field and its row in
playground/limits.py. docs/architecture.md ("How to add… a layer kind") has the whole recipe.

This module imports neither torch nor the spec, so the spec can take its list of kinds from here.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from playground.layers.families import ADAPTIVE, CONV, DROPOUT, NORM, POINTWISE, POOL, TRANSPOSED, Family


@dataclass(frozen=True)
class Kind:
    """One layer kind: its PyTorch class and arguments, its family, its editor fields, its new-row defaults."""

    id: str
    torch_name: str  # the nn class, the same in every language
    family: Family
    args: Callable[[Any, int], dict] = lambda layer, c: {}  # (layer, in_channels) -> the nn class's kwargs
    fields: tuple[str, ...] = ()  # LayerSpec fields drawn in plain view
    more: tuple[str, ...] = ()  # drawn folded away ("More settings")
    new: dict = field(default_factory=dict)  # LayerSpec fields of a newly added row
    note: str = ""  # catalogue key of a note drawn with the layer's pictures (e.g. off at inference)

    @property
    def pooling(self) -> bool:
        """True for the kinds that pool (fixed window or adaptive)."""
        return self.family.pooling

    @property
    def elementwise(self) -> bool:
        """True for the kinds that keep every value in its place (activations, BatchNorm, dropout)."""
        return self.family.elementwise


def _conv_args(layer, c: int) -> dict:
    pad = "same" if layer.same else layer.padding
    return {"in_channels": c, "out_channels": layer.out_channels, "kernel_size": layer.kernel, "stride": layer.stride,
            "padding": pad, "dilation": layer.dilation, "bias": layer.bias}


def _transposed_args(layer, c: int) -> dict:
    return {"in_channels": c, "out_channels": layer.out_channels, "kernel_size": layer.kernel, "stride": layer.stride,
            "padding": layer.padding, "bias": layer.bias}


def _pool_args(layer, c: int) -> dict:
    return {"kernel_size": layer.kernel, "stride": layer.stride, "padding": layer.padding}


_POOL_FIELDS = ("kernel", "stride", "padding")
_POOL_NEW = {"kernel": 2, "stride": 2}

KINDS: dict[str, Kind] = {k.id: k for k in (
    Kind("conv", "Conv2d", CONV, _conv_args, ("out_channels", "kernel", "stride"),
         ("same", "padding", "dilation", "bias", "init", "combine"),
         {"out_channels": 8, "kernel": 3, "same": True}),
    Kind("convtranspose", "ConvTranspose2d", TRANSPOSED, _transposed_args, ("out_channels", "kernel", "stride"),
         ("padding", "bias"), {"out_channels": 8, "kernel": 2, "stride": 2}),
    Kind("maxpool", "MaxPool2d", POOL, _pool_args, _POOL_FIELDS, new=_POOL_NEW),
    Kind("avgpool", "AvgPool2d", POOL, _pool_args, _POOL_FIELDS, new=_POOL_NEW),
    Kind("adaptiveavgpool", "AdaptiveAvgPool2d", ADAPTIVE, lambda layer, c: {"output_size": layer.out_size},
         ("out_size",)),
    Kind("relu", "ReLU", POINTWISE),
    Kind("leakyrelu", "LeakyReLU", POINTWISE, lambda layer, c: {"negative_slope": layer.slope}, ("slope",)),
    Kind("sigmoid", "Sigmoid", POINTWISE),
    Kind("tanh", "Tanh", POINTWISE),
    Kind("gelu", "GELU", POINTWISE),
    Kind("elu", "ELU", POINTWISE),
    Kind("batchnorm", "BatchNorm2d", NORM, lambda layer, c: {"num_features": c, "track_running_stats": False}),
    Kind("dropout", "Dropout2d", DROPOUT, lambda layer, c: {"p": layer.p}, ("p",), note="layers.about.dropout_off"),
)}
KIND_IDS = tuple(KINDS)


def kind(kind_id: str) -> Kind:
    """The registry entry of a kind id (a spec only holds ids from KIND_IDS)."""
    return KINDS[kind_id]


_BY_CLASS = {k.torch_name: k for k in KINDS.values()}


def of_module(module) -> Kind | None:
    """The registry entry of a built nn module (by its class), or None for a module no kind builds (a head)."""
    return _BY_CLASS.get(type(module).__name__)


def out_channels(layer, in_channels: int) -> int:
    """Channels a layer hands on: a conv's own count, every other kind keeps its input's."""
    return KINDS[layer.kind].family.out_channels(layer, in_channels)


def param_count(layer, in_channels: int) -> int:
    """Trainable parameters: conv weights (+ bias), BatchNorm scale and shift; the others have none."""
    return KINDS[layer.kind].family.params(layer, in_channels)


def shows(layer, name: str) -> bool:
    """Whether the editor shows field `name` of this layer now (some fields only matter with others)."""
    if name == "padding" and "same" in KINDS[layer.kind].more:
        return not layer.same  # "same" works the padding out itself
    if name == "combine":
        return layer.init not in ("random", "sized")  # only one hand-designed kernel is placed per channel or summed
    return True
