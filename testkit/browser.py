"""Helpers for browser tests: wait for a Streamlit rerun to finish, check for exception boxes."""
from __future__ import annotations

import pytest

IDLE_SELECTOR = "[data-testid='stApp'][data-test-script-state='notRunning']"
EXCEPTION_SELECTOR = "[data-testid='stException']"


def wait_idle(page, timeout: float = 60_000, expect_rerun: bool = False) -> None:
    """Wait until the script has finished running and assert that no exception is shown.

    After a click or input, pass expect_rerun=True: the app still reads `notRunning` for a moment
    before the rerun starts, so first wait (briefly) for it to leave that state.
    `notRunning` can come a few hundred ms before lazily loaded widgets (selectbox, ...) are painted:
    read them with auto-waiting `expect(...)` assertions, not with an immediate inner_text().
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    if expect_rerun:
        try:
            page.wait_for_selector(IDLE_SELECTOR, state="detached", timeout=2_000)
        except PlaywrightTimeout:  # the rerun may have been too quick to see: fine
            pass
    page.wait_for_selector(IDLE_SELECTOR, timeout=timeout)
    assert_no_exception(page)


def settle(page, timeout: float = 120_000, quiet_ms: int = 600) -> None:
    """Idle, and still idle a moment later: a page may rerun right after loading, a callback may start a second run."""
    wait_idle(page, timeout=timeout)
    page.wait_for_timeout(quiet_ms)
    wait_idle(page, timeout=timeout)


def start_training(page, label: str = "Start training", stop_label: str = "Stop training",
                   timeout: float = 60_000) -> None:
    """Settle, press Start, and wait until the run is going (an enabled Stop) or already over ("Finished:").

    A click that lands while a just-loaded page reruns can be lost: pressed again once if nothing started.
    """
    from playwright.sync_api import expect

    settle(page)
    started = page.locator("button:not([disabled])", has_text=stop_label).or_(page.get_by_text("Finished:")).first
    page.get_by_role("button", name=label, exact=True).click()
    try:
        expect(started).to_be_visible(timeout=timeout / 3)
    except AssertionError:
        start = page.locator("button:not([disabled])", has_text=label)
        if start.count():
            start.first.click()
        expect(started).to_be_visible(timeout=timeout)


def stop_training(page, stop_label: str = "Stop training") -> None:
    """Press the enabled Stop (the live panel and the settings may both draw one) and wait for the rerun."""
    page.locator("button:not([disabled])", has_text=stop_label).first.click()
    wait_idle(page, expect_rerun=True)


def assert_no_exception(page) -> None:
    """Fail with the shown text if Streamlit rendered an exception box."""
    boxes = page.locator(EXCEPTION_SELECTOR)
    if boxes.count():
        pytest.fail(f"the app shows an exception: {boxes.first.inner_text()}", pytrace=False)
