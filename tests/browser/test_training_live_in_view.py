"""Browser: while a run is going, the live loss curve is inside the viewport, at 1440×900 and at
1280×720 in projector mode, even when the student scrolled down to the Start button first."""
from __future__ import annotations

import pytest

from testkit.browser import start_training, stop_training, wait_idle

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
