"""Make sure every page runs inside app.py's navigation, even on a fresh server's first request.

Streamlit decides at server start whether the app is a legacy "pages/ folder" app (because pages/ exists)
and only drops that mode once app.py's st.navigation has run. Until then a request for /layer_lab runs
the page file alone: no sidebar, no language switch, no share-link sync. Pages call require_app() first;
it switches the legacy mode off and reruns, so app.py takes over with the same page.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

_ROUTED: set[int] = set()  # ids of threads currently running app.py's navigation


@contextmanager
def routed():
    """Wrap nav.run() in app.py: pages run inside it know they were reached through app.py."""
    _ROUTED.add(threading.get_ident())
    try:
        yield
    finally:
        _ROUTED.discard(threading.get_ident())


def require_app() -> None:
    """Called first by every page: when run without app.py, leave legacy mode and rerun through app.py."""
    if threading.get_ident() not in _ROUTED:
        PagesManager.uses_pages_directory = False
        st.rerun()
