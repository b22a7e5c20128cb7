"""playground/ui/runtime/internals.py: a forged widget value is ignored where Streamlit stores it.

The websocket test (tests/browser/test_forged_widgets.py) sends forged values to a real server; these check
the rule itself on Streamlit's own WStates and WidgetState protos."""
from types import SimpleNamespace

from streamlit.elements.widgets.text_widgets import TextInputSerde
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.runtime.state.session_state import WStates

from playground.ui.runtime import internals

OPTIONS = (0.001, 0.01, 0.1)


def select_slider_meta():
    """Like st.select_slider's metadata: indices arrive as a double array, deserialized into options."""
    return SimpleNamespace(value_type="double_array_value", deserializer=lambda ui: [OPTIONS[int(i)] for i in ui])


def sent(fill) -> WidgetState:
    state = WidgetState(id="lr")
    fill(state)
    return state


def test_a_value_in_another_field_is_unreadable():
    assert not internals.readable(select_slider_meta(), sent(lambda s: setattr(s, "string_value", "0.1")))


def test_an_index_out_of_range_is_unreadable():
    assert not internals.readable(select_slider_meta(), sent(lambda s: s.double_array_value.data.extend([99])))


def test_a_real_value_and_an_unknown_widget_are_readable():
    assert internals.readable(select_slider_meta(), sent(lambda s: s.double_array_value.data.extend([2])))
    assert internals.readable(None, sent(lambda s: setattr(s, "string_value", "x")))


def test_installed_wstates_keep_the_old_value_of_a_forged_one():
    internals.install()
    internals.install()  # idempotent
    assert internals.installed()
    states = WStates()
    states.set_widget_metadata(SimpleNamespace(id="lr", **vars(select_slider_meta())))
    states.set_widget_from_proto(sent(lambda s: s.double_array_value.data.extend([1])))
    states.set_widget_from_proto(sent(lambda s: setattr(s, "string_value", "# SERVER HACKED")))
    states.set_widget_from_proto(sent(lambda s: s.double_array_value.data.extend([-5, 99])))
    assert list(states.states["lr"].value.double_array_value.data) == [1.0]  # the last readable value stays


def test_a_text_longer_than_its_max_chars_is_unreadable_not_cut():
    """Streamlit's serde cuts an over-long text to max_chars; only a forged message can send one."""
    meta = SimpleNamespace(value_type="string_value", deserializer=TextInputSerde("", max_chars=24).deserialize)
    assert internals.readable(meta, sent(lambda s: setattr(s, "string_value", "x" * 24)))
    assert not internals.readable(meta, sent(lambda s: setattr(s, "string_value", "x" * 25)))
    free = SimpleNamespace(value_type="string_value", deserializer=TextInputSerde("").deserialize)
    assert internals.readable(free, sent(lambda s: setattr(s, "string_value", "x" * 5000)))
