"""Browser: start a training, watch the loss curve grow, stop it; closing the tab stops its worker."""
from __future__ import annotations

import re
import time
from pathlib import Path

from playwright.sync_api import expect

from testkit.browser import wait_idle

LONG_RUN = "/training?train.epochs=50"  # long enough never to finish during a test
CURVE_POINTS = "() => { const p = document.querySelector('.js-plotly-plot'); return p && p.data ? p.data[0].x.length : 0; }"


def points(page) -> int:
    """Points on the raw loss curve as the browser has drawn it."""
    return page.evaluate(CURVE_POINTS)


def wait_points(page, above: int, timeout: float = 30) -> int:
    """Wait until the curve has more than `above` points; return the count."""
    deadline = time.monotonic() + timeout
    while (n := points(page)) <= above and time.monotonic() < deadline:
        time.sleep(0.2)
    return n


def start(page, url: str) -> None:
    page.goto(url)
    wait_idle(page)
    page.get_by_role("button", name="Start training", exact=True).click()


def test_curve_grows_then_stop_stops_it(page, app_url):
    start(page, app_url + LONG_RUN)
    first = wait_points(page, 0)
    assert first > 0, "no loss curve appeared"
    second = wait_points(page, first)
    assert second > first, "the curve did not grow between two reads"
    page.get_by_role("button", name="Stop training", exact=True).click()
    expect(page.get_by_text(re.compile(r"^Stopped after \d+ of \d+ steps"))).to_be_visible(timeout=10_000)
    wait_idle(page, expect_rerun=True)
    stopped = points(page)
    time.sleep(1.5)
    assert points(page) == stopped, "the curve kept growing after Stop"
    expect(page.get_by_role("tab", name="Confusion matrix")).to_be_visible()
    expect(page.get_by_role("button", name="Start training", exact=True)).to_be_enabled()


def test_closing_the_tab_stops_the_worker(new_page, app_url, request):
    log = Path(request.config._streamlit_log)
    before = log.read_text(errors="replace").count("stopped 1 running worker(s)")
    page = new_page()
    start(page, app_url + LONG_RUN)
    assert wait_points(page, 0) > 0
    page.context.close()  # the tab goes away while training
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if log.read_text(errors="replace").count("stopped 1 running worker(s)") > before:
            return
        time.sleep(0.3)
    raise AssertionError("the session was not released with its running worker after the tab closed")
