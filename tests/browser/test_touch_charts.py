"""On a tablet and a phone no chart toolbar covers a chart's title or legend; on a desktop it is still there."""
from __future__ import annotations

import pytest

from testkit.browser import wait_idle

pytestmark = pytest.mark.browser

CHART = "[data-testid='stPlotlyChart']"
TOOLBARS = ".modebar-container, [data-testid='stElementToolbar']"


@pytest.mark.parametrize("width, height, shown", [(1024, 768, False), (390, 844, False), (1440, 900, True)])
def test_chart_toolbars_are_hidden_on_touch_sizes(browser, app_url, width, height, shown):
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        page.goto(app_url)
        wait_idle(page)
        chart = page.locator(CHART).first
        chart.scroll_into_view_if_needed()
        chart.hover()  # a toolbar shows on hover: hover first, then look
        toolbars = page.locator(TOOLBARS)
        assert toolbars.count() >= 1  # the toolbars are in the page: only CSS hides them
        visible = [toolbars.nth(i).is_visible() for i in range(toolbars.count())]
        assert any(visible) is shown, visible
    finally:
        context.close()
