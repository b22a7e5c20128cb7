"""A forged widget value is dropped before it can crash the session.

The browser sends each widget's value as a protobuf field. Streamlit turns it back into a value with the
widget's deserializer when the next run starts, before any of our code runs: a select-slider sent a number
out of its range, a selectbox sent a list or a slider sent a string raises IndexError / TypeError there, and
since the session keeps the bad value, every later run of that tab would fail in Streamlit's generic error box.

install() checks each value as it arrives, where Streamlit stores it: a value in another field than the widget's
own, or one its deserializer cannot read, is ignored and the widget keeps the value it had.
A value that does deserialize still goes through bind's validated write, never trusted.
"""
from __future__ import annotations

from streamlit.logger import get_logger
from streamlit.runtime.state.common import WidgetMetadata, unpack_widget_state_value
from streamlit.runtime.state.session_state import WStates

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
