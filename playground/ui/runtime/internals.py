"""Every use of Streamlit's internals, in one module; Streamlit 1.67 has no public API for any of these.

tests/test_internals.py checks that no other module of ours imports a Streamlit submodule and that every
name used here still exists with the meaning we rely on; an upgrade that changes one fails there first.

- **Forged widget values** (`install`): the browser sends each widget's value as a protobuf field. Streamlit
  turns it back into a value with the widget's deserializer when the next run starts, before any of our code
  runs: a select-slider sent a number out of its range, a selectbox sent a list or a slider sent a string
  raises IndexError / TypeError there, and since the session keeps the bad value, every later run of that tab
  would fail in Streamlit's generic error box. `install` checks each value as it arrives, where Streamlit
  stores it: a value in another field than the widget's own, or one its deserializer cannot read, is ignored
  and the widget keeps the value it had. A value that does deserialize still goes through bind's validated
  write, never trusted.
- **Pages only through app.py** (`leave_pages_directory_mode`, used by `boot.require_app`).
- **The session's id** (`session_id`): what fair turns are counted for.
- **Uploaded bytes freed at once** (`forget_upload`).
- **Closed tabs reaped** (`reap_closed_sessions`): a closed tab's session waits two minutes in Streamlit's
  session storage (for a reconnect), but Streamlit removes it only on a later write there, i.e. when another
  visitor leaves, and then without shutting it down (its uploaded files stayed).
- **Streamlit's logger** (`get_logger`): our lines land in the server log with Streamlit's format and level.
- **Imports warmed for the first page** (the three `streamlit.*` modules below; see `preload`).
"""
from __future__ import annotations

import asyncio

import streamlit.elements.plotly_chart  # noqa: F401 - warmed once under preload's import lock
import streamlit.emojis  # noqa: F401 - a first st.info / icon compiles its large emoji pattern on import
import streamlit.material_icon_names  # noqa: F401
from streamlit import runtime
from streamlit.logger import get_logger
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.state.common import WidgetMetadata, unpack_widget_state_value
from streamlit.runtime.state.session_state import WStates

__all__ = ["get_logger", "install", "installed", "leave_pages_directory_mode", "reap_closed_sessions", "session_id",
           "forget_upload", "readable", "reap_expired"]
LOG = get_logger(__name__)
_CONSUMED = ("file_uploader_state_value", "chat_input_value")


def readable(metadata: WidgetMetadata | None, widget_state) -> bool:
    """True when the sent value has the widget's own field and its deserializer reads it."""
    if metadata is None:  # a widget not drawn yet in this session: Streamlit ignores its value anyway
        return True
    field = widget_state.WhichOneof("value")
    if field is None:  # a cleared value
        return True
    if field != metadata.value_type:  # e.g. a string sent for a slider, a number for a select-slider
        return False
    if field in _CONSUMED:  # their deserializers take the uploaded records: run them once, by Streamlit
        return True
    value = unpack_widget_state_value(widget_state)
    if isinstance(value, str) and len(value) > _max_chars(metadata):  # Streamlit would cut it; the browser never sends it
        return False
    try:
        metadata.deserializer(value)
    except Exception:  # noqa: BLE001 - any failure here would otherwise fail every later run of the tab
        return False
    return True


def _max_chars(metadata: WidgetMetadata) -> float:
    """A text widget's max_chars (its serde holds it), or no limit."""
    limit = getattr(getattr(metadata.deserializer, "__self__", None), "max_chars", None)  # Streamlit's serde
    return float("inf") if limit is None else limit


def _guarded(set_widget_from_proto):
    def guarded(self: WStates, widget_state) -> None:
        if readable(self.widget_metadata.get(widget_state.id), widget_state):
            set_widget_from_proto(self, widget_state)
        else:  # keep the value the widget had: the next run shows it again
            LOG.warning("ignored a widget value that does not fit its widget (%s)", widget_state.id)
    guarded.playground_guard = True
    return guarded


def install() -> None:
    """Wrap WStates.set_widget_from_proto once per process (idempotent)."""
    if not installed():
        WStates.set_widget_from_proto = _guarded(WStates.set_widget_from_proto)


def installed() -> bool:
    """True once install() has run in this process."""
    return getattr(WStates.set_widget_from_proto, "playground_guard", False)


def leave_pages_directory_mode() -> None:
    """Streamlit 1.67 starts in its legacy "pages/ folder" mode when a pages/ folder exists and leaves it only
    once st.navigation has run; clear the one class attribute behind it (boot.require_app then reruns)."""
    PagesManager.uses_pages_directory = False


def session_id() -> str | None:
    """The running script's session id; None outside a script run (a background thread)."""
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def forget_upload(file) -> None:
    """Drop an uploaded file's bytes from Streamlit's upload store (they are decoded and copied already)."""
    ctx = get_script_run_ctx()
    if ctx is not None:
        ctx.uploaded_file_mgr.remove_file(ctx.session_id, file.file_id)


def reap_expired(storage, at_time: float | None = None) -> int:
    """Remove the stored sessions whose reconnect time is over and shut them down; how many (event loop only)."""
    expire = getattr(getattr(storage, "_cache", None), "expire", None)  # MemorySessionStorage's TTLCache
    if expire is None:
        return 0
    removed = expire(at_time)
    for _, info in removed:
        info.session.shutdown()  # frees its uploaded files, media and session caches, like a closed session
    return len(removed)


REAP_TIMEOUT_S = 10.0


def reap_closed_sessions() -> int:
    """reap_expired on the running server's session storage, on its event loop (the storage is not thread-safe)."""
    if not runtime.exists():
        return 0
    try:
        rt = runtime.get_instance()
        storage, loop = rt._session_mgr._session_storage, rt._get_async_objs().eventloop  # noqa: SLF001
    except (AttributeError, RuntimeError):  # another Streamlit layout, or not started yet: nothing to reap
        return 0

    async def reap() -> int:
        return reap_expired(storage)
    try:
        return asyncio.run_coroutine_threadsafe(reap(), loop).result(REAP_TIMEOUT_S)
    except Exception:  # noqa: BLE001 - housekeeping must never stop the collector
        LOG.exception("reaping closed sessions failed")
        return 0
