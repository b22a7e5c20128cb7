"""The frozen, serializable pipeline spec: JSON and URL-query round trips, validated by the limits table."""
from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any

from playground.errors import Message, SpecError
from playground.limits import CHOICES, LIMITS, MAX_LAYERS
from playground.untrusted import MAX_TEXT_CHARS, load_json, short

SPEC_VERSION = 1


def _d(path: str):
    """Default of a numeric field, taken from the limits table."""
    return LIMITS[path].default


@dataclass(frozen=True)
class ImageSpec:
    """Where the image comes from and the working size it is brought to."""

    source: str = "sample"
    sample: str = "china"
    long_side: int = _d("image.long_side")
    grayscale: bool = False


@dataclass(frozen=True)
class AugmentSpec:
    """Fixed flip / rotation, or seeded random augmentation (probabilities and an angle range)."""

    mode: str = "fixed"
    flip: str = "none"
    angle: int = _d("augment.angle")
    border: str = "constant"
    expand: bool = False
    p_hflip: float = _d("augment.p_hflip")
    p_vflip: float = _d("augment.p_vflip")
    max_angle: int = _d("augment.max_angle")
    seed: int = _d("augment.seed")
    count: int = _d("augment.count")


@dataclass(frozen=True)
class NormSpec:
    """How pixel values are scaled before any layer sees them."""

    method: str = "none"


@dataclass(frozen=True)
class LayerSpec:
    """One layer of the stack; fields a kind does not use are ignored by it (and kept at their defaults)."""

    kind: str = "conv"
    out_channels: int = _d("layer.out_channels")  # conv only
    kernel: int = _d("layer.kernel")  # conv and pooling
    stride: int = _d("layer.stride")
    padding: int = _d("layer.padding")
    same: bool = False  # conv: "same" padding (needs stride 1)
    dilation: int = _d("layer.dilation")  # conv only
    bias: bool = True  # conv only
    init: str = "random"  # conv weights: seeded PyTorch default, a hand-designed preset, or custom
    combine: str = "per_channel"  # preset/custom kernel: per input channel, or summed across channels
    custom: tuple[float, ...] = ()  # custom kernel, kernel×kernel values row by row
    slope: float = _d("layer.slope")  # LeakyReLU negative slope
    p: float = _d("layer.p")  # Dropout2d probability
    out_size: int = _d("layer.out_size")  # AdaptiveAvgPool2d output side


@dataclass(frozen=True)
class NetSpec:
    """The layer stack and the seed of its random weights."""

    layers: tuple[LayerSpec, ...] = ()
    seed: int = _d("net.seed")


@dataclass(frozen=True)
class TrainSpec:
    """Training lab: the data set, its input size, optimizer settings and the run's seed."""

    dataset: str = "digits"
    size: int = _d("train.size")  # input side in pixels (digits are 8×8 upscaled; shapes 32×32 resized)
    colour: bool = False  # shapes and "yours" only: 3 colour channels instead of 1 grey
    augment: bool = False  # random flips / rotations (the augment section's ranges) on each batch
    optimizer: str = "adam"
    lr: float = _d("train.lr")
    batch: int = _d("train.batch")
    epochs: int = _d("train.epochs")
    weight_decay: float = _d("train.weight_decay")
    seed: int = _d("train.seed")
    val_fraction: float = _d("train.val_fraction")


