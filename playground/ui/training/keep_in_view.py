"""Keep the live curve in view: on the rerun right after Start, scroll the page back to its top.

While a run is going, page.py draws Stop and the live panel right under the title. A student who scrolled
down to reach Start would otherwise keep looking at the settings while the curve grows above the fold.
The script is our own constant text (no user data in it), so running it in the page is safe.
"""
from __future__ import annotations

import streamlit as st

_SCROLL_UP = """<script>
(() => { const title = window.parent.document.querySelector('h1') || document.querySelector('h1');
         if (title) title.scrollIntoView({block: 'start'}); })();
</script>"""


def scroll_to_top() -> None:
    """Scroll the page so the title and the live panel under it are in view (once per call)."""
    st.html(_SCROLL_UP, unsafe_allow_javascript=True)
