"""Server housekeeping for a classroom: one full garbage collection every half minute, in the background.

`.streamlit/config.toml` turns off Streamlit's gc.collect() after every script run (with 30 sessions it
would hold the GIL most of the time). Closed sessions are reference cycles (session state, widgets,
pictures), so without any full collection their memory would stay; one collection per interval frees them
at a negligible cost (figures in docs/benchmarks.md).

The collector also reaps closed tabs' expired stored sessions and shuts them down (`internals.reap_closed_sessions`).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading
import time

import streamlit as st

from playground.ui.runtime import internals
from playground.ui.runtime.internals import get_logger

LOG = get_logger(__name__)

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
        internals.reap_closed_sessions()
        gc.collect()
        if trim is not None:
            trim(0)


@st.cache_resource(show_spinner=False)
def start_collector(every: float = GC_EVERY_S) -> threading.Event:
    """Start the one collector thread of this server process (cached: once per process); returns its stop flag."""
    stop = threading.Event()
    threading.Thread(target=collect_forever, args=(every, stop), name="playground-gc", daemon=True).start()
    return stop


def warm_process() -> None:
    """Import and build, once per process, what the other labs will need (torch, the default model, the digits,
    plotly, Captum, torch._dynamo), so a student's first visit to them does not wait seconds for it."""
    from playground.image.decode import to_working
    from playground.image.pipeline import prepare
    from playground.image.samples import load_sample
    from playground.layers.stacks import DEFAULT_STACK, READY_STACKS
    from playground.model import feature_maps
    from playground.spec import PipelineSpec
    from playground.training import datasets, trainer

    spec = PipelineSpec().set("net.layers", READY_STACKS[DEFAULT_STACK])
    working, _ = to_working(load_sample(spec.image.sample), spec.image.long_side, spec.image.grayscale)
    feature_maps(spec.net, prepare(spec, working).tensor)  # torch, the default stack's layers, one forward
    datasets.load(spec.train, spec.norm.method)  # scikit-learn and the digits
    trainer.warm_up()  # the first optimizer imports torch._dynamo (seconds), in its own thread
    import captum.attr  # noqa: F401 - the attribution views import it (with matplotlib) on first use
    import plotly.graph_objects  # noqa: F401

    import playground.board.store  # noqa: F401 - SQLAlchemy and Alembic, kept off the first visit's path


def warm_default_page() -> None:
    """The default page's sample, prepared input and pictures, into the caches every session shares."""
    from playground import shared
    from playground.spec import PipelineSpec
    from playground.ui import images
    from playground.ui.image_lab.page import prepared_view

    spec = PipelineSpec()
    working, _ = images.working_image(spec.image)
    prepared = prepared_view(spec, working)
    for pixels in (working, prepared.augmented):
        shared.jpeg(pixels)


WARMED = threading.Event()  # set once warm_process has run in this process


def warm_server() -> float:
    """Before any session: the first page's imports, then warm_process and the frozen heap; seconds it took.

    serve.py's lifespan hook calls it at server start (the server answers once it returns).
    """
    start = time.perf_counter()
    import playground.ui.runtime.preload  # noqa: F401 - what app.py imports first
    warm_default_page()
    _warm_quietly(delay=0.0)
    seconds = time.perf_counter() - start
    LOG.info("process warmed up before the first session in %.1f s", seconds)
    return seconds


@st.cache_resource(show_spinner=False)
def start_warm_up() -> threading.Thread:
    """Start warm_process once per process, in the background; app.py calls it after its first run has drawn."""
    thread = threading.Thread(target=_warm_quietly, name="playground-warm-process", daemon=True)
    thread.start()
    return thread


WARM_DELAY_S = 3.0  # let the first visitor's page finish drawing before the imports take the cores


def _warm_quietly(delay: float = WARM_DELAY_S) -> None:
    if WARMED.is_set():  # serve.py warmed the process before the server answered
        return
    time.sleep(delay)
    try:
        warm_process()
    except Exception:  # noqa: BLE001 - warming is an optimisation: a failure here shows up where the work is needed
        LOG.exception("warming up the process failed")
    freeze_warm_heap()
    WARMED.set()


def freeze_warm_heap() -> int:
    """Move every object alive now (streamlit, torch, plotly, Captum: ~400k) out of the collector's sight.

    They live as long as the process; without this each full collection walks them again (bench/bench_gc.py:
    ~180 ms of the GIL per collection against ~0 after). Sessions made later are collected as before.
    """
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
