"""The lesson page's own CSS (static text of ours): a scene fits one 1280×720 projector screen."""
from __future__ import annotations

import streamlit as st

from playground.ui.state import read

# Every size: headings close to their text, the step-through board a little smaller beside the text.
LESSON_CSS = """
<style>
[data-testid="stMainBlockContainer"] h3 { padding: 0.1rem 0 0.2rem; }
[data-testid="stMainBlockContainer"] h5 { padding: 0.2rem 0 0; }
.st-key-lesson-view-steps { zoom: 0.8; }
.st-key-lesson-head h1 { font-size: 0.875rem !important; font-weight: 600 !important; padding: 0 !important;
  margin: 0; line-height: 1.4; }
</style>
"""
# Projector mode: no spare padding under the last element; the step-through board fits beside the text.
PROJECTOR_LESSON_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-bottom: 0.5rem !important; padding-top: 0.5rem !important; }
.st-key-lesson-view-steps { zoom: 0.72; }
.st-key-lesson-view-steps .steps-board { --steps-min: 1; }
[data-testid="stMainBlockContainer"] h3 { font-size: 1.45rem; }
.st-key-lc-working { max-height: calc(100vh - 470px); overflow-y: auto; padding-left: 0.2rem; }
.st-key-lc-working p, .st-key-lc-working li { font-size: 0.85rem; margin-bottom: 0; }
</style>
"""


def apply() -> None:
    """Inject the lesson CSS (and its projector part in projector mode)."""
    st.html(LESSON_CSS + (PROJECTOR_LESSON_CSS if read("room.projector") else ""))
