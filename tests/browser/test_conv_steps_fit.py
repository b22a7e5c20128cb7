"""Browser, 1280×720 projector: with the Step row at the top of the screen, a step shows the whole input grid and
the written sum without scrolling (the teacher used to scroll after every click)."""
from __future__ import annotations

import pytest

from playground.i18n import t
from testkit.browser import wait_idle

ROW = "document.querySelector(\"[class*='st-key-b-steps-forward']\").closest('[data-testid=stHorizontalBlock]')"
TO_TOP = f"""async () => {{ await document.fonts.ready; const row = {ROW};
  const main = document.querySelector('[data-testid=stMain]'); main.scrollTop += row.getBoundingClientRect().top; }}"""
# The page's height has not changed for 800 ms: lazily painted parts are in, so the Step row can reach the top.
SETTLED = """() => { const h = document.querySelector('[data-testid=stMain]').scrollHeight, now = performance.now();
  const s = window.__pgHeight || (window.__pgHeight = {h, since: now});
  if (s.h !== h) { s.h = h; s.since = now; return false; } return now - s.since >= 800; }"""
MEASURE = f"""() => {{
  const cells = [...document.querySelectorAll("[data-grid='input0'] rect[data-r]")];
  const last = Math.max(...cells.map(r => r.getBoundingClientRect().bottom));
  const sum = document.querySelector('.steps-equation').getBoundingClientRect().bottom;
  return {{row: {ROW}.getBoundingClientRect().top, last, sum, cells: cells.length}}; }}"""


@pytest.mark.parametrize("locale, lang", [("zh-CN", "zh"), ("en-US", "en")])
def test_step_grid_and_sum_fit_under_the_step_row(browser, app_url, locale, lang):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale=locale)
    try:
        page = context.new_page()
        page.goto(f"{app_url}/conv_steps?projector=1")
        wait_idle(page)
        page.locator("[data-grid='input0']").wait_for()
        page.wait_for_function(SETTLED, polling=100)
        page.evaluate(TO_TOP)
        page.get_by_role("button", name=t("steps.forward", lang)).click()
        page.wait_for_function("() => document.querySelectorAll(\"[data-grid='out0'] text\").length === 2")
        wait_idle(page)
        shown = page.evaluate(MEASURE)
        assert shown["cells"] == 25  # the default 5×5 input, no padding
        assert shown["row"] <= 60, f"the Step row moved to {shown['row']:.0f} px"
        assert shown["last"] <= 720, f"the input's last row ends at {shown['last']:.0f} px of 720"
        assert shown["sum"] <= 720, f"the written sum ends at {shown['sum']:.0f} px of 720"
    finally:
        context.close()
