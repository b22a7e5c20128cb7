"""The layer stack editor: per-layer widgets bound to spec.net.layers[i], add / remove / move / duplicate."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import streamlit as st

from playground.layers.kinds import kind, shows
from playground.layers.stacks import READY_STACKS, new_layer, resize_custom
from playground.limits import CHOICES, LAYER_KINDS, LIMITS, MAX_LAYERS
from playground.ui.state import get_spec, room, set_spec, tr, widget_key

EDITING = "layers.editing"  # index of the layer whose widget changed last (for the formula)


def layer_key(i: int, field: str) -> str:
    """The widget key of one field of layer i (0-based): every per-layer key is made here."""
    return widget_key(f"net.layers.{i}.{field}")


def _locked() -> bool:
    """Teacher-lock hook (issue 6): a share link with lock=net.layers draws every editor control disabled."""
    return room().is_locked("net.layers")


def _hidden() -> bool:
    """Teacher-lock hook (issue 6): a share link with hide=net.layers shows each layer's kind, no editor."""
    return room().is_hidden("net.layers")


def view_key(name: str) -> str:
    """The key of a view-only widget of the Layer lab (colour map, zoom, ...): not part of the spec."""
    return f"layers.view.{name}"


def kind_label(kind_id: str) -> str:
    """'Conv2d · convolution': the PyTorch name and what it does, in the page's language."""
    return f"{kind(kind_id).torch_name} · {tr(f'layers.kinds.{kind_id}')}"


def set_layers(layers, reset: bool = False) -> None:
    """Write a new tuple of layers into the spec; reset=True re-seeds every widget (rows moved)."""
    set_spec(get_spec().set("net.layers", tuple(layers)), reset_widgets=reset)


def _bind(i: int, field: str, draw):
    """Seed the widget from layer i's field, draw it, write a changed value back into the spec."""
    key = layer_key(i, field)
    if key not in st.session_state:
        st.session_state[key] = getattr(get_spec().net.layers[i], field)
    value = draw(key)
    layer = get_spec().net.layers[i]
    if getattr(layer, field) != value:
        changes = {field: value}
        if field == "kernel" and layer.init == "custom":  # keep the custom grid k×k
            changes["custom"] = resize_custom(layer.custom, layer.kernel, value)
        if field == "init" and value == "custom" and len(layer.custom) != layer.kernel ** 2:
            changes["custom"] = resize_custom((), layer.kernel, layer.kernel)
        layers = list(get_spec().net.layers)
        layers[i] = replace(layer, **changes)
        set_layers(layers)
        st.session_state[EDITING] = i
    return value


def _slider(i: int, field: str, label: str):
    lim = LIMITS[f"layer.{field}"]
    kind = type(lim.default)
    return _bind(i, field, lambda key: st.slider(label, kind(lim.min), kind(lim.max), step=kind(lim.step), key=key,
                                                  disabled=_locked()))


def _select(i: int, field: str, prefix: str, label: str):
    options = CHOICES[f"layer.{field}"]
    return _bind(i, field, lambda key: st.selectbox(label, options, key=key, format_func=lambda v: tr(f"{prefix}.{v}"),
                                                  disabled=_locked()))


def _toggle(i: int, field: str, label: str):
    return _bind(i, field, lambda key: st.toggle(label, key=key, disabled=_locked()))


def _custom_grid(i: int, layer) -> None:
    """A small editable k×k grid of numbers for a custom kernel."""
    k = layer.kernel
    values = layer.custom if len(layer.custom) == k * k else resize_custom((), k, k)
    grid = np.array(values, np.float64).reshape(k, k)  # (k, k)
    edited = st.data_editor(grid, key=layer_key(i, f"custom{k}"), width="stretch", disabled=_locked())
    new = tuple(float(v) if np.isfinite(v) else 0.0 for v in np.asarray(edited, np.float64).ravel())
    if new != layer.custom:
        layers = list(get_spec().net.layers)
        layers[i] = replace(layer, custom=new)
        set_layers(layers)
        st.session_state[EDITING] = i


SELECT_PREFIX = {"init": "layers.inits", "combine": "layers.combines"}  # choice fields and their option texts


