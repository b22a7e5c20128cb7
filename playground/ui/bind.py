"""Widgets bound to spec paths: limits come from the table, labels from the catalogue."""
from __future__ import annotations

import streamlit as st

from playground.limits import CHOICES, LIMITS
from playground.ui.state import get_spec, room, set_spec, tr, widget_key


def _bind(path: str, draw):
    """Seed the widget from the spec, draw it, write its value back; a teacher lock disables or hides it."""
    if room().is_hidden(path):
        return get_spec().get(path)
    key = widget_key(path)
    if key not in st.session_state:
        st.session_state[key] = get_spec().get(path)
    locked = room().is_locked(path)
    value = draw(key, locked)
    if not locked:
        set_spec(get_spec().set(path, value))
    return value


def slider(path: str, label_key: str, help_key: str | None = None, **kwargs):
    """A slider whose min / max / step come from the limits table."""
    lim = LIMITS[path]
    kind = type(lim.default)
    return _bind(path, lambda key, off: st.slider(
        tr(label_key), kind(lim.min), kind(lim.max), step=kind(lim.step), key=key, disabled=off,
        help=tr(help_key) if help_key else None, **kwargs))


def choice(path: str, label_key: str, option_prefix: str, horizontal: bool = False, help_key: str | None = None):
    """A radio (horizontal) or selectbox over the spec path's choices, labelled from the catalogue."""
    widget = st.radio if horizontal else st.selectbox
    extra = {"horizontal": True} if horizontal else {}
    names = {v: tr(f"{option_prefix}.{v}") for v in CHOICES[path]}  # resolved now, not when the lambda runs
    return _bind(path, lambda key, off: widget(
        tr(label_key), CHOICES[path], key=key, format_func=names.__getitem__, disabled=off,
        help=tr(help_key) if help_key else None, **extra))


def toggle(path: str, label_key: str, help_key: str | None = None):
    """An on/off switch bound to a bool spec field."""
    return _bind(path, lambda key, off: st.toggle(tr(label_key), key=key, disabled=off,
                                                  help=tr(help_key) if help_key else None))


def picture(target, pixels, caption: str) -> None:
    """An image that fills its column, with its caption doubling as alternative text."""
    target.image(pixels, caption=caption, alt=caption, width="stretch", clamp=True)
