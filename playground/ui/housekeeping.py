"""Server housekeeping for a classroom: one full garbage collection every half minute, in the background.

`.streamlit/config.toml` turns off Streamlit's gc.collect() after every script run (with 30 sessions it
held the GIL most of the time). Closed sessions are reference cycles (session state, widgets, pictures),
so without any full collection their memory stayed: after 100 tabs opened and closed the server kept
+95 % RSS. One collection per interval frees them at a negligible cost (docs/benchmarks.md).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading

import streamlit as st

GC_EVERY_S = 30.0


def _trim_function():
    """glibc's malloc_trim (hands freed heap pages back to the OS), or None on other C libraries."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def collect_forever(every: float, stop: threading.Event) -> None:
    """gc.collect() (then malloc_trim, where there is one) every `every` seconds until `stop` is set."""
    trim = _trim_function()
    while not stop.wait(every):
        gc.collect()
        if trim is not None:
            trim(0)


@st.cache_resource(show_spinner=False)
def start_collector(every: float = GC_EVERY_S) -> threading.Event:
    """Start the one collector thread of this server process (cached: once per process); returns its stop flag."""
    stop = threading.Event()
    threading.Thread(target=collect_forever, args=(every, stop), name="playground-gc", daemon=True).start()
    return stop
