"""Icon and symbol buttons are read out by what they do: the layer, the setting and the action, in the page's language.

Without a name a screen reader said "arrow_upward" for a layer's move button and "−" for a slider's step.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from playground.i18n import t
from testkit.browser import wait_idle

pytestmark = pytest.mark.browser

LOCALES = {"en": "en-US", "zh": "zh-CN"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_layer_buttons_and_steppers_are_named_in_the_pages_language(browser, app_url, lang):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale=LOCALES[lang])
    try:
        page = context.new_page()
        page.goto(f"{app_url}/layer_lab")
        wait_idle(page)
        layer = t("layers.editor.layer", lang, i=1)
        for action in ("up", "down", "copy", "remove"):
            named = page.get_by_role("button", name=f"{layer} · {t(f'layers.editor.{action}', lang)}", exact=True)
            expect(named.first).to_be_visible()
        kernel = t("layers.editor.kernel", lang)
        for step in ("less_help", "more_help"):  # the name is what assistive technology gets
            named = page.get_by_role("button", name=f"{layer} · {t(f'a11y.{step}', lang, name=kernel)}", exact=True)
            expect(named.first).to_be_visible()
        unnamed = page.locator("[data-testid='stMain'] button").filter(has_text="arrow_upward")
        assert all(unnamed.nth(i).get_attribute("aria-label") for i in range(unnamed.count()))
    finally:
        context.close()
