"""Helpers for browser tests: wait until a Streamlit app has stayed idle, check for exception boxes."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

# Debian's chromium-headless-shell (Chromium's headless build, the one Playwright itself runs headless tests in)
# when it is installed: the same Blink without the browser's windows and their toolbar pages, so a page load costs
# about a third less CPU. Debian's full /usr/bin/chromium otherwise; CHROMIUM_PATH chooses any other.
HEADLESS_SHELL = "/usr/bin/chromium-headless-shell"
FULL_CHROMIUM = "/usr/bin/chromium"


def chromium_path() -> str:
    """The Chromium the browser tests drive: CHROMIUM_PATH, else the headless shell, else the full browser."""
    chosen = os.environ.get("CHROMIUM_PATH", "").strip()
    if chosen:
        return chosen
    return HEADLESS_SHELL if Path(HEADLESS_SHELL).exists() else FULL_CHROMIUM


IDLE_SELECTOR = "[data-testid='stApp'][data-test-script-state='notRunning']"
EXCEPTION_SELECTOR = "[data-testid='stException']"

# True once the app has read `notRunning` for `quiet` ms without a break, and has answered the last message the
# page sent (a click's rerun request) by starting a run, or `answer` ms went by without one (a message that asks
# for no run). A MutationObserver stamps every change of the run state, so a run that starts and ends between two
# polls still counts; WebSocket.send is wrapped (the prototype: the open socket uses it too) to stamp each message.
STAYED_IDLE = """([quiet, answer]) => {
  const now = performance.now();
  if (!window.__pgIdle) {
    const stamp = { changed: now, run: now, sent: 0 };
    new MutationObserver((records) => {
      stamp.changed = performance.now();
      if (records.some((r) => r.oldValue === 'notRunning')) stamp.run = stamp.changed;
    }).observe(document.documentElement,
      { subtree: true, attributes: true, attributeOldValue: true, attributeFilter: ['data-test-script-state'] });
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (data) { stamp.sent = performance.now(); return send.call(this, data); };
    window.__pgIdle = stamp;
  }
  const stamp = window.__pgIdle;
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') {
    stamp.changed = stamp.run = now;
    return false;
  }
  const answered = stamp.sent <= stamp.run || now - stamp.sent >= answer;
  return answered && now - stamp.changed >= quiet;
}"""


def wait_idle(page, timeout: float = 120_000, quiet_ms: int = 500, answer_ms: int = 5_000) -> None:
    """Wait until the script has stayed idle for `quiet_ms`, then assert that no exception is shown.

    The first idle moment is not enough: a page may rerun right after loading, a callback may start a second
    run, and after a click the app reads `notRunning` until the rerun starts (on a loaded machine that takes
    seconds: the wait also needs the click's message answered by a run, or `answer_ms` without one). Fails the
    test if the app never stays idle within `timeout` ms. A page whose fragment polls faster than `quiet_ms`
    (a training's live panel) never stays idle while it polls: wait for an element there instead. `notRunning`
    can come a few hundred ms before lazily loaded widgets are painted: read them with `expect(...)`.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(STAYED_IDLE, arg=[quiet_ms, answer_ms], timeout=timeout, polling=100)
    except PlaywrightTimeout:
        state = page.locator("[data-testid='stApp']").first.get_attribute("data-test-script-state", timeout=1_000)
        pytest.fail(f"the app did not stay idle for {quiet_ms} ms within {timeout / 1000:.0f} s (script state: {state})",
                    pytrace=False)
    assert_no_exception(page)


def start_training(page, label: str = "Start training", stop_label: str = "Stop training",
                   over: tuple[str, ...] = ("Finished:", "Training stopped:"), timeout: float = 60_000) -> None:
    """Wait for the idle page, press Start, and wait until the run is going (an enabled Stop) or already over.

    A run is over when it finished or when the trainer stopped it (stuck at chance, NaN, exploding loss); on a
    busy machine a short run can end before the page redraws its Stop."""
    from playwright.sync_api import expect

    wait_idle(page)
    started = page.locator("button:not([disabled])", has_text=stop_label)
    for text in over:
        started = started.or_(page.get_by_text(text))
    started = started.first
    page.get_by_role("button", name=label, exact=True).click()
    expect(started).to_be_visible(timeout=timeout)


def stop_training(page, stop_label: str = "Stop training", start_label: str = "Start training") -> None:
    """Press the enabled Stop (the live panel and the settings may both draw one) and wait for the page to stay idle.

    A short run on a quiet machine may end by itself before the press: then Start is enabled again and there is
    nothing to stop (a Stop that neither works nor gives way to Start still fails the test)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect

    start = page.get_by_role("button", name=start_label, exact=True)
    if not start.is_enabled():
        try:
            page.locator("button:not([disabled])", has_text=stop_label).first.click(timeout=10_000)
        except PlaywrightTimeout:
            expect(start).to_be_enabled()  # the run ended between the check and the press
    wait_idle(page)


def assert_no_exception(page) -> None:
    """Fail with the shown text if Streamlit rendered an exception box."""
    boxes = page.locator(EXCEPTION_SELECTOR)
    if boxes.count():
        pytest.fail(f"the app shows an exception: {boxes.first.inner_text()}", pytrace=False)