@dataclass(frozen=True)
class PipelineSpec:
    """The whole pipeline: image, augmentation, normalization, layer stack, training settings."""

    image: ImageSpec = field(default_factory=ImageSpec)
    augment: AugmentSpec = field(default_factory=AugmentSpec)
    norm: NormSpec = field(default_factory=NormSpec)
    net: NetSpec = field(default_factory=NetSpec)
    train: TrainSpec = field(default_factory=TrainSpec)

    def to_dict(self) -> dict:
        """Plain nested dict, with the format version."""
        return {"version": SPEC_VERSION, **_to_dict(self)}

    def to_json(self) -> str:
        """Pretty JSON text of the spec."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_query(self) -> dict[str, str]:
        """Flat {"augment.angle": "30"} of the fields that differ from the defaults."""
        base = _flatten(_to_dict(PipelineSpec()))
        return {k: _fmt(v) for k, v in _flatten(_to_dict(self)).items() if base.get(k) != v}

    def get(self, path: str) -> Any:
        """Value at a dotted path such as 'augment.angle'."""
        section, name = path.split(".")
        return getattr(getattr(self, section), name)

    def set(self, path: str, value: Any) -> PipelineSpec:
        """A copy with one dotted field changed and validated."""
        if not isinstance(path, str) or path.count(".") != 1 or not _is_field(path):
            raise SpecError("spec.unknown_field", path=short(path))
        section, name = path.split(".")
        part = replace(getattr(self, section), **{name: _coerce(path, value)})
        return replace(self, **{section: part})

    @classmethod
    def from_dict(cls, data: Any) -> PipelineSpec:
        """Build and validate a spec from a nested dict; unknown or bad fields raise SpecError."""
        if not isinstance(data, dict):
            raise SpecError("spec.not_object", path="(root)")
        data = dict(data)
        version = data.pop("version", SPEC_VERSION)
        if type(version) is not int or version != SPEC_VERSION:  # True == 1, but True is no version
            raise SpecError("spec.bad_version", version=short(version), expected=SPEC_VERSION)
        return _from_dict(cls, data, "")

    @classmethod
    def from_json(cls, text: str | bytes) -> PipelineSpec:
        """Parse JSON text (length and nesting capped before parsing) into a validated spec."""
        return cls.from_dict(load_json(text))

    @classmethod
    def from_query(cls, query: dict[str, str]) -> PipelineSpec:
        """Parse a flat query dict; keys that are not spec fields are ignored (other apps' params)."""
        if not isinstance(query, Mapping):
            raise SpecError("spec.not_object", path="(query)")
        spec = cls()
        for path, raw in query.items():
            if isinstance(path, str) and path.count(".") == 1 and _is_field(path):
                spec = spec.set(path, _parse_text(path, raw))
        return spec


def _plain(value):
    """Dataclasses to dicts, tuples to lists: the JSON shape of a value."""
    if is_dataclass(value):
        return _to_dict(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _to_dict(obj) -> dict:
    return {f.name: _plain(getattr(obj, f.name)) for f in fields(obj)}


def _flatten(tree: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in tree.items():
        out.update(_flatten(v, f"{prefix}{k}.") if isinstance(v, dict) else {f"{prefix}{k}": v})
    return out


def _fmt(value) -> str:
    if isinstance(value, list):  # the layer stack: compact JSON of each layer's non-default fields
        return json.dumps([_layer_delta(v) for v in value], separators=(",", ":"))
    return ("1" if value else "0") if isinstance(value, bool) else str(value)


def _layer_delta(layer: dict) -> dict:
    base = _to_dict(LayerSpec())
    return {k: v for k, v in layer.items() if k == "kind" or base[k] != v}


def _is_field(path: str) -> bool:
    section, name = path.split(".")
    part = {f.name: f for f in fields(PipelineSpec)}.get(section)
    return part is not None and name in {f.name for f in fields(part.default_factory)}


def _field_type(path: str) -> type:
    section, name = path.split(".")
    part = LayerSpec if section == "layer" else {f.name: f for f in fields(PipelineSpec)}[section].default_factory
    return type(getattr(part(), name))


def _layer_path(index: int, field_name: str) -> Message:
    """Where in the stack a bad value sits, counting layers from 1 as every page does."""
    return Message("spec.layer_path", {"layer": index + 1, "field": field_name})


def _coerce_layers(value) -> tuple:
    """A list of layer dicts (or LayerSpecs) -> a validated tuple of LayerSpec."""
    if not isinstance(value, (list, tuple)):
        raise SpecError("spec.bad_type", path="net.layers", value=short(value))
    if len(value) > MAX_LAYERS:
        raise SpecError("spec.too_many_layers", count=len(value), max=MAX_LAYERS)
    layers = []
    for i, item in enumerate(value):
        if isinstance(item, LayerSpec):
            item = _to_dict(item)
        if not isinstance(item, dict):
            raise SpecError("spec.not_object", path=Message("spec.layer_name", {"layer": i + 1}))
        unknown = set(item) - {f.name for f in fields(LayerSpec)}
        if unknown:  # keys of any type: sort their short forms
            raise SpecError("spec.unknown_field", path=_layer_path(i, min(short(k) for k in unknown)))
        try:
            layers.append(LayerSpec(**{k: _coerce(f"layer.{k}", v) for k, v in item.items()}))
        except SpecError as exc:  # name the layer as the page does, counting from 1: "layer 3 · kernel"
            path = _layer_path(i, exc.params["path"].removeprefix("layer."))
            raise SpecError(exc.key, **{**exc.params, "path": path}) from None
    return tuple(layers)


def _coerce_custom(value) -> tuple:
    """A custom kernel: a list of at most 11×11 finite numbers."""
    if not isinstance(value, (list, tuple)) or len(value) > 121:
        raise SpecError("spec.bad_type", path="layer.custom", value=short(value))
    for v in value:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v != v or abs(v) > 1e6:
            raise SpecError("spec.bad_type", path="layer.custom", value=short(v))
    return tuple(float(v) for v in value)


def _parse_text(path: str, raw: str):
    """Turn a query string value into the field's type (numbers may come back out of range), or raise SpecError."""
    kind = _field_type(path)
    if not isinstance(raw, str):
        raise SpecError("spec.bad_value", path=path, value=short(raw))
    if len(raw) > MAX_TEXT_CHARS:
        raise SpecError("spec.too_long", chars=len(raw), max=MAX_TEXT_CHARS)
    if kind is tuple:
        return load_json(raw)
    if kind is str:
        return raw  # checked against its choices by _coerce
    if kind is bool and raw in ("0", "1", "true", "false"):
        return raw in ("1", "true")
    try:  # other numbers go through float: "1.e400" and a 5,000-digit int become inf, then out of range
        if kind is int and len(raw) <= 20 and raw.strip().lstrip("+-").isdigit():
            return int(raw)
        if kind in (int, float):
            return float(raw)
    except ValueError:
        pass
    raise SpecError("spec.bad_value", path=path, value=short(raw))


def _coerce(path: str, value):
    """Check one field's type and range against the limits table."""
    if path == "net.layers":
        return _coerce_layers(value)
    if path.startswith("layer.") and path.endswith(".custom"):
        return _coerce_custom(value)
    kind = _field_type(path)
    if kind is bool:
        if not isinstance(value, bool):
            raise SpecError("spec.bad_type", path=path, value=short(value))
        return value
    if kind in (int, float):
        return _coerce_number(path, kind, value)
    if not isinstance(value, str) or value not in CHOICES[path]:
        raise SpecError("spec.bad_choice", path=path, value=short(value), choices=", ".join(CHOICES[path]))
    return value


def _coerce_number(path: str, kind: type, value):
    """A number in the limits (NaN, ±inf, 10**400 and floats with a fraction in int fields are refused)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (isinstance(value, float) and math.isnan(value)):
        raise SpecError("spec.bad_type", path=path, value=short(value))
    lim = LIMITS[path]
    if not lim.min <= value <= lim.max:  # int and float compare exactly in Python, huge ints included
        raise SpecError("spec.out_of_range", path=path, value=short(value), min=lim.min, max=lim.max)
    if kind is int and isinstance(value, float) and not value.is_integer():
        raise SpecError("spec.bad_type", path=path, value=short(value))
    return kind(value)


def _from_dict(cls, data: dict, prefix: str):
    known = {f.name: f for f in fields(cls)}
    for name in data:
        if name not in known:
            raise SpecError("spec.unknown_field", path=f"{prefix}{short(name)}")
    values = {}
    for name, value in data.items():
        child = known[name].default_factory  # MISSING for leaf fields
        if is_dataclass(child):
            if not isinstance(value, dict):
                raise SpecError("spec.not_object", path=f"{prefix}{name}")
            values[name] = _from_dict(child, value, f"{prefix}{name}.")
        else:
            values[name] = _coerce(f"{prefix}{name}", value)
    return cls(**values)
