"""The conv step-through in a real browser: a step moves the highlighted window and fills an output cell."""
from __future__ import annotations

import pytest

from playground.i18n import t
from testkit.browser import assert_no_exception, wait_idle

pytestmark = pytest.mark.browser

WINDOW = "[data-grid='input0'] rect:is(.sampled, .sampled-pad)"  # the input cells under the window
FILLED = "[data-grid='out0'] text"  # blank (not yet computed) output cells have no number


def window_paths(page) -> list[str]:
    """(row, column) of each highlighted window cell, in the padded input."""
    return page.locator(WINDOW).evaluate_all("els => els.map(e => e.dataset.r + ',' + e.dataset.c)")


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
