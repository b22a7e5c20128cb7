"""Every control and button of every lab, operated under each teacher lock, changes no locked value.

Every widget a page draws is operated once, the disabled ones too (a forged client can press a disabled
button or send a value for a disabled slider): the locked and hidden values must stay as they were
(state.set_spec keeps them), and no *enabled* control may even try to change one (its lock must disable it).
Each test starts from a fresh tab: the Start buttons it presses leave no training running for the next one.
"""
from __future__ import annotations

import pytest

from playground.classroom.lock import Classroom, field_paths
from playground.layers.stacks import READY_STACKS
from playground.limits import CHOICES
from playground.spec import PipelineSpec
from playground.ui.state import LOCK_REFUSED, SPEC
from testkit.apptest import open_app

PAGES = ("pages/image_lab.py", "pages/conv_steps.py", "pages/layer_lab.py", "pages/training.py")
LOCKS = ({"lock": "image"}, {"lock": "augment"}, {"lock": "norm"}, {"lock": "net"}, {"lock": "train"},
         {"lock": "net.layers"}, {"lock": "augment.angle"}, {"hide": "net.layers"})
KINDS = ("button", "slider", "select_slider", "selectbox", "radio", "checkbox", "toggle", "number_input")
SKIP = {"ui.lang"}  # the language switch reruns every label; it holds no spec value

pytestmark = pytest.mark.usefixtures("fresh_tab")


def guarded(query: dict) -> tuple[str, ...]:
    """The field paths a link's lock or hide must keep."""
    room = Classroom.from_query(query)
    return tuple(p for p in field_paths() if room.is_locked(p) or room.is_hidden(p))


def snapshot(at, paths) -> dict:
    spec = at.session_state[SPEC]
    return {p: spec.get(p) for p in paths}


def refused(at) -> int:
    return at.session_state[LOCK_REFUSED] if LOCK_REFUSED in at.session_state else 0


def widgets(at) -> list[tuple[str, str]]:
    """(kind, key) of every keyed widget drawn now."""
    return [(kind, w.key) for kind in KINDS for w in getattr(at, kind) if w.key and w.key not in SKIP]


def find(at, kind: str, key: str):
    return next((w for w in getattr(at, kind) if w.key == key), None)


def operate(widget, kind: str) -> None:
    """One change a student (or a forged client) could make: press, flip, or move to another end / option."""
    if kind == "button":
        widget.click()
    elif kind in ("checkbox", "toggle"):
        widget.set_value(not widget.value)
    elif kind in ("slider", "number_input"):
        value = widget.value[0] if isinstance(widget.value, (tuple, list)) else widget.value
        widget.set_value(widget.min if value == widget.max else widget.max)
    elif kind == "select_slider":
        last = _raw_option(widget, widget.options[-1])
        widget.set_value(_raw_option(widget, widget.options[0]) if widget.value == last else last)
    elif kind == "selectbox":
        widget.select_index(((widget.index or 0) + 1) % len(widget.options))
    else:  # radio: set_value takes a value, not its label; the choices of its path are the values
        choices = CHOICES.get(widget.key.removeprefix("w."), ())
        if choices:
            widget.set_value(choices[(choices.index(widget.value) + 1) % len(choices)] if widget.value in choices
                             else choices[0])


def _raw_option(widget, label: str):
    """The value behind a select-slider label (the Training lab's learning rates are floats shown with :g)."""
    return float(label) if _is_number(label) else label


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@pytest.fixture
def forged(monkeypatch):
    """Let AppTest operate disabled widgets, as a hand-made websocket client can."""
    def allow(widget) -> None:
        monkeypatch.setattr(type(widget), "_assert_can_interact", lambda self: None, raising=False)
    return allow


@pytest.mark.slow
@pytest.mark.parametrize("query", LOCKS, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()))
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.split("/")[1].removesuffix(".py"))
def test_no_control_changes_a_locked_value(page, query, forged):
    at = open_app(page, query=query)
    assert not at.exception
    paths = guarded(query)
    kept, leaks, crashes = snapshot(at, paths), [], []
    for kind, key in widgets(at):
        widget = find(at, kind, key)
        if widget is None:  # an earlier operation removed it (e.g. a closed layer editor)
            continue
        enabled, before = not getattr(widget, "disabled", False), refused(at)
        if not enabled:
            forged(widget)
        operate(widget, kind)
        at.run()
        if at.exception:
            crashes.append(f"{kind} {key}: {at.exception[0].message} {at.exception[0].stack_trace[-3:]}")
        if snapshot(at, paths) != kept:
            leaks.append(f"{kind} {key} changed {paths}")
        if enabled and refused(at) > before:
            leaks.append(f"enabled {kind} {key} tried to change a locked value")
    assert not crashes, crashes
    assert not leaks, leaks


TOO_DEEP = PipelineSpec().set("net.layers", READY_STACKS["pooled"] * 4).to_query()  # shrinks any picture to nothing


def test_use_the_default_stack_cannot_clear_a_locked_stack(forged):
    """The Training lab offers "Use the default stack" for a stack that does not fit; the lock keeps the stack."""
    query = {"lock": "net.layers", **TOO_DEEP}
    at = open_app("pages/training.py", query=query)
    button = find(at, "button", "b.train.use_default")
    assert button is not None and button.disabled
    stack = at.session_state[SPEC].net.layers
    forged(button)
    button.click()
    at.run()
    assert not at.exception and at.session_state[SPEC].net.layers == stack


def test_without_a_lock_the_same_button_clears_the_stack():
    at = open_app("pages/training.py", query=dict(TOO_DEEP))
    button = find(at, "button", "b.train.use_default")
    assert button is not None and not button.disabled
    button.click()
    at.run()
    assert at.session_state[SPEC].net.layers == () and refused(at) == 0
