"""The layer stack editor: each field of layer i bound to "net.layers.<i>.<field>"; add / remove / move / duplicate.

Which fields a kind shows comes from the layer-kind registry; widgets come from bind.py, so a teacher's
lock of net.layers (or of the whole net section) disables every control here, buttons included.
"""
from __future__ import annotations

import hashlib

import numpy as np
import streamlit as st

from playground.layers.kinds import kind, shows
from playground.layers.stacks import READY_STACKS, new_layer, resize_custom
from playground.limits import CHOICES, LAYER_KINDS, MAX_LAYERS
from playground.ui import bind, messages
from playground.ui.state import button_key, get_spec, read, set_spec, tr, widget_key, write

SELECT_PREFIX = {"init": "layers.inits", "combine": "layers.combines"}  # choice fields and their option texts
STEPPED = ("out_channels", "kernel", "stride", "padding")  # sliders that also get − / + buttons (exact values)
OPEN = "view.layers.open"  # which layers' editors are open (0-based)
ACTIONS = (("up", ":material/arrow_upward:"), ("down", ":material/arrow_downward:"),
           ("copy", ":material/content_copy:"), ("remove", ":material/delete:"))


def _locked() -> bool:
    return bind.locked("net.layers")


def _hidden() -> bool:
    return bind.hidden("net.layers")


def kind_label(kind_id: str) -> str:
    """'Conv2d · convolution': the PyTorch name and what it does, in the page's language."""
    return f"{kind(kind_id).torch_name} · {tr(f'layers.kinds.{kind_id}')}"


def set_layers(layers, seed: bool = False) -> None:
    """Write a new tuple of layers into the spec (bound widgets follow on their next draw; seed: see set_spec)."""
    set_spec(get_spec().set("net.layers", tuple(layers)), seed=seed)


def field_control(i: int, name: str) -> None:
    """One LayerSpec field of layer i, drawn as its type says: select, toggle or slider."""
    layer = get_spec().net.layers[i]
    if not shows(layer, name):
        return
    path, label = f"net.layers.{i}.{name}", tr(f"layers.editor.{name}")
    if name in SELECT_PREFIX:
        bind.choice(path, "", SELECT_PREFIX[name], options=CHOICES[f"layer.{name}"], label=label)
    elif isinstance(getattr(layer, name), bool):
        bind.toggle(path, "", label=label)
    else:
        bind.slider(path, "", label=label)
        if name in STEPPED:
            bind.stepper(path, label)


def _custom_grid(i: int) -> None:
    """A small editable k×k grid for a custom kernel.

    st.data_editor keeps edits relative to the data it was given, so its key names the values it shows: after
    an edit is written (or the layer moved), a fresh editor shows the stored grid.
    """
    layer = get_spec().net.layers[i]
    k = layer.kernel
    values = layer.custom if len(layer.custom) == k * k else resize_custom((), k, k)
    digest = hashlib.blake2b(repr(values).encode(), digest_size=6).hexdigest()
    grid = np.array(values, np.float64).reshape(k, k)  # (k, k)
    edited = st.data_editor(grid, key=widget_key(f"net.layers.{i}.custom.{digest}"), width="stretch",
                            disabled=_locked())
    new = tuple(float(v) if np.isfinite(v) else 0.0 for v in np.asarray(edited, np.float64).ravel())
    if new != layer.custom and not _locked():
        write(f"net.layers.{i}.custom", new)


def _layer_fields(i: int) -> None:
    """The widgets the registry lists for the layer's kind: plain fields, then the folded ones."""
    entry = kind(get_spec().net.layers[i].kind)
    for name in entry.fields:
        field_control(i, name)
    if entry.more:
        with st.expander(tr("layers.editor.more")):
            for name in entry.more:
                field_control(i, name)
            if get_spec().net.layers[i].init == "custom":
                _custom_grid(i)
    if not entry.fields:
        st.caption(tr(f"layers.about.{entry.id}"))


def _move(i: int, action: str) -> None:
    """Button callback: move up / down, duplicate or remove layer i (an open editor follows its layer)."""
    layers = list(get_spec().net.layers)
    if _locked() or not 0 <= i < len(layers):
        return
    target = {"up": i - 1, "down": i + 1, "copy": i, "remove": None}[action]
    if action == "up" and i > 0:
        layers[i - 1], layers[i] = layers[i], layers[i - 1]
    elif action == "down" and i < len(layers) - 1:
        layers[i + 1], layers[i] = layers[i], layers[i + 1]
    elif action == "copy" and len(layers) < MAX_LAYERS:
        layers.insert(i, layers[i])
    elif action == "remove":
        layers.pop(i)
    set_layers(layers)
    if target is not None and 0 <= target < len(layers):
        write(OPEN, (target,))


