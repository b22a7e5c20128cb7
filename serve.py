"""Classroom entry point: `streamlit run serve.py` serves app.py, warmed up before the first student arrives.

`streamlit run app.py` imports the modules and builds the default model on the first visit (the first
students wait for it, in the class's first minute). Streamlit's ASGI App runs a lifespan hook at server start:
here it imports and builds everything a first visit needs (playground/ui/runtime/housekeeping.py:warm_server) before
the server answers, so the class meets a warm server. Everything else is app.py's.
"""
from contextlib import asynccontextmanager

import streamlit as st


@asynccontextmanager
async def lifespan(_app):
    """Warm the process in a worker thread, then let the server answer."""
    import asyncio

    from playground.ui.runtime import housekeeping

    await asyncio.to_thread(housekeeping.warm_server)
    yield


app = st.App("app.py", lifespan=lifespan)
