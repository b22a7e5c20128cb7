"""The conv step-through in a real browser: a step moves the highlighted window and fills an output cell."""
from __future__ import annotations

import pytest
from browser_helpers import assert_no_exception, wait_idle

from playground.i18n import t

pytestmark = pytest.mark.browser

WINDOW = ".st-key-steps-fig_in0 .shapelayer path"  # one outline per sampled input cell
FILLED = ".st-key-steps-fig_out0 text"  # plotly draws no text for the blank (not yet computed) cells


def window_paths(page) -> list[str]:
    """The SVG outlines of the highlighted window cells."""
    return [page.locator(WINDOW).nth(i).get_attribute("d") for i in range(page.locator(WINDOW).count())]


def wait_filled(page, count: int, timeout: float = 15_000) -> None:
    """Wait until the output grid shows `count` numbers."""
    page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length === n", arg=[FILLED, count],
                           timeout=timeout)


def open_page(page, app_url):
    page.goto(f"{app_url}/conv_steps")
    wait_idle(page)
    page.locator(WINDOW).first.wait_for()


def test_step_moves_the_window_and_fills_a_cell(page, app_url):
    open_page(page, app_url)
    wait_filled(page, 1)
    before = window_paths(page)
    assert len(before) == 9  # a 3×3 window
    page.get_by_role("button", name=t("steps.forward", "en")).click()
    wait_filled(page, 2)
    wait_idle(page)
    after = window_paths(page)
    assert len(after) == 9 and after != before
    assert page.get_by_text("Step 2 of 9").count() == 1
    page.get_by_role("button", name=t("steps.back", "en")).click()
    wait_filled(page, 1)
    wait_idle(page)
    assert window_paths(page) == before


def test_play_runs_to_the_end(page, app_url):
    open_page(page, app_url)
    page.get_by_role("button", name=t("steps.play", "en")).click()
    wait_filled(page, 9, timeout=30_000)  # 9 steps at 1 step per second
    page.get_by_text(t("steps.finished", "en")).wait_for(timeout=10_000)
    page.get_by_role("button", name=t("steps.play", "en")).wait_for(timeout=10_000)  # back to "Play"
    assert_no_exception(page)