def _field(i: int, name: str) -> None:
    """One LayerSpec field of layer i, drawn as the limits table says: toggle, select or slider."""
    layer = get_spec().net.layers[i]
    if not shows(layer, name):
        return
    label = tr(f"layers.editor.{name}")
    if name in SELECT_PREFIX:
        _select(i, name, SELECT_PREFIX[name], label)
    elif isinstance(getattr(layer, name), bool):
        _toggle(i, name, label)
    else:
        _slider(i, name, label)


def _layer_fields(i: int, layer) -> None:
    """The widgets the registry lists for the layer's kind: plain fields, then the folded ones."""
    entry = kind(layer.kind)
    for name in entry.fields:
        _field(i, name)
    if entry.more:
        with st.expander(tr("layers.editor.more")):
            for name in entry.more:
                _field(i, name)
            if get_spec().net.layers[i].init == "custom":
                _custom_grid(i, get_spec().net.layers[i])
    if not entry.fields:
        st.caption(tr(f"layers.about.{layer.kind}"))


def _move(i: int, action: str) -> None:
    """Button callback: move up / down, duplicate or remove layer i."""
    layers = list(get_spec().net.layers)
    if action == "up" and i > 0:
        layers[i - 1], layers[i] = layers[i], layers[i - 1]
    elif action == "down" and i < len(layers) - 1:
        layers[i + 1], layers[i] = layers[i], layers[i + 1]
    elif action == "copy" and len(layers) < MAX_LAYERS:
        layers.insert(i, layers[i])
    elif action == "remove":
        layers.pop(i)
    set_layers(layers, reset=True)
    st.session_state[EDITING] = max(0, min(i, len(layers) - 1))


ACTIONS = (("up", ":material/arrow_upward:"), ("down", ":material/arrow_downward:"),
           ("copy", ":material/content_copy:"), ("remove", ":material/delete:"))


def layer_header(i: int, n: int) -> None:
    """Layer number and kind selector, then the move / duplicate / remove buttons."""
    _bind(i, "kind", lambda key: st.selectbox(tr("layers.editor.layer", i=i + 1), LAYER_KINDS, key=key, disabled=_locked(),
                                              format_func=kind_label))
    off = {"up": i == 0, "down": i == n - 1, "copy": n >= MAX_LAYERS, "remove": False}
    for col, (action, icon) in zip(st.columns(4), ACTIONS, strict=False):
        col.button(icon, key=f"layers.btn.{action}.{i}", help=tr(f"layers.editor.{action}"), disabled=off[action] or _locked(),
                   on_click=_move, args=(i, action), width="stretch")


def edit_layer(i: int) -> None:
    """One layer's editor box."""
    layers = get_spec().net.layers
    if _hidden():
        st.markdown(f"**{tr('layers.editor.layer', i=i + 1)}** {kind_label(layers[i].kind)}")
        return
    with st.container(border=True):
        layer_header(i, len(layers))
        _layer_fields(i, get_spec().net.layers[i])


def _load(name: str) -> None:
    set_layers(READY_STACKS[name], reset=True)
    st.session_state[EDITING] = 0


def _add(kind_id: str) -> None:
    layers = get_spec().net.layers
    if len(layers) < MAX_LAYERS:
        set_layers(layers + (new_layer(kind_id),), reset=True)
        st.session_state[EDITING] = len(layers)


def stack_toolbar() -> None:
    """Ready stacks to load, and a new layer to append."""
    if _hidden():
        return
    left, right = st.columns(2, vertical_alignment="bottom")
    with left:
        name = st.selectbox(tr("layers.editor.ready"), tuple(READY_STACKS), key=view_key("ready"),
                            format_func=lambda v: tr(f"layers.stacks.{v}"))
        st.button(tr("layers.editor.load"), key="layers.btn.load", on_click=_load, args=(name,), disabled=_locked())
    with right:
        new_kind = st.selectbox(tr("layers.editor.new_kind"), LAYER_KINDS, key=view_key("new_kind"),
                            format_func=kind_label)
        full = len(get_spec().net.layers) >= MAX_LAYERS
        st.button(tr("layers.editor.add"), key="layers.btn.add", on_click=_add, args=(new_kind,), disabled=full or _locked(),
                  help=tr("layers.editor.full", max=MAX_LAYERS) if full else None)
