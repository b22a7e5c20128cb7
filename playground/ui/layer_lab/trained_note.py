"""Layer lab: why the trained-weights switch is missing, and a button that fixes it.

A run's weights fit only the stack it trained and its input channels. When the tab's newest ended run
differs in one of them, the page says exactly what to change instead of hiding the switch.
"""
from __future__ import annotations

import streamlit as st

from playground.ui import bind
from playground.ui.layer_lab.run import near_miss
from playground.ui.state import button_key, tr, write


def _set_grey(grey: bool) -> None:
    write("image.grayscale", grey)


def _load_stack(layers) -> None:
    write("net.layers", layers)


def explain(spec, in_channels: int) -> None:
    """Say what keeps the newest training run's weights from this view, with the one-click fix."""
    run, why = near_miss(spec, in_channels)
    if run is None:
        return
    if why == "channels":
        grey = run.data.shape[0] == 1
        st.info(tr("trained_view.grey_run" if grey else "trained_view.colour_run"), icon=":material/info:")
        st.button(tr("trained_view.fix_grey" if grey else "trained_view.fix_colour"), key=button_key("layers.trained_fix"),
                  on_click=_set_grey, args=(grey,), disabled=bind.locked("image.grayscale"))
    else:
        st.info(tr("trained_view.stack", layers=len(run.net.layers)), icon=":material/info:")
        st.button(tr("trained_view.fix_stack"), key=button_key("layers.trained_fix"), on_click=_load_stack,
                  args=(run.net.layers,), disabled=bind.locked("net.layers"))
