"""Forged widget values sent over the real websocket crash nothing.

A number sent for the Training lab's select-slider, a string for a slider or a list for a selectbox would raise
inside Streamlit's deserializer before any of our code runs, and the session would keep the value, so every later
run of that tab would end in Streamlit's generic error box: playground/ui/runtime/internals.py drops such values.
A value that does deserialize (an option not in the list, a number out of range) reaches bind.py, which validates it.
"""
from __future__ import annotations

from streamlit.proto.WidgetStates_pb2 import WidgetState

from playground.limits import LIMITS
from testkit.stclient import Tab
from testkit.threads import run_async

FORGERIES = {
    "number out of range": lambda s: s.double_array_value.data.extend([99.0]),
    "several numbers": lambda s: s.double_array_value.data.extend([-5.0, 99.0, 3.0]),
    "a string": lambda s: setattr(s, "string_value", "1e400"),
    "an option not in the list": lambda s: setattr(s, "string_value", "# SERVER HACKED"),
    "an integer": lambda s: setattr(s, "int_value", 10 ** 9),
    "a NaN": lambda s: setattr(s, "double_value", float("nan")),
    "an int array": lambda s: s.int_array_value.data.extend([99]),
}
WIDGETS = {
    "training": ("w.train.lr", "w.train.epochs", "w.train.optimizer"),  # select-slider, slider, choice
    "": ("w.image.long_side", "w.image.sample", "w.image.grayscale"),  # slider, selectbox, toggle
}


async def forge(tab: Tab, key: str, fill) -> list[str]:
    """Send one forged value for a widget, as a hostile client would; the exceptions the run showed."""
    proto, fragment = tab.widgets[key]
    state = WidgetState(id=proto.id)
    fill(state)
    tab.states[proto.id] = state
    run = await tab.rerun(fragment=fragment)
    del tab.states[proto.id]  # a browser would go on sending it; our next rerun sends the page's own values
    return run.exceptions


def test_forged_values_are_ignored_or_refused_and_the_tab_keeps_working(app_url):
    url = app_url  # each tab is a session of its own: what it forges stays in it

    async def scenario() -> dict:
        crashes = {}
        for page, keys in WIDGETS.items():
            tab = Tab(url)
            await tab.open(page)
            for key in keys:
                for name, fill in FORGERIES.items():
                    if shown := await forge(tab, key, fill):
                        crashes[f"{page}/{key}: {name}"] = shown
            again = await tab.rerun()  # the tab still runs, and with its own settings
            crashes.update({f"{page}: rerun": again.exceptions} if again.exceptions else {})
            await tab.close()
        return crashes

    assert run_async(scenario()) == {}


def test_after_forged_values_the_setting_stays_valid_and_a_real_change_applies(app_url):
    url = app_url
    low, high = LIMITS["image.long_side"].min, LIMITS["image.long_side"].max

    async def scenario():
        tab, shown = Tab(url), []
        await tab.open("")
        for fill in FORGERIES.values():
            assert not await forge(tab, "w.image.long_side", fill)
            shown.append(_slider_value(tab, "w.image.long_side"))
        run = await tab.set("w.image.long_side", 96)
        await tab.close()
        return shown, run, tab.query

    shown, run, query = run_async(scenario())
    assert all(low <= v <= high and v == int(v) for v in shown), shown  # ignored, refused or within the limits
    assert not run.exceptions and "image.long_side=96" in query, query


def _slider_value(tab: Tab, key: str) -> float:
    proto = tab.widgets[key][0]
    return (list(proto.value) if proto.set_value else list(proto.default))[0]
