"""Browser: while a run is going, the live loss curve is inside the viewport, at 1440×900 and at
1280×720 in projector mode, even when the student scrolled down to the Start button first."""
from __future__ import annotations

import pytest

from testkit.browser import start_training, stop_training, wait_idle

pytestmark = pytest.mark.slow  # long: runs first (tests/conftest.py)

LONG_RUN = "/training?train.epochs=50"
CHARTS = """() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')]
  .map(e => e.getBoundingClientRect()).filter(r => r.height > 0).map(r => [r.top, r.bottom])"""
POINTS = "() => { const p = document.querySelector('.js-plotly-plot'); return p && p.data ? p.data[0].x.length : 0; }"
TO_BOTTOM = "() => { const m = document.querySelector('[data-testid=stMain]'); if (m) m.scrollTop = m.scrollHeight; }"


@pytest.mark.parametrize("width, height, extra", [(1440, 900, ""), (1280, 720, "&projector=1")])
def test_live_curve_is_in_view_during_a_run(browser, app_url, width, height, extra):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-US")
    try:
        page = context.new_page()
        page.goto(app_url + LONG_RUN + extra)
        wait_idle(page)
        page.evaluate(TO_BOTTOM)  # a student who scrolled down through the settings
        start_training(page)
        page.wait_for_function(f"() => ({POINTS})() >= 3", timeout=60_000)
        drawn = page.evaluate(POINTS)  # a few more polls of the live panel: it must stay in view, not only appear
        page.wait_for_function(f"() => ({POINTS})() > {drawn}", timeout=60_000)
        charts = page.evaluate(CHARTS)
        assert charts, "the live panel drew no chart"
        top, bottom = charts[0]  # the loss per step, the first chart on the page while running
        assert 0 <= top and bottom <= height, f"loss chart at {top:.0f}..{bottom:.0f}, viewport height {height}"
        stop_training(page)
    finally:
        context.close()


SHORT_RUN = "/training?train.epochs=2&projector=1"


def test_curve_stays_in_view_when_the_run_ends(browser, app_url):
    """1280×720 projector: when a run ends the settings come back, but the curve and its result stay in view."""
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US")
    try:
        page = context.new_page()
        page.goto(app_url + SHORT_RUN)
        wait_idle(page)
        page.evaluate(TO_BOTTOM)  # the teacher scrolled down to Start
        start_training(page)
        finished = page.get_by_text("Finished:")
        finished.wait_for(timeout=120_000)
        wait_idle(page)  # the rerun after the end: settings and results drawn
        page.get_by_role("tab", name="Confusion matrix").wait_for()
        charts = page.evaluate(CHARTS)
        assert charts, "the ended run shows no chart"
        top, bottom = charts[0]  # the loss per step
        assert 0 <= top < height_of(page), f"loss chart top at {top:.0f} after the run, viewport height 720"
        box = finished.bounding_box()
        assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= 720, "the run's result is out of view"
    finally:
        context.close()


def height_of(page) -> int:
    """The viewport's height in CSS pixels."""
    return page.viewport_size["height"]
