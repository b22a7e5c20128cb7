"""Make sure every page runs inside app.py's navigation, even on a fresh server's first request.

The project keeps its page files in pages/ (the layout is fixed). Streamlit 1.67 then starts in its legacy
"pages/ folder" mode and only leaves it once app.py's st.navigation has run: until then a direct link such
as /layer_lab runs the page file alone (no sidebar, no language switch, no share-link sync). Streamlit has
no public switch for this (st.navigation turns the mode off as a side effect, too late for that first
request), so require_app() clears the one class attribute behind it (`internals.leave_pages_directory_mode`)
and reruns through app.py.
tests/test_boot.py fails loudly if an upgrade changes what that attribute means.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager

import streamlit as st

from playground.ui.runtime import internals

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
        internals.leave_pages_directory_mode()
        st.rerun()
