"""Browser, phone 390×844: after a page is picked from the sidebar, the sidebar is closed and the page shows.

Both a browser that calls itself a phone (Streamlit closes the sidebar itself) and one that does not (a narrow
window with a desktop user agent, where Streamlit left it open over 300 of the 390 px).
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from testkit.browser import wait_idle

SIDEBAR = "[data-testid='stSidebar']"
LISTENING = "() => window.__playgroundNavClose === true"  # the closing script is painted (st.html loads lazily)


PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "zh-CN"}
IPHONE_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 15_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
             "Version/15.0 Mobile/15E148 Safari/604.1")


@pytest.mark.parametrize("phone_agent", [True, False], ids=["phone-agent", "desktop-agent"])
def test_sidebar_closes_after_choosing_a_page_on_a_phone(browser, app_url, phone_agent):
    options = {**PHONE, "user_agent": IPHONE_UA, "is_mobile": True, "has_touch": True} if phone_agent else PHONE
    context = browser.new_context(**options)
    try:
        page = context.new_page()
        page.goto(app_url)
        wait_idle(page)
        page.wait_for_function(LISTENING)
        page.locator("[data-testid='stExpandSidebarButton']").click()
        expect(page.locator(SIDEBAR)).to_have_attribute("data-collapsed", "false")
        page.locator("[data-testid='stSidebarNavLink']").nth(3).click()  # the Training lab
        expect(page).to_have_url(f"{app_url}/training")
        wait_idle(page)
        expect(page.locator(SIDEBAR)).to_have_attribute("data-collapsed", "true")
        right = page.evaluate(f"() => document.querySelector(\"{SIDEBAR}\").getBoundingClientRect().right")
        assert right <= 0, f"the sidebar still covers {right:.0f} of 390 px"
        title = page.locator("h1").first
        expect(title).to_be_in_viewport()
        box = title.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    finally:
        context.close()
