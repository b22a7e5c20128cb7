"""Projector mode: one static CSS block of our own (never user data) for larger type, more contrast, less chrome."""
from __future__ import annotations

import numpy as np
import streamlit as st
from PIL import Image

from playground.ui.state import read

# Only colours the theme already defines (inherit / currentColor): the same block reads well on light and dark.
PROJECTOR_CSS = """
<style>
html { font-size: 125%; }
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], footer { display: none !important; }
[data-testid="stMainBlockContainer"] { padding-top: 1.5rem; max-width: 100%; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p, label[data-testid="stWidgetLabel"],
[data-testid="stWidgetLabel"] p, [data-testid="stImageCaption"] { color: inherit !important; opacity: 1 !important; }
[data-testid="stCaptionContainer"] p { font-size: 0.95rem; }
[data-testid="stWidgetLabel"] p { font-weight: 600; }
[data-testid="stImageCaption"] { font-size: 0.95rem; }
h1 { font-size: 2.4rem !important; }
:focus-visible { outline: 3px solid currentColor !important; outline-offset: 2px; }
</style>
"""


CHART_FONT, PROJECTOR_CHART_FONT = 13, 20  # px of plotly text: axes, legends, hover (titles a little larger)


def chart_font() -> int:
    """The font size every plotly figure uses: larger in projector mode, for the back row."""
    return PROJECTOR_CHART_FONT if read("room.projector") else CHART_FONT


def apply(projector: bool) -> None:
    """Inject the projector CSS block when projector mode is on."""
    if projector:
        st.html(PROJECTOR_CSS)


def page_icon() -> Image.Image:
    """A 4×4 grid icon drawn here: a ":material/..." page icon makes the browser fetch its SVG from Google's CDN."""
    colours = np.array([[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98]], np.uint8)  # viridis stops
    cells = (np.add.outer(np.arange(4), np.arange(4)) % 4)  # (4, 4) diagonal bands
    icon = colours[cells].repeat(8, 0).repeat(8, 1)  # (32, 32, 3)
    icon[::8, :] = icon[:, ::8] = 255  # white grid lines
    return Image.fromarray(icon)
