"""Every control of every page driven to its extremes (AppTest): a clear message at most, never a traceback."""
from __future__ import annotations

import sys

import pytest
from streamlit.testing.v1 import AppTest

from playground.limits import CHOICES


def _option_tuples():
    """Every string inside a module-level tuple of the app's modules, plus the limits table's choices."""
    modules = [m for name, m in sys.modules.items() if name.startswith("playground")]
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, tuple):
                yield from (v for v in value if isinstance(v, str))
    yield from (v for values in CHOICES.values() for v in values)
    yield from ("acc", "loss", "lock", "hide")  # options written inline in the pages


SKIPPED = {"ui.lang"}  # the language switch is covered by the page-text tests
PAGES = ("pages/image_lab.py", "pages/layer_lab.py", "pages/conv_steps.py", "pages/training.py")
TORCH_WORDS = ("Traceback", "RuntimeError", "torch.", "Given input size", "Expected ")


def _extremes(widget) -> list:
    """The two ends of a widget's range (sliders, number inputs) or its first and last option."""
    kind = type(widget).__name__
    if kind == "Slider":
        return [widget.min, widget.max]
    if kind == "SelectSlider":
        return [_raw_for_label(widget, widget.options[i]) for i in (0, -1)]
    if kind == "NumberInput":
        proto = widget.proto
        return [proto.min if proto.has_min else -10**6, proto.max if proto.has_max else 10**6]
    return [len(widget.options) - 1, 0] if widget.options else []  # option indices: the last, then the first


def _raw_for_label(widget, label: str):
    """The raw option whose formatted label is `label` (AppTest's radio only knows the labels)."""
    numbers = [conv(label) for conv in (int, float) if _parses(conv, label)]
    return next(v for v in [*numbers, *_option_tuples()] if _formats_to(widget, v, label))


def _parses(conv, text: str) -> bool:
    try:
        conv(text)
    except ValueError:
        return False
    return True


def _formats_to(widget, value, label: str) -> bool:
    try:
        return widget.format_func(value) == label
    except (KeyError, TypeError, ValueError):
        return False


def _choose(widget, index: int):
    """Select option `index` of a selectbox or radio."""
    if type(widget).__name__ == "Selectbox":
        return widget.select_index(index)
    return widget.set_value(_raw_for_label(widget, widget.options[index]))


def _controls(at) -> dict[str, str]:
    """key -> element kind of every keyed, enabled value widget on the page now."""
    found = {}
    for kind in ("slider", "select_slider", "number_input", "selectbox", "radio"):
        for widget in getattr(at, kind):
            if widget.key and not widget.disabled and widget.key not in SKIPPED:
                found[widget.key] = kind
    return found


def _check(at, what: str) -> None:
    """No exception element; any error is our own message, not torch's or Python's."""
    assert not at.exception, f"{what}: {at.exception[0].value}"
    for error in at.error:
        assert not any(word in error.value for word in TORCH_WORDS), f"{what}: {error.value}"


@pytest.mark.parametrize("page", PAGES)
def test_every_control_at_both_ends(page):
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.run()
    at.switch_page(page).run()
    _check(at, page)
    driven = 0
    for key, kind in _controls(at).items():
        for value in _extremes(getattr(at, kind)(key=key)):
            present = _controls(at)
            if present.get(key) != kind:  # hidden by an earlier extreme (e.g. padding under "same")
                break
            widget = getattr(at, kind)(key=key)
            (_choose(widget, value) if kind in ("selectbox", "radio") else widget.set_value(value)).run()
            _check(at, f"{page} {key}={value!r}")
            driven += 1
    assert driven >= 8, f"only {driven} control settings were tried on {page}"