def _toggle_open(i: int) -> None:
    """Button callback: open layer i's editor, or close it."""
    shown = set(read(OPEN))
    write(OPEN, tuple(sorted(shown ^ {i})))


def summary_line(i: int) -> str:
    """'Conv2d 16 × 3×3, stride 1': what a closed layer row says about its settings."""
    layer = get_spec().net.layers[i]
    entry = kind(layer.kind)
    parts = [tr(f"layers.summary.{name}", v=getattr(layer, name)) for name in entry.fields]
    return f"{entry.torch_name} · {tr(f'layers.kinds.{layer.kind}')}" + (f" ({', '.join(parts)})" if parts else "")


def kind_labels() -> dict[str, str]:
    """Every kind's label in the session's language, resolved now (AppTest formats options after the run)."""
    return {k: kind_label(k) for k in LAYER_KINDS}


def layer_header(i: int, n: int) -> None:
    """Layer number and kind selector, then the move / duplicate / remove buttons."""
    bind.control(f"net.layers.{i}.kind", st.selectbox, label=tr("layers.editor.kind"), options=LAYER_KINDS,
                 format_func=kind_labels().__getitem__)
    off = {"up": i == 0, "down": i == n - 1, "copy": n >= MAX_LAYERS, "remove": False}
    row = st.container(horizontal=True, gap="small")  # one row of icon buttons at every width, icons never clipped
    for action, icon in ACTIONS:
        row.button(icon, key=button_key(f"layers.{action}.{i}"), help=tr(f"layers.editor.{action}"),
                   disabled=off[action] or _locked(), on_click=_move, args=(i, action))


def edit_layer(i: int) -> None:
    """One layer's box: its editor when open, else one line and an Edit button (no widgets nobody sees)."""
    if _hidden():
        st.markdown(f"**{tr('layers.editor.layer', i=i + 1)}** {messages.plain(summary_line(i))}")
        return
    title = f"**{tr('layers.editor.layer', i=i + 1)}**"
    if i not in read(OPEN):  # one element: the button is the summary line
        st.button(f"{title} · {messages.plain(summary_line(i))}", key=button_key(f"layers.edit.{i}"), icon=":material/edit:",
                  help=tr("layers.editor.edit"), on_click=_toggle_open, args=(i,), width="stretch")
        return
    with st.container(border=True):
        st.button(title, key=button_key(f"layers.edit.{i}"), icon=":material/expand_less:", help=tr("layers.editor.close"),
                  on_click=_toggle_open, args=(i,), width="stretch", type="tertiary")
        layer_header(i, len(get_spec().net.layers))
        _layer_fields(i)


def _load() -> None:
    if not _locked():
        set_layers(READY_STACKS[read("view.layers.ready")])


def _add() -> None:
    layers = get_spec().net.layers
    if len(layers) < MAX_LAYERS and not _locked():
        set_layers(layers + (new_layer(read("view.layers.new_kind")),))
        write(OPEN, (len(layers),))  # the new layer's editor opens


def stack_toolbar() -> None:
    """Ready stacks to load, and a new layer to append."""
    if _hidden():
        return
    left, right = st.columns(2, vertical_alignment="bottom")
    with left:
        names = {v: tr(f"layers.stacks.{v}") for v in READY_STACKS}
        bind.control("view.layers.ready", st.selectbox, label=tr("layers.editor.ready"), options=tuple(READY_STACKS),
                     format_func=names.__getitem__)
        st.button(tr("layers.editor.load"), key=button_key("layers.load"), on_click=_load, disabled=_locked())
    with right:
        bind.control("view.layers.new_kind", st.selectbox, label=tr("layers.editor.new_kind"), options=LAYER_KINDS,
                     format_func=kind_labels().__getitem__)
        full = len(get_spec().net.layers) >= MAX_LAYERS
        st.button(tr("layers.editor.add"), key=button_key("layers.add"), on_click=_add, disabled=full or _locked(),
                  help=tr("layers.editor.full", max=MAX_LAYERS) if full else None)
