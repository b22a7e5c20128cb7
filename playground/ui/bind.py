"""The one way a control is bound to a value of record (a spec, view or room path; see state.py).

Each draw seeds the widget from the stored value, so the widget shows it even after it was hidden, after a
lesson or a settings file replaced the spec, or after layers moved. The widget's on_change callback runs
before the next script run and writes the new value through state.write, which validates it: a forged or
stale value is refused (kept out of the spec) and the control says why. Locks and hidden controls of a
teacher link apply here, for every control alike. Labels come from the catalogue, limits from the table.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from playground.errors import SpecError
from playground.limits import CHOICES, LIMITS
from playground.ui import messages
from playground.ui.state import TWIN_BATCH, TWIN_SEEDS, button_key, read, refusal, refuse, room, tr, widget_key, write


def locked(path: str) -> bool:
    """True when the teacher's link locks this path (or everything it depends on)."""
    return room().is_locked(path) and not path.startswith("view.")


def hidden(path: str) -> bool:
    """True when the teacher's link hides this path."""
    return room().is_hidden(path) and not path.startswith("view.")


def _changed(path: str, key: str | None = None) -> None:
    """on_change: write the widget's value to its path; a lock or an invalid value is refused."""
    key = key or widget_key(path)
    value = st.session_state.get(key)
    if _stale_twin(key, value) or locked(path):
        return
    try:
        write(path, value)
    except SpecError as exc:
        refuse(path, exc.message)


def control(path: str, draw: Callable[..., Any], disabled: bool = False, prefix: str = "", **kwargs) -> Any:
    """Draw widget `draw(**kwargs, key=..., on_change=...)` bound to path; returns the stored value.

    prefix: names a second view of the same path (state.widget_key), e.g. the stage beside the editor."""
    if hidden(path):
        return read(path)
    key, value = widget_key(path, prefix), read(path)
    seeds = st.session_state.get(TWIN_SEEDS, {}).get(key)
    if key not in st.session_state or _plain(st.session_state[key]) != _plain(value) or seeds is not None:
        if path.startswith(TWINNED) and key in st.session_state:
            seeds = st.session_state.setdefault(TWIN_SEEDS, {}).setdefault(key, [])
            seeds += [_plain(st.session_state[key]), _plain(value)]  # the last: what the browser is sent now
        st.session_state[key] = list(value) if isinstance(value, tuple) else value  # multiselects hold lists
    draw(key=key, on_change=_changed, args=(path, key), disabled=disabled or locked(path), **kwargs)
    if (why := refusal(path)) is not None:
        st.error(messages.text(why))
    return read(path)


TWINNED = "net.layers."  # paths the Layer lab shows twice: on the stage and in the editor


def _stale_twin(key: str, value) -> bool:
    """True for an old value of a twin widget that came with another control's change and would undo it.

    A slider release on the stage writes the spec; the run then seeds the editor's twin from it. When the next
    release comes before the browser has that run's seed (two quick key presses), the browser sends the twin's
    old value along as if the student had moved it too, and that would undo both presses. A twin's value is
    ignored when it is one the twin held or was sent before its latest seed and another control changed in the
    same request; a twin moved alone is the student's own move. Every control's change is noted (twins_settled).
    While a twin has seeds, each run sends its value again (control), so a late seed cannot be the last word."""
    batch = st.session_state.get(TWIN_BATCH) or set()
    st.session_state[TWIN_BATCH] = batch | {key}
    return _plain(value) in st.session_state.get(TWIN_SEEDS, {}).get(key, [])[:-1] and bool(batch - {key})


def twins_settled() -> None:
    """Call once the request's callbacks have run, before drawing the twins (app.py, and the top of the fragments
    that draw them); once per run. A twin that sent no change with this request has its latest seed, so its old
    values need no watching."""
    batch = st.session_state.get(TWIN_BATCH, set())
    if batch is None:
        return  # this run has settled them already
    st.session_state[TWIN_BATCH] = None
    seeds = st.session_state.get(TWIN_SEEDS, {})
    for key in [k for k in seeds if k not in batch]:
        del seeds[key]


def _plain(value):
    """Lists and tuples compare alike (a multiselect returns a list, the store keeps a tuple)."""
    return tuple(value) if isinstance(value, list) else value


def _help(help_key: str | None) -> str | None:
    return tr(help_key) if help_key else None


def limit_of(path: str):
    """The limits-table row of a path: 'net.layers.2.kernel' reads 'layer.kernel', 'view.steps.bias' 'steps.bias'."""
    parts = path.removeprefix("view.").split(".")
    return LIMITS[f"layer.{parts[3]}" if parts[:2] == ["net", "layers"] else ".".join(parts)]


def slider(path: str, label_key: str, help_key: str | None = None, label: str | None = None, **kwargs):
    """A slider whose min / max / step come from the limits table."""
    lim = limit_of(path)
    kind = type(lim.default)
    return control(path, st.slider, label=label or tr(label_key), min_value=kind(lim.min), max_value=kind(lim.max),
                   step=kind(lim.step), help=_help(help_key), **kwargs)


def _nudge(path: str, steps: int) -> None:
    """on_click of a − / + button: one step of the limits table down or up, kept inside the limits."""
    if locked(path):
        return
    lim = limit_of(path)
    value = min(max(read(path) + steps * lim.step, lim.min), lim.max)
    try:
        write(path, type(lim.default)(value))
    except SpecError as exc:
        refuse(path, exc.message)


def stepper(path: str, label: str) -> None:
    """− and + buttons beside a slider: a step at a time without dragging (a click or Enter), at any size."""
    if hidden(path):
        return
    lim, value = limit_of(path), read(path)
    less, more, _ = st.columns([1, 1, 4], gap="small")
    less.button(tr("a11y.less"), key=button_key(f"{path}.less"), on_click=_nudge, args=(path, -1),
                help=tr("a11y.less_help", name=label), disabled=locked(path) or value <= lim.min, width="stretch")
    more.button(tr("a11y.more"), key=button_key(f"{path}.more"), on_click=_nudge, args=(path, 1),
                help=tr("a11y.more_help", name=label), disabled=locked(path) or value >= lim.max, width="stretch")


def choice(path: str, label_key: str, option_prefix: str, horizontal: bool = False, help_key: str | None = None,
           options: tuple | None = None, label: str | None = None, **kwargs):
    """A radio (horizontal) or selectbox over the path's choices, labelled from the catalogue."""
    options = options if options is not None else CHOICES[path.removeprefix("view.")]
    names = {v: tr(f"{option_prefix}.{v}") for v in options}  # resolved now, not when the widget formats
    widget, extra = (st.radio, {"horizontal": True}) if horizontal else (st.selectbox, {})
    return control(path, widget, label=label or tr(label_key), options=options, format_func=names.__getitem__,
                   help=_help(help_key), **extra, **kwargs)


def toggle(path: str, label_key: str, help_key: str | None = None, label: str | None = None, **kwargs):
    """An on/off switch bound to a bool."""
    return control(path, st.toggle, label=label or tr(label_key), help=_help(help_key), **kwargs)

