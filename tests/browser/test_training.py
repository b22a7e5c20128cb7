"""Browser: start a training, watch the loss curve grow, stop it; closing the tab stops its worker."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from playground.ui.training.settings import POLL_S
from testkit.browser import wait_idle
from testkit.wait import log_count, wait_for_log

pytestmark = pytest.mark.slow  # long: runs first (tests/conftest.py)

LONG_RUN = "/training?train.epochs=50"  # long enough never to finish during a test
CURVE = "document.querySelector('.js-plotly-plot')"
CURVE_POINTS = f"() => {{ const p = {CURVE}; return p && p.data ? p.data[0].x.length : 0; }}"
LAST_STEP = f"() => {{ const p = {CURVE}; return p.data[0].x[p.data[0].x.length - 1]; }}"
RELEASED = "stopped 1 running worker(s)"


def points(page) -> int:
    """Points on the raw loss curve as the browser has drawn it."""
    return page.evaluate(CURVE_POINTS)


def wait_points(page, above: int, timeout: float = 60_000) -> int:
    """Wait until the curve has more than `above` points; return the count."""
    page.wait_for_function(f"() => ({CURVE_POINTS})() > {above}", timeout=timeout)
    return points(page)


def start(page, url: str) -> None:
    page.goto(url)
    wait_idle(page)
    page.get_by_role("button", name="Start training", exact=True).click()


def test_curve_grows_then_stop_stops_it(page, app_url):
    start(page, app_url + LONG_RUN)
    first = wait_points(page, 0)
    second = wait_points(page, first)
    assert second > first
    page.get_by_role("button", name="Stop training", exact=True).click()
    stopped = page.get_by_text(re.compile(r"^Stopped after \d+ of \d+ steps"))
    expect(stopped).to_be_visible()  # the step under way, then the page rerun: 30 s like every page wait
    steps = int(re.search(r"after (\d+) of", stopped.inner_text()).group(1))
    # The live panel reruns every POLL_S while a run goes on: a page that stays idle for three of those periods
    # has stopped polling, so nothing can redraw the curve any more.
    wait_idle(page, quiet_ms=int(3_000 * POLL_S))
    drawn = points(page)
    assert 0 < drawn <= steps and page.evaluate(LAST_STEP) <= steps, "the curve shows steps the stopped run never made"
    expect(page.get_by_role("tab", name="Confusion matrix")).to_be_visible()
    expect(page.get_by_role("button", name="Start training", exact=True)).to_be_enabled()
    assert points(page) == drawn


def test_closing_the_tab_stops_the_worker(new_page, app_url, request):
    log = Path(request.config._streamlit_log)
    before = log_count(log, RELEASED)
    page = new_page()
    start(page, app_url + LONG_RUN)
    wait_points(page, 0)
    page.context.close()  # the tab goes away while training
    wait_for_log(log, RELEASED, more_than=before)
