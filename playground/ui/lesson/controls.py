"""One open control of a scene, drawn with the widget its lab uses (bound through bind.py, so locks apply)."""
from __future__ import annotations

import streamlit as st

from playground.layers.kernels import SIZE_RULES
from playground.layers.kinds import KIND_IDS
from playground.limits import CHOICES
from playground.steps.problem import OPS
from playground.ui import bind
from playground.ui.layer_lab.editor import field_control, kind_labels
from playground.ui.state import get_spec, tr
from playground.ui.training.settings import lr_slider

SPEC_WIDGETS = {  # spec path -> how its lab draws it
    "augment.flip": lambda: _select("augment.flip", "image.flip", "image.flips"),
    "augment.angle": lambda: bind.slider("augment.angle", "image.angle"),
    "augment.border": lambda: bind.choice("augment.border", "image.border", "image.borders", horizontal=True),
    "augment.mode": lambda: bind.choice("augment.mode", "image.mode", "image.modes", horizontal=True),
    "norm.method": lambda: bind.choice("norm.method", "image.method", "image.methods"),
    "image.sample": lambda: bind.choice("image.sample", "image.sample", "samples", horizontal=True),
    "train.optimizer": lambda: bind.choice("train.optimizer", "train.optimizer", "train.optimizers", horizontal=True),
    "train.lr": lr_slider,
    "train.epochs": lambda: bind.slider("train.epochs", "train.epochs"),
    "train.augment": lambda: bind.toggle("train.augment", "train.augment", "train.augment_help"),
    "train.dataset": lambda: bind.choice("train.dataset", "train.dataset", "train.datasets", horizontal=True),
}
STEP_LABELS = {"size": "steps.size", "seed": "steps.seed", "bias": "steps.bias", "stride": "steps.stride",
               "padding": "steps.padding", "dilation": "steps.dilation", "kernel": "steps.kernel"}


def _select(path: str, label_key: str, prefix: str) -> None:
    """A one-line select box (a radio of long options takes three lines beside a scene's text)."""
    labels = {o: tr(f"{prefix}.{o}") for o in CHOICES[path]}  # resolved now: AppTest formats options after the run
    bind.control(path, st.selectbox, label=tr(label_key), options=tuple(labels), format_func=labels.__getitem__)


def draw(name: str) -> None:
    """The widget of one open-control name (see docs/lessons.md: spec field, one layer's field, view.steps.*)."""
    parts = name.split(".")
    if parts[0] == "view":
        _step_control(parts[2])
    elif len(parts) == 4:
        i, field = int(parts[2]), parts[3]
        if i >= len(get_spec().net.layers):
            return
        if field == "kind":
            bind.control(name, st.selectbox, label=tr("lesson.page.layer_kind", i=i + 1), options=KIND_IDS,
                         format_func=kind_labels().__getitem__)
        else:
            field_control(i, field)
    else:
        SPEC_WIDGETS[name]()


def _step_control(field: str) -> None:
    path = f"view.steps.{field}"
    if field == "op":
        bind.choice(path, "steps.op", "steps.ops", horizontal=True, options=OPS)
    elif field == "multi":
        bind.toggle(path, "steps.multi", "steps.multi_help")
    elif field == "preset":
        bind.choice(path, "steps.preset", "steps.presets", options=tuple(SIZE_RULES))
    elif field in STEP_LABELS:
        bind.slider(path, STEP_LABELS[field])
