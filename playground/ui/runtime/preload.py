"""Imported first by app.py: the modules a session's first runs need, imported once for the whole process.

A class opening the link together starts forty script threads at once, each importing lazily. Python's import
lock makes `import x` wait for another thread's half-done import of x, but some libraries only peek: plotly
reads `sys.modules["pandas"]` without importing it, and a figure drawn while another thread was half-way
through importing pandas failed ("partially initialized module 'pandas' has no attribute 'Series'").

Every import below runs while this module is being imported, under its own module lock: the first session
imports them all, every other session's `import preload` waits until that is complete, so no thread ever
sees a half-imported module from this list. Torch, scikit-learn and Captum are not here: the first page
does not need them, and housekeeping.start_warm_up imports them in the background after the first run.
"""
# ruff: noqa: F401 - every import here is for its side effect
from __future__ import annotations

import time

_START = time.perf_counter()

import cv2  # noqa: E402
import numpy  # noqa: E402
import pandas  # noqa: E402 - before plotly: plotly only peeks at sys.modules["pandas"]
import PIL.Image  # noqa: E402
import plotly.graph_objects as go  # noqa: E402
import plotly.io  # noqa: E402

import playground.ui.conv_steps.page  # noqa: E402
import playground.ui.image_lab.page  # noqa: E402 - the default page
from playground.ui.image_lab.figures import histogram_figure  # noqa: E402
from playground.ui.runtime.internals import get_logger  # noqa: E402 - and Streamlit's modules a first run needs

# plotly builds its validators on a figure's first use: do it here once, not in forty sessions at the same time
# (the axis, legend and hover-label font parts too, which theme.fonts sets on every figure)
_figure = histogram_figure(numpy.zeros((2, 2, 3), numpy.uint8), "", ["R", "G", "B"])
_figure.update_layout(legend_font={}, hoverlabel_font={}, title_font={})
_figure.update_xaxes(tickfont={}, title_font={})
_figure.update_yaxes(tickfont={}, title_font={})
plotly.io.to_json(_figure, validate=False)

SECONDS = time.perf_counter() - _START  # what the first session of a fresh process waited for these imports
get_logger(__name__).info("the first page's modules imported in %.1f s (sessions arriving meanwhile waited)", SECONDS)
